"""Bytes made from plain inputs (link-preview images), kept on disk by the digest of the inputs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from site_builder.engine.digest import digest


class BlobCache:
    """Files named after the digest of what they were made from, made only when missing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made = 0

    def path(self, key: Any) -> Path:
        """The file that holds, or will hold, the bytes made from inputs whose digest is the
        key's; it is replaced whole, never changed in place. Files are spread over folders
        named after the digest's first two characters: processes that add files to one
        folder take turns, and a site has thousands of cards."""
        name = digest(key)
        return self.folder / name[:2] / f"{name}.bin"

    def find(self, key: Any) -> bytes | None:
        """The bytes made from inputs whose digest is the key's, if they were ever made."""
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def get(self, key: Any, make: Callable[[], bytes]) -> bytes:
        """The bytes made from inputs whose digest is the key's, made now if never before."""
        path = self.path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            data = make()
            self.made += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
        return data
