"""Tests of mathnn.explorers: self-contained HTML with its frames and controls, nothing external, within budget."""

import base64
import io
import re

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn import explorers, widgets

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

DATA_URI = "data:image/png;base64,"


@pytest.fixture(scope="module")
def neuron():
    return explorers.neuron_explorer(gates=("and", "xor"), frames=8, dpi=40)  # the weights turn 45° a frame


@pytest.fixture(scope="module")
def descent():
    return explorers.gradient_descent_explorer("quartic", learning_rates=(0.02, 0.2), steps=6, dpi=30)


@pytest.fixture(scope="module")
def training():
    return explorers.training_explorer("moons", hidden=(4,), learning_rates=(0.1, 1.0), epochs=8, frames=4,
                                       grid=20, dpi=30)


def images(explorer):
    return re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', explorer.html)


def test_neuron_explorer_holds_every_frame(neuron):
    assert neuron.frame_counts == [8, 8]
    assert neuron.html.count("<img ") == neuron.html.count(DATA_URI) == 16
    captions = re.findall(r'data-setting="(\d)" data-frame="\d+" data-caption="([^"]+)"', neuron.html)
    assert any(gate == "0" and "4 of 4 correct" in text for gate, text in captions)  # AND, at 45°
    xor = [text for gate, text in captions if gate == "1"]
    assert len(xor) == 8 and not any("4 of 4" in text for text in xor)


def test_descent_explorer_stops_at_divergence(descent):
    assert descent.frame_counts == [7, 6]  # 6 steps + the start; at α = 0.2 descent diverges at step 5
    assert len(images(descent)) == 13
    assert "diverged at step 5" in descent.html


def test_training_explorer(training):
    assert training.frame_counts == [4, 4]
    assert len(images(training)) == 8
    assert "epoch 0: cost" in training.html and "epoch 8: cost" in training.html


@pytest.mark.parametrize("name", ["neuron", "descent", "training", "depth"])
def test_html_has_its_controls_and_nothing_external(name, request):
    explorer = request.getfixturevalue(name)
    html = explorer.html
    assert f'id="{explorer.id}"' in html
    for control in ('<input type="range"', "<select", '<button type="button"', "<script>"):
        assert control in html
    assert html.count("<option ") == len(explorer.frame_counts)
    assert "http" not in html.lower()  # no CDN, no link, no external reference of any kind
    assert "src=" not in html.replace(f'src="{DATA_URI}', "")  # every source is embedded
    assert explorer._repr_html_() == html
    assert 0 < explorer.nbytes < explorers.SIZE_BUDGET


@pytest.mark.parametrize("name", ["neuron", "descent", "training", "depth"])
def test_frames_are_real_pngs(name, request):
    for data in images(request.getfixturevalue(name))[:3]:
        picture = PIL.Image.open(io.BytesIO(base64.b64decode(data)))
        assert picture.format == "PNG" and picture.size[0] > 50


def test_element_ids_are_unique_per_explorer(neuron, descent, training):
    ids = [neuron.id, descent.id, training.id]
    assert len(set(ids)) == 3
    for explorer in (neuron, descent, training):
        ids_in_html = re.findall(r'id="([^"]+)"', explorer.html)
        assert all(element.startswith(explorer.id) for element in ids_in_html)


def test_repr_is_deterministic(descent):
    assert repr(descent).startswith("Explorer('Gradient descent on quartic") and " at 0x" not in repr(descent)


def test_save_writes_a_complete_page(tmp_path, neuron):
    path = neuron.save(tmp_path / "neuron.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and neuron.html in text and '<meta charset="utf-8">' in text


def test_the_budget_is_enforced():
    frames = [(widgets.NeuronView(dpi=30).png(colors=64), "one frame")]
    with pytest.raises(ValueError, match="over its budget"):
        explorers.Explorer("tiny budget", [("only", frames)], "setting", "frame", budget=1000)
    with pytest.raises(ValueError, match="at least one frame"):
        explorers.Explorer("empty", [("none", [])], "setting", "frame")


def test_default_explorers_fit_the_budget_on_paper():
    # Per-frame sizes of the defaults, measured at their dpi, times their frame counts.
    view = widgets.PlaygroundView(widgets.new_playground(), grid=80, dpi=80)
    frame = len(view.png(colors=explorers.PALETTE_COLORS)) * 4 / 3  # base64
    assert 3 * 20 * frame < explorers.SIZE_BUDGET


def test_data_uris_never_spell_http():
    png = widgets.NeuronView(dpi=20).png(colors=16)
    png += b"\0" * (-len(png) % 3)  # align, then append bytes whose base64 is "httphttp"
    tricky = png + base64.b64decode("httphttp")
    assert "http" in base64.b64encode(tricky).decode()
    uri = explorers._data_uri(tricky)
    assert "http" not in uri.lower()
    decoded = PIL.Image.open(io.BytesIO(base64.b64decode(uri[len(DATA_URI):])))
    original = PIL.Image.open(io.BytesIO(png))
    np.testing.assert_array_equal(np.asarray(decoded.convert("RGB")), np.asarray(original.convert("RGB")))


@pytest.fixture(scope="module")
def depth():
    return explorers.activation_depth_explorer(("sigmoid", "relu"), depths=(1, 10, 30), dpi=30)


def test_activation_depth_explorer_holds_every_frame(depth):
    assert depth.frame_counts == [3, 3]
    assert len(images(depth)) == 6 and depth.html.count("<option ") == 2
    assert "sigmoid, depth 10: median product 1.1e-07, at most (1/4)^10 = 9.5e-07" in depth.html
    assert "relu, depth 30: product 1 along units that are on" in depth.html
    assert "http" not in depth.html.lower() and depth.nbytes < explorers.SIZE_BUDGET


def test_default_activation_depth_explorer_fits_the_budget_on_paper():
    view = widgets.DepthView(dpi=72)
    frame = len(view.png(colors=64, fast=True)) * 4 / 3  # base64
    frames = len(widgets.DEPTH_ACTIVATIONS) * len(explorers.EXPLORER_DEPTHS)
    assert frames * frame < explorers.SIZE_BUDGET / 2


def test_an_explorer_can_open_at_a_later_frame(depth):
    assert 'value="1"' in depth.html  # depths (1, 10, 30): it opens at depth 10
    shown = re.findall(r'<img class="mx-shown" data-setting="(\d)" data-frame="(\d)"', depth.html)
    assert shown == [("0", "1")]
    assert 'id="' + depth.id + '-caption">sigmoid, depth 10' in depth.html
    frames = [(widgets.NeuronView(dpi=20).png(colors=16), "only frame")]
    with pytest.raises(ValueError, match="start must be a frame"):
        explorers.Explorer("one frame", [("only", frames)], "setting", "frame", start=1)
