"""What templates see: records as cards, timeline items and groups, and the path of each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from site_builder.model.dates import PartialDate
from site_builder.engine.digest import digest, digest_bytes
from site_builder.link import Entry, Site, Tag
from site_builder.model.records import Brief, Company
from site_builder.urls import brief_path, company_path, event_path, tag_path, timeline_path


class BriefCard(NamedTuple):
    """A brief as lists show it: a page that lists it depends on these fields only."""

    slug: str
    title: str
    date: PartialDate
    summary: str
    draft: bool
    digest: str


class CompanyCard(NamedTuple):
    """A company as links and lists show it."""

    slug: str
    name: str
    summary: str
    country: str
    aliases: tuple[str, ...]
    digest: str


class TimelineItem(NamedTuple):
    """A timeline entry with the brief and companies it points to."""

    entry: Entry
    brief: BriefCard
    companies: tuple[CompanyCard, ...]
    digest: str

    @property
    def share(self) -> str:
        """The site path a copied link leads to: an event's own page, a brief's timeline spot."""
        return event_path(self.entry.id) if self.entry.kind == "event" else \
            timeline_path(self.entry.id)


class MonthGroup(NamedTuple):
    """Entries of one month (label "" for entries dated only to the year)."""

    label: str
    items: tuple[TimelineItem, ...]


class YearGroup(NamedTuple):
    """Entries of one year, by month, newest first."""

    year: int
    months: tuple[MonthGroup, ...]


class FilterOption(NamedTuple):
    """One choice of a timeline filter, with how many entries it keeps."""

    value: str
    label: str
    count: int


class TimelineFilters(NamedTuple):
    """The choices the timeline can be filtered by."""

    companies: tuple[FilterOption, ...]
    tags: tuple[FilterOption, ...]
    years: tuple[FilterOption, ...]
    forecasts: int


def timeline_filters(items: Iterable[TimelineItem], tags: Mapping[str, Tag]) -> TimelineFilters:
    """Companies, tags and years that occur among the items, with counts."""
    companies: dict[str, list] = {}
    tag_counts: dict[str, int] = {}
    years: dict[int, int] = {}
    forecasts = 0
    for item in items:
        for company in item.companies:
            companies.setdefault(company.slug, [company.name, 0])[1] += 1
        for tag in item.entry.tags:
            tag_counts[tag] = tag_counts.get(tag, 0) + 1
        years[item.entry.date.year] = years.get(item.entry.date.year, 0) + 1
        forecasts += item.entry.expected
    return TimelineFilters(
        tuple(FilterOption(slug, name, count)
              for slug, (name, count) in sorted(companies.items(), key=lambda i: i[1][0].casefold())),
        tuple(FilterOption(slug, tags[slug].name, count)
              for slug, count in sorted(tag_counts.items(), key=lambda i: tags[i[0]].name)),
        tuple(FilterOption(str(year), str(year), count) for year, count in sorted(years.items(),
                                                                                  reverse=True)),
        forecasts)


class Views:
    """The cards and timeline items of one Site, made once per build."""

    def __init__(self, site: Site) -> None:
        self.briefs: Mapping[str, BriefCard] = {
            b.slug: BriefCard(b.slug, b.title, b.date, b.summary, b.draft, b.card_digest)
            for b in site.briefs}
        self.companies: Mapping[str, CompanyCard] = {
            c.slug: CompanyCard(c.slug, c.name, c.summary, c.country, c.aliases,
                                digest(c.slug, c.name, c.summary, c.country, c.aliases))
            for c in site.companies}
        self.digest = digest_bytes("".join(
            [c.digest for c in self.briefs.values()] + [c.digest for c in self.companies.values()]
        ).encode())
        self._items: dict[str, TimelineItem] = {}

    def brief_cards(self, slugs: Iterable[str]) -> tuple[BriefCard, ...]:
        return tuple(map(self.briefs.__getitem__, slugs))

    def company_cards(self, slugs: Iterable[str]) -> tuple[CompanyCard, ...]:
        return tuple(map(self.companies.__getitem__, slugs))

    def items(self, entries: Iterable[Entry]) -> tuple[TimelineItem, ...]:
        return tuple(map(self.item, entries))

    def item(self, entry: Entry) -> TimelineItem:
        """The timeline item of an entry, made once per build."""
        item = self._items.get(entry.id)
        if item is None:
            brief, companies = self.briefs[entry.brief], self.company_cards(entry.companies)
            item_digest = digest(entry, brief.digest, [c.digest for c in companies])
            item = self._items[entry.id] = TimelineItem(entry, brief, companies, item_digest)
        return item


def group_timeline(items: Iterable[TimelineItem]) -> tuple[YearGroup, ...]:
    """Items (newest first) grouped by year, then by month."""
    years: dict[int, dict[str, list[TimelineItem]]] = {}
    for item in items:
        months = years.setdefault(item.entry.date.year, {})
        months.setdefault(item.entry.date.month_label, []).append(item)
    return tuple(YearGroup(year, tuple(MonthGroup(label, tuple(group))
                                       for label, group in months.items()))
                 for year, months in years.items())


_PATHS: dict[type, Callable[[Any], str]] = {
    Brief: lambda target: brief_path(target.slug),
    BriefCard: lambda target: brief_path(target.slug),
    Company: lambda target: company_path(target.slug),
    CompanyCard: lambda target: company_path(target.slug),
    Tag: lambda target: tag_path(target.slug),
    Entry: lambda target: timeline_path(target.id),
    TimelineItem: lambda target: timeline_path(target.entry.id),
}


def path_of(target: Any) -> str:
    """The site path of anything that has a page or an anchor."""
    if type(target) is str:
        return target
    for kind in type(target).__mro__:
        by_type = _PATHS.get(kind)
        if by_type is not None:
            return by_type(target)
    if isinstance(target, str):
        return target
    path = getattr(target, "path", None)
    if isinstance(path, str) and path.startswith("/"):
        return path
    raise TypeError(f"no page for {type(target).__name__}")
