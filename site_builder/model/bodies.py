"""What the markdown stage makes of a body: its HTML and everything its prose links to."""

from __future__ import annotations

from typing import Any, NamedTuple

from site_builder.errors import ContentError


class Link(NamedTuple):
    """A link written in a body to a page of the site, and where it was written."""

    path: str
    fragment: str
    line: int
    column: int


class RenderedBody(NamedTuple):
    """A body's HTML (text, or a reference to where the engine keeps it), the HTML of a
    brief's takeaways, the companies and briefs its prose links to, the links it makes to the
    site, the lookups it depends on (a name and what it resolved to) and its errors."""

    html: Any
    takeaways: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    briefs: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    lookups: tuple[tuple[str, str | None], ...] = ()
    errors: tuple[ContentError, ...] = ()
