r"""The gradient-descent stepper's site twin, computed in the page (chapter 6).

:func:`descent_twin` is :class:`mathnn.widgets.descent.GradientDescentStepper` for the website: the same
controls, and every step taken by ``descent.js``, which writes the problems' formulas and the one descent
loop of :mod:`mathnn.widgets.descent` in JavaScript and draws the view's panels from the same specs
(:func:`~mathnn.widgets.descent.surface_spec`, :func:`~mathnn.widgets.descent.cost_spec`); the filled
contours are drawn in the colours matplotlib gives them (:func:`contour_bands`).

Examples
--------
>>> twin = descent_twin("bowl", learning_rate=0.18)
>>> twin.id.startswith("mathnn-descent-"), "mathnnState" in twin.html
(True, True)
"""

import math

import numpy as np

from mathnn import plots
from mathnn.widgets._canvas import figure_json, fixed, range_html, script_text, twin_html
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets.descent import (
    COST_BOX,
    DIVERGENCE_LIMIT,
    INTERVAL,
    MAX_STEPS,
    PROBLEMS,
    RATE_EXPONENTS,
    RATE_STEP,
    SIZE,
    START_STEP,
    SURFACE_BOX,
    descent_caption,
    rate_text,
    start_descent,
    surface_spec,
)

OPTIONS = [("quartic", "1-D: quartic"), ("bowl", "2-D: elongated bowl"), ("rosenbrock", "2-D: Rosenbrock")]


def contour_bands(levels):
    """The colours of the filled contours :func:`mathnn.plots.loss_surface_2d` draws at ``levels``, mixed with
    white as they show (alpha 0.55): RGB 0-255, one per band between two levels and one above the last.

    The colours depend on the levels alone, so a field that spans them gives them all.
    """
    import matplotlib.figure

    levels = np.asarray(levels, dtype=np.float64)
    ax = matplotlib.figure.Figure().add_subplot()
    field = lambda x0, x1: levels[0] + (levels[-1] - levels[0]) * 1.5 * x0  # noqa: E731 - a ramp over every level
    filled = plots.loss_surface_2d(ax, field, np.array([[0.0, 0.0]]), (0.0, 1.0), (0.0, 1.0), levels=levels,
                                   num=3)["filled"]
    return [[round(255 * (rgba[3] * c + 1 - rgba[3])) for c in rgba[:3]] for rgba in filled.get_facecolor().tolist()]


def twin_problem(name):
    """What the twin's script needs of one problem: its panel
    (:func:`~mathnn.widgets.descent.surface_spec`), start and minimum, and for two variables the contour
    levels and their colours."""
    problem = PROBLEMS[name]
    spec = {"name": name, "dims": problem.dims, "start": list(problem.start), "minimum": list(problem.minimum),
            "panel": surface_spec(name), "start_ranges": [list(problem.x_range), list(problem.y_range or (-1, 1))]}
    if problem.dims == 2:
        spec["levels"] = np.asarray(problem.levels, dtype=np.float64).tolist()
        spec["bands"] = contour_bands(problem.levels)
    return spec


def descent_twin(problem="bowl", learning_rate=0.05, start=None):
    """The stepper for the website: the same controls, each step computed and drawn by JavaScript in the page.

    The controls are the live widget's: the function, the learning rate α (a slider over log₁₀ α), the
    start x₀ and x₁, and Step, Play and Reset. The picture is the function's curve or contours with the
    path on it, and f at each step beside it; the caption is
    :func:`~mathnn.widgets.descent.descent_caption`'s. Its outer element
    (class ``mathnn-descent``) has ``mathnnState()``, the current descent (problem, learning_rate, path,
    values f(path), diverged_at, step, message, caption), and ``mathnnEvaluate(problem, points)``, the
    page's f and ∇f at a list of points, for tests.

    Returns
    -------
    KernelFree
    """
    state = start_descent(problem, start, learning_rate)
    definition = PROBLEMS[state.problem]
    spec = figure_json(
        SIZE, [], problems={name: twin_problem(name) for name in PROBLEMS}, surface_box=SURFACE_BOX,
        cost_box=COST_BOX, problem=state.problem, rate=state.learning_rate, start=state.path[0].tolist(),
        limit=DIVERGENCE_LIMIT, limit_text=f"1e{np.log10(DIVERGENCE_LIMIT):.0f}", max_steps=MAX_STEPS,
        interval=INTERVAL, path_color=plots.PALETTE["vermillion"], curve_color=plots.PALETTE["blue"],
        star_color=plots.PALETTE["yellow"],
    )
    x0, x1 = (*state.path[0], 0.0)[:2]
    ranges = twin_problem(state.problem)["start_ranges"]

    def body(element_id):
        options = "".join(f'<option value="{name}"{" selected" if name == state.problem else ""}>{text}</option>'
                          for name, text in OPTIONS)
        rate = range_html(element_id, "rate", "learning rate α", math.log10(state.learning_rate), RATE_EXPONENTS,
                          RATE_STEP, 2)
        rate = rate.replace(f">{fixed(math.log10(state.learning_rate), 2)}</output>",
                            f">{rate_text(state.learning_rate)}</output>")
        second = range_html(element_id, "x1", "start x₁", x1, ranges[1], START_STEP, 1)
        if definition.dims == 1:
            second = second.replace('<input type="range"', '<input type="range" disabled')
        return [
            '<div class="mx-controls">',
            f'<label>function <select id="{element_id}-problem">{options}</select></label>',
            rate,
            "</div>",
            '<div class="mx-controls">',
            range_html(element_id, "x0", "start x₀", x0, ranges[0], START_STEP, 1),
            second,
            "</div>",
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-step">Step</button>',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            f'<span>step <output id="{element_id}-step-value">0</output></span>',
            "</div>",
            *twin_html(element_id, SIZE, "Gradient descent on a function, and f at each step. ",
                       descent_caption(state), spec, script_text("descent.js")),
        ]

    title = "Gradient descent, one step at a time"
    payload = repr(("descent", state.problem, state.learning_rate, tuple(state.path[0]))).encode()
    return KernelFree("descent", title, payload, body, css=_CSS)


_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID output { font-variant-numeric: tabular-nums; min-width: 2.6em; display: inline-block; }
#ID input[type=range]:disabled { opacity: 0.4; }
"""
