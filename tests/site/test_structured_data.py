"""Structured data as a search engine reads it: JSON-LD extracted with extruct from the sample
site and from a small project, checked against schema.org's types and Google's guidance."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import extruct
import pytest

from tests.conftest import SITE_YAML, SUBPATH_URL
from tests.fixtures.sample import BRIEFS, COMPANIES
from tests.site.test_sharing import head_of

THING = {"@context", "@type", "@id", "name", "alternateName", "description", "url", "image",
         "sameAs", "identifier", "mainEntityOfPage", "potentialAction", "subjectOf"}
CREATIVE_WORK = THING | {"about", "author", "citation", "dateCreated", "dateModified",
                         "datePublished", "headline", "inLanguage", "keywords", "publisher",
                         "isAccessibleForFree", "thumbnailUrl", "copyrightHolder", "license"}
# The properties schema.org gives each type used here (its own and those it inherits).
ALLOWED = {
    "NewsArticle": CREATIVE_WORK | {"articleBody", "articleSection", "wordCount", "dateline",
                                    "printSection", "printPage", "speakable"},
    "CreativeWork": CREATIVE_WORK,
    "WebSite": CREATIVE_WORK | {"issn"},
    "Organization": THING | {"address", "logo", "email", "telephone", "founder",
                             "foundingDate", "legalName", "location", "tickerSymbol"},
    "PostalAddress": THING | {"addressCountry", "addressLocality", "addressRegion",
                              "postalCode", "streetAddress"},
    # `query-input` is schema.org's annotation of the input a SearchAction's target takes
    "SearchAction": THING | {"target", "query", "query-input", "actionStatus", "agent",
                             "object", "result"},
    "EntryPoint": THING | {"urlTemplate", "actionPlatform", "contentType", "httpMethod"},
    "BreadcrumbList": THING | {"itemListElement", "itemListOrder", "numberOfItems"},
    "ListItem": THING | {"item", "position", "nextItem", "previousItem"},
}
GOOGLE_ARTICLE = ("headline", "image", "datePublished", "dateModified", "author")
OUR_URLS = ("url", "item", "urlTemplate")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
HOSTILE = "</script><script>alert(1)</script>"


def structured(site: Path, page: str) -> list[dict]:
    """The JSON-LD items of a page, as extruct gives them to a consumer."""
    html = (site / page).read_text(encoding="utf-8")
    return extruct.extract(html, base_url=SUBPATH_URL + page, syntaxes=["json-ld"])["json-ld"]


def by_type(items: list[dict]) -> dict[str, dict]:
    return {item["@type"]: item for item in items}


def nodes(value: object) -> Iterator[dict]:
    """Every object in a JSON-LD value, nested ones included."""
    if isinstance(value, dict):
        yield value
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from nodes(item)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_uses_only_properties_schema_org_gives_its_types(sample_site):
    found: set[str] = set()
    for page in _pages(sample_site):
        for node in nodes(structured(sample_site, page)):
            assert node["@type"] in ALLOWED, (page, node)
            assert set(node) <= ALLOWED[node["@type"]], (page, set(node) - ALLOWED[node["@type"]])
            found.add(node["@type"])
    assert found == set(ALLOWED)


def test_every_url_is_absolute_and_ours_are_under_the_sub_path(sample_site):
    for page in _pages(sample_site):
        for node in nodes(structured(sample_site, page)):
            for name in OUR_URLS:
                if name in node:
                    assert node[name].startswith(SUBPATH_URL), (page, name, node[name])
            for image in node.get("image", []):
                assert image.startswith(SUBPATH_URL + "cards/"), (page, image)
            if node["@type"] in ("Organization", "CreativeWork") and "sameAs" in node:
                assert re.match(r"^https?://[^/]+", node["sameAs"]), (page, node)


def test_dates_are_iso_8601(sample_site):
    for page in _pages(sample_site):
        for node in nodes(structured(sample_site, page)):
            for name in ("datePublished", "dateModified"):
                if name in node:
                    assert ISO_DATE.match(node[name]), (page, name, node[name])


def test_a_brief_is_a_news_article_with_what_google_recommends(sample_site):
    page = "briefs/us-lead-widening/index.html"
    article = by_type(structured(sample_site, page))["NewsArticle"]
    front, _ = BRIEFS["us-lead-widening"]
    head = head_of(sample_site, page)
    assert all(article.get(name) for name in GOOGLE_ARTICLE)
    assert article["headline"] == front["title"]
    assert article["description"] == head.meta["description"][0]
    assert article["url"] == head.links[("canonical", None)][0]
    assert article["image"] == head.meta["og:image"]
    assert (article["datePublished"], article["dateModified"]) == ("2026-01-11", "2026-01-11")
    assert article["author"] == [{"@type": "Organization", "name": "Briefing desk",
                                  "url": SUBPATH_URL}]
    assert article["publisher"] == {"@type": "Organization", "name": "China AI Briefing",
                                    "url": SUBPATH_URL}
    assert article["keywords"] == front["tags"]


def test_a_brief_cites_its_sources_and_is_about_its_companies(sample_site):
    for slug, (front, _) in BRIEFS.items():
        article = by_type(structured(sample_site, f"briefs/{slug}/index.html"))["NewsArticle"]
        cited = [(c["name"], c.get("url"), c.get("publisher", {}).get("name"))
                 for c in article["citation"]]
        assert cited == [(s["title"], s.get("url"), s.get("publisher"))
                         for s in front["sources"]], slug
        about = {o["url"]: o for o in article.get("about", [])}
        assert len(about) >= len(front.get("companies", [])), slug
        for company in front.get("companies", []):
            topic = about[f"{SUBPATH_URL}companies/{company}/"]
            assert topic["name"] == COMPANIES[company]["name"]
            assert topic.get("sameAs") == COMPANIES[company].get("website")


def test_a_company_page_is_an_organization(sample_site):
    items = by_type(structured(sample_site, "companies/zhipu-ai/index.html"))
    company = COMPANIES["zhipu-ai"]
    organization = items["Organization"]
    assert organization["name"] == company["name"] == "Zhipu AI"
    assert organization["url"] == f"{SUBPATH_URL}companies/zhipu-ai/"
    assert organization["alternateName"] == company["aliases"]
    assert "智谱" in organization["alternateName"]
    assert organization["sameAs"] == company["website"]
    assert organization["description"] == company["summary"]


@pytest.mark.parametrize("page, trail", [
    ("briefs/us-lead-widening/index.html",
     [("Briefs", "briefs/"), (BRIEFS["us-lead-widening"][0]["title"],
                              "briefs/us-lead-widening/")]),
    ("companies/zhipu-ai/index.html",
     [("Companies", "companies/"), ("Zhipu AI", "companies/zhipu-ai/")]),
    ("events/2026-01-minimax-debuts-on-the-hong-kong-stock-exchange/index.html",
     [("Timeline", "timeline/"), ("MiniMax debuts on the Hong Kong Stock Exchange",
                                  "events/2026-01-minimax-debuts-on-the-hong-kong-stock-exchange/")]),
    ("tags/chips/index.html", [("Tags", "tags/"), ("chips", "tags/chips/")]),
])
def test_pages_that_nest_have_breadcrumbs_from_home(sample_site, page, trail):
    crumbs = by_type(structured(sample_site, page))["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c.get("item")) for c in crumbs] == [
        (number, name, SUBPATH_URL + path if number <= len(trail) else None)
        for number, (name, path) in enumerate([("Home", ""), *trail], 1)]
    assert head_of(sample_site, page).links[("canonical", None)] == [SUBPATH_URL + trail[-1][1]]


def test_the_home_page_is_a_website_searchable_at_its_search_page(sample_site):
    website = by_type(structured(sample_site, "index.html"))["WebSite"]
    assert (website["name"], website["url"]) == ("China AI Briefing", SUBPATH_URL)
    action = website["potentialAction"]
    assert action["target"]["urlTemplate"] == f"{SUBPATH_URL}search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert (sample_site / "search" / "index.html").exists()


HOSTILE_BRIEF = f"""\
---
title: "{HOSTILE}"
date: 2026-01-10
summary: "& <!-- {HOSTILE}"
tags: ["{HOSTILE}"]
sources:
  - {{title: "{HOSTILE}", publisher: "</SCRIPT >", url: "https://e.org/?a=1&b=</script>"}}
updates:
  - {{date: 2026-01-12, note: Added a source.}}
  - {{date: 2026-01-20, note: Corrected the title.}}
---

Body.
"""


@pytest.fixture
def hostile(make_project):
    project = make_project({"content/briefs/bad.md": HOSTILE_BRIEF})
    project.build()
    return project


def test_an_updated_brief_was_modified_at_its_latest_update(hostile):
    article = by_type(structured(hostile.output, "briefs/bad/index.html"))["NewsArticle"]
    assert (article["datePublished"], article["dateModified"]) == ("2026-01-10", "2026-01-20")


def test_a_hostile_title_stays_text_inside_its_script(hostile):
    html = hostile.page("briefs/bad/index.html")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 2  # the article and its breadcrumbs, each closed where it should be
    assert all("<" not in s and ">" not in s and "&" not in s for s in scripts)
    article = json.loads(scripts[0])
    assert article["headline"] == HOSTILE
    assert article["description"] == f"& <!-- {HOSTILE}"
    assert article["keywords"] == [HOSTILE]
    assert article["citation"][0] == {"@type": "CreativeWork", "name": HOSTILE,
                                      "url": "https://e.org/?a=1&b=</script>",
                                      "publisher": {"@type": "Organization",
                                                    "name": "</SCRIPT >"}}
    assert by_type(structured(hostile.output, "briefs/bad/index.html"))["NewsArticle"] == article
    assert "<script>alert(1)" not in html


def test_a_site_without_search_offers_no_search_action(make_project, basic_files):
    project = make_project({**basic_files, "site.yaml": SITE_YAML + "search: false\n"})
    project.build()
    website = by_type(structured(project.output, "index.html"))["WebSite"]
    assert website["url"] == "https://example.org/desk/"
    assert "potentialAction" not in website
