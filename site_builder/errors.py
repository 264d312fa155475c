"""Errors: every problem in a project is a ContentError with a place."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError:
    """One problem in a project file, with its place and an optional hint."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    warning: bool = False

    def format(self) -> str:
        """`path:line:column: message; hint` as a compiler prints it."""
        kind = "warning: " if self.warning else ""
        text = f"{self.path}:{self.line}:{self.column}: {kind}{self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class BuildFailed(Exception):
    """Raised when a build stops on content errors; carries all of them."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path, e.line, e.column, e.message))
        super().__init__("\n".join(e.format() for e in self.errors))


def did_you_mean(word: str, candidates: Iterable[str], extra: dict[str, str] | None = None) -> str:
    """A hint naming the closest candidates, or "" when none is close."""
    pool = sorted(set(candidates))
    folded = word.casefold()
    exact = [c for c in pool if c.casefold() == folded]
    named = [extra[k] for k in (extra or {}) if k.casefold() == folded]
    close = difflib.get_close_matches(word, pool, n=3, cutoff=0.6)
    prefix = [c for c in pool if len(folded) >= 3 and (c.startswith(folded) or folded.startswith(c))]
    found = list({c.casefold(): c for c in reversed(exact + named + prefix + close)}.values())
    found = found[::-1][:3]
    if not found:
        return ""
    return "did you mean " + " or ".join(f"`{c}`" for c in found) + "?"
