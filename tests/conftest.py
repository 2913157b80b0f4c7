"""Fixtures shared by the site tests: one book build per run, a local web server, a browser."""

import functools
import http.server
import os
import threading

import pytest

from tests.site_build import HTML, build_book

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
    code, output = build_book()
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
