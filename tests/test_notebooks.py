"""The chapters as files: listed in the table of contents, executed in order, quick, and ready for Colab.

nbval (``pytest --nbval``, on in pyproject.toml) separately re-runs every chapter and compares each
output with the one stored in the file; that same run is timed, and a chapter over its budget
fails (``ChapterTime`` in conftest.py), so no chapter is executed a second time just to time it.
"""

import collections
import pathlib
import re
import types

import nbformat
import pytest
import yaml

from tests import conftest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def code_cells(path):
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def test_there_are_chapters_and_each_is_in_the_table_of_contents():
    assert CHAPTERS, "book/ holds no chapter notebooks"
    listed = toc_files()
    for path in CHAPTERS:
        assert f"book/{path.stem}" in listed, f"{path.name} is missing from _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_outputs_come_from_one_run_top_to_bottom_without_errors(path):
    counts = [cell.execution_count for cell in code_cells(path) if cell.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: re-execute it in a fresh kernel"
    for cell in code_cells(path):
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name} stores an error: {output.get('ename')}"
            if output.output_type == "stream":
                assert output.name != "stderr", f"{path.name} stores stderr output: {output.text[:200]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_installs_mathnn_on_colab_from_the_repository_in_the_config(path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    first = code_cells(path)[0]
    assert "remove-cell" in first.metadata.get("tags", []), "the Colab cell should be hidden on the site"
    assert "google.colab" in first.source
    urls = re.findall(r"git\+(https://\S+?)[\"']", first.source)
    assert urls == [config["repository"]["url"]]


def test_each_chapter_is_timed_on_nbvals_own_run(request, monkeypatch):
    """nbval's run of a chapter is followed by a check of its time; over the budget, the check fails."""
    items = request.session.items
    names = [type(item).__name__ for item in items]
    if "IPyNbCell" not in names:
        pytest.skip("no chapter is collected by nbval in this run")
    checks = [item for item in items if type(item).__name__ == "ChapterTime"]
    for check in checks:
        at = items.index(check)
        assert names[at - 1] == "IPyNbCell" and items[at - 1].path == check.path
        assert at + 1 == len(items) or items[at + 1].path != check.path, "the check must follow the last cell"
    cells = collections.Counter(item.parent for item in items if type(item).__name__ == "IPyNbCell")
    whole = {chapter.path for chapter, n in cells.items() if n == sum(c.cell_type == "code" for c in chapter.nb.cells)}
    assert {check.path for check in checks} == whole
    if not checks:
        pytest.skip("no chapter is collected whole in this run")

    check = checks[0]
    timer = check.timer
    try:  # 100 s of wall time per cell: over the budget, unless the kernel's CPU time was small
        check.timer = types.SimpleNamespace(ran=set(check.cells), seconds=dict.fromkeys(check.cells, 100.0), chapters={})
        monkeypatch.setattr(conftest, "kernel_cpu_seconds", lambda notebook: None)
        with pytest.raises(AssertionError, match=r"took \d+\.\d s under nbval .* kernel CPU time unknown\), over its budget"):
            check.runtest()
        monkeypatch.setattr(conftest, "kernel_cpu_seconds", lambda notebook: 3.0)
        check.runtest()  # a busy machine's wall time, but 3 s of the kernel's own work: within the budget
        assert check.timer.chapters == {check.path.name: 3.0}
    finally:
        check.timer = timer
