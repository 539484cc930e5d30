"""Numerical gradients: the check that every ``backward`` in ``nnlib`` is right.

The central difference ``(f(x + ε) − f(x − ε)) / 2ε`` has error O(ε²); in float64 with
``ε = 1e-6`` it agrees with a correct analytic gradient to about 1e-9 relative error,
far below the 1e-7 that flags a bug.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._checks import make_rng
from ._format import bound


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored; ``f`` takes no
    arguments and must read ``x`` (e.g. a closure over a parameter's ``.value``).

    Returns an array of ``x``'s shape.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        given = f"{type(x).__name__} {getattr(x, 'dtype', '')}".strip()
        raise TypeError(f"x must be a floating ndarray (perturbed in place), got {given}")
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Worst entry-wise ``|a − n| / max(|a| + |n|, 1e-12)``."""
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must have the same shape, got {a.shape} "
                         f"and {n.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-12)))


#: Below this relative error a gradient check passes. Float64 central differences agree
#: with a correct gradient to about 1e-9 (round-off), and a wrong gradient gives about 1.
PASS_BELOW = 1e-7


def shown_error(error: float, tol: float = PASS_BELOW) -> str:
    """A gradient check's relative error as the book prints it.

    Below ``tol`` the error is round-off, whose digits differ from CPU to CPU (another
    BLAS kernel or SIMD loop rounds the last bits otherwise), so only the bound is shown:
    ``"< 1e-7"``. At or above ``tol`` it is a real disagreement, shown to two digits.

    Parameters
    ----------
    error : float
        A relative error, e.g. from :func:`relative_error`.
    tol : float
        The bound below which ``error`` counts as round-off.

    Returns
    -------
    str
    """
    if not (isinstance(tol, (int, float)) and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive finite number, got {tol!r}")
    if not isinstance(error, (int, float, np.floating, np.integer)):
        raise TypeError(f"error must be a real number, got {type(error).__name__}")
    if error < tol:
        return f"< {bound(tol)}"
    return f"{error:.2g}"


def check_module(module, x: np.ndarray, *, eps: float = 1e-6, rng=0) -> dict[str, float]:
    """Compare a module's ``backward`` with numerical gradients.

    The scalar checked is ``E = Σ forward(x) ⊙ G`` for a fixed random ``G``, so
    ``∂E/∂out = G`` exercises every output. Randomness inside the module (dropout)
    must be switched off (``module.eval()``) for the check to make sense.

    Returns
    -------
    dict
        ``{parameter name: worst relative error, ..., "input": worst relative error}``;
        parameters without a name are called ``"param0"``, ``"param1"``, ...
    """
    rng = make_rng(rng)
    x = np.array(x, dtype=np.float64)
    out = module.forward(x)
    G = rng.standard_normal(out.shape)

    def energy() -> float:
        return float(np.sum(module.forward(x) * G))

    module.zero_grad()
    module.forward(x)
    dx = module.backward(G)
    report: dict[str, float] = {}
    for k, p in enumerate(module.parameters()):
        name = p.name or f"param{k}"
        if name in report:
            name = f"{name}{k}"
        analytic = p.grad.copy()
        report[name] = relative_error(analytic, numerical_gradient(energy, p.value, eps))
    report["input"] = relative_error(dx, numerical_gradient(energy, x, eps))
    return report
