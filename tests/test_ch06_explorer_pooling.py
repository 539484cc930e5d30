"""The pooling explorer of chapter 6 draws the right thing. It reads back what a
figure shows and compares it with what the library computes."""

import numpy as np
import pytest
from figures import axes, image

from nnlib import plotting as P
from nnlib.conv import AvgPool2D, MaxPool2D, MinPool2D, conv_output_size

POOLS = {"max": MaxPool2D, "mean": AvgPool2D, "min": MinPool2D}


@pytest.mark.parametrize("mode", list(POOLS))
@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_pooling_output_equals_the_modules(picture, mode, k, s):
    x = np.array(P.POOL_EXAMPLE, dtype=float)
    fig = P.plot_pooling(x, mode, k, s)
    expected = POOLS[mode](k, s).forward(x[None, None])[0, 0]
    np.testing.assert_array_equal(image(axes(fig, "pooled")), expected)
    shown = [t.get_text() for t in axes(fig, "pooled").texts]
    fmt = "{:.2f}" if mode == "mean" else "{:.0f}"
    assert shown == [fmt.format(v) for v in expected.ravel()]
    pooled = POOLS[mode](k, s).forward(picture[None, None])[0, 0]
    np.testing.assert_array_equal(image(axes(fig, "pooled image")), pooled)
    assert f"{mode} pooling, k = {k}, s = {s}" in fig.get_suptitle()
    assert f"⌊(6 − {k})/{s}⌋ + 1 = {conv_output_size(6, k, s)}" in fig.get_suptitle()


def test_pooling_accepts_avg_and_validates():
    a = image(axes(P.plot_pooling(mode="avg"), "pooled"))
    b = image(axes(P.plot_pooling(mode="mean"), "pooled"))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="mode"):
        P.plot_pooling(mode="median")
    with pytest.raises(ValueError, match="kernel_size 4 is larger than x"):
        P.plot_pooling(np.ones((3, 3)), "max", 4, 1)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        P.plot_pooling(mode="max", stride=0)
    with pytest.raises(ValueError, match="x must be 2-D"):
        P.plot_pooling(np.ones(6), "max", 2, 2)
