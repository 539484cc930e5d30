"""Chapter 7 (overfitting): the exercise checks and the chapter's figures.

Right answers pass, typical mistakes get their specific message, placeholders are "not
attempted yet", and every check agrees with the nnlib code it teaches.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from nnlib.exercises import (
    EARLY_STOPPING_CASES,
    LAMBDA_TABLE,
    VALUE_ANSWERS,
    WEIGHT_DECAY_EXERCISE,
    check_choose_lambda,
    check_early_stopping,
    check_inverted_dropout,
    check_weight_decay_step,
    lambda_table_digits,
)
from nnlib.exercises.ch07_overfitting import (
    CHOOSE_LAMBDA_ANSWER,
    DROPOUT_ANSWER,
    DROPOUT_EXERCISE,
    EARLY_STOP_BY_HAND,
    EARLY_STOP_BY_HAND_ANSWER,
    WEIGHT_DECAY_ANSWER,
    _early_stopping_reference,
    _weight_decay_reference,
    check_dropout_by_hand,
    check_early_stop_by_hand,
)
from nnlib.layers import Parameter
from nnlib.optim import SGD
from nnlib.plotting import (
    plot_dropout,
    plot_early_stopping,
    plot_fits,
    plot_lambda_sweep,
    plot_loss_curves,
    plot_overfitting,
)
from nnlib.training import EarlyStopping, History


def text(feedback) -> str:
    return "\n".join(feedback.messages)


CHECKS = [check_early_stopping, check_weight_decay_step, check_inverted_dropout,
          check_choose_lambda, check_early_stop_by_hand, check_dropout_by_hand]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check", [check_early_stopping, check_inverted_dropout])
def test_function_returning_ellipsis_is_not_attempted(check):
    fb = check(lambda *args: ...)
    assert not fb and "Replace `...`" in text(fb)


def test_pairs_with_placeholders_are_not_attempted():
    assert "Replace `...`" in text(check_weight_decay_step((..., ...)))
    assert "Replace `...`" in text(check_choose_lambda((..., ...)))
    assert "Replace `...`" in text(check_early_stop_by_hand((..., ...)))
    assert "Replace `...`" in text(check_early_stopping(lambda losses, p: (..., ...)))


@pytest.mark.parametrize("check", [check_early_stopping, check_inverted_dropout])
def test_a_crashing_function_is_reported_not_raised(check):
    def broken(*args):
        raise ZeroDivisionError("oops")

    fb = check(broken)
    assert not fb and "ZeroDivisionError: oops" in text(fb)


# ---- 7.1 early stopping ----------------------------------------------------------------

def early_stop(val_losses, patience):
    best, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait == patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch


def test_early_stopping_right_answer_and_the_example_of_the_text():
    assert early_stop([0.9, 0.7, 0.6, 0.65, 0.62, 0.61, 0.7], 3) == (6, 3)
    assert check_early_stopping(early_stop)


def nnlib_decision(losses, patience):
    """What nnlib.training.EarlyStopping decides for these validation losses."""
    stopper = EarlyStopping(patience, restore_best=False)
    for epoch, loss in enumerate(losses, start=1):
        if stopper.update(loss, epoch, []):
            return epoch, stopper.best_epoch
    return len(losses), stopper.best_epoch


@pytest.mark.parametrize("losses, patience", EARLY_STOPPING_CASES)
def test_the_check_agrees_with_nnlib_on_its_cases(losses, patience):
    assert _early_stopping_reference(losses, patience) == nnlib_decision(losses, patience)


@given(st.lists(st.sampled_from([0.1, 0.2, 0.3, 0.4, 0.5]), min_size=1, max_size=30),
       st.integers(1, 6))
def test_the_check_agrees_with_nnlib_on_random_losses(losses, patience):
    # few distinct values, so that ties (no improvement) are frequent
    assert _early_stopping_reference(losses, patience) == nnlib_decision(losses, patience)


@pytest.mark.parametrize("wrong, expected", [
    (lambda v, p: tuple(x - 1 for x in early_stop(v, p)), "count from 0"),
    (lambda v, p: early_stop(v, p)[::-1], "order is (stop_epoch, best_epoch)"),
    (lambda v, p: _early_stopping_reference(v, p, ties_improve=True), "A tie is no improvement"),
    (lambda v, p: _early_stopping_reference(v, p, vs_previous=True), "not with the previous"),
    (lambda v, p: _early_stopping_reference(v, p, extra_wait=1), "one epoch too long"),
    (lambda v, p: _early_stopping_reference(v, p, extra_wait=-1), "one epoch too early"),
    (lambda v, p: early_stop(v, 1), "ignores the patience"),
    (lambda v, p: (len(v), int(np.argmin(v)) + 1), "Walk through the list"),
])
def test_early_stopping_typical_mistakes(wrong, expected):
    fb = check_early_stopping(wrong)
    assert not fb and expected in text(fb)


def test_early_stopping_malformed_answers():
    assert "pair (stop_epoch, best_epoch)" in text(check_early_stopping(lambda v, p: 3))
    assert "integers" in text(check_early_stopping(lambda v, p: ("a", 1)))
    assert "function itself" in text(check_early_stopping(42))


# ---- 7.1, by hand ----------------------------------------------------------------------

def test_early_stop_by_hand_right_answer_is_nnlibs_decision():
    losses, patience = EARLY_STOP_BY_HAND["val_losses"], EARLY_STOP_BY_HAND["patience"]
    assert nnlib_decision(losses, patience) == early_stop(list(losses), patience) == (5, 2)
    assert EARLY_STOP_BY_HAND_ANSWER.expected == (5.0, 2.0)
    assert VALUE_ANSWERS["7.1"] is EARLY_STOP_BY_HAND_ANSWER
    fb = check_early_stop_by_hand((5, 2))
    assert fb and "only ties it" in text(fb)
    assert check_early_stop_by_hand(np.array([5, 2]))
    assert check_early_stop_by_hand(early_stop(list(losses), patience))


@pytest.mark.parametrize("answer, expected", [
    ((2, 5), "swapped"),
    ((4, 1), "count from 0"),
    ((9, 6), "A tie is no improvement"),
    ((11, 6), "not with the previous epoch"),
    ((10, 6), "one epoch too long"),
    ((4, 2), "one epoch too early"),
    ((3, 2), "ignores the patience"),
    ((5, 6), "never saw it"),
    ((11, 2), "does not run to the end"),
    ((6, 2), "Not right yet: stop epoch."),
    ((5.5, 2), "Not right yet: stop epoch."),      # epochs are whole: no tolerance
    ((5,), "Give 2 entries (stop epoch, best epoch)"),
    (("5th", 2), "stop epoch: give a finite number"),
    ((5, float("nan")), "best epoch: give a finite number"),
])
def test_early_stop_by_hand_mistakes(answer, expected):
    fb = check_early_stop_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)


def test_early_stop_by_hand_mistakes_are_the_references_mistakes():
    losses, patience = EARLY_STOP_BY_HAND["val_losses"], EARLY_STOP_BY_HAND["patience"]
    for kw in (dict(ties_improve=True), dict(vs_previous=True), dict(extra_wait=1),
               dict(extra_wait=-1)):
        wrong = _early_stopping_reference(losses, patience, **kw)
        assert wrong != (5, 2)
        assert EARLY_STOP_BY_HAND_ANSWER.check(wrong).code == "mistake"


# ---- 7.2 weight decay step --------------------------------------------------------------

def test_weight_decay_reference_is_what_nnlib_sgd_does():
    ex = WEIGHT_DECAY_EXERCISE
    W = Parameter(np.array(ex["W"], dtype=float), "W", decay=True)
    b = Parameter(np.array(ex["b"], dtype=float), "b", decay=False)
    W.grad[...], b.grad[...] = ex["grad_W"], ex["grad_b"]
    SGD([W, b], lr=ex["lr"], weight_decay=ex["lam"]).step()
    W_ref, b_ref = _weight_decay_reference()
    # the same few float operations in another order: agree to round-off
    np.testing.assert_allclose(W.value, W_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b.value, b_ref, rtol=1e-12, atol=1e-15)


def test_weight_decay_right_answer_by_hand():
    fb = check_weight_decay_step(([[0.44, -0.92], [1.83, 0.0]], [0.48, -0.51]))
    assert fb and "1 − 2ηλ = 0.9" in text(fb)


@pytest.mark.parametrize("kwargs, expected", [
    (dict(two=1.0), "2λw, not λw"),
    (dict(sign=-1.0), "W_new steps uphill"),
    (dict(lr_on_decay=False), "multiplied by η too"),
    (dict(grad=False), "forgot the data gradient"),
    (dict(two=0.0), "without the decay"),
])
def test_weight_decay_typical_mistakes_on_W(kwargs, expected):
    W_wrong, _ = _weight_decay_reference(**kwargs)
    _, b_right = _weight_decay_reference()
    fb = check_weight_decay_step((W_wrong, b_right))
    assert not fb and expected in text(fb)


def test_weight_decay_decayed_bias_is_named():
    W_right, b_decayed = _weight_decay_reference(decay_b=True)
    fb = check_weight_decay_step((W_right, b_decayed))
    assert not fb and "bias is not decayed" in text(fb)


def test_weight_decay_malformed_answers():
    assert "Give 6 entries (W_new[1, 1]" in text(check_weight_decay_step(([1.0, 2.0], [0.0, 0.0])))
    assert "Give 6 entries" in text(check_weight_decay_step([1.0]))
    assert "W_new[1, 2]: give a finite number" in text(
        check_weight_decay_step(([[0.44, "a"], [1.83, 0.0]], [0.48, -0.51])))
    assert "Replace `...`" in text(check_weight_decay_step(([[0.44, ...], [1.83, 0]], ...)))


def test_weight_decay_answer_is_the_reference_and_a_grid():
    W_ref, b_ref = _weight_decay_reference()
    assert WEIGHT_DECAY_ANSWER.expected == tuple([*W_ref.ravel(), *b_ref.ravel()])
    assert WEIGHT_DECAY_ANSWER.rows == 3 and VALUE_ANSWERS["7.2"] is WEIGHT_DECAY_ANSWER
    assert check_weight_decay_step((np.array([[0.44, -0.92], [1.83, 0.0]]),
                                    np.array([0.48, -0.51])))


def test_weight_decay_unknown_wrong_entry_is_named():
    fb = check_weight_decay_step(([[0.44, -0.92], [1.83, 0.5]], [0.48, -0.51]))
    assert not fb and "W_new[2, 2]" in text(fb) and "1 − 2ηλ" in text(fb)


# ---- 7.3 inverted dropout ---------------------------------------------------------------

def dropout(x, p, rng, training):
    if not training:
        return x
    return x * (rng.random(x.shape) >= p) / (1 - p)


def test_dropout_right_answer():
    fb = check_inverted_dropout(dropout)
    assert fb and "dropped" in text(fb)


def test_dropout_matches_nnlib_layer_semantics():
    from nnlib.layers import Dropout

    x = np.ones((50, 50))
    layer = Dropout(0.3, rng=0)
    out = layer(x)
    assert set(np.unique(out)) <= {0.0, 1 / 0.7}
    assert np.array_equal(layer.eval()(x), x)


def in_place(x, p, rng, training):
    if training:
        x *= (rng.random(x.shape) >= p) / (1 - p)
    return x


@pytest.mark.parametrize("wrong, expected", [
    (lambda x, p, rng, t: x * (rng.random(x.shape) >= p) / (1 - p), "nothing is dropped"),
    (lambda x, p, rng, t: x * (1 - p) if not t else dropout(x, p, rng, t), "non-inverted"),
    (lambda x, p, rng, t: x * (rng.random(x.shape) >= p) if t else x, "unchanged"),
    (lambda x, p, rng, t: x * (rng.random(x.shape) >= p) * (1 - p) if t else x,
     "multiply the kept entries by 1 − p"),
    (lambda x, p, rng, t: x * (rng.random(x.shape) < p) / p if t else x, "probability to DROP"),
    (lambda x, p, rng, t: x.copy() if not t else x + 0.0, "Nothing was dropped"),
    (lambda x, p, rng, t: dropout(x, p, np.random.default_rng(0), t), "from the `rng` argument"),
    (in_place, "changed x in place"),
    (lambda x, p, rng, t: dropout(x, p, rng, t)[:, :10], "shape of x"),
    (lambda x, p, rng, t: x * (rng.random(x.shape) >= 0.5) / 0.5 if t else x,
     "give 25% ± 0.43% (one standard deviation"),
])
def test_dropout_typical_mistakes(wrong, expected):
    fb = check_inverted_dropout(wrong)
    assert not fb and expected in text(fb)


def test_dropout_with_global_numpy_state_is_caught():
    def global_state(x, p, rng, training):
        if not training:
            return x
        return x * (np.random.random(x.shape) >= p) / (1 - p)  # noqa: NPY002 (the mistake tested)

    fb = check_inverted_dropout(global_state)
    assert not fb and "from the `rng` argument" in text(fb)


# ---- 7.4 choosing λ ---------------------------------------------------------------------

def test_choose_lambda_right_answer():
    assert VALUE_ANSWERS["7.4"] is CHOOSE_LAMBDA_ANSWER
    fb = check_choose_lambda((1e-3, 0.3069))
    assert fb and "λ = 0.001" in text(fb)
    assert check_choose_lambda([np.float64(0.001), np.array(0.3069)])


@pytest.mark.parametrize("answer, expected", [
    ((0.0, 0.3149), "training loss always prefers"),
    ((1e-2, 0.3375), "does not have the lowest validation loss"),
    ((5e-3, 0.3069), "among the values tried"),
    ((1e-3, 0.2823), "validation loss of the chosen λ is optimistic"),
    ((1e-3, 0.0132), "training loss measures fit"),
    ((1e-3, 0.3149), "from the same row"),
    ((1e-3, 0.5), "Report a loss from the table"),
    ((1e-3, 0.2897), "That is a validation loss"),
    ((1e-3,), "Give 2 entries (λ, loss to report)"),
    (("0.001?", "x"), "λ, loss to report: give a finite number"),
])
def test_choose_lambda_typical_mistakes(answer, expected):
    fb = check_choose_lambda(answer)
    assert not fb and expected in text(fb)


def test_lambda_table_is_reproduced_by_its_function():
    table = lambda_table_digits()
    assert table["lam"] == LAMBDA_TABLE["lam"]
    for name in ("train", "val", "test"):
        # the table is printed with 4 decimals; a different BLAS may change the 12th digit
        np.testing.assert_allclose(table[name], LAMBDA_TABLE[name], atol=6e-5, rtol=0)


def test_lambda_table_tells_the_chapters_story():
    val = dict(zip(LAMBDA_TABLE["lam"], LAMBDA_TABLE["val"], strict=True))
    assert min(val, key=val.get) == 1e-3
    assert val[1e-2] > val[0.0]            # the notes' 0.01 is worse than no decay here


# ---- figures ----------------------------------------------------------------------------

@pytest.fixture
def regression():
    x = np.linspace(0, 1, 8)[:, None]
    grid = np.linspace(0, 1, 50)[:, None]
    return x, np.sin(2 * np.pi * x), grid


def history(n=30, best=10, stop=20):
    h = History(train_loss=list(np.linspace(1, 0.1, stop)),
                val_loss=list(0.5 + (np.arange(stop) - best + 1) ** 2 / 400))
    h.best_epoch, h.stopped_epoch = best, stop
    return h


def test_plot_fits_and_overfitting(regression):
    x, y, grid = regression
    fits = {"a": np.sin(2 * np.pi * grid), "b": np.cos(grid)}
    fig = plot_fits(x, y, grid, fits, y_true=np.sin(2 * np.pi * grid), x_val=x, y_val=y)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert "training points (8)" in labels and "validation points (8)" in labels
    fig = plot_overfitting(x, y, grid, fits, {"training": [1, 0.5], "new data": [1, 2]},
                           marks={"epoch 1": 1}, noise_level=0.09)
    assert len(fig.axes) == 2
    assert "noise variance σ² = 0.09" in fig.axes[1].get_legend_handles_labels()[1]


def test_plot_loss_curves_and_early_stopping():
    fig = plot_loss_curves({"training": [1, 0.5, 0.2], "validation": [1, 0.7, 0.8]},
                           marks={"best": 2})
    assert isinstance(fig, Figure) and fig.axes[0].get_yscale() == "log"
    h = history()
    fig = plot_early_stopping(h, full_history=history(stop=30), patience=10)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert any("best epoch 10" in label for label in labels)
    assert "stop at epoch 20" in labels
    with pytest.raises(ValueError, match="best_epoch"):
        plot_early_stopping(History(train_loss=[1.0]))


def test_plot_lambda_sweep(regression):
    x, y, grid = regression
    lams = [0.0, 1e-3, 1e-2]
    fig = plot_lambda_sweep(lams, [0.1, 0.2, 0.3], [0.5, 0.3, 0.4], x_train=x, y_train=y,
                            x_grid=grid, fits={"λ = 0": grid}, weights={"λ = 0": [0.1, -0.2]})
    assert len(fig.axes) == 3
    assert any("λ = 0.001" in label for label in fig.axes[0].get_legend_handles_labels()[1])
    assert len(plot_lambda_sweep(lams, [1, 2, 3], [3, 2, 1]).axes) == 1
    with pytest.raises(ValueError, match="same length"):
        plot_lambda_sweep(lams, [1, 2], [1, 2, 3])


def test_plot_dropout():
    h = np.full((4, 6), 0.5)
    mask = np.tile([0.0, 2.0], (4, 3))
    fig = plot_dropout(h, mask, 0.5)
    assert "50% of the entries dropped" in fig.get_suptitle()
    with pytest.raises(ValueError, match="same shape"):
        plot_dropout(h, mask[:, :2], 0.5)


def _line(ax, label):
    from figures import line

    return line(ax, label)


def _xy(x, y):
    return np.column_stack([np.ravel(x), np.ravel(y)])


def test_plot_fits_draws_the_data_the_true_curve_and_each_fit(regression):
    # the chapter's last figure: four fits, training and validation points, the sine
    x, y, grid = regression
    fits = {"no regularisation": np.cos(3 * grid), "early stopping": 0.9 * np.sin(2 * np.pi * grid),
            "weight decay": grid - 0.5, "dropout": grid ** 2}
    x_val = x[:5] + 0.03
    y_val = np.sin(2 * np.pi * x_val) + 0.1
    fig = plot_fits(x, y, grid, fits, y_true=np.sin(2 * np.pi * grid), x_val=x_val, y_val=y_val,
                    title="Three ways")
    (ax,) = fig.axes
    for label, y_fit in fits.items():
        np.testing.assert_array_equal(_line(ax, label).get_xydata(), _xy(grid, y_fit))
    np.testing.assert_array_equal(_line(ax, r"true curve $\sin 2\pi x$").get_xydata(),
                                  _xy(grid, np.sin(2 * np.pi * grid)))
    np.testing.assert_array_equal(_line(ax, "training points (8)").get_xydata(), _xy(x, y))
    np.testing.assert_array_equal(_line(ax, "validation points (5)").get_xydata(),
                                  _xy(x_val, y_val))
    assert ax.get_title() == "Three ways"


def test_plot_overfitting_and_loss_curves_put_epoch_t_at_x_t(regression):
    # the chapter's calls: loss per epoch from epoch 1, marks at epochs, the noise level
    x, y, grid = regression
    train, new = [1.0, 0.5, 0.2, 0.1], [1.0, 0.6, 0.7, 0.9]
    fig = plot_overfitting(x, y, grid, {"after 3000 epochs": np.cos(grid), "after 2 epochs": grid},
                           {"training loss (16 points)": train, "new data (200 points)": new},
                           y_true=np.sin(2 * np.pi * grid), marks={"epoch 2": 2},
                           noise_level=0.09)
    ax_fit, ax_loss = fig.axes
    np.testing.assert_array_equal(_line(ax_fit, "after 2 epochs").get_xydata(), _xy(grid, grid))
    np.testing.assert_array_equal(_line(ax_fit, "training points (8)").get_xydata(), _xy(x, y))
    epochs = np.arange(1, 5)
    np.testing.assert_array_equal(_line(ax_loss, "training loss (16 points)").get_xydata(),
                                  _xy(epochs, train))
    np.testing.assert_array_equal(_line(ax_loss, "new data (200 points)").get_xydata(),
                                  _xy(epochs, new))
    assert list(_line(ax_loss, "epoch 2").get_xdata()) == [2, 2]              # vertical
    assert list(_line(ax_loss, "noise variance σ² = 0.09").get_ydata()) == [0.09, 0.09]
    assert (ax_fit.get_yscale(), ax_loss.get_yscale()) == ("linear", "log")

    val = [1.0, 0.7, 0.8]
    fig = plot_loss_curves({"training (16 points)": train[:3], "validation (12 points)": val},
                           marks={"lowest validation loss: epoch 2": 2, "new data: epoch 3": 3},
                           title="One run, three data sets")
    (ax,) = fig.axes
    np.testing.assert_array_equal(_line(ax, "validation (12 points)").get_xydata(),
                                  _xy([1, 2, 3], val))
    assert list(_line(ax, "new data: epoch 3").get_xdata()) == [3, 3]
    assert ax.get_title() == "One run, three data sets" and ax.get_yscale() == "log"


def test_plot_early_stopping_marks_the_best_and_the_stopping_epoch():
    h, full = history(best=10, stop=20), history(best=10, stop=30)
    fig = plot_early_stopping(h, full_history=full, patience=10)
    (ax,) = fig.axes
    e = np.arange(1, 21)                                         # epochs 1..20
    np.testing.assert_array_equal(_line(ax, "training loss").get_xydata(), _xy(e, h.train_loss))
    np.testing.assert_array_equal(_line(ax, "validation loss").get_xydata(), _xy(e, h.val_loss))
    np.testing.assert_array_equal(_line(ax, "without early stopping").get_xydata(),
                                  _xy(np.arange(1, 31), full.val_loss))
    v = h.val_loss[9]                                            # epoch 10 is index 9
    assert v == min(h.val_loss)
    star = _line(ax, f"best epoch 10: validation loss {v:.3f} (weights kept)")
    assert star.get_xydata().tolist() == [[10, v]]
    assert list(_line(ax, "stop at epoch 20").get_xdata()) == [20, 20]
    verticals = sorted(ln.get_xdata()[0] for ln in ax.lines
                       if list(ln.get_xdata()) in ([10, 10], [20, 20]))
    assert verticals == [10, 20]
    (arrow,) = [t for t in ax.texts if getattr(t, "arrow_patch", None)]
    assert (arrow.xyann[0], arrow.xy[0]) == (10, 20)            # patience: from best to stop
    assert ax.get_xlim() == (0, 30) and ax.get_yscale() == "log"   # min(30, 4 · 20)


def test_plot_lambda_sweep_plots_each_loss_at_its_lambda(regression):
    x, y, grid = regression
    lams = np.array([0.0, 1e-4, 1e-3, 1e-2, 1e-1])
    train, val = np.array([0.01, 0.012, 0.02, 0.05, 0.3]), np.array([0.5, 0.4, 0.2, 0.1, 0.3])
    rng = np.random.default_rng(0)
    weights = {"λ = 0": 2 * rng.standard_normal(300), "λ = 0.1": 0.2 * rng.standard_normal(300)}
    fig = plot_lambda_sweep(lams, train, val, x_train=x, y_train=y, x_grid=grid,
                            y_true=np.sin(2 * np.pi * grid),
                            fits={"λ = 0": np.cos(grid), "λ = 0.1": 0 * grid}, weights=weights)
    ax, ax_fit, ax_w = fig.axes
    # λ = 0 cannot sit on a log axis: a dashed horizontal line at its losses instead
    np.testing.assert_array_equal(_line(ax, "training loss").get_xydata(), _xy(lams[1:], train[1:]))
    np.testing.assert_array_equal(_line(ax, "validation loss").get_xydata(), _xy(lams[1:], val[1:]))
    assert _line(ax, "λ = 0: training 0.010").get_ydata()[0] == 0.01
    assert _line(ax, "λ = 0: validation 0.500").get_ydata()[0] == 0.5
    assert _line(ax, "lowest validation loss: λ = 0.01").get_xydata().tolist() == [[0.01, 0.1]]
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    np.testing.assert_array_equal(_line(ax_fit, "λ = 0").get_xydata(), _xy(grid, np.cos(grid)))
    # the histograms: 40 common bins over ±(99.5th percentile of |w|), counts by hand
    lim = np.percentile(np.abs(np.concatenate(list(weights.values()))), 99.5)
    edges = np.linspace(-lim, lim, 41)
    outlines = [p for p in ax_w.patches if not p.get_fill()]     # histtype="step"
    for outline, w in zip(outlines, weights.values(), strict=True):
        counts = np.histogram(w, edges)[0]
        top = outline.get_xy()[1:-1:2, 1][:40]                    # a step: two points per bin
        np.testing.assert_array_equal(top, counts)
    rms = {label: np.sqrt(np.mean(w ** 2)) for label, w in weights.items()}
    assert [t.get_text() for t in ax_w.get_legend().get_texts()] == [
        f"{label}: rms {r:.3f}" for label, r in rms.items()]
    assert ax_w.get_yscale() == "log"


def test_plot_dropout_shows_h_the_mask_their_product_and_h():
    from figures import image

    rng = np.random.default_rng(0)
    h = rng.random((8, 16)) + 0.5                                # the chapter's batch: 8 × 16
    mask = 2.0 * (rng.random((8, 16)) > 0.5)                     # p = 0.5: 0 or 1/(1 − p)
    fig = plot_dropout(h, mask, 0.5)
    panels = [ax for ax in fig.axes if ax.images][:4]
    for ax, want in zip(panels, [h, mask, h * mask, h], strict=True):
        np.testing.assert_array_equal(image(ax), want)
    assert panels[1].get_title() == "mask: 0 or 1/(1−p) = 2"
    assert f"{np.mean(mask == 0):.0%} of the entries dropped" in fig.get_suptitle()
    # the three activation panels share one colour scale, so kept entries look doubled
    assert len({ax.images[0].get_clim() for ax in (panels[0], panels[2], panels[3])}) == 1


# ---- 7.3, by hand ----------------------------------------------------------------------

def test_dropout_by_hand_right_answer_is_nnlibs_dropout():
    ex = DROPOUT_EXERCISE
    x, p, r = np.array(ex["x"]), ex["p"], np.array(ex["r"])
    by_hand = x * (r >= p) / (1 - p)
    assert by_hand.tolist() == [0.0, 2.5, 0.0, 5.0]
    assert DROPOUT_ANSWER.expected == (0.0, 2.5, 0.0, 5.0)
    assert VALUE_ANSWERS["7.3"] is DROPOUT_ANSWER
    fb = check_dropout_by_hand(by_hand)
    assert fb and "out = (0, 2.5, 0, 5)" in text(fb) and "E[out]" in text(fb)
    assert check_dropout_by_hand([0, 2.5, 0, 5])


@pytest.mark.parametrize("answer, expected", [
    ((0, 2, 0, 4), "The kept entries are unchanged"),
    ((0, 1.6, 0, 3.2), "You multiply the kept entries by 1 − p"),
    ((0, 10, 0, 20), "not by p"),
    ((1.25, 0, 3.75, 0), "You kept the entries with r < p: p is the"),
    ((1, 0, 3, 0), "and left them unscaled"),
    ((0.8, 1.6, 2.4, 3.2), "non-inverted dropout at evaluation time"),
    ((0, 2.5, 0, 4), "Not right yet: out[3]"),
    ((1, 2, 3, 4), "Not right yet: out[0], out[1], out[2], out[3]"),
    ((0, 2.5, 0), "Give 4 entries"),
    ((0, 2.5, 0, None), "out[3]: give a finite number"),
    ((0, 2.5, ..., 5), "Replace `...`"),
])
def test_dropout_by_hand_mistakes(answer, expected):
    fb = check_dropout_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)
