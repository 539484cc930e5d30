"""Each value exercise's tolerance, tested from both sides by its notebook check.

For every value exercise with numeric entries (``nnlib.exercises.VALUE_ANSWERS``), the right
answer with one entry moved just outside its tolerance must be judged wrong, and the right
answer with every entry moved just inside must be judged right. A notebook passes Python
numbers, which are judged at the digits the exercise asks (``ValueAnswer.digits``): the
tolerance of an entry ``e`` is half a unit of its ``digits``-th significant digit, or
``atol`` where the answer is exact (``digits`` None) or ``e`` is 0.

Why 3 and 0.3: the moves are a factor of 3 beyond and within the tolerance, so the test
pins the tolerance a check applies to within a factor of 3 of the one it declares (a check
3× too lenient passes the move outside, one 3× too strict fails the move inside), while
staying clear of the boundary itself, where the float rounding of ``e ± τ`` and of the
comparison would decide instead of the rule. The moves are large against that rounding: a
count such as 109386 with ``atol = 1e-9`` is moved by 3e-10 at least, some 20 units in the
last place of 109386, and every move is checked to have survived the rounding.

The exercises whose entries are options (2.3, 3.6, 8.4) have no number to move.
"""

from __future__ import annotations

import numpy as np
import pytest
from near_miss import INSIDE, OUTSIDE, moved

import nnlib.exercises as ex
from nnlib.exercises import VALUE_ANSWERS

#: How each notebook writes its answer (the attempt cell's form) from the flat entries;
#: the others are a tuple, or a single number for a single entry.
NOTEBOOK_FORM = {
    "2.3": None, "3.6": None, "8.4": None,                  # options: nothing to move
    "5.1": lambda e: [((e[0], e[1]), (e[2],)), ((e[3], e[4]), (e[5],)),
                      ((e[6], e[7]), (e[8],))],
    "5.2": lambda e: ((e[0], e[1]), e[2], (e[3], e[4])),
    "6.2": lambda e: [[e[0], e[1]], [e[2], e[3]]],
    "6.3": lambda e: [[e[0], e[1]], [e[2], e[3]]],
    "7.2": lambda e: (np.array(e[:4]).reshape(2, 2), np.array(e[4:])),
    "9.1": lambda e: [list(e[0:3]), list(e[3:6]), list(e[6:9])],
}

NUMERIC = sorted(k for k, a in VALUE_ANSWERS.items() if a.options is None)


def notebook_form(exercise: str, entries: list[float]):
    form = NOTEBOOK_FORM.get(exercise)
    if form is not None:
        return form(entries)
    return entries[0] if len(entries) == 1 else tuple(entries)


def test_every_value_exercise_is_near_missed_or_has_options():
    options = sorted(k for k, a in VALUE_ANSWERS.items() if a.options is not None)
    assert options == sorted(k for k, f in NOTEBOOK_FORM.items() if f is None), options
    assert set(NOTEBOOK_FORM) <= set(VALUE_ANSWERS)


@pytest.mark.parametrize("exercise", NUMERIC)
def test_just_outside_the_tolerance_is_wrong(exercise):
    answer = VALUE_ANSWERS[exercise]
    check = getattr(ex, answer.check_name)
    right = [float(e) for e in answer.expected]
    assert check(notebook_form(exercise, right)).passed, exercise
    for i, label in enumerate(answer.labels):
        for sign in (+1, -1):
            entries = list(right)
            entries[i] = moved(answer, right[i], sign * OUTSIDE)
            fb = check(notebook_form(exercise, entries))
            assert not fb.passed and fb.code in ("wrong", "mistake"), (
                f"Exercise {exercise}: {label} = {entries[i]!r}, {OUTSIDE:g} tolerances "
                f"from {right[i]!r}, should be wrong: {fb}")


@pytest.mark.parametrize("exercise", NUMERIC)
def test_just_inside_the_tolerance_is_right(exercise):
    answer = VALUE_ANSWERS[exercise]
    check = getattr(ex, answer.check_name)
    right = [float(e) for e in answer.expected]
    for signs in ([+1] * len(right), [-1] * len(right), [(-1) ** i for i in range(len(right))]):
        entries = [moved(answer, e, s * INSIDE) for e, s in zip(right, signs, strict=True)]
        fb = check(notebook_form(exercise, entries))
        assert fb.passed, (f"Exercise {exercise}: {entries}, each {INSIDE:g} tolerances from "
                           f"{right}, should be right: {fb}")
