"""Plan stage: every page of the site, made from its outline: where it goes, what renders it,
and the view its context is made from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from site_builder.cards import CardText
from site_builder.counts import counted
from site_builder.errors import ContentError
from site_builder.model.dates import PartialDate
from site_builder.model.settings import SiteConfig
from site_builder.model.site import Entry
from site_builder.plan.outline import BriefCard, Outline
from site_builder.plan.pagination import Pager, page_of, pagers
from site_builder.plan.views import LINES_FACTOR, TIMELINE_FACTOR, events_by_tag
from site_builder.urls import (archive_path, card_path, company_briefs_path, company_feed_path,
                               company_timeline_path, corrections_path, event_path, output_file,
                               sitemap_path, tag_path, tag_timeline_path, timeline_path,
                               timeline_year_path)

HOME_BRIEFS = 10
FEED_ENTRIES = 50
COMPANY_FEED_ENTRIES = 20
DESCRIPTION_LIMIT = 200
SHARE_IMAGE = "/static/share.png"  # drawn by the build, unless the project has its own
FEED_PATH = "/feed.xml"
SITEMAP_PATH = "/sitemap.xml"
SITEMAP_URLS = 50_000  # the most a sitemap may list (sitemaps.org); past it, an index
ROBOTS_PATH = "/robots.txt"
SEARCH_PATH = "/search/"


class PageSpec(NamedTuple):
    """One page of the site: where it goes, its template, what its head says, and its view:
    what its context is made from (`("brief", slug)`, `("timeline",)`, ...)."""

    path: str
    template: str
    title: str
    description: str
    view: tuple
    kind: str = "website"
    published: PartialDate | None = None
    updated: PartialDate | None = None
    indexed: bool = True
    card: CardText | None = None
    pager: Pager | None = None
    shared_card: tuple[str, str] | None = None  # the page and title of another's card it shows

    @property
    def site_path(self) -> str:
        return self.path

    @property
    def output(self) -> str:
        """The file under `output/` the page is written to."""
        return output_file(self.path)

    @property
    def image(self) -> str:
        """The site path of the page's link-preview image: its own card, another page's, or
        the site's."""
        path = self.path if self.card is not None else \
            self.shared_card[0] if self.shared_card is not None else ""
        if not path:
            return SHARE_IMAGE
        folder, name = path.strip("/").split("/", 1)
        return card_path(folder, name.strip("/"))

    @property
    def image_alt(self) -> str:
        """What the link-preview image shows, in words."""
        return self.shared_card[1] if self.shared_card is not None else self.title

    @property
    def card_output(self) -> str:
        """The file of the page's card, or ""."""
        return output_file(self.image) if self.card is not None else ""


class Plan(NamedTuple):
    """Every page of a site, and the pages that cannot be made (two on one path)."""

    pages: tuple[PageSpec, ...]
    errors: tuple[ContentError, ...]


def describe(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text of at most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def plan_pages(outline: Outline, sitemap_urls: int = SITEMAP_URLS) -> Plan:
    """All pages of a site; two pages wanting one path is an error. A sitemap lists at most
    `sitemap_urls` addresses; a site with more gets a sitemap index and numbered sitemaps."""
    config = outline.config
    pages = [_home(outline), *_archive_pages(outline), *_brief_pages(outline),
             _companies_index(outline),
             *_company_pages(outline), *_timeline_pages(outline), *_event_pages(outline),
             _tags_index(outline), *_tag_pages(outline), *_standalone_pages(outline),
             *_correction_pages(outline),
             _page("/404.html", "404.html", "Page not found", config.description, ("404",),
                   indexed=False)]
    if config.search:
        pages.append(_page(SEARCH_PATH, "search.html", "Search", "Search the briefs, companies "
                           f"and timeline of {config.title}.", ("search",), indexed=False))
    feeds = list(_feeds(outline))
    errors = _collisions(pages + feeds)
    redirects, alias_errors = _redirects(outline, {p.output.casefold(): p for p in pages + feeds})
    pages += redirects
    sitemap = tuple((p.path, p.updated or p.published) for p in pages
                    if p.indexed and p.template.endswith(".html"))
    pages += feeds + list(_sitemaps(sitemap, sitemap_urls)) + [
        _page(ROBOTS_PATH, "robots.txt", "robots.txt", "", ("robots",), indexed=False)]
    return Plan(tuple(pages), tuple(errors + alias_errors))


def _page(path: str, template: str, title: str, description: str, view: tuple,
          **more: object) -> PageSpec:
    return PageSpec(path, template, title, describe(description), view, **more)  # type: ignore[arg-type]


def _home(outline: Outline) -> PageSpec:
    config = outline.config
    return _page("/", "home.html", config.title, config.description, ("home",),
                 updated=_newest(outline, outline.relations.order))


def _archive_pages(outline: Outline) -> Iterator[PageSpec]:
    """The archive of every brief, newest first, `per_page` a page."""
    config, order = outline.config, outline.relations.order
    for pager in pagers(archive_path(), len(order), config.per_page):
        shown = page_of(order, pager.number, config.per_page)
        which = f", page {pager.number} of {pager.count}" if pager.count > 1 else ""
        span = f" from {outline.briefs[shown[-1]].date.display} to " \
            f"{outline.briefs[shown[0]].date.display}" if shown else ""
        yield _page(pager.path, "archive.html", f"Briefs{which}",
                    f"Every brief of {config.title}, newest first{which}:{span}." if shown
                    else f"Every brief of {config.title}.", ("archive", pager.number),
                    updated=_newest(outline, shown), pager=pager)


def _brief_pages(outline: Outline) -> Iterator[PageSpec]:
    relations, config = outline.relations, outline.config
    for slug in relations.order:
        brief = outline.briefs[slug]
        names = ", ".join(outline.companies[c].name for c in relations.brief_companies[slug][:4])
        yield _page(brief.site_path, "brief.html", brief.title,
                    brief.summary or config.description, ("brief", slug), kind="article",
                    published=brief.date, updated=brief.modified,
                    card=_card(outline, "Brief", brief.title, brief.date.display, names))


def _companies_index(outline: Outline) -> PageSpec:
    count = counted(len(outline.companies), "company")
    return _page("/companies/", "companies.html", "Companies",
                 f"The {count} covered by {outline.config.title}.", ("companies",))


def _company_pages(outline: Outline) -> Iterator[PageSpec]:
    """A page per company, and when its briefs or events outgrow it, the full lists."""
    config, relations = outline.config, outline.relations
    for slug in relations.company_order:
        company, briefs = outline.companies[slug], relations.company_briefs[slug]
        facts = " · ".join(f for f in (company.country, company.hq, company.exchange) if f)
        yield _page(company.site_path, "company.html", company.name,
                    company.summary or config.description, ("company", slug),
                    updated=_newest(outline, briefs),
                    card=_card(outline, "Company", company.name, facts))
        lists = ((company_briefs_path(slug), len(briefs), "company_briefs",
                  f"Briefs naming {company.name}"),
                 (company_timeline_path(slug), len(relations.company_timeline[slug]),
                  "company_timeline", f"{config.timeline_title}: {company.name}"))
        for first, total, view, title in lists:
            if total <= config.per_page:
                continue
            for pager in pagers(first, total, config.per_page):
                which = f", page {pager.number} of {pager.count}"
                yield _page(pager.path, f"{view}.html", f"{title}{which}",
                            f"{title} on {config.title}, newest first{which}.",
                            (view, slug, pager.number), updated=_newest(outline, briefs),
                            pager=pager)


def _timeline_pages(outline: Outline) -> Iterator[PageSpec]:
    """The timeline's front page (the overview and the newest events), and each year's
    timeline, paginated."""
    config, timeline = outline.config, outline.relations.timeline
    newest = _newest(outline, outline.relations.order)
    yield _page(timeline_path(), "timeline.html", config.timeline_title,
                f"Every dated event of {config.title}, newest first.", ("timeline",),
                updated=newest)
    years: dict[int, int] = {}
    for entry in timeline:
        years[entry.date.year] = years.get(entry.date.year, 0) + 1
    for year, count in years.items():
        for pager in pagers(timeline_year_path(year), count, TIMELINE_FACTOR * config.per_page):
            which = f", page {pager.number} of {pager.count}" if pager.count > 1 else ""
            yield _page(pager.path, "timeline_year.html",
                        f"{config.timeline_title}: {year}{which}",
                        f"Events of {year} on {config.title}, newest first{which}.",
                        ("timeline_year", year, pager.number), updated=newest, pager=pager)


def _event_pages(outline: Outline) -> Iterator[PageSpec]:
    for entry in outline.relations.timeline:
        yield _event_page(outline, entry)


def _event_page(outline: Outline, entry: Entry) -> PageSpec:
    """An event's own page; its link preview shows the card of its brief (events outnumber
    briefs, and their cards were most of a large site's bytes)."""
    brief = outline.briefs[entry.brief]
    kind = "Forecast" if entry.expected else "Event"
    shared = (brief.site_path, brief.title) if outline.config.cards else None
    return _page(event_path(entry.id), "event.html", entry.title,
                 f"{kind}, {entry.date.display}: {entry.title}. From the brief “{brief.title}”.",
                 ("event", entry.id), updated=brief.date, shared_card=shared)


def _tags_index(outline: Outline) -> PageSpec:
    return _page("/tags/", "tags.html", "Tags", f"Topics covered by {outline.config.title}.",
                 ("tags",))


def _tag_pages(outline: Outline) -> Iterator[PageSpec]:
    """A tag's briefs, paginated, and the timeline of their events."""
    per_page = outline.config.per_page
    events = {slug: len(found) for slug, found in events_by_tag(outline.relations.timeline).items()}
    for tag in outline.relations.tags:
        for pager in pagers(tag_timeline_path(tag.slug), events.get(tag.slug, 0),
                            LINES_FACTOR * per_page) if tag.slug in events else ():
            which = f", page {pager.number} of {pager.count}" if pager.count > 1 else ""
            yield _page(pager.path, "tag_timeline.html",
                        f"{outline.config.timeline_title}: #{tag.name}{which}",
                        f"Events of briefs tagged {tag.name} on {outline.config.title}, "
                        f"newest first{which}.", ("tag_timeline", tag.slug, pager.number),
                        pager=pager)
        briefs = outline.relations.tag_briefs[tag.slug]
        for pager in pagers(tag_path(tag.slug), len(briefs), per_page):
            which = f", page {pager.number} of {pager.count}" if pager.count > 1 else ""
            yield _page(pager.path, "tag.html", f"Tag: {tag.name}{which}",
                        f"Briefs tagged {tag.name} on {outline.config.title}{which}.",
                        ("tag", tag.slug, pager.number),
                        updated=_newest(outline, page_of(briefs, pager.number, per_page)),
                        pager=pager)


def _standalone_pages(outline: Outline) -> Iterator[PageSpec]:
    for page in outline.pages.values():
        yield _page(page.site_path, "page.html", page.title,
                    page.summary or outline.config.description, ("page", page.slug))


def _correction_pages(outline: Outline) -> Iterator[PageSpec]:
    """Every correction and update of the briefs, newest first, `per_page` a page; no page
    when no brief has been updated."""
    config, corrections = outline.config, outline.relations.corrections
    if not corrections:
        return
    for pager in pagers(corrections_path(), len(corrections), config.per_page):
        shown = page_of(corrections, pager.number, config.per_page)
        which = f", page {pager.number} of {pager.count}" if pager.count > 1 else ""
        yield _page(pager.path, "corrections.html", f"Corrections and updates{which}",
                    f"Every correction and update of the briefs of {config.title} after their "
                    f"publication, newest first{which}.", ("corrections", pager.number),
                    updated=shown[0].date, pager=pager)


def _sitemaps(urls: tuple[tuple[str, PartialDate | None], ...],
              limit: int) -> Iterator[PageSpec]:
    """`/sitemap.xml` listing every address, or, past `limit`, indexing numbered sitemaps that
    list `limit` each."""
    if len(urls) <= limit:
        yield _page(SITEMAP_PATH, "sitemap.xml", "Sitemap", "", ("sitemap", urls), indexed=False)
        return
    parts = [urls[start:start + limit] for start in range(0, len(urls), limit)]
    paths = [sitemap_path(number) for number in range(1, len(parts) + 1)]
    newest = [max((date for _, date in part if date), default=None) for part in parts]
    yield _page(SITEMAP_PATH, "sitemap_index.xml", "Sitemap index", "",
                ("sitemap_index", tuple(zip(paths, newest))), indexed=False)
    for path, part in zip(paths, parts):
        yield _page(path, "sitemap.xml", "Sitemap", "", ("sitemap", part), indexed=False)


def _feeds(outline: Outline) -> Iterator[PageSpec]:
    """The site's Atom feed and one per company, newest briefs first."""
    config, relations = outline.config, outline.relations
    briefs = relations.order[:FEED_ENTRIES]
    yield _page(FEED_PATH, "feed.xml", config.title, config.description, ("feed", "", briefs),
                indexed=False, updated=_latest(outline, briefs))
    for slug in relations.company_order:
        company = outline.companies[slug]
        briefs = relations.company_briefs[slug][:COMPANY_FEED_ENTRIES]
        yield _page(company_feed_path(slug), "feed.xml", f"{company.name} · {config.title}",
                    company.summary or config.description, ("feed", slug, briefs),
                    indexed=False, updated=_latest(outline, briefs))


def _card(outline: Outline, kind: str, title: str, *meta: str) -> CardText | None:
    """The link-preview card of a page, when the site draws cards."""
    if not outline.config.cards:
        return None
    return CardText(kind, _printable(title), _printable(" · ".join(m for m in meta if m)),
                    _printable(outline.config.title))


def share_card(config: SiteConfig) -> CardText:
    """What the site's own link-preview image says: its title and description, and where it
    is published."""
    address = config.base_url.split("://", 1)[-1].rstrip("/")
    return CardText("", _printable(config.title), _printable(config.description),
                    _printable(address))


def _printable(text: str) -> str:
    """Text with control characters made spaces (a card cannot draw them)."""
    return "".join(char if char.isprintable() else " " for char in text)


def _newest(outline: Outline, slugs: tuple[str, ...]) -> PartialDate | None:
    """The date of the newest of some briefs, given newest first."""
    return outline.briefs[slugs[0]].date if slugs else None


def _latest(outline: Outline, slugs: tuple[str, ...]) -> PartialDate | None:
    """The latest date any of some briefs was published or updated."""
    return max((outline.briefs[slug].modified for slug in slugs), default=None)


def _redirects(outline: Outline,
               taken: dict[str, PageSpec]) -> tuple[list[PageSpec], list[ContentError]]:
    """A redirect page at each old path of a brief or page; an old path taken is an error."""
    pages, errors = [], []
    moved: list[BriefCard] = [outline.briefs[s] for s in outline.relations.order]
    for record in [*moved, *outline.pages.values()]:
        for alias in record.aliases:
            page = _page(alias.target, "redirect.html", record.title, record.summary,
                         ("redirect", record.site_path), indexed=False)
            owner = taken.setdefault(page.output.casefold(), page)
            if owner is not page:
                errors.append(ContentError(
                    record.source, alias.line, alias.column,
                    f"alias `{alias.target}` collides with the page {owner.path}",
                    "choose an old path that no other page uses"))
            else:
                pages.append(page)
    return pages, errors


def _collisions(pages: list[PageSpec]) -> list[ContentError]:
    """Pages that would write one file (compared without case, as on macOS and Windows)."""
    owners: dict[str, PageSpec] = {}
    errors = []
    for page in pages:
        first = owners.setdefault(page.output.casefold(), page)
        if first is not page:
            errors.append(ContentError("content", 1, 1, f"two pages would be written to "
                                       f"{page.output}: {first.path} and {page.path}"))
    return errors
