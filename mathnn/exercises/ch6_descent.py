r"""Chapter 6, gradient descent and mini-batch SGD: one update, one epoch of mini-batches."""

import numpy as np

from mathnn.exercises._harness import Answer, call, check


def check_sgd_step(fn):
    r"""Check ``fn(W, b, dW, db, learning_rate) -> (W, b)``: :math:`W \leftarrow W - \alpha\, dW`, same for b."""
    rng = np.random.default_rng(6)
    cases = [
        {
            "W": rng.standard_normal((4, 3)),
            "b": rng.standard_normal((4, 1)),
            "dW": rng.standard_normal((4, 3)),
            "db": rng.standard_normal((4, 1)),
            "learning_rate": 0.1,
        }
    ]

    def answer(name, param, grad):
        return Answer(
            name,
            lambda **c: c[param] - c["learning_rate"] * c[grad],
            (
                (
                    lambda **c: c[param] + c["learning_rate"] * c[grad],
                    "you went uphill: subtract α times the gradient.",
                ),
                (lambda **c: c[param] - c[grad], "you forgot the learning rate α."),
                (lambda **c: c[param], f"{name} did not change: update it too."),
            ),
            f"{name} keeps its shape {cases[0][param].shape}.",
        )

    return check("check_sgd_step", fn, cases, [answer("W", "W", "dW"), answer("b", "b", "db")])


def check_batches(fn):
    """Check ``fn(m, batch_size, rng) -> list of index arrays``: one epoch of shuffled mini-batches.

    Every example 0..m−1 must appear exactly once, each batch holds ``batch_size`` indices except
    possibly the last (the m % batch_size left over), and the order must be shuffled by ``rng``.
    """
    def run(fn, case):
        result, _, error = call(fn, {**case, "rng": np.random.default_rng(0)})
        return error or _judge_batches(result, case["m"], case["batch_size"])

    return check("check_batches", fn, [{"m": 103, "batch_size": 10}], run,
                 where=lambda number, c: f"test input: m = {c['m']}, batch_size = {c['batch_size']}",
                 done="every example once, batches of the right size, shuffled.")


def _judge_batches(result, m, batch_size):
    if result is None:
        return "your function returned None: return the list of index arrays."
    try:
        batches = [np.asarray(batch).ravel() for batch in result]
    except TypeError:
        return f"your function should return a list of index arrays, but returned {type(result).__name__}."
    sizes = [len(batch) for batch in batches]
    everything = np.concatenate(batches) if batches else np.array([])
    seen, counts = np.unique(everything, return_counts=True)
    if (counts > 1).any():
        first = int(np.argmax(counts > 1))
        return (
            f"example {int(seen[first])} appears {counts[first]} times: shuffle one permutation, "
            f"rng.permutation(m), instead of drawing indices with replacement."
        )
    if len(seen) < m:
        missing = m - len(seen)
        if missing == m % batch_size:
            return f"the last {missing} examples (m % batch_size) never appear: keep the smaller last batch."
        return f"{missing} of the {m} examples never appear in a batch."
    if any(size != batch_size for size in sizes[:-1]) or sizes[-1] > batch_size:
        return (
            f"the batches should hold batch_size = {batch_size} examples (the last may hold fewer), but hold {sizes}."
        )
    if np.array_equal(everything, np.arange(m)):
        return "the batches follow the original order 0, 1, 2, ...: shuffle with rng.permutation(m) each epoch."
    return None
