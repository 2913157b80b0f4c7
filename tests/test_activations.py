"""Every activation's derivative against centred differences and against SymPy."""

import numpy as np
import pytest
import sympy as sp

from mathnn import activations
from mathnn.gradcheck import numerical_gradient

ELEMENTWISE = [name for name, a in activations.ACTIVATIONS.items() if a.elementwise]


def points_away_from_kinks(seed=0, n=(3, 40)):
    Z = np.random.default_rng(seed).uniform(-6, 6, n)
    Z[np.abs(Z) < 1e-2] = 0.5  # relu, leaky relu and step have a kink at 0
    return Z


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_centred_differences(name):
    g = activations.get(name)
    Z = points_away_from_kinks()
    numeric = numerical_gradient(lambda: g.value(Z).sum(), Z)
    np.testing.assert_allclose(g.derivative(Z), numeric, atol=1e-7)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_value_and_derivative_match_sympy(name):
    g = activations.get(name)
    z = sp.Symbol("z", real=True)
    form = g.sympy(z, sp)
    value = sp.lambdify(z, form, modules=[{"Heaviside": lambda x, h=1: np.heaviside(x, h)}, "numpy"])
    derivative = sp.lambdify(z, sp.diff(form, z), modules=[{"DiracDelta": np.zeros_like}, "numpy"])
    Z = points_away_from_kinks(seed=1)
    np.testing.assert_allclose(g.value(Z), value(Z) * np.ones_like(Z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g.derivative(Z), derivative(Z) * np.ones_like(Z), rtol=1e-12, atol=1e-15)


def test_sigmoid_derivative_is_s_times_one_minus_s_and_at_most_a_quarter():
    z = sp.Symbol("z", real=True)
    s = activations.get("sigmoid").sympy(z, sp)
    assert sp.simplify(sp.diff(s, z) - s * (1 - s)) == 0
    Z = np.linspace(-10, 10, 2001)[None, :]
    assert activations.sigmoid_derivative(Z).max() == pytest.approx(0.25)


def test_softmax_backward_is_the_jacobian_vector_product():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(4, 6))
    dA = rng.normal(size=(4, 6))
    A = activations.softmax(Z)
    dZ = activations.softmax_backward(dA, A)
    for i in range(Z.shape[1]):
        J = activations.softmax_jacobian(Z[:, [i]])
        np.testing.assert_allclose(dZ[:, [i]], J.T @ dA[:, [i]], atol=1e-14)


def test_softmax_jacobian_matches_sympy_and_centred_differences():
    zs = sp.symbols("z0:3", real=True)
    z = sp.Matrix(zs)
    form = activations.get("softmax").sympy(z, sp)
    jacobian = sp.lambdify(zs, form.jacobian(z), "numpy")
    point = np.array([[0.3], [-1.2], [2.0]])
    np.testing.assert_allclose(activations.softmax_jacobian(point), jacobian(*point[:, 0]), atol=1e-14)
    numeric = np.vstack([numerical_gradient(lambda j=j: activations.softmax(point)[j, 0], point).T for j in range(3)])
    np.testing.assert_allclose(activations.softmax_jacobian(point), numeric, atol=1e-8)


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_extreme_inputs_give_finite_values_without_warnings(name):
    Z = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4], [1e4, 3.0, -3.0, 0.0, -1e4]])
    g = activations.get(name)
    A = g.value(Z)  # pytest turns any numpy warning into an error
    assert np.isfinite(A).all()
    dZ = g.backward(np.ones_like(Z), Z, A)
    assert np.isfinite(dZ).all()


def test_softmax_columns_are_distributions_and_sigmoid_saturates_exactly():
    A = activations.softmax(np.array([[1e4, 0.0], [-1e4, 0.0]]))
    np.testing.assert_allclose(A.sum(axis=0), 1.0)
    assert A[0, 0] == 1.0 and A[1, 0] == 0.0
    assert activations.sigmoid(np.array([[1e4, -1e4]])).tolist() == [[1.0, 0.0]]


def test_step_fires_at_zero_and_has_zero_derivative():
    assert activations.step(np.array([[-0.1, 0.0, 0.1]])).tolist() == [[0.0, 1.0, 1.0]]
    assert not activations.step_derivative(np.array([[-0.1, 0.1]])).any()


def test_unknown_activation_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'relux'.*leaky_relu.*relu.*sigmoid"):
        activations.get("relux")
    with pytest.raises(TypeError, match="by name"):
        activations.get(3)
