"""Rendered bodies kept on disk in packs, read by any process and reused by later builds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple


SLACK = 16 * 1024 * 1024  # bytes of bodies nobody names that a store may hold beyond the rest


class Stored(NamedTuple):
    """Where a body's HTML lies: a pack of the store, and the bytes it takes there."""

    pack: str
    start: int
    size: int


class BodyHtml(NamedTuple):
    """A rendered body, read from its pack when a template shows it."""

    digest: str
    pack: str
    start: int
    size: int

    @property
    def text(self) -> str:
        """The HTML as text (for feeds, where it is escaped once more)."""
        return self.data.decode("utf-8")

    @property
    def data(self) -> bytes:
        """The HTML as it lies in the pack."""
        fd = os.open(self.pack, os.O_RDONLY | os.O_CLOEXEC)
        try:
            return os.pread(fd, self.size, self.start)
        finally:
            os.close(fd)

    def __html__(self) -> str:
        return self.text


class BodyStore:
    """Rendered bodies on disk, appended to one pack per process, read by any process.

    A pack is only ever appended to, by the one process that made it, so what a body's
    `Stored` place names stays as it was; a build that is killed leaves bytes nobody names.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pack: tuple[int, int, str] | None = None  # the process, its descriptor, the name
        self._end = 0

    def put(self, html: str) -> Stored:
        """Keep the HTML of a body; where it was put."""
        return self._append(html.encode("utf-8"))

    def _append(self, data: bytes) -> Stored:
        fd, name = self._open()
        start, view = self._end, memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        self._end += len(data)
        return Stored(name, start, len(data))

    def _open(self) -> tuple[int, str]:
        """This process's pack, made on its first body (a forked worker makes its own)."""
        if self._pack is None or self._pack[0] != os.getpid():
            name = f"{os.getpid()}-{os.urandom(6).hex()}.pack"
            self.folder.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC
            self._pack = (os.getpid(), os.open(self.folder / name, flags, 0o644), name)
            self._end = 0
        return self._pack[1], self._pack[2]

    def _close(self) -> None:
        """Stop appending to this process's pack; the next body starts another."""
        if self._pack is not None and self._pack[0] == os.getpid():
            os.close(self._pack[1])
        self._pack = None

    def holds(self, named: Iterable[Stored]) -> bool:
        """Whether every pack these places name is there, long enough to hold them."""
        ends: dict[str, int] = {}
        for place in named:
            ends[place.pack] = max(ends.get(place.pack, 0), place.start + place.size)
        try:
            return all(os.stat(self.folder / pack).st_size >= end
                       for pack, end in ends.items() if pack)
        except OSError:
            return False

    def compact(self, named: Iterable[Stored]) -> dict[Stored, Stored]:
        """Copy the bodies still named into a new pack and drop every other pack, once the
        store holds more than SLACK bytes beyond twice what is named; where each went."""
        places = sorted({place for place in named if place.pack})
        packs = list(self.folder.glob("*.pack"))
        if sum(p.stat().st_size for p in packs) <= 2 * sum(p.size for p in places) + SLACK:
            return {}
        self._close()
        moved = {}
        for place in places:
            old = BodyHtml("", os.path.join(self.folder, place.pack), place.start, place.size)
            moved[place] = self._append(old.data)
        for pack in packs:
            pack.unlink(missing_ok=True)
        return moved

    def mark(self) -> str:
        """Empty the store and give it a new identity (a cache that knows an old one forgets
        its bodies)."""
        self._close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        token = os.urandom(8).hex()
        (self.folder / "identity").write_text(token)
        return token

    def matches(self, token: str) -> bool:
        """Whether the store is the one a cache saw (it was not deleted since)."""
        try:
            return bool(token) and (self.folder / "identity").read_text() == token
        except OSError:
            return False
