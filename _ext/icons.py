"""The theme's icons as inline SVG, without FontAwesome's JavaScript or web fonts.

pydata-sphinx-theme 0.17 loads ``fontawesome.js`` (1.45 MB, 530 kB gzip'd) on every page,
which replaces each ``<i class="fa-solid fa-sun">`` by an inline ``<svg>`` once it has run,
and its CSS draws the icons of admonition titles, GitHub links and breadcrumbs with the
FontAwesome web fonts (a further 270 kB). The theme tracks this (pydata-sphinx-theme
#2379, PR #2494); until it lands, this extension does, once the build has finished, what
the script does in every reader's browser:

* each ``<i>``/``<span>`` with a FontAwesome icon class becomes the ``<svg>`` that
  ``fontawesome.js`` would make of it (same classes and attributes, ``aria-hidden``);
* the ``<script>`` tag of ``fontawesome.js`` is dropped from every page;
* ``_static/icons.css`` holds the CSS ``fontawesome.js`` injects, and, for every rule of the
  theme's CSS that draws an icon as a font glyph (``content: var(--pst-icon-…)``), the same
  icon as a CSS mask over ``currentColor``, so no web font is fetched.

The icons' outlines are read from the ``fontawesome.js`` the theme copies into the build
(its packs are plain data), so they are the theme's own icons at its own version. Nothing
installed is edited.
"""

from __future__ import annotations

import re
from pathlib import Path

ICONS_CSS = "icons.css"

# One icon in a pack: "name":[width,height,[aliases],"unicode","path" or [paths]]
_ICON = re.compile(r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)",'
                   r'("[^"]*"|\[[^\]]*\])\]')
_PACK = re.compile(r'var p=\{(.*?)\};.*?d\("(fa[a-z]+)",p\)', re.S)
_STYLE = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far",
          "fa-brands": "fab", "fab": "fab"}
_NOT_A_NAME = re.compile(r"fa-(solid|regular|brands|lg|xs|sm|xl|2xs|2xl|[0-9]+x|fw|li|"
                         r"spin|pulse|border|inverse|flip.*|rotate.*|stack.*)$")
_ELEMENT = re.compile(r'<(i|span)\b([^>]*\bclass="([^"]*\bfa-[^"]*)"[^>]*)>\s*</\1>')
_SCRIPT = re.compile(r'<script\b[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>'
                     r'\s*</script>\s*')


class Icon(tuple):
    """``(width, height, paths)`` of one icon."""

    @property
    def svg_body(self) -> str:
        return "".join(f'<path fill="currentColor" d="{d}"></path>' for d in self[2])


def read_packs(fontawesome_js: str) -> tuple[dict, dict]:
    """``({(prefix, name): Icon}, {(prefix, codepoint): Icon})`` of every icon in the
    script's packs (``fas``, ``far``, ``fab``), aliases included."""
    by_name: dict = {}
    by_code: dict = {}
    for body, prefix in _PACK.findall(fontawesome_js):
        for name, width, height, aliases, code, paths in _ICON.findall(body):
            d = re.findall(r'"([^"]*)"', paths)
            icon = Icon((int(width), int(height), [p for p in d if p]))
            by_name[prefix, name] = icon
            for alias in re.findall(r'"([a-z0-9-]+)"', aliases):
                by_name.setdefault((prefix, alias), icon)
            by_code.setdefault((prefix, int(code, 16)), icon)
    return by_name, by_code


def injected_css(fontawesome_js: str) -> str:
    """The stylesheet ``fontawesome.js`` adds to the page (``.svg-inline--fa`` and friends)."""
    start = fontawesome_js.index("':host,:root{") + 1
    return fontawesome_js[start:fontawesome_js.index("'", start)]


def inline_svg(match: re.Match, by_name: dict) -> str:
    """The ``<svg>`` for one icon element, or the element itself if its icon is unknown."""
    attributes, classes = match.group(2), match.group(3).split()
    prefix = next((_STYLE[c] for c in classes if c in _STYLE), "fas")
    names = [c[3:] for c in classes if c.startswith("fa-") and not _NOT_A_NAME.match(c)]
    icon = next((by_name[prefix, n] for n in names if (prefix, n) in by_name), None)
    if icon is None:
        return match.group(0)
    rest = re.sub(r'\s*\bclass="[^"]*"', "", attributes)
    # An icon is decoration (aria-hidden): its button or link has the name. A title would
    # be text inside the button that its name does not contain (axe's
    # label-content-name-mismatch: the theme switch is named "Color mode", not "Light").
    rest = re.sub(r'\s*\b(title|aria-hidden)="[^"]*"', "", rest)
    svg_classes = " ".join(["svg-inline--fa", *classes])
    inner = icon.svg_body
    return (f'<svg class="{svg_classes}"{rest} aria-hidden="true" focusable="false" '
            f'role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {icon[0]} {icon[1]}">'
            f"{inner}</svg>")


def _codepoint(value: str) -> int | None:
    """The codepoint of a CSS string such as ``"\\f05a"`` or a one-character string."""
    text = value.strip().strip('"')
    if text.startswith("\\"):
        return int(text[1:], 16)
    return ord(text) if len(text) == 1 else None


def mask_css(theme_css: str, by_code: dict) -> str:
    """For every rule of ``theme_css`` that draws ``content: var(--pst-icon-…)`` as a glyph,
    the same selector drawing that icon as a mask (no web font)."""
    variables = dict(re.findall(r"(--pst-icon-[a-z-]+):([^;}]+)", theme_css))

    def resolve(name: str, depth: int = 0) -> int | None:
        value = variables.get(name, "").strip()
        ref = re.fullmatch(r"var\((--pst-icon-[a-z-]+)\)", value)
        if ref and depth < 5:
            return resolve(ref.group(1), depth + 1)
        return _codepoint(value) if value else None

    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*content:var\(--pst-icon-[a-z-]+\)"
                                     r"[^{}]*)\}", theme_css):
        code = resolve(re.search(r"content:var\((--pst-icon-[a-z-]+)\)", body).group(1))
        brands = "fa-font-brands" in body
        icon = by_code.get(("fab" if brands else "fas", code)) or by_code.get(("fas", code)) \
            or by_code.get(("fab", code))
        if icon is None:
            continue
        svg = (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {icon[0]} {icon[1]}'>"
               + "".join(f"<path d='{d}'/>" for d in icon[2]) + "</svg>")
        url = 'url("data:image/svg+xml,' + svg.replace("#", "%23").replace('"', "'") + '")'
        sized = "" if "admonition-title" in selector or "width:" in body else (
            "display:inline-block;width:1em;height:1em;vertical-align:-.125em;")
        rules.append(f"{selector.strip()}{{content:\"\";font-family:inherit;{sized}"
                     f"background-color:currentColor;-webkit-mask:{url} center/contain "
                     f"no-repeat;mask:{url} center/contain no-repeat}}")
    return "\n".join(rules)


def _theme_css(static: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(static.glob("styles/*.css")))


def inline_icons(page_html: str, by_name: dict) -> str:
    """``page_html`` with its icon elements as inline SVG and no ``fontawesome.js``."""
    page_html = _ELEMENT.sub(lambda m: inline_svg(m, by_name), page_html)
    return _SCRIPT.sub("", page_html)


def _write(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    script = static / "scripts" / "fontawesome.js"
    if not script.exists():
        return
    source = script.read_text(encoding="utf-8")
    by_name, by_code = read_packs(source)
    (static / ICONS_CSS).write_text(
        injected_css(source) + "\n" + mask_css(_theme_css(static), by_code) + "\n",
        encoding="utf-8")
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = inline_icons(text, by_name)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.add_css_file(ICONS_CSS)
    app.connect("build-finished", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

