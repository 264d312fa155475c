"""Rendered bodies kept on disk by digest, so any process can show them and later builds reuse them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class BodyHtml(NamedTuple):
    """A rendered body, read from its store when a template shows it."""

    digest: str
    folder: str

    @property
    def text(self) -> str:
        """The HTML as text (for feeds, where it is escaped once more)."""
        return Path(self.folder, self.digest[:2], self.digest + ".html").read_text("utf-8")

    def __html__(self) -> str:
        return self.text


class BodyStore:
    """Rendered bodies on disk, one file per digest, written once and read by any process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: set[str] = set()

    def put(self, digest: str, html: str) -> None:
        """Keep the HTML of a body (written under a temporary name, then renamed)."""
        folder = os.path.join(self.folder, digest[:2])
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        partial = os.path.join(folder, f".{digest}.{os.getpid()}.part")
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(html)
        os.replace(partial, os.path.join(folder, f"{digest}.html"))

    def get(self, digest: str) -> BodyHtml:
        """The stored body with that digest."""
        return BodyHtml(digest, str(self.folder))

    def has(self, digest: str) -> bool:
        """Whether the body with that digest is kept."""
        return (self.folder / digest[:2] / f"{digest}.html").is_file()

    def mark(self) -> str:
        """Give the store a new identity (a cache that knows an old one forgets its bodies)."""
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

    def forget(self, digests: set[str]) -> None:
        """Remove bodies no build refers to any more."""
        for digest in digests:
            (self.folder / digest[:2] / f"{digest}.html").unlink(missing_ok=True)
