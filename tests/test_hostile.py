"""Hostile use: every checker fed wrong answers of every kind, every widget's controls pushed past their limits.

A checker must never say ✓ to a wrong answer, and never raise: whatever the reader's function does
(returns nonsense, changes its inputs, raises, never ends), the answer is a ✗ that explains it. A
widget pushed to extremes or given nonsense ends showing a result or a clear message, and still
responds to a normal value afterwards.
"""

import time

import numpy as np
import pytest

from mathnn import activations, layers, losses
from mathnn import exercises as ex
from mathnn.exercises import _harness
from mathnn.layers import Dense
from mathnn.network import Network
from mathnn.optim import SGD

try:
    import torch  # an answer may come as a PyTorch tensor (torch is in the dev requirements)
except ImportError:  # pragma: no cover
    torch = None

# --- the right answers ------------------------------------------------------------------------------


def _neuron_gradient(X, Y, w, b):
    y_hat = activations.sigmoid(w @ X + b)
    dZ = 2 * (y_hat - Y) * y_hat * (1 - y_hat) / Y.shape[1]
    return dZ @ X.T, dZ.sum(axis=1, keepdims=True)


def _perceptron_update(w, b, x, y, alpha):
    y_hat = float((w @ x + b >= 0).item())
    return w + alpha * (y - y_hat) * x.T, b + alpha * (y - y_hat)


def _forward_pass(X, Ws, bs):
    A = X
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        A = (activations.sigmoid if l == len(Ws) else activations.relu)(W @ A + b)
    return A


def _layer_shapes(sizes, m, l):
    return (sizes[l], sizes[l - 1]), (sizes[l], 1), (sizes[l], m)


def _batches(m, batch_size, rng):
    order = rng.permutation(m)
    return [order[start : start + batch_size] for start in range(0, m, batch_size)]


def _bce(Y_hat, Y):
    return losses.binary_cross_entropy(Y_hat, Y)


def _training_step(X, Y, parameters, learning_rate):
    """Chapter 7's step on a copy of the parameters, returned flat: W1, b1, W2, b2, W3, b3."""
    network = Network([Dense(W.shape[1], W.shape[0], "relu" if l < len(parameters) else "sigmoid")
                       for l, (W, _) in enumerate(parameters, start=1)], "binary_cross_entropy")
    for layer, (W, b) in zip(network.layers, parameters):
        layer.W, layer.b = W, b
    network.train_step(X, Y, SGD(learning_rate))
    return tuple(np.copy(p) for p in network.parameters)


def _standardize(X_train, X_test):
    mean, std = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    return (X_train - mean) / std, (X_test - mean) / std


def _named(checker, name):
    return lambda fn: checker(name, fn)


# name: (how to run the checker on a function, a right answer)
RIGHT = {
    "check_neuron_gradient": (ex.check_neuron_gradient, _neuron_gradient),
    "check_perceptron_predict": (ex.check_perceptron_predict, lambda X, w, b: (w @ X + b >= 0) * 1.0),
    "check_perceptron_update": (ex.check_perceptron_update, _perceptron_update),
    "check_dense_forward": (ex.check_dense_forward, lambda A_prev, W, b: W @ A_prev + b),
    "check_layer_shapes": (ex.check_layer_shapes, _layer_shapes),
    "check_forward_pass": (ex.check_forward_pass, _forward_pass),
    "check_activation": (_named(ex.check_activation, "sigmoid"), activations.sigmoid),
    "check_activation_derivative": (_named(ex.check_activation_derivative, "tanh"), activations.tanh_derivative),
    "check_sigmoid": (ex.check_sigmoid, activations.sigmoid),
    "check_tanh": (ex.check_tanh, np.tanh),
    "check_relu": (ex.check_relu, lambda Z: np.maximum(Z, 0)),
    "check_softmax": (ex.check_softmax, activations.softmax),
    "check_sigmoid_derivative": (ex.check_sigmoid_derivative, activations.sigmoid_derivative),
    "check_tanh_derivative": (ex.check_tanh_derivative, activations.tanh_derivative),
    "check_relu_derivative": (ex.check_relu_derivative, lambda Z: (Z > 0) * 1.0),
    "check_loss": (_named(ex.check_loss, "mse"), losses.mse),
    "check_loss_gradient": (
        _named(ex.check_loss_gradient, "binary_cross_entropy"),
        lambda Y_hat, Y: ((1 - Y) / (1 - Y_hat) - Y / Y_hat) / Y.shape[1],
    ),
    "check_mse": (ex.check_mse, losses.mse),
    "check_bce": (ex.check_bce, _bce),
    "check_bce_from_logits": (ex.check_bce_from_logits, losses.binary_cross_entropy_from_logits),
    "check_mse_gradient": (ex.check_mse_gradient, lambda Y_hat, Y: 2 * (Y_hat - Y) / Y.shape[1]),
    "check_bce_gradient": (
        ex.check_bce_gradient, lambda Y_hat, Y: ((1 - Y) / (1 - Y_hat) - Y / Y_hat) / Y.shape[1],
    ),
    "check_cce_gradient": (ex.check_cce_gradient, lambda Y_hat, Y: -Y / Y_hat / Y.shape[1]),
    "check_dense_backward": (
        ex.check_dense_backward,
        lambda dZ, A_prev, W: (W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)),
    ),
    "check_dW": (ex.check_dW, lambda dZ, A_prev: dZ @ A_prev.T),
    "check_db": (ex.check_db, lambda dZ: dZ.sum(axis=1, keepdims=True)),
    "check_dA_prev": (ex.check_dA_prev, lambda dZ, W: W.T @ dZ),
    "check_output_dZ": (ex.check_output_dZ, lambda A, Y: (A - Y) / Y.shape[1]),
    "check_sgd_step": (ex.check_sgd_step, lambda W, b, dW, db, lr: (W - lr * dW, b - lr * db)),
    "check_batches": (ex.check_batches, _batches),
    "check_learning_rates": (ex.check_learning_rates, lambda lam: (2 / lam.max(), 2 / (lam.max() + lam.min()))),
    "check_training_step": (ex.check_training_step, _training_step),
    "check_accuracy": (ex.check_accuracy, lambda Y_hat, Y: float(np.mean((Y_hat >= 0.5) == Y))),
    "check_standardize": (ex.check_standardize, _standardize),
    "check_spirals_network": (
        ex.check_spirals_network,
        lambda: {"hidden": (32, 32), "activation": "relu", "learning_rate": 0.1, "epochs": 300, "batch_size": 16},
    ),
    "check_epoch_budget": (ex.check_epoch_budget, lambda: {"learning_rate": 0.3, "batch_size": 16, "epochs": 3}),
}
SETTINGS_CHECKERS = ("check_spirals_network", "check_epoch_budget")  # fn() -> a dict of settings, then training
CHECKERS = sorted(RIGHT)
ARRAY_CHECKERS = [name for name in CHECKERS if name not in ("check_layer_shapes", "check_batches", *SETTINGS_CHECKERS)]


def test_every_checker_is_fed_hostile_answers():
    assert set(CHECKERS) == {name for name in ex.__all__ if name.startswith("check_")}


@pytest.mark.parametrize("name", CHECKERS)
def test_the_right_answers_pass(name):
    checker, right = RIGHT[name]
    assert checker(right).ok, checker(right)


# --- wrong answers of every kind ---------------------------------------------------------------------


def _outputs(right, change):
    """A function that gives ``right``'s answer with ``change`` applied to each array of it."""

    def changed(*args):
        result = right(*args)
        if isinstance(result, tuple):
            return tuple(change(np.asarray(r, dtype=np.float64)) for r in result)
        return change(np.asarray(result, dtype=np.float64))

    return changed


def _double_in_place(values):
    for value in values:
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            value *= 2
        elif isinstance(value, list):
            _double_in_place(value)


def _doubles_first(right):
    def doubles(*args):
        _double_in_place(args)  # W *= 2 on every array it is given, also the arrays in a list
        return right(*args)

    return doubles


def _doubles_after(right):
    def doubles(*args):
        result = right(*args)
        result = tuple(np.copy(r) for r in result) if isinstance(result, tuple) else np.copy(result)
        _double_in_place(args)  # the right answer, but the caller's arrays are scribbled on
        return result

    return doubles


def _one_entry(value):
    def put(array):
        array = np.array(array, dtype=np.float64)
        array.flat[0] = value
        return array

    return put


class _Broken:
    """An object that fights back: no array, no length, no repr."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array here")

    def __len__(self):
        raise RuntimeError("no length either")

    def __repr__(self):
        raise RuntimeError("and no repr")


def _raise(error):
    def raises(*args):
        raise error

    return raises


def _recurse(*args):
    return _recurse(*args)


def _forever(*args):
    while True:
        pass


def _stubborn(*args):
    while True:
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001 - a reader's loop that swallows every error
            pass


def _sleeps(*args):
    time.sleep(10**6)


def _torch_tensor(array):
    if torch is None:  # pragma: no cover
        pytest.skip("PyTorch is not installed")
    return torch.tensor(array, requires_grad=True)


# Wrong whatever the checker: (label, a wrong answer made from the right one).
ANY_CHECKER = [
    ("returns None", lambda right: lambda *a: None),
    ("returns a string", lambda right: lambda *a: "the answer"),
    ("returns a dict", lambda right: lambda *a: {"answer": 1.0}),
    ("returns an object that fights back", lambda right: lambda *a: _Broken()),
    ("returns [None, None]", lambda right: lambda *a: [None, None]),
    ("returns a generator", lambda right: lambda *a: (x for x in [np.ones(3)])),
    ("returns True", lambda right: lambda *a: True),
    ("returns a huge integer", lambda right: lambda *a: 10**400),
    ("returns strings in an array", lambda right: lambda *a: np.array(["0", "1"])),
    ("returns a ragged list", lambda right: lambda *a: [[1.0], [1.0, 2.0]]),
    ("returns the right answer and more", lambda right: lambda *a: (right(*a), "cache")),
    ("raises ValueError", lambda right: _raise(ValueError("bad"))),
    ("raises MemoryError", lambda right: _raise(MemoryError())),
    ("recurses forever", lambda right: _recurse),
    ("takes no arguments", lambda right: lambda: 0),
    ("loops forever", lambda right: _forever),
    ("swallows the time limit", lambda right: _stubborn),
    ("sleeps", lambda right: _sleeps),
]

# Wrong answers for the checkers that compare arrays.
ARRAY_ANSWER = [
    ("doubles its inputs in place first (W *= 2)", _doubles_first),
    ("right, but doubles its inputs in place after", _doubles_after),
    ("off by 1e-3", lambda right: _outputs(right, lambda a: a + 1e-3)),
    ("negated minus one", lambda right: _outputs(right, lambda a: -a - 1)),
    ("one entry NaN", lambda right: _outputs(right, _one_entry(np.nan))),
    ("one entry inf", lambda right: _outputs(right, _one_entry(np.inf))),
    ("all NaN", lambda right: _outputs(right, lambda a: np.full_like(a, np.nan))),
    ("complex", lambda right: _outputs(right, lambda a: a + 1j)),
    ("float32, off by 1e-3", lambda right: _outputs(right, lambda a: (a + 1e-3).astype(np.float32))),
    ("float16", lambda right: _outputs(right, lambda a: (a + 1e-2).astype(np.float16))),
    ("a torch tensor that requires grad, off by 1e-3", lambda right: _outputs(right, lambda a: _torch_tensor(a + 1e-3))),
    ("a flattened answer", lambda right: _outputs(right, lambda a: a.ravel() + 1.0)),
    ("as a list of lists, off by one", lambda right: _outputs(right, lambda a: (a + 1.0).tolist())),
]


def _shapes_of(change):
    return lambda right: lambda sizes, m, l: tuple(change(shape) for shape in right(sizes, m, l))


LAYER_SHAPES = [
    ("inf in a shape", _shapes_of(lambda s: (s[0], float("inf")))),
    ("NaN in a shape", _shapes_of(lambda s: (float("nan"), s[-1]))),
    ("float shapes", _shapes_of(lambda s: tuple(float(d) for d in s))),
    ("3.5 in a shape", _shapes_of(lambda s: (s[0] + 0.5, *s[1:]))),
    ("negative sizes", _shapes_of(lambda s: tuple(-d for d in s))),
    ("a huge size", _shapes_of(lambda s: (10**100, *s[1:]))),
    ("sizes as text", _shapes_of(lambda s: tuple(str(d) for d in s))),
    ("the shape as one string", _shapes_of(lambda s: str(s))),
    ("bools", _shapes_of(lambda s: tuple(True for _ in s))),
    ("None in a shape", _shapes_of(lambda s: (None, *s[1:]))),
    ("a number, not a shape", _shapes_of(lambda s: s[0])),
    ("nested shapes", _shapes_of(lambda s: (s, s))),
    ("arrays, not shapes", _shapes_of(lambda s: np.zeros(s))),
    ("two shapes", lambda right: lambda sizes, m, l: right(sizes, m, l)[:2]),
    ("four shapes", lambda right: lambda sizes, m, l: (*right(sizes, m, l), (1,))),
    ("changes sizes in place", lambda right: lambda sizes, m, l: (sizes.reverse(), right(sizes, m, l))[1]),
]


def _per_batch(change):
    return lambda right: lambda m, size, rng: [change(batch) for batch in right(m, size, rng)]


BATCHES = [
    ("indices shifted by one", _per_batch(lambda b: b + 1)),
    ("negative indices", _per_batch(lambda b: -b - 1)),
    ("float indices", _per_batch(lambda b: b.astype(float))),
    ("NaN among the indices", lambda right: lambda m, size, rng: [*right(m, size, rng)[:-1], np.array([np.nan])]),
    ("a NaN batch added", lambda right: lambda m, size, rng: [*right(m, size, rng), np.array([np.nan])]),
    ("[None, None]", lambda right: lambda m, size, rng: [None, None]),
    ("ignores its generator", lambda right: lambda m, size, rng: right(m, size, np.random.default_rng(5))),
    ("uses numpy's global generator", lambda right: lambda m, size, rng: right(m, size, np.random.default_rng())),
    ("reversed order, no shuffle", lambda right: lambda m, size, rng: [np.arange(m)[::-1]]),
    ("an empty batch at the end", lambda right: lambda m, size, rng: [*right(m, size, rng), np.array([], int)]),
    ("2-D batches", _per_batch(lambda b: b[None, :])),
    ("bool masks", _per_batch(lambda b: np.isin(np.arange(103), b))),
    ("complex indices", _per_batch(lambda b: b + 0j)),
    ("batches as strings", _per_batch(lambda b: str(b))),
    ("an index twice", _per_batch(lambda b: np.concatenate([b[:1], b[:-1]]))),
    ("one batch of everything", lambda right: lambda m, size, rng: [rng.permutation(m)]),
    ("an endless generator", lambda right: lambda m, size, rng: iter(lambda: rng.permutation(m)[:size], None)),
    ("returns an int array", lambda right: lambda m, size, rng: rng.permutation(m)),
    ("wrong batch sizes", lambda right: lambda m, size, rng: np.array_split(rng.permutation(m), 2)),
]


def _settings_with(**changes):
    return lambda right: lambda: {**right(), **changes}


SETTINGS = [
    ("epochs NaN", _settings_with(epochs=float("nan"))),
    ("epochs inf", _settings_with(epochs=float("inf"))),
    ("epochs as text", _settings_with(epochs="3")),
    ("epochs a huge integer", _settings_with(epochs=10**400)),
    ("epochs 0", _settings_with(epochs=0)),
    ("batch size negative", _settings_with(batch_size=-16)),
    ("batch size a float", _settings_with(batch_size=16.0)),
    ("batch size an array", _settings_with(batch_size=np.array([16, 16]))),
    ("learning rate 0", _settings_with(learning_rate=0.0)),
    ("learning rate inf", _settings_with(learning_rate=float("inf"))),
    ("learning rate complex", _settings_with(learning_rate=0.1 + 1j)),
    ("learning rate as text", _settings_with(learning_rate="0.1")),
    ("learning rate None", _settings_with(learning_rate=None)),
    ("learning rate that diverges", _settings_with(learning_rate=1e8)),
    ("learning rate too small to learn", _settings_with(learning_rate=1e-9)),
    ("a key missing", lambda right: lambda: dict(list(right().items())[1:])),
    ("a key too many", lambda right: lambda: {**right(), "momentum": 0.9}),
    ("the settings as a list", lambda right: lambda: list(right().values())),
    ("an object that fights back as a value", lambda right: lambda: {key: _Broken() for key in right()}),
]
ARCHITECTURES = [
    ("hidden sizes as text", _settings_with(hidden="16, 16")),
    ("a hidden size 0", _settings_with(hidden=(16, 0))),
    ("a hidden size NaN", _settings_with(hidden=(float("nan"),))),
    ("a hidden size a float", _settings_with(hidden=(16.5, 16))),
    ("a huge hidden layer", _settings_with(hidden=(10**9,))),
    ("too many parameters", _settings_with(hidden=(64,) * 6)),
    ("no hidden layer", _settings_with(hidden=())),
    ("hidden None", _settings_with(hidden=None)),
    ("a network too small", _settings_with(hidden=(3,))),
    ("activation sigmoid", _settings_with(activation="sigmoid")),
    ("activation a list", _settings_with(activation=["relu"])),
]


def _wrong_answers(name):
    if name in SETTINGS_CHECKERS:
        kinds = ANY_CHECKER + SETTINGS + (ARCHITECTURES if name == "check_spirals_network" else [])
        return [(name, label, make) for label, make in kinds]
    kinds = ANY_CHECKER + (
        LAYER_SHAPES if name == "check_layer_shapes" else BATCHES if name == "check_batches" else ARRAY_ANSWER
    )
    return [(name, label, make) for label, make in kinds]


WRONG = [case for name in CHECKERS for case in _wrong_answers(name)]


@pytest.fixture
def quick_time_limit(monkeypatch):
    monkeypatch.setattr(_harness, "TIME_LIMIT", 0.05)


# The time limit's interrupt may land while Python runs a garbage-collection callback (a WeakSet's), which
# Python then reports as "exception ignored": that is the interrupt doing its job, not a checker's fault.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("name", "label", "make"), WRONG, ids=[f"{n}-{label}" for n, label, _ in WRONG])
def test_no_checker_passes_a_wrong_answer_or_raises(name, label, make, quick_time_limit):
    checker, right = RIGHT[name]
    feedback = checker(make(right))
    assert isinstance(feedback, ex.Feedback)
    assert not feedback.ok, f"{name} passed a wrong answer ({label}): {feedback.message}"
    assert feedback.attempted and feedback.message
    assert "Traceback" not in feedback.message


# --- the right answer in another form passes --------------------------------------------------------


@pytest.mark.parametrize("name", ARRAY_CHECKERS)
def test_a_right_answer_in_float32_passes(name):
    checker, right = RIGHT[name]
    assert checker(_outputs(right, lambda a: a.astype(np.float32))).ok


@pytest.mark.parametrize("name", ARRAY_CHECKERS)
def test_a_right_answer_as_a_tensor_that_requires_grad_passes(name):
    checker, right = RIGHT[name]
    feedback = checker(_outputs(right, _torch_tensor))
    assert feedback.ok, feedback


def test_right_batches_as_tensors_or_lists_pass():
    if torch is None:  # pragma: no cover
        pytest.skip("PyTorch is not installed")
    assert ex.check_batches(lambda m, size, rng: [torch.tensor(b) for b in _batches(m, size, rng)]).ok
    assert ex.check_batches(lambda m, size, rng: [b.tolist() for b in _batches(m, size, rng)]).ok
    assert ex.check_batches(lambda m, size, rng: (b for b in _batches(m, size, rng))).ok


def test_right_shapes_in_other_forms_pass():
    assert ex.check_layer_shapes(lambda s, m, l: [list(shape) for shape in _layer_shapes(s, m, l)]).ok
    assert ex.check_layer_shapes(lambda s, m, l: tuple(np.zeros(shape).shape for shape in _layer_shapes(s, m, l))).ok
    assert ex.check_layer_shapes(
        lambda s, m, l: tuple(tuple(np.int64(d) for d in shape) for shape in _layer_shapes(s, m, l))
    ).ok


def test_mathnn_s_own_dense_forward_is_told_to_return_z_alone():
    feedback = ex.check_dense_forward(layers.dense_forward)
    assert not feedback.ok and "returned 2 values; return Z alone" in feedback.message


# --- widgets: every control through its extremes and nonsense ---------------------------------------

HOSTILE_VALUES = [
    float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 1e-308, -1.0, 0.0, 10**30, -(10**30), 3.7,
    "", "nan", "inf", "-1", "0", "3,,4", "٣", "²", "9" * 5000, "1e9", "8, 8, 8, 8, 8, 8, 8, 8", "x", None, [], (1, 2),
]


def _widget_makers():
    from mathnn import widgets

    return {
        "NeuronExplorer": lambda: widgets.NeuronExplorer(),
        "ActivationExplorer": lambda: widgets.ActivationExplorer(),
        "GradientDescentStepper": lambda: widgets.GradientDescentStepper("bowl"),
        "TrainingPlayground": lambda: widgets.TrainingPlayground(
            widgets.PlaygroundSettings(dataset="moons", hidden=(4,), m=40), grid=12
        ),
        "ShapeExplorer": lambda: widgets.ShapeExplorer(),
        "LossExplorer": lambda: widgets.LossExplorer(),
        "SoftmaxLossExplorer": lambda: widgets.SoftmaxLossExplorer(),
        "LearningRace": lambda: widgets.LearningRace(),
        "BackpropDebugger": lambda: widgets.BackpropDebugger(),
        "MinibatchExplorer": lambda: widgets.MinibatchExplorer(),
    }


WIDGETS = ["NeuronExplorer", "ActivationExplorer", "GradientDescentStepper", "TrainingPlayground", "ShapeExplorer",
           "LossExplorer", "SoftmaxLossExplorer", "LearningRace", "BackpropDebugger", "MinibatchExplorer"]


def _controls(skin):
    import ipywidgets

    controls, buttons = {}, {}
    for name, value in vars(skin).items():
        if isinstance(value, ipywidgets.Button):
            buttons[name] = value
        elif isinstance(value, ipywidgets.ValueWidget) and not isinstance(
            value, (ipywidgets.HTML, ipywidgets.Label, ipywidgets.Image)
        ) and not getattr(value, "disabled", False):
            controls[name] = value
    return controls, buttons


def _showing(skin):
    """What the widget shows: its picture and every text it writes, and its error area."""
    import ipywidgets

    texts = [v.value for v in vars(skin).values() if isinstance(v, (ipywidgets.HTML, ipywidgets.Label))]
    image = skin.image.value if getattr(skin, "image", None) is not None else b""
    return image, tuple(texts)


def _assert_clear(skin, what):
    text = skin.error_text
    assert "Traceback" not in text, f"{what}: a raw error reached the reader:\n{text[-1500:]}"
    assert "inhomogeneous" not in text and "ufunc" not in text, f"{what}: numpy's own words:\n{text}"
    assert len(text) < 2000, f"{what}: a message of {len(text)} characters"


def _limits(control):
    values = []
    for bound in ("min", "max"):
        if hasattr(control, bound):
            values.append(getattr(control, bound))
    options = getattr(control, "options", None)
    if options:
        values += [o[1] if isinstance(o, tuple) else o for o in (options[0], options[-1])]
    return values


@pytest.mark.parametrize("name", WIDGETS)
def test_every_control_through_extremes_and_nonsense_ends_in_a_result_or_a_message(name):
    import traitlets

    skin = _widget_makers()[name]()
    controls, buttons = _controls(skin)
    assert controls or buttons
    for control_name, control in controls.items():
        normal = control.value
        for value in _limits(control) + HOSTILE_VALUES:
            try:
                control.value = value
            except (traitlets.TraitError, TypeError, ValueError):
                continue  # the control itself refused the value, and nothing changed
            _assert_clear(skin, f"{name}.{control_name} = {value!r:.40}")
            for button_name, button in list(buttons.items())[:1]:  # Step, or the widget's first button
                button.click()
                _assert_clear(skin, f"{name}.{control_name} = {value!r:.40}, then {button_name}")
        # Still alive: a normal value shows a result and no message.
        if isinstance(control, traitlets.HasTraits) and hasattr(control, "options") and control.options:
            other = [o[1] if isinstance(o, tuple) else o for o in control.options]
            other = next((o for o in other if o != normal), normal)
        else:
            other = normal
        control.value = other
        control.value = normal
        _assert_clear(skin, f"{name}.{control_name} back to {normal!r}")
    for button in buttons.values():
        for _ in range(3):
            button.click()
    assert skin.error_text == "", f"{name}: after the buttons: {skin.error_text}"
    before = _showing(skin)
    first = next(iter(controls.values()), None)
    if first is not None and hasattr(first, "options") and len(first.options) > 1:
        values = [o[1] if isinstance(o, tuple) else o for o in first.options]
        first.value = next(v for v in values if v != first.value)
        assert _showing(skin) != before, f"{name} did not respond to {values}"
    assert skin.error_text == ""
