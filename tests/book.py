"""Facts about the book that several tests need: its root, its table of contents."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "_build" / "test-artifacts"


def toc_files() -> list[str]:
    """Every file the table of contents lists, root first, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def chapter_notebooks() -> list[Path]:
    return sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))


#: Every page of the table of contents as a built HTML path, and the chapters among them.
PAGES = [f + ".html" for f in toc_files()]
CHAPTER_PAGES = [p for p in PAGES if p.split("/")[-1][:2].isdigit()]

# The widths the built book gives its figures (``test_figure_text`` computes the text size
# as shown from them; ``test_browser_figures`` checks them in Chromium).
#: Width (CSS px) of a figure <img> in a chapter's cell output at a 1280×900 window:
#: measured in Chromium as ``img.clientWidth`` of the widest figure of
#: chapters/07_overfitting.html (its <figure> is 688 px with 8 px padding each side).
FIGURE_COLUMN_PX = 672
#: Width of a kernel-free explorer's frame (``img.nnx-frame``) at the same window: 688 px.
EXPLORER_COLUMN_PX = 688
#: The same widths at a 390×844 phone window (for the report, not required).
PHONE_FIGURE_PX, PHONE_EXPLORER_PX = 342, 358
