"""Search index: Pagefind over the pages that carry `data-pagefind-body`, in shards by period
that the browser merges into one search; a build indexes again only the shards it changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NamedTuple

from site_builder.engine.digest import digest
from site_builder.errors import ContentError

FOLDER = "pagefind"
SHARDS = f"{FOLDER}/shards.json"  # the shards' folders, newest first, for the browser
INDEXED = ("brief.html", "company.html", "event.html", "page.html")
DATED = ("brief.html", "event.html")
SHARD_PAGES = 1000  # a shard takes whole months while it holds at most this many pages
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*",
          "pagefind-highlight.js")  # Pagefind's own interfaces: the site has its own


class Shard(NamedTuple):
    """Part of the search index: its folder under `pagefind/` and the files of its pages."""

    name: str
    pages: tuple[str, ...]


def plan_shards(pages: Iterable[Any]) -> list[Shard]:
    """The indexed pages by the month of their brief (companies and standalone pages before
    the oldest month), consecutive months in one shard while it stays within `SHARD_PAGES`;
    a shard is named after its first month.

    A brief and its events share a month, so an edit to a brief changes one dated shard."""
    months: dict[tuple[int, int], list[str]] = {}
    for page in pages:
        if page.template in INDEXED:
            date = (page.published or page.updated) if page.template in DATED else None
            months.setdefault((date.year, date.month) if date else (0, 0), []).append(page.output)
    shards: list[Shard] = []
    for month in sorted(months):
        pages_of = tuple(sorted(months[month]))
        if shards and len(shards[-1].pages) + len(pages_of) <= SHARD_PAGES:
            shards[-1] = Shard(shards[-1].name, shards[-1].pages + pages_of)
        else:
            shards.append(Shard(f"{month[0]}-{month[1]:02d}" if month[0] else "0", pages_of))
    return shards


def index_search(run: Any, output: Any, shards: list[Shard], scratch: Path,
                 jobs: int) -> tuple[list[ContentError], list[str]]:
    """Index the shards whose pages changed since the last build and keep the others; the
    errors, and the names of the shards indexed."""
    try:
        pagefind = version("pagefind")
    except PackageNotFoundError:
        return [_failed("Pagefind is not installed")], []
    before: dict[str, str] = run.previous("search") or {}
    keys = {shard.name: digest(pagefind, [(page, output.files[page][0]) for page in shard.pages])
            for shard in shards}
    todo = [shard for shard in shards if keys[shard.name] != before.get(shard.name)
            or not output.keep_tree(f"{FOLDER}/{shard.name}")]
    for shard in todo:
        output.clear_tree(f"{FOLDER}/{shard.name}")
    problem = index_shards(output.staging, scratch, todo, jobs)
    if problem is not None:
        return [problem], []
    for shard in todo:
        output.adopt_tree(f"{FOLDER}/{shard.name}")
    output.write(SHARDS, json.dumps([s.name for s in reversed(shards)]).encode())
    run.remember(search=keys)
    return [], [shard.name for shard in todo]


class LiveSearch:
    """The search index of the preview's folder, brought up to date shard by shard."""

    def __init__(self, site: Path, scratch: Path, jobs: int) -> None:
        self.site, self.scratch, self.jobs = site, scratch, jobs
        self.indexed: dict[str, tuple[str, ...]] = {}  # each shard's pages when last indexed

    def update(self, shards: list[Shard], changed: set[str]) -> ContentError | None:
        """Index the shards that hold a changed page or other pages than last time."""
        todo = [shard for shard in shards if self.indexed.get(shard.name) != shard.pages
                or not changed.isdisjoint(shard.pages)]
        for shard in todo:
            self.indexed.pop(shard.name, None)
            shutil.rmtree(self.site / FOLDER / shard.name, ignore_errors=True)
        problem = index_shards(self.site, self.scratch, todo, self.jobs)
        if problem is not None:
            return problem
        self.indexed.update((shard.name, shard.pages) for shard in todo)
        names = [shard.name for shard in reversed(shards)]
        for stale in set(self.indexed) - set(names):
            del self.indexed[stale]
            shutil.rmtree(self.site / FOLDER / stale, ignore_errors=True)
        (self.site / SHARDS).write_text(json.dumps(names))
        return None


def index_shards(site: Path, scratch: Path, shards: list[Shard], jobs: int) -> ContentError | None:
    """Write each shard's index into `site/pagefind/<name>`, `jobs` Pagefind processes at a
    time (the next starts as soon as any ends); a problem comes back as an error."""
    from pagefind.service import get_executable
    executable = get_executable()  # Pagefind's binary: no Python launcher to start per shard
    if executable is None:
        return _failed("Pagefind's program was not found")
    try:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            problems = list(pool.map(partial(_index_shard, site, scratch, str(executable)),
                                     shards))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return next((problem for problem in problems if problem is not None), None)


def _index_shard(site: Path, scratch: Path, executable: str, shard: Shard) -> ContentError | None:
    """One shard's index by a Pagefind process over a folder of links to its pages, the
    folder removed as soon as the process ends (while the others run)."""
    pages = scratch / shard.name
    try:
        _link_pages(site, pages, shard.pages)
        ended = subprocess.run([executable, "--site", str(pages),
                                "--output-path", str(site / FOLDER / shard.name), "--silent"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=1800, check=False)
        for pattern in UNUSED:
            for path in (site / FOLDER / shard.name).glob(pattern):
                path.unlink()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _failed(str(exc))
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    if ended.returncode == 0:
        return None
    lines = ended.stdout.strip().splitlines()
    return _failed(lines[-1] if lines else f"exit status {ended.returncode}")


def flat_name(page: str) -> str:
    """The name of a page's file in a shard's folder, which holds no folders: the page's own
    folders joined by dots (`briefs/x/index.html` is `briefs.x.html`; slugs hold no dots).
    Pagefind gives it as the result's address, which the site's script reads back."""
    return page.removesuffix("/index.html").replace("/", ".") + ".html"


def _link_pages(site: Path, folder: Path, pages: tuple[str, ...]) -> None:
    """A folder holding `pages` of the site side by side (see `flat_name`), as hard links
    where it can: one folder, not one for each page, to make and remove."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for relative in pages:
        try:
            os.link(site / relative, folder / flat_name(relative))
        except OSError:  # the output on another file system than the cache
            shutil.copyfile(site / relative, folder / flat_name(relative))


def _failed(reason: str) -> ContentError:
    return ContentError("search", 1, 1, f"the search index could not be built: {reason}",
                        "install pagefind[extended] (the README's install command does), or "
                        "set `search: false` in site.yaml")
