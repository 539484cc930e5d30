"""The learning-rate explorer of chapter 2 draws the right thing.

Each test reads back what a figure shows (the array of an ``AxesImage``, the data of a
``Line2D``, the suptitle) and compares it with what the library computes. Axes are found
by the labels the drawing functions give them (``ax.get_label()``).
"""

import warnings

import numpy as np
import pytest
from figures import axes

from nnlib import plotting as P


def test_lr_grid_spans_the_regimes_on_both_problems():
    bowl = [P.lr_bowl_run(lr)["verdict"] for lr in P.LR_GRID]
    net = [P.lr_network_run(lr)["verdict"] for lr in P.LR_GRID]
    assert bowl == net, "the two panels disagree on some η of the grid"
    # the verdicts of the text of chapter 2 ("Things to try"), in order of η
    assert bowl == ["too small"] * 3 + ["slow", "good", "good", "zig-zags", "diverges"]
    assert [P.lr_verdict(lr) for lr in P.LR_GRID] == bowl


@pytest.mark.parametrize("lr", P.LR_GRID)
def test_lr_bowl_verdict_agrees_with_the_path(lr):
    """Each verdict is what the drawn path does: the distance left after the steps shown
    and the per-step factors |1 − η a| of the flat and the steep direction."""
    run = P.lr_bowl_run(lr)
    path, verdict, left = run["path"], run["verdict"], run["left"]
    a_min, a_max = P.LR_BOWL["curvatures"]
    assert run["factors"] == pytest.approx((abs(1 - lr * a_min), abs(1 - lr * a_max)),
                                           rel=1e-12)              # float rounding only
    with np.errstate(all="ignore"):
        dist = np.linalg.norm(path, axis=1)
        np.testing.assert_allclose(left, dist[-1] / dist[0], rtol=1e-12)
        signs = np.sign(path @ np.array([np.cos(np.deg2rad(30 + 90)),
                                         np.sin(np.deg2rad(30 + 90))]))
    flips = int(np.sum(signs[1:] != signs[:-1]))    # sign changes along the steep axis
    if verdict == "diverges":
        assert not dist[-1] <= dist[0] and max(run["factors"]) > 1
    else:
        assert max(run["factors"]) < 1 and left < 1         # it gets closer: it converges
        if verdict == "zig-zags":
            assert flips == P.LR_BOWL["steps"]              # overshoots at every step
        else:
            assert flips == 0
            assert {"too small": left > 0.45, "slow": 0.1 < left <= 0.45,
                    "good": left <= 0.1}[verdict]


def test_lr_titles_state_the_verdict_and_its_number():
    assert P.plot_lr(0.1).get_suptitle() == ("η = 0.1: converges, but slowly — after 30 steps "
                                             "29 % of the distance to the minimum is left")
    assert P.plot_lr(3.0).get_suptitle().startswith("η = 3: converges, zig-zagging — "
                                                    "|1 − η·a_max| = 0.8 < 1")
    title = axes(P.plot_lr(0.1), "bowl").get_title()
    assert "converges slowly" in title and "29 % of the distance left" in title
    assert "L" not in P.plot_lr(0.1).get_suptitle().replace("η", "")   # a, not L


def test_lr_bowl_threshold_is_two_over_the_largest_curvature():
    crit = P.lr_critical()
    assert crit == pytest.approx(2 / max(P.LR_BOWL["curvatures"]))
    assert P.lr_bowl_run(0.98 * crit)["verdict"] == "zig-zags"
    assert P.lr_bowl_run(1.02 * crit)["verdict"] == "diverges"
    assert P.lr_bowl_run(0.98 / max(P.LR_BOWL["curvatures"]))["verdict"] == "good"


@pytest.mark.parametrize("lr", [10.0, 1e3, 1e6])
def test_diverging_runs_draw_without_any_warning(lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert P.lr_verdict(lr) == "diverges"
        fig = P.plot_lr(lr)
    assert fig.get_suptitle().startswith(f"η = {lr:g}: diverges")
    labels = axes(fig, "network").get_legend_handles_labels()[1]
    assert any(lab.startswith("diverged") for lab in labels), labels


def test_lr_network_nan_divergence_is_reported_by_history():
    run = P.lr_network_run(1e6)          # so large that the loss overflows to inf/NaN
    assert run["diverged"] and run["verdict"] == "diverges"
    assert len(run["loss"]) < P.LR_NETWORK["epochs"] + 1     # fit stopped early


def test_plot_lr_shows_the_runs():
    fig = P.plot_lr(0.3)
    assert fig.get_suptitle().startswith("η = 0.3: converges — after 30 steps 7 %")
    path = P.lr_bowl_run(0.3)["path"]
    line = axes(fig, "bowl").lines[0]
    np.testing.assert_array_equal(line.get_xdata(), path[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), path[:, 1])
    loss = P.lr_network_run(0.3)["loss"]
    mine = [ln for ln in axes(fig, "network").lines if ln.get_label() == "η = 0.3"]
    np.testing.assert_array_equal(mine[0].get_ydata(), loss)
    note = " ".join(t.get_text() for t in axes(fig, "bowl").texts)
    assert "curvatures a = 0.2, 0.6" in note and "critical η = 2/a_max = 3.33" in note
    assert "per step |1 − ηa| = 0.94, 0.82" in note


def test_lr_runs_are_cached_and_read_only():
    a, b = P.lr_network_run(0.1), P.lr_network_run(0.1)
    assert a["loss"] is b["loss"]
    with pytest.raises(ValueError):
        a["loss"][0] = 0.0


@pytest.mark.parametrize("bad", [0.0, -0.1, float("nan")])
def test_lr_validates(bad):
    with pytest.raises(ValueError, match="lr"):
        P.plot_lr(bad)
    with pytest.raises(ValueError, match="lr"):
        P.lr_verdict(bad)
