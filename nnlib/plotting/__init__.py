"""The figures of the book, each a function that returns a matplotlib ``Figure``, and its
explorers.

A chapter's figures live in ``chNN_<chapter>.py`` (:mod:`~nnlib.plotting.ch01_neural_networks`
... :mod:`~nnlib.plotting.ch09_putting_it_together`, and
:mod:`~nnlib.plotting.ch04_graph` for the computational graph), each of its explorers in
``chNN_explorer_<name>.py``: a pure drawing function (one state in, one figure out) and its
declaration, an :class:`~nnlib.widgets.Explorer` named ``<name>_explorer``. matplotlib is
imported inside the functions, so ``import nnlib`` stays free of it.

The public names of every submodule (its ``__all__``) are collected here, so
``from nnlib.plotting import plot_conv, conv_explorer`` works, and ``EXPLORERS`` holds
every explorer by name: the tests, the benchmarks and the API page walk it.
"""

from __future__ import annotations

from .._collect import collect
from ..widgets import Explorer

#: The submodules, in chapter order.
SUBMODULES, __all__ = collect(__name__, __path__, globals())

#: Every explorer of the book by its name (``"lr"``, ``"conv"``, ...), in chapter order.
EXPLORERS: dict[str, Explorer] = {value.name: value for value in map(globals().get, __all__)
                                  if isinstance(value, Explorer)}
__all__ += ["EXPLORERS", "SUBMODULES"]
