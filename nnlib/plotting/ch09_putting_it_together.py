"""Figures of chapter 9, putting it together: the confusion matrix, learning curves of
several models and the misclassified digits.
"""

from __future__ import annotations

from ._common import _digit_images, divergence, legible, with_diverged_note

__all__ = [
    "plot_confusion_matrix", "plot_misclassified", "plot_model_histories"
]

# Rows of a confusion matrix are the true classes, columns the predicted ones (as in
# scikit-learn); correct counts are drawn in blue, errors in red (tab10).
_CH09_RIGHT, _CH09_WRONG = "tab:blue", "tab:red"


def plot_confusion_matrix(cm, *, class_names=None, title: str | None = None):
    """A confusion matrix as a grid of annotated counts.

    Correct predictions (the diagonal) are shaded blue by the fraction of their row,
    errors red by their count relative to the largest error, so a single mistake among
    hundreds of correct answers still stands out. Each row's accuracy (the recall of its
    class) is written on the right.

    Parameters
    ----------
    cm : array of int, shape (K, K)
        ``cm[i, j]``: examples of true class ``i`` predicted as ``j`` (see
        :func:`nnlib.training.confusion_matrix`).
    class_names : sequence of str, optional
        Tick labels; ``0 .. K-1`` by default.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.dtype.kind not in "iu":
        raise ValueError(f"plot_confusion_matrix expected a square integer matrix (K, K), got "
                         f"shape {cm.shape} and dtype {cm.dtype}")
    k = cm.shape[0]
    names = [str(i) for i in range(k)] if class_names is None else [str(c) for c in class_names]
    if len(names) != k:
        raise ValueError(f"plot_confusion_matrix expected {k} class_names, got {len(names)}")
    rows = cm.sum(axis=1)
    diag = np.diag(cm)
    off = cm - np.diag(diag)
    worst = max(int(off.max()), 1)
    # shade = 0 is white, 1 is the full colour
    shade = np.where(np.eye(k, dtype=bool), diag / np.maximum(rows, 1)[:, None] * 0.85,
                     0.25 + 0.75 * off / worst) * (cm > 0)
    colour = np.where(np.eye(k, dtype=bool)[..., None], to_rgb(_CH09_RIGHT), to_rgb(_CH09_WRONG))
    rgb = 1 - shade[..., None] * (1 - colour)

    fig = Figure(figsize=(0.55 * k + 2.4, 0.55 * k + 1.3), layout="constrained")
    ax = fig.subplots()
    ax.imshow(rgb, interpolation="nearest")
    for (i, j), count in np.ndenumerate(cm):
        if count == 0:
            ax.text(j, i, "·", ha="center", va="center", fontsize=9, color="0.7")
            continue
        dark = shade[i, j] > 0.55
        ax.text(j, i, str(count), ha="center", va="center", fontsize=10,
                color="white" if dark else "black", fontweight="bold" if i != j else "normal")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("predicted class", fontsize=11)
    ax.set_ylabel("true class", fontsize=11)
    right = ax.secondary_yaxis("right")
    right.set_yticks(range(k), [f"{d / r:.0%}" if r else "–" for d, r in zip(diag, rows,
                                                                             strict=True)])
    right.set_ylabel("accuracy of the row (recall)", fontsize=10)
    right.tick_params(length=0)
    total = int(cm.sum())
    head = title or "Confusion matrix"
    ax.set_title(f"{head}\n{int(diag.sum())} of {total} right, {total - int(diag.sum())} wrong",
                 fontsize=12)
    return legible(fig)


def plot_model_histories(histories: dict, *, title: str | None = None):
    """Learning curves of several models side by side: loss and accuracy per epoch.

    Training curves are solid, validation curves dashed, one colour per model; a star
    marks the epoch with the lowest validation loss (the weights early stopping keeps).

    Parameters
    ----------
    histories : dict
        ``{model name: History}`` as returned by :func:`nnlib.training.fit` with a
        validation set. A run that diverged is drawn up to its last finite epoch, its
        legend entry saying where it diverged.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if not histories:
        raise ValueError("plot_model_histories expected at least one history, got none")
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]
    for k, (name, h) in enumerate(histories.items()):
        c = colours[k % len(colours)]
        div = divergence(h.train_loss, h.val_loss, diverged=h.diverged)
        n = div.finite                                  # a diverged run: up to its last finite
        epochs = np.arange(1, n + 1)
        training = with_diverged_note(f"{name}, training", div)
        ax_loss.plot(epochs, h.train_loss[:n], color=c, lw=2, label=training)
        ax_acc.plot(epochs, h.train_acc[:n], color=c, lw=2, label=training)
        if h.val_loss:
            ax_loss.plot(epochs, h.val_loss[:n], color=c, lw=2, ls="--",
                         label=f"{name}, validation")
            ax_acc.plot(epochs, h.val_acc[:n], color=c, lw=2, ls="--",
                        label=f"{name}, validation")
        if h.best_epoch is not None and h.best_epoch <= n:
            b = h.best_epoch
            ax_loss.plot([b], [h.val_loss[b - 1]], "*", color=c, ms=15, mec="black", zorder=3,
                         label=f"{name}, best epoch {b}")
            ax_acc.plot([b], [h.val_acc[b - 1]], "*", color=c, ms=15, mec="black", zorder=3)
    ax_loss.set_yscale("log")
    ax_loss.set_ylabel("mean cross-entropy (log scale)", fontsize=10)
    ax_loss.set_title("Loss", fontsize=12)
    ax_acc.set_ylabel("accuracy", fontsize=10)
    ax_acc.set_title("Accuracy", fontsize=12)
    ax_acc.set_ylim(top=1.005)
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel("epoch", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    ax_loss.legend(fontsize=8.5, ncols=1)
    if title:
        fig.suptitle(title, fontsize=13)
    return legible(fig)


def plot_misclassified(X, y_true, probs, *, ncols: int = 6, max_images: int = 18):
    """The examples a classifier got wrong, each with its predicted probabilities.

    For each mistake: the 8x8 image titled ``true → predicted``, and below it a bar per
    class, the predicted class red and the true class blue, so one sees whether the
    network hesitated or was confidently wrong.

    Parameters
    ----------
    X : array, shape (N, 64) or (N, 1, 8, 8)
        All examples; only the misclassified ones are drawn.
    y_true : array of int, shape (N,)
    probs : array, shape (N, K)
        Predicted class probabilities (softmax of the scores).
    ncols : int
        Examples per row.
    max_images : int
        At most this many mistakes are shown, the most confident ones first.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    images = _digit_images(X)
    y_true = np.asarray(y_true).reshape(-1)
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2 or len(probs) != len(images) or len(y_true) != len(images):
        raise ValueError(f"plot_misclassified expected X (N, ...), y_true (N,) and probs (N, K) "
                         f"for the same N, got {len(images)}, {y_true.shape} and {probs.shape}")
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y_true)
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][:max_images]
    k = probs.shape[1]
    if wrong.size == 0:
        fig = Figure(figsize=(5, 1.2), layout="constrained")
        fig.text(0.5, 0.5, "No mistakes: every example is classified correctly.",
                 ha="center", va="center", fontsize=12)
        return legible(fig)
    ncols = min(ncols, wrong.size)
    nrows = -(-wrong.size // ncols)
    # a fixed grid instead of a constrained layout: with dozens of small axes it draws
    # several times faster, and every panel has the same size anyway
    height = 2.75 * nrows + 0.5
    fig = Figure(figsize=(1.9 * ncols, height))
    outer = fig.add_gridspec(nrows, ncols, left=0.03, right=0.99, bottom=0.25 / height,
                             top=1 - 0.9 / height, hspace=0.45, wspace=0.3)
    for n, idx in enumerate(wrong):
        r, c = divmod(n, ncols)
        inner = outer[r, c].subgridspec(2, 1, height_ratios=[2.2, 1], hspace=0.12)
        img_ax, bar_ax = fig.add_subplot(inner[0]), fig.add_subplot(inner[1])
        t, p = int(y_true[idx]), int(pred[idx])
        img_ax.imshow(images[idx], cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        img_ax.set_axis_off()
        img_ax.set_title(f"true {t} → said {p}\np({p}) = {probs[idx, p]:.2f}, "
                         f"p({t}) = {probs[idx, t]:.2f}", fontsize=9.5)
        colours = ["0.75"] * k
        colours[p], colours[t] = _CH09_WRONG, _CH09_RIGHT
        bar_ax.bar(range(k), probs[idx], color=colours, width=0.8)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_xticks(range(k), [str(j) for j in range(k)], fontsize=7)
        bar_ax.set_yticks([0, 1], ["0", "1"], fontsize=7)
        bar_ax.tick_params(length=2, pad=1)
        for side in ("top", "right"):
            bar_ax.spines[side].set_visible(False)
    fig.suptitle("Misclassified examples, most confident mistakes first\n"
                 "(bars: predicted probabilities; red = said, blue = true)", fontsize=11,
                 y=1 - 0.08 / height, va="top")
    return legible(fig)
