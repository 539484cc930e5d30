"""The dropout explorer (chapter 7): the chapter's network on the chapter's 16 noisy points,
trained with inverted dropout of rate ``p`` after each hidden layer.

The set-up (data, network, optimiser) is the one of chapter 7's text, so the explorer's
``p = 0`` and ``p = 0.1`` runs are the text's runs; the early-stopping explorer
(:mod:`~nnlib.plotting.ch07_explorer_patience`) uses it too.
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
)
from .ch07_overfitting import _CH07_COLOURS

__all__ = [
    "DROPOUT_GRID", "OVERFIT_SETUP", "dropout_run", "overfit_data", "plot_dropout_rate",
    "dropout_explorer", "overfit_network", "overfit_optimizer", "overfit_curve"
]

#: The slider values of the dropout explorer (the text uses 0.1). The slider stops at 0.3:
#: from p = 0.4 on, 3000 full-batch epochs with momentum 0.9 on 16 points are chaotic (at
#: 0.5 a relative change of 1e-9 in one initial weight, or another CPU's rounding, moves
#: the final losses from 0.32 to anywhere between 0.29 and 0.70, and on some CPUs the run
#: diverges), and at p = 0.8 the loss explodes within 20 epochs.
DROPOUT_GRID = (0.0, 0.1, 0.2, 0.3)
#: The chapter's set-up, ``regression_1d(n, noise, rng=data_seed)`` split 16 / 12 / 12,
#: inputs standardised, an MLP 1–64–64–1 with tanh (Xavier, ``rng=net_seed``), full-batch SGD
#: with ``lr`` and ``momentum``, ``fit(rng=fit_seed)`` for ``epochs`` epochs; for dropout, the
#: training loss of the full network (eval mode) is measured every ``eval_every`` epochs.
OVERFIT_SETUP = {"n": 40, "noise": 0.3, "data_seed": 12, "split_seed": 0, "hidden": 64,
                 "lr": 0.05, "momentum": 0.9, "net_seed": 0, "fit_seed": 0, "epochs": 3000,
                 "eval_every": 10}


@_explorer_cache
def overfit_data():
    """The chapter's data, as a dict: ``train`` and ``val``, the 16 training and 12
    validation points ``(X, y)`` with standardised inputs (the test set stays unused);
    ``x_train`` and ``x_val``, their inputs in the original units ``x ∈ [0, 1]``; ``scaler``,
    the :class:`~nnlib.data.Standardizer` fitted on the training inputs; ``x_grid``, 201
    points of ``[0, 1]`` to draw fitted curves on.
    """
    import numpy as np

    from ..data import Standardizer, regression_1d, train_val_test_split

    s = OVERFIT_SETUP
    X, y = regression_1d(s["n"], noise=s["noise"], rng=s["data_seed"])
    X_train, y_train, X_val, y_val, _, _ = train_val_test_split(
        X, y, val=0.3, test=0.3, stratify=False, rng=s["split_seed"])
    scaler = Standardizer().fit(X_train)
    f = _explorer_frozen
    return {"train": (f(scaler.transform(X_train)), f(y_train)),
            "val": (f(scaler.transform(X_val)), f(y_val)), "x_train": f(X_train),
            "x_val": f(X_val), "scaler": scaler, "x_grid": f(np.linspace(0.0, 1.0, 201))}


def overfit_network(p: float = 0.0):
    """The chapter's ``make_net(p)``: 1 → 64 → 64 → 1 with tanh, ``Dropout(p)`` after each
    tanh when ``p > 0``, all drawn from one generator seeded with ``net_seed``."""
    import numpy as np

    from ..activations import Tanh
    from ..layers import Dropout, Linear, Sequential

    s = OVERFIT_SETUP
    rng, h = np.random.default_rng(s["net_seed"]), s["hidden"]
    layers = [Linear(1, h, init="xavier", rng=rng), Tanh()]
    layers += [Dropout(p, rng=rng)] if p else []
    layers += [Linear(h, h, init="xavier", rng=rng), Tanh()]
    layers += [Dropout(p, rng=rng)] if p else []
    return Sequential(*layers, Linear(h, 1, init="xavier", rng=rng))


def overfit_optimizer(net):
    """Full-batch SGD of the chapter: ``SGD(lr=0.05, momentum=0.9)``."""
    from ..optim import SGD

    s = OVERFIT_SETUP
    return SGD(net.parameters(), lr=s["lr"], momentum=s["momentum"])


def overfit_curve(net):
    """The network's output (eval mode) on the x grid of :func:`overfit_data`."""
    d = overfit_data()
    net.eval()
    return net.forward(d["scaler"].transform(d["x_grid"].reshape(-1, 1))).reshape(-1)


def _dropout_check(p, owner: str) -> float:
    return _explorer_choice(p, "p", DROPOUT_GRID, owner)


@_explorer_cache
def _dropout_run(p: float):
    import numpy as np

    from ..losses import MSELoss
    from ..training import evaluate, fit

    d = overfit_data()
    (Xt, yt), (Xv, yv) = d["train"], d["val"]
    s = OVERFIT_SETUP
    net = overfit_network(p)
    opt = overfit_optimizer(net)
    rng = np.random.default_rng(s["fit_seed"])    # one generator for all the chunks: the
    train, val, full_epochs, full = [], [], [], []    # same run as one fit(rng=fit_seed) call
    diverged = False
    with _explorer_one_thread():
        for start in range(0, s["epochs"], s["eval_every"]):
            h = fit(net, MSELoss(), opt, Xt, yt, epochs=s["eval_every"], batch_size=len(Xt),
                    rng=rng, validation=(Xv, yv))
            train += h.train_loss
            val += h.val_loss
            if h.diverged:
                diverged = True
                break
            full_epochs.append(start + s["eval_every"])
            full.append(evaluate(net, MSELoss(), Xt, yt)[0])
        curve = None if diverged else _explorer_frozen(overfit_curve(net))
    return {"train_loss": _explorer_frozen(train), "val_loss": _explorer_frozen(val),
            "full_epochs": _explorer_frozen(full_epochs), "full_train_loss": _explorer_frozen(full),
            "diverged": diverged, "curve": curve}


def dropout_run(p: float) -> dict:
    """Train the chapter's network with dropout ``p`` (cached per ``p`` of :data:`DROPOUT_GRID`).

    Returns
    -------
    dict
        ``train_loss`` and ``val_loss`` per epoch, exactly the ``History`` of one
        ``fit`` call (the training loss as ``fit`` measures it, with dropout on), and
        ``full_train_loss``, the training loss of the full network (eval mode, as the
        validation loss) after the epochs ``full_epochs`` (every ``eval_every``-th); ``diverged``
        (training stopped with a NaN or infinite loss; the lists then end there) and ``curve``,
        the final network's output on the x grid of :func:`overfit_data` (None if diverged).
    """
    return dict(_dropout_run(_dropout_check(p, "dropout_run")))


def plot_dropout_rate(p: float):
    """Dropout explorer: the chapter's network trained with inverted dropout of rate ``p``.

    Left: the training loss as ``fit`` measures it (dropout on, light), the training loss of
    the full network (eval mode) and the validation loss, per epoch. Right: the fitted curve
    of the final network with the training and validation points and the true curve. The
    title states the final losses of the full network and the gap between them.

    Parameters
    ----------
    p : float
        One of :data:`DROPOUT_GRID`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    p = _dropout_check(p, "plot_dropout_rate")
    run = _dropout_run(p)
    c = _CH07_COLOURS
    fig = Figure(figsize=(10, 3.6))          # a fixed layout, for speed (as plot_lr)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1], "left": 0.07,
                                             "right": 0.985, "bottom": 0.14, "top": 0.82,
                                             "wspace": 0.22})
    div = divergence(run["train_loss"], run["val_loss"], diverged=run["diverged"])
    fig.suptitle(_dropout_headline(p, run, div), fontsize=12, fontweight="bold")

    ax.set_label("loss")
    n, m = div.finite, divergence(run["full_train_loss"]).finite
    epochs = np.arange(1, n + 1)
    ax.plot(epochs, run["train_loss"][:n], color=c["train"], lw=0.8, alpha=0.35,
            label="training, dropout on (as fit measures it)")
    ax.plot(run["full_epochs"][:m], run["full_train_loss"][:m], color=c["train"], lw=2,
            label="training, full network (eval mode)")
    ax.plot(epochs, run["val_loss"][:n], color=c["val"], lw=2, label="validation (eval mode)")
    mark_divergence(ax, div)
    ax.set_yscale("log")
    _explorer_log_axis(ax.yaxis)
    ax.set_ylim(0.01, 3)
    ax.set_xlim(0, OVERFIT_SETUP["epochs"])
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title(f"loss, dropout p = {p:g} after each hidden layer", fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)

    _fit_panel(bx, finite_or_none(run["curve"]), colour="tab:red",
               label="the network (eval mode)", title="the fitted function after training")
    return legible_frame(fig)


def _dropout_headline(p: float, run: dict, div) -> str:
    """The title: the final losses of the full network and their gap, or, for a run
    that diverged, where it did (its last losses are NaN or infinite)."""
    if div.epoch is not None:
        return (f"p = {p:g}: {diverged_text(div.epoch)} (the loss became NaN or infinite); "
                f"the curves stop there")
    tr, va = run["full_train_loss"][-1], run["val_loss"][-1]
    return (f"p = {p:g}: after {len(run['val_loss'])} epochs, training loss {tr:.3f}, "
            f"validation loss {va:.3f} (gap {va - tr:.3f})")


def _fit_panel(bx, curve, *, colour: str, label: str, title: str) -> None:
    """The right panel of the chapter 7 explorers: ``curve`` (the network's output on the
    data's ``x_grid``) over the true curve and the training and validation points; without
    a curve (None: the network diverged), the points and a note in the title."""
    import numpy as np

    d, c = overfit_data(), _CH07_COLOURS
    xs = d["x_grid"]
    bx.set_label("fit")
    bx.plot(xs, np.sin(2 * np.pi * xs), color=c["true"], lw=1.5, ls="--",
            label="true curve sin 2πx")
    if curve is None:
        title = "no fitted function: the network's weights are NaN or infinite"
    else:
        bx.plot(xs, curve, color=colour, lw=2.2, label=label)
    bx.plot(d["x_train"].ravel(), d["train"][1].ravel(), "o", color=c["train"], ms=6.5,
            mec="white", label=f"training points ({len(d['x_train'])})")
    bx.plot(d["x_val"].ravel(), d["val"][1].ravel(), "s", color=c["val"], ms=6,
            mec="white", label=f"validation points ({len(d['x_val'])})")
    bx.set_xlim(0, 1)
    bx.set_ylim(-2.2, 2.2)
    bx.set_xlabel("x")
    bx.set_ylabel("y")
    bx.set_title(title, fontsize=10)
    bx.grid(alpha=0.3, lw=0.5)
    bx.legend(loc="lower left", fontsize=7.5, framealpha=0.85)


#: The dropout explorer of chapter 7, one state per p, the text's 0.1 first.
dropout_explorer = Explorer(
    name="dropout", kind="dropout",
    title=("Dropout rate p: loss curves and fitted function of the chapter's network "
           "on its 16 noisy points, 3000 epochs"),
    draw=plot_dropout_rate, run=dropout_run,
    params=(Param("p", "p (dropout rate)", DROPOUT_GRID, default=0.1),))
