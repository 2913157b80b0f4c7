r"""Backpropagation one quantity at a time, on the book's worked network: the steps and the state (chapter 5).

The 2-2-1 sigmoid network of the worked example (``mathnn.symbolic.WORKED_EXAMPLE``), one example at
a time (m = 1), so that every number is a scalar a reader can check with a pencil. :func:`backprop_steps`
lists what backpropagation computes, in the order it computes it: the forward values, the cost, then for
each layer from the last the local derivatives σ′(z), every ∂C/∂z, ∂C/∂w, ∂C/∂b and ∂C/∂a of the layer
before. Each :class:`Step` carries its formula with the numbers filled in (:func:`render`) and which nodes
and arrows of the dependency graph (:mod:`mathnn.graph`) it reads. :class:`DebuggerState` is where a reader
stands in those steps; :func:`start_debugger`, :func:`go_to`, :func:`choose`, :func:`step_forward` and
:func:`step_back` move it. Pure functions, no ipywidgets: the debugger that draws them, live and on the
site, is :mod:`mathnn.widgets.debugger`.

Examples
--------
>>> steps = backprop_steps("mse", "worked")
>>> [s.name for s in steps[:8]]
['start', 'z1_0', 'a1_0', 'z1_1', 'a1_1', 'z2_0', 'a2_0', 'C']
>>> print(steps[12].text)
∂C/∂w[2]01 = ∂C/∂z[2] · a[1]1 = −0.1324 × 0.6637 = −0.0879
>>> state = step_forward(start_debugger("bce", "xor01"))
>>> state.caption
'step 1 of 25 · forward pass'
"""

import html
import re
from dataclasses import dataclass, replace

import numpy as np

from mathnn import graph as dependency
from mathnn.layers import Dense
from mathnn.network import Network
from mathnn.symbolic.chain import WORKED_EXAMPLE
from mathnn.validate import check_count, lookup
from mathnn.widgets._canvas import fixed

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
_GRAPH = dependency.dependency_graph(list(SIZES))  # its labels name the nodes in the formulas


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
    """``(loss, example)`` as keys of ``LOSSES`` and ``EXAMPLES``, or an error listing the choices."""
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
    example : str, a key of ``EXAMPLES``

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
