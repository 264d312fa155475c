"""Finding names in prose: one trie-shaped regex over every company name, alias and person."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Mapping

# Letters and digits of scripts that separate words with spaces; CJK, kana and
# hangul are left out, so names in those scripts match without word boundaries.
_WORD = r"[^\W\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]"
_WORD_RE = re.compile(_WORD)


class MentionMatcher:
    """Finds whole-word mentions of known names, longest name first."""

    def __init__(self, names: Mapping[str, Hashable]) -> None:
        self.targets = {name: target for name, target in names.items() if name.strip()}
        self.pattern = _compile(list(self.targets)) if self.targets else None

    def find(self, text: str) -> Iterator[tuple[int, int, Hashable]]:
        """(start, end, target) of every mention in `text`, left to right.

        The word boundary before a name is checked here rather than in the pattern: a
        pattern that starts with a lookbehind loses the regex engine's fast scan.
        """
        if self.pattern is None:
            return
        position = 0
        while match := self.pattern.search(text, position):
            start = match.start()
            name = match.group()
            if start and _WORD_RE.match(name[0]) and _WORD_RE.match(text[start - 1]):
                position = start + 1
                continue
            yield start, match.end(), self.targets[name]
            position = match.end()


def _compile(names: list[str]) -> re.Pattern[str]:
    bounded = [n for n in names if _WORD_RE.match(n[0])]
    free = [n for n in names if not _WORD_RE.match(n[0])]
    parts = []
    if bounded:
        parts.append(_trie_pattern(bounded) + f"(?!{_WORD})")
    if free:
        parts.append(_trie_pattern(free))
    return re.compile("|".join(parts))


def _trie_pattern(names: list[str]) -> str:
    """A regex equal to the alternation of `names` that tries longer names first.

    A shorter name is still found where a longer one fails the word boundary after it,
    because the regex backtracks into the optional tail.
    """
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = True
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    branches = [re.escape(char) + _node_pattern(child)
                for char, child in sorted(node.items()) if char]
    if "" in node:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
