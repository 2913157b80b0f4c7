r"""Chapter 6, gradient descent and mini-batch SGD: one update, one epoch of mini-batches."""

import itertools

import numpy as np

from mathnn.exercises._harness import Answer, call, check, readable, shown


def check_sgd_step(fn):
    r"""Check ``fn(W, b, dW, db, learning_rate) -> (W, b)``: :math:`W \leftarrow W - \alpha\, dW`, same for b."""
    rng = np.random.default_rng(6)
    cases = [
        {
            "W": rng.standard_normal((4, 3)),
            "b": rng.standard_normal((4, 1)),
            "dW": rng.standard_normal((4, 3)),
            "db": rng.standard_normal((4, 1)),
            "learning_rate": 0.1,
        }
    ]

    def answer(name, param, grad):
        return Answer(
            name,
            lambda **c: c[param] - c["learning_rate"] * c[grad],
            (
                (
                    lambda **c: c[param] + c["learning_rate"] * c[grad],
                    "you went uphill: subtract α times the gradient.",
                ),
                (lambda **c: c[param] - c[grad], "you forgot the learning rate α."),
                (lambda **c: c[param], f"{name} did not change: update it too."),
            ),
            f"{name} keeps its shape {cases[0][param].shape}.",
        )

    return check("check_sgd_step", fn, cases, [answer("W", "W", "dW"), answer("b", "b", "db")], may_change=("W", "b"))


def check_batches(fn):
    """Check ``fn(m, batch_size, rng) -> list of index arrays``: one epoch of shuffled mini-batches.

    Every example 0..m−1 must appear exactly once, as whole-number indices; each batch holds
    ``batch_size`` indices except possibly the last (the m % batch_size left over); and the order must
    come from ``rng``: the same generator gives the same batches, another generator other batches.
    """
    def run(fn, case):
        m, batch_size = case["m"], case["batch_size"]
        epochs = []
        for seed in (0, 0, 1):  # the same generator twice, then another one
            result, _, error = call(_listed(fn, m), {**case, "rng": np.random.default_rng(seed)})
            if error:
                return error
            batches = _index_arrays(result, m)
            if isinstance(batches, str):
                return batches
            message = _judge_batches(batches, m, batch_size)
            if message:
                return message
            epochs.append(np.concatenate(batches))
        if not np.array_equal(epochs[0], epochs[1]):
            return (
                "two generators made with the same seed gave different batches: shuffle with the generator your "
                "function is given, rng.permutation(m), not np.random.permutation or a generator of its own."
            )
        if np.array_equal(epochs[0], epochs[2]):
            return (
                "generators with different seeds gave the same batches: your function ignores the rng it is "
                "given. Shuffle with it, rng.permutation(m), so that the caller decides the order."
            )
        return None

    cases = [{"m": 103, "batch_size": 10}, {"m": 12, "batch_size": 4}]
    return check("check_batches", fn, cases, run,
                 where=lambda number, c: f"test input: m = {c['m']}, batch_size = {c['batch_size']}",
                 done="every example once, batches of the right size, shuffled.")


def _listed(fn, m):
    """``fn`` whose result, if it is an iterator (a generator, say), is read to the end: within the time limit."""
    def listed(*args):
        result = fn(*args)
        if hasattr(result, "__next__"):
            result = list(itertools.islice(result, m + 1))  # more than m batches cannot be right
        return result

    return listed


def _index_arrays(result, m):
    """The batches as 1-D integer arrays, or a message saying what is wrong with them."""
    if result is None:
        return "your function returned None: return the list of index arrays."
    result = readable(result)
    if isinstance(result, (str, bytes, dict)) or not hasattr(result, "__iter__"):
        return f"your function should return a list of index arrays, but returned {shown(result)}."
    batches = []
    for number, batch in enumerate(result, start=1):
        if number > m:
            return f"your function returned more than m = {m} batches, but every batch holds at least one example."
        batch = readable(batch)
        try:
            array = np.asarray(batch)
        except Exception:  # noqa: BLE001 - whatever it is, it is not an array of indices
            array = np.asarray(None)
        if array.size == 0:
            return f"batch {number} is empty: every batch holds at least one example."
        if array.ndim != 1 or array.dtype.kind not in "iu":
            if array.dtype.kind in "fc" and array.ndim == 1:
                return (
                    f"batch {number} holds {array.dtype} numbers such as {array[0]}, but indices are whole numbers: "
                    "X[:, batch] needs an integer array, as rng.permutation(m) gives."
                )
            return (
                f"batch {number} should be a 1-D array of whole-number indices, as rng.permutation(m)[start:stop] "
                f"is, but it is {shown(batch)}."
            )
        if array.min() < 0:
            return (
                f"batch {number} holds the index {int(array.min())}: the examples are numbered 0 to m − 1 = {m - 1}. "
                "(numpy reads a negative index from the end, so X[:, -1] is the last example, counted twice.)"
            )
        if array.max() >= m:
            return (
                f"batch {number} holds the index {int(array.max())}, but the examples are numbered 0 to m − 1 = "
                f"{m - 1}: Python counts from 0."
            )
        batches.append(array)
    if not batches:
        return "your function returned no batches: one epoch sees every example once."
    return batches


def _judge_batches(batches, m, batch_size):
    sizes = [len(batch) for batch in batches]
    everything = np.concatenate(batches)
    seen, counts = np.unique(everything, return_counts=True)
    if (counts > 1).any():
        first = int(np.argmax(counts > 1))
        return (
            f"example {int(seen[first])} appears {counts[first]} times: shuffle one permutation, "
            f"rng.permutation(m), instead of drawing indices with replacement."
        )
    if len(seen) < m:
        missing = m - len(seen)
        if missing == m % batch_size:
            return f"the last {missing} examples (m % batch_size) never appear: keep the smaller last batch."
        return f"{missing} of the {m} examples never appear in a batch."
    if any(size != batch_size for size in sizes[:-1]) or sizes[-1] > batch_size:
        return (
            f"the batches should hold batch_size = {batch_size} examples (the last may hold fewer), but hold {sizes}."
        )
    if np.array_equal(everything, np.arange(m)):
        return "the batches follow the original order 0, 1, 2, ...: shuffle with rng.permutation(m) each epoch."
    return None


def check_learning_rates(fn):
    r"""Check ``fn(curvatures) -> (largest, fastest)`` for :math:`f(x) = \tfrac12 \sum_i \lambda_i x_i^2`.

    ``curvatures`` is a 1-D array of the positive :math:`\lambda_i`. ``largest`` is the learning rate
    above which gradient descent diverges from almost every start, :math:`2/\lambda_{\max}`;
    ``fastest`` the one that shrinks the distance to the minimum fastest,
    :math:`2/(\lambda_{\max} + \lambda_{\min})`. Both are single numbers.
    """
    cases = [{"curvatures": np.array([6.0, 1.0])}, {"curvatures": np.array([0.5, 40.0, 3.0])}]

    largest = Answer(
        "largest",
        lambda curvatures: 2 / curvatures.max(),
        (
            (lambda curvatures: 2 / curvatures.min(),
             "that is 2/λ for the smallest curvature: the steepest direction diverges first, use the largest λ."),
            (lambda curvatures: 1 / curvatures.max(),
             "1/λ_max is where the steepest direction starts to overshoot (oscillate); it still converges up to "
             "twice that."),
            (lambda curvatures: 2 / (curvatures.max() + curvatures.min()),
             "that is the fastest learning rate; the largest that still converges is larger."),
            (lambda curvatures: 2 / curvatures.sum(),
             "each direction has its own factor 1 − αλᵢ: only the largest λ decides when one of them passes −1."),
        ),
        number=True,
    )
    fastest = Answer(
        "fastest",
        lambda curvatures: 2 / (curvatures.max() + curvatures.min()),
        (
            (lambda curvatures: 1 / curvatures.max(),
             "1/λ_max settles the steepest direction in one step, but the flattest one then shrinks by only "
             "1 − λ_min/λ_max per step: balance the two factors, 1 − αλ_min = −(1 − αλ_max)."),
            (lambda curvatures: 1 / curvatures.min(),
             "1/λ_min diverges in the steep direction whenever λ_max > 2 λ_min."),
            (lambda curvatures: 2 / curvatures.max(),
             "at 2/λ_max the steepest direction never shrinks (its factor is −1): pick α so that the factors of the "
             "steepest and the flattest directions have the same size."),
            (lambda curvatures: 2 / curvatures.sum(),
             "only the largest and the smallest curvature matter: the middle ones shrink faster than both."),
        ),
        number=True,
    )
    return check("check_learning_rates", fn, cases, [largest, fastest],
                 where=lambda number, c: f"test input: curvatures = {c['curvatures'].tolist()}")
