"""Exercises of chapter 2, training with mini-batch SGD: one SGD step,
mini-batch indices (in code and by hand), the regimes of the learning rate and counting updates.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _changed,
    _close,
    _derivative_ways,
    _float,
    _guarded,
    _has_placeholder,
    _items,
    _not_a_function,
    _number,
    _show,
    _watched_call,
)
from ._numbers import NOT_A_NUMBER

__all__ = [
    "EPOCH_EXERCISE", "LR_EXERCISE_ETAS", "LR_REGIMES", "SGD_STEP_EXERCISE",
    "check_batch_indices", "check_epoch_batches", "check_lr_regimes", "check_sgd_step",
    "check_sgd_step_by_hand", "SGD_STEP_BY_HAND_ANSWER", "BATCH_INDICES_ANSWER",
    "LR_REGIMES_ANSWER", "EPOCH_BATCHES_ANSWER", "BATCH_ORDER_EXERCISE",
    "check_batch_indices_by_hand"
]

SGD_STEP_EXERCISE = {"w": 0.5, "b": -0.2, "x": (1.0, 2.0, -1.0, 0.5), "y": (2.0, 3.0, 0.0, 1.0),
                     "lr": 0.1}
"""Exercise 2.1 — one SGD step for ``h(x) = w x + b`` with squared error on this batch."""

LR_EXERCISE_ETAS = (0.1, 0.5, 0.9, 1.0, 1.1)
"""Exercise 2.3 — the learning rates to classify for gradient descent on ``f(w) = w²``."""

LR_REGIMES = ("converges", "oscillates forever", "diverges")
"""Exercise 2.3 — the three possible answers."""


def _sgd_step_reference(w, b, x, y, lr, *, sign=1.0, scale=1.0, two=2.0, update_b=True,
                        w_uses_x=True, sequential=False):
    """One step of SGD on the batch mean of ``(w x + b − y)²``, and its typical mistakes."""
    import numpy as np

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r = w * x + b - y
    g_w = scale * np.mean(two * r * (x if w_uses_x else 1.0))
    w_new = w - sign * lr * g_w
    if sequential:                                   # b's gradient taken at the new w
        r = w_new * x + b - y
    g_b = scale * np.mean(two * r)
    return float(w_new), float(b - sign * lr * g_b) if update_b else float(b)


@_guarded
def check_sgd_step(sgd_step) -> Feedback:
    """Exercise 2.1: ``sgd_step(w, b, x, y, lr) -> (w_new, b_new)`` for ``h(x) = w x + b``
    and ``L = (h(x) − y)²``, with ``g`` the mean gradient over the batch ``(x, y)``."""
    import numpy as np

    not_ready = _not_a_function(sgd_step, "check_sgd_step")
    if not_ready is not None:
        return not_ready
    ex = SGD_STEP_EXERCISE
    cases = [(ex["w"], ex["b"], np.array(ex["x"]), np.array(ex["y"]), ex["lr"]),
             (-1.0, 2.0, np.array([0.3, -1.2, 2.0]), np.array([1.0, -0.5, 0.25]), 0.05)]
    for w, b, x, y, lr in cases:
        args = (x.copy(), y.copy())
        got, error = _call(sgd_step, w, b, *args, lr)
        if error:
            return Feedback(False, [error + "."])
        changed = _changed(("x", "y"), (x, y), args)
        if changed:
            return Feedback(False, [f"Your function changed the batch {' and '.join(changed)} "
                                    "in place (e.g. `x -= ...`): the training data must stay as "
                                    "it is for the next step. Compute new arrays instead."])
        if _has_placeholder(got):
            return Feedback(False, [_TODO])
        items = _items(got, 2)
        if items is None:
            return Feedback(False, [f"Return the pair (w_new, b_new), got {_show(got)}."])
        why = next((why for _, why in map(_float, items) if why), None)
        if why:
            return Feedback(False, [f"w_new and b_new are single numbers, got {why}."])
        pair = tuple(_number(v) for v in items)
        right = _sgd_step_reference(w, b, x, y, lr)
        if _close(pair, right):
            continue
        B = len(x)
        variants = {
            "You step uphill: the update is w ← w − η g (minus), which lowers the loss.":
                dict(sign=-1.0),
            f"g is the *mean* gradient over the batch, (1/B) Σ ∇L, not the sum: yours is "
            f"B = {B} times too large.": dict(scale=float(B)),
            "The factor 2 of the derivative of (h − y)² is missing: ∂L/∂w = 2(h − y)x.":
                dict(two=1.0),
            "b is not updated: the bias is a parameter too, with ∂L/∂b = 2(h − y).":
                dict(update_b=False),
            "∂L/∂w is missing the factor x: ∂L/∂w = 2(h(x) − y)·x (chain rule through w x).":
                dict(w_uses_x=False),
            "Compute both gradients at the old (w, b) before updating either: your b-step "
            "uses the already updated w.": dict(sequential=True),
        }
        for message, kwargs in variants.items():
            if _close(pair, _sgd_step_reference(w, b, x, y, lr, **kwargs)):
                return Feedback(False, [message])
        return Feedback(False, [f"For w = {w:g}, b = {b:g}, η = {lr:g} and this batch the step "
                                f"gives (w, b) = ({right[0]:.4f}, {right[1]:.4f}), yours "
                                f"({pair[0]:.4f}, {pair[1]:.4f}). Compute r = w x + b − y, "
                                "g_w = mean(2 r x), g_b = mean(2 r), then step."])
    from .. import autograd, gradcheck, layers, losses, optim, training

    w, b, x, y, lr = cases[1]
    called, trick = _derivative_ways(sgd_step, (w, b, x.copy(), y.copy(), lr), (w, b),
                                     forbidden=(autograd, gradcheck, layers, losses, optim,
                                                training))
    if called:
        return Feedback(False, [f"Your function calls {called[0]}: nnlib computes the gradient "
                                "or the step for you, and then this check cannot see yours. "
                                "Write the two gradients, mean(2 r x) and mean(2 r) with "
                                "r = w x + b − y, and the step yourself."])
    if trick:
        way = ("evaluates the loss at complex parameters (a complex-step derivative)"
               if trick == "complex" else
               "evaluates the loss a small step away from w or b (a difference quotient, a "
               "numerical derivative)")
        return Feedback(False, [f"Your step is right, but your function {way}: the exercise "
                                "asks for the gradients by their formulas, g_w = mean(2 r x) "
                                "and g_b = mean(2 r) with r = w x + b − y."])
    w_new, b_new = _sgd_step_reference(*cases[0])
    return Feedback(True, [f"One step moves (w, b) from ({ex['w']:g}, {ex['b']:g}) to "
                           f"({w_new:.4f}, {b_new:.4f})."])


def _sgd_step_by_hand_answer() -> ValueAnswer:
    """The truth of the by-hand part of Exercise 2.1, from :data:`SGD_STEP_EXERCISE`."""
    import numpy as np

    ex = SGD_STEP_EXERCISE
    args = (ex["w"], ex["b"], ex["x"], ex["y"], ex["lr"])
    B = len(ex["x"])
    x, y = np.array(ex["x"]), np.array(ex["y"])
    r = ex["w"] * x + ex["b"] - y
    g_w, g_b = float(np.mean(2 * r * x)), float(np.mean(2 * r))
    w_new, b_new = _sgd_step_reference(*args)
    variants = (
        (dict(sign=-1.0), "You step uphill: the update is w ← w − η g (minus), which lowers "
                          "the loss."),
        (dict(scale=float(B)), f"g is the *mean* gradient over the batch, (1/B) Σ ∇L, not "
                               f"the sum: your step is B = {B} times too large."),
        (dict(two=1.0), "The factor 2 of the derivative of (h − y)² is missing: "
                        "∂L/∂w = 2(h − y)x."),
        (dict(update_b=False), "b is not updated: the bias is a parameter too, with "
                               "∂L/∂b = 2(h − y)."),
        (dict(w_uses_x=False), "∂L/∂w is missing the factor x: ∂L/∂w = 2(h(x) − y)·x "
                               "(chain rule through w x)."),
        (dict(sequential=True), "Compute both gradients at the old (w, b) before updating "
                                "either: your b-step uses the already updated w."),
    )
    residuals = ", ".join(f"{v:g}" for v in r)
    return ValueAnswer(
        exercise="2.1", labels=("new w", "new b"), expected=(w_new, b_new),
        check_name="check_sgd_step_by_hand",
        success=(f"r = w x + b − y = ({residuals}), g_w = mean(2 r x) = {g_w:g} and "
                 f"g_b = mean(2 r) = {g_b:g}; both are negative, so the step raises w and b: "
                 f"(w, b) = ({w_new:g}, {b_new:g})."),
        mistakes=(
            Mistake((g_w, g_b), "Those are the gradients (g_w, g_b); the new parameters are "
                                "w − η g_w and b − η g_b."),
            *(Mistake(_sgd_step_reference(*args, **kwargs), message)
              for kwargs, message in variants),
        ),
        hint=("Compute the residuals r = w x + b − y for the four examples, then "
              "g_w = mean(2 r x), g_b = mean(2 r), and step: w − η g_w, b − η g_b."))


SGD_STEP_BY_HAND_ANSWER = _sgd_step_by_hand_answer()


@_guarded
def check_sgd_step_by_hand(answer) -> Feedback:
    """Exercise 2.1, by hand: ``answer = (w_new, b_new)`` after one SGD step from
    :data:`SGD_STEP_EXERCISE`, judged by ``SGD_STEP_BY_HAND_ANSWER`` as the HTML form is."""
    return SGD_STEP_BY_HAND_ANSWER.check(answer)


def _ch02_index_arrays(got) -> list | None:
    """The batches ``got`` (a list, an array or a generator of them) as a list of arrays,
    or None if it is not a sequence of arrays or lists of numbers."""
    import numpy as np

    if isinstance(got, (str, bytes, dict)) or (isinstance(got, np.ndarray) and got.ndim == 0):
        return None
    try:
        batches = [np.asarray(idx) for idx in got]
    except Exception:                   # ragged or unusable entries: not index arrays
        return None
    return batches if all(b.dtype.kind in "biufO" for b in batches) else None


@_guarded
def check_batch_indices(batch_indices) -> Feedback:
    """Exercise 2.2: ``batch_indices(n, B, rng)`` returns one epoch of mini-batches as a list
    of integer index arrays: a fresh shuffle from ``rng``, every example exactly once,
    ``⌈n/B⌉`` batches of ``B`` (the last one possibly smaller)."""
    import numpy as np

    not_ready = _not_a_function(batch_indices, "check_batch_indices")
    if not_ready is not None:
        return not_ready
    results = {}
    for n, B in [(10, 3), (12, 4), (5, 8), (7, 1), (100, 16)]:
        got, error = _call(batch_indices, n, B, np.random.default_rng(0))
        if error:
            return Feedback(False, [f"batch_indices({n}, {B}, rng): {error}."])
        if got is ...:
            return Feedback(False, [_TODO])
        call = f"batch_indices({n}, {B}, rng)"
        batches = _ch02_index_arrays(got)
        if batches is None:
            return Feedback(False, [f"{call} should return a list of index arrays, got "
                                    f"{_show(got)}."])
        if any(idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu") for idx in batches):
            return Feedback(False, [f"{call}: every batch should be a 1-D array of integer "
                                    "indices (e.g. a slice of rng.permutation(n))."])
        flat = np.concatenate(batches) if batches else np.array([], dtype=int)
        counts = np.bincount(flat[(flat >= 0) & (flat < n)], minlength=n)
        n_batches = -(-n // B)
        if flat.size and (flat.min() < 0 or flat.max() >= n):
            return Feedback(False, [f"{call} returns index {flat.max()}: indices run from 0 "
                                    f"to n − 1 = {n - 1}."])
        if np.any(counts > 1):
            dup = int(np.flatnonzero(counts > 1)[0])
            return Feedback(False, [f"{call}: example {dup} appears {counts[dup]} times in one "
                                    "epoch. Shuffle once per epoch (rng.permutation(n)) and "
                                    "cut that one order into consecutive slices: drawing new "
                                    "random indices for every batch repeats some examples "
                                    "and skips others."])
        if np.any(counts == 0):
            missing = np.flatnonzero(counts == 0).tolist()
            hint = (f" The last {n % B} examples of the shuffled order form a smaller, last "
                    f"batch: there are ⌈n/B⌉ = {n_batches} batches, not ⌊n/B⌋ = {n // B}."
                    if len(batches) == n // B and n % B else "")
            return Feedback(False, [f"{call} never uses example(s) {missing}: an epoch must "
                                    f"visit every example exactly once.{hint}"])
        sizes = [len(idx) for idx in batches]
        want = [B] * (n // B) + ([n % B] if n % B else [])
        if sizes != want:
            return Feedback(False, [f"{call} gives batches of sizes {sizes}; expected "
                                    f"{want}: B examples each, the remainder in the last."])
        results[(n, B)] = flat
    if all(np.array_equal(flat, np.arange(len(flat))) for flat in results.values()):
        return Feedback(False, ["Every batch comes in the original order 0, 1, 2, …: step 1 "
                                "of the algorithm shuffles the examples every epoch "
                                "(rng.permutation(n))."])
    again, other = (_ch02_index_arrays(_call(batch_indices, 12, 4, np.random.default_rng(seed))[0])
                    for seed in (0, 1))
    again, other = (np.concatenate(b) if b else np.array([], dtype=int) for b in (again, other))
    if not np.array_equal(again, results[(12, 4)]):
        return Feedback(False, ["The same seed gives a different order: draw the shuffle from "
                                "the rng argument (rng.permutation(n)), not from np.random."])
    if np.array_equal(other, results[(12, 4)]):
        return Feedback(False, ["Different seeds give the same order: use the rng argument to "
                                "shuffle (rng.permutation(n))."])
    from .. import training

    before = np.random.get_state()           # noqa: NPY002 (the reader must not change it)
    seen = _watched_call(batch_indices, 12, 4, np.random.default_rng(0), forbidden=(training,))
    after = np.random.get_state()            # noqa: NPY002
    if seen.called:
        return Feedback(False, [f"Your function calls {seen.called[0]}: nnlib makes the batches "
                                "for you, and then this check cannot see your own. Shuffle "
                                "with rng.permutation(n) and cut the order into slices "
                                "yourself."])
    if not (np.array_equal(before[1], after[1]) and before[2:] == after[2:]):
        return Feedback(False, ["Your function changes numpy's global random state (np.random."
                                "seed, np.random.permutation, ...): draw the order from the "
                                "`rng` argument only, so that no other code's random numbers "
                                "change."])
    # one epoch of 100 examples for 30 seeds: a shuffle splits them differently every time
    seeds = 30
    splits = set()
    for seed in range(seeds):
        batches = _ch02_index_arrays(_call(batch_indices, 100, 16,
                                           np.random.default_rng(seed))[0]) or []
        splits.add(frozenset(frozenset(np.asarray(idx).tolist()) for idx in batches))
    if len(splits) < seeds:
        return Feedback(False, [f"For n = 100, B = 16 and {seeds} different seeds your function "
                                f"splits the examples into batches in only {len(splits)} "
                                "different ways: its order comes from a few possibilities only "
                                "(a few seeds, a rotation, fixed batches in a new order), "
                                "while rng.permutation(n) can give any of the 100! orders. "
                                "Shuffle all n examples with rng.permutation(n)."])
    return Feedback(True, ["Every example exactly once per epoch, in ⌈n/B⌉ batches, in an order "
                           "drawn from rng: this is what nnlib.training.minibatches does."])


BATCH_ORDER_EXERCISE = {"n": 10, "B": 3, "order": (6, 2, 9, 0, 8, 4, 1, 7, 3, 5)}
"""Exercise 2.2 — one epoch of ``n = 10`` examples in batches of ``B = 3``, with the order
that ``rng.permutation(10)`` gave, to cut into batches by hand."""


def _batch_indices_answer() -> ValueAnswer:
    """The truth of Exercise 2.2 by hand: the number of batches, the second batch and the
    size of the last batch of :data:`BATCH_ORDER_EXERCISE`, and what the known mistakes
    give. The size, not the last batch's indices: fields for those would say how many
    there are, which is half the question."""
    n, B, order = (BATCH_ORDER_EXERCISE[k] for k in ("n", "B", "order"))
    batches = [order[i:i + B] for i in range(0, n, B)]
    unshuffled = tuple(range(n))[B:2 * B]

    def floats(*values):
        return tuple(float(v) for v in values)

    return ValueAnswer(
        exercise="2.2",
        labels=("number of batches", "batch 2, 1st index", "batch 2, 2nd index",
                "batch 2, 3rd index", "size of the last batch"),
        expected=floats(len(batches), *batches[1], len(batches[-1])),
        check_name="check_batch_indices_by_hand", digits=None,    # counts and indices: exact
        success=(f"{len(batches)} batches: {', '.join(str(list(b)) for b in batches)}. The "
                 f"order is cut into consecutive slices, order[{B}:{2 * B}] is the second, and "
                 f"what is left over, {list(batches[-1])}, makes a smaller last batch."),
        mistakes=(
            Mistake((None, *floats(*unshuffled), None),
                    f"Those are the positions {unshuffled} in the epoch, the original order: "
                    f"a batch holds the examples the shuffled order puts there, "
                    f"order[{B}:{2 * B}]."),
            Mistake((None, *floats(*batches[2]), None),
                    f"That is the third batch, order[{2 * B}:{3 * B}]: the batches are "
                    f"counted from 1, so batch 2 is order[{B}:{2 * B}]."),
            Mistake((float(n // B), None, None, None, None),
                    f"⌊{n}/{B}⌋ = {n // B} batches leave out what is left over, "
                    f"{list(batches[-1])}: an epoch uses every example, so there are "
                    f"⌈{n}/{B}⌉ = {len(batches)} batches, the last one smaller."),
            Mistake((None, None, None, None, float(B)),
                    f"The last batch holds what is left over after {len(batches) - 1} full "
                    f"batches: {n} − {len(batches) - 1}·{B} = {len(batches[-1])} example(s), "
                    f"not {B}."),
        ),
        hint=(f"Cut the order into consecutive slices of {B}: order[0:{B}], order[{B}:{2 * B}], "
              "…; what is left over is the last batch."))


BATCH_INDICES_ANSWER = _batch_indices_answer()


@_guarded
def check_batch_indices_by_hand(answer) -> Feedback:
    """Exercise 2.2, by hand: ``answer = (number of batches, second batch, size of the last
    batch)``
    for :data:`BATCH_ORDER_EXERCISE`, judged by ``BATCH_INDICES_ANSWER`` as the HTML form
    is."""
    return BATCH_INDICES_ANSWER.check(answer)


def _lr_regimes_answer() -> ValueAnswer:
    """The truth of Exercise 2.3: the regime of gradient descent on ``f(w) = w²`` for each
    η of :data:`LR_EXERCISE_ETAS` (the factor ``1 − 2η`` decides)."""
    right, mistakes = [], []
    n = len(LR_EXERCISE_ETAS)
    for i, eta in enumerate(LR_EXERCISE_ETAS):
        r = 1 - 2 * eta
        regime = ("converges" if abs(r) < 1 else "oscillates forever" if abs(r) == 1
                  else "diverges")
        right.append(regime)
        why = f"w_(t+1) = w_t − η·2w_t = (1 − 2η) w_t = ({r:g}) w_t"
        if regime == "converges" and r == 0:
            why += ": the first step lands exactly on the minimum w = 0"
        elif regime == "converges" and r < 0:
            why += f": the sign flips every step, but |{r:g}| < 1 so w shrinks to 0"
        elif regime == "converges":
            why += f": w shrinks by the factor {r:g} every step"
        elif regime == "oscillates forever":
            why += ": w jumps between w₀ and −w₀ forever"
        else:
            why += f": |{r:g}| > 1, so |w| grows every step"
        for wrong in LR_REGIMES:
            if wrong != regime:
                entries = tuple(wrong if k == i else None for k in range(n))
                mistakes.append(Mistake(entries, f"η = {eta:g} {regime}, not {wrong}: {why}."))
    return ValueAnswer(
        exercise="2.3", labels=tuple(f"η = {eta:g}" for eta in LR_EXERCISE_ETAS),
        expected=tuple(right), options=LR_REGIMES, check_name="check_lr_regimes",
        success=("Right: w_t = (1 − 2η)^t w₀ converges exactly when |1 − 2η| < 1, i.e. "
                 "0 < η < 1 = 2/a with a = f'' = 2."),
        mistakes=tuple(mistakes),
        hint="w_(t+1) = (1 − 2η) w_t: compute the factor 1 − 2η for each η.")


LR_REGIMES_ANSWER = _lr_regimes_answer()


@_guarded
def check_lr_regimes(answer) -> Feedback:
    """Exercise 2.3: ``answer[η]`` is one of :data:`LR_REGIMES` for gradient descent
    ``w ← w − η f'(w)`` on ``f(w) = w²``, for each η in :data:`LR_EXERCISE_ETAS`, judged by
    ``LR_REGIMES_ANSWER`` as the HTML form is.

    The dict becomes the entries in the order of :data:`LR_EXERCISE_ETAS` (words are
    compared without case and surrounding spaces); anything but a dict goes to the rule
    as it is."""
    if not isinstance(answer, dict):
        return LR_REGIMES_ANSWER.check(answer)
    given = {}
    for key, value in answer.items():
        eta = _number(key)
        match = [e for e in LR_EXERCISE_ETAS if eta is not None and abs(e - eta) < 1e-12]
        if not match:
            return Feedback(False, [f"Unexpected key {_show(key)}: the keys are the learning rates "
                                    f"{', '.join(map(str, LR_EXERCISE_ETAS))}."])
        given[match[0]] = (value.strip().lower() if isinstance(value, str)
                           else value if value is ... else NOT_A_NUMBER)
    missing = [eta for eta in LR_EXERCISE_ETAS if eta not in given]
    if missing and not any(v is ... for v in given.values()):
        return Feedback(False, [f"η = {missing[0]:g} is missing: give one answer for each "
                                "learning rate."])
    return LR_REGIMES_ANSWER.check([given.get(eta, ...) for eta in LR_EXERCISE_ETAS])


EPOCH_EXERCISE = {"n": 1797, "B": 32}
"""Exercise 2.4 — one epoch over ``n`` examples in mini-batches of ``B``."""


def _epoch_batches_answer() -> ValueAnswer:
    """The truth of Exercise 2.4, from :data:`EPOCH_EXERCISE`."""
    n, B = EPOCH_EXERCISE["n"], EPOCH_EXERCISE["B"]
    full, left = n // B, n % B
    return ValueAnswer(
        exercise="2.4", labels=("updates", "last batch"), expected=(float(full + 1), float(left)),
        check_name="check_epoch_batches", digits=None,        # counts: exact
        success=f"⌈{n}/{B}⌉ = {full + 1} updates per epoch: {full} batches of {B} and a last "
                f"one of {left}.",
        mistakes=(
            Mistake((float(full), None), f"{full} = ⌊n/B⌋ forgets the last, partial batch: "
                                         f"{full}·{B} = {full * B} < {n}, so {left} examples "
                                         "are left over and make one more update."),
            Mistake((n / B, None), f"n/B = {n / B:g} is not a whole number of updates: count "
                                   "the batches, the last one partial."),
            Mistake((None, float(B)), f"{n} is not a multiple of {B}: the last batch holds "
                                      "only what is left over."),
            Mistake((None, 0.0), "A last batch of 0 examples would not exist: what is left "
                                 f"over after {full} full batches?"),
        ),
        hint=(f"Count the batches: each batch gives one update, and B = {B} examples make a "
              f"batch; the last batch holds n − {full}·B examples."))


EPOCH_BATCHES_ANSWER = _epoch_batches_answer()


@_guarded
def check_epoch_batches(answer) -> Feedback:
    """Exercise 2.4: ``answer = (updates, last)`` for ``n = 1797`` examples and ``B = 32``: the
    number of updates in one epoch and the size of its last batch, judged by
    ``EPOCH_BATCHES_ANSWER`` as the HTML form is."""
    return EPOCH_BATCHES_ANSWER.check(answer)
