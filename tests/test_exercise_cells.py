"""``_ext/exercise_cells.py``: in the HTML book a solution's toggle says "Show the solution",
and no stored "Not yet" sits under an answer form (the form gives the verdict); the
notebooks keep every output. Checked on a made-up doctree (fast) and on the built book."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from book import CHAPTER_PAGES, HTML
from docutils import nodes

# _ext/ is a folder of Sphinx extensions, not a package: load the module from its file
_SPEC = importlib.util.spec_from_file_location(
    "exercise_cells", Path(__file__).parents[1] / "_ext" / "exercise_cells.py")
exercise_cells = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(exercise_cells)


def cell(*outputs: str, tags=(), hidden=False) -> nodes.container:
    c = nodes.container(nb_element="cell_code", cell_metadata={"tags": list(tags)})
    if hidden:
        c["hide_mode"], c["prompt_show"], c["prompt_hide"] = "all", "Show code", "Hide code"
    for text in outputs:
        out = nodes.container(nb_element="cell_code_output")
        out += nodes.raw("", text, format="html")
        c += out
    return c


def test_solutions_are_labelled_and_the_verdict_under_a_form_is_left_out():
    form = cell('<div class="nnx-answer">…</div>')
    data = cell("<pre>x = (1, 2)</pre>")
    attempt = cell("<p><strong>Not yet.</strong> Replace …</p>")
    solution = cell("<p><strong>Correct.</strong></p>", tags=["hide-cell", "solution"],
                    hidden=True)
    code_attempt = cell("<p><strong>Not yet.</strong> Replace …</p>")     # no form above
    helper = cell("<pre>42</pre>", tags=["hide-cell"], hidden=True)
    doc = nodes.section()
    for c in (form, data, attempt, solution, code_attempt, helper):
        doc += c
    exercise_cells._exercise_cells(None, doc)
    assert not attempt.children                        # the stored verdict: left out
    assert len(data.children) == 1                     # the exercise's data: kept
    assert len(code_attempt.children) == 1             # a code exercise's verdict: kept
    assert (solution["prompt_show"], solution["prompt_hide"]) == exercise_cells.SOLUTION_PROMPTS
    assert helper["prompt_show"] == "Show code"        # a helper keeps myst-nb's prompt


def exercises(page: str):
    html = (HTML / page).read_text(encoding="utf-8")
    return re.findall(r'<section id="(exercise-[^"]+)">(.*?)(?=<section id="exercise-|'
                      r'<section id="summary|\Z)', html, re.S)


@pytest.mark.slow
@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_in_the_built_book_every_exercise_has_a_labelled_solution_and_one_verdict(page):
    found = exercises(page)
    assert found, f"{page}: no exercise"
    for name, body in found:
        assert "Show the solution" in body, f"{page} {name}: no solution toggle"
        if 'class="nnx-answer"' not in body:
            continue
        start = body.index('class="nnx-answer"')
        under = re.sub(r"<script.*?</script>", "", body[start:body.index("Show the solution",
                                                                        start)], flags=re.S)
        assert "<strong>Not yet.</strong>" not in under, (
            f"{page} {name}: the notebook's stored verdict under the answer form")
