"""Shared test settings: a non-interactive matplotlib backend, hypothesis profile, the
browser tests' fixtures.

The backend is chosen with ``matplotlib.use`` and not with the ``MPLBACKEND`` environment
variable, which nbval's kernels would inherit (they must keep the inline backend so the
notebooks' stored figures are reproduced).
"""

import re

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
    """Mark what needs the built book, a kernel or a browser as ``slow``; longest first.

    ``make test`` runs the fast tests first (``-m "not slow"``) so that a library bug is
    named by its unit test before any notebook runs, then the slow ones: nbval's cells
    (which carry no markers of their own), the browser tests and the student edition.
    The slow ones are put in the order of ``LONGEST_FIRST`` (see ``work_unit``).
    """
    for item in items:
        if item.get_closest_marker("browser") or type(item).__module__.startswith("nbval"):
            item.add_marker(pytest.mark.slow)
    rank = {unit: i for i, unit in enumerate(LONGEST_FIRST)}
    # stable: a notebook's cells, and the tests of one unit, keep their order
    items.sort(key=lambda item: rank.get(work_unit(item.nodeid), len(rank)))


# -- the slow stage on two workers ------------------------------------------------------
#
# `make test` runs the slow tests on two pytest-xdist workers with `--dist loadfile`: the
# cells of a notebook share a kernel and must run in order on one worker, as must the
# tests of a module that share a JupyterLab. But the per-page browser checks are most of
# the stage, in a few files: whole files do not spread evenly over two workers. So a
# browser test that takes a page of the book as its parameter is a work unit of its
# own with that page's other tests of the same file (they share the page's module-scoped
# load; only the browser itself is started once more on the other worker). The units are
# handed out longest first, so that no long one is left for the end while the other
# worker idles. (xdist's own `--dist loadgroup` cannot group nbval's cells here: it tags
# `item._nodeid`, which pytest 9 no longer reads.)

#: The slow stage's longest work units, longest first (measured with --durations). This
#: is only an order: a stale entry costs balance, not correctness.
LONGEST_FIRST = ("tests/test_reproducibility.py", "tests/test_browser_live.py",
                 "tests/test_chapter_sources.py",
                 "tests/test_browser_pages.py[chapters/api.html]",
                 "tests/test_browser_pages.py[chapters/06_convolutions.html]",
                 "tests/test_browser_figures.py",
                 "tests/test_browser_pages.py[chapters/08_cross_entropy.html]",
                 "tests/test_browser_pages.py[chapters/01_neural_networks.html]")
PAGE_PARAMETER = re.compile(r"\[([^\[\]]+\.html)\]$")


def work_unit(nodeid: str) -> str:
    """The slow stage's work unit of a test: its file, or its file and page of the book
    (``"tests/test_browser_pages.py[chapters/intro.html]"``)."""
    path, _, test = nodeid.partition("::")
    page = PAGE_PARAMETER.search(test)
    return f"{path}[{page.group(1)}]" if page else path


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with the work units of ``work_unit``, in collection order."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByFileAndPage(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False     # keep LONGEST_FIRST's order
    return ByFileAndPage(config, log)


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


def quick_png(fig, dpi=None, compress_level=None) -> bytes:
    """Stands in for the PNG rendering of an explorer's frame (most of a kernel-free
    control's build time): the drawing still runs, and the 'PNG' is the figure's suptitle,
    its alt text. The rendering itself is checked by the live widgets' tests and by
    ``test_real_frames_are_rendered_the_same_twice`` (``tests/test_widgets.py``)."""
    return b"\x89PNG " + fig.get_suptitle().encode()


@pytest.fixture
def quick(monkeypatch):
    """Explorers, live and kernel-free, without the PNG rendering (see ``quick_png``)."""
    from nnlib import widgets

    monkeypatch.setattr(widgets, "figure_png", quick_png)


@pytest.fixture(scope="module")
def picture():
    """The convolution and pooling explorers' sample picture."""
    from nnlib.plotting import explorer_image

    return explorer_image()
