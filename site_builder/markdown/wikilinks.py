"""Wiki-links: `[[Zhipu AI]]`, `[[zhipu-ai|text]]`, `[[brief:slug]]`, `[[timeline]]`, resolved on tokens."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from site_builder.markdown.context import Context, Place, context_of, inline_blocks, link_tokens, \
    text_token
from site_builder.model.bodies import Link
from site_builder.references import UNLOADED, Resolved

_WIKI = re.compile(r"\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]+?))?\]\]")


def wikilinks_plugin(md: MarkdownIt) -> None:
    """Find `[[...]]` in inline text, then resolve each to a link (or an error at its place)."""
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.core.ruler.push("wikilinks", _resolve_wikilinks)


def _wikilink(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = _WIKI.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"target": match.group(1).strip(), "label": (match.group(2) or "").strip(),
                      "offset": state.pos}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _resolve_wikilinks(state: StateCore) -> None:
    context = context_of(state)
    for token, place, _ in inline_blocks(state):
        if token.type == "inline" and any(c.type == "wikilink" for c in token.children or ()):
            token.children = [made for child in token.children or ()
                              for made in (_resolved(child, context, place)
                                           if child.type == "wikilink" else [child])]


def _resolved(token: Token, context: Context, place: Place) -> list[Token]:
    """The tokens a wiki-link becomes: a link, or its text where it leads nowhere."""
    target, label, offset = token.meta["target"], token.meta["label"], token.meta["offset"]
    resolved = context.linker.resolve(target, context.looked_up)
    if resolved is UNLOADED:
        return [text_token(label or target)]
    if not isinstance(resolved, Resolved):
        context.error(place, offset, *resolved)
        return [text_token(label or target)]
    context.linked.add(resolved.key)
    if resolved.company:
        context.companies[resolved.company] = None
    if resolved.brief:
        context.briefs[resolved.brief] = None
    if resolved.fragment:
        context.links.append(Link(resolved.path, resolved.fragment,
                                  *context.where(place, offset)))
    return link_tokens(context.linker.urls.url(resolved.href), label or resolved.text)
