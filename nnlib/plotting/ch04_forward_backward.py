"""Figures of chapter 4, forward and backward: the kink of ReLU and one SGD step on
the worked example as a function of η.
"""

from __future__ import annotations

from ._common import divergence, legible, with_diverged_note

__all__ = [
    "plot_relu_kink", "plot_sgd_on_example"
]


def plot_relu_kink(h: float = 1.0):
    """ReLU near its kink: the slope from the left is 0, from the right 1.

    Draws ``max(0, z)`` on ``[-2h, 2h]`` with the two one-sided tangents at 0, so no single
    tangent (no derivative) exists there; the value used by convention, ``ReLU'(0) = 0``,
    is marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    z = np.linspace(-2 * h, 2 * h, 401)
    fig = Figure(figsize=(5.5, 3.8), layout="constrained")
    ax = fig.subplots()
    ax.plot(z, np.maximum(z, 0), color="tab:blue", lw=4, zorder=2,
            label=r"$\mathrm{ReLU}(z) = \max(0, z)$")
    ax.plot([0, 2 * h], [0, 0], color="tab:orange", lw=1.8, ls="--", zorder=3,
            label="slope from the left: 0")
    ax.plot([-h, 0], [-h, 0], color="tab:green", lw=1.8, ls="--", zorder=3,
            label="slope from the right: 1")
    ax.plot([0], [0], "o", color="black", ms=6, zorder=3)
    ax.annotate("kink at z = 0: two slopes,\nno derivative; a convention\npicks ReLU'(0) = 0",
                xy=(0, 0), xytext=(-1.9 * h, 0.9 * h), fontsize=9,
                arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.grid(alpha=0.3)
    ax.set_xlim(-2 * h, 2 * h)
    ax.set_ylim(-1.2 * h, 2 * h)
    ax.set_xlabel("pre-activation $z$ (e.g. the example's $h_{in}$)", fontsize=10)
    ax.set_ylabel(r"$\mathrm{ReLU}(z)$", fontsize=10)
    ax.set_title("ReLU is differentiable everywhere except at 0", fontsize=11)
    ax.legend(fontsize=9, loc="lower right")
    return legible(fig)


def plot_sgd_on_example(etas, losses, e0: float, grad_sq: float, marks=(), runs=None):
    """One SGD step on the worked example, as a function of the learning rate η.

    Parameters
    ----------
    etas, losses : array (M,)
        Learning rates and the error ``e(w − η ∇e)`` after one step of each.
    e0 : float
        The error before the step.
    grad_sq : float
        ``‖∇e‖²``; the tangent ``e0 − η ‖∇e‖²`` is what the gradient predicts.
    marks : sequence of float
        Learning rates to highlight with their error after the step.
    runs : dict, optional
        ``{η: array (T,)}``: the error over ``T`` SGD steps with learning rate η, drawn in
        a second panel (up to its last finite step, the label saying where it diverged). A
        learning rate has the same colour in both panels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    etas, losses = np.asarray(etas, dtype=float), np.asarray(losses, dtype=float)
    palette = ["tab:green", "tab:purple", "tab:brown", "tab:olive", "tab:cyan"]
    rates = sorted({float(r) for r in marks} | {float(r) for r in (runs or {})})
    colour = {r: palette[k % len(palette)] for k, r in enumerate(rates)}
    fig = Figure(figsize=(9.5 if runs else 6, 4.0), layout="constrained")
    axes = fig.subplots(1, 2 if runs else 1, squeeze=False)[0]
    ax = axes[0]
    ax.plot(etas, losses, color="tab:blue", lw=2.5, label=r"$e(w - \eta\,\nabla e)$ after one step")
    ax.plot(etas, e0 - etas * grad_sq, color="tab:gray", ls="--", lw=1.5,
            label=r"tangent $e - \eta\,\|\nabla e\|^2$")
    ax.axhline(e0, color="tab:red", lw=1, ls=":", label=f"error before the step, e = {e0:g}")
    for eta in marks:
        after = float(np.interp(eta, etas, losses))
        ax.plot([eta], [after], "o", color=colour[float(eta)], ms=8, zorder=3,
                label=f"η = {eta:g}: e = {after:.4g}")
    ax.set_ylim(-1, max(1.3 * e0, float(np.max(losses)) * 1.05))
    ax.grid(alpha=0.3)
    ax.set_xlabel(r"learning rate $\eta$", fontsize=10)
    ax.set_ylabel("squared error $e$", fontsize=10)
    ax.set_title("Too large a step overshoots the minimum", fontsize=11)
    ax.legend(fontsize=9, loc="upper left")
    if runs:
        ax = axes[1]
        for eta, curve in runs.items():
            div = divergence(curve, first=0)        # a diverged run: up to its last finite
            curve = np.asarray(curve, dtype=float)[:div.finite]
            ax.semilogy(np.arange(curve.size), curve, "o-", color=colour[float(eta)], lw=2,
                        label=with_diverged_note(f"η = {eta:g}", div, "step"))
        ax.grid(alpha=0.3)
        ax.set_xlabel("SGD step", fontsize=10)
        ax.set_ylabel("squared error $e$ (log scale)", fontsize=10)
        ax.set_title("Repeated steps on the one example", fontsize=11)
        ax.legend(fontsize=9)
    return legible(fig)
