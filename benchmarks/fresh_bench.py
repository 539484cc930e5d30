"""A newcomer's first run: ``make book`` and ``make test`` on a fresh clone, timed.

Each command runs in a clone of its own (``git clone`` of this repository's committed
``HEAD`` into a temporary folder), so it installs its ``.venv`` from nothing, as on a new
machine: the venv, the installer, every package of the lock file, then the build or the
whole suite. Package caches are pointed at empty temporary folders (``UV_CACHE_DIR``,
``PIP_NO_CACHE_DIR``), so every wheel is downloaded again. What a new machine may lack and
this one has is not redone: Debian's chromium (``make test`` installs it when missing)
and the PyPI index's answers kept by the network.

Run: ``python benchmarks/fresh_bench.py`` (about 5 minutes).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from _common import ROOT, Section, Target, markdown_table, user_environment

TEST_BUDGET, BOOK_BUDGET = 150.0, 75.0


def fresh_run(target: str, workdir: Path) -> tuple[float, int, str]:
    """Clone HEAD into ``workdir``, run ``make target`` there: seconds (install included,
    clone excluded), exit code and the output."""
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "CI": "1", "UV_CACHE_DIR": str(workdir / "uv-cache"),
           "PIP_NO_CACHE_DIR": "1"}
    start = time.perf_counter()
    proc = subprocess.run(["make", target], cwd=clone, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def stages(seconds: float, log: str) -> str:
    """Where a fresh ``make test``'s time went, from pytest's summaries of stages 2 and 4."""
    times = [float(t) for t in re.findall(r"\d+ passed[^\n]* in ([0-9.]+)s", log)]
    if len(times) != 2:
        return ""
    fast, slow = times
    return (f"install, lint and the book build {seconds - fast - slow:.0f} s; fast tests "
            f"{fast:.0f} s; slow tests {slow:.0f} s (nbval re-executes every chapter, Chromium "
            "loads every page at two widths with axe-core, every explorer state, every answer "
            "form, a live JupyterLab); the slow stage is CPU-bound on the two cores (a third "
            "worker was no faster), so the goal would mean dropping checks")


def run(verbose: bool = True) -> Section:
    say = print if verbose else (lambda *a, **k: None)
    results = {}
    with user_environment():
        for target in ("book", "test"):
            with tempfile.TemporaryDirectory(prefix=f"nnlib-fresh-{target}-") as tmp:
                say(f"  make {target} in a fresh clone ...", flush=True)
                results[target] = fresh_run(target, Path(tmp))
                say(f"  make {target}: {results[target][0]:.0f} s "
                    f"(exit code {results[target][1]})", flush=True)
    rows = [[f"`make {t}`", f"{s:.0f}", "passed" if rc == 0 else f"failed (exit {rc})"]
            for t, (s, rc, _) in results.items()]
    parts = [markdown_table(["fresh clone", "seconds (install included)", "result"], rows)]
    summary = [ln for ln in results["test"][2].splitlines()
               if re.search(r"\d+ passed", ln)]
    if summary:
        parts.append("`make test` stages 2 and 4: " + "; ".join(f"`{ln.strip()}`"
                                                               for ln in summary))
    targets = []
    for target, budget in (("test", TEST_BUDGET), ("book", BOOK_BUDGET)):
        seconds, rc, log = results[target]
        note = f"failed: {log.strip()[-200:]}" if rc else (
            stages(seconds, log) if target == "test" else "")
        targets.append(Target(f"fresh-clone make {target}", f"≤ {budget:.0f} s",
                              f"{seconds:.0f} s", seconds <= budget and rc == 0, note))
    return Section("A newcomer's first run: fresh clones", "\n\n".join(parts), targets)


def main() -> None:
    section = run()
    print(f"\n### {section.title}\n\n{section.body}")


if __name__ == "__main__":
    main()
