"""The explorers' drawing functions in nnlib.plotting draw the right thing.

Each test reads back what a figure shows (the array of an ``AxesImage``, the data of a
``Line2D``, the suptitle) and compares it with what the library computes. Axes are found
by the labels the drawing functions give them (``ax.get_label()``).
"""

import warnings

import numpy as np
import pytest
from figures import axes

from nnlib import plotting as P
from nnlib.activations import ACTIVATIONS
from nnlib.conv import KERNELS, AvgPool2D, MaxPool2D, MinPool2D, conv_output_size, convolve2d


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

def test_lr_grid_spans_the_regimes_on_both_problems():
    bowl = [P.lr_bowl_run(lr)["verdict"] for lr in P.LR_GRID]
    net = [P.lr_network_run(lr)["verdict"] for lr in P.LR_GRID]
    assert bowl == net, "the two panels disagree on some η of the grid"
    # the verdicts of the text of chapter 2 ("Things to try"), in order of η
    assert bowl == ["too small"] * 3 + ["slow", "good", "good", "zig-zags", "diverges"]
    assert [P.lr_verdict(lr) for lr in P.LR_GRID] == bowl


@pytest.mark.parametrize("lr", P.LR_GRID)
def test_lr_bowl_verdict_agrees_with_the_path(lr):
    """Each verdict is what the drawn path does: the distance left after the steps shown
    and the per-step factors |1 − η a| of the flat and the steep direction."""
    run = P.lr_bowl_run(lr)
    path, verdict, left = run["path"], run["verdict"], run["left"]
    a_min, a_max = P.LR_BOWL["curvatures"]
    assert run["factors"] == pytest.approx((abs(1 - lr * a_min), abs(1 - lr * a_max)),
                                           rel=1e-12)              # float rounding only
    with np.errstate(all="ignore"):
        dist = np.linalg.norm(path, axis=1)
        np.testing.assert_allclose(left, dist[-1] / dist[0], rtol=1e-12)
        signs = np.sign(path @ np.array([np.cos(np.deg2rad(30 + 90)),
                                         np.sin(np.deg2rad(30 + 90))]))
    flips = int(np.sum(signs[1:] != signs[:-1]))    # sign changes along the steep axis
    if verdict == "diverges":
        assert not dist[-1] <= dist[0] and max(run["factors"]) > 1
    else:
        assert max(run["factors"]) < 1 and left < 1         # it gets closer: it converges
        if verdict == "zig-zags":
            assert flips == P.LR_BOWL["steps"]              # overshoots at every step
        else:
            assert flips == 0
            assert {"too small": left > 0.45, "slow": 0.1 < left <= 0.45,
                    "good": left <= 0.1}[verdict]


def test_lr_titles_state_the_verdict_and_its_number():
    assert P.plot_lr(0.1).get_suptitle() == ("η = 0.1: converges, but slowly — after 30 steps "
                                             "29 % of the distance to the minimum is left")
    assert P.plot_lr(3.0).get_suptitle().startswith("η = 3: converges, zig-zagging — "
                                                    "|1 − η·a_max| = 0.8 < 1")
    title = axes(P.plot_lr(0.1), "bowl").get_title()
    assert "converges slowly" in title and "29 % of the distance left" in title
    assert "L" not in P.plot_lr(0.1).get_suptitle().replace("η", "")   # a, not L


def test_lr_bowl_threshold_is_two_over_the_largest_curvature():
    crit = P.lr_critical()
    assert crit == pytest.approx(2 / max(P.LR_BOWL["curvatures"]))
    assert P.lr_bowl_run(0.98 * crit)["verdict"] == "zig-zags"
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
    assert fig.get_suptitle().startswith("η = 0.3: converges — after 30 steps 7 %")
    path = P.lr_bowl_run(0.3)["path"]
    line = axes(fig, "bowl").lines[0]
    np.testing.assert_array_equal(line.get_xdata(), path[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), path[:, 1])
    loss = P.lr_network_run(0.3)["loss"]
    mine = [ln for ln in axes(fig, "network").lines if ln.get_label() == "η = 0.3"]
    np.testing.assert_array_equal(mine[0].get_ydata(), loss)
    note = " ".join(t.get_text() for t in axes(fig, "bowl").texts)
    assert "curvatures a = 0.2, 0.6" in note and "critical η = 2/a_max = 3.33" in note
    assert "per step |1 − ηa| = 0.94, 0.82" in note


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
    # the histogram is one step patch (hist's 48 bars drawn as one): the counts of the
    # weights, clipped to [-3, 3], on 48 equal bins of [-3, 3]
    (stairs,) = axes(fig, "weights").patches
    counts, edges, baseline = stairs.get_data()
    np.testing.assert_array_equal(edges, np.linspace(-3, 3, 49))
    np.testing.assert_array_equal(
        counts, np.histogram(np.clip(run["weights"], -3, 3), bins=edges)[0])
    assert baseline == 0 and stairs.get_fill()
    assert sum(counts) == run["weights"].size == 2 * 64 + 64 * 64 + 64 * 2
    assert f"Σw² = {np.sum(run['weights'] ** 2):.3g}" in axes(fig, "weights").get_title()
    assert "the notes' choice" not in P.plot_weight_decay(0.0).get_suptitle()


def test_decayed_weights_show_a_bound_not_round_off():
    """At λ = 1 the weights decay to ~1e-18 each: their Σw² (~1e-36) is round-off, whose
    digits differ between CPUs, so the title shows the bound instead."""
    from nnlib.plotting.explorer_weight_decay import DECAYED_BELOW

    run = P.weight_decay_run(1.0)
    assert np.sum(run["weights"] ** 2) < DECAYED_BELOW
    title = axes(P.plot_weight_decay(1.0), "weights").get_title()
    assert title == f"{run['weights'].size} weights: Σw² < 1e-6 (decayed to 0)"


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
    assert f"φ = {P.ACTIVATION_DISPLAY_NAMES[name]}" in fig.get_suptitle()   # the text's name


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


# ---- batch size -------------------------------------------------------------------------

def _sgd_reference(B, lr):
    """Mini-batch SGD for the line written out again, independently of explorer_batch."""
    x, y = P.batch_data()
    n, epochs = P.BATCH_SETUP["n"], P.BATCH_SETUP["epochs"]
    rng = np.random.default_rng(P.BATCH_SETUP["order_seed"])
    w, b = P.BATCH_SETUP["start"]
    path = [(w, b)]
    for _ in range(epochs):
        order = rng.permutation(n)
        for batch in np.array_split(order, np.arange(B, n, B)):
            r = w * x[batch] + b - y[batch]
            w, b = w - lr * np.mean(2 * r * x[batch]), b - lr * np.mean(2 * r)
            path.append((w, b))
    return np.array(path)


def test_batch_data_is_the_line_of_chapter_2():
    x, y = P.batch_data()
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0, 2, 100)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, 1.5 * x0 - 1 + 0.3 * rng.standard_normal(100))


@pytest.mark.parametrize("B", P.BATCH_GRID)
@pytest.mark.parametrize("lr", P.BATCH_LR_GRID)
def test_batch_run_counts_the_updates_and_follows_sgd(B, lr):
    run = P.batch_run(B, lr)
    n, epochs = P.BATCH_SETUP["n"], P.BATCH_SETUP["epochs"]
    assert run["updates_per_epoch"] == int(np.ceil(n / B))
    assert len(run["path"]) == epochs * int(np.ceil(n / B)) + 1
    # the same iterates as SGD written out here (other summation order: 1e-12 of rounding)
    np.testing.assert_allclose(run["path"], _sgd_reference(B, lr), rtol=0, atol=1e-12)
    x, y = P.batch_data()
    ein = [np.mean((w * x + b - y) ** 2) for w, b in run["path"]]
    np.testing.assert_allclose(run["ein"], ein, rtol=1e-12)
    assert run["uphill"] == int(np.sum(np.diff(ein) > 0))


def test_batch_noise_shrinks_with_B_and_vanishes_for_the_full_batch():
    noise = [P.batch_run(B, 0.1)["noise"] for B in P.BATCH_GRID]
    assert all(a > b for a, b in zip(noise, noise[1:], strict=False))
    assert noise[-1] == 0.0                              # B = n: the exact gradient
    # the formula of the text's table, checked against 20 000 random batches of 16
    x, y = P.batch_data()
    w, b = P.BATCH_SETUP["start"]
    r = w * x + b - y
    g = np.column_stack([2 * r * x, 2 * r])
    rng = np.random.default_rng(5)
    errs = [np.sum((g[rng.choice(100, 16, replace=False)].mean(0) - g.mean(0)) ** 2)
            for _ in range(20000)]
    # 20 000 draws: the RMS estimate has a relative standard error of about 1 %; allow 5 %
    assert np.sqrt(np.mean(errs)) == pytest.approx(P.batch_run(16, 0.1)["noise"], rel=0.05)
    # full batch, η below the limit: never uphill; B = 1: many uphill steps
    assert P.batch_run(100, 0.1)["uphill"] == 0 and P.batch_run(1, 0.1)["uphill"] > 100


def test_plot_batch_shows_the_run():
    fig = P.plot_batch(32, 0.1)
    run = P.batch_run(32, 0.1)
    line = axes(fig, "path").lines[0]
    np.testing.assert_array_equal(line.get_xdata(), run["path"][:, 0])
    np.testing.assert_array_equal(line.get_ydata(), run["path"][:, 1])
    mine = [ln for ln in axes(fig, "loss").lines if ln.get_label() == "B = 32"]
    np.testing.assert_array_equal(mine[0].get_ydata(), run["ein"])
    np.testing.assert_array_equal(mine[0].get_xdata(), np.arange(21) / 4)   # epochs
    title = fig.get_suptitle()
    assert title.startswith("B = 32, η = 0.1: ⌈100/32⌉ = 4 updates per epoch (the last "
                            "batch has 4 examples)")
    assert f"noise of one batch gradient at the start: {run['noise']:.2f}" in title
    assert "⌈100/1⌉ = 100 updates" in P.plot_batch(1, 0.1).get_suptitle()
    assert "⌈100/100⌉ = 1 update per epoch\n" in P.plot_batch(100, 0.1).get_suptitle()


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_batch_validates(bad):
    with pytest.raises((ValueError, TypeError), match="batch_size"):
        P.plot_batch(bad, 0.1)
    with pytest.raises(ValueError, match="lr"):
        P.batch_run(16, 0.0)


# ---- softmax temperature -----------------------------------------------------------------

@pytest.mark.parametrize("T", P.TEMPERATURE_GRID)
@pytest.mark.parametrize("c", range(4))
def test_temperature_run_is_softmax_of_scaled_scores(T, c):
    run = P.temperature_run(T, c)
    s = np.array(P.TEMPERATURE_SCORES) / T
    p = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    np.testing.assert_allclose(run["p"], p, rtol=1e-12)           # float rounding only
    # −ln p_c, written via log-sum-exp (p_c underflows nowhere here, but stays exact)
    loss = -(s[c] - s.max() - np.log(np.exp(s - s.max()).sum()))
    assert run["loss"] == pytest.approx(loss, rel=1e-12)


def test_temperature_sharpens_and_flattens():
    top = [P.temperature_run(T, 0)["p"][0] for T in P.TEMPERATURE_GRID]
    assert all(a > b for a, b in zip(top, top[1:], strict=False))   # larger T: flatter
    assert top[0] > 0.99 and top[-1] < 0.5
    # true class on top: the loss grows with T; a wrong class: it falls
    right = [P.temperature_run(T, 0)["loss"] for T in P.TEMPERATURE_GRID]
    wrong = [P.temperature_run(T, 1)["loss"] for T in P.TEMPERATURE_GRID]
    assert right == sorted(right) and wrong == sorted(wrong, reverse=True)
    assert wrong[0] == pytest.approx(2.0 / 0.25, rel=1e-3)   # (3 − 1)/T, the rest ≈ e^-8


def test_plot_temperature_shows_the_probabilities_and_the_loss():
    fig = P.plot_temperature(2.0, 1)
    run = P.temperature_run(2.0, 1)
    bars = axes(fig, "probabilities").patches[:4]
    np.testing.assert_allclose([b.get_height() for b in bars], run["p"], rtol=0)
    outline = axes(fig, "probabilities").patches[4:8]
    np.testing.assert_allclose([b.get_height() for b in outline],
                               P.temperature_run(1.0, 1)["p"], rtol=0)
    dot = [ln for ln in axes(fig, "loss").lines if ln.get_label().startswith("T = 2")]
    assert dot[0].get_ydata()[0] == run["loss"]
    curve = [ln for ln in axes(fig, "loss").lines if ln.get_label() == "true class 1"][0]
    T = curve.get_xdata()
    np.testing.assert_allclose(curve.get_ydata(),
                               [P.temperature_run(t, 1)["loss"] for t in T], rtol=1e-9)
    title = fig.get_suptitle()
    assert title.startswith("T = 2, true class 1 (score 1): p = softmax(s/T) = (0.571, 0.21,")
    assert f"loss −ln p_c = {run['loss']:.3f}" in title


def test_temperature_validates():
    with pytest.raises(ValueError, match="temperature"):
        P.plot_temperature(0.0, 0)
    with pytest.raises(ValueError, match="true_class"):
        P.plot_temperature(1.0, 4)
