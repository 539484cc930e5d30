"""Exercises whose answer is a value: their truth as data, and the one rule that judges them.

An exercise that asks for a number, a few numbers, a small matrix or a choice among named
options is described by a :class:`ValueAnswer`: the expected entries, the tolerance, and
the known mistakes with their messages. Two readers use that one description:

* the notebook's ``check_...`` function, through :meth:`ValueAnswer.check`;
* the answer form of the HTML book (:func:`~nnlib.exercises.answer_form`), which carries
  the same description as JSON and applies the same rule in a few lines of JavaScript
  (``answer_form.js`` beside this file). A browser test feeds the same attempts to both
  and requires the same verdict, so the two cannot drift apart.

Typed text (a form's field, or a string in a notebook answer) is read by the rules of
:mod:`~nnlib.exercises._numbers`: a decimal comma, fractions, powers and percentages
too, and a question back where a text can be read two ways.

The rule, in order: the wrong number of entries → "shape"; an entry still ``...`` (or an
empty field) → "replace it"; an entry that can be read two ways → the question; an entry
that is no finite number (or no listed option) → "not a number"; every entry right to
the digits asked (see ``digits``) → correct; every entry right as far as it goes, but with
too few digits (or wrong in digits beyond those asked) → "close"; otherwise
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
from ._numbers import ASK_ENTRIES, ASK_NUMBER, NOT_A_NUMBER, Question, read_entry, split_entries

# The words of the rule, shared with the JavaScript (``{labels}`` and ``{n}`` are filled in).
MESSAGES = {
    "todo": "Replace `...` with your answer{asked}, then run the cell again.",
    "close-few": "Close: right as far as you wrote it ({labels}); give {digits} significant "
                 "digits.",
    "close-late": "Close: right to {digits} significant digits ({labels}), but not in the "
                  "digits you wrote after those: round only at the end, or give {digits} "
                  "digits.",
    "close-exact": "Close: right as far as you wrote it ({labels}); give the exact value (an "
                   "integer, or a fraction such as 5/8).",
    "todo-form": "Fill in every field, then press Check.",
    "not-a-number": "{labels}: give a finite number, such as -2, 0.5 (or 0,5), 5/8, 62.5 %, "
                    "1e-3 or 2^10.",
    "not-an-option": "{labels}: choose one of the options.",
    "shape": "Give {n} entries ({labels}), in this order.",
    "shape-one": "Give one entry ({labels}).",
    "wrong": "Not right yet: {labels}.",
    "ask-number": ASK_NUMBER,
    "ask-entries": ASK_ENTRIES,
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
    digits : int or None
        The significant digits asked for (None: the exact value, for counts, sizes and
        fractions). A typed entry is right when it agrees with the expected value to every
        digit typed and has at least ``digits`` of them; a Python number is judged at
        ``digits``. An entry that agrees as far as it goes but has too few digits is
        "close" (never a method hint). Choose ``digits`` so that no known mistake rounds
        to the right answer (a test checks it).
    atol : float
        An entry within ``atol`` of the expected value is right however it is written
        (``2`` for 2.0, ``0.5`` for 1/2).
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
    digits: int | None = 3
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

    @property
    def asked(self) -> str:
        """What precision the exercise asks for, in words ("" for a choice)."""
        if self.options is not None:
            return ""
        if self.digits is None:
            return "exactly (an integer, or a fraction such as 5/8)"
        return f"to {self.digits} significant digits"

    def _todo(self) -> str:
        return MESSAGES["todo"].format(asked=f" ({self.asked})" if self.asked else "")

    # -- the rule ----------------------------------------------------------------------------
    def _agree(self, given: float, want: float, k: int | None) -> bool:
        """``given`` agrees with ``want`` to ``k`` significant digits: it is within half a
        unit of ``want``'s ``k``-th digit (``k`` None: within ``atol``)."""
        if abs(given - want) <= self.atol:
            return True
        if k is None or want == 0:
            return False
        exponent = int(format(abs(want), ".15e").split("e")[1])
        return abs(given - want) <= 0.5 * 10.0 ** (exponent - k + 1) * (1 + 1e-9)

    def _grade(self, given, want) -> str:
        """One entry: "right", "few" (agrees, too few digits), "late" (right to the digits
        asked, not to the later ones typed) or "wrong"."""
        if self.options is not None:
            return "right" if given == want else "wrong"
        typed, n = getattr(given, "digits", None), self.digits
        if abs(given - want) <= self.atol:
            return "right"
        if n is not None and (typed is None or typed >= n):
            if self._agree(given, want, n if typed is None else typed):
                return "right"
            return "late" if typed is not None and self._agree(given, want, n) else "wrong"
        return "few" if typed is not None and self._agree(given, want, typed) else "wrong"

    def _same(self, given, want) -> bool:
        """``given`` is (a rounding of) the known mistake ``want``: to the digits typed and
        asked; where neither says, exactly if it is an integer, else to 3 digits."""
        if self.options is not None:
            return given == want
        typed, n = getattr(given, "digits", None), self.digits
        guess = None if typed or n or float(want).is_integer() else 3
        k = min((d for d in (typed, n, guess) if d is not None), default=None)
        return self._agree(given, want, k)

    def _names(self, idx: list[int]) -> str:
        return ", ".join(self.labels[i] for i in idx)

    def _known(self, entries: Sequence, exact: bool) -> Mistake | None:
        """The first known mistake that ``entries`` make (list specific ones first), to
        ``atol`` if ``exact``, else as :meth:`_same` reads a rounding."""
        def same(given, want) -> bool:
            if exact and self.options is None:
                return abs(given - want) <= self.atol
            return self._same(given, want)

        return next((m for m in self.mistakes
                     if all(w is None or same(e, w)
                            for e, w in zip(entries, m.entries, strict=True))), None)

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
            return Feedback(False, [self._todo()], code="todo")
        question = next((e for e in entries if isinstance(e, Question)), None)
        if question is not None:
            return Feedback(False, [question.text], code="ambiguous")
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
        grades = [self._grade(e, w) for e, w in zip(entries, self.expected, strict=True)]
        if all(g == "right" for g in grades):
            return Feedback(True, [self.success], code="correct")
        if "wrong" not in grades:
            known = self._known(entries, exact=True)   # a mistake typed as it is
            if known is not None:
                return Feedback(False, [known.message], code="mistake")
            kind = "close-few" if "few" in grades else "close-late"
            close = [i for i, g in enumerate(grades) if g != "right"]
            key = "close-exact" if self.digits is None else kind
            return Feedback(False, [msg[key].format(labels=self._names(close),
                                                    digits=self.digits)], code="close")
        wrong = [i for i, g in enumerate(grades) if g == "wrong"]
        known = self._known(entries, exact=False)      # or rounded
        if known is not None:
            return Feedback(False, [known.message], code="mistake")
        lines = [msg["wrong"].format(labels=self._names(wrong))]
        return Feedback(False, lines + ([self.hint] if self.hint else []), code="wrong")

    def check(self, answer) -> Feedback:
        """The verdict for a notebook answer: a number, or a (nested) list, tuple or array
        of them (or of option names) with one entry per label, in order; or the answer
        typed as text, as in the form (``"0,79; -0,2"``, ``"5/8"``)."""
        if answer is ... or answer is None:
            return Feedback(False, [self._todo()], code="todo")
        if isinstance(answer, str) and self.options is None:
            parts = split_entries(answer, len(self.labels))
            if isinstance(parts, Question):
                return Feedback(False, [parts.text], code="ambiguous")
            answer = parts
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
                if self.options is not None:
                    out.append(x)
                else:
                    label = self.labels[min(len(out), len(self.labels) - 1)]
                    out.append(read_entry(x, label))
            elif isinstance(x, (bool, np.bool_)):
                out.append(NOT_A_NUMBER)
            elif isinstance(x, numbers.Real):
                try:
                    out.append(float(x))
                except (OverflowError, ValueError, TypeError):     # 10**400
                    out.append(NOT_A_NUMBER)
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
                out.append(NOT_A_NUMBER)

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
            "hint": self.hint, "digits": self.digits, "atol": self.atol, "rows": self.rows,
            "messages": MESSAGES,
        }, ensure_ascii=False, sort_keys=True)
