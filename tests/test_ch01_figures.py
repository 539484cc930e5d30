"""The figures of chapter 1: they draw what they say, and reject bad input clearly."""

import numpy as np
import pytest
from figures import image
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from nnlib.plotting import (
    plot_digit_pixels,
    plot_digits,
    plot_input_output,
    plot_network,
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
