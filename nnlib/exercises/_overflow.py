"""Watching numpy while a reader's attempt runs: which functions overflowed, even when
the overflow warning was silenced. Shared by the stable sigmoid (Exercise 3.1) and the
stable softmax (Exercise 8.1) checks.
"""

from __future__ import annotations

from contextlib import contextmanager

from ._feedback import _call


class _Spy:
    """A numpy function standing in for the original during a check: it calls the original
    and shows each call (its name, arguments and result) to ``report``."""

    def __init__(self, name: str, original, report) -> None:
        self._name, self._original, self._report = name, original, report

    def __call__(self, *args, **kwargs):
        result = self._original(*args, **kwargs)
        try:
            self._report(self._name, args, result)
        except Exception:                        # watching must never change the result
            pass
        return result

    def __getattr__(self, attr):
        return getattr(self._original, attr)


@contextmanager
def _numpy_spied(names, report):
    """Replace ``np.<name>`` for each of ``names`` by a :class:`_Spy` that reports its calls,
    and put the originals back afterwards (also when the body raises)."""
    import numpy as np

    originals = {name: getattr(np, name) for name in names if hasattr(np, name)}
    try:
        for name, original in originals.items():
            setattr(np, name, _Spy(name, original, report))
        yield
    finally:
        for name, original in originals.items():
            setattr(np, name, original)


def _silent_overflows(fn, z) -> tuple[list[str], list[str]]:
    """``(overflows, ufuncs)``: the numpy functions that turned finite numbers into ±inf
    inside ``fn(z)``, and the names of all the ufuncs applied (scipy's ``expit`` among them,
    if it was called).

    ``z`` is passed as an array subclass that watches every ufunc applied to it (and to
    the arrays computed from it), so an overflow is seen even when the reader silenced
    numpy's warning, e.g. with ``np.errstate(over="ignore")``. Code that first converts z
    with ``np.asarray`` leaves the subclass and is not watched here: :func:`_ch03_sigmoid_ways`
    watches numpy's functions themselves.
    """
    import numpy as np

    seen: list[str] = []
    applied: set[str] = set()

    class Watched(np.ndarray):
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            def plain(a):
                return a.view(np.ndarray) if isinstance(a, Watched) else a

            applied.add(ufunc.__name__)
            inputs = tuple(plain(a) for a in inputs)
            if "out" in kwargs:
                kwargs["out"] = tuple(plain(a) for a in kwargs["out"])
            with np.errstate(all="ignore"):
                result = getattr(ufunc, method)(*inputs, **kwargs)
            results = result if isinstance(result, tuple) else (result,)
            try:
                finite_in = all(np.all(np.isfinite(np.asarray(a))) for a in inputs)
                if finite_in and any(np.any(np.isinf(np.asarray(r))) for r in results):
                    seen.append(f"np.{ufunc.__name__}")
            except (TypeError, ValueError):      # e.g. a boolean mask: not a number
                pass
            wrapped = tuple(r.view(Watched) if type(r) is np.ndarray else r for r in results)
            return wrapped if isinstance(result, tuple) else wrapped[0]

    with np.errstate(all="ignore"):
        _call(fn, z.copy().view(Watched))
    return sorted(set(seen)), sorted(applied)


#: numpy's functions that can turn a finite number into inf (e^1000 and its relatives).
_EXP_LIKE = ("exp", "exp2", "expm1", "power", "float_power", "cosh", "sinh", "ldexp")


def _finite_to_inf(args, result) -> bool:
    """True if every number in ``args`` is finite and ``result`` holds an inf."""
    import numpy as np

    try:
        arrays = [np.asarray(a, dtype=float) for a in args
                  if isinstance(a, (np.ndarray, np.number, int, float))]
        return (all(np.all(np.isfinite(a)) for a in arrays)
                and bool(np.any(np.isinf(np.asarray(result)))))    # in its own precision
    except (TypeError, ValueError):
        return False


@contextmanager
def _overflow_warns():
    """While it lasts, ``np.errstate`` and ``np.seterr`` keep numpy's overflow setting at
    "warn" whatever they are asked (their other settings apply): an overflow that the
    reader's code silences with them is still reported."""
    import numpy as np

    errstate, seterr = np.errstate, np.seterr

    def settings(kwargs: dict) -> dict:
        kwargs = dict(kwargs)
        if "all" in kwargs:
            every = kwargs.pop("all")
            for key in ("divide", "over", "under", "invalid"):
                kwargs.setdefault(key, every)
        kwargs["over"] = "warn"
        return kwargs

    try:
        np.errstate = lambda **kwargs: errstate(**settings(kwargs))
        np.seterr = lambda **kwargs: seterr(**settings(kwargs))
        yield
    finally:
        np.errstate, np.seterr = errstate, seterr
