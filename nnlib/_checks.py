"""Argument validation shared by every module: one place that words the error messages.

Each helper raises a ``ValueError`` or ``TypeError`` whose message names the argument,
what was expected and what was given, e.g.
``Conv2D expected input of shape (N, 3, H, W), got (8, 1, 28, 28)``.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_array(x, name: str, *, ndim: int | tuple[int, ...] | None = None,
             owner: str = "") -> np.ndarray:
    """Return ``x`` as a floating ndarray, checking its rank.

    Integer and boolean arrays become float64; floating arrays keep their dtype.
    """
    allowed = None if ndim is None else (ndim,) if isinstance(ndim, int) else ndim
    if type(x) is np.ndarray and x.dtype.kind == "f" and (allowed is None or x.ndim in allowed):
        return x        # the common case, answered first: every layer asks on every batch
    where = f"{owner} " if owner else ""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{where}{name} must be an array of numbers, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{where}{name} must be an array of numbers, "
                        f"got {type(x).__name__}") from exc
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(f"{where}{name} must hold real numbers, got dtype {arr.dtype}")
    if allowed is not None and arr.ndim not in allowed:
        want = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(f"{where}{name} must be {want}, got shape {arr.shape}")
    return arr


def positive_int(value, name: str, *, minimum: int = 1, owner: str = "") -> int:
    """Check that ``value`` is an integer ``>= minimum`` and return it as ``int``."""
    where = f"{owner} " if owner else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{where}{name} must be >= {minimum}, got {value}")
    return int(value)


def real_number(value, name: str, *, low: float | None = None, high: float | None = None,
                low_open: bool = False, high_open: bool = False, owner: str = "") -> float:
    """Check that ``value`` is a finite real number within the given bounds."""
    where = f"{owner} " if owner else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{where}{name} must be finite, got {value}")
    lo_bad = low is not None and (value <= low if low_open else value < low)
    hi_bad = high is not None and (value >= high if high_open else value > high)
    if lo_bad or hi_bad:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "" if high is None else f"{high:g}" + (")" if high_open else "]")
        if low is None:
            rng = f"{'<' if high_open else '<='} {high:g}"
        elif high is None:
            rng = f"{'>' if low_open else '>='} {low:g}"
        else:
            rng = f"in {lo}, {hi}"
        raise ValueError(f"{where}{name} must be {rng}, got {value:g}")
    return value


def check_finite(x: np.ndarray, name: str, owner: str = "") -> None:
    """Raise ``ValueError`` if ``x`` holds NaN or infinity."""
    if not np.all(np.isfinite(x)):
        where = f"{owner} " if owner else ""
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(f"{where}{name} must be finite, got {bad} NaN or infinite entries")


def make_rng(rng) -> np.random.Generator:
    """Turn ``None``, a seed or a ``Generator`` into a ``Generator``."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy.random.Generator, an integer seed or None, got {rng!r}")
