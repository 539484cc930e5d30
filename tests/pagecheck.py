"""What the browser tests read off a loaded page of the built book: axe-core's findings
and any raw TeX a reader would see. Shared by the per-page tests at desktop and phone
width, which load each page once and run every read-only check on it."""

from __future__ import annotations

import functools
import re

from book import HTML, PAGES

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def typeset(page) -> None:
    """Wait until MathJax (served from the build) has typeset the page, if it has math."""
    if page.locator("script[src*='mathjax']").count():
        # MathJax 3 sets startup.promise when it loads; it resolves after the first typeset.
        page.wait_for_function("() => window.MathJax?.startup?.promise", timeout=20_000)
        page.evaluate("() => window.MathJax.startup.promise")


# axe's color-contrast rule is most of its time (57 of 62 s on the API page, 9 of 13 s on
# chapter 6): it works out the background behind every text node. Its time goes into text
# that repeats the same few styles, so it is run where the styles are, not on every copy:
# - syntax-highlighted code (thousands of token spans per chapter, the same Pygments
#   theme on every page) is checked in full on the few pages that show every token
#   class the book's code uses (code_contrast_pages), and left out on the others;
# - the API page is the same autodoc markup from top to bottom: the contrast of its
#   core modules' part and of one exercises and one figures module stands for the rest.
# Every other rule runs on the whole of every page.
CONTRAST = "color-contrast"
CODE = ".highlight"
API_CONTRAST_SECTIONS = ["#nnlib-autograd-a-scalar-autodiff-engine",
                         "#nnlib-conv-convolution-and-pooling",
                         "#nnlib-training-the-training-loop-evaluation-and-early-stopping",
                         "#nnlib-exercises-ch01-neural-networks-exercises-of-chapter-1-neural-networks",
                         "#nnlib-plotting-ch07-overfitting-figures-of-chapter-7-overfitting"]


def token_classes(page_path: str) -> set[str]:
    """The Pygments token classes (``k``, ``nf``, ``s2``, ...) in a built page's code."""
    html = (HTML / page_path).read_text(encoding="utf-8")
    code = "".join(re.findall(r'<div class="highlight[^"]*"><pre>(.*?)</pre>', html, re.S))
    return set(re.findall(r'<span class="([^"]+)"', code))


@functools.cache
def code_contrast_pages() -> tuple[str, ...]:
    """Few pages whose code holds every token class used anywhere in the book (greedy)."""
    built = [p for p in PAGES if (HTML / p).exists()]
    left = set().union(*(token_classes(p) for p in built))
    chosen = []
    while left:
        best = max(built, key=lambda p: len(token_classes(p) & left))
        chosen.append(best)
        left -= token_classes(best)
    return tuple(chosen)


def run_axe(page, page_path: str) -> list[dict]:
    """axe-core's violations on the page as loaded, for the rules tagged ``AXE_TAGS``
    (color-contrast on the parts described above), in one ``axe.run``.

    Each ``axe.run`` builds its own model of the page (the flattened tree, and for the
    colour rules a grid of every element's box) and throws it away at the end, so a run
    of every rule but contrast and a run of contrast on a part of the page paid for it
    twice (three times with the code). Instead the contrast rule itself is told which
    elements it applies to: those its own ``matches`` takes, inside the part and outside
    what is left out, which is what a run's context does. Measured with every result type:
    the same rule, outcome and node for all results (5,203 on chapter 1, 7,639 on chapter
    2, 4,140 on the notation page, 27,281 on the API page), in 30-40 % less CPU."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    code_in_full = page_path in code_contrast_pages()
    if page_path.endswith("api.html"):
        assert page.locator(", ".join(API_CONTRAST_SECTIONS)).count() == len(
            API_CONTRAST_SECTIONS), "a section sampled for colour contrast is gone"
        inside = API_CONTRAST_SECTIONS + ([CODE] if code_in_full else [])
        page.evaluate(CONTRAST_ONLY_IN, [", ".join(inside), None if code_in_full else CODE])
    elif not code_in_full:
        page.evaluate(CONTRAST_ONLY_IN, ["html", CODE])
    # else: contrast outside the code plus contrast in it is contrast everywhere
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate("(options) => axe.run(document, options)"
                         ".then((results) => results.violations)", options)


# Restrict axe's color-contrast rule (in the page's copy of axe) to the elements inside
# the first selector and outside the second (null: nothing left out). A later axe that
# renames its rule list fails here, loudly, rather than checking less.
CONTRAST_ONLY_IN = """([inside, outside]) => {
  const rule = axe._audit.rules.find((r) => r.id === "color-contrast");
  const matches = rule.matches.bind(rule);
  rule.matches = (node, ...rest) => node.closest(inside) !== null
    && (outside === null || node.closest(outside) === null) && matches(node, ...rest);
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {targets}")
    return "\n".join(lines)


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


