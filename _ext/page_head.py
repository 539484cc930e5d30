"""What the head of every page makes a phone wait for, trimmed once the build has finished.

* **Scripts deferred.** Sphinx and the theme put about a dozen ``<script src>`` tags in
  the head, each of which stops the page from showing until it has arrived and run (on
  simulated slow 4G: the page stayed blank for 3.7 s). Every one of them gets ``defer``:
  they still run in the order written, before ``DOMContentLoaded``, where they all start
  their work. ``documentation_options.js`` stays as it is, because the inline scripts
  after it set fields of its ``DOCUMENTATION_OPTIONS`` at once.
* **A description.** Search engines (and Lighthouse's SEO audit) want a
  ``<meta name="description">``: the page's first paragraph of a line or more, cut at a
  word to 160 characters.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

_HEAD_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:defer|async)\b)([^>]*\bsrc=\"[^\"]+\"[^>]*)>")
_ARTICLE = re.compile(r'<article\b.*', re.S)
_PARAGRAPH = re.compile(r'<p>(.*?)</p>', re.S)
DESCRIPTION_LENGTH = 160


def _defer(match: re.Match) -> str:
    if "documentation_options.js" in match.group(1):
        return match.group(0)
    return f"<script defer{match.group(1)}>"


def description(page_html: str) -> str | None:
    """The text of the page's first paragraph of at least a line (a box's "After this
    chapter you can" is not one), at most 160 characters, cut at a word."""
    article = _ARTICLE.search(page_html)
    texts = (" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", p)).split())
             for p in _PARAGRAPH.findall(article.group(0) if article else ""))
    text = next((t for t in texts if len(t) >= 60), None)
    if text is None:
        return None
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text or None


def light_head(page_html: str) -> str:
    """``page_html`` with its head's scripts deferred and a description (idempotent)."""
    end = page_html.find("</head>")
    if end < 0:
        return page_html
    head, rest = page_html[:end], page_html[end:]
    head = _HEAD_SCRIPT.sub(_defer, head)
    text = description(page_html)
    if text and '<meta name="description"' not in head:
        head += f'<meta name="description" content="{html_lib.escape(text)}" />\n'
    return head + rest


def _write(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        if "_static" in page.relative_to(app.outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = light_head(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
