"""Large texts (bodies and their HTML) kept on disk in packs, read by any process, reused by later
builds; a build holds only small references to them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from site_builder.engine.digest import digest_bytes

SLACK = 16 * 1024 * 1024  # bytes of texts nobody names that a store may hold beyond the rest


class StoredText(NamedTuple):
    """Where a text lies (a pack file and its bytes there), and the digest of the text: its
    identity, as `repr` shows it."""

    digest: str
    pack: str
    start: int
    size: int

    @property
    def data(self) -> bytes:
        """The text as it lies in the pack (UTF-8)."""
        fd = os.open(self.pack, os.O_RDONLY | os.O_CLOEXEC)
        try:
            return os.pread(fd, self.size, self.start)
        finally:
            os.close(fd)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "surrogatepass")

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"StoredText({self.digest})"


class TextStore:
    """Texts on disk, appended to one pack per process, read by any process.

    A pack is only ever appended to, by the one process that made it, so what a reference
    names stays as it was; a build that is killed leaves bytes nobody names.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pack: tuple[int, int, str] | None = None  # the process, its descriptor, the path
        self._end = 0

    def put(self, text: str) -> StoredText:
        """Keep a text; where it was put."""
        data = text.encode("utf-8", "surrogatepass")
        return self._append(data, digest_bytes(data))

    def _append(self, data: bytes, data_digest: str) -> StoredText:
        fd, path = self._open()
        start, view = self._end, memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        self._end += len(data)
        return StoredText(data_digest, path, start, len(data))

    def _open(self) -> tuple[int, str]:
        """This process's pack, made on its first text (a forked worker makes its own)."""
        if self._pack is None or self._pack[0] != os.getpid():
            path = str(self.folder / f"{os.getpid()}-{os.urandom(6).hex()}.pack")
            self.folder.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC
            self._pack = (os.getpid(), os.open(path, flags, 0o644), path)
            self._end = 0
        return self._pack[1], self._pack[2]

    def close(self) -> None:
        """Stop appending to this process's pack; the next text starts another."""
        if self._pack is not None and self._pack[0] == os.getpid():
            os.close(self._pack[1])
        self._pack = None

    def sizes(self) -> dict[str, int]:
        """The size of every pack, by its path."""
        try:
            return {entry.path: entry.stat().st_size for entry in os.scandir(self.folder)
                    if entry.name.endswith(".pack")}
        except FileNotFoundError:
            return {}

    def holds(self, sizes: dict[str, int]) -> bool:
        """Whether every pack of a listing (`sizes`) is still there, at least as long."""
        now = self.sizes()
        return all(now.get(pack, -1) >= size for pack, size in sizes.items())

    def crowded(self, named: int) -> bool:
        """Whether the packs hold more than SLACK bytes beyond twice the `named` bytes."""
        return sum(self.sizes().values()) > 2 * named + SLACK

    def compact(self, named: Iterable[StoredText]) -> dict[StoredText, StoredText]:
        """Copy the texts still named into a new pack and drop every other pack, if the store
        is `crowded`; where each went."""
        texts = sorted(set(named))
        packs = list(self.folder.glob("*.pack"))
        if not self.crowded(sum(t.size for t in texts)):
            return {}
        self.close()
        moved = {text: self._append(text.data, text.digest) for text in texts}
        for pack in packs:
            pack.unlink(missing_ok=True)
        return moved

    def reset(self) -> None:
        """Empty the store."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
