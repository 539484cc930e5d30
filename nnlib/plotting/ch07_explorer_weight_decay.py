"""The weight-decay explorer (chapter 7): one small network trained with
``E_in + λ Σ w²`` for a slider of λ.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import (
    _EXPLORER_VERDICT_COLOURS,
    _explorer_cache,
    _explorer_frozen,
    _explorer_log_axis,
    _explorer_one_thread,
    diverged_text,
    divergence,
    legible_frame,
    mark_divergence,
)

__all__ = [
    "WEIGHT_DECAY_GRID", "WEIGHT_DECAY_NOTES", "WEIGHT_DECAY_SETUP", "plot_weight_decay",
    "weight_decay_run", "weight_decay_verdict", "weight_decay_explorer", "DECAYED_BELOW"
]

#: The slider values of the weight-decay explorer, 0 and then log-spaced up to 1.
WEIGHT_DECAY_GRID = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: The notes' choice of λ (§8.2).
WEIGHT_DECAY_NOTES = 0.01
#: The set-up, an MLP 2–64–64–2 on few noisy moons trained by full-batch SGD with ``lr``.
WEIGHT_DECAY_SETUP = {"n_train": 20, "n_val": 200, "noise": 0.35, "hidden": 64, "lr": 0.5,
                      "epochs": 200}
_WD_EXPLAIN = {"overfits": "the validation loss turns back up while the training loss → 0",
               "good fit": "the validation loss ends near its lowest value",
               "underfits": "the weights are held so small that even the training data "
                            "is not fitted",
               "diverges": "the loss became NaN or infinite, training stopped"}


def _wd_check(lam, owner: str) -> float:
    from .._checks import real_number

    return real_number(lam, "lam", low=0.0, owner=owner)


@_explorer_cache
def _wd_data():
    """Few noisy training moons and a larger validation set from the same distribution."""
    from ..data import moons

    s = WEIGHT_DECAY_SETUP
    return moons(s["n_train"], s["noise"], rng=1), moons(s["n_val"], s["noise"], rng=2)


def _wd_network():
    from ..activations import ReLU
    from ..layers import Linear, Sequential

    h = WEIGHT_DECAY_SETUP["hidden"]
    return Sequential(Linear(2, h, rng=1), ReLU(), Linear(h, h, rng=2), ReLU(),
                      Linear(h, 2, rng=3))


@_explorer_cache
def _wd_run(lam: float):
    import numpy as np

    from ..losses import SoftmaxCrossEntropy
    from ..optim import SGD
    from ..training import fit

    (Xt, yt), (Xv, yv) = _wd_data()
    s = WEIGHT_DECAY_SETUP
    net = _wd_network()
    with _explorer_one_thread():
        hist = fit(net, SoftmaxCrossEntropy(),
                   SGD(net.parameters(), lr=s["lr"], weight_decay=lam), Xt, yt,
                   epochs=s["epochs"], batch_size=len(Xt), rng=4, validation=(Xv, yv))
    weights = np.concatenate([p.value.ravel() for p in net.parameters() if p.decay])
    xs = np.linspace(-1.8, 2.8, 93)
    ys = np.linspace(-1.5, 2.0, 71)
    G = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    net.eval()
    scores = net.forward(G)
    z = scores[:, 1] - scores[:, 0]                 # log-odds of class 1: boundary at 0
    return {"train_loss": _explorer_frozen(hist.train_loss),
            "val_loss": _explorer_frozen(hist.val_loss),
            "train_acc": hist.train_acc[-1], "val_acc": hist.val_acc[-1],
            "weights": _explorer_frozen(weights),
            "grid": (_explorer_frozen(xs), _explorer_frozen(ys),
                     _explorer_frozen(z.reshape(len(ys), len(xs)))),
            "diverged": bool(hist.diverged), "verdict": _wd_verdict(hist)}


def _wd_verdict(hist) -> str:
    """The verdict of :func:`weight_decay_run` from ``fit``'s History."""
    import math

    if hist.diverged:
        return "diverges"
    if hist.train_loss[-1] > 0.5 * math.log(2):
        return "underfits"
    return "overfits" if hist.val_loss[-1] > 1.1 * min(hist.val_loss) else "good fit"


def weight_decay_run(lam: float) -> dict:
    """Train the MLP of :data:`WEIGHT_DECAY_SETUP` with ``SGD(weight_decay=λ)`` (cached per λ).

    Returns
    -------
    dict
        ``train_loss`` and ``val_loss`` per epoch (data loss, without ``λ Σ w²``),
        the final ``train_acc``, ``val_acc``, ``weights`` (all entries of the weight
        matrices, not the biases), ``grid`` (``xs, ys, z``: the score difference
        ``s₁ − s₀`` over the plane; the decision boundary is ``z = 0``) and ``verdict``:
        ``diverged`` (``History.diverged``: the loss became NaN or infinite, the lists end there)
        and ``verdict``: ``"diverges"`` (it diverged), ``"underfits"`` (the final training loss
        is above ``½ ln 2``, half the loss of a coin flip), ``"overfits"`` (the final validation
        loss is over 10 % above its minimum) or ``"good fit"``.
    """
    return dict(_wd_run(_wd_check(lam, "weight_decay_run")))


def weight_decay_verdict(lam: float) -> str:
    """``"overfits"``, ``"good fit"``, ``"underfits"`` or ``"diverges"`` for weight decay λ
    (from the run)."""
    return _wd_run(_wd_check(lam, "weight_decay_verdict"))["verdict"]


def plot_weight_decay(lam: float):
    """Weight-decay explorer: the same small network trained with ``E_in + λ Σ w²``.

    Left: training and validation loss per epoch. Middle: the decision boundary with the
    training points (large) and the validation points (small). Right: a histogram of the
    weights and ``Σ w²``. The title gives the verdict (:func:`weight_decay_verdict`).

    Parameters
    ----------
    lam : float
        ``λ ≥ 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    lam = _wd_check(lam, "plot_weight_decay")
    run = _wd_run(lam)
    verdict = run["verdict"]
    div = divergence(run["train_loss"], run["val_loss"], diverged=run["diverged"])
    fig = Figure(figsize=(10, 3.4))          # a fixed layout, for speed (as plot_lr)
    ax, bx, cx = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.05, 0.9],
                                                 "left": 0.07, "right": 0.985, "bottom": 0.14,
                                                 "top": 0.83, "wspace": 0.3})
    fig.suptitle(_wd_headline(lam, verdict, div), fontsize=12,
                 color=_EXPLORER_VERDICT_COLOURS[verdict], fontweight="bold")
    _wd_loss_panel(ax, run, div)
    _wd_boundary_panel(bx, run)
    _wd_weights_panel(cx, run["weights"])
    return legible_frame(fig)


def _wd_headline(lam: float, verdict: str, div) -> str:
    """``λ = 0.01 (the notes' choice): good fit — ...``, with the epoch of a divergence."""
    notes = " (the notes' choice)" if lam == WEIGHT_DECAY_NOTES else ""
    explain = _WD_EXPLAIN[verdict]
    if div.epoch is not None:
        explain = f"{diverged_text(div.epoch)}: {explain}"
    return f"λ = {lam:g}{notes}: {verdict} — {explain}"


def _wd_last(values) -> str:
    """``": 0.123"``, the last loss for the legend, or nothing if there is none."""
    return f": {values[-1]:.3f}" if len(values) else ""


def _wd_loss_panel(ax, run: dict, div) -> None:
    """Training and validation loss per epoch, up to the last finite epoch."""
    import numpy as np

    (Xt, _), (Xv, _) = _wd_data()
    n = div.finite
    train, val = run["train_loss"][:n], run["val_loss"][:n]
    ax.set_label("loss")
    epochs = np.arange(1, n + 1)
    ax.plot(epochs, train, color="tab:blue", lw=2,
            label=f"training ({len(Xt)} points){_wd_last(train)}")
    ax.plot(epochs, val, color="tab:orange", lw=2,
            label=f"validation ({len(Xv)}){_wd_last(val)}")
    if n:
        best = int(np.argmin(val))
        ax.plot(epochs[best], val[best], "v", color="tab:orange", ms=7,
                label=f"lowest validation loss (epoch {best + 1})")
    mark_divergence(ax, div)
    ax.set_yscale("log")
    _explorer_log_axis(ax.yaxis)
    ax.set_ylim(3e-3, 3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title("loss (without the λΣw² term)", fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)


def _wd_boundary_panel(bx, run: dict) -> None:
    """The decision boundary over the training and validation points (only the points,
    and a note, if the network's scores are NaN or infinite)."""
    import numpy as np

    (Xt, yt), (Xv, yv) = _wd_data()
    bx.set_label("boundary")
    xs, ys, z = run["grid"]
    finite = bool(np.all(np.isfinite(z)))
    if finite:
        bx.imshow(np.clip(z, -8, 8), extent=(xs[0], xs[-1], ys[0], ys[-1]), origin="lower",
                  cmap="RdBu", vmin=-8, vmax=8, alpha=0.45, aspect="auto",
                  interpolation="bilinear")
        if z.min() < 0 < z.max():
            bx.contour(xs, ys, z, levels=[0], colors="black", linewidths=1.5)
    for c, colour in ((0, "tab:red"), (1, "tab:blue")):
        bx.scatter(*Xv[yv == c].T, s=6, color=colour, alpha=0.5, lw=0)
        bx.scatter(*Xt[yt == c].T, s=40, color=colour, edgecolor="black", lw=0.8,
                   label=f"class {c} (training)")
    bx.set_xlim(xs[0], xs[-1])
    bx.set_ylim(ys[0], ys[-1])
    bx.set_xlabel("$x_1$")
    bx.set_ylabel("$x_2$")
    if finite:
        title = (f"decision boundary: accuracy {run['train_acc']:.0%} training, "
                 f"{run['val_acc']:.0%} validation")
    else:
        title = "no decision boundary: the scores are NaN or infinite"
    bx.set_title(title, fontsize=9)
    bx.legend(loc="lower left", fontsize=7, framealpha=0.85)


def _wd_weights_panel(cx, w) -> None:
    """A histogram of the (finite) weights and their ``Σ w²``."""
    import numpy as np

    cx.set_label("weights")
    finite = np.isfinite(w)
    counts, edges = np.histogram(np.clip(w[finite], -3, 3), bins=np.linspace(-3, 3, 49))
    cx.stairs(counts, edges, fill=True, color="tab:gray")   # hist's 48 bars as one patch
    cx.set_ylim(0, None)
    cx.set_xlim(-3, 3)
    cx.set_xlabel("weight value $w$")
    cx.set_ylabel("count")
    if finite.all():
        title = f"{w.size} weights: {_sum_of_squares(w)}"
    else:
        title = f"{w.size} weights, {w.size - int(finite.sum())} of them NaN or infinite"
    cx.set_title(title, fontsize=10)
    cx.grid(alpha=0.3, lw=0.5)


#: Below this, Σw² is shown as a bound. The weights have decayed away, and what is left of
#: them (1e-36 at λ = 1) is round-off, whose digits differ from CPU to CPU.
DECAYED_BELOW = 1e-6


def _sum_of_squares(w) -> str:
    """``Σw² = 12.3``, or ``Σw² < 1e-6 (decayed to 0)`` where only round-off is left."""
    import numpy as np

    from .._format import bound

    total = float(np.sum(w ** 2))
    if total < DECAYED_BELOW:
        return f"Σw² < {bound(DECAYED_BELOW)} (decayed to 0)"
    return f"Σw² = {total:.3g}"


#: The weight-decay explorer of chapter 7, one state per λ, the notes' 0.01 first.
weight_decay_explorer = Explorer(
    name="weight-decay", kind="weight-decay",
    title=("Weight decay λ: loss curves, decision boundary and weights of a small "
           "network trained on 20 noisy points"),
    draw=plot_weight_decay, run=weight_decay_run,
    params=(Param("lam", "λ (weight decay)", WEIGHT_DECAY_GRID, default=WEIGHT_DECAY_NOTES,
                  short="λ"),))
