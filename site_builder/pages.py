"""Plan stage: every output page of a Site, with its URL, template and ready context."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from site_builder.dates import PartialDate
from site_builder.errors import ContentError
from site_builder.config import SiteConfig
from site_builder.graph import Relations, Site, Tag
from site_builder.markdown import RenderedBody
from site_builder.records import Brief, Company
from site_builder.urls import (brief_path, company_feed_path, company_path, output_file, tag_path,
                               timeline_path)
from site_builder.views import BriefCard, Views, group_timeline

HOME_BRIEFS = 10
HOME_ENTRIES = 8
HOME_FORECASTS = 5
FEED_ENTRIES = 50
COMPANY_FEED_ENTRIES = 20
DESCRIPTION_LIMIT = 200
SHARE_IMAGE = "/static/share.png"
FEED_PATH = "/feed.xml"
SITEMAP_PATH = "/sitemap.xml"
ROBOTS_PATH = "/robots.txt"


def describe(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text of at most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


@dataclass(frozen=True)
class FeedEntry:
    """A brief as a feed shows it: the whole record and its body."""

    brief: Brief
    body: RenderedBody
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, what renders it, and with what.

    `key` stands for everything in the context: records by their digest, cards and
    timeline items by value. Equal keys render equal pages.
    """

    path: str
    template: str
    title: str
    description: str
    kind: str = "website"
    published: PartialDate | None = None
    indexed: bool = True
    updated: PartialDate | None = None
    image: str = SHARE_IMAGE
    context: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    key: tuple = field(default=(), init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", describe(self.description))
        key = tuple((name, getattr(value, "digest", value)) for name, value in self.context.items())
        object.__setattr__(self, "key", (self.title, self.description, self.image, key))

    @property
    def output(self) -> str:
        """The file under `output/` this page is written to."""
        return output_file(self.path)


@dataclass
class PlanMemo:
    """The last plan and what it was made from."""

    relations: Relations | None = None
    config: SiteConfig | None = None
    views: Views | None = None
    pages: list[Page] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


def plan_pages(site: Site, memo: PlanMemo | None = None) -> tuple[list[Page], list[ContentError]]:
    """All pages of the site; two pages wanting one path is an error.

    With a memo of a plan made from the same relations, settings and cards, only the pages
    that hold a whole brief or company are made again, and only where that record changed.
    """
    views = Views(site)
    memo = memo or PlanMemo()
    if (memo.relations is not site.relations or memo.config != site.config
            or memo.views is None or not memo.views.same_cards(views)):
        memo.pages, memo.errors = _plan(site, views)
    else:
        memo.pages = [_refreshed(page, site, views) for page in memo.pages]
    memo.relations, memo.config, memo.views = site.relations, site.config, views
    return memo.pages + list(_feeds(site, views)), memo.errors


def _refreshed(page: Page, site: Site, views: Views) -> Page:
    """The page again if the brief or company it holds is not the one it was made from."""
    if page.template == "brief.html":
        brief = site.brief[page.context["brief"].slug]
        if (brief, site.bodies[("brief", brief.slug)]) != (page.context["brief"], page.context["body"]):
            return _brief_page(site, views, brief)
    elif page.template == "company.html":
        company = site.company[page.context["company"].slug]
        if (company, site.bodies[("company", company.slug)]) != (page.context["company"],
                                                                 page.context["body"]):
            return _company_page(site, views, company)
    return page


def _plan(site: Site, views: Views) -> tuple[list[Page], list[ContentError]]:
    """Every page but the feeds, which hold whole bodies and are made on every build."""
    pages = [_home(site, views), *_brief_pages(site, views), _companies_index(site, views),
             *_company_pages(site, views), _timeline_page(site, views), _tags_index(site),
             *_tag_pages(site, views), _not_found(site, views)]
    fixed = [FEED_PATH, *(company_feed_path(c.slug) for c in site.companies), SITEMAP_PATH,
             ROBOTS_PATH]
    taken = {output_file(path).casefold(): Page(path, "", "", "") for path in fixed}
    errors = _collisions(pages)
    redirects, alias_errors = _redirects(site, views, taken | {p.output.casefold(): p
                                                               for p in pages})
    pages += redirects
    return pages + [_sitemap(site, pages), _robots()], errors + alias_errors


def _home(site: Site, views: Views) -> Page:
    recent = [e for e in site.relations.timeline if not e.expected][:HOME_ENTRIES]
    forecasts = [e for e in reversed(site.relations.timeline) if e.expected][:HOME_FORECASTS]
    context = {"briefs": views.brief_cards(b.slug for b in site.briefs[:HOME_BRIEFS]),
               "companies": views.company_cards(c.slug for c in site.companies),
               "recent": views.items(recent), "forecasts": views.items(forecasts),
               "brief_count": len(site.briefs)}
    return Page("/", "home.html", site.config.title, site.config.description, context=context,
                updated=_newest(site.briefs))


def _brief_pages(site: Site, views: Views) -> Iterator[Page]:
    for brief in site.briefs:
        yield _brief_page(site, views, brief)


def _brief_page(site: Site, views: Views, brief: Brief) -> Page:
    previous, following = site.relations.neighbours[brief.slug]
    context = {
        "brief": brief,
        "body": site.bodies[("brief", brief.slug)],
        "takeaways": tuple(Markup(t) for t in site.takeaways[brief.slug]),
        "companies": views.company_cards(site.relations.brief_companies[brief.slug]),
        "tags": tuple(site.relations.tag[t] for t in site.relations.brief_tags[brief.slug]),
        "events": views.items(site.relations.brief_events[brief.slug]),
        "related": views.brief_cards(site.relations.related[brief.slug]),
        "previous": views.briefs[previous] if previous else None,
        "next": views.briefs[following] if following else None,
    }
    return Page(brief_path(brief.slug), "brief.html", brief.title,
                brief.summary or site.config.description, "article", brief.date, context=context)


def _companies_index(site: Site, views: Views) -> Page:
    rows = tuple((views.companies[c.slug], len(site.relations.company_briefs[c.slug]))
                 for c in site.companies)
    return Page("/companies/", "companies.html", "Companies",
                f"The {len(rows)} companies covered by {site.config.title}.",
                context={"rows": rows})


def _company_pages(site: Site, views: Views) -> Iterator[Page]:
    for company in site.companies:
        yield _company_page(site, views, company)


def _company_page(site: Site, views: Views, company: Company) -> Page:
    context = {
        "company": company,
        "body": site.bodies[("company", company.slug)],
        "briefs": views.brief_cards(site.relations.company_briefs[company.slug]),
        "timeline": group_timeline(views.items(site.relations.company_timeline[company.slug])),
        "feed": company_feed_path(company.slug),
    }
    return Page(company_path(company.slug), "company.html", company.name,
                company.summary or site.config.description, context=context,
                updated=_newest(context["briefs"]))


def _timeline_page(site: Site, views: Views) -> Page:
    items = views.items(site.relations.timeline)
    context = {"timeline": group_timeline(items), "count": len(items),
               "forecast_count": sum(1 for i in items if i.entry.expected)}
    return Page(timeline_path(), "timeline.html", site.config.timeline_title,
                f"Every dated event and brief of {site.config.title}, newest first.",
                context=context, updated=_newest(site.briefs))


def _tags_index(site: Site) -> Page:
    rows = tuple(sorted(((t, len(site.relations.tag_briefs[t.slug])) for t in site.relations.tags),
                        key=lambda row: (-row[1], row[0].name)))
    return Page("/tags/", "tags.html", "Tags", f"Topics covered by {site.config.title}.",
                context={"rows": rows})


def _tag_pages(site: Site, views: Views) -> Iterator[Page]:
    for tag in site.relations.tags:
        briefs = views.brief_cards(site.relations.tag_briefs[tag.slug])
        yield Page(tag_path(tag.slug), "tag.html", f"Tag: {tag.name}",
                   f"Briefs tagged {tag.name} on {site.config.title}.",
                   context={"tag": tag, "briefs": briefs}, updated=_newest(briefs))


def _not_found(site: Site, views: Views) -> Page:
    briefs = views.brief_cards(b.slug for b in site.briefs[:5])
    return Page("/404.html", "404.html", "Page not found", site.config.description,
                indexed=False, context={"briefs": briefs})


def _newest(briefs: tuple[Brief, ...] | tuple[BriefCard, ...]) -> PartialDate | None:
    """The date of the newest of some briefs (they come newest first)."""
    return briefs[0].date if briefs else None


def _feeds(site: Site, views: Views) -> Iterator[Page]:
    """The site's Atom feed and one per company, newest briefs first."""
    yield _feed(site, FEED_PATH, "/", site.config.title, site.config.description,
                site.briefs[:FEED_ENTRIES])
    for company in site.companies:
        slugs = site.relations.company_briefs[company.slug][:COMPANY_FEED_ENTRIES]
        yield _feed(site, company_feed_path(company.slug), company_path(company.slug),
                    f"{company.name} · {site.config.title}",
                    company.summary or site.config.description, [site.brief[s] for s in slugs])


def _feed(site: Site, path: str, alternate: str, title: str, description: str,
          briefs: Iterable[Brief]) -> Page:
    entries = tuple(FeedEntry(b, site.bodies[("brief", b.slug)],
                              tuple(site.relations.tag[t] for t in site.relations.brief_tags[b.slug]))
                    for b in briefs)
    updated = max((e.brief.date for e in entries), default=None)
    return Page(path, "feed.xml", title, description, indexed=False, updated=updated,
                context={"alternate": alternate, "entries": entries, "updated": updated})


def _sitemap(site: Site, pages: list[Page]) -> Page:
    urls = tuple((p.path, p.published or p.updated) for p in pages
                 if p.indexed and p.template.endswith(".html"))
    return Page(SITEMAP_PATH, "sitemap.xml", "Sitemap", "", indexed=False,
                context={"urls": urls})


def _robots() -> Page:
    return Page(ROBOTS_PATH, "robots.txt", "robots.txt", "", indexed=False,
                context={"sitemap": SITEMAP_PATH})


def _redirects(site: Site, views: Views,
               taken: dict[str, Page]) -> tuple[list[Page], list[ContentError]]:
    """A redirect page at each old path of a brief; an old path already taken is an error."""
    pages, errors = [], []
    for brief in site.briefs:
        for alias in brief.aliases:
            page = Page(alias.target, "redirect.html", brief.title, brief.summary, indexed=False,
                        context={"target": views.briefs[brief.slug]})
            owner = taken.setdefault(page.output.casefold(), page)
            if owner is not page:
                errors.append(ContentError(
                    brief.path, alias.line, alias.column,
                    f"alias `{alias.target}` collides with the page {owner.path}",
                    "choose an old path that no other page uses"))
            else:
                pages.append(page)
    return pages, errors


def _collisions(pages: list[Page]) -> list[ContentError]:
    """Pages that would write one file (compared without case, as on macOS and Windows)."""
    owners: dict[str, Page] = {}
    errors = []
    for page in pages:
        first = owners.setdefault(page.output.casefold(), page)
        if first is not page:
            errors.append(ContentError("content", 1, 1, f"two pages would be written to "
                                       f"{page.output}: {first.path} and {page.path}"))
    return errors
