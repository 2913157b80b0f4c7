r"""The loss explorer: one sigmoid output ŷ against a binary target y, under two losses (chapter 4).

Per example, mean squared error and binary cross-entropy,

.. math::
    \ell_{\text{MSE}} = (\hat y - y)^2, \qquad
    \ell_{\text{BCE}} = -\big[y \log \hat y + (1 - y) \log (1 - \hat y)\big],

and what gradient descent feels at the logit z, where :math:`\hat y = \sigma(z)` and
:math:`\partial \hat y / \partial z = \hat y (1 - \hat y)`:

.. math::
    \frac{\partial \ell_{\text{MSE}}}{\partial z} = 2(\hat y - y)\,\hat y (1 - \hat y), \qquad
    \frac{\partial \ell_{\text{BCE}}}{\partial z} = \hat y - y.

Badly wrong (y = 0, ŷ → 1), the first vanishes with :math:`\hat y(1 - \hat y)` and the second stays
near 1. The control is the prediction ŷ itself, a slider over [0.001, 0.999]; the logit
z = logit ŷ = log(ŷ / (1 − ŷ)) is shown beside it.

The pure function (:func:`loss_reading`, :func:`loss_curves`), the view (:class:`LossView`), the
live widget (:class:`LossExplorer`) and its site twin computed in the page (:func:`loss_twin`),
side by side.

Examples
--------
>>> reading = loss_reading(y=0, y_hat=0.99)
>>> round(reading.mse_dz, 4), round(reading.bce_dz, 4)
(0.0196, 0.99)
"""

from typing import NamedTuple

import numpy as np

from mathnn import losses, plots
from mathnn.widgets._canvas import (
    DPI,
    TITLE_PX,
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

Y_HAT_RANGE = (0.001, 0.999)  # the prediction slider: ŷ = 0 or 1 would put log 0 into cross-entropy
Y_HAT_STEP = 0.001
CURVE_POINTS = 499  # ŷ = 0.001, 0.003, ..., 0.999 for the curves
MSE_COLOR, BCE_COLOR = plots.PALETTE["blue"], plots.PALETTE["vermillion"]


class LossReading(NamedTuple):
    """Both losses of one prediction and their gradients, at ŷ and at the logit z."""

    y: int
    y_hat: float
    z: float  # logit ŷ = log(ŷ / (1 − ŷ))
    mse: float
    bce: float
    mse_dy_hat: float  # ∂ℓ/∂ŷ
    bce_dy_hat: float
    mse_dz: float  # ∂ℓ/∂z
    bce_dz: float


def check_target(y):
    """``y`` as the int 0 or 1, or a ValueError."""
    if isinstance(y, bool) or y not in (0, 1):
        raise ValueError(f"the target y of one sigmoid output is 0 or 1, but got {y!r}.")
    return int(y)


def check_prediction(y_hat):
    """``y_hat`` as a float strictly between 0 and 1, or a ValueError saying why not."""
    try:
        value = float(y_hat)
    except (TypeError, ValueError):
        raise TypeError(f"the prediction ŷ must be a number between 0 and 1, but got {y_hat!r}.") from None
    if not 0.0 < value < 1.0:  # also catches NaN
        raise ValueError(
            f"the prediction ŷ of a sigmoid lies strictly between 0 and 1, but got {y_hat!r}; "
            f"the slider runs from {Y_HAT_RANGE[0]} to {Y_HAT_RANGE[1]}."
        )
    return value


def loss_reading(y=0, y_hat=0.9):
    """Both losses at one prediction, computed by :mod:`mathnn.losses` on one example (m = 1).

    Parameters
    ----------
    y : 0 or 1
    y_hat : float in (0, 1)

    Returns
    -------
    LossReading
    """
    y, y_hat = check_target(y), check_prediction(y_hat)
    Y_hat, Y = np.array([[y_hat]]), np.array([[float(y)]])
    slope = y_hat * (1.0 - y_hat)  # σ'(z) = σ(z)(1 − σ(z)), activations.sigmoid_derivative, at σ(z) = ŷ
    mse_dy_hat = float(losses.mse_gradient(Y_hat, Y)[0, 0])
    return LossReading(
        y=y,
        y_hat=y_hat,
        z=float(np.log(y_hat / (1.0 - y_hat))),
        mse=losses.mse(Y_hat, Y),
        bce=losses.binary_cross_entropy(Y_hat, Y),
        mse_dy_hat=mse_dy_hat,
        bce_dy_hat=float(losses.binary_cross_entropy_gradient(Y_hat, Y)[0, 0]),
        mse_dz=mse_dy_hat * slope,  # the chain rule through the sigmoid
        bce_dz=float(losses.output_gradient(Y_hat, Y)[0, 0]),  # sigmoid + BCE paired: ŷ − y
    )


def curve_grid():
    """The predictions the curves are drawn at: CURVE_POINTS from 0.001 to 0.999."""
    return np.linspace(*Y_HAT_RANGE, CURVE_POINTS)


def loss_curves(y, y_hat=None):
    """Each loss and its ∂ℓ/∂z over predictions ``y_hat`` (default :func:`curve_grid`), per example.

    Returns
    -------
    dict of ndarray of shape (k,): "y_hat", "mse", "bce", "mse_dz", "bce_dz"
    """
    y = check_target(y)
    p = curve_grid() if y_hat is None else np.asarray(y_hat, dtype=np.float64)
    return {
        "y_hat": p,
        "mse": (p - y) ** 2,
        "bce": -(y * np.log(p) + (1 - y) * np.log(1.0 - p)),
        "mse_dz": 2.0 * (p - y) * p * (1.0 - p),
        "bce_dz": p - y,
    }


def loss_caption(reading):
    """The numbers under the picture, three lines (the site twin writes the same text)."""
    r, f = reading, fixed
    return "\n".join([
        f"target y = {r.y}, prediction ŷ = {f(r.y_hat, 3)}, logit z = log(ŷ/(1 − ŷ)) = {f(r.z)}",
        f"mean squared error: ℓ = {f(r.mse)}, ∂ℓ/∂ŷ = {f(r.mse_dy_hat)}, ∂ℓ/∂z = {f(r.mse_dz)}",
        f"cross-entropy: ℓ = {f(r.bce)}, ∂ℓ/∂ŷ = {f(r.bce_dy_hat)}, ∂ℓ/∂z = {f(r.bce_dz)}",
    ])


# --- the picture: specs shared by the matplotlib view and the canvas of the site twin ------------

SIZE = (760, 320)  # pixels


def panel_specs(y):
    """The two panels for target ``y``: the losses over ŷ, and ∂ℓ/∂z over ŷ."""
    x_ticks, x_labels = ticks(0.0, 1.0, 0.25, 2)
    loss_ticks, loss_labels = ticks(0.0, 7.0, 1.0, 0)
    grad_ticks, grad_labels = ticks(-1.0, 1.0, 0.5, 1)
    common = {"xlim": [-0.02, 1.02], "xticks": x_ticks, "xticklabels": x_labels, "xlabel": "prediction ŷ = σ(z)"}
    return [
        {**common, "box": [58, 34, 300, 222], "ylim": [-0.2, 7.2], "yticks": loss_ticks, "yticklabels": loss_labels,
         "ylabel": "loss ℓ", "title": f"the loss ℓ(ŷ, y), target y = {y}"},
        {**common, "box": [446, 34, 300, 222], "ylim": [-1.1, 1.1], "yticks": grad_ticks,
         "yticklabels": grad_labels, "ylabel": "∂ℓ/∂z", "title": "what the logit feels: ∂ℓ/∂z", "zero": True},
    ]


def legend_corners(y):
    """Where each panel's legend goes: the corner the curves leave free for this target."""
    return ("upper left", "lower right") if y == 0 else ("upper right", "upper right")


LEGEND = [{"label": "mean squared error", "color": MSE_COLOR}, {"label": "cross-entropy", "color": BCE_COLOR}]


class LossView(View):
    """Left, both losses over ŷ for the target; right, their ∂ℓ/∂z; dots mark the current prediction."""

    def __init__(self, reading=None, dpi=DPI):
        reading = reading or loss_reading()
        super().__init__((SIZE[0] / dpi, SIZE[1] / dpi), dpi)
        self.figure.set_layout_engine("none")
        self.axes = [place_axes(self.figure, spec, SIZE) for spec in panel_specs(reading.y)]
        left, right = self.axes
        self.curves = {}
        for ax, names in ((left, ("mse", "bce")), (right, ("mse_dz", "bce_dz"))):
            for name, item in zip(names, LEGEND):
                (self.curves[name],) = ax.plot([], [], color=item["color"], linewidth=2.2, label=item["label"])
        self.dots = {
            name: ax.plot([], [], "o", color=self.curves[name].get_color(), markeredgecolor="black",
                          markersize=9, zorder=5)[0]
            for ax, names in ((left, ("mse", "bce")), (right, ("mse_dz", "bce_dz"))) for name in names
        }
        self.markers = [ax.axvline(0.5, color=plots.GREY, linewidth=1.2, linestyle=(0, (2, 3))) for ax in self.axes]
        self.animate([*self.dots.values(), *self.markers])
        self._y = None
        self.update(reading)

    def still(self):
        """The curves, titles and legends depend on the target alone."""
        return self._y

    def update(self, reading):
        """Show ``reading``: the curves when the target changed, the dots and the marker line always."""
        if reading.y != self._y:
            self._y = reading.y
            curves = loss_curves(reading.y)
            for name, line in self.curves.items():
                line.set_data(curves["y_hat"], curves[name])
            for ax, spec, corner in zip(self.axes, panel_specs(reading.y), legend_corners(reading.y)):
                ax.set_title(spec["title"], fontsize=points(TITLE_PX))
                legend(ax, [line for line in ax.get_lines() if line in self.curves.values()], corner)
        for name, dot in self.dots.items():
            dot.set_data([reading.y_hat], [getattr(reading, name)])
        for marker in self.markers:
            marker.set_xdata([reading.y_hat, reading.y_hat])
        return self


# --- the live widget ----------------------------------------------------------------------------


class LossExplorer(Skin):
    """A target y and a prediction ŷ to drag; both losses and their gradients, drawn and in numbers.

    >>> explorer = LossExplorer()
    >>> explorer.y_hat.value = 0.999
    >>> round(explorer.reading.mse_dz, 4), round(explorer.reading.bce_dz, 4)
    (0.002, 0.999)
    """

    def __init__(self, y=0, y_hat=0.9):
        reading = loss_reading(y, y_hat)
        super().__init__(LossView(reading))
        widgets = ipywidgets()
        self.reading = reading
        self.y = widgets.ToggleButtons(options=[("y = 0", 0), ("y = 1", 1)], value=reading.y, description="target")
        self.y_hat = slider("FloatSlider", "prediction ŷ", reading.y_hat, min=Y_HAT_RANGE[0], max=Y_HAT_RANGE[1],
                            step=Y_HAT_STEP, readout_format=".3f", continuous_update=True,
                            layout=widgets.Layout(width="420px"))
        self.caption = widgets.HTML()
        self.y.observe(self._on_change, names="value")
        self.y_hat.observe(self._on_change, names="value")
        self._show(reading)
        self.widget = widgets.VBox([self.y, self.y_hat, self.image, self.caption, self.output])

    def _show(self, reading):
        super()._show(reading)
        self.caption.value = caption_html(loss_caption(reading))

    @errors_shown
    def _on_change(self, change=None):
        self.reading = loss_reading(self.y.value, self.y_hat.value)
        self._show(self.reading)


# --- the site twin, computed in the page -------------------------------------------------------


_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID input[type=range] { width: 340px; max-width: 60vw; }
"""


def loss_twin(y=0, y_hat=0.9):
    """The loss explorer for the website: the same controls, computed and drawn by JavaScript in the page.

    Its outer element (class ``mathnn-loss``) has a function ``mathnnState()`` returning the numbers
    of the current setting, the fields of :class:`LossReading`, for tests.

    Returns
    -------
    KernelFree
    """
    reading = loss_reading(y, y_hat)
    spec = figure_json(
        SIZE, panel_specs(0), byTarget={t: {"panels": panel_specs(t), "corners": legend_corners(t)} for t in (0, 1)},
        legend=LEGEND, mse=MSE_COLOR, bce=BCE_COLOR, points=CURVE_POINTS, range=Y_HAT_RANGE,
    )

    def body(element_id):
        selected = {t: " selected" if t == reading.y else "" for t in (0, 1)}
        return [
            '<div class="mx-controls">',
            f'<label>target <select id="{element_id}-y"><option value="0"{selected[0]}>y = 0</option>'
            f'<option value="1"{selected[1]}>y = 1</option></select></label>',
            range_html(element_id, "y-hat", "prediction ŷ", reading.y_hat, Y_HAT_RANGE, Y_HAT_STEP, 3),
            "</div>",
            *twin_html(element_id, SIZE, "Losses and their gradients at the logit. ", loss_caption(reading), spec,
                       script_text("loss.js")),
        ]

    title = "One sigmoid output against its target: two losses, and what the logit feels"
    payload = repr(("loss", reading.y, reading.y_hat)).encode()
    return KernelFree("loss", title, payload, body, css=_CSS)
