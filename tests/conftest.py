"""Fixtures shared by the site tests (one book build per run, a local web server, a browser), and
the chapters' time budget, measured on nbval's own run of each chapter.
"""

import collections
import functools
import http.server
import importlib.util
import inspect
import os
import threading

import pytest

from tests.site_build import HTML, build_book_once

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Keep Chromium off the network: no background services, no updates, no first-run calls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


@pytest.fixture(scope="session")
def site():
    """The built book (``_build/html``), built once with warnings as errors."""
    code, output = build_book_once()
    assert code == 0, output[-4000:]
    return HTML


@pytest.fixture(scope="session")
def server(site):
    """The built site served on 127.0.0.1 by the standard library, as any static host would."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- every chapter runs within its budget, timed on nbval's own run ----------------------------

SECONDS_PER_CHAPTER = 15
# The capstone trains its network many times over (the failures, the movie): 20 s.
SECONDS_FOR_CHAPTER = {"07_capstone.ipynb": 20}


# `make test` runs two pytest workers on this machine's two logical cores, which share one core's caches and
# execution units: a chapter's kernel then uses more CPU time than alone. Measured side by side on 2026-12-01:
# chapter 2 12.6 s alone, 14.4 s beside another worker; chapter 6 13.5 s and 15.7 s; chapter 7 14.7 s and
# 16.8 s (about 1.15 times). The budgets above are for a chapter run alone; beside other workers they are
# scaled by this factor, which still fails a chapter that grows by a tenth beyond that.
SHARED_CORES = 1.25


def _workers(config):
    """How many pytest-xdist workers this run has (1 without xdist)."""
    try:
        return int(config.getoption("numprocesses", default=None) or 1)
    except (TypeError, ValueError):
        return 2  # "auto" or "logical": more than one on this machine


def chapter_budget(name):
    """The seconds chapter ``name`` (its file name) may take under nbval, in this run."""
    budget = SECONDS_FOR_CHAPTER.get(name, SECONDS_PER_CHAPTER)
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        return budget * SHARED_CORES
    return budget


def kernel_cpu_seconds(notebook):
    """The CPU seconds nbval's kernel for ``notebook`` (an nbval IPyNbFile) has used so far, or None."""
    try:
        import psutil

        process = psutil.Process(notebook.kernel.km.provisioner.pid)
        times = process.cpu_times()
    except Exception:  # no psutil, another kernel provisioner, the kernel gone: fall back to wall time
        return None
    return times.user + times.system + times.children_user + times.children_system


class ChapterTime(pytest.Item):
    """Placed after a chapter's last cell: fails if nbval's run of the chapter took too long.

    The chapter's time is the smaller of two: the wall time pytest measured for all the chapter's cells
    under nbval (set-up, call and tear-down, so the kernel's start-up, which happens in the first
    cell's set-up, counts), and the CPU time of the chapter's kernel. On a shared machine the wall time
    grows with other people's work while the CPU time does not; with threaded BLAS the CPU time can
    exceed the wall time. Either way the smaller one is the chapter's own cost.
    """

    def __init__(self, *, cells, timer, **kwargs):
        super().__init__(**kwargs)
        self.cells, self.timer = cells, timer

    def runtest(self):
        ran = [nodeid for nodeid in self.cells if nodeid in self.timer.ran]
        if len(ran) < len(self.cells):
            pytest.skip(f"only {len(ran)} of the chapter's {len(self.cells)} cells ran, so its time means nothing")
        wall = sum(self.timer.seconds[nodeid] for nodeid in self.cells)
        cpu = kernel_cpu_seconds(self.parent)
        seconds = wall if cpu is None else min(wall, cpu)
        self.timer.chapters[self.path.name] = seconds
        self.user_properties.append(("chapter seconds", seconds))  # for the summary, also from an xdist worker
        budget = chapter_budget(self.path.name)
        assert seconds < budget, (
            f"{self.path.name} took {seconds:.1f} s under nbval (kernel start and {len(self.cells)} cells; wall "
            f"time {wall:.1f} s, kernel CPU time {'unknown' if cpu is None else f'{cpu:.1f} s'}), over its budget "
            f"of {budget} s: find the slow cells with pytest --durations=20"
        )

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(AssertionError):  # the message says it all; pytest's frames would not
            return str(excinfo.value).splitlines()[0]
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: runs within {chapter_budget(self.path.name)} s"


class ChapterTimer:
    """A plugin (not a conftest hook, which would see only the items under tests/) that times nbval's cells.

    nbval already runs every chapter once in a fresh kernel; this reads the durations pytest records
    for those runs instead of executing every chapter a second time just to time it. It needs
    tests/ among the paths pytest collects (``make test`` has it), so that this file is loaded.
    """

    def __init__(self):
        self.cells = set()  # the node ids of nbval's cells
        self.seconds = collections.defaultdict(float)
        self.ran = set()
        self.chapters = {}  # chapter file name: seconds, for the summary at the end

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        chapters = collections.defaultdict(list)
        for index, item in enumerate(items):
            if type(item).__name__ == "IPyNbCell":
                chapters[item.parent].append(index)
        for chapter, indices in sorted(chapters.items(), key=lambda pair: -pair[1][-1]):
            if len(indices) < sum(cell.cell_type == "code" for cell in chapter.nb.cells):
                continue  # only some cells selected (-k, a node id): the chapter's time is not measured
            self.cells.update(items[i].nodeid for i in indices)
            check = ChapterTime.from_parent(
                chapter, name=f"runs within {chapter_budget(chapter.path.name)} s",
                cells=[items[i].nodeid for i in indices], timer=self,
            )
            items.insert(indices[-1] + 1, check)

    def pytest_runtest_logreport(self, report):
        for name, value in report.user_properties:
            if name == "chapter seconds":
                self.chapters[report.nodeid.split("::")[0].rsplit("/", 1)[-1]] = value
        if report.nodeid in self.cells:
            self.seconds[report.nodeid] += report.duration
            if report.when == "call":
                self.ran.add(report.nodeid)


    def pytest_terminal_summary(self, terminalreporter):
        if self.chapters:
            times = ", ".join(f"{name.removesuffix('.ipynb')} {seconds:.1f} s" for name, seconds in self.chapters.items())
            terminalreporter.write_line(
                f"chapters under nbval (budget {SECONDS_PER_CHAPTER} s each, "
                f"{', '.join(f'{n} {s} s' for n, s in SECONDS_FOR_CHAPTER.items())}"
                f"{f'; times {SHARED_CORES} beside another worker' if _workers(terminalreporter.config) > 1 else ''}"
                f"): {times}")


def _calls_browser_or_skip(function):
    try:
        return "browser_or_skip(" in inspect.getsource(function)
    except (OSError, TypeError):
        return False


def _drives_the_browser(item):
    """Whether a test needs Chromium: it asks for a browser fixture, or it or one of its fixtures calls
    ``browser_or_skip``."""
    names = set(getattr(item, "fixturenames", ()))
    if {"browser", "server", "site", "open_page"} & names:
        return True
    if _calls_browser_or_skip(getattr(item, "function", None)):
        return True
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(_calls_browser_or_skip(d.func) for name in names for d in definitions.get(name, ()))


def _skin_words():
    """The names that show a test builds an ipywidgets widget: every skin of mathnn.widgets, and ipywidgets itself."""
    from mathnn import widgets
    from mathnn.widgets._skin import Skin

    skins = {name for name, value in vars(widgets).items() if isinstance(value, type) and issubclass(value, Skin)}
    return skins | {"ipywidgets", "traitlets", "_skin."}


def _source(item):
    """The code of a test and of its fixtures (a doctest's examples), as far as it can be read."""
    dtest = getattr(item, "dtest", None)
    if dtest is not None:
        return "\n".join(example.source for example in dtest.examples)
    functions = [getattr(item, "function", None)]
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    functions += [d.func for name in getattr(item, "fixturenames", ()) for d in definitions.get(name, ())]
    texts = []
    for function in functions:
        try:
            texts.append(inspect.getsource(function))
        except (OSError, TypeError):
            pass
    return "\n".join(texts)


def mark_skin_tests(items):
    """Mark ``skin`` every widget test that builds an ipywidgets widget (its code names a skin or ipywidgets).

    ``make test`` runs these again under ipywidgets 7.7.1 (``-m skin``); the rest of the widget tests
    (pure functions, views, twins) do not touch ipywidgets, so a second run would test nothing new.
    """
    widget_items = [item for item in items if "widget" in item.path.name or "hostile" in item.path.name
                    or "widgets" in item.path.parts]
    if not widget_items:
        return
    words = _skin_words()
    for item in widget_items:
        if "without_ipywidgets" in item.name:  # runs with ipywidgets made unimportable: no version to test
            continue
        source = _source(item)
        if any(word in source for word in words):
            item.add_marker(pytest.mark.skin)


def pytest_collection_modifyitems(config, items):
    """Mark the skin tests; without Playwright, leave out (deselect) the tests that drive Chromium instead of
    skipping them.

    ``make test`` runs the skin tests a second time under ipywidgets 7 with no browser; the main run
    runs every browser test, so nothing is lost and nothing is skipped.
    """
    mark_skin_tests(items)
    if importlib.util.find_spec("playwright") is not None:
        return
    browser = [item for item in items if _drives_the_browser(item)]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]


def pytest_configure(config):
    expected = os.environ.get("MATHNN_IPYWIDGETS")  # make test's second pass names the version it put first
    if expected:
        import ipywidgets

        if ipywidgets.__version__ != expected:
            raise pytest.UsageError(f"this run should test ipywidgets {expected}, but {ipywidgets.__version__} "
                                    f"was imported from {ipywidgets.__file__}")
    if not config.pluginmanager.has_plugin("mathnn-chapter-timer"):
        config.pluginmanager.register(ChapterTimer(), "mathnn-chapter-timer")
