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

from mathnn import Network, data
from mathnn.widgets import _explorer, playground
from mathnn.widgets._skin import is_playing, playing_trait
from mathnn.widgets.playground import PlaygroundSettings, TrainingPlayground

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


# --- the twin over a grid of settings (mathnn.widgets.playground_site) ------------------------------------


def _spec(twin):
    import json

    return json.loads(re.search(r"var SPEC = (\{.*?\});\n", twin.html).group(1))


@pytest.fixture(scope="module")
def grid_twin():
    from mathnn.widgets.playground_site import playground_twin

    return playground_twin(datasets=("xor", "circles"), architectures=(((4,), "tanh"), ((6, 6), "relu")),
                           learning_rates=(0.5, 1e6), epochs=20, frames=5, grid=12, m=60)


def test_the_grid_twin_holds_every_setting_and_loads_nothing(grid_twin):
    spec = _spec(grid_twin)
    assert len(spec["runs"]) == 2 * 2 * 2 == len(grid_twin.frame_counts)
    assert len(spec["datasets"]) == 2 and spec["rates"] == [0.5, 1e6]
    assert grid_twin.nbytes <= _explorer.SIZE_BUDGET
    assert not re.search(r'(src|href)\s*=\s*"', grid_twin.html), "the twin must not load anything"
    assert "<link" not in grid_twin.html and "<img" not in grid_twin.html  # painted from bytes, no pictures
    assert grid_twin.html.count('<select id="') == 3
    for control in ("-step", "-play", "-pause", "-reset", "-frame"):
        assert f'{grid_twin.id}{control}"' in grid_twin.html


def test_the_grid_twin_s_frames_are_mathnn_s_outputs(grid_twin):
    from mathnn import plots

    spec = _spec(grid_twin)
    run = spec["runs"][0]  # xor, 4 tanh, alpha 0.5
    frames = np.frombuffer(base64.b64decode(run["frames"]), np.uint8).reshape(len(run["epochs"]), 12, 12)
    settings = PlaygroundSettings(dataset="xor", hidden=(4,), activation="tanh", learning_rate=0.5, batch_size=32,
                                  m=60, seed=0)
    state = playground.new_playground(settings)
    _, points = plots.boundary_grid(state.X, 12)
    for k, epoch in enumerate(run["epochs"]):
        playground.train_epochs(state, epoch - state.epoch) if epoch > state.epoch else None
        expected = np.round(255 * plots.boundary_image(plots.model_outputs(state.network, points), 12))
        assert np.array_equal(frames[k], expected.astype(np.uint8))
        assert run["captions"][k] == playground.playground_caption(state)
    assert run["costs"] == pytest.approx(state.losses, rel=1e-3)
    assert run["epochs"][0] == 0 and run["epochs"][-1] == 20


def test_a_run_that_diverges_stops_and_says_why(grid_twin):
    spec = _spec(grid_twin)
    diverged = [run for run in spec["runs"] if "diverg" in run["captions"][-1] or "died" in run["captions"][-1]]
    assert diverged, [run["captions"][-1] for run in spec["runs"]]
    for run in diverged:
        assert run["epochs"][-1] < 20 or None in run["costs"] or max(c for c in run["costs"] if c) > 1


def test_the_grid_twin_refuses_an_unknown_data_set():
    from mathnn.widgets.playground_site import playground_twin

    with pytest.raises(ValueError, match="unknown playground data set 'rings'"):
        playground_twin(datasets=("rings",), epochs=2, frames=2)


def test_checkpoints_start_at_0_and_end_at_the_last_epoch():
    from mathnn.widgets.playground_site import checkpoints

    assert checkpoints(100, 10)[0] == 0 and checkpoints(100, 10)[-1] == 100
    assert checkpoints(100, 10) == sorted(set(checkpoints(100, 10)))


def test_the_grid_twin_starts_at_the_setting_asked_for():
    from mathnn.widgets.playground_site import playground_twin

    twin = playground_twin(datasets=("xor", "moons"), architectures=(((3,), "tanh"), ((4, 4), "relu")),
                           learning_rates=(0.5, 1.0), epochs=3, frames=2, grid=6, m=40,
                           start=("moons", ((4, 4), "relu"), 1.0))
    assert re.search(r'<option value="1" selected>moons</option>', twin.html)
    assert re.search(r'<option value="1" selected>4, 4 relu</option>', twin.html)
    assert re.search(r'<option value="1" selected>1</option>', twin.html)
    with pytest.raises(ValueError, match="not a setting of the grid"):
        playground_twin(datasets=("xor",), architectures=(((3,), "tanh"),), learning_rates=(0.5,), epochs=2,
                        frames=2, grid=6, m=40, start=("xor", ((3,), "tanh"), 0.7))
