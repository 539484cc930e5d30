"""Conv2D, the pools, conv_output_size, convolve2d and the loop references they must match."""

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import _conv_speed, conv
from nnlib.conv import (
    EDGE_KERNEL,
    KERNELS,
    AvgPool2D,
    Conv2D,
    MaxPool2D,
    MinPool2D,
    conv_output_size,
    convolve2d,
)
from nnlib.gradcheck import check_module
from nnlib.reference import (
    conv2d_backward_loops,
    conv2d_loops,
    pool2d_backward_loops,
    pool2d_loops,
)

# Central differences in float64 agree with a correct backward to ~1e-9; 1e-7 flags a bug.
GRAD_TOL = 1e-7
# Convolution and pooling are linear in any single entry of x, W or b (max/min piecewise,
# away from ties), so a central difference has no truncation error: a large ε only lowers
# the roundoff (≈ 1e-16·|E|/ε), which at ε = 1e-6 can reach 1e-6 relative on small entries.
EPS = 1e-3
# The vectorised and the loop versions add the same ≤ C·k² + 1 products of O(1) numbers in
# a different order: they differ by ~1e-14; a wrong index or offset would differ by O(1).
ATOL = 1e-10

POOLS = {"max": MaxPool2D, "avg": AvgPool2D, "min": MinPool2D}
PROPERTY = settings(max_examples=60, deadline=None)   # shapes are tiny: fast


def rng(seed=0):
    return np.random.default_rng(seed)


def conv_with_bias(c_in, c_out, k, stride=1, padding=0, seed=0, **kwargs):
    conv = Conv2D(c_in, c_out, k, stride, padding, rng=seed, **kwargs)
    conv.b.value[...] = rng(seed + 1).standard_normal(c_out)   # a zero bias would hide bugs
    return conv


def distinct(shape, seed=0):
    """Values 0, 0.01, 0.02, ... in random order: no ties, and ±EPS cannot reorder them."""
    return rng(seed).permutation(int(np.prod(shape))).reshape(shape) / 100.0


# -- conv_output_size ------------------------------------------------------------------------

@pytest.mark.parametrize("size, k, s, p, expected", [
    (28, 3, 1, 0, 26), (28, 3, 1, 1, 28), (28, 2, 2, 0, 14), (7, 3, 2, 0, 3), (8, 3, 2, 0, 3),
    (5, 5, 1, 0, 1), (1, 3, 1, 1, 1), (6, 1, 4, 0, 2),
])
def test_conv_output_size_formula(size, k, s, p, expected):
    assert conv_output_size(size, k, s, p) == expected


@pytest.mark.parametrize("args, error, match", [
    ((2, 5, 1, 1), ValueError, r"kernel_size 5.*padded.*size 2.*padding 1"),
    ((0, 1), ValueError, "size must be >= 1"),
    ((5, 0), ValueError, "kernel_size must be >= 1"),
    ((5, 3, 0), ValueError, "stride must be >= 1"),
    ((5, 3, 1, -1), ValueError, "padding must be >= 0"),
    ((5, 2.5), TypeError, "kernel_size must be an integer"),
    ((5, 3, 1.0), TypeError, "stride must be an integer"),
])
def test_conv_output_size_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        conv_output_size(*args)


# -- Conv2D: construction ----------------------------------------------------------------

def test_conv2d_parameters():
    conv = Conv2D(3, 8, 5, rng=0)
    assert conv.W.value.shape == (8, 3, 5, 5) and conv.b.value.shape == (8,)
    assert not conv.b.value.any(), "biases start at zero"
    assert [p.name for p in conv.parameters()] == ["W", "b"]
    assert conv.W.decay and not conv.b.decay
    assert conv.W.value.dtype == np.float64


def test_conv2d_init_uses_fan_in_of_a_window():
    # He: std = sqrt(2 / (C·k²)); 8·16·9 = 1152 draws estimate it to within ~5% (3 sigma ~6%).
    conv = Conv2D(16, 8, 3, rng=0)
    assert conv.W.value.std() == pytest.approx(np.sqrt(2 / (16 * 9)), rel=0.07)
    normal = Conv2D(16, 8, 3, init="normal", rng=0)
    assert normal.W.value.std() == pytest.approx(1.0, rel=0.07)
    xavier = Conv2D(16, 8, 3, init="xavier", rng=0)
    assert xavier.W.value.std() == pytest.approx(np.sqrt(2 / (16 * 9 + 8 * 9)), rel=0.07)


def test_conv2d_init_is_reproducible_from_the_seed():
    np.testing.assert_array_equal(Conv2D(2, 3, 3, rng=7).W.value, Conv2D(2, 3, 3, rng=7).W.value)
    assert not np.array_equal(Conv2D(2, 3, 3, rng=7).W.value, Conv2D(2, 3, 3, rng=8).W.value)


def test_reprs():
    assert repr(Conv2D(1, 8, 3, padding=1)) == "Conv2D(1, 8, kernel_size=3, stride=1, padding=1)"
    assert repr(MaxPool2D(2)) == "MaxPool2D(kernel_size=2, stride=2)"
    assert repr(AvgPool2D(3, stride=1)) == "AvgPool2D(kernel_size=3, stride=1)"
    assert repr(MinPool2D(2, 1)) == "MinPool2D(kernel_size=2, stride=1)"


# -- Conv2D: forward by hand -------------------------------------------------------------

def test_conv2d_by_hand():
    conv = Conv2D(1, 1, 2, stride=2)
    conv.W.value[...] = 1.0
    conv.b.value[...] = 1.0
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    # windows [[0,1],[4,5]], [[2,3],[6,7]], ...: sums 10, 18, 42, 50, plus the bias 1
    np.testing.assert_array_equal(conv(x), [[[[11, 19], [43, 51]]]])


def test_conv2d_is_cross_correlation_not_flipped():
    # A kernel with a single 1 at the top-left picks each window's top-left entry;
    # a true (flipped) convolution would pick the bottom-right one.
    conv = Conv2D(1, 1, 2)
    conv.W.value[...] = [[[[1.0, 0.0], [0.0, 0.0]]]]
    x = rng().standard_normal((1, 1, 4, 5))
    np.testing.assert_array_equal(conv(x), x[:, :, :3, :4])


def test_conv2d_sums_over_input_channels():
    conv = Conv2D(2, 1, 1)
    conv.W.value[...] = np.array([2.0, -3.0]).reshape(1, 2, 1, 1)
    x = rng().standard_normal((3, 2, 4, 4))
    np.testing.assert_allclose(conv(x)[:, 0], 2 * x[:, 0] - 3 * x[:, 1], rtol=0, atol=ATOL)


# -- gradient checks ------------------------------------------------------------------------

@pytest.mark.parametrize("c_in, c_out, k, stride, padding, hw", [
    (1, 1, 3, 1, 0, (5, 5)),
    (2, 3, 3, 1, 1, (5, 6)),
    (2, 3, 3, 2, 1, (6, 5)),
    (3, 2, 3, 2, 2, (5, 5)),
    (1, 2, 2, 3, 0, (7, 7)),     # stride > kernel: entries no window touches get zero gradient
    (2, 2, 5, 1, 2, (5, 4)),
    (2, 2, 1, 1, 0, (3, 3)),
])
def test_conv2d_gradients(c_in, c_out, k, stride, padding, hw):
    conv = conv_with_bias(c_in, c_out, k, stride, padding, seed=3)
    report = check_module(conv, rng(4).standard_normal((2, c_in, *hw)), eps=EPS)
    assert max(report.values()) < GRAD_TOL, report


@pytest.mark.parametrize("mode", POOLS)
@pytest.mark.parametrize("k, stride, hw", [(2, None, (6, 6)), (2, None, (7, 5)),
                                           (3, 1, (5, 6)), (3, 2, (7, 7)), (2, 3, (7, 6))])
def test_pool_gradients(mode, k, stride, hw):
    report = check_module(POOLS[mode](k, stride), distinct((2, 3, *hw), seed=k), eps=EPS)
    assert max(report.values()) < GRAD_TOL, report


# -- property tests against the loop references ----------------------------------------------

@st.composite
def conv_cases(draw):
    n, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k, stride, padding = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(0, 2))
    h = draw(st.integers(max(1, k - 2 * padding), 6))
    w = draw(st.integers(max(1, k - 2 * padding), 6))
    return n, c_in, c_out, h, w, k, stride, padding, draw(st.integers(0, 2**32 - 1))


@PROPERTY
@given(conv_cases())
def test_conv2d_matches_loops(case):
    n, c_in, c_out, h, w, k, stride, padding, seed = case
    conv = conv_with_bias(c_in, c_out, k, stride, padding, seed=seed % 1000)
    x = rng(seed).standard_normal((n, c_in, h, w))
    y = conv(x)
    assert y.shape == (n, c_out, conv_output_size(h, k, stride, padding),
                       conv_output_size(w, k, stride, padding))
    np.testing.assert_allclose(y, conv2d_loops(x, conv.W.value, conv.b.value, stride, padding),
                               rtol=0, atol=ATOL)
    g = rng(seed + 1).standard_normal(y.shape)
    dx = conv.backward(g)
    dx_ref, dW_ref, db_ref = conv2d_backward_loops(x, conv.W.value, g, stride, padding)
    np.testing.assert_allclose(dx, dx_ref, rtol=0, atol=ATOL)
    np.testing.assert_allclose(conv.W.grad, dW_ref, rtol=0, atol=ATOL)
    np.testing.assert_allclose(conv.b.grad, db_ref, rtol=0, atol=ATOL)


@st.composite
def pool_cases(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    k = draw(st.integers(1, 3))
    stride = draw(st.one_of(st.none(), st.integers(1, 3)))
    h, w = draw(st.integers(k, 7)), draw(st.integers(k, 7))
    return n, c, h, w, k, stride, draw(st.sampled_from(list(POOLS))), draw(st.integers(0, 10**6))


@PROPERTY
@given(pool_cases())
def test_pools_match_loops_ties_included(case):
    n, c, h, w, k, stride, mode, seed = case
    # Small integers make ties frequent: the gradient must go where the loops send it,
    # to the first extreme entry of each window in row-major order.
    x = rng(seed).integers(0, 3, size=(n, c, h, w)).astype(np.float64)
    pool = POOLS[mode](k, stride)
    y = pool(x)
    s = k if stride is None else stride
    assert y.shape == (n, c, conv_output_size(h, k, s), conv_output_size(w, k, s))
    np.testing.assert_allclose(y, pool2d_loops(x, k, stride, mode), rtol=0, atol=ATOL)
    g = rng(seed + 1).standard_normal(y.shape)
    np.testing.assert_allclose(pool.backward(g), pool2d_backward_loops(x, g, k, stride, mode),
                               rtol=0, atol=ATOL)


@PROPERTY
@given(st.integers(0, 3), st.integers(1, 9), st.integers(1, 9))
def test_half_kernel_padding_keeps_the_size(half, h, w):
    k = 2 * half + 1
    conv = Conv2D(2, 3, k, padding=(k - 1) // 2, rng=0)
    assert conv(np.ones((1, 2, h, w))).shape == (1, 3, h, w)
    assert convolve2d(np.ones((h, w)), np.ones((k, k)), padding=half).shape == (h, w)


# -- pooling by hand: ties and overlaps ----------------------------------------------------------

def test_pools_by_hand():
    x = np.array([[1, 2, 5, 0],
                  [3, 4, 1, 1],
                  [0, 0, 9, 8],
                  [7, 0, 6, 6]], dtype=float).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(MaxPool2D(2)(x), [[[[4, 5], [7, 9]]]])
    np.testing.assert_array_equal(MinPool2D(2)(x), [[[[1, 0], [0, 6]]]])
    np.testing.assert_array_equal(AvgPool2D(2)(x), [[[[2.5, 1.75], [1.75, 7.25]]]])
    pool = MaxPool2D(2)
    pool(x)
    dx = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 20, 0], [0, 10, 0, 0],
                                             [0, 0, 40, 0], [30, 0, 0, 0]])


@pytest.mark.parametrize("pool", [MaxPool2D(2), MinPool2D(2), MaxPool2D(3, 1)])
def test_tied_window_sends_the_gradient_to_its_first_entry(pool):
    x = np.full((1, 1, 3, 3) if pool.kernel_size == 3 else (1, 1, 2, 2), 5.0)
    pool(x)
    dx = pool.backward(np.ones((1, 1, 1, 1)))
    expected = np.zeros_like(x)
    expected[0, 0, 0, 0] = 1.0
    np.testing.assert_array_equal(dx, expected)


def test_tie_after_the_first_entry_goes_to_the_first_maximal_one():
    x = np.array([[0.0, 3.0], [3.0, 1.0]]).reshape(1, 1, 2, 2)   # maxima at (0,1) and (1,0)
    pool = MaxPool2D(2)
    pool(x)
    np.testing.assert_array_equal(pool.backward(np.ones((1, 1, 1, 1)))[0, 0], [[0, 1], [0, 0]])


@pytest.mark.parametrize("cls, sign", [(MaxPool2D, 1.0), (MinPool2D, -1.0)])
def test_overlapping_windows_accumulate(cls, sign):
    # A 2×2 pool with stride 1 over 3×3: the centre, the extreme value, is in all 4 windows.
    x = sign * np.array([[0.0, 1, 2], [3, 9, 4], [5, 6, 7]]).reshape(1, 1, 3, 3)
    pool = cls(2, stride=1)
    np.testing.assert_array_equal(pool(x), np.full((1, 1, 2, 2), sign * 9.0))
    dx = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    expected = np.zeros((3, 3))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_avg_pool_overlap_spreads_g_over_k_squared():
    pool = AvgPool2D(2, stride=1)
    pool(np.zeros((1, 1, 3, 3)))
    dx = pool.backward(np.ones((1, 1, 2, 2)))
    # each entry gets 1/4 from every window that contains it: corners 1, edges 2, centre 4
    np.testing.assert_array_equal(dx[0, 0], np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 4)


@pytest.mark.parametrize("cls", [MaxPool2D, MinPool2D])
def test_tie_goes_to_the_first_row_holding_the_extreme_not_the_first_column(cls):
    # The pools work along rows, then along columns: the extreme value sits at (0, 2) and
    # at (1, 0); the first in row-major order is (0, 2), though (1, 0) has the lower column.
    x = np.array([[0.0, 1, 5], [5, 2, 3], [4, 5, 1]]).reshape(1, 1, 3, 3)
    sign = 1.0 if cls is MaxPool2D else -1.0
    pool = cls(3)
    np.testing.assert_array_equal(pool(sign * x), [[[[sign * 5]]]])
    expected = np.zeros((3, 3))
    expected[0, 2] = 1.0
    np.testing.assert_array_equal(pool.backward(np.ones((1, 1, 1, 1)))[0, 0], expected)


@pytest.mark.parametrize("cls", [MaxPool2D, MinPool2D, AvgPool2D])
@pytest.mark.parametrize("k, stride", [(2, None), (3, 1), (3, 2)])
def test_a_window_holding_nan_outputs_nan_and_passes_no_gradient(cls, k, stride):
    x = distinct((2, 2, 7, 6), seed=5)
    x[1, 0, 3, 2] = np.nan
    pool = cls(k, stride)
    y = pool(x)
    g = rng(6).standard_normal(y.shape)
    dx = pool.backward(g)
    s = k if stride is None else stride
    rows, cols = np.arange(y.shape[2]) * s, np.arange(y.shape[3]) * s
    nan_windows = ((rows[:, None] <= 3) & (3 < rows[:, None] + k)
                   & (cols <= 2) & (2 < cols + k))            # the windows holding (3, 2)
    np.testing.assert_array_equal(np.isnan(y[1, 0]), nan_windows)
    assert not np.isnan(y[0]).any() and not np.isnan(y[1, 1]).any()
    assert not np.isnan(dx).any()
    # the other windows are untouched: as with the NaN's windows' gradient set to 0
    clean = x.copy()
    clean[1, 0, 3, 2] = 0.0
    g_clean = g.copy()
    g_clean[1, 0][nan_windows] = 0.0
    reference = cls(k, stride)
    np.testing.assert_array_equal(y[~np.isnan(y)], reference(clean)[~np.isnan(y)])
    expected = reference.backward(g_clean)
    if cls is AvgPool2D:   # the mean spreads over the NaN too; the selecting pools never pick it
        np.testing.assert_allclose(dx[0], expected[0], rtol=0, atol=ATOL)
    else:
        np.testing.assert_array_equal(dx, expected)


@pytest.mark.parametrize("cls, k, stride", [
    (MaxPool2D, 2, None), (MaxPool2D, 2, 3), (MaxPool2D, 3, 2), (MinPool2D, 2, None),
    (MinPool2D, 3, 2), (AvgPool2D, 2, 3)])
def test_pool_backward_writes_no_negative_zero(cls, k, stride):
    # An entry no window selects gets 0.0, as in torch, never -0.0 (a negative gradient
    # times "not selected"), which numpy prints as "-0."; entries between windows (s > k)
    # too. Windows apart (s >= k) and overlapping (s < k) are routed differently.
    x = distinct((2, 3, 8, 8), seed=7)
    pool = cls(k, stride)
    dx = pool.backward(-np.ones(pool(x).shape))
    assert (dx != 0).any() and (dx == 0).any()
    assert not np.signbit(dx[dx == 0]).any()


@pytest.mark.parametrize("mode", POOLS)
@pytest.mark.parametrize("shape, k, stride", [
    ((1, 1, 9, 7), 2, None),     # k = s, H and W not divisible by k: last row/column dropped
    ((1, 1, 11, 11), 5, 2),      # odd size, windows overlap and do not tile
    ((3, 1, 10, 13), 3, 3),
    ((2, 3, 8, 8), 5, 1),
    ((1, 2, 6, 9), 2, 3),        # gaps between windows
    ((4, 2, 7, 7), 1, None),
])
def test_pools_match_loops_on_larger_kernels_and_odd_sizes(mode, shape, k, stride):
    x = rng(7).integers(0, 3, size=shape).astype(np.float64)    # many ties
    pool = POOLS[mode](k, stride)
    y = pool(x)
    np.testing.assert_allclose(y, pool2d_loops(x, k, stride, mode), rtol=0, atol=ATOL)
    g = rng(8).standard_normal(y.shape)
    np.testing.assert_allclose(pool.backward(g), pool2d_backward_loops(x, g, k, stride, mode),
                               rtol=0, atol=ATOL)


@pytest.mark.parametrize("mode", POOLS)
def test_pools_give_the_same_numbers_in_chunks_of_images(mode, monkeypatch):
    # the batch is worked on a few images at a time; chunks must not change a bit
    x = rng(9).integers(0, 4, size=(7, 3, 9, 9)).astype(np.float64)
    g = rng(10).standard_normal((7, 3, 4, 4))
    whole = POOLS[mode](3, 2)
    y, dx = whole(x), whole.backward(g)
    monkeypatch.setattr(_conv_speed, "CHUNK_BYTES", 2 * x[0].nbytes)   # chunks of 2 images
    assert len(_conv_speed.pool_chunks(x)) == 4
    chunked = POOLS[mode](3, 2)
    np.testing.assert_array_equal(chunked(x), y)
    np.testing.assert_array_equal(chunked.backward(g), dx)


@pytest.mark.parametrize("mode", sorted(POOLS))
def test_pools_give_the_same_bits_on_one_thread_and_on_two(mode, monkeypatch):
    # above PARALLEL_BYTES the chunks of images go to two threads; they write disjoint
    # slices, so the threads must not change a bit (ties and overlapping windows included)
    x = rng(11).integers(0, 3, size=(40, 8, 24, 24)).astype(np.float64)     # 1.4 MiB
    assert x.nbytes >= _conv_speed.PARALLEL_BYTES
    assert len(_conv_speed.pool_chunks(x)) >= 2
    g = rng(12).standard_normal((40, 8, 11, 11))
    threaded = POOLS[mode](3, 2)
    y, dx = threaded(x), threaded.backward(g)
    monkeypatch.setattr(_conv_speed, "POOL_THREADS", 1)
    assert len(_conv_speed.pool_chunks(x)) == 1
    one = POOLS[mode](3, 2)
    np.testing.assert_array_equal(one(x), y)
    np.testing.assert_array_equal(one.backward(g), dx)


def test_conv2d_gives_the_same_bits_on_one_thread_and_on_two(monkeypatch):
    # from two chunks of columns on, a convolution's chunks go to two threads, each with
    # its own share of dW, added in chunk order: the threads must not change a bit. BLAS
    # runs on one thread in both runs: with two, OpenBLAS may split a large product
    # differently and round it differently, threads of ours or not
    from threadpoolctl import threadpool_limits

    x = rng(13).standard_normal((48, 4, 20, 20))       # 3 chunks of columns: 18, 18, 12
    g = rng(14).standard_normal((48, 5, 20, 20))
    ran_on, columns = set(), conv._columns             # the threads that made columns
    monkeypatch.setattr(conv, "_columns", lambda windows: ran_on.add(
        threading.current_thread().name) or columns(windows))

    def run():
        ran_on.clear()
        layer = conv_with_bias(4, 5, 3, padding=1, seed=15)
        return layer(x), layer.backward(g), layer.W.grad, layer.b.grad

    with threadpool_limits(limits=1, user_api="blas"):
        assert len(_conv_speed.conv_chunks(conv._windows(x, 3, 1, 1))) == 3
        threaded = run()
        assert ran_on and all(name.startswith("nnlib-pool") for name in ran_on)
        monkeypatch.setattr(_conv_speed, "POOL_THREADS", 1)
        one = run()
        assert ran_on == {threading.current_thread().name}
    for a, b in zip(one, threaded, strict=True):
        np.testing.assert_array_equal(a, b)
    monkeypatch.setattr(_conv_speed, "CHUNK_BYTES", 1 << 30)   # and the numbers of one chunk
    for a, b in zip(run(), threaded, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=ATOL)


def test_threaded_conv2d_gives_back_the_blas_threads():
    # the chunks' matrix products run on one BLAS thread each; afterwards BLAS has its own again
    from threadpoolctl import threadpool_info

    before = [lib["num_threads"] for lib in threadpool_info()]
    layer = Conv2D(4, 5, 3, padding=1, rng=0)
    layer(rng().standard_normal((48, 4, 20, 20)))
    layer.backward(np.ones((48, 5, 20, 20)))
    assert [lib["num_threads"] for lib in threadpool_info()] == before


def test_min_pool_is_minus_max_pool_of_minus_x():
    x = rng().standard_normal((2, 3, 6, 6))
    np.testing.assert_array_equal(MinPool2D(3, 2)(x), -MaxPool2D(3, 2)(-x))


def test_pool_stride_defaults_to_kernel_size_and_drops_the_remainder():
    assert MaxPool2D(3).stride == 3
    assert AvgPool2D(2)(np.ones((1, 1, 5, 7))).shape == (1, 1, 2, 3)


# -- convolve2d and the named kernels ----------------------------------------------------------

def test_edge_kernel_is_the_notes_E():
    np.testing.assert_array_equal(EDGE_KERNEL, [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
    assert KERNELS["edge"] is EDGE_KERNEL
    assert set(KERNELS) == {"edge", "blur", "sharpen", "sobel_x", "sobel_y", "identity"}
    assert KERNELS["blur"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        EDGE_KERNEL[0, 0] = 5.0      # shared constants are read-only


def test_edge_kernel_is_zero_on_a_flat_image():
    out = convolve2d(np.full((6, 7), 3.0), EDGE_KERNEL, padding=1)
    assert out.shape == (6, 7)
    np.testing.assert_array_equal(out[1:-1, 1:-1], 0.0)
    # at the zero-padded border the image looks like an edge: a corner sees 3 of 8 neighbours
    assert out[0, 0] == 8 * 3 - 3 * 3


def test_identity_and_sobel_kernels():
    image = rng().standard_normal((5, 6))
    np.testing.assert_array_equal(convolve2d(image, KERNELS["identity"], padding=1), image)
    ramp = np.tile(np.arange(6.0), (5, 1))                 # brighter to the right
    np.testing.assert_array_equal(convolve2d(ramp, KERNELS["sobel_x"]), 8.0)
    np.testing.assert_array_equal(convolve2d(ramp, KERNELS["sobel_y"]), 0.0)


@PROPERTY
@given(st.integers(3, 8), st.integers(3, 8), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 2), st.integers(0, 10**6))
def test_convolve2d_is_a_one_channel_conv2d(h, w, k, stride, padding, seed):
    image = rng(seed).standard_normal((h, w))
    kernel = rng(seed + 1).standard_normal((k, k))
    conv = Conv2D(1, 1, k, stride, padding)
    conv.W.value[0, 0] = kernel
    np.testing.assert_allclose(convolve2d(image, kernel, stride, padding),
                               conv(image[None, None])[0, 0], rtol=0, atol=ATOL)


# -- dtype, caching, accumulation ------------------------------------------------------------

def test_float32_is_kept():
    conv = Conv2D(2, 3, 3, padding=1, rng=0, dtype=np.float32)
    assert conv.W.value.dtype == np.float32 and conv.b.value.dtype == np.float32
    y = conv(rng().standard_normal((2, 2, 5, 5)))               # float64 input is cast
    assert y.dtype == np.float32
    dx = conv.backward(np.ones(y.shape))
    assert dx.dtype == conv.W.grad.dtype == conv.b.grad.dtype == np.float32
    x32 = rng().standard_normal((2, 3, 4, 4)).astype(np.float32)
    for pool in (MaxPool2D(2), AvgPool2D(2), MinPool2D(2)):
        out = pool(x32)
        assert out.dtype == np.float32
        assert pool.backward(np.ones(out.shape, dtype=np.float32)).dtype == np.float32
    assert convolve2d(x32[0, 0], KERNELS["blur"].astype(np.float32)).dtype == np.float32


def test_integer_input_becomes_float64():
    assert Conv2D(1, 1, 2, rng=0)(np.ones((1, 1, 3, 3), dtype=int)).dtype == np.float64
    assert MaxPool2D(2)(np.ones((1, 1, 2, 2), dtype=int)).dtype == np.float64


def test_conv2d_gradients_accumulate_until_zero_grad():
    conv = conv_with_bias(2, 2, 3, padding=1)
    x = rng().standard_normal((2, 2, 4, 4))
    g = rng(1).standard_normal((2, 2, 4, 4))
    conv(x)
    conv.backward(g)
    once = [p.grad.copy() for p in conv.parameters()]
    conv(x)
    conv.backward(g)
    for p, first in zip(conv.parameters(), once, strict=True):
        np.testing.assert_allclose(p.grad, 2 * first, rtol=1e-12)   # exact up to one rounding
    conv.zero_grad()
    assert not any(p.grad.any() for p in conv.parameters())


def test_forward_leaves_the_input_alone():
    x = rng().standard_normal((1, 2, 5, 5))
    copy = x.copy()
    conv = Conv2D(2, 2, 3, padding=1, rng=0)
    conv.backward(np.ones(conv(x).shape))
    pool = MaxPool2D(2, 1)
    pool.backward(np.ones(pool(x).shape))
    np.testing.assert_array_equal(x, copy)


# -- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, match", [
    (dict(in_channels=0), ValueError, "Conv2D in_channels must be >= 1, got 0"),
    (dict(out_channels=-2), ValueError, "Conv2D out_channels must be >= 1"),
    (dict(kernel_size=0), ValueError, "Conv2D kernel_size must be >= 1"),
    (dict(kernel_size=(3, 3)), TypeError, "Conv2D kernel_size must be an integer"),
    (dict(stride=0), ValueError, "Conv2D stride must be >= 1"),
    (dict(padding=-1), ValueError, "Conv2D padding must be >= 0, got -1"),
    (dict(padding=1.5), TypeError, "Conv2D padding must be an integer"),
    (dict(init="uniform"), ValueError, "init must be one of"),
    (dict(rng="seed"), TypeError, "rng must be"),
    (dict(dtype=np.int64), TypeError, "Conv2D dtype must be a floating dtype"),
])
def test_conv2d_rejects_bad_arguments(kwargs, error, match):
    args = dict(in_channels=1, out_channels=2, kernel_size=3) | kwargs
    with pytest.raises(error, match=match):
        Conv2D(**args)


@pytest.mark.parametrize("x, error, match", [
    (np.zeros((8, 1, 28, 28)), ValueError,
     r"Conv2D expected input of shape \(N, 3, H, W\), got \(8, 1, 28, 28\)"),
    (np.zeros((3, 28, 28)), ValueError, r"Conv2D expected input of shape \(N, 3, H, W\)"),
    (np.zeros((1, 3, 2, 9)), ValueError,
     r"Conv2D kernel_size 5 is larger than the padded input: input height 2 \+ 2\*padding 1"),
    (np.zeros((1, 3, 9, 2)), ValueError, "kernel_size 5 is larger .* input width 2"),
    ("image", TypeError, "Conv2D input must be an array of numbers"),
    (np.zeros((1, 3, 9, 9), dtype=complex), TypeError, "Conv2D input must hold real numbers"),
])
def test_conv2d_forward_rejects_bad_input(x, error, match):
    with pytest.raises(error, match=match):
        Conv2D(3, 2, 5, padding=1, rng=0)(x)


@pytest.mark.parametrize("cls", [Conv2D, MaxPool2D])
def test_backward_before_forward(cls):
    layer = Conv2D(1, 1, 3) if cls is Conv2D else MaxPool2D(2)
    with pytest.raises(ValueError, match=f"{cls.__name__}.backward called before forward"):
        layer.backward(np.ones((1, 1, 2, 2)))


@pytest.mark.parametrize("layer", [Conv2D(1, 2, 3, rng=0), MaxPool2D(2), AvgPool2D(2),
                                   MinPool2D(2)])
def test_backward_rejects_a_grad_out_of_the_wrong_shape(layer):
    y = layer(np.ones((2, 1, 4, 4)))
    with pytest.raises(ValueError, match=rf"expected grad_out of shape \({y.shape[0]}, "):
        layer.backward(np.ones((2, 1, 5, 5)))
    with pytest.raises(TypeError, match="grad_out must be an array of numbers"):
        layer.backward(None)


@pytest.mark.parametrize("cls", list(POOLS.values()))
def test_pools_reject_bad_arguments_and_input(cls):
    name = cls.__name__
    with pytest.raises(ValueError, match=f"{name} kernel_size must be >= 1"):
        cls(0)
    with pytest.raises(ValueError, match=f"{name} stride must be >= 1"):
        cls(2, stride=0)
    with pytest.raises(TypeError, match=f"{name} kernel_size must be an integer"):
        cls(2.0)
    with pytest.raises(ValueError, match=rf"{name} expected input of shape \(N, C, H, W\), "
                                         r"got \(4, 4\)"):
        cls(2)(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=f"{name} kernel_size 3 is larger than the input: "
                                         "input width 2"):
        cls(3)(np.zeros((1, 1, 5, 2)))


@pytest.mark.parametrize("args, error, match", [
    ((np.zeros((1, 5, 5)), EDGE_KERNEL), ValueError, "convolve2d image must be 2-D"),
    ((np.zeros((5, 5)), np.zeros((3, 2))), ValueError,
     r"convolve2d kernel must be square \(k, k\), got shape \(3, 2\)"),
    ((np.zeros((5, 5)), np.zeros(3)), ValueError, "convolve2d kernel must be 2-D"),
    ((np.zeros((5, 5)), EDGE_KERNEL, 0), ValueError, "convolve2d stride must be >= 1"),
    ((np.zeros((5, 5)), EDGE_KERNEL, 1, -1), ValueError, "convolve2d padding must be >= 0"),
    ((np.zeros((2, 5)), EDGE_KERNEL), ValueError,
     "convolve2d kernel_size 3 is larger than the padded input: image height 2"),
    (("photo.png", EDGE_KERNEL), TypeError, "convolve2d image must be an array of numbers"),
])
def test_convolve2d_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        convolve2d(*args)


def test_reference_rejects_an_unknown_pool_mode():
    with pytest.raises(ValueError, match="mode must be one of"):
        pool2d_loops(np.zeros((1, 1, 2, 2)), 2, mode="median")
