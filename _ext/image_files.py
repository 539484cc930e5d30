"""Images as files the browser fetches when they are needed, not inline in the page.

A notebook output's images come either as files (myst-nb writes ``_images/<hash>.png``)
or, for the kernel-free explorers of :mod:`nnlib.kernel_free`, as ``data:`` URIs: every
frame of every slider position, base64 inside the HTML (chapter 2's page was 2.9 MB, most
of it frames nobody had asked to see yet). Once the build has finished, this extension
rewrites every page so that:

* each ``data:`` image becomes a file ``_images/embedded/<sha256>.<ext>`` (the same bytes;
  the same image on several pages is one file) referenced by a relative URL;
* every image of the content (not the theme's) gets ``loading="lazy"`` and
  ``decoding="async"``: the browser fetches one in view at once, a hidden explorer frame
  (``hidden`` until its slider position is chosen) when it is shown, a figure further
  down when it is scrolled near;
* every PNG gets its ``width`` and ``height`` (from its header), so the page does not move
  as images arrive (``book.css`` keeps them scaled with ``height: auto``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
from pathlib import Path

EMBEDDED = Path("_images") / "embedded"
_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg",
        "image/webp": "webp"}
_IMG = re.compile(r"<img\b[^>]*>")
_DATA_SRC = re.compile(r'\bsrc="data:(image/[a-z+]+);base64,([A-Za-z0-9+/=\s]+)"')
_SRC = re.compile(r'\bsrc="([^"]+)"')


def png_size(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` from a PNG's header, or None if ``data`` is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _as_file(outdir: Path, mime: str, payload: str) -> tuple[Path, bytes]:
    data = base64.b64decode(payload)
    name = hashlib.sha256(data).hexdigest()[:32] + "." + _EXT.get(mime, "bin")
    path = outdir / EMBEDDED / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path, data


def images_as_files(page_html: str, page: Path, outdir: Path) -> str:
    """``page_html`` (the page written at ``page`` under ``outdir``) with the rules above."""
    def rewrite(match: re.Match) -> str:
        tag = match.group(0)
        data = None
        embedded = _DATA_SRC.search(tag)
        if embedded:
            path, data = _as_file(outdir, embedded.group(1), embedded.group(2))
            url = Path(os.path.relpath(path, page.parent)).as_posix()
            tag = tag[:embedded.start()] + f'src="{url}"' + tag[embedded.end():]
        else:
            src = _SRC.search(tag)
            if src and "://" not in src.group(1):
                target = (page.parent / src.group(1).split("?")[0]).resolve()
                if target.is_file() and target.suffix == ".png":
                    data = target.read_bytes()[:32]
        extra = []
        if "_static/" in tag:             # the theme's own (launch-button logos): as they are
            return tag
        size = png_size(data) if data else None
        if size and " width=" not in tag and " height=" not in tag:
            extra.append(f'width="{size[0]}" height="{size[1]}"')
        if " loading=" not in tag:
            extra.append('loading="lazy" decoding="async"')
        if extra:
            end = -2 if tag.endswith("/>") else -1
            tag = tag[:end].rstrip() + " " + " ".join(extra) + tag[end:]
        return tag

    return _IMG.sub(rewrite, page_html)


def _write(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = images_as_files(text, page, outdir)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
