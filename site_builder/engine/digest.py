"""Fingerprints of plain data, stable from one run to the next, for memo keys."""

from __future__ import annotations

import xxhash


def digest(*parts: object) -> str:
    """A short fingerprint of the `repr` of plain data: strings, numbers, tuples, records."""
    return digest_bytes(repr(parts).encode("utf-8", "surrogatepass"))


def digest_bytes(data: bytes) -> str:
    """A short fingerprint of bytes: 128 bits of XXH3, fast enough for every page a build writes."""
    return xxhash.xxh3_128_hexdigest(data)
