"""Structured data: schema.org descriptions of pages for JSON-LD, and their serialization, safe
inside a `<script>` element."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from site_builder.model.records import Brief, Company, Source
from site_builder.model.settings import SiteConfig
from site_builder.model.site import Tag
from site_builder.plan.outline import CompanyCard

SCHEMA = "https://schema.org"
SEARCH_TERM = "search_term_string"
# `<`, `>` and `&` as JSON escapes: no text can close the script or open a comment in it; the
# line and paragraph separators, for parsers that read JSON as JavaScript
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                0x2028: "\\u2028", 0x2029: "\\u2029"}
Data = dict[str, Any]


def json_ld(data: Data) -> Markup:
    """JSON for a `<script type="application/ld+json">`, with nothing that could end it."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                  .translate(_SCRIPT_SAFE))


def _present(**properties: Any) -> Data:
    """The properties that have a value (an empty text or list is none)."""
    return {name: value for name, value in properties.items() if value not in (None, "", [], ())}


class LinkedData:
    """The schema.org description of each kind of page, with absolute URLs (`absolute` makes
    one of a site path or of anything with a page)."""

    def __init__(self, config: SiteConfig, absolute: Callable[[Any], str]) -> None:
        self.config = config
        self.absolute = absolute

    def _site(self, name: str) -> Data:
        return {"@type": "Organization", "name": name, "url": self.absolute("/")}

    def article(self, page: Any, brief: Brief, companies: Iterable[CompanyCard],
                tags: Iterable[Tag]) -> Data:
        """A brief as a `NewsArticle`: its dates, sources as citations, companies as topics."""
        return _present(**{"@context": SCHEMA, "@type": "NewsArticle"},
                        headline=brief.title, description=page.description,
                        url=self.absolute(page), image=[self.absolute(page.image)],
                        datePublished=brief.date.iso, dateModified=brief.modified.iso,
                        inLanguage=self.config.language,
                        author=[self._site(self.config.author or self.config.title)],
                        publisher=self._site(self.config.title),
                        keywords=[tag.name for tag in tags],
                        about=[self._company(company) for company in companies],
                        citation=[_citation(source) for source in brief.sources])

    def _company(self, company: Company | CompanyCard) -> Data:
        return _present(**{"@type": "Organization"}, name=company.name,
                        url=self.absolute(company), sameAs=company.website)

    def organization(self, company: Company) -> Data:
        """A company's page as an `Organization`: its names, website, seat and summary."""
        address = _present(**{"@type": "PostalAddress"}, addressLocality=company.hq,
                           addressCountry=company.country)
        return _present(**{"@context": SCHEMA}, **self._company(company),
                        alternateName=list(company.aliases), description=company.summary,
                        address=address if len(address) > 1 else None)

    def website(self) -> Data:
        """The site as a `WebSite`, searchable at its search page when it has one."""
        search = {"@type": "SearchAction", "target": {
            "@type": "EntryPoint",
            "urlTemplate": f"{self.absolute('/search/')}?q={{{SEARCH_TERM}}}"},
            "query-input": f"required name={SEARCH_TERM}"}
        return _present(**{"@context": SCHEMA, "@type": "WebSite"}, name=self.config.title,
                        url=self.absolute("/"), description=self.config.description,
                        inLanguage=self.config.language, publisher=self._site(self.config.title),
                        potentialAction=search if self.config.search else None)

    def breadcrumbs(self, *trail: tuple[str, Any], here: str) -> Data:
        """A `BreadcrumbList` from the home page through `trail` (pairs of a name and a page)
        to the page itself, named `here`: its address is the page's own."""
        steps = [{"@type": "ListItem", "position": number, "name": name,
                  "item": self.absolute(target)}
                 for number, (name, target) in enumerate((("Home", "/"), *trail), 1)]
        steps.append({"@type": "ListItem", "position": len(steps) + 1, "name": here})
        return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": steps}


def _citation(source: Source) -> Data:
    publisher = {"@type": "Organization", "name": source.publisher} if source.publisher else None
    return _present(**{"@type": "CreativeWork"}, name=source.title, url=source.url,
                    publisher=publisher, datePublished=source.date.iso if source.date else None)
