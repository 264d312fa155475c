"""Markdown stage: a body rendered to HTML with wiki-links, first mentions and heading anchors."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from markdown_it import MarkdownIt, rules_inline
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from site_builder.engine.texts import Stored
from site_builder.engine.digest import digest_bytes
from site_builder.errors import ContentError, did_you_mean
from site_builder.references import UNLOADED, Linker, Resolved
from site_builder.markdown.destinations import destination, is_dangerous, rewrite_html
from site_builder.slugs import slugify

_WIKI = re.compile(r"\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]+?))?\]\]")


class Link(NamedTuple):
    """A link written in a body to a page of the site, and where it was written."""

    path: str
    fragment: str
    line: int
    column: int


class RenderedBody(NamedTuple):
    """A body's HTML, what its prose links to, and the briefs it looked up.

    The HTML is dropped (`html=""`) once it is kept in a BodyStore, at `stored`.
    """

    html: str
    companies: tuple[str, ...]
    briefs: tuple[str, ...]
    errors: tuple[ContentError, ...]
    lookups: tuple[tuple[str, str | None], ...] = ()
    links: tuple[Link, ...] = ()
    digest: str = ""
    stored: Stored = Stored("", 0, 0)


@dataclass
class _Context:
    """Per-render state kept in markdown-it's `env`."""

    linker: Linker
    path: str
    page: str
    first_line: int
    mentions: bool
    exclude: frozenset[Hashable]
    linked: set[Hashable] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    companies: dict[str, None] = field(default_factory=dict)
    briefs: dict[str, None] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    looked_up: set[str] = field(default_factory=set)

    def result(self, html: str) -> RenderedBody:
        """What the render produced, with the brief lookups it depends on."""
        lookups = tuple(sorted((s, self.linker.state(s)) for s in self.looked_up))
        return RenderedBody(html, tuple(self.companies), tuple(self.briefs), tuple(self.errors),
                            lookups, tuple(self.links),
                            digest_bytes(html.encode("utf-8", "surrogatepass")))

    def place(self, source: tuple[str, int], offset: int) -> tuple[int, int]:
        """The line and column of an offset into the text of a block that starts at a line."""
        text, line = source
        return line + text.count("\n", 0, offset), offset - text.rfind("\n", 0, offset)

    def site_link(self, href: str, source: tuple[str, int], offset: int | None) -> str | None:
        """The href a written URL becomes (None: it must not be written); a link to a page of
        the site is remembered, with its place, for the check of the built site."""
        if is_dangerous(href):
            return None
        found = destination(href, self.path, self.page, self.linker.site)
        if found.source.endswith(".md"):
            self.looked_up.add(f"file:{found.source}")
            if found.source not in self.linker.site.sources:
                self._unknown_file(found.source, source, offset)
                return href
        if found.path and offset is not None:
            self.links.append(Link(found.path, found.fragment, *self.place(source, offset)))
        return found.href


    def _unknown_file(self, wanted: str, source: tuple[str, int], offset: int | None) -> None:
        """A relative link to a Markdown file that is no published brief, company or page."""
        folder = posixpath.dirname(self.path)
        known = [posixpath.relpath(path, folder) for path in self.linker.site.sources]
        line, column = self.place(source, offset or 0)
        self.errors.append(ContentError(
            self.path, line, column, f"no published brief, company or page in `{wanted}`",
            did_you_mean(posixpath.relpath(wanted, folder), known),
            warning=not self.linker.strict))


def render_markdown(body: str, linker: Linker, *, path: str, page: str, first_line: int,
                    allow_html: bool = False, mentions: bool = True,
                    exclude: frozenset[Hashable] = frozenset()) -> RenderedBody:
    """Render a Markdown body shown at the site path `page`; references that do not resolve
    become errors at their lines."""
    context = _Context(linker, path, page, first_line, mentions, exclude)
    md = markdown_parser(allow_html)
    env = {"context": context}
    return context.result(md.renderer.render(md.parse(body, env), md.options, env))


def render_inline(text: str, linker: Linker, *, path: str, page: str, line: int,
                  allow_html: bool = False) -> RenderedBody:
    """Render one line of inline Markdown (a takeaway), with wiki-links but no mentions."""
    context = _Context(linker, path, page, line, False, frozenset())
    md = markdown_parser(allow_html)
    env = {"context": context}
    return context.result(md.renderer.render(md.parseInline(text, env), md.options, env))


@lru_cache(maxsize=2)
def markdown_parser(allow_html: bool) -> MarkdownIt:
    """CommonMark with tables, footnotes, heading anchors, wiki-links and mentions."""
    md = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])
    if not allow_html:  # their rules would only find the setting off, at every block and tag
        md.disable(["html_block", "html_inline"])
    md.validateLink = _safe_link  # type: ignore[method-assign]
    md.core.ruler.at("normalize", _normalize)
    for name in ("link", "image", "autolink", "html_inline"):
        md.inline.ruler.at(name, _placed(getattr(rules_inline, name)))
    md.use(footnote_plugin)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.push("site_links", _site_links_rule)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_slug, permalink=True,
           permalinkSymbol="#", permalinkBefore=False)
    md.core.ruler.push("anchor_labels", _anchor_labels_rule)
    return md


def _normalize(state: StateCore) -> None:
    """Line endings to `\n` and NUL to U+FFFD, as markdown-it's own rule, without a regular
    expression substituting every line of a text that has nothing to change."""
    source = state.src
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source:
        source = source.replace("\0", "\ufffd")
    state.src = source


def _safe_link(url: str) -> bool:
    return not is_dangerous(url)


def _placed(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """An inline rule whose link or image token remembers where in its block it was written."""
    def placed(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        for token in state.tokens[count:]:
            if token.type in ("link_open", "image", "html_inline"):
                token.meta["offset"] = start
                break
        return True
    return placed


def _heading_slug(title: str) -> str:
    return slugify(title) or "section"


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
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


def _site_links_rule(state: StateCore) -> None:
    """Resolve wiki-links, link first mentions, and prefix site paths, on tokens."""
    context: _Context = state.env["context"]
    block_line = 0
    previous = ""
    for token in state.tokens:
        if token.map:
            block_line = token.map[0]
        if token.type == "html_block":
            token.content = _raw_html(token.content, context,
                                      (token.content, context.first_line + block_line), 0)
        elif token.type == "inline" and token.children is not None:
            place = (token.content, context.first_line + block_line)
            token.children = list(_link_children(token.children, context, place,
                                                 in_heading=previous == "heading_open"))
        previous = token.type


def _link_children(children: list[Token], context: _Context, place: tuple[str, int],
                   in_heading: bool) -> Iterator[Token]:
    depth = 0
    for child in children:
        if child.type in ("link_open", "image"):
            depth += child.type == "link_open"
            name = "href" if child.type == "link_open" else "src"
            href = context.site_link(str(child.attrGet(name) or ""), place,
                                     child.meta.get("offset"))
            child.attrSet(name, href or "")
        elif child.type == "html_inline":
            child.content = _raw_html(child.content, context, place, child.meta.get("offset"))
        elif child.type == "link_close":
            depth -= 1
        if child.type == "wikilink":
            yield from _wikilink_tokens(child, context, place)
        elif child.type == "text" and depth == 0 and not in_heading and context.mentions:
            yield from _mention_tokens(child, context)
        else:
            yield child


def _raw_html(html: str, context: _Context, source: tuple[str, int], offset: int | None) -> str:
    """Raw HTML (allowed by the settings) with its URLs resolved like Markdown's; `offset` is
    where the HTML starts in its block (None: unknown)."""
    return rewrite_html(html, lambda url, at: context.site_link(
        url, source, None if offset is None else offset + at))


def _wikilink_tokens(token: Token, context: _Context, place: tuple[str, int]) -> Iterator[Token]:
    offset = token.meta["offset"]
    resolved = context.linker.resolve(token.meta["target"], context.looked_up)
    if resolved is UNLOADED:
        yield _text(token.meta["label"] or token.meta["target"])
        return
    if isinstance(resolved, Resolved):
        context.linked.add(resolved.key)
        if resolved.company:
            context.companies[resolved.company] = None
        if resolved.brief:
            context.briefs[resolved.brief] = None
        if resolved.fragment:
            context.links.append(Link(resolved.path, resolved.fragment,
                                      *context.place(place, offset)))
        yield from _link(context.linker.urls.url(resolved.href), token.meta["label"] or resolved.text)
        return
    message, hint = resolved
    context.errors.append(ContentError(context.path, *context.place(place, offset), message, hint,
                                       warning=not context.linker.strict))
    yield _text(token.meta["label"] or token.meta["target"])


def _mention_tokens(token: Token, context: _Context) -> Iterator[Token]:
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
            yield _text(text[start:begin])
        yield from _link(context.linker.urls.url(path), text[begin:end], "mention")
        start = end
    if start == 0:
        yield token
    elif start < len(text):
        yield _text(text[start:])


def _link(href: str, label: str, css_class: str = "") -> Iterator[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrSet("href", href)
    if css_class:
        opening.attrSet("class", css_class)
    yield opening
    yield _text(label)
    yield Token("link_close", "a", -1)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _anchor_labels_rule(state: StateCore) -> None:
    """Give heading permalinks an accessible name."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "link_open" and child.attrGet("class") == "header-anchor":
                child.attrSet("aria-label", "Link to this section")
