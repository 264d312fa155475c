"""The outline of a site: what lists and every page but a record's own show of it (cards,
relations, settings); the plan of the pages is made from it alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from site_builder.model.dates import PartialDate
from site_builder.model.records import Brief, Company, Ref, Standalone
from site_builder.model.settings import SiteConfig
from site_builder.model.site import Relations, Site
from site_builder.urls import brief_path, company_path, page_path


class BriefCard(NamedTuple):
    """A brief as lists and the pages around it show it."""

    slug: str
    title: str
    date: PartialDate
    summary: str
    draft: bool
    source: str
    aliases: tuple[Ref, ...]
    modified: PartialDate

    @property
    def site_path(self) -> str:
        return brief_path(self.slug)


class CompanyCard(NamedTuple):
    """A company as links, lists and its link-preview card show it."""

    slug: str
    name: str
    summary: str
    country: str
    aliases: tuple[str, ...]
    hq: str
    exchange: str
    website: str

    @property
    def site_path(self) -> str:
        return company_path(self.slug)


class PageCard(NamedTuple):
    """A standalone page as the plan knows it."""

    slug: str
    title: str
    summary: str
    draft: bool
    source: str
    aliases: tuple[Ref, ...]

    @property
    def site_path(self) -> str:
        return page_path(self.slug)


def brief_card(brief: Brief) -> BriefCard:
    """What lists show of a brief."""
    return BriefCard(brief.slug, brief.title, brief.date, brief.summary, brief.draft, brief.path,
                     brief.aliases, brief.modified)


def company_card(company: Company) -> CompanyCard:
    """What lists show of a company."""
    return CompanyCard(company.slug, company.name, company.summary, company.country,
                       company.aliases, company.hq,
                       company.listing.exchange if company.listing else "", company.website)


def page_card(page: Standalone) -> PageCard:
    """What the plan knows of a standalone page."""
    return PageCard(page.slug, page.title, page.summary, page.draft, page.path, page.aliases)


def card_of(record: Brief | Company | Standalone) -> BriefCard | CompanyCard | PageCard:
    """The card of a record of any kind."""
    if isinstance(record, Brief):
        return brief_card(record)
    return company_card(record) if isinstance(record, Company) else page_card(record)


@dataclass(frozen=True)
class Outline:
    """The settings, the relations and the card of every published record, by slug."""

    config: SiteConfig
    relations: Relations
    briefs: Mapping[str, BriefCard]
    companies: Mapping[str, CompanyCard]
    pages: Mapping[str, PageCard]


def outline_of(site: Site, cards: Mapping[str, BriefCard | CompanyCard | PageCard]) -> Outline:
    """The outline of a site, given the card of each record by its source file."""
    return Outline(site.config, site.relations,
                   {b.slug: cards[b.path] for b in site.briefs},  # type: ignore[misc]
                   {c.slug: cards[c.path] for c in site.companies},  # type: ignore[misc]
                   {p.slug: cards[p.path] for p in site.pages})  # type: ignore[misc]
