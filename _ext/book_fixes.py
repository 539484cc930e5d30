"""Local Sphinx fixes for the book's stack (Jupyter Book 1, Sphinx 7.4, sphinx-thebe 0.3).

sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL = ...``) from an
``env-before-read-docs`` handler; on Sphinx 7.4 a script added then is registered both
with the application and with the already-initialised builder, so every page declares
the same ``const`` twice and the browser logs "Identifier 'THEBE_JS_URL' has already been
declared". This extension drops exact duplicate scripts from each page.

pydata-sphinx-theme 0.17 fills ``navbar_persistent`` with a search field unless the
user sets it, and sphinx-book-theme 1.3 does not, so every page grew a second, empty
top bar holding a second search field (the sidebar has one). The book sets it empty.

Accessibility (checked by axe-core in ``tests/test_browser_pages.py``), fixed in the
written HTML once the build has finished:

* the primary sidebar of sphinx-book-theme 1.3 is a plain ``div``: the book's title in it
  is page content outside every landmark. It becomes a labelled ``complementary``
  landmark (the table-of-contents ``nav`` inside it keeps its own label);
* a Markdown table (an output's or the text's) with an empty header cell gives an empty
  ``th``: a header with nothing to announce. An empty header cell becomes a ``td``;
* a control whose label differs from the text it shows (axe-core 4.14's
  ``label-content-name-mismatch``; speech users say what they see): the theme's search
  button shows "Search Ctrl+K" but is labelled "Search", and myst-nb's toggles of hidden
  cells show "Show code cell source" but are labelled "Toggle hidden content". Their
  labels go, so their names are the text they show.
"""

from __future__ import annotations

import re
from pathlib import Path


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


_SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
_SIDEBAR_LANDMARK = ('<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" '
                     'role="complementary" aria-label="Book contents">')
# A header cell with no content but whitespace and empty paragraphs.
_EMPTY_TH = re.compile(r"<th\b([^>]*)>((?:\s|<p>\s*</p>)*)</th>")


_LABEL_NOT_SHOWN = (
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    (' title="Search" aria-label="Search"', ' title="Search"'),
)


def accessible_html(html: str) -> str:
    """The page's HTML with the fixes above (idempotent)."""
    html = html.replace(_SIDEBAR, _SIDEBAR_LANDMARK)
    for labelled, named_by_content in _LABEL_NOT_SHOWN:
        html = html.replace(labelled, named_by_content)
    return _EMPTY_TH.sub(r"<td\1></td>", html)


def _fix_written_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = accessible_html(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _no_second_search_bar)
    app.connect("build-finished", _fix_written_pages)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
