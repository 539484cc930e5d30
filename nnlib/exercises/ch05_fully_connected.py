"""Exercises of chapter 5, fully connected networks: layer shapes, the
backward pass of ``Linear`` and the variance gain of ReLU layers.
"""

from __future__ import annotations

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _attempted,
    _call,
    _close,
    _floats,
    _guarded,
    _has_placeholder,
    _items,
    _not_a_function,
    _results,
    _show,
    _watched_call,
)

__all__ = [
    "BACKWARD_SHAPES_EXERCISE", "LAYER_SHAPES_EXERCISE", "STD_GROWTH_EXERCISE",
    "check_backward_shapes", "check_layer_shapes", "check_linear_backward",
    "check_relu_variance_gain", "check_std_growth", "LAYER_SHAPES_ANSWER",
    "BACKWARD_SHAPES_ANSWER", "STD_GROWTH_ANSWER"
]

LAYER_SHAPES_EXERCISE = (784, 128, 64, 10)
"""Exercise 5.1 — the layer sizes of a fully connected net for 28x28 images, input first."""

BACKWARD_SHAPES_EXERCISE = {"N": 32, "d_in": 64, "d_out": 10}
"""Exercise 5.2 — a batch of ``N`` examples through ``Linear(d_in, d_out)``: the shapes of
``dW``, ``db`` and ``dX`` are asked."""

STD_GROWTH_EXERCISE = {"sigma2": 1.0, "fan_in": 128, "first": 1, "last": 10}
"""Exercise 5.3 — the ReLU network of section 5.7 with N(0, 1) weights and 128 nodes per
layer: the gain of one layer and the growth of the std from layer ``first`` to ``last``."""

_INT = {"digits": None}
"""Shapes and counts are whole numbers: asked exactly."""


def _ch05_shape(value) -> tuple | None:
    """``value`` as a tuple of ints (a shape), or None if it is not one."""
    import numbers

    import numpy as np

    items = _items(value)
    if items is not None and all(isinstance(v, (numbers.Integral, np.integer))
                                 and not isinstance(v, (bool, np.bool_)) for v in items):
        return tuple(int(v) for v in items)
    return None


def _ch05_bias_length(b):
    """A bias shape ``(1, d)`` as ``d`` (both conventions are right); anything else as is."""
    shape = _ch05_shape(b)
    return shape[1] if shape is not None and len(shape) == 2 and shape[0] == 1 else b


def _layer_shapes_answer() -> ValueAnswer:
    """The truth of Exercise 5.1: ``W^l`` is ``(d_(l-1), d_l)`` and ``b^l`` has ``d_l``
    entries, for :data:`LAYER_SHAPES_EXERCISE`, flattened layer by layer."""
    sizes = LAYER_SHAPES_EXERCISE
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    sup = "¹²³⁴⁵⁶⁷⁸⁹"
    labels = tuple(f"{name}{sup[k]} {what}" for k in range(len(pairs))
                   for name, what in (("W", "rows"), ("W", "cols"), ("b", "length")))

    def layers(*per_layer):
        return tuple(v for entries in per_layer for v in entries)

    def only(k, entries):
        return layers(*(entries if j == k else (None, None, None) for j in range(len(pairs))))

    n = sum(a * c + c for a, c in pairs)
    mistakes = [Mistake(layers(*((c, a, None) for a, c in pairs)),
                        "Every W is transposed: that is the column-vector convention W x. "
                        "With row vectors, x (1 × d_in) times W must give 1 × d_out, so W is "
                        "(d_in, d_out).")]
    mistakes += [Mistake(only(k, (c, a, None)),
                         f"W{sup[k]} has shape ({c}, {a}): that is the column-vector "
                         f"convention W x. With row vectors x (1, {a}) @ W must give "
                         f"(1, {c}), so W{sup[k]} is ({a}, {c}).")
                 for k, (a, c) in enumerate(pairs)]
    mistakes += [Mistake(layers(*((None, None, a) for a, c in pairs)),
                         "Every b has one entry per input of its layer; it needs one per node "
                         "the layer computes: b^l has d_l entries.")]
    mistakes += [Mistake(only(k, (None, None, a)),
                         f"b{sup[k]} has one entry per input of the layer; it needs one per "
                         f"node the layer computes: ({c},).")
                 for k, (a, c) in enumerate(pairs)]
    a, c = pairs[0]
    return ValueAnswer(
        exercise="5.1", labels=labels,
        expected=layers(*((float(a), float(c), float(c)) for a, c in pairs)),
        check_name="check_layer_shapes", rows=len(pairs), **_INT,
        success=(f"Right: W^l is (d_(l-1), d_l) and b^l is (d_l,). Together {n:,} parameters, "
                 f"{a * c:,} of them in W¹ alone: the first layer of an image net holds most "
                 "weights."),
        mistakes=tuple(mistakes),
        hint=(f"W^l connects the d_(l-1) nodes of the layer before to the d_l nodes it "
              f"computes (W¹ connects {a} inputs to {c} nodes), and b^l holds one bias per "
              "output node."))


LAYER_SHAPES_ANSWER = _layer_shapes_answer()


@_guarded
def check_layer_shapes(shapes) -> Feedback:
    """Exercise 5.1: ``shapes = [(W¹ shape, b¹ shape), (W² shape, b² shape), ...]`` for the
    net :data:`LAYER_SHAPES_EXERCISE` in the row-vector convention ``xW + b``, judged by
    ``LAYER_SHAPES_ANSWER`` (one row of fields per layer) as the HTML form is. A bias shape
    may be ``(d,)`` or ``(1, d)``."""
    if not _attempted(shapes):
        return Feedback(False, [_TODO])
    sizes = LAYER_SHAPES_EXERCISE
    n_layers = len(sizes) - 1
    layers = _items(shapes)
    if layers and all(_ch05_shape(s) is not None and len(_ch05_shape(s)) == 2
                      for s in layers):
        return Feedback(False, [f"Each layer needs a pair (shape of W, shape of b); "
                                f"{_ch05_shape(layers[0])} looks like one shape alone. Write "
                                "e.g. [((784, 128), (128,)), ...]."])
    if _has_placeholder(shapes):
        return Feedback(False, [_TODO])
    if layers is not None and all(_items(s, 2) is not None for s in layers):
        if len(layers) != n_layers:
            return Feedback(False, [f"A net with layer sizes {list(sizes)} has {n_layers} "
                                    "layers of weights (one between each consecutive pair of "
                                    f"sizes), got {len(layers)} pairs."])
        shapes = [(w, _ch05_bias_length(b)) for w, b in (_items(s, 2) for s in layers)]
    return LAYER_SHAPES_ANSWER.check(shapes)


def _backward_shapes_answer() -> ValueAnswer:
    """The truth of Exercise 5.2's value part: the shapes of ``dW``, ``db`` and ``dX`` for
    :data:`BACKWARD_SHAPES_EXERCISE`."""
    N, d_in, d_out = BACKWARD_SHAPES_EXERCISE.values()
    return ValueAnswer(
        exercise="5.2", labels=("dW rows", "dW cols", "db length", "dX rows", "dX cols"),
        expected=(float(d_in), float(d_out), float(d_out), float(N), float(d_in)),
        check_name="check_backward_shapes", **_INT,
        success=(f"dW = XᵀG is ({d_in}, {d_out}) like W, db = G summed over the rows has "
                 f"{d_out} entries like b, and dX = GWᵀ is ({N}, {d_in}) like X: every "
                 "gradient has the shape of its variable. Only dX keeps the batch axis; dW "
                 f"and db sum the contributions of the {N} examples."),
        mistakes=(
            Mistake((d_out, d_in, None, d_in, N), f"dW and dX are transposed: each gradient "
                    f"has the shape of its variable, W ({d_in}, {d_out}) and X ({N}, "
                    f"{d_in})."),
            Mistake((d_out, d_in, None, None, None), f"dW has W's shape ({d_in}, {d_out}); "
                    f"({d_out}, {d_in}) is GᵀX, W's transpose."),
            Mistake((N, d_out, None, None, None), f"({N}, {d_out}) is G's shape. dW has no "
                    f"batch axis: XᵀG sums the {N} examples' contributions, and dW has W's "
                    "shape."),
            Mistake((None, None, N, None, None), f"db has one entry per output node, like b: "
                    f"G.sum(axis=0) sums over the {N} examples and keeps the {d_out} "
                    "outputs."),
            Mistake((None, None, None, d_in, N), f"dX has X's shape ({N}, {d_in}), one row "
                    "per example; you gave its transpose."),
            Mistake((None, None, None, N, d_out), f"({N}, {d_out}) is G's shape; dX has X's "
                    f"shape, one row per example and one column per input: ({N}, {d_in})."),
        ),
        hint="A gradient has the shape of the variable it belongs to.")


BACKWARD_SHAPES_ANSWER = _backward_shapes_answer()


@_guarded
def check_backward_shapes(answer) -> Feedback:
    """Exercise 5.2, the value part: ``answer = ((dW rows, dW cols), db length, (dX rows,
    dX cols))`` for :data:`BACKWARD_SHAPES_EXERCISE`, judged by ``BACKWARD_SHAPES_ANSWER``
    as the HTML form is. The length of db may be written ``d``, ``(d,)`` or ``(1, d)``."""
    items = _items(answer, 3)
    if items is not None:
        answer = (items[0], _ch05_bias_length(items[1]), items[2])
    return BACKWARD_SHAPES_ANSWER.check(answer)


@_guarded
def check_linear_backward(backward) -> Feedback:
    """Exercise 5.2: ``backward(X, W, G) -> (dW, db, dX)`` for ``Z = X W + b`` and
    ``G = ∂E/∂Z``; compared with :class:`nnlib.layers.Linear`."""
    import numpy as np

    from ..layers import Linear

    not_ready = _not_a_function(backward, "check_linear_backward")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(5)
    for n, d_in, d_out in [(5, 4, 3), (1, 3, 2), (7, 2, 6)]:
        X, G = rng.standard_normal((n, d_in)), rng.standard_normal((n, d_out))
        layer = Linear(d_in, d_out, rng=rng)
        W = layer.W.value
        layer.forward(X)
        dX_right = layer.backward(G)
        right = {"dW": layer.W.grad, "db": layer.b.grad, "dX": dX_right}
        at = f"X of shape {X.shape}, W {W.shape}, G {G.shape}"
        args = (X.copy(), W.copy(), G.copy())
        got, error = _call(backward, *args)
        if error:
            hint = ""
            if any(s in error for s in ("matmul", "shapes", "align", "broadcast")):
                hint = (" Check the shapes: each gradient has the shape of its variable, and "
                        "there is one way to multiply X (N, d_in) or Wᵀ with G (N, d_out) "
                        "to get it.")
            return Feedback(False, [f"With {at}: {error}.{hint}"])
        if _has_placeholder(got):
            return Feedback(False, [_TODO])
        if _items(got, 3) is None:
            return Feedback(False, [f"Return three arrays (dW, db, dX), got {_show(got)}."])
        if any(not np.array_equal(a, c) for a, c in zip((X, W, G), args, strict=True)):
            return Feedback(False, ["Your function changed X, W or G in place: compute new "
                                    "arrays instead."])
        arrays = dict(zip(("dW", "db", "dX"), map(_floats, _items(got, 3)), strict=True))
        why = next((f"{name}: {why}" for name, (_, why) in arrays.items() if why), None)
        if why:
            return Feedback(False, [f"dW, db and dX must be arrays of finite numbers, got {why}."])
        got = {name: arr for name, (arr, _) in arrays.items()}
        problems = []
        wrong = {
            "dW": {"dW is (Xᵀ G)ᵀ = Gᵀ X, W's transpose: ∂E/∂W must have W's shape "
                   "(d_in, d_out), which Xᵀ G has.": G.T @ X,
                   "dW is Xᵀ G / N: do not divide by N. For a mean loss the 1/N is already "
                   "in G, and a layer cannot know how the loss was averaged.": X.T @ G / n,
                   "dW is (Σ_n x_n)ᵀ (Σ_n g_n), a product of sums; the gradient is the sum of the "
                   "products x_nᵀ g_n over the examples, Σ_n X_ni G_nj = (Xᵀ G)_ij.":
                       np.outer(X.sum(axis=0), G.sum(axis=0))},
            "db": {"db averages G over the rows; the bias is added to every row, so its "
                   "gradient is the sum of G's rows: G.sum(axis=0).": G.mean(axis=0),
                   "db sums G along axis 1 (over the outputs of one example); sum over "
                   "the examples instead, G.sum(axis=0), one entry per output.":
                       G.sum(axis=1)},
            "dX": {"dX is (G Wᵀ)ᵀ: ∂E/∂X must have X's shape (N, d_in), which G Wᵀ has.":
                       (G @ W.T).T,
                   "dX is G Wᵀ summed over the examples; each example keeps its own row, "
                   "dX = G Wᵀ.": (G @ W.T).sum(axis=0)},
        }
        for name in ("dW", "db", "dX"):
            value, target = got[name], right[name]
            if name == "db" and value.shape == (1, d_out):
                value = value.reshape(d_out)
            if value.shape == target.shape and _close(value, target):
                continue
            message = next((m for m, v in wrong[name].items()
                            if np.shape(v) == value.shape and _close(value, v)), None)
            if message is None:
                message = (f"{name} has shape {value.shape}, expected {target.shape}."
                           if value.shape != target.shape else
                           f"{name} has the right shape {target.shape} but wrong values.")
            problems.append(f"{message} (checked with {at}.)")
        if problems:
            return Feedback(False, problems)
    from .. import autograd, gradcheck, layers

    runs = []
    for n, d_in, d_out in [(2, 2, 2), (40, 30, 20)]:
        X, W, G = (rng.standard_normal(shape) for shape in ((n, d_in), (d_in, d_out),
                                                              (n, d_out)))
        runs.append(_watched_call(backward, X, W, G, forbidden=(autograd, gradcheck, layers)))
    called = runs[0].called or runs[1].called
    if called:
        return Feedback(False, [f"Your function calls {called[0]}: nnlib computes the gradients "
                                "for you, and then this check cannot see yours. Write dW, db "
                                "and dX with matrix products yourself."])
    if runs[1].lines > runs[0].lines + 10:
        return Feedback(False, [f"Your values are right, but your function runs "
                                f"{runs[1].lines} lines of your code for a batch of 40 examples "
                                f"with 30 inputs and 20 outputs, {runs[0].lines} for 2 examples "
                                "with 2 and 2: it loops over examples or entries. The exercise "
                                "asks for matrix operations only: dW = X.T @ G, "
                                "db = G.sum(axis=0), dX = G @ W.T."])
    return Feedback(True, ["dW = Xᵀ G, db = G summed over rows, dX = G Wᵀ: the same numbers as "
                           "nnlib's Linear.backward, for batches of 5, 1 and 7 rows."])


@_guarded
def check_relu_variance_gain(gain) -> Feedback:
    """Exercise 5.3: ``gain(sigma2, fan_in)`` is the factor ``fan_in · σ² / 2`` by which one
    ``Linear`` + ``ReLU`` layer with weights of variance ``σ²`` multiplies ``Var(z)``."""
    import math

    not_ready = _not_a_function(gain, "check_relu_variance_gain")
    if not_ready is not None:
        return not_ready
    cases = [(1.0, 128), (2 / 128, 128), (1 / 64, 64), (0.1, 10), (0.5, 3)]
    got, stop = _results(gain, {f"gain({s2:g}, {d})": (s2, d) for s2, d in cases})
    if stop is not None:
        return stop
    right = [d * s2 / 2 for s2, d in cases]
    if all(math.isclose(g, r, rel_tol=1e-9) for g, r in zip(got, right, strict=True)):
        return Feedback(True, ["gain = fan_in · σ² / 2: 64 for the notes' N(0, 1) with the "
                               "128 inputs of section 5.7 (the std grows √64 = 8× per layer), "
                               "exactly 1 for He's σ² = 2/fan_in."])
    variants = {
        "is fan_in · σ², twice too large: a ReLU zeroes the negative half of a symmetric z, "
        "so E[ReLU(z)²] = Var(z)/2.": [d * s2 for s2, d in cases],
        "is σ²/2 and misses fan_in: z sums fan_in products, and their variances add up.":
            [s2 / 2 for s2, d in cases],
        "is the factor for the standard deviation, √(fan_in σ²/2); the question asks for "
        "the variance.": [math.sqrt(r) for r in right],
        "treats sigma2 as a standard deviation; it is the variance σ² of the weights.":
            [d * math.sqrt(s2) / 2 for s2, d in cases],
        "is fan_in · σ² / 4: the halving by ReLU happens once, E[ReLU(z)²] = Var(z)/2.":
            [d * s2 / 4 for s2, d in cases],
    }
    k = next(i for i, (g, r) in enumerate(zip(got, right, strict=True))
             if not math.isclose(g, r, rel_tol=1e-9))
    at = f"gain({cases[k][0]:g}, {cases[k][1]}) = {got[k]:g}, expected {right[k]:g}"
    for message, values in variants.items():
        if all(math.isclose(g, v, rel_tol=1e-9) for g, v in zip(got, values, strict=True)):
            return Feedback(False, [f"{at}: your gain {message}"])
    return Feedback(False, [f"{at}. Var(z_j) = fan_in · σ² · E[a²], and for a ReLU of a "
                            "symmetric z, E[a²] = Var(z)/2."])


def _std_growth_answer() -> ValueAnswer:
    """The truth of Exercise 5.3's prediction: the gain ``fan_in · σ² / 2`` of one layer and
    the growth ``√gain^(last − first)`` of the std, for :data:`STD_GROWTH_EXERCISE`."""
    import math

    sigma2, fan_in, first, last = STD_GROWTH_EXERCISE.values()
    gain = fan_in * sigma2 / 2
    root, steps = math.sqrt(gain), last - first
    growth = root ** steps
    return ValueAnswer(
        exercise="5.3", digits=4, labels=("gain", f"std: layer {first} → {last}"),
        expected=(gain, growth), check_name="check_std_growth",
        success=(f"The gain is {fan_in:g} · {sigma2:g} / 2 = {gain:g}, so the std grows by "
                 f"√{gain:g} = {root:g} per layer, and from layer {first} to layer {last} "
                 f"({steps} more layers) by {root:g}^{steps} ≈ {growth:.4g}."),
        mistakes=(
            Mistake((fan_in * sigma2, None), f"{fan_in * sigma2:g} = fan_in · σ² is twice "
                    "too large: a ReLU zeroes the negative half of a symmetric z, so "
                    "E[ReLU(z)²] = Var(z)/2."),
            Mistake((sigma2 / 2, None), f"{sigma2 / 2:g} = σ²/2 misses fan_in: z sums "
                    "fan_in products, and their variances add up."),
            Mistake((root, None), f"{root:g} is the factor for the standard deviation, "
                    f"√gain; the gain multiplies the variance: {root:g}² per layer."),
            Mistake((fan_in * sigma2 / 4, None), f"{fan_in * sigma2 / 4:g} = fan_in · σ² / 4: "
                    "the halving by ReLU happens once, E[ReLU(z)²] = Var(z)/2."),
            Mistake((None, root ** last), f"{root:g}^{last} counts {last} layers; from the "
                    f"output of layer {first} to that of layer {last} the signal passes "
                    f"{steps} more layers: {root:g}^{steps}."),
            Mistake((None, gain ** steps), f"{gain:g}^{steps} is the growth of the variance; "
                    f"the std grows by the square root of the gain per layer, "
                    f"{root:g}^{steps}."),
            Mistake((None, gain ** last), f"{gain:g}^{last} is the variance, over one layer "
                    f"too many: the std grows by √gain per layer, over {steps} layers."),
            Mistake((None, root * steps), f"{root:g} · {steps} adds the growth up; the "
                    f"factors multiply: {root:g}^{steps}."),
            Mistake((None, root), f"{root:g} is the growth over one layer; from layer "
                    f"{first} to layer {last} there are {steps}."),
        ),
        hint=("Var(z) is multiplied by the gain in every layer, so the std by √gain; count "
              f"the layers from layer {first} to layer {last}, and give four significant "
              "digits (e.g. 1.234e5)."))


STD_GROWTH_ANSWER = _std_growth_answer()


@_guarded
def check_std_growth(answer) -> Feedback:
    """Exercise 5.3, the prediction: ``answer = (gain, growth)``, the gain of one ReLU layer
    and the growth of the std from layer 1 to layer 10 for :data:`STD_GROWTH_EXERCISE`,
    judged by ``STD_GROWTH_ANSWER`` as the HTML form is."""
    return STD_GROWTH_ANSWER.check(answer)
