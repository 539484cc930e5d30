"""The exercise checks of chapter 2: right answers pass, typical mistakes get their message."""

import numpy as np
import pytest

from nnlib.exercises import (
    LR_EXERCISE_ETAS,
    SGD_STEP_EXERCISE,
    check_batch_indices,
    check_epoch_batches,
    check_lr_regimes,
    check_sgd_step,
)
from nnlib.exercises.ch02_training_sgd import (
    BATCH_INDICES_ANSWER,
    BATCH_ORDER_EXERCISE,
    check_batch_indices_by_hand,
    check_sgd_step_by_hand,
)


def text(feedback) -> str:
    return "\n".join(feedback.messages)


@pytest.mark.parametrize("check", [check_sgd_step, check_batch_indices, check_lr_regimes,
                                   check_epoch_batches, check_sgd_step_by_hand,
                                   check_batch_indices_by_hand])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check, attempt", [
    (check_sgd_step, lambda *args: ...),
    (check_sgd_step, lambda *args: (..., ...)),
    (check_batch_indices, lambda *args: ...),
    (check_lr_regimes, {eta: ... for eta in LR_EXERCISE_ETAS}),
    (check_epoch_batches, (..., ...)),
    (check_sgd_step_by_hand, (0.79375, ...)),
    (check_batch_indices_by_hand, (4, (..., ..., ...), ...)),
])
def test_partial_placeholders_are_not_attempted(check, attempt):
    fb = check(attempt)
    assert not fb and "Replace `...`" in text(fb)


# ---- 2.1 one SGD step -------------------------------------------------------------------

def right_step(w, b, x, y, lr):
    r = w * x + b - y
    return w - lr * np.mean(2 * r * x), b - lr * np.mean(2 * r)


def test_sgd_step_right_answer():
    fb = check_sgd_step(right_step)
    assert fb
    # the numbers in the message are the hand computation for the exercise's batch
    ex = SGD_STEP_EXERCISE
    x, y = np.array(ex["x"]), np.array(ex["y"])
    r = ex["w"] * x + ex["b"] - y            # (-1.7, -2.2, -0.7, -0.95)
    assert np.allclose(r, [-1.7, -2.2, -0.7, -0.95])
    w_new = ex["w"] - ex["lr"] * np.mean(2 * r * x)
    assert f"{w_new:.4f}" in text(fb)


def sequential_step(w, b, x, y, lr):
    w = w - lr * np.mean(2 * (w * x + b - y) * x)
    return w, b - lr * np.mean(2 * (w * x + b - y))


@pytest.mark.parametrize("wrong, expected", [
    (lambda w, b, x, y, lr: (w + lr * np.mean(2 * (w * x + b - y) * x),
                             b + lr * np.mean(2 * (w * x + b - y))), "uphill"),
    (lambda w, b, x, y, lr: (w - lr * np.sum(2 * (w * x + b - y) * x),
                             b - lr * np.sum(2 * (w * x + b - y))), "*mean* gradient"),
    (lambda w, b, x, y, lr: (w - lr * np.mean((w * x + b - y) * x),
                             b - lr * np.mean(w * x + b - y)), "factor 2"),
    (lambda w, b, x, y, lr: (right_step(w, b, x, y, lr)[0], b), "b is not updated"),
    (lambda w, b, x, y, lr: (w - lr * np.mean(2 * (w * x + b - y)),
                             right_step(w, b, x, y, lr)[1]), "missing the factor x"),
    (sequential_step, "old (w, b)"),
    (lambda w, b, x, y, lr: (w, b), "Compute r = w x + b − y"),
    (lambda w, b, x, y, lr: right_step(w, b, x, y, lr)[0], "pair"),
    (lambda w, b, x, y, lr: (x, b), "single numbers"),
    (lambda w, b, x, y, lr: x @ np.ones(2), "ValueError"),
])
def test_sgd_step_mistakes(wrong, expected):
    fb = check_sgd_step(wrong)
    assert not fb and expected in text(fb)


# ---- 2.1, by hand: the numbers after one step -------------------------------------------

def test_sgd_step_by_hand_right_answer():
    ex = SGD_STEP_EXERCISE
    w_new, b_new = right_step(ex["w"], ex["b"], np.array(ex["x"]), np.array(ex["y"]), ex["lr"])
    assert np.isclose(w_new, 0.79375) and np.isclose(b_new, 0.0775)
    fb = check_sgd_step_by_hand((w_new, b_new))
    assert fb and "(0.79375, 0.0775)" in text(fb)
    assert check_sgd_step_by_hand((0.7938, 0.0775))        # rounded to 4 digits
    assert check_sgd_step_by_hand(np.array([0.79375, 0.0775]))


@pytest.mark.parametrize("answer, expected", [
    ((-2.9375, -2.775), "Those are the gradients"),
    ((0.20625, -0.4775), "uphill"),
    ((1.675, 0.91), "*mean* gradient"),
    ((0.646875, -0.06125), "factor 2"),
    ((0.79375, -0.2), "b is not updated"),
    ((0.7775, 0.0775), "missing the factor x"),
    ((0.79375, 0.04078125), "old (w, b)"),
    ((0.5, -0.2), "Not right yet: new w, new b"),
    ((0.79375,), "Give 2 entries (new w, new b)"),
    ((0.79375, "0.0775?"), "new b: give a finite number"),
])
def test_sgd_step_by_hand_mistakes(answer, expected):
    fb = check_sgd_step_by_hand(answer)
    assert not fb and expected in text(fb)


# ---- 2.2 mini-batch indices -------------------------------------------------------------

def right_batches(n, B, rng):
    order = rng.permutation(n)
    return [order[i:i + B] for i in range(0, n, B)]


def test_batch_indices_right_answer():
    assert check_batch_indices(right_batches)
    # a generator of batches is fine too
    assert check_batch_indices(lambda n, B, rng: (b for b in right_batches(n, B, rng)))


def slices(order, B):
    return [order[i:i + B] for i in range(0, len(order), B)]


@pytest.mark.parametrize("wrong, expected", [
    (lambda n, B, rng: [rng.integers(0, n, B) for _ in range(-(-n // B))], "appears"),
    (lambda n, B, rng: [rng.permutation(n)[i:i + B] for i in range(0, n, B)], "appears"),
    (lambda n, B, rng: right_batches(n, B, rng)[: n // B], "⌈n/B⌉"),
    (lambda n, B, rng: slices(np.arange(n), B), "shuffles"),
    (lambda n, B, rng: [rng.permutation(n)], "sizes"),
    (lambda n, B, rng: slices(np.random.default_rng().permutation(n), B), "same seed"),
    (lambda n, B, rng: slices(np.random.default_rng(5).permutation(n), B), "Different seeds"),
    (lambda n, B, rng: slices(rng.permutation(n) + 1, B), "indices run from 0"),
    (lambda n, B, rng: slices(rng.permutation(n) / 1, B), "integer"),
    (lambda n, B, rng: 5, "list of index arrays"),
])
def test_batch_indices_mistakes(wrong, expected):
    fb = check_batch_indices(wrong)
    assert not fb and expected in text(fb)


# ---- 2.3 learning-rate regimes ----------------------------------------------------------

RIGHT_REGIMES = {0.1: "converges", 0.5: "converges", 0.9: "converges",
                 1.0: "oscillates forever", 1.1: "diverges"}


def test_lr_regimes_right_answer():
    assert check_lr_regimes(RIGHT_REGIMES)
    assert check_lr_regimes({k: v.upper() + " " for k, v in RIGHT_REGIMES.items()})


@pytest.mark.parametrize("change, expected", [
    ({0.5: "diverges"}, "lands exactly on the minimum"),
    ({0.9: "diverges"}, "sign flips every step"),
    ({0.1: "oscillates forever"}, "shrinks by the factor 0.8"),
    ({1.0: "converges"}, "between w₀ and −w₀"),
    ({1.1: "converges"}, "grows every step"),
    ({1.1: "explodes"}, "one of"),
])
def test_lr_regimes_mistakes(change, expected):
    fb = check_lr_regimes({**RIGHT_REGIMES, **change})
    assert not fb and expected in text(fb)


def test_lr_regimes_missing_and_unknown_keys():
    fb = check_lr_regimes({k: v for k, v in RIGHT_REGIMES.items() if k != 1.1})
    assert not fb and "η = 1.1 is missing" in text(fb)
    fb = check_lr_regimes({**RIGHT_REGIMES, 2.0: "diverges"})
    assert not fb and "Unexpected key" in text(fb)
    fb = check_lr_regimes(["converges"])
    assert not fb and "Give 5 entries (η = 0.1, η = 0.5, η = 0.9, η = 1, η = 1.1)" in text(fb)
    # the words in the order of the learning rates are read as the dict is
    assert check_lr_regimes(list(RIGHT_REGIMES.values()))


def test_lr_regimes_junk_values_are_not_options():
    for bad in (3.0, None, True, ["converges"]):
        fb = check_lr_regimes({**RIGHT_REGIMES, 0.9: bad})
        assert not fb and "η = 0.9: choose one of the options" in text(fb)


def test_lr_regimes_first_wrong_rate_is_explained():
    fb = check_lr_regimes({**RIGHT_REGIMES, 0.1: "diverges", 1.1: "converges"})
    assert not fb and text(fb).startswith("η = 0.1 converges, not diverges")


# ---- 2.4 batches per epoch --------------------------------------------------------------

def test_epoch_batches_right_answer():
    fb = check_epoch_batches((57, 5))
    assert fb and "56 batches of 32" in text(fb)
    assert 56 * 32 + 5 == 1797


@pytest.mark.parametrize("answer, expected", [
    ((56, 5), "forgets the last"),
    ((1797 / 32, 5), "not a whole number"),
    ((60, 5), "each batch gives one update"),
    ((57, 32), "not a multiple"),
    ((57, 0), "would not exist"),
    ((57, 7), "n − 56·B"),
    (57, "Give 2 entries (updates, last batch)"),
    (("a", 5), "updates: give a finite number"),
    ((57.5, 5), "Not right yet: updates"),
])
def test_epoch_batches_mistakes(answer, expected):
    fb = check_epoch_batches(answer)
    assert not fb and expected in text(fb)


# ---- 2.2 by hand: one epoch cut into batches ---------------------------------------------

def test_batch_indices_by_hand_right_answer():
    ex = BATCH_ORDER_EXERCISE
    order = np.array(ex["order"])
    assert sorted(order.tolist()) == list(range(ex["n"]))           # a permutation
    batches = [order[i:i + ex["B"]] for i in range(0, ex["n"], ex["B"])]
    assert [b.tolist() for b in batches] == [[6, 2, 9], [0, 8, 4], [1, 7, 3], [5]]
    fb = check_batch_indices_by_hand((len(batches), batches[1], len(batches[-1])))
    assert fb and "4 batches: [6, 2, 9], [0, 8, 4], [1, 7, 3], [5]" in text(fb)
    assert check_batch_indices_by_hand([4, 0, 8, 4, 1])              # flat
    assert check_batch_indices_by_hand((4, (0, 8, 4), [1]))           # the size as a list
    assert BATCH_INDICES_ANSWER.digits is None


@pytest.mark.parametrize("answer, expected", [
    ((4, (3, 4, 5), 1), "original order"),                    # positions, not the indices
    ((4, (1, 7, 3), 1), "That is the third batch"),
    ((3, (0, 8, 4), 3), "⌊10/3⌋ = 3 batches leave out"),
    ((4, (0, 8, 4), 3), "10 − 3·3 = 1 example(s), not 3"),
    ((4, (0, 8, 4), 5), "Not right yet: size of the last batch"),  # the last index, not the size
    ((4, (0, 4, 8), 1), "Not right yet: batch 2, 2nd index, batch 2, 3rd index"),
    ((4, (0, 8, 4.5), 1), "Not right yet: batch 2, 3rd index"),  # indices are exact
    ((4, (0, 8), 5), "Give 5 entries"),
    ((4, (0, 8, "four"), 5), "batch 2, 3rd index: give a finite number"),
    ((4, (0, 8, True), 5), "give a finite number"),
])
def test_batch_indices_by_hand_mistakes(answer, expected):
    fb = check_batch_indices_by_hand(answer)
    assert not fb and expected in text(fb)
