"""Slugs: the URL-safe names of briefs, companies, tags, anchors and events."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+|_+")
_ASCII_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """Lower-case words joined by hyphens; letters of any script are kept."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    slug = _NON_WORD.sub("-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def ascii_slug(text: str) -> str:
    """A slug of ASCII letters and digits only (accents dropped), possibly empty."""
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _ASCII_NON_WORD.sub("-", decomposed.lower()).strip("-")


def is_slug(text: str) -> bool:
    """Whether `text` is already a slug and safe as one path segment."""
    return bool(text) and slugify(text, max_length=200) == text
