r"""Live widgets: a neuron explorer, a gradient-descent stepper, a training playground and an activation explorer.

Each widget is built in three layers, so that everything but the last can be tested and reused
without a Jupyter kernel:

1. **State and step functions**: plain dataclasses and functions, no widgets, no figures
   (``NeuronState`` and :func:`count_correct`; ``DescentState`` and :func:`descent_step`;
   ``PlaygroundState`` and :func:`train_epochs`; ``DepthState`` and :func:`derivative_products`).
2. **Views**: a matplotlib figure drawn once, whose artists are updated from a state and rendered
   to PNG (``NeuronView``, ``DescentView``, ``PlaygroundView``, ``DepthView``). The static site's explorers
   (:mod:`mathnn.explorers`) render the same views, so the site shows exactly what the widgets show.
3. **Skins**: ipywidgets controls that call the step functions and show the view's PNG
   (:class:`NeuronExplorer`, :class:`GradientDescentStepper`, :class:`TrainingPlayground`,
   :class:`ActivationExplorer`).
   An error inside a callback is written into the widget's ``output`` area, never lost.

Examples
--------
>>> state = NeuronState(w0=1.0, w1=1.0, b=-1.5, activation="step", gate="and")
>>> count_correct(state)
4
>>> descent = descend("bowl", start=(-4.0, 1.5), learning_rate=0.25, steps=50)
>>> descent.diverged_at is not None
True
"""

import functools
import io
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import ipywidgets as widgets
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter, MaxNLocator

from mathnn import activations, data, plots
from mathnn.network import History, Network, TrainingDiverged
from mathnn.site import OnSite
from mathnn.validate import check_count, check_positive_number, lookup


def encode_png(figure, colors=None, fast=False):
    """The pixels of a drawn figure as PNG bytes.

    ``colors`` (e.g. 128) reduces them to a palette of that many colours first: files several times
    smaller and slower to make, for pictures that are stored; None keeps every colour and compresses
    lightly, for pictures shown once. ``fast`` picks the palette with an octree and compresses less
    hard: about ten times quicker and some 10% larger, which suits line drawings with few colours.
    """
    canvas = figure.canvas
    size = canvas.get_width_height(physical=True)
    image = PIL.Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    if colors:
        if fast:
            image = image.quantize(colors=colors, method=PIL.Image.Quantize.FASTOCTREE)
        else:
            image = image.quantize(colors=colors, method=PIL.Image.Quantize.MAXCOVERAGE, kmeans=1)
        palette = np.array(image.getpalette()[: 3 * colors]).reshape(-1, 3)
        palette[palette.sum(axis=1).argmax()] = 255  # the background stays pure white, not a near-white average
        image.putpalette(palette.ravel().tolist())
        image.save(buffer, format="png", **({"compress_level": 6} if fast else {"optimize": True}))
    else:
        image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class View:
    """A matplotlib figure drawn off-screen whose artists ``update`` changes to show a state.

    Drawing is the slow part of a frame, so a view draws everything once, keeps those pixels, and
    for later frames redraws only the artists listed in ``moving`` on top of them (blitting). When
    what :meth:`still` returns changes, the kept picture is out of date and everything is drawn again.
    """

    def __init__(self, size, dpi):
        self.figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)  # draw off-screen, whatever backend pyplot uses
        self.moving = []
        self._background = None
        self._still = None

    def update(self, state):
        raise NotImplementedError

    def animate(self, artists):
        """Redraw ``artists`` in every frame; they are left out of the kept background."""
        self.moving = list(artists)
        for artist in self.moving:
            artist.set_animated(True)

    def still(self):
        """What the kept background shows besides the moving artists; a change forces a full redraw."""
        return None

    def render(self, full=False):
        """Draw the frame: everything when the still parts changed (or ``full``), else the kept
        background and the moving artists. The layout is worked out on the first draw and then kept:
        constrained layout costs more than the drawing itself, and later frames have the same axes."""
        canvas = self.figure.canvas
        still = self.still()
        if full or self._background is None or still != self._still:
            canvas.draw()  # draws all but the moving (animated) artists
            self.figure.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._still = still
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            self.figure.draw_artist(artist)

    def png(self, colors=None, fast=False):
        """Draw the figure and return it as PNG bytes (see :func:`encode_png` for ``colors`` and ``fast``)."""
        self.render()
        return encode_png(self.figure, colors, fast)


# =================================================================================================
# 1. The neuron explorer: one neuron, two inputs, the logic gates
# =================================================================================================

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


# =================================================================================================
# 2. The gradient-descent stepper: one function, one learning rate, one step at a time
# =================================================================================================

DIVERGENCE_LIMIT = 1e6  # a point farther than this from the origin counts as diverged


@dataclass(frozen=True)
class Problem:
    """A function to minimise, with its gradient and a good view of it.

    ``f`` takes x (k,) for one variable, or (x0, x1) arrays of equal shape for two;
    ``gradient`` takes a point of shape (d,) and returns ∇f there, shape (d,).
    """

    title: str
    f: Callable
    gradient: Callable
    start: tuple
    x_range: tuple
    y_range: tuple | None = None
    levels: object = 15
    minimum: tuple = ()  # where the global minimum is

    @property
    def dims(self):
        """1 or 2, the number of variables."""
        return 1 if self.y_range is None else 2

    def value(self, point):
        """f at a point of shape (d,)."""
        return float(self.f(*point))


def _quartic(x):
    return x**4 - 3 * x**2 + x


def _quartic_gradient(p):
    return np.array([4 * p[0] ** 3 - 6 * p[0] + 1])


def _bowl(x0, x1):
    return 0.5 * (x0**2 + 10 * x1**2)


def _bowl_gradient(p):
    return np.array([p[0], 10 * p[1]])


def _rosenbrock(x0, x1):
    return (1 - x0) ** 2 + 5 * (x1 - x0**2) ** 2


def _rosenbrock_gradient(p):
    x0, x1 = p
    return np.array([-2 * (1 - x0) - 20 * x0 * (x1 - x0**2), 10 * (x1 - x0**2)])


PROBLEMS = {
    "quartic": Problem(
        "$f(x) = x^4 - 3x^2 + x$: a local and a global minimum", _quartic, _quartic_gradient, (2.0,), (-2.2, 2.2),
        minimum=(float(np.roots([4, 0, -6, 1]).real.min()),),  # the leftmost root of f'(x) = 4x³ - 6x + 1
    ),
    "bowl": Problem(
        r"$f(x) = \frac{1}{2}(x_0^2 + 10\,x_1^2)$: an elongated bowl", _bowl, _bowl_gradient, (-4.0, 1.5),
        (-5.0, 5.0), (-2.5, 2.5), levels=np.linspace(0, 45, 16), minimum=(0.0, 0.0),
    ),
    "rosenbrock": Problem(
        "$f(x) = (1 - x_0)^2 + 5(x_1 - x_0^2)^2$: a curved valley", _rosenbrock, _rosenbrock_gradient,
        (-1.5, 2.0), (-2.0, 2.0), (-1.0, 3.0), levels=[0, *np.geomspace(0.05, 60, 15)], minimum=(1.0, 1.0),
    ),
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
        where = ", ".join(f"{v:.3f}" for v in self.point)
        with np.errstate(over="ignore", invalid="ignore"):
            return f"step {self.step}: x = ({where}), f(x) = {problem.value(self.point):.4f}"


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


def descend(problem, start=None, learning_rate=0.05, steps=20):
    """Take ``steps`` steps (fewer if descent diverges) and return the final :class:`DescentState`."""
    state = start_descent(problem, start, learning_rate)
    for _ in range(check_count(steps, "steps", minimum=0)):
        state = descent_step(state)
        if state.diverged_at is not None:
            break
    return state


class DescentView(View):
    """A problem's curve or contours, drawn once, and the descent path on top, redrawn each step."""

    def __init__(self, state=None, size=(6.4, 4.4), dpi=90):
        super().__init__(size, dpi)
        self.ax = self.figure.add_subplot()
        self._problem = None
        self._path_artists = {}
        self.update(state or start_descent("quartic"))

    def update(self, state):
        """Redraw for ``state``: the surface only when the problem changed, the path every time."""
        problem = PROBLEMS[state.problem]
        if state.problem != self._problem:
            self.ax.clear()
            if problem.dims == 1:
                self._path_artists = plots.loss_surface_1d(self.ax, problem.f, state.path[:, 0], problem.x_range)
                self._path_artists.pop("curve")
            else:
                self._path_artists = plots.loss_surface_2d(
                    self.ax, problem.f, state.path, problem.x_range, problem.y_range, levels=problem.levels
                )
                self._path_artists.pop("filled")
                self._path_artists.pop("lines")
            self._problem = state.problem
            low = problem.minimum if problem.dims == 2 else (problem.minimum[0], problem.value(problem.minimum))
            (minimum,) = self.ax.plot(*low, "P", color="black", markersize=9, zorder=3, label="global minimum")
            self.ax.legend(handles=[self._path_artists["start"], self._path_artists["end"], minimum],
                           loc="upper center" if problem.dims == 1 else "upper right", fontsize=9)
            red = plots.PALETTE["vermillion"]
            self._warning = self.ax.text(
                0.5, 0.06, "", transform=self.ax.transAxes, ha="center", va="bottom", fontsize=11, zorder=10,
                color=red, bbox={"facecolor": "white", "edgecolor": red},
            )
        else:
            for artist in self._path_artists.values():
                if artist is not None:
                    artist.remove()
            path = state.path[:, 0] if problem.dims == 1 else state.path
            self._path_artists = plots.descent_path(self.ax, path, problem.f if problem.dims == 1 else None)
        diverged = state.diverged_at is not None
        status = f"diverged at step {state.diverged_at}" if diverged else f"step {state.step}"
        self.ax.set_title(f"{problem.title}\nlearning rate $\\alpha$ = {state.learning_rate:g} · {status}", fontsize=10)
        self._warning.set_text(state.message.replace(" — ", "\n") if diverged else "")
        return self


# =================================================================================================
# 3. The training playground: a small network learns a 2-D data set, epoch by epoch
# =================================================================================================

PLAYGROUND_DATASETS = {"xor": "quadrants", "circles": "circles", "moons": "moons", "spirals": "spirals"}
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 64


def parse_hidden_sizes(text):
    """Hidden layer sizes from text like "8,8" (two layers of 8 units); "" means no hidden layer.

    >>> parse_hidden_sizes("8, 4")
    (8, 4)
    """
    if not isinstance(text, str):
        raise TypeError(f"hidden layer sizes must be text like '8,8', but got {type(text).__name__} {text!r}.")
    pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
    sizes = []
    for piece in pieces:
        if not piece.isdigit() or int(piece) < 1:
            raise ValueError(
                f"hidden layer sizes must be whole numbers ≥ 1 separated by commas, like '8,8', "
                f"but {piece!r} in {text!r} is not."
            )
        sizes.append(int(piece))
    if len(sizes) > MAX_HIDDEN_LAYERS or any(n > MAX_UNITS for n in sizes):
        raise ValueError(
            f"the playground allows at most {MAX_HIDDEN_LAYERS} hidden layers of at most {MAX_UNITS} units, "
            f"but got {text!r}; bigger networks train too slowly to watch."
        )
    return tuple(sizes)


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


class PlaygroundView(View):
    """The decision boundary (left) and the cost per epoch (right) of a training run.

    Fast enough to animate: :meth:`PlaygroundView.update` predicts the whole boundary grid in one forward pass and
    only replaces the image's pixels, the boundary's line segments, the loss line and the titles;
    :meth:`View.render` draws the rest of the figure (axes, ticks, labels) once, keeps those pixels, and
    afterwards redraws only the artists that move (blitting), until the axes' limits change.
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
        accuracy = state.history.accuracy[-1] if state.history.accuracy else state.network.accuracy(state.X, state.Y)
        self.boundary_ax.set_title(f"epoch {state.epoch} · cost {losses[-1]:.3f} · accuracy {accuracy:.0%}",
                                   fontsize=11)
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


# =================================================================================================
# 4. The activation explorer: the chain rule's product of derivatives, layer after layer
# =================================================================================================

DEPTH_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
MAX_DEPTH = 30
DEPTH_PATHS = 2000  # random paths through the layers; the statistics are medians and percentiles over them


@dataclass(frozen=True)
class DepthState:
    r"""A path through ``depth`` layers whose pre-activations :math:`z^{[l]}` are drawn from N(0, spread²).

    ``seed`` fixes the draws: the same seed gives the same numbers for every activation, depth and
    spread (a larger spread scales the same draws), so changing one setting changes nothing else.
    """

    activation: str = "sigmoid"
    depth: int = 10
    spread: float = 1.0
    seed: int = 0


@dataclass(frozen=True)
class DepthProducts:
    r"""The products :math:`\prod_{l=1}^{L} g'(z^{[l]})` for L = 1, ..., depth, summarised over the paths.

    ReLU and leaky ReLU switch a unit off when z < 0. Along a path of units that are all on, every
    factor is exactly 1; a unit that is off cuts the path (ReLU, factor 0) or scales it by 0.01
    (leaky ReLU). Sigmoid and tanh never switch off: every path counts as on.

    Every array has ``depth`` entries, entry L - 1 for depth L.

    Attributes
    ----------
    depths : ndarray of shape (depth,)
        1, 2, ..., depth.
    median, low, high : ndarray of shape (depth,)
        The median and the 10th and 90th percentiles of the product over the paths whose units are
        all on: 1 for ReLU and leaky ReLU, whatever the depth.
    on : ndarray of shape (depth,)
        The share of paths whose units are all on: 1 for sigmoid and tanh, about :math:`2^{-L}` for
        ReLU and leaky ReLU.
    every_path : ndarray of shape (depth,)
        The median of the product over all paths: 0 for ReLU, whose typical path has a unit that is
        off, and :math:`0.01^k` for leaky ReLU when k of the path's units are off.
    bound : ndarray of shape (depth,) or None
        :math:`(1/4)^L` for the sigmoid, whose every factor is at most 1/4; None otherwise.
    """

    depths: np.ndarray
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    on: np.ndarray
    every_path: np.ndarray
    bound: np.ndarray | None


SWITCHING = ("relu", "leaky_relu")  # activations that switch a unit off for z < 0
DEPTH_TITLES = {"relu": "ReLU", "leaky_relu": "leaky ReLU"}  # names for a reader, in titles


@functools.lru_cache(maxsize=8)
def _standard_draws(seed):
    """DEPTH_PATHS × MAX_DEPTH standard normal numbers, the same for every call with this seed."""
    draws = np.random.default_rng(seed).standard_normal((DEPTH_PATHS, MAX_DEPTH))
    draws.flags.writeable = False
    return draws


def check_depth_state(state):
    """``state`` if its settings are valid, else a ValueError naming the setting and its range."""
    lookup({a: a for a in DEPTH_ACTIVATIONS}, state.activation, "activation for the depth explorer")
    depth = check_count(state.depth, "depth")
    if depth > MAX_DEPTH:
        raise ValueError(f"depth must be at most {MAX_DEPTH}, but got {depth}.")
    check_positive_number(state.spread, "spread", "Try 1.0, the spread of N(0, 1).")
    return state


def derivative_products(state):
    r"""The chain rule's product of activation derivatives along random paths through ``state.depth`` layers.

    Backpropagation through layer l multiplies by :math:`g'(z^{[l]})` (and by a weight). Along one
    path through the layers the activation contributes the product
    :math:`\prod_{l=1}^{L} g'(z^{[l]})`. The pre-activations are independent draws from
    N(0, spread²), one per layer and path.

    Returns
    -------
    DepthProducts

    Examples
    --------
    >>> sigmoid = derivative_products(DepthState("sigmoid", depth=10))
    >>> bool(sigmoid.median[-1] < 1e-5), bool(np.all(sigmoid.high <= sigmoid.bound))
    (True, True)
    >>> relu = derivative_products(DepthState("relu", depth=10))
    >>> float(relu.median[-1]), float(relu.every_path[-1]), round(float(relu.on[-1]) * 2**10, 1)
    (1.0, 0.0, 1.0)
    """
    state = check_depth_state(state)
    Z = state.spread * _standard_draws(state.seed)[:, : state.depth]  # (paths, depth): z of each path and layer
    factors = activations.get(state.activation).derivative(Z)
    every_path = np.median(np.cumprod(factors, axis=1), axis=0)
    on = Z > 0 if state.activation in SWITCHING else np.ones_like(Z, dtype=bool)
    # The layers are independent, so the product along the paths that are on all the way is
    # distributed as the product of each path's factors where it is on.
    products = np.cumprod(np.where(on, factors, 1.0), axis=1)
    low, median, high = np.percentile(products, [10, 50, 90], axis=0)
    depths = np.arange(1, state.depth + 1)
    bound = 0.25**depths if state.activation == "sigmoid" else None
    return DepthProducts(depths, median, low, high, np.cumprod(on.mean(axis=0)), every_path, bound)


def depth_caption(state, products=None):
    """One line saying what the product is at the state's depth, for a title or an explorer caption.

    >>> depth_caption(DepthState("sigmoid", depth=10))
    'sigmoid, depth 10: median product 1.1e-07, at most (1/4)^10 = 9.5e-07'
    >>> depth_caption(DepthState("relu", depth=10))
    'relu, depth 10: product 1 along units that are on, but only 0.00098 of the paths are on all the way'
    """
    products = products or derivative_products(state)
    L = state.depth
    if state.activation in SWITCHING:
        text = (
            f"{state.activation}, depth {L}: product 1 along units that are on, "
            f"but only {products.on[-1]:.2g} of the paths are on all the way"
        )
        if state.activation == "leaky_relu":
            text += f"; the median path keeps {products.every_path[-1]:.2g}"
        return text
    text = f"{state.activation}, depth {L}: median product {products.median[-1]:.2g}"
    if products.bound is not None:
        text += f", at most (1/4)^{L} = {products.bound[-1]:.2g}"
    return text


DEPTH_TICKS = 10.0 ** np.arange(-30, 1, 5)  # the product's axis is fixed, so settings compare frame by frame


class DepthView(View):
    """Left: g and g' with the spread of the pre-activations. Right: the product of g' over depth, log scale."""

    def __init__(self, state=None, size=(9.6, 3.8), dpi=80):
        super().__init__(size, dpi)
        state = check_depth_state(state or DepthState())
        self.curve_ax, self.product_ax = self.figure.subplots(1, 2, width_ratios=[1, 1.3])
        ax = self.product_ax
        ax.set_yscale("log")
        ax.set_xlim(0.5, MAX_DEPTH + 0.5)
        ax.set_ylim(DEPTH_TICKS[0] / 3, 30.0)
        ax.set_yticks(DEPTH_TICKS)
        ax.minorticks_off()
        ax.set_xlabel("depth $L$ (layers)")
        ax.set_ylabel("product of $g'$ along a path", fontsize=12)
        ax.grid(True, alpha=0.3)
        ax.axhline(1.0, color=plots.GREY, linewidth=1.0, zorder=1)
        blue = plots.PALETTE["blue"]
        self.band = None
        (self.median_line,) = ax.plot([], [], "o-", color=blue, markersize=3, linewidth=2, zorder=3)
        (self.bound_line,) = ax.plot([], [], "--", color=plots.PALETTE["vermillion"], linewidth=2,
                                     label="bound $(1/4)^L$")
        (self.on_line,) = ax.plot([], [], ":", color=plots.PALETTE["green"], linewidth=2.4,
                                  label="share of paths on all the way")
        (self.every_line,) = ax.plot([], [], "-.", color=plots.PALETTE["purple"], linewidth=1.8,
                                     label="median of all paths (off: × 0.01)")
        (self.end_dot,) = ax.plot([], [], "o", color=blue, markersize=8, zorder=4)
        ax.set_title("the chain rule's product of $g'$, layer by layer", fontsize=11)
        self.legend = None
        self._left = None
        self.update(replace(state, activation="tanh"))  # the widest tick labels (-1.0) set the layout
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")  # keep the first layout: later frames must not move the axes
        self.update(state)

    def _draw_still(self, state):
        """The parts that change only with the activation or the spread: the left picture, the legend."""
        ax = self.curve_ax
        ax.clear()
        z = np.linspace(-5.0, 5.0, 401)
        plots.activation(ax, state.activation, z)
        density = np.exp(-0.5 * (z / state.spread) ** 2)  # N(0, spread²), scaled to height 1
        where_z = ax.get_xaxis_transform()  # x in data, y as a fraction of the axes' height
        ax.fill_between(z, 0, 0.25 * density, transform=where_z, color=plots.GREY, alpha=0.3, linewidth=0,
                        label=f"where $z$ falls: $N(0, {state.spread:.2g}^2)$")
        ax.set_xlim(-5, 5)
        ax.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        ax.legend(loc="upper left", fontsize=9)
        name = DEPTH_TITLES.get(state.activation, state.activation)
        ax.set_title(f"{name}: $g$ (solid) and $g'$ (dashed)", fontsize=11)
        switching = state.activation in SWITCHING
        self.median_line.set_label("along units that are on" if switching else "median path")
        shown = [self.median_line]
        if not switching:
            shown.append(Patch(color=plots.lighten("blue", 0.7), label="10% to 90% of paths"))
        if state.activation == "sigmoid":
            shown.append(self.bound_line)
        if switching:
            shown.append(self.on_line)
        if state.activation == "leaky_relu":
            shown.append(self.every_line)
        if self.legend is not None:
            self.legend.remove()
        self.legend = self.product_ax.legend(handles=shown, loc="lower left", fontsize=9)
        self._left = (state.activation, state.spread)

    def update(self, state):
        """Show ``state``: the left picture and the legend only when the activation or spread changed."""
        products = derivative_products(state)
        if self._left != (state.activation, state.spread):
            self._draw_still(state)
        ax, L = self.product_ax, products.depths
        if self.band is not None:
            self.band.remove()
        self.band = ax.fill_between(L, products.low, products.high, color=plots.lighten("blue", 0.7), linewidth=0,
                                    zorder=2)
        self.median_line.set_data(L, products.median)
        self.end_dot.set_data(L[-1:], products.median[-1:])
        nothing = ([], [])
        self.bound_line.set_data(*((L, products.bound) if products.bound is not None else nothing))
        self.on_line.set_data(*((L, products.on) if state.activation in SWITCHING else nothing))
        self.every_line.set_data(*((L, products.every_path) if state.activation == "leaky_relu" else nothing))
        self.animate([self.band, self.median_line, self.end_dot, self.bound_line, self.on_line, self.every_line])
        return self

    def still(self):
        """The left picture and the legend, which change only with the activation or the spread."""
        return self._left


# =================================================================================================
# The skins: ipywidgets controls over the functions above
# =================================================================================================


def _errors_shown(callback):
    """Run a widget callback; if it raises, write the error into the widget's ``output`` instead of losing it."""

    @functools.wraps(callback)
    def guarded(self, *args, **kwargs):
        self.output.outputs = ()  # a new action clears the last error
        try:
            return callback(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every error must reach the reader
            self.show_error(error)

    return guarded


class _Skin(OnSite):
    """What the three widgets share: the view's picture, an output area for errors, display."""

    def __init__(self, view):
        self.view = view
        self.image = widgets.Image(format="png")  # each widget shows its first state at the end of __init__
        self.output = widgets.Output()

    def show_error(self, error):
        """Write ``error`` into the output area: the message for input mistakes, the traceback for the rest."""
        if isinstance(error, (ValueError, TypeError, TrainingDiverged)):
            text = f"{type(error).__name__}: {error}\n"
        else:
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.output.append_stderr(text)

    @property
    def error_text(self):
        """Everything written into the output area, as one string."""
        return "".join(item.get("text", "") for item in self.output.outputs)

    def _show(self, state):
        self.image.value = self.view.update(state).png()


def _slider(kind, description, value, **options):
    return kind(value=value, description=description, continuous_update=options.pop("continuous_update", False),
                style={"description_width": "initial"}, **options)


class NeuronExplorer(_Skin):
    """Sliders for w0, w1, b, a choice of activation and logic gate; shows how many points one neuron gets right.

    >>> explorer = NeuronExplorer()
    >>> explorer.b.value = -1.5
    >>> explorer.correct
    4
    """

    def __init__(self, state=None):
        state = state or NeuronState()
        super().__init__(NeuronView(state))
        self.state = state
        # Cheap to redraw: these sliders update while dragged.
        self.w0 = _slider(widgets.FloatSlider, "$w_0$", state.w0, min=-5, max=5, step=0.1, continuous_update=True)
        self.w1 = _slider(widgets.FloatSlider, "$w_1$", state.w1, min=-5, max=5, step=0.1, continuous_update=True)
        self.b = _slider(widgets.FloatSlider, "$b$", state.b, min=-5, max=5, step=0.1, continuous_update=True)
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

    @_errors_shown
    def _on_change(self, change=None):
        self.state = NeuronState(self.w0.value, self.w1.value, self.b.value, self.activation.value, self.gate.value)
        self._update_score()
        self._show(self.state)


class GradientDescentStepper(_Skin):
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

    def __init__(self, problem="quartic", learning_rate=0.05, max_steps=100):
        state = start_descent(problem, learning_rate=learning_rate)
        super().__init__(DescentView(state))
        self.state = state
        self.problem = widgets.Dropdown(
            options=[("1-D: quartic", "quartic"), ("2-D: elongated bowl", "bowl"), ("2-D: Rosenbrock", "rosenbrock")],
            value=problem, description="function",
        )
        self.learning_rate = _slider(widgets.FloatLogSlider, "learning rate α", learning_rate, base=10, min=-3,
                                     max=0, step=0.05, readout_format=".3g")
        self.start_x0 = _slider(widgets.FloatSlider, "start $x_0$", 0.0, step=0.1)
        self.start_x1 = _slider(widgets.FloatSlider, "start $x_1$", 0.0, step=0.1)
        self.play = widgets.Play(value=0, min=0, max=max_steps, interval=300, description="play", show_repeat=False)
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
        problem = PROBLEMS[name]
        ranges = [problem.x_range, problem.y_range]
        self._quiet = True  # moving the sliders here must not restart the descent twice
        for slider, value, bounds in zip((self.start_x0, self.start_x1), (*problem.start, 0.0), ranges):
            bounds = bounds or (-1.0, 1.0)
            slider.min, slider.max = -1e9, 1e9
            slider.value = value
            slider.min, slider.max = bounds
        self.start_x1.disabled = problem.dims == 1
        self._quiet = False

    def _start(self):
        dims = PROBLEMS[self.problem.value].dims
        start = (self.start_x0.value, self.start_x1.value)[:dims]
        return start_descent(self.problem.value, start, self.learning_rate.value)

    def _show(self, state):
        super()._show(state)
        color = plots.PALETTE["vermillion"] if state.diverged_at is not None else "black"
        self.status.value = f'<span style="color:{color}">{state.message}</span>'

    def go_to(self, steps):
        """Show the descent after ``steps`` steps (from the start, if that means going back)."""
        if steps < self.state.step:
            self.state = self._start()
        while self.state.step < steps and self.state.diverged_at is None:
            self.state = descent_step(self.state)
        if self.state.diverged_at is not None:
            self.play.playing = False
        self._show(self.state)

    @_errors_shown
    def _on_play(self, change):
        self.go_to(change["new"])

    @_errors_shown
    def _on_step(self, _button=None):
        if self.play.value < self.play.max:
            self.play.value += 1  # _on_play takes the step
        else:
            self.play.max += 1
            self.play.value += 1

    @_errors_shown
    def _on_reset(self, _button=None):
        self.play.playing = False
        self.state = self._start()
        self.play.value = 0
        self._show(self.state)

    @_errors_shown
    def _on_problem(self, change):
        self._set_start_sliders(change["new"])
        self._on_reset()

    @_errors_shown
    def _on_setting(self, change):
        if not self._quiet:
            self._on_reset()


class TrainingPlayground(_Skin):
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
        state = new_playground(settings)
        super().__init__(PlaygroundView(state, grid=grid))
        self.state = state
        s = state.settings
        self.dataset = widgets.Dropdown(options=list(PLAYGROUND_DATASETS), value=s.dataset, description="data")
        self.hidden = widgets.Text(value=",".join(map(str, s.hidden)), description="hidden layers",
                                   continuous_update=False, placeholder="e.g. 8,8",
                                   style={"description_width": "initial"})
        self.activation = widgets.Dropdown(options=PLAYGROUND_ACTIVATIONS, value=s.activation, description="activation")
        self.learning_rate = _slider(widgets.FloatLogSlider, "learning rate α", s.learning_rate, base=10, min=-3,
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

    @_errors_shown
    def _on_step(self, _button=None):
        self.train()

    @_errors_shown
    def _on_play(self, change):
        # The Play widget counts steps; going back (its stop button) trains nothing.
        steps = change["new"] - change["old"]
        if steps > 0:
            self.train(steps * self.epochs_per_step.value)

    @_errors_shown
    def _on_pause(self, _button=None):
        self.play.playing = False

    @_errors_shown
    def _on_reset(self, _button=None):
        self.play.playing = False
        self.state = new_playground(self.state.settings)
        self.play.value = 0
        self._show(self.state)

    @_errors_shown
    def _on_network_setting(self, _change=None):
        self.play.playing = False
        hidden = parse_hidden_sizes(self.hidden.value)
        self.state = change_settings(self.state, dataset=self.dataset.value, hidden=hidden,
                                     activation=self.activation.value)
        self._show(self.state)

    @_errors_shown
    def _on_rate(self, _change=None):
        self.state = change_settings(self.state, learning_rate=self.learning_rate.value,
                                     batch_size=self.batch_size.value)
        self._show(self.state)


class ActivationExplorer(_Skin):
    """Pick an activation, a depth and a spread; watch the chain rule's product of g' shrink or survive.

    The left picture shows g, g' and where the pre-activations z fall; the right one the product
    :math:`\\prod_{l=1}^{L} g'(z^{[l]})` along random paths for every depth up to L (see
    :func:`derivative_products`).

    >>> explorer = ActivationExplorer()
    >>> explorer.depth.value = 20
    >>> explorer.state.depth, "depth 20" in explorer.summary.value
    (20, True)
    """

    def __init__(self, state=None):
        state = check_depth_state(state or DepthState())
        super().__init__(DepthView(state))
        self.state = state
        self.activation = widgets.Dropdown(options=DEPTH_ACTIVATIONS, value=state.activation, description="g")
        self.depth = _slider(widgets.IntSlider, "depth $L$", state.depth, min=1, max=MAX_DEPTH,
                             continuous_update=True)
        self.spread = _slider(widgets.FloatSlider, "spread of $z$", state.spread, min=0.1, max=5.0, step=0.1)
        self.summary = widgets.HTML()
        for control in (self.activation, self.depth, self.spread):
            control.observe(self._on_change, names="value")
        self._show(self.state)
        self.widget = widgets.VBox([
            widgets.HBox([self.activation, self.depth, self.spread]), self.summary, self.image, self.output,
        ])

    @property
    def products(self):
        """The :class:`DepthProducts` now shown."""
        return derivative_products(self.state)

    def _show(self, state):
        super()._show(state)
        self.summary.value = depth_caption(state)

    @_errors_shown
    def _on_change(self, change=None):
        self.state = check_depth_state(
            DepthState(self.activation.value, int(self.depth.value), float(self.spread.value), self.state.seed)
        )
        self._show(self.state)
