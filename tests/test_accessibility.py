"""Every page of the built site passes an accessibility audit: no WCAG 2.0/2.1 A or AA violation.

The audit is axe-core (from the npm registry, pinned in package.json, installed by ``make test``),
injected into each page after its math is typeset, so that what it checks is what a reader gets:
colour contrast of text, names of controls (a button is named by what it shows), labels of the
explorers' inputs, alternative text of figures, the structure of lists and headings.

A chapter draws its sections only when they near the screen (``content-visibility: auto``,
``book/_ext/lazy_sections.py``); the audit draws them all first, since a section the browser has not
drawn has no colours or stacking to check (axe would read the placeholder layout and report
backgrounds of boxes that are not there). A reader sees each section drawn.
"""

import pathlib

import pytest

from tests.site_build import toc_pages

AXE = pathlib.Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DRAW_EVERY_SECTION = ".bd-article > section > section { content-visibility: visible !important; }"

AUDIT = """async (tags) => {
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    rule: v.id, help: v.help,
    where: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n')[1]),
  }));
}"""


@pytest.fixture(scope="module")
def axe_source():
    assert AXE.exists(), f"axe-core is missing at {AXE}: run `npm ci` (make test does it)"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.mark.parametrize("path", toc_pages())
def test_no_wcag_a_or_aa_violation(server, context, axe_source, path):
    page = context.new_page()
    page.goto(f"{server}/{path}", wait_until="load")
    page.add_style_tag(content=DRAW_EVERY_SECTION)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(AUDIT, RULES)
    page.close()
    assert not violations, f"{path}: " + "; ".join(f"{v['rule']} ({v['help']}) at {v['where']}" for v in violations)


def test_the_audit_finds_a_violation_when_there_is_one(server, context, axe_source):
    """The audit is not a rubber stamp: grey text on white and an unnamed button are caught."""
    page = context.new_page()
    page.goto(f"{server}/{toc_pages()[0]}", wait_until="load")
    page.evaluate("""() => {
      const p = document.createElement('p'); p.textContent = 'pale'; p.style.color = '#bbbbbb';
      const b = document.createElement('button'); b.innerHTML = '<svg width="10" height="10"></svg>';
      document.querySelector('main').prepend(p, b);
    }""")
    page.add_script_tag(content=axe_source)
    rules = {v["rule"] for v in page.evaluate(AUDIT, RULES)}
    page.close()
    assert {"color-contrast", "button-name"} <= rules
