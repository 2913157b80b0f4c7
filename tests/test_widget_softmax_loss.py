"""The softmax loss explorer of chapter 4: mathnn's softmax, cross-entropy and dZ, live and in the page."""

import math

import numpy as np
import pytest

from mathnn import Network, activations, losses
from mathnn.layers import Dense
from mathnn.widgets import softmax_loss as sl
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

SETTINGS = [
    ((2.0, 1.0, 0.1), 1),
    ((2.0, 1.0, 0.1), 0),
    ((0.0, 0.0, 0.0), 2),
    ((-5.0, 5.0, 5.0), 0),  # the true class nearly impossible: the largest loss the sliders allow
    ((5.0, -5.0, -5.0), 0),  # confidently right
    ((-1.3, 4.2, 0.7), 2),
    ((3.3, -2.8, 3.4), 1),
]


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel * 1e-3)


def one_hot(c):
    Y = np.zeros((3, 1))
    Y[c, 0] = 1.0
    return Y


# --- the pure function -------------------------------------------------------------------------


@pytest.mark.parametrize("z, c", SETTINGS)
def test_reading_is_mathnn(z, c):
    r = sl.softmax_reading(z, c)
    Z, Y = np.array(z).reshape(-1, 1), one_hot(c)
    Y_hat = activations.softmax(Z)
    assert np.array_equal(np.array(r.y_hat), Y_hat[:, 0]) and r.y == tuple(Y[:, 0])
    assert close(sum(r.y_hat), 1.0)
    assert close(r.loss, losses.get("categorical_cross_entropy")(Y_hat, Y))  # the clipped log of ŷ agrees
    assert close(r.loss, -math.log(r.y_hat[c]), rel=1e-10)
    assert np.array_equal(np.array(r.dz), Y_hat[:, 0] - Y[:, 0])


@pytest.mark.parametrize("z, c", SETTINGS)
def test_dz_is_the_jacobian_route_and_what_a_network_backpropagates(z, c):
    r = sl.softmax_reading(z, c)
    Z, Y = np.array(z).reshape(-1, 1), one_hot(c)
    Y_hat = activations.softmax(Z)
    through_jacobian = activations.softmax_jacobian(Z).T @ losses.categorical_cross_entropy_gradient(Y_hat, Y)
    assert np.allclose(through_jacobian[:, 0], r.dz, rtol=1e-9, atol=1e-12)
    net = Network([Dense(1, 3, "softmax")], loss="categorical_cross_entropy")
    net.layers[0].W, net.layers[0].b = np.zeros((3, 1)), Z  # Z = 0·1 + b: the scores themselves
    net.forward(np.ones((1, 1)))
    net.backward(Y)
    assert np.allclose(net.layers[0].db[:, 0], r.dz, rtol=1e-12, atol=1e-15)
    assert close(net.cost(np.ones((1, 1)), Y), r.loss)


def test_only_the_true_class_enters_the_loss_but_every_score_gets_a_gradient():
    base = sl.softmax_reading((2.0, 1.0, 0.1), 1)
    for other in (0, 2):
        z = list(base.z)
        z[other] += 1.0
        moved = sl.softmax_reading(z, 1)
        assert moved.loss > base.loss  # through the normalisation only
    assert base.dz[1] < 0 < base.dz[0] and base.dz[2] > 0
    assert close(sum(base.dz), 0.0)


def test_the_loss_is_minus_log_of_the_true_probability_on_the_curve():
    p, t = sl.loss_curve()
    assert p[-1] == 1.0 and t[-1] == 0.0 and np.allclose(t, -np.log(p))
    worst = sl.softmax_reading((-5.0, 5.0, 5.0), 0)
    assert worst.loss < sl.LOSS_TOP


@pytest.mark.parametrize("z, c, error, words", [
    ((1.0, 2.0), 0, ValueError, "3 numbers"),
    ((1.0, float("nan"), 0.0), 0, ValueError, "finite"),
    ("abc", 0, TypeError, "three numbers"),
    ((1.0, 2.0, 3.0), 3, ValueError, "0, 1 or 2"),
    ((1.0, 2.0, 3.0), "porter", ValueError, "0, 1 or 2"),
])
def test_bad_settings_say_what_is_expected(z, c, error, words):
    with pytest.raises(error, match=words):
        sl.softmax_reading(z, c)


def test_a_class_may_be_named():
    assert sl.softmax_reading((1.0, 2.0, 3.0), "lager") == sl.softmax_reading((1.0, 2.0, 3.0), 2)


def test_caption():
    assert sl.softmax_caption(sl.softmax_reading()).splitlines() == [
        "true class stout, y = (0, 1, 0); scores z = (2.0, 1.0, 0.1)",
        "ŷ = softmax(z) = (0.6590, 0.2424, 0.0986); loss ℓ = −log ŷ(stout) = 1.4170",
        "∂ℓ/∂z = ŷ − y = (0.6590, −0.7576, 0.0986)",
    ]


def test_pure_parts_import_without_ipywidgets():
    assert_pure_without_ipywidgets("softmax_loss as sl", [
        "assert sl.softmax_reading((0, 0, 0), 1).loss > 1",
        "assert 'mathnnState' in sl.softmax_loss_twin().html",
        "assert len(sl.SoftmaxLossView().png()) > 1000",
    ], "sl.SoftmaxLossExplorer()")


# --- the view and the skin ---------------------------------------------------------------------


def test_view_blitted_frames_equal_full_redraws():
    assert_blits_equal_full_redraws(sl.SoftmaxLossView(sl.softmax_reading((0.0, 0.0, 0.0), 0)),
                                    sl.softmax_reading((1.0, -2.0, 3.0), 2))


def test_explorer_moves_with_its_controls():
    explorer = sl.SoftmaxLossExplorer()
    pictures = [explorer.image.value]
    explorer.scores[2].value = 3.0
    assert explorer.reading == sl.softmax_reading((2.0, 1.0, 3.0), 1)
    pictures.append(explorer.image.value)
    explorer.true_class.value = 2
    assert explorer.reading.true_class == 2 and "true class lager" in explorer.caption.value
    pictures.append(explorer.image.value)
    assert len(set(pictures)) == 3
    assert explorer.error_text == ""


def test_bad_values_show_in_the_output_and_the_explorer_goes_on():
    explorer = sl.SoftmaxLossExplorer()
    explorer.scores[0].value = float("nan")
    assert "ValueError" in explorer.error_text and "finite" in explorer.error_text
    explorer.scores[0].value = -1.0
    assert explorer.error_text == ""
    assert explorer.reading == sl.softmax_reading((-1.0, 1.0, 0.1), 1)


def test_on_site_carries_the_twin_beside_the_live_widget():
    assert_on_site_carries(sl.SoftmaxLossExplorer(), sl.softmax_loss_twin())


def test_twin_is_self_contained():
    assert_self_contained(sl.softmax_loss_twin(), "mathnn-softmax-loss", 40_000)


# --- the site twin in Chromium -----------------------------------------------------------------


page = twin_page_fixture(sl.softmax_loss_twin)


def test_twin_gives_mathnn_numbers(page):
    opened, twin = page
    for z, c in SETTINGS:
        for k, value in enumerate(z):
            assert float(opened.set(twin, f"z{k}", value)) == value
        opened.set(twin, "class", c)
        state = opened.state(twin)
        expected = sl.softmax_reading(z, c)
        assert state["true_class"] == c and tuple(state["z"]) == expected.z and tuple(state["y"]) == expected.y
        assert close(state["loss"], expected.loss, rel=1e-9)
        for field in ("y_hat", "dz"):
            for got, want in zip(state[field], getattr(expected, field)):
                assert close(got, want, rel=1e-9), (z, c, field)
        assert opened.text(twin, "caption") == sl.softmax_caption(expected)
    assert not opened.errors


def test_twin_repaints_when_a_control_moves(page):
    assert_each_move_repaints(*page, {"class": 1}, [("z1", -2.0), ("class", 0)])


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    assert_clean(page[0])


def test_twin_input_to_paint(page, capsys):
    opened, twin = page
    values = [round(-5.0 + 0.1 * ((k * 37) % 101), 1) for k in range(60)]
    work, _ = report_input_to_paint(opened, twin, "z0", values, "softmax loss twin", capsys)
    assert work <= 16
