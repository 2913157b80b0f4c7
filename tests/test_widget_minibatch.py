"""The mini-batch explorer of chapter 6 (mathnn.widgets.minibatch): the numbers are mathnn.Network.fit's,
live and in the page."""

import math

import numpy as np
import pytest

from mathnn import Network, optim
from mathnn.layers import Dense
from mathnn.widgets import minibatch as mb
from tests.twin_page import browser_or_skip, twin_page
from tests.widget_helpers import (
    assert_blits_equal_full_redraws,
    assert_on_site_carries,
    assert_pure_without_ipywidgets,
    assert_self_contained,
)


def fit_path(batch_size, learning_rate, seed, epochs):
    """(w, b) after every step of mathnn's own training of the linear unit, from mb.START."""
    net = Network([Dense(1, 1, "linear")], loss="mse")
    net.layers[0].W[:], net.layers[0].b[:] = mb.START
    path = [mb.START]

    def after_each_step(event):
        if event.kind == "step":
            path.append((event.network.layers[0].W[0, 0], event.network.layers[0].b[0, 0]))

    net.fit(mb.X_DATA, mb.Y_DATA, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size, seed=seed,
            callbacks=[after_each_step])
    return np.array(path)


# --- the pure functions ------------------------------------------------------------------------


def test_the_data_are_chapter_6s_line():
    rng = np.random.default_rng(6)
    x = rng.normal(1.0, 1.0, (1, 100))
    y = 2.0 * x - 1.0 + rng.normal(0, 0.3, (1, 100))
    assert np.array_equal(mb.X_DATA, x) and np.array_equal(mb.Y_DATA, y)
    assert mb.X_DATA.shape == mb.Y_DATA.shape == (1, mb.M)


@pytest.mark.parametrize("batch_size, learning_rate, seed", [(1, 0.05, 0), (4, 0.1, 0), (8, 0.2, 3), (32, 0.3, 1),
                                                              (100, 0.1, 2), (16, 0.05, 4)])
def test_the_run_is_network_fit(batch_size, learning_rate, seed):
    run = mb.minibatch_run(batch_size, learning_rate, seed, epochs=6)
    np.testing.assert_allclose(run.sgd_path, fit_path(batch_size, learning_rate, seed, 6), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(run.gd_path, fit_path(mb.M, learning_rate, seed, 6), rtol=1e-12, atol=1e-13)
    assert run.steps_per_epoch == math.ceil(mb.M / batch_size) and len(run.sgd_path) == 6 * run.steps_per_epoch + 1


def test_costs_are_mathnn_s_mse():
    run = mb.minibatch_run(8, 0.1, 0, epochs=2)
    net = Network([Dense(1, 1, "linear")], loss="mse")
    for t in (0, 5, len(run.sgd_path) - 1):
        net.layers[0].W[:], net.layers[0].b[:] = run.sgd_path[t]
        assert run.sgd_cost[t] == pytest.approx(net.cost(mb.X_DATA, mb.Y_DATA), rel=1e-12)


def test_epoch_orders_cut_are_the_batches_of_every_size():
    orders = mb.epoch_orders(3, epochs=4)
    assert orders.shape == (4, mb.M) and all(sorted(o) == list(range(mb.M)) for o in orders)
    for batch_size in mb.BATCH_SIZES:
        rng = np.random.default_rng(3)
        drawn = [list(optim.batches(mb.M, batch_size, rng)) for _ in range(4)]
        cut = [[o[k:k + batch_size] for k in range(0, mb.M, batch_size)] for o in orders]
        assert all(np.array_equal(a, b) for d, c in zip(drawn, cut) for a, b in zip(d, c))


def test_the_same_seed_gives_the_same_path_and_another_seed_another():
    one, again, other = (mb.minibatch_run(4, 0.1, s, epochs=3) for s in (0, 0, 1))
    assert np.array_equal(one.sgd_path, again.sgd_path) and not np.array_equal(one.sgd_path, other.sgd_path)
    assert np.array_equal(one.gd_path, other.gd_path)  # full batch does not depend on the shuffle


def test_a_smaller_batch_wanders_more_around_the_minimum():
    """The 1/B law as the width of the path: the spread of the cost in the last ten epochs falls with B."""
    spread = []
    for batch_size in (1, 4, 16):
        run = mb.minibatch_run(batch_size, 0.1, 0)
        tail = run.sgd_cost[-10 * run.steps_per_epoch:]
        spread.append(np.mean(tail) - mb.LEAST_SQUARES[2])
    assert spread[0] > spread[1] > spread[2] > 0


def test_full_batch_diverges_past_two_over_the_largest_curvature():
    X = mb.X_DATA[0]
    H = 2 * np.array([[np.mean(X**2), np.mean(X)], [np.mean(X), 1.0]])
    limit = 2 / np.linalg.eigvalsh(H).max()
    below, above = mb.minibatch_run(mb.M, 0.98 * limit, 0), mb.minibatch_run(mb.M, 1.2 * limit, 0)
    assert below.gd_cost[-1] < below.gd_cost[0] and above.gd_cost[-1] > 100 * above.gd_cost[0]


def test_divergence_stops_the_run_and_is_told():
    run = mb.minibatch_run(1, 0.5, 0)
    assert run.sgd_diverged_at == 37 and len(run.sgd_path) == 38
    assert np.max(np.abs(run.sgd_path[-1])) > mb.DIVERGENCE_LIMIT
    lines = mb.minibatch_caption(mb.MinibatchState(run, 1)).splitlines()
    assert lines[1] == ("mini-batch SGD, B = 1 (100 steps per epoch): diverged at step 37: |w| or |b| grew past 1e6 — "
                        "try a smaller learning rate or a larger batch")
    assert lines[2].startswith("full batch, B = 100 (1 step per epoch): 1 steps, w = ")
    early = mb.minibatch_caption(mb.MinibatchState(mb.minibatch_run(100, 0.5, 0), 0)).splitlines()
    assert "diverged" not in early[2]


def test_caption():
    lines = mb.minibatch_caption(mb.MinibatchState(mb.minibatch_run(), 30)).splitlines()
    assert lines == [
        "epoch 30 of 30, the same for both; learning rate α = 0.10; shuffle seed 0",
        "mini-batch SGD, B = 4 (25 steps per epoch): 750 steps, w = 1.868, b = −0.926, cost C = 0.1072",
        "full batch, B = 100 (1 step per epoch): 30 steps, w = 1.616, b = −0.403, cost C = 0.2066",
        "least squares: w = 1.923, b = −0.884, cost C = 0.0948",
    ]


@pytest.mark.parametrize("settings, error, words", [
    ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
    ({"batch_size": 101}, ValueError, "at most 100"),
    ({"batch_size": 2.5}, TypeError, "whole number"),
    ({"learning_rate": -0.1}, ValueError, "greater than 0"),
    ({"learning_rate": float("nan")}, ValueError, "greater than 0"),
    ({"learning_rate": "0.1"}, TypeError, "without quotes"),
    ({"seed": -1}, ValueError, "seed"),
    ({"epochs": 31}, ValueError, "at most 30"),
])
def test_bad_settings_say_what_is_expected(settings, error, words):
    with pytest.raises(error, match=words):
        mb.minibatch_run(**settings)


def test_pure_parts_import_without_ipywidgets():
    assert_pure_without_ipywidgets("minibatch", [
        "assert minibatch.minibatch_run(epochs=2).sgd_path.shape == (51, 2)",
        "assert 'mathnnState' in minibatch.minibatch_twin().html",
        "assert len(minibatch.MinibatchView().png()) > 1000",
    ], "minibatch.MinibatchExplorer()")


# --- the view and the skin ---------------------------------------------------------------------


def test_view_blitted_frames_equal_full_redraws():
    view = mb.MinibatchView(mb.MinibatchState(mb.minibatch_run(), 3))
    assert_blits_equal_full_redraws(view, mb.MinibatchState(mb.minibatch_run(), 20),
                                    mb.MinibatchState(mb.minibatch_run(1, 0.5, 2), 30))


def test_step_play_and_reset():
    widget = mb.MinibatchExplorer()
    full = widget.image.value
    widget.reset_button.click()
    assert widget.state.epoch == 0 and widget.play.value == 0 and widget.image.value != full
    pictures = [widget.image.value]
    for _ in range(3):
        widget.step_button.click()
        pictures.append(widget.image.value)
    assert widget.state.epoch == 3 and len(set(pictures)) == 4
    widget.play.value = 12  # as if Play had ticked on to 12
    assert widget.state.epoch == 12 and "epoch 12 of 30" in widget.caption.value
    assert widget.error_text == ""


def test_settings_change_the_run():
    widget = mb.MinibatchExplorer()
    before = widget.image.value
    widget.batch_size.value = 16
    assert widget.state.run.batch_size == 16 and widget.state.run.steps_per_epoch == 7
    widget.learning_rate.value = 0.3
    widget.seed.value = 2
    assert np.array_equal(widget.state.run.sgd_path, mb.minibatch_run(16, 0.3, 2).sgd_path)
    assert widget.image.value != before and "B = 16 (7 steps per epoch)" in widget.caption.value


def test_bad_values_show_in_the_output_and_the_explorer_goes_on():
    widget = mb.MinibatchExplorer()
    widget.learning_rate.min = -1.0
    widget.learning_rate.value = -0.5  # out of range, through code
    assert "learning_rate must be a finite number greater than 0" in widget.error_text
    widget.learning_rate.value = 0.2
    assert widget.error_text == "" and widget.state.run.learning_rate == 0.2
    widget.learning_rate.value = float("nan")
    assert "ValueError" in widget.error_text and widget.state.run.learning_rate == 0.2
    widget.step_button.click()  # still responds
    assert widget.error_text == ""


def test_on_site_and_self_contained():
    twin = mb.minibatch_twin()
    assert_on_site_carries(mb.MinibatchExplorer(), twin)
    assert_self_contained(twin, "mathnn-minibatch", 80_000)
    with pytest.raises(ValueError, match="seeds"):
        mb.minibatch_twin(seed=7)


def test_the_twin_carries_the_shuffles_it_replays():
    data = mb.twin_data()
    assert sorted(data["orders"]) == [str(s) for s in mb.SEEDS]
    text = data["orders"]["2"]
    decoded = np.array([int(text[k:k + 2]) for k in range(0, len(text), 2)]).reshape(mb.EPOCHS, mb.M)
    assert np.array_equal(decoded, mb.epoch_orders(2))


# --- the site twin in Chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def page(request):
    twin = mb.minibatch_twin()
    with twin_page(browser_or_skip(request), twin) as opened:
        yield opened, twin


def as_floats(values):
    return np.array([math.nan if v is None else v for v in np.ravel(values)], dtype=np.float64)


SETTINGS = [(1, 0.05, 0, 30), (4, 0.1, 0, 7), (8, 0.3, 3, 30), (32, 0.2, 1, 0), (100, 0.38, 4, 30), (2, 0.01, 2, 15),
            (1, 0.5, 0, 30), (16, 0.5, 1, 20)]  # the last two diverge


@pytest.mark.parametrize("batch_size, learning_rate, seed, epoch", SETTINGS)
def test_twin_gives_mathnn_numbers(page, batch_size, learning_rate, seed, epoch):
    opened, twin = page
    opened.set(twin, "batch", mb.BATCH_SIZES.index(batch_size))
    assert float(opened.set(twin, "rate", learning_rate)) == learning_rate
    opened.set(twin, "seed", seed)
    opened.set(twin, "epoch", epoch)
    state = opened.state(twin)
    expected = mb.minibatch_run(batch_size, learning_rate, seed)
    assert (state["batch_size"], state["learning_rate"], state["seed"], state["epoch"]) == (
        batch_size, learning_rate, seed, epoch)
    assert (state["sgd_diverged_at"], state["gd_diverged_at"]) == (expected.sgd_diverged_at, expected.gd_diverged_at)
    for field in ("sgd_path", "sgd_cost", "gd_path", "gd_cost"):
        np.testing.assert_allclose(as_floats(state[field]), np.ravel(getattr(expected, field)), rtol=1e-9, atol=1e-12,
                                   err_msg=field)
    assert state["caption"] == mb.minibatch_caption(mb.MinibatchState(expected, epoch)) == opened.text(twin, "caption")
    assert opened.text(twin, "batch-value") == str(batch_size)
    assert not opened.errors


def test_twin_buttons(page):
    opened, twin = page
    opened.set(twin, "rate", 0.1)
    opened.click(twin, "reset")
    assert opened.state(twin)["epoch"] == 0
    opened.click(twin, "step")
    opened.click(twin, "step")
    assert opened.state(twin)["epoch"] == 2
    opened.click(twin, "play")
    opened.page.wait_for_function(f"document.getElementById('{twin.id}').mathnnState().epoch >= 5")
    opened.click(twin, "play")  # pause
    paused = opened.state(twin)["epoch"]
    opened.page.wait_for_timeout(3 * mb.INTERVAL)
    assert opened.state(twin)["epoch"] == paused and opened.text(twin, "epoch-value") == str(paused)


def test_twin_repaints_after_a_step_and_a_setting(page):
    opened, twin = page
    opened.set(twin, "rate", 0.1)
    opened.click(twin, "reset")
    pictures = [opened.pixels(twin)]
    for _ in range(2):
        opened.click(twin, "step")
        pictures.append(opened.pixels(twin))
    opened.set(twin, "batch", 0)
    pictures.append(opened.pixels(twin))
    opened.set(twin, "seed", 3)
    pictures.append(opened.pixels(twin))
    assert len(set(pictures)) == len(pictures)


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    opened, _ = page
    assert not opened.elsewhere() and not opened.errors


@pytest.mark.parametrize("control, values", [
    ("epoch", [(k * 7) % 31 for k in range(40)]),
    ("batch", [k % len(mb.BATCH_SIZES) for k in range(40)]),  # a whole new run of 30 epochs each time
])
def test_twin_input_to_paint(page, capsys, control, values):
    opened, twin = page
    opened.set(twin, "rate", 0.1)
    work, frame = opened.input_to_paint(twin, control, values)
    with capsys.disabled():
        print(f"\nminibatch twin, {control}: input to drawn {work:.2f} ms, to the next frame {frame:.2f} ms (medians)")
    assert work <= 16
