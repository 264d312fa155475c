"""A briefing published under a sub-path: every URL written in Markdown or raw HTML works there."""

from urllib.parse import unquote, urlsplit

import pytest

from site_builder.check import check_site
from tests.fixtures.sub_path import BASE, sub_path_project

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small project with images and links of every kind, built for a sub-path."""
    return sub_path_project(tmp_path_factory.mktemp("urls") / "mybriefs")


def _targets(html: str) -> list[str]:
    import re
    return re.findall(r'(?:src|href)="([^"]+)"', html.split('<div class="prose">', 1)[1]
                      .split("</div>", 1)[0])


def test_every_written_url_is_under_the_sub_path(site):
    targets = _targets(site.page("briefs/first/index.html"))
    assert targets == [
        "/mybriefs/media/chart.png", "/mybriefs/media/map.png", "/mybriefs/media/a%C3%B1o-2026.svg",
        "/mybriefs/media/my%20chart.png", "/mybriefs/media/report.pdf",
        "/mybriefs/briefs/second/#outlook", "https://someone.github.io/mybriefs/companies/",
        "/mybriefs/media/chart.png", "/mybriefs/tags/"]
    for target in targets:
        path = unquote(urlsplit(target).path).removeprefix("/mybriefs/")
        assert (site.output / (path + "index.html" if path.endswith("/") else path)).exists()


def test_the_built_site_passes_the_check(site):
    assert check_site(site.output, BASE).problems == []
