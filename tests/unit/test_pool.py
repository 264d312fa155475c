"""The engine's forked map: same results as a loop, in order, errors surfaced, no worker left behind."""

import os
import signal
from pathlib import Path

import pytest

from site_builder.engine.pool import chunked, parallel_map


def _children() -> set[int]:
    """The processes this one has started and not yet reaped."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            found |= {int(pid) for pid in (task / "children").read_text().split()}
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def _square(item: int, offset: int = 0) -> tuple[int, int]:
    return item * item + offset, os.getpid()


def test_results_keep_the_order_of_the_items_and_come_from_other_processes():
    items, before = list(range(1000)), _children()
    results = parallel_map(lambda item: _square(item, 7), items, 3)
    assert [value for value, _ in results] == [i * i + 7 for i in items]
    workers = {pid for _, pid in results}
    assert workers and os.getpid() not in workers
    assert _children() == before


@pytest.mark.parametrize("count", [64, 100, 1000, 25431])
def test_chunks_cover_the_items_in_order_and_shrink_towards_the_end(count):
    items = list(range(count))
    chunks = chunked(items, 2)
    assert [item for chunk in chunks for item in chunk] == items
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True) and len(chunks) <= 24
    assert sizes[-1] <= max(8, count // 50)
    assert count < 1000 or sizes[-1] < sizes[0] / 3


def test_one_job_runs_here_and_counts_progress():
    seen: list[int] = []
    results = parallel_map(_square, list(range(100)), 1, progress=seen.append)
    assert {pid for _, pid in results} == {os.getpid()} and sum(seen) == 100


def test_progress_counts_every_item_once_with_workers():
    seen: list[int] = []
    parallel_map(_square, list(range(500)), 2, progress=seen.append)
    assert sum(seen) == 500 and len(seen) > 1


def _fail_at(item: int, bad: int = 321) -> int:
    if item == bad:
        raise ValueError(f"item {item} is bad")
    return item


def test_an_exception_in_a_worker_is_raised_in_the_build_and_no_worker_is_left():
    before = _children()
    with pytest.raises(ValueError, match="item 321 is bad"):
        parallel_map(_fail_at, list(range(1000)), 2)
    assert _children() == before


def _die_at(item: int, bad: int = 500) -> int:
    if item == bad:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_a_worker_killed_midway_is_an_error_not_a_short_result():
    before = _children()
    with pytest.raises(RuntimeError, match="stopped without sending its results"):
        parallel_map(_die_at, list(range(1000)), 2)
    assert _children() == before


def _open_descriptors() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


def test_maps_leave_no_descriptor_open():
    before = _open_descriptors()
    for _ in range(5):
        parallel_map(_square, list(range(200)), 2)
    assert _open_descriptors() == before
