"""Slow, obviously correct loop versions of the convolution and pooling layers.

Each function is the formula of the chapter written out with one Python loop per index,
so it can be read next to the maths. They are the yardstick for the fast, vectorised
:mod:`nnlib.conv` in the tests, the benchmarks and the book; never use them for training.

Shapes follow :mod:`nnlib.conv`: ``x (N, C, H, W)``, ``W (F, C, k, k)`` for ``F`` filters,
``b (F,)``, outputs ``(N, F, H', W')`` with ``H' = floor((H + 2p - k)/s) + 1``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, positive_int

__all__ = ["conv2d_loops", "conv2d_backward_loops", "pool2d_loops", "pool2d_backward_loops",
           "POOL_MODES"]

POOL_MODES = ("max", "avg", "min")


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def _out_size(size: int, k: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - k) // stride + 1


def conv2d_loops(x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int = 1,
                 padding: int = 0) -> np.ndarray:
    """``y[n,o,h,w] = b[o] + Σ_{c,i,j} W[o,c,i,j] · x_pad[n, c, h·s + i, w·s + j]``, by loops."""
    x, W, b = as_array(x, "x", ndim=4), as_array(W, "W", ndim=4), as_array(b, "b", ndim=1)
    N, C, H, Wd = x.shape
    F, _, k, _ = W.shape
    s, p = positive_int(stride, "stride"), positive_int(padding, "padding", minimum=0)
    xp = _pad(x, p)
    Ho, Wo = _out_size(H, k, s, p), _out_size(Wd, k, s, p)
    y = np.zeros((N, F, Ho, Wo), dtype=np.result_type(x, W, b))
    for n in range(N):
        for o in range(F):
            for h in range(Ho):
                for w in range(Wo):
                    total = b[o]
                    for c in range(C):
                        for i in range(k):
                            for j in range(k):
                                total += W[o, c, i, j] * xp[n, c, h * s + i, w * s + j]
                    y[n, o, h, w] = total
    return y


def conv2d_backward_loops(x: np.ndarray, W: np.ndarray, grad_out: np.ndarray, stride: int = 1,
                          padding: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients ``(dx, dW, db)`` of ``E`` given ``g = ∂E/∂y``, by the same loops as the forward.

    Every term ``W[o,c,i,j] · x_pad[n,c,h·s+i,w·s+j]`` of ``y[n,o,h,w]`` passes ``g[n,o,h,w]``
    on: times the ``x`` entry to ``dW[o,c,i,j]``, times the weight to that ``x`` entry.
    """
    x, W = as_array(x, "x", ndim=4), as_array(W, "W", ndim=4)
    g = as_array(grad_out, "grad_out", ndim=4)
    N, C, H, Wd = x.shape
    F, _, k, _ = W.shape
    s, p = positive_int(stride, "stride"), positive_int(padding, "padding", minimum=0)
    xp = _pad(x, p)
    dxp, dW, db = np.zeros_like(xp), np.zeros_like(W), np.zeros(F, dtype=W.dtype)
    for n in range(N):
        for o in range(F):
            for h in range(g.shape[2]):
                for w in range(g.shape[3]):
                    db[o] += g[n, o, h, w]
                    for c in range(C):
                        for i in range(k):
                            for j in range(k):
                                dW[o, c, i, j] += g[n, o, h, w] * xp[n, c, h * s + i, w * s + j]
                                dxp[n, c, h * s + i, w * s + j] += g[n, o, h, w] * W[o, c, i, j]
    return dxp[:, :, p:p + H, p:p + Wd], dW, db


def _check_mode(mode: str) -> str:
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}, got {mode!r}")
    return mode


def _first_extreme(window: list[tuple[float, int, int]], mode: str) -> tuple[int, int]:
    """Offset ``(i, j)`` of the first maximal (``"max"``) or minimal entry in row-major order."""
    best_value, best_i, best_j = window[0]
    for value, i, j in window[1:]:
        if (value > best_value) if mode == "max" else (value < best_value):
            best_value, best_i, best_j = value, i, j
    return best_i, best_j


def _window(x: np.ndarray, n: int, c: int, h: int, w: int, k: int,
            s: int) -> list[tuple[float, int, int]]:
    """The entries of one window with their offsets, in row-major order."""
    return [(x[n, c, h * s + i, w * s + j], i, j) for i in range(k) for j in range(k)]


def pool2d_loops(x: np.ndarray, kernel_size: int, stride: int | None = None,
                 mode: str = "max") -> np.ndarray:
    """``y[n,c,h,w] = φ(window)`` with ``φ`` = max, mean (``"avg"``) or min, by loops."""
    x = as_array(x, "x", ndim=4)
    k = positive_int(kernel_size, "kernel_size")
    s = k if stride is None else positive_int(stride, "stride")
    mode = _check_mode(mode)
    N, C, H, Wd = x.shape
    y = np.zeros((N, C, _out_size(H, k, s, 0), _out_size(Wd, k, s, 0)), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for h in range(y.shape[2]):
                for w in range(y.shape[3]):
                    values = [v for v, _, _ in _window(x, n, c, h, w, k, s)]
                    if mode == "avg":
                        y[n, c, h, w] = sum(values) / (k * k)
                    else:
                        y[n, c, h, w] = max(values) if mode == "max" else min(values)
    return y


def pool2d_backward_loops(x: np.ndarray, grad_out: np.ndarray, kernel_size: int,
                          stride: int | None = None, mode: str = "max") -> np.ndarray:
    """``∂E/∂x`` given ``g = ∂E/∂y``: for max/min all of ``g`` goes to the first extreme entry
    of the window (row-major), for avg each entry gets ``g / k²``; overlaps add up."""
    x = as_array(x, "x", ndim=4)
    g = as_array(grad_out, "grad_out", ndim=4)
    k = positive_int(kernel_size, "kernel_size")
    s = k if stride is None else positive_int(stride, "stride")
    mode = _check_mode(mode)
    dx = np.zeros_like(x)
    N, C, Ho, Wo = g.shape
    for n in range(N):
        for c in range(C):
            for h in range(Ho):
                for w in range(Wo):
                    if mode == "avg":
                        for i in range(k):
                            for j in range(k):
                                dx[n, c, h * s + i, w * s + j] += g[n, c, h, w] / (k * k)
                    else:
                        i, j = _first_extreme(_window(x, n, c, h, w, k, s), mode)
                        dx[n, c, h * s + i, w * s + j] += g[n, c, h, w]
    return dx
