// The gradient-descent stepper's site twin (mathnn.widgets.descent.descent_twin): each step computed here.
(function () {
  var root = document.getElementById("ID");
  var canvas = document.getElementById("ID-canvas"), caption = document.getElementById("ID-caption");
  var problem = document.getElementById("ID-problem"), rate = document.getElementById("ID-rate");
  var x0 = document.getElementById("ID-x0"), x1 = document.getElementById("ID-x1");
  var stepButton = document.getElementById("ID-step"), play = document.getElementById("ID-play");
  var reset = document.getElementById("ID-reset");
  var shown = {rate: document.getElementById("ID-rate-value"), x0: document.getElementById("ID-x0-value"),
               x1: document.getElementById("ID-x1-value"), step: document.getElementById("ID-step-value")};
  var ctx = MX.figure(canvas, SPEC), fixed = MX.fixed, ratio = canvas.width / SPEC.size[0];
  var alpha = SPEC.rate, start = SPEC.start.slice(), state = null, timer = null, surfaces = {};

  // mathnn.widgets.descent.PROBLEMS: f and its hand-written gradient, as the Python writes them
  var F = {
    quartic: function (p) { return Math.pow(p[0], 4) - 3 * Math.pow(p[0], 2) + p[0]; },
    bowl: function (p) { return 0.5 * (Math.pow(p[0], 2) + 10 * Math.pow(p[1], 2)); },
    rosenbrock: function (p) { return Math.pow(1 - p[0], 2) + 5 * Math.pow(p[1] - Math.pow(p[0], 2), 2); }
  };
  var GRADIENT = {
    quartic: function (p) { return [4 * Math.pow(p[0], 3) - 6 * p[0] + 1]; },
    bowl: function (p) { return [p[0], 10 * p[1]]; },
    rosenbrock: function (p) {
      return [-2 * (1 - p[0]) - 20 * p[0] * (p[1] - Math.pow(p[0], 2)), 10 * (p[1] - Math.pow(p[0], 2))];
    }
  };

  // descent.start_descent and descent.descent_step: x <- x - alpha grad f(x); a diverged descent stays put
  function begin(name, point, a) {
    return {problem: name, learning_rate: a, path: [point.slice()], values: [F[name](point)], diverged_at: null};
  }
  function takeStep(s) {
    if (s.diverged_at !== null) { return; }
    var p = s.path[s.path.length - 1], g = GRADIENT[s.problem](p), q = [], finite = true, far = 0;
    for (var i = 0; i < p.length; i++) {
      q.push(p[i] - s.learning_rate * g[i]);
      finite = finite && isFinite(q[i]);
      far = Math.max(far, Math.abs(q[i]));
    }
    s.path.push(q);
    s.values.push(F[s.problem](q));
    if (!finite || far > SPEC.limit) { s.diverged_at = s.path.length - 1; }
  }
  // descent.number_text, descent.rate_text, DescentState.message, descent.descent_caption
  function numberText(v) {
    if (!isFinite(v) || Math.abs(v) < 1e6) { return fixed(v, 4); }
    var e = Math.floor(Math.log10(Math.abs(v))), text = fixed(v / Math.pow(10, e), 2);
    if (text.replace("−", "") === "10.00") { e += 1; text = fixed(v / Math.pow(10, e), 2); }
    return text + "e" + e;
  }
  function rateText(a) {
    var text = fixed(a, Math.min(12, Math.max(0, 2 - Math.floor(Math.log10(a)))));
    return text.indexOf(".") >= 0 ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  }
  function message(s) {
    if (s.diverged_at !== null) {
      return "diverged at step " + s.diverged_at + ": |x| grew past " + SPEC.limit_text +
             " — try a smaller learning rate";
    }
    var p = s.path[s.path.length - 1];
    return "step " + (s.path.length - 1) + ": x = (" + p.map(function (v) { return fixed(v, 3); }).join(", ") +
           "), f(x) = " + numberText(s.values[s.values.length - 1]);
  }
  function captionText(s) { return "learning rate α = " + rateText(s.learning_rate) + "; " + message(s); }

  // --- the picture: plots.loss_surface_1d / loss_surface_2d and plots.descent_path, as DescentView draws them
  function surfacePanel(d) { return MX.panel(ctx, d.panel); }  // descent.surface_spec
  function contours(d, p) {  // the filled bands and the level lines, drawn once per function, then reused
    var b = p.box, f = F[d.name];
    return MX.contours(function (x, y) { return f([x, y]); }, d.panel.xlim, d.panel.ylim,
                       Math.round(b[2] * ratio), Math.round(b[3] * ratio), ratio, d.levels, d.bands);
  }
  function marker(kind, x, y) {  // the start (white dot), the end (yellow star), the global minimum (black plus)
    ctx.save(); ctx.lineWidth = 1; ctx.strokeStyle = "#000000"; ctx.setLineDash([]);
    ctx.beginPath();
    if (kind === "start") {
      ctx.fillStyle = "#ffffff"; ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
    } else if (kind === "end") {
      ctx.fillStyle = SPEC.star_color;
      for (var k = 0; k < 10; k++) {
        var r = k % 2 ? 3.4 : 8, t = -Math.PI / 2 + k * Math.PI / 5;
        if (k === 0) { ctx.moveTo(x + r * Math.cos(t), y + r * Math.sin(t)); }
        else { ctx.lineTo(x + r * Math.cos(t), y + r * Math.sin(t)); }
      }
      ctx.closePath();
    } else {
      ctx.fillStyle = "#000000"; var a = 5.5, q = 1.9;
      ctx.moveTo(x - q, y - a); ctx.lineTo(x + q, y - a); ctx.lineTo(x + q, y - q); ctx.lineTo(x + a, y - q);
      ctx.lineTo(x + a, y + q); ctx.lineTo(x + q, y + q); ctx.lineTo(x + q, y + a); ctx.lineTo(x - q, y + a);
      ctx.lineTo(x - q, y + q); ctx.lineTo(x - a, y + q); ctx.lineTo(x - a, y - q); ctx.lineTo(x - q, y - q);
      ctx.closePath();
    }
    ctx.fill(); ctx.stroke(); ctx.restore();
  }
  function clipTo(box) { ctx.save(); ctx.beginPath(); ctx.rect(box[0], box[1], box[2], box[3]); ctx.clip(); }
  function drawPath(p, points) {  // plots.descent_path: arrows from point to point, dots, the start and the end
    var xy = [], i;
    for (i = 0; i < points.length; i++) {
      var u = points[i];
      if (isFinite(u[0]) && isFinite(u[1]) && Math.abs(u[0]) < 1e9 && Math.abs(u[1]) < 1e9) { xy.push([p.x(u[0]), p.y(u[1])]); }
    }
    if (!xy.length) { return; }
    clipTo(p.box);
    ctx.strokeStyle = SPEC.path_color; ctx.fillStyle = SPEC.path_color; ctx.lineWidth = 1.6; ctx.setLineDash([]);
    for (i = 0; i + 1 < xy.length; i++) {
      var a = xy[i], b = xy[i + 1], dx = b[0] - a[0], dy = b[1] - a[1], length = Math.sqrt(dx * dx + dy * dy);
      if (length < 0.5) { continue; }
      var head = Math.min(7, 0.45 * length), ux = dx / length, uy = dy / length;
      ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0] - ux * head * 0.8, b[1] - uy * head * 0.8); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(b[0], b[1]);
      ctx.lineTo(b[0] - ux * head - uy * head * 0.45, b[1] - uy * head + ux * head * 0.45);
      ctx.lineTo(b[0] - ux * head + uy * head * 0.45, b[1] - uy * head - ux * head * 0.45);
      ctx.closePath(); ctx.fill();
    }
    for (i = 0; i < xy.length; i++) { ctx.beginPath(); ctx.arc(xy[i][0], xy[i][1], 2.6, 0, 2 * Math.PI); ctx.fill(); }
    marker("start", xy[0][0], xy[0][1]);
    marker("end", xy[xy.length - 1][0], xy[xy.length - 1][1]);
    ctx.restore();
  }
  function markerLegend(p, corner) {  // the legend of DescentView: start, end, global minimum
    var items = [["start", "start"], ["end", "end"], ["minimum", "global minimum"]], b = p.box, row = 18, i;
    ctx.save(); ctx.font = "12px \"DejaVu Sans\", Verdana, sans-serif";
    var widest = 0;
    for (i = 0; i < items.length; i++) { widest = Math.max(widest, ctx.measureText(items[i][1]).width); }
    var w = widest + 44, h = row * items.length + 8;
    var left = corner === "upper right" ? b[0] + b[2] - w - 7 : b[0] + (b[2] - w) / 2, top = b[1] + 7;
    ctx.fillStyle = "rgba(255, 255, 255, 0.9)"; ctx.strokeStyle = "#cccccc"; ctx.lineWidth = 1;
    ctx.fillRect(left, top, w, h); ctx.strokeRect(left + 0.5, top + 0.5, w, h);
    ctx.restore();
    for (i = 0; i < items.length; i++) {
      var y = top + 4 + row * i + row / 2;
      marker(items[i][0], left + 16, y);
      MX.text(ctx, items[i][1], left + 32, y, "left", "middle", 12);
    }
  }
  function warning(p, text) {  // DescentView's red note on divergence, at the bottom of the picture
    var lines = text.split(" — "), b = p.box, i, widest = 0;
    ctx.save(); ctx.font = "13px \"DejaVu Sans\", Verdana, sans-serif";
    for (i = 0; i < lines.length; i++) { widest = Math.max(widest, ctx.measureText(lines[i]).width); }
    var w = widest + 16, h = 17 * lines.length + 8, left = b[0] + (b[2] - w) / 2, top = b[1] + b[3] - 12 - h;
    ctx.fillStyle = "#ffffff"; ctx.strokeStyle = SPEC.path_color; ctx.lineWidth = 1;
    ctx.fillRect(left, top, w, h); ctx.strokeRect(left + 0.5, top + 0.5, w, h);
    ctx.fillStyle = SPEC.path_color; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    for (i = 0; i < lines.length; i++) { ctx.fillText(lines[i], left + w / 2, top + 4 + 17 * i + 8.5); }
    ctx.restore();
  }
  function costPanel(s, d) {  // descent.cost_spec
    var low = F[s.problem](d.minimum), high = low + 1, i;
    for (i = 0; i < s.values.length; i++) { if (isFinite(s.values[i])) { high = Math.max(high, s.values[i]); } }
    var span = high - low, n = s.path.length - 1, last = 10;
    while (last < n) { last = String(last)[0] === "2" ? last * 5 / 2 : last * 2; }  // 10, 20, 50, 100, ...
    var ylim = [low - 0.06 * span, high + 0.12 * span];
    var xt = MX.niceTicks(0, last, 6, true), yt = MX.niceTicks(ylim[0], ylim[1], 6);
    return MX.panel(ctx, {box: SPEC.cost_box, xlim: [-0.03 * last, 1.03 * last], ylim: ylim, xticks: xt[0],
                          xticklabels: xt[1], yticks: yt[0], yticklabels: yt[1], xlabel: "step",
                          ylabel: "f(x)", title: "f(x) at each step"});
  }
  function draw(s) {
    var d = SPEC.problems[s.problem], p = surfacePanel(d), i;
    MX.clear(ctx, SPEC);
    if (d.dims === 2) {
      if (!surfaces[s.problem]) { surfaces[s.problem] = contours(d, p); }
      ctx.drawImage(surfaces[s.problem], p.box[0], p.box[1], p.box[2], p.box[3]);
    }
    MX.axes(p);
    var points = s.path;
    if (d.dims === 1) {
      var xs = [], ys = [];
      for (i = 0; i < 400; i++) {
        var x = d.panel.xlim[0] + i * (d.panel.xlim[1] - d.panel.xlim[0]) / 399;
        xs.push(x); ys.push(F[s.problem]([x]));
      }
      MX.line(p, xs, ys, xs.length, SPEC.curve_color, 2);
      points = s.path.map(function (q, k) { return [q[0], s.values[k]]; });
    }
    var low = d.dims === 1 ? [d.minimum[0], F[s.problem](d.minimum)] : d.minimum;
    drawPath(p, points);
    clipTo(p.box); marker("minimum", p.x(low[0]), p.y(low[1])); ctx.restore();
    markerLegend(p, d.dims === 1 ? "upper center" : "upper right");
    if (s.diverged_at !== null) { warning(p, message(s)); }
    var c = costPanel(s, d), steps = [];
    MX.axes(c);
    for (i = 0; i < s.values.length; i++) { steps.push(i); }
    var finite = s.values.map(function (v) { return isFinite(v) ? v : c.spec.ylim[1]; });  // an infinite f at the top
    MX.line(c, steps, finite, finite.length, SPEC.path_color, 1.6);
    for (i = 0; i < finite.length; i++) { if (finite.length < 60 || i === finite.length - 1) { MX.dot(c, i, finite[i], SPEC.path_color, 2.6); } }
  }

  // --- the controls: GradientDescentStepper's
  function show() {
    shown.step.textContent = String(state.path.length - 1);
    caption.textContent = captionText(state);
    caption.style.color = state.diverged_at !== null ? SPEC.path_color : "";
    canvas.setAttribute("aria-label", "Gradient descent on a function, and f at each step. " + caption.textContent);
    draw(state);
  }
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = "\u25b6 Play"; }
  function restart() { stop(); state = begin(problem.value, start, alpha); show(); }
  function startSliders(name) {  // GradientDescentStepper._set_start_sliders
    var d = SPEC.problems[name], sliders = [x0, x1], values = [d.start[0], d.dims === 2 ? d.start[1] : 0];
    for (var k = 0; k < 2; k++) {
      sliders[k].min = d.start_ranges[k][0]; sliders[k].max = d.start_ranges[k][1];
      sliders[k].value = values[k];
    }
    x1.disabled = d.dims === 1;
    start = d.start.slice();
    shown.x0.textContent = fixed(values[0], 1); shown.x1.textContent = fixed(values[1], 1);
  }
  function forward() {  // one more step, unless descent diverged; Step's and each tick of Play's
    takeStep(state);
    show();
    if (state.diverged_at !== null) { stop(); }
  }
  problem.addEventListener("change", function () { startSliders(problem.value); restart(); });
  rate.addEventListener("input", function () {
    alpha = Math.pow(10, Number(rate.value));
    shown.rate.textContent = rateText(alpha);
    restart();
  });
  [x0, x1].forEach(function (slider, k) {
    slider.addEventListener("input", function () {
      var d = SPEC.problems[problem.value];
      start = [Number(x0.value), Number(x1.value)].slice(0, d.dims);
      shown[k ? "x1" : "x0"].textContent = fixed(Number(slider.value), 1);
      restart();
    });
  });
  stepButton.addEventListener("click", function () { stop(); forward(); });
  reset.addEventListener("click", restart);
  play.addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    if (state.diverged_at !== null || state.path.length - 1 >= SPEC.max_steps) { restart(); }
    play.textContent = "\u275a\u275a Pause";
    timer = setInterval(function () {
      if (state.path.length - 1 >= SPEC.max_steps) { stop(); return; }
      forward();
    }, SPEC.interval);
  });
  root.mathnnState = function () {
    return {problem: state.problem, learning_rate: state.learning_rate, start: state.path[0].slice(),
            path: state.path.map(function (q) { return q.slice(); }), values: state.values.slice(),
            diverged_at: state.diverged_at, step: state.path.length - 1, message: message(state),
            caption: captionText(state)};
  };
  root.mathnnEvaluate = function (name, points) {
    return points.map(function (q) { return {f: F[name](q), gradient: GRADIENT[name](q)}; });
  };
  state = begin(SPEC.problem, start, alpha);
  show();
})();
