"""The on-disk cache: the engine's tables as the last build left them, in `.cache/` of the project."""

from __future__ import annotations

import logging
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from site_builder import __version__
from site_builder.engine.digest import digest_bytes

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


class Pickles:
    """Pickled forms of tables, reused while a bucket holds the very same entries.

    A build changes few entries, so a save pickles the buckets that changed and copies the
    rest as bytes. The entries of a table are pickled in buckets (by a digest of their
    key): loading a few dozen buckets is much faster than loading thousands of entries.
    """

    def __init__(self) -> None:
        self.known: dict[tuple[str, int], tuple[dict[Any, Any], bytes]] = {}

    def dump(self, name: str, table: dict[Any, Any]) -> list[bytes]:
        blobs = []
        for index, bucket in enumerate(_buckets(table)):
            known = self.known.get((name, index))
            if known is None or not _same(known[0], bucket):
                known = self.known[(name, index)] = (bucket, pickle.dumps(bucket, protocol=5))
            blobs.append(known[1])
        return blobs

    def load(self, name: str, blobs: list[bytes]) -> dict[Any, Any]:
        table: dict[Any, Any] = {}
        for index, data in enumerate(blobs):
            bucket = pickle.loads(data)
            self.known[(name, index)] = (bucket, data)
            table.update(bucket)
        return table


def _buckets(table: dict[Any, Any]) -> list[dict[Any, Any]]:
    buckets: list[dict[Any, Any]] = [{} for _ in range(BUCKETS)]
    for key, value in table.items():
        buckets[zlib.crc32(repr(key).encode("utf-8")) % BUCKETS][key] = value
    return buckets


def _same(old: dict[Any, Any], new: dict[Any, Any]) -> bool:
    """Whether two buckets hold the very same entries."""
    return old.keys() == new.keys() and all(old[key] is value for key, value in new.items())


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


def save_tables(folder: Path, project: Path, tables: dict[str, Any], pickles: Pickles) -> None:
    """Write the tables in one step (a crash leaves the old cache or the new one)."""
    folder.mkdir(parents=True, exist_ok=True)
    state = {"format": CACHE_FORMAT, "generator": GENERATOR, "project": str(project.resolve()),
             "tables": {name: pickles.dump(name, table) if isinstance(table, dict)
                        else pickle.dumps(table, protocol=5) for name, table in tables.items()}}
    partial = folder / f".{STATE}.{os.getpid()}.part"
    with open(partial, "wb") as handle:
        pickle.dump(state, handle, protocol=5)
    os.replace(partial, folder / STATE)
