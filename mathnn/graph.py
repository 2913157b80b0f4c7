r"""The dependency graph of a small network: which quantity is computed from which.

Every input :math:`x_k`, weight :math:`w^{[l]}_{jk}`, bias :math:`b^{[l]}_j`, pre-activation
:math:`z^{[l]}_j`, activation :math:`a^{[l]}_j` and the cost :math:`C` is a node; an arrow runs from
each quantity to every quantity computed directly from it:

.. math::
    z^{[l]}_j = \sum_k w^{[l]}_{jk}\, a^{[l-1]}_k + b^{[l]}_j, \qquad a^{[l]}_j = g\big(z^{[l]}_j\big),
    \qquad C = \sum_j \ell\big(a^{[L]}_j, y_j\big).

The chain rule reads this graph: :math:`\partial C / \partial q` is the sum, over every path from
the node :math:`q` to :math:`C`, of the product of the local derivatives along the path
(:func:`paths` lists them). :func:`draw` pictures the graph on a matplotlib ``ax`` and can
highlight the paths from one node.

Node names are plain strings: ``"x0"``, ``"w1_01"`` (:math:`w^{[1]}_{01}`, to unit 0 from unit 1),
``"b1_0"``, ``"z1_0"``, ``"a1_0"``, ``"C"``; units are counted from 0.

Examples
--------
>>> graph = dependency_graph([2, 2, 1])
>>> graph.predecessors("z1_0")
['x0', 'x1', 'w1_00', 'w1_01', 'b1_0']
>>> paths(graph, "w1_00")
[['w1_00', 'z1_0', 'a1_0', 'z2_0', 'a2_0', 'C']]
>>> len(paths(graph, "x0"))
2
"""

from dataclasses import dataclass, field

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from mathnn.plots import GREY, PALETTE, lighten

KINDS = ("x", "w", "b", "z", "a", "C")
"""The kinds of node, in the order of the legend."""

KIND_NAMES = {"x": "input", "w": "weight", "b": "bias", "z": "pre-activation", "a": "activation", "C": "cost"}

# One fill per kind, from the book's palette, light enough for black labels.
FILLS = {
    "x": lighten("sky", 0.45),
    "w": lighten("yellow", 0.35),
    "b": lighten("yellow", 0.35),
    "z": lighten("blue", 0.7),
    "a": lighten("blue", 0.45),
    "C": lighten("orange", 0.35),
}
HIGHLIGHT = PALETTE["vermillion"]


def _name(kind, l=None, j=None, k=None):
    if kind == "C":
        return "C"
    if kind == "x":
        return f"x{j}"
    if kind == "w":
        return f"w{l}_{j}{k}"
    return f"{kind}{l}_{j}"


def _latex(kind, l=None, j=None, k=None, sizes=None):
    """The node's label in the book's notation; no subscript where a layer has one unit."""
    if kind == "C":
        return "$C$"
    if kind == "x":
        return "$x$" if sizes[0] == 1 else f"$x_{{{j}}}$"
    one = sizes[l] == 1 and (kind != "w" or sizes[l - 1] == 1)
    index = "" if one else (f"_{{{j}{k}}}" if kind == "w" else f"_{{{j}}}")
    return f"${kind}^{{[{l}]}}{index}$"


@dataclass
class DependencyGraph:
    """Nodes with their kind, label and position, and the arrows between them.

    Attributes
    ----------
    sizes : list of int, [n0, n1, ..., nL]
    kind, label : dict name -> str
    position : dict name -> (x, y), in data coordinates (units are 1.7 apart vertically)
    edges : list of (source, target), in the order they were made
    """

    sizes: list
    kind: dict = field(default_factory=dict)
    label: dict = field(default_factory=dict)
    position: dict = field(default_factory=dict)
    edges: list = field(default_factory=list)

    @property
    def nodes(self):
        return list(self.kind)

    def predecessors(self, name):
        """The nodes ``name`` is computed from, in order."""
        return [s for s, t in self.edges if t == name]

    def successors(self, name):
        """The nodes computed directly from ``name``, in order."""
        return [t for s, t in self.edges if s == name]

    def _add(self, name, kind, label, xy):
        self.kind[name], self.label[name], self.position[name] = kind, label, (float(xy[0]), float(xy[1]))


SPACING = 1.7  # between the units of a layer
FAN = 1.45  # how far a unit's parameters stand from it
STEP = 30  # degrees between neighbouring parameters of one unit


def _unit_heights(n):
    return [SPACING * ((n - 1) / 2 - j) for j in range(n)]


def dependency_graph(sizes):
    """The dependency graph of a fully connected network with layer sizes ``sizes``, e.g. ``[2, 2, 1]``.

    The layout runs left to right: inputs, then for each layer its pre-activations and its
    activations, and the cost last. The parameters of a unit fan out around it on the outside
    (above a unit in the upper half, below one in the lower half; for a unit in the middle the
    weights above and the bias below), clear of the arrows from the layer before.

    Meant for small networks (up to three or four units a layer); a bigger one is drawn, but crowded.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes needs an input and at least one layer of at least one unit, like [2, 2, 1], "
                         f"but got {sizes}.")
    graph = DependencyGraph(sizes)
    x_prev = 0.0
    for j, y in enumerate(_unit_heights(sizes[0])):
        graph._add(_name("x", j=j), "x", _latex("x", j=j, sizes=sizes), (x_prev, y))
    previous = [_name("x", j=j) for j in range(sizes[0])]
    for l in range(1, len(sizes)):
        x_z, x_a = x_prev + 2.3, x_prev + 3.5
        heights = _unit_heights(sizes[l])
        for j, y in enumerate(heights):
            z, a = _name("z", l, j), _name("a", l, j)
            graph._add(z, "z", _latex("z", l, j, sizes=sizes), (x_z, y))
            graph._add(a, "a", _latex("a", l, j, sizes=sizes), (x_a, y))
            weights = [(_name("w", l, j, k), _latex("w", l, j, k, sizes=sizes), "w") for k in range(sizes[l - 1])]
            bias = (_name("b", l, j), _latex("b", l, j, sizes=sizes), "b")
            if abs(y) < 1e-9:  # a middle unit: the weights fan out above it, the bias below
                placed = [(p, 90 + STEP * i) for i, p in enumerate(reversed(weights))] + [(bias, -90)]
            else:  # the weights and the bias fan out on the outside, reading left to right
                sign = 1.0 if y > 0 else -1.0
                placed = [(p, sign * (90 + STEP * i)) for i, p in enumerate(reversed(weights + [bias]))]
            for (name, label, kind), angle in placed:
                theta = np.radians(angle)
                graph._add(name, kind, label, (x_z + FAN * np.cos(theta), y + FAN * np.sin(theta)))
            graph.edges += [(p, z) for p in previous]
            for k in range(sizes[l - 1]):
                graph.edges.append((_name("w", l, j, k), z))
            graph.edges.append((_name("b", l, j), z))
            graph.edges.append((z, a))
        previous = [_name("a", l, j) for j in range(sizes[l])]
        x_prev = x_a
    graph._add("C", "C", "$C$", (x_prev + 1.5, 0.0))
    graph.edges += [(a, "C") for a in previous]
    return graph


def paths(graph, source, target="C"):
    """Every path from ``source`` to ``target`` along the arrows, each a list of node names.

    :math:`\\partial C / \\partial q` is the sum over these paths of the product of the local
    derivatives along each (the multivariable chain rule).
    """
    if source not in graph.kind:
        raise ValueError(f"the graph has no node {source!r}; its nodes are named like 'x0', 'w1_01', 'b2_0', "
                         f"'z1_0', 'a1_0' and 'C'.")
    if source == target:
        return [[target]]
    found = []
    for after in graph.successors(source):
        found += [[source] + rest for rest in paths(graph, after, target)]
    return found


def _endpoints(start, end, radius):
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    direction = (end - start) / np.linalg.norm(end - start)
    return tuple(start + radius * direction), tuple(end - radius * direction)


def draw(ax, graph, highlight=None, radius=0.34, fontsize=11, dim=True):
    """Draw ``graph`` on ``ax``: a circle per quantity, an arrow from each to what is computed from it.

    Parameters
    ----------
    ax : matplotlib Axes
    graph : DependencyGraph, or a list of layer sizes
    highlight : str or list of str, optional
        Node names; every path from each of them to C is drawn thick in vermillion, and (with ``dim``)
        the rest of the graph pale.
    radius : float, of each circle in data units
    fontsize : float, of the labels
    dim : bool, make what is not highlighted pale

    Returns
    -------
    dict
        "nodes": {name: Circle}, "labels": {name: Text}, "edges": {(source, target): FancyArrowPatch},
        "highlighted": the set of node names on the highlighted paths.
    """
    if not isinstance(graph, DependencyGraph):
        graph = dependency_graph(graph)
    sources = [highlight] if isinstance(highlight, str) else list(highlight or [])
    on_path, path_edges = set(), set()
    for source in sources:
        for path in paths(graph, source):
            on_path.update(path)
            path_edges.update(zip(path, path[1:]))
    faded = dim and bool(sources)

    edges = {}
    for source, target in graph.edges:
        hot = (source, target) in path_edges
        start, end = _endpoints(graph.position[source], graph.position[target], radius)
        arrow = FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=12 if hot else 9,
            color=HIGHLIGHT if hot else GREY, linewidth=2.2 if hot else 0.9,
            alpha=1.0 if hot or not faded else 0.35, zorder=3 if hot else 1, shrinkA=0, shrinkB=0,
        )
        ax.add_patch(arrow)
        edges[source, target] = arrow

    nodes, labels = {}, {}
    for name in graph.nodes:
        hot = name in on_path
        pale = faded and not hot
        circle = Circle(
            graph.position[name], radius, facecolor=lighten(FILLS[graph.kind[name]], 0.6 if pale else 0.0),
            edgecolor=HIGHLIGHT if hot else ("#bbbbbb" if pale else "black"),
            linewidth=2.2 if hot else 1.0, zorder=4,
        )
        ax.add_patch(circle)
        nodes[name] = circle
        labels[name] = ax.text(
            *graph.position[name], graph.label[name], ha="center", va="center", fontsize=fontsize,
            color="#999999" if pale else "black", zorder=5,
        )

    xs = [x for x, _ in graph.position.values()]
    ys = [y for _, y in graph.position.values()]
    pad = radius + 0.25
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"nodes": nodes, "labels": labels, "edges": edges, "highlighted": on_path}
