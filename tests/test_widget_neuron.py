"""The neuron explorer (mathnn.widgets.neuron): its pure functions, the live widget, its site twin."""

import base64
import io
import re

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn.widgets import neuron
from mathnn.widgets.neuron import NeuronExplorer, NeuronState, NeuronView

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

DATA_URI = "data:image/png;base64,"


def images(explorer):
    return re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', explorer.html)


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


def test_and_and_or_are_solvable_by_one_neuron():
    assert neuron.count_correct(NeuronState(1.0, 1.0, -1.5, "step", "and")) == 4
    assert neuron.count_correct(NeuronState(1.0, 1.0, -0.5, "sigmoid", "or")) == 4
    assert neuron.count_correct(NeuronState(1.0, 0.0, -0.5, "step", "and")) == 3  # the line x0 = 0.5


def test_xor_is_never_four_of_four():
    values = np.linspace(-3, 3, 13)
    best = max(
        neuron.count_correct(NeuronState(w0, w1, b, "step", "xor"))
        for w0 in values for w1 in values for b in values
    )
    assert best == 3  # three are easy, four never happen


@pytest.mark.parametrize("activation", neuron.NEURON_ACTIVATIONS)
def test_the_neuron_says_1_on_the_positive_side_of_its_line(activation):
    state = NeuronState(2.0, -1.0, 0.3, activation, "and")
    X = np.random.default_rng(0).uniform(-0.5, 1.5, (2, 50))
    z = 2.0 * X[0] - X[1] + 0.3
    np.testing.assert_array_equal(neuron.neuron_says(state, X)[0], z >= 0)
    assert neuron.neuron_output(state, X).shape == (1, 50)


def test_decision_line_lies_on_w_dot_x_plus_b_equal_zero():
    for w0, w1, b in [(1.0, 1.0, -1.5), (3.0, 0.1, -1.0), (0.0, 2.0, -1.0)]:
        x0, x1 = neuron.decision_line(w0, w1, b)
        np.testing.assert_allclose(w0 * x0 + w1 * x1 + b, 0.0, atol=1e-12)
    assert neuron.decision_line(0.0, 0.0, 1.0)[0].size == 0


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


@pytest.fixture(scope="module")
def site():
    return neuron.neuron_explorer(gates=("and", "xor"), frames=8, dpi=40)  # the weights turn 45° a frame


def test_neuron_explorer_holds_every_frame(site):
    assert site.frame_counts == [8, 8]
    assert site.html.count("<img ") == site.html.count(DATA_URI) == 16
    captions = re.findall(r'data-setting="(\d)" data-frame="\d+" data-caption="([^"]+)"', site.html)
    assert any(gate == "0" and "4 of 4 correct" in text for gate, text in captions)  # AND, at 45°
    xor = [text for gate, text in captions if gate == "1"]
    assert len(xor) == 8 and not any("4 of 4" in text for text in xor)


def test_the_live_picture_moves_with_every_change():
    explorer = NeuronExplorer()
    frames = [pixels(explorer.image.value)]
    for control, value in [(explorer.w0, 2.0), (explorer.b, -1.5), (explorer.activation, "tanh"), (explorer.gate, "xor")]:
        control.value = value
        frames.append(pixels(explorer.image.value))
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"pictures {k} and {k + 1} are the same picture"


def test_every_frame_of_the_site_twin_is_a_different_picture(site):
    frames = [pixels(base64.b64decode(png)) for png in images(site)]
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"frames {k} and {k + 1} are the same picture"


def test_neuron_view_blitted_frames_equal_full_redraws():
    view = NeuronView(dpi=40)
    for b in (-0.5, -1.0, -1.5):
        view.update(NeuronState(1.0, 2.0, b, "sigmoid", "or")).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))
