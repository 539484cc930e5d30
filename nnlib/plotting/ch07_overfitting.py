"""Figures of chapter 7, overfitting: fitted curves, learning curves, early
stopping, the choice of λ and dropout.
"""

from __future__ import annotations

from ._common import (
    diverged_text,
    divergence,
    legible,
    log_y_if_drawn,
    mark_divergence,
    style_axes,
    with_diverged_note,
)

__all__ = [
    "plot_dropout", "plot_early_stopping", "plot_fits", "plot_lambda_sweep",
    "plot_loss_curves", "plot_overfitting"
]

# Colours of the overfitting chapter (tab10): one per data set, one per model.
_CH07_COLOURS = {"train": "tab:blue", "val": "tab:orange", "new": "tab:green",
                 "test": "tab:brown", "true": "0.45", "stop": "tab:red", "best": "tab:purple"}
_CH07_FIT_COLOURS = ["tab:red", "tab:purple", "tab:cyan", "tab:olive", "tab:pink"]


def _ch07_fits(ax, x_train, y_train, x_grid, fits: dict, y_true=None, x_val=None,
               y_val=None, ylim=(-2.2, 2.2)) -> None:
    """Draw the training points, optional validation points, the true curve and ``fits``."""
    import numpy as np

    x_grid = np.asarray(x_grid, dtype=float).reshape(-1)
    if y_true is not None:
        ax.plot(x_grid, np.asarray(y_true).reshape(-1), color=_CH07_COLOURS["true"], lw=1.8,
                ls="--", label=r"true curve $\sin 2\pi x$", zorder=1)
    for (label, y_fit), colour in zip(fits.items(), _CH07_FIT_COLOURS * len(fits),
                                      strict=False):
        ax.plot(x_grid, np.asarray(y_fit).reshape(-1), color=colour, lw=2.2, label=label,
                zorder=2)
    ax.plot(np.ravel(x_train), np.ravel(y_train), "o", color=_CH07_COLOURS["train"], ms=7,
            mec="white", label=f"training points ({np.size(x_train)})", zorder=3)
    if x_val is not None:
        ax.plot(np.ravel(x_val), np.ravel(y_val), "s", color=_CH07_COLOURS["val"], ms=6.5,
                mec="white", label=f"validation points ({np.size(x_val)})", zorder=3)
    ax.set_ylim(*ylim)
    ax.legend(fontsize=8.5, loc="lower left")


def plot_fits(x_train, y_train, x_grid, fits: dict, *, y_true=None, x_val=None, y_val=None,
              title: str = "Fitted curves"):
    """Curves fitted to a 1-D regression set, with the data and the true curve.

    Parameters
    ----------
    x_train, y_train : array, shape (n, 1) or (n,)
        The training points (blue dots).
    x_grid : array, shape (m, 1) or (m,)
        Where the curves are evaluated.
    fits : dict
        ``{label: predictions on x_grid}``, one coloured curve each (at most five).
    y_true : array, optional
        The noise-free curve on ``x_grid`` (grey, dashed).
    x_val, y_val : array, optional
        Validation points (orange squares).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.4), layout="constrained")
    ax = fig.subplots()
    _ch07_fits(ax, x_train, y_train, x_grid, fits, y_true, x_val, y_val)
    style_axes(ax, "input $x$", "output $y$", title)
    return legible(fig)


def _ch07_curves(ax, curves: dict, marks: dict | None = None,
                 noise_level: float | None = None) -> None:
    """Loss per epoch on a log scale, one line per data set; ``marks`` are vertical lines,
    ``noise_level`` a horizontal one."""
    import numpy as np

    styles = {"training": _CH07_COLOURS["train"], "validation": _CH07_COLOURS["val"],
              "new data": _CH07_COLOURS["new"]}
    for label, values in curves.items():
        colour = next((c for key, c in styles.items() if label.startswith(key)), None)
        values = np.asarray(values, dtype=float)
        div = divergence(values)                    # a diverged run: up to its last finite
        ax.plot(np.arange(1, div.finite + 1), values[:div.finite], lw=1.8, color=colour,
                label=with_diverged_note(label, div))
    for (label, epoch), colour in zip((marks or {}).items(),
                                      [_CH07_COLOURS["best"], _CH07_COLOURS["stop"]] * 4,
                                      strict=False):
        ax.axvline(epoch, color=colour, lw=1.5, ls=":", label=label)
    if noise_level is not None:
        ax.axhline(noise_level, color=_CH07_COLOURS["true"], lw=1.5, ls="--",
                   label=f"noise variance σ² = {noise_level:g}")
    log_y_if_drawn(ax)
    ax.legend(fontsize=8.5)


def plot_loss_curves(curves: dict, *, marks: dict | None = None,
                     noise_level: float | None = None, title: str = "Loss during training"):
    """The loss per epoch on several data sets (log scale).

    Parameters
    ----------
    curves : dict
        ``{label: loss per epoch}``; labels starting with "training", "validation" or
        "new data" get the chapter's colours for these sets. A curve that becomes NaN or
        infinite is drawn up to its last finite epoch, its label saying where it diverged.
    marks : dict, optional
        ``{label: epoch}``, dotted vertical lines (purple, then red).
    noise_level : float, optional
        A dashed horizontal line: the variance of the noise, the lowest mean squared
        error any model can reach on new data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.4), layout="constrained")
    ax = fig.subplots()
    _ch07_curves(ax, curves, marks, noise_level)
    style_axes(ax, "epoch", "mean squared error (log scale)", title)
    return legible(fig)


def plot_overfitting(x_train, y_train, x_grid, fits: dict, curves: dict, *, y_true=None,
                     marks: dict | None = None, noise_level: float | None = None):
    """Overfitting in two panels: the fitted curves (left) and the loss per epoch (right).

    Parameters
    ----------
    x_train, y_train, x_grid, fits, y_true
        As in :func:`plot_fits`.
    curves : dict
        ``{label: loss per epoch}``; labels starting with "training", "validation" or
        "new data" get the chapter's colours for these sets.
    marks : dict, optional
        ``{label: epoch}``, drawn as dotted vertical lines (e.g. the best epoch).
    noise_level : float, optional
        The noise variance, a dashed horizontal line in the loss panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.6), layout="constrained")
    ax_fit, ax_loss = fig.subplots(1, 2)
    _ch07_fits(ax_fit, x_train, y_train, x_grid, fits, y_true)
    style_axes(ax_fit, "input $x$", "output $y$", "What the network computes")
    _ch07_curves(ax_loss, curves, marks, noise_level)
    style_axes(ax_loss, "epoch", "mean squared error (log scale)", "Loss during training")
    return legible(fig)


def plot_early_stopping(history, *, full_history=None, patience: int | None = None):
    """Learning curves of a run with early stopping: the best and the stopping epoch marked.

    Parameters
    ----------
    history : nnlib.training.History
        The run with early stopping (``best_epoch`` and ``stopped_epoch`` set). A run that
        diverged is drawn up to its last finite epoch, with a line and a title saying where
        it diverged (and no best epoch if it diverged in its first).
    full_history : History, optional
        The same training run without early stopping, drawn faintly behind: what
        would have happened had we kept going.
    patience : int, optional
        Shown as the span between the best epoch and the stop.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    div = divergence(history.train_loss, history.val_loss, diverged=history.diverged)
    if not history.val_loss or (history.best_epoch is None and div.epoch is None):
        raise ValueError("plot_early_stopping expected a History with validation losses and "
                         "a best_epoch (fit with validation=... and early_stopping=...)")
    c = _CH07_COLOURS
    best, stop, n = history.best_epoch, history.stopped_epoch, div.finite
    fig = Figure(figsize=(10, 4.6), layout="constrained")
    ax = fig.subplots()
    if full_history is not None:
        full = divergence(full_history.train_loss, full_history.val_loss,
                          diverged=full_history.diverged)
        e = np.arange(1, full.finite + 1)
        ax.plot(e, full_history.train_loss[:full.finite], color=c["train"], lw=1.2, alpha=0.3)
        ax.plot(e, full_history.val_loss[:full.finite], color=c["val"], lw=1.2, alpha=0.3,
                label=with_diverged_note("without early stopping", full))
    e = np.arange(1, n + 1)
    ax.plot(e, history.train_loss[:n], color=c["train"], lw=2, label="training loss")
    ax.plot(e, history.val_loss[:n], color=c["val"], lw=2, label="validation loss")
    if best is not None:
        v_best = history.val_loss[best - 1]
        ax.plot([best], [v_best], "*", color=c["best"], ms=16, mec="black", zorder=4,
                label=f"best epoch {best}: validation loss {v_best:.3f} (weights kept)")
        ax.axvline(best, color=c["best"], lw=1.5, ls=":")
    if div.epoch is None:
        ax.axvline(stop, color=c["stop"], lw=1.5, ls=":", label=f"stop at epoch {stop}")
    mark_divergence(ax, div)
    if patience is not None and best is not None and best <= n:
        _patience_arrow(ax, best, min(stop, n), history.val_loss, patience)
    if full_history is not None:           # the interesting part, and a view of what follows
        ax.set_xlim(0, min(len(full_history.train_loss), 4 * stop))
    log_y_if_drawn(ax)
    ax.legend(fontsize=9, loc="upper right")
    title = "Early stopping: keep the best epoch, stop after the patience runs out"
    if div.epoch is not None:
        title = f"Early stopping: training {diverged_text(div.epoch)}, before the patience ran out"
    style_axes(ax, "epoch", "mean squared error (log scale)", title)
    return legible(fig)


def _patience_arrow(ax, best: int, stop: int, val_loss, patience: int) -> None:
    """The span of the patience, from the best epoch to the stop, above the curve."""
    y_arrow = max(val_loss[best - 1:stop]) * 1.25
    ax.annotate("", xy=(stop, y_arrow), xytext=(best, y_arrow),
                arrowprops=dict(arrowstyle="<->", color="0.3"))
    ax.text(best, y_arrow * 1.06, f"patience: {patience} epochs without\n"
            "a better validation loss", ha="left", va="bottom", fontsize=9, color="0.2")


def plot_lambda_sweep(lams, train_loss, val_loss, *, x_train=None, y_train=None, x_grid=None,
                      fits: dict | None = None, y_true=None, weights: dict | None = None):
    """Choosing λ: the losses after training for each λ, and what three of the λ do.

    Parameters
    ----------
    lams : sequence of float
        The λ values tried; ``λ = 0`` (if present) is drawn as a horizontal reference line.
    train_loss, val_loss : sequence of float
        The data loss on the training and the validation set after training with each λ;
        a λ whose run diverged (a NaN or infinite loss) is left out, and the title names it.
    x_train, y_train, x_grid, fits, y_true : optional
        As in :func:`plot_fits`: curves fitted with a few of the λ (middle panel).
    weights : dict, optional
        ``{label: all weights of the model as one array}`` (right panel, histograms).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    lams = np.asarray(lams, dtype=float)
    train_loss, val_loss = np.asarray(train_loss, float), np.asarray(val_loss, float)
    if not (lams.shape == train_loss.shape == val_loss.shape) or lams.ndim != 1:
        raise ValueError(f"plot_lambda_sweep expected lams, train_loss and val_loss of the "
                         f"same length, got {lams.shape}, {train_loss.shape}, {val_loss.shape}")
    panels = 1 + (fits is not None) + (weights is not None)
    fig = Figure(figsize=(3.7 * panels, 4.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, panels))
    ax = axes[0]
    c = _CH07_COLOURS
    finite = np.isfinite(train_loss) & np.isfinite(val_loss)    # the λ whose run converged
    pos = (lams > 0) & finite
    ax.plot(lams[pos], train_loss[pos], "o-", color=c["train"], lw=2, label="training loss")
    ax.plot(lams[pos], val_loss[pos], "s-", color=c["val"], lw=2, label="validation loss")
    if np.any((lams <= 0) & finite):
        i0 = int(np.flatnonzero((lams <= 0) & finite)[0])
        ax.axhline(train_loss[i0], color=c["train"], lw=1.2, ls="--",
                   label=f"λ = 0: training {train_loss[i0]:.3f}")
        ax.axhline(val_loss[i0], color=c["val"], lw=1.2, ls="--",
                   label=f"λ = 0: validation {val_loss[i0]:.3f}")
    if finite.any():
        k = int(np.flatnonzero(finite)[np.argmin(val_loss[finite])])
        ax.plot([lams[k]], [val_loss[k]], "*", color=c["best"], ms=18, mec="black",
                zorder=4, label=f"lowest validation loss: λ = {lams[k]:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    title = "Training and validation loss after training"
    if not finite.all():
        title += "\ndiverged (NaN or infinite loss), not drawn: λ = " + ", ".join(
            f"{lam:g}" for lam in lams[~finite])
    style_axes(ax, "weight decay λ (log scale)", "mean squared error (log scale)", title)
    if fits is not None:
        _ch07_fits(axes[1], x_train, y_train, x_grid, fits, y_true)
        axes[1].legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.16))
        style_axes(axes[1], "input $x$", "output $y$", "The fitted curves")
    if weights is not None:
        axw = axes[-1]
        all_w = np.concatenate([np.ravel(w) for w in weights.values()])
        lim = float(np.percentile(np.abs(all_w), 99.5))
        bins = np.linspace(-lim, lim, 41)
        for (label, w), colour in zip(weights.items(), _CH07_FIT_COLOURS * len(weights),
                                      strict=False):
            w = np.ravel(w)
            axw.hist(w, bins=bins, histtype="stepfilled", color=colour, alpha=0.15)
            axw.hist(w, bins=bins, histtype="step", lw=2, color=colour,
                     label=f"{label}: rms {np.sqrt(np.mean(w ** 2)):.3f}")
        axw.set_yscale("log")
        axw.set_ylim(bottom=0.7)
        axw.legend(fontsize=8.5, loc="upper right", bbox_to_anchor=(1.0, -0.16))
        style_axes(axw, "weight value $w$", "number of weights (log scale)",
                    "Histogram of the weights (biases excluded)")
    return legible(fig)


def plot_dropout(h, mask, p: float):
    """Inverted dropout on a batch of hidden activations, as heat maps.

    Panels: the activations ``h``, the mask (0 where a unit is dropped, ``1/(1-p)``
    where it is kept), their product (training mode) and ``h`` unchanged (eval mode).

    Parameters
    ----------
    h : array, shape (N, d)
        Hidden activations, one row per example.
    mask : array, shape (N, d)
        The scaled mask, entries 0 or ``1/(1-p)``.
    p : float
        The drop probability.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    h, mask = np.asarray(h, dtype=float), np.asarray(mask, dtype=float)
    if h.ndim != 2 or h.shape != mask.shape:
        raise ValueError(f"plot_dropout expected h and mask of the same shape (N, d), got "
                         f"{h.shape} and {mask.shape}")
    out = h * mask
    vmax = float(max(np.abs(out).max(), np.abs(h).max(), 1e-12))
    # non-negative activations (ReLU, or the demo's) on a sequential map, else a diverging one
    cmap, vmin = ("Reds", 0.0) if h.min() >= 0 else ("RdBu_r", -vmax)
    fig = Figure(figsize=(9.6, 6.4), layout="constrained")     # 2 × 2: legible in the column
    axes = fig.subplots(2, 2).ravel()
    keep = 1 / (1 - p)
    panels = [(h, "activations $h$", cmap, vmin, vmax),
              (mask, f"mask: 0 or 1/(1−p) = {keep:g}", "Greys", 0, keep),
              (out, "training: $h$ ⊙ mask", cmap, vmin, vmax),
              (h, "evaluation: $h$ unchanged", cmap, vmin, vmax)]
    for ax, (data, title, cm, lo, hi) in zip(axes, panels, strict=True):
        im = ax.imshow(data, cmap=cm, vmin=lo, vmax=hi, interpolation="nearest",
                       aspect="auto")
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("hidden unit", fontsize=10)
        ax.set_ylabel("example in the batch", fontsize=10)
        bar = fig.colorbar(im, ax=ax, shrink=0.85)
        if cm == "Greys":
            bar.set_ticks([0, keep], labels=["0 (dropped)", f"{keep:g} (kept)"])
    dropped = float(np.mean(mask == 0))
    fig.suptitle(f"Inverted dropout with p = {p:g}: {dropped:.0%} of the entries dropped in "
                 "this batch, the survivors scaled up", fontsize=12)
    return legible(fig)
