"""The weight-decay explorer of chapter 7 draws the right thing. It reads back what a
figure shows and compares it with what the library computes."""

import numpy as np
import pytest
from figures import axes

from nnlib import plotting as P


def test_weight_decay_shrinks_the_weights_and_the_gap():
    runs = {lam: P.weight_decay_run(lam) for lam in P.WEIGHT_DECAY_GRID}
    norms = [float(np.sum(runs[lam]["weights"] ** 2)) for lam in P.WEIGHT_DECAY_GRID]
    assert all(a > b for a, b in zip(norms[:5], norms[1:6], strict=True)), norms
    assert all(a >= b for a, b in zip(norms, norms[1:], strict=False)), norms

    def gap(lam):
        return runs[lam]["val_loss"][-1] - runs[lam]["train_loss"][-1]

    assert gap(0.0) > 2 * gap(0.01)
    assert P.weight_decay_verdict(0.0) == "overfits"
    assert P.weight_decay_verdict(0.01) == "good fit"
    assert P.weight_decay_verdict(1.0) == "underfits"


def test_plot_weight_decay_shows_the_run():
    fig = P.plot_weight_decay(0.01)
    assert fig.get_suptitle().startswith("λ = 0.01 (the notes' choice): good fit")
    run = P.weight_decay_run(0.01)
    lines = axes(fig, "loss").lines
    np.testing.assert_array_equal(lines[0].get_ydata(), run["train_loss"])
    np.testing.assert_array_equal(lines[1].get_ydata(), run["val_loss"])
    # the histogram is one step patch (hist's 48 bars drawn as one): the counts of the
    # weights, clipped to [-3, 3], on 48 equal bins of [-3, 3]
    (stairs,) = axes(fig, "weights").patches
    counts, edges, baseline = stairs.get_data()
    np.testing.assert_array_equal(edges, np.linspace(-3, 3, 49))
    np.testing.assert_array_equal(
        counts, np.histogram(np.clip(run["weights"], -3, 3), bins=edges)[0])
    assert baseline == 0 and stairs.get_fill()
    assert sum(counts) == run["weights"].size == 2 * 64 + 64 * 64 + 64 * 2
    assert f"Σw² = {np.sum(run['weights'] ** 2):.3g}" in axes(fig, "weights").get_title()
    assert "the notes' choice" not in P.plot_weight_decay(0.0).get_suptitle()


def test_decayed_weights_show_a_bound_not_round_off():
    """At λ = 1 the weights decay to ~1e-18 each: their Σw² (~1e-36) is round-off, whose
    digits differ between CPUs, so the title shows the bound instead."""
    from nnlib.plotting.ch07_explorer_weight_decay import DECAYED_BELOW

    run = P.weight_decay_run(1.0)
    assert np.sum(run["weights"] ** 2) < DECAYED_BELOW
    title = axes(P.plot_weight_decay(1.0), "weights").get_title()
    assert title == f"{run['weights'].size} weights: Σw² < 1e-6 (decayed to 0)"


def test_weight_decay_validates():
    with pytest.raises(ValueError, match="lam"):
        P.plot_weight_decay(-0.01)
    with pytest.raises(TypeError, match="lam"):
        P.weight_decay_verdict("0.1")
