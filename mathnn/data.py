"""Small data sets made on the spot, seeded, in the book's shape convention.

Every generator returns ``(X, Y)`` with ``X`` of shape (2, m) — two features, examples as columns —
and ``Y`` of shape (1, m) holding class labels 0, 1, ... as floats. For more than two classes turn
``Y`` into one-hot columns with :func:`one_hot`. Nothing is downloaded: the same seed (a whole number
>= 0, or a ``numpy.random.Generator``) gives the same points on any machine. A generator makes at most
``MAX_EXAMPLES`` (a million) examples, so that a typo such as ``m=10**8`` is an error, not half a minute
and 5 GB.

Examples
--------
>>> X, Y = circles(m=6, seed=0)
>>> X.shape, Y.shape
((2, 6), (1, 6))
>>> one_hot(np.array([[0.0, 2.0, 1.0]]))
array([[1., 0., 0.],
       [0., 0., 1.],
       [0., 1., 0.]])
"""

import numpy as np

from mathnn.validate import as_matrix, check_count, check_finite_real, check_real, check_seed, lookup

GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
}


def logic_gate(name):
    """The four inputs of a two-input logic gate and its outputs.

    Returns
    -------
    X : ndarray of shape (2, 4), the columns (0,0), (0,1), (1,0), (1,1)
    Y : ndarray of shape (1, 4), the gate's truth table ("and", "or" or "xor")
    """
    outputs = lookup(GATES, name, "logic gate")
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    return X, np.array([outputs], dtype=np.float64)


MAX_EXAMPLES = 10**6
"""The most examples a generator makes: a million points already take a second and some 50 MB."""

MAX_ONE_HOT_ENTRIES = 10**7
"""The largest one-hot matrix (classes × m entries, 80 MB) :func:`one_hot` makes."""


def _check_m(m, minimum):
    return check_count(
        m,
        "m",
        minimum=minimum,
        maximum=MAX_EXAMPLES,
        fix=f"The toy data sets stop at {MAX_EXAMPLES:,} examples (m=10**8 would take half a minute and some "
        f"5 GB); the book's examples use a few hundred to a few thousand.",
    )


def _labels_and_rng(m, classes, seed):
    m = _check_m(m, classes)
    rng = check_seed(seed)
    # As even a split into classes as m allows, in a fixed order.
    labels = np.arange(m) % classes
    return labels, rng


def _check_noise(noise, name="noise"):
    noise = check_real(noise, name)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"{name} must be a finite number >= 0, but got {noise}.")
    return noise


def circles(m=1000, noise=0.08, factor=0.5, seed=None):
    """Two concentric rings: label 0 on the outer ring (radius 1), label 1 on the inner (radius ``factor``)."""
    noise = _check_noise(noise)
    if not 0 < check_real(factor, "factor") < 1:
        raise ValueError(f"factor is the inner radius over the outer and must lie in (0, 1), but got {factor}.")
    labels, rng = _labels_and_rng(m, 2, seed)
    angle = rng.uniform(0, 2 * np.pi, m)
    radius = np.where(labels == 0, 1.0, factor)
    X = radius * np.vstack([np.cos(angle), np.sin(angle)]) + noise * rng.standard_normal((2, m))
    return X, labels[None, :].astype(np.float64)


def moons(m=200, noise=0.1, seed=None):
    """Two interleaving half circles: label 0 on the upper arc, label 1 on the lower, shifted one."""
    noise = _check_noise(noise)
    labels, rng = _labels_and_rng(m, 2, seed)
    angle = rng.uniform(0, np.pi, m)
    upper = np.vstack([np.cos(angle), np.sin(angle)])
    lower = np.vstack([1 - np.cos(angle), 0.5 - np.sin(angle)])
    X = np.where(labels == 0, upper, lower) + noise * rng.standard_normal((2, m))
    return X, labels[None, :].astype(np.float64)


def blobs(m=200, centers=2, spread=0.6, seed=None):
    """Gaussian clouds, one per class, with centres evenly spaced on a circle of radius 2."""
    centers = check_count(centers, "centers", minimum=2)
    spread = _check_noise(spread, "spread")
    labels, rng = _labels_and_rng(m, centers, seed)
    angles = 2 * np.pi * np.arange(centers) / centers + np.pi / 4
    means = 2.0 * np.vstack([np.cos(angles), np.sin(angles)])
    X = means[:, labels] + spread * rng.standard_normal((2, m))
    return X, labels[None, :].astype(np.float64)


def quadrants(m=200, noise=0.1, seed=None):
    """XOR as a cloud: points in [-1, 1]², label 1 where exactly one coordinate is negative."""
    noise = _check_noise(noise)
    m = _check_m(m, 2)
    rng = check_seed(seed)
    X = rng.uniform(-1, 1, (2, m))
    labels = (X[0] * X[1] < 0).astype(np.float64)
    return X + noise * rng.standard_normal((2, m)), labels[None, :]


def spirals(m=300, classes=2, noise=0.1, turns=1.0, seed=None):
    """Interleaved spiral arms, one per class, each starting at the origin and winding out ``turns`` times."""
    classes = check_count(classes, "classes", minimum=2)
    noise = _check_noise(noise)
    turns = check_finite_real(turns, "turns", "Try turns=1.0 (one full turn) or 2.")
    labels, rng = _labels_and_rng(m, classes, seed)
    t = rng.uniform(0.05, 1.0, m)  # how far along its arm a point is
    angle = 2 * np.pi * (turns * t + labels / classes)
    X = t * np.vstack([np.cos(angle), np.sin(angle)]) + noise * t * rng.standard_normal((2, m))
    return X, labels[None, :].astype(np.float64)


def one_hot(Y, classes=None):
    """Labels of shape (1, m) to one-hot columns of shape (classes, m).

    Parameters
    ----------
    Y : array_like of shape (1, m), whole numbers 0 .. classes-1
    classes : int, optional; by default the largest label + 1
    """
    Y = as_matrix(Y, "Y", rows=1, rows_meaning="row of labels")
    if (Y != np.round(Y)).any() or (Y < 0).any():
        raise ValueError(f"one_hot needs whole-number labels 0, 1, 2, ..., but Y contains {np.unique(Y)[:5]}.")
    largest, m = int(Y.max()), Y.shape[1]
    if classes is None:
        classes = largest + 1
        why = (
            f"the largest label in Y is {_count(largest)}, so classes = {_count(classes)}. Labels are class numbers "
            f"0, 1, ..., classes - 1, one per example: did you pass values rather than class labels?"
        )
    else:
        classes = check_count(classes, "classes")
        if largest >= classes:
            raise ValueError(f"Y has the label {largest}, but classes={classes} allows only 0..{classes - 1}.")
        why = f"classes={classes:,} rows for m={m:,} examples. Did you mean fewer classes?"
    if classes * m > MAX_ONE_HOT_ENTRIES:
        raise ValueError(
            f"one_hot would make a matrix of shape ({_count(classes)}, {m:,}), {_count(classes * m * 8 / 1e9)} GB, "
            f"more than the {MAX_ONE_HOT_ENTRIES:,} entries it allows: {why}"
        )
    one_hot = np.zeros((classes, m))
    one_hot[Y[0].astype(int), np.arange(m)] = 1.0
    return one_hot


def _count(n):
    """A size for a message: 1,000,000,001, or 1e+300 rather than three hundred digits."""
    return f"{n:,.{0 if isinstance(n, int) else 1}f}" if n < 10**15 else f"{float(n):.3g}"


def train_test_split(X, Y, test_fraction=0.2, seed=None):
    """Split the columns of X and Y at random into a training and a test set.

    Returns
    -------
    X_train, X_test, Y_train, Y_test
        ``round(test_fraction * m)`` columns go to the test set (at least one to each side).
    """
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must have the same number of columns (examples), but got {X.shape} and {Y.shape}.")
    if not 0 < check_real(test_fraction, "test_fraction") < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, but got {test_fraction}.")
    m = X.shape[1]
    if m < 2:
        raise ValueError(f"splitting needs at least 2 examples, but X has {m}.")
    n_test = min(max(int(round(test_fraction * m)), 1), m - 1)
    order = check_seed(seed).permutation(m)
    test, train = order[:n_test], order[n_test:]
    return X[:, train], X[:, test], Y[:, train], Y[:, test]


DATASETS = {"circles": circles, "moons": moons, "blobs": blobs, "quadrants": quadrants, "spirals": spirals}


def make(name, m=200, seed=None, **options):
    """A data set by name: one of ``DATASETS``, with its own options (noise, factor, ...)."""
    return lookup(DATASETS, name, "data set")(m=m, seed=seed, **options)
