"""Figures of chapter 2, training with mini-batch SGD: paths on the loss surface,
loss per epoch for several batch sizes, and gradient descent on a quadratic.
"""

from __future__ import annotations

from ._common import divergence, legible, with_diverged_note

__all__ = [
    "plot_batch_size_curves", "plot_quadratic_gd", "plot_sgd_paths"
]

_CH02_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def _linear_ein(x, y, w, b):
    """``E_in(w, b) = (1/n) Σ (w x_i + b − y_i)²`` for arrays ``w``, ``b`` of any (equal) shape."""
    import numpy as np

    x, y = np.ravel(x), np.ravel(y)
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    r = w[..., None] * x + b[..., None] - y
    return np.mean(r * r, axis=-1)


def plot_sgd_paths(x, y, paths: dict, *, show_data: bool = False, title: str | None = None):
    """Paths of ``(w, b)`` on the contours of ``E_in`` for the line ``h(x) = w x + b``.

    Parameters
    ----------
    x, y : array, shape (n,) or (n, 1)
        The training data.
    paths : dict of str -> array of shape (T, 2)
        The legend label and the parameters ``(w, b)`` after each update (start first). A
        path that becomes NaN or infinite is drawn up to its last finite step, its label
        saying where it diverged.
    show_data : bool
        Add a panel on the left with the data and the line each path ends at.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        The least-squares minimum is a black star, the common start a black circle.
    """
    import numpy as np
    from matplotlib.figure import Figure

    x, y = np.ravel(np.asarray(x, dtype=float)), np.ravel(np.asarray(y, dtype=float))
    paths = {k: np.asarray(v, dtype=float).reshape(-1, 2) for k, v in paths.items()}
    # a path that diverged: up to its last finite step, its label saying where it diverged
    paths = {with_diverged_note(k, div, "step"): v[:max(div.finite, 1)]
             for k, v in paths.items() for div in [divergence(v, first=0)]}
    w_best, b_best = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    pts = np.vstack([*paths.values(), [[w_best, b_best]]])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.15 * np.maximum(hi - lo, 0.5)
    ws = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 201)
    bs = np.linspace(lo[1] - pad[1], hi[1] + pad[1], 201)
    Wg, Bg = np.meshgrid(ws, bs)
    E = _linear_ein(x, y, Wg, Bg)

    fig = Figure(figsize=(11.0 if show_data else 6.2, 4.6), layout="constrained")
    axes = fig.subplots(1, 2 if show_data else 1, squeeze=False)[0]
    ax = axes[-1]
    e_min = float(_linear_ein(x, y, w_best, b_best))
    levels = e_min + (E.max() - e_min) * np.linspace(0, 1, 16)[1:] ** 2
    ax.contourf(Wg, Bg, E, levels=np.concatenate([[e_min], levels]), cmap="Greys_r",
                alpha=0.22)
    cs = ax.contour(Wg, Bg, E, levels=levels, colors="0.45", linewidths=0.7)
    ax.clabel(cs, cs.levels[::3], fontsize=7.5, fmt="%.2g")
    for (label, path), color in zip(paths.items(), _CH02_COLORS * 3, strict=False):
        lw = 1.0 if len(path) > 200 else 1.6
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=lw, alpha=0.85, label=label)
        if len(path) <= 60:
            ax.plot(path[:, 0], path[:, 1], "o", color=color, ms=3)
        ax.plot(path[-1, 0], path[-1, 1], "s", color=color, ms=6, mec="black", mew=0.8)
    starts = {tuple(p[0]) for p in paths.values()}
    for w0, b0 in starts:
        ax.plot(w0, b0, "o", color="black", ms=7, zorder=5)
    ax.plot(w_best, b_best, "*", color="black", ms=14, zorder=5,
            label=f"minimum of $E_{{in}}$ ($w$ = {w_best:.2f}, $b$ = {b_best:.2f})")
    ax.set_xlim(ws[0], ws[-1])
    ax.set_ylim(bs[0], bs[-1])
    ax.set_xlabel("slope $w$", fontsize=11)
    ax.set_ylabel("intercept $b$", fontsize=11)
    ax.set_title("Contours of $E_{in}(w, b)$ and the path of the parameters", fontsize=11)
    ax.legend(fontsize=8.5, loc="best")

    if show_data:
        ax0 = axes[0]
        ax0.plot(x, y, "o", color="0.35", ms=4, alpha=0.8, label="training data $(x_i, y_i)$")
        grid = np.linspace(x.min(), x.max(), 2)
        for (label, path), color in zip(paths.items(), _CH02_COLORS * 3, strict=False):
            ax0.plot(grid, path[0, 0] * grid + path[0, 1], "--", color=color, lw=1.5,
                     label=f"start: $w$ = {path[0, 0]:g}, $b$ = {path[0, 1]:g}")
            ax0.plot(grid, path[-1, 0] * grid + path[-1, 1], "-", color=color, lw=2.5,
                     label=f"after {len(path) - 1} steps ({label})")
        ax0.set_xlabel("input $x$", fontsize=11)
        ax0.set_ylabel("target $y$", fontsize=11)
        ax0.set_title("The data and the line $h(x) = wx + b$", fontsize=11)
        ax0.grid(alpha=0.3)
        ax0.legend(fontsize=8.5)
    if title:
        fig.suptitle(title, fontsize=13)
    return legible(fig)


def plot_batch_size_curves(curves: dict, *, ylabel: str = "$E_{in}$",
                           title: str | None = None, log_loss: bool = False):
    """The loss after every epoch, against epochs and against the number of updates.

    Parameters
    ----------
    curves : dict of str -> (int, array of shape (epochs + 1,))
        The label, the number of updates per epoch ``⌈n/B⌉`` and the loss before training
        (epoch 0) and after each epoch. A run that becomes NaN or infinite is drawn up to
        its last finite epoch, its label saying where it diverged.
    ylabel : str
    title : str, optional
    log_loss : bool
        Draw the loss on a logarithmic axis.

    Returns
    -------
    matplotlib.figure.Figure
        Left: loss against epochs (the same number of gradient evaluations, ``n`` per
        epoch, for every ``B``); right: against updates made, on a log axis.
    """
    import numpy as np
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.0, 4.2), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    for (label, (per_epoch, losses)), color in zip(curves.items(), _CH02_COLORS * 3,
                                                   strict=False):
        div = divergence(losses, first=0)           # a diverged run: up to its last finite
        losses = np.asarray(losses, dtype=float)[:div.finite]
        label = with_diverged_note(label, div)
        epochs = np.arange(len(losses))
        ax1.plot(epochs, losses, "o-", color=color, lw=2, ms=4, label=label)
        ax2.plot(epochs[1:] * per_epoch, losses[1:], "o-", color=color, lw=2, ms=4, label=label)
    first = np.asarray(next(iter(curves.values()))[1], dtype=float)[0]
    if np.isfinite(first):
        ax2.axhline(first, color="0.4", ls=":", lw=1.2, label="before training")
    ax1.set_xlabel("epochs (passes over the training data)", fontsize=11)
    ax2.set_xlabel("updates $w \\leftarrow w - \\eta g$ made (log scale)", fontsize=11)
    ax2.set_xscale("log")
    ax1.set_ylabel(ylabel, fontsize=11)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3, which="both")
        if log_loss:
            ax.set_yscale("log")
    ax1.set_title("Per epoch: the same computation for every $B$", fontsize=11)
    ax2.set_title("Per update: a larger batch makes a better step", fontsize=11)
    ax1.legend(fontsize=9)
    ax2.legend(fontsize=9)
    if title:
        fig.suptitle(title, fontsize=13)
    return legible(fig)


def plot_quadratic_gd(etas, *, a: float = 2.0, w0: float = 1.0, steps: int = 12):
    """Gradient descent on ``f(w) = (a/2) w²``: ``w_{t+1} = (1 − η a) w_t``, one panel per η.

    Parameters
    ----------
    etas : sequence of float
        Learning rates ``η``, one column each.
    a : float
        The curvature ``f''(w)``; ``a = 2`` is ``f(w) = w²``.
    w0 : float
        The starting point.
    steps : int
        Steps drawn.

    Returns
    -------
    matplotlib.figure.Figure
        Top: the parabola and the iterates (a zig-zag when ``η a > 1``); bottom: ``w_t``
        against ``t`` for every η together.
    """
    import numpy as np
    from matplotlib.figure import Figure

    etas = [float(e) for e in etas]
    fig = Figure(figsize=(2.4 * len(etas) + 0.6, 6.4), layout="constrained")
    mosaic = [[f"p{i}" for i in range(len(etas))], ["t"] * len(etas)]
    axes = fig.subplot_mosaic(mosaic, height_ratios=[1.15, 1.0])
    t = np.arange(steps + 1)
    spans = []
    for i, eta in enumerate(etas):
        r = 1 - eta * a
        w = w0 * r ** t
        span = 1.15 * min(np.max(np.abs(w)), 4 * abs(w0))     # each panel its own zoom
        spans.append(span)
        grid = np.linspace(-span, span, 401)
        color = _CH02_COLORS[i % len(_CH02_COLORS)]
        ax = axes[f"p{i}"]
        ax.plot(grid, a / 2 * grid ** 2, color="0.6", lw=1.5)
        shown = np.abs(w) <= span
        ax.plot(w[shown], a / 2 * w[shown] ** 2, "o-", color=color, lw=1.4, ms=4)
        ax.plot(w[0], a / 2 * w[0] ** 2, "o", color="black", ms=6, zorder=3)
        if r == 0:
            kind = "one step to the minimum"
        elif 0 < r < 1:
            kind = "creeps down one side"
        elif -1 < r < 0:
            kind = "zig-zags, converges"
        elif r == -1:
            kind = "bounces forever"
        else:
            kind = "diverges"
        ax.set_title(f"$\\eta = {eta:g}$, $\\eta a = {eta * a:g}$\n{kind}", fontsize=10.5)
        ax.set_xlabel("$w$", fontsize=10)
        ax.set_ylim(-0.05 * a / 2 * span ** 2, a / 2 * span ** 2 * 1.05)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.set_ylabel(f"$f(w) = {a / 2:g}\\,w^2$" if a != 2 else "$f(w) = w^2$", fontsize=10)
        axes["t"].plot(t, w, "o-", color=color, lw=1.8, ms=4,
                       label=f"$\\eta = {eta:g}$: $w_t = ({r:g})^t w_0$")
    axes["t"].axhline(0, color="black", lw=0.8)
    axes["t"].set_xlabel("step $t$", fontsize=11)
    axes["t"].set_ylabel("$w_t$", fontsize=11)
    axes["t"].set_ylim(-max(spans), max(spans))
    axes["t"].grid(alpha=0.3)
    # below the panels, not inside: a diverging run reaches every corner of the axes
    fig.legend(*axes["t"].get_legend_handles_labels(), fontsize=9,
               ncols=min(len(etas), 4), loc="outside lower center")
    return legible(fig)
