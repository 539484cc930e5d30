"""The rule that judges value answers (``ValueAnswer``) and the HTML answer form built on it.

The same rule runs in the answer form's JavaScript; ``tests/test_browser_phone.py``
compares the two on every form of the built book.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from nnlib.exercises import VALUE_ANSWERS, answer_form
from nnlib.exercises._answers import Mistake, ValueAnswer

PAIR = ValueAnswer("0.1", ("z", "a"), (-2.0, 0.0), "Right.",
                   mistakes=(Mistake((-3.0, None), "Forgot the bias."),
                             Mistake((None, -2.0), "ReLU clips at zero."),
                             Mistake((2.0, 2.0), "Sign slip.")),
                   hint="Recompute x·w + b.")
CHOICE = ValueAnswer("0.2", ("a", "b"), ("multi-label", "multi-class"), "Right.",
                     options=("multi-class", "multi-label"),
                     mistakes=(Mistake(("multi-class", "multi-label"), "Swapped."),))


@pytest.mark.parametrize("answer", [(-2.0, 0.0), [-2, 0], np.array([-2.0, 0.0]),
                                    (np.float32(-2.0), np.int64(0)), [[-2.0], [0.0]],
                                    (-2.0004, 0.0)])     # rounded to 4 significant digits
def test_right_answers_in_every_natural_form(answer):
    fb = PAIR.check(answer)
    assert fb.passed and fb.code == "correct" and fb.messages == ["Right."]


@pytest.mark.parametrize("answer, code, fragment", [
    (..., "todo", "Replace `...`"), (None, "todo", "Replace"), ((..., 0.0), "todo", "Replace"),
    ((-2.0,), "shape", "Give 2 entries (z, a)"), ((-2.0, 0.0, 1.0), "shape", "Give 2"),
    ((math.nan, 0.0), "not-a-number", "z: give a finite number"),
    ((-2.0, math.inf), "not-a-number", "a: give a finite number"),
    ((10**400, 0), "not-a-number", "z:"), (("-2", 0), "not-a-number", "z:"),
    ((True, 0), "not-a-number", "z:"), (({}, 0), "not-a-number", "z:"),
    ("junk", "shape", "Give 2"), ((-3.0, 0.0), "mistake", "Forgot the bias."),
    ((-2.0, -2.0), "mistake", "ReLU clips"), ((2.0, 2.0), "mistake", "Sign slip."),
    ((5.0, 0.0), "wrong", "Not right yet: z."), ((5.0, 0.0), "wrong", "Recompute"),
    ((-2.01, 0.0), "wrong", "z"),                # outside the tolerance
])
def test_every_other_answer_gets_its_reason(answer, code, fragment):
    fb = PAIR.check(answer)
    assert not fb.passed and fb.code == code and fragment in str(fb), (code, str(fb))


def test_the_first_matching_mistake_is_reported():
    fb = PAIR.check((-3.0, -2.0))
    assert fb.code == "mistake" and fb.messages == ["Forgot the bias."]


def test_choices():
    assert CHOICE.check(["multi-label", "multi-class"]).passed
    assert CHOICE.check(("multi-class", "multi-label")).messages == ["Swapped."]
    assert CHOICE.check(["multi-label", "banana"]).code == "not-a-number"
    assert CHOICE.check(["multi-label", "multi-label"]).code == "wrong"
    assert CHOICE.check(["multi-label", 3.0]).code == "not-a-number"


def test_a_description_must_be_consistent():
    with pytest.raises(ValueError, match="entries"):
        ValueAnswer("0.3", ("z", "a"), (1.0,), "Right.")
    with pytest.raises(ValueError, match="rows"):
        ValueAnswer("0.3", ("a", "b", "c"), (1.0, 2.0, 3.0), "Right.", rows=2)


def test_json_holds_the_whole_truth():
    data = json.loads(PAIR.to_json())
    assert data["expected"] == [-2.0, 0.0] and data["labels"] == ["z", "a"]
    assert data["mistakes"][0] == {"entries": [-3.0, None], "message": "Forgot the bias."}
    assert set(data["messages"]) >= {"todo", "todo-form", "not-a-number", "shape", "wrong"}


def test_form_html_is_labelled_self_contained_and_stable():
    page = answer_form(PAIR).to_html()
    assert page == answer_form(PAIR).to_html()                    # deterministic
    assert 'data-testid="nnx-answer-0-1"' in page and 'role="status"' in page
    assert 'aria-live="polite"' in page and '<label for="nnx-answer-0-1-f0">' in page
    assert "http" not in page and "</script" not in PAIR.to_json().replace("</", "<\\/")
    assert page.count('class="nnx-answer-field"') == 2
    choice = answer_form(CHOICE).to_html()
    assert choice.count("<select") == 2 and "multi-label</option>" in choice
    named = ValueAnswer("0.1", ("z", "a"), (-2.0, 0.0), "Right.", check_name="check_x")
    assert "Exercise 0.1" in repr(answer_form(named)) and "check_x(" in repr(answer_form(named))
    with pytest.raises(TypeError):
        answer_form({"expected": 1})
    with pytest.raises(ValueError, match="no value exercise '0.9'"):
        answer_form("0.9")
    assert answer_form("1.1").answer is VALUE_ANSWERS["1.1"]


def test_registry_covers_every_chapter_and_each_entry_is_checkable():
    chapters = {ex.split(".")[0] for ex in VALUE_ANSWERS}
    assert chapters == {str(n) for n in range(1, 10)}, sorted(chapters)
    assert len(VALUE_ANSWERS) >= 25, len(VALUE_ANSWERS)
    for ex, answer in VALUE_ANSWERS.items():
        assert answer.exercise == ex
        assert answer.check(answer.expected).passed, ex
        for mistake in answer.mistakes:
            filled = [e if e is not None else x
                      for e, x in zip(mistake.entries, answer.expected, strict=True)]
            fb = answer.check(filled)
            assert not fb.passed and fb.code == "mistake", (ex, mistake.message, str(fb))
