"""Exercises of chapter 7, overfitting: early stopping, one step with weight
decay, inverted dropout and choosing λ on validation data.
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
    _has_placeholder,
    _items,
    _not_a_function,
    _number,
    _show,
)

__all__ = [
    "EARLY_STOPPING_CASES", "EARLY_STOP_BY_HAND", "LAMBDA_TABLE", "WEIGHT_DECAY_EXERCISE",
    "check_choose_lambda", "check_early_stop_by_hand", "check_early_stopping",
    "check_inverted_dropout", "check_weight_decay_step", "lambda_table_digits",
    "EARLY_STOP_MISTAKES", "EARLY_STOP_BY_HAND_ANSWER", "WEIGHT_DECAY_ANSWER",
    "CHOOSE_LAMBDA_ANSWER"
]

EARLY_STOPPING_CASES = (
    ((0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7), 3),
    ((0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7), 1),
    ((1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.78, 0.9), 2),
    ((1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.8, 0.78, 0.9), 3),
    ((1.0, 0.8, 0.9, 0.85, 0.88, 0.86, 0.87, 0.83), 3),
    ((0.5, 0.5, 0.5, 0.4), 2),
    ((0.5, 0.4, 0.3), 2),
    ((0.3,), 1),
)
"""Exercise 7.1 — ``(validation losses per epoch, patience)`` pairs the check runs."""


def _early_stopping_reference(losses, patience: int, *, ties_improve: bool = False,
                              vs_previous: bool = False, extra_wait: int = 0):
    """``(stop_epoch, best_epoch)``, epochs from 1, as ``nnlib.training.EarlyStopping`` decides;
    the keyword arguments produce the typical mistakes."""
    best, best_epoch, wait, prev = float("inf"), 0, 0, float("inf")
    for epoch, loss in enumerate(losses, start=1):
        if vs_previous:                       # a common misreading: compare with the last epoch
            better = loss < prev
            if loss < best:
                best, best_epoch = loss, epoch
        else:
            better = loss <= best if ties_improve else loss < best
            if better:
                best, best_epoch = loss, epoch
        prev = loss
        wait = 0 if better else wait + 1
        if wait >= patience + extra_wait:
            return epoch, best_epoch
    return len(losses), best_epoch


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
        rtol=0.0, atol=1e-9,
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
    got = []
    for losses, patience in EARLY_STOPPING_CASES:
        out, error = _call(early_stop, list(losses), patience)
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
             for losses, patience in EARLY_STOPPING_CASES]
    if got == right:
        return Feedback(True, ["Right on all eight cases: compare with the best loss so far, "
                               "count the epochs without improvement, stop when the count "
                               "reaches the patience, and keep the best epoch's weights."])
    for message, gives in EARLY_STOP_MISTAKES:
        if got == [tuple(float(v) for v in gives(losses, patience))
                   for losses, patience in EARLY_STOPPING_CASES]:
            return Feedback(False, [message])
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True)) if g != r)
    losses, patience = EARLY_STOPPING_CASES[k]
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


@_guarded
def check_inverted_dropout(dropout) -> Feedback:
    """Exercise 7.3: ``dropout(x, p, rng, training) -> out``, inverted dropout.

    In training each entry is zeroed with probability ``p`` (drawn from ``rng``) and the
    others are divided by ``1 − p``; in evaluation ``out`` is ``x`` itself.
    """
    import numpy as np

    not_ready = _not_a_function(dropout, "check_inverted_dropout")
    if not_ready is not None:
        return not_ready
    x = np.random.default_rng(7).uniform(0.5, 1.5, size=(100, 100))
    p = 0.25

    def call(x_in, p_in, seed, training):
        args = (x_in.copy(), p_in, np.random.default_rng(seed), training)
        out, error = _call(dropout, *args)
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
    # 10 000 entries: the dropped fraction has std sqrt(p(1-p)/10000) ≈ 0.004; 0.03 is 7 std
    if abs(frac - (1 - p)) < 0.03:
        return Feedback(False, [f"You drop {frac:.0%} of the entries with p = {p}: p is the "
                                "probability to DROP an entry, keep it with probability 1 − p "
                                "(e.g. `rng.random(x.shape) >= p`)."])
    if frac == 0:
        return Feedback(False, ["Nothing was dropped in training mode: zero each entry with "
                                "probability p, e.g. with `rng.random(x.shape) >= p` as the "
                                "keep mask."])
    if abs(frac - p) > 0.03:
        return Feedback(False, [f"You drop {frac:.1%} of the entries; with p = {p} about "
                                f"{p:.0%} should be zero."])
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
    out0, error = call(x, 0.0, 0, True)
    if error or not np.allclose(out0, x):
        return Feedback(False, [error or "With p = 0 nothing is dropped and nothing scaled: "
                                         "out must equal x."])
    return Feedback(True, [f"Inverted dropout: {frac:.1%} of the entries dropped (p = {p}), the "
                           f"rest scaled by 1/(1 − p) = {1 / (1 - p):.4g}, so the mean of the "
                           f"output, {out.mean():.4f}, stays close to that of x, "
                           f"{x.mean():.4f}; evaluation is the identity."])


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
