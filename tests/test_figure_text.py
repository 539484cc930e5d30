"""No figure text below 9 px as the book shows it (at a 1280 px window), and every figure
the same each time it is drawn.

Every figure function is called here as its chapter calls it (same panels, same number of
images, same legend labels; made-up data of the same shape), drawn as the book draws it,
and the size of each visible text as shown on the page is computed:

    font size (pt) × dpi / 72 × min(1, column width / natural width of the PNG)

The chapters' figures are saved by the inline backend at 100 dpi with
``bbox_inches="tight"`` (so the natural width is the tight box plus 0.1 inch of padding on
each side, not figsize × dpi), and shown at most ``FIGURE_COLUMN_PX`` wide; the explorers'
frames are saved at ``nnlib.widgets.STATIC_DPI`` without a tight box and shown at most
``EXPLORER_COLUMN_PX`` wide. The two widths were measured in the built book:
``tests/test_browser_figures.py`` checks them. A new ``plot_...`` function must be added to
the tables of ``chapter_figures.py`` (a test fails until it is).

Each figure is drawn a second time, from fresh inputs of the same seed, and must hold the
same artists (lines and their data, texts, scales, grid lines): nbval does not compare
figures, so a figure that changed when a cell is re-run (an extra grid on a log axis, a
line added twice, a state kept between calls) would go unnoticed otherwise. What each
figure plots is tested beside the chapter's other tests (``tests/test_chNN_*.py``); each
explorer has its own (``tests/test_chNN_explorer_NAME.py``).
"""

from __future__ import annotations

import importlib

import matplotlib
import pytest
from book import (
    EXPLORER_COLUMN_PX,
    FIGURE_COLUMN_PX,
    PHONE_EXPLORER_PX,
    PHONE_FIGURE_PX,
)
from chapter_figures import chapter_figures
from figures import artists, titles
from matplotlib.text import Text

import nnlib.plotting as P
from nnlib import widgets
from nnlib.plotting import _common

#: The inline backend saves at ``figure.dpi`` (matplotlib's default, 100) with a 0.1-inch
#: padding around the tight box.
INLINE_DPI, PAD_INCHES = 100, 0.1
MIN_TEXT_PX = 9.0

FIGURES = chapter_figures()


def drawn_texts(fig) -> list[Text]:
    """Draw ``fig`` once (no pixels) and return every text it drew with some characters: the
    tick labels in view, legends, titles, labels, annotations. (A hidden or empty text, or a
    tick label outside the view, is never drawn.)"""
    drawn = []
    original = Text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = draw
    try:
        fig.draw_without_rendering()
    finally:
        Text.draw = original
    return drawn


def smallest_text(fig, *, tight: bool, dpi: float, column_px: float):
    """(smallest text in px as shown, that text, natural width of the PNG in px).

    ``tight``: the inline backend's PNG, the tight box (in inches) plus its padding;
    otherwise (explorer frames) the whole canvas."""
    fig.set_dpi(dpi)
    texts = drawn_texts(fig)
    assert texts, "a figure without any text"
    if tight:
        natural = (fig.get_tightbbox().width + 2 * PAD_INCHES) * dpi
    else:
        natural = fig.get_figwidth() * dpi
    scale = min(1.0, column_px / natural)
    t = min(texts, key=lambda t: t.get_fontsize())
    return t.get_fontsize() * dpi / 72 * scale, t, natural


def _report(name, fig, *, tight, dpi, column_px, phone_px):
    px, text, natural = smallest_text(fig, tight=tight, dpi=dpi, column_px=column_px)
    phone = px * min(1.0, phone_px / natural) / min(1.0, column_px / natural)
    return px, (f"{name}: {text.get_text()!r} at {text.get_fontsize():.3g} pt is "
                f"{px:.1f} px at 1280 px ({phone:.1f} px at 390 px); the PNG is "
                f"{natural:.0f} px wide, shown at {min(natural, column_px):.0f} px")


#: Figures the book shows at their natural size, in a box of their own that scrolls
#: sideways (figure class ``nnx-natural-size``, ``_static/book.css``), not scaled to the
#: column. The computational graph (ch 4) is laid out in inches around 9 pt text, one
#: column per operation: the worked example is 13 inches wide, and larger text would only
#: widen it as much; scaled to the column its text would be 6 px.
NATURAL_SIZE = {"plot_graph": "04_forward_backward"}


def test_natural_size_figures_are_marked_so_in_their_chapter():
    from book import CHAPTERS

    for name, chapter in NATURAL_SIZE.items():
        source = (CHAPTERS / f"{chapter}.md").read_text(encoding="utf-8")
        cell = next(c for c in source.split("```{code-cell}") if f"{name}(" in c)
        assert "classes: nnx-natural-size" in cell, f"{chapter}: {name}'s figure is scaled"


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_text_is_at_least_9px_as_shown_and_drawn_the_same_again(name):
    # each drawing from fresh inputs of the seed, whatever other figures drew before
    fig = chapter_figures()[name]()
    column = float("inf") if name in NATURAL_SIZE else FIGURE_COLUMN_PX
    px, message = _report(name, fig, tight=True, dpi=INLINE_DPI, column_px=column,
                          phone_px=min(column, PHONE_FIGURE_PX))
    assert px >= MIN_TEXT_PX - 0.01, message
    with pytest.MonkeyPatch.context() as unpinned:   # this time matplotlib places the titles
        unpinned.setattr(_common, "_pin_titles", lambda ax: None)   # (see below)
        again = chapter_figures()[name]()
    again.set_dpi(INLINE_DPI)
    again.draw_without_rendering()
    assert artists(again) == artists(fig), f"{name} is not the same when drawn again"
    # legible() pins the titles at the top of their axes, sparing the draw its search for
    # decorations above the axes (_common._pin_titles): the search puts them there too.
    assert titles(fig) == titles(again), f"{name}: a pinned title is not where matplotlib puts it"


@pytest.mark.parametrize("name", list(P.EXPLORERS))
def test_explorer_frame_text_is_at_least_9px_as_shown_in_every_state(name):
    explorer = P.EXPLORERS[name]
    for state in explorer.states():
        fig = explorer.draw(**state)
        px, message = _report(f"{name} at {state}", fig, tight=False, dpi=widgets.STATIC_DPI,
                              column_px=EXPLORER_COLUMN_PX, phone_px=PHONE_EXPLORER_PX)
        assert px >= MIN_TEXT_PX - 0.01, message


def test_every_figure_function_is_measured():
    # a chapter's figures by the table of chapter_figures.py; an explorer module's by its
    # Explorer, one per module
    measured = {name.split(" ")[0] for name in FIGURES}
    figure_modules = [m for m in P.SUBMODULES if "_explorer_" not in m]
    functions = {name for m in figure_modules
                 for name in importlib.import_module(f"nnlib.plotting.{m}").__all__
                 if name.startswith("plot_")}
    assert functions <= measured, f"not measured here: {sorted(functions - measured)}"
    explorer_modules = [m for m in P.SUBMODULES if "_explorer_" in m]
    declared = {e.draw.__module__ for e in P.EXPLORERS.values()}
    assert declared == {f"nnlib.plotting.{m}" for m in explorer_modules}


def test_the_figure_functions_use_the_measured_sizes():
    # The sizes the figure functions design for are the ones measured in the book.
    assert _common.FIGURE_COLUMN_PX == FIGURE_COLUMN_PX
    assert _common.EXPLORER_COLUMN_PX == EXPLORER_COLUMN_PX
    assert _common.EXPLORER_DPI == widgets.STATIC_DPI
    assert _common.INLINE_DPI == INLINE_DPI == matplotlib.rcParamsDefault["figure.dpi"]
    assert _common.MIN_TEXT_PX == MIN_TEXT_PX


def test_the_measure_can_fail():
    # A 9 pt legend on a 17-inch figure, the size of the old Fig. 33, is far below 9 px.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(17, 4.6), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], label="training")
    ax.legend(fontsize=9)
    px, _, _ = smallest_text(fig, tight=True, dpi=INLINE_DPI, column_px=FIGURE_COLUMN_PX)
    assert px < 5
