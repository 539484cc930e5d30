"""The initialisation explorer of chapter 5: the stds the figure plots are those of an
independent forward pass, they follow the variance argument of §5.7, the losses are
``fit``'s History, and the kernel-free version has one frame per state, each stating its
values.
"""

import json

import numpy as np
import pytest
from figures import Tags, axes, line

from nnlib import plotting as P
from nnlib.activations import ReLU
from nnlib.data import Standardizer, digits, train_val_test_split
from nnlib.layers import Linear
from nnlib.losses import SoftmaxCrossEntropy
from nnlib.optim import SGD
from nnlib.plotting.ch05_explorer_init import init_network
from nnlib.training import fit


def standardised_digits():
    """Built here, not with the module's helper: the chapter's split and scaling."""
    X, y = digits()
    X_train, y_train, *_ = train_val_test_split(X, y, rng=2)
    return Standardizer().fit(X_train).transform(X_train), y_train


def forward_stds(init, depth, X):
    """An independent forward pass: the same weights drawn by hand, x W + b, max(0, ·)."""
    rng = np.random.default_rng(P.INIT_SETUP["net_seed"])
    a, stds, fan_in = X, [], 64
    for _ in range(depth):
        lin = Linear(fan_in, 128, init=init, rng=rng)
        a = np.maximum(0.0, a @ lin.W.value + lin.b.value)
        stds.append(a.std())
        fan_in = 128
    return np.array(stds)


@pytest.mark.parametrize("init", P.INIT_NAMES)
@pytest.mark.parametrize("depth", P.INIT_DEPTHS)
def test_stds_are_those_of_an_independent_forward_pass(init, depth):
    X, _ = standardised_digits()
    run = P.init_run(init, depth)
    # the same products in another order of calls: equal up to rounding (1e-12 relative)
    np.testing.assert_allclose(run["stds"], forward_stds(init, depth, X), rtol=1e-12)
    assert run["input_std"] == pytest.approx(X.std(), rel=1e-12)


def test_stds_follow_the_variance_argument():
    he = P.init_run("he", 20)["stds"]
    # He keeps the ReLU outputs' std roughly constant: within a factor 1.5 of layer 1's over
    # 20 layers (the gain is 1 on average; 128 nodes are a finite sample)
    assert np.all(np.abs(np.log(he / he[0])) < np.log(1.5)), he
    normal = P.init_run("normal", 20)["stds"]
    ratios = normal[1:] / normal[:-1]            # layers 2..20 have fan_in = 128
    # N(0, 1) multiplies the std by about sqrt(fan_in / 2) = 8 per layer: each factor within
    # 25 % (one layer's 128 nodes are a small sample: the largest deviation here is 20 %),
    # their geometric mean over 19 layers within 5 %
    assert np.all(np.abs(ratios / np.sqrt(128 / 2) - 1) < 0.25), ratios
    assert np.exp(np.log(ratios).mean()) == pytest.approx(8, rel=0.05)
    xavier = P.init_run("xavier", 20)["stds"]
    assert np.all(np.diff(xavier) < 0)            # Xavier (a gain of 1/2 for ReLU) shrinks


def test_losses_are_the_history_of_fit_and_tell_the_texts_story():
    X, y = standardised_digits()
    net = init_network("he", 5)
    h = fit(net, SoftmaxCrossEntropy(), SGD(net.parameters(), lr=P.INIT_SETUP["lr"]), X, y,
            epochs=P.INIT_SETUP["epochs"], batch_size=P.INIT_SETUP["batch_size"],
            rng=P.INIT_SETUP["fit_seed"])
    np.testing.assert_array_equal(P.init_run("he", 5)["train_loss"], h.train_loss)
    verdicts = {(i, d): P.init_verdict(i, d) for i in P.INIT_NAMES for d in P.INIT_DEPTHS}
    assert all(verdicts["he", d] == "trains" for d in P.INIT_DEPTHS)
    assert verdicts["normal", 2] == "trains"
    assert all(verdicts["normal", d] == "diverges" for d in (5, 10, 20))
    assert [verdicts["xavier", d] for d in P.INIT_DEPTHS] == ["trains", "trains",
                                                             "does not learn", "does not learn"]


@pytest.mark.parametrize("init", P.INIT_NAMES)
@pytest.mark.parametrize("depth", P.INIT_DEPTHS)
def test_a_state_is_declared_chaotic_exactly_when_a_nudge_moves_its_loss(init, depth):
    # Nudges of 1e-9 in the initial weights (three random sign patterns), as another CPU's
    # rounding: a stable run's last loss moves by about that (1e-6 leaves room for a growth
    # of 1000), a chaotic one's by percents; and a chaotic state's loss stays below the
    # bound its headline shows
    from perturbation import nudge_initial_weights

    from nnlib.plotting import ch05_explorer_init as explorer_init

    run = P.init_run(init, depth)
    bound = explorer_init.INIT_CHAOTIC.get((init, depth))
    if run["diverged"]:
        assert bound is None
        return
    nudged = []
    for seed in range(3):
        with nudge_initial_weights(seed=seed):
            nudged.append(explorer_init._init_run.__wrapped__(init, depth)["train_loss"][-1])
    change = max(abs(loss / run["train_loss"][-1] - 1) for loss in nudged)
    if bound is None:
        assert change < 1e-6, change
    else:
        assert change > 1e-3, change
        assert max(nudged + [run["train_loss"][-1]]) < bound
        assert f"below {bound:g} after 5 epochs (chaotic" in P.plot_init(init, depth).get_suptitle()


def test_plot_init_shows_the_run():
    fig = P.plot_init("normal", 10)
    for init in P.INIT_NAMES:
        run = P.init_run(init, 10)
        name = P.INIT_DISPLAY_NAMES[init]
        stds = line(axes(fig, "stds"), name)
        np.testing.assert_array_equal(stds.get_xdata(), np.arange(11))
        np.testing.assert_array_equal(stds.get_ydata(), [run["input_std"], *run["stds"]])
        losses = line(axes(fig, "loss"), name)
        drawn = [run["start_loss"], *run["train_loss"]]
        if run["diverged"]:                   # up to the last finite loss (N(0, 1): epoch 0)
            drawn = drawn[:-1]
        np.testing.assert_array_equal(losses.get_ydata(), drawn)
    s = P.init_run("normal", 10)["stds"]
    assert fig.get_suptitle() == (f"N(0, 1), 10 layers: output std {s[0]:.3g} at layer 1, "
                                  f"{s[-1]:.3g} at layer 10\ndiverges: the loss is NaN or "
                                  f"infinite in epoch 1")


def test_init_validates():
    with pytest.raises(ValueError, match="init must be one of"):
        P.plot_init("N(0, 1)", 10)
    with pytest.raises(ValueError, match="depth must be one of"):
        P.init_run("he", 3)


def test_static_explorer_has_one_frame_per_state(quick):
    s = P.init_explorer.static()
    doc = Tags(s._repr_html_())
    (select,) = doc.all("select", "nnx-select")
    assert select["data-param"] == "initialisation"
    assert json.loads(select["data-values"]) == ["N(0, 1)", "Xavier", "He"]
    (slider,) = doc.all("input", "nnx-slider")
    assert json.loads(slider["data-values"]) == ["2", "5", "10", "20"]
    frames = doc.all("img", "nnx-frame")
    assert len(frames) == len(P.INIT_NAMES) * len(P.INIT_DEPTHS) == 12
    assert s.combinations[s.index] == ("normal", 10)
    assert sum("hidden" not in f for f in frames) == 1
    for f, (init, depth) in zip(frames, s.combinations, strict=True):
        run = P.init_run(init, depth)
        assert json.loads(f["data-state"]) == {"initialisation": P.INIT_DISPLAY_NAMES[init],
                                               "depth (hidden layers)": str(depth)}
        assert f"{P.INIT_DISPLAY_NAMES[init]}, {depth} layers:" in f["alt"], f["alt"]
        assert f"{run['stds'][-1]:.3g} at layer {depth}" in f["alt"]
        assert P.init_verdict(init, depth) in f["alt"]


def test_live_explorer_follows_its_controls(quick):
    w = P.init_explorer.live()
    assert repr(w) == "<initialisation explorer: init=normal, depth=10>"
    w.controls["init"].value = "he"
    assert w.figure.get_suptitle().startswith("He, 10 layers:")
    w.controls["depth"].value = 20
    assert w.figure.get_suptitle().startswith("He, 20 layers:")
    with pytest.raises(ValueError, match="depth"):
        P.init_explorer.live(depth=3)
    with pytest.raises(ValueError, match="initialisation"):
        P.init_explorer.live(init="Xavier")


def test_relu_is_what_the_forward_pass_uses():
    # the independent pass above writes max(0, ·) by hand: it must be the library's ReLU
    z = np.linspace(-2, 2, 9)
    np.testing.assert_array_equal(ReLU()(z), np.maximum(0.0, z))
