"""Chapter 7's hand-written training loop (its cells tagged ``capstone-by-hand``) against mathnn.

The chapter claims that its forty lines of numpy and ``Network.fit`` compute the same thing. These tests
run the chapter's own cells, not a copy of them, and hold the two to 1e-12 after every step, for other
seeds, batch sizes that leave a smaller last batch, and other layer sizes.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import mathnn
from mathnn import data

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = next(path for path in (ROOT / "book" / "07_capstone.ipynb", ROOT / "book" / "drafts" / "07_capstone.ipynb")
               if path.exists())
TAG = "capstone-by-hand"


def by_hand_code(path=CHAPTER):
    """The source of the chapter's cells tagged ``capstone-by-hand``, in order."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells
               if cell["cell_type"] == "code" and TAG in cell.get("metadata", {}).get("tags", [])]
    return "\n\n".join(sources), len(sources)


@pytest.fixture(scope="module")
def by_hand():
    source, count = by_hand_code()
    namespace = {"np": np}
    exec(compile(source, str(CHAPTER), "exec"), namespace)  # noqa: S102 - the book's own cells
    return namespace


def test_the_chapter_tags_every_piece_of_the_loop():
    source, count = by_hand_code()
    assert count >= 5
    for name in ("def init_parameters", "def forward", "def cost", "def backward", "def update", "def train_by_hand"):
        assert name in source, f"the chapter's by-hand cells lost {name}"
    assert "mathnn" not in source, "the by-hand cells must not use mathnn"


def largest_difference(parameters, network):
    return max(float(np.max(np.abs(p - q))) for (W, b), layer in zip(parameters, network.layers)
               for p, q in ((W, layer.W), (b, layer.b)))


@pytest.mark.parametrize(("sizes", "m", "batch_size", "learning_rate", "init_seed", "shuffle_seed"), [
    ([2, 25, 50, 50, 25, 1], 300, 32, 0.1, 0, 1),  # the capstone network; 300 = 9 * 32 + 12, a smaller last batch
    ([2, 25, 50, 50, 25, 1], 200, 200, 0.5, 3, 4),  # full batch
    ([2, 7, 1], 101, 10, 0.3, 5, 6),
    ([2, 4, 3, 1], 64, 1, 0.05, 7, 8),  # one example per step
])
def test_the_hand_written_loop_equals_mathnn_after_every_step(by_hand, sizes, m, batch_size, learning_rate,
                                                              init_seed, shuffle_seed):
    X, Y = data.circles(m=m, seed=init_seed)
    parameters = by_hand["init_parameters"](sizes, np.random.default_rng(init_seed))
    network = mathnn.Network.from_sizes(sizes, seed=init_seed)
    assert largest_difference(parameters, network) == 0.0
    steps = by_hand["train_by_hand"](X, Y, parameters, epochs=3, learning_rate=learning_rate,
                                     batch_size=batch_size, rng=np.random.default_rng(shuffle_seed))
    differences, costs = [], []

    def compare(event):
        if event.kind == "step":
            epoch, cost = next(steps)
            assert epoch == event.epoch
            costs.append(abs(cost - event.loss))
            differences.append(largest_difference(parameters, event.network))

    network.fit(X, Y, epochs=3, learning_rate=learning_rate, batch_size=batch_size, seed=shuffle_seed,
                callbacks=[compare])
    assert len(differences) == 3 * -(-m // batch_size)
    assert next(steps, None) is None, "the hand-written loop took more steps than mathnn"
    assert max(differences) <= 1e-12
    assert max(costs) <= 1e-12
    assert largest_difference(parameters, mathnn.Network.from_sizes(sizes, seed=init_seed)) > 1e-3  # it moved


def test_a_wrong_backward_pass_would_be_caught(by_hand):
    """The comparison can fail: a backward pass without ReLU's derivative drifts away from mathnn at once."""
    sizes = [2, 6, 5, 1]
    X, Y = data.circles(m=40, seed=0)
    parameters = by_hand["init_parameters"](sizes, np.random.default_rng(0))
    network = mathnn.Network.from_sizes(sizes, seed=0)
    Y_hat, cache = by_hand["forward"](X, parameters)
    relu_free = [(A_prev, np.abs(Z) + 1.0) for A_prev, Z in cache]  # Z > 0 everywhere: g' would be 1
    wrong = by_hand["backward"](Y_hat, Y, relu_free, parameters)
    right = by_hand["backward"](Y_hat, Y, cache, parameters)
    network.cost(X, Y)
    network.backward(Y)
    assert max(float(np.max(np.abs(g - layer.dW))) for (g, _), layer in zip(right, network.layers)) <= 1e-12
    assert max(float(np.max(np.abs(g - layer.dW))) for (g, _), layer in zip(wrong, network.layers)) > 1e-6


def test_the_cost_by_hand_is_mathnn_s(by_hand):
    X, Y = data.circles(m=50, seed=2)
    network = mathnn.Network.from_sizes([2, 5, 1], seed=2)
    parameters = by_hand["init_parameters"]([2, 5, 1], np.random.default_rng(2))
    _, cache = by_hand["forward"](X, parameters)
    assert abs(by_hand["cost"](cache[-1][1], Y) - network.cost(X, Y)) <= 1e-12


def test_without_shuffling_the_batches_follow_the_data_order(by_hand):
    X, Y = data.circles(m=20, seed=0)
    parameters = by_hand["init_parameters"]([2, 3, 1], np.random.default_rng(0))
    seen = []
    original = by_hand["forward"]

    def recording_forward(X_batch, params):
        seen.append(X_batch.copy())
        return original(X_batch, params)

    by_hand["forward"] = recording_forward
    try:
        list(by_hand["train_by_hand"](X, Y, parameters, epochs=1, learning_rate=0.1, batch_size=8,
                                      rng=np.random.default_rng(0), shuffle=False))
    finally:
        by_hand["forward"] = original
    assert [batch.shape[1] for batch in seen] == [8, 8, 4]
    assert np.array_equal(np.hstack(seen), X)


# --- the training movie (mathnn.widgets.movie) -----------------------------------------------------------


@pytest.fixture(scope="module")
def recording():
    from mathnn.widgets import movie

    X, Y = data.circles(m=120, seed=0)
    X_train, X_test, Y_train, Y_test = data.train_test_split(X, Y, test_fraction=0.25, seed=0)
    rec = movie.record(mathnn.Network.from_sizes([2, 6, 1], seed=0), X_train, Y_train, epochs=3, learning_rate=0.5,
                       batch_size=30, seed=1, at_steps=[0, 1, 3, 9], validation=(X_test, Y_test), grid=9)
    return rec, (X_train, Y_train, X_test, Y_test)


def test_a_recorded_frame_is_the_network_at_that_step(recording):
    from mathnn import plots

    rec, (X_train, Y_train, X_test, Y_test) = recording
    assert rec.steps == [0, 1, 3, 9] and rec.outputs.shape == (4, 9, 9) and rec.outputs.dtype == np.uint8
    assert rec.steps_per_epoch == 3 and rec.epochs == [0, 1 / 3, 1, 3]
    _, points = plots.boundary_grid(np.hstack([X_train, X_test]), 9)
    network = mathnn.Network.from_sizes([2, 6, 1], seed=0)
    seen = {}

    def keep(event):
        if event.kind == "step" and event.step in (1, 3, 9):
            seen[event.step] = (plots.model_outputs(event.network, points), event.network.cost(X_test, Y_test),
                                event.network.accuracy(X_train, Y_train))

    network.fit(X_train, Y_train, epochs=3, learning_rate=0.5, batch_size=30, seed=1, callbacks=[keep])
    for k, step in enumerate(rec.steps[1:], start=1):
        outputs, test_cost, train_accuracy = seen[step]
        assert np.array_equal(rec.outputs[k], np.round(255 * outputs[0].reshape(9, 9)).astype(np.uint8))
        assert rec.test_cost[k] == pytest.approx(test_cost, abs=1e-12)
        assert rec.train_accuracy[k] == train_accuracy
    assert "epoch 1.00 (step 3)" in rec.caption(2)


def test_the_player_ships_every_frame_and_loads_nothing(recording):
    import base64
    import re

    from mathnn.widgets import movie
    from mathnn.widgets._explorer import SIZE_BUDGET

    rec, _ = recording
    player = movie.movie_player(rec)
    spec = json.loads(re.search(r"var SPEC = (\{.*?\});\n", player.html).group(1))
    frames = np.frombuffer(base64.b64decode(spec["frames"]), np.uint8).reshape(rec.outputs.shape)
    assert np.array_equal(frames, rec.outputs)
    assert spec["steps"] == rec.steps and len(spec["colours"]) == 256
    assert not re.search(r'(src|href)\s*=\s*"', player.html) and "<link" not in player.html
    for control in ("-play", "-step", "-reset", "-frame"):
        assert f'id="{player.id}{control}"' in player.html
    assert "\u25b6 Play" in player.html  # a text button: no icon font to fetch
    assert player.nbytes < SIZE_BUDGET


def test_a_movie_of_one_frame_is_refused(recording):
    from dataclasses import replace

    from mathnn.widgets import movie

    rec, _ = recording
    with pytest.raises(ValueError, match="at least 2 frames"):
        movie.movie_player(replace(rec, steps=[0], outputs=rec.outputs[:1]))
