"""The learning-rate explorer (chapter 2): gradient descent with one η on a bowl
and on a small network, in four regimes from "too small" to "diverges".
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
)

__all__ = [
    "LR_BOWL", "LR_GRID", "LR_LEFT", "LR_NETWORK", "LR_VERDICTS", "lr_bowl_run",
    "lr_critical", "lr_factors", "lr_headline", "lr_network_run", "lr_verdict", "plot_lr",
    "lr_explorer"
]

#: The slider values of the learning-rate explorer. On both problems below the first
#: three hardly move, 0.1 converges slowly, 0.3 and 1 converge, 3 converges zig-zagging and
#: 10 blows up.
LR_GRID = (0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: The bowl ``f(w) = ½ wᵀAw``: eigenvalues (curvatures) ``a_min, a_max`` of ``A``, the angle
#: (degrees) of its long axis, the fixed start ``w⁰`` and the number of steps shown.
LR_BOWL = {"curvatures": (0.2, 0.6), "angle": 30.0, "start": (-4.0, 2.5), "steps": 30}
#: The network, ``Linear(64, 32)``-ReLU-``Linear(32, 10)`` trained with ``SGD`` on a fixed
#: subset of the standardised digits, one batch of all ``n`` examples per epoch (so, like on
#: the bowl, 30 epochs are 30 steps of gradient descent).
LR_NETWORK = {"n": 500, "hidden": 32, "batch_size": 500, "epochs": 30}
#: The verdicts, from the least to the most alarming, and how the explorer words them.
LR_VERDICTS = ("good", "slow", "too small", "zig-zags", "diverges")
_LR_HEADLINE = {"too small": "too small, hardly moves",
                "slow": "converges, but slowly",
                "good": "converges",
                "zig-zags": "converges, zig-zagging",
                "diverges": "diverges"}
#: What is left after the steps shown. Above ``too small`` of the start the run "hardly
#: moves", above ``slow`` it "converges, but slowly" (fractions of the distance to the
#: minimum on the bowl, of the starting loss for the network).
LR_LEFT = {"too small": 0.45, "slow": 0.1}
_LR_COLOURS = {**_EXPLORER_VERDICT_COLOURS, "slow": "tab:blue", "zig-zags": "tab:orange"}


def _lr_check(lr, owner: str) -> float:
    from .._checks import real_number

    return real_number(lr, "lr", low=0.0, low_open=True, owner=owner)


def _lr_bowl_matrix():
    """``A = R diag(a_min, a_max) Rᵀ``, the bowl rotated by ``LR_BOWL["angle"]``."""
    import numpy as np

    t = np.deg2rad(LR_BOWL["angle"])
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return R @ np.diag(LR_BOWL["curvatures"]) @ R.T


def _lr_bowl_loss(W):
    """``f(w) = ½ wᵀAw`` for every row ``w`` of ``W (..., 2)``."""
    import numpy as np

    return 0.5 * np.einsum("...i,ij,...j->...", W, _lr_bowl_matrix(), W)


def lr_factors(lr: float) -> tuple[float, float]:
    """``|1 − η a|`` for the flattest and the steepest curvature ``a`` of the bowl: the
    factor by which one step multiplies the distance to the minimum along that direction
    (chapter 2, eq. ``eq-ch02-quadratic``)."""
    lr = _lr_check(lr, "lr_factors")
    return tuple(abs(1.0 - lr * a) for a in LR_BOWL["curvatures"])


def _lr_bowl_verdict(lr: float, left: float) -> str:
    """The bowl's verdict from the per-step factors and the distance ``left`` (a fraction
    of the start's) after the steps shown."""
    a_max = max(LR_BOWL["curvatures"])
    if not left <= 1.0 or max(lr_factors(lr)) > 1.0:   # NaN, inf, or a factor above 1
        return "diverges"
    if lr * a_max > 1.0:                    # the steep factor 1 − η a_max is negative
        return "zig-zags"
    if left > LR_LEFT["too small"]:
        return "too small"
    return "slow" if left > LR_LEFT["slow"] else "good"


@_explorer_cache
def _lr_bowl_run(lr: float):
    import numpy as np

    A = _lr_bowl_matrix()
    w = np.array(LR_BOWL["start"], dtype=np.float64)
    path = [w]
    with np.errstate(all="ignore"):             # a diverging run overflows: that is the point
        for _ in range(LR_BOWL["steps"]):
            w = w - lr * (A @ w)                # w ← w − η ∇f(w), ∇f(w) = A w
            path.append(w)
        path = np.array(path)
        loss = _lr_bowl_loss(path)
        dist = np.linalg.norm(path, axis=1)
        left = float(dist[-1] / dist[0])
    return (_explorer_frozen(path), _explorer_frozen(loss), _lr_bowl_verdict(lr, left),
            left)


def lr_bowl_run(lr: float) -> dict:
    """Gradient descent ``w ← w − η A w`` on the bowl ``f(w) = ½ wᵀAw`` of :data:`LR_BOWL`.

    Returns
    -------
    dict
        ``path`` (``(steps + 1, 2)`` iterates from the fixed start), ``loss``
        (``f`` along the path), ``left`` (``‖w_T‖ / ‖w_0‖``, the fraction of the distance to
        the minimum left after the ``T`` steps shown; ``inf`` or NaN after an overflow),
        ``factors`` (:func:`lr_factors`) and ``verdict``: ``"diverges"`` (a factor
        ``|1 − η a|`` above 1: ``η a_max > 2``), ``"zig-zags"`` (``1 < η a_max < 2``: each step
        overshoots along the steep direction, by less each time, so it still converges),
        else from ``left``: ``"too small"`` (more than :data:`LR_LEFT` ``["too small"]``),
        ``"slow"`` (more than ``LR_LEFT["slow"]``) or ``"good"``.
    """
    lr = _lr_check(lr, "lr_bowl_run")
    path, loss, verdict, left = _lr_bowl_run(lr)
    return {"path": path, "loss": loss, "verdict": verdict, "left": left,
            "factors": lr_factors(lr)}


@_explorer_cache
def _lr_digits():
    """The fixed subset of the standardised digits that the network of the explorer learns."""
    import numpy as np

    from ..data import Standardizer, digits

    X, y = digits()
    idx = np.random.default_rng(0).permutation(len(X))[:LR_NETWORK["n"]]
    return Standardizer().fit_transform(X[idx]), y[idx]


@_explorer_cache
def _lr_network_run(lr: float):
    import numpy as np

    from ..activations import ReLU
    from ..layers import Linear, Sequential
    from ..losses import SoftmaxCrossEntropy
    from ..optim import SGD
    from ..training import evaluate, fit

    X, y = _lr_digits()
    h = LR_NETWORK["hidden"]
    net = Sequential(Linear(64, h, rng=1), ReLU(), Linear(h, 10, rng=2))
    loss = SoftmaxCrossEntropy()
    # fit's "validation" set is the training set itself: val_loss is then the training
    # loss after each epoch (train_loss is averaged while the weights move).
    with _explorer_one_thread():
        start = evaluate(net, loss, X, y)[0]
        hist = fit(net, loss, SGD(net.parameters(), lr=lr), X, y,
                   epochs=LR_NETWORK["epochs"], batch_size=LR_NETWORK["batch_size"], rng=3,
                   validation=(X, y))
    losses = np.array([start] + hist.val_loss)
    with np.errstate(invalid="ignore"):
        rises = int(np.sum(losses[1:] > 1.01 * losses[:-1]))
        left = float(losses[-1] / start)
    if hist.diverged or not np.isfinite(losses[-1]) or losses[-1] >= start:
        verdict = "diverges"
    elif rises:
        verdict = "zig-zags"
    elif left > LR_LEFT["too small"]:
        verdict = "too small"
    elif left > LR_LEFT["slow"]:
        verdict = "slow"
    else:
        verdict = "good"
    return _explorer_frozen(losses), bool(hist.diverged), verdict, left


def lr_network_run(lr: float) -> dict:
    """Train the network of :data:`LR_NETWORK` with ``SGD(lr=η)`` (cached per η).

    Returns
    -------
    dict
        ``loss`` (the loss before training, then the training loss of each epoch;
        ends early if training diverged), ``diverged`` (``History.diverged``), ``left`` (the
        last loss over the first) and ``verdict``: ``"diverges"`` (NaN/inf, or the loss ended
        above where it started), ``"zig-zags"`` (the loss rose by more than 1 % from one epoch
        to the next, yet ended lower), else from ``left``: ``"too small"`` (above
        :data:`LR_LEFT` ``["too small"]``), ``"slow"`` (above ``LR_LEFT["slow"]``) or ``"good"``.
    """
    loss, diverged, verdict, left = _lr_network_run(_lr_check(lr, "lr_network_run"))
    return {"loss": loss, "diverged": diverged, "verdict": verdict, "left": left}


def lr_verdict(lr: float) -> str:
    """One of :data:`LR_VERDICTS` for learning rate η: ``"good"``, ``"slow"``,
    ``"too small"``, ``"zig-zags"`` (converges, overshooting) or ``"diverges"``.

    Computed from the two runs of the explorer (:func:`lr_bowl_run`,
    :func:`lr_network_run`); on :data:`LR_GRID` they agree. Where they would not, the
    more alarming verdict wins (the later one in :data:`LR_VERDICTS`).
    """
    lr = _lr_check(lr, "lr_verdict")
    return max(_lr_bowl_run(lr)[2], _lr_network_run(lr)[2], key=LR_VERDICTS.index)


def lr_critical() -> float:
    """The largest stable η on the bowl: ``2 / a_max``, ``a_max`` its steepest curvature.

    Along a direction of curvature ``a`` a step multiplies the distance to the minimum by
    ``1 − ηa``: it shrinks for ``ηa < 2`` (flipping sign, zig-zagging, for ``ηa > 1``)
    and grows for ``ηa > 2``.
    """
    return 2.0 / max(LR_BOWL["curvatures"])


def _lr_percent(left: float) -> str:
    """``0.29`` as ``"29 %"``, ``0.00058`` as ``"0.06 %"``."""
    return f"{100 * left:.0f} %" if left >= 0.01 else f"{100 * left:.1g} %"


def _lr_left_text(verdict: str, left: float, what: str) -> str:
    """``"29 % of the distance left"``, or how much it grew for a diverging run."""
    if verdict == "diverges":
        return f"{what} grew ×{left:.1g}" if left < 1e300 else f"{what} overflowed"
    return f"{_lr_percent(left)} of the {what} left"


_LR_SHORT = {"too small": "hardly moves", "slow": "converges slowly", "good": "converges",
             "zig-zags": "converges, zig-zagging", "diverges": "diverges"}


def lr_headline(lr: float) -> str:
    """The explorer's verdict for η in words, with the number it comes from: the
    per-step factor ``|1 − η a_max|`` or the distance left on the bowl."""
    lr = _lr_check(lr, "lr_headline")
    verdict, bowl = lr_verdict(lr), lr_bowl_run(lr)
    steep = max(bowl["factors"])
    if verdict != bowl["verdict"]:          # the network's verdict: say what it comes from
        detail = _lr_network_detail(lr_network_run(lr))
    elif verdict == "diverges":
        detail = f"|1 − η·a_max| = {steep:.2g} > 1: every overshoot is larger than the last"
    elif verdict == "zig-zags":
        detail = f"|1 − η·a_max| = {steep:.2g} < 1: each step overshoots, by less each time"
    else:
        detail = (f"after {LR_BOWL['steps']} steps {_lr_percent(bowl['left'])} of the "
                  f"distance to the minimum is left")
    return f"η = {lr:g}: {_LR_HEADLINE[verdict]} — {detail}"


def _lr_network_detail(net: dict) -> str:
    """The headline's reason when the network's verdict is the more alarming one."""
    div = divergence(net["loss"], diverged=net["diverged"], first=0)
    if div.epoch is not None:
        return f"the network's loss {diverged_text(div.epoch)} (NaN or infinite)"
    if net["verdict"] == "diverges":
        return "the network's loss ended above where it started"
    if net["verdict"] == "zig-zags":
        return "the network's loss rose from one epoch to the next, yet ended lower"
    return (f"after {LR_NETWORK['epochs']} epochs {_lr_percent(net['left'])} of the "
            f"network's loss is left")


def _lr_off_label(net: dict) -> str:
    """The legend of the mark where the network's loss leaves the plot."""
    import numpy as np

    div = divergence(net["loss"], diverged=net["diverged"], first=0)
    if div.epoch is not None:
        return f"{diverged_text(div.epoch)} (loss → NaN/inf)"
    return f"diverged (loss → {np.nanmax(net['loss']):.0e})"


def plot_lr(lr: float):
    """Learning-rate explorer: one η, two problems, the same five regimes.

    Left: 30 steps of gradient descent ``w ← w − η ∇f(w)`` on an elongated quadratic
    bowl (contours of ``f``), from a fixed start. Right: the training loss per epoch of a
    small network on the digits trained with ``SGD(lr=η)``; the runs of the other
    η of :data:`LR_GRID` in grey. The title gives the verdict (:func:`lr_headline`), each
    panel its own, with the fraction of the distance (of the loss) left.

    Parameters
    ----------
    lr : float
        The learning rate ``η > 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    lr = _lr_check(lr, "plot_lr")
    bowl, net = lr_bowl_run(lr), lr_network_run(lr)
    verdict = lr_verdict(lr)
    crit = lr_critical()
    a_min, a_max = LR_BOWL["curvatures"]

    # a fixed layout: "constrained" would cost a third of every redraw
    fig = Figure(figsize=(9, 3.6))
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1], "left": 0.06,
                                             "right": 0.985, "bottom": 0.13, "top": 0.78,
                                             "wspace": 0.2})
    fig.suptitle(lr_headline(lr), fontsize=11, color=_LR_COLOURS[verdict],
                 fontweight="bold")

    # left: the bowl
    ax.set_label("bowl")
    xs, ys = np.linspace(-5.5, 5.5, 121), np.linspace(-4, 4, 91)
    G = np.stack(np.meshgrid(xs, ys), axis=-1)
    ax.contourf(xs, ys, _lr_bowl_loss(G), levels=14, cmap="Blues_r", alpha=0.85)
    ax.contour(xs, ys, _lr_bowl_loss(G), levels=14, colors="white", linewidths=0.4)
    colour = _LR_COLOURS[bowl["verdict"]]
    path = bowl["path"]
    with np.errstate(all="ignore"):
        shown = np.all(np.abs(path) < 1e6, axis=1)          # beyond, the line is off-plot
    ax.plot(path[shown, 0], path[shown, 1], "-o", color=colour, ms=3, lw=1.4,
            label=f"{LR_BOWL['steps']} steps of gradient descent")
    ax.plot(*path[0], "o", color="black", ms=6, label="start $w^0$")
    ax.plot(0, 0, "*", color="gold", mec="black", ms=13, label="minimum")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(f"bowl $f(w) = ½\\,w^TAw$: {_LR_SHORT[bowl['verdict']]}\n"
                 f"{_lr_left_text(bowl['verdict'], bowl['left'], 'distance')}", fontsize=10)
    flat, steep = bowl["factors"]
    note = (f"curvatures a = {a_min:g}, {a_max:g}\ncritical η = 2/a_max = {crit:.3g}"
            f"\nper step |1 − ηa| = {flat:.3g}, {steep:.3g}")
    if not np.all(np.isfinite(path[-1])) or np.any(np.abs(path[-1]) > 5.5):
        with np.errstate(all="ignore"):
            dist = np.linalg.norm(path[-1])
        note += f"\nthe iterates leave the plot:\n‖w‖ = {dist:.1e} after {len(path) - 1} steps"
    ax.text(0.02, 0.02, note, transform=ax.transAxes, fontsize=8, va="bottom",
            bbox=dict(boxstyle="round", fc="white", alpha=0.85, lw=0))
    ax.legend(loc="upper right", fontsize=7, framealpha=0.85)

    # right: the network
    bx.set_label("network")
    top, bottom = 30.0, 3e-3
    for other in LR_GRID:
        if other != lr:
            loss = lr_network_run(other)["loss"]
            bx.plot(np.arange(len(loss)), np.clip(loss, bottom, top), color="0.8", lw=1,
                    zorder=1)
    loss = net["loss"]
    colour = _LR_COLOURS[net["verdict"]]
    epochs = np.arange(len(loss))
    with np.errstate(invalid="ignore"):
        off = ~(np.isfinite(loss) & (loss <= top))
    first_off = int(np.argmax(off)) if off.any() else len(loss)
    bx.plot(epochs[:first_off], loss[:first_off], "-o", color=colour, ms=3, lw=2, zorder=3,
            label=f"η = {lr:g}")
    if off.any():                                    # the run leaves the plot: mark where
        bx.plot([epochs[first_off - 1], epochs[first_off]], [loss[first_off - 1], top],
                color=colour, lw=2, zorder=3)
        bx.plot(epochs[first_off], top, "^", color=colour, ms=10, zorder=4,
                label=_lr_off_label(net))
    bx.axhline(loss[0], color="0.5", lw=0.8, ls=":", zorder=0)
    bx.text(0.3, loss[0] * 1.15, "before training", fontsize=7, color="0.4")
    bx.set_yscale("log")
    _explorer_log_axis(bx.yaxis)
    bx.set_ylim(bottom, top * 1.6)
    bx.set_xlim(-0.5, LR_NETWORK["epochs"] + 0.5)
    bx.set_xlabel("epoch")
    bx.set_ylabel("training loss (cross-entropy)")
    bx.set_title(f"network: {_LR_SHORT[net['verdict']]}\n"
                 f"{_lr_left_text(net['verdict'], net['left'], 'loss')} "
                 f"(64–{LR_NETWORK['hidden']}–10, {LR_NETWORK['n']} digits)", fontsize=10)
    bx.grid(alpha=0.3, lw=0.5)
    bx.legend(loc="lower left", fontsize=8, framealpha=0.85)
    return legible_frame(fig)


def _lr_runs(lr: float) -> None:
    lr_bowl_run(lr)
    lr_network_run(lr)


#: The learning-rate explorer of chapter 2, one state per η, 0.1 first.
lr_explorer = Explorer(
    name="lr", kind="learning-rate",
    title=("Learning rate η: gradient descent on a bowl (left) and the training loss of a "
           "network on the digits (right)"),
    draw=plot_lr, run=_lr_runs,
    params=(Param("lr", "η (learning rate)", LR_GRID, default=0.1, short="η"),))
