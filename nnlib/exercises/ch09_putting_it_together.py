"""Exercises of chapter 9, putting it together: the confusion matrix,
precision and recall, the most confused pair of classes and the majority baseline (in code and by
hand).

Confusion matrices have the true class in rows, the predicted one in columns.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _float,
    _floats,
    _guarded,
    _items,
    _library_dirs_loaded,
    _not_a_function,
    _show,
    _watched_call,
)

__all__ = [
    "CONFUSED_EXERCISE", "CONFUSION_EXERCISE", "PR_EXERCISE", "check_confusion_by_hand",
    "check_confusion_matrix", "check_majority_baseline", "check_most_confused",
    "check_most_confused_by_hand", "check_precision_recall",
    "check_precision_recall_by_hand", "CONFUSION_ANSWER", "PR_ANSWER", "CONFUSED_ANSWER",
    "BASELINE_EXERCISE", "BASELINE_ANSWER", "check_majority_baseline_by_hand"
]


def _ch09_array(out, shape: tuple[int, ...], what: str):
    """``(out as a float array, None)`` or ``(None, message)`` if it is not ``shape``."""

    if out is ...:
        return None, _TODO
    arr, why = _floats(out, finite=False)            # nan is explained by the checks
    if why:
        return None, f"Return {what} as an array of numbers, got {why}."
    if arr.shape != shape:
        return None, f"Return {what} of shape {shape}, got shape {arr.shape}."
    return arr, None


def _ch09_library_use(fn, *args, forbidden=(), what: str, yourself: str) -> Feedback | None:
    """"Not yet" if ``fn(*args)`` calls library code that does the exercise (``forbidden``,
    and scikit-learn's metrics and dummy classifiers, if loaded), else None."""
    seen = _watched_call(fn, *args, forbidden=(*forbidden, *_ch09_sklearn()))
    if seen.called:
        return Feedback(False, [f"Your function calls {seen.called[0]}: it computes {what} for "
                                f"you, and then this check cannot see your own. {yourself}"])
    return None


def _ch09_sklearn() -> tuple:
    """scikit-learn's metrics and dummy classifiers, where loaded (see
    :func:`~nnlib.exercises._feedback._library_dirs_loaded`)."""
    return _library_dirs_loaded("sklearn.metrics", "sklearn.dummy")


def _ch09_confusion_cases():
    """``(y_true, y_pred, K)`` cases: by hand, with a class absent from both, random."""
    import numpy as np

    rng = np.random.default_rng(9)
    y_true = rng.integers(0, 10, 200)
    y_pred = np.where(rng.random(200) < 0.8, y_true, rng.integers(0, 10, 200))
    return [(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3),
            (np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), 4),
            (y_true, y_pred, 10)]


CONFUSION_EXERCISE = {"y_true": (0, 0, 1, 2, 2, 2), "y_pred": (0, 1, 1, 2, 0, 2),
                      "num_classes": 3}
"""Exercise 9.1, by hand — six true and predicted labels of three classes."""


def _confusion_by_hand() -> tuple[list[list[int]], list[list[int]]]:
    """The matrix of :data:`CONFUSION_EXERCISE` (true class in rows), and the matrix a reader
    gets who counts each (true, predicted) pair once, as ``C[t, p] += 1`` does."""
    ex, k = CONFUSION_EXERCISE, CONFUSION_EXERCISE["num_classes"]
    C = [[0] * k for _ in range(k)]
    once = [[0] * k for _ in range(k)]
    for t, p in zip(ex["y_true"], ex["y_pred"], strict=True):
        C[t][p] += 1
        once[t][p] = 1
    return C, once


def _confusion_answer() -> ValueAnswer:
    """The truth of the by-hand part of Exercise 9.1, from :data:`CONFUSION_EXERCISE`."""
    C, once = _confusion_by_hand()
    k = len(C)
    n = sum(map(sum, C))
    errors = ", ".join(f"a {i} predicted as {j}" for i in range(k) for j in range(k)
                       if i != j and C[i][j])

    def flat(M) -> tuple[float, ...]:
        return tuple(float(v) for row in M for v in row)

    diag = [[C[i][j] if i == j else 0 for j in range(k)] for i in range(k)]
    transposed = [[C[j][i] for j in range(k)] for i in range(k)]
    return ValueAnswer(
        exercise="9.1",
        labels=tuple(f"true {i}, pred {j}" for i in range(k) for j in range(k)),
        expected=flat(C), rows=k, check_name="check_confusion_by_hand",
        # counts are whole numbers: no rounding to accept
        digits=None,
        success=(f"C = {C}: the diagonal holds the {sum(C[i][i] for i in range(k))} correct "
                 f"predictions, the off-diagonal entries the {n - sum(C[i][i] for i in range(k))}"
                 f" mistakes ({errors}), and row i adds up to the "
                 "number of examples of class i."),
        mistakes=(
            Mistake(flat(transposed),
                    "Rows and columns are swapped: row i is the TRUE class i and column j the "
                    "PREDICTED class j, so the 2 predicted as 0 goes to row 2, column 0."),
            Mistake(flat(once),
                    "The pair (true 2, predicted 2) occurs twice: every example adds 1, so "
                    "repeated pairs add up (in NumPy, `C[y_true, y_pred] += 1` makes exactly "
                    "this mistake)."),
            Mistake(flat(diag),
                    "Only the correct predictions are counted: every example adds 1 to "
                    "C[true, predicted], the mistakes off the diagonal too."),
        ),
        hint=(f"Go through the {n} pairs (y_true, y_pred) and add 1 to the entry in row "
              f"y_true, column y_pred; the {k * k} entries add up to {n}."))


CONFUSION_ANSWER = _confusion_answer()


@_guarded
def check_confusion_by_hand(answer) -> Feedback:
    """Exercise 9.1, by hand: ``answer`` is the 3 × 3 confusion matrix (nested lists or an
    array, true class in rows) of :data:`CONFUSION_EXERCISE`; judged by
    ``CONFUSION_ANSWER`` as the HTML form is."""
    return CONFUSION_ANSWER.check(answer)


@_guarded
def check_confusion_matrix(fn) -> Feedback:
    """Exercise 9.1: ``fn(y_true, y_pred, num_classes)`` must return the ``(K, K)`` matrix
    whose entry ``[i, j]`` counts the examples of true class ``i`` predicted as ``j``."""
    import numpy as np

    from ..training import confusion_matrix

    not_ready = _not_a_function(fn, "check_confusion_matrix")
    if not_ready is not None:
        return not_ready
    for y_true, y_pred, k in _ch09_confusion_cases():
        args = (y_true.copy(), y_pred.copy(), k)
        out, error = _call(fn, *args)
        if error:
            return Feedback(False, [error + "."])
        if not (np.array_equal(args[0], y_true) and np.array_equal(args[1], y_pred)):
            return Feedback(False, ["Your function changed y_true or y_pred in place: count "
                                    "into a new array instead."])
        right = confusion_matrix(y_true, y_pred, k)
        cm, problem = _ch09_array(out, right.shape, "the matrix")
        numbers, _ = _floats(out, finite=False)
        shape = () if numbers is None else numbers.shape
        if len(shape) == 2 and shape[0] == shape[1] != k:
            return Feedback(False, [f"With num_classes = {k} the matrix is {k} x {k} even when "
                                    f"a class never occurs (here labels go up to "
                                    f"{max(y_true.max(), y_pred.max())}), got shape "
                                    f"{shape}: use num_classes, not the labels seen."])
        if problem:
            return Feedback(False, [problem])
        if np.array_equal(cm, right):
            continue
        if np.array_equal(cm, right.T):
            return Feedback(False, ["Rows and columns are swapped: row i is the TRUE class i "
                                    "and column j the PREDICTED class j, so C[y_true, y_pred] "
                                    "+= 1."])
        if np.allclose(cm, right / np.maximum(right.sum(axis=1, keepdims=True), 1)):
            return Feedback(False, ["Your rows sum to 1: return the counts, not fractions."])
        if np.array_equal(cm, np.diag(np.diag(right))):
            return Feedback(False, ["Only the correct predictions are counted: every example "
                                    "adds 1 to C[true, predicted], the mistakes off the "
                                    "diagonal too."])
        if np.array_equal(np.clip(cm, 0, 1), np.clip(right, 0, 1)) and cm.max() <= 1:
            return Feedback(False, ["Each entry is 0 or 1: with fancy indexing `C[t, p] += 1` "
                                    "a repeated pair counts once. Use np.add.at(C, (t, p), 1) "
                                    "or a loop."])
        if cm.sum() != right.sum():
            return Feedback(False, [f"For {len(y_true)} examples the entries must add up to "
                                    f"{len(y_true)}, yours add up to {cm.sum():g}."])
        i, j = np.argwhere(cm != right)[0]
        return Feedback(False, [f"For y_true = {y_true.tolist()[:12]}, y_pred = "
                                f"{y_pred.tolist()[:12]}{'…' if len(y_true) > 12 else ''}: "
                                f"C[{i}, {j}] should be {right[i, j]}, yours is {cm[i, j]:g}."])
    y_true, y_pred, k = _ch09_confusion_cases()[0]
    library = _ch09_library_use(fn, y_true.copy(), y_pred.copy(), k,
                                forbidden=(confusion_matrix,), what="the confusion matrix",
                                yourself="Count the pairs yourself: np.add.at(C, (y_true, "
                                         "y_pred), 1), or a loop.")
    if library is not None:
        return library
    return Feedback(True, ["Your matrix equals nnlib.training.confusion_matrix on all three "
                           "cases, including a class that never occurs."])


def _ch09_pr_cases():
    """Confusion matrices: one with a class never predicted, one with a class never seen."""
    import numpy as np

    return [np.array([[5, 1, 0], [2, 6, 0], [1, 1, 0]]),
            np.array([[8, 2, 0, 0], [1, 9, 0, 0], [0, 0, 0, 0], [0, 3, 1, 4]])]


PR_EXERCISE = {"cm": ((5, 1, 0), (2, 6, 0), (1, 1, 0)), "class": 0}
"""Exercise 9.2, by hand — a confusion matrix (true class in rows) and the class asked
about."""


def _pr_answer() -> ValueAnswer:
    """The truth of the by-hand part of Exercise 9.2, from :data:`PR_EXERCISE`."""
    cm, c = PR_EXERCISE["cm"], PR_EXERCISE["class"]
    row, col = sum(cm[c]), sum(r[c] for r in cm)
    total, trace = sum(map(sum, cm)), sum(cm[i][i] for i in range(len(cm)))
    precision, recall = cm[c][c] / col, cm[c][c] / row
    return ValueAnswer(
        exercise="9.2", labels=("precision", "recall"), expected=(precision, recall),
        check_name="check_precision_recall_by_hand",
        success=(f"Recall = {cm[c][c]}/{row} = {recall:.4f}: of the {row} examples of class "
                 f"{c} (row {c}), {cm[c][c]} were found. Precision = {cm[c][c]}/{col} = "
                 f"{precision:.4f}: of the {col} predictions {c} (column {c}), {cm[c][c]} were "
                 f"right: {col - cm[c][c]} examples of other classes were called {c} too."),
        mistakes=(
            Mistake((recall, precision),
                    "Precision and recall are swapped: recall divides by the row sum (all "
                    "examples of the class), precision by the column sum (all predictions of "
                    "the class)."),
            Mistake((trace / total, trace / total),
                    f"That is the overall accuracy {trace}/{total} = {trace / total:.4f}; "
                    f"divide class {c}'s diagonal entry by its own column sum (precision) and "
                    "row sum (recall)."),
            Mistake((recall, None),
                    "That is the recall (the row): precision reads the column, all the "
                    f"predictions {c}."),
            Mistake((None, precision),
                    "That is the precision (the column): recall reads the row, all the "
                    f"examples of class {c}."),
        ),
        hint=(f"Precision: C[{c}, {c}] over the sum of column {c}; recall: C[{c}, {c}] over "
              f"the sum of row {c}."))


PR_ANSWER = _pr_answer()


@_guarded
def check_precision_recall_by_hand(answer) -> Feedback:
    """Exercise 9.2, by hand: ``answer = (precision, recall)`` of the class of
    :data:`PR_EXERCISE`; judged by ``PR_ANSWER`` as the HTML form is."""
    return PR_ANSWER.check(answer)


@_guarded
def check_precision_recall(fn) -> Feedback:
    """Exercise 9.2: ``fn(cm)`` must return ``(precision, recall)``, arrays of shape
    ``(K,)`` with ``recall[i] = C[i, i] / Σ_j C[i, j]`` (of the examples of class ``i``,
    the fraction found) and ``precision[j] = C[j, j] / Σ_i C[i, j]`` (of the predictions
    ``j``, the fraction right); 0 where the denominator is 0."""
    import numpy as np

    not_ready = _not_a_function(fn, "check_precision_recall")
    if not_ready is not None:
        return not_ready
    for cm in _ch09_pr_cases():
        with np.errstate(divide="ignore", invalid="ignore"):   # 0/0 is reported below
            out, error = _call(fn, cm.copy())
        if error:
            return Feedback(False, [error + "."])
        if out is ...:
            return Feedback(False, [_TODO])
        pair = _items(out, 2)
        if pair is None:
            return Feedback(False, ["Return two arrays, (precision, recall), got "
                                    f"{_show(out)}."])
        k = cm.shape[0]
        precision, problem = _ch09_array(pair[0], (k,), "precision")
        recall, problem2 = _ch09_array(pair[1], (k,), "recall")
        if problem or problem2:
            return Feedback(False, [problem or problem2])
        diag = np.diag(cm).astype(float)
        rows, cols = cm.sum(axis=1), cm.sum(axis=0)
        right_r = np.divide(diag, rows, out=np.zeros(k), where=rows > 0)
        right_p = np.divide(diag, cols, out=np.zeros(k), where=cols > 0)
        if np.isnan(precision).any() or np.isnan(recall).any():
            empty = [f"class {j} is never predicted (column {j} sums to 0)"
                     for j in range(k) if cols[j] == 0]
            empty += [f"class {i} never occurs (row {i} sums to 0)"
                      for i in range(k) if rows[i] == 0]
            return Feedback(False, [f"Your result holds nan: {'; '.join(empty)}, so 0/0. "
                                    "Define it as 0 (e.g. np.divide(..., out=np.zeros(K), "
                                    "where=denominator > 0))."])
        if np.allclose(precision, right_p) and np.allclose(recall, right_r):
            continue
        if np.allclose(precision, right_r) and np.allclose(recall, right_p):
            return Feedback(False, ["Precision and recall are swapped: recall divides by the "
                                    "row sums (all examples of the class), precision by the "
                                    "column sums (all predictions of the class)."])
        acc = diag.sum() / cm.sum()
        if np.allclose(recall, acc) or np.allclose(precision, acc):
            return Feedback(False, [f"That is the overall accuracy {acc:.4f} for every class: "
                                    "divide each class's diagonal entry by its own row or "
                                    "column sum."])
        which, got, want = (("precision", precision, right_p)
                            if not np.allclose(precision, right_p) else
                            ("recall", recall, right_r))
        j = int(np.argmax(~np.isclose(got, want)))
        return Feedback(False, [f"For cm = {cm.tolist()}: {which}[{j}] should be "
                                f"{want[j]:.4f}, yours is {got[j]:.4f}."])
    cm = _ch09_pr_cases()[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        library = _ch09_library_use(fn, cm.copy(), what="precision and recall",
                                    yourself="Divide the diagonal by the column sums "
                                             "(precision) and the row sums (recall) yourself.")
    if library is not None:
        return library
    return Feedback(True, ["Right, including the class that is never predicted and the one "
                           "that never occurs (0 by convention, where 0/0 has no value)."])


def _ch09_confused_cases():
    """Matrices where the largest single error and the most confused pair differ."""
    import numpy as np

    a = np.diag([30, 31, 29, 33, 35])
    a[2, 4], a[1, 3], a[3, 1], a[0, 2] = 4, 3, 3, 1        # pair {1, 3}: 6, largest entry: 4
    b = np.diag([20, 18, 25, 22])
    b[3, 0], b[0, 3], b[2, 1] = 2, 2, 3                    # pair {0, 3}: 4, largest entry: 3
    c = np.diag([10, 12, 11])
    c[2, 1], c[1, 2] = 4, 1                                # pair {1, 2}: 5, also largest entry
    return [a, b, c]


CONFUSED_EXERCISE = ((20, 0, 0, 2), (0, 18, 0, 0), (0, 3, 25, 0), (2, 0, 0, 22))
"""Exercise 9.3, by hand — a confusion matrix whose largest single mistake is not in the
most confused pair."""


def _confused_answer() -> ValueAnswer:
    """The truth of the by-hand part of Exercise 9.3, from :data:`CONFUSED_EXERCISE`."""
    cm = CONFUSED_EXERCISE
    k = len(cm)
    pairs = {(a, b): cm[a][b] + cm[b][a] for a in range(k) for b in range(a + 1, k)}
    a, b = max(pairs, key=pairs.get)
    i, j = max(((i, j) for i in range(k) for j in range(k) if i != j),
               key=lambda ij: cm[ij[0]][ij[1]])
    top = max(range(k), key=lambda d: cm[d][d])
    n = float(pairs[a, b])
    return ValueAnswer(
        exercise="9.3", labels=("a", "b", "mistakes"), expected=(float(a), float(b), n),
        check_name="check_most_confused_by_hand",
        # class labels and counts are whole numbers: no rounding to accept
        digits=None,
        success=(f"Classes {a} and {b}: C[{a}, {b}] + C[{b}, {a}] = {cm[a][b]} + {cm[b][a]} = "
                 f"{pairs[a, b]} mistakes. The largest single entry, C[{i}, {j}] = "
                 f"{cm[i][j]}, is not in this pair: its pair has only {cm[i][j]} + {cm[j][i]} "
                 f"= {cm[i][j] + cm[j][i]}."),
        mistakes=(
            Mistake((float(min(i, j)), float(max(i, j)), None),
                    f"C[{i}, {j}] = {cm[i][j]} is the largest single entry, but the pair "
                    f"{{{min(i, j)}, {max(i, j)}}} has {cm[i][j] + cm[j][i]} mistakes in both "
                    "directions together; another pair has more. Add the matrix to its "
                    "transpose first."),
            Mistake((float(max(i, j)), float(min(i, j)), None),
                    f"C[{i}, {j}] = {cm[i][j]} is the largest single entry, but another pair "
                    "has more mistakes in both directions together. Add the matrix to its "
                    "transpose first."),
            Mistake((float(b), float(a), None),
                    f"That is the pair, written the other way round: give the smaller class "
                    f"first, ({a}, {b})."),
            Mistake((float(a), float(b), float(cm[a][b])),
                    f"Right pair; now count both directions: C[{a}, {b}] + C[{b}, {a}]."),
            Mistake((float(top), float(top), None),
                    f"({top}, {top}) is on the diagonal: those are the correct predictions. "
                    "Leave the diagonal out."),
        ),
        hint=("For each pair a < b add C[a, b] + C[b, a] (both directions), leave the "
              "diagonal out, and take the largest sum."))


CONFUSED_ANSWER = _confused_answer()


@_guarded
def check_most_confused_by_hand(answer) -> Feedback:
    """Exercise 9.3, by hand: ``answer = (a, b, mistakes)`` for :data:`CONFUSED_EXERCISE`:
    the most confused pair, smaller class first, and ``C[a, b] + C[b, a]``; judged by
    ``CONFUSED_ANSWER`` as the HTML form is."""
    return CONFUSED_ANSWER.check(answer)


@_guarded
def check_most_confused(fn) -> Feedback:
    """Exercise 9.3: ``fn(cm)`` must return the two classes ``(a, b)`` most often mistaken
    for each other, counting both directions: the largest ``C[a, b] + C[b, a]``, ``a ≠ b``
    (in either order)."""
    import numpy as np

    not_ready = _not_a_function(fn, "check_most_confused")
    if not_ready is not None:
        return not_ready
    for cm in _ch09_confused_cases():
        out, error = _call(fn, cm.copy())
        if error:
            return Feedback(False, [error + "."])
        if out is ...:
            return Feedback(False, [_TODO])
        labels, why = _floats(out)
        k = len(cm)
        if why or labels.size != 2 or np.any(labels != np.round(labels)):
            return Feedback(False, [f"Return two class labels, e.g. (3, 8), got "
                                    f"{why or _show(out)}."])
        if np.any((labels < 0) | (labels >= k)):
            return Feedback(False, [f"Class labels run from 0 to K − 1 = {k - 1} for this "
                                    f"{k}×{k} matrix, got {_show(out)}."])
        pair = [int(v) for v in labels.reshape(-1)]
        both = cm + cm.T
        np.fill_diagonal(both, -1)
        right = set(np.unravel_index(int(np.argmax(both)), both.shape))
        if set(pair) == right:
            continue
        a, b = pair
        if a == b:
            return Feedback(False, [f"({a}, {a}) is on the diagonal: those are the correct "
                                    "predictions. Leave the diagonal out (np.fill_diagonal)."])
        off = cm - np.diag(np.diag(cm))
        if set(pair) == set(np.unravel_index(int(np.argmax(off)), off.shape)):
            r = sorted(right)
            return Feedback(False, [f"({a}, {b}) is the largest single entry, {cm[a, b]} "
                                    f"mistakes in one direction; but {r[0]} and {r[1]} are "
                                    f"confused {cm[r[0], r[1]]} + {cm[r[1], r[0]]} = "
                                    f"{both[r[0], r[1]]} times in both directions together. "
                                    "Add the matrix to its transpose first."])
        return Feedback(False, [f"Classes {a} and {b} are confused {both[a, b]} times "
                                f"(C[{a},{b}] + C[{b},{a}]); another pair is confused more "
                                "often."])
    return Feedback(True, ["Right: the pair with the most mistakes in both directions "
                           "together, which need not contain the largest single entry."])


def _ch09_baseline_cases():
    """``(y_train, y_test)`` whose majority classes differ; no ties in the training labels.
    In the first, the last training label (3) is neither majority, and every mistake
    (another class, y_test's majority, the training accuracy, 1/K) gives its own number."""
    import numpy as np

    return [(np.array([1, 1, 0, 1, 2, 1, 3]), np.array([3, 0, 0, 2, 0, 1, 3, 0, 3])),
            (np.array([2, 2, 2, 0, 1, 2, 0]), np.array([0, 0, 0, 2, 1])),
            (np.array([1, 3, 3, 3, 0, 1, 3, 2, 3, 3]),
             np.array([0, 1, 3, 1, 1, 2, 1, 3, 1]))]


@_guarded
def check_majority_baseline(fn) -> Feedback:
    """Exercise 9.4: ``fn(y_train, y_test)`` must return the test accuracy of always
    predicting the most frequent class of the *training* labels."""
    import numpy as np

    not_ready = _not_a_function(fn, "check_majority_baseline")
    if not_ready is not None:
        return not_ready
    for y_train, y_test in _ch09_baseline_cases():
        out, error = _call(fn, y_train.copy(), y_test.copy())
        if error:
            return Feedback(False, [error + "."])
        if out is ...:
            return Feedback(False, [_TODO])
        value, why = _float(out)
        if why:
            return Feedback(False, [f"Return one number, the accuracy, got {why}."])
        majority = int(np.bincount(y_train).argmax())
        right = float(np.mean(y_test == majority))
        if abs(value - right) < 1e-6:      # float32 round-off passes; the right answers
            continue                       # (1/9, 1/5, 2/9) differ from every mistake by > 0.03
        test_majority = int(np.bincount(y_test).argmax())
        k = len(np.union1d(y_train, y_test))
        if value == majority:
            return Feedback(False, [f"{value:g} is the majority class itself; return how "
                                    "often predicting it is right on y_test."])
        if abs(value - np.mean(y_test == test_majority)) < 1e-12:
            return Feedback(False, [f"You took the majority class of y_test ({test_majority}): "
                                    "the baseline may only learn from the training labels "
                                    f"(majority {majority}), or it peeks at the test set."])
        if abs(value - np.mean(y_train == majority)) < 1e-12:
            return Feedback(False, ["That is its accuracy on the training labels; measure it "
                                    "on y_test."])
        if abs(value - 1 / k) < 1e-12:
            return Feedback(False, [f"1/K = {value:g} is the accuracy of guessing at random; "
                                    "the baseline always predicts the training majority."])
        other = [c for c in np.union1d(y_train, y_test)
                 if abs(value - np.mean(y_test == c)) < 1e-12]
        if other:
            return Feedback(False, [f"{value:g} is the accuracy of always predicting class "
                                    f"{int(other[0])}; the baseline predicts the most frequent "
                                    f"training label ({majority})."])
        return Feedback(False, [f"For y_train = {y_train.tolist()} and y_test = "
                                f"{y_test.tolist()} the answer is {right:.4f}, yours is "
                                f"{value:.4f}."])
    y_train, y_test = _ch09_baseline_cases()[0]
    library = _ch09_library_use(fn, y_train.copy(), y_test.copy(), what="the baseline",
                                yourself="Find the most frequent training label "
                                         "(np.bincount(y_train).argmax()) and measure how "
                                         "often y_test equals it.")
    if library is not None:
        return library
    return Feedback(True, ["Right: the bar any classifier must clear. Learned from the "
                           "training labels only, measured on the test labels."])


# -- Exercise 9.4, by hand: the baseline on two small label sets --------------------------

BASELINE_EXERCISE = {"y_train": (2, 0, 2, 1, 2, 3, 2), "y_test": (0, 2, 1, 0, 0, 3, 0, 2, 1, 2)}
"""Exercise 9.4 — training and test labels whose majority classes differ."""


def _baseline_answer() -> ValueAnswer:
    """The truth of Exercise 9.4 by hand: the training majority of :data:`BASELINE_EXERCISE`
    and its accuracy on the test labels, and what the mistakes named by
    :func:`check_majority_baseline` give."""
    import numpy as np

    y_train, y_test = (np.array(BASELINE_EXERCISE[k]) for k in ("y_train", "y_test"))
    majority = int(np.bincount(y_train).argmax())
    right = float(np.mean(y_test == majority))
    test_majority = int(np.bincount(y_test).argmax())
    peek = float(np.mean(y_test == test_majority))
    k = len(np.union1d(y_train, y_test))
    hits = int(np.sum(y_test == majority))
    peeked = (f"You took the majority class of y_test ({test_majority}): the baseline may "
              f"only learn from the training labels (majority {majority}), or it peeks at the "
              "test set.")
    return ValueAnswer(
        exercise="9.4", labels=("majority class", "accuracy"),
        expected=(float(majority), right), check_name="check_majority_baseline_by_hand",
        digits=None,                                    # a class and a count over n: exact
        success=(f"Right: class {majority} is the most frequent training label "
                 f"({int(np.sum(y_train == majority))} of {len(y_train)}), and predicting it "
                 f"for every test example is right {hits} times out of {len(y_test)}: "
                 f"{right:g}, below the {peek:g} that peeking at the test labels would give."),
        mistakes=(
            Mistake((float(test_majority), None), peeked),
            Mistake((None, peek), f"{peek:g} is the accuracy of y_test's own majority "
                                  f"class ({test_majority}), which peeks at the test set: "
                                  "the baseline predicts the training majority, and its "
                                  "accuracy is how often that is right on y_test."),
            Mistake((None, float(np.mean(y_train == majority))),
                    "That is its accuracy on the training labels; measure it on y_test."),
            Mistake((None, 1 / k), f"1/K = {1 / k:g} is the accuracy of guessing at random; "
                                   "the baseline always predicts the training majority."),
            Mistake((None, 100 * right), "Give the accuracy as a fraction between 0 and 1, "
                                         "not in percent."),
            Mistake((None, float(hits)), f"{hits} is how many test labels are {majority}: "
                                         f"divide by the {len(y_test)} test labels."),
            Mistake((None, float(majority)), f"{majority} is the majority class itself; the "
                                             "accuracy is how often predicting it is right "
                                             "on y_test."),
        ),
        hint=("Count each class in y_train and take the most frequent; the accuracy is the "
              "fraction of y_test equal to it."))


BASELINE_ANSWER = _baseline_answer()


@_guarded
def check_majority_baseline_by_hand(answer) -> Feedback:
    """Exercise 9.4, by hand: ``answer = (majority class, accuracy)`` for
    :data:`BASELINE_EXERCISE`, judged by ``BASELINE_ANSWER`` as the HTML form is."""
    return BASELINE_ANSWER.check(answer)
