"""The gradient-descent stepper (mathnn.widgets.descent): problems and gradients, the one descent loop,
the live widget, its site twin."""

import base64
import html
import io
import re

import matplotlib
import numpy as np
import PIL.Image
import pytest
import sympy as sp

from mathnn import symbolic
from mathnn.widgets import descent
from mathnn.widgets._skin import is_playing, playing_trait
from mathnn.widgets.descent import DescentState, GradientDescentStepper

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

DATA_URI = "data:image/png;base64,"


def images(explorer):
    return re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', explorer.html)


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


@pytest.fixture(scope="module")
def site():
    return descent.gradient_descent_explorer("quartic", learning_rates=(0.02, 0.2), steps=6, dpi=30)


def test_descent_explorer_stops_at_divergence(site):
    assert site.frame_counts == [7, 6]  # 6 steps + the start; at α = 0.2 descent diverges at step 5
    assert len(images(site)) == 13
    assert "diverged at step 5" in site.html


def test_the_site_twin_takes_the_same_steps_as_descend(site):
    captions = re.findall(r'data-setting="0" data-frame="(\d+)" data-caption="([^"]+)"', site.html)
    assert html.unescape(captions[-1][1]) == descent.descend("quartic", learning_rate=0.02, steps=6).message


def test_repr_is_deterministic(site):
    assert repr(site).startswith("Explorer('Gradient descent on quartic") and " at 0x" not in repr(site)


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


def test_every_frame_of_the_site_twin_is_a_different_picture():
    explorer = descent.gradient_descent_explorer("bowl", (0.05, 0.3), steps=4, dpi=30)
    frames = [pixels(base64.b64decode(png)) for png in images(explorer)]
    assert len(frames) == 10
    for k, (before, after) in enumerate(zip(frames, frames[1:])):
        assert (before != after).any(), f"frames {k} and {k + 1} are the same picture"


@pytest.mark.parametrize("name", sorted(descent.PROBLEMS))
def test_descent_view_blitted_frames_equal_full_redraws(name):
    view = descent.DescentView(descent.start_descent("quartic"), dpi=40)
    for steps in (0, 2, 5):
        view.update(descent.descend(name, learning_rate=0.02, steps=steps)).render()
    blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
    view.render(full=True)
    np.testing.assert_array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))
