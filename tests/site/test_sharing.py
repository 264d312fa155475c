"""Links worth sharing: head tags, feeds, sitemap, redirects, Pages files, on the sample site."""

import re
from html.parser import HTMLParser

import feedparser
import pytest

from tests.conftest import SUBPATH_URL, brief
from tests.fixtures.sample import BRIEFS

BASE = SUBPATH_URL


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.title = {}, {}, ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.setdefault((attrs.get("rel"), attrs.get("type")), []).append(attrs["href"])
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def head_of(site, page):
    parser = _Head()
    parser.feed((site / page).read_text().split("</head>")[0])
    return parser


def assert_sharing_tags(head, url, title, description, kind, image="static/share.png"):
    """Every tag a link preview reads, with its exact absolute URL."""
    assert head.links[("canonical", None)] == [url]
    assert head.meta["description"] == [description]
    assert head.meta["og:title"] == [title]
    assert head.meta["og:description"] == [description]
    assert head.meta["og:url"] == [url]
    assert head.meta["og:type"] == [kind]
    assert head.meta["og:site_name"] == ["China AI Briefing"]
    assert head.meta["og:locale"] == ["en_US"]
    assert head.meta["og:image"] == [BASE + image]
    assert head.meta["twitter:card"] == ["summary_large_image"]  # the rest read from og:
    assert not {"twitter:title", "twitter:description", "twitter:image"} & head.meta.keys()


def test_a_brief_has_every_sharing_tag_with_absolute_urls(sample_site):
    head = head_of(sample_site, "briefs/us-lead-widening/index.html")
    summary = ("Leading figures at Chinese tech companies including Alibaba, Tencent and Zhipu AI "
               "see a slim chance of China catching up with the US, and name US chip export "
               "controls as a major constraint.")
    assert_sharing_tags(head, BASE + "briefs/us-lead-widening/",
                        "Chinese tech leaders rate China's odds of catching the US as slim", summary,
                        "article", "cards/briefs/us-lead-widening.png")
    assert head.meta["article:published_time"] == ["2026-01-11"]
    assert head.meta["article:tag"] == ["export-controls", "chips", "policy", "self-sufficiency",
                                        "outlook"]
    assert head.links[("alternate", "application/atom+xml")] == [BASE + "feed.xml"]


def test_a_company_page_and_the_timeline_have_their_own_tags(sample_site):
    head = head_of(sample_site, "companies/zhipu-ai/index.html")
    assert_sharing_tags(head, BASE + "companies/zhipu-ai/", "Zhipu AI",
                        "Beijing developer of large language models, one of the start-ups dubbed "
                        "China's AI tigers, listed in Hong Kong in January 2026.", "website",
                        "cards/companies/zhipu-ai.png")
    assert head.links[("alternate", "application/atom+xml")] == [
        BASE + "feed.xml", BASE + "companies/zhipu-ai/feed.xml"]
    head = head_of(sample_site, "timeline/index.html")
    assert_sharing_tags(head, BASE + "timeline/", "Timeline",
                        "Every dated event of China AI Briefing, newest first.",
                        "website")
    assert "article:published_time" not in head.meta


def test_descriptions_are_plain_text_within_limits(make_project):
    long_summary = "A sentence with <b>markup</b> & more words. " * 20
    project = make_project({"content/briefs/long.md": brief(
        "Long", extra=f"summary: '{long_summary}'\n").replace("summary: Summary of Long.\n", "")})
    project.build()
    head = head_of(project.output, "briefs/long/index.html")
    description = head.meta["description"][0]
    assert len(description) <= 200 and description.endswith("…")
    assert "<b>" in description  # shown as text, escaped in the HTML source
    assert "&lt;b&gt;" in project.page("briefs/long/index.html")


def test_feeds_list_newest_briefs_with_absolute_links_and_content(sample_site):
    feed = feedparser.parse((sample_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.feed.id == BASE + "feed.xml"
    assert feed.feed.link == BASE
    entries = feed.entries
    assert [e.id for e in entries][:2] == [BASE + "briefs/leaders-outlook/",
                                           BASE + "briefs/euv-prototype-2030/"]
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    first = entries[-1]
    assert first.link == BASE + "briefs/us-lead-widening/"
    assert first.published.startswith("2026-01-11")
    assert first.summary.startswith("Leading figures at Chinese tech companies")
    assert 'href="https://example.github.io/china-ai-briefing/companies/' in first.content[0].value
    company = feedparser.parse((sample_site / "companies/minimax/feed.xml").read_bytes())
    assert company.bozo == 0
    assert {e.link for e in company.entries} == {BASE + "briefs/hong-kong-ai-listings/"}
    assert company.entries[0].summary.startswith("MiniMax and Zhipu AI")
    assert "content" not in company.entries[0]  # a company's feed announces; the site's has all


def test_the_sitemap_names_every_public_page_and_robots_points_at_it(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    redirects = {BASE + old.lstrip("/") for meta, _ in BRIEFS.values()
                 for old in meta.get("aliases", [])}
    pages = {BASE + p.relative_to(sample_site).as_posix().removesuffix("index.html")
             for p in sample_site.rglob("*.html")
             if p.name != "404.html" and p.parent.name != "search"} - redirects
    assert set(locs) == pages and not redirects & set(locs)
    assert f"<loc>{BASE}briefs/us-lead-widening/</loc><lastmod>2026-01-11</lastmod>" in sitemap
    assert (sample_site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n")


def test_old_paths_redirect_to_the_renamed_brief(make_project, basic_files):
    basic_files["content/briefs/first.md"] = basic_files["content/briefs/first.md"].replace(
        "tags: [chips]", "tags: [chips]\naliases: [/old/first/, /2025/first-brief.html]")
    project = make_project(basic_files)
    project.build()
    for old in ("old/first/index.html", "2025/first-brief.html"):
        page = project.page(old)
        assert '<meta http-equiv="refresh" content="0; url=https://example.org/desk/briefs/first/">' \
            in page
        assert '<link rel="canonical" href="https://example.org/desk/briefs/first/">' in page
        assert '<meta name="robots" content="noindex">' in page
    assert "old/first" not in project.page("sitemap.xml")


def test_cname_and_nojekyll_are_written(make_project, basic_files):
    from tests.conftest import SITE_YAML
    basic_files["site.yaml"] = SITE_YAML + "cname: briefing.example.org\n"
    project = make_project(basic_files)
    project.build()
    assert project.page("CNAME") == "briefing.example.org\n"
    assert (project.output / ".nojekyll").read_bytes() == b""


@pytest.mark.parametrize("cname", ["https://briefing.example.org", "no spaces.org", "x"])
def test_a_bad_cname_is_an_error(make_project, cname):
    from site_builder.errors import BuildFailed
    from tests.conftest import SITE_YAML
    project = make_project({"site.yaml": SITE_YAML + f"cname: '{cname}'\n"})
    with pytest.raises(BuildFailed, match="is not a host name"):
        project.build()
