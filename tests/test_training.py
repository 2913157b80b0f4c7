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
    # No false alarm from the divergence check: even its noisiest epoch stays below the cost before training.
    assert max(history.loss) < history.initial_loss


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


def test_steps_count_on_when_a_run_is_continued_from_first_epoch():
    """40 examples in batches of 32 take 2 steps per epoch, so epoch 5 starts at step 9, not at step 1."""
    X, Y = data.circles(m=40, seed=0)
    net = Network.from_sizes([2, 4, 1], seed=0)
    seen = []
    net.fit(X, Y, epochs=2, learning_rate=0.1, seed=0, first_epoch=5, callbacks=[lambda e: seen.append((e.kind, e.epoch, e.step))])
    assert seen == [("step", 5, 9), ("step", 5, 10), ("epoch", 5, 10), ("step", 6, 11), ("step", 6, 12), ("epoch", 6, 12)]


def test_a_run_continued_with_its_history_is_the_same_run():
    X, Y = data.circles(m=40, seed=0)
    whole, pieces = Network.from_sizes([2, 4, 1], seed=0), Network.from_sizes([2, 4, 1], seed=0)
    seen_whole, seen_pieces = [], []
    one = whole.fit(X, Y, epochs=3, learning_rate=0.1, batch_size=16, seed=0, callbacks=[lambda e: seen_whole.append((e.kind, e.epoch, e.step))])
    rng = np.random.default_rng(0)
    history = None
    for _ in range(3):
        history = pieces.fit(
            X, Y, epochs=1, learning_rate=0.1, batch_size=16, seed=rng, history=history,
            callbacks=[lambda e: seen_pieces.append((e.kind, e.epoch, e.step))],
        )
    assert seen_pieces == seen_whole
    assert history.loss == one.loss and history.step_loss == one.step_loss and history.initial_loss == one.initial_loss
    for a, b in zip(whole.parameters, pieces.parameters):
        assert np.array_equal(a, b)


def exploding_least_squares():
    """Least squares on inputs of scale 10: the curvature is 2·mean(x²) ≈ 200, so α = 0.0125 > 2/200 overshoots.

    Every epoch multiplies the error by about (1 - 200α)² ≈ 2.3: the cost grows from 770 to 7e10 in
    30 epochs and stays finite for hundreds more, so a check for NaN alone says nothing.
    """
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1, 100)) * 10
    return Network.from_sizes([1, 1], output="linear", loss="mse", seed=0), X, 3 * X


def test_a_cost_that_explodes_but_stays_finite_is_stopped():
    net, X, Y = exploding_least_squares()
    with pytest.raises(
        TrainingDiverged,
        match=r"the cost exploded to \d\.\d+e\+05 at epoch 11, step 11 \(learning_rate=0\.0125\): for 3 epochs in a row "
        r"it has been more than 100 times its lowest, 770, and above the 770 before training.*"
        r"Try a smaller learning rate, e\.g\. 0\.00125",
    ):
        net.fit(X, Y, epochs=30, learning_rate=0.0125, batch_size=100, seed=0)


def test_an_exploding_run_trained_an_epoch_at_a_time_is_stopped_too():
    """A widget's Step button calls fit once per epoch; passed the history, the check sees the whole run."""
    net, X, Y = exploding_least_squares()
    history = None
    with pytest.raises(TrainingDiverged, match=r"exploded to .* at epoch 11, step 11"):
        for _ in range(30):
            history = net.fit(X, Y, epochs=1, learning_rate=0.0125, batch_size=100, seed=0, history=history)


def test_an_output_layer_that_dies_after_a_huge_step_is_stopped():
    """A ReLU output unit pushed to Z < 0 on every example passes no gradient back: training is stuck for good."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 100))
    Y = np.abs(X[:1] + X[1:]) + 1
    net = Network.from_sizes([2, 8, 1], hidden="tanh", output="relu", loss="mse", seed=0)
    with pytest.raises(
        TrainingDiverged,
        match=r"every output unit died at epoch 1, step 5 \(learning_rate=5\): the output activation 'relu' .*"
        r"stuck at 5\.27, no better than the 4\.78 before training.*Try a smaller learning rate, e\.g\. 0\.5",
    ):
        net.fit(X, Y, epochs=30, learning_rate=5.0, batch_size=20, seed=0)
    healthy = Network.from_sizes([2, 8, 1], hidden="tanh", output="relu", loss="mse", seed=0)
    history = healthy.fit(X, Y, epochs=30, learning_rate=0.01, batch_size=20, seed=0)
    assert history.loss[-1] < history.initial_loss


def test_a_one_epoch_spike_that_the_run_recovers_from_is_no_alarm():
    """The capstone network with α = 0.3 jumps from a cost of 0.004 to 12.7 at epoch 13, then learns on."""
    X_train, _, Y_train, _ = circles_split()
    history = capstone().fit(X_train, Y_train, epochs=16, learning_rate=0.3, batch_size=32, seed=0)
    spike = max(range(1, 16), key=lambda e: history.loss[e] / min(history.loss[:e]))
    assert spike == 12 and history.loss[spike] > 1000 * min(history.loss[:spike]), "the seeded run has its spike"
    assert history.loss[spike] > history.initial_loss
    assert history.loss[-1] < 0.1 * history.initial_loss

