"""The pooling explorer (chapter 6): max, mean and min pooling of a small grid
of numbers and of a picture.
"""

from __future__ import annotations

from ..widgets import Explorer, Param
from ._common import _explorer_choice, _explorer_int, legible_frame
from .ch06_explorer_conv import explorer_image

__all__ = [
    "POOL_EXAMPLE", "plot_pooling", "pooling_explorer"
]

#: The 6×6 grid of small integers the pooling explorer pools.
POOL_EXAMPLE = ((3, 8, 1, 0, 6, 2), (5, 2, 9, 4, 1, 7), (0, 6, 3, 8, 2, 5),
                (7, 1, 4, 2, 9, 3), (2, 9, 0, 5, 3, 6), (4, 3, 7, 1, 8, 0))
_POOL_MODULES = {"max": "MaxPool2D", "mean": "AvgPool2D", "min": "MinPool2D"}


def _pool(x, mode: str, kernel_size: int, stride: int):
    """``x (H, W)`` pooled with the module of :mod:`nnlib.conv` for ``mode``."""
    from .. import conv

    module = getattr(conv, _POOL_MODULES[mode])(kernel_size, stride)
    return module.forward(x[None, None])[0, 0]


def plot_pooling(x=POOL_EXAMPLE, mode: str = "max", kernel_size: int = 2, stride: int = 2, *,
                 image=None):
    """Pooling explorer: a small grid of numbers and a picture, pooled.

    From the left: the grid ``x`` with the first window highlighted (its chosen entry
    circled for max and min; cells no window covers hatched), the pooled grid, the image
    and the pooled image (same scale, so the shrinking shows). The pooling is done by
    :class:`~nnlib.conv.MaxPool2D`, :class:`~nnlib.conv.AvgPool2D` or
    :class:`~nnlib.conv.MinPool2D`.

    Parameters
    ----------
    x : array, shape (H, W)
    mode : {"max", "mean", "min"}  (``"avg"`` is accepted for ``"mean"``)
    kernel_size, stride : int
    image : array, shape (H', W'), optional
        Default: the grey sample picture, 48×48.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    from .._checks import as_array
    from ..conv import conv_output_size

    owner = "plot_pooling"
    x = as_array(x, "x", ndim=2, owner=owner)
    mode = "mean" if mode == "avg" else mode
    _explorer_choice(mode, "mode", tuple(_POOL_MODULES), owner)
    kernel_size = _explorer_int(kernel_size, "kernel_size", owner, 1)
    stride = _explorer_int(stride, "stride", owner, 1)
    image = explorer_image() if image is None else as_array(image, "image", ndim=2, owner=owner)
    for arr, what in ((x, "x"), (image, "image")):
        if kernel_size > min(arr.shape):
            raise ValueError(f"{owner} kernel_size {kernel_size} is larger than {what}, "
                             f"of shape {arr.shape}")
    y = _pool(x, mode, kernel_size, stride)
    pooled = _pool(image, mode, kernel_size, stride)
    H, W = x.shape
    Ho = conv_output_size(H, kernel_size, stride)

    fig = Figure(figsize=(10, 3.1))         # a fixed layout, for speed (as plot_lr)
    gx, px, ix, qx = fig.subplots(1, 4, gridspec_kw={"left": 0.01, "right": 0.99,
                                                     "bottom": 0.02, "top": 0.84,
                                                     "wspace": 0.06})
    fig.suptitle(f"{mode} pooling, k = {kernel_size}, s = {stride}: {H}×{W} → "
                 f"{y.shape[0]}×{y.shape[1]}   (⌊({H} − {kernel_size})/{stride}⌋ + 1 = {Ho})",
                 fontsize=12)
    integer = np.all(x == np.round(x))
    fmt = "{:.0f}" if integer else "{:.2g}"
    k, s = kernel_size, stride
    covered = np.zeros_like(x, dtype=bool)
    for r in range(y.shape[0]):
        for c in range(y.shape[1]):
            covered[r * s:r * s + k, c * s:c * s + k] = True

    gx.set_label("grid")
    gx.imshow(x, cmap="Blues", vmin=x.min(), vmax=x.max() + 0.6 * (x.max() - x.min()))
    for (r, c), v in np.ndenumerate(x):
        gx.text(c, r, fmt.format(v), ha="center", va="center", fontsize=10,
                color="black" if covered[r, c] else "0.6")
        if not covered[r, c]:
            gx.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///",
                                   ec="0.6", lw=0))
    gx.add_patch(Rectangle((-0.5, -0.5), k, k, fill=False, ec="tab:orange", lw=2.5))
    if y.shape[1] > 1:
        gx.add_patch(Rectangle((s - 0.5, -0.5), k, k, fill=False, ec="tab:orange", lw=1.3,
                               ls="--"))
    if mode != "mean":
        win = x[:k, :k]
        r, c = np.unravel_index(np.argmax(win) if mode == "max" else np.argmin(win), win.shape)
        gx.add_patch(Circle((c, r), 0.38, fill=False, ec="tab:red", lw=2))
    gx.set_title(f"input {H}×{W}, first window", fontsize=9)

    px.set_label("pooled")
    px.imshow(y, cmap="Blues", vmin=x.min(), vmax=x.max() + 0.6 * (x.max() - x.min()),
              extent=(-0.5, y.shape[1] - 0.5, y.shape[0] - 0.5, -0.5))
    yfmt = fmt if mode != "mean" else "{:.2f}"
    for (r, c), v in np.ndenumerate(y):
        px.text(c, r, yfmt.format(v), ha="center", va="center",
                fontsize=10 if mode != "mean" else 8)
    px.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="tab:orange", lw=2.5))
    px.set_xlim(-0.5, W - 0.5)
    px.set_ylim(H - 0.5, -0.5)
    px.set_facecolor("0.95")
    px.set_title(f"{mode} pooled, {y.shape[0]}×{y.shape[1]}", fontsize=9)

    ix.set_label("image")
    ix.imshow(image, cmap="gray", vmin=0, vmax=1)
    ix.set_title(f"image {image.shape[0]}×{image.shape[1]}", fontsize=9)
    qx.set_label("pooled image")
    qx.imshow(pooled, cmap="gray", vmin=0, vmax=1,
              extent=(-0.5, pooled.shape[1] - 0.5, pooled.shape[0] - 0.5, -0.5))
    qx.set_xlim(-0.5, image.shape[1] - 0.5)
    qx.set_ylim(image.shape[0] - 0.5, -0.5)
    qx.set_facecolor("0.95")
    qx.set_title(f"{mode} pooled, {pooled.shape[0]}×{pooled.shape[1]} (same scale)",
                 fontsize=9)
    for a in (gx, px, ix, qx):
        a.set_xticks([])
        a.set_yticks([])
    return legible_frame(fig)


#: The pooling explorer of chapter 6, mode × kernel size × stride, 18 states.
pooling_explorer = Explorer(
    name="pooling", kind="pooling", title="Pooling: the mode, kernel size k and stride s",
    draw=plot_pooling,
    params=(Param("mode", "mode", ("max", "mean", "min"), default="max"),
            Param("kernel_size", "kernel size k", (2, 3), default=2, short="k"),
            Param("stride", "stride s", (1, 2, 3), default=2, short="s")))
