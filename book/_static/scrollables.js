// Scrollable code blocks and outputs take the keyboard's focus (tabindex 0), so that arrow keys scroll them; the
// others do not (-1): what pydata-sphinx-theme does on load for the whole page, done here for each section of a
// chapter when it is first drawn (see book/_ext/lazy_sections.py), and for the rest of the page when it has loaded.
// A reader's browser without the content-visibility event gets the theme's pass over the whole page, on load.
(function () {
  var BLOCKS = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, " +
               ".pst-scrollable-table-container";
  var LAZY = ".bd-article > section > section";  // content-visibility: auto in mathnn.css
  var lazy = "oncontentvisibilityautostatechange" in window, drawn = new Set();
  var marked = new WeakSet();
  function mark(blocks) {
    blocks.forEach(function (e) {
      marked.add(e);
      e.tabIndex = e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight ? 0 : -1;
    });
  }
  function outside() {  // every block when the browser draws all sections, else those in no lazy section
    return Array.prototype.filter.call(document.querySelectorAll(BLOCKS), function (e) {
      return !lazy || !e.closest(LAZY);
    });
  }
  if (lazy) {
    // The event does not bubble: heard on its way down (capture), from the first section on.
    document.addEventListener("contentvisibilityautostatechange", function (event) {
      var section = event.target;
      if (!section.matches || !section.matches(LAZY)) { return; }
      if (event.skipped) { drawn.delete(section); return; }
      drawn.add(section);
      // While the page still arrives, reading sizes would lay it out half-parsed: the load event marks it whole.
      if (document.readyState === "complete") { mark(section.querySelectorAll(BLOCKS)); }
    }, true);
  }
  function markDrawn() {  // the sections drawn so far, and the blocks in none
    mark(outside());
    drawn.forEach(function (section) { mark(section.querySelectorAll(BLOCKS)); });
  }
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(markDrawn, 300); });
  document.addEventListener("DOMContentLoaded", function () {
    // A block whose section is not drawn yet has no size to read: it takes the focus until it is drawn, so that
    // Tab reaches every block that may scroll (focusing it draws its section, and then it is marked).
    document.querySelectorAll(BLOCKS).forEach(function (e) { if (!marked.has(e)) { e.tabIndex = 0; } });
  });
  window.addEventListener("load", markDrawn);
})();
