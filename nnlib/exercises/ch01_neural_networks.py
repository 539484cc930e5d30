"""Exercises of chapter 1, neural networks: one neuron, a forward pass,
counting parameters and the collapse of linear layers (in code and by hand).
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _call,
    _changed,
    _close,
    _floats,
    _guarded,
    _has_placeholder,
    _items,
    _known_mistake,
    _not_a_function,
    _results,
    _show,
    _verdict,
    _watched_call,
)

__all__ = [
    "COUNT_PREDICTION_SIZES", "FORWARD_EXERCISE", "NEURON_EXERCISE", "check_collapse",
    "check_count_prediction", "check_forward_by_hand", "check_forward_pass", "check_neuron",
    "check_parameter_count", "NEURON_ANSWER", "COUNT_PREDICTION_ANSWER", "COLLAPSE_ANSWER",
    "FORWARD_ANSWER", "COLLAPSE_EXERCISE", "check_collapse_by_hand"
]

NEURON_EXERCISE = {"x": (1.0, -2.0, 3.0), "w": (0.5, 0.25, -1.0), "b": 1.0}
"""Exercise 1.1 — one ReLU neuron ``a = max(0, x·w + b)`` with these numbers."""

COUNT_PREDICTION_SIZES = (784, 128, 64, 10)
"""Exercise 1.3 — the network whose parameters the reader predicts before the check."""

FORWARD_EXERCISE = {"x": (3.0, -1.0),
                    "W1": ((1.0, -1.0, 0.5), (2.0, 1.0, -1.0)), "b1": (0.0, 1.0, 0.5),
                    "W2": (1.0, -2.0, 3.0), "b2": 0.5}
"""Exercise 1.5 — the network of section 1.4 (``W2`` as a flat column) and a new input."""


def _flipped_terms(terms: list[tuple[str, float]], z: float) -> list[str] | None:
    """The names of the fewest ``(name, value)`` terms of the sum ``z`` whose signs, flipped,
    give −z (those whose values add up to z), or None when no one set is the fewest."""
    import math
    from itertools import combinations

    for k in range(1, len(terms) + 1):
        found = [c for c in combinations(terms, k)
                 if math.isclose(sum(v for _, v in c), z, abs_tol=1e-12)]
        if found:
            return [name for name, _ in found[0]] if len(found) == 1 else None
    return None


def _neuron_answer() -> ValueAnswer:
    """The truth of Exercise 1.1, computed from :data:`NEURON_EXERCISE`."""
    import math

    x, w, b = NEURON_EXERCISE["x"], NEURON_EXERCISE["w"], NEURON_EXERCISE["b"]
    dot = sum(xi * wi for xi, wi in zip(x, w, strict=True))
    z = dot + b
    terms = " + ".join(f"({xi:g})({wi:g})" for xi, wi in zip(x, w, strict=True))
    # z = −z: the signs the reader most likely flipped are the fewest terms that give it
    # (here x₃w₃ = −3 and b = 1; x₁w₁ + x₂w₂ = 0 with both signs flipped or neither)
    flipped = _flipped_terms(
        [*((f"x{i}w{i} = ({xi:g})({wi:g})", xi * wi)
           for i, xi, wi in zip("₁₂₃₄₅₆₇₈₉", x, w, strict=False)),
         (f"the bias b = {b:g}", b)], z)
    if flipped:
        one = len(flipped) == 1
        wrong_sign = (f"z = {-z:g}: the sign{'' if one else 's'} of {' and of '.join(flipped)} "
                      + ("is" if one else "are") + " flipped in your sum. Recompute "
                      + ("that term" if one else "those terms")
                      + ", each with its own sign; then a = max(0, z).")
    else:
        wrong_sign = (f"z = {-z:g}: some terms of your sum have their signs flipped. Recompute "
                      "each product xᵢwᵢ and the bias, each with its own sign.")
    return ValueAnswer(
        exercise="1.1", digits=None, labels=("z", "a"), expected=(z, max(z, 0.0)),
        check_name="check_neuron",
        success=(f"z = x·w + b = {z:g}, negative, so ReLU outputs a = {max(z, 0.0):g}: this "
                 "neuron is switched off for this input."),
        mistakes=(
            Mistake((-z, -z), wrong_sign),
            Mistake((dot, None), f"z = {dot:g} is x·w alone: add the bias b = {b:g}."),
            Mistake((dot - b, None), "The bias is added, not subtracted: z = x·w + b."),
            Mistake((-z, None), wrong_sign),
            Mistake((z, z), f"a = {z:g} is z itself: ReLU keeps z only when z > 0, so "
                            "a = max(0, z)."),
            Mistake((z, abs(z)), "ReLU is max(0, z), not |z|: a negative z gives 0."),
            Mistake((z, 1 / (1 + math.exp(-z))),
                    "That is the sigmoid of z; this neuron's φ is ReLU, max(0, z)."),
        ),
        hint=f"z = {terms} + {b:g}: recompute the three products; then a = max(0, z).")


NEURON_ANSWER = _neuron_answer()


@_guarded
def check_neuron(answer) -> Feedback:
    """Exercise 1.1: ``answer = (z, a)`` with ``z = x·w + b`` and ``a = ReLU(z)`` for
    :data:`NEURON_EXERCISE`, judged by ``NEURON_ANSWER`` as the HTML form is."""
    return NEURON_ANSWER.check(answer)


def _count_prediction_answer() -> ValueAnswer:
    """The truth of the prediction in Exercise 1.3, from :data:`COUNT_PREDICTION_SIZES`."""
    sizes = COUNT_PREDICTION_SIZES
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = sum(a * b for a, b in pairs)
    biases = sum(b for _, b in pairs)
    total = weights + biases
    per_layer = " + ".join(f"({a}·{b} + {b})" for a, b in pairs)
    return ValueAnswer(
        exercise="1.3", labels=("parameters",), expected=(float(total),),
        check_name="check_count_prediction", digits=None,     # a count: exact
        success=(f"{per_layer} = {total:,}: {weights:,} weights and {biases} biases. "
                 "Almost all of them sit between the input and the first hidden layer."),
        mistakes=(
            Mistake((float(weights),), f"{weights:,} counts the weights only: every "
                                       f"non-input node also has a bias ({biases} of them)."),
            Mistake((float(total + sizes[0]),), "That gives the input nodes biases too: "
                                                "inputs are data, they have no bias."),
            Mistake((float(sum(sizes)),), f"{sum(sizes)} counts nodes: count the weights "
                                          "(one per arrow) and the biases."),
            Mistake((float(sum(a + b for a, b in pairs)),),
                    "That adds layer sizes: between layers of a and b nodes there are a·b "
                    "weights (every node to every node) and b biases."),
            Mistake((float(pairs[0][0] * pairs[0][1] + pairs[0][1]),),
                    "That is the first pair of layers only: add a·b + b over every pair of "
                    "consecutive layers."),
        ),
        hint=f"Add a·b + b over the consecutive layers: {per_layer}.")


COUNT_PREDICTION_ANSWER = _count_prediction_answer()


@_guarded
def check_count_prediction(answer) -> Feedback:
    """Exercise 1.3, the prediction: ``answer`` is the number of parameters of the network
    :data:`COUNT_PREDICTION_SIZES`, judged by ``COUNT_PREDICTION_ANSWER`` as the HTML form
    is."""
    return COUNT_PREDICTION_ANSWER.check(answer)


def _forward_answer() -> ValueAnswer:
    """The truth of Exercise 1.5, computed from :data:`FORWARD_EXERCISE`."""
    ex = FORWARD_EXERCISE
    x, W1, b1, W2, b2 = ex["x"], ex["W1"], ex["b1"], ex["W2"], ex["b2"]

    def hidden(bias=True):
        return [sum(x[j] * W1[j][k] for j in range(len(x))) + (b1[k] if bias else 0.0)
                for k in range(len(b1))]

    def out(h, bias=True):
        return sum(hk * wk for hk, wk in zip(h, W2, strict=True)) + (b2 if bias else 0.0)

    z = hidden()
    h = [max(zk, 0.0) for zk in z]
    y = out(h)
    h_no_b1 = [max(zk, 0.0) for zk in hidden(bias=False)]
    dead = [k + 1 for k, zk in enumerate(z) if zk <= 0]
    return ValueAnswer(
        exercise="1.5", labels=("h₁", "h₂", "h₃", "ŷ"), expected=(*h, y),
        check_name="check_forward_by_hand",
        success=(f"z¹ = ({', '.join(f'{v:g}' for v in z)}), so h¹ = "
                 f"({', '.join(f'{v:g}' for v in h)}) and ŷ = {y:g}. This time hidden neuron "
                 f"{', '.join(map(str, dead))} is switched off: which neurons are on depends "
                 "on the input."),
        mistakes=(
            Mistake((*z, out(z)), "No ReLU: the hidden neurons output h = max(0, z), so a "
                                  "negative pre-activation becomes 0 before it reaches ŷ."),
            Mistake((*h_no_b1, out(h_no_b1)), f"The biases b¹ = ({', '.join(f'{v:g}' for v in b1)})"
                                              " are missing: z¹_k = x₁W¹_1k + x₂W¹_2k + b¹_k."),
            Mistake((*h, out(h, bias=False)), f"h¹ is right; ŷ misses the output bias "
                                              f"b² = {b2:g}."),
            Mistake((*h, out(z)), "h¹ is right, but ŷ is computed from z¹: use the ReLU "
                                  "outputs h¹, ŷ = h¹W² + b²."),
            Mistake((*[zk if zk < 0 else None for zk in z], None),
                    "A hidden output is negative: ReLU outputs max(0, z), never less than 0."),
        ),
        hint=("z¹_k = x₁W¹_1k + x₂W¹_2k + b¹_k (column k of W¹), h¹_k = max(0, z¹_k), then "
              "ŷ = h¹W² + b²."))


FORWARD_ANSWER = _forward_answer()


@_guarded
def check_forward_by_hand(answer) -> Feedback:
    """Exercise 1.5: ``answer = (h1, h2, h3, y_hat)``, the hidden outputs and the output of
    the network of section 1.4 for the input of :data:`FORWARD_EXERCISE`, judged by
    ``FORWARD_ANSWER`` as the HTML form is."""
    return FORWARD_ANSWER.check(answer)


@_guarded
def check_forward_pass(forward) -> Feedback:
    """Exercise 1.2: ``forward(x, W1, b1, W2, b2)`` must return ``ReLU(x W1 + b1) W2 + b2``
    for a batch ``x`` of shape ``(N, d)`` (one example per row), without changing its inputs.
    """
    import numpy as np

    from ..activations import relu, sigmoid

    not_ready = _not_a_function(forward, "check_forward_pass")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(1)
    cases = [  # the worked example of the chapter, then a random batch of 5 examples
        (np.array([[1.0, 2.0]]), np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]]),
         np.array([0.0, 1.0, 0.5]), np.array([[1.0], [-2.0], [3.0]]), np.array([0.5])),
        (rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3),
         rng.standard_normal((3, 2)), rng.standard_normal(2)),
    ]
    for x, W1, b1, W2, b2 in cases:
        args = tuple(a.copy() for a in (x, W1, b1, W2, b2))
        out, error = _call(forward, *args)
        if error:
            hint = ""
            if "matmul" in error or "shapes" in error or "align" in error:
                hint = (f" Rows of x are examples: x {x.shape} @ W¹ {W1.shape} has shape "
                        f"{(x.shape[0], W1.shape[1])}; W¹ @ x does not fit.")
            return Feedback(False, [error + "." + hint])
        if out is ...:
            return Feedback(False, [_TODO])
        changed = [n for n, a, c in zip(("x", "W1", "b1", "W2", "b2"), (x, W1, b1, W2, b2),
                                        args, strict=True) if not np.array_equal(a, c)]
        if changed:
            return Feedback(False, [f"Your function changed its input {', '.join(changed)} in "
                                    "place (e.g. `x[x < 0] = 0` or `np.maximum(z, 0, out=...)` "
                                    "on an argument): compute new arrays instead."])
        right = relu(x @ W1 + b1) @ W2 + b2
        out, why = _floats(out)
        if why:
            return Feedback(False, [f"Return an array of numbers, got {why}."])
        if out.shape != right.shape:
            return Feedback(False, [f"For x of shape {x.shape} the output must have shape "
                                    f"{right.shape} (one row per example), got {out.shape}."])
        if not _close(out, right):
            sig = sigmoid(x @ W1 + b1)
            variants = {
                "No ReLU: without φ the hidden layer is linear; use "
                "np.maximum(x @ W1 + b1, 0).": (x @ W1 + b1) @ W2 + b2,
                "ReLU is applied to the output too: here the output layer is linear "
                "(φ² is the identity), only the hidden layer uses ReLU.": relu(right),
                "The hidden bias b1 is missing: h = ReLU(x @ W1 + b1).": relu(x @ W1) @ W2 + b2,
                "The output bias b2 is missing: ŷ = h @ W2 + b2.": relu(x @ W1 + b1) @ W2,
                "The bias b1 is added after the ReLU: it belongs inside, "
                "ReLU(x @ W1 + b1).": (relu(x @ W1) + b1) @ W2 + b2,
                "That is a sigmoid hidden layer; this exercise asks for ReLU.": sig @ W2 + b2,
            }
            return Feedback(False, [_known_mistake(out, variants)
                                    or "The outputs differ from ReLU(x W¹ + b¹) W² + b²: "
                                    "check each step on the worked example above."])
    from .. import layers
    from ..activations import ReLU

    x, W1, b1, W2, b2 = cases[1]
    seen = _watched_call(forward, x.copy(), W1.copy(), b1.copy(), W2.copy(), b2.copy(),
                         forbidden=(layers, ReLU))
    if seen.called:
        return Feedback(False, [f"Your function calls {seen.called[0]}: nnlib's layers compute "
                                "the forward pass for you, and then this check cannot see "
                                "yours. Write it with matrix products, x @ W1 + b1, and "
                                "np.maximum (or relu) yourself."])
    return Feedback(True, ["Your forward pass matches ReLU(x W¹ + b¹) W² + b², on the worked "
                           "example (ŷ = 1.5) and on a batch of 5 random examples."])


@_guarded
def check_parameter_count(count) -> Feedback:
    """Exercise 1.3: ``count(layer_sizes)`` returns the number of weights and biases of a
    fully connected network, e.g. ``count([2, 3, 1]) == 13``."""
    import numpy as np

    not_ready = _not_a_function(count, "check_parameter_count")
    if not_ready is not None:
        return not_ready
    cases = [[2, 3, 1], [3, 1], [64, 32, 10], [10, 10, 10, 10], [784, 128, 64, 10]]
    got, stop = _results(count, {f"count({sizes})": (list(sizes),) for sizes in cases},
                         what="one integer")
    if stop is not None:
        return stop

    def total(term) -> list[float]:
        return [float(sum(term(a, b) for a, b in zip(s[:-1], s[1:], strict=True)))
                for s in cases]

    right = total(lambda a, b: a * b + b)
    if got == right:
        from .. import layers

        seen = _watched_call(count, list(cases[0]), forbidden=(layers,))
        if seen.called:
            return Feedback(False, [f"Your function calls {seen.called[0]}: it builds nnlib's "
                                    "layers and counts their arrays, so the count is nnlib's, "
                                    "not your formula. Count a·b weights and b biases per pair "
                                    "of consecutive layers yourself."])
        # networks that no text names: a table of the answers above does not know them
        rng = np.random.default_rng(13)
        others = [[int(v) for v in rng.integers(1, 300, size=int(rng.integers(2, 6)))]
                  for _ in range(4)]
        more, stop = _results(count, {f"count({sizes})": (list(sizes),) for sizes in others},
                              what="one integer")
        if stop is not None:
            return stop
        for sizes, value in zip(others, more, strict=True):
            want = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
            if value != want:
                return Feedback(False, [f"Right on the {len(cases)} networks above, but "
                                        f"count({sizes}) = {value:g}, expected {want}: write "
                                        "the formula for any list of layer sizes, not the "
                                        "answers of the networks the check is known to try."])
        return Feedback(True, ["Right: Σ (a·b + b) over consecutive layers, e.g. 13 for "
                               "[2, 3, 1] and 2410 for [64, 32, 10]."])
    # a wrong formula is recognised when it explains the answers for every case
    variants = {
        "counts the weights only: every non-input node also has a bias.":
            total(lambda a, b: a * b),
        "gives the input nodes biases too: inputs are data, they have no bias.":
            [r + s[0] for r, s in zip(right, cases, strict=True)],
        "counts nodes: count weights (edges) and biases.": [float(sum(s)) for s in cases],
        "adds layer sizes: between layers of a and b nodes there are a·b weights "
        "(every node to every node) and b biases.": total(lambda a, b: a + b),
        "counts only the first pair of layers: add a·b + b over every pair.":
            [float(s[0] * s[1] + s[1]) for s in cases],
    }
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True)) if g != r)
    for message, values in variants.items():
        if got == values:
            return Feedback(False, [f"count({cases[k]}) = {got[k]:g}, expected {right[k]:g}: "
                                    f"your formula {message}"])
    return Feedback(False, [f"count({cases[k]}) = {got[k]:g}, expected {right[k]:g}: between "
                            "layers of a and b nodes there are a·b weights and b biases; add "
                            "these over all consecutive pairs."])


@_guarded
def check_collapse(collapse) -> Feedback:
    """Exercise 1.4: ``collapse(W1, b1, W2, b2) -> (W, b)`` with ``x W + b`` equal to
    ``(x W1 + b1) W2 + b2`` for every ``x``: two linear layers are one."""
    import numpy as np

    not_ready = _not_a_function(collapse, "check_collapse")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(2)
    W1, b1 = rng.standard_normal((4, 3)), rng.standard_normal(3)
    W2, b2 = rng.standard_normal((3, 2)), rng.standard_normal(2)
    args = (W1.copy(), b1.copy(), W2.copy(), b2.copy())
    got, error = _call(collapse, *args)
    if error:
        hint = (" (b¹ has 3 entries and b² has 2: they cannot simply be added.)"
                if "broadcast" in error else "")
        return Feedback(False, [error + "." + hint])
    if _has_placeholder(got):
        return Feedback(False, [_TODO])
    pair = _items(got, 2)
    if pair is None:
        return Feedback(False, [f"Return a pair (W, b), got {_show(got)}."])
    changed = _changed(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2), args)
    if changed:
        return Feedback(False, [f"Your function changed its input {', '.join(changed)} in place "
                                "(e.g. `b2 += b1 @ W2`): the layers you collapse must stay as "
                                "they were. Compute new arrays instead, b1 @ W2 + b2."])
    (W, why_W), (b, why_b) = (_floats(v) for v in pair)
    if why_W or why_b:
        return Feedback(False, [f"W and b are arrays of numbers, got {why_W or why_b}."])
    problems = []
    if W.shape != (4, 2):
        hint = (" — the shape of (W¹W²)ᵀ: with row vectors the data meets W¹ first, so "
                "the product is W¹W²") if W.shape == (2, 4) else ""
        problems.append(f"W must map 4 inputs to 2 outputs, shape (4, 2), got {W.shape}{hint}.")
    elif not _close(W, W1 @ W2):
        problems.append("W is not W¹W²: x goes through W¹ first, then W².")
    if b.shape != (2,):
        problems.append(f"b must have one entry per output, shape (2,), got {b.shape}.")
    elif not _close(b, b1 @ W2 + b2):
        if _close(b, b2):
            problems.append("b = b² misses b¹: the first bias also passes through W², "
                            "so it contributes b¹W².")
        elif _close(b, b1 @ W2):
            problems.append("b = b¹W² misses b², which is added after W².")
        else:
            problems.append("b is not right: expand (xW¹ + b¹)W² + b² and collect what does "
                            "not multiply x.")
    return _verdict(problems, "W = W¹W² and b = b¹W² + b²: a stack of linear layers is one "
                              "linear layer, however deep.")


COLLAPSE_EXERCISE = {"W1": ((1.0, 2.0), (0.0, 1.0)), "b1": (1.0, -1.0),
                     "W2": ((2.0, 0.0), (1.0, -1.0)), "b2": (0.0, 3.0)}
"""Exercise 1.4 — two linear 2 → 2 layers to collapse into one, by hand."""


def _collapse_answer() -> ValueAnswer:
    """The truth of Exercise 1.4 by hand, computed from :data:`COLLAPSE_EXERCISE`, and what
    the known mistakes of :func:`check_collapse` give on it."""
    import numpy as np

    ex = COLLAPSE_EXERCISE
    W1, b1, W2, b2 = (np.array(ex[k]) for k in ("W1", "b1", "W2", "b2"))
    W, b = W1 @ W2, b1 @ W2 + b2

    def entries(W_, b_):
        return tuple(float(v) for v in (*W_.ravel(), *b_))

    def W_is(W_, message):
        return Mistake((*entries(W_, b)[:4], None, None), message)

    def b_is(b_, message):
        return Mistake((None, None, None, None, *entries(W, b_)[4:]), message)

    return ValueAnswer(
        exercise="1.4",
        labels=("W row 1, col 1", "W row 1, col 2", "W row 2, col 1", "W row 2, col 2",
                "b₁", "b₂"),
        expected=entries(W, b), rows=3, digits=None,         # products of small integers
        check_name="check_collapse_by_hand",
        success=(f"W = W¹W² = {W.astype(int).tolist()} and b = b¹W² + b² = "
                 f"{b.astype(int).tolist()}: the two layers compute x ↦ xW + b, one linear "
                 "layer."),
        mistakes=(
            W_is(W2 @ W1, "W = W²W¹ has the order reversed: with row vectors x meets W¹ "
                          "first, so W = W¹W²."),
            W_is(W.T, "That is (W¹W²)ᵀ, the column-vector convention: here x is a row, "
                      "xW¹W², so W = W¹W² (row i of W¹ times column j of W²)."),
            b_is(b2, "b = b² misses b¹: the first bias also passes through W², so it "
                     "contributes b¹W²."),
            b_is(b1 @ W2, "b = b¹W² misses b², which is added after W²."),
            b_is(b1 + b2, "b¹ + b² forgets that b¹ passes through W² before b² is added: "
                          "b = b¹W² + b²."),
            b_is(W2 @ b1 + b2, "W²b¹ is the column-vector product; with row vectors the "
                               "bias is b¹W² (b¹ times column j of W²), then add b²."),
        ),
        hint="Expand (xW¹ + b¹)W² + b² = x(W¹W²) + (b¹W² + b²): W = W¹W², b = b¹W² + b².")


COLLAPSE_ANSWER = _collapse_answer()


@_guarded
def check_collapse_by_hand(answer) -> Feedback:
    """Exercise 1.4, by hand: ``answer = (W, b)`` (or the six entries, W row by row, then b)
    for the layers of :data:`COLLAPSE_EXERCISE`, judged by ``COLLAPSE_ANSWER`` as the HTML
    form is."""
    return COLLAPSE_ANSWER.check(answer)
