"""The scalar autograd engine (nnlib.autograd) and its drawing (nnlib.plotting.plot_graph)."""

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.autograd import Value, trace
from nnlib.gradcheck import numerical_gradient, relative_error

# Central differences in float64 agree with a correct backward to ~1e-9; 1e-7 flags a bug.
GRAD_TOL = 1e-7


def grads(f, *xs: float) -> tuple[float, list[float]]:
    """``f`` applied to fresh leaves ``Value(x)``: the output's data and each leaf's grad."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


def numeric_grads(f, *xs: float) -> np.ndarray:
    """Central-difference gradient of ``f(Value(x1), ...).data`` at ``xs``."""
    x = np.array(xs, dtype=np.float64)
    return numerical_gradient(lambda: f(*(Value(xi) for xi in x)).data, x)


# -- the worked example of section 5 of the notes -------------------------------------

def worked_example() -> dict[str, Value]:
    """nn(x1) = w3 ReLU(w1 x1 + w2 x1 + 3), e = (pred - y)², with the notes' numbers."""
    v = {name: Value(data, label=name)
         for name, data in [("x1", 3.0), ("y", 9.0), ("w1", 1.0), ("w2", 2.0), ("w3", 1.0)]}
    v["z1"] = v["w1"] * v["x1"]
    v["z2"] = v["w2"] * v["x1"]
    v["hin"] = v["z1"] + v["z2"] + 3
    v["hout"] = v["hin"].relu()
    v["pred"] = v["w3"] * v["hout"]
    v["diff"] = v["pred"] - v["y"]
    v["e"] = v["diff"] ** 2
    for name in ("z1", "z2", "hin", "hout", "pred", "diff", "e"):
        v[name].label = name
    v["e"].backward()
    return v


def test_worked_example_forward_pass_matches_the_notes():
    v = worked_example()
    # every number is a small integer, so float64 gets them exactly
    forward = {"z1": 3.0, "z2": 6.0, "hin": 12.0, "hout": 12.0, "pred": 12.0, "diff": 3.0,
               "e": 9.0}
    assert {name: v[name].data for name in forward} == forward


def test_worked_example_backward_pass_matches_the_notes():
    v = worked_example()
    backward = {"e": 1.0, "diff": 6.0, "pred": 6.0, "w3": 72.0, "hout": 6.0, "hin": 6.0,
                "z1": 6.0, "z2": 6.0, "w1": 18.0, "w2": 18.0}
    assert {name: v[name].grad for name in backward} == backward
    # not in the notes' listing, but implied: x1 feeds both products, y enters with a minus
    assert v["x1"].grad == 1.0 * 6.0 + 2.0 * 6.0
    assert v["y"].grad == -6.0


def test_worked_example_repr():
    assert repr(worked_example()["w3"]) == "Value(data=1.0, grad=72.0)"


# -- every operator: value, closed-form gradient, numerical gradient ---------------------

BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: (a + b, [1.0, 1.0])),
    "-": (lambda a, b: a - b, lambda a, b: (a - b, [1.0, -1.0])),
    "*": (lambda a, b: a * b, lambda a, b: (a * b, [b, a])),
    "/": (lambda a, b: a / b, lambda a, b: (a / b, [1 / b, -a / b**2])),
}

UNARY = {
    "neg": (lambda a: -a, lambda a: (-a, -1.0)),
    "**3": (lambda a: a**3, lambda a: (a**3, 3 * a**2)),
    "**-1": (lambda a: a**-1, lambda a: (1 / a, -1 / a**2)),
    "relu": (lambda a: a.relu(), lambda a: (max(a, 0.0), float(a > 0))),
    "sigmoid": (lambda a: a.sigmoid(),
                lambda a: (1 / (1 + math.exp(-a)),
                           math.exp(-a) / (1 + math.exp(-a)) ** 2)),
    "tanh": (lambda a: a.tanh(), lambda a: (math.tanh(a), 1 / math.cosh(a) ** 2)),
    "exp": (lambda a: a.exp(), lambda a: (math.exp(a), math.exp(a))),
}


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("a, b", [(1.5, -0.7), (-2.0, 3.25)])
def test_binary_operator_value_and_gradient(op, a, b):
    f, closed = BINARY[op]
    data, g = grads(f, a, b)
    want_data, want_grad = closed(a, b)
    assert data == pytest.approx(want_data, rel=1e-15)     # same float operations
    assert g == pytest.approx(want_grad, rel=1e-15)
    assert relative_error(np.array(g), numeric_grads(f, a, b)) < GRAD_TOL


@pytest.mark.parametrize("op", sorted(UNARY))
@pytest.mark.parametrize("a", [0.8, -1.3])
def test_unary_operator_value_and_gradient(op, a):
    f, closed = UNARY[op]
    data, (g,) = grads(f, a)
    want_data, want_grad = closed(a)
    # closed forms are computed along other float paths: a few ulps apart at most
    assert data == pytest.approx(want_data, rel=1e-14)
    assert g == pytest.approx(want_grad, rel=1e-14)
    assert relative_error(np.array([g]), numeric_grads(f, a)) < GRAD_TOL


@pytest.mark.parametrize("a", [0.3, 2.0, 7.5])
def test_fractional_power_value_and_gradient(a):
    data, (g,) = grads(lambda v: v**0.5, a)
    assert data == pytest.approx(math.sqrt(a), rel=1e-15)  # pow and sqrt: both correctly rounded
    assert g == pytest.approx(0.5 / math.sqrt(a), rel=1e-14)
    assert relative_error(np.array([g]), numeric_grads(lambda v: v**0.5, a)) < GRAD_TOL


@pytest.mark.parametrize("a", [0.3, 2.0, 7.5])
def test_log_value_and_gradient(a):
    data, (g,) = grads(lambda v: v.log(), a)
    assert data == math.log(a)
    assert g == pytest.approx(1 / a, rel=1e-15)             # the same division
    assert relative_error(np.array([g]), numeric_grads(lambda v: v.log(), a)) < GRAD_TOL


def test_relu_at_zero_has_gradient_zero_like_the_notes():
    # the notes: dhout_hin = 1 if hin > 0 else 0
    assert grads(lambda v: v.relu(), 0.0) == (0.0, [0.0])
    assert grads(lambda v: v.relu(), -2.0) == (0.0, [0.0])


@pytest.mark.parametrize("f, data, grad", [
    (lambda v: 3 + v, 5.0, 1.0),
    (lambda v: v + 3, 5.0, 1.0),
    (lambda v: 2.0 * v, 4.0, 2.0),
    (lambda v: v * 2.0, 4.0, 2.0),
    (lambda v: 1 - v, -1.0, -1.0),
    (lambda v: v - 1, 1.0, 1.0),
    (lambda v: 2 / v, 1.0, -0.5),
    (lambda v: v / 2, 1.0, 0.5),
    (lambda v: np.float64(3.0) * v, 6.0, 3.0),
    (lambda v: sum([v, v, 1]), 5.0, 2.0),
])
def test_numbers_on_either_side(f, data, grad):
    out, (g,) = grads(f, 2.0)       # all exact in float64
    assert (out, g) == (data, grad)


@given(a=st.floats(-3, 3), b=st.floats(0.5, 3), c=st.floats(-3, 3))
def test_composite_expression_matches_central_differences(a, b, c):
    def f(x, y, z):
        return ((x * y - z / y) ** 2 + (x + z).tanh() * y.log() - (-z).sigmoid()) / (1 + y)

    _, g = grads(f, a, b, c)
    # the expression is smooth and at most O(100): central differences are good to ~1e-8
    # here, while a single wrong term is off by far more than the tolerance 1e-6
    assert np.allclose(g, numeric_grads(f, a, b, c), rtol=1e-6, atol=1e-6)


# -- the graph: shared nodes, order, depth, accumulation ----------------------------------

def test_shared_nodes_accumulate():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0                                   # d(a²)/da = 2a
    b = Value(3.0)
    (b + b).backward()
    assert b.grad == 2.0
    c = Value(-1.5)
    (c * c * c + c).backward()
    assert c.grad == 3 * 1.5**2 + 1


def test_diamond_graph_topological_order_and_gradient():
    a = Value(2.0, label="a")
    b = a * 3                                              # a feeds b and c: a diamond
    c = a + 1
    d = b * c
    nodes, edges = trace(d)
    pos = {id(n): k for k, n in enumerate(nodes)}
    assert len(nodes) == len({id(n) for n in nodes}) == 6  # a, 3, b, 1, c, d
    assert nodes[-1] is d
    for child, parent in edges:
        assert pos[id(child)] < pos[id(parent)]
    assert [(id(ch), id(p)) for ch, p in edges if p is d] == [(id(b), id(d)), (id(c), id(d))]
    d.backward()
    # dd/da = 3c + b: both paths must be complete before a passes its gradient on
    assert (b.grad, c.grad, a.grad) == (3.0, 6.0, 3 * 3.0 + 6.0)


def test_trace_lists_an_edge_per_operand_slot():
    a = Value(1.0)
    sq = a * a
    nodes, edges = trace(sq)
    assert len(nodes) == 2 and nodes[0] is a and nodes[1] is sq
    assert len(edges) == 2 and all(ch is a and p is sq for ch, p in edges)


def test_deep_chain_has_no_recursion_limit():
    x = Value(1.0)
    out = x
    for _ in range(10_000):
        out = out * 1.0 + 0.0
    assert sys.getrecursionlimit() < 20_000                # a recursive walk would fail
    out.backward()
    assert x.grad == 1.0
    nodes, edges = trace(out)
    assert len(nodes) == 1 + 2 * 10_000 + 2 * 10_000       # x, results and constants
    out.zero_grad()
    assert x.grad == 0.0 and out.grad == 0.0


def test_backward_twice_accumulates_and_zero_grad_resets():
    v = worked_example()
    v["e"].backward()
    # the leaves add a second ∂e/∂w; intermediate results show this pass's gradient
    assert (v["w1"].grad, v["w3"].grad, v["x1"].grad) == (36.0, 144.0, 36.0)
    assert (v["e"].grad, v["diff"].grad, v["hin"].grad) == (1.0, 6.0, 6.0)
    v["e"].zero_grad()
    assert all(n.grad == 0.0 for n in trace(v["e"])[0])
    v["e"].backward()
    assert (v["w1"].grad, v["w3"].grad) == (18.0, 72.0)


def test_two_outputs_sum_their_gradients_on_shared_leaves():
    w = Value(3.0)
    h = w * w                                              # shared by both outputs
    e1, e2 = h * 2, h + w
    e1.backward()
    e2.backward()
    assert w.grad == 2 * 2 * 3.0 + (2 * 3.0 + 1)           # ∂e1/∂w + ∂e2/∂w
    leaf = Value(5.0)
    leaf.backward()
    leaf.backward()
    assert leaf.grad == 2.0                                # a leaf output accumulates too


# -- numerics and bad input --------------------------------------------------------------

@pytest.mark.parametrize("x, s", [(1000.0, 1.0), (-1000.0, 0.0), (745.0, 1.0), (-745.0, 5e-324)])
def test_sigmoid_is_finite_and_correct_at_extremes(x, s):
    v = Value(x)
    out = v.sigmoid()
    out.backward()
    # σ(-745) = e^-745 underflows to the smallest subnormal, the correctly rounded result
    assert out.data == s
    assert math.isfinite(v.grad) and v.grad == pytest.approx(s * (1 - s), abs=1e-300)


def test_sigmoid_negative_branch_is_accurate():
    # 1/(1 + e^30) loses nothing, but 1 - σ(30) would: compare with the closed form
    assert Value(-30.0).sigmoid().data == pytest.approx(math.exp(-30) / (1 + math.exp(-30)),
                                                        rel=1e-15)


def test_float_semantics_nan_and_overflow():
    assert math.isnan(Value(float("nan")).data)
    assert Value(1000.0).exp().data == math.inf
    assert math.isnan(Value(float("nan")).relu().data)     # NaN is not hidden by ReLU
    assert (Value(1e200) ** 2).data == math.inf             # as 1e200 * 1e200, no OverflowError
    big = Value(-1e200)
    cube = big ** 3
    cube.backward()
    assert (cube.data, big.grad) == (-math.inf, math.inf)


@pytest.mark.parametrize("x", [0.0, -1.0, -math.inf])
def test_log_of_non_positive_raises(x):
    with pytest.raises(ValueError, match=r"Value 'p'\.log\(\) needs data > 0, got Value\(data="):
        Value(x, label="p").log()


@pytest.mark.parametrize("bad", ["a", None, True, 1 + 2j, [1.0], np.array([1.0, 2.0])])
def test_value_of_a_non_number_raises_type_error(bad):
    with pytest.raises(TypeError, match="Value data must be a real number, got"):
        Value(bad)


def test_bad_operands_raise_type_error():
    v = Value(2.0)
    with pytest.raises(TypeError, match="exponent n must be an int or float"):
        v ** "2"
    with pytest.raises(TypeError, match="exponent n must be an int or float"):
        v ** Value(2.0)
    with pytest.raises(TypeError, match="'Value' and 'str'"):
        v + "a"
    with pytest.raises(TypeError, match="'str' and 'Value'"):
        "a" - v
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)
    with pytest.raises(TypeError, match="root to be a Value"):
        trace(2.0)


def test_fractional_power_of_a_negative_number_raises():
    with pytest.raises(ValueError, match="non-integer exponent n=0.5 needs data >= 0"):
        Value(-4.0) ** 0.5


def test_builtin_max_explains_relu():
    with pytest.raises(TypeError, match=r"v\.relu\(\)"):
        max(Value(1.0), 0)


def test_importing_autograd_does_not_import_matplotlib():
    code = "import sys, nnlib.autograd; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# -- the drawing ----------------------------------------------------------------------------

def test_plot_graph_draws_one_box_per_value_with_data_and_grad():
    from matplotlib.figure import Figure

    from nnlib.plotting import plot_graph

    v = worked_example()
    fig = plot_graph(v["e"], title="worked example")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    nodes, edges = trace(v["e"])
    boxes = [t.get_text() for t in ax.texts if "grad" in t.get_text()]
    assert len(boxes) == len(nodes) == 14
    for n in nodes:
        want = [f"data {n.data:.4g}", f"grad {n.grad:.4g}"]
        lines = ([n.label] if n.label else []) + want
        assert "\n".join(lines) in boxes
    assert "hin\ndata 12\ngrad 6" in boxes and "w3\ndata 1\ngrad 72" in boxes
    ops = sorted(t.get_text() for t in ax.texts if "grad" not in t.get_text())
    assert ops == sorted(["×", "×", "+", "+", "ReLU", "×", "−", "**2"])
    assert ax.get_title() == "worked example"


def test_plot_graph_is_deterministic_and_flows_left_to_right():
    from nnlib.plotting import plot_graph

    def positions():
        ax = plot_graph(worked_example()["e"]).axes[0]
        return {t.get_text(): t.get_position() for t in ax.texts if "grad" in t.get_text()}

    first, second = positions(), positions()
    assert first == second
    x = {text.split("\n")[0]: pos[0] for text, pos in first.items()}
    assert x["w1"] < x["z1"] < x["hin"] < x["hout"] < x["pred"] < x["diff"] < x["e"]
    assert x["x1"] == x["w1"] == x["w2"]                  # the leaves of the first layer


def test_plot_graph_into_given_axes_and_bad_root():
    from matplotlib.figure import Figure

    from nnlib.plotting import plot_graph

    fig = Figure(figsize=(4, 2))
    ax = fig.add_subplot()
    x = Value(0.5, label="x")
    y = (x * x).sigmoid()
    y.backward()
    assert plot_graph(y, ax=ax) is fig
    assert sum("grad" in t.get_text() for t in ax.texts) == 3
    assert plot_graph(Value(1.0, label="leaf")).axes[0].texts[0].get_text() == (
        "leaf\ndata 1\ngrad 0")
    with pytest.raises(TypeError, match="root to be a nnlib.autograd.Value, got float"):
        plot_graph(1.0)
