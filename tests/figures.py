"""Helpers for tests that read what a figure or an HTML snippet holds: the axes and lines
of a matplotlib figure by label, and the tags of an explorer's or a form's HTML."""

from __future__ import annotations

from html.parser import HTMLParser


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def all(self, tag, cls=None):
        return [a for t, a in self.tags if t == tag
                and (cls is None or cls in a.get("class", "").split())]


def axes(fig, label):
    """The one axes of ``fig`` labelled ``label``."""
    found = [a for a in fig.axes if a.get_label() == label]
    assert len(found) == 1, f"no axes labelled {label!r}: {[a.get_label() for a in fig.axes]}"
    return found[0]


def line(ax, label):
    """The one line of ``ax`` labelled ``label``."""
    found = [ln for ln in ax.lines if ln.get_label() == label]
    assert len(found) == 1, (label, [ln.get_label() for ln in ax.lines])
    return found[0]


def text_at(ax, x, y) -> str:
    """The one text of ``ax`` anchored at ``(x, y)`` (data coordinates)."""
    found = [t.get_text() for t in ax.texts if tuple(t.get_position()) == (x, y)]
    assert len(found) == 1, f"{len(found)} texts at {(x, y)}: {found}"
    return found[0]


def legend_labels(ax) -> list[str]:
    """The entries of the legend drawn on ``ax``."""
    return [t.get_text() for t in ax.get_legend().get_texts()]


def image(ax, k: int = 0):
    """The array of image ``k`` of ``ax`` as floats, masked entries as NaN."""
    import numpy as np

    return np.ma.filled(np.ma.asarray(ax.images[k].get_array(), dtype=float), np.nan)


def bar_heights(ax):
    """The heights of the bars (rectangles) of ``ax``, in drawing order."""
    import numpy as np
    from matplotlib.patches import Rectangle

    return np.array([p.get_height() for p in ax.patches if isinstance(p, Rectangle)])


def artists(fig) -> list:
    """What each axes holds, and its scales and grid lines, as comparable values."""
    import numpy as np

    out = []
    for ax in fig.axes:
        out.append((ax.get_label(), ax.get_xscale(), ax.get_yscale(),
                    [(ln.get_label(), np.asarray(ln.get_xydata()).tolist()) for ln in ax.lines],
                    len(ax.patches), len(ax.images), len(ax.collections),
                    [t.get_text() for t in ax.texts],
                    [(g.get_visible(), len(axis.get_gridlines()))
                     for axis in (ax.xaxis, ax.yaxis) for g in axis.get_gridlines()[:1]]))
    return out


def _title_texts(ax) -> dict:
    """``{"left": Text, "center": Text, "right": Text}``: the axes' three titles, the Text
    children of the axes that are not among its ``texts`` (each aligned as its place)."""
    from matplotlib.text import Text

    own = [c for c in ax.get_children() if isinstance(c, Text) and c not in ax.texts]
    return {t.get_horizontalalignment(): t for t in own}


def titles(fig) -> list:
    """Each axes' titles (left, centre, right) with their positions once drawn."""
    out = []
    for ax in fig.axes:
        texts = _title_texts(ax)
        assert sorted(texts) == ["center", "left", "right"], texts
        out += [(ax.get_title(loc), tuple(texts[loc].get_position()))
                for loc in ("left", "center", "right")]
    return out
