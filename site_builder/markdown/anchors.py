"""Heading anchors: a readable id on every heading, in any script, with a labelled permalink."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors import anchors_plugin

from site_builder.slugs import slugify


def heading_anchors_plugin(md: MarkdownIt) -> None:
    """`## 中文 标题` gets `id="中文-标题"` and a `#` link named "Link to this section"."""
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_slug, permalink=True,
           permalinkSymbol="#", permalinkBefore=False)
    md.core.ruler.push("anchor_labels", _label_permalinks)


def _heading_slug(title: str) -> str:
    return slugify(title) or "section"


def _label_permalinks(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "link_open" and child.attrGet("class") == "header-anchor":
                child.attrSet("aria-label", "Link to this section")
