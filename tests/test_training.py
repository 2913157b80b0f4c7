"""Training works: XOR, the capstone network on circles, and bit-for-bit reproducibility."""

import subprocess
import sys

import numpy as np
import pytest

from mathnn import Network, StopTraining, TrainingDiverged, data


def capstone(seed=0):
    return Network.from_sizes(
        [2, 25, 50, 50, 25, 1], hidden="relu", output="sigmoid", loss="binary_cross_entropy", seed=seed
    )


def circles_split():
    X, Y = data.circles(m=1000, seed=0)
    return data.train_test_split(X, Y, test_fraction=0.1, seed=0)


def test_a_small_tanh_network_learns_xor():
    X, Y = data.logic_gate("xor")
    net = Network.from_sizes([2, 3, 1], hidden="tanh", output="sigmoid", loss="binary_cross_entropy", seed=0)
    history = net.fit(X, Y, epochs=1500, learning_rate=0.5, batch_size=4, seed=0)
    assert net.accuracy(X, Y) == 1.0
    assert np.array_equal(net.predict(X), Y)
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_capstone_network_reaches_98_percent_on_circles():
    X_train, X_test, Y_train, Y_test = circles_split()
    net = capstone()
    history = net.fit(
        X_train, Y_train, epochs=60, learning_rate=0.1, batch_size=32, seed=0, validation=(X_test, Y_test)
    )
    assert net.accuracy(X_test, Y_test) >= 0.98
    assert history.val_accuracy[-1] == net.accuracy(X_test, Y_test)
    assert len(history.loss) == 60 and len(history.step_loss) == 60 * int(np.ceil(900 / 32))


def test_same_seed_gives_bit_identical_weights():
    X_train, _, Y_train, _ = circles_split()
    runs = []
    for _ in range(2):
        net = capstone(seed=7)
        net.fit(X_train, Y_train, epochs=3, learning_rate=0.1, batch_size=32, seed=11)
        runs.append(net.parameters)
    for a, b in zip(*runs):
        assert np.array_equal(a, b)
    other = capstone(seed=7)
    other.fit(X_train, Y_train, epochs=3, learning_rate=0.1, batch_size=32, seed=12)
    assert not np.array_equal(runs[0][0], other.parameters[0])


def test_same_seed_gives_identical_weights_in_a_fresh_interpreter():
    script = (
        "from mathnn import Network, data;"
        "X, Y = data.circles(m=200, seed=0);"
        "net = Network.from_sizes([2, 8, 1], seed=3);"
        "net.fit(X, Y, epochs=2, learning_rate=0.1, seed=4);"
        "print(net.parameters[0].tobytes().hex())"
    )
    here = Network.from_sizes([2, 8, 1], seed=3)
    here.fit(*data.circles(m=200, seed=0), epochs=2, learning_rate=0.1, seed=4)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert out == here.parameters[0].tobytes().hex()


def test_callbacks_see_every_step_and_epoch_and_can_stop_training():
    X, Y = data.circles(m=100, seed=0)
    net = Network.from_sizes([2, 8, 1], seed=0)
    events = []

    def watch(event):
        events.append((event.kind, event.epoch, event.step))
        if event.kind == "epoch" and event.epoch == 3:
            raise StopTraining

    history = net.fit(X, Y, epochs=10, learning_rate=0.1, batch_size=25, seed=0, callbacks=[watch])
    assert len(history.loss) == 3
    assert [e for e in events if e[0] == "epoch"] == [("epoch", 1, 4), ("epoch", 2, 8), ("epoch", 3, 12)]
    assert sum(e[0] == "step" for e in events) == 12


def test_multiclass_spirals_with_softmax():
    X, labels = data.spirals(m=300, classes=3, noise=0.05, seed=0)
    Y = data.one_hot(labels)
    net = Network.from_sizes([2, 32, 32, 3], hidden="tanh", output="softmax", loss="categorical_cross_entropy", seed=0)
    history = net.fit(X, Y, epochs=300, learning_rate=0.5, batch_size=32, seed=0)
    assert history.accuracy[-1] >= 0.9
    assert net.predict(X).sum(axis=0).tolist() == [1.0] * 300


def test_linear_regression_recovers_slope_and_intercept():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(1, 100))
    Y = 3 * X - 2
    net = Network.from_sizes([1, 1], output="linear", loss="mse", seed=0)
    history = net.fit(X, Y, epochs=300, learning_rate=0.1, batch_size=100, seed=0)
    assert net.layers[0].W[0, 0] == pytest.approx(3, abs=1e-3)
    assert net.layers[0].b[0, 0] == pytest.approx(-2, abs=1e-3)
    assert history.accuracy == [None] * 300


def test_zero_initialisation_keeps_hidden_units_identical():
    """The symmetry lesson: with init="zeros" every hidden unit gets the same gradient forever."""
    X, Y = data.circles(m=100, seed=0)
    net = Network.from_sizes([2, 5, 1], hidden="tanh", init="zeros", seed=0)
    net.fit(X, Y, epochs=5, learning_rate=0.5, seed=0)
    W1 = net.layers[0].W
    assert np.allclose(W1, W1[0])


def test_first_epoch_numbers_the_epochs_of_a_run_continued_in_pieces():
    X, Y = data.circles(m=40, seed=0)
    net = Network.from_sizes([2, 4, 1], seed=0)
    seen = []
    net.fit(X, Y, epochs=2, learning_rate=0.1, seed=0, first_epoch=5, callbacks=[lambda e: seen.append(e.epoch)])
    assert sorted(set(seen)) == [5, 6]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1, 50)) * 10
    linear = Network.from_sizes([1, 1], output="linear", loss="mse", seed=0)
    with pytest.raises(TrainingDiverged, match=r"at epoch (1[2-9]|[2-9]\d|\d{3,}), step"):
        linear.fit(X, 3 * X, epochs=200, learning_rate=0.5, batch_size=50, seed=0, first_epoch=12)
