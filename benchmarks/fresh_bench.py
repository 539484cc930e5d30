"""A newcomer's first run: ``make book`` and ``make test`` on a fresh clone, timed.

Each command runs in a clone of its own (``git clone`` of this repository's committed
``HEAD`` into a temporary folder), so it installs its ``.venv`` from nothing, as on a new
machine: the venv, the installer, every package of the lock file, then the build or the
whole suite. Package caches are pointed at empty temporary folders (``UV_CACHE_DIR``,
``PIP_NO_CACHE_DIR``), so every wheel is downloaded again. What a new machine may lack and
this one has is not redone: Debian's chromium-headless-shell (``make test`` installs it
when missing) and the PyPI index's answers kept by the network.

While ``make test`` runs, the CPU time of every process it starts is sampled from
``/proc`` (Linux) and added up per stage of the run and per kind of process, so that
RESULTS.md says where the time of a stage went, not only how long it took.

Run: ``python benchmarks/fresh_bench.py`` (about 5 minutes).
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, Section, Target, markdown_table, user_environment

TEST_BUDGET, BOOK_BUDGET = 150.0, 75.0


#: What a process of the run is: the first kind with a word of its command line (split
#: at spaces, "/" and "="). Playwright's Chromium has "playwright" in its profile's path,
#: so Chromium comes first; xdist's workers are ``python -c "...sys.stdin.readline()..."``.
KINDS = (("Chromium", {"chromium", "chromium-headless-shell", "headless_shell"}),
         ("notebook kernels", {"ipykernel_launcher"}),
         ("Playwright's driver", {"playwright"}),
         ("JupyterLab", {"jupyter-lab", "jupyterlab"}),
         ("pytest", {"pytest", "sys;exec(eval(sys.stdin.readline()))"}),
         ("installer and build", {"uv", "pip", "jupyter-book", "ruff"}))
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: str) -> tuple[int, int, float] | None:
    """``(parent pid, start time, CPU seconds so far)`` of ``pid`` from ``/proc``."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[19]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _kind(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read().replace(b"\0", b" ").decode(errors="replace").lower()
    except OSError:
        return "other"
    words = set(re.split(r"[\s/=]+", command))
    return next((kind for kind, names in KINDS if names & words), "other")


class CpuByStage:
    """CPU seconds of ``root``'s descendants, per stage (``stage`` is set from outside)
    and kind (``KINDS``), sampled from ``/proc`` every ``period`` s: a process that lives
    less than that is missed, and so is the time a process spends after its last sample
    (under a second per stage). Does nothing where there is no ``/proc``."""

    def __init__(self, root: int, period: float = 0.25) -> None:
        self.root, self.period, self.stage = root, period, "install"
        self.cpu: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self._seen: dict[tuple[str, int], float] = {}     # (pid, start) -> CPU seconds
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if os.path.isdir("/proc/self"):
            self._thread.start()

    def _descends(self, pid: int, parents: dict[int, int]) -> bool:
        while pid > 1:
            if pid == self.root:
                return True
            pid = parents.get(pid, 0)
        return False

    def _sample(self) -> None:
        stats = {pid: st for pid in os.listdir("/proc") if pid.isdigit()
                 and (st := _stat(pid)) is not None}
        parents = {int(pid): st[0] for pid, st in stats.items()}
        for pid, (_, start, cpu) in stats.items():
            key = (pid, start)
            if key not in self._seen:
                if not self._descends(int(pid), parents):
                    continue
                self._seen[key] = 0.0
            # the kind is read each time: a child is its parent's copy until it execs
            self.cpu[self.stage][_kind(pid)] += cpu - self._seen[key]
            self._seen[key] = cpu

    def _run(self) -> None:
        while not self._done.wait(self.period):
            self._sample()

    def stop(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()


def fresh_run(target: str, workdir: Path) -> tuple[float, int, str, dict]:
    """Clone HEAD into ``workdir``, run ``make target`` there: seconds (install included,
    clone excluded), exit code, the output, and each stage's seconds and CPU by kind."""
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "CI": "1", "UV_CACHE_DIR": str(workdir / "uv-cache"),
           "PIP_NO_CACHE_DIR": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(["make", target], cwd=clone, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    cpu, lines, began = CpuByStage(proc.pid), [], {"install": start}
    for line in proc.stdout:                  # "== 2/4 unit, gradient, ..." starts a stage
        lines.append(line)
        if line.startswith("== "):
            cpu.stage = line[3:].strip()
            began[cpu.stage] = time.perf_counter()
    proc.wait()
    end = time.perf_counter()
    cpu.stop()
    ends = [*list(began.values())[1:], end]
    by_stage = {stage: (stop - began[stage], cpu.cpu[stage])
                for stage, stop in zip(began, ends, strict=True)}
    return end - start, proc.returncode, "".join(lines), by_stage


def cpu_table(by_stage: dict) -> str:
    """Each stage's seconds, CPU seconds (all cores) and the kinds of process they went to."""
    rows = []
    for stage, (seconds, kinds) in by_stage.items():
        total = sum(kinds.values())
        where = ", ".join(f"{kind} {t:.0f}" for kind, t in kinds.most_common() if t >= 0.5)
        rows.append([stage, f"{seconds:.0f}", f"{total:.0f}",
                     f"{total / (seconds * CORES):.0%}", where or "–"])
    return markdown_table(["stage of the fresh `make test`", "seconds", "CPU seconds",
                           f"busy, of {CORES} cores", "CPU seconds by process"], rows)


def stages(seconds: float, log: str, by_stage: dict) -> str:
    """Where a fresh ``make test``'s time went: pytest's summaries of stages 2 and 4, and
    how busy the cores were during the slow stage, and with what."""
    times = [float(t) for t in re.findall(r"\d+ passed[^\n]* in ([0-9.]+)s", log)]
    if len(times) != 2:
        return ""
    fast, slow = times
    note = (f"install, lint and the book build {seconds - fast - slow:.0f} s; fast tests "
            f"{fast:.0f} s; slow tests {slow:.0f} s")
    slow_stage = next((v for k, v in by_stage.items() if k.startswith("4/")), None)
    if slow_stage:
        wall, kinds = slow_stage
        top = ", ".join(f"{kind} {t:.0f} s" for kind, t in kinds.most_common(3))
        busy = sum(kinds.values()) / (wall * CORES)
        note += (f". The slow stage kept the {CORES} cores {busy:.0%} busy ({top}): nbval "
                 "executing every chapter, every page at two widths with axe-core, every "
                 "explorer state and answer form, a live JupyterLab (see the table above); "
                 "the goal would mean dropping checks")
    return note


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
            for t, (s, rc, _, _) in results.items()]
    parts = [markdown_table(["fresh clone", "seconds (install included)", "result"], rows)]
    if any(kinds for _, kinds in results["test"][3].values()):
        parts.append(cpu_table(results["test"][3]))
    summary = [ln for ln in results["test"][2].splitlines()
               if re.search(r"\d+ passed", ln)]
    if summary:
        parts.append("`make test` stages 2 and 4: " + "; ".join(f"`{ln.strip()}`"
                                                               for ln in summary))
    targets = []
    for target, budget in (("test", TEST_BUDGET), ("book", BOOK_BUDGET)):
        seconds, rc, log, by_stage = results[target]
        note = f"failed: {log.strip()[-200:]}" if rc else (
            stages(seconds, log, by_stage) if target == "test" else "")
        targets.append(Target(f"fresh-clone make {target}", f"≤ {budget:.0f} s",
                              f"{seconds:.0f} s", seconds <= budget and rc == 0, note))
    return Section("A newcomer's first run: fresh clones", "\n\n".join(parts), targets)


def main() -> None:
    section = run()
    print(f"\n### {section.title}\n\n{section.body}")


if __name__ == "__main__":
    main()
