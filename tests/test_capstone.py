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
