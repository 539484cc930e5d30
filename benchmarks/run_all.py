"""Run every benchmark, print the tables and write ``benchmarks/RESULTS.md``.

RESULTS.md holds the machine (cores, CPU model, memory, load), the versions (Python,
numpy and its BLAS kernel, PyTorch if installed, scikit-learn, Jupyter Book), the command,
every figure, and every target of the issue marked met or not met.

Run: ``make bench``, or ``python benchmarks/run_all.py [--only conv,train,book,page,fresh]``
(``fresh``: ``make book`` and ``make test`` in fresh clones of ``HEAD``, about 5 minutes).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from importlib import metadata

from _common import (
    NO_TORCH,
    ROOT,
    THREADS,
    OtherLoad,
    Section,
    limit_threads,
    optional_torch,
    targets_table,
    unset_overrides,
    without_openblas_overrides,
)

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SUITES = ("conv", "train", "book", "page", "fresh")


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def blas_info() -> str:
    """numpy's BLAS as threadpoolctl sees it: library, version, kernel, threads."""
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_info
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not blas:
        return "unknown"
    return "; ".join(f"{i.get('internal_api')} {i.get('version')}, kernel "
                     f"{i.get('architecture', '?')}, {i.get('num_threads')} threads, "
                     f"{i.get('threading_layer', '?')}" for i in blas)


def machine_and_versions() -> list[tuple[str, str]]:
    torch = optional_torch()
    unset = unset_overrides()
    env_note = (f"{', '.join(f'{k}={v}' for k, v in unset.items())} set on this machine: unset "
                f"for the timed numpy code, kept for the book build, nbval and the notebooks' "
                f"kernels" if unset
                else ", ".join(f"{v}={os.environ[v]}" for v in ("OPENBLAS_CORETYPE",
                               "OPENBLAS_L2_SIZE") if v in os.environ) or "none set")
    return [
        ("cores (nproc)", f"{len(os.sched_getaffinity(0))} (os.cpu_count {os.cpu_count()})"),
        ("CPU", cpu_model()),
        ("memory", memory_gib()),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("numpy", version("numpy")),
        ("numpy BLAS", blas_info()),
        ("OpenBLAS overrides", env_note),
        ("PyTorch", f"{torch.__version__}, {torch.get_num_threads()} threads" if torch
         else NO_TORCH),
        ("scikit-learn", version("scikit-learn")),
        ("threadpoolctl", version("threadpoolctl")),
        ("jupyter-book", version("jupyter-book")),
        ("matplotlib", version("matplotlib")),
        ("threads given to each side", str(THREADS)),
    ]


def command_line() -> str:
    args = " ".join(sys.argv[1:])
    script = "benchmarks/run_all.py" + (f" {args}" if args else "")
    return f"make bench  (= .venv/bin/python {script})"


def fmt_load(cores: float | None) -> str:
    return "unknown" if cores is None else f"{cores:.2f} cores"


def write_results(sections: list[Section], info: list[tuple[str, str]], started: str,
                  seconds: float, loads: tuple[tuple[float, ...], tuple[float, ...]],
                  others: dict[str, float | None]) -> None:
    targets = [t for s in sections for t in s.targets]
    not_met = [t for t in targets if t.met is False]
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run_all.py`; do not edit by hand (re-run `make bench`). "
        "How the figures are measured: `benchmarks/README.md`.",
        "",
        f"- Command: `{command_line()}`",
        f"- Run: {started}, {seconds:.0f} s in all",
        f"- Load average (1, 5, 15 min) at start {loads[0]}, at end {loads[1]}",
        "- CPU kept busy by *other* processes while each part ran (0 on a quiet machine; "
        "figures taken under such load are slower, PyTorch's and numpy's 2-thread calls "
        "most): " + ", ".join(f"{k} {fmt_load(v)}" for k, v in others.items()),
        "",
        "## Machine and versions",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info],
        "",
        "## Targets",
        "",
        targets_table(targets),
        "",
        ("Every target that could be measured is met." if not not_met else
         "Not met: " + "; ".join(f"{t.name} ({t.measured}, goal {t.goal})" for t in not_met)
         + ". See the notes below."),
        "",
    ]
    for s in sections:
        lines += [f"## {s.title}", "", s.body, ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    without_openblas_overrides()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SUITES),
                        help=f"comma-separated subset of {','.join(SUITES)}")
    chosen = parser.parse_args().only.split(",")
    unknown = set(chosen) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s) {sorted(unknown)}; choose from {SUITES}")

    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    start, load_start, whole = time.perf_counter(), os.getloadavg(), OtherLoad()
    others: dict[str, float | None] = {}
    limit_threads()
    info = machine_and_versions()
    for k, v in info:
        print(f"{k:>28}: {v}")
    sections = []
    for suite in SUITES:
        if suite not in chosen:
            continue
        print(f"\n== {suite} ==", flush=True)
        module = __import__(f"{suite}_bench")
        meter = OtherLoad()
        section = module.run()
        others[suite] = meter.cores()
        print(f"\n### {section.title}\n\n{section.body}\n\n(other processes kept "
              f"{fmt_load(others[suite])} busy meanwhile)", flush=True)
        sections.append(section)
    others["whole run"] = whole.cores()
    seconds = time.perf_counter() - start
    loads = (tuple(round(x, 2) for x in load_start), tuple(round(x, 2) for x in os.getloadavg()))
    write_results(sections, info, started, seconds, loads, others)
    print(targets_table([t for s in sections for t in s.targets]))
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {seconds:.0f} s.")


if __name__ == "__main__":
    main()
