"""The ipywidgets explorers of the book: thin wrappers over :mod:`nnlib.plotting`.

Each explorer is controls plus an ``Output`` that is filled kernel-side
(``out.outputs = (); out.append_display_data(fig)``) at start and on every change, so the
cell's only output is the widget view (stable under nbval) while Jupyter shows the live
figure. ipywidgets and matplotlib are imported inside the functions.
"""

from __future__ import annotations

