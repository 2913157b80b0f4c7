"""How long a built page takes to be ready to read: from the request to the page finished, math included.

Each page of the table of contents is served from this machine and opened in Chromium in a fresh
browser context (nothing cached). Two moments are read from the page's own clock, in milliseconds
since the request: ``DOMContentLoaded`` (the HTML is parsed, the text can be drawn) and the moment
the math is finished. The book ships its math typeset (``book/_ext/prerender_math.py``), so that is
the ``load`` event; a page built without Node.js still typesets in the browser, and then it is the
end of MathJax's first pass (``MathJax.startup.promise``). Their difference is what a page still
does after its text has arrived.

Needs the built book (``make book``) and Playwright with Chromium; ``run`` returns None without them.
"""

import contextlib
import functools
import http.server
import pathlib
import shutil
import statistics
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"

# Resolves with performance.now() once the page has loaded with its math finished (MathJax's pass, if it has one).
_TYPESET = """async () => {
  for (let waited = 0; waited < 30000; waited += 10) {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      await MathJax.startup.promise;
      return performance.now();
    }
    if (document.readyState === "complete" && !document.querySelector("script[src*='mathjax']")) {
      return performance.now();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("MathJax never finished typesetting");
}"""
_LOADED = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def chromium():
    """The path of the system's Chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def serve(folder):
    """Serve ``folder`` over HTTP on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages():
    """The built page of every entry of the table of contents, in its order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    return [f"{name}.html" for name in files if (HTML / f"{name}.html").exists()]


def run(repeats=3, paths=None):
    """Return {page: (median ms to DOMContentLoaded, median ms to ready with math)}, or None if it cannot run.

    The pages take turns, ``repeats`` rounds, after one uncounted round that warms the server and disk.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    paths = [path for path in (pages() if paths is None else paths) if (HTML / path).exists()]
    if not paths or chromium() is None:
        return None
    loaded = {path: [] for path in paths}
    typeset = {path: [] for path in paths}
    with serve(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            for round_ in range(repeats + 1):
                for path in paths:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.goto(base + path, wait_until="domcontentloaded")
                    done = page.evaluate(_TYPESET)
                    if round_:
                        loaded[path].append(page.evaluate(_LOADED))
                        typeset[path].append(done)
                    context.close()
        finally:
            browser.close()
    return {path: (statistics.median(loaded[path]), statistics.median(typeset[path])) for path in paths}


if __name__ == "__main__":
    results = run()
    if results is None:
        print("needs the built book (make book), Playwright and Chromium")
    else:
        for path, (ms_loaded, ms_typeset) in results.items():
            print(f"{path:<32} text {ms_loaded:6.0f} ms   ready with math {ms_typeset:6.0f} ms")
