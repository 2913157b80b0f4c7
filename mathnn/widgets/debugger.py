r"""The backward-pass debugger: backpropagation one quantity at a time, on the book's worked network (chapter 5).

The steps and the state it moves through are pure functions in :mod:`mathnn.widgets.backward_pass`
(:func:`~mathnn.widgets.backward_pass.backprop_steps`, :class:`~mathnn.widgets.backward_pass.DebuggerState`,
:func:`~mathnn.widgets.backward_pass.go_to`, ...; their names are importable from here too). This module
draws them: where each node's numbers are written (:func:`label_places`), the view (:class:`DebuggerView`,
the dependency graph of :mod:`mathnn.graph` with the numbers found so far), the live widget
(:class:`BackpropDebugger`) and its site twin (:func:`backprop_debugger_site`, which draws the same graph as
SVG in the page with the script ``debugger.js`` shipped beside this module), side by side.

Examples
--------
>>> lines = node_lines(go_to(start_debugger("mse", "worked"), 2))
>>> lines["z1_0", "value"], lines["a1_0", "value"]
('0.755', '0.6803')
"""

import html
import json
from dataclasses import replace

import numpy as np
from matplotlib.colors import to_hex

from mathnn import graph as dependency
from mathnn import plots
from mathnn.widgets._canvas import script_text
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets._render import View
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets, stop
from mathnn.widgets.backward_pass import (  # noqa: F401 - the pure parts, importable from here as before
    EXAMPLES,
    LOSSES,
    MATHNN_LOSS,
    SIZES,
    DebuggerState,
    Example,
    Step,
    W,
    _parts,
    backprop_steps,
    check_choice,
    choose,
    factor,
    given_values,
    go_to,
    mathnn_network,
    mathnn_reference,
    number,
    render,
    start_debugger,
    step_back,
    step_forward,
)

CURRENT, READ = plots.PALETTE["vermillion"], plots.PALETTE["blue"]  # the quantity computed, what it reads
GRADIENT = plots.PALETTE["blue"]  # the colour of ∂C/∂ under a node
TEXT_CURRENT, TEXT_GREY = "#B34F00", "#666666"  # vermillion and grey dark enough for text on white (WCAG AA)
STRETCH = 1.18  # the graph's layout drawn taller, to leave room for three lines of numbers under a node
_GRAPH = dependency.dependency_graph(list(SIZES))
_GRAPH.position = {node: (x, STRETCH * y) for node, (x, y) in _GRAPH.position.items()}

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
        script = (script_text("debugger.js").replace("ID", element_id).replace("INTERVAL", str(int(interval)))
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
            "<script>\n" + script + "</script>",
        ]

    title = "The backward pass, one quantity at a time: the 2-2-1 network of the worked example"
    return KernelFree("debugger", title, payload, body, css=_CSS.replace("CURRENT", TEXT_CURRENT))
