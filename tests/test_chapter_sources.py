"""Each chapter's text source and its executed notebook say the same thing.

A chapter is a pair: ``chapters/NN_name.md`` (MyST Markdown, what people edit and review)
and ``chapters/NN_name.ipynb`` (the same cells, executed: what the book renders, nbval
compares and Binder opens). ``make notebooks`` regenerates the second from the first;
these tests fail when the two drift apart, and name the first cell that differs.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest
from book import CHAPTERS, chapter_notebooks

from nnlib import exercises

NOTEBOOKS = chapter_notebooks()
EXERCISE_CHECKS = {name for name in dir(exercises) if name.startswith("check_")}
SOURCES = sorted(CHAPTERS.glob("[0-9][0-9]_*.md"))
PAIRING = "ipynb,md:myst"
FIX = "edit the .md and run `make notebooks`"


def through_text(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` as its text source would hold it (what jupytext keeps of each cell)."""
    return jupytext.reads(jupytext.writes(nb, fmt="md:myst"), fmt="md:myst")


def first_difference(text: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> str | None:
    """A sentence naming the first cell in which the two notebooks differ, or None."""
    a, b = text.cells, through_text(executed).cells
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        where = f"cell {i} ({x.cell_type}, starting {x.source.strip()[:60]!r})"
        if x.cell_type != y.cell_type:
            return f"{where}: a {x.cell_type} cell in the .md, a {y.cell_type} cell in the .ipynb"
        if x.source != y.source:
            la, lb = x.source.splitlines(), y.source.splitlines()
            n = next((k for k, (p, q) in enumerate(zip(la, lb, strict=False)) if p != q),
                     min(len(la), len(lb)))
            return (f"{where}: line {n + 1} differs: .md has "
                    f"{(la[n] if n < len(la) else '<end>')!r}, .ipynb has "
                    f"{(lb[n] if n < len(lb) else '<end>')!r}")
        if dict(x.metadata) != dict(y.metadata):
            return f"{where}: metadata differs: .md {dict(x.metadata)}, .ipynb {dict(y.metadata)}"
    if len(a) != len(b):
        return f"the .md has {len(a)} cells, the .ipynb {len(b)}"
    return None


def test_every_chapter_is_a_pair():
    assert NOTEBOOKS, "no chapter notebooks"
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS], (
        "every chapter needs both chapters/NN_name.md (its text) and chapters/NN_name.ipynb "
        f"(executed): .md {[p.name for p in SOURCES]}, .ipynb {[p.name for p in NOTEBOOKS]}")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_text_source_is_paired_myst(path: Path):
    text = path.read_text(encoding="utf-8")
    header = jupytext.read(path).metadata.get("jupytext", {})
    assert header.get("formats") == PAIRING, f"{path.name}: header formats should be {PAIRING}"
    assert header.get("text_representation", {}).get("format_name") == "myst", path.name
    assert "jupytext_version" not in text, (
        f"{path.name} records the jupytext version (every upgrade would change every chapter)")
    nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert nb.metadata.get("jupytext", {}).get("formats") == PAIRING, (
        f"{path.with_suffix('.ipynb').name} is not paired with its text source: {FIX}")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_text_source_and_notebook_in_step(path: Path):
    text = jupytext.read(path)
    executed = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    diff = first_difference(text, executed)
    assert diff is None, (
        f"{path.stem}: the text source and the executed notebook drifted apart, {diff}. "
        f"The .md is the source: {FIX}")


def test_drift_is_detected_and_named():
    """The comparison sees a one-word edit, a new tag and a missing cell, and names them."""
    path = SOURCES[0]
    text = jupytext.read(path)
    executed = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert first_difference(text, executed) is None

    edited = jupytext.read(path)
    i = next(k for k, c in enumerate(edited.cells) if c.cell_type == "markdown" and
             "network" in c.source)
    edited.cells[i].source = edited.cells[i].source.replace("network", "netwrok", 1)
    assert re.match(rf"cell {i} \(markdown.*line \d+ differs", first_difference(edited, executed))

    tagged = jupytext.read(path)
    j = next(k for k, c in enumerate(tagged.cells) if c.cell_type == "code")
    tagged.cells[j].metadata["tags"] = ["hide-input"]
    assert "metadata differs" in first_difference(tagged, executed)

    shorter = jupytext.read(path)
    del shorter.cells[-1]
    assert "cells" in first_difference(shorter, executed)


# -- solutions ------------------------------------------------------------------------------

def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_solution_is_tagged_hidden_and_has_an_attempt_before_it(path: Path):
    """A solution cell carries the ``solution`` tag (the student edition drops it) and
    ``hide-cell`` (the book folds it); before it, an attempt cell calls the same check
    with ``...`` for the reader to fill in, so the student edition keeps every check."""
    nb = jupytext.read(path)
    cells = code_cells(nb)
    solutions = [k for k, c in enumerate(cells) if "solution" in tags(c)]
    assert len(solutions) >= 3, f"{path.name}: fewer than three solution cells"
    for k in solutions:
        cell = cells[k]
        assert "hide-cell" in tags(cell), f"{path.name}: solution cell without hide-cell"
        checks = re.findall(r"\b(check_\w+)\b", cell.source)
        assert checks, f"{path.name}: solution cell calls no check_: {cell.source[:80]!r}"
        attempts = [c for c in cells[:k] if "solution" not in tags(c)
                    and checks[-1] in c.source and "..." in c.source]
        assert attempts, (f"{path.name}: the solution of {checks[-1]} has no attempt cell "
                          "(with `...` placeholders) before it")
    hidden = [c for c in cells if "hide-cell" in tags(c) and "solution" not in tags(c)]
    assert not hidden, (f"{path.name}: a folded cell without the solution tag; tag solutions "
                        f"`solution`: {hidden[0].source[:80]!r}")


# -- the student edition --------------------------------------------------------------------
#
# The student edition is each chapter without its solution cells (`make student`). It must
# run top to bottom, and each exercise's check must answer "Not yet". Executing all nine
# student notebooks would run every chapter's code a second time after nbval (about 70 s
# of CPU); instead:
# - in every chapter, no cell a student keeps reads a name that only a solution binds
#   (a static check of the cells' global names: the one way removing solutions can break
#   the rest, short of a solution mutating an object other cells use);
# - and no cell a student keeps (re)binds a name that an attempt cell leaves as `...`
#   (the same static check: a solution split in two, its untagged half kept, would hand
#   the student a working answer);
# - every attempt cell's stored output says "Not yet" (nbval proves the stored outputs
#   are what the code prints, and attempts run before their solutions);
# - `make student` itself runs on one chapter (the slow stage), proving the command.

def global_names(source: str) -> tuple[set[str], set[str]]:
    """``(bound, read)``: the global names a cell binds and the ones it reads (in its own
    code or inside the functions and classes it defines)."""
    import symtable

    from IPython.core.inputtransformer2 import TransformerManager

    table = symtable.symtable(TransformerManager().transform_cell(source), "<cell>", "exec")
    bound = {s.get_name() for s in table.get_symbols()
             if s.is_assigned() or s.is_imported() or s.is_namespace()}
    read = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    scopes = list(table.get_children())
    while scopes:
        scope = scopes.pop()
        scopes.extend(scope.get_children())
        read |= {s.get_name() for s in scope.get_symbols()
                 if s.is_global() and s.is_referenced()}
        bound |= {s.get_name() for s in scope.get_symbols()
                  if s.is_declared_global() and s.is_assigned()}
    return bound, read


def names_only_solutions_bind(nb) -> list[str]:
    """Each read, by a cell the student edition keeps, of a name bound so far only by a
    solution cell: what would be a NameError without the solutions."""
    kept: set[str] = set()
    by_solution: dict[str, str] = {}
    problems = []
    for cell in code_cells(nb):
        bound, read = global_names(cell.source)
        if "solution" in tags(cell):
            for name in bound - kept:
                by_solution.setdefault(name, cell.source.strip()[:50])
            continue
        for name in sorted((read - bound - kept) & by_solution.keys()):
            problems.append(f"{cell.source.strip()[:50]!r} reads {name!r}, which only the "
                            f"solution {by_solution[name]!r} binds")
        kept |= bound
    return problems


def placeholder_bindings(source: str) -> dict[str, bool]:
    """For each global name that a cell's own code binds (not inside its functions),
    whether its last binding there is a placeholder: an assignment whose value holds
    ``...``, or a ``def`` (or ``class``) whose body holds ``...``."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    def holds_ellipsis(nodes) -> bool:
        return any(isinstance(n, ast.Constant) and n.value is Ellipsis
                   for node in nodes for n in ast.walk(node))

    def targets(node) -> list[str]:
        return [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]

    found: dict[str, bool] = {}

    def visit(statements) -> None:
        for st in statements:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found[st.name] = holds_ellipsis(st.body)
            elif isinstance(st, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                value = [st.value] if st.value is not None else []
                for target in getattr(st, "targets", None) or [st.target]:
                    for name in targets(target):
                        found[name] = (holds_ellipsis(value)
                                       and not isinstance(st, ast.AugAssign))
            else:
                for name in (n.id for n in ast.walk(st) if isinstance(n, ast.Name)
                             and isinstance(n.ctx, ast.Store)):
                    found[name] = False        # a for, with, walrus, ... binds a value
                for alias in (st.names if isinstance(st, (ast.Import, ast.ImportFrom)) else ()):
                    found[(alias.asname or alias.name).split(".")[0]] = False
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(st, field, None) or [])

    visit(ast.parse(TransformerManager().transform_cell(source)).body)
    return found


def is_attempt(cell) -> bool:
    """An attempt cell: kept by the student edition, calls a ``check_...``, and leaves a
    name as ``...`` for the reader to fill in."""
    return ("solution" not in tags(cell) and bool(re.search(r"\bcheck_\w+\(", cell.source))
            and any(placeholder_bindings(cell.source).values()))


def placeholders_kept_cells_fill(nb, chapter: str = "the notebook") -> list[str]:
    """Each kept cell that (re)binds, to anything but ``...``, a name that an attempt cell
    before it leaves as ``...``: after the solutions are removed, every name an attempt
    leaves as ``...`` must stay ``...`` (or be unbound), or the student edition keeps a
    working answer (say, a solution split in two whose untagged half defines it)."""
    left: dict[str, str] = {}                 # name -> the attempt cell that leaves it `...`
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "solution" in tags(cell):
            continue
        where = f"cell {i} ({cell.source.strip()[:50]!r})"
        bound, _ = global_names(cell.source)
        placeholder = placeholder_bindings(cell.source)
        for name in sorted(bound & left.keys()):
            if not placeholder.get(name, False):
                problems.append(f"{chapter}: {where}, which the student edition keeps, binds "
                                f"{name!r}, which the attempt {left.pop(name)} leaves as "
                                "`...`: tag it `solution` too, or use another name")
        if is_attempt(cell):
            left.update((name, where) for name, is_placeholder in placeholder.items()
                        if is_placeholder)
    return problems


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_cells_students_keep_need_no_solution(path: Path):
    nb = jupytext.read(path)
    problems = names_only_solutions_bind(nb)
    assert not problems, f"{path.name} without its solutions breaks:\n" + "\n".join(problems)
    assert sum(map(is_attempt, nb.cells)) >= 3, f"{path.name}: fewer than three attempt cells"
    kept = placeholders_kept_cells_fill(nb, path.name)
    assert not kept, (f"{path.name} without its solutions still holds an answer:\n"
                      + "\n".join(kept))


def test_a_cell_needing_a_solution_is_found():
    cells = [nbformat.v4.new_code_cell("import numpy as np\nanswer = ..."),
             nbformat.v4.new_code_cell("def helper(x):\n    return 2 * x\nanswer = helper(1)"),
             nbformat.v4.new_code_cell("y = np.zeros(helper(2))"),      # needs the solution
             nbformat.v4.new_code_cell("answer\ndef later():\n    return helper(3)")]
    cells[1].metadata["tags"] = ["solution"]
    problems = names_only_solutions_bind(nbformat.v4.new_notebook(cells=cells))
    assert len(problems) == 2 and all("'helper'" in p for p in problems), problems
    assert names_only_solutions_bind(nbformat.v4.new_notebook(cells=cells[:2])) == []


def test_a_kept_cell_filling_in_an_attempt_is_found():
    """The attempt leaves ``my_softmax`` and ``answer`` as ``...``; a solution split in two
    keeps its working half untagged, and a kept cell sets ``answer``: both are named. Later
    attempts that leave ``answer`` as ``...`` again, and cells that only read or rebind
    names no attempt leaves open, are fine."""
    sources = [
        "import numpy as np\nrng = np.random.default_rng(0)",
        "def my_softmax(s):\n    return ...  # your code here\n\nanswer = (..., ...)\n"
        "W = ...\ncheck_stable_softmax(my_softmax)",
        "def my_softmax(s):\n    e = np.exp(s - s.max())\n    return e / e.sum()",  # kept!
        "check_stable_softmax(my_softmax)",                                       # solution
        "answer = (1.0, 2.0)",                                                   # kept!
        "answer = [..., ...]\ncheck_neuron(answer)",
        "rng = np.random.default_rng(1)\nfor W in range(3):\n    print(my_softmax)",
    ]
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    cells[3].metadata["tags"] = ["hide-cell", "solution"]
    problems = placeholders_kept_cells_fill(nbformat.v4.new_notebook(cells=cells), "ch")
    assert len(problems) == 3, problems
    assert "ch: cell 2 ('def my_softmax" in problems[0] and "'my_softmax'" in problems[0]
    assert "attempt cell 1 ('def my_softmax" in problems[0]
    assert "ch: cell 4 ('answer = (1.0, 2.0)'" in problems[1] and "'answer'" in problems[1]
    assert "ch: cell 6" in problems[2] and "'W'" in problems[2]       # the loop's W
    cells[2].metadata["tags"] = ["solution"]
    del cells[4], cells[5]
    assert placeholders_kept_cells_fill(nbformat.v4.new_notebook(cells=cells)) == []
    assert placeholder_bindings("x, y = ..., ...\ndef f():\n    return 1\n"
                                "class C:\n    a = ...\nz = 2\nz += ...") == {
        "x": True, "y": True, "f": False, "C": True, "z": False}


def attempt_outputs(nb) -> list[tuple[str, str]]:
    """``(source, printed text)`` of every kept cell that calls an exercise check."""
    found = []
    for cell in code_cells(nb):
        called = set(re.findall(r"^\s*(check_\w+)\(", cell.source, re.M))
        if "solution" not in tags(cell) and called & EXERCISE_CHECKS:
            outs = cell.get("outputs", [])
            text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                           for o in outs)
            found.append((cell.source, text))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_attempt_says_not_yet(path: Path):
    attempts = attempt_outputs(nbformat.read(path, as_version=4))
    assert len(attempts) >= 3, f"{path.name}: fewer than three exercise checks left for students"
    for source, text in attempts:
        assert "Not yet" in text and "Correct" not in text, (
            f"{path.name}: an unanswered check must say 'Not yet': {source[:80]!r} printed "
            f"{text[:200]!r}")


def make_student(out: Path, notebooks: list[Path]) -> None:
    """``make student`` into ``out`` for ``notebooks``: the command a teacher runs."""
    import subprocess

    root = CHAPTERS.parent
    chosen = " ".join(str(p.relative_to(root)) for p in notebooks)
    proc = subprocess.run(["make", "--no-print-directory", "student", f"STUDENT_DIR={out}",
                           f"NOTEBOOKS={chosen}"],
                          cwd=root, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (
        f"`make student` failed for {chosen} (a student notebook does not run top to "
        f"bottom without the solutions):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


@pytest.mark.slow
def test_make_student_runs_a_chapter_without_its_solutions(tmp_path: Path):
    """The command itself, on chapter 1 (the cheapest to run): solutions removed, the rest
    executed in order, no error, each check saying "Not yet"."""
    full_path = NOTEBOOKS[0]
    make_student(tmp_path, [full_path])
    written = sorted(tmp_path.glob("*.ipynb"))
    assert [p.name for p in written] == [full_path.name]
    student = nbformat.read(written[0], as_version=4)
    full = nbformat.read(full_path, as_version=4)
    kept = [c for c in full.cells if "solution" not in tags(c)]
    assert [c.source for c in student.cells] == [c.source for c in kept], (
        "the student edition must keep every cell but the solutions")
    assert len(kept) < len(full.cells), "no solution was removed"
    code = code_cells(student)
    counts = [c.execution_count for c in code if c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), "not executed in order"
    assert not any(o.output_type == "error" for c in code for o in c.get("outputs", []))
    attempts = attempt_outputs(student)
    assert len(attempts) >= 3
    assert all("Not yet" in text and "Correct" not in text for _, text in attempts), attempts


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_sections_and_exercises_are_numbered_headings(path: Path):
    """Sections read "## N.k Title" and exercises "### Exercise N.k: title", numbered in
    order, so that each appears, numbered, in the page's table of contents."""
    n = int(path.name[:2])
    markdown = "\n".join(c.source for c in jupytext.read(path).cells if c.cell_type == "markdown")
    sections = re.findall(r"^## (.+)$", markdown, re.M)
    numbered = [s for s in sections if s not in ("Exercises", "Summary")]
    assert numbered, f"{path.name}: no sections"
    for k, title in enumerate(numbered, start=1):
        assert title.startswith(f"{n}.{k} "), (
            f"{path.name}: section {k} should read '## {n}.{k} ...', reads '## {title}'")
    exercises = re.findall(r"^### Exercise (\d+)\.(\d+): \S", markdown, re.M)
    assert len(exercises) >= 3, f"{path.name}: fewer than three '### Exercise {n}.k: ...'"
    assert exercises == [(str(n), str(k)) for k in range(1, len(exercises) + 1)], (
        f"{path.name}: exercises not numbered {n}.1, {n}.2, ...: {exercises}")
    assert not re.search(r"^\*\*Exercise \d", markdown, re.M), (
        f"{path.name}: an exercise in a bold paragraph; make it a '### Exercise' heading")
