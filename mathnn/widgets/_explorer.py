r"""The one container of every kernel-free explorer on the book's website.

A live widget needs a running Python kernel; the static site has none. Its site twin is one
self-contained piece of HTML: plain HTML controls driven by a few lines of inline JavaScript,
pictures embedded as PNG data URIs. Nothing is fetched from anywhere: no CDN, no external
reference at all, so the page works offline and forever.

Every twin is a :class:`KernelFree` fragment: the same outer element (class ``mathnn-<kind>``, which
the browser tests look for, and an id ``mathnn-<kind>-<serial>-<digest>``), the same stylesheet,
title and size budget. Each widget's module writes what goes inside (its controls, canvas or
pictures, and the script that drives them).

Examples
--------
>>> twin = KernelFree("example", "A title", b"payload", lambda element_id: [f'<p id="{element_id}-text">hi</p>'])
>>> twin.id.startswith("mathnn-example-")
True
>>> twin.html.splitlines()[-2].endswith('-text">hi</p>')
True
"""

import hashlib
import html
import itertools
import re
from pathlib import Path

SIZE_BUDGET = 2_000_000  # bytes of HTML per explorer: several explorers must fit on one page

_serial = itertools.count(1)  # numbers the explorers made in this process, for unique element ids

CSS = """
#ID { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 15px; max-width: 800px;
      border: 1px solid #ccc; border-radius: 6px; padding: 10px 12px; margin: 1em 0; background: #fff; color: #222; }
#ID .mx-title { font-weight: 600; margin: 0 0 8px 0; }
#ID .mx-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin-bottom: 8px; }
#ID .mx-controls label { display: flex; align-items: center; gap: 6px; }
#ID .mx-scrub { flex: 1 1 240px; }
#ID .mx-scrub input { flex: 1 1 auto; min-width: 120px; }
#ID button, #ID select { font: inherit; padding: 2px 10px; }
#ID button { min-width: 6.5em; }
#ID .mx-caption { font-variant-numeric: tabular-nums; min-height: 1.3em; margin-bottom: 6px; }
"""

# For a twin the reader types into: text boxes, and the line where it writes what is wrong with the
# text (as the live widget writes it into its error area, :mod:`mathnn.widgets._skin`).
INPUT_CSS = """#ID { overflow-x: auto; }
#ID input[type=text] { font: inherit; }
#ID .mx-error { color: #cf222e; margin: 4px 0; min-height: 1.2em; }
"""


def element_id(kind, payload):
    """``mathnn-<kind>-<serial>-<digest>``: unique in a page, and the same in every fresh run of a chapter."""
    return f"mathnn-{kind}-{next(_serial)}-{hashlib.sha1(payload).hexdigest()[:8]}"


def not_restored(lines):
    """The lines with ``autocomplete="off"`` on every input and menu.

    A twin reads its controls once, when its script runs; a browser that restored their old values
    when the reader comes back to the page would set them behind its back, and the controls would
    show one setting and the picture another.
    """
    return [re.sub(r"<(input|select)\b(?![^>]*\bautocomplete=)", r'<\1 autocomplete="off"', line) for line in lines]


class KernelFree:
    """A site twin: one self-contained HTML fragment in the book's explorer container.

    Parameters
    ----------
    kind : str, the outer element's class is ``mathnn-<kind>`` (what the browser tests look for)
    title : str
    payload : bytes, what the id's digest is taken from (the pictures, or the settings)
    body : callable, ``body(element_id)`` returns the HTML lines inside the container after the title
    css : str, rules added to the shared stylesheet, with ``#ID`` for the outer element
    budget : int, the largest size in bytes the HTML may have

    Attributes
    ----------
    html : str
        The HTML fragment; a notebook shows it through ``_repr_html_``. It loads nothing from anywhere.
    id : str
        The id of its outer element, made from a counter and a digest (no randomness).
    """

    def __init__(self, kind, title, payload, body, css="", budget=SIZE_BUDGET):
        self.title = title
        self.id = element_id(kind, payload)
        self.html = "\n".join([
            f'<div class="mathnn-{kind}" id="{self.id}">',
            f"<style>{(CSS + css).replace('#ID', '#' + self.id)}</style>",
            f'<p class="mx-title">{html.escape(title)}</p>',
            *not_restored(body(self.id)),
            "</div>",
        ])
        if self.nbytes > budget:
            raise ValueError(
                f"the explorer {title!r} is {self.nbytes / 1e6:.2f} MB, over its budget of {budget / 1e6:.2f} MB; "
                f"make fewer frames or pass a lower dpi."
            )

    def __repr__(self):
        return f"{type(self).__name__}({self.title!r}, {self.nbytes / 1e6:.2f} MB)"

    @property
    def nbytes(self):
        """The size of the HTML in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def _repr_html_(self):
        return self.html

    def save(self, path):
        """Write the explorer as a complete web page to ``path``; returns the path."""
        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(self.title)}</title>\n</head>\n<body>\n{self.html}\n</body>\n</html>\n"
        )
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path
