"""The neuron explorer (mathnn.widgets.neuron): its pure functions, the live widget, its site twin computed in the page."""

import io
import math

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn import activations, data
from mathnn.widgets import neuron
from mathnn.widgets.neuron import NeuronExplorer, NeuronState, NeuronView
from tests.twin_page import browser_or_skip, twin_page

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


# --- the pure functions ------------------------------------------------------------------------


def test_and_and_or_are_solvable_by_one_neuron():
    assert neuron.count_correct(NeuronState(1.0, 1.0, -1.5, "step", "and")) == 4
    assert neuron.count_correct(NeuronState(1.0, 1.0, -0.5, "sigmoid", "or")) == 4
    assert neuron.count_correct(NeuronState(1.0, 0.0, -0.5, "step", "and")) == 3  # the line x0 = 0.5


@pytest.mark.parametrize("activation", neuron.NEURON_ACTIVATIONS)
def test_xor_is_never_four_of_four(activation):
    values = np.linspace(-3, 3, 13)
    best = max(
        neuron.count_correct(NeuronState(w0, w1, b, activation, "xor"))
        for w0 in values for w1 in values for b in values
    )
    assert best == 3  # three are easy, four never happen


@pytest.mark.parametrize("activation", neuron.NEURON_ACTIVATIONS)
def test_the_neuron_says_1_where_its_output_is_above_one_half(activation):
    state = NeuronState(2.0, -1.0, 0.3, activation, "and")
    X = np.random.default_rng(0).uniform(-0.5, 1.5, (2, 50))
    a = activations.get(activation).value(2.0 * X[0] - X[1] + 0.3)
    np.testing.assert_array_equal(neuron.neuron_says(state, X)[0], np.where(a > 0.5, 1.0, 0.0))
    assert neuron.neuron_output(state, X).shape == (1, 50)


@pytest.mark.parametrize("activation, z, says", [
    ("tanh", 0.3, 0.0),  # z > 0 but tanh 0.3 = 0.29 < ½: class 0, not the side of the line z = 0
    ("tanh", 0.6, 1.0),
    ("relu", 0.4, 0.0),  # relu 0.4 = 0.4 < ½
    ("relu", 0.5, 0.5),  # exactly ½: on the boundary, no class
    ("sigmoid", 0.0, 0.5),
    ("step", 0.0, 1.0),  # the step is 1 at z = 0: its output is never ½
])
def test_the_class_is_the_side_of_one_half_not_the_sign_of_z(activation, z, says):
    state = NeuronState(0.0, 0.0, z, activation, "and")
    assert neuron.neuron_says(state, np.zeros((2, 1)))[0, 0] == says


def test_a_point_exactly_on_the_boundary_counts_as_wrong():
    # The line x0 + x1 = 1 runs through XOR's (0, 1) and (1, 0): their output is exactly ½.
    r = neuron.neuron_reading(NeuronState(6.0, 6.0, -6.0, "sigmoid", "xor"))
    assert r.a[1] == r.a[2] == 0.5 and r.says == (0.0, 0.5, 0.5, 1.0)
    assert r.correct == 1  # only (0, 0); under the old rule z ≥ 0 it was 3 of 4
    relu = neuron.neuron_reading(NeuronState(0.5, 0.0, 0.0, "relu", "and"))
    assert relu.a == (0.0, 0.0, 0.5, 0.5) and relu.correct == 2  # (1, 1) sits on a = ½: wrong


def test_reading_is_the_neuron_at_the_gates_points():
    state = NeuronState(1.3, -0.7, 0.2, "tanh", "or")
    r = neuron.neuron_reading(state)
    X, Y = data.logic_gate("or")
    np.testing.assert_array_equal(r.z, 1.3 * X[0] - 0.7 * X[1] + 0.2)
    np.testing.assert_array_equal(r.a, np.tanh(r.z))
    assert r.targets == tuple(Y[0]) and r.correct == neuron.count_correct(state)
    assert r.half_at == math.atanh(0.5)


@pytest.mark.parametrize("activation", neuron.NEURON_ACTIVATIONS)
def test_the_boundary_line_is_where_the_output_is_one_half(activation):
    level = neuron.HALF_AT[activation]
    g = activations.get(activation).value
    if activation == "step":
        assert g(level) == 1.0 and g(level - 1e-9) == 0.0  # where the step jumps over ½
    else:
        assert g(np.float64(level)) == pytest.approx(0.5, abs=1e-15)
    for w0, w1, b in [(1.0, 1.0, -1.5), (3.0, 0.1, -1.0), (0.0, 2.0, -1.0)]:
        x0, x1 = neuron.decision_line(w0, w1, b, level=level)
        np.testing.assert_allclose(w0 * x0 + w1 * x1 + b, level, atol=1e-12)
    assert neuron.decision_line(0.0, 0.0, 1.0)[0].size == 0


def test_the_colour_scale_is_the_outputs_range_with_white_at_one_half():
    assert neuron.color_scale(NeuronState(activation="tanh")) == (-1.0, 1.0)
    assert neuron.color_scale(NeuronState(activation="sigmoid")) == (0.0, 1.0)
    assert neuron.color_scale(NeuronState(2.0, 3.0, 1.0, "relu")) == (0.0, 2.0 * 1.5 + 3.0 * 1.5 + 1.0)
    for low, high in [(-1.0, 1.0), (0.0, 1.0), (0.0, 8.5)]:
        cmap = neuron.half_white_cmap(low, high)
        np.testing.assert_allclose(cmap((0.5 - low) / (high - low))[:3], 1.0, atol=0.01)
        np.testing.assert_allclose(cmap(0.0)[:3], neuron.COLOR_STOPS[0], atol=1e-3)


def test_view_colour_bar_follows_the_activation():
    view = NeuronView(NeuronState(activation="tanh"), dpi=40)
    view.png()
    assert view.heat.get_clim() == (-1.0, 1.0)
    view.update(NeuronState(activation="sigmoid"))
    assert view.heat.get_clim() == (0.0, 1.0)


def test_caption_names_every_number():
    text = neuron.neuron_caption(neuron.neuron_reading(NeuronState(2.0, 1.0, -0.5, "tanh", "xor")))
    assert text.splitlines() == [
        "z = 2.00 x₀ + 1.00 x₁ − 0.50, a = tanh(z); the boundary a = ½ is the line z = 0.5493",
        "a at (0, 0), (0, 1), (1, 0), (1, 1): −0.4621, 0.4621, 0.9051, 0.9866 (targets 0, 1, 1, 0)",
        "XOR: 2 of 4 correct (right: a > ½ for target 1, a < ½ for target 0; a = ½ is wrong). "
        "No single line gets all four of XOR.",
    ]


@pytest.mark.parametrize("state, error, words", [
    (NeuronState(activation="leaky"), ValueError, "unknown activation"),
    (NeuronState(gate="nand"), ValueError, "unknown logic gate"),
    (NeuronState(w0=float("nan")), ValueError, "w0 must be a finite number"),
    (NeuronState(b="1"), TypeError, "b must be a number"),
])
def test_bad_settings_say_what_is_wrong(state, error, words):
    with pytest.raises(error, match=words):
        neuron.neuron_reading(state)


# --- the view and the live widget --------------------------------------------------------------


def test_neuron_explorer_headless():
    explorer = NeuronExplorer()
    first = explorer.image.value
    explorer.w0.value, explorer.w1.value, explorer.b.value = 1.0, 1.0, -1.5
    assert explorer.correct == 4 and "AND: 4 of 4 correct" in explorer.score.value
    assert explorer.image.value != first
    explorer.gate.value = "xor"
    assert explorer.correct < 4 and "No single line gets all four of XOR" in explorer.score.value
    explorer.activation.value = "relu"
    assert explorer.state.activation == "relu"
    assert explorer.error_text == ""


def test_bad_values_show_in_the_output_and_the_explorer_goes_on():
    explorer = NeuronExplorer()
    explorer.w0.max = float("inf")
    explorer.w0.value = float("inf")
    assert "ValueError: w0 must be a finite number" in explorer.error_text
    explorer.w0.max = 5.0
    explorer.w0.value = 2.0
    assert explorer.error_text == "" and explorer.state.w0 == 2.0


def test_the_live_picture_moves_with_every_change():
    explorer = NeuronExplorer()
    frames = [pixels(explorer.image.value)]
    for control, value in [(explorer.w0, 2.0), (explorer.b, -1.5), (explorer.activation, "tanh"), (explorer.gate, "xor")]:
        control.value = value
        frames.append(pixels(explorer.image.value))
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"pictures {k} and {k + 1} are the same picture"


def test_neuron_view_blitted_frames_equal_full_redraws():
    view = NeuronView(dpi=40)
    for b in (-0.5, -1.0, -1.5):
        view.update(NeuronState(1.0, 2.0, b, "sigmoid", "or")).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


def test_on_site_carries_the_twin_beside_the_live_widget():
    twin = neuron.neuron_explorer(["and", "or", "xor"])
    bundle = NeuronExplorer().on_site(twin)._repr_mimebundle_()
    assert bundle["text/html"] == twin.html
    assert "application/vnd.jupyter.widget-view+json" in bundle


# --- the site twin -----------------------------------------------------------------------------


def test_twin_has_the_live_widgets_controls_and_is_self_contained():
    twin = neuron.neuron_explorer(("and", "xor"))
    assert twin.html.startswith(f'<div class="mathnn-neuron" id="{twin.id}">')
    for control in ("w0", "w1", "b"):
        assert f'id="{twin.id}-{control}" min="-5.0" max="5.0" step="0.1"' in twin.html
    assert twin.html.count("<option ") == len(neuron.NEURON_ACTIVATIONS) + 2
    assert neuron.neuron_caption(neuron.neuron_reading(NeuronState())) in twin.html  # before any script runs
    assert "http" not in twin.html and " src=" not in twin.html
    assert twin.nbytes < 40_000
    assert neuron.neuron_explorer().id != neuron.neuron_explorer().id


def test_twin_settings_are_checked():
    with pytest.raises(ValueError, match="unknown logic gate"):
        neuron.neuron_explorer(("and", "nand"))
    with pytest.raises(ValueError, match="at least one logic gate"):
        neuron.neuron_explorer(())
    assert 'value="or" selected' in neuron.neuron_explorer(("or",)).html  # the default gate, AND, is not offered


SETTINGS = [  # on the sliders' grid; the first ones put points exactly on the boundary a = ½
    (6 * 0.5, 3.0, -3.0, "sigmoid", "xor"), (1.0, 1.0, -1.0, "sigmoid", "xor"), (0.5, 0.0, 0.0, "relu", "and"),
    (1.0, 1.0, -1.0, "step", "xor"), (0.0, 0.0, 0.0, "sigmoid", "or"), (-5.0, 5.0, -5.0, "tanh", "or"),
]
_rng = np.random.default_rng(15)
SETTINGS += [
    (*(round(float(v), 1) for v in _rng.integers(-50, 51, 3) / 10), activation, gate)
    for activation in neuron.NEURON_ACTIVATIONS for gate in ("and", "or", "xor") for _ in range(2)
]


@pytest.fixture(scope="module")
def page(request):
    twin = neuron.neuron_explorer()
    with twin_page(browser_or_skip(request), twin) as opened:
        yield opened, twin


def test_twin_opens_at_the_live_widgets_first_setting(page):
    opened, twin = page
    state = opened.state(twin)
    assert state["caption"] == neuron.neuron_caption(neuron.neuron_reading(NeuronState()))


def test_twin_gives_mathnn_numbers(page):
    opened, twin = page
    for w0, w1, b, activation, gate in SETTINGS:
        for control, value in (("w0", w0), ("w1", w1), ("b", b)):
            assert float(opened.set(twin, control, value)) == value
        assert opened.set(twin, "activation", activation) == activation and opened.set(twin, "gate", gate) == gate
        state = opened.state(twin)
        expected = neuron.neuron_reading(NeuronState(w0, w1, b, activation, gate))
        for field in ("w0", "w1", "b", "half_at", "activation", "gate", "correct"):
            assert state[field] == getattr(expected, field), (w0, w1, b, activation, gate, field)
        assert state["targets"] == list(expected.targets) and state["says"] == list(expected.says)
        np.testing.assert_array_equal(state["z"], expected.z)  # the same float64 operations in the same order
        np.testing.assert_allclose(state["a"], expected.a, rtol=1e-12, atol=1e-300)
        assert state["scale"] == list(neuron.color_scale(expected))
        assert state["caption"] == opened.text(twin, "caption") == neuron.neuron_caption(expected)
    assert not opened.errors


def test_twin_repaints_when_any_control_moves(page):
    opened, twin = page
    for control, value in (("w0", 1), ("w1", 1), ("b", -0.5), ("activation", "sigmoid"), ("gate", "and")):
        opened.set(twin, control, value)
    seen = [opened.pixels(twin)]
    for control, value in (("w0", 2.5), ("w1", -1), ("b", 0.7), ("activation", "tanh"), ("gate", "xor")):
        opened.set(twin, control, value)
        seen.append(opened.pixels(twin))
    assert len(set(seen)) == len(seen)


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    opened, _ = page
    assert not opened.elsewhere()
    assert not opened.errors


def test_twin_input_to_paint(page, capsys):
    opened, twin = page
    opened.set(twin, "activation", "sigmoid")
    values = [round(-5 + 0.1 * ((k * 37) % 101), 1) for k in range(60)]
    work, frame = opened.input_to_paint(twin, "b", values)
    with capsys.disabled():
        print(f"\nneuron twin: input to drawn {work:.2f} ms, to the next frame {frame:.2f} ms (medians)")
    assert work <= 16
