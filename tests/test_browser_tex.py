"""No raw TeX on any page of the built book, once MathJax has typeset it.

MathJax replaces every formula it recognises with an ``<mjx-container>``. A formula that
MyST did not hand to MathJax as math (a ``$$`` block squeezed into a list item, a ``\\|``
eaten by a Markdown table, a stray ``$``) stays on the page as text: the reader sees
``$$\\frac{\\partial E}...`` instead of a formula. ``test_browser_book.py`` reads the text a
reader sees on every page, outside code, MathJax output, scripts and styles, and names every
page and snippet that still looks like TeX (``pagecheck.raw_tex_snippets``). This file tests
the pattern itself.
"""

from __future__ import annotations

from pagecheck import raw_tex_snippets


def test_the_pattern_finds_raw_tex_and_spares_prose():
    raw = ["Summing: $$\\frac{\\partial E}{\\partial W}$$", "\\(x\\)", "\\begin{aligned}",
           "a $5 note", "\\mathbb{R}", "the sum $\\sum_n G_{nj}$ over the batch"]
    assert [len(raw_tex_snippets([text])) for text in raw] == [1] * len(raw)
    assert raw_tex_snippets(["ReLU, the gradient, x · w + b, E_in, KL(p ‖ q), 50 %"]) == []
