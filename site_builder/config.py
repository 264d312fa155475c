"""Settings stage: `site.yaml` read and validated into a frozen SiteConfig."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from site_builder.errors import BuildFailed, ContentError
from site_builder.fields import FieldReader, is_web_url
from site_builder.yamlfile import decode, parse_yaml

CONFIG_FILE = "site.yaml"
_REGIONS = {"en": "US", "zh": "CN", "ja": "JP", "ko": "KR", "ar": "SA", "he": "IL", "hi": "IN",
            "sv": "SE", "da": "DK", "nb": "NO", "uk": "UA", "cs": "CZ", "el": "GR", "fa": "IR"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                       r"[A-Za-z]{2,63}$")
KNOWN_KEYS = ("title", "description", "base_url", "language", "author", "strict",
              "timeline_title", "allow_html", "cname", "search", "cards")


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

    @property
    def prefix(self) -> str:
        """The path every site URL starts with: `/` or `/repo/`."""
        return urlsplit(self.base_url).path

    @property
    def origin(self) -> str:
        """`https://host` of the base URL."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def locale(self) -> str:
        """The Open Graph locale: `en_US` for `en`, `zh_CN` for `zh-CN`."""
        language, _, region = self.language.replace("_", "-").partition("-")
        return f"{language.lower()}_{(region or _REGIONS.get(language.lower(), language)).upper()}"

    def with_base_url(self, base_url: str) -> SiteConfig:
        """The same settings published at another address."""
        return replace(self, base_url=normalise_base_url(base_url))


def normalise_base_url(value: str) -> str:
    """A base URL with exactly one trailing slash and no query or fragment."""
    parts = urlsplit(value.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def base_url_problem(value: str) -> str:
    """Why a base URL is unusable, or "" when it is fine."""
    if not is_web_url(value):
        return f"`base_url` must be an absolute http:// or https:// address, not `{value}`"
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        return "`base_url` must not have a query (`?`) or a fragment (`#`)"
    if "//" in parts.path or "/../" in parts.path + "/" or "\\" in parts.path:
        return f"`base_url` has an unsafe path `{parts.path}`"
    return ""


def load_config(project: Path, base_url: str | None = None) -> SiteConfig:
    """Read `site.yaml` of a project; raise BuildFailed with every problem found."""
    path = project / CONFIG_FILE
    if not path.is_file():
        raise BuildFailed([ContentError(CONFIG_FILE, 1, 1, "no site.yaml in the project",
                                        f"run `briefing init {project}` or pass --project")])
    text, errors = decode(path.read_bytes(), CONFIG_FILE)
    meta = None
    if text is not None:
        meta, errors = parse_yaml(text, CONFIG_FILE)
    if meta is None:
        raise BuildFailed(errors)
    fields = FieldReader(meta, errors)
    fields.unknown_keys((), KNOWN_KEYS)
    url = base_url or fields.text(("base_url",), required=True)
    if url and (problem := base_url_problem(url)):
        if base_url:
            errors.append(ContentError("--base-url", 1, 1, problem.replace("`base_url`", "--base-url")))
        else:
            fields.fail(("base_url",), problem, "for example https://user.github.io/repo/")
    config = SiteConfig(
        title=fields.text(("title",), required=True),
        description=fields.text(("description",)),
        base_url=normalise_base_url(url) if url else "http://localhost/",
        language=fields.text(("language",), default="en"),
        author=fields.text(("author",)),
        strict=fields.boolean(("strict",), default=True),
        timeline_title=fields.text(("timeline_title",), default="Timeline"),
        allow_html=fields.boolean(("allow_html",), default=False),
        cname=fields.text(("cname",)),
        search=fields.boolean(("search",), default=True),
        cards=fields.boolean(("cards",), default=True),
    )
    if not _LANGUAGE.match(config.language):
        fields.fail(("language",), f"`language` `{config.language}` is not a language tag",
                    "write a tag such as en, zh or zh-CN")
    if config.cname and not _HOSTNAME.match(config.cname):
        fields.fail(("cname",), f"`cname` `{config.cname}` is not a host name",
                    "write the bare domain, such as briefing.example.org")
    if errors:
        raise BuildFailed(errors)
    return config
