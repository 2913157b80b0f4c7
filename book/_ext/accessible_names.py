"""Give the theme's buttons accessible names that contain what they show.

WCAG 2.1 asks that a control's accessible name include its visible text ("label in name", 2.5.3),
so that a reader who speaks to the computer can say what they see. Three controls of the theme
break it (and the bibliography uses a deprecated role): the search button is named "Search" but shows "Search Ctrl+K", the colour-mode button's
icons carry their own titles ("Light", "Dark"), and the toggle of a hidden code cell is named
"Toggle hidden content" while it shows "Show code cell source". When the build has finished, this
extension rewrites those three in every page: the search button and the toggle are named by their
visible text, and the icons inside the colour-mode button are hidden from assistive technology
(the button keeps its name, "Color mode").
"""

import pathlib

REPLACEMENTS = (
    # The search field: drop aria-label, so the name is the visible "Search Ctrl+K".
    (
        'class="btn search-button-field search-button__button pst-js-only" title="Search" aria-label="Search"',
        'class="btn search-button-field search-button__button pst-js-only" title="Search"',
    ),
    # The colour-mode button's three icons: decoration inside a named button, without titles of their own.
    ('<i class="theme-switch fa-solid', '<i aria-hidden="true" class="theme-switch fa-solid'),
    ('data-mode="light" title="Light"', 'data-mode="light"'),
    ('data-mode="dark"  title="Dark"', 'data-mode="dark"'),
    ('data-mode="auto"  title="System Settings"', 'data-mode="auto"'),
    # A bibliography entry is an item of the list of citations (doc-biblioentry is a deprecated role).
    ('role="doc-biblioentry"', 'role="listitem"'),
    # A hidden cell's toggle: named by the text it shows.
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
)


def fix_page(text):
    """The page's HTML with the controls renamed."""
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def fix_site(folder):
    """Rewrite every HTML page under ``folder``; return how many changed."""
    changed = 0
    for page in pathlib.Path(folder).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed


def rewrite_built_pages(app, exception):
    if exception is None and app.builder.format == "html":
        fix_site(app.outdir)


def setup(app):
    app.connect("build-finished", rewrite_built_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
