r"""The shape of every matrix in a dense network: a pure table, a live explorer and its kernel-free twin.

For layer sizes ``[n0, n1, ..., nL]`` and m examples (examples are columns):

- ``X`` = A^[0] has shape (n0, m): the input, one column per example;
- ``W{l}`` has shape (n[l], n[l-1]): row j holds the weights *to* unit j;
- ``b{l}`` has shape (n[l], 1): one bias per unit, broadcast across the m columns;
- ``Z{l}`` and ``A{l}`` have shape (n[l], m): :math:`Z = W A_{prev} + b` and A = g(Z).

:func:`shape_table` and :func:`parameter_count` are plain functions; :func:`parse_sizes` reads layer
sizes from text, for this widget and the playground's hidden layers alike; :class:`ShapeExplorer` is a
thin ipywidgets skin over them; :func:`shape_explorer_html` is its site twin, the same explorer as
HTML and JavaScript in the book's explorer container, for the website, where no kernel runs.

Examples
--------
>>> table = shape_table([2, 3, 1], m=4)
>>> [(row.name, row.shape) for row in table][:5]
[('X', (2, 4)), ('W1', (3, 2)), ('b1', (3, 1)), ('Z1', (3, 4)), ('A1', (3, 4))]
>>> table.parameters, parameter_count([2, 25, 50, 50, 25, 1])
(13, 5226)
"""


import html
import json
import numbers
import re
from typing import NamedTuple

import numpy as np

from mathnn.validate import check_count
from mathnn.widgets._explorer import INPUT_CSS, KernelFree
from mathnn.widgets._skin import Skin, errors_shown, ipywidgets

MAX_LAYERS = 20  # layers with weights that a text like "2, 25, 1" may describe
MAX_UNITS = 100_000  # units per layer in such a text
SIZE_BUDGET = 50_000  # bytes of HTML for the kernel-free explorer
MAX_M = 10_000  # the m slider runs from 1 to this, on a log scale
M_STEP = 0.001  # of log10 m, live; the site's slider moves freely (step "any")


# What each array is. {l}: the layer, {lp}: l - 1, {n}: units of layer l, {n_prev}: of layer l - 1.
# "^[...]" is shown as a superscript. The website's JavaScript fills in the same texts.
MEANINGS = {
    "X": ("X = A^[0]", "the input: one column of {n} features per example"),
    "W": ("W^[{l}]", "row j: the {n_prev} weights into unit j of layer {l}"),
    "b": ("b^[{l}]", "one bias per unit, broadcast across the m columns"),
    "Z": ("Z^[{l}]", "pre-activations W^[{l}] A^[{lp}] + b^[{l}]"),
    "A": ("A^[{l}]", "activations g^[{l}](Z^[{l}]), the input of layer {lnext}"),
    "A_last": ("A^[{l}] = Ŷ", "the output g^[{l}](Z^[{l}]), shaped like Y"),
}


class ShapeRow(NamedTuple):
    """One array of the network: its name in code, its symbol, its shape and what it holds."""

    name: str  # "X", "W1", "b1", "Z1", "A1", ...
    symbol: str  # "W^[1]": the book's symbol, "^[1]" marking the superscript
    shape: tuple
    meaning: str

    @property
    def entries(self):
        """How many numbers the array holds."""
        return int(np.prod(self.shape))


class ShapeTable(list):
    """A list of :class:`ShapeRow`; shows itself as a table in a notebook."""

    @property
    def parameters(self):
        """The number of weights and biases: the entries of every W and b."""
        return sum(row.entries for row in self if row.name[0] in "Wb")

    def __repr__(self):
        lines = [f"{row.name:<4} {row.symbol:<12} {str(row.shape):<14} {row.meaning}" for row in self]
        return "\n".join(lines + [f"parameters: {self.parameters:,}"])

    def html(self):
        """The table as an HTML fragment with inline styles (the site's JavaScript writes the same)."""
        return table_html([(row.name, row.symbol, row.shape, row.meaning) for row in self], self.parameters)

    def _repr_html_(self):
        return self.html()


def check_sizes(sizes):
    """Return the layer sizes as a tuple of ints, or raise an error that says what was expected.

    Parameters
    ----------
    sizes : sequence of int, ``[n0, n1, ..., nL]``, the input size first, each at least 1
    """
    if isinstance(sizes, (str, bytes)):
        raise TypeError(
            f"sizes must be a list of whole numbers like [2, 25, 1], but got the text {sizes!r}; "
            f"for text use parse_sizes({sizes!r})."
        )
    if isinstance(sizes, np.ndarray) and sizes.ndim != 1:
        raise ValueError(f"sizes must be a flat list like [2, 25, 1], but got an array of shape {sizes.shape}.")
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(
            f"sizes must be a list of whole numbers like [2, 25, 1], but got {type(sizes).__name__} {sizes!r}."
        ) from None
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least two numbers, the input size and the output size, like [2, 1], but got {sizes}."
        )
    for l, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"layer {l} size must be a whole number, but got {type(n).__name__} {n!r} in {sizes}.")
        if n < 1:
            raise ValueError(f"every layer needs at least 1 unit, but layer {l} has {n} in {sizes}.")
    return tuple(int(n) for n in sizes)


class SizeRule(NamedTuple):
    """What a text of layer sizes may hold, and the words its errors use."""

    what: str  # what the sizes are, e.g. "layer sizes"
    example: str  # a good text, e.g. "2, 25, 1"
    fewest: int  # how many sizes the text must hold at least
    too_few: str  # the error when it holds fewer
    most: int  # how many sizes it may hold at most
    max_units: int  # the largest size
    too_big: str  # the error when it holds more or larger sizes


# The shape explorer's texts: the input size first, the output size last.
LAYER_SIZES = SizeRule(
    "layer sizes", "2, 25, 1", 2, "give at least two layer sizes, the input and the output, like '2, 1'.",
    MAX_LAYERS + 1, MAX_UNITS, f"this explorer takes at most {MAX_LAYERS} layers of at most {MAX_UNITS:,} units.",
)


def parse_sizes(text, rule=LAYER_SIZES):
    """Layer sizes from text like ``"2, 25, 50, 50, 25, 1"`` (commas or spaces between whole numbers).

    The one reader of size texts: ``rule`` (a :class:`SizeRule`) says how many sizes of what size
    the text may hold; the playground passes its own rule for hidden layers.

    >>> parse_sizes("2, 25, 1")
    (2, 25, 1)
    """
    if not isinstance(text, str):
        raise TypeError(f"{rule.what} must be text like '{rule.example}', but got {type(text).__name__} {text!r}.")
    pieces = [piece for piece in re.split(r"[\s,]+", text) if piece]
    for piece in pieces:
        if not re.fullmatch(r"[0-9]+", piece) or int(piece) < 1:
            raise ValueError(f"{rule.what} are whole numbers ≥ 1 like '{rule.example}', but '{piece}' is not.")
    if len(pieces) < rule.fewest:
        raise ValueError(rule.too_few)
    if len(pieces) > rule.most or any(int(piece) > rule.max_units for piece in pieces):
        raise ValueError(rule.too_big)
    return tuple(int(piece) for piece in pieces)



def shape_table(sizes, m):
    """The name, symbol, shape and meaning of every array of a dense network on m examples.

    Parameters
    ----------
    sizes : sequence of int, ``[n0, n1, ..., nL]``
    m : int, the number of examples (columns)

    Returns
    -------
    ShapeTable
        Rows X, then W, b, Z, A of each layer l = 1..L: 1 + 4L rows.
    """
    sizes = check_sizes(sizes)
    m = check_count(m, "m")
    L = len(sizes) - 1
    rows = [_row("X", "X", (sizes[0], m), l=0, n=sizes[0], n_prev=0, m=m)]
    for l in range(1, L + 1):
        n, n_prev = sizes[l], sizes[l - 1]
        for kind, shape in [("W", (n, n_prev)), ("b", (n, 1)), ("Z", (n, m)), ("A", (n, m))]:
            key = "A_last" if kind == "A" and l == L else kind
            rows.append(_row(f"{kind}{l}", key, shape, l=l, n=n, n_prev=n_prev, m=m))
    return ShapeTable(rows)


def _row(name, key, shape, **values):
    symbol, meaning = MEANINGS[key]
    values.update(lp=values["l"] - 1, lnext=values["l"] + 1)
    return ShapeRow(name, symbol.format(**values), shape, meaning.format(**values))


def m_from_slider(value):
    """The number of examples a log-scale slider's ``value`` stands for: the nearest whole number ≥ 1.

    >>> m_from_slider(1023.29), m_from_slider(10 ** 1.806)
    (1023, 64)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0.5:
        raise ValueError(f"the m slider must stand for a whole number of examples ≥ 1, but it is at {value!r}.")
    return int(round(value))


def parameter_count(sizes):
    r"""The number of weights and biases, :math:`\sum_{l=1}^{L} n^{[l]} (n^{[l-1]} + 1)`.

    >>> parameter_count([2, 3, 1])
    13
    """
    sizes = check_sizes(sizes)
    return sum(n * (n_prev + 1) for n_prev, n in zip(sizes, sizes[1:]))


# --- the table as HTML: written here and, for the website, by _JS_TABLE below -------------------

_CELL = "padding:3px 6px;text-align:left;vertical-align:top;border-bottom:1px solid #ddd"
_NOWRAP = ";white-space:nowrap"  # the name, shape and entries: shapes like (25, 1000) stay on one line
_TABLE = "border-collapse:collapse;font-size:14px;margin:6px 0"
_SHADE = "background:#f3f6fa"


def _sup(text):
    """Escape text for HTML and write "^[3]" as a superscript "[3]"."""
    return re.sub(r"\^\[([^\]]*)\]", r"<sup>[\1]</sup>", html.escape(text, quote=False))


def _thousands(n):
    return f"{n:,}"


def table_html(rows, parameters):
    """HTML for rows of (name, symbol, shape, meaning) and the parameter count; rows of odd layers shaded."""
    titles = ("array", "symbol", "shape", "entries", "what it is")
    head = "".join(f'<th style="{_CELL}">{title}</th>' for title in titles)
    body = []
    for name, symbol, shape, meaning in rows:
        layer = int(name[1:] or 0)
        shade = f' style="{_SHADE}"' if layer % 2 else ""
        cells = [f"<code>{name}</code>", _sup(symbol), "(" + ", ".join(map(str, shape)) + ")",
                 _thousands(int(np.prod(shape))), _sup(meaning)]
        styles = [_CELL + _NOWRAP, _CELL, _CELL + _NOWRAP, _CELL + _NOWRAP, _CELL]  # symbol, meaning may wrap
        body.append(f"<tr{shade}>" + "".join(f'<td style="{style}">{cell}</td>' for style, cell in zip(styles, cells))
                    + "</tr>")
    foot = (f'<tr><td colspan="5" style="{_CELL}">parameters (the entries of every W and b): '
            f"<b>{_thousands(parameters)}</b></td></tr>")
    return (f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            f"<tfoot>{foot}</tfoot></table>")


# --- the live widget ----------------------------------------------------------------------------


class ShapeExplorer(Skin):
    """Type layer sizes and slide m; the table shows every array's shape and the parameter count.

    A size text that is not valid shows its error in the widget's error area; the table keeps the
    last valid network.

    >>> explorer = ShapeExplorer(sizes=(2, 3, 1), m=4)
    >>> explorer.sizes_box.value = "2, 3, 3, 1"
    >>> explorer.rows.parameters
    25
    """

    def __init__(self, sizes=(2, 25, 50, 50, 25, 1), m=1000):
        widgets = ipywidgets()
        super().__init__()
        self.rows = shape_table(sizes, m)
        self.sizes_box = widgets.Text(value=", ".join(map(str, check_sizes(sizes))), description="layer sizes",
                                      continuous_update=False, placeholder="e.g. 2, 25, 1",
                                      style={"description_width": "initial"})
        # m on a log scale: 1, 10, 100, ... are equally far apart; the slider moves log10 m by 0.001
        self.m_slider = widgets.FloatLogSlider(value=m, base=10, min=0, max=float(np.log10(max(MAX_M, m))),
                                               step=M_STEP, description="examples m", readout_format=",.0f",
                                               continuous_update=False, style={"description_width": "initial"})
        self.table = widgets.HTML(self.rows.html())
        self.sizes_box.observe(self._on_change, names="value")
        self.m_slider.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.sizes_box, self.m_slider]), self.output, self.table])

    @errors_shown
    def _on_change(self, _change=None):
        self.rows = shape_table(parse_sizes(self.sizes_box.value), m_from_slider(self.m_slider.value))
        self.table.value = self.rows.html()


# --- the kernel-free explorer for the website ----------------------------------------------------

# parse_sizes in JavaScript, for any SizeRule (rule_json): the shape explorer's and the playground's twins read sizes
# with it, and say what is wrong in the words of the Python.
PARSE_SIZES_JS = r"""
function parseSizes(text, rule) {
  var pieces = text.split(/[\s,]+/).filter(function (p) { return p.length > 0; });
  for (var i = 0; i < pieces.length; i++) {
    if (!/^[0-9]+$/.test(pieces[i]) || Number(pieces[i]) < 1) {
      throw new Error(rule.what + " are whole numbers \u2265 1 like '" + rule.example + "', but '" + pieces[i] +
                      "' is not.");
    }
  }
  if (pieces.length < rule.fewest) { throw new Error(rule.too_few); }
  var sizes = pieces.map(Number);
  if (sizes.length > rule.most || sizes.some(function (n) { return n > rule.max_units; })) {
    throw new Error(rule.too_big);
  }
  return sizes;
}
"""


def rule_json(rule):
    """A :class:`SizeRule` as the JSON object ``parseSizes`` of ``PARSE_SIZES_JS`` reads."""
    return json.dumps(rule._asdict(), ensure_ascii=False)


# Pure functions, the JavaScript twins of parse_sizes, shape_table and table_html (tested against them).
_JS_TABLE = r"""
var MEANINGS = MEANINGS_JSON, RULE = RULE_JSON;
var CELL = "CELL_STYLE", NOWRAP = "NOWRAP_STYLE", TABLE = "TABLE_STYLE", SHADE = "SHADE_STYLE";
function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
function sup(text) {
  var escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return escaped.replace(/\^\[([^\]]*)\]/g, "<sup>[$1]</sup>");
}
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
}
PARSE_SIZES_JS
function parameterCount(sizes) {  // parameter_count
  var count = 0;
  for (var l = 1; l < sizes.length; l++) { count += sizes[l] * (sizes[l - 1] + 1); }
  return count;
}
function tableHtml(sizes, m) {
  var L = sizes.length - 1, parameters = 0;
  var titles = ["array", "symbol", "shape", "entries", "what it is"];
  var head = titles.map(function (t) { return '<th style="' + CELL + '">' + t + "</th>"; }).join("");
  function row(name, key, shape, l) {
    var values = {l: l, lp: l - 1, lnext: l + 1, n: sizes[l], n_prev: l > 0 ? sizes[l - 1] : 0, m: m};
    var entries = shape[0] * shape[1];
    if (name[0] === "W" || name[0] === "b") { parameters += entries; }
    var cells = ["<code>" + name + "</code>", sup(fill(MEANINGS[key][0], values)),
                 "(" + shape.join(", ") + ")", thousands(entries), sup(fill(MEANINGS[key][1], values))];
    var shade = l % 2 ? ' style="' + SHADE + '"' : "";
    return "<tr" + shade + ">" + cells.map(function (c, i) {
      return '<td style="' + CELL + (i === 0 || i === 2 || i === 3 ? NOWRAP : "") + '">' + c + "</td>";
    }).join("") + "</tr>";
  }
  var body = [row("X", "X", [sizes[0], m], 0)];
  for (var l = 1; l <= L; l++) {
    body.push(row("W" + l, "W", [sizes[l], sizes[l - 1]], l), row("b" + l, "b", [sizes[l], 1], l),
              row("Z" + l, "Z", [sizes[l], m], l), row("A" + l, l === L ? "A_last" : "A", [sizes[l], m], l));
  }
  var foot = '<tr><td colspan="5" style="' + CELL + '">parameters (the entries of every W and b): <b>' +
             thousands(parameters) + "</b></td></tr>";
  return '<table style="' + TABLE + '"><thead><tr>' + head + "</tr></thead><tbody>" + body.join("") +
         "</tbody><tfoot>" + foot + "</tfoot></table>";
}
"""

_JS_WIRING = r"""
var root = document.getElementById("ID"), state = null;
var text = document.getElementById("ID-sizes"), slider = document.getElementById("ID-m");
var shown = document.getElementById("ID-m-value"), error = document.getElementById("ID-error");
var table = document.getElementById("ID-table");
function update() {
  var m = Math.round(Math.pow(10, Number(slider.value)));  // m_from_slider: the slider holds log10 m
  shown.textContent = thousands(m);
  try {
    var sizes = parseSizes(text.value, RULE);
    table.innerHTML = tableHtml(sizes, m);
    error.textContent = "";
    state = {sizes: sizes, m: m, parameters: parameterCount(sizes), error: ""};
  } catch (e) {
    error.textContent = "ValueError: " + e.message + " The table below is the last valid network.";
    state = {sizes: state ? state.sizes : null, m: m, parameters: state ? state.parameters : null, error: e.message};
  }
}
root.mathnnState = function () { return JSON.parse(JSON.stringify(state)); };
text.addEventListener("input", update);
slider.addEventListener("input", update);
"""


def _javascript():
    """The pure functions with this module's texts and limits filled in."""
    return (_JS_TABLE.replace("MEANINGS_JSON", json.dumps(MEANINGS)).replace("RULE_JSON", rule_json(LAYER_SIZES))
            .replace("PARSE_SIZES_JS", PARSE_SIZES_JS)
            .replace("CELL_STYLE", _CELL).replace("NOWRAP_STYLE", _NOWRAP).replace("TABLE_STYLE", _TABLE)
            .replace("SHADE_STYLE", _SHADE))


class StaticShapeExplorer(KernelFree):
    """The shape explorer's site twin: inputs, a table and inline JavaScript in the book's explorer container.

    Attributes
    ----------
    html : str
        The fragment; a notebook shows it through ``_repr_html_``. It loads nothing from anywhere.
    id : str
        ``mathnn-shapes-<serial>-<digest of the settings>`` (no randomness).
    """

    def __init__(self, sizes=(2, 25, 50, 50, 25, 1), m=1000, max_m=MAX_M):
        sizes = check_sizes(sizes)
        m, max_m = check_count(m, "m"), check_count(max_m, "max_m")
        if m > max_m:
            raise ValueError(f"m must be at most max_m = {max_m}, but got {m}.")
        rows = shape_table(sizes, m)

        def body(element_id):
            return [
                '<div class="mx-controls">',
                f'<label>layer sizes <input type="text" id="{element_id}-sizes" size="22" '
                f'value="{", ".join(map(str, sizes))}"></label>',
                f'<label>examples m <input type="range" id="{element_id}-m" min="0" max="{float(np.log10(max_m))!r}" '
                f'step="any" value="{float(np.log10(m))!r}" aria-label="examples m, on a log scale"> '
                f'<span id="{element_id}-m-value" style="font-variant-numeric:tabular-nums">{m:,}</span></label>',
                "</div>",
                f'<p class="mx-error" id="{element_id}-error"></p>',
                f'<div id="{element_id}-table">{rows.html()}</div>',
                "<script>(function () {" + _javascript() + _JS_WIRING.replace("ID", element_id)
                + "update();\n})();</script>",
            ]

        title = "The shape of every array: type layer sizes, slide m"
        super().__init__("shapes", title, repr((sizes, m, max_m)).encode(), body, css=INPUT_CSS, budget=SIZE_BUDGET)


def shape_explorer_html(sizes=(2, 25, 50, 50, 25, 1), m=1000, max_m=MAX_M):
    """The kernel-free shape explorer for the website: a :class:`StaticShapeExplorer`.

    The m slider holds log10 m, from 0 to log10 ``max_m``, as the live widget's; its outer element
    (class ``mathnn-shapes``) has a function ``mathnnState()`` returning the sizes, m, the parameter
    count and the error shown, for tests.
    """
    return StaticShapeExplorer(sizes, m, max_m)
