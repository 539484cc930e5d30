"""Chapter 8 (cross-entropy): the exercise checks and the chapter's figures.

Right answers pass, typical mistakes get their specific message, placeholders are "not
attempted yet", numpy's warnings never escape a check, and every check agrees with the
nnlib code it teaches.
"""

import math
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.activations import softmax
from nnlib.exercises import (
    CE_EXERCISE,
    TARGETS_EXERCISE,
    check_cross_entropy_value,
    check_multi_label,
    check_softmax_ce_grad,
    check_stable_softmax,
)
from nnlib.exercises import VALUE_ANSWERS as ALL_VALUE_ANSWERS
from nnlib.exercises.ch08_cross_entropy import (
    _TARGET_KINDS,
    CE_ANSWER,
    CE_GRAD_ANSWER,
    CE_GRAD_EXERCISE,
    SOFTMAX_ANSWER,
    SOFTMAX_EXERCISE,
    TARGETS_ANSWER,
    check_ce_grad_by_hand,
    check_softmax_by_hand,
)
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.losses import SoftmaxCrossEntropy
from nnlib.plotting import (
    plot_ce_vs_mse,
    plot_cross_entropy,
    plot_digit_probabilities,
    plot_softmax,
)

#: The value answers of chapter 8, from the book's table.
VALUE_ANSWERS = tuple(a for ex, a in ALL_VALUE_ANSWERS.items() if ex.split(".")[0] == "8")

def text(feedback) -> str:
    return "\n".join(feedback.messages)


CHECKS = [check_stable_softmax, check_cross_entropy_value, check_softmax_ce_grad,
          check_multi_label, check_ce_grad_by_hand, check_softmax_by_hand]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check", [check_stable_softmax, check_softmax_ce_grad])
def test_function_returning_ellipsis_is_not_attempted(check):
    fb = check(lambda *args: ...)
    assert not fb and text(fb) == "Replace `...` with your answer, then run the cell again."


def test_list_of_placeholders_is_not_attempted():
    assert "Replace `...`" in text(check_multi_label([..., ..., ..., ..., ...]))
    assert "Replace `...`" in text(check_ce_grad_by_hand([..., ..., ...]))


def test_the_value_answers_of_the_chapter():
    assert [a.exercise for a in VALUE_ANSWERS] == ["8.1", "8.2", "8.3", "8.4"]
    assert (SOFTMAX_ANSWER.check_name, CE_ANSWER.check_name, CE_GRAD_ANSWER.check_name,
            TARGETS_ANSWER.check_name) == (
        "check_softmax_by_hand", "check_cross_entropy_value", "check_ce_grad_by_hand",
        "check_multi_label")


@pytest.mark.parametrize("check", [check_stable_softmax, check_softmax_ce_grad])
def test_a_crashing_function_is_reported_not_raised(check):
    def broken(*args):
        raise KeyError("boom")

    fb = check(broken)
    assert not fb and "KeyError" in text(fb)


# ---- 8.1 stable softmax -----------------------------------------------------------------

def softmax_rows(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def naive(s):
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def test_stable_softmax_right_answer():
    fb = check_stable_softmax(softmax_rows)
    assert fb and "finite for scores of any size" in text(fb)


@pytest.mark.parametrize("wrong, expected", [
    (naive, "exp(1000) overflows to inf"),
    (lambda s: naive(s - s.max()), "each row's own maximum"),
    (lambda s: np.exp(s - s.max(axis=1, keepdims=True))
     / np.exp(s - s.max(axis=1, keepdims=True)).sum(axis=0, keepdims=True), "columns sum to 1"),
    (lambda s: np.exp(s - s.max(axis=1, keepdims=True))
     / np.exp(s - s.max(axis=1, keepdims=True)).sum(), "each row must sum to 1"),
    (lambda s: softmax_rows(s)[:, :-1], "shape of the scores"),
    (lambda s: softmax_rows(s) ** 2 / (softmax_rows(s) ** 2).sum(axis=1, keepdims=True),
     "values differ"),
    (lambda s: "probabilities", "array of numbers"),
])
def test_stable_softmax_typical_mistakes(wrong, expected):
    fb = check_stable_softmax(wrong)
    assert not fb and expected in text(fb)


def test_very_negative_scores_are_explained_as_underflow():
    def shifts_only_positive(s):           # fine for large scores, 0/0 for very negative ones
        if s.max() > 0:
            s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    fb = check_stable_softmax(shifts_only_positive)
    assert not fb and "underflows to 0" in text(fb)


def test_no_numpy_warning_escapes_a_check():
    with warnings.catch_warnings():
        warnings.simplefilter("error")     # any warning would fail the test
        check_stable_softmax(naive)
        check_softmax_ce_grad(lambda s, y: (naive(s) - np.eye(s.shape[1])[y]) / len(s))


# ---- 8.2 cross-entropy by hand ----------------------------------------------------------

def test_cross_entropy_value_right():
    P, c = np.array(CE_EXERCISE["probs"]), np.array(CE_EXERCISE["labels"])
    right = SoftmaxCrossEntropy().forward(np.log(P), c)     # softmax(ln p) = p for rows of p
    assert math.isclose(right, 0.9162907318741551, rel_tol=1e-12)
    assert check_cross_entropy_value(right)
    assert check_cross_entropy_value(0.9163)                # rounded to 4 decimals is fine


@pytest.mark.parametrize("value, expected", [
    (1.8326, "divide by n = 2"),
    (1.3219, "bits"),
    (-0.9163, "sign"),
    (0.2899, "TRUE class"),
    (math.fsum(-math.log(p) for row in CE_EXERCISE["probs"] for p in row) / 2,
     "over all classes"),
    (-(math.log(0.7) + math.log(0.1)) / 2, "count from 0"),
    (1.6094, "first example only"),
    (0.5, "Not right yet: E_in."),
    (0.5, "then average"),
    ("0.9?", "E_in: give a finite number"),
    ((0.9163, 1.0), "Give one entry (E_in)"),
])
def test_cross_entropy_value_mistakes(value, expected):
    fb = check_cross_entropy_value(value)
    assert not fb and expected in text(fb)


# ---- 8.3 the gradient p − y -------------------------------------------------------------

def ce_grad(s, labels):
    return (softmax_rows(s) - np.eye(s.shape[1])[labels]) / len(s)


def test_ce_grad_by_hand_is_what_the_loss_computes():
    s = np.array([CE_GRAD_EXERCISE["scores"]])
    label = np.array([CE_GRAD_EXERCISE["label"]])
    loss = SoftmaxCrossEntropy()
    loss.forward(s, label)
    right = loss.backward()[0]                        # N = 1: the gradient is p − y itself
    np.testing.assert_allclose(CE_GRAD_ANSWER.expected, right, rtol=1e-12, atol=1e-15)
    fb = check_ce_grad_by_hand(right)
    assert fb and "p − y = (-0.8858, 0.8438, 0.0420)" in text(fb)
    assert check_ce_grad_by_hand([-0.8858, 0.8438, 0.04201])    # 4 significant digits
    assert check_ce_grad_by_hand(ce_grad(s, label))               # a (1, 3) array


@pytest.mark.parametrize("answer, expected", [
    ((0.8858, -0.8438, -0.04201), "not y − p"),
    ((0.1142, 0.8438, 0.04201), "p = softmax(s) alone"),
    ((-0.8858, -0.1562, -0.9580), "subtracted 1 from every entry"),
    ((0.0, 3.0, 0.0), "not the raw scores"),
    ((-0.8858, 0.0, 0.0), "Every score gets a gradient"),
    ((0.1142, -0.1562, 0.04201), "count from 0"),
    ((-0.8858, 0.8438, 0.05), "Not right yet: ∂L/∂s₂."),
    ((-0.8858, 0.8438, 0.05), "subtract 1 from the entry of the true class 0"),
    ((-0.8858, 0.8438), "Give 3 entries (∂L/∂s₀, ∂L/∂s₁, ∂L/∂s₂)"),
    ((-0.8858, float("inf"), 0.04201), "∂L/∂s₁: give a finite number"),
])
def test_ce_grad_by_hand_mistakes(answer, expected):
    fb = check_ce_grad_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)


def test_ce_grad_right_and_equal_to_the_numerical_gradient():
    assert check_softmax_ce_grad(ce_grad)
    rng = np.random.default_rng(0)
    s, labels = rng.standard_normal((4, 3)), np.array([2, 0, 1, 1])
    loss = SoftmaxCrossEntropy()
    numeric = numerical_gradient(lambda: loss.forward(s, labels), s)
    # central differences in float64: ~1e-9 relative error for a correct gradient
    assert relative_error(ce_grad(s, labels), numeric) < 1e-7


@pytest.mark.parametrize("wrong, expected", [
    (lambda s, y: ce_grad(s, y) * len(s), "divide p − y by N"),
    (lambda s, y: -ce_grad(s, y), "not y − p"),
    (lambda s, y: softmax_rows(s) / len(s), "subtract the one-hot target"),
    (lambda s, y: (softmax_rows(s) - 1) / len(s), "1 only at the true class"),
    (lambda s, y: (naive(s) - np.eye(s.shape[1])[y]) / len(s), "maximum subtracted"),
    (lambda s, y: ce_grad(s, y)[:, :1], "shape of the scores"),
    (lambda s, y: ce_grad(s, y) + 0.01, "differs from (softmax(s) − Y) / N"),
])
def test_ce_grad_typical_mistakes(wrong, expected):
    fb = check_softmax_ce_grad(wrong)
    assert not fb and expected in text(fb)


# ---- 8.4 multi-class or multi-label -----------------------------------------------------

def test_multi_label_right_answer_and_spelling_variants():
    assert check_multi_label(list(_TARGET_KINDS))
    assert check_multi_label(["Multi-Label", "multi class", "multi_class", "multi-label",
                              "multi-label"])


def test_the_answers_follow_from_the_targets():
    for (name, targets), kind in zip(TARGETS_EXERCISE, _TARGET_KINDS, strict=True):
        arr = np.asarray(targets)
        if arr.ndim == 2 and np.any(arr.sum(axis=1) != 1):
            assert kind == "multi-label", name      # zero or several ones in a row


@pytest.mark.parametrize("index, expected", [
    (0, "cat and a dog"), (1, "exactly one 1 per row"), (2, "one integer class"),
    (3, "row of zeros"), (4, "action comedy"),
])
def test_multi_label_each_wrong_item_is_explained(index, expected):
    answer = list(_TARGET_KINDS)
    answer[index] = "multi-class" if answer[index] == "multi-label" else "multi-label"
    fb = check_multi_label(answer)
    assert not fb and expected in text(fb) and len(fb.messages) == 1


def test_multi_label_malformed_answers():
    assert "Give 5 entries (a: photo tags" in text(check_multi_label(["multi-class"]))
    assert "a: photo tags: choose one of the options" in text(
        check_multi_label(["softmax"] + list(_TARGET_KINDS[1:])))
    assert "choose one of the options" in text(check_multi_label([1, 2, 3, 4, 5]))
    assert check_multi_label(np.array(_TARGET_KINDS))


def test_multi_label_first_wrong_item_is_explained():
    answer = ["multi-class"] * 5                     # a, d and e are wrong: a is explained
    fb = check_multi_label(answer)
    assert not fb and fb.messages == [TARGETS_ANSWER.mistakes[0].message]
    assert "cat and a dog" in text(fb)


# ---- figures ----------------------------------------------------------------------------

def test_plot_softmax():
    fig = plot_softmax([3.0, 1.0, 0.2], class_names=["a", "b", "c"])
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="3 class names"):
        plot_softmax([1.0, 2.0, 3.0], class_names=["a"])


def test_plot_cross_entropy_and_ce_vs_mse():
    fig = plot_cross_entropy(0.3)
    assert len(fig.axes) == 2
    assert any("0.611" in label for label in fig.axes[1].get_legend_handles_labels()[1])
    with pytest.raises(ValueError, match=r"in \(0, 1\)"):
        plot_cross_entropy(1.0)
    fig = plot_ce_vs_mse()
    assert len(fig.axes) == 2 and fig.axes[1].get_yscale() == "log"


def test_plot_digit_probabilities_multi_class_and_multi_label():
    X = np.zeros((3, 64))
    probs = np.full((3, 10), 0.1)
    fig = plot_digit_probabilities(X, probs, np.array([1, 2, 3]), titles=["a", "b", "c"])
    assert len(fig.axes) == 6
    bars = fig.axes[3].patches             # the first bar chart: axes are images, then bars
    assert len(bars) == 10 and bars[1].get_facecolor() != bars[0].get_facecolor()
    fig = plot_digit_probabilities(X, np.full((3, 3), 0.5), np.eye(3), class_names="xyz")
    assert [t.get_text() for t in fig.axes[3].get_xticklabels()] == ["x", "y", "z"]
    with pytest.raises(ValueError, match="targets"):
        plot_digit_probabilities(X, probs, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="one image per row"):
        plot_digit_probabilities(X[:2], probs, np.array([1, 2, 3]))


def test_plot_softmax_bars_are_the_scores_and_their_probabilities():
    from figures import bar_heights, line

    s = np.array([3.0, 1.0, 0.2, -1.0])                          # the chapter's scores
    p = np.exp(s) / np.exp(s).sum()                              # softmax by hand
    fig = plot_softmax(s)
    ax, bx = fig.axes
    # left: the scores, then the shifted scores s − max s; right: the probabilities
    # (1e-15: round-off of exp and the sum)
    np.testing.assert_array_equal(bar_heights(ax), np.r_[s, s - 3.0])
    np.testing.assert_allclose(bar_heights(bx), p, atol=1e-15)
    np.testing.assert_allclose(line(bx, r"softmax$(s - \max s)$: the same").get_ydata(), p,
                               atol=1e-15)
    assert [t.get_text() for t in bx.texts] == [f"{v:.3f}" for v in p]
    assert [f"{v:.3f}" for v in p] == ["0.823", "0.111", "0.050", "0.015"]
    assert bx.get_title() == "Probabilities: positive, sum 1"


def test_plot_cross_entropy_draws_entropy_in_bits_and_cross_entropy_in_nats():
    from figures import line

    p = 0.3                                                      # the chapter's p
    fig = plot_cross_entropy(p)
    ax, bx = fig.axes
    q, bits = ax.lines[0].get_data()
    # 1e-12: round-off of the logarithms
    np.testing.assert_allclose(bits, -(q * np.log2(q) + (1 - q) * np.log2(1 - q)), rtol=1e-12)
    assert abs(bits[np.argmax(bits)] - 1) < 1e-5 and q[np.argmax(bits)] == pytest.approx(0.5)
    cross = line(bx, r"cross-entropy $H(p, q)$, $p = 0.3$")
    q2, ce = cross.get_data()
    np.testing.assert_allclose(ce, -(p * np.log(q2) + (1 - p) * np.log(1 - q2)), rtol=1e-12)
    h_p = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    entropy = line(bx, rf"entropy $H(p) = {h_p:.3f}$ nats")
    assert entropy.get_ydata()[0] == pytest.approx(h_p, rel=1e-12)
    assert f"{h_p:.3f}" == "0.611"
    # the minimum of H(p, q) is at q = p, where it touches H(p) (the grid has q = 0.3)
    assert q2[np.argmin(ce)] == pytest.approx(p, abs=1e-12)
    assert ce.min() == pytest.approx(h_p, rel=1e-12)
    dot = [ln for ln in bx.lines if ln.get_marker() == "o"][0]
    assert dot.get_xydata().tolist() == [[p, pytest.approx(h_p, rel=1e-12)]]


def test_plot_ce_vs_mse_draws_the_losses_and_their_gradients():
    from figures import line

    fig = plot_ce_vs_mse()                                       # the chapter's call
    ax, bx = fig.axes
    ce = line(ax, r"cross-entropy $-\ln\sigma(z)$")
    z = ce.get_xdata()
    assert (z[0], z[-1], len(z)) == (-10.0, 10.0, 801)
    s = 1 / (1 + np.exp(-z))
    # −ln σ(z) = ln(1 + e^{−z}); 1e-12: round-off (log1p against logaddexp)
    np.testing.assert_allclose(ce.get_ydata(), np.log1p(np.exp(-z)), rtol=1e-12)
    mse = line(ax, r"squared error $(\sigma(z) - 1)^2$").get_ydata()
    np.testing.assert_allclose(mse, (s - 1) ** 2, rtol=1e-12)
    g_ce = line(bx, r"cross-entropy: $|\sigma - 1|$").get_ydata()
    g_mse = line(bx, r"squared error: $2|\sigma - 1|\,\sigma(1 - \sigma)$").get_ydata()
    # the right panel is the size of the slope of the left one (not the losses again, not
    # swapped): central differences on the 0.025 grid, relative error O(h²) < 1e-3
    np.testing.assert_allclose(g_ce[1:-1], np.abs(np.gradient(ce.get_ydata(), z))[1:-1],
                               rtol=1e-3)
    np.testing.assert_allclose(g_mse[1:-1], np.abs(np.gradient(mse, z))[1:-1], rtol=1e-3)
    assert (ax.get_yscale(), bx.get_yscale()) == ("linear", "log")
    assert bx.get_ylim() == (1e-5, 3)
    # confidently wrong (z = −10): the cross-entropy's gradient is near 1, the squared
    # error's 1e4 times smaller
    assert g_ce[0] > 0.99 and g_mse[0] < 1e-4


def test_plot_digit_probabilities_draws_each_image_over_its_bars():
    from figures import bar_heights, image

    rng = np.random.default_rng(0)
    X = rng.random((3, 64))
    probs = rng.dirichlet(np.ones(10), size=3)
    fig = plot_digit_probabilities(X, probs, np.array([1, 2, 3]),
                                   titles=["true 1", "true 2", "true 3"], title="What")
    images, bars = fig.axes[:3], fig.axes[3:]                    # row 1 images, row 2 bars
    for i in range(3):
        np.testing.assert_array_equal(image(images[i]), X[i].reshape(8, 8))
        assert images[i].get_title() == f"true {i + 1}"
        np.testing.assert_array_equal(bar_heights(bars[i]), probs[i])
    # multi-label (the chapter's tags): K sigmoids, any number of true tags per image
    tags = np.array([[0.9, 0.1, 0.8], [0.2, 0.7, 0.1], [0.5, 0.5, 0.5]])
    fig = plot_digit_probabilities(X, tags, np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]]),
                                   class_names=["round", "straight", "cross"])
    for i in range(3):
        np.testing.assert_array_equal(bar_heights(fig.axes[3 + i]), tags[i])
    assert [t.get_text() for t in fig.axes[3].get_xticklabels()] == ["round", "straight",
                                                                     "cross"]


# ---- 8.1, by hand ----------------------------------------------------------------------

def test_softmax_by_hand_right_answer():
    s = np.array(SOFTMAX_EXERCISE)
    e = np.exp(np.array([-2.0, -1.0, 0.0]))            # each row minus its maximum
    by_hand = np.tile(e / e.sum(), (2, 1))
    assert np.allclose(by_hand, softmax(s, axis=1), rtol=1e-12)
    assert np.allclose(by_hand[0], [0.0900, 0.2447, 0.6652], atol=5e-5)
    fb = check_softmax_by_hand(by_hand)
    assert fb and "both rows give the same probabilities" in text(fb)
    assert check_softmax_by_hand([[0.0900, 0.2447, 0.6652]] * 2)            # four digits
    assert SOFTMAX_ANSWER.rows == 2


@pytest.mark.parametrize("answer, expected", [
    ([[0.5] * 3] * 2, "Your columns sum to 1"),
    ([[0.1353, 0.3679, 1.0]] * 2, "divide them by their row's sum"),
    ([[1 / 6, 1 / 3, 1 / 2], [1000 / 3003, 1001 / 3003, 1002 / 3003]], "exponentiate first"),
    ([[0.6652, 0.2447, 0.0900]] * 2, "The order is reversed"),
    ([[0.0900, 0.2447, 0.6652], [0.0, 0.0, 1.0]], "Not right yet: row 2, col 1, row 2, col 2"),
    ([[0.0900, 0.2447, 0.6652], [float("nan")] * 3], "give a finite number"),
    ([[0.0900, 0.2447, 0.6652]], "Give 6 entries"),
    ([[0.0900, 0.2447, 0.6652], [..., ..., ...]], "Replace `...`"),
])
def test_softmax_by_hand_mistakes(answer, expected):
    fb = check_softmax_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)
