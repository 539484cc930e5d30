"""The activation explorer of chapter 3 draws the right thing. It reads back what a
figure shows and compares it with what the library computes."""

import numpy as np
import pytest
from figures import axes

from nnlib import plotting as P
from nnlib.activations import ACTIVATIONS


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_panels_match_the_functions(name):
    alpha = 0.2
    fig = P.plot_activation(name, alpha=alpha)
    f, df = ACTIVATIONS[name]
    kw = {"alpha": alpha} if name == "leaky_relu" else {}
    for label, fn in (("function", f), ("derivative", df)):
        line = next(ln for ln in axes(fig, label).lines if ln.get_label().startswith("$"))
        z = line.get_xdata()
        assert z.min() == -6 and z.max() == 6 and np.any(z == 0)
        np.testing.assert_array_equal(line.get_ydata(), fn(z, **kw))
    assert f"φ = {P.ACTIVATION_DISPLAY_NAMES[name]}" in fig.get_suptitle()   # the text's name


def test_activation_derivative_facts():
    d = next(ln for ln in axes(P.plot_activation("sigmoid"), "derivative").lines
             if ln.get_label().startswith("$"))
    assert d.get_ydata().max() == pytest.approx(0.25, abs=1e-15)   # σ'(0) = 1/4 exactly
    with pytest.raises(ValueError, match="name"):
        P.plot_activation("softplus")
    with pytest.raises(ValueError, match="alpha"):
        P.plot_activation("leaky_relu", alpha=-0.1)
