"""The batch-size explorer of chapter 2 draws the right thing. It reads back what a
figure shows and compares it with what the library computes."""

import numpy as np
import pytest
from figures import axes

from nnlib import plotting as P


def _sgd_reference(B, lr):
    """Mini-batch SGD for the line written out again, independently of explorer_batch."""
    x, y = P.batch_data()
    n, epochs = P.BATCH_SETUP["n"], P.BATCH_SETUP["epochs"]
    rng = np.random.default_rng(P.BATCH_SETUP["order_seed"])
    w, b = P.BATCH_SETUP["start"]
    path = [(w, b)]
    for _ in range(epochs):
        order = rng.permutation(n)
        for batch in np.array_split(order, np.arange(B, n, B)):
            r = w * x[batch] + b - y[batch]
            w, b = w - lr * np.mean(2 * r * x[batch]), b - lr * np.mean(2 * r)
            path.append((w, b))
    return np.array(path)


def test_batch_data_is_the_line_of_chapter_2():
    x, y = P.batch_data()
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0, 2, 100)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, 1.5 * x0 - 1 + 0.3 * rng.standard_normal(100))


@pytest.mark.parametrize("B", P.BATCH_GRID)
@pytest.mark.parametrize("lr", P.BATCH_LR_GRID)
def test_batch_run_counts_the_updates_and_follows_sgd(B, lr):
    run = P.batch_run(B, lr)
    n, epochs = P.BATCH_SETUP["n"], P.BATCH_SETUP["epochs"]
    assert run["updates_per_epoch"] == int(np.ceil(n / B))
    assert len(run["path"]) == epochs * int(np.ceil(n / B)) + 1
    # the same iterates as SGD written out here (other summation order: 1e-12 of rounding)
    np.testing.assert_allclose(run["path"], _sgd_reference(B, lr), rtol=0, atol=1e-12)
    x, y = P.batch_data()
    ein = [np.mean((w * x + b - y) ** 2) for w, b in run["path"]]
    np.testing.assert_allclose(run["ein"], ein, rtol=1e-12)
    assert run["uphill"] == int(np.sum(np.diff(ein) > 0))


def test_batch_noise_shrinks_with_B_and_vanishes_for_the_full_batch():
    noise = [P.batch_run(B, 0.1)["noise"] for B in P.BATCH_GRID]
    assert all(a > b for a, b in zip(noise, noise[1:], strict=False))
    assert noise[-1] == 0.0                              # B = n: the exact gradient
    # the formula of the text's table, checked against 20 000 random batches of 16
    x, y = P.batch_data()
    w, b = P.BATCH_SETUP["start"]
    r = w * x + b - y
    g = np.column_stack([2 * r * x, 2 * r])
    rng = np.random.default_rng(5)
    errs = [np.sum((g[rng.choice(100, 16, replace=False)].mean(0) - g.mean(0)) ** 2)
            for _ in range(20000)]
    # 20 000 draws: the RMS estimate has a relative standard error of about 1 %; allow 5 %
    assert np.sqrt(np.mean(errs)) == pytest.approx(P.batch_run(16, 0.1)["noise"], rel=0.05)
    # full batch, η below the limit: never uphill; B = 1: many uphill steps
    assert P.batch_run(100, 0.1)["uphill"] == 0 and P.batch_run(1, 0.1)["uphill"] > 100


def test_plot_batch_shows_the_run():
    fig = P.plot_batch(32, 0.1)
    run = P.batch_run(32, 0.1)
    line = axes(fig, "path").lines[0]
    np.testing.assert_array_equal(line.get_xdata(), run["path"][:, 0])
    np.testing.assert_array_equal(line.get_ydata(), run["path"][:, 1])
    mine = [ln for ln in axes(fig, "loss").lines if ln.get_label() == "B = 32"]
    np.testing.assert_array_equal(mine[0].get_ydata(), run["ein"])
    np.testing.assert_array_equal(mine[0].get_xdata(), np.arange(21) / 4)   # epochs
    title = fig.get_suptitle()
    assert title.startswith("B = 32, η = 0.1: ⌈100/32⌉ = 4 updates per epoch (the last "
                            "batch has 4 examples)")
    assert f"noise of one batch gradient at the start: {run['noise']:.2f}" in title
    assert "⌈100/1⌉ = 100 updates" in P.plot_batch(1, 0.1).get_suptitle()
    assert "⌈100/100⌉ = 1 update per epoch\n" in P.plot_batch(100, 0.1).get_suptitle()


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_batch_validates(bad):
    with pytest.raises((ValueError, TypeError), match="batch_size"):
        P.plot_batch(bad, 0.1)
    with pytest.raises(ValueError, match="lr"):
        P.batch_run(16, 0.0)
