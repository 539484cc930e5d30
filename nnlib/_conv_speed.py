"""How :mod:`nnlib.conv` is made fast, kept apart from the sums it computes.

Three things, none of which changes a bit of any result:

* **Chunks.** A batch is worked on a few images at a time, about ``CHUNK_BYTES`` of them
  (``chunks``): a convolution's im2col columns for a few images, and a pooling's ``k``
  passes over the kernel offsets, then stay in the CPU's cache, which makes them faster
  than passes over the whole batch (and the columns, ``k²/s²`` times the input, need
  memory for a few images only). Every image's results are computed on their own, so
  the chunks give the same numbers as one pass over the batch.
* **Two threads.** The chunks run on ``POOL_THREADS`` threads (``each_chunk``; numpy's
  copies, loops and matrix products let go of the interpreter, so each thread has a core)
  once there is enough work: a convolution from two chunks of columns (over 2 MiB),
  forward and backward (``conv_chunks``), a pooling from ``PARALLEL_BYTES`` of input
  (``pool_chunks``). The chunks write disjoint slices of the result, and what they give
  back is returned in chunk order, whichever thread finished first.
* **One BLAS thread per chunk.** While a convolution's chunks run on two threads, BLAS
  runs on one (threadpoolctl's limit): two threads each handing their products to
  OpenBLAS's two would keep four threads busy on two cores, slower than no threads of ours
  at all. (It also keeps the bits: OpenBLAS on several threads may round a large product
  differently, threads of ours or not.)

The thresholds were measured with ``benchmarks/conv_bench.py``.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["CHUNK_BYTES", "POOL_THREADS", "PARALLEL_BYTES", "chunks", "conv_chunks",
           "pool_chunks", "each_chunk"]

#: About this many bytes of columns or images (see ``chunks``) are worked on at a time.
CHUNK_BYTES = 1 << 21
#: Threads a pooling or a convolution spreads its chunks of images over (numpy's loops
#: let go of the interpreter, so each runs on a core of its own); 1 on a one-core machine.
POOL_THREADS = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
#: Inputs smaller than this are pooled on one thread: below about 1 MiB, handing chunks to
#: a second thread costs more than it saves (measured with benchmarks/conv_bench.py).
PARALLEL_BYTES = 1 << 20


def chunks(n_images: int, bytes_per_image: int, at_least: int = 1) -> list[slice]:
    """Slices of a batch of ``n_images`` that hold about ``CHUNK_BYTES`` each (≥ 1 image),
    and at least ``at_least`` of them when there are that many images."""
    step = max(1, min(CHUNK_BYTES // bytes_per_image, -(-n_images // at_least)))
    return [slice(n, n + step) for n in range(0, n_images, step)]


def conv_chunks(windows: np.ndarray) -> list[slice]:
    """The chunks of a convolution's batch: ``CHUNK_BYTES`` of im2col columns each, one
    image's columns being as large as its windows ``(C, H', W', k, k)``."""
    return chunks(len(windows), windows[0].size * windows.itemsize)


def pool_chunks(x: np.ndarray) -> list[slice]:
    """The chunks of a pooling's batch ``x``: ``CHUNK_BYTES`` of images each, and at least
    one per thread once ``x`` holds ``PARALLEL_BYTES`` (below, handing work to a second
    thread costs more than it saves)."""
    threads = POOL_THREADS if x.nbytes >= PARALLEL_BYTES else 1
    return chunks(len(x), x[0].nbytes, at_least=threads)


@functools.cache
def _threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=POOL_THREADS, thread_name_prefix="nnlib-pool")


@functools.cache
def _blas_controller():
    """threadpoolctl's handle on numpy's BLAS, or ``None`` without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - scikit-learn (the book) and the tests bring it
        return None
    return ThreadpoolController()


def each_chunk(work: Callable, chunks: Sequence, *, matrix_products: bool = False) -> list:
    """``[work(chunk) for chunk in chunks]``, on ``POOL_THREADS`` threads when there are
    several chunks. The chunks must write disjoint slices: then the result is the same
    bits as on one thread. A chunk's error is raised here.

    ``matrix_products`` (a convolution's chunks): while the chunks run on two threads,
    BLAS runs on one (threadpoolctl's limit, for the whole process, given back afterwards).
    Without threadpoolctl to set that limit, such work stays on one thread.
    """
    blas = _blas_controller() if matrix_products else None
    if POOL_THREADS < 2 or len(chunks) < 2 or (matrix_products and blas is None):
        return [work(chunk) for chunk in chunks]
    one_blas_thread = (contextlib.nullcontext() if blas is None
                       else blas.limit(limits=1, user_api="blas"))
    with one_blas_thread:
        return list(_threads().map(work, chunks))    # in chunk order
