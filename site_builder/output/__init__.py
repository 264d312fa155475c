"""Write stage: a new site assembled beside `output/` and swapped in whole, or updated in place."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from site_builder.engine.digest import digest_bytes

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


_MADE: set[str] = set()


def _folder_for(path: str) -> None:
    """Make the folder of `path` once per process."""
    folder = os.path.dirname(path)
    if folder not in _MADE:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        _MADE.add(folder)


def _write_new(path: str, data: bytes, data_digest: str, replacing: bool = True) -> FileState:
    """Write a file whose digest is known; one that replaces another goes through a temporary
    name, so a hard link to the old file is left alone and a reader never sees half a file."""
    _folder_for(path)
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


def _link_new(source: str, path: str) -> None:
    """Make `path` a hard link to `source`, replacing whatever was there."""
    _folder_for(path)
    partial = f"{path}.{os.getpid()}.part"
    os.link(source, partial)
    os.replace(partial, path)


def _link_beside(source: str, path: str) -> None:
    """Make `path` a hard link to `source`; the usual case, a new name, in two calls."""
    _folder_for(path)
    try:
        os.link(source, path)
    except FileExistsError:
        _link_new(source, path)


@dataclass
class OutputMemo:
    """What the output folder holds (and the retired folder beside it), file by file."""

    folder: str = ""
    current: dict[str, FileState] = field(default_factory=dict)
    retired: dict[str, FileState] = field(default_factory=dict)


class StagedOutput:
    """Assembles the new site beside `output/` and swaps it in with one atomic rename.

    The folder the last swap retired (`.output.prev`) is reused as the next staging folder:
    only the files that differ from what it holds are written or linked, so a build that
    changes a few pages costs a few file operations, not one per page. A build with no
    output to retire (a first build) gives each file it writes a second hard link in a
    mirror folder, which becomes the retired folder once the new output is in place.
    """

    def __init__(self, output: Path, memo: OutputMemo) -> None:
        self.output = output
        self.memo = memo
        self.retired = output.parent / f".{output.name}.prev"
        self.staging = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.staged: dict[str, FileState] = {}
        self.files: dict[str, FileState] = {}
        self.current: dict[str, FileState] = {}
        self.changed: list[str] = []
        self.written = 0
        self.mirror = ""
        self.adopted: list[str] = []

    def __enter__(self) -> StagedOutput:
        _MADE.clear()
        for pattern in ("staging", "mirror"):
            for stale in self.output.parent.glob(f".{self.output.name}.{pattern}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        same = self.memo.folder == str(self.output.resolve())
        self.current = self.memo.current if same and self._intact(self.memo.current) else {}
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

    def _intact(self, manifest: dict[str, FileState]) -> bool:
        """Whether every file the manifest lists is still in the output as it was written."""
        root = f"{self.output}/"
        for relative, (_, size, mtime) in manifest.items():
            try:
                stat = os.stat(root + relative)
            except OSError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
                return False
        return bool(manifest)

    def keep(self, relative: str) -> bool:
        """Carry a file of the current output into the new site unchanged."""
        state = self.current.get(relative)
        if state is None:
            return False
        if self.staged.get(relative) != state:
            target = safe_join(self.staging, relative)
            _link_new(safe_join(self.output, relative), target)
            self._mirrored(relative, target)
        self.accept(relative, state)
        return True

    def prepare(self, relative: str, data: bytes) -> tuple[str, FileState]:
        """Put one file of the new site in place (any process may call this)."""
        data_digest = digest_bytes(data)
        staged = self.staged.get(relative)
        if staged is not None and staged[0] == data_digest:
            return relative, staged
        current = self.current.get(relative)
        target = safe_join(self.staging, relative)
        if current is not None and current[0] == data_digest:
            _link_new(safe_join(self.output, relative), target)
            state = current
        else:
            state = _write_new(target, data, data_digest, replacing=staged is not None)
        self._mirrored(relative, target)
        return relative, state

    def _mirrored(self, relative: str, target: str) -> None:
        """Give a file just put in the new site its link in the mirror folder, if any."""
        if self.mirror:
            _link_beside(target, safe_join(self.mirror, relative))

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
        for path in _files_under(source):
            self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def keep_tree(self, folder: str) -> bool:
        """Carry a whole folder of the current output (made by another tool) into the new site."""
        inside = [relative for relative in self.current if relative.startswith(folder + "/")]
        return bool(inside) and all(self.keep(relative) for relative in inside)

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
        for path in _files_under(root):
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
            _prune_up(self.staging, relative)
        self.changed += sorted(set(self.current) - set(self.files))
        if not self.output.exists():
            os.replace(self.staging, self.output)
        elif _exchange(self.staging, self.output):
            os.replace(self.staging, self.retired)
            self.memo.retired = self.current
        else:
            os.replace(self.output, self.retired)
            os.replace(self.staging, self.output)
        self.memo.current, self.memo.folder = self.files, str(self.output.resolve())

    def prepare_next(self) -> Callable[[], None] | None:
        """What makes the folder the next build will assemble in, if the swap left none.

        The swap retires the old output; a first build has none, so the next build's
        folder is a hard-linked copy of the new output: the mirror, finished by the returned
        function (which may run in another process). Without it, the next build writes every
        file again.
        """
        if self.memo.retired:
            if self.mirror:
                shutil.rmtree(self.mirror, ignore_errors=True)
            return None
        shutil.rmtree(self.retired, ignore_errors=True)
        self.memo.retired = dict(self.files)
        return self._finish_mirror

    def _finish_mirror(self) -> None:
        """Link into the mirror what it lacks, and make it the retired folder."""
        if not self.mirror:
            self.mirror = f"{self.output.parent}/.{self.output.name}.mirror-{os.getpid()}"
            os.mkdir(self.mirror)
            self.adopted = list(self.files)
        for relative in self.adopted:
            _link_beside(safe_join(self.output, relative), safe_join(self.mirror, relative))
        os.replace(self.mirror, self.retired)


class LiveOutput:
    """Updates a served folder in place: only files whose bytes changed are written.

    New files wait in a pending folder and are moved in by `commit`, so a failed build
    changes nothing; files the build no longer produces are removed.
    """

    def __init__(self, folder: Path, manifest: dict[str, str],
                 foreign: tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.foreign = foreign
        self.pending = folder.parent / f".{folder.name}.pending"
        self.manifest = manifest
        self.inherited = not manifest
        self.seen: set[str] = set()
        self.updates: dict[str, str] = {}
        self.changed: list[str] = []
        self.written = 0

    def __enter__(self) -> LiveOutput:
        _MADE.clear()
        shutil.rmtree(self.pending, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.pending, ignore_errors=True)

    def keep(self, relative: str) -> bool:
        """Keep a file this output wrote before as it is."""
        if relative in self.manifest:
            self.accept(relative, self.manifest[relative], False)
            return True
        return False

    def prepare(self, relative: str, data: bytes) -> tuple[str, str, bool]:
        """Stage a file if its bytes differ from what is served (any process may call this)."""
        data_digest = digest_bytes(data)
        staged = self.manifest.get(relative) != data_digest or \
            not os.path.isfile(safe_join(self.folder, relative))
        if staged:
            _write_new(safe_join(self.pending, relative), data, data_digest)
        return relative, data_digest, staged

    def accept(self, relative: str, data_digest: str, staged: bool) -> None:
        """Record a file that `prepare` or `keep` handled."""
        self.seen.add(relative)
        self.written += 1
        if staged:
            self.updates[relative] = data_digest

    def write(self, relative: str, data: bytes) -> None:
        """Prepare and record one file."""
        self.accept(*self.prepare(relative, data))

    @property
    def produced(self) -> set[str]:
        """The files of the site this build makes so far."""
        return self.seen

    def read(self, relative: str) -> bytes:
        """The bytes of a file of the site this build makes."""
        folder = self.pending if relative in self.updates else self.folder
        with open(safe_join(folder, relative), "rb") as handle:
            return handle.read()

    def copy_tree(self, source: Path, relative: str) -> None:
        """Stage the files of a folder whose bytes changed."""
        for path in _files_under(source):
            self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def commit(self) -> None:
        """Move staged files into place, one atomic rename each, and drop stale ones."""
        for relative, data_digest in self.updates.items():
            target = safe_join(self.folder, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(safe_join(self.pending, relative), target)
            self.manifest[relative] = data_digest
            self.changed.append(relative)
        for relative in sorted(set(self.manifest) - self.seen):
            Path(safe_join(self.folder, relative)).unlink(missing_ok=True)
            _prune_up(self.folder, relative)
            del self.manifest[relative]
            self.changed.append(relative)
        if self.inherited:
            self._remove_unknown()

    def _remove_unknown(self) -> None:
        """Remove the files an earlier preview left in the folder that this one does not make
        (but those of the `foreign` folders, which another tool writes)."""
        for path in _files_under(self.folder):
            relative = path.relative_to(self.folder).as_posix()
            if relative not in self.seen and relative.split("/", 1)[0] not in self.foreign:
                path.unlink(missing_ok=True)
                _prune_up(self.folder, relative)

    def prepare_next(self) -> None:
        """Nothing: the next build updates the same folder."""


def _files_under(source: Path) -> list[Path]:
    """The plain files of a folder, sorted, without symlinks that lead out of it."""
    root = source.resolve()
    return [path for path in sorted(source.rglob("*"))
            if path.is_file() and path.resolve().is_relative_to(root)]


def _prune_up(root: Path, relative: str) -> None:
    """Remove the folders of a deleted file that are now empty, up to `root`."""
    parts = relative.split("/")[:-1]
    while parts:
        try:
            os.rmdir(os.path.join(root, *parts))
        except OSError:
            return
        parts.pop()


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
