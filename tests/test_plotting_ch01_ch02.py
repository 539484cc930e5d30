"""The figures of chapters 1 and 2: they draw what they say, and reject bad input clearly."""

import numpy as np
import pytest
from matplotlib.figure import Figure

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


@pytest.mark.parametrize("eta, kind", [(0.05, "creeps"), (0.25, "one step"), (0.45, "zig-zags"),
                                       (0.5, "bounces"), (0.525, "diverges")])
def test_plot_quadratic_gd_names_the_regime(eta, kind):
    fig = plot_quadratic_gd([eta], a=4.0, steps=6)
    assert kind in fig.axes[0].get_title()
    # the bottom panel is w_t = (1 - eta a)^t w0
    line = fig.axes[-1].get_lines()[0]
    assert np.allclose(line.get_ydata(), (1 - 4.0 * eta) ** np.arange(7))
