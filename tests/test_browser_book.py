"""The built HTML book in headless Chromium: every page loads offline and cleanly, math is
typeset, figures are there, and the kernel-free explorers respond to their controls.

``make test`` builds the book (``jupyter-book build -W``) before running these tests;
screenshots are saved under ``_build/test-artifacts/``.
"""

from __future__ import annotations

import pytest
from book import ARTIFACTS, HTML, toc_files
from browser import Watched, chromium, serve

pytestmark = pytest.mark.browser

PAGES = [f + ".html" for f in toc_files()]
CHAPTER_PAGES = [p for p in PAGES if p.split("/")[-1][:2].isdigit()]


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` (make test builds it first)")
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '_')}.png"), full_page=False)


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_without_console_errors(site, watched, page_path):
    assert (HTML / page_path).exists(), f"{page_path} was not built"
    page = watched.page
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    shot(page, page_path)
    assert page.locator("main h1").count() >= 1, "the page has no title"
    assert not watched.foreign, f"requests to other hosts: {watched.foreign[:5]}"
    assert not watched.errors, f"console errors: {watched.errors[:5]}"


@pytest.mark.parametrize("page_path", CHAPTER_PAGES)
def test_math_typeset_and_figures_present(site, watched, page_path):
    page = watched.page
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    # MathJax (served from the build) replaces every $...$ with an <mjx-container>.
    page.wait_for_selector("mjx-container", timeout=20_000)
    assert page.locator("mjx-container").count() >= 3
    raw = page.locator("main").inner_text()
    assert "$$" not in raw and "\\frac" not in raw, "untypeset TeX left on the page"
    figures = page.locator("main figure img, main .cell_output img")
    assert figures.count() >= 1, "no figure on a chapter page"
    widths = figures.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 0 for w in widths), f"broken images: {widths}"
    alts = page.locator("main figure img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert all(len(a) > 20 for a in alts), f"figures without alt text: {alts}"
