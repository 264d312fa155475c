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
    """`[function(shared, item) for item in items]`, spread over `jobs` forked processes.

    Results keep the order of `items`, so the outcome does not depend on `jobs`. Few items,
    one job, or a system without fork run in this process.
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
    gc.freeze()
    size = max(1, len(items) // (jobs * CHUNKS_PER_WORKER))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    results = []
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_die_with_parent) as pool:
            for done in pool.imap(_run_chunk, chunks):
                results.extend(done)
                if progress:
                    progress(len(done))
    finally:
        _TASK = None
        gc.unfreeze()
    return results


def _die_with_parent() -> None:
    """Ask Linux to stop this worker when the build that forked it is killed.

    The worker never collects garbage: it lives for one stage, and a collection would
    touch (and so copy) every page of memory it shares with the build.
    """
    gc.disable()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _TASK is not None
    function, shared = _TASK
    return [function(shared, item) for item in chunk]
