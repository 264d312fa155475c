"""The persistent cache: what earlier builds computed, kept in `.cache/` of the project."""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder import __version__
from site_builder.content import FileMemo
from site_builder.graph import LinkMemo
from site_builder.markdown import RenderedBody
from site_builder.output import OutputMemo
from site_builder.pages import PlanMemo

log = logging.getLogger(__name__)
CACHE_FORMAT = 1
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
    body_store: str = ""
    renderer: Any = field(default=None, repr=False)


def cache_folder(project: Path, name: str) -> Path:
    """The folder of one kind of cache (`build`, `preview`) inside the project."""
    return project / CACHE_FOLDER / name


def load_cache(folder: Path, project: Path) -> BuildCache:
    """The cache saved in `folder`, or an empty one when it is missing, corrupt or foreign."""
    try:
        with open(folder / "state.pickle", "rb") as handle:
            saved = pickle.load(handle)
        if saved.get("format") != CACHE_FORMAT or saved.get("version") != __version__ or \
                saved.get("project") != str(project.resolve()):
            return BuildCache()
        cache = saved["cache"]
        if not isinstance(cache, BuildCache):
            return BuildCache()
        return cache
    except FileNotFoundError:
        return BuildCache()
    except Exception as exc:  # a damaged cache is ignored, never trusted
        log.info("ignoring the cache in %s: %s", folder, exc)
        return BuildCache()


def save_cache(folder: Path, project: Path, cache: BuildCache) -> None:
    """Write the cache in one step (a crash leaves the old one or the new one)."""
    folder.mkdir(parents=True, exist_ok=True)
    renderer, cache.renderer = cache.renderer, None
    try:
        partial = folder / f".state.{os.getpid()}.part"
        with open(partial, "wb") as handle:
            pickle.dump({"format": CACHE_FORMAT, "version": __version__,
                         "project": str(project.resolve()), "cache": cache}, handle, protocol=5)
        os.replace(partial, folder / "state.pickle")
    finally:
        cache.renderer = renderer
