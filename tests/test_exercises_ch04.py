"""The exercise checks of chapter 4 (forward and backward pass), and its figures.

Each check must pass right answers, reject the typical wrong ones with a message that
names the mistake, treat ``...`` as "not attempted yet", and never raise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import plotting
from nnlib.autograd import Value
from nnlib.exercises import (
    DEAD_EXAMPLE,
    SIGMOID_EXAMPLE,
    Feedback,
    check_dead_example_gradient,
    check_mul_backward,
    check_sigmoid_backward,
)
from nnlib.exercises.ch04_forward_backward import (
    DEAD_EXAMPLE_ANSWER,
    MUL_NODE_ANSWER,
    MUL_NODE_EXERCISE,
    SIGMOID_GRADIENTS_ANSWER,
    VALUE_ANSWERS,
    check_mul_node_gradients,
    check_sigmoid_gradients,
)

TODO = "Replace `...`"


def text(fb: Feedback) -> str:
    return " ".join(fb.messages)


def sigmoid_backward(x1, y, w1, w2, w3, *, local=None, sign=1.0, factor=2.0, w3_input=None):
    """The hand-written backward pass of exercise 4.1, with switches for typical mistakes."""
    hin = w1 * x1 + w2 * x1 + 3
    hout = 1 / (1 + math.exp(-hin))
    diff = sign * (w3 * hout - y)
    de_pred = factor * diff
    de_w3 = de_pred * (hout if w3_input is None else w3_input(hin, hout))
    dhout_hin = hout * (1 - hout) if local is None else local(hin, hout)
    de_hin = de_pred * w3 * dhout_hin
    return de_hin * x1, de_hin * x1, de_w3


# -- check_sigmoid_backward ------------------------------------------------------------

def test_sigmoid_backward_accepts_the_right_answer():
    assert check_sigmoid_backward(sigmoid_backward).passed


def test_sigmoid_backward_accepts_numpy_scalars_and_lists():
    def as_numpy(*args):
        return list(np.float64(g) for g in sigmoid_backward(*args))

    assert check_sigmoid_backward(as_numpy).passed


@pytest.mark.parametrize("kwargs, words", [
    ({"local": lambda hin, hout: 1.0 if hin > 0 else 0.0}, "ReLU's local derivative"),
    ({"local": lambda hin, hout: hout}, "σ(hin) itself"),
    ({"sign": -1.0}, "wrong sign"),
    ({"factor": 1.0}, "half"),
    ({"w3_input": lambda hin, hout: hin}, "dpred_w3 = hout"),
    ({"local": lambda hin, hout: 1 - hout}, "should be"),
])
def test_sigmoid_backward_names_the_mistake(kwargs, words):
    fb = check_sigmoid_backward(lambda *args: sigmoid_backward(*args, **kwargs))
    assert not fb.passed and words in text(fb), fb


def test_sigmoid_backward_placeholders_and_errors():
    assert TODO in text(check_sigmoid_backward(...))
    assert TODO in text(check_sigmoid_backward(lambda *a: (..., ..., ...)))
    assert TODO in text(check_sigmoid_backward(lambda *a: (2.0 * ..., 0.0, 0.0)))
    fb = check_sigmoid_backward(lambda *a: (1.0, 2.0))
    assert not fb.passed and "three numbers" in text(fb)
    fb = check_sigmoid_backward(lambda *a: [][0])
    assert not fb.passed and "IndexError" in text(fb)
    fb = check_sigmoid_backward((1.0, 2.0, 3.0))
    assert not fb.passed and "function itself" in text(fb)


def test_sigmoid_example_reference_matches_a_numerical_gradient():
    from nnlib.exercises import _ch04_sigmoid_example

    p = SIGMOID_EXAMPLE
    grads, _ = _ch04_sigmoid_example(*p.values())

    def e(w1, w2, w3):
        return (w3 / (1 + math.exp(-(w1 * p["x1"] + w2 * p["x1"] + 3))) - p["y"]) ** 2

    w, eps = [p["w1"], p["w2"], p["w3"]], 1e-6
    for k in range(3):
        up, down = list(w), list(w)
        up[k] += eps
        down[k] -= eps
        numeric = (e(*up) - e(*down)) / (2 * eps)
        assert math.isclose(grads[k], numeric, rel_tol=1e-7)   # central-difference error ~1e-10


# -- check_dead_example_gradient -------------------------------------------------------

def test_dead_example_is_dead_and_the_check_accepts_zeros():
    p = DEAD_EXAMPLE
    assert p["w1"] * p["x1"] + p["w2"] * p["x1"] + 3 < 0
    w = [Value(p["w1"]), Value(p["w2"]), Value(p["w3"])]
    ((w[2] * (w[0] * p["x1"] + w[1] * p["x1"] + 3).relu() - p["y"]) ** 2).backward()
    answer = tuple(v.grad for v in w)
    assert answer == (0.0, 0.0, 0.0)
    assert check_dead_example_gradient(answer).passed
    assert check_dead_example_gradient([0, 0, np.float64(0)]).passed


@pytest.mark.parametrize("answer, words", [
    ((36.0, 36.0, 0.0), "lets the gradient through"),
    ((0.0, 0.0, 54.0), "not hin"),
    ((0.0, 0.0, -18.0), "what is hout"),
    ((5.0, 1.0, 0.0), "dhout_hin"),
    ((36.0, 36.0, 54.0), "not hin"),
    ((0.0, 0.0), "Give 3 entries (∂e/∂w₁, ∂e/∂w₂, ∂e/∂w₃)"),
    ("zero", "Give 3 entries"),
    ((0.0, "a", 0.0), "∂e/∂w₂: give a finite number"),
])
def test_dead_example_names_the_mistake(answer, words):
    fb = check_dead_example_gradient(answer)
    assert not fb.passed and words in text(fb), fb


@pytest.mark.parametrize("placeholder", [..., None, (..., ..., ...), (0.0, ..., 0.0)])
def test_dead_example_not_attempted(placeholder):
    assert TODO in text(check_dead_example_gradient(placeholder))


def test_dead_example_open_relu_and_hin_are_both_named():
    fb = check_dead_example_gradient((36.0, 36.0, 54.0))
    assert "lets the gradient through" in text(fb) and "not hin" in text(fb)


# -- check_sigmoid_gradients (the prediction of 4.1) ------------------------------------

def test_sigmoid_gradients_are_those_of_the_reference_backward_pass():
    right = sigmoid_backward(*SIGMOID_EXAMPLE.values())
    assert np.allclose(SIGMOID_GRADIENTS_ANSWER.expected, right, rtol=1e-12)
    fb = check_sigmoid_gradients(right)
    assert fb.passed and "0.1189" in text(fb) and "1.5679" in text(fb)
    assert check_sigmoid_gradients((0.1189, 0.1189, 1.568)).passed      # 4 digits, by hand
    assert check_sigmoid_gradients(np.array(right)).passed


@pytest.mark.parametrize("kwargs, words", [
    ({"local": lambda hin, hout: 1.0 if hin > 0 else 0.0}, "ReLU's local derivative"),
    ({"local": lambda hin, hout: hout}, "σ(hin) itself"),
    ({"sign": -1.0}, "wrong sign"),
    ({"factor": 1.0}, "half"),
    ({"w3_input": lambda hin, hout: hin}, "dpred_w3 = hout"),
    ({"local": lambda hin, hout: 1 - hout}, "Not right yet: ∂e/∂w₁, ∂e/∂w₂."),
])
def test_sigmoid_gradients_name_the_mistake(kwargs, words):
    fb = check_sigmoid_gradients(sigmoid_backward(*SIGMOID_EXAMPLE.values(), **kwargs))
    assert not fb.passed and words in text(fb), fb


def test_sigmoid_gradients_forgotten_factors():
    g1, _, g3 = sigmoid_backward(*SIGMOID_EXAMPLE.values())
    x1, w3 = SIGMOID_EXAMPLE["x1"], SIGMOID_EXAMPLE["w3"]
    assert "multiply by dz1_w1" in text(check_sigmoid_gradients((g1 / x1, g1 / x1, g3)))
    assert "dpred_hout = w₃" in text(check_sigmoid_gradients((g1 / w3, g1 / w3, g3)))


@pytest.mark.parametrize("answer, words", [
    (..., TODO), ((..., 0.1, 1.5), TODO), ((0.1, 0.1), "Give 3 entries"),
    ((0.1, math.nan, 1.5), "∂e/∂w₂: give a finite number"),
])
def test_sigmoid_gradients_malformed(answer, words):
    fb = check_sigmoid_gradients(answer)
    assert not fb.passed and words in text(fb), fb


# -- check_mul_node_gradients (the value part of 4.3) -----------------------------------

def test_mul_node_gradients():
    a, b, g = MUL_NODE_EXERCISE.values()
    assert check_mul_node_gradients((b * g, a * g)).passed
    assert check_mul_node_gradients([-3, 4.5]).passed
    for answer, words in [((a * g, b * g), "swapped"), ((b, a), "grad_out is missing"),
                          ((g, g), "addition node"), ((3.0, -4.5), "Not right yet"),
                          ((-3.0,), "Give 2 entries (grad_a, grad_b)"), (..., TODO)]:
        fb = check_mul_node_gradients(answer)
        assert not fb.passed and words in text(fb), (answer, fb)


def test_value_answers_of_the_chapter():
    assert [a.exercise for a in VALUE_ANSWERS] == ["4.1", "4.2", "4.3"]
    assert VALUE_ANSWERS == (SIGMOID_GRADIENTS_ANSWER, DEAD_EXAMPLE_ANSWER, MUL_NODE_ANSWER)
    for answer in VALUE_ANSWERS:
        assert answer.check(answer.expected).passed
        for mistake in answer.mistakes:         # each mistake is reachable, with its words
            entries = [w if w is not None else x
                       for w, x in zip(mistake.entries, answer.expected, strict=True)]
            fb = answer.check(entries)
            assert not fb.passed and fb.code == "mistake", (answer.exercise, mistake)



# -- check_mul_backward ----------------------------------------------------------------

def test_mul_backward_accepts_the_right_answer():
    fb = check_mul_backward(lambda a, b, g: (b * g, a * g))
    assert fb.passed and "(72, 6)" in text(fb)


@pytest.mark.parametrize("fn, words", [
    (lambda a, b, g: (a * g, b * g), "swapped"),
    (lambda a, b, g: (b, a), "grad_out is missing"),
    (lambda a, b, g: (g, g), "addition node"),
    (lambda a, b, g: (a * b, a * b), "should return"),
    (lambda a, b, g: b * g, "two numbers"),
    (lambda a, b, g: (b * g, None), "one number"),
    (lambda a, b: (a, b), "TypeError"),
])
def test_mul_backward_names_the_mistake(fn, words):
    fb = check_mul_backward(fn)
    assert not fb.passed and words in text(fb), fb


def test_mul_backward_not_attempted():
    for placeholder in (..., None, lambda a, b, g: ..., lambda a, b, g: (b * ..., a * g)):
        assert TODO in text(check_mul_backward(placeholder))


# -- figures of the chapter ------------------------------------------------------------

def test_figures_are_built_without_pyplot():
    etas = np.linspace(0, 0.01, 11)
    figs = [
        (plotting.plot_relu_kink(), 1),
        (plotting.plot_sgd_on_example(etas, 9 - 100 * etas, 9.0, 100.0, marks=(0.001,)), 1),
        (plotting.plot_sgd_on_example(etas, 9 - 100 * etas, 9.0, 100.0, marks=(0.001,),
                                      runs={0.001: [9, 4, 2], 0.01: [9, 30, 1]}), 2),
    ]
    for fig, n_axes in figs:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == n_axes
        assert all(ax.get_title() for ax in fig.axes)
        assert fig.canvas.manager is None


def test_sgd_figure_colours_a_learning_rate_alike_in_both_panels():
    etas = np.linspace(0, 0.01, 11)
    fig = plotting.plot_sgd_on_example(etas, 9 - 100 * etas, 9.0, 100.0, marks=(0.01,),
                                       runs={0.001: [9, 4], 0.01: [9, 30]})
    left, right = fig.axes
    dot = [ln for ln in left.lines if ln.get_label().startswith("η = 0.01:")][0]
    curve = [ln for ln in right.lines if ln.get_label() == "η = 0.01"][0]
    assert dot.get_color() == curve.get_color()
