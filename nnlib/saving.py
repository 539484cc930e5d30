"""Saving a trained model to a file and loading it back: ``.npz`` of its state dict.

The file holds one array per parameter under its dotted name (``"0.W"``, ``"0.b"``, ...,
see :meth:`~nnlib.layers.Module.state_dict`), written with ``np.savez`` and read with
``allow_pickle=False``: no pickle, so loading a file can never run code. The architecture
is not stored: build the same model, then load its weights into it.
"""

from __future__ import annotations

import os
import zipfile

import numpy as np

from .layers import Module


def _module(model, owner: str) -> Module:
    if not isinstance(model, Module):
        raise TypeError(f"{owner} model must be an nnlib Module, got {type(model).__name__}")
    return model


def save(model: Module, path: str | os.PathLike) -> None:
    """Write ``model.state_dict()`` to ``path`` (an ``.npz`` file, made with ``np.savez``)."""
    _module(model, "save")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"save path must be a file name, got {type(path).__name__}")
    with open(path, "wb") as f:                  # exactly this name: np.savez adds no suffix
        np.savez(f, **model.state_dict())


def load(model: Module, path: str | os.PathLike) -> Module:
    """Set ``model``'s parameters from the ``.npz`` file at ``path``; returns ``model``.

    A missing or unreadable file, an array that is not plain numbers (pickled objects are
    never loaded), or weights of another architecture raise a ``ValueError`` that names
    the file or the key and the shapes; the model is then left exactly as it was.
    """
    _module(model, "load")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"load path must be a file name, got {type(path).__name__}")
    if not os.path.isfile(path):
        raise ValueError(f"load: no such file {os.fspath(path)!r}")
    name = os.fspath(path)
    bad = f"load: {name!r} is not a weights file written by nnlib.save"
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{bad}: {exc}") from exc
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{bad}: it holds a single array, not weights by name")
    state = {}
    with archive:
        for key in archive.files:
            try:
                state[key] = archive[key]
            except ValueError as exc:            # an object array needs pickle: refused
                raise ValueError(f"{bad}: key {key!r} is not an array of numbers "
                                 f"({exc})") from exc
            except (OSError, EOFError, zipfile.BadZipFile) as exc:     # truncated
                raise ValueError(f"{bad}: key {key!r} cannot be read ({exc})") from exc
    model.load_state_dict(state)
    return model
