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
