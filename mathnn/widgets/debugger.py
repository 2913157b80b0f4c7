r"""The backward-pass debugger: backpropagation one quantity at a time, on the book's worked network (chapter 5).

The 2-2-1 sigmoid network of the worked example (:data:`mathnn.symbolic.WORKED_EXAMPLE`), one example at
a time (m = 1), so that every number is a scalar a reader can check with a pencil. :func:`backprop_steps`
lists what backpropagation computes, in the order it computes it: the forward values, the cost, then for
each layer from the last the local derivatives σ′(z), every ∂C/∂z, ∂C/∂w, ∂C/∂b and ∂C/∂a of the layer
before. Each :class:`Step` carries its formula with the numbers filled in and which nodes and arrows of
the dependency graph (:mod:`mathnn.graph`) it reads. The state (:class:`DebuggerState`, :func:`start_debugger`,
:func:`go_to`), the view (:class:`DebuggerView`), the live widget (:class:`BackpropDebugger`) and its site twin
(:func:`backprop_debugger_site`, which draws the same graph as SVG in the page) sit side by side.

Examples
--------
>>> steps = backprop_steps("mse", "worked")
>>> [s.name for s in steps[:8]]
['start', 'z1_0', 'a1_0', 'z1_1', 'a1_1', 'z2_0', 'a2_0', 'C']
>>> print(steps[12].text)
∂C/∂w[2]01 = ∂C/∂z[2] · a[1]1 = −0.1324 × 0.6637 = −0.0879
"""

import html
import json
import re
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.colors import to_hex

from mathnn import graph as dependency
from mathnn import plots
from mathnn.layers import Dense
from mathnn.network import Network
from mathnn.symbolic.chain import WORKED_EXAMPLE
from mathnn.validate import check_count, lookup
from mathnn.widgets._canvas import fixed
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, stop

SIZES = (2, 2, 1)
W = tuple(np.array(w, dtype=np.float64) for w in WORKED_EXAMPLE["W"])  # W[1], W[2] of the worked example
LOSSES = {"mse": "mean squared error", "bce": "binary cross-entropy"}
MATHNN_LOSS = {"mse": "mse", "bce": "binary_cross_entropy"}


@dataclass(frozen=True)
class Example:
    label: str
    x: tuple
    y: float


EXAMPLES = {
    "worked": Example("worked: x = (0.35, 0.9), y = 1", tuple(WORKED_EXAMPLE["x"]), WORKED_EXAMPLE["y"][0]),
    "xor00": Example("XOR: x = (0, 0), y = 0", (0.0, 0.0), 0.0),
    "xor01": Example("XOR: x = (0, 1), y = 1", (0.0, 1.0), 1.0),
    "xor10": Example("XOR: x = (1, 0), y = 1", (1.0, 0.0), 1.0),
    "xor11": Example("XOR: x = (1, 1), y = 0", (1.0, 1.0), 0.0),
}

CURRENT, READ = plots.PALETTE["vermillion"], plots.PALETTE["blue"]  # the quantity computed, what it reads
GRADIENT = plots.PALETTE["blue"]  # the colour of ∂C/∂ under a node
TEXT_CURRENT, TEXT_GREY = "#B34F00", "#666666"  # vermillion and grey dark enough for text on white (WCAG AA)


@dataclass(frozen=True)
class Step:
    """One quantity backpropagation computes.

    Attributes
    ----------
    name : str, e.g. "z1_0" (a forward value), "dz2_0" (∂C/∂z[2]), "g'z2_0" (σ′(z[2])), "dw1_01", "C", "start"
    node : str, the graph node it belongs to (``mathnn.graph`` names), "" for the start
    slot : str, "given", "value" (a forward value), "local" (σ′ of a pre-activation) or "grad" (∂C/∂ the node)
    phase : str, "start", "forward" or "backward"
    tex, text, html : str, the formula with the numbers filled in: mathtext, plain text, HTML
    value : float or None
    nodes : tuple of str, the nodes the formula reads (the node itself is highlighted apart)
    edges : tuple of (source, target), the arrows the step goes along
    """

    name: str
    node: str
    slot: str
    phase: str
    tex: str
    text: str
    html: str
    value: float | None
    nodes: tuple = ()
    edges: tuple = ()

    @property
    def symbol(self):
        """What the step computes, in plain text: the formula's left-hand side."""
        return self.text.split(" = ")[0]


# --- formulas: one template, written as mathtext, plain text and HTML ------------------------------

_LABEL = re.compile(r"^\$(\w)(?:\^\{\[(\d)\]\})?(?:_\{(\w+)\})?\$$")
STRETCH = 1.18  # the graph's layout drawn taller, to leave room for three lines of numbers under a node
_GRAPH = dependency.dependency_graph(list(SIZES))
_GRAPH.position = {node: (x, STRETCH * y) for node, (x, y) in _GRAPH.position.items()}


def _parts(node):
    """("w", "2", "01") for the node "w2_01", as the graph labels it (no subscript for a layer of one unit)."""
    return _LABEL.match(_GRAPH.label[node]).groups()


def _symbol(node, form):
    base, layer, index = _parts(node)
    if form == "tex":
        return base + (f"^{{[{layer}]}}" if layer else "") + (f"_{{{index}}}" if index else "")
    if form == "text":
        return base + (f"[{layer}]" if layer else "") + (index or "")
    if layer and index:  # the subscript under the superscript
        return f'<i>{base}</i><span class="mx-ss"><span>[{layer}]</span><span>{index}</span></span>'
    return f"<i>{base}</i>" + (f"<sup>[{layer}]</sup>" if layer else "") + (f"<sub>{index}</sub>" if index else "")


_TEX = {"·": r"\cdot ", "×": r"\times ", "−": "-", "σ": r"\sigma", "′": "'", "²": "^2", "log": r"\log ", " ": r"\,"}
_TOKEN = re.compile(r"\{(d:|g:)?(\w+)\}|log|[·×−σ′² ]|[^{·×−σ′² l]+|l")


def _unary(match):
    """A minus sign written right before a digit is a number's sign, not a subtraction."""
    return match.string[match.end() : match.end() + 1].isdigit()


def render(template, form):
    """The template in one form: "tex" (mathtext), "text" or "html".

    ``{z2_0}`` is a node's symbol, ``{d:z2_0}`` the gradient ∂C/∂z, ``{g:z2_0}`` the local derivative σ′(z).
    """
    out = []
    for match in _TOKEN.finditer(template):
        kind, node = match.group(1), match.group(2)
        if node is None:
            piece = match.group(0)
            if form == "tex":
                out.append("{-}" if piece == "−" and form == "tex" and _unary(match) else _TEX.get(piece, piece))
            else:
                out.append(html.escape(piece) if form == "html" else piece)
            continue
        symbol = _symbol(node, form)
        if kind == "d:":
            out.append(rf"\partial C/\partial {symbol}" if form == "tex" else f"∂C/∂{symbol}")
        elif kind == "g:":
            out.append(rf"\sigma'({symbol})" if form == "tex" else f"σ′({symbol})")
        else:
            out.append(symbol)
    joined = "".join(out)
    return f"${joined}$" if form == "tex" else joined


def number(value):
    """A number as the book's tables write it: up to 4 decimals, a true minus sign, no trailing zeros."""
    text = fixed(value, 4)
    return text.rstrip("0").rstrip(".") if "." in text else text


def factor(value):
    """A number written as a factor after ×: in parentheses when negative."""
    text = number(value)
    return f"({text})" if text.startswith("−") else text


# --- the steps ------------------------------------------------------------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def check_choice(loss, example):
    """``(loss, example)`` as keys of :data:`LOSSES` and :data:`EXAMPLES`, or an error listing the choices."""
    lookup(LOSSES, loss, "loss")
    lookup(EXAMPLES, example, "example")
    return loss, example


def backprop_steps(loss="mse", example="worked"):
    r"""Every quantity of one forward and backward pass, in the order backpropagation computes them.

    For the 2-2-1 sigmoid network of the worked example and one example (m = 1): the start (inputs,
    weights, biases 0, target given), the forward pass unit by unit and the cost, then backward from the
    cost: ∂C/∂a[2], σ′(z[2]), ∂C/∂z[2], ∂C/∂w[2], ∂C/∂b[2], ∂C/∂a[1] (:math:`W^{[2]\top} dZ^{[2]}`), and for
    each hidden unit σ′(z[1]) and ∂C/∂z[1], then ∂C/∂w[1] and ∂C/∂b[1].

    Parameters
    ----------
    loss : str, "mse" (:math:`C = (a^{[2]} - y)^2`, mathnn's, without ½) or "bce" (binary cross-entropy)
    example : str, a key of :data:`EXAMPLES`

    Returns
    -------
    list of Step
    """
    check_choice(loss, example)
    ex = EXAMPLES[example]
    x, y = np.array(ex.x, dtype=np.float64), float(ex.y)
    W1, W2 = W
    b1, b2 = np.zeros(2), np.zeros(1)
    steps = []

    def add(name, node, slot, phase, template, numbers, value, nodes=(), edges=()):
        rhs = [render(template, f) for f in ("tex", "text", "html")]
        tail = (f" = {numbers}" if numbers else "") + (f" = {number(value)}" if value is not None else "")
        tex = rhs[0][:-1] + render(tail, "tex")[1:] if tail else rhs[0]
        steps.append(Step(name, node, slot, phase, tex, rhs[1] + tail, rhs[2] + html.escape(tail),
                          None if value is None else float(value), tuple(nodes), tuple(edges)))

    given = [number(x[0]), number(x[1]), number(y)]
    steps.append(Step(
        "start", "", "given", "start",
        "given: $x_0$ = {}, $x_1$ = {}, target $y$ = {}, the weights drawn; biases 0".format(*given),
        "given: x0 = {}, x1 = {}, target y = {}, the weights drawn; biases 0".format(*given),
        "given: <i>x</i><sub>0</sub> = {}, <i>x</i><sub>1</sub> = {}, target <i>y</i> = {}, the weights drawn; "
        "biases 0".format(*given), None))

    # forward, one unit at a time
    A_prev, names_prev = x, ["x0", "x1"]
    Z, A = {}, {}
    for l, (Wl, bl) in enumerate([(W1, b1), (W2, b2)], start=1):
        Z[l] = Wl @ A_prev + bl
        A[l] = _sigmoid(Z[l])
        for j in range(len(bl)):
            z, a, b = f"z{l}_{j}", f"a{l}_{j}", f"b{l}_{j}"
            ws = [f"w{l}_{j}{k}" for k in range(len(A_prev))]
            template = f"{{{z}}} = " + " + ".join(f"{{{w}}}·{{{p}}}" for w, p in zip(ws, names_prev)) + f" + {{{b}}}"
            numbers = " + ".join(f"{number(Wl[j, k])} × {factor(A_prev[k])}" for k in range(len(A_prev)))
            numbers += f" + {number(bl[j])}"
            add(z, z, "value", "forward", template, numbers, Z[l][j], [*ws, *names_prev, b],
                [(p, z) for p in [*names_prev, *ws, b]])
            add(a, a, "value", "forward", f"{{{a}}} = σ({{{z}}})", f"σ({number(Z[l][j])})", A[l][j], [z], [(z, a)])
        A_prev, names_prev = A[l], [f"a{l}_{j}" for j in range(len(bl))]

    out = A[2][0]
    if loss == "mse":
        cost = (out - y) ** 2
        add("C", "C", "value", "forward", "C = ({a2_0} − y)²", f"({number(out)} − {number(y)})²", cost,
            ["a2_0"], [("a2_0", "C")])
    else:
        cost = -(y * np.log(out) + (1 - y) * np.log(1 - out))
        add("C", "C", "value", "forward", "C = −[y log {a2_0} + (1 − y) log(1 − {a2_0})]",
            f"−[{number(y)} × log {number(out)} + {number(1 - y)} × log {number(1 - out)}]", cost,
            ["a2_0"], [("a2_0", "C")])

    # backward, from the cost
    if loss == "mse":
        dA2 = 2 * (out - y)
        add("da2_0", "a2_0", "grad", "backward", "{d:a2_0} = 2({a2_0} − y)", f"2 × ({number(out)} − {number(y)})",
            dA2, ["a2_0"], [("a2_0", "C")])
    else:
        dA2 = (1 - y) / (1 - out) - y / out
        add("da2_0", "a2_0", "grad", "backward", "{d:a2_0} = (1 − y)/(1 − {a2_0}) − y/{a2_0}",
            f"{number(1 - y)}/{number(1 - out)} − {number(y)}/{number(out)}", dA2, ["a2_0"], [("a2_0", "C")])
    dZ, dA = {}, {2: np.array([dA2])}
    for l in (2, 1):
        A_prev_l = x if l == 1 else A[1]
        names_prev = ["x0", "x1"] if l == 1 else ["a1_0", "a1_1"]
        Wl = W[l - 1]
        dZ[l] = np.zeros(len(Z[l]))
        for j in range(len(Z[l])):
            z, a = f"z{l}_{j}", f"a{l}_{j}"
            local = A[l][j] * (1 - A[l][j])
            add(f"g'{z}", z, "local", "backward", f"{{g:{z}}} = {{{a}}}(1 − {{{a}}})",
                f"{number(A[l][j])} × {number(1 - A[l][j])}", local, [a], [(z, a)])
            if l == 2 and loss == "bce":  # sigmoid paired with cross-entropy: the product is a − y
                dZ[l][j] = A[l][j] - y
                add(f"d{z}", z, "grad", "backward", f"{{d:{z}}} = {{d:{a}}} · {{g:{z}}} = {{{a}}} − y",
                    f"{number(A[l][j])} − {number(y)}", dZ[l][j], [a], [(z, a), (a, "C")])
            else:
                dZ[l][j] = dA[l][j] * local
                add(f"d{z}", z, "grad", "backward", f"{{d:{z}}} = {{d:{a}}} · {{g:{z}}}",
                    f"{number(dA[l][j])} × {number(local)}", dZ[l][j], [a], [(z, a)])
        for j in range(len(Z[l])):
            z = f"z{l}_{j}"
            for k, p in enumerate(names_prev):
                w = f"w{l}_{j}{k}"
                add(f"d{w}", w, "grad", "backward", f"{{d:{w}}} = {{d:{z}}} · {{{p}}}",
                    f"{number(dZ[l][j])} × {factor(A_prev_l[k])}", dZ[l][j] * A_prev_l[k], [z, p], [(w, z), (p, z)])
        for j in range(len(Z[l])):
            z, b = f"z{l}_{j}", f"b{l}_{j}"
            add(f"d{b}", b, "grad", "backward", f"{{d:{b}}} = {{d:{z}}}", "", dZ[l][j], [z], [(b, z)])
        if l == 2:
            dA[1] = Wl.T @ dZ[2]
            for k, p in enumerate(names_prev):
                w = f"w2_0{k}"
                add(f"d{p}", p, "grad", "backward", f"{{d:{p}}} = {{{w}}} · {{d:z2_0}}",
                    f"{number(Wl[0, k])} × {factor(dZ[2][0])}", dA[1][k], [w, "z2_0"], [(p, "z2_0")])
    return steps


def given_values(example):
    """{node: value} of what is known before any step: the inputs, the weights and the biases (0)."""
    ex = lookup(EXAMPLES, example, "example")
    values = {"x0": ex.x[0], "x1": ex.x[1]}
    for l, Wl in enumerate(W, start=1):
        for j in range(Wl.shape[0]):
            values[f"b{l}_{j}"] = 0.0
            for k in range(Wl.shape[1]):
                values[f"w{l}_{j}{k}"] = float(Wl[j, k])
    return values


def mathnn_network(loss="mse"):
    """The same 2-2-1 sigmoid network as a :class:`mathnn.network.Network`, with the cost ``loss`` ("mse", "bce")."""
    layers = []
    for Wl in W:
        layer = Dense(Wl.shape[1], Wl.shape[0], "sigmoid", init="zeros")
        layer.W = Wl
        layers.append(layer)
    return Network(layers, lookup(MATHNN_LOSS, loss, "loss"))


def mathnn_reference(loss, example):
    """What mathnn computes for one (loss, example): {"A1", "A2", "C", "dW1", "db1", "dW2", "db2"}."""
    check_choice(loss, example)
    ex = EXAMPLES[example]
    net = mathnn_network(loss)
    X, Y = np.array(ex.x, dtype=np.float64).reshape(2, 1), np.array([[ex.y]])
    A2 = net.forward(X)
    net.backward(Y)
    first, second = net.layers
    return {"A1": first.cache[2], "A2": A2, "C": net.cost(X, Y), "dW1": first.dW, "db1": first.db,
            "dW2": second.dW, "db2": second.db}


# --- the state -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebuggerState:
    """Where the debugger stands: a loss, an example, their steps and the index of the step shown."""

    loss: str
    example: str
    steps: tuple
    index: int = 0

    @property
    def step(self):
        return self.steps[self.index]

    @property
    def last(self):
        return len(self.steps) - 1

    @property
    def caption(self):
        """One line for the reader: which step of how many, and what it computes."""
        step = self.step
        where = {"start": "before the forward pass", "forward": "forward pass", "backward": "backward pass"}
        if self.index == self.last:
            return f"step {self.index} of {self.last} · {where[step.phase]} · done: every gradient is known"
        return f"step {self.index} of {self.last} · {where[step.phase]}"

    def known(self):
        """{(node, slot): value} of everything computed up to and including the current step."""
        found = {(node, "given"): value for node, value in given_values(self.example).items()}
        for step in self.steps[1 : self.index + 1]:
            found[step.node, step.slot] = step.value
        return found

    def gradients(self):
        """[(symbol text, symbol mathtext, value)] of every ∂C/∂ found so far, in the order found."""
        return [(s.symbol, s.tex.split(r"=")[0] + "$", s.value)
                for s in self.steps[1 : self.index + 1] if s.slot == "grad"]


def start_debugger(loss="mse", example="worked", index=0):
    """The debugger for one loss and example, at step ``index`` (0: nothing computed yet)."""
    steps = tuple(backprop_steps(loss, example))
    return go_to(DebuggerState(loss, example, steps), index)


def go_to(state, index):
    """The state at step ``index`` (0 to ``state.last``)."""
    index = check_count(index, "the step", minimum=0, maximum=state.last,
                        fix=f" The steps run from 0 to {state.last}.")
    return replace(state, index=index)


def choose(state, loss=None, example=None):
    """The same step of another loss or example (the steps of every pair line up one to one)."""
    loss = state.loss if loss is None else loss
    example = state.example if example is None else example
    return start_debugger(loss, example, state.index)


def step_forward(state):
    """One step on; at the last step the state stays (backpropagation is done)."""
    return replace(state, index=min(state.index + 1, state.last))


def step_back(state):
    """One step back; at step 0 the state stays."""
    return replace(state, index=max(state.index - 1, 0))


# --- where each node's numbers are written --------------------------------------------------------

RADIUS = 0.34
TWIN_BOX = (-0.6, 3.75, 9.0, -3.75)  # left, top, right, bottom of the picture, in the graph's units
LINE = 0.24  # the height of one line of numbers, in the graph's units


def label_places():
    """{node: (ha, {slot: (x, y)})}: where a node's numbers are written, one line per slot, centred on y.

    Below the circle for inputs, pre-activations, activations and the cost (a pre-activation has three
    lines: its value, σ′ and ∂C/∂z); a weight or bias fanned out around its unit has its value and gradient
    on its outer side, clear of the arrows into the unit (to the right of one straight above or below it).
    """
    places = {}
    for node, (px, py) in _GRAPH.position.items():
        kind = _GRAPH.kind[node]
        slots = {"x": ["value"], "z": ["value", "local", "grad"], "C": ["value"]}.get(kind, ["value", "grad"])
        if kind in ("w", "b"):
            zx, zy = _GRAPH.position[_GRAPH.successors(node)[0]]
            dx, dy = (px - zx) / np.hypot(px - zx, py - zy), (py - zy) / np.hypot(px - zx, py - zy)
            if abs(dx) < 0.3:
                dx, dy = 1.0, 0.0
        else:
            dx, dy = 0.0, -1.0
        ha = "left" if dx > 0.3 else ("right" if dx < -0.3 else "center")
        gap = RADIUS + 0.08
        x = px + gap * dx
        if kind in ("z", "a"):  # left-aligned just right of the bias's arrow from below
            ha, x = "left", px + 0.07
        height = LINE * len(slots)
        top = py + gap * dy + (height if dy > 0.3 else (0.0 if dy < -0.3 else height / 2))
        places[node] = (ha, {slot: (float(x), float(top - LINE * (i + 0.5))) for i, slot in enumerate(slots)})
    return places


LEGEND = [("red circle: computed now", TEXT_CURRENT), ("blue circles: what it reads", READ),
          ("under a node: its value,", "black"), ("∂ its gradient ∂C/∂(node),", GRADIENT),
          ("σ′ the local derivative", TEXT_GREY)]
PREFIX = {"value": "", "local": "σ′ ", "grad": "∂ "}
SLOT_COLORS = {"value": "black", "local": TEXT_GREY, "grad": GRADIENT}


def node_lines(state):
    """{(node, slot): text} of every number the picture writes now: values, σ′ and ∂C/∂ found so far."""
    lines = {}
    for (node, slot), value in state.known().items():
        slot = "value" if slot == "given" else slot
        lines[node, slot] = PREFIX[slot] + number(value)
    return lines


# --- the view ------------------------------------------------------------------------------------


class DebuggerView(View):
    """The dependency graph with the numbers found so far, the current step's formula, and the gradients found."""

    def __init__(self, state=None, size=(8.0, 5.2), dpi=96):
        super().__init__(size, dpi)
        self.figure.set_layout_engine("none")
        self.ax = self.figure.add_axes((0.0, 0.15, 0.75, 0.85))
        self.table = self.figure.add_axes((0.76, 0.17, 0.24, 0.8))
        self.table.axis("off")
        self.artists = dependency.draw(self.ax, _GRAPH, radius=RADIUS, fontsize=10.5)
        self.texts = {}
        for node, (ha, slots) in label_places().items():
            for slot, (x, y) in slots.items():
                self.texts[node, slot] = self.ax.text(x, y, "", ha=ha, va="center_baseline", fontsize=8.5,
                                                      color=SLOT_COLORS[slot], zorder=6)
        self.ax.set_xlim(*TWIN_BOX[0::2])
        self.ax.set_ylim(TWIN_BOX[3], TWIN_BOX[1])
        cx, cy = _GRAPH.position["C"]
        self.target = self.ax.text(cx, cy + RADIUS + 0.1, "", ha="center", va="bottom", fontsize=8.5, zorder=6)
        self.caption = self.figure.text(0.01, 0.115, "", fontsize=10, color=TEXT_GREY, va="center")
        for i, (text, color) in enumerate(LEGEND):  # in the empty corner above the cost
            self.ax.text(TWIN_BOX[2] - 0.1, TWIN_BOX[1] - 0.25 - LINE * i, text, ha="right", va="center_baseline",
                         fontsize=8.5, color=color)
        self.formula = self.figure.text(0.01, 0.05, "", fontsize=12, va="center")
        self.title = self.table.text(0.0, 1.0, "gradients found", fontsize=10, fontweight="bold", va="top",
                                     transform=self.table.transAxes)
        self.rows = [self.table.text(0.0, 0.92 - 0.061 * i, "", fontsize=8.5, va="top",
                                     transform=self.table.transAxes) for i in range(15)]
        self.update(state or start_debugger())

    def update(self, state):
        step = state.step
        arrows, circles = self.artists["edges"], self.artists["nodes"]
        hot_edges = set(step.edges)
        for edge, arrow in arrows.items():
            hot = edge in hot_edges
            arrow.set_color(CURRENT if hot else plots.GREY)
            arrow.set_linewidth(2.2 if hot else 0.9)
            arrow.set_mutation_scale(12 if hot else 9)
            arrow.set_zorder(3 if hot else 1)
        for node, circle in circles.items():
            if node == step.node:
                circle.set_edgecolor(CURRENT), circle.set_linewidth(3.0)
            elif node in step.nodes:
                circle.set_edgecolor(READ), circle.set_linewidth(2.2)
            else:
                circle.set_edgecolor("black"), circle.set_linewidth(1.0)
        lines = node_lines(state)
        for key, text in self.texts.items():
            text.set_text(lines.get(key, ""))
        self.target.set_text(f"y = {number(EXAMPLES[state.example].y)}")
        self.caption.set_text(f"{LOSSES[state.loss]} · {state.caption}")
        self.formula.set_text(step.tex)
        found = state.gradients()
        for row, entry in zip(self.rows, found + [None] * (len(self.rows) - len(found))):
            row.set_text("" if entry is None else f"{entry[1]} = {number(entry[2])}")
            row.set_color(TEXT_CURRENT if entry is not None and entry is found[-1] and step.slot == "grad" else "black")
        return self

    def still(self):
        return object()  # every step changes most of the picture: draw it all


# --- the live widget -----------------------------------------------------------------------------


class BackpropDebugger(Skin):
    """Step through one forward and backward pass of the worked network, one quantity per click.

    The ``play`` widget holds the step index: Step moves it on by one, Step back back by one, Reset to 0,
    and Play runs it to the end. The loss and example menus keep the step index.

    >>> debugger = BackpropDebugger()
    >>> debugger.step_button.click()
    >>> debugger.state.step.name
    'z1_0'
    >>> debugger.back_button.click(); debugger.back_button.click()  # at step 0 it stays
    >>> debugger.state.index
    0
    """

    def __init__(self, loss="mse", example="worked", index=0):
        widgets = ipywidgets()
        state = start_debugger(loss, example, index)
        super().__init__(DebuggerView(state))
        self.state = state
        self.loss = widgets.Dropdown(options=[(v, k) for k, v in LOSSES.items()], value=loss, description="loss",
                                     layout=widgets.Layout(width="270px"))
        self.example = widgets.Dropdown(options=[(e.label, k) for k, e in EXAMPLES.items()], value=example,
                                        description="example", layout=widgets.Layout(width="320px"))
        self.play = widgets.Play(value=state.index, min=0, max=state.last, interval=900, description="play",
                                 show_repeat=False)
        self.back_button = widgets.Button(description="Step back", icon="step-backward")
        self.step_button = widgets.Button(description="Step", icon="step-forward")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.status = widgets.HTML()
        self.play.observe(self._on_play, names="value")
        self.back_button.on_click(self._on_back)
        self.step_button.on_click(self._on_step)
        self.reset_button.on_click(self._on_reset)
        self.loss.observe(self._on_choice, names="value")
        self.example.observe(self._on_choice, names="value")
        self._show(state)
        self.widget = widgets.VBox([
            widgets.HBox([self.loss, self.example]),
            widgets.HBox([self.back_button, self.step_button, self.play, self.reset_button]),
            self.status, self.image, self.output,
        ])

    def _show(self, state):
        super()._show(state)
        self.status.value = html.escape(state.caption)

    @errors_shown
    def show_step(self, index):
        """Show step ``index`` (0 to the last); a wrong index is reported in the output area."""
        self.state = go_to(self.state, index)
        if self.play.value != self.state.index:
            self.play.value = self.state.index  # _on_play shows it
        else:
            self._show(self.state)

    @errors_shown
    def choose(self, loss=None, example=None):
        """Show the same step for another loss or example (names as in ``LOSSES`` and ``EXAMPLES``)."""
        self.state = choose(self.state, loss, example)
        self._show(self.state)

    @errors_shown
    def _on_play(self, change):
        self.state = go_to(self.state, change["new"])
        self._show(self.state)

    @errors_shown
    def _on_step(self, _button=None):
        if self.state.index == self.state.last:
            self.status.value = html.escape(self.state.caption) + " — Step back or Reset to go through it again"
            return
        self.play.value = self.state.index + 1

    @errors_shown
    def _on_back(self, _button=None):
        stop(self.play)
        if self.state.index > 0:
            self.play.value = self.state.index - 1

    @errors_shown
    def _on_reset(self, _button=None):
        stop(self.play)
        self.play.value = 0
        self._show(self.state)

    @errors_shown
    def _on_choice(self, _change=None):
        self.state = choose(self.state, self.loss.value, self.example.value)
        self._show(self.state)


# --- the site twin: the same graph drawn as SVG by the page ---------------------------------------

SVG_SCALE = 58  # pixels per unit of the graph's coordinates


def _svg_label(node):
    base, layer, index = _parts(node)
    return [base, layer or "", index or ""]


def twin_data(losses=tuple(LOSSES), examples=tuple(EXAMPLES)):
    """What the twin's script draws and steps through, as plain data (JSON-ready)."""
    box = list(TWIN_BOX)
    places = label_places()
    fill = {k: to_hex(v) for k, v in dependency.FILLS.items()}
    nodes = [{"n": n, "k": _GRAPH.kind[n], "x": x, "y": y, "fill": fill[_GRAPH.kind[n]], "label": _svg_label(n),
              "at": places[n]} for n, (x, y) in _GRAPH.position.items()]
    runs = {}
    for loss in losses:
        for example in examples:
            steps = backprop_steps(loss, example)
            state = DebuggerState(loss, example, tuple(steps))
            runs[f"{loss}|{example}"] = {
                "given": {n: number(v) for n, v in given_values(example).items()},
                "y": number(EXAMPLES[example].y),
                "steps": [{"name": s.name, "node": s.node, "slot": s.slot, "phase": s.phase, "value": s.value,
                           "text": None if s.value is None else number(s.value), "html": s.html,
                           "lhs": s.html.split(" = ")[0], "nodes": list(s.nodes), "edges": [list(e) for e in s.edges],
                           "caption": f"{LOSSES[loss]} · {replace(state, index=i).caption}"}
                          for i, s in enumerate(steps)],
            }
    return {"box": box, "scale": SVG_SCALE, "radius": RADIUS, "nodes": nodes,
            "edges": [list(e) for e in _GRAPH.edges], "runs": runs, "prefix": PREFIX, "colors": SLOT_COLORS,
            "legend": LEGEND, "line": LINE,
            "current": CURRENT, "read": READ, "gradient": GRADIENT, "grey": plots.GREY}


_CSS = """
#ID .mx-debugger { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: flex-start; }
#ID .mx-picture { flex: 1 1 520px; max-width: 560px; }
#ID svg { display: block; width: 100%; height: auto; }
#ID .mx-found { flex: 1 1 180px; font-size: 13px; font-variant-numeric: tabular-nums; }
#ID .mx-found p { margin: 0 0 4px 0; font-weight: 600; }
#ID .mx-found div { line-height: 1.45; }
#ID .mx-found .mx-now { color: CURRENT; }
#ID .mx-formula { font-size: 17px; margin: 6px 0 2px 0; min-height: 1.6em; font-variant-numeric: tabular-nums; }
#ID .mx-formula sub, #ID .mx-found sub { font-size: 70%; }
#ID .mx-formula sup, #ID .mx-found sup { font-size: 70%; }
#ID .mx-ss { display: inline-flex; flex-direction: column; vertical-align: middle; font-size: 70%;
             line-height: 1.05; margin-left: 1px; }
#ID button { min-width: 5.5em; }
"""

_JS = r"""
(function () {
  var D = DATA, root = document.getElementById("ID"), svg = document.getElementById("ID-graph");
  var NS = svg.namespaceURI, loss = document.getElementById("ID-loss");
  var example = document.getElementById("ID-example"), slider = document.getElementById("ID-step");
  var playButton = document.getElementById("ID-play"), counter = document.getElementById("ID-counter");
  var formula = document.getElementById("ID-formula"), found = document.getElementById("ID-found");
  var timer = null, S = D.scale, R = D.radius * S, parts = {};
  function px(x) { return (x - D.box[0]) * S; }
  function py(y) { return (D.box[1] - y) * S; }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var a in attrs) { e.setAttribute(a, attrs[a]); }
    (parent || svg).appendChild(e);
    return e;
  }
  function write(parent, x, y, anchor, baseline, size, color) {
    return el("text", {x: x, y: y, "text-anchor": anchor, "dominant-baseline": baseline, "font-size": size,
                       fill: color || "#000"}, parent);
  }
  svg.setAttribute("viewBox", "0 0 " + px(D.box[2]) + " " + py(D.box[3]));
  var defs = el("defs", {});
  [["grey", D.grey], ["hot", D.current]].forEach(function (m) {
    var marker = el("marker", {id: "ID-arrow-" + m[0], viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 5,
                               markerHeight: 5, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M 0 1 L 10 5 L 0 9 z", fill: m[1]}, marker);
  });
  var at = {};
  D.nodes.forEach(function (n) { at[n.n] = n; });
  var edges = {};
  D.edges.forEach(function (e) {
    var a = at[e[0]], b = at[e[1]], dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy);
    var ux = dx / len * D.radius, uy = dy / len * D.radius;
    edges[e[0] + ">" + e[1]] = el("line", {x1: px(a.x + ux), y1: py(a.y + uy), x2: px(b.x - ux), y2: py(b.y - uy)});
  });
  var circles = {}, texts = {}, anchors = {left: "start", right: "end", center: "middle"};
  D.nodes.forEach(function (n) {
    circles[n.n] = el("circle", {cx: px(n.x), cy: py(n.y), r: R, fill: n.fill});
    var t = write(svg, px(n.x), py(n.y), "middle", "central", 15);
    el("tspan", {"font-style": "italic"}, t).textContent = n.label[0];
    if (n.label[1]) { el("tspan", {dy: -6, "font-size": 10}, t).textContent = "[" + n.label[1] + "]"; }
    if (n.label[2]) {  // the subscript right under the superscript, as mathtext sets it
      var sup = t.lastChild, b = el("tspan", {dy: n.label[1] ? 10 : 4, "font-size": 10}, t);
      b.textContent = n.label[2];
      if (n.label[1]) { b.setAttribute("dx", -sup.getComputedTextLength()); }
    }
    for (var slot in n.at[1]) {
      var p = n.at[1][slot];
      texts[n.n + ":" + slot] = write(svg, px(p[0]), py(p[1]), anchors[n.at[0]], "central", 11.5, D.colors[slot]);
    }
  });
  D.legend.forEach(function (item, i) {  // in the empty corner above the cost, as in the widget's picture
    write(svg, px(D.box[2] - 0.1), py(D.box[1] - 0.25 - D.line * i), "end", "central", 11.5, item[1]).textContent =
      item[0];
  });
  var C = at.C, target = write(svg, px(C.x), py(C.y + D.radius + 0.1), "middle", "auto", 11.5);
  function run() { return D.runs[loss.value + "|" + example.value]; }
  function show() {
    var r = run(), i = Number(slider.value), step = r.steps[i], k, known = {};
    for (k in r.given) { known[k + ":value"] = r.given[k]; }
    var list = [];
    for (k = 1; k <= i; k++) {
      var s = r.steps[k];
      known[s.node + ":" + s.slot] = D.prefix[s.slot] + s.text;
      if (s.slot === "grad") { list.push(s); }
    }
    var hot = {};
    step.edges.forEach(function (e) { hot[e[0] + ">" + e[1]] = true; });
    for (k in edges) {
      var h = !!hot[k];
      edges[k].setAttribute("stroke", h ? D.current : D.grey);
      edges[k].setAttribute("stroke-width", h ? 2.6 : 1);
      edges[k].setAttribute("marker-end", "url(#ID-arrow-" + (h ? "hot" : "grey") + ")");
    }
    D.nodes.forEach(function (n) {
      var c = circles[n.n], now = n.n === step.node, read = step.nodes.indexOf(n.n) >= 0;
      c.setAttribute("stroke", now ? D.current : (read ? D.read : "#000"));
      c.setAttribute("stroke-width", now ? 3.4 : (read ? 2.6 : 1));
    });
    for (k in texts) { texts[k].textContent = known[k] || ""; }
    target.textContent = "y = " + r.y;
    formula.innerHTML = step.html;
    counter.textContent = step.caption;
    var rows = ["<p>gradients found</p>"];
    list.forEach(function (s, j) {
      var now = j === list.length - 1 && step.slot === "grad";
      rows.push('<div' + (now ? ' class="mx-now"' : "") + ">" + s.lhs + " = " + s.text + "</div>");
    });
    found.innerHTML = rows.join("");
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playButton.textContent = "\u25B6 Play";
  }
  function go(i) { slider.value = Math.max(0, Math.min(Number(slider.max), i)); show(); }
  function play() {
    if (Number(slider.value) >= Number(slider.max)) { go(0); }
    playButton.textContent = "\u275A\u275A Pause";
    timer = setInterval(function () {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      go(Number(slider.value) + 1);
    }, INTERVAL);
  }
  document.getElementById("ID-back").addEventListener("click", function () { stop(); go(Number(slider.value) - 1); });
  document.getElementById("ID-next").addEventListener("click", function () { stop(); go(Number(slider.value) + 1); });
  document.getElementById("ID-reset").addEventListener("click", function () { stop(); go(0); });
  playButton.addEventListener("click", function () { if (timer === null) { play(); } else { stop(); } });
  slider.addEventListener("input", function () { stop(); show(); });
  loss.addEventListener("change", show);
  example.addEventListener("change", show);
  function lines() {  // what is written at the nodes now, {"node:slot": text}, as node_lines gives it
    var out = {};
    for (var k in texts) { if (texts[k].textContent) { out[k] = texts[k].textContent; } }
    return out;
  }
  root.mathnnState = function () {
    var r = run(), i = Number(slider.value), s = r.steps[i];
    return {loss: loss.value, example: example.value, index: i, last: r.steps.length - 1, name: s.name,
            node: s.node, value: s.value, formula: formula.textContent, counter: counter.textContent, lines: lines()};
  };
  show();
})();
"""


def backprop_debugger_site(loss="mse", example="worked", interval=900):
    """The site twin: the same graph, steps, formulas and controls, drawn as SVG by a few lines of JavaScript.

    Every step of every (loss, example) pair is computed here, in Python, and written into the page as
    data; the page only draws. Its outer element (class ``mathnn-debugger``) has a function
    ``mathnnState()`` returning the loss, example, step index, the step's name and value, for tests.

    Returns
    -------
    KernelFree
    """
    check_choice(loss, example)
    data = twin_data()
    payload = json.dumps(data, sort_keys=True).encode()
    first = start_debugger(loss, example)
    escape = html.escape

    def options(choices, chosen):
        return "".join(f'<option value="{k}"{" selected" if k == chosen else ""}>{escape(label)}</option>'
                       for k, label in choices)

    def body(element_id):
        script = (_JS.replace("ID", element_id).replace("INTERVAL", str(int(interval)))
                  .replace("DATA", json.dumps(data, ensure_ascii=False).replace("</", "<\\/")))
        return [
            '<div class="mx-controls">',
            f'<label>loss <select id="{element_id}-loss">{options(LOSSES.items(), loss)}</select></label>',
            f'<label>example <select id="{element_id}-example">'
            f"{options(((k, e.label) for k, e in EXAMPLES.items()), example)}</select></label>",
            "</div>",
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-back">\u25c0 Step back</button>',
            f'<button type="button" id="{element_id}-next">Step \u25b6</button>',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            f'<label class="mx-scrub">step <input type="range" id="{element_id}-step" min="0" max="{first.last}" '
            'step="1" value="0"></label>',
            "</div>",
            f'<div class="mx-caption" id="{element_id}-counter">{escape(LOSSES[loss] + " · " + first.caption)}</div>',
            '<div class="mx-debugger">',
            '<div class="mx-picture">',
            f'<svg id="{element_id}-graph" role="img" aria-label="The dependency graph of the 2-2-1 network: '
            'the quantity of the current step is circled in red, what it reads in blue; values are written in '
            'black under each node, gradients in blue."></svg>',
            f'<div class="mx-formula" id="{element_id}-formula" aria-live="polite"></div>',
            "</div>",
            f'<div class="mx-found" id="{element_id}-found"></div>',
            "</div>",
            "<script>" + script + "</script>",
        ]

    title = "The backward pass, one quantity at a time: the 2-2-1 network of the worked example"
    return KernelFree("debugger", title, payload, body, css=_CSS.replace("CURRENT", TEXT_CURRENT))
