"""Training throughput on the 8×8 digits: an FC net and a CNN in nnlib, and the same FC net
in scikit-learn's ``MLPClassifier`` for comparison.

Same work on both sides: 64 → 64 (ReLU) → 10, softmax cross-entropy, plain mini-batch SGD
(no momentum, no weight decay), learning rate 0.1, batch 32, 20 epochs over the same 80 %
training split, shuffled every epoch, float64. Throughput = training samples × epochs /
seconds of the whole ``fit`` (best of several runs, each side in its own block after a
warm-up run). The test accuracy is printed to show that both did the same learning.

Run: ``python benchmarks/train_bench.py``
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from _common import (
    QuietWaiter,
    Section,
    Target,
    limit_threads,
    markdown_table,
    without_openblas_overrides,
)

HIDDEN, EPOCHS, BATCH, LR = 64, 20, 32, 0.1
CNN_EPOCHS = 5
RUNS = 5


def data():
    from nnlib.data import digits, train_val_test_split
    X, y = digits()
    Xtr, ytr, _, _, Xte, yte = train_val_test_split(X, y, val=0.0, test=0.2, rng=0)
    return Xtr, ytr, Xte, yte


def best_of(train, runs: int = RUNS) -> tuple[float, object]:
    """Best seconds of ``runs`` calls of ``train()`` after one warm-up call; and its result."""
    result = train()
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        result = train()
        best = min(best, time.perf_counter() - start)
    return best, result


def nnlib_fc(Xtr, ytr, dtype=np.float64):
    from nnlib.activations import ReLU
    from nnlib.layers import Linear, Sequential
    from nnlib.losses import SoftmaxCrossEntropy
    from nnlib.optim import SGD
    from nnlib.training import fit

    X = Xtr.astype(dtype)

    def train():
        model = Sequential(Linear(64, HIDDEN, rng=0, dtype=dtype), ReLU(),
                           Linear(HIDDEN, 10, rng=1, dtype=dtype))
        fit(model, SoftmaxCrossEntropy(), SGD(model.parameters(), lr=LR), X, ytr,
            epochs=EPOCHS, batch_size=BATCH, rng=0)
        return model
    return train


def nnlib_cnn(Xtr, ytr):
    from nnlib.activations import ReLU
    from nnlib.conv import Conv2D, MaxPool2D
    from nnlib.layers import Flatten, Linear, Sequential
    from nnlib.losses import SoftmaxCrossEntropy
    from nnlib.optim import SGD
    from nnlib.training import fit

    X = Xtr.reshape(-1, 1, 8, 8)

    def train():
        model = Sequential(Conv2D(1, 8, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),
                           Conv2D(8, 16, 3, padding=1, rng=1), ReLU(), MaxPool2D(2),
                           Flatten(), Linear(16 * 2 * 2, 10, rng=2))
        fit(model, SoftmaxCrossEntropy(), SGD(model.parameters(), lr=LR), X, ytr,
            epochs=CNN_EPOCHS, batch_size=BATCH, rng=0)
        return model
    return train


def sklearn_fc(Xtr, ytr):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def train():
        mlp = MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="relu", solver="sgd",
                            learning_rate="constant", learning_rate_init=LR, momentum=0.0,
                            nesterovs_momentum=False, alpha=0.0, batch_size=BATCH,
                            max_iter=EPOCHS, shuffle=True, tol=0.0, n_iter_no_change=EPOCHS + 1,
                            early_stopping=False, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)   # max_iter is the plan here
            mlp.fit(Xtr, ytr)
        return mlp
    return train


def accuracy(predict, X, y) -> float:
    return float(np.mean(predict(X) == y))


def run(verbose: bool = True) -> Section:
    limit_threads()
    Xtr, ytr, Xte, yte = data()
    n = len(Xtr)
    rows, results = [], {}
    wait = QuietWaiter(budget=15.0)

    def record(name, train, epochs, predict):
        wait()
        seconds, model = best_of(train)
        results[name] = n * epochs / seconds
        acc = accuracy(lambda X: predict(model, X), Xte, yte)
        rows.append([name, epochs, f"{seconds:.3f}", f"{results[name]:,.0f}", f"{acc:.3f}"])
        if verbose:
            print(f"  {name:<48} {results[name]:>10,.0f} samples/s  (test acc {acc:.3f})",
                  flush=True)

    def nn_predict(model, X, shape=None):
        model.eval()
        return model.forward(X if shape is None else X.reshape(shape)).argmax(axis=1)

    record("nnlib FC 64-64-10, float64", nnlib_fc(Xtr, ytr), EPOCHS, nn_predict)
    record("scikit-learn MLPClassifier 64-64-10, float64", sklearn_fc(Xtr, ytr), EPOCHS,
           lambda m, X: m.predict(X))
    record("nnlib FC 64-64-10, float32", nnlib_fc(Xtr, ytr, np.float32), EPOCHS,
           lambda m, X: nn_predict(m, X.astype(np.float32)))
    record("nnlib CNN conv8-pool-conv16-pool-fc, float64", nnlib_cnn(Xtr, ytr), CNN_EPOCHS,
           lambda m, X: nn_predict(m, X, (-1, 1, 8, 8)))

    table = markdown_table(["model", "epochs", "best fit s", "samples/s", "test acc"], rows)
    ratio = results["nnlib FC 64-64-10, float64"] / \
        results["scikit-learn MLPClassifier 64-64-10, float64"]
    body = (f"{table}\n\n{n} training samples, batch {BATCH}, SGD η = {LR}, no momentum or "
            f"weight decay; best of {RUNS} runs after a warm-up run. nnlib's `fit` also "
            f"records the training loss and accuracy every epoch (scikit-learn records the "
            f"loss). nnlib FC / scikit-learn throughput: {ratio:.2f}.")
    targets = [Target("FC training on the digits vs scikit-learn MLP, same work",
                      "no slower (ratio ≥ 1)", f"{ratio:.2f}× sklearn's samples/s", ratio >= 1.0)]
    return Section("Training throughput on the digits", body, targets)


def main() -> None:
    without_openblas_overrides()
    section = run()
    print()
    print(section.body)


if __name__ == "__main__":
    main()
