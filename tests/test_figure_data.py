"""Every figure of chapters 1 to 9 draws the same picture each time it is drawn.

nbval does not compare figures, so a figure that changes when a cell is re-run (an extra
grid on a log axis, a line added twice, a state kept between calls) would go unnoticed
(the issue: "re-running chapter 8 redraws fig-ch08-ce-vs-mse with extra log-scale grid
lines"). Each function is called twice in one process, as its chapter calls it
(``chapter_figures.py``; ``test_figure_text`` requires every figure function there), and
the two must hold the same artists once laid out (lines and their data, texts, scales,
grid lines). What each figure plots is tested next to the
chapter's other figure tests (``test_plotting_ch01_ch02.py``, ``test_exercises_ch0N.py``,
``test_plotting_ch09.py``). The explorers have their own tests (``test_explorers*.py``).
"""

import numpy as np
import pytest
from chapter_figures import chapter_figures

FIGURES = chapter_figures()


def _artists(fig):
    """What each axes holds, and its scales and grid lines, as comparable values."""
    out = []
    for ax in fig.axes:
        out.append((ax.get_label(), ax.get_xscale(), ax.get_yscale(),
                    [(ln.get_label(), np.asarray(ln.get_xydata()).tolist()) for ln in ax.lines],
                    len(ax.patches), len(ax.images), len(ax.collections),
                    [t.get_text() for t in ax.texts],
                    [(g.get_visible(), len(axis.get_gridlines()))
                     for axis in (ax.xaxis, ax.yaxis) for g in axis.get_gridlines()[:1]]))
    return out


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_drawn_twice_is_the_same(name):
    # Laid out without rasterising (a PNG of each would cost ~0.6 s a figure): ticks and
    # grid lines exist by then, which is where a state kept between calls shows.
    drawn = []
    for _ in range(2):
        fig = chapter_figures()[name]()      # fresh inputs each time, from one seed
        fig.draw_without_rendering()
        drawn.append(_artists(fig))
    # the same artists: lines and their data, patches, texts, scales, grid lines
    assert drawn[1] == drawn[0]
