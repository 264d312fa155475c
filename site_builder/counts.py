"""Counts in words, in the singular or the plural as the number asks: `1 file`, `2 companies`."""

from __future__ import annotations


def plural(word: str) -> str:
    """The plural of an English noun of this program's messages (`company` → `companies`)."""
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def counted(number: int, word: str) -> str:
    """A number with its noun: `0 errors`, `1 error`, `2 errors`."""
    return f"{number} {word if number == 1 else plural(word)}"
