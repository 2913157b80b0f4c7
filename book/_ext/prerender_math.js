// Typeset the math of built HTML pages once, at build time, with the MathJax the pages would load.
//
//   node prerender_math.js STATIC_DIR PAGE.html [PAGE.html ...]
//
// Sphinx writes each formula as TeX inside <span class="math ..."> (inline, \( ... \)) or
// <div class="math ..."> (display: \[ ... \], or an amsmath environment, after an optional
// equation number). Each page is rewritten in place: every formula becomes the CommonHTML that
// MathJax would have produced in the reader's browser (with MathML beside it for screen readers),
// and the page's <head> gets the stylesheet for exactly the characters it uses, with the fonts
// taken from STATIC_DIR/mathjax. A TeX error stops with the page and the formula named. A page
// typeset before (an incremental build leaves unchanged pages as they were) is left alone.
"use strict";
const fs = require("fs");
const path = require("path");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
require("mathjax-full/js/input/tex/AllPackages.js");

// What the browser's tex-chtml.js has (loaded or autoloaded), less `noundefined`: an unknown
// command is an error here, where the browser would quietly show its name in red.
const PACKAGES = ["base", "ams", "newcommand", "configmacros", "action", "amscd", "bbox", "boldsymbol",
  "braket", "bussproofs", "cancel", "color", "enclose", "extpfeil", "html", "unicode", "verb"];
const FONTS = path.join("mathjax", "output", "chtml", "fonts", "woff-v2");
// In the browser MathJax scales the math so that its x-height matches the text around it, which
// depends on the reader's system font (the book's text is in system-ui): 0.50 em for Segoe UI, about
// 0.53 em for San Francisco and Roboto, 0.56 em for DejaVu Sans. The math here is made for 0.53 em;
// 0.442 em is the x-height of MathJax's TeX fonts.
const SCALE = 0.53 / 0.442;

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };
const unescape = (text) => text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity]);

const INLINE = /(<span class="math notranslate nohighlight">)([\s\S]*?)(<\/span>)/g;
const DISPLAY = /(<div class="[^"]*\bmath notranslate nohighlight"[^>]*>\s*(?:<span class="eqno">[\s\S]*?<\/span>)?)([\s\S]*?)(<\/div>)/g;

function texOf(source, open, close) {
  const text = unescape(source.trim());
  if (text.startsWith(open) && text.endsWith(close)) {
    return text.slice(open.length, text.length - close.length);
  }
  return text;  // an amsmath environment, \begin{align} ... \end{align}, is display math as it stands
}

function prerender(file, staticDir) {
  const page = fs.readFileSync(file, "utf8");
  if (page.includes('id="MJX-CHTML-styles"')) return 0;  // typeset by an earlier build that kept this page
  const fontURL = path.relative(path.dirname(file), path.join(staticDir, FONTS)).split(path.sep).join("/");
  const tex = new TeX({ packages: PACKAGES, formatError: (jax, error) => { throw error; } });
  const chtml = new CHTML({ fontURL });
  const doc = mathjax.document("", { InputJax: tex, OutputJax: chtml });
  let count = 0;
  const typeset = (display, open, close) => (match, before, source, after) => {
    const formula = texOf(source, open, close);
    let node;
    try {
      node = doc.convert(formula, { display, scale: SCALE });
    } catch (error) {
      throw new Error(`${file}: TeX error "${error.message}" in ${formula}`);
    }
    // A wide display formula scrolls sideways (the theme's CSS): focusable, as MathJax makes it in the
    // browser, so that a reader without a mouse can scroll it too.
    if (display) adaptor.setAttribute(node, "tabindex", "0");
    count += 1;
    return before + adaptor.outerHTML(node) + after;
  };
  let html = page.replace(DISPLAY, typeset(true, "\\[", "\\]"));
  html = html.replace(INLINE, typeset(false, "\\(", "\\)"));
  if (count === 0) return 0;
  const css = adaptor.textContent(chtml.styleSheet(doc));
  html = html.replace("</head>", () => `<style id="MJX-CHTML-styles">\n${css}</style>\n</head>`);  // no $-patterns
  fs.writeFileSync(file, html);
  return count;
}

function main() {
  const [staticDir, ...files] = process.argv.slice(2);
  if (!staticDir || files.length === 0) {
    console.error("usage: node prerender_math.js STATIC_DIR PAGE.html [PAGE.html ...]");
    process.exit(2);
  }
  let total = 0, pages = 0;
  try {
    for (const file of files) {
      const count = prerender(file, staticDir);
      total += count;
      pages += count > 0;
    }
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  console.log(`${total} formulas typeset in ${pages} of ${files.length} pages (the others have none, or were typeset before)`);
}

main();
