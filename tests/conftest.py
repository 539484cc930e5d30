"""Shared test settings: a non-interactive matplotlib backend, hypothesis profile."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import settings  # noqa: E402

# Property tests explore shapes, not timing: no deadline (the first call of a shape may
# compile einsum paths), and a modest number of examples keeps the suite fast.
settings.register_profile("nnlib", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("nnlib")
