"""Ship the theme's icons drawn: pages do not load Font Awesome's 1.5 MB script to draw 17 icons.

pydata-sphinx-theme writes its icons as ``<i class="fa-solid fa-list"></i>`` and has every page load
``fontawesome.js``, which replaces each by an ``<svg>`` once the page has arrived. When Node.js is at
hand, this extension runs ``prerender_icons.js`` over the written pages: it loads the theme's own copy
of that script in Node, writes each icon's ``<svg>`` in place, puts Font Awesome's stylesheet in
``_static/fontawesome-icons.css`` and takes the script out of the pages. Without Node.js the pages
keep the script. (The theme's JavaScript makes one icon itself, the close button of a version or
announcement banner; the book shows neither.)
"""

import pathlib

from prerender_math import node, run_over_pages

SCRIPT = pathlib.Path(__file__).with_name("prerender_icons.js")


def draw_icons(app, exception):
    if exception is not None or app.builder.format != "html" or node() is None:
        return
    if (pathlib.Path(app.outdir) / "_static" / "scripts" / "fontawesome.js").is_file():
        run_over_pages(app, SCRIPT, "the icons could not be drawn", "icons")


def setup(app):
    app.connect("build-finished", draw_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
