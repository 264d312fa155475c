"""Parallel map over forked worker processes, which inherit the build's data instead of receiving it."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS = 64
CHUNKS_PER_WORKER = 8
CHUNKS_PER_LIFE = 4
SMALLEST_CHUNK = 1 / 64
_WORK: list[tuple[Callable[[Any], Any], Sequence[Sequence[Any]]]] = []


def default_jobs() -> int:
    """The number of processes a build uses by default: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int,
                 progress: Callable[[int], None] | None = None) -> list[Result]:
    """`[function(item) for item in items]`, spread over `jobs` forked processes, in order.

    The items are cut into chunks; the workers are forked once the chunks are ready, so
    they inherit `function`, the items and everything the build made before (nothing of it
    is pickled), and each sends back the results of a chunk. What exists at the fork is
    frozen (`gc.freeze`), so that no collector, the workers' or this process's, scans it
    again and the workers do not copy the memory holding it. A worker retires after
    CHUNKS_PER_LIFE chunks and a new one takes the next: each memory page of the build a
    worker writes to, if only to count a reference, becomes its own copy, and a worker
    that lived through a whole map grew to the size of the build. Few items, one job, or a
    system without fork run in this process alone.
    """
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(function(item))
            if progress:
                progress(1)
        return results
    chunks = chunked(items, jobs)
    pending = list(range(len(chunks)))[::-1]
    done: dict[int, list[Result]] = {}
    futures: dict[Future, ProcessPoolExecutor] = {}
    given: dict[ProcessPoolExecutor, int] = {}

    def give(pool: ProcessPoolExecutor | None = None) -> None:
        """The next chunk in line to a worker, or to a new one (`None`)."""
        if pool is None:
            pool = forked_pool(1, function, chunks)
            given[pool] = 0
        futures[pool.submit(_run_chunk, pending.pop())] = pool
        given[pool] += 1

    try:
        for _ in range(min(jobs, len(pending))):
            give()
        while futures:
            for future in wait(futures, return_when=FIRST_COMPLETED).done:
                pool = futures.pop(future)
                index, results = _outcome(future)
                done[index] = results
                if progress:
                    progress(len(results))
                retiring = given[pool] >= CHUNKS_PER_LIFE
                if pending:
                    give(None if retiring else pool)  # a worker retires; a new one follows
                if retiring or not pending:
                    pool.shutdown()
    finally:
        for pool in given:
            pool.shutdown(cancel_futures=True)
        _WORK.clear()
    return [result for index in range(len(chunks)) for result in done[index]]


def run_aside(function: Callable[[], Result]) -> Callable[[], Result]:
    """Start `function()` in a forked process while this one goes on; call the result to wait
    for its value. The process ends as soon as its work is done."""
    pool = forked_pool(1, lambda _: function(), [[None]])
    future = pool.submit(_run_chunk, 0)
    _WORK.clear()
    future.add_done_callback(lambda _: pool.shutdown(wait=False))  # the process ends at once

    def result() -> Result:
        try:
            return _outcome(future)[1][0]
        finally:
            pool.shutdown()
    return result


def forked_pool(jobs: int, function: Callable[[Any], Any],
                chunks: Sequence[Sequence[Any]]) -> ProcessPoolExecutor:
    """A pool of `jobs` forked workers that run `function` over the chunks they are given by
    number (see `parallel_map`)."""
    _WORK[:] = [(function, chunks)]
    gc.freeze()
    return ProcessPoolExecutor(jobs, multiprocessing.get_context("fork"), initializer=_start_worker)


def _start_worker() -> None:
    """In a new worker: no collector, and an end as soon as the build's process ends (killed,
    it leaves its workers waiting for ever to send results nobody reads)."""
    gc.disable()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _run_chunk(index: int) -> tuple[int, list[Any]]:
    """A chunk's number and results, in a worker."""
    function, chunks = _WORK[0]
    return index, [function(item) for item in chunks[index]]


def _outcome(future: Future) -> Any:
    try:
        return future.result()
    except BrokenProcessPool:
        raise RuntimeError("a build worker stopped without sending its results") from None


def chunked(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    """Contiguous chunks of equal size, but the last ones smaller, each a share of what is
    left, so that the workers finish together."""
    largest = -(-len(items) // (jobs * CHUNKS_PER_WORKER))
    smallest = max(8, int(len(items) * SMALLEST_CHUNK))
    chunks, start = [], 0
    while start < len(items):
        size = min(largest, max(smallest, -(-(len(items) - start) // (2 * jobs))))
        chunks.append(items[start:start + size])
        start += size
    return chunks
