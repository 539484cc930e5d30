"""The explorers of the book: thin wrappers over the drawing functions of :mod:`nnlib.plotting`.

Every explorer comes twice:

* a **live widget** (``lr_explorer()``, ...) for Jupyter, Binder and Colab: controls plus
  an ``Output`` filled kernel-side (its ``outputs`` are set to the PNG of the figure at
  start and on every change), never ``interact``. The cell's only output is the widget
  view, whose text is a short stable line such as ``<learning-rate explorer: η=0.1>``, so
  nbval can compare it, while Jupyter shows the live figure. The sliders are
  ``w.controls[...]`` and the figure on show is ``w.figure``.
* a **kernel-free control** (``lr_static()``, ...) for the static HTML book, which has no
  kernel: every state is drawn in advance and embedded as a PNG in a self-contained HTML
  snippet with one labelled control per parameter (an ``<input type="range">`` for a
  number, a ``<select>`` for a category such as the activation) and a few lines of inline
  JavaScript that show the frame of the chosen values. No external request, and element
  ids derived from the explorer's name, so the stored output is the same on every run.

ipywidgets and matplotlib are imported inside the functions.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence

#: Resolution of the frames of the kernel-free explorers (small pages) and of the live ones.
STATIC_DPI = 80
LIVE_DPI = 96
#: The zlib level of a live explorer's PNG. Level 3 encodes it in half the time of Pillow's
#: default 6 (a twentieth of a redraw) for 5 % more bytes, sent once and never stored. The
#: kernel-free frames, stored in the notebooks, keep the default.
LIVE_PNG_COMPRESSION = 3


def _fmt(value) -> str:
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


# ---- the kernel-free control -------------------------------------------------------------

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
        self.texts = {label: [str((names or {}).get(label, {}).get(v, _fmt(v))) for v in values]
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


def static_explorer(draw: Callable, params: Mapping[str, Sequence], *, name: str, title: str,
                    labels: Mapping[str, str] | None = None,
                    initial: Mapping[str, object] | None = None,
                    dpi: int = STATIC_DPI, names: Mapping[str, Mapping] | None = None,
                    kinds: Mapping[str, str] | None = None) -> StaticExplorer:
    """Build a :class:`StaticExplorer` by drawing ``draw(**state)`` for every state.

    Parameters
    ----------
    draw : callable
        Takes the parameters as keyword arguments and returns a ``Figure``.
    params : mapping from argument name to its values, e.g. ``{"lr": (0.01, 0.1, 1.0)}``
    name, title : str
        See :class:`StaticExplorer`.
    labels : mapping from argument name to the label shown, e.g. ``{"lr": "η (learning
        rate)"}``; default the argument name.
    initial : mapping from argument name to the value shown first.
    dpi : int
    names, kinds : mappings by argument name, see :class:`StaticExplorer` (e.g.
        ``names={"name": {"leaky_relu": "leaky ReLU"}}``; string values get a ``<select>``).
    """
    labels = {arg: (labels or {}).get(arg, arg) for arg in params}
    frames, alts = {}, {}
    for combo in itertools.product(*params.values()):
        fig = draw(**dict(zip(params, combo, strict=True)))
        frames[combo], alts[combo] = figure_png(fig, dpi), _figure_title(fig)
    return StaticExplorer(frames, {labels[arg]: list(v) for arg, v in params.items()}, name,
                          title, initial={labels[a]: v for a, v in (initial or {}).items()},
                          alts=alts, dpi=dpi,
                          names={labels[a]: m for a, m in (names or {}).items()},
                          kinds={labels[a]: m for a, m in (kinds or {}).items()})


# ---- the live widgets --------------------------------------------------------------------

def _display_data(fig, dpi: int) -> dict:
    """The ``display_data`` output of ``fig`` as a PNG, as ``Output.append_display_data``
    makes it (built here so that no IPython shell is needed, e.g. in tests)."""
    png = base64.b64encode(figure_png(fig, dpi, LIVE_PNG_COMPRESSION)).decode("ascii")
    w, h = (round(float(v) * dpi) for v in fig.get_size_inches())
    return {"output_type": "display_data",
            "data": {"image/png": png, "text/plain": f"<Figure size {w}x{h}>"},
            "metadata": {}}


_EXPLORER_CLASS: list = []
_EXPLORER_COUNT: dict[str, int] = {}


def _explorer_class():
    """``Explorer``, an ``ipywidgets.VBox`` subclass (made on first use: ipywidgets is
    imported only when a widget is built)."""
    if _EXPLORER_CLASS:
        return _EXPLORER_CLASS[0]
    import ipywidgets as W

    class Explorer(W.VBox):
        """Controls above an ``Output`` that shows ``draw(**values)``.

        Attributes
        ----------
        controls : dict
            The control widgets by the drawing function's argument name; set
            ``w.controls["stride"].value = 2`` and the figure is redrawn.
        figure : matplotlib.figure.Figure
            The figure on show.
        output : ipywidgets.Output
            Holds the figure as one PNG ``display_data`` output, set kernel-side (no
            ``interact``, no captured display): the notebook cell's own output is only the
            widget view, with the short stable text ``repr(w)``.
        """

        def __init__(self, draw: Callable, controls: Mapping, *, kind: str, name: str,
                     labels: Mapping[str, str] | None = None, dpi: int = LIVE_DPI) -> None:
            self._draw, self.kind, self.dpi = draw, kind, dpi
            self.controls = dict(controls)
            self._labels = {k: (labels or {}).get(k, k) for k in self.controls}
            self.output = W.Output()
            self.figure = None
            bar = W.HBox(list(self.controls.values()),
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
            # A model id of our own, not a random one: the notebook stores the widget view's
            # id, and re-executing a chapter must rewrite the same bytes. Unique within a
            # kernel (a counter per explorer), the same in every fresh kernel.
            _EXPLORER_COUNT[name] = _EXPLORER_COUNT.get(name, 0) + 1
            model_id = f"nnx-{name}-explorer-{_EXPLORER_COUNT[name]}"
            super().__init__(children=[bar, self.output], model_id=model_id)
            self.add_class("nnx-explorer")
            self.add_class(f"nnx-{name}-explorer")
            for control in self.controls.values():
                control.observe(self._changed, names="value")
            self.redraw()

        @property
        def values(self) -> dict:
            """The current value of every control, by argument name."""
            return {k: c.value for k, c in self.controls.items()}

        def redraw(self) -> None:
            """Draw the current state and put it in the ``Output``.

            The same as ``out.outputs = (); out.append_display_data(png)``, in one
            assignment: one message to the front end, and no IPython shell needed.
            """
            self.figure = self._draw(**self.values)
            self.output.outputs = (_display_data(self.figure, self.dpi),)

        def _changed(self, change) -> None:
            self.redraw()

        def __repr__(self) -> str:
            state = ", ".join(f"{self._labels[k]}={_fmt(v)}" for k, v in self.values.items())
            return f"<{self.kind} explorer: {state}>"

    _EXPLORER_CLASS.append(Explorer)
    return Explorer


def _style():
    return {"description_width": "initial"}


def _selection_slider(values: Sequence, value, description: str):
    import ipywidgets as W

    if value not in values:
        raise ValueError(f"{description} must be one of {list(values)}, got {value!r}")
    return W.SelectionSlider(options=[(_fmt(v), v) for v in values], value=value,
                             description=description, continuous_update=False,
                             style=_style(), layout=W.Layout(width="460px"))


def _int_slider(value: int, low: int, high: int, description: str):
    import ipywidgets as W

    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{description} must be an integer in [{low}, {high}], got {value!r}")
    return W.IntSlider(value=value, min=low, max=high, step=1, description=description,
                       continuous_update=False, style=_style(),
                       layout=W.Layout(width="260px"))


def _buttons(options: Sequence, value, description: str):
    import ipywidgets as W

    keys = [o[1] if isinstance(o, tuple) else o for o in options]
    if value not in keys:
        raise ValueError(f"{description} must be one of {keys}, got {value!r}")
    return W.ToggleButtons(options=list(options), value=value, description=description,
                           style={**_style(), "button_width": "auto"})


# ---- learning rate η --------------------------------------------------------------------

_LR_LABEL = "η (learning rate)"
_LR_TITLE = ("Learning rate η: gradient descent on a bowl (left) and the training loss of a "
             "network on the digits (right)")


def lr_explorer(lr: float = 0.1):
    """Live learning-rate explorer: a slider over
    :data:`~nnlib.plotting.explorer_lr.LR_GRID` drives
    :func:`~nnlib.plotting.explorer_lr.plot_lr`."""
    from .plotting import LR_GRID, lr_bowl_run, lr_network_run, plot_lr

    for value in LR_GRID:       # train every η of the slider now: a move then only redraws
        lr_bowl_run(value)
        lr_network_run(value)
    controls = {"lr": _selection_slider(LR_GRID, lr, _LR_LABEL)}
    return _explorer_class()(plot_lr, controls, kind="learning-rate", name="lr",
                             labels={"lr": "η"})


def lr_static() -> StaticExplorer:
    """Kernel-free learning-rate explorer (one frame per η of ``LR_GRID``, 0.1 first)."""
    from .plotting import LR_GRID, plot_lr

    return static_explorer(plot_lr, {"lr": LR_GRID}, name="lr", title=_LR_TITLE,
                           labels={"lr": _LR_LABEL}, initial={"lr": 0.1})


# ---- batch size B ------------------------------------------------------------------------

_BATCH_LABELS = {"batch_size": "B (batch size)", "lr": "η (learning rate)"}
_BATCH_TITLE = ("Batch size B: 5 epochs of mini-batch SGD on the line, its path on the "
                "contours of E_in (left) and E_in after every update (right)")


def batch_explorer(batch_size: int = 16, lr: float = 0.1):
    """Live batch-size explorer: sliders over
    :data:`~nnlib.plotting.explorer_batch.BATCH_GRID` and ``BATCH_LR_GRID`` drive
    :func:`~nnlib.plotting.explorer_batch.plot_batch`."""
    from .plotting import BATCH_GRID, BATCH_LR_GRID, batch_run, plot_batch

    for B, eta in itertools.product(BATCH_GRID, BATCH_LR_GRID):   # every run now: a move
        batch_run(B, eta)                                           # then only redraws
    controls = {"batch_size": _selection_slider(BATCH_GRID, batch_size,
                                                _BATCH_LABELS["batch_size"]),
                "lr": _selection_slider(BATCH_LR_GRID, lr, _BATCH_LABELS["lr"])}
    return _explorer_class()(plot_batch, controls, kind="batch-size", name="batch",
                             labels={"batch_size": "B", "lr": "η"})


def batch_static() -> StaticExplorer:
    """Kernel-free batch-size explorer: B × η (15 frames), B = 16 and η = 0.1 first."""
    from .plotting import BATCH_GRID, BATCH_LR_GRID, plot_batch

    return static_explorer(plot_batch, {"batch_size": BATCH_GRID, "lr": BATCH_LR_GRID},
                           name="batch", title=_BATCH_TITLE, labels=_BATCH_LABELS,
                           initial={"batch_size": 16, "lr": 0.1})


# ---- softmax temperature T ---------------------------------------------------------------

_TEMPERATURE_LABELS = {"temperature": "T (temperature)", "true_class": "true class c"}
_TEMPERATURE_TITLE = ("Temperature T: softmax(s / T) of the scores s = (3, 1, 0.2, −1) and "
                      "the loss −ln p_c of the true class")


def _temperature_class_names() -> dict:
    from .plotting import TEMPERATURE_SCORES

    return {c: f"{c} (score {s:g})" for c, s in enumerate(TEMPERATURE_SCORES)}


def temperature_explorer(temperature: float = 1.0, true_class: int = 0):
    """Live temperature explorer: a slider over
    :data:`~nnlib.plotting.explorer_temperature.TEMPERATURE_GRID` and a dropdown of the
    true class drive :func:`~nnlib.plotting.explorer_temperature.plot_temperature`."""
    import ipywidgets as W

    from .plotting import TEMPERATURE_GRID, plot_temperature

    names = _temperature_class_names()
    if true_class not in names:
        raise ValueError(f"true class must be one of {list(names)}, got {true_class!r}")
    controls = {"temperature": _selection_slider(TEMPERATURE_GRID, temperature,
                                                 _TEMPERATURE_LABELS["temperature"]),
                "true_class": W.Dropdown(options=[(t, c) for c, t in names.items()],
                                         value=true_class,
                                         description=_TEMPERATURE_LABELS["true_class"],
                                         style=_style(), layout=W.Layout(width="260px"))}
    return _explorer_class()(plot_temperature, controls, kind="temperature",
                             name="temperature", labels={"temperature": "T",
                                                         "true_class": "c"})


def temperature_static() -> StaticExplorer:
    """Kernel-free temperature explorer: T × true class (20 frames), T = 1 and class 0
    first; the class is a ``<select>``."""
    from .plotting import TEMPERATURE_GRID, TEMPERATURE_SCORES, plot_temperature

    return static_explorer(plot_temperature,
                           {"temperature": TEMPERATURE_GRID,
                            "true_class": tuple(range(len(TEMPERATURE_SCORES)))},
                           name="temperature", title=_TEMPERATURE_TITLE,
                           labels=_TEMPERATURE_LABELS, initial={"temperature": 1.0},
                           names={"true_class": _temperature_class_names()},
                           kinds={"true_class": "select"})


# ---- weight decay λ ---------------------------------------------------------------------

_WD_LABEL = "λ (weight decay)"
_WD_TITLE = ("Weight decay λ: loss curves, decision boundary and weights of a small "
             "network trained on 20 noisy points")


def weight_decay_explorer(lam: float = 0.01):
    """Live weight-decay explorer: a slider over
    :data:`~nnlib.plotting.explorer_weight_decay.WEIGHT_DECAY_GRID` (0, then log-spaced to 1)
    drives :func:`~nnlib.plotting.explorer_weight_decay.plot_weight_decay`."""
    from .plotting import WEIGHT_DECAY_GRID, plot_weight_decay, weight_decay_run

    for value in WEIGHT_DECAY_GRID:     # train every λ of the slider now: a move only redraws
        weight_decay_run(value)
    controls = {"lam": _selection_slider(WEIGHT_DECAY_GRID, lam, _WD_LABEL)}
    return _explorer_class()(plot_weight_decay, controls, kind="weight-decay",
                             name="weight-decay", labels={"lam": "λ"})


def weight_decay_static() -> StaticExplorer:
    """Kernel-free weight-decay explorer (one frame per λ, the notes' 0.01 first)."""
    from .plotting import WEIGHT_DECAY_GRID, WEIGHT_DECAY_NOTES, plot_weight_decay

    return static_explorer(plot_weight_decay, {"lam": WEIGHT_DECAY_GRID},
                           name="weight-decay", title=_WD_TITLE, labels={"lam": _WD_LABEL},
                           initial={"lam": WEIGHT_DECAY_NOTES})


# ---- dropout rate p ------------------------------------------------------------------------

_DROPOUT_LABEL = "p (dropout rate)"
_DROPOUT_TITLE = ("Dropout rate p: loss curves and fitted function of the chapter's network "
                  "on its 16 noisy points, 3000 epochs")


def dropout_explorer(p: float = 0.1):
    """Live dropout explorer: a slider over
    :data:`~nnlib.plotting.explorer_dropout.DROPOUT_GRID` drives
    :func:`~nnlib.plotting.explorer_dropout.plot_dropout_rate`."""
    from .plotting import DROPOUT_GRID, dropout_run, plot_dropout_rate

    for value in DROPOUT_GRID:          # train every p of the slider now: a move only redraws
        dropout_run(value)
    controls = {"p": _selection_slider(DROPOUT_GRID, p, _DROPOUT_LABEL)}
    return _explorer_class()(plot_dropout_rate, controls, kind="dropout", name="dropout")


def dropout_static() -> StaticExplorer:
    """Kernel-free dropout explorer (one frame per p, the text's 0.1 first)."""
    from .plotting import DROPOUT_GRID, plot_dropout_rate

    return static_explorer(plot_dropout_rate, {"p": DROPOUT_GRID}, name="dropout",
                           title=_DROPOUT_TITLE, labels={"p": _DROPOUT_LABEL},
                           initial={"p": 0.1})


# ---- early-stopping patience ---------------------------------------------------------------

_PATIENCE_LABEL = "patience (epochs)"
_PATIENCE_TITLE = ("Early stopping: fit with EarlyStopping(patience, restore_best=True) on the "
                   "chapter's network; where it stops and which epoch's weights it keeps")


def patience_explorer(patience: int = 1):
    """Live early-stopping explorer: a slider over
    :data:`~nnlib.plotting.explorer_patience.PATIENCE_GRID` drives
    :func:`~nnlib.plotting.explorer_patience.plot_patience`."""
    from .plotting import PATIENCE_GRID, patience_run, plot_patience

    for value in PATIENCE_GRID:         # train every patience now: a move only redraws
        patience_run(value)
    controls = {"patience": _selection_slider(PATIENCE_GRID, patience, _PATIENCE_LABEL)}
    return _explorer_class()(plot_patience, controls, kind="early-stopping", name="patience")


def patience_static() -> StaticExplorer:
    """Kernel-free early-stopping explorer (one frame per patience, 1 first)."""
    from .plotting import PATIENCE_GRID, plot_patience

    return static_explorer(plot_patience, {"patience": PATIENCE_GRID}, name="patience",
                           title=_PATIENCE_TITLE, labels={"patience": _PATIENCE_LABEL},
                           initial={"patience": 1})


# ---- initialisation and depth ------------------------------------------------------------

_INIT_LABEL = "initialisation"
_INIT_DEPTH_LABEL = "depth (hidden layers)"
_INIT_TITLE = ("Initialisation and depth: the spread of the activations layer by layer, and "
               "whether fit trains the network on the digits")


def init_explorer(init: str = "normal", depth: int = 10):
    """Live initialisation explorer: the ``init=`` of ``Linear`` (N(0, 1), Xavier, He) and
    the depth (:data:`~nnlib.plotting.explorer_init.INIT_DEPTHS`) drive
    :func:`~nnlib.plotting.explorer_init.plot_init`."""
    from .plotting import INIT_DEPTHS, INIT_DISPLAY_NAMES, INIT_NAMES, init_run, plot_init

    for name in INIT_NAMES:             # train every state now: a move only redraws
        for d in INIT_DEPTHS:
            init_run(name, d)
    controls = {"init": _buttons([(INIT_DISPLAY_NAMES[k], k) for k in INIT_NAMES], init,
                                 _INIT_LABEL),
                "depth": _selection_slider(INIT_DEPTHS, depth, _INIT_DEPTH_LABEL)}
    return _explorer_class()(plot_init, controls, kind="initialisation", name="init")


def init_static() -> StaticExplorer:
    """Kernel-free initialisation explorer: initialisation × depth (12 frames), the
    initialisation chosen in a ``<select>`` (N(0, 1), Xavier, He); N(0, 1) with 10 layers
    first, the network of the text."""
    from .plotting import INIT_DEPTHS, INIT_DISPLAY_NAMES, INIT_NAMES, plot_init

    return static_explorer(plot_init, {"init": INIT_NAMES, "depth": INIT_DEPTHS},
                           name="init", title=_INIT_TITLE,
                           labels={"init": _INIT_LABEL, "depth": _INIT_DEPTH_LABEL},
                           names={"init": dict(INIT_DISPLAY_NAMES)},
                           initial={"init": "normal", "depth": 10})


# ---- convolution ------------------------------------------------------------------------

_CONV_TITLE = ("Convolution: stride s, zero padding p and kernel size k decide the output "
               "size")


def _conv_drawer(image):
    from .plotting import conv_kernel, explorer_image, plot_conv

    picture = explorer_image() if image is None else image

    def draw(stride: int = 1, padding: int = 0, kernel_size: int = 3, kernel: str = "edge"):
        return plot_conv(picture, conv_kernel(kernel, kernel_size), stride, padding,
                         kernel_name=kernel)

    return draw


def conv_explorer(image=None, *, stride: int = 1, padding: int = 1, kernel_size: int = 3,
                  kernel: str = "edge"):
    """Live convolution explorer: stride (1–3), padding (0–2), kernel size (3 or 5) and the
    kernel (edge E, blur, sharpen, Sobel x/y) drive
    :func:`~nnlib.plotting.explorer_conv.plot_conv` on ``image`` (default: the grey sample
    picture, 48×48)."""
    import ipywidgets as W

    from .plotting import CONV_KERNEL_NAMES

    if kernel not in CONV_KERNEL_NAMES:
        raise ValueError(f"kernel must be one of {list(CONV_KERNEL_NAMES)}, got {kernel!r}")
    controls = {"stride": _int_slider(stride, 1, 3, "stride"),
                "padding": _int_slider(padding, 0, 2, "padding"),
                "kernel_size": _buttons([3, 5], kernel_size, "kernel size"),
                "kernel": W.Dropdown(options=list(CONV_KERNEL_NAMES), value=kernel,
                                     description="kernel", style=_style(),
                                     layout=W.Layout(width="200px"))}
    return _explorer_class()(_conv_drawer(image), controls, kind="convolution", name="conv",
                             labels={"kernel_size": "k"})


def conv_static() -> StaticExplorer:
    """Kernel-free convolution explorer: stride × padding × kernel size (18 frames) for the
    notes' edge kernel E."""
    return static_explorer(_conv_drawer(None),
                           {"stride": (1, 2, 3), "padding": (0, 1, 2), "kernel_size": (3, 5)},
                           name="conv", title=_CONV_TITLE,
                           labels={"stride": "stride s", "padding": "padding p",
                                   "kernel_size": "kernel size k"},
                           initial={"stride": 1, "padding": 1, "kernel_size": 3})


# ---- activation functions ----------------------------------------------------------------

# (label, value) pairs: the names the text uses, the keys of nnlib.activations.ACTIVATIONS
_ACTIVATION_NAMES = (("ReLU", "relu"), ("sigmoid", "sigmoid"), ("tanh", "tanh"),
                     ("leaky ReLU", "leaky_relu"))
_ACTIVATION_TITLE = "Activation functions φ and their derivatives φ'"


def activation_explorer(name: str = "relu", alpha: float = 0.1):
    """Live activation explorer: the activation (and leaky ReLU's α) drive
    :func:`~nnlib.plotting.explorer_activation.plot_activation`."""
    import ipywidgets as W

    from .plotting import plot_activation

    controls = {"name": _buttons(_ACTIVATION_NAMES, name, "φ"),
                "alpha": W.FloatSlider(value=alpha, min=0.0, max=0.3, step=0.01,
                                       description="α (leaky ReLU)", readout_format=".2f",
                                       continuous_update=False, style=_style(),
                                       disabled=name != "leaky_relu")}

    def follow(change) -> None:               # α only matters for leaky ReLU
        controls["alpha"].disabled = change["new"] != "leaky_relu"

    controls["name"].observe(follow, names="value")
    return _explorer_class()(plot_activation, controls, kind="activation",
                             name="activation", labels={"name": "φ", "alpha": "α"})


def activation_static() -> StaticExplorer:
    """Kernel-free activation explorer: one frame per activation (α = 0.1), chosen in a
    ``<select>`` whose options are the names the text uses (ReLU, ..., leaky ReLU)."""
    from .plotting import plot_activation

    return static_explorer(plot_activation, {"name": [v for _, v in _ACTIVATION_NAMES]},
                           name="activation", title=_ACTIVATION_TITLE,
                           labels={"name": "activation φ"},
                           names={"name": {v: text for text, v in _ACTIVATION_NAMES}},
                           kinds={"name": "select"})


# ---- pooling ------------------------------------------------------------------------------

_POOL_TITLE = "Pooling: the mode, kernel size k and stride s"


def pooling_explorer(mode: str = "max", kernel_size: int = 2, stride: int = 2):
    """Live pooling explorer: mode (max, mean, min), kernel size (2–3) and stride (1–3)
    drive :func:`~nnlib.plotting.explorer_pooling.plot_pooling` on the 6×6 example and the
    sample picture."""
    from .plotting import plot_pooling

    controls = {"mode": _buttons(["max", "mean", "min"], mode, "mode"),
                "kernel_size": _int_slider(kernel_size, 2, 3, "kernel size"),
                "stride": _int_slider(stride, 1, 3, "stride")}
    return _explorer_class()(plot_pooling, controls, kind="pooling", name="pooling",
                             labels={"kernel_size": "k", "stride": "s"})


def pooling_static() -> StaticExplorer:
    """Kernel-free pooling explorer: mode × kernel size × stride (18 frames)."""
    from .plotting import plot_pooling

    return static_explorer(plot_pooling, {"mode": ("max", "mean", "min"),
                                          "kernel_size": (2, 3), "stride": (1, 2, 3)},
                           name="pooling", title=_POOL_TITLE,
                           labels={"mode": "mode", "kernel_size": "kernel size k",
                                   "stride": "stride s"},
                           initial={"mode": "max", "kernel_size": 2, "stride": 2})
