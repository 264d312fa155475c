"""The on-disk cache: the engine's tables as the last build left them, in `.cache/` of the project."""

from __future__ import annotations

import io
import logging
import os
import pickle
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from site_builder import __version__
from site_builder.engine.digest import digest_bytes
from site_builder.engine.pool import run_aside

log = logging.getLogger(__name__)
CACHE_FORMAT = 8
BUCKETS = 64
STATE = "state.pickle"


def _code_digest() -> str:
    """A fingerprint of the generator's own code: a cache made by other code is not used."""
    folder = Path(__file__).parent.parent
    return digest_bytes(b"".join(path.read_bytes() for path in sorted(folder.rglob("*.py"))))


GENERATOR = f"{__version__}+{_code_digest()}"
CACHE_FOLDER = ".cache"


def cache_folder(project: Path, name: str) -> Path:
    """The folder of one kind of cache (`build`, `preview`) inside the project."""
    return project / CACHE_FOLDER / name


_GONE = object()


class _Pickler(pickle.Pickler):
    """Named tuples pickled as the tuples they are, so that loading makes them without calling
    their constructors, which run as Python code (most of what the tables hold)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
            return tuple.__new__, (type(obj), tuple(obj))
        return NotImplemented


def pickled(value: Any) -> bytes:
    """The bytes of a value, for `pickle.loads`."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=5).dump(value)
    return buffer.getvalue()


class _Dumped(NamedTuple):
    """A table as it was last pickled (or loaded): its entries, in buckets, and their bytes."""

    table: dict[Any, Any]
    buckets: list[dict[Any, Any]]
    blobs: list[bytes]


class Pickles:
    """Pickled forms of tables, reused where a table holds the very same entries.

    The entries of a table are pickled in buckets (by a digest of their key): loading a few
    dozen buckets is much faster than loading thousands of entries, and a build changes few
    entries, so a save pickles the buckets where an entry changed and copies the rest.
    """

    def __init__(self) -> None:
        self.dumped: dict[str, _Dumped] = {}
        self.places: dict[Any, int] = {}  # the bucket of each key seen so far
        self.aside: list[tuple[dict[str, dict[Any, Any]], Callable[[], dict[str, list[bytes]]]]] = []

    def start(self, tables: dict[str, dict[Any, Any]]) -> None:
        """Pickle tables that will not change again in another process, while this one goes
        on; `adopt` takes the result in."""
        self.aside.append((tables, run_aside(partial(self._dump_all, tables))))

    def adopt(self) -> None:
        """Take in the tables pickled in other processes (those that failed are pickled
        when the tables are saved)."""
        for tables, result in self.aside:
            try:
                pickled = result()
            except Exception as exc:
                log.info("could not pickle %s in another process: %s", ", ".join(tables), exc)
                continue
            for name, table in tables.items():
                self.dumped[name] = _Dumped(table, self._buckets(table), pickled[name])
        self.aside.clear()

    def _dump_all(self, tables: dict[str, dict[Any, Any]]) -> dict[str, list[bytes]]:
        return {name: self.dump(name, table) for name, table in tables.items()}

    def dump(self, name: str, table: dict[Any, Any], fresh: list[Any] | None = None) -> list[bytes]:
        """The pickled buckets of a table, pickling again only those that changed. `fresh`,
        when given, names every key whose entry may differ from the last dump (the others
        hold the very same values), which spares comparing them all."""
        last = self.dumped.get(name)
        if last is not None and last.table is table:
            return last.blobs
        if last is None:
            buckets = self._buckets(table)
            blobs = [pickled(bucket) for bucket in buckets]
        else:
            buckets, blobs = self._changed(last, table, fresh)
        self.dumped[name] = _Dumped(table, buckets, blobs)
        return blobs

    def load(self, name: str, blobs: list[bytes]) -> dict[Any, Any]:
        """A table from its pickled buckets, remembered as dumped."""
        table: dict[Any, Any] = {}
        buckets = []
        for index, data in enumerate(blobs):
            bucket = pickle.loads(data)
            buckets.append(bucket)
            self.places.update(dict.fromkeys(bucket, index))
            table.update(bucket)
        self.dumped[name] = _Dumped(table, buckets, list(blobs))
        return table

    def _changed(self, last: _Dumped, table: dict[Any, Any],
                 fresh: list[Any] | None) -> tuple[list[dict[Any, Any]], list[bytes]]:
        """The buckets and bytes of a table, made again only where its entries differ from the
        last dump (or a key came or went)."""
        old = last.table
        maybe = table.items() if fresh is None else ((key, table[key]) for key in fresh)
        changed = [key for key, value in maybe
                   if (known := old.get(key, _GONE)) is not value and known != value]
        gone = old.keys() - table.keys()
        if not changed and not gone:
            return last.buckets, last.blobs
        buckets, blobs = list(last.buckets), list(last.blobs)
        made: dict[int, dict[Any, Any]] = {}
        for key in changed:
            index = self._place(key)
            made.setdefault(index, dict(buckets[index]))[key] = table[key]
        for key in gone:
            index = self._place(key)
            del made.setdefault(index, dict(buckets[index]))[key]
        for index, bucket in made.items():
            buckets[index], blobs[index] = bucket, pickled(bucket)
        return buckets, blobs

    def _buckets(self, table: dict[Any, Any]) -> list[dict[Any, Any]]:
        buckets: list[dict[Any, Any]] = [{} for _ in range(BUCKETS)]
        for key, value in table.items():
            buckets[self._place(key)][key] = value
        return buckets

    def _place(self, key: Any) -> int:
        """The bucket of a key: by a digest of it, the same in every run (unlike `hash` of a
        string)."""
        index = self.places.get(key)
        if index is None:
            index = self.places[key] = zlib.crc32(repr(key).encode("utf-8")) % BUCKETS
        return index


def load_tables(folder: Path, project: Path, pickles: Pickles) -> dict[str, Any]:
    """The tables saved in `folder`, or none when they are missing, damaged or another's."""
    try:
        with open(folder / STATE, "rb") as handle:
            saved = pickle.load(handle)
        if saved.get("format") != CACHE_FORMAT or saved.get("generator") != GENERATOR or \
                saved.get("project") != str(project.resolve()):
            return {}
        return {name: pickles.load(name, data) if isinstance(data, list) else pickle.loads(data)
                for name, data in saved["tables"].items()}
    except FileNotFoundError:
        return {}
    except Exception as exc:  # a damaged cache is ignored, never trusted
        log.info("ignoring the cache in %s: %s", folder, exc)
        return {}


def save_tables(folder: Path, project: Path, tables: dict[str, Any], pickles: Pickles,
                fresh: dict[str, list[Any]]) -> None:
    """Write the tables in one step (a crash leaves the old cache or the new one); `fresh`
    names the keys of the entries each table got in this build (see `Pickles.dump`)."""
    pickles.adopt()
    folder.mkdir(parents=True, exist_ok=True)
    state = {"format": CACHE_FORMAT, "generator": GENERATOR, "project": str(project.resolve()),
             "tables": {name: pickles.dump(name, table, fresh.get(name)) if isinstance(table, dict)
                        else pickled(table) for name, table in tables.items()}}
    partial = folder / f".{STATE}.{os.getpid()}.part"
    with open(partial, "wb") as handle:
        pickle.dump(state, handle, protocol=5)
    os.replace(partial, folder / STATE)
