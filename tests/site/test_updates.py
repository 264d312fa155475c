"""Corrections and updates: a brief says when it changed, its feed entry, sitemap entry and head
follow the latest update, and `/corrections/` lists every update, newest first."""

import re
from html.parser import HTMLParser

import feedparser
import pytest

from site_builder.check import check_site
from tests.conftest import SITE_YAML, brief

BASE = "https://example.org/desk/"
FIRST_UPDATES = """\
updates:
  - {date: 2026-01-12, note: Added a source on the H200 approval.}
  - {date: 2026-01-20, note: 'Corrected the listing date of MiniMax & <Zhipu>.'}
"""
SECOND_UPDATES = "updates:\n  - {date: 2026-01-15, note: Named the ministry.}\n"


class _Text(HTMLParser):
    """The text of the elements of one class, and the `datetime` of every `<time>` in them."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class, self.depth, self.text, self.times = css_class, 0, "", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or self.css_class in (attrs.get("class") or "").split():
            self.depth += 1
            if tag == "time":
                self.times.append(attrs["datetime"])

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.depth:
            self.text += data


def _part(html: str, css_class: str) -> _Text:
    parser = _Text(css_class)
    parser.feed(html)
    parser.text = " ".join(parser.text.split())
    return parser


@pytest.fixture
def updated(make_project, basic_files):
    basic_files["content/briefs/first.md"] = brief(
        "First brief", "2026-01-10", "zhipu-ai", "chips", "Zhipu AI met Nvidia.",
        extra=FIRST_UPDATES)
    basic_files["content/briefs/second.md"] = brief("Second brief", "2026-01-12", "nvidia",
                                                    extra=SECOND_UPDATES)
    basic_files["content/briefs/draft.md"] = brief(
        "Draft", "2026-01-13", extra="draft: true\nupdates:\n  - {date: 2026-01-30, note: Hid.}\n")
    basic_files["site.yaml"] = SITE_YAML + "per_page: 2\n"
    project = make_project(basic_files)
    project.build()
    return project


def test_a_brief_says_when_it_was_updated_and_lists_every_update_newest_first(updated):
    page = updated.page("briefs/first/index.html")
    meta = _part(page, "meta")
    assert "10 Jan 2026 · Updated 20 Jan 2026" in meta.text
    assert meta.times[:2] == ["2026-01-10", "2026-01-20"]
    box = _part(page, "updates")
    assert box.text == ("Updates 20 Jan 2026: Corrected the listing date of MiniMax & <Zhipu>. "
                        "12 Jan 2026: Added a source on the H200 approval. "
                        "All corrections and updates")
    assert box.times == ["2026-01-20", "2026-01-12"]
    assert 'href="/desk/corrections/">All corrections and updates</a>' in page
    assert "&lt;Zhipu&gt;" in page


def test_a_brief_never_updated_shows_no_update(updated):
    updated.write("content/briefs/second.md", brief("Second brief", "2026-01-12", "nvidia"))
    updated.build()
    page = updated.page("briefs/second/index.html")
    assert "Updated" not in _part(page, "meta").text
    assert not _part(page, "updates").text
    assert '<meta property="article:modified_time" content="2026-01-12">' in page


def test_the_latest_update_is_the_modified_date_of_head_feed_and_sitemap(updated):
    page = updated.page("briefs/first/index.html")
    assert '<meta property="article:published_time" content="2026-01-10">' in page
    assert '<meta property="article:modified_time" content="2026-01-20">' in page
    feed = feedparser.parse(updated.page("feed.xml"))
    entries = {entry.link: entry for entry in feed.entries}
    first = entries[f"{BASE}briefs/first/"]
    assert (first.published[:10], first.updated[:10]) == ("2026-01-10", "2026-01-20")
    assert entries[f"{BASE}briefs/second/"].updated[:10] == "2026-01-15"
    assert feed.feed.updated[:10] == "2026-01-20"  # the latest entry, not the newest brief
    company = feedparser.parse(updated.page("companies/zhipu-ai/feed.xml"))
    assert company.entries[0].updated[:10] == "2026-01-20"
    sitemap = updated.page("sitemap.xml")
    assert f"<loc>{BASE}briefs/first/</loc><lastmod>2026-01-20</lastmod>" in sitemap
    assert f"<loc>{BASE}briefs/second/</loc><lastmod>2026-01-15</lastmod>" in sitemap


def _corrections(html: str) -> list[tuple[str, str, str]]:
    items = re.findall(r'<time datetime="([^"]+)">[^<]*</time>\s*<a href="([^"]+)">[^<]*</a>'
                       r"\s*<p>([^<]*)</p>", html)
    return [(date, href, note) for date, href, note in items]


def test_the_corrections_page_lists_every_update_newest_first_per_page(updated):
    first, second = updated.page("corrections/index.html"), \
        updated.page("corrections/page/2/index.html")
    assert _corrections(first) + _corrections(second) == [
        ("2026-01-20", "/desk/briefs/first/",
         "Corrected the listing date of MiniMax &amp; &lt;Zhipu&gt;."),
        ("2026-01-15", "/desk/briefs/second/", "Named the ministry."),
        ("2026-01-12", "/desk/briefs/first/", "Added a source on the H200 approval."),
    ]
    assert "3 changes made to briefs after their publication" in first
    assert f'<link rel="next" href="{BASE}corrections/page/2/">' in first
    assert f'<link rel="canonical" href="{BASE}corrections/page/2/">' in second
    assert "Hid." not in first + second  # a draft's updates are not published
    assert not (updated.output / "corrections" / "page" / "3").exists()
    sitemap = updated.page("sitemap.xml")
    assert f"<loc>{BASE}corrections/</loc><lastmod>2026-01-20</lastmod>" in sitemap
    assert f"<loc>{BASE}corrections/page/2/</loc><lastmod>2026-01-12</lastmod>" in sitemap
    assert check_site(updated.output, BASE).problems == []


def test_a_site_without_updates_has_no_corrections_page(make_project, basic_files):
    project = make_project(basic_files)
    project.build()
    assert not (project.output / "corrections").exists()
    assert "corrections" not in project.page("sitemap.xml")
    assert "corrections" not in project.page("briefs/first/index.html")
