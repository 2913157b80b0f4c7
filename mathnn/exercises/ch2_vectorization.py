r"""Chapter 2, from one neuron to a layer to a batch: a dense layer's Z, the shapes of a layer, a forward pass."""

import operator

import numpy as np

from mathnn import activations, layers
from mathnn.exercises._harness import Answer, call, check, layer_cases, pick, readable, shown
from mathnn.network import Network


def check_dense_forward(fn):
    r"""Check ``fn(A_prev, W, b) -> Z`` with :math:`Z = W A_{prev} + b`.

    ``A_prev`` (n_prev, m), ``W`` (n, n_prev), ``b`` (n, 1); ``Z`` (n, m). The reference is
    :func:`mathnn.layers.dense_forward`.
    """
    answer = Answer(
        "Z",
        lambda A_prev, W, b: layers.dense_forward(A_prev, W, b)[0],
        (
            (lambda A_prev, W, b: W @ A_prev, "you forgot to add the bias b."),
            (lambda A_prev, W, b: W @ A_prev - b, "you subtracted b; Z = W A_prev + b."),
            (
                lambda A_prev, W, b: activations.sigmoid(W @ A_prev + b),
                "you applied an activation; this step returns Z, before g.",
            ),
        ),
        hint="Z has one row per unit and one column per example, (n, m) = W @ A_prev + b.",
    )
    return check("check_dense_forward", fn, pick(layer_cases(), "A_prev", "W", "b"), [answer])



def check_layer_shapes(fn):
    """Check ``fn(sizes, m, l) -> (W_shape, b_shape, A_shape)``, the shapes of layer l's W, b and A.

    The right shapes are read from a real :class:`mathnn.network.Network` of those sizes. Returns a
    :class:`mathnn.exercises.Feedback` that explains the first wrong shape.
    """
    cases = [
        {"sizes": sizes, "m": m, "l": l}
        for sizes, m, l in [([4, 10, 7, 3, 1], 32, 3), ([2, 25, 50, 50, 25, 1], 1000, 1), ([3, 5, 2], 7, 2),
                            ([6, 4], 9, 1)]
    ]
    return check("check_layer_shapes", fn, cases, _judge_layer_shapes, done=f"correct on {len(cases)} networks.",
                 where=lambda number, c: f"test input: sizes = {c['sizes']}, m = {c['m']}, l = {c['l']}")


def _judge_layer_shapes(fn, case):
    sizes, m, l = tuple(case["sizes"]), case["m"], case["l"]
    got, _, error = call(fn, {"sizes": list(sizes), "m": m, "l": l})
    if error:
        return error
    if got is None:
        return "your function returned None: did you forget `return W_shape, b_shape, A_shape`?"
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return f"return three shapes, (W_shape, b_shape, A_shape), not {shown(got)}."
    expected = _real_shapes(sizes, m, l)
    n, n_prev = sizes[l], sizes[l - 1]
    for name, answer in zip(("W", "b", "A"), got):
        message = _shape_advice(name, answer, expected[name], l, n, n_prev, m)
        if message:
            return message
    return None


def _real_shapes(sizes, m, l):
    """The shapes of W, b and A of layer l in a real network with these sizes, on m examples."""
    layer = Network.from_sizes(list(sizes), seed=0).layers[l - 1]
    A = np.zeros((sizes[0], m))
    for earlier in Network.from_sizes(list(sizes[: l + 1]), seed=0).layers:
        A = layers.dense_forward(A, earlier.W, earlier.b)[0]
    return {"W": layer.W.shape, "b": layer.b.shape, "A": A.shape}


def _shape_advice(name, answer, expected, l, n, n_prev, m):
    """None if ``answer`` is the ``expected`` shape, else what is wrong with it."""
    answer = readable(answer)
    try:
        answer = tuple(_whole(d) for d in answer)
    except (TypeError, ValueError, OverflowError):
        return (f"the shape of {name}^[{l}] should be a tuple of whole numbers (int, as numpy's shapes are), "
                f"but got {shown(answer)}.")
    if answer == expected:
        return None
    text = f"{name}^[{l}] has shape {expected}, not {answer}. "
    if name == "W" and answer == expected[::-1]:
        return text + (f"That is the transpose: row j of W^[{l}] holds the weights into unit j, so W^[{l}] has "
                       f"one row per unit of layer {l} (n[{l}] = {n}) and one column per unit of layer {l - 1} "
                       f"(n[{l - 1}] = {n_prev}).")
    if name == "b" and answer in ((n,), (1, n)):
        return text + "b is a column, one bias per unit, so that it is added to each of the m columns."
    if name == "A" and answer == (m, n):
        return text + "Examples are columns: A has one row per unit and one column per example."
    return text + (f"sizes[0] is the input, layer 0, so layer {l} has sizes[{l}] = {n} units and its inputs "
                   f"come from sizes[{l - 1}] = {n_prev} units.")


def _whole(d):
    """``d`` as an int if it is a whole number that is not a bool, else a TypeError (a float, inf, NaN, "4")."""
    if isinstance(d, (bool, np.bool_)):
        raise TypeError("a bool is not a size")
    return operator.index(readable(d))


def _reference_forward(X, Ws, bs, hidden="relu", output="sigmoid"):
    A = X
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        A = activations.get(output if l == len(Ws) else hidden).value(W @ A + b)
    return A


def check_forward_pass(fn):
    """Check ``fn(X, Ws, bs) -> Y_hat``: ReLU in every hidden layer, the sigmoid in the last.

    ``Ws`` and ``bs`` are lists, ``Ws[l - 1]`` of shape (n[l], n[l-1]) and ``bs[l - 1]`` of shape (n[l], 1);
    X is (n0, m) and Y_hat (nL, m). The reference is :class:`mathnn.network.Network`'s forward pass.
    """
    answer = Answer(
        "Y_hat",
        _reference_forward,
        (
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, output="relu"),
             "the last layer must use the sigmoid, not ReLU."),
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, hidden="sigmoid"),
             "the hidden layers must use ReLU; only the last uses the sigmoid."),
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, hidden="linear"),
             "you skipped the hidden layers' activation: A = relu(Z) after every hidden layer."),
            (lambda X, Ws, bs: _reference_forward(X, Ws, bs, output="linear"),
             "you returned Z of the last layer; apply the sigmoid to get Y_hat."),
        ),
        hint="Y_hat has one row per output unit and one column per example, (n[L], m).",
    )
    cases = []
    for number, (sizes, m) in enumerate([([3, 5, 4, 2], 6), ([2, 7, 1], 9)], start=1):
        net = Network.from_sizes(sizes, seed=number)
        rng = np.random.default_rng(number)
        for layer in net.layers:
            layer.b = rng.standard_normal(layer.b.shape)
        cases.append({"X": rng.standard_normal((sizes[0], m)), "Ws": [layer.W for layer in net.layers],
                      "bs": [layer.b for layer in net.layers]})

    def network(number, case):
        sizes = [case["X"].shape[0], *(W.shape[0] for W in case["Ws"])]
        return f"test network {sizes} with m = {case['X'].shape[1]}"

    return check("check_forward_pass", fn, cases, [answer], where=network, done="correct on 2 networks.")
