"""Writing files of a site safely: paths that cannot leave the output, whole files, hard links."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path


MARKER = ".nojekyll"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
FileState = tuple[str, int, int]


class OutputError(Exception):
    """The output folder cannot be used, or a path would leave it."""


def safe_join(root: Path | str, relative: str) -> str:
    """`root/relative`, refusing absolute paths, `..` and backslashes that would leave `root`."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or "\\" in relative or \
            any(part in ("", ".", "..") for part in parts):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return os.path.join(root, *parts)


def check_output_folder(output: Path, project: Path) -> None:
    """Refuse an output folder that holds the project or another program's files."""
    output, project = output.resolve(), project.resolve()
    if project.is_relative_to(output):
        raise OutputError(f"the output folder {output} contains the project itself")
    for folder in ("content", "templates", ".cache"):
        if output.is_relative_to(project / folder):
            raise OutputError(f"the output folder {output} lies inside the project's {folder}/")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputError(f"{output} is not empty and was not written by `briefing build`; "
                          "remove it or choose another --output")


MADE: set[str] = set()


def folder_for(path: str) -> None:
    """Make the folder of `path` once per process."""
    folder = os.path.dirname(path)
    if folder not in MADE:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        MADE.add(folder)


def write_new(path: str, data: bytes, data_digest: str, replacing: bool = True) -> FileState:
    """Write a file whose digest is known; one that replaces another goes through a temporary
    name, so a hard link to the old file is left alone and a reader never sees half a file."""
    folder_for(path)
    target = f"{path}.{os.getpid()}.part" if replacing else path
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        stat = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if replacing:
        os.replace(target, path)
    return data_digest, stat.st_size, stat.st_mtime_ns


def link_new(source: str, path: str) -> None:
    """Make `path` a hard link to `source`, replacing whatever was there."""
    folder_for(path)
    partial = f"{path}.{os.getpid()}.part"
    os.link(source, partial)
    os.replace(partial, path)


def linked(source: str, path: str, data_digest: str) -> FileState | None:
    """Make `path` a hard link to `source`, whose bytes have the digest given; None if the
    system cannot link them (another file system, say)."""
    try:
        link_beside(source, path)
        stat = os.stat(path)
    except OSError:
        return None
    return data_digest, stat.st_size, stat.st_mtime_ns


def link_beside(source: str, path: str) -> None:
    """Make `path` a hard link to `source`; the usual case, a new name, in two calls."""
    folder_for(path)
    try:
        os.link(source, path)
    except FileExistsError:
        link_new(source, path)


def files_under(source: Path) -> list[Path]:
    """The plain files of a folder, sorted, without symlinks that lead out of it (a folder
    that is a symlink is not entered)."""
    root = source.resolve()
    found = [Path(folder, name) for folder, _, names in os.walk(source) for name in names]
    return sorted(path for path in found if path.is_file() and
                  (not path.is_symlink() or path.resolve().is_relative_to(root)))


def prune_up(root: Path, relative: str) -> None:
    """Remove the folders of a deleted file that are now empty, up to `root`."""
    parts = relative.split("/")[:-1]
    while parts:
        try:
            os.rmdir(os.path.join(root, *parts))
        except OSError:
            return
        parts.pop()


def exchange(first: Path, second: Path) -> bool:
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
