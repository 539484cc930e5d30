"""The exercise checks of chapter 6: right answers pass, typical mistakes get their specific
message, placeholders are "not attempted yet"."""

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import plotting
from nnlib.conv import EDGE_KERNEL, convolve2d
from nnlib.exercises import (
    CONV_SIZE_EXERCISE,
    EDGE_PATCH_EXERCISE,
    MAX_POOL_EXERCISE,
    check_conv_backward_loops,
    check_conv_output_sizes,
    check_convolve2d_loops,
    check_edge_patch,
    check_max_pool,
)
from nnlib.exercises import VALUE_ANSWERS as ALL_VALUE_ANSWERS
from nnlib.exercises.ch06_convolutions import (
    CONV_BACKWARD_ANSWER,
    CONV_BACKWARD_CASES,
    CONV_BACKWARD_EXERCISE,
    CONV_LOOPS_ANSWER,
    CONV_LOOPS_EXERCISE,
    CONV_SIZES_ANSWER,
    EDGE_PATCH_ANSWER,
    MAX_POOL_ANSWER,
    check_conv_backward_by_hand,
    check_convolve2d_by_hand,
)

#: The value answers of chapter 6, from the book's table.
VALUE_ANSWERS = tuple(a for ex, a in ALL_VALUE_ANSWERS.items() if ex.split(".")[0] == "6")

def text(feedback) -> str:
    return "\n".join(feedback.messages)


RIGHT_SIZES = [24, 14, 32, 3, 150]
PATCH = np.array(EDGE_PATCH_EXERCISE, dtype=float)
RIGHT_PATCH = [[23, 14], [16, -11]]
RIGHT_POOL = [[6, 5], [8, 7]]


def loop_convolve(image, kernel, stride=1, padding=0):
    """The reference answer of exercise 6.4: cross-correlation, one loop per output entry."""
    x = np.pad(image, padding)
    k = kernel.shape[0]
    H = (x.shape[0] - k) // stride + 1
    W = (x.shape[1] - k) // stride + 1
    out = np.zeros((H, W))
    for h in range(H):
        for w in range(W):
            out[h, w] = np.sum(kernel * x[h * stride:h * stride + k, w * stride:w * stride + k])
    return out


@pytest.mark.parametrize("check", [check_conv_output_sizes, check_edge_patch, check_max_pool,
                                   check_convolve2d_loops, check_conv_backward_loops,
                                   check_convolve2d_by_hand, check_conv_backward_by_hand])
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(check, placeholder):
    fb = check(placeholder)
    assert not fb and "Replace `...`" in text(fb)


@pytest.mark.parametrize("check, answer", [
    (check_conv_output_sizes, [..., ..., ..., ..., ...]),
    (check_edge_patch, [[..., ...], [..., ...]]),
    (check_max_pool, [[..., ...], [..., ...]]),
    (check_convolve2d_loops, lambda image, kernel, stride, padding: ...),
    (check_conv_backward_loops, lambda x, W, g, stride, padding: ...),
    (check_conv_backward_loops, lambda x, W, g, stride, padding: (..., ..., ...)),
])
def test_placeholders_inside_are_not_attempted(check, answer):
    assert "Replace `...`" in text(check(answer))


def test_exercise_data_is_what_the_chapter_states():
    assert CONV_SIZE_EXERCISE == ((28, 5, 1, 0), (28, 3, 2, 1), (32, 5, 1, 2), (8, 3, 2, 0),
                                  (600, 4, 4, 0))
    assert np.array_equal(convolve2d(PATCH, EDGE_KERNEL), RIGHT_PATCH)


# ---- 6.1 output sizes --------------------------------------------------------------------

def test_output_sizes_right():
    fb = check_conv_output_sizes(RIGHT_SIZES)
    assert fb and "keeps the size" in text(fb)
    assert check_conv_output_sizes(np.array(RIGHT_SIZES))          # an array is fine too


def formula(f):
    return [f(*case) for case in CONV_SIZE_EXERCISE]


@pytest.mark.parametrize("answer, expected", [
    (formula(lambda H, k, s, p: (H + 2 * p - k) // s), "the +1 is missing"),
    (formula(lambda H, k, s, p: (H + p - k) // s + 1), "both sides, 2p"),
    (formula(lambda H, k, s, p: math.ceil((H + 2 * p - k) / s) + 1), "round down, not up"),
    (formula(lambda H, k, s, p: (H + 2 * p - k) / s + 1), "whole number"),
    (formula(lambda H, k, s, p: H + 2 * p - k + 1), "the stride is missing"),
    (formula(lambda H, k, s, p: (H - k) // s + 1), "the padding is missing"),
    ([24, 14, 32, 3, 151], "Use ⌊(H + 2p − k)/s⌋ + 1"),
    ([24, 14, 32], "Give 5 entries ((28, 5, 1, 0), (28, 3, 2, 1), (32, 5, 1, 2)"),
    ([24, 14, 32, 3, "150?"], "(600, 4, 4, 0): give a finite number"),
    ([24, 14, 32, 3, 150.5], "Not right yet: (600, 4, 4, 0)"),      # a size is exact
])
def test_output_sizes_wrong(answer, expected):
    fb = check_conv_output_sizes(answer)
    assert not fb and expected in text(fb)


def test_output_sizes_only_wrong_cases_are_named():
    fb = check_conv_output_sizes([24, 14, 32, 4, 150])
    assert not fb and "Not right yet: (8, 3, 2, 0)." in text(fb) and "(28," not in text(fb)


# ---- 6.2 the edge kernel by hand -----------------------------------------------------------

def test_edge_patch_right():
    fb = check_edge_patch(RIGHT_PATCH)
    assert fb and "23" in text(fb)
    assert check_edge_patch(np.array(RIGHT_PATCH, dtype=float))
    assert check_edge_patch([23, 14, 16, -11])             # the form's reading order


def windows():
    w = np.lib.stride_tricks.sliding_window_view(PATCH, (3, 3))
    return w[..., 1, 1], w.sum(axis=(-1, -2))


@pytest.mark.parametrize("answer, expected", [
    (8 * windows()[0] + (windows()[1] - windows()[0]), "instead of subtracting"),
    (9 * windows()[0] - (windows()[1] - windows()[0]), "multiplied the centre by 9"),
    (np.array(RIGHT_PATCH).T, "swapped"),
    (-np.array(RIGHT_PATCH), "wrong sign"),
    (8 * windows()[0] - (windows()[1] - windows()[0]) / 8, "averaged the neighbours"),
    (convolve2d(PATCH, EDGE_KERNEL, padding=1), "only 2×2 positions"),
    ([[23, 14], [16, -12]], "Not right yet: bottom right."),
    ([[23, 14], [16, -12]], "8 × the centre of its 3×3 window"),
    ([23, 14, 16], "Give 4 entries (top left, top right, bottom left, bottom right)"),
    ("23 14 16", "Give 4 entries"),
    ([[23, 14], [16, "-11?"]], "bottom right: give a finite number"),
])
def test_edge_patch_wrong(answer, expected):
    fb = check_edge_patch(answer)
    assert not fb and expected in text(fb)


# ---- 6.3 max pooling by hand ---------------------------------------------------------------

def test_max_pool_right():
    fb = check_max_pool(RIGHT_POOL)
    assert fb and "quarter of the area" in text(fb)
    assert check_max_pool([6, 5, 8, 7])                    # the form's reading order
    assert check_max_pool(np.array(RIGHT_POOL, dtype=np.int64))


GRID = np.array(MAX_POOL_EXERCISE, dtype=float)
BLOCKS = GRID.reshape(2, 2, 2, 2).swapaxes(1, 2)


@pytest.mark.parametrize("answer, expected", [
    (BLOCKS.mean(axis=(2, 3)), "average pooling"),
    (BLOCKS.min(axis=(2, 3)), "minima"),
    (np.array(RIGHT_POOL).T, "swapped"),
    (np.lib.stride_tricks.sliding_window_view(GRID, (2, 2)).max(axis=(2, 3)), "stride 1"),
    (8, "global max pooling"),
    ([[6, 5], [8, 6]], "Not right yet: bottom right."),
    ([6, 5, 8], "Give 4 entries"),
])
def test_max_pool_wrong(answer, expected):
    fb = check_max_pool(answer)
    assert not fb and expected in text(fb)


# ---- the value answers -------------------------------------------------------------------

def test_value_answers_of_the_chapter():
    assert [a.exercise for a in VALUE_ANSWERS] == ["6.1", "6.2", "6.3", "6.4", "6.5"]
    assert VALUE_ANSWERS == (CONV_SIZES_ANSWER, EDGE_PATCH_ANSWER, MAX_POOL_ANSWER,
                             CONV_LOOPS_ANSWER, CONV_BACKWARD_ANSWER)
    assert CONV_SIZES_ANSWER.expected == tuple(RIGHT_SIZES)
    assert EDGE_PATCH_ANSWER.rows == MAX_POOL_ANSWER.rows == 2
    for answer in VALUE_ANSWERS:
        assert answer.check(answer.expected).passed
        for mistake in answer.mistakes:         # each mistake is reachable, with its message
            filled = [e if e is not None else x    # None: any value, here the right one
                      for e, x in zip(mistake.entries, answer.expected, strict=True)]
            fb = answer.check(filled)
            assert not fb.passed and fb.messages == [mistake.message], (answer.exercise,
                                                                        mistake)


# ---- 6.4 convolve2d with loops -------------------------------------------------------------

def test_convolve2d_loops_right():
    fb = check_convolve2d_loops(loop_convolve)
    assert fb and "strides 1 to 3" in text(fb)


def flipped(image, kernel, stride=1, padding=0):
    return loop_convolve(image, kernel[::-1, ::-1], stride, padding)


def no_stride_in_index(image, kernel, stride=1, padding=0):
    full = loop_convolve(image, kernel, 1, padding)
    H = (image.shape[0] + 2 * padding - kernel.shape[0]) // stride + 1
    W = (image.shape[1] + 2 * padding - kernel.shape[0]) // stride + 1
    return full[:H, :W]


@pytest.mark.parametrize("convolve, expected", [
    (flipped, "flips the kernel"),
    (no_stride_in_index, "multiply the output index by the stride"),
    (lambda image, kernel, stride, padding: loop_convolve(image, kernel.T, stride, padding),
     "kernel is transposed"),
    (lambda image, kernel, stride, padding: loop_convolve(image, kernel, 1, padding),
     "the stride is ignored"),
    (lambda image, kernel, stride, padding: loop_convolve(image, kernel, stride, 0),
     "the padding is missing"),
    (lambda image, kernel, stride, padding: 2 * loop_convolve(image, kernel, stride, padding),
     "values differ"),
    (lambda image, kernel, stride, padding: np.zeros((1, 1)), "the output size is"),
    (lambda image, kernel: loop_convolve(image, kernel), "TypeError"),
    (lambda image, kernel, stride, padding: "out", "array of numbers"),
    ("convolve2d", "Pass your function itself"),
])
def test_convolve2d_loops_wrong(convolve, expected):
    fb = check_convolve2d_loops(convolve)
    assert not fb and expected in text(fb)


# ---- 6.5 the backward pass of a convolution with loops -------------------------------------

def loop_backward(x, W, g, stride=1, padding=0, *, flip=False, step=None, crop="both",
                  db="sum"):
    """The reference answer of exercise 6.5, and with a switch each known mistake: ``flip``
    uses the rotated kernel for dx, ``step`` places the windows with another step than the
    stride, ``crop`` is "both", "none" or "end", ``db`` is "sum", "none" or "mean"."""
    xp = np.pad(x, padding)
    k = W.shape[0]
    K = W[::-1, ::-1] if flip else W
    step = stride if step is None else step
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for h in range(g.shape[0]):
        for w in range(g.shape[1]):
            window = (slice(h * step, h * step + k), slice(w * step, w * step + k))
            dW += g[h, w] * xp[window]
            dxp[window] += g[h, w] * K
    H, Wd = x.shape
    dx = {"both": dxp[padding:padding + H, padding:padding + Wd], "none": dxp,
          "end": dxp[:H, :Wd]}[crop]
    return dx, dW, {"sum": g.sum(), "none": g.copy(), "mean": g.mean()}[db]


def reference_backward(x, W, g, stride, padding):
    """nnlib's loop reference (nnlib.reference), on one image and one channel."""
    from nnlib.reference import conv2d_backward_loops

    dx, dW, db = conv2d_backward_loops(x[None, None], W[None, None], g[None, None], stride,
                                       padding)
    return dx[0, 0], dW[0, 0], db


def test_conv_backward_loops_right():
    fb = check_conv_backward_loops(loop_backward)
    assert fb and "5 cases" in text(fb) and "strides 1 to 3" in text(fb)
    # db may be a 1-entry array or a list
    assert check_conv_backward_loops(lambda *a: (*loop_backward(*a)[:2], [loop_backward(*a)[2]]))


@pytest.mark.parametrize("case", CONV_BACKWARD_CASES)
def test_conv_backward_truth_is_the_loop_reference(case):
    """The numbers the check expects (Conv2D.backward) are those of the library's loop
    version; a reader calling it is named (tests/test_fooled_checks.py)."""
    from nnlib.exercises.ch06_convolutions import _conv_backward_nnlib

    (H, Wd), k, s, p = case
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((H, Wd)), rng.standard_normal((k, k))
    g = rng.standard_normal(((H + 2 * p - k) // s + 1, (Wd + 2 * p - k) // s + 1))
    for mine, ref in zip(_conv_backward_nnlib(x, W, g, s, p), reference_backward(x, W, g, s, p),
                         strict=True):
        assert np.allclose(mine, ref, rtol=1e-12, atol=1e-12)


def test_conv_backward_cases_cover_stride_2_with_padding_1():
    """The brief of the exercise: stride 2 with padding 1 is among the cases, and so are
    stride 1 (where a forgotten stride cannot show) and padding 0."""
    assert any(s == 2 and p == 1 for _, _, s, p in CONV_BACKWARD_CASES)
    assert {s for _, _, s, _ in CONV_BACKWARD_CASES} >= {1, 2}
    assert {p for _, _, _, p in CONV_BACKWARD_CASES} >= {0, 1}


@pytest.mark.parametrize("backward, expected", [
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, flip=True), "kernel is rotated by 180°"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, step=1), "dx: the stride is forgotten"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, step=1), "dW: the stride is forgotten"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, crop="none"), "padding crop is forgotten"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, crop="end"), "crop is one-sided"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, db="none"), "db is not summed"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p, db="mean"), "db is the mean"),
    (lambda x, W, g, s, p: (loop_backward(x, W, g, s, p)[0],
                            loop_backward(x, W, g, s, p)[1][::-1, ::-1], g.sum()),
     "dW is flipped"),
    (lambda x, W, g, s, p: (loop_backward(x, W, g, s, p)[0], loop_backward(x, W, g, s, p)[1],
                            g.sum(axis=0)), "summed over its rows only"),
    (lambda x, W, g, s, p: (2 * loop_backward(x, W, g, s, p)[0],
                            *loop_backward(x, W, g, s, p)[1:]), "right shape (5, 5) but wrong"),
    (lambda x, W, g, s, p: (np.zeros((2, 2)), *loop_backward(x, W, g, s, p)[1:]),
     "dx has shape (2, 2), expected (5, 5)"),
    (lambda x, W, g, s, p: loop_backward(x, W, g, s, p)[:2], "Return three results"),
    (lambda x, W, g: loop_backward(x, W, g), "TypeError"),
    (lambda x, W, g, s, p: ("dx", "dW", "db"), "must be finite numbers"),
    (lambda x, W, g, s, p: (np.full(x.shape, np.nan), *loop_backward(x, W, g, s, p)[1:]),
     "dx: nan"),
    ("loop_backward", "Pass your function itself"),
])
def test_conv_backward_loops_wrong(backward, expected):
    fb = check_conv_backward_loops(backward)
    assert not fb and expected in text(fb), text(fb)


def test_conv_backward_loops_in_place_change_is_named():
    def in_place(x, W, g, s, p):
        result = loop_backward(x, W, g, s, p)
        g *= 0
        return result

    fb = check_conv_backward_loops(in_place)
    assert not fb and "changed x, W or grad_out in place" in text(fb)


# ---- the chapter's figures ---------------------------------------------------------------

def test_plot_conv_step_shows_the_window_sum():
    x = np.arange(25.0).reshape(5, 5)
    fig = plotting.plot_conv_step(x, EDGE_KERNEL, position=(1, 2), stride=1, padding=1)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    out = convolve2d(x, EDGE_KERNEL, padding=1)
    assert fig.get_supxlabel().endswith(f"= {out[1, 2]:g}".replace("-", "−"))
    with pytest.raises(ValueError, match="position must index the output of shape"):
        plotting.plot_conv_step(x, EDGE_KERNEL, position=(3, 0))


def test_plot_edge_response_and_close_up():
    img = np.random.default_rng(0).random((20, 16))
    resp = convolve2d(img, EDGE_KERNEL, padding=1)
    assert len(plotting.plot_edge_response(img, resp).axes) == 3          # 2 panels + colorbar
    fig = plotting.plot_edge_response(img, resp, crop=(slice(2, 10), slice(3, 9)))
    assert len(fig.axes) == 6
    with pytest.raises(ValueError, match="same shape"):
        plotting.plot_edge_response(img, resp[1:])


def test_plot_edge_scale_one_curve_per_width():
    row = np.clip(np.arange(10) - 4.0, 0, 1)
    fig = plotting.plot_edge_scale({1: (row, row), 2: (row / 2, row / 2)})
    left, right = fig.axes
    assert len(left.lines) == 2 and len(right.lines) == 3       # + the zero line on the right
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["1 px: peak 1",
                                                                      "2 px: peak 0.5"]


def test_plot_shift_demo_titles_report_the_maximum():
    x = np.zeros((8, 8))
    x[1, 2] = 1.0
    y = convolve2d(x, EDGE_KERNEL, padding=1)
    xs, ys = np.roll(x, (3, 2), axis=(0, 1)), np.roll(y, (3, 2), axis=(0, 1))
    fig = plotting.plot_shift_demo(x, xs, y, ys, shift=(3, 2))
    titles = [ax.get_title() for ax in fig.axes[:4]]
    assert "max 8 at (1, 2)" in titles[1] and "max 8 at (4, 4)" in titles[3]
    assert "shifted by 3 down, 2 right" in titles[2]


def test_plot_conv_as_matrix_counts_shared_weights():
    M = np.stack([convolve2d(np.eye(16)[q].reshape(4, 4), np.arange(1.0, 10.0).reshape(3, 3))
                  .ravel() for q in range(16)])
    fig = plotting.plot_conv_as_matrix(M, (4, 4), 3)
    assert "36 of 64 weights non-zero" in fig.axes[0].get_title()
    assert "only 9 distinct values" in fig.axes[0].get_title()


def test_plot_cnn_filters_grid():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((4, 1, 3, 3))
    fig = plotting.plot_cnn_filters(W, rng.random((8, 8)), rng.random((4, 8, 8)),
                                    rng.random((4, 4, 4)))
    assert len(fig.axes) == 3 * 5
    assert fig.axes[1].get_title() == "kernel 1"


def _by_hand(x, W, stride=1, padding=0):
    """Cross-correlation by loops: y[r, c] = Σ W ⊙ (window of padded x at r·s, c·s)."""
    xp = np.pad(x, padding)
    k = W.shape[0]
    n_r, n_c = (xp.shape[0] - k) // stride + 1, (xp.shape[1] - k) // stride + 1
    return np.array([[np.sum(W * xp[r * stride:r * stride + k, c * stride:c * stride + k])
                      for c in range(n_c)] for r in range(n_r)])


def _cells(ax, shape, fmt="{:g}"):
    """The numbers written in the cells of a grid panel, as the strings expected there."""
    from figures import text_at

    return np.array([[text_at(ax, c, r) for c in range(shape[1])] for r in range(shape[0])])


def _written(values, fmt="{:g}"):
    return np.vectorize(lambda v: fmt.format(v).replace("-", "−"))(values)


X_SMALL = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 5, 5], [1, 1, 1, 5, 5], [1, 1, 1, 5, 5],
                    [1, 1, 1, 1, 1]], dtype=float)             # the chapter's input


# EDGE_KERNEL is symmetric under a half turn: the third case's kernel is not, so a
# convolution drawn with the flipped kernel (true convolution) would fail
@pytest.mark.parametrize("x, kernel, position, stride, padding", [
    (X_SMALL, EDGE_KERNEL, (1, 1), 1, 0),                      # the chapter's call
    (np.arange(30.0).reshape(5, 6) - 12, EDGE_KERNEL, (1, 2), 2, 1),
    (X_SMALL, np.arange(9.0).reshape(3, 3) - 2, (2, 0), 1, 0),
])
def test_plot_conv_step_writes_input_kernel_and_output(x, kernel, position, stride, padding):
    from matplotlib.patches import Rectangle

    fig = plotting.plot_conv_step(x, kernel, position=position, stride=stride,
                                  padding=padding)
    ax_in, ax_k, ax_out = fig.axes
    y = _by_hand(x, kernel, stride, padding)
    xp = np.pad(x, padding)
    np.testing.assert_array_equal(_cells(ax_in, xp.shape), _written(xp))
    np.testing.assert_array_equal(_cells(ax_k, (3, 3)), _written(kernel))
    np.testing.assert_array_equal(_cells(ax_out, y.shape), _written(y, "{:.3g}"))
    r, c = position
    # the window (3×3, at r·s, c·s of the padded input) and the output entry are outlined
    (win,) = [p for p in ax_in.patches if isinstance(p, Rectangle)]
    assert (win.get_xy(), win.get_width(), win.get_height()) == (
        (c * stride - 0.5, r * stride - 0.5), 3, 3)
    (entry,) = [p for p in ax_out.patches if isinstance(p, Rectangle)]
    assert entry.get_xy() == (c - 0.5, r - 0.5)
    # the sum written below: the kernel's and the window's numbers, pair by pair, and
    # its value; exact: small integers
    terms, value = fig.get_supxlabel().replace("−", "-").replace("\n", " ").split(" = ")[2:]
    pairs = [t.strip()[1:-1].split(")(") for t in terms.split(" + ")]
    window = xp[r * stride:r * stride + 3, c * stride:c * stride + 3]
    assert [(float(a), float(b)) for a, b in pairs] == list(zip(kernel.ravel(),
                                                                window.ravel(), strict=True))
    assert float(value) == y[r, c] == sum(float(a) * float(b) for a, b in pairs)
    if x is X_SMALL and kernel is EDGE_KERNEL:
        assert y[1, 1] == -12                                  # the chapter's number


def test_plot_edge_response_shows_the_image_the_response_and_the_close_up():
    from figures import image
    from matplotlib.patches import Rectangle

    rng = np.random.default_rng(0)
    img = rng.random((20, 16))
    resp = convolve2d(img, EDGE_KERNEL, padding=1)
    crop = (slice(2, 10), slice(3, 9))
    fig = plotting.plot_edge_response(img, resp, crop=crop)
    (a, b, c, d) = [ax for ax in fig.axes if ax.images]        # row by row, then colorbars
    np.testing.assert_array_equal(image(a), img)
    np.testing.assert_array_equal(image(b), resp)
    np.testing.assert_array_equal(image(c), img[2:10, 3:9])
    np.testing.assert_array_equal(image(d), resp[2:10, 3:9])
    # the response's colours are symmetric about 0, clipped at the 99th percentile of |y|
    lim = np.percentile(np.abs(resp), 99)
    assert b.images[0].get_clim() == d.images[0].get_clim() == (-lim, lim)
    assert a.images[0].get_clim() == (0, 1)
    (box,) = [p for p in a.patches if isinstance(p, Rectangle)]
    assert (box.get_xy(), box.get_width(), box.get_height()) == ((2.5, 1.5), 6, 8)


def test_plot_edge_scale_draws_each_profile_and_response():
    profiles = {w: (np.clip((np.arange(14) - 4) / w, 0, 1), np.sin(np.arange(14) / w) * 3 / w)
                for w in (1, 2, 4, 8)}                         # the chapter's four widths
    fig = plotting.plot_edge_scale(profiles)
    left, right = fig.axes
    cols = np.arange(14)
    for k, (w, (signal, response)) in enumerate(profiles.items()):
        np.testing.assert_array_equal(left.lines[k].get_xydata(), np.column_stack([cols, signal]))
        assert left.lines[k].get_label() == f"edge {w} px wide"
        r = [ln for ln in right.lines if ln.get_label().startswith(f"{w} px: ")][0]
        np.testing.assert_array_equal(r.get_xydata(), np.column_stack([cols, response]))
        assert r.get_label() == f"{w} px: peak {response.max():.3g}"


def test_plot_shift_demo_draws_both_inputs_and_responses_on_one_scale():
    from figures import image

    x = np.zeros((12, 12))
    x[2:5, 1:3] = 1.0
    xs = np.roll(x, (3, 2), axis=(0, 1))
    y, ys = convolve2d(x, EDGE_KERNEL, padding=1), convolve2d(xs, EDGE_KERNEL, padding=1)
    fig = plotting.plot_shift_demo(x, xs, y, ys, shift=(3, 2))
    panels = fig.axes[:4]                                       # (input, response) per row
    for ax, want in zip(panels, [x, y, xs, ys], strict=True):
        np.testing.assert_array_equal(image(ax), want)
    for ax, out in ((panels[1], y), (panels[3], ys)):
        r, c = np.unravel_index(np.argmax(out), out.shape)     # the circle on the maximum
        assert ax.lines[0].get_xydata().tolist() == [[c, r]]
        assert ax.get_title() == f"response: max {out.max():.4g} at {(int(r), int(c))}"
    # one colour scale for both responses, symmetric about 0
    lim = max(np.abs(y).max(), np.abs(ys).max())
    assert panels[1].images[0].get_clim() == panels[3].images[0].get_clim() == (-lim, lim)
    # equivariance, as the figure shows it: the shifted response's maximum moved by (3, 2)
    assert np.subtract(np.unravel_index(np.argmax(ys), ys.shape),
                       np.unravel_index(np.argmax(y), y.shape)).tolist() == [3, 2]


def test_plot_conv_as_matrix_draws_m_with_its_zeros_blank():
    from figures import image

    # the chapter's case: a 5×5 image, the edge kernel: M has a row per input pixel and a
    # column per output entry, column q the weights of output q (y = x M)
    M = np.stack([convolve2d(np.eye(25)[p].reshape(5, 5), EDGE_KERNEL).ravel()
                  for p in range(25)])
    assert M.shape == (25, 9)
    x = np.random.default_rng(0).random((5, 5))
    np.testing.assert_allclose(x.ravel() @ M, _by_hand(x, EDGE_KERNEL).ravel(), atol=1e-12)
    fig = plotting.plot_conv_as_matrix(M, (5, 5), 3)
    shown = image(fig.axes[0])
    np.testing.assert_array_equal(np.isnan(shown), M == 0)      # zeros blank, not white 0
    np.testing.assert_array_equal(shown[M != 0], M[M != 0])
    assert "81 of 225 weights non-zero" in fig.axes[0].get_title()
    assert f"only {len(np.unique(EDGE_KERNEL[EDGE_KERNEL != 0]))} distinct values" in (
        fig.axes[0].get_title())


def test_plot_cnn_filters_draws_each_kernel_over_its_maps():
    from figures import image

    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 1, 3, 3))
    img, maps, pooled = rng.random((8, 8)), rng.random((3, 6, 6)), rng.random((3, 3, 3))
    fig = plotting.plot_cnn_filters(W, img, maps, pooled)
    grid = np.array(fig.axes).reshape(3, 4)                      # rows: kernels, maps, pooled
    np.testing.assert_array_equal(image(grid[0, 0]), img)
    for f in range(3):
        np.testing.assert_array_equal(image(grid[0, f + 1]), W[f, 0])
        np.testing.assert_array_equal(image(grid[1, f + 1]), maps[f])
        np.testing.assert_array_equal(image(grid[2, f + 1]), pooled[f])
        assert grid[0, f + 1].get_title() == f"kernel {f + 1}"
        # the kernels share a scale symmetric about 0; maps and pooled maps share one
        lim = np.abs(W).max()
        assert grid[0, f + 1].images[0].get_clim() == (-lim, lim)
        assert grid[1, f + 1].images[0].get_clim() == grid[2, f + 1].images[0].get_clim() == (
            0, maps.max())
    assert not grid[1, 0].images and not grid[2, 0].images


# ---- 6.4 by hand: one small case of the loops ----------------------------------------------

def test_convolve2d_by_hand_right_answer():
    ex = CONV_LOOPS_EXERCISE
    image, kernel = np.array(ex["image"], dtype=float), np.array(ex["kernel"], dtype=float)
    out = loop_convolve(image, kernel, ex["stride"], ex["padding"])
    assert out.tolist() == [[-1, -5, -3], [0, -1, 5], [1, 7, 2]]
    assert np.array_equal(out, convolve2d(image, kernel, ex["stride"], ex["padding"]))
    fb = check_convolve2d_by_hand((*out.shape, out[1, 1], out[1, 2]))
    assert fb and "3×3, ⌊(4 + 2 − 2)/2⌋ + 1 = 3" in text(fb)
    assert check_convolve2d_by_hand([3, 3, -1, 5]) and CONV_LOOPS_ANSWER.digits is None


@pytest.mark.parametrize("answer, expected", [
    ((3, 3, 4, -2), "The kernel is flipped"),
    ((3, 3, -5, 7), "The kernel is transposed"),
    ((3, 3, 4, 4), "multiply the output index by the stride"),
    ((5, 5, -1, 5), "5×5 is the output of stride 1"),
    ((2, 2, 4, 2), "2×2 is the output without the padding"),
    ((3, 3, 1, -5), "Not right yet: out[1, 1], out[1, 2]"),   # −K: a sign slip, no flip
    ((3, 3, -1, 3), "Not right yet: out[1, 2]"),
    ((3, 4, -1, 5), "Not right yet: columns"),
    ((3, 3, -1), "Give 4 entries"),
    ((3, 3, "-1?", 5), "out[1, 1]: give a finite number"),
    ((3, 3, ..., 5), "Replace `...`"),
])
def test_convolve2d_by_hand_mistakes(answer, expected):
    fb = check_convolve2d_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)


# ---- 6.5 by hand: one small backward pass ---------------------------------------------------

def test_conv_backward_by_hand_right_answer():
    ex = CONV_BACKWARD_EXERCISE
    x, W, g = (np.array(ex[k], dtype=float) for k in ("x", "W", "grad_out"))
    assert (ex["stride"], ex["padding"]) == (1, 0)
    # by hand: dx[0, 0] = G00 W00; dx[1, 1] = Σ G[h, w] W[1 − h, 1 − w]; dW[0, 0] = Σ G ∘ x[:2, :2]
    by_hand = (g[0, 0] * W[0, 0], float(np.sum(g * W[::-1, ::-1])), float(np.sum(g * x[:2, :2])),
               float(g.sum()))
    assert by_hand == (4.0, 1.0, 2.0, 3.0)
    dx, dW, db = conv_backward_loops_reference(x, W, g)
    assert (dx[0, 0], dx[1, 1], dW[0, 0], db) == by_hand
    fb = check_conv_backward_by_hand(by_hand)
    assert fb and "db = Σ G = 3" in text(fb)
    assert CONV_BACKWARD_ANSWER.digits is None


def conv_backward_loops_reference(x, W, g):
    """Exercise 6.5's loops, stride 1 and no padding."""
    k = W.shape[0]
    dx, dW = np.zeros_like(x), np.zeros_like(W)
    for h in range(g.shape[0]):
        for w in range(g.shape[1]):
            dW += g[h, w] * x[h:h + k, w:w + k]
            dx[h:h + k, w:w + k] += g[h, w] * W
    return dx, dW, float(g.sum())


@pytest.mark.parametrize("answer, expected", [
    ((-2, 2, 2, 3), "dx: the kernel is rotated by 180°"),
    ((4, 1, 6, 3), "dW is rotated by 180°"),
    ((4, 1, 2, 0.75), "db is the mean of G"),
    ((4, 1, 2, 2), "Not right yet: db"),
    ((4, 0, 2, 3), "Not right yet: dx[1, 1]"),
    ((4, 1, 2), "Give 4 entries"),
    ((4, 1, float("inf"), 3), "dW[0, 0]: give a finite number"),
    ((4, 1, 2, ...), "Replace `...`"),
])
def test_conv_backward_by_hand_mistakes(answer, expected):
    fb = check_conv_backward_by_hand(answer)
    assert not fb and expected in text(fb), text(fb)
