"""The exercise checks of chapter 9: right answers pass, typical mistakes get their message."""

import numpy as np
import pytest

from nnlib.exercises import (
    check_confusion_matrix,
    check_majority_baseline,
    check_most_confused,
    check_precision_recall,
)

CHECKS = [check_confusion_matrix, check_precision_recall, check_most_confused,
          check_majority_baseline]


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
    (lambda a, b: 0.5, "the answer is 0.2000, yours is 0.5000"),
    (lambda a, b: [0.1, 0.2], "Return one number"),
])
def test_majority_baseline_mistakes(fn, expected):
    fb = check_majority_baseline(fn)
    assert not fb and expected in text(fb), text(fb)
