"""The built site in a real browser with the network closed: loads clean, math typeset, explorers alive.

Two checks here read the built HTML alone, beside the browser tests of the same pages: the checkers'
site notes and the ledger's anchors.

With ``MATHNN_SCREENSHOTS=1`` set, a full-page screenshot of every page lands in
``_build/screenshots/`` for a human to review (it costs about a minute, so the test run leaves it out
unless asked).
"""

import html.parser
import os
import re
import urllib.parse

import pytest

from tests.site_build import HTML, ROOT, chapters_holding, toc_pages

SCREENSHOTS = HTML.parent / "screenshots"
PAGES = ["index.html", *toc_pages()]

# The text a reader sees, without code, scripts and typeset math: raw TeX must not appear there.
VISIBLE_PROSE = """() => {
  const body = document.querySelector('main') || document.body;
  const copy = body.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .output').forEach(e => e.remove());
  return copy.innerText;
}"""


@pytest.fixture(scope="module")
def open_page(server, browser):
    """Open a page of the site; return the page, the requests it made and its console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def open_(path):
        page = context.new_page()
        requests, errors = [], []
        page.on("request", lambda request: requests.append(request.url))
        # A failed load is reported by its address (the console's message names none). Chromium asks
        # for /favicon.ico on its own, whatever the page links to; that request is not the page's.
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
                if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        # "load": the whole page parsed and run (a long page can sit quiet on the network while it is still
        # being parsed, so "networkidle" alone may come first); then nothing more in flight.
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        return page, requests, errors

    yield open_
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_clean_with_its_math_typeset(open_page, server, path):
    """Each page, opened once: nothing from other hosts, no console error, its math typeset, no raw TeX."""
    page, requests, errors = open_page(path)
    own = urllib.parse.urlparse(server).netloc
    elsewhere = [url for url in requests if urllib.parse.urlparse(url).netloc not in (own, "") and not url.startswith("data:")]
    assert not elsewhere, f"{path} asked other hosts for {elsewhere}"
    assert not errors, f"{path} logged console errors: {errors}"
    if page.locator(".math").count() > 0:
        page.wait_for_selector("mjx-container", state="attached", timeout=20_000)
        assert page.locator("mjx-container").count() >= page.locator(".math").count() * 0.9
    prose = page.evaluate(VISIBLE_PROSE)
    for raw in ("\\frac", "\\begin{", "$$", "\\partial"):
        assert raw not in prose, f"{path} shows raw TeX {raw!r}"
    if os.environ.get("MATHNN_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / path.replace("/", "__").replace(".html", ".png")), full_page=True)
    page.close()


SHAPE_PAGES = chapters_holding('id=\\"mathnn-shapes-')


def test_there_is_something_to_click():
    # Every twin in the book computes in the page or paints shipped numbers (the debugger's steps), so
    # every build has computing twins and shape explorers to move; no chapter uses precomputed frames.
    assert SHAPE_PAGES and TWIN_PAGES


@pytest.mark.parametrize("path", SHAPE_PAGES)
def test_every_shape_explorer_recomputes_its_table(open_page, path):
    page, _, errors = open_page(path)
    explorers = page.locator(".mathnn-shapes")
    assert explorers.count() > 0
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        table = explorer.locator("[id$='-table']")
        before = table.inner_text()
        explorer.locator("input[type=text]").fill("3, 7, 2")
        explorer.locator("input[type=text]").dispatch_event("input")
        explorer.locator("input[type=text]").dispatch_event("change")
        assert table.inner_text() != before, f"shape explorer {i} on {path} did not recompute"
        assert "(7, 3)" in table.inner_text()
        explorer.locator("input[type=text]").fill("3, x")
        explorer.locator("input[type=text]").dispatch_event("input")
        explorer.locator("input[type=text]").dispatch_event("change")
        assert explorer.locator("[id$='-error']").inner_text().strip(), "a bad size showed no error"
    assert not errors
    page.close()


# twins that compute in the page expose their numbers; a chapter not yet in the table of contents is not built
TWIN_PAGES = [path for path in chapters_holding("mathnnState") if path in PAGES]

TWINS = """() => [...document.querySelectorAll('[id]')]
  .filter(e => typeof e.mathnnState === 'function').map(e => e.id)"""


def _state(page, element_id):
    return page.evaluate("id => JSON.stringify(document.getElementById(id).mathnnState())", element_id)


@pytest.mark.parametrize("path", TWIN_PAGES)
def test_every_twin_that_computes_in_the_page_responds_to_each_control(open_page, path):
    """On the built page, each control of each computing twin changes the numbers the twin shows."""
    page, _, errors = open_page(path)
    twins = page.evaluate(TWINS)
    assert twins, f"{path} holds a twin's code but no element exposes mathnnState()"
    for element_id in twins:
        twin = page.locator(f"#{element_id}")
        twin.scroll_into_view_if_needed()
        controls = twin.locator("input[type=range], select")
        assert controls.count() > 0, f"twin {element_id} on {path} has no controls"
        for k in range(controls.count()):
            control = controls.nth(k)
            before = _state(page, element_id)
            if control.evaluate("e => e.tagName") == "SELECT":
                options = control.locator("option").count()
                index = control.evaluate("e => e.selectedIndex")
                control.select_option(index=(index + 1) % options)
            else:
                low, high, value = (float(control.get_attribute(a) or v) for a, v in
                                    (("min", 0), ("max", 100), ("value", 50)))
                control.fill(str(low if value > (low + high) / 2 else high))
                control.dispatch_event("input")
            assert _state(page, element_id) != before, f"control {k} of twin {element_id} on {path} changed nothing"
    assert not errors, errors
    page.close()


def test_there_are_twins_that_compute_in_the_page():
    assert len(TWIN_PAGES) >= 2


# --- checkers on the site, and the equation ledger ---------------------------------------------------

# Every chapter with exercises stores its stubs' answers (chapters in the table of contents are built).
CHECKER_PAGES = [path for path in chapters_holding("not attempted yet") if path in PAGES]


NOTE = "The checker runs in the notebook: open this chapter in JupyterLab, Binder or Colab."


class CellOutputs(html.parser.HTMLParser):
    """The text of each cell output (``div.cell_output``) of a page, as a list of strings."""

    def __init__(self):
        super().__init__()
        self.outputs, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        if self.depth:
            self.depth += 1
        elif "cell_output" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.outputs.append("")

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.outputs[-1] += data


@pytest.mark.parametrize("path", CHECKER_PAGES)
def test_checkers_say_they_run_in_the_notebook(site, path):
    """A stored "not attempted yet" means nothing on a page that cannot run: the site says where checkers run."""
    text = (HTML / path).read_text(encoding="utf-8")
    parser = CellOutputs()
    parser.feed(text)
    assert parser.outputs, path
    assert not [out for out in parser.outputs if "not attempted yet" in out], f"{path} still shows 'not attempted yet'"
    notes = re.findall(r'<div class="mathnn-checker-note"[^>]*><b>([^<]*)</b><br>([^<]*)</div>', text)
    assert notes and len(notes) == text.count('class="mathnn-checker-note"')
    for name, note in notes:
        assert name.strip() and note == NOTE  # the checker's name stays, and where it runs is said


LEDGER_LINKS = """() => [...document.querySelectorAll('table.mathnn-ledger a')].map(a => a.getAttribute('href'))"""


def test_the_ledger_lists_every_equation_and_every_link_lands(open_page):
    import sys

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import ledger

    book = ledger.read_ledger(ROOT)
    page, _, errors = open_page("book/ledger.html")
    assert page.locator("table.mathnn-ledger tbody tr").count() == len(book.equations)
    assert page.locator("table.mathnn-ledger mjx-container").count() == len(book.equations)  # formulas typeset
    links = page.evaluate(LEDGER_LINKS)
    assert len(links) == len(book.equations) + sum(len(eq.verified) for eq in book.equations)
    targets = {}
    for href in links:
        target, anchor = href.split("#")
        targets.setdefault(target, set()).add(anchor)
    assert not errors
    page.close()
    for target, anchors in targets.items():  # the anchors, read from the built chapters' HTML
        ids = set(re.findall(r'\bid="([^"]+)"', (HTML / "book" / target).read_text(encoding="utf-8")))
        assert anchors <= ids, f"{target} lacks {sorted(anchors - ids)}"


CAPSTONE = "book/07_capstone.html"


def test_the_capstone_animation_plays_with_the_network_off(server, browser):
    """Chapter 7's training movie: its buttons show, Play runs the frames and Pause stops them, offline."""
    own = urllib.parse.urlparse(server).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere, errors = [], []

    def only_the_site(route):
        if urllib.parse.urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/{CAPSTONE}", wait_until="load")
    context.set_offline(True)  # from here on nothing can be fetched at all: the player has everything
    movie = page.locator(".mathnn-movie")
    assert movie.count() == 1
    movie.scroll_into_view_if_needed()
    element_id = movie.get_attribute("id")

    def state():
        return page.evaluate("id => document.getElementById(id).mathnnState()", element_id)

    for name in ("Play", "Step", "Reset"):
        button = movie.locator("button", has_text=name)
        assert button.is_visible() and button.bounding_box()["width"] > 30, f"the {name} button does not show"
    assert state()["frame"] == 0 and state()["frames"] >= 20
    canvas = movie.locator("canvas")
    first = canvas.screenshot()
    movie.locator("button", has_text="Play").click()
    page.wait_for_function("id => document.getElementById(id).mathnnState().frame >= 4", arg=element_id,
                           timeout=15_000)
    assert state()["playing"] and "Pause" in movie.locator("button[id$='-play']").inner_text()
    movie.locator("button[id$='-play']").click()
    paused = state()["frame"]
    page.wait_for_timeout(800)
    assert state()["frame"] == paused and not state()["playing"]
    assert canvas.screenshot() != first, "the picture did not change while playing"
    movie.locator("button", has_text="Step").click()
    assert state()["frame"] == paused + 1
    movie.locator("button", has_text="Reset").click()
    assert state()["frame"] == 0 and canvas.screenshot() == first
    assert not elsewhere, f"the page asked other hosts for {elsewhere}"
    assert not errors, errors
    context.close()


BLOCK_FOCUS = """() => [...document.querySelectorAll(
    "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container")]
  .map(e => [e.getAttribute("tabindex"), e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight])"""


# Brings each lazily drawn section to the screen in turn, as a reader scrolling through, and waits for it to be drawn.
DRAW_EACH_SECTION = """async () => {
  for (const section of document.querySelectorAll(".bd-article > section > section")) {
    section.scrollIntoView();
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}"""


def test_scrollable_blocks_take_the_focus_section_by_section(open_page):
    """scrollables.js: before its section is drawn a block is focusable; once drawn, only if it scrolls (the theme's rule)."""
    page, _, errors = open_page("book/05_backprop.html")
    blocks = page.evaluate(BLOCK_FOCUS)
    assert len(blocks) > 50 and all(focus in ("0", "-1") for focus, _ in blocks)
    assert all(focus == "0" for focus, scrolls in blocks if scrolls), "a block that scrolls cannot take the focus"
    assert [focus for focus, _ in blocks].count("-1") < len(blocks) / 2  # most sections are not drawn yet
    page.evaluate(DRAW_EACH_SECTION)
    blocks = page.evaluate(BLOCK_FOCUS)
    assert [focus for focus, _ in blocks] == ["0" if scrolls else "-1" for _, scrolls in blocks]
    assert not errors
    page.close()
