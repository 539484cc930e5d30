"""Activation functions, their derivatives, the modules and the ACTIVATIONS registry."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.activations import (
    ACTIVATIONS,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    leaky_relu,
    leaky_relu_grad,
    log_softmax,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    tanh,
    tanh_grad,
)
from nnlib.gradcheck import check_module, numerical_gradient, relative_error

# Central differences in float64 agree with a correct backward to ~1e-9; 1e-7 flags a bug.
GRAD_TOL = 1e-7


def away_from_zero(shape, seed=0):
    """Inputs with 0.1 <= |z| <= 2: ReLU's kink at 0 is far beyond the difference step
    1e-6, and no derivative is so small (saturated sigmoid, tanh, softmax) that the
    difference quotient's absolute rounding error (~1e-10) becomes a large relative one."""
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


# -- functions ---------------------------------------------------------------------


def test_relu_and_its_grad_values():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(relu(z), [0, 0, 0, 0.5, 3])
    # At z = 0 the derivative is taken as 0, the notes' `1 if hin > 0 else 0`.
    np.testing.assert_array_equal(relu_grad(z), [0, 0, 0, 1, 1])


def test_leaky_relu_and_its_grad_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu(z, alpha=0.1), [-0.2, 0, 3], rtol=1e-15)
    np.testing.assert_array_equal(leaky_relu_grad(z, alpha=0.1), [0.1, 0.1, 1])
    np.testing.assert_array_equal(leaky_relu(z, alpha=0.0), relu(z))


def test_sigmoid_values_and_the_notes_sign():
    np.testing.assert_allclose(sigmoid([0.0, np.log(3.0)]), [0.5, 0.75], rtol=1e-15)
    z = np.linspace(-20, 20, 41)
    # Exactly 1/(1+e^{-z}) on moderate inputs (double rounding only: 1e-15).
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    # The notes' 1/(1+e^{z}) is σ(-z), decreasing: not the sigmoid.
    assert sigmoid(5.0) > 0.99


def test_tanh_is_two_sigmoid_minus_one():
    z = np.linspace(-5, 5, 21)
    np.testing.assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_numerical_derivative(name):
    f, df = ACTIVATIONS[name]
    z = away_from_zero(50, seed=1)
    # f is entry-wise: differentiate it at each point on its own (a sum over all
    # points would add its rounding error to every small derivative, e.g. α = 0.01).
    numeric = [numerical_gradient(lambda zi=zi: float(f(zi)[0]), zi)[0]
               for zi in z.reshape(-1, 1)]
    assert relative_error(df(z), np.array(numeric)) < GRAD_TOL


def test_registry_holds_the_entrywise_activations():
    assert set(ACTIVATIONS) == {"relu", "sigmoid", "tanh", "leaky_relu"}
    assert ACTIVATIONS["relu"] == (relu, relu_grad)
    assert ACTIVATIONS["sigmoid"] == (sigmoid, sigmoid_grad)
    assert ACTIVATIONS["tanh"] == (tanh, tanh_grad)


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 3e38)])
def test_sigmoid_is_finite_and_silent_at_extremes(dtype, big):
    z = np.array([-big, -1e3, -50, 0, 50, 1e3, big], dtype=dtype)
    # Underflow (e^{-1e3} -> 0) is the correctly rounded result and numpy ignores it.
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise",
                                                divide="raise"):
        warnings.simplefilter("error")
        s = sigmoid(z)
        ds = sigmoid_grad(z)
    assert s.dtype == dtype and np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert s[0] == 0 and s[-1] == 1 and s[3] == 0.5
    assert np.all(np.diff(s) >= 0)


def test_sigmoid_of_infinity():
    np.testing.assert_array_equal(sigmoid([-np.inf, np.inf]), [0, 1])


@pytest.mark.parametrize("f", [relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad,
                               leaky_relu, leaky_relu_grad, softmax, log_softmax])
def test_functions_keep_float32(f):
    z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    assert f(z).dtype == np.float32


def test_integer_input_becomes_float64():
    assert relu([1, -2]).dtype == np.float64


# -- softmax -----------------------------------------------------------------------


@given(st.integers(1, 5), st.integers(1, 6), st.floats(-1e3, 1e3), st.integers(0, 2**31))
def test_softmax_rows_sum_to_one_and_ignore_a_constant(n, k, c, seed):
    z = np.random.default_rng(seed).standard_normal((n, k)) * 5
    p = softmax(z)
    # Sums of K <= 6 terms in (0, 1]: a few ulps.
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-14)
    assert np.all(p > 0)
    # Shifting by c changes the rounding of z + c: about |c| * 1e-16 in the exponents.
    np.testing.assert_allclose(softmax(z + c), p, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(np.exp(log_softmax(z)), p, rtol=1e-13)


def test_softmax_is_stable_at_1e4():
    z = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise",
                                                divide="raise"):
        warnings.simplefilter("error")
        p, logp = softmax(z), log_softmax(z)
    np.testing.assert_array_equal(p[0], [1, 0, 0])
    np.testing.assert_allclose(p[1], 1 / 3, rtol=1e-15)
    np.testing.assert_array_equal(logp[0], [0, -1e4, -2e4])
    assert np.all(np.isfinite(logp))


def test_softmax_axis():
    z = np.random.default_rng(0).standard_normal((3, 4))
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T).T, rtol=1e-15)
    np.testing.assert_allclose(softmax(z, axis=0).sum(axis=0), 1, rtol=1e-15)


# -- modules -----------------------------------------------------------------------

MODULES = [ReLU(), Sigmoid(), Tanh(), LeakyReLU(0.1), Softmax(), Softmax(axis=0)]


@pytest.mark.parametrize("module", MODULES, ids=repr)
def test_module_gradients(module):
    report = check_module(module, away_from_zero((5, 4), seed=3))
    assert module.parameters() == []
    assert set(report) == {"input"}
    assert report["input"] < GRAD_TOL, report


@pytest.mark.parametrize("module, f, df", [(ReLU(), relu, relu_grad),
                                           (Sigmoid(), sigmoid, sigmoid_grad),
                                           (Tanh(), tanh, tanh_grad)],
                         ids=["ReLU", "Sigmoid", "Tanh"])
def test_module_uses_its_functions(module, f, df):
    z = away_from_zero((3, 4), seed=4)
    g = np.random.default_rng(5).standard_normal((3, 4))
    np.testing.assert_array_equal(module(z), f(z))
    np.testing.assert_array_equal(module.backward(g), g * df(z))


def test_softmax_module_backward_is_the_jacobian_product():
    z = np.random.default_rng(6).standard_normal((2, 3))
    g = np.random.default_rng(7).standard_normal((2, 3))
    sm = Softmax()
    p = sm(z)
    for i in range(2):
        jac = np.diag(p[i]) - np.outer(p[i], p[i])  # ∂p_a/∂z_b = p_a(δ_ab − p_b)
        # Two small products of numbers in (−3, 3): double-precision rounding.
        np.testing.assert_allclose(sm.backward(g)[i], jac.T @ g[i], rtol=1e-12, atol=1e-15)


def test_modules_in_a_network_keep_float32():
    z = np.ones((2, 3), dtype=np.float32)
    for m in MODULES:
        assert m(z).dtype == np.float32
        assert m.backward(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


def test_reprs():
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"
    assert repr(Softmax(axis=0)) == "Softmax(axis=0)"
    assert repr(ReLU()) == "ReLU()"


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("module", [ReLU(), Sigmoid(), Tanh(), LeakyReLU(), Softmax()],
                         ids=repr)
def test_backward_before_forward(module):
    with pytest.raises(ValueError, match="backward called before forward"):
        module.backward(np.ones((2, 3)))


@pytest.mark.parametrize("module", MODULES, ids=repr)
def test_backward_with_wrong_shape(module):
    module.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad_out of shape \(2, 3\).*got \(3, 2\)"):
        module.backward(np.ones((3, 2)))


@pytest.mark.parametrize("alpha, exc", [(-0.1, ValueError), ("0.1", TypeError),
                                        (np.nan, ValueError)])
def test_bad_alpha(alpha, exc):
    with pytest.raises(exc, match="alpha"):
        LeakyReLU(alpha)
    with pytest.raises(exc, match="alpha"):
        leaky_relu([1.0], alpha=alpha)
    with pytest.raises(exc, match="alpha"):
        leaky_relu_grad([1.0], alpha=alpha)


@pytest.mark.parametrize("f", [relu, sigmoid, tanh, softmax, relu_grad, sigmoid_grad])
@pytest.mark.parametrize("bad", ["abc", None, np.array(["a", "b"])])
def test_non_numeric_input(f, bad):
    with pytest.raises(TypeError, match=r"z must (be an array of numbers|hold real numbers)"):
        f(bad)


def test_module_non_numeric_input():
    with pytest.raises(TypeError, match="ReLU input must"):
        ReLU()("abc")


def test_bad_softmax_axis():
    with pytest.raises(ValueError, match=r"axis must be in \[-2, 2\).*got 2"):
        softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        softmax(np.ones((2, 3)), axis=1.0)
    with pytest.raises(TypeError, match="Softmax axis must be an integer"):
        Softmax(axis="rows")
    with pytest.raises(ValueError, match="axis must be in"):
        log_softmax(3.0)
