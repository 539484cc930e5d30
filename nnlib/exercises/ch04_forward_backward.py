"""Exercises of chapter 4, forward and backward: the backward pass of the
worked example with a sigmoid, its gradient at a dead ReLU, and a multiplication node.
"""

from __future__ import annotations

from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _close,
    _float,
    _guarded,
    _has_placeholder,
    _items,
    _known_mistake,
    _not_a_function,
    _show,
    _verdict,
)

SIGMOID_EXAMPLE = {"x1": 0.5, "y": 1.0, "w1": 1.0, "w2": -2.0, "w3": 2.0}
"""Exercise 4.1 — the worked example with σ in place of ReLU, at these numbers."""

DEAD_EXAMPLE = {"x1": -2.0, "y": 9.0, "w1": 1.0, "w2": 2.0, "w3": 1.0}
"""Exercise 4.2 — the worked example (ReLU, bias 3) at an input where ``h_in < 0``."""


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
    right, v = _ch04_sigmoid_example(*SIGMOID_EXAMPLE.values())
    return Feedback(True, [f"At the exercise's numbers hin = {v['hin']:g}, σ(hin) = "
                           f"{v['hout']:.4f} and σ' = {v['hout'] * (1 - v['hout']):.4f}: "
                           f"(de_w1, de_w2, de_w3) = ({right[0]:.4f}, {right[1]:.4f}, "
                           f"{right[2]:.4f}). The graph is the same as with ReLU; only one "
                           "local derivative changed."])


@_guarded
def check_dead_example_gradient(answer) -> Feedback:
    """Exercise 4.2: ``(de_w1, de_w2, de_w3)`` of the worked example at
    :data:`DEAD_EXAMPLE`, where ``h_in = −3 < 0``: all three are 0."""
    if _has_placeholder(answer):
        return Feedback(False, [_TODO])
    got, problem = _ch04_numbers(answer, 3, "a tuple (de_w1, de_w2, de_w3)")
    if problem:
        return Feedback(False, [problem])
    x1, y, w1, w2, w3 = DEAD_EXAMPLE.values()
    hin = w1 * x1 + w2 * x1 + 3                          # −3
    de_pred = 2 * (0.0 - y)                              # hout = pred = 0
    problems = []
    if any(g != 0 for g in got[:2]):
        if _close(got[:2], [de_pred * w3 * x1] * 2):
            problems.append(f"de_w1 = de_w2 = {de_pred * w3 * x1:g} is what flows back if the "
                            f"ReLU lets the gradient through, but hin = {hin:g} < 0, so "
                            "dhout_hin = 0.")
        else:
            problems.append("Follow the chain from e back to w1: one factor of de_w1 and "
                            f"de_w2 is dhout_hin, and hin = {hin:g}.")
    if got[2] != 0:
        if _close(got[2], de_pred * hin):
            problems.append("dpred_w3 is hout, the ReLU's output, not hin.")
        else:
            problems.append("de_w3 = de_pred · hout: what is hout when hin < 0?")
    return _verdict(problems, f"All three are 0: hin = {hin:g} < 0, so hout = 0 (hence de_w3 "
                              "= de_pred · hout = 0) and the ReLU blocks the gradient to w1 "
                              "and w2. On this example the network cannot learn at all, "
                              f"although its error is e = {y ** 2:g}.")


@_guarded
def check_mul_backward(mul_backward) -> Feedback:
    """Exercise 4.3: ``mul_backward(a, b, grad_out)`` must return ``(grad_a, grad_b)`` for
    the node ``out = a · b``, i.e. ``(b · grad_out, a · grad_out)``."""
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
        return Feedback(False, [f"{at} should return ({b * g:g}, {a * g:g}), yours "
                                f"returns ({got[0]:g}, {got[1]:g})."])
    return Feedback(True, ["mul_backward(w3, hout, de_pred) = mul_backward(1, 12, 6) = "
                           "(72, 6): the notes' de_w3 and de_hout in one call."])
