"""What the browser tests read off a loaded page of the built book: axe-core's findings
and any raw TeX a reader would see. Shared by the per-page tests at desktop and phone
width, which load each page once and run every read-only check on it."""

from __future__ import annotations

import functools
import re

from book import HTML, PAGES, ROOT

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


#: axe-core, pinned in package-lock.json (``npm ci`` installs it with the build's Node
#: packages), injected into each page from disk: no network.
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def axe_script() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: `make test` installs it (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


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


def contrast_selector(inside: list[str] | None, outside: str | None) -> str:
    """The CSS selector of the elements in one of ``inside`` (``None``: the whole page) and
    not in ``outside`` (``None``: nothing left out), "in" meaning the element itself or
    one of its ancestors; ``inside`` and ``outside`` are simple selectors (an id, a class).

    Written in what axe's own selector engine supports (its developer guide, "Supported
    CSS Selectors": descendant combinators and ``:not``, whose argument may be a complex
    selector): ``#part, #part *`` is what ``closest("#part")`` finds, and
    ``:not(.highlight):not(.highlight *)`` what ``closest(".highlight")`` does not."""
    not_out = "" if outside is None else f":not({outside}):not({outside} *)"
    if inside is None:
        return "*" + not_out
    return ", ".join(f"{part}{not_out}, {part} *{not_out}" for part in inside)


def run_axe(page, page_path: str) -> list[dict]:
    """axe-core's violations on the page as loaded, for the rules tagged ``AXE_TAGS``
    (color-contrast on the parts described above), in one ``axe.run``.

    Each ``axe.run`` builds its own model of the page (the flattened tree, and for the
    colour rules a grid of every element's box) and throws it away at the end, so a run
    of every rule but contrast and a run of contrast on a part of the page paid for it
    twice (three times with the code). Instead the contrast rule itself is told which
    elements it applies to, with ``axe.configure``: a ``selector`` for the elements inside
    the part and outside what is left out (``contrast_selector``), which is what a run's
    context does; the rule's own ``matches`` still picks the elements with text among
    them. Measured with every result type: the same rule, outcome and node for all
    results as with a run's context (5,203 on chapter 1, 7,592 on chapter 2, 4,140 on the
    notation page, 27,590 on the API page), in about a quarter less CPU (the two runs
    took 25-35 % more)."""
    page.evaluate(axe_script())
    code_in_full = page_path in code_contrast_pages()
    contrast = None                              # None: the rule's own selector, every element
    if page_path.endswith("api.html"):
        assert page.locator(", ".join(API_CONTRAST_SECTIONS)).count() == len(
            API_CONTRAST_SECTIONS), "a section sampled for colour contrast is gone"
        inside = API_CONTRAST_SECTIONS + ([CODE] if code_in_full else [])
        contrast = contrast_selector(inside, None if code_in_full else CODE)
    elif not code_in_full:
        contrast = contrast_selector(None, CODE)
    # else: contrast outside the code plus contrast in it is contrast everywhere
    if contrast is not None:
        page.evaluate("([id, selector]) => axe.configure({rules: [{id, selector}]})",
                      [CONTRAST, contrast])
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate("(options) => axe.run(document, options)"
                         ".then((results) => results.violations)", options)


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


