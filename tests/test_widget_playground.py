"""The training playground (mathnn.widgets.playground): training epoch by epoch, the live widget, its site twin."""

import base64
import importlib.util
import io
import re
import time
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn import Network, data, plots
from mathnn.widgets import playground, playground_site
from mathnn.widgets._skin import is_playing, playing_trait
from mathnn.widgets.playground import PlaygroundSettings, TrainingPlayground
from mathnn.widgets.playground_site import most_weights, playground_twin, twin_data
from tests.twin_page import browser_or_skip, twin_page
from tests.widget_helpers import (
    assert_clean,
    assert_each_move_repaints,
    assert_on_site_carries,
    assert_self_contained,
    report_input_to_paint,
)

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

SMALL = PlaygroundSettings(dataset="moons", hidden=(6,), m=80, batch_size=16, learning_rate=0.5, seed=0)

def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize(("text", "sizes"), [("8,8", (8, 8)), (" 4 , 2 ", (4, 2)), ("", ()), ("16,", (16,))])
def test_parse_hidden_sizes(text, sizes):
    assert playground.parse_hidden_sizes(text) == sizes


@pytest.mark.parametrize("text", ["8,x", "0", "-3", "2.5", "1,2,3,4,5,6,7", "100"])
def test_parse_hidden_sizes_rejects(text):
    with pytest.raises(ValueError, match="hidden layer"):
        playground.parse_hidden_sizes(text)


def test_train_epochs_is_network_fit():
    state = playground.new_playground(SMALL)
    playground.train_epochs(state, 2)
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
    state = playground.train_epochs(playground.new_playground(settings), 5)
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
    setattr(playground.play, playing_trait(playground.play), True)
    playground.pause_button.click()
    assert not is_playing(playground.play)
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
    live = TrainingPlayground(SMALL, grid=30)

    def broken(state, epochs=1):
        raise RuntimeError("boom in training")

    monkeypatch.setattr(playground, "train_epochs", broken)
    live.step_button.click()
    assert "RuntimeError: boom in training" in live.error_text
    assert "Traceback" in live.error_text  # an unexpected error keeps its traceback
    assert live.output.outputs[0]["name"] == "stderr"


def test_blitted_frames_equal_full_redraws():
    state = playground.new_playground(SMALL)
    view = playground.PlaygroundView(state, grid=40)
    for _ in range(3):
        playground.train_epochs(state, 1)
        view.update(state).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


def test_benchmark_runs():
    path = Path(__file__).parents[1] / "benchmarks" / "bench_widget_frame.py"
    spec = importlib.util.spec_from_file_location("bench_widget_frame", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(repeats=3, points=60, grid=20, warmup=1)
    assert result["repeats"] == 3 and result["frame_ms_median"] > 0


def test_the_caption_and_the_view_title_say_the_same():
    state = playground.train_epochs(playground.new_playground(SMALL), 2)
    view = playground.PlaygroundView(state, grid=20, dpi=30)
    accuracy = playground.playground_accuracy(state)
    assert playground.playground_caption(state) == f"epoch 2: cost {state.losses[-1]:.3f}, accuracy {accuracy:.0%}"
    assert view.boundary_ax.get_title() == f"epoch 2 · cost {state.losses[-1]:.3f} · accuracy {accuracy:.0%}"


def test_the_live_picture_moves_with_every_step():
    live = TrainingPlayground(SMALL, grid=30)
    frames = [pixels(live.image.value)]
    for _ in range(3):
        live.step_button.click()
        frames.append(pixels(live.image.value))
    live.learning_rate.value = 0.1
    frames.append(pixels(live.image.value))
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"pictures {k} and {k + 1} are the same picture"


DIVERGING = PlaygroundSettings(hidden=(16, 16), activation="leaky_relu", learning_rate=10.0, batch_size=1, m=60)


def test_after_divergence_a_lower_rate_and_step_start_again():
    live = TrainingPlayground(DIVERGING, grid=20)
    live.step_button.click()
    assert live.state.diverged and "Lower α, then Step or Play starts again" in live.epoch_label.value
    live.step_button.click()  # the same α: nothing to do but say so
    assert live.state.diverged and live.state.epoch == 0 and "Lower α" in live.epoch_label.value
    live.learning_rate.value = 0.1
    assert "Step or Play starts again from epoch 0 with α = 0.1" in live.epoch_label.value
    live.step_button.click()
    assert not live.state.diverged and live.state.epoch == 1 and live.state.settings.learning_rate == 0.1
    assert "started again from epoch 0 with α = 0.1" in live.epoch_label.value
    live.step_button.click()
    assert live.state.epoch == 2 and "started again" not in live.epoch_label.value
    assert live.error_text == ""


def test_play_after_divergence_starts_again_too():
    live = TrainingPlayground(DIVERGING, grid=20)
    live.play.value = 1
    assert live.state.diverged
    live.batch_size.value = 16
    live.play.value = 2
    assert live.state.epoch == 1 and not live.state.diverged


def test_a_huge_cost_is_written_in_three_digits():
    state = playground.new_playground(SMALL)
    state.history.loss.append(6.8e170)
    state.history.accuracy.append(0.5)
    state.epoch = 1
    view = playground.PlaygroundView(state, grid=20, dpi=30)
    assert view.boundary_ax.get_title() == "epoch 1 · cost 6.8e+170 · accuracy 50%"
    assert playground.playground_caption(state) == "epoch 1: cost 6.8e+170, accuracy 50%"
    state.history.loss.append(1.7e308)  # the largest floats, too, where 1.08 times the top would be inf
    view.update(state).png()


def test_a_run_whose_cost_explodes_while_finite_is_stopped_across_steps():
    # One epoch per Step: the check that the cost explodes must see the whole run, not one call of fit.
    settings = PlaygroundSettings(dataset="moons", hidden=(64, 64, 64), activation="leaky_relu", learning_rate=10.0,
                                  batch_size=200)
    state = playground.new_playground(settings)
    for _ in range(6):
        playground.train_epochs(state, 1)
    assert state.diverged and "exploded" in state.diverged and state.epoch < 6


def test_a_diverged_network_is_drawn_without_warnings_and_without_an_accuracy(capfd):
    live = TrainingPlayground(DIVERGING, grid=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        live.step_button.click()
        state = playground.new_playground(SMALL)
        for layer in state.network.layers:
            layer.W = layer.W * 1e200  # finite weights whose outputs overflow
        playground.PlaygroundView(state, grid=20, dpi=30).png()
    assert live.state.diverged and "accuracy" not in live.view.boundary_ax.get_title()
    assert "diverged" in live.view.boundary_ax.get_title()
    assert capfd.readouterr().err == "" and live.error_text == ""


def _slow(monkeypatch, seconds):
    real = playground.train_epochs

    def slow(state, epochs=1):
        time.sleep(seconds)
        return real(state, epochs)

    monkeypatch.setattr(playground, "train_epochs", slow)


def test_pause_stops_at_the_next_tick_when_steps_are_slow(monkeypatch):
    live = TrainingPlayground(SMALL, grid=20)
    _slow(monkeypatch, 0.3)
    setattr(live.play, playing_trait(live.play), True)
    live.play.value = 1  # a step that takes longer than Play's ticks are apart
    for tick in range(2, 7):
        live.play.value = tick  # the ticks that queued meanwhile arrive at once: dropped
    assert live.state.epoch == 1
    assert live.play.interval >= 375  # later ticks are spaced out to the time a step takes
    live.pause_button.click()
    live.play.value = 7  # a tick already on its way when Pause came
    assert live.state.epoch == 1 and not is_playing(live.play)


def test_ticks_as_far_apart_as_play_sends_them_each_train():
    live = TrainingPlayground(SMALL, grid=20)
    setattr(live.play, playing_trait(live.play), True)
    for tick in range(1, 5):
        time.sleep(0.1)
        live.play.value = tick
    assert live.state.epoch == 4
    setattr(live.play, playing_trait(live.play), False)
    for tick in range(5, 8):
        live.play.value = tick  # code that moves the counter is never taken for a queue
    assert live.state.epoch == 7


# --- the site twin, trained in the page (mathnn.widgets.playground_site) -----------------------------------

TWIN_SETTINGS = PlaygroundSettings(dataset="circles", hidden=(8, 8), activation="tanh", learning_rate=1.0,
                                   batch_size=32)
TWIN_GRID = 60  # as in chapter 7


def test_the_twin_carries_every_control_and_loads_nothing():
    twin = playground_twin(TWIN_SETTINGS, grid=20)
    assert_on_site_carries(TrainingPlayground(TWIN_SETTINGS, grid=20), twin)
    assert_self_contained(twin, "mathnn-playground", 400_000)
    for control in ("data", "hidden", "activation", "rate", "batch", "epochs", "step", "play", "pause", "reset"):
        assert f'id="{twin.id}-{control}"' in twin.html
    assert '<option value="circles" selected>' in twin.html and '<option value="32" selected>' in twin.html
    with pytest.raises(ValueError, match="playground data set"):
        playground_twin(PlaygroundSettings(dataset="rings"))


def test_the_shipped_normals_are_the_stream_every_layer_s_weights_come_from():
    # Network.from_sizes draws each layer's W from one generator, in order: the page scales the same numbers.
    normals = np.frombuffer(base64.b64decode(twin_data(TWIN_SETTINGS)["normals"]), "<f8")
    assert len(normals) == most_weights() == 2 * 64 + 5 * 64 * 64 + 64
    network = Network.from_sizes([2, *[64] * 6, 1], hidden="tanh", output="sigmoid", seed=TWIN_SETTINGS.seed)
    used = 0
    for layer in network.layers:
        scale = np.sqrt(2.0 / (layer.n_prev + layer.n))  # Xavier, for tanh and the sigmoid output
        np.testing.assert_array_equal(layer.W.ravel(), scale * normals[used:used + layer.W.size])
        used += layer.W.size
    assert used == len(normals)


@pytest.fixture(scope="module")
def page(request):
    twin = playground_twin(TWIN_SETTINGS, grid=TWIN_GRID)
    with twin_page(browser_or_skip(request), twin) as opened:
        yield opened, twin


def label_text(live):
    """The live widget's line under its controls, without its HTML tags: what the twin's label reads."""
    return re.sub(r"<[^>]+>", "", live.epoch_label.value)


def set_network(opened, twin, dataset, hidden, activation, exponent, batch_size, epochs_per_step=1):
    """Set the twin's controls as a reader would; returns the live widget set alike (grid 20)."""
    for control, value in (("data", dataset), ("hidden", hidden), ("activation", activation), ("rate", exponent),
                           ("batch", batch_size), ("epochs", epochs_per_step)):
        opened.set(twin, control, value)
    state = opened.state(twin)
    settings = PlaygroundSettings(dataset=dataset, hidden=playground.parse_hidden_sizes(hidden),
                                  activation=activation, learning_rate=state["learning_rate"], batch_size=batch_size)
    live = TrainingPlayground(settings, grid=20)
    live.epochs_per_step.value = epochs_per_step
    return live


def assert_same_run(opened, twin, live):
    """The twin's run is the live widget's: costs, accuracies, caption, label, weights and the lattice's outputs."""
    state, mine = opened.state(twin), live.state
    assert state["epoch"] == mine.epoch and state["diverged"] == mine.diverged
    np.testing.assert_allclose(state["losses"], mine.losses, rtol=1e-9)
    assert state["accuracy"] == mine.history.accuracy
    assert state["caption"] == playground.playground_caption(mine)
    assert state["label"] == label_text(live)
    if not mine.diverged:
        _, points = plots.boundary_grid(mine.X, state["lattice"])
        np.testing.assert_allclose(state["outputs"], plots.model_outputs(mine.network, points)[0], rtol=1e-9,
                                   atol=1e-12)
        for W, layer in zip(state["weights"], mine.network.layers):
            np.testing.assert_allclose(W, layer.W.ravel(), rtol=1e-9, atol=1e-12)
    return state


def test_the_twin_starts_where_the_live_widget_starts(page):
    opened, twin = page
    state = assert_same_run(opened, twin, TrainingPlayground(TWIN_SETTINGS, grid=20))
    initial = playground.new_playground(TWIN_SETTINGS).network.layers
    for W, layer in zip(state["weights"], initial, strict=True):
        np.testing.assert_array_equal(W, layer.W.ravel())  # the very same numbers
    assert state["epoch"] == 0 and state["error"] == "" and not opened.errors


@pytest.mark.parametrize(("dataset", "hidden", "activation", "exponent", "batch_size", "per_step", "steps"), [
    ("circles", "8,8", "tanh", 0, 32, 5, 2),
    ("spirals", "16, 16, 16", "relu", -1, 16, 5, 1),
    ("xor", "", "sigmoid", 0.5, 1, 1, 3),
    ("moons", "4", "leaky_relu", -0.5, 200, 25, 1),
])
def test_the_twin_trains_as_mathnn_does(page, dataset, hidden, activation, exponent, batch_size, per_step, steps):
    opened, twin = page
    live = set_network(opened, twin, dataset, hidden, activation, exponent, batch_size, per_step)
    assert_same_run(opened, twin, live)  # the new network, before training
    for _ in range(steps):
        opened.click(twin, "step")
        live.step_button.click()
    state = assert_same_run(opened, twin, live)
    assert state["epoch"] == per_step * steps and not opened.errors


def test_the_learning_rate_and_the_batch_size_change_mid_run(page):
    opened, twin = page
    live = set_network(opened, twin, "moons", "6", "tanh", -0.5, 16)
    opened.click(twin, "step")
    live.step_button.click()
    opened.set(twin, "rate", 0.3)
    opened.set(twin, "batch", 4)
    live.learning_rate.value = opened.state(twin)["learning_rate"]
    live.batch_size.value = 4
    opened.click(twin, "step")
    live.step_button.click()
    state = assert_same_run(opened, twin, live)
    assert state["epoch"] == 2 and state["batch_size"] == 4
    assert opened.text(twin, "rate-value") == "2"  # 10 ** 0.3, in the live slider's .3g


def test_divergence_is_told_and_a_lower_rate_starts_again(page):
    opened, twin = page
    live = set_network(opened, twin, "moons", "16,16", "leaky_relu", 1, 1)
    opened.click(twin, "step")
    live.step_button.click()
    state = assert_same_run(opened, twin, live)
    assert state["diverged"] and "Lower α, then Step or Play starts again" in state["label"]
    opened.set(twin, "rate", -1)
    live.learning_rate.value = opened.state(twin)["learning_rate"]
    assert "Step or Play starts again from epoch 0 with α = 0.1" in assert_same_run(opened, twin, live)["label"]
    opened.click(twin, "step")
    live.step_button.click()
    state = assert_same_run(opened, twin, live)
    assert state["epoch"] == 1 and "started again from epoch 0 with α = 0.1" in state["label"]


def test_bad_hidden_sizes_are_told_and_the_twin_goes_on(page):
    opened, twin = page
    set_network(opened, twin, "xor", "3", "tanh", 0, 32)
    before = opened.state(twin)
    opened.set(twin, "hidden", "8,x")
    state = opened.state(twin)
    with pytest.raises(ValueError) as expected:
        playground.parse_hidden_sizes("8,x")
    assert state["error"] == f"ValueError: {expected.value}" == opened.text(twin, "error")
    assert state["hidden"] == before["hidden"] == [3] and state["losses"] == before["losses"]
    opened.set(twin, "hidden", "1, 2, 3, 4, 5, 6, 7")
    assert "at most 6 hidden layers" in opened.state(twin)["error"]
    opened.click(twin, "step")  # nothing trains while the box shows no network: the message stays
    assert "at most 6 hidden layers" in opened.state(twin)["error"] and opened.state(twin)["epoch"] == 0
    opened.set(twin, "hidden", "3")
    opened.click(twin, "step")  # the next action clears the message
    assert opened.state(twin)["error"] == "" and opened.state(twin)["epoch"] == 1
    assert not opened.errors


def test_the_live_widget_does_not_train_behind_a_bad_text_either():
    live = TrainingPlayground(SMALL, grid=20)
    live.hidden.value = "6, x"
    live.step_button.click()
    assert "ValueError" in live.error_text and live.state.epoch == 0
    setattr(live.play, playing_trait(live.play), True)
    live.play.value = 1
    assert live.state.epoch == 0 and not is_playing(live.play) and "ValueError" in live.error_text


def test_play_pause_and_reset(page):
    opened, twin = page
    set_network(opened, twin, "circles", "4", "tanh", 0, 32)
    first = opened.state(twin)
    opened.click(twin, "play")
    opened.page.wait_for_function(f"document.getElementById('{twin.id}').mathnnState().epoch >= 3")
    opened.click(twin, "pause")
    paused = opened.state(twin)
    assert not paused["playing"] and opened.text(twin, "play") == "\u25b6 Play"
    opened.page.wait_for_timeout(500)
    assert opened.state(twin)["epoch"] == paused["epoch"]  # nothing trains after Pause
    opened.click(twin, "reset")
    state = opened.state(twin)
    assert state["epoch"] == 0 and state["losses"] == first["losses"] and state["weights"] == first["weights"]


def test_a_big_network_trains_in_slices_and_is_drawn_on_a_coarser_lattice(page):
    opened, twin = page
    live = set_network(opened, twin, "moons", "64, 64, 64", "relu", -1.5, 4, 5)
    state = opened.state(twin)
    assert playground_site.COARSEST <= state["lattice"] < TWIN_GRID
    assert sum(len(W) for W in state["weights"]) * state["lattice"] ** 2 <= playground_site.LATTICE_BUDGET
    opened.click(twin, "step")
    opened.page.wait_for_function(f"!document.getElementById('{twin.id}').mathnnState().training", timeout=60_000)
    live.step_button.click()
    assert assert_same_run(opened, twin, live)["epoch"] == 5 and not opened.errors


def test_twin_repaints_when_a_control_moves(page):
    opened, twin = page
    assert_each_move_repaints(opened, twin, {"data": "circles", "hidden": "8,8", "activation": "tanh", "rate": 0},
                              [("rate", -1), ("data", "moons"), ("activation", "relu"), ("hidden", "5")])


def test_twin_input_to_paint(page, capsys):
    opened, twin = page
    set_network(opened, twin, "circles", "8,8", "tanh", 0, 32)
    exponents = [round(-3 + 0.1 * ((7 * k) % 41), 1) for k in range(30)]
    work, _ = report_input_to_paint(opened, twin, "rate", exponents, "playground twin, α", capsys)
    assert work <= 16
    assert_clean(opened)


def test_on_a_narrow_screen_the_panels_stand_one_above_the_other(request):
    twin = playground_twin(grid=20)  # the default settings: α = 0.3, not on the slider's steps
    with twin_page(browser_or_skip(request), twin, width=400) as opened:
        assert opened.state(twin)["learning_rate"] == 0.3 and opened.text(twin, "rate-value") == "0.3"
        assert_same_run(opened, twin, TrainingPlayground(grid=20))
        width, height = opened.page.evaluate(f"[document.getElementById('{twin.id}-canvas').width, "
                                             f"document.getElementById('{twin.id}-canvas').height]")
        assert height > width  # 400 × 690: the text keeps its size, the figure grows downwards
        assert opened.state(twin)["epoch"] == 0 and not opened.errors
