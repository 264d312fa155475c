"""Lists that grow with the archive, paginated by `per_page`: the archive of every brief, tag
pages, a company's briefs and events; every brief a few clicks from home."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from bench.generate import generate
from site_builder.build import BuildOptions, build
from site_builder.check import check_site

BASE = "https://example.github.io/bench/"
PER_PAGE = 7


class _Links(HTMLParser):
    """The `href`s of a page's links, and `<link rel>`s of its head."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.entries: list[str] = []  # links of timeline entries
        self.rel: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])
            if found.get("class") == "entry-title":
                self.entries.append(found["href"])
        if tag == "link" and found.get("rel") in ("canonical", "prev", "next"):
            self.rel[found["rel"]] = found["href"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    project = tmp_path_factory.mktemp("archive") / "project"
    generate(project, 90, 8, seed=5)
    with open(project / "site.yaml", "a") as settings:
        settings.write(f"per_page: {PER_PAGE}\n")
    build(BuildOptions(project=project))
    return project / "output"


def _read(output, path):
    parser = _Links()
    parser.feed((output / urlsplit(path).path.removeprefix("/bench/").lstrip("/")
                 / "index.html").read_text())
    return parser


def _briefs(output):
    return {f"/bench/briefs/{p.name}/" for p in (output / "briefs").iterdir()
            if p.is_dir() and p.name != "page"}


def test_every_brief_is_three_clicks_from_the_home_page(archive):
    reached, frontier = {"/bench/"}, {"/bench/"}
    for _ in range(3):
        found = set()
        for path in frontier:
            for href in _read(archive, path).hrefs:
                target = urlsplit(urljoin(BASE, href)).path
                if target.startswith("/bench/") and target.endswith("/") and \
                        (archive / target.removeprefix("/bench/") / "index.html").is_file():
                    found.add(target)
        frontier = found - reached
        reached |= found
    assert len(_briefs(archive)) == 90
    assert _briefs(archive) <= reached


def _series(output, first, listed, most=PER_PAGE):
    """Every page of a paginated list from its first page, checked to link both ways with a
    canonical of its own; the site paths matching `listed` on each page, in order (or the
    links of its timeline entries, for `listed="entries"`)."""
    pages = sorted(p.parent for p in (output / first.removeprefix("/bench/")).glob(
        "page/*/index.html"))
    paths = [first, *(f"{first}page/{n}/" for n in range(2, len(pages) + 2))]
    found = []
    for number, path in enumerate(paths):
        page = _read(output, path)
        assert page.rel["canonical"] == urljoin(BASE, path)
        assert page.rel.get("prev") == (urljoin(BASE, paths[number - 1]) if number else None)
        assert page.rel.get("next") == (urljoin(BASE, paths[number + 1])
                                        if number + 1 < len(paths) else None)
        hrefs = set(page.hrefs)
        assert number == 0 or paths[number - 1] in hrefs
        assert number + 1 == len(paths) or paths[number + 1] in hrefs
        items = [h for h in (page.entries if listed == "entries" else page.hrefs)
                 if listed == "entries" or re.fullmatch(listed, h)]
        assert 0 < len(items) <= most, path
        found.append(items)
    return found


_BRIEF = r"/bench/briefs/(?!page/)[^/]+/"


def test_archive_pages_link_both_ways_each_with_its_own_canonical(archive):
    pages = _series(archive, "/bench/briefs/", _BRIEF)
    assert len(pages) == -(-90 // PER_PAGE)
    listed = [brief for page in pages for brief in page]
    assert sorted(listed) == sorted(_briefs(archive))  # each brief on exactly one page


def test_tag_pages_are_paginated_like_the_archive(archive):
    tags = [p.name for p in (archive / "tags").iterdir() if p.is_dir()]
    paged = 0
    for tag in tags:
        pages = _series(archive, f"/bench/tags/{tag}/", _BRIEF)
        paged += len(pages) > 1
        listed = [brief for page in pages for brief in page]
        assert len(listed) == len(set(listed))
    assert paged


def test_a_tag_s_timeline_holds_every_event_of_its_briefs(archive):
    tags = [p.name for p in (archive / "tags").iterdir() if (p / "timeline").is_dir()]
    assert tags
    for tag in tags:
        assert f"/bench/tags/{tag}/timeline/" in _read(archive, f"/bench/tags/{tag}/").hrefs
        pages = _series(archive, f"/bench/tags/{tag}/timeline/", "entries", most=3 * PER_PAGE)
        events = [event for page in pages for event in page]
        lead = (archive / "tags" / tag / "timeline" / "index.html").read_text()
        count = int(re.search(r"(\d+) events? of briefs tagged", lead).group(1))
        assert len(events) == len(set(events)) == count
        assert all((archive / e.removeprefix("/bench/") / "index.html").is_file()
                   for e in events)


def test_a_company_page_shows_the_latest_and_links_to_every_brief_and_event(archive):
    for folder in sorted((archive / "companies").iterdir()):
        if not (folder / "briefs").is_dir():
            continue
        first = _read(archive, f"/bench/companies/{folder.name}/")
        own = f"/bench/companies/{folder.name}/"
        assert f"{own}briefs/" in first.hrefs and f"{own}timeline/" in first.hrefs
        briefs = [b for page in _series(archive, f"{own}briefs/", _BRIEF) for b in page]
        feed = (folder / "feed.xml").read_text()
        assert len(briefs) == len(set(briefs)) > PER_PAGE
        assert all(b.removeprefix("/bench") in feed for b in briefs[:20])
        events = [e for page in _series(archive, f"{own}timeline/", "entries")
                  for e in page]
        assert len(set(events)) > PER_PAGE
        return
    raise AssertionError("no company has more briefs than a page holds")


def test_every_month_leads_to_the_page_listing_its_newest_brief(archive):
    first = (archive / "briefs" / "index.html").read_text()
    months = re.findall(r'<li><a href="(/bench/briefs/(?:page/\d+/)?#m(\d{4}-\d\d))">',
                        first)
    assert len(months) >= 6
    for href, month in months:
        path, anchor = href.split("#")
        html = (archive / path.removeprefix("/bench/") / "index.html").read_text()
        after = html.split(f'<h2 id="{anchor}">', 1)[1]
        newest = re.search(r'<time datetime="(\d{4}-\d\d)-\d\d">', after).group(1)
        assert newest == month


def test_every_event_is_on_its_year_s_timeline_once(archive):
    events = {f"/bench/events/{p.name}/" for p in (archive / "events").iterdir()}
    front = _read(archive, "/bench/timeline/")
    years = [h for h in front.hrefs if re.fullmatch(r"/bench/timeline/\d{4}/", h)]
    listed, paged = [], 0
    for year in years:
        pages = _series(archive, year, "entries", most=3 * PER_PAGE)
        listed += [entry for page in pages for entry in page]
        paged += len(pages) > 1
    assert years and paged
    assert sorted(listed) == sorted(events)
    assert 0 < len(front.entries) <= 3 * PER_PAGE
    assert set(front.entries) <= set(listed)


def test_the_archive_passes_the_site_check(archive):
    assert check_site(archive, BASE).problems == []
