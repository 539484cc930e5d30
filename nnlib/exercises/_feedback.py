"""The verdict every ``check_...`` returns, :class:`~nnlib.exercises.Feedback`, and
the helpers the checks of several chapters share: placeholders, calling a reader's
function without raising, and comparing numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Feedback:
    """The verdict of a ``check_...`` function.

    Attributes
    ----------
    passed : bool
        Whether the attempt is right.
    messages : list of str
        What is right or what is wrong, one point per entry.
    """

    passed: bool
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = "✅ Correct." if self.passed else "❌ Not yet."
        return "\n".join([head, *("  • " + m for m in self.messages)])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        head = "✅ **Correct.**" if self.passed else "❌ **Not yet.**"
        return "\n".join([head, "", *("- " + m for m in self.messages)])


def _verdict(problems: list[str], success: str) -> Feedback:
    """Turn a list of problems into Feedback: passed iff there are none."""
    return Feedback(False, problems) if problems else Feedback(True, [success])


_TODO = "Replace `...` with your answer, then run the cell again."


def _attempted(answer) -> bool:
    """False for the placeholders ``...`` and ``None`` a reader has not replaced yet."""
    return answer is not ... and answer is not None


def _call(fn, *args):
    """``(result, None)`` or ``(None, "your function raised ...")``: a reader's bug never raises."""
    try:
        return fn(*args), None
    except Exception as exc:  # the reader's code may fail in any way: report, don't raise
        return None, f"your function raised {type(exc).__name__}: {exc}"


def _number(value) -> float | None:
    """``value`` as a float if it is one real number (a 0-d or 1-element array too), else None."""
    import numpy as np

    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr.reshape(-1)[0]) if arr.size == 1 else None


def _close(a, b) -> bool:
    """Equal up to float64 round-off of a few operations (rtol 1e-9, atol 1e-12)."""
    import numpy as np

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _known_mistake(answer, variants: dict) -> str | None:
    """The message of the first known wrong answer in ``variants`` (``{message: wrong
    value}``) that ``answer`` equals (``_close``), or None: names the reader's mistake."""
    return next((message for message, wrong in variants.items() if _close(answer, wrong)),
                None)


def _not_a_function(fn, name: str) -> Feedback | None:
    """Feedback when ``fn`` is not yet a function to test, else None."""
    if not _attempted(fn):
        return Feedback(False, [_TODO])
    if not callable(fn):
        return Feedback(False, [f"Pass your function itself, e.g. `{name}(my_function)`, "
                                f"not its result; got {type(fn).__name__}."])
    return None
