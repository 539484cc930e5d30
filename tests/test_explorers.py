"""The explorers' drawing functions in nnlib.plotting draw the right thing.

Each test reads back what a figure shows (the array of an ``AxesImage``, the data of a
``Line2D``, the suptitle) and compares it with what the library computes. Axes are found
by the labels the drawing functions give them (``ax.get_label()``).
"""

import warnings

import numpy as np
import pytest

from nnlib import plotting as P
from nnlib.activations import ACTIVATIONS
from nnlib.conv import KERNELS, AvgPool2D, MaxPool2D, MinPool2D, conv_output_size, convolve2d


def axes(fig, label):
    found = [a for a in fig.axes if a.get_label() == label]
    assert len(found) == 1, f"no axes labelled {label!r}: {[a.get_label() for a in fig.axes]}"
    return found[0]


def image_of(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


@pytest.fixture(scope="module")
def picture():
    return P.explorer_image()


# ---- convolution ------------------------------------------------------------------------

@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("k", [3, 5])
def test_conv_output_has_the_formula_size_and_the_convolve2d_values(picture, stride, padding, k):
    kernel = P.conv_kernel("edge", k)
    fig = P.plot_conv(picture, kernel, stride, padding, kernel_name="edge")
    H = picture.shape[0]
    Ho = conv_output_size(H, k, stride, padding)
    shown = image_of(axes(fig, "output"))
    assert shown.shape == (Ho, conv_output_size(picture.shape[1], k, stride, padding))
    # the very array convolve2d returns (no rescaling of the data, only of the colours)
    np.testing.assert_array_equal(shown, convolve2d(picture, kernel, stride, padding))
    title = fig.get_suptitle()
    assert f"⌊(H + 2p − k)/s⌋ + 1 = ⌊({H} + 2·{padding} − {k})/{stride}⌋ + 1 = {Ho}" in title
    # the input panel shows the zero-padded image
    assert image_of(axes(fig, "input")).shape == (H + 2 * padding, picture.shape[1] + 2 * padding)
    np.testing.assert_array_equal(image_of(axes(fig, "kernel")), kernel)


def test_conv_title_of_the_notes_example():
    fig = P.plot_conv(np.zeros((64, 64)), KERNELS["edge"], 2, 1)
    assert "⌊(64 + 2·1 − 3)/2⌋ + 1 = 32" in fig.get_suptitle()


def test_conv_non_square_image_gives_both_sizes():
    fig = P.plot_conv(np.ones((10, 14)), KERNELS["blur"], 2, 0)
    assert image_of(axes(fig, "output")).shape == (4, 6)
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


# ---- learning rate ---------------------------------------------------------------------

def test_lr_grid_spans_the_four_regimes_on_both_problems():
    bowl = [P.lr_bowl_run(lr)["verdict"] for lr in P.LR_GRID]
    net = [P.lr_network_run(lr)["verdict"] for lr in P.LR_GRID]
    assert bowl == net, "the two panels disagree on some η of the grid"
    assert set(bowl) == {"too small", "good", "oscillating", "diverges"}
    # the regimes come in order as η grows
    order = ["too small", "good", "oscillating", "diverges"]
    assert [order.index(v) for v in bowl] == sorted(order.index(v) for v in bowl)
    assert P.lr_verdict(max(P.LR_GRID)) == "diverges"
    assert P.lr_verdict(0.001) == "too small"
    assert P.lr_verdict(0.3) == "good"


def test_lr_bowl_threshold_is_two_over_the_largest_curvature():
    crit = P.lr_critical()
    assert crit == pytest.approx(2 / max(P.LR_BOWL["curvatures"]))
    assert P.lr_bowl_run(0.98 * crit)["verdict"] == "oscillating"
    assert P.lr_bowl_run(1.02 * crit)["verdict"] == "diverges"
    assert P.lr_bowl_run(0.98 / max(P.LR_BOWL["curvatures"]))["verdict"] == "good"


@pytest.mark.parametrize("lr", [10.0, 1e3, 1e6])
def test_diverging_runs_draw_without_any_warning(lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert P.lr_verdict(lr) == "diverges"
        fig = P.plot_lr(lr)
    assert fig.get_suptitle().startswith(f"η = {lr:g}: diverges")
    labels = axes(fig, "network").get_legend_handles_labels()[1]
    assert any(lab.startswith("diverged") for lab in labels), labels


def test_lr_network_nan_divergence_is_reported_by_history():
    run = P.lr_network_run(1e6)          # so large that the loss overflows to inf/NaN
    assert run["diverged"] and run["verdict"] == "diverges"
    assert len(run["loss"]) < P.LR_NETWORK["epochs"] + 1     # fit stopped early


def test_plot_lr_shows_the_runs():
    fig = P.plot_lr(0.3)
    assert fig.get_suptitle().startswith("η = 0.3: good")
    path = P.lr_bowl_run(0.3)["path"]
    line = axes(fig, "bowl").lines[0]
    np.testing.assert_array_equal(line.get_xdata(), path[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), path[:, 1])
    loss = P.lr_network_run(0.3)["loss"]
    mine = [ln for ln in axes(fig, "network").lines if ln.get_label() == "η = 0.3"]
    np.testing.assert_array_equal(mine[0].get_ydata(), loss)
    assert "critical η = 2/L_max = 3.33" in " ".join(t.get_text()
                                                   for t in axes(fig, "bowl").texts)


def test_lr_runs_are_cached_and_read_only():
    a, b = P.lr_network_run(0.1), P.lr_network_run(0.1)
    assert a["loss"] is b["loss"]
    with pytest.raises(ValueError):
        a["loss"][0] = 0.0


@pytest.mark.parametrize("bad", [0.0, -0.1, float("nan")])
def test_lr_validates(bad):
    with pytest.raises(ValueError, match="lr"):
        P.plot_lr(bad)
    with pytest.raises(ValueError, match="lr"):
        P.lr_verdict(bad)


# ---- weight decay ----------------------------------------------------------------------

def test_weight_decay_shrinks_the_weights_and_the_gap():
    runs = {lam: P.weight_decay_run(lam) for lam in P.WEIGHT_DECAY_GRID}
    norms = [float(np.sum(runs[lam]["weights"] ** 2)) for lam in P.WEIGHT_DECAY_GRID]
    assert all(a > b for a, b in zip(norms[:5], norms[1:6], strict=True)), norms
    assert all(a >= b for a, b in zip(norms, norms[1:], strict=False)), norms

    def gap(lam):
        return runs[lam]["val_loss"][-1] - runs[lam]["train_loss"][-1]

    assert gap(0.0) > 2 * gap(0.01)
    assert P.weight_decay_verdict(0.0) == "overfits"
    assert P.weight_decay_verdict(0.01) == "good fit"
    assert P.weight_decay_verdict(1.0) == "underfits"


def test_plot_weight_decay_shows_the_run():
    fig = P.plot_weight_decay(0.01)
    assert fig.get_suptitle().startswith("λ = 0.01 (the notes' choice): good fit")
    run = P.weight_decay_run(0.01)
    lines = axes(fig, "loss").lines
    np.testing.assert_array_equal(lines[0].get_ydata(), run["train_loss"])
    np.testing.assert_array_equal(lines[1].get_ydata(), run["val_loss"])
    counts = [p.get_height() for p in axes(fig, "weights").patches]
    assert sum(counts) == run["weights"].size == 2 * 64 + 64 * 64 + 64 * 2
    assert f"Σw² = {np.sum(run['weights'] ** 2):.3g}" in axes(fig, "weights").get_title()
    assert "the notes' choice" not in P.plot_weight_decay(0.0).get_suptitle()


def test_weight_decay_validates():
    with pytest.raises(ValueError, match="lam"):
        P.plot_weight_decay(-0.01)
    with pytest.raises(TypeError, match="lam"):
        P.weight_decay_verdict("0.1")


# ---- activations -----------------------------------------------------------------------

@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_panels_match_the_functions(name):
    alpha = 0.2
    fig = P.plot_activation(name, alpha=alpha)
    f, df = ACTIVATIONS[name]
    kw = {"alpha": alpha} if name == "leaky_relu" else {}
    for label, fn in (("function", f), ("derivative", df)):
        line = next(ln for ln in axes(fig, label).lines if ln.get_label().startswith("$"))
        z = line.get_xdata()
        assert z.min() == -6 and z.max() == 6 and np.any(z == 0)
        np.testing.assert_array_equal(line.get_ydata(), fn(z, **kw))
    assert name in fig.get_suptitle()


def test_activation_derivative_facts():
    d = next(ln for ln in axes(P.plot_activation("sigmoid"), "derivative").lines
             if ln.get_label().startswith("$"))
    assert d.get_ydata().max() == pytest.approx(0.25, abs=1e-15)   # σ'(0) = 1/4 exactly
    with pytest.raises(ValueError, match="name"):
        P.plot_activation("softplus")
    with pytest.raises(ValueError, match="alpha"):
        P.plot_activation("leaky_relu", alpha=-0.1)


# ---- pooling ----------------------------------------------------------------------------

POOLS = {"max": MaxPool2D, "mean": AvgPool2D, "min": MinPool2D}


@pytest.mark.parametrize("mode", list(POOLS))
@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_pooling_output_equals_the_modules(picture, mode, k, s):
    x = np.array(P.POOL_EXAMPLE, dtype=float)
    fig = P.plot_pooling(x, mode, k, s)
    expected = POOLS[mode](k, s).forward(x[None, None])[0, 0]
    np.testing.assert_array_equal(image_of(axes(fig, "pooled")), expected)
    shown = [t.get_text() for t in axes(fig, "pooled").texts]
    fmt = "{:.2f}" if mode == "mean" else "{:.0f}"
    assert shown == [fmt.format(v) for v in expected.ravel()]
    image = POOLS[mode](k, s).forward(picture[None, None])[0, 0]
    np.testing.assert_array_equal(image_of(axes(fig, "pooled image")), image)
    assert f"{mode} pooling, k = {k}, s = {s}" in fig.get_suptitle()
    assert f"⌊(6 − {k})/{s}⌋ + 1 = {conv_output_size(6, k, s)}" in fig.get_suptitle()


def test_pooling_accepts_avg_and_validates():
    a = image_of(axes(P.plot_pooling(mode="avg"), "pooled"))
    b = image_of(axes(P.plot_pooling(mode="mean"), "pooled"))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="mode"):
        P.plot_pooling(mode="median")
    with pytest.raises(ValueError, match="kernel_size 4 is larger than x"):
        P.plot_pooling(np.ones((3, 3)), "max", 4, 1)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        P.plot_pooling(mode="max", stride=0)
    with pytest.raises(ValueError, match="x must be 2-D"):
        P.plot_pooling(np.ones(6), "max", 2, 2)
