"""The build's page-weight rewrites (``_ext/icons.py``, ``_ext/image_files.py``,
``_ext/page_head.py``) on made-up HTML: fast, no book needed. The built book itself is
weighed by ``tests/test_page_weight.py``."""

from __future__ import annotations

import base64
import importlib.util
import struct
import zlib
from pathlib import Path

EXT = Path(__file__).parents[1] / "_ext"


def load(name: str):
    """An ``_ext/`` module (a folder of Sphinx extensions, not a package) from its file."""
    spec = importlib.util.spec_from_file_location(name, EXT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icons, image_files, page_head = load("icons"), load("image_files"), load("page_head")

# A made-up fontawesome.js with the shape of the real one: one pack per `var p={...}`.
FONTAWESOME_JS = (
    "x;var p={sun:[512,512,[9728],\"f185\",\"M1 2L3 4\"],github:[496,512,[],\"f09b\",\"M5 6\"]"
    "};d(\"fab\",p);var p={\"circle-info\":[512,512,[\"info-circle\"],\"f05a\",\"M7 8\"],"
    "sun:[512,512,[9728],\"f185\",\"M9 9\"]};d(\"fas\",p);"
    "e=':host,:root{--fa-font-solid:x}.svg-inline--fa{height:1em}';")


def test_icons_become_the_svg_fontawesome_would_make():
    by_name, _ = icons.read_packs(FONTAWESOME_JS)
    page = ('<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
            '<button aria-label="Color mode"><i class="theme-switch fa-solid fa-sun fa-lg" '
            'data-mode="light" title="Light"></i></button><i class="fa-solid fa-unknown"></i>')
    out = icons.inline_icons(page, by_name)
    assert "fontawesome.js" not in out
    assert ('<svg class="svg-inline--fa theme-switch fa-solid fa-sun fa-lg" data-mode="light" '
            'aria-hidden="true"') in out
    assert 'viewBox="0 0 512 512"><path fill="currentColor" d="M9 9"></path></svg>' in out
    assert "<title>" not in out and 'title="Light"' not in out     # the button names it
    assert '<i class="fa-solid fa-unknown"></i>' in out             # unknown: left as it is
    assert icons.injected_css(FONTAWESOME_JS) == (
        ":host,:root{--fa-font-solid:x}.svg-inline--fa{height:1em}")


def test_font_glyphs_of_the_theme_css_become_masks():
    _, by_code = icons.read_packs(FONTAWESOME_JS)
    css = (':root{--pst-icon-info-circle:"\\f05a";'
           '--pst-icon-admonition-note:var(--pst-icon-info-circle);--pst-icon-github:"\\f09b"}'
           '.admonition.note>.admonition-title:after{content:var(--pst-icon-admonition-note)}'
           'a.github:before{content:var(--pst-icon-github);font:var(--fa-font-brands)}')
    out = icons.mask_css(css, by_code)
    note, github = out.splitlines()
    assert note.startswith('.admonition.note>.admonition-title:after{content:"";'
                           'font-family:inherit;')
    assert "d='M7 8'" in note and "width:1em" not in note          # sized by the theme's rule
    assert github.startswith("a.github:before{") and "d='M5 6'" in github
    assert "width:1em" in github


def png(width: int, height: int) -> bytes:
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc
    raw = b"".join(b"\0" + b"\0\0\0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def test_inline_images_become_lazy_files_with_their_size(tmp_path):
    data = png(3, 2)
    page = tmp_path / "chapters" / "ch.html"
    page.parent.mkdir()
    html = (f'<img class="nnx-frame" alt="a frame" hidden src="data:image/png;base64,'
            f'{base64.b64encode(data).decode()}">'
            '<img alt="Binder logo" src="../_static/images/logo.png">')
    out = image_files.images_as_files(html, page, tmp_path)
    files = list((tmp_path / "_images" / "embedded").iterdir())
    assert len(files) == 1 and files[0].read_bytes() == data
    assert (f'src="../_images/embedded/{files[0].name}" width="3" height="2" loading="lazy" '
            'decoding="async">') in out
    assert '<img alt="Binder logo" src="../_static/images/logo.png">' in out   # the theme's
    assert image_files.images_as_files(out, page, tmp_path) == out             # idempotent


def test_head_scripts_are_deferred_but_documentation_options():
    html = ('<html><head><script src="../_static/documentation_options.js?v=1"></script>'
            '<script>DOCUMENTATION_OPTIONS.pagename = "x";</script>'
            '<script src="../_static/doctools.js?v=2"></script>'
            '<script async="async" src="../_static/sphinx-thebe.js"></script></head>'
            '<body><main><article><p>After this chapter you can</p><p>' + "word " * 50
            + '</p></article></main><script src="late.js"></script></body></html>')
    out = page_head.light_head(html)
    assert '<script src="../_static/documentation_options.js?v=1">' in out
    assert '<script defer src="../_static/doctools.js?v=2">' in out
    assert '<script async="async" src="../_static/sphinx-thebe.js">' in out
    assert '<script src="late.js">' in out                       # the body is left alone
    description = out.split('<meta name="description" content="')[1].split('"')[0]
    assert description.startswith("word word") and len(description) <= 160
    assert page_head.light_head(out) == out
