"""The chapters as files: listed in the table of contents, executed in order, quick, and ready for Colab.

nbval (``pytest --nbval``, on in pyproject.toml) separately re-runs every chapter and compares each
output with the one stored in the file.
"""

import pathlib
import re
import time

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
SECONDS_PER_CHAPTER = 15


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


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_runs_top_to_bottom_quickly(path):
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    assert seconds < SECONDS_PER_CHAPTER, f"{path.name} took {seconds:.1f} s"
