r"""Chapter 7, the capstone: a whole training step, the accuracy, scaling the inputs, and training runs.

``check_training_step`` and ``check_accuracy`` and ``check_standardize`` compare arrays with mathnn's own
code, over the one harness. ``check_spirals_network`` and ``check_epoch_budget`` take a function that
returns *settings* (layer sizes, learning rate, epochs, ...), train a network with them on a fixed data
set, and judge the test accuracy it reaches within a budget.
"""

import math

import numpy as np

from mathnn import data
from mathnn.exercises._harness import Answer, call, check, judge, readable, shown
from mathnn.layers import Dense
from mathnn.network import Network, TrainingDiverged
from mathnn.optim import SGD

# --- one training step -------------------------------------------------------------------------------

STEP_SIZES = [2, 3, 4, 1]  # ReLU, ReLU, sigmoid; the output scored with binary cross-entropy


def _step_cases():
    cases = []
    for seed, m in ((0, 7), (1, 5)):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((2, m))
        Y = (rng.random((1, m)) < 0.5).astype(float)
        Y[0, :2] = (0.0, 1.0)  # both classes in every batch
        parameters = [[rng.standard_normal((n, n_prev)), 0.3 * rng.standard_normal((n, 1))]
                      for n_prev, n in zip(STEP_SIZES, STEP_SIZES[1:])]
        cases.append({"X": X, "Y": Y, "parameters": parameters, "learning_rate": 0.5})
    return cases


def _mathnn_step(case):
    """The new [W1, b1, W2, b2, W3, b3] after mathnn's train_step on the case."""
    layers = [Dense(n_prev, n, "relu" if l < len(STEP_SIZES) - 1 else "sigmoid")
              for l, (n_prev, n) in enumerate(zip(STEP_SIZES, STEP_SIZES[1:]), start=1)]
    for layer, (W, b) in zip(layers, case["parameters"]):
        layer.W, layer.b = W, b
    network = Network(layers, "binary_cross_entropy")
    network.train_step(np.asarray(case["X"], float), np.asarray(case["Y"], float), SGD(case["learning_rate"]))
    return network.parameters


def _buggy_step(case, relu_prime=True, divide_by_m=True, sign=-1.0, update_b=True, sigmoid_again=False):
    """One step written out with a switchable bug, to recognise the reader's."""
    X, Y, alpha = case["X"], case["Y"], case["learning_rate"]
    parameters = [[W.copy(), b.copy()] for W, b in case["parameters"]]
    A, cache = X, []
    for l, (W, b) in enumerate(parameters, start=1):
        Z = W @ A + b
        cache.append((A, Z))
        A = 1 / (1 + np.exp(-Z)) if l == len(parameters) else np.maximum(Z, 0)
    m = Y.shape[1]
    dZ = (A - Y) / (m if divide_by_m else 1)
    if sigmoid_again:
        dZ = dZ * A * (1 - A)
    gradients, dA = [None] * len(parameters), None
    for l in reversed(range(len(parameters))):
        A_prev, Z = cache[l]
        if l < len(parameters) - 1:  # dA is the dA_prev of the layer after
            dZ = dA * (Z > 0) if relu_prime else dA
        gradients[l] = (dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True))
        dA = parameters[l][0].T @ dZ
    result = []
    for (W, b), (dW, db) in zip(parameters, gradients):
        result += [W + sign * alpha * dW, b + sign * alpha * db if update_b else b]
    return result


_STEP_NAMES = ["W1", "b1", "W2", "b2", "W3", "b3"]
_STEP_BUGS = (
    ({"relu_prime": False}, "the hidden layers' dZ must be multiplied by ReLU's derivative: dZ = dA * (Z > 0)."),
    ({"divide_by_m": False}, "the output's dZ is (A - Y)/m: the gradient is an average over the m examples."),
    ({"sign": 1.0}, "you went uphill: subtract α times the gradient."),
    ({"sigmoid_again": True}, "with binary cross-entropy the output's dZ is already (A - Y)/m; multiplying it by "
                              "σ'(Z) = A(1 - A) again counts the sigmoid twice."),
)


def _step_answer(i, name):
    variants = tuple((lambda bug=bug, **c: _buggy_step(c, **bug)[i], why) for bug, why in _STEP_BUGS)
    if name.startswith("b"):
        variants += ((lambda **c: _buggy_step(c, update_b=False)[i], "the biases must be updated too: b -= α db."),)
    variants += ((lambda **c: c["parameters"][i // 2][i % 2], f"{name} did not change: take the step."),)
    return Answer(name, lambda **c: _mathnn_step(c)[i], variants,
                  f"{name} keeps its shape; return the parameters as [[W1, b1], [W2, b2], [W3, b3]].")


def _as_flat(fn):
    """``fn`` whose answer [[W1, b1], [W2, b2], ...] is read as W1, b1, W2, b2, ... (a flat answer stays as it is)."""
    def flat(*args):
        result = fn(*args)
        if isinstance(result, (list, tuple)) and result and all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in result
        ):
            return [array for pair in result for array in pair]
        return result

    return flat


def check_training_step(fn):
    r"""Check ``fn(X, Y, parameters, learning_rate) -> parameters``: one step of gradient descent.

    The network is 2-3-4-1: ReLU hidden layers, a sigmoid output, binary cross-entropy. ``parameters`` is
    ``[[W1, b1], [W2, b2], [W3, b3]]`` with ``W`` of shape (n[l], n[l-1]) and ``b`` (n[l], 1); X is (2, m),
    Y (1, m). The answer is the parameters after the step (updated in place or new), in the same form.
    """
    answers = [_step_answer(i, name) for i, name in enumerate(_STEP_NAMES)]
    return check("check_training_step", fn, _step_cases(),
                 lambda reader, case: judge(_as_flat(reader), case, answers, may_change=("parameters",)),
                 where=lambda number, c: f"test input {number}: X of shape {c['X'].shape}, layer sizes {STEP_SIZES}, "
                                         f"learning rate {c['learning_rate']}")


# --- accuracy ------------------------------------------------------------------------------------------


def check_accuracy(fn):
    r"""Check ``fn(Y_hat, Y) -> accuracy``: the share of examples whose prediction (1 where ŷ ≥ 0.5) is Y."""
    cases = [
        {"Y_hat": np.array([[0.9, 0.2, 0.5, 0.7, 0.1, 0.49, 0.51, 0.3]]),
         "Y": np.array([[1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0]])},
        {"Y_hat": np.array([[0.5, 0.5, 0.2, 0.8, 0.6]]), "Y": np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])},
    ]

    def fraction(Y_hat, Y, above=np.greater_equal):
        return float(np.mean(above(Y_hat, 0.5) == (Y == 1)))

    answer = Answer(
        "accuracy",
        lambda Y_hat, Y: fraction(Y_hat, Y),
        (
            (lambda Y_hat, Y: fraction(Y_hat, Y, np.greater),
             "an output of exactly 0.5 counts as class 1, as in mathnn's predict: use ŷ >= 0.5, not ŷ > 0.5."),
            (lambda Y_hat, Y: fraction(Y_hat, Y) * Y.shape[1], "that is the number right: divide by m."),
            (lambda Y_hat, Y: 100 * fraction(Y_hat, Y), "that is a percentage: return the fraction, 0 to 1."),
            (lambda Y_hat, Y: 1 - fraction(Y_hat, Y), "that is the share of mistakes, the error rate."),
            (lambda Y_hat, Y: float(np.mean(Y_hat == Y)),
             "compare the *predictions*, 1 where ŷ >= 0.5, with Y, not the probabilities ŷ themselves."),
        ),
        number=True,
    )
    return check("check_accuracy", fn, cases, [answer])


# --- standardising the inputs --------------------------------------------------------------------------


def check_standardize(fn):
    r"""Check ``fn(X_train, X_test) -> (X_train_scaled, X_test_scaled)``.

    Each feature (a row) is shifted by its mean and divided by its standard deviation, both measured on
    the *training* set only, and the same two numbers are applied to the test set.
    """
    rng = np.random.default_rng(3)
    cases = []
    for m_train, m_test in ((9, 4), (6, 5)):
        scale, shift = np.array([[3.0], [0.2]]), np.array([[10.0], [-4.0]])
        cases.append({"X_train": scale * rng.standard_normal((2, m_train)) + shift,
                      "X_test": scale * rng.standard_normal((2, m_test)) + shift})

    def scaled(X, mean, std):
        return (X - mean) / std

    def stats(X, axis=1):
        return X.mean(axis=axis, keepdims=True), X.std(axis=axis, keepdims=True)

    def answer(name, which):
        def with_stats(axis=1, own=False, divide=True, minmax=False):
            def value(X_train, X_test):
                X = X_train if which == 0 else X_test
                if minmax:
                    low, high = X_train.min(axis=1, keepdims=True), X_train.max(axis=1, keepdims=True)
                    return (X - low) / (high - low)
                mean, std = stats(X if own else X_train, axis=axis if axis is not None else None)
                return scaled(X, mean, std if divide else 1.0)
            return value

        variants = [
            (with_stats(axis=None), "compute a mean and a standard deviation for each feature, a row of X: "
                                    "X_train.mean(axis=1, keepdims=True), not one number for all of X."),
            (with_stats(axis=0), "the features are the rows (examples are columns): use axis=1, not axis=0."),
            (with_stats(divide=False), "subtract the mean, then divide by the standard deviation too."),
            (with_stats(minmax=True), "that is min-max scaling to [0, 1]; here subtract the mean and divide by the "
                                      "standard deviation."),
        ]
        if which == 1:
            variants.insert(0, (with_stats(own=True), "scale the test set with the training set's mean and standard "
                                                      "deviation: the test set must not inform the scaling."))
        return Answer(name, with_stats(), tuple((lambda X_train, X_test, v=v: v(X_train, X_test), why)
                                                for v, why in variants),
                      f"{name} has the shape of its input.")

    return check("check_standardize", fn, cases, [answer("X_train_scaled", 0), answer("X_test_scaled", 1)])


# --- training runs: settings in, accuracy out ----------------------------------------------------------

MAX_PARAMETERS = 5_000
MAX_UNITS = 64


def _settings(fn, needed):
    """The reader's settings as a dict with the keys ``needed``, or a message saying what is wrong."""
    result, _, error = call(fn, {})
    if error:
        return error
    result = readable(result)
    if not isinstance(result, dict):
        return (f"your function should return a dict of settings with the keys {sorted(needed)}, "
                f"but returned {shown(result)}.")
    missing, extra = sorted(set(needed) - set(result)), sorted(set(result) - set(needed))
    if missing:
        return f"the settings lack {missing}: return a dict with the keys {sorted(needed)}."
    if extra:
        return f"the settings hold keys this exercise does not use, {extra}: return only {sorted(needed)}."
    return result


def _count(value, name, largest):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        return f"{name} must be a whole number, but got {shown(value)}."
    if not 1 <= value <= largest:
        return f"{name} must be between 1 and {largest}, but got {value}."
    return None


def _rate(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        return f"learning_rate must be a number, but got {shown(value)}."
    if not math.isfinite(value) or value <= 0:
        return f"learning_rate must be a finite number > 0, but got {value}."
    return None


def _train(sizes, hidden, settings, dataset, epochs_allowed, target):
    """Train on ``dataset`` with the settings; a message if the test accuracy misses ``target``, else None."""
    X, Y = dataset
    X_train, X_test, Y_train, Y_test = data.train_test_split(X, Y, test_fraction=0.25, seed=0)
    for problem in (_count(settings["epochs"], "epochs", epochs_allowed),
                    _count(settings["batch_size"], "batch_size", X_train.shape[1]),
                    _rate(settings["learning_rate"])):
        if problem:
            return problem
    network = Network.from_sizes(sizes, hidden=hidden, output="sigmoid", loss="binary_cross_entropy", seed=0)
    try:
        network.fit(X_train, Y_train, epochs=int(settings["epochs"]), learning_rate=float(settings["learning_rate"]),
                    batch_size=int(settings["batch_size"]), seed=0)
    except TrainingDiverged as error:
        return f"training diverged: {error}"
    accuracy = network.accuracy(X_test, Y_test)
    if accuracy < target:
        return (f"the network reached a test accuracy of {accuracy:.1%}, short of {target:.0%}. "
                "More units or layers, more epochs or another learning rate may help.")
    return None


def check_spirals_network(fn):
    r"""Check ``fn() -> settings`` for two intertwined spirals (``data.spirals(m=400, turns=1.5, seed=0)``).

    ``settings`` is a dict: ``hidden`` (the hidden layer sizes, e.g. ``(16, 16)``), ``activation``
    (``"relu"`` or ``"tanh"``), ``learning_rate``, ``epochs`` (at most 300) and ``batch_size``. The network
    2-hidden-1 (a sigmoid output, binary cross-entropy, at most 5,000 parameters and 64 units a layer) is
    trained on three quarters of the points and must classify at least 90% of the other quarter correctly.
    """
    needed = ("hidden", "activation", "learning_rate", "epochs", "batch_size")

    def run(fn, case):
        settings = _settings(fn, needed)
        if isinstance(settings, str):
            return settings
        hidden = readable(settings["hidden"])
        if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
            hidden = (hidden,)
        if not isinstance(hidden, (list, tuple)) or not hidden:
            return (f"hidden must be a tuple of hidden layer sizes such as (16, 16), "
                    f"but got {shown(settings['hidden'])}.")
        for size in hidden:
            problem = _count(size, "every hidden layer size", MAX_UNITS)
            if problem:
                return problem
        if settings["activation"] not in ("relu", "tanh"):
            return f"activation must be 'relu' or 'tanh', but got {shown(settings['activation'])}."
        sizes = [2, *[int(n) for n in hidden], 1]
        parameters = sum(n * n_prev + n for n_prev, n in zip(sizes, sizes[1:]))
        if parameters > MAX_PARAMETERS:
            return f"the network {sizes} has {parameters:,} parameters, over this exercise's {MAX_PARAMETERS:,}."
        return _train(sizes, settings["activation"], settings, data.spirals(m=400, turns=1.5, seed=0), 300, 0.9)

    return check("check_spirals_network", fn, [{}], run,
                 where=lambda number, case: "data: data.spirals(m=400, turns=1.5, seed=0), a quarter held out",
                 done="the network classifies at least 90% of the held-out spiral points correctly.")


def check_epoch_budget(fn):
    r"""Check ``fn() -> settings`` for the capstone network on circles in at most 3 epochs.

    ``settings`` is a dict with ``learning_rate``, ``batch_size`` and ``epochs`` (at most 3). The network
    2-25-50-50-25-1 (ReLU, sigmoid output, seed 0) is trained on three quarters of
    ``data.circles(m=1000, seed=0)`` and must classify at least 99% of the other quarter correctly.
    """
    needed = ("learning_rate", "batch_size", "epochs")

    def run(fn, case):
        settings = _settings(fn, needed)
        if isinstance(settings, str):
            return settings
        return _train([2, 25, 50, 50, 25, 1], "relu", settings, data.circles(m=1000, seed=0), 3, 0.99)

    return check("check_epoch_budget", fn, [{}], run,
                 where=lambda number, case: "data: data.circles(m=1000, seed=0), a quarter held out for the test",
                 done="the capstone network classifies at least 99% of the held-out points correctly, within budget.")
