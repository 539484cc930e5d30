"""The convolution explorer of chapter 6 draws the right thing. It reads back what a
figure shows and compares it with what the library computes."""

import numpy as np
import pytest
from figures import axes, image

from nnlib import plotting as P
from nnlib.conv import KERNELS, conv_output_size, convolve2d


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("k", [3, 5])
def test_conv_output_has_the_formula_size_and_the_convolve2d_values(picture, stride, padding, k):
    kernel = P.conv_kernel("edge", k)
    fig = P.plot_conv(picture, kernel, stride, padding, kernel_name="edge")
    H = picture.shape[0]
    Ho = conv_output_size(H, k, stride, padding)
    shown = image(axes(fig, "output"))
    assert shown.shape == (Ho, conv_output_size(picture.shape[1], k, stride, padding))
    # the very array convolve2d returns (no rescaling of the data, only of the colours)
    np.testing.assert_array_equal(shown, convolve2d(picture, kernel, stride, padding))
    title = fig.get_suptitle()
    assert f"⌊(H + 2p − k)/s⌋ + 1 = ⌊({H} + 2·{padding} − {k})/{stride}⌋ + 1 = {Ho}" in title
    # the input panel shows the zero-padded image
    assert image(axes(fig, "input")).shape == (H + 2 * padding, picture.shape[1] + 2 * padding)
    np.testing.assert_array_equal(image(axes(fig, "kernel")), kernel)


def test_conv_title_of_the_notes_example():
    fig = P.plot_conv(np.zeros((64, 64)), KERNELS["edge"], 2, 1)
    assert "⌊(64 + 2·1 − 3)/2⌋ + 1 = 32" in fig.get_suptitle()


def test_conv_non_square_image_gives_both_sizes():
    fig = P.plot_conv(np.ones((10, 14)), KERNELS["blur"], 2, 0)
    assert image(axes(fig, "output")).shape == (4, 6)
    assert "= 4" in fig.get_suptitle() and "= 6" in fig.get_suptitle()


def test_conv_kernels():
    for name in KERNELS:
        np.testing.assert_array_equal(P.conv_kernel(name, 3), KERNELS[name])
    five = {name: P.conv_kernel(name, 5) for name in KERNELS}
    assert all(k.shape == (5, 5) for k in five.values())
    # edge detectors respond 0 to a flat image, smoothing and sharpening keep its level
    for name in ("edge", "sobel_x", "sobel_y"):
        assert five[name].sum() == 0
    for name in ("blur", "sharpen", "identity"):
        assert five[name].sum() == pytest.approx(1.0, abs=1e-12)  # sums of 25 floats
    assert five["edge"][2, 2] == 24 and np.sum(five["edge"] == -1) == 24
    np.testing.assert_array_equal(five["sobel_y"], five["sobel_x"].T)
    np.testing.assert_array_equal(five["sobel_x"][2], [-6, -12, 0, 12, 6])
    with pytest.raises(ValueError, match="name"):
        P.conv_kernel("laplace")
    with pytest.raises(ValueError, match="size"):
        P.conv_kernel("edge", 4)


def test_conv_validates_its_arguments(picture):
    E = KERNELS["edge"]
    with pytest.raises(ValueError, match="kernel of size 5 is larger than the padded image"):
        P.plot_conv(np.ones((3, 3)), P.conv_kernel("edge", 5), 1, 0)
    with pytest.raises(ValueError, match="kernel must be square"):
        P.plot_conv(picture, np.ones((3, 2)), 1, 0)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        P.plot_conv(picture, E, 0, 0)
    with pytest.raises(ValueError, match="padding must be >= 0"):
        P.plot_conv(picture, E, 1, -1)
    with pytest.raises(ValueError, match="image must be 2-D"):
        P.plot_conv(np.ones((1, 8, 8)), E, 1, 0)
    with pytest.raises(ValueError, match="window"):
        P.plot_conv(picture, E, 2, 0, window=(30, 0))
    with pytest.raises(TypeError, match="stride must be an integer"):
        P.plot_conv(picture, E, 1.5, 0)
