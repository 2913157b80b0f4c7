"""The slow-learning race of chapter 4: the numbers are mathnn.Network.fit's, live and in the page."""

import math

import numpy as np
import pytest

from mathnn import Network
from mathnn.layers import Dense
from mathnn.widgets import learning_race as rc
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

STARTS = [(2.0, 2.0, 0.15), (0.6, 0.9, 0.15), (-4.0, 4.0, 1.0), (4.0, -3.5, 0.01), (-1.3, 0.2, 0.57), (4.0, 4.0, 5.0),
          (2.0, 2.0, 4.2)]


def fit(loss, w, b, learning_rate, epochs):
    """ŷ and C after each epoch of the network the race stands for, trained by mathnn itself."""
    net = Network([Dense(1, 1, "sigmoid")], loss=loss)
    net.layers[0].W, net.layers[0].b = [[w]], [[b]]
    X, Y = [[1.0]], [[0.0]]
    y_hat, cost = [net.forward(X)[0, 0]], [net.cost(X, Y)]

    def after_each_epoch(event):
        if event.kind == "epoch":
            y_hat.append(event.network.forward(X)[0, 0])

    history = net.fit(X=X, Y=Y, epochs=epochs, learning_rate=learning_rate, batch_size=1, seed=0,
                      callbacks=[after_each_epoch])
    return np.array(y_hat), np.array(cost + history.loss)


# --- the pure function -------------------------------------------------------------------------


@pytest.mark.parametrize("w, b, learning_rate", STARTS)
def test_race_is_network_fit(w, b, learning_rate):
    run = rc.race(w, b, learning_rate, epochs=rc.EPOCHS)
    for loss, prefix in (("mse", "mse"), ("binary_cross_entropy", "bce")):
        y_hat, cost = fit(loss, w, b, learning_rate, rc.EPOCHS)
        assert np.allclose(getattr(run, f"{prefix}_y_hat"), y_hat, rtol=1e-12, atol=0)
        assert np.allclose(getattr(run, f"{prefix}_cost"), cost, rtol=1e-12, atol=0)


def test_fewer_epochs_are_a_prefix():
    whole, part = rc.race(epochs=300), rc.race(epochs=40)
    assert np.array_equal(part.mse_cost, whole.mse_cost[:41]) and np.array_equal(part.bce_y_hat, whole.bce_y_hat[:41])


def test_badly_wrong_mse_crawls_while_cross_entropy_runs():
    run = rc.race(2.0, 2.0, 0.15)
    # After 30 epochs mean squared error has barely moved ŷ from 0.98; cross-entropy has it near 0.2.
    assert run.mse_y_hat[30] > 0.95 and run.bce_y_hat[30] < 0.25
    assert run.mse_y_hat[0] == run.bce_y_hat[0] == 1 / (1 + math.exp(-4.0))
    gentle = rc.race(0.6, 0.9, 0.15)
    # From the gentle start both fall from the first epoch on.
    assert gentle.mse_y_hat[30] < 0.5 and gentle.bce_y_hat[30] < 0.5


def test_every_cost_falls_when_the_steps_are_small():
    for w, b, rate in STARTS:
        run = rc.race(w, b, min(rate, 0.2))
        assert np.all(np.diff(run.mse_cost) <= 1e-15) and np.all(np.diff(run.bce_cost) <= 1e-15)


@pytest.mark.parametrize("settings, error, words", [
    ({"w": float("nan")}, ValueError, "finite"),
    ({"b": "two"}, TypeError, "must be a number"),
    ({"learning_rate": 0.0}, ValueError, "greater than 0"),
    ({"learning_rate": -0.1}, ValueError, "greater than 0"),
    ({"epochs": 301}, ValueError, "at most 300"),
    ({"epochs": 2.5}, TypeError, "whole number"),
])
def test_bad_settings_say_what_is_expected(settings, error, words):
    with pytest.raises(error, match=words):
        rc.race(**settings)


def test_cost_axis_holds_both_runs():
    for w, b, rate in STARTS:
        run = rc.race(w, b, rate)
        top = rc.cost_top(run)
        assert max(run.mse_cost.max(), run.bce_cost.max()) * 1.1 <= top
        values, labels = rc.cost_ticks(top)
        assert values[0] == 0 and values[-1] <= top and len(values) == len(labels) >= 3


@pytest.mark.parametrize("w, b, learning_rate, mse, bce", [
    (2.0, 2.0, 0.15, 117, 17),  # the epochs chapter 4 states for the badly wrong start
    (0.6, 0.9, 0.15, 18, 8),  # and for the mild one
    (2.0, 2.0, 4.2, 6, 1),  # 28 times the rate rescues the squared error from this start
    (-1.0, -1.0, 0.15, 0, 0),  # already right
])
def test_first_epoch_below_one_half(w, b, learning_rate, mse, bce):
    run = rc.race(w, b, learning_rate)
    assert (rc.first_below_half(run.mse_y_hat), rc.first_below_half(run.bce_y_hat)) == (mse, bce)


def test_caption():
    state = rc.RaceState(rc.race(), 300)
    lines = rc.race_caption(state).splitlines()
    assert lines[0] == "epoch 300 of 300; start w = 2.0, b = 2.0; learning rate α = 0.15"
    assert lines[1].startswith("mean squared error: ŷ = 0.0775, C = ") and lines[1].endswith("ŷ < ½ since epoch 117")
    assert lines[2].startswith("cross-entropy: ŷ = ") and lines[2].endswith("ŷ < ½ since epoch 17")
    early = rc.race_caption(rc.RaceState(rc.race(), 50)).splitlines()
    assert early[1].endswith("ŷ < ½ not yet") and early[2].endswith("since epoch 17")


def test_pure_parts_import_without_ipywidgets():
    assert_pure_without_ipywidgets("learning_race as rc", [
        "assert rc.race().mse_cost.shape == (301,)",
        "assert 'mathnnState' in rc.race_twin().html",
        "assert len(rc.RaceView().png()) > 1000",
    ], "rc.LearningRace()")


# --- the view and the skin ---------------------------------------------------------------------


def test_view_blitted_frames_equal_full_redraws():
    assert_blits_equal_full_redraws(rc.RaceView(rc.RaceState(rc.race(), 10)), rc.RaceState(rc.race(), 200),
                                    rc.RaceState(rc.race(0.6, 0.9, 0.15), 50))


def test_step_play_and_reset():
    widget = rc.LearningRace()
    assert widget.state.epoch == 300
    full = widget.image.value
    widget.reset_button.click()
    assert widget.state.epoch == 0 and widget.play.value == 0 and widget.image.value != full
    widget.step_button.click()
    widget.step_button.click()
    assert widget.state.epoch == 2 and widget.epoch.value == 2
    widget.play.value = 120  # as if Play had ticked on to 120
    assert widget.state.epoch == 120 and "epoch 120 of 300" in widget.caption.value
    assert widget.error_text == ""


def test_start_and_rate_change_the_race():
    widget = rc.LearningRace()
    before = widget.image.value
    widget.w.value = 0.6
    widget.b.value = 0.9
    assert widget.state.race.w == 0.6 and widget.state.race.b == 0.9
    assert np.array_equal(widget.state.race.mse_cost, rc.race(0.6, 0.9, 0.15).mse_cost)
    after_start = widget.image.value
    widget.learning_rate.value = 0.5
    assert widget.state.race.learning_rate == 0.5
    assert len({before, after_start, widget.image.value}) == 3


def test_bad_values_show_in_the_output_and_the_race_goes_on():
    widget = rc.LearningRace()
    widget.w.value = float("nan")
    assert "ValueError" in widget.error_text and "finite" in widget.error_text
    widget.w.value = 1.0
    assert widget.error_text == "" and widget.state.race.w == 1.0
    widget.learning_rate.min = -1.0
    widget.learning_rate.value = -0.5  # out of range, through code
    assert "learning_rate must be a finite number greater than 0" in widget.error_text
    widget.learning_rate.value = 0.2
    assert widget.error_text == "" and widget.state.race.learning_rate == 0.2


def test_on_site_carries_the_twin_beside_the_live_widget():
    assert_on_site_carries(rc.LearningRace(), rc.race_twin())


def test_twin_is_self_contained():
    assert_self_contained(rc.race_twin(), "mathnn-race", 40_000)


# --- the site twin in Chromium -----------------------------------------------------------------


page = twin_page_fixture(rc.race_twin)


def test_twin_gives_mathnn_numbers(page):
    opened, twin = page
    for (w, b, rate), epoch in zip(STARTS, (300, 0, 17, 299, 150, 1, 6)):
        assert float(opened.set(twin, "w", w)) == w
        assert float(opened.set(twin, "b", b)) == b
        assert float(opened.set(twin, "rate", rate)) == rate
        opened.set(twin, "epoch", epoch)
        state = opened.state(twin)
        expected = rc.race(w, b, rate)
        assert (state["w"], state["b"], state["learning_rate"], state["epoch"]) == (w, b, rate, epoch)
        for field in ("mse_y_hat", "mse_cost", "bce_y_hat", "bce_cost"):
            assert np.allclose(state[field], getattr(expected, field), rtol=1e-9, atol=0), (w, b, rate, field)
        assert opened.text(twin, "caption") == rc.race_caption(rc.RaceState(expected, epoch))
    assert not opened.errors


def test_twin_buttons(page):
    opened, twin = page
    opened.click(twin, "reset")
    assert opened.state(twin)["epoch"] == 0
    opened.click(twin, "step")
    opened.click(twin, "step")
    assert opened.state(twin)["epoch"] == 2
    opened.click(twin, "play")
    opened.page.wait_for_function(f"document.getElementById('{twin.id}').mathnnState().epoch >= 6")
    opened.click(twin, "play")  # pause
    paused = opened.state(twin)["epoch"]
    opened.page.wait_for_timeout(3 * rc.INTERVAL)
    assert opened.state(twin)["epoch"] == paused
    assert opened.text(twin, "epoch-value") == str(paused)


def test_twin_repaints_when_a_control_moves(page):
    assert_each_move_repaints(*page, {"epoch": 100}, [("epoch", 101), ("w", -2.0)])


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    assert_clean(page[0])


@pytest.mark.parametrize("control, values", [
    ("epoch", [(k * 37) % 301 for k in range(60)]),
    ("w", [round(-4.0 + 0.1 * ((k * 37) % 81), 1) for k in range(60)]),  # a whole new race every time
])
def test_twin_input_to_paint(page, capsys, control, values):
    opened, twin = page
    work, _ = report_input_to_paint(opened, twin, control, values, f"race twin, {control}", capsys)
    assert work <= 16
