"""Whole-network gradient checks: backpropagation against centred differences."""

import numpy as np
import pytest

from mathnn import Dense, Network, data, layers
from mathnn.gradcheck import check_network, numerical_gradient, relative_error

ARCHITECTURES = [[3, 1], [3, 4, 2], [3, 5, 4, 2]]
# A softmax over one unit is 1 whatever Z is: its cost and every gradient are 0, so its check could not fail.
# Those cases take two output units instead.
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUTS = [
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "categorical_cross_entropy"),
    ("linear", "mse"),
    ("sigmoid", "mse"),
    ("tanh", "mse"),
]


def problem(sizes, output, loss, m=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(sizes[0], m))
    n = sizes[-1]
    if loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, size=(n, m)).astype(float)
    elif loss == "categorical_cross_entropy":
        Y = data.one_hot(rng.integers(0, n, size=(1, m)).astype(float), n)
    else:
        Y = rng.normal(size=(n, m))
    return X, Y


def away_from_kinks(net, X):
    """Move any hidden pre-activation that sits within 1e-3 of 0 by adjusting that unit's bias."""
    for _ in range(10):
        A, moved = X, False
        for layer in net.layers:
            Z = layer.W @ A + layer.b
            close = (np.abs(Z) < 1e-3).any(axis=1)
            if close.any():
                layer.b = layer.b + 0.01 * close[:, None]
                moved = True
                break
            A = layer.activation.value(Z)
        if not moved:
            return


@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("output", "loss"), OUTPUTS, ids=lambda x: x)
def test_backprop_matches_centred_differences(sizes, hidden, output, loss):
    if output == "softmax" and sizes[-1] == 1:
        sizes = [*sizes[:-1], 2]
    X, Y = problem(sizes, output, loss)
    net = Network.from_sizes(sizes, hidden=hidden, output=output, loss=loss, init="xavier", seed=1)
    for layer in net.layers:  # non-zero biases, so a dropped db term would show
        layer.b = np.random.default_rng(2).normal(scale=0.3, size=layer.b.shape)
    away_from_kinks(net, X)
    report = check_network(net, X, Y)
    assert report.passed(1e-6), str(report)
    # A check can only fail where there is a gradient: every tensor's must be far from 0.
    for name, gradient in zip(["W", "b"] * len(net.layers), net.gradients):
        assert np.linalg.norm(gradient) > 1e-4, f"{name} has the trivial gradient {gradient.tolist()}: a useless check"


def test_gradcheck_leaves_the_parameters_unchanged():
    X, Y = problem([3, 4, 2], "softmax", "categorical_cross_entropy")
    net = Network.from_sizes([3, 4, 2], hidden="tanh", output="softmax", loss="categorical_cross_entropy", seed=0)
    before = [p.copy() for p in net.parameters]
    check_network(net, X, Y)
    for p, q in zip(before, net.parameters):
        assert np.array_equal(p, q)


class ForgetsTheBiasGradient(Dense):
    def backward_from_dZ(self, dZ):
        dA_prev = super().backward_from_dZ(dZ)
        self.db = np.zeros_like(self.db)
        return dA_prev


class ForgetsToTranspose(Dense):
    """Uses W instead of W.T when passing the gradient back (square W, so the shapes still fit)."""

    def backward_from_dZ(self, dZ):
        (A_prev, W), _, _ = self.cache
        self.dW, self.db = dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)
        return W @ dZ


@pytest.mark.parametrize("broken", [ForgetsTheBiasGradient, ForgetsToTranspose])
def test_checker_fails_on_a_deliberately_wrong_gradient(broken):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 6))
    Y = rng.integers(0, 2, size=(1, 6)).astype(float)
    net = Network(
        [Dense(3, 3, "tanh", seed=1), broken(3, 3, "tanh", seed=2), Dense(3, 1, "sigmoid", seed=3)],
        "binary_cross_entropy",
    )
    for layer in net.layers:
        layer.b = rng.normal(size=layer.b.shape)
    report = check_network(net, X, Y)
    assert not report.passed(1e-6)
    assert report.max_error > 1e-3, str(report)


def test_dense_backward_gradients_have_the_shapes_of_what_they_differentiate():
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(4, 7)), rng.normal(size=(3, 4)), rng.normal(size=(3, 1))
    Z, cache = layers.dense_forward(A_prev, W, b)
    dA_prev, dW, db = layers.dense_backward(rng.normal(size=Z.shape), cache)
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)


def test_dense_backward_against_centred_differences_of_a_weighted_sum():
    """C = Σ R ⊙ Z has ∂C/∂Z = R, so dense_backward(R, ...) must give the true dW, db and dA_prev."""
    rng = np.random.default_rng(1)
    A_prev, W, b = rng.normal(size=(4, 7)), rng.normal(size=(3, 4)), rng.normal(size=(3, 1))
    R = rng.normal(size=(3, 7))

    def cost():
        return float(np.sum(R * layers.dense_forward(A_prev, W, b)[0]))

    dA_prev, dW, db = layers.dense_backward(R, layers.dense_forward(A_prev, W, b)[1])
    for analytic, x in [(dW, W), (db, b), (dA_prev, A_prev)]:
        assert relative_error(analytic, numerical_gradient(cost, x)) < 1e-8


def test_report_lists_every_parameter_tensor():
    X, Y = problem([3, 4, 2], "softmax", "categorical_cross_entropy")
    net = Network.from_sizes([3, 4, 2], hidden="tanh", output="softmax", loss="categorical_cross_entropy", seed=0)
    report = check_network(net, X, Y)
    assert [row[0] for row in report.rows] == ["W1", "b1", "W2", "b2"]
    assert "largest relative error" in str(report)


def test_the_loop_version_of_the_forward_pass_agrees_with_the_matrix_version():
    rng = np.random.default_rng(4)
    A_prev, W, b = rng.normal(size=(3, 6)), rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    np.testing.assert_allclose(layers.dense_forward_loops(A_prev, W, b), layers.dense_forward(A_prev, W, b)[0], atol=1e-13)


def test_a_gradient_check_of_a_big_network_is_refused_at_once_with_its_cost():
    """66,817 parameters would take some 20 s: say so, and how to run it anyway, instead of going silent."""
    net = Network.from_sizes([2, 256, 256, 1], seed=0)
    X, Y = problem([2, 256, 256, 1], "sigmoid", "binary_cross_entropy")
    with pytest.raises(
        ValueError,
        match=r"nudge each of the network's 66,817 parameters twice: 133,634 forward passes over 5 examples, "
        r"about \d[\d,]* s here.*pass max_parameters=66817 to run this one anyway",
    ):
        check_network(net, X, Y)
    small = Network.from_sizes([3, 4, 2], hidden="tanh", output="softmax", loss="categorical_cross_entropy", seed=0)
    X, Y = problem([3, 4, 2], "softmax", "categorical_cross_entropy")
    with pytest.raises(ValueError, match="26 parameters"):
        check_network(small, X, Y, max_parameters=25)
    assert check_network(small, X, Y, max_parameters=26).passed()
