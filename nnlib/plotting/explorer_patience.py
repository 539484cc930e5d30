"""The early-stopping explorer (chapter 7): the chapter's network and data trained by
``fit`` with ``EarlyStopping(patience, restore_best=True)`` for a slider of the patience.
"""

from __future__ import annotations

from ._common import (
    _explorer_cache,
    _explorer_choice,
    _explorer_frozen,
    _explorer_log_axis,
    _explorer_one_thread,
    legible_frame,
)
from .explorer_dropout import (
    OVERFIT_SETUP,
    _fit_panel,
    overfit_curve,
    overfit_data,
    overfit_network,
    overfit_optimizer,
)
from .overfitting import _CH07_COLOURS

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
            "restored_val_loss": float(restored_val), "curve": _explorer_frozen(curve)}


def patience_run(patience: int) -> dict:
    """Train the chapter's network with ``fit(..., early_stopping=EarlyStopping(patience,
    restore_best=True))`` (cached per patience of :data:`PATIENCE_GRID`).

    Returns
    -------
    dict with ``train_loss`` and ``val_loss`` (the ``History``'s, one per epoch run),
    ``stopped_epoch`` and ``best_epoch`` (the ``History``'s: where training stopped and
    whose weights were put back), ``restored_val_loss`` (the validation loss of the network
    after ``fit``, i.e. of the restored weights) and ``curve``, the restored network's output
    on the x grid of :func:`~nnlib.plotting.explorer_dropout.overfit_data`.
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
    text = " (the text's choice)" if patience == PATIENCE_TEXT else ""
    fig = Figure(figsize=(10, 3.6))          # a fixed layout, for speed (as plot_lr)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1], "left": 0.07,
                                             "right": 0.985, "bottom": 0.14, "top": 0.82,
                                             "wspace": 0.22})
    fig.suptitle(f"patience = {patience}{text}: stops after epoch {stop}, restores epoch "
                 f"{best} (validation loss {run['restored_val_loss']:.3f})", fontsize=11.5,
                 fontweight="bold")

    ax.set_label("loss")
    e_full = np.arange(1, len(full.train_loss) + 1)
    ax.plot(e_full, full.train_loss, color=c["train"], lw=1.2, alpha=0.25)
    ax.plot(e_full, full.val_loss, color=c["val"], lw=1.2, alpha=0.25,
            label="without early stopping")
    epochs = np.arange(1, stop + 1)
    ax.plot(epochs, run["train_loss"], color=c["train"], lw=2, label="training loss")
    ax.plot(epochs, run["val_loss"], color=c["val"], lw=2, label="validation loss")
    ax.axvline(stop, color=c["stop"], lw=1.5, ls=":", label=f"stops after epoch {stop}")
    ax.plot([best], [run["val_loss"][best - 1]], "*", color=c["best"], ms=15, mec="black",
            zorder=4, label=f"restored: epoch {best}")
    ax.axvline(best, color=c["best"], lw=1.2, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    _explorer_log_axis(ax.xaxis)
    _explorer_log_axis(ax.yaxis)
    ax.set_xlim(1, PATIENCE_FULL_EPOCHS)
    ax.set_ylim(0.02, 3)
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel("mean squared error (log scale)")
    epochs_word = "epoch" if patience == 1 else "epochs"
    ax.set_title(f"stopped {stop - best} {epochs_word} after the best one: {patience} "
                 f"{epochs_word} without a better validation loss", fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)

    _fit_panel(bx, run["curve"], colour=c["best"],
               label=f"the network with the weights of epoch {best}",
               title="the fitted function with the restored weights")
    return legible_frame(fig)
