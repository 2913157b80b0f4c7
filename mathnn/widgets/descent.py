r"""The gradient-descent stepper: one function, one learning rate, one step at a time (chapter 6).

The problems (``PROBLEMS``: f, its gradient and a good view of it) live in
:mod:`mathnn.widgets.descent_problems`. Here are the state and the one descent loop
(:class:`DescentState`, :func:`descent_step`, :func:`steps_from`, :func:`advance`, :func:`descend`), the
view (:class:`DescentView`) and the live widget (:class:`GradientDescentStepper`), side by side; its site
twin computed in the page, which draws the same panels (:func:`surface_spec`, :func:`cost_spec`), is
``descent_twin`` of :mod:`mathnn.widgets.descent_site`.

Examples
--------
>>> descent = descend("bowl", start=(-4.0, 1.5), learning_rate=0.25, steps=50)
>>> descent.diverged_at is not None
True
>>> [str(d) for d in derived_gradient("bowl")]
['x0', '10*x1']
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from mathnn import plots
from mathnn.validate import check_count, check_positive_number, lookup
from mathnn.widgets._canvas import (
    DPI,
    GRID_ALPHA,
    LABEL_PX,
    fixed,
    legend,
    place_axes,
    points,
    style_ticks,
    ticks,
)
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider, stop
from mathnn.widgets.descent_problems import (  # noqa: F401 (also importable from here, as before)
    PROBLEMS,
    Problem,
    derived_gradient,
    derived_gradient_function,
)

DIVERGENCE_LIMIT = 1e6  # a point farther than this from the origin counts as diverged
RATE_EXPONENTS, RATE_STEP = (-3, 0), 0.01  # the learning-rate slider: α = 10^e for e from -3 to 0 in steps of 0.01
START_STEP = 0.1  # the start sliders
MAX_STEPS, INTERVAL = 100, 300  # Play runs up to 100 steps, one every 300 ms
SIZE = (760, 350)  # pixels
SURFACE_BOX, COST_BOX = [62, 40, 430, 250], [576, 40, 166, 250]
TWIN_TICKS = {  # (x ticks, y ticks) of the surface panel: (low, high, step, digits) each
    "quartic": ((-2, 2, 1, 0), (-4, 12, 4, 0)),
    "bowl": ((-4, 4, 2, 0), (-2, 2, 1, 0)),
    "rosenbrock": ((-2, 2, 1, 0), (-1, 3, 1, 0)),
}


@dataclass(frozen=True)
class DescentState:
    """Where gradient descent has been: ``path`` of shape (steps + 1, d), the start in row 0."""

    problem: str
    learning_rate: float
    path: np.ndarray
    diverged_at: int | None = None

    @property
    def step(self):
        """How many steps have been taken."""
        return len(self.path) - 1

    @property
    def point(self):
        """The current point, shape (d,)."""
        return self.path[-1]

    @property
    def message(self):
        """One line for the reader, saying where descent is, or that (and when) it diverged."""
        if self.diverged_at is not None:
            return (
                f"diverged at step {self.diverged_at}: |x| grew past 1e{np.log10(DIVERGENCE_LIMIT):.0f} — "
                "try a smaller learning rate"
            )
        problem = PROBLEMS[self.problem]
        where = ", ".join(fixed(float(v), 3) for v in self.point)
        with np.errstate(over="ignore", invalid="ignore"):
            return f"step {self.step}: x = ({where}), f(x) = {number_text(problem.value(self.point))}"


def number_text(value, digits=4):
    """``value`` as ``_canvas.fixed`` writes it, or as 1.23e9 from a million on (the site twins write the same text).

    >>> number_text(21.25), number_text(-0.00001), number_text(4.2e13)
    ('21.2500', '0.0000', '4.20e13')
    """
    if not math.isfinite(value) or abs(value) < 1e6:
        return fixed(value, digits)
    exponent = math.floor(math.log10(abs(value)))
    text = fixed(value / 10.0**exponent, 2)
    if text.lstrip("−") == "10.00":  # 9.996e9 rounds up to 10.00e9: write 1.00e10
        exponent += 1
        text = fixed(value / 10.0**exponent, 2)
    return f"{text}e{exponent}"


def rate_text(rate):
    """A learning rate in three significant digits, without trailing zeros: 0.178, 0.05, 1.

    >>> rate_text(10**-0.75), rate_text(0.05), rate_text(1.0)
    ('0.178', '0.05', '1')
    """
    digits = min(12, max(0, 2 - math.floor(math.log10(rate))))
    text = fixed(rate, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


def descent_caption(state):
    """The line under the picture: the learning rate, then :attr:`DescentState.message` (the twin writes the same)."""
    return f"learning rate α = {rate_text(state.learning_rate)}; {state.message}"


def start_descent(problem, start=None, learning_rate=0.05):
    """A descent at its start point, before any step.

    Parameters
    ----------
    problem : str, a name in ``PROBLEMS``
    start : sequence of d floats, optional; the problem's own start by default
    learning_rate : float > 0
    """
    definition = lookup(PROBLEMS, problem, "problem")
    learning_rate = check_positive_number(learning_rate, "learning_rate", "Try 0.05.")
    start = definition.start if start is None else tuple(start)
    if len(start) != definition.dims:
        raise ValueError(f"{problem} is a function of {definition.dims} variable(s), so start needs "
                         f"{definition.dims} number(s), but got {start}.")
    try:
        finite = bool(np.all(np.isfinite(np.asarray(start, dtype=np.float64))))
    except (TypeError, ValueError):
        finite = False
    if not finite:
        raise ValueError(f"start must be {definition.dims} finite number(s), but got {start}. Try {definition.start}.")
    return DescentState(problem, learning_rate, np.array([start], dtype=np.float64))


def descent_step(state):
    r"""One step :math:`x \leftarrow x - \alpha \nabla f(x)`; a diverged descent stays where it is."""
    if state.diverged_at is not None:
        return state
    problem = PROBLEMS[state.problem]
    with np.errstate(over="ignore", invalid="ignore"):
        new = state.point - state.learning_rate * problem.gradient(state.point)
    diverged_at = None
    if not np.all(np.isfinite(new)) or np.max(np.abs(new)) > DIVERGENCE_LIMIT:
        diverged_at = state.step + 1
    return replace(state, path=np.vstack([state.path, new]), diverged_at=diverged_at)


def steps_from(state, steps):
    """The states after each of up to ``steps`` more steps from ``state``; the last is the one that diverged, if any.

    The one descent loop: :func:`descend`, the stepper and the site twin all take their steps here.
    """
    for _ in range(check_count(steps, "steps", minimum=0)):
        if state.diverged_at is not None:
            return
        state = descent_step(state)
        yield state


def advance(state, steps):
    """The state after up to ``steps`` more steps from ``state`` (fewer if descent diverges)."""
    for later in steps_from(state, steps):
        state = later
    return state


def descend(problem, start=None, learning_rate=0.05, steps=20):
    """Take ``steps`` steps (fewer if descent diverges) and return the final :class:`DescentState`."""
    return advance(start_descent(problem, start, learning_rate), steps)




def nice_ticks(low, high, most, whole=False):
    """Round ticks over [low, high], at most ``most`` of them (whole numbers if ``whole``), and their labels.

    The site twins take the same steps (``MX.niceTicks`` in ``PLOT_JS`` of ``mathnn.widgets._canvas``).
    """
    raw = max((high - low) / max(1, most - 1), 1.0 if whole else 0.0)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in ((1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)) if m * power >= raw)
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if step / power == 2.5 else 0)
    values, k = [], math.ceil(low / step - 1e-9)
    while k * step <= high + 1e-9 * step:
        values.append(k * step)
        k += 1
    return values, [_compact(v) if step >= 1e4 else fixed(v, digits) for v in values]


def _compact(value):
    """A tick label such as 2e7 or 2.5e7."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)) + 1e-9)
    mantissa = value / 10.0**exponent
    return f"{fixed(mantissa, 0 if abs(mantissa - round(mantissa)) < 1e-6 else 1)}e{exponent}"


def cost_spec(state):
    """The panel of f at each step: steps up to 10, 20, 50, 100, ... and f from its minimum to a little above
    the highest f so far (the twin's script draws the same panel)."""
    problem = PROBLEMS[state.problem]
    low = problem.value(problem.minimum)
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.array([problem.value(p) for p in state.path])
    finite = values[np.isfinite(values)]
    high = max(low + 1.0, float(finite.max()) if finite.size else low)
    span = high - low
    last = 10
    while last < state.step:
        last = last * 5 // 2 if str(last)[0] == "2" else last * 2  # 10, 20, 50, 100, 200, 500, ...
    ylim = [low - 0.06 * span, high + 0.12 * span]
    (xticks, xlabels), (yticks, ylabels) = nice_ticks(0, last, 6, whole=True), nice_ticks(*ylim, 6)
    return {"box": COST_BOX, "xlim": [-0.03 * last, 1.03 * last], "ylim": ylim, "xticks": xticks,
            "xticklabels": xlabels, "yticks": yticks, "yticklabels": ylabels, "xlabel": "step", "ylabel": "f(x)",
            "title": "f(x) at each step"}


def surface_spec(name):
    """The panel of the function: its curve or contours, with the twin's ticks and plain-text title."""
    problem = PROBLEMS[name]
    (xticks, xlabels), (yticks, ylabels) = (ticks(*t) for t in TWIN_TICKS[name])
    if problem.dims == 1:
        y = problem.f(np.linspace(*problem.x_range, 400))
        span = float(y.max() - y.min())
        ylim = [float(y.min()) - 0.08 * span, float(y.max()) + 0.08 * span]  # as loss_surface_1d
    else:
        ylim = list(problem.y_range)
    return {"box": SURFACE_BOX, "xlim": list(problem.x_range), "ylim": ylim, "xticks": xticks,
            "xticklabels": xlabels, "yticks": yticks, "yticklabels": ylabels,
            "xlabel": "x" if problem.dims == 1 else "x₀", "ylabel": "f(x)" if problem.dims == 1 else "x₁",
            "title": problem.label}


class DescentView(View):
    """Left, a problem's curve or contours, drawn once, and the descent path on top, redrawn each step;
    right, f at each step. The same picture as the site twin's (``SIZE``, ``SURFACE_BOX``, ``COST_BOX``)."""

    def __init__(self, state=None, dpi=DPI):
        super().__init__((SIZE[0] / dpi, SIZE[1] / dpi), dpi)
        self.figure.set_layout_engine("none")
        self.ax = None
        self.cost_ax = place_axes(self.figure, cost_spec(start_descent("bowl")), SIZE)
        red = plots.PALETTE["vermillion"]
        (self.cost_line,) = self.cost_ax.plot([], [], color=red, linewidth=1.6)
        (self.cost_dots,) = self.cost_ax.plot([], [], "o", color=red, markeredgecolor="black", markersize=5)
        self._problem = self._cost_axis = None
        self._path_artists = {}
        self.update(state or start_descent("quartic"))

    def update(self, state):
        """Redraw for ``state``: the surface only when the problem changed, the path every time."""
        problem = PROBLEMS[state.problem]
        if state.problem != self._problem:
            if self.ax is not None:
                self.ax.remove()
            spec = surface_spec(state.problem)
            self.ax = place_axes(self.figure, spec, SIZE)
            if problem.dims == 1:
                self._path_artists = plots.loss_surface_1d(self.ax, problem.f, state.path[:, 0], problem.x_range)
                self._path_artists.pop("curve")
            else:
                self._path_artists = plots.loss_surface_2d(
                    self.ax, problem.f, state.path, problem.x_range, problem.y_range, levels=problem.levels
                )
                self._path_artists.pop("filled")
                self._path_artists.pop("lines")
            self.ax.set_ylim(*spec["ylim"])
            self.ax.set_xlabel(spec["xlabel"], fontsize=points(LABEL_PX))
            self.ax.set_ylabel(spec["ylabel"], fontsize=points(LABEL_PX))
            self.ax.grid(True, alpha=GRID_ALPHA)
            self._problem = state.problem
            low = problem.minimum if problem.dims == 2 else (problem.minimum[0], problem.value(problem.minimum))
            (minimum,) = self.ax.plot(*low, "P", color="black", markersize=9, zorder=3, label="global minimum")
            legend(self.ax, [self._path_artists["start"], self._path_artists["end"], minimum],
                   "upper center" if problem.dims == 1 else "upper right")
            red = plots.PALETTE["vermillion"]
            self._warning = self.ax.text(
                0.5, 0.05, "", transform=self.ax.transAxes, ha="center", va="bottom", fontsize=points(13),
                zorder=10, color=red, bbox={"facecolor": "white", "edgecolor": red},
            )
        else:
            path = state.path[:, 0] if problem.dims == 1 else state.path
            old = self._path_artists  # removed once the new path is drawn, so that a failure leaves them be
            self._path_artists = plots.descent_path(self.ax, path, problem.f if problem.dims == 1 else None)
            for artist in old.values():
                if artist is not None:
                    artist.remove()
        diverged = state.diverged_at is not None
        self._warning.set_text(state.message.replace(" — ", "\n") if diverged else "")
        self._update_cost(state)
        # What moves from step to step; the legend too, so that the path passes under it as in a full drawing.
        path = [artist for artist in self._path_artists.values() if artist is not None]
        self.animate([*path, self._warning, self.ax.get_legend(), self.cost_line, self.cost_dots])
        return self

    def _update_cost(self, state):
        spec = cost_spec(state)
        axis = (tuple(spec["xlim"]), tuple(spec["ylim"]))
        if axis != self._cost_axis:
            self._cost_axis = axis
            self.cost_ax.set_xlim(*spec["xlim"])
            style_ticks(self.cost_ax, spec)
        problem = PROBLEMS[state.problem]
        with np.errstate(over="ignore", invalid="ignore"):
            values = np.array([problem.value(p) for p in state.path])
        values = np.where(np.isfinite(values), values, spec["ylim"][1])  # an infinite f at the top
        steps = np.arange(len(values))
        self.cost_line.set_data(steps, values)
        shown = slice(None) if len(values) < 60 else slice(-1, None)  # every step's dot, or the last alone
        self.cost_dots.set_data(steps[shown], values[shown])

    def still(self):
        """The problem's curve or contours, and the axes of f at each step."""
        return self._problem, self._cost_axis


class GradientDescentStepper(Skin):
    """Gradient descent on a 1-D or 2-D function, one step per click, or played like a film.

    The ``play`` widget counts steps; Step moves it on by one, Reset back to 0, and the path
    shown always has ``play.value`` steps (fewer if descent diverged).

    >>> stepper = GradientDescentStepper("bowl")
    >>> stepper.learning_rate.value = 0.3
    >>> stepper.step_button.click()
    >>> stepper.state.step
    1
    >>> stepper.play.value = 30  # as if Play had ticked on to 30
    >>> stepper.state.message[:21]
    'diverged at step 20: '
    """

    def __init__(self, problem="quartic", learning_rate=0.05, max_steps=MAX_STEPS):
        widgets = ipywidgets()
        state = start_descent(problem, learning_rate=learning_rate)
        super().__init__(DescentView(state))
        self.state = state
        self.problem = widgets.Dropdown(
            options=[("1-D: quartic", "quartic"), ("2-D: elongated bowl", "bowl"), ("2-D: Rosenbrock", "rosenbrock")],
            value=problem, description="function",
        )
        self.learning_rate = slider("FloatLogSlider", "learning rate α", learning_rate, base=10, min=RATE_EXPONENTS[0],
                                     max=RATE_EXPONENTS[1], step=RATE_STEP, readout_format=".3g")
        self.start_x0 = slider("FloatSlider", "start $x_0$", 0.0, step=0.1)
        self.start_x1 = slider("FloatSlider", "start $x_1$", 0.0, step=0.1)
        self.play = widgets.Play(value=0, min=0, max=max_steps, interval=INTERVAL, description="play",
                                 show_repeat=False)
        self.step_button = widgets.Button(description="Step", icon="step-forward")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.status = widgets.HTML()
        self._set_start_sliders(problem)
        self.problem.observe(self._on_problem, names="value")
        for control in (self.learning_rate, self.start_x0, self.start_x1):
            control.observe(self._on_setting, names="value")
        self.play.observe(self._on_play, names="value")
        self.step_button.on_click(self._on_step)
        self.reset_button.on_click(self._on_reset)
        self._show(self.state)
        self.widget = widgets.VBox([
            widgets.HBox([self.problem, self.learning_rate]),
            widgets.HBox([self.start_x0, self.start_x1]),
            widgets.HBox([self.step_button, self.play, self.reset_button]),
            self.status, self.image, self.output,
        ])

    def _set_start_sliders(self, name):
        problem = lookup(PROBLEMS, name, "problem")
        ranges = [problem.x_range, problem.y_range]
        self._quiet = True  # moving the sliders here must not restart the descent twice
        for control, value, bounds in zip((self.start_x0, self.start_x1), (*problem.start, 0.0), ranges):
            bounds = bounds or (-1.0, 1.0)
            control.min, control.max = -1e9, 1e9
            control.value = value
            control.min, control.max = bounds
            control.step = START_STEP
        self.start_x1.disabled = problem.dims == 1
        self._quiet = False

    def _start(self):
        dims = lookup(PROBLEMS, self.problem.value, "problem").dims
        start = (self.start_x0.value, self.start_x1.value)[:dims]
        return start_descent(self.problem.value, start, self.learning_rate.value)

    def _show(self, state):
        super()._show(state)
        color = plots.PALETTE["vermillion"] if state.diverged_at is not None else "black"
        self.status.value = f'<span style="color:{color}">{descent_caption(state)}</span>'

    def go_to(self, steps):
        """Show the descent after ``steps`` steps (from the start, if that means going back)."""
        if steps < self.state.step:
            self.state = self._start()
        self.state = advance(self.state, steps - self.state.step)
        if self.state.diverged_at is not None:
            stop(self.play)
        self._show(self.state)

    @errors_shown
    def _on_play(self, change):
        self.go_to(change["new"])

    @errors_shown
    def _on_step(self, _button=None):
        if self.play.value < self.play.max:
            self.play.value += 1  # _on_play takes the step
        else:
            self.play.max += 1
            self.play.value += 1

    @errors_shown
    def _on_reset(self, _button=None):
        stop(self.play)
        self.state = self._start()
        self.play.value = 0
        self._show(self.state)

    @errors_shown
    def _on_problem(self, change):
        self._set_start_sliders(change["new"])
        self._on_reset()

    @errors_shown
    def _on_setting(self, change):
        if not self._quiet:
            self._on_reset()
