"""A chapter live in JupyterLab, as a reader runs it: every cell runs without error and a slider works.

JupyterLab is started on 127.0.0.1 with a token and no browser of its own, on a copy of the first
chapter with its outputs cleared (so nothing it saves touches the real chapters, and a number on the
last prompt means the cell ran here); Chromium opens it, runs all cells
from the Run menu, and moves a weight slider of the neuron explorer. Every chapter is run once, by
nbval; here one chapter runs live. The same JupyterLab then runs chapter 5's debugger cell on its own
(a notebook of that one cell, as the chapter writes it) and clicks the backward-pass debugger's Step button.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.site_build import ROOT

CHAPTER = "01_perceptron.ipynb"
DEBUGGER_CHAPTER = "05_backprop.ipynb"  # holds the backward-pass debugger (mathnn.widgets.debugger)
DEBUGGER_NOTEBOOK = "debugger.ipynb"  # its debugger cell alone


def in_toc(chapter):
    """Whether ``chapter`` (a file name in book/) is listed in _toc.yml, so published."""
    return re.search(rf"file:\s*book/{re.escape(chapter.removesuffix('.ipynb'))}\s*$",
                     (ROOT / "_toc.yml").read_text(encoding="utf-8"), re.MULTILINE) is not None


def debugger_cells():
    """Chapter 5's code cells that build the backward-pass debugger (none while it is unpublished)."""
    if not in_toc(DEBUGGER_CHAPTER):
        return []
    chapter = json.loads((ROOT / "book" / DEBUGGER_CHAPTER).read_text(encoding="utf-8"))
    return [cell for cell in chapter["cells"] if cell["cell_type"] == "code" and "BackpropDebugger" in "".join(cell["source"])]


KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def notebook_of(cells, metadata=KERNEL):
    """A notebook holding ``cells`` with their outputs and prompt numbers cleared."""
    fresh = [{**cell, "outputs": [], "execution_count": None} if cell["cell_type"] == "code" else cell
             for cell in cells]
    return {"cells": fresh, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The URL (with token) of a JupyterLab serving chapter 1 (outputs cleared) and a notebook of ch 5's debugger cell."""
    root = tmp_path_factory.mktemp("lab")
    # Outputs and prompt numbers cleared: a number on the last cell's prompt then means it ran here.
    chapter = json.loads((ROOT / "book" / CHAPTER).read_text(encoding="utf-8"))
    (root / CHAPTER).write_text(json.dumps(notebook_of(chapter["cells"], chapter["metadata"])), encoding="utf-8")
    if debugger_cells():
        (root / DEBUGGER_NOTEBOOK).write_text(json.dumps(notebook_of(debugger_cells())), encoding="utf-8")
    # Render every cell (JupyterLab otherwise draws only the cells in view), via user settings.
    settings = tmp_path_factory.mktemp("lab-settings")
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    port, token = free_port(), secrets.token_hex(16)
    process = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--allow-root", "--LabApp.news_url=", "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
            break
        except OSError:
            assert process.poll() is None, "JupyterLab exited while starting"
            assert time.time() < deadline, "JupyterLab did not start within 60 s"
            time.sleep(0.5)
    yield base, token
    process.terminate()
    process.wait(timeout=30)


def finished(page, last_prompt, seconds, start_within=20):
    """Wait until the last code cell has an execution count; False if the run was cancelled, never
    started within ``start_within`` seconds (the menu click was lost), or timed out."""
    now = time.time()
    deadline, start_deadline = now + seconds, now + start_within
    started = False
    while time.time() < deadline:
        prompts = page.locator(".jp-InputPrompt").all_inner_texts()
        if last_prompt.inner_text().strip().strip("[]:").isdigit():
            return True
        running = any("*" in prompt for prompt in prompts)
        started = started or running
        if started and not running:
            return False  # the queue was cancelled before the last cell ran
        if not started and time.time() > start_deadline:
            return False
        time.sleep(0.5)
    return False


def run_all(page, base, token, chapter):
    """Open ``chapter`` in JupyterLab and run all its cells; fail on a run that does not finish or an error.

    Returns its notebook panel (the one shown: a chapter opened before stays in the page, hidden).
    """
    page.goto(f"{base}/lab/tree/{chapter}?token={token}")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    idle = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']"
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=60_000)
    page.wait_for_selector(idle, timeout=60_000)
    time.sleep(2)  # let the notebook finish connecting to its kernel

    # Run All; if the kernel's connection drops while the machine is busy, JupyterLab cancels the
    # queued cells (their prompts fall back to "[ ]"), so try again, up to three times.
    last_prompt = panel.locator(".jp-CodeCell").last.locator(".jp-InputPrompt")
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        if finished(page, last_prompt, seconds=120):
            break
    else:
        pytest.fail(f"Run All did not finish; prompts: {panel.locator('.jp-InputPrompt').all_inner_texts()[:20]}")
    page.wait_for_selector(idle, timeout=60_000)

    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"{chapter}: {errors.first.inner_text()}"
    return panel


def redrawn(picture, before, what):
    """Wait until the widget's picture differs from ``before``."""
    deadline = time.time() + 30
    while picture.get_attribute("src") == before:
        assert time.time() < deadline, what
        time.sleep(0.2)


def step_the_debugger(panel):
    """Click the backward-pass debugger's Step button: its picture must change, and no error be shown."""
    widget = panel.locator(".jp-OutputArea-output .widget-vbox").filter(
        has=panel.page.locator("button", has_text="Step back")).first
    widget.scroll_into_view_if_needed(timeout=120_000)  # the last cells of a long chapter finish last
    picture = widget.locator(".widget-image").first
    step = widget.locator("button").filter(has_text="Step").filter(has_not_text="back").first
    for _ in range(2):
        before = picture.get_attribute("src")
        step.click()
        redrawn(picture, before, "clicking Step did not redraw the backward-pass debugger")
    assert "step 2 of" in widget.inner_text()
    assert widget.locator(".widget-output .jp-OutputArea-output").count() == 0, "the debugger reported an error"


def test_a_chapter_runs_in_jupyterlab_and_its_widget_answers_a_slider(lab, browser):
    base, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    panel = run_all(page, base, token, CHAPTER)

    widget = panel.locator(".jp-OutputArea-output .widget-vbox").filter(has=page.locator(".widget-slider")).first
    widget.scroll_into_view_if_needed(timeout=120_000)
    picture = widget.locator(".widget-image").first
    before = picture.get_attribute("src")
    handle = widget.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(10):
        handle.press("ArrowLeft")
    redrawn(picture, before, "moving the w0 slider did not redraw the neuron explorer")
    assert widget.locator(".widget-output .jp-OutputArea-output").count() == 0, "the widget reported an error"

    if debugger_cells():  # the same JupyterLab: chapter 5's debugger cell, live
        step_the_debugger(run_all(page, base, token, DEBUGGER_NOTEBOOK))
    context.close()
