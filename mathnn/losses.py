r"""Losses ℓ, the costs C they give, and the gradients dY_hat = ∂C/∂Ŷ.

Predictions ``Y_hat`` and targets ``Y`` have the shape (n_outputs, m), examples as columns. A loss
ℓ(ŷ, y) judges one example; the cost C is its mean over the m examples, as in the notation page, so every
function here returns C (not a sum) and every gradient carries a factor 1/m.

**log(0).** Cross-entropy takes ``log(Y_hat)``, and a saturated sigmoid or softmax gives exactly 0 or 1
in float64. ``value`` and ``gradient`` therefore clip ``Y_hat`` into [EPS, 1 − EPS] with EPS = 1e-12: the
loss of a confidently wrong prediction is then large (about 27.6 per example) but finite. Training does
not need the clip: :class:`mathnn.network.Network` pairs sigmoid with binary cross-entropy and softmax
with categorical cross-entropy and computes both the cost and dZ = (A − Y)/m from the pre-activations
``Z`` (see :func:`binary_cross_entropy_from_logits`), where no log of 0 ever appears.
"""

from collections import namedtuple

import numpy as np

from mathnn.validate import as_matrix, check_binary_labels, check_one_hot, check_same_shape, lookup

EPS = 1e-12


def mse(Y_hat, Y):
    r""":math:`C = \frac{1}{m}\sum_i \lVert \hat y^{(i)} - y^{(i)} \rVert^2`, squared errors summed over outputs."""
    return float(np.sum((Y_hat - Y) ** 2) / Y.shape[1])


def mse_gradient(Y_hat, Y):
    r""":math:`\partial C / \partial \hat Y = \frac{2}{m} (\hat Y - Y)`."""
    return 2.0 * (Y_hat - Y) / Y.shape[1]


def binary_cross_entropy(Y_hat, Y):
    r""":math:`C = -\frac{1}{m}\sum_i \big[y \log \hat y + (1-y)\log(1-\hat y)\big]`, with ŷ clipped to [EPS, 1−EPS]."""
    P = np.clip(Y_hat, EPS, 1.0 - EPS)
    return float(-np.sum(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)) / Y.shape[1])


def binary_cross_entropy_gradient(Y_hat, Y):
    r""":math:`\partial C / \partial \hat Y = \frac{1}{m}\left(\frac{1-y}{1-\hat y} - \frac{y}{\hat y}\right)`.

    ŷ is clipped as in :func:`binary_cross_entropy`.
    """
    P = np.clip(Y_hat, EPS, 1.0 - EPS)
    return ((1.0 - Y) / (1.0 - P) - Y / P) / Y.shape[1]


def binary_cross_entropy_from_logits(Z, Y):
    r"""The same cost computed from the sigmoid's input Z, exact for any Z.

    With :math:`\hat y = \sigma(z)`, :math:`\ell = \max(z, 0) - z y + \log(1 + e^{-|z|})`.
    """
    return float(np.sum(np.maximum(Z, 0.0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))) / Y.shape[1])


def categorical_cross_entropy(Y_hat, Y):
    r""":math:`C = -\frac{1}{m}\sum_i \sum_k y_k \log \hat y_k` against one-hot ``Y``, ŷ clipped to [EPS, 1]."""
    return float(-np.sum(Y * np.log(np.clip(Y_hat, EPS, 1.0))) / Y.shape[1])


def categorical_cross_entropy_gradient(Y_hat, Y):
    r""":math:`\partial C / \partial \hat Y = -\frac{1}{m}\, Y / \hat Y`, ŷ clipped."""
    return -Y / np.clip(Y_hat, EPS, 1.0) / Y.shape[1]


def categorical_cross_entropy_from_logits(Z, Y):
    r"""The same cost from the softmax's input Z: :math:`\ell = -\sum_k y_k (z_k - \log\sum_j e^{z_j})`."""
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(-np.sum(Y * log_softmax) / Y.shape[1])


def output_gradient(A, Y):
    r"""dZ of the output layer when the activation and the loss are paired: :math:`(A - Y)/m`.

    For sigmoid with binary cross-entropy and for softmax with categorical cross-entropy, the
    derivative of the activation cancels the denominator of the loss's gradient exactly.
    """
    return (A - Y) / Y.shape[1]


def _any_targets(Y, name="Y"):
    """Mean squared error takes any real targets: nothing to check."""


class Loss(
    namedtuple(
        "Loss",
        "name value gradient_unchecked check_targets sympy paired_activation from_logits",
        defaults=(None, None),
    )
):
    """One loss ℓ: the cost C it gives (ℓ averaged over the examples), the gradient of C, and ℓ in SymPy.

    Attributes
    ----------
    name : str
    value : callable
        (Y_hat, Y) to the cost C, a float, without checks; call the Loss itself for checked input.
    gradient_unchecked : callable
        (Y_hat, Y) to dY_hat, of Y_hat's shape, without checks; :meth:`gradient` checks.
    check_targets : callable
        Raises ValueError for targets this loss cannot take.
    sympy : callable
        (y_hat, y, sympy) to the per-example loss ℓ of one output, a SymPy expression.
    paired_activation : str or None
        The output activation whose dZ is simply (A − Y)/m.
    from_logits : callable or None
        (Z, Y) to the cost computed from the output layer's pre-activations Z.
    """

    __slots__ = ()

    def _checked(self, Y_hat, Y):
        Y_hat = as_matrix(Y_hat, "Y_hat")
        Y = as_matrix(Y, "Y")
        check_same_shape(Y_hat, Y)
        self.check_targets(Y)
        return Y_hat, Y

    def __call__(self, Y_hat, Y):
        """The cost C for predictions ``Y_hat`` and targets ``Y``, both (n_outputs, m), checked."""
        return self.value(*self._checked(Y_hat, Y))

    def gradient(self, Y_hat, Y):
        """dY_hat = ∂C/∂Ŷ, shape (n_outputs, m), checked."""
        return self.gradient_unchecked(*self._checked(Y_hat, Y))


LOSSES = {
    "mse": Loss("mse", mse, mse_gradient, _any_targets, lambda y_hat, y, sp: (y_hat - y) ** 2),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy",
        binary_cross_entropy,
        binary_cross_entropy_gradient,
        check_binary_labels,
        lambda y_hat, y, sp: -(y * sp.log(y_hat) + (1 - y) * sp.log(1 - y_hat)),
        paired_activation="sigmoid",
        from_logits=binary_cross_entropy_from_logits,
    ),
    "categorical_cross_entropy": Loss(
        "categorical_cross_entropy",
        categorical_cross_entropy,
        categorical_cross_entropy_gradient,
        check_one_hot,
        lambda y_hat, y, sp: -y * sp.log(y_hat),
        paired_activation="softmax",
        from_logits=categorical_cross_entropy_from_logits,
    ),
}


def get(name):
    """Return the :class:`Loss` called ``name``; an unknown name raises a ValueError listing the known ones."""
    if isinstance(name, Loss):
        return name
    return lookup(LOSSES, name, "loss")
