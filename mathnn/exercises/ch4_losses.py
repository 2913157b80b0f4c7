r"""Chapter 4, losses: each cost and its gradient, checked against mathnn.losses."""

import numpy as np

from mathnn import activations, losses
from mathnn.exercises._harness import Answer, check

_SHORT = {"binary_cross_entropy": "bce", "categorical_cross_entropy": "cce"}


def _loss_cases(name):
    """Y_hat and Y of shape (3, 5) fit for the loss: n_outputs = 3 and m = 5 differ from each other and from 2."""
    rng = np.random.default_rng(4)
    if name == "categorical_cross_entropy":
        Y = np.eye(3)[:, rng.integers(0, 3, 5)]
        return [{"Y_hat": activations.softmax(rng.standard_normal((3, 5))), "Y": Y}]
    Y_hat = rng.uniform(0.05, 0.95, (3, 5))
    Y = rng.integers(0, 2, (3, 5)).astype(float) if name == "binary_cross_entropy" else rng.standard_normal((3, 5))
    return [{"Y_hat": Y_hat, "Y": Y}]


def _scaled(reference, factor):
    return lambda Y_hat, Y: reference(Y_hat, Y) * factor(Y)


def _m(Y):
    return Y.shape[1]


def _factor_variants(reference, two=False):
    """The usual slips: the sign, a factor m (summed, or averaged twice), the outputs averaged too, a factor 2."""
    variants = [
        (_scaled(reference, lambda Y: -1.0), "the sign is flipped."),
        (_scaled(reference, _m), "it is m times too large: divide by m, the number of examples (columns)."),
        (_scaled(reference, lambda Y: 1 / _m(Y)), "it is m times too small: you divided by m twice."),
        (_scaled(reference, lambda Y: 1 / Y.shape[0]), "np.mean averaged over the outputs too; divide by m only."),
    ]
    if two:
        variants += [
            (_scaled(reference, lambda Y: 0.5), "it is half the right value: the book's mse has no ½, so keep the 2."),
            (_scaled(reference, lambda Y: 2.0), "it is twice the right value: is there a factor 2 too many?"),
            (_scaled(reference, lambda Y: _m(Y) / 2), "you forgot both the 1/m and the factor 2."),
        ]
    return tuple(variants)


def check_loss(name, fn):
    """Check ``fn(Y_hat, Y) -> C``, the cost averaged over the m examples, against mathnn.losses."""
    loss = losses.get(name)
    answer = Answer(
        "C", loss.value, _factor_variants(loss.value, two=name == "mse"), "Sum over outputs, divide by m.", number=True
    )
    return check(f"check_{_SHORT.get(name, name)}", fn, _loss_cases(name), [answer])


def check_loss_gradient(name, fn):
    r"""Check ``fn(Y_hat, Y) -> dY_hat`` = :math:`\partial C/\partial \hat Y`, shape (n_outputs, m), 1/m included."""
    loss = losses.get(name)
    variants = _factor_variants(loss.gradient_unchecked, two=name == "mse")
    if name == "binary_cross_entropy":
        variants += ((lambda Y_hat, Y: -Y / Y_hat / _m(Y), "you kept only −y/ŷ; add (1 − y)/(1 − ŷ)."),)
    answer = Answer("dY_hat", loss.gradient_unchecked, variants, "dY_hat has the shape of Y_hat.")
    return check(f"check_{_SHORT.get(name, name)}_gradient", fn, _loss_cases(name), [answer])


def check_mse(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`C = \frac1m \sum_i \lVert \hat y^{(i)} - y^{(i)} \rVert^2`."""
    return check_loss("mse", fn)


def check_bce(fn):
    r"""Check ``fn(Y_hat, Y)`` computes binary cross-entropy averaged over the m examples."""
    return check_loss("binary_cross_entropy", fn)


def check_mse_gradient(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`\frac{2}{m}(\hat Y - Y)`."""
    return check_loss_gradient("mse", fn)


def check_bce_gradient(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`\frac1m\left(\frac{1-Y}{1-\hat Y} - \frac{Y}{\hat Y}\right)`."""
    return check_loss_gradient("binary_cross_entropy", fn)


def check_cce_gradient(fn):
    r"""Check ``fn(Y_hat, Y)`` computes :math:`-\frac1m\, Y / \hat Y` for one-hot Y."""
    return check_loss_gradient("categorical_cross_entropy", fn)


def _logit_cases():
    """Moderate logits of shape (3, 5), then logits as large as ±800 where exp overflows."""
    rng = np.random.default_rng(6)
    Z = rng.normal(0.0, 3.0, (3, 5))
    Y = rng.integers(0, 2, (3, 5)).astype(float)
    Z_far = np.array([[-800.0, -40.0, 0.0, 40.0, 800.0]])
    Y_far = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    return [{"Z": Z, "Y": Y}, {"Z": Z_far, "Y": Y_far}]


def check_bce_from_logits(fn):
    r"""Check ``fn(Z, Y) -> C``: binary cross-entropy of :math:`\sigma(Z)`, computed from the logits Z.

    The right answer is :math:`\frac1m \sum \big[\max(z, 0) - y z + \log(1 + e^{-|z|})\big]`; the test
    inputs include :math:`z = \pm 800`, where a formula that forms :math:`e^{z}` or :math:`\sigma(z)` fails.
    """
    reference = losses.binary_cross_entropy_from_logits
    variants = tuple((lambda Z, Y, f=wrong: f(Z, Y), why) for wrong, why in _factor_variants(reference))
    answer = Answer(
        "C",
        reference,
        variants,
        "Keep exp away from large z: max(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z))).",
        number=True,
        symptoms=(
            (
                lambda got, Z, Y: np.abs(Z).max() > 100 and float(got) < reference(Z, Y) - 1.0,
                "it is too small for |z| = 800: a clipped probability caps each loss near 27.6. "
                "Compute from Z itself: max(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z))).",
            ),
        ),
    )
    return check("check_bce_from_logits", fn, _logit_cases(), [answer])
