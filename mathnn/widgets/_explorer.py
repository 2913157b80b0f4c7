r"""The one container of every kernel-free explorer on the book's website.

A live widget needs a running Python kernel; the static site has none. Its site twin is one
self-contained piece of HTML: plain HTML controls driven by a few lines of inline JavaScript,
pictures embedded as PNG data URIs. Nothing is fetched from anywhere: no CDN, no external
reference at all, so the page works offline and forever.

Every twin is a :class:`KernelFree` fragment: the same outer element (class ``mathnn-<kind>``, which
the browser tests look for, and an id ``mathnn-<kind>-<serial>-<digest>``), the same stylesheet,
title and size budget. :class:`Explorer` is the twin made of precomputed frames: what the widget
would show over a small grid of settings (a few learning rates times the steps of descent), with a
menu for the setting, a slider to scrub the frames and a play/pause button.

Examples
--------
>>> from mathnn.widgets._render import View
>>> png = View((1, 1), 20).png()
>>> explorer = Explorer("two frames", [("one setting", [(png, "first"), (png, "second")])], "setting", "frame")
>>> explorer.frame_counts
[2]
>>> explorer.html.count("<img ")
2
"""

import base64
import hashlib
import html
import itertools
import struct
import zlib
from pathlib import Path

SIZE_BUDGET = 2_000_000  # bytes of HTML per explorer: several explorers must fit on one page
PALETTE_COLORS = 128  # colours per frame: plots use few colours, and a palette PNG is several times smaller

_serial = itertools.count(1)  # numbers the explorers made in this process, for unique element ids

CSS = """
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

# For a twin the reader types into: text boxes, and the line where it writes what is wrong with the
# text (as the live widget writes it into its error area, :mod:`mathnn.widgets._skin`).
INPUT_CSS = """#ID { overflow-x: auto; }
#ID input[type=text] { font: inherit; }
#ID .mx-error { color: #cf222e; margin: 4px 0; min-height: 1.2em; }
"""


def element_id(kind, payload):
    """``mathnn-<kind>-<serial>-<digest>``: unique in a page, and the same in every fresh run of a chapter."""
    return f"mathnn-{kind}-{next(_serial)}-{hashlib.sha1(payload).hexdigest()[:8]}"


class KernelFree:
    """A site twin: one self-contained HTML fragment in the book's explorer container.

    Parameters
    ----------
    kind : str, the outer element's class is ``mathnn-<kind>`` (what the browser tests look for)
    title : str
    payload : bytes, what the id's digest is taken from (the frames, or the settings)
    body : callable, ``body(element_id)`` returns the HTML lines inside the container after the title
    css : str, rules added to the shared stylesheet, with ``#ID`` for the outer element
    budget : int, the largest size in bytes the HTML may have

    Attributes
    ----------
    html : str
        The HTML fragment; a notebook shows it through ``_repr_html_``. It loads nothing from anywhere.
    id : str
        The id of its outer element, made from a counter and a digest (no randomness).
    """

    def __init__(self, kind, title, payload, body, css="", budget=SIZE_BUDGET):
        self.title = title
        self.id = element_id(kind, payload)
        self.html = "\n".join([
            f'<div class="mathnn-{kind}" id="{self.id}">',
            f"<style>{(CSS + css).replace('#ID', '#' + self.id)}</style>",
            f'<p class="mx-title">{html.escape(title)}</p>',
            *body(self.id),
            "</div>",
        ])
        if self.nbytes > budget:
            raise ValueError(
                f"the explorer {title!r} is {self.nbytes / 1e6:.2f} MB, over its budget of {budget / 1e6:.2f} MB; "
                f"make fewer frames or pass a lower dpi."
            )

    def __repr__(self):
        return f"{type(self).__name__}({self.title!r}, {self.nbytes / 1e6:.2f} MB)"

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


class Explorer(KernelFree):
    """Precomputed frames with controls to scrub them.

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
    frame_counts : list of int
        How many frames each setting has.
    """

    def __init__(self, title, settings, setting_label, frame_label, interval=400, budget=SIZE_BUDGET, start=0):
        if not settings or any(not frames for _, frames in settings):
            raise ValueError("an explorer needs at least one setting, and every setting at least one frame.")
        if not 0 <= start < len(settings[0][1]):
            last = len(settings[0][1]) - 1
            raise ValueError(f"start must be a frame of the first setting, 0 to {last}, but got {start}.")
        self.frame_counts = [len(frames) for _, frames in settings]
        payload = b"".join(png for _, frames in settings for png, _ in frames)

        def body(element_id):
            return _frames_html(element_id, title, settings, setting_label, frame_label, interval, start)

        super().__init__("explorer", title, payload, body, budget=budget)

    def __repr__(self):
        return f"Explorer({self.title!r}, frames={self.frame_counts}, {self.nbytes / 1e6:.2f} MB)"


def data_uri(png):
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


def _frames_html(element_id, title, settings, setting_label, frame_label, interval, start=0):
    """The lines inside the container of a frame explorer: controls, caption, frames, script."""
    escape = html.escape
    options = "".join(f'<option value="{i}">{escape(label)}</option>' for i, (label, _) in enumerate(settings))
    images = []
    for s, (label, frames) in enumerate(settings):
        for f, (png, caption) in enumerate(frames):
            shown = ' class="mx-shown"' if s == 0 and f == start else ""
            alt = f"{title}: {setting_label} {label}, {caption}"
            images.append(
                f'<img{shown} data-setting="{s}" data-frame="{f}" data-caption="{escape(caption)}" '
                f'alt="{escape(alt)}" src="{data_uri(png)}">'
            )
    first_caption = settings[0][1][start][1]
    return [
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
    ]


def caption_number(value):
    """Two decimals, without the "-0.00" that rounding a tiny negative number gives."""
    return f"{0.0 if abs(value) < 0.005 else value:.2f}"
