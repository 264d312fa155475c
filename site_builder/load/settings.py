"""Settings stage: `site.yaml` read and validated into a frozen SiteConfig."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from site_builder.errors import BuildFailed, ContentError
from site_builder.load.fields import FieldReader, is_web_url
from site_builder.load.frontmatter import decode, parse_yaml
from site_builder.model.settings import PER_PAGE, MenuItem, SiteConfig, default_menu
from site_builder.slugs import is_slug

CONFIG_FILE = "site.yaml"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                       r"[A-Za-z]{2,63}$")
KNOWN_KEYS = ("title", "description", "base_url", "language", "author", "strict",
              "timeline_title", "allow_html", "cname", "search", "cards", "menu",
              "per_page")
MENU_FIELDS = ("title", "target")
_SITE_PATH = re.compile(r"^/[^\s\\]*$")


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
    config, errors = read_settings(project, base_url)
    if errors:
        raise BuildFailed(errors)
    return config


def read_settings(project: Path, base_url: str | None = None
                  ) -> tuple[SiteConfig, list[ContentError]]:
    """The settings of `site.yaml` and every problem in them; where a field is wrong, its
    default stands in, so that the rest of the project can still be checked."""
    path = project / CONFIG_FILE
    fallback = SiteConfig(title="", description="",
                          base_url=normalise_base_url(base_url or "http://localhost/"),
                          menu=default_menu("Timeline"))
    if not path.is_file():
        return fallback, [ContentError(CONFIG_FILE, 1, 1, "no site.yaml in the project",
                                       f"run `briefing init {project}` or pass --project")]
    text, errors = decode(path.read_bytes(), CONFIG_FILE)
    meta = None
    if text is not None:
        meta, errors = parse_yaml(text, CONFIG_FILE)
    if meta is None:
        return fallback, errors
    fields = FieldReader(meta, errors)
    fields.unknown_keys((), KNOWN_KEYS)
    url = base_url or fields.text(("base_url",), required=True)
    if url and (problem := base_url_problem(url)):
        if base_url:
            errors.append(ContentError("--base-url", 1, 1, problem.replace("`base_url`", "--base-url")))
        else:
            fields.fail(("base_url",), problem, "for example https://user.github.io/repo/")
        url = ""
    timeline_title = fields.text(("timeline_title",), default="Timeline")
    config = SiteConfig(
        title=fields.text(("title",), required=True),
        description=fields.text(("description",)),
        base_url=normalise_base_url(url) if url else fallback.base_url,
        language=_checked(fields, "language", _LANGUAGE, "en",
                          "is not a language tag", "write a tag such as en, zh or zh-CN"),
        author=fields.text(("author",)),
        strict=fields.boolean(("strict",), default=True),
        timeline_title=timeline_title,
        allow_html=fields.boolean(("allow_html",), default=False),
        cname=_checked(fields, "cname", _HOSTNAME, "", "is not a host name",
                       "write the bare domain, such as briefing.example.org"),
        search=fields.boolean(("search",), default=True),
        cards=fields.boolean(("cards",), default=True),
        menu=_menu(fields) if fields.has(("menu",)) else default_menu(timeline_title),
        per_page=fields.count(("per_page",), default=PER_PAGE, most=1000),
    )
    return config, errors


def _checked(fields: FieldReader, key: str, pattern: re.Pattern[str], default: str,
             problem: str, hint: str) -> str:
    """A text field that must match a pattern; its default where it does not."""
    value = fields.text((key,), default=default)
    if value and not pattern.match(value):
        fields.fail((key,), f"`{key}` `{value}` {problem}", hint)
        return default
    return value


def _menu(fields: FieldReader) -> tuple[MenuItem, ...]:
    """The `menu:` list: each item a title and a target (a page's slug, a site path or a URL)."""
    items = []
    for index in fields.mappings(("menu",)):
        keys = ("menu", index)
        fields.unknown_keys(keys, MENU_FIELDS)
        title = fields.text(keys + ("title",), required=True)
        target = fields.text(keys + ("target",), required=True)
        if not title or not target:
            continue
        if "://" in target or target.startswith("mailto:"):
            if not is_web_url(target) and not target.startswith("mailto:"):
                fields.fail(keys + ("target",), f"menu target `{target}` is not an http:// or "
                            "https:// address")
                continue
        elif _SITE_PATH.match(target):
            pass
        elif is_slug(target):
            target = f"/{target}/"
        else:
            fields.fail(keys + ("target",), f"menu target `{target}` is not a page, a site path "
                        "or a URL", "write a page's slug (about), a site path (/tags/) or an "
                        "address (https://example.org/)")
            continue
        items.append(MenuItem(title, target, *fields.meta.place(*keys, "target")))
    return tuple(items)
