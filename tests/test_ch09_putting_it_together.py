"""The exercise checks of chapter 9: right answers pass, typical mistakes get their message."""

import numpy as np
import pytest

from nnlib.exercises import VALUE_ANSWERS as ALL_VALUE_ANSWERS
from nnlib.exercises import (
    check_confusion_matrix,
    check_majority_baseline,
    check_most_confused,
    check_precision_recall,
)
from nnlib.exercises.ch09_putting_it_together import (
    BASELINE_ANSWER,
    BASELINE_EXERCISE,
    CONFUSED_ANSWER,
    CONFUSED_EXERCISE,
    CONFUSION_ANSWER,
    CONFUSION_EXERCISE,
    PR_ANSWER,
    PR_EXERCISE,
    _ch09_confused_cases,
    _ch09_confusion_cases,
    _ch09_pr_cases,
    check_confusion_by_hand,
    check_majority_baseline_by_hand,
    check_most_confused_by_hand,
    check_precision_recall_by_hand,
)
from nnlib.training import confusion_matrix

CHECKS = [check_confusion_matrix, check_precision_recall, check_most_confused,
          check_majority_baseline]


#: The value answers of chapter 9, from the book's table.
VALUE_ANSWERS = tuple(a for ex, a in ALL_VALUE_ANSWERS.items() if ex.split(".")[0] == "9")

def text(feedback) -> str:
    return "\n".join(feedback.messages)


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check", CHECKS)
def test_function_returning_ellipsis_is_not_attempted(check):
    fb = check(lambda *args: ...)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check", CHECKS)
def test_not_a_function(check):
    fb = check(42)
    assert not fb and "Pass your function itself" in text(fb)


@pytest.mark.parametrize("check", CHECKS)
def test_raising_function_is_reported(check):
    def broken(*args):
        raise KeyError("oops")

    fb = check(broken)
    assert not fb and "your function raised KeyError" in text(fb)


# ---- 9.1 confusion matrix ---------------------------------------------------------------

def cm_loop(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        C[t, p] += 1
    return C


def test_confusion_matrix_right_answers():
    assert check_confusion_matrix(cm_loop)

    def cm_add_at(y_true, y_pred, k):
        C = np.zeros((k, k))
        np.add.at(C, (y_true, y_pred), 1)
        return C                                   # floats are fine

    assert check_confusion_matrix(cm_add_at)


def cm_fancy(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    C[y_true, y_pred] += 1                         # repeated pairs count once
    return C


def cm_in_place(y_true, y_pred, k):
    C = cm_loop(y_true, y_pred, k)
    y_true[:] = 0
    return C


@pytest.mark.parametrize("fn, expected", [
    (lambda t, p, k: cm_loop(p, t, k), "Rows and columns are swapped"),
    (lambda t, p, k: cm_loop(t, p, max(t.max(), p.max()) + 1), "use num_classes"),
    (lambda t, p, k: cm_loop(t, p, k) / np.maximum(cm_loop(t, p, k).sum(1, keepdims=True), 1),
     "return the counts"),
    (lambda t, p, k: np.diag(np.diag(cm_loop(t, p, k))), "Only the correct predictions"),
    (cm_fancy, "np.add.at"),
    (lambda t, p, k: cm_loop(t, p, k)[:, :1], "of shape (3, 3)"),
    (lambda t, p, k: cm_loop(t, p, k) * 2, "must add up to 6"),
    (cm_in_place, "changed y_true or y_pred in place"),
    (lambda t, p, k: "matrix", "array of numbers"),
])
def test_confusion_matrix_mistakes(fn, expected):
    fb = check_confusion_matrix(fn)
    assert not fb and expected in text(fb), text(fb)


def test_confusion_matrix_generic_mistake_names_the_entry():
    def off_by_one(t, p, k):
        C = cm_loop(t, p, k)
        C[2, 0] += 1
        C[2, 2] -= 1
        return C

    fb = check_confusion_matrix(off_by_one)
    assert not fb and "C[2, 0] should be 1, yours is 2" in text(fb)


# ---- 9.2 precision and recall -----------------------------------------------------------

def pr_right(cm):
    diag = np.diag(cm).astype(float)
    rows, cols = cm.sum(axis=1), cm.sum(axis=0)
    precision = np.divide(diag, cols, out=np.zeros(len(cm)), where=cols > 0)
    recall = np.divide(diag, rows, out=np.zeros(len(cm)), where=rows > 0)
    return precision, recall


def test_precision_recall_right_answer():
    fb = check_precision_recall(pr_right)
    assert fb and "never predicted" in text(fb)
    assert check_precision_recall(lambda cm: [a.tolist() for a in pr_right(cm)])


def pr_naive(cm):
    diag = np.diag(cm)
    return diag / cm.sum(axis=0), diag / cm.sum(axis=1)   # 0/0 gives nan


@pytest.mark.parametrize("fn, expected", [
    (lambda cm: pr_right(cm)[::-1], "Precision and recall are swapped"),
    (pr_naive, "class 2 is never predicted"),
    (lambda cm: (np.full(len(cm), np.trace(cm) / cm.sum()),) * 2, "overall accuracy"),
    (lambda cm: (pr_right(cm)[0], pr_right(cm)[1] + 0.1), "recall[0] should be 0.8333"),
    (lambda cm: pr_right(cm)[0], "Return two arrays"),
    (lambda cm: (pr_right(cm)[0][:2], pr_right(cm)[1]), "of shape (3,)"),
])
def test_precision_recall_mistakes(fn, expected):
    fb = check_precision_recall(fn)
    assert not fb and expected in text(fb), text(fb)


def test_precision_recall_naive_division_emits_no_warning():
    with np.errstate(all="raise"):              # the check silences 0/0 around the attempt
        fb = check_precision_recall(pr_naive)
    assert not fb and "nan" in text(fb)


# ---- 9.3 most confused pair -------------------------------------------------------------

def confused_right(cm):
    both = cm + cm.T
    np.fill_diagonal(both, -1)
    return np.unravel_index(np.argmax(both), both.shape)


def test_most_confused_right_answers():
    assert check_most_confused(confused_right)
    assert check_most_confused(lambda cm: tuple(int(v) for v in confused_right(cm))[::-1])


def largest_entry(cm):
    off = cm - np.diag(np.diag(cm))
    return np.unravel_index(np.argmax(off), off.shape)


@pytest.mark.parametrize("fn, expected", [
    (largest_entry, "Add the matrix to its transpose"),
    (lambda cm: np.unravel_index(np.argmax(cm + cm.T), cm.shape), "on the diagonal"),
    (lambda cm: (0, 1), "another pair is confused more often"),
    (lambda cm: (1, 2, 3), "Return two class labels"),
    (lambda cm: (1.5, 2), "Return two class labels"),
    (lambda cm: "13", "Return two class labels"),
])
def test_most_confused_mistakes(fn, expected):
    fb = check_most_confused(fn)
    assert not fb and expected in text(fb), text(fb)


# ---- 9.4 majority baseline --------------------------------------------------------------

def baseline_right(y_train, y_test):
    return float(np.mean(y_test == np.bincount(y_train).argmax()))


def test_majority_baseline_right_answer():
    assert check_majority_baseline(baseline_right)
    assert check_majority_baseline(lambda a, b: np.float32(baseline_right(a, b)).item())


@pytest.mark.parametrize("fn, expected", [
    (lambda a, b: baseline_right(b, b), "majority class of y_test (0)"),
    (lambda a, b: baseline_right(a, a), "accuracy on the training labels"),
    (lambda a, b: int(np.bincount(a).argmax()), "majority class itself"),
    (lambda a, b: 1 / len(np.union1d(a, b)), "guessing at random"),
    (lambda a, b: 0.5, "the answer is 0.1111, yours is 0.5000"),
    (lambda a, b: float(np.mean(b == a[-1])), "always predicting class 3; the baseline "
                                               "predicts the most frequent training label (1)"),
    (lambda a, b: [0.1, 0.2], "Return one number"),
])
def test_majority_baseline_mistakes(fn, expected):
    fb = check_majority_baseline(fn)
    assert not fb and expected in text(fb), text(fb)


# ---- the parts by hand (9.1, 9.2, 9.3): value answers -----------------------------------

def test_the_value_answers_of_the_chapter():
    assert [a.exercise for a in VALUE_ANSWERS] == ["9.1", "9.2", "9.3", "9.4"]
    assert all(ALL_VALUE_ANSWERS[a.exercise] is a for a in VALUE_ANSWERS)
    assert [a.check_name for a in VALUE_ANSWERS] == [
        "check_confusion_by_hand", "check_precision_recall_by_hand",
        "check_most_confused_by_hand", "check_majority_baseline_by_hand"]


BY_HAND = [check_confusion_by_hand, check_precision_recall_by_hand,
           check_most_confused_by_hand, check_majority_baseline_by_hand]


@pytest.mark.parametrize("check", BY_HAND)
@pytest.mark.parametrize("placeholder", [..., None])
def test_by_hand_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


def test_by_hand_exercises_are_cases_of_the_code_checks():
    y_true, y_pred, k = _ch09_confusion_cases()[0]
    ex = CONFUSION_EXERCISE
    assert (tuple(y_true), tuple(y_pred), k) == (ex["y_true"], ex["y_pred"], ex["num_classes"])
    assert np.array_equal(_ch09_pr_cases()[0], PR_EXERCISE["cm"])
    assert np.array_equal(_ch09_confused_cases()[1], CONFUSED_EXERCISE)


# 9.1 by hand

CM = [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_confusion_by_hand_right_answer_is_nnlibs_matrix():
    ex = CONFUSION_EXERCISE
    right = confusion_matrix(np.array(ex["y_true"]), np.array(ex["y_pred"]), ex["num_classes"])
    assert right.tolist() == CM
    assert check_confusion_by_hand(right)
    fb = check_confusion_by_hand(CM)
    assert fb and "a 0 predicted as 1, a 2 predicted as 0" in text(fb)
    assert check_confusion_by_hand(np.array(CM).ravel().tolist())     # the form's order
    assert CONFUSION_ANSWER.rows == 3


@pytest.mark.parametrize("answer, expected", [
    (np.array(CM).T, "Rows and columns are swapped"),
    ([[1, 1, 0], [0, 1, 0], [1, 0, 1]], "occurs twice"),
    ([[1, 0, 0], [0, 1, 0], [0, 0, 2]], "Only the correct predictions"),
    ([[1, 1, 0], [0, 1, 0], [0, 1, 2]], "Not right yet: true 2, pred 0, true 2, pred 1."),
    ([[1, 1, 0], [0, 1, 0], [0, 1, 2]], "add up to 6"),
    ([[1, 1, 0], [0, 1, 0], [1, 0, 2.5]], "Not right yet: true 2, pred 2."),   # counts: exact
    ([[1, 1, 0], [0, 1, 0]], "Give 9 entries (true 0, pred 0"),
    ([[1, 1, 0], [0, 1, 0], [1, 0, "2?"]], "true 2, pred 2: give a finite number"),
    ([[1, 1, 0], [0, ..., 0], [1, 0, 2]], "Replace `...`"),
])
def test_confusion_by_hand_mistakes(answer, expected):
    fb = check_confusion_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)


# 9.2 by hand

def test_precision_recall_by_hand_right_answer_is_the_functions():
    precision, recall = pr_right(np.array(PR_EXERCISE["cm"]))
    c = PR_EXERCISE["class"]
    assert PR_ANSWER.expected == (precision[c], recall[c]) == (0.625, 5 / 6)
    fb = check_precision_recall_by_hand((0.625, 0.8333))            # 4 significant digits
    assert fb and "3 examples of other classes were called 0" in text(fb)


@pytest.mark.parametrize("answer, expected", [
    ((0.8333, 0.625), "Precision and recall are swapped"),
    ((0.6875, 0.6875), "overall accuracy 11/16"),
    ((0.8333, 0.5), "That is the recall (the row)"),
    ((0.5, 0.625), "That is the precision (the column)"),
    ((0.6, 0.8333), "Not right yet: precision."),
    ((0.6, 0.8333), "sum of column 0"),
    ((0.625,), "Give 2 entries (precision, recall)"),
    ((0.625, float("nan")), "recall: give a finite number"),
])
def test_precision_recall_by_hand_mistakes(answer, expected):
    fb = check_precision_recall_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)


# 9.3 by hand

def test_most_confused_by_hand_right_answer_is_the_functions():
    a, b = sorted(int(v) for v in confused_right(np.array(CONFUSED_EXERCISE)))
    cm = np.array(CONFUSED_EXERCISE)
    assert CONFUSED_ANSWER.expected == (a, b, cm[a, b] + cm[b, a]) == (0, 3, 4)
    fb = check_most_confused_by_hand((0, 3, 4))
    assert fb and "The largest single entry, C[2, 1] = 3, is not in this pair" in text(fb)
    assert check_most_confused_by_hand(np.array([0, 3, 4]))


@pytest.mark.parametrize("answer, expected", [
    ((1, 2, 3), "largest single entry"),
    ((2, 1, 3), "largest single entry"),
    ((3, 0, 4), "smaller class first"),
    ((0, 3, 2), "count both directions"),
    ((2, 2, 25), "on the diagonal"),
    ((0, 1, 0), "Not right yet: b, mistakes."),
    ((0, 3, 4.5), "Not right yet: mistakes."),                      # counts: exact
    ((0, 3), "Give 3 entries (a, b, mistakes)"),
    ((0, 3, True), "mistakes: give a finite number"),
])
def test_most_confused_by_hand_mistakes(answer, expected):
    fb = check_most_confused_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)


# ---- 9.4, by hand ----------------------------------------------------------------------

def test_majority_baseline_by_hand_right_answer():
    y_train, y_test = (np.array(BASELINE_EXERCISE[k]) for k in ("y_train", "y_test"))
    majority = int(np.bincount(y_train).argmax())
    assert majority == 2 and np.sum(y_train == 2) == 4
    accuracy = float(np.mean(y_test == majority))
    assert accuracy == 0.3
    assert int(np.bincount(y_test).argmax()) == 0               # the test majority differs
    fb = check_majority_baseline_by_hand((majority, accuracy))
    assert fb and "right 3 times out of 10" in text(fb)
    assert BASELINE_ANSWER is ALL_VALUE_ANSWERS["9.4"]


@pytest.mark.parametrize("answer, expected", [
    ((0, 0.4), "majority class of y_test"),
    ((0, 0.3), "majority class of y_test"),
    ((2, 0.4), "accuracy of y_test's own majority class (0)"),
    ((2, 4 / 7), "accuracy on the training labels"),
    ((2, 0.5714), "accuracy on the training labels"),
    ((2, 0.25), "guessing at random"),
    ((2, 30), "not in percent"),
    ((2, 3), "divide by the 10 test labels"),
    ((2, 2), "the majority class itself"),
    ((3, 0.3), "Not right yet: majority class"),
    ((2, 0.35), "Not right yet: accuracy"),
    ((2,), "Give 2 entries"),
    ((2, "0.3?"), "accuracy: give a finite number"),
    ((2, ...), "Replace `...`"),
])
def test_majority_baseline_by_hand_mistakes(answer, expected):
    fb = check_majority_baseline_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)
