"""Bad input gets an error that says what was expected, what came, and the likely fix."""

import numpy as np
import pytest

from mathnn import Dense, Network, TrainingDiverged, data, losses
from mathnn.optim import SGD, batches


@pytest.fixture
def net():
    return Network.from_sizes([2, 4, 1], hidden="tanh", output="sigmoid", loss="binary_cross_entropy", seed=0)


@pytest.fixture
def XY():
    return data.circles(m=20, seed=0)


def test_transposed_X_suggests_X_T(net, XY):
    X, Y = XY
    with pytest.raises(ValueError, match=r"2 features.*got shape \(20, 2\).*did you mean X\.T\?"):
        net.fit(X.T, Y, epochs=1, learning_rate=0.1)


def test_transposed_Y_suggests_Y_T(net, XY):
    X, Y = XY
    with pytest.raises(ValueError, match=r"Y must have 1 outputs.*got shape \(20, 1\).*did you mean Y\.T\?"):
        net.fit(X, Y.T, epochs=1, learning_rate=0.1)


def test_one_dimensional_Y_suggests_reshape(net, XY):
    X, Y = XY
    with pytest.raises(ValueError, match=r"got 1-D with shape \(20,\).*Y\.reshape\(1, -1\)"):
        net.fit(X, Y[0], epochs=1, learning_rate=0.1)


def test_m_of_Y_differs_from_m_of_X(net, XY):
    X, Y = XY
    with pytest.raises(
        ValueError, match=r"same number of examples.*X has shape \(2, 20\) \(m=20\).*\(1, 19\) \(m=19\)"
    ):
        net.fit(X, Y[:, :19], epochs=1, learning_rate=0.1)


@pytest.mark.parametrize(
    ("name", "shape", "message"),
    [
        ("W", (2, 4), r"W of Dense\(2, 4.*must have shape \(4, 2\).*got shape \(2, 4\)\. Did you mean W\.T\?"),
        ("W", (4, 3), r"must have shape \(4, 2\).*got shape \(4, 3\)"),
        ("b", (1, 4), r"b of Dense\(2, 4.*must have shape \(4, 1\).*got shape \(1, 4\)\. Did you mean b\.T\?"),
    ],
)
def test_wrong_parameter_shapes(name, shape, message):
    layer = Dense(2, 4, "relu", seed=0)
    with pytest.raises(ValueError, match=message):
        setattr(layer, name, np.ones(shape))


def test_a_flat_bias_is_refused_with_a_hint():
    layer = Dense(2, 4, "relu", seed=0)
    with pytest.raises(ValueError, match=r"b of Dense.*shape \(4, 1\).*got \(4,\).*reshape\(-1, 1\)"):
        layer.b = np.zeros(4)


def test_layers_that_do_not_connect():
    with pytest.raises(ValueError, match=r"layer 1 has 4 units, so layer 2 needs n_prev=4, but it was built with n_prev=3"):
        Network([Dense(2, 4), Dense(3, 1, "sigmoid")], "binary_cross_entropy")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_data(net, XY, bad):
    X, Y = XY
    X = X.copy()
    X[1, 7] = bad
    with pytest.raises(ValueError, match=r"X contains 1 NaN or infinite value\(s\), the first at index \(1, 7\)"):
        net.fit(X, Y, epochs=1, learning_rate=0.1)


@pytest.mark.parametrize(
    "X", [np.array([["a", "b"], ["c", "d"]]), np.array([[1 + 2j, 0], [0, 1]]), np.array([[None, 1], [2, 3]])]
)
def test_non_numeric_dtype(net, X):
    with pytest.raises(TypeError, match=r"X must hold real numbers \(int or float\), but its dtype is"):
        net.forward(X)


def test_string_input(net):
    with pytest.raises(TypeError, match="X must be a numeric array, but got the string"):
        net.forward("circles")


def test_ragged_input(net):
    with pytest.raises(ValueError, match="rectangular numeric array"):
        net.forward([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("X", [np.zeros((2, 0)), np.zeros((0, 5))])
def test_empty_data(net, X):
    with pytest.raises(ValueError, match=r"X is empty \(shape"):
        net.forward(X)


def test_labels_outside_0_1_for_binary_cross_entropy(net, XY):
    X, Y = XY
    Y = Y.copy()
    Y[0, 3] = 2.0
    with pytest.raises(ValueError, match=r"labels that are 0 or 1, but Y contains \[2\.0\].*one_hot"):
        net.fit(X, Y, epochs=1, learning_rate=0.1)
    with pytest.raises(ValueError, match="labels that are 0 or 1"):
        losses.get("binary_cross_entropy")(np.full((1, 3), 0.5), [[0, 1, -1]])


def test_targets_that_are_not_one_hot():
    net = Network.from_sizes([2, 3], output="softmax", loss="categorical_cross_entropy", seed=0)
    X = np.zeros((2, 3))
    with pytest.raises(
        ValueError, match=r"one-hot targets.*1 column\(s\) of Y are not, the first is column 1: \[1\.0, 1\.0, 0\.0\]"
    ):
        net.fit(X, [[1, 1, 0], [0, 1, 0], [0, 0, 1]], epochs=1, learning_rate=0.1)
    with pytest.raises(ValueError, match=r"rows|outputs"):
        net.fit(X, [[0, 2, 1]], epochs=1, learning_rate=0.1)


def test_class_labels_given_to_categorical_cross_entropy_suggest_one_hot():
    with pytest.raises(ValueError, match="did you pass class labels.*one_hot"):
        losses.get("categorical_cross_entropy")(np.full((1, 3), 0.5), [[0, 2, 1]])


@pytest.mark.parametrize("rate", [0, -0.1, np.nan, np.inf])
def test_learning_rate_must_be_positive_and_finite(net, XY, rate):
    with pytest.raises(ValueError, match=rf"learning_rate must be a finite number greater than 0, but got {rate}"):
        net.fit(*XY, epochs=1, learning_rate=rate)


def test_learning_rate_must_be_a_number(net, XY):
    with pytest.raises(TypeError, match="learning_rate must be a number, but got str '0.1'"):
        net.fit(*XY, epochs=1, learning_rate="0.1")


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("batch_size", 0, ValueError),
        ("batch_size", -3, ValueError),
        ("batch_size", 2.5, TypeError),
        ("epochs", 0, ValueError),
        ("epochs", 1.0, TypeError),
    ],
)
def test_batch_size_and_epochs_must_be_whole_and_at_least_1(net, XY, option, value, error):
    kwargs = {"epochs": 1, "learning_rate": 0.1, option: value}
    with pytest.raises(error, match=rf"{option} must be (at least 1, but got {value}|a whole number, but got float)"):
        net.fit(*XY, **kwargs)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Dense(2, 3, "softmaxx"), "unknown activation 'softmaxx'; the known ones are: leaky_relu, linear"),
        (
            lambda: Network([Dense(2, 1)], "cross_entropy"),
            "unknown loss 'cross_entropy'; the known ones are: binary_cross_entropy",
        ),
        (lambda: Dense(2, 3, init="glorot"), "unknown init 'glorot'; the known ones are: he, normal, xavier, zeros"),
        (lambda: data.logic_gate("nand"), "unknown logic gate 'nand'; the known ones are: and, or, xor"),
        (lambda: Dense(0, 3), "n_prev must be at least 1, but got 0"),
        (lambda: Dense(3, 0), "n must be at least 1, but got 0"),
    ],
)
def test_unknown_names_and_bad_sizes(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_divergence_names_the_epoch_and_step_and_suggests_a_smaller_rate():
    """Least squares with a step far beyond 2/curvature: every step overshoots further, until inf."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1, 50)) * 10
    net = Network.from_sizes([1, 1], output="linear", loss="mse", seed=0)
    with pytest.raises(
        TrainingDiverged,
        match=r"cost became (nan|inf) at epoch \d+, step \d+ \(learning_rate=0\.5\).*smaller learning rate, e\.g\. 0\.05",
    ):
        net.fit(X, 3 * X, epochs=200, learning_rate=0.5, batch_size=1, seed=0)


def test_a_deep_tanh_network_with_a_huge_rate_is_stopped():
    X, Y = data.circles(m=64, seed=0)
    net = Network.from_sizes([2, 16, 16, 1], hidden="tanh", output="linear", loss="mse", seed=0)
    with pytest.raises(TrainingDiverged, match="diverging"):
        net.fit(X, Y, epochs=50, learning_rate=50.0, batch_size=8, seed=0)


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="call forward before backward"):
        Dense(2, 3).backward(np.zeros((3, 1)))


def test_optimizer_and_batches_check_their_arguments():
    with pytest.raises(ValueError, match="learning_rate must be a finite number greater than 0"):
        SGD(0.0)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        list(batches(10, 0))


def test_train_test_split_checks_fraction_and_columns():
    X, Y = data.circles(m=10, seed=0)
    with pytest.raises(ValueError, match="test_fraction must lie strictly between 0 and 1, but got 1.5"):
        data.train_test_split(X, Y, 1.5)
    with pytest.raises(ValueError, match="same number of columns"):
        data.train_test_split(X, Y[:, :5])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: data.circles(noise="a"), "noise must be a number, but got str 'a'"),
        (lambda: data.circles(factor=None), "factor must be a number, but got NoneType None"),
        (lambda: data.blobs(spread=-1.0), "spread must be a finite number >= 0, but got -1.0"),
        (lambda: data.train_test_split([[1.0, 2.0]], [[0.0, 1.0]], "half"), "test_fraction must be a number"),
    ],
)
def test_data_options_must_be_numbers(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        ("1", TypeError, r"seed must be a whole number >= 0 or a numpy\.random\.Generator, but got str '1'\. "
         r"Write the number without quotes: seed=1\."),
        ("abc", TypeError, r"but got str 'abc'\. Pass a whole number such as seed=0\."),
        (0.5, TypeError, r"but got float 0\.5\. Seeds are whole numbers: e\.g\. seed=0\."),
        (3.0, TypeError, r"but got float 3\.0\. Seeds are whole numbers: e\.g\. seed=3\."),
        (-2, ValueError, r"seed must be a whole number >= 0 .*but got -2\. Any non-negative number will do, e\.g\. seed=2"),
    ],
)
@pytest.mark.parametrize(
    "use",
    [
        lambda seed: data.circles(m=10, seed=seed),
        lambda seed: data.spirals(m=10, seed=seed),
        lambda seed: data.quadrants(m=10, seed=seed),
        lambda seed: data.train_test_split(*data.circles(m=10, seed=0), seed=seed),
        lambda seed: Network.from_sizes([2, 1], seed=seed),
        lambda seed: Dense(2, 1, seed=seed),
        lambda seed: list(batches(10, 3, seed=seed)),
        lambda seed: Network.from_sizes([2, 1], seed=0).fit(*data.circles(m=10, seed=0), 1, 0.1, seed=seed),
    ],
    ids=["circles", "spirals", "quadrants", "train_test_split", "from_sizes", "Dense", "batches", "fit"],
)
def test_a_seed_that_is_not_a_whole_number_ge_0_is_refused_with_the_fix(use, seed, error, message):
    with pytest.raises(error, match=message):
        use(seed)


def test_a_generator_is_a_seed_too_and_draws_go_on_from_it():
    rng = np.random.default_rng(5)
    first, _ = data.circles(m=10, seed=rng)
    second, _ = data.circles(m=10, seed=rng)
    assert not np.array_equal(first, second)
    assert np.array_equal(first, data.circles(m=10, seed=np.random.default_rng(5))[0])


def test_validation_data_of_the_wrong_shape_is_named_as_the_validation_data(net, XY):
    X, Y = XY
    with pytest.raises(ValueError, match=r"X_val must have 2 features.*got shape \(20, 2\).*did you mean X_val\.T\?"):
        net.fit(X, Y, epochs=1, learning_rate=0.1, validation=(X.T, Y))
    with pytest.raises(ValueError, match=r"X_val and Y_val must have the same number of examples"):
        net.fit(X, Y, epochs=1, learning_rate=0.1, validation=(X, Y[:, :5]))
    with pytest.raises(ValueError, match=r"binary cross-entropy needs labels that are 0 or 1, but Y_val contains \[2\.0\]"):
        net.fit(X, Y, epochs=1, learning_rate=0.1, validation=(X, 2 * np.ones_like(Y)))


@pytest.mark.parametrize(
    ("validation", "what"),
    [(("X", "Y", "X"), "a tuple of 3 items"), (("X",), "a tuple of 1 items"), ("XY", "str")],
)
def test_validation_that_is_not_a_pair_says_so(net, XY, validation, what):
    X, Y = XY
    data_ = tuple({"X": X, "Y": Y}[name] for name in validation) if isinstance(validation, tuple) else validation
    with pytest.raises(TypeError, match=rf"validation must be the validation data as a pair \(X_val, Y_val\), but got {what}"):
        net.fit(X, Y, epochs=1, learning_rate=0.1, validation=data_)


def test_continuing_a_run_needs_its_history(net, XY):
    with pytest.raises(TypeError, match="history must be the History of the run to continue"):
        net.fit(*XY, epochs=1, learning_rate=0.1, history=[0.5])


def test_training_a_network_whose_weights_are_already_nan_says_so(net, XY):
    net.layers[0].W[0, 0] = np.nan
    with pytest.raises(TrainingDiverged, match=r"the cost is nan before training .*Build the network again"):
        net.fit(*XY, epochs=1, learning_rate=0.1)
