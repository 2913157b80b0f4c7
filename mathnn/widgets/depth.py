r"""The activation explorer: the chain rule's product of derivatives, layer after layer (chapter 3).

State and pure functions (:class:`DepthState`, :func:`derivative_products`, :func:`depth_caption`),
the view (:class:`DepthView`), the live widget (:class:`ActivationExplorer`) and its site twin
(:func:`activation_depth_explorer`, drawn in the page), side by side.

Examples
--------
>>> products = derivative_products(DepthState("sigmoid", depth=10))
>>> bool(products.median[-1] < 1e-5)
True
"""

import base64
import functools
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter

from mathnn import activations, plots
from mathnn.validate import check_count, check_positive_number, lookup
from mathnn.widgets._canvas import figure_json, fixed, range_html, script_text, twin_html
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, slider

DEPTH_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
MAX_DEPTH = 30
SPREAD_RANGE, SPREAD_STEP = (0.1, 5.0), 0.1  # the spread slider, live and on the site
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
        off, and :math:`0.01^k` for leaky ReLU when k of the path's units are off (about L/2 of them).
    mean : ndarray of shape (depth,)
        The mean of the product over all paths, :math:`\prod_{l=1}^{L} \mathrm{E}[g'(z^{[l]})]` (the layers
        are independent), each layer's mean taken over the paths: what a gradient, a sum over many
        paths, feels. For ReLU it is the share of paths that are on all the way; for leaky ReLU about
        :math:`0.505^L`, far above its median path.
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
    mean: np.ndarray


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
    # Every depth is computed up to MAX_DEPTH and cut: depth L's numbers are, to the last bit, the first L
    # of any deeper setting's (the site twin ships the deepest ones).
    Z = state.spread * _standard_draws(state.seed)  # (paths, MAX_DEPTH): z of each path and layer
    factors = activations.get(state.activation).derivative(Z)
    every_path = np.median(np.cumprod(factors, axis=1), axis=0)
    on = Z > 0 if state.activation in SWITCHING else np.ones_like(Z, dtype=bool)
    # The layers are independent, so the product along the paths that are on all the way is
    # distributed as the product of each path's factors where it is on.
    products = np.cumprod(np.where(on, factors, 1.0), axis=1)
    low, median, high = np.percentile(products, [10, 50, 90], axis=0)
    mean = np.cumprod(factors.mean(axis=0))
    L = state.depth
    depths = np.arange(1, L + 1)
    bound = 0.25**depths if state.activation == "sigmoid" else None
    return DepthProducts(depths, median[:L], low[:L], high[:L], np.cumprod(on.mean(axis=0))[:L], every_path[:L],
                         bound, mean[:L])


def significant(value, digits=2):
    """``value`` with ``digits`` significant digits, written as Python's ``format(value, ".2g")`` writes it.

    Halves round away from zero (``format`` rounds them to even), as JavaScript's ``toExponential`` does:
    the site twin writes the same text with its function of the same name.

    >>> significant(1.1e-07), significant(0.0625), significant(0.00098), significant(1.0), significant(12.5)
    ('1.1e-07', '0.063', '0.00098', '1', '13')
    """
    if value == 0:
        return "0"
    exact = Decimal(abs(float(value)))
    exponent = exact.adjusted()
    mantissa = exact.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - digits), rounding=ROUND_HALF_UP)
    if mantissa >= 10:  # 9.96 rounds up to 10
        exponent += 1
        mantissa = exact.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - digits), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    if exponent < -4 or exponent >= digits:
        return f"{sign}{_strip(str(mantissa))}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return sign + _strip(f"{mantissa.scaleb(exponent):f}")


def _strip(text):
    """Trailing zeros of a decimal fraction dropped, and then a trailing point."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def depth_caption(state, products=None):
    """One line saying what the product is at the state's depth, for a title or an explorer caption.

    >>> depth_caption(DepthState("sigmoid", depth=10))
    'sigmoid, depth 10, spread 1.0: median product 1.1e-07, at most (1/4)^10 = 9.5e-07; mean over all paths 1.4e-07'
    >>> depth_caption(DepthState("relu", depth=10))
    'relu, depth 10, any spread: product 1 along units that are on, but only 0.00098 of the paths are on \
all the way, and that share is the mean product over all paths'
    """
    products = products or derivative_products(state)
    L, s = state.depth, significant
    if state.activation == "relu":
        return (
            f"relu, depth {L}, any spread: product 1 along units that are on, but only {s(products.on[-1])} of "
            "the paths are on all the way, and that share is the mean product over all paths"
        )
    if state.activation == "leaky_relu":
        return (
            f"leaky_relu, depth {L}, any spread: product 1 along units that are on; the median path has about "
            f"half its units off, each × 0.01, and keeps {s(products.every_path[-1])}, but the mean over all "
            f"paths, which a gradient's sum over paths feels, is {s(products.mean[-1])}"
        )
    text = f"{state.activation}, depth {L}, spread {fixed(state.spread, 1)}: median product {s(products.median[-1])}"
    if products.bound is not None:
        text += f", at most (1/4)^{L} = {s(products.bound[-1])}"
    return text + f"; mean over all paths {s(products.mean[-1])}"


DEPTH_TICKS = 10.0 ** np.arange(-30, 1, 5)  # the product's axis is fixed, so settings compare frame by frame
LEFT_YLIM = {"sigmoid": (-0.1, 1.1), "tanh": (-1.15, 1.15), "relu": (-0.5, 5.25), "leaky_relu": (-0.5, 5.25)}
MEAN_LABELS = {"relu": "mean over all paths (= share on all the way)"}


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
        (self.mean_line,) = ax.plot([], [], ":", color=plots.PALETTE["green"], linewidth=2.4,
                                    label="mean over all paths")
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
        ax.set_ylim(*LEFT_YLIM[state.activation])
        ax.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        ax.legend(loc="upper left", fontsize=9)
        name = DEPTH_TITLES.get(state.activation, state.activation)
        ax.set_title(f"{name}: $g$ (solid) and $g'$ (dashed)", fontsize=11)
        switching = state.activation in SWITCHING
        self.median_line.set_label("median, along units that are on" if switching else "median path")
        self.mean_line.set_label(MEAN_LABELS.get(state.activation, "mean over all paths"))
        shown = [self.median_line]
        if not switching:
            shown.append(Patch(color=plots.lighten("blue", 0.7), label="10% to 90% of paths"))
        if state.activation == "sigmoid":
            shown.append(self.bound_line)
        shown.append(self.mean_line)
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
        self.mean_line.set_data(L, products.mean)
        self.every_line.set_data(*((L, products.every_path) if state.activation == "leaky_relu" else nothing))
        self.animate([self.band, self.median_line, self.end_dot, self.bound_line, self.mean_line, self.every_line])
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
        self.spread = slider("FloatSlider", "spread of $z$", state.spread, min=SPREAD_RANGE[0], max=SPREAD_RANGE[1],
                             step=SPREAD_STEP)
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


# --- the site twin: the products precomputed for every spread of the slider, drawn in the page --------

SIZE = (760, 330)  # pixels of the twin's canvas
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
CURVE_PANEL = {"box": [50, 30, 270, 240], "xlim": [-5.0, 5.0], "xticks": [-4, -2, 0, 2, 4],
               "xticklabels": ["−4", "−2", "0", "2", "4"], "xlabel": "z"}
PRODUCT_PANEL = {"box": [420, 30, 325, 240], "xlim": [0.5, MAX_DEPTH + 0.5], "ylim": [float(np.log10(1e-30 / 3)),
                 float(np.log10(30.0))], "xticks": [0, 5, 10, 15, 20, 25, 30],
                 "xticklabels": ["0", "5", "10", "15", "20", "25", "30"], "yticks": list(range(-30, 1, 5)),
                 "yticklabels": ["10" + str(k).translate(SUPERSCRIPTS) for k in range(-30, 1, 5)],
                 "xlabel": "depth L (layers)", "ylabel": "product of g′ along a path",
                 "title": "the chain rule's product of g′, layer by layer"}
SMOOTH = ("sigmoid", "tanh")  # their products change with the spread; ReLU's and leaky ReLU's do not


def spread_grid():
    """The spreads the live widget's slider offers: 0.1, 0.2, ..., 5.0."""
    count = round((SPREAD_RANGE[1] - SPREAD_RANGE[0]) / SPREAD_STEP)
    return [round(SPREAD_RANGE[0] + k * SPREAD_STEP, 1) for k in range(count + 1)]


def curve_panel(activation):
    """The left panel's spec for ``activation``: its limits and ticks (the view sets the same limits)."""
    low, high = LEFT_YLIM[activation]
    step = 0.5 if high < 2 else 1.0
    values = [v for v in np.arange(np.ceil(low / step) * step, high, step)]
    return {**CURVE_PANEL, "ylim": [low, high], "yticks": [float(v) for v in values],
            "yticklabels": [fixed(v, 1) for v in values],
            "title": f"{DEPTH_TITLES.get(activation, activation)}: g (solid) and g′ (dashed)"}


def depth_table(seed=0):
    """Every number the twin shows, as float64: for sigmoid and tanh at each spread of :func:`spread_grid` the
    median, 10th and 90th percentiles and mean of the product (4 × MAX_DEPTH each); for ReLU and leaky ReLU,
    whose products do not depend on the spread, the share on, the median of all paths and the mean.

    Returns
    -------
    ndarray of shape (2 · spreads · 4 · MAX_DEPTH + 2 · 3 · MAX_DEPTH,)
    """
    parts = []
    for name in SMOOTH:
        for spread in spread_grid():
            p = derivative_products(DepthState(name, MAX_DEPTH, spread, seed))
            parts += [p.median, p.low, p.high, p.mean]
    for name in SWITCHING:
        p = derivative_products(DepthState(name, MAX_DEPTH, 1.0, seed))
        parts += [p.on, p.every_path, p.mean]
    return np.concatenate(parts).astype("<f8")


def _base64(numbers):
    """The bytes of ``numbers`` in base64, a space put into any "http" (atob skips spaces)."""
    text = base64.b64encode(numbers.tobytes()).decode("ascii")
    return re.sub(r"(?i)h(?=ttp)", "h ", text)


def activation_depth_explorer(names=DEPTH_ACTIVATIONS, state=None):
    r"""The activation explorer for the website: the same controls, drawn by JavaScript in the page.

    A menu of ``names``, the depth L (1 to 30) and the spread of z (0.1 to 5.0 by 0.1), as in the
    live widget. The products along the 2000 seeded paths are computed here for every spread of the
    slider (:func:`depth_table`; the page cannot draw numpy's random numbers) and shipped as float64;
    the page draws g, g', where z falls and the products, and writes :func:`depth_caption`. Its outer
    element (class ``mathnn-depth``) has a function ``mathnnState()`` returning the numbers shown.

    Returns
    -------
    KernelFree
    """
    names = tuple(names)
    for name in names:
        lookup({a: a for a in DEPTH_ACTIVATIONS}, name, "activation for the depth explorer")
    state = check_depth_state(state or DepthState(names[0] if names else "sigmoid"))
    if not names or state.activation not in names:
        raise ValueError(f"the twin's first activation {state.activation!r} must be one of names={names}.")
    spreads = spread_grid()
    if state.spread not in spreads:
        raise ValueError(f"the twin's spread must be one of the slider's, 0.1 to 5.0 by 0.1, but got {state.spread}.")
    spec = figure_json(
        SIZE, [PRODUCT_PANEL], curves={name: curve_panel(name) for name in DEPTH_ACTIVATIONS},
        spreads=spreads, maxDepth=MAX_DEPTH, smooth=SMOOTH, switching=SWITCHING, leak=activations.LEAKY_SLOPE,
        band=to_hex(plots.lighten("blue", 0.7)), names=DEPTH_TITLES, meanLabels=MEAN_LABELS,
        table=_base64(depth_table(state.seed)),
    )
    caption = depth_caption(state)

    def body(element_id):
        options = "".join(f'<option value="{a}"{" selected" if a == state.activation else ""}>{a}</option>'
                          for a in names)
        return [
            '<div class="mx-controls">',
            f'<label>g <select id="{element_id}-activation">{options}</select></label>',
            range_html(element_id, "depth", "depth L", state.depth, (1, MAX_DEPTH), 1, 0),
            range_html(element_id, "spread", "spread of z", state.spread, SPREAD_RANGE, SPREAD_STEP, 1),
            "</div>",
            *twin_html(element_id, SIZE, "g and its derivative; the product of g′ over depth. ", caption, spec,
                       script_text("depth.js")),
        ]

    title = "The product of g′ along a path through L layers, with z drawn from N(0, spread²)"
    return KernelFree("depth", title, repr(("depth", names, state)).encode(), body, css=_CSS)


_CSS = """#ID .mx-caption { white-space: pre-line; }
#ID input[type=range] { width: 200px; max-width: 40vw; }
#ID output { display: inline-block; min-width: 2em; font-variant-numeric: tabular-nums; }
"""
