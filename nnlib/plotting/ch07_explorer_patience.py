"""The early-stopping explorer (chapter 7): the chapter's network and data trained by
``fit`` with ``EarlyStopping(patience, restore_best=True)`` for a slider of the patience.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import (
    _explorer_cache,
    _explorer_choice,
    _explorer_frozen,
    _explorer_log_axis,
    _explorer_one_thread,
    diverged_text,
    divergence,
    finite_or_none,
    legible_frame,
    mark_divergence,
    with_diverged_note,
)
from .ch07_explorer_dropout import (
    OVERFIT_SETUP,
    _fit_panel,
    overfit_curve,
    overfit_data,
    overfit_network,
    overfit_optimizer,
)
from .ch07_overfitting import _CH07_COLOURS

__all__ = [
    "PATIENCE_GRID", "PATIENCE_TEXT", "patience_run", "plot_patience", "patience_explorer",
    "PATIENCE_FULL_EPOCHS"
]

#: The slider values of the early-stopping explorer (the text uses 200).
PATIENCE_GRID = (1, 5, 10, 20, 50, 100, 200)
#: The patience of the text's run (§7.3).
PATIENCE_TEXT = 200
#: How many epochs the run without early stopping (drawn faintly behind) is trained.
PATIENCE_FULL_EPOCHS = 600


def _patience_check(patience, owner: str) -> int:
    return _explorer_choice(patience, "patience", PATIENCE_GRID, owner)


@_explorer_cache
def _patience_full():
    """The same run without early stopping, for the faint curves (``fit``'s History)."""
    from ..losses import MSELoss
    from ..training import fit

    d = overfit_data()
    net = overfit_network()
    with _explorer_one_thread():
        return fit(net, MSELoss(), overfit_optimizer(net), *d["train"],
                   epochs=PATIENCE_FULL_EPOCHS, batch_size=len(d["train"][0]),
                   rng=OVERFIT_SETUP["fit_seed"], validation=d["val"])


@_explorer_cache
def _patience_run(patience: int):
    from ..losses import MSELoss
    from ..training import EarlyStopping, evaluate, fit

    d = overfit_data()
    net = overfit_network()
    with _explorer_one_thread():
        hist = fit(net, MSELoss(), overfit_optimizer(net), *d["train"],
                   epochs=OVERFIT_SETUP["epochs"], batch_size=len(d["train"][0]),
                   rng=OVERFIT_SETUP["fit_seed"], validation=d["val"],
                   early_stopping=EarlyStopping(patience, restore_best=True))
        restored_val = evaluate(net, MSELoss(), *d["val"])[0]
        curve = overfit_curve(net)
    return {"train_loss": _explorer_frozen(hist.train_loss),
            "val_loss": _explorer_frozen(hist.val_loss),
            "stopped_epoch": hist.stopped_epoch, "best_epoch": hist.best_epoch,
            "diverged": bool(hist.diverged), "restored_val_loss": float(restored_val),
            "curve": _explorer_frozen(curve)}


def patience_run(patience: int) -> dict:
    """Train the chapter's network with ``fit(..., early_stopping=EarlyStopping(patience,
    restore_best=True))`` (cached per patience of :data:`PATIENCE_GRID`).

    Returns
    -------
    dict
        ``train_loss`` and ``val_loss`` (the ``History``'s, one per epoch run),
        ``stopped_epoch`` and ``best_epoch`` (the ``History``'s: where training stopped and
        whose weights were put back; ``best_epoch`` is None if the run diverged in its first
        epoch), ``diverged`` (the ``History``'s: the loss became NaN or infinite, the lists end
        there), ``restored_val_loss`` (the validation loss of the network after ``fit``, i.e. of
        the restored weights) and ``curve``, the restored network's output on the x grid of
        :func:`~nnlib.plotting.ch07_explorer_dropout.overfit_data`.
    """
    return dict(_patience_run(_patience_check(patience, "patience_run")))


def plot_patience(patience: int):
    """Early-stopping explorer: what ``EarlyStopping(patience, restore_best=True)`` does.

    Left: the training and validation loss of the run up to where it stopped (bold), the
    run without early stopping (faint), the stopping epoch (red line) and the restored
    epoch (purple star), on a log epoch axis. Right: the fitted curve of the restored
    weights. The title states both epochs and the restored validation loss.

    Parameters
    ----------
    patience : int
        One of :data:`PATIENCE_GRID`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    patience = _patience_check(patience, "plot_patience")
    run = _patience_run(patience)
    full = _patience_full()
    c = _CH07_COLOURS
    best, stop = run["best_epoch"], run["stopped_epoch"]
    div = divergence(run["train_loss"], run["val_loss"], diverged=run["diverged"])
    fig = Figure(figsize=(10, 3.6))          # a fixed layout, for speed (as plot_lr)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1], "left": 0.07,
                                             "right": 0.985, "bottom": 0.14, "top": 0.82,
                                             "wspace": 0.22})
    fig.suptitle(_patience_headline(patience, run, div), fontsize=11.5, fontweight="bold")

    ax.set_label("loss")
    full_div = divergence(full.train_loss, full.val_loss, diverged=full.diverged)
    e_full = np.arange(1, full_div.finite + 1)
    ax.plot(e_full, full.train_loss[:full_div.finite], color=c["train"], lw=1.2, alpha=0.25)
    ax.plot(e_full, full.val_loss[:full_div.finite], color=c["val"], lw=1.2, alpha=0.25,
            label=with_diverged_note("without early stopping", full_div))
    epochs = np.arange(1, div.finite + 1)
    ax.plot(epochs, run["train_loss"][:div.finite], color=c["train"], lw=2,
            label="training loss")
    ax.plot(epochs, run["val_loss"][:div.finite], color=c["val"], lw=2,
            label="validation loss")
    if div.epoch is None:
        ax.axvline(stop, color=c["stop"], lw=1.5, ls=":", label=f"stops after epoch {stop}")
    mark_divergence(ax, div)
    if best is not None:
        ax.plot([best], [run["val_loss"][best - 1]], "*", color=c["best"], ms=15,
                mec="black", zorder=4, label=f"restored: epoch {best}")
        ax.axvline(best, color=c["best"], lw=1.2, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    _explorer_log_axis(ax.xaxis)
    _explorer_log_axis(ax.yaxis)
    ax.set_xlim(1, PATIENCE_FULL_EPOCHS)
    ax.set_ylim(0.02, 3)
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title(_patience_loss_title(patience, best, stop, div), fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)

    curve = finite_or_none(run["curve"]) if best is not None else None
    _fit_panel(bx, curve, colour=c["best"],
               label=f"the network with the weights of epoch {best}",
               title="the fitted function with the restored weights")
    return legible_frame(fig)


def _patience_headline(patience: int, run: dict, div) -> str:
    """The title: where the run stopped and which epoch it restored (for a run that
    diverged, where it did, and the epoch restored if there was one)."""
    text = " (the text's choice)" if patience == PATIENCE_TEXT else ""
    best = run["best_epoch"]
    if div.epoch is None:
        stop = f"stops after epoch {run['stopped_epoch']}"
    else:
        stop = diverged_text(div.epoch)
    if best is None:
        return f"patience = {patience}{text}: {stop}, no epoch to restore"
    return (f"patience = {patience}{text}: {stop}, restores epoch {best} (validation loss "
            f"{run['restored_val_loss']:.3f})")


def _patience_loss_title(patience: int, best, stop: int, div) -> str:
    """The loss panel's title: how long after the best epoch the run stopped, and why."""
    epochs_word = "epoch" if patience == 1 else "epochs"
    if div.epoch is not None:
        return (f"{diverged_text(div.epoch)}, before {patience} {epochs_word} without a "
                f"better validation loss")
    return (f"stopped {stop - best} {epochs_word} after the best one: {patience} "
            f"{epochs_word} without a better validation loss")


#: The early-stopping explorer of chapter 7, one state per patience, 1 first.
patience_explorer = Explorer(
    name="patience", kind="early-stopping",
    title=("Early stopping: fit with EarlyStopping(patience, restore_best=True) on the "
           "chapter's network; where it stops and which epoch's weights it keeps"),
    draw=plot_patience, run=patience_run,
    params=(Param("patience", "patience (epochs)", PATIENCE_GRID, default=1),))
