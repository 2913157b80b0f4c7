"""The activation explorer (mathnn.widgets.depth): the product of g' over depth, the live widget, its site twin."""

import io

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn import activations
from mathnn.widgets import depth
from tests.twin_page import browser_or_skip, twin_page

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

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


def test_the_live_picture_moves_with_every_change():
    explorer = depth.ActivationExplorer()
    frames = [pixels(explorer.image.value)]
    for control, value in [(explorer.depth, 20), (explorer.spread, 2.0), (explorer.activation, "relu"),
                           (explorer.depth, 3)]:
        control.value = value
        frames.append(pixels(explorer.image.value))
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"pictures {k} and {k + 1} are the same picture"


# --- what the explorer says: the mean over paths, leaky ReLU's median path, the numbers' text -----


def test_switching_products_do_not_depend_on_the_spread():
    for name in depth.SWITCHING:  # z > 0 whatever the spread: the twin ships one table for every spread
        a, b = (depth.derivative_products(depth.DepthState(name, 30, spread)) for spread in (0.1, 4.7))
        for field in ("median", "low", "high", "on", "every_path", "mean"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


def test_the_mean_over_paths_is_the_product_of_each_layers_mean_factor():
    relu = depth.derivative_products(depth.DepthState("relu", 30))
    np.testing.assert_array_equal(relu.mean, relu.on)  # factors 1 or 0: the mean is the share on
    leaky = depth.derivative_products(depth.DepthState("leaky_relu", 30))
    np.testing.assert_allclose(leaky.mean, 0.505 ** np.arange(1, 31), rtol=0.35)  # E g' = (1 + 0.01) / 2
    sigmoid = depth.derivative_products(depth.DepthState("sigmoid", 30))
    assert np.all(sigmoid.mean <= sigmoid.bound) and np.all(sigmoid.median[5:] < sigmoid.mean[5:])
    Z = depth._standard_draws(0)[:, :3]
    g = activations.get("tanh").derivative(Z)
    np.testing.assert_allclose(depth.derivative_products(depth.DepthState("tanh", 3)).mean,
                               np.cumprod(g.mean(axis=0)), rtol=1e-15)


def test_leaky_relus_median_path_is_half_its_units_off():
    # Not a bug: the median path at depth 30 has 15 units off, each scaling by the slope 0.01, so it
    # keeps 0.01^15 = 1e-30, below sigmoid's median; the mean over paths stays far above sigmoid's.
    leaky = depth.derivative_products(depth.DepthState("leaky_relu", 30))
    off = np.cumsum(depth._standard_draws(0) <= 0, axis=1)  # (paths, depth): how many units are off so far
    np.testing.assert_allclose(leaky.every_path, np.median(activations.LEAKY_SLOPE ** off, axis=0), rtol=1e-9)
    assert np.median(off[:, -1]) == 15
    assert leaky.every_path[-1] == pytest.approx(1e-30)
    sigmoid = depth.derivative_products(depth.DepthState("sigmoid", 30))
    assert leaky.every_path[-1] < sigmoid.median[-1] and leaky.mean[-1] > 1e10 * sigmoid.mean[-1]
    caption = depth.depth_caption(depth.DepthState("leaky_relu", 30))
    assert "half its units off, each × 0.01, and keeps 1e-30" in caption and "is 1.2e-09" in caption


def test_captions_name_each_number():
    assert depth.depth_caption(depth.DepthState("tanh", 5, 2.0)) == (
        "tanh, depth 5, spread 2.0: median product 4.9e-05; mean over all paths 0.0063")
    assert depth.depth_caption(depth.DepthState("relu", 30, 3.0)).startswith(
        "relu, depth 30, any spread: product 1 along units that are on, but only 8.7e-10 of the paths")


@pytest.mark.parametrize("value", [*np.random.default_rng(7).lognormal(-10, 8, 400), 1.0, 0.5, 12.0, 99.4, 1e-5,
                                   0.00012, 123456.0, -0.037])
def test_significant_writes_what_format_g_writes(value):
    assert depth.significant(value) == f"{value:.2g}"


def test_significant_rounds_halves_away_from_zero():
    assert [depth.significant(v) for v in (0.0625, 0.125, 2.5, 9.95)] == ["0.063", "0.13", "2.5", "9.9"]
    assert depth.significant(0.0) == "0" and depth.significant(9.96) == "10"


# --- the site twin -----------------------------------------------------------------------------


def test_twin_has_the_live_widgets_controls_and_is_self_contained():
    twin = depth.activation_depth_explorer()
    live = depth.ActivationExplorer()
    assert twin.html.startswith(f'<div class="mathnn-depth" id="{twin.id}">')
    assert f'id="{twin.id}-depth" min="1" max="{live.depth.max}" step="1" value="10"' in twin.html
    assert (f'id="{twin.id}-spread" min="{live.spread.min}" max="{live.spread.max}" step="{live.spread.step}" '
            'value="1.0"') in twin.html
    assert twin.html.count("<option ") == len(live.activation.options)
    assert depth.depth_caption(depth.DepthState()) in twin.html
    assert "http" not in twin.html.lower() and " src=" not in twin.html
    assert twin.nbytes < 200_000


def test_the_table_holds_every_spread_of_the_slider():
    assert depth.spread_grid()[:3] == [0.1, 0.2, 0.3] and depth.spread_grid()[-1] == 5.0
    assert len(depth.spread_grid()) == 50
    table = depth.depth_table()
    assert table.shape == ((2 * 50 * 4 + 2 * 3) * depth.MAX_DEPTH,) and table.dtype == np.dtype("<f8")
    tanh = depth.derivative_products(depth.DepthState("tanh", 30, 0.3))
    at = (50 + 2) * 4 * 30  # tanh after sigmoid's 50 spreads, its third spread
    np.testing.assert_array_equal(table[at:at + 30], tanh.median)


def test_twin_settings_are_checked():
    with pytest.raises(ValueError, match="unknown activation"):
        depth.activation_depth_explorer(("sigmoid", "step"))
    with pytest.raises(ValueError, match="one of the slider's"):
        depth.activation_depth_explorer(state=depth.DepthState(spread=0.25))


SETTINGS = [("sigmoid", 10, 1.0), ("leaky_relu", 30, 1.0), ("relu", 1, 0.1), ("tanh", 30, 5.0), ("tanh", 7, 0.3)]
_rng = np.random.default_rng(16)
SETTINGS += [(name, int(_rng.integers(1, 31)), round(0.1 * int(_rng.integers(1, 51)), 1))
             for name in depth.DEPTH_ACTIVATIONS for _ in range(3)]


@pytest.fixture(scope="module")
def page(request):
    twin = depth.activation_depth_explorer()
    with twin_page(browser_or_skip(request), twin) as opened:
        yield opened, twin


def test_twin_gives_mathnn_numbers(page):
    opened, twin = page
    for name, L, spread in SETTINGS:
        assert opened.set(twin, "activation", name) == name
        assert int(opened.set(twin, "depth", L)) == L and float(opened.set(twin, "spread", spread)) == spread
        state = opened.state(twin)
        expected = depth.derivative_products(depth.DepthState(name, L, spread))
        for field in ("median", "low", "high", "on", "every_path", "mean"):
            np.testing.assert_array_equal(state[field], getattr(expected, field), err_msg=f"{name} {L} {spread}")
        if expected.bound is None:
            assert state["bound"] is None
        else:
            np.testing.assert_array_equal(state["bound"], expected.bound)
        text = depth.depth_caption(depth.DepthState(name, L, spread), expected)
        assert state["caption"] == opened.text(twin, "caption") == text
    assert not opened.errors


def test_twin_repaints_when_any_control_moves(page):
    opened, twin = page
    for control, value in (("activation", "sigmoid"), ("depth", 10), ("spread", 1.0)):
        opened.set(twin, control, value)
    seen = [opened.pixels(twin)]
    for control, value in (("spread", 2.5), ("depth", 25), ("activation", "leaky_relu"), ("activation", "tanh")):
        opened.set(twin, control, value)
        seen.append(opened.pixels(twin))
    assert len(set(seen)) == len(seen)


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    opened, _ = page
    assert not opened.elsewhere()
    assert not opened.errors


@pytest.mark.parametrize("control, values", [
    ("depth", [1 + (k * 7) % 30 for k in range(40)]),
    ("spread", [round(0.1 * (1 + (k * 13) % 50), 1) for k in range(40)]),
])
def test_twin_input_to_paint(page, capsys, control, values):
    opened, twin = page
    opened.set(twin, "activation", "sigmoid")
    work, frame = opened.input_to_paint(twin, control, values)
    with capsys.disabled():
        print(f"\ndepth twin, {control}: input to drawn {work:.2f} ms, to the next frame {frame:.2f} ms (medians)")
    assert work <= 16
