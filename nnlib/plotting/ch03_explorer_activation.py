"""The activation explorer (chapter 3): ``φ(z)`` and ``φ'(z)`` of one
activation function.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import _explorer_choice, legible_frame

__all__ = [
    "ACTIVATION_DISPLAY_NAMES", "plot_activation", "activation_explorer"
]

_EXPLORER_ACTIVATION_COLOURS = {"relu": "tab:blue", "leaky_relu": "tab:purple",
                                "sigmoid": "tab:orange", "tanh": "tab:green"}


#: The names the text of chapter 3 uses for the activations (``ACTIVATIONS`` keys).
ACTIVATION_DISPLAY_NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh",
                            "leaky_relu": "leaky ReLU"}

_ACT_TEXT = {
    "relu": (r"ReLU: $\varphi(z) = \max(0, z)$",
             r"$\varphi'(z) = 1$ for $z > 0$, else $0$",
             "0 for z < 0: a unit with z < 0\npasses no gradient back"),
    "sigmoid": (r"sigmoid: $\sigma(z) = 1/(1 + e^{-z})$",
                r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$",
                "at most 1/4 (at z = 0), ≈ 0 for |z| > 5:\nthe gradient shrinks at each layer"),
    "tanh": (r"tanh: $\varphi(z) = \tanh z$",
             r"$\varphi'(z) = 1 - \tanh^2 z$",
             "at most 1 (at z = 0),\n≈ 0 for |z| > 3 (saturation)"),
    "leaky_relu": (r"leaky ReLU: $\varphi(z) = z$ or $\alpha z$",
                   r"$\varphi'(z) = 1$ for $z > 0$, else $\alpha$",
                   "α for z < 0: never exactly 0,\nso no unit dies"),
}


def plot_activation(name: str, alpha: float = 0.1, z_max: float = 6.0):
    """Activation explorer: ``φ(z)`` and ``φ'(z)`` side by side on ``z ∈ [−z_max, z_max]``.

    The curves come from :data:`nnlib.activations.ACTIVATIONS`; the other activations
    are drawn in light grey for comparison. ``alpha`` is leaky ReLU's slope for ``z ≤ 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from .._checks import real_number
    from ..activations import ACTIVATIONS

    owner = "plot_activation"
    _explorer_choice(name, "name", tuple(ACTIVATIONS), owner)
    alpha = real_number(alpha, "alpha", low=0.0, high=1.0, owner=owner)
    z_max = real_number(z_max, "z_max", low=0.0, low_open=True, owner=owner)
    z = np.linspace(-z_max, z_max, 601)
    if not np.any(z == 0):
        z = np.sort(np.append(z, 0.0))

    def curves(key):
        f, df = ACTIVATIONS[key]
        kw = {"alpha": alpha} if key == "leaky_relu" else {}
        return f(z, **kw), df(z, **kw)

    colour = _EXPLORER_ACTIVATION_COLOURS.get(name, "tab:blue")
    title, grad_title, note = _ACT_TEXT.get(name, (name, f"{name}'", ""))
    fig = Figure(figsize=(9, 3.3))          # a fixed layout, for speed (as plot_lr)
    ax, dx = fig.subplots(1, 2, gridspec_kw={"left": 0.07, "right": 0.985, "bottom": 0.15,
                                             "top": 0.83, "wspace": 0.22})
    extra = f" (α = {alpha:g})" if name == "leaky_relu" else ""
    shown = ACTIVATION_DISPLAY_NAMES.get(name, name)
    fig.suptitle(f"φ = {shown}{extra}: the activation and its derivative φ'", fontsize=12)
    for key in ACTIVATIONS:
        if key != name:
            phi, dphi = curves(key)
            ax.plot(z, phi, color="0.85", lw=1.2, zorder=1)
            dx.plot(z, dphi, color="0.85", lw=1.2, zorder=1)
    phi, dphi = curves(name)
    ax.plot(z, phi, color=colour, lw=2.5, zorder=3, label=r"$\varphi(z)$")
    dx.plot(z, dphi, color=colour, lw=2.5, zorder=3, label=r"$\varphi'(z)$")
    at0 = dphi[np.flatnonzero(z == 0)[0]]
    dx.plot(0, at0, "o", color=colour, ms=6, zorder=4)
    dx.annotate(f"φ'(0) = {at0:.3g}", xy=(0, at0), xytext=(0.6, at0 + 0.18),
                fontsize=8, color=colour)
    dx.text(0.02, 0.97, note, transform=dx.transAxes, fontsize=8, va="top",
            bbox=dict(boxstyle="round", fc="white", alpha=0.85, lw=0))
    for a, lab, ttl in ((ax, r"$\varphi(z)$", title), (dx, r"$\varphi'(z)$", grad_title)):
        a.axhline(0, color="0.6", lw=0.8, zorder=0)
        a.axvline(0, color="0.6", lw=0.8, zorder=0)
        a.grid(alpha=0.3)
        a.set_xlabel("pre-activation $z$")
        a.set_ylabel(lab)
        a.set_title(ttl, fontsize=10)
        a.set_xlim(-z_max, z_max)
    ax.set_label("function")
    dx.set_label("derivative")
    ax.set_ylim(-1.5, 2.5)
    dx.set_ylim(-0.15, 1.25)
    return legible_frame(fig)


#: The activation explorer of chapter 3, one state per activation (α = 0.1), named as the
#: text names them; the live widget also has leaky ReLU's α.
activation_explorer = Explorer(
    name="activation", kind="activation",
    title="Activation functions φ and their derivatives φ'",
    draw=plot_activation,
    params=(Param("name", "activation φ", tuple(ACTIVATION_DISPLAY_NAMES), default="relu",
                  short="φ", names=ACTIVATION_DISPLAY_NAMES),
            Param("alpha", "α (leaky ReLU)", (0.1,), default=0.1, short="α",
                  live_values=tuple(round(0.01 * i, 2) for i in range(31)),
                  active_when=("name", "leaky_relu"))))
