"""Draw a chapter's sections only when they come near the screen, and keep its scrollable blocks focusable.

A chapter page holds tens of thousands of elements (most of them typeset math), and laying all of them
out before the first screen is what a reader waited for. ``book/_static/mathnn.css`` gives each
section of a page (``.bd-article > section > section``) ``content-visibility: auto``: the browser lays
out and paints a section when it nears the viewport.

pydata-sphinx-theme, on the page's ``load`` event, reads the size of every code block and output to
make the scrollable ones focusable (``tabindex=0``, so that a keyboard can scroll them; WCAG 2.1.1).
Those reads would lay out every section at once, undoing the above; so this extension turns that pass
off in the theme's script, and ``book/_static/scrollables.js`` does the same for each section as it is
first drawn. The theme's script is minified: if its pass is not found where it is expected (another
theme version), the build stops and says so, rather than shipping pages with the pass done twice or
not at all.
"""

import pathlib
import re

THEME_SCRIPT = pathlib.Path("_static", "scripts", "pydata-sphinx-theme.js")
# The function that sets tabindex on scrollables, and the call that runs it on load.
PASS = re.compile(r'function (\w+)\(\)\{const \w+=\(\)=>\{document\.querySelectorAll\(\["pre",')
CALL = '"complete"===document.readyState?{0}():window.addEventListener("load",{0})'


def turn_off_the_theme_s_pass(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    path = pathlib.Path(app.outdir, THEME_SCRIPT)
    text = path.read_text(encoding="utf-8")
    if "mathnn: scrollables.js" in text:
        return
    found = PASS.findall(text)
    call = CALL.format(found[0]) if len(found) == 1 else None
    if call is None or text.count(call) != 1:
        raise RuntimeError(
            f"{path}: the theme's pass over scrollable blocks is not where book/_ext/lazy_sections.py expects it "
            "(a new pydata-sphinx-theme?); update the extension, or drop it and the content-visibility rule "
            "of mathnn.css."
        )
    path.write_text(text.replace(call, "void 0/* mathnn: scrollables.js does this per section */"),
                    encoding="utf-8")


def setup(app):
    app.add_js_file("scrollables.js")  # in <head>, before any section: it must hear every section's first drawing
    app.connect("build-finished", turn_off_the_theme_s_pass)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
