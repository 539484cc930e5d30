"""The exercise checks of chapter 1: right answers pass, typical mistakes get their message."""

import numpy as np
import pytest

from nnlib.exercises import (
    NEURON_EXERCISE,
    check_collapse,
    check_forward_pass,
    check_neuron,
    check_parameter_count,
)
from nnlib.exercises.ch01_neural_networks import (
    COLLAPSE_ANSWER,
    COLLAPSE_EXERCISE,
    COUNT_PREDICTION_SIZES,
    FORWARD_EXERCISE,
    _flipped_terms,
    check_collapse_by_hand,
    check_count_prediction,
    check_forward_by_hand,
)


def text(feedback) -> str:
    return "\n".join(feedback.messages)


def pairs(sizes):
    """Consecutive layer sizes (a, b)."""
    return zip(sizes[:-1], sizes[1:], strict=True)


@pytest.mark.parametrize("check", [check_neuron, check_forward_pass, check_parameter_count,
                                   check_collapse, check_count_prediction,
                                   check_forward_by_hand, check_collapse_by_hand])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check", [check_forward_pass, check_parameter_count, check_collapse])
def test_function_returning_ellipsis_is_not_attempted(check):
    fb = check(lambda *args: ...)
    assert not fb and "Replace `...`" in text(fb)


# ---- 1.1 one neuron ---------------------------------------------------------------------

def test_neuron_right_answer():
    x, w, b = (np.array(NEURON_EXERCISE[k]) for k in "xwb")
    z = float(x @ w + b)
    assert z == -2.0
    fb = check_neuron((z, max(z, 0.0)))
    assert fb and "switched off" in text(fb)
    assert check_neuron([np.float64(-2.0), np.array(0.0)])   # numpy scalars are fine


@pytest.mark.parametrize("answer, expected", [
    ((-3.0, 0.0), "add the bias"),
    ((-4.0, 0.0), "added, not subtracted"),
    ((2.0, 2.0), "signs of x₃w₃ = (3)(-1) and of the bias b = 1 are flipped"),
    ((-1.0, 0.0), "recompute the three products"),
    ((-2.0, -2.0), "a = max(0, z)"),
    ((-2.0, 2.0), "not |z|"),
    ((-2.0, 0.11920292), "sigmoid"),
    ((-2.0, 1.0), "max(0, z)"),
    ((-2.0,), "Give 2 entries (z, a)"),
    (("z", 0.0), "z: give a finite number"),
])
def test_neuron_mistakes(answer, expected):
    fb = check_neuron(answer)
    assert not fb and expected in text(fb)


def test_flipped_terms_are_the_fewest_that_give_minus_z():
    terms = [("x₁w₁", 0.5), ("x₂w₂", -0.5), ("x₃w₃", -3.0), ("b", 1.0)]
    assert _flipped_terms(terms, -2.0) == ["x₃w₃", "b"]           # Exercise 1.1's z
    assert _flipped_terms(terms, -3.0) == ["x₃w₃"]                # one term
    assert _flipped_terms([("u", 1.0), ("v", 1.0)], 1.0) is None  # u or v: no one set
    assert _flipped_terms(terms, 7.0) is None                     # no terms add up to z


# ---- 1.2 forward pass -------------------------------------------------------------------

def right_forward(x, W1, b1, W2, b2):
    return np.maximum(x @ W1 + b1, 0) @ W2 + b2


def test_forward_right_answer():
    fb = check_forward_pass(right_forward)
    assert fb and "1.5" in text(fb)


@pytest.mark.parametrize("wrong, expected", [
    (lambda x, W1, b1, W2, b2: (x @ W1 + b1) @ W2 + b2, "No ReLU"),
    (lambda x, W1, b1, W2, b2: np.maximum(right_forward(x, W1, b1, W2, b2), 0), "output too"),
    (lambda x, W1, b1, W2, b2: np.maximum(x @ W1, 0) @ W2 + b2, "b1 is missing"),
    (lambda x, W1, b1, W2, b2: np.maximum(x @ W1 + b1, 0) @ W2, "b2 is missing"),
    (lambda x, W1, b1, W2, b2: (np.maximum(x @ W1, 0) + b1) @ W2 + b2, "after the ReLU"),
    (lambda x, W1, b1, W2, b2: 1 / (1 + np.exp(-(x @ W1 + b1))) @ W2 + b2, "sigmoid"),
    (lambda x, W1, b1, W2, b2: W1 @ x, "W¹ @ x does not fit"),
    (lambda x, W1, b1, W2, b2: right_forward(x, W1, b1, W2, b2).ravel(), "must have shape"),
    (lambda x, W1, b1, W2, b2: right_forward(x, W1, b1, W2, b2) + 1e-3, "differ"),
])
def test_forward_mistakes(wrong, expected):
    fb = check_forward_pass(wrong)
    assert not fb and expected in text(fb)


def test_forward_in_place_change_is_reported():
    def in_place(x, W1, b1, W2, b2):
        z = x @ W1
        z += b1
        np.maximum(z, 0, out=z)    # in place on a new array: fine
        out = z @ W2 + b2
        x[...] = 0                 # overwrites the caller's data: reported
        return out

    fb = check_forward_pass(in_place)
    assert not fb and "changed its input x" in text(fb)


def test_forward_not_callable():
    fb = check_forward_pass(3)
    assert not fb and "function itself" in text(fb)


# ---- 1.3 parameter count ----------------------------------------------------------------

def test_parameter_count_right_answer():
    def count(sizes):
        return sum(a * b + b for a, b in pairs(sizes))
    fb = check_parameter_count(count)
    assert fb and "2410" in text(fb)


@pytest.mark.parametrize("wrong, expected", [
    (lambda s: sum(a * b for a, b in pairs(s)), "weights only"),
    (lambda s: sum(a * b + b for a, b in pairs(s)) + s[0], "input nodes biases"),
    (lambda s: sum(s), "counts nodes"),
    (lambda s: sum(a + b for a, b in pairs(s)), "adds layer sizes"),
    (lambda s: s[0] * s[1] + s[1], "first pair"),
    (lambda s: 7, "expected 13"),
    (lambda s: "13", "one integer"),
    (lambda s: [1, 2], "one integer"),
    (lambda s: 1 / 0, "ZeroDivisionError"),
])
def test_parameter_count_mistakes(wrong, expected):
    fb = check_parameter_count(wrong)
    assert not fb and expected in text(fb)


def test_parameter_count_accepts_numpy_integers():
    assert check_parameter_count(
        lambda s: np.int64(sum(a * b + b for a, b in pairs(s))))


# ---- 1.3 the prediction of count([784, 128, 64, 10]) ----------------------------------

def test_count_prediction_right_answer():
    total = sum(a * b + b for a, b in pairs(COUNT_PREDICTION_SIZES))
    assert total == 109386
    fb = check_count_prediction(total)
    assert fb and "109,184 weights and 202 biases" in text(fb)
    assert check_count_prediction(np.int64(total)) and check_count_prediction([109386.0])


@pytest.mark.parametrize("answer, expected", [
    (109184, "weights only"),
    (109386 + 784, "input nodes biases"),
    (986, "counts nodes"),
    (1178, "adds layer sizes"),
    (100480, "first pair"),
    (109387, "Not right yet: parameters"),
    (109386.5, "Not right yet"),             # a count is exact
    ("109386w", "parameters: give a finite number"),
    ((109386, 202), "Give one entry (parameters)"),
])
def test_count_prediction_mistakes(answer, expected):
    fb = check_count_prediction(answer)
    assert not fb and expected in text(fb)


# ---- 1.4 collapse -----------------------------------------------------------------------

def test_collapse_right_answer():
    fb = check_collapse(lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2))
    assert fb and "one linear layer" in text(fb)


@pytest.mark.parametrize("wrong, expected", [
    (lambda W1, b1, W2, b2: (W1 @ W2, b2), "misses b¹"),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), "misses b²"),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2), "cannot simply be added"),
    (lambda W1, b1, W2, b2: ((W1 @ W2).T, b1 @ W2 + b2), "(W¹W²)ᵀ"),
    (lambda W1, b1, W2, b2: (W1 @ W2 * 2, b1 @ W2 + b2), "not W¹W²"),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 - b2), "collect what does not multiply x"),
    (lambda W1, b1, W2, b2: W1 @ W2, "pair (W, b)"),
])
def test_collapse_mistakes(wrong, expected):
    fb = check_collapse(wrong)
    assert not fb and expected in text(fb)


# ---- 1.5 the network of section 1.4, another input --------------------------------------

def test_forward_by_hand_right_answer():
    ex = FORWARD_EXERCISE
    h = np.maximum(np.array(ex["x"]) @ np.array(ex["W1"]) + np.array(ex["b1"]), 0)
    y = float(h @ np.array(ex["W2"]) + ex["b2"])
    assert h.tolist() == [1.0, 0.0, 3.0] and y == 10.5
    fb = check_forward_by_hand((*h, y))
    assert fb and "neuron 2 is switched off" in text(fb)
    assert check_forward_by_hand(np.array([1, 0, 3, 10.5]))
    assert check_forward_by_hand(([1.0, 0.0, 3.0], 10.5))     # (h, y_hat) nested is fine


@pytest.mark.parametrize("answer, expected", [
    ((1.0, -3.0, 3.0, 16.5), "No ReLU"),
    ((1.0, 0.0, 2.5, 9.0), "b¹ = (0, 1, 0.5) are missing"),
    ((1.0, 0.0, 3.0, 10.0), "output bias"),
    ((1.0, 0.0, 3.0, 16.5), "computed from z¹"),
    ((1.0, -3.0, 3.0, 10.5), "never less than 0"),
    ((1.0, 0.0, 3.0, 11.0), "Not right yet: ŷ"),
    ((1.0, 0.0, 3.0), "Give 4 entries (h₁, h₂, h₃, ŷ)"),
    ((1.0, 0.0, 3.0, float("nan")), "ŷ: give a finite number"),
])
def test_forward_by_hand_mistakes(answer, expected):
    fb = check_forward_by_hand(answer)
    assert not fb and expected in text(fb)


# ---- 1.4 by hand: two given layers collapsed -------------------------------------------

def test_collapse_by_hand_right_answer():
    ex = COLLAPSE_EXERCISE
    W1, b1, W2, b2 = (np.array(ex[k]) for k in ("W1", "b1", "W2", "b2"))
    W, b = W1 @ W2, b1 @ W2 + b2
    assert W.tolist() == [[4, -2], [1, -1]] and b.tolist() == [1, 4]      # the solution's
    fb = check_collapse_by_hand((W, b))
    assert fb and "W = W¹W² = [[4, -2], [1, -1]] and b = b¹W² + b² = [1, 4]" in text(fb)
    assert check_collapse_by_hand([4, -2, 1, -1, 1, 4])            # the six entries, flat
    assert COLLAPSE_ANSWER.rows == 3 and COLLAPSE_ANSWER.digits is None
    assert COLLAPSE_ANSWER.check_name == "check_collapse_by_hand"


RIGHT_W = [[4, -2], [1, -1]]


@pytest.mark.parametrize("answer, expected", [
    (([[2, 4], [1, 1]], [1, 4]), "order reversed"),                  # W²W¹
    (([[4, 1], [-2, -1]], [1, 4]), "(W¹W²)ᵀ"),
    ((RIGHT_W, [0, 3]), "b = b² misses b¹"),
    ((RIGHT_W, [1, 1]), "b = b¹W² misses b²"),
    ((RIGHT_W, [1, 2]), "b¹ + b² forgets"),
    ((RIGHT_W, [2, 5]), "column-vector product"),
    (([[2, 4], [1, 1]], [0, 3]), "order reversed"),                  # the first that matches
    ((RIGHT_W, [1, 5]), "Not right yet: b₂"),
    ((RIGHT_W, [1, 4.001]), "Not right yet: b₂"),                    # exact: small integers
    ((RIGHT_W, ["one", 4]), "b₁: give a finite number"),
    ((RIGHT_W, [1, float("nan")]), "b₂: give a finite number"),
    ((RIGHT_W, [1]), "Give 6 entries"),
    ((RIGHT_W, [1, ...]), "Replace `...`"),
])
def test_collapse_by_hand_mistakes(answer, expected):
    fb = check_collapse_by_hand(answer)
    assert not fb and expected in text(fb)
