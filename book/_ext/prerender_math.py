"""Ship finished math: every formula is typeset when the book is built, not in the reader's browser.

Typesetting a chapter's 300-500 formulas with MathJax in the browser took seconds after the text had
arrived. When the book is built with Node.js at hand and ``mathjax-full`` installed from the npm
registry (``npm ci``, which ``make book`` runs), this extension hands every written page to
``prerender_math.js``, which replaces each formula's TeX by the CommonHTML MathJax would have made
(MathML beside it for screen readers), and leaves the MathJax script out of the pages. A TeX error
stops the build with the page and the formula named. Without Node.js the build still succeeds and
the pages typeset their math in the browser as before, with the MathJax that ``sphinx-mathjax-offline``
ships (it also ships the fonts the finished math uses).
"""

import hashlib
import pathlib
import shutil
import subprocess

from sphinx.errors import ExtensionError
from sphinx.util import logging

SCRIPT = pathlib.Path(__file__).with_name("prerender_math.js")
MATHJAX = SCRIPT.parents[2] / "node_modules" / "mathjax-full"
LOGGER = logging.getLogger(__name__)


def node():
    """The path of Node.js, or None."""
    return shutil.which("node") or shutil.which("nodejs")


def can_prerender():
    """True when Node.js and the npm package ``mathjax-full`` are both there."""
    return node() is not None and (MATHJAX / "package.json").is_file()


def decide(app):
    app.mathnn_prerender = app.builder.format == "html" and can_prerender()
    if app.builder.format == "html" and not app.mathnn_prerender:
        LOGGER.info("math: no Node.js or no node_modules/mathjax-full (npm ci): "
                    "the pages will typeset their math in the reader's browser")


def is_mathjax(script):
    """True for the MathJax script and its inline configuration, as Sphinx lists them for a page."""
    filename = str(getattr(script, "filename", script) or "")
    body = getattr(script, "attributes", {}).get("body", "")
    return "mathjax/" in filename or body.lstrip().startswith(("MathJax =", "window.MathJax ="))


def drop_mathjax(app, pagename, templatename, context, doctree):
    if app.mathnn_prerender and "script_files" in context:
        context["script_files"][:] = [s for s in context["script_files"] if not is_mathjax(s)]


def run_over_pages(app, script, failure, label):
    """Run the Node.js ``script`` over every written page (``node script <_static> <page>...``) and log what it
    says after ``label``; if it fails, stop the build with ``failure`` and its message."""
    outdir = pathlib.Path(app.outdir)
    static = outdir / "_static"
    pages = sorted(str(p) for p in outdir.rglob("*.html") if static not in p.parents)
    if not pages:
        return
    result = subprocess.run([node(), str(script), str(static), *pages], capture_output=True, text=True)
    if result.returncode != 0:
        raise ExtensionError(f"{failure}: {result.stderr.strip() or result.stdout.strip()}")
    LOGGER.info(f"{label}: {result.stdout.strip()}")


def typeset_pages(app, exception):
    if exception is not None or not app.mathnn_prerender:
        return
    run_over_pages(app, SCRIPT, "math could not be typeset", "math")


def setup(app):
    # Sphinx rewrites every page when a config value marked "html" changes: so a change to the script, or
    # Node.js and mathjax-full arriving or going, re-typesets the whole book, not only the changed pages.
    digest = hashlib.sha256(SCRIPT.read_bytes() + str(can_prerender()).encode()).hexdigest()
    app.add_config_value("prerender_math_digest", digest, "html")
    app.connect("builder-inited", decide)
    # After sphinx.ext.mathjax has added its script to the page (priority 500).
    app.connect("html-page-context", drop_mathjax, priority=900)
    app.connect("build-finished", typeset_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
