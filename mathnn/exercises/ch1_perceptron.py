r"""Chapter 1, the neuron and the perceptron: checkers for the perceptron and one neuron's gradient."""

import numpy as np

from mathnn import activations
from mathnn.exercises._harness import Answer, check


def _perceptron_update(w, b, x, y, alpha, strict=False):
    z = w @ x + b
    y_hat = float((z > 0)[0, 0]) if strict else activations.step(z)[0, 0]
    return w + alpha * (y - y_hat) * x.T, b + alpha * (y - y_hat)


def _neuron_gradient(X, Y, w, b, scale=1.0, chain=True):
    """∂C/∂w (1, n) and ∂C/∂b (1, 1) of C = mean((σ(w X + b) − Y)²); ``chain=False`` drops σ'(z)."""
    Z = w @ X + b
    slope = activations.sigmoid_derivative(Z) if chain else 1.0
    dZ = scale * 2.0 * (activations.sigmoid(Z) - Y) * slope / Y.shape[1]
    return dZ @ X.T, dZ.sum(axis=1, keepdims=True)


def check_neuron_gradient(fn):
    r"""Check ``fn(X, Y, w, b) -> (dw, db)`` for one sigmoid neuron and the mean squared error.

    .. math:: \frac{\partial C}{\partial w_k} = \frac{1}{m}\sum_i 2(\hat y^{(i)} - y^{(i)})\,
        \sigma'(z^{(i)})\, x_k^{(i)}, \qquad \frac{\partial C}{\partial b} = \frac{1}{m}\sum_i
        2(\hat y^{(i)} - y^{(i)})\, \sigma'(z^{(i)})

    ``X`` (n, m), ``Y`` (1, m), ``w`` a row (1, n), ``b`` (1, 1); ``dw`` (1, n) and ``db`` (1, 1).
    """
    rng = np.random.default_rng(7)
    cases = [
        {
            "X": rng.standard_normal((3, 6)),
            "Y": rng.integers(0, 2, (1, 6)).astype(float),
            "w": rng.standard_normal((1, 3)),
            "b": rng.standard_normal((1, 1)),
        }
    ]

    def part(index, **options):
        return lambda X, Y, w, b: _neuron_gradient(X, Y, w, b, **options)[index]

    def answer(index, name, shape):
        return Answer(
            name,
            part(index),
            (
                (part(index, scale=-1.0), "the sign is flipped: the chain starts with 2(ŷ − y), not 2(y − ŷ)."),
                (part(index, scale=6.0), "it is m times too large: C averages over the m examples, so divide by m."),
                (part(index, scale=0.5), "it is half the right value: the derivative of (ŷ − y)² is 2(ŷ − y)."),
                (part(index, chain=False), "σ'(z) is missing: the chain rule's middle factor ∂ŷ/∂z."),
            ),
            f"{name} has the shape of {name[1:]}, {shape}.",
        )

    return check("check_neuron_gradient", fn, cases, [answer(0, "dw", "(1, n)"), answer(1, "db", "(1, 1)")])


def check_perceptron_predict(fn):
    r"""Check ``fn(X, w, b) -> Y_hat``: :math:`\hat y = \operatorname{step}(w x + b)` for every column of X.

    ``X`` (n_x, m), ``w`` a row (1, n_x), ``b`` (1, 1); ``Y_hat`` (1, m) of 0s and 1s, with
    step(0) = 1.
    """
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 6))
    X[:, 2] = 0.0  # with b = 0 this column has z = 0 exactly, where step gives 1
    cases = [
        {"X": X, "w": rng.standard_normal((1, 4)), "b": np.array([[-1.0]])},
        {"X": X, "w": rng.standard_normal((1, 4)), "b": np.zeros((1, 1))},
    ]

    def z(X, w, b):
        return w @ X + b

    answer = Answer(
        "Y_hat",
        lambda X, w, b: activations.step(z(X, w, b)),
        (
            (lambda X, w, b: activations.step(w @ X), "you forgot the bias: ŷ = step(w x + b)."),
            (lambda X, w, b: z(X, w, b), "you returned z = w x + b itself; the perceptron outputs step(z)."),
            (lambda X, w, b: activations.sigmoid(z(X, w, b)), "you used the sigmoid; the perceptron uses step."),
            (lambda X, w, b: 1.0 - activations.step(z(X, w, b)), "0 and 1 are swapped: ŷ = 1 when z ≥ 0."),
            (lambda X, w, b: (z(X, w, b) > 0).astype(float), "at z = 0 the step gives 1 (z ≥ 0), yours gives 0."),
        ),
        hint="Y_hat has one entry per example, shape (1, m): compute w @ X + b.",
    )
    return check("check_perceptron_predict", fn, cases, [answer])


def check_perceptron_update(fn):
    r"""Check ``fn(w, b, x, y, alpha) -> (w, b)``, the perceptron learning rule for one example.

    .. math:: \hat y = \operatorname{step}(w x + b), \quad
        w \leftarrow w + \alpha\,(y - \hat y)\, x^\top, \quad b \leftarrow b + \alpha\,(y - \hat y)

    ``w`` is a row (1, n_x), ``x`` a column (n_x, 1), ``b`` (1, 1), ``y`` 0 or 1, ``alpha`` > 0.
    """
    rng = np.random.default_rng(2)
    cases = []
    for kind in ("wrong", "wrong", "right"):
        w, x, b = rng.standard_normal((1, 4)), rng.standard_normal((4, 1)), rng.standard_normal((1, 1))
        y_hat = activations.step(w @ x + b)[0, 0]
        cases.append({"w": w, "b": b, "x": x, "y": 1.0 - y_hat if kind == "wrong" else y_hat, "alpha": 0.3})
    cases.append(
        {"w": np.zeros((1, 4)), "b": np.zeros((1, 1)), "x": rng.standard_normal((4, 1)), "y": 0.0, "alpha": 0.3}
    )

    def new_w(w, b, x, y, alpha):
        return _perceptron_update(w, b, x, y, alpha)[0]

    def new_b(w, b, x, y, alpha):
        return _perceptron_update(w, b, x, y, alpha)[1]

    def error(w, b, x, y, alpha):
        return y - activations.step(w @ x + b)[0, 0]

    w_answer = Answer(
        "w",
        new_w,
        (
            (
                lambda w, b, x, y, alpha: w - alpha * error(w, b, x, y, alpha) * x.T,
                "the sign is flipped: w ← w + α(y − ŷ)x.",
            ),
            (lambda w, b, x, y, alpha: w + error(w, b, x, y, alpha) * x.T, "you forgot the learning rate α."),
            (
                lambda w, b, x, y, alpha: _perceptron_update(w, b, x, y, alpha, strict=True)[0],
                "at z = 0 the step gives ŷ = 1 (z ≥ 0); your code took ŷ = 0.",
            ),
            (lambda w, b, x, y, alpha: w, "w did not change although ŷ ≠ y for this example."),
        ),
        hint="w is a row (1, n_x) and x a column (n_x, 1): add α(y − ŷ) x.T, or w + α(y − ŷ)x broadcasts to a square.",
    )
    b_answer = Answer(
        "b",
        new_b,
        (
            (lambda w, b, x, y, alpha: b, "b did not change: the bias learns too, b ← b + α(y − ŷ)."),
            (lambda w, b, x, y, alpha: b - alpha * error(w, b, x, y, alpha), "the sign is flipped: b ← b + α(y − ŷ)."),
        ),
        number=True,
        hint="b is one number (shape (1, 1)).",
    )
    return check("check_perceptron_update", fn, cases, [w_answer, b_answer], may_change=("w", "b"))
