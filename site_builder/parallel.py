"""Parallel map over forked workers, which inherit the build's data instead of receiving it."""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import selectors
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS = 64
CHUNKS_PER_WORKER = 8
SMALLEST_CHUNK = 1 / 64
_PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    """The number of processes a build uses by default: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parallel_map(function: Callable[[Any, Item], Result], items: Sequence[Item], jobs: int,
                 shared: Any = None, progress: Callable[[int], None] | None = None,
                 meanwhile: Callable[[], None] | None = None) -> list[Result]:
    """`[function(shared, item) for item in items]`, spread over `jobs` processes.

    The items are cut into chunks; each chunk is taken by a process forked for it alone,
    which inherits `shared` and the rest of the build, sends its results back and exits, so
    no worker outlives its chunk or accumulates memory. Results keep the order of `items`,
    so the outcome does not depend on `jobs`. Few items, one job, or a system without fork
    run in this process alone.

    What exists when the work is handed out is frozen (`gc.freeze`) and stays frozen: no
    collector, the workers' or this process's, scans it again, so the workers do not copy
    the pages holding it and this process does not pause over a heap of long-lived objects.
    It is frozen without a collection first: a build leaves no cycles behind by then, and
    scanning the heap would keep both cores waiting. Whoever runs many builds in one process
    thaws and collects between them.

    `meanwhile` is work of this process's own, done once the first workers are running
    (or after the items, without workers).
    """
    if jobs <= 1 or len(items) < MIN_ITEMS or not hasattr(os, "fork"):
        results = []
        for item in items:
            results.append(function(shared, item))
            if progress:
                progress(1)
        if meanwhile:
            meanwhile()
        return results
    chunks = _chunks(items, jobs)
    _trim_heap()
    gc.freeze()
    done = _run_chunks(function, shared, chunks, jobs, progress, meanwhile)
    return [result for index in range(len(chunks)) for result in done[index]]


def _chunks(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
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


def run_aside(function: Callable[[], Result]) -> Worker:
    """Start `function()` in a forked process, while this one goes on; `wait()` for it."""
    gc.freeze()
    return Worker(lambda _shared, _item: function(), None, [None])


def _run_chunks(function: Callable[[Any, Any], Any], shared: Any, chunks: list[Sequence[Any]],
                jobs: int, progress: Callable[[int], None] | None,
                meanwhile: Callable[[], None] | None) -> dict[int, list[Any]]:
    """Run every chunk in its own forked worker, at most `jobs` at a time.

    A finished worker's results are read once the next worker is running, so no core waits
    while this process unpickles them.
    """
    done: dict[int, list[Any]] = {}
    waiting = list(reversed(range(len(chunks))))
    running: dict[int, Worker] = {}
    ended: list[tuple[int, Worker]] = []
    with selectors.DefaultSelector() as selector:
        try:
            while waiting or running or ended:
                while waiting and len(running) < jobs:
                    index = waiting.pop()
                    worker = Worker(function, shared, chunks[index])
                    running[index] = worker
                    selector.register(worker.fd, selectors.EVENT_READ, index)
                if meanwhile:
                    meanwhile, task = None, meanwhile
                    task()
                while ended:
                    index, worker = ended.pop()
                    done[index] = worker.finish()
                    if progress:
                        progress(len(done[index]))
                if running:
                    for key, _ in selector.select():
                        if running[key.data].receive():
                            selector.unregister(key.fd)
                            ended.append((key.data, running.pop(key.data)))
        finally:
            for _, worker in ended:
                worker.stop()
            for worker in running.values():
                worker.stop()
    return done


class Worker:
    """One forked process mapping `function` over one chunk and sending the results back."""

    def __init__(self, function: Callable[[Any, Any], Any], shared: Any,
                 chunk: Sequence[Any]) -> None:
        self.fd, write_fd = os.pipe()
        self.received: list[bytes] = []
        self.pid = os.fork()
        if self.pid == 0:  # the worker
            os.close(self.fd)
            _work(function, shared, chunk, write_fd)
        os.close(write_fd)

    def receive(self) -> bool:
        """Read what the worker sent; whether it has finished."""
        data = os.read(self.fd, 1 << 20)
        if data:
            self.received.append(data)
            return False
        return True

    def finish(self) -> list[Any]:
        """The finished worker's results, or its exception raised here."""
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        try:
            succeeded, value = pickle.loads(b"".join(self.received))
        except Exception as exc:
            raise RuntimeError("a build worker stopped without sending its results") from exc
        if not succeeded:
            raise value
        return value

    def wait(self) -> list[Any]:
        """Block until the worker has finished; its results."""
        while not self.receive():
            pass
        return self.finish()

    def stop(self) -> None:
        """End a worker whose results are no longer wanted."""
        os.close(self.fd)
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):  # pragma: no cover - already gone
            pass


def _work(function: Callable[[Any, Any], Any], shared: Any, chunk: Sequence[Any],
          write_fd: int) -> None:
    """The body of a worker: map, send the pickled results (or the exception), exit.

    The collector is off in a worker: the stages make no reference cycles (none were left
    after thousands of files, bodies or pages), and a worker lives for one chunk, so
    collecting would only scan every new object again and again.
    """
    try:
        _die_with_parent()
        gc.disable()
        try:
            payload = pickle.dumps((True, [function(shared, item) for item in chunk]), protocol=5)
        except BaseException as exc:  # sent to the build, which raises it
            payload = _pickled_failure(exc)
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)


def _pickled_failure(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), protocol=5)
    except Exception:
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")), protocol=5)


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
