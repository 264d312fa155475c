"""The engine: everything that exists for speed, behind a small interface the pipeline calls.

- `run.map(function, items, key=...)`: `[function(item) for item in items]`, spread over the
  worker processes, each result reused from an earlier build while the digest of its inputs
  (`key(item)`) is the same.
- `run.memo(function, *arguments, key=...)`: one result, reused the same way.
- `run.previous(name)` and `run.remember(name=value)`: what a build leaves to the next.
- `run.aside(function)`: `function()` in another process while the build goes on.
- large texts kept aside on disk (`aside=`), references resolved only here;
- the garbage collector, paused during a build and frozen for the workers.

Tables live in memory for as long as the engine does (the preview), and on disk in the
project's `.cache/` between command-line builds.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from site_builder.engine.blobs import BlobCache
from site_builder.engine.cache import Pickles, load_tables, save_tables
from site_builder.engine.digest import digest
from site_builder.engine.pool import default_jobs, parallel_map, run_aside
from site_builder.engine.texts import StoredText, TextStore

Item = TypeVar("Item")
Progress = Callable[[str, int, int], None]
ASIDE = 1000  # fresh results from which a table is worth pickling in another process
_MAP, _MEMO = "map:", "memo:"
_TEXTS = "texts"  # the packs of the text store, and the bytes of texts named, when last counted
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
        self.texts = TextStore((folder / "texts").absolute())
        self.pickles = Pickles()
        self.tables: dict[str, Any] | None = None

    @contextmanager
    def run(self) -> Iterator[Run]:
        """One build: the collector paused, the tables of the last build at hand.

        The collector is paused while a build runs (a build makes almost no reference cycles,
        and would be scanned again and again); what is frozen for the workers or while the
        tables load is thawed at the end, so that a process running many builds collects it.
        """
        collecting = gc.isenabled()
        gc.disable()
        if self.tables is None:
            self.tables = load_tables(self.folder, self.project, self.pickles) \
                if self.persistent else {}
            gc.freeze()  # a million objects the collector need not scan while the build runs
        if not self.texts.holds(self.tables.get(_TEXTS, ({}, 0))[0]):  # a pack was lost
            self.texts.reset()
            self.tables = {}
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
        named, fresh = previous.get(_TEXTS, ({}, 0))[1], run.fresh
        if self.texts.crowded(named):  # the texts named are counted only then
            texts = set(_texts(tables))
            moved = self.texts.compact(texts)
            named = sum(text.size for text in (moved.values() if moved else texts))
            tables = {name: _moved(table, moved) if name.startswith(_RESULTS) else table
                      for name, table in tables.items()}
            fresh = {} if moved else fresh  # entries naming moved texts changed too
        self.tables = {**tables, _TEXTS: (self.texts.sizes(), named)}
        if self.persistent:
            save_tables(self.folder, self.project, self.tables, self.pickles, fresh)

    def named_texts(self) -> set[StoredText]:
        """Every stored text the tables name."""
        return set(_texts(self.tables or {}))

    def compiled_templates(self, settings: str) -> jinja2.BytecodeCache:
        """Where Jinja keeps the templates it compiled (found again by their source), for the
        next process: one folder for each digest of the settings, since compiling folds
        constant expressions such as `'/'|url` into the code."""
        folder = self.folder / "templates" / settings
        if not folder.is_dir():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.mkdir(parents=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    def blobs(self, name: str) -> BlobCache:
        """Files made from plain inputs (link-preview images), kept by the digest of them, for
        builds and previews alike."""
        return BlobCache(self.folder.parent / name)

    def scratch(self, name: str) -> Path:
        """A folder for a tool's working files during a build (its owner empties it)."""
        return self.folder / "scratch" / name

    def tidy(self) -> None:
        """Collect the garbage a build left (for a process that runs many builds)."""
        gc.collect()


class Run:
    """What one build asks of the engine."""

    def __init__(self, engine: Engine, tables: dict[str, Any]) -> None:
        self.engine = engine
        self.tables = tables
        self.used: dict[str, dict[Any, tuple[Any, str]]] = {}
        self.remembered: dict[str, Any] = {}
        self.digests: dict[int, tuple[Any, str]] = {}
        self.settled: dict[str, dict[Any, tuple[Any, str]]] = {}  # fresh, not pickled yet
        self.fresh: dict[str, list[Any]] = {}  # the keys of results made in this build

    def map(self, function: Callable[[Item], Any], items: Sequence[Item], *,
            key: Callable[[Item], Any] | None = None, valid: Callable[[Any], bool] | None = None,
            aside: str = "", label: str = "", name: str = "", cheap: bool = False) -> list[Any]:
        """`[function(item) for item in items]` in the workers, in order.

        With `key`, a result is reused from an earlier build while `key(item)` is the same
        (and `valid(result)` holds): a key is plain data, text and numbers in tuples, such as
        digests of the inputs. `aside` names a field of the results holding a large text,
        which is kept in the text store and replaced by a reference to it. `cheap` results,
        quicker to make than to load, are made here in every build and only their digests
        are kept.
        """
        table_name = _MAP + (name or _name(function))
        if cheap and key:
            return self._remade(function, items, key, table_name)
        earlier = self.tables.get(table_name, {})
        used = self.used.setdefault(table_name, {}) if key else {}
        keys = [key(item) for item in items] if key else [""] * len(items)
        results: list[Any] = [None] * len(items)
        todo = []
        for index, item_key in enumerate(keys):
            known = (used.get(item_key) or earlier.get(item_key)) if key else None
            if known is not None and (valid is None or valid(known[0])):
                results[index] = self._adopt(used, item_key, known)
            else:
                todo.append(index)
        compute = partial(_compute, function, aside, self.engine.texts)
        fresh = parallel_map(compute, [items[i] for i in todo], self.engine.jobs,
                             self._counter(label, todo))
        for index, made in zip(todo, fresh):
            results[index] = self._adopt(used, keys[index], made) if key else made[0]
        if key:
            self.fresh.setdefault(table_name, []).extend(keys[index] for index in todo)
        if key and len(todo) >= ASIDE:
            self.settled[table_name] = used
        return results

    def _remade(self, function: Callable[[Item], Any], items: Sequence[Item],
                key: Callable[[Item], Any], table_name: str) -> list[Any]:
        """Results made here, each digest reused while its key is the same."""
        earlier = self.tables.get(table_name, {})
        used = self.used.setdefault(table_name, {})
        results = []
        made = self.fresh.setdefault(table_name, [])
        for item in items:
            item_key, value = key(item), function(item)
            known = used.get(item_key) or earlier.get(item_key)
            if known is None:
                known = (None, digest(value))
                made.append(item_key)
            used[item_key] = known
            self.digests[id(value)] = (value, known[1])
            results.append(value)
        return results

    def fingerprints(self, function: Callable[[Item], Any], items: Sequence[Item], *,
                     key: Callable[[Item], Any]) -> list[str]:
        """The digest of `function(item)` for each item, made here, reused from an earlier build
        while `key(item)` is the same; the results themselves are not kept."""
        table_name = _MAP + _name(function)
        earlier = self.tables.get(table_name, {})
        used = self.used.setdefault(table_name, {})
        found = []
        made = self.fresh.setdefault(table_name, [])
        for item in items:
            item_key = key(item)
            known = used.get(item_key) or earlier.get(item_key)
            if known is None:
                known = (None, digest(function(item)))
                made.append(item_key)
            used[item_key] = known
            found.append(known[1])
        return found

    def memo(self, function: Callable[..., Any], *arguments: Any, key: Any,
             name: str = "") -> Any:
        """`function(*arguments)`, reused from an earlier build while `key` is the same (its
        digest is then the result's own: the result is made from what the key stands for)."""
        table_name = _MEMO + (name or _name(function))
        item_key = digest(key)
        known = self.tables.get(table_name, {}).get(item_key)
        fresh = known is None
        if fresh:
            known = (function(*arguments), item_key)
            self.fresh[table_name] = [item_key]
        used = self.used[table_name] = {}
        value = self._adopt(used, item_key, known)
        if fresh:
            self.settled[table_name] = used
            self._pickle_aside()
        return value

    def aside(self, function: Callable[[], Item]) -> Callable[[], Item]:
        """Start `function()` in another process while the build goes on (here, when it is
        called for, with one job); call the result for its value."""
        return run_aside(function) if self.engine.jobs > 1 else function

    def digest_of(self, value: Any) -> str:
        """The digest of a value the engine made or reused in this build (else computed)."""
        known = self.digests.get(id(value))
        return known[1] if known is not None and known[0] is value else digest(value)

    def previous(self, name: str, default: Any = None) -> Any:
        """What the last successful build remembered under a name."""
        return self.tables.get(name, default)

    def remember(self, **tables: Any) -> None:
        """Leave values to the next build by name, if this one succeeds (a dict is saved in
        buckets, which are pickled again only where its entries changed)."""
        self.remembered.update(tables)

    @property
    def jobs(self) -> int:
        return self.engine.jobs

    def _pickle_aside(self) -> None:
        """Pickle the tables made so far in another process, for a cache on disk: one fresh
        `memo` runs here alone, so a core is free for it."""
        if self.settled and self.engine.persistent and self.engine.jobs > 1:
            self.engine.pickles.start(self.settled)
            self.settled = {}

    def _adopt(self, used: dict[Any, tuple[Any, str]], key: Any, known: tuple[Any, str]) -> Any:
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
