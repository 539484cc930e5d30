"""Figures of chapter 8, cross-entropy: softmax, entropy and cross-entropy, cross-entropy
against squared error, and a model's probabilities for digits.
"""

from __future__ import annotations

from ._common import _digit_images, legible, style_axes

__all__ = [
    "plot_ce_vs_mse", "plot_cross_entropy", "plot_digit_probabilities", "plot_softmax"
]

# Colours of the cross-entropy chapter (tab10).
_CH08_COLOURS = {"scores": "tab:blue", "shifted": "tab:orange", "probs": "tab:green",
                 "ce": "tab:blue", "mse": "tab:red", "entropy": "tab:purple",
                 "kl": "tab:orange", "true": "tab:blue", "other": "0.7", "wrong": "tab:red"}


def plot_softmax(scores, class_names=None):
    """Softmax of one score vector, and of the same scores shifted by their maximum.

    Left: the scores ``s`` and ``s − max(s)``; right: ``softmax(s)`` (bars) and
    ``softmax(s − max(s))`` (dots), which coincide: adding a constant changes nothing.

    Parameters
    ----------
    scores : array, shape (K,)
    class_names : sequence of str, optional
        Labels of the K classes (default ``0 .. K-1``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from ..activations import softmax

    s = np.asarray(scores, dtype=float).reshape(-1)
    names = [str(k) for k in range(s.size)] if class_names is None else list(class_names)
    if len(names) != s.size:
        raise ValueError(f"plot_softmax expected {s.size} class names, got {len(names)}")
    c = _CH08_COLOURS
    k = np.arange(s.size)
    fig = Figure(figsize=(11, 4.0), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    ax.bar(k - 0.2, s, width=0.4, color=c["scores"], label="scores $s$")
    ax.bar(k + 0.2, s - s.max(), width=0.4, color=c["shifted"],
           label=r"$s - \max(s)$: every exponent $\leq 0$")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xticks(k, names)
    ax.legend(fontsize=9)
    style_axes(ax, "class $j$", "score", "Scores, and the same scores shifted")
    p = softmax(s)
    bars = bx.bar(k, p, width=0.6, color=c["probs"], label=r"softmax$(s)$")
    bx.plot(k, softmax(s - s.max()), "o", color=c["shifted"], ms=9, mec="black",
            label=r"softmax$(s - \max s)$: the same")
    bx.bar_label(bars, labels=[f"{v:.3f}" for v in p], fontsize=9, padding=2)
    bx.set_ylim(0, 1.08)
    bx.set_xticks(k, names)
    bx.legend(fontsize=9, loc="upper right")
    style_axes(bx, "class $j$", "probability $p_j$", f"Probabilities: positive, sum "
                f"{p.sum():.0f}")
    return legible(fig)


def plot_cross_entropy(p: float = 0.3):
    """Entropy and cross-entropy of two outcomes.

    Left: the entropy of a coin with ``P(heads) = q``, in bits. Right: the cross-entropy
    ``H(p, q)`` (in nats) of a prediction ``q`` for the true distribution ``(p, 1 − p)``:
    the entropy ``H(p)`` plus the gap ``KL(p‖q) ≥ 0``, smallest at ``q = p``.

    Parameters
    ----------
    p : float in (0, 1)
        The true probability of the first outcome.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    if not 0 < p < 1:
        raise ValueError(f"plot_cross_entropy p must be in (0, 1), got {p}")
    c = _CH08_COLOURS
    q = np.linspace(0.001, 0.999, 999)
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    H_bits = -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
    ax.plot(q, H_bits, color=c["entropy"], lw=2.5)
    ax.plot([0.5], [1.0], "o", color=c["entropy"], ms=8)
    ax.annotate("fair coin: 1 bit", xy=(0.5, 1.0), xytext=(0.56, 0.72), fontsize=9,
                arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.annotate("certain outcome: 0 bits", xy=(0.001, 0.0), xytext=(0.12, 0.12), fontsize=9,
                arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.set_ylim(0, 1.12)
    style_axes(ax, "probability of the first outcome", r"entropy $H$ (bits, $\log_2$)",
                r"Entropy $H = -\sum_i p_i \log_2 p_i$ of two outcomes")
    H_p = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    cross = -(p * np.log(q) + (1 - p) * np.log(1 - q))
    bx.plot(q, cross, color=c["ce"], lw=2.5, label=rf"cross-entropy $H(p, q)$, $p = {p:g}$")
    bx.axhline(H_p, color=c["entropy"], lw=1.8, ls="--",
               label=rf"entropy $H(p) = {H_p:.3f}$ nats")
    bx.fill_between(q, H_p, cross, color=c["kl"], alpha=0.2,
                    label=r"gap $\mathrm{KL}(p\,\|\,q) \geq 0$")
    bx.plot([p], [H_p], "o", color="black", ms=7, zorder=3)
    bx.annotate(f"minimum at q = p = {p:g}", xy=(p, H_p), xytext=(p + 0.12, H_p - 0.35),
                fontsize=9, arrowprops=dict(arrowstyle="->", color="0.3"))
    bx.set_ylim(0, 3.0)
    bx.legend(fontsize=9, loc="upper center")
    style_axes(bx, "predicted probability $q$ of the first outcome",
                r"nats ($\ln$)", r"$H(p, q) = H(p) + \mathrm{KL}(p\,\|\,q)$")
    return legible(fig)


def plot_ce_vs_mse(z_max: float = 10.0):
    """Squared error versus cross-entropy for one sigmoid output with target ``y = 1``.

    Left: the two losses as functions of the score ``z`` (the output is ``σ(z)``).
    Right: the size of their gradients ``|∂L/∂z|`` on a log scale: the squared error's
    ``2(1 − σ)σ(1 − σ)`` vanishes when the network is confidently wrong (``z ≪ 0``),
    the cross-entropy's ``1 − σ`` tends to 1.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from ..activations import sigmoid

    c = _CH08_COLOURS
    z = np.linspace(-z_max, z_max, 801)
    s = sigmoid(z)
    ce = np.logaddexp(0.0, -z)                       # −ln σ(z), without overflow
    mse = (s - 1) ** 2
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    ax.plot(z, ce, color=c["ce"], lw=2.5, label=r"cross-entropy $-\ln\sigma(z)$")
    ax.plot(z, mse, color=c["mse"], lw=2.5, label=r"squared error $(\sigma(z) - 1)^2$")
    ax.axvspan(-z_max, -3, color=c["mse"], alpha=0.07)
    ax.text(-z_max + 0.3, 5.5, "confidently\nwrong", fontsize=9, color="0.3", va="center")
    ax.set_ylim(0, 10.5)
    ax.legend(fontsize=9, loc="upper right")
    style_axes(ax, r"score $z$ (the target is $y = 1$)", "loss $L$", "The losses")
    bx.semilogy(z, 1 - s, color=c["ce"], lw=2.5,
                label=r"cross-entropy: $|\sigma - 1|$")
    bx.semilogy(z, 2 * (1 - s) * s * (1 - s), color=c["mse"], lw=2.5,
                label=r"squared error: $2|\sigma - 1|\,\sigma(1 - \sigma)$")
    bx.axvspan(-z_max, -3, color=c["mse"], alpha=0.07)
    bx.set_ylim(1e-5, 3)
    bx.legend(fontsize=9, loc="lower left")
    style_axes(bx, r"score $z$ (the target is $y = 1$)",
                r"$|\partial L / \partial z|$ (log scale)",
                "The gradients: squared error stalls when it should learn most")
    return legible(fig)


def plot_digit_probabilities(X, probs, targets, *, class_names=None, titles=None,
                             title: str | None = None, ncols: int | None = None):
    """Digits with the probabilities a model gives to each class (or label).

    Parameters
    ----------
    X : array, shape (N, 64) or (N, 1, 8, 8)
    probs : array, shape (N, K)
        Predicted probabilities: a softmax row (multi-class) or K sigmoids (multi-label).
    targets : array, shape (N,) of labels or (N, K) of 0/1
        Bars of true classes/labels are drawn blue, the others grey.
    class_names : sequence of str, optional
        Names of the K bars (default ``0 .. K-1``).
    titles : sequence of str, optional
        One title per image.
    title : str, optional
    ncols : int, optional
        Digits per row. Default: all of them for up to 4 bars each, else 3 (ten bars
        with legible labels need about 2 inches).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    images = _digit_images(X)
    probs = np.asarray(probs, dtype=float)
    n, k = probs.shape if probs.ndim == 2 else (0, 0)
    targets = np.asarray(targets)
    if targets.ndim == 1 and len(targets) == n:
        onehot = np.zeros((n, k), dtype=bool)
        onehot[np.arange(n), targets.astype(int)] = True
    elif targets.shape == (n, k):
        onehot = targets.astype(bool)
    else:
        raise ValueError(f"plot_digit_probabilities expected targets (N,) or (N, K) for probs "
                         f"of shape (N, K) = {probs.shape}, got {targets.shape}")
    if len(images) != n:
        raise ValueError(f"plot_digit_probabilities expected one image per row of probs, got "
                         f"{len(images)} images and {n} rows")
    names = [str(j) for j in range(k)] if class_names is None else list(class_names)
    c = _CH08_COLOURS
    cols = max(1, min(n, ncols or (n if k <= 4 else 3)))
    rows = -(-n // cols)                                   # a row of images over their bars
    fig = Figure(figsize=(1.75 * cols if k <= 4 else 2.3 * cols, 4.2 if rows == 1 else 3.1 * rows),
                 layout="constrained")
    axes = fig.subplots(2 * rows, cols, squeeze=False,
                        gridspec_kw={"height_ratios": [1.25, 1] * rows})
    for j in range(n, rows * cols):                      # the empty places of the last row
        axes[-2, j % cols].set_axis_off()
        axes[-1, j % cols].set_axis_off()
    for i in range(n):
        row, col = divmod(i, cols)
        img_ax, bar_ax = axes[2 * row, col], axes[2 * row + 1, col]
        img_ax.imshow(images[i], cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        img_ax.set_axis_off()
        if titles is not None:
            img_ax.set_title(titles[i], fontsize=9.5)
        colours = [c["true"] if onehot[i, j] else c["other"] for j in range(k)]
        bar_ax.bar(range(k), probs[i], color=colours, width=0.75)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_xticks(range(k), names, fontsize=8 if k <= 10 else 6,
                          rotation=0 if max(len(m) for m in names) <= 2 else 45)
        bar_ax.set_yticks([0, 0.5, 1])
        bar_ax.tick_params(labelsize=8)
        bar_ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            bar_ax.spines[side].set_visible(False)
        if col == 0:
            bar_ax.set_ylabel("probability", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=12)
    return legible(fig)
