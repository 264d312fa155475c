"""Write stage: a site written into a staging folder, then swapped in for `output/` at once."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path, PurePosixPath
from types import TracebackType

from site_builder.digest import digest_bytes

MARKER = ".nojekyll"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputError(Exception):
    """The output folder cannot be used, or a path would leave it."""


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing absolute paths and `..` that would leave `root`."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("..", "") or "\\" in p for p in parts):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


def check_output_folder(output: Path, project: Path) -> None:
    """Refuse an output folder that holds the project or another program's files."""
    output, project = output.resolve(), project.resolve()
    if project.is_relative_to(output):
        raise OutputError(f"the output folder {output} contains the project itself")
    for folder in ("content", "templates"):
        if output.is_relative_to(project / folder):
            raise OutputError(f"the output folder {output} lies inside the project's {folder}/")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputError(f"{output} is not empty and was not written by `briefing build`; "
                          "remove it or choose another --output")


class StagedOutput:
    """Collects files in a fresh folder beside `output/`; `commit` swaps it in whole."""

    changed: list[str]

    def __init__(self, output: Path) -> None:
        self.output = output
        self.staging = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.written = 0
        self.changed = []

    def __enter__(self) -> StagedOutput:
        for stale in self.output.parent.glob(f".{self.output.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def keep(self, relative: str) -> bool:
        """A staged build starts empty: nothing can be kept."""
        return False

    def write(self, relative: str, data: bytes) -> None:
        """Write one file of the new site."""
        target = safe_join(self.staging, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written += 1

    def copy_tree(self, source: Path, relative: str) -> None:
        """Copy a folder of plain files (static assets, media) into the new site."""
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.resolve().is_relative_to(source.resolve()):
                target = safe_join(self.staging, f"{relative}/{path.relative_to(source).as_posix()}")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                self.written += 1

    def commit(self) -> None:
        """Make the new site `output/` in one step; the old one is removed after."""
        if not self.output.exists():
            os.replace(self.staging, self.output)
            return
        if _exchange(self.staging, self.output):
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        retired = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        os.replace(self.output, retired)
        os.replace(self.staging, self.output)
        shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically where the system can (Linux renameat2)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    return result == 0


class LiveOutput:
    """Updates a served folder in place: only files whose bytes changed are written.

    New files wait in a pending folder and are moved in by `commit`, so a failed build
    changes nothing; files the build no longer produces are removed.
    """

    def __init__(self, folder: Path, manifest: dict[str, str]) -> None:
        self.folder = folder
        self.pending = folder.parent / f".{folder.name}.pending"
        self.manifest = manifest
        self.seen: set[str] = set()
        self.updates: dict[str, str] = {}
        self.changed: list[str] = []
        self.written = 0

    def __enter__(self) -> LiveOutput:
        shutil.rmtree(self.pending, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.pending, ignore_errors=True)

    def keep(self, relative: str) -> bool:
        """Keep a file this output wrote before as it is."""
        if relative in self.manifest:
            self.seen.add(relative)
            self.written += 1
            return True
        return False

    def write(self, relative: str, data: bytes) -> None:
        """Stage a file if its bytes differ from what is served."""
        self.seen.add(relative)
        self.written += 1
        data_digest = digest_bytes(data)
        if self.manifest.get(relative) == data_digest and safe_join(self.folder, relative).is_file():
            return
        target = safe_join(self.pending, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.updates[relative] = data_digest

    def copy_tree(self, source: Path, relative: str) -> None:
        """Stage the files of a folder whose bytes changed."""
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.resolve().is_relative_to(source.resolve()):
                self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def commit(self) -> None:
        """Move staged files into place, one atomic rename each, and drop stale ones."""
        for relative, data_digest in self.updates.items():
            target = safe_join(self.folder, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(safe_join(self.pending, relative), target)
            self.manifest[relative] = data_digest
            self.changed.append(relative)
        for relative in sorted(set(self.manifest) - self.seen):
            safe_join(self.folder, relative).unlink(missing_ok=True)
            del self.manifest[relative]
            self.changed.append(relative)
            _prune_empty(self.folder, safe_join(self.folder, relative).parent)


def _prune_empty(root: Path, folder: Path) -> None:
    """Remove empty folders from `folder` up to (not including) `root`."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
