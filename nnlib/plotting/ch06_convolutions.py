"""Figures of chapter 6, convolutions: one output entry from its window, edge
responses, equivariance, convolution as a matrix and the filters of a trained network.
"""

from __future__ import annotations

from ._common import legible

__all__ = [
    "plot_cnn_filters", "plot_conv_as_matrix", "plot_conv_step", "plot_edge_response",
    "plot_edge_scale", "plot_shift_demo"
]


def _ch06_grid(ax, values, *, signed: bool = False, fmt: str = "{:g}", shade=None,
               fontsize: float = 11) -> None:
    """A small matrix drawn as cells with its numbers written in them (ticks off).

    Cells are tinted lightly: grey by value, or (``signed``) red for positive and blue
    for negative entries. ``shade`` (boolean, same shape) marks cells tinted light blue
    instead (zero padding).
    """
    import numpy as np

    values = np.asarray(values, dtype=float)
    if signed:
        m = max(float(np.abs(values).max()), 1e-12)
        ax.imshow(np.sign(values) * (0.35 + 0.65 * np.abs(values) / m), cmap="RdBu_r",
                  vmin=-2.2, vmax=2.2)
    else:
        lo, hi = float(values.min()), float(values.max())
        span = max(hi - lo, 1e-12)
        ax.imshow(values, cmap="Greys", vmin=lo - 0.1 * span, vmax=hi + 2.0 * span)
    if shade is not None:
        ax.imshow(np.where(shade, 1.0, np.nan), cmap="Blues", vmin=0, vmax=4, alpha=0.9)
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, fmt.format(v).replace("-", "−"), ha="center", va="center",
                fontsize=fontsize)
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.6", lw=0.6)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)


def plot_conv_step(image, kernel, position: tuple[int, int] = (0, 0), stride: int = 1,
                   padding: int = 0):
    """One output entry of a convolution, computed from its window, with all numbers shown.

    Left: the (zero-padded, padding in blue) input with the window of output entry
    ``position`` outlined; middle: the kernel ``W``; right: the whole output of
    :func:`nnlib.conv.convolve2d` with that entry outlined. Below: the sum that gives it.

    Parameters
    ----------
    image : array, shape (H, W)
        A small input (about 4 to 8 pixels a side, so the numbers are legible).
    kernel : array, shape (k, k)
    position : (int, int)
        Row and column of the output entry to explain.
    stride, padding : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from ..conv import convolve2d

    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    out = convolve2d(image, kernel, stride, padding)
    r, c = position
    if not (0 <= r < out.shape[0] and 0 <= c < out.shape[1]):
        raise ValueError(f"plot_conv_step position must index the output of shape "
                         f"{out.shape}, got {position}")
    k, p = kernel.shape[0], padding
    padded = np.pad(image, p)
    pad_mask = np.ones_like(padded, dtype=bool)
    pad_mask[p:p + image.shape[0], p:p + image.shape[1]] = False
    top, left = r * stride, c * stride
    window = padded[top:top + k, left:left + k]

    widths = [padded.shape[1], k, out.shape[1]]
    fig = Figure(figsize=(3.2 + 0.62 * sum(widths), 0.62 * padded.shape[0] + 1.9),
                 layout="constrained")
    ax_in, ax_k, ax_out = fig.subplots(1, 3, gridspec_kw={"width_ratios": widths})
    _ch06_grid(ax_in, padded, shade=pad_mask if p else None)
    ax_in.add_patch(Rectangle((left - 0.5, top - 0.5), k, k, fill=False, ec="tab:orange",
                              lw=3))
    pad_text = f", zero padding p = {p}" if p else ""
    ax_in.set_title(f"input $x$ ({image.shape[0]}×{image.shape[1]}{pad_text})", fontsize=11)
    _ch06_grid(ax_k, kernel, signed=True)
    ax_k.set_title(f"kernel $W$ ({k}×{k})", fontsize=11)
    _ch06_grid(ax_out, out, fmt="{:.3g}", signed=True)
    ax_out.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec="tab:orange", lw=3))
    ax_out.set_title(f"output $y$ ({out.shape[0]}×{out.shape[1]}), stride s = {stride}",
                     fontsize=11)
    terms = " + ".join(f"({w:g})({v:g})" for w, v in zip(kernel.ravel(), window.ravel(),
                                                       strict=True)).replace("-", "−")
    if len(terms) > 110:               # long sums: break the line in the middle
        cut = terms.index(" + ", len(terms) // 2)
        terms = terms[:cut] + "\n+ " + terms[cut + 3:]
    fig.supxlabel(f"$y_{{{r},{c}}}$ = Σ W ⊙ window = {terms} = "
                  f"{out[r, c]:g}".replace("-", "−"), fontsize=10)
    return legible(fig)


def plot_edge_response(image, response, *, crop: tuple[slice, slice] | None = None,
                       title: str | None = None):
    """A grey image next to its response to an edge kernel, and a close-up of both.

    Parameters
    ----------
    image : array, shape (H, W), values in [0, 1]
    response : array, shape (H, W)
        E.g. ``convolve2d(image, EDGE_KERNEL, padding=1)``; drawn with a diverging colour
        map (red positive, blue negative, white 0) clipped at the 99th percentile of
        ``|response|``.
    crop : (slice, slice), optional
        A region shown enlarged in a second row (image and response).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    image, response = np.asarray(image, dtype=float), np.asarray(response, dtype=float)
    if image.shape != response.shape:
        raise ValueError(f"plot_edge_response expected image and response of the same shape, "
                         f"got {image.shape} and {response.shape}")
    lim = max(float(np.percentile(np.abs(response), 99)), 1e-12)
    rows = 2 if crop is not None else 1
    fig = Figure(figsize=(8.4, 4.4 * rows), layout="constrained")
    axes = fig.subplots(rows, 2, squeeze=False)
    panels = [(image, None)] + [(response, lim)]
    for r in range(rows):
        for c, (data, m) in enumerate(panels):
            ax = axes[r, c]
            shown = data if r == 0 else data[crop]
            if m is None:
                im = ax.imshow(shown, cmap="gray", vmin=0, vmax=1)
            else:
                im = ax.imshow(shown, cmap="RdBu_r", vmin=-m, vmax=m)
                fig.colorbar(im, ax=ax, shrink=0.8, label="response $y$")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and crop is not None:
                (ys, xs) = crop
                ax.add_patch(Rectangle((xs.start - 0.5, ys.start - 0.5), xs.stop - xs.start,
                                       ys.stop - ys.start, fill=False, ec="tab:orange", lw=2))
    axes[0, 0].set_title(f"input, {image.shape[0]}×{image.shape[1]} pixels", fontsize=11)
    axes[0, 1].set_title("response to the edge kernel E", fontsize=11)
    if crop is not None:
        axes[1, 0].set_title("close-up of the input (orange box)", fontsize=11)
        axes[1, 1].set_title("close-up of the response", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=12)
    return legible(fig)


def plot_edge_scale(profiles: dict):
    """The same edge at several scales and the edge kernel's response along one row.

    Parameters
    ----------
    profiles : dict
        ``{width w: (signal, response)}``: one row of an image whose brightness rises
        from 0 to 1 over ``w`` pixels, and the same row of its response to ``E``
        (1-D arrays of the same length).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(11, 4.0), layout="constrained")
    ax_s, ax_r = fig.subplots(1, 2)
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]
    for (w, (signal, response)), colour in zip(profiles.items(), colours * len(profiles),
                                               strict=False):
        cols = np.arange(len(signal))
        ax_s.step(cols, signal, where="mid", color=colour, lw=2, label=f"edge {w} px wide")
        ax_r.plot(cols, response, "o-", color=colour, lw=1.8, ms=4,
                  label=f"{w} px: peak {np.max(response):.3g}")
    ax_s.set_ylabel("brightness $x$", fontsize=10)
    ax_s.set_title("One edge at four scales (one image row)", fontsize=11)
    ax_r.axhline(0, color="0.5", lw=0.8)
    ax_r.set_ylabel("response $y$ to E", fontsize=10)
    ax_r.set_title("The same 3×3 kernel responds ever more weakly", fontsize=11)
    for ax in (ax_s, ax_r):
        ax.set_xlabel("column", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9)
    return legible(fig)


def plot_shift_demo(x, x_shifted, y, y_shifted, *, shift: tuple[int, int]):
    """Equivariance and invariance: an image and its shifted copy, and their responses.

    Parameters
    ----------
    x, x_shifted : array, shape (H, W)
        The input and the input moved by ``shift`` (rows, columns).
    y, y_shifted : array, shape (H', W')
        Their responses to the same convolution.
    shift : (int, int)

    Returns
    -------
    matplotlib.figure.Figure
        Two rows (original, shifted), two columns (input, response); each response is
        titled with its maximum, the value a global max pooling would keep.
    """
    import numpy as np
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.6, 7.6), layout="constrained")
    axes = fig.subplots(2, 2)
    lim = max(float(np.abs(y).max()), float(np.abs(y_shifted).max()), 1e-12)
    for r, (inp, out, what) in enumerate([(x, y, "input"),
                                          (x_shifted, y_shifted,
                                           f"shifted by {shift[0]} down, {shift[1]} right")]):
        axes[r, 0].imshow(inp, cmap="gray_r", vmin=0, vmax=max(float(np.max(x)), 1e-12))
        axes[r, 0].set_title(what, fontsize=11)
        im = axes[r, 1].imshow(out, cmap="RdBu_r", vmin=-lim, vmax=lim)
        top = np.unravel_index(np.argmax(out), out.shape)
        axes[r, 1].plot(top[1], top[0], "o", ms=12, mfc="none", mec="black", mew=2)
        axes[r, 1].set_title(f"response: max {np.max(out):.4g} at {tuple(map(int, top))}",
                             fontsize=11)
        for ax in axes[r]:
            ax.set_xticks(np.arange(0, inp.shape[1], 4))
            ax.set_yticks(np.arange(0, inp.shape[0], 4))
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.25)
    fig.colorbar(im, ax=axes[:, 1], shrink=0.6, label="response $y$")
    return legible(fig)


def plot_conv_as_matrix(M, image_shape: tuple[int, int], kernel_size: int):
    """The weight matrix of a ``Linear`` layer that computes a convolution.

    Parameters
    ----------
    M : array, shape (H·W, H'·W')
        Column ``q`` holds the weights from every input pixel to output entry ``q``
        (row-vector convention ``y = x M``); zero where the pixel is outside the window.
    image_shape : (int, int)
    kernel_size : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    M = np.asarray(M, dtype=float)
    lim = max(float(np.abs(M).max()), 1e-12)
    fig = Figure(figsize=(4.0 + 0.22 * M.shape[1], 1.2 + 0.2 * M.shape[0]),
                 layout="constrained")
    ax = fig.subplots()
    shown = np.where(M == 0, np.nan, M)
    im = ax.imshow(shown, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_facecolor("0.93")
    ax.set_xticks(np.arange(M.shape[1]))
    ax.set_yticks(np.arange(0, M.shape[0], 5))
    ax.set_xticks(np.arange(M.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(M.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("output entry $q$ (row by row)", fontsize=10)
    ax.set_ylabel("input pixel (row by row)", fontsize=10)
    nonzero = int(np.count_nonzero(M))
    ax.set_title(f"{image_shape[0]}×{image_shape[1]} image, {kernel_size}×{kernel_size} "
                 f"kernel: {nonzero} of {M.size} weights non-zero,\n"
                 f"only {len(np.unique(M[M != 0]))} distinct values", fontsize=11)
    fig.colorbar(im, ax=ax, shrink=0.6, label="weight")
    return legible(fig)


def plot_cnn_filters(W, image, maps, pooled):
    """What a trained convolution layer does to one digit.

    Row 1: the ``F`` learned ``k × k`` kernels; row 2: their feature maps on ``image``
    after ReLU; row 3: the same after max pooling (what the next layer sees).

    Parameters
    ----------
    W : array, shape (F, 1, k, k)
        ``Conv2D.W.value`` of a one-channel layer.
    image : array, shape (H, W)
    maps : array, shape (F, H', W')
    pooled : array, shape (F, H'', W'')

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    W = np.asarray(W, dtype=float)
    F = W.shape[0]
    fig = Figure(figsize=(1.1 * (F + 1) + 0.6, 4.6), layout="constrained")
    axes = fig.subplots(3, F + 1)
    axes[0, 0].imshow(image, cmap="gray_r")
    axes[0, 0].set_title("input", fontsize=10)
    for ax in axes[1:, 0]:
        ax.set_axis_off()
    lim = float(np.abs(W).max())
    mmax = max(float(np.max(maps)), 1e-12)
    for f in range(F):
        axes[0, f + 1].imshow(W[f, 0], cmap="RdBu_r", vmin=-lim, vmax=lim)
        axes[0, f + 1].set_title(f"kernel {f + 1}", fontsize=10)
        axes[1, f + 1].imshow(maps[f], cmap="magma", vmin=0, vmax=mmax)
        axes[2, f + 1].imshow(pooled[f], cmap="magma", vmin=0, vmax=mmax)
    axes[1, 1].set_ylabel("ReLU(conv)", fontsize=10)
    axes[2, 1].set_ylabel("max-pooled", fontsize=10)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("Learned 3×3 kernels (red positive, blue negative) and their feature maps",
                 fontsize=11)
    return legible(fig)
