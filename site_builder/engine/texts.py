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

    def holds(self, named: Iterable[StoredText]) -> bool:
        """Whether every pack these references name is there, long enough to hold them."""
        ends: dict[str, int] = {}
        for text in named:
            ends[text.pack] = max(ends.get(text.pack, 0), text.start + text.size)
        try:
            return all(os.stat(pack).st_size >= end for pack, end in ends.items())
        except OSError:
            return False

    def compact(self, named: Iterable[StoredText]) -> dict[StoredText, StoredText]:
        """Copy the texts still named into a new pack and drop every other pack, once the
        store holds more than SLACK bytes beyond twice what is named; where each went."""
        texts = sorted(set(named))
        packs = list(self.folder.glob("*.pack"))
        if sum(p.stat().st_size for p in packs) <= 2 * sum(t.size for t in texts) + SLACK:
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
