"""The training playground: a small network learns a 2-D data set, epoch by epoch (chapter 6, 7).

Settings, state and step functions (:class:`PlaygroundSettings`, :func:`new_playground`,
:func:`train_epochs`, :func:`change_settings`, :func:`playground_caption`), the view
(:class:`PlaygroundView`) and the live widget (:class:`TrainingPlayground`), side by side; its site twin,
which builds and trains the same network in the page, is ``playground_twin`` of
:mod:`mathnn.widgets.playground_site`.

Examples
--------
>>> state = train_epochs(new_playground(PlaygroundSettings(m=40, hidden=(4,))), 2)
>>> state.epoch, len(state.losses)
(2, 3)
"""

import time
from dataclasses import dataclass, field, replace

import numpy as np
from matplotlib.ticker import MaxNLocator

from mathnn import data, plots
from mathnn.network import History, Network, TrainingDiverged
from mathnn.validate import check_count, check_positive_number, lookup
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, is_playing, playing_trait, slider, stop
from mathnn.widgets.shapes import SizeRule, parse_sizes

PLAYGROUND_DATASETS = {"xor": "quadrants", "circles": "circles", "moons": "moons", "spirals": "spirals"}
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
MAX_HIDDEN_LAYERS = 6
MAX_HIDDEN_UNITS = 64

# Hidden layers only (the input and output sizes are the data's), and few: the playground must train while watched.
HIDDEN_SIZES = SizeRule(
    "hidden layer sizes", "8, 8", 0, "", MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS,
    f"the playground allows at most {MAX_HIDDEN_LAYERS} hidden layers of at most {MAX_HIDDEN_UNITS} units; "
    "bigger networks train too slowly to watch.",
)


def parse_hidden_sizes(text):
    """Hidden layer sizes from text like "8, 8" (two layers of 8 units); "" means no hidden layer.

    >>> parse_hidden_sizes("8, 4")
    (8, 4)
    """
    return parse_sizes(text, HIDDEN_SIZES)

@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything that defines a training run: the data, the network and how it is trained."""

    dataset: str = "circles"
    hidden: tuple = (8, 8)
    activation: str = "tanh"
    learning_rate: float = 0.3
    batch_size: int = 16
    m: int = 200
    seed: int = 0


@dataclass
class PlaygroundState:
    """A training run in progress.

    ``X`` (2, m) and ``Y`` (1, m) are the data, ``network`` the network being trained,
    ``initial_loss`` its cost before training, ``history`` the cost and accuracy after each epoch.
    When training diverged, ``diverged`` holds the reason and ``diverged_with`` the settings it
    diverged with.
    """

    settings: PlaygroundSettings
    X: np.ndarray
    Y: np.ndarray
    network: Network
    rng: np.random.Generator
    initial_loss: float
    epoch: int = 0
    history: History = field(default_factory=History)
    diverged: str | None = None
    diverged_with: PlaygroundSettings | None = None

    @property
    def losses(self):
        """The cost at every epoch so far, epoch 0 (before training) included, as a list of epoch + 1 numbers."""
        return [self.initial_loss, *self.history.loss]


def new_playground(settings=None):
    """A fresh run for ``settings``: the data and the initial weights come from ``settings.seed``."""
    settings = settings or PlaygroundSettings()
    name = lookup(PLAYGROUND_DATASETS, settings.dataset, "playground data set")
    activation = lookup({a: a for a in PLAYGROUND_ACTIVATIONS}, settings.activation, "playground activation")
    check_positive_number(settings.learning_rate, "learning_rate", "Try 0.1.")
    check_count(settings.batch_size, "batch_size")
    X, Y = data.make(name, m=settings.m, seed=settings.seed)
    network = Network.from_sizes(
        [2, *settings.hidden, 1], hidden=activation, output="sigmoid", loss="binary_cross_entropy",
        seed=settings.seed,
    )
    initial_loss = network.cost(X, Y)
    return PlaygroundState(settings, X, Y, network, np.random.default_rng(settings.seed), initial_loss,
                           history=History(initial_loss=initial_loss))


def train_epochs(state, epochs=1):
    """Train ``state.network`` for ``epochs`` epochs with mathnn's own SGD (:meth:`mathnn.network.Network.fit`).

    The state is changed in place and returned. The run's history is passed on to ``fit``, so its
    epochs and steps count on and its divergence check watches the whole run, not one call. If
    training diverges (the cost NaN, infinite or exploding), it stops and ``state.diverged`` holds the
    reason; later calls do nothing.
    """
    epochs = check_count(epochs, "epochs")
    if not state.diverged:
        try:
            state.network.fit(
                state.X, state.Y, epochs=epochs, learning_rate=state.settings.learning_rate,
                batch_size=state.settings.batch_size, seed=state.rng,  # the same generator: a new order each epoch
                history=state.history,
            )
        except TrainingDiverged as error:
            state.diverged = str(error)
            state.diverged_with = state.settings
        state.epoch = len(state.history.loss)
    return state


def change_settings(state, **changes):
    """The run with new settings: the learning rate and batch size change mid-run, anything else starts afresh."""
    settings = replace(state.settings, **changes)
    if set(changes) <= {"learning_rate", "batch_size"}:
        check_positive_number(settings.learning_rate, "learning_rate", "Try 0.1.")
        check_count(settings.batch_size, "batch_size")
        state.settings = settings
        return state
    return new_playground(settings)


COST_CAP = 1e200


def cost_axis_limits(losses):
    """The cost axis's limits: whole decades around the positive finite costs, so that they change only when
    the curve leaves a decade. Costs are capped at 1e200: beyond, the log axis's own ticks would overflow.

    >>> cost_axis_limits([0.69, 0.2, 0.004])
    (0.001, 1.0)
    """
    shown = [v for v in losses if np.isfinite(v) and v > 0] or [1.0]
    low, high = min(min(shown), COST_CAP), min(max(shown), COST_CAP)
    return float(10.0 ** np.floor(np.log10(low))), float(10.0 ** np.ceil(np.log10(high) + 1e-12))


def format_cost(cost):
    """A cost in three significant digits, however large: 0.706, 12.7, 6.8e+170.

    >>> format_cost(0.70612), format_cost(6.8e170)
    ('0.706', '6.8e+170')
    """
    return f"{cost:.3g}"


def playground_accuracy(state):
    """The share of the data the network classifies correctly now (after the last epoch, or before any)."""
    return state.history.accuracy[-1] if state.history.accuracy else state.network.accuracy(state.X, state.Y)


def playground_caption(state):
    """One line for the reader: the epoch, cost and accuracy, or why training stopped.

    >>> playground_caption(new_playground(PlaygroundSettings(m=40, hidden=(4,))))
    'epoch 0: cost 0.706, accuracy 42%'
    """
    if state.diverged:
        return state.diverged
    return f"epoch {state.epoch}: cost {format_cost(state.losses[-1])}, accuracy {playground_accuracy(state):.0%}"


class PlaygroundView(View):
    """The decision boundary (left) and the cost per epoch (right) of a training run.

    Fast enough to animate: :meth:`PlaygroundView.update` predicts the whole boundary grid in one forward pass and
    only replaces the image's pixels, the boundary's line segments, the loss line and the titles;
    :meth:`~mathnn.widgets._render.View.render` draws the rest of the figure (axes, ticks, labels) once,
    keeps those pixels, and afterwards redraws only the artists that move (blitting), until the axes'
    limits change.
    """

    def __init__(self, state=None, grid=100, size=(9.6, 4.0), dpi=80):
        super().__init__(size, dpi)
        state = state or new_playground()
        self.grid = grid
        self.boundary_ax, self.loss_ax = self.figure.subplots(1, 2, width_ratios=[1.1, 1])
        (self.loss_line,) = self.loss_ax.plot([0], [state.initial_loss], color=plots.PALETTE["blue"], linewidth=2,
                                              marker="o", markevery=[-1], markersize=5)  # a dot marks the latest epoch
        self.loss_ax.set_xlabel("epoch")
        self.loss_ax.set_ylabel("cost $C$ (binary cross-entropy)")
        self.loss_ax.grid(True, alpha=0.3)
        # A log axis: the cost falls by decades, and one spike does not flatten the rest of the curve.
        self.loss_ax.set_yscale("log")
        self.loss_ax.xaxis.set_major_locator(MaxNLocator(5))
        self._X = None
        self.update(state)

    def _draw_data(self, state):
        self.boundary_ax.clear()
        self.artists = plots.decision_boundary(self.boundary_ax, state.network, state.X, state.Y, grid=self.grid)
        self.boundary_ax.set_aspect("equal")
        for axis in (self.boundary_ax.xaxis, self.boundary_ax.yaxis):
            axis.set_major_locator(MaxNLocator(3))
        self.extent, self.points = plots.boundary_grid(state.X, self.grid)
        self._X = state.X
        self._background = None  # new data: the kept picture is out of date
        # What changes from frame to frame; "animated" keeps them out of the kept background.
        self.animate([
            self.artists["shading"], self.artists["boundary"], *self.artists["points"],
            *self.boundary_ax.spines.values(), self.boundary_ax.title, self.loss_line,
        ])

    def update(self, state):
        """Show ``state``: new boundary image and line, loss line, titles."""
        if state.X is not self._X:
            self._draw_data(state)
        if not state.diverged:  # (a diverged network's weights may be NaN: keep its last boundary)
            # One forward pass over all grid * grid points; huge weights may overflow on the way, harmlessly.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                outputs = plots.model_outputs(state.network, self.points)
            if np.all(np.isfinite(outputs)):
                image = plots.boundary_image(outputs, self.grid)
                # Coloured here, once per grid point: cheaper than colouring every screen pixel after resampling.
                self.artists["shading"].set_data(plots.PROBABILITY_CMAP(image, bytes=True))
                self.artists["boundary"].set_segments(plots.boundary_segments(image, self.extent))
        losses = state.losses
        self.loss_line.set_data(np.arange(len(losses)), losses)
        epochs = 10
        while epochs < len(losses) - 1:  # the epoch axis doubles when full, so its ticks rarely change
            epochs *= 2
        self.loss_ax.set_xlim(0, epochs)
        self.loss_ax.set_ylim(*cost_axis_limits(losses))
        if state.diverged:  # a diverged network's accuracy means nothing
            title = f"epoch {state.epoch} · diverged: lower α and start again"
        else:
            title = f"epoch {state.epoch} · cost {format_cost(losses[-1])} · accuracy {playground_accuracy(state):.0%}"
        self.boundary_ax.set_title(title, fontsize=11)
        s = state.settings
        hidden = ",".join(map(str, s.hidden)) or "none"
        self.loss_ax.set_title(
            f"hidden layers {hidden} · {s.activation} · α = {s.learning_rate:.3g} · batch size {s.batch_size}",
            fontsize=10,
        )
        return self

    def still(self):
        """The loss axes' limits and title: when the curve outgrows them, everything is drawn again."""
        return self.loss_ax.get_xlim(), self.loss_ax.get_ylim(), self.loss_ax.get_title()


TICK = 200  # milliseconds between Play's ticks, at the least
MAX_STEPS_PER_TICK = 5  # a jump of Play's counter trains at most this many steps, so the notebook is never blocked
QUEUED = 0.03  # seconds: a tick that comes sooner after the last one waited in the queue while a step ran


class TrainingPlayground(Skin):
    """Train a small network on a 2-D data set and watch its decision boundary and cost move.

    Step trains ``epochs per step`` epochs; Play does the same on every tick of the ``play``
    widget; Pause stops it; Reset starts over with the same data and initial weights. Changing
    the data set, the hidden layers or the activation starts over; the learning rate and the batch
    size change mid-run. After a run diverged, Step and Play start it again from epoch 0 once the
    learning rate or the batch size is changed (its weights are lost).

    Play never asks for work faster than it is done: when a step takes longer than the ticks are
    apart, the ticks that queued meanwhile are dropped, and the ticks are spaced out to the time a
    step takes; so Pause stops at the next tick.

    >>> playground = TrainingPlayground(grid=20)
    >>> playground.step_button.click()
    >>> playground.state.epoch
    1
    """

    def __init__(self, settings=None, grid=100):
        widgets = ipywidgets()
        state = new_playground(settings)
        super().__init__(PlaygroundView(state, grid=grid))
        self.state = state
        s = state.settings
        self.dataset = widgets.Dropdown(options=list(PLAYGROUND_DATASETS), value=s.dataset, description="data")
        self.hidden = widgets.Text(value=",".join(map(str, s.hidden)), description="hidden layers",
                                   continuous_update=False, placeholder="e.g. 8,8",
                                   style={"description_width": "initial"})
        self.activation = widgets.Dropdown(options=PLAYGROUND_ACTIVATIONS, value=s.activation, description="activation")
        self.learning_rate = slider("FloatLogSlider", "learning rate α", s.learning_rate, base=10, min=-3,
                                     max=1, step=0.1, readout_format=".3g")
        self.batch_size = widgets.Dropdown(options=sorted({1, 4, 16, 32, 64, s.m, s.batch_size}), value=s.batch_size,
                                           description="batch size")
        self.epochs_per_step = widgets.Dropdown(options=[1, 5, 25], value=1, description="epochs per step",
                                                style={"description_width": "initial"})
        self.play = widgets.Play(value=0, min=0, max=10**6, interval=TICK, description="play", show_repeat=False)
        self.step_button = widgets.Button(description="Step", icon="step-forward")
        self.pause_button = widgets.Button(description="Pause", icon="pause")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.epoch_label = widgets.HTML()
        self.note = ""  # what the last action did that the reader might not expect, shown after the epoch
        self._paused_at = -np.inf  # when Pause was last pressed (time.perf_counter())
        self._last_tick = -np.inf  # when the last tick was trained or dropped (time.perf_counter())
        for control in (self.dataset, self.hidden, self.activation):
            control.observe(self._on_network_setting, names="value")
        self.learning_rate.observe(self._on_rate, names="value")
        self.batch_size.observe(self._on_rate, names="value")
        self.play.observe(self._on_play, names="value")
        self.play.observe(self._on_playing, names=playing_trait(self.play))
        self.step_button.on_click(self._on_step)
        self.pause_button.on_click(self._on_pause)
        self.reset_button.on_click(self._on_reset)
        self._show(self.state)
        self.widget = widgets.VBox([
            widgets.HBox([self.dataset, self.hidden, self.activation]),
            widgets.HBox([self.learning_rate, self.batch_size, self.epochs_per_step]),
            widgets.HBox([self.step_button, self.play, self.pause_button, self.reset_button, self.epoch_label]),
            self.image, self.output,
        ])

    @property
    def history(self):
        """The cost and accuracy after each epoch of the current run (a :class:`mathnn.network.History`)."""
        return self.state.history

    def _show(self, state):
        super()._show(state)
        text = f"epoch <b>{state.epoch}</b> · cost {format_cost(state.losses[-1])}"
        if self.note:
            text += f" · {self.note}"
        if state.diverged:
            red = plots.PALETTE["vermillion"]
            text += f' · <span style="color:{red}">{state.diverged}</span>'
            if self._can_start_again():
                s = state.settings
                text += (f" · <b>Step or Play starts again from epoch 0 with α = {s.learning_rate:.3g}, batch size "
                         f"{s.batch_size}.</b>")
            else:
                text += " · <b>Lower α, then Step or Play starts again from epoch 0</b> (Reset: with the same α)."
        self.epoch_label.value = text

    def _can_start_again(self):
        """Whether the run diverged and its learning rate or batch size has been changed since."""
        return bool(self.state.diverged) and self.state.settings != self.state.diverged_with

    def train(self, epochs=None):
        """Train ``epochs`` epochs (by default the chosen epochs per step) and redraw.

        A run that diverged starts again from epoch 0 if its learning rate or batch size has
        changed since; otherwise it stays as it is, and the label says what to do. While the
        hidden-layers box holds a text that is not sizes, nothing trains: the error is shown again
        (the network would not be the one the box shows) and Play stops.
        """
        try:
            parse_hidden_sizes(self.hidden.value)
        except ValueError:
            stop(self.play)
            raise
        self.note = ""
        if self._can_start_again():
            self.state = new_playground(self.state.settings)
            self.note = f"started again from epoch 0 with α = {self.state.settings.learning_rate:.3g}"
        if self.state.diverged:
            stop(self.play)
        else:
            train_epochs(self.state, epochs or self.epochs_per_step.value)
            if self.state.diverged:
                stop(self.play)
        self._show(self.state)

    @errors_shown
    def _on_step(self, _button=None):
        self.train()

    @errors_shown
    def _on_play(self, change):
        # The Play widget counts steps; going back (its stop button) trains nothing.
        steps = change["new"] - change["old"]
        now = time.perf_counter()
        queued = is_playing(self.play) and now - self._last_tick < QUEUED  # it waited while the last step ran
        on_its_way = now - self._paused_at < 0.5 + 2 * self.play.interval / 1000  # sent before Pause arrived
        self._last_tick = now
        if steps <= 0 or queued or on_its_way:
            return
        # A dropped tick's steps are not made up for; a counter moved far ahead (by code) trains a few steps at most.
        self.train(min(steps, MAX_STEPS_PER_TICK) * self.epochs_per_step.value)
        self._last_tick = time.perf_counter()
        # Space the ticks out to the time a step takes, so that they do not queue up in the first place.
        took = self._last_tick - now
        self.play.interval = max(TICK, int(1250 * took))

    @errors_shown
    def _on_playing(self, change):
        if change["new"]:
            self._paused_at = -np.inf

    @errors_shown
    def _on_pause(self, _button=None):
        self._paused_at = time.perf_counter()  # a tick already on its way trains nothing
        stop(self.play)

    @errors_shown
    def _on_reset(self, _button=None):
        stop(self.play)
        self.note = ""
        self.state = new_playground(self.state.settings)
        self.play.value = 0
        self._show(self.state)

    @errors_shown
    def _on_network_setting(self, _change=None):
        stop(self.play)
        hidden = parse_hidden_sizes(self.hidden.value)
        self.state = change_settings(self.state, dataset=self.dataset.value, hidden=hidden,
                                     activation=self.activation.value)
        self._show(self.state)

    @errors_shown
    def _on_rate(self, _change=None):
        self.state = change_settings(self.state, learning_rate=self.learning_rate.value,
                                     batch_size=self.batch_size.value)
        self._show(self.state)
