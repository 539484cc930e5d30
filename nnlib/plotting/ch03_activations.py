"""Figures of chapter 3, activations: the functions φ and their derivatives, the
notes' sigmoid sign, the collapse of linear layers, vanishing gradients and dead ReLUs.
"""

from __future__ import annotations

from ._common import divergence, legible, style_axes, with_diverged_note

__all__ = [
    "plot_activations", "plot_dead_relu", "plot_linear_collapse", "plot_sigmoid_sign",
    "plot_vanishing_gradients"
]

# Colours of the activation chapter (tab10): one per function, the notes' slip in red.
_CH03_COLOURS = {"relu": "tab:blue", "leaky_relu": "tab:purple", "sigmoid": "tab:orange",
                 "tanh": "tab:green", "notes": "tab:red", "linear": "tab:gray"}


def plot_sigmoid_sign(z_max: float = 6.0):
    """The sigmoid ``σ(z) = 1/(1 + e^{-z})`` next to the notes' ``1/(1 + e^{z}) = σ(−z)``.

    Left: the two functions (mirror images in the vertical axis). Right: their
    derivatives, ``σ'(z) = σ(1 − σ) ≥ 0`` and ``−σ'(z) ≤ 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from ..activations import sigmoid, sigmoid_grad

    z = np.linspace(-z_max, z_max, 401)
    c = _CH03_COLOURS
    fig = Figure(figsize=(9.5, 4.2), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(z, sigmoid(z), color=c["sigmoid"], lw=2.5, label=r"$\sigma(z) = 1/(1+e^{-z})$")
    ax1.plot(z, sigmoid(-z), color=c["notes"], lw=2.5, ls="--",
             label=r"notes: $1/(1+e^{z}) = \sigma(-z)$")
    ax1.axhline(1, color="0.6", lw=0.8, ls=":")
    ax1.set_ylim(-0.08, 1.08)
    ax1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    style_axes(ax1, r"pre-activation $z$ (evidence for class 1)", r"output",
               "The sign in the exponent mirrors the curve", zero_lines=True)
    ax1.annotate("rises with $z$", xy=(2.0, sigmoid(2.0)), xytext=(2.8, 0.45),
                 color=c["sigmoid"], fontsize=9, arrowprops=dict(arrowstyle="->",
                                                                color=c["sigmoid"]))
    ax1.annotate("falls with $z$", xy=(-2.0, sigmoid(2.0)), xytext=(-5.8, 0.45),
                 color=c["notes"], fontsize=9, arrowprops=dict(arrowstyle="->",
                                                              color=c["notes"]))
    ax2.plot(z, sigmoid_grad(z), color=c["sigmoid"], lw=2.5,
             label=r"$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$")
    ax2.plot(z, -sigmoid_grad(z), color=c["notes"], lw=2.5, ls="--",
             label=r"notes' derivative $= -\sigma'(z)$")
    ax2.set_ylim(-0.3, 0.3)
    ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    style_axes(ax2, r"pre-activation $z$", "derivative",
               "Slopes of opposite sign (largest |slope| 1/4 at z = 0)", zero_lines=True)
    return legible(fig)


def plot_activations(alpha: float = 0.1, z_max: float = 4.0):
    """The four activations φ (top row) and their derivatives φ' (bottom row).

    ReLU, leaky ReLU (slope ``alpha`` for ``z ≤ 0``), sigmoid and tanh; the bottom row
    marks the largest slope of the sigmoid (1/4) and of tanh (1), and the jump of the
    ReLU derivatives at 0 with the convention used there (the left value, filled dot).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from ..activations import ACTIVATIONS

    c = _CH03_COLOURS
    z = np.linspace(-z_max, z_max, 801)
    names = [("relu", "ReLU", r"$\max(0, z)$", {}),
             ("leaky_relu", "leaky ReLU", rf"$z$ or ${alpha:g}z$", {"alpha": alpha}),
             ("sigmoid", "sigmoid", r"$1/(1+e^{-z})$", {}),
             ("tanh", "tanh", r"$\tanh z$", {})]
    grads = {"relu": r"$0$ or $1$", "leaky_relu": rf"${alpha:g}$ or $1$",
             "sigmoid": r"$\sigma(1-\sigma)$", "tanh": r"$1-\tanh^2 z$"}
    fig = Figure(figsize=(10.5, 5.4), layout="constrained")
    axes = fig.subplots(2, 4, sharex=True)
    for j, (key, title, formula, kw) in enumerate(names):
        f, df = ACTIVATIONS[key]
        top, bottom = axes[0, j], axes[1, j]
        top.plot(z, f(z, **kw), color=c[key], lw=2.5)
        style_axes(top, "", r"$\varphi(z)$" if j == 0 else "", f"{title}: {formula}",
                   zero_lines=True)
        d = df(z, **kw)
        if key in ("relu", "leaky_relu"):              # draw the jump at 0 as a gap
            left, right = z < 0, z > 0
            bottom.plot(z[left], d[left], color=c[key], lw=2.5)
            bottom.plot(z[right], d[right], color=c[key], lw=2.5)
            at0 = float(df(np.zeros(1), **kw)[0])
            other = 1.0 if at0 != 1.0 else float(df(-np.ones(1), **kw)[0])
            bottom.plot([0], [at0], "o", color=c[key], ms=6)
            bottom.plot([0], [other], "o", mfc="white", mec=c[key], ms=6)
            bottom.annotate(f"φ'(0) := {at0:g}\n(convention)", xy=(0, at0),
                            xytext=(0.7, 0.35), fontsize=8.5, color="0.25",
                            arrowprops=dict(arrowstyle="->", color="0.4"))
            bottom.set_ylim(-0.15, 1.25)
        else:
            bottom.plot(z, d, color=c[key], lw=2.5)
            peak = float(df(np.zeros(1))[0])
            bottom.axhline(peak, color=c[key], lw=1, ls=":")
            bottom.text(-z_max * 0.95, peak + 0.04, f"max {peak:g} at z = 0", fontsize=8.5,
                        color="0.25")
            bottom.set_ylim(-0.15, 1.25 if key == "tanh" else 0.32)
        style_axes(bottom, r"$z$", r"$\varphi'(z)$" if j == 0 else "",
                   f"derivative: {grads[key]}", zero_lines=True)
    return legible(fig)


def plot_linear_collapse(x, outputs: dict):
    """Outputs of small networks along a line of inputs.

    Parameters
    ----------
    x : array (N,)
        The inputs, one feature each.
    outputs : dict
        ``{label: array (N,)}``; a label containing "ReLU" is drawn in the ReLU colour,
        one containing "single" dotted on top of the others.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _CH03_COLOURS
    x = np.asarray(x, dtype=float).ravel()
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    for k, (label, y) in enumerate(outputs.items()):
        y = np.asarray(y, dtype=float).ravel()
        if "single" in label:
            ax.plot(x, y, color="black", lw=2, ls=(0, (2, 3)), label=label, zorder=3)
        elif "ReLU" in label:
            ax.plot(x, y, color=c["relu"], lw=2.5, label=label)
        else:
            ax.plot(x, y, color=[c["linear"], c["sigmoid"], c["tanh"]][k % 3], lw=4,
                    alpha=0.8, label=label)
    ax.legend(fontsize=9)
    style_axes(ax, "input $x$", "network output",
               "Linear layers compose to one line; a ReLU bends it", zero_lines=True)
    return legible(fig)


def plot_vanishing_gradients(layer_grads: dict, chains: dict | None = None):
    """How the gradient shrinks on its way back through sigmoid layers.

    Parameters
    ----------
    layer_grads : dict
        ``{activation name: array (L,)}``: the norm ``‖∂E/∂W^l‖`` of the weight gradient
        of hidden layer ``l = 1..L`` of a deep network (log scale; layer 1 is the input side).
    chains : dict, optional
        ``{label: array (L,)}``: products of derivatives along a chain of depth
        ``1..L``, drawn in a second panel with the sigmoid's bound ``(1/4)^L``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _CH03_COLOURS
    colour = {k.lower(): v for k, v in c.items()} | {"leaky relu": c["leaky_relu"]}
    fig = Figure(figsize=(9.5 if chains else 6, 4.0), layout="constrained")
    axes = fig.subplots(1, 2 if chains else 1, squeeze=False)[0]
    ax = axes[0]
    for name, g in layer_grads.items():
        g = np.asarray(g, dtype=float)
        layers = np.arange(1, g.size + 1)
        ax.semilogy(layers, g, "o-", color=colour.get(name.lower(), "0.3"), lw=2, label=name)
    ax.set_xticks(np.arange(1, max(np.size(g) for g in layer_grads.values()) + 1))
    ax.grid(alpha=0.3)
    ax.set_xlabel("hidden layer $l$ (1 = next to the input)", fontsize=10)
    ax.set_ylabel(r"$\|\partial E / \partial W^l\|$ (log scale)", fontsize=10)
    ax.set_title("Gradient size per layer of a 10-layer network", fontsize=11)
    ax.legend(fontsize=9)
    if chains:
        ax = axes[1]
        depth = None
        for name, p in chains.items():
            p = np.asarray(p, dtype=float)
            depth = np.arange(1, p.size + 1)
            key = name.split()[0].lower()
            ax.semilogy(depth, p, "o-", color=colour.get(key, "0.3"), lw=2, label=name)
        ax.semilogy(depth, 0.25 ** depth, color="black", ls="--", lw=1.5,
                    label=r"bound $(1/4)^L$ for the sigmoid")
        ax.set_xticks(depth)
        ax.grid(alpha=0.3)
        ax.set_xlabel("depth $L$ of the chain", fontsize=10)
        ax.set_ylabel(r"$\varphi'(z_1)\,\varphi'(z_2)\cdots\varphi'(z_L)$ (log scale)",
                      fontsize=10)
        ax.set_title("Product of the local derivatives", fontsize=11)
        ax.legend(fontsize=9)
    return legible(fig)


def plot_dead_relu(z_before, z_after, losses: dict, kick_step: int):
    """A ReLU unit killed by one big negative bias step, and a leaky one that recovers.

    Parameters
    ----------
    z_before, z_after : array
        The unit's pre-activations ``z = xw + b`` over the data set just before and just
        after the bias step.
    losses : dict
        ``{label: array (T,)}``: the training loss per step (a run that becomes NaN or
        infinite is drawn up to its last finite step, its label saying where it diverged).
    kick_step : int
        The step at which the bias was pushed down.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _CH03_COLOURS
    fig = Figure(figsize=(9.5, 3.9), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    z_before, z_after = np.ravel(z_before), np.ravel(z_after)
    bins = np.linspace(min(z_before.min(), z_after.min()), max(z_before.max(), z_after.max()),
                       41)
    ax1.hist(z_before, bins=bins, color="tab:blue", alpha=0.7, label="before the step")
    ax1.hist(z_after, bins=bins, color="tab:red", alpha=0.7, label="after the step")
    ax1.axvspan(bins[0], 0, color="0.85", zorder=0)
    ax1.axvline(0, color="black", lw=1)
    ax1.text(0.02, 0.95, "z ≤ 0: ReLU' = 0", transform=ax1.transAxes, va="top", fontsize=9)
    ax1.grid(alpha=0.3)
    ax1.set_xlabel("pre-activation $z = xw + b$ of the unit", fontsize=10)
    ax1.set_ylabel("number of inputs", fontsize=10)
    ax1.set_title("Every input lands on the flat side", fontsize=11)
    ax1.legend(fontsize=9, loc="upper left", bbox_to_anchor=(0.0, 0.9))
    palette = [c["relu"], c["leaky_relu"], c["tanh"], c["sigmoid"]]
    for k, (label, loss) in enumerate(losses.items()):
        div = divergence(loss, first=0)             # a diverged run: up to its last finite
        ax2.plot(np.arange(div.finite), np.asarray(loss, dtype=float)[:div.finite],
                 color=palette[k % 4], lw=2, label=with_diverged_note(label, div, "step"))
    ax2.axvline(kick_step, color="tab:red", ls="--", lw=1.2)
    ax2.text(kick_step + 4, 0.5, "bias step", color="tab:red", fontsize=9, va="top",
             transform=ax2.get_xaxis_transform())
    ax2.set_yscale("log")
    ax2.grid(alpha=0.3)
    ax2.set_xlabel("SGD step", fontsize=10)
    ax2.set_ylabel("training loss (MSE, log scale)", fontsize=10)
    ax2.set_title("A dead ReLU never learns again; a leaky one recovers", fontsize=11)
    ax2.legend(fontsize=9, loc="lower right")
    return legible(fig)
