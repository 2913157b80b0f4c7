// mathnn.widgets.neuron in JavaScript: neuron_reading, neuron_caption, color_scale and NeuronView.update.
(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var names = ["w0", "w1", "b"], sliders = {}, shown = {};
  for (var i = 0; i < names.length; i++) {
    sliders[names[i]] = document.getElementById("ID-" + names[i]);
    shown[names[i]] = document.getElementById("ID-" + names[i] + "-value");
  }
  var activation = document.getElementById("ID-activation"), gate = document.getElementById("ID-gate");
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, current = null;
  var X0 = [0, 0, 1, 1], X1 = [0, 1, 0, 1];   // data.logic_gate: the columns (0,0), (0,1), (1,0), (1,1)

  function g(name, z) {                       // mathnn.activations: value
    if (name === "step") { return z >= 0 ? 1 : 0; }
    if (name === "sigmoid") { var E = Math.exp(-Math.abs(z)); return z >= 0 ? 1 / (1 + E) : E / (1 + E); }
    if (name === "tanh") { return Math.tanh(z); }
    return Math.max(z, 0);                    // relu
  }
  function reading(w0, w1, b, act, gateName) {   // neuron_reading
    var r = {w0: w0, w1: w1, b: b, activation: act, gate: gateName, half_at: SPEC.halfAt[act],
             z: [], a: [], targets: [], says: [], correct: 0};
    for (var k = 0; k < 4; k++) {
      var z = w0 * X0[k] + w1 * X1[k] + b, a = g(act, z), t = SPEC.gates[gateName][k];
      var says = a > 0.5 ? 1 : (a < 0.5 ? 0 : 0.5);   // a = ½: on the boundary, no class, wrong
      r.z.push(z); r.a.push(a); r.targets.push(t); r.says.push(says);
      if (says === t) { r.correct += 1; }
    }
    var range = SPEC.range[act], high = range[1];
    if (act === "relu") {                      // color_scale: ReLU's top is its largest output on the square
      for (var c = 0; c < 4; c++) {
        high = Math.max(high, w0 * SPEC.plane[c >> 1] + w1 * SPEC.plane[c & 1] + b);
      }
    }
    r.scale = [range[0], high];
    return r;
  }
  function captionText(r) {                   // neuron_caption
    var lines = [
      "z = " + fixed(r.w0, 2) + " x₀ + " + fixed(r.w1, 2) + " x₁ " + (r.b < 0 ? "−" : "+") + " " +
        fixed(Math.abs(r.b), 2) + ", a = " + r.activation + "(z); the boundary a = ½ is the line z = " +
        fixed(r.half_at, 4),
      "a at (0, 0), (0, 1), (1, 0), (1, 1): " + r.a.map(function (a) { return fixed(a, 4); }).join(", ") +
        " (targets " + r.targets.join(", ") + ")",
      SPEC.names[r.gate] + ": " + r.correct + " of 4 correct (right: a > ½ for target 1, a < ½ for target 0; " +
        "a = ½ is wrong)"
    ];
    if (r.gate === "xor") { lines[2] += ". No single line gets all four of XOR."; }
    return lines.join("\n");
  }
  function color(v, low, high) {              // half_white_cmap: class 0's colour, white at ½, class 1's
    var t = Math.min(Math.max((v - low) / (high - low), 0), 1), middle = (0.5 - low) / (high - low);
    var s = SPEC.stops, from, to, u;
    if (t <= middle) { from = s[0]; to = s[1]; u = t / middle; } else { from = s[1]; to = s[2]; u = (t - middle) / (1 - middle); }
    return [from[0] + (to[0] - from[0]) * u, from[1] + (to[1] - from[1]) * u, from[2] + (to[2] - from[2]) * u];
  }
  var cells = document.createElement("canvas"), cellsCtx = cells.getContext("2d");
  function heat(p, r) {                       // the output over the plane, one value per cell of 2 x 2 pixels
    var b = p.box, s = p.spec, w = Math.round(b[2] / 2), h = Math.round(b[3] / 2);
    cells.width = w; cells.height = h;
    var image = cellsCtx.createImageData(w, h);
    for (var j = 0; j < h; j++) {
      var x1 = s.ylim[1] - (j + 0.5) / h * (s.ylim[1] - s.ylim[0]);
      for (var i = 0; i < w; i++) {
        var x0 = s.xlim[0] + (i + 0.5) / w * (s.xlim[1] - s.xlim[0]);
        var rgb = color(g(r.activation, r.w0 * x0 + r.w1 * x1 + r.b), r.scale[0], r.scale[1]), at = 4 * (j * w + i);
        image.data[at] = rgb[0]; image.data[at + 1] = rgb[1]; image.data[at + 2] = rgb[2]; image.data[at + 3] = 255;
      }
    }
    cellsCtx.putImageData(image, 0, 0);
    ctx.save(); ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = "high";
    ctx.drawImage(cells, b[0], b[1], b[2], b[3]);   // smoothed between cells, as the view's bilinear heat map
    ctx.restore();
  }
  function boundary(p, r) {                   // decision_line at the level z½
    if (Math.abs(r.w0) < 1e-12 && Math.abs(r.w1) < 1e-12) { return; }
    var ends = [SPEC.plane[0] - 1, SPEC.plane[1] + 1], xs, ys, level = r.half_at;
    if (Math.abs(r.w1) >= Math.abs(r.w0)) {
      xs = ends; ys = ends.map(function (e) { return (level - r.w0 * e - r.b) / r.w1; });
    } else {
      ys = ends; xs = ends.map(function (e) { return (level - r.w1 * e - r.b) / r.w0; });
    }
    MX.line(p, xs, ys, 2, "#000000", 2);
  }
  function marker(x, y, k, wrong) {
    ctx.save();
    ctx.fillStyle = SPEC.classes[k]; ctx.strokeStyle = "#000000"; ctx.lineWidth = 1;
    ctx.beginPath();
    if (k === 0) { ctx.arc(x, y, 8, 0, 2 * Math.PI); } else { ctx.rect(x - 7.5, y - 7.5, 15, 15); }
    ctx.fill(); ctx.stroke();
    if (wrong) {
      ctx.strokeStyle = SPEC.palette.vermillion; ctx.lineWidth = 3;
      ctx.beginPath(); ctx.arc(x, y, 14, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.restore();
  }
  function colorbar(r) {
    var b = SPEC.colorbar.box, low = r.scale[0], high = r.scale[1], span = high - low, v;
    for (var j = 0; j < b[3]; j++) {
      var rgb = color(high - (j + 0.5) / b[3] * span, low, high);
      ctx.fillStyle = "rgb(" + rgb.map(Math.round).join(",") + ")"; ctx.fillRect(b[0], b[1] + j, b[2], 1);
    }
    ctx.strokeStyle = "#000000"; ctx.lineWidth = 1; ctx.strokeRect(b[0] + 0.5, b[1] + 0.5, b[2], b[3]);
    var step = span <= 2.5 ? 0.5 : (span <= 6 ? 1 : (span <= 12 ? 2 : 5));
    for (v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) {
      var y = b[1] + (high - v) / span * b[3];
      ctx.beginPath(); ctx.moveTo(b[0] + b[2], y); ctx.lineTo(b[0] + b[2] + 4.5, y); ctx.stroke();
      MX.text(ctx, fixed(v, 1), b[0] + b[2] + 7, y, "left", "middle", 12);
    }
    var half = b[1] + (high - 0.5) / span * b[3];
    ctx.beginPath(); ctx.moveTo(b[0], half); ctx.lineTo(b[0] + b[2], half); ctx.stroke();
    MX.text(ctx, SPEC.colorbar.label, b[0] + b[2] + 46, b[1] + b[3] / 2, "center", "bottom", 13, Math.PI / 2);
  }
  function draw(r) {                          // NeuronView.update
    var p = MX.panel(ctx, SPEC.panels[0]), b = p.box;
    MX.clear(ctx, SPEC);
    heat(p, r);
    MX.axes(p);
    boundary(p, r);
    for (var k = 0; k < 4; k++) { marker(p.x(X0[k]), p.y(X1[k]), r.targets[k], r.says[k] !== r.targets[k]); }
    colorbar(r);
    var y = b[1] + b[3] + 60, x = b[0] + 40;
    marker(x, y, 0, false); MX.text(ctx, "target 0", x + 16, y, "left", "middle", 12);
    marker(x + 110, y, 1, false); MX.text(ctx, "target 1", x + 126, y, "left", "middle", 12);
    ctx.save(); ctx.strokeStyle = SPEC.palette.vermillion; ctx.lineWidth = 3;
    ctx.beginPath(); ctx.arc(x + 220, y, 9, 0, 2 * Math.PI); ctx.stroke(); ctx.restore();
    MX.text(ctx, "wrong", x + 236, y, "left", "middle", 12);
  }
  function update() {
    for (var i = 0; i < names.length; i++) { shown[names[i]].textContent = fixed(Number(sliders[names[i]].value), 1); }
    current = reading(Number(sliders.w0.value), Number(sliders.w1.value), Number(sliders.b.value),
                      activation.value, gate.value);
    current.caption = captionText(current);
    caption.textContent = current.caption;
    canvas.setAttribute("aria-label", "One neuron's output over the plane. " + current.caption);
    draw(current);
  }
  for (var n = 0; n < names.length; n++) { sliders[names[n]].addEventListener("input", update); }
  activation.addEventListener("change", update);
  gate.addEventListener("change", update);
  root.mathnnState = function () { return JSON.parse(JSON.stringify(current)); };
  update();
})();
