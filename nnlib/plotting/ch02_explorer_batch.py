"""The batch-size explorer (chapter 2): mini-batch SGD on the line of chapter 2 with one
batch size B and one learning rate η, showing how noisy the path is and what an epoch costs.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import (
    _explorer_cache,
    _explorer_frozen,
    _explorer_log_axis,
    diverged_text,
    divergence,
    legible_frame,
    mark_divergence,
)

__all__ = [
    "BATCH_GRID", "BATCH_LR_GRID", "BATCH_SETUP", "batch_data", "batch_run", "plot_batch",
    "batch_explorer"
]

#: The slider values of B. One example, small and larger batches, a B that does not
#: divide n (⌈100/32⌉ = 4 batches, the last of 4 examples) and the full batch.
BATCH_GRID = (1, 4, 16, 32, 100)
#: The slider values of η (all below the limit 2/a_max ≈ 0.41 of the full gradient).
BATCH_LR_GRID = (0.03, 0.1, 0.3)
#: The problem is chapter 2's line, ``n`` points ``x ~ U(0, 2)``, ``y = 1.5 x − 1 + 0.3 ε``
#: drawn with ``default_rng(seed)``; SGD from ``start = (w, b)`` for ``epochs`` epochs, the
#: batches shuffled with ``default_rng(order_seed)`` (the same order for every B and η).
BATCH_SETUP = {"n": 100, "seed": 0, "start": (-1.0, 2.0), "epochs": 5, "order_seed": 1}


@_explorer_cache
def batch_data():
    """The ``(x, y)`` of :data:`BATCH_SETUP` (read-only), the data of chapter 2."""
    import numpy as np

    rng = np.random.default_rng(BATCH_SETUP["seed"])
    n = BATCH_SETUP["n"]
    x = rng.uniform(0, 2, n)
    y = 1.5 * x - 1 + 0.3 * rng.standard_normal(n)
    return _explorer_frozen(x), _explorer_frozen(y)


def _batch_grad(params, x, y):
    """The mean gradient of the squared error of the line ``w x + b`` over a batch."""
    import numpy as np

    r = params[0] * x + params[1] - y
    return np.array([np.mean(2 * r * x), np.mean(2 * r)])


def _batch_ein(w, b):
    import numpy as np

    x, y = batch_data()
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    r = w[..., None] * x + b[..., None] - y
    return np.mean(r * r, axis=-1)


@_explorer_cache
def _batch_run(batch_size: int, lr: float):
    import numpy as np

    x, y = batch_data()
    n, epochs = BATCH_SETUP["n"], BATCH_SETUP["epochs"]
    rng = np.random.default_rng(BATCH_SETUP["order_seed"])
    params = np.array(BATCH_SETUP["start"], dtype=float)
    path = [params]
    with np.errstate(all="ignore"):             # a diverging run overflows: drawn up to there
        for _ in range(epochs):
            order = rng.permutation(n)
            for first in range(0, n, batch_size):        # ⌈n/B⌉ batches, the last partial
                batch = order[first:first + batch_size]
                params = params - lr * _batch_grad(params, x[batch], y[batch])
                path.append(params)
        path = np.array(path)
        ein = _batch_ein(path[:, 0], path[:, 1])
    # the noise of one batch gradient at the start (the formula of the text's table)
    start = np.array(BATCH_SETUP["start"], dtype=float)
    r = start[0] * x + start[1] - y
    per_example = np.column_stack([2 * r * x, 2 * r])
    s2 = per_example.var(axis=0).sum()
    noise = float(np.sqrt(s2 / batch_size * (n - batch_size) / (n - 1)))
    return _explorer_frozen(path), _explorer_frozen(ein), noise


def _batch_check(batch_size, lr, owner: str) -> tuple[int, float]:
    from .._checks import positive_int, real_number

    batch_size = positive_int(batch_size, "batch_size", owner=owner)
    lr = real_number(lr, "lr", low=0.0, low_open=True, owner=owner)
    return min(batch_size, BATCH_SETUP["n"]), lr


def batch_run(batch_size: int, lr: float) -> dict:
    """Mini-batch SGD with batch size ``B`` and learning rate ``η`` on :data:`BATCH_SETUP`
    (cached per ``(B, η)``; a ``B`` above ``n`` is the full batch).

    Returns
    -------
    dict
        ``path`` (``(w, b)`` after every update, the start first:
        ``epochs · ⌈n/B⌉ + 1`` rows), ``ein`` (``E_in`` along the path), ``updates_per_epoch``
        (``⌈n/B⌉``), ``noise`` (the typical error ``√(s²/B · (n − B)/(n − 1))`` of one batch
        gradient at the start, ``s²`` the variance of the per-example gradients),
        ``gradient`` (the length of the full gradient there) and ``uphill`` (how many updates
        *raised* ``E_in``: a step of the full gradient with ``η < 2/a_max`` never does, so these
        are the steps the noise of the batch gradient turned the wrong way) and
        ``diverged_at`` (the first update whose ``(w, b)`` or ``E_in`` is NaN or infinite, None
        if there is none; ``uphill`` counts the updates before it).
    """
    import numpy as np

    batch_size, lr = _batch_check(batch_size, lr, "batch_run")
    path, ein, noise = _batch_run(batch_size, lr)
    x, y = batch_data()
    n = BATCH_SETUP["n"]
    per_epoch = -(-n // batch_size)
    div = divergence(path, ein, first=0)
    uphill = int(np.sum(np.diff(ein[:div.finite]) > 0))
    gradient = float(np.linalg.norm(_batch_grad(np.array(BATCH_SETUP["start"]), x, y)))
    return {"path": path, "ein": ein, "updates_per_epoch": per_epoch, "noise": noise,
            "gradient": gradient, "uphill": uphill, "diverged_at": div.epoch}


@_explorer_cache
def _batch_background():
    """The contour grid of ``E_in`` (computed once: every frame draws the same one)."""
    import numpy as np

    x, y = batch_data()
    A = np.column_stack([x, np.ones_like(x)])
    best = np.linalg.lstsq(A, y, rcond=None)[0]
    ws, bs = np.linspace(-1.6, 2.6, 141), np.linspace(-1.9, 2.5, 141)
    Wg, Bg = np.meshgrid(ws, bs)
    E = _batch_ein(Wg, Bg)
    e_min = float(_batch_ein(*best))
    levels = e_min + (E.max() - e_min) * np.linspace(0, 1, 16)[1:] ** 2
    return ws, bs, E, levels, best, e_min


def plot_batch(batch_size: int = 16, lr: float = 0.1):
    """Batch-size explorer: one ``B`` and one ``η``, the same 5 epochs.

    Left: the path of ``(w, b)`` on the contours of ``E_in`` (one dot per update), from
    the fixed start to the least-squares minimum (star). Right: ``E_in`` after every
    update against the epoch (``⌈n/B⌉`` updates per epoch), the runs of the other ``B``
    at this ``η`` in grey. The title gives the cost (updates per epoch) and the noise of
    one batch gradient.

    Parameters
    ----------
    batch_size : int
        ``B ≥ 1`` (above ``n``: the full batch).
    lr : float
        The learning rate ``η > 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    batch_size, lr = _batch_check(batch_size, lr, "plot_batch")
    run = batch_run(batch_size, lr)
    n, epochs = BATCH_SETUP["n"], BATCH_SETUP["epochs"]
    per_epoch = run["updates_per_epoch"]
    ws, bs, E, levels, best, e_min = _batch_background()

    fig = Figure(figsize=(9, 3.8))           # a fixed layout, for speed (as plot_lr)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1], "left": 0.07,
                                             "right": 0.985, "bottom": 0.13, "top": 0.75,
                                             "wspace": 0.25})
    last = "" if n % batch_size == 0 else f" (the last batch has {n % batch_size} examples)"
    if run["diverged_at"] is not None:
        last += f", {diverged_text(run['diverged_at'], 'update')}"
    fig.suptitle(f"B = {batch_size}, η = {lr:g}: ⌈{n}/{batch_size}⌉ = {per_epoch} "
                 f"update{'s' if per_epoch > 1 else ''} per epoch{last}\n"
                 f"noise of one batch gradient at the start: {run['noise']:.2f}, "
                 f"the gradient's length: {run['gradient']:.2f}", fontsize=11)

    ax.set_label("path")
    ax.imshow(np.sqrt(E - e_min), extent=(ws[0], ws[-1], bs[0], bs[-1]), origin="lower",
              cmap="Greys_r", alpha=0.3, aspect="auto", interpolation="bilinear")
    ax.contour(ws, bs, E, levels=levels[::2], colors="0.45", linewidths=0.6)
    path, div = run["path"], divergence(run["path"], run["ein"], first=0)
    shown = path[:div.finite]
    ax.plot(shown[:, 0], shown[:, 1], "-", color="tab:blue", lw=0.8,
            marker="o" if len(path) <= 200 else None, ms=2,
            label=f"{len(shown) - 1} updates")
    ax.plot(*path[0], "o", color="black", ms=6, label="start")
    ax.plot(*shown[-1], "s", color="tab:blue", mec="black", ms=7,
            label="end" if div.epoch is None else "last finite (w, b)")
    ax.plot(*best, "*", color="gold", mec="black", ms=13, label="minimum")
    ax.set_xlim(ws[0], ws[-1])
    ax.set_ylim(bs[0], bs[-1])
    ax.set_xlabel("slope $w$")
    ax.set_ylabel("intercept $b$")
    ax.set_title(_batch_path_title(run, div), fontsize=10)
    ax.legend(loc="upper right", fontsize=7, framealpha=0.85)

    bx.set_label("loss")
    for other in BATCH_GRID:
        if other != batch_size:
            o = batch_run(other, lr)
            k = divergence(o["path"], o["ein"]).finite
            t = np.arange(k) / o["updates_per_epoch"]
            bx.plot(t, o["ein"][:k], color="0.8", lw=1, zorder=1)
    t = np.arange(div.finite) / per_epoch
    bx.plot(t, run["ein"][:div.finite], "-", color="tab:blue", lw=1.6, zorder=3,
            marker="o" if per_epoch <= 25 else None, ms=3, label=f"B = {batch_size}")
    bx.axhline(e_min, color="goldenrod", lw=1, ls="--", zorder=2, label="minimum of $E_{in}$")
    if div.epoch is not None:                    # the epoch axis: update u is at u / ⌈n/B⌉
        mark_divergence(bx, div, "update", at=div.epoch / per_epoch)
    bx.set_yscale("log")
    _explorer_log_axis(bx.yaxis)
    bx.set_xlim(-0.1, epochs + 0.1)
    bx.set_xlabel(f"epoch ({per_epoch} update{'s' if per_epoch > 1 else ''} each)")
    bx.set_ylabel("$E_{in}$ after each update")
    bx.set_title(_batch_loss_title(run, div, e_min, lr), fontsize=10)
    bx.grid(alpha=0.3, which="both", lw=0.5)
    bx.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return legible_frame(fig)


def _batch_path_title(run: dict, div) -> str:
    """The path panel's title: how many updates, how many went uphill, where it diverged."""
    epochs, updates = BATCH_SETUP["epochs"], len(run["path"]) - 1
    if div.epoch is not None:
        return (f"{epochs} epochs = {updates} updates, {diverged_text(div.epoch, 'update')};"
                f"\n{run['uphill']} before it went uphill ($E_{{in}}$ rose)")
    return (f"{epochs} epochs = {updates} update{'s' if updates > 1 else ''}; "
            f"\n{run['uphill']} of them went uphill ($E_{{in}}$ rose)")


def _batch_loss_title(run: dict, div, e_min: float, lr: float) -> str:
    """The loss panel's title: ``E_in`` after the epochs (or where it diverged)."""
    grey = f"in grey: the other B at η = {lr:g}"
    if div.epoch is not None:
        return (f"$E_{{in}}$ {diverged_text(div.epoch, 'update')} (minimum {e_min:.4f})"
                f"\n{grey}")
    return (f"$E_{{in}}$ after {BATCH_SETUP['epochs']} epochs: {run['ein'][-1]:.4f} "
            f"(minimum {e_min:.4f})\n{grey}")


#: The batch-size explorer of chapter 2, B × η, 15 states.
batch_explorer = Explorer(
    name="batch", kind="batch-size",
    title=("Batch size B: 5 epochs of mini-batch SGD on the line, its path on the "
           "contours of E_in (left) and E_in after every update (right)"),
    draw=plot_batch, run=batch_run,
    params=(Param("batch_size", "B (batch size)", BATCH_GRID, default=16, short="B"),
            Param("lr", "η (learning rate)", BATCH_LR_GRID, default=0.1, short="η")))
