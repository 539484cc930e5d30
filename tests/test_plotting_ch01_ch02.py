"""The figures of chapters 1 and 2: they draw what they say, and reject bad input clearly."""

import numpy as np
import pytest
from figures import image
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from nnlib.plotting import (
    plot_batch_size_curves,
    plot_digit_pixels,
    plot_digits,
    plot_input_output,
    plot_network,
    plot_quadratic_gd,
    plot_sgd_paths,
)

W1 = np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]])
W2 = np.array([[1.0], [-2.0], [3.0]])
B1, B2 = np.array([0.0, 1.0, 0.5]), np.array([0.5])


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_plot_digits_titles_and_shapes():
    rng = np.random.default_rng(0)
    X = rng.random((12, 64))
    fig = plot_digits(X, np.arange(12) % 10, ncols=5)
    assert isinstance(fig, Figure)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 12 and len(fig.axes) == 15          # 3 rows of 5, 3 left empty
    assert shown[3].get_title() == "y = 3"
    assert shown[0].images[0].get_array().shape == (8, 8)
    # images as (N, 1, 8, 8) work too
    assert len([ax for ax in plot_digits(X.reshape(-1, 1, 8, 8), np.zeros(12, int)).axes
                if ax.images]) == 12


def test_plot_digits_shows_each_image_under_its_label():
    rng = np.random.default_rng(1)
    X, y = rng.random((7, 64)), np.array([3, 1, 4, 1, 5, 9, 2])
    fig = plot_digits(X, y, ncols=4)
    shown = [ax for ax in fig.axes if ax.images]
    # image i is row i of X read row by row (a transposed or shuffled image fails), under
    # the title of its own label; exact: the pixels are drawn as given
    for i, ax in enumerate(shown):
        np.testing.assert_array_equal(image(ax), X[i].reshape(8, 8))
        assert ax.get_title() == f"y = {y[i]}"
    assert len(shown) == 7


def test_plot_digits_rejects_bad_input():
    with pytest.raises(ValueError, match="one label per image"):
        plot_digits(np.zeros((3, 64)), [1, 2])
    with pytest.raises(ValueError, match=r"expected digits of shape \(N, 64\)"):
        plot_digits(np.zeros((3, 10)), [1, 2, 3])


def test_plot_digit_pixels_writes_64_values():
    x = np.linspace(0, 1, 64)
    fig = plot_digit_pixels(x, label=7)
    values = texts(fig)
    assert len(values) == 64 and values[0] == "0" and values[-1] == "1"
    assert "a 7" in fig.axes[0].get_title()


def test_plot_digit_pixels_writes_each_value_in_its_cell():
    x = np.round(np.random.default_rng(2).random(64), 2)
    x[:3] = [0.0, 1.0, 0.5]
    img = x.reshape(8, 8)
    fig = plot_digit_pixels(x, label=4)
    left, right = fig.axes
    np.testing.assert_array_equal(image(left), img)             # exact: drawn as given
    np.testing.assert_array_equal(image(right), img)
    at = {tuple(t.get_position()): t.get_text() for t in right.texts}
    assert len(at) == 64
    for (r, c), v in np.ndenumerate(img):                       # the text at column c, row r
        want = "0" if v == 0 else "1" if v == 1 else f"{v:.2f}".lstrip("0")
        assert at[(c, r)] == want, (r, c)
    assert at[(2, 0)] == ".50"


def _node_centres(ax, sizes):
    """The centres of the node circles, layer by layer (top node first)."""
    centres = [tuple(p.center) for p in ax.patches if isinstance(p, Circle)]
    assert len(centres) == sum(sizes)
    out, k = [], 0
    for s in sizes:
        out.append(sorted(centres[k:k + s], key=lambda c: -c[1]))
        k += s
    return out


def _on_segment(p, a, b):
    """Whether p lies on the segment from a to b (strictly between them)."""
    (px, py), (ax_, ay), (bx, by) = p, a, b
    cross = (bx - ax_) * (py - ay) - (by - ay) * (px - ax_)
    t = ((px - ax_) * (bx - ax_) + (py - ay) * (by - ay)) / ((bx - ax_) ** 2 + (by - ay) ** 2)
    return abs(cross) < 1e-9 and 0 < t < 1                      # round-off of the positions


def test_plot_network_puts_each_weight_on_its_own_edge():
    # chapter 1's network and forward pass for x = (1, 2): a transposed W (the same set
    # of numbers) or a label on the wrong edge fails
    x = np.array([1.0, 2.0])
    h = np.maximum(x @ W1 + B1, 0)
    y_hat = h @ W2 + B2
    fig = plot_network([2, 3, 1], [W1, W2], [B1, B2], activations=["ReLU", "identity"],
                       values=[x, h, y_hat])
    ax = fig.axes[0]
    nodes = _node_centres(ax, [2, 3, 1])
    minus = "\N{MINUS SIGN}"
    fmt = {1.0: "1", -1.0: f"{minus}1", 0.5: "0.5", 2.0: "2", -2.0: f"{minus}2", 3.0: "3",
           5.0: "5", 0.0: "0", 3.5: "3.5", 1.5: "1.5", 2.5: "2.5"}
    weight_texts = [t for t in ax.texts if t.get_bbox_patch() is not None
                    and t.get_text() and not t.get_fontweight() == "bold"]
    found = 0
    for k, W in enumerate([W1, W2]):
        for (i, j), w in np.ndenumerate(W):
            on_edge = [t.get_text() for t in weight_texts
                       if _on_segment(t.get_position(), nodes[k][i], nodes[k + 1][j])]
            assert on_edge == [fmt[w]], (k, i, j, on_edge)
            found += 1
    assert found == 9
    # the value boxes sit above their nodes and hold the forward pass (5, 2, 0), 1.5
    values = {t.get_position()[0]: [] for t in ax.texts}
    for t in ax.texts:
        if t.get_fontweight() == "bold":
            values[t.get_position()[0]].append((t.get_position()[1], t.get_text()))
    for layer, v in zip(nodes, [x, h, y_hat], strict=True):
        got = [text for _, text in sorted(values[layer[0][0]], reverse=True)]
        assert got == [fmt[float(a)] for a in v]
    np.testing.assert_array_equal(h, [5.0, 2.0, 0.0])          # the hand computation
    # the bias is written under its own node
    for layer, b in zip(nodes[1:], [B1, B2], strict=True):
        for (cx, cy), bias in zip(layer, b, strict=True):
            under = [t.get_text() for t in ax.texts if t.get_text().startswith("$b=")
                     and abs(t.get_position()[0] - cx) < 0.05
                     and cy - 0.6 < t.get_position()[1] < cy]
            assert under == [f"$b={fmt[float(bias)]}$"]
    # the edge leaving the neuron that outputs 0 (the third hidden one) is the faint one
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None)]
    faint = [t for t in arrows if t.arrow_patch.get_alpha() is not None
             and t.arrow_patch.get_alpha() < 1]
    assert len(faint) == 1 and _on_segment(faint[0].xyann, nodes[1][2], nodes[2][0])


def test_plot_network_labels_weights_biases_and_values():
    fig = plot_network([2, 3, 1], [W1, W2], [B1, B2], activations=["ReLU", "identity"],
                       values=[[1, 2], [5, 2, 0], [1.5]])
    t = texts(fig)
    # 9 edge labels, with a real minus sign for negative weights
    for w in ["1", "\N{MINUS SIGN}1", "0.5", "2", "\N{MINUS SIGN}2", "3"]:
        assert w in t
    assert "$b=0.5$" in t and "$b=1$" in t
    assert "1.5" in t                                         # the output's value box
    assert any("ReLU" in s for s in t)
    # the edge leaving the switched-off neuron (value 0) is faint
    arrows = [a.arrow_patch for a in fig.axes[0].texts if getattr(a, "arrow_patch", None)]
    faint = [a for a in arrows if a.get_alpha() is not None and a.get_alpha() < 1]
    assert len(arrows) == 9 and len(faint) == 1


def test_plot_network_without_weights():
    fig = plot_network([4, 6, 5, 3])
    t = texts(fig)
    assert "$x_{4}$" in t and "$h^{2}_{5}$" in t and "$\\hat y_{3}$" in t
    assert not any(s.startswith("$b=") for s in t)


@pytest.mark.parametrize("kwargs, match", [
    (dict(layer_sizes=[3]), "at least two"),
    (dict(layer_sizes=[2, 3, 1], weights=[W1.T, W2]), r"weights must have shapes \[\(2, 3\)"),
    (dict(layer_sizes=[2, 3, 1], biases=[B1]), "biases must have shapes"),
    (dict(layer_sizes=[2, 3, 1], activations=["ReLU"]), "activations must name 2"),
    (dict(layer_sizes=[2, 3, 1], values=[[1, 2], [1, 2, 3]]), "one value per node"),
])
def test_plot_network_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_network(**kwargs)


def test_plot_input_output_draws_each_curve():
    x = np.linspace(-1, 1, 11)
    fig = plot_input_output(x, {"a": x, "b": np.abs(x)[:, None]}, title="t")
    lines = fig.axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == ["a", "b"]
    assert np.allclose(lines[1].get_ydata(), np.abs(x))


def test_plot_sgd_paths_marks_minimum_and_paths():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2, 50)
    y = 1.5 * x - 1 + 0.1 * rng.standard_normal(50)
    path = np.array([[-1.0, 2.0], [0.0, 1.0], [1.0, 0.0]])
    fig = plot_sgd_paths(x, y, {"GD": path}, show_data=True, title="T")
    assert len(fig.axes) >= 2
    contour_ax = fig.axes[1]
    labels = [ln.get_label() for ln in contour_ax.get_lines()]
    assert "GD" in labels and any("minimum" in lab for lab in labels)
    # the star is at the least-squares solution
    w, b = np.polyfit(x, y, 1)
    star = [ln for ln in contour_ax.get_lines() if "minimum" in ln.get_label()][0]
    assert np.allclose([star.get_xdata()[0], star.get_ydata()[0]], [w, b])   # lstsq vs polyfit


def test_plot_sgd_paths_draws_the_path_and_its_lines():
    # chapter 2's first call: one gradient-descent path, with the data panel
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 2, 30)
    y = 0.7 * x + 0.4 + 0.2 * rng.standard_normal(30)
    path = np.array([[0.0, 0.0], [0.3, 0.2], [0.5, 0.3], [0.6, 0.35]])
    fig = plot_sgd_paths(x, y, {"gradient descent, η = 0.1": path}, show_data=True)
    data_ax, contour_ax = fig.axes[:2]
    drawn = [ln for ln in contour_ax.lines if ln.get_label() == "gradient descent, η = 0.1"]
    np.testing.assert_array_equal(drawn[0].get_xydata(), path)      # (w, b) as given
    # the lowest filled contour starts at E_in of the least-squares line, the mean squared
    # residual; 1e-9: lstsq against polyfit, round-off only
    w, b = np.polyfit(x, y, 1)
    e_min = np.mean((w * x + b - y) ** 2)
    filled = [c for c in contour_ax.collections if hasattr(c, "levels")][0]
    assert filled.levels[0] == pytest.approx(e_min, rel=1e-9)
    # left: the data, the start line w0 x + b0 (dashed) and the end line after 3 steps
    np.testing.assert_array_equal(data_ax.lines[0].get_xydata(), np.column_stack([x, y]))
    ends = np.array([x.min(), x.max()])
    start = [ln for ln in data_ax.lines if ln.get_label() == "start: $w$ = 0, $b$ = 0"][0]
    end = [ln for ln in data_ax.lines if ln.get_label().startswith("after ")][0]
    np.testing.assert_allclose(start.get_xydata(), np.column_stack([ends, 0 * ends]))
    np.testing.assert_allclose(end.get_xydata(), np.column_stack([ends, 0.6 * ends + 0.35]),
                               rtol=1e-12)                           # round-off only
    assert end.get_label() == "after 3 steps (gradient descent, η = 0.1)"   # updates, not points


def test_plot_sgd_paths_tolerates_a_diverged_path():
    x = np.linspace(0, 1, 20)
    path = np.array([[0.0, 0.0], [1e3, -1e3], [np.inf, np.nan]])
    assert isinstance(plot_sgd_paths(x, 2 * x, {"diverged": path}), Figure)


def test_plot_batch_size_curves_positions():
    fig = plot_batch_size_curves({"B = 1": (10, [2.0, 1.0, 0.5]), "B = n": (1, [2.0, 1.9, 1.8])})
    left, right = fig.axes
    assert np.allclose(left.get_lines()[0].get_xdata(), [0, 1, 2])
    assert np.allclose(right.get_lines()[0].get_xdata(), [10, 20])     # updates, epochs 1, 2
    assert right.get_xscale() == "log"


def test_plot_batch_size_curves_data_and_scales():
    curves = {"B = 1": (100, [2.3, 0.4, 0.3, 0.25]), "B = 16": (7, [2.3, 1.0, 0.6, 0.45])}
    fig = plot_batch_size_curves(curves, ylabel="validation loss (cross-entropy)")
    left, right = fig.axes
    for label, (per_epoch, losses) in curves.items():
        ln = [a for a in left.lines if a.get_label() == label][0]
        np.testing.assert_array_equal(ln.get_xydata(), np.column_stack([np.arange(4), losses]))
        ln = [a for a in right.lines if a.get_label() == label][0]
        # epochs 1..3 at per_epoch, 2 per_epoch, 3 per_epoch updates (no epoch 0 on a log axis)
        np.testing.assert_array_equal(ln.get_xydata(),
                                      np.column_stack([per_epoch * np.arange(1, 4), losses[1:]]))
    before = [a for a in right.lines if a.get_label() == "before training"][0]
    assert before.get_ydata()[0] == 2.3
    assert left.get_ylabel() == "validation loss (cross-entropy)"
    assert (left.get_yscale(), right.get_xscale(), right.get_yscale()) == ("linear", "log",
                                                                         "linear")
    logged = plot_batch_size_curves(curves, log_loss=True)
    assert [ax.get_yscale() for ax in logged.axes] == ["log", "log"]


def test_plot_quadratic_gd_draws_the_iterates_on_the_parabola():
    # chapter 2's call: a = 4, four learning rates, 12 steps from w0 = 1
    etas, a = [0.05, 0.25, 0.45, 0.525], 4.0
    fig = plot_quadratic_gd(etas, a=a)
    panels, bottom = fig.axes[:4], fig.axes[4]
    t = np.arange(13)
    for eta, ax, ln in zip(etas, panels, bottom.lines, strict=False):
        w = (1 - eta * a) ** t                                  # w_{t+1} = (1 - η a) w_t
        parabola, iterates = ax.lines[0], ax.lines[1]
        g = parabola.get_xdata()
        # f(w) = (a/2) w²; 1e-12: round-off only
        np.testing.assert_allclose(parabola.get_ydata(), a / 2 * g ** 2, rtol=1e-12)
        shown = np.abs(w) <= g.max()                            # iterates inside the zoom
        np.testing.assert_allclose(iterates.get_xydata(),
                                   np.column_stack([w[shown], a / 2 * w[shown] ** 2]),
                                   rtol=1e-12)
        assert ax.lines[2].get_xydata().tolist() == [[1.0, a / 2]]     # the start w0 = 1
        np.testing.assert_allclose(ln.get_xydata(), np.column_stack([t, w]), rtol=1e-12)
        assert ln.get_label() == f"$\\eta = {eta:g}$: $w_t = ({1 - eta * a:g})^t w_0$"
    # a run that diverges faster leaves the zoom of its panel, 1.15 · 4 |w0| = 4.6: of
    # w_t = (−1.4)^t only t = 0..4 (|w_4| = 3.84, |w_5| = 5.38) are drawn
    far = plot_quadratic_gd([0.6], a=a).axes[0].lines[1].get_xdata()
    np.testing.assert_allclose(far, (-1.4) ** np.arange(5), rtol=1e-12)


def test_plot_quadratic_gd_legend_hides_no_iterate():
    # chapter 2's call: the legend of w_t against t must not sit on any of its points (it
    # hid the diverging run's w_11 = -2.85 when it was drawn inside the axes)
    fig = plot_quadratic_gd([0.05, 0.25, 0.45, 0.525], a=4.0)
    fig.draw_without_rendering()
    legend = [leg for leg in (fig.legends + [ax.get_legend() for ax in fig.axes]) if leg]
    assert len(legend) == 1
    box = legend[0].get_window_extent()
    bottom = fig.axes[4]
    points = np.vstack([bottom.transData.transform(ln.get_xydata()) for ln in bottom.lines])
    assert len(points) == 4 * 13 + 2          # 4 runs of 13 steps, and the line w = 0
    covered = [tuple(p) for p in points if box.contains(*p)]
    assert not covered, f"the legend covers {len(covered)} plotted points"


@pytest.mark.parametrize("eta, kind", [(0.05, "creeps"), (0.25, "one step"), (0.45, "zig-zags"),
                                       (0.5, "bounces"), (0.525, "diverges")])
def test_plot_quadratic_gd_names_the_regime(eta, kind):
    fig = plot_quadratic_gd([eta], a=4.0, steps=6)
    assert kind in fig.axes[0].get_title()
    # the bottom panel is w_t = (1 - eta a)^t w0
    line = fig.axes[-1].get_lines()[0]
    assert np.allclose(line.get_ydata(), (1 - 4.0 * eta) ** np.arange(7))
