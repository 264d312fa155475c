"""Site links: every URL written in Markdown or raw HTML resolved (see `destinations`), and the
links to the site remembered with their places for the check of the built site."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from markdown_it import MarkdownIt, rules_inline
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from site_builder.errors import did_you_mean
from site_builder.markdown.context import Context, Place, context_of, inline_blocks
from site_builder.markdown.destinations import destination, is_dangerous, rewrite_html
from site_builder.model.bodies import Link

_PLACED = ("link_open", "image", "html_inline")
_SPACED = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^()<>\n]*\S\s+\S[^()<>\n]*)\)")
_PATH_LIKE = re.compile(r"^\s*[./]|\.[A-Za-z][A-Za-z0-9]{0,4}(?:[?#]\S*)?\s*$")


def site_links_plugin(md: MarkdownIt) -> None:
    """Remember where each link, image and raw HTML tag starts, then resolve their URLs."""
    md.validateLink = lambda url: not is_dangerous(url)  # type: ignore[method-assign]
    for name in ("link", "image", "autolink", "html_inline"):
        md.inline.ruler.at(name, _placed(getattr(rules_inline, name)))
    md.inline.ruler.after("image", "spaced_address", _spaced_address)
    md.core.ruler.before("text_join", "spaced_addresses", _report_spaced_addresses)
    md.core.ruler.push("site_links", _resolve_urls)


def _placed(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """An inline rule whose link, image or HTML token remembers its offset in its block."""
    def placed(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:
            if token.type in _PLACED:
                token.meta["offset"] = start
                break
        return True
    return placed


def _spaced_address(state: StateInline, silent: bool) -> bool:
    """Mark a link or image that Markdown leaves as text because its path has a space;
    consumes nothing, so the text is shown as written."""
    if silent or state.src[state.pos] not in "![" or state.src[state.pos - 1:state.pos] == "!":
        return False
    match = _SPACED.match(state.src, state.pos)
    if match and _PATH_LIKE.search(match.group(3)):
        bang, label, address = match.group(1), match.group(2), match.group(3).strip()
        token = state.push("spaced_address", "", 0)
        token.meta = {"offset": state.pos, "hint": f"write `{bang}[{label}](<{address}>)`",
                      "message": f"the address `{address}` has a space, so Markdown shows "
                                 f"this {'image' if bang else 'link'} as text"}
    return False


def _report_spaced_addresses(state: StateCore) -> None:
    """Each marked link or image left as text is a problem at its place; the marks go."""
    context = context_of(state)
    for token, place, _ in inline_blocks(state):
        marks = [c for c in token.children or () if c.type == "spaced_address"]
        for mark in marks:
            context.error(place, mark.meta["offset"], mark.meta["message"], mark.meta["hint"])
        if marks:
            token.children = [c for c in token.children or () if c.type != "spaced_address"]


def _resolve_urls(state: StateCore) -> None:
    context = context_of(state)
    for token, place, _ in inline_blocks(state):
        if token.type == "html_block":
            token.content = _raw_html(token.content, context, place, 0)
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                name = "href" if child.type == "link_open" else "src"
                href = site_url(context, str(child.attrGet(name) or ""), place,
                                child.meta.get("offset"))
                child.attrSet(name, href or "")
            elif child.type == "html_inline":
                child.content = _raw_html(child.content, context, place, child.meta.get("offset"))


def _raw_html(html: str, context: Context, place: Place, offset: int | None) -> str:
    """Raw HTML (allowed by the settings) with its URLs resolved like Markdown's; `offset` is
    where the HTML starts in its block (None: unknown)."""
    return rewrite_html(html, lambda url, at: site_url(
        context, url, place, None if offset is None else offset + at))


def site_url(context: Context, href: str, place: Place, offset: int | None) -> str | None:
    """The href a written URL becomes (None: it must not be written); a link to a page of the
    site is remembered with its place."""
    if is_dangerous(href):
        return None
    found = destination(href, context.path, context.page, context.linker.site)
    if found.source.endswith(".md"):
        context.looked_up.add(f"file:{found.source}")
        if found.source not in context.linker.site.sources:
            _unknown_file(context, found.source, place, offset or 0)
            return href
    if found.path and offset is not None:
        context.links.append(Link(found.path, found.fragment, *context.where(place, offset)))
    return found.href


def _unknown_file(context: Context, wanted: str, place: Place, offset: int) -> None:
    """A relative link to a Markdown file that is no published brief, company or page."""
    folder = posixpath.dirname(context.path)
    known = [posixpath.relpath(path, folder) for path in context.linker.site.sources]
    context.error(place, offset, f"no published brief, company or page in `{wanted}`",
                  did_you_mean(posixpath.relpath(wanted, folder), known))
