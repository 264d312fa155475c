"""Fingerprints of plain data, stable from one run to the next, for memo keys."""

from __future__ import annotations

import hashlib


def digest(*parts: object) -> str:
    """A short fingerprint of the `repr` of plain data: strings, numbers, tuples, records."""
    return digest_bytes(repr(parts).encode("utf-8", "surrogatepass"))


def digest_bytes(data: bytes) -> str:
    """A short fingerprint of bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
