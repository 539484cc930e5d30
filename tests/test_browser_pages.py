"""Every page of the built book in headless Chromium at 1280 px, loaded once for all its
read-only checks: offline and without console errors, math typeset (at build time) and no raw TeX,
figures there with alt text, axe-core clean (the colours of code on the few pages that
show every token class: ``pagecheck``), tables within the column.

``make test`` builds the book (``jupyter-book build -W``) before running these tests;
screenshots are saved under ``_build/test-artifacts/``. The same pages at phone width:
``test_browser_phone.py``.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlparse

import pytest
from book import CHAPTER_PAGES, HTML, PAGES
from browser import Watched, shot
from pagecheck import VISIBLE_TEXT_JS, describe, raw_tex_snippets, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=PAGES)
def desktop(request, site, browser):
    """``(page_path, Watched)``: one page of the book at 1280 × 900, loaded offline:
    pytest runs every test that uses it on one page before loading the next."""
    page_path = request.param
    assert (HTML / page_path).exists(), f"{page_path} was not built"
    watched = Watched(browser)
    watched.page.goto(f"{site}/{page_path}", wait_until="networkidle")
    yield page_path, watched
    watched.close()


def test_page_loads_offline_without_console_errors(desktop):
    page_path, watched = desktop
    shot(watched.page, page_path)
    assert watched.page.locator("main h1").count() >= 1, "the page has no title"
    icon = watched.page.locator("link[rel='icon']").get_attribute("href")
    assert icon and not urlparse(icon).netloc, f"the tab's icon is {icon!r}, not the book's"
    assert watched.page.request.get(urljoin(watched.page.url, icon)).ok, f"{icon} is missing"
    assert not watched.foreign, f"requests to other hosts: {watched.foreign[:5]}"
    assert not watched.errors, f"console errors: {watched.errors[:5]}"


def test_no_raw_tex_after_typesetting(desktop):
    page_path, watched = desktop
    snippets = raw_tex_snippets(watched.page.evaluate(VISIBLE_TEXT_JS))
    assert not snippets, (f"{page_path}: raw TeX left on the page after MathJax "
                          f"({len(snippets)}):\n" + "\n".join(snippets[:20]))


def test_math_typeset_and_figures_present(desktop):
    page_path, watched = desktop
    page = watched.page
    # MathJax (served from the build) replaces every $...$ with an <mjx-container>.
    formulas = page.locator("main .math").count()
    typeset_ = page.locator("main mjx-container").count()
    assert typeset_ >= formulas, f"{formulas - typeset_} formulas not typeset"
    images = page.locator("main figure img, main .cell_output img")
    widths = images.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : -1)")
    assert all(w != 0 for w in widths), f"broken images: {widths}"
    alts = page.locator("main figure img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert all(len(a) > 20 for a in alts), f"figures without alt text: {alts}"
    if page_path in CHAPTER_PAGES:
        assert typeset_ >= 3, "a chapter with fewer than three formulas"
        assert images.count() >= 1, "no figure on a chapter page"


def test_inline_formulas_are_not_tab_stops(desktop):
    """MathJax would put every formula in the Tab order (hundreds a chapter, before the
    forms and sliders); ``_config.yml`` takes them out. Display equations stay in it
    (``book.js``): one wider than the column scrolls, and must be reachable."""
    page_path, watched = desktop
    page = watched.page
    inline = page.locator("mjx-container:not([display='true'])[tabindex]:not([tabindex='-1'])")
    assert inline.count() == 0, f"{page_path}: {inline.count()} inline formulas are Tab stops"
    display = page.locator("mjx-container[display='true']")
    assert display.count() == page.locator("mjx-container[display='true'][tabindex='0']").count()


def test_axe_finds_no_violation(desktop):
    """axe-core (bundled in ``axe-playwright-python``, injected from disk), WCAG 2.1 A/AA
    and best practice; ``pagecheck`` says where colour contrast is checked."""
    page_path, watched = desktop
    violations = run_axe(watched.page, page_path)
    assert not violations, f"{page_path}: axe-core violations:\n{describe(violations)}"


def test_tables_fit_the_column(desktop):
    """At desktop width no table needs its sideways scroller (long inline formulas, which
    MathJax does not break, are split where a line may break)."""
    page_path, watched = desktop
    overflow = watched.page.locator("main table").evaluate_all(
        "ts => ts.map(t => t.scrollWidth - t.parentElement.clientWidth)")
    assert all(o <= 1 for o in overflow), f"{page_path}: tables wider than the column by {overflow}"
