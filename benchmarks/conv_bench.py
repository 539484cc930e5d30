"""Conv2D and the three pools, forward + backward, over a suite of shapes.

For every shape: nnlib's time per forward+backward, its ratio to the naive loops of
:mod:`nnlib.reference`, its ratio to PyTorch's CPU ops (float64, same thread count) when
torch is installed, and the peak memory of one forward+backward (``tracemalloc``, to
which numpy reports its allocations).

The naive loops take seconds per *sample*, so they are timed once on the first sample
of the batch and scaled by the batch size: every loop runs once per sample, so their time
is linear in the batch to well within the accuracy needed for a ratio in the thousands.

Run: ``python benchmarks/conv_bench.py`` (``--quick``: fewer blocks, no naive loops)
"""

from __future__ import annotations

import argparse
import contextlib
import math
import tracemalloc
from dataclasses import dataclass

import numpy as np
from _common import (
    NO_TORCH,
    THREADS,
    OtherLoad,
    QuietWaiter,
    Section,
    Target,
    best_time,
    fmt_ms,
    limit_threads,
    markdown_table,
    optional_torch,
    time_once,
    without_openblas_overrides,
)

from nnlib import _conv_speed
from nnlib._conv_speed import CHUNK_BYTES
from nnlib.conv import AvgPool2D, Conv2D, MaxPool2D, MinPool2D
from nnlib.reference import (
    conv2d_backward_loops,
    conv2d_loops,
    pool2d_backward_loops,
    pool2d_loops,
)

# Targets of the issue
TORCH_GEOMEAN = 1.2      # geometric mean of nnlib / torch over the suite
TORCH_WORST = 2.5        # no single shape worse than this
LOOPS_SPEEDUP = 50.0     # at least this much faster than the naive loops
MEMORY_CASE = (128, 16, 28, 28)


@dataclass(frozen=True)
class ConvCase:
    n: int
    c_in: int
    c_out: int
    size: int
    k: int
    s: int
    p: int

    @property
    def label(self) -> str:
        return (f"Conv2D {self.n}×{self.c_in}×{self.size}² → {self.c_out}, "
                f"k{self.k} s{self.s} p{self.p}")

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (self.n, self.c_in, self.size, self.size)


@dataclass(frozen=True)
class PoolCase:
    kind: str            # "max", "avg" or "min"
    n: int
    c: int
    size: int
    k: int
    s: int

    @property
    def label(self) -> str:
        return f"{self.kind.capitalize()}Pool2D {self.n}×{self.c}×{self.size}², k{self.k} s{self.s}"

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        return (self.n, self.c, self.size, self.size)


# Batch 32-128, 1-16 channels, 8×8 to 32×32, kernels 3 and 5, strides 1 and 2, paddings 0-2.
CONV_CASES = [
    ConvCase(128, 1, 8, 8, 3, 1, 1),       # the digits, first layer
    ConvCase(128, 8, 16, 8, 3, 1, 1),      # the digits, second layer
    ConvCase(64, 1, 8, 28, 5, 1, 2),
    ConvCase(128, 16, 16, 28, 3, 1, 1),    # the memory case of the issue
    ConvCase(64, 16, 16, 14, 5, 1, 0),
    ConvCase(32, 3, 16, 32, 3, 1, 0),
    ConvCase(32, 16, 16, 32, 3, 2, 1),
    ConvCase(64, 8, 16, 28, 5, 2, 2),
    ConvCase(32, 4, 8, 32, 5, 2, 0),
    ConvCase(128, 16, 8, 16, 3, 2, 0),
]
POOL_SHAPES = [  # (n, c, size, k, s)
    (128, 8, 8, 2, 2),
    (128, 16, 28, 2, 2),
    (64, 16, 32, 3, 2),
    (32, 16, 16, 3, 1),
    (64, 4, 28, 5, 1),
    (32, 1, 32, 5, 2),
]
POOL_CASES = [PoolCase(kind, *shape) for shape in POOL_SHAPES for kind in ("max", "avg", "min")]
POOLS = {"max": MaxPool2D, "avg": AvgPool2D, "min": MinPool2D}


# -- the three implementations of one forward + backward ------------------------------------

def nnlib_step(case, x: np.ndarray, g: np.ndarray, rng: np.random.Generator):
    """A closure running nnlib's forward then backward on ``x`` with upstream gradient ``g``."""
    if isinstance(case, ConvCase):
        layer = Conv2D(case.c_in, case.c_out, case.k, case.s, case.p, rng=rng)
    else:
        layer = POOLS[case.kind](case.k, case.s)

    def step():
        layer.forward(x)
        return layer.backward(g)
    return step, layer


def torch_step(torch, case, x: np.ndarray, g: np.ndarray, layer):
    """The same forward + backward with ``torch.nn.functional`` and autograd, float64."""
    F = torch.nn.functional
    xt = torch.from_numpy(x).requires_grad_()
    gt = torch.from_numpy(g)
    if isinstance(case, ConvCase):
        Wt = torch.from_numpy(layer.W.value.copy()).requires_grad_()
        bt = torch.from_numpy(layer.b.value.copy()).requires_grad_()
        leaves = (xt, Wt, bt)

        def forward():
            return F.conv2d(xt, Wt, bt, stride=case.s, padding=case.p)
    else:
        leaves = (xt,)
        pool = {"max": lambda t: F.max_pool2d(t, case.k, case.s),
                "avg": lambda t: F.avg_pool2d(t, case.k, case.s),
                "min": lambda t: -F.max_pool2d(-t, case.k, case.s)}[case.kind]

        def forward():
            return pool(xt)

    def step():
        for t in leaves:
            t.grad = None
        forward().backward(gt)
        return xt.grad
    return step


def loops_time(case, x: np.ndarray, g: np.ndarray, layer) -> float:
    """Seconds of the naive loops' forward + backward on the whole batch (1 sample × N)."""
    x1, g1 = x[:1], g[:1]
    if isinstance(case, ConvCase):
        W, b = layer.W.value, layer.b.value

        def run():
            conv2d_loops(x1, W, b, case.s, case.p)
            conv2d_backward_loops(x1, W, g1, case.s, case.p)
    else:
        def run():
            pool2d_loops(x1, case.k, case.s, case.kind)
            pool2d_backward_loops(x1, g1, case.k, case.s, case.kind)
    return time_once(run) * case.n


def peak_memory(step) -> int:
    """Peak bytes allocated during one call of ``step`` beyond what existed before it:
    everything the forward and backward allocate (output, gradients, what the layer keeps
    for backward, temporaries); not the input and upstream gradient, which exist before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        step()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


# -- the suite --------------------------------------------------------------------------------

def measure(case, torch, *, loops: bool = True, wait=lambda: None, repeats: int = 15) -> dict:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(case.input_shape)
    _, layer = nnlib_step(case, x, np.zeros(1), np.random.default_rng(1))
    g = rng.standard_normal(layer.forward(x).shape)
    # peak memory first, on a fresh layer: nothing of an earlier call is cached yet
    result = {"case": case, "input_bytes": x.nbytes,
              "peak": peak_memory(nnlib_step(case, x, g, np.random.default_rng(1))[0])}
    step, layer = nnlib_step(case, x, g, np.random.default_rng(1))
    tstep = None
    if torch is not None:
        tstep = torch_step(torch, case, x, g, layer)
        # same numbers, or the comparison means nothing (float64: sums in another order)
        np.testing.assert_allclose(step(), tstep().numpy(), atol=1e-9, err_msg=case.label)
    wait()
    meter = OtherLoad()
    result["nnlib"] = best_time(step, repeats=repeats)
    if tstep is not None:
        result["torch"] = best_time(tstep, repeats=repeats)
        # the same on one thread each: how much of the gap is PyTorch's second core
        with one_thread():
            result["nnlib_1"] = best_time(step, repeats=repeats)
            result["torch_1"] = best_time(tstep, repeats=repeats)
    result["others"] = meter.cores()
    if loops:
        result["loops"] = loops_time(case, x, g, layer)
    return result


@contextlib.contextmanager
def one_thread():
    """numpy's BLAS, PyTorch and nnlib's own threads (chunks of images) on one thread."""
    limit_threads(1)
    threads, _conv_speed.POOL_THREADS = _conv_speed.POOL_THREADS, 1
    try:
        yield
    finally:
        _conv_speed.POOL_THREADS = threads
        limit_threads()


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


def run(*, loops: bool = True, verbose: bool = True, repeats: int = 15) -> Section:
    limit_threads()
    torch = optional_torch()
    results = []
    if torch is None and verbose:
        print(f"  {NO_TORCH}", flush=True)
    wait = QuietWaiter()
    for case in CONV_CASES + POOL_CASES:
        results.append(measure(case, torch, loops=loops, wait=wait, repeats=repeats))
        if verbose:
            r = results[-1]
            extra = f"  torch {fmt_ms(r['torch'])} ms" if "torch" in r else ""
            print(f"  {case.label:<46} nnlib {fmt_ms(r['nnlib'])} ms{extra}", flush=True)
    return report(results, torch, wait.waited)


def report(results: list[dict], torch, waited: float = 0.0) -> Section:
    headers = ["layer and input (N×C×H²)", "nnlib ms", "loops ms", "loops / nnlib"]
    if torch is not None:
        headers += ["torch ms", "nnlib / torch", "nnlib / torch, 1 thread"]
    headers += ["peak MB", "peak / input", "other load"]
    rows = []
    for r in results:
        row = [r["case"].label, fmt_ms(r["nnlib"])]
        row += ([fmt_ms(r["loops"]), f"{r['loops'] / r['nnlib']:.0f}×"] if "loops" in r
                else ["–", "–"])
        if torch is not None:
            row += [fmt_ms(r["torch"]), f"{r['nnlib'] / r['torch']:.2f}",
                    f"{r['nnlib_1'] / r['torch_1']:.2f}"]
        row += [f"{r['peak'] / 1e6:.1f}", f"{r['peak'] / r['input_bytes']:.1f}×",
                "?" if r.get("others") is None else f"{r['others']:.2f}"]
        rows.append(row)
    body = [markdown_table(headers, rows),
            f"Times are per forward + backward, best of many blocks, with {THREADS} threads "
            f"for each side" + ("; *1 thread*: the ratio with one thread each" if torch else "")
            + f". *other load*: cores "
            f"kept busy by other processes while the row was timed (0 = quiet machine). "
            f"Before each row the benchmark waited for a quiet moment ({waited:.0f} s of "
            f"waiting in all)."]
    targets = []

    if torch is not None:
        def ratios(kind=object, key=""):
            return [r[f"nnlib{key}"] / r[f"torch{key}"] for r in results
                    if isinstance(r["case"], kind)]
        gm, conv_gm, pool_gm = (geometric_mean(ratios(k)) for k in (object, ConvCase, PoolCase))
        gm_1, conv_gm_1, pool_gm_1 = (geometric_mean(ratios(k, "_1"))
                                      for k in (object, ConvCase, PoolCase))
        worst = max(results, key=lambda r: r["nnlib"] / r["torch"])
        worst_ratio = worst["nnlib"] / worst["torch"]
        conv_worst = max(ratios(ConvCase))
        body.append(f"nnlib / torch, geometric mean: **{gm:.2f}** over all {len(results)} "
                    f"shapes (Conv2D {conv_gm:.2f}, worst {conv_worst:.2f}; pools "
                    f"{pool_gm:.2f}); worst {worst_ratio:.2f} ({worst['case'].label}). With "
                    f"one thread each: {gm_1:.2f} (Conv2D {conv_gm_1:.2f}, pools "
                    f"{pool_gm_1:.2f}).")
        why = (f"Conv2D alone: geo. mean {conv_gm:.2f}, worst {conv_worst:.2f} (from two "
               f"chunks of im2col columns, {CHUNK_BYTES / 2**20:.0f} MiB each, on two threads "
               f"with one BLAS thread each; below, on one). The pools "
               f"({pool_gm:.2f}) run on two threads from 1 MiB of input, on one below, where "
               f"handing work to a thread costs more than it saves; on those small calls "
               f"torch's fused kernels win. At one thread each: {gm_1:.2f} (Conv2D "
               f"{conv_gm_1:.2f}, pools {pool_gm_1:.2f}).")
        worst_why = ("" if not isinstance(worst["case"], PoolCase) else
                     f"a {worst['nnlib'] * 1e3:.2f} ms call: a few numpy calls per kernel offset "
                     f"(2k = {2 * worst['case'].k}: rows, then columns), µs of overhead each, "
                     f"against one fused loop in torch")
        targets += [
            Target("conv + pool fwd+bwd vs PyTorch CPU, geometric mean",
                   f"≤ {TORCH_GEOMEAN}×", f"{gm:.2f}×", gm <= TORCH_GEOMEAN,
                   "" if gm <= TORCH_GEOMEAN else why),
            Target("conv + pool fwd+bwd vs PyTorch CPU, worst shape",
                   f"≤ {TORCH_WORST:g}×", f"{worst_ratio:.2f}× ({worst['case'].label})",
                   worst_ratio <= TORCH_WORST, "" if worst_ratio <= TORCH_WORST else worst_why),
        ]
        torch_version = torch.__version__
        body.append(f"PyTorch {torch_version}, float64, autograd forward + backward, "
                    f"{torch.get_num_threads()} threads.")
    else:
        body.append(NO_TORCH + ".")
        targets.append(Target("conv + pool fwd+bwd vs PyTorch CPU", f"≤ {TORCH_GEOMEAN}× "
                              f"geo. mean, ≤ {TORCH_WORST:g}× worst", "–", None, NO_TORCH))
    if any("loops" in r for r in results):
        speedups = [r["loops"] / r["nnlib"] for r in results if "loops" in r]
        slowest = min(results, key=lambda r: r.get("loops", math.inf) / r["nnlib"])
        body.append(f"Speed-up over the naive loops: geometric mean "
                    f"{geometric_mean(speedups):.0f}×, smallest {min(speedups):.0f}× "
                    f"({slowest['case'].label}). The loops are timed once on one sample "
                    f"and scaled by the batch size.")
        targets.append(Target("conv + pool fwd+bwd vs naive loops, every shape",
                              f"≥ {LOOPS_SPEEDUP:.0f}× faster", f"{min(speedups):.0f}× "
                              f"(smallest)", min(speedups) >= LOOPS_SPEEDUP))
    mem = next((r for r in results if isinstance(r["case"], ConvCase)
                and r["case"].input_shape == MEMORY_CASE), None)
    if mem is not None:
        c = mem["case"]
        side = (c.size + 2 * c.p - c.k) // c.s + 1
        columns = c.n * c.c_in * c.k ** 2 * side ** 2 * 8     # im2col of the whole batch
        kept = 2 * c.n * c.c_in * (c.size + 2 * c.p) ** 2 * 8  # padded x (kept) + padded dx
        body.append(f"Peak memory of one forward + backward of {c.label}: "
                    f"**{mem['peak'] / 1e6:.1f} MB** for a {mem['input_bytes'] / 1e6:.1f} MB "
                    f"input ({mem['peak'] / mem['input_bytes']:.1f}× the input). Of this, "
                    f"{kept / 1e6:.1f} MB are the padded input kept for backward and the padded "
                    f"input gradient; the window columns (im2col) exist for "
                    f"{CHUNK_BYTES / 2**20:.0f} MiB of images at a time on each of the two "
                    f"threads, where one copy for the whole batch would take "
                    f"{columns / 1e6:.1f} MB.")
        targets.append(Target("Conv2D peak memory, (128, 16, 28, 28) forward + backward",
                              "report; no im2col copy larger than needed",
                              f"{mem['peak'] / 1e6:.1f} MB = "
                              f"{mem['peak'] / mem['input_bytes']:.1f}× input",
                              mem["peak"] < columns,
                              f"columns made {CHUNK_BYTES / 2**20:.0f} MiB at a time, not "
                              f"{columns / 1e6:.0f} MB at once"))
    return Section("Conv2D and pooling, forward + backward", "\n\n".join(body), targets)


def main() -> None:
    parser = argparse.ArgumentParser(description="Conv2D and the pools vs PyTorch and loops.")
    parser.add_argument("--quick", action="store_true",
                        help="5 blocks per side instead of 15 and no naive loops (a check "
                             "while developing; RESULTS.md comes from the full run)")
    args = parser.parse_args()
    without_openblas_overrides()
    section = run(loops=not args.quick, repeats=5 if args.quick else 15)
    print()
    print(section.body)


if __name__ == "__main__":
    main()
