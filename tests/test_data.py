"""Tests of nnlib.data: the real digits, toy sets, splits, one-hot, standardisation, images."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.data import (
    SAMPLE_IMAGES,
    Standardizer,
    digits,
    moons,
    one_hot,
    regression_1d,
    sample_image,
    spirals,
    train_val_test_split,
)

# ---- digits -----------------------------------------------------------------------------


def test_digits_is_the_real_data_set():
    X, y = digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0          # 0..16 scaled by 1/16
    np.testing.assert_array_equal(np.unique(y), np.arange(10))
    assert np.bincount(y).min() >= 170                 # ~180 images of every digit
    assert np.all(np.isin(X * 16, np.arange(17)))      # the raw pixels are integers 0..16


def test_digits_as_images_and_dtype():
    X, y = digits()
    images, y2 = digits(as_images=True, dtype=np.float32)
    assert images.shape == (1797, 1, 8, 8) and images.dtype == np.float32
    np.testing.assert_array_equal(images.reshape(1797, 64), X.astype(np.float32))
    np.testing.assert_array_equal(y, y2)


# ---- toy sets ---------------------------------------------------------------------------


def test_spirals_shapes_and_geometry():
    X, y = spirals(n_per_class=50, n_classes=4, noise=0.0, rng=0)
    assert X.shape == (200, 2) and X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [50] * 4)
    radius = np.hypot(X[:, 0], X[:, 1])
    # without noise the radius runs evenly from 0 to 1 along each arm
    np.testing.assert_allclose(radius[:50], np.linspace(0, 1, 50), atol=1e-12)
    assert np.all(radius <= 1 + 1e-12)


def test_moons_shapes_and_arcs():
    X, y = moons(n=101, noise=0.0, rng=0)
    assert X.shape == (101, 2) and y.dtype == np.int64
    assert np.sum(y == 0) == 50 and np.sum(y == 1) == 51
    # class 0 lies on the unit circle, class 1 on the circle of centre (1, 0.5)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0, atol=1e-12)


def test_regression_1d_is_a_noisy_sine():
    x, t = regression_1d(n=40, noise=0.0, rng=1)
    assert x.shape == (40, 1) and t.shape == (40, 1)
    assert np.all(np.diff(x[:, 0]) >= 0) and 0 <= x.min() and x.max() <= 1
    np.testing.assert_allclose(t, np.sin(2 * np.pi * x), atol=1e-12)
    _, noisy = regression_1d(n=40, noise=0.5, rng=1)
    assert np.std(noisy - t) > 0.2          # noise of std 0.5 is really added


@pytest.mark.parametrize("make", [spirals, moons, regression_1d])
def test_toy_sets_follow_the_rng(make):
    a, b, c = make(rng=3), make(rng=np.random.default_rng(3)), make(rng=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("call, match", [
    (lambda: spirals(n_classes=1), "n_classes must be >= 2"),
    (lambda: spirals(noise=-0.1), "noise must be >= 0"),
    (lambda: moons(n=1), "n must be >= 2"),
    (lambda: regression_1d(n=0), "n must be >= 1"),
])
def test_toy_sets_reject_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- splits -----------------------------------------------------------------------------


def _check_split(y, parts, val, test):
    """Disjoint, covering, and each class within one sample of its share in each split."""
    Xtr, ytr, Xval, yval, Xte, yte = parts
    idx = np.concatenate([Xtr[:, 0], Xval[:, 0], Xte[:, 0]]).astype(int)
    np.testing.assert_array_equal(np.sort(idx), np.arange(len(y)))     # disjoint and covering
    for Xs, ys in [(Xtr, ytr), (Xval, yval), (Xte, yte)]:
        np.testing.assert_array_equal(ys, y[Xs[:, 0].astype(int)])     # rows stay paired
    counts = np.bincount(y)
    k = len(counts)
    for ys, frac in [(yte, test), (yval, val), (ytr, 1 - val - test)]:
        assert np.all(np.abs(np.bincount(ys, minlength=k) - frac * counts) <= 1 + 1e-9)


def test_split_of_the_digits_is_stratified_disjoint_and_covering():
    _, y = digits()
    X = np.arange(len(y))[:, None]              # the row number as the feature: traceable
    parts = train_val_test_split(X, y, val=0.2, test=0.2, rng=0)
    assert [len(p) for p in parts[1::2]] == [1079, 359, 359]
    _check_split(y, parts, 0.2, 0.2)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=20, max_size=200),
       st.floats(0.05, 0.4), st.floats(0.05, 0.4), st.integers(0, 2**32 - 1))
def test_split_property(labels, val, test, seed):
    y = np.array(labels)
    X = np.arange(len(y))[:, None]
    parts = train_val_test_split(X, y, val=val, test=test, rng=seed)
    _check_split(y, parts, val, test)
    assert len(parts[5]) == round(test * len(y))     # the test set has its exact size


def test_split_is_reproducible_and_shuffled():
    X, y = moons(n=100, rng=0)
    a = train_val_test_split(X, y, rng=5)
    b = train_val_test_split(X, y, rng=5)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p, q)
    assert 0 < a[1].mean() < 1 and not np.all(np.diff(a[1]) >= 0)   # classes mixed, not blocks


def test_split_without_stratify_takes_regression_targets_and_val_zero():
    X, t = regression_1d(n=50, rng=0)
    Xtr, ttr, Xval, tval, Xte, tte = train_val_test_split(X, t, val=0.0, test=0.2,
                                                          stratify=False, rng=0)
    assert (len(Xtr), len(Xval), len(Xte)) == (40, 0, 10)
    assert Xval.shape == (0, 1) and tval.shape == (0, 1)
    np.testing.assert_array_equal(np.sort(np.concatenate([Xtr, Xte])[:, 0]), X[:, 0])


@pytest.mark.parametrize("kwargs, match", [
    (dict(val=0.5, test=0.5), "val \\+ test < 1"),
    (dict(test=0.0), "test must be in \\(0, 1\\)"),
    (dict(val=1.0), "val must be in \\[0, 1\\)"),
    (dict(val=-0.1), "val must be in"),
])
def test_split_rejects_bad_fractions(kwargs, match):
    X, y = moons(rng=0)
    with pytest.raises(ValueError, match=match):
        train_val_test_split(X, y, **kwargs)


def test_split_rejects_mismatch_float_labels_and_too_few_samples():
    X, y = moons(n=20, rng=0)
    with pytest.raises(ValueError, match="same number of rows"):
        train_val_test_split(X, y[:-1])
    with pytest.raises(ValueError, match="stratify=False"):
        train_val_test_split(X, y.astype(float))
    with pytest.raises(ValueError, match="empty"):
        train_val_test_split(X[:2], y[:2], val=0.2, test=0.2, stratify=False)


# ---- one-hot ----------------------------------------------------------------------------


def test_one_hot():
    Y = one_hot(np.array([2, 0, 1, 2]))
    np.testing.assert_array_equal(Y, np.eye(3)[[2, 0, 1, 2]])
    assert Y.dtype == np.float64
    assert one_hot(np.array([0, 1]), num_classes=5).shape == (2, 5)
    np.testing.assert_array_equal(one_hot(np.array([3, 1]), 4).argmax(axis=1), [3, 1])


@pytest.mark.parametrize("y, k, err, match", [
    (np.array([0, -1]), None, ValueError, "labels >= 0, got -1"),
    (np.array([0.0, 1.0]), None, TypeError, "integer class labels, got dtype float64"),
    (np.array([[0, 1]]), None, ValueError, "1-D integer class labels"),
    (np.array([0, 3]), 3, ValueError, "num_classes must be > the largest label 3, got 3"),
    (np.array([0, 1]), 0, ValueError, "num_classes must be >= 1"),
])
def test_one_hot_rejects_bad_labels(y, k, err, match):
    with pytest.raises(err, match=match):
        one_hot(y, k)


# ---- standardisation --------------------------------------------------------------------


def test_standardizer_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    Xtr = rng.normal(3.0, 2.0, size=(100, 4))
    Xte = rng.normal(-5.0, 9.0, size=(30, 4))
    s = Standardizer().fit(Xtr)
    Ztr, Zte = s.transform(Xtr), s.transform(Xte)
    # float64 round-off on 100 numbers of size ~10: far below 1e-12
    np.testing.assert_allclose(Ztr.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Ztr.std(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(Zte, (Xte - Xtr.mean(0)) / Xtr.std(0), rtol=1e-12)
    assert abs(Zte.mean()) > 1                   # the test set is not re-centred on itself
    np.testing.assert_allclose(s.inverse_transform(Zte), Xte, rtol=1e-12)
    np.testing.assert_allclose(Standardizer().fit_transform(Xtr), Ztr, rtol=1e-12)


def test_standardizer_guards_constant_features_and_images():
    X, _ = digits(as_images=True)
    s = Standardizer().fit(X)
    Z = s.transform(X)
    assert Z.shape == X.shape and np.all(np.isfinite(Z))
    assert np.all(Z[:, 0, 0, 0] == 0)            # a pixel that is always 0: centred, not scaled


def test_standardizer_errors():
    with pytest.raises(ValueError, match="before fit"):
        Standardizer().transform(np.zeros((2, 3)))
    s = Standardizer().fit(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"expected X of shape \(N, 3\).*got \(2, 4\)"):
        s.transform(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="must be finite"):
        Standardizer().fit(np.array([[1.0], [np.nan]]))


# ---- sample images ----------------------------------------------------------------------


def test_sample_image_gray_in_unit_range():
    img = sample_image()
    assert img.shape == (600, 512) and img.dtype == np.float64
    assert 0.0 <= img.min() and img.max() <= 1.0 and img.std() > 0.1   # a real photograph


def test_sample_image_block_average():
    full = sample_image()
    small = sample_image(size=64)
    assert small.shape == (64, 64)
    # 600 // 64 = 9 rows and 512 // 64 = 8 columns per block; the centre 576 rows are kept
    np.testing.assert_allclose(small[0, 0], full[12:21, 0:8].mean(), rtol=1e-12)
    assert sample_image(size=(30, 20)).shape == (30, 20)


@pytest.mark.parametrize("name", sorted(SAMPLE_IMAGES))
def test_sample_image_colour(name):
    img = sample_image(name, gray=False)
    assert img.ndim == 3 and img.shape[2] == 3
    assert 0.0 <= img.min() and img.max() <= 1.0


def test_sample_image_errors():
    with pytest.raises(ValueError, match="name must be one of"):
        sample_image("lena")
    with pytest.raises(ValueError, match=r"at most the image's \(600, 512\)"):
        sample_image(size=1000)
    with pytest.raises(ValueError, match=r"an int or a pair \(h, w\), got \(1, 2, 3\)"):
        sample_image(size=(1, 2, 3))


def test_standardize_uses_training_statistics_for_every_array():
    from nnlib.data import Standardizer, standardize

    rng = np.random.default_rng(0)
    Xtr, Xte = rng.normal(3, 2, (50, 4)), rng.normal(3, 2, (20, 4))
    Xtr_s, Xte_s = standardize(Xtr, Xte)
    scaler = Standardizer().fit(Xtr)
    # The same arithmetic on the same arrays: equal to the last bit.
    np.testing.assert_array_equal(Xte_s, scaler.transform(Xte))
    np.testing.assert_allclose(Xtr_s.mean(axis=0), 0, atol=1e-12)  # rounding of a mean of 50
