"""Markdown stage: a body rendered to HTML with wiki-links, first mentions, site links and anchors."""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin

from site_builder.markdown.anchors import heading_anchors_plugin
from site_builder.markdown.context import Context
from site_builder.markdown.mentions import mentions_plugin
from site_builder.markdown.site_links import site_links_plugin
from site_builder.markdown.wikilinks import wikilinks_plugin
from site_builder.model.bodies import RenderedBody
from site_builder.model.records import Brief, Company, Standalone
from site_builder.references import Linker


def render_body(linker: Linker, allow_html: bool,
                item: tuple[Brief | Company | Standalone, Any]) -> RenderedBody:
    """A record's Markdown body (and a brief's takeaways) rendered for its page."""
    record, body = item
    own: frozenset[Hashable] = frozenset()
    if isinstance(record, Company):
        own = frozenset([("company", record.slug),
                         *(("person", record.slug, p.anchor) for p in record.people)])
    context = Context(linker, record.path, record.site_path, record.body_line, exclude=own)
    html = _render(context, str(body), allow_html, inline=False)
    takeaways = []
    if isinstance(record, Brief):
        for line in record.takeaways:
            context.first_line, context.mentions = line.line, False
            takeaways.append(_render(context, line.target, allow_html, inline=True))
    return RenderedBody(html, tuple(takeaways), tuple(context.companies), tuple(context.briefs),
                        tuple(context.links), context.lookups(), tuple(context.errors))


def _render(context: Context, text: str, allow_html: bool, inline: bool) -> str:
    md = markdown_parser(allow_html)
    env = {"context": context}
    tokens = md.parseInline(text, env) if inline else md.parse(text, env)
    return md.renderer.render(tokens, md.options, env)


@lru_cache(maxsize=2)
def markdown_parser(allow_html: bool) -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes, heading anchors, wiki-links, mentions
    and site links."""
    md = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])
    if not allow_html:  # their rules would only find the setting off, at every block and tag
        md.disable(["html_block", "html_inline"])
    md.core.ruler.at("normalize", normalize)
    md.use(footnote_plugin).use(site_links_plugin).use(wikilinks_plugin).use(mentions_plugin)
    md.use(heading_anchors_plugin)
    return md


def normalize(state: StateCore) -> None:
    """Line endings to `\\n` and NUL to U+FFFD, as markdown-it's own rule, without a regular
    expression substituting every line of a text that has nothing to change."""
    source = state.src
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source:
        source = source.replace("\0", "\ufffd")
    state.src = source
