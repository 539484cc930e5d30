"""Run a chapter as another machine would, and compare what it shows.

Another CPU rounds the last bits of a matrix product or of ``exp`` differently (OpenBLAS
picks a kernel per CPU, numpy its SIMD loops per CPU). A stable run turns such differences
into differences of a few ulps in what it computes, which no shown digit feels; a run on the
edge of divergence, or a printed round-off number, turns them into other digits. These
helpers make such differences on purpose, without touching the machine's ``OPENBLAS_*``:

- :func:`nudge_initial_weights` multiplies every weight ``nnlib.layers.init_weights``
  draws (every ``Linear`` and ``Conv2D``) by ``1 + NUDGE·s``, ``s = ±1`` alternating: a
  relative change of 1e-9, a million times a last-bit difference, far below any shown digit;
- :func:`narrowed_simd` is the ``NPY_DISABLE_CPU_FEATURES`` value that turns off every SIMD
  target numpy would dispatch to on this CPU, so numpy's own loops (``exp``, ``tanh``,
  ``log``, ...) run its baseline code and round as an older CPU's would;
- :func:`kernel_env` makes the environment of a kernel (nbval's or :func:`execute`'s) that
  runs :data:`STARTUP` first: it installs the nudge when ``NNLIB_NUDGE`` is set, and with
  ``NNLIB_FIGURE_TEXTS`` set it writes the text of every figure the chapter renders
  (titles, labels, legends, annotations: where the explorers and figures print their
  numbers) to that file, one JSON list per figure;
- :func:`shown` lists what a reader sees of a notebook's outputs, cell by cell, with the
  rules of ``tests/nbval_sanitize.cfg`` applied, as nbval compares them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

import nbformat

TESTS = Path(__file__).resolve().parent
#: The nudge's size: a relative change of every initial weight.
NUDGE = 1e-9
#: What every kernel of :func:`kernel_env` runs before the chapter (an IPython startup file).
STARTUP = f"""\
import sys as _sys
_sys.path.insert(0, {str(TESTS)!r})
import perturbation as _perturbation
_perturbation.install_in_kernel()
del _sys.path[0], _sys, _perturbation
"""


_INSTALLED: list = []


@contextlib.contextmanager
def nudge_initial_weights(rel: float = NUDGE):
    """Within the block, every array ``nnlib.layers.init_weights`` returns is multiplied
    by ``1 + rel·s``, ``s`` = +1, -1, +1, ... over its entries. The nudge draws nothing, so
    the random streams (data, dropout masks, batch orders) stay as they are."""
    import numpy as np

    import nnlib
    from nnlib import conv, layers

    original = layers.init_weights

    def nudged(*args, **kwargs):
        w = original(*args, **kwargs)
        s = 1.0 - 2.0 * (np.arange(w.size) % 2)
        return (w * (1.0 + rel * s.reshape(w.shape))).astype(w.dtype)

    homes = (layers, conv, nnlib)
    for home in homes:
        home.init_weights = nudged
    try:
        yield
    finally:
        for home in homes:
            home.init_weights = original


def figure_texts(fig) -> list[str]:
    """The texts ``fig`` shows but its tick labels: titles, axis labels, legend entries,
    annotations (the tick labels follow the data limits, and are made only at drawing)."""
    from matplotlib.text import Text

    from nnlib.plotting._common import _texts_but_tick_labels

    return [t.get_text() for t in _texts_but_tick_labels(fig, Text)
            if t.get_visible() and t.get_text().strip()]


def install_in_kernel() -> None:
    """What :data:`STARTUP` runs in a kernel: the nudge (``NNLIB_NUDGE``) and the figure
    texts' log (``NNLIB_FIGURE_TEXTS``), as the environment asks."""
    if os.environ.get("NNLIB_NUDGE"):
        nudge = nudge_initial_weights(float(os.environ["NNLIB_NUDGE"]))
        nudge.__enter__()
        _INSTALLED.append(nudge)        # held: a collected generator would undo the nudge
    log = os.environ.get("NNLIB_FIGURE_TEXTS")
    if log:
        from matplotlib.backend_bases import FigureCanvasBase

        print_figure = FigureCanvasBase.print_figure

        def logged(self, *args, **kwargs):
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps(figure_texts(self.figure), ensure_ascii=False) + "\n")
            return print_figure(self, *args, **kwargs)

        FigureCanvasBase.print_figure = logged


def narrowed_simd() -> str:
    """``NPY_DISABLE_CPU_FEATURES`` for this CPU: every SIMD target numpy dispatches to
    that the CPU has (on an AVX-512 machine, e.g. ``X86_V3 X86_V4 AVX512_ICL``: AVX2/FMA3
    and the AVX-512 family), leaving numpy's baseline loops. Empty where numpy dispatches
    to nothing beyond its baseline on this CPU."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return " ".join(f for f in __cpu_dispatch__ if __cpu_features__.get(f))


def kernel_env(ipython_dir: Path, **variables: str) -> dict[str, str]:
    """The environment of a kernel that runs :data:`STARTUP` first: this process's, with
    ``IPYTHONDIR`` at ``ipython_dir`` (whose default profile gets the startup file) and
    ``variables`` added (``NNLIB_NUDGE``, ``NNLIB_FIGURE_TEXTS``,
    ``NPY_DISABLE_CPU_FEATURES``, ``OPENBLAS_NUM_THREADS``, ...)."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-nnlib-perturbation.py").write_text(STARTUP, encoding="utf-8")
    env = {**os.environ, "IPYTHONDIR": str(ipython_dir), **variables}
    env.pop("MPLBACKEND", None)                 # the chapters keep the inline backend
    return env


def execute(path: Path, env: dict[str, str], timeout: int = 300) -> dict:
    """``path`` executed top to bottom in a fresh kernel with environment ``env``, as
    ``make notebooks`` executes it; returns the executed notebook (a cell that raised
    holds its error as its output, for :func:`differences` to report)."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}, record_timing=False,
                   store_widget_state=False).execute(env=env)
    return nb


def sanitize_rules(cfg: Path = TESTS / "nbval_sanitize.cfg") -> list[tuple[re.Pattern, str]]:
    """The ``regex:``/``replace:`` pairs of nbval's sanitize file (nbval's own format)."""
    lines = [line.strip() for line in cfg.read_text(encoding="utf-8").splitlines()]
    return [(re.compile(a.removeprefix("regex:").strip()), b.removeprefix("replace:").strip())
            for a, b in zip(lines, lines[1:], strict=False)
            if a.startswith("regex:") and b.startswith("replace:")]


def _cell_texts(cell: dict) -> list[str]:
    """A code cell's outputs as text: its streams joined per stream (as the kernel's
    separate writes are), each text, Markdown, HTML or LaTeX output, each image's alt."""
    streams: dict[str, str] = {}
    texts = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            streams[output["name"]] = streams.get(output["name"], "") + output["text"]
        elif kind == "error":
            texts.append(f"error: {output['ename']}: {output['evalue']}")
        else:
            data = output.get("data", {})
            texts += [f"{mime}: {''.join(data[mime])}" for mime in
                      ("text/plain", "text/markdown", "text/html", "text/latex") if mime in data]
            image = output.get("metadata", {}).get("image/png", {})
            if isinstance(image, dict) and "alt" in image:
                texts.append(f"alt: {image['alt']}")
    return [f"{name}: {text}" for name, text in streams.items()] + texts


def shown(nb: dict) -> dict[int, list[str]]:
    """``{cell index: texts}`` of ``nb``'s code cells, sanitized as nbval sanitizes."""
    rules = sanitize_rules()

    def clean(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    return {i: [clean(t) for t in _cell_texts(cell)] for i, cell in enumerate(nb["cells"])
            if cell["cell_type"] == "code"}


def first_difference(a: str, b: str) -> str:
    """The first line in which ``a`` and ``b`` differ, as ``'…' | '…'``."""
    xa, xb = a.splitlines() + ["<end>"], b.splitlines() + ["<end>"]
    u, v = next(((u, v) for u, v in zip(xa, xb, strict=False) if u != v), (a, b))
    return f"{u!r:.240} | {v!r:.240}"


def differences(stored: dict, fresh: dict) -> list[str]:
    """One report per code cell whose outputs ``fresh`` shows otherwise than ``stored``."""
    a, b = shown(stored), shown(fresh)
    reports = []
    for i in a:
        if a[i] != b.get(i):
            x, y = "\n".join(a[i]), "\n".join(b.get(i, []))
            reports.append(f"cell {i}: stored | now: {first_difference(x, y)}")
    return reports


def read_figure_texts(log: Path) -> list[list[str]]:
    """The figure texts a kernel of :func:`kernel_env` wrote, one list per figure."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
