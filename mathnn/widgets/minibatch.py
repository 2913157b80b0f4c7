r"""The mini-batch explorer: the noisy path of SGD against the smooth path of full-batch descent (chapter 6).

One linear unit :math:`\hat y = w x + b` with the mean squared error on m = 100 points of a line,
the data of chapter 6's linear unit (``line_data``). Its cost is a quadratic bowl in (w, b),

.. math::
    C(w, b) = \frac1m \sum_i (w x_i + b - y_i)^2, \qquad
    \frac{\partial C_{\mathcal B}}{\partial w} = \frac{2}{B} \sum_{i \in \mathcal B} (w x_i + b - y_i)\, x_i, \quad
    \frac{\partial C_{\mathcal B}}{\partial b} = \frac{2}{B} \sum_{i \in \mathcal B} (w x_i + b - y_i),

so the page can draw its contours and take every mini-batch step itself. Both runs start at the same
point with the same learning rate α and run the same number of *epochs* (the same work: each example
is seen once per epoch): full-batch gradient descent takes one step per epoch, mini-batch SGD
⌈m/B⌉, on batches cut from a fresh shuffle every epoch by :func:`mathnn.optim.batches` with one
seeded generator, exactly as :meth:`mathnn.network.Network.fit` cuts them. The twin replays the
shuffles :func:`epoch_orders` ships to it.

The pure functions (:func:`line_data`, :func:`epoch_orders`, :func:`minibatch_run`,
:func:`minibatch_caption`), the view (:class:`MinibatchView`), the live widget
(:class:`MinibatchExplorer`) and its site twin computed in the page (:func:`minibatch_twin`, whose
script is ``minibatch.js``), side by side.

Examples
--------
>>> run = minibatch_run(batch_size=4, learning_rate=0.1, seed=0, epochs=5)
>>> run.steps_per_epoch, len(run.sgd_path), len(run.gd_path)
(25, 126, 6)
>>> bool(run.sgd_cost[-1] < run.gd_cost[-1])  # per epoch, the many small steps get further
True
"""

import math
from typing import NamedTuple

import numpy as np

from mathnn import optim, plots
from mathnn.validate import check_count, check_positive_number, check_seed
from mathnn.widgets._canvas import (
    DPI,
    caption_html,
    figure_json,
    fixed,
    legend,
    place_axes,
    range_html,
    script_text,
    ticks,
    twin_html,
)
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider
from mathnn.widgets.descent import number_text
from mathnn.widgets.descent_site import contour_bands

M, DATA_SEED = 100, 6  # chapter 6's linear unit: 100 points of y = 2x - 1 + noise, seed 6
BATCH_SIZES = (1, 2, 4, 8, 16, 32, M)
SEEDS = (0, 1, 2, 3, 4)  # the shuffles the site twin carries
EPOCHS = 30
START = (-1.0, 3.0)  # (w, b): up the long side of the valley
RATE_RANGE, RATE_STEP = (0.01, 0.5), 0.01  # full batch is stable below 2/λ_max ≈ 0.383
INTERVAL = 200  # milliseconds per epoch when playing
DIVERGENCE_LIMIT = 1e6  # a run whose |w| or |b| passes this has diverged
W_RANGE, B_RANGE = (-1.5, 3.5), (-3.0, 3.5)
SGD_COLOR, GD_COLOR = plots.PALETTE["vermillion"], plots.PALETTE["black"]


def line_data(m=M, seed=DATA_SEED):
    """Chapter 6's line: x ~ N(1, 1), y = 2x − 1 + N(0, 0.3²) noise.

    Returns
    -------
    X, Y : ndarray of shape (1, m), examples as columns
    """
    rng = check_seed(seed)
    X = rng.normal(1.0, 1.0, (1, check_count(m, "m", minimum=2)))
    return X, 2.0 * X - 1.0 + rng.normal(0.0, 0.3, X.shape)


X_DATA, Y_DATA = line_data()


def cost(w, b, X=X_DATA, Y=Y_DATA):
    """:func:`mathnn.losses.mse` of ŷ = w x + b, for arrays ``w``, ``b`` of any equal shape (one cost each)."""
    w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.mean((w[..., None] * X[0] + b[..., None] - Y[0]) ** 2, axis=-1)


def least_squares(X=X_DATA, Y=Y_DATA):
    """The minimum of the cost: (w, b) of the least-squares line, and its cost."""
    A = np.vstack([X[0], np.ones(X.shape[1])]).T
    w, b = np.linalg.lstsq(A, Y[0], rcond=None)[0]
    return float(w), float(b), float(cost(w, b, X, Y))


LEAST_SQUARES = least_squares()


def epoch_orders(seed, epochs=EPOCHS, m=M):
    """The order of the examples in each epoch, as ``optim.batches`` draws it from one generator seeded ``seed``.

    ``optim.batches(m, B, rng)`` takes one permutation of the m examples per epoch, whatever B, and
    cuts it into consecutive batches of B; so these orders, cut, are the batches of every batch size.

    Returns
    -------
    ndarray of int of shape (epochs, m)
    """
    rng = check_seed(seed)
    return np.array([next(optim.batches(m, m, rng)) for _ in range(epochs)])


def check_batch_size(batch_size, m=M):
    """``batch_size`` as an int from 1 to m, or an error saying what came instead."""
    return check_count(batch_size, "batch_size", minimum=1, maximum=m, fix=f"A batch holds 1 to m = {m} examples.")


class Run(NamedTuple):
    """Both descents from ``START``: step t of SGD is row t of ``sgd_path``, epoch e of full batch row e of ``gd_path``.

    A run that diverges stops at the step where ``|w|`` or ``|b|`` passed ``DIVERGENCE_LIMIT`` (or became NaN).
    """

    batch_size: int
    learning_rate: float
    seed: int
    epochs: int
    steps_per_epoch: int
    sgd_path: np.ndarray  # shape (steps + 1, 2): (w, b) after each step
    sgd_cost: np.ndarray  # shape (steps + 1,): C on all m examples
    sgd_diverged_at: int | None
    gd_path: np.ndarray  # shape (epochs + 1, 2)
    gd_cost: np.ndarray
    gd_diverged_at: int | None


def _descend(theta, learning_rate, batches, X, Y):
    """(w, b) after each mini-batch step, and the step at which the run diverged (or None).

    Each step is ``Network([Dense(1, 1, "linear")], loss="mse").train_step`` on the batch, written out:
    Z = w X_B + b (layers.dense_forward); dZ = 2 (Z − Y_B) / B (losses.mse_gradient, g' = 1);
    dW = dZ X_Bᵀ, db = Σ dZ (layers.dense_backward); θ ← θ − α dθ (optim.SGD.step).
    """
    w, b = theta
    path = [(w, b)]
    with np.errstate(over="ignore", invalid="ignore"):
        for columns in batches:
            X_B, Y_B = X[:, columns], Y[:, columns]
            dZ = 2.0 * (w * X_B + b - Y_B) / X_B.shape[1]
            w, b = w - learning_rate * float((dZ @ X_B.T)[0, 0]), b - learning_rate * float(dZ.sum())
            path.append((w, b))
            if not (math.isfinite(w) and math.isfinite(b)) or max(abs(w), abs(b)) > DIVERGENCE_LIMIT:
                return np.array(path), len(path) - 1
    return np.array(path), None


def minibatch_run(batch_size=4, learning_rate=0.1, seed=0, epochs=EPOCHS, start=START):
    """Mini-batch SGD with batches of ``batch_size`` and full-batch descent, both from ``start`` with rate α.

    Parameters
    ----------
    batch_size : int from 1 to m
    learning_rate : float > 0
    seed : int >= 0, the shuffles of SGD's epochs
    epochs : int from 0 to EPOCHS
    start : (w, b)

    Returns
    -------
    Run
    """
    batch_size = check_batch_size(batch_size)
    rate = check_positive_number(learning_rate, "learning_rate", "The explorer's slider runs from 0.01 to 0.5.")
    check_seed(seed)
    epochs = check_count(epochs, "epochs", minimum=0, maximum=EPOCHS, fix=f"The explorer runs 0 to {EPOCHS} epochs.")
    m = X_DATA.shape[1]
    rng = check_seed(seed)
    sgd_batches = (columns for _ in range(epochs) for columns in optim.batches(m, batch_size, rng))
    sgd, sgd_diverged = _descend(start, rate, sgd_batches, X_DATA, Y_DATA)
    gd, gd_diverged = _descend(start, rate, (np.arange(m) for _ in range(epochs)), X_DATA, Y_DATA)
    return Run(batch_size, rate, int(seed), epochs, -(-m // batch_size), sgd, cost(sgd[:, 0], sgd[:, 1]),
               sgd_diverged, gd, cost(gd[:, 0], gd[:, 1]), gd_diverged)


class MinibatchState(NamedTuple):
    """The run the widget shows, and the epoch it has reached."""

    run: Run
    epoch: int


def shown_step(run, epoch):
    """The last SGD step taken by the end of ``epoch``, and whether the run diverged by then."""
    step = epoch * run.steps_per_epoch
    if run.sgd_diverged_at is not None and step >= run.sgd_diverged_at:
        return run.sgd_diverged_at, True
    return step, False


def _line(name, steps, point, value, diverged_at, fix):
    if diverged_at is not None:
        return (f"{name}: diverged at step {diverged_at}: |w| or |b| grew past 1e{math.log10(DIVERGENCE_LIMIT):.0f} — "
                f"try {fix}")
    return f"{name}: {steps} steps, w = {fixed(point[0], 3)}, b = {fixed(point[1], 3)}, cost C = {number_text(value)}"


def minibatch_caption(state):
    """The numbers under the picture, four lines (the site twin writes the same text)."""
    r, e = state.run, state.epoch
    step, sgd_over = shown_step(r, e)
    gd_over = r.gd_diverged_at is not None and e >= r.gd_diverged_at
    g = min(e, len(r.gd_path) - 1)
    w, b, c = LEAST_SQUARES
    return "\n".join([
        f"epoch {e} of {r.epochs}, the same for both; learning rate α = {fixed(r.learning_rate, 2)}; "
        f"shuffle seed {r.seed}",
        _line(f"mini-batch SGD, B = {r.batch_size} ({r.steps_per_epoch} steps per epoch)", step, r.sgd_path[step],
              r.sgd_cost[step], r.sgd_diverged_at if sgd_over else None, "a smaller learning rate or a larger batch"),
        _line(f"full batch, B = {M} (1 step per epoch)", g, r.gd_path[g], r.gd_cost[g],
              r.gd_diverged_at if gd_over else None, "a smaller learning rate"),
        f"least squares: w = {fixed(w, 3)}, b = {fixed(b, 3)}, cost C = {number_text(c)}",
    ])


# --- the picture: specs shared by the matplotlib view and the canvas of the site twin ------------

SIZE = (760, 330)  # pixels
COST_TICKS = (0.1, 1.0, 10.0)  # the cost axis is logarithmic: its ticks sit at log10 of these
COST_LIMITS = (0.06, 40.0)


def contour_levels():
    """The cost's contour levels: the least-squares cost, then 14 more spaced geometrically above it."""
    low = LEAST_SQUARES[2]
    return [low, *(low + np.geomspace(0.02, 50.0, 14)).tolist()]


def panel_specs():
    """The two panels: the cost over (w, b) with both paths, and the cost after each step (log axis)."""
    w_ticks, w_labels = ticks(-1.0, 3.0, 1.0, 0)
    b_ticks, b_labels = ticks(-3.0, 3.0, 1.0, 0)
    e_ticks, e_labels = ticks(0.0, EPOCHS, 10.0, 0)
    return [
        {"box": [62, 34, 410, 238], "xlim": list(W_RANGE), "ylim": list(B_RANGE), "xticks": w_ticks,
         "xticklabels": w_labels, "yticks": b_ticks, "yticklabels": b_labels, "xlabel": "weight w",
         "ylabel": "bias b", "title": "the cost C(w, b) of ŷ = w x + b: two descents"},
        {"box": [552, 34, 192, 238], "xlim": [-0.02 * EPOCHS, 1.02 * EPOCHS], "xticks": e_ticks,
         "xticklabels": e_labels, "ylim": [math.log10(v) for v in COST_LIMITS],
         "yticks": [math.log10(v) for v in COST_TICKS], "yticklabels": ["0.1", "1", "10"], "xlabel": "epoch",
         "ylabel": "cost C (log axis)", "title": "cost after each step"},
    ]


def legend_items(batch_size):
    return [{"label": f"mini-batch SGD, B = {batch_size}", "color": SGD_COLOR},
            {"label": f"full batch, B = {M}", "color": GD_COLOR}]


def log_cost(values):
    """log10 of the costs, for the cost panel; a diverged cost is drawn off the top."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return np.log10(np.where(np.isfinite(values), values, 1e300))


class MinibatchView(View):
    """Left, the cost's contours with both paths up to the epoch reached; right, the cost after each step."""

    def __init__(self, state=None, dpi=DPI):
        state = state or MinibatchState(minibatch_run(), EPOCHS)
        super().__init__((SIZE[0] / dpi, SIZE[1] / dpi), dpi)
        self.figure.set_layout_engine("none")
        self.axes = left, right = [place_axes(self.figure, spec, SIZE) for spec in panel_specs()]
        grid_w, grid_b = np.meshgrid(np.linspace(*W_RANGE, 161), np.linspace(*B_RANGE, 161))
        surface = cost(grid_w, grid_b)
        filled = left.contourf(grid_w, grid_b, surface, levels=contour_levels(), cmap="Blues_r", alpha=0.55,
                               extend="max", zorder=0)
        left.contour(grid_w, grid_b, surface, levels=filled.levels, colors=plots.PALETTE["blue"], linewidths=0.6,
                     alpha=0.7, zorder=1)
        left.grid(False)
        w, b, c = LEAST_SQUARES
        left.plot(w, b, "P", color="black", markeredgecolor="white", markersize=9, zorder=8)
        left.plot(*START, "o", color="white", markeredgecolor="black", markersize=9, zorder=6)
        right.axhline(math.log10(c), color=plots.GREY, linewidth=1, linestyle=(0, (3, 3)), zorder=1)
        self.sgd = left.plot([], [], color=SGD_COLOR, linewidth=1.0, zorder=3)[0]
        self.gd = left.plot([], [], "o-", color=GD_COLOR, linewidth=1.4, markersize=3, zorder=4)[0]
        self.ends = [left.plot([], [], "o", color=color, markeredgecolor="black", markersize=7, zorder=7)[0]
                     for color in (SGD_COLOR, GD_COLOR)]
        self.sgd_cost = right.plot([], [], color=SGD_COLOR, linewidth=1.0)[0]
        self.gd_cost = right.plot([], [], "o-", color=GD_COLOR, linewidth=1.4, markersize=3)[0]
        self.animate([self.sgd, self.gd, *self.ends, self.sgd_cost, self.gd_cost])
        self._batch_size = None
        self.update(state)

    def still(self):
        """The legend names the batch size."""
        return self._batch_size

    def update(self, state):
        """Show both paths up to ``state.epoch``."""
        r = state.run
        if r.batch_size != self._batch_size:
            self._batch_size = r.batch_size
            legend(self.axes[0], [self.sgd, self.gd], "upper right")
            for text, item in zip(self.axes[0].get_legend().get_texts(), legend_items(r.batch_size)):
                text.set_text(item["label"])
        step, _ = shown_step(r, state.epoch)
        g = min(state.epoch, len(r.gd_path) - 1)
        self.sgd.set_data(r.sgd_path[: step + 1, 0], r.sgd_path[: step + 1, 1])
        self.gd.set_data(r.gd_path[: g + 1, 0], r.gd_path[: g + 1, 1])
        for end, point in zip(self.ends, (r.sgd_path[step], r.gd_path[g])):
            end.set_data([point[0]], [point[1]])
        self.sgd_cost.set_data(np.arange(step + 1) / r.steps_per_epoch, log_cost(r.sgd_cost[: step + 1]))
        self.gd_cost.set_data(np.arange(g + 1), log_cost(r.gd_cost[: g + 1]))
        return self


# --- the live widget ----------------------------------------------------------------------------


class MinibatchExplorer(Skin):
    """Batch size, learning rate and shuffle seed, and an epoch counter with Step, Play and Reset.

    >>> explorer = MinibatchExplorer()
    >>> explorer.reset_button.click()
    >>> explorer.step_button.click()
    >>> explorer.state.epoch, explorer.state.run.steps_per_epoch
    (1, 25)
    """

    def __init__(self, batch_size=4, learning_rate=0.1, seed=0, epoch=EPOCHS):
        state = MinibatchState(minibatch_run(batch_size, learning_rate, seed), self._check_epoch(epoch))
        super().__init__(MinibatchView(state))
        widgets = ipywidgets()
        self.state = state
        self.batch_size = widgets.SelectionSlider(options=BATCH_SIZES, value=state.run.batch_size,
                                                  description="batch size B", style={"description_width": "initial"})
        self.learning_rate = slider("FloatSlider", "learning rate α", state.run.learning_rate, min=RATE_RANGE[0],
                                    max=RATE_RANGE[1], step=RATE_STEP, readout_format=".2f")
        self.seed = widgets.Dropdown(options=SEEDS, value=state.run.seed, description="shuffle seed",
                                     style={"description_width": "initial"}, layout=widgets.Layout(width="160px"))
        player = self._epoch_player(state.epoch, EPOCHS, INTERVAL)
        self.caption = widgets.HTML()
        for control in (self.batch_size, self.learning_rate, self.seed):
            control.observe(self._on_setting, names="value")
        self._show(state)
        settings = widgets.HBox([self.batch_size, self.learning_rate, self.seed])
        self.widget = widgets.VBox([settings, player, self.image, self.caption, self.output])

    @staticmethod
    def _check_epoch(epoch):
        return check_count(epoch, "epoch", minimum=0, maximum=EPOCHS, fix=f"The explorer runs 0 to {EPOCHS} epochs.")

    def _show(self, state):
        super()._show(state)
        self.caption.value = caption_html(minibatch_caption(state))

    @errors_shown
    def _on_setting(self, change=None):
        run = minibatch_run(self.batch_size.value, self.learning_rate.value, self.seed.value)
        self.state = MinibatchState(run, self.state.epoch)
        self._show(self.state)

    @errors_shown
    def _on_epoch(self, change):
        self.state = MinibatchState(self.state.run, self._check_epoch(change["new"]))
        self._show(self.state)


# --- the site twin, computed in the page -------------------------------------------------------

_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID output { font-variant-numeric: tabular-nums; min-width: 2.4em; display: inline-block; }
"""


def twin_data(seeds=SEEDS):
    """What the twin's script computes from: the m points, and each seed's epoch orders as one string of
    two-digit example numbers per seed (epoch after epoch; m ≤ 100 fits two digits)."""
    if X_DATA.shape[1] > 100:  # pragma: no cover - M is a constant
        raise ValueError("two digits per example number hold m <= 100.")
    orders = {str(s): "".join(f"{i:02d}" for i in epoch_orders(s).ravel()) for s in seeds}
    return {"x": X_DATA[0].tolist(), "y": Y_DATA[0].tolist(), "orders": orders}


def minibatch_twin(batch_size=4, learning_rate=0.1, seed=0, epoch=EPOCHS):
    """The mini-batch explorer for the website: the same controls, every step computed and drawn in the page.

    The page holds the 100 points and the shuffles of ``SEEDS`` (what :func:`epoch_orders` draws), and
    replays :func:`minibatch_run` from them. Its outer element (class ``mathnn-minibatch``) has
    ``mathnnState()``, the current epoch and the whole run (the fields of :class:`Run`, the paths as
    lists of [w, b]), for tests.

    Returns
    -------
    KernelFree
    """
    if seed not in SEEDS:
        raise ValueError(f"the site twin carries the shuffles of the seeds {SEEDS}, but got seed {seed!r}.")
    state = MinibatchState(minibatch_run(batch_size, learning_rate, seed), MinibatchExplorer._check_epoch(epoch))
    r = state.run
    levels = contour_levels()
    spec = figure_json(
        SIZE, panel_specs(), data=twin_data(), batch_sizes=BATCH_SIZES, epochs=EPOCHS, start=START,
        interval=INTERVAL, limit=DIVERGENCE_LIMIT, limit_text=f"1e{math.log10(DIVERGENCE_LIMIT):.0f}",
        levels=levels, bands=contour_bands(levels), least_squares=LEAST_SQUARES, sgd=SGD_COLOR, gd=GD_COLOR,
        m=M,
    )

    def body(element_id):
        seeds = "".join(f'<option value="{s}"{" selected" if s == r.seed else ""}>{s}</option>' for s in SEEDS)
        sizes = range_html(element_id, "batch", "batch size B", BATCH_SIZES.index(r.batch_size),
                           (0, len(BATCH_SIZES) - 1), 1, 0)
        sizes = sizes.replace(f">{BATCH_SIZES.index(r.batch_size)}</output>", f">{r.batch_size}</output>")
        return [
            '<div class="mx-controls">',
            sizes,
            range_html(element_id, "rate", "learning rate α", r.learning_rate, RATE_RANGE, RATE_STEP, 2),
            f'<label>shuffle seed <select id="{element_id}-seed">{seeds}</select></label>',
            "</div>",
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-step">Step</button>',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            range_html(element_id, "epoch", "epoch", state.epoch, (0, EPOCHS), 1, 0).replace(
                "<label>", '<label class="mx-scrub">'),
            "</div>",
            *twin_html(element_id, SIZE, "Mini-batch SGD and full-batch descent on one cost. ",
                       minibatch_caption(state), spec, script_text("minibatch.js")),
        ]

    title = "Mini-batch SGD against full-batch descent: one cost, one α, the same epochs"
    payload = repr(("minibatch", r.batch_size, r.learning_rate, r.seed, state.epoch)).encode()
    return KernelFree("minibatch", title, payload, body, css=_CSS)
