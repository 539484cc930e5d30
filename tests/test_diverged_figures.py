"""A diverged run never crashes a figure (issue 18): every explorer and every figure that
draws a training run draws a run that became NaN or infinite up to its last finite entry,
only finite points, and says in its text where it diverged.

The runs are made by hand (the cached run functions monkeypatched, or a ``History`` holding
NaN and inf), so these tests do not depend on the machine diverging: on some CPUs the
dropout explorer's former p = 0.5 really did. Every figure is rendered to a PNG with numpy and
matplotlib warnings turned into errors (a warning is stderr output in a chapter).
"""

import base64
import re
import warnings

import numpy as np
import pytest
from figures import Tags, axes
from matplotlib.text import Text

from nnlib import plotting as P
from nnlib import widgets as W
from nnlib.plotting import ch02_explorer_batch as explorer_batch
from nnlib.plotting import ch02_explorer_lr as explorer_lr
from nnlib.plotting import ch05_explorer_init as explorer_init
from nnlib.plotting import ch07_explorer_dropout as explorer_dropout
from nnlib.plotting import ch07_explorer_patience as explorer_patience
from nnlib.plotting import ch07_explorer_weight_decay as explorer_weight_decay
from nnlib.plotting._common import divergence
from nnlib.training import History

INF, NAN = np.inf, np.nan
#: The epochs at which the hand-made runs diverge: at once, and after a while.
EPOCHS = (1, 37)


def texts(fig) -> str:
    """All the text of ``fig`` (suptitle, titles, legends, annotations), one string."""
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def render(fig):
    """Draw ``fig`` to a PNG as the book does, with every warning an error."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        png = W.figure_png(fig)
    assert png.startswith(b"\x89PNG\r\n")
    return fig


def no_junk_numbers(text: str) -> bool:
    """No number printed as ``inf``, ``nan`` or ``nan%`` (Python's format of them)."""
    return not re.search(r"-?\b(inf|nan)\b", text)


def assert_only_finite(fig):
    """Every line drawn in data coordinates holds finite points only."""
    for ax in fig.axes:
        for ln in ax.lines:
            x = np.asarray(ln.get_xdata(), dtype=float)
            y = np.asarray(ln.get_ydata(), dtype=float)
            assert np.isfinite(x).all() and np.isfinite(y).all(), (ax.get_label(),
                                                                     ln.get_label(), x, y)


def check(fig, note: str):
    """The figure draws, holds only finite points and says ``note`` (where it diverged)."""
    render(fig)
    assert_only_finite(fig)
    assert note in texts(fig), texts(fig)
    return fig


def losses(epoch: int, start: float = 1.0, end: float = 0.1) -> np.ndarray:
    """A loss per epoch that falls from ``start``, then is infinite at ``epoch``."""
    return np.r_[np.geomspace(start, end, epoch - 1), INF]


# ---- the shared helper --------------------------------------------------------------------

def test_divergence_finds_the_first_non_finite_epoch():
    assert divergence([1.0, 0.5, INF], [1.0, 0.6, NAN]) == (2, 3)
    assert divergence([1.0, 0.5]) == (2, None)
    assert divergence([1.0, 0.5], diverged=True) == (2, 2)   # the weights, not the loss
    assert divergence([NAN]) == (0, 1)
    assert divergence([], diverged=True) == (0, 1)
    assert divergence([2.3, 1.0, NAN], first=0) == (2, 2)      # epoch 0 = before training
    assert divergence(np.array([[0.0, 1.0], [INF, 2.0]]), first=0) == (1, 1)
    assert divergence([1.0, 0.5], []) == (2, None)              # no validation set


# ---- the explorers --------------------------------------------------------------------------

def dropout_diverged(epoch: int) -> dict:
    """What ``_dropout_run`` returns for a run whose loss is infinite at ``epoch``."""
    full_epochs = np.arange(10, epoch, 10, dtype=float)
    return {"train_loss": losses(epoch), "val_loss": np.r_[losses(epoch)[:-1], NAN],
            "full_epochs": full_epochs, "full_train_loss": np.geomspace(0.9, 0.2,
                                                                        len(full_epochs)),
            "diverged": True, "curve": None}


@pytest.mark.parametrize("epoch", EPOCHS)
def test_dropout_explorer_draws_a_diverged_run(monkeypatch, epoch):
    run = dropout_diverged(epoch)
    monkeypatch.setattr(explorer_dropout, "_dropout_run", lambda p: run)
    fig = check(P.plot_dropout_rate(0.3), f"diverged at epoch {epoch}")
    assert fig.get_suptitle().startswith(f"p = 0.3: diverged at epoch {epoch}")
    assert no_junk_numbers(texts(fig))
    loss = axes(fig, "loss")
    (train,) = [ln for ln in loss.lines if ln.get_label().startswith("training, dropout")]
    np.testing.assert_array_equal(train.get_ydata(), run["train_loss"][:epoch - 1])
    fit = axes(fig, "fit")
    assert "no fitted function" in fit.get_title()
    assert "the network (eval mode)" not in [ln.get_label() for ln in fit.lines]


def patience_diverged(epoch: int) -> dict:
    best = epoch - 5 if epoch > 5 else None
    return {"train_loss": losses(epoch), "val_loss": np.r_[losses(epoch, 1.1, 0.2)[:-1], NAN],
            "stopped_epoch": epoch, "best_epoch": best, "diverged": True,
            "restored_val_loss": 0.3 if best else NAN,
            "curve": np.zeros(201) if best else np.full(201, NAN)}


def history(epoch: int | None, n: int = 40, *, best="lowest") -> History:
    """A History of ``n`` epochs, or diverging at ``epoch`` (inf training loss, NaN
    validation loss there, as ``fit`` records it)."""
    k = n if epoch is None else epoch
    n = max(n, k)
    train = list(np.geomspace(1.0, 0.05, n)[:k])
    val = list(np.geomspace(1.1, 0.2, n)[:k])
    if epoch is not None:
        train[-1], val[-1] = INF, NAN
    finite = [v for v in val if np.isfinite(v)]
    best_epoch = int(np.argmin(finite)) + 1 if finite and best == "lowest" else None
    return History(train_loss=train, train_acc=[0.5] * k, val_loss=val, val_acc=[0.5] * k,
                   best_epoch=best_epoch, stopped_epoch=k, diverged=epoch is not None)


@pytest.mark.parametrize("epoch", EPOCHS)
def test_patience_explorer_draws_a_diverged_run(monkeypatch, epoch):
    monkeypatch.setattr(explorer_patience, "_patience_run", lambda k: patience_diverged(epoch))
    monkeypatch.setattr(explorer_patience, "_patience_full", lambda: history(epoch + 3))
    fig = check(P.plot_patience(20), f"diverged at epoch {epoch}")
    assert fig.get_suptitle().startswith(f"patience = 20: diverged at epoch {epoch}")
    if epoch == 1:                                   # nothing was ever kept to restore
        assert fig.get_suptitle().endswith("no epoch to restore")
        assert "no fitted function" in axes(fig, "fit").get_title()
    else:
        assert f"restores epoch {epoch - 5}" in fig.get_suptitle()
    assert f"without early stopping (diverged at epoch {epoch + 3})" in texts(fig)


def wd_diverged(epoch: int) -> dict:
    xs, ys = np.linspace(-1.8, 2.8, 93), np.linspace(-1.5, 2.0, 71)
    return {"train_loss": losses(epoch), "val_loss": np.r_[losses(epoch)[:-1], NAN],
            "train_acc": NAN, "val_acc": NAN, "weights": np.r_[np.zeros(10), NAN, INF],
            "grid": (xs, ys, np.full((71, 93), NAN)), "diverged": True,
            "verdict": "diverges"}


@pytest.mark.parametrize("epoch", EPOCHS)
def test_weight_decay_explorer_draws_a_diverged_run(monkeypatch, epoch):
    monkeypatch.setattr(explorer_weight_decay, "_wd_run", lambda lam: wd_diverged(epoch))
    fig = check(P.plot_weight_decay(1.0), f"diverged at epoch {epoch}")
    assert fig.get_suptitle().startswith(f"λ = 1: diverges — diverged at epoch {epoch}")
    assert no_junk_numbers(texts(fig))
    assert not axes(fig, "boundary").images                    # no boundary of NaN scores
    assert "2 of them NaN or infinite" in axes(fig, "weights").get_title()


def test_weight_decay_verdict_of_a_diverged_fit():
    h = history(37)
    assert explorer_weight_decay._wd_verdict(h) == "diverges"
    assert explorer_weight_decay._wd_verdict(history(None)) != "diverges"


def batch_diverged(epoch: int):
    """``_batch_run`` of a path that overflows at update ``epoch``, for every B."""
    def run(batch_size, lr):
        updates = 5 * -(-100 // batch_size)
        path = np.zeros((updates + 1, 2))
        path[:, 0] = np.linspace(-1.0, 1.5, updates + 1)
        path[min(epoch, updates):] = INF
        ein = np.where(np.isfinite(path[:, 0]), 1.0 / (1 + np.arange(updates + 1)), INF)
        return path, ein, 0.5
    return run


@pytest.mark.parametrize("epoch", EPOCHS)
def test_batch_explorer_draws_a_diverged_run(monkeypatch, epoch):
    monkeypatch.setattr(explorer_batch, "_batch_run", batch_diverged(epoch))
    assert P.batch_run(4, 0.1)["diverged_at"] == epoch
    fig = check(P.plot_batch(4, 0.1), f"diverged at update {epoch}")
    assert f"diverged at update {epoch}" in fig.get_suptitle()
    assert no_junk_numbers(texts(fig))


def init_diverged(epoch: int):
    def run(init, depth):
        train = losses(epoch, 2.0, 1.0)
        return {"input_std": 1.0, "stds": np.ones(depth), "start_loss": 2.3,
                "train_loss": train, "diverged": True}
    return run


@pytest.mark.parametrize("epoch", EPOCHS)
def test_init_explorer_draws_a_diverged_run(monkeypatch, epoch):
    monkeypatch.setattr(explorer_init, "_init_run", init_diverged(epoch))
    fig = check(P.plot_init("he", 5), f"NaN or infinite in epoch {epoch}")
    assert f"diverges: the loss is NaN or infinite in epoch {epoch}" in fig.get_suptitle()


def lr_network_diverged(epoch: int):
    """``_lr_network_run``: NaN at ``epoch`` for η = 3 (where the bowl converges), a
    converging run for every other η."""
    def run(lr):
        if lr == 3.0:
            loss = np.r_[np.geomspace(2.3, 1.0, epoch), NAN]
            return loss, True, "diverges", NAN
        return np.geomspace(2.3, 0.1, 31), False, "good", 0.1 / 2.3
    return run


@pytest.mark.parametrize("epoch", EPOCHS)
def test_lr_explorer_draws_a_diverged_network(monkeypatch, epoch):
    monkeypatch.setattr(explorer_lr, "_lr_network_run", lr_network_diverged(epoch))
    fig = check(P.plot_lr(3.0), f"diverged at epoch {epoch}")
    title = fig.get_suptitle()
    assert title == f"η = 3: diverges — the network's loss diverged at epoch {epoch} (NaN or " \
                    "infinite)"
    assert "> 1" not in title             # the bowl converges at η = 3: not its factor
    assert f"diverged at epoch {epoch} (loss → NaN/inf)" in texts(fig)


# ---- the figures of a History or of loss curves ---------------------------------------------

@pytest.mark.parametrize("epoch", EPOCHS)
def test_early_stopping_figure_draws_a_diverged_history(epoch):
    fig = check(P.plot_early_stopping(history(epoch), full_history=history(epoch + 5),
                                      patience=5), f"diverged at epoch {epoch}")
    assert f"without early stopping (diverged at epoch {epoch + 5})" in texts(fig)
    with pytest.raises(ValueError, match="best_epoch"):         # not diverged, no best epoch
        P.plot_early_stopping(history(None, best=None))


@pytest.mark.parametrize("epoch", EPOCHS)
def test_model_histories_draw_a_diverged_history(epoch):
    fig = check(P.plot_model_histories({"MLP": history(epoch), "CNN": history(None)}),
                f"MLP, training (diverged at epoch {epoch})")
    assert "CNN, training" in texts(fig) and "CNN, training (" not in texts(fig)
    check(P.plot_model_histories({"empty": History()}), "empty, training")


@pytest.mark.parametrize("epoch", EPOCHS)
def test_loss_curve_figures_draw_a_diverged_curve(epoch):
    curves = {"training": losses(epoch), "validation": np.r_[losses(epoch)[:-1], NAN],
              "new data": np.geomspace(1, 0.3, 40)}
    fig = check(P.plot_loss_curves(curves, marks={"best": 1}, noise_level=0.09),
                f"training ({'diverged at epoch'} {epoch})")
    assert "new data" in texts(fig) and "new data (" not in texts(fig)
    x = np.linspace(0, 1, 20)
    check(P.plot_overfitting(x, x, x, {"net": x}, curves, marks={"best": 1}),
          f"validation (diverged at epoch {epoch})")


def test_lambda_sweep_leaves_out_the_diverged_lambdas():
    fig = check(P.plot_lambda_sweep([0, 0.01, 0.1, 1.0], [NAN, 0.2, 0.1, INF],
                                    [NAN, 0.3, 0.25, INF]),
                "diverged (NaN or infinite loss), not drawn: λ = 0, 1")
    assert "lowest validation loss: λ = 0.1" in texts(fig)


@pytest.mark.parametrize("epoch", EPOCHS)
def test_batch_size_curves_draw_a_diverged_run(epoch):
    fig = check(P.plot_batch_size_curves({"B = 1": (100, np.r_[1.0, losses(epoch)]),
                                          "B = 100": (1, np.geomspace(1, 0.1, 6))},
                                         log_loss=True),
                f"B = 1 (diverged at epoch {epoch})")
    assert "B = 100" in texts(fig)


@pytest.mark.parametrize("epoch", EPOCHS)
def test_sgd_figures_draw_a_diverged_path_or_run(epoch):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2, 50)
    path = np.c_[np.linspace(0, 1.5, epoch + 3), np.linspace(0, -1, epoch + 3)]
    path[epoch:] = [INF, -INF]
    check(P.plot_sgd_paths(x, 1.5 * x - 1, {"η = 3": path}, show_data=True),
          f"η = 3 (diverged at step {epoch})")
    check(P.plot_sgd_on_example(np.linspace(0, 1, 5), [1, 0.5, 0.4, 3, 9], 1.0, 2.0,
                                marks=[0.5], runs={0.5: [1, 0.5, 0.2],
                                                   2.0: np.r_[1.0, losses(epoch, 30, 1e200)]}),
          f"η = 2 (diverged at step {epoch})")
    check(P.plot_dead_relu([-1.0, 1.0], [-2.0, -1.0],
                           {"ReLU": np.r_[1.0, losses(epoch)], "leaky ReLU": [1, 0.4, 0.2]}, 1),
          f"ReLU (diverged at step {epoch})")


# ---- the live widgets and the kernel-free frames --------------------------------------------

def shown_png(widget) -> bytes:
    (out,) = widget.output.outputs
    return base64.b64decode(out["data"]["image/png"])


def diverge_everything(monkeypatch, epoch: int = 37) -> None:
    """Every explorer's run diverges at ``epoch`` (η = 3 only for the learning rate)."""
    monkeypatch.setattr(explorer_dropout, "_dropout_run", lambda p: dropout_diverged(epoch))
    monkeypatch.setattr(explorer_patience, "_patience_run", lambda k: patience_diverged(epoch))
    monkeypatch.setattr(explorer_patience, "_patience_full", lambda: history(epoch))
    monkeypatch.setattr(explorer_weight_decay, "_wd_run", lambda lam: wd_diverged(epoch))
    monkeypatch.setattr(explorer_batch, "_batch_run", batch_diverged(epoch))
    monkeypatch.setattr(explorer_init, "_init_run", init_diverged(epoch))
    monkeypatch.setattr(explorer_lr, "_lr_network_run", lr_network_diverged(epoch))


# the live explorer, the control to move, the value it is moved to, the note expected
LIVE = [("dropout_explorer", "p", 0.3, "diverged at epoch 37"),
        ("patience_explorer", "patience", 200, "diverged at epoch 37"),
        ("weight_decay_explorer", "lam", 1.0, "diverged at epoch 37"),
        ("batch_explorer", "batch_size", 1, "diverged at update 37"),
        ("init_explorer", "depth", 20, "NaN or infinite in epoch 37"),
        ("lr_explorer", "lr", 3.0, "diverged at epoch 37")]


@pytest.mark.parametrize("name, control, value, note", LIVE)
def test_live_widgets_show_a_diverged_run(monkeypatch, name, control, value, note):
    diverge_everything(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = getattr(P, name).live()
        w.controls[control].value = value
    assert note in w.figure.get_suptitle()
    assert shown_png(w).startswith(b"\x89PNG\r\n") and len(w.output.outputs) == 1
    assert_only_finite(w.figure)


@pytest.mark.parametrize("name", ["dropout", "patience", "weight-decay", "init"])
def test_static_frames_of_diverged_runs_say_so(monkeypatch, quick, name):
    diverge_everything(monkeypatch)
    s = P.EXPLORERS[name].static()
    alts = [f["alt"] for f in Tags(s._repr_html_()).all("img", "nnx-frame")]
    assert alts and all("37" in alt and ("diverged" in alt or "NaN" in alt) for alt in alts)
