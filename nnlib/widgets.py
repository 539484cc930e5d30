"""The explorers of the book, each declared once as an :class:`Explorer`.

An explorer is a drawing function (one state in, one ``Figure`` out) and its parameters,
declared in the chapter's explorer module (``nnlib/plotting/chNN_explorer_NAME.py``)::

    lr_explorer = Explorer(
        name="lr", kind="learning-rate", title="Learning rate η: ...", draw=plot_lr,
        params=(Param("lr", "η (learning rate)", LR_GRID, default=0.1, short="η"),),
        run=...)

Everything else is derived from that declaration:

* ``lr_explorer.live()``, the **live widget** for Jupyter, Binder and Colab: one control
  per parameter above an ``Output`` filled kernel-side (its ``outputs`` are set to the PNG
  of the figure at start and on every change), never ``interact``. The cell's only output
  is the widget view, whose text is a short stable line such as ``<learning-rate explorer:
  η=0.1>``, so nbval can compare it, while Jupyter shows the live figure. The controls are
  ``w.controls[...]`` and the figure on show is ``w.figure``.
* ``lr_explorer.static()``, the **kernel-free control** for the static HTML book
  (:class:`~nnlib.kernel_free.StaticExplorer`): every state drawn in advance.
* the tests and benchmarks that walk every explorer's states: ``nnlib.plotting.EXPLORERS``
  collects the declarations.

This module knows no particular explorer (the plotting modules import it, not the other
way round). ipywidgets is imported when a live widget is built.
"""

from __future__ import annotations

import base64
import functools
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .kernel_free import STATIC_DPI, StaticExplorer, figure_png, value_text

#: Resolution of the live explorers' figures.
LIVE_DPI = 96
#: The zlib level of a live explorer's PNG. Level 3 encodes it in half the time of Pillow's
#: default 6 (a twentieth of a redraw) for 5 % more bytes, sent once and never stored. The
#: kernel-free frames, stored in the notebooks, keep the default.
LIVE_PNG_COMPRESSION = 3
#: A category with more options than this gets a dropdown in the live widget, not buttons.
MAX_BUTTONS = 4


@dataclass(frozen=True)
class Param:
    """One parameter of an explorer: an argument of its drawing function.

    Parameters
    ----------
    name : str
        The drawing function's keyword argument, e.g. ``"lr"``.
    label : str
        What the control is labelled with, units included: ``"η (learning rate)"``,
        ``"patience (epochs)"``.
    values : sequence
        The grid: the kernel-free control has one frame for each value (of each
        combination with the other parameters). A parameter with one value gets no
        kernel-free control: it is drawn at that value.
    default : object
        The value shown first, in both controls; one of ``values``.
    short : str, optional
        Its name in the live widget's one-line text (``η=0.1``); default ``name``.
    names : mapping from value to str, optional
        The text shown for a value (``{"leaky_relu": "leaky ReLU"}``); default the value
        itself (``0.1``, ``max``).
    category : bool, optional
        A choice among named options (a ``<select>``, buttons or a dropdown), not a
        slider; default: when every value is a string.
    live_values : sequence, optional
        The live widget's values, when it offers more than the kernel-free grid (the
        convolution's kernels, leaky ReLU's α); default ``values``.
    active_when : (str, object), optional
        ``(other parameter, value)``: the live control is enabled only while the other
        parameter has that value (α only matters for leaky ReLU).
    """

    name: str
    label: str
    values: tuple
    default: object
    short: str | None = None
    names: Mapping | None = None
    category: bool | None = None
    live_values: tuple | None = None
    active_when: tuple[str, object] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))
        if self.live_values is not None:
            object.__setattr__(self, "live_values", tuple(self.live_values))
        if not self.values:
            raise ValueError(f"Param {self.name!r} values must hold at least one value, "
                             f"got {self.values!r}")
        for which in ("values", "live_values"):
            grid = getattr(self, which)
            if grid is not None and self.default not in grid:
                raise ValueError(f"Param {self.name!r} default must be one of its {which} "
                                 f"{list(grid)}, got {self.default!r}")
        if self.category is None:
            object.__setattr__(self, "category", all(isinstance(v, str) for v in self.values))

    @property
    def choices(self) -> tuple:
        """The values the live widget offers."""
        return self.values if self.live_values is None else self.live_values

    def text(self, value) -> str:
        """``value`` as the controls show it."""
        return str((self.names or {}).get(value, value_text(value)))


@dataclass(frozen=True, repr=False)
class Explorer:
    """An explorer of the book: its drawing function and its parameters, declared once.

    Parameters
    ----------
    name : str
        Lower-case letters, digits and hyphens; the element ids (``nnx-<name>``) and the
        live widget's model id derive from it.
    kind : str
        What it explores, in the live widget's text: ``<learning-rate explorer: η=0.1>``.
    title : str
        The line above the kernel-free control, and the start of each frame's alt text.
    draw : callable
        ``draw(**state)`` returns the ``Figure`` of one state (a value per parameter).
    params : tuple of Param
        The controls, in the order shown.
    run : callable, optional
        ``run(**state)`` computes (and caches) the training a state's figure shows; the live
        widget runs every state of the grid first, so that moving a control only redraws.
    """

    name: str
    kind: str
    title: str
    draw: Callable
    params: tuple[Param, ...]
    run: Callable | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.name):
            raise ValueError(f"Explorer name must be lower-case letters, digits and hyphens "
                             f"(it makes the element ids), got {self.name!r}")
        names = [p.name for p in self.params]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"Explorer {self.name!r} params must be distinct Params, got "
                             f"{names}")

    def __repr__(self) -> str:
        params = " × ".join(f"{p.label} ({len(p.values)})" for p in self.params)
        return f"<{self.kind} explorer {self.name!r}: {params}>"

    @property
    def default(self) -> dict:
        """The state shown first, each parameter at its default."""
        return {p.name: p.default for p in self.params}

    @property
    def varied(self) -> tuple[Param, ...]:
        """The parameters of the kernel-free control (those with more than one value)."""
        return tuple(p for p in self.params if len(p.values) > 1)

    def states(self) -> list[dict]:
        """Every state of the kernel-free control, in its frames' order (the last
        parameter varies fastest)."""
        fixed = {p.name: p.default for p in self.params if len(p.values) == 1}
        varied = self.varied
        return [{**fixed, **dict(zip((p.name for p in varied), combo, strict=True))}
                for combo in itertools.product(*(p.values for p in varied))]

    def static(self, dpi: int = STATIC_DPI) -> StaticExplorer:
        """The kernel-free control: a frame drawn for every state of :meth:`states`."""
        varied = self.varied
        frames, alts = {}, {}
        for state in self.states():
            key = tuple(state[p.name] for p in varied)
            fig = self.draw(**state)
            frames[key], alts[key] = figure_png(fig, dpi), fig.get_suptitle()
        return StaticExplorer(
            frames, {p.label: list(p.values) for p in varied}, self.name, self.title,
            initial={p.label: p.default for p in varied}, alts=alts, dpi=dpi,
            names={p.label: dict(p.names) for p in varied if p.names},
            kinds={p.label: "select" if p.category else "range" for p in varied})

    def live(self, **values):
        """The live widget (an ``ipywidgets.VBox``), starting at the defaults updated by
        ``values`` (e.g. ``lr_explorer.live(lr=0.3)``); every value must be on its control."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise ValueError(f"{self.name} explorer has no parameter {sorted(unknown)}; its "
                             f"parameters are {[p.name for p in self.params]}")
        state = {**self.default, **values}
        for p in self.params:
            if state[p.name] not in p.choices:
                raise ValueError(f"{p.label} must be one of {list(p.choices)}, got "
                                 f"{state[p.name]!r}")
        if self.run is not None:
            for each in self.states():
                self.run(**each)
        return _live_class()(self, state)


# ---- the live widget ---------------------------------------------------------------------

def _display_data(fig, dpi: int) -> dict:
    """The ``display_data`` output of ``fig`` as a PNG, as ``Output.append_display_data``
    makes it (built here so that no IPython shell is needed, e.g. in tests)."""
    png = base64.b64encode(figure_png(fig, dpi, LIVE_PNG_COMPRESSION)).decode("ascii")
    w, h = (round(float(v) * dpi) for v in fig.get_size_inches())
    return {"output_type": "display_data",
            "data": {"image/png": png, "text/plain": f"<Figure size {w}x{h}>"},
            "metadata": {}}


def _control(p: Param, value):
    """The ipywidgets control of ``p``: a slider over its values, or buttons (a dropdown
    for many options) for a category."""
    import ipywidgets as W

    options = [(p.text(v), v) for v in p.choices]
    style = {"description_width": "initial"}
    if not p.category:
        return W.SelectionSlider(options=options, value=value, description=p.label,
                                 continuous_update=False, style=style,
                                 layout=W.Layout(width="460px"))
    if len(options) > MAX_BUTTONS:
        return W.Dropdown(options=options, value=value, description=p.label, style=style,
                          layout=W.Layout(width="260px"))
    return W.ToggleButtons(options=options, value=value, description=p.label,
                           style={**style, "button_width": "auto"})


#: How many live widgets of each explorer this kernel has made (their model ids).
_MADE: dict[str, int] = {}


@functools.cache
def _live_class():
    """The live widget's class, an ``ipywidgets.VBox`` (made on first use: ipywidgets is
    imported only when a widget is built)."""
    import ipywidgets as W

    class LiveExplorer(W.VBox):
        """Controls above an ``Output`` that shows ``explorer.draw(**values)``.

        Attributes
        ----------
        explorer : Explorer
            The declaration it was built from.
        controls : dict
            The control widgets by parameter name; set ``w.controls["stride"].value = 2``
            and the figure is redrawn.
        figure : matplotlib.figure.Figure
            The figure on show.
        output : ipywidgets.Output
            Holds the figure as one PNG ``display_data`` output, set kernel-side (no
            ``interact``, no captured display): the notebook cell's own output is only the
            widget view, with the short stable text ``repr(w)``.
        """

        def __init__(self, explorer: Explorer, state: Mapping, dpi: int = LIVE_DPI) -> None:
            self.explorer, self.dpi = explorer, dpi
            self.controls = {p.name: _control(p, state[p.name]) for p in explorer.params}
            self.output = W.Output()
            self.figure = None
            bar = W.HBox(list(self.controls.values()),
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
            # A model id of our own, not a random one: the notebook stores the widget view's
            # id, and re-executing a chapter must rewrite the same bytes. Unique within a
            # kernel (a counter per explorer), the same in every fresh kernel.
            _MADE[explorer.name] = _MADE.get(explorer.name, 0) + 1
            model_id = f"nnx-{explorer.name}-explorer-{_MADE[explorer.name]}"
            super().__init__(children=[bar, self.output], model_id=model_id)
            self.add_class("nnx-explorer")
            self.add_class(f"nnx-{explorer.name}-explorer")
            for control in self.controls.values():
                control.observe(self._changed, names="value")
            self._enable()
            self.redraw()

        @property
        def values(self) -> dict:
            """The current value of every control, by parameter name."""
            return {k: c.value for k, c in self.controls.items()}

        def redraw(self) -> None:
            """Draw the current state and put it in the ``Output``.

            The same as ``out.outputs = (); out.append_display_data(png)``, in one
            assignment: one message to the front end, and no IPython shell needed.
            """
            self.figure = self.explorer.draw(**self.values)
            self.output.outputs = (_display_data(self.figure, self.dpi),)

        def _enable(self) -> None:
            for p in self.explorer.params:
                if p.active_when is not None:
                    other, value = p.active_when
                    self.controls[p.name].disabled = self.controls[other].value != value

        def _changed(self, change) -> None:
            self._enable()
            self.redraw()

        def __repr__(self) -> str:
            state = ", ".join(f"{p.short or p.name}={value_text(self.controls[p.name].value)}"
                              for p in self.explorer.params)
            return f"<{self.explorer.kind} explorer: {state}>"

    return LiveExplorer


__all__ = ["Explorer", "Param", "LIVE_DPI", "LIVE_PNG_COMPRESSION", "MAX_BUTTONS"]
