"""The training playground's site twin (chapter 7): the same controls, the network trained in the page.

:func:`playground_twin` ships what the Python run draws from its seed and the page cannot make alike: the four
data sets (``data.make``), the stream of standard normals the initial weights are scaled from (``Network.from_sizes``
draws every layer's W from one generator, in order), and the state of the generator that shuffles the examples
(``optim.batches``). ``playground.js`` replays numpy's PCG64 and ``Generator.permutation`` from that state and
writes out the network's forward pass, its backward pass and SGD as mathnn does them (the comments name the
functions), so any data set, hidden layers, activation, learning rate and batch size train as in
:class:`mathnn.widgets.playground.TrainingPlayground`, for as many epochs as the reader likes.

Examples
--------
>>> twin = playground_twin(grid=8)
>>> twin.html.count('<select ')
4
"""

import base64

import numpy as np

from mathnn import data, plots
from mathnn.activations import LEAKY_SLOPE
from mathnn.network import DIVERGENCE_EPOCHS, DIVERGENCE_FACTOR
from mathnn.validate import check_count, check_seed
from mathnn.widgets._canvas import TITLE_PX, canvas_html, figure_json, script_text, twin_script
from mathnn.widgets._explorer import INPUT_CSS, KernelFree
from mathnn.widgets.movie import BOUNDARY_JS, colour_table, points_json
from mathnn.widgets.playground import (
    COST_CAP,
    HIDDEN_SIZES,
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_UNITS,
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_DATASETS,
    TICK,
    PlaygroundSettings,
    new_playground,
    playground_caption,
)
from mathnn.widgets.shapes import PARSE_SIZES_JS

SIZE = (760, 330)


def _panels(boundary_box, cost_box):
    """The decision boundary's panel and the cost's; the page fills in limits, ticks and titles."""
    empty = {"xticks": [], "xticklabels": [], "yticks": [], "yticklabels": [], "title": ""}
    return [{"box": boundary_box, "xlim": [0, 1], "ylim": [0, 1], "xlabel": "x₀", "ylabel": "x₁", **empty},
            {"box": cost_box, "xlim": [0, 10], "ylim": [0, 1], "xlabel": "epoch",
             "ylabel": "cost C (binary cross-entropy)", **empty}]


PANELS = _panels([52, 28, 250, 250], [400, 28, 340, 250])
# Below NARROW_BELOW pixels of screen width the panels stand one above the other, so that their text keeps its size.
LAYOUTS = {"wide": {"size": list(SIZE), "panels": PANELS},
           "narrow": {"size": [400, 690], "panels": _panels([58, 30, 300, 300], [58, 410, 310, 220])}}
NARROW_BELOW = 640
LATTICE_BUDGET = 4_000_000  # multiply-adds for one drawing of the boundary: about 10 ms here
COARSEST = 16  # the coarsest lattice the boundary is drawn on, for the biggest networks
SLICE_MS = 120  # a Step that takes longer trains in slices this long, drawing in between: the page stays alive
EPOCHS_PER_STEP = (1, 5, 25)
RATE_EXPONENTS = (-3, 1, 0.1)  # the learning-rate slider holds log10 α, as the live FloatLogSlider


# Play's label and the α readout change their text: their width does not, so nothing beside them moves.
_CSS = """#ID #ID-play { min-width: 8.2em; }
#ID output { display: inline-block; min-width: 3.2em; font-variant-numeric: tabular-nums; }
"""


def most_weights(n_inputs=2, n_outputs=1):
    """How many weights the largest network the playground allows holds: the normals the page needs at most.

    >>> most_weights()
    20672
    """
    sizes = [n_inputs, *[MAX_HIDDEN_UNITS] * MAX_HIDDEN_LAYERS, n_outputs]
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def float64_base64(values):
    """Float64 numbers as base64 text of their little-endian bytes: exact, what ``float64s`` in the page reads."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode("ascii")


def twin_data(settings):
    """What the page trains on: every data set's X (exact) and labels, the weights' normals, the shuffler's state."""
    sets = []
    for name, maker in PLAYGROUND_DATASETS.items():
        X, Y = data.make(maker, m=settings.m, seed=settings.seed)
        extent, _ = plots.boundary_grid(X, 2)
        sets.append({"name": name, "X": float64_base64(X), "Y": "".join(str(int(y)) for y in Y[0]),
                     "extent": [float(e) for e in extent], "points": points_json(X, Y)})
    normals = check_seed(settings.seed).standard_normal(most_weights())
    shuffler = check_seed(settings.seed).bit_generator.state["state"]  # new_playground's rng, before its first draw
    return {"datasets": sets, "normals": float64_base64(normals),
            "pcg64": {"state": str(shuffler["state"]), "inc": str(shuffler["inc"])}}


def _select(element_id, name, label, values, chosen):
    """A labelled menu ``#<id>-<name>`` holding ``values``, ``chosen`` selected."""
    options = "".join(f'<option value="{v}"{" selected" if v == chosen else ""}>{v}</option>' for v in values)
    return f'<label>{label} <select id="{element_id}-{name}">{options}</select></label>'


def playground_twin(settings=None, grid=60, interval=TICK):
    """The playground for the website: the live widget's controls, its network built and trained in the page.

    Parameters
    ----------
    settings : PlaygroundSettings, optional
        Where the controls start, as the live widget's; its ``m`` and ``seed`` fix the data and the initial weights.
    grid : int, lattice points per axis of the decision boundary
    interval : int, milliseconds between Play's ticks, at the least

    Returns
    -------
    KernelFree (class ``mathnn-playground``). Its outer element's ``mathnnState()`` returns the settings, the
    epoch, the cost of every epoch (epoch 0 first), the accuracies, the caption
    (:func:`~mathnn.widgets.playground.playground_caption`), the label under the controls, the error shown,
    the network's outputs on the lattice and its weights.
    """
    settings = settings or PlaygroundSettings()
    state = new_playground(settings)  # checks the settings as the live widget does
    grid = check_count(grid, "grid", minimum=2)
    s = state.settings
    spec = figure_json(
        SIZE, PANELS, layouts=LAYOUTS, narrow_below=NARROW_BELOW, grid=grid, lattice_budget=LATTICE_BUDGET,
        coarsest=min(COARSEST, grid), slice_ms=SLICE_MS, cost_cap=COST_CAP, title_px=TITLE_PX, colours=colour_table(),
        interval=int(interval), learning_rate=s.learning_rate, rule=HIDDEN_SIZES._asdict(), leaky_slope=LEAKY_SLOPE,
        divergence_factor=DIVERGENCE_FACTOR, divergence_epochs=DIVERGENCE_EPOCHS, **twin_data(settings),
    )
    low, high, step = RATE_EXPONENTS
    exponent = float(np.log10(s.learning_rate))
    batch_sizes = sorted({1, 4, 16, 32, 64, s.m, s.batch_size})
    caption = playground_caption(state)

    def body(element_id):
        return [
            '<div class="mx-controls">',
            _select(element_id, "data", "data", PLAYGROUND_DATASETS, s.dataset),
            f'<label>hidden layers <input type="text" id="{element_id}-hidden" size="17" '
            f'value="{",".join(map(str, s.hidden))}" placeholder="e.g. 8,8"></label>',
            _select(element_id, "activation", "activation", PLAYGROUND_ACTIVATIONS, s.activation),
            "</div>",
            '<div class="mx-controls">',
            f'<label>learning rate α <input type="range" id="{element_id}-rate" min="{low}" max="{high}" '
            f'step="{step}" value="{exponent!r}" aria-label="learning rate α, on a log scale"> '
            f'<output id="{element_id}-rate-value">{s.learning_rate:.3g}</output></label>',
            _select(element_id, "batch", "batch size", batch_sizes, s.batch_size),
            _select(element_id, "epochs", "epochs per step", EPOCHS_PER_STEP, 1),
            "</div>",
            '<div class="mx-controls">',
            f'<button type="button" id="{element_id}-step">Step</button>',
            f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
            f'<button type="button" id="{element_id}-pause">Pause</button>',
            f'<button type="button" id="{element_id}-reset">Reset</button>',
            f'<span class="mx-caption" id="{element_id}-label" aria-live="polite"></span>',
            "</div>",
            f'<p class="mx-error" id="{element_id}-error" role="alert"></p>',
            canvas_html(element_id, SIZE, "The playground. " + caption),
            twin_script(spec, "\n" + PARSE_SIZES_JS + BOUNDARY_JS
                        + script_text("playground.js").replace("ID", element_id)),
        ]

    title = "The training playground: every setting trains here, in the page"
    return KernelFree("playground", title, repr(("playground", s, grid)).encode(), body, css=INPUT_CSS + _CSS)
