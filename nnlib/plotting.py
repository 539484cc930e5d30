"""The figures of the book, each a function that returns a matplotlib ``Figure``.

Every explorer of the book is a pure drawing function here (one state in, one figure
out) plus a thin widget in :mod:`nnlib.widgets`. matplotlib is imported inside the
functions, so ``import nnlib`` stays free of it.
"""

from __future__ import annotations

# ---- section: autograd (computational graphs) ----
# <<end: autograd>>

