"""Parallel map over forked workers, which inherit the build's data instead of receiving it."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS = 64
CHUNKS_PER_WORKER = 8
_PR_SET_PDEATHSIG = 1
_TASK: tuple[Callable[[Any, Any], Any], Any] | None = None


def default_jobs() -> int:
    """The number of processes a build uses by default: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parallel_map(function: Callable[[Any, Item], Result], items: Sequence[Item], jobs: int,
                 shared: Any = None,
                 progress: Callable[[int], None] | None = None) -> list[Result]:
    """`[function(shared, item) for item in items]`, spread over `jobs` processes.

    This process takes every `jobs`-th chunk itself and `jobs - 1` forked workers take the
    rest. Results keep the order of `items`, so the outcome does not depend on `jobs`. Few
    items, one job, or a system without fork run in this process alone.
    """
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(function(shared, item))
            if progress:
                progress(1)
        return results
    global _TASK
    _TASK = (function, shared)
    gc.collect()
    _trim_heap()
    gc.freeze()  # what the workers inherit is never scanned, so never copied, by their collector
    size = max(1, len(items) // (jobs * CHUNKS_PER_WORKER))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    mine = range(0, len(chunks), jobs)
    theirs = [i for i in range(len(chunks)) if i % jobs]
    done: dict[int, list[Result]] = {}
    try:
        with multiprocessing.get_context("fork").Pool(jobs - 1,
                                                      initializer=_die_with_parent) as pool:
            pending = pool.imap(_run_chunk, [chunks[i] for i in theirs])
            for index in mine:
                done[index] = _run_chunk(chunks[index])
                if progress:
                    progress(len(done[index]))
            for index, results in zip(theirs, pending):
                done[index] = results
                if progress:
                    progress(len(results))
    finally:
        _TASK = None
        gc.unfreeze()
    return [result for index in range(len(chunks)) for result in done[index]]


def _trim_heap() -> None:
    """Give freed memory back to the system before forking (glibc keeps it otherwise)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _die_with_parent() -> None:
    """Ask Linux to stop this worker when the build that forked it is killed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _TASK is not None
    function, shared = _TASK
    return [function(shared, item) for item in chunk]
