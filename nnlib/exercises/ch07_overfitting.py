"""Exercises of chapter 7, overfitting: early stopping, one step with weight
decay, inverted dropout (in code and by hand) and choosing λ on validation data.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _float,
    _floats,
    _guarded,
    _has_placeholder,
    _items,
    _not_a_function,
    _number,
    _show,
    _watched_call,
)

__all__ = [
    "EARLY_STOPPING_CASES", "EARLY_STOP_BY_HAND", "LAMBDA_TABLE", "WEIGHT_DECAY_EXERCISE",
    "check_choose_lambda", "check_early_stop_by_hand", "check_early_stopping",
    "check_inverted_dropout", "check_weight_decay_step", "lambda_table_digits",
    "EARLY_STOP_MISTAKES", "EARLY_STOP_BY_HAND_ANSWER", "WEIGHT_DECAY_ANSWER",
    "DROPOUT_ANSWER", "CHOOSE_LAMBDA_ANSWER", "DROPOUT_EXERCISE", "DROPOUT_PS",
    "check_dropout_by_hand",
]

EARLY_STOPPING_CASES = (
    ((0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7), 3),
    ((0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7), 1),
    ((1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.78, 0.9), 2),
    ((1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.78, 0.9), 3),
    ((1.0, 0.8, 0.9, 0.85, 0.88, 0.86, 0.87, 0.83), 3),
    ((0.5, 0.5, 0.5, 0.4), 2),
    ((0.5, 0.4, 0.39999999), 2),
    ((0.3,), 1),
)
"""Exercise 7.1 — ``(validation losses per epoch, patience)`` pairs the check runs. The
last epoch of the seventh improves by 1e-8: an improvement however small (no margin, no
rounding, no ``np.isclose``)."""


def _early_stopping_reference(losses, patience: int, *, ties_improve: bool = False,
                              vs_previous: bool = False, extra_wait: int = 0,
                              margin: float = 0.0):
    """``(stop_epoch, best_epoch)``, epochs from 1, as ``nnlib.training.EarlyStopping`` decides;
    the keyword arguments produce the typical mistakes (``margin``: an improvement must beat
    the best by more than that)."""
    best, best_epoch, wait, prev = float("inf"), 0, 0, float("inf")
    for epoch, loss in enumerate(losses, start=1):
        if vs_previous:                       # a common misreading: compare with the last epoch
            better = loss < prev
            if loss < best:
                best, best_epoch = loss, epoch
        else:
            better = loss <= best if ties_improve else loss < best - margin
            if better:
                best, best_epoch = loss, epoch
        prev = loss
        wait = 0 if better else wait + 1
        if wait >= patience + extra_wait:
            return epoch, best_epoch
    return len(losses), best_epoch


def _early_stopping_more_cases() -> tuple:
    """Exercise 7.1 — eight more ``(losses, patience)`` pairs, not in the public
    :data:`EARLY_STOPPING_CASES`: a rule must decide any list of losses, so an attempt that
    looks the answers of the public cases up fails on these. Random walks of losses
    rounded to two decimals (so ties occur), patience 1 to 4, from a fixed seed."""
    import numpy as np

    rng = np.random.default_rng(71)
    cases = []
    for length, patience in ((6, 1), (9, 2), (12, 3), (10, 4), (7, 2), (11, 3), (5, 2),
                             (13, 1)):
        steps = rng.choice((-0.1, -0.05, 0.0, 0.03, 0.05), size=length - 1)
        walk = 1.0 + np.concatenate(([0.0], np.cumsum(steps)))
        cases.append((tuple(round(float(v), 2) for v in walk), patience))
    return tuple(cases)


def _shifted(pair, by: int) -> tuple:
    return tuple(v + by for v in pair)


#: The known mistakes of Exercise 7.1, one table for its by-hand answer and its code check:
#: each message with the ``(stop_epoch, best_epoch)`` that the mistake gives for a list of
#: validation losses and a patience.
EARLY_STOP_MISTAKES = (
    ("You swapped them: the order is (stop_epoch, best_epoch).",
     lambda losses, patience: _early_stopping_reference(losses, patience)[::-1]),
    ("Your epochs count from 0; the book counts them from 1 (epoch 1 is the first pass over "
     "the data), as `History.best_epoch` does.",
     lambda losses, patience: _shifted(_early_stopping_reference(losses, patience), -1)),
    ("A tie is no improvement: an epoch improves only if its loss is strictly below the "
     "best so far (`<`, not `<=`).",
     lambda losses, patience: _early_stopping_reference(losses, patience, ties_improve=True)),
    ("Compare each loss with the best so far, not with the previous epoch: the validation "
     "loss can wobble down without beating the best.",
     lambda losses, patience: _early_stopping_reference(losses, patience, vs_previous=True)),
    ("You wait one epoch too long: stop as soon as `patience` epochs in a row have not "
     "improved (the count reaches patience).",
     lambda losses, patience: _early_stopping_reference(losses, patience, extra_wait=1)),
    ("You stop one epoch too early: stop when `patience` epochs in a row have not improved, "
     "not `patience - 1`.",
     lambda losses, patience: _early_stopping_reference(losses, patience, extra_wait=-1)),
    ("You stop at the first epoch that does not improve: that ignores the patience.",
     lambda losses, patience: _early_stopping_reference(losses, 1)),
)


EARLY_STOP_BY_HAND = {"val_losses": (0.8, 0.6, 0.65, 0.6, 0.62, 0.5, 0.55, 0.58, 0.57, 0.59,
                                      0.7),
                      "patience": 3}
"""Exercise 7.1, by hand — validation losses (one per epoch, from epoch 1) and the patience."""


def _early_stop_by_hand_answer() -> ValueAnswer:
    """The truth of the by-hand part of Exercise 7.1, computed from
    :data:`EARLY_STOP_BY_HAND` with the reference that agrees with nnlib's EarlyStopping."""
    losses, patience = EARLY_STOP_BY_HAND["val_losses"], EARLY_STOP_BY_HAND["patience"]
    stop, best = _early_stopping_reference(losses, patience)
    lowest = min(range(len(losses)), key=lambda i: losses[i]) + 1

    return ValueAnswer(
        exercise="7.1", labels=("stop epoch", "best epoch"),
        expected=(float(stop), float(best)), check_name="check_early_stop_by_hand",
        # epochs are whole numbers: no rounding to accept
        digits=None,
        success=(f"Epoch {best} sets the best loss, {losses[best - 1]:g}; epoch {best + 2} "
                 f"only ties it ({losses[best + 1]:g} is not below {losses[best - 1]:g}), so "
                 f"epochs {best + 1}, {best + 2} and {best + 3} are {patience} in a row without "
                 f"improvement: training stops at epoch {stop} and restores the weights of "
                 f"epoch {best}. The lower loss at epoch {lowest} is never seen."),
        mistakes=(
            *(Mistake(tuple(float(v) for v in gives(losses, patience)), message)
              for message, gives in EARLY_STOP_MISTAKES),
            Mistake((float(stop), float(lowest)),
                    f"Epoch {lowest} has the lowest loss of the whole list, but training "
                    f"stopped at epoch {stop} and never saw it: the best epoch is the best "
                    "among the epochs trained."),
            Mistake((float(len(losses)), None),
                    f"Training does not run to the end of the list: it stops once {patience} "
                    "epochs in a row have not beaten the best loss."),
        ),
        hint=("Walk through the list from epoch 1, keeping the best loss so far and the count "
              "of epochs since it improved; stop when the count reaches the patience."))


EARLY_STOP_BY_HAND_ANSWER = _early_stop_by_hand_answer()


@_guarded
def check_early_stop_by_hand(answer) -> Feedback:
    """Exercise 7.1, by hand: ``answer = (stop_epoch, best_epoch)`` for the losses and the
    patience of :data:`EARLY_STOP_BY_HAND`, judged by ``EARLY_STOP_BY_HAND_ANSWER`` as the
    HTML form is."""
    return EARLY_STOP_BY_HAND_ANSWER.check(answer)


@_guarded
def check_early_stopping(early_stop) -> Feedback:
    """Exercise 7.1: ``early_stop(val_losses, patience) -> (stop_epoch, best_epoch)``.

    Epochs count from 1. An epoch improves when its validation loss is below the best
    so far; training stops after ``patience`` epochs in a row without improvement (or
    when the list ends), and the best epoch is the one whose weights are kept.
    """
    not_ready = _not_a_function(early_stop, "check_early_stopping")
    if not_ready is not None:
        return not_ready
    from .. import training

    cases = EARLY_STOPPING_CASES + _early_stopping_more_cases()
    public = len(EARLY_STOPPING_CASES)
    got, called = [], []
    for losses, patience in cases:
        watch = _watched_call(early_stop, list(losses), patience, forbidden=(training,))
        out, error = watch.result, watch.error
        called += watch.called
        if error:
            return Feedback(False, [f"early_stop({list(losses)}, {patience}): {error}."])
        if _has_placeholder(out):
            return Feedback(False, [_TODO])
        items = _items(out, 2)
        if items is None:
            return Feedback(False, ["Return the pair (stop_epoch, best_epoch), got "
                                    f"{_show(out)}."])
        why = next((why for _, why in map(_float, items) if why), None)
        if why:
            return Feedback(False, [f"stop_epoch and best_epoch are integers, got {why}."])
        got.append(tuple(_number(v) for v in items))

    right = [tuple(float(v) for v in _early_stopping_reference(losses, patience))
             for losses, patience in cases]
    if got == right and called:
        return Feedback(False, [f"Your function calls {called[0]}: the check compares with "
                                "nnlib's EarlyStopping, so it cannot see your own rule. Write "
                                "the loop yourself: keep the best loss so far and the count "
                                "of epochs since it improved."])
    if got == right:
        return Feedback(True, [f"Right on all {len(cases)} cases: compare with the best loss "
                               "so far, count the epochs without improvement, stop when the count "
                               "reaches the patience, and keep the best epoch's weights."])
    for message, gives in EARLY_STOP_MISTAKES:
        if got == [tuple(float(v) for v in gives(losses, patience))
                   for losses, patience in cases]:
            return Feedback(False, [message])
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True)) if g != r)
    losses, patience = cases[k]
    if got[:public] == right[:public]:
        return Feedback(False, [
            f"Right on the {public} public cases of EARLY_STOPPING_CASES, but not on other "
            f"losses: for val_losses = {list(losses)} and patience = {patience} the answer "
            f"is (stop_epoch, best_epoch) = ({right[k][0]:g}, {right[k][1]:g}), yours is "
            f"({got[k][0]:g}, {got[k][1]:g}). The check also tries {len(cases) - public} "
            "lists of its own: write the rule, not the answers of the public cases."])
    if got == [tuple(float(v) for v in _early_stopping_reference(*case, margin=1e-6))
               for case in cases]:
        best = min(losses[:-1])
        return Feedback(False, [f"For val_losses = {list(losses)} the last epoch improves: "
                                f"{losses[-1]:.10g} is below the best {best:g}, by "
                                f"{best - losses[-1]:.1g} only, and that is an improvement too. "
                                "An epoch improves when its loss is strictly below the best "
                                "so far: no margin, no rounding, no np.isclose."])
    return Feedback(False, [f"For val_losses = {list(losses)} and patience = {patience} the "
                            f"answer is (stop_epoch, best_epoch) = "
                            f"({right[k][0]:g}, {right[k][1]:g}), yours is "
                            f"({got[k][0]:g}, {got[k][1]:g}). Walk through the list epoch by "
                            "epoch, keeping the best loss and the count of epochs since it."])


WEIGHT_DECAY_EXERCISE = {"W": ((0.5, -1.0), (2.0, 0.0)), "b": (0.5, -0.5),
                         "grad_W": ((0.1, 0.2), (-0.3, 0.0)), "grad_b": (0.2, 0.1),
                         "lr": 0.1, "lam": 0.5}
"""Exercise 7.2 — one SGD step with weight decay ``λ`` on a layer's ``W`` and ``b``."""


def _weight_decay_reference(*, two: float = 2.0, decay_b: bool = False, sign: float = 1.0,
                            lr_on_decay: bool = True, grad: bool = True):
    """``(W_new, b_new)`` of one SGD step with weight decay, and the typical mistakes.

    ``sign=-1.0`` is the step uphill, ``+`` instead of ``−`` in front of η on the whole
    gradient: ``W + η (∂E/∂W + 2λW)``, so W grows by ``1 + 2ηλ``, and ``b + η ∂E/∂b``."""
    import numpy as np

    ex = WEIGHT_DECAY_EXERCISE
    W, b = np.array(ex["W"]), np.array(ex["b"])
    gW, gb = np.array(ex["grad_W"]), np.array(ex["grad_b"])
    lr, lam = ex["lr"], ex["lam"]
    shrink = 1 - sign * two * lam * (lr if lr_on_decay else 1.0)
    W_new = shrink * W - sign * lr * gW * grad
    b_new = (shrink * b if decay_b else b) - sign * lr * gb * grad
    return W_new, b_new


def _flat(W, b) -> tuple:
    """The entries of ``(W, b)`` in reading order, as floats."""
    return tuple(float(v) for v in [*W.ravel(), *b.ravel()])


def _weight_decay_answer() -> ValueAnswer:
    """The truth of Exercise 7.2, computed from :data:`WEIGHT_DECAY_EXERCISE`."""
    ex = WEIGHT_DECAY_EXERCISE
    shrink = 1 - 2 * ex["lr"] * ex["lam"]
    any_b = (None, None)
    any_W = (None,) * 4

    def W_of(**kw) -> tuple:
        return _flat(*_weight_decay_reference(**kw))[:4]

    def b_of(**kw) -> tuple:
        return _flat(*_weight_decay_reference(**kw))[4:]

    return ValueAnswer(
        exercise="7.2",
        labels=("W_new[1, 1]", "W_new[1, 2]", "W_new[2, 1]", "W_new[2, 2]",
                "b_new[1]", "b_new[2]"),
        expected=_flat(*_weight_decay_reference()), rows=3,
        check_name="check_weight_decay_step",
        success=(f"W_new = {shrink:g} W − {ex['lr']:g} ∂E/∂W and b_new = b − {ex['lr']:g} "
                 f"∂E/∂b: the weights shrink by 1 − 2ηλ = {shrink:g} before the data "
                 "gradient acts, the bias does not."),
        mistakes=(
            Mistake(W_of(two=1.0) + any_b,
                    f"The gradient of λ Σ w² is 2λw, not λw: W shrinks by the factor "
                    f"1 − 2ηλ = {shrink:g}, not 1 − ηλ."),
            Mistake(W_of(sign=-1.0) + any_b,
                    "W_new steps uphill: W − η (∂E/∂W + 2λW), with a minus in front of η "
                    "for the data gradient and the decay term alike."),
            Mistake(W_of(lr_on_decay=False) + any_b,
                    "The decay term is part of the gradient, so it is multiplied by η too: "
                    "the factor is 1 − 2ηλ, not 1 − 2λ."),
            Mistake(W_of(grad=False) + any_b,
                    "You applied the decay but forgot the data gradient −η g."),
            Mistake(W_of(two=0.0) + any_b,
                    "You took the plain SGD step without the decay: add 2λw to the gradient."),
            Mistake(any_W + b_of(decay_b=True),
                    "The bias is not decayed (its Parameter has decay=False): "
                    "b_new = b − η ∂E/∂b."),
            Mistake(any_W + b_of(sign=-1.0),
                    "b_new steps uphill: b − η ∂E/∂b, with a minus in front of η."),
        ),
        hint=("W_new = (1 − 2ηλ) W − η ∂E/∂W, entry by entry; the bias takes the plain step "
              "b_new = b − η ∂E/∂b."))


WEIGHT_DECAY_ANSWER = _weight_decay_answer()


@_guarded
def check_weight_decay_step(answer) -> Feedback:
    """Exercise 7.2: ``answer = (W_new, b_new)`` after one step of ``SGD(lr=η,
    weight_decay=λ)`` from :data:`WEIGHT_DECAY_EXERCISE`, computed by hand; judged entry by
    entry (W_new row by row, then b_new) by ``WEIGHT_DECAY_ANSWER`` as the HTML form is."""
    if _has_placeholder(answer):                 # (..., ...): not yet answered
        return WEIGHT_DECAY_ANSWER.check(...)
    return WEIGHT_DECAY_ANSWER.check(answer)     # the pair flattens to the six entries


#: Exercise 7.3 — the drop probabilities with which :func:`check_inverted_dropout` calls a
#: reader's dropout, three times each with another rng, besides p = 0.25 with seed 0 (the
#: call its first messages are about) and p = 0: a hard-coded p, a mask shared between rows
#: or calls, or a fixed number of drops shows only across several p and calls.
DROPOUT_PS = (0.1, 0.25, 0.5, 0.8)

#: How far a statistic of the drops may lie from its expectation, in standard deviations:
#: the fraction dropped in the first call (a binomial count: 4 sd, beyond which chance goes
#: about once in 16,000 runs) and in each further call, and the agreement of two masks or
#: of two halves of one (5 sd each, about a hundred tests: together less than once in
#: 10,000 runs, and a shared or correlated mask lies far beyond). With the χ² test below,
#: an honest dropout whose random numbers are not the check's fails about once in 7,000.
_DROPOUT_SD_FRACTION, _DROPOUT_SD_MORE, _DROPOUT_SD_AGREEMENT = 4.0, 5.0, 5.0

#: The smallest probability of the spread of the numbers of drops over the calls (a χ²
#: statistic) that chance explains: below it, in either tail, the drops are not independent.
_DROPOUT_CHI2_LEVEL = 1e-5


def _chi2_tails(s: float, df: int) -> tuple[float, float]:
    """``(P(X ≤ s), P(X ≥ s))`` for X χ²-distributed with an even number ``df`` of degrees
    of freedom (exact: a Poisson sum), each accurate also when it is tiny."""
    import math

    half, m = s / 2, df // 2
    if half > 300:                                      # far in the upper tail
        return 1.0, 0.0
    terms = [math.exp(-half)]
    for i in range(1, m + 400):
        terms.append(terms[-1] * half / i)
    return math.fsum(terms[m:]), math.fsum(terms[:m])


def _dropout_independence(masks: list, n: int) -> str | None:
    """The message when the keep masks of several calls (``[(p, mask), ...]``, each call
    with its own rng) are not drawn entry by entry and call by call independently, or
    None: no two rows or columns of a mask alike, neighbouring rows and columns agreeing
    as often as independent entries do, two calls' masks too (at the same p or at two
    others: a mask drawn from the same random numbers at another p is nested in it), and
    the numbers of drops spread as binomial counts do."""
    import math

    import numpy as np

    sd_a = _DROPOUT_SD_AGREEMENT
    for p, mask in masks:
        q = p * p + (1 - p) ** 2                 # P(two independent entries agree)
        if (mask == mask[0]).all():
            return (f"With p = {p:g}, every row of your mask is the same: one mask shared by "
                    "all the examples of the batch (e.g. drawn with shape x.shape[1:] and "
                    "broadcast). Each entry is dropped independently: draw the mask with the "
                    "shape of x, rng.random(x.shape) >= p.")
        if (mask == mask[:, :1]).all():
            return (f"With p = {p:g}, every row of your mask is all kept or all dropped: whole "
                    "examples are dropped (e.g. a mask of shape (N, 1)). Each entry is "
                    "dropped independently: draw the mask with the shape of x, "
                    "rng.random(x.shape) >= p.")
        for axis, what in ((0, "rows"), (1, "columns")):
            lines = mask if axis == 0 else mask.T
            pairs = len(lines) * (len(lines) - 1) / 2
            unique, first = np.unique(lines, axis=0, return_index=True)
            # two alike by chance: pairs · q^length (1e-5 for p = 0.1, so not tried there)
            if len(unique) < len(lines) and pairs * q ** lines.shape[1] < 1e-9:
                i = int(next(k for k in range(len(lines)) if k not in set(first)))
                j = int(np.flatnonzero((lines[:i] == lines[i]).all(axis=1))[0])
                return (f"With p = {p:g}, {what} {j} and {i} of your mask are the same, entry "
                        f"for entry: independent {what} of {lines.shape[1]} entries are alike "
                        "by chance almost never, so one draw is used for several entries. Each "
                        "entry is dropped independently: rng.random(x.shape) >= p.")
            half = len(lines) // 2
            agree = float((lines[0:2 * half:2] == lines[1:2 * half:2]).mean())
            sd = math.sqrt(q * (1 - q) / (half * lines.shape[1]))
            if abs(agree - q) > sd_a * sd:
                return (f"With p = {p:g}, neighbouring {what} of your mask agree in "
                        f"{agree:.1%} of their entries; independent entries agree in "
                        f"p² + (1 − p)² = {q:.1%} ± {sd:.2%} (one standard deviation): "
                        f"{abs(agree - q) / sd:.0f} standard deviations away, beyond the "
                        f"{sd_a:g} the check accepts. Draw every entry independently, "
                        "rng.random(x.shape) >= p.")
    for a, (p_a, mask_a) in enumerate(masks):
        for p_b, mask_b in masks[a + 1:]:
            q = p_a * p_b + (1 - p_a) * (1 - p_b)
            sd = math.sqrt(q * (1 - q) / n)
            agree = float((mask_a == mask_b).mean())
            if abs(agree - q) > sd_a * sd:
                at = f"p = {p_a:g}" if p_a == p_b else f"p = {p_a:g} and p = {p_b:g}"
                return (f"The masks of two calls ({at}, each with an rng of its own) agree "
                        f"in {agree:.1%} of the entries; independent masks agree in "
                        f"{q:.1%} ± {sd:.2%} (one standard deviation): "
                        f"{abs(agree - q) / sd:.0f} standard deviations away, beyond the "
                        f"{sd_a:g} the check accepts. The mask must be new at every call, "
                        "drawn from that call's rng: not kept from an earlier call, not from "
                        "a fixed seed or from a few seeds.")
    counts = [(p, int((~mask).sum())) for p, mask in masks]
    chi2 = sum((d - n * p) ** 2 / (n * p * (1 - p)) for p, d in counts)
    df = len(counts)
    low, high = _chi2_tails(chi2, df)
    rms = math.sqrt(chi2 / df)
    ps = ", ".join(f"{p:g}" for p in dict.fromkeys(p for p, _ in masks))
    if low < _DROPOUT_CHI2_LEVEL:
        return (f"In {df} calls (p = {ps}) the number of dropped entries hardly varies: it "
                f"differs from n·p by {rms:.2g} standard deviations √(np(1 − p)) on average "
                "(root mean square), where independent drops give about 1 (so little by chance "
                "less than once in 100,000 runs). A fixed number of drops (e.g. a permutation "
                "that drops exactly p·n entries) is not independent dropping: decide each "
                "entry on its own, rng.random(x.shape) >= p.")
    if high < _DROPOUT_CHI2_LEVEL:
        return (f"In {df} calls (p = {ps}) the number of dropped entries varies too much: it "
                f"differs from n·p by {rms:.2g} standard deviations √(np(1 − p)) on average "
                "(root mean square), where independent drops give about 1 (so much by chance "
                "less than once in 100,000 runs): the entries are not dropped independently "
                "with probability p (e.g. in groups, or with a probability drawn anew).")
    return None


#: The calls of :func:`_dropout_repeats`: many small masks, each from an rng of its own.
_DROPOUT_REPEAT_CALLS, _DROPOUT_REPEAT_SHAPE = 200, (20, 20)


def _dropout_repeats(call) -> str | None:
    """The message when two of :data:`_DROPOUT_REPEAT_CALLS` calls with p = 0.5, each with
    an rng of its own, give the same mask, or None. Two independent masks of 400 entries
    are alike with probability 2⁻⁴⁰⁰; a mask drawn from one of N seeds (a seed drawn from a
    small range) repeats among 200 calls with probability about 1 − e^(−200²/2N): almost
    surely for N up to a few thousand, which the comparison of 15 calls cannot see."""
    import numpy as np

    x = np.random.default_rng(73).uniform(0.5, 1.5, size=_DROPOUT_REPEAT_SHAPE)
    first: dict = {}
    for k in range(_DROPOUT_REPEAT_CALLS):
        out, error = call(x, 0.5, 1000 + k, True)
        if error:
            return error
        key = (out != 0).tobytes()
        if key in first:
            return (f"Two of {_DROPOUT_REPEAT_CALLS} calls (p = 0.5, a {x.shape[0]}×"
                    f"{x.shape[1]} x, each with an rng of its own) gave the same mask, entry "
                    f"for entry: calls {first[key] + 1} and {k + 1}. Independent masks of "
                    f"{x.size} entries are alike with probability 2^(−{x.size}), so your masks "
                    "come from a few possibilities only (e.g. a seed drawn from a small "
                    "range). Draw every entry from the rng itself: rng.random(x.shape) >= p.")
        first[key] = k
    return None


@_guarded
def check_inverted_dropout(dropout) -> Feedback:
    """Exercise 7.3: ``dropout(x, p, rng, training) -> out``, inverted dropout.

    In training each entry is zeroed independently with probability ``p`` (drawn from
    ``rng``) and the others are divided by ``1 − p``; in evaluation ``out`` is ``x`` itself.
    The statistics of the drops are judged against their standard deviations, for the p of
    :data:`DROPOUT_PS` and several calls each.
    """
    import math

    import numpy as np

    from ..layers import Dropout

    not_ready = _not_a_function(dropout, "check_inverted_dropout")
    if not_ready is not None:
        return not_ready
    x = np.random.default_rng(7).uniform(0.5, 1.5, size=(100, 100))
    n = x.size
    p = 0.25
    library: list[str] = []
    global_state: list[bool] = []

    def call(x_in, p_in, seed, training):
        args = (x_in.copy(), p_in, np.random.default_rng(seed), training)
        before = np.random.get_state()       # noqa: NPY002 (the reader must not change it)
        watch = _watched_call(dropout, *args, forbidden=(Dropout,))
        after = np.random.get_state()        # noqa: NPY002
        library.extend(watch.called)
        global_state.append(not (np.array_equal(before[1], after[1]) and
                                 before[2:] == after[2:]))
        out, error = watch.result, watch.error
        if error:
            return None, f"dropout(x, p={p_in}, rng, training={training}): {error}."
        if out is ...:
            return None, _TODO
        if not np.array_equal(args[0], x_in):
            return None, ("Your function changed x in place (e.g. `x[mask] = 0` or "
                          "`x *= ...`): return a new array.")
        out, why = _floats(out)
        if why:
            return None, f"Return an array of finite numbers, got {why}."
        if out.shape != x_in.shape:
            return None, f"The output must have the shape of x, {x_in.shape}, got {out.shape}."
        return out, None

    def fraction_off(frac: float, p_in: float, limit: float) -> str | None:
        sd = math.sqrt(p_in * (1 - p_in) / n)
        away = abs(frac - p_in) / sd
        if away <= limit:
            return None
        return (f"With p = {p_in:g} your function dropped {frac:.1%} of the {n:,} entries; "
                f"independent drops with probability p give {p_in:.0%} ± {sd:.2%} (one "
                f"standard deviation, √(p(1 − p)/n)): {frac:.1%} is {away:.1f} standard "
                f"deviations away, and the check accepts up to {limit:g}.")

    out_eval, error = call(x, p, 0, False)
    if error:
        return Feedback(False, [error])
    if not np.array_equal(out_eval, x):
        if np.allclose(out_eval, (1 - p) * x):
            return Feedback(False, ["In evaluation you scale by 1 − p: that is the old, "
                                    "non-inverted dropout. Inverted dropout scales in training, "
                                    "so evaluation returns x unchanged."])
        if np.any(out_eval == 0):
            return Feedback(False, ["In evaluation (training=False) nothing is dropped: "
                                    "return x unchanged."])
        return Feedback(False, ["In evaluation (training=False) dropout is the identity: "
                                "return x unchanged."])
    out, error = call(x, p, 0, True)
    if error:
        return Feedback(False, [error])
    dropped = out == 0
    frac = float(dropped.mean())
    kept = out[~dropped] / x[~dropped]
    sd = math.sqrt(p * (1 - p) / n)
    if abs(frac - (1 - p)) <= _DROPOUT_SD_FRACTION * sd:
        return Feedback(False, [f"You drop {frac:.0%} of the entries with p = {p}: p is the "
                                "probability to DROP an entry, keep it with probability 1 − p "
                                "(e.g. `rng.random(x.shape) >= p`)."])
    if frac == 0:
        return Feedback(False, ["Nothing was dropped in training mode: zero each entry with "
                                "probability p, e.g. with `rng.random(x.shape) >= p` as the "
                                "keep mask."])
    off = fraction_off(frac, p, _DROPOUT_SD_FRACTION)
    if off:
        return Feedback(False, [off])
    if np.allclose(kept, 1.0):
        return Feedback(False, ["The kept entries are unchanged: inverted dropout divides them "
                                "by 1 − p, so that the expected output equals x (and "
                                "evaluation can return x as it is)."])
    if np.allclose(kept, 1 - p):
        return Feedback(False, ["You multiply the kept entries by 1 − p: divide by it instead, "
                                "so that the expected output E[out] = (1 − p) · x/(1 − p) = x."])
    if not np.allclose(kept, 1 / (1 - p)):
        return Feedback(False, ["Every kept entry must be x / (1 − p); yours are scaled by "
                                f"factors from {kept.min():.3g} to {kept.max():.3g}."])
    again, _ = call(x, p, 0, True)
    other, _ = call(x, p, 1, True)
    if again is None or not np.array_equal(again, out) or np.array_equal(other, out):
        return Feedback(False, ["Draw the mask from the `rng` argument (`rng.random(...)`), not "
                                "from np.random or a fixed seed: the same rng must give the same "
                                "mask and another rng another mask."])
    if library:
        return Feedback(False, [f"Your function calls {library[0]}, nnlib's dropout layer: then "
                                "this check cannot see your own mask and scaling. Write them "
                                "yourself, with `rng.random(x.shape) >= p` as the keep mask."])
    if any(global_state):
        return Feedback(False, ["Your function changes numpy's global random state (np.random."
                                "seed, np.random.random, ...): draw the mask from the `rng` "
                                "argument only, so that no other code's random numbers change "
                                "and the same rng gives the same mask."])
    masks: list = []
    for i, p_k in enumerate(DROPOUT_PS):
        for seed in range(10 + 3 * i, 13 + 3 * i):          # a new rng for every call
            out_k, error = call(x, p_k, seed, True)
            if error:
                return Feedback(False, [error])
            keep = out_k != 0
            factor = out_k[keep] / x[keep]
            if not np.allclose(factor, 1 / (1 - p_k)):
                hint = (" (1/(1 − 0.25): is p hard-coded?)" if p_k != 0.25 and
                        np.allclose(factor, 1 / 0.75) else "")
                return Feedback(False, [f"With p = {p_k:g} every kept entry must be x / (1 − p) "
                                        f"= {1 / (1 - p_k):.4g} x; yours are scaled by "
                                        f"{factor.min():.4g} to {factor.max():.4g}{hint}."])
            off = fraction_off(float((~keep).mean()), p_k, _DROPOUT_SD_MORE)
            if off:
                hint = (" Does your function use p? It drops about 25 %, as for p = 0.25."
                        if p_k != 0.25 and fraction_off(float((~keep).mean()), 0.25,
                                                        _DROPOUT_SD_MORE) is None else "")
                return Feedback(False, [off + hint])
            masks.append((p_k, keep))
    shared = _dropout_independence(masks, n)
    if shared:
        return Feedback(False, [shared])
    if library or any(global_state):               # seen only in the later calls
        return Feedback(False, [f"Your function calls {library[0]}, nnlib's dropout layer: write "
                                "the mask and the scaling yourself." if library else
                                "Your function changes numpy's global random state: draw the "
                                "mask from the `rng` argument only."])
    repeated = _dropout_repeats(call)
    if repeated:
        return Feedback(False, [repeated])
    out0, error = call(x, 0.0, 0, True)
    if error or not np.allclose(out0, x):
        return Feedback(False, [error or "With p = 0 nothing is dropped and nothing scaled: "
                                         "out must equal x."])
    calls = len(masks)
    return Feedback(True, [f"Inverted dropout: {frac:.1%} of the entries dropped (p = {p}: "
                           f"independent drops give {p:.0%} ± {sd:.2%}), the rest scaled by "
                           f"1/(1 − p) = {1 / (1 - p):.4g}, so the mean of the output, "
                           f"{out.mean():.4f}, stays close to that of x, {x.mean():.4f}; "
                           "evaluation is the identity. And with p = "
                           f"{', '.join(f'{v:g}' for v in DROPOUT_PS)} in {calls} more calls, "
                           "the drops are independent between entries and between calls, "
                           "within their standard deviations, and no two of "
                           f"{_DROPOUT_REPEAT_CALLS} small masks are alike."])


LAMBDA_TABLE = {"lam": (0.0, 1e-4, 1e-3, 1e-2, 1e-1),
                "train": (0.0079, 0.0084, 0.0132, 0.0851, 0.8010),
                "val": (0.2909, 0.2897, 0.2823, 0.3127, 0.9450),
                "test": (0.3149, 0.3138, 0.3069, 0.3375, 0.9670)}
"""Exercise 7.4 — mean cross-entropy of a 64-128-10 ReLU network trained on 200 digits with
five values of λ, as :func:`lambda_table_digits` computes it (rounded to 4 decimals)."""


def lambda_table_digits(lams=LAMBDA_TABLE["lam"]) -> dict:
    """Recompute :data:`LAMBDA_TABLE`: for each λ, train a 64 → 128 → 10 ReLU network on
    the first 200 training digits of ``train_val_test_split(*digits(), rng=0)`` (pixels
    standardised) with ``SGD(lr=0.1, weight_decay=λ)``, B = 20, 60 epochs, and measure the
    mean cross-entropy on the three sets. Takes a few seconds.

    Returns
    -------
    dict
        tuples ``lam``, ``train``, ``val``, ``test``
    """
    from ..activations import ReLU
    from ..data import Standardizer, digits, train_val_test_split
    from ..layers import Linear, Sequential
    from ..losses import SoftmaxCrossEntropy
    from ..optim import SGD
    from ..training import evaluate, fit

    X_train, y_train, X_val, y_val, X_test, y_test = train_val_test_split(*digits(), rng=0)
    X_train, y_train = X_train[:200], y_train[:200]
    scaler = Standardizer().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(A) for A in (X_train, X_val, X_test))
    loss = SoftmaxCrossEntropy()
    table: dict = {"lam": [], "train": [], "val": [], "test": []}
    for lam in lams:
        net = Sequential(Linear(64, 128, rng=0), ReLU(), Linear(128, 10, rng=1))
        fit(net, loss, SGD(net.parameters(), lr=0.1, weight_decay=lam), X_train, y_train,
            epochs=60, batch_size=20, rng=0)
        table["lam"].append(float(lam))
        for name, (Xs, ys) in (("train", (X_train, y_train)), ("val", (X_val, y_val)),
                               ("test", (X_test, y_test))):
            table[name].append(evaluate(net, loss, Xs, ys)[0])
    return {k: tuple(v) for k, v in table.items()}


def _choose_lambda_answer() -> ValueAnswer:
    """The truth of Exercise 7.4, read from :data:`LAMBDA_TABLE`."""
    t = LAMBDA_TABLE
    rows = range(len(t["lam"]))
    k_val = min(rows, key=lambda i: t["val"][i])
    k_train = min(rows, key=lambda i: t["train"][i])
    k_test = min(rows, key=lambda i: t["test"][i])
    lam = t["lam"][k_val]
    mistakes = []
    for k in rows:                                       # a λ from the table, not the right one
        if k == k_val:
            continue
        if k == k_train:
            message = ("The training loss always prefers the smallest λ: the penalty can only "
                       "cost training fit. Choose by the validation loss.")
        elif k == k_test:
            message = ("That λ has the lowest TEST loss: choosing by it uses the test set for "
                       "a decision, and then its loss no longer estimates the error on new "
                       "data. Choose by the validation loss.")
        else:
            message = f"λ = {t['lam'][k]:g} does not have the lowest validation loss."
        mistakes.append(Mistake((t["lam"][k], None), message))
    mistakes.append(Mistake((lam, t["val"][k_val]),
                            "The validation loss of the chosen λ is optimistic: we picked the "
                            "λ that happens to look best on the validation set. Report the "
                            "test loss of the chosen λ, the one number the choice never saw."))
    mistakes += [Mistake((lam, v), "The training loss measures fit to data the network has "
                                   "seen; report the test loss of the chosen λ.")
                 for v in t["train"]]
    mistakes += [Mistake((lam, v), "Report the test loss of the λ you chose, from the same row.")
                 for k, v in enumerate(t["test"]) if k != k_val]
    mistakes += [Mistake((lam, v), "That is a validation loss: report the test loss of the "
                                   "chosen λ, the one number the choice never saw.")
                 for k, v in enumerate(t["val"]) if k != k_val]
    return ValueAnswer(
        exercise="7.4", labels=("λ", "loss to report"), expected=(lam, t["test"][k_val]),
        check_name="check_choose_lambda", mistakes=tuple(mistakes),
        success=(f"λ = {lam:g} has the lowest validation loss, and its test loss "
                 f"{t['test'][k_val]:g} is the honest estimate of the loss on new data. (The "
                 "notes' λ = 0.01 would be worse here than no weight decay at all.)"),
        hint=(f"Choose λ among the values tried, {', '.join(f'{v:g}' for v in t['lam'])}, by "
              "the validation loss. Report a loss from the table: the test loss of the "
              "chosen λ."))


CHOOSE_LAMBDA_ANSWER = _choose_lambda_answer()


@_guarded
def check_choose_lambda(answer) -> Feedback:
    """Exercise 7.4: ``answer = (λ, loss to report)`` from :data:`LAMBDA_TABLE`: the λ the
    validation set picks, and the estimate of the error on new data to report for it;
    judged by ``CHOOSE_LAMBDA_ANSWER`` as the HTML form is."""
    return CHOOSE_LAMBDA_ANSWER.check(answer)


# -- Exercise 7.3, by hand: one application of inverted dropout ------------------------------

DROPOUT_EXERCISE = {"x": (1.0, 2.0, 3.0, 4.0), "p": 0.2, "r": (0.05, 0.6, 0.15, 0.8)}
"""Exercise 7.3 — an input ``x``, the drop probability ``p`` and the uniform numbers ``r``
that ``rng.random(4)`` gave; an entry is kept when its ``r ≥ p``."""


class _GivenDraws:
    """Stands in for a numpy Generator whose ``random`` returns the given numbers."""

    def __init__(self, r) -> None:
        self.r = r

    def random(self, shape):
        import numpy as np

        return np.array(self.r, dtype=float).reshape(shape)


def _dropout_answer() -> ValueAnswer:
    """The truth of Exercise 7.3 by hand: :class:`nnlib.layers.Dropout` in training on
    :data:`DROPOUT_EXERCISE`, and what the mistakes named by :func:`check_inverted_dropout`
    give."""
    import numpy as np

    from ..layers import Dropout

    ex = DROPOUT_EXERCISE
    x, p, r = np.array(ex["x"]), ex["p"], np.array(ex["r"])
    layer = Dropout(p)
    layer.rng = _GivenDraws(r)
    right = layer.train().forward(x)
    keep = r >= p

    def entries(values):
        return tuple(float(v) for v in values)

    return ValueAnswer(
        exercise="7.3", labels=tuple(f"out[{i}]" for i in range(len(x))),
        expected=entries(right), check_name="check_dropout_by_hand",
        digits=None,                                    # exact: 0 and x/(1 − p)
        success=(f"Right: the entries with r < p = {p:g} are dropped, the others divided by "
                 f"1 − p = {1 - p:g}: out = ({', '.join(f'{v:g}' for v in right)}). On "
                 "average over the draws every entry keeps its value: "
                 "E[out] = (1 − p)·x/(1 − p) = x."),
        mistakes=(
            Mistake(entries(x * keep), "The kept entries are unchanged: inverted dropout "
                                       f"divides them by 1 − p = {1 - p:g}, so that the "
                                       "expected output equals x."),
            Mistake(entries(x * keep * (1 - p)), "You multiply the kept entries by 1 − p: "
                                                 "divide by it instead, so that "
                                                 "E[out] = (1 − p)·x/(1 − p) = x."),
            Mistake(entries(x * keep / p), "Divide the kept entries by the probability to "
                                           f"keep them, 1 − p = {1 - p:g}, not by p."),
            Mistake(entries(x * ~keep / (1 - p)), "You kept the entries with r < p: p is the "
                                                  "probability to DROP, so an entry is kept "
                                                  "when r ≥ p."),
            Mistake(entries(x * ~keep), "You kept the entries with r < p and left them "
                                        "unscaled: p is the probability to drop, so keep the "
                                        "entries with r ≥ p and divide them by 1 − p."),
            Mistake(entries(x * (1 - p)), "That is the old, non-inverted dropout at "
                                          "evaluation time; in training each entry is either "
                                          "0 or x/(1 − p)."),
        ),
        hint=f"Keep the entries with r ≥ {p:g} and divide them by 1 − p; the others are 0.")


DROPOUT_ANSWER = _dropout_answer()


@_guarded
def check_dropout_by_hand(answer) -> Feedback:
    """Exercise 7.3, by hand: ``answer`` is the output of inverted dropout in training on
    :data:`DROPOUT_EXERCISE`, judged by ``DROPOUT_ANSWER`` as the HTML form is."""
    return DROPOUT_ANSWER.check(answer)
