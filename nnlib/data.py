"""Data for the book: the real 8x8 digits, toy sets, splits, one-hot and standardisation.

Everything here is offline. :func:`digits` reads the handwritten digits that
scikit-learn ships, :func:`sample_image` a photograph that ships with matplotlib, and
the toy sets (:func:`spirals`, :func:`moons`, :func:`regression_1d`) are drawn with
numpy from an ``rng``. Classification labels are ``int64`` arrays of shape ``(N,)``.

A note on the lecture notes (§8.1): they take the validation set "of the test set".
It must come out of the *training* data instead; the test set is touched once, at the
very end, or it stops measuring out-of-sample error. :func:`train_val_test_split`
does it that way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_array, check_finite, make_rng, positive_int, real_number

SAMPLE_IMAGES = {
    "grace_hopper": "grace_hopper.jpg",
    "logo": "logo2.png",
    "present": "Minduka_Present_Blue_Pack.png",
}
"""Names accepted by :func:`sample_image` and the matplotlib sample file each one reads."""


# ---- labels -----------------------------------------------------------------------------

def _labels(y, name: str = "y", owner: str = "") -> np.ndarray:
    """Return ``y`` as 1-D ``int64`` class labels ``0, 1, ...``, or explain what is wrong."""
    where = f"{owner} " if owner else ""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{where}{name} must be 1-D integer class labels, got shape {y.shape}")
    if y.dtype.kind not in "iu":
        raise TypeError(f"{where}{name} must hold integer class labels, got dtype {y.dtype}")
    if y.size and y.min() < 0:
        raise ValueError(f"{where}{name} must hold labels >= 0, got {y.min()}")
    return y.astype(np.int64, copy=False)


def one_hot(y, num_classes: int | None = None) -> np.ndarray:
    """Rows of the identity: label ``k`` becomes ``e_k``, the target ``y`` of cross-entropy.

    Parameters
    ----------
    y : array of int, shape (N,)
        Class labels ``0 .. K-1``.
    num_classes : int, optional
        ``K``; by default ``max(y) + 1``.

    Returns
    -------
    ndarray, shape (N, K), float64
    """
    y = _labels(y, owner="one_hot")
    needed = int(y.max()) + 1 if y.size else 0
    if num_classes is None:
        num_classes = max(needed, 1)
    num_classes = positive_int(num_classes, "num_classes", owner="one_hot")
    if num_classes < needed:
        raise ValueError(f"one_hot num_classes must be > the largest label {needed - 1}, "
                         f"got {num_classes}")
    out = np.zeros((y.size, num_classes))
    out[np.arange(y.size), y] = 1.0
    return out


# ---- real data --------------------------------------------------------------------------

def digits(*, as_images: bool = False, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """The 1797 handwritten 8x8 digits (UCI) bundled with scikit-learn; no download.

    Pixels are scaled from ``0..16`` to ``[0, 1]``.

    Returns
    -------
    X : ndarray, shape (1797, 64), or (1797, 1, 8, 8) when ``as_images``
        The images as rows, or as one-channel images ``(N, C, H, W)`` for ``Conv2D``.
    y : ndarray of int64, shape (1797,)
        The digit, ``0 .. 9``.
    """
    from sklearn.datasets import load_digits

    bunch = load_digits()
    X = (bunch.data / 16.0).astype(dtype)
    if as_images:
        X = X.reshape(-1, 1, 8, 8)
    return X, bunch.target.astype(np.int64)


def sample_image(name: str = "grace_hopper", gray: bool = True,
                 size: int | tuple[int, int] | None = None) -> np.ndarray:
    """A picture that ships with matplotlib, as floats in ``[0, 1]``.

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_IMAGES` (``"grace_hopper"``, a 600x512 photograph, by default).
    gray : bool
        Return luminance ``0.299 R + 0.587 G + 0.114 B``, shape ``(H, W)``; otherwise
        ``(H, W, 3)`` RGB. Transparent pixels are put on white.
    size : int or (int, int), optional
        Shrink to ``(h, w)`` (an int means square) by averaging ``H//h x W//w`` blocks,
        after cropping the centre to a multiple of the block; e.g. 64 for fast
        convolution demos.

    Returns
    -------
    ndarray, float64, values in ``[0, 1]``
    """
    if name not in SAMPLE_IMAGES:
        raise ValueError(f"sample_image name must be one of {sorted(SAMPLE_IMAGES)}, "
                         f"got {name!r}")
    import matplotlib.cbook as cbook
    import matplotlib.image as mpimg

    img = np.asarray(mpimg.imread(cbook.get_sample_data(SAMPLE_IMAGES[name], asfileobj=False)))
    img = img / 255.0 if img.dtype == np.uint8 else img.astype(np.float64)
    if img.shape[-1] == 4:                        # RGBA: composite on white
        alpha = img[..., 3:]
        img = img[..., :3] * alpha + (1.0 - alpha)
    if gray:
        img = img @ np.array([0.299, 0.587, 0.114])
    if size is not None:
        img = _block_average(img, size)
    return np.clip(img, 0.0, 1.0)


def _block_average(img: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    """Shrink ``img (H, W, ...)`` to ``(h, w, ...)`` by the mean of each block."""
    pair = (size, size) if np.isscalar(size) else tuple(size)
    if len(pair) != 2:
        raise ValueError(f"sample_image size must be an int or a pair (h, w), got {size!r}")
    H, W = img.shape[:2]
    h, w = (positive_int(v, "size", owner="sample_image") for v in pair)
    if h > H or w > W:
        raise ValueError(f"sample_image size must be at most the image's ({H}, {W}), "
                         f"got ({h}, {w})")
    fh, fw = H // h, W // w
    top, left = (H - h * fh) // 2, (W - w * fw) // 2
    img = img[top:top + h * fh, left:left + w * fw]
    return img.reshape(h, fh, w, fw, *img.shape[2:]).mean(axis=(1, 3))


# ---- toy data ---------------------------------------------------------------------------

def spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2,
            rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms in the plane, one per class: not linearly separable.

    Arm ``j`` has radius ``r`` from 0 to 1 and angle ``4r + 4j`` (radians) plus
    Gaussian noise of standard deviation ``noise`` on the angle (the cs231n spirals).

    Returns
    -------
    X : ndarray, shape (n_per_class * n_classes, 2)
    y : ndarray of int64, shape (n_per_class * n_classes,), class ``j`` in a block
    """
    n = positive_int(n_per_class, "n_per_class", owner="spirals")
    k = positive_int(n_classes, "n_classes", minimum=2, owner="spirals")
    noise = real_number(noise, "noise", low=0.0, owner="spirals")
    rng = make_rng(rng)
    r = np.tile(np.linspace(0.0, 1.0, n), k)
    y = np.repeat(np.arange(k, dtype=np.int64), n)
    t = 4.0 * (r + y) + noise * rng.standard_normal(n * k)
    return np.column_stack([r * np.sin(t), r * np.cos(t)]), y


def moons(n: int = 200, noise: float = 0.1, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as scikit-learn's ``make_moons``, drawn with numpy).

    Class 0 is the upper arc ``(cos θ, sin θ)``, class 1 the lower one
    ``(1 − cos θ, 0.5 − sin θ)``, ``θ`` evenly spaced in ``[0, π]``, plus Gaussian noise
    of standard deviation ``noise`` on both coordinates.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int64, shape (n,): ``n // 2`` zeros, then ones
    """
    n = positive_int(n, "n", minimum=2, owner="moons")
    noise = real_number(noise, "noise", low=0.0, owner="moons")
    rng = make_rng(rng)
    n0 = n // 2
    t0, t1 = np.linspace(0.0, np.pi, n0), np.linspace(0.0, np.pi, n - n0)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])])
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n - n0])
    return X + noise * rng.standard_normal(X.shape), y


def regression_1d(n: int = 50, noise: float = 0.1, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """A noisy curve ``y = sin(2πx) + ε``, ``x`` uniform in ``[0, 1]``, ``ε ~ N(0, noise²)``.

    Few points and a flexible network overfit it visibly: the demo of §8.

    Returns
    -------
    X : ndarray, shape (n, 1), sorted
    y : ndarray, shape (n, 1), the targets of ``MSELoss``
    """
    n = positive_int(n, "n", owner="regression_1d")
    noise = real_number(noise, "noise", low=0.0, owner="regression_1d")
    rng = make_rng(rng)
    x = np.sort(rng.uniform(0.0, 1.0, n))[:, None]
    return x, np.sin(2 * np.pi * x) + noise * rng.standard_normal((n, 1))


# ---- splits -----------------------------------------------------------------------------

def _round_shares(exact: np.ndarray, total: int, low: np.ndarray,
                  high: np.ndarray) -> np.ndarray:
    """Integers between ``low`` and ``high`` close to ``exact`` that sum to ``total`` (or
    as near as the bounds allow): start at ``low``, then add one where ``exact`` exceeds
    the count most (largest remainder)."""
    take, high = low.astype(np.int64), high.astype(np.int64)
    for i in np.argsort(take - exact, kind="stable"):
        if take.sum() >= total:
            break
        take[i] += take[i] < high[i]
    return take


def train_val_test_split(X, y, *, val: float = 0.2, test: float = 0.2, stratify: bool = True,
                         rng=None) -> tuple[np.ndarray, ...]:
    """Shuffle and split into training, validation and test sets.

    ``val`` and ``test`` are fractions of the *whole* data; the test set is set aside
    first and the validation set is taken from what is left, the training data (not
    from the test set, as the notes have it). ``val=0`` gives a plain train/test split
    (the validation arrays are then empty). With ``stratify`` every class is split in
    the same proportions: each split holds within one sample of its share of each class.
    The test set has ``round(test · N)`` samples, the validation set as near to
    ``round(val · N)`` as that allows (exactly, in all but tiny data sets).

    Parameters
    ----------
    X : array, shape (N, ...)
    y : array, shape (N, ...)
        Integer class labels ``(N,)`` when ``stratify``; anything with ``N`` rows otherwise
        (e.g. regression targets, with ``stratify=False``).
    val : float in [0, 1)
    test : float in (0, 1), ``val + test < 1``
    stratify : bool
    rng : numpy.random.Generator or int, optional

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test
        Copies, each split in random order.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"train_val_test_split expected X and y with the same number of rows, "
                         f"got shapes {X.shape} and {y.shape}")
    val = real_number(val, "val", low=0.0, high=1.0, high_open=True,
                      owner="train_val_test_split")
    test = real_number(test, "test", low=0.0, high=1.0, low_open=True, high_open=True,
                       owner="train_val_test_split")
    if val + test >= 1.0:
        raise ValueError(f"train_val_test_split needs val + test < 1 to leave training data, "
                         f"got {val:g} + {test:g} = {val + test:g}")
    rng = make_rng(rng)
    n = len(y)
    if stratify:
        if y.ndim != 1 or y.dtype.kind not in "iu":
            raise ValueError(f"train_val_test_split with stratify=True needs 1-D integer class "
                             f"labels y, got shape {y.shape} and dtype {y.dtype} (use "
                             f"stratify=False for regression targets)")
        groups = [np.flatnonzero(y == c) for c in np.unique(y)]
    else:
        groups = [np.arange(n)]
    counts = np.array([len(g) for g in groups])
    share_test, share_val, share_train = test * counts, val * counts, (1 - val - test) * counts
    n_test = _round_shares(share_test, round(test * n),
                           np.floor(share_test), np.ceil(share_test))
    # validation: within 1 of its share, and such that the training rest is too
    rest = counts - n_test
    n_val = _round_shares(share_val, round(val * n),
                          np.maximum(np.floor(share_val), rest - np.ceil(share_train)),
                          np.minimum(np.ceil(share_val), rest - np.floor(share_train)))
    parts: tuple[list, list, list] = ([], [], [])
    for g, t, v in zip(groups, n_test, n_val, strict=True):
        g = rng.permutation(g)
        parts[2].append(g[:t])
        parts[1].append(g[t:t + v])
        parts[0].append(g[t + v:])
    out = []
    for split, idx in zip(("training", "validation", "test"), parts, strict=True):
        idx = rng.permutation(np.concatenate(idx))
        if idx.size == 0 and not (split == "validation" and val == 0):
            raise ValueError(f"train_val_test_split left the {split} set empty: {n} samples "
                             f"are too few for val={val:g}, test={test:g}")
        out += [X[idx], y[idx]]
    return tuple(out)


# ---- standardisation --------------------------------------------------------------------

@dataclass
class Standardizer:
    """Shift and scale each feature to mean 0 and standard deviation 1.

    The statistics come from the training data only (``fit``) and are then applied,
    unchanged, to validation and test data (``transform``): computing them on all the
    data would leak the test set into training. A feature that is constant in the
    training data (std 0, e.g. a corner pixel of the digits) is only centred.

    Example
    -------
    >>> scaler = Standardizer().fit(X_train)
    >>> X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    """

    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    def fit(self, X) -> Standardizer:
        """Store the per-feature mean and std of ``X (N, ...)`` over its rows; returns ``self``."""
        X = as_array(X, "X", owner="Standardizer.fit")
        if X.ndim == 0 or len(X) == 0:
            raise ValueError(f"Standardizer.fit expected X with at least one row, got shape "
                             f"{X.shape}")
        check_finite(X, "X", owner="Standardizer.fit")
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0).astype(X.dtype)
        return self

    def transform(self, X) -> np.ndarray:
        """``(X − mean) / std`` with the stored statistics."""
        if self.mean is None or self.std is None:
            raise ValueError("Standardizer.transform called before fit: call fit(X_train) first")
        X = as_array(X, "X", owner="Standardizer.transform")
        if X.shape[1:] != self.mean.shape:
            raise ValueError(f"Standardizer.transform expected X of shape (N, "
                             f"{', '.join(map(str, self.mean.shape))}) like the training data, "
                             f"got {X.shape}")
        return (X - self.mean) / self.std

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X) -> np.ndarray:
        """``X · std + mean``: back to the original units."""
        if self.mean is None or self.std is None:
            raise ValueError("Standardizer.inverse_transform called before fit")
        return as_array(X, "X", owner="Standardizer.inverse_transform") * self.std + self.mean


def standardize(X_train, *others) -> tuple[np.ndarray, ...]:
    """Standardise ``X_train`` and any ``others`` (validation, test) with the training
    set's per-feature mean and std: ``(X_train_s, *others_s)``.

    A shortcut for :class:`Standardizer` when the statistics are not needed later.
    """
    scaler = Standardizer().fit(X_train)
    return (scaler.transform(X_train), *(scaler.transform(X) for X in others))
