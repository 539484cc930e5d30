"""The book's figures as the chapters draw them, for ``test_figure_text.py`` (text size as
shown, and the same artists when drawn again). A new ``plot_...`` function of a chapter's
figure module joins the table here; ``test_figure_text`` fails until it does. (The
explorers need no entry: the test draws every state of every explorer of
``nnlib.plotting.EXPLORERS``.)"""

from __future__ import annotations

import numpy as np

import nnlib.plotting as P
from nnlib.autograd import Value
from nnlib.conv import EDGE_KERNEL, convolve2d
from nnlib.training import History


def history(epochs=30, val=True):
    t = np.arange(1, epochs + 1)
    h = History(train_loss=list(2.0 / t), train_acc=list(1 - 0.5 / t),
                val_loss=list(2.2 / t + 0.01 * t) if val else [],
                val_acc=list(0.95 - 0.4 / t) if val else [],
                best_epoch=epochs // 2 if val else None, stopped_epoch=epochs)
    return h


def worked_example_graph():
    x1, y, b = Value(3.0, label="x1"), Value(9.0, label="y"), Value(3.0, label="b")
    w1, w2, w3 = Value(1.0, label="w1"), Value(2.0, label="w2"), Value(1.0, label="w3")
    e = (w3 * (w1 * x1 + w2 * x1 + b).relu() - y) ** 2
    e.backward()
    return e


def grid_and_points(rng):
    x = np.sort(rng.random((16, 1)), axis=0)
    grid = np.linspace(0, 1, 400)[:, None]
    return x, np.sin(2 * np.pi * x), grid, np.sin(2 * np.pi * grid)


def chapter_figures(seed: int = 0) -> dict:
    """``{name: () -> Figure}``: every figure function of chapters 1 to 9, called as its
    chapter calls it (same panels, same number of images, same legend labels; made-up data
    of the same shape, from ``seed``). A fresh call draws the same data again."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-3, 3, 200)
    digits = rng.random((20, 64))
    labels = np.arange(20) % 10
    W1 = np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]])
    W2 = np.array([[1.0], [-2.0], [3.0]])
    B1, B2 = np.array([0.0, 1.0, 0.5]), np.array([0.5])
    xs, ys = rng.random(100), rng.random(100)
    path = np.cumsum(rng.normal(0, 0.1, (50, 2)), axis=0)
    x_tr, y_tr, grid, y_true = grid_and_points(rng)
    probs10 = rng.dirichlet(np.ones(10), 6)
    act = {name: {init: np.geomspace(1, 0.01, 10) for init in ("normal", "xavier", "he")}
           for name in ("tanh", "ReLU")}
    hopper = rng.random((300, 256))
    canvas = np.zeros((32, 32))
    canvas[2:18, 2:18] = rng.random((16, 16))
    moved = np.roll(canvas, (11, 9), axis=(0, 1))
    M = np.stack([convolve2d(np.eye(25)[q].reshape(5, 5), EDGE_KERNEL).ravel()
                  for q in range(25)])
    lams = [0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1]
    show = ("λ = 0", "λ = 0.01 (chosen)", "λ = 0.1")
    return {
        # chapter 1
        "plot_digits": lambda: P.plot_digits(digits, labels),
        "plot_digit_pixels": lambda: P.plot_digit_pixels(digits[3], label=3),
        "plot_network": lambda: P.plot_network(
            [2, 3, 1], [W1, W2], [B1, B2], activations=["ReLU", "identity"],
            values=[[1, 2], [5, 2, 0], [1.5]]),
        "plot_network (ch 5)": lambda: P.plot_network([4, 6, 6, 2],
                                                      activations=["ReLU", "ReLU", "identity"]),
        "plot_input_output": lambda: P.plot_input_output(
            x, {"identity (no activation)": x, "ReLU": np.abs(x)},
            title="Same weights, three hidden layers of 16 neurons"),
        # chapter 2
        "plot_sgd_paths (data)": lambda: P.plot_sgd_paths(
            xs, 2 * xs + ys, {"gradient descent, η = 0.1": path}, show_data=True),
        "plot_sgd_paths": lambda: P.plot_sgd_paths(
            xs, 2 * xs + ys, {f"B = {b}": path + 0.01 * b for b in (1, 16, 100)},
            title="Same 5 epochs, same η = 0.1, three batch sizes"),
        "plot_batch_size_curves": lambda: P.plot_batch_size_curves(
            {f"B = {b}": (int(np.ceil(1000 / b)), 2.3 / np.arange(1, 12)) for b in (1, 16, 256)},
            ylabel="validation loss (cross-entropy)"),
        "plot_quadratic_gd": lambda: P.plot_quadratic_gd([0.05, 0.25, 0.45, 0.525], a=4.0),
        # chapter 3
        "plot_linear_collapse": lambda: P.plot_linear_collapse(
            x, {"3 linear layers": x, "single map xW + b": x, "same weights with ReLU": abs(x)}),
        "plot_sigmoid_sign": lambda: P.plot_sigmoid_sign(),
        "plot_activations": lambda: P.plot_activations(alpha=0.1),
        "plot_vanishing_gradients": lambda: P.plot_vanishing_gradients(
            {"sigmoid": np.geomspace(1e-6, 1, 10), "tanh": np.geomspace(1e-2, 1, 10),
             "ReLU": np.ones(10)},
            {"sigmoid chain": 0.25 ** np.arange(1, 11), "tanh chain": 0.6 ** np.arange(1, 11)}),
        "plot_dead_relu": lambda: P.plot_dead_relu(
            rng.normal(1, 1, 200), rng.normal(-5, 1, 200),
            {"ReLU": np.geomspace(1, 0.01, 430),
             "leaky ReLU (α = 0.01)": np.geomspace(1, 1e-3, 430)}, 30),
        # chapter 4
        "plot_relu_kink": lambda: P.plot_relu_kink(),
        "plot_graph": lambda: P.plot_graph(worked_example_graph(),
                                           title="The worked example as a computational graph"),
        "plot_sgd_on_example": lambda: P.plot_sgd_on_example(
            np.linspace(0, 0.012, 241), (np.linspace(0, 0.012, 241) - 0.004) ** 2 * 1e6, 36.0,
            9000.0, marks=(0.001, 0.01),
            runs={eta: np.geomspace(36, 1e-3, 12) for eta in (0.001, 0.003, 0.01)}),
        # chapter 5
        "plot_init_stds": lambda: P.plot_init_stds(act, act),
        "plot_model_histories": lambda: P.plot_model_histories(
            {"He": history(), "N(0, 1)": history()},
            title="64 → 64 → 10 on the digits, SGD η = 0.1, B = 16"),
        "plot_misclassified (4 columns)": lambda: P.plot_misclassified(
            digits, labels, np.eye(10)[(labels + 1) % 10] * 0.9 + 0.01, ncols=4),
        "plot_misclassified": lambda: P.plot_misclassified(
            digits, labels, np.eye(10)[(labels + 1) % 10] * 0.9 + 0.01),
        # chapter 6
        "plot_conv_step": lambda: P.plot_conv_step(rng.integers(0, 2, (5, 5)), EDGE_KERNEL,
                                                   position=(1, 1)),
        "plot_edge_response": lambda: P.plot_edge_response(
            hopper, convolve2d(hopper, EDGE_KERNEL, padding=1),
            crop=(slice(45, 125), slice(80, 180))),
        "plot_conv_as_matrix": lambda: P.plot_conv_as_matrix(M, (5, 5), 3),
        "plot_shift_demo": lambda: P.plot_shift_demo(canvas, moved, canvas[:30, :30],
                                                     moved[:30, :30], shift=(11, 9)),
        "plot_edge_scale": lambda: P.plot_edge_scale(
            {w: (np.clip(np.arange(40) / w - 15 / w, 0, 1), rng.normal(0, 1, 40))
             for w in (1, 2, 4, 8)}),
        "plot_model_histories (CNN)": lambda: P.plot_model_histories(
            {"CNN": history()},
            title="Conv(8 filters) → ReLU → MaxPool → Linear, SGD η = 0.1, B = 16"),
        "plot_cnn_filters": lambda: P.plot_cnn_filters(
            rng.normal(size=(8, 1, 3, 3)), rng.random((8, 8)), rng.random((8, 8, 8)),
            rng.random((8, 4, 4))),
        # chapter 7
        "plot_overfitting": lambda: P.plot_overfitting(
            x_tr, y_tr, grid, {"after 3000 epochs": y_true, "after 72 epochs": y_true},
            {"training loss (16 points)": np.geomspace(1, 0.01, 3000),
             "new data (200 points)": np.geomspace(1, 0.1, 3000)},
            y_true=y_true, marks={"epoch 72": 72}, noise_level=0.09),
        "plot_loss_curves": lambda: P.plot_loss_curves(
            {"training (16 points)": np.geomspace(1, 0.01, 3000),
             "validation (12 points)": np.geomspace(1, 0.1, 3000),
             "new data (200 points)": np.geomspace(1, 0.2, 3000)},
            marks={"lowest validation loss: epoch 80": 80,
                   "lowest loss on new data: epoch 72": 72},
            title="One run, three data sets"),
        "plot_early_stopping": lambda: P.plot_early_stopping(
            history(400), full_history=history(3000), patience=200),
        "plot_lambda_sweep": lambda: P.plot_lambda_sweep(
            lams, np.linspace(0.01, 0.3, 8), np.linspace(0.2, 0.1, 8), x_train=x_tr,
            y_train=y_tr, x_grid=grid, y_true=y_true,
            fits={label: y_true for label in show},
            weights={label: rng.normal(0, 1, 300) for label in show}),
        "plot_dropout": lambda: P.plot_dropout(rng.random((8, 16)),
                                               rng.integers(0, 2, (8, 16)) * 2.0, 0.5),
        "plot_fits": lambda: P.plot_fits(
            x_tr, y_tr, grid, {"early stopping": y_true, "weight decay λ = 0.01": y_true,
                               "dropout p = 0.1": y_true, "no remedy (3000 epochs)": y_true},
            y_true=y_true, x_val=x_tr[:12], y_val=y_tr[:12],
            title="Three ways to avoid overfitting, and one overfitted network"),
        # chapter 8
        "plot_softmax": lambda: P.plot_softmax(np.array([3.0, 1.0, 0.2, -1.0])),
        "plot_digit_probabilities (multi-label)": lambda: P.plot_digit_probabilities(
            digits[:6], rng.random((6, 3)), rng.integers(0, 2, (6, 3)),
            class_names=["even", "≥ 5", "has a loop"],
            titles=[f"digit {d}" for d in (1, 2, 4, 5, 7, 8)],
            title="Multi-label: one sigmoid per tag"),
        "plot_cross_entropy": lambda: P.plot_cross_entropy(0.3),
        "plot_ce_vs_mse": lambda: P.plot_ce_vs_mse(),
        "plot_digit_probabilities": lambda: P.plot_digit_probabilities(
            digits[:6], probs10, labels[:6],
            titles=[f"true {d}, said {(d + 1) % 10}\np = 0.{d + 3}" for d in range(6)],
            title="What the classifier believes: softmax of its scores"),
        # chapter 9
        "plot_model_histories (FC, CNN)": lambda: P.plot_model_histories(
            {"FC": history(), "CNN": history()}),
        "plot_confusion_matrix": lambda: P.plot_confusion_matrix(
            rng.integers(0, 40, (10, 10)), title="CNN on the test set"),
    }

