"""The equation ledger: every labelled equation of the book, its kind, and the cells that verify it.

Read from the chapters themselves, so it cannot drift from them:

- a labelled equation is ``$$ ... $$ (eq-label)`` (or a ``{math}`` block with ``:label:``) in a
  markdown cell of a chapter listed in ``_toc.yml``;
- its kind, ``definition`` or ``result``, is the one hand-kept part, in ``book/equations.yml``;
- a cell that derives or checks a result carries the tag ``verifies-<label>``.

:func:`read_ledger` gathers them and lists what is wrong (an equation with no kind, a result that
no cell verifies, a tag naming a label that does not exist); ``tests/test_ledger.py`` fails on any of
these. As a Sphinx extension this module gives each verifying cell an anchor (``verifies-<label>``,
then ``verifies-<label>-2``, ...) and fills the ``{equation-ledger}`` directive of ``book/ledger.md``
with a table per chapter, linking each equation and each cell that verifies it.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

KINDS = ("definition", "result")
TAG = "verifies-"
KINDS_FILE = "book/equations.yml"
LEDGER_DOC = "book/ledger"
DISPLAY = re.compile(r"\$\$(?P<tex>.+?)\$\$(?:[ \t]*\((?P<label>[^()\s]+)\))?", re.S)
MATH_BLOCK = re.compile(r"^(?P<fence>`{3,}|:{3,})\{math\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.S | re.M)
OPTION_LABEL = re.compile(r"^:label:[ \t]*(\S+)[ \t]*$", re.M)


@dataclass
class Equation:
    """One labelled equation: where it is, what it says, its kind and the cells that verify it."""

    label: str
    tex: str
    docname: str  # the chapter, e.g. "book/01_perceptron"
    kind: str | None = None
    verified: list = field(default_factory=list)  # (docname, anchor) of each verifying cell, in book order


@dataclass
class Ledger:
    """Every chapter's equations in book order, the chapters' titles, and what is wrong."""

    equations: list
    titles: dict  # docname -> the chapter's title
    problems: list


def toc_files(root):
    """Every ``file`` of ``_toc.yml`` in order (its root page first), as docnames like ``book/01_perceptron``."""
    toc = yaml.safe_load(Path(root, "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]] if "root" in toc else []

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(str(entry["file"]).removesuffix(".ipynb").removesuffix(".md"))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return found


def toc_chapters(root):
    """The chapters of ``_toc.yml``: the docnames of its files that are notebooks."""
    return [doc for doc in toc_files(root) if Path(root, doc + ".ipynb").exists()]


def read_notebook(path):
    """The notebook at ``path`` as a dict."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def notebook_equations(notebook):
    """The labelled equations of a notebook's markdown cells: a list of (label, tex), in order."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        blocks = [(m.start(), m.group("label"), m.group("tex")) for m in DISPLAY.finditer(text) if m.group("label")]
        for m in MATH_BLOCK.finditer(text):
            label = OPTION_LABEL.search(m.group("body"))
            if label:
                blocks.append((m.start(), label.group(1), OPTION_LABEL.sub("", m.group("body"))))
        found += [(label, " ".join(tex.split())) for _, label, tex in sorted(blocks)]
    return found


def notebook_verifications(notebook):
    """The label each ``verifies-<label>`` tag names, one entry per tagged cell, in order."""
    return [tag[len(TAG):] for cell in notebook["cells"] if cell["cell_type"] == "code"
            for tag in cell.get("metadata", {}).get("tags", []) if tag.startswith(TAG)]


def notebook_title(notebook):
    """The text of the notebook's first ``# `` heading."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def anchor(label, k):
    """The id of the k-th (from 0) cell of a page that verifies ``label``."""
    return f"{TAG}{label}" if k == 0 else f"{TAG}{label}-{k + 1}"


def read_ledger(root, chapters=None):
    """The ledger of ``chapters`` (default: every chapter of ``_toc.yml``) under the book's ``root``.

    Returns
    -------
    Ledger, whose ``problems`` lists, in words, every equation without a kind (or with an unknown
    one), every result no cell verifies, every tag naming a label no chapter has, every label defined
    twice and every kind in ``book/equations.yml`` whose label is in no chapter of ``book/``.
    """
    root = Path(root)
    chapters = toc_chapters(root) if chapters is None else list(chapters)
    kinds = yaml.safe_load((root / KINDS_FILE).read_text(encoding="utf-8")) or {}
    equations, titles, problems, by_label, tags = [], {}, [], {}, []
    for doc in chapters:
        notebook = read_notebook(root / f"{doc}.ipynb")
        titles[doc] = notebook_title(notebook)
        for label, tex in notebook_equations(notebook):
            if label in by_label:
                problems.append(f"{label} is labelled twice: in {by_label[label].docname} and in {doc}.")
                continue
            by_label[label] = Equation(label, tex, doc, kinds.get(label))
            equations.append(by_label[label])
        counts = {}
        for label in notebook_verifications(notebook):
            tags.append((doc, label, anchor(label, counts.get(label, 0))))
            counts[label] = counts.get(label, 0) + 1
    for doc, label, where in tags:
        if label in by_label:
            by_label[label].verified.append((doc, where))
        else:
            problems.append(f"a cell of {doc} is tagged {TAG}{label}, but no chapter labels an equation {label}.")
    for eq in equations:
        if eq.kind is None:
            problems.append(f"{eq.label} ({eq.docname}) has no kind: add '{eq.label}: definition' or "
                            f"'{eq.label}: result' to {KINDS_FILE}.")
        elif eq.kind not in KINDS:
            problems.append(f"{eq.label} has the kind {eq.kind!r} in {KINDS_FILE}; a kind is one of {KINDS}.")
        elif eq.kind == "result" and not eq.verified:
            problems.append(f"{eq.label} ({eq.docname}) is a result, but no cell is tagged {TAG}{eq.label}: derive "
                            "or check it with SymPy and compare it with mathnn on numbers, in a cell with that tag.")
    everywhere = {label for path in sorted(root.glob("book/*.ipynb"))
                  for label, _ in notebook_equations(read_notebook(path))} | set(by_label)
    problems += [f"{KINDS_FILE} classifies {label}, but no chapter in book/ labels it." for label in kinds
                 if label not in everywhere]
    return Ledger(equations, titles, problems)


# --- the Sphinx extension ------------------------------------------------------------------------


def mark_verifying_cells(app, doctree):
    """Give every cell tagged ``verifies-<label>`` the id :func:`anchor` names (myst-nb gives it the class
    ``tag_verifies-<label>``, and no id)."""
    counts = {}
    for node in doctree.findall(nodes.container):
        for name in node["classes"]:
            if name.startswith("tag_" + TAG):
                label = name[len("tag_" + TAG):]
                node["ids"].append(anchor(label, counts.get(label, 0)))
                counts[label] = counts.get(label, 0) + 1


def _equation_number(env, label):
    """The number the page shows for the equation, e.g. "3.2", or None."""
    docname = env.get_domain("math").equations.get(label, (None,))[0]
    number = env.toc_fignumbers.get(docname, {}).get("displaymath", {}).get(f"equation-{label}")
    return ".".join(map(str, number)) if number else None


def _table(app, fromdoc, ledger, chapter):
    rows = [eq for eq in ledger.equations if eq.docname == chapter]
    table = nodes.table(classes=["mathnn-ledger"])
    group = nodes.tgroup(cols=4)
    table += group
    for width in (10, 12, 22, 56):  # the formula last: a wide one may scroll, the verdict stays in view
        group += nodes.colspec(colwidth=width)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    row = nodes.row()
    for title in ("equation", "kind", "checked in", "what it says"):
        row += nodes.entry("", nodes.paragraph(text=title))
    head += row
    for eq in rows:
        row = nodes.row()
        number = _equation_number(app.env, eq.label)
        link = nodes.reference("", f"({number})" if number else eq.label, internal=True,
                               refuri=app.builder.get_relative_uri(fromdoc, eq.docname) + f"#equation-{eq.label}")
        row += nodes.entry("", nodes.paragraph("", "", link))
        row += nodes.entry("", nodes.paragraph(text=eq.kind or "not classified"))
        checked = nodes.paragraph()
        for k, (doc, where) in enumerate(eq.verified):
            if k:
                checked += nodes.Text(", ")
            text = f"cell {k + 1}" if doc == eq.docname else f"cell in “{ledger.titles.get(doc, doc)}”"
            checked += nodes.reference("", text, internal=True,
                                       refuri=app.builder.get_relative_uri(fromdoc, doc) + f"#{where}")
        if not eq.verified:
            checked += nodes.Text("nothing to check" if eq.kind == "definition" else "not yet verified")
        row += nodes.entry("", checked)
        row += nodes.entry("", nodes.paragraph("", "", nodes.math(eq.tex, eq.tex)))
        body += row
    return table


def fill_ledger(app, doctree, docname):
    """Replace each ``{equation-ledger}`` placeholder with the ledger: a summary, then a table per chapter."""
    placeholders = list(doctree.findall(LedgerPlaceholder))
    if not placeholders:
        return
    ledger = read_ledger(app.srcdir)
    results = [eq for eq in ledger.equations if eq.kind == "result"]
    checked = [eq for eq in results if eq.verified]
    content = [nodes.paragraph(text=(
        f"{len(ledger.equations)} labelled equations in {len(ledger.titles)} chapters: "
        f"{len(ledger.equations) - len(results)} definitions and {len(results)} results, "
        f"{len(checked)} of which a cell derives or checks."
    ))]
    for chapter, title in ledger.titles.items():
        content.append(nodes.rubric(text=title))
        content.append(_table(app, docname, ledger, chapter))
    for node in placeholders:
        node.replace_self(content)


def always_outdated(app, env, added, changed, removed):
    """The ledger page is read again on every build: it is made from every chapter."""
    return [LEDGER_DOC] if LEDGER_DOC in env.found_docs else []


class LedgerPlaceholder(nodes.General, nodes.Element):
    """Where the ledger goes; replaced when the page's references are resolved."""


class LedgerDirective(SphinxDirective):
    """``{equation-ledger}``: the ledger of every chapter, made at build time."""

    def run(self):
        # The math node inside is what tells Sphinx, when it reads the page, that the page needs MathJax:
        # the table's formulas only arrive after reading.
        return [LedgerPlaceholder("", nodes.math("x", "x"))]


def setup(app):
    app.add_node(LedgerPlaceholder)
    app.add_directive("equation-ledger", LedgerDirective)
    app.connect("doctree-read", mark_verifying_cells)
    app.connect("doctree-resolved", fill_ledger)
    app.connect("env-get-outdated", always_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
