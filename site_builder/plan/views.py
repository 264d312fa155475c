"""What templates see of the timeline: items with their brief and companies, grouped and filtered."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from site_builder.model.site import Entry, Tag
from site_builder.plan.outline import BriefCard, CompanyCard, Outline
from site_builder.model.dates import PartialDate
from site_builder.urls import (archive_path, event_path, paged_path, tag_timeline_path,
                               timeline_year_path)


TIMELINE_FACTOR = 3  # a timeline page holds this many times `per_page` events: entries are short
LINES_FACTOR = 10  # a tag's timeline lists this many times `per_page` events, one line each


class TimelineItem(NamedTuple):
    """A timeline entry with the brief and companies it points to, and its place: the page of
    its year's timeline that holds it."""

    entry: Entry
    brief: BriefCard
    companies: tuple[CompanyCard, ...]
    place: str

    @property
    def site_path(self) -> str:
        """The entry's place on the timeline."""
        return self.place

    @property
    def share(self) -> str:
        """The site path a copied link leads to: the event's own page."""
        return event_path(self.entry.id)


class MonthGroup(NamedTuple):
    """Entries of one month (label "" for entries dated only to the year)."""

    label: str
    items: tuple[TimelineItem, ...]


class YearGroup(NamedTuple):
    """Entries of one year, by month, newest first."""

    year: int
    months: tuple[MonthGroup, ...]


class BriefMonth(NamedTuple):
    """Briefs of one month on a page of the archive, newest first."""

    label: str
    anchor: str
    briefs: tuple[BriefCard, ...]


class MonthLink(NamedTuple):
    """A month of the archive: its name, where its first brief is listed, how many it has."""

    label: str
    path: str
    count: int


class YearLinks(NamedTuple):
    """The months of one year of the archive, newest first."""

    year: int
    months: tuple[MonthLink, ...]


class FilterOption(NamedTuple):
    """One choice of a timeline filter, with how many entries it keeps, and the page that holds
    every entry it keeps ("" for none)."""

    value: str
    label: str
    count: int
    every: str = ""


class TimelineFilters(NamedTuple):
    """The choices the timeline can be filtered by."""

    companies: tuple[FilterOption, ...]
    tags: tuple[FilterOption, ...]
    years: tuple[FilterOption, ...]
    forecasts: int


def timeline_filters(items: Iterable[TimelineItem], tags: Mapping[str, Tag],
                     every_company: Mapping[str, str]) -> TimelineFilters:
    """Companies, tags and years that occur among the items, with counts; a company's option
    names the page holding every event naming it (`every_company`)."""
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
        tuple(FilterOption(slug, name, count, every_company.get(slug, ""))
              for slug, (name, count) in sorted(companies.items(), key=lambda i: i[1][0].casefold())),
        tuple(FilterOption(slug, tags[slug].name, count, tag_timeline_path(slug))
              for slug, count in sorted(tag_counts.items(), key=lambda i: tags[i[0]].name)),
        tuple(FilterOption(str(year), str(year), count) for year, count in sorted(years.items(),
                                                                                  reverse=True)),
        forecasts)


def events_by_tag(timeline: Iterable[Entry]) -> dict[str, tuple[Entry, ...]]:
    """The events of the briefs with each tag, in timeline order."""
    found: dict[str, list[Entry]] = {}
    for entry in timeline:
        for tag in entry.tags:
            found.setdefault(tag, []).append(entry)
    return {tag: tuple(entries) for tag, entries in found.items()}


class Views:
    """The cards of an outline by slug, and timeline items, each made once per build."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.briefs = outline.briefs
        self.companies = outline.companies
        self._items: dict[str, TimelineItem] = {}
        self._entries: dict[str, Entry] = {}
        self._months: tuple[YearLinks, ...] | None = None
        self._years: dict[int, tuple[tuple[Entry, ...], ...]] | None = None
        self._places: dict[str, str] = {}
        self._tags: dict[str, tuple[Entry, ...]] | None = None

    def brief_cards(self, slugs: Iterable[str]) -> tuple[BriefCard, ...]:
        return tuple(map(self.briefs.__getitem__, slugs))

    def company_cards(self, slugs: Iterable[str]) -> tuple[CompanyCard, ...]:
        return tuple(map(self.companies.__getitem__, slugs))

    def archive_months(self, per_page: int) -> tuple[YearLinks, ...]:
        """Every month of the archive, by year, each leading to the page that lists its first
        brief (made once per build)."""
        if self._months is None:
            found: dict[int, dict[str, list]] = {}
            for index, slug in enumerate(self.outline.relations.order):
                date = self.briefs[slug].date
                months = found.setdefault(date.year, {})
                if date.month_label not in months:
                    path = f"{archive_path(index // per_page + 1)}#{month_anchor(date)}"
                    months[date.month_label] = [path, 0]
                months[date.month_label][1] += 1
            self._months = tuple(YearLinks(year, tuple(MonthLink(label, path, count) for label,
                                                       (path, count) in months.items()))
                                 for year, months in found.items())
        return self._months

    def timeline_pages(self) -> dict[int, tuple[tuple[Entry, ...], ...]]:
        """The entries on each page of each year's timeline, newest year first."""
        if self._years is None:
            size = TIMELINE_FACTOR * self.outline.config.per_page
            years: dict[int, list[Entry]] = {}
            for entry in self.outline.relations.timeline:
                years.setdefault(entry.date.year, []).append(entry)
            self._years = {year: tuple(tuple(entries[start:start + size])
                                       for start in range(0, len(entries), size))
                           for year, entries in years.items()}
            self._places = {entry.id: f"{paged_path(timeline_year_path(year), number)}#{entry.id}"
                            for year, pages in self._years.items()
                            for number, page in enumerate(pages, 1) for entry in page}
        return self._years

    def tag_events(self, slug: str) -> tuple[Entry, ...]:
        """The events of the briefs with a tag, newest first."""
        if self._tags is None:
            self._tags = events_by_tag(self.outline.relations.timeline)
        return self._tags.get(slug, ())

    def place(self, entry: Entry) -> str:
        """The page of its year's timeline that holds an entry, with its anchor."""
        self.timeline_pages()
        return self._places[entry.id]

    def items(self, entries: Iterable[Entry]) -> tuple[TimelineItem, ...]:
        return tuple(map(self.item, entries))

    def entry(self, entry_id: str) -> TimelineItem:
        """The timeline item of an entry by its id."""
        if not self._entries:
            self._entries = {e.id: e for e in self.outline.relations.timeline}
        return self.item(self._entries[entry_id])

    def item(self, entry: Entry) -> TimelineItem:
        """The timeline item of an entry, made once per build."""
        item = self._items.get(entry.id)
        if item is None:
            item = self._items[entry.id] = TimelineItem(entry, self.briefs[entry.brief],
                                                        self.company_cards(entry.companies),
                                                        self.place(entry))
        return item


def month_anchor(date: PartialDate) -> str:
    """The id of a month's heading in the archive: `m2026-01`."""
    return f"m{date.year}-{date.month:02d}"


def group_briefs(briefs: Iterable[BriefCard]) -> tuple[BriefMonth, ...]:
    """Briefs (newest first) grouped by month."""
    months: dict[str, list[BriefCard]] = {}
    anchors: dict[str, str] = {}
    for brief in briefs:
        months.setdefault(brief.date.month_label, []).append(brief)
        anchors.setdefault(brief.date.month_label, month_anchor(brief.date))
    return tuple(BriefMonth(label, anchors[label], tuple(group))
                 for label, group in months.items())


def group_timeline(items: Iterable[TimelineItem]) -> tuple[YearGroup, ...]:
    """Items (newest first) grouped by year, then by month."""
    years: dict[int, dict[str, list[TimelineItem]]] = {}
    for item in items:
        months = years.setdefault(item.entry.date.year, {})
        months.setdefault(item.entry.date.month_label, []).append(item)
    return tuple(YearGroup(year, tuple(MonthGroup(label, tuple(group))
                                       for label, group in months.items()))
                 for year, months in years.items())
