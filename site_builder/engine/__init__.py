"""The engine: everything that exists for speed, behind a small interface the pipeline calls.

- `run.map(function, items, key=...)`: `[function(item) for item in items]`, spread over the
  worker processes, each result reused from an earlier build while the digest of its inputs
  (`key(item)`) is the same.
- `run.memo(function, *arguments, key=...)`: one result, reused the same way.
- `run.previous(name)` and `run.remember(name, value)`: what a build leaves to the next.
- large texts kept aside on disk (`aside=`), references resolved only here;
- the garbage collector, paused during a build and frozen for the workers.

Tables live in memory for as long as the engine does (the preview), and on disk in the
project's `.cache/` between command-line builds.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from site_builder.engine.blobs import BlobCache
from site_builder.engine.cache import Pickles, load_tables, save_tables
from site_builder.engine.digest import digest
from site_builder.engine.pool import default_jobs, parallel_map
from site_builder.engine.texts import StoredText, TextStore

Item = TypeVar("Item")
Progress = Callable[[str, int, int], None]
_MAP, _MEMO = "map:", "memo:"
_RESULTS = (_MAP, _MEMO)


class Engine:
    """The tables, the text store and the workers of the builds of one project."""

    def __init__(self, folder: Path, project: Path, jobs: int = 0, persistent: bool = True,
                 progress: Progress | None = None) -> None:
        self.folder = folder
        self.project = project
        self.jobs = jobs or default_jobs()
        self.persistent = persistent
        self.progress = progress
        self.texts = TextStore(folder / "texts")
        self.pickles = Pickles()
        self.tables: dict[str, Any] | None = None

    @contextmanager
    def run(self) -> Iterator[Run]:
        """One build: the collector paused, the tables of the last build at hand."""
        if self.tables is None:
            self.tables = load_tables(self.folder, self.project, self.pickles) \
                if self.persistent else {}
        if not self.texts.holds(_texts(self.tables)):  # a pack was deleted or cut short
            self.texts.reset()
            self.tables = {}
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield Run(self, self.tables)
        finally:
            gc.unfreeze()
            if collecting:
                gc.enable()

    def finish(self, run: Run, succeeded: bool) -> None:
        """Keep what a build made for the next one. After a failed build, results are kept
        beside the earlier ones and what describes the output is left as it was."""
        previous = self.tables or {}
        tables = {name: ({**previous.get(name, {}), **table} if not succeeded else table)
                  for name, table in run.used.items()}
        if not succeeded:
            tables = {**previous, **tables}
        tables |= {name: value for name, value in run.remembered.items() if succeeded}
        moved = self.texts.compact(_texts(tables))
        self.tables = {name: _moved(table, moved) if name.startswith(_RESULTS) else table
                       for name, table in tables.items()}
        if self.persistent:
            save_tables(self.folder, self.project, self.tables, self.pickles)

    def named_texts(self) -> set[StoredText]:
        """Every stored text the tables name."""
        return set(_texts(self.tables or {}))

    def blobs(self, name: str) -> BlobCache:
        """Files made from plain inputs (link-preview images), kept by the digest of them."""
        return BlobCache(self.folder / name)

    def tidy(self) -> None:
        """Collect the garbage a build left (for a process that runs many builds)."""
        gc.collect()


class Run:
    """What one build asks of the engine."""

    def __init__(self, engine: Engine, tables: dict[str, Any]) -> None:
        self.engine = engine
        self.tables = tables
        self.used: dict[str, dict[str, tuple[Any, str]]] = {}
        self.remembered: dict[str, Any] = {}
        self.digests: dict[int, tuple[Any, str]] = {}

    def map(self, function: Callable[[Item], Any], items: Sequence[Item], *,
            key: Callable[[Item], Any] | None = None, valid: Callable[[Any], bool] | None = None,
            aside: str = "", label: str = "", name: str = "") -> list[Any]:
        """`[function(item) for item in items]` in the workers, in order.

        With `key`, a result is reused from an earlier build while `key(item)` has the same
        digest (and `valid(result)` holds); `aside` names a field of the results holding a
        large text, which is kept in the text store and replaced by a reference to it.
        """
        table_name = _MAP + (name or _name(function))
        earlier = self.tables.get(table_name, {})
        used = self.used.setdefault(table_name, {})
        keys = [digest(key(item)) for item in items] if key else [""] * len(items)
        results: list[Any] = [None] * len(items)
        todo = []
        for index, item_key in enumerate(keys):
            known = (used.get(item_key) or earlier.get(item_key)) if key else None
            if known is not None and (valid is None or valid(known[0])):
                results[index] = self._adopt(used, item_key, known)
            else:
                todo.append(index)
        compute = partial(_compute, function, aside, self.engine.texts)
        jobs = self.engine.jobs if len(todo) > 1 else 1
        fresh = parallel_map(compute, [items[i] for i in todo], jobs, self._counter(label, todo))
        for index, made in zip(todo, fresh):
            results[index] = self._adopt(used, keys[index], made) if key else made[0]
        return results

    def memo(self, function: Callable[..., Any], *arguments: Any, key: Any,
             name: str = "") -> Any:
        """`function(*arguments)`, reused from an earlier build while `key` is the same."""
        table_name = _MEMO + (name or _name(function))
        item_key = digest(key)
        known = self.tables.get(table_name, {}).get(item_key)
        if known is None:
            value = function(*arguments)
            known = (value, digest(value))
        self.used[table_name] = {}
        return self._adopt(self.used[table_name], item_key, known)

    def digest_of(self, value: Any) -> str:
        """The digest of a value the engine made or reused in this build (else computed)."""
        known = self.digests.get(id(value))
        return known[1] if known is not None and known[0] is value else digest(value)

    def previous(self, name: str, default: Any = None) -> Any:
        """What the last successful build remembered under a name."""
        return self.tables.get(name, default)

    def remember(self, name: str, value: Any) -> None:
        """Leave a value to the next build, if this one succeeds."""
        self.remembered[name] = value

    @property
    def jobs(self) -> int:
        return self.engine.jobs

    def _adopt(self, used: dict[str, tuple[Any, str]], key: str, known: tuple[Any, str]) -> Any:
        used[key] = known
        self.digests[id(known[0])] = known
        return known[0]

    def _counter(self, label: str, todo: list[int]) -> Callable[[int], None] | None:
        progress = self.engine.progress
        if progress is None or not label or not todo:
            return None
        done = [0]

        def advance(count: int) -> None:
            done[0] += count
            progress(label, done[0], len(todo))
        return advance


def _compute(function: Callable[[Any], Any], aside: str, texts: TextStore,
             item: Any) -> tuple[Any, str]:
    """A fresh result and its digest (in a worker); a large text put aside first."""
    value = function(item)
    if aside:
        value = value._replace(**{aside: texts.put(getattr(value, aside))})
    return value, digest(value)


def _name(function: Callable[..., Any]) -> str:
    while isinstance(function, partial):
        function = function.func
    return f"{function.__module__}.{function.__qualname__}"


def _texts(tables: dict[str, Any]) -> Iterator[StoredText]:
    """Every stored text the results of the tables name (as a field of a result)."""
    for name, table in tables.items():
        if name.startswith(_RESULTS):
            for value, _ in table.values():
                if isinstance(value, tuple):
                    yield from (field for field in value if isinstance(field, StoredText))


def _moved(table: dict[str, tuple[Any, str]],
           moved: dict[StoredText, StoredText]) -> dict[str, tuple[Any, str]]:
    """A table of results naming the texts where compaction moved them."""
    if not moved:
        return table
    return {key: (_relocated(value, moved) if isinstance(value, tuple) else value, value_digest)
            for key, (value, value_digest) in table.items()}


def _relocated(value: tuple, moved: dict[StoredText, StoredText]) -> tuple:
    if not any(isinstance(field, StoredText) and field in moved for field in value):
        return value
    return type(value)(*(moved.get(field, field) if isinstance(field, StoredText) else field
                         for field in value))
