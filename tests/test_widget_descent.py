"""The gradient-descent stepper (mathnn.widgets.descent): problems and gradients, the one descent loop,
the live widget, its site twin computed in the page."""

import io
import math
import subprocess
import sys

import matplotlib
import numpy as np
import PIL.Image
import pytest
import sympy as sp

from mathnn import symbolic
from mathnn.widgets import descent, descent_site
from mathnn.widgets._skin import is_playing, playing_trait
from mathnn.widgets.descent import DescentState, GradientDescentStepper
from tests.twin_page import browser_or_skip, twin_page

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("name", sorted(descent.PROBLEMS))
def test_problem_gradients_match_finite_differences(name):
    problem = descent.PROBLEMS[name]
    point = np.array([0.7, -0.4][: problem.dims])
    h = 1e-6
    numeric = [
        (problem.value(point + h * e) - problem.value(point - h * e)) / (2 * h) for e in np.eye(problem.dims)
    ]
    np.testing.assert_allclose(problem.gradient(point), numeric, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(descent.PROBLEMS))
def test_hand_written_gradients_equal_the_ones_sympy_derives(name):
    problem = descent.PROBLEMS[name]
    derived = descent.derived_gradient_function(name)
    rng = np.random.default_rng(0)
    for _ in range(20):
        point = rng.uniform(-3, 3, problem.dims)
        np.testing.assert_allclose(problem.gradient(point), derived(point), rtol=1e-12, atol=1e-12)


def test_the_derived_gradients_read_as_the_book_writes_them():
    x, x0, x1 = sp.symbols("x x0 x1", real=True)
    assert [sp.expand(d) for d in descent.derived_gradient("quartic")] == [4 * x**3 - 6 * x + 1]
    assert descent.derived_gradient("bowl") == [x0, 10 * x1]
    dx0, dx1 = (sp.expand(d) for d in descent.derived_gradient("rosenbrock"))
    assert dx0 == sp.expand(-2 * (1 - x0) - 20 * x0 * (x1 - x0**2)) and dx1 == 10 * x1 - 10 * x0**2


def test_the_formula_is_the_function_drawn():
    for name, problem in descent.PROBLEMS.items():
        variables = ["x"] if problem.dims == 1 else ["x0", "x1"]
        f = symbolic.to_numpy(sp.sympify(problem.formula), variables)
        point = np.array([0.3, -1.2][: problem.dims])
        assert float(f(*point)) == pytest.approx(problem.value(point)), name


def test_a_larger_learning_rate_takes_a_larger_step():
    sizes = [
        np.linalg.norm(descent.descend("bowl", learning_rate=rate, steps=1).path[1] - (-4.0, 1.5))
        for rate in (0.01, 0.05, 0.1)
    ]
    assert sizes[0] < sizes[1] < sizes[2]


def test_a_small_learning_rate_goes_downhill():
    state = descent.descend("quartic", learning_rate=0.01, steps=30)
    values = [descent.PROBLEMS["quartic"].value(p) for p in state.path]
    assert state.diverged_at is None and all(b < a for a, b in zip(values, values[1:]))


def test_divergence_is_reported_with_its_step():
    state = descent.descend("bowl", learning_rate=0.3, steps=100)
    assert state.diverged_at == 20  # |x1| doubles every step: 1.5 * 2**20 > 1e6
    assert state.message == "diverged at step 20: |x| grew past 1e6 — try a smaller learning rate"
    assert descent.descent_step(state) is state  # a diverged descent stays put


def test_start_descent_checks_its_input():
    with pytest.raises(ValueError, match="learning_rate"):
        descent.start_descent("bowl", learning_rate=0.0)
    with pytest.raises(ValueError, match="2 number"):
        descent.start_descent("bowl", start=(1.0,))
    with pytest.raises(ValueError, match="unknown problem"):
        descent.start_descent("saddle")


def test_stepper_headless_steps_play_and_reset():
    stepper = GradientDescentStepper("bowl", learning_rate=0.05)
    start = stepper.state.path.copy()
    for _ in range(3):
        stepper.step_button.click()
    assert stepper.state.step == 3 and stepper.play.value == 3
    stepper.play.value = 8  # what the Play widget does on its own, tick by tick
    assert stepper.state.step == 8 and "step 8" in stepper.status.value
    stepper.reset_button.click()
    assert stepper.state.step == 0 and stepper.play.value == 0
    np.testing.assert_array_equal(stepper.state.path, start)


def test_stepper_larger_rate_larger_first_step():
    stepper = GradientDescentStepper("quartic")
    steps = []
    for rate in (0.01, 0.03):
        stepper.learning_rate.value = rate
        stepper.step_button.click()
        steps.append(abs(stepper.state.path[1, 0] - stepper.state.path[0, 0]))
    assert steps[0] < steps[1]


def test_stepper_reports_divergence_in_its_text():
    stepper = GradientDescentStepper("bowl")
    stepper.learning_rate.value = 0.3
    setattr(stepper.play, playing_trait(stepper.play), True)
    stepper.play.value = 50
    assert stepper.state.diverged_at == 20
    assert "diverged at step 20" in stepper.status.value and "smaller learning rate" in stepper.status.value
    assert not is_playing(stepper.play)


def test_stepper_switches_problem_and_start():
    stepper = GradientDescentStepper("quartic")
    assert stepper.start_x1.disabled
    stepper.problem.value = "rosenbrock"
    assert not stepper.start_x1.disabled and isinstance(stepper.state, DescentState)
    np.testing.assert_array_equal(stepper.state.path[0], descent.PROBLEMS["rosenbrock"].start)
    stepper.start_x0.value = 0.5
    assert stepper.state.path[0, 0] == 0.5 and stepper.state.step == 0


def test_the_live_picture_moves_with_every_step():
    stepper = GradientDescentStepper("bowl", learning_rate=0.05)
    frames = [pixels(stepper.image.value)]
    for _ in range(3):
        stepper.step_button.click()
        frames.append(pixels(stepper.image.value))
    stepper.problem.value = "quartic"
    stepper.step_button.click()
    frames.append(pixels(stepper.image.value))
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"the picture did not change at action {k + 1}"


@pytest.mark.parametrize("name", sorted(descent.PROBLEMS))
def test_descent_view_blitted_frames_equal_full_redraws(name):
    view = descent.DescentView(descent.start_descent("quartic"), dpi=40)
    for steps in (0, 2, 5):
        view.update(descent.descend(name, learning_rate=0.02, steps=steps)).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


# --- the words under the picture ---------------------------------------------------------------


@pytest.mark.parametrize("value, text", [
    (21.25, "21.2500"), (-3.5137, "−3.5137"), (-0.00001, "0.0000"), (999999.0, "999999.0000"),
    (1e6, "1.00e6"), (4.2e13, "4.20e13"), (9.996e9, "1.00e10"), (-2.5e24, "−2.50e24"),
    (float("inf"), "∞"), (float("nan"), "NaN"),
])
def test_number_text(value, text):
    assert descent.number_text(value) == text


@pytest.mark.parametrize("rate, text", [(0.18, "0.18"), (10**-0.75, "0.178"), (0.001, "0.001"), (1.0, "1"),
                                        (0.05, "0.05"), (0.0012345, "0.00123"), (3.0, "3")])
def test_rate_text(rate, text):
    assert descent.rate_text(rate) == text


def test_caption_and_message():
    state = descent.descend("bowl", learning_rate=0.18, steps=12)
    assert descent.descent_caption(state) == "learning rate α = 0.18; step 12: x = (−0.370, 0.103), f(x) = 0.1215"
    start = descent.start_descent("quartic", learning_rate=0.05)
    assert start.message == "step 0: x = (2.000), f(x) = 6.0000"


def test_stepper_status_is_the_caption():
    stepper = GradientDescentStepper("bowl", learning_rate=0.18)
    stepper.play.value = 12
    assert descent.descent_caption(stepper.state) in stepper.status.value


def test_pure_parts_and_twin_import_without_ipywidgets():
    code = (
        "import sys; sys.modules['ipywidgets'] = None\n"
        "from mathnn.widgets import descent, descent_site\n"
        "assert 'mathnnState' in descent_site.descent_twin('rosenbrock', 0.01).html\n"
        "assert descent.descend('bowl', steps=3).step == 3\n"
        "try:\n    descent.GradientDescentStepper()\nexcept ImportError:\n    pass\n"
        "else:\n    raise SystemExit('skin built')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- the site twin ----------------------------------------------------------------------------


def test_on_site_carries_the_twin_beside_the_live_widget():
    twin = descent_site.descent_twin("bowl", 0.18)
    bundle = GradientDescentStepper("bowl", learning_rate=0.18).on_site(twin)._repr_mimebundle_()
    assert bundle["text/html"] == twin.html and "application/vnd.jupyter.widget-view+json" in bundle


def test_twin_is_self_contained_and_small():
    twin = descent_site.descent_twin("bowl", 0.18)
    assert twin.html.startswith(f'<div class="mathnn-descent" id="{twin.id}">')
    assert "http" not in twin.html and " src=" not in twin.html
    assert twin.nbytes < 40_000
    assert "learning rate α = 0.18; step 0: x = (−4.000, 1.500), f(x) = 19.2500" in twin.html


def test_twin_checks_its_input():
    with pytest.raises(ValueError, match="unknown problem"):
        descent_site.descent_twin("saddle")
    with pytest.raises(ValueError, match="learning_rate"):
        descent_site.descent_twin("bowl", -0.1)


@pytest.mark.parametrize("name", ["bowl", "rosenbrock"])
def test_the_twin_ships_the_contour_colours_matplotlib_draws(name):
    from matplotlib.figure import Figure

    from mathnn import plots

    problem = descent.PROBLEMS[name]
    ax = Figure().add_subplot()
    filled = plots.loss_surface_2d(ax, problem.f, np.array([problem.start]), problem.x_range, problem.y_range,
                                   levels=problem.levels)["filled"]
    drawn = [[round(255 * (c[3] * v + 1 - c[3])) for v in c[:3]] for c in filled.get_facecolor().tolist()]
    spec = descent_site.twin_problem(name)
    assert spec["bands"] == drawn
    assert spec["levels"] == list(filled.levels)
    assert len(spec["bands"]) == len(spec["levels"])  # one band between each two levels, one above the last
    assert all(0 <= c <= 255 for rgb in spec["bands"] for c in rgb)
    lightness = [sum(rgb) for rgb in spec["bands"]]
    assert lightness == sorted(lightness)  # Blues_r: dark at the bottom of the bowl, light up its sides


@pytest.fixture(scope="module")
def page(request):
    twins = descent_site.descent_twin("bowl", 0.18), descent_site.descent_twin("quartic", 0.05)
    with twin_page(browser_or_skip(request), *twins) as opened:
        yield opened, twins


def steps(opened, twin, count):
    opened.page.evaluate("([id, n]) => { for (let k = 0; k < n; k++) document.getElementById(id).click(); }",
                         [f"{twin.id}-step", count])
    return opened.state(twin)


def as_floats(values):
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def test_the_page_formulas_are_the_python_ones(page):
    opened, (twin, _) = page
    rng = np.random.default_rng(1)
    for name, problem in descent.PROBLEMS.items():
        points = rng.uniform(-3, 3, (25, problem.dims)).tolist()
        got = opened.page.evaluate("([id, name, points]) => document.getElementById(id).mathnnEvaluate(name, points)",
                                   [twin.id, name, points])
        for point, answer in zip(points, got):
            assert answer["f"] == pytest.approx(problem.value(np.array(point)), rel=1e-13, abs=1e-13)
            np.testing.assert_allclose(answer["gradient"], problem.gradient(np.array(point)), rtol=1e-13, atol=1e-13)


SETTINGS = [  # problem, log10 of the learning rate on the slider, start, steps
    ("bowl", -0.74, (-4.0, 1.5), 40),
    ("bowl", -0.67, (-4.0, 1.5), 60),  # α = 0.214 > 0.2: diverges
    ("quartic", -1.3, (2.0,), 50),
    ("quartic", -0.7, (-1.7,), 30),  # α = 0.2: jumps, then diverges
    ("rosenbrock", -1.7, (-1.5, 2.0), 100),
    ("rosenbrock", -0.5, (0.3, -0.8), 20),  # diverges at once
]


@pytest.mark.parametrize("name, exponent, start, count", SETTINGS)
def test_twin_gives_mathnn_numbers(page, name, exponent, start, count):
    opened, (twin, _) = page
    opened.set(twin, "problem", name)
    assert float(opened.set(twin, "rate", exponent)) == pytest.approx(exponent)
    for control, value in zip(("x0", "x1"), start):
        assert float(opened.set(twin, control, value)) == value
    opened.click(twin, "reset")
    state = steps(opened, twin, count)
    rate = state["learning_rate"]
    assert rate == pytest.approx(10**exponent, rel=1e-12)
    expected = descent.descend(name, start=start, learning_rate=rate, steps=count)
    assert state["problem"] == name and state["start"] == list(start)
    assert state["diverged_at"] == expected.diverged_at and state["step"] == expected.step
    np.testing.assert_allclose(as_floats(np.ravel(state["path"])), expected.path.ravel(), rtol=1e-9, atol=1e-12)
    values = [descent.PROBLEMS[name].value(p) for p in expected.path]
    np.testing.assert_allclose(as_floats(state["values"]), values, rtol=1e-9, atol=1e-12)
    assert state["caption"] == descent.descent_caption(expected) == opened.text(twin, "caption")
    assert opened.text(twin, "step-value") == str(expected.step)
    assert not opened.errors


def test_a_diverging_setting_says_so_like_the_stepper(page):
    opened, (twin, _) = page
    opened.set(twin, "problem", "bowl")
    opened.set(twin, "rate", -0.52)  # α = 0.30: the stepper's own doctest
    opened.set(twin, "x0", -4.0)
    opened.set(twin, "x1", 1.5)
    state = steps(opened, twin, 30)
    assert state["diverged_at"] == 20 and state["step"] == 20  # Step does nothing after divergence
    assert state["message"] == "diverged at step 20: |x| grew past 1e6 — try a smaller learning rate"


def test_problem_menu_sets_the_start_sliders(page):
    opened, (twin, _) = page
    for name, problem in descent.PROBLEMS.items():
        opened.set(twin, "problem", name)
        state = opened.state(twin)
        assert state["start"] == list(problem.start) and state["step"] == 0
        disabled = opened.page.evaluate("id => document.getElementById(id).disabled", f"{twin.id}-x1")
        assert disabled == (problem.dims == 1)


def test_twin_buttons(page):
    opened, (_, twin) = page  # the second twin on the page: the quartic
    opened.click(twin, "reset")
    opened.click(twin, "step")
    opened.click(twin, "step")
    assert opened.state(twin)["step"] == 2
    opened.click(twin, "play")
    opened.page.wait_for_function(f"document.getElementById('{twin.id}').mathnnState().step >= 4")
    opened.click(twin, "play")  # pause
    paused = opened.state(twin)["step"]
    opened.page.wait_for_timeout(2 * descent.INTERVAL)
    assert opened.state(twin)["step"] == paused and opened.text(twin, "step-value") == str(paused)
    opened.click(twin, "reset")
    assert opened.state(twin)["step"] == 0


def test_twin_repaints_after_every_step_and_setting(page):
    opened, (twin, _) = page
    opened.set(twin, "problem", "bowl")
    opened.click(twin, "reset")
    pictures = [opened.pixels(twin)]
    for _ in range(3):
        opened.click(twin, "step")
        pictures.append(opened.pixels(twin))
    opened.set(twin, "x0", 2.0)
    pictures.append(opened.pixels(twin))
    opened.set(twin, "problem", "rosenbrock")
    pictures.append(opened.pixels(twin))
    assert len(set(pictures)) == len(pictures)


def test_twin_loads_nothing_from_elsewhere_and_logs_no_error(page):
    opened, _ = page
    assert not opened.elsewhere() and not opened.errors


def test_twin_input_to_paint(page, capsys):
    opened, (twin, _) = page
    opened.set(twin, "problem", "rosenbrock")
    work, frame = opened.input_to_paint(twin, "rate", [round(-3 + 0.01 * ((k * 37) % 301), 2) for k in range(40)])
    with capsys.disabled():
        print(f"\ndescent twin, rate: input to drawn {work:.2f} ms, to the next frame {frame:.2f} ms (medians)")
    assert work <= 16


def test_the_panel_of_f_at_each_step_grows_in_round_blocks_and_holds_every_value():
    for steps, last in ((0, 10), (10, 10), (11, 20), (21, 50), (51, 100), (101, 200)):
        spec = descent.cost_spec(descent.descend("bowl", learning_rate=0.01, steps=steps))
        assert spec["xlim"] == pytest.approx([-0.03 * last, 1.03 * last]) and spec["xticks"][-1] == last
    state = descent.descend("bowl", learning_rate=0.21, steps=40)
    spec = descent.cost_spec(state)
    values = [descent.PROBLEMS["bowl"].value(p) for p in state.path]
    assert spec["ylim"][0] < 0 < max(values) < spec["ylim"][1]
    assert spec["yticklabels"][-1].endswith("e9") or "e" in spec["yticklabels"][-1]


@pytest.mark.parametrize("low, high, whole, labels", [
    (0, 10, True, ["0", "2", "4", "6", "8", "10"]),
    (-1.2, 22, False, ["0", "5", "10", "15", "20"]),
    (-0.2, 1.1, False, ["0.0", "0.5", "1.0"]),
    (-4.2, 7.6, False, ["−2.5", "0.0", "2.5", "5.0", "7.5"]),
    (0, 2.4e7, False, ["0", "5e6", "1e7", "1.5e7", "2e7"]),
])
def test_nice_ticks(low, high, whole, labels):
    values, text = descent.nice_ticks(low, high, 6, whole)
    assert text == labels and low <= values[0] and values[-1] <= high


def test_a_step_of_the_live_stepper_redraws_quickly():
    import time

    stepper = GradientDescentStepper("rosenbrock", learning_rate=0.02)
    stepper.step_button.click()
    start = time.perf_counter()
    for _ in range(8):  # within the first block of 10 steps: only the moving parts are drawn
        stepper.step_button.click()
    assert (time.perf_counter() - start) / 8 < 0.25
