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
