"""The built site: builds with warnings as errors, is self-contained, and has no broken internal link."""

import html.parser
import urllib.parse

from tests.site_build import pages

# A chapter page with its stored outputs and explorers stays under this many bytes (HTML only;
# images are embedded as data URIs, so this is what a reader downloads for the page).
PAGE_BUDGET = 4_000_000


class Links(html.parser.HTMLParser):
    """Collects the resources a page loads (script, link, img, iframe, source) and the links it shows."""

    def __init__(self):
        super().__init__()
        self.loads, self.anchors = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.anchors.append(attrs["href"])


def parse(page):
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_book_builds_with_warnings_as_errors(site):
    assert (site / "index.html").exists()
    assert (site / "book" / "notation.html").exists()


def test_no_page_loads_anything_from_another_host(site):
    for page in pages():
        remote = [url for url in parse(page).loads if urllib.parse.urlparse(url).scheme in ("http", "https") or url.startswith("//")]
        assert not remote, f"{page.relative_to(site)} loads {remote}"


def test_mathjax_is_served_from_the_site_itself(site):
    text = (site / "book" / "notation.html").read_text(encoding="utf-8")
    scripts = [url for url in parse(site / "book" / "notation.html").loads if "mathjax" in url.lower()]
    assert scripts and all(not url.startswith("http") for url in scripts), scripts
    assert "cdn.jsdelivr" not in text.split("<body")[0]
    local = (site / "book" / scripts[0].split("?")[0]).resolve()
    assert local.exists(), local


def test_every_internal_link_resolves(site):
    broken = []
    for page in pages():
        for href in parse(page).anchors:
            parts = urllib.parse.urlparse(href)
            if parts.scheme or href.startswith(("#", "mailto:", "//")):
                continue
            target = (page.parent / urllib.parse.unquote(parts.path)).resolve()
            if parts.path and not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken, "\n".join(broken)


def test_every_page_stays_within_its_size_budget(site):
    sizes = {str(page.relative_to(site)): page.stat().st_size for page in pages()}
    report = "\n".join(f"{size / 1e3:9.1f} kB  {name}" for name, size in sorted(sizes.items()))
    (site.parent / "page-sizes.txt").write_text(f"budget per page: {PAGE_BUDGET / 1e6:.1f} MB\n{report}\n")
    print(report)
    too_big = {name: size for name, size in sizes.items() if size > PAGE_BUDGET}
    assert not too_big, too_big
