"""The kernel-free control of an explorer, for the static HTML book (no kernel there).

Every state is drawn in advance and embedded as a PNG in a self-contained HTML snippet
with one labelled control per parameter (an ``<input type="range">`` for a number, a
``<select>`` for a category such as the activation) and a few lines of inline JavaScript
that show the frame of the chosen values. No external request, and element ids derived
from the explorer's name, so the stored output is the same on every run.
:meth:`nnlib.widgets.Explorer.static` builds one from an explorer's declaration.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import re
from collections.abc import Mapping, Sequence

#: Resolution of the frames of the kernel-free explorers (small pages).
STATIC_DPI = 80


def value_text(value) -> str:
    """A parameter value as shown to the reader: ``0.1``, ``3``, ``relu``."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def figure_png(fig, dpi: int = STATIC_DPI, compress_level: int | None = None) -> bytes:
    """Render a matplotlib ``Figure`` to PNG bytes (no software tag: the same bytes each run);
    ``compress_level`` is zlib's, 0 to 9 (default: Pillow's)."""
    buf = io.BytesIO()
    extra = {} if compress_level is None else {"pil_kwargs": {"compress_level": compress_level}}
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, **extra)
    return buf.getvalue()


def _figure_title(fig) -> str:
    """The figure's suptitle (the explorers put the state and the verdict there)."""
    get = getattr(fig, "get_suptitle", None)
    return get() if get is not None else ""


# Shows the frame of the current values of the controls (range sliders and selects, in
# document order); the frames are in itertools.product order of the parameters (the last
# parameter varies fastest). It finds its explorer from its own
# <script> element, so several explorers (even the same one twice) can share a page.
_STATIC_JS = """(function () {
  var me = document.currentScript;
  var root = me && me.parentNode && me.parentNode.closest ?
    me.parentNode.closest(".nnx-explorer") : null;
  root = root || document.getElementById("__ROOT__");
  if (!root || root.getAttribute("data-nnx-ready")) { return; }
  root.setAttribute("data-nnx-ready", "1");
  var sliders = root.querySelectorAll("input.nnx-slider, select.nnx-select");
  var frames = root.querySelectorAll("img.nnx-frame");
  function show() {
    var index = 0;
    for (var k = 0; k < sliders.length; k++) {
      var el = sliders[k], texts = JSON.parse(el.getAttribute("data-values"));
      var v = parseInt(el.value, 10);
      index = index * texts.length + v;
      if (el.tagName === "INPUT") { el.setAttribute("aria-valuetext", texts[v]); }
      var out = root.querySelector('output[for="' + el.id + '"]');
      if (out) { out.textContent = texts[v]; }
    }
    for (var i = 0; i < frames.length; i++) {
      var on = i === index;
      frames[i].hidden = !on;
      frames[i].style.display = on ? "" : "none";
    }
    root.setAttribute("data-nnx-frame", String(index));
  }
  function keep(event) { event.stopPropagation(); }   /* arrow keys: the control only */
  for (var k = 0; k < sliders.length; k++) {
    sliders[k].addEventListener("input", show);
    sliders[k].addEventListener("change", show);
    sliders[k].addEventListener("keydown", keep);
  }
  show();
})();"""


class StaticExplorer:
    """A kernel-free explorer: precomputed frames and one labelled control per parameter: a
    range slider for numbers, a ``<select>`` of named options for categories.

    Parameters
    ----------
    frames : mapping from a tuple of values (one per parameter, in the order of
        ``params``) to a matplotlib ``Figure`` or PNG bytes
        Every combination of the parameters' values must be there.
    params : mapping from a parameter's label (e.g. ``"η (learning rate)"``) to its values
    name : str
        Lower-case letters, digits and hyphens; the element ids derive from it
        (``nnx-<name>``, ``nnx-<name>-p0``, ...), so the HTML is the same on every run.
    title : str
        A line above the controls.
    initial : mapping from label to value, optional
        The values shown first (default: each parameter's first value).
    alts : mapping from a tuple of values to str, optional
        Alternative text of each frame; by default the figure's suptitle.
    dpi : int
        Resolution of the frames given as figures.
    names : mapping from label to a mapping from value to the text shown, optional
        E.g. ``{"activation φ": {"leaky_relu": "leaky ReLU"}}``; by default a value is
        shown as it is (``0.1``, ``max``). The alt texts and readouts use these names.
    kinds : mapping from label to ``"range"`` or ``"select"``, optional
        The control of each parameter; by default ``"select"`` when all its values are
        strings (a category: labelled options, not a slider), else ``"range"``.

    ``_repr_html_()`` is the snippet (PNG frames base64-embedded, labelled ``<input
    type="range">`` controls with their current value, or ``<select>`` controls with one
    ``<option>`` per value, inline JavaScript, no URL);
    ``repr()`` is a one-line description. For browser tests: the root ``div`` has class
    ``nnx-explorer`` and ``data-testid="nnx-<name>"``; slider ``k`` is
    ``input.nnx-slider`` (or ``select.nnx-select``, whose option values are the indices
    0, 1, ...) with ``data-testid="nnx-<name>-p<k>"``; frame ``i`` is
    ``img.nnx-frame`` with ``data-testid="nnx-<name>-frame-<i>"`` and ``data-state`` (JSON: each
    parameter's label and the text its control shows for this frame), and the root's
    ``data-nnx-frame`` attribute holds the index of the frame on show.
    """

    def __init__(self, frames: Mapping[tuple, object], params: Mapping[str, Sequence], name: str,
                 title: str, *, initial: Mapping[str, object] | None = None,
                 alts: Mapping[tuple, str] | None = None, dpi: int = STATIC_DPI,
                 names: Mapping[str, Mapping] | None = None,
                 kinds: Mapping[str, str] | None = None) -> None:
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise ValueError(f"StaticExplorer name must be lower-case letters, digits and "
                             f"hyphens (it makes the element ids), got {name!r}")
        if not params or any(len(v) == 0 for v in params.values()):
            raise ValueError(f"StaticExplorer params must map each label to at least one "
                             f"value, got {dict(params)!r}")
        self.name, self.title = name, str(title)
        self.params = {str(label): list(values) for label, values in params.items()}
        self.combinations = list(itertools.product(*self.params.values()))
        for what, given in (("names", names), ("kinds", kinds)):
            unknown = set(given or {}) - set(self.params)
            if unknown:
                raise ValueError(f"StaticExplorer {what} has unknown parameters "
                                 f"{sorted(unknown)}; the parameters are {list(self.params)}")
        self.texts = {label: [str((names or {}).get(label, {}).get(v, value_text(v)))
                              for v in values]
                      for label, values in self.params.items()}
        self.kinds = {}
        for label, values in self.params.items():
            kind = (kinds or {}).get(label)
            if kind is None:
                kind = "select" if all(isinstance(v, str) for v in values) else "range"
            if kind not in ("range", "select"):
                raise ValueError(f"StaticExplorer kinds[{label!r}] must be 'range' or "
                                 f"'select', got {kind!r}")
            self.kinds[label] = kind
        missing = [c for c in self.combinations if c not in frames]
        if missing:
            raise ValueError(f"StaticExplorer frames must hold every combination of the "
                             f"parameters' values, {len(missing)} missing, e.g. {missing[0]!r}")
        initial = dict(initial or {})
        unknown = set(initial) - set(self.params)
        if unknown:
            raise ValueError(f"StaticExplorer initial has unknown parameters {sorted(unknown)}; "
                             f"the parameters are {list(self.params)}")
        self.start = []
        for label, values in self.params.items():
            value = initial.get(label, values[0])
            if value not in values:
                raise ValueError(f"StaticExplorer initial {label} must be one of {values}, "
                                 f"got {value!r}")
            self.start.append(values.index(value))
        self.pngs: list[bytes] = []
        self.alts: list[str] = []
        for combo in self.combinations:
            frame = frames[combo]
            state = ", ".join(f"{label} = {self._text(label, v)}"
                              for label, v in zip(self.params, combo, strict=True))
            if isinstance(frame, (bytes, bytearray)):
                png, alt = bytes(frame), ""
            else:
                png, alt = figure_png(frame, dpi), _figure_title(frame)
            if alts and combo in alts:
                alt = alts[combo]
            self.pngs.append(png)
            self.alts.append(f"{self.title}. {alt or state}")

    def _text(self, label: str, value) -> str:
        """How the control and the alt text show ``value`` of parameter ``label``."""
        return self.texts[label][self.params[label].index(value)]

    @property
    def root_id(self) -> str:
        return f"nnx-{self.name}"

    @property
    def index(self) -> int:
        """The index of the frame shown first (``itertools.product`` order)."""
        i = 0
        for values, k in zip(self.params.values(), self.start, strict=True):
            i = i * len(values) + k
        return i

    def _control(self, k: int, label: str, values: list) -> str:
        sid = f"{self.root_id}-p{k}"
        texts = self.texts[label]
        v = self.start[k]
        esc = html.escape
        head = (f'<div class="nnx-control" style="display:flex;align-items:center;gap:0.6em;'
                f'margin:0.15em 0;flex-wrap:wrap">'
                f'<label for="{sid}" style="min-width:10em">{esc(label)}</label>')
        if self.kinds[label] == "select":
            options = "".join(f'<option value="{i}"{" selected" if i == v else ""}>'
                              f'{esc(text)}</option>' for i, text in enumerate(texts))
            return (f'{head}<select id="{sid}" class="nnx-select" data-testid="{sid}" '
                    f'data-param="{esc(label)}" '
                    f'data-values="{esc(json.dumps(texts, ensure_ascii=False))}" '
                    f'style="font:inherit;padding:0.1em 0.3em">{options}</select></div>')
        return (f'{head}'
                f'<input type="range" id="{sid}" class="nnx-slider" data-testid="{sid}" '
                f'data-param="{esc(label)}" min="0" max="{len(values) - 1}" step="1" '
                f'value="{v}" aria-valuetext="{esc(texts[v])}" '
                f'data-values="{esc(json.dumps(texts, ensure_ascii=False))}" '
                f'style="width:16em">'
                f'<output for="{sid}" id="{sid}-value" class="nnx-value" '
                f'data-testid="{sid}-value" style="font-weight:600">{esc(texts[v])}</output>'
                f'</div>')

    def _repr_html_(self) -> str:
        root, esc, shown = self.root_id, html.escape, self.index
        # data-lm-suppress-shortcuts (and the script's keydown handler): JupyterLab's
        # keyboard shortcuts leave the arrow keys to the sliders
        parts = [f'<div class="nnx-explorer nnx-static" id="{root}" data-testid="{root}" '
                 f'data-nnx-frame="{shown}" data-lm-suppress-shortcuts="true" '
                 f'style="margin:0.5em 0">',
                 f'<div class="nnx-title" style="font-weight:600;margin-bottom:0.2em">'
                 f'{esc(self.title)}</div>']
        parts += [self._control(k, label, values)
                  for k, (label, values) in enumerate(self.params.items())]
        parts.append('<div class="nnx-frames">')
        for i, (png, alt, combo) in enumerate(zip(self.pngs, self.alts, self.combinations,
                                                  strict=True)):
            on = i == shown
            data = base64.b64encode(png).decode("ascii")
            # The frame's own state, as the controls show it: a test compares it, after
            # every move, with what the controls read out.
            state = json.dumps({label: self._text(label, v)
                                for label, v in zip(self.params, combo, strict=True)},
                               ensure_ascii=False)
            parts.append(f'<img class="nnx-frame" data-testid="{root}-frame-{i}" '
                         f'data-index="{i}" data-state="{esc(state)}" alt="{esc(alt)}" '
                         f'style="max-width:100%;height:auto{"" if on else ";display:none"}"'
                         f'{"" if on else " hidden"} src="data:image/png;base64,{data}">')
        parts.append("</div>")
        parts.append(f"<script>{_STATIC_JS.replace('__ROOT__', root)}</script>")
        parts.append("</div>")
        return "\n".join(parts)

    def to_html(self) -> str:
        """The self-contained HTML snippet (the same as ``_repr_html_()``)."""
        return self._repr_html_()

    def __repr__(self) -> str:
        params = " × ".join(f"{label} ({len(v)} values)" for label, v in self.params.items())
        return f"<kernel-free explorer {self.name!r}: {params}, {len(self.pngs)} frames>"
