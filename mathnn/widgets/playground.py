"""The training playground: a small network learns a 2-D data set, epoch by epoch (chapter 6, 7).

Settings, state and step functions (:class:`PlaygroundSettings`, :func:`new_playground`,
:func:`train_epochs`, :func:`change_settings`, :func:`playground_caption`), the view
(:class:`PlaygroundView`), the live widget (:class:`TrainingPlayground`) and its site twin
(:func:`training_explorer`), side by side.

Examples
--------
>>> state = train_epochs(new_playground(PlaygroundSettings(m=40, hidden=(4,))), 2)
>>> state.epoch, len(state.losses)
(2, 3)
"""

from dataclasses import dataclass, field, replace

import numpy as np
from matplotlib.ticker import MaxNLocator

from mathnn import data, plots
from mathnn.network import History, Network, TrainingDiverged
from mathnn.validate import check_count, check_positive_number, lookup
from mathnn.widgets._explorer import PALETTE_COLORS, Explorer
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider
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
    return PlaygroundState(settings, X, Y, network, np.random.default_rng(settings.seed), network.cost(X, Y))


def train_epochs(state, epochs=1):
    """Train ``state.network`` for ``epochs`` epochs with mathnn's own SGD (:meth:`mathnn.network.Network.fit`).

    The state is changed in place and returned. If the cost becomes NaN or infinite, training stops
    and ``state.diverged`` holds the reason; later calls do nothing.
    """
    for _ in range(check_count(epochs, "epochs")):
        if state.diverged:
            break
        try:
            epoch_history = state.network.fit(
                state.X, state.Y, epochs=1, learning_rate=state.settings.learning_rate,
                batch_size=state.settings.batch_size, seed=state.rng,  # the same generator: a new order each epoch
                first_epoch=state.epoch + 1,
            )
        except TrainingDiverged as error:
            state.diverged = str(error)
            break
        state.epoch += 1
        state.history.loss.extend(epoch_history.loss)
        state.history.accuracy.extend(epoch_history.accuracy)
        state.history.step_loss.extend(epoch_history.step_loss)
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
    return f"epoch {state.epoch}: cost {state.losses[-1]:.3f}, accuracy {playground_accuracy(state):.0%}"


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
        for axis in (self.loss_ax.xaxis, self.loss_ax.yaxis):
            axis.set_major_locator(MaxNLocator(5))
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
        if not state.diverged:  # (a diverged network's weights are NaN: keep its last boundary)
            # One forward pass over all grid * grid points.
            image = plots.boundary_image(plots.model_outputs(state.network, self.points), self.grid)
            # Coloured here, once per grid point: cheaper than colouring every screen pixel after resampling.
            self.artists["shading"].set_data(plots.PROBABILITY_CMAP(image, bytes=True))
            self.artists["boundary"].set_segments(plots.boundary_segments(image, self.extent))
        losses = state.losses
        self.loss_line.set_data(np.arange(len(losses)), losses)
        epochs = 10
        while epochs < len(losses) - 1:  # the epoch axis doubles when full, so its ticks rarely change
            epochs *= 2
        finite = [v for v in losses if np.isfinite(v)]
        self.loss_ax.set_xlim(0, epochs)
        self.loss_ax.set_ylim(0, max(finite) * 1.08)
        self.boundary_ax.set_title(
            f"epoch {state.epoch} · cost {losses[-1]:.3f} · accuracy {playground_accuracy(state):.0%}", fontsize=11
        )
        s = state.settings
        hidden = ",".join(map(str, s.hidden)) or "none"
        self.loss_ax.set_title(
            f"hidden layers {hidden} · {s.activation} · α = {s.learning_rate:g} · batch size {s.batch_size}",
            fontsize=10,
        )
        return self

    def still(self):
        """The loss axes' limits and title: when the curve outgrows them, everything is drawn again."""
        return self.loss_ax.get_xlim(), self.loss_ax.get_ylim(), self.loss_ax.get_title()


class TrainingPlayground(Skin):
    """Train a small network on a 2-D data set and watch its decision boundary and cost move.

    Step trains ``epochs per step`` epochs; Play does the same on every tick of the ``play``
    widget; Pause stops it; Reset starts over with the same data and initial weights. Changing
    the data set, the hidden layers or the activation starts over; the learning rate and the batch
    size change mid-run.

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
        self.play = widgets.Play(value=0, min=0, max=10**6, interval=200, description="play", show_repeat=False)
        self.step_button = widgets.Button(description="Step", icon="step-forward")
        self.pause_button = widgets.Button(description="Pause", icon="pause")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.epoch_label = widgets.HTML()
        for control in (self.dataset, self.hidden, self.activation):
            control.observe(self._on_network_setting, names="value")
        self.learning_rate.observe(self._on_rate, names="value")
        self.batch_size.observe(self._on_rate, names="value")
        self.play.observe(self._on_play, names="value")
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
        text = f"epoch <b>{state.epoch}</b> · cost {state.losses[-1]:.4f}"
        if state.diverged:
            text += f' · <span style="color:{plots.PALETTE["vermillion"]}">{state.diverged}</span>'
        self.epoch_label.value = text

    def train(self, epochs=None):
        """Train ``epochs`` epochs (by default the chosen epochs per step) and redraw."""
        train_epochs(self.state, epochs or self.epochs_per_step.value)
        if self.state.diverged:
            self.play.playing = False
        self._show(self.state)

    @errors_shown
    def _on_step(self, _button=None):
        self.train()

    @errors_shown
    def _on_play(self, change):
        # The Play widget counts steps; going back (its stop button) trains nothing.
        steps = change["new"] - change["old"]
        if steps > 0:
            self.train(steps * self.epochs_per_step.value)

    @errors_shown
    def _on_pause(self, _button=None):
        self.play.playing = False

    @errors_shown
    def _on_reset(self, _button=None):
        self.play.playing = False
        self.state = new_playground(self.state.settings)
        self.play.value = 0
        self._show(self.state)

    @errors_shown
    def _on_network_setting(self, _change=None):
        self.play.playing = False
        hidden = parse_hidden_sizes(self.hidden.value)
        self.state = change_settings(self.state, dataset=self.dataset.value, hidden=hidden,
                                     activation=self.activation.value)
        self._show(self.state)

    @errors_shown
    def _on_rate(self, _change=None):
        self.state = change_settings(self.state, learning_rate=self.learning_rate.value,
                                     batch_size=self.batch_size.value)
        self._show(self.state)


def training_explorer(
    dataset="circles",
    hidden=(8, 8),
    activation="tanh",
    learning_rates=(0.03, 0.3, 3.0),
    epochs=300,
    frames=20,
    batch_size=16,
    seed=0,
    grid=80,
    dpi=80,
):
    """A network learning a 2-D data set, for a few learning rates: the site twin of the playground.

    Frames are taken at epochs spread evenly on a log scale from 0 to ``epochs`` (early epochs change
    the most). A run that diverges stops at the frame where it did.

    Returns
    -------
    Explorer with one setting per learning rate and up to ``frames`` frames each
    """
    checkpoints = np.unique(np.round(np.geomspace(1, epochs, frames - 1)).astype(int))
    settings = []
    view = None
    for rate in learning_rates:
        state = new_playground(PlaygroundSettings(
            dataset=dataset, hidden=tuple(hidden), activation=activation, learning_rate=rate,
            batch_size=batch_size, seed=seed,
        ))
        view = view or PlaygroundView(state, grid=grid, dpi=dpi)
        pictures = [(view.update(state).png(colors=PALETTE_COLORS), playground_caption(state))]
        for epoch in checkpoints:
            train_epochs(state, int(epoch) - state.epoch)
            pictures.append((view.update(state).png(colors=PALETTE_COLORS), playground_caption(state)))
            if state.diverged:
                break
        settings.append((f"{rate:g}", pictures))
    layers = ",".join(map(str, hidden)) or "no"
    title = f"Training a {activation} network with hidden layers {layers} on {dataset}"
    return Explorer(title, settings, "learning rate α", "epoch", interval=350)
