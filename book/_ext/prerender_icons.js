// Draw the theme's icons when the book is built: every <i class="fa-solid fa-list"> and the like becomes the <svg>
// Font Awesome would have put there in the reader's browser, and the page no longer loads fontawesome.js (1.5 MB of
// JavaScript, about 100 ms of a page's load). Its icons and its stylesheet come from the theme's own copy of it.
//
//   node prerender_icons.js <_static folder> <page.html>...
const fs = require("fs");
const path = require("path");

const [staticDir, ...pages] = process.argv.slice(2);
const BUNDLE = path.join(staticDir, "scripts", "fontawesome.js");
const SHEET = path.join(staticDir, "fontawesome-icons.css");

// The bundle looks for a browser; these few stand-ins let it define its icons and stop there.
global.window = global;
global.MutationObserver = function () { this.observe = function () {}; this.disconnect = function () {}; };
const noop = () => {};
const element = () => ({setAttribute: noop, appendChild: noop, style: {}});
global.document = {
  readyState: "loading", addEventListener: noop, querySelector: () => null, getElementsByTagName: () => [],
  createElement: element, createTextNode: () => ({}),
  documentElement: {classList: {add: noop, remove: noop}, getAttribute: () => null},
  head: {appendChild: noop, insertBefore: noop, childNodes: []},
};
require(path.resolve(BUNDLE));
const FA = global.FontAwesome;

const PREFIXES = {"fa-solid": "fas", fas: "fas", "fa-regular": "far", far: "far", "fa-brands": "fab", fab: "fab"};
// An empty <i> or <span> whose classes name a style and an icon, e.g. <i class="fab fa-github"></i>
const ICON = /<(i|span)((?:\s+[\w-]+="[^"]*")*)\s*>\s*<\/\1>/g;
const SCRIPT = /[ \t]*<script defer src="[^"]*scripts\/fontawesome\.js[^"]*"><\/script>\n?/;

function svg(match, tag, attributeText) {
  const attributes = {};
  for (const [, key, value] of attributeText.matchAll(/([\w-]+)="([^"]*)"/g)) { attributes[key] = value; }
  const classes = attributes.class || "", names = classes.split(/\s+/).filter(Boolean);
  const prefix = names.map((n) => PREFIXES[n]).find(Boolean);
  if (!prefix) { return match; }
  delete attributes.class;
  let icon = null, extra = [];
  for (const name of names) {
    if (PREFIXES[name]) { continue; }
    const found = !icon && name.startsWith("fa-") && FA.findIconDefinition({prefix, iconName: name.slice(3)});
    if (found) { icon = found; } else { extra.push(name); }
  }
  if (!icon) { throw new Error(`no icon for class="${classes}"`); }
  return FA.icon(icon, {classes: extra, attributes}).html.join("");
}

fs.writeFileSync(SHEET, FA.dom.css());
let drawn = 0, changed = 0;
for (const page of pages) {
  const before = fs.readFileSync(page, "utf8");
  if (!SCRIPT.test(before)) { continue; }  // drawn before, or a page without the theme
  let count = 0;
  let after = before.replace(ICON, (...m) => { const out = svg(...m); count += out !== m[0]; return out; });
  const sheet = path.relative(path.dirname(page), SHEET).split(path.sep).join("/");
  after = after.replace(SCRIPT, "").replace("</head>", `<link rel="stylesheet" href="${sheet}" />\n</head>`);
  fs.writeFileSync(page, after);
  drawn += count; changed += 1;
}
console.log(`${drawn} icons drawn on ${changed} pages; fontawesome.js left out of them`);
