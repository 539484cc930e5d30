"""The chapters as stored: listed in the table of contents, executed, clean.

nbval (run by ``make test`` over ``chapters/``) re-executes every notebook and compares
its outputs with the stored ones, but a notebook stored *without* outputs passes nbval
without comparing anything. These tests close that gap and check what nbval does not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from book import ROOT, chapter_notebooks, toc_files

NOTEBOOKS = chapter_notebooks()
COLAB_GUARD = 'if "google.colab" in sys.modules:'
# A path of the machine that executed a notebook: home folders, temp and build folders.
MACHINE_PATH = re.compile(r"(/work/|/home/|/root/|/tmp/|/Users/|[A-Z]:\\\\|site-packages)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text_of(output: dict) -> str:
    if output["output_type"] == "stream":
        return "".join(output["text"])
    data = output.get("data", {})
    return "".join("".join(v) if isinstance(v, list) else str(v)
                   for k, v in data.items() if k.startswith("text/"))


def test_every_toc_entry_exists():
    for entry in toc_files():
        matches = list(ROOT.glob(entry + ".*")) + ([ROOT / entry] if (ROOT / entry).exists()
                                                   else [])
        assert matches, f"_toc.yml lists {entry!r} but no such file exists"


def test_every_chapter_notebook_is_in_the_toc():
    listed = set(toc_files())
    for nb in NOTEBOOKS:
        assert f"chapters/{nb.stem}" in listed, f"{nb.name} is not listed in _toc.yml"


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 9, [nb.name for nb in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_executed_in_order_without_errors(path: Path):
    nb = load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "no code cells"
    counts = [c.get("execution_count") for c in code if "".join(c["source"]).strip()]
    assert None not in counts, f"{path.name} has unexecuted code cells: store it executed"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name} was not executed top to bottom in a fresh kernel: {counts}")
    assert any(c.get("outputs") for c in code), f"{path.name} stores no outputs"
    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}, code cell {i}: error output"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", (
                    f"{path.name}, code cell {i}: output on stderr: {text_of(out)[:200]}")
            txt = text_of(out)
            assert "Warning" not in txt, f"{path.name}, code cell {i}: warning in output"
            assert not MACHINE_PATH.search(txt), (
                f"{path.name}, code cell {i}: output shows a path of the machine: "
                f"{MACHINE_PATH.search(txt).group(0)}")
            assert not re.search(r" at 0x[0-9a-f]{6,}", txt), (
                f"{path.name}, code cell {i}: a memory address in the output")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_timings_or_widget_state(path: Path):
    nb = load(path)
    # Stored widget state would make the static book load the widget manager from a CDN
    # and show dead sliders; the kernel-free controls stand in for the widgets there.
    assert "widgets" not in nb["metadata"], (
        f"{path.name} stores widget state: re-run it with `make notebooks`")
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {}), (
            f"{path.name} stores execution timings: re-run it with `make notebooks`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_cell_first_and_guarded(path: Path):
    first = next(c for c in load(path)["cells"] if c["cell_type"] == "code")
    src = "".join(first["source"])
    assert COLAB_GUARD in src and "pip install" in src, (
        f"{path.name}: the first code cell must install nnlib in Colab only")
    assert "remove-cell" in first["metadata"].get("tags", [])
    assert not first.get("outputs"), "outside Colab the install cell must print nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_structure(path: Path):
    nb = load(path)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"^# \d+\. ", md, re.M), f"{path.name}: no numbered title"
    assert "Learning goals" in md, f"{path.name}: no learning goals"
    assert "## Summary" in md, f"{path.name}: no summary"
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    checks = set(re.findall(r"\b(check_\w+)\(", code))
    assert len(checks) >= 3, f"{path.name}: fewer than three exercise checks: {checks}"
    solutions = [c for c in nb["cells"] if "hide-cell" in c["metadata"].get("tags", [])]
    assert solutions, f"{path.name}: no solution hidden behind a toggle"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_have_captions_and_alt_text(path: Path):
    for i, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        has_png = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if not has_png:
            continue
        meta = cell["metadata"].get("mystnb", {})
        assert meta.get("figure", {}).get("caption"), f"{path.name}, cell {i}: no caption"
        assert len(meta.get("image", {}).get("alt", "")) > 20, (
            f"{path.name}, cell {i}: no alt text describing the figure")
