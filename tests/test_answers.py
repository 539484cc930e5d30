"""The rule that judges value answers (``ValueAnswer``) and the HTML answer form built on it.

The same rule runs in the answer form's JavaScript; ``tests/test_browser_phone.py``
compares the two on every form of the built book.
"""

from __future__ import annotations

import json
import math
import re

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
    ((10**400, 0), "not-a-number", "z:"), (("-2 volts", 0), "not-a-number", "z:"),
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


# -- numbers as people type them (nnlib/exercises/_numbers.py; the form reads them alike) --

@pytest.mark.parametrize("text, value", [
    ("0.5", 0.5), (".5", 0.5), ("+0.5", 0.5), ("\u22120.5", -0.5), ("0,5", 0.5),
    ("-0,625", -0.625), ("5/8", 0.625), ("-1/4", -0.25), ("62.5 %", 0.625), ("62,5%", 0.625),
    ("8^9", 8.0 ** 9), ("2**10", 1024.0), ("2^-3", 0.125), ("1e-3", 1e-3), ("2,5E3", 2500.0),
    ("1 000", 1000.0), ("0,500", 0.5),
])
def test_an_entry_is_read_as_people_write_it(text, value):
    from nnlib.exercises._numbers import read_entry

    assert read_entry(text) == value                    # exact: the same float as typed


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "1e400", "1/0", "2^0.5", "1.000,5",
                                  "5//8", "%", "0.5.1", "--1"])
def test_what_is_no_number_stays_no_number(text):
    from nnlib.exercises._numbers import NOT_A_NUMBER, read_entry

    assert read_entry(text) is NOT_A_NUMBER


def test_a_text_that_reads_two_ways_gets_a_question_not_a_guess():
    fb = PAIR.check("1,500; 0")
    assert fb.code == "ambiguous" and "1.500 or 1500" in str(fb)
    fb = PAIR.check("0,5")                               # one number, or the entries 0 and 5?
    assert fb.code == "ambiguous" and "0.5" in str(fb) and "0 and 5" in str(fb)
    assert PAIR.check("-2; 0").passed and PAIR.check("-2, 0").passed
    assert PAIR.check("\u22122 0").passed and PAIR.check("[-2,0]").passed
    assert PAIR.check(["-2,0", "0"]).passed              # one entry a field: a decimal comma
    assert PAIR.check("-2,0; 0").passed


def test_the_form_words_the_questions_as_the_notebook():
    data = json.loads(PAIR.to_json())
    assert {"ask-number", "ask-entries"} <= set(data["messages"])


# -- precision: stated, and judged by the digits typed ---------------------------------------
THIRD = ValueAnswer("0.3", ("p",), (0.9162907318741551,), "Right.", hint="Use ln.",
                    mistakes=(Mistake((0.5108,), "That is -ln(0.6)."),))
COUNT = ValueAnswer("0.4", ("n",), (134217728.0,), "Right.", digits=None)


@pytest.mark.parametrize("text", ["0.916", "0,916", "0.9163", "0.91629", "0.916290732",
                                  "91.6 %", "11/12"])
def test_an_answer_right_to_the_digits_asked_or_more_is_right(text):
    """Any correct rounding with at least the 3 digits asked; 11/12 = 0.91667 is a fraction
    (exact as typed), judged at the 3 digits asked."""
    assert THIRD.check(text).code == "correct", text


@pytest.mark.parametrize("text", ["0.92", "0,9", "9.2e-1", "0.9"])
def test_a_rounding_with_too_few_digits_is_close_never_a_method_hint(text):
    fb = THIRD.check(text)
    assert fb.code == "close" and fb.messages == [
        "Close: right as far as you wrote it (p); give 3 significant digits."]


def test_digits_typed_beyond_those_asked_must_be_right_too():
    """0.9165 is right to 3 digits (0.91629 is within half a unit of it), but not to the 4
    typed: "close", with the advice to round at the end (as a rounded intermediate step
    gives)."""
    fb = THIRD.check("0.9165")
    assert fb.code == "close" and "right to 3 significant digits" in fb.messages[0]
    assert "round only at the end" in fb.messages[0]


@pytest.mark.parametrize("text", ["0.915", "0.917", "0.8", "0.9175"])
def test_a_wrong_answer_keeps_the_method_hint(text):
    """0.915 and 0.917 are one unit off in the third digit: wrong, however close."""
    fb = THIRD.check(text)
    assert fb.code == "wrong" and fb.messages == ["Not right yet: p.", "Use ln."], text


def test_a_python_number_is_judged_at_the_digits_asked():
    assert THIRD.check(0.9165).code == "correct"        # within half a unit of 0.916(3)
    assert THIRD.check(0.9156).code == "wrong"


def test_a_mistake_is_recognised_when_rounded():
    for text in ("0.511", "0.5108", "0,51"):
        assert THIRD.check(text).messages == ["That is -ln(0.6)."], text


@pytest.mark.parametrize("text, code", [("134217728", "correct"), ("8^9", "correct"),
                                        ("2**27", "correct"), ("1.342e8", "close"),
                                        ("1.34e8", "close"), ("134217729", "wrong"),
                                        ("1.35e8", "wrong")])
def test_an_exact_answer_needs_every_digit(text, code):
    fb = COUNT.check(text)
    assert fb.code == code, text
    if code == "close":
        assert "give the exact value" in fb.messages[0]


def test_the_precision_asked_is_stated_in_the_form_and_the_notebook():
    assert THIRD.asked == "to 3 significant digits" and "exactly" in COUNT.asked
    assert "to 3 significant digits" in THIRD.check(...).messages[0]
    assert "Type a number to 3 significant digits" in answer_form(THIRD).to_html()
    assert CHOICE.asked == ""
    assert CHOICE.check(...).messages[0].startswith("Replace `...` with your answer,")


def _rounded(x: float, k: int) -> str:
    return f"{x:.{k - 1}e}"


@pytest.mark.parametrize("exercise", sorted(e for e, a in VALUE_ANSWERS.items()
                                             if a.options is None))
def test_no_known_mistake_rounds_to_a_right_answer(exercise):
    """The digits asked separate every known mistake from the answer: a mistake written to
    the digits asked, one more, or as Python computes it is never "correct" or "close"."""
    a = VALUE_ANSWERS[exercise]
    for m in a.mistakes:
        entries = [e if w is None else w for w, e in zip(m.entries, a.expected, strict=True)]
        if entries == list(a.expected):
            continue
        spellings = [entries] + [[_rounded(x, k) for x in entries]
                                 for k in ((a.digits, a.digits + 1) if a.digits else (12,))]
        for attempt in spellings:
            assert a.check(attempt).code not in ("correct", "close"), (m.message, attempt)


@pytest.mark.parametrize("exercise", sorted(e for e, a in VALUE_ANSWERS.items()
                                             if a.options is None and a.digits))
def test_every_answer_rounded_to_the_digits_asked_is_right_and_one_digit_less_is_not(exercise):
    a = VALUE_ANSWERS[exercise]
    assert a.check([_rounded(x, a.digits) for x in a.expected]).passed
    assert a.check([_rounded(x, a.digits + 2) for x in a.expected]).passed
    fewer = [_rounded(x, a.digits - 1) for x in a.expected]
    if any(abs(float(t) - x) > a.atol for t, x in zip(fewer, a.expected, strict=True)):
        # close, unless the rounding is itself a known mistake (10.5 → 1.0e1, no bias)
        assert a.check(fewer).code in ("close", "mistake")
        mistaken = [m for m in a.mistakes
                    if all(w is None or abs(float(t) - w) <= a.atol
                           for t, w in zip(fewer, m.entries, strict=True))]
        assert (a.check(fewer).code == "mistake") == bool(mistaken)


WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def test_a_chapter_that_states_the_digits_states_the_ones_its_check_asks():
    """The form and the check say what precision they want (``ValueAnswer.asked``); where
    an exercise's text says it too, it must say the same."""
    from pathlib import Path

    stated = {}
    for md in sorted(Path(__file__).parents[1].glob("chapters/0*.md")):
        for part in re.split(r"^#{2,3} ", md.read_text(encoding="utf-8"), flags=re.M):
            head = re.match(r"Exercise (\d+\.\d+)", part)
            said = re.findall(r"(\w+) significant digits", part)
            if head and said:
                stated[head[1]] = said
    assert stated, "no exercise text states its digits: the pattern is stale"
    for exercise, said in stated.items():
        want = VALUE_ANSWERS[exercise].digits
        assert set(said) == {WORDS[want]} or set(said) == {str(want)}, (exercise, said, want)


def test_each_known_mistake_is_reported_with_its_own_message():
    """A mistake, with the right entries where it says None, gets its own message: no
    earlier mistake of the table shadows it."""
    for ex, answer in VALUE_ANSWERS.items():
        for mistake in answer.mistakes:
            filled = [e if e is not None else x
                      for e, x in zip(mistake.entries, answer.expected, strict=True)]
            assert answer.check(filled).messages == [mistake.message], (ex, mistake.entries)
