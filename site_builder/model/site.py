"""The site as the link stage makes it: records, bodies and every relation between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from site_builder.errors import ContentError
from site_builder.model.bodies import RenderedBody
from site_builder.model.dates import PartialDate
from site_builder.model.records import Brief, Company, Standalone
from site_builder.model.settings import SiteConfig
from site_builder.urls import tag_path


class Tag(NamedTuple):
    """A tag: its slug and the spelling most briefs use."""

    slug: str
    name: str

    @property
    def site_path(self) -> str:
        return tag_path(self.slug)


class Entry(NamedTuple):
    """One line of the timeline: an event, with the brief that reports it."""

    id: str
    date: PartialDate
    title: str
    expected: bool
    brief: str
    companies: tuple[str, ...]
    tags: tuple[str, ...]


class Correction(NamedTuple):
    """One update of a brief, as the list of every correction shows it: its date, the brief's
    slug and the update's place among the brief's updates."""

    date: PartialDate
    brief: str
    index: int


@dataclass(frozen=True)
class Relations:
    """Every relation between the records: orders, references, the timeline, tags, neighbours."""

    order: tuple[str, ...]
    company_order: tuple[str, ...]
    brief_companies: Mapping[str, tuple[str, ...]]
    company_briefs: Mapping[str, tuple[str, ...]]
    timeline: tuple[Entry, ...]
    brief_events: Mapping[str, tuple[Entry, ...]]
    company_timeline: Mapping[str, tuple[Entry, ...]]
    tags: tuple[Tag, ...]
    tag: Mapping[str, Tag]
    tag_briefs: Mapping[str, tuple[str, ...]]
    brief_tags: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]
    neighbours: Mapping[str, tuple[str | None, str | None]]
    errors: tuple[ContentError, ...]
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class Site:
    """Everything a build knows, resolved: the only input of the page plan."""

    config: SiteConfig
    briefs: tuple[Brief, ...]
    companies: tuple[Company, ...]
    pages: tuple[Standalone, ...]
    brief: Mapping[str, Brief]
    company: Mapping[str, Company]
    page: Mapping[str, Standalone]
    bodies: Mapping[tuple[str, str], RenderedBody]
    relations: Relations
    drafts_left_out: int = 0

    def record(self, kind: str, slug: str) -> Brief | Company | Standalone:
        """The brief, company or page of a body's key."""
        return {"brief": self.brief, "company": self.company, "page": self.page}[kind][slug]
