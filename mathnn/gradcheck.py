r"""Finite-difference gradient checks: does backpropagation compute the true derivative?

For every parameter :math:`\theta` the centred difference

.. math::
    \frac{\partial C}{\partial \theta} \approx \frac{C(\theta + \varepsilon) - C(\theta - \varepsilon)}{2\varepsilon}

has an error of order :math:`\varepsilon^2`. We compare it with the analytic gradient by the relative error
:math:`\lVert a - n \rVert / (\lVert a \rVert + \lVert n \rVert)` over each parameter tensor: below 1e-7
in float64 the backward pass is right, above 1e-3 it is wrong, and in between look again (a ReLU kink,
float32, tiny gradients), as chapter 5 of the book says. (Norms, rather than a
ratio entry by entry, keep a few near-zero entries from blowing the ratio up.)

Use float64, a few examples, and random non-zero weights; with ReLU keep the inputs away from the
kink at z = 0, where the derivative jumps and a finite difference straddling it is meaningless.
"""

import time

import numpy as np

from mathnn.validate import check_count


def numerical_gradient(f, x, eps=1e-6):
    """The centred-difference gradient of the scalar function ``f()`` with respect to the array ``x``.

    ``x`` is changed in place, one entry at a time, and restored; ``f`` reads it.

    Returns
    -------
    ndarray of x's shape
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = f()
        x[index] = original - eps
        minus = f()
        x[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric):
    """‖a − n‖ / (‖a‖ + ‖n‖), and 0 when both are exactly 0."""
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / denominator)


class GradcheckReport:
    """One row per parameter tensor: its name (``W1``, ``b1``, ...), shape and relative error."""

    def __init__(self, rows):
        self.rows = rows

    @property
    def max_error(self):
        return max(error for _, _, error in self.rows)

    def passed(self, tolerance=1e-6):
        return self.max_error < tolerance

    def __str__(self):
        lines = [f"{'parameter':<10}{'shape':<12}{'relative error':>16}"]
        for name, shape, error in self.rows:
            lines.append(f"{name:<10}{str(shape):<12}{error:>16.2e}")
        lines.append(f"largest relative error: {self.max_error:.2e}")
        return "\n".join(lines)


def _seconds(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


MAX_PARAMETERS = 10_000
"""The most parameters :func:`check_network` varies unless told otherwise (the capstone network has 5,226)."""


def check_network(network, X, Y, eps=1e-6, max_parameters=MAX_PARAMETERS):
    """Compare the network's backpropagated gradients with centred differences of its cost.

    Every parameter is nudged twice, so the check costs two forward passes per parameter: a few
    seconds for thousands of parameters, minutes for hundreds of thousands.

    Parameters
    ----------
    network : mathnn.network.Network
    X : array_like of shape (n_features, m); Y : array_like of shape (n_outputs, m)
    max_parameters : int
        Refuse, with an estimate of the time it would take, a network with more parameters than
        this; pass a larger number to check it anyway.

    Returns
    -------
    GradcheckReport
        The network's parameters are left exactly as they were.
    """
    X, Y = network.check_XY(X, Y)
    max_parameters = check_count(max_parameters, "max_parameters")

    def cost():
        return network._cost(network._forward(X), Y)

    count = sum(parameter.size for parameter in network.parameters)
    if count > max_parameters:
        seconds = 2 * count * min(_seconds(cost) for _ in range(3))
        raise ValueError(
            f"check_network would nudge each of the network's {count:,} parameters twice: {2 * count:,} forward "
            f"passes over {X.shape[1]:,} examples, about {seconds:,.0f} s here, more than the {max_parameters:,} "
            f"parameters it checks unless told. A gradient check needs no big network: check a smaller one "
            f"with the same kinds of layers on a few examples (e.g. X[:, :5]), or pass "
            f"max_parameters={count} to run this one anyway."
        )
    network._backward(network._forward(X), Y)
    analytic = [gradient.copy() for gradient in network.gradients]

    rows = []
    names = [f"{kind}{l}" for l in range(1, len(network.layers) + 1) for kind in ("W", "b")]
    for name, parameter, gradient in zip(names, network.parameters, analytic):
        numeric = numerical_gradient(cost, parameter, eps)
        rows.append((name, parameter.shape, relative_error(gradient, numeric)))
    return GradcheckReport(rows)
