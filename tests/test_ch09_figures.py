"""Chapter 9's helpers: the confusion matrix and the figures of the end-to-end chapter."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from nnlib.plotting import (
    plot_confusion_matrix,
    plot_misclassified,
    plot_model_histories,
)
from nnlib.training import History, confusion_matrix


def test_confusion_matrix_by_hand():
    cm = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2])
    assert cm.dtype == np.int64
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])


def test_confusion_matrix_num_classes_pads_absent_classes():
    cm = confusion_matrix(np.array([0, 1]), np.array([1, 1]), num_classes=4)
    assert cm.shape == (4, 4) and cm.sum() == 2 and cm[0, 1] == 1 and cm[1, 1] == 1


@given(st.integers(1, 6).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), max_size=40))))
def test_confusion_matrix_margins(case):
    k, pairs = case
    t = np.array([p[0] for p in pairs], dtype=int)
    p = np.array([p[1] for p in pairs], dtype=int)
    cm = confusion_matrix(t, p, k)
    assert cm.shape == (k, k)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(t, minlength=k))   # rows: truth
    np.testing.assert_array_equal(cm.sum(axis=0), np.bincount(p, minlength=k))   # columns
    assert np.trace(cm) == np.sum(t == p)


@pytest.mark.parametrize("args, message", [
    (([0, 1], [0]), "same length"),
    (([0.0, 1.0], [0, 1]), "y_true must be 1-D integer labels"),
    (([0, -1], [0, 1]), "y_true must be 1-D integer labels >= 0"),
    (([[0, 1]], [[0, 1]]), "y_true must be 1-D integer labels"),
    (([0, 3], [0, 1], 3), "num_classes must be > the largest label 3, got 3"),
])
def test_confusion_matrix_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        confusion_matrix(*[np.asarray(a) for a in args[:2]], *args[2:])


def test_plot_confusion_matrix_annotates_every_count():
    cm = np.array([[35, 1, 0], [2, 30, 0], [0, 0, 33]])
    fig = plot_confusion_matrix(cm, class_names=["a", "b", "c"], title="T")
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(t for t in texts if t != "·") == sorted(str(v) for v in cm.ravel() if v)
    assert texts.count("·") == int(np.sum(cm == 0))
    assert "98 of 101 right, 3 wrong" in fig.axes[0].get_title()


@pytest.mark.parametrize("cm, kwargs", [
    (np.ones((2, 3), dtype=int), {}),
    (np.ones((2, 2)), {}),
    (np.ones((2, 2), dtype=int), {"class_names": ["a"]}),
])
def test_plot_confusion_matrix_rejects_bad_input(cm, kwargs):
    with pytest.raises(ValueError, match="plot_confusion_matrix"):
        plot_confusion_matrix(cm, **kwargs)


def test_plot_misclassified_shows_only_mistakes_most_confident_first():
    rng = np.random.default_rng(0)
    X = rng.random((6, 64))
    y = np.array([0, 1, 2, 3, 4, 5])
    probs = np.full((6, 10), 0.01)
    pred = np.array([0, 7, 2, 8, 4, 9])                  # three mistakes
    conf = np.array([0.5, 0.6, 0.5, 0.9, 0.5, 0.7])
    probs[np.arange(6), pred] = conf
    fig = plot_misclassified(X, y, probs, ncols=2)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert [t.split("\n")[0] for t in titles] == ["true 3 → said 8", "true 5 → said 9",
                                                  "true 1 → said 7"]
    assert "p(8) = 0.90" in titles[0]


def test_plot_misclassified_without_mistakes_and_bad_shapes():
    probs = np.eye(3)
    fig = plot_misclassified(np.zeros((3, 64)), np.arange(3), probs)
    assert "No mistakes" in fig.texts[0].get_text()
    with pytest.raises(ValueError, match="same N"):
        plot_misclassified(np.zeros((3, 64)), np.arange(2), probs)


def test_plot_model_histories_marks_the_best_epoch():
    h = History(train_loss=[1.0, 0.5, 0.3], train_acc=[0.5, 0.8, 0.9],
                val_loss=[1.1, 0.6, 0.7], val_acc=[0.4, 0.7, 0.65], best_epoch=2,
                stopped_epoch=3)
    fig = plot_model_histories({"net": h}, title="curves")
    ax_loss = fig.axes[0]
    stars = [line for line in ax_loss.lines if line.get_marker() == "*"]
    assert len(stars) == 1 and stars[0].get_ydata()[0] == 0.6
    assert "best epoch 2" in stars[0].get_label()
    with pytest.raises(ValueError, match="at least one history"):
        plot_model_histories({})


def test_plot_confusion_matrix_writes_each_count_in_its_cell():
    from figures import text_at

    # not symmetric: a transposed matrix (true and predicted swapped) fails
    cm = np.array([[35, 1, 0], [2, 30, 0], [0, 4, 33]])
    fig = plot_confusion_matrix(cm, class_names=["a", "b", "c"], title="CNN on the test set")
    ax = fig.axes[0]
    for (i, j), count in np.ndenumerate(cm):                     # row i (true), column j
        assert text_at(ax, j, i) == (str(count) if count else "·"), (i, j)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    # right: each row's recall, its diagonal over its row sum (35/36, 30/32, 33/37)
    (right,) = [c for c in ax.child_axes]
    assert [t.get_text() for t in right.get_yticklabels()] == ["97%", "94%", "89%"]
    assert ax.get_title() == "CNN on the test set\n98 of 105 right, 7 wrong"
    # the image has one cell per count (3 × 3 RGB)
    assert ax.images[0].get_array().shape == (3, 3, 3)


def test_plot_model_histories_draws_each_curve_at_its_epochs():
    from figures import line

    he = History(train_loss=[1.0, 0.5, 0.3, 0.2], train_acc=[0.5, 0.8, 0.9, 0.95],
                 val_loss=[1.1, 0.6, 0.4, 0.45], val_acc=[0.4, 0.7, 0.8, 0.78], best_epoch=3,
                 stopped_epoch=4)
    n01 = History(train_loss=[2.0, 1.5, 1.2, 1.0], train_acc=[0.2, 0.4, 0.5, 0.6],
                  val_loss=[2.1, 1.6, 1.3, 1.2], val_acc=[0.2, 0.35, 0.45, 0.55], best_epoch=4,
                  stopped_epoch=4)
    fig = plot_model_histories({"He": he, "N(0, 1)": n01}, title="64 → 64 → 10")
    ax_loss, ax_acc = fig.axes
    epochs = np.arange(1, 5)                                     # epoch 1 is the first
    for name, h in (("He", he), ("N(0, 1)", n01)):
        for ax, train, val in ((ax_loss, h.train_loss, h.val_loss),
                               (ax_acc, h.train_acc, h.val_acc)):
            np.testing.assert_array_equal(line(ax, f"{name}, training").get_xydata(),
                                          np.column_stack([epochs, train]))
            np.testing.assert_array_equal(line(ax, f"{name}, validation").get_xydata(),
                                          np.column_stack([epochs, val]))
        b = h.best_epoch
        assert line(ax_loss, f"{name}, best epoch {b}").get_xydata().tolist() == [
            [b, h.val_loss[b - 1]]]
    stars = [ln.get_xydata().tolist() for ln in ax_acc.lines if ln.get_marker() == "*"]
    assert stars == [[[3, 0.8]], [[4, 0.55]]]                   # the same epochs, accuracy
    assert (ax_loss.get_yscale(), ax_acc.get_yscale()) == ("log", "linear")
    assert fig.get_suptitle() == "64 → 64 → 10"


def test_plot_misclassified_draws_each_mistake_with_its_probabilities():
    from figures import bar_heights, image

    rng = np.random.default_rng(0)
    X = rng.random((8, 64))
    y = np.arange(8) % 10
    probs = rng.dirichlet(np.ones(10) * 0.3, size=8)
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)
    order = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")]    # most confident first
    assert len(order) >= 3
    fig = plot_misclassified(X, y, probs, ncols=4)               # chapter 5's ncols
    shown = [ax for ax in fig.axes if ax.images]
    bars = [ax for ax in fig.axes if not ax.images]
    assert len(shown) == len(bars) == len(order)
    for idx, img_ax, bar_ax in zip(order, shown, bars, strict=True):
        np.testing.assert_array_equal(image(img_ax), X[idx].reshape(8, 8))
        np.testing.assert_array_equal(bar_heights(bar_ax), probs[idx])
        t, p = y[idx], pred[idx]
        assert img_ax.get_title() == (f"true {t} → said {p}\np({p}) = {probs[idx, p]:.2f}, "
                                      f"p({t}) = {probs[idx, t]:.2f}")
    # max_images keeps the most confident mistakes
    few = plot_misclassified(X, y, probs, max_images=2)
    np.testing.assert_array_equal([image(ax) for ax in few.axes if ax.images],
                                  [X[i].reshape(8, 8) for i in order[:2]])
