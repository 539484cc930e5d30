"""Accessibility and small screens: every page of the built book, in headless Chromium.

* axe-core (bundled in the ``axe-playwright-python`` package, injected from disk: no
  request leaves the machine) finds no WCAG 2.1 A/AA or best-practice violation on any
  page of the table of contents at 1280 px wide;
* on a phone (390 x 844 CSS px) no page scrolls sideways as a whole: wide tables, code
  and display equations scroll inside their own box, and the errata and notation tables
  keep readable columns.

Screenshots at 390 px are saved under ``_build/test-artifacts/``.
"""

from __future__ import annotations

import pytest
from book import ARTIFACTS, HTML, toc_files
from browser import Watched

pytestmark = pytest.mark.browser

PAGES = [f + ".html" for f in toc_files()]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
# The back-matter pages whose tables are read cell by cell.
TABLE_PAGES = [p for p in PAGES if p.split("/")[-1] in ("errata.html", "notation.html")]


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as loaded, for the rules tagged ``AXE_TAGS``."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_violation(site, watched, page_path):
    assert (HTML / page_path).exists(), f"{page_path} was not built"
    page = watched.page
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    # MathJax typesets after load; axe must see the final page (its assistive MathML).
    if page.locator("main .math").count():
        page.wait_for_selector("mjx-container", state="attached", timeout=20_000)
    violations = run_axe(page)
    assert not violations, f"{page_path}: axe-core violations:\n{describe(violations)}"
    assert not watched.foreign, f"requests to other hosts: {watched.foreign[:5]}"


@pytest.mark.parametrize("page_path", PAGES)
def test_phone_page_does_not_scroll_sideways(site, watched, page_path):
    page = watched.page
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    if page.locator("main .math").count():
        page.wait_for_selector("mjx-container", state="attached", timeout=20_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{page_path.replace('/', '_')}.png"))
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


@pytest.mark.parametrize("page_path", TABLE_PAGES)
def test_phone_tables_keep_readable_columns(site, watched, page_path):
    page = watched.page
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    tables = page.locator("main table")
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
