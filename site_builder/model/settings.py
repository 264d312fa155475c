"""The site's settings, as `site.yaml` gives them once read and checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

_REGIONS = {"en": "US", "zh": "CN", "ja": "JP", "ko": "KR", "ar": "SA", "he": "IL", "hi": "IN",
            "sv": "SE", "da": "DK", "nb": "NO", "uk": "UA", "cs": "CZ", "el": "GR", "fa": "IR"}


PER_PAGE = 30  # items on a page of a list that grows with the archive


class MenuItem(NamedTuple):
    """A link of the site's menu: its title, the site path or URL it leads to, and where
    `site.yaml` gives it (line 0 for the default menu)."""

    title: str
    target: str
    line: int = 0
    column: int = 0


def default_menu(timeline_title: str) -> tuple[MenuItem, ...]:
    """The menu of a site whose settings name none."""
    return (MenuItem("Briefs", "/briefs/"), MenuItem("Companies", "/companies/"),
            MenuItem(timeline_title, "/timeline/"), MenuItem("Tags", "/tags/"))


@dataclass(frozen=True)
class SiteConfig:
    """Validated site settings."""

    title: str
    description: str
    base_url: str
    language: str = "en"
    author: str = ""
    strict: bool = True
    timeline_title: str = "Timeline"
    allow_html: bool = False
    cname: str = ""
    search: bool = True
    cards: bool = True
    menu: tuple[MenuItem, ...] = ()
    per_page: int = PER_PAGE

    @property
    def locale(self) -> str:
        """The Open Graph locale: `en_US` for `en`, `zh_CN` for `zh-CN`."""
        language, _, region = self.language.replace("_", "-").partition("-")
        return f"{language.lower()}_{(region or _REGIONS.get(language.lower(), language)).upper()}"
