// mathnn.widgets.depth in JavaScript: the table's numbers for a setting, depth_caption and DepthView.update.
(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var activation = document.getElementById("ID-activation");
  var depth = document.getElementById("ID-depth"), spread = document.getElementById("ID-spread");
  var depthShown = document.getElementById("ID-depth-value"), spreadShown = document.getElementById("ID-spread-value");
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, current = null, D = SPEC.maxDepth;

  var bytes = atob(SPEC.table), view = new DataView(new ArrayBuffer(bytes.length));
  for (var i = 0; i < bytes.length; i++) { view.setUint8(i, bytes.charCodeAt(i)); }
  function row(start, count) {  // count float64s from the table (depth_table), little-endian
    var out = [];
    for (var k = 0; k < count; k++) { out.push(view.getFloat64(8 * (start + k), true)); }
    return out;
  }
  function ones(n) { var out = []; for (var k = 0; k < n; k++) { out.push(1); } return out; }

  // derivative_products, read from depth_table: its rows in the order the table was written
  function products(act, L, s) {
    var p = {activation: act, depth: L, spread: s}, smooth = SPEC.smooth.indexOf(act), at;
    if (smooth >= 0) {
      at = ((smooth * SPEC.spreads.length + SPEC.spreads.indexOf(s)) * 4) * D;
      p.median = row(at, L); p.low = row(at + D, L); p.high = row(at + 2 * D, L); p.mean = row(at + 3 * D, L);
      p.on = ones(L); p.every_path = p.median.slice();
    } else {
      at = 2 * SPEC.spreads.length * 4 * D + SPEC.switching.indexOf(act) * 3 * D;
      p.median = ones(L); p.low = ones(L); p.high = ones(L);
      p.on = row(at, L); p.every_path = row(at + D, L); p.mean = row(at + 2 * D, L);
    }
    p.bound = null;
    if (act === "sigmoid") { p.bound = []; for (var l = 1; l <= L; l++) { p.bound.push(Math.pow(0.25, l)); } }
    return p;
  }
  function significant(x, digits) {  // depth.significant: Python's ".2g", halves away from zero
    if (x === 0) { return "0"; }
    var parts = Math.abs(x).toExponential(digits - 1).split("e"), e = Number(parts[1]);
    var sign = x < 0 ? "-" : "", mantissa = parts[0].replace(".", "");
    function strip(t) { return t.indexOf(".") >= 0 ? t.replace(/0+$/, "").replace(/\.$/, "") : t; }
    if (e < -4 || e >= digits) {
      return sign + strip(parts[0]) + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    }
    if (e < 0) { return sign + strip("0." + new Array(-e).join("0") + mantissa); }
    return sign + strip(mantissa.slice(0, e + 1) + "." + mantissa.slice(e + 1));
  }
  function captionText(p) {  // depth_caption
    var L = p.depth, s = function (v) { return significant(v, 2); };
    if (p.activation === "relu") {
      return "relu, depth " + L + ", any spread: product 1 along units that are on, but only " + s(p.on[L - 1]) +
        " of the paths are on all the way, and that share is the mean product over all paths";
    }
    if (p.activation === "leaky_relu") {
      return "leaky_relu, depth " + L + ", any spread: product 1 along units that are on; the median path has " +
        "about half its units off, each × 0.01, and keeps " + s(p.every_path[L - 1]) + ", but the mean over all " +
        "paths, which a gradient's sum over paths feels, is " + s(p.mean[L - 1]);
    }
    var text = p.activation + ", depth " + L + ", spread " + fixed(p.spread, 1) + ": median product " +
      s(p.median[L - 1]);
    if (p.bound) { text += ", at most (1/4)^" + L + " = " + s(p.bound[L - 1]); }
    return text + "; mean over all paths " + s(p.mean[L - 1]);
  }

  function g(act, z) {  // mathnn.activations: value and derivative
    if (act === "sigmoid") { var E = Math.exp(-Math.abs(z)), v = z >= 0 ? 1 / (1 + E) : E / (1 + E); return [v, v * (1 - v)]; }
    if (act === "tanh") { var t = Math.tanh(z); return [t, 1 - t * t]; }
    if (act === "relu") { return [Math.max(z, 0), z > 0 ? 1 : 0]; }
    return [z > 0 ? z : SPEC.leak * z, z > 0 ? 1 : SPEC.leak];
  }
  function drawCurves(p) {  // DepthView._draw_still: g, g' and where z falls
    var panel = MX.panel(ctx, SPEC.curves[p.activation]), b = panel.box, zs = [], values = [], slopes = [], k;
    for (k = 0; k <= 400; k++) { zs.push(-5 + k * 0.025); var both = g(p.activation, zs[k]); values.push(both[0]); slopes.push(both[1]); }
    MX.axes(panel);
    ctx.save(); ctx.fillStyle = "rgba(119, 119, 119, 0.3)"; ctx.beginPath(); ctx.moveTo(b[0], b[1] + b[3]);
    for (k = 0; k <= 400; k++) {
      ctx.lineTo(panel.x(zs[k]), b[1] + b[3] - 0.25 * b[3] * Math.exp(-0.5 * Math.pow(zs[k] / p.spread, 2)));
    }
    ctx.lineTo(b[0] + b[2], b[1] + b[3]); ctx.closePath(); ctx.fill(); ctx.restore();
    MX.line(panel, [-5, 5], [0, 0], 2, SPEC.grey, 0.8);
    MX.line(panel, [0, 0], panel.spec.ylim, 2, SPEC.grey, 0.8);
    MX.line(panel, zs, values, zs.length, SPEC.palette.blue, 2.2);
    MX.line(panel, zs, slopes, zs.length, SPEC.palette.vermillion, 2.0, [7, 4]);
    MX.legend(panel, [{label: "g(z)", color: SPEC.palette.blue}, {label: "g′(z)", color: SPEC.palette.vermillion, dash: [7, 4]},
                      {label: "where z falls: N(0, " + significant(p.spread, 2) + "²)", fill: "rgba(119, 119, 119, 0.3)"}],
              "upper left");
  }
  function logs(values) { return values.map(function (v) { return v > 0 ? Math.log(v) / Math.LN10 : NaN; }); }
  function drawProducts(p) {  // DepthView.update: the right panel, log scale (the spec's y is log10)
    var panel = MX.panel(ctx, SPEC.panels[0]), L = p.depth, xs = [], k, smooth = SPEC.smooth.indexOf(p.activation) >= 0;
    for (k = 1; k <= L; k++) { xs.push(k); }
    MX.axes(panel);
    MX.line(panel, [0.5, D + 0.5], [0, 0], 2, SPEC.grey, 1.0);
    var items = [];
    if (smooth) {
      var low = logs(p.low), high = logs(p.high);
      ctx.save(); ctx.beginPath(); ctx.rect(panel.box[0], panel.box[1], panel.box[2], panel.box[3]); ctx.clip();
      ctx.fillStyle = SPEC.band; ctx.beginPath();
      for (k = 0; k < L; k++) { ctx.lineTo(panel.x(xs[k]), panel.y(high[k])); }
      for (k = L - 1; k >= 0; k--) { ctx.lineTo(panel.x(xs[k]), panel.y(low[k])); }
      ctx.closePath(); ctx.fill(); ctx.restore();
    }
    var median = logs(p.median);
    MX.line(panel, xs, median, L, SPEC.palette.blue, 2);
    for (k = 0; k < L; k++) { MX.dot(panel, xs[k], median[k], SPEC.palette.blue, 2.2); }
    items.push({label: smooth ? "median path" : "median, along units that are on", color: SPEC.palette.blue});
    if (smooth) { items.push({label: "10% to 90% of paths", fill: SPEC.band}); }
    if (p.bound) {
      MX.line(panel, xs, logs(p.bound), L, SPEC.palette.vermillion, 2, [7, 4]);
      items.push({label: "bound (1/4)^L", color: SPEC.palette.vermillion, dash: [7, 4]});
    }
    MX.line(panel, xs, logs(p.mean), L, SPEC.palette.green, 2.4, [2, 3]);
    items.push({label: SPEC.meanLabels[p.activation] || "mean over all paths", color: SPEC.palette.green, dash: [2, 3]});
    if (p.activation === "leaky_relu") {
      MX.line(panel, xs, logs(p.every_path), L, SPEC.palette.purple, 1.8, [7, 3, 2, 3]);
      items.push({label: "median of all paths (off: × 0.01)", color: SPEC.palette.purple, dash: [7, 3, 2, 3]});
    }
    MX.dot(panel, xs[L - 1], median[L - 1], SPEC.palette.blue, 5);
    MX.legend(panel, items, "lower left");
  }
  function update() {
    var L = Number(depth.value), s = Number(spread.value);
    depthShown.textContent = fixed(L, 0); spreadShown.textContent = fixed(s, 1);
    current = products(activation.value, L, s);
    current.caption = captionText(current);
    caption.textContent = current.caption;
    canvas.setAttribute("aria-label", "g and its derivative; the product of g′ over depth. " + current.caption);
    MX.clear(ctx, SPEC);
    drawCurves(current);
    drawProducts(current);
  }
  activation.addEventListener("change", update);
  depth.addEventListener("input", update);
  spread.addEventListener("input", update);
  root.mathnnState = function () { return JSON.parse(JSON.stringify(current)); };
  update();
})();
