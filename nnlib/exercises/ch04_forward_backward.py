"""Exercises of chapter 4, forward and backward: the backward pass of the
worked example with a sigmoid, its gradient at a dead ReLU, and a multiplication node.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _close,
    _derivative_ways,
    _float,
    _guarded,
    _items,
    _known_mistake,
    _not_a_function,
    _show,
)

__all__ = [
    "DEAD_EXAMPLE", "MUL_NODE_EXERCISE", "SIGMOID_EXAMPLE", "check_dead_example_gradient",
    "check_mul_backward", "check_mul_node_gradients", "check_sigmoid_backward",
    "check_sigmoid_gradients", "SIGMOID_GRADIENTS_ANSWER", "DEAD_EXAMPLE_ANSWER",
    "MUL_NODE_ANSWER"
]

SIGMOID_EXAMPLE = {"x1": 0.5, "y": 1.0, "w1": 1.0, "w2": -2.0, "w3": 2.0}
"""Exercise 4.1 — the worked example with σ in place of ReLU, at these numbers."""

DEAD_EXAMPLE = {"x1": -2.0, "y": 9.0, "w1": 1.0, "w2": 2.0, "w3": 1.0}
"""Exercise 4.2 — the worked example (ReLU, bias 3) at an input where ``h_in < 0``."""

MUL_NODE_EXERCISE = {"a": 3.0, "b": -2.0, "grad_out": 1.5}
"""Exercise 4.3 — a multiplication node ``out = a · b`` whose gradients are asked by hand."""

_GRADIENT_LABELS = ("∂e/∂w₁", "∂e/∂w₂", "∂e/∂w₃")


def _ch04_sigmoid_example(x1: float, y: float, w1: float, w2: float, w3: float):
    """``(de_w1, de_w2, de_w3)`` for ``e = (w3 σ(w1 x1 + w2 x1 + 3) − y)²``, by autograd,
    and the named intermediate values ``{"hin", "hout", "diff"}``."""
    from ..autograd import Value

    w = [Value(w1), Value(w2), Value(w3)]
    hin = w[0] * x1 + w[1] * x1 + 3
    hout = hin.sigmoid()
    diff = w[2] * hout - y
    (diff ** 2).backward()
    return tuple(v.grad for v in w), {"hin": hin.data, "hout": hout.data, "diff": diff.data}


def _sigmoid_gradients_answer() -> ValueAnswer:
    """The truth of Exercise 4.1's prediction: the three gradients at
    :data:`SIGMOID_EXAMPLE`, computed by autograd, and the slips of a hand computation."""
    p = SIGMOID_EXAMPLE
    right, v = _ch04_sigmoid_example(*p.values())
    x1, w3 = p["x1"], p["w3"]
    s, diff, hin = v["hout"], v["diff"], v["hin"]
    de_pred, de_hin = 2 * diff, 2 * diff * w3 * s * (1 - s)
    relu_path = de_pred * w3 * (1.0 if hin > 0 else 0.0) * x1
    return ValueAnswer(
        exercise="4.1", digits=4, labels=_GRADIENT_LABELS, expected=right,
        check_name="check_sigmoid_gradients",
        success=(f"hin = {hin:g}, σ(hin) = {s:.4f} and σ'(hin) = σ(1 − σ) = "
                 f"{s * (1 - s):.4f}, so (∂e/∂w₁, ∂e/∂w₂, ∂e/∂w₃) = ({right[0]:.4f}, "
                 f"{right[1]:.4f}, {right[2]:.4f}). The graph is the one of the worked "
                 "example; only the local derivative of the activation changed."),
        mistakes=(
            Mistake(tuple(-g for g in right), "Every gradient has the wrong sign: with "
                    "diff = pred − y, de_diff = 2·diff and ddiff_pred = +1."),
            Mistake(tuple(g / 2 for g in right), "Every gradient is half the right size: "
                    "d(diff²)/d(diff) = 2·diff."),
            Mistake((relu_path, relu_path, None), "∂e/∂w₁ and ∂e/∂w₂ use ReLU's local "
                    "derivative (1 or 0); for σ it is dhout_hin = σ(hin)(1 − σ(hin))."),
            Mistake((de_pred * w3 * s * x1,) * 2 + (None,), "dhout_hin is σ(hin) itself; "
                    "the local derivative is σ(hin)(1 − σ(hin))."),
            Mistake((de_hin, de_hin, None), f"∂e/∂w₁ and ∂e/∂w₂ are de_hin alone: multiply "
                    f"by dz1_w1 = dz2_w2 = x₁ = {x1:g}."),
            Mistake((right[0] / w3, right[1] / w3, None), f"A factor w₃ = {w3:g} is missing "
                    "from ∂e/∂w₁ and ∂e/∂w₂: dpred_hout = w₃."),
            Mistake((None, None, de_pred * hin), "∂e/∂w₃ multiplies de_pred by hin; "
                    "dpred_w3 = hout = σ(hin), the value w₃ multiplies."),
        ),
        hint=(f"Forward first: hin = {x1:g}·w₁ + {x1:g}·w₂ + 3, hout = σ(hin), pred = w₃·hout, "
              "diff = pred − y. Then multiply, from e backwards, each local derivative."))


SIGMOID_GRADIENTS_ANSWER = _sigmoid_gradients_answer()


def _dead_example_answer() -> ValueAnswer:
    """The truth of Exercise 4.2: all three gradients are 0 at :data:`DEAD_EXAMPLE`."""
    x1, y, w1, w2, w3 = DEAD_EXAMPLE.values()
    hin = w1 * x1 + w2 * x1 + 3                          # −3
    de_pred = 2 * (0.0 - y)                              # hout = pred = 0
    through = de_pred * w3 * x1                          # what an open ReLU would pass on
    open_relu = (f"∂e/∂w₁ = ∂e/∂w₂ = {through:g} is what flows back if the ReLU lets the "
                 f"gradient through, but hin = {hin:g} < 0, so dhout_hin = 0.")
    w3_hin = "dpred_w3 is hout, the ReLU's output, not hin."
    return ValueAnswer(
        exercise="4.2", digits=None, labels=_GRADIENT_LABELS, expected=(0.0, 0.0, 0.0),
        check_name="check_dead_example_gradient",
        success=(f"All three are 0: hin = {hin:g} < 0, so hout = 0 (hence ∂e/∂w₃ = de_pred · "
                 "hout = 0) and the ReLU blocks the gradient to w₁ and w₂. On this example "
                 f"the network cannot learn at all, although its error is e = {y ** 2:g}."),
        mistakes=(
            Mistake((through, through, de_pred * hin), open_relu + " " + w3_hin),
            Mistake((through, through, None), open_relu),
            Mistake((None, None, de_pred * hin), w3_hin),
        ),
        hint=(f"Follow the chain from e back to each weight: ∂e/∂w₁ and ∂e/∂w₂ pass through "
              f"dhout_hin, and hin = {hin:g}; ∂e/∂w₃ = de_pred · hout: what is hout when "
              "hin < 0?"))


DEAD_EXAMPLE_ANSWER = _dead_example_answer()


def _mul_node_answer() -> ValueAnswer:
    """The truth of Exercise 4.3's value part: ``(grad_a, grad_b)`` of ``out = a · b`` at
    :data:`MUL_NODE_EXERCISE`."""
    a, b, g = MUL_NODE_EXERCISE.values()
    return ValueAnswer(
        exercise="4.3", digits=None, labels=("grad_a", "grad_b"), expected=(b * g, a * g),
        check_name="check_mul_node_gradients",
        success=(f"grad_a = b · grad_out = {b * g:g} and grad_b = a · grad_out = {a * g:g}: "
                 "each operand receives the gradient from above times the other operand."),
        mistakes=(
            Mistake((a * g, b * g), "The operands are swapped: ∂(a·b)/∂a = b, so grad_a = "
                    "b · grad_out (each operand's gradient is the other operand times "
                    "grad_out)."),
            Mistake((b, a), "grad_out is missing: the chain rule multiplies the local "
                    "derivative by the upstream gradient, grad_a = b · grad_out."),
            Mistake((g, g), "That is the backward pass of an addition node (it passes "
                    "grad_out on unchanged); a product scales it by the other operand."),
        ),
        hint="Local derivative times the gradient from above: ∂(a·b)/∂a = b and ∂(a·b)/∂b = a.")


MUL_NODE_ANSWER = _mul_node_answer()


def _ch04_not_by_formula(fn, case, points, formula: str) -> str | None:
    """Why ``fn(*case)`` gets its gradients right but not by the chain rule's formulas, or
    None: it calls nnlib's autograd, numerical gradient or σ', or uses a complex step or a
    difference quotient in the variables ``points``."""
    from .. import activations, autograd, gradcheck

    called, trick = _derivative_ways(fn, case, points,
                                     forbidden=(autograd, gradcheck, activations.sigmoid_grad,
                                                activations.Sigmoid))
    if called:
        return (f"Your function calls {called[0]}: nnlib computes the derivative for you, and "
                f"then this check cannot see your own chain rule. {formula}")
    if trick == "complex":
        return ("Your gradients are right, but your function evaluates at complex points (a "
                f"complex-step derivative), not the chain rule's local derivatives. {formula}")
    if trick == "shifted":
        return ("Your gradients are right, but your function evaluates a small step away from "
                "the point (a difference quotient, a numerical derivative), not the chain "
                f"rule's local derivatives. {formula}")
    return None


def _ch04_placeholder(error: str | None, answer) -> bool:
    """Whether a reader's function still holds a ``...`` placeholder: it returned one, or
    raised from arithmetic with one (``2.0 * ...`` is a ``TypeError`` naming 'ellipsis')."""
    if error:
        return "'ellipsis'" in error
    return answer is ... or (_items(answer) is not None and any(v is ... for v in answer))


def _ch04_numbers(answer, n: int, what: str):
    """(n is 2 or 3) ``(n floats, None)`` or ``(None, message)`` for an answer of ``n`` gradients
    ``what``, e.g. "(de_w1, de_w2, de_w3)"."""
    items = _items(answer, n)
    if items is None:
        return None, f"Give {('two', 'three')[n - 2]} numbers, {what}; got {_show(answer)}."
    values = [_float(v) for v in items]
    why = next((why for _, why in values if why), None)
    if why:
        return None, f"Each gradient is one number, got {why}."
    return [v for v, _ in values], None


@_guarded
def check_sigmoid_backward(backward) -> Feedback:
    """Exercise 4.1: ``backward(x1, y, w1, w2, w3)`` must return ``(de_w1, de_w2, de_w3)``
    for ``nn(x1) = w3 σ(w1 x1 + w2 x1 + 3)`` and ``e = (y − nn(x1))²``."""
    import math

    not_ready = _not_a_function(backward, "check_sigmoid_backward")
    if not_ready is not None:
        return not_ready
    cases = [tuple(SIGMOID_EXAMPLE.values()), (3.0, 9.0, 1.0, 2.0, 1.0), (1.5, -0.5, -0.5, 0.25,
                                                                           1.5),
             (-1.0, 2.0, 0.3, 1.2, -0.7)]
    for case in cases:
        answer, error = _call(backward, *case)
        if _ch04_placeholder(error, answer):
            return Feedback(False, [_TODO])
        if error:
            return Feedback(False, [error + "."])
        got, problem = _ch04_numbers(answer, 3, "return (de_w1, de_w2, de_w3)")
        if problem:
            return Feedback(False, [problem])
        right, v = _ch04_sigmoid_example(*case)
        if _close(got, right):
            continue
        x1, w3 = case[0], case[4]
        s, diff = v["hout"], v["diff"]
        at = ", ".join(f"{k} = {val:g}" for k, val in zip(SIGMOID_EXAMPLE, case, strict=True))
        relu_path = 2 * diff * w3 * (1.0 if v["hin"] > 0 else 0.0) * x1
        variants = {
            "de_w1 and de_w2 use ReLU's local derivative (1 or 0); for σ it is "
            "dhout_hin = σ(hin)(1 − σ(hin)).": (relu_path, relu_path, 2 * diff * s),
            "dhout_hin is σ(hin) itself; the local derivative is σ(hin)(1 − σ(hin)).":
                (2 * diff * w3 * s * x1,) * 2 + (2 * diff * s,),
            "Every gradient has the wrong sign: with diff = pred − y, de_diff = 2·diff and "
            "ddiff_pred = +1.": tuple(-g for g in right),
            "Every gradient is half the right size: d(diff²)/d(diff) = 2·diff.":
                tuple(g / 2 for g in right),
            "de_w3 multiplies de_pred by hin; dpred_w3 = hout = σ(hin), the value w3 "
            "multiplies.": (*right[:2], 2 * diff * v["hin"]),
        }
        mistake = _known_mistake(got, variants)
        if mistake:
            return Feedback(False, [mistake + f" (checked at {at}.)"])
        names = ("de_w1", "de_w2", "de_w3")
        problems = [f"{n} should be {r:.6g} at {at}; yours is {g:.6g}."
                    for n, r, g in zip(names, right, got, strict=True) if not math.isclose(
                        g, r, rel_tol=1e-9, abs_tol=1e-12)]
        return Feedback(False, problems)
    case = cases[3]
    way = _ch04_not_by_formula(backward, case, case[2:],
                               "Multiply the local derivatives yourself, with "
                               "dhout_hin = σ(hin)(1 − σ(hin)).")
    if way:
        return Feedback(False, [way])
    right, v = _ch04_sigmoid_example(*SIGMOID_EXAMPLE.values())
    return Feedback(True, [f"At the exercise's numbers hin = {v['hin']:g}, σ(hin) = "
                           f"{v['hout']:.4f} and σ' = {v['hout'] * (1 - v['hout']):.4f}: "
                           f"(de_w1, de_w2, de_w3) = ({right[0]:.4f}, {right[1]:.4f}, "
                           f"{right[2]:.4f}). The graph is the same as with ReLU; only one "
                           "local derivative changed."])


@_guarded
def check_sigmoid_gradients(answer) -> Feedback:
    """Exercise 4.1, the prediction: ``answer = (de_w1, de_w2, de_w3)`` of the sigmoid
    network at :data:`SIGMOID_EXAMPLE`, judged by ``SIGMOID_GRADIENTS_ANSWER`` as the HTML
    form is."""
    return SIGMOID_GRADIENTS_ANSWER.check(answer)


@_guarded
def check_dead_example_gradient(answer) -> Feedback:
    """Exercise 4.2: ``(de_w1, de_w2, de_w3)`` of the worked example at
    :data:`DEAD_EXAMPLE`, where ``h_in = −3 < 0``: all three are 0. Judged by
    ``DEAD_EXAMPLE_ANSWER`` as the HTML form is."""
    return DEAD_EXAMPLE_ANSWER.check(answer)


#: Exercise 4.3's answer to a product's gradient that is near but not exact.
_CH04_NOT_EXACT = ("{at} gives ({got[0]!r}, {got[1]!r}), close to ({want[0]!r}, {want[1]!r}) "
                   "but not equal to the last digit, as one product would be: that is what a "
                   "difference quotient (a numerical derivative) gives. Write the node's "
                   "rule: grad_a = b · grad_out, grad_b = a · grad_out.")


@_guarded
def check_mul_backward(mul_backward) -> Feedback:
    """Exercise 4.3: ``mul_backward(a, b, grad_out)`` must return ``(grad_a, grad_b)`` for
    the node ``out = a · b``, i.e. ``(b · grad_out, a · grad_out)``."""
    import math

    not_ready = _not_a_function(mul_backward, "check_mul_backward")
    if not_ready is not None:
        return not_ready
    for a, b, g in [(3.0, -2.0, 1.5), (0.5, 4.0, -2.0), (1.0, 12.0, 6.0), (2.0, 2.0, 1.0)]:
        answer, error = _call(mul_backward, a, b, g)
        if _ch04_placeholder(error, answer):
            return Feedback(False, [_TODO])
        if error:
            return Feedback(False, [error + "."])
        got, problem = _ch04_numbers(answer, 2, "return (grad_a, grad_b)")
        if problem:
            return Feedback(False, [problem])
        if _close(got, [b * g, a * g]):
            continue
        at = f"mul_backward({a:g}, {b:g}, {g:g})"
        variants = {
            "The operands are swapped: ∂(a·b)/∂a = b, so grad_a = b · grad_out (each "
            "operand's gradient is the other operand times grad_out).": [a * g, b * g],
            "grad_out is missing: the chain rule multiplies the local derivative by the "
            "upstream gradient, grad_a = b · grad_out.": [b, a],
            "That is the backward pass of an addition node (it passes grad_out on "
            "unchanged); a product scales it by the other operand.": [g, g],
        }
        mistake = _known_mistake(got, variants)
        if mistake:
            return Feedback(False, [f"{mistake} (checked with {at}.)"])
        want = (b * g, a * g)
        if all(math.isclose(v, r, rel_tol=1e-3) for v, r in zip(got, want, strict=True)):
            return Feedback(False, [_CH04_NOT_EXACT.format(at=at, got=got, want=want)])
        return Feedback(False, [f"{at} should return ({b * g:g}, {a * g:g}), yours "
                                f"returns ({got[0]:g}, {got[1]:g})."])
    # one product each: a formula is exact to the last digit, a difference quotient is not;
    # operands far apart in size expose every step h up to about 10 (h = 1 included)
    for a, b, g in [(0.3, -1.7, 0.9), (1e-3, 123.456, 0.77), (123.456, 1e-3, 0.77),
                    (1e-6, 654.321, -1.3), (654.321, 1e-6, -1.3)]:
        answer, _ = _call(mul_backward, a, b, g)
        got, _ = _ch04_numbers(answer, 2, "")
        if got is not None and any(abs(v - r) > 2 * math.ulp(r) for v, r in
                                   zip(got, (b * g, a * g), strict=True)):
            return Feedback(False, [_CH04_NOT_EXACT.format(
                at=f"mul_backward({a:g}, {b:g}, {g:g})", got=got, want=(b * g, a * g))])
    way = _ch04_not_by_formula(mul_backward, (0.5, 4.0, -2.0), (0.5, 4.0),
                               "Write the node's rule yourself: grad_a = b · grad_out and "
                               "grad_b = a · grad_out.")
    if way:
        return Feedback(False, [way])
    return Feedback(True, ["mul_backward(w3, hout, de_pred) = mul_backward(1, 12, 6) = "
                           "(72, 6): the notes' de_w3 and de_hout in one call."])


@_guarded
def check_mul_node_gradients(answer) -> Feedback:
    """Exercise 4.3, the value part: ``answer = (grad_a, grad_b)`` for the node
    ``out = a · b`` at :data:`MUL_NODE_EXERCISE`, judged by ``MUL_NODE_ANSWER`` as the HTML
    form is."""
    return MUL_NODE_ANSWER.check(answer)
