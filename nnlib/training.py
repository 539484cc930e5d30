"""Training with mini-batch SGD, evaluation and early stopping (chapters "Training",
"Overfitting").

One epoch of :func:`fit` is the loop of the notes (§3): shuffle the ``n`` examples, cut
them into ``⌈n/B⌉`` batches and, for each batch, compute the gradient ``g`` of the mean
loss over the batch and step ``w ← w − η g``. In code, per batch::

    optimizer.zero_grad()                   # forget the last batch's gradients
    scores = model.forward(X_batch)         # forward pass
    E = loss.forward(scores, y_batch)       # mean loss over the batch
    model.backward(loss.backward())         # backward pass: ∂E/∂w into every .grad
    optimizer.step()                        # w ← w − η g

Early stopping (§8.1) watches the validation loss after every epoch, stops after
``patience`` epochs without improvement and puts back the best weights.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from ._checks import as_array, check_finite, make_rng, positive_int, real_number
from .layers import Module, Parameter

# ---- data -------------------------------------------------------------------------------


def _rows(X, y, owner: str, names: tuple[str, str] = ("X", "y")) -> tuple[np.ndarray, ...]:
    """``X`` and ``y`` as arrays with the same, non-zero number of rows."""
    X = as_array(X, names[0], owner=owner)
    y = np.asarray(y)
    if y.dtype.kind not in "iuf":
        raise TypeError(f"{owner} {names[1]} must hold numbers (class labels or targets), "
                        f"got dtype {y.dtype}")
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y) or len(X) == 0:
        raise ValueError(f"{owner} expected {names[0]} and {names[1]} with the same, non-zero "
                         f"number of rows, got shapes {X.shape} and {y.shape}")
    return X, y


def _finite_rows(X, y, owner: str, names: tuple[str, str] = ("X", "y")) -> tuple[np.ndarray, ...]:
    """:func:`_rows`, and no NaN or infinity in either: bad data is the caller's mistake."""
    X, y = _rows(X, y, owner, names)
    check_finite(X, names[0], owner)
    check_finite(y, names[1], owner)
    return X, y


def minibatches(X, y, batch_size: int, *, rng=None,
                shuffle: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of mini-batches ``(X_batch, y_batch)``: every example exactly once.

    With ``shuffle`` the order is a fresh permutation drawn from ``rng``; pass the same
    ``Generator`` every epoch to get a new order each time (an integer seed gives the
    same order on every call). There are ``⌈N/B⌉`` batches of ``B = batch_size`` rows;
    the last one holds the remaining ``N mod B`` rows if ``B`` does not divide ``N``.

    Shapes: ``X (N, ...)``, ``y (N, ...)`` -> ``X_batch (B, ...)``, ``y_batch (B, ...)``.
    """
    X, y = _rows(X, y, "minibatches")
    batch_size = positive_int(batch_size, "batch_size", owner="minibatches")
    order = make_rng(rng).permutation(len(X)) if shuffle else None
    return _batches(X, y, batch_size, order)


def _batches(X: np.ndarray, y: np.ndarray, batch_size: int,
             order: np.ndarray | None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(X), batch_size):
        idx = slice(start, start + batch_size) if order is None else \
            order[start:start + batch_size]
        yield X[idx], y[idx]


# ---- accuracy and evaluation ------------------------------------------------------------

def _class_labels(y: np.ndarray) -> np.ndarray | None:
    """The class labels in ``y`` (integers ``(N,)`` or one-hot rows ``(N, K)``), or ``None``
    for anything else: a regression target, for which accuracy has no meaning."""
    if y.ndim == 1 and y.dtype.kind in "iu":
        return y
    if (y.ndim == 2 and y.shape[1] >= 2 and np.all((y == 0) | (y == 1))
            and np.all(y.sum(axis=1) == 1)):
        return y.argmax(axis=1)
    return None


def _n_correct(scores: np.ndarray, y: np.ndarray) -> float:
    """How many rows of ``scores (B, K)`` have their largest score at the true class."""
    if scores.ndim != 2 or scores.shape[1] < 2:
        return np.nan                           # one output column: no class to pick
    labels = y if y.ndim == 1 else y.argmax(axis=1)
    return float(np.count_nonzero(scores.argmax(axis=1) == labels))


def accuracy(scores_or_labels, y) -> float:
    """Fraction of correct predictions.

    Parameters
    ----------
    scores_or_labels : array, shape (N, K) or (N,)
        Class scores (the prediction is the ``argmax`` of each row; scores, logits and
        probabilities all work) or predicted integer labels.
    y : array, shape (N,) or (N, K)
        True integer labels or one-hot rows.
    """
    y = np.asarray(y)
    labels = _class_labels(y)
    if labels is None:
        raise ValueError(f"accuracy y must be integer class labels (N,) or one-hot rows "
                         f"(N, K), got shape {y.shape} and dtype {y.dtype}")
    pred = np.asarray(scores_or_labels)
    if pred.ndim == 2 and pred.shape[1] >= 2:
        pred = pred.argmax(axis=1)
    elif pred.ndim != 1 or pred.dtype.kind not in "iu":
        raise ValueError(f"accuracy expected scores of shape (N, K) with K >= 2 or integer "
                         f"labels (N,), got shape {pred.shape} and dtype {pred.dtype}")
    if len(pred) != len(labels) or len(pred) == 0:
        raise ValueError(f"accuracy expected as many predictions as labels (at least one), "
                         f"got {len(pred)} and {len(labels)}")
    return float(np.mean(pred == labels))


def evaluate(model: Module, loss, X, y, batch_size: int | None = None) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` on ``(X, y)``, in evaluation mode.

    The model is switched to ``eval()`` (dropout off) and back to the mode it was in.
    With ``batch_size`` the data goes through in batches (less memory); the loss is the
    mean over all examples either way. The accuracy is NaN when ``y`` holds no class
    labels (a regression target).

    Returns
    -------
    (loss, accuracy) : tuple of float
    """
    X, y = _finite_rows(X, y, "evaluate")
    n = len(X)
    batch_size = n if batch_size is None else positive_int(batch_size, "batch_size",
                                                          owner="evaluate")
    return _evaluate(model, loss, X, y, batch_size, _class_labels(y) is not None)


def _evaluate(model: Module, loss, X: np.ndarray, y: np.ndarray, batch_size: int,
              classify: bool) -> tuple[float, float]:
    """:func:`evaluate` of arguments already checked (``fit`` checks its validation set once,
    not after every epoch)."""
    n = len(X)
    was_training = model.training
    model.eval()
    try:
        total, correct = 0.0, 0.0
        for Xb, yb in _batches(X, y, batch_size, None):
            scores = model.forward(Xb)
            total += loss.forward(scores, yb) * len(Xb)
            if classify:
                correct += _n_correct(scores, yb)
    finally:
        model.train(was_training)
    return total / n, (correct / n if classify else np.nan)


# ---- history and early stopping ---------------------------------------------------------

@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch run.

    Attributes
    ----------
    train_loss, train_acc : list of float
        Mean loss and accuracy over the epoch's batches, weighted by batch size, as
        measured during training (in training mode, while the weights move); the loss
        is the data loss ``loss.forward`` returns, without the ``λ Σ w²`` of weight decay.
    val_loss, val_acc : list of float
        On the validation set after the epoch, in eval mode; empty without validation.
    best_epoch : int or None
        The epoch (counted from 1, so ``val_loss[best_epoch - 1]``) with the lowest
        validation loss, whose weights early stopping keeps; None without validation.
    stopped_epoch : int
        How many epochs ran: ``epochs``, or fewer after early stopping or divergence.
    diverged : bool
        The loss (or a weight) became NaN or infinite; training stopped at that epoch,
        whose ``train_loss`` is that NaN or inf.

    Accuracies are NaN when the targets are not class labels (regression).
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int = 0
    diverged: bool = False

    @property
    def epochs(self) -> list[int]:
        """The epoch numbers ``1 .. stopped_epoch``, the x-axis of the learning curves."""
        return list(range(1, len(self.train_loss) + 1))

    def as_dict(self) -> dict:
        """The fields as a plain ``dict`` (e.g. for a ``pandas.DataFrame`` or JSON)."""
        return asdict(self)


class EarlyStopping:
    """Stop when the validation loss has not improved for ``patience`` epochs (§8.1).

    An epoch improves when its validation loss is below the best so far by more than
    ``min_delta``. With ``restore_best``, the weights of the best epoch are copied when
    it happens and put back at the end of :func:`fit`.

    Parameters
    ----------
    patience : int
        Epochs without improvement to wait before stopping.
    restore_best : bool
        Put back the weights of the best epoch (a copy of every ``Parameter.value``).
    min_delta : float
        Smallest decrease of the validation loss that counts as an improvement.
    """

    def __init__(self, patience: int, restore_best: bool = True, min_delta: float = 0.0) -> None:
        self.patience = positive_int(patience, "patience", owner="EarlyStopping")
        self.restore_best = bool(restore_best)
        self.min_delta = real_number(min_delta, "min_delta", low=0.0, owner="EarlyStopping")
        self.reset()

    def reset(self) -> None:
        """Forget everything seen (``fit`` calls it when training starts)."""
        self.best_loss = np.inf
        self.best_epoch: int | None = None
        self.wait = 0
        self._best_values: list[np.ndarray] | None = None

    def update(self, val_loss: float, epoch: int, params: Sequence[Parameter]) -> bool:
        """Record epoch ``epoch``'s validation loss; return True when training should stop."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = float(val_loss), epoch, 0
            if self.restore_best:
                self._best_values = [p.value.copy() for p in params]
        else:
            self.wait += 1
        return self.wait >= self.patience

    def restore(self, params: Sequence[Parameter]) -> bool:
        """Write the best weights back into ``params`` (in place); False if none were kept."""
        if self._best_values is None:
            return False
        for p, best in zip(params, self._best_values, strict=True):
            p.value[...] = best
        return True

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, restore_best={self.restore_best}, "
                f"min_delta={self.min_delta:g})")


# ---- fit --------------------------------------------------------------------------------

def _train_epoch(model: Module, loss, optimizer, X: np.ndarray, y: np.ndarray, batch_size: int,
                 rng: np.random.Generator, classify: bool) -> tuple[float, float]:
    """One pass of mini-batch SGD; returns the epoch's mean loss and accuracy.

    Stops at the first batch whose loss is NaN or infinite and returns that loss.
    """
    total, correct, seen = 0.0, 0.0, 0
    # minibatches(X, y, batch_size, rng=rng) without checking X and y again every epoch
    for Xb, yb in _batches(X, y, batch_size, rng.permutation(len(X))):
        optimizer.zero_grad()
        scores = model.forward(Xb)
        batch_loss = loss.forward(scores, yb)
        if not np.isfinite(batch_loss):
            return float(batch_loss), np.nan
        model.backward(loss.backward())
        optimizer.step()
        total += batch_loss * len(Xb)
        seen += len(Xb)
        if classify:
            correct += _n_correct(scores, yb)
    return total / seen, (correct / seen if classify else np.nan)


def fit(model: Module, loss, optimizer, X, y, *, epochs: int, batch_size: int, rng,
        validation: tuple | None = None, early_stopping: EarlyStopping | None = None,
        verbose: bool = False) -> History:
    """Train ``model`` with mini-batch SGD for up to ``epochs`` epochs.

    Parameters
    ----------
    model : Module
    loss : a loss with ``forward(scores, y) -> float`` and ``backward() -> ∂E/∂scores``
    optimizer : e.g. ``SGD(model.parameters(), lr=η)``, with ``zero_grad()`` and ``step()``
    X : array, shape (N, ...)
    y : array, shape (N,) integer labels, (N, K) one-hot rows, or regression targets
    epochs, batch_size : int
    rng : numpy.random.Generator or int
        Shuffles the data every epoch: the same seed gives the same run.
    validation : (X_val, y_val), optional
        Evaluated after every epoch (``val_loss``, ``val_acc``, ``best_epoch``).
    early_stopping : EarlyStopping, optional
        Needs ``validation``. With ``restore_best`` the best weights are put back at
        the end, whether training stopped early, diverged or ran all epochs.
    verbose : bool
        Print one line per epoch.

    Returns
    -------
    History

    A loss or weight that becomes NaN or infinite (e.g. a learning rate that is too
    large) ends training quietly with ``History.diverged = True``: no exception and no
    numpy warning. NaN or infinity in the data itself raises ``ValueError``.
    """
    X, y = _finite_rows(X, y, "fit")
    epochs = positive_int(epochs, "epochs", owner="fit")
    batch_size = positive_int(batch_size, "batch_size", owner="fit")
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise TypeError(f"fit validation must be a pair (X_val, y_val) or None, got "
                            f"{type(validation).__name__}")
        validation = _finite_rows(*validation, "fit", names=("validation X", "validation y"))
    if early_stopping is not None:
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError(f"fit early_stopping must be an EarlyStopping or None, got "
                            f"{type(early_stopping).__name__}")
        if validation is None:
            raise ValueError("fit early_stopping needs a validation set: pass "
                             "validation=(X_val, y_val)")
        early_stopping.reset()
    rng = make_rng(rng)
    params = model.parameters()
    classify = _class_labels(y) is not None
    val_classify = validation is not None and _class_labels(validation[1]) is not None
    history = History()
    was_training = model.training
    try:
        with np.errstate(all="ignore"):     # divergence is detected below, not warned about
            model.train()                   # (evaluating puts the training mode back)
            for epoch in range(1, epochs + 1):
                train_loss, train_acc = _train_epoch(model, loss, optimizer, X, y, batch_size,
                                                     rng, classify)
                finite = np.isfinite(train_loss) and all(np.isfinite(p.value).all()
                                                         for p in params)
                history.train_loss.append(train_loss)
                history.train_acc.append(train_acc)
                history.stopped_epoch = epoch
                if validation is not None:
                    val_loss, val_acc = (_evaluate(model, loss, *validation, batch_size,
                                                   val_classify)
                                         if finite else (np.nan, np.nan))
                    finite = finite and np.isfinite(val_loss)
                    history.val_loss.append(val_loss)
                    history.val_acc.append(val_acc)
                if verbose:
                    print(_epoch_line(history, epochs))
                if not finite:
                    history.diverged = True
                    break
                if early_stopping is not None and early_stopping.update(val_loss, epoch, params):
                    break
    finally:
        model.train(was_training)
    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch
        if early_stopping.restore_best:
            early_stopping.restore(params)
    elif validation is not None and np.any(np.isfinite(history.val_loss)):
        history.best_epoch = int(np.nanargmin(history.val_loss)) + 1
    return history


def _epoch_line(h: History, epochs: int) -> str:
    """``epoch  3/20  train loss 0.4312 acc 0.873  val loss 0.5012 acc 0.850``."""
    e = len(h.train_loss)
    line = f"epoch {e:{len(str(epochs))}d}/{epochs}  train loss {h.train_loss[-1]:.4f} " \
           f"acc {h.train_acc[-1]:.3f}"
    if h.val_loss:
        line += f"  val loss {h.val_loss[-1]:.4f} acc {h.val_acc[-1]:.3f}"
    return line


def confusion_matrix(y_true, y_pred, num_classes: int | None = None):
    """Count how often each true class was predicted as each class.

    ``C[i, j]`` is the number of examples of true class ``i`` predicted as ``j``: the
    diagonal holds the correct predictions, row ``i`` sums to the number of examples of
    class ``i``, column ``j`` to the number of predictions ``j``.

    Parameters
    ----------
    y_true, y_pred : array of int, shape (N,)
        True and predicted labels ``0 .. K-1``.
    num_classes : int, optional
        ``K``; by default ``max(y_true, y_pred) + 1``.

    Returns
    -------
    ndarray of int64, shape (K, K)
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.ndim != 1 or y.dtype.kind not in "iu" or (y.size and y.min() < 0):
            raise ValueError(f"confusion_matrix {name} must be 1-D integer labels >= 0, got "
                             f"shape {y.shape} and dtype {y.dtype}")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"confusion_matrix expected y_true and y_pred of the same length, got "
                         f"{y_true.shape} and {y_pred.shape}")
    needed = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    k = max(needed, 1) if num_classes is None else positive_int(num_classes, "num_classes",
                                                                  owner="confusion_matrix")
    if k < needed:
        raise ValueError(f"confusion_matrix num_classes must be > the largest label "
                         f"{needed - 1}, got {k}")
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k).astype(np.int64)
