"""The answer form of an exercise in the HTML book, where there is no kernel.

:func:`answer_form` turns a :class:`~nnlib.exercises.ValueAnswer` into a self-contained
HTML snippet: one labelled field per entry (or a choice list), a Check button (Enter works
too), a verdict that screen readers announce, the exercise's truth as JSON and the rule of
``answer_form.js``. No URL, no CDN: it works offline, in the book and in a notebook.
"""

from __future__ import annotations

import html
from importlib import resources

from ._answers import ValueAnswer

_STYLE = (".nnx-answer{margin:0.6em 0 1em;padding:0.6em 0.8em;border:1px solid #b6c2cf;"
          "border-radius:6px;max-width:100%;overflow-x:auto}"
          ".nnx-answer .nnx-answer-title{font-weight:600;margin:0}"
          ".nnx-answer .nnx-answer-how{font-size:0.9em;margin:0 0 0.4em}"
          ".nnx-answer .nnx-answer-grid{display:grid;gap:0.4em 0.8em;margin-bottom:0.5em}"
          ".nnx-answer label{display:flex;flex-direction:column;font-size:0.9em;gap:0.15em}"
          ".nnx-answer input,.nnx-answer select{font:inherit;padding:0.2em 0.35em;"
          "min-width:0;width:100%;box-sizing:border-box;border:1px solid #6b7785;"
          "border-radius:4px}"
          ".nnx-answer button{font:inherit;padding:0.25em 1.1em;border-radius:4px;"
          "border:1px solid #1f5f99;background:#1f5f99;color:#fff;cursor:pointer}"
          ".nnx-answer .nnx-verdict ul{margin:0.2em 0 0;padding-left:1.2em}"
          ".nnx-answer .nnx-correct strong{color:#1b6e2b}"
          ".nnx-answer .nnx-not-yet strong{color:#a2320e}")


def _script() -> str:
    return resources.files(__package__).joinpath("answer_form.js").read_text(encoding="utf-8")


class AnswerForm:
    """An exercise's answer form: ``_repr_html_()`` is the snippet, ``repr()`` one line.

    For tests: the root ``div.nnx-answer`` has ``data-testid="nnx-answer-<N-k>"`` (e.g.
    ``nnx-answer-6-2``); field ``i`` is ``.nnx-answer-field`` with ``data-testid``
    ``...-f<i>``; the verdict ``.nnx-verdict`` carries ``data-code`` (``correct``,
    ``mistake``, ``wrong``, ``todo``, ``not-a-number``, ``shape``) after a check.
    """

    def __init__(self, answer: ValueAnswer) -> None:
        if not isinstance(answer, ValueAnswer):
            raise TypeError(f"answer_form expects a ValueAnswer or an exercise number, "
                            f"got {type(answer).__name__}")
        self.answer = answer

    @property
    def root_id(self) -> str:
        return "nnx-answer-" + self.answer.exercise.replace(".", "-")

    def _field(self, i: int, label: str) -> str:
        fid, esc = f"{self.root_id}-f{i}", html.escape
        common = (f'id="{fid}" class="nnx-answer-field" data-testid="{fid}" '
                  f'name="{fid}"')
        if self.answer.options is not None:
            opts = "".join(f'<option value="{esc(o)}">{esc(o)}</option>'
                           for o in self.answer.options)
            control = f'<select {common}><option value="">choose…</option>{opts}</select>'
        else:
            control = (f'<input type="text" {common} autocomplete="off" spellcheck="false" '
                       f'autocapitalize="off">')
        return f'<label for="{fid}"><span>{esc(label)}</span>{control}</label>'

    def _repr_html_(self) -> str:
        a, root, esc = self.answer, self.root_id, html.escape
        # One row of fields wraps on a narrow screen; a matrix keeps its columns.
        width = "minmax(9em, 14em)" if a.options is not None else "minmax(5em, 9em)"
        cols = "auto-fill" if a.rows == 1 else str(len(a.labels) // a.rows)
        spec = a.to_json().replace("</", "<\\/")
        fields = "".join(self._field(i, label) for i, label in enumerate(a.labels))
        if a.options is not None:
            how = "Choose an option for each entry"
        elif len(a.labels) == 1:
            how = f"Type a number {a.asked}"
        else:
            how = (f"Type a number {a.asked} in each field, or all of them in the first, "
                   "separated by semicolons or commas")
        return (f'<div class="nnx-answer" id="{root}" data-testid="{root}">'
                f"<style>{_STYLE}</style>"
                f'<form class="nnx-answer-form" novalidate '
                f'aria-labelledby="{root}-title" aria-describedby="{root}-how">'
                f'<p class="nnx-answer-title" id="{root}-title">Your answer to Exercise '
                f'{esc(a.exercise)}</p>'
                f'<p class="nnx-answer-how" id="{root}-how">{esc(how)}, then press Check '
                f"(or Enter).</p>"
                f'<div class="nnx-answer-grid" style="grid-template-columns:repeat({cols}, '
                f'{width})">{fields}</div>'
                f'<button type="submit" data-testid="{root}-check">Check</button>'
                f"</form>"
                f'<div class="nnx-verdict" role="status" aria-live="polite" '
                f'data-testid="{root}-verdict"></div>'
                f'<script type="application/json" class="nnx-answer-spec">{spec}</script>'
                f"<script>{_script().replace('__ROOT__', root)}</script>"
                f"</div>")

    def to_html(self) -> str:
        """The self-contained HTML snippet (the same as ``_repr_html_()``)."""
        return self._repr_html_()

    def __repr__(self) -> str:
        check = self.answer.check_name
        where = f"; in a notebook, call {check}(...) in a code cell" if check else ""
        return (f"<answer form of Exercise {self.answer.exercise}: "
                f"{len(self.answer.labels)} fields{where}>")


def answer_form(answer: ValueAnswer | str) -> AnswerForm:
    """The HTML answer form of an exercise (see :class:`AnswerForm`): its
    :class:`ValueAnswer`, or its number in the book (``answer_form("6.2")``)."""
    if isinstance(answer, str):
        from . import VALUE_ANSWERS

        if answer not in VALUE_ANSWERS:
            raise ValueError(f"answer_form: no value exercise {answer!r}; the exercises with "
                             f"a value answer are {sorted(VALUE_ANSWERS)}")
        answer = VALUE_ANSWERS[answer]
    return AnswerForm(answer)
