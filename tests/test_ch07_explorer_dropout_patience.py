"""The dropout and early-stopping explorers of chapter 7: the data each figure plots is what
the library computes (``fit``'s History, ``EarlyStopping``'s epochs), and the kernel-free
versions have one frame per value, each stating its value.

Exact comparisons (``assert_array_equal``, ``==``) are used where the figure must show the
very numbers the library returns: the same calls in the same order give the same floats.
"""

import json

import numpy as np
import pytest
from figures import Tags, axes, line

from nnlib import plotting as P
from nnlib.losses import MSELoss
from nnlib.plotting.ch07_explorer_dropout import overfit_network, overfit_optimizer
from nnlib.training import EarlyStopping, evaluate, fit


def one_fit(p=0.0, patience=None, epochs=None):
    """The set-up's run as ONE fit call (the explorers train it in their own way)."""
    d = P.overfit_data()
    net = overfit_network(p)
    stopper = None if patience is None else EarlyStopping(patience, restore_best=True)
    h = fit(net, MSELoss(), overfit_optimizer(net), *d["train"],
            epochs=epochs or P.OVERFIT_SETUP["epochs"], batch_size=len(d["train"][0]),
            rng=P.OVERFIT_SETUP["fit_seed"], validation=d["val"], early_stopping=stopper)
    return net, h


def test_dropout_curves_are_the_history_of_one_fit():
    # the explorer trains in chunks of eval_every epochs to measure the full network in
    # between; that must not change the run: it is the History of one fit call
    run = P.dropout_run(0.1)
    net, h = one_fit(0.1)
    np.testing.assert_array_equal(run["train_loss"], h.train_loss)
    np.testing.assert_array_equal(run["val_loss"], h.val_loss)
    assert run["full_epochs"][-1] == len(h.train_loss) == P.OVERFIT_SETUP["epochs"]
    assert run["full_train_loss"][-1] == evaluate(net, MSELoss(), *P.overfit_data()["train"])[0]


def test_larger_p_gives_a_larger_training_loss_and_a_smaller_gap():
    grid = list(P.DROPOUT_GRID)
    runs = {p: P.dropout_run(p) for p in grid}
    full = [runs[p]["full_train_loss"][-1] for p in grid]        # eval mode, after training
    assert all(a < b for a, b in zip(full, full[1:], strict=False)), full
    on = [np.mean(runs[p]["train_loss"][-200:]) for p in grid]   # as fit measures it
    assert all(a < b for a, b in zip(on, on[1:], strict=False)), on
    gap = [runs[p]["val_loss"][-1] - runs[p]["full_train_loss"][-1] for p in grid]
    assert gap[0] > 10 * max(gap[1:]), gap
    assert not any(runs[p]["diverged"] for p in grid)


def test_plot_dropout_rate_shows_the_run():
    run = P.dropout_run(0.1)
    fig = P.plot_dropout_rate(0.1)
    loss = axes(fig, "loss")
    np.testing.assert_array_equal(
        line(loss, "training, dropout on (as fit measures it)").get_ydata(), run["train_loss"])
    full = line(loss, "training, full network (eval mode)")
    np.testing.assert_array_equal(full.get_xdata(), run["full_epochs"])
    np.testing.assert_array_equal(full.get_ydata(), run["full_train_loss"])
    np.testing.assert_array_equal(line(loss, "validation (eval mode)").get_ydata(),
                                  run["val_loss"])
    np.testing.assert_array_equal(
        line(axes(fig, "fit"), "the network (eval mode)").get_ydata(), run["curve"])
    tr, va = run["full_train_loss"][-1], run["val_loss"][-1]
    assert fig.get_suptitle() == (f"p = 0.1: after 3000 epochs, training loss {tr:.3f}, "
                                  f"validation loss {va:.3f} (gap {va - tr:.3f})")


def test_dropout_validates():
    with pytest.raises(ValueError, match="p must be one of"):
        P.plot_dropout_rate(0.8)
    with pytest.raises(ValueError, match="p must be one of"):
        P.dropout_run("0.1")


# ---- early stopping -------------------------------------------------------------------------

@pytest.mark.parametrize("patience", P.PATIENCE_GRID)
def test_patience_epochs_are_what_fit_reports(patience):
    run = P.patience_run(patience)
    net, h = one_fit(patience=patience)
    assert (run["stopped_epoch"], run["best_epoch"]) == (h.stopped_epoch, h.best_epoch)
    np.testing.assert_array_equal(run["val_loss"], h.val_loss)
    np.testing.assert_array_equal(run["train_loss"], h.train_loss)
    # restore_best: the network after fit has the best epoch's validation loss (the same
    # weights evaluated the same way: equal up to rounding, 1e-12 relative)
    assert run["restored_val_loss"] == pytest.approx(h.val_loss[h.best_epoch - 1], rel=1e-12)
    assert run["restored_val_loss"] == evaluate(net, MSELoss(), *P.overfit_data()["val"])[0]
    assert h.stopped_epoch - h.best_epoch == patience     # every run stops before epoch 3000


def test_patience_runs_tell_the_texts_story():
    epochs = {k: (P.patience_run(k)["stopped_epoch"], P.patience_run(k)["best_epoch"])
              for k in P.PATIENCE_GRID}
    assert epochs[1] == (2, 1) and epochs[200] == (276, 76)
    assert len({P.patience_run(k)["best_epoch"] for k in (50, 100, 200)}) == 1


def test_plot_patience_marks_the_stop_and_the_restored_epoch():
    run = P.patience_run(20)
    stop, best = run["stopped_epoch"], run["best_epoch"]
    fig = P.plot_patience(20)
    assert fig.get_suptitle() == (f"patience = 20: stops after epoch {stop}, restores epoch "
                                  f"{best} (validation loss {run['restored_val_loss']:.3f})")
    loss = axes(fig, "loss")
    np.testing.assert_array_equal(line(loss, "training loss").get_ydata(), run["train_loss"])
    val = line(loss, "validation loss")
    np.testing.assert_array_equal(val.get_xdata(), np.arange(1, stop + 1))
    np.testing.assert_array_equal(val.get_ydata(), run["val_loss"])
    assert list(line(loss, f"stops after epoch {stop}").get_xdata()) == [stop, stop]
    star = line(loss, f"restored: epoch {best}")
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (best, run["val_loss"][best - 1])
    # the faint run without early stopping is the same run, continued
    faint = line(loss, "without early stopping")
    np.testing.assert_array_equal(faint.get_ydata()[:stop], run["val_loss"])
    fitted = line(axes(fig, "fit"), f"the network with the weights of epoch {best}")
    np.testing.assert_array_equal(fitted.get_ydata(), run["curve"])
    assert "(the text's choice)" in P.plot_patience(200).get_suptitle()


def test_patience_validates():
    with pytest.raises(ValueError, match="patience must be one of"):
        P.plot_patience(3)


# ---- the widgets ----------------------------------------------------------------------------

@pytest.mark.parametrize("fn, grid, label, first, state", [
    ("dropout", P.DROPOUT_GRID, "p (dropout rate)", 0.1, "p = {}:"),
    ("patience", P.PATIENCE_GRID, "patience (epochs)", 1, "patience = {}"),
])
def test_static_explorers_have_one_frame_per_value(quick, fn, grid, label, first, state):
    s = P.EXPLORERS[fn].static()
    doc = Tags(s._repr_html_())
    (slider,) = doc.all("input", "nnx-slider")
    assert slider["data-param"] == label
    assert json.loads(slider["data-values"]) == [f"{v:g}" for v in grid]
    frames = doc.all("img", "nnx-frame")
    assert len(frames) == len(grid)
    assert s.combinations[s.index] == (first,)
    assert "hidden" not in frames[s.index] and sum("hidden" not in f for f in frames) == 1
    for f, v in zip(frames, grid, strict=True):
        assert state.format(f"{v:g}") in f["alt"], f["alt"]
    if fn == "patience":                # the alt text states both epochs as well
        for f, k in zip(frames, grid, strict=True):
            run = P.patience_run(k)
            assert (f"stops after epoch {run['stopped_epoch']}, restores epoch "
                    f"{run['best_epoch']} ") in f["alt"]


def test_live_explorers_follow_their_slider(quick):
    w = P.dropout_explorer.live()
    assert repr(w) == "<dropout explorer: p=0.1>"
    w.controls["p"].value = 0.3
    assert w.figure.get_suptitle().startswith("p = 0.3:")
    w = P.patience_explorer.live()
    assert repr(w) == "<early-stopping explorer: patience=1>"
    w.controls["patience"].value = 50
    run = P.patience_run(50)
    assert w.figure.get_suptitle().startswith(
        f"patience = 50: stops after epoch {run['stopped_epoch']}")
    with pytest.raises(ValueError, match="patience"):
        P.patience_explorer.live(patience=3)
