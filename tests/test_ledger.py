"""The equation ledger (book/_ext/ledger.py, book/equations.yml): every labelled equation of every chapter in the
table of contents has a kind, every result a cell that verifies it, and every such cell names a real equation."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import ledger  # noqa: E402 - book/_ext is not a package; the book's build imports it the same way

LEDGER = ledger.read_ledger(ROOT)


def test_the_ledger_reads_every_chapter_of_the_table_of_contents():
    chapters = ledger.toc_chapters(ROOT)
    assert chapters[:5] == ["book/01_perceptron", "book/02_vectorization", "book/03_activations", "book/04_losses",
                            "book/05_backprop"]
    assert list(LEDGER.titles) == chapters and all(LEDGER.titles.values())
    assert {eq.docname for eq in LEDGER.equations} == set(chapters)  # every chapter labels equations
    assert "book/drafts" not in " ".join(chapters) and "book/ledger" in ledger.toc_files(ROOT)


def test_every_labelled_equation_is_classified_and_every_result_verified():
    assert not LEDGER.problems, "\n".join(LEDGER.problems)


# --- the reader of chapters: each rule on a small notebook ------------------------------------------


def notebook(*cells):
    return {"cells": [
        {"cell_type": kind, "source": [text], "metadata": {"tags": list(tags)}} for kind, text, *tags in cells
    ]}


def write_book(tmp_path, kinds, *cells):
    (tmp_path / "book").mkdir()
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: book/01_x\n")
    (tmp_path / "book" / "01_x.ipynb").write_text(json.dumps(notebook(*cells)))
    (tmp_path / "book" / "equations.yml").write_text("".join(f"{label}: {kind}\n" for label, kind in kinds.items()))
    return ledger.read_ledger(tmp_path)


def test_labelled_equations_are_read_and_unlabelled_ones_skipped():
    nb = notebook(
        ("markdown", "# A chapter\n\n$$\nx = 1\n$$\n\nthen $a$ and\n\n$$\ny = 2\n$$ (eq-y)\n\n$$ z = 3 $$ (eq-z)"),
        ("markdown", "```{math}\n:label: eq-w\nw = 4\n```\n\n$$\nq\n$$\n\n(a) is not a label"),
        ("code", "x = 1", "verifies-eq-y", "remove-input"),
    )
    assert ledger.notebook_equations(nb) == [("eq-y", "y = 2"), ("eq-z", "z = 3"), ("eq-w", "w = 4")]
    assert ledger.notebook_verifications(nb) == ["eq-y"]
    assert ledger.notebook_title(nb) == "A chapter"


def test_a_clean_chapter_has_no_problems(tmp_path):
    book = write_book(tmp_path, {"eq-a": "definition", "eq-b": "result"},
                      ("markdown", "# One\n$$ a $$ (eq-a)\n\n$$ b $$ (eq-b)"),
                      ("code", "check()", "verifies-eq-b"), ("code", "again()", "verifies-eq-b"))
    assert book.problems == []
    assert [(eq.label, eq.kind, eq.verified) for eq in book.equations] == [
        ("eq-a", "definition", []),
        ("eq-b", "result", [("book/01_x", "verifies-eq-b"), ("book/01_x", "verifies-eq-b-2")]),
    ]


@pytest.mark.parametrize("kinds, cells, words", [
    ({"eq-b": "result"}, [("markdown", "$$ b $$ (eq-b)")], "is a result, but no cell is tagged verifies-eq-b"),
    ({}, [("markdown", "$$ b $$ (eq-b)")], "eq-b (book/01_x) has no kind: add 'eq-b: definition'"),
    ({"eq-b": "lemma"}, [("markdown", "$$ b $$ (eq-b)")], "has the kind 'lemma'"),
    ({"eq-b": "definition"}, [("markdown", "$$ b $$ (eq-b)"), ("code", "", "verifies-eq-c")],
     "tagged verifies-eq-c, but no chapter labels an equation eq-c"),
    ({"eq-b": "definition"}, [("markdown", "$$ b $$ (eq-b)\n\n$$ c $$ (eq-b)")], "eq-b is labelled twice"),
    ({"eq-b": "definition", "eq-gone": "result"}, [("markdown", "$$ b $$ (eq-b)")],
     "classifies eq-gone, but no chapter in book/ labels it"),
])
def test_each_kind_of_mistake_is_named(tmp_path, kinds, cells, words):
    book = write_book(tmp_path, kinds, *cells)
    assert len(book.problems) == 1 and words in book.problems[0], book.problems


def test_anchors_number_the_cells_of_a_page():
    assert [ledger.anchor("eq-x", k) for k in range(3)] == ["verifies-eq-x", "verifies-eq-x-2", "verifies-eq-x-3"]
