"""Exercises whose answer is a value: their truth as data, and the one rule that judges them.

An exercise that asks for a number, a few numbers, a small matrix or a choice among named
options is described by a :class:`ValueAnswer`: the expected entries, the tolerance, and
the known mistakes with their messages. Two readers use that one description:

* the notebook's ``check_...`` function, through :meth:`ValueAnswer.check`;
* the answer form of the HTML book (:func:`~nnlib.exercises.answer_form`), which carries
  the same description as JSON and applies the same rule in a few lines of JavaScript
  (``answer_form.js`` beside this file). A browser test feeds the same attempts to both
  and requires the same verdict, so the two cannot drift apart.

The rule, in order: an entry still ``...`` (or an empty field) → "replace it"; an entry
that is no finite number (or no listed option) → "not a number"; the wrong number of
entries → "shape"; every entry within tolerance of the expected one → correct; otherwise
the first known mistake whose entries all match (``None`` matches anything) gives its
message (so list the specific ones first), and when none does, the wrong entries are
named, with the exercise's hint.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

from ._feedback import Feedback

# The words of the rule, shared with the JavaScript (``{labels}`` and ``{n}`` are filled in).
MESSAGES = {
    "todo": "Replace `...` with your answer, then run the cell again.",
    "todo-form": "Fill in every field, then press Check.",
    "not-a-number": "{labels}: give a finite number, with a decimal point: -2, 0.5 or 1e-3 "
                    "(not 0,5).",
    "not-an-option": "{labels}: choose one of the options.",
    "shape": "Give {n} entries ({labels}), in this order.",
    "shape-one": "Give one entry ({labels}).",
    "wrong": "Not right yet: {labels}.",
}


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: its entries (``None``: any value) and what to tell the reader."""

    entries: tuple
    message: str


@dataclass(frozen=True)
class ValueAnswer:
    """The truth of one exercise whose answer is a short list of values.

    Attributes
    ----------
    exercise : str
        Its number in the book, e.g. ``"6.2"``.
    labels : tuple of str
        One label per entry, in order, e.g. ``("z", "a")`` or ``("row 1, col 1", ...)``.
    expected : tuple
        The right entries: numbers, or option names when ``options`` is given.
    success : str
        What a correct answer is told (it explains why it is right).
    mistakes : tuple of Mistake
        Known wrong answers and their messages; the first that matches is reported.
    options : tuple of str or None
        For a choice: the names every entry must be one of (None: numbers).
    hint : str
        Added when the answer is wrong and no known mistake matches.
    rtol, atol : float
        Tolerance of each entry, ``|given - expected| <= atol + rtol * |expected|``. The
        default accepts any rounding to 4 significant digits (rtol 5e-4) and nothing a
        real mistake produces; exercises with integer answers use ``rtol=0, atol=1e-9``.
    rows : int
        Shown as a grid of ``rows`` rows in the HTML (1: one row of fields).
    check_name : str
        The name of the notebook's ``check_...`` function for this exercise.
    """

    exercise: str
    labels: tuple[str, ...]
    expected: tuple
    success: str
    mistakes: tuple[Mistake, ...] = ()
    options: tuple[str, ...] | None = None
    hint: str = ""
    rtol: float = 5e-4
    atol: float = 1e-9
    rows: int = 1
    check_name: str = ""

    def __post_init__(self) -> None:
        n = len(self.labels)
        if len(self.expected) != n or any(len(m.entries) != n for m in self.mistakes):
            raise ValueError(f"ValueAnswer {self.exercise}: expected and every mistake need "
                             f"{n} entries (one per label)")
        if n % self.rows:
            raise ValueError(f"ValueAnswer {self.exercise}: {n} entries do not fill "
                             f"{self.rows} rows")

    # -- the rule ----------------------------------------------------------------------------
    def _same(self, given, want) -> bool:
        if self.options is not None:
            return given == want
        return abs(given - want) <= self.atol + self.rtol * abs(want)

    def _names(self, idx: list[int]) -> str:
        return ", ".join(self.labels[i] for i in idx)

    def judge(self, entries: Sequence) -> Feedback:
        """The verdict for ``entries``, one per label, each a float, an option name, or
        ``...`` (unanswered); anything else in an entry is "not a number"."""
        msg = MESSAGES
        n = len(self.labels)
        if len(entries) != n:
            key = "shape" if n > 1 else "shape-one"
            return Feedback(False, [msg[key].format(n=n, labels=self._names(range(n)))],
                            code="shape")
        if any(e is ... for e in entries):
            return Feedback(False, [msg["todo"]], code="todo")
        if self.options is not None:
            bad = [i for i, e in enumerate(entries) if e not in self.options]
            if bad:
                return Feedback(False, [msg["not-an-option"].format(labels=self._names(bad))],
                                code="not-a-number")
        else:
            bad = [i for i, e in enumerate(entries)
                   if isinstance(e, bool) or not isinstance(e, float) or not math.isfinite(e)]
            if bad:
                return Feedback(False, [msg["not-a-number"].format(labels=self._names(bad))],
                                code="not-a-number")
        wrong = [i for i in range(n) if not self._same(entries[i], self.expected[i])]
        if not wrong:
            return Feedback(True, [self.success], code="correct")
        for m in self.mistakes:                 # the first that matches: list specific first
            if all(w is None or self._same(e, w) for e, w in zip(entries, m.entries,
                                                                 strict=True)):
                return Feedback(False, [m.message], code="mistake")
        lines = [msg["wrong"].format(labels=self._names(wrong))]
        return Feedback(False, lines + ([self.hint] if self.hint else []), code="wrong")

    def check(self, answer) -> Feedback:
        """The verdict for a notebook answer: a number, or a (nested) list, tuple or array
        of them (or of option names) with one entry per label, in order."""
        if answer is ... or answer is None:
            return Feedback(False, [MESSAGES["todo"]], code="todo")
        return self.judge(self._flatten(answer))

    def _flatten(self, answer) -> list:
        """The entries of ``answer`` in reading order; an entry that is no usable value is
        kept as a marker that :meth:`judge` reports as "not a number"."""
        import numpy as np

        out: list = []

        def walk(x, depth: int) -> None:
            if x is ...:
                out.append(...)
            elif isinstance(x, str):
                out.append(x if self.options is not None else _NOT_A_NUMBER)
            elif isinstance(x, (bool, np.bool_)):
                out.append(_NOT_A_NUMBER)
            elif isinstance(x, numbers.Real):
                try:
                    out.append(float(x))
                except (OverflowError, ValueError, TypeError):     # 10**400
                    out.append(_NOT_A_NUMBER)
            elif isinstance(x, np.ndarray):
                if x.ndim == 0:
                    walk(x.item(), depth)
                else:
                    for item in x.tolist():
                        walk(item, depth + 1)
            elif isinstance(x, (list, tuple)) and depth < 4:
                for item in x:
                    walk(item, depth + 1)
            else:
                out.append(_NOT_A_NUMBER)

        walk(answer, 0)
        return out

    # -- for the HTML form -------------------------------------------------------------------
    def to_json(self) -> str:
        """This description as JSON, for the answer form's JavaScript."""
        return json.dumps({
            "exercise": self.exercise, "labels": list(self.labels),
            "expected": list(self.expected), "success": self.success,
            "mistakes": [{"entries": list(m.entries), "message": m.message}
                         for m in self.mistakes],
            "options": None if self.options is None else list(self.options),
            "hint": self.hint, "rtol": self.rtol, "atol": self.atol, "rows": self.rows,
            "messages": MESSAGES,
        }, ensure_ascii=False, sort_keys=True)


class _NotANumber:
    """The marker of an entry that is no usable value (text, a bool, a dict, 10**400, ...)."""

    def __repr__(self) -> str:
        return "<not a number>"


_NOT_A_NUMBER = _NotANumber()
