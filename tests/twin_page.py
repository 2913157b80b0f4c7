"""A site twin alone in Chromium: its HTML in a temporary page served on 127.0.0.1, and what it did there.

The widget tests use this to hold a twin computed in the page to the Python it mirrors: set its
controls as a reader would (``input`` and ``change`` events), read the numbers it exposes through
``element.mathnnState()``, and watch its canvas repaint.
"""

import contextlib
import functools
import http.server
import statistics
import tempfile
import threading
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import QuietHandler

WIDTH = 760  # about the width of the book's text column

SET_CONTROL = """([selector, value]) => {
  const control = document.querySelector(selector);
  control.value = String(value);
  control.dispatchEvent(new Event("input", {bubbles: true}));
  control.dispatchEvent(new Event("change", {bubbles: true}));
  return control.value;
}"""

# Time from an input event to the end of its handler (the twin computes and draws synchronously),
# and to the end of the next frame (rAF, then a task: the frame holding the new drawing is done).
# A reader's input comes at any moment of a frame: the k-th input comes (7k mod 16) ms into one.
INPUT_TO_PAINT = """async ([selector, values]) => {
  const control = document.querySelector(selector), work = [], frame = [];
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, (7 * k) % 16)));
    control.value = String(value);
    const start = performance.now();
    control.dispatchEvent(new Event("input", {bubbles: true}));
    work.push(performance.now() - start);
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    frame.push(performance.now() - start);
  }
  return [work, frame];
}"""


class TwinPage:
    """A page holding twins, with the URLs it requested and the errors it logged."""

    def __init__(self, page, origin):
        self.page, self.origin = page, origin
        self.requests, self.errors = [], []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def elsewhere(self):
        """Requests to any host but the page's own."""
        own = urllib.parse.urlparse(self.origin).netloc
        return [url for url in self.requests
                if not url.startswith("data:") and urllib.parse.urlparse(url).netloc != own]

    def set(self, twin, control, value):
        """Set the control ``#<id>-<control>`` of ``twin`` to ``value`` as a reader would; returns its value."""
        return self.page.evaluate(SET_CONTROL, [f"#{twin.id}-{control}", value])

    def click(self, twin, control):
        self.page.click(f"#{twin.id}-{control}")

    def state(self, twin):
        """The numbers the twin exposes: ``element.mathnnState()``."""
        return self.page.evaluate("id => document.getElementById(id).mathnnState()", twin.id)

    def text(self, twin, part):
        return self.page.locator(f"#{twin.id}-{part}").text_content()

    def pixels(self, twin):
        """The twin's canvas as a PNG data URL: it differs when anything drawn differs."""
        return self.page.evaluate("id => document.getElementById(id + '-canvas').toDataURL()", twin.id)

    def input_to_paint(self, twin, control, values):
        """Milliseconds from each input to the end of its drawing, and to the next frame: medians."""
        work, frame = self.page.evaluate(INPUT_TO_PAINT, [f"#{twin.id}-{control}", list(values)])
        return statistics.median(work), statistics.median(frame)


def browser_or_skip(request):
    """The session's Chromium, or a skip where Playwright is not installed.

    ``make test`` runs the widget tests a second time in a small venv with ipywidgets 7 and no
    browser; there the twins' browser tests have nothing to run in. The main venv runs them.
    """
    pytest.importorskip("playwright.sync_api", reason="this venv has no Playwright; the main venv runs the twins")
    return request.getfixturevalue("browser")


@contextlib.contextmanager
def twin_page(browser, *twins, width=WIDTH):
    """Serve a page holding ``twins`` and open it in ``browser``; yields a :class:`TwinPage`."""
    with tempfile.TemporaryDirectory() as folder:
        body = "\n".join(twin.html for twin in twins)
        Path(folder, "index.html").write_text(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>twins</title>'
            '<link rel="icon" href="data:,"></head>\n'
            f'<body style="margin:0 auto;max-width:{width}px">\n{body}\n</body></html>\n',
            encoding="utf-8",
        )
        handler = functools.partial(QuietHandler, directory=folder)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        context = browser.new_context(viewport={"width": width + 40, "height": 1000})
        try:
            page = TwinPage(context.new_page(), origin)
            page.page.goto(f"{origin}/index.html", wait_until="load")
            yield page
        finally:
            context.close()
            httpd.shutdown()
            httpd.server_close()
