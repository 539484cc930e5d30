"""The exercise checks of chapter 4 (forward and backward pass), and its figures.

Each check must pass right answers, reject the typical wrong ones with a message that
names the mistake, treat ``...`` as "not attempted yet", and never raise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from figures import legend_labels, line
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
from nnlib.exercises import VALUE_ANSWERS as ALL_VALUE_ANSWERS
from nnlib.exercises.ch04_forward_backward import (
    DEAD_EXAMPLE_ANSWER,
    MUL_NODE_ANSWER,
    MUL_NODE_EXERCISE,
    SIGMOID_GRADIENTS_ANSWER,
    check_mul_node_gradients,
    check_sigmoid_gradients,
)

TODO = "Replace `...`"


#: The value answers of chapter 4, from the book's table.
VALUE_ANSWERS = tuple(a for ex, a in ALL_VALUE_ANSWERS.items() if ex.split(".")[0] == "4")

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
    from nnlib.exercises.ch04_forward_backward import _ch04_sigmoid_example

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


def test_relu_kink_figure_draws_relu_and_its_two_one_sided_slopes():
    for h in (1.0, 0.5):                                        # the chapter's h = 1
        (ax,) = plotting.plot_relu_kink(h).axes
        relu = line(ax, r"$\mathrm{ReLU}(z) = \max(0, z)$")
        z = relu.get_xdata()
        assert (z[0], z[-1]) == (-2 * h, 2 * h)
        np.testing.assert_array_equal(relu.get_ydata(), np.maximum(z, 0))
        # each tangent passes through the kink (0, 0) with the slope its label states
        for label, slope in (("slope from the left: 0", 0.0), ("slope from the right: 1", 1.0)):
            (x0, y0), (x1, y1) = line(ax, label).get_xydata()
            assert 0.0 in (x0, x1) and (y1 - y0) / (x1 - x0) == slope, label
        assert [ln.get_xydata().tolist() for ln in ax.lines if ln.get_marker() == "o"] == [
            [[0.0, 0.0]]]


def test_sgd_figure_plots_the_error_the_tangent_and_the_runs():
    # the chapter's call: marks at η = 0.001 and 0.01 and three runs of 12 steps; an error
    # e(η) = 9 (1 − 500 η)² with ‖∇e‖² = 9000 (so the tangent is 9 − 9000 η)
    etas = np.linspace(0, 0.012, 25)
    after = 9 * (1 - 500 * etas) ** 2
    runs = {0.001: 9 * 0.5 ** np.arange(12), 0.003: 9 * 0.1 ** np.arange(12),
            0.01: 9 * np.r_[1, 16, 4, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 5e-3, 1e-3]}
    fig = plotting.plot_sgd_on_example(etas, after, 9.0, 9000.0, marks=(0.001, 0.01), runs=runs)
    left, right = fig.axes
    np.testing.assert_array_equal(line(left, r"$e(w - \eta\,\nabla e)$ after one step")
                                  .get_xydata(), np.column_stack([etas, after]))
    tangent = line(left, r"tangent $e - \eta\,\|\nabla e\|^2$").get_ydata()
    np.testing.assert_allclose(tangent, 9 - 9000 * etas, rtol=1e-12, atol=1e-12)  # round-off
    assert line(left, "error before the step, e = 9").get_ydata()[0] == 9.0
    # a mark sits on the curve: 9 (1 − 0.5)² = 2.25 at η = 0.001, 9 · 16 = 144 at 0.01
    # (1e-12: round-off only)
    dot = line(left, "η = 0.001: e = 2.25")
    assert dot.get_xydata().tolist() == [[0.001, pytest.approx(2.25, abs=1e-12)]]
    assert line(left, "η = 0.01: e = 144").get_ydata()[0] == pytest.approx(144, abs=1e-9)
    for eta, curve in runs.items():                             # step t at x = t, from 0
        np.testing.assert_array_equal(line(right, f"η = {eta:g}").get_xydata(),
                                      np.column_stack([np.arange(12), curve]))
    assert right.get_yscale() == "log" and left.get_yscale() == "linear"
    assert legend_labels(right) == ["η = 0.001", "η = 0.003", "η = 0.01"]


def test_graph_figure_draws_one_arrow_per_edge_and_per_operation():
    # the boxes' numbers are tested in test_autograd.py; here the arrows: every operand
    # leaves its own box for the circle of the operation that uses it
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    from nnlib.autograd import trace

    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    e = (w * x + w).relu()
    e.label = "e"
    e.backward()
    nodes, edges = trace(e)
    (ax,) = plotting.plot_graph(e).axes
    arrows = [p.get_path().vertices for p in ax.patches if isinstance(p, FancyArrowPatch)]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    ops = [n for n in nodes if n._prev]
    assert len(edges) == 5                       # w, x → ×; ×, w → +; + → ReLU
    assert len(circles) == len(ops) == 3 and len(boxes) == len(nodes) == 5
    assert len(arrows) == len(edges) + len(ops)  # and one from each circle to its result
    where = {}
    for n in nodes:                              # the box holding the node's numbers
        label = "\n".join(([n.label] if n.label else []) + [f"data {n.data:.4g}",
                                                            f"grad {n.grad:.4g}"])
        (cx, cy), = [t.get_position() for t in ax.texts if t.get_text() == label]
        (box,), = [[b for b in boxes if abs(b.get_x() + b.get_width() / 2 - cx) < 1e-9
                    and abs(b.get_y() + b.get_height() / 2 - cy) < 1e-9]]
        where[id(n)] = box
    for n in ops:                                # its circle: left of its box, same height
        box = where[id(n)]
        mid = box.get_y() + box.get_height() / 2
        left = [c for c in circles if abs(c.center[1] - mid) < 1e-9 and c.center[0] < box.get_x()]
        where[id(n), "op"] = max(left, key=lambda c: c.center[0])
    for child, user in edges:
        box, circle = where[id(child)], where[id(user), "op"]
        # starts on the right side of the operand's box (1e-6: the path is computed in
        # display units and back), and its head touches the operation's circle (0.05: the
        # head's tip stops 0.01 short of its end point, by the line width; the other
        # circles are 0.7 or more away)
        hits = [v for v in arrows
                if abs(v[0][0] - (box.get_x() + box.get_width())) < 1e-6
                and box.get_y() < v[0][1] < box.get_y() + box.get_height()
                and min(abs(np.hypot(*(v - circle.center).T) - circle.radius)) < 0.05]
        assert len(hits) >= 1, (child, user)
    assert e.data == 8.0 and w.grad == 4.0       # the numbers in the boxes: x + 1
