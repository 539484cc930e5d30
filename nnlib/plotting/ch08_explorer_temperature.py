"""The temperature explorer (chapter 8): softmax of scores divided by a temperature T,
and the cross-entropy loss of the true class, as T varies.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import (
    _explorer_cache,
    _explorer_choice,
    _explorer_frozen,
    _explorer_log_axis,
    legible_frame,
)

__all__ = [
    "TEMPERATURE_GRID", "TEMPERATURE_SCORES", "plot_temperature", "temperature_run",
    "temperature_explorer"
]

#: The slider values of T. Below 1 the gaps between the scores grow, above 1 they shrink.
TEMPERATURE_GRID = (0.25, 0.5, 1.0, 2.0, 4.0)
#: The fixed scores (those of the chapter's softmax figure); the true class is chosen.
TEMPERATURE_SCORES = (3.0, 1.0, 0.2, -1.0)
_T_CURVE = (0.1, 10.0, 241)        # the loss curves: T from 0.1 to 10, log-spaced


def temperature_run(temperature: float, true_class: int) -> dict:
    """Softmax of :data:`TEMPERATURE_SCORES` divided by ``T`` and the loss of ``true_class``.

    Returns
    -------
    dict
        ``scores`` (``s / T``), ``p`` (``softmax(s / T)``, from
        :func:`nnlib.activations.softmax`) and ``loss`` (``−ln p_c``, from
        :class:`nnlib.losses.SoftmaxCrossEntropy` on the scores ``s / T``).
    """
    import numpy as np

    from .._checks import real_number
    from ..activations import softmax
    from ..losses import SoftmaxCrossEntropy

    T = real_number(temperature, "temperature", low=0.0, low_open=True,
                    owner="temperature_run")
    c = _explorer_choice(true_class, "true_class", range(len(TEMPERATURE_SCORES)),
                         "temperature_run")
    z = np.array(TEMPERATURE_SCORES) / T
    loss = float(SoftmaxCrossEntropy().forward(z[None, :], np.array([c])))
    return {"scores": z, "p": softmax(z[None, :])[0], "loss": loss}


@_explorer_cache
def _temperature_curves():
    """``T`` on a log grid and ``−ln softmax(s/T)_c`` for every class ``c`` (computed once)."""
    import numpy as np

    from ..activations import softmax

    T = np.geomspace(*_T_CURVE[:2], _T_CURVE[2])
    p = softmax(np.array(TEMPERATURE_SCORES)[None, :] / T[:, None])
    with np.errstate(divide="ignore"):
        return _explorer_frozen(T), _explorer_frozen(-np.log(p))


def plot_temperature(temperature: float = 1.0, true_class: int = 0):
    """Temperature explorer: ``p = softmax(s / T)`` of fixed scores ``s`` and the loss
    ``−ln p_c`` of the true class ``c``.

    Left: the probabilities for this ``T`` (the true class in colour), with those of
    ``T = 1`` as outlines. Right: the loss ``−ln p_c`` against ``T`` (log axis) for every
    choice of the true class, this one in colour and a dot at this ``T``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    run = temperature_run(temperature, true_class)
    T, c, p = float(temperature), int(true_class), run["p"]
    base = temperature_run(1.0, c)["p"]
    K = len(TEMPERATURE_SCORES)
    top = int(np.argmax(TEMPERATURE_SCORES))
    colour = "tab:green" if c == top else "tab:red"

    fig = Figure(figsize=(9, 3.6))           # a fixed layout, for speed (as plot_lr)
    ax, bx = fig.subplots(1, 2, gridspec_kw={"left": 0.075, "right": 0.985, "bottom": 0.14,
                                             "top": 0.76, "wspace": 0.25})
    probs = ", ".join(f"{v:.3g}" for v in p)
    fig.suptitle(f"T = {T:g}, true class {c} (score {TEMPERATURE_SCORES[c]:g}): "
                 f"p = softmax(s/T) = ({probs})\n"
                 f"p_c = {p[c]:.3g}, loss −ln p_c = {run['loss']:.3f}", fontsize=11)

    ax.set_label("probabilities")
    k = np.arange(K)
    ax.bar(k, p, color=["0.65" if j != c else colour for j in k], width=0.6, zorder=2,
           label=f"T = {T:g}")
    ax.bar(k, base, fill=False, edgecolor="black", ls="--", lw=1, width=0.6, zorder=3,
           label="T = 1")
    for j in k:
        ax.text(j, p[j] + 0.02, f"{p[j]:.2g}", ha="center", fontsize=8)
    ax.set_xticks(k, [f"{j}\ns = {s:g}" for j, s in enumerate(TEMPERATURE_SCORES)])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("probability $p_j$")
    ax.set_title("softmax(s / T): the true class in colour", fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper right", fontsize=8)

    bx.set_label("loss")
    Ts, losses = _temperature_curves()
    for j in range(K):
        if j != c:
            bx.plot(Ts, losses[:, j], color="0.8", lw=1, zorder=1)
    bx.plot(Ts, losses[:, c], color=colour, lw=2, zorder=3, label=f"true class {c}")
    bx.plot(T, run["loss"], "o", color=colour, mec="black", ms=8, zorder=4,
            label=f"T = {T:g}: {run['loss']:.3f}")
    bx.axvline(1.0, color="0.5", lw=0.8, ls=":", zorder=0)
    bx.axhline(np.log(K), color="0.5", lw=0.8, ls="--", zorder=0)
    bx.text(_T_CURVE[0] * 1.1, np.log(K) * 1.15, f"ln {K}: all classes equal", fontsize=7,
            color="0.35")
    bx.set_xscale("log")
    _explorer_log_axis(bx.xaxis)
    bx.set_xlim(*_T_CURVE[:2])
    bx.set_ylim(0, 9)
    bx.set_xlabel("temperature T")
    bx.set_ylabel("loss $-\\ln p_c$")
    bx.set_title("the loss against T (grey: the other true classes)", fontsize=10)
    bx.grid(alpha=0.3, lw=0.5)
    bx.legend(loc="upper right", fontsize=8)
    return legible_frame(fig)


#: The temperature explorer of chapter 8, T × the true class, 20 states.
temperature_explorer = Explorer(
    name="temperature", kind="temperature",
    title=("Temperature T: softmax(s / T) of the scores s = (3, 1, 0.2, −1) and "
           "the loss −ln p_c of the true class"),
    draw=plot_temperature,
    params=(Param("temperature", "T (temperature)", TEMPERATURE_GRID, default=1.0, short="T"),
            Param("true_class", "true class c", tuple(range(len(TEMPERATURE_SCORES))),
                  default=0, short="c", category=True,
                  names={c: f"{c} (score {s:g})" for c, s in enumerate(TEMPERATURE_SCORES)})))
