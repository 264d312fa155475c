"""Plan stage: every output page of a Site, with its URL, template and ready context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from markupsafe import Markup

from site_builder.engine.texts import BodyHtml
from site_builder.cards import CardText
from site_builder.counts import counted
from site_builder.model.dates import PartialDate
from site_builder.engine.digest import digest
from site_builder.errors import ContentError
from site_builder.link import Entry, Site, Tag
from site_builder.model.records import Brief, Company, Standalone
from site_builder.urls import (brief_path, card_path, company_feed_path, company_path,
                               event_path, output_file, page_path, tag_path, timeline_path)
from site_builder.plan.chart import timeline_chart
from site_builder.plan.views import BriefCard, Views, group_timeline, timeline_filters

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
SEARCH_PATH = "/search/"


def describe(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text of at most `limit` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


class FeedEntry(NamedTuple):
    """A brief as a feed shows it: the whole record and its body."""

    brief: Brief
    body: BodyHtml
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, what renders it, and with what.

    `key` stands for everything in the context: whole records and bodies by their digest,
    cards and timeline items by theirs. Equal keys render equal pages. The many pages of
    one brief, company or event, and the timeline, are planned with `later`, which makes
    their context when they are rendered (`filled`), so that this work is shared by the
    rendering processes.
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
    slug: str = ""
    held: tuple[str, ...] | None = None
    card: CardText | None = None
    later: Callable[[], dict[str, Any]] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", describe(self.description))
        if self.card is not None:
            object.__setattr__(self, "image", card_path(*self._card_place()))

    def _card_place(self) -> tuple[str, str]:
        """The folder and name of this page's card: `briefs`, `x`."""
        folder, name = self.path.strip("/").split("/", 1)
        return folder, name.strip("/")

    def filled(self) -> Page:
        """The page with its context made, where the plan left that to whoever renders it: a
        copy, so that the planned page stays light and the context goes with the copy."""
        if self.later is None:
            return self
        page = object.__new__(Page)
        page.__dict__.update(self.__dict__, context=self.later(), later=None)
        return page

    @property
    def card_output(self) -> str:
        """The file of the page's card, or ""."""
        return output_file(self.image) if self.card is not None else ""

    @property
    def key(self) -> str:
        """The digest of everything the page shows."""
        context = self.filled().context
        return digest(self.title, self.description, self.image, self.published, self.updated,
                      self.card, [(name, key_of(value)) for name, value in context.items()])

    @property
    def holds(self) -> tuple[str, ...]:
        """Digests of the whole records and bodies in the context (not cards)."""
        if self.held is not None:
            return self.held
        return tuple(getattr(v, "digest") for v in self.filled().context.values()
                     if isinstance(v, (Brief, Company, Standalone, BodyHtml)))

    @property
    def output(self) -> str:
        """The file under `output/` this page is written to."""
        return output_file(self.path)


def key_of(value: Any) -> Any:
    """What stands for a context value in a page key: a digest where it has one."""
    found = getattr(value, "digest", None)
    if isinstance(found, str):
        return found
    if isinstance(value, tuple):
        return tuple(key_of(item) for item in value)
    return value


class PageEntry(NamedTuple):
    """A page as the last build made it: enough to keep it without planning it again."""

    template: str
    output: str
    key: str
    holds: tuple[str, ...]
    slug: str
    card: str = ""

    @property
    def outputs(self) -> tuple[str, ...]:
        """The files the page writes: its HTML and, if it has one, its card."""
        return (self.output, self.card) if self.card else (self.output,)


@dataclass
class PlanMemo:
    """The pages of the last build and what they were planned from."""

    basis: tuple = ()
    settings: str = ""
    table: dict[str, PageEntry] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    def remember(self, plan: Plan, entries: dict[str, PageEntry]) -> None:
        """Record the pages of a plan, now that they are in place."""
        self.table = dict(plan.kept) | entries
        self.basis, self.settings, self.errors = plan.basis, plan.basis[-1], plan.errors


def page_entry(page: Page) -> PageEntry:
    """What the memo keeps of a page."""
    page = page.filled()
    slug = page.slug or next((v.slug for v in page.context.values()
                              if isinstance(v, (Brief, Company, Standalone))), "")
    return PageEntry(page.template, page.output, page.key, page.holds, slug, page.card_output)


@dataclass
class Plan:
    """The pages to render (or to check against their last key) and the pages to keep."""

    pages: list[Page]
    kept: list[tuple[str, PageEntry]]
    errors: list[ContentError]
    basis: tuple


def plan_pages(site: Site, memo: PlanMemo | None = None, settings: str = "") -> Plan:
    """All pages of the site; two pages wanting one path is an error.

    With a memo of a plan made from the same relations, settings and cards, only the pages
    that hold a whole brief or company are made again where that record or its body
    changed, plus the feeds; every other page is kept as it is.
    """
    views = Views(site)
    basis = (site.relations.digest, views.digest, settings)
    if memo is None or memo.basis != basis or not memo.table:
        pages, errors = _plan(site, views)
        return Plan(pages + list(_feeds(site)), [], errors, basis)
    pages, kept = [], []
    for path, entry in memo.table.items():
        page = _remade(entry, site, views)
        if page is None:
            kept.append((path, entry))
        elif page.path != path:
            return plan_pages(site, None, settings)
        else:
            pages.append(page)
    return Plan(pages, kept, memo.errors, basis)


def _remade(entry: PageEntry, site: Site, views: Views) -> Page | None:
    """A record page again, if the record or body it holds changed; otherwise None."""
    if entry.template == "brief.html":
        brief = site.brief[entry.slug]
        if (brief.digest, site.bodies[("brief", brief.slug)].digest) != entry.holds:
            return _brief_page(site, views, brief)
    elif entry.template == "company.html":
        company = site.company[entry.slug]
        if (company.digest, site.bodies[("company", company.slug)].digest) != entry.holds:
            return _company_page(site, views, company)
    elif entry.template == "page.html":
        record = next((p for p in site.pages if p.slug == entry.slug), None)
        if record is None or (record.digest, site.bodies[("page", record.slug)].digest) \
                != entry.holds:
            return _standalone_page(site, record) if record else None
    elif entry.template == "feed.xml":
        if _feed_holds(site, _feed_briefs(site, entry.slug)) != entry.holds:
            return _feed(site, entry.slug)
    return None


def _plan(site: Site, views: Views) -> tuple[list[Page], list[ContentError]]:
    """Every page but the feeds, which hold whole bodies and are made on every build."""
    pages = [_home(site, views), *_brief_pages(site, views), _companies_index(site, views),
             *_company_pages(site, views), _timeline_page(site, views),
             *_event_pages(site, views), _tags_index(site), *_tag_pages(site, views),
             *(_standalone_page(site, record) for record in site.pages), _not_found(site, views)] + ([_search_page(site)] if site.config.search else [])
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
    companies = views.company_cards(site.relations.brief_companies[brief.slug][:4])
    return Page(brief_path(brief.slug), "brief.html", brief.title,
                brief.summary or site.config.description, "article", brief.date,
                card=_card(site, "Brief", brief.title, brief.date.display,
                           ", ".join(c.name for c in companies)),
                later=partial(_brief_context, site, views, brief))


def _brief_context(site: Site, views: Views, brief: Brief) -> dict[str, Any]:
    previous, following = site.relations.neighbours[brief.slug]
    return {
        "brief": brief,
        "body": site.body_html(("brief", brief.slug)),
        "takeaways": tuple(Markup(t) for t in site.takeaways[brief.slug]),
        "companies": views.company_cards(site.relations.brief_companies[brief.slug]),
        "tags": tuple(site.relations.tag[t] for t in site.relations.brief_tags[brief.slug]),
        "events": views.items(site.relations.brief_events[brief.slug]),
        "related": views.brief_cards(site.relations.related[brief.slug]),
        "previous": views.briefs[previous] if previous else None,
        "next": views.briefs[following] if following else None,
    }


def _companies_index(site: Site, views: Views) -> Page:
    rows = tuple((views.companies[c.slug], len(site.relations.company_briefs[c.slug]))
                 for c in site.companies)
    return Page("/companies/", "companies.html", "Companies",
                f"The {counted(len(rows), 'company')} covered by {site.config.title}.",
                context={"rows": rows})


def _company_pages(site: Site, views: Views) -> Iterator[Page]:
    for company in site.companies:
        yield _company_page(site, views, company)


def _company_page(site: Site, views: Views, company: Company) -> Page:
    briefs = site.relations.company_briefs[company.slug]
    facts = [company.country, company.hq] + ([company.listing.exchange] if company.listing else [])
    return Page(company_path(company.slug), "company.html", company.name,
                company.summary or site.config.description,
                updated=views.briefs[briefs[0]].date if briefs else None,
                card=_card(site, "Company", company.name, " · ".join(f for f in facts if f)),
                later=partial(_company_context, site, views, company))


def _company_context(site: Site, views: Views, company: Company) -> dict[str, Any]:
    timeline = site.relations.company_timeline[company.slug]
    return {
        "company": company,
        "body": site.body_html(("company", company.slug)),
        "briefs": views.brief_cards(site.relations.company_briefs[company.slug]),
        "timeline": group_timeline(views.items(timeline)),
        "chart": timeline_chart(timeline),
        "feed": company_feed_path(company.slug),
    }


def _timeline_page(site: Site, views: Views) -> Page:
    return Page(timeline_path(), "timeline.html", site.config.timeline_title,
                f"Every dated event and brief of {site.config.title}, newest first.",
                updated=_newest(site.briefs), later=partial(_timeline_context, site, views))


def _timeline_context(site: Site, views: Views) -> dict[str, Any]:
    items = views.items(site.relations.timeline)
    return {"timeline": group_timeline(items), "count": len(items),
            "forecast_count": sum(1 for i in items if i.entry.expected),
            "chart": timeline_chart(site.relations.timeline),
            "filters": timeline_filters(items, site.relations.tag)}


def _event_pages(site: Site, views: Views) -> Iterator[Page]:
    for entry in site.relations.timeline:
        if entry.kind != "event":
            continue
        brief = views.briefs[entry.brief]
        kind = "Forecast" if entry.expected else "Event"
        names = ", ".join(c.name for c in views.company_cards(entry.companies[:4]))
        yield Page(event_path(entry.id), "event.html", entry.title,
                   f"{kind}, {entry.date.display}: {entry.title}. From the brief "
                   f"“{brief.title}”.", updated=brief.date,
                   card=_card(site, kind, entry.title, entry.date.display, names),
                   later=partial(_event_context, site, views, entry))


def _event_context(site: Site, views: Views, entry: Entry) -> dict[str, Any]:
    return {"item": views.item(entry), "tags": tuple(site.relations.tag[t] for t in entry.tags)}


def _card(site: Site, kind: str, title: str, *meta: str) -> CardText | None:
    """The link-preview card of a page, when the site draws cards."""
    if not site.config.cards:
        return None
    return CardText(kind, _printable(title), _printable(" · ".join(m for m in meta if m)),
                    _printable(site.config.title))


def _printable(text: str) -> str:
    """Text with control characters made spaces (a card cannot draw them)."""
    return "".join(char if char.isprintable() else " " for char in text)


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


def _standalone_page(site: Site, record: Standalone) -> Page:
    return Page(page_path(record.slug), "page.html", record.title,
                record.summary or site.config.description,
                context={"standalone": record, "body": site.body_html(("page", record.slug))})


def _search_page(site: Site) -> Page:
    return Page(SEARCH_PATH, "search.html", "Search",
                f"Search the briefs, companies and timeline of {site.config.title}.",
                indexed=False)


def _not_found(site: Site, views: Views) -> Page:
    briefs = views.brief_cards(b.slug for b in site.briefs[:5])
    return Page("/404.html", "404.html", "Page not found", site.config.description,
                indexed=False, context={"briefs": briefs})


def _newest(briefs: tuple[Brief, ...] | tuple[BriefCard, ...]) -> PartialDate | None:
    """The date of the newest of some briefs (they come newest first)."""
    return briefs[0].date if briefs else None


def _feeds(site: Site) -> Iterator[Page]:
    """The site's Atom feed and one per company, newest briefs first."""
    yield _feed(site, "")
    for company in site.companies:
        yield _feed(site, company.slug)


def _feed_briefs(site: Site, company: str) -> list[Brief]:
    """The briefs of the site's feed (`company` empty) or of a company's feed."""
    if not company:
        return list(site.briefs[:FEED_ENTRIES])
    return [site.brief[s] for s in site.relations.company_briefs[company][:COMPANY_FEED_ENTRIES]]


def _feed_holds(site: Site, briefs: list[Brief]) -> tuple[str, ...]:
    return tuple(d for b in briefs for d in (b.digest, site.bodies[("brief", b.slug)].digest))


def _feed(site: Site, company: str) -> Page:
    briefs = _feed_briefs(site, company)
    entries = tuple(FeedEntry(b, site.body_html(("brief", b.slug)),
                              tuple(site.relations.tag[t] for t in site.relations.brief_tags[b.slug]))
                    for b in briefs)
    updated = max((e.brief.date for e in entries), default=None)
    context = {"alternate": company_path(company) if company else "/", "entries": entries,
               "updated": updated}
    if company:
        record = site.company[company]
        return Page(company_feed_path(company), "feed.xml", f"{record.name} · {site.config.title}",
                    record.summary or site.config.description, indexed=False, updated=updated,
                    context=context, slug=company, held=_feed_holds(site, briefs))
    return Page(FEED_PATH, "feed.xml", site.config.title, site.config.description, indexed=False,
                updated=updated, context=context, held=_feed_holds(site, briefs))


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
    moved = [(b, views.briefs[b.slug]) for b in site.briefs] + \
        [(p, page_path(p.slug)) for p in site.pages]
    for record, target in moved:
        for alias in record.aliases:
            page = Page(alias.target, "redirect.html", record.title, record.summary,
                        indexed=False, context={"target": target})
            owner = taken.setdefault(page.output.casefold(), page)
            if owner is not page:
                errors.append(ContentError(
                    record.path, alias.line, alias.column,
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
