"""Every loss gradient against centred differences and SymPy; stability at the extremes."""

import numpy as np
import pytest
import sympy as sp

from mathnn import activations, data, losses
from mathnn.gradcheck import numerical_gradient

M = 7


def targets(name, rng, n=3):
    if name == "mse":
        return rng.normal(size=(n, M))
    if name == "binary_cross_entropy":
        return rng.integers(0, 2, size=(n, M)).astype(float)
    return data.one_hot(rng.integers(0, n, size=(1, M)).astype(float), n)


def predictions(rng, n=3):
    return rng.uniform(0.05, 0.95, size=(n, M))


@pytest.mark.parametrize("name", list(losses.LOSSES))
def test_gradient_matches_centred_differences(name):
    rng = np.random.default_rng(0)
    loss = losses.get(name)
    Y, Y_hat = targets(name, rng), predictions(rng)
    numeric = numerical_gradient(lambda: loss(Y_hat, Y), Y_hat)
    np.testing.assert_allclose(loss.gradient(Y_hat, Y), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", list(losses.LOSSES))
def test_value_and_gradient_match_sympy(name):
    """The cost is the mean over m of ℓ summed over outputs; its gradient is ∂ℓ/∂ŷ divided by m."""
    rng = np.random.default_rng(1)
    loss = losses.get(name)
    Y, Y_hat = targets(name, rng), predictions(rng)
    y_hat, y = sp.symbols("y_hat y", real=True)
    ell = loss.sympy(y_hat, y, sp)
    value = sp.lambdify((y_hat, y), ell, "numpy")
    slope = sp.lambdify((y_hat, y), sp.diff(ell, y_hat), "numpy")
    assert loss(Y_hat, Y) == pytest.approx(value(Y_hat, Y).sum() / M, rel=1e-12)
    np.testing.assert_allclose(loss.gradient(Y_hat, Y), slope(Y_hat, Y) / M, rtol=1e-12)


@pytest.mark.parametrize("name", list(losses.LOSSES))
@pytest.mark.parametrize("z", [1e4, 50.0, 0.0])
def test_saturated_outputs_give_finite_values_and_gradients_without_warnings(name, z):
    """Outputs of sigmoid or softmax at |z| up to 1e4 are exactly 0 or 1 in float64."""
    Z = np.array([[z, -z, z, -z], [-z, z, z, -z]])
    if name == "categorical_cross_entropy":
        Y_hat, Y = activations.softmax(Z), np.array([[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
    else:
        Y_hat, Y = activations.sigmoid(Z), np.array([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]])
    loss = losses.get(name)
    value = loss(Y_hat, Y)  # pytest turns any numpy warning into an error
    assert np.isfinite(value) and value >= 0
    assert np.isfinite(loss.gradient(Y_hat, Y)).all()


@pytest.mark.parametrize("z", [1e4, -1e4, 40.0, -40.0, 0.0])
def test_from_logits_paths_are_finite_and_agree_with_the_clipped_path(z):
    Z = np.array([[z, -z / 2]])
    Y = np.array([[1.0, 0.0]])
    exact = losses.binary_cross_entropy_from_logits(Z, Y)
    assert np.isfinite(exact)
    if abs(z) <= 20:
        assert exact == pytest.approx(losses.binary_cross_entropy(activations.sigmoid(Z), Y), rel=1e-9)
    Z2 = np.vstack([Z, -Z])
    Y2 = np.array([[1.0, 0.0], [0.0, 1.0]])
    exact2 = losses.categorical_cross_entropy_from_logits(Z2, Y2)
    assert np.isfinite(exact2)
    if abs(z) <= 20:
        assert exact2 == pytest.approx(losses.categorical_cross_entropy(activations.softmax(Z2), Y2), rel=1e-9)


def test_confident_wrong_prediction_costs_the_clip_value():
    cost = losses.binary_cross_entropy(np.array([[1.0]]), np.array([[0.0]]))
    assert cost == pytest.approx(-np.log(losses.EPS), rel=1e-3)


@pytest.mark.parametrize(
    ("activation", "loss"), [("sigmoid", "binary_cross_entropy"), ("softmax", "categorical_cross_entropy")]
)
def test_paired_output_gradient_is_A_minus_Y_over_m(activation, loss):
    """The chain through the activation's derivative gives the same dZ as the shortcut (A − Y)/m."""
    rng = np.random.default_rng(3)
    g, ell = activations.get(activation), losses.get(loss)
    Z = rng.normal(size=(3, M))
    Y = targets(loss, rng)
    A = g.value(Z)
    long_way = g.backward(ell.gradient(A, Y), Z, A)
    np.testing.assert_allclose(losses.output_gradient(A, Y), long_way, atol=1e-12)


def test_mse_is_mean_over_examples_of_squared_norm():
    Y_hat = np.array([[1.0, 2.0], [3.0, 4.0]])
    Y = np.zeros((2, 2))
    assert losses.get("mse")(Y_hat, Y) == pytest.approx((1 + 9 + 4 + 16) / 2)
