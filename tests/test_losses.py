"""MSELoss, SoftmaxCrossEntropy, BinaryCrossEntropyWithLogits and l2_penalty."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import Linear, Parameter, Sequential
from nnlib.losses import (
    BinaryCrossEntropyWithLogits,
    Loss,
    MSELoss,
    SoftmaxCrossEntropy,
    l2_penalty,
)

# Central differences in float64 agree with a correct backward to ~1e-9; 1e-7 flags a bug.
GRAD_TOL = 1e-7
# Fused (log-sum-exp) and naive formulas differ only by rounding on moderate inputs.
NAIVE_RTOL = 1e-12


def rng(seed=0):
    return np.random.default_rng(seed)


def loss_gradient_error(loss, pred, y):
    """Worst relative error of ``loss.backward()`` against central differences.

    The data of the checks below keeps every gradient entry away from 0: near 0 a
    relative error measures only the difference quotient's rounding noise (~1e-10).
    """
    numeric = numerical_gradient(lambda: loss.forward(pred, y), pred)
    loss.forward(pred, y)
    return relative_error(loss.backward(), numeric)


def one_hot(labels, k):
    return np.eye(k)[labels]


def naive_cross_entropy(scores, Y):
    """The notes' E_in = −(1/n) Σ_i Σ_j y_ij ln h(x_i)_j with h = softmax, unfused."""
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return -np.sum(Y * np.log(p)) / scores.shape[0]


def quiet():
    """Overflow, invalid operations and division by zero raise; so does every warning."""
    return np.errstate(over="raise", invalid="raise", divide="raise")


# -- MSELoss -----------------------------------------------------------------------


def test_mse_is_the_mean_of_squared_errors():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[1.0, 0.0], [0.0, 4.0]])
    loss = MSELoss()
    assert loss(pred, y) == pytest.approx((0 + 4 + 9 + 0) / 4, rel=1e-15)
    np.testing.assert_allclose(loss.backward(), 2 * (pred - y) / 4, rtol=1e-15)


def test_mse_the_notes_example():
    # Section 5: pred = 12, y = 9, e = (pred − y)² = 9 and de/dpred = 2·diff = 6.
    loss = MSELoss()
    assert loss([[12.0]], [[9.0]]) == 9.0
    np.testing.assert_array_equal(loss.backward(), [[6.0]])


def test_mse_gradient():
    pred = rng(1).standard_normal((6, 3))
    offset = rng(2).choice([-1.0, 1.0], size=(6, 3)) * rng(3).uniform(0.5, 1.5, size=(6, 3))
    assert loss_gradient_error(MSELoss(), pred, pred + offset) < GRAD_TOL


def test_mse_column_prediction_accepts_flat_targets():
    pred, y = rng(3).standard_normal((5, 1)), rng(4).standard_normal(5)
    loss = MSELoss()
    # Not the (5, 5) broadcast of pred − y: the same as with y as a column.
    assert loss(pred, y) == loss(pred, y[:, None])
    assert loss.backward().shape == (5, 1)


def test_mse_keeps_float32():
    loss = MSELoss()
    loss(np.ones((2, 2), np.float32), np.zeros((2, 2)))
    assert loss.backward().dtype == np.float32


# -- SoftmaxCrossEntropy -----------------------------------------------------------


@given(st.integers(1, 6), st.integers(2, 5), st.integers(0, 2**31))
def test_cross_entropy_is_minus_log_p_y(n, k, seed):
    scores = rng(seed).standard_normal((n, k)) * 3
    labels = rng(seed + 1).integers(0, k, size=n)
    loss = SoftmaxCrossEntropy()
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    expected = np.mean(-np.log(p[np.arange(n), labels]))
    assert loss(scores, labels) == pytest.approx(expected, rel=NAIVE_RTOL)
    np.testing.assert_allclose(loss.probs, p, rtol=NAIVE_RTOL)
    # The gradient is (p − Y)/N.
    np.testing.assert_allclose(loss.backward(), (p - one_hot(labels, k)) / n,
                               rtol=NAIVE_RTOL, atol=1e-15)


def test_cross_entropy_is_the_notes_E_in_with_probability_rows():
    scores = rng(5).standard_normal((4, 3))
    Y = rng(6).dirichlet(np.ones(3), size=4)   # soft targets, rows sum to 1
    assert SoftmaxCrossEntropy()(scores, Y) == pytest.approx(naive_cross_entropy(scores, Y),
                                                             rel=NAIVE_RTOL)


def test_labels_and_one_hot_give_the_same_loss_and_gradient():
    scores, labels = rng(7).standard_normal((8, 4)), rng(8).integers(0, 4, size=8)
    a, b = SoftmaxCrossEntropy(), SoftmaxCrossEntropy()
    assert a(scores, labels) == b(scores, one_hot(labels, 4))
    np.testing.assert_array_equal(a.backward(), b.backward())


def test_integer_valued_float_labels_are_labels():
    scores = rng(9).standard_normal((3, 4))
    assert SoftmaxCrossEntropy()(scores, [0.0, 3.0, 1.0]) == SoftmaxCrossEntropy()(scores,
                                                                                 [0, 3, 1])


def test_cross_entropy_gradient_with_labels():
    scores, labels = rng(10).standard_normal((5, 4)), rng(11).integers(0, 4, 5)
    assert loss_gradient_error(SoftmaxCrossEntropy(), scores, labels) < GRAD_TOL


def test_cross_entropy_gradient_with_probability_rows():
    scores = rng(12).standard_normal((5, 4))
    # Mass 0.6 and 0.4 on each row's two lowest scores, whose softmax is below 1/4 and
    # 1/3: every p − y stays away from 0.
    order, rows = np.argsort(scores, axis=1), np.arange(5)
    Y = np.zeros_like(scores)
    Y[rows, order[:, 0]], Y[rows, order[:, 1]] = 0.6, 0.4
    assert loss_gradient_error(SoftmaxCrossEntropy(), scores, Y) < GRAD_TOL


def test_cross_entropy_is_finite_at_1e4():
    scores = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    loss = SoftmaxCrossEntropy()
    with warnings.catch_warnings(), quiet():
        warnings.simplefilter("error")
        value = loss(scores, [1, 0])
        grad = loss.backward()
    # Row 0 puts the label 2e4 below the top score, row 1 2e4 below two equal tops.
    assert value == pytest.approx((2e4 + 2e4 + np.log(2)) / 2, rel=1e-15)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0.5, -0.5, 0], [-0.5, 0.25, 0.25]], atol=1e-15)


def test_confident_and_right_costs_almost_nothing():
    loss = SoftmaxCrossEntropy()
    assert loss([[50.0, 0.0]], [0]) < 1e-20
    assert loss([[50.0, 0.0]], [1]) == pytest.approx(50, rel=1e-15)


def test_cross_entropy_keeps_float32():
    loss = SoftmaxCrossEntropy()
    loss(np.zeros((2, 3), np.float32), [0, 2])
    assert loss.probs.dtype == np.float32 and loss.backward().dtype == np.float32


def test_cross_entropy_trains_a_linear_layer():
    # Gradient descent on E_in through Linear lowers the loss: backward() is usable as-is.
    X, labels = rng(12).standard_normal((20, 3)), rng(13).integers(0, 3, 20)
    lin, loss = Linear(3, 3, rng=0), SoftmaxCrossEntropy()
    first = loss(lin(X), labels)
    for _ in range(50):
        lin.zero_grad()
        loss(lin(X), labels)
        lin.backward(loss.backward())
        for p in lin.parameters():
            p.value -= 0.5 * p.grad
    assert loss(lin(X), labels) < 0.8 * first


# -- BinaryCrossEntropyWithLogits --------------------------------------------------


def test_bce_equals_the_naive_formula():
    s = rng(14).standard_normal((6, 4)) * 3
    Y = (rng(15).random((6, 4)) < 0.5).astype(float)   # several ones per row allowed
    p = 1 / (1 + np.exp(-s))
    naive = np.mean(-Y * np.log(p) - (1 - Y) * np.log(1 - p))
    loss = BinaryCrossEntropyWithLogits()
    assert loss(s, Y) == pytest.approx(naive, rel=NAIVE_RTOL)
    np.testing.assert_allclose(loss.backward(), (p - Y) / Y.size, rtol=NAIVE_RTOL)


def test_bce_gradient():
    # Moderate scores and 0/1 targets: |σ(s) − y| >= σ(−|s|) stays away from 0.
    s, Y = rng(16).standard_normal((5, 3)), (rng(17).random((5, 3)) < 0.5).astype(float)
    assert loss_gradient_error(BinaryCrossEntropyWithLogits(), s, Y) < GRAD_TOL


def test_bce_is_finite_at_extremes():
    s = np.array([[1e308, -1e308, 1e4, -1e4]])
    y = np.array([[1.0, 0.0, 0.0, 1.0]])
    loss = BinaryCrossEntropyWithLogits()
    with warnings.catch_warnings(), quiet():
        warnings.simplefilter("error")
        value = loss(s[:, 2:], y[:, 2:])
        grad = loss.backward()
        assert loss(s[:, :2], y[:, :2]) == 0.0   # right and sure: no loss
    assert value == pytest.approx(1e4, rel=1e-15)   # wrong by 1e4 on both entries
    np.testing.assert_allclose(grad, [[0.5, -0.5]], rtol=1e-15)


def test_bce_column_scores_accept_flat_targets():
    s, y = rng(18).standard_normal((4, 1)), np.array([0, 1, 1, 0])
    assert BinaryCrossEntropyWithLogits()(s, y) == BinaryCrossEntropyWithLogits()(s, y[:, None])


# -- l2_penalty --------------------------------------------------------------------


def test_l2_penalty_counts_weights_only():
    W = Parameter(np.array([[1.0, -2.0], [3.0, 0.5]]), "W", decay=True)
    b = Parameter(np.array([10.0, 10.0]), "b", decay=False)
    assert l2_penalty([W, b], 0.01) == pytest.approx(0.01 * (1 + 4 + 9 + 0.25), rel=1e-15)
    assert l2_penalty([b], 0.01) == 0.0
    assert l2_penalty([], 0.01) == 0.0


def test_l2_penalty_of_a_network():
    net = Sequential(Linear(3, 4, rng=0), Linear(4, 2, rng=1))
    for p in net.parameters():
        p.value += 1.0   # nonzero biases: they must still not count
    expected = 0.1 * sum(np.sum(m.W.value ** 2) for m in net)
    assert l2_penalty(net.parameters(), 0.1) == pytest.approx(expected, rel=1e-14)
    assert l2_penalty(net.parameters(), 0.0) == 0.0


def test_l2_penalty_counts_a_shared_weight_once():
    W = Parameter(np.array([2.0]), "W")
    assert l2_penalty([W, W], 1.0) == 4.0


def test_notes_E_in_with_weight_decay():
    # E_in = (1/n) Σ L + λ Σ w²: cross-entropy plus the penalty of the layer's weights.
    lin = Linear(3, 2, rng=0)
    X, labels = rng(19).standard_normal((5, 3)), rng(20).integers(0, 2, 5)
    lam = 0.01
    E_in = SoftmaxCrossEntropy()(lin(X), labels) + l2_penalty(lin.parameters(), lam)
    expected = naive_cross_entropy(lin(X), one_hot(labels, 2)) + lam * np.sum(lin.W.value ** 2)
    assert E_in == pytest.approx(expected, rel=NAIVE_RTOL)


# -- the common base and bad input -------------------------------------------------


@pytest.mark.parametrize("cls", [MSELoss, SoftmaxCrossEntropy, BinaryCrossEntropyWithLogits])
def test_common_base(cls):
    loss = cls()
    assert isinstance(loss, Loss) and repr(loss) == f"{cls.__name__}()"
    with pytest.raises(ValueError, match=f"{cls.__name__}.backward called before forward"):
        loss.backward()


def test_call_is_forward():
    scores = rng(21).standard_normal((3, 2))
    loss = SoftmaxCrossEntropy()
    assert loss(scores, [0, 1, 1]) == loss.forward(scores, [0, 1, 1])


def test_cross_entropy_batch_size_mismatch():
    with pytest.raises(ValueError, match=r"SoftmaxCrossEntropy expected y with 32 entries "
                                         r"\(one per row of scores\), got 30"):
        SoftmaxCrossEntropy()(np.zeros((32, 10)), np.zeros(30, dtype=int))


@pytest.mark.parametrize("labels, shown", [([0, 1.5], "1.5"), ([0, -1], "-1"),
                                           ([3, 0], "3"), ([0, np.nan], "nan")])
def test_cross_entropy_bad_labels(labels, shown):
    with pytest.raises(ValueError, match=rf"y must hold integer class labels in \[0, 3\), "
                                         rf"got {shown}"):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), labels)


@pytest.mark.parametrize("y, exc, match", [
    (np.zeros((2, 4)), ValueError, r"expected y of shape \(2, 3\).*got \(2, 4\)"),
    (np.zeros((3, 3)), ValueError, r"expected y of shape \(2, 3\).*got \(3, 3\)"),
    ([[1, 1, 0], [0, 1, 0]], ValueError, r"row 0 summing to 2.*BinaryCrossEntropyWithLogits"),
    ([[1.5, -0.5, 0], [0, 1, 0]], ValueError, "non-negative"),
    (np.zeros((2, 3, 1)), ValueError, r"labels \(N,\) or rows \(N, K\), got shape"),
    ([True, False], TypeError, "integer class labels, got booleans"),
    ("ab", TypeError, "y must be integer labels or one-hot rows"),
    (["a", "b"], TypeError, "y must be integer labels or one-hot rows"),
])
def test_cross_entropy_bad_targets(y, exc, match):
    with pytest.raises(exc, match=match):
        SoftmaxCrossEntropy()(np.zeros((2, 3)), y)


@pytest.mark.parametrize("scores, exc, match", [
    (np.zeros(3), ValueError, r"SoftmaxCrossEntropy scores must be 2-D, got shape \(3,\)"),
    (np.zeros((0, 3)), ValueError, "scores must not be empty"),
    ("abc", TypeError, "scores must be an array of numbers"),
])
def test_cross_entropy_bad_scores(scores, exc, match):
    with pytest.raises(exc, match=match):
        SoftmaxCrossEntropy()(scores, [0, 1, 2])


@pytest.mark.parametrize("cls", [MSELoss, BinaryCrossEntropyWithLogits])
def test_shape_mismatch(cls):
    with pytest.raises(ValueError, match=rf"{cls.__name__} expected y of shape \(4, 2\) "
                                         r"\(pred's\), got \(4,\)"):
        cls()(np.zeros((4, 2)), np.zeros(4))


def test_mse_bad_input():
    with pytest.raises(TypeError, match="MSELoss pred must be an array of numbers"):
        MSELoss()(None, [1.0])
    with pytest.raises(ValueError, match="MSELoss pred must not be empty"):
        MSELoss()(np.zeros((0, 1)), np.zeros((0, 1)))


def test_bce_targets_outside_0_1():
    with pytest.raises(ValueError, match=r"expected y in \[0, 1\], got values from -1 to 2"):
        BinaryCrossEntropyWithLogits()(np.zeros((2, 2)), [[-1, 0], [1, 2]])


@pytest.mark.parametrize("lam, exc", [(-0.1, ValueError), (np.inf, ValueError),
                                      ("0.1", TypeError)])
def test_l2_penalty_bad_lam(lam, exc):
    with pytest.raises(exc, match="l2_penalty lam must"):
        l2_penalty([Parameter(np.ones(2))], lam)


@pytest.mark.parametrize("params, match", [
    (Linear(2, 2, rng=0), "got a Module: pass model.parameters()"),
    (Parameter(np.ones(2)), "must be a list of Parameter, got Parameter"),
    ([np.ones(2)], "got ndarray at position 0"),
    (3, "got int"),
])
def test_l2_penalty_bad_params(params, match):
    with pytest.raises(TypeError, match=match.replace("(", r"\(").replace(")", r"\)")):
        l2_penalty(params, 0.1)
