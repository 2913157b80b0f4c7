"""mathnn.exercises: right answers pass, and each kind of wrong answer gets its own diagnosis."""

import numpy as np
import pytest

from mathnn import exercises as ex
from mathnn import losses
from mathnn.activations import relu, sigmoid, softmax, tanh


def _m(Y):
    return Y.shape[1]


def _step(z):
    return float((z >= 0).item())


def perceptron_update(w, b, x, y, alpha):
    y_hat = _step(w @ x + b)
    return w + alpha * (y - y_hat) * x.T, b + alpha * (y - y_hat)


def stable_softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def shuffled_batches(m, batch_size, rng):
    order = rng.permutation(m)
    return [order[start : start + batch_size] for start in range(0, m, batch_size)]


CORRECT = {
    "perceptron_predict": (ex.check_perceptron_predict, lambda X, w, b: (w @ X + b >= 0).astype(float)),
    "perceptron_update": (ex.check_perceptron_update, perceptron_update),
    "dense_forward": (ex.check_dense_forward, lambda A_prev, W, b: W @ A_prev + b),
    "sigmoid": (ex.check_sigmoid, lambda Z: 1 / (1 + np.exp(-Z))),
    "tanh": (ex.check_tanh, np.tanh),
    "relu": (ex.check_relu, lambda Z: np.maximum(0, Z)),
    "softmax": (ex.check_softmax, stable_softmax),
    "sigmoid_derivative": (ex.check_sigmoid_derivative, lambda Z: sigmoid(Z) * (1 - sigmoid(Z))),
    "tanh_derivative": (ex.check_tanh_derivative, lambda Z: 1 - tanh(Z) ** 2),
    "relu_derivative": (ex.check_relu_derivative, lambda Z: (Z > 0) * 1.0),
    "mse": (ex.check_mse, lambda Y_hat, Y: np.sum((Y_hat - Y) ** 2) / _m(Y)),
    "bce": (ex.check_bce, lambda P, Y: -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / _m(Y)),
    "bce_from_logits": (
        ex.check_bce_from_logits,
        lambda Z, Y: np.sum(np.maximum(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z)))) / _m(Y),
    ),
    "mse_gradient": (ex.check_mse_gradient, lambda Y_hat, Y: 2 * (Y_hat - Y) / _m(Y)),
    "bce_gradient": (ex.check_bce_gradient, lambda P, Y: ((1 - Y) / (1 - P) - Y / P) / _m(Y)),
    "cce_gradient": (ex.check_cce_gradient, lambda P, Y: -Y / P / _m(Y)),
    "dense_backward": (
        ex.check_dense_backward,
        lambda dZ, A_prev, W: (W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)),
    ),
    "dW": (ex.check_dW, lambda dZ, A_prev: dZ @ A_prev.T),
    "db": (ex.check_db, lambda dZ: np.sum(dZ, axis=1, keepdims=True)),
    "dA_prev": (ex.check_dA_prev, lambda dZ, W: W.T @ dZ),
    "output_dZ": (ex.check_output_dZ, lambda A, Y: (A - Y) / _m(Y)),
    "sgd_step": (
        ex.check_sgd_step,
        lambda W, b, dW, db, learning_rate: (W - learning_rate * dW, b - learning_rate * db),
    ),
    "batches": (ex.check_batches, shuffled_batches),
    "learning_rates": (ex.check_learning_rates, lambda lam: (2 / lam.max(), 2 / (lam.max() + lam.min()))),
}


@pytest.mark.parametrize("name", CORRECT)
def test_a_correct_solution_passes(name):
    check, solution = CORRECT[name]
    feedback = check(solution)
    assert feedback.ok, feedback
    assert bool(feedback)
    assert repr(feedback).startswith("✓")
    assert "✓" in feedback._repr_html_()


def _in_place_sgd(W, b, dW, db, learning_rate):
    W -= learning_rate * dW
    b -= learning_rate * db


def _raises(*args):
    raise ValueError("something broke inside")


WRONG = [
    # returned None
    ("none", ex.check_dense_forward, lambda A_prev, W, b: None, ["returned None", "return Z"]),
    ("in place", ex.check_sgd_step, _in_place_sgd, ["changed W, b in place", "return the new values"]),
    # the reader's code raises
    ("raises", ex.check_relu, _raises, ["raised ValueError: something broke inside"]),
    ("complex", ex.check_relu, lambda Z: np.maximum(Z, 0) + 1j, ["complex numbers"]),
    ("a string", ex.check_relu, lambda Z: "relu", ["should be numbers"]),
    ("W vs W.T forward", ex.check_dense_forward, lambda A_prev, W, b: W.T @ A_prev + b, ["raised", "W.T @ dZ"]),
    ("W vs W.T backward", ex.check_dA_prev, lambda dZ, W: W @ dZ, ["matrix product", "W.T @ dZ"]),
    ("float of array", ex.check_perceptron_update, lambda w, b, x, y, alpha: float(w @ x + b), [".item()"]),
    # wrong shape
    ("transposed dW", ex.check_dW, lambda dZ, A_prev: A_prev @ dZ.T, ["got (3, 4), expected (4, 3)", "transposed"]),
    ("transposed Z", ex.check_dense_forward, lambda A_prev, W, b: (W @ A_prev + b).T, ["got (5, 4)", "transposed"]),
    ("1-D db", ex.check_db, lambda dZ: dZ.sum(axis=1), ["got (4,), expected (4, 1)", "keepdims=True"]),
    ("db wrong axis", ex.check_db, lambda dZ: dZ.sum(axis=0, keepdims=True), ["got (1, 5)", "axis=1"]),
    (
        "perceptron broadcast",
        ex.check_perceptron_update,
        lambda w, b, x, y, alpha: (w + alpha * (y - _step(w @ x + b)) * x, b + alpha * (y - _step(w @ x + b))),
        ["got (4, 4), expected (1, 4)", "x.T"],
    ),
    ("cost not a number", ex.check_mse, lambda Y_hat, Y: (Y_hat - Y) ** 2 / _m(Y), ["single number", "(3, 5)"]),
    ("too few values", ex.check_sgd_step, lambda W, b, dW, db, lr: W - lr * dW, ["return 2 values", "(W, b)"]),
    (
        "wrong order",
        ex.check_dense_backward,
        lambda dZ, A_prev, W: (dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ),
        ["wrong order", "(dA_prev, dW, db)"],
    ),
    # wrong sign
    ("sign dW", ex.check_dW, lambda dZ, A_prev: -dZ @ A_prev.T, ["sign is flipped"]),
    ("sign mse gradient", ex.check_mse_gradient, lambda Y_hat, Y: 2 * (Y - Y_hat) / _m(Y), ["sign is flipped"]),
    ("sign bce", ex.check_bce, lambda P, Y: np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / _m(Y), ["sign"]),
    ("uphill", ex.check_sgd_step, lambda W, b, dW, db, lr: (W + lr * dW, b + lr * db), ["uphill"]),
    # factor m
    ("mse summed", ex.check_mse, lambda Y_hat, Y: np.sum((Y_hat - Y) ** 2), ["m times too large", "divide by m"]),
    ("gradient not averaged", ex.check_mse_gradient, lambda Y_hat, Y: 2 * (Y_hat - Y), ["m times too large"]),
    (
        "dW averaged twice",
        ex.check_dW,
        lambda dZ, A_prev: dZ @ A_prev.T / _m(dZ),
        ["m times too small", "already carries the 1/m"],
    ),
    ("db mean", ex.check_db, lambda dZ: dZ.mean(axis=1, keepdims=True), ["m times too small", "dZ.sum"]),
    ("bce gradient twice", ex.check_bce_gradient, lambda P, Y: ((1 - Y) / (1 - P) - Y / P) / _m(Y) ** 2, ["twice"]),
    ("output dZ", ex.check_output_dZ, lambda A, Y: A - Y, ["m times too large"]),
    ("mse np.mean", ex.check_mse, lambda Y_hat, Y: np.mean((Y_hat - Y) ** 2), ["averaged over the outputs"]),
    # factor 2
    ("mse gradient half", ex.check_mse_gradient, lambda Y_hat, Y: (Y_hat - Y) / _m(Y), ["half", "keep the 2"]),
    (
        "bce from logits, naive",
        ex.check_bce_from_logits,
        lambda Z, Y: np.sum(np.log(1 + np.exp(Z)) - Y * Z) / _m(Y),
        ["NaN or inf", "np.log1p(np.exp(-np.abs(Z)))"],
    ),
    (
        "bce from logits, clipped probabilities",
        ex.check_bce_from_logits,
        lambda Z, Y: losses.binary_cross_entropy(1 / (1 + np.exp(-np.clip(Z, -700, 700))), Y),
        ["caps each loss", "Compute from Z"],
    ),
    (
        "bce from logits, summed",
        ex.check_bce_from_logits,
        lambda Z, Y: np.sum(np.maximum(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z)))),
        ["m times too large"],
    ),
    ("mse half", ex.check_mse, lambda Y_hat, Y: np.sum((Y_hat - Y) ** 2) / (2 * _m(Y)), ["no ½"]),
    ("both", ex.check_mse_gradient, lambda Y_hat, Y: Y_hat - Y, ["both the 1/m and the factor 2"]),
    # missing bias
    ("no bias", ex.check_dense_forward, lambda A_prev, W, b: W @ A_prev, ["forgot to add the bias"]),
    ("no bias predict", ex.check_perceptron_predict, lambda X, w, b: (w @ X >= 0) * 1.0, ["forgot the bias"]),
    (
        "bias not learned",
        ex.check_perceptron_update,
        lambda w, b, x, y, alpha: (perceptron_update(w, b, x, y, alpha)[0], b),
        ["b did not change"],
    ),
    ("sgd bias", ex.check_sgd_step, lambda W, b, dW, db, lr: (W - lr * dW, b), ["b did not change"]),
    # other slips the chapters warn about
    ("step at 0", ex.check_perceptron_predict, lambda X, w, b: (w @ X + b > 0) * 1.0, ["z = 0", "z ≥ 0"]),
    ("no learning rate", ex.check_sgd_step, lambda W, b, dW, db, lr: (W - dW, b - db), ["learning rate"]),
    ("activation applied", ex.check_dense_forward, lambda A_prev, W, b: sigmoid(W @ A_prev + b), ["activation"]),
    ("s(1-s) of z", ex.check_sigmoid_derivative, lambda Z: Z * (1 - Z), ["first compute s = sigmoid(z)"]),
    ("sigma itself", ex.check_sigmoid_derivative, sigmoid, ["σ(z) itself"]),
    ("sigmoid overflow", ex.check_sigmoid, lambda Z: np.exp(Z) / (1 + np.exp(Z)), ["NaN or inf", "overflow"]),
    ("softmax overflow", ex.check_softmax, lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), ["NaN or inf", "max"]),
    ("softmax rows", ex.check_softmax, lambda Z: softmax(Z.T).T, ["each row sums to 1", "axis=0"]),
    ("softmax total", ex.check_softmax, lambda Z: np.exp(Z) / np.exp(Z).sum(), ["whole matrix"]),
    ("relu flipped", ex.check_relu_derivative, lambda Z: (Z < 0) * 1.0, ["flipped"]),
    ("bce half gradient", ex.check_bce_gradient, lambda P, Y: -Y / P / _m(Y), ["only −y/ŷ"]),
    ("wrong values", ex.check_tanh, lambda Z: np.tanh(Z) + 0.1, ["right shape (3, 5) but wrong values", "index"]),
    ("last batch dropped", ex.check_batches, lambda m, size, rng: shuffled_batches(m, size, rng)[:-1], ["last 3"]),
    (
        "not shuffled",
        ex.check_batches,
        lambda m, size, rng: [np.arange(i, min(i + size, m)) for i in range(0, m, size)],
        ["original order"],
    ),
    ("smallest curvature", ex.check_learning_rates, lambda lam: (2 / lam.min(), 0.1), ["smallest curvature"]),
    ("no overshoot", ex.check_learning_rates, lambda lam: (1 / lam.max(), 0.1), ["overshoot"]),
    ("settle the steep one", ex.check_learning_rates, lambda lam: (2 / lam.max(), 1 / lam.max()), ["balance"]),
    ("rates swapped", ex.check_learning_rates, lambda lam: (2 / (lam.max() + lam.min()), 2 / lam.max()), ["order"]),
    ("numbers of one case", ex.check_learning_rates, lambda lam: (1 / 3, 2 / 7), ["curvatures = [0.5, 40.0, 3.0]"]),
    (
        "duplicates",
        ex.check_batches,
        lambda m, size, rng: [rng.integers(0, m, size) for _ in range(11)],
        ["appears", "permutation"],
    ),
]


@pytest.mark.parametrize(("check", "fn", "words"), [case[1:] for case in WRONG], ids=[case[0] for case in WRONG])
def test_a_wrong_answer_gets_its_diagnosis(check, fn, words):
    feedback = check(fn)
    assert not feedback.ok
    assert not feedback
    assert repr(feedback).startswith("✗")
    assert "test input" in feedback.message
    for word in words:
        assert word in feedback.message, feedback.message


def test_duplicates_message_names_the_count():
    feedback = ex.check_batches(lambda m, size, rng: [np.zeros(size, dtype=int) for _ in range(11)])
    assert "appears 110 times" in feedback.message


def test_sign_of_the_perceptron_rule_is_diagnosed():
    feedback = ex.check_perceptron_update(
        lambda w, b, x, y, alpha: (
            w - alpha * (y - _step(w @ x + b)) * x.T,
            b - alpha * (y - _step(w @ x + b)),
        )
    )
    assert "sign is flipped" in feedback.message


def test_feedback_html_escapes_the_message():
    feedback = ex.Feedback(False, "got <array> & more", "check_x")
    assert "&lt;array&gt; &amp; more" in feedback._repr_html_()
    assert "✗" in feedback._repr_html_()


def test_the_readers_inputs_are_not_changed_for_the_next_test():
    seen = []

    def forward(A_prev, W, b):
        seen.append(W.copy())
        W *= 0  # a careless reader's function scribbles on its input
        return np.zeros((W.shape[0], A_prev.shape[1]))

    ex.check_dense_forward(forward)
    assert ex.check_dense_forward(lambda A_prev, W, b: W @ A_prev + b).ok
    assert np.abs(seen[0]).sum() > 0


def test_passing_a_result_instead_of_a_function_is_a_type_error():
    with pytest.raises(TypeError, match="pass the function itself"):
        ex.check_relu(np.maximum(0, np.ones((2, 2))))


def test_softmax_has_no_elementwise_derivative_to_check():
    with pytest.raises(ValueError, match="Jacobian"):
        ex.check_activation_derivative("softmax", lambda Z: Z)


def test_unknown_names_raise_with_the_known_ones():
    with pytest.raises(ValueError, match="known ones"):
        ex.check_activation("sigmod", lambda Z: Z)


def test_an_untouched_stub_is_not_attempted_rather_than_wrong():
    def predict(X, w, b):
        """Still to do."""
        ...

    feedback = ex.check_perceptron_predict(predict)
    assert not feedback.ok and not feedback.attempted
    assert "not attempted yet" in feedback.message and "…" in repr(feedback)
    assert "#6e7781" in feedback._repr_html_()


@pytest.mark.parametrize("name", [name for name in ex.__all__ if name.startswith("check_")])
def test_every_checker_runs_through_the_harness(name):
    def stub(*args):
        """Still to do."""
        ...  # your code here

    checker = getattr(ex, name)
    feedback = checker("sigmoid", stub) if name in ("check_activation", "check_activation_derivative") else (
        checker("mse", stub) if name in ("check_loss", "check_loss_gradient") else checker(stub)
    )
    assert not feedback.ok and not feedback.attempted and feedback.message.startswith("not attempted yet")


def test_the_harness_lives_in_one_private_module_and_each_chapter_in_its_own():
    import inspect

    from mathnn.exercises import _harness

    for name in ex.__all__:
        module = inspect.getmodule(getattr(ex, name)).__name__
        assert module == "mathnn.exercises._harness" or module.startswith("mathnn.exercises.ch"), name
    assert _harness.check.__module__ == "mathnn.exercises._harness"


def _neuron_gradient(X, Y, w, b):
    y_hat = 1 / (1 + np.exp(-(w @ X + b)))
    dZ = 2 * (y_hat - Y) * y_hat * (1 - y_hat) / Y.shape[1]
    return dZ @ X.T, dZ.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("wrong", "diagnosis"),
    [
        (lambda X, Y, w, b: tuple(-g for g in _neuron_gradient(X, Y, w, b)), "sign is flipped"),
        (lambda X, Y, w, b: tuple(Y.shape[1] * g for g in _neuron_gradient(X, Y, w, b)), "m times too large"),
        (lambda X, Y, w, b: tuple(0.5 * g for g in _neuron_gradient(X, Y, w, b)), "half the right value"),
        (lambda X, Y, w, b: (_neuron_gradient(X, Y, w, b)[0].T, _neuron_gradient(X, Y, w, b)[1]), "shape"),
    ],
)
def test_neuron_gradient_checker(wrong, diagnosis):
    assert ex.check_neuron_gradient(_neuron_gradient).ok
    feedback = ex.check_neuron_gradient(wrong)
    assert not feedback.ok and diagnosis in feedback.message, feedback.message


def test_neuron_gradient_checker_spots_a_missing_sigmoid_derivative():
    def no_slope(X, Y, w, b):
        dZ = 2 * (1 / (1 + np.exp(-(w @ X + b))) - Y) / Y.shape[1]
        return dZ @ X.T, dZ.sum(axis=1, keepdims=True)

    feedback = ex.check_neuron_gradient(no_slope)
    assert "σ'(z) is missing" in feedback.message, feedback.message



def test_the_sigmoid_derivative_as_first_derived_passes_chapter_1s_checker():
    """Chapter 1 derives e^{-z} / (1 + e^{-z})^2 before chapter 3 teaches overflow: it must pass."""
    feedback = ex.check_sigmoid_derivative(lambda Z: np.exp(-Z) / (1 + np.exp(-Z)) ** 2)
    assert feedback.ok, feedback.message


def test_the_sigmoid_derivative_checker_still_reaches_the_flat_tails():
    """On |z| <= 30 a derivative that is right near 0 but wrong on the tails must still fail."""
    near_zero_only = lambda Z: np.where(np.abs(Z) < 10, sigmoid(Z) * (1 - sigmoid(Z)), 0.25)  # noqa: E731
    assert not ex.check_sigmoid_derivative(near_zero_only).ok

# --- chapter 2: the shapes of a layer, a forward pass ------------------------------------------------


def layer_shapes(sizes, m, l):
    return (sizes[l], sizes[l - 1]), (sizes[l], 1), (sizes[l], m)


def test_check_layer_shapes_accepts_the_right_answer():
    assert ex.check_layer_shapes(layer_shapes).ok


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (lambda s, m, l: ((s[l - 1], s[l]), (s[l], 1), (s[l], m)), "transpose"),
        (lambda s, m, l: ((s[l], s[l - 1]), (s[l],), (s[l], m)), "b is a column"),
        (lambda s, m, l: ((s[l], s[l - 1]), (s[l], 1), (m, s[l])), "Examples are columns"),
        (lambda s, m, l: ((s[l + 1], s[l]), (s[l + 1], 1), (s[l + 1], m)), "sizes[0] is the input"),
        (lambda s, m, l: None, "returned None"),
        (lambda s, m, l: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_check_layer_shapes_explains_mistakes(fn, words):
    feedback = ex.check_layer_shapes(fn)
    assert not feedback.ok and words in feedback.message


def forward(X, Ws, bs):
    A = X
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        Z = W @ A + b
        A = sigmoid(Z) if l == len(Ws) else relu(Z)
    return A


def test_check_forward_pass():
    assert ex.check_forward_pass(forward).ok
    relu_everywhere = ex.check_forward_pass(_all_relu)
    assert not relu_everywhere.ok and "sigmoid, not ReLU" in relu_everywhere.message
    assert "returned None" in ex.check_forward_pass(lambda X, Ws, bs: None).message
    with pytest.raises(TypeError, match="pass the function itself"):
        ex.check_forward_pass(forward(np.ones((2, 1)), [np.ones((1, 2))], [np.ones((1, 1))]))


def _all_relu(X, Ws, bs):
    A = X
    for W, b in zip(Ws, bs):
        A = relu(W @ A + b)
    return A


def test_untouched_stubs_are_not_attempted_rather_than_wrong():
    def layer_stub(sizes, m, l):
        """Shapes of layer l."""
        ...  # your code here

    def forward_stub(X, Ws, bs):
        pass

    for feedback in (ex.check_layer_shapes(layer_stub), ex.check_forward_pass(forward_stub)):
        assert not feedback.ok and not feedback.attempted and "not attempted" in feedback.message


# --- hostile answers: the kinds of tests/test_hostile.py, with their messages ---------------------------


def test_a_forward_pass_that_doubles_the_weights_in_place_is_caught():
    def doubling(X, Ws, bs):
        for W in Ws:
            W *= 2  # the arrays inside a list are the reader's to change, not the reference's
        return forward(X, Ws, bs)

    feedback = ex.check_forward_pass(doubling)
    assert not feedback.ok and "wrong values" in feedback.message and "changed Ws in place" in feedback.message


def test_the_right_answer_that_scribbles_on_its_inputs_is_not_passed():
    def scribbles(A_prev, W, b):
        Z = W @ A_prev + b
        W[:] = 0
        return Z

    feedback = ex.check_dense_forward(scribbles)
    assert not feedback.ok and "returns the right Z, but it also changed W in place" in feedback.message
    in_place_update = ex.check_sgd_step(lambda W, b, dW, db, lr: (_subtract(W, lr * dW), _subtract(b, lr * db)))
    assert in_place_update.ok  # an update rule may change W and b in place


def _subtract(array, step):
    array -= step
    return array


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda m, size, rng: [b + 1 for b in shuffled_batches(m, size, rng)], "holds the index 103"),
        (lambda m, size, rng: [-b - 1 for b in shuffled_batches(m, size, rng)], "negative index"),
        (lambda m, size, rng: [b * 1.0 for b in shuffled_batches(m, size, rng)], "whole numbers"),
        (lambda m, size, rng: [*shuffled_batches(m, size, rng), np.array([np.nan])], "float64 numbers such as nan"),
        (lambda m, size, rng: [None, None], "batch 1 should be a 1-D array of whole-number indices"),
        (lambda m, size, rng: shuffled_batches(m, size, np.random.default_rng(3)), "ignores the rng"),
        (lambda m, size, rng: shuffled_batches(m, size, np.random.default_rng()), "same seed gave different"),
    ],
)
def test_check_batches_refuses_what_cannot_index_or_ignores_the_generator(wrong, words):
    feedback = ex.check_batches(wrong)
    assert not feedback.ok and words in feedback.message, feedback.message


def test_mathnn_s_dense_forward_is_told_to_return_z_alone():
    from mathnn import layers

    feedback = ex.check_dense_forward(layers.dense_forward)
    assert not feedback.ok
    assert "returned 2 values; return Z alone" in feedback.message and "(Z, cache)" in feedback.message


def test_an_infinite_size_in_a_shape_is_explained():
    feedback = ex.check_layer_shapes(lambda s, m, l: ((s[l], float("inf")), (s[l], 1), (s[l], m)))
    assert not feedback.ok and "whole numbers" in feedback.message and "inf" in feedback.message


def test_float32_is_held_to_float32_precision_and_named_when_wrong():
    def forward32(A_prev, W, b):
        return W.astype(np.float32) @ A_prev.astype(np.float32) + b.astype(np.float32)

    assert ex.check_dense_forward(forward32).ok
    feedback = ex.check_dense_forward(lambda A_prev, W, b: (forward32(A_prev, W, b) + 1e-3).astype(np.float32))
    assert not feedback.ok and "computes in float32" in feedback.message and "float64" in feedback.message


def test_numbers_that_differ_are_printed_so_that_they_differ():
    feedback = ex.check_tanh(lambda Z: np.tanh(Z) * (1 + 3e-6))
    yours, right = feedback.message.split("gives ")[1].split(" (")[0].split(", the right value is ")
    assert not feedback.ok and yours != right.rstrip(".")


@pytest.fixture
def short_limit(monkeypatch):
    from mathnn.exercises import _harness

    monkeypatch.setattr(_harness, "TIME_LIMIT", 0.2)


def _forever(*args):
    while True:
        pass


def test_a_function_that_never_ends_is_stopped_with_a_message(short_limit):
    import time

    start = time.perf_counter()
    feedback = ex.check_relu(_forever)
    assert time.perf_counter() - start < 1.0
    assert not feedback.ok and "did not finish within 0.2 s" in feedback.message and "loop" in feedback.message


def test_off_the_main_thread_the_checker_stops_waiting_and_says_so(short_limit):
    import threading

    released = threading.Event()
    found = {}

    def until_released(Z):
        released.wait(30)
        return Z

    worker = threading.Thread(target=lambda: found.update(feedback=ex.check_relu(until_released)))
    worker.start()
    worker.join(5)
    released.set()  # let the reader's function end, so nothing is left running
    assert not found["feedback"].ok and "still be running in the background" in found["feedback"].message


def test_an_import_is_never_cut_short_by_the_time_limit(short_limit, tmp_path, monkeypatch):
    (tmp_path / "slow_to_import_for_mathnn_tests.py").write_text("import time\ntime.sleep(0.5)\nVALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def relu(Z):
        import slow_to_import_for_mathnn_tests

        return np.maximum(Z, 0) * slow_to_import_for_mathnn_tests.VALUE

    assert ex.check_relu(relu).ok
