(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var target = document.getElementById("ID-y"), slider = document.getElementById("ID-y-hat");
  var shown = document.getElementById("ID-y-hat-value");
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, current = null;

  // mathnn.widgets.loss.loss_reading: mathnn.losses on one example, m = 1
  function reading(y, yHat) {
    var slope = yHat * (1 - yHat);                 // activations.sigmoid_derivative: σ(z)(1 − σ(z)) at σ(z) = ŷ
    var mseDyHat = 2 * (yHat - y) / 1;             // losses.mse_gradient
    return {
      y: y, y_hat: yHat,
      z: Math.log(yHat / (1 - yHat)),              // logit ŷ
      mse: (yHat - y) * (yHat - y) / 1,            // losses.mse
      bce: -(y * Math.log(yHat) + (1 - y) * Math.log(1 - yHat)) / 1,   // losses.binary_cross_entropy
      mse_dy_hat: mseDyHat,
      bce_dy_hat: ((1 - y) / (1 - yHat) - y / yHat) / 1,              // losses.binary_cross_entropy_gradient
      mse_dz: mseDyHat * slope,                    // the chain rule through the sigmoid
      bce_dz: (yHat - y) / 1                       // losses.output_gradient: sigmoid + BCE paired
    };
  }
  // mathnn.widgets.loss.loss_curves: per example, over CURVE_POINTS predictions from 0.001 to 0.999
  function curves(y) {
    var c = {y_hat: [], mse: [], bce: [], mse_dz: [], bce_dz: []};
    var n = SPEC.points, lo = SPEC.range[0], hi = SPEC.range[1];
    for (var i = 0; i < n; i++) {
      var p = i === n - 1 ? hi : lo + i * ((hi - lo) / (n - 1));
      c.y_hat.push(p); c.mse.push((p - y) * (p - y)); c.bce.push(-(y * Math.log(p) + (1 - y) * Math.log(1 - p)));
      c.mse_dz.push(2 * (p - y) * p * (1 - p)); c.bce_dz.push(p - y);
    }
    return c;
  }
  // mathnn.widgets.loss.loss_caption
  function captionText(r) {
    return ["target y = " + r.y + ", prediction ŷ = " + fixed(r.y_hat, 3) +
            ", logit z = log(ŷ/(1 − ŷ)) = " + fixed(r.z, 4),
            "mean squared error: ℓ = " + fixed(r.mse, 4) +
            ", ∂ℓ/∂ŷ = " + fixed(r.mse_dy_hat, 4) + ", ∂ℓ/∂z = " + fixed(r.mse_dz, 4),
            "cross-entropy: ℓ = " + fixed(r.bce, 4) + ", ∂ℓ/∂ŷ = " + fixed(r.bce_dy_hat, 4) +
            ", ∂ℓ/∂z = " + fixed(r.bce_dz, 4)].join("\n");
  }
  var cache = {};
  function draw(r) {   // LossView.update
    var c = cache[r.y] || (cache[r.y] = curves(r.y)), specs = SPEC.byTarget[r.y];
    MX.clear(ctx, SPEC);
    var names = [["mse", "bce"], ["mse_dz", "bce_dz"]];
    for (var k = 0; k < 2; k++) {
      var p = MX.panel(ctx, specs.panels[k]);
      MX.axes(p);
      MX.line(p, c.y_hat, c[names[k][0]], c.y_hat.length, SPEC.mse, 2.2);
      MX.line(p, c.y_hat, c[names[k][1]], c.y_hat.length, SPEC.bce, 2.2);
      MX.vline(p, r.y_hat, SPEC.grey);
      MX.dot(p, r.y_hat, r[names[k][0]], SPEC.mse, 5);
      MX.dot(p, r.y_hat, r[names[k][1]], SPEC.bce, 5);
      MX.legend(p, SPEC.legend, specs.corners[k]);
    }
  }
  function update() {
    current = reading(Number(target.value), Number(slider.value));
    shown.textContent = fixed(current.y_hat, 3);
    caption.textContent = captionText(current);
    canvas.setAttribute("aria-label", "Losses and their gradients at the logit. " + caption.textContent);
    draw(current);
  }
  target.addEventListener("input", update);
  target.addEventListener("change", update);
  slider.addEventListener("input", update);
  root.mathnnState = function () { return JSON.parse(JSON.stringify(current)); };
  update();
})();
