r"""Explorers: the widgets' kernel-free counterparts for the published site.

A live widget needs a running Python kernel; the static site has none. An explorer precomputes
what the widget would show over a small grid of settings — for example a few learning rates
times the epochs of training — and packs the frames into one self-contained piece of HTML: the
pictures are embedded PNGs, the controls are plain HTML (a menu for the setting, a slider to scrub
the frames, a play/pause button) driven by a few lines of inline JavaScript. Nothing is fetched
from anywhere: no CDN, no external reference at all, so the page works offline and forever.

The frames are drawn by the widgets' own views (:mod:`mathnn.widgets`), so the site shows exactly
what a reader with a kernel would see. Each explorer must stay under ``SIZE_BUDGET`` bytes;
fewer frames or a lower ``dpi`` make it smaller.

Examples
--------
>>> explorer = gradient_descent_explorer("quartic", learning_rates=(0.02, 0.2), steps=3, dpi=30)
>>> explorer.frame_counts
[4, 4]
>>> explorer.html.count("<img ")
8
"""

import base64
import hashlib
import html
import itertools
import struct
import zlib
from pathlib import Path

import numpy as np

from mathnn import widgets

SIZE_BUDGET = 2_000_000  # bytes of HTML per explorer: several explorers must fit on one page
PALETTE_COLORS = 128  # colours per frame: plots use few colours, and a palette PNG is several times smaller

_serial = itertools.count(1)  # numbers the explorers made in this process, for unique element ids


class Explorer:
    """Precomputed frames with controls to scrub them, as one self-contained HTML fragment.

    Parameters
    ----------
    title : str
    settings : list of (label, frames)
        One entry per choice in the menu; ``frames`` is a list of (png_bytes, caption).
    setting_label, frame_label : str
        What the menu and the slider choose, e.g. "learning rate" and "epoch".
    interval : int, milliseconds between frames when playing
    budget : int, the largest size in bytes the HTML may have
    start : int, the frame shown first (of the first setting)

    Attributes
    ----------
    html : str
        The HTML fragment; a notebook shows it through ``_repr_html_``.
    frame_counts : list of int
        How many frames each setting has.
    """

    def __init__(self, title, settings, setting_label, frame_label, interval=400, budget=SIZE_BUDGET, start=0):
        if not settings or any(not frames for _, frames in settings):
            raise ValueError("an explorer needs at least one setting, and every setting at least one frame.")
        if not 0 <= start < len(settings[0][1]):
            last = len(settings[0][1]) - 1
            raise ValueError(f"start must be a frame of the first setting, 0 to {last}, but got {start}.")
        self.title = title
        self.frame_counts = [len(frames) for _, frames in settings]
        digest = hashlib.sha1(b"".join(png for _, frames in settings for png, _ in frames)).hexdigest()[:8]
        self.id = f"mathnn-explorer-{next(_serial)}-{digest}"
        self.html = _render_html(self.id, title, settings, setting_label, frame_label, interval, start)
        if self.nbytes > budget:
            raise ValueError(
                f"the explorer {title!r} is {self.nbytes / 1e6:.2f} MB, over its budget of {budget / 1e6:.2f} MB; "
                f"make fewer frames or pass a lower dpi."
            )

    def __repr__(self):
        return f"Explorer({self.title!r}, frames={self.frame_counts}, {self.nbytes / 1e6:.2f} MB)"

    @property
    def nbytes(self):
        """The size of the HTML in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def _repr_html_(self):
        return self.html

    def save(self, path):
        """Write the explorer as a complete web page to ``path``; returns the path."""
        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(self.title)}</title>\n</head>\n<body>\n{self.html}\n</body>\n</html>\n"
        )
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path


def _data_uri(png):
    """The PNG as a data: URI whose text is free of the letters "http" (so no scanner mistakes it for a link).

    Base64 text is random-looking and may spell "http" by chance; a small comment chunk inserted after
    the PNG header shifts the encoding until it does not. The picture is unchanged.
    """
    for padding in range(64):
        data = png if padding == 0 else _with_comment(png, b" " * padding)
        text = base64.b64encode(data).decode("ascii")
        if "http" not in text.lower():
            return "data:image/png;base64," + text
    raise RuntimeError("could not encode the frame without the letters 'http'.")  # pragma: no cover


def _with_comment(png, text):
    """The PNG with a tEXt chunk ``Comment: text`` right after its IHDR chunk (the first 33 bytes)."""
    body = b"tEXt" + b"Comment\x00" + text
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    return png[:33] + chunk + png[33:]


_CSS = """
#ID { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 15px; max-width: 800px;
      border: 1px solid #ccc; border-radius: 6px; padding: 10px 12px; margin: 1em 0; background: #fff; color: #222; }
#ID .mx-title { font-weight: 600; margin: 0 0 8px 0; }
#ID .mx-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin-bottom: 8px; }
#ID .mx-controls label { display: flex; align-items: center; gap: 6px; }
#ID .mx-scrub { flex: 1 1 240px; }
#ID .mx-scrub input { flex: 1 1 auto; min-width: 120px; }
#ID button, #ID select { font: inherit; padding: 2px 10px; }
#ID button { min-width: 6.5em; }
#ID .mx-caption { font-variant-numeric: tabular-nums; min-height: 1.3em; margin-bottom: 6px; }
#ID .mx-frames img { display: none; max-width: 100%; height: auto; }
#ID .mx-frames img.mx-shown { display: block; }
"""

_JS = """
(function () {
  var root = document.getElementById("ID");
  var images = root.querySelectorAll(".mx-frames img");
  var setting = document.getElementById("ID-setting");
  var slider = document.getElementById("ID-frame");
  var caption = document.getElementById("ID-caption");
  var button = document.getElementById("ID-play");
  var counts = COUNTS;
  var timer = null;
  function show() {
    var s = Number(setting.value), f = Number(slider.value);
    for (var i = 0; i < images.length; i++) {
      var img = images[i];
      var on = Number(img.dataset.setting) === s && Number(img.dataset.frame) === f;
      img.classList.toggle("mx-shown", on);
      if (on) { caption.textContent = img.dataset.caption; }
    }
  }
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } button.textContent = "\\u25B6 Play"; }
  function play() {
    if (Number(slider.value) >= Number(slider.max)) { slider.value = 0; show(); }
    button.textContent = "\\u275A\\u275A Pause";
    timer = setInterval(function () {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      slider.value = Number(slider.value) + 1; show();
    }, INTERVAL);
  }
  setting.addEventListener("change", function () {
    slider.max = counts[Number(setting.value)] - 1;
    if (Number(slider.value) > Number(slider.max)) { slider.value = slider.max; }
    show();
  });
  slider.addEventListener("input", function () { stop(); show(); });
  button.addEventListener("click", function () { if (timer === null) { play(); } else { stop(); } });
  show();
})();
"""


def _render_html(element_id, title, settings, setting_label, frame_label, interval, start=0):
    escape = html.escape
    options = "".join(f'<option value="{i}">{escape(label)}</option>' for i, (label, _) in enumerate(settings))
    images = []
    for s, (label, frames) in enumerate(settings):
        for f, (png, caption) in enumerate(frames):
            shown = ' class="mx-shown"' if s == 0 and f == start else ""
            alt = f"{title}: {setting_label} {label}, {caption}"
            images.append(
                f'<img{shown} data-setting="{s}" data-frame="{f}" data-caption="{escape(caption)}" '
                f'alt="{escape(alt)}" src="{_data_uri(png)}">'
            )
    first_caption = settings[0][1][start][1]
    parts = [
        f'<div class="mathnn-explorer" id="{element_id}">',
        f"<style>{_CSS.replace('#ID', '#' + element_id)}</style>",
        f'<p class="mx-title">{escape(title)}</p>',
        '<div class="mx-controls">',
        f'<label>{escape(setting_label)} <select id="{element_id}-setting">{options}</select></label>',
        f'<button type="button" id="{element_id}-play">\u25b6 Play</button>',
        f'<label class="mx-scrub">{escape(frame_label)} <input type="range" id="{element_id}-frame" '
        f'min="0" max="{len(settings[0][1]) - 1}" step="1" value="{start}"></label>',
        "</div>",
        f'<div class="mx-caption" id="{element_id}-caption">{escape(first_caption)}</div>',
        '<div class="mx-frames">',
        *images,
        "</div>",
        "<script>"
        + _JS.replace("ID", element_id)
        .replace("COUNTS", str([len(frames) for _, frames in settings]))
        .replace("INTERVAL", str(int(interval)))
        + "</script>",
        "</div>",
    ]
    return "\n".join(parts)


# --- the three explorers -------------------------------------------------------------------------


def _number(value):
    """Two decimals, without the "-0.00" that rounding a tiny negative number gives."""
    return f"{0.0 if abs(value) < 0.005 else value:.2f}"


def neuron_explorer(gates=("and", "or", "xor"), activation="sigmoid", frames=16, scale=6.0, dpi=90):
    r"""One neuron's decision line turning through a full circle, for each logic gate.

    Frame k turns the weight vector to the angle :math:`\theta_k = 2\pi k / \text{frames}`:
    :math:`w = \text{scale}\,(\cos\theta, \sin\theta)`, with b chosen so that the line passes through
    a point that suits the gate. AND and OR reach 4 of 4 correct at some angle; XOR never does.

    Returns
    -------
    Explorer with one setting per gate and ``frames`` frames each
    """
    through = {"and": (0.75, 0.75), "or": (0.25, 0.25), "xor": (0.5, 0.5)}
    view = widgets.NeuronView(dpi=dpi)
    settings = []
    for gate in gates:
        center = np.array(through[gate])
        pictures = []
        for theta in 2 * np.pi * np.arange(frames) / frames:
            w = scale * np.array([np.cos(theta), np.sin(theta)])
            state = widgets.NeuronState(float(w[0]), float(w[1]), float(-w @ center), activation, gate)
            caption = (
                f"w₀ = {_number(state.w0)}, w₁ = {_number(state.w1)}, b = {_number(state.b)}: "
                f"{widgets.count_correct(state)} of 4 correct"
            )
            pictures.append((view.update(state).png(colors=PALETTE_COLORS, fast=True), caption))
        settings.append((gate.upper(), pictures))
    return Explorer(f"One neuron, the {activation} activation, and the logic gates", settings, "gate",
                    "angle of the weights")


def gradient_descent_explorer(problem="bowl", learning_rates=(0.05, 0.18, 0.3), steps=20, start=None, dpi=90):
    """Gradient descent on one problem of ``mathnn.widgets.PROBLEMS``, for a few learning rates.

    Frame k shows the path after k steps; a descent that diverges stops at the step it diverged.

    Returns
    -------
    Explorer with one setting per learning rate and up to ``steps + 1`` frames each
    """
    view = widgets.DescentView(widgets.start_descent(problem, start, learning_rates[0]), dpi=dpi)
    settings = []
    for rate in learning_rates:
        state = widgets.start_descent(problem, start, rate)
        pictures = [(view.update(state).png(colors=PALETTE_COLORS), state.message)]
        for _ in range(steps):
            if state.diverged_at is not None:
                break
            state = widgets.descent_step(state)
            pictures.append((view.update(state).png(colors=PALETTE_COLORS), state.message))
        settings.append((f"{rate:g}", pictures))
    title = f"Gradient descent on {problem}: the same start, {len(learning_rates)} learning rates"
    return Explorer(title, settings, "learning rate α", "step")


def training_explorer(
    dataset="circles",
    hidden=(8, 8),
    activation="tanh",
    learning_rates=(0.03, 0.3, 3.0),
    epochs=300,
    frames=20,
    batch_size=16,
    seed=0,
    grid=80,
    dpi=80,
):
    """A network learning a 2-D data set, for a few learning rates: the playground, precomputed.

    Frames are taken at epochs spread evenly on a log scale from 0 to ``epochs`` (early epochs change
    the most). A run that diverges stops at the frame where it did.

    Returns
    -------
    Explorer with one setting per learning rate and up to ``frames`` frames each
    """
    checkpoints = np.unique(np.round(np.geomspace(1, epochs, frames - 1)).astype(int))
    settings = []
    view = None
    for rate in learning_rates:
        state = widgets.new_playground(widgets.PlaygroundSettings(
            dataset=dataset, hidden=tuple(hidden), activation=activation, learning_rate=rate,
            batch_size=batch_size, seed=seed,
        ))
        view = view or widgets.PlaygroundView(state, grid=grid, dpi=dpi)
        pictures = [(view.update(state).png(colors=PALETTE_COLORS), _training_caption(state))]
        for epoch in checkpoints:
            widgets.train_epochs(state, int(epoch) - state.epoch)
            pictures.append((view.update(state).png(colors=PALETTE_COLORS), _training_caption(state)))
            if state.diverged:
                break
        settings.append((f"{rate:g}", pictures))
    layers = ",".join(map(str, hidden)) or "no"
    title = f"Training a {activation} network with hidden layers {layers} on {dataset}"
    return Explorer(title, settings, "learning rate α", "epoch", interval=350)


def _training_caption(state):
    if state.diverged:
        return state.diverged
    accuracy = state.history.accuracy[-1] if state.history.accuracy else state.network.accuracy(state.X, state.Y)
    return f"epoch {state.epoch}: cost {state.losses[-1]:.3f}, accuracy {accuracy:.0%}"


EXPLORER_DEPTHS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)


def activation_depth_explorer(names=widgets.DEPTH_ACTIVATIONS, depths=EXPLORER_DEPTHS, spread=1.0, seed=0, dpi=72):
    r"""The chain rule's product :math:`\prod_{l=1}^{L} g'(z^{[l]})` growing with the depth L, per activation.

    Frame k shows the products up to depth ``depths[k]`` (see :func:`mathnn.widgets.derivative_products`),
    with pre-activations drawn from N(0, spread²): the activation explorer, precomputed. The page
    opens at depth 10 (if it is one of ``depths``), where the picture already tells the story.

    Returns
    -------
    Explorer with one setting per activation and one frame per depth
    """
    view = widgets.DepthView(widgets.DepthState(names[0], depths[0], spread, seed), dpi=dpi)
    settings = []
    for name in names:
        pictures = []
        for depth in depths:
            state = widgets.DepthState(name, depth, spread, seed)
            png = view.update(state).png(colors=64, fast=True)
            pictures.append((png, widgets.depth_caption(state)))
        settings.append((name, pictures))
    title = "The product of g′ along a path through L layers, with z drawn from N(0, 1)"
    if spread != 1.0:
        title = title.replace("N(0, 1)", f"N(0, {spread:g}²)")
    start = depths.index(10) if 10 in depths else 0
    return Explorer(title, settings, "activation g", "depth L", interval=500, start=start)
