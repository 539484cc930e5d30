"""Exercises of chapter 5, fully connected networks: layer shapes, the
backward pass of ``Linear`` and the variance gain of ReLU layers.
"""

from __future__ import annotations

from ._feedback import (
    _TODO,
    Feedback,
    _attempted,
    _call,
    _close,
    _float,
    _floats,
    _guarded,
    _has_placeholder,
    _items,
    _not_a_function,
    _show,
    _verdict,
)

LAYER_SHAPES_EXERCISE = (784, 128, 64, 10)
"""Exercise 5.1 — the layer sizes of a fully connected net for 28x28 images, input first."""


def _ch05_shape(value) -> tuple | None:
    """``value`` as a tuple of ints (a shape), or None if it is not one."""
    import numbers

    import numpy as np

    items = _items(value)
    if items is not None and all(isinstance(v, (numbers.Integral, np.integer))
                                 and not isinstance(v, (bool, np.bool_)) for v in items):
        return tuple(int(v) for v in items)
    return None


@_guarded
def check_layer_shapes(shapes) -> Feedback:
    """Exercise 5.1: ``shapes = [(W¹ shape, b¹ shape), (W² shape, b² shape), ...]`` for the
    net :data:`LAYER_SHAPES_EXERCISE` in the row-vector convention ``xW + b``."""
    if not _attempted(shapes):
        return Feedback(False, [_TODO])
    sizes = LAYER_SHAPES_EXERCISE
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    layers = _items(shapes)
    if layers and all(_ch05_shape(s) is not None for s in layers):
        return Feedback(False, [f"Each layer needs a pair (shape of W, shape of b); "
                                f"{_ch05_shape(layers[0])} looks like one shape alone. Write "
                                "e.g. [((784, 128), (128,)), ...]."])
    if _has_placeholder(shapes):
        return Feedback(False, [_TODO])
    if layers is None or any(_items(s, 2) is None for s in layers):
        return Feedback(False, ["Give a list with one pair (shape of W, shape of b) per layer, "
                                "e.g. [((784, 128), (128,)), ...]."])
    shapes = [_items(s, 2) for s in layers]
    if len(shapes) != len(pairs):
        return Feedback(False, [f"A net with layer sizes {list(sizes)} has {len(pairs)} "
                                f"layers of weights (one between each consecutive pair of "
                                f"sizes), got {len(shapes)} pairs."])
    problems = []
    for k, ((d_in, d_out), (w, b)) in enumerate(zip(pairs, shapes, strict=True), start=1):
        w, b = _ch05_shape(w), _ch05_shape(b)
        if w != (d_in, d_out):
            if w == (d_out, d_in):
                problems.append(f"W{k} has shape {w}: that is the column-vector convention "
                                f"W x. With row vectors x (1, {d_in}) @ W must give "
                                f"(1, {d_out}), so W{k} is ({d_in}, {d_out}).")
            else:
                problems.append(f"W{k} connects {d_in} inputs to {d_out} nodes: shape "
                                f"({d_in}, {d_out}), got {w if w else _show(shapes[k - 1][0])}.")
        if b not in ((d_out,), (1, d_out)):
            if b in ((d_in,), (1, d_in)):
                problems.append(f"b{k} has one entry per input of the layer; it needs one "
                                f"per node the layer computes: ({d_out},).")
            else:
                problems.append(f"b{k} holds one bias per output node: shape ({d_out},), got "
                                f"{b if b else _show(shapes[k - 1][1])}.")
    n = sum(a * c + c for a, c in pairs)
    return _verdict(problems, f"Right: W^l is (d_(l-1), d_l) and b^l is (d_l,). Together "
                              f"{n:,} parameters, {pairs[0][0] * pairs[0][1]:,} of them in "
                              "W¹ alone: the first layer of an image net holds most weights.")


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
    cases = [(1.0, 256), (2 / 256, 256), (1 / 64, 64), (0.1, 10), (0.5, 3)]
    got = []
    for s2, d in cases:
        out, error = _call(gain, s2, d)
        if error:
            return Feedback(False, [f"gain({s2:g}, {d}): {error}."])
        if out is ...:
            return Feedback(False, [_TODO])
        value, why = _float(out)
        if why:
            return Feedback(False, [f"gain({s2:g}, {d}) should return one number, got {why}."])
        got.append(value)
    right = [d * s2 / 2 for s2, d in cases]
    if all(math.isclose(g, r, rel_tol=1e-9) for g, r in zip(got, right, strict=True)):
        return Feedback(True, ["gain = fan_in · σ² / 2: 128 for the notes' N(0, 1) with 256 "
                               "inputs (the std grows √128 ≈ 11.3× per layer), exactly 1 for "
                               "He's σ² = 2/fan_in."])
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
