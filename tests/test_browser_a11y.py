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

import re

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


# axe's color-contrast rule is most of its time (57 of 62 s on the API page, 9 of 13 s on
# chapter 6): it works out the background behind every text node. Its time goes into text
# that repeats the same few styles, so it is run where the styles are, not on every copy:
# - syntax-highlighted code (thousands of token spans per chapter, the same Pygments
#   theme on every page) is checked in full on the few pages that show every token
#   class the book's code uses (code_contrast_pages), and left out of the per-page run;
# - the API page is the same autodoc markup from top to bottom: the contrast of its
#   core modules' part and of one exercises and one figures module stands for the rest.
# Every other rule runs on the whole of every page.
CONTRAST = "color-contrast"
CODE = ".highlight"
API_CONTRAST_SECTIONS = ["#nnlib-autograd-a-scalar-autodiff-engine",
                         "#nnlib-conv-convolution-and-pooling",
                         "#nnlib-training-the-training-loop-evaluation-and-early-stopping",
                         "#nnlib-exercises-ch01-neural-networks",
                         "#nnlib-plotting-overfitting-overfitting"]


def run_axe(page, page_path: str) -> list[dict]:
    """axe-core's violations on the page as loaded, for the rules tagged ``AXE_TAGS``
    (color-contrast on the parts described above)."""
    from axe_playwright_python.sync_playwright import Axe

    everything_else = {"runOnly": {"type": "tag", "values": AXE_TAGS},
                       "rules": {CONTRAST: {"enabled": False}},
                       "resultTypes": ["violations"]}
    violations = Axe().run(page, options=everything_else).response["violations"]
    if page_path.endswith("api.html"):
        assert page.locator(", ".join(API_CONTRAST_SECTIONS)).count() == len(
            API_CONTRAST_SECTIONS), "a section sampled for colour contrast is gone"
        where = {"include": [[s] for s in API_CONTRAST_SECTIONS], "exclude": [[CODE]]}
    else:
        where = {"exclude": [[CODE]]}
    return violations + contrast(page, where)


def contrast(page, where: dict) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    only = {"runOnly": {"type": "rule", "values": [CONTRAST]}, "resultTypes": ["violations"]}
    return Axe().run(page, context=where, options=only).response["violations"]


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
    violations = run_axe(page, page_path)
    assert not violations, f"{page_path}: axe-core violations:\n{describe(violations)}"
    assert not watched.foreign, f"requests to other hosts: {watched.foreign[:5]}"


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
