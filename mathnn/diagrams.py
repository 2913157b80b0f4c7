r"""The picture of a network's architecture: one column of units per layer, a line for every weight.

Drawn in the palette of :mod:`mathnn.plots`, on an ``ax`` you pass in; the artists come back in a
dict, as every helper of :mod:`mathnn.plots` returns them.

Examples
--------
>>> from matplotlib.figure import Figure
>>> artists = network_diagram(Figure().add_subplot(), [2, 3, 1])
>>> sorted(artists)
['edges', 'labels', 'units']
"""

from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import Circle

from mathnn.plots import GREY, PALETTE


def _unit_slots(n, max_units):
    """Vertical positions of the units drawn for a layer of n units; None marks the "⋮" slot."""
    if n <= max_units:
        slots = list(range(n))
    else:
        top = (max_units - 1) // 2
        bottom = max_units - 1 - top
        slots = list(range(top)) + [None] + list(range(n - bottom, n))
    middle = (len(slots) - 1) / 2
    return [(middle - i, unit) for i, unit in enumerate(slots)]


def network_diagram(ax, sizes, max_units=9, layer_spacing=2.6, radius=0.3, unit_labels=True):
    """Draw a fully connected network: one column of units per layer, a line for every weight.

    A layer with more than ``max_units`` units shows its first and last few with "⋮" between them,
    and every drawn unit is connected to every drawn unit of the next layer.

    Parameters
    ----------
    ax : matplotlib Axes
    sizes : sequence of int, [n0, n1, ..., nL], input layer first
    max_units : int, the most units drawn in one column
    layer_spacing : float, the distance between columns, in units of the unit spacing
    radius : float, of each unit's circle
    unit_labels : bool, write x_0, x_1, ... next to the inputs and ŷ next to the outputs

    Returns
    -------
    dict: "units" (PatchCollection), "edges" (LineCollection), "labels" (list of Text)
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes needs at least two layers of at least one unit, like [2, 3, 1], but got {sizes}.")
    if max_units < 3:
        raise ValueError(f"max_units must be at least 3 (first unit, ⋮, last unit), but got {max_units}.")
    L = len(sizes) - 1
    columns = [_unit_slots(n, max_units) for n in sizes]
    centers = [[(l * layer_spacing, y) for y, unit in column if unit is not None] for l, column in enumerate(columns)]

    segments = [(a, b) for left, right in zip(centers, centers[1:]) for a in left for b in right]
    thin = len(segments) > 150
    edges = LineCollection(segments, colors=GREY, linewidths=0.35 if thin else 0.8, alpha=0.45 if thin else 0.7,
                           zorder=1)
    ax.add_collection(edges)

    fills = [PALETTE["sky"]] + [PALETTE["blue"]] * (L - 1) + [PALETTE["orange"]]
    circles, colors = [], []
    for l, layer in enumerate(centers):
        for x, y in layer:
            circles.append(Circle((x, y), radius))
            colors.append(fills[l])
    units = PatchCollection(circles, facecolors=colors, edgecolors="black", linewidths=1.0, zorder=2)
    ax.add_collection(units)

    labels = []
    top = max(y for column in centers for _, y in column) + radius
    bottom = min(y for column in centers for _, y in column) - radius
    for l, column in enumerate(columns):
        x = l * layer_spacing
        for y, unit in column:
            if unit is None:
                labels.append(ax.text(x, y, "⋮", ha="center", va="center", fontsize=18, zorder=3))
        labels.append(ax.text(x, bottom - 0.45, f"$n^{{[{l}]}} = {sizes[l]}$", ha="center", va="top", fontsize=11))
    title_y = top + 0.45
    labels.append(ax.text(0, title_y, "input\nlayer", ha="center", va="bottom", fontsize=11))
    labels.append(ax.text(L * layer_spacing, title_y, "output\nlayer", ha="center", va="bottom", fontsize=11))
    if L > 1:
        first, last = layer_spacing, (L - 1) * layer_spacing
        name = "hidden\nlayer" if L == 2 else "hidden layers"
        labels.append(ax.text((first + last) / 2, title_y, name, ha="center", va="bottom", fontsize=11))
        if L > 2:  # a bracket over the hidden columns
            ax.plot([first, first, last, last], [title_y - 0.1, title_y - 0.05, title_y - 0.05,
                                                              title_y - 0.1], color="black", linewidth=0.8)
    if unit_labels:
        for (x, y), (_, unit) in zip(centers[0], [s for s in columns[0] if s[1] is not None]):
            labels.append(ax.text(x - radius - 0.15, y, f"$x_{{{unit}}}$", ha="right", va="center", fontsize=11))
        output_units = [s for s in columns[-1] if s[1] is not None]
        for (x, y), (_, unit) in zip(centers[-1], output_units):
            name = r"$\hat y$" if sizes[-1] == 1 else rf"$\hat y_{{{unit}}}$"
            labels.append(ax.text(x + radius + 0.15, y, name, ha="left", va="center", fontsize=11))

    margin = 1.0
    ax.set_xlim(-margin - 0.3, L * layer_spacing + margin + 0.3)
    ax.set_ylim(bottom - 1.3, title_y + 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"units": units, "edges": edges, "labels": labels}
