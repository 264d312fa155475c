"""A briefing published under a sub-path: every URL written in Markdown or raw HTML works there."""

import io
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from site_builder.check import check_site
from tests.conftest import SITE_YAML, brief

BASE = "https://someone.github.io/mybriefs/"
BODY = """\
![chart](/media/chart.png) ![map][m] ![accented](../media/año-2026.svg)
![spaced](</media/my chart.png>) [report](/media/report.pdf) [other brief](second.md#outlook)
and <https://someone.github.io/mybriefs/companies/>.

<figure><img src="/media/chart.png" alt="raw"><figcaption><a href="/tags/">tags</a></figcaption></figure>

[m]: /media/map.png "A map"
"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10"/></svg>'


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(data, "PNG")
    return data.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small project with images and links of every kind, built for a sub-path."""
    from tests.conftest import Project
    project = Project(tmp_path_factory.mktemp("urls") / "mybriefs", {
        "site.yaml": SITE_YAML.replace("https://example.org/desk/", BASE) + "allow_html: true\n",
        "content/media/chart.png": _png(), "content/media/map.png": _png(),
        "content/media/my chart.png": _png(), "content/media/año-2026.svg": SVG,
        "content/media/report.pdf": b"%PDF-1.4\n",
        "content/briefs/first.md": brief("First", "2026-01-10", tags="chips", body=BODY),
        "content/briefs/second.md": brief("Second", "2026-01-11", body="## Outlook\n\nSoon."),
    })
    project.build()
    return project


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
