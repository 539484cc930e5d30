"""Private helpers that several figure modules share: the digit images, and the
caching, argument checks and log axes of the explorers.

Each explorer is one pure function ``plot_xxx(state) -> Figure`` (what the tests check)
plus, in :mod:`nnlib.widgets`, a live widget and a kernel-free HTML version built from it.
The training runs behind the learning-rate and weight-decay explorers are cached per value
(``_explorer_cache``), so moving a slider back and forth only redraws.
"""

from __future__ import annotations


def _digit_images(X):
    """Rows of 64 pixels or ``(N, 1, 8, 8)`` images as ``(N, 8, 8)``."""
    import numpy as np

    X = np.asarray(X, dtype=float)
    if X.ndim == 4 and X.shape[1] == 1:
        X = X[:, 0]
    elif X.ndim == 2 and X.shape[1] == 64:
        X = X.reshape(-1, 8, 8)
    elif X.ndim == 1 and X.size == 64:
        X = X.reshape(1, 8, 8)
    if X.ndim != 3:
        raise ValueError(f"expected digits of shape (N, 64), (N, 1, 8, 8) or (64,), "
                         f"got {np.shape(X)}")
    return X


_EXPLORER_VERDICT_COLOURS = {"too small": "tab:purple", "good": "tab:green",
                             "oscillating": "tab:orange", "diverges": "tab:red",
                             "overfits": "tab:red", "good fit": "tab:green",
                             "underfits": "tab:purple"}


def _explorer_cache(fn):
    """``functools.lru_cache`` (imported here, so that the module imports nothing at load)."""
    import functools

    return functools.lru_cache(maxsize=None)(fn)


def _explorer_one_thread():
    """One BLAS thread while the explorers train: their matrices are tiny, and on a busy
    machine several threads per product waste more time waiting than they save (10× here).
    Needs threadpoolctl (a dependency of scikit-learn); without it, nothing changes."""
    import contextlib

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn brings it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _explorer_choice(value, name: str, options, owner: str):
    """Check that ``value`` is one of ``options`` (a ``ValueError`` naming ``name`` if not)."""
    if value not in options:
        raise ValueError(f"{owner} {name} must be one of {list(options)}, got {value!r}")
    return value


def _explorer_log_axis(axis) -> None:
    """Plain tick labels (0.01, 0.1, 1, 10) on a log axis, none on its minor ticks: mathtext
    labels (``10^{-2}``) are what makes a log axis slow to draw."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def _explorer_frozen(a):
    """A read-only float64 copy: cached results must not be changed by their users."""
    import numpy as np

    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _explorer_int(value, name: str, owner: str, minimum: int) -> int:
    from .._checks import positive_int

    return positive_int(value, name, minimum=minimum, owner=owner)


def style_axes(ax, xlabel: str, ylabel: str, title: str, *, zero_lines: bool = False) -> None:
    """The book's look for an axes: a light grid (minor ticks too, for log axes), labels,
    a title and, with ``zero_lines``, the axes' zero lines."""
    if zero_lines:
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.axvline(0, color="0.6", lw=0.8, zorder=0)
    ax.grid(alpha=0.3, which="both")
    ax.set_xlabel(xlabel, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=10)
    ax.set_title(title, fontsize=11)
