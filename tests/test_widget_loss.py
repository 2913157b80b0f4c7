"""The loss explorer of chapter 4: its numbers are mathnn's, its widget shows them, its site twin computes them too."""

import math

import numpy as np
import pytest

from mathnn import Network, losses
from mathnn.layers import Dense
from mathnn.widgets import loss
from tests.widget_helpers import (
    assert_blits_equal_full_redraws,
    assert_clean,
    assert_each_move_repaints,
    assert_on_site_carries,
    assert_pure_without_ipywidgets,
    assert_self_contained,
    report_input_to_paint,
    twin_page_fixture,
)

SETTINGS = [(y, y_hat) for y in (0, 1) for y_hat in (0.001, 0.05, 0.25, 0.5, 0.731, 0.9, 0.999)]
FIELDS = loss.LossReading._fields


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel * 1e-3)


# --- the pure function -------------------------------------------------------------------------


@pytest.mark.parametrize("y, y_hat", SETTINGS)
def test_reading_is_mathnn_on_one_example(y, y_hat):
    r = loss.loss_reading(y, y_hat)
    Y_hat, Y = np.array([[y_hat]]), np.array([[float(y)]])
    assert r.mse == losses.get("mse")(Y_hat, Y) == (y_hat - y) ** 2
    assert r.bce == losses.get("binary_cross_entropy")(Y_hat, Y)
    assert close(r.bce, losses.binary_cross_entropy_from_logits(np.array([[r.z]]), Y))
    assert r.mse_dy_hat == losses.get("mse").gradient(Y_hat, Y)[0, 0]
    assert r.bce_dy_hat == losses.get("binary_cross_entropy").gradient(Y_hat, Y)[0, 0]


@pytest.mark.parametrize("name, field", [("mse", "mse_dz"), ("binary_cross_entropy", "bce_dz")])
@pytest.mark.parametrize("y, y_hat", SETTINGS)
def test_gradient_at_the_logit_is_what_a_network_backpropagates(name, field, y, y_hat):
    r = loss.loss_reading(y, y_hat)
    net = Network([Dense(1, 1, "sigmoid")], loss=name)
    net.layers[0].W, net.layers[0].b = [[0.0]], [[r.z]]  # z = 0·1 + b: the logit itself
    X, Y = np.array([[1.0]]), np.array([[float(y)]])
    assert close(net.forward(X)[0, 0], y_hat)
    net.backward(Y)
    assert close(net.layers[0].db[0, 0], getattr(r, field), rel=1e-9)
    assert close(net.cost(X, Y), r.mse if name == "mse" else r.bce, rel=1e-9)


@pytest.mark.parametrize("y, y_hat", SETTINGS)
def test_gradients_match_central_differences(y, y_hat):
    r, h = loss.loss_reading(y, y_hat), 1e-6

    def at_z(z):
        p = 1.0 / (1.0 + math.exp(-z))
        return (p - y) ** 2, -(y * math.log(p) + (1 - y) * math.log(1 - p))

    plus, minus = at_z(r.z + h), at_z(r.z - h)
    for k, field in enumerate(("mse_dz", "bce_dz")):
        numeric = (plus[k] - minus[k]) / (2 * h)
        assert abs(numeric - getattr(r, field)) / (abs(numeric) + abs(getattr(r, field))) < 1e-7


@pytest.mark.parametrize("y, y_hat", [(0, 0.999), (1, 0.001)])
def test_badly_wrong_mse_barely_moves_the_logit_cross_entropy_does(y, y_hat):
    r = loss.loss_reading(y, y_hat)
    assert abs(r.mse_dz) < 0.0021 and abs(r.mse_dy_hat) > 1.99  # the slope ŷ(1 − ŷ) ≈ 0.001 eats it
    assert abs(r.bce_dz) > 0.998


def test_curves_are_the_readings_at_every_point():
    for y in (0, 1):
        curves = loss.loss_curves(y)
        assert curves["y_hat"][0] == 0.001 and curves["y_hat"][-1] == 0.999
        for i in (0, 137, 250, 498):
            r = loss.loss_reading(y, curves["y_hat"][i])
            for name in ("mse", "bce", "mse_dz", "bce_dz"):
                assert close(curves[name][i], getattr(r, name))


@pytest.mark.parametrize("y, y_hat, error, words", [
    (2, 0.5, ValueError, "0 or 1"),
    (True, 0.5, ValueError, "0 or 1"),
    (0, 0.0, ValueError, "strictly between 0 and 1"),
    (0, 1.0, ValueError, "strictly between 0 and 1"),
    (1, 1.5, ValueError, "strictly between 0 and 1"),
    (1, float("nan"), ValueError, "strictly between 0 and 1"),
    (1, "high", TypeError, "a number between 0 and 1"),
])
def test_bad_settings_say_what_is_expected(y, y_hat, error, words):
    with pytest.raises(error, match=words):
        loss.loss_reading(y, y_hat)


def test_caption_names_every_number():
    text = loss.loss_caption(loss.loss_reading(0, 0.9))
    assert text.splitlines() == [
        "target y = 0, prediction ŷ = 0.900, logit z = log(ŷ/(1 − ŷ)) = 2.1972",
        "mean squared error: ℓ = 0.8100, ∂ℓ/∂ŷ = 1.8000, ∂ℓ/∂z = 0.1620",
        "cross-entropy: ℓ = 2.3026, ∂ℓ/∂ŷ = 10.0000, ∂ℓ/∂z = 0.9000",
    ]


def test_pure_parts_import_without_ipywidgets():
    assert_pure_without_ipywidgets("loss", [
        "assert loss.loss_reading(1, 0.25).bce > 1",
        "assert 'mathnnState' in loss.loss_twin().html",
        "assert len(loss.LossView().png()) > 1000",
    ], "loss.LossExplorer()")


# --- the view and the skin ---------------------------------------------------------------------


def test_view_blitted_frames_equal_full_redraws():
    assert_blits_equal_full_redraws(loss.LossView(loss.loss_reading(0, 0.2)), loss.loss_reading(0, 0.8))


def test_explorer_moves_with_its_controls():
    explorer = loss.LossExplorer()
    first = explorer.image.value
    explorer.y_hat.value = 0.3
    assert explorer.reading == loss.loss_reading(0, 0.3)
    assert explorer.image.value != first
    second = explorer.image.value
    explorer.y.value = 1
    assert explorer.reading.y == 1 and explorer.image.value != second
    assert "target y = 1" in explorer.caption.value
    assert explorer.error_text == ""


def test_bad_values_show_in_the_output_and_the_explorer_goes_on():
    explorer = loss.LossExplorer()
    explorer.y_hat.value = float("nan")
    assert "ValueError" in explorer.error_text and "strictly between 0 and 1" in explorer.error_text
    explorer.y_hat.max = 2.0
    explorer.y_hat.value = 1.5  # out of range, through code
    assert "strictly between 0 and 1" in explorer.error_text
    explorer.y_hat.max = 0.999
    explorer.y_hat.value = 0.25
    assert explorer.error_text == ""
    assert explorer.reading == loss.loss_reading(0, 0.25)


def test_on_site_carries_the_twin_beside_the_live_widget():
    assert_on_site_carries(loss.LossExplorer(), loss.loss_twin())


def test_twin_is_self_contained():
    assert_self_contained(loss.loss_twin(y=1, y_hat=0.25), "mathnn-loss", 40_000)
    assert loss.loss_twin().id != loss.loss_twin().id


# --- the site twin in Chromium -----------------------------------------------------------------


page = twin_page_fixture(loss.loss_twin)


def test_twin_gives_mathnn_numbers(page):
    opened, twin = page
    for y, y_hat in SETTINGS:
        opened.set(twin, "y", y)
        assert float(opened.set(twin, "y-hat", y_hat)) == y_hat
        state = opened.state(twin)
        expected = loss.loss_reading(y, y_hat)
        for field in FIELDS:
            assert close(state[field], getattr(expected, field), rel=1e-9), (y, y_hat, field)
        assert opened.text(twin, "caption") == loss.loss_caption(expected)
    assert not opened.errors


def test_twin_repaints_when_a_control_moves(page):
    assert_each_move_repaints(*page, {"y": 0, "y-hat": 0.5}, [("y-hat", 0.6), ("y", 1)])


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    assert_clean(page[0])


def test_twin_input_to_paint(page, capsys):
    opened, twin = page
    values = [0.001 + 0.998 * ((k * 37) % 101) / 100 for k in range(60)]
    work, _ = report_input_to_paint(opened, twin, "y-hat", [round(v, 3) for v in values], "loss twin", capsys)
    assert work <= 16
