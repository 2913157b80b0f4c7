r"""One picture, drawn twice: by matplotlib for the live widget, by the page's JavaScript for the site.

A twin that computes in the page draws its own picture on a canvas. So that it looks like the
widget's view beside it, both are drawn from the same *panel specs*: plain dicts holding each
panel's box in pixels, its limits, ticks, tick labels, axis labels and title. :func:`place_axes`
turns a spec into matplotlib axes; ``PLOT_JS`` is the small drawing library a twin's script
starts with (axes, lines, dots, bars, legends), which reads the same specs as JSON. Colours come
from ``mathnn.plots.PALETTE``, and numbers in captions are written by :func:`fixed` in Python
and by ``fixed`` in JavaScript, which round the same way.

A spec::

    {"box": [left, top, width, height],        # pixels of the figure, from its top left corner
     "xlim": [0, 1], "ylim": [0, 7],
     "xticks": [0, 0.5, 1], "xticklabels": ["0", "0.5", "1"],
     "yticks": [...], "yticklabels": [...],
     "xlabel": "...", "ylabel": "...", "title": "...", "zero": False}   # zero: a line at y = 0
"""

import functools
import html
import importlib.resources
import json
import math

from mathnn import plots

DPI = 90  # figure pixels per inch: a figure of W x H pixels is W/DPI x H/DPI inches
TICK_PX, LABEL_PX, TITLE_PX, LEGEND_PX = 12, 13, 14, 12  # font sizes in pixels, the same on canvas
GRID_ALPHA = 0.3


def points(px):
    """A font size in pixels as matplotlib's points at ``DPI``."""
    return px * 72.0 / DPI


def fixed(value, digits=4):
    """``value`` with ``digits`` decimals, a true minus sign and no "−0.0000"; rounds half up.

    The site twins write their captions with the JavaScript function of the same name, which
    takes the same steps on the same float64 numbers, so both write the same text.

    >>> fixed(-0.00001), fixed(2.5, 0), fixed(-1.23456)
    ('0.0000', '3', '−1.2346')
    """
    if not math.isfinite(value):
        return "∞" if value > 0 else ("−∞" if value < 0 else "NaN")
    n = math.floor(abs(value) * 10.0**digits + 0.5)
    text = str(n).rjust(digits + 1, "0")
    if digits:
        text = text[:-digits] + "." + text[-digits:]
    return ("−" if value < 0 and n != 0 else "") + text


def ticks(low, high, step, digits):
    """Ticks from ``low`` to ``high`` every ``step``, with their labels (``digits`` decimals)."""
    count = math.floor((high - low) / step + 1e-9)
    values = [low + k * step for k in range(count + 1)]
    return values, [fixed(v, digits) for v in values]


def place_axes(figure, spec, size):
    """Matplotlib axes at the spec's box in a figure of ``size`` = (width, height) pixels, styled as the spec says."""
    width, height = size
    left, top, w, h = spec["box"]
    ax = figure.add_axes((left / width, 1.0 - (top + h) / height, w / width, h / height))
    ax.set_xlim(*spec["xlim"])
    ax.set_ylim(*spec["ylim"])
    style_ticks(ax, spec)
    ax.set_xlabel(spec.get("xlabel", ""), fontsize=points(LABEL_PX))
    ax.set_ylabel(spec.get("ylabel", ""), fontsize=points(LABEL_PX))
    ax.set_title(spec.get("title", ""), fontsize=points(TITLE_PX))
    ax.grid(True, alpha=GRID_ALPHA)
    ax.tick_params(labelsize=points(TICK_PX))
    if spec.get("zero"):
        ax.axhline(0.0, color=plots.GREY, linewidth=0.9, zorder=1)
    return ax


def style_ticks(ax, spec):
    """Set the spec's ticks and tick labels (and y-limits) on ``ax``: for a spec that changes."""
    ax.set_ylim(*spec["ylim"])
    ax.set_xticks(spec["xticks"], spec["xticklabels"])
    ax.set_yticks(spec["yticks"], spec["yticklabels"])


def legend(ax, handles, loc):
    """The legend of a twin's figure: the same font size and corner as the canvas draws."""
    return ax.legend(handles=handles, loc=loc, fontsize=points(LEGEND_PX), framealpha=0.9)


def figure_json(size, panels, **more):
    """The specs as the JSON a twin's script reads: the figure's size, its panels, the palette."""
    return json.dumps({"size": list(size), "panels": panels, "palette": plots.PALETTE, "grey": plots.GREY, **more},
                      ensure_ascii=False)


def caption_html(text):
    """A caption's lines for an ipywidgets HTML widget: escaped, one line each, spaced as in the twin."""
    lines = html.escape(text).replace("\n", "<br>")
    return f'<div style="line-height:1.45;font-variant-numeric:tabular-nums">{lines}</div>'


def canvas_html(element_id, size, label):
    """The canvas a twin draws on: ``size`` pixels wide and high, shrinking with a narrow page."""
    width, height = size
    return (f'<canvas id="{element_id}-canvas" width="{width}" height="{height}" role="img" '
            f'aria-label="{label}" style="display:block;width:100%;max-width:{width}px;height:auto"></canvas>')


def range_html(element_id, name, label, value, bounds, step, digits):
    """A labelled range input ``#<id>-<name>`` from ``bounds[0]`` to ``bounds[1]``, with an ``<output>``
    ``#<id>-<name>-value`` showing ``value`` with ``digits`` decimals (the twin's script keeps it current)."""
    return (f'<label>{label} <input type="range" id="{element_id}-{name}" min="{bounds[0]}" max="{bounds[1]}" '
            f'step="{step}" value="{value}"> <output id="{element_id}-{name}-value">'
            f"{fixed(value, digits)}</output></label>")


def twin_html(element_id, size, label, caption, spec_json, script):
    """The picture of a twin computed in the page: its canvas, the caption under it, and its script.

    Parameters
    ----------
    element_id : str, the twin's id (``Explorer``'s); ``ID`` in ``script`` stands for it
    size : (width, height) of the canvas in pixels
    label : str, HTML, what the canvas shows, for a screen reader; the caption is added to it
    caption : str, HTML, the numbers under the picture, in ``#<id>-caption``
    spec_json : str, the figure's specs (:func:`figure_json`), ``SPEC`` in the script
    script : str, the twin's JavaScript (e.g. ``script_text("loss.js")``), run in a scope of its own

    Returns
    -------
    list of str, the lines of HTML
    """
    return [
        canvas_html(element_id, size, label + caption),
        f'<div class="mx-caption" id="{element_id}-caption">{caption}</div>',
        twin_script(spec_json, "\n" + script.replace("ID", element_id)),
    ]


# The drawing library every computed twin starts with. `MX.figure(canvas, spec)` sizes the canvas
# for the screen; `MX.panel(ctx, spec)` maps data to pixels like a matplotlib Axes; the rest draw.
PLOT_JS = r"""
var MX = (function () {
  var FONT = '"DejaVu Sans", Verdana, sans-serif';
  function fixed(value, digits) {  // mathnn.widgets._canvas.fixed: the same rounding, the same text
    if (!isFinite(value)) { return value > 0 ? "∞" : (value < 0 ? "−∞" : "NaN"); }
    var n = Math.floor(Math.abs(value) * Math.pow(10, digits) + 0.5);
    var text = String(n);
    while (text.length < digits + 1) { text = "0" + text; }
    if (digits) { text = text.slice(0, text.length - digits) + "." + text.slice(text.length - digits); }
    return (value < 0 && n !== 0 ? "−" : "") + text;
  }
  function figure(canvas, spec) {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = Math.round(spec.size[0] * ratio);
    canvas.height = Math.round(spec.size[1] * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  }
  function clear(ctx, spec) { ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, spec.size[0], spec.size[1]); }
  function panel(ctx, spec) {
    var b = spec.box, x0 = spec.xlim[0], x1 = spec.xlim[1];
    return {
      ctx: ctx, spec: spec, box: b,
      x: function (v) { return b[0] + (v - x0) / (x1 - x0) * b[2]; },
      y: function (v) { var y0 = spec.ylim[0], y1 = spec.ylim[1]; return b[1] + b[3] - (v - y0) / (y1 - y0) * b[3]; }
    };
  }
  function text(ctx, s, x, y, align, baseline, px, angle) {
    ctx.save();
    ctx.font = px + "px " + FONT; ctx.fillStyle = "#000000"; ctx.textAlign = align; ctx.textBaseline = baseline;
    ctx.translate(x, y); if (angle) { ctx.rotate(angle); }
    ctx.fillText(s, 0, 0);
    ctx.restore();
  }
  function axes(p) {  // grid, zero line, frame, ticks and labels: what place_axes sets up in matplotlib
    var ctx = p.ctx, s = p.spec, b = p.box, i, v;
    ctx.save();
    ctx.strokeStyle = "rgba(176, 176, 176, 0.3)"; ctx.lineWidth = 1;
    ctx.beginPath();
    for (i = 0; i < s.xticks.length; i++) {
      v = Math.round(p.x(s.xticks[i])) + 0.5; ctx.moveTo(v, b[1]); ctx.lineTo(v, b[1] + b[3]);
    }
    for (i = 0; i < s.yticks.length; i++) {
      v = Math.round(p.y(s.yticks[i])) + 0.5; ctx.moveTo(b[0], v); ctx.lineTo(b[0] + b[2], v);
    }
    ctx.stroke();
    if (s.zero) {
      ctx.strokeStyle = SPEC.grey; ctx.lineWidth = 1.1;
      ctx.beginPath(); ctx.moveTo(b[0], p.y(0)); ctx.lineTo(b[0] + b[2], p.y(0)); ctx.stroke();
    }
    ctx.strokeStyle = "#000000"; ctx.lineWidth = 1;
    ctx.strokeRect(b[0] + 0.5, b[1] + 0.5, b[2], b[3]);
    ctx.beginPath();
    for (i = 0; i < s.xticks.length; i++) {
      v = p.x(s.xticks[i]); ctx.moveTo(v, b[1] + b[3]); ctx.lineTo(v, b[1] + b[3] + 4.5);
    }
    for (i = 0; i < s.yticks.length; i++) { v = p.y(s.yticks[i]); ctx.moveTo(b[0], v); ctx.lineTo(b[0] - 4.5, v); }
    ctx.stroke();
    ctx.restore();
    for (i = 0; i < s.xticks.length; i++) {
      text(ctx, s.xticklabels[i], p.x(s.xticks[i]), b[1] + b[3] + 8, "center", "top", TICK_PX);
    }
    var widest = 0;
    ctx.font = TICK_PX + "px " + FONT;
    for (i = 0; i < s.yticks.length; i++) {
      widest = Math.max(widest, ctx.measureText(s.yticklabels[i]).width);
      text(ctx, s.yticklabels[i], b[0] - 8, p.y(s.yticks[i]), "right", "middle", TICK_PX);
    }
    if (s.xlabel) { text(ctx, s.xlabel, b[0] + b[2] / 2, b[1] + b[3] + 26, "center", "top", LABEL_PX); }
    if (s.ylabel) {
      text(ctx, s.ylabel, b[0] - 14 - widest, b[1] + b[3] / 2, "center", "bottom", LABEL_PX, -Math.PI / 2);
    }
    if (s.title) { text(ctx, s.title, b[0] + b[2] / 2, b[1] - 7, "center", "bottom", TITLE_PX); }
  }
  function clip(p) { var b = p.box; p.ctx.save(); p.ctx.beginPath(); p.ctx.rect(b[0], b[1], b[2], b[3]); p.ctx.clip(); }
  function unclip(p) { p.ctx.restore(); }
  function line(p, xs, ys, n, color, width, dash) {  // the first n points of (xs, ys), like Line2D.set_data
    var ctx = p.ctx;
    clip(p);
    ctx.strokeStyle = color; ctx.lineWidth = width; ctx.lineJoin = "round"; ctx.setLineDash(dash || []);
    ctx.beginPath();
    for (var i = 0; i < n; i++) {
      if (i === 0) { ctx.moveTo(p.x(xs[i]), p.y(ys[i])); } else { ctx.lineTo(p.x(xs[i]), p.y(ys[i])); }
    }
    ctx.stroke();
    unclip(p);
  }
  function vline(p, x, color) {
    var ctx = p.ctx;
    ctx.save(); ctx.strokeStyle = color; ctx.lineWidth = 1.2; ctx.setLineDash([2, 3]);
    ctx.beginPath(); ctx.moveTo(p.x(x), p.box[1]); ctx.lineTo(p.x(x), p.box[1] + p.box[3]); ctx.stroke(); ctx.restore();
  }
  function dot(p, x, y, color, radius) {
    var ctx = p.ctx;
    clip(p);
    ctx.fillStyle = color; ctx.strokeStyle = "#000000"; ctx.lineWidth = 1; ctx.setLineDash([]);
    ctx.beginPath(); ctx.arc(p.x(x), p.y(y), radius || 5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    unclip(p);
  }
  function bar(p, x, width, y0, y1, fill, edge) {  // a bar from y0 to y1, centred on x
    var ctx = p.ctx, left = p.x(x - width / 2), right = p.x(x + width / 2);
    var top = p.y(Math.max(y0, y1)), bottom = p.y(Math.min(y0, y1));
    clip(p);
    if (fill) { ctx.fillStyle = fill; ctx.fillRect(left, top, right - left, bottom - top); }
    if (edge) {
      ctx.strokeStyle = edge; ctx.lineWidth = 1.5; ctx.setLineDash([]);
      ctx.strokeRect(left, top, right - left, bottom - top);
    }
    unclip(p);
  }
  function legend(p, items, loc) {  // items: {label, color, dash} for lines, {label, fill, edge} for boxes
    var ctx = p.ctx, b = p.box, pad = 6, sample = 26, row = LEGEND_PX + 6, widest = 0, i;
    ctx.font = LEGEND_PX + "px " + FONT;
    for (i = 0; i < items.length; i++) { widest = Math.max(widest, ctx.measureText(items[i].label).width); }
    var w = pad * 3 + sample + widest, h = pad * 2 + row * items.length - 6;
    var left = loc.indexOf("left") >= 0 ? b[0] + 7
      : (loc.indexOf("right") >= 0 ? b[0] + b[2] - 7 - w : b[0] + (b[2] - w) / 2);
    var top = loc.indexOf("upper") >= 0 ? b[1] + 7 : b[1] + b[3] - 7 - h;
    ctx.save();
    ctx.fillStyle = "rgba(255, 255, 255, 0.9)"; ctx.strokeStyle = "#cccccc"; ctx.lineWidth = 1;
    ctx.fillRect(left, top, w, h); ctx.strokeRect(left + 0.5, top + 0.5, w, h);
    for (i = 0; i < items.length; i++) {
      var y = top + pad + row * i + LEGEND_PX / 2, item = items[i];
      if (item.fill !== undefined) {
        ctx.fillStyle = item.fill || "#ffffff"; ctx.fillRect(left + pad + 6, y - 5, sample - 12, 10);
        if (item.edge) {
          ctx.strokeStyle = item.edge; ctx.lineWidth = 1.5; ctx.strokeRect(left + pad + 6, y - 5, sample - 12, 10);
        }
      } else {
        ctx.strokeStyle = item.color; ctx.lineWidth = 2.2; ctx.setLineDash(item.dash || []);
        ctx.beginPath(); ctx.moveTo(left + pad, y); ctx.lineTo(left + pad + sample, y); ctx.stroke();
        ctx.setLineDash([]);
      }
      text(ctx, item.label, left + pad * 2 + sample, y, "left", "middle", LEGEND_PX);
    }
    ctx.restore();
  }
  function band(levels, v) {  // which filled band of plots.loss_surface_2d holds v: -1 below the first level
    if (!(v >= levels[0])) { return -1; }
    var k = 0;
    while (k + 1 < levels.length && v >= levels[k + 1]) { k++; }
    return k;
  }
  // The filled bands and level lines of f(x, y) over xlim x ylim, as plots.loss_surface_2d draws them,
  // on an off-screen canvas of w x h pixels (drawn once, then copied onto the figure).
  function contours(f, xlim, ylim, w, h, ratio, levels, bands) {
    var i, j, k, off = document.createElement("canvas");
    off.width = w; off.height = h;
    var octx = off.getContext("2d"), image = octx.createImageData(w, h), px = image.data;
    for (j = 0; j < h; j++) {
      var y = ylim[1] - (j + 0.5) / h * (ylim[1] - ylim[0]);
      for (i = 0; i < w; i++) {
        k = band(levels, f(xlim[0] + (i + 0.5) / w * (xlim[1] - xlim[0]), y));
        var c = k < 0 ? [255, 255, 255] : bands[k], o = 4 * (j * w + i);
        px[o] = c[0]; px[o + 1] = c[1]; px[o + 2] = c[2]; px[o + 3] = 255;
      }
    }
    octx.putImageData(image, 0, 0);
    // Level lines by marching squares on a lattice every `cell` pixels.
    var cell = 3 * ratio, nx = Math.ceil(w / cell), ny = Math.ceil(h / cell), grid = [];
    for (j = 0; j <= ny; j++) {
      var row = [];
      for (i = 0; i <= nx; i++) {
        row.push(f(xlim[0] + Math.min(i * cell, w) / w * (xlim[1] - xlim[0]),
                   ylim[1] - Math.min(j * cell, h) / h * (ylim[1] - ylim[0])));
      }
      grid.push(row);
    }
    octx.strokeStyle = "rgba(0, 114, 178, 0.7)"; octx.lineWidth = 0.8 * ratio;
    octx.beginPath();
    for (var l = 1; l < levels.length; l++) {
      var level = levels[l];
      for (j = 0; j < ny; j++) {
        for (i = 0; i < nx; i++) {
          var a = grid[j][i], bb = grid[j][i + 1], cc = grid[j + 1][i + 1], dd = grid[j + 1][i];
          var X = i * cell, Y = j * cell, cross = [];
          if ((a > level) !== (bb > level)) { cross.push([X + cell * (level - a) / (bb - a), Y]); }
          if ((bb > level) !== (cc > level)) { cross.push([X + cell, Y + cell * (level - bb) / (cc - bb)]); }
          if ((dd > level) !== (cc > level)) { cross.push([X + cell * (level - dd) / (cc - dd), Y + cell]); }
          if ((a > level) !== (dd > level)) { cross.push([X, Y + cell * (level - a) / (dd - a)]); }
          for (k = 0; k + 1 < cross.length; k += 2) {
            octx.moveTo(cross[k][0], cross[k][1]); octx.lineTo(cross[k + 1][0], cross[k + 1][1]);
          }
        }
      }
    }
    octx.stroke();
    return off;
  }
  // Round ticks over [low, high], at most `most` of them, whole numbers if asked, and their labels: what
  // mathnn.widgets.descent.nice_ticks gives (tested there).
  function niceTicks(low, high, most, whole) {
    var raw = Math.max((high - low) / Math.max(1, most - 1), whole ? 1 : 0);
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = (whole ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map(function (m) { return m * power; })
      .filter(function (s) { return s >= raw; })[0];
    var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + (step / power === 2.5 ? 1 : 0);
    var values = [], labels = [];
    for (var k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9 * step; k++) {
      var v = k * step;
      values.push(v); labels.push(Math.abs(step) >= 1e4 ? compact(v) : fixed(v, digits));
    }
    return [values, labels];
  }
  function compact(v) {  // a tick label such as 2e7 or 2.5e7
    if (v === 0) { return "0"; }
    var e = Math.floor(Math.log10(Math.abs(v)) + 1e-9), m = v / Math.pow(10, e);
    return fixed(m, Math.abs(m - Math.round(m)) < 1e-6 ? 0 : 1) + "e" + e;
  }
  // A twin's epoch player, as the live widget's (Skin._epoch_player): Play steps `slider` on by one every
  // `interval` ms up to `last` and Pause stops it; Step goes one on (to `last` at most), Reset back to 0;
  // moving the slider pauses. `show` draws what the slider's value says.
  function player(slider, last, interval, show, play, step, reset) {
    var timer = null;
    function stop() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = "\u25b6 Play"; }
    function start() {
      if (Number(slider.value) >= last) { slider.value = 0; show(); }
      play.textContent = "\u275a\u275a Pause";
      timer = setInterval(function () {
        if (Number(slider.value) >= last) { stop(); return; }
        slider.value = Number(slider.value) + 1; show();
      }, interval);
    }
    slider.addEventListener("input", function () { stop(); show(); });
    play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
    step.addEventListener("click", function () {
      stop();
      if (Number(slider.value) < last) { slider.value = Number(slider.value) + 1; }
      show();
    });
    reset.addEventListener("click", function () { stop(); slider.value = 0; show(); });
  }
  return {fixed: fixed, figure: figure, clear: clear, panel: panel, axes: axes, line: line, vline: vline, dot: dot,
          bar: bar, legend: legend, text: text, contours: contours, player: player, niceTicks: niceTicks};
})();
"""


@functools.cache
def script_text(name):
    """The JavaScript file ``name`` shipped beside the widget modules (package data of ``mathnn.widgets``).

    A twin's script lives in a ``.js`` file of its own, e.g. ``debugger.js`` beside ``debugger.py``, so
    that it reads (and lints) as JavaScript; the twin fills in its element id and data when it is built.
    """
    return importlib.resources.files("mathnn.widgets").joinpath(name).read_text(encoding="utf-8")


def plot_js(spec_json):
    """The drawing library, and ``SPEC``, the figure's specs, for a twin's script."""
    sizes = {"TICK_PX": TICK_PX, "LABEL_PX": LABEL_PX, "TITLE_PX": TITLE_PX, "LEGEND_PX": LEGEND_PX}
    code = PLOT_JS
    for name, value in sizes.items():
        code = code.replace(name, str(value))
    return f"var SPEC = {spec_json};\n" + code


def twin_script(spec_json, body):
    """A twin's ``<script>``: the drawing library, its ``SPEC`` and ``body``, in a scope of their own.

    Several twins share a page, so nothing may be global: each twin's handlers must keep reading
    its own ``SPEC``, not the last one a page defined.
    """
    return "<script>(function () {\n" + plot_js(spec_json) + body + "\n})();</script>"
