"""Saving and loading a model: state dicts with dotted names, ``.npz`` files without pickle,
and every bad file or foreign architecture refused by name, all or nothing."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import Conv2D, Dropout, Flatten, Linear, MaxPool2D, ReLU, Sequential


def cnn(seed: int) -> Sequential:
    return Sequential(Conv2D(1, 4, 3, padding=1, rng=seed), ReLU(), MaxPool2D(2), Flatten(),
                      Dropout(0.2), Linear(64, 10, rng=seed + 1))


def fc(seed: int) -> Sequential:
    return Sequential(Linear(64, 32, rng=seed), ReLU(), Linear(32, 10, rng=seed + 1))


def snapshot(model) -> list[np.ndarray]:
    return [p.value.copy() for p in model.parameters()]


def test_state_dict_names_follow_pytorch():
    assert list(cnn(0).state_dict()) == ["0.W", "0.b", "5.W", "5.b"]
    assert list(fc(0).state_dict()) == ["0.W", "0.b", "2.W", "2.b"]
    assert list(Linear(3, 2, rng=0).state_dict()) == ["W", "b"]
    nested = Sequential(fc(0), ReLU(), Linear(10, 2, rng=3))
    assert list(nested.state_dict()) == ["0.0.W", "0.0.b", "0.2.W", "0.2.b", "2.W", "2.b"]


def test_state_dict_is_a_copy_and_matches_parameters():
    model = fc(0)
    state = model.state_dict()
    for (name, p), value in zip(model.named_parameters(), state.values(), strict=True):
        assert np.array_equal(p.value, value) and p.value is not value, name
    state["0.W"][...] = 7.0
    assert not np.any(model.parameters()[0].value == 7.0)


@pytest.mark.parametrize("make", [fc, cnn], ids=["fc", "cnn"])
def test_save_then_load_into_a_fresh_network_predicts_the_same(make, tmp_path):
    trained, fresh = make(0), make(10)
    x = np.random.default_rng(0).normal(size=(5, 64) if make is fc else (5, 1, 8, 8))
    trained.eval(), fresh.eval()
    assert not np.allclose(trained(x), fresh(x))
    path = tmp_path / "model.npz"
    nnlib.save(trained, path)
    assert nnlib.load(fresh, path) is fresh
    # bit for bit: .npz stores float64 exactly
    assert np.array_equal(trained(x), fresh(x))
    for a, b in zip(snapshot(trained), snapshot(fresh), strict=True):
        assert np.array_equal(a, b)


def test_save_writes_exactly_the_given_name_without_pickle(tmp_path):
    path = tmp_path / "weights.bin"
    nnlib.save(fc(0), path)
    assert path.exists() and not (tmp_path / "weights.bin.npz").exists()
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["0.W", "0.b", "2.W", "2.b"]


def expect_refused(model, action, *fragments):
    """``action()`` raises ValueError mentioning every fragment; the model is unchanged."""
    before = snapshot(model)
    with pytest.raises(ValueError) as info:
        action()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))
    for a, b in zip(before, snapshot(model), strict=True):
        assert np.array_equal(a, b), "a failed load changed the model"


def test_load_state_dict_refuses_another_architecture_by_key_and_shape():
    model = fc(0)
    state = fc(5).state_dict()
    wrong = dict(state, **{"2.W": np.zeros((32, 9))})       # the last key is the bad one
    expect_refused(model, lambda: model.load_state_dict(wrong), "'2.W'", "(32, 10)", "(32, 9)")
    missing = {k: v for k, v in state.items() if k != "2.b"}
    expect_refused(model, lambda: model.load_state_dict(missing), "missing keys ['2.b']")
    extra = dict(state, **{"4.W": np.zeros(3)})
    expect_refused(model, lambda: model.load_state_dict(extra), "unexpected keys ['4.W']")
    expect_refused(model, lambda: model.load_state_dict(cnn(0).state_dict()), "unexpected")


@pytest.mark.parametrize("bad, fragment", [
    (np.array(["a", "b"]), "array of real numbers"),
    (np.array([object()] * 10), "array of real numbers"),
    ("weights", "array of real numbers"),
    (np.full(10, np.nan), "NaN or infinite"),
    (np.full(10, np.inf), "NaN or infinite"),
])
def test_load_state_dict_refuses_junk_values(bad, fragment):
    model = fc(0)
    state = dict(fc(5).state_dict(), **{"2.b": bad})
    expect_refused(model, lambda: model.load_state_dict(state), "'2.b'", fragment)


def test_load_state_dict_takes_only_a_mapping():
    with pytest.raises(TypeError, match="dict of arrays"):
        fc(0).load_state_dict([np.zeros(3)])


def test_load_refuses_bad_files_and_changes_nothing(tmp_path):
    model = fc(0)
    good = tmp_path / "good.npz"
    nnlib.save(fc(5), good)
    expect_refused(model, lambda: nnlib.load(model, tmp_path / "nope.npz"), "no such file",
                   "nope.npz")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:400])
    expect_refused(model, lambda: nnlib.load(model, truncated), "truncated.npz",
                   "not a weights file")
    text = tmp_path / "notes.txt"
    text.write_text("not weights at all\n")
    expect_refused(model, lambda: nnlib.load(model, text), "notes.txt", "not a weights file")
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    expect_refused(model, lambda: nnlib.load(model, single), "single array")
    objects = tmp_path / "objects.npz"
    np.savez(objects, **{"0.W": np.array([object()] * 3)})
    expect_refused(model, lambda: nnlib.load(model, objects), "'0.W'", "not an array of numbers")
    other = tmp_path / "cnn.npz"
    nnlib.save(cnn(0), other)
    expect_refused(model, lambda: nnlib.load(model, other), "unexpected keys")
    assert nnlib.load(model, good) is model                 # and a good file still loads


def test_save_and_load_name_wrong_arguments(tmp_path):
    with pytest.raises(TypeError, match="model must be an nnlib Module"):
        nnlib.save({"W": np.zeros(3)}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="path must be a file name"):
        nnlib.save(fc(0), 42)
    with pytest.raises(TypeError, match="model must be an nnlib Module"):
        nnlib.load("model", tmp_path / "x.npz")
