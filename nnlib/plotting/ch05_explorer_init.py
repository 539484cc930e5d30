"""The initialisation explorer (chapter 5): the spread of the activations layer by layer,
and whether ``fit`` trains, for the three ``init=`` options of ``Linear`` and a choice of
depths, on the standardised digits.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import (
    _explorer_cache,
    _explorer_choice,
    _explorer_frozen,
    _explorer_log_axis,
    _explorer_one_thread,
    divergence,
    legible_frame,
)

__all__ = [
    "INIT_DEPTHS", "INIT_DISPLAY_NAMES", "INIT_NAMES", "INIT_SETUP", "init_run",
    "init_verdict", "plot_init", "init_explorer", "INIT_STALLED", "INIT_CHAOTIC",
    "INIT_LOSS_TOP", "init_network"
]

#: The ``init=`` options of :class:`~nnlib.layers.Linear`, in the order of the control.
INIT_NAMES = ("normal", "xavier", "he")
#: The names the text uses for them.
INIT_DISPLAY_NAMES = {"normal": "N(0, 1)", "xavier": "Xavier", "he": "He"}
#: The depths of the control (the number of hidden Linear + ReLU layers).
INIT_DEPTHS = (2, 5, 10, 20)
#: The set-up of every run (hidden width, seeds, and the training with ``fit``).
INIT_SETUP = {"width": 128, "split_seed": 2, "net_seed": 0, "fit_seed": 0, "lr": 0.01,
              "batch_size": 16, "epochs": 5}
#: Above this training loss after the last epoch a run counts as not learning
#: (a uniform guess over the 10 classes has loss ln 10, about 2.30).
INIT_STALLED = 2.0

#: The states whose training is chaotic, each with the bound its headline shows instead of
#: the digits of its last training loss. In them a change of 1e-9 in the initial weights
#: (or another CPU's rounding) moves the loss after 5 epochs by percents: over eight random
#: such changes, 0.33 to 0.40 for N(0, 1) at 2 layers (whose scores start in the tens) and
#: 0.51 to 0.61 for He at 20 layers (twenty ReLU layers amplify a step's small changes).
#: Every other state is stable; ``tests/test_ch05_explorer_init.py`` checks both ways.
INIT_CHAOTIC = {("normal", 2): 0.5, ("he", 20): 1.0}

#: The top of the loss axis; larger losses (N(0, 1) before training) are stated in words.
INIT_LOSS_TOP = 1e3

_INIT_COLOURS = {"normal": "tab:red", "xavier": "tab:green", "he": "tab:blue"}


@_explorer_cache
def init_data():
    """The chapter's standardised training digits (``train_val_test_split(..., rng=2)``,
    then a ``Standardizer`` fitted on them): ``(X, y)``, X of shape (1079, 64)."""
    from ..data import Standardizer, digits, train_val_test_split

    X, y = digits()
    X_train, y_train, *_ = train_val_test_split(X, y, rng=INIT_SETUP["split_seed"])
    X_train = Standardizer().fit(X_train).transform(X_train)
    return _explorer_frozen(X_train), y_train


def init_network(init: str, depth: int):
    """A fresh network: ``depth`` hidden layers ``Linear(·, 128, init=init)`` + ReLU, then
    ``Linear(128, 10, init=init)``, all drawn from one generator seeded with
    ``INIT_SETUP["net_seed"]``.

    Parameters
    ----------
    init : {"normal", "xavier", "he"}
    depth : int
        The number of hidden layers.

    Returns
    -------
    nnlib.layers.Sequential
    """
    import numpy as np

    from ..activations import ReLU
    from ..layers import Linear, Sequential

    rng = np.random.default_rng(INIT_SETUP["net_seed"])
    width, layers, fan_in = INIT_SETUP["width"], [], 64
    for _ in range(depth):
        layers += [Linear(fan_in, width, init=init, rng=rng), ReLU()]
        fan_in = width
    return Sequential(*layers, Linear(fan_in, 10, init=init, rng=rng))


def _init_check(init, depth, owner: str) -> tuple[str, int]:
    return (_explorer_choice(init, "init", INIT_NAMES, owner),
            _explorer_choice(depth, "depth", INIT_DEPTHS, owner))


@_explorer_cache
def _init_run(init: str, depth: int):
    import numpy as np

    from ..losses import SoftmaxCrossEntropy
    from ..optim import SGD
    from ..training import evaluate, fit

    X, y = init_data()
    net = init_network(init, depth)
    a, stds = np.array(X), []
    with _explorer_one_thread():
        for m in net.modules[:-1]:              # the hidden layers, before training
            a = m(a)
            if type(m).__name__ == "ReLU":
                stds.append(a.std())
        loss = SoftmaxCrossEntropy()
        start = evaluate(net, loss, X, y)[0]
        hist = fit(net, loss, SGD(net.parameters(), lr=INIT_SETUP["lr"]), X, y,
                   epochs=INIT_SETUP["epochs"], batch_size=INIT_SETUP["batch_size"],
                   rng=INIT_SETUP["fit_seed"])
    return {"input_std": float(X.std()), "stds": _explorer_frozen(stds),
            "start_loss": float(start), "train_loss": _explorer_frozen(hist.train_loss),
            "diverged": bool(hist.diverged)}


def init_run(init: str, depth: int) -> dict:
    """The activations and the training of one network (cached per state).

    Parameters
    ----------
    init : {"normal", "xavier", "he"}
        The ``init=`` of every ``Linear`` (see :func:`init_network`).
    depth : int
        One of :data:`INIT_DEPTHS`.

    Returns
    -------
    dict
        ``input_std`` (the std of the standardised digits), ``stds`` (the std of the output
        of hidden layer ``l = 1..depth`` after ReLU, for the whole training set as one
        batch, before training), ``start_loss`` (the training loss before training),
        ``train_loss`` (``fit``'s History, one per epoch run) and ``diverged`` (the
        History's: the loss became NaN or infinite).
    """
    run = _init_run(*_init_check(init, depth, "init_run"))
    return dict(run)


def init_verdict(init: str, depth: int) -> str:
    """``"diverges"``, ``"does not learn"`` (last training loss above
    :data:`INIT_STALLED`) or ``"trains"``."""
    run = init_run(init, depth)
    if run["diverged"]:
        return "diverges"
    return "does not learn" if run["train_loss"][-1] > INIT_STALLED else "trains"


def _init_headline(init: str, depth: int) -> str:
    run = init_run(init, depth)
    s = run["stds"]
    verdict = init_verdict(init, depth)
    if run["diverged"]:
        after = f"the loss is NaN or infinite in epoch {len(run['train_loss'])}"
    elif run["train_loss"][-1] < INIT_CHAOTIC.get((init, depth), 0.0):
        after = (f"training loss below {INIT_CHAOTIC[init, depth]:g} after "
                 f"{INIT_SETUP['epochs']} epochs (chaotic: its digits depend on the CPU)")
    else:
        after = f"training loss {run['train_loss'][-1]:.3f} after {INIT_SETUP['epochs']} epochs"
    return (f"{INIT_DISPLAY_NAMES[init]}, {depth} layers: output std {s[0]:.3g} at layer 1, "
            f"{s[-1]:.3g} at layer {depth}\n{verdict}: {after}")


def plot_init(init: str, depth: int):
    """Initialisation explorer: the spread of the activations and the training of a deep
    ReLU network on the digits.

    Left: the std of every hidden layer's output (layer 0 is the input), log scale, for
    the chosen initialisation (bold) and the other two (faint). Right: the training loss
    before training (epoch 0) and after each epoch of ``fit``, log scale, with the loss of
    a uniform guess, ln 10. The title states the stds of the first and last layer and the
    verdict (:func:`init_verdict`).

    Parameters
    ----------
    init : {"normal", "xavier", "he"}
    depth : int
        One of :data:`INIT_DEPTHS`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    init, depth = _init_check(init, depth, "plot_init")
    fig = Figure(figsize=(10, 3.8))
    ax, bx = fig.subplots(1, 2, gridspec_kw={"left": 0.085, "right": 0.985, "bottom": 0.14,
                                             "top": 0.78, "wspace": 0.24})
    fig.suptitle(_init_headline(init, depth), fontsize=11, fontweight="bold")

    ax.set_label("stds")
    bx.set_label("loss")
    epochs = INIT_SETUP["epochs"]
    for other in INIT_NAMES:
        run = init_run(other, depth)
        on = other == init
        style = {"color": _INIT_COLOURS[other], "lw": 2.4 if on else 1.2,
                 "alpha": 1.0 if on else 0.35, "ms": 5 if on else 3, "zorder": 3 if on else 2,
                 "label": INIT_DISPLAY_NAMES[other]}
        layers = np.arange(0, depth + 1)
        ax.plot(layers, np.concatenate([[run["input_std"]], run["stds"]]),
                "o-" if on else "-", **style)
        losses = np.concatenate([[run["start_loss"]], run["train_loss"]])
        n = divergence(losses, first=0).finite          # a diverged run: up to its last finite
        bx.plot(np.arange(0, n), losses[:n], "o-" if on else "-", **style)
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 1e21)
    ax.set_xlim(-0.5, max(INIT_DEPTHS) + 0.5)
    ax.set_xticks(range(0, max(INIT_DEPTHS) + 1, 2))
    ax.set_yticks([10.0 ** k for k in range(-4, 21, 4)])
    ax.set_xlabel("layer l (0 = the standardised input)")
    ax.set_ylabel("std of the layer's output (log scale)")
    ax.set_title("the spread of the activations, before training", fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(loc="upper left", fontsize=8.5, title="weights", title_fontsize=8.5)

    bx.axhline(np.log(10), color="0.4", lw=1, ls="--", label="uniform guess, ln 10")
    bx.set_yscale("log")
    top = INIT_LOSS_TOP
    bx.set_ylim(0.05, top)
    run = init_run(init, depth)
    notes = []
    if run["start_loss"] > top:
        notes.append(f"before training: {run['start_loss']:.3g}, above the scale")
    if run["diverged"]:
        notes.append(f"NaN or infinite in epoch {len(run['train_loss'])}: training stops")
    if notes:
        bx.text(0.03, 0.04, "\n".join(notes), transform=bx.transAxes, ha="left", va="bottom",
                fontsize=8.5, color=_INIT_COLOURS[init], fontweight="bold")
    bx.set_xlim(-0.3, epochs + 0.3)
    bx.set_xticks(range(epochs + 1))
    bx.set_xlabel("epoch (0 = before training)")
    bx.set_ylabel("training loss (log scale)")
    bx.set_title(f"fit: SGD, η = {INIT_SETUP['lr']}, B = {INIT_SETUP['batch_size']}, "
                 f"{INIT_SETUP['epochs']} epochs", fontsize=10)
    bx.grid(alpha=0.3, lw=0.5)
    bx.legend(loc="upper right", fontsize=8.5)
    _explorer_log_axis(ax.yaxis)
    _explorer_log_axis(bx.yaxis)
    return legible_frame(fig)


#: The initialisation explorer of chapter 5, initialisation × depth, 12 states; N(0, 1)
#: with 10 layers first, the network of the text.
init_explorer = Explorer(
    name="init", kind="initialisation",
    title=("Initialisation and depth: the spread of the activations layer by layer, and "
           "whether fit trains the network on the digits"),
    draw=plot_init, run=init_run,
    params=(Param("init", "initialisation", INIT_NAMES, default="normal",
                  names=INIT_DISPLAY_NAMES),
            Param("depth", "depth (hidden layers)", INIT_DEPTHS, default=10)))
