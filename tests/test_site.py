"""The built site: builds with warnings as errors, is self-contained, ships its math typeset, and has no broken link."""

import html.parser
import importlib.util
import pathlib
import re
import subprocess
import types
import urllib.parse

import pytest

from tests.site_build import pages

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "book" / "_ext" / "prerender_math.js"

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


def test_math_ships_typeset_and_no_page_loads_mathjax(site):
    """Every formula of every page is finished CommonHTML; no page asks the reader's browser to typeset."""
    for page in pages():
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(site)
        assert not [url for url in parse(page).loads if "mathjax/" in url.lower() and url.endswith(".js")], name
        assert "MathJax = " not in text, name
        formulas = re.findall(r'<(span|div) class="[^"]*\bmath notranslate nohighlight"[^>]*>(.*?)</\1>', text, re.S)
        raw = [body[:80] for _, body in formulas if "<mjx-container" not in body]
        assert not raw, f"{name}: formulas left as TeX: {raw[:3]}"
        if formulas:
            assert 'id="MJX-CHTML-styles"' in text, name
            fonts = re.findall(r'url\("?([^")]*MathJax_Main-Regular\.woff)', text)
            assert fonts and (page.parent / fonts[0]).resolve().exists(), f"{name}: math fonts {fonts[:1]}"


def test_no_page_carries_the_widget_state_nothing_reads(site):
    for page in pages():
        assert "application/vnd.jupyter.widget-state+json" not in page.read_text(encoding="utf-8"), page


def test_a_tex_error_stops_the_math_with_the_page_and_the_formula_named(tmp_path):
    """prerender_math.js fails on a formula MathJax cannot read, where a browser would show it in red."""
    page = tmp_path / "page.html"
    page.write_text('<html><head></head><body><span class="math notranslate nohighlight">\\(\\frac{a}{b}\\)</span>'
                    '<span class="math notranslate nohighlight">\\(\\fracc{a}{b}\\)</span></body></html>')
    result = subprocess.run(["node", str(SCRIPT), str(tmp_path), str(page)], capture_output=True, text=True)
    assert result.returncode == 1
    assert str(page) in result.stderr and "\\fracc{a}{b}" in result.stderr and "Undefined control sequence" in result.stderr
    assert "\\fracc" in page.read_text(), "a failed page is left as it was"
    page.write_text(page.read_text().replace("\\fracc", "\\frac"))
    result = subprocess.run(["node", str(SCRIPT), str(tmp_path), str(page)], capture_output=True, text=True)
    assert result.returncode == 0 and "2 formulas typeset in 1 of 1 pages" in result.stdout
    typeset = page.read_text()
    assert typeset.count("<mjx-container") == 2 and "<mjx-assistive-mml" in typeset and "<mfrac>" in typeset
    again = subprocess.run(["node", str(SCRIPT), str(tmp_path), str(page)], capture_output=True, text=True)
    assert again.returncode == 0 and page.read_text() == typeset, "a page typeset before is left alone"
    assert "0 formulas typeset in 0 of 1 pages" in again.stdout


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


def test_sections_are_drawn_lazily_and_the_theme_s_pass_over_scrollables_is_off(site):
    """lazy_sections.py: the theme no longer reads every block's size on load; scrollables.js does it per section."""
    theme = (site / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text(encoding="utf-8")
    assert theme.count("mathnn: scrollables.js does this per section") == 1
    assert 'window.addEventListener("load",I)' not in theme
    assert "content-visibility: auto" in (site / "_static" / "mathnn.css").read_text(encoding="utf-8")
    for name in pages():
        if "bd-article" in name.read_text(encoding="utf-8"):  # every page of the book (not the root's redirect)
            assert [url for url in parse(name).loads if "scrollables.js" in url], name


def test_an_unknown_theme_script_stops_the_build(tmp_path):
    path = pathlib.Path(__file__).resolve().parent.parent / "book" / "_ext" / "lazy_sections.py"
    spec = importlib.util.spec_from_file_location("lazy_sections", path)
    lazy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lazy)
    script = tmp_path / lazy.THEME_SCRIPT
    script.parent.mkdir(parents=True)
    app = types.SimpleNamespace(outdir=str(tmp_path), builder=types.SimpleNamespace(format="html"))
    script.write_text('function I(){const e=()=>{document.querySelectorAll(["pre",".x"])}}'
                      '"complete"===document.readyState?I():window.addEventListener("load",I)', encoding="utf-8")
    lazy.turn_off_the_theme_s_pass(app, None)
    assert "I()" not in script.read_text(encoding="utf-8").split("}}", 1)[1]
    lazy.turn_off_the_theme_s_pass(app, None)  # a second build finds it done and leaves it
    script.write_text("function I(){}", encoding="utf-8")
    with pytest.raises(RuntimeError, match="pass over scrollable blocks is not where"):
        lazy.turn_off_the_theme_s_pass(app, None)


def test_the_theme_s_icons_ship_drawn_and_no_page_loads_font_awesome(site):
    """prerender_icons.py: every icon is an <svg> in the page; Font Awesome's 1.5 MB script is left out."""
    assert (site / "_static" / "fontawesome-icons.css").is_file()
    for name in pages():
        text = name.read_text(encoding="utf-8")
        if "bd-article" not in text:
            continue
        loads = parse(name).loads
        assert not [url for url in loads if "fontawesome.js" in url], name
        assert [url for url in loads if "fontawesome-icons.css" in url], name
        assert 'class="svg-inline--fa fa-github"' in text, name
        undrawn = re.findall(r'<(?:i|span)\b[^>]*class="[^"]*\b(?:fa-solid|fa-brands|fa-regular|fas|fab|far)\b', text)
        assert not undrawn, f"{name}: {undrawn[:3]}"
