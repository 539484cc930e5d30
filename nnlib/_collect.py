"""The public names of a subpackage, collected from its modules: each chapter's module
declares its own (``__all__``), and the package re-exports them, so that nothing is listed
twice (``from nnlib.plotting import plot_conv``, ``from nnlib.exercises import check_neuron``)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def collect(package: str, path, namespace: dict) -> tuple[tuple[str, ...], list[str]]:
    """Import every public submodule of ``package`` (found on ``path``, in name order: the
    ``chNN_`` prefix makes it chapter order) and put the names of its ``__all__`` into
    ``namespace``. Returns the submodules' names and the names collected; a name two
    submodules export is an ``ImportError``."""
    submodules = tuple(sorted(m.name for m in pkgutil.iter_modules(path)
                              if not m.name.startswith("_")))
    names: list[str] = []
    for name in submodules:
        module: ModuleType = importlib.import_module(f"{package}.{name}")
        for public in module.__all__:
            if public in names or public in namespace:
                raise ImportError(f"{package}.{name} exports {public!r}, which the package "
                                  f"already has")
            namespace[public] = getattr(module, public)
            names.append(public)
    return submodules, names
