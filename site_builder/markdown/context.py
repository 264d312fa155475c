"""What one render of a body knows and gathers, kept in markdown-it's `env` for the rules."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from site_builder.errors import ContentError
from site_builder.model.bodies import Link
from site_builder.references import Linker

Place = tuple[str, int]  # the text of a block and the line of the file it starts on


@dataclass
class Context:
    """The names a body may link to, where it is written and shown, and what its rules found."""

    linker: Linker
    path: str
    page: str
    first_line: int
    mentions: bool = True
    exclude: frozenset[Hashable] = frozenset()
    linked: set[Hashable] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    companies: dict[str, None] = field(default_factory=dict)
    briefs: dict[str, None] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    looked_up: set[str] = field(default_factory=set)

    def where(self, place: Place, offset: int) -> tuple[int, int]:
        """The line and column in the file of an offset into a block's text."""
        text, line = place
        return line + text.count("\n", 0, offset), offset - text.rfind("\n", 0, offset)

    def error(self, place: Place, offset: int, message: str, hint: str = "") -> None:
        """A problem at an offset of a block (a warning when references are not strict)."""
        self.errors.append(ContentError(self.path, *self.where(place, offset), message, hint,
                                        warning=not self.linker.strict))

    def lookups(self) -> tuple[tuple[str, str | None], ...]:
        """Each name looked up and what it resolved to, as the render depends on them."""
        return tuple(sorted((key, self.linker.state(key)) for key in self.looked_up))


def context_of(state: StateCore) -> Context:
    """The context of the render a rule runs in."""
    return state.env["context"]


def inline_blocks(state: StateCore) -> Iterator[tuple[Token, Place, bool]]:
    """Every block token, with its text and first line, and whether it is a heading's text."""
    context = context_of(state)
    block_line, previous = 0, ""
    for token in state.tokens:
        if token.map:
            block_line = token.map[0]
        yield token, (token.content, context.first_line + block_line), previous == "heading_open"
        previous = token.type


def link_tokens(href: str, label: str, css_class: str = "") -> list[Token]:
    """The tokens of a link with a text label."""
    opening = Token("link_open", "a", 1)
    opening.attrSet("href", href)
    if css_class:
        opening.attrSet("class", css_class)
    return [opening, text_token(label), Token("link_close", "a", -1)]


def text_token(content: str) -> Token:
    """A token of plain text."""
    token = Token("text", "", 0)
    token.content = content
    return token
