"""Every figure of chapters 1 to 9 draws the same picture each time it is drawn.

nbval does not compare figures, so a figure that changes when a cell is re-run (an extra
grid on a log axis, a line added twice, a state kept between calls) would go unnoticed
(the issue: "re-running chapter 8 redraws fig-ch08-ce-vs-mse with extra log-scale grid
lines"). Each function is called twice in one process, with the chapter's arguments or a
small version of them, and the two must hold the same artists once laid out (lines and
their data, texts, scales, grid lines). What each figure plots is tested next to the
chapter's other figure tests (``test_plotting_ch01_ch02.py``, ``test_exercises_ch0N.py``,
``test_plotting_ch09.py``). The explorers have their own tests (``test_explorers*.py``).
"""

import numpy as np
import pytest

from nnlib import plotting as P
from nnlib.autograd import Value
from nnlib.conv import EDGE_KERNEL, convolve2d
from nnlib.training import History

RNG_SEED = 0
X_SMALL = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 5, 5], [1, 1, 1, 5, 5], [1, 1, 1, 5, 5],
                    [1, 1, 1, 1, 1]], dtype=float)                       # chapter 6's input
W1 = np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]])                      # chapter 1's network
W2 = np.array([[1.0], [-2.0], [3.0]])
B1, B2 = np.array([0.0, 1.0, 0.5]), np.array([0.5])


def _history(n=12, best=5, stop=9):
    h = History(train_loss=list(np.linspace(1, 0.1, stop)),
                train_acc=list(np.linspace(0.5, 0.95, stop)),
                val_loss=list(0.5 + (np.arange(stop) - best + 1) ** 2 / 40),
                val_acc=list(np.linspace(0.4, 0.9, stop)))
    h.best_epoch, h.stopped_epoch = best, stop
    return h


def _graph():
    w, x, b = Value(2.0, label="w"), Value(1.5, label="x"), Value(-1.0, label="b")
    e = ((w * x + b).relu() - Value(1.0, label="y")) ** 2
    e.label = "e"
    e.backward()
    return e


def _builders():
    rng = np.random.default_rng(RNG_SEED)
    x = np.linspace(-3, 3, 41)
    X = rng.random((8, 64))
    probs = rng.dirichlet(np.ones(10), size=8)
    xs = np.linspace(0, 1, 8)[:, None]
    grid = np.linspace(0, 1, 30)[:, None]
    img = np.zeros((12, 12))
    img[3:6, 2:5] = 1.0
    moved = np.roll(img, (3, 2), axis=(0, 1))
    etas = np.linspace(0, 0.012, 25)
    return {
        # chapter 1
        "plot_digits": lambda: P.plot_digits(X, np.arange(8)),
        "plot_digit_pixels": lambda: P.plot_digit_pixels(X[3], label=3),
        "plot_network": lambda: P.plot_network([2, 3, 1], [W1, W2], [B1, B2],
                                               activations=["ReLU", "identity"],
                                               values=[[1, 2], [5, 2, 0], [1.5]]),
        "plot_input_output": lambda: P.plot_input_output(
            x, {"identity (no activation)": 0.5 * x, "ReLU": np.maximum(x, 0)}, title="t"),
        # chapter 2
        "plot_sgd_paths": lambda: P.plot_sgd_paths(
            x, 1.5 * x - 1, {"GD": [[0, 0], [0.8, -0.3], [1.3, -0.8]]}, show_data=True),
        "plot_batch_size_curves": lambda: P.plot_batch_size_curves(
            {"B = 1": (10, [2.0, 1.0, 0.5]), "B = 10": (1, [2.0, 1.9, 1.8])},
            ylabel="validation loss (cross-entropy)", log_loss=True),
        "plot_quadratic_gd": lambda: P.plot_quadratic_gd([0.05, 0.25, 0.45, 0.525], a=4.0),
        # chapter 3
        "plot_sigmoid_sign": P.plot_sigmoid_sign,
        "plot_activations": lambda: P.plot_activations(alpha=0.1),
        "plot_linear_collapse": lambda: P.plot_linear_collapse(
            x, {"3 linear layers": 2 * x, "single map xW + b": 2 * x,
                "same weights with ReLU": np.maximum(x, 0)}),
        "plot_vanishing_gradients": lambda: P.plot_vanishing_gradients(
            {"sigmoid": 4.0 ** -np.arange(10, 0, -1), "tanh": np.full(10, 0.5),
             "ReLU": np.full(10, 0.8)},
            {"sigmoid chain": 0.2 ** np.arange(1, 11), "tanh chain": 0.7 ** np.arange(1, 11)}),
        "plot_dead_relu": lambda: P.plot_dead_relu(
            rng.standard_normal(50), rng.standard_normal(50) - 6,
            {"ReLU": np.geomspace(1, 0.3, 60), "leaky ReLU (α = 0.01)": np.geomspace(1, 1e-4, 60)},
            30),
        # chapter 4
        "plot_relu_kink": P.plot_relu_kink,
        "plot_graph": lambda: P.plot_graph(_graph(), title="a graph"),
        "plot_sgd_on_example": lambda: P.plot_sgd_on_example(
            etas, 9 * (1 - 500 * etas) ** 2, 9.0, 9000.0, marks=(0.001, 0.01),
            runs={0.001: [9, 4, 2], 0.003: [9, 1, 0.1], 0.01: [9, 30, 1]}),
        # chapter 5
        "plot_init_stds": lambda: P.plot_init_stds(
            {"ReLU": {"normal": 8.0 ** np.arange(1, 6), "he": np.ones(5)}},
            {"ReLU": {"normal": np.full(5, 1e6), "he": np.full(5, 0.03)}}),
        "plot_model_histories": lambda: P.plot_model_histories(
            {"He": _history(), "N(0, 1)": _history(best=3)}, title="t"),
        "plot_misclassified": lambda: P.plot_misclassified(X, np.zeros(8, int), probs, ncols=4),
        # chapter 6
        "plot_conv_step": lambda: P.plot_conv_step(X_SMALL, EDGE_KERNEL, position=(1, 1)),
        "plot_edge_response": lambda: P.plot_edge_response(
            img, convolve2d(img, EDGE_KERNEL, padding=1), crop=(slice(1, 8), slice(0, 6))),
        "plot_conv_as_matrix": lambda: P.plot_conv_as_matrix(
            np.stack([convolve2d(np.eye(25)[q].reshape(5, 5), EDGE_KERNEL).ravel()
                      for q in range(25)]), (5, 5), 3),
        "plot_shift_demo": lambda: P.plot_shift_demo(
            img, moved, convolve2d(img, EDGE_KERNEL, padding=1),
            convolve2d(moved, EDGE_KERNEL, padding=1), shift=(3, 2)),
        "plot_edge_scale": lambda: P.plot_edge_scale(
            {w: (np.clip((np.arange(12) - 4) / w, 0, 1), np.sin(np.arange(12) / w))
             for w in (1, 2, 4, 8)}),
        "plot_cnn_filters": lambda: P.plot_cnn_filters(
            rng.standard_normal((3, 1, 3, 3)), rng.random((8, 8)), rng.random((3, 6, 6)),
            rng.random((3, 3, 3))),
        # chapter 7
        "plot_overfitting": lambda: P.plot_overfitting(
            xs, np.sin(2 * np.pi * xs), grid, {"after 3000 epochs": np.cos(grid)},
            {"training loss (16 points)": [1, 0.5, 0.2], "new data (200 points)": [1, 0.7, 0.9]},
            y_true=np.sin(2 * np.pi * grid), marks={"epoch 2": 2}, noise_level=0.09),
        "plot_loss_curves": lambda: P.plot_loss_curves(
            {"training (16 points)": [1, 0.5, 0.2], "validation (12 points)": [1, 0.7, 0.8]},
            marks={"best": 2, "new": 3}, title="One run, three data sets"),
        "plot_early_stopping": lambda: P.plot_early_stopping(
            _history(), full_history=_history(stop=12), patience=4),
        "plot_lambda_sweep": lambda: P.plot_lambda_sweep(
            [0.0, 1e-3, 1e-2, 1e-1], [0.01, 0.02, 0.05, 0.2], [0.5, 0.2, 0.1, 0.3],
            x_train=xs, y_train=np.sin(2 * np.pi * xs), x_grid=grid,
            y_true=np.sin(2 * np.pi * grid), fits={"λ = 0": grid, "λ = 0.1": 0 * grid},
            weights={"λ = 0": rng.standard_normal(200), "λ = 0.1": 0.1 * rng.standard_normal(200)}),
        "plot_dropout": lambda: P.plot_dropout(
            rng.random((8, 16)) + 0.5, 2.0 * (rng.random((8, 16)) > 0.5), 0.5),
        "plot_fits": lambda: P.plot_fits(
            xs, np.sin(2 * np.pi * xs), grid, {"a": np.cos(grid)},
            y_true=np.sin(2 * np.pi * grid), x_val=xs + 0.05, y_val=np.sin(2 * np.pi * xs),
            title="t"),
        # chapter 8
        "plot_softmax": lambda: P.plot_softmax(np.array([3.0, 1.0, 0.2, -1.0])),
        "plot_digit_probabilities": lambda: P.plot_digit_probabilities(
            X[:3], probs[:3], np.array([1, 2, 3]), titles=["a", "b", "c"], title="t"),
        "plot_cross_entropy": lambda: P.plot_cross_entropy(0.3),
        "plot_ce_vs_mse": P.plot_ce_vs_mse,
        # chapter 9
        "plot_confusion_matrix": lambda: P.plot_confusion_matrix(
            np.array([[35, 1, 0], [2, 30, 0], [0, 4, 33]]), title="CNN on the test set"),
    }


BUILDERS = _builders()
OLDER_MODULES = ("activations", "backprop", "convolution", "cross_entropy", "evaluation",
                 "graph", "initialisation", "networks", "overfitting", "sgd")


def test_every_older_figure_function_is_drawn_here():
    # a figure function added to one of the chapter modules must join this list
    import importlib

    names = {name for module in OLDER_MODULES
             for name in dir(importlib.import_module(f"nnlib.plotting.{module}"))
             if name.startswith("plot_")
             and getattr(importlib.import_module(f"nnlib.plotting.{module}"), name).__module__
             == f"nnlib.plotting.{module}"}
    assert names == set(BUILDERS)


def _artists(fig):
    """What each axes holds, and its scales and grid lines, as comparable values."""
    out = []
    for ax in fig.axes:
        out.append((ax.get_label(), ax.get_xscale(), ax.get_yscale(),
                    [(ln.get_label(), np.asarray(ln.get_xydata()).tolist()) for ln in ax.lines],
                    len(ax.patches), len(ax.images), len(ax.collections),
                    [t.get_text() for t in ax.texts],
                    [(g.get_visible(), len(axis.get_gridlines()))
                     for axis in (ax.xaxis, ax.yaxis) for g in axis.get_gridlines()[:1]]))
    return out


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_figure_drawn_twice_is_the_same(name):
    # Laid out without rasterising (a PNG of each would cost ~0.6 s a figure): ticks and
    # grid lines exist by then, which is where a state kept between calls shows.
    drawn = []
    for _ in range(2):
        fig = _builders()[name]()      # fresh inputs each time (random ones from one seed)
        fig.draw_without_rendering()
        drawn.append(_artists(fig))
    # the same artists: lines and their data, patches, texts, scales, grid lines
    assert drawn[1] == drawn[0]
