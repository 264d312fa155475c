"""The persistent cache: what earlier builds computed, kept in `.cache/` of the project."""

from __future__ import annotations

import gc
import logging
import os
import pickle
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from site_builder import __version__
from site_builder.load.content import FileMemo
from site_builder.engine.digest import digest_bytes
from site_builder.link import LinkMemo
from site_builder.markdown.render import RenderedBody
from site_builder.output import OutputMemo
from site_builder.plan.pages import PlanMemo
from site_builder.parallel import Worker, run_aside

log = logging.getLogger(__name__)
CACHE_FORMAT = 7
BUCKETS = 64


def _code_digest() -> str:
    """A fingerprint of the generator's own code: a cache made by other code is not used."""
    folder = Path(__file__).parent.parent
    return digest_bytes(b"".join(path.read_bytes() for path in sorted(folder.rglob("*.py"))))


GENERATOR = f"{__version__}+{_code_digest()}"
CACHE_FOLDER = ".cache"


@dataclass
class BuildCache:
    """What earlier builds computed; an entry is reused only while its inputs are unchanged."""

    files: dict[str, FileMemo] = field(default_factory=dict)
    bodies: dict[tuple, tuple[RenderedBody, tuple[str, ...]]] = field(default_factory=dict)
    links: LinkMemo = field(default_factory=LinkMemo)
    plan: PlanMemo = field(default_factory=PlanMemo)
    outputs: OutputMemo = field(default_factory=OutputMemo)
    live: dict[str, str] = field(default_factory=dict)
    strict: bool | None = None
    search_key: str = ""
    body_store: str = ""
    renderer: Any = field(default=None, repr=False)


def cache_folder(project: Path, name: str) -> Path:
    """The folder of one kind of cache (`build`, `preview`) inside the project."""
    return project / CACHE_FOLDER / name


class _Blobs:
    """Pickled forms of cache entries, reused while an entry is the very same object.

    A build changes few entries, so a save pickles those and copies the rest as bytes. The
    entries of a large table are pickled in buckets (by a digest of their key): loading a
    few dozen buckets is much faster than loading thousands of entries one by one.
    """

    def __init__(self) -> None:
        self.known: dict[Any, tuple[Any, bytes]] = {}

    def dump(self, key: Any, value: Any) -> bytes:
        known = self.known.get(key)
        if known is not None and known[0] is value:
            return known[1]
        data = pickle.dumps(value, protocol=5)
        self.known[key] = (value, data)
        return data

    def load(self, key: Any, data: bytes) -> Any:
        value = pickle.loads(data)
        self.known[key] = (value, data)
        return value

    def dump_table(self, name: str, table: dict[Any, Any]) -> list[bytes]:
        """A table as pickled buckets, each reused as it was while its entries are the same."""
        blobs = []
        for index, bucket in enumerate(_buckets(table)):
            known = self.known.get((name, index))
            if known is not None and _same(known[0], bucket):
                blobs.append(known[1])
            else:
                blobs.append(self.dump((name, index), bucket))
        return blobs

    def adopt(self, key: str, value: Any, data: bytes | list[bytes]) -> None:
        """Remember a value or table pickled by another process (by `dump` or `dump_table`)."""
        if isinstance(data, bytes):
            self.known[key] = (value, data)
            return
        for index, (bucket, blob) in enumerate(zip(_buckets(value), data)):
            self.known[(key, index)] = (bucket, blob)

    def load_table(self, name: str, blobs: list[bytes]) -> dict[Any, Any]:
        """A table from its pickled buckets, remembered for the next save."""
        table: dict[Any, Any] = {}
        for index, data in enumerate(blobs):
            table.update(self.load((name, index), data))
        return table


def _buckets(table: dict[Any, Any]) -> list[dict[Any, Any]]:
    """The entries of a table, in their buckets."""
    buckets: list[dict[Any, Any]] = [{} for _ in range(BUCKETS)]
    for key, value in table.items():
        buckets[_bucket(key)][key] = value
    return buckets


def _bucket(key: Any) -> int:
    """The bucket of a key: the same in every run, unlike `hash` of a string."""
    return zlib.crc32(repr(key).encode("utf-8")) % BUCKETS


def _same(old: dict[Any, Any], new: dict[Any, Any]) -> bool:
    """Whether two buckets hold the very same entries."""
    return old.keys() == new.keys() and all(old[key] is value for key, value in new.items())


_BLOBS = _Blobs()


def load_cache(folder: Path, project: Path) -> BuildCache:
    """The cache saved in `folder`, or an empty one when it is missing, corrupt or foreign.

    Loading creates a million small objects; they are moved out of the garbage collector's
    sight (`gc.freeze`), so that the build never pauses to scan them.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(folder / "state.pickle", "rb") as handle:
            saved = pickle.load(handle)
        if saved.get("format") != CACHE_FORMAT or saved.get("version") != GENERATOR or \
                saved.get("project") != str(project.resolve()):
            return BuildCache()
        cache = _unpack(saved)
        gc.freeze()
        return cache
    except FileNotFoundError:
        return BuildCache()
    except Exception as exc:  # a damaged cache is ignored, never trusted
        log.info("ignoring the cache in %s: %s", folder, exc)
        return BuildCache()
    finally:
        if collecting:
            gc.enable()


def _unpack(saved: dict[str, Any]) -> BuildCache:
    blobs = _BLOBS
    cache = BuildCache(strict=saved["strict"], body_store=saved["body_store"],
                       search_key=saved["search_key"])
    cache.files = blobs.load_table("files", saved["files"])
    cache.bodies = blobs.load_table("bodies", saved["bodies"])
    cache.links = LinkMemo(saved["link_key"], blobs.load("relations", saved["relations"]))
    plan = saved["plan"]
    cache.plan = PlanMemo(plan["basis"], plan["settings"],
                          blobs.load_table("pages", plan["table"]),
                          blobs.load("plan errors", plan["errors"]))
    cache.outputs = blobs.load("outputs", saved["outputs"])
    return cache


class PickledAhead:
    """The parts of the cache that no later stage of a build changes, pickled as soon as
    they are final: the file and body tables once bodies are rendered, the relations once
    they are linked; saving the cache at the end finds them done.

    A build that loaded no cache pickles them all, so with more than one job each part is
    pickled in another process, while this one links and plans on one core; a build that
    loaded one pickles few buckets again, here, when it takes the parts in (`take_in`).
    """

    def __init__(self, cache: BuildCache, jobs: int) -> None:
        self.cache = cache
        self.aside = jobs > 1 and ("files", 0) not in _BLOBS.known
        self.started: list[tuple[dict[str, Any], Worker]] = []

    def start(self, **parts: Any) -> None:
        """Begin pickling final parts: tables (dicts, pickled in buckets) or single values."""
        if self.aside:
            self.started.append((parts, run_aside(partial(_pickle_parts, parts))))

    def take_in(self) -> None:
        """Take in what the other processes pickled, or pickle the parts here."""
        if not self.aside:
            _settled(self.cache)
        while self.started:
            parts, aside = self.started.pop()
            try:
                for name, data in aside.wait()[0].items():
                    _BLOBS.adopt(name, parts[name], data)
            except Exception as exc:  # pickled when the cache is saved instead
                log.info("could not pickle the cache in another process: %s", exc)

    def stop(self) -> None:
        """Stop the other processes, if the build ended without taking their work in."""
        for _, aside in self.started:
            aside.stop()
        self.started.clear()


def _pickle_parts(parts: dict[str, Any]) -> dict[str, bytes | list[bytes]]:
    return {name: _BLOBS.dump_table(name, value) if isinstance(value, dict)
            else _BLOBS.dump(name, value) for name, value in parts.items()}


def _settled(cache: BuildCache) -> dict[str, Any]:
    """The pickled tables that are final once pages are planned: files, bodies, relations."""
    return {"files": _BLOBS.dump_table("files", cache.files),
            "bodies": _BLOBS.dump_table("bodies", cache.bodies),
            "relations": _BLOBS.dump("relations", cache.links.relations)}


def save_cache(folder: Path, project: Path, cache: BuildCache) -> None:
    """Write the cache in one step (a crash leaves the old one or the new one)."""
    folder.mkdir(parents=True, exist_ok=True)
    blobs = _BLOBS
    state = {
        "format": CACHE_FORMAT, "version": GENERATOR, "project": str(project.resolve()),
        "strict": cache.strict, "body_store": cache.body_store, "search_key": cache.search_key,
        **_settled(cache), "link_key": cache.links.key,
        "plan": {"basis": cache.plan.basis, "settings": cache.plan.settings,
                 "table": blobs.dump_table("pages", cache.plan.table),
                 "errors": blobs.dump("plan errors", cache.plan.errors)},
        "outputs": pickle.dumps(cache.outputs, protocol=5),
    }
    partial = folder / f".state.{os.getpid()}.part"
    with open(partial, "wb") as handle:
        pickle.dump(state, handle, protocol=5)
    os.replace(partial, folder / "state.pickle")
