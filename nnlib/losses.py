"""Loss functions and the weight-decay penalty (chapters "Cross-entropy", "Overfitting").

A loss compares a batch of predictions with its targets: ``forward(pred, y)`` returns
the mean loss as a float and keeps what ``backward()`` needs; ``backward()`` returns
``∂E/∂pred``, the gradient that starts the backward pass through the network.
Losses are not modules: they take two inputs and have no parameters.

The in-sample error of the notes is ``E_in = (1/n) Σ_i L(h(x_i), y_i)``, plus
``λ Σ w²`` with weight decay (:func:`l2_penalty`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._checks import as_array, real_number
from .activations import log_softmax, sigmoid
from .layers import Parameter, parameter_list


class Loss:
    """Base of the losses: ``forward(pred, y) -> float``, ``backward() -> ∂E/∂pred``."""

    def forward(self, pred, y) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, pred, y) -> float:
        return self.forward(pred, y)

    def _cached(self, attr: str) -> np.ndarray:
        """Return what ``forward`` stored under ``attr``, or explain that it has not run."""
        value = getattr(self, attr, None)
        if value is None:
            raise ValueError(f"{type(self).__name__}.backward called before forward: "
                             "call forward(pred, y) first")
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _nonempty(pred: np.ndarray, name: str, owner: str) -> None:
    if pred.size == 0:
        raise ValueError(f"{owner} {name} must not be empty, got shape {pred.shape}")


def _target_like(pred: np.ndarray, y, owner: str) -> np.ndarray:
    """``y`` as an array of ``pred``'s shape and dtype.

    A column of predictions ``(N, 1)`` also accepts targets of shape ``(N,)``: without
    this, ``pred - y`` would broadcast to ``(N, N)`` and silently give a wrong loss.
    """
    y = as_array(y, "y", owner=owner)
    if y.shape != pred.shape:
        if pred.ndim == 2 and pred.shape[1] == 1 and y.shape == pred.shape[:1]:
            y = y.reshape(pred.shape)
        else:
            raise ValueError(f"{owner} expected y of shape {pred.shape} (pred's), "
                             f"got {y.shape}")
    return y.astype(pred.dtype, copy=False)


class MSELoss(Loss):
    """Mean squared error ``E = (1/m) Σ (pred − y)²`` over all ``m`` entries.

    Shapes: ``pred`` and ``y`` alike, e.g. ``(N, 1)`` (``y`` may also be ``(N,)``).
    ``backward()`` returns ``∂E/∂pred = 2 (pred − y) / m``.
    """

    def __init__(self) -> None:
        self._diff: np.ndarray | None = None

    def forward(self, pred, y) -> float:
        pred = as_array(pred, "pred", owner="MSELoss")
        _nonempty(pred, "pred", "MSELoss")
        self._diff = pred - _target_like(pred, y, "MSELoss")
        return float(np.mean(self._diff ** 2))

    def backward(self) -> np.ndarray:
        diff = self._cached("_diff")
        return 2 * diff / diff.size


def _class_targets(y, n: int, k: int, owner: str, dtype) -> np.ndarray:
    """Turn labels ``(N,)`` or rows ``(N, K)`` that sum to 1 into target rows ``Y (N, K)``."""
    y_arr = np.asarray(y) if not isinstance(y, (str, bytes)) else None
    if y_arr is None or y_arr.dtype.kind not in "biuf":
        raise TypeError(f"{owner} y must be integer labels or one-hot rows, got "
                        f"{type(y).__name__}" + ("" if y_arr is None else f" of {y_arr.dtype}"))
    if y_arr.ndim == 1:
        if y_arr.shape[0] != n:
            raise ValueError(f"{owner} expected y with {n} entries (one per row of scores), "
                             f"got {y_arr.shape[0]}")
        if y_arr.dtype.kind == "b":
            raise TypeError(f"{owner} y must hold integer class labels, got booleans")
        bad = (y_arr != np.round(y_arr)) | (y_arr < 0) | (y_arr >= k)
        if np.any(bad):
            raise ValueError(f"{owner} y must hold integer class labels in [0, {k}), "
                             f"got {y_arr[np.argmax(bad)].item()}")
        Y = np.zeros((n, k), dtype=dtype)
        Y[np.arange(n), y_arr.astype(np.intp)] = 1
        return Y
    if y_arr.ndim == 2:
        if y_arr.shape != (n, k):
            raise ValueError(f"{owner} expected y of shape {(n, k)} (one-hot or probability "
                             f"rows, like scores), got {y_arr.shape}")
        Y = y_arr.astype(dtype)
        sums = Y.sum(axis=1)
        bad = (np.abs(sums - 1) > np.sqrt(np.finfo(dtype).eps)) | np.any(Y < 0, axis=1)
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(f"{owner} expected y rows of non-negative entries summing to 1 "
                             f"(one-hot or probabilities), got row {i} summing to "
                             f"{sums[i]:g}; for several correct classes per example "
                             "(multi-label) use BinaryCrossEntropyWithLogits")
        return Y
    raise ValueError(f"{owner} expected y as labels (N,) or rows (N, K), got shape {y_arr.shape}")


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, fused: the multi-class loss of the notes.

    ``E_in = −(1/N) Σ_i Σ_j y_ij ln softmax(s_i)_j`` for scores ``s (N, K)`` (the last
    layer's output, no softmax layer) and targets ``y``: integer labels ``(N,)`` in
    ``[0, K)`` or rows ``(N, K)`` summing to 1 (one-hot or probabilities). With a
    label, the loss of a row is ``−ln p_y``.

    ``ln softmax`` is computed with log-sum-exp, so the loss and its gradient stay
    finite for scores of any finite size. ``forward`` also keeps ``.probs``
    (``softmax(s)``, ``(N, K)``). ``backward()`` returns ``∂E/∂s = (probs − Y) / N``.
    """

    def __init__(self) -> None:
        self.probs: np.ndarray | None = None
        self._Y: np.ndarray | None = None

    def forward(self, scores, y) -> float:
        scores = as_array(scores, "scores", ndim=2, owner="SoftmaxCrossEntropy")
        _nonempty(scores, "scores", "SoftmaxCrossEntropy")
        n, k = scores.shape
        Y = _class_targets(y, n, k, "SoftmaxCrossEntropy", scores.dtype)
        log_p = log_softmax(scores, axis=1)
        self.probs, self._Y = np.exp(log_p), Y
        return float(-np.sum(Y * log_p) / n)

    def backward(self) -> np.ndarray:
        Y = self._cached("_Y")
        return (self.probs - Y) / Y.shape[0]


class BinaryCrossEntropyWithLogits(Loss):
    """Sigmoid per entry followed by binary cross-entropy, fused: the multi-label loss.

    For targets with several ones per row (an image that shows a cat *and* a dog),
    softmax is the wrong model: each class ``j`` gets its own probability
    ``p_ij = σ(s_ij)`` and its own yes/no loss
    ``−y ln p − (1 − y) ln(1 − p) = max(s, 0) − s y + ln(1 + e^{−|s|})`` (the stable
    form). ``E`` is the mean over all entries.

    Shapes: ``scores`` and ``y`` alike, ``y`` in ``[0, 1]`` (``y`` may be ``(N,)`` for
    scores ``(N, 1)``). ``backward()`` returns ``∂E/∂s = (σ(s) − y) / m``, ``m`` entries.
    """

    def __init__(self) -> None:
        self._scores: np.ndarray | None = None
        self._Y: np.ndarray | None = None

    def forward(self, scores, y) -> float:
        owner = "BinaryCrossEntropyWithLogits"
        scores = as_array(scores, "scores", owner=owner)
        _nonempty(scores, "scores", owner)
        Y = _target_like(scores, y, owner)
        if np.any((Y < 0) | (Y > 1)):
            raise ValueError(f"{owner} expected y in [0, 1], got values from "
                             f"{Y.min():g} to {Y.max():g}")
        self._scores, self._Y = scores, Y
        s = scores
        return float(np.mean(np.maximum(s, 0) - s * Y + np.log1p(np.exp(-np.abs(s)))))

    def backward(self) -> np.ndarray:
        Y = self._cached("_Y")
        return (sigmoid(self._scores) - Y) / Y.size


def l2_penalty(params: Iterable[Parameter], lam: float) -> float:
    """Weight-decay term ``λ Σ w²`` over the parameters with ``decay=True`` (weights, not
    biases): what weight decay adds to ``E_in``, for reporting.

    Its gradient, ``2λw``, is what ``SGD(..., weight_decay=λ)`` adds to each weight's.
    """
    lam = real_number(lam, "lam", low=0.0, owner="l2_penalty")
    params = parameter_list(params, "l2_penalty")
    return lam * float(sum(np.sum(np.square(p.value, dtype=np.float64))
                           for p in params if p.decay))
