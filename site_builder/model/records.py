"""The plain records that loading produces and every later stage reads.

Records are named tuples: immutable, compared and hashed in C, and quick to store. They hold
what the files say and where they say it, nothing else.
"""

from __future__ import annotations

from typing import NamedTuple

from site_builder.model.dates import PartialDate
from site_builder.urls import brief_path, company_path, page_path


class Ref(NamedTuple):
    """A value written in front matter (a reference, a line of text), with its place."""

    target: str
    line: int
    column: int


class Source(NamedTuple):
    """Where a brief's facts come from."""

    title: str
    publisher: str = ""
    url: str = ""
    date: PartialDate | None = None


class Update(NamedTuple):
    """A correction or update of a brief after its publication."""

    date: PartialDate
    note: str


class Event(NamedTuple):
    """A dated fact that goes on the timeline."""

    id: str
    date: PartialDate
    title: str
    companies: tuple[Ref, ...]
    expected: bool
    brief: str
    explicit_id: bool
    line: int


class Brief(NamedTuple):
    """One brief's front matter."""

    slug: str
    path: str
    title: str
    date: PartialDate
    summary: str
    companies: tuple[Ref, ...]
    tags: tuple[str, ...]
    takeaways: tuple[Ref, ...]
    sources: tuple[Source, ...]
    events: tuple[Event, ...]
    aliases: tuple[Ref, ...]
    draft: bool
    body_line: int
    slug_line: int
    updates: tuple[Update, ...] = ()  # newest first

    @property
    def site_path(self) -> str:
        """The address of the record's page."""
        return brief_path(self.slug)

    @property
    def modified(self) -> PartialDate:
        """When the brief last changed: its latest update, or its publication."""
        return self.updates[0].date if self.updates else self.date


class Standalone(NamedTuple):
    """A page that is not a brief (About, Methodology, Corrections policy), published at `/<slug>/`."""

    slug: str
    path: str
    title: str
    summary: str
    aliases: tuple[Ref, ...]
    draft: bool
    body_line: int
    slug_line: int

    @property
    def site_path(self) -> str:
        """The address of the record's page."""
        return page_path(self.slug)


class Person(NamedTuple):
    """A named person on a company's page."""

    name: str
    role: str
    anchor: str


class Listing(NamedTuple):
    """Where and when a company's shares were listed."""

    exchange: str
    date: PartialDate | None
    ticker: str = ""


class Company(NamedTuple):
    """One company profile."""

    slug: str
    path: str
    name: str
    aliases: tuple[str, ...]
    country: str
    hq: str
    website: str
    listing: Listing | None
    people: tuple[Person, ...]
    summary: str
    body_line: int
    slug_line: int
    name_lines: tuple[int, ...] = ()

    @property
    def site_path(self) -> str:
        """The address of the record's page."""
        return company_path(self.slug)


def kind_of(record: Brief | Company | Standalone) -> str:
    """`brief`, `company` or `page`: how a record's body is named."""
    return "brief" if isinstance(record, Brief) else \
        "company" if isinstance(record, Company) else "page"
