"""Shared test settings: a non-interactive matplotlib backend, hypothesis profile.

The backend is chosen with ``matplotlib.use`` and not with the ``MPLBACKEND`` environment
variable, which nbval's kernels would inherit (they must keep the inline backend so the
notebooks' stored figures are reproduced).
"""

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# Property tests explore shapes, not timing: no deadline (the first call of a shape may
# compile einsum paths), and a modest number of examples keeps the suite fast.
settings.register_profile("nnlib", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("nnlib")
