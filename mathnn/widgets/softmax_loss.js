(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var scores = [0, 1, 2].map(function (k) { return document.getElementById("ID-z" + k); });
  var shown = [0, 1, 2].map(function (k) { return document.getElementById("ID-z" + k + "-value"); });
  var target = document.getElementById("ID-class");
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, current = null;

  // mathnn.widgets.softmax_loss.softmax_reading
  function reading(z, c) {
    var top = Math.max(z[0], z[1], z[2]), k;
    var e = z.map(function (v) { return Math.exp(v - top); });     // activations.softmax: shift by the max
    var total = e[0] + e[1] + e[2];
    var yHat = e.map(function (v) { return v / total; });
    var y = [0, 1, 2].map(function (k) { return k === c ? 1 : 0; });
    var shifted = z.map(function (v) { return v - top; });          // losses.categorical_cross_entropy_from_logits
    var logTotal = Math.log(Math.exp(shifted[0]) + Math.exp(shifted[1]) + Math.exp(shifted[2]));
    var loss = 0;
    for (k = 0; k < 3; k++) { loss += y[k] * (shifted[k] - logTotal); }
    return {z: z.slice(), true_class: c, y_hat: yHat, y: y, loss: -loss / 1,
            dz: yHat.map(function (v, k) { return (v - y[k]) / 1; })};   // losses.output_gradient: ŷ − y
  }
  // mathnn.widgets.softmax_loss.softmax_caption
  function vector(values, digits) {
    return "(" + values.map(function (v) { return fixed(v, digits); }).join(", ") + ")";
  }
  function captionText(r) {
    var name = SPEC.classes[r.true_class];
    return ["true class " + name + ", y = " + vector(r.y, 0) + "; scores z = " + vector(r.z, 1),
            "ŷ = softmax(z) = " + vector(r.y_hat, 4) + "; loss ℓ = −log ŷ(" + name + ") = " +
            fixed(r.loss, 4),
            "∂ℓ/∂z = ŷ − y = " + vector(r.dz, 4)].join("\n");
  }
  // mathnn.widgets.softmax_loss.loss_curve: p = e^−t for t from LOSS_TOP down to 0
  var curveP = [], curveT = [];
  for (var i = 0; i < SPEC.points; i++) {
    var t = i === SPEC.points - 1 ? 0 : SPEC.top + i * ((0 - SPEC.top) / (SPEC.points - 1));
    curveP.push(Math.exp(-t)); curveT.push(t);
  }
  function draw(r) {   // SoftmaxLossView.update
    var specs = SPEC.byClass[r.true_class], k, w = SPEC.bar;
    MX.clear(ctx, SPEC);
    var bars = MX.panel(ctx, specs[0]), curve = MX.panel(ctx, specs[1]), grad = MX.panel(ctx, specs[2]);
    MX.axes(bars); MX.axes(curve); MX.axes(grad);
    for (k = 0; k < 3; k++) {
      MX.bar(bars, k - w / 2, w, 0, r.y_hat[k], SPEC.colors[k], null);
      if (r.y[k]) { MX.bar(bars, k + w / 2, w, 0, r.y[k], null, "#000000"); }
      MX.bar(grad, k, 2 * w, 0, r.dz[k], SPEC.colors[k], null);
    }
    MX.legend(bars, SPEC.legend, "upper left");
    MX.line(curve, curveP, curveT, curveP.length, SPEC.curve, 2.2);
    var p = r.y_hat[r.true_class];
    MX.vline(curve, p, SPEC.grey);
    MX.dot(curve, p, r.loss, SPEC.colors[r.true_class], 5);
  }
  function update() {
    var z = scores.map(function (s) { return Number(s.value); });
    current = reading(z, Number(target.value));
    for (var k = 0; k < 3; k++) { shown[k].textContent = fixed(z[k], 1); }
    caption.textContent = captionText(current);
    canvas.setAttribute("aria-label", "Softmax probabilities, the loss and its gradient. " + caption.textContent);
    draw(current);
  }
  scores.forEach(function (s) { s.addEventListener("input", update); });
  target.addEventListener("input", update);
  target.addEventListener("change", update);
  root.mathnnState = function () { return JSON.parse(JSON.stringify(current)); };
  update();
})();
