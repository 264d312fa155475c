"""Plan stage: every output page of a Site, with its URL, template and ready context."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any

from markupsafe import Markup

from site_builder.dates import PartialDate
from site_builder.errors import ContentError
from site_builder.graph import Entry, Site, Tag
from site_builder.records import Brief, Company
from site_builder.urls import brief_path, company_path, output_file, tag_path, timeline_path

HOME_BRIEFS = 10
HOME_ENTRIES = 8
HOME_FORECASTS = 5


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, what renders it, and with what."""

    path: str
    template: str
    title: str
    description: str
    kind: str = "website"
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    published: PartialDate | None = None
    indexed: bool = True

    @property
    def output(self) -> str:
        """The file under `output/` this page is written to."""
        return output_file(self.path)


@dataclass(frozen=True)
class TimelineItem:
    """A timeline entry with the records it points to."""

    entry: Entry
    brief: Brief
    companies: tuple[Company, ...]


@dataclass(frozen=True)
class MonthGroup:
    """Entries of one month (label "" for entries dated only to the year)."""

    label: str
    items: tuple[TimelineItem, ...]


@dataclass(frozen=True)
class YearGroup:
    """Entries of one year, by month, newest first."""

    year: int
    months: tuple[MonthGroup, ...]


@singledispatch
def path_of(target: Any) -> str:
    """The site path of anything that has a page or an anchor."""
    if isinstance(target, str):
        return target
    raise TypeError(f"no page for {type(target).__name__}")


@path_of.register
def _(target: Brief) -> str:
    return brief_path(target.slug)


@path_of.register
def _(target: Company) -> str:
    return company_path(target.slug)


@path_of.register
def _(target: Tag) -> str:
    return tag_path(target.slug)


@path_of.register
def _(target: Entry) -> str:
    return timeline_path(target.id)


@path_of.register
def _(target: TimelineItem) -> str:
    return timeline_path(target.entry.id)


@path_of.register
def _(target: Page) -> str:
    return target.path


def plan_pages(site: Site) -> tuple[list[Page], list[ContentError]]:
    """All pages of the site; two pages wanting one path is an error."""
    pages = [_home(site), *_brief_pages(site), _companies_index(site), *_company_pages(site),
             _timeline_page(site), _tags_index(site), *_tag_pages(site), _not_found(site)]
    pages += _redirects(site)
    return pages, _collisions(site, pages)


def _items(site: Site, entries: Iterable[Entry]) -> tuple[TimelineItem, ...]:
    return tuple(TimelineItem(e, site.brief[e.brief], tuple(site.company[c] for c in e.companies))
                 for e in entries)


def group_timeline(items: Iterable[TimelineItem]) -> tuple[YearGroup, ...]:
    """Items (newest first) grouped by year, then by month."""
    years: dict[int, dict[str, list[TimelineItem]]] = {}
    for item in items:
        months = years.setdefault(item.entry.date.year, {})
        months.setdefault(item.entry.date.month_label, []).append(item)
    return tuple(YearGroup(year, tuple(MonthGroup(label, tuple(group))
                                       for label, group in months.items()))
                 for year, months in years.items())


def _home(site: Site) -> Page:
    items = _items(site, site.timeline)
    forecasts = [i for i in reversed(items) if i.entry.expected][:HOME_FORECASTS]
    context = {"briefs": site.briefs[:HOME_BRIEFS], "companies": site.companies,
               "recent": [i for i in items if not i.entry.expected][:HOME_ENTRIES],
               "forecasts": forecasts, "brief_count": len(site.briefs)}
    return Page("/", "home.html", site.config.title, site.config.description, context=context)


def _brief_pages(site: Site) -> Iterator[Page]:
    for brief in site.briefs:
        previous, following = site.neighbours[brief.slug]
        context = {
            "brief": brief,
            "body": Markup(site.bodies[("brief", brief.slug)].html),
            "takeaways": [Markup(t) for t in site.takeaways[brief.slug]],
            "companies": [site.company[c] for c in site.brief_companies[brief.slug]],
            "tags": [t for t in site.tags if t.slug in site.brief_tags[brief.slug]],
            "events": _items(site, site.brief_events[brief.slug]),
            "related": [site.brief[s] for s in site.related[brief.slug]],
            "previous": site.brief[previous] if previous else None,
            "next": site.brief[following] if following else None,
        }
        yield Page(brief_path(brief.slug), "brief.html", brief.title,
                   brief.summary or site.config.description, "article", context, brief.date)


def _companies_index(site: Site) -> Page:
    rows = [(c, len(site.company_briefs[c.slug])) for c in site.companies]
    return Page("/companies/", "companies.html", "Companies",
                f"The {len(rows)} companies covered by {site.config.title}.",
                context={"rows": rows})


def _company_pages(site: Site) -> Iterator[Page]:
    for company in site.companies:
        entries = [e for e in site.timeline if company.slug in e.companies]
        context = {
            "company": company,
            "body": Markup(site.bodies[("company", company.slug)].html),
            "briefs": [site.brief[s] for s in site.company_briefs[company.slug]],
            "timeline": group_timeline(_items(site, entries)),
        }
        yield Page(company_path(company.slug), "company.html", company.name,
                   company.summary or site.config.description, "profile", context)


def _timeline_page(site: Site) -> Page:
    items = _items(site, site.timeline)
    context = {"timeline": group_timeline(items), "count": len(items),
               "forecast_count": sum(1 for i in items if i.entry.expected)}
    return Page(timeline_path(), "timeline.html", site.config.timeline_title,
                f"Every dated event and brief of {site.config.title}, newest first.",
                context=context)


def _tags_index(site: Site) -> Page:
    return Page("/tags/", "tags.html", "Tags", f"Topics covered by {site.config.title}.",
                context={"tags": sorted(site.tags, key=lambda t: (-len(t.briefs), t.name))})


def _tag_pages(site: Site) -> Iterator[Page]:
    for tag in site.tags:
        yield Page(tag_path(tag.slug), "tag.html", f"Tag: {tag.name}",
                   f"Briefs tagged {tag.name} on {site.config.title}.",
                   context={"tag": tag, "briefs": [site.brief[s] for s in tag.briefs]})


def _not_found(site: Site) -> Page:
    return Page("/404.html", "404.html", "Page not found", site.config.description,
                context={"briefs": site.briefs[:5]}, indexed=False)


def _redirects(site: Site) -> Iterator[Page]:
    for brief in site.briefs:
        for alias in brief.aliases:
            yield Page(alias.target, "redirect.html", brief.title, brief.summary,
                       context={"target": brief}, indexed=False)


def _collisions(site: Site, pages: list[Page]) -> list[ContentError]:
    """Pages that would write one file (compared without case, as on macOS and Windows)."""
    owners: dict[str, Page] = {}
    errors = []
    for page in pages:
        key = page.output.casefold()
        if key in owners:
            errors.append(_collision_error(site, page, owners[key]))
        else:
            owners[key] = page
    return errors


def _collision_error(site: Site, page: Page, first: Page) -> ContentError:
    if page.template == "redirect.html":
        brief = page.context["target"]
        alias = next(a for a in brief.aliases if a.target == page.path)
        return ContentError(brief.path, alias.line, alias.column,
                            f"alias `{page.path}` collides with the page {first.path}",
                            "choose an old path that no other page uses")
    return ContentError("content", 1, 1, f"two pages would be written to {page.output}: "
                        f"{first.path} and {page.path}")
