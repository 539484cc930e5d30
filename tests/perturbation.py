"""Run a chapter as another machine would, and compare what it shows.

Another CPU rounds the last bits of a matrix product or of ``exp`` differently (OpenBLAS
picks a kernel per CPU, numpy its SIMD loops per CPU). A stable run turns such differences
into differences of a few ulps in what it computes, which no shown digit feels; a run on the
edge of divergence, or a printed round-off number, turns them into other digits. These
helpers make such differences on purpose, without touching the machine's ``OPENBLAS_*``:

- :func:`nudge_initial_weights` multiplies every weight ``nnlib.layers.init_weights``
  draws (every ``Linear`` and ``Conv2D``) by ``1 + NUDGE·s``, ``s = ±1`` at random: a
  relative change of 1e-9, a million times a last-bit difference, far below any shown digit;
- :func:`narrowed_simd` is the ``NPY_DISABLE_CPU_FEATURES`` value that turns off every SIMD
  target numpy would dispatch to on this CPU, so numpy's own loops (``exp``, ``tanh``,
  ``log``, ...) run its baseline code and round as an older CPU's would;
- :func:`kernel_env` makes the environment of a kernel that runs :data:`STARTUP` first:
  it installs the nudge when ``NNLIB_NUDGE`` is set, and with ``NNLIB_FIGURE_TEXTS`` set
  it writes the text of every figure the chapter renders (titles, labels, legends,
  annotations: where the explorers and figures print their numbers) to that file, one
  JSON list per figure;
- :func:`nbval` runs nbval on a chapter in such an environment, as a teacher's CI would.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

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
def nudge_initial_weights(rel: float = NUDGE, seed: int = 0):
    """Within the block, every array ``nnlib.layers.init_weights`` returns is multiplied
    by ``1 + rel·s``, with a random sign ``s = ±1`` per entry (a generic direction: a
    regular pattern such as +1, -1, +1, ... can miss a run's unstable one). The signs come
    from a generator of their own, seeded with ``seed`` and the array's size, so the random
    streams of the chapter (data, dropout masks, batch orders) stay as they are, and two
    networks the chapter draws alike stay alike."""
    import numpy as np

    import nnlib
    from nnlib import conv, layers

    original = layers.init_weights

    def nudged(*args, **kwargs):
        w = original(*args, **kwargs)
        s = np.random.default_rng([seed, w.size]).choice([-1.0, 1.0], size=w.shape)
        return (w * (1.0 + rel * s)).astype(w.dtype)

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


#: What a kernel with ``NNLIB_UNRENDERED`` set writes for every figure instead of its PNG:
#: a valid 1 × 1 PNG (nbval compares no image, and the static explorers' frames are
#: compared without their PNG payloads).
PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                        "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae"
                        "426082")


def install_in_kernel() -> None:
    """What :data:`STARTUP` runs in a kernel, as the environment asks: the nudge
    (``NNLIB_NUDGE``); the figure texts' log (``NNLIB_FIGURE_TEXTS``), written whenever a
    figure is printed (shown inline or saved: every explorer frame); and, with
    ``NNLIB_UNRENDERED`` set, no rendering: each printed figure becomes :data:`PNG_1X1`."""
    if os.environ.get("NNLIB_NUDGE"):
        nudge = nudge_initial_weights(float(os.environ["NNLIB_NUDGE"]))
        nudge.__enter__()
        _INSTALLED.append(nudge)        # held: a collected generator would undo the nudge
    log = os.environ.get("NNLIB_FIGURE_TEXTS")
    unrendered = bool(os.environ.get("NNLIB_UNRENDERED"))
    if log or unrendered:
        from matplotlib.backend_bases import FigureCanvasBase

        print_figure = FigureCanvasBase.print_figure
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write("null\n")                  # this kernel's figures follow

        def printed(self, filename, *args, **kwargs):
            if log:
                with open(log, "a", encoding="utf-8") as f:
                    f.write(json.dumps(figure_texts(self.figure), ensure_ascii=False) + "\n")
            if not unrendered:
                return print_figure(self, filename, *args, **kwargs)
            if hasattr(filename, "write"):
                filename.write(PNG_1X1)
            else:
                Path(filename).write_bytes(PNG_1X1)
            return None

        FigureCanvasBase.print_figure = printed


def narrowed_simd() -> str:
    """``NPY_DISABLE_CPU_FEATURES`` for this CPU: every SIMD target above its baseline that
    numpy was built to dispatch to and found on this CPU (``numpy.show_config``'s "found";
    on an AVX-512 machine, e.g. ``X86_V3 X86_V4 AVX512_ICL``: AVX2/FMA3 and the AVX-512
    family), so that numpy runs its baseline loops. Empty where it found none."""
    import numpy as np

    return " ".join(np.show_config(mode="dicts")["SIMD Extensions"]["found"])


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


def nbval(paths: list[Path], env: dict[str, str]) -> subprocess.Popen:
    """``pytest --nbval paths`` as a teacher's CI runs it (strict, with the sanitize rules
    of ``tests/nbval_sanitize.cfg``; one fresh kernel per notebook, in their order), started
    in a process of its own with environment ``env``: ``.communicate()`` gives its report
    and ``.returncode`` its verdict."""
    env = {k: v for k, v in env.items() if not k.startswith("PYTEST_")}   # not an xdist worker
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--nbval", *map(str, paths), "--nbval-sanitize-with",
         str(TESTS / "nbval_sanitize.cfg")],
        cwd=TESTS.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)


def nbval_failures(report: str, limit: int = 4000) -> str:
    """nbval's report of the failing cells (their differences), without colour codes."""
    report = re.sub(r"\x1b\[[0-9;]*m", "", report)
    failures = report.partition("= FAILURES =")[2].partition("short test summary info")[0]
    return (failures or report).strip()[:limit]


def read_figure_texts(log: Path) -> list[list[list[str]]]:
    """The figure texts the kernels of :func:`kernel_env` wrote to ``log``: per kernel (in
    the order they started), one list of texts per figure."""
    kernels: list[list[list[str]]] = []
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry is None:                   # a kernel started
                kernels.append([])
            else:
                kernels[-1].append(entry)
    return kernels
