"""Accessibility and small screens: every page of the built book, in headless Chromium.

* axe-core runs on every page at 1280 px in ``test_browser_book.py`` (one load per page
  for all its read-only checks); its colour-contrast rule leaves out code there, and
  the colours of code are checked here, on the few pages that show every token class;
* on a phone (390 x 844 CSS px) no page scrolls sideways as a whole: wide tables, code
  and display equations scroll inside their own box, and the errata and notation tables
  keep readable columns.

Screenshots at 390 px are saved under ``_build/test-artifacts/``.
"""

from __future__ import annotations

import re

import pytest
from book import HTML, PAGES
from browser import Watched, shot
from pagecheck import CODE, contrast, describe, typeset

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The back-matter pages whose tables are read cell by cell.
TABLE_PAGES = [p for p in PAGES if p.split("/")[-1] in ("errata.html", "notation.html")]


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


@pytest.fixture(scope="module", params=PAGES)
def phone(request, site, browser):
    """``(page_path, page)``: one page of the book at 390 × 844, loaded and typeset once
    for the read-only checks below."""
    watched = Watched(browser)
    watched.page.set_viewport_size(PHONE)
    watched.page.goto(f"{site}/{request.param}", wait_until="networkidle")
    typeset(watched.page)
    yield request.param, watched.page
    watched.close()


def test_phone_page_does_not_scroll_sideways(phone):
    page_path, page = phone
    shot(page, f"phone-{page_path}")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    # +1 px: sub-pixel layout rounds a width of 390.4 px up to a scrollWidth of 391.
    if width > inner + 1:
        culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && e.getClientRects().length)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right
                                                    > window.innerWidth + 1))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' +
                             [...e.classList].join('.') + ' right=' +
                             Math.round(e.getBoundingClientRect().right))""")
        pytest.fail(f"{page_path} is {width} px wide in a {inner} px window; "
                    f"widest elements: {culprits}")


def test_phone_tables_keep_readable_columns(phone):
    page_path, page = phone
    tables = page.locator("main table")
    if page_path in TABLE_PAGES:
        assert tables.count() >= 1, f"{page_path} has no table"
    report = tables.evaluate_all("""tables => tables.map(t => {
        const em = parseFloat(getComputedStyle(t).fontSize);
        const narrowest = Math.min(...[...t.querySelectorAll('th, td')]
            .map(c => c.getBoundingClientRect().width));
        // The table scrolls in its own box: an ancestor (or itself) that is narrower
        // than the table and lets it scroll horizontally.
        let box = t, scrolls = false;
        while (box && box !== document.body) {
            const o = getComputedStyle(box).overflowX;
            if ((o === 'auto' || o === 'scroll') && box.scrollWidth > box.clientWidth) {
                scrolls = true; break;
            }
            box = box.parentElement;
        }
        const fits = t.getBoundingClientRect().right <= window.innerWidth + 1;
        return {narrowestEm: +(narrowest / em).toFixed(2), fits, scrolls};
    })""")
    # 6em is about ten characters: a narrower column wraps its text a word or less a
    # line. 0.1em of slack for sub-pixel rounding.
    squeezed = [r for r in report if r["narrowestEm"] < 5.9]
    assert not squeezed, f"{page_path}: squeezed columns (narrowest cell in em): {squeezed}"
    spilled = [r for r in report if not (r["fits"] or r["scrolls"])]
    assert not spilled, f"{page_path}: a table runs off the screen without its own scroller"
