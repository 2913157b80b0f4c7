r"""The softmax loss explorer: the beer-label classifier's three scores against a one-hot target (chapter 4).

Three scores :math:`z = (z_0, z_1, z_2)` for the classes IPA, stout and lager become probabilities
:math:`\hat y = \operatorname{softmax}(z)`; against the one-hot target y of the true class c the
categorical cross-entropy is

.. math::
    \ell = -\sum_k y_k \log \hat y_k = -\log \hat y_c, \qquad \frac{\partial \ell}{\partial z} = \hat y - y.

Only the true class's probability enters the loss, yet every score gets a gradient: the true one
is pushed up by :math:`1 - \hat y_c`, each other one down by its own probability.

The pure function (:func:`softmax_reading`), the view (:class:`SoftmaxLossView`), the live widget
(:class:`SoftmaxLossExplorer`) and its site twin computed in the page (:func:`softmax_loss_twin`),
side by side.

Examples
--------
>>> reading = softmax_reading((2.0, 1.0, 0.1), true_class=1)
>>> [round(p, 3) for p in reading.y_hat], round(reading.loss, 3)
([0.659, 0.242, 0.099], 1.417)
"""

import html
import math
from typing import NamedTuple

import numpy as np
from matplotlib.patches import Patch

from mathnn import activations, losses, plots
from mathnn.widgets._canvas import (
    DPI,
    LABEL_PX,
    caption_html,
    figure_json,
    fixed,
    legend,
    place_axes,
    points,
    range_html,
    script_text,
    ticks,
    twin_html,
)
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider

CLASSES = ("IPA", "stout", "lager")
SCORE_RANGE = (-5.0, 5.0)
SCORE_STEP = 0.1
LOSS_TOP = 11.0  # −log ŷ_c is at most 10 + log(2 + e^−10) ≈ 10.7 for scores in [−5, 5]
CURVE_POINTS = 400


class SoftmaxReading(NamedTuple):
    """Softmax probabilities of three scores, the one-hot target, the loss and its gradient at the scores."""

    z: tuple  # the scores z_k
    true_class: int  # c
    y_hat: tuple  # softmax(z)
    y: tuple  # one-hot of c
    loss: float  # −log ŷ_c
    dz: tuple  # ∂ℓ/∂z = ŷ − y


def check_scores(z):
    """``z`` as a tuple of three finite floats, or an error saying what came instead."""
    try:
        scores = tuple(float(v) for v in z)
    except (TypeError, ValueError):
        raise TypeError(f"the scores z are three numbers, one per class {CLASSES}, but got {z!r}.") from None
    if len(scores) != len(CLASSES):
        raise ValueError(f"the scores z are {len(CLASSES)} numbers, one per class {CLASSES}, but got {len(scores)}.")
    if not all(math.isfinite(v) for v in scores):
        raise ValueError(f"the scores z must be finite numbers, but got {z!r}.")
    return scores


def check_class(true_class):
    """``true_class`` as a class index 0, 1 or 2 (a class name also works), or a ValueError."""
    if isinstance(true_class, str) and true_class in CLASSES:
        return CLASSES.index(true_class)
    if isinstance(true_class, bool) or true_class not in range(len(CLASSES)):
        raise ValueError(f"the true class is 0, 1 or 2 (or one of the names {CLASSES}), but got {true_class!r}.")
    return int(true_class)


def softmax_reading(z=(2.0, 1.0, 0.1), true_class=1):
    """Softmax, categorical cross-entropy and dZ for one example, by ``mathnn``.

    ŷ is :func:`mathnn.activations.softmax`; the loss is
    :func:`mathnn.losses.categorical_cross_entropy_from_logits` (what :class:`mathnn.network.Network` computes);
    dZ is :func:`mathnn.losses.output_gradient`, the paired softmax + CCE gradient (m = 1).

    Parameters
    ----------
    z : three floats
    true_class : 0, 1 or 2, or a name in CLASSES

    Returns
    -------
    SoftmaxReading
    """
    scores, c = check_scores(z), check_class(true_class)
    Z = np.array(scores).reshape(-1, 1)
    Y = np.zeros_like(Z)
    Y[c, 0] = 1.0
    Y_hat = activations.softmax(Z)
    return SoftmaxReading(
        z=scores,
        true_class=c,
        y_hat=tuple(Y_hat[:, 0].tolist()),
        y=tuple(Y[:, 0].tolist()),
        loss=losses.categorical_cross_entropy_from_logits(Z, Y),
        dz=tuple(losses.output_gradient(Y_hat, Y)[:, 0].tolist()),
    )


def loss_curve():
    """(p, −log p) for the middle panel: p from e^−LOSS_TOP to 1, spaced evenly in −log p."""
    t = np.linspace(LOSS_TOP, 0.0, CURVE_POINTS)
    return np.exp(-t), t


def softmax_caption(reading):
    """The numbers under the picture, three lines (the site twin writes the same text)."""
    r = reading

    def vector(values, digits=4):
        return "(" + ", ".join(fixed(v, digits) for v in values) + ")"

    name = CLASSES[r.true_class]
    return "\n".join([
        f"true class {name}, y = {vector(r.y, 0)}; scores z = {vector(r.z, 1)}",
        f"ŷ = softmax(z) = {vector(r.y_hat)}; loss ℓ = −log ŷ({name}) = {fixed(r.loss)}",
        f"∂ℓ/∂z = ŷ − y = {vector(r.dz)}",
    ])


# --- the picture: specs shared by the matplotlib view and the canvas of the site twin ------------

SIZE = (760, 300)
BAR = 0.36  # width of one bar; ŷ and y side by side for each class


def panel_specs(true_class):
    """Three panels: ŷ beside y per class; −log p with the true class's p marked; ŷ − y per class."""
    classes = {"xlim": [-0.6, 2.6], "xticks": [0, 1, 2], "xticklabels": list(CLASSES)}
    p_ticks, p_labels = ticks(0.0, 1.0, 0.25, 2)
    loss_ticks, loss_labels = ticks(0.0, LOSS_TOP, 2.0, 0)
    prob_ticks, prob_labels = ticks(0.0, 1.0, 0.25, 2)
    grad_ticks, grad_labels = ticks(-1.0, 1.0, 0.5, 1)
    name = CLASSES[true_class]
    return [
        {**classes, "box": [58, 34, 200, 206], "ylim": [0.0, 1.08], "yticks": prob_ticks, "yticklabels": prob_labels,
         "xlabel": "class", "ylabel": "probability", "title": "softmax ŷ and target y"},
        {"box": [322, 34, 180, 206], "xlim": [-0.02, 1.02], "ylim": [-0.3, LOSS_TOP], "xticks": p_ticks,
         "xticklabels": p_labels, "yticks": loss_ticks, "yticklabels": loss_labels,
         "xlabel": f"p = ŷ of the true class, {name}", "ylabel": "loss ℓ", "title": "cross-entropy ℓ = −log p"},
        {**classes, "box": [566, 34, 180, 206], "ylim": [-1.1, 1.1], "yticks": grad_ticks,
         "yticklabels": grad_labels, "xlabel": "class", "ylabel": "∂ℓ/∂z", "title": "gradient ŷ − y", "zero": True},
    ]


LEGEND = [{"label": "ŷ", "fill": plots.GREY}, {"label": "y", "fill": "", "edge": "#000000"}]
CLASS_COLORS = [plots.class_color(k) for k in range(len(CLASSES))]
CURVE_COLOR = plots.PALETTE["vermillion"]


class SoftmaxLossView(View):
    """Bars of ŷ and y, the curve −log p with the true class marked, bars of ŷ − y."""

    def __init__(self, reading=None, dpi=DPI):
        reading = reading or softmax_reading()
        super().__init__((SIZE[0] / dpi, SIZE[1] / dpi), dpi)
        self.figure.set_layout_engine("none")
        self.axes = [place_axes(self.figure, spec, SIZE) for spec in panel_specs(reading.true_class)]
        bars, curve, gradient = self.axes
        k = np.arange(len(CLASSES))
        self.probabilities = bars.bar(k - BAR / 2, np.zeros(3), BAR, color=CLASS_COLORS, zorder=3)
        self.targets = bars.bar(k + BAR / 2, np.zeros(3), BAR, facecolor="none", edgecolor="black", linewidth=1.5,
                                zorder=3)
        legend(bars, [Patch(facecolor=plots.GREY, label="ŷ"), Patch(facecolor="none", edgecolor="black",
                                                                     linewidth=1.5, label="y")], "upper left")
        p, t = loss_curve()
        curve.plot(p, t, color=CURVE_COLOR, linewidth=2.2)
        self.curve_line = curve.axvline(0.5, color=plots.GREY, linewidth=1.2, linestyle=(0, (2, 3)))
        (self.curve_dot,) = curve.plot([], [], "o", markeredgecolor="black", markersize=9, zorder=5)
        self.gradients = gradient.bar(k, np.zeros(3), 2 * BAR, color=CLASS_COLORS, zorder=3)
        self.animate([*self.probabilities, *self.targets, self.curve_line, self.curve_dot, *self.gradients,
                      curve.xaxis.label])
        self.update(reading)

    def update(self, reading):
        """Show ``reading``: bar heights, the dot on the curve and the curve panel's label."""
        for bar, value in zip(self.probabilities, reading.y_hat):
            bar.set_height(value)
        for bar, value in zip(self.targets, reading.y):
            bar.set_height(value)
            bar.set_visible(value > 0)  # only the true class has a target bar (the canvas draws no empty ones)
        for bar, value in zip(self.gradients, reading.dz):
            bar.set_height(value)
        c = reading.true_class
        p = reading.y_hat[c]
        self.curve_line.set_xdata([p, p])
        self.curve_dot.set_data([p], [reading.loss])
        self.curve_dot.set_markerfacecolor(CLASS_COLORS[c])
        self.axes[1].set_xlabel(panel_specs(c)[1]["xlabel"], fontsize=points(LABEL_PX))
        return self


# --- the live widget ----------------------------------------------------------------------------


class SoftmaxLossExplorer(Skin):
    """Three score sliders and the true class; softmax, the cross-entropy and its gradient.

    >>> explorer = SoftmaxLossExplorer()
    >>> explorer.true_class.value = 0
    >>> round(explorer.reading.loss, 3)
    0.417
    """

    def __init__(self, z=(2.0, 1.0, 0.1), true_class=1):
        reading = softmax_reading(z, true_class)
        super().__init__(SoftmaxLossView(reading))
        widgets = ipywidgets()
        self.reading = reading
        self.scores = [
            slider("FloatSlider", f"score z{k} ({name})", value, min=SCORE_RANGE[0], max=SCORE_RANGE[1],
                   step=SCORE_STEP, readout_format=".1f", continuous_update=True, layout=widgets.Layout(width="420px"))
            for k, (name, value) in enumerate(zip(CLASSES, reading.z))
        ]
        self.true_class = widgets.ToggleButtons(options=[(name, k) for k, name in enumerate(CLASSES)],
                                                value=reading.true_class, description="true class")
        self.caption = widgets.HTML()
        for control in (*self.scores, self.true_class):
            control.observe(self._on_change, names="value")
        self._show(reading)
        self.widget = widgets.VBox([*self.scores, self.true_class, self.image, self.caption, self.output])

    def _show(self, reading):
        super()._show(reading)
        self.caption.value = caption_html(softmax_caption(reading))

    @errors_shown
    def _on_change(self, change=None):
        self.reading = softmax_reading([s.value for s in self.scores], self.true_class.value)
        self._show(self.reading)


# --- the site twin, computed in the page -------------------------------------------------------


_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID .mx-scores { display: flex; flex-direction: column; gap: 4px; }
#ID output { font-variant-numeric: tabular-nums; min-width: 2.6em; }
"""


def softmax_loss_twin(z=(2.0, 1.0, 0.1), true_class=1):
    """The softmax loss explorer for the website: the same controls, computed and drawn in the page.

    Its outer element (class ``mathnn-softmax-loss``) has a function ``mathnnState()`` returning the
    numbers of the current setting, the fields of :class:`SoftmaxReading` (tuples as arrays), for tests.

    Returns
    -------
    KernelFree
    """
    reading = softmax_reading(z, true_class)
    spec = figure_json(
        SIZE, panel_specs(0), byClass=[panel_specs(c) for c in range(len(CLASSES))], classes=list(CLASSES),
        colors=CLASS_COLORS, legend=LEGEND, curve=CURVE_COLOR, bar=BAR, points=CURVE_POINTS, top=LOSS_TOP,
    )
    caption = html.escape(softmax_caption(reading))

    def body(element_id):
        sliders = [range_html(element_id, f"z{k}", f"score z{k} ({name})", value, SCORE_RANGE, SCORE_STEP, 1)
                   for k, (name, value) in enumerate(zip(CLASSES, reading.z))]
        options = "".join(
            f'<option value="{k}"{" selected" if k == reading.true_class else ""}>{name}</option>'
            for k, name in enumerate(CLASSES)
        )
        return [
            '<div class="mx-controls">',
            '<div class="mx-scores">', *sliders, "</div>",
            f'<label>true class <select id="{element_id}-class">{options}</select></label>',
            "</div>",
            *twin_html(element_id, SIZE, html.escape("Softmax probabilities, the loss and its gradient. "), caption,
                       spec, script_text("softmax_loss.js")),
        ]

    title = "The beer-label classifier: three scores, softmax and the cross-entropy"
    payload = repr(("softmax-loss", reading.z, reading.true_class)).encode()
    return KernelFree("softmax-loss", title, payload, body, css=_CSS)
