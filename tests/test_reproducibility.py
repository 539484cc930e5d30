"""Every chapter shows the same on another machine: its runs are stable, nothing shown is
round-off (issue 18; ``tests/perturbation.py`` says how a machine is imitated).

Each chapter is executed twice more, top to bottom in a fresh kernel, each time with
different last bits, and must show exactly what is stored (the comparison nbval makes,
with its sanitize rules), and the two runs must draw figures with the same texts (titles,
legends, annotations: where the explorers print their final losses, epochs and verdicts;
nbval does not look inside PNGs):

- **nudged**: every initial weight multiplied by ``1 ± 1e-9``. A stable run moves by about
  1e-9 relative and no shown digit changes; a run on the edge of divergence, or chaotic,
  ends elsewhere (chapter 7's dropout p = 0.5 moved from 0.32 to 0.29–0.49);
- **another CPU's rounding**: numpy's SIMD dispatch narrowed to its baseline
  (``NPY_DISABLE_CPU_FEATURES``, :func:`perturbation.narrowed_simd`: on an AVX-512 machine
  ``X86_V3 X86_V4 AVX512_ICL``, i.e. no AVX2, FMA3 or AVX-512 loops, so ``exp``, ``tanh``
  and ``log`` round as on an older CPU) and one BLAS thread (``OPENBLAS_NUM_THREADS=1``;
  OpenBLAS splits some products and sums between threads), while the chapters were
  recorded with the full dispatch and two threads. The machine's ``OPENBLAS_CORETYPE``
  and ``OPENBLAS_L2_SIZE`` are left as they are.

Every explorer state is covered: the kernel-free explorers draw every state in the
chapter, and the live widgets draw the same runs. What is compared is text, so the PNG
bytes (which depend on the FreeType build) may differ.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import perturbation as P
import pytest

CHAPTERS = sorted(Path(__file__).resolve().parent.parent.glob("chapters/[0-9][0-9]_*.ipynb"))


#: Chapters known to fail, with the reason; strict: the test errs once they pass.
KNOWN_UNSTABLE = {"05_fully_connected.ipynb": "the notes' N(0, 1) runs (test accuracy, the "
                  "split table, the init explorer's N(0, 1) states) move with a 1e-9 nudge"}


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.xfail(
    reason=KNOWN_UNSTABLE[p.name], strict=True)) if p.name in KNOWN_UNSTABLE else p
    for p in CHAPTERS], ids=lambda p: f"chapters/{p.name}")        # a work unit each
@pytest.mark.slow
def test_the_chapter_shows_the_same_on_another_machine(path: Path, tmp_path: Path):
    stored = nbformat.read(path, as_version=4)
    variants = {
        "nudged initial weights (1e-9)": {"NNLIB_NUDGE": repr(P.NUDGE)},
        f"NPY_DISABLE_CPU_FEATURES={P.narrowed_simd()!r}, one BLAS thread": {
            "NPY_DISABLE_CPU_FEATURES": P.narrowed_simd(), "OPENBLAS_NUM_THREADS": "1"},
    }
    texts, failures = {}, []
    for i, (name, variables) in enumerate(variants.items()):
        log = tmp_path / f"figures-{i}.jsonl"
        env = P.kernel_env(tmp_path / f"ipython-{i}", NNLIB_FIGURE_TEXTS=str(log), **variables)
        fresh = P.execute(path, env)
        failures += [f"{name}: {report}" for report in P.differences(stored, fresh)]
        texts[name] = P.read_figure_texts(log)
    (a, ta), (b, tb) = texts.items()
    assert ta, "no figure text was recorded: the kernel's startup file did not run"
    if len(ta) != len(tb):
        failures.append(f"{len(ta)} figures drawn with {a}, {len(tb)} with {b}")
    for k, (x, y) in enumerate(zip(ta, tb, strict=False)):
        if x != y:
            only_a = [t for t in x if t not in y]
            only_b = [t for t in y if t not in x]
            failures.append(f"figure {k + 1}: {only_a} with {a}, {only_b} with {b}")
    assert not failures, "\n".join(failures[:12])


def test_the_nudge_changes_the_weights_by_the_stated_amount():
    import numpy as np

    from nnlib.layers import Linear

    plain = Linear(5, 4, rng=0).W.value
    with P.nudge_initial_weights(1e-9):
        nudged = Linear(5, 4, rng=0).W.value
    again = Linear(5, 4, rng=0).W.value
    ratio = (nudged / plain).ravel()
    np.testing.assert_allclose(np.abs(ratio - 1), 1e-9, rtol=1e-6)   # float64 keeps 1e-9
    assert set(np.sign(ratio - 1)) == {-1.0, 1.0}
    np.testing.assert_array_equal(again, plain)                      # undone afterwards


def test_the_comparison_finds_a_changed_digit_and_a_missing_output():
    stored = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "print(x)", outputs=[nbformat.v4.new_output("stream", name="stdout", text="0.318\n")])])
    fresh = nbformat.from_dict(stored)
    assert P.differences(stored, fresh) == []
    fresh = nbformat.reads(nbformat.writes(stored), as_version=4)
    fresh.cells[0].outputs[0].text = "0.339\n"
    assert P.differences(stored, fresh) == ["cell 0: stored | now: 'stdout: 0.318' | "
                                            "'stdout: 0.339'"]
    fresh.cells[0].outputs = []
    assert len(P.differences(stored, fresh)) == 1


def test_narrowed_simd_names_only_targets_numpy_dispatches_here():
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    for feature in P.narrowed_simd().split():
        assert feature in __cpu_dispatch__ and __cpu_features__[feature]
