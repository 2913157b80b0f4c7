r"""The slow-learning race: one sigmoid neuron trained under mean squared error and under cross-entropy (chapter 4).

Nielsen's setup: one input x = 1, target y = 0, one neuron :math:`\hat y = \sigma(w x + b)`, gradient
descent on that one example (so each epoch is one step), the same start and learning rate α for
both losses. With :math:`z = w + b` the two gradients are

.. math::
    \frac{\partial C_{\text{MSE}}}{\partial z} = 2(\hat y - y)\,\hat y (1 - \hat y), \qquad
    \frac{\partial C_{\text{BCE}}}{\partial z} = \hat y - y,

and :math:`\partial C / \partial w = \partial C / \partial b = \partial C / \partial z` since x = 1.
From the badly wrong start w = b = 2 (ŷ ≈ 0.98), the factor ŷ(1 − ŷ) ≈ 0.018 makes mean squared
error crawl for many epochs; cross-entropy falls at once. From a gentle start (w = 0.6, b = 0.9)
the two start alike.

:func:`race` computes both runs exactly as :meth:`mathnn.network.Network.fit` does for
``Network([Dense(1, 1, "sigmoid")], loss=...)`` with ``batch_size=1``; the view (:class:`RaceView`),
the live widget (:class:`LearningRace`) and its site twin computed in the page (:func:`race_twin`)
sit beside it.

Examples
--------
>>> run = race(w=2.0, b=2.0, learning_rate=0.15, epochs=300)
>>> round(float(run.mse_y_hat[100]), 2), round(float(run.bce_y_hat[100]), 2)
(0.8, 0.04)
"""

import math
from typing import NamedTuple

import numpy as np

from mathnn import plots
from mathnn.validate import check_count, check_positive_number
from mathnn.widgets._canvas import (
    DPI,
    caption_html,
    figure_json,
    fixed,
    legend,
    place_axes,
    range_html,
    script_text,
    style_ticks,
    ticks,
    twin_html,
)
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider

X, Y = 1.0, 0.0  # the one example: input 1, target 0
START_RANGE = (-4.0, 4.0)  # w and b
START_STEP = 0.1
RATE_RANGE = (0.01, 5.0)  # up to 5: enough to try the chapter's rescue of the squared error by a larger α
RATE_STEP = 0.01
EPOCHS = 300
INTERVAL = 50  # milliseconds per epoch when playing
LOSSES = ("mse", "binary_cross_entropy")
NAMES = {"mse": "mean squared error", "binary_cross_entropy": "cross-entropy"}
COLORS = {"mse": plots.PALETTE["blue"], "binary_cross_entropy": plots.PALETTE["vermillion"]}


class Race(NamedTuple):
    """Both runs, epoch by epoch: entry e is after e epochs (entry 0 is the start)."""

    w: float
    b: float
    learning_rate: float
    epochs: int
    mse_y_hat: np.ndarray  # shape (epochs + 1,)
    mse_cost: np.ndarray
    bce_y_hat: np.ndarray
    bce_cost: np.ndarray


def _check_start(value, name):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"the start {name} must be a number, but got {value!r}.") from None
    if not math.isfinite(number):
        raise ValueError(f"the start {name} must be a finite number, like 2.0, but got {value!r}.")
    return number


def check_epochs(epochs):
    """``epochs`` as an int from 0 to EPOCHS, or an error saying what came instead."""
    return check_count(epochs, "epochs", minimum=0, maximum=EPOCHS, fix=f"The race runs 0 to {EPOCHS} epochs.")


def sigmoid(z):
    """:func:`mathnn.activations.sigmoid` of one number: the same steps, for a plain float."""
    e = math.exp(-abs(z))
    return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)


def run(loss, w, b, learning_rate, epochs):
    r"""One neuron trained on (x, y) = (1, 0) under ``loss``: ŷ and the cost C after each epoch.

    Each epoch is one step of :meth:`mathnn.network.Network.fit` with one example, written out for one
    number at a time: the forward pass :math:`z = w x + b`, :math:`\hat y = \sigma(z)`; dZ from the
    loss (through σ′ for mean squared error, the paired :math:`\hat y - y` for cross-entropy); then
    :math:`w \leftarrow w - \alpha\, dZ\, x`, :math:`b \leftarrow b - \alpha\, dZ`. The cost is
    measured as ``fit`` measures it: :func:`mathnn.losses.mse`, or
    :func:`mathnn.losses.binary_cross_entropy_from_logits` from z.

    Returns
    -------
    y_hat, cost : ndarray of shape (epochs + 1,)
    """
    y_hat, cost = np.empty(epochs + 1), np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        z = w * X + b  # layers.dense_forward: Z = W A_prev + b
        a = sigmoid(z)
        y_hat[epoch] = a
        if loss == "mse":
            cost[epoch] = (a - Y) ** 2 / 1  # losses.mse, m = 1
            s = sigmoid(z)
            dZ = 2.0 * (a - Y) / 1 * (s * (1.0 - s))  # losses.mse_gradient · activations.sigmoid_derivative
        else:
            cost[epoch] = max(z, 0.0) - z * Y + math.log1p(math.exp(-abs(z)))  # losses.binary_cross_entropy_from_logits
            dZ = (a - Y) / 1  # losses.output_gradient: sigmoid + cross-entropy, (ŷ − y)/m
        if epoch < epochs:
            w = w - learning_rate * (dZ * X)  # layers.dense_backward: dW = dZ A_prev^T; optim.SGD.step
            b = b - learning_rate * dZ  # db = dZ summed over the one example
    return y_hat, cost


def race(w=2.0, b=2.0, learning_rate=0.15, epochs=EPOCHS):
    """Both runs from the start (w, b) with learning rate α, for 0 to EPOCHS epochs.

    Returns
    -------
    Race
    """
    w, b = _check_start(w, "w"), _check_start(b, "b")
    rate = check_positive_number(learning_rate, "learning_rate", "The race's slider runs from 0.01 to 1.")
    epochs = check_epochs(epochs)
    mse = run("mse", w, b, rate, epochs)
    bce = run("binary_cross_entropy", w, b, rate, epochs)
    return Race(w, b, rate, epochs, *mse, *bce)


class RaceState(NamedTuple):
    """The race the widget shows, and the epoch it has reached."""

    race: Race
    epoch: int


def first_below_half(y_hat):
    """The first epoch at which the output ŷ is below 1/2, the neuron's answer turned right; None if never."""
    below = np.flatnonzero(np.asarray(y_hat) < 0.5)
    return int(below[0]) if below.size else None


def race_caption(state):
    """The numbers under the picture, three lines (the site twin writes the same text)."""
    r, e = state.race, state.epoch

    def crossed(y_hat):
        k = first_below_half(y_hat[: e + 1])
        return "ŷ < ½ not yet" if k is None else f"ŷ < ½ since epoch {k}"

    return "\n".join([
        f"epoch {e} of {r.epochs}; start w = {fixed(r.w, 1)}, b = {fixed(r.b, 1)}; "
        f"learning rate α = {fixed(r.learning_rate, 2)}",
        f"mean squared error: ŷ = {fixed(r.mse_y_hat[e])}, C = {fixed(r.mse_cost[e])}; {crossed(r.mse_y_hat)}",
        f"cross-entropy: ŷ = {fixed(r.bce_y_hat[e])}, C = {fixed(r.bce_cost[e])}; {crossed(r.bce_y_hat)}",
    ])


# --- the picture: specs shared by the matplotlib view and the canvas of the site twin ------------

SIZE = (760, 300)


def cost_top(run_):
    """The top of the cost axis: 10% above the larger cost of the two runs, rounded up to a half."""
    highest = max(float(np.max(run_.mse_cost)), float(np.max(run_.bce_cost)))
    return max(0.5, math.ceil(2.2 * highest) / 2.0)


def cost_ticks(top):
    """Ticks of the cost axis up to ``top``: steps of 0.25, 0.5, 1 or 2 as the axis grows."""
    step, digits = (0.25, 2) if top <= 1 else (0.5, 1) if top <= 3 else (1.0, 0) if top <= 6 else (2.0, 0)
    return ticks(0.0, math.floor(top / step + 1e-9) * step, step, digits)


def panel_specs(top):
    """Two panels over the epochs: the output ŷ, and the cost C (its axis up to ``top``)."""
    epoch_ticks, epoch_labels = ticks(0.0, EPOCHS, 50.0, 0)
    out_ticks, out_labels = ticks(0.0, 1.0, 0.25, 2)
    c_ticks, c_labels = cost_ticks(top)
    common = {"xlim": [-0.02 * EPOCHS, 1.02 * EPOCHS], "xticks": epoch_ticks, "xticklabels": epoch_labels,
              "xlabel": "epoch"}
    return [
        {**common, "box": [58, 34, 300, 206], "ylim": [-0.03, 1.03], "yticks": out_ticks, "yticklabels": out_labels,
         "ylabel": "output ŷ", "title": "output ŷ = σ(w·1 + b), target y = 0"},
        {**common, "box": [446, 34, 300, 206], "ylim": [-0.03 * top, top], "yticks": c_ticks, "yticklabels": c_labels,
         "ylabel": "cost C", "title": "cost C"},
    ]


LEGEND = [{"label": NAMES[loss], "color": COLORS[loss]} for loss in LOSSES]


class RaceView(View):
    """ŷ and the cost against the epoch for both losses, up to the epoch reached; dots mark it."""

    def __init__(self, state=None, dpi=DPI):
        state = state or RaceState(race(), EPOCHS)
        super().__init__((SIZE[0] / dpi, SIZE[1] / dpi), dpi)
        self.figure.set_layout_engine("none")
        self._top = cost_top(state.race)
        self.axes = [place_axes(self.figure, spec, SIZE) for spec in panel_specs(self._top)]
        self.lines, self.dots = {}, {}
        for ax, quantity in zip(self.axes, ("y_hat", "cost")):
            for loss, item in zip(("mse", "bce"), LEGEND):
                key = f"{loss}_{quantity}"
                (self.lines[key],) = ax.plot([], [], color=item["color"], linewidth=2.2, label=item["label"])
                (self.dots[key],) = ax.plot([], [], "o", color=item["color"], markeredgecolor="black",
                                            markersize=9, zorder=5)
        legend(self.axes[0], [self.lines["mse_y_hat"], self.lines["bce_y_hat"]], "upper right")
        self.animate([*self.lines.values(), *self.dots.values()])
        self.update(state)

    def still(self):
        """The cost axis, which depends on the race."""
        return self._top

    def update(self, state):
        """Show the race up to ``state.epoch``; a new race may change the cost axis."""
        top = cost_top(state.race)
        if top != self._top:
            self._top = top
            style_ticks(self.axes[1], panel_specs(top)[1])
        epochs = np.arange(state.epoch + 1)
        for key, line in self.lines.items():
            values = getattr(state.race, key)
            line.set_data(epochs, values[: state.epoch + 1])
            self.dots[key].set_data([state.epoch], [values[state.epoch]])
        return self


# --- the live widget ----------------------------------------------------------------------------


class LearningRace(Skin):
    """Start w and b, a learning rate, and an epoch counter with Step, Play and Reset.

    >>> widget = LearningRace()
    >>> widget.reset_button.click()
    >>> widget.step_button.click()
    >>> widget.state.epoch
    1
    """

    def __init__(self, w=2.0, b=2.0, learning_rate=0.15, epoch=EPOCHS):
        state = RaceState(race(w, b, learning_rate), check_epochs(epoch))
        super().__init__(RaceView(state))
        widgets = ipywidgets()
        self.state = state
        self.w = slider("FloatSlider", "start w", state.race.w, min=START_RANGE[0], max=START_RANGE[1],
                        step=START_STEP, readout_format=".1f", continuous_update=True)
        self.b = slider("FloatSlider", "start b", state.race.b, min=START_RANGE[0], max=START_RANGE[1],
                        step=START_STEP, readout_format=".1f", continuous_update=True)
        self.learning_rate = slider("FloatSlider", "learning rate α", state.race.learning_rate, min=RATE_RANGE[0],
                                    max=RATE_RANGE[1], step=RATE_STEP, readout_format=".2f",
                                    continuous_update=True)
        player = self._epoch_player(state.epoch, EPOCHS, INTERVAL)
        self.caption = widgets.HTML()
        for control in (self.w, self.b, self.learning_rate):
            control.observe(self._on_setting, names="value")
        self._show(state)
        settings = widgets.HBox([self.w, self.b, self.learning_rate])
        self.widget = widgets.VBox([settings, player, self.image, self.caption, self.output])

    def _show(self, state):
        super()._show(state)
        self.caption.value = caption_html(race_caption(state))

    @errors_shown
    def _on_setting(self, change=None):
        self.state = RaceState(race(self.w.value, self.b.value, self.learning_rate.value), self.state.epoch)
        self._show(self.state)

    @errors_shown
    def _on_epoch(self, change):
        self.state = RaceState(self.state.race, check_epochs(change["new"]))
        self._show(self.state)


# --- the site twin, computed in the page -------------------------------------------------------


_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID output { font-variant-numeric: tabular-nums; min-width: 2.4em; }
"""


def race_twin(w=2.0, b=2.0, learning_rate=0.15, epoch=EPOCHS):
    """The learning race for the website: the same controls, trained and drawn by JavaScript in the page.

    Its outer element (class ``mathnn-race``) has a function ``mathnnState()`` returning the current
    epoch and the whole race (the fields of :class:`Race`, arrays of EPOCHS + 1 numbers), for tests.

    Returns
    -------
    KernelFree
    """
    state = RaceState(race(w, b, learning_rate), check_epochs(epoch))
    r = state.race
    spec = figure_json(SIZE, panel_specs(cost_top(r)), legend=LEGEND, colors=[COLORS[loss] for loss in LOSSES],
                       epochs=EPOCHS, interval=INTERVAL, x=X, y=Y)

    def body(element_id):
        return [
            '<div class="mx-controls">',
            range_html(element_id, "w", "start w", r.w, START_RANGE, START_STEP, 1),
            range_html(element_id, "b", "start b", r.b, START_RANGE, START_STEP, 1),
            range_html(element_id, "rate", "learning rate α", r.learning_rate, RATE_RANGE, RATE_STEP, 2),
            "</div>",
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-step">Step</button>',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            f'<label class="mx-scrub">epoch <input type="range" id="{element_id}-epoch" min="0" max="{EPOCHS}" '
            f'step="1" value="{state.epoch}"> <output id="{element_id}-epoch-value">{state.epoch}</output></label>',
            "</div>",
            *twin_html(element_id, SIZE, "The race of the two losses. ", race_caption(state), spec,
                       script_text("learning_race.js")),
        ]

    title = "The slow-learning race: one sigmoid neuron, input 1, target 0, two losses"
    payload = repr(("race", r.w, r.b, r.learning_rate, state.epoch)).encode()
    return KernelFree("race", title, payload, body, css=_CSS)
