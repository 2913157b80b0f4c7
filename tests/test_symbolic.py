"""mathnn.symbolic: SymPy's derivations agree with mathnn's numpy code, number for number."""

import re
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from mathnn import activations, symbolic
from mathnn.activations import ACTIVATIONS
from mathnn.losses import LOSSES
from mathnn.optim import SGD
from mathnn.symbolic import numeric

z = symbolic.z
ELEMENTWISE = [name for name, g in ACTIVATIONS.items() if g.elementwise]


# --- activations and losses ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_symbolic_activation_equals_numpy(name):
    symbolic.verify(symbolic.activation(name), z, ACTIVATIONS[name].value, points=300, seed=1).assert_close()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_symbolic_derivative_equals_numpy_derivative(name):
    result = symbolic.verify(symbolic.derivative(name), z, ACTIVATIONS[name].derivative, points=500, seed=2)
    assert result.ok, result
    assert result.n_points == 500


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tanh", 1 - sp.tanh(z) ** 2),
        ("relu", sp.Heaviside(z)),
        ("step", sp.DiracDelta(z)),
        ("leaky_relu", sp.Piecewise((1, z > 0), (sp.Rational(1, 100), True))),
        ("linear", sp.Integer(1)),
    ],
)
def test_derivative_has_the_textbook_form(name, expected):
    assert symbolic.derivative(name) == expected


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "linear"])
def test_derivative_in_terms_of_the_output_is_proved(name):
    identity = symbolic.derivative_identity(name)
    assert identity.holds is True
    assert "checkmark" in identity._repr_latex_()


def test_sigmoid_derivative_is_s_times_one_minus_s():
    identity = symbolic.derivative_identity("sigmoid")
    s = symbolic.activation("sigmoid")
    assert sp.simplify(identity.lhs - s * (1 - s)) == 0
    assert identity.rhs == symbolic.sigma(z) * (1 - symbolic.sigma(z))


def _loss_inputs(name, n=3, m=7, seed=0):
    rng = np.random.default_rng(seed)
    if name == "categorical_cross_entropy":
        return activations.softmax(rng.standard_normal((n, m))), np.eye(n)[:, rng.integers(0, n, m)]
    Y = rng.integers(0, 2, (n, m)).astype(float) if name == "binary_cross_entropy" else rng.standard_normal((n, m))
    return rng.uniform(0.05, 0.95, (n, m)), Y


@pytest.mark.parametrize("name", LOSSES)
def test_symbolic_loss_gradient_over_m_equals_mathnn_gradient(name):
    Y_hat, Y = _loss_inputs(name)
    m = Y.shape[1]
    per_example = symbolic.derivative(name)
    result = symbolic.verify(per_example / m, [symbolic.y_hat, symbolic.y], LOSSES[name].gradient, points=[Y_hat, Y])
    assert result.ok, result
    assert result.n_points == Y.size


@pytest.mark.parametrize("name", LOSSES)
def test_symbolic_loss_averaged_over_m_equals_mathnn_cost(name):
    Y_hat, Y = _loss_inputs(name, seed=1)
    ell = symbolic.to_numpy(symbolic.loss(name), [symbolic.y_hat, symbolic.y])
    assert ell(Y_hat, Y).sum() / Y.shape[1] == pytest.approx(LOSSES[name](Y_hat, Y), rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_softmax_jacobian_equals_mathnn(seed):
    z_vector = sp.Matrix(sp.symbols("z_0:4", real=True))
    jacobian = symbolic.derivative("softmax", z_vector)
    assert jacobian.shape == (4, 4)
    numbers = np.random.default_rng(seed).normal(0, 2, 4)
    got = symbolic.to_numpy(jacobian, list(z_vector))(*numbers)
    np.testing.assert_allclose(got, activations.softmax_jacobian(numbers.reshape(-1, 1)), atol=1e-14)


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    identity = symbolic.two_class_softmax()
    assert identity.holds is True
    assert bool(identity)


@pytest.mark.parametrize("sizes", [(3, 4, 2), (1, 1, 1), (2, 5, 3)])
def test_two_linear_layers_collapse_to_one(sizes):
    identity = symbolic.linear_collapse(*sizes)
    assert identity.holds is True
    assert identity.lhs.shape == (sizes[2], 1)


def test_prove_says_no_to_a_false_identity():
    s = symbolic.activation("sigmoid")
    assert symbolic.prove(sp.diff(s, z), s * (1 + s)).holds is False
    W1, W2 = sp.MatrixSymbol("W1", 3, 3), sp.MatrixSymbol("W2", 3, 3)
    assert symbolic.prove(W2 * W1, W1 * W2).holds is False  # matrix products do not commute
    assert "✗" in repr(symbolic.prove(W2 * W1, W1 * W2))


# --- verify: the cell every derivation ends with -------------------------------------------------


def test_verify_reports_agreement_readably():
    result = symbolic.verify(symbolic.derivative("sigmoid"), z, activations.sigmoid_derivative)
    assert re.fullmatch(r"max \|sympy − mathnn\| = \S+ over 200 points ✓", repr(result))
    assert "✓" in result._repr_html_()
    assert result.assert_close() is result


def test_verify_flags_a_wrong_numeric_function():
    result = symbolic.verify(symbolic.derivative("sigmoid"), z, activations.sigmoid)
    assert not result.ok
    assert not result
    assert "✗" in repr(result) and "sympy" in repr(result) and "mathnn" in repr(result)
    with pytest.raises(AssertionError, match=r"sympy \S+, mathnn \S+ at z = "):
        result.assert_close()


def test_verify_flags_nan():
    result = symbolic.verify(symbolic.activation("tanh"), z, lambda Z: np.where(Z > 3, np.nan, np.tanh(Z)))
    assert not result.ok
    assert result.max_error == np.inf


def test_verify_random_points_avoid_the_kinks():
    values = numeric._sample([z], None, seed=0)[0]
    assert values.shape == (1, 200)
    assert np.abs(values).min() >= 1e-3


def test_verify_accepts_symbol_names_and_dicts():
    result = symbolic.verify(symbolic.derivative("mse"), ["yhat", "y"], lambda a, b: 2 * (a - b), points=50)
    assert result.ok and result.n_points == 50
    points = {"yhat": np.array([[0.2, 0.7]]), "y": np.array([[1.0, 0.0]])}
    assert symbolic.verify(symbolic.derivative("mse"), ["yhat", "y"], lambda a, b: 2 * (a - b), points=points).ok


def test_to_numpy_broadcasts_constants_to_the_input_shape():
    f = symbolic.to_numpy(symbolic.derivative("linear"), z)
    np.testing.assert_array_equal(f(np.zeros((2, 3))), np.ones((2, 3)))


def test_to_numpy_evaluates_dirac_delta_away_from_zero():
    f = symbolic.to_numpy(symbolic.derivative("step"), z)
    np.testing.assert_array_equal(f(np.array([[-1.0, 2.0]])), np.zeros((1, 2)))


# --- errors that teach ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: symbolic.activation("sigmod"), ValueError, "known ones"),
        (lambda: symbolic.derivative("nope"), ValueError, "known ones"),
        (lambda: symbolic.activation("softmax", z), TypeError, "column"),
        (lambda: symbolic.to_numpy(symbolic.loss("mse"), [symbolic.y_hat]), ValueError, "also depends on y"),
        (lambda: symbolic.to_numpy(symbolic.activation("tanh"), sp.Symbol("z")), ValueError, "assumptions"),
        (lambda: symbolic.verify(symbolic.activation("tanh"), z, lambda Z: Z[:, :3]), ValueError, "one number"),
        (lambda: symbolic.ScalarNetwork([2, 2, 1], activation="softmax"), ValueError, "elementwise"),
        (lambda: symbolic.ScalarNetwork([2]), ValueError, "at least one layer"),
        (lambda: symbolic.ScalarNetwork([2, 1]).weight(2), ValueError, "no weight"),
        (lambda: symbolic.ScalarNetwork([2, 1]).chain_rule(z), ValueError, "not a weight or bias"),
        (lambda: symbolic.ScalarNetwork([2, 1]).values([1, 2], [1], [[1, 2, 3]]), ValueError, "needs shape"),
        (lambda: symbolic.ScalarNetwork([2, 1]).values([1], [1], [[1, 2]]), ValueError, "input"),
        (lambda: symbolic.derivative_identity("relu"), ValueError, "sigmoid"),
    ],
)
def test_errors_say_what_was_expected(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- the scalar network: chain rule == diff == mathnn's backprop ---------------------------------

NETWORKS = {
    "chain of 4": lambda: symbolic.ScalarNetwork.chain(4),
    "2-2-1": lambda: symbolic.ScalarNetwork([2, 2, 1]),
    "2-3-2 tanh": lambda: symbolic.ScalarNetwork([2, 3, 2], activation="tanh"),
    "chain of 3, cross-entropy": lambda: symbolic.ScalarNetwork.chain(3, loss="binary_cross_entropy"),
    "3-2-1 leaky/linear": lambda: symbolic.ScalarNetwork([3, 2, 1], activation=["leaky_relu", "linear"]),
}


@pytest.fixture(scope="module", params=list(NETWORKS))
def scalar_network(request):
    return NETWORKS[request.param]()


def _mathnn_gradients(scalar, values):
    """{symbol: number} of every dW and db entry from mathnn's backpropagation."""
    network = scalar.to_network(values)
    X, Y = scalar.to_data(values)
    network.forward(X)
    network.backward(Y)
    gradients = {symbol: network.layers[l - 1].dW[j, k] for (l, j, k), symbol in scalar.w.items()}
    gradients.update({symbol: network.layers[l - 1].db[j, 0] for (l, j), symbol in scalar.b.items()})
    return gradients


@pytest.mark.parametrize("seed", [0, 1])
def test_chain_rule_equals_direct_derivative_and_mathnn_backprop(scalar_network, seed):
    values = scalar_network.random_values(seed)
    chain = scalar_network.gradients(values)
    backprop = _mathnn_gradients(scalar_network, values)
    assert set(chain) == set(backprop) == set(scalar_network.parameters)
    for parameter in scalar_network.parameters:
        direct = float(
            scalar_network.chain_rule(parameter).direct.xreplace({k: sp.Float(v) for k, v in values.items()})
        )
        assert chain[parameter] == pytest.approx(direct, rel=1e-10, abs=1e-14), parameter
        assert chain[parameter] == pytest.approx(backprop[parameter], rel=1e-9, abs=1e-14), parameter


def test_confirm_compares_product_and_direct_derivative(scalar_network):
    parameter = scalar_network.parameters[0]
    result = scalar_network.chain_rule(parameter).confirm()
    assert result.ok, result
    assert result.n_points == 10


def test_scalar_cost_equals_mathnn_cost(scalar_network):
    values = scalar_network.random_values(3)
    X, Y = scalar_network.to_data(values)
    assert scalar_network.cost_value(values) == pytest.approx(scalar_network.to_network(values).cost(X, Y), rel=1e-12)


def test_chain_factors_of_the_last_and_first_layer():
    net = symbolic.ScalarNetwork.chain(4)
    last = net.chain_rule(net.weight(4)).factors
    assert [label for label, _ in last] == ["∂C/∂a[4]", "∂a[4]/∂z[4]", "∂z[4]/∂w[4]"]
    a3, a4, y = sp.Symbol("a^{[3]}", real=True), sp.Symbol("a^{[4]}", real=True), sp.Symbol("y", real=True)
    assert [expression for _, expression in last] == [2 * a4 - 2 * y, a4 * (1 - a4), a3]
    first = net.chain_rule(net.weight(1)).factors
    assert len(first) == 9  # ∂C/∂a, then (∂a/∂z, ∂z/∂a) for layers 4, 3, 2, then ∂a/∂z, ∂z/∂w of layer 1
    assert first[-1] == ("∂z[1]/∂w[1]", sp.Symbol("x", real=True))
    assert net.chain_rule(net.bias(2)).factors[-1] == ("∂z[2]/∂b[2]", 1)


def test_several_paths_are_summed():
    net = symbolic.ScalarNetwork([2, 3, 2])
    rule = net.chain_rule(net.weight(1, 2, 1))
    assert len(rule.paths) == 2
    with pytest.raises(ValueError, match="sum over 2 paths"):
        _ = rule.factors
    assert r"\frac{\partial C}{\partial w^{[1]}_{21}}" in rule._repr_latex_()
    assert "sum over paths" in repr(rule)


def test_labels_follow_the_notation():
    net = symbolic.ScalarNetwork([2, 2, 1])
    assert sp.latex(net.weight(2, 0, 1)) == "w^{[2]}_{01}"
    assert sp.latex(net.bias(2)) == "b^{[2]}"
    assert [label for label, _ in net.chain_rule(net.weight(1, 1, 0)).factors][2:] == [
        "∂z[2]/∂a[1]_1",
        "∂a[1]_1/∂z[1]_1",
        "∂z[1]_1/∂w[1]_10",
    ]


# --- the worked example --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def worked():
    return symbolic.worked_example()


def test_worked_step_moves_the_output_toward_the_target(worked):
    assert worked.target == 1.0
    assert worked.learning_rate == 0.5
    assert worked.output_before == pytest.approx(0.690283, abs=1e-6)
    assert worked.output_before < worked.output_after < 1.0
    net = worked.network
    assert net.cost_value(worked.after) < net.cost_value(worked.before)
    assert "output 0.690283 -> 0.717783" in repr(worked)


def test_worked_step_equals_one_sgd_step_of_mathnn(worked):
    net = worked.network
    network = net.to_network(worked.before)
    X, Y = net.to_data(worked.before)
    network.train_step(X, Y, SGD(worked.learning_rate))
    for (l, j, k), symbol in net.w.items():
        assert network.layers[l - 1].W[j, k] == pytest.approx(worked.after[symbol], rel=1e-12)
    for (l, j), symbol in net.b.items():
        assert network.layers[l - 1].b[j, 0] == pytest.approx(worked.after[symbol], abs=1e-14)


def test_importing_mathnn_does_not_import_sympy():
    code = "import mathnn, mathnn.exercises, sys; assert 'sympy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
