"""The colours of syntax-highlighted code, in headless Chromium.

axe-core runs on every page at 1280 px in ``test_browser_pages.py`` (one load per page
for all its read-only checks); its colour-contrast rule leaves out code there, and the
colours of code are checked here, on the few pages that show every token class. The
phone-width checks are in ``test_browser_phone.py``.
"""

from __future__ import annotations

import re

import pytest
from book import HTML, PAGES
from pagecheck import CODE, contrast, describe

pytestmark = pytest.mark.browser


def token_classes(page_path: str) -> set[str]:
    """The Pygments token classes (``k``, ``nf``, ``s2``, ...) in a built page's code."""
    html = (HTML / page_path).read_text(encoding="utf-8")
    code = "".join(re.findall(r'<div class="highlight[^"]*"><pre>(.*?)</pre>', html, re.S))
    return set(re.findall(r'<span class="([^"]+)"', code))


def code_contrast_pages() -> list[str]:
    """Few pages whose code holds every token class used anywhere in the book (greedy)."""
    left = set().union(*(token_classes(p) for p in PAGES if (HTML / p).exists()))
    chosen = []
    while left:
        best = max(PAGES, key=lambda p: len(token_classes(p) & left))
        chosen.append(best)
        left -= token_classes(best)
    return chosen


@pytest.mark.parametrize("page_path", code_contrast_pages() if HTML.exists() else [])
def test_highlighted_code_has_enough_contrast(site, watched, page_path):
    """The syntax colours of code, on pages that between them show every token class the
    book's code uses (the per-page run leaves code out)."""
    page = watched.page
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    violations = contrast(page, {"include": [[CODE]]})
    assert not violations, f"{page_path}: code colours, axe-core:\n{describe(violations)}"
