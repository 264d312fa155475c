"""The context of each page, made from its view when it is rendered: what its template sees."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from markupsafe import Markup

from site_builder.model.records import Brief
from site_builder.model.site import Entry, Site, Tag
from site_builder.plan.chart import Chart, timeline_chart
from site_builder.plan.outline import BriefCard
from site_builder.plan.pagination import page_of
from site_builder.plan.pages import HOME_BRIEFS, SITEMAP_PATH, PageSpec
from site_builder.plan.views import (LINES_FACTOR, TIMELINE_FACTOR, Views, group_briefs,
                                     group_timeline, timeline_filters)
from site_builder.urls import (company_briefs_path, company_feed_path, company_path,
                               company_timeline_path, tag_timeline_path, timeline_year_path)

HOME_ENTRIES = 8
HOME_FORECASTS = 5
HOME_COMPANIES = 12  # the most covered companies on the home page; the rest a click away
NOT_FOUND_BRIEFS = 5
Context = dict[str, Any]


class FeedEntry(NamedTuple):
    """A brief as a feed shows it: the whole record and its body, or (in a company's feed) its
    card and no body; and its tags."""

    brief: Brief | BriefCard
    body: Any
    tags: tuple[Tag, ...]


def page_context(site: Site, views: Views, page: PageSpec) -> Context:
    """What the template of a page sees, besides the page itself and the site's settings.

    A context holds a whole record only together with its body (a brief, company or page of
    its own, the entries of a feed), so that the record stands for both in the page's key."""
    kind, *arguments = page.view
    return _VIEWS[kind](site, views, *arguments)


def _home(site: Site, views: Views) -> Context:
    timeline = site.relations.timeline
    recent = [e for e in timeline if not e.expected][:HOME_ENTRIES]
    forecasts = [e for e in reversed(timeline) if e.expected][:HOME_FORECASTS]
    return {"briefs": views.brief_cards(site.relations.order[:HOME_BRIEFS]),
            "companies": views.company_cards(_most_covered(site)[:HOME_COMPANIES]),
            "company_count": len(site.relations.company_order),
            "recent": views.items(recent), "forecasts": views.items(forecasts),
            "brief_count": len(site.relations.order)}


def _most_covered(site: Site) -> list[str]:
    """Companies by how many briefs name them, most first (then in the site's order)."""
    briefs = site.relations.company_briefs
    return sorted(site.relations.company_order, key=lambda slug: -len(briefs[slug]))


def _archive(site: Site, views: Views, number: int) -> Context:
    per_page = site.config.per_page
    shown = page_of(site.relations.order, number, per_page)
    return {"months": group_briefs(views.brief_cards(shown)),
            "years": views.archive_months(per_page), "count": len(site.relations.order)}


def _brief(site: Site, views: Views, slug: str) -> Context:
    relations = site.relations
    previous, following = relations.neighbours[slug]
    body = site.bodies[("brief", slug)]
    return {
        "brief": site.brief[slug],
        "body": body.html,
        "takeaways": tuple(Markup(t) for t in body.takeaways),
        "companies": views.company_cards(relations.brief_companies[slug]),
        "tags": tuple(relations.tag[t] for t in relations.brief_tags[slug]),
        "events": views.items(relations.brief_events[slug]),
        "related": views.brief_cards(relations.related[slug]),
        "previous": views.briefs[previous] if previous else None,
        "next": views.briefs[following] if following else None,
    }


def _companies(site: Site, views: Views) -> Context:
    relations = site.relations
    return {"rows": tuple((views.companies[slug], len(relations.company_briefs[slug]))
                          for slug in relations.company_order)}


def _company(site: Site, views: Views, slug: str) -> Context:
    per_page = site.config.per_page
    briefs, timeline = site.relations.company_briefs[slug], site.relations.company_timeline[slug]
    return {
        "company": site.company[slug],
        "body": site.bodies[("company", slug)].html,
        "briefs": views.brief_cards(briefs[:per_page]), "brief_count": len(briefs),
        "all_briefs": company_briefs_path(slug) if len(briefs) > per_page else "",
        "timeline": group_timeline(views.items(timeline[:per_page])),
        "event_count": len(timeline),
        "all_events": company_timeline_path(slug) if len(timeline) > per_page else "",
        "chart": _chart(views, timeline, timeline[:per_page]),
        "feed": company_feed_path(slug),
    }


def _company_briefs(site: Site, views: Views, slug: str, number: int) -> Context:
    per_page, briefs = site.config.per_page, site.relations.company_briefs[slug]
    return {"company": views.companies[slug], "count": len(briefs),
            "briefs": views.brief_cards(page_of(briefs, number, per_page))}


def _company_timeline(site: Site, views: Views, slug: str, number: int) -> Context:
    per_page, timeline = site.config.per_page, site.relations.company_timeline[slug]
    shown = page_of(timeline, number, per_page)
    return {"company": views.companies[slug], "count": len(timeline),
            "timeline": group_timeline(views.items(shown)),
            "chart": _chart(views, timeline, shown)}


def _timeline(site: Site, views: Views) -> Context:
    timeline, pages = site.relations.timeline, views.timeline_pages()
    shown = views.items(timeline[:TIMELINE_FACTOR * site.config.per_page])
    return {"timeline": group_timeline(shown), "count": len(timeline), "shown": len(shown),
            "forecast_count": sum(1 for e in timeline if e.expected),
            "chart": _chart(views, timeline, [item.entry for item in shown]),
            "filters": timeline_filters(shown, site.relations.tag, _every_company(site)),
            "years": _years(pages)}


def _timeline_year(site: Site, views: Views, year: int, number: int) -> Context:
    pages = views.timeline_pages()
    shown = views.items(pages[year][number - 1])
    return {"timeline": group_timeline(shown), "year": year,
            "count": sum(len(page) for page in pages[year]),
            "filters": timeline_filters(shown, site.relations.tag, _every_company(site)),
            "years": _years(pages)}


def _chart(views: Views, timeline: tuple[Entry, ...], shown: Iterable[Entry]) -> Chart | None:
    """The chart of a timeline whose `shown` entries are on the page; the others' marks lead
    to their places on the year's timeline."""
    here = {entry.id for entry in shown}
    return timeline_chart(timeline, lambda entry: "" if entry.id in here else views.place(entry))


def _years(pages: dict[int, tuple[tuple, ...]]) -> tuple[tuple[int, str, int], ...]:
    """Each year of the timeline: the year, its page and how many events it has."""
    return tuple((year, timeline_year_path(year), sum(map(len, parts)))
                 for year, parts in pages.items())


def _every_company(site: Site) -> dict[str, str]:
    """The page that holds every event naming each company."""
    per_page = site.config.per_page
    return {slug: company_timeline_path(slug) if len(events) > per_page
            else f"{company_path(slug)}#company-timeline"
            for slug, events in site.relations.company_timeline.items()}


def _event(site: Site, views: Views, event_id: str) -> Context:
    item = views.entry(event_id)
    return {"item": item, "tags": tuple(site.relations.tag[t] for t in item.entry.tags)}


def _tags(site: Site, views: Views) -> Context:
    relations = site.relations
    rows = sorted(((t, len(relations.tag_briefs[t.slug])) for t in relations.tags),
                  key=lambda row: (-row[1], row[0].name))
    return {"rows": tuple(rows)}


def _tag(site: Site, views: Views, slug: str, number: int) -> Context:
    per_page, briefs = site.config.per_page, site.relations.tag_briefs[slug]
    return {"tag": site.relations.tag[slug], "count": len(briefs),
            "events": len(views.tag_events(slug)), "timeline": tag_timeline_path(slug),
            "briefs": views.brief_cards(page_of(briefs, number, per_page))}


def _tag_timeline(site: Site, views: Views, slug: str, number: int) -> Context:
    events = views.tag_events(slug)
    shown = page_of(events, number, LINES_FACTOR * site.config.per_page)
    return {"tag": site.relations.tag[slug], "count": len(events),
            "timeline": group_timeline(views.items(shown))}


def _standalone(site: Site, views: Views, slug: str) -> Context:
    return {"standalone": site.page[slug], "body": site.bodies[("page", slug)].html}


def _feed(site: Site, views: Views, company: str, briefs: tuple[str, ...]) -> Context:
    """The site's feed carries each brief in full; a company's, its title and summary (a
    company's feed tells of new briefs naming it: in full, 200 of them were 40 MB)."""
    tags = site.relations.tag
    entries = tuple(FeedEntry(views.briefs[slug], None,
                              tuple(tags[t] for t in site.relations.brief_tags[slug]))
                    if company else
                    FeedEntry(site.brief[slug], site.bodies[("brief", slug)].html,
                              tuple(tags[t] for t in site.relations.brief_tags[slug]))
                    for slug in briefs)
    return {"alternate": views.companies[company] if company else "/", "entries": entries}


def _corrections(site: Site, views: Views, number: int) -> Context:
    """The updates on a page of the list of every correction, each with its brief's card."""
    corrections = site.relations.corrections
    shown = page_of(corrections, number, site.config.per_page)
    return {"count": len(corrections),
            "corrections": tuple((views.briefs[c.brief], site.brief[c.brief].updates[c.index])
                                 for c in shown)}


def _not_found(site: Site, views: Views) -> Context:
    return {"briefs": views.brief_cards(site.relations.order[:NOT_FOUND_BRIEFS])}


_VIEWS: dict[str, Callable[..., Context]] = {
    "home": _home, "archive": _archive, "brief": _brief, "companies": _companies,
    "company": _company, "company_briefs": _company_briefs, "company_timeline": _company_timeline,
    "timeline": _timeline, "timeline_year": _timeline_year, "tag_timeline": _tag_timeline, "event": _event, "tags": _tags, "tag": _tag, "page": _standalone,
    "feed": _feed, "corrections": _corrections, "404": _not_found,
    "search": lambda site, views: {},
    "sitemap": lambda site, views, urls: {"urls": urls},
    "sitemap_index": lambda site, views, sitemaps: {"sitemaps": sitemaps},
    "robots": lambda site, views: {"sitemap": SITEMAP_PATH},
    "redirect": lambda site, views, target: {"target": target},
}
