"""The exercise checks and figures of chapter 5: right answers pass, typical mistakes get
their specific message, placeholders are "not attempted yet"."""

import math

import numpy as np
import pytest

from nnlib.exercises import (
    LAYER_SHAPES_EXERCISE,
    check_layer_shapes,
    check_linear_backward,
    check_relu_variance_gain,
)
from nnlib.exercises import VALUE_ANSWERS as ALL_VALUE_ANSWERS
from nnlib.exercises.ch05_fully_connected import (
    BACKWARD_SHAPES_ANSWER,
    BACKWARD_SHAPES_EXERCISE,
    LAYER_SHAPES_ANSWER,
    STD_GROWTH_ANSWER,
    STD_GROWTH_EXERCISE,
    check_backward_shapes,
    check_std_growth,
)

#: The value answers of chapter 5, from the book's table.
VALUE_ANSWERS = tuple(a for ex, a in ALL_VALUE_ANSWERS.items() if ex.split(".")[0] == "5")

def text(feedback) -> str:
    return "\n".join(feedback.messages)


RIGHT_SHAPES = [((784, 128), (128,)), ((128, 64), (64,)), ((64, 10), (10,))]


@pytest.mark.parametrize("check", [check_layer_shapes, check_linear_backward,
                                   check_relu_variance_gain, check_backward_shapes,
                                   check_std_growth])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check", [check_linear_backward, check_relu_variance_gain])
def test_function_returning_ellipsis_is_not_attempted(check):
    fb = check(lambda *args: ...)
    assert not fb and "Replace `...`" in text(fb)


# ---- 5.1 shapes ----------------------------------------------------------------------------

def test_layer_shapes_right():
    assert LAYER_SHAPES_EXERCISE == (784, 128, 64, 10)
    fb = check_layer_shapes(RIGHT_SHAPES)
    assert fb and "109,386 parameters" in text(fb)
    assert check_layer_shapes([(list(w), [1, b[0]]) for w, b in RIGHT_SHAPES])   # (1, d) bias ok
    assert check_layer_shapes([((np.int64(784), 128), (128,)), *RIGHT_SHAPES[1:]])
    assert check_layer_shapes([[784, 128, 128], [128, 64, 64], [64, 10, 10]])   # the form's rows
    assert LAYER_SHAPES_ANSWER.rows == 3 and LAYER_SHAPES_ANSWER.labels[:3] == (
        "W¹ rows", "W¹ cols", "b¹ length")


def test_layer_shapes_placeholders_inside():
    assert "Replace `...`" in text(check_layer_shapes([(..., ...), (..., ...), (..., ...)]))


@pytest.mark.parametrize("answer, expected", [
    ([((128, 784), (128,)), *RIGHT_SHAPES[1:]], "column-vector convention"),
    ([((784, 128), (784,)), *RIGHT_SHAPES[1:]], "one entry per input"),
    ([((128, 784), (128,)), ((64, 128), (64,)), ((10, 64), (10,))], "Every W is transposed"),
    ([(w, (w[0],)) for w, _ in RIGHT_SHAPES], "Every b has one entry per input"),
    ([RIGHT_SHAPES[0], ((64, 128), (64,)), RIGHT_SHAPES[2]], "W² has shape (64, 128)"),
    ([((784, 128), (5,)), *RIGHT_SHAPES[1:]], "one bias per output node"),
    ([((784, 100), (128,)), *RIGHT_SHAPES[1:]], "connects 784 inputs to 128 nodes"),
    (RIGHT_SHAPES[:2], "has 3 layers of weights"),
    ([(784, 128), (128, 64), (64, 10)], "looks like one shape alone"),
    ("W1 W2 W3", "Give 9 entries (W¹ rows, W¹ cols, b¹ length, W² rows"),
    ([((784, 128), ("128?",)), *RIGHT_SHAPES[1:]], "b¹ length: give a finite number"),
])
def test_layer_shapes_wrong(answer, expected):
    fb = check_layer_shapes(answer)
    assert not fb and expected in text(fb)


# ---- 5.2 backward of a linear layer -----------------------------------------------------

def right_backward(X, W, G):
    return X.T @ G, G.sum(axis=0), G @ W.T


def test_linear_backward_right():
    fb = check_linear_backward(right_backward)
    assert fb and "Linear.backward" in text(fb)
    # a (1, d_out) bias gradient is accepted too
    assert check_linear_backward(lambda X, W, G: (X.T @ G, G.sum(axis=0, keepdims=True),
                                                  G @ W.T))


@pytest.mark.parametrize("backward, expected", [
    (lambda X, W, G: (G.T @ X, G.sum(0), G @ W.T), "W's transpose"),
    (lambda X, W, G: (X.T @ G / len(X), G.sum(0), G @ W.T), "do not divide by N"),
    (lambda X, W, G: (np.outer(X.sum(0), G.sum(0)), G.sum(0), G @ W.T), "product of sums"),
    (lambda X, W, G: (X.T @ G, G.mean(0), G @ W.T), "sum of G's rows"),
    (lambda X, W, G: (X.T @ G, G.sum(1), G @ W.T), "sum over the examples instead"),
    (lambda X, W, G: (X.T @ G, G.sum(0), (G @ W.T).T), "X's shape (N, d_in)"),
    (lambda X, W, G: (X.T @ G, G.sum(0), (G @ W.T).sum(0)), "keeps its own row"),
    (lambda X, W, G: (X.T @ G, G.sum(0), G @ W), "Check the shapes"),
    (lambda X, W, G: (X.T @ G, G.sum(0), 2 * G @ W.T), "right shape (5, 4) but wrong values"),
    (lambda X, W, G: (X.T @ G, G.sum(0)), "three arrays"),
    (lambda X, W, G: 1 / 0, "ZeroDivisionError"),
    ("dW", "Pass your function itself"),
])
def test_linear_backward_wrong(backward, expected):
    fb = check_linear_backward(backward)
    assert not fb and expected in text(fb)


def test_linear_backward_in_place_change_is_reported():
    def sneaky(X, W, G):
        G *= 1.0 + 0.0      # harmless value, but writes into the argument
        G[0, 0] += 1.0
        return right_backward(X, W, G)

    fb = check_linear_backward(sneaky)
    assert not fb and "in place" in text(fb)


def test_linear_backward_several_mistakes_all_named():
    fb = check_linear_backward(lambda X, W, G: (G.T @ X, G.mean(0), G @ W.T))
    assert not fb and len(fb.messages) == 2


# ---- 5.2, the value part: the shapes of the gradients ----------------------------------

def test_backward_shapes_right():
    ex = BACKWARD_SHAPES_EXERCISE
    X, W = np.zeros((ex["N"], ex["d_in"])), np.zeros((ex["d_in"], ex["d_out"]))
    dW, db, dX = right_backward(X, W, np.zeros((ex["N"], ex["d_out"])))
    fb = check_backward_shapes((dW.shape, db.shape, dX.shape))
    assert fb and "shape of its variable" in text(fb)
    assert check_backward_shapes(((64, 10), 10, (32, 64)))
    assert check_backward_shapes(((64, 10), (1, 10), (32, 64)))          # b as a 1 × d_out row
    assert check_backward_shapes([64, 10, 10, 32, 64])                   # the form's order


@pytest.mark.parametrize("answer, expected", [
    (((10, 64), (10,), (64, 32)), "dW and dX are transposed"),
    (((10, 64), (10,), (32, 64)), "W's transpose"),
    (((32, 10), (10,), (32, 64)), "dW has no batch axis"),
    (((64, 10), (32,), (32, 64)), "one entry per output node"),
    (((64, 10), (10,), (64, 32)), "you gave its transpose"),
    (((64, 10), (10,), (32, 10)), "one column per input"),
    (((64, 10), (10,), (32, 65)), "Not right yet: dX cols"),
    (((64, 10), (32, 64)), "Give 5 entries (dW rows, dW cols, db length, dX rows, dX cols)"),
    (((..., ...), ..., (..., ...)), "Replace `...`"),
])
def test_backward_shapes_wrong(answer, expected):
    fb = check_backward_shapes(answer)
    assert not fb and expected in text(fb)


# ---- 5.3 the variance gain of a ReLU layer -------------------------------------------------

def test_relu_variance_gain_right():
    fb = check_relu_variance_gain(lambda s2, d: d * s2 / 2)
    # The message quotes the chapter's network (section 5.7): 128 inputs, gain 64, std 8×.
    assert fb and "64 for the notes' N(0, 1) with the 128 inputs" in text(fb)
    assert "8× per layer" in text(fb) and "256" not in text(fb) and "11.3" not in text(fb)


@pytest.mark.parametrize("gain, expected", [
    (lambda s2, d: d * s2, "twice too large"),
    (lambda s2, d: d * s2, "gain(1, 128) = 128, expected 64"),    # the chapter's network
    (lambda s2, d: s2 / 2, "misses fan_in"),
    (lambda s2, d: math.sqrt(d * s2 / 2), "standard deviation"),
    (lambda s2, d: d * math.sqrt(s2) / 2, "treats sigma2 as a standard deviation"),
    (lambda s2, d: d * s2 / 4, "happens once"),
    (lambda s2, d: d * s2 / 3, "E[a²] = Var(z)/2"),
    (lambda s2, d: "128", "one number"),
    (lambda s2: s2, "TypeError"),
])
def test_relu_variance_gain_wrong(gain, expected):
    fb = check_relu_variance_gain(gain)
    assert not fb and expected in text(fb)


# ---- 5.3, the prediction: the gain and the growth of the std ---------------------------

def test_std_growth_right():
    ex = STD_GROWTH_EXERCISE
    gain = ex["fan_in"] * ex["sigma2"] / 2
    assert gain == 64
    fb = check_std_growth((gain, math.sqrt(gain) ** 9))
    assert fb and "1.342e+08" in text(fb)
    assert check_std_growth((64, 1.342e8))                               # 4 significant digits
    assert check_std_growth(np.array([64, 8 ** 9]))


@pytest.mark.parametrize("answer, expected", [
    ((128, 11.31 ** 9), "twice too large"),
    ((0.5, 1.0), "misses fan_in"),
    ((8, 8 ** 9), "the gain multiplies the variance"),
    ((32, 8 ** 9), "happens once"),
    ((64, 8 ** 10), "counts 10 layers"),
    ((64, 64 ** 9), "growth of the variance"),
    ((64, 64 ** 10), "one layer too many"),
    ((64, 72), "the factors multiply"),
    ((64, 8), "growth over one layer"),
    ((64, 1.34e8), "Not right yet: std: layer 1 → 10"),                # 3 digits are too few
    ((64, 1.34e8), "four significant digits"),
    ((64,), "Give 2 entries (gain, std: layer 1 → 10)"),
    ((64, "1e8?"), "std: layer 1 → 10: give a finite number"),
])
def test_std_growth_wrong(answer, expected):
    fb = check_std_growth(answer)
    assert not fb and expected in text(fb)


# ---- the value answers and their checks --------------------------------------------------

def test_value_answers_of_the_chapter():
    assert [a.exercise for a in VALUE_ANSWERS] == ["5.1", "5.2", "5.3"]
    assert VALUE_ANSWERS == (LAYER_SHAPES_ANSWER, BACKWARD_SHAPES_ANSWER, STD_GROWTH_ANSWER)
    for answer in VALUE_ANSWERS:
        assert answer.check(answer.expected).passed
        for mistake in answer.mistakes:         # each mistake is reachable
            entries = [w if w is not None else x
                       for w, x in zip(mistake.entries, answer.expected, strict=True)]
            fb = answer.check(entries)
            assert not fb.passed and fb.code == "mistake", (answer.exercise, mistake)



# ---- the chapter's figure ----------------------------------------------------------------

def test_plot_init_stds_draws_one_line_per_init_in_every_panel():
    from matplotlib.figure import Figure

    from nnlib.plotting import plot_init_stds

    layers = np.arange(1.0, 11.0)
    act = {"ReLU": {"normal": 8.0 ** layers, "xavier": 0.7 ** layers, "he": np.ones(10)},
           "tanh": {"normal": np.full(10, 0.96), "he": np.full(10, 0.6)}}
    grad = {"ReLU": {"normal": np.full(10, 1e6), "xavier": np.full(10, 1e-3),
                     "he": np.full(10, 0.03)},
            "tanh": {"normal": 30 * 0.4 ** layers, "he": np.full(10, 0.02)}}
    fig = plot_init_stds(act, grad)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    for ax, n in zip(fig.axes, [3, 2, 3, 2], strict=True):      # row-major: ReLU, tanh
        assert len(ax.lines) == n and ax.get_yscale() == "log" and ax.get_title()
    top_left = fig.axes[0]
    assert np.allclose(top_left.lines[0].get_ydata(), 8.0 ** layers)
    # each init keeps its colour across panels
    colours = {ln.get_label(): ln.get_color() for ax in fig.axes for ln in ax.lines}
    assert len(set(colours.values())) == 3


def test_plot_init_stds_puts_each_run_in_its_row_column_and_label():
    # activations in the top row, gradients below, one column per activation; each line
    # the values of its init under that init's legend label, at layers 1..L (not 0..L-1)
    from figures import line

    from nnlib.plotting import plot_init_stds

    layers = np.arange(1.0, 6.0)
    act = {"ReLU": {"normal": 8.0 ** layers, "xavier": 0.7 ** layers, "he": np.ones(5)},
           "tanh": {"normal": np.full(5, 0.96), "xavier": 0.9 ** layers, "he": np.full(5, 0.6)}}
    grad = {"ReLU": {"normal": 1e6 * layers, "xavier": 1e-3 * layers, "he": 0.03 * layers},
            "tanh": {"normal": 30 * 0.4 ** layers, "xavier": 0.1 * layers, "he": 0.02 * layers}}
    labels = {"normal": "N(0, 1), the notes", "xavier": "Xavier, 2/(fan_in + fan_out)",
              "he": "He, 2/fan_in"}
    fig = plot_init_stds(act, grad)
    for k, (data, name) in enumerate([(act, "ReLU"), (act, "tanh"), (grad, "ReLU"),
                                      (grad, "tanh")]):
        ax = fig.axes[k]
        assert ax.get_title().startswith(f"{name} network: ")
        assert ("activations" in ax.get_title()) == (data is act)
        for init, values in data[name].items():
            np.testing.assert_array_equal(line(ax, labels[init]).get_xydata(),
                                          np.column_stack([layers, values]))
        np.testing.assert_array_equal(ax.get_xticks(), layers)
        assert ax.get_yscale() == "log"
