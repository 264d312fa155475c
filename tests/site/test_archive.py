"""The archive of every brief: paginated by `per_page`, every brief a few clicks from home."""

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
        self.rel: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])
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


def test_archive_pages_link_both_ways_each_with_its_own_canonical(archive):
    count = -(-90 // PER_PAGE)
    paths = ["/bench/briefs/", *(f"/bench/briefs/page/{n}/" for n in range(2, count + 1))]
    assert not (archive / "briefs" / "page" / str(count + 1)).exists()
    listed = []
    for number, path in enumerate(paths):
        page = _read(archive, path)
        assert page.rel["canonical"] == urljoin(BASE, path)
        assert page.rel.get("prev") == (urljoin(BASE, paths[number - 1]) if number else None)
        assert page.rel.get("next") == (urljoin(BASE, paths[number + 1])
                                        if number + 1 < count else None)
        hrefs = set(page.hrefs)
        assert number == 0 or paths[number - 1] in hrefs
        assert number + 1 == count or paths[number + 1] in hrefs
        briefs = [h for h in page.hrefs if re.fullmatch(r"/bench/briefs/[^/]+/", h)
                  and not h.startswith("/bench/briefs/page/")]
        assert 0 < len(briefs) <= PER_PAGE
        listed += briefs
    assert sorted(listed) == sorted(_briefs(archive))  # each brief on exactly one page


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


def test_the_archive_passes_the_site_check(archive):
    assert check_site(archive, BASE).problems == []
