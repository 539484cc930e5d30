"""Wrong attempts that the checks of chapters 3, 6 and 7 used to call correct (issue 20,
item 7, "checks that cannot be fooled").

Each test is one attempt, named for what it does, and requires that its check now says
"not passed" with a message that names the rule it breaks. They come in four kinds:

1. the task done another way than the one asked (the library's function, a numerical
   derivative instead of the formula, vectorised code where loops are asked);
2. randomness shared where it must be independent (one dropout mask for every row, every
   call, a fixed number of drops);
3. a guard of the exercise escaped (an overflow silenced, caught, or hidden from the
   inputs the check tries);
4. a rule of the exercise changed (``<`` for ``≤``, a tolerance, a margin, a hard-coded p).
"""

from __future__ import annotations

import cmath
import math
import warnings

import numpy as np
import pytest
from test_ch07_overfitting import nnlib_decision  # early stopping decided by nnlib itself

from nnlib.activations import Tanh, sigmoid, tanh_grad
from nnlib.conv import Conv2D, convolve2d
from nnlib.exercises import (
    EARLY_STOPPING_CASES,
    check_conv_backward_loops,
    check_convolve2d_loops,
    check_dead_units,
    check_early_stopping,
    check_inverted_dropout,
    check_stable_sigmoid,
    check_tanh_grad,
)
from nnlib.layers import Dropout
from nnlib.reference import conv2d_backward_loops, conv2d_loops


def text(fb) -> str:
    return " ".join(fb.messages)


def rejected(fb, *words: str) -> None:
    """``fb`` is "not passed", never a failure of the check itself, and says ``words``."""
    assert not fb.passed, fb
    assert "could not handle" not in text(fb), fb
    for w in words:
        assert w in text(fb), (w, fb)


# -- Exercise 3.1: a sigmoid that never overflows ---------------------------------------

def test_sigmoid_that_calls_the_library_sigmoid():                    # kind 1
    rejected(check_stable_sigmoid(lambda z: sigmoid(z)),
             "calls nnlib.activations.sigmoid", "yourself")


def test_sigmoid_that_is_the_library_sigmoid_itself():                # kind 1
    rejected(check_stable_sigmoid(sigmoid), "calls nnlib.activations.sigmoid")


def test_sigmoid_that_calls_scipys_expit():                           # kind 1
    special = pytest.importorskip("scipy.special")
    rejected(check_stable_sigmoid(lambda z: special.expit(z)), "calls scipy.special.expit")


def test_sigmoid_that_calls_a_pre_imported_expit_on_a_plain_array():  # kind 1
    """scipy's expit is a ufunc: no trace sees it called, and on a plain copy of z (not
    the array the check watches) its name was not seen either."""
    expit = pytest.importorskip("scipy.special").expit      # bound before the check runs

    rejected(check_stable_sigmoid(lambda z: expit(np.asarray(z))),
             "calls scipy.special.expit", "yourself")


def test_sigmoid_that_calls_scipys_expit_by_its_dotted_name_on_a_copy():  # kind 1
    scipy = pytest.importorskip("scipy")
    pytest.importorskip("scipy.special")

    rejected(check_stable_sigmoid(lambda z: scipy.special.expit(np.array(z, dtype=float))),
             "calls scipy.special.expit")


def test_naive_sigmoid_on_a_plain_copy_with_the_overflow_silenced():  # kind 3
    def naive(z):
        z = np.asarray(z)                  # leaves the array the check watches
        with np.errstate(over="ignore"):
            return 1 / (1 + np.exp(-z))

    rejected(check_stable_sigmoid(naive), "np.exp turned finite numbers into inf",
             "only silenced")


def test_naive_sigmoid_with_the_warning_filtered_out():               # kind 3
    def naive(z):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return 1 / (1 + np.exp(-np.array(z)))

    rejected(check_stable_sigmoid(naive), "inf", "e^1000 still overflows")


def test_naive_sigmoid_with_a_power_of_e_and_the_overflow_silenced():  # kind 3
    def naive(z):
        z = np.asarray(z)
        with np.errstate(over="ignore"):
            return 1 / (1 + np.e ** (-z))  # an operator: no numpy function to watch

    rejected(check_stable_sigmoid(naive), "overflow", "only silenced")


def test_naive_sigmoid_under_an_errstate_decorator():                 # kind 3
    @np.errstate(over="ignore")
    def naive(z):
        return 1 / (1 + np.exp(-np.asarray(z)))

    rejected(check_stable_sigmoid(naive), "np.exp turned finite numbers into inf")


def test_sigmoid_that_catches_the_overflow_error_of_math_exp():       # kind 3
    def by_entries(z):
        out = []
        for v in np.asarray(z, dtype=float):
            try:
                out.append(1 / (1 + math.exp(-v)))
            except OverflowError:          # e^1000 overflows, and is caught
                out.append(0.0)
        return np.array(out)

    rejected(check_stable_sigmoid(by_entries), "OverflowError was raised", "caught")


def test_sigmoid_that_raises_on_overflow_and_falls_back():            # kind 3
    def try_naive_first(z):
        z = np.asarray(z)
        try:
            with np.errstate(over="raise"):
                return 1 / (1 + np.exp(-z))
        except FloatingPointError:
            u = np.exp(-np.abs(z))
            return np.where(z >= 0, 1 / (1 + u), u / (1 + u))

    rejected(check_stable_sigmoid(try_naive_first), "e^1000 still overflows")


def test_sigmoid_that_shifts_by_the_largest_z_of_the_array():         # kind 3
    """Right for each point alone, and for |z| ≤ 50 together, but NaN at z = -1000 once
    z = 1000 is in the same array: the check used to try the large points one at a time."""
    def shifted(z):
        m = max(float(np.max(z)), 0.0)
        return np.exp(z - m) / (np.exp(z - m) + np.exp(-m))

    rejected(check_stable_sigmoid(shifted), "all 13 points at once", "z = -1000",
             "must not depend on the other entries")


# -- Exercise 3.2: the derivative of tanh ------------------------------------------------

def test_tanh_grad_by_a_central_difference():                         # kind 1
    rejected(check_tanh_grad(lambda z: (np.tanh(z + 1e-5) - np.tanh(z - 1e-5)) / 2e-5),
             "numerical derivative", "formula")


def test_tanh_grad_by_a_central_difference_of_math_tanh():            # kind 1
    def by_entries(z):
        return np.array([(math.tanh(v + 1e-5) - math.tanh(v - 1e-5)) / 2e-5 for v in z])

    rejected(check_tanh_grad(by_entries), "not equal to round-off", "numerical derivative")


def test_tanh_grad_by_richardson_extrapolation():                     # kind 1
    def richardson(z, h=1e-3):
        return (8 * (np.tanh(z + h) - np.tanh(z - h))
                - (np.tanh(z + 2 * h) - np.tanh(z - 2 * h))) / (12 * h)

    rejected(check_tanh_grad(richardson), "numerical derivative")


def test_tanh_grad_by_a_complex_step():                               # kind 1
    rejected(check_tanh_grad(lambda z: np.tanh(z + 1e-20j).imag / 1e-20),
             "complex-step derivative", "formula")


def test_tanh_grad_by_a_complex_step_with_cmath():                    # kind 1
    """cmath's functions are written in C: sys.settrace does not see them called."""
    def by_entries(z):
        return np.array([cmath.tanh(complex(v, 1e-20)).imag / 1e-20 for v in z])

    rejected(check_tanh_grad(by_entries), "cmath.tanh", "complex-step derivative")


def test_tanh_grad_by_a_complex_step_through_cmath_exp():             # kind 1
    from cmath import exp  # bound before the check runs

    def by_entries(z):
        grads = []
        for v in z:
            e = exp(2 * complex(v, 1e-20))
            grads.append(((e - 1) / (e + 1)).imag / 1e-20)
        return np.array(grads)

    rejected(check_tanh_grad(by_entries), "cmath.exp", "complex-step derivative")


def test_tanh_grad_that_calls_the_library_derivative():               # kind 1
    rejected(check_tanh_grad(lambda z: tanh_grad(z)), "calls nnlib.activations.tanh_grad")


def test_tanh_grad_from_the_backward_of_the_tanh_module():            # kind 1
    def backward(z):
        layer = Tanh()
        layer.forward(z)
        return layer.backward(np.ones_like(z))

    rejected(check_tanh_grad(backward), "calls nnlib.activations.tanh_grad")


def test_tanh_grad_by_nnlibs_autograd():                              # kind 1
    from nnlib.autograd import Value

    def by_autograd(z):
        grads = []
        for v in z:
            x = Value(float(v))
            x.tanh().backward()
            grads.append(x.grad)
        return np.array(grads)

    rejected(check_tanh_grad(by_autograd), "nnlib.autograd", "formula")


def test_tanh_grad_values_in_reverse_order():
    """tanh' is even: on the symmetric, sorted grid the check used, the values reversed
    were the right values."""
    rejected(check_tanh_grad(lambda z: (1 - np.tanh(z) ** 2)[::-1]), "At z = 1")


# -- Exercise 3.3: find the dead units ---------------------------------------------------

def test_dead_units_with_a_strict_inequality():                       # kind 4
    rejected(check_dead_units(lambda X, layer: np.all(layer(X) < 0, axis=0)),
             "exactly 0", "ReLU'(0) = 0", "not z < 0")


def test_dead_units_with_a_tolerance():                               # kind 4
    rejected(check_dead_units(lambda X, layer: layer(X).max(axis=0) <= 1e-9),
             "however small", "without a tolerance")


def test_dead_units_with_np_isclose_to_zero():                        # kind 4
    def close_to_zero(X, layer):
        z = layer(X)
        return np.all((z < 0) | np.isclose(z, 0), axis=0)

    rejected(check_dead_units(close_to_zero), "without a tolerance")


# -- Exercise 6.4: a convolution with loops ----------------------------------------------

def windows(image, k, stride, padding):
    """The (H', W', k, k) windows of the padded image, without a Python loop."""
    x = np.pad(image, padding)
    return np.lib.stride_tricks.sliding_window_view(x, (k, k))[::stride, ::stride]


def test_convolution_that_calls_nnlibs_convolve2d():                  # kind 1
    rejected(check_convolve2d_loops(lambda im, k, s, p: convolve2d(im, k, s, p)),
             "calls nnlib.conv.convolve2d", "own loops")


def test_convolution_that_is_nnlibs_convolve2d_itself():              # kind 1
    rejected(check_convolve2d_loops(convolve2d), "calls nnlib.conv.convolve2d")


def test_convolution_that_calls_the_loop_reference():                 # kind 1
    def reference(image, kernel, stride, padding):
        return conv2d_loops(image[None, None], kernel[None, None], np.zeros(1), stride,
                            padding)[0, 0]

    rejected(check_convolve2d_loops(reference), "calls nnlib.reference.conv2d_loops")


def test_convolution_by_scipys_correlate2d():                         # kind 1
    signal = pytest.importorskip("scipy.signal")
    rejected(check_convolve2d_loops(
        lambda im, k, s, p: signal.correlate2d(np.pad(im, p), k, "valid")[::s, ::s]),
        "calls scipy.signal.correlate2d")


def test_convolution_by_scipys_convolve2d_with_the_kernel_flipped():  # kind 1
    """scipy's convolve2d flips the kernel (the mathematical convolution): flipped back
    first, it gives the cross-correlation's numbers."""
    signal = pytest.importorskip("scipy.signal")
    rejected(check_convolve2d_loops(
        lambda im, k, s, p: signal.convolve2d(np.pad(im, p), k[::-1, ::-1], "valid")[::s, ::s]),
        "calls scipy.signal.convolve2d")


def test_convolution_vectorised_with_sliding_windows():               # kind 1
    def vectorised(image, kernel, stride, padding):
        return np.einsum("hwij,ij->hw", windows(image, kernel.shape[0], stride, padding),
                         kernel)

    rejected(check_convolve2d_loops(vectorised), "not computed one output entry at a time",
             "plain Python loops")


def test_convolution_with_a_loop_over_the_kernel_entries_only():      # kind 1
    def over_offsets(image, kernel, stride, padding):
        x, k = np.pad(image, padding), kernel.shape[0]
        H, W = (x.shape[0] - k) // stride + 1, (x.shape[1] - k) // stride + 1
        out = np.zeros((H, W))
        for i in range(k):                 # k² shifted images, each vectorised
            for j in range(k):
                out += kernel[i, j] * x[i:i + stride * H:stride, j:j + stride * W:stride]
        return out

    rejected(check_convolve2d_loops(over_offsets), "not computed one output entry at a time")


def test_convolution_with_a_loop_over_the_rows_only():                # kind 1
    def over_rows(image, kernel, stride, padding):
        k = kernel.shape[0]
        win = windows(image, k, stride, padding)
        out = np.zeros(win.shape[:2])
        for h in range(len(out)):          # each row in one vectorised step
            out[h] = np.einsum("wij,ij->w", win[h], kernel)
        return out

    rejected(check_convolve2d_loops(over_rows), "not computed one output entry at a time")


def test_convolution_by_a_dummy_loop_around_a_vectorised_result():    # kind 1
    """The loops run once per output entry, as loops that compute it would, but only
    copy what one einsum computed before them."""
    def copied(image, kernel, stride, padding):
        full = np.einsum("hwij,ij->hw", windows(image, kernel.shape[0], stride, padding),
                         kernel)
        out = np.zeros_like(full)
        for h in range(full.shape[0]):
            for w in range(full.shape[1]):
                out[h, w] = full[h, w]
        return out

    rejected(check_convolve2d_loops(copied), "your whole result was already there",
             "a vectorised step before them")


def test_convolution_by_a_vectorised_helper_called_in_every_iteration():  # kind 1
    def helper(image, kernel, stride, padding):
        return np.einsum("hwij,ij->hw", windows(image, kernel.shape[0], stride, padding),
                         kernel)

    def copied(image, kernel, stride, padding):
        shape = helper(image, kernel, stride, padding).shape
        out = np.zeros(shape)
        for h in range(shape[0]):
            for w in range(shape[1]):
                out[h, w] = helper(image, kernel, stride, padding)[h, w]
        return out

    rejected(check_convolve2d_loops(copied), "your whole result was already there")


# -- Exercise 6.5: the backward pass of a convolution, with loops ------------------------

def test_conv_backward_that_calls_conv2d_backward():                  # kind 1
    def by_conv2d(x, W, g, stride, padding):
        layer = Conv2D(1, 1, W.shape[0], stride=stride, padding=padding)
        layer.W.value[...] = W
        layer.forward(x[None, None])
        dx = layer.backward(g[None, None])[0, 0]
        return dx, layer.W.grad[0, 0], layer.b.grad.sum()

    rejected(check_conv_backward_loops(by_conv2d), "calls nnlib.conv.Conv2D", "own loops")


def test_conv_backward_that_calls_the_loop_reference():               # kind 1
    def reference(x, W, g, stride, padding):
        dx, dW, db = conv2d_backward_loops(x[None, None], W[None, None], g[None, None],
                                           stride, padding)
        return dx[0, 0], dW[0, 0], db

    rejected(check_conv_backward_loops(reference),
             "calls nnlib.reference.conv2d_backward_loops")


def test_conv_backward_vectorised_with_a_full_convolution():          # kind 1
    """dW as one einsum over the windows, dx as convolve2d of the dilated, padded G with
    the rotated kernel: the formulas of the summary, not the loops the exercise asks for."""
    def vectorised(x, W, g, stride, padding):
        k, xp = W.shape[0], np.pad(x, padding)
        dW = np.einsum("hwij,hw->ij", windows(x, k, stride, padding)[:g.shape[0], :g.shape[1]],
                       g)
        dilated = np.zeros(((g.shape[0] - 1) * stride + 1, (g.shape[1] - 1) * stride + 1))
        dilated[::stride, ::stride] = g
        full = convolve2d(np.pad(dilated, k - 1), W[::-1, ::-1])
        dxp = np.zeros_like(xp)
        dxp[:full.shape[0], :full.shape[1]] = full
        H, Wd = x.shape
        return dxp[padding:padding + H, padding:padding + Wd], dW, g.sum()

    rejected(check_conv_backward_loops(vectorised), "calls nnlib.conv.convolve2d")


def test_conv_backward_vectorised_with_numpy_only():                  # kind 1
    def vectorised(x, W, g, stride, padding):
        k, xp = W.shape[0], np.pad(x, padding)
        dW = np.einsum("hwij,hw->ij", windows(x, k, stride, padding)[:g.shape[0], :g.shape[1]],
                       g)
        dxp = np.zeros_like(xp)
        for i in range(k):                 # a loop over the kernel entries, not over (h, w)
            for j in range(k):
                dxp[i:i + stride * g.shape[0]:stride, j:j + stride * g.shape[1]:stride] += \
                    W[i, j] * g
        H, Wd = x.shape
        return dxp[padding:padding + H, padding:padding + Wd], dW, g.sum()

    rejected(check_conv_backward_loops(vectorised), "not computed one output entry at a time")


def vectorised_conv_backward(x, W, g, stride, padding):
    """dW as one einsum over the windows, dx scattered with np.add.at: no Python loop."""
    k, xp = W.shape[0], np.pad(x, padding)
    dW = np.einsum("hwij,hw->ij", windows(x, k, stride, padding)[:g.shape[0], :g.shape[1]], g)
    h, w, i, j = np.ix_(*(np.arange(n) for n in (*g.shape, k, k)))
    dxp = np.zeros_like(xp)
    np.add.at(dxp, (h * stride + i, w * stride + j), g[:, :, None, None] * W)
    H, Wd = x.shape
    return dxp[padding:padding + H, padding:padding + Wd], dW, g.sum()


def test_conv_backward_by_a_dummy_loop_after_a_vectorised_result():   # kind 1
    def copied(x, W, g, stride, padding):
        dx, dW, db = vectorised_conv_backward(x, W, g, stride, padding)
        total = 0.0
        for h in range(g.shape[0]):        # one iteration per output entry, computing db
            for w in range(g.shape[1]):
                total += g[h, w]
        return dx, dW, total

    rejected(check_conv_backward_loops(copied), "your whole result was already there",
             "a vectorised step before them")


# -- Exercise 7.1: the early-stopping decision -------------------------------------------

def early_stop_with(improves):
    """The right walk through the losses, with ``improves(loss, best)`` as the rule."""
    def early_stop(val_losses, patience):
        best, best_epoch, wait = float("inf"), 0, 0
        for epoch, loss in enumerate(val_losses, start=1):
            if improves(loss, best):
                best, best_epoch, wait = loss, epoch, 0
            else:
                wait += 1
                if wait == patience:
                    return epoch, best_epoch
        return len(val_losses), best_epoch

    return early_stop


def test_early_stopping_that_calls_nnlibs_early_stopping():           # kind 1
    rejected(check_early_stopping(nnlib_decision), "calls nnlib.training.EarlyStopping",
             "your own rule")


def test_early_stopping_that_asks_an_improvement_to_beat_a_margin():  # kind 4
    rejected(check_early_stopping(early_stop_with(lambda loss, best: loss < best - 1e-3)),
             "by 1e-08 only", "strictly below the best", "no margin")


def test_early_stopping_that_rounds_the_losses():                     # kind 4
    rejected(check_early_stopping(
        early_stop_with(lambda loss, best: round(loss, 4) < round(best, 4))),
        "strictly below the best", "no rounding")


def test_early_stopping_that_treats_close_losses_as_a_tie():          # kind 4
    rejected(check_early_stopping(
        early_stop_with(lambda loss, best: loss < best and not np.isclose(loss, best))),
        "strictly below the best", "no np.isclose")


def test_early_stopping_that_looks_up_the_public_cases():              # kind 3
    """The answers of EARLY_STOPPING_CASES worked out once (here by nnlib), then looked up:
    no rule at all."""
    answers = {(tuple(losses), patience): nnlib_decision(losses, patience)
               for losses, patience in EARLY_STOPPING_CASES}

    rejected(check_early_stopping(lambda losses, patience: answers.get(
        (tuple(losses), patience), (len(losses), 1))),
        "Right on the 8 public cases", "not the answers of the public cases")


# -- Exercise 7.3: inverted dropout ------------------------------------------------------

def dropout_with(keep_mask, scale=None):
    """Inverted dropout with ``keep_mask(x, p, rng)`` (True: kept) and the survivors divided
    by ``scale(p)`` (default 1 − p); evaluation is the identity."""
    def dropout(x, p, rng, training):
        if not training:
            return x
        return x * keep_mask(x, p, rng) / (scale or (lambda q: 1 - q))(p)

    return dropout


def test_dropout_that_drops_22_percent_for_p_025():                   # kind 4
    """7 standard deviations from 25 %: the check accepted any fraction within 3 %."""
    fb = check_inverted_dropout(dropout_with(lambda x, p, rng: rng.random(x.shape) >= 0.88 * p))
    rejected(fb, "dropped 22.2% of the 10,000 entries", "25% ± 0.43% (one standard deviation",
             "standard deviations away", "accepts up to 4")


def test_dropout_with_one_mask_for_every_row():                       # kind 2
    """A mask of shape x.shape[1:], broadcast over the batch, with exactly p of it dropped,
    so that the fraction dropped is right."""
    def one_row(x, p, rng):
        return rng.permutation(x.shape[1]) >= round(p * x.shape[1])

    rejected(check_inverted_dropout(dropout_with(one_row)), "every row of your mask is the same")


def test_dropout_of_whole_examples():                                 # kind 2
    def whole_rows(x, p, rng):
        return (rng.permutation(x.shape[0]) >= round(p * x.shape[0]))[:, None]

    rejected(check_inverted_dropout(dropout_with(whole_rows)), "whole examples are dropped")


def test_dropout_with_the_top_half_of_the_mask_reused_below():        # kind 2
    def tiled(x, p, rng):
        half = rng.random((x.shape[0] // 2, x.shape[1])) >= p
        return np.vstack([half, half])

    rejected(check_inverted_dropout(dropout_with(tiled)), "rows 0 and 50 of your mask are the same")


def test_dropout_that_drops_exactly_p_n_entries():                    # kind 2
    def exact_count(x, p, rng):
        keep = np.ones(x.size, dtype=bool)
        keep[rng.permutation(x.size)[:round(p * x.size)]] = False
        return keep.reshape(x.shape)

    rejected(check_inverted_dropout(dropout_with(exact_count)),
             "number of dropped entries hardly varies", "standard deviations")


def test_dropout_from_one_of_three_seeds():                           # kind 2
    def few_masks(x, p, rng):
        return np.random.default_rng(int(rng.integers(3))).random(x.shape) >= p

    rejected(check_inverted_dropout(dropout_with(few_masks)),
             "masks of two calls", "standard deviations away", "new at every call")


def test_dropout_from_fixed_random_numbers_shifted_by_the_rng():      # kind 2
    fixed = np.random.default_rng(123).random((100, 100))

    def shifted(x, p, rng):
        return (fixed + 0.05 * rng.random()) % 1 >= p

    rejected(check_inverted_dropout(dropout_with(shifted)), "masks of two calls",
             "standard deviations away")


def test_dropout_that_reseeds_numpys_global_random_state():           # kind 2
    def global_state(x, p, rng):
        np.random.seed(int(rng.integers(2 ** 31)))        # noqa: NPY002 (the attempt tested)
        return np.random.random(x.shape) >= p              # noqa: NPY002

    rejected(check_inverted_dropout(dropout_with(global_state)),
             "changes numpy's global random state", "`rng` argument")


def test_dropout_with_p_hard_coded():                                 # kind 4
    def hard_coded(x, p, rng, training):
        if not training or p == 0:
            return x
        return x * (rng.random(x.shape) >= 0.25) / 0.75

    rejected(check_inverted_dropout(hard_coded), "With p = 0.1", "is p hard-coded?")


def test_dropout_that_calls_nnlibs_dropout_layer():                   # kind 1
    def by_layer(x, p, rng, training):
        layer = Dropout(p, rng=rng)
        return (layer.train() if training else layer.eval())(x)

    rejected(check_inverted_dropout(by_layer), "calls nnlib.layers.Dropout", "yourself")


def test_dropout_from_one_of_a_thousand_seeds():                      # kind 2
    """A mask from one of 1,000 seeds, the seed drawn from the call's rng: the 15 calls
    compared with each other almost never share one."""
    def few_masks(x, p, rng):
        return np.random.default_rng(int(rng.integers(1000))).random(x.shape) >= p

    rejected(check_inverted_dropout(dropout_with(few_masks)), "gave the same mask",
             "a few possibilities only")
