"""The figures of chapter 2: they draw what they say, and reject bad input clearly."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.plotting import (
    plot_batch_size_curves,
    plot_quadratic_gd,
    plot_sgd_paths,
)

W1 = np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]])
W2 = np.array([[1.0], [-2.0], [3.0]])
B1, B2 = np.array([0.0, 1.0, 0.5]), np.array([0.5])


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


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
