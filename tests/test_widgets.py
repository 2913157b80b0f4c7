"""Tests of mathnn.widgets without a kernel: the pure step functions, then the widgets driven by code."""

import importlib.util
import io
from pathlib import Path

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn import Network, data, widgets
from mathnn.widgets import (
    DescentState,
    GradientDescentStepper,
    NeuronExplorer,
    NeuronState,
    PlaygroundSettings,
    TrainingPlayground,
)

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

SMALL = PlaygroundSettings(dataset="moons", hidden=(6,), m=80, batch_size=16, learning_rate=0.5, seed=0)


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


# --- the neuron --------------------------------------------------------------------------------


def test_and_and_or_are_solvable_by_one_neuron():
    assert widgets.count_correct(NeuronState(1.0, 1.0, -1.5, "step", "and")) == 4
    assert widgets.count_correct(NeuronState(1.0, 1.0, -0.5, "sigmoid", "or")) == 4
    assert widgets.count_correct(NeuronState(1.0, 0.0, -0.5, "step", "and")) == 3  # the line x0 = 0.5


def test_xor_is_never_four_of_four():
    values = np.linspace(-3, 3, 13)
    best = max(
        widgets.count_correct(NeuronState(w0, w1, b, "step", "xor"))
        for w0 in values for w1 in values for b in values
    )
    assert best == 3  # three are easy, four never happen


@pytest.mark.parametrize("activation", widgets.NEURON_ACTIVATIONS)
def test_the_neuron_says_1_on_the_positive_side_of_its_line(activation):
    state = NeuronState(2.0, -1.0, 0.3, activation, "and")
    X = np.random.default_rng(0).uniform(-0.5, 1.5, (2, 50))
    z = 2.0 * X[0] - X[1] + 0.3
    np.testing.assert_array_equal(widgets.neuron_says(state, X)[0], z >= 0)
    assert widgets.neuron_output(state, X).shape == (1, 50)


def test_decision_line_lies_on_w_dot_x_plus_b_equal_zero():
    for w0, w1, b in [(1.0, 1.0, -1.5), (3.0, 0.1, -1.0), (0.0, 2.0, -1.0)]:
        x0, x1 = widgets.decision_line(w0, w1, b)
        np.testing.assert_allclose(w0 * x0 + w1 * x1 + b, 0.0, atol=1e-12)
    assert widgets.decision_line(0.0, 0.0, 1.0)[0].size == 0


def test_neuron_explorer_headless():
    explorer = NeuronExplorer()
    first = explorer.image.value
    explorer.w0.value, explorer.w1.value, explorer.b.value = 1.0, 1.0, -1.5
    assert explorer.correct == 4 and "4 of 4" in explorer.score.value
    assert explorer.image.value != first
    explorer.gate.value = "xor"
    assert explorer.correct < 4 and "XOR" in explorer.score.value
    explorer.activation.value = "relu"
    assert explorer.state.activation == "relu"
    assert explorer.error_text == ""


# --- gradient descent --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(widgets.PROBLEMS))
def test_problem_gradients_match_finite_differences(name):
    problem = widgets.PROBLEMS[name]
    point = np.array([0.7, -0.4][: problem.dims])
    h = 1e-6
    numeric = [
        (problem.value(point + h * e) - problem.value(point - h * e)) / (2 * h) for e in np.eye(problem.dims)
    ]
    np.testing.assert_allclose(problem.gradient(point), numeric, rtol=1e-6)


def test_a_larger_learning_rate_takes_a_larger_step():
    sizes = [
        np.linalg.norm(widgets.descend("bowl", learning_rate=rate, steps=1).path[1] - (-4.0, 1.5))
        for rate in (0.01, 0.05, 0.1)
    ]
    assert sizes[0] < sizes[1] < sizes[2]


def test_a_small_learning_rate_goes_downhill():
    state = widgets.descend("quartic", learning_rate=0.01, steps=30)
    values = [widgets.PROBLEMS["quartic"].value(p) for p in state.path]
    assert state.diverged_at is None and all(b < a for a, b in zip(values, values[1:]))


def test_divergence_is_reported_with_its_step():
    state = widgets.descend("bowl", learning_rate=0.3, steps=100)
    assert state.diverged_at == 20  # |x1| doubles every step: 1.5 * 2**20 > 1e6
    assert state.message == "diverged at step 20: |x| grew past 1e6 — try a smaller learning rate"
    assert widgets.descent_step(state) is state  # a diverged descent stays put


def test_start_descent_checks_its_input():
    with pytest.raises(ValueError, match="learning_rate"):
        widgets.start_descent("bowl", learning_rate=0.0)
    with pytest.raises(ValueError, match="2 number"):
        widgets.start_descent("bowl", start=(1.0,))
    with pytest.raises(ValueError, match="unknown problem"):
        widgets.start_descent("saddle")


def test_stepper_headless_steps_play_and_reset():
    stepper = GradientDescentStepper("bowl", learning_rate=0.05)
    start = stepper.state.path.copy()
    for _ in range(3):
        stepper.step_button.click()
    assert stepper.state.step == 3 and stepper.play.value == 3
    stepper.play.value = 8  # what the Play widget does on its own, tick by tick
    assert stepper.state.step == 8 and "step 8" in stepper.status.value
    stepper.reset_button.click()
    assert stepper.state.step == 0 and stepper.play.value == 0
    np.testing.assert_array_equal(stepper.state.path, start)


def test_stepper_larger_rate_larger_first_step():
    stepper = GradientDescentStepper("quartic")
    steps = []
    for rate in (0.01, 0.03):
        stepper.learning_rate.value = rate
        stepper.step_button.click()
        steps.append(abs(stepper.state.path[1, 0] - stepper.state.path[0, 0]))
    assert steps[0] < steps[1]


def test_stepper_reports_divergence_in_its_text():
    stepper = GradientDescentStepper("bowl")
    stepper.learning_rate.value = 0.3
    stepper.play.playing = True
    stepper.play.value = 50
    assert stepper.state.diverged_at == 20
    assert "diverged at step 20" in stepper.status.value and "smaller learning rate" in stepper.status.value
    assert stepper.play.playing is False


def test_stepper_switches_problem_and_start():
    stepper = GradientDescentStepper("quartic")
    assert stepper.start_x1.disabled
    stepper.problem.value = "rosenbrock"
    assert not stepper.start_x1.disabled and isinstance(stepper.state, DescentState)
    np.testing.assert_array_equal(stepper.state.path[0], widgets.PROBLEMS["rosenbrock"].start)
    stepper.start_x0.value = 0.5
    assert stepper.state.path[0, 0] == 0.5 and stepper.state.step == 0


# --- the training playground -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "sizes"), [("8,8", (8, 8)), (" 4 , 2 ", (4, 2)), ("", ()), ("16,", (16,))])
def test_parse_hidden_sizes(text, sizes):
    assert widgets.parse_hidden_sizes(text) == sizes


@pytest.mark.parametrize("text", ["8,x", "0", "-3", "2.5", "1,2,3,4,5,6,7", "100"])
def test_parse_hidden_sizes_rejects(text):
    with pytest.raises(ValueError, match="hidden layer"):
        widgets.parse_hidden_sizes(text)


def test_train_epochs_is_network_fit():
    state = widgets.new_playground(SMALL)
    widgets.train_epochs(state, 2)
    X, Y = data.make("moons", m=80, seed=0)
    net = Network.from_sizes([2, 6, 1], hidden="tanh", output="sigmoid", loss="binary_cross_entropy", seed=0)
    rng = np.random.default_rng(0)
    for _ in range(2):
        net.fit(X, Y, epochs=1, learning_rate=0.5, batch_size=16, seed=rng)
    for ours, theirs in zip(state.network.parameters, net.parameters):
        np.testing.assert_array_equal(ours, theirs)
    assert state.epoch == 2 and len(state.losses) == 3


def test_train_epochs_stops_on_divergence():
    settings = PlaygroundSettings(hidden=(16, 16), activation="leaky_relu", learning_rate=10.0, batch_size=1, m=60)
    state = widgets.train_epochs(widgets.new_playground(settings), 5)
    assert state.epoch == 0 and "at epoch 1," in state.diverged and "smaller learning rate" in state.diverged


def test_playground_ten_steps_lower_the_loss():
    playground = TrainingPlayground(SMALL, grid=30)
    for _ in range(10):
        playground.step_button.click()
    losses = playground.state.losses
    assert playground.state.epoch == 10 and len(playground.history.loss) == 10
    assert losses[-1] < 0.7 * losses[0]
    assert "epoch <b>10</b>" in playground.epoch_label.value
    assert playground.error_text == ""


def test_playground_reset_restores_the_initial_state():
    playground = TrainingPlayground(SMALL, grid=30)
    initial = [p.copy() for p in playground.state.network.parameters]
    initial_image = playground.image.value
    playground.play.value = 3
    assert playground.state.epoch == 3
    playground.reset_button.click()
    assert playground.state.epoch == 0 and playground.history.loss == [] and playground.play.value == 0
    for now, before in zip(playground.state.network.parameters, initial):
        np.testing.assert_array_equal(now, before)
    np.testing.assert_array_equal(pixels(playground.image.value), pixels(initial_image))


def test_playground_controls():
    playground = TrainingPlayground(SMALL, grid=30)
    assert playground.learning_rate.continuous_update is False and playground.hidden.continuous_update is False
    playground.step_button.click()
    playground.learning_rate.value = 0.1  # changes mid-run
    assert playground.state.epoch == 1 and playground.state.settings.learning_rate == pytest.approx(0.1)
    playground.epochs_per_step.value = 5
    playground.step_button.click()
    assert playground.state.epoch == 6
    playground.play.playing = True
    playground.pause_button.click()
    assert playground.play.playing is False
    playground.hidden.value = "4,4"  # a new network starts over
    assert playground.state.epoch == 0 and playground.state.network.sizes == [2, 4, 4, 1]
    playground.dataset.value = "spirals"
    playground.activation.value = "relu"
    assert playground.state.settings.dataset == "spirals" and playground.state.network.layers[0].activation.name == "relu"


def test_playground_shows_bad_hidden_sizes_in_its_output():
    playground = TrainingPlayground(SMALL, grid=30)
    network = playground.state.network
    playground.hidden.value = "8,x"
    assert "ValueError" in playground.error_text and "'x'" in playground.error_text
    assert playground.state.network is network  # nothing changed
    playground.hidden.value = "8"
    assert playground.error_text == ""  # the next action clears the message


def test_an_exception_in_a_callback_appears_in_the_output(monkeypatch):
    playground = TrainingPlayground(SMALL, grid=30)

    def broken(state, epochs=1):
        raise RuntimeError("boom in training")

    monkeypatch.setattr(widgets, "train_epochs", broken)
    playground.step_button.click()
    assert "RuntimeError: boom in training" in playground.error_text
    assert "Traceback" in playground.error_text  # an unexpected error keeps its traceback
    assert playground.output.outputs[0]["name"] == "stderr"


def test_blitted_frames_equal_full_redraws():
    state = widgets.new_playground(SMALL)
    view = widgets.PlaygroundView(state, grid=40)
    for _ in range(3):
        widgets.train_epochs(state, 1)
        view.update(state).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


def test_encode_png_palette_keeps_white_and_shrinks():
    view = widgets.NeuronView()
    full, small = view.png(), view.png(colors=64)
    assert len(small) < len(full)
    assert (pixels(small)[0, 0] == 255).all()


def test_benchmark_runs():
    path = Path(__file__).parents[1] / "benchmarks" / "bench_widget_frame.py"
    spec = importlib.util.spec_from_file_location("bench_widget_frame", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(repeats=3, points=60, grid=20, warmup=1)
    assert result["repeats"] == 3 and result["frame_ms_median"] > 0


def test_on_site_puts_the_explorer_beside_the_live_widget_in_one_output():
    from mathnn import explorers

    explorer = explorers.neuron_explorer(["and"], frames=2)
    live = widgets.NeuronExplorer().on_site(explorer)
    bundle = live._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == explorer.html
    assert "application/vnd.jupyter.widget-view+json" in widgets.NeuronExplorer()._repr_mimebundle_()
    assert "text/html" not in widgets.NeuronExplorer()._repr_mimebundle_()


# --- the activation explorer: the product of g' over depth ---------------------------------------


def test_sigmoid_product_vanishes_under_its_bound():
    products = widgets.derivative_products(widgets.DepthState("sigmoid", depth=10))
    assert products.median[-1] < 1e-5
    assert np.all(products.high <= products.bound) and products.bound[-1] == pytest.approx(0.25**10)
    for spread in (0.01, 3.0):  # no spread escapes the bound: σ' is largest, 1/4, at z = 0
        assert np.all(widgets.derivative_products(widgets.DepthState("sigmoid", 30, spread)).high <= 0.25 ** np.arange(1, 31))


def test_relu_product_is_one_on_active_units_and_cut_elsewhere():
    products = widgets.derivative_products(widgets.DepthState("relu", depth=10))
    np.testing.assert_array_equal(products.median, 1.0)
    np.testing.assert_array_equal(products.low, 1.0)
    np.testing.assert_allclose(products.on, 0.5 ** np.arange(1, 11), rtol=0.2)  # half the units are on
    assert products.every_path[-1] == 0.0 and products.bound is None
    leaky = widgets.derivative_products(widgets.DepthState("leaky_relu", depth=10))
    np.testing.assert_array_equal(leaky.median, 1.0)
    assert 0 < leaky.every_path[-1] < 1e-6  # not cut, scaled by 0.01 per unit that is off


def test_tanh_survives_small_pre_activations_only():
    small = widgets.derivative_products(widgets.DepthState("tanh", depth=30, spread=0.1))
    large = widgets.derivative_products(widgets.DepthState("tanh", depth=30, spread=3.0))
    assert small.median[-1] > 0.5 and large.median[-1] < 1e-20
    np.testing.assert_array_equal(small.on, 1.0)


def test_depth_products_are_prefixes_of_deeper_ones():
    short = widgets.derivative_products(widgets.DepthState("tanh", depth=5))
    deep = widgets.derivative_products(widgets.DepthState("tanh", depth=widgets.MAX_DEPTH))
    np.testing.assert_array_equal(short.median, deep.median[:5])
    np.testing.assert_array_equal(short.depths, [1, 2, 3, 4, 5])


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (widgets.DepthState("step"), "unknown activation"),
        (widgets.DepthState(depth=0), "depth"),
        (widgets.DepthState(depth=31), "at most 30"),
        (widgets.DepthState(spread=0.0), "spread"),
    ],
)
def test_depth_state_is_checked(state, message):
    with pytest.raises(ValueError, match=message):
        widgets.derivative_products(state)


def test_depth_view_blitted_frames_equal_full_redraws():
    view = widgets.DepthView(widgets.DepthState("sigmoid", 3), dpi=40)
    for depth in (4, 9, 17):
        view.update(widgets.DepthState("sigmoid", depth)).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


def test_activation_explorer_headless():
    explorer = widgets.ActivationExplorer()
    first = explorer.image.value
    assert explorer.state.activation == "sigmoid" and explorer.products.median[-1] < 1e-5
    explorer.depth.value = 25
    assert explorer.state.depth == 25 and "depth 25" in explorer.summary.value
    assert explorer.image.value != first
    explorer.activation.value = "relu"
    assert explorer.state.activation == "relu" and explorer.products.median[-1] == 1.0
    assert "along units that are on" in explorer.summary.value
    explorer.spread.value = 3.0
    assert explorer.state.spread == pytest.approx(3.0)
    assert explorer.depth.continuous_update and not explorer.spread.continuous_update
    assert explorer.error_text == ""


def test_activation_explorer_shows_errors_in_its_output(monkeypatch):
    explorer = widgets.ActivationExplorer()

    def broken(state):
        raise ValueError("no products today")

    monkeypatch.setattr(widgets, "derivative_products", broken)
    explorer.depth.value = 12
    assert "ValueError: no products today" in explorer.error_text
