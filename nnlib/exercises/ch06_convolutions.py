"""Exercises of chapter 6, convolutions: output sizes, an edge kernel by
hand, max pooling by hand, a convolution written with loops and its backward pass
written with loops (each with a small case by hand).
"""

from __future__ import annotations

from contextlib import contextmanager

from ._answers import Mistake, ValueAnswer
from ._feedback import (
    _TODO,
    Feedback,
    _attempted,
    _close,
    _floats,
    _guarded,
    _has_placeholder,
    _items,
    _known_mistake,
    _not_a_function,
    _show,
    _watched_call,
)

__all__ = [
    "CONV_SIZE_EXERCISE", "EDGE_PATCH_EXERCISE", "MAX_POOL_EXERCISE",
    "check_conv_backward_loops", "check_conv_output_sizes", "check_convolve2d_loops",
    "check_edge_patch", "check_max_pool", "CONV_SIZES_ANSWER", "EDGE_PATCH_ANSWER",
    "MAX_POOL_ANSWER", "CONV_BACKWARD_CASES", "CONV_LOOPS_EXERCISE", "CONV_LOOPS_ANSWER",
    "check_convolve2d_by_hand", "CONV_BACKWARD_EXERCISE", "CONV_BACKWARD_ANSWER",
    "check_conv_backward_by_hand"
]

CONV_SIZE_EXERCISE = ((28, 5, 1, 0), (28, 3, 2, 1), (32, 5, 1, 2), (8, 3, 2, 0), (600, 4, 4, 0))
"""Exercise 6.1 — ``(H, k, s, p)`` cases whose output size ``⌊(H + 2p − k)/s⌋ + 1`` is asked."""

EDGE_PATCH_EXERCISE = ((1, 2, 2, 1), (2, 5, 4, 2), (1, 4, 1, 1), (0, 2, 1, 0))
"""Exercise 6.2 — a 4×4 patch to convolve by hand with the notes' edge kernel ``E``."""

MAX_POOL_EXERCISE = ((3, 1, 0, 2), (4, 6, 5, 1), (0, 2, 7, 3), (1, 8, 2, 2))
"""Exercise 6.3 — a 4×4 grid to max-pool by hand with ``k = 2``, ``s = 2``."""

_GRID_LABELS = ("top left", "top right", "bottom left", "bottom right")


def _ch06_has_placeholder(answer, depth: int = 4) -> bool:
    """True for ``...`` or ``None``, also inside (nested) lists and tuples."""
    if not _attempted(answer):
        return True
    if depth and isinstance(answer, (list, tuple)):
        return any(_ch06_has_placeholder(a, depth - 1) for a in answer)
    return False


def _ch06_flat(matrix) -> tuple:
    """The entries of a small matrix in reading order, as floats."""
    import numpy as np

    return tuple(float(v) for v in np.asarray(matrix, dtype=float).ravel())


def _conv_sizes_answer() -> ValueAnswer:
    """The truth of Exercise 6.1, computed from :data:`CONV_SIZE_EXERCISE`, and the output
    sizes that the typical wrong formulas give."""
    import math

    cases = CONV_SIZE_EXERCISE

    def every(f) -> tuple:
        return tuple(float(f(H, k, s, p)) for H, k, s, p in cases)

    formulas = (
        ("the +1 is missing: the first window sits at position 0, and ⌊(H + 2p − k)/s⌋ "
         "counts the steps after it.", lambda H, k, s, p: (H + 2 * p - k) // s),
        ("the padding is added on both sides, 2p, not once.",
         lambda H, k, s, p: (H + p - k) // s + 1),
        ("round down, not up: a window that does not fit completely is not used.",
         lambda H, k, s, p: math.ceil((H + 2 * p - k) / s) + 1),
        ("the size must be a whole number: round (H + 2p − k)/s down before adding 1.",
         lambda H, k, s, p: (H + 2 * p - k) / s + 1),
        ("the stride is missing: with s > 1 the window jumps s pixels at a time, so "
         "divide by s.", lambda H, k, s, p: H + 2 * p - k + 1),
        ("the padding is missing: add 2p to H.", lambda H, k, s, p: (H - k) // s + 1),
        ("that is H/s, a rough guide only: the kernel size and the padding matter too.",
         lambda H, k, s, p: H / s),
    )
    return ValueAnswer(
        exercise="6.1", labels=tuple(str(case) for case in cases),
        expected=every(lambda H, k, s, p: (H + 2 * p - k) // s + 1),
        check_name="check_conv_output_sizes", digits=None,    # sizes are integers
        success=("All right: ⌊(H + 2p − k)/s⌋ + 1. Note (8, 3, 2, 0): the last column is "
                 "never covered, and (32, 5, 1, 2): padding (k − 1)/2 with stride 1 keeps "
                 "the size."),
        mistakes=tuple(Mistake(every(f), "Your formula: " + message)
                       for message, f in formulas),
        hint="Use ⌊(H + 2p − k)/s⌋ + 1 for each case (H, k, s, p).")


CONV_SIZES_ANSWER = _conv_sizes_answer()


@_guarded
def check_conv_output_sizes(sizes) -> Feedback:
    """Exercise 6.1: ``sizes[i]`` is the output size for :data:`CONV_SIZE_EXERCISE` ``[i]``,
    judged by ``CONV_SIZES_ANSWER`` as the HTML form is."""
    return CONV_SIZES_ANSWER.check(sizes)


def _edge_patch_answer() -> ValueAnswer:
    """The truth of Exercise 6.2: the notes' edge kernel on :data:`EDGE_PATCH_EXERCISE`."""
    import numpy as np

    from ..conv import EDGE_KERNEL, convolve2d

    patch = np.array(EDGE_PATCH_EXERCISE, dtype=float)
    right = convolve2d(patch, EDGE_KERNEL)
    windows = np.lib.stride_tricks.sliding_window_view(patch, (3, 3))
    centre, total = windows[..., 1, 1], windows.sum(axis=(-1, -2))
    variants = (
        ("You added the neighbours instead of subtracting them: E has −1 around the 8.",
         8 * centre + (total - centre)),
        ("You multiplied the centre by 9; E's centre weight is 8 (9·centre − window sum is "
         "the same as 8·centre − neighbour sum, so check which sum you subtracted).",
         9 * centre - (total - centre)),
        ("The rows and columns are swapped: entry (i, j) is the window whose top-left "
         "corner is at row i, column j.", right.T),
        ("Each entry has the wrong sign: the centre weight +8 is positive, the neighbours "
         "−1.", -right),
        ("You averaged the neighbours; E subtracts their sum: 8·centre − Σ neighbours.",
         8 * centre - (total - centre) / 8),
    )
    return ValueAnswer(
        exercise="6.2", digits=None, labels=_GRID_LABELS, expected=_ch06_flat(right), rows=2,
        check_name="check_edge_patch",
        success=(f"Right: {right.astype(int).tolist()}. Top left: 8·5 minus the 8 neighbours "
                 "(17) = 23; bottom right: 8·1 − 19 = −11, a dark pixel among brighter ones "
                 "gives a negative response."),
        mistakes=tuple(Mistake(_ch06_flat(v), m) for m, v in variants),
        hint="Each entry is 8 × the centre of its 3×3 window minus the 8 other values.")


EDGE_PATCH_ANSWER = _edge_patch_answer()


@_guarded
def check_edge_patch(answer) -> Feedback:
    """Exercise 6.2: ``answer`` is the 2×2 output of the edge kernel ``E`` on
    :data:`EDGE_PATCH_EXERCISE` (no padding, stride 1), judged by ``EDGE_PATCH_ANSWER`` as
    the HTML form is."""
    if not _ch06_has_placeholder(answer):
        arr, why = _floats(answer)
        if not why and arr.shape == (4, 4):
            return Feedback(False, ["Without padding a 3×3 window fits in only 2×2 positions "
                                    "of a 4×4 patch: the output is 2×2, ⌊(4 − 3)/1⌋ + 1 = 2."])
    return EDGE_PATCH_ANSWER.check(answer)


def _max_pool_answer() -> ValueAnswer:
    """The truth of Exercise 6.3: :data:`MAX_POOL_EXERCISE` max-pooled with k = s = 2."""
    import numpy as np

    grid = np.array(MAX_POOL_EXERCISE, dtype=float)
    blocks = grid.reshape(2, 2, 2, 2).swapaxes(1, 2)          # (row block, col block, 2, 2)
    right = blocks.max(axis=(2, 3))
    variants = (
        ("These are the means of the blocks (average pooling); max pooling keeps the "
         "largest value of each block.", blocks.mean(axis=(2, 3))),
        ("These are the minima of the blocks; max pooling keeps the largest value.",
         blocks.min(axis=(2, 3))),
        ("Rows and columns are swapped: the top-right output comes from the top-right "
         "block.", right.T),
    )
    return ValueAnswer(
        exercise="6.3", digits=None, labels=_GRID_LABELS, expected=_ch06_flat(right), rows=2,
        check_name="check_max_pool",
        success=(f"Right: {right.astype(int).tolist()}. The 16 numbers became 4, each the "
                 "largest of its block: the output halves in each direction, a quarter of "
                 "the area."),
        mistakes=tuple(Mistake(_ch06_flat(v), m) for m, v in variants),
        hint="Each output entry is the maximum of one 2×2 block of the grid, side by side.")


MAX_POOL_ANSWER = _max_pool_answer()


@_guarded
def check_max_pool(answer) -> Feedback:
    """Exercise 6.3: ``answer`` is :data:`MAX_POOL_EXERCISE` max-pooled with ``k = s = 2``,
    judged by ``MAX_POOL_ANSWER`` as the HTML form is."""
    if not _ch06_has_placeholder(answer):
        arr, why = _floats(answer)
        if not why and arr.shape == (3, 3):
            return Feedback(False, ["That is stride 1 (overlapping windows, 3×3 output). "
                                    "With s = 2 the windows sit side by side: 2×2 output."])
        if not why and arr.shape == ():
            return Feedback(False, ["One number is a global max pooling; here each 2×2 "
                                    "block gives its own maximum, so the output is 2×2."])
    return MAX_POOL_ANSWER.check(answer)


def _ch06_library(*, gradients: bool = False) -> tuple:
    """The library code that computes a convolution (and, with ``gradients``, that
    differentiates one): nnlib's conv module, its loop reference, and scipy's signal and
    ndimage, if loaded. Calling it is not writing the loops. ``conv_output_size`` is
    allowed (see :func:`_ch06_watch`)."""
    import os
    import sys

    from .. import _conv_speed, autograd, conv, gradcheck, reference

    forbidden: list = [conv, _conv_speed, reference]
    if gradients:
        forbidden += [autograd, gradcheck]
    scipy = sys.modules.get("scipy")
    root = os.path.dirname(getattr(scipy, "__file__", None) or "")
    if root:
        forbidden += [(os.path.join(root, "signal"), "scipy.signal"),
                      (os.path.join(root, "ndimage"), "scipy.ndimage")]
    return tuple(forbidden)


def _ch06_watch(fn, *args, gradients: bool = False, results=()):
    """``(watch, first)``: ``fn(*args)`` run under
    :func:`~nnlib.exercises._feedback._watched_call`, with the convolution code of the
    libraries forbidden (nnlib's ``conv_output_size``, for the output size, is allowed),
    and for each array of ``results`` (the right results), the number of the reader's
    lines that had run when a variable of the reader's code (or a value one of its
    functions returned) first held all of it, or None if none ever did before the end."""
    import numpy as np

    from ..conv import conv_output_size

    first: list = [None] * len(results)

    def look(value, lines):
        if type(value) is not np.ndarray:
            return
        for k, right in enumerate(results):
            if (first[k] is None and value.shape == right.shape
                    and np.allclose(value, right, rtol=1e-9, atol=1e-12)):
                first[k] = lines

    with _ch06_empty_is_nan():
        watch = _watched_call(fn, *args, forbidden=_ch06_library(gradients=gradients),
                              allowed=(conv_output_size,), values=look if results else None)
    return watch, first


@contextmanager
def _ch06_empty_is_nan():
    """While it lasts, ``np.empty`` and ``np.empty_like`` give arrays filled with NaN (where
    the dtype has one): memory freed by an earlier run of the same case can hold its
    result, and an ``np.empty`` that the reader fills entry by entry must not look like a
    result that was there before the loops."""
    import numpy as np

    empty, empty_like = np.empty, np.empty_like

    def nan_filled(make):
        def make_filled(*args, **kwargs):
            out = make(*args, **kwargs)
            if isinstance(out, np.ndarray) and out.dtype.kind in "fc":
                out.fill(np.nan)
            return out
        return make_filled

    try:
        np.empty, np.empty_like = nan_filled(empty), nan_filled(empty_like)
        yield
    finally:
        np.empty, np.empty_like = empty, empty_like


def _ch06_too_early(runs, what: str) -> str | None:
    """The message when a case's whole result existed before loops that compute it one
    entry at a time could have finished, or None. ``runs`` holds ``(at, first, needed)``
    per case: the lines after which each part of the result was first complete, and how
    many loop iterations (one line each, at least) any entry-by-entry computation of that
    part needs (one per nonzero entry that it has to write, or per nonzero G[h, w] that it
    has to spread). Flagged only when every part was complete that early."""
    for at, first, needed in runs:
        if first and all(f is not None and f < n for f, n in zip(first, needed, strict=True)):
            f, n = max(zip(first, needed, strict=True))
            return (f"Right numbers, but with {at} your whole result was already there after "
                    f"{f} lines of your code, fewer than the {n} iterations that loops "
                    "computing it one entry at a time need: your loops do not compute it, a "
                    "vectorised step before them does. The exercise asks for plain Python "
                    f"loops that compute it ({what}).")
    return None


def _ch06_not_looped(runs, what: str) -> str | None:
    """The message when the attempt did not compute its result in loops over the output
    entries, or None. ``runs`` holds ``(output shape, watch)`` per case: loops over the
    entries (h, w) run at least one more line of the reader's code per output entry, so
    from the case with the fewest entries to the one with the most the lines must grow
    at least as much as the entries; vectorised code runs about as many lines for both."""
    import math

    called = next((watch.called[0] for _, watch in runs if watch.called), None)
    if called is not None:
        return (f"Your function calls {called}, a library's convolution code: then this check "
                f"cannot see your own loops. Write them yourself ({what}); "
                "conv_output_size(H, k, s, p) for the output size is fine.")
    (small, few), (big, many) = (min(runs, key=lambda r: math.prod(r[0])),
                                 max(runs, key=lambda r: math.prod(r[0])))
    n_small, n_big = math.prod(small), math.prod(big)
    if many.lines - few.lines >= n_big - n_small:
        return None
    return (f"Right numbers, but not computed one output entry at a time: your own code ran "
            f"{few.lines} lines for a {small[0]}×{small[1]} output ({n_small} entries) and "
            f"{many.lines} for a {big[0]}×{big[1]} output ({n_big} entries), where loops over "
            "the output entries (h, w) run at least one more line per entry. The exercise "
            f"asks for plain Python loops ({what}), to see entry by entry what Conv2D does "
            "in one vectorised step.")


@_guarded
def check_convolve2d_loops(convolve) -> Feedback:
    """Exercise 6.4: ``convolve(image, kernel, stride, padding)`` written with loops must
    give the same numbers as :func:`nnlib.conv.convolve2d`."""
    import numpy as np

    from ..conv import convolve2d

    not_ready = _not_a_function(convolve, "check_convolve2d_loops")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(6)
    cases = [((5, 5), 3, 1, 0), ((6, 7), 3, 1, 1), ((7, 6), 3, 2, 0), ((6, 7), 3, 2, 1),
             ((5, 4), 2, 3, 2)]
    runs, early = [], []
    for shape, k, s, p in cases:
        image = rng.integers(-3, 4, shape).astype(float)
        kernel = rng.integers(-2, 3, (k, k)).astype(float)
        while np.array_equal(kernel, kernel[::-1, ::-1]):      # so a flip is detectable
            kernel = rng.integers(-2, 3, (k, k)).astype(float)
        at = f"a {shape[0]}×{shape[1]} image, {k}×{k} kernel, stride {s}, padding {p}"
        right = convolve2d(image, kernel, s, p)
        watch, first = _ch06_watch(convolve, image.copy(), kernel.copy(), s, p,
                                   results=(right,))
        got, error = watch.result, watch.error
        if error:
            return Feedback(False, [f"With {at}: {error}."])
        if got is ...:
            return Feedback(False, [_TODO])
        got, why = _floats(got)
        if why:
            return Feedback(False, [f"With {at}: return an array of numbers, got {why}."])
        if got.shape == right.shape and _close(got, right):
            runs.append((right.shape, watch))
            early.append((at, first, (int(np.count_nonzero(right)),)))
            continue
        if got.shape != right.shape:
            hints = {convolve2d(image, kernel, 1, p).shape:
                     "the stride is ignored: step the window by s pixels",
                     convolve2d(image, kernel, s, 0).shape:
                     "the padding is missing: pad p zeros on every side first"}
            hint = hints.get(got.shape, "the output size is ⌊(H + 2p − k)/s⌋ + 1 per axis")
            return Feedback(False, [f"With {at} the output has shape {right.shape}, yours "
                                    f"{got.shape}: {hint}."])
        variants = {
            "Your function flips the kernel: that is the mathematical convolution. "
            "Deep-learning libraries (and nnlib) compute the cross-correlation "
            "Σ W[i, j] · x[h·s + i, w·s + j], without flipping.":
                convolve2d(image, kernel[::-1, ::-1], s, p),
            "The windows start at x[h + i] instead of x[h·s + i]: multiply the output "
            "index by the stride.":
                convolve2d(image, kernel, 1, p)[:right.shape[0], :right.shape[1]],
            "The kernel is transposed: W[i, j] multiplies the pixel i rows down and j "
            "columns right of the window's corner.": convolve2d(image, kernel.T, s, p),
        }
        mistake = _known_mistake(got, variants)
        if mistake:
            return Feedback(False, [f"{mistake} (checked with {at}.)"])
        return Feedback(False, [f"With {at} the values differ from nnlib.conv.convolve2d "
                                f"(shape {right.shape} is right): check the sum over the "
                                "window and the zero padding."])
    entry = "one output entry Σ W[i, j] · x[h·s + i, w·s + j] at a time"
    not_looped = _ch06_not_looped(runs, entry) or _ch06_too_early(early, entry)
    if not_looped:
        return Feedback(False, [not_looped])
    return Feedback(True, ["Same numbers as nnlib.conv.convolve2d for 5 cases, with strides "
                           "1 to 3 and paddings 0 to 2. Your loops do k² multiply-adds per "
                           "output entry, exactly what Conv2D does in one vectorised step."])


#: Exercise 6.5 — the cases ``((H, W), k, stride, padding)`` on which
#: :func:`check_conv_backward_loops` runs a reader's function.
CONV_BACKWARD_CASES = (((5, 5), 3, 1, 0), ((6, 6), 3, 1, 1), ((7, 6), 3, 2, 0),
                       ((6, 7), 3, 2, 1), ((5, 5), 2, 3, 2))


def _conv_backward_nnlib(x, W, g, stride: int, padding: int):
    """``(dx, dW, db)`` of a one-channel :class:`~nnlib.conv.Conv2D` with kernel ``W``,
    for ``x (H, W)`` and ``g = ∂E/∂y (H', W')``; ``db`` a float."""
    import numpy as np

    from ..conv import Conv2D

    layer = Conv2D(1, 1, W.shape[0], stride=stride, padding=padding)
    layer.W.value[...] = W
    layer.forward(x[None, None])
    dx = layer.backward(g[None, None])[0, 0]
    return dx, layer.W.grad[0, 0].copy(), float(np.sum(layer.b.grad))


def _conv_backward_variants(x, W, g, s: int, p: int) -> dict:
    """The known wrong answers of exercise 6.5, ``{part: {message: wrong value}}``."""
    import numpy as np

    from ..reference import conv2d_backward_loops

    H, Wd = x.shape
    flipped = _conv_backward_nnlib(x, W[::-1, ::-1].copy(), g, s, p)
    # the windows placed at h + i instead of h·s + i (the loops with stride 1, same g)
    dx_1, dW_1, _ = conv2d_backward_loops(x[None, None], W[None, None], g[None, None], 1, p)
    # the gradient of the padded image, before its border is cut off
    dx_pad, _, _ = _conv_backward_nnlib(np.pad(x, p), W, g, s, 0)
    return {
        "dx": {
            "dx: the kernel is rotated by 180°. Entry x[a, c] receives G[h, w]·W[i, j] from "
            "every window with h·s + i = a, w·s + j = c: add G[h, w]·W into each window as "
            "it is. Written as a correlation of the padded G, dx needs the kernel rotated; "
            "a correlation with W itself is this slip.": flipped[0],
            "dx: the stride is forgotten. Window (h, w) starts at (h·s, w·s), so G[h, w]·"
            "W[i, j] goes to x_pad[h·s + i, w·s + j], not to x_pad[h + i, w + j].":
                dx_1[0, 0],
            "dx: the padding crop is forgotten. You return the gradient of the padded "
            "image, (H + 2p) × (W + 2p); the p zeros on each side are constants, not "
            "inputs: return dx_pad[p:p + H, p:p + W].": dx_pad,
            "dx: the crop is one-sided. The padding adds p zeros on *each* side, so cut p "
            "rows and columns from the top and left too: dx_pad[p:p + H, p:p + W].":
                dx_pad[:H, :Wd],
        },
        "dW": {
            "dW is flipped (rotated by 180°). dW[i, j] = Σ G[h, w]·x_pad[h·s + i, w·s + j] "
            "is a correlation of the padded input with G: no flip.": flipped[1][::-1, ::-1],
            "dW: the stride is forgotten. W[i, j] meets x_pad[h·s + i, w·s + j] in window "
            "(h, w), not x_pad[h + i, w + j].": dW_1[0, 0],
        },
        "db": {
            "db is not summed: the bias is added to every output entry, so its gradient is "
            "the sum of all entries of G, one number.": g,
            "db is the mean of G; the bias is added to every output entry, so its gradient is "
            "the sum of G, not its mean.": np.mean(g),
            "db is G summed over its rows only (axis 0); sum over both axes, to one "
            "number.": g.sum(axis=0),
            "db is G summed over its columns only (axis 1); sum over both axes, to one "
            "number.": g.sum(axis=1),
        },
    }


@_guarded
def check_conv_backward_loops(backward) -> Feedback:
    """Exercise 6.5: ``backward(x, W, grad_out, stride, padding) -> (dx, dW, db)`` for a
    one-channel convolution ``y = x ⋆ W + b`` (``x (H, W)``, ``W (k, k)``, ``grad_out =
    ∂E/∂y (H', W')``, ``db`` one number), compared with :class:`nnlib.conv.Conv2D`'s
    ``backward`` on :data:`CONV_BACKWARD_CASES`."""
    import numpy as np

    not_ready = _not_a_function(backward, "check_conv_backward_loops")
    if not_ready is not None:
        return not_ready
    rng = np.random.default_rng(65)
    runs, early = [], []
    for (H, Wd), k, s, p in CONV_BACKWARD_CASES:
        x = rng.integers(-3, 4, (H, Wd)).astype(float)
        W = rng.integers(-2, 3, (k, k)).astype(float)
        while np.array_equal(W, W[::-1, ::-1]):           # so a flip is detectable
            W = rng.integers(-2, 3, (k, k)).astype(float)
        shape_out = ((H + 2 * p - k) // s + 1, (Wd + 2 * p - k) // s + 1)
        g = rng.integers(-2, 3, shape_out).astype(float)
        at = (f"a {H}×{Wd} image, {k}×{k} kernel, stride {s}, padding {p}, grad_out "
              f"{shape_out[0]}×{shape_out[1]}")
        args = (x.copy(), W.copy(), g.copy())
        right = dict(zip(("dx", "dW", "db"), _conv_backward_nnlib(x, W, g, s, p),
                         strict=True))
        watch, first = _ch06_watch(backward, *args, s, p, gradients=True,
                                   results=(right["dx"], right["dW"]))
        got, error = watch.result, watch.error
        if error:
            return Feedback(False, [f"With {at}: {error}."])
        if _has_placeholder(got):
            return Feedback(False, [_TODO])
        parts = _items(got, 3)
        if parts is None:
            return Feedback(False, [f"Return three results (dx, dW, db), got {_show(got)}."])
        if any(not np.array_equal(a, c) for a, c in zip((x, W, g), args, strict=True)):
            return Feedback(False, ["Your function changed x, W or grad_out in place: compute "
                                    "new arrays instead."])
        arrays = dict(zip(("dx", "dW", "db"), map(_floats, parts), strict=True))
        why = next((f"{name}: {why}" for name, (_, why) in arrays.items() if why), None)
        if why:
            return Feedback(False, [f"dx, dW and db must be finite numbers, got {why}."])
        got = {name: arr for name, (arr, _) in arrays.items()}
        if got["db"].size == 1:
            got["db"] = got["db"].reshape(())
        variants = _conv_backward_variants(x, W, g, s, p)
        problems = []
        for name in ("dx", "dW", "db"):
            value, target = got[name], np.asarray(right[name])
            if value.shape == target.shape and _close(value, target):
                continue
            message = _known_mistake(value, variants[name])
            if message is None:
                message = (f"{name} has shape {value.shape}, expected {target.shape} "
                           f"({'one number' if name == 'db' else f'the shape of {name[1:]}'})."
                           if value.shape != target.shape else
                           f"{name} has the right shape {target.shape} but wrong values.")
            problems.append(f"{message} (Checked with {at}.)")
        if problems:
            return Feedback(False, problems)
        runs.append((shape_out, watch))
        spread = int(np.count_nonzero(g))
        early.append((at, first, tuple(min(spread, int(np.count_nonzero(right[name])))
                                       for name in ("dx", "dW"))))
    entry = ("for each output entry (h, w), G[h, w] times its window into dW and G[h, w]·W "
             "onto that window of dx")
    not_looped = _ch06_not_looped(runs, entry) or _ch06_too_early(early, entry)
    if not_looped:
        return Feedback(False, [not_looped])
    return Feedback(True, ["dx, dW and db are the numbers of nnlib's Conv2D.backward in "
                           f"{len(CONV_BACKWARD_CASES)} cases, with strides 1 to 3 and "
                           "paddings 0 to 2: dW correlates the padded input with G, dx "
                           "scatters G through the kernel (a full convolution) and drops the "
                           "padding, db sums G."])


# -- Exercises 6.4 and 6.5, by hand: what the loops must return on a small case -------------

CONV_LOOPS_EXERCISE = {"image": ((1, 2, 3, 3), (0, 0, 3, 3), (0, 1, 3, 1), (1, 3, 1, 1)),
                       "kernel": ((2, 1), (-1, -1)), "stride": 2, "padding": 1}
"""Exercise 6.4 — a 4×4 image and a 2×2 kernel, stride 2, padding 1, to convolve by hand."""


def _conv_loops_answer() -> ValueAnswer:
    """The truth of Exercise 6.4 by hand: the output's shape and two of its entries for
    :data:`CONV_LOOPS_EXERCISE`, and what the mistakes named by
    :func:`check_convolve2d_loops` give."""
    import numpy as np

    from ..conv import convolve2d

    ex = CONV_LOOPS_EXERCISE
    x, K = np.array(ex["image"], dtype=float), np.array(ex["kernel"], dtype=float)
    s, p = ex["stride"], ex["padding"]
    right = convolve2d(x, K, s, p)

    def entries(out, shape=None):
        rows, cols = out.shape if shape is None else shape
        return (float(rows), float(cols), float(out[1, 1]), float(out[1, 2]))

    no_stride = convolve2d(x, K, 1, p)
    return ValueAnswer(
        exercise="6.4", labels=("rows", "columns", "out[1, 1]", "out[1, 2]"),
        expected=entries(right), check_name="check_convolve2d_by_hand",
        digits=None,                                     # sizes and sums of small integers
        success=(f"Right: {right.shape[0]}×{right.shape[1]}, ⌊(4 + 2 − 2)/2⌋ + 1 = 3 per axis; "
                 f"out[1, 1] = {right[1, 1]:g} from the window x[1:3, 1:3] and out[1, 2] = "
                 f"{right[1, 2]:g} from a window that reaches into the padding."),
        mistakes=(
            Mistake(entries(convolve2d(x, K[::-1, ::-1], s, p)),
                    "The kernel is flipped: that is the mathematical convolution. nnlib "
                    "computes the cross-correlation Σ K[i, j] · x_pad[h·s + i, w·s + j], "
                    "without flipping."),
            Mistake(entries(convolve2d(x, K.T, s, p)),
                    "The kernel is transposed: K[i, j] multiplies the pixel i rows down and "
                    "j columns right of the window's corner."),
            Mistake(entries(no_stride[:right.shape[0], :right.shape[1]], right.shape),
                    "The size is right, but the windows start at x_pad[h + i] instead of "
                    "x_pad[h·s + i]: multiply the output index by the stride."),
            Mistake((*entries(no_stride)[:2], None, None),
                    f"{no_stride.shape[0]}×{no_stride.shape[1]} is the output of stride 1: "
                    "with s = 2 the window jumps 2 pixels, ⌊(H + 2p − k)/s⌋ + 1."),
            Mistake((2.0, 2.0, None, None),
                    "2×2 is the output without the padding (or without the + 1): pad 1 zero "
                    "on every side first, ⌊(4 + 2·1 − 2)/2⌋ + 1 = 3."),
        ),
        hint=("Pad x with one zero on every side (6×6); window (h, w) is x_pad[2h:2h + 2, "
              "2w:2w + 2], and out[h, w] is the sum of the window times K, entry by entry."))


CONV_LOOPS_ANSWER = _conv_loops_answer()


@_guarded
def check_convolve2d_by_hand(answer) -> Feedback:
    """Exercise 6.4, by hand: ``answer = (rows, columns, out[1, 1], out[1, 2])`` for
    :data:`CONV_LOOPS_EXERCISE`, judged by ``CONV_LOOPS_ANSWER`` as the HTML form is."""
    return CONV_LOOPS_ANSWER.check(answer)


CONV_BACKWARD_EXERCISE = {"x": ((1, 2, 0), (-1, 3, 1), (2, 0, 1)), "W": ((2, 1), (0, -1)),
                          "grad_out": ((2, -1), (1, 1)), "stride": 1, "padding": 0}
"""Exercise 6.5 — a 3×3 input, a 2×2 kernel and ``G = ∂E/∂y`` (2×2), stride 1, no padding,
for a backward pass by hand."""


def _conv_backward_answer() -> ValueAnswer:
    """The truth of Exercise 6.5 by hand: entries of ``dx`` and ``dW``, and ``db``, for
    :data:`CONV_BACKWARD_EXERCISE` (from :class:`~nnlib.conv.Conv2D`), and what the mistakes
    named by :func:`check_conv_backward_loops` give."""
    import numpy as np

    ex = CONV_BACKWARD_EXERCISE
    x, W, g = (np.array(ex[k], dtype=float) for k in ("x", "W", "grad_out"))
    s, p = ex["stride"], ex["padding"]
    dx, dW, db = _conv_backward_nnlib(x, W, g, s, p)
    dx_flipped = _conv_backward_nnlib(x, W[::-1, ::-1].copy(), g, s, p)[0]
    return ValueAnswer(
        exercise="6.5", labels=("dx[0, 0]", "dx[1, 1]", "dW[0, 0]", "db"),
        expected=(float(dx[0, 0]), float(dx[1, 1]), float(dW[0, 0]), db),
        check_name="check_conv_backward_by_hand", digits=None,    # sums of small integers
        success=(f"Right: dx[0, 0] = G[0, 0]·W[0, 0] = {dx[0, 0]:g} (one window covers it), "
                 f"dx[1, 1] = {dx[1, 1]:g} collects G[h, w]·W[1 − h, 1 − w] from all four "
                 f"windows, dW[0, 0] = Σ G[h, w]·x[h, w] = {dW[0, 0]:g}, db = Σ G = {db:g}."),
        mistakes=(
            Mistake((float(dx_flipped[0, 0]), float(dx_flipped[1, 1]), None, None),
                    "dx: the kernel is rotated by 180°. Window (h, w) adds G[h, w]·W[i, j] to "
                    "dx[h + i, w + j]: dx[0, 0] = G[0, 0]·W[0, 0], and dx[1, 1] gets "
                    "G[h, w]·W[1 − h, 1 − w]."),
            Mistake((None, None, float(dW[1, 1]), None),
                    "dW is rotated by 180°: dW[i, j] = Σ G[h, w]·x[h + i, w + j], so "
                    "dW[0, 0] pairs G with the top-left 2×2 of x."),
            Mistake((None, None, None, float(np.mean(g))),
                    "db is the mean of G; the bias is added to every output entry, so its "
                    "gradient is the sum of G, not its mean."),
        ),
        hint=("Go through the four windows (h, w): each adds G[h, w]·x[h:h + 2, w:w + 2] to "
              "dW and G[h, w]·W to dx[h:h + 2, w:w + 2]; db is the sum of G."))


CONV_BACKWARD_ANSWER = _conv_backward_answer()


@_guarded
def check_conv_backward_by_hand(answer) -> Feedback:
    """Exercise 6.5, by hand: ``answer = (dx[0, 0], dx[1, 1], dW[0, 0], db)`` for
    :data:`CONV_BACKWARD_EXERCISE`, judged by ``CONV_BACKWARD_ANSWER`` as the HTML form is."""
    return CONV_BACKWARD_ANSWER.check(answer)
