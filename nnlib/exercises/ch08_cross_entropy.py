"""Exercises of chapter 8, cross-entropy: a stable softmax (in code and by hand), a
cross-entropy by hand, its gradient, and multi-class versus multi-label targets.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _changed,
    _floats,
    _guarded,
    _library_dirs_loaded,
    _not_a_function,
    _watched_call,
)

__all__ = [
    "CE_EXERCISE", "CE_GRAD_EXERCISE", "TARGETS_EXERCISE", "check_ce_grad_by_hand",
    "check_cross_entropy_value", "check_multi_label", "check_softmax_ce_grad",
    "check_stable_softmax", "SOFTMAX_ANSWER", "CE_ANSWER", "CE_GRAD_ANSWER", "TARGETS_ANSWER",
    "SOFTMAX_EXERCISE", "check_softmax_by_hand"
]


def _ch08_run(fn, *args):
    """Call a reader's function with numpy's warnings silenced (the check explains instead).

    Returns ``(result as float array or None, error message or None)``.
    """
    import numpy as np

    with np.errstate(all="ignore"):
        out, error = _call(fn, *(a.copy() if isinstance(a, np.ndarray) else a for a in args))
    if error:
        return None, error
    if out is ...:
        return None, _TODO
    out, why = _floats(out, finite=False)            # nan and inf are explained by the checks
    return (None, f"return an array of numbers, got {why}") if why else (out, None)


def _ch08_why_not_finite(s, row: int) -> str:
    """Why a softmax of the scores ``s`` may give nan or inf in ``row``: overflow or underflow
    of e^s when that is what happens to these scores, else the plain fact."""
    import numpy as np

    with np.errstate(all="ignore"):
        e = np.exp(s[row])
        shifted = np.exp(s[row] - s.max())
    if s.shape[0] > 1 and np.all(np.isfinite(e)) and shifted.sum() == 0:
        return ("subtract each row's own maximum (`np.max(s, axis=1, keepdims=True)`), not "
                f"the maximum of the whole array: shifted by {s.max():g}, this row underflows "
                "to 0/0")
    if np.any(np.isinf(e)):
        return (f"exp({s[row][np.isinf(e)][0]:g}) overflows to inf, and inf/inf is nan: "
                "subtract the row's maximum first, which changes nothing mathematically")
    if e.sum() == 0:
        return (f"exp({s[row].max():g}) underflows to 0 (as does every e^s of this row), and "
                "0/0 is nan: subtract the row's maximum, so that the largest term is e⁰ = 1")
    return ("every e^s of this row is an ordinary float (no overflow, no underflow), so the "
            "nan or inf comes from your formula itself: compare it with e^sⱼ / Σₖ e^sₖ")


def _ch08_library() -> tuple:
    """The library code that computes a softmax (or a cross-entropy and its gradient):
    nnlib's softmax, log-softmax and losses, nnlib's numerical and automatic
    differentiation, and scipy.special (softmax, log_softmax, logsumexp), if loaded."""
    from .. import activations, autograd, gradcheck, losses

    return (activations.softmax, activations.log_softmax, activations.Softmax, losses,
            autograd, gradcheck, *_library_dirs_loaded("scipy.special"))


def _ch08_overflows(fn, s) -> tuple[list[str], list[str]]:
    """``(library functions called, numpy functions that overflowed)`` while ``fn(s)`` ran:
    an overflow is seen even when its warning was silenced (np.errstate, warnings filters)
    or the overflowed rows were computed again another way (see Exercise 3.1's checks)."""
    import warnings

    import numpy as np

    from ._overflow import (
        _EXP_LIKE,
        _finite_to_inf,
        _numpy_spied,
        _overflow_warns,
        _silent_overflows,
    )

    overflowed: list[str] = []

    def report(name, args, result):
        if _finite_to_inf(args, result) and f"np.{name}" not in overflowed:
            overflowed.append(f"np.{name}")

    with (warnings.catch_warnings(record=True) as caught,
          np.errstate(all="ignore", over="warn"), _numpy_spied(_EXP_LIKE, report),
          _overflow_warns()):
        warnings.simplefilter("always")
        seen = _watched_call(fn, s.copy(), forbidden=_ch08_library())
    if any("overflow" in str(w.message) for w in caught) and not overflowed:
        overflowed.append("an operation (numpy warned 'overflow')")
    silent, _ = _silent_overflows(fn, s)
    return seen.called, overflowed or silent


@_guarded
def check_stable_softmax(softmax_fn) -> Feedback:
    """Exercise 8.1: ``softmax_fn(s)`` returns the softmax of each row of ``s (N, K)``,
    finite for scores of any size."""
    import numpy as np

    from ..activations import softmax

    not_ready = _not_a_function(softmax_fn, "check_stable_softmax")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(8)
    cases = [("small scores", np.array([[2.0, 1.0, 0.1]])),
             ("a random batch", rng.standard_normal((5, 4))),
             ("large scores", np.array([[1000.0, 1001.0, 1002.0]])),
             ("very negative scores", np.array([[-1000.0, -1001.0, -1002.0]])),
             ("rows of very different size", np.array([[0.0, 1.0, 2.0],
                                                        [1000.0, 1001.0, 1002.0]])),
             # shifted by the row's mean, minimum or first entry, e^1000 still overflows
             ("a row from -1000 to 1000", np.array([[-1000.0, 0.0, 1000.0]])),
             ("huge scores", np.array([[1e6, 1e6 + 1, 1e6 + 2]]))]
    for what, s in cases:
        what = f"{what} {s.tolist()}" if s.size <= 6 else f"{what} of shape {s.shape}"
        out, error = _ch08_run(softmax_fn, s)
        if error:
            return Feedback(False, [error if error == _TODO else f"On {what}: {error}."])
        right = softmax(s, axis=1)
        if out.shape != s.shape:
            return Feedback(False, [f"The output must have the shape of the scores, {s.shape}, "
                                    f"got {out.shape}."])
        if not np.all(np.isfinite(out)):
            row = int(np.argmax(~np.all(np.isfinite(out), axis=1)))
            return Feedback(False, [f"Your softmax returns {out[row].tolist()} for the row "
                                    f"{s[row].tolist()}: {_ch08_why_not_finite(s, row)}."])
        if np.allclose(out.sum(axis=0), 1) and not np.allclose(out.sum(axis=1), 1):
            return Feedback(False, ["Your columns sum to 1: normalise each row instead, "
                                    "`e / e.sum(axis=1, keepdims=True)` (one example per row)."])
        if not np.allclose(out, right, rtol=1e-9, atol=1e-12):
            if np.allclose(out.sum(axis=1), 1):
                return Feedback(False, [f"On {what} the rows sum to 1 but the values differ "
                                        "from e^sⱼ / Σₖ e^sₖ by up to "
                                        f"{np.max(np.abs(out - right)):.3g}."])
            return Feedback(False, [f"On {what} each row must sum to 1; yours sum to "
                                    f"{np.round(out.sum(axis=1), 4).tolist()}."])
    s = cases[-3][1]
    given = s.copy()
    with np.errstate(all="ignore"):
        _call(softmax_fn, given)
    if _changed(("s",), (s,), (given,)):
        return Feedback(False, ["Your function changed the scores s in place (e.g. `s -= "
                                "s.max(...)` or `np.exp(s, out=s)`): the caller's scores must "
                                "stay as they are. Compute new arrays instead, s - s.max(...)."])
    called, overflowed = _ch08_overflows(softmax_fn, np.vstack([s, cases[-2][1]]))
    if called:
        return Feedback(False, [f"Your function calls {called[0]}, a library's softmax: then "
                                "this check cannot see your own. Write it yourself: subtract "
                                "each row's maximum, exponentiate, divide by the row's sum."])
    if overflowed:
        return Feedback(False, [f"Your values are right, but inside your function "
                                f"{overflowed[0]} turned finite numbers into inf for scores of "
                                "1000: e^1000 still overflows, its warning was only silenced "
                                "or the row computed again. Subtract each row's maximum first, "
                                "so that every exponent is ≤ 0 and nothing overflows."])
    return Feedback(True, ["Right, and finite for scores of any size: subtracting each row's "
                           "maximum keeps every exponent ≤ 0 and the denominator ≥ 1."])


SOFTMAX_EXERCISE = ((1.0, 2.0, 3.0), (1000.0, 1001.0, 1002.0))
"""Exercise 8.1 — a batch of two score rows whose softmax the reader gives."""


def _softmax_answer() -> ValueAnswer:
    """The truth of Exercise 8.1 by hand: :func:`nnlib.activations.softmax` of the rows of
    :data:`SOFTMAX_EXERCISE`, and what the usual slips give."""
    import numpy as np

    from ..activations import softmax

    s = np.array(SOFTMAX_EXERCISE)
    e = np.exp(s - s.max(axis=1, keepdims=True))        # the stable exponentials

    def entries(values):
        return tuple(float(v) for v in np.asarray(values).ravel())

    right = softmax(s, axis=1)
    return ValueAnswer(
        exercise="8.1",
        labels=tuple(f"row {i + 1}, col {j + 1}" for i in range(s.shape[0])
                     for j in range(s.shape[1])),
        expected=entries(right), rows=s.shape[0], check_name="check_softmax_by_hand",
        success=("Right: both rows give the same probabilities, because the softmax does not "
                 "change when a constant is added to a row. Subtracting the row's maximum "
                 "uses exactly that: e^(s − max) ≤ 1 never overflows, while e^1000 does."),
        mistakes=(
            Mistake(entries(e / e.sum(axis=0, keepdims=True)),
                    "Your columns sum to 1: normalise each row instead (axis=1), one example "
                    "per row."),
            Mistake(entries(e), "These are the exponentials e^(s − max) of each row: divide "
                                "them by their row's sum, so that each row sums to 1."),
            Mistake(entries(s / s.sum(axis=1, keepdims=True)),
                    "You divided the scores by their sum: exponentiate first, "
                    "pⱼ = e^sⱼ / Σₖ e^sₖ."),
            Mistake(entries(softmax(-s, axis=1)),
                    "The order is reversed: that is the softmax of −s (e^(max − s)). The "
                    "largest score gets the largest probability: e^(s − max)."),
        ),
        hint=("Subtract the row's maximum, exponentiate, divide by the row's sum: row 1 is "
              "(e^−2, e^−1, e^0) / (e^−2 + e^−1 + 1)."))


SOFTMAX_ANSWER = _softmax_answer()


@_guarded
def check_softmax_by_hand(answer) -> Feedback:
    """Exercise 8.1, by hand: ``answer`` is the softmax of each row of
    :data:`SOFTMAX_EXERCISE` (2×3), judged by ``SOFTMAX_ANSWER`` as the HTML form is."""
    return SOFTMAX_ANSWER.check(answer)


CE_EXERCISE = {"probs": ((0.7, 0.2, 0.1), (0.1, 0.8, 0.1)), "labels": (1, 1)}
"""Exercise 8.2 — predicted probabilities of two examples and their true classes."""


def _cross_entropy_answer() -> ValueAnswer:
    """The truth of Exercise 8.2, computed from :data:`CE_EXERCISE`."""
    import math

    P, labels = CE_EXERCISE["probs"], CE_EXERCISE["labels"]
    n = len(P)
    right = -sum(math.log(P[i][c]) for i, c in enumerate(labels)) / n
    pred = [max(range(len(row)), key=lambda j, row=row: row[j]) for row in P]
    terms = " + ".join(f"(−ln {P[i][c]:g})" for i, c in enumerate(labels))
    return ValueAnswer(
        exercise="8.2", labels=("E_in",), expected=(right,),
        check_name="check_cross_entropy_value",
        success=(f"E_in = ({terms}) / {n} = {right:.4f}. Only the probability of the true "
                 f"class counts: the right prediction (0.8) costs {-math.log(0.8):.3f}, the "
                 f"wrong one (0.2 for the true class) {-math.log(0.2):.3f}."),
        mistakes=(
            Mistake((-sum(math.log(P[i][c]) for i, c in enumerate(labels)),),
                    "You summed the two losses: E_in is their mean, divide by n = 2."),
            Mistake((-sum(math.log2(P[i][c]) for i, c in enumerate(labels)) / n,),
                    "That is in bits (log₂): the loss uses the natural logarithm ln."),
            Mistake((-right,), "The sign: L = −ln p, which is ≥ 0 because ln p ≤ 0."),
            Mistake((-sum(math.log(P[i][pred[i]]) for i in range(n)) / n,),
                    "You used the probability of the predicted class (the largest one); the "
                    "loss uses the probability of the TRUE class, given by the label."),
            Mistake((-sum(math.log(p) for row in P for p in row) / n,),
                    "You added −ln pⱼ over all classes; a one-hot target keeps only the true "
                    "class: L = −Σⱼ yⱼ ln pⱼ = −ln p_true."),
            Mistake((-sum(math.log(P[i][c - 1]) for i, c in enumerate(labels)) / n,),
                    "The labels count from 0: label 1 is the second entry of each row."),
            Mistake((-math.log(P[0][labels[0]]),),
                    "That is the loss of the first example only; E_in averages over both."),
        ),
        hint=("For each example take −ln of the probability of its true class, then "
              "average."))


CE_ANSWER = _cross_entropy_answer()


@_guarded
def check_cross_entropy_value(answer) -> Feedback:
    """Exercise 8.2: ``answer`` is ``E_in``, the mean cross-entropy (natural log) of the
    predictions in :data:`CE_EXERCISE`; judged by ``CE_ANSWER`` as the HTML form is."""
    return CE_ANSWER.check(answer)


CE_GRAD_EXERCISE = {"scores": (1.0, 3.0, 0.0), "label": 0}
"""Exercise 8.3, by hand — the scores of one example with three classes and its true class
(counted from 0)."""


def _ce_grad_answer() -> ValueAnswer:
    """The truth of the by-hand part of Exercise 8.3, computed from
    :data:`CE_GRAD_EXERCISE`: ``∂L/∂s = p − y`` for one example."""
    import math

    s, c = CE_GRAD_EXERCISE["scores"], CE_GRAD_EXERCISE["label"]
    e = [math.exp(v) for v in s]
    p = [v / sum(e) for v in e]
    y = [1.0 if j == c else 0.0 for j in range(len(s))]
    grad = tuple(pj - yj for pj, yj in zip(p, y, strict=True))
    k = len(s)
    return ValueAnswer(
        exercise="8.3", labels=tuple(f"∂L/∂s{'₀₁₂₃₄'[j]}" for j in range(k)),
        expected=grad, check_name="check_ce_grad_by_hand",
        success=(f"p = softmax(s) = ({', '.join(f'{v:.4f}' for v in p)}) and y = "
                 f"({', '.join(f'{v:g}' for v in y)}), so p − y = "
                 f"({', '.join(f'{v:.4f}' for v in grad)}). The network is confidently wrong: "
                 f"a step against this gradient raises the score of class {c} the most and "
                 "lowers the score it wrongly favours; the entries sum to 0."),
        mistakes=(
            Mistake(tuple(-g for g in grad),
                    "The sign: ∂L/∂s = p − y, not y − p (the true class gets a negative "
                    "entry, so a step against the gradient raises its score)."),
            Mistake(tuple(p), "That is p = softmax(s) alone: subtract the one-hot target y, "
                              f"1 at the true class {c}."),
            Mistake(tuple(pj - 1 for pj in p),
                    "You subtracted 1 from every entry: y is one-hot, 1 only at the true "
                    f"class {c} and 0 elsewhere."),
            Mistake(tuple(sj - yj for sj, yj in zip(s, y, strict=True)),
                    "That is s − y: the gradient uses the probabilities p = softmax(s), not "
                    "the raw scores."),
            Mistake(tuple(grad[j] if j == c else 0.0 for j in range(k)),
                    "Every score gets a gradient, not only the true class's: ∂L/∂sⱼ = "
                    "pⱼ − yⱼ for every j (the wrong classes get pⱼ)."),
            Mistake(tuple(pj - (1.0 if j == c + 1 else 0.0) for j, pj in enumerate(p)),
                    f"The classes count from 0: class {c} is the first entry."),
        ),
        hint=("Compute p = softmax(s) = e^s / Σₖ e^sₖ (three numbers summing to 1), then "
              f"subtract 1 from the entry of the true class {c}."))


CE_GRAD_ANSWER = _ce_grad_answer()


@_guarded
def check_ce_grad_by_hand(answer) -> Feedback:
    """Exercise 8.3, by hand: ``answer`` is ``∂L/∂s = p − y`` (three numbers) for the one
    example of :data:`CE_GRAD_EXERCISE`; judged by ``CE_GRAD_ANSWER`` as the HTML form is."""
    return CE_GRAD_ANSWER.check(answer)


@_guarded
def check_softmax_ce_grad(grad_fn) -> Feedback:
    """Exercise 8.3: ``grad_fn(scores, labels)`` returns ``∂E_in/∂scores`` of the mean
    softmax cross-entropy over the batch, ``(softmax(scores) − Y) / N``."""
    import numpy as np

    from ..activations import softmax

    not_ready = _not_a_function(grad_fn, "check_softmax_ce_grad")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(9)
    cases = [(rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])),
             (3 * rng.standard_normal((6, 5)), np.array([4, 0, 0, 3, 1, 2])),
             (np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))]
    for s, labels in cases:
        out, error = _ch08_run(grad_fn, s, labels)
        if error:
            return Feedback(False, [error if error == _TODO else
                                    f"On scores of shape {s.shape}: {error}."])
        n, k = s.shape
        if out.shape != s.shape:
            return Feedback(False, [f"The gradient has the shape of the scores, {s.shape}, "
                                    f"got {out.shape}."])
        P, Y = softmax(s, axis=1), np.eye(k)[labels]
        right = (P - Y) / n
        if np.allclose(out, right, rtol=1e-7, atol=1e-12):
            continue
        if not np.all(np.isfinite(out)):
            where = (f"the scores {s.tolist()}" if s.size <= 6 else
                     f"scores of shape {s.shape} (all between {s.min():.3g} and {s.max():.3g})")
            hint = ("compute softmax with the maximum subtracted; p − y itself is always "
                    "between −1 and 1" if np.abs(s).max() > 700 else
                    "e^s cannot overflow here, so check your formula for 0/0 or a nan")
            return Feedback(False, [f"For {where} your gradient holds nan or inf: {hint}."])
        variants = {
            "E_in is the MEAN over the batch: divide p − y by N.": P - Y,
            "The sign: the gradient is p − y (it pushes the true class's score up when "
            "stepping against it), not y − p.": (Y - P) / n,
            "You return p / N: subtract the one-hot target y (1 at the true class).": P / n,
            "You subtract y from every column: y is one-hot, 1 only at the true class of "
            "each row.": (P - 1) / n,
        }
        for message, v in variants.items():
            if np.allclose(out, v, rtol=1e-7, atol=1e-12):
                return Feedback(False, [message])
        return Feedback(False, [f"For scores of shape {s.shape} your gradient differs from "
                                "(softmax(s) − Y) / N by up to "
                                f"{np.max(np.abs(out - right)):.3g}."])
    s, labels = cases[0]
    seen = _watched_call(grad_fn, s.copy(), labels.copy(), forbidden=_ch08_library())
    if seen.called:
        return Feedback(False, [f"Your function calls {seen.called[0]}: a library computes the "
                                "softmax or the gradient for you, and then this check cannot "
                                "see your own. Use your stable softmax (my_softmax of "
                                "Exercise 8.1) and subtract the one-hot targets: "
                                "(p − Y) / N."])
    return Feedback(True, ["∂E_in/∂s = (softmax(s) − Y)/N, equal to the numerical gradient of "
                           "SoftmaxCrossEntropy and finite even for scores of ±1000."])


TARGETS_EXERCISE = (
    ("a: photo tags [cat, dog, car]", ((1, 1, 0), (0, 0, 1), (1, 0, 0))),
    ("b: digit classes as one-hot rows", ((0, 0, 1, 0), (1, 0, 0, 0), (0, 0, 0, 1))),
    ("c: integer labels", (3, 0, 7, 7, 1)),
    ("d: symptoms present [fever, cough, rash]", ((0, 0, 0), (1, 0, 0), (0, 1, 0))),
    ("e: genres of a film [action, comedy, drama]", ((0, 1, 0), (1, 0, 0), (0, 0, 1))),
)
"""Exercise 8.4 — five target sets; the last one only looks multi-class (see the check)."""
_TARGET_KINDS = ("multi-label", "multi-class", "multi-class", "multi-label", "multi-label")
_TARGET_WHY = (
    "a has rows with two ones (a cat and a dog in one photo): multi-label, a sigmoid per tag.",
    "b has exactly one 1 per row: multi-class, softmax + cross-entropy.",
    "c gives one integer class per example: multi-class (the labels are one-hot rows in "
    "disguise).",
    "d has a row of zeros (no symptom at all): a softmax must put probability 1 somewhere, "
    "so this is multi-label, one yes/no per symptom.",
    "e happens to show one genre per film in these rows, but a film can be an action comedy: "
    "the question, not the sample, decides. Genres are multi-label.",
)


def _multi_label_answer() -> ValueAnswer:
    """The truth of Exercise 8.4, from :data:`TARGETS_EXERCISE`'s kinds and reasons."""
    n = len(_TARGET_KINDS)
    flip = {"multi-class": "multi-label", "multi-label": "multi-class"}
    return ValueAnswer(
        exercise="8.4",
        labels=("a: photo tags", "b: digit classes", "c: integer labels", "d: symptoms",
                "e: film genres"),
        expected=_TARGET_KINDS, options=("multi-class", "multi-label"),
        check_name="check_multi_label",
        success=("All five right. Multi-class: exactly one class per example (softmax + "
                 "cross-entropy). Multi-label: any number of labels, zero included (a sigmoid "
                 "and a binary cross-entropy per label)."),
        # one known mistake per target set: the first wrong one is explained
        mistakes=tuple(Mistake(tuple(flip[kind] if j == i else None for j in range(n)), why)
                       for i, (kind, why) in enumerate(zip(_TARGET_KINDS, _TARGET_WHY,
                                                           strict=True))),
    )


TARGETS_ANSWER = _multi_label_answer()


def _ch08_kind(word):
    """A reader's spelling of an option ("Multi Label", "multi_class") as the option; any
    other entry unchanged (the rule reports it)."""
    if isinstance(word, str):
        return word.strip().lower().replace("_", "-").replace(" ", "-")
    return word


@_guarded
def check_multi_label(answer) -> Feedback:
    """Exercise 8.4: ``answer`` is a list of five strings, ``"multi-class"`` or
    ``"multi-label"``, one per target set of :data:`TARGETS_EXERCISE` (spelled in any case,
    with a space or an underscore); judged by ``TARGETS_ANSWER`` as the HTML form is."""
    import numpy as np

    if isinstance(answer, (list, tuple)) or (isinstance(answer, np.ndarray) and answer.ndim):
        answer = [_ch08_kind(a) for a in answer]
    return TARGETS_ANSWER.check(answer)
