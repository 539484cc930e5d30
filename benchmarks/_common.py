"""What every benchmark shares: the thread limit, a fair timer, tables and target checks.

The timing method (see README.md): each side is timed in its own block after a warm-up,
never interleaved with the other (interleaving makes each side pay for the other's
spinning BLAS/OpenMP threads); blocks are repeated and the best block counts. Both sides
run on the same number of threads: ``threadpoolctl`` limits numpy's BLAS (and any
OpenMP pool), ``torch.set_num_threads`` limits PyTorch.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREADS = 2
NO_TORCH = "PyTorch not installed: torch ratios skipped"

_limits = None   # the threadpoolctl limiter, kept alive for the life of the process
#: Set on some machines for old OpenBLAS builds that misdetect the CPU; they pin a current
#: numpy's OpenBLAS to an older, slower kernel. Removed for the benchmark process only.
OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def without_openblas_overrides() -> None:
    """Re-run this script without ``OPENBLAS_CORETYPE``/``OPENBLAS_L2_SIZE`` if they are set.

    OpenBLAS reads them when numpy is first imported, so the process must start without
    them; what is set elsewhere (tests, CI) is untouched. ``NNLIB_BENCH_KEEP_OPENBLAS=1``
    keeps them (to measure the pinned kernel).
    """
    if os.environ.get("NNLIB_BENCH_KEEP_OPENBLAS") == "1":
        return
    found = [v for v in OPENBLAS_OVERRIDES if v in os.environ]
    if found:
        print(f"(benchmark process restarted without {', '.join(found)}: OpenBLAS picks "
              f"its kernel for this CPU)", flush=True)
        env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_OVERRIDES}
        env["NNLIB_BENCH_UNSET"] = json.dumps({v: os.environ[v] for v in found})
        os.execve(sys.executable, [sys.executable, *sys.argv], env)


def unset_overrides() -> dict[str, str]:
    """The OpenBLAS variables this process was restarted without, with their values."""
    return json.loads(os.environ.get("NNLIB_BENCH_UNSET") or "{}")


@contextlib.contextmanager
def user_environment():
    """Put back the OpenBLAS variables for subprocesses (the book build, nbval, kernels),
    so that they run as ``make book`` and ``make test`` do on this machine."""
    saved = unset_overrides()
    os.environ.update(saved)
    try:
        yield
    finally:
        for var in saved:
            os.environ.pop(var, None)


def limit_threads(n: int = THREADS) -> None:
    """Run numpy's BLAS, OpenMP pools and (if installed) PyTorch on ``n`` threads."""
    global _limits
    if _limits is not None:
        _limits.restore_original_limits()
    import numpy  # noqa: F401  (loads the BLAS so that threadpoolctl can find it)
    from threadpoolctl import threadpool_limits
    torch = optional_torch()
    if torch is not None:
        torch.set_num_threads(n)
    _limits = threadpool_limits(limits=n)


def optional_torch():
    """``torch`` when it is installed, else ``None`` (it is never a dependency of the book)."""
    if importlib.util.find_spec("torch") is None:
        return None
    return importlib.import_module("torch")


def best_time(fn: Callable[[], object], *, repeats: int = 15, min_block: float = 0.005,
              warmup: float = 0.1, max_warmup: float = 1.5) -> float:
    """Seconds per call of ``fn``: the best of ``repeats`` timed blocks, after a warm-up.

    The warm-up calls ``fn`` for at least ``warmup`` seconds and until its last 5 calls
    are steady (each within 1.5× of the fastest so far), for at most ``max_warmup``
    seconds: first calls pay for lazy initialisation and cold caches, and after a switch
    of library the other side's thread pools still spin for a while (on 2 cores a
    PyTorch call then stalls for a scheduler time slice, ~24 ms, for up to ~0.3 s).
    A block is ``number`` back-to-back calls, with ``number`` chosen from the last
    warm-up calls so that one block lasts at least ``min_block`` seconds. Blocks are kept
    short and many: on a shared machine, a block during which another process took a
    core is slower (a 2-thread BLAS or OpenMP call then waits for a time slice), and
    the best block is the one that ran undisturbed.
    """
    calls: list[float] = []
    start = time.perf_counter()

    def steady() -> bool:
        return len(calls) >= 5 and max(calls[-5:]) <= 1.5 * min(calls)

    while (time.perf_counter() - start < warmup or not steady()) \
            and time.perf_counter() - start < max_warmup:
        t = time.perf_counter()
        fn()
        calls.append(time.perf_counter() - t)
    once = max(min(calls[-3:]), 1e-9)
    number = max(1, int(min_block / once) + 1)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def time_once(fn: Callable[[], object]) -> float:
    """Seconds of one call (for things too slow to repeat: the naive loops, a book build)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured markdown table, columns padded so it also reads as plain text."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


@dataclass
class Target:
    """One target of the issue: what was asked, what was measured, whether it is met."""

    name: str
    goal: str
    measured: str
    met: bool | None          # None: could not be measured (e.g. torch absent, no notebook)
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "met", False: "**not met**", None: "not measured"}[self.met]


@dataclass
class Section:
    """A benchmark's result: a title, markdown tables and notes, and its targets."""

    title: str
    body: str
    targets: list[Target]


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f}" if seconds < 1 else f"{seconds * 1e3:.0f}"


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f}"


def targets_table(targets: list[Target]) -> str:
    return markdown_table(["target", "goal", "measured", "verdict", "note"],
                          [[t.name, t.goal, t.measured, t.verdict, t.note] for t in targets])


class OtherLoad:
    """How many cores *other* processes kept busy since this object was made (Linux).

    All the machine's busy CPU time (``/proc/stat``) minus this process's and its
    waited-for children's (``os.times``), divided by the wall time: 0 on a quiet machine,
    up to the number of cores. Figures taken while it is well above 0 are slowed down.
    """

    def __init__(self) -> None:
        self._start = self._snapshot()

    @staticmethod
    def _snapshot() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat", encoding="ascii") as f:
                fields = [int(v) for v in f.readline().split()[1:]]
        except OSError:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / tick     # all but idle and iowait
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return time.monotonic(), busy, own

    def cores(self) -> float | None:
        end = self._snapshot()
        if end is None or self._start is None:
            return None
        wall = end[0] - self._start[0]
        others = (end[1] - self._start[1]) - (end[2] - self._start[2])
        return max(0.0, others / wall) if wall > 0 else None


class QuietWaiter:
    """Waits, before each measurement, for a moment when other processes leave the CPU
    alone (they keep fewer than ``threshold`` cores busy over ``window`` seconds).

    On a shared machine a 2-thread PyTorch or BLAS call stalls for a scheduler time slice
    whenever another process holds a core, and such stalls can last for seconds; waiting
    for a quiet moment keeps the comparison fair. Waits at most ``per_call`` seconds each
    time and ``budget`` seconds in all, then measures anyway (the load is reported).
    """

    def __init__(self, *, threshold: float = 0.15, window: float = 0.3,
                 per_call: float = 10.0, budget: float = 90.0) -> None:
        self.threshold, self.window = threshold, window
        self.per_call, self.budget = per_call, budget
        self.waited = 0.0

    def __call__(self) -> None:
        start = time.monotonic()
        while True:
            meter = OtherLoad()
            time.sleep(self.window)
            busy = meter.cores()
            spent = time.monotonic() - start
            if (busy is None or busy < self.threshold or spent >= self.per_call
                    or self.waited + spent >= self.budget):
                self.waited += spent
                return
