"""Parameters, modules, Linear, Flatten, Dropout, Sequential and the initialisers."""

import numpy as np
import pytest

from nnlib.gradcheck import check_module
from nnlib.layers import Dropout, Flatten, Linear, Module, Parameter, Sequential, init_weights

# Central differences in float64 agree with a correct backward to ~1e-9; 1e-7 flags a bug.
GRAD_TOL = 1e-7


def rng(seed=0):
    return np.random.default_rng(seed)


def test_parameter_holds_value_grad_name_decay():
    p = Parameter(np.ones((2, 3)), "W", decay=True)
    assert p.grad.shape == p.value.shape and not p.grad.any()
    assert p.name == "W" and p.decay and p.shape == (2, 3)


def test_linear_is_x_times_W_plus_b():
    lin = Linear(3, 2, rng=0)
    x = rng().standard_normal((4, 3))
    np.testing.assert_array_equal(lin(x), x @ lin.W.value + lin.b.value)
    assert lin.W.value.shape == (3, 2) and lin.b.value.shape == (2,)
    assert not lin.b.value.any(), "biases start at zero"
    assert [p.name for p in lin.parameters()] == ["W", "b"]
    assert lin.W.decay and not lin.b.decay


def test_linear_gradients():
    lin = Linear(5, 4, rng=1)
    report = check_module(lin, rng(2).standard_normal((6, 5)))
    assert max(report.values()) < GRAD_TOL, report


def test_gradients_accumulate_until_zero_grad():
    lin = Linear(3, 2, rng=0)
    x, g = rng(1).standard_normal((4, 3)), rng(2).standard_normal((4, 2))
    lin(x)
    lin.backward(g)
    once = lin.W.grad.copy()
    lin(x)
    lin.backward(g)
    np.testing.assert_allclose(lin.W.grad, 2 * once, rtol=1e-12)  # exact up to rounding
    lin.zero_grad()
    assert not lin.W.grad.any() and not lin.b.grad.any()


def test_sequential_orders_parameters_and_gradients():
    net = Sequential(Linear(4, 3, rng=0), Flatten(), Linear(3, 2, rng=1))
    params = net.parameters()
    assert [p.name for p in params] == ["W", "b", "W", "b"]
    assert params[0] is net[0].W and params[3] is net[2].b
    report = check_module(net, rng(3).standard_normal((5, 4)))
    assert max(report.values()) < GRAD_TOL, report
    assert len(net) == 3 and "Linear(4, 3)" in repr(net)


@pytest.mark.parametrize("init, std", [("he", np.sqrt(2 / 400)),
                                       ("xavier", np.sqrt(2 / 600)),
                                       ("normal", 1.0)])
def test_init_scales(init, std):
    W = init_weights((400, 200), 400, 200, init, rng=0)
    # 80 000 draws: the sample std is within 1 % of the true one with overwhelming odds.
    assert abs(W.std() / std - 1) < 0.01
    assert abs(W.mean()) < 4 * std / np.sqrt(W.size)


def test_same_seed_same_weights_and_dtype_kept():
    a, b = Linear(3, 3, rng=7), Linear(3, 3, rng=7)
    np.testing.assert_array_equal(a.W.value, b.W.value)
    lin32 = Linear(3, 2, rng=0, dtype=np.float32)
    assert lin32(np.ones((1, 3))).dtype == np.float32


def test_flatten_roundtrip():
    f = Flatten()
    x = rng().standard_normal((2, 3, 4, 5))
    assert f(x).shape == (2, 60)
    np.testing.assert_array_equal(f.backward(f(x)), x)


def test_dropout_is_inverted_and_identity_in_eval():
    d = Dropout(0.25, rng=0)
    x = np.ones((2000, 50))
    y = d(x)
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    # 100 000 Bernoulli(0.75) draws: the kept fraction is 0.75 ± 0.005 (> 3 std).
    assert abs(kept.mean() - 0.75) < 0.005
    np.testing.assert_array_equal(d.backward(np.ones_like(x)), y)
    d.eval()
    np.testing.assert_array_equal(d(x), x)
    assert not d.training


def test_train_eval_reach_submodules():
    net = Sequential(Linear(2, 2, rng=0), Dropout(0.5, rng=0))
    net.eval()
    assert not net.training and not net[1].training
    net.train()
    assert net[1].training


@pytest.mark.parametrize("make, x, match", [
    (lambda: Linear(3, 2, rng=0), np.ones((4, 5)),
     r"Linear expected input of shape \(N, 3\), got \(4, 5\)"),
    (lambda: Linear(3, 2, rng=0), np.ones(3), r"input must be 2-D, got shape \(3,\)"),
    (lambda: Flatten(), np.ones(3), r"Flatten expected input of shape \(N, \.\.\.\)"),
])
def test_bad_input_shapes(make, x, match):
    with pytest.raises(ValueError, match=match):
        make()(x)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: Linear(0, 2), ValueError, "in_features must be >= 1, got 0"),
    (lambda: Linear(2.5, 2), TypeError, "out_features|in_features must be an integer"),
    (lambda: Linear(2, 2, init="zeros"), ValueError, "init must be one of"),
    (lambda: Dropout(1.0), ValueError, r"p must be in \[0, 1\), got 1"),
    (lambda: Dropout(-0.1), ValueError, r"p must be in \[0, 1\)"),
    (lambda: Sequential(Linear(2, 2), "relu"), TypeError, "expected Module instances, got str"),
    (lambda: Linear(2, 2, rng="seed"), TypeError, "rng must be"),
    (lambda: Linear(2, 2)("text"), TypeError, "input must be an array of numbers"),
])
def test_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_backward_before_forward_and_wrong_grad_shape():
    lin = Linear(3, 2, rng=0)
    with pytest.raises(ValueError, match="backward called before forward"):
        lin.backward(np.ones((1, 2)))
    lin(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"expected grad_out of shape \(4, 2\).*got \(4, 3\)"):
        lin.backward(np.ones((4, 3)))


def test_module_base_is_abstract():
    with pytest.raises(NotImplementedError):
        Module()(np.ones(2))
