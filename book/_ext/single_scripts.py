"""Write each of a page's scripts once.

Jupyter Book registers the inline configuration scripts of sphinx-thebe and sphinx-togglebutton
twice (once with the file name None, once with ""), so every page declared ``const THEBE_JS_URL``
twice: a JavaScript error in the console of every reader. This extension drops the repeats when a
page is written.
"""


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
