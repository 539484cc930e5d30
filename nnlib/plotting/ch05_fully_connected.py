"""Figures of chapter 5, fully connected networks: the activation and gradient
scale per layer under three initialisations.
"""

from __future__ import annotations

from ._common import legible

__all__ = [
    "plot_init_stds"
]

# Colours of the fully connected chapter (tab10): one per initialisation, train/validation
# drawn solid/dashed in the colour of their run.
_CH05_INIT_COLOURS = {"normal": "tab:red", "xavier": "tab:green", "he": "tab:blue"}
_CH05_INIT_LABELS = {"normal": "N(0, 1), the notes", "xavier": "Xavier, 2/(fan_in + fan_out)",
                     "he": "He, 2/fan_in"}


def plot_init_stds(act_std: dict, grad_std: dict):
    """Per-layer activation and weight-gradient scale of deep nets under three initialisations.

    Parameters
    ----------
    act_std : dict
        ``{activation name: {init: array (L,)}}``: the standard deviation of the output
        of layer ``l = 1..L`` (after ``φ``) for a batch of standard-normal inputs; init
        is ``"normal"``, ``"xavier"`` or ``"he"``.
    grad_std : dict
        The same layout: the standard deviation of ``∂E/∂W^l`` of every layer.

    Returns
    -------
    matplotlib.figure.Figure
        Two rows (activations, gradients) by one column per activation, log-scale y.
    """
    import numpy as np
    from matplotlib.figure import Figure

    names = list(act_std)
    fig = Figure(figsize=(5.2 * len(names) + 0.4, 7.6), layout="constrained")
    axes = fig.subplots(2, len(names), squeeze=False)
    rows = ((act_std, "std of the layer's output $\\varphi(z^l)$",
             "activations, forward pass"),
            (grad_std, "std of $\\partial E/\\partial W^l$",
             "weight gradients, backward pass"))
    for r, (data, ylabel, what) in enumerate(rows):
        for c, name in enumerate(names):
            ax = axes[r, c]
            for init, values in data[name].items():
                values = np.asarray(values, dtype=float)
                layers = np.arange(1, values.size + 1)
                ax.semilogy(layers, values, "o-", lw=2, ms=5,
                            color=_CH05_INIT_COLOURS.get(init, "0.3"),
                            label=_CH05_INIT_LABELS.get(init, init))
            ax.set_xticks(layers)
            ax.grid(alpha=0.3, which="both")
            ax.set_xlabel("layer $l$ (1 = next to the input)", fontsize=10)
            ax.set_ylabel(ylabel + " (log scale)", fontsize=10)
            ax.set_title(f"{name} network: {what}", fontsize=11)
    axes[0, 0].legend(fontsize=9, title="weights drawn from", title_fontsize=9)
    return legible(fig)
