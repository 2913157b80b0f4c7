r"""Chapter 5, the chain rule and backpropagation: a dense layer's backward pass, piece by piece."""

import numpy as np

from mathnn import layers, losses
from mathnn.exercises._harness import Answer, check, layer_cases, pick


def _backward(dZ, A_prev, W):
    return layers.dense_backward(dZ, (A_prev, W))


_TWICE = "it is m times too small: dZ already carries the 1/m of the cost, so do not divide by m again."
_TIMES_M = "it is m times too large: dZ already carries the 1/m, so use it as it is."


def _gradient_answers():
    dA_prev = Answer(
        "dA_prev",
        lambda dZ, A_prev, W: _backward(dZ, A_prev, W)[0],
        (
            (lambda dZ, A_prev, W: -W.T @ dZ, "the sign is flipped: dA_prev = W.T @ dZ."),
            (lambda dZ, A_prev, W: W.T @ dZ / dZ.shape[1], _TWICE),
        ),
        "dA_prev has the shape of A_prev, (n_prev, m): dA_prev = W.T @ dZ.",
    )
    dW = Answer(
        "dW",
        lambda dZ, A_prev, W: _backward(dZ, A_prev, W)[1],
        (
            (lambda dZ, A_prev, W: -dZ @ A_prev.T, "the sign is flipped: dW = dZ @ A_prev.T."),
            (lambda dZ, A_prev, W: dZ @ A_prev.T / dZ.shape[1], _TWICE),
            (lambda dZ, A_prev, W: dZ @ A_prev.T * dZ.shape[1], _TIMES_M),
        ),
        "dW has the shape of W, (n, n_prev): dW = dZ @ A_prev.T.",
    )
    db = Answer(
        "db",
        lambda dZ, A_prev, W: _backward(dZ, A_prev, W)[2],
        (
            (lambda dZ, A_prev, W: dZ.mean(axis=1, keepdims=True), _TWICE + " Use dZ.sum, not dZ.mean."),
            (lambda dZ, A_prev, W: -dZ.sum(axis=1, keepdims=True), "the sign is flipped."),
        ),
        "db has the shape of b, (n, 1): sum dZ over the examples, dZ.sum(axis=1, keepdims=True).",
    )
    return dA_prev, dW, db


def _only(answer):
    """The same answer for a function that takes dZ and only some of (A_prev, W)."""

    def pick(function):
        def given_only(dZ, **given):
            n, m = dZ.shape
            return function(dZ, given.get("A_prev", np.ones((1, m))), given.get("W", np.ones((n, 1))))

        return given_only

    return Answer(
        answer.name, pick(answer.reference), tuple((pick(f), why) for f, why in answer.variants), answer.hint
    )


def check_dense_backward(fn):
    r"""Check ``fn(dZ, A_prev, W) -> (dA_prev, dW, db)``, the backward pass of :math:`Z = W A_{prev} + b`.

    .. math:: dA_{prev} = W^\top dZ, \qquad dW = dZ\, A_{prev}^\top, \qquad db = \textstyle\sum_{\text{columns}} dZ

    dZ (n, m) already carries the 1/m of the cost. The reference is :func:`mathnn.layers.dense_backward`.
    """
    cases = pick(layer_cases(), "dZ", "A_prev", "W")
    return check("check_dense_backward", fn, cases, list(_gradient_answers()))


def check_dW(fn):
    """Check ``fn(dZ, A_prev) -> dW`` with dW = dZ @ A_prev.T, shape (n, n_prev)."""
    cases = pick(layer_cases(), "dZ", "A_prev")
    return check("check_dW", fn, cases, [_only(_gradient_answers()[1])])


def check_db(fn):
    """Check ``fn(dZ) -> db`` with db = dZ summed over the examples, shape (n, 1)."""
    return check("check_db", fn, pick(layer_cases(), "dZ"), [_only(_gradient_answers()[2])])


def check_dA_prev(fn):
    """Check ``fn(dZ, W) -> dA_prev`` with dA_prev = W.T @ dZ, shape (n_prev, m)."""
    return check("check_dA_prev", fn, pick(layer_cases(), "dZ", "W"), [_only(_gradient_answers()[0])])


def check_output_dZ(fn):
    r"""Check ``fn(A, Y) -> dZ`` for a sigmoid output with binary cross-entropy: :math:`dZ = (A - Y)/m`."""
    rng = np.random.default_rng(5)
    cases = [{"A": rng.uniform(0.05, 0.95, (1, 5)), "Y": rng.integers(0, 2, (1, 5)).astype(float)}]
    answer = Answer(
        "dZ",
        losses.output_gradient,
        (
            (lambda A, Y: (Y - A) / Y.shape[1], "the sign is flipped: dZ = (A − Y)/m."),
            (lambda A, Y: A - Y, "it is m times too large: the cost is averaged, so divide by m."),
            (lambda A, Y: (A - Y) / Y.shape[1] ** 2, "it is m times too small: you divided by m twice."),
        ),
        "dZ has the shape of A, (1, m).",
    )
    return check("check_output_dZ", fn, cases, [answer])
