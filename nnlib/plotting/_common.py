"""Private helpers that several figure modules share: the digit images, and the
caching, argument checks and log axes of the explorers.

Each explorer is one pure function ``plot_xxx(state) -> Figure`` (what the tests check)
plus, in :mod:`nnlib.widgets`, a live widget and a kernel-free HTML version built from it.
The training runs behind the learning-rate and weight-decay explorers are cached per value
(``_explorer_cache``), so moving a slider back and forth only redraws.
"""

from __future__ import annotations

from typing import NamedTuple


def _digit_images(X):
    """Rows of 64 pixels or ``(N, 1, 8, 8)`` images as ``(N, 8, 8)``."""
    import numpy as np

    X = np.asarray(X, dtype=float)
    if X.ndim == 4 and X.shape[1] == 1:
        X = X[:, 0]
    elif X.ndim == 2 and X.shape[1] == 64:
        X = X.reshape(-1, 8, 8)
    elif X.ndim == 1 and X.size == 64:
        X = X.reshape(1, 8, 8)
    if X.ndim != 3:
        raise ValueError(f"expected digits of shape (N, 64), (N, 1, 8, 8) or (64,), "
                         f"got {np.shape(X)}")
    return X


_EXPLORER_VERDICT_COLOURS = {"too small": "tab:purple", "good": "tab:green",
                             "oscillating": "tab:orange", "diverges": "tab:red",
                             "overfits": "tab:red", "good fit": "tab:green",
                             "underfits": "tab:purple"}


def _explorer_cache(fn):
    """``functools.lru_cache`` (imported here, so that the module imports nothing at load)."""
    import functools

    return functools.lru_cache(maxsize=None)(fn)


def _explorer_one_thread():
    """One BLAS thread while the explorers train: their matrices are tiny, and on a busy
    machine several threads per product waste more time waiting than they save (10× here).
    Needs threadpoolctl (a dependency of scikit-learn); without it, nothing changes."""
    import contextlib

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn brings it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _explorer_choice(value, name: str, options, owner: str):
    """Check that ``value`` is one of ``options`` (a ``ValueError`` naming ``name`` if not)."""
    if value not in options:
        raise ValueError(f"{owner} {name} must be one of {list(options)}, got {value!r}")
    return value


def _explorer_log_axis(axis) -> None:
    """Plain tick labels (0.01, 0.1, 1, 10) on a log axis, none on its minor ticks: mathtext
    labels (``10^{-2}``) are what makes a log axis slow to draw."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def _explorer_frozen(a):
    """A read-only float64 copy: cached results must not be changed by their users."""
    import numpy as np

    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _explorer_int(value, name: str, owner: str, minimum: int) -> int:
    from .._checks import positive_int

    return positive_int(value, name, minimum=minimum, owner=owner)


def style_axes(ax, xlabel: str, ylabel: str, title: str, *, zero_lines: bool = False) -> None:
    """The book's look for an axes: a light grid (minor ticks too, for log axes), labels,
    a title and, with ``zero_lines``, the axes' zero lines."""
    if zero_lines:
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.axvline(0, color="0.6", lw=0.8, zorder=0)
    ax.grid(alpha=0.3, which="both")
    ax.set_xlabel(xlabel, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=10)
    ax.set_title(title, fontsize=11)


# ---- the book's text sizes ---------------------------------------------------------------
#
# A figure wider than the page's column is shown scaled down to the column, and its text
# with it: a 9 pt legend of an 11-inch figure was 7.5 px on the page, of a 17-inch one 4 px.
# So the smallest text of a figure is given in pixels *as shown*, and each figure's text is
# raised to the size that gives it (``legible``, called by every figure function on the
# figure it returns). The wide multi-panel figures are sized so that this floor stays close
# to the sizes they ask for; tests/test_figure_text.py measures every figure.

#: The smallest text of a figure as the book shows it, in CSS pixels.
MIN_TEXT_PX = 9.0
#: Width of a figure in a chapter's cell output at a 1280 px window (the column of the
#: sphinx-book-theme, 688 px, minus the figure's 8 px padding on each side).
FIGURE_COLUMN_PX = 672
#: Width of a kernel-free explorer's frame at a 1280 px window (the whole column).
EXPLORER_COLUMN_PX = 688
#: Resolution of the chapters' figures: the inline backend saves at ``figure.dpi`` (100).
INLINE_DPI = 100
#: Resolution of the kernel-free explorers' frames (``nnlib.widgets.STATIC_DPI``).
EXPLORER_DPI = 80


#: The inline backend saves the tight box of a figure with 0.1 inch of padding each side.
INLINE_PAD_IN = 0.2
#: Legends and labels that reach past the figure's edge widen its tight box a little.
TIGHT_BOX_MARGIN = 1.05


def min_text_pt(width_in: float, *, dpi: float = INLINE_DPI,
                column_px: float = FIGURE_COLUMN_PX) -> float:
    """The smallest font size, in points, that a PNG ``width_in`` inches wide (saved at
    ``dpi``, shown at most ``column_px`` wide) may use: ``MIN_TEXT_PX`` as shown, rounded
    up to a tenth of a point."""
    import math

    scale = min(1.0, column_px / (width_in * dpi))
    return math.ceil(MIN_TEXT_PX * 72 / (dpi * scale) * 10 - 1e-9) / 10


def legible(fig, *, dpi: float = INLINE_DPI, column_px: float = FIGURE_COLUMN_PX,
            pad_in: float = INLINE_PAD_IN):
    """Raise every text of ``fig`` (tick labels, legends, titles, labels, annotations) that
    is smaller than :func:`min_text_pt` of its width to that size; return ``fig``.

    The explorers pass their own ``dpi`` and column (``EXPLORER_DPI``,
    ``EXPLORER_COLUMN_PX``, and no padding: their frames are the whole canvas)."""
    from matplotlib.text import Text

    floor = min_text_pt((fig.get_figwidth() + pad_in) * (TIGHT_BOX_MARGIN if pad_in else 1),
                        dpi=dpi, column_px=column_px)
    for ax in fig.axes:
        for axis, which in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            # Ticks are made lazily, as copies of the first: set it, and the axis' default.
            if axis.majorTicks[0].label1.get_fontsize() < floor:
                ax.tick_params(axis=which, which="both", labelsize=floor)
    for text in _texts_but_tick_labels(fig, Text):
        if text.get_fontsize() < floor:
            text.set_fontsize(floor)
    for ax in fig.axes:
        _pin_titles(ax)
    return fig


def _pin_titles(ax) -> None:
    """Keep ``ax``'s titles at the top of the axes (``y = 1``), as ``set_title(..., y=1)``
    does, unless one holds math, so that drawing does not search above the axes for
    decorations to lift them over.

    That search measures every tick label of the axes on every draw, which the draw then
    measures again: it took a tenth of the chapters' execution time (4.6 s of chapter 2's
    25). No figure of the book has tick labels, an axis label or an offset text above its
    axes, so a title stays where the search would put it, with one exception: a title with
    math may reach further below its baseline than the title's pad (a sum's index), and
    the search lifts it clear of the frame. Such titles keep the search. Every stored
    figure of the chapters is the same bytes with and without this.

    Giving ``set_title`` a ``y`` is matplotlib's way to turn the search off, for all three
    titles of the axes, so the centre title (the only one the book's figures use) is set
    again, with its own text, position, size, weight, colour and alignment: ``set_title``
    would reset the others to rcParams. It also resets the titles' pad to
    ``axes.titlepad``, which no figure of the book changes (pass ``pad`` here if one does).
    """
    if any("$" in ax.get_title(loc) for loc in ("left", "center", "right")):
        return
    title = ax.title
    ax.set_title(title.get_text(), loc="center", y=title.get_position()[1],
                 fontsize=title.get_fontsize(), fontweight=title.get_fontweight(),
                 color=title.get_color(), verticalalignment=title.get_verticalalignment(),
                 horizontalalignment=title.get_horizontalalignment())


def _texts_but_tick_labels(fig, Text):
    """Every text of ``fig`` but its tick labels (``tick_params`` sets those): asking an
    axis for all its children makes a tick for every location, which cost an explorer's
    redraw a third of its time, only for the draw to make them again."""
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    for child in fig.get_children():
        if not isinstance(child, Axes):
            yield from child.findobj(Text)
            continue
        for part in child.get_children():
            if isinstance(part, Axis):
                yield from (part.label, part.get_offset_text())
            else:
                yield from part.findobj(Text)


def legible_frame(fig):
    """:func:`legible` for a kernel-free explorer's frame."""
    return legible(fig, dpi=EXPLORER_DPI, column_px=EXPLORER_COLUMN_PX, pad_in=0.0)


# ---- diverged runs -----------------------------------------------------------------------
#
# A run that diverged (``History.diverged``, or a loss that became NaN or infinite) is drawn
# up to its last finite entry, and the figure says where it stopped: "diverged at epoch 37".
# A run that did not diverge is drawn exactly as before (the same arrays, the same text).


class Divergence(NamedTuple):
    """Where a run stopped being finite.

    Attributes
    ----------
    finite : int
        How many leading entries are finite in every series: draw ``series[:finite]``.
    epoch : int or None
        The number of the entry at which the run diverged (its first non-finite entry, or
        its last entry for a run flagged as diverged whose values are all finite); None if
        it did not diverge.
    """

    finite: int
    epoch: int | None


def _first_non_finite(values) -> int:
    """Index of the first entry of ``values`` (numbers, or rows such as ``(w, b)``) holding
    a NaN or an infinity; ``len(values)`` if there is none."""
    import numpy as np

    bad = ~np.isfinite(np.asarray(values, dtype=float))
    if bad.ndim > 1:
        bad = bad.any(axis=tuple(range(1, bad.ndim)))
    return int(np.argmax(bad)) if bad.any() else len(bad)


def divergence(*series, diverged: bool = False, first: int = 1) -> Divergence:
    """Where the run recorded by ``series`` (entries per epoch, of equal length; empty
    series are ignored) diverged, as a :class:`Divergence`.

    Parameters
    ----------
    *series : sequences of float, or of rows
        E.g. a History's ``train_loss`` and ``val_loss``.
    diverged : bool
        The run says it diverged (``History.diverged``), even if every value is finite.
    first : int
        The number of the first entry: 1 for a History (epoch 1), 0 for curves that start
        with the value before training (epoch or step 0).
    """
    series = [s for s in series if len(s)]
    finite = min((_first_non_finite(s) for s in series), default=0)
    if any(finite < len(s) for s in series):
        return Divergence(finite, finite + first)
    if diverged:
        return Divergence(finite, max(finite - 1, 0) + first)
    return Divergence(finite, None)


def diverged_text(epoch: int, unit: str = "epoch") -> str:
    """``"diverged at epoch 37"``: the note every figure of a diverged run shows."""
    return f"diverged at {unit} {epoch}"


def with_diverged_note(label: str, div: Divergence, unit: str = "epoch") -> str:
    """``label``, with ``" (diverged at epoch 37)"`` after it if the run diverged."""
    return label if div.epoch is None else f"{label} ({diverged_text(div.epoch, unit)})"


def mark_divergence(ax, div: Divergence, unit: str = "epoch", *, at: float | None = None) -> None:
    """A red dotted vertical line at the epoch where the run diverged (at ``x = at`` if
    given, for an axis in other units), labelled for the legend ``"diverged at epoch 37"``;
    nothing if it did not diverge."""
    if div.epoch is not None:
        ax.axvline(div.epoch if at is None else at, color="tab:red", lw=1.5, ls=":",
                   label=diverged_text(div.epoch, unit))


def finite_or_none(values):
    """``values`` if every entry is finite, else None (e.g. the fitted curve of a network
    whose weights became NaN)."""
    import numpy as np

    if values is None or not np.all(np.isfinite(np.asarray(values, dtype=float))):
        return None
    return values


def log_y_if_drawn(ax) -> None:
    """``ax.set_yscale("log")`` if a line of ``ax`` holds a positive value: a run that
    diverged in its first epoch leaves nothing to draw, and a log axis with only vertical
    lines on it has no range."""
    import numpy as np

    if any(np.any(np.asarray(line.get_ydata(), dtype=float) > 0) for line in ax.lines
           if line.get_transform().contains_branch(ax.transData)):
        ax.set_yscale("log")
