"""How an exercise's cells read in the HTML book (the notebooks keep every cell as it is).

* **A solution says so.** A cell tagged ``solution`` (folded by ``hide-cell``) opens with
  "Show the solution", not myst-nb's "Show code cell content", which the book's hidden
  helper cells keep: a reader tells the two apart.
* **One verdict.** Under a value exercise's answer form (the output of ``answer_form``,
  a ``nnx-answer`` element) comes its attempt cell, the ``...`` that its check answers
  with "Not yet" in the executed notebook (after cells that show the exercise's data, if
  any). In the HTML the form answers, so that stored "Not yet" is left out, up to the
  exercise's solution: it would sit under the form's own verdict as a second one.

Both act on the doctree that myst-nb builds, before its transform that makes the toggles.
"""

from __future__ import annotations

from docutils import nodes

SOLUTION_PROMPTS = ("Show the solution", "Hide the solution")
#: How a check's verdict on an unanswered attempt starts (``nnlib.exercises.Feedback``).
NOT_YET = "Not yet."


def _cells(doctree) -> list[nodes.container]:
    return [n for n in doctree.findall(nodes.container) if n.get("nb_element") == "cell_code"]


def _holds_a_form(cell) -> bool:
    return any("nnx-answer" in raw.astext() for raw in cell.findall(nodes.raw))


def _is_solution(cell) -> bool:
    return "solution" in cell.get("cell_metadata", {}).get("tags", [])


def _verdicts(cell) -> list[nodes.Node]:
    """The outputs of ``cell`` that are a check's stored "Not yet"."""
    return [n for n in cell.children if n.get("nb_element") == "cell_code_output"
            and NOT_YET in n.astext()]


def _exercise_cells(app, doctree) -> None:
    cells = _cells(doctree)
    for cell in cells:
        if _is_solution(cell) and cell.get("hide_mode"):
            cell["prompt_show"], cell["prompt_hide"] = SOLUTION_PROMPTS
    under_a_form = False
    for cell in cells:
        if _holds_a_form(cell):
            under_a_form = True
        elif _is_solution(cell):
            under_a_form = False
        elif under_a_form:
            for verdict in _verdicts(cell):
                cell.remove(verdict)


def setup(app):
    app.connect("doctree-read", _exercise_cells)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
