"""Shared test settings: a non-interactive matplotlib backend, hypothesis profile, the
browser tests' fixtures.

The backend is chosen with ``matplotlib.use`` and not with the ``MPLBACKEND`` environment
variable, which nbval's kernels would inherit (they must keep the inline backend so the
notebooks' stored figures are reproduced).
"""

import matplotlib
import pytest
from book import HTML
from hypothesis import settings

matplotlib.use("Agg")

# Property tests explore shapes, not timing: no deadline (the first call of a shape may
# compile einsum paths), and a modest number of examples keeps the suite fast.
settings.register_profile("nnlib", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("nnlib")


def pytest_collection_modifyitems(config, items):
    """Mark what needs the built book, a kernel or a browser as ``slow``.

    ``make test`` runs the fast tests first (``-m "not slow"``) so that a library bug is
    named by its unit test before any notebook runs, then the slow ones: nbval's cells
    (which carry no markers of their own), the browser tests and the student edition.
    The slow stage runs on two pytest-xdist workers with ``--dist loadfile``: the cells of
    one notebook share a kernel and must run in order on one worker.
    """
    slow = pytest.mark.slow
    for item in items:
        if item.get_closest_marker("browser") or type(item).__module__.startswith("nbval"):
            item.add_marker(slow)


@pytest.fixture(scope="module")
def site():
    """The built book served on 127.0.0.1, for the browser tests."""
    from browser import serve

    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` (make test builds it first)")
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), for the browser tests."""
    from browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def watched(browser):
    """A fresh page (1280 × 900) that records console errors and blocks other hosts."""
    from browser import Watched

    w = Watched(browser)
    yield w
    w.close()
