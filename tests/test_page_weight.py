"""Page weight: every page of the built book loads in at most 400 KiB compressed (issue 21:
a phone on slow 4G shows a page in two seconds), at phone width, before anyone scrolls.

Bytes, not time: ``tests/pageweight.py`` counts what Chromium fetches, each file at the
size a gzip-serving host sends. Times (Lighthouse's LCP and TBT) are measured by ``make
bench``, never asserted. The three things that made every page weigh over a megabyte are
also checked by name, so a regression says what came back.
"""

from __future__ import annotations

import re

import pytest
from book import HTML, PAGES
from pageweight import FIRST_LOAD_BUDGET, first_load

pytestmark = pytest.mark.browser

ALL_PAGES = PAGES + ["search.html", "genindex.html", "py-modindex.html"]


@pytest.mark.parametrize("page_path", ALL_PAGES)
def test_first_load_within_budget(site, browser, page_path):
    context = browser.new_context()
    try:
        files = first_load(context.new_page(), site, HTML, f"{site}/{page_path}")
    finally:
        context.close()
    total = sum(files.values())
    heaviest = sorted(files.items(), key=lambda kv: -kv[1])[:5]
    assert total <= FIRST_LOAD_BUDGET, (
        f"{page_path}: first load {total / 1024:.0f} KiB > {FIRST_LOAD_BUDGET / 1024:.0f} KiB; "
        f"heaviest: {[(f, round(b / 1024)) for f, b in heaviest]}")
    assert not any(f.endswith((".woff", ".woff2")) for f in files), (
        f"{page_path} loads web fonts: {[f for f in files if '.woff' in f]}")


@pytest.mark.parametrize("page_path", ALL_PAGES)
def test_no_megabyte_left_in_the_page(page_path):
    """No FontAwesome script (icons are inline SVG, ``_ext/icons.py``), no MathJax (math is
    typeset at build time, ``_ext/build_math.py``), no image inlined as base64
    (``_ext/image_files.py``)."""
    html = (HTML / page_path).read_text(encoding="utf-8")
    assert "fontawesome.js" not in html
    assert not re.search(r"<script[^>]*(mathjax|MathJax)", html)
    assert not re.search(r"""src=["']data:""", html)
