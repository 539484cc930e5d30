"""Local Sphinx fixes for the book's stack (Jupyter Book 1, Sphinx 7.4, sphinx-thebe 0.3).

sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL = ...``) from an
``env-before-read-docs`` handler; on Sphinx 7.4 a script added then is registered both
with the application and with the already-initialised builder, so every page declares
the same ``const`` twice and the browser logs "Identifier 'THEBE_JS_URL' has already been
declared". This extension drops exact duplicate scripts from each page.

pydata-sphinx-theme 0.17 fills ``navbar_persistent`` with a search field unless the
user sets it, and sphinx-book-theme 1.3 does not, so every page grew a second, empty
top bar holding a second search field (the sidebar has one). The book sets it empty.
"""

from __future__ import annotations


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    seen: set[tuple] = set()
    unique = []
    for script in context.get("script_files", []):
        # Inline scripts come once with filename None and once with "": same script.
        name = getattr(script, "filename", script) or ""
        key = (str(name), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


def _no_second_search_bar(app, config) -> None:
    config.html_theme_options.setdefault("navbar_persistent", [])


def setup(app):
    app.connect("config-inited", _no_second_search_bar)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
