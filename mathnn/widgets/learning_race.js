(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var w = document.getElementById("ID-w"), b = document.getElementById("ID-b");
  var rate = document.getElementById("ID-rate");
  var epoch = document.getElementById("ID-epoch"), play = document.getElementById("ID-play");
  var step = document.getElementById("ID-step"), reset = document.getElementById("ID-reset");
  var shown = {w: document.getElementById("ID-w-value"), b: document.getElementById("ID-b-value"),
               rate: document.getElementById("ID-rate-value"), epoch: document.getElementById("ID-epoch-value")};
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, current = null;

  // activations.sigmoid
  function sigmoid(z) { var e = Math.exp(-Math.abs(z)); return z >= 0 ? 1 / (1 + e) : e / (1 + e); }
  // mathnn.widgets.learning_race.run: Network([Dense(1, 1, "sigmoid")], loss).fit(X=[[1]], Y=[[0]], batch_size=1)
  function run(loss, w, b, alpha, epochs) {
    var x = SPEC.x, y = SPEC.y, yHat = [], cost = [];
    for (var e = 0; e <= epochs; e++) {
      var z = w * x + b, a = sigmoid(z), dZ;                                   // layers.dense_forward
      yHat.push(a);
      if (loss === "mse") {
        cost.push((a - y) * (a - y) / 1);                                      // losses.mse
        var s = sigmoid(z);
        dZ = 2 * (a - y) / 1 * (s * (1 - s));                                  // losses.mse_gradient · σ'(z)
      } else {
        // losses.binary_cross_entropy_from_logits
        cost.push(Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
        dZ = (a - y) / 1;                                                      // losses.output_gradient
      }
      if (e < epochs) { w = w - alpha * (dZ * x); b = b - alpha * dZ; }        // layers.dense_backward, optim.SGD
    }
    return [yHat, cost];
  }
  // mathnn.widgets.learning_race.race
  function race(w, b, alpha) {
    var mse = run("mse", w, b, alpha, SPEC.epochs), bce = run("binary_cross_entropy", w, b, alpha, SPEC.epochs);
    return {w: w, b: b, learning_rate: alpha, epochs: SPEC.epochs, mse_y_hat: mse[0], mse_cost: mse[1],
            bce_y_hat: bce[0], bce_cost: bce[1]};
  }
  function costTop(r) {  // learning_race.cost_top
    var highest = Math.max(Math.max.apply(null, r.mse_cost), Math.max.apply(null, r.bce_cost));
    return Math.max(0.5, Math.ceil(2.2 * highest) / 2);
  }
  function costTicks(top) {  // learning_race.cost_ticks
    var step = top <= 1 ? 0.25 : top <= 3 ? 0.5 : top <= 6 ? 1 : 2, digits = top <= 1 ? 2 : top <= 3 ? 1 : 0;
    var count = Math.floor(top / step + 1e-9), values = [], labels = [];
    for (var k = 0; k <= count; k++) { values.push(0 + k * step); labels.push(fixed(0 + k * step, digits)); }
    return [values, labels];
  }
  function crossed(yHat, e) {  // learning_race.first_below_half, up to epoch e
    for (var k = 0; k <= e; k++) { if (yHat[k] < 0.5) { return "ŷ < ½ since epoch " + k; } }
    return "ŷ < ½ not yet";
  }
  function captionText(r, e) {  // learning_race.race_caption
    return ["epoch " + e + " of " + r.epochs + "; start w = " + fixed(r.w, 1) + ", b = " + fixed(r.b, 1) +
            "; learning rate α = " + fixed(r.learning_rate, 2),
            "mean squared error: ŷ = " + fixed(r.mse_y_hat[e], 4) + ", C = " + fixed(r.mse_cost[e], 4) + "; " +
            crossed(r.mse_y_hat, e),
            "cross-entropy: ŷ = " + fixed(r.bce_y_hat[e], 4) + ", C = " + fixed(r.bce_cost[e], 4) + "; " +
            crossed(r.bce_y_hat, e)].join("\n");
  }
  var epochs = [];
  for (var k = 0; k <= SPEC.epochs; k++) { epochs.push(k); }
  function draw(r, e) {  // RaceView.update
    var specs = SPEC.panels, top = costTop(r), t = costTicks(top);
    var costSpec = JSON.parse(JSON.stringify(specs[1]));
    costSpec.ylim = [-0.03 * top, top]; costSpec.yticks = t[0]; costSpec.yticklabels = t[1];
    MX.clear(ctx, SPEC);
    var panels = [MX.panel(ctx, specs[0]), MX.panel(ctx, costSpec)], quantities = ["y_hat", "cost"];
    for (var i = 0; i < 2; i++) {
      MX.axes(panels[i]);
      MX.line(panels[i], epochs, r["mse_" + quantities[i]], e + 1, SPEC.colors[0], 2.2);
      MX.line(panels[i], epochs, r["bce_" + quantities[i]], e + 1, SPEC.colors[1], 2.2);
      MX.dot(panels[i], e, r["mse_" + quantities[i]][e], SPEC.colors[0], 5);
      MX.dot(panels[i], e, r["bce_" + quantities[i]][e], SPEC.colors[1], 5);
    }
    MX.legend(panels[0], SPEC.legend, "upper right");
  }
  var run_ = null;
  function show() {
    var e = Number(epoch.value);
    current = {race: run_, epoch: e};
    shown.epoch.textContent = String(e);
    caption.textContent = captionText(run_, e);
    canvas.setAttribute("aria-label", "The race of the two losses. " + caption.textContent);
    draw(run_, e);
  }
  function setting() {
    run_ = race(Number(w.value), Number(b.value), Number(rate.value));
    shown.w.textContent = fixed(run_.w, 1); shown.b.textContent = fixed(run_.b, 1);
    shown.rate.textContent = fixed(run_.learning_rate, 2);
    show();
  }
  [w, b, rate].forEach(function (control) { control.addEventListener("input", setting); });
  MX.player(epoch, SPEC.epochs, SPEC.interval, show, play, step, reset);
  root.mathnnState = function () {
    var e = current.epoch, r = current.race;
    return {epoch: e, w: r.w, b: r.b, learning_rate: r.learning_rate, epochs: r.epochs,
            mse_y_hat: r.mse_y_hat.slice(), mse_cost: r.mse_cost.slice(),
            bce_y_hat: r.bce_y_hat.slice(), bce_cost: r.bce_cost.slice()};
  };
  setting();
})();
