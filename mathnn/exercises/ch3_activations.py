r"""Chapter 3, activation functions: each activation and its derivative, checked against mathnn.activations."""

import numpy as np

from mathnn import activations
from mathnn.exercises._harness import Answer, check, z_cases

_SIGMOID_STABLE = (
    "Some inputs are large (|z| up to 1000). Keep exp away from large positive numbers, "
    "e.g. use exp(-|z|) (see mathnn.activations.sigmoid)."
)
_SOFTMAX_STABLE = (
    "Some inputs are large (up to 1000). Subtract each column's max before exp: "
    "it cancels in the fraction and nothing overflows."
)

_ACTIVATION_VARIANTS = {
    "sigmoid": ((lambda Z: activations.sigmoid(-Z), "you computed σ(−z): σ(z) = 1/(1 + exp(−z))."),),
    "tanh": ((lambda Z: activations.sigmoid(Z), "you computed the sigmoid, not tanh."),),
    "relu": (
        (lambda Z: np.minimum(Z, 0), "you kept the negative part: relu(z) = max(0, z)."),
        (lambda Z: np.abs(Z), "you returned |z|; relu(z) = max(0, z) sets negatives to 0."),
        (lambda Z: activations.relu_derivative(Z), "you returned the derivative (0 or 1), not max(0, z)."),
    ),
    "softmax": ((lambda Z: np.exp(Z), "you forgot to divide by the sum of each column."),),
}

_DERIVATIVE_VARIANTS = {
    "sigmoid": (
        (lambda Z: activations.sigmoid(Z), "you returned σ(z) itself; the derivative is σ(z)(1 − σ(z))."),
        (lambda Z: Z * (1 - Z), "you applied s(1 − s) to z; first compute s = sigmoid(z)."),
        (lambda Z: -activations.sigmoid_derivative(Z), "the sign is flipped: σ'(z) = σ(z)(1 − σ(z)) > 0."),
    ),
    "tanh": (
        (lambda Z: activations.tanh(Z), "you returned tanh(z) itself; the derivative is 1 − tanh²(z)."),
        (lambda Z: 1 - Z**2, "you applied 1 − t² to z; first compute t = tanh(z)."),
        (lambda Z: 1 + activations.tanh(Z) ** 2, "the sign is flipped: tanh'(z) = 1 − tanh²(z)."),
    ),
    "relu": (
        (lambda Z: activations.relu(Z), "you returned relu(z) itself; its derivative is 1 for z > 0, else 0."),
        (lambda Z: (Z < 0).astype(float), "it is flipped: the derivative is 1 for z > 0 and 0 for z < 0."),
    ),
}


def _sums_to_one(axis):
    return lambda A, Z: bool(np.allclose(A.sum(axis=axis), 1.0))


_SOFTMAX_SYMPTOMS = (
    (_sums_to_one(1), "each row sums to 1, but examples are columns: normalise over axis=0."),
    (_sums_to_one(None), "the whole matrix sums to 1; each column (example) should: sum over axis=0, keepdims=True."),
    (lambda A, Z: not np.allclose(A.sum(axis=0), 1.0), "each column of softmax(Z) should sum to 1."),
)


def check_activation(name, fn):
    """Check ``fn(Z) -> A``, the activation ``name`` on Z (n, m), against mathnn.activations."""
    g = activations.get(name)
    hint = _SOFTMAX_STABLE if name == "softmax" else _SIGMOID_STABLE if name == "sigmoid" else ""
    symptoms = _SOFTMAX_SYMPTOMS if name == "softmax" else ()
    answer = Answer(
        "A", g.value, _ACTIVATION_VARIANTS.get(name, ()), hint or "A has the shape of Z.", symptoms=symptoms
    )
    return check(f"check_{name}", fn, z_cases(), [answer])


def check_activation_derivative(name, fn, cases=None):
    """Check ``fn(Z) -> g'(Z)`` elementwise (Z (n, m), no entry at a kink) against mathnn.activations.

    ``cases`` replaces the default inputs, which include entries of size 1000.
    """
    g = activations.get(name)
    if not g.elementwise:
        raise ValueError(f"{name} is not elementwise: its derivative is a Jacobian; check softmax_backward instead.")
    answer = Answer("g'(Z)", g.derivative, _DERIVATIVE_VARIANTS.get(name, ()), "g'(Z) has the shape of Z.")
    return check(f"check_{name}_derivative", fn, cases or z_cases(avoid_zero=True), [answer])


def _moderate_cases():
    """Inputs with |z| <= 30: there exp(±z) stays finite, so the formula as derived is fine.

    Chapter 1 asks for sigma' before chapter 3 teaches overflow; e^{-z} / (1 + e^{-z})^2 gives
    inf / inf = nan at z = -1000, which is not the exercise's point.
    """
    typical = z_cases(avoid_zero=True)[0]
    edges = np.array([[-30.0, -12.0, 0.5, 12.0, 30.0], [20.0, -2.0, 1.0, 3.0, -20.0]])
    return [typical, {"Z": edges}]


def check_sigmoid(fn):
    r"""Check ``fn(Z)`` computes :math:`\sigma(z) = 1/(1 + e^{-z})` elementwise, also for :math:`|z|` up to 1000."""
    return check_activation("sigmoid", fn)


def check_tanh(fn):
    """Check ``fn(Z)`` computes tanh elementwise."""
    return check_activation("tanh", fn)


def check_relu(fn):
    """Check ``fn(Z)`` computes max(0, z) elementwise."""
    return check_activation("relu", fn)


def check_softmax(fn):
    r"""Check ``fn(Z)`` computes softmax over each column of Z (n, m), also for entries up to 1000."""
    return check_activation("softmax", fn)


def check_sigmoid_derivative(fn):
    r"""Check ``fn(Z)`` computes :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))` elementwise, for :math:`|z| \le 30`.

    Chapter 1's exercise: the direct formula :math:`e^{-z} / (1 + e^{-z})^2` passes on this range.
    """
    return check_activation_derivative("sigmoid", fn, _moderate_cases())


def check_tanh_derivative(fn):
    r"""Check ``fn(Z)`` computes :math:`1 - \tanh^2 z` elementwise."""
    return check_activation_derivative("tanh", fn)


def check_relu_derivative(fn):
    """Check ``fn(Z)`` computes 1 where z > 0 and 0 where z < 0."""
    return check_activation_derivative("relu", fn)
