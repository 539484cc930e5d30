"""The convolution explorer (chapter 6): stride, padding and kernel size, the
output and the size formula; with the kernels and the picture the explorers share.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import (
    _explorer_cache,
    _explorer_choice,
    _explorer_frozen,
    _explorer_int,
    legible_frame,
)

__all__ = [
    "CONV_KERNEL_NAMES", "conv_kernel", "explorer_image", "plot_conv", "draw_conv",
    "conv_explorer"
]

#: The kernel names of the convolution explorer (3×3 ones from :data:`nnlib.conv.KERNELS`).
CONV_KERNEL_NAMES = ("edge", "blur", "sharpen", "sobel_x", "sobel_y")
_CONV_TITLES = {"edge": "edge E", "blur": "blur", "sharpen": "sharpen", "sobel_x": "Sobel x",
                "sobel_y": "Sobel y", "identity": "identity"}


def conv_kernel(name: str, size: int = 3):
    """The explorer's kernel ``name`` as a ``size × size`` array (``size`` 3 or 5).

    Size 3 is :data:`nnlib.conv.KERNELS` (``"edge"`` is the notes' ``E``). The 5×5
    versions extend them in the same spirit:

    * ``edge``: ``24`` at the centre and ``−1`` elsewhere: the centre minus the mean of its
      window, times 25 (``E`` is the 3×3 case, ``9·centre − window sum``); sums to 0.
    * ``blur``: the 5×5 box filter, all ``1/25``.
    * ``sharpen``: ``2·identity − blur`` (unsharp masking, sums to 1); the 3×3 kernel
      is the same idea with the 4 direct neighbours.
    * ``sobel_x`` / ``sobel_y``: the 5×5 Sobel kernels, the outer product of the
      smoothing ``[1, 4, 6, 4, 1]`` with the derivative ``[−1, −2, 0, 2, 1]``.
    * ``identity``: 1 at the centre.
    """
    import numpy as np

    from .._checks import positive_int
    from ..conv import KERNELS

    _explorer_choice(name, "name", tuple(KERNELS), "conv_kernel")
    size = positive_int(size, "size", owner="conv_kernel")
    _explorer_choice(size, "size", (3, 5), "conv_kernel")
    if size == 3:
        return np.array(KERNELS[name])
    delta = np.zeros((5, 5))
    delta[2, 2] = 1.0
    box = np.full((5, 5), 1 / 25)
    sobel = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]).astype(np.float64)
    return {"edge": 25 * delta - 1, "blur": box, "sharpen": 2 * delta - box,
            "sobel_x": sobel, "sobel_y": sobel.T, "identity": delta}[name]


@_explorer_cache
def explorer_image(size: int = 48):
    """The explorers' picture: matplotlib's photograph of Grace Hopper, grey, ``size × size``
    (read-only, cached)."""
    from ..data import sample_image

    return _explorer_frozen(sample_image(gray=True, size=size))


def plot_conv(image, kernel, stride: int = 1, padding: int = 0, *, kernel_name: str | None = None,
              window: tuple[int, int] = (0, 0)):
    """Convolution explorer: the padded input, the kernel, the output and its size.

    Left: the input with its zero padding (shaded) and the window of output entry
    ``window`` (solid) and of the next one to the right (dashed, ``s`` pixels on). Middle:
    the kernel's values. Right: ``convolve2d(image, kernel, stride, padding)``, drawn at the
    same scale as the input (one output entry per input pixel), so it shrinks visibly
    with the stride. The title is the output-size formula with the numbers.

    Parameters
    ----------
    image : array, shape (H, W)
    kernel : array, shape (k, k)
    stride : int ≥ 1
    padding : int ≥ 0
    kernel_name : str, optional
        Shown in the kernel's title (e.g. ``"edge"``).
    window : (int, int)
        The output entry whose window is highlighted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from .._checks import as_array
    from ..conv import conv_output_size, convolve2d

    owner = "plot_conv"
    image = as_array(image, "image", ndim=2, owner=owner)
    kernel = as_array(kernel, "kernel", ndim=2, owner=owner)
    if kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"{owner} kernel must be square (k, k), got shape {kernel.shape}")
    stride = _explorer_int(stride, "stride", owner, 1)
    padding = _explorer_int(padding, "padding", owner, 0)
    H, W = image.shape
    k = kernel.shape[0]
    if k > min(H, W) + 2 * padding:
        raise ValueError(f"{owner} kernel of size {k} is larger than the padded image: "
                         f"{min(H, W)} + 2·{padding} = {min(H, W) + 2 * padding}")
    Ho, Wo = conv_output_size(H, k, stride, padding), conv_output_size(W, k, stride, padding)
    if not (isinstance(window, tuple) and len(window) == 2
            and all(isinstance(i, int) for i in window)
            and 0 <= window[0] < Ho and 0 <= window[1] < Wo):
        raise ValueError(f"{owner} window must be an output position (i, j) with "
                         f"0 <= i < {Ho} and 0 <= j < {Wo}, got {window!r}")
    out = convolve2d(image, kernel, stride, padding)
    padded = np.pad(image, padding)
    P = H + 2 * padding

    formula = (f"⌊(H + 2p − k)/s⌋ + 1 = ⌊({H} + 2·{padding} − {k})/{stride}⌋ + 1 = {Ho}")
    if W != H:
        formula += f";  width ⌊({W} + 2·{padding} − {k})/{stride}⌋ + 1 = {Wo}"
    fig = Figure(figsize=(9, 3.4))          # a fixed layout, for speed (as plot_lr)
    ax, kx, ox = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 0.62, 1], "left": 0.01,
                                                 "right": 0.97, "bottom": 0.12, "top": 0.85,
                                                 "wspace": 0.12})
    fig.suptitle(f"output size {formula}", fontsize=12)

    ax.set_label("input")
    ax.imshow(padded, cmap="gray", vmin=0, vmax=1, extent=(-0.5, P - 0.5, P - 0.5, -0.5))
    if padding:
        frame = np.zeros((P, W + 2 * padding, 4))
        frame[..., :3] = (0.12, 0.47, 0.71)                  # tab:blue
        frame[..., 3] = 0.55
        frame[padding:padding + H, padding:padding + W, 3] = 0
        ax.imshow(frame, extent=(-0.5, P - 0.5, P - 0.5, -0.5))
    i, j = window
    ax.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), k, k, fill=False,
                           ec="tab:orange", lw=2.2, label=f"window of output ({i}, {j})"))
    if (j + 1) < Wo:
        ax.add_patch(Rectangle(((j + 1) * stride - 0.5, i * stride - 0.5), k, k, fill=False,
                               ec="tab:orange", lw=1.4, ls="--",
                               label=f"next window, s = {stride} to the right"))
    ax.set_xlim(-0.5, P - 0.5)
    ax.set_ylim(P - 0.5, -0.5)
    pad_note = f", zero padding p = {padding} (blue)" if padding else ", no padding"
    ax.set_title(f"input {H}×{W}{pad_note}", fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), fontsize=7, ncol=1,
              frameon=False)
    ax.set_xticks([])
    ax.set_yticks([])

    kx.set_label("kernel")
    lim = max(np.abs(kernel).max(), 1e-12)
    kx.imshow(kernel, cmap="RdBu_r", vmin=-lim, vmax=lim)
    fmt = "{:.2g}" if np.any(kernel != np.round(kernel)) else "{:.0f}"
    for (r, c), v in np.ndenumerate(kernel):
        kx.text(c, r, fmt.format(v).replace("-", "−"), ha="center", va="center",
                fontsize=10 if k == 3 else 7,
                color="white" if abs(v) > 0.6 * lim else "black")
    name = _CONV_TITLES.get(kernel_name, kernel_name) if kernel_name else "kernel"
    kx.set_title(f"{name}, k = {k}\n(weights W, sum {kernel.sum():.3g})", fontsize=9)
    kx.set_xticks([])
    kx.set_yticks([])

    ox.set_label("output")
    zero_sum = abs(kernel.sum()) < 1e-9
    if zero_sum:          # edges: signed, around 0
        m = max(float(np.percentile(np.abs(out), 99)), 1e-12)   # a few extremes: clip them
        im = ox.imshow(out, cmap="RdBu_r", vmin=-m, vmax=m,
                       extent=(-0.5, Wo - 0.5, Ho - 0.5, -0.5))
    else:
        im = ox.imshow(out, cmap="gray", extent=(-0.5, Wo - 0.5, Ho - 0.5, -0.5))
    ox.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="tab:orange", lw=2))
    ox.set_xlim(-0.5, P - 0.5)            # same scale as the input: one entry per pixel
    ox.set_ylim(P - 0.5, -0.5)
    ox.set_facecolor("0.93")
    ox.set_title(f"output {Ho}×{Wo} (same scale as the input)", fontsize=9)
    ox.set_xticks([])
    ox.set_yticks([])
    fig.colorbar(im, ax=ox, shrink=0.7, pad=0.02)
    return legible_frame(fig)


def draw_conv(stride: int = 1, padding: int = 0, kernel_size: int = 3, kernel: str = "edge"):
    """:func:`plot_conv` of the explorer: ``kernel`` (:data:`CONV_KERNEL_NAMES`) of size
    ``kernel_size`` on :func:`explorer_image`."""
    return plot_conv(explorer_image(), conv_kernel(kernel, kernel_size), stride, padding,
                     kernel_name=kernel)


#: The convolution explorer of chapter 6, stride × padding × kernel size (18 states) for
#: the notes' edge kernel E; the live widget also offers the other kernels.
conv_explorer = Explorer(
    name="conv", kind="convolution",
    title=("Convolution: stride s, zero padding p and kernel size k decide the output "
           "size"),
    draw=draw_conv,
    params=(Param("stride", "stride s", (1, 2, 3), default=1, short="stride"),
            Param("padding", "padding p", (0, 1, 2), default=1, short="padding"),
            Param("kernel_size", "kernel size k", (3, 5), default=3, short="k"),
            Param("kernel", "kernel", ("edge",), default="edge",
                  live_values=CONV_KERNEL_NAMES)))
