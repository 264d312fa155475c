"""URLs come from one place: the site path of every kind of page, and links under the prefix
of `base_url`, for Python and templates alike."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

_SAFE = "/#:@!$&'()*+,;=-._~%?"
_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/#:@!$&'()*+,;=\-._~%?]")


def brief_path(slug: str) -> str:
    """The site path of a brief."""
    return f"/briefs/{slug}/"


def archive_path(number: int = 1) -> str:
    """The site path of a page of the archive of every brief."""
    return paged_path("/briefs/", number)


def paged_path(first: str, number: int) -> str:
    """The site path of page `number` of a list whose first page is at `first`."""
    return first if number == 1 else f"{first}page/{number}/"


def corrections_path(number: int = 1) -> str:
    """The site path of a page of the list of every correction and update of the briefs."""
    return paged_path("/corrections/", number)


def page_path(slug: str) -> str:
    """The site path of a standalone page."""
    return f"/{slug}/"


def company_path(slug: str) -> str:
    """The site path of a company."""
    return f"/companies/{slug}/"


def company_briefs_path(slug: str) -> str:
    """The site path of every brief naming a company (when its own page shows only the
    latest)."""
    return f"/companies/{slug}/briefs/"


def company_timeline_path(slug: str) -> str:
    """The site path of a company's own timeline (when its own page shows only the latest)."""
    return f"/companies/{slug}/timeline/"


def company_feed_path(slug: str) -> str:
    """The site path of a company's Atom feed."""
    return f"/companies/{slug}/feed.xml"


def card_path(kind: str, slug: str) -> str:
    """The site path of a link-preview card: `/cards/briefs/x.png`."""
    return f"/cards/{kind}/{slug}.png"


def tag_path(slug: str) -> str:
    """The site path of a tag."""
    return f"/tags/{slug}/"


def tag_timeline_path(slug: str) -> str:
    """The site path of the timeline of the events of briefs with a tag."""
    return f"/tags/{slug}/timeline/"


def event_path(event_id: str) -> str:
    """The site path of an event's own page."""
    return f"/events/{event_id}/"


def timeline_path(anchor: str = "") -> str:
    """The site path of the timeline, or of one entry on it."""
    return f"/timeline/#{anchor}" if anchor else "/timeline/"


def sitemap_path(number: int) -> str:
    """The site path of one of the numbered sitemaps a sitemap index lists."""
    return f"/sitemap-{number}.xml"


def timeline_year_path(year: int) -> str:
    """The site path of the timeline of one year."""
    return f"/timeline/{year}/"


def output_file(path: str) -> str:
    """The file under `output/` that serves a site path: `/x/` is `x/index.html`."""
    path = path.split("#", 1)[0].lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def site_path(target: Any) -> str:
    """The site path of a path, or of anything with a page or an anchor (its `site_path`)."""
    return target if isinstance(target, str) else target.site_path


class Urls:
    """Turns site paths (`/companies/x/`), or anything with a `site_path`, into links under
    the site's prefix."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"

    def url(self, target: Any) -> str:
        """The link to a site path, starting with the prefix: `/repo/companies/x/`."""
        path = site_path(target)
        if "://" in path or path.startswith(("mailto:", "//")):
            return path
        link = self.prefix + path.lstrip("/")
        return quote(link, safe=_SAFE) if _NEEDS_QUOTING.search(link) else link

    def absolute(self, target: Any) -> str:
        """The absolute URL of a site path: `https://host/repo/companies/x/`."""
        link = self.url(target)
        return link if "://" in link else self.origin + link
