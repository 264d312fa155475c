"""Write stage of the preview: the served folder updated in place, file by file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from site_builder.engine.digest import digest_bytes
from site_builder.output.files import (MADE, files_under, linked, prune_up, safe_join,
                                       write_new)

LATER = "later"  # the digest of a file the build names but does not write


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
        self.manifest = dict(manifest)
        self.inherited = not manifest
        self.seen: set[str] = set()
        self.updates: dict[str, str] = {}
        self.changed: list[str] = []
        self.written = 0

    def __enter__(self) -> LiveOutput:
        MADE.clear()
        shutil.rmtree(self.pending, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.pending, ignore_errors=True)

    def keep(self, relative: str) -> tuple[str, str, bool] | None:
        """Keep a file this output wrote before as it is (`accept` records it)."""
        if relative in self.manifest:
            return relative, self.manifest[relative], False
        return None

    def carry(self, relatives: tuple[str, ...]) -> bool:
        """Keep files this output wrote before as they are and record them; False, recording
        none, if one is not among them."""
        if not all(relative in self.manifest for relative in relatives):
            return False
        self.seen.update(relatives)
        self.written += len(relatives)
        return True

    def prepare(self, relative: str, data: bytes, kept: str = "") -> tuple[str, str, bool]:
        """Stage a file if its bytes differ from what is served (any process may call this);
        `kept`, a file that holds the same bytes and is never changed in place, is linked
        instead of written anew."""
        data_digest, served = digest_bytes(data), safe_join(self.folder, relative)
        known, served_now = self.manifest.get(relative), os.path.isfile(served)
        if known in (None, LATER) and served_now:  # left by an earlier preview,
            with open(served, "rb") as handle:  # or drawn after an earlier build
                known = digest_bytes(handle.read())
        staged = known != data_digest or not served_now
        pending = safe_join(self.pending, relative)
        if staged and not (kept and linked(kept, pending, data_digest)):
            write_new(pending, data, data_digest)
        return relative, data_digest, staged

    def reserve(self, relative: str) -> tuple[str, str, bool]:
        """Name a file whose bytes come after the build (a card the preview draws later): it
        belongs to the site, and goes when the build no longer names it."""
        return relative, self.manifest.get(relative, LATER), False

    def accept(self, relative: str, data_digest: str, staged: bool) -> None:
        """Record a file that `prepare`, `keep` or `reserve` handled."""
        self.seen.add(relative)
        self.written += 1
        if staged:
            self.updates[relative] = data_digest
        else:  # served as it is: what it holds is known from now on
            self.manifest[relative] = data_digest

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
        for path in files_under(source):
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
            prune_up(self.folder, relative)
            del self.manifest[relative]
            self.changed.append(relative)
        if self.inherited:
            self._remove_unknown()

    def _remove_unknown(self) -> None:
        """Remove the files an earlier preview left in the folder that this one does not make
        (but those of the `foreign` folders, which another tool writes)."""
        for path in files_under(self.folder):
            relative = path.relative_to(self.folder).as_posix()
            if relative not in self.seen and relative.split("/", 1)[0] not in self.foreign:
                path.unlink(missing_ok=True)
                prune_up(self.folder, relative)

