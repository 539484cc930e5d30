"""First-load weight of a page of the built book: every file the browser fetches while
the page loads, before anyone scrolls or clicks (lazy images below the fold, enlarged
figures and search data loaded on demand do not count), each counted at its gzip size
(level 6, what a static host such as GitHub Pages sends for text; images are sent as
they are). Shared by the byte-budget test and ``benchmarks/page_bench.py``."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path
from urllib.parse import unquote, urlparse

#: Types a host compresses; images and fonts go as they are (already compressed).
COMPRESSED = {".html", ".js", ".css", ".svg", ".json", ".txt", ".xml", ".map"}

#: The budget of issue 21: a page's first load, compressed.
FIRST_LOAD_BUDGET = 400 * 1024


@functools.cache
def sent_bytes(path: Path) -> int:
    """The bytes a gzip-serving host sends for ``path``."""
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in COMPRESSED else len(data)


def first_load(page, base_url: str, root: Path, url: str,
               viewport: tuple[int, int] = (390, 844)) -> dict[str, int]:
    """``{file: bytes sent}`` for loading ``url`` in ``page`` (a Playwright page) at
    ``viewport``, served from ``root`` at ``base_url``; waits for the network to be idle."""
    seen: list[str] = []
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    files: dict[str, int] = {}
    for address in seen:
        parsed = urlparse(address)
        if not address.startswith(base_url):
            continue
        path = root / unquote(parsed.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            files[str(path.relative_to(root))] = sent_bytes(path)
    return files
