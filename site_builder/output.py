"""Write stage: a site written into a staging folder, then swapped in for `output/` at once."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path, PurePosixPath
from types import TracebackType

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

    def __init__(self, output: Path) -> None:
        self.output = output
        self.staging = output.parent / f".{output.name}.staging-{os.getpid()}"
        self.written = 0

    def __enter__(self) -> StagedOutput:
        for stale in self.output.parent.glob(f".{self.output.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

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
