"""Convolutions and pooling (chapter "Convolutions and pooling", notes §7 and §7.1).

A ``k × k`` convolution slides a ``k × k × C`` block of shared weights ``W`` over the
image with stride ``s``; each output entry is the linear combination of one window with
``W`` plus a bias ``b``. Pooling slides a window too, but applies a fixed function
(max, mean, min) instead of learned weights.

Everything here is built on one core: :func:`_windows` views the (zero-padded) input
as all its ``k × k`` windows without copying, shape ``(N, C, H', W', k, k)``, and
:func:`_scatter_windows` is its adjoint, summing per-window gradients back onto the
input. Only the ``k × k`` kernel offsets are looped over in Python.

As in PyTorch (and every deep-learning library), "convolution" here is
cross-correlation: the kernel is not flipped. ``Conv2D`` gives the same numbers as
``torch.nn.functional.conv2d`` and the pools those of ``torch``'s ``max_pool2d`` /
``avg_pool2d`` for the same arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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


# -- the windowed core -------------------------------------------------------------------

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


def _scatter_windows(contribution: Callable[[int, int], np.ndarray], shape: tuple[int, ...],
                     kernel_size: int, stride: int, dtype) -> np.ndarray:
    """The adjoint of :func:`_windows` (without the padding): add window gradients back.

    ``contribution(i, j)`` gives, for every window ``(n, c, h, w)``, the gradient of the
    window's entry at kernel offset ``(i, j)``, shape ``(N, C, H', W')``; it is added to
    ``x[n, c, h·s + i, w·s + j]``. Overlapping windows (``s < k``) accumulate. Returns an
    array of ``shape`` (the padded input's).
    """
    dx = np.zeros(shape, dtype=dtype)
    for i in range(kernel_size):
        for j in range(kernel_size):
            g = contribution(i, j)
            h_out, w_out = g.shape[2:]
            dx[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride] += g
    return dx


def _correlate(windows: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``out[n, o, h, w] = Σ_{c,i,j} W[o, c, i, j] · window[n, c, h, w, i, j] + b[o]``."""
    # einsum(optimize=True) beat tensordot on the same view by 1.1-2x in our measurements;
    # both copy the windows into one (N·H'·W', C·k·k) matrix for a single matrix product.
    return np.einsum("nchwij,ocij->nohw", windows, W, optimize=True) + b[:, None, None]


# -- convolution ------------------------------------------------------------------------

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
        """``x (N, C, H, W) -> y (N, out, H', W')``; keeps the windows of ``x`` for backward."""
        x = _check_images(x, "Conv2D", self.in_channels)
        _check_fits(x.shape[2], self.kernel_size, self.padding, "input height", "Conv2D")
        _check_fits(x.shape[3], self.kernel_size, self.padding, "input width", "Conv2D")
        x = x.astype(self.W.value.dtype, copy=False)
        self._x_shape = x.shape
        self._windows = _windows(x, self.kernel_size, self.stride, self.padding)
        return _correlate(self._windows, self.W.value, self.b.value)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``g = ∂E/∂y (N, out, H', W') -> ∂E/∂x (N, C, H, W)``; adds ``∂E/∂W``, ``∂E/∂b``."""
        windows = self._cached("_windows")
        N, C, H, Wd = self._x_shape
        h_out, w_out = windows.shape[2:4]
        g = self._check_grad(grad_out, (N, self.out_channels, h_out, w_out))
        g = g.astype(self.W.value.dtype, copy=False)
        # ∂E/∂W[o,c,i,j] = Σ_{n,h,w} g[n,o,h,w] · window[n,c,h,w,i,j]
        self.W.grad += np.einsum("nohw,nchwij->ocij", g, windows, optimize=True)
        self.b.grad += g.sum(axis=(0, 2, 3))            # ∂E/∂b[o] = Σ_{n,h,w} g[n,o,h,w]
        # ∂E/∂x_pad[n, c, h·s+i, w·s+j] += Σ_o W[o,c,i,j] · g[n,o,h,w], one offset (i, j) at a time
        g_rows = g.reshape(N, self.out_channels, h_out * w_out)

        def through_offset(i: int, j: int) -> np.ndarray:
            return (self.W.value[:, :, i, j].T @ g_rows).reshape(N, C, h_out, w_out)

        p = self.padding
        dx_pad = _scatter_windows(through_offset, (N, C, H + 2 * p, Wd + 2 * p),
                                  self.kernel_size, self.stride, g.dtype)
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

class _Pool2D(Module):
    """Shared machinery of the pools: a fixed function ``φ`` of each ``k × k`` window.

    ``φ: R^{k×k} → R`` acts on the ``k²`` entries of a window (the notes write ``R^k``),
    channel by channel; stride ``s`` defaults to ``k`` (windows side by side), and there is
    no padding. Subclasses define ``_pool`` (the forward ``φ``) and ``_route`` (how the
    gradient of a window's output reaches the entry at offset ``(i, j)``).

    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')``, ``H' = floor((H - k)/s) + 1``.
    """

    def __init__(self, kernel_size: int, stride: int | None = None) -> None:
        super().__init__()
        name = type(self).__name__
        self.kernel_size = positive_int(kernel_size, "kernel_size", owner=name)
        self.stride = (self.kernel_size if stride is None
                       else positive_int(stride, "stride", owner=name))
        self._x_shape: tuple[int, ...] | None = None
        self._out_shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """``x (N, C, H, W) -> y (N, C, H', W')``."""
        name = type(self).__name__
        x = _check_images(x, name)
        _check_fits(x.shape[2], self.kernel_size, None, "input height", name)
        _check_fits(x.shape[3], self.kernel_size, None, "input width", name)
        out = self._pool(_windows(x, self.kernel_size, self.stride))
        self._x_shape, self._out_shape = x.shape, out.shape
        return out

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``g = ∂E/∂y (N, C, H', W') -> ∂E/∂x (N, C, H, W)``; overlapping windows add up."""
        x_shape = self._cached("_x_shape")
        g = self._check_grad(grad_out, self._out_shape)
        return _scatter_windows(lambda i, j: self._route(g, i, j), x_shape,
                                self.kernel_size, self.stride, g.dtype)

    def _pool(self, windows: np.ndarray) -> np.ndarray:
        """``windows (N, C, H', W', k, k) -> (N, C, H', W')``; may keep what ``_route`` needs."""
        raise NotImplementedError

    def _route(self, g: np.ndarray, i: int, j: int) -> np.ndarray:
        """The part of ``g (N, C, H', W')`` that flows to each window's entry ``(i, j)``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class _SelectPool2D(_Pool2D):
    """A pool that selects one entry per window (max or min); the gradient goes there only.

    Ties: the selected entry is the *first* extreme one in row-major order within the
    window (``np.argmax``'s choice, and torch's), so the whole gradient goes to it.
    """

    # subclasses set ``_select = staticmethod(np.argmax)`` or ``np.argmin``

    def _pool(self, windows: np.ndarray) -> np.ndarray:
        flat = windows.reshape(*windows.shape[:4], -1)              # (N, C, H', W', k²)
        self._chosen = self._select(flat, axis=-1)                  # row-major index i·k + j
        return np.take_along_axis(flat, self._chosen[..., None], axis=-1)[..., 0]

    def _route(self, g: np.ndarray, i: int, j: int) -> np.ndarray:
        return np.where(self._chosen == i * self.kernel_size + j, g, 0)


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

    _select = staticmethod(np.argmax)


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

    _select = staticmethod(np.argmin)


class AvgPool2D(_Pool2D):
    """Average (mean) pooling: ``y`` = mean of each ``k × k`` window, per channel.

    Parameters
    ----------
    kernel_size : int
        ``k``.
    stride : int, optional
        ``s``; defaults to ``k``.

    Backward: each entry of a window receives ``g / k²``.
    Shapes: ``x (N, C, H, W) -> y (N, C, H', W')``, ``H' = floor((H - k)/s) + 1``.
    """

    def _pool(self, windows: np.ndarray) -> np.ndarray:
        return windows.mean(axis=(4, 5))

    def _route(self, g: np.ndarray, i: int, j: int) -> np.ndarray:
        return g / self.kernel_size ** 2
