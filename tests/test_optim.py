"""SGD: the update w − η(g + 2λw), biases not decayed, momentum, validation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.gradcheck import numerical_gradient
from nnlib.layers import Linear, Parameter, Sequential
from nnlib.losses import MSELoss, l2_penalty
from nnlib.optim import SGD

# One update is a handful of float operations per entry: a few ulps.
STEP_RTOL = 1e-14


def layer_with_grads(seed=0, dtype=np.float64):
    """A Linear(3, 2) whose W and b carry random gradients."""
    lin = Linear(3, 2, rng=seed, dtype=dtype)
    g = np.random.default_rng(seed + 1)
    lin.W.grad[...] = g.standard_normal(lin.W.shape)
    lin.b.value[...] = g.standard_normal(lin.b.shape)
    lin.b.grad[...] = g.standard_normal(lin.b.shape)
    return lin


def test_plain_step_is_w_minus_eta_g():
    lin = layer_with_grads()
    W, b = lin.W.value.copy(), lin.b.value.copy()
    SGD(lin.parameters(), lr=0.1).step()
    np.testing.assert_allclose(lin.W.value, W - 0.1 * lin.W.grad, rtol=STEP_RTOL)
    np.testing.assert_allclose(lin.b.value, b - 0.1 * lin.b.grad, rtol=STEP_RTOL)


def test_weight_decay_step_decays_weights_not_biases():
    lin = layer_with_grads()
    W, b = lin.W.value.copy(), lin.b.value.copy()
    eta, lam = 0.1, 0.01
    SGD(lin.parameters(), lr=eta, weight_decay=lam).step()
    np.testing.assert_allclose(lin.W.value, W - eta * (lin.W.grad + 2 * lam * W),
                               rtol=STEP_RTOL)
    np.testing.assert_allclose(lin.b.value, b - eta * lin.b.grad, rtol=STEP_RTOL)


def test_weight_decay_is_the_gradient_of_l2_penalty():
    # E = data loss + λ Σ w²: with no data gradient, SGD's step is η ∂(l2_penalty)/∂W.
    lin = layer_with_grads()
    lin.zero_grad()
    lam, eta = 0.3, 0.5
    numeric = numerical_gradient(lambda: l2_penalty(lin.parameters(), lam), lin.W.value)
    W = lin.W.value.copy()
    SGD(lin.parameters(), lr=eta, weight_decay=lam).step()
    # Central differences of a quadratic are exact but for rounding: ~1e-16·E/ε = 1e-10.
    np.testing.assert_allclose(W - lin.W.value, eta * numeric, rtol=1e-7, atol=1e-9)


def test_momentum_over_two_steps():
    p = Parameter(np.array([1.0, -2.0]), "W", decay=True)
    eta, lam, mu = 0.1, 0.05, 0.9
    opt = SGD([p], lr=eta, weight_decay=lam, momentum=mu)
    g1, g2 = np.array([0.5, 0.25]), np.array([-1.0, 2.0])
    w0 = p.value.copy()
    p.grad[...] = g1
    opt.step()
    v1 = g1 + 2 * lam * w0
    w1 = w0 - eta * v1
    np.testing.assert_allclose(p.value, w1, rtol=STEP_RTOL)
    p.grad[...] = g2
    opt.step()
    v2 = mu * v1 + g2 + 2 * lam * w1
    np.testing.assert_allclose(p.value, w1 - eta * v2, rtol=STEP_RTOL)


def test_zero_momentum_has_no_memory():
    p = Parameter(np.array([1.0]), "W")
    opt = SGD([p], lr=1.0)
    p.grad[...] = 1.0
    opt.step()
    p.grad[...] = 0.0
    opt.step()
    assert p.value[0] == 0.0


@given(st.floats(1e-4, 1.0), st.floats(1e-4, 0.4), st.integers(0, 2**31))
def test_zero_gradient_with_decay_shrinks_weights_by_1_minus_2_eta_lambda(eta, lam, seed):
    W = Parameter(np.random.default_rng(seed).standard_normal((3, 4)), "W", decay=True)
    b = Parameter(np.ones(4), "b", decay=False)
    W0 = W.value.copy()
    SGD([W, b], lr=eta, weight_decay=lam).step()
    np.testing.assert_allclose(W.value, (1 - 2 * eta * lam) * W0, rtol=STEP_RTOL, atol=1e-15)
    np.testing.assert_array_equal(b.value, 1.0)


def test_step_updates_in_place_and_keeps_float32():
    lin = layer_with_grads(dtype=np.float32)
    W = lin.W.value
    SGD(lin.parameters(), lr=0.1, weight_decay=0.01, momentum=0.5).step()
    assert lin.W.value is W
    assert lin.W.value.dtype == np.float32 and lin.b.value.dtype == np.float32


def test_zero_grad():
    lin = layer_with_grads()
    SGD(lin.parameters(), lr=0.1).zero_grad()
    assert not lin.W.grad.any() and not lin.b.grad.any()


def test_shared_parameter_is_stepped_once():
    p = Parameter(np.array([1.0]), "W")
    p.grad[...] = 1.0
    SGD([p, p], lr=0.5).step()
    assert p.value[0] == 0.5


def test_lr_is_settable_and_checked():
    lin = layer_with_grads()
    opt = SGD(lin.parameters(), lr=0.1)
    opt.lr = 0.01
    W = lin.W.value.copy()
    opt.step()
    np.testing.assert_allclose(lin.W.value, W - 0.01 * lin.W.grad, rtol=STEP_RTOL)
    with pytest.raises(ValueError, match="SGD lr must be > 0, got -1"):
        opt.lr = -1
    assert opt.lr == 0.01


def test_sgd_trains_a_regression():
    # Gradient descent on MSE with weight decay lowers E = data loss + λ Σ w².
    g = np.random.default_rng(0)
    X = g.standard_normal((30, 2))
    y = X @ np.array([[2.0], [-1.0]]) + 0.5
    net = Sequential(Linear(2, 1, rng=1))
    loss, opt, lam = MSELoss(), SGD(net.parameters(), lr=0.1, weight_decay=1e-3,
                                    momentum=0.5), 1e-3

    def energy():
        return loss(net(X), y) + l2_penalty(net.parameters(), lam)

    first = energy()
    for _ in range(100):
        opt.zero_grad()
        loss(net(X), y)
        net.backward(loss.backward())
        opt.step()
    assert energy() < 0.01 * first


def test_repr():
    opt = SGD([Parameter(np.ones(2))], lr=0.1, weight_decay=0.01, momentum=0.9)
    assert repr(opt) == "SGD(lr=0.1, weight_decay=0.01, momentum=0.9)"


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"lr": 0}, ValueError, "SGD lr must be > 0, got 0"),
    ({"lr": -0.1}, ValueError, "SGD lr must be > 0, got -0.1"),
    ({"lr": np.nan}, ValueError, "SGD lr must be finite"),
    ({"lr": "0.1"}, TypeError, "SGD lr must be a real number"),
    ({"lr": 0.1, "weight_decay": -0.01}, ValueError, "SGD weight_decay must be >= 0"),
    ({"lr": 0.1, "momentum": 1.0}, ValueError, r"SGD momentum must be in \[0, 1\), got 1"),
    ({"lr": 0.1, "momentum": -0.5}, ValueError, "SGD momentum must be in"),
])
def test_bad_hyperparameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        SGD([Parameter(np.ones(2))], **kwargs)


@pytest.mark.parametrize("params, exc, match", [
    ([], ValueError, "SGD params must hold at least one Parameter, got an empty list"),
    (Linear(2, 2, rng=0), TypeError, r"got a Module: pass model.parameters\(\)"),
    (Parameter(np.ones(2)), TypeError, "SGD params must be a list of Parameter, got Parameter"),
    ([Parameter(np.ones(2)), np.ones(2)], TypeError, "got ndarray at position 1"),
    (None, TypeError, "SGD params must be a list of Parameter, got NoneType"),
])
def test_bad_params(params, exc, match):
    with pytest.raises(exc, match=match):
        SGD(params, lr=0.1)
