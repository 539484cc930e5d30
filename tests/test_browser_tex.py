"""No raw TeX on any page of the built book, once MathJax has typeset it.

MathJax replaces every formula it recognises with an ``<mjx-container>``. A formula that
MyST did not hand to MathJax as math (a ``$$`` block squeezed into a list item, a ``\\|``
eaten by a Markdown table, a stray ``$``) stays on the page as text: the reader sees
``$$\\frac{\\partial E}...`` instead of a formula. This test reads the text a reader sees,
outside code, MathJax output, scripts and styles, and names every page and snippet that
still looks like TeX.

``make test`` builds the book (``jupyter-book build -W``) before running these tests.
"""

from __future__ import annotations

import re

import pytest
from book import HTML, toc_files
from browser import Watched

pytestmark = pytest.mark.browser

PAGES = [f + ".html" for f in toc_files()]

# A dollar sign (MyST's math delimiter: the book's prose has no prices), the TeX
# delimiters \( \) \[ \], an environment, and the commands the book's formulas use most.
RAW_TEX = re.compile(r"\$|\\[()\[\]]|\\begin\{|\\end\{|\\(?:frac|mathbb|mathrm|text|sum|"
                     r"partial|qquad|quad|top|odot|varphi|sigma|lambda|eta|log|exp|sqrt|"
                     r"Vert|cdot|times|le|ge|hat|tfrac|dfrac|textstyle|left|right)\b")

# The text nodes a reader sees, outside code, MathJax's output, scripts and styles. The
# API page's signatures (``.sig``) are code too: their defaults are Python literals, among
# them matplotlib's TeX labels (``ylabel='$E_{in}$'``).
VISIBLE_TEXT_JS = """
() => {
  const skip = "code, pre, kbd, samp, .sig, mjx-container, script, style, noscript, textarea";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !node.textContent.trim()) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: false})) continue;
    texts.push(node.textContent);
  }
  return texts;
}
"""


def raw_tex_snippets(texts: list[str], width: int = 40) -> list[str]:
    """Each match of ``RAW_TEX`` in ``texts`` with ``width`` characters either side."""
    snippets = []
    for text in texts:
        spans: list[list[int]] = []            # matches closer than 2·width share a snippet
        for match in RAW_TEX.finditer(text):
            start, end = max(match.start() - width, 0), match.end() + width
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
        snippets += [" ".join(text[start:end].split()) for start, end in spans]
    return snippets


def test_the_pattern_finds_raw_tex_and_spares_prose():
    raw = ["Summing: $$\\frac{\\partial E}{\\partial W}$$", "\\(x\\)", "\\begin{aligned}",
           "a $5 note", "\\mathbb{R}", "the sum $\\sum_n G_{nj}$ over the batch"]
    assert [len(raw_tex_snippets([text])) for text in raw] == [1] * len(raw)
    assert raw_tex_snippets(["ReLU, the gradient, x · w + b, E_in, KL(p ‖ q), 50 %"]) == []


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_no_raw_tex_after_typesetting(site, watched, page_path):
    assert (HTML / page_path).exists(), f"{page_path} was not built"
    page = watched.page
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    if page.locator("script[src*='mathjax']").count():
        # MathJax 3 sets startup.promise when it loads; it resolves after the first typeset.
        page.wait_for_function("() => window.MathJax?.startup?.promise", timeout=20_000)
        page.evaluate("() => window.MathJax.startup.promise")
    snippets = raw_tex_snippets(page.evaluate(VISIBLE_TEXT_JS))
    assert not snippets, (f"{page_path}: raw TeX left on the page after MathJax "
                          f"({len(snippets)}):\n" + "\n".join(snippets[:20]))
