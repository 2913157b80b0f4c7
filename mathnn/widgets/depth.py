r"""The activation explorer: the chain rule's product of derivatives, layer after layer (chapter 3).

State and pure functions (:class:`DepthState`, :func:`derivative_products`, :func:`depth_caption`),
the view (:class:`DepthView`), the live widget (:class:`ActivationExplorer`) and its site twin
(:func:`activation_depth_explorer`), side by side.

Examples
--------
>>> products = derivative_products(DepthState("sigmoid", depth=10))
>>> bool(products.median[-1] < 1e-5)
True
"""

import functools
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter

from mathnn import activations, plots
from mathnn.validate import check_count, check_positive_number, lookup
from mathnn.widgets._explorer import Explorer
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider

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


class ActivationExplorer(Skin):
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
        widgets = ipywidgets()
        state = check_depth_state(state or DepthState())
        super().__init__(DepthView(state))
        self.state = state
        self.activation = widgets.Dropdown(options=DEPTH_ACTIVATIONS, value=state.activation, description="g")
        self.depth = slider("IntSlider", "depth $L$", state.depth, min=1, max=MAX_DEPTH,
                             continuous_update=True)
        self.spread = slider("FloatSlider", "spread of $z$", state.spread, min=0.1, max=5.0, step=0.1)
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

    @errors_shown
    def _on_change(self, change=None):
        self.state = check_depth_state(
            DepthState(self.activation.value, int(self.depth.value), float(self.spread.value), self.state.seed)
        )
        self._show(self.state)


EXPLORER_DEPTHS = (1, 2, 3, 5, 8, 10, 15, 20, 30)


def activation_depth_explorer(names=DEPTH_ACTIVATIONS, depths=EXPLORER_DEPTHS, spread=1.0, seed=0, dpi=72):
    r"""The chain rule's product :math:`\prod_{l=1}^{L} g'(z^{[l]})` growing with the depth L, per activation.

    Frame k shows the products up to depth ``depths[k]`` (see :func:`derivative_products`),
    with pre-activations drawn from N(0, spread²): the site twin of the activation explorer. The page
    opens at depth 10 (if it is one of ``depths``), where the picture already tells the story.

    Returns
    -------
    Explorer with one setting per activation and one frame per depth
    """
    view = DepthView(DepthState(names[0], depths[0], spread, seed), dpi=dpi)
    settings = []
    for name in names:
        pictures = []
        for depth in depths:
            state = DepthState(name, depth, spread, seed)
            png = view.update(state).png(colors=64, fast=True)
            pictures.append((png, depth_caption(state)))
        settings.append((name, pictures))
    title = "The product of g′ along a path through L layers, with z drawn from N(0, 1)"
    if spread != 1.0:
        title = title.replace("N(0, 1)", f"N(0, {spread:g}²)")
    start = depths.index(10) if 10 in depths else 0
    return Explorer(title, settings, "activation g", "depth L", interval=500, start=start)
