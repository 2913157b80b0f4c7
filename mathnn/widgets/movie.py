r"""Training recorded, then played back: the decision boundary and the costs, frame by frame (chapter 7).

:func:`record` trains a network with :meth:`mathnn.network.Network.fit` and, after the steps it is
asked for, keeps a *frame*: the network's output :math:`\hat y` on a ``grid`` × ``grid`` lattice of the
input plane (as bytes, 0 to 255) and its cost and accuracy on the training and the test set.
:func:`draw_frame` draws a frame with matplotlib (the book's figures); :func:`movie_player` is the
player for the website and the notebook alike: a canvas on which a few lines of JavaScript paint the
shipped frames (the boundary from the bytes, the curves from the numbers), with Play, Pause, Step,
Reset and a slider. It loads nothing from anywhere (no icon font, no script from a CDN).

``BOUNDARY_JS`` is the painter, shared with the playground's site twin
(:mod:`mathnn.widgets.playground_site`): the probability shading through the colours of
``mathnn.plots.PROBABILITY_CMAP``, the 0.5 contour by marching squares, and the data points.

Examples
--------
>>> from mathnn import Network, data
>>> X, Y = data.circles(m=60, seed=0)
>>> rec = record(Network.from_sizes([2, 4, 1], seed=0), X, Y, epochs=2, learning_rate=0.5, batch_size=30,
...              seed=0, at_steps=[0, 1, 4], grid=10)
>>> rec.steps, rec.outputs.shape
([0, 1, 4], (3, 10, 10))
"""

import base64
import json
import math
from dataclasses import dataclass, field

import numpy as np
from matplotlib.collections import LineCollection

from mathnn import plots
from mathnn.validate import check_count
from mathnn.widgets._canvas import canvas_html, fixed, plot_js
from mathnn.widgets._explorer import KernelFree


@dataclass
class Recording:
    """What :func:`record` kept.

    ``outputs`` has shape (frames, grid, grid), dtype uint8: round(255 ŷ) on the lattice, row 0 at the
    bottom (the smallest x₁), as :func:`mathnn.plots.boundary_image` lays it out. ``extent`` is
    (x0_min, x0_max, x1_min, x1_max) of the lattice's points. ``X`` (2, m) and ``Y`` (1, m) are the points
    drawn (the training set). The lists hold one number per frame.
    """

    extent: tuple
    grid: int
    X: np.ndarray
    Y: np.ndarray
    steps_per_epoch: int
    steps: list = field(default_factory=list)
    outputs: np.ndarray = None
    train_cost: list = field(default_factory=list)
    test_cost: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)

    @property
    def epochs(self):
        """The epoch of every frame, fractional inside an epoch: step / steps per epoch."""
        return [step / self.steps_per_epoch for step in self.steps]

    def caption(self, k):
        """One line for frame ``k``: when, and how well.

        Its twin in the player's script writes the same text from the same numbers.
        """
        return (f"epoch {fixed(self.epochs[k], 2)} (step {self.steps[k]}): cost {fixed(self.train_cost[k], 3)} "
                f"training, {fixed(self.test_cost[k], 3)} test; accuracy {fixed(100 * self.train_accuracy[k], 1)}% "
                f"training, {fixed(100 * self.test_accuracy[k], 1)}% test")


def frame_steps(total, count):
    """About ``count`` steps from 0 to ``total``, dense at the start (where the boundary moves most).

    >>> frame_steps(750, 8)
    [0, 1, 3, 9, 27, 83, 249, 750]
    """
    total, count = check_count(total, "total"), check_count(count, "count")
    steps = np.unique(np.round(np.geomspace(1, total, max(count - 1, 1))).astype(int))
    return [0, *[int(s) for s in steps]]


def record(network, X, Y, epochs, learning_rate, batch_size, seed, at_steps, validation=None, grid=40):
    """Train ``network`` on (X, Y) with ``fit`` and keep a frame after each step in ``at_steps`` (0: before).

    Parameters
    ----------
    network : Network with one sigmoid output unit
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)
    epochs, learning_rate, batch_size, seed : as for :meth:`mathnn.network.Network.fit`
    at_steps : iterable of int, the steps after which to keep a frame
    validation : tuple (X_test, Y_test), optional; the test columns of the frames (else the training set's)
    grid : int, lattice points per axis

    Returns
    -------
    Recording
    """
    X, Y = network.check_XY(X, Y)
    X_test, Y_test = validation if validation is not None else (X, Y)
    grid = check_count(grid, "grid")
    extent, points = plots.boundary_grid(np.hstack([X, X_test]), grid)
    wanted = {int(step) for step in at_steps}
    steps_per_epoch = -(-X.shape[1] // check_count(batch_size, "batch_size"))
    rec = Recording(tuple(float(e) for e in extent), grid, X, Y, steps_per_epoch)
    images = []

    def keep(step):
        image = plots.boundary_image(plots.model_outputs(network, points), grid)
        images.append(np.round(255 * np.clip(image, 0, 1)).astype(np.uint8))
        rec.steps.append(step)
        rec.train_cost.append(network.cost(X, Y))
        rec.test_cost.append(network.cost(X_test, Y_test))
        rec.train_accuracy.append(network.accuracy(X, Y))
        rec.test_accuracy.append(network.accuracy(X_test, Y_test))

    if 0 in wanted:
        keep(0)

    def callback(event):
        if event.kind == "step" and event.step in wanted:
            keep(event.step)

    network.fit(X, Y, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size, seed=seed,
                callbacks=[callback])
    rec.outputs = np.stack(images) if images else np.zeros((0, grid, grid), np.uint8)
    return rec


def draw_frame(ax, rec, k, size=12):
    """Frame ``k`` of ``rec`` on ``ax``: the shading, the 0.5 boundary, the points; returns the image."""
    image = rec.outputs[k] / 255.0
    x0, x1, y0, y1 = rec.extent
    half_x, half_y = (x1 - x0) / (rec.grid - 1) / 2, (y1 - y0) / (rec.grid - 1) / 2
    shading = ax.imshow(image, origin="lower", extent=(x0 - half_x, x1 + half_x, y0 - half_y, y1 + half_y),
                        cmap=plots.PROBABILITY_CMAP, vmin=0, vmax=1, aspect="auto", interpolation="bilinear")
    ax.add_collection(LineCollection(plots.boundary_segments(image, rec.extent), colors="black", linewidths=1.4))
    plots.scatter_classes(ax, rec.X, rec.Y, size=size)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    return shading


def colour_table():
    """The 256 colours of ``PROBABILITY_CMAP`` as [r, g, b] (0-255): what the painter shades ŷ with."""
    rgba = plots.PROBABILITY_CMAP(np.arange(256) / 255.0, bytes=True)
    return rgba[:, :3].tolist()


def frames_base64(outputs):
    """The frames' bytes, frame after frame and row after row, as base64 text."""
    return base64.b64encode(np.ascontiguousarray(outputs, dtype=np.uint8).tobytes()).decode("ascii")


def points_json(X, Y, digits=3):
    """The points as [[x0, x1, label], ...], rounded: what the painter draws."""
    return [[round(float(a), digits), round(float(b), digits), int(y)] for a, b, y in zip(X[0], X[1], Y[0])]


# The painter: shading, boundary and points of one frame in a square panel. Needs MX (the drawing library).
BOUNDARY_JS = r"""
var BOUNDARY = (function () {
  function decode(text) {  // base64 -> Uint8Array
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  // Marching squares at 0.5 (127.5 in bytes) on the lattice: mathnn.plots.boundary_segments
  function segments(values, offset, n, extent) {
    var out = [], dx = (extent[1] - extent[0]) / (n - 1), dy = (extent[3] - extent[2]) / (n - 1), t = 127.5;
    function at(r, c) { return values[offset + r * n + c]; }
    function cross(a, b) { return (t - a) / (b - a); }
    for (var r = 0; r < n - 1; r++) {
      for (var c = 0; c < n - 1; c++) {
        var v00 = at(r, c), v01 = at(r, c + 1), v10 = at(r + 1, c), v11 = at(r + 1, c + 1), pts = [];
        if ((v00 > t) !== (v01 > t)) { pts.push([c + cross(v00, v01), r]); }
        if ((v01 > t) !== (v11 > t)) { pts.push([c + 1, r + cross(v01, v11)]); }
        if ((v10 > t) !== (v11 > t)) { pts.push([c + cross(v10, v11), r + 1]); }
        if ((v00 > t) !== (v10 > t)) { pts.push([c, r + cross(v00, v10)]); }
        for (var k = 0; k + 1 < pts.length; k += 2) {
          out.push([extent[0] + pts[k][0] * dx, extent[2] + pts[k][1] * dy,
                    extent[0] + pts[k + 1][0] * dx, extent[2] + pts[k + 1][1] * dy]);
        }
      }
    }
    return out;
  }
  var scratch = document.createElement("canvas");
  function paint(p, values, offset, n, extent, colours, points, classColours) {
    var ctx = p.ctx, b = p.box;
    scratch.width = n; scratch.height = n;
    var sctx = scratch.getContext("2d"), image = sctx.createImageData(n, n);
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        var colour = colours[values[offset + r * n + c]], i = 4 * ((n - 1 - r) * n + c);  // row 0 at the bottom
        image.data[i] = colour[0]; image.data[i + 1] = colour[1]; image.data[i + 2] = colour[2];
        image.data[i + 3] = 255;
      }
    }
    sctx.putImageData(image, 0, 0);
    ctx.save();
    ctx.beginPath(); ctx.rect(b[0], b[1], b[2], b[3]); ctx.clip();
    ctx.imageSmoothingEnabled = true;
    // pixel centres on the lattice points, as the matplotlib figure places them
    var hx = b[2] / (n - 1) / 2, hy = b[3] / (n - 1) / 2;
    ctx.drawImage(scratch, b[0] - hx, b[1] - hy, b[2] + 2 * hx, b[3] + 2 * hy);
    ctx.strokeStyle = "#000000"; ctx.lineWidth = 1.6; ctx.beginPath();
    var lines = segments(values, offset, n, extent);
    for (var s = 0; s < lines.length; s++) {
      ctx.moveTo(p.x(lines[s][0]), p.y(lines[s][1])); ctx.lineTo(p.x(lines[s][2]), p.y(lines[s][3]));
    }
    ctx.stroke();
    ctx.lineWidth = 0.6;
    for (var q = 0; q < points.length; q++) {
      ctx.fillStyle = classColours[points[q][2]]; ctx.beginPath();
      ctx.arc(p.x(points[q][0]), p.y(points[q][1]), 2.6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
    ctx.restore();
  }
  return {decode: decode, segments: segments, paint: paint};
})();
"""


def nice_ticks(low, high, count=5):
    """Round ticks covering [low, high]: (values, labels)."""
    span = max(high - low, 1e-12)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    values = [first + k * step for k in range(int(math.floor((high - first) / step + 1e-9)) + 1)]
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if step / magnitude == 2.5 else 0)
    return values, [fixed(v, digits) for v in values]


SIZE = (880, 330)


def movie_specs(rec):
    """The panels of the player: boundary (square), cost per epoch, accuracy per epoch."""
    x0, x1, y0, y1 = rec.extent
    xt, xl = nice_ticks(x0, x1, 4)
    yt, yl = nice_ticks(y0, y1, 4)
    last = max(rec.epochs[-1], 1e-9)
    et, el = nice_ticks(0, last, 5)
    top = max(max(rec.train_cost), max(rec.test_cost)) * 1.08
    ct, cl = nice_ticks(0, top, 4)
    boundary = {"box": [52, 28, 250, 250], "xlim": [x0, x1], "ylim": [y0, y1], "xticks": xt, "xticklabels": xl,
                "yticks": yt, "yticklabels": yl, "xlabel": "x₀", "ylabel": "x₁", "title": "what the network decides"}
    cost = {"box": [392, 28, 200, 250], "xlim": [0, last], "ylim": [0, top], "xticks": et, "xticklabels": el,
            "yticks": ct, "yticklabels": cl, "xlabel": "epoch", "ylabel": "cost C", "title": "cost"}
    at, al = nice_ticks(0.4, 1.0, 3)
    accuracy = {"box": [662, 28, 200, 250], "xlim": [0, last], "ylim": [0.4, 1.02], "xticks": et,
                "xticklabels": el, "yticks": at, "yticklabels": al, "xlabel": "epoch", "ylabel": "accuracy",
                "title": "accuracy"}
    return [boundary, cost, accuracy]


_PLAYER_JS = r"""
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var slider = document.getElementById("ID-frame"), play = document.getElementById("ID-play");
  var step = document.getElementById("ID-step"), reset = document.getElementById("ID-reset");
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, timer = null;
  var values = BOUNDARY.decode(SPEC.frames), n = SPEC.grid, count = SPEC.steps.length;
  var blue = SPEC.palette.blue, red = SPEC.palette.vermillion, classes = [SPEC.palette.blue, SPEC.palette.orange];
  function captionText(k) {  // mathnn.widgets.movie.Recording.caption
    return "epoch " + fixed(SPEC.epochs[k], 2) + " (step " + SPEC.steps[k] + "): cost " +
      fixed(SPEC.train_cost[k], 3) + " training, " + fixed(SPEC.test_cost[k], 3) + " test; accuracy " +
      fixed(100 * SPEC.train_accuracy[k], 1) + "% training, " + fixed(100 * SPEC.test_accuracy[k], 1) + "% test";
  }
  function draw(k) {
    MX.clear(ctx, SPEC);
    var p = SPEC.panels.map(function (spec) { return MX.panel(ctx, spec); });
    BOUNDARY.paint(p[0], values, k * n * n, n, SPEC.extent, SPEC.colours, SPEC.points, classes);
    MX.axes(p[0]);
    MX.axes(p[1]);
    MX.line(p[1], SPEC.epochs, SPEC.train_cost, k + 1, blue, 2);
    MX.line(p[1], SPEC.epochs, SPEC.test_cost, k + 1, red, 2, [6, 4]);
    MX.dot(p[1], SPEC.epochs[k], SPEC.train_cost[k], blue, 4);
    MX.legend(p[1], [{label: "training", color: blue}, {label: "test", color: red, dash: [6, 4]}], "upper right");
    MX.axes(p[2]);
    MX.line(p[2], SPEC.epochs, SPEC.train_accuracy, k + 1, blue, 2);
    MX.line(p[2], SPEC.epochs, SPEC.test_accuracy, k + 1, red, 2, [6, 4]);
    MX.dot(p[2], SPEC.epochs[k], SPEC.test_accuracy[k], red, 4);
  }
  function show() {
    var k = Number(slider.value);
    caption.textContent = captionText(k);
    canvas.setAttribute("aria-label", "The decision boundary during training. " + caption.textContent);
    draw(k);
  }
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = "\u25b6 Play"; }
  function start() {
    if (Number(slider.value) >= count - 1) { slider.value = 0; show(); }
    play.textContent = "\u275a\u275a Pause";
    timer = setInterval(function () {
      if (Number(slider.value) >= count - 1) { stop(); return; }
      slider.value = Number(slider.value) + 1; show();
    }, SPEC.interval);
  }
  slider.addEventListener("input", function () { stop(); show(); });
  play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
  step.addEventListener("click", function () {
    stop(); if (Number(slider.value) < count - 1) { slider.value = Number(slider.value) + 1; } show();
  });
  reset.addEventListener("click", function () { stop(); slider.value = 0; show(); });
  root.mathnnState = function () {
    var k = Number(slider.value);
    return {frame: k, frames: count, step: SPEC.steps[k], playing: timer !== null, caption: caption.textContent};
  };
  show();
"""


def movie_player(rec, title="The decision boundary while the network learns", interval=250):
    """A player for ``rec``: the boundary and the cost and accuracy curves, frame by frame.

    Its outer element (class ``mathnn-movie``) has a function ``mathnnState()`` returning the frame shown,
    the number of frames, its step, whether it is playing and the caption, for tests.

    Returns
    -------
    KernelFree
    """
    if len(rec.steps) < 2:
        raise ValueError(f"a movie needs at least 2 frames, but the recording holds {len(rec.steps)}.")
    spec = json.dumps({
        "size": list(SIZE), "panels": movie_specs(rec), "palette": plots.PALETTE, "grey": plots.GREY,
        "grid": rec.grid, "extent": list(rec.extent), "frames": frames_base64(rec.outputs),
        "colours": colour_table(), "points": points_json(rec.X, rec.Y), "steps": rec.steps,
        "epochs": [round(e, 4) for e in rec.epochs], "interval": int(interval),
        **{name: [round(float(v), 5) for v in getattr(rec, name)]
           for name in ("train_cost", "test_cost", "train_accuracy", "test_accuracy")},
    }, ensure_ascii=False)
    last = len(rec.steps) - 1

    def body(element_id):
        script = _PLAYER_JS.replace("ID", element_id)
        return [
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-step">Step</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            f'<label class="mx-scrub">frame <input type="range" id="{element_id}-frame" min="0" max="{last}" '
            'step="1" value="0"></label>',
            "</div>",
            canvas_html(element_id, SIZE, "The decision boundary during training. " + rec.caption(0)),
            f'<div class="mx-caption" id="{element_id}-caption">{rec.caption(0)}</div>',
            "<script>(function () {\n" + plot_js(spec) + BOUNDARY_JS + script + "\n})();</script>",
        ]

    payload = frames_base64(rec.outputs).encode()
    return KernelFree("movie", title, payload, body)


