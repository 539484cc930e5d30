"""The book: execution time of every chapter notebook, of the whole book build and of the
nbval suite, and the redraw time of every live explorer.

* The book is built with ``jupyter-book build`` (the flags of ``make book``) into a
  temporary folder (``--path-output``), so nothing in the work tree changes. The build
  renders the notebooks' stored outputs (``execute_notebooks: "off"``: ``make notebooks``
  executes the chapters, nbval checks them). Each chapter is executed on its own with
  nbclient, top to bottom in a fresh kernel, in a temporary copy of ``chapters/`` (if a
  configuration executes the chapters in the build, the time myst-nb logs is used instead).
  The committed notebooks are never written.
* The nbval suite is ``pytest --nbval`` over the chapters, as ``make test`` runs it.
* Each explorer of :data:`nnlib.plotting.EXPLORERS` is built live (its first draw, which is
  the warm-up: imports, fonts, caches), then its first control is moved through all its
  other values and back, each move timed; a redraw is setting the control's value, which redraws
  the figure and renders its PNG, as in a kernel.

Run: ``python benchmarks/book_bench.py``
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    ROOT,
    QuietWaiter,
    Section,
    Target,
    markdown_table,
    user_environment,
    without_openblas_overrides,
)

os.environ.setdefault("MPLBACKEND", "Agg")

BOOK_BUDGET, NBVAL_BUDGET, NOTEBOOK_BUDGET, REDRAW_BUDGET = 90.0, 120.0, 15.0, 0.3
EXECUTED = re.compile(r"(?P<path>[^\s:]+\.ipynb): Executed notebook in (?P<s>[0-9.]+) seconds")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def chapter_notebooks() -> list[Path]:
    return sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))


def _bin(name: str) -> str:
    """An executable of the Python running this script (its venv), else from the PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


# -- the book build -------------------------------------------------------------------------

def build_book(out: Path) -> tuple[float, int, str]:
    """Seconds, exit code and log of ``jupyter-book build`` into ``out``."""
    cmd = [_bin("jupyter-book"), "build", str(ROOT), "--path-output", str(out),
           "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def notebook_times_from_log(log: str) -> dict[str, float]:
    return {Path(m["path"]).name: float(m["s"]) for m in EXECUTED.finditer(log)}


def execute_notebook(path: Path, workdir: Path) -> float:
    """Seconds to execute a copy of ``path`` in a fresh kernel (start-up included)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


# -- nbval -----------------------------------------------------------------------------------

def run_nbval(notebooks: list[Path]) -> tuple[float, int, str]:
    """Seconds, exit code and summary line of the nbval suite over ``notebooks``."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
           *[str(p.relative_to(ROOT)) for p in notebooks]]
    sanitize = ROOT / "tests" / "nbval_sanitize.cfg"
    if sanitize.exists():
        cmd += ["--nbval-sanitize-with", str(sanitize.relative_to(ROOT))]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.strip()]
    return seconds, proc.returncode, (lines[-1] if lines else proc.stderr.strip()[-200:])


# -- explorers --------------------------------------------------------------------------------

def time_explorer(explorer) -> dict:
    """First draw, and the redraws as the first control visits every other value."""
    import matplotlib.pyplot as plt

    start = time.perf_counter()
    w = explorer.live()
    first = time.perf_counter() - start
    param = explorer.params[0]
    control = w.controls[param.name]
    values = [v for v in param.choices if v != control.value] + [control.value]

    times = []
    for v in values:
        t = time.perf_counter()
        control.value = v
        times.append(time.perf_counter() - t)
    plt.close("all")
    return {"first": first, "median": statistics.median(times), "max": max(times),
            "n": len(times), "control": param.name}


def explorers() -> dict[str, dict | str]:
    """Redraw times of every live explorer, or why it could not be timed. Each explorer is
    timed in a fresh Python process, as a chapter's kernel holds it: not in this process,
    whose other suites leave many objects behind for the garbage collector to walk (one
    collection in a redraw cost up to 0.4 s here)."""
    import json

    wait = QuietWaiter(budget=15.0)
    out: dict[str, dict | str] = {}
    from nnlib.plotting import EXPLORERS

    for name in EXPLORERS:
        wait()
        proc = subprocess.run([sys.executable, __file__, "--explorer", name],
                              cwd=ROOT, capture_output=True, text=True)
        lines = proc.stdout.strip().splitlines()
        if proc.returncode != 0 or not lines:
            out[name] = f"failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}"
        else:
            out[name] = json.loads(lines[-1])
    return out


def time_one_explorer(name: str) -> dict:
    """``time_explorer`` of ``nnlib.plotting.EXPLORERS[name]`` (run in its own process)."""
    from nnlib.plotting import EXPLORERS

    return time_explorer(EXPLORERS[name])


# -- the report -------------------------------------------------------------------------------

def run(verbose: bool = True) -> Section:
    notebooks = chapter_notebooks()
    say = print if verbose else (lambda *a, **k: None)
    parts, targets = [], []

    with tempfile.TemporaryDirectory(prefix="nnlib-bench-book-") as tmp, user_environment():
        say(f"  building the book ({len(notebooks)} chapter notebooks) into {tmp} ...",
            flush=True)
        book_s, book_rc, log = build_book(Path(tmp))
        say(f"  book build: {book_s:.1f} s (exit code {book_rc})", flush=True)
        times = notebook_times_from_log(log)
        sources = {}
        work = Path(tmp) / "chapters-copy"
        for nb in notebooks:
            if nb.name in times:
                sources[nb.name] = "book build"
                continue
            if not work.exists():
                shutil.copytree(ROOT / "chapters", work)
            try:
                times[nb.name] = execute_notebook(work / nb.name, work)
                sources[nb.name] = "nbclient"
            except Exception as exc:  # noqa: BLE001
                sources[nb.name] = f"failed: {type(exc).__name__}"
            say(f"  {nb.name}: {sources[nb.name]}", flush=True)
        if book_rc != 0:
            problems = [ln for ln in ANSI.sub("", log).splitlines()
                        if "WARNING" in ln or "ERROR" in ln or "Error" in ln]
            problems = [ln for ln in problems if "Kernel is running over TCP" not in ln]
            tail = "\n".join((problems or ANSI.sub("", log).strip().splitlines())[-15:])
            parts.append(f"The book build failed (exit code {book_rc}); its last warnings:\n\n"
                         f"```\n{tail}\n```")

    rows = [[nb.name, f"{times[nb.name]:.1f}" if nb.name in times else "–",
             sources.get(nb.name, "book build")] for nb in notebooks]
    total = sum(times.get(nb.name, 0.0) for nb in notebooks)
    rows.append(["**all chapters (sum)**", f"{total:.1f}", ""])
    parts.insert(0, markdown_table(["notebook", "executed in s", "timed by"], rows))
    parts.insert(1, f"Whole book build (`jupyter-book build . -W -n --keep-going`, "
                    f"rendering the stored outputs): **{book_s:.1f} s**.")
    targets.append(Target("whole book executed (book build)", f"≤ {BOOK_BUDGET:.0f} s",
                          f"{book_s:.1f} s", book_s <= BOOK_BUDGET and book_rc == 0,
                          "" if book_rc == 0 else f"build failed (exit {book_rc})"))
    if times:
        slowest = max(times, key=times.get)
        targets.append(Target("each notebook executed", f"≤ {NOTEBOOK_BUDGET:.0f} s",
                              f"{times[slowest]:.1f} s (slowest: {slowest})",
                              times[slowest] <= NOTEBOOK_BUDGET))
    else:
        targets.append(Target("each notebook executed", f"≤ {NOTEBOOK_BUDGET:.0f} s", "–",
                              None, "no chapter notebook"))

    say("  nbval suite ...", flush=True)
    with user_environment():
        nbval_s, nbval_rc, summary = run_nbval(notebooks)
    say(f"  nbval: {nbval_s:.1f} s ({summary})", flush=True)
    parts.append(f"nbval suite (`pytest --nbval` over the {len(notebooks)} chapters): "
                 f"**{nbval_s:.1f} s**, result: `{summary}`.")
    targets.append(Target("nbval suite", f"≤ {NBVAL_BUDGET:.0f} s", f"{nbval_s:.1f} s",
                          nbval_s <= NBVAL_BUDGET,
                          "" if nbval_rc == 0 else f"the suite did not pass: {summary}"))

    say("  explorers ...", flush=True)
    redraws = explorers()
    rows, worst = [], None
    for name, r in redraws.items():
        if isinstance(r, str):
            rows.append([name, "–", "–", "–", "–", r])
            continue
        rows.append([name, f'controls["{r["control"]}"]', f"{r['first']:.3f}",
                     f"{r['median']:.3f}", f"{r['max']:.3f}", f"{r['n']} redraws"])
        if worst is None or r["max"] > redraws[worst]["max"]:
            worst = name
    parts.append(markdown_table(["explorer", "control moved", "first draw s", "redraw median s",
                                 "redraw max s", "note"], rows))
    missing = [n for n, r in redraws.items() if isinstance(r, str)]
    if worst is not None:
        w = redraws[worst]["max"]
        targets.append(Target("each explorer redraw", f"≤ {REDRAW_BUDGET} s",
                              f"{w:.3f} s (slowest: {worst})", w <= REDRAW_BUDGET and not missing,
                              f"not timed: {', '.join(missing)}" if missing else ""))
    else:
        targets.append(Target("each explorer redraw", f"≤ {REDRAW_BUDGET} s", "–", None,
                              "no explorer could be timed"))
    return Section("The book: notebooks, build, nbval and explorers", "\n\n".join(parts),
                   targets)


def main() -> None:
    if sys.argv[1:2] == ["--explorer"]:            # one explorer, from explorers()
        import json

        print(json.dumps(time_one_explorer(sys.argv[2])))
        return
    without_openblas_overrides()
    section = run()
    print()
    print(section.body)


if __name__ == "__main__":
    main()
