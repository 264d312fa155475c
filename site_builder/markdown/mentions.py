"""Mentions: the first mention of a company or person in prose links to them."""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from site_builder.markdown.context import Context, context_of, inline_blocks, link_tokens, \
    text_token


def mentions_plugin(md: MarkdownIt) -> None:
    """Link the first mention of each name in text outside links, headings and code."""
    md.core.ruler.push("mentions", _link_mentions)


def _link_mentions(state: StateCore) -> None:
    context = context_of(state)
    if not context.mentions:
        return
    for token, _, in_heading in inline_blocks(state):
        if token.type == "inline" and token.children and not in_heading:
            token.children = list(_children(token.children, context))


def _children(children: list[Token], context: Context) -> Iterator[Token]:
    depth = 0
    for child in children:
        depth += (child.type == "link_open") - (child.type == "link_close")
        if child.type == "text" and depth == 0:
            yield from _mentioned(child, context)
        else:
            yield child


def _mentioned(token: Token, context: Context) -> Iterator[Token]:
    """A text token with its first mentions made links (the token itself if it has none)."""
    text = token.content
    start = 0
    for begin, end, target in context.linker.matcher.find(text):
        if target in context.linked or target in context.exclude:
            continue
        context.linked.add(target)
        path, company = context.linker.mention_target(target)
        if company:
            context.companies[company] = None
        if begin > start:
            yield text_token(text[start:begin])
        yield from link_tokens(context.linker.urls.url(path), text[begin:end], "mention")
        start = end
    if start == 0:
        yield token
    elif start < len(text):
        yield text_token(text[start:])
