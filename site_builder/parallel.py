"""Parallel map over forked workers, which inherit the build's data instead of receiving it."""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import selectors
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_ITEMS = 64
CHUNKS_PER_WORKER = 8
CHUNKS_PER_LIFE = 2
SMALLEST_CHUNK = 1 / 64
_PR_SET_PDEATHSIG = 1
_NUMBER = struct.Struct("<I")  # a chunk number in the queue
_HEADER = struct.Struct("<IQ")  # a chunk number and the size of its pickled results
_RETIRED = 0xFFFFFFFF  # the chunk number of a worker's last word when it retires


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

    The items are cut into chunks, queued in a pipe; `jobs` workers, forked for this map
    alone, inherit `shared` and the rest of the build, take chunk after chunk from the queue
    and send each chunk's results back, then exit once the queue is empty (or retire, see
    `_run_chunks`). What a worker remembers from one chunk (templates loaded, fragments
    rendered) serves its next ones. Results keep the order of `items`, so the outcome does
    not depend on `jobs`. Few items, one job, or a system without fork run in this process
    alone.

    What exists when the work is handed out is frozen (`gc.freeze`) and stays frozen: no
    collector, the workers' or this process's, scans it again, so the workers do not copy
    the pages holding it and this process does not pause over a heap of long-lived objects.
    It is frozen without a collection first: a build leaves no cycles behind by then, and
    scanning the heap would keep both cores waiting. Whoever runs many builds in one process
    thaws and collects between them.

    `meanwhile` is work of this process's own, done once the workers are running (or after
    the items, without workers).
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
    queue = _queue(1)
    try:
        return Worker(lambda _shared, _item: function(), None, [[None]], queue)
    finally:
        os.close(queue)


def _queue(count: int) -> int:
    """A pipe holding the chunk numbers 0 to count - 1, closed for writing; its reading end.

    The numbers are written before any worker reads, so they must fit in the pipe's buffer
    (16,384 numbers on Linux; a map makes a few dozen chunks).
    """
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, b"".join(_NUMBER.pack(number) for number in range(count)))
    finally:
        os.close(write_fd)
    return read_fd


def _run_chunks(function: Callable[[Any, Any], Any], shared: Any, chunks: list[Sequence[Any]],
                jobs: int, progress: Callable[[int], None] | None,
                meanwhile: Callable[[], None] | None) -> dict[int, list[Any]]:
    """Run the chunks in `jobs` forked workers; each chunk's results, by chunk number.

    A worker retires after CHUNKS_PER_LIFE chunks and another takes its place while chunks
    remain: a worker's memory grows with what it remembers and with the build's objects it
    touches (each memory page it writes, if only to count a reference, is copied out of
    what it shares with this process), and this bounds it.
    """
    done: dict[int, list[Any]] = {}
    queue = _queue(len(chunks))
    workers: list[Worker] = []
    try:
        with selectors.DefaultSelector() as selector:

            def start() -> None:
                worker = Worker(function, shared, chunks, queue)
                workers.append(worker)
                selector.register(worker.fd, selectors.EVENT_READ, worker)

            for _ in range(min(jobs, len(chunks))):
                start()
            if meanwhile:
                meanwhile()
            while selector.get_map():
                for key, _ in selector.select():
                    ended = key.data.receive()
                    for index, results in key.data.results():
                        done[index] = results
                        if progress:
                            progress(len(results))
                    if ended:
                        selector.unregister(key.fd)
                        key.data.finish()
                        if key.data.retired and len(done) < len(chunks):
                            start()
    finally:
        os.close(queue)
        for worker in workers:
            worker.stop()
    if len(done) < len(chunks):
        raise RuntimeError("a build worker stopped without sending its results")
    return done


class Worker:
    """One forked process taking chunk numbers from a queue and sending each chunk's
    results back as they are ready."""

    def __init__(self, function: Callable[[Any, Any], Any], shared: Any,
                 chunks: Sequence[Sequence[Any]], queue: int) -> None:
        self.fd, write_fd = os.pipe()
        self.received = bytearray()
        self.retired = False
        self.pid = os.fork()
        if self.pid == 0:  # the worker
            os.close(self.fd)
            _work(function, shared, chunks, queue, write_fd)
        os.close(write_fd)

    def receive(self) -> bool:
        """Read what the worker sent; whether it has finished."""
        data = os.read(self.fd, 1 << 20)
        self.received += data
        return not data

    def results(self) -> Iterator[tuple[int, list[Any]]]:
        """The chunks received whole since the last call, as (number, results); a chunk
        that failed raises its exception here."""
        while len(self.received) >= _HEADER.size:
            index, size = _HEADER.unpack_from(self.received)
            if len(self.received) < _HEADER.size + size:
                return
            payload = self.received[_HEADER.size:_HEADER.size + size]
            del self.received[:_HEADER.size + size]
            if index == _RETIRED:
                self.retired = True
                continue
            succeeded, value = pickle.loads(payload)
            if not succeeded:
                raise value
            yield index, value

    def finish(self) -> None:
        """Reap the worker, which has closed its end."""
        os.close(self.fd)
        self.fd = -1
        os.waitpid(self.pid, 0)
        self.pid = 0

    def wait(self) -> list[Any]:
        """Block until the worker has finished; the results of its one chunk."""
        while not self.receive():
            pass
        found = list(self.results())
        self.finish()
        if not found:
            raise RuntimeError("a build worker stopped without sending its results")
        return found[0][1]

    def stop(self) -> None:
        """End a worker whose results are no longer wanted (nothing if it was reaped)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):  # pragma: no cover - already gone
                pass
            self.pid = 0


def _work(function: Callable[[Any, Any], Any], shared: Any, chunks: Sequence[Sequence[Any]],
          queue: int, write_fd: int) -> None:
    """The body of a worker: map chunk after chunk, send each one's pickled results (or the
    exception, which ends the worker), exit when the queue is empty or after
    CHUNKS_PER_LIFE chunks.

    The collector is off in a worker: the stages make no reference cycles (none were left
    after thousands of files, bodies or pages), so collecting would only scan every new
    object again and again.
    """
    try:
        _die_with_parent()
        gc.disable()
        with os.fdopen(write_fd, "wb") as out:
            for _ in range(CHUNKS_PER_LIFE):
                number = os.read(queue, _NUMBER.size)
                if not number:
                    return
                (index,) = _NUMBER.unpack(number)
                try:
                    payload = pickle.dumps((True, [function(shared, item)
                                                   for item in chunks[index]]), protocol=5)
                except BaseException as exc:  # sent to the build, which raises it
                    _send(out, index, _pickled_failure(exc))
                    return
                _send(out, index, payload)
            _send(out, _RETIRED, b"")
    finally:
        os._exit(0)


def _send(out: BinaryIO, index: int, payload: bytes) -> None:
    """Send one chunk's pickled results, framed by its number and size."""
    out.write(_HEADER.pack(index, len(payload)))
    out.write(payload)
    out.flush()


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
