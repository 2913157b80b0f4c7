"""The training playground's site twin over a grid of settings (chapter 7): every control works without a kernel.

:func:`playground_twin` trains the playground's network (:func:`mathnn.widgets.playground.new_playground`,
:func:`~mathnn.widgets.playground.train_epochs`, so mathnn's own ``fit``) for every data set × architecture ×
learning rate it is given, and keeps, at a few epochs of each run, the network's output on a small lattice
(bytes, 0 to 255) and the cost of every epoch. The page paints them with the movie's painter
(``BOUNDARY_JS`` of :mod:`mathnn.widgets.movie`): menus for the data set, the architecture (hidden layers and
activation) and the learning rate; Step, Play, Pause, Reset and an epoch slider, as in the live widget.

Examples
--------
>>> twin = playground_twin(datasets=("xor",), architectures=(((3,), "tanh"),), learning_rates=(0.3,),
...                        epochs=4, frames=3, grid=8, m=40)
>>> twin.frame_counts
[3]
"""

import json

import numpy as np

from mathnn import plots
from mathnn.validate import check_count
from mathnn.widgets._canvas import canvas_html, plot_js
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets.movie import BOUNDARY_JS, colour_table, frames_base64, nice_ticks, points_json
from mathnn.widgets.playground import (
    PLAYGROUND_DATASETS,
    PlaygroundSettings,
    new_playground,
    playground_caption,
    train_epochs,
)

ARCHITECTURES = (((4,), "tanh"), ((8, 8), "tanh"), ((16, 16, 16), "relu"))
LEARNING_RATES = (0.1, 1.0, 3.0)
DATASETS = ("circles", "moons", "spirals", "xor")
SIZE = (760, 330)


def architecture_label(hidden, activation):
    """'8, 8 tanh': the hidden layer sizes and the activation, as the menu shows them."""
    return f"{', '.join(map(str, hidden)) or 'no hidden layer'} {activation}"


def checkpoints(epochs, frames):
    """Epoch 0 and about ``frames - 1`` epochs up to ``epochs``, spread evenly on a log scale.

    >>> checkpoints(200, 6)
    [0, 1, 4, 14, 53, 200]
    """
    epochs, frames = check_count(epochs, "epochs"), check_count(frames, "frames")
    return [0, *sorted({int(e) for e in np.round(np.geomspace(1, epochs, max(frames - 1, 1)))})]


def run_setting(settings, at_epochs, points, grid):
    """Train one setting; (outputs per frame (uint8), epochs of the frames, cost per epoch, captions)."""
    state = new_playground(settings)
    images, shown, captions = [], [], []
    for epoch in at_epochs:
        if epoch > state.epoch:
            train_epochs(state, epoch - state.epoch)
        if state.diverged and images:
            captions[-1] = playground_caption(state)  # the reason replaces the last good frame's caption
            break
        with np.errstate(over="ignore", invalid="ignore"):
            image = plots.boundary_image(plots.model_outputs(state.network, points), grid)
        images.append(np.round(255 * np.clip(np.nan_to_num(image, nan=0.5), 0, 1)).astype(np.uint8))
        shown.append(state.epoch)
        captions.append(playground_caption(state))
    costs = [float(f"{c:.4g}") if np.isfinite(c) else None for c in state.losses]
    return np.stack(images), shown, costs, captions


_JS = r"""
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var data = document.getElementById("ID-data"), arch = document.getElementById("ID-arch");
  var rate = document.getElementById("ID-rate"), slider = document.getElementById("ID-frame");
  var play = document.getElementById("ID-play"), step = document.getElementById("ID-step");
  var pause = document.getElementById("ID-pause"), reset = document.getElementById("ID-reset");
  var epochLabel = document.getElementById("ID-epoch");
  var ctx = MX.figure(canvas, SPEC), timer = null, n = SPEC.grid, run = null, values = null;
  var classes = [SPEC.palette.blue, SPEC.palette.orange];
  function current() {
    return SPEC.runs[(Number(data.value) * SPEC.architectures.length + Number(arch.value)) * SPEC.rates.length +
                     Number(rate.value)];
  }
  function costPanel(r) {  // the cost axis fits the run's finite costs
    var spec = JSON.parse(JSON.stringify(SPEC.panels[1])), top = 0;
    for (var i = 0; i < r.costs.length; i++) {
      if (r.costs[i] !== null) { top = Math.max(top, Math.min(r.costs[i], 10)); }
    }
    top = Math.max(top * 1.08, 0.1);
    var step = top > 4 ? 2 : top > 2 ? 1 : top > 1 ? 0.5 : top > 0.4 ? 0.2 : 0.05;
    var digits = step >= 1 ? 0 : step >= 0.2 ? 1 : 2;
    spec.ylim = [0, top]; spec.yticks = []; spec.yticklabels = [];
    for (var v = 0; v <= top + 1e-9; v += step) { spec.yticks.push(v); spec.yticklabels.push(MX.fixed(v, digits)); }
    return spec;
  }
  function draw(k) {
    var set = SPEC.datasets[Number(data.value)];
    MX.clear(ctx, SPEC);
    var boundarySpec = JSON.parse(JSON.stringify(SPEC.panels[0]));
    boundarySpec.xlim = [set.extent[0], set.extent[1]]; boundarySpec.ylim = [set.extent[2], set.extent[3]];
    boundarySpec.xticks = set.xticks; boundarySpec.xticklabels = set.xticklabels;
    boundarySpec.yticks = set.yticks; boundarySpec.yticklabels = set.yticklabels;
    var p0 = MX.panel(ctx, boundarySpec), p1 = MX.panel(ctx, costPanel(run));
    BOUNDARY.paint(p0, values, k * n * n, n, set.extent, SPEC.colours, set.points, classes);
    MX.axes(p0);
    MX.axes(p1);
    var last = run.epochs[k], xs = [], ys = [];
    for (var e = 0; e <= last && e < run.costs.length; e++) {
      if (run.costs[e] === null) { break; }
      xs.push(e); ys.push(Math.min(run.costs[e], 10));
    }
    MX.line(p1, xs, ys, xs.length, SPEC.palette.blue, 2);
    if (xs.length) { MX.dot(p1, xs[xs.length - 1], ys[ys.length - 1], SPEC.palette.blue, 4); }
  }
  function show() {
    var k = Number(slider.value);
    epochLabel.textContent = String(run.epochs[k]);
    caption.textContent = run.captions[k];
    canvas.setAttribute("aria-label", "The playground. " + caption.textContent);
    draw(k);
  }
  function setting() {
    stop();
    run = current(); values = BOUNDARY.decode(run.frames);
    slider.max = run.epochs.length - 1;
    if (Number(slider.value) > Number(slider.max)) { slider.value = slider.max; }
    show();
  }
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = "\u25b6 Play"; }
  function start() {
    if (Number(slider.value) >= Number(slider.max)) { slider.value = 0; show(); }
    play.textContent = "\u275a\u275a Playing";
    timer = setInterval(function () {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      slider.value = Number(slider.value) + 1; show();
    }, SPEC.interval);
  }
  [data, arch, rate].forEach(function (control) { control.addEventListener("change", setting); });
  slider.addEventListener("input", function () { stop(); show(); });
  play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
  pause.addEventListener("click", stop);
  step.addEventListener("click", function () {
    stop(); if (Number(slider.value) < Number(slider.max)) { slider.value = Number(slider.value) + 1; } show();
  });
  reset.addEventListener("click", function () { stop(); slider.value = 0; show(); });
  root.mathnnState = function () {
    var k = Number(slider.value);
    return {dataset: data.value, architecture: arch.value, learning_rate: rate.value, frame: k,
            epoch: run.epochs[k], caption: caption.textContent, playing: timer !== null};
  };
  setting();
"""


def playground_twin(datasets=DATASETS, architectures=ARCHITECTURES, learning_rates=LEARNING_RATES,
                    epochs=60, frames=10, batch_size=32, m=160, seed=0, grid=30, interval=300, start=None):
    """The playground for the website: every setting of the grid trained in advance, painted in the page.

    Parameters
    ----------
    datasets : names from ``PLAYGROUND_DATASETS``
    architectures : sequence of (hidden layer sizes, activation)
    learning_rates : sequence of float
    epochs, frames : the last epoch, and about how many frames per run (spread on a log scale)
    batch_size, m, seed : as in :class:`mathnn.widgets.playground.PlaygroundSettings`
    grid : lattice points per axis of each frame
    start : (data set, (hidden, activation), learning rate), optional: the setting shown first (else the first of each)

    Returns
    -------
    KernelFree (class ``mathnn-playground``), with ``frame_counts``: the frames of every run, in menu order.
    Its outer element's ``mathnnState()`` returns the chosen setting, the frame, its epoch and caption.
    """
    at_epochs = checkpoints(epochs, frames)
    sets, runs = [], []
    for name in datasets:
        probe = new_playground(PlaygroundSettings(dataset=name, hidden=(1,), m=m, seed=seed))
        extent, points = plots.boundary_grid(probe.X, grid)
        xt, xl = nice_ticks(extent[0], extent[1], 4)
        yt, yl = nice_ticks(extent[2], extent[3], 4)
        sets.append({"extent": [float(e) for e in extent], "points": points_json(probe.X, probe.Y),
                     "xticks": xt, "xticklabels": xl, "yticks": yt, "yticklabels": yl})
        for hidden, activation in architectures:
            for rate in learning_rates:
                settings = PlaygroundSettings(dataset=name, hidden=tuple(hidden), activation=activation,
                                              learning_rate=rate, batch_size=batch_size, m=m, seed=seed)
                images, shown, costs, captions = run_setting(settings, at_epochs, points, grid)
                runs.append({"frames": frames_base64(images), "epochs": shown, "costs": costs, "captions": captions})
    panels = [
        {"box": [52, 28, 250, 250], "xlim": [0, 1], "ylim": [0, 1], "xticks": [], "xticklabels": [], "yticks": [],
         "yticklabels": [], "xlabel": "x₀", "ylabel": "x₁", "title": "what the network decides"},
        {"box": [400, 28, 340, 250], "xlim": [0, at_epochs[-1]], "ylim": [0, 1], "xticks": nice_ticks(0, epochs, 5)[0],
         "xticklabels": nice_ticks(0, epochs, 5)[1], "yticks": [], "yticklabels": [], "xlabel": "epoch",
         "ylabel": "cost C (binary cross-entropy)", "title": "cost per epoch"},
    ]
    spec = json.dumps({"size": list(SIZE), "panels": panels, "palette": plots.PALETTE, "grey": plots.GREY,
                       "grid": grid, "colours": colour_table(), "datasets": sets, "runs": runs,
                       "architectures": [architecture_label(*a) for a in architectures],
                       "rates": [float(r) for r in learning_rates], "interval": int(interval)}, ensure_ascii=False)
    chosen = [0, 0, 0]
    if start is not None:
        name, (hidden, activation), rate = start
        grid_values = (list(datasets), [(tuple(h), a) for h, a in architectures], [float(r) for r in learning_rates])
        wanted = (name, (tuple(hidden), activation), float(rate))
        for k, (values, value) in enumerate(zip(grid_values, wanted)):
            if value not in values:
                raise ValueError(f"start {start!r} is not a setting of the grid: {value!r} is not among {values}.")
            chosen[k] = values.index(value)
    first = runs[(chosen[0] * len(architectures) + chosen[1]) * len(learning_rates) + chosen[2]]

    def options(labels, k):
        return "".join(f'<option value="{i}"{" selected" if i == chosen[k] else ""}>{label}</option>'
                       for i, label in enumerate(labels))

    def body(element_id):
        return [
            '<div class="mx-controls">',
            f'<label>data <select id="{element_id}-data">{options(datasets, 0)}</select></label>',
            f'<label>hidden layers, activation <select id="{element_id}-arch">'
            f'{options([architecture_label(*a) for a in architectures], 1)}</select></label>',
            f'<label>learning rate α <select id="{element_id}-rate">'
            f'{options([f"{r:g}" for r in learning_rates], 2)}</select></label>',
            f"<span>batch size {batch_size}</span>",
            "</div>",
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-step">Step</button>',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-pause">Pause</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            f'<label class="mx-scrub">epoch <input type="range" id="{element_id}-frame" min="0" '
            f'max="{len(first["epochs"]) - 1}" step="1" value="0"> <output id="{element_id}-epoch">0</output></label>',
            "</div>",
            canvas_html(element_id, SIZE, "The playground. " + first["captions"][0]),
            f'<div class="mx-caption" id="{element_id}-caption">{first["captions"][0]}</div>',
            "<script>(function () {\n" + plot_js(spec) + BOUNDARY_JS + _JS.replace("ID", element_id)
            + "\n})();</script>",
        ]

    unknown = [name for name in datasets if name not in PLAYGROUND_DATASETS]
    if unknown:
        raise ValueError(f"unknown playground data set {unknown[0]!r}: choose from {list(PLAYGROUND_DATASETS)}.")
    title = "The training playground, every setting trained in advance"
    twin = KernelFree("playground", title, "".join(r["frames"] for r in runs).encode(), body)
    twin.frame_counts = [len(r["epochs"]) for r in runs]
    return twin
