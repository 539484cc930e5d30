"""Every ``check_...`` of :mod:`nnlib.exercises` against a battery of broken attempts, and
against one right and one typical wrong answer each.

The book promises that a check never raises at the reader and never calls junk correct.
The checks are discovered with ``dir(nnlib.exercises)``: a new check fails here until it is
added to :data:`RIGHT_AND_WRONG`, which says how to call it.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import nnlib.exercises as ex
from nnlib.exercises import Feedback
from nnlib.exercises._feedback import _CHECK_FAILED

CHECKS = sorted(name for name in dir(ex) if name.startswith("check_"))

nan, inf = float("nan"), float("inf")
HUGE = 10 ** 400


# -- right answers, written as a reader would ------------------------------------------

def stable_sigmoid(z):
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + u), u / (1 + u))


def stable_softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def linear_backward(X, W, G):
    return X.T @ G, G.sum(axis=0), G @ W.T


def conv_loops(image, kernel, stride, padding):
    image = np.pad(image, padding)
    k = kernel.shape[0]
    h = (image.shape[0] - k) // stride + 1
    w = (image.shape[1] - k) // stride + 1
    out = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = np.sum(image[i * stride:i * stride + k, j * stride:j * stride + k]
                               * kernel)
    return out


def conv_backward_loops(x, W, g, stride, padding, flip=False):
    xp = np.pad(x, padding)
    k = W.shape[0]
    K = W[::-1, ::-1] if flip else W
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for h in range(g.shape[0]):
        for w in range(g.shape[1]):
            window = (slice(h * stride, h * stride + k), slice(w * stride, w * stride + k))
            dW += g[h, w] * xp[window]
            dxp[window] += g[h, w] * K
    H, Wd = x.shape
    return dxp[padding:padding + H, padding:padding + Wd], dW, g.sum()


def early_stop(losses, patience):
    best, best_epoch, wait = inf, 0, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(losses), best_epoch


def dropout(x, p, rng, training):
    if not training:
        return x
    return x * (rng.random(x.shape) >= p) / (1 - p)


def confusion(y_true, y_pred, k):
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def precision_recall(cm):
    diag = np.diag(cm).astype(float)
    rows, cols = cm.sum(axis=1), cm.sum(axis=0)
    return (np.divide(diag, cols, out=np.zeros(len(cm)), where=cols > 0),
            np.divide(diag, rows, out=np.zeros(len(cm)), where=rows > 0))


def most_confused(cm):
    both = cm + cm.T
    np.fill_diagonal(both, -1)
    return np.unravel_index(np.argmax(both), both.shape)


def majority(y_train, y_test):
    return np.mean(y_test == np.bincount(y_train).argmax())


def sigmoid_backward(x1, y, w1, w2, w3, sign=1.0):
    hin = w1 * x1 + w2 * x1 + 3
    hout = 1 / (1 + math.exp(-hin))
    diff = w3 * hout - y
    de_hin = 2 * diff * w3 * hout * (1 - hout)
    return tuple(sign * g for g in (de_hin * x1, de_hin * x1, 2 * diff * hout))


def sgd_step(w, b, x, y, lr, sign=1.0):
    r = w * x + b - y
    return w - sign * lr * np.mean(2 * r * x), b - sign * lr * np.mean(2 * r)


def dead_units(X, layer):
    return np.all(X @ layer.W.value + layer.b.value <= 0, axis=0)


def naive_sigmoid_silenced(z):
    """The naive formula with its overflow warning silenced: right values, but e^1000."""
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


W_DECAY = (np.array([[0.44, -0.92], [1.83, 0.0]]), np.array([0.48, -0.51]))
LAMBDA = (0.001, 0.3069)
SHAPES = [((784, 128), (128,)), ((128, 64), (64,)), ((64, 10), (10,))]
TARGETS = ["multi-label", "multi-class", "multi-class", "multi-label", "multi-label"]
REGIMES = {0.1: "converges", 0.5: "converges", 0.9: "converges", 1.0: "oscillates forever",
           1.1: "diverges"}
EDGE = [[23, 14], [16, -11]]
POOL = [[6, 5], [8, 7]]
CE = -(math.log(0.2) + math.log(0.8)) / 2

# name: (right answer, a typical wrong answer, a distinctive part of its message)
RIGHT_AND_WRONG = {
    "check_neuron": ((-2.0, 0.0), (-3.0, 0.0), "add the bias"),
    "check_forward_pass": (lambda x, W1, b1, W2, b2: np.maximum(x @ W1 + b1, 0) @ W2 + b2,
                           lambda x, W1, b1, W2, b2: (x @ W1 + b1) @ W2 + b2, "No ReLU"),
    "check_parameter_count": (lambda s: sum(a * b + b for a, b in zip(s[:-1], s[1:], strict=True)),
                              lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=True)),
                              "counts the weights only"),
    "check_collapse": (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2),
                       lambda W1, b1, W2, b2: (W1 @ W2, b2), "misses b¹"),
    "check_sgd_step": (sgd_step, lambda *a: sgd_step(*a, sign=-1.0), "step uphill"),
    "check_batch_indices": (lambda n, B, rng: np.array_split(rng.permutation(n),
                                                             range(B, n, B)),
                            lambda n, B, rng: [np.arange(n)[i:i + B] for i in range(0, n, B)],
                            "original order"),
    "check_lr_regimes": (REGIMES, {**REGIMES, 1.0: "diverges"}, "oscillates forever, not"),
    "check_epoch_batches": ((57, 5), (56, 5), "forgets the last, partial batch"),
    "check_stable_sigmoid": (stable_sigmoid, lambda z: 1 / (1 + np.exp(z)), "the notes' slip"),
    "check_tanh_grad": (lambda z: 1 - np.tanh(z) ** 2, lambda z: 1 - np.tanh(z),
                        "forgot the square"),
    "check_dead_units": (dead_units, lambda X, layer: ~dead_units(X, layer),
                         "marked the live units"),
    "check_sigmoid_depth": (10, 9, "go deeper"),
    "check_sigmoid_backward": (sigmoid_backward, lambda *a: sigmoid_backward(*a, sign=-1.0),
                               "wrong sign"),
    "check_dead_example_gradient": ((0, 0, 0), (36.0, 36.0, 0.0), "lets the gradient"),
    "check_mul_backward": (lambda a, b, g: (b * g, a * g), lambda a, b, g: (a * g, b * g),
                           "operands are swapped"),
    "check_layer_shapes": (SHAPES, [((c, r), b) for (r, c), b in SHAPES],
                           "column-vector convention"),
    "check_linear_backward": (linear_backward,
                              lambda X, W, G: (G.T @ X, G.sum(axis=0), G @ W.T),
                              "W's transpose"),
    "check_relu_variance_gain": (lambda s2, d: d * s2 / 2, lambda s2, d: d * s2,
                                 "twice too large"),
    "check_conv_output_sizes": ([24, 14, 32, 3, 150], [23, 13, 31, 2, 149], "+1 is missing"),
    "check_edge_patch": (EDGE, [[-v for v in row] for row in EDGE], "wrong sign"),
    "check_max_pool": (POOL, [[3.5, 2.0], [2.75, 3.5]], "average pooling"),
    "check_convolve2d_loops": (conv_loops,
                               lambda im, k, s, p: conv_loops(im, k[::-1, ::-1], s, p),
                               "flips the kernel"),
    "check_conv_backward_loops": (conv_backward_loops,
                                  lambda x, W, g, s, p: conv_backward_loops(x, W, g, s, p, True),
                                  "the kernel is rotated by 180°"),
    "check_early_stopping": (early_stop, lambda losses, p: early_stop(losses, p)[::-1],
                             "the order is (stop_epoch, best_epoch)"),
    "check_weight_decay_step": (W_DECAY, (W_DECAY[0], np.array([0.43, -0.46])),
                                "bias is not decayed"),
    "check_inverted_dropout": (dropout, lambda x, p, rng, t: x * (rng.random(x.shape) >= p)
                               if t else x, "kept entries are unchanged"),
    "check_choose_lambda": (LAMBDA, (0.001, 0.2823), "validation loss of the chosen λ"),
    "check_stable_softmax": (stable_softmax, lambda s: np.exp(s) / np.exp(s).sum(
                                 axis=1, keepdims=True), "overflows to inf"),
    "check_cross_entropy_value": (CE, 2 * CE, "mean"),
    "check_softmax_ce_grad": (lambda s, y: (stable_softmax(s) - np.eye(s.shape[1])[y])
                              / len(s), lambda s, y: stable_softmax(s) - np.eye(s.shape[1])[y],
                              "divide p − y by N"),
    "check_multi_label": (TARGETS, ["multi-class"] + TARGETS[1:], "two ones"),
    "check_confusion_matrix": (confusion, lambda t, p, k: confusion(t, p, k).T,
                               "Rows and columns are swapped"),
    "check_precision_recall": (precision_recall, lambda cm: precision_recall(cm)[::-1],
                               "swapped"),
    "check_most_confused": (most_confused, lambda cm: np.unravel_index(
        np.argmax(cm - np.diag(np.diag(cm))), cm.shape), "largest single entry"),
    "check_majority_baseline": (majority, lambda y_train, y_test: np.mean(
        y_test == np.bincount(y_test).argmax()), "majority class of y_test"),
    "check_count_prediction": (109386, 109184, "counts the weights only"),
    "check_forward_by_hand": ((1.0, 0.0, 3.0, 10.5), (1.0, -3.0, 3.0, 16.5), "No ReLU"),
    "check_sgd_step_by_hand": ((0.79375, 0.0775), (0.20625, -0.4775), "step uphill"),
    "check_slopes": ((0.25, 1.0, 0.10499358540350652), (0.5, 1.0, 0.10499358540350652),
                     "σ(0) = 0.5 is the value"),
    "check_dead_units_by_hand": (("alive", "dead", "alive"), ("dead", "alive", "alive"),
                                 "bias alone"),
    "check_early_stop_by_hand": ((5, 2), (2, 5), "You swapped them"),
    "check_ce_grad_by_hand": ((-0.8858, 0.8438, 0.0420), (0.8858, -0.8438, -0.0420),
                              "not y − p"),
    "check_confusion_by_hand": ([[1, 1, 0], [0, 1, 0], [1, 0, 2]],
                                [[1, 0, 1], [1, 1, 0], [0, 0, 2]], "Rows and columns are"),
    "check_precision_recall_by_hand": ((0.625, 0.8333), (0.8333, 0.625), "are swapped"),
    "check_most_confused_by_hand": ((0, 3, 4), (1, 2, 4), "largest single entry"),
    "check_sigmoid_gradients": ((0.1189, 0.1189, 1.568), (-0.1189, -0.1189, -1.568),
                                "wrong sign"),
    "check_mul_node_gradients": ((-3.0, 4.5), (4.5, -3.0), "operands are swapped"),
    "check_backward_shapes": (((64, 10), (10,), (32, 64)), ((10, 64), (10,), (32, 64)),
                              "W's transpose"),
    "check_std_growth": ((64, 8 ** 9), (64, 8 ** 10), "counts 10 layers"),
    "check_collapse_by_hand": (([[4, -2], [1, -1]], [1, 4]), ([[4, -2], [1, -1]], [0, 3]),
                               "misses b¹"),
    "check_batch_indices_by_hand": ((4, (0, 8, 4), 1), (4, (3, 4, 5), 1), "original order"),
    "check_stable_sigmoid_values": ((0.0, 0.1192, 0.8808, 1.0), (1.0, 0.8808, 0.1192, 0.0),
                                    "the notes' slip"),
    "check_tanh_grad_by_hand": ((0.64, 0.64), (0.4, 1.6), "forgot the square"),
    "check_convolve2d_by_hand": ((3, 3, -1, 5), (3, 3, 4, -2), "The kernel is flipped"),
    "check_conv_backward_by_hand": ((4, 1, 2, 3), (4, 1, 2, 0.75), "the mean of G"),
    "check_dropout_by_hand": ((0, 2.5, 0, 5), (0, 2, 0, 4), "kept entries are unchanged"),
    "check_softmax_by_hand": ([[0.0900, 0.2447, 0.6652]] * 2, [[0.5] * 3] * 2,
                              "columns sum to 1"),
    "check_majority_baseline_by_hand": ((2, 0.3), (0, 0.4), "majority class of y_test"),
}

FUNCTION_CHECKS = {name for name, (right, _, _) in RIGHT_AND_WRONG.items() if callable(right)}


# -- the battery -------------------------------------------------------------------------

def _raise(*args):
    raise RuntimeError("broken on purpose")


def _nan_like(*args):
    return np.full(np.shape(args[0]) if args else (), nan)


def _fill_inputs_with_nan(*args):
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            a.fill(nan)
    return [None] * len(args)


class Weird:
    """An object that breaks whatever is done with it."""

    def __getattr__(self, name):
        raise RuntimeError("weird")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("weird")

    def __float__(self):
        raise RuntimeError("weird")

    def __len__(self):
        raise RuntimeError("weird")

    def __iter__(self):
        raise RuntimeError("weird")

    def __eq__(self, other):
        raise RuntimeError("weird")

    __hash__ = object.__hash__

    def __repr__(self):
        return "Weird()"


VALUES = {
    "nan": nan, "inf": inf, "-inf": -inf, "None": None, "Ellipsis": ..., "text": "abc",
    "number words": "ten", "huge int": HUGE, "-huge int": -HUGE, "True": True, "False": False,
    "empty dict": {}, "dict": {"a": 1}, "ragged": [[1, 2], [3]], "empty list": [],
    "empty array": np.array([]), "np nan": np.float64(nan), "np int": np.int64(7),
    "np bool": np.bool_(True), "zeros 3x3": np.zeros((3, 3)), "zeros 7": np.zeros(7),
    "nan 2x2": np.full((2, 2), nan), "complex": 1 + 2j, "set": {1, 2},
    "generator": (i for i in range(3)), "pair nan": (nan, nan), "pair inf": (inf, -inf),
    "pair None": (None, None), "pair huge": (HUGE, HUGE), "pair text": ("1", "2"),
    "pair bool": (True, False), "triple nan": (nan, nan, nan), "triple bool": (False,) * 3,
    "triple None": (None, None, None), "pair of arrays": (np.zeros(2), np.zeros(2)),
    "nested huge": [[HUGE, 1], [1, 1]], "nested nan": [[nan, 1], [1, 1]],
    "nested None": [[None, None], [None, None]], "nested text": [["1", "2"], ["3", "4"]],
    "nested ragged": [[1, [2, 3]], [4]], "list of dicts": [{}, {}], "object": object(),
    "weird": Weird(), "pair weird": (Weird(), Weird()), "list weird": [Weird()] * 5,
    "five None": [None] * 5, "five nan": [nan] * 5, "five huge": [HUGE] * 5,
    "five bytes": [b"multi-class"] * 5, "dict of nan": {0.1: nan, nan: "converges"},
    "dict huge key": {HUGE: "converges"}, "dict bool": {True: "converges"},
    "shapes nan": [((nan, 128), (128,))] * 3, "shapes huge": [((HUGE, 128), (HUGE,))] * 3,
    "shapes None": [(None, None)] * 3, "shapes float": [((784.0, 128.0), (128.0,))] * 3,
    "arrays wrong shape": (np.zeros((3, 3)), np.zeros(5)),
    "a function": lambda *a: 0,
}

FUNCTIONS = {
    "raises": _raise,
    "returns nan": lambda *a: nan,
    "returns inf": lambda *a: inf,
    "returns None": lambda *a: None,
    "returns huge": lambda *a: HUGE,
    "returns text": lambda *a: "0.5",
    "returns bool": lambda *a: True,
    "returns dict": lambda *a: {},
    "returns generator": lambda *a: (v for v in range(3)),
    "returns a tuple of arrays": lambda *a: (np.zeros(3), np.ones(3)),
    "returns a triple of arrays": lambda *a: (np.zeros(3), np.ones(3), np.ones(3)),
    "returns a pair of nan": lambda *a: (nan, nan),
    "returns a triple of nan": lambda *a: (nan,) * 3,
    "returns a pair of None": lambda *a: (None, None),
    "returns a pair of huge": lambda *a: (HUGE,) * 2,
    "returns pair of text": lambda *a: ("1", "2"),
    "returns wrong shape": lambda *a: np.zeros((7, 3)),
    "returns nan like input": _nan_like,
    "returns its first input": lambda *a: a[0] if a else 0,
    "returns ragged": lambda *a: [[1, 2], [3]],
    "returns empty": lambda *a: [],
    "returns out-of-range labels": lambda *a: (3, 9),
    "returns negative labels": lambda *a: (-1, 2),
    "returns bool pair": lambda *a: (True, False),
    "returns Weird": lambda *a: Weird(),
    "returns [Weird]": lambda *a: [Weird(), Weird()],
    "returns ...": lambda *a: ...,
    "returns list of None": lambda *a: [None, None, None],
    "fills its inputs with nan": _fill_inputs_with_nan,
    "takes no argument": lambda: 0.5,
    "takes seven arguments": lambda a, b, c, d, e, f, g: 0.5,
    "returns np nan": lambda *a: np.float64(nan),
    "returns np int": lambda *a: np.int64(3),
}

ATTEMPTS = {**{f"value {k}": v for k, v in VALUES.items()},
            **{f"function {k}": v for k, v in FUNCTIONS.items()}}


def test_every_check_is_in_the_table():
    assert CHECKS, "no check_... found in nnlib.exercises"
    missing = sorted(set(CHECKS) - set(RIGHT_AND_WRONG))
    assert not missing, f"add these checks to RIGHT_AND_WRONG: {missing}"
    assert not set(RIGHT_AND_WRONG) - set(CHECKS), "RIGHT_AND_WRONG names unknown checks"


def assert_not_passed_cleanly(fb, what: str):
    assert isinstance(fb, Feedback), f"{what}: returned {type(fb).__name__}, not Feedback"
    assert not fb.passed, f"{what}: junk was called correct: {fb}"
    assert fb.messages and all(isinstance(m, str) and m for m in fb.messages), what
    assert not any(_CHECK_FAILED in m for m in fb.messages), f"{what}: the check failed: {fb}"
    assert str(fb).startswith("Not yet.") and fb._repr_markdown_().startswith("**Not yet.**")


@pytest.mark.parametrize("name", CHECKS)
def test_check_survives_the_battery(name):
    """Junk never passes, never raises, and is answered with words (all checks run with
    every numpy warning turned into an error, so that none escapes to the reader)."""
    check = getattr(ex, name)
    for label, attempt in ATTEMPTS.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fb = check(attempt)
        assert_not_passed_cleanly(fb, f"{name}({label})")


def spoil(answer, bad, last: bool = False):
    """``answer`` (nested lists, tuples, arrays, a dict or a number) with its first (or
    last) number or word replaced by ``bad``."""
    if isinstance(answer, dict):
        key = list(answer)[-1 if last else 0]
        return {**answer, key: bad}
    if isinstance(answer, np.ndarray):
        answer = answer.tolist()
    if isinstance(answer, (list, tuple)) and answer:
        k = len(answer) - 1 if last else 0
        items = list(answer)
        items[k] = spoil(items[k], bad, last)
        return type(answer)(items)
    return bad


@pytest.mark.parametrize("name", [n for n in CHECKS if n not in FUNCTION_CHECKS])
def test_a_spoilt_right_answer_is_not_correct(name):
    """The right answer with one entry replaced by junk is junk."""
    check = getattr(ex, name)
    for bad in (nan, inf, None, HUGE, "one", True, [1.0, 2.0], Weird()):
        for last in (False, True):
            attempt = spoil(RIGHT_AND_WRONG[name][0], bad, last)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                fb = check(attempt)
            assert_not_passed_cleanly(fb, f"{name}({attempt!r})")


@pytest.mark.parametrize("name", CHECKS)
def test_right_answer_passes_and_a_typical_mistake_is_named(name):
    right, wrong, words = RIGHT_AND_WRONG[name]
    check = getattr(ex, name)
    fb = check(right)
    assert fb.passed, f"{name}: the right answer fails: {fb}"
    assert str(fb).startswith("Correct.") and fb._repr_markdown_().startswith("**Correct.**")
    assert fb.text == str(fb)
    fb = check(wrong)
    assert not fb.passed, f"{name}: the typical mistake passes: {fb}"
    assert words in fb.text, f"{name}: expected {words!r} in {fb.text!r}"


def numpy_forms(answer):
    """``answer`` with numpy scalars for its numbers, and as one numpy array if rectangular."""
    def leaves(a):
        if isinstance(a, dict):
            return {leaves(k): leaves(v) for k, v in a.items()}
        if isinstance(a, (list, tuple)):
            return type(a)(leaves(v) for v in a)
        if isinstance(a, np.ndarray):
            return a
        if isinstance(a, str):
            return np.str_(a)
        return np.int64(a) if isinstance(a, int) else np.float64(a)

    yield leaves(answer)
    try:
        yield np.asarray(answer)
    except ValueError:                       # ragged, e.g. the layer shapes
        pass


@pytest.mark.parametrize("name", [n for n in CHECKS if n not in FUNCTION_CHECKS
                                  and n != "check_lr_regimes"])
def test_numpy_forms_of_the_right_answer_pass(name):
    check = getattr(ex, name)
    for attempt in numpy_forms(RIGHT_AND_WRONG[name][0]):
        fb = check(attempt)
        assert fb.passed, f"{name}({attempt!r}): {fb}"


def test_numpy_keys_and_words_pass_for_the_learning_rates():
    assert ex.check_lr_regimes({np.float64(k): np.str_(v) for k, v in REGIMES.items()})


@pytest.mark.parametrize("check, attempt, words", [
    (ex.check_neuron, (nan, nan), "give a finite number"),
    (ex.check_choose_lambda, (0.001, nan), "give a finite number"),
    (ex.check_sigmoid_depth, nan, "L: give a finite number"),
    (ex.check_sigmoid_depth, inf, "L: give a finite number"),
    (ex.check_most_confused, lambda cm: (3, 9), "0 to K − 1"),
    (ex.check_most_confused, lambda cm: (-1, 2), "0 to K − 1"),
    (ex.check_sigmoid_backward, lambda *a: (np.zeros(2),) * 3, "one number"),
    (ex.check_mul_backward, lambda *a: (np.zeros(2),) * 2, "one number"),
    (ex.check_edge_patch, HUGE, "Give 4 entries"),
    (ex.check_max_pool, HUGE, "Give 4 entries"),
    (ex.check_cross_entropy_value, HUGE, "give a finite number"),
    (ex.check_parameter_count, lambda sizes: None, "returned None"),
    (ex.check_majority_baseline, lambda y_train, y_test: None, "returned None"),
    (ex.check_stable_sigmoid, naive_sigmoid_silenced, "overflows"),
])
def test_known_escapes_are_closed(check, attempt, words):
    fb = check(attempt)
    assert not fb.passed and words in fb.text, fb


def test_a_nan_without_overflow_is_not_blamed_on_overflow():
    def softmax_with_a_bug(s):
        out = stable_softmax(s)
        out[0, 0] = nan
        return out

    fb = ex.check_stable_softmax(softmax_with_a_bug)
    assert not fb.passed and "[2.0, 1.0, 0.1]" in fb.text
    assert "no overflow, no underflow" in fb.text and "underflows to 0" not in fb.text
