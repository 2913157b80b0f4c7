"""Activation functions g, their derivatives g', and their SymPy forms, in one registry.

Each function acts on a matrix ``Z`` of shape (n, m) — n units, m examples as columns — and
returns an array of the same shape. Every elementwise activation has its derivative written right
under it. Softmax is not elementwise: each column's outputs depend on the whole column, so its
derivative is a Jacobian matrix per example and backpropagation uses the Jacobian-vector product
:func:`softmax_backward` instead.

The SymPy form of each activation lives in the same registry entry as the numpy code, so the
symbolic derivations of the book and the numbers of the code cannot drift apart. The forms take
the ``sympy`` module as an argument, so this module imports numpy alone.

Examples
--------
>>> import numpy as np
>>> from mathnn.activations import get
>>> relu = get("relu")
>>> relu.value(np.array([[-2.0, 3.0]]))
array([[0., 3.]])
>>> relu.derivative(np.array([[-2.0, 3.0]]))
array([[0., 1.]])
"""

from collections import namedtuple

import numpy as np

from mathnn.validate import lookup

LEAKY_SLOPE = 0.01  # the slope of leaky ReLU for z < 0


def linear(Z):
    r"""The identity, :math:`g(z) = z`, for outputs that may take any real value."""
    return np.asarray(Z, dtype=np.float64)


def linear_derivative(Z):
    r""":math:`g'(z) = 1`."""
    return np.ones_like(Z, dtype=np.float64)


def sigmoid(Z):
    r"""The logistic sigmoid, :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    Written so that ``exp`` only ever sees a non-positive number: no overflow for any ``z``.
    """
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(-np.abs(Z))  # in (0, 1]
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def sigmoid_derivative(Z):
    r""":math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`, at most 1/4 (at z = 0)."""
    S = sigmoid(Z)
    return S * (1.0 - S)


def tanh(Z):
    r"""The hyperbolic tangent, :math:`\tanh z = (e^z - e^{-z}) / (e^z + e^{-z})`."""
    return np.tanh(np.asarray(Z, dtype=np.float64))


def tanh_derivative(Z):
    r""":math:`\tanh'(z) = 1 - \tanh^2 z`."""
    T = tanh(Z)
    return 1.0 - T * T


def relu(Z):
    r"""The rectified linear unit, :math:`\operatorname{relu}(z) = \max(0, z)`."""
    return np.maximum(np.asarray(Z, dtype=np.float64), 0.0)


def relu_derivative(Z):
    r""":math:`\operatorname{relu}'(z) = 1` for z > 0, else 0 (we take 0 at the kink z = 0)."""
    return (np.asarray(Z) > 0).astype(np.float64)


def leaky_relu(Z):
    r"""Leaky ReLU, :math:`z` for z > 0 and :math:`0.01 z` otherwise: negative units still learn."""
    Z = np.asarray(Z, dtype=np.float64)
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z)


def leaky_relu_derivative(Z):
    r""":math:`1` for z > 0, else 0.01."""
    return np.where(np.asarray(Z) > 0, 1.0, LEAKY_SLOPE)


def step(Z):
    r"""The Heaviside step of the perceptron: 1 when :math:`z \ge 0`, else 0."""
    return (np.asarray(Z) >= 0).astype(np.float64)


def step_derivative(Z):
    r"""0 everywhere except z = 0, where the step has no derivative: gradients cannot flow through it."""
    return np.zeros_like(Z, dtype=np.float64)


def softmax(Z):
    r"""Softmax over each column: :math:`\operatorname{softmax}(z)_j = e^{z_j} / \sum_k e^{z_k}`.

    Subtracting each column's maximum first changes nothing mathematically (the factor
    :math:`e^{-\max}` cancels) but keeps every ``exp`` at most 1, so nothing overflows.
    """
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_jacobian(z):
    r"""The Jacobian :math:`\partial a_j / \partial z_k = a_j(\delta_{jk} - a_k)` of one column.

    Parameters
    ----------
    z : ndarray of shape (n, 1)

    Returns
    -------
    ndarray of shape (n, n)
    """
    a = softmax(z)
    return np.diagflat(a) - a @ a.T


def softmax_backward(dA, A):
    r"""The Jacobian-vector product :math:`dZ = A \odot (dA - \mathbf{1}^\top (A \odot dA))`, column by column.

    This is ``softmax_jacobian(z).T @ da`` for every column at once, without building any n×n matrix.
    """
    return A * (dA - (A * dA).sum(axis=0, keepdims=True))


class Activation(namedtuple("Activation", "name value derivative sympy elementwise", defaults=(True,))):
    """One activation: its numpy value and derivative and its SymPy form.

    Attributes
    ----------
    name : str
    value : callable
        Z of shape (n, m) to A = g(Z) of the same shape.
    derivative : callable or None
        Z of shape (n, m) to g'(Z) of the same shape; None for softmax, which is not elementwise.
    sympy : callable
        (z, sympy) to the SymPy expression of g(z); for softmax z is a SymPy column Matrix.
    elementwise : bool
    """

    __slots__ = ()

    def backward(self, dA, Z, A):
        """dZ = ∂C/∂Z from dA = ∂C/∂A: ``dA * g'(Z)`` elementwise, the Jacobian-vector product for softmax."""
        if self.elementwise:
            return dA * self.derivative(Z)
        return softmax_backward(dA, A)


def _softmax_sympy(z, sp):
    exps = z.applyfunc(sp.exp)
    return exps / sum(exps)


ACTIVATIONS = {
    "linear": Activation("linear", linear, linear_derivative, lambda z, sp: z),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, lambda z, sp: 1 / (1 + sp.exp(-z))),
    "tanh": Activation("tanh", tanh, tanh_derivative, lambda z, sp: sp.tanh(z)),
    "relu": Activation("relu", relu, relu_derivative, lambda z, sp: sp.Max(0, z)),
    "leaky_relu": Activation(
        "leaky_relu",
        leaky_relu,
        leaky_relu_derivative,
        lambda z, sp: sp.Piecewise((z, z > 0), (sp.Rational(1, 100) * z, True)),
    ),
    "step": Activation("step", step, step_derivative, lambda z, sp: sp.Heaviside(z, 1)),
    "softmax": Activation("softmax", softmax, None, _softmax_sympy, elementwise=False),
}


def get(name):
    """Return the :class:`Activation` called ``name``; an unknown name raises a ValueError listing the known ones."""
    if isinstance(name, Activation):
        return name
    return lookup(ACTIVATIONS, name, "activation")
