r"""The neuron explorer: one neuron, two inputs, the logic gates (chapter 1).

The neuron :math:`a = g(z)`, :math:`z = w_0 x_0 + w_1 x_1 + b`, gives class 1 to a point where its
output is above ½ and class 0 where it is below. A point counts as right when its output is on its
target's side of ½; a point whose output is exactly ½ sits on the boundary, has no class, and counts
as wrong. The boundary a = ½ is the line z = z½ with z½ = g⁻¹(½): 0 for the step and the sigmoid,
atanh ½ ≈ 0.5493 for tanh and ½ for ReLU.

State and pure functions (:class:`NeuronState`, :func:`neuron_reading`, :func:`count_correct`,
:func:`decision_line`), the view (:class:`NeuronView`), the live widget (:class:`NeuronExplorer`) and
its site twin computed in the page (:func:`neuron_explorer`), side by side.

Examples
--------
>>> state = NeuronState(w0=1.0, w1=1.0, b=-1.5, activation="step", gate="and")
>>> count_correct(state)
4
>>> count_correct(NeuronState(w0=6.0, w1=6.0, b=-6.0, activation="sigmoid", gate="xor"))  # (0, 1), (1, 0) on the line
1
"""

import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from mathnn import activations, data, plots
from mathnn.validate import check_finite_real, lookup
from mathnn.widgets._canvas import caption_html, figure_json, fixed, range_html, script_text, twin_html
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider

NEURON_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu")
GATE_NAMES = {"and": "AND", "or": "OR", "xor": "XOR"}
PLANE = (-0.5, 1.5)  # the square [-0.5, 1.5]² the neuron is drawn on
WEIGHT_RANGE = (-5.0, 5.0)  # every slider: w0, w1 and b
WEIGHT_STEP = 0.1
# z½ = g⁻¹(½), where the output crosses ½ (for the step: where it jumps from 0 to 1).
HALF_AT = {"step": 0.0, "sigmoid": 0.0, "tanh": math.atanh(0.5), "relu": 0.5}
# The output's range: the lowest value and the top of the colour scale (ReLU's top is the largest output drawn).
OUTPUT_RANGE = {"step": (0.0, 1.0), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 1.0)}


@dataclass(frozen=True)
class NeuronState:
    r"""One neuron :math:`a = g(w_0 x_0 + w_1 x_1 + b)` and the logic gate it is asked to compute."""

    w0: float = 1.0
    w1: float = 1.0
    b: float = -0.5
    activation: str = "step"
    gate: str = "and"


def check_neuron_state(state):
    """``state`` with float weights if its settings are valid; else a ValueError or TypeError naming the setting."""
    lookup({a: a for a in NEURON_ACTIVATIONS}, state.activation, "activation for the neuron explorer")
    lookup(GATE_NAMES, state.gate, "logic gate")
    w0, w1, b = (check_finite_real(getattr(state, name), name) for name in ("w0", "w1", "b"))
    return NeuronState(w0, w1, b, state.activation, state.gate)


def neuron_output(state, X):
    """The neuron's output a = g(w0 x0 + w1 x1 + b) for inputs X of shape (2, m); returns shape (1, m)."""
    z = state.w0 * X[0] + state.w1 * X[1] + state.b
    return activations.get(state.activation).value(z[None, :])


def neuron_says(state, X):
    """The class the neuron gives each column of X (2, m), shape (1, m): 1 where a > ½, 0 where a < ½.

    Where a = ½ exactly the point is on the boundary and gets no class: the entry is ½, which equals
    neither target, so such a point counts as wrong.
    """
    a = neuron_output(state, X)
    return np.where(a > 0.5, 1.0, np.where(a < 0.5, 0.0, 0.5))


def count_correct(state):
    """How many of the gate's four inputs the neuron classifies correctly (0 to 4)."""
    X, Y = data.logic_gate(state.gate)
    return int(np.sum(neuron_says(state, X) == Y))


class NeuronReading(NamedTuple):
    """What the explorer shows for one setting: the neuron at the gate's four points, and the verdict."""

    w0: float
    w1: float
    b: float
    activation: str
    gate: str
    half_at: float  # z½: the boundary a = ½ is the line w0 x0 + w1 x1 + b = z½
    z: tuple  # z at (0, 0), (0, 1), (1, 0), (1, 1)
    a: tuple  # the output there
    targets: tuple  # the gate's truth table
    says: tuple  # 1, 0, or 0.5 on the boundary (see neuron_says)
    correct: int


def neuron_reading(state):
    """The neuron of ``state`` at the four points of its gate (:class:`NeuronReading`)."""
    state = check_neuron_state(state)
    X, Y = data.logic_gate(state.gate)
    z = state.w0 * X[0] + state.w1 * X[1] + state.b
    says = neuron_says(state, X)[0]
    return NeuronReading(
        state.w0, state.w1, state.b, state.activation, state.gate, HALF_AT[state.activation],
        tuple(map(float, z)), tuple(map(float, neuron_output(state, X)[0])), tuple(map(float, Y[0])),
        tuple(map(float, says)), int(np.sum(says == Y[0])),
    )


def neuron_caption(reading):
    """The explorer's three lines of numbers; the site twin writes the same text.

    >>> print(neuron_caption(neuron_reading(NeuronState(1.0, 1.0, -0.5, "sigmoid", "and"))))
    z = 1.00 x₀ + 1.00 x₁ − 0.50, a = sigmoid(z); the boundary a = ½ is the line z = 0.0000
    a at (0, 0), (0, 1), (1, 0), (1, 1): 0.3775, 0.6225, 0.6225, 0.8176 (targets 0, 0, 0, 1)
    AND: 2 of 4 correct (right: a > ½ for target 1, a < ½ for target 0; a = ½ is wrong)
    """
    r = reading
    sign = "−" if r.b < 0 else "+"
    lines = [
        f"z = {fixed(r.w0, 2)} x₀ + {fixed(r.w1, 2)} x₁ {sign} {fixed(abs(r.b), 2)}, a = {r.activation}(z); "
        f"the boundary a = ½ is the line z = {fixed(r.half_at)}",
        "a at (0, 0), (0, 1), (1, 0), (1, 1): " + ", ".join(fixed(a) for a in r.a)
        + " (targets " + ", ".join(str(int(t)) for t in r.targets) + ")",
        f"{GATE_NAMES[r.gate]}: {r.correct} of 4 correct (right: a > ½ for target 1, a < ½ for target 0; "
        "a = ½ is wrong)",
    ]
    if r.gate == "xor":
        lines[-1] += ". No single line gets all four of XOR."
    return "\n".join(lines)


def decision_line(w0, w1, b, low=PLANE[0], high=PLANE[1], level=0.0):
    """Two points (x0s, x1s) of the line w0 x0 + w1 x1 + b = level spanning [low, high]; empty if w = 0."""
    if abs(w0) < 1e-12 and abs(w1) < 1e-12:
        return np.array([]), np.array([])
    ends = np.array([low - 1.0, high + 1.0])
    if abs(w1) >= abs(w0):  # steep lines are better written as x0 of x1
        return ends, (level - w0 * ends - b) / w1
    return (level - w1 * ends - b) / w0, ends


def color_scale(state):
    """The heat map's (low, high): the output's range; ReLU's top is its largest output on the plane (at least 1).

    The colours run from class 0's colour at ``low`` through white at a = ½ to class 1's at ``high``.
    """
    low, high = OUTPUT_RANGE[state.activation]
    if state.activation == "relu":  # z is linear, so its largest value on the square is at a corner
        corners = [state.w0 * x0 + state.w1 * x1 + state.b for x0 in PLANE for x1 in PLANE]
        high = max(high, max(corners))
    return low, high


COLOR_STOPS = [to_rgb(plots.lighten("blue", 0.45)), (1.0, 1.0, 1.0), to_rgb(plots.lighten("orange", 0.45))]


@functools.lru_cache(maxsize=64)
def half_white_cmap(low, high):
    """PROBABILITY_CMAP's colours with white moved to a = ½ on the scale from ``low`` to ``high``."""
    middle = (0.5 - low) / (high - low)
    stops = list(zip((0.0, middle, 1.0), COLOR_STOPS))
    return LinearSegmentedColormap.from_list(f"mathnn_half_{low:g}_{high:g}", stops)


class NeuronView(View):
    """A heat map of one neuron's output over the plane, its boundary a = ½ and a gate's four points."""

    def __init__(self, state=None, grid=121, size=(5.4, 4.3), dpi=90):
        state = state or NeuronState()
        super().__init__(size, dpi)
        self.ax = self.figure.add_subplot()
        axis = np.linspace(*PLANE, grid)
        x0, x1 = np.meshgrid(axis, axis)
        self._plane = np.vstack([x0.ravel(), x1.ravel()])
        self._grid = grid
        self.heat = self.ax.imshow(
            np.zeros((grid, grid)), origin="lower", extent=(*PLANE, *PLANE), cmap=plots.PROBABILITY_CMAP,
            interpolation="bilinear", zorder=0,
        )
        self.colorbar = self.figure.colorbar(self.heat, ax=self.ax, label="neuron output $a$ (white: $a = ½$)",
                                             shrink=0.9)
        (self.line,) = self.ax.plot([], [], color="black", linewidth=2, zorder=2)
        X, _ = data.logic_gate("and")
        self.points = [
            self.ax.scatter(X[0], X[1], s=160, color=plots.class_color(k), marker=plots.CLASS_MARKERS[k],
                            edgecolors="black", linewidths=1, zorder=3, label=f"target {k}")
            for k in (0, 1)
        ]
        (self.wrong,) = self.ax.plot([], [], "o", markerfacecolor="none", markeredgecolor=plots.PALETTE["vermillion"],
                                     markersize=24, markeredgewidth=3, zorder=4, label="wrong")
        self.ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
        self.ax.set_xlim(*PLANE)
        self.ax.set_ylim(*PLANE)
        self.ax.set_aspect("equal")
        self.ax.set_xlabel("$x_0$")
        self.ax.set_ylabel("$x_1$")
        self.animate([self.heat, self.line, *self.points, self.wrong, self.ax.title, *self.ax.spines.values()])
        self.update(state)

    def still(self):
        """The colour scale: it changes with the activation, and the colour bar with it."""
        return self.heat.get_cmap().name, self.heat.get_clim()

    def update(self, state):
        """Redraw for ``state``: heat map, boundary a = ½, points, title."""
        state = check_neuron_state(state)
        values = neuron_output(state, self._plane)
        self.heat.set_data(values.reshape(self._grid, self._grid))
        low, high = color_scale(state)
        self.heat.set_cmap(half_white_cmap(low, high))
        self.heat.set_clim(low, high)
        self.line.set_data(*decision_line(state.w0, state.w1, state.b, level=HALF_AT[state.activation]))
        X, Y = data.logic_gate(state.gate)
        for k, points in enumerate(self.points):
            points.set_offsets(X[:, Y[0] == k].T)
        wrong = (neuron_says(state, X) != Y)[0]
        self.wrong.set_data(X[0, wrong], X[1, wrong])
        verdict = f"{GATE_NAMES[state.gate]}: {count_correct(state)} of 4 correct"
        if state.gate == "xor":
            verdict += "  (no line gets all 4)"
        self.ax.set_title(f"{neuron_formula(state)}\n{verdict}", fontsize=11)
        return self


def neuron_formula(state):
    r"""The neuron as mathtext for a title.

    >>> neuron_formula(NeuronState(w0=1.0, w1=1.0, b=-1.5, activation="step"))
    '$a = \\mathrm{step}(x_0 + x_1 - 1.5)$'
    """
    text = ""
    for value, symbol in [(state.w0, "x_0"), (state.w1, "x_1"), (state.b, "")]:
        if value == 0 and (symbol or text):
            continue
        number = f"{abs(value):.3g}"
        if symbol and number == "1":
            number = ""  # 1 x_0 is written x_0
        if text:
            text += f" {'-' if value < 0 else '+'} {number}{symbol}"
        else:
            text = f"{'-' if value < 0 else ''}{number}{symbol}"
    return rf"$a = \mathrm{{{state.activation}}}({text})$"


class NeuronExplorer(Skin):
    """Sliders for w0, w1, b, a choice of activation and logic gate; shows how many points one neuron gets right.

    >>> explorer = NeuronExplorer()
    >>> explorer.b.value = -1.5
    >>> explorer.correct
    4
    """

    def __init__(self, state=None):
        widgets = ipywidgets()
        state = check_neuron_state(state or NeuronState())
        super().__init__(NeuronView(state))
        self.state = state
        # Cheap to redraw: these sliders update while dragged.
        options = dict(min=WEIGHT_RANGE[0], max=WEIGHT_RANGE[1], step=WEIGHT_STEP, continuous_update=True)
        self.w0 = slider("FloatSlider", "$w_0$", state.w0, **options)
        self.w1 = slider("FloatSlider", "$w_1$", state.w1, **options)
        self.b = slider("FloatSlider", "$b$", state.b, **options)
        self.activation = widgets.Dropdown(options=NEURON_ACTIVATIONS, value=state.activation, description="g")
        self.gate = widgets.Dropdown(options=[(name, gate) for gate, name in GATE_NAMES.items()], value=state.gate,
                                     description="gate")
        self.score = widgets.HTML()
        for control in (self.w0, self.w1, self.b, self.activation, self.gate):
            control.observe(self._on_change, names="value")
        self._show(self.state)
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.w0, self.w1, self.b]), widgets.VBox([self.activation, self.gate])]),
            self.score, self.image, self.output,
        ])

    @property
    def correct(self):
        """How many of the gate's four points the neuron gets right now."""
        return count_correct(self.state)

    def _show(self, state):
        super()._show(state)
        self.score.value = caption_html(neuron_caption(neuron_reading(state)))

    @errors_shown
    def _on_change(self, change=None):
        self.state = check_neuron_state(
            NeuronState(self.w0.value, self.w1.value, self.b.value, self.activation.value, self.gate.value)
        )
        self._show(self.state)


# --- the site twin, computed in the page -------------------------------------------------------

SIZE = (560, 440)  # pixels of the twin's canvas
PANEL = {"box": [64, 18, 330, 330], "xlim": list(PLANE), "ylim": list(PLANE),
         "xticks": [-0.5, 0.0, 0.5, 1.0, 1.5], "xticklabels": ["−0.5", "0.0", "0.5", "1.0", "1.5"],
         "yticks": [-0.5, 0.0, 0.5, 1.0, 1.5], "yticklabels": ["−0.5", "0.0", "0.5", "1.0", "1.5"],
         "xlabel": "x₀", "ylabel": "x₁"}
COLORBAR = {"box": [432, 18, 16, 330], "label": "neuron output a (white: a = ½)"}


def neuron_explorer(gates=("and", "or", "xor"), state=None):
    """The neuron explorer for the website: the same controls, computed and drawn by JavaScript in the page.

    Sliders for w0, w1 and b (−5 to 5, step 0.1), a menu of activations and one of ``gates``. The
    page computes the neuron's output over the plane, the boundary a = ½ and the caption of
    :func:`neuron_caption`. Its outer element (class ``mathnn-neuron``) has a function
    ``mathnnState()`` returning the fields of :class:`NeuronReading` and the caption, for tests.

    Returns
    -------
    KernelFree
    """
    gates = tuple(gates)
    for gate in gates:
        lookup(GATE_NAMES, gate, "logic gate")
    if not gates:
        raise ValueError("the neuron explorer needs at least one logic gate, e.g. gates=('and', 'or', 'xor').")
    state = check_neuron_state(state or NeuronState())
    if state.gate not in gates:
        state = NeuronState(state.w0, state.w1, state.b, state.activation, gates[0])
    reading = neuron_reading(state)
    spec = figure_json(
        SIZE, [PANEL], colorbar=COLORBAR, stops=[[round(255 * c) for c in rgb] for rgb in COLOR_STOPS],
        halfAt=HALF_AT, range=OUTPUT_RANGE, plane=list(PLANE), gates={g: data.GATES[g] for g in gates},
        names=GATE_NAMES, classes=[plots.class_color(0), plots.class_color(1)],
    )
    caption = neuron_caption(reading)

    def body(element_id):
        sliders = [range_html(element_id, name, label, getattr(state, name), WEIGHT_RANGE, WEIGHT_STEP, 1)
                   for name, label in (("w0", "w₀"), ("w1", "w₁"), ("b", "b"))]
        activation = "".join(f'<option value="{a}"{" selected" if a == state.activation else ""}>{a}</option>'
                             for a in NEURON_ACTIVATIONS)
        gate = "".join(f'<option value="{g}"{" selected" if g == state.gate else ""}>{GATE_NAMES[g]}</option>'
                       for g in gates)
        return [
            '<div class="mx-controls">', *sliders,
            f'<label>g <select id="{element_id}-activation">{activation}</select></label>',
            f'<label>gate <select id="{element_id}-gate">{gate}</select></label>',
            "</div>",
            *twin_html(element_id, SIZE, "One neuron's output over the plane. ", caption, spec,
                       script_text("neuron.js")),
        ]

    title = "One neuron, two inputs, and the logic gates"
    payload = repr(("neuron", gates, state)).encode()
    return KernelFree("neuron", title, payload, body, css=_CSS)


_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID input[type=range] { width: 160px; max-width: 40vw; }
#ID output { display: inline-block; min-width: 2.6em; font-variant-numeric: tabular-nums; }
"""
