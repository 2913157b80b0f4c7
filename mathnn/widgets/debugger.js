(function () {
  var D = DATA, root = document.getElementById("ID"), svg = document.getElementById("ID-graph");
  var NS = svg.namespaceURI, loss = document.getElementById("ID-loss");
  var example = document.getElementById("ID-example"), slider = document.getElementById("ID-step");
  var playButton = document.getElementById("ID-play"), counter = document.getElementById("ID-counter");
  var formula = document.getElementById("ID-formula"), found = document.getElementById("ID-found");
  var timer = null, S = D.scale, R = D.radius * S, parts = {};
  function px(x) { return (x - D.box[0]) * S; }
  function py(y) { return (D.box[1] - y) * S; }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var a in attrs) { e.setAttribute(a, attrs[a]); }
    (parent || svg).appendChild(e);
    return e;
  }
  // The width of a text in the explorer's font, from a canvas: asking the SVG would lay out the page mid-parse.
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, size) {
    measure.font = size + 'px system-ui, -apple-system, "Segoe UI", sans-serif';  // the explorer's font (_explorer.CSS)
    return measure.measureText(text).width;
  }
  function write(parent, x, y, anchor, baseline, size, color) {
    return el("text", {x: x, y: y, "text-anchor": anchor, "dominant-baseline": baseline, "font-size": size,
                       fill: color || "#000"}, parent);
  }
  svg.setAttribute("viewBox", "0 0 " + px(D.box[2]) + " " + py(D.box[3]));
  var defs = el("defs", {});
  [["grey", D.grey], ["hot", D.current]].forEach(function (m) {
    var marker = el("marker", {id: "ID-arrow-" + m[0], viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 5,
                               markerHeight: 5, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M 0 1 L 10 5 L 0 9 z", fill: m[1]}, marker);
  });
  var at = {};
  D.nodes.forEach(function (n) { at[n.n] = n; });
  var edges = {};
  D.edges.forEach(function (e) {
    var a = at[e[0]], b = at[e[1]], dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy);
    var ux = dx / len * D.radius, uy = dy / len * D.radius;
    edges[e[0] + ">" + e[1]] = el("line", {x1: px(a.x + ux), y1: py(a.y + uy), x2: px(b.x - ux), y2: py(b.y - uy)});
  });
  var circles = {}, texts = {}, anchors = {left: "start", right: "end", center: "middle"};
  D.nodes.forEach(function (n) {
    circles[n.n] = el("circle", {cx: px(n.x), cy: py(n.y), r: R, fill: n.fill});
    var t = write(svg, px(n.x), py(n.y), "middle", "central", 15);
    el("tspan", {"font-style": "italic"}, t).textContent = n.label[0];
    if (n.label[1]) { el("tspan", {dy: -6, "font-size": 10}, t).textContent = "[" + n.label[1] + "]"; }
    if (n.label[2]) {  // the subscript right under the superscript, as mathtext sets it
      var sup = t.lastChild, b = el("tspan", {dy: n.label[1] ? 10 : 4, "font-size": 10}, t);
      b.textContent = n.label[2];
      if (n.label[1]) { b.setAttribute("dx", -textWidth(sup.textContent, 10)); }
    }
    for (var slot in n.at[1]) {
      var p = n.at[1][slot];
      texts[n.n + ":" + slot] = write(svg, px(p[0]), py(p[1]), anchors[n.at[0]], "central", 11.5, D.colors[slot]);
    }
  });
  D.legend.forEach(function (item, i) {  // in the empty corner above the cost, as in the widget's picture
    write(svg, px(D.box[2] - 0.1), py(D.box[1] - 0.25 - D.line * i), "end", "central", 11.5, item[1]).textContent =
      item[0];
  });
  var C = at.C, target = write(svg, px(C.x), py(C.y + D.radius + 0.1), "middle", "auto", 11.5);
  function run() { return D.runs[loss.value + "|" + example.value]; }
  function show() {
    var r = run(), i = Number(slider.value), step = r.steps[i], k, known = {};
    for (k in r.given) { known[k + ":value"] = r.given[k]; }
    var list = [];
    for (k = 1; k <= i; k++) {
      var s = r.steps[k];
      known[s.node + ":" + s.slot] = D.prefix[s.slot] + s.text;
      if (s.slot === "grad") { list.push(s); }
    }
    var hot = {};
    step.edges.forEach(function (e) { hot[e[0] + ">" + e[1]] = true; });
    for (k in edges) {
      var h = !!hot[k];
      edges[k].setAttribute("stroke", h ? D.current : D.grey);
      edges[k].setAttribute("stroke-width", h ? 2.6 : 1);
      edges[k].setAttribute("marker-end", "url(#ID-arrow-" + (h ? "hot" : "grey") + ")");
    }
    D.nodes.forEach(function (n) {
      var c = circles[n.n], now = n.n === step.node, read = step.nodes.indexOf(n.n) >= 0;
      c.setAttribute("stroke", now ? D.current : (read ? D.read : "#000"));
      c.setAttribute("stroke-width", now ? 3.4 : (read ? 2.6 : 1));
    });
    for (k in texts) { texts[k].textContent = known[k] || ""; }
    target.textContent = "y = " + r.y;
    formula.innerHTML = step.html;
    counter.textContent = step.caption;
    var rows = ["<p>gradients found</p>"];
    list.forEach(function (s, j) {
      var now = j === list.length - 1 && step.slot === "grad";
      rows.push('<div' + (now ? ' class="mx-now"' : "") + ">" + s.lhs + " = " + s.text + "</div>");
    });
    found.innerHTML = rows.join("");
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playButton.textContent = "\u25B6 Play";
  }
  function go(i) { slider.value = Math.max(0, Math.min(Number(slider.max), i)); show(); }
  function play() {
    if (Number(slider.value) >= Number(slider.max)) { go(0); }
    playButton.textContent = "\u275A\u275A Pause";
    timer = setInterval(function () {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      go(Number(slider.value) + 1);
    }, INTERVAL);
  }
  document.getElementById("ID-back").addEventListener("click", function () { stop(); go(Number(slider.value) - 1); });
  document.getElementById("ID-next").addEventListener("click", function () { stop(); go(Number(slider.value) + 1); });
  document.getElementById("ID-reset").addEventListener("click", function () { stop(); go(0); });
  playButton.addEventListener("click", function () { if (timer === null) { play(); } else { stop(); } });
  slider.addEventListener("input", function () { stop(); show(); });
  loss.addEventListener("change", show);
  example.addEventListener("change", show);
  function lines() {  // what is written at the nodes now, {"node:slot": text}, as node_lines gives it
    var out = {};
    for (var k in texts) { if (texts[k].textContent) { out[k] = texts[k].textContent; } }
    return out;
  }
  root.mathnnState = function () {
    var r = run(), i = Number(slider.value), s = r.steps[i];
    return {loss: loss.value, example: example.value, index: i, last: r.steps.length - 1, name: s.name,
            node: s.node, value: s.value, formula: formula.textContent, counter: counter.textContent, lines: lines()};
  };
  show();
})();
