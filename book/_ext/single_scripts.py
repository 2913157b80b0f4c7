"""Write each of a page's scripts once, and none that nothing reads.

Jupyter Book registers the inline configuration scripts of sphinx-thebe and sphinx-togglebutton
twice (once with the file name None, once with ""), so every page declared ``const THEBE_JS_URL``
twice: a JavaScript error in the console of every reader. This extension drops the repeats when a
page is written. It also drops the widget state myst-nb copies from a notebook into its page (up to
250 kB of JSON per chapter): only the ipywidgets manager reads it, and the site loads none
(``nb_ipywidgets_js`` is empty in ``_config.yml``; each live widget has a twin that needs no kernel).
"""

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        if getattr(script, "attributes", {}).get("type") == WIDGET_STATE:
            continue
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
