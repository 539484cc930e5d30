"""Convolutions and pooling (chapter "Convolutions and pooling", notes §7 and §7.1).

A ``k × k`` convolution slides a ``k × k × C`` block of shared weights ``W`` over the
image with stride ``s``; each output entry is the linear combination of one window with
``W`` plus a bias ``b``. Pooling slides a window too, but applies a fixed function
(max, mean, min) instead of learned weights.

Everything here is written over the *windows* of the input: ``_windows`` views the
zero-padded input ``x (N, C, H, W)`` as all its ``k × k`` windows without copying, shape
``(N, C, H', W', k, k)``, and ``_add_to_windows`` is its adjoint: it adds a gradient of
every window back onto the input, where the window came from.

**Convolution** (``Conv2D``, ``convolve2d``). With each image's windows laid out as the
columns of a matrix (``_columns``, "im2col", ``(C·k·k, H'·W')``) and the filters as the
rows of ``W_rows (out, C·k·k)``, forward and backward are three matrix products and a sum,
for every image ``n`` (``g = ∂E/∂y``)::

    y_n        = W_rows @ columns_n + b          (out, H'·W')     forward
    ∂E/∂W      = Σ_n g_n @ columns_nᵀ             (out, C·k·k)     backward
    ∂E/∂b      = Σ_n Σ_(h,w) g_n                  (out,)
    ∂E/∂window = W_rowsᵀ @ g_n                    (C·k·k, H'·W')   added onto x (_add_to_windows)

**Pooling** (``MaxPool2D``, ``AvgPool2D``, ``MinPool2D``). The max, min or sum of a
window is the max, min or sum of its rows' ones, so a pooling is a 1-D pooling along the
rows (``_pool_axis``), then one along the columns, each combining ``k`` shifted views of
the input; backward undoes the two steps in reverse order (``_route``: the gradient of a
max or min goes to the window's first extreme entry, that of a sum to every entry).

Only the kernel offsets (and chunks of images) are looped over in Python. How a batch is
cut into chunks of a few images, the chunks spread over two threads, and BLAS held to one
thread meanwhile, is the business of ``nnlib._conv_speed``; none of it changes a bit
of the results.

Forward keeps views of its input (and a pooling its output) for backward, as every
layer here keeps its cache: change neither in place between forward and backward.

As in PyTorch (and every deep-learning library), "convolution" here is
cross-correlation: the kernel is not flipped. ``Conv2D`` gives the same numbers as
``torch.nn.functional.conv2d`` and the pools those of ``torch``'s ``max_pool2d`` /
``avg_pool2d`` for the same arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _conv_speed as speed
from ._checks import as_array, positive_int
from .layers import Module, Parameter, init_weights

__all__ = ["conv_output_size", "Conv2D", "MaxPool2D", "AvgPool2D", "MinPool2D",
           "convolve2d", "EDGE_KERNEL", "KERNELS"]


def _kernel(rows) -> np.ndarray:
    k = np.array(rows, dtype=np.float64)
    k.setflags(write=False)  # shared constants: nobody may change them by accident
    return k


#: Named 3×3 kernels for :func:`convolve2d` and the book's explorer. ``"edge"`` is the
#: notes' ``E``: 8 × the centre minus its 8 neighbours, zero wherever the image is flat.
#: Applied as cross-correlation, ``"sobel_x"`` is positive where the image gets brighter
#: to the right and ``"sobel_y"`` where it gets brighter downwards.
KERNELS: dict[str, np.ndarray] = {
    "edge": _kernel([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    "blur": _kernel(np.ones((3, 3)) / 9),
    "sharpen": _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "sobel_x": _kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "identity": _kernel([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
}
#: The notes' edge-detection kernel ``E`` (equation 1).
EDGE_KERNEL: np.ndarray = KERNELS["edge"]


# -- validation ------------------------------------------------------------------------

def _check_fits(size: int, kernel_size: int, padding: int | None, what: str,
                owner: str = "") -> None:
    """The kernel must fit into the padded input: ``k <= size + 2p`` (``padding=None``: pools)."""
    if kernel_size > size + 2 * (padding or 0):
        where = f"{owner} " if owner else ""
        if padding is None:
            raise ValueError(f"{where}kernel_size {kernel_size} is larger than the input: "
                             f"{what} {size}")
        raise ValueError(f"{where}kernel_size {kernel_size} is larger than the padded input: "
                         f"{what} {size} + 2*padding {padding} = {size + 2 * padding}")


def _check_images(x, owner: str, channels: int | None = None) -> np.ndarray:
    """Return ``x`` as a float array of shape ``(N, C, H, W)``, with ``C == channels`` if given."""
    x = as_array(x, "input", owner=owner)
    if x.ndim != 4 or (channels is not None and x.shape[1] != channels):
        want = "C" if channels is None else channels
        raise ValueError(f"{owner} expected input of shape (N, {want}, H, W), got {x.shape}")
    return x


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    """Length of a convolution's or pooling's output along one axis.

    ``floor((size + 2p - k) / s) + 1``: the number of positions of a ``k``-wide window
    that slides in steps of ``s`` over ``size`` entries padded by ``p`` zeros on each side.

    >>> conv_output_size(28, 3, padding=1)     # padding (k-1)/2 keeps the size
    28
    >>> conv_output_size(28, 2, stride=2)      # 2×2 pooling halves it
    14
    """
    size = positive_int(size, "size")
    kernel_size = positive_int(kernel_size, "kernel_size")
    stride = positive_int(stride, "stride")
    padding = positive_int(padding, "padding", minimum=0)
    _check_fits(size, kernel_size, padding, "size")
    return (size + 2 * padding - kernel_size) // stride + 1


# -- windows ----------------------------------------------------------------------------

def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    """Zero-pad the two spatial axes of ``(N, C, H, W)``."""
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def _windows(x: np.ndarray, kernel_size: int, stride: int, padding: int = 0) -> np.ndarray:
    """Every ``k × k`` window of the padded ``x (N, C, H, W)``, as a read-only view.

    Returns shape ``(N, C, H', W', k, k)`` with ``H' = conv_output_size(H, k, s, p)``;
    entry ``[n, c, h, w, i, j]`` is ``x_padded[n, c, h·s + i, w·s + j]``. No copy is made.
    """
    view = sliding_window_view(_pad(x, padding), (kernel_size, kernel_size), axis=(2, 3))
    return view[:, :, ::stride, ::stride]


def _offsets(kernel_size: int) -> list[tuple[int, int]]:
    """The kernel offsets ``(i, j)`` of a window, in row-major order."""
    return [(i, j) for i in range(kernel_size) for j in range(kernel_size)]


def _add_to_windows(out: np.ndarray, per_offset: Iterable[np.ndarray], kernel_size: int,
                    stride: int) -> np.ndarray:
    """The adjoint of ``_windows`` (without the padding): add window gradients back.

    ``per_offset`` gives, for each kernel offset ``(i, j)`` in row-major order, the
    gradient of every window's entry ``(i, j)``, shape ``(N, C, H', W')``; it is added to
    ``out[n, c, h·s + i, w·s + j]`` (``out`` is the padded input's shape). Overlapping
    windows (``s < k``) accumulate. Only the ``k × k`` offsets are looped over in Python.
    """
    for (i, j), grad in zip(_offsets(kernel_size), per_offset, strict=True):
        h_out, w_out = grad.shape[2:]
        out[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride] += grad
    return out


def _columns(windows: np.ndarray) -> np.ndarray:
    """Each window as one column ("im2col"): ``(N, C, H', W', k, k) -> (N, C·k·k, H'·W')``.

    Column ``h·W' + w`` of image ``n`` lists window ``(h, w)`` in the order of a filter's
    weights ``W[o]`` (channel, row, column), so that one matrix product applies every
    filter to every window. This is the only copy of the input a convolution makes: it
    is ``k²/s²`` times as large, so it is made for a few images at a time
    (``_conv_speed.conv_chunks``).
    """
    N, C, h_out, w_out, k, _ = windows.shape
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(N, C * k * k, h_out * w_out)


# -- convolution ------------------------------------------------------------------------

def _correlate(windows: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``y[n, o, h, w] = Σ_{c,i,j} W[o, c, i, j] · window[n, c, h, w, i, j] + b[o]``.

    As a matrix product for each image: ``y_n = W_rows @ columns_n + b``, the filters as
    rows ``W_rows (out, C·k·k)`` times the windows as columns ``(C·k·k, H'·W')``.
    Shapes: ``windows (N, C, H', W', k, k)``, ``W (out, C, k, k)``, ``b (out,)``
    ``-> y (N, out, H', W')``.
    """
    N, _, h_out, w_out = windows.shape[:4]
    W_rows = W.reshape(len(W), -1)                                   # (out, C·k·k)
    y = np.empty((N, len(W), h_out * w_out), dtype=np.result_type(windows, W))

    def forward(images: slice) -> None:                 # a few images at a time
        y_n = y[images]                                             # (n, out, H'·W'), a view
        np.matmul(W_rows, _columns(windows[images]), out=y_n)
        y_n += b[:, None]

    speed.each_chunk(forward, speed.conv_chunks(windows), matrix_products=True)
    return y.reshape(N, len(W), h_out, w_out)


class Conv2D(Module):
    """2-D convolution (cross-correlation) with zero padding.

    Each of the ``out_channels`` filters is a ``k × k × C`` block of weights ``W`` shared
    over all positions (the notes' ``k × k × c`` tensor) plus one bias ``b``:

        ``y[n, o, h, w] = Σ_{c, i, j} W[o, c, i, j] · x_pad[n, c, h·s + i, w·s + j] + b[o]``

    Parameters
    ----------
    in_channels, out_channels : int
        ``C`` of the input and of the output.
    kernel_size : int
        ``k`` (square kernels).
    stride : int, default 1
        ``s``, the step between windows.
    padding : int, default 0
        ``p`` zeros added on each side; ``p = (k-1)/2`` with ``s = 1`` keeps ``H`` and ``W``.
    init : {"he", "xavier", "normal"}
        How ``W`` is drawn (see :func:`nnlib.layers.init_weights`, fan-in ``C·k²``,
        fan-out ``out·k²``); ``b`` starts at zero.
    rng : numpy.random.Generator or int, optional
    dtype : numpy floating dtype, default float64

    Shapes: ``x (N, C, H, W)``, ``W (out, C, k, k)``, ``b (out,)``,
    ``y (N, out, H', W')`` with ``H' = floor((H + 2p - k)/s) + 1`` (:func:`conv_output_size`).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, *, init: str = "he", rng=None, dtype=np.float64) -> None:
        super().__init__()
        self.in_channels = positive_int(in_channels, "in_channels", owner="Conv2D")
        self.out_channels = positive_int(out_channels, "out_channels", owner="Conv2D")
        self.kernel_size = positive_int(kernel_size, "kernel_size", owner="Conv2D")
        self.stride = positive_int(stride, "stride", owner="Conv2D")
        self.padding = positive_int(padding, "padding", minimum=0, owner="Conv2D")
        if np.dtype(dtype).kind != "f":
            raise TypeError(f"Conv2D dtype must be a floating dtype, got {np.dtype(dtype)}")
        k = self.kernel_size
        shape = (self.out_channels, self.in_channels, k, k)
        self.W = Parameter(init_weights(shape, self.in_channels * k * k, self.out_channels * k * k,
                                        init, rng, dtype), "W", decay=True)
        self.b = Parameter(np.zeros(self.out_channels, dtype=dtype), "b", decay=False)
        self._windows: np.ndarray | None = None
        self._x_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``x (N, C, H, W) -> y (N, out, H', W')``; keeps the windows of ``x`` for backward.

        ``y_n = W_rows @ columns_n + b`` for every image (``_correlate``).
        """
        x = _check_images(x, "Conv2D", self.in_channels)
        _check_fits(x.shape[2], self.kernel_size, self.padding, "input height", "Conv2D")
        _check_fits(x.shape[3], self.kernel_size, self.padding, "input width", "Conv2D")
        x = x.astype(self.W.value.dtype, copy=False)
        self._x_shape = x.shape
        self._windows = _windows(x, self.kernel_size, self.stride, self.padding)
        return _correlate(self._windows, self.W.value, self.b.value)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``g = ∂E/∂y (N, out, H', W') -> ∂E/∂x (N, C, H, W)``; adds ``∂E/∂W``, ``∂E/∂b``.

        ``∂E/∂W[o,c,i,j] = Σ_{n,h,w} g[n,o,h,w] · window[n,c,h,w,i,j]`` (``Σ_n g_n @ columns_nᵀ``),
        ``∂E/∂b[o] = Σ_{n,h,w} g[n,o,h,w]``, and
        ``∂E/∂window[n,c,h,w,i,j] = Σ_o W[o,c,i,j] · g[n,o,h,w]`` (``W_rowsᵀ @ g_n``), added
        back onto the padded input where each window came from, which is then cropped.
        """
        windows = self._cached("_windows")
        N, C, H, Wd = self._x_shape
        h_out, w_out = windows.shape[2:4]
        k, s, p = self.kernel_size, self.stride, self.padding
        g = self._check_grad(grad_out, (N, self.out_channels, h_out, w_out))
        g = g.astype(self.W.value.dtype, copy=False).reshape(N, self.out_channels, -1)
        W_rows = self.W.value.reshape(self.out_channels, -1)     # (out, C·k·k)
        dx_pad = np.zeros((N, C, H + 2 * p, Wd + 2 * p), dtype=g.dtype)

        def backward(images: slice) -> np.ndarray:       # a few images at a time
            g_n = g[images]                                      # (n, out, H'·W')
            # ∂E/∂W: g times the columnsᵀ (made again: cheaper than keeping k²/s² copies of x)
            dW_n = (g_n @ _columns(windows[images]).transpose(0, 2, 1)).sum(axis=0)
            # ∂E/∂window: W_rowsᵀ times g, added back onto x
            d_windows = (W_rows.T @ g_n).reshape(-1, C, k * k, h_out, w_out)
            _add_to_windows(dx_pad[images], np.moveaxis(d_windows, 2, 0), k, s)
            return dW_n                                          # these images' share of ∂E/∂W

        dW_shares = speed.each_chunk(backward, speed.conv_chunks(windows), matrix_products=True)
        self.W.grad += sum(dW_shares).reshape(self.W.value.shape)   # added in chunk order
        self.b.grad += g.sum(axis=(0, 2))
        return dx_pad[:, :, p:p + H, p:p + Wd]

    def __repr__(self) -> str:
        return (f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding})")


def convolve2d(image: np.ndarray, kernel: np.ndarray, stride: int = 1,
               padding: int = 0) -> np.ndarray:
    """Cross-correlate one grey image ``(H, W)`` with one kernel ``(k, k)``, e.g. the notes' ``E``.

    The same computation as a one-channel :class:`Conv2D` without bias. Returns an array
    of shape ``(H', W')``, ``H' = floor((H + 2p - k)/s) + 1``.

    >>> convolve2d(np.ones((5, 5)), EDGE_KERNEL)    # a flat image has no edges
    array([[0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    """
    image = as_array(image, "image", ndim=2, owner="convolve2d")
    kernel = as_array(kernel, "kernel", ndim=2, owner="convolve2d")
    if kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"convolve2d kernel must be square (k, k), got shape {kernel.shape}")
    stride = positive_int(stride, "stride", owner="convolve2d")
    padding = positive_int(padding, "padding", minimum=0, owner="convolve2d")
    k = kernel.shape[0]
    for size, what in zip(image.shape, ("image height", "image width"), strict=True):
        _check_fits(size, k, padding, what, "convolve2d")
    dtype = np.result_type(image, kernel)
    windows = _windows(image[None, None].astype(dtype, copy=False), k, stride, padding)
    return _correlate(windows, kernel[None, None].astype(dtype, copy=False),
                      np.zeros(1, dtype=dtype))[0, 0]


# -- pooling ------------------------------------------------------------------------------

def _along(x: np.ndarray, axis: int, start: int, stride: int, count: int) -> np.ndarray:
    """The view ``x[..., start + stride·o, ...]`` along ``axis``, ``o = 0 … count-1``."""
    index = [slice(None)] * x.ndim
    index[axis] = slice(start, start + stride * (count - 1) + 1, stride)
    return x[tuple(index)]


def _pool_axis(x: np.ndarray, kernel_size: int, stride: int, axis: int, combine: Callable,
               out: np.ndarray) -> None:
    """1-D pooling along ``axis`` into ``out``: ``out[.., o, ..] = combine_i x[.., o·s + i, ..]``.

    ``combine`` (``np.maximum``, ``np.minimum`` or ``np.add``) folds in the offsets
    ``i = 0 … k-1`` one at a time, in increasing order. ``out`` has
    ``floor((L - k)/s) + 1`` entries along ``axis`` where ``x`` has ``L``.
    """
    count = out.shape[axis]
    np.copyto(out, _along(x, axis, 0, stride, count))
    for i in range(1, kernel_size):
        combine(out, _along(x, axis, i, stride, count), out=out)


def _negative_zeros_to_zero(x: np.ndarray) -> None:
    """Turn every -0.0 of ``x`` into 0.0, in place, and change nothing else: ``v + 0.0`` is
    ``v`` for every other ``v``, and ``-0.0 + 0.0`` is 0.0. So an entry of a pool's input
    gradient that no window selects is 0.0, as in torch and as where windows overlap (the
    gradient is added onto zeros there), never -0.0, which numpy prints as "-0."."""
    x += 0.0


class _Pool2D(Module):
    """What the pools share: a fixed function ``φ`` of each ``k × k`` window.

    ``φ: R^{k×k} → R`` acts on the ``k²`` entries of a window (the notes write ``R^k``),
    channel by channel; stride ``s`` defaults to ``k`` (windows side by side), and there is
    no padding. The three ``φ`` (max, min, sum) are *separable*: ``φ`` of a window is ``φ``
    of the ``φ``s of its rows. So forward is a 1-D pooling along the rows of the image
    (``_pool_axis`` with the subclass's ``_combine``), then one along its columns: ``2k``
    numpy calls instead of ``k²``. Backward undoes the two steps in reverse order with the
    subclass's ``_route``, the 1-D rule for how the gradient of a window's output reaches
    its entries.

    Shapes: ``x (N, C, H, W) -> rows (N, C, H, W') -> y (N, C, H', W')``,
    ``H' = floor((H - k)/s) + 1``.
    """

    _combine: Callable   # np.maximum, np.minimum or np.add, set by the subclasses

    def __init__(self, kernel_size: int, stride: int | None = None) -> None:
        super().__init__()
        name = type(self).__name__
        self.kernel_size = positive_int(kernel_size, "kernel_size", owner=name)
        self.stride = (self.kernel_size if stride is None
                       else positive_int(stride, "stride", owner=name))
        self._x: np.ndarray | None = None       # input, rows' pooling and output, for backward
        self._rows: np.ndarray | None = None
        self._y: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``x (N, C, H, W) -> y (N, C, H', W')``: pool along the rows, then the columns."""
        name = type(self).__name__
        x = _check_images(x, name)
        _check_fits(x.shape[2], self.kernel_size, None, "input height", name)
        _check_fits(x.shape[3], self.kernel_size, None, "input width", name)
        k, s = self.kernel_size, self.stride
        N, C, H, W = x.shape
        h_out, w_out = (H - k) // s + 1, (W - k) // s + 1
        self._x = x
        self._rows = np.empty((N, C, H, w_out), dtype=x.dtype)
        pooled = np.empty((N, C, h_out, w_out), dtype=x.dtype)

        def forward(images: slice) -> None:              # a few images at a time
            _pool_axis(x[images], k, s, 3, self._combine, self._rows[images])     # rows
            _pool_axis(self._rows[images], k, s, 2, self._combine, pooled[images])  # columns

        speed.each_chunk(forward, speed.pool_chunks(x))
        self._y = self._finish(pooled)
        return self._y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``g = ∂E/∂y (N, C, H', W') -> ∂E/∂x (N, C, H, W)``: route ``g`` back through the
        columns' step, then the rows'; overlapping windows add up."""
        y = self._cached("_y")
        g = self._finish_backward(self._check_grad(grad_out, y.shape))
        dx = np.zeros(self._x.shape, dtype=g.dtype)

        def backward(images: slice) -> None:             # a few images at a time
            rows = self._rows[images]
            d_rows = np.zeros(rows.shape, dtype=g.dtype)                 # (n, C, H, W')
            self._route(rows, y[images], g[images], 2, d_rows)           # columns: y from rows
            self._route(self._x[images], rows, d_rows, 3, dx[images])    # rows: rows from x

        speed.each_chunk(backward, speed.pool_chunks(self._x))
        return dx

    def _finish(self, pooled: np.ndarray) -> np.ndarray:
        """The output from the pooled ``φ`` (the mean divides the sum by ``k²``)."""
        return pooled

    def _finish_backward(self, g: np.ndarray) -> np.ndarray:
        """The adjoint of ``_finish``: ``∂E/∂y`` as the gradient of the pooled ``φ``."""
        return g

    def _route(self, values: np.ndarray, pooled: np.ndarray, grad: np.ndarray,
               axis: int, out: np.ndarray) -> None:
        """The adjoint of one 1-D pooling along ``axis``: ``grad`` (shaped like ``pooled``,
        the 1-D pooling of ``values``) added into ``out`` (zeros, shaped like ``values``)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class _SelectPool2D(_Pool2D):
    """A pool that selects one entry per window (max or min); the gradient goes there only.

    Ties: the selected entry is the *first* extreme one in row-major order within the
    window (``np.argmax``'s choice, and torch's), so the whole gradient goes to it. A
    window holding NaN has NaN as its output and passes no gradient. The two 1-D steps
    keep this: backward picks the first row of the window that holds its extreme value,
    then the first entry of that row that does.
    """

    def _route(self, values: np.ndarray, pooled: np.ndarray, grad: np.ndarray,
               axis: int, out: np.ndarray) -> None:
        """``out[.., o·s + i, ..] += grad[.., o, ..] · [entry i is the first of window o
        equal to its output]``, offset by offset, ``i = 0 … k-1``.

        An infinite or NaN gradient times 0 is NaN: it reaches the window's other entries
        as NaN.
        """
        k, s, count = self.kernel_size, self.stride, pooled.shape[axis]
        found = np.zeros(pooled.shape, dtype=bool)    # windows whose entry is selected already
        for i in range(k):
            first = (_along(values, axis, i, s, count) == pooled) & ~found
            found |= first
            d_entries = _along(out, axis, i, s, count)     # a view into out
            if s >= k:       # windows apart: an entry is in one window at most, and still 0
                np.multiply(grad, first, out=d_entries)
            else:            # overlapping windows: an entry adds up what each window sends
                d_entries += grad * first
        if s >= k:
            _negative_zeros_to_zero(out)   # a negative gradient times 0 wrote -0.0


class MaxPool2D(_SelectPool2D):
    """Max pooling: ``y = max`` of each ``k × k`` window, per channel.

    Parameters
    ----------
    kernel_size : int
        ``k``.
    stride : int, optional
        ``s``; defaults to ``k``.

    Backward: the gradient of a window goes to its maximum; with ties, to the first
    maximal entry in row-major order within the window (as torch does). Overlapping
    windows (``s < k``) that share a maximum add their gradients.
    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')``, ``H' = floor((H - k)/s) + 1``.
    """

    _combine = staticmethod(np.maximum)


class MinPool2D(_SelectPool2D):
    """Min pooling: ``y = min`` of each ``k × k`` window, per channel; equals ``-MaxPool2D(-x)``.

    Parameters
    ----------
    kernel_size : int
        ``k``.
    stride : int, optional
        ``s``; defaults to ``k``.

    Backward: the gradient of a window goes to its minimum; with ties, to the first
    minimal entry in row-major order within the window (as ``-max_pool2d(-x)`` in torch).
    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')``, ``H' = floor((H - k)/s) + 1``.
    """

    _combine = staticmethod(np.minimum)


class AvgPool2D(_Pool2D):
    """Average (mean) pooling: ``y`` = mean of each ``k × k`` window, per channel.

    Parameters
    ----------
    kernel_size : int
        ``k``.
    stride : int, optional
        ``s``; defaults to ``k``.

    Backward: each entry of a window receives ``g / k²``. The sum is taken row by row, then
    over the rows (the pools are separable), so it may differ in the last bit from adding
    the ``k²`` entries left to right; so may the gradient where overlapping windows add up.
    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')``, ``H' = floor((H - k)/s) + 1``.
    """

    _combine = staticmethod(np.add)

    def _finish(self, pooled: np.ndarray) -> np.ndarray:
        return pooled / self.kernel_size ** 2      # the sum, then the mean

    def _finish_backward(self, g: np.ndarray) -> np.ndarray:
        return g / self.kernel_size ** 2           # each entry's share of the mean

    def _route(self, values: np.ndarray, pooled: np.ndarray, grad: np.ndarray,
               axis: int, out: np.ndarray) -> None:
        """``out[.., o·s + i, ..] += grad[.., o, ..]`` for every offset ``i`` (a sum's
        adjoint: every entry of a window receives the window's gradient)."""
        k, s, count = self.kernel_size, self.stride, pooled.shape[axis]
        for i in range(k):
            d_entries = _along(out, axis, i, s, count)     # a view: writes into out
            if s >= k:       # windows apart: an entry is in one window at most, and still 0
                np.copyto(d_entries, grad)
            else:            # overlapping windows: an entry adds up what each window sends
                d_entries += grad
