"""The tolerance of a value exercise's entry, read from its ``ValueAnswer`` by the rule the
chapters state (not by the code that applies it), and an entry moved a given number of
tolerances away: what the near-miss tests of the notebook checks (``test_near_misses.py``)
and of the HTML forms (``test_browser_phone.py``) type.

A Python number is judged at the digits the exercise asks (``ValueAnswer.digits``): its
tolerance is half a unit of that digit, or ``atol`` where the answer is exact (``digits``
None) or the entry is 0. The moves are a factor of 3 beyond and within it, clear of the
boundary, where float rounding would decide instead of the rule.
"""

from __future__ import annotations

import numpy as np

OUTSIDE, INSIDE = 3.0, 0.3


def tolerance(answer, e: float) -> float:
    """Half a unit of ``e``'s ``digits``-th significant digit (``atol`` for exact answers)."""
    if answer.digits is None or e == 0:
        return answer.atol
    exponent = int(np.floor(np.log10(abs(e))))
    return max(answer.atol, 0.5 * 10.0 ** (exponent - answer.digits + 1))


def moved(answer, e: float, factor: float) -> float:
    """``e`` moved by ``factor`` tolerances, after checking the move survived rounding."""
    step = factor * tolerance(answer, e)
    out = e + step
    assert abs((out - e) - step) <= 0.05 * abs(step), (answer.exercise, e, step)
    return out
