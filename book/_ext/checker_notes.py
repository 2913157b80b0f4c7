"""On the website, a checker's stored "not attempted yet" becomes a note that the checker runs in the notebook.

Every exercise ends with a cell calling its checker on the reader's stub; the notebook stores what
that call shows, "not attempted yet", since the stub is empty. A static page cannot run the
checker, so there the message means nothing. This extension finds that stored output (the HTML of
``mathnn.exercises._harness.Feedback`` for an untouched stub) in each page and writes instead that
the checker runs in the notebook. The notebooks, and what a reader sees in JupyterLab, Binder or
Colab, are unchanged.
"""

import html
import re

from docutils import nodes

from mathnn.exercises._harness import NOT_ATTEMPTED

NOTE = "The checker runs in the notebook: open this chapter in JupyterLab, Binder or Colab."
# Feedback._repr_html_ for a stub: a grey bar, "… <check name>" in bold, then the message.
STUB = re.compile(
    r'<div style="border-left:4px solid #6e7781;padding:0\.3em 0\.8em"><b style="color:#6e7781">… '
    r"(?P<check>[\w.]+)</b><br>" + re.escape(html.escape(NOT_ATTEMPTED)) + r"</div>"
)

# The same message printed (a stream output) by a checker written in a chapter's own cell.
PRINTED = re.compile(r"^… (?P<check>[\w.]+): " + re.escape(NOT_ATTEMPTED) + r"\s*$")


def note_html(check):
    """What the page shows instead: the checker's name and where it runs."""
    return (f'<div class="mathnn-checker-note" style="border-left:4px solid #6e7781;padding:0.3em 0.8em">'
            f"<b>{html.escape(check)}</b><br>{html.escape(NOTE)}</div>")


def replace_stub_outputs(app, doctree):
    """Rewrite every stored "not attempted yet" of a checker: in HTML outputs, and printed ones."""
    for node in list(doctree.findall(nodes.literal_block)):
        printed = PRINTED.match(node.astext())
        if printed and "output" in node.get("classes", []):
            node.replace_self(nodes.raw("", note_html(printed.group("check")), format="html"))
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        new = STUB.sub(lambda m: note_html(m.group("check")), text)
        if new != text:
            node.replace_self(nodes.raw("", new, format=node["format"], classes=node.get("classes", [])))


def setup(app):
    app.connect("doctree-read", replace_stub_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
