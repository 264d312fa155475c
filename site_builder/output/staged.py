"""Write stage: a new site assembled beside `output/` and swapped in whole."""

from __future__ import annotations

import logging
from bisect import bisect_left
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import TracebackType

from site_builder.engine.digest import digest_bytes
from site_builder.output.files import (MADE, FileState, exchange, files_under, link_beside,
                                       link_new, linked, prune_up, safe_join, write_new)

log = logging.getLogger(__name__)


@dataclass
class OutputMemo:
    """What the output folder holds (and the retired folder beside it), file by file."""

    folder: str = ""
    current: dict[str, FileState] = field(default_factory=dict)
    retired: dict[str, FileState] = field(default_factory=dict)


def intact_output(output: Path, manifest: dict[str, FileState]) -> dict[str, FileState] | None:
    """Whether every file the manifest lists is still in the output as it was written: None if
    not; else the files whose time of change alone differs (restored from an archive, say),
    with their state now."""
    if not manifest:
        return None
    try:
        root = os.open(output, os.O_RDONLY | os.O_DIRECTORY)  # shorter lookups than paths
    except OSError:
        return None
    touched: dict[str, FileState] = {}
    try:
        for relative, (data_digest, size, mtime) in manifest.items():
            stat = os.stat(relative, dir_fd=root)
            if stat.st_size != size:
                return None
            if stat.st_mtime_ns != mtime:
                if digest_bytes((output / relative).read_bytes()) != data_digest:
                    return None
                touched[relative] = (data_digest, size, stat.st_mtime_ns)
    except OSError:
        return None
    finally:
        os.close(root)
    return touched


class StagedOutput:
    """Assembles the new site beside `output/` and swaps it in with one atomic rename.

    The folder the last swap retired (`.output.prev`) is reused as the next staging folder:
    only the files that differ from what it holds are written or linked, so a build that
    changes a few pages costs a few file operations, not one per page. A build with no
    output to retire (a first build) gives each file it writes a second hard link in a
    mirror folder, which becomes the retired folder once the new output is in place.
    """

    def __init__(self, output: Path, memo: OutputMemo,
                 intact: Callable[[], dict[str, FileState] | None] | None = None) -> None:
        self.output = output
        self.memo = replace(memo)
        self.intact = intact or partial(intact_output, output, memo.current)
        self.retired = output.parent / f".{output.name}.prev"
        self.staging = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.staged: dict[str, FileState] = {}
        self.files: dict[str, FileState] = {}
        self.current: dict[str, FileState] = {}
        self.changed: list[str] = []
        self.written = 0
        self.mirror = ""
        self.adopted: list[str] = []
        self.sorted_current: list[str] | None = None  # the current files by name, when asked

    def __enter__(self) -> StagedOutput:
        MADE.clear()
        for pattern in ("staging", "mirror"):
            for stale in self.output.parent.glob(f".{self.output.name}.{pattern}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        same = self.memo.folder == str(self.output.resolve())
        touched = self.intact() if same else None
        self.current = {**self.memo.current, **touched} if touched is not None else {}
        if self.current and self.memo.retired and self.retired.is_dir():
            self.staged = dict(self.memo.retired)
            os.replace(self.retired, self.staging)
        else:
            shutil.rmtree(self.retired, ignore_errors=True)
            self.staging.mkdir(parents=True)
            if not self.current:
                self.mirror = f"{self.output.parent}/.{self.output.name}.mirror-{os.getpid()}"
                os.mkdir(self.mirror)
        self.memo.retired = {}
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            if self.mirror:
                shutil.rmtree(self.mirror, ignore_errors=True)

    def keep(self, relative: str) -> tuple[str, FileState] | None:
        """Carry a file of the current output into the new site unchanged (any process may
        call this; `accept` records it); None if the output lacks it."""
        state = self.current.get(relative)
        if state is None:
            return None
        if self.staged.get(relative) != state:
            target = safe_join(self.staging, relative)
            link_new(safe_join(self.output, relative), target)
            self._mirrored(relative, target)
        return relative, state

    def carry(self, relatives: tuple[str, ...]) -> bool:
        """Carry files of the current output into the new site unchanged and record them (in
        the building process); False, recording none, if the output lacks one."""
        current, staged, files = self.current, self.staged, self.files
        if not all(relative in current for relative in relatives):
            return False
        for relative in relatives:
            state = files[relative] = current[relative]
            if staged.get(relative) != state:
                target = safe_join(self.staging, relative)
                link_new(safe_join(self.output, relative), target)
                self._mirrored(relative, target)
        self.written += len(relatives)
        return True

    def prepare(self, relative: str, data: bytes, kept: str = "") -> tuple[str, FileState]:
        """Put one file of the new site in place (any process may call this); `kept`, a file
        that holds the same bytes and is never changed in place, is linked instead of
        written anew."""
        data_digest = digest_bytes(data)
        staged = self.staged.get(relative)
        if staged is not None and staged[0] == data_digest:
            return relative, staged
        current = self.current.get(relative)
        target = safe_join(self.staging, relative)
        if current is not None and current[0] == data_digest:
            link_new(safe_join(self.output, relative), target)
            state = current
        else:
            state = (kept and linked(kept, target, data_digest)) or \
                write_new(target, data, data_digest, replacing=staged is not None)
        self._mirrored(relative, target)
        return relative, state

    def _mirrored(self, relative: str, target: str) -> None:
        """Give a file just put in the new site its link in the mirror folder, if any."""
        if self.mirror:
            link_beside(target, safe_join(self.mirror, relative))

    def accept(self, relative: str, state: FileState) -> None:
        """Record a file that `prepare` or `keep` put in place."""
        self.files[relative] = state
        self.written += 1
        if self.current.get(relative, ("",))[0] != state[0]:
            self.changed.append(relative)

    def write(self, relative: str, data: bytes) -> None:
        """Prepare and record one file."""
        self.accept(*self.prepare(relative, data))

    @property
    def produced(self) -> set[str]:
        """The files of the new site so far."""
        return set(self.files)

    def read(self, relative: str) -> bytes:
        """The bytes of a file of the new site."""
        with open(safe_join(self.staging, relative), "rb") as handle:
            return handle.read()

    def copy_tree(self, source: Path, relative: str) -> None:
        """Copy a folder of plain files (static assets, media) into the new site."""
        for path in files_under(source):
            self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def keep_tree(self, folder: str) -> bool:
        """Carry a whole folder of the current output (made by another tool) into the new site."""
        if self.sorted_current is None:
            self.sorted_current = sorted(self.current)
        names = self.sorted_current  # those inside the folder are together: "/" < "0"
        inside = names[bisect_left(names, folder + "/"):bisect_left(names, folder + "0")]
        kept = [self.keep(relative) for relative in inside]
        for placed in kept:
            if placed is not None:
                self.accept(*placed)
        return bool(inside) and all(kept)

    def clear_tree(self, folder: str) -> None:
        """Empty a folder of the new site, so another tool can write it afresh."""
        shutil.rmtree(safe_join(self.staging, folder), ignore_errors=True)
        if self.mirror:
            shutil.rmtree(safe_join(self.mirror, folder), ignore_errors=True)
        for relative in [r for r in self.staged if r.startswith(folder + "/")]:
            del self.staged[relative]
            self.files.pop(relative, None)

    def adopt_tree(self, folder: str) -> None:
        """Record the files another tool wrote into a folder of the new site."""
        root = Path(safe_join(self.staging, folder))
        for path in files_under(root):
            relative = f"{folder}/{path.relative_to(root).as_posix()}"
            stat = path.stat()
            state = (digest_bytes(path.read_bytes()), stat.st_size, stat.st_mtime_ns)
            self.staged[relative] = state
            self.accept(relative, state)
            self.adopted.append(relative)

    def commit(self) -> None:
        """Remove what the new site no longer has, then swap it in for `output/`."""
        for relative in sorted(set(self.staged) - set(self.files)):
            Path(safe_join(self.staging, relative)).unlink(missing_ok=True)
            prune_up(self.staging, relative)
        self.changed += sorted(set(self.current) - set(self.files))
        if not self.output.exists():
            os.replace(self.staging, self.output)
        elif exchange(self.staging, self.output):
            os.replace(self.staging, self.retired)
            self.memo.retired = self.current
        else:
            os.replace(self.output, self.retired)
            os.replace(self.staging, self.output)
        self.memo.current, self.memo.folder = self.files, str(self.output.resolve())
        self._prepare_next()

    def _prepare_next(self) -> None:
        """Make the folder the next build will assemble in, if the swap left none.

        The swap retires the old output; a first build has none, so the next build's
        folder is a hard-linked copy of the new output: the mirror. Without it, the next
        build writes every file again; if it cannot be made, the next build does so.
        """
        if self.memo.retired:
            if self.mirror:
                shutil.rmtree(self.mirror, ignore_errors=True)
            return
        shutil.rmtree(self.retired, ignore_errors=True)
        try:
            self._finish_mirror()
        except OSError as exc:
            log.info("could not prepare the next build's folder: %s", exc)
            return
        self.memo.retired = dict(self.files)

    def _finish_mirror(self) -> None:
        """Link into the mirror what it lacks, and make it the retired folder."""
        if not self.mirror:
            self.mirror = f"{self.output.parent}/.{self.output.name}.mirror-{os.getpid()}"
            os.mkdir(self.mirror)
            self.adopted = list(self.files)
        for relative in self.adopted:
            link_beside(safe_join(self.output, relative), safe_join(self.mirror, relative))
        os.replace(self.mirror, self.retired)
