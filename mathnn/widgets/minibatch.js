// The mini-batch explorer's site twin (mathnn.widgets.minibatch.minibatch_twin): every step computed here.
(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var batch = document.getElementById("ID-batch"), rate = document.getElementById("ID-rate");
  var seed = document.getElementById("ID-seed");
  var epoch = document.getElementById("ID-epoch"), play = document.getElementById("ID-play");
  var stepButton = document.getElementById("ID-step"), reset = document.getElementById("ID-reset");
  var shown = {batch: document.getElementById("ID-batch-value"), rate: document.getElementById("ID-rate-value"),
               epoch: document.getElementById("ID-epoch-value")};
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, ratio = canvas.width / SPEC.size[0];
  var xs = SPEC.data.x, ys = SPEC.data.y, m = xs.length, run = null, current = null, surface = null;

  // minibatch.epoch_orders: the shuffles optim.batches drew in Python, two digits per example, epoch after epoch
  var orders = {};
  function order(s) {
    if (!orders[s]) {
      var text = SPEC.data.orders[s], all = [];
      for (var e = 0; e < SPEC.epochs; e++) {
        var one = [];
        for (var i = 0; i < m; i++) { var k = 2 * (e * m + i); one.push(Number(text.slice(k, k + 2))); }
        all.push(one);
      }
      orders[s] = all;
    }
    return orders[s];
  }
  // minibatch.cost: losses.mse of w x + b on all m examples
  function cost(w, b) {
    var sum = 0;
    for (var i = 0; i < m; i++) { var r = w * xs[i] + b - ys[i]; sum += r * r; }
    return sum / m;
  }
  // minibatch._descend: Network([Dense(1, 1, "linear")], loss="mse").train_step on each batch, written out
  function descend(w, b, alpha, batches) {
    var path = [[w, b]];
    for (var k = 0; k < batches.length; k++) {
      var columns = batches[k], n = columns.length, dw = 0, db = 0;
      for (var i = 0; i < n; i++) {
        var j = columns[i], dZ = 2 * (w * xs[j] + b - ys[j]) / n;   // losses.mse_gradient, g' = 1
        dw += dZ * xs[j]; db += dZ;                                  // dW = dZ X_Bᵀ, db = Σ dZ
      }
      w = w - alpha * dw; b = b - alpha * db;                        // optim.SGD.step
      path.push([w, b]);
      if (!isFinite(w) || !isFinite(b) || Math.max(Math.abs(w), Math.abs(b)) > SPEC.limit) {
        return [path, path.length - 1];
      }
    }
    return [path, null];
  }
  // minibatch.minibatch_run
  function minibatchRun(size, alpha, s) {
    var sgdBatches = [], gdBatches = [], all = [], e, i, shuffled = order(s);
    for (i = 0; i < m; i++) { all.push(i); }
    for (e = 0; e < SPEC.epochs; e++) {
      for (i = 0; i < m; i += size) { sgdBatches.push(shuffled[e].slice(i, i + size)); }  // optim.batches
      gdBatches.push(all);
    }
    var sgd = descend(SPEC.start[0], SPEC.start[1], alpha, sgdBatches);
    var gd = descend(SPEC.start[0], SPEC.start[1], alpha, gdBatches);
    var costs = function (path) { return path.map(function (p) { return cost(p[0], p[1]); }); };
    return {batch_size: size, learning_rate: alpha, seed: s, epochs: SPEC.epochs, steps_per_epoch: Math.ceil(m / size),
            sgd_path: sgd[0], sgd_cost: costs(sgd[0]), sgd_diverged_at: sgd[1],
            gd_path: gd[0], gd_cost: costs(gd[0]), gd_diverged_at: gd[1]};
  }
  // minibatch.shown_step, minibatch.minibatch_caption, descent.number_text
  function shownStep(r, e) {
    var step = e * r.steps_per_epoch;
    if (r.sgd_diverged_at !== null && step >= r.sgd_diverged_at) { return [r.sgd_diverged_at, true]; }
    return [step, false];
  }
  function numberText(v) {
    if (!isFinite(v) || Math.abs(v) < 1e6) { return fixed(v, 4); }
    var e = Math.floor(Math.log10(Math.abs(v))), text = fixed(v / Math.pow(10, e), 2);
    if (text.replace("−", "") === "10.00") { e += 1; text = fixed(v / Math.pow(10, e), 2); }
    return text + "e" + e;
  }
  function line(name, steps, point, value, divergedAt, fix) {
    if (divergedAt !== null) {
      return name + ": diverged at step " + divergedAt + ": |w| or |b| grew past " + SPEC.limit_text + " — try " + fix;
    }
    return name + ": " + steps + " steps, w = " + fixed(point[0], 3) + ", b = " + fixed(point[1], 3) +
           ", cost C = " + numberText(value);
  }
  function captionText(r, e) {
    var s = shownStep(r, e), g = Math.min(e, r.gd_path.length - 1), ls = SPEC.least_squares;
    var gdOver = r.gd_diverged_at !== null && e >= r.gd_diverged_at;
    return ["epoch " + e + " of " + r.epochs + ", the same for both; learning rate α = " + fixed(r.learning_rate, 2) +
            "; shuffle seed " + r.seed,
            line("mini-batch SGD, B = " + r.batch_size + " (" + r.steps_per_epoch + " steps per epoch)", s[0],
                 r.sgd_path[s[0]], r.sgd_cost[s[0]], s[1] ? r.sgd_diverged_at : null,
                 "a smaller learning rate or a larger batch"),
            line("full batch, B = " + SPEC.m + " (1 step per epoch)", g, r.gd_path[g], r.gd_cost[g],
                 gdOver ? r.gd_diverged_at : null, "a smaller learning rate"),
            "least squares: w = " + fixed(ls[0], 3) + ", b = " + fixed(ls[1], 3) + ", cost C = " + numberText(ls[2])
           ].join("\n");
  }

  // --- the picture: MinibatchView, drawn on the canvas
  // The cost from its moments: C = <x²> w² + 2<x> w b + b² − 2<xy> w − 2<y> b + <y²>, cheap on a grid of pixels.
  var moments = [0, 0, 0, 0, 0];
  for (var i = 0; i < m; i++) {
    moments[0] += xs[i] * xs[i] / m; moments[1] += xs[i] / m; moments[2] += xs[i] * ys[i] / m;
    moments[3] += ys[i] / m; moments[4] += ys[i] * ys[i] / m;
  }
  function field(w, b) {
    var q = moments;
    return q[0] * w * w + 2 * q[1] * w * b + b * b - 2 * q[2] * w - 2 * q[3] * b + q[4];
  }
  function contours(p) {  // the filled bands and level lines of plots.loss_surface_2d, drawn once
    var box = p.box;
    return MX.contours(field, p.spec.xlim, p.spec.ylim, Math.round(box[2] * ratio), Math.round(box[3] * ratio),
                       ratio, SPEC.levels, SPEC.bands);
  }
  function polyline(p, points, n, color, width, dots) {
    var box = p.box, i;
    ctx.save(); ctx.beginPath(); ctx.rect(box[0], box[1], box[2], box[3]); ctx.clip();
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = width; ctx.lineJoin = "round"; ctx.setLineDash([]);
    ctx.beginPath();
    for (i = 0; i < n; i++) {
      var u = Math.max(-1e6, Math.min(1e6, p.x(points[i][0]))), v = Math.max(-1e6, Math.min(1e6, p.y(points[i][1])));
      if (!isFinite(u) || !isFinite(v)) { break; }
      if (i === 0) { ctx.moveTo(u, v); } else { ctx.lineTo(u, v); }
    }
    ctx.stroke();
    if (dots) {
      for (i = 0; i < n; i++) { ctx.beginPath(); ctx.arc(p.x(points[i][0]), p.y(points[i][1]), 2, 0, 2 * Math.PI); ctx.fill(); }
    }
    ctx.restore();
  }
  function plus(p, x, y) {  // the least-squares minimum: a black plus, as DescentView marks a minimum
    var u = p.x(x), v = p.y(y), a = 5.5, q = 1.9;
    ctx.save(); ctx.fillStyle = "#000000"; ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1; ctx.beginPath();
    ctx.moveTo(u - q, v - a); ctx.lineTo(u + q, v - a); ctx.lineTo(u + q, v - q); ctx.lineTo(u + a, v - q);
    ctx.lineTo(u + a, v + q); ctx.lineTo(u + q, v + q); ctx.lineTo(u + q, v + a); ctx.lineTo(u - q, v + a);
    ctx.lineTo(u - q, v + q); ctx.lineTo(u - a, v + q); ctx.lineTo(u - a, v - q); ctx.lineTo(u - q, v - q);
    ctx.closePath(); ctx.stroke(); ctx.fill(); ctx.restore();
  }
  function logCost(v) { return isFinite(v) ? Math.log10(v) : 300; }  // minibatch.log_cost
  function draw(r, e) {
    var left = MX.panel(ctx, SPEC.panels[0]), right = MX.panel(ctx, SPEC.panels[1]), s = shownStep(r, e)[0];
    var g = Math.min(e, r.gd_path.length - 1), i;
    MX.clear(ctx, SPEC);
    if (!surface) { surface = contours(left); }
    ctx.drawImage(surface, left.box[0], left.box[1], left.box[2], left.box[3]);
    MX.axes(left);
    polyline(left, r.sgd_path, s + 1, SPEC.sgd, 1.0, false);
    polyline(left, r.gd_path, g + 1, SPEC.gd, 1.4, true);
    plus(left, SPEC.least_squares[0], SPEC.least_squares[1]);
    MX.dot(left, SPEC.start[0], SPEC.start[1], "#ffffff", 4.5);
    MX.dot(left, r.sgd_path[s][0], r.sgd_path[s][1], SPEC.sgd, 3.5);
    MX.dot(left, r.gd_path[g][0], r.gd_path[g][1], SPEC.gd, 3.5);
    MX.legend(left, [{label: "mini-batch SGD, B = " + r.batch_size, color: SPEC.sgd},
                     {label: "full batch, B = " + SPEC.m, color: SPEC.gd}], "upper right");
    MX.axes(right);
    var floor = Math.log10(SPEC.least_squares[2]);
    ctx.save(); ctx.strokeStyle = SPEC.grey; ctx.lineWidth = 1; ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(right.box[0], right.y(floor)); ctx.lineTo(right.box[0] + right.box[2], right.y(floor));
    ctx.stroke(); ctx.restore();
    var sgdCost = [], gdCost = [];
    for (i = 0; i <= s; i++) { sgdCost.push([i / r.steps_per_epoch, logCost(r.sgd_cost[i])]); }
    for (i = 0; i <= g; i++) { gdCost.push([i, logCost(r.gd_cost[i])]); }
    polyline(right, sgdCost, sgdCost.length, SPEC.sgd, 1.0, false);
    polyline(right, gdCost, gdCost.length, SPEC.gd, 1.4, true);
  }

  // --- the controls: MinibatchExplorer's
  function show() {
    var e = Number(epoch.value);
    current = {run: run, epoch: e};
    shown.epoch.textContent = String(e);
    caption.textContent = captionText(run, e);
    canvas.setAttribute("aria-label", "Mini-batch SGD and full-batch descent on one cost. " + caption.textContent);
    draw(run, e);
  }
  function setting() {
    run = minibatchRun(SPEC.batch_sizes[Number(batch.value)], Number(rate.value), Number(seed.value));
    shown.batch.textContent = String(run.batch_size);
    shown.rate.textContent = fixed(run.learning_rate, 2);
    show();
  }
  batch.addEventListener("input", setting);
  rate.addEventListener("input", setting);
  seed.addEventListener("change", setting);
  MX.player(epoch, SPEC.epochs, SPEC.interval, show, play, stepButton, reset);
  root.mathnnState = function () {
    var r = current.run, copy = function (path) { return path.map(function (p) { return p.slice(); }); };
    return {epoch: current.epoch, batch_size: r.batch_size, learning_rate: r.learning_rate, seed: r.seed,
            epochs: r.epochs, steps_per_epoch: r.steps_per_epoch, sgd_path: copy(r.sgd_path),
            sgd_cost: r.sgd_cost.slice(), sgd_diverged_at: r.sgd_diverged_at, gd_path: copy(r.gd_path),
            gd_cost: r.gd_cost.slice(), gd_diverged_at: r.gd_diverged_at, caption: captionText(r, current.epoch)};
  };
  setting();
})();
