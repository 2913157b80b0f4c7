"""What the widget tests check of every widget alike: the pure parts import without ipywidgets, blitted frames
equal full redraws, the live widget carries its twin, the twin is self-contained, and the twin in Chromium
(a page per test module) loads nothing from elsewhere and logs no error."""

import subprocess
import sys

import numpy as np
import pytest

from tests.twin_page import browser_or_skip, twin_page


def assert_pure_without_ipywidgets(module, checks, skin):
    """In a fresh Python where ipywidgets cannot be imported, ``from mathnn.widgets import <module>`` and the
    ``checks`` (lines of Python) run, and building the skin (an expression, e.g. ``loss.LossExplorer()``) fails."""
    code = "\n".join([
        "import sys; sys.modules['ipywidgets'] = None",  # any import of ipywidgets now raises ImportError
        f"from mathnn.widgets import {module}",
        *checks,
        f"try:\n    {skin}\nexcept ImportError:\n    pass\nelse:\n    raise SystemExit('skin built')",
    ])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def assert_blits_equal_full_redraws(view, *shown):
    """After each update of ``view`` to one of ``shown``, its blitted frame equals a full redraw."""
    for state in shown:
        view.update(state).render()
        blitted = np.asarray(view.figure.canvas.buffer_rgba()).copy()
        view.render(full=True)
        assert np.array_equal(blitted, np.asarray(view.figure.canvas.buffer_rgba()))


def assert_on_site_carries(skin, twin):
    """``skin.on_site(twin)`` is one output: the twin's HTML for the site, the widget view for a kernel."""
    bundle = skin.on_site(twin)._repr_mimebundle_()
    assert bundle["text/html"] == twin.html
    assert "application/vnd.jupyter.widget-view+json" in bundle


def assert_self_contained(twin, css_class, budget):
    """The twin's outer element has its class and id, it names no other host and loads no file, and it is small."""
    assert twin.html.startswith(f'<div class="{css_class}" id="{twin.id}">')
    assert "http" not in twin.html and " src=" not in twin.html
    assert twin.nbytes < budget


def twin_page_fixture(make_twin):
    """A module-scoped fixture: one page in Chromium holding ``make_twin()``, as ``(page, twin)``."""

    @pytest.fixture(scope="module")
    def page(request):
        twin = make_twin()
        with twin_page(browser_or_skip(request), twin) as opened:
            yield opened, twin

    return page


def assert_clean(opened):
    """The page requested nothing from another host and logged no error."""
    assert not opened.elsewhere()
    assert not opened.errors


def assert_each_move_repaints(opened, twin, start, moves):
    """From the controls set to ``start`` ({control: value}), each of ``moves`` ((control, value), in turn)
    draws a picture different from every one before."""
    for control, value in start.items():
        opened.set(twin, control, value)
    pictures = [opened.pixels(twin)]
    for control, value in moves:
        opened.set(twin, control, value)
        pictures.append(opened.pixels(twin))
    assert len(set(pictures)) == len(pictures)


def report_input_to_paint(opened, twin, control, values, what, capsys):
    """Milliseconds from an input on ``control`` to its drawing (median), printed; returns (work, frame)."""
    work, frame = opened.input_to_paint(twin, control, values)
    with capsys.disabled():
        print(f"\n{what}: input to drawn {work:.2f} ms, to the next frame {frame:.2f} ms (medians)")
    return work, frame
