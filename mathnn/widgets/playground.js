// The training playground's site twin (mathnn.widgets.playground_site.playground_twin): the network is built,
// trained and drawn here, step by step, as TrainingPlayground does it with mathnn in Python.
(function () {
  var root = document.getElementById("ID");
  var $ = function (part) { return document.getElementById("ID-" + part); };
  var canvas = $("canvas"), label = $("label"), error = $("error");
  var controls = {dataset: $("data"), hidden: $("hidden"), activation: $("activation"), rate: $("rate"),
                  batch: $("batch"), epochs: $("epochs")};
  var rateShown = $("rate-value"), play = $("play"), stepButton = $("step"), pause = $("pause"), reset = $("reset");
  var run = null, note = "", timer = null, pending = null, image = null, imageSize = 0;
  // Two panels side by side, or one above the other on a narrow screen (a media query: no layout is read)
  var narrow = window.matchMedia("(max-width: " + SPEC.narrow_below + "px)"), layout = null, ctx = null;
  function choose() {
    layout = SPEC.layouts[narrow.matches ? "narrow" : "wide"];
    ctx = MX.figure(canvas, layout);
    canvas.style.maxWidth = layout.size[0] + "px";
  }
  choose();

  // --- numbers shipped by Python, decoded once
  function float64s(text) {  // base64 of little-endian float64 -> Float64Array
    var raw = atob(text), view = new DataView(new ArrayBuffer(raw.length)), out = new Float64Array(raw.length / 8);
    for (var i = 0; i < raw.length; i++) { view.setUint8(i, raw.charCodeAt(i)); }
    for (var k = 0; k < out.length; k++) { out[k] = view.getFloat64(8 * k, true); }
    return out;
  }
  var NORMALS = float64s(SPEC.normals), DATA = {};
  SPEC.datasets.forEach(function (set) {
    var X = float64s(set.X), m = X.length / 2, Y = new Float64Array(m);
    for (var i = 0; i < m; i++) { Y[i] = Number(set.Y[i]); }
    DATA[set.name] = {X: X, Y: Y, m: m, extent: set.extent, points: set.points, lattices: {}};
  });
  function linspace(a, b, count) {  // numpy.linspace: a + i * step, the last point exactly b
    var step = (b - a) / (count - 1), out = [];
    for (var i = 0; i < count; i++) { out.push(i === count - 1 ? b : a + i * step); }
    return out;
  }
  function lattice(d, n) {  // plots.boundary_grid(X, n): (2, n * n), row by row from the bottom
    if (d.lattices[n]) { return d.lattices[n]; }
    var extent = d.extent, xs = linspace(extent[0], extent[1], n), ys = linspace(extent[2], extent[3], n);
    var P = new Float64Array(2 * n * n);
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) { P[r * n + c] = xs[c]; P[n * n + r * n + c] = ys[r]; }
    }
    d.lattices[n] = P;
    return P;
  }

  // --- numpy's PCG64 and Generator.permutation, the order optim.batches draws each epoch
  var MASK64 = (BigInt(1) << BigInt(64)) - BigInt(1), MASK128 = (BigInt(1) << BigInt(128)) - BigInt(1);
  var MULTIPLIER = BigInt("0x2360ed051fc65da44385df649fccf645");
  function generator() {
    return {state: BigInt(SPEC.pcg64.state), inc: BigInt(SPEC.pcg64.inc), half: null};
  }
  function next64(g) {  // one LCG step on the 128-bit state, then the XSL-RR output
    g.state = (g.state * MULTIPLIER + g.inc) & MASK128;
    var high = g.state >> BigInt(64), x = (high ^ g.state) & MASK64, r = Number(high >> BigInt(58));
    return ((x >> BigInt(r)) | (x << BigInt((64 - r) & 63))) & MASK64;
  }
  function next32(g) {  // the low half of a 64-bit draw, then its high half
    if (g.half !== null) { var kept = g.half; g.half = null; return kept; }
    var v = next64(g);
    g.half = Number(v >> BigInt(32));
    return Number(v & BigInt(0xffffffff));
  }
  function interval(g, max) {  // a uniform integer in [0, max]: masked rejection, as numpy's random_interval
    if (max === 0) { return 0; }
    var mask = max, v;
    for (var s = 1; s <= 16; s *= 2) { mask |= mask >>> s; }
    do { v = (next32(g) & mask) >>> 0; } while (v > max);
    return v;
  }
  function permutation(g, m) {  // Generator.permutation(m): Fisher-Yates from the end
    var order = [];
    for (var i = 0; i < m; i++) { order.push(i); }
    for (var k = m - 1; k > 0; k--) { var j = interval(g, k), t = order[j]; order[j] = order[k]; order[k] = t; }
    return order;
  }

  // --- Python's number formats
  function general(v, digits) {  // format(v, f".{digits}g")
    if (v === 0) { return "0"; }
    if (!isFinite(v)) { return isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }
    var parts = v.toExponential(digits - 1).split("e"), exponent = Number(parts[1]);
    var strip = function (s) { return s.indexOf(".") < 0 ? s : s.replace(/0+$/, "").replace(/\.$/, ""); };
    if (exponent < -4 || exponent >= digits) {
      return strip(parts[0]) + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") +
             Math.abs(exponent);
    }
    return strip(v.toFixed(Math.max(digits - 1 - exponent, 0)));
  }
  function g6(v) { return general(v, 6); }
  function percent(share) {  // format(share, ".0%"): ties to even
    var x = share * 100, low = Math.floor(x), rest = x - low;
    return String(rest > 0.5 || (rest === 0.5 && low % 2 === 1) ? low + 1 : low) + "%";
  }
  function pyFloat(v) { return isNaN(v) ? "nan" : (v === Infinity ? "inf" : (v === -Infinity ? "-inf" : String(v))); }

  // --- the network: mathnn.network.Network.from_sizes([2, *hidden, 1], hidden, "sigmoid", binary cross-entropy)
  // Each layer keeps its arrays (row-major, one column per example) and reuses them from step to step.
  function sigmoid(z) { var e = Math.exp(-Math.abs(z)); return z >= 0 ? 1 / (1 + e) : e / (1 + e); }
  function activate(g, Z, A) {  // mathnn.activations: A = g(Z)
    var q, count = Z.length, slope = SPEC.leaky_slope;
    if (g === "tanh") { for (q = 0; q < count; q++) { A[q] = Math.tanh(Z[q]); } }
    else if (g === "relu") { for (q = 0; q < count; q++) { A[q] = Math.max(Z[q], 0); } }
    else if (g === "leaky_relu") { for (q = 0; q < count; q++) { A[q] = Z[q] > 0 ? Z[q] : slope * Z[q]; } }
    else { for (q = 0; q < count; q++) { A[q] = sigmoid(Z[q]); } }
  }
  function timesDerivative(g, Z, dA) {  // dZ = dA ⊙ g'(Z), in place
    var q, count = Z.length, slope = SPEC.leaky_slope, t;
    if (g === "tanh") { for (q = 0; q < count; q++) { t = Math.tanh(Z[q]); dA[q] = dA[q] * (1 - t * t); } }
    else if (g === "relu") { for (q = 0; q < count; q++) { dA[q] = dA[q] * (Z[q] > 0 ? 1 : 0); } }
    else if (g === "leaky_relu") { for (q = 0; q < count; q++) { dA[q] = dA[q] * (Z[q] > 0 ? 1 : slope); } }
    else { for (q = 0; q < count; q++) { t = sigmoid(Z[q]); dA[q] = dA[q] * (t * (1 - t)); } }
  }
  function build(sizes, activation) {  // layers.Dense: W from one stream of normals, Xavier or He; b = 0
    var layers = [], used = 0, L = sizes.length - 1;
    for (var l = 1; l <= L; l++) {
      var g = l < L ? activation : "sigmoid", nPrev = sizes[l - 1], units = sizes[l];
      var scale = g === "relu" || g === "leaky_relu" ? Math.sqrt(2 / nPrev) : Math.sqrt(2 / (nPrev + units));
      var W = new Float64Array(units * nPrev);
      for (var k = 0; k < W.length; k++) { W[k] = scale * NORMALS[used + k]; }
      used += W.length;
      layers.push({n: units, nPrev: nPrev, W: W, b: new Float64Array(units), g: g, dW: new Float64Array(W.length),
                   db: new Float64Array(units), kept: {}});  // kept: Z and A for each number of columns
    }
    return layers;
  }
  function forward(layers, A, m) {  // A (n0, m); each layer keeps A_prev and Z for the backward pass
    for (var l = 0; l < layers.length; l++) {
      var layer = layers[l], W = layer.W, b = layer.b, n = layer.n, nPrev = layer.nPrev;
      var kept = layer.kept[m] || (layer.kept[m] = {Z: new Float64Array(n * m), A: new Float64Array(n * m)});
      var Z = kept.Z;
      layer.Z = Z; layer.A = kept.A; layer.m = m;
      for (var j = 0; j < n; j++) {
        for (var i = 0; i < m; i++) {
          var z = 0;
          for (var k = 0; k < nPrev; k++) { z += W[j * nPrev + k] * A[k * m + i]; }
          Z[j * m + i] = z + b[j];  // Z = W A_prev + b
        }
      }
      activate(layer.g, Z, layer.A);
      layer.A_prev = A;
      A = layer.A;
    }
    return A;
  }
  function costFromLogits(Z, Y, m) {  // losses.binary_cross_entropy_from_logits
    var sum = 0;
    for (var i = 0; i < m; i++) { sum += Math.max(Z[i], 0) - Z[i] * Y[i] + Math.log1p(Math.exp(-Math.abs(Z[i]))); }
    return sum / m;
  }
  function backward(layers, Yhat, Y, m) {  // Network._backward: every layer's dW and db
    var last = layers[layers.length - 1], l, i, j, k;
    layers.forEach(function (layer) {  // dA, where dZ is written in place
      var kept = layer.kept[m];
      layer.dA = kept.dA || (kept.dA = new Float64Array(layer.n * m));
    });
    var dZ = last.dA;
    for (i = 0; i < m; i++) { dZ[i] = (Yhat[i] - Y[i]) / m; }  // losses.output_gradient: (A - Y) / m
    for (l = layers.length - 1; l >= 0; l--) {
      var layer = layers[l], A = layer.A_prev, W = layer.W, dW = layer.dW, db = layer.db, n = layer.n;
      var nPrev = layer.nPrev;
      for (j = 0; j < n; j++) {
        var sum = 0;
        for (i = 0; i < m; i++) { sum += dZ[j * m + i]; }
        db[j] = sum;  // db = Σ over the columns of dZ
        for (k = 0; k < nPrev; k++) {
          var s = 0;
          for (i = 0; i < m; i++) { s += dZ[j * m + i] * A[k * m + i]; }
          dW[j * nPrev + k] = s;  // dW = dZ A_prevᵀ
        }
      }
      if (l > 0) {
        var below = layers[l - 1], dA = below.dA;
        for (k = 0; k < nPrev; k++) {
          for (i = 0; i < m; i++) {
            var d = 0;
            for (j = 0; j < n; j++) { d += W[j * nPrev + k] * dZ[j * m + i]; }
            dA[k * m + i] = d;  // dA_prev = Wᵀ dZ
          }
        }
        timesDerivative(below.g, below.Z, dA);
        dZ = dA;
      }
    }
  }
  function descend(layers, alpha) {  // optim.SGD.step: W -= α dW, b -= α db
    for (var l = 0; l < layers.length; l++) {
      var layer = layers[l], k;
      for (k = 0; k < layer.W.length; k++) { layer.W[k] -= alpha * layer.dW[k]; }
      for (k = 0; k < layer.n; k++) { layer.b[k] -= alpha * layer.db[k]; }
    }
  }
  function gather(d, columns) {  // X[:, columns] and Y[:, columns]
    var mb = columns.length, X = new Float64Array(2 * mb), Y = new Float64Array(mb);
    for (var i = 0; i < mb; i++) {
      X[i] = d.X[columns[i]]; X[mb + i] = d.X[d.m + columns[i]]; Y[i] = d.Y[columns[i]];
    }
    return [X, Y];
  }
  function evaluate(r) {  // the cost and the accuracy on all m examples
    var d = DATA[r.settings.dataset], A = forward(r.layers, d.X, d.m), right = 0;
    for (var i = 0; i < d.m; i++) { if ((A[i] >= 0.5 ? 1 : 0) === d.Y[i]) { right++; } }
    return [costFromLogits(r.layers[r.layers.length - 1].Z, d.Y, d.m), right / d.m];
  }

  // --- a run: playground.new_playground, train_epochs (Network.fit and its divergence checks)
  function latticeSize(layers) {
    // The boundary is drawn on the book's lattice, or on a coarser one where a network is too big to run on
    // every point of it within a frame (SPEC.lattice_budget multiply-adds).
    var weights = 0;
    layers.forEach(function (layer) { weights += layer.W.length; });
    if (weights * SPEC.grid * SPEC.grid <= SPEC.lattice_budget) { return SPEC.grid; }
    return Math.max(SPEC.coarsest, Math.floor(Math.sqrt(SPEC.lattice_budget / weights)));
  }
  function newRun(settings) {
    var r = {settings: settings, layers: build([2].concat(settings.hidden).concat([1]), settings.activation),
             rng: generator(), epoch: 0, losses: [], accuracy: [], steps: 0, diverged: null, divergedWith: null};
    r.lattice = latticeSize(r.layers);
    var first = evaluate(r);
    r.initial = first[0]; r.accuracy0 = first[1]; r.losses = [first[0]]; r.lowest = first[0]; r.above = 0;
    return r;
  }
  function finiteOrStop(r, cost, epoch) {
    if (isFinite(cost)) { return true; }
    var a = r.settings.learning_rate;
    r.diverged = "the cost became " + pyFloat(cost) + " at epoch " + epoch + ", step " + r.steps + " (learning_rate=" +
                 g6(a) + "): gradient descent is diverging. Try a smaller learning rate, e.g. " + g6(a / 10) + ".";
    return false;
  }
  function trainEpochs(r, epochs) {
    var d = DATA[r.settings.dataset], a = r.settings.learning_rate, size = r.settings.batch_size;
    for (var e = 0; e < epochs && !r.diverged; e++) {
      var epoch = r.epoch + 1, order = permutation(r.rng, d.m);
      for (var start = 0; start < d.m && !r.diverged; start += size) {
        var batch = gather(d, order.slice(start, start + size)), mb = batch[1].length;
        var Yhat = forward(r.layers, batch[0], mb);
        var cost = costFromLogits(r.layers[r.layers.length - 1].Z, batch[1], mb);
        backward(r.layers, Yhat, batch[1], mb);
        descend(r.layers, a);
        r.steps += 1;
        finiteOrStop(r, cost, epoch);
      }
      if (r.diverged) { break; }
      var now = evaluate(r);
      if (!finiteOrStop(r, now[0], epoch)) { break; }
      var exploding = now[0] > r.initial && now[0] > SPEC.divergence_factor * r.lowest;  // _DivergenceWatch
      r.above = exploding ? r.above + 1 : 0;
      r.lowest = Math.min(r.lowest, now[0]);
      if (r.above >= SPEC.divergence_epochs) {
        r.diverged = "the cost exploded to " + general(now[0], 3) + " at epoch " + epoch + ", step " + r.steps +
          " (learning_rate=" + g6(a) + "): for " + SPEC.divergence_epochs + " epochs in a row it has been more than " +
          SPEC.divergence_factor + " times its lowest, " + general(r.lowest, 3) + ", and above the " +
          general(r.initial, 3) + " before training, so gradient descent is diverging. Try a smaller learning " +
          "rate, e.g. " + g6(a / 10) + ", and start again from fresh weights.";
        break;
      }
      r.epoch = epoch; r.losses.push(now[0]); r.accuracy.push(now[1]);
    }
    if (r.diverged) { r.divergedWith = {learning_rate: r.settings.learning_rate, batch_size: r.settings.batch_size}; }
    return r;
  }
  function accuracyNow(r) { return r.accuracy.length ? r.accuracy[r.accuracy.length - 1] : r.accuracy0; }
  function captionText(r) {  // playground.playground_caption
    if (r.diverged) { return r.diverged; }
    return "epoch " + r.epoch + ": cost " + general(r.losses[r.losses.length - 1], 3) + ", accuracy " +
           percent(accuracyNow(r));
  }

  // --- the picture: PlaygroundView
  function costDecades(losses) {  // playground.cost_axis_limits, as powers of ten
    var low = Infinity, high = 0;
    losses.forEach(function (v) { if (isFinite(v) && v > 0) { low = Math.min(low, v); high = Math.max(high, v); } });
    if (!(high > 0)) { low = 1; high = 1; }
    low = Math.min(low, SPEC.cost_cap); high = Math.min(high, SPEC.cost_cap);
    return [Math.floor(Math.log10(low)), Math.ceil(Math.log10(high) + 1e-12)];
  }
  function power(k) {  // "10⁻²", as matplotlib labels a log axis
    var SUPERSCRIPT = {"-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
                       5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079"};
    return "10" + String(k).split("").map(function (c) { return SUPERSCRIPT[c]; }).join("");
  }
  function outputs(r) {  // what the network says on the lattice; null if any output is not finite
    var n = r.lattice, A = forward(r.layers, lattice(DATA[r.settings.dataset], n), n * n);
    for (var i = 0; i < A.length; i++) { if (!isFinite(A[i])) { return null; } }
    return A;
  }
  function draw(r) {
    var d = DATA[r.settings.dataset], s = r.settings;
    if (!r.diverged) {
      var A = outputs(r);
      if (A) {
        image = new Uint8Array(A.length); imageSize = r.lattice;
        for (var i = 0; i < A.length; i++) { image[i] = Math.round(255 * Math.min(Math.max(A[i], 0), 1)); }
      }
    }
    var left = JSON.parse(JSON.stringify(layout.panels[0])), right = JSON.parse(JSON.stringify(layout.panels[1]));
    left.xlim = [d.extent[0], d.extent[1]]; left.ylim = [d.extent[2], d.extent[3]];
    var xt = MX.niceTicks(d.extent[0], d.extent[1], 5), yt = MX.niceTicks(d.extent[2], d.extent[3], 5);
    left.xticks = xt[0]; left.xticklabels = xt[1]; left.yticks = yt[0]; left.yticklabels = yt[1];
    left.title = r.diverged ? "epoch " + r.epoch + " · diverged: lower α and start again"
      : "epoch " + r.epoch + " · cost " + general(r.losses[r.losses.length - 1], 3) + " · accuracy " +
        percent(accuracyNow(r));
    var epochs = 10, k;
    while (epochs < r.losses.length - 1) { epochs *= 2; }  // the epoch axis doubles when full
    var decades = costDecades(r.losses);  // a log axis: the panel's y is log10 of the cost
    right.xlim = [0, epochs]; right.ylim = decades;
    xt = MX.niceTicks(0, epochs, 6, true);
    right.xticks = xt[0]; right.xticklabels = xt[1]; right.yticks = []; right.yticklabels = [];
    var every = Math.max(1, Math.ceil((decades[1] - decades[0]) / 6));
    for (k = decades[0]; k <= decades[1]; k += every) { right.yticks.push(k); right.yticklabels.push(power(k)); }
    var settingsTitle = "hidden layers " + (s.hidden.join(",") || "none") + " · " + s.activation + " · α = " +
                        general(s.learning_rate, 3) + " · batch size " + s.batch_size;
    MX.clear(ctx, layout);
    var p0 = MX.panel(ctx, left), p1 = MX.panel(ctx, right);
    BOUNDARY.paint(p0, image, 0, imageSize, d.extent, SPEC.colours, d.points,
                   [SPEC.palette.blue, SPEC.palette.orange]);
    MX.axes(p0); MX.axes(p1);
    fittedTitle(p1, settingsTitle);
    var xs = [], ys = [];
    for (k = 0; k < r.losses.length; k++) {  // (a cost of 0 sits on the axis's floor)
      xs.push(k); ys.push(r.losses[k] > 0 ? Math.log10(Math.min(r.losses[k], SPEC.cost_cap)) : decades[0]);
    }
    MX.line(p1, xs, ys, xs.length, SPEC.palette.blue, 2);
    MX.dot(p1, xs[xs.length - 1], ys[ys.length - 1], SPEC.palette.blue, 4);
  }
  function fittedTitle(p, text) {  // the settings over the cost panel, smaller where they would run off the canvas
    var b = p.box, room = 2 * Math.min(b[0] + b[2] / 2, layout.size[0] - b[0] - b[2] / 2) - 8, px = SPEC.title_px;
    ctx.font = px + 'px "DejaVu Sans", Verdana, sans-serif';
    var width = ctx.measureText(text).width;
    if (width > room) { px = Math.max(Math.floor(px * room / width), 8); }
    MX.text(ctx, text, b[0] + b[2] / 2, b[1] - 7, "center", "bottom", px);
  }
  function show() {  // TrainingPlayground._show
    var r = run, s = r.settings;
    var text = "epoch <b>" + r.epoch + "</b> · cost " + general(r.losses[r.losses.length - 1], 3);
    if (note) { text += " · " + note; }
    if (pending) { text += " · training… " + pending.left + " more " + (pending.left === 1 ? "epoch" : "epochs"); }
    if (r.diverged) {
      text += ' · <span style="color:' + SPEC.palette.vermillion + '">' + r.diverged + "</span>";
      text += canStartAgain() ? " · <b>Step or Play starts again from epoch 0 with α = " + general(s.learning_rate, 3) +
        ", batch size " + s.batch_size + ".</b>"
        : " · <b>Lower α, then Step or Play starts again from epoch 0</b> (Reset: with the same α).";
    }
    label.innerHTML = text;
    canvas.setAttribute("aria-label", "The playground. " + captionText(r));
    draw(r);
  }

  // --- the controls: TrainingPlayground's
  function canStartAgain() {
    var r = run;
    return Boolean(r.diverged) && (r.settings.learning_rate !== r.divergedWith.learning_rate ||
                                   r.settings.batch_size !== r.divergedWith.batch_size);
  }
  // The slider holds log10 α in steps of 0.1; until it is moved, α is the one the twin was made with (0.3 is
  // not on the slider's steps: the live FloatLogSlider keeps such a value too).
  var rateMoved = false;
  function learningRate() { return rateMoved ? Math.pow(10, Number(controls.rate.value)) : SPEC.learning_rate; }
  function settingsNow(hidden) {
    return {dataset: controls.dataset.value, hidden: hidden, activation: controls.activation.value,
            learning_rate: learningRate(), batch_size: Number(controls.batch.value)};
  }
  function guarded(action) {  // errors_shown: a bad value is said under the controls, and the twin goes on
    return function () {
      error.textContent = "";
      try { action(); } catch (e) { error.textContent = "ValueError: " + e.message; }
    };
  }
  function train(epochs, then) {  // a Step: `epochs` epochs, then `then()`; a long one in slices, the page alive
    // A bad text in the hidden-layers box: said again, rather than training a network the box does not show.
    parseSizes(controls.hidden.value, SPEC.rule);
    note = "";
    if (canStartAgain()) {
      run = newRun(run.settings);
      note = "started again from epoch 0 with α = " + general(run.settings.learning_rate, 3);
    }
    if (run.diverged) { stop(); show(); return; }
    pending = {left: epochs, then: then || null};
    slice();
  }
  function slice() {
    var begun = performance.now(), job = pending;
    while (job.left > 0 && !run.diverged) {
      trainEpochs(run, 1);  // one epoch at a time: the same run as trainEpochs(run, epochs), with the same checks
      job.left -= 1;
      if (performance.now() - begun > SPEC.slice_ms) { break; }
    }
    if (run.diverged) { stop(); }
    if (job.left > 0 && !run.diverged) {
      show();
      job.timer = setTimeout(slice, 0);
      return;
    }
    pending = null;
    show();
    if (job.then) { job.then(); }
  }
  function cancel() { if (pending) { clearTimeout(pending.timer); pending = null; } }
  function stop() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    play.textContent = "\u25b6 Play";
  }
  function tick() {  // Play: a step on every tick, the ticks spaced out to the time a step takes
    if (pending) { timer = setTimeout(tick, SPEC.interval); return; }  // a long Step is still training
    var begun = performance.now();
    try {
      train(Number(controls.epochs.value), function () {
        if (timer !== null) { timer = setTimeout(tick, Math.max(SPEC.interval, 1.25 * (performance.now() - begun))); }
      });
    } catch (e) {
      stop();
      error.textContent = "ValueError: " + e.message;
    }
  }
  function onNetworkSetting() {
    stop(); cancel();
    var hidden = parseSizes(controls.hidden.value, SPEC.rule);
    note = "";
    run = newRun(settingsNow(hidden));
    show();
  }
  function showRate() {
    var text = general(learningRate(), 3);
    rateShown.textContent = text;
    controls.rate.setAttribute("aria-valuetext", "α = " + text);
  }
  function onRate() {
    showRate();
    run.settings = settingsNow(run.settings.hidden);
    show();
  }
  [controls.dataset, controls.activation, controls.hidden].forEach(function (control) {
    control.addEventListener("change", guarded(onNetworkSetting));
  });
  controls.rate.addEventListener("input", guarded(function () { rateMoved = true; onRate(); }));
  controls.batch.addEventListener("change", guarded(onRate));
  stepButton.addEventListener("click", guarded(function () {
    if (!pending) { train(Number(controls.epochs.value)); }  // (a Step still training goes on)
  }));
  play.addEventListener("click", guarded(function () {
    if (timer !== null) { return; }
    play.textContent = "\u275a\u275a Playing";
    timer = setTimeout(tick, 0);
  }));
  pause.addEventListener("click", function () { stop(); cancel(); show(); });
  reset.addEventListener("click", guarded(function () {
    stop(); cancel(); note = ""; run = newRun(run.settings); show();
  }));
  narrow.addEventListener("change", function () { choose(); show(); });
  root.mathnnState = function () {
    var r = run, A = outputs(r);
    return {dataset: r.settings.dataset, hidden: r.settings.hidden.slice(), activation: r.settings.activation,
            learning_rate: r.settings.learning_rate, batch_size: r.settings.batch_size,
            epochs_per_step: Number(controls.epochs.value), epoch: r.epoch, steps: r.steps, losses: r.losses.slice(),
            accuracy: r.accuracy.slice(), diverged: r.diverged, caption: captionText(r),
            label: label.textContent, error: error.textContent, playing: timer !== null, training: pending !== null,
            lattice: r.lattice, outputs: A ? Array.prototype.slice.call(A) : null,
            weights: r.layers.map(function (layer) { return Array.prototype.slice.call(layer.W); })};
  };
  showRate();
  run = newRun(settingsNow(parseSizes(controls.hidden.value, SPEC.rule)));
  show();
})();
