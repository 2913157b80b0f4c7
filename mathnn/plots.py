r"""Pictures of the book: activations, loss curves, loss surfaces with descent paths, decision boundaries.

Every helper draws on an ``ax`` you pass in and returns the artists it made, in a dict keyed by what
each artist shows, so a caller (a widget, an animation) can update them later. No helper calls
``plt.show()`` or changes matplotlib's global settings.

All colours come from one colour-blind-safe palette, Okabe and Ito's (``PALETTE``); classes are
also told apart by marker shape, so the pictures read in grey too.

Examples
--------
>>> from matplotlib.figure import Figure
>>> fig = Figure()
>>> ax = fig.add_subplot()
>>> artists = activation(ax, "tanh")
>>> sorted(artists)
['derivative', 'value']
"""

import contourpy
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, to_rgb

from mathnn import activations

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
}
CLASS_COLORS = ("blue", "orange", "green", "purple", "sky", "vermillion")  # class k gets CLASS_COLORS[k]
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")
GREY = "#777777"


def lighten(color, amount):
    """``color`` mixed with white: amount 0 keeps it, amount 1 gives white. Returns an RGB tuple."""
    rgb = np.array(to_rgb(PALETTE.get(color, color)))
    return tuple(rgb + (1.0 - rgb) * amount)


# Probability of class 1, from class 0's colour through white (undecided, p = 0.5) to class 1's colour.
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "mathnn_probability", [lighten("blue", 0.45), (1.0, 1.0, 1.0), lighten("orange", 0.45)]
)


def class_color(k):
    """The palette colour of class ``k`` (0, 1, 2, ...)."""
    return PALETTE[CLASS_COLORS[k % len(CLASS_COLORS)]]


# --- activations --------------------------------------------------------------------------------


def activation(ax, name, z=None):
    """Draw an activation g(z) (solid) and its derivative g'(z) (dashed).

    Parameters
    ----------
    ax : matplotlib Axes
    name : str
        An elementwise activation of :mod:`mathnn.activations` ("sigmoid", "tanh", "relu", ...).
    z : ndarray of shape (k,), optional
        Where to evaluate; by default 401 points in [-5, 5].

    Returns
    -------
    dict with the Line2D artists "value" and "derivative"
    """
    g = activations.get(name)
    if not g.elementwise:
        raise ValueError(
            f"{g.name} is not elementwise: each output depends on the whole column, so it has no "
            "single curve g(z). Plot one of: sigmoid, tanh, relu, leaky_relu, step, linear."
        )
    z = np.linspace(-5.0, 5.0, 401) if z is None else np.asarray(z, dtype=np.float64).ravel()
    Z = z[None, :]  # activations act on (n, m) matrices
    value, derivative = g.value(Z)[0], g.derivative(Z)[0]
    ax.axhline(0, color=GREY, linewidth=0.8, zorder=0)
    ax.axvline(0, color=GREY, linewidth=0.8, zorder=0)
    (value_line,) = ax.plot(*_break_jumps(z, value), color=PALETTE["blue"], linewidth=2.6, label="$g(z)$")
    # Thinner than g, so where the two coincide (step and ReLU for z < 0, both 0) g still shows on each side.
    (derivative_line,) = ax.plot(
        *_break_jumps(z, derivative), color=PALETTE["vermillion"], linewidth=1.4, linestyle="--", label="$g'(z)$"
    )
    if g.name == "step":  # g(0) = 1: a filled dot on the upper branch, an open one on the lower
        ax.plot([0], [1], "o", color=PALETTE["blue"], markersize=6)
        ax.plot([0], [0], "o", color="white", markeredgecolor=PALETTE["blue"], markersize=6)
    ax.set_xlabel("$z$")
    ax.set_title(g.name)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    return {"value": value_line, "derivative": derivative_line}


def _break_jumps(z, y):
    """Insert a gap (NaN) where y jumps, so a discontinuity is not drawn as a vertical line.

    A jump is a step between neighbouring samples that is both large (a fifth of the curve's range)
    and far larger than a typical step (five times the median), which a smooth curve never makes.
    """
    steps = np.abs(np.diff(y))
    jumps = np.flatnonzero((steps > 0.2 * np.ptp(y)) & (steps > 5 * np.median(steps))) + 1
    return np.insert(z, jumps, np.nan), np.insert(y, jumps, np.nan)


# --- training curves ----------------------------------------------------------------------------


def loss_curve(ax, history, accuracy=False, log=False):
    """Draw the cost per epoch: training (solid) and validation (dashed), if measured.

    Parameters
    ----------
    ax : matplotlib Axes
    history : mathnn.network.History, or a sequence of losses (one per epoch)
    accuracy : bool
        Also draw the accuracy per epoch on a second y-axis (dotted), if the history has it.
    log : bool
        A logarithmic cost axis, to see the slow end of training.

    Returns
    -------
    dict of Line2D artists: "loss", and "val_loss", "accuracy", "val_accuracy" when drawn
    """
    losses = list(getattr(history, "loss", history))
    val_losses = list(getattr(history, "val_loss", []))
    artists = {}
    epochs = np.arange(1, len(losses) + 1)
    (artists["loss"],) = ax.plot(epochs, losses, color=PALETTE["blue"], linewidth=2, label="training cost")
    if val_losses:
        (artists["val_loss"],) = ax.plot(
            np.arange(1, len(val_losses) + 1), val_losses, color=PALETTE["vermillion"], linewidth=2,
            linestyle="--", label="validation cost",
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost $C$")
    if log:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    handles = list(artists.values())
    train_acc = [a for a in getattr(history, "accuracy", []) if a is not None]
    if accuracy and train_acc:
        twin = ax.twinx()
        (artists["accuracy"],) = twin.plot(
            np.arange(1, len(train_acc) + 1), train_acc, color=PALETTE["green"], linewidth=1.8,
            linestyle=":", label="training accuracy",
        )
        val_acc = [a for a in getattr(history, "val_accuracy", []) if a is not None]
        if val_acc:
            (artists["val_accuracy"],) = twin.plot(
                np.arange(1, len(val_acc) + 1), val_acc, color=PALETTE["purple"], linewidth=1.8,
                linestyle="-.", label="validation accuracy",
            )
        twin.set_ylim(0, 1.02)
        twin.set_ylabel("accuracy")
        handles = list(artists.values())
        # Above the axes: with two y-scales no spot inside is sure to be free of lines.
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    else:
        ax.legend(handles=handles, loc="upper right")
    return artists


# --- loss surfaces and gradient-descent paths ---------------------------------------------------


def descent_path(ax, path, f=None, color=None):
    """Draw a gradient-descent path: dots joined by arrows, the start and the end marked.

    Parameters
    ----------
    ax : matplotlib Axes
    path : ndarray of shape (k,) or (k, 2)
        k points visited, the start first. One coordinate per point: drawn at height f(x), on a
        1-D curve; two: drawn in the plane. Points that are NaN or infinite are left out.
    f : callable, required for a 1-D path

    Returns
    -------
    dict: "arrows" (Quiver, or None for a single point), "points" (Line2D), "start" and "end" (Line2D)
    """
    color = color or PALETTE["vermillion"]
    path = np.asarray(path, dtype=np.float64)
    if path.ndim == 1:
        if f is None:
            raise ValueError("a 1-D path needs f, the function it descends, to know the height of each point.")
        with np.errstate(over="ignore", invalid="ignore"):
            points = np.column_stack([path, f(path)])
    elif path.ndim == 2 and path.shape[1] == 2:
        points = path
    else:
        raise ValueError(f"path must have shape (k,) or (k, 2), one row per step, but got {path.shape}.")
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        raise ValueError("the path has no finite points to draw.")
    x, y = points[:, 0], points[:, 1]
    arrows = None
    if len(points) > 1:
        arrows = ax.quiver(
            x[:-1], y[:-1], np.diff(x), np.diff(y), angles="xy", scale_units="xy", scale=1, color=color,
            width=0.005, headwidth=4, headlength=5, headaxislength=4.5, minlength=0, zorder=3,
        )
    (dots,) = ax.plot(x, y, "o", color=color, markersize=4, zorder=4)
    (start,) = ax.plot(x[0], y[0], "o", color="white", markeredgecolor="black", markersize=10, zorder=5,
                       label="start")
    (end,) = ax.plot(x[-1], y[-1], "*", color=PALETTE["yellow"], markeredgecolor="black", markersize=15,
                     zorder=6, label="end")
    return {"arrows": arrows, "points": dots, "start": start, "end": end}


def _range_around(values, minimum_width=1.0, pad=0.15):
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values) & (np.abs(values) < 1e6)]
    low, high = (values.min(), values.max()) if values.size else (-1.0, 1.0)
    middle, half = (low + high) / 2, max(high - low, minimum_width) / 2 * (1 + pad)
    return middle - half, middle + half


def loss_surface_1d(ax, f, path, x_range=None, num=400):
    """Draw a function of one variable and a gradient-descent path down it.

    Parameters
    ----------
    ax : matplotlib Axes
    f : callable, vectorised: ndarray (k,) -> ndarray (k,)
    path : ndarray of shape (k,), the points visited, one per step
    x_range : (low, high), optional; by default around the path
    num : int, how many points draw the curve

    Returns
    -------
    dict: "curve" (Line2D) and the artists of :func:`descent_path`
    """
    x_range = x_range or _range_around(path)
    x = np.linspace(*x_range, num)
    y = f(x)
    (curve,) = ax.plot(x, y, color=PALETTE["blue"], linewidth=2, zorder=2)
    artists = {"curve": curve, **descent_path(ax, path, f)}
    ax.set_xlim(*x_range)  # a diverging path must not drag the view out to 1e6
    span = y.max() - y.min()
    ax.set_ylim(y.min() - 0.08 * span, y.max() + 0.08 * span)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$")
    ax.grid(True, alpha=0.3)
    return artists


def loss_surface_2d(ax, f, path, x_range=None, y_range=None, levels=15, num=200):
    """Draw the contours of a function of two variables and a gradient-descent path across them.

    Parameters
    ----------
    ax : matplotlib Axes
    f : callable (x0, x1) -> value, vectorised over arrays of equal shape
    path : ndarray of shape (k, 2), the points visited, one row per step
    x_range, y_range : (low, high), optional; by default around the path
    levels : int or sequence of float, the contour levels
    num : int, grid points per axis

    Returns
    -------
    dict: "filled" and "lines" (ContourSet) and the artists of :func:`descent_path`
    """
    path = np.asarray(path, dtype=np.float64)
    x_range = x_range or _range_around(path[:, 0])
    y_range = y_range or _range_around(path[:, 1])
    X1, X2 = np.meshgrid(np.linspace(*x_range, num), np.linspace(*y_range, num))
    F = f(X1, X2)
    filled = ax.contourf(X1, X2, F, levels=levels, cmap="Blues_r", alpha=0.55, extend="max", zorder=0)
    lines = ax.contour(X1, X2, F, levels=filled.levels, colors=PALETTE["blue"], linewidths=0.6, alpha=0.7,
                       zorder=1)
    artists = {"filled": filled, "lines": lines, **descent_path(ax, path)}
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return artists


# --- decision boundaries ------------------------------------------------------------------------


def boundary_grid(X, grid=100, padding=0.5):
    """A grid of points covering the data, for drawing what a classifier decides everywhere.

    Parameters
    ----------
    X : ndarray of shape (2, m)
    grid : int, points per axis
    padding : float, margin added on every side of the data

    Returns
    -------
    extent : (x1_min, x1_max, x2_min, x2_max)
    points : ndarray of shape (2, grid * grid), one grid point per column, row by row from the bottom
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"decision boundaries need 2-D data, X of shape (2, m), but got shape {X.shape}.")
    extent = (X[0].min() - padding, X[0].max() + padding, X[1].min() - padding, X[1].max() + padding)
    x0, x1 = np.meshgrid(np.linspace(*extent[:2], grid), np.linspace(*extent[2:], grid))
    return extent, np.vstack([x0.ravel(), x1.ravel()])


def model_outputs(model, points):
    """What ``model`` says at each point: ndarray of shape (n_outputs, k) for points of shape (2, k).

    ``model`` is a :class:`mathnn.network.Network` (its output activations are used, e.g. the
    probabilities of a sigmoid or softmax) or any callable taking (2, k) and returning (n_outputs, k).
    """
    outputs = model.forward(points) if hasattr(model, "forward") else model(points)
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.ndim == 1:
        outputs = outputs[None, :]
    if outputs.ndim != 2 or outputs.shape[1] != points.shape[1]:
        raise ValueError(
            f"the model must return one column per point, shape (n_outputs, {points.shape[1]}), "
            f"but returned shape {outputs.shape}."
        )
    return outputs


def boundary_image(outputs, grid):
    """Turn model outputs on the grid into the picture :func:`decision_boundary` shows.

    One output row (binary): the output itself, shape (grid, grid). Several rows (multi-class): the
    index of the largest output, the predicted class, shape (grid, grid).
    """
    if outputs.shape[0] == 1:
        return outputs[0].reshape(grid, grid)
    return outputs.argmax(axis=0).reshape(grid, grid).astype(np.float64)


def class_labels(Y):
    """Labels of shape (m,) from labels of shape (1, m) or one-hot columns of shape (classes, m)."""
    Y = np.asarray(Y)
    if Y.ndim == 1:
        return Y.astype(int)
    return Y[0].astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0)


def scatter_classes(ax, X, Y, size=30):
    """Scatter the columns of X (2, m), one colour and marker per class of Y; returns a list of PathCollection."""
    labels = class_labels(Y)
    return [
        ax.scatter(
            X[0, labels == k], X[1, labels == k], s=size, color=class_color(k), marker=CLASS_MARKERS[k % 6],
            edgecolors="black", linewidths=0.5, zorder=3, label=f"class {k}",
        )
        for k in np.unique(labels)
    ]


def decision_boundary(ax, model, X, Y, grid=100, padding=0.5, threshold=0.5):
    """Shade what a classifier decides over the plane, draw its boundary, and scatter the data on top.

    Binary (one output): the shading is the output, e.g. the probability of class 1, from class 0's
    colour through white (undecided) to class 1's, and a black line marks output = ``threshold``.
    Multi-class (several outputs): each region takes the light colour of the class predicted there.

    Parameters
    ----------
    ax : matplotlib Axes
    model : Network, or callable (2, k) -> (n_outputs, k)
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m) of labels 0, 1, ..., or one-hot of shape (classes, m)
    grid : int, points per axis of the shading
    padding : float, margin around the data
    threshold : float, the level of the boundary line of a binary classifier

    Returns
    -------
    dict: "shading" (AxesImage), "boundary" (LineCollection, or None for multi-class), "points" (list of PathCollection)
    """
    extent, points = boundary_grid(X, grid, padding)
    outputs = model_outputs(model, points)
    image = boundary_image(outputs, grid)
    # Pixel centres on the grid points: the picture reaches half a pixel beyond them (cropped by the limits).
    half_x, half_y = (extent[1] - extent[0]) / (grid - 1) / 2, (extent[3] - extent[2]) / (grid - 1) / 2
    pixels = (extent[0] - half_x, extent[1] + half_x, extent[2] - half_y, extent[3] + half_y)
    if outputs.shape[0] == 1:
        shading = ax.imshow(image, origin="lower", extent=pixels, cmap=PROBABILITY_CMAP, vmin=0, vmax=1,
                            aspect="auto", interpolation="bilinear", zorder=0)
        boundary = LineCollection(boundary_segments(image, extent, threshold), colors="black", linewidths=1.6,
                                  zorder=2)
        ax.add_collection(boundary)
    else:
        classes = max(int(image.max()) + 1, int(class_labels(Y).max()) + 1)
        cmap = ListedColormap([lighten(CLASS_COLORS[k % 6], 0.6) for k in range(classes)])
        shading = ax.imshow(image, origin="lower", extent=pixels, cmap=cmap, vmin=-0.5, vmax=classes - 0.5,
                            aspect="auto", interpolation="nearest", zorder=0)
        boundary = None
    scattered = scatter_classes(ax, X, Y)
    ax.set_xlim(*extent[:2])
    ax.set_ylim(*extent[2:])
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return {"shading": shading, "boundary": boundary, "points": scattered}


def boundary_segments(image, extent, threshold=0.5):
    """The curves where a binary classifier's output crosses ``threshold``.

    Parameters
    ----------
    image : ndarray of shape (grid, grid), the output on the grid of :func:`boundary_grid`
    extent : (x1_min, x1_max, x2_min, x2_max)

    Returns
    -------
    list of ndarray of shape (k, 2), one polyline per piece of the boundary (empty if there is none);
    ready for ``LineCollection.set_segments``, so an animation can move the boundary without redrawing it.
    """
    x0 = np.linspace(*extent[:2], image.shape[1])
    x1 = np.linspace(*extent[2:], image.shape[0])
    return contourpy.contour_generator(x0, x1, image).lines(threshold)
