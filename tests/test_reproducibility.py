"""Every chapter shows the same on another machine: its runs are stable, nothing shown is
round-off (issue 18; ``tests/perturbation.py`` says how a machine is imitated).

nbval runs on every chapter twice (two nbval processes at once, each over all the
chapters), each time in kernels with other last bits than the ones the chapters were
recorded with, strict and with the book's sanitize rules, exactly as
a teacher's CI runs it (this is the slow stage's only nbval run: a stale stored output
fails both). And the two runs must draw figures with the same texts (titles, legends,
annotations: where the explorers print their final losses, epochs and verdicts; nbval
does not look inside PNGs):

- **nudged**: every initial weight multiplied by ``1 ± 1e-9`` (random signs). A stable run
  moves by about 1e-9 relative and no shown digit changes; a run on the edge of
  divergence, or chaotic, ends elsewhere (chapter 7's dropout p = 0.5 moved from 0.32 to
  0.29–0.70, chapter 5's He network of 20 layers from 0.51 to 0.61);
- **another CPU's rounding**: numpy's SIMD dispatch narrowed to its baseline
  (``NPY_DISABLE_CPU_FEATURES``, :func:`perturbation.narrowed_simd`: on an AVX-512 machine
  ``X86_V3 X86_V4 AVX512_ICL``, i.e. no AVX2, FMA3 or AVX-512 loops, so ``exp``, ``tanh``
  and ``log`` round as on an older CPU) and one BLAS thread (``OPENBLAS_NUM_THREADS=1``;
  OpenBLAS splits some products and sums between threads), while the chapters were
  recorded with the full dispatch and two threads. The two are one run, not two, to keep
  the stage within its minutes; either one alone changes the last bits. The machine's
  ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` are left as they are.

Every explorer state is covered: the kernel-free explorers draw every state in the
chapter, and the live widgets draw the same runs. What is compared is text, so the PNG
bytes (which depend on the FreeType build) may differ, and neither run renders them
(``NNLIB_UNRENDERED``: each figure's texts are logged, then a 1 × 1 PNG stands for it),
which takes a third off each run. Drawing itself is tested where it is cheaper: every
chapter figure by ``test_figure_text.py``, every diverged state by
``test_diverged_figures.py``, and every figure of the book by ``make notebooks``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import perturbation as P
import pytest

CHAPTERS = sorted(Path(__file__).resolve().parent.parent.glob("chapters/[0-9][0-9]_*.ipynb"))
VARIANTS = {
    "nudged initial weights (1e-9)": {"NNLIB_NUDGE": repr(P.NUDGE)},
    f"NPY_DISABLE_CPU_FEATURES={P.narrowed_simd()!r}, one BLAS thread": {
        "NPY_DISABLE_CPU_FEATURES": P.narrowed_simd(), "OPENBLAS_NUM_THREADS": "1"},
}


def figure_differences(texts: dict[str, list[list[str]]], where: str = "") -> list[str]:
    """Where the figures of two runs (``{run: texts per figure}``) show other texts."""
    (a, ta), (b, tb) = texts.items()
    failures = [] if len(ta) == len(tb) else [f"{where}{len(ta)} figures drawn with {a}, "
                                               f"{len(tb)} with {b}"]
    for k, (x, y) in enumerate(zip(ta, tb, strict=False)):
        if x != y:
            only_a = [t for t in x if t not in y]
            only_b = [t for t in y if t not in x]
            failures.append(f"{where}figure {k + 1}: {only_a} with {a}, {only_b} with {b}")
    return failures


@pytest.mark.slow
def test_every_chapter_shows_the_same_on_another_machine(tmp_path: Path):
    # The two runs at once, each one nbval process over all the chapters (its start-up,
    # about 4 s, paid once instead of once per chapter)
    runs, failures = {}, []
    for i, (name, variables) in enumerate(VARIANTS.items()):
        log = tmp_path / f"figures-{i}.jsonl"
        env = P.kernel_env(tmp_path / f"ipython-{i}", NNLIB_FIGURE_TEXTS=str(log),
                           NNLIB_UNRENDERED="1", **variables)
        runs[name] = P.nbval(CHAPTERS, env), log
    texts = {}
    for name, (process, log) in runs.items():
        report, _ = process.communicate()
        if process.returncode != 0:
            failures.append(f"nbval with {name} (if it fails without it too, the stored "
                            f"outputs are stale: `make notebooks`):\n{P.nbval_failures(report)}")
        texts[name] = P.read_figure_texts(log)
    for name, kernels in texts.items():
        assert len(kernels) == len(CHAPTERS), f"{name}: {len(kernels)} kernels logged figures"
    for chapter, *per_run in zip(CHAPTERS, *texts.values(), strict=True):
        assert per_run[0], f"{chapter.name}: no figure text was recorded"
        failures += figure_differences(dict(zip(texts, per_run, strict=True)),
                                       where=f"{chapter.name}, ")
    assert not failures, "\n".join(failures[:12])


def tiny_notebook(path: Path, source: str, stored: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        source, execution_count=1,
        outputs=[nbformat.v4.new_output("stream", name="stdout", text=stored)])])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_nbval_in_a_nudged_kernel_sees_the_nudge_and_a_changed_digit(tmp_path: Path):
    env = P.kernel_env(tmp_path / "ipython", NNLIB_NUDGE=repr(P.NUDGE))
    probe = "import nnlib.layers as L\nprint('nudged:', L.init_weights.__name__ == 'nudged')"
    good = tiny_notebook(tmp_path / "a.ipynb", probe, "nudged: True\n")
    bad = tiny_notebook(tmp_path / "b.ipynb", "print(0.318)", "0.339\n")
    run = P.nbval([good, bad], env)
    report = P.nbval_failures(run.communicate()[0])
    assert run.returncode != 0 and "0.339" in report and "a.ipynb" not in report, report


@pytest.mark.slow
def test_an_unrendered_kernel_logs_the_texts_and_prints_a_stand_in_png(tmp_path: Path):
    log = tmp_path / "texts.jsonl"
    env = P.kernel_env(tmp_path / "ipython", NNLIB_FIGURE_TEXTS=str(log), NNLIB_UNRENDERED="1")
    probe = ("import io\nfrom matplotlib.figure import Figure\nfig = Figure()\n"
             "fig.suptitle('loss 0.318')\nbuf = io.BytesIO()\nfig.savefig(buf, format='png')\n"
             "print(len(buf.getvalue()))")
    run = P.nbval([tiny_notebook(tmp_path / "c.ipynb", probe, f"{len(P.PNG_1X1)}\n")], env)
    report = run.communicate()[0]
    assert run.returncode == 0, P.nbval_failures(report)
    assert P.read_figure_texts(log) == [[["loss 0.318"]]]          # one kernel, one figure


def test_the_stand_in_png_is_a_png():
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(P.PNG_1X1))
    image.load()
    assert image.size == (1, 1)


def test_the_nudge_changes_the_weights_by_the_stated_amount():
    import numpy as np

    from nnlib.layers import Linear

    plain = Linear(50, 40, rng=0).W.value
    with P.nudge_initial_weights(1e-9):
        nudged = Linear(50, 40, rng=0).W.value
    again = Linear(50, 40, rng=0).W.value
    ratio = (nudged / plain).ravel()
    np.testing.assert_allclose(np.abs(ratio - 1), 1e-9, rtol=1e-6)   # float64 keeps 1e-9
    assert 0.4 < np.mean(ratio > 1) < 0.6                            # random signs, both
    np.testing.assert_array_equal(again, plain)                      # undone afterwards


def test_the_figures_of_two_runs_are_compared_text_by_text():
    same = [["loss 0.318", "epoch 3"]]
    assert figure_differences({"a": same, "b": same}) == []
    assert figure_differences({"a": same, "b": [["loss 0.339", "epoch 3"]]}) == [
        "figure 1: ['loss 0.318'] with a, ['loss 0.339'] with b"]
    assert len(figure_differences({"a": same, "b": same * 2})) == 1


def test_narrowed_simd_names_only_targets_numpy_found_here():
    import numpy as np

    simd = np.show_config(mode="dicts")["SIMD Extensions"]
    assert set(P.narrowed_simd().split()) == set(simd["found"])
    assert not set(P.narrowed_simd().split()) & set(simd["baseline"])
