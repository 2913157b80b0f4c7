"""The activation explorer (mathnn.widgets.depth): the product of g' over depth, the live widget, its site twin."""

import base64
import io
import re

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn.widgets import depth
from mathnn.widgets._explorer import SIZE_BUDGET, Explorer
from mathnn.widgets.neuron import NeuronView

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

DATA_URI = "data:image/png;base64,"


def images(explorer):
    return re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', explorer.html)


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


def test_sigmoid_product_vanishes_under_its_bound():
    products = depth.derivative_products(depth.DepthState("sigmoid", depth=10))
    assert products.median[-1] < 1e-5
    assert np.all(products.high <= products.bound) and products.bound[-1] == pytest.approx(0.25**10)
    for spread in (0.01, 3.0):  # no spread escapes the bound: σ' is largest, 1/4, at z = 0
        assert np.all(depth.derivative_products(depth.DepthState("sigmoid", 30, spread)).high <= 0.25 ** np.arange(1, 31))


def test_relu_product_is_one_on_active_units_and_cut_elsewhere():
    products = depth.derivative_products(depth.DepthState("relu", depth=10))
    np.testing.assert_array_equal(products.median, 1.0)
    np.testing.assert_array_equal(products.low, 1.0)
    np.testing.assert_allclose(products.on, 0.5 ** np.arange(1, 11), rtol=0.2)  # half the units are on
    assert products.every_path[-1] == 0.0 and products.bound is None
    leaky = depth.derivative_products(depth.DepthState("leaky_relu", depth=10))
    np.testing.assert_array_equal(leaky.median, 1.0)
    assert 0 < leaky.every_path[-1] < 1e-6  # not cut, scaled by 0.01 per unit that is off


def test_tanh_survives_small_pre_activations_only():
    small = depth.derivative_products(depth.DepthState("tanh", depth=30, spread=0.1))
    large = depth.derivative_products(depth.DepthState("tanh", depth=30, spread=3.0))
    assert small.median[-1] > 0.5 and large.median[-1] < 1e-20
    np.testing.assert_array_equal(small.on, 1.0)


def test_depth_products_are_prefixes_of_deeper_ones():
    short = depth.derivative_products(depth.DepthState("tanh", depth=5))
    deep = depth.derivative_products(depth.DepthState("tanh", depth=depth.MAX_DEPTH))
    np.testing.assert_array_equal(short.median, deep.median[:5])
    np.testing.assert_array_equal(short.depths, [1, 2, 3, 4, 5])


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (depth.DepthState("step"), "unknown activation"),
        (depth.DepthState(depth=0), "depth"),
        (depth.DepthState(depth=31), "at most 30"),
        (depth.DepthState(spread=0.0), "spread"),
    ],
)
def test_depth_state_is_checked(state, message):
    with pytest.raises(ValueError, match=message):
        depth.derivative_products(state)


def test_depth_view_blitted_frames_equal_full_redraws():
    view = depth.DepthView(depth.DepthState("sigmoid", 3), dpi=40)
    for L in (4, 9, 17):
        view.update(depth.DepthState("sigmoid", L)).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


def test_activation_explorer_headless():
    explorer = depth.ActivationExplorer()
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
    explorer = depth.ActivationExplorer()

    def broken(state):
        raise ValueError("no products today")

    monkeypatch.setattr(depth, "derivative_products", broken)
    explorer.depth.value = 12
    assert "ValueError: no products today" in explorer.error_text


@pytest.fixture(scope="module")
def site():
    return depth.activation_depth_explorer(("sigmoid", "relu"), depths=(1, 10, 30), dpi=30)


def test_activation_depth_explorer_holds_every_frame(site):
    assert site.frame_counts == [3, 3]
    assert len(images(site)) == 6 and site.html.count("<option ") == 2
    assert "sigmoid, depth 10: median product 1.1e-07, at most (1/4)^10 = 9.5e-07" in site.html
    assert "relu, depth 30: product 1 along units that are on" in site.html
    assert "http" not in site.html.lower() and site.nbytes < SIZE_BUDGET


def test_default_activation_depth_explorer_fits_the_budget_on_paper():
    view = depth.DepthView(dpi=72)
    frame = len(view.png(colors=64, fast=True)) * 4 / 3  # base64
    frames = len(depth.DEPTH_ACTIVATIONS) * len(depth.EXPLORER_DEPTHS)
    assert frames * frame < SIZE_BUDGET / 2


def test_an_explorer_can_open_at_a_later_frame(site):
    assert 'value="1"' in site.html  # depths (1, 10, 30): it opens at depth 10
    shown = re.findall(r'<img class="mx-shown" data-setting="(\d)" data-frame="(\d)"', site.html)
    assert shown == [("0", "1")]
    assert 'id="' + site.id + '-caption">sigmoid, depth 10' in site.html
    frames = [(NeuronView(dpi=20).png(colors=16), "only frame")]
    with pytest.raises(ValueError, match="start must be a frame"):
        Explorer("one frame", [("only", frames)], "setting", "frame", start=1)


def test_the_live_picture_moves_with_every_change():
    explorer = depth.ActivationExplorer()
    frames = [pixels(explorer.image.value)]
    for control, value in [(explorer.depth, 20), (explorer.spread, 2.0), (explorer.activation, "relu"),
                           (explorer.depth, 3)]:
        control.value = value
        frames.append(pixels(explorer.image.value))
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"pictures {k} and {k + 1} are the same picture"


def test_every_frame_of_the_site_twin_is_a_different_picture(site):
    frames = [pixels(base64.b64decode(png)) for png in images(site)]
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"frames {k} and {k + 1} are the same picture"
