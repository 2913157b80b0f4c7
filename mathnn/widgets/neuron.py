r"""The neuron explorer: one neuron, two inputs, the logic gates (chapter 1).

State and pure functions (:class:`NeuronState`, :func:`count_correct`, :func:`decision_line`), the
view (:class:`NeuronView`), the live widget (:class:`NeuronExplorer`) and its site twin
(:func:`neuron_explorer`), side by side.

Examples
--------
>>> state = NeuronState(w0=1.0, w1=1.0, b=-1.5, activation="step", gate="and")
>>> count_correct(state)
4
"""

from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from mathnn import activations, data, plots
from mathnn.widgets._explorer import PALETTE_COLORS, Explorer, caption_number
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider

NEURON_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu")
PLANE = (-0.5, 1.5)  # the square [-0.5, 1.5]² the neuron is drawn on


@dataclass(frozen=True)
class NeuronState:
    r"""One neuron :math:`a = g(w_0 x_0 + w_1 x_1 + b)` and the logic gate it is asked to compute."""

    w0: float = 1.0
    w1: float = 1.0
    b: float = -0.5
    activation: str = "step"
    gate: str = "and"


def neuron_output(state, X):
    """The neuron's output a = g(w0 x0 + w1 x1 + b) for inputs X of shape (2, m); returns shape (1, m)."""
    z = state.w0 * X[0] + state.w1 * X[1] + state.b
    return activations.get(state.activation).value(z[None, :])


def neuron_says(state, X):
    """The class the neuron gives each column of X (2, m): 1 where z ≥ 0, else 0; shape (1, m).

    For every activation here, z ≥ 0 is where the output is at or above the middle of its range
    (step ≥ 0.5, sigmoid ≥ 0.5, tanh ≥ 0, relu > 0 or at the kink), so the boundary between the
    classes is the decision line w0 x0 + w1 x1 + b = 0 whatever the activation.
    """
    z = state.w0 * X[0] + state.w1 * X[1] + state.b
    return (z >= 0).astype(np.float64)[None, :]


def count_correct(state):
    """How many of the gate's four inputs the neuron classifies correctly (0 to 4)."""
    X, Y = data.logic_gate(state.gate)
    return int(np.sum(neuron_says(state, X) == Y))


def decision_line(w0, w1, b, low=PLANE[0], high=PLANE[1]):
    """Two points (x0s, x1s) of the line w0 x0 + w1 x1 + b = 0 spanning [low, high]; empty if w = 0."""
    if abs(w0) < 1e-12 and abs(w1) < 1e-12:
        return np.array([]), np.array([])
    ends = np.array([low - 1.0, high + 1.0])
    if abs(w1) >= abs(w0):  # steep lines are better written as x0 of x1
        return ends, -(w0 * ends + b) / w1
    return -(w1 * ends + b) / w0, ends


# ReLU's outputs run from 0 (silent, white) up: the upper half of the two-sided colour map.
RELU_CMAP = LinearSegmentedColormap.from_list("mathnn_relu", [(1.0, 1.0, 1.0), plots.lighten("orange", 0.45)])


def _neuron_colors(activation, values):
    """Colour map and limits for the heat map: white marks the middle of the output's range."""
    if activation == "tanh":
        return plots.PROBABILITY_CMAP, (-1.0, 1.0)
    if activation == "relu":
        return RELU_CMAP, (0.0, max(float(values.max()), 1.0))
    return plots.PROBABILITY_CMAP, (0.0, 1.0)


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


class NeuronView(View):
    """A heat map of one neuron's output over the plane, its decision line and a gate's four points."""

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
        self.colorbar = self.figure.colorbar(self.heat, ax=self.ax, label="neuron output $a$", shrink=0.9)
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
        """Redraw for ``state``: heat map, decision line, points, title."""
        values = neuron_output(state, self._plane)
        self.heat.set_data(values.reshape(self._grid, self._grid))
        cmap, limits = _neuron_colors(state.activation, values)
        self.heat.set_cmap(cmap)
        self.heat.set_clim(*limits)
        self.line.set_data(*decision_line(state.w0, state.w1, state.b))
        X, Y = data.logic_gate(state.gate)
        for k, points in enumerate(self.points):
            points.set_offsets(X[:, Y[0] == k].T)
        wrong = (neuron_says(state, X) != Y)[0]
        self.wrong.set_data(X[0, wrong], X[1, wrong])
        correct = count_correct(state)
        verdict = f"{state.gate.upper()}: {correct} of 4 correct"
        if state.gate == "xor":
            verdict += "  (no line gets all 4)"
        self.ax.set_title(f"{neuron_formula(state)}\n{verdict}", fontsize=11)
        return self



class NeuronExplorer(Skin):
    """Sliders for w0, w1, b, a choice of activation and logic gate; shows how many points one neuron gets right.

    >>> explorer = NeuronExplorer()
    >>> explorer.b.value = -1.5
    >>> explorer.correct
    4
    """

    def __init__(self, state=None):
        widgets = ipywidgets()
        state = state or NeuronState()
        super().__init__(NeuronView(state))
        self.state = state
        # Cheap to redraw: these sliders update while dragged.
        self.w0 = slider("FloatSlider", "$w_0$", state.w0, min=-5, max=5, step=0.1, continuous_update=True)
        self.w1 = slider("FloatSlider", "$w_1$", state.w1, min=-5, max=5, step=0.1, continuous_update=True)
        self.b = slider("FloatSlider", "$b$", state.b, min=-5, max=5, step=0.1, continuous_update=True)
        self.activation = widgets.Dropdown(options=NEURON_ACTIVATIONS, value=state.activation, description="g")
        self.gate = widgets.Dropdown(options=[("AND", "and"), ("OR", "or"), ("XOR", "xor")], value=state.gate,
                                     description="gate")
        self.score = widgets.HTML()
        for control in (self.w0, self.w1, self.b, self.activation, self.gate):
            control.observe(self._on_change, names="value")
        self._update_score()
        self._show(self.state)
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.w0, self.w1, self.b]), widgets.VBox([self.activation, self.gate])]),
            self.score, self.image, self.output,
        ])

    @property
    def correct(self):
        """How many of the gate's four points the neuron gets right now."""
        return count_correct(self.state)

    def _update_score(self):
        lesson = " No single line separates XOR." if self.state.gate == "xor" else ""
        self.score.value = f"<b>{self.correct} of 4 correct</b>.{lesson}"

    @errors_shown
    def _on_change(self, change=None):
        self.state = NeuronState(self.w0.value, self.w1.value, self.b.value, self.activation.value, self.gate.value)
        self._update_score()
        self._show(self.state)


def neuron_explorer(gates=("and", "or", "xor"), activation="sigmoid", frames=16, scale=6.0, dpi=90):
    r"""The site twin: one neuron's decision line turning through a full circle, for each logic gate.

    Frame k turns the weight vector to the angle :math:`\theta_k = 2\pi k / \text{frames}`:
    :math:`w = \text{scale}\,(\cos\theta, \sin\theta)`, with b chosen so that the line passes through
    a point that suits the gate. AND and OR reach 4 of 4 correct at some angle; XOR never does.

    Returns
    -------
    Explorer with one setting per gate and ``frames`` frames each
    """
    through = {"and": (0.75, 0.75), "or": (0.25, 0.25), "xor": (0.5, 0.5)}
    view = NeuronView(dpi=dpi)
    settings = []
    for gate in gates:
        center = np.array(through[gate])
        pictures = []
        for theta in 2 * np.pi * np.arange(frames) / frames:
            w = scale * np.array([np.cos(theta), np.sin(theta)])
            state = NeuronState(float(w[0]), float(w[1]), float(-w @ center), activation, gate)
            caption = (
                f"w₀ = {caption_number(state.w0)}, w₁ = {caption_number(state.w1)}, b = {caption_number(state.b)}: "
                f"{count_correct(state)} of 4 correct"
            )
            pictures.append((view.update(state).png(colors=PALETTE_COLORS, fast=True), caption))
        settings.append((gate.upper(), pictures))
    return Explorer(f"One neuron, the {activation} activation, and the logic gates", settings, "gate",
                    "angle of the weights")
