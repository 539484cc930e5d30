"""The temperature explorer of chapter 8 draws the right thing. It reads back what a
figure shows and compares it with what the library computes."""

import numpy as np
import pytest
from figures import axes

from nnlib import plotting as P


@pytest.mark.parametrize("T", P.TEMPERATURE_GRID)
@pytest.mark.parametrize("c", range(4))
def test_temperature_run_is_softmax_of_scaled_scores(T, c):
    run = P.temperature_run(T, c)
    s = np.array(P.TEMPERATURE_SCORES) / T
    p = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    np.testing.assert_allclose(run["p"], p, rtol=1e-12)           # float rounding only
    # −ln p_c, written via log-sum-exp (p_c underflows nowhere here, but stays exact)
    loss = -(s[c] - s.max() - np.log(np.exp(s - s.max()).sum()))
    assert run["loss"] == pytest.approx(loss, rel=1e-12)


def test_temperature_sharpens_and_flattens():
    top = [P.temperature_run(T, 0)["p"][0] for T in P.TEMPERATURE_GRID]
    assert all(a > b for a, b in zip(top, top[1:], strict=False))   # larger T: flatter
    assert top[0] > 0.99 and top[-1] < 0.5
    # true class on top: the loss grows with T; a wrong class: it falls
    right = [P.temperature_run(T, 0)["loss"] for T in P.TEMPERATURE_GRID]
    wrong = [P.temperature_run(T, 1)["loss"] for T in P.TEMPERATURE_GRID]
    assert right == sorted(right) and wrong == sorted(wrong, reverse=True)
    assert wrong[0] == pytest.approx(2.0 / 0.25, rel=1e-3)   # (3 − 1)/T, the rest ≈ e^-8


def test_plot_temperature_shows_the_probabilities_and_the_loss():
    fig = P.plot_temperature(2.0, 1)
    run = P.temperature_run(2.0, 1)
    bars = axes(fig, "probabilities").patches[:4]
    np.testing.assert_allclose([b.get_height() for b in bars], run["p"], rtol=0)
    outline = axes(fig, "probabilities").patches[4:8]
    np.testing.assert_allclose([b.get_height() for b in outline],
                               P.temperature_run(1.0, 1)["p"], rtol=0)
    dot = [ln for ln in axes(fig, "loss").lines if ln.get_label().startswith("T = 2")]
    assert dot[0].get_ydata()[0] == run["loss"]
    curve = [ln for ln in axes(fig, "loss").lines if ln.get_label() == "true class 1"][0]
    T = curve.get_xdata()
    np.testing.assert_allclose(curve.get_ydata(),
                               [P.temperature_run(t, 1)["loss"] for t in T], rtol=1e-9)
    title = fig.get_suptitle()
    assert title.startswith("T = 2, true class 1 (score 1): p = softmax(s/T) = (0.571, 0.21,")
    assert f"loss −ln p_c = {run['loss']:.3f}" in title


def test_temperature_validates():
    with pytest.raises(ValueError, match="temperature"):
        P.plot_temperature(0.0, 0)
    with pytest.raises(ValueError, match="true_class"):
        P.plot_temperature(1.0, 4)
