"""The exercise checks of chapter 3 (activations), and its figures.

Each check must pass right answers, reject the typical wrong ones with a message that
names the mistake, treat ``...`` as "not attempted yet", and never raise.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from figures import bar_heights, legend_labels, line
from matplotlib.figure import Figure

from nnlib import plotting
from nnlib.exercises import (
    Feedback,
    check_dead_units,
    check_sigmoid_depth,
    check_stable_sigmoid,
    check_tanh_grad,
)
from nnlib.exercises.ch03_activations import (
    DEAD_UNITS_EXERCISE,
    SLOPES_EXERCISE_Z,
    STABLE_SIGMOID_ANSWER,
    STABLE_SIGMOID_EXERCISE_Z,
    TANH_GRAD_ANSWER,
    check_dead_units_by_hand,
    check_slopes,
    check_stable_sigmoid_values,
    check_tanh_grad_by_hand,
)

TODO = "Replace `...`"


def text(fb: Feedback) -> str:
    return " ".join(fb.messages)


def stable_sigmoid(z):
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + u), u / (1 + u))


def split_sigmoid(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


# -- check_stable_sigmoid --------------------------------------------------------------

@pytest.mark.parametrize("fn", [stable_sigmoid, split_sigmoid,
                                lambda z: 1 / (1 + np.exp(-np.clip(z, -40, 40)))])
def test_stable_sigmoid_accepts_right_answers(fn):
    fb = check_stable_sigmoid(fn)
    assert fb.passed, fb


@pytest.mark.parametrize("placeholder", [..., None])
def test_stable_sigmoid_not_attempted(placeholder):
    fb = check_stable_sigmoid(placeholder)
    assert not fb.passed and TODO in text(fb)


def test_stable_sigmoid_function_returning_ellipsis_is_not_attempted():
    fb = check_stable_sigmoid(lambda z: ...)
    assert not fb.passed and TODO in text(fb)


def test_stable_sigmoid_rejects_the_notes_sign():
    fb = check_stable_sigmoid(lambda z: 1 / (1 + np.exp(z)))
    assert not fb.passed
    assert "sign" in text(fb) and "σ(−z)" in text(fb)


def test_stable_sigmoid_rejects_overflow_without_leaking_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a warning escaping the check fails here
        fb = check_stable_sigmoid(lambda z: 1 / (1 + np.exp(-z)))
    assert not fb.passed
    assert "overflow" in text(fb) and "z = -1000" in text(fb)


def test_stable_sigmoid_is_safe_for_every_finite_z():
    """A long double only postpones the overflow (e^z fits up to z ≈ 11356): at the largest
    floats it overflows too. Clipped first, it never does, and passes."""
    def long_double(z):
        return 1 / (1 + np.exp(-np.asarray(z, dtype=np.longdouble)))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fb = check_stable_sigmoid(long_double)
    assert not fb.passed and "overflow" in text(fb)
    if np.finfo(np.longdouble).maxexp > np.finfo(np.float64).maxexp:   # x86: 80 bits
        assert "z = -1e+308" in text(fb)
    assert check_stable_sigmoid(
        lambda z: 1 / (1 + np.exp(-np.clip(z, -1000, 1000).astype(np.longdouble)))).passed


def test_stable_sigmoid_rejects_nan_of_the_mirrored_form():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fb = check_stable_sigmoid(lambda z: np.exp(z) / (1 + np.exp(z)))
    assert not fb.passed and "nan" in text(fb)


def test_stable_sigmoid_reports_wrong_values_and_errors():
    fb = check_stable_sigmoid(lambda z: 1 / (1 + np.exp(-2 * z)))
    assert not fb.passed and "should be" in text(fb)
    fb = check_stable_sigmoid(lambda z: 1 / (1 + math.exp(-z)))      # scalar-only code
    assert not fb.passed and "np.exp" in text(fb)
    fb = check_stable_sigmoid(lambda z: z[:2])
    assert not fb.passed and "same shape" in text(fb)
    fb = check_stable_sigmoid(np.zeros(3))
    assert not fb.passed and "function itself" in text(fb)


# -- check_tanh_grad -------------------------------------------------------------------

@pytest.mark.parametrize("fn", [lambda z: 1 - np.tanh(z) ** 2, lambda z: 1 / np.cosh(z) ** 2])
def test_tanh_grad_accepts_right_answers(fn):
    assert check_tanh_grad(fn).passed


@pytest.mark.parametrize("fn, words", [
    (lambda z: 1 - np.tanh(z), "square"),
    (lambda z: np.tanh(z) * (1 - np.tanh(z)), "sigmoid's pattern"),
    (lambda z: np.tanh(z) ** 2 - 1, "sign"),
    (lambda z: np.cosh(z) ** 2, "1/cosh²"),
    (lambda z: np.tanh(z), "tanh itself"),
    (lambda z: np.ones_like(z), "central difference"),
])
def test_tanh_grad_names_the_mistake(fn, words):
    fb = check_tanh_grad(fn)
    assert not fb.passed and words in text(fb), fb


def test_tanh_grad_not_attempted_and_raising():
    assert TODO in text(check_tanh_grad(...))
    fb = check_tanh_grad(lambda z: 1 / 0)
    assert not fb.passed and "ZeroDivisionError" in text(fb)


# -- check_dead_units ------------------------------------------------------------------

@pytest.mark.parametrize("fn", [
    lambda X, layer: np.all(layer(X) <= 0, axis=0),
    lambda X, layer: ~np.any(X @ layer.W.value + layer.b.value > 0, axis=0),
    lambda X, layer: (layer(X).max(axis=0) <= 0).astype(int),
])
def test_dead_units_accepts_right_answers(fn):
    fb = check_dead_units(fn)
    assert fb.passed, fb


@pytest.mark.parametrize("fn, words", [
    (lambda X, layer: np.any(layer(X) <= 0, axis=0), "every input"),
    (lambda X, layer: layer.b.value < 0, "bias alone"),
    (lambda X, layer: layer(X) <= 0, "reduce over the inputs"),
    (lambda X, layer: np.all(layer(X) <= 1.0, axis=0), "Unit"),      # wrong threshold
    (lambda X, layer: np.any(layer(X) > 0, axis=0), "live units"),
    (lambda X, layer: np.mean(layer(X) <= 0, axis=0) > 0.9, "1 of"),  # alive for one input
    (lambda X, layer: np.zeros(2, dtype=bool), "shape"),
    (lambda X, layer: layer(X).min(axis=0), "booleans"),
])
def test_dead_units_names_the_mistake(fn, words):
    fb = check_dead_units(fn)
    assert not fb.passed and words in text(fb), fb


def test_dead_units_not_attempted_and_raising():
    assert TODO in text(check_dead_units(...))
    assert TODO in text(check_dead_units(lambda X, layer: ...))
    fb = check_dead_units(lambda X, layer: layer.nonexistent)
    assert not fb.passed and "AttributeError" in text(fb)


def test_dead_units_cases_are_unambiguous():
    """The first two cases have no z exactly 0; the third, exact integer data, is where
    "< 0" and "<= 0" disagree (a dead unit topping out at exactly 0, one at 0 everywhere)
    and where a tolerance fails (a unit alive only through 2^-60, on the last input)."""
    from nnlib.exercises.ch03_activations import _ch03_dead_cases

    cases = _ch03_dead_cases()
    n_dead = 0
    for X, layer in cases[:2]:
        z = layer(X)
        assert np.all(z != 0)
        n_dead += int(np.all(z <= 0, axis=0).sum())
    assert n_dead >= 3
    X, layer = cases[2]
    z = layer(X)
    assert np.array_equal(z, X @ layer.W.value + layer.b.value)      # exact in every order
    assert np.array_equal(z, (X @ layer.W.value) + layer.b.value[None, :])
    assert np.all(z <= 0, axis=0).tolist() == [True, False, True, False]
    assert np.all(z < 0, axis=0).tolist() == [False, False, False, False]
    assert z[:, 1].max() == 2.0 ** -60 and np.flatnonzero(z[:, 1] > 0).tolist() == [len(z) - 1]


# -- check_sigmoid_depth ---------------------------------------------------------------

def test_sigmoid_depth():
    assert check_sigmoid_depth(10).passed and check_sigmoid_depth(np.int64(10)).passed
    assert 0.25 ** 9 >= 1e-6 > 0.25 ** 10      # the answer the check expects is right
    assert "deeper" in text(check_sigmoid_depth(9))
    assert "smallest" in text(check_sigmoid_depth(11))
    assert "whole number" in text(check_sigmoid_depth(9.5))
    assert "L: give a finite number" in text(check_sigmoid_depth("ten"))
    assert "rounded down" in text(check_sigmoid_depth(9))
    assert "go deeper" in text(check_sigmoid_depth(3))
    assert "smallest" in text(check_sigmoid_depth(20))
    assert "Give one entry (L)" in text(check_sigmoid_depth([10, 10]))
    assert TODO in text(check_sigmoid_depth(...))


# -- check_slopes (3.5) ----------------------------------------------------------------

def sigma(z):
    return 1 / (1 + math.exp(-z))


SLOPES = (0.25, 1.0, sigma(SLOPES_EXERCISE_Z) * (1 - sigma(SLOPES_EXERCISE_Z)))


def test_slopes_right_answer():
    assert SLOPES_EXERCISE_Z == 2.0 and math.isclose(SLOPES[2], 0.104994, rel_tol=1e-5)
    fb = check_slopes(SLOPES)
    assert fb.passed and "less than half its peak" in text(fb)
    assert check_slopes((0.25, 1, 0.105)).passed             # rounded to 4 digits
    assert check_slopes(np.array([0.25, 1.0, 0.10499])).passed


@pytest.mark.parametrize("answer, words", [
    ((-0.25, 1.0, -SLOPES[2]), "notes' 1/(1 + e^z)"),
    ((0.25, 1.0, 1 - math.tanh(2.0) ** 2), "is tanh'(2)"),
    ((0.5, 1.0, SLOPES[2]), "σ(0) = 0.5 is the value"),
    ((0.25, 0.0, SLOPES[2]), "tanh(0) = 0 is the value"),
    ((0.25, 0.25, SLOPES[2]), "tanh is steeper"),
    ((0.25, 1.0, sigma(2.0)), "σ(2) = 0.8808 is the value"),
    ((0.25, 1.0, 1 - sigma(2.0)), "multiply by σ(2)"),
    ((0.25, 1.0, 0.2), "Not right yet: σ'(2)"),
    ((0.25, 1.0), "Give 3 entries (σ'(0), tanh'(0), σ'(2))"),
    ((0.25, 1.0, "0.105?"), "σ'(2): give a finite number"),
    ((0.25, ..., 0.105), TODO),
])
def test_slopes_mistakes(answer, words):
    fb = check_slopes(answer)
    assert not fb.passed and words in text(fb), fb


# -- check_dead_units_by_hand (3.6) ----------------------------------------------------

def test_dead_units_by_hand_right_answer():
    X, W, b = (np.array(DEAD_UNITS_EXERCISE[k]) for k in ("X", "W", "b"))
    z = X @ W + b
    assert np.all(z != 0)                       # "< 0" and "<= 0" agree
    dead = np.all(z <= 0, axis=0)
    assert dead.tolist() == [False, True, False]
    answer = tuple("dead" if d else "alive" for d in dead)
    fb = check_dead_units_by_hand(answer)
    assert fb.passed and "unit 3 is off for most inputs" in text(fb)
    assert check_dead_units_by_hand([" Alive", "DEAD", "alive "]).passed
    assert check_dead_units_by_hand(np.array(answer)).passed


@pytest.mark.parametrize("answer, words", [
    (("dead", "alive", "dead"), "marked the live units"),
    (("dead", "alive", "alive"), "bias alone"),
    (("alive", "dead", "dead"), "x = (1, 0) switches it on"),
    (("dead", "dead", "dead"), "Not right yet: unit 1, unit 3"),
    (("alive", "dead"), "Give 3 entries (unit 1, unit 2, unit 3)"),
    (("alive", "dead", "zombie"), "unit 3: choose one of the options"),
    ((False, True, False), "choose one of the options"),
    (("alive", ..., "alive"), TODO),
])
def test_dead_units_by_hand_mistakes(answer, words):
    fb = check_dead_units_by_hand(answer)
    assert not fb.passed and words in text(fb), fb


# -- figures of the chapter ------------------------------------------------------------

def test_figures_are_built_without_pyplot():
    rng = np.random.default_rng(0)
    x = np.linspace(-3, 3, 20)
    figs = [
        (plotting.plot_sigmoid_sign(), 2),
        (plotting.plot_activations(alpha=0.05), 8),
        (plotting.plot_linear_collapse(x, {"3 linear layers": 2 * x, "single map": 2 * x,
                                           "with ReLU": np.maximum(x, 0)}), 1),
        (plotting.plot_vanishing_gradients({"sigmoid": 10.0 ** -np.arange(10)}), 1),
        (plotting.plot_vanishing_gradients({"sigmoid": np.ones(10)},
                                           {"sigmoid chain": 0.2 ** np.arange(1, 11)}), 2),
        (plotting.plot_dead_relu(rng.standard_normal(50), rng.standard_normal(50) - 6,
                                 {"ReLU": np.ones(40)}, 10), 2),
    ]
    for fig, n_axes in figs:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == n_axes
        assert all(ax.get_title() for ax in fig.axes)
        assert fig.canvas.manager is None       # not registered with pyplot


def test_activation_figure_draws_the_true_functions():
    fig = plotting.plot_activations(alpha=0.1, z_max=4.0)
    sig_ax = fig.axes[2]                        # top row: ReLU, leaky, sigmoid, tanh
    z, s = sig_ax.lines[0].get_data()
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-z)), rtol=1e-12)   # round-off only
    leaky_grad = fig.axes[5].lines[0].get_data()[1]                   # left of the jump
    assert np.all(leaky_grad == 0.1)


def test_sigmoid_sign_figure_shows_both_curves():
    fig = plotting.plot_sigmoid_sign(z_max=5.0)
    (z, right), (_, notes) = (line.get_data() for line in fig.axes[0].lines[:2])
    assert np.all(np.diff(right) > 0) and np.all(np.diff(notes) < 0)
    np.testing.assert_allclose(notes, 1 / (1 + np.exp(z)), rtol=1e-12)


def _sig(z):
    return 1 / (1 + np.exp(-z))


def test_sigmoid_sign_figure_labels_the_curves_and_their_slopes():
    # the chapter's call (z_max = 6): each label on its own curve, and on the right the
    # derivatives (not the functions again): σ' = σ(1 − σ) > 0 and the notes' −σ' < 0
    fig = plotting.plot_sigmoid_sign()
    left, right = fig.axes
    sig = line(left, r"$\sigma(z) = 1/(1+e^{-z})$")
    z = sig.get_xdata()
    assert (z[0], z[-1]) == (-6.0, 6.0)
    # 1e-12: round-off only
    np.testing.assert_allclose(sig.get_ydata(), _sig(z), rtol=1e-12)
    np.testing.assert_allclose(line(left, r"notes: $1/(1+e^{z}) = \sigma(-z)$").get_ydata(),
                               _sig(-z), rtol=1e-12)
    slope = line(right, r"$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$").get_ydata()
    np.testing.assert_allclose(slope, _sig(z) * (1 - _sig(z)), rtol=1e-12)
    np.testing.assert_allclose(line(right, "notes' derivative $= -\\sigma'(z)$").get_ydata(),
                               -_sig(z) * (1 - _sig(z)), rtol=1e-12)
    # the slope is the derivative of the curve drawn on the left: central differences on
    # the 0.03 grid, error O(h²) ≈ 1e-4 of a peak slope of 1/4
    np.testing.assert_allclose(np.gradient(sig.get_ydata(), z)[1:-1], slope[1:-1], atol=1e-4)
    assert max(slope) == 0.25                                   # the title's 1/4 at z = 0


@pytest.mark.parametrize("alpha", [0.1, 0.05])
def test_activation_figure_draws_each_function_and_its_derivative(alpha):
    fig = plotting.plot_activations(alpha=alpha)                # the chapter's alpha = 0.1
    top, bottom = fig.axes[:4], fig.axes[4:]                    # rows: φ, then φ'
    z = top[0].lines[0].get_xdata()
    assert (z[0], z[-1], len(z)) == (-4.0, 4.0, 801)
    funcs = [np.maximum(z, 0), np.where(z > 0, z, alpha * z), _sig(z), np.tanh(z)]
    grads = [(z > 0) * 1.0, np.where(z > 0, 1.0, alpha), _sig(z) * (1 - _sig(z)),
             1 - np.tanh(z) ** 2]
    for ax, want in zip(top, funcs, strict=True):
        # the function is the first line (then the zero lines); 1e-12: round-off only
        np.testing.assert_allclose(ax.lines[0].get_ydata(), want, rtol=1e-12, atol=1e-15)
    for ax, want in zip(bottom[2:], grads[2:], strict=True):
        np.testing.assert_allclose(ax.lines[0].get_ydata(), want, rtol=1e-12)
        peak = float(want[400])                                 # z = 0
        assert [t.get_text() for t in ax.texts] == [f"max {peak:g} at z = 0"]
    for ax, want in zip(bottom[:2], grads[:2], strict=True):
        # the ReLUs' derivative in two pieces (z < 0, z > 0), the jump at 0 as two dots:
        # filled at the convention φ'(0) = left value, open at the other
        left_piece, right_piece, filled, empty = ax.lines[:4]
        np.testing.assert_array_equal(left_piece.get_ydata(), want[z < 0])
        np.testing.assert_array_equal(right_piece.get_ydata(), want[z > 0])
        assert filled.get_xydata().tolist() == [[0.0, float(want[0])]]
        assert empty.get_xydata().tolist() == [[0.0, 1.0]]
        assert ax.texts[0].get_text() == f"φ'(0) := {float(want[0]):g}\n(convention)"
    assert f"{alpha:g}z" in top[1].get_title()


def test_linear_collapse_figure_draws_each_output_under_its_label():
    x = np.linspace(-3, 3, 13)
    outputs = {"3 linear layers": 2 * x + 1, "single map xW + b": 2 * x + 1,
               "same weights with ReLU": np.maximum(x, 0) - 0.5}
    fig = plotting.plot_linear_collapse(x[:, None], {k: v[:, None] for k, v in outputs.items()})
    (ax,) = fig.axes
    assert legend_labels(ax) == list(outputs)
    for label, y in outputs.items():
        np.testing.assert_array_equal(line(ax, label).get_xydata(), np.column_stack([x, y]))


def test_vanishing_gradients_figure_plots_norms_per_layer_on_log_axes():
    # the chapter's call: three networks' norms per layer, two chains and the bound (1/4)^L
    norms = {"sigmoid": 4.0 ** -np.arange(10, 0, -1), "tanh": np.full(10, 0.5),
             "ReLU": np.linspace(0.5, 1, 10)}
    chains = {"sigmoid chain": 0.2 ** np.arange(1, 11), "tanh chain": 0.7 ** np.arange(1, 11)}
    fig = plotting.plot_vanishing_gradients(norms, chains)
    left, right = fig.axes
    layers = np.arange(1, 11)                                   # layer 1 next to the input
    for name, g in norms.items():
        np.testing.assert_array_equal(line(left, name).get_xydata(), np.column_stack([layers, g]))
    for name, p in chains.items():
        np.testing.assert_array_equal(line(right, name).get_xydata(), np.column_stack([layers, p]))
    bound = line(right, r"bound $(1/4)^L$ for the sigmoid")
    np.testing.assert_allclose(bound.get_ydata(), 0.25 ** layers, rtol=1e-12)   # round-off
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "log"]
    np.testing.assert_array_equal(left.get_xticks(), layers)
    np.testing.assert_array_equal(right.get_xticks(), layers)


def test_dead_relu_figure_histograms_and_losses():
    rng = np.random.default_rng(0)
    before, after = rng.standard_normal(200) + 1, rng.standard_normal(200) - 5
    losses = {"ReLU": np.geomspace(0.5, 0.3, 60),
              "leaky ReLU (α = 0.01)": np.geomspace(0.5, 1e-5, 60)}
    fig = plotting.plot_dead_relu(before, after, losses, 30)
    hist_ax, loss_ax = fig.axes
    # 40 common bins over the range of both; the counts of each set by hand
    edges = np.linspace(after.min(), before.max(), 41)
    heights = bar_heights(hist_ax)
    np.testing.assert_array_equal(heights[:40], np.histogram(before, edges)[0])
    np.testing.assert_array_equal(heights[40:80], np.histogram(after, edges)[0])
    assert (heights[:40].sum(), heights[40:80].sum()) == (200, 200)
    for label, loss in losses.items():                          # step t at x = t, from 0
        np.testing.assert_array_equal(line(loss_ax, label).get_xydata(),
                                      np.column_stack([np.arange(60), loss]))
    kick = [ln for ln in loss_ax.lines if ln.get_label().startswith("_")]
    assert [ln.get_xdata()[0] for ln in kick] == [30]           # the dashed bias step
    assert loss_ax.get_yscale() == "log"
    assert hist_ax.lines[0].get_xdata()[0] == 0                 # the ReLU's kink at z = 0


# -- check_stable_sigmoid_values (3.1, by hand) ------------------------------------------

def test_stable_sigmoid_values_right_answer():
    z = np.array(STABLE_SIGMOID_EXERCISE_Z)
    assert z.tolist() == [-1000, -2, 2, 1000]
    right = stable_sigmoid(z)
    assert right[0] == 0.0 and right[3] == 1.0 and math.isclose(right[2], 0.8807970779778823)
    fb = check_stable_sigmoid_values(right)
    assert fb.passed and "σ(−2) = 1 − σ(2)" in text(fb)
    assert check_stable_sigmoid_values((0, 0.1192, 0.8808, 1)).passed       # four digits
    assert check_stable_sigmoid_values((5e-435, 0.1192, 0.8808, 1)).passed  # e^-1000: 0
    assert STABLE_SIGMOID_ANSWER.check_name == "check_stable_sigmoid_values"


@pytest.mark.parametrize("answer, expected", [
    ((1, 0.8808, 0.1192, 0), "the notes' slip"),
    ((1, 0.8808, 0.8808, 1), "σ(|z|), above 1/2 even for z < 0"),
    ((0, 0.1192, 0.1192, 0), "σ(−|z|), below 1/2 even for z > 0"),
    ((0, 0.1192, 0.8808, 0.99), "Not right yet: σ(1000)"),
    ((0, 0.12, 0.88, 1), "Not right yet: σ(-2), σ(2)"),      # two digits are not enough
    ((float("nan"), 0.1192, 0.8808, 1), "σ(-1000): give a finite number"),
    ((0, 0.1192, 0.8808, float("inf")), "σ(1000): give a finite number"),
    ((0, 0.1192, 0.8808), "Give 4 entries"),
    ((..., 0.1192, 0.8808, 1), TODO),
])
def test_stable_sigmoid_values_mistakes(answer, expected):
    fb = check_stable_sigmoid_values(answer)
    assert not fb.passed and expected in text(fb), text(fb)


# -- check_tanh_grad_by_hand (3.2, by hand) ----------------------------------------------

def test_tanh_grad_by_hand_right_answer():
    t = np.tanh([math.log(2), -math.log(2)])
    assert np.allclose(t, [0.6, -0.6])                       # tanh(±ln 2) = ±3/5
    fb = check_tanh_grad_by_hand(1 - t ** 2)
    assert fb.passed and "16/25 = 0.64" in text(fb)
    assert check_tanh_grad_by_hand((0.64, 0.64)).passed and check_tanh_grad_by_hand([16 / 25] * 2)
    assert TANH_GRAD_ANSWER.labels == ("tanh'(ln 2)", "tanh'(−ln 2)")


@pytest.mark.parametrize("answer, expected", [
    ((0.4, 1.6), "forgot the square"),
    ((0.24, -0.96), "sigmoid's pattern"),
    ((-0.64, -0.64), "The sign is off"),
    ((1.5625, 1.5625), "not cosh²(z)"),
    ((0.8, 0.8), "1/cosh(z) misses a square"),
    ((1.36, 1.36), "derivative of tan"),
    ((0.6, -0.6), "tanh itself"),
    ((0.64, 0.36), "Not right yet: tanh'(−ln 2)"),
    ((0.64, "0.64!"), "give a finite number"),
    ((0.64,), "Give 2 entries"),
    ((0.64, ...), TODO),
])
def test_tanh_grad_by_hand_mistakes(answer, expected):
    fb = check_tanh_grad_by_hand(answer)
    assert not fb.passed and expected in text(fb), text(fb)
