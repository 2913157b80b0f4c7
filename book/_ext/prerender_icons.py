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
import subprocess

from prerender_math import node
from sphinx.errors import ExtensionError
from sphinx.util import logging

SCRIPT = pathlib.Path(__file__).with_name("prerender_icons.js")
LOGGER = logging.getLogger(__name__)


def draw_icons(app, exception):
    if exception is not None or app.builder.format != "html" or node() is None:
        return
    outdir = pathlib.Path(app.outdir)
    static = outdir / "_static"
    pages = sorted(str(p) for p in outdir.rglob("*.html") if static not in p.parents)
    if not pages or not (static / "scripts" / "fontawesome.js").is_file():
        return
    result = subprocess.run([node(), str(SCRIPT), str(static), *pages], capture_output=True, text=True)
    if result.returncode != 0:
        raise ExtensionError(f"the icons could not be drawn: {result.stderr.strip() or result.stdout.strip()}")
    LOGGER.info(f"icons: {result.stdout.strip()}")


def setup(app):
    app.connect("build-finished", draw_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
