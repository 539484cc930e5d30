"""Figures of chapter 1, neural networks: digit images, the network diagram and the
curves ``h(x)`` that small networks compute.
"""

from __future__ import annotations

from ._common import _digit_images, legible

__all__ = [
    "plot_digit_pixels", "plot_digits", "plot_input_output", "plot_network"
]


def plot_digits(X, y, *, ncols: int = 10, title: str | None = None):
    """A grid of 8x8 digit images, each titled with its label.

    Parameters
    ----------
    X : array, shape (N, 64) or (N, 1, 8, 8)
        Pixel intensities in ``[0, 1]`` (as :func:`nnlib.data.digits` returns them).
    y : array of int, shape (N,)
        The label shown above each image.
    ncols : int
        Images per row.
    """
    import numpy as np
    from matplotlib.figure import Figure

    images = _digit_images(X)
    y = np.asarray(y).reshape(-1)
    if len(y) != len(images):
        raise ValueError(f"plot_digits expected one label per image, got {len(y)} labels "
                         f"for {len(images)} images")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig = Figure(figsize=(1.1 * ncols + 0.2, 1.25 * nrows + (0.4 if title else 0.1)),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax in axes:
        ax.set_axis_off()
    for ax, img, label in zip(axes, images, y, strict=False):
        ax.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(f"y = {label}", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=13)
    return legible(fig)


def plot_digit_pixels(x, label: int | None = None):
    """One digit twice: as the picture we see and as the 64 numbers the network sees.

    Parameters
    ----------
    x : array, shape (64,) or (8, 8) or (1, 8, 8)
        Pixel intensities in ``[0, 1]``.
    label : int, optional
        The digit, for the title.
    """
    import numpy as np
    from matplotlib.figure import Figure

    img = np.asarray(x, dtype=float).reshape(8, 8)
    fig = Figure(figsize=(8.6, 4.0), layout="constrained")
    left, right = fig.subplots(1, 2)
    name = "" if label is None else f" (a {label})"
    left.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    left.set_title(f"What we see{name}", fontsize=12)
    right.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest", alpha=0.35)
    for (r, c), v in np.ndenumerate(img):
        right.text(c, r, f"{v:.2f}".lstrip("0") if 0 < v < 1 else f"{v:.0f}",
                   ha="center", va="center", fontsize=9,
                   color="black")
    right.set_title("What the network sees: 64 numbers in [0, 1]", fontsize=12)
    for ax in (left, right):
        ax.set_xticks(range(8))
        ax.set_yticks(range(8))
        ax.set_xlabel("pixel column")
        ax.set_ylabel("pixel row")
    return legible(fig)


def _fmt_number(v: float) -> str:
    """A weight for an edge label: ``2``, ``-0.5``, ``0.25`` (no trailing zeros)."""
    text = f"{v:.2f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-12 else f"{v:.0f}"
    return text.replace("-", "\N{MINUS SIGN}")


def plot_network(layer_sizes, weights=None, biases=None, *, activations=None, values=None,
                 title: str | None = None):
    """Draw a fully connected network: nodes in columns, an arrow for every weight.

    Parameters
    ----------
    layer_sizes : sequence of int
        Nodes per layer, input first, e.g. ``[2, 3, 1]``.
    weights : list of arrays, optional
        ``W¹ … Wᵏ`` with ``Wᵏ`` of shape ``(layer_sizes[k-1], layer_sizes[k])`` (the
        row-vector convention ``xW + b``). Each edge is then labelled with its weight,
        coloured by sign (blue ≥ 0, red < 0) and drawn thicker for larger ``|w|``.
    biases : list of arrays, optional
        ``b¹ … bᵏ``; each neuron is then annotated with its bias.
    activations : list of str, optional
        The name of ``φ`` of each non-input layer, e.g. ``["ReLU", "identity"]``.
    values : list of arrays, optional
        One array per layer (input first): the value each node outputs in a forward
        pass, written in a box above the node. Edges leaving a hidden node whose value
        is 0 (a ReLU switched off) are drawn faint and dashed.
    title : str, optional
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"plot_network layer_sizes must list at least two positive sizes, "
                         f"got {list(layer_sizes)}")
    depth = len(sizes) - 1
    for name, arrays, shape_of in (
            ("weights", weights, lambda k: (sizes[k], sizes[k + 1])),
            ("biases", biases, lambda k: (sizes[k + 1],))):
        if arrays is None:
            continue
        if len(arrays) != depth or any(np.shape(a) != shape_of(k) for k, a in enumerate(arrays)):
            want = [shape_of(k) for k in range(depth)]
            raise ValueError(f"plot_network {name} must have shapes {want}, "
                             f"got {[np.shape(a) for a in arrays]}")
    if values is not None and (len(values) != len(sizes) or any(
            np.size(v) != s for v, s in zip(values, sizes, strict=False))):
        raise ValueError(f"plot_network values must hold one value per node, layer by layer "
                         f"{sizes}, got sizes {[np.size(v) for v in values]}")
    if activations is not None and len(activations) != depth:
        raise ValueError(f"plot_network activations must name {depth} functions (one per "
                         f"non-input layer), got {len(activations)}")

    # room between nodes for the bias below and the value above each node
    dx, r = 3.0, 0.32
    dy = 1.0 + 0.3 * (biases is not None) + 0.35 * (values is not None)
    tallest = max(sizes)
    pos = [[(k * dx, dy * ((s - 1) / 2 - i)) for i in range(s)] for k, s in enumerate(sizes)]
    fig = Figure(figsize=(2.6 * depth + 2.6, 0.95 * dy * tallest + 1.9), layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.set_axis_off()

    wmax = max((np.max(np.abs(W)) for W in weights), default=1.0) if weights else 1.0
    for k in range(depth):
        for i, (x0, y0) in enumerate(pos[k]):
            for j, (x1, y1) in enumerate(pos[k + 1]):
                w = None if weights is None else float(np.asarray(weights[k])[i, j])
                color = "0.55" if w is None else ("tab:blue" if w >= 0 else "tab:red")
                # an edge leaving a neuron that outputs 0 carries nothing: draw it faint
                silent = values is not None and k > 0 and float(np.ravel(values[k])[i]) == 0
                alpha = 0.3 if silent else 1.0
                width = 1.2 if w is None else 0.8 + 2.6 * abs(w) / (wmax or 1.0)
                d = np.hypot(x1 - x0, y1 - y0)
                ux, uy = (x1 - x0) / d, (y1 - y0) / d
                ax.annotate("", xy=(x1 - r * ux, y1 - r * uy), xytext=(x0 + r * ux, y0 + r * uy),
                            arrowprops=dict(arrowstyle="-|>", color=color, lw=width, alpha=alpha,
                                            shrinkA=0, shrinkB=0, mutation_scale=10,
                                            linestyle="--" if silent else "-"),
                            zorder=1)
                if w is not None:
                    # stagger the labels along the edge so that edges leaving one node
                    # (which fan out) and edges of neighbouring nodes do not collide
                    t = 0.26 + 0.2 * (i % 3) if sizes[k] > 1 else 0.3
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), _fmt_number(w),
                            ha="center", va="center", fontsize=10, color=color, zorder=3,
                            alpha=alpha,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))

    fills = ["#dbe9f6"] + ["#fde3c8"] * (depth - 1) + ["#d7efd3"]
    for k, layer in enumerate(pos):
        for i, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), r, fc=fills[k], ec="0.2", lw=1.3, zorder=2))
            if k == 0:
                label = f"$x_{{{i + 1}}}$"
            elif k == depth:
                label = f"$\\hat y_{{{i + 1}}}$" if sizes[k] > 1 else "$\\hat y$"
            else:
                label = f"$h^{{{k}}}_{{{i + 1}}}$"
            ax.text(x, y, label, ha="center", va="center", fontsize=12, zorder=3)
            if values is not None:
                v = float(np.ravel(values[k])[i])
                ax.text(x, y + r + 0.06, f"{_fmt_number(v)}", ha="center", va="bottom",
                        fontsize=10, fontweight="bold", color="tab:purple", zorder=3,
                        bbox=dict(boxstyle="round,pad=0.2", fc="#f2ebf7", ec="tab:purple",
                                  lw=0.8))
            if k > 0 and biases is not None:
                b = float(np.asarray(biases[k - 1])[i])
                ax.text(x + 0.02, y - r - 0.08, f"$b={_fmt_number(b)}$", ha="center", va="top",
                        fontsize=9, color="0.25", zorder=3)

    bottom = -dy * (tallest - 1) / 2 - r - (0.5 if biases is not None else 0.2)
    for k in range(depth + 1):
        kind = "input layer" if k == 0 else "output layer" if k == depth else f"hidden layer {k}"
        text = f"{kind}\n{sizes[k]} node{'s' if sizes[k] > 1 else ''}"
        if k > 0 and activations is not None:
            text += f", $\\varphi$ = {activations[k - 1]}"
        ax.text(k * dx, bottom, text, ha="center", va="top", fontsize=10, color="0.2")
    if weights is not None:
        ax.text(depth * dx / 2, bottom - 0.6, "edge colour: blue $w \\geq 0$, red $w < 0$; "
                "thickness grows with $|w|$", ha="center", va="top", fontsize=9, color="0.35")
    top = dy * (tallest - 1) / 2 + r + (0.55 if values is not None else 0.2)
    ax.set_xlim(-0.8, depth * dx + 0.8)
    ax.set_ylim(bottom - (1.0 if weights is not None else 0.65), top)
    if title:
        ax.set_title(title, fontsize=13)
    return legible(fig)


def plot_input_output(x, outputs: dict, *, title: str | None = None,
                      xlabel: str = "input $x$", ylabel: str = "output $h(x)$"):
    """Curves ``h(x)`` of networks with one input and one output, one colour per network.

    Parameters
    ----------
    x : array, shape (N,)
        The inputs, in increasing order.
    outputs : dict of str -> array of shape (N,) or (N, 1)
        The legend label and the network's outputs at ``x``.
    """
    import numpy as np
    from matplotlib.figure import Figure

    x = np.asarray(x, dtype=float).reshape(-1)
    fig = Figure(figsize=(7.0, 4.0), layout="constrained")
    ax = fig.subplots()
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]
    for (label, out), color in zip(outputs.items(), colors * len(outputs), strict=False):
        ax.plot(x, np.asarray(out, dtype=float).reshape(-1), lw=2.2, color=color, label=label)
    ax.set_xlabel(xlabel, fontsize=11)
    ax.set_ylabel(ylabel, fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=10)
    if title:
        ax.set_title(title, fontsize=12)
    return legible(fig)
