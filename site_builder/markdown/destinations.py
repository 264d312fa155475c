"""Where a URL written in Markdown or raw HTML leads: a site path under the prefix, or as written."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import unquote

from site_builder.urls import Urls

MEDIA_SOURCE = "content/media/"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DANGEROUS = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.IGNORECASE)
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "action", "cite", "data"})


class Destination(NamedTuple):
    """A written URL: what the page links to, and the site path and anchor it must reach
    (`path` is "" for a link that leaves the site)."""

    href: str
    path: str
    fragment: str
    source: str = ""


class SiteMap(NamedTuple):
    """What a written URL is resolved against: the prefix, and the site path of each source file."""

    urls: Urls
    sources: Mapping[str, str]


def destination(href: str, source: str, page: str, site: SiteMap) -> Destination:
    """Resolve a URL written in `source` (a file of the project) and shown on the page `page`.

    A site path (`/media/x.png`) gets the site's prefix; a relative path that leads to a
    file of `content/media/` or to another content file, counted from the source file as an
    editor shows it, becomes that file's site path; any other relative path stays as written,
    counted from the page. External URLs are left alone.
    """
    if href.startswith("//") or _SCHEME.match(href):
        return Destination(href, _own_path(href, site.urls), _fragment(href))
    written, hash_mark, fragment = href.partition("#")
    written, query_mark, query = written.partition("?")
    suffix = (query_mark + query) + (hash_mark + fragment)
    if written.startswith("/"):
        return Destination(site.urls.url(href), unquote(written), unquote(fragment))
    if not written:
        return Destination(href, page, unquote(fragment))
    from_source = _joined(posixpath.dirname(source), unquote(written))
    if from_source.startswith(MEDIA_SOURCE):
        path = "/media/" + from_source[len(MEDIA_SOURCE):]
        return Destination(site.urls.url(path) + suffix, path, unquote(fragment))
    if from_source in site.sources:
        path = site.sources[from_source]
        return Destination(site.urls.url(path) + suffix, path, unquote(fragment), from_source)
    return Destination(href, _joined(page, unquote(written)), unquote(fragment), from_source)


def _joined(folder: str, relative: str) -> str:
    """`relative` counted from `folder` (a folder path, or a page path ending in `/`)."""
    joined = posixpath.normpath(posixpath.join(folder, relative))
    return joined + "/" if relative.endswith("/") and not joined.endswith("/") else joined


def _fragment(href: str) -> str:
    return unquote(href.partition("#")[2])


def _own_path(href: str, urls: Urls) -> str:
    """The site path of an absolute URL of this very site, else ""."""
    base = urls.absolute("/")
    if not href.startswith(base):
        return ""
    return "/" + unquote(href[len(base):].partition("#")[0].partition("?")[0])


def is_dangerous(url: str) -> bool:
    """Whether a URL would run code or embed content when followed (never written out)."""
    return bool(_DANGEROUS.match(url))


def rewrite_html(html: str, rewrite: Callable[[str, int], str | None]) -> str:
    """Raw HTML with every URL attribute of its start tags passed through `rewrite`, with
    the offset of its tag (None drops the attribute); everything else is kept byte for byte."""
    finder = _StartTags()
    finder.feed(html)
    finder.close()
    if not finder.tags:
        return html
    starts = [0]
    for line in html.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    parts, done = [], 0
    for (line, column), raw, tag, attributes, closed in finder.tags:
        start = starts[line - 1] + column
        changed = [(name, _rewritten(name, value, start, rewrite)) for name, value in attributes]
        if changed == attributes:
            continue
        kept = [(name, value) for (name, value), (_, old) in zip(changed, attributes)
                if value is not None or old is None]
        parts += [html[done:start], _start_tag(tag, kept, closed)]
        done = start + len(raw)
    return "".join(parts) + html[done:]


def _rewritten(name: str, value: str | None, start: int,
               rewrite: Callable[[str, int], str | None]) -> str | None:
    """An attribute's value with its URLs passed through `rewrite`: the value of a URL
    attribute, each candidate's URL of a `srcset`."""
    if value is None or name not in URL_ATTRIBUTES and name != "srcset":
        return value
    if name in URL_ATTRIBUTES:
        return rewrite(value, start)
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        kept = rewrite(url, start) if url else None
        if kept is not None:
            candidates.append(f"{kept} {descriptor.strip()}".rstrip())
    return ", ".join(candidates) or None


def _start_tag(tag: str, attributes: list[tuple[str, str | None]], closed: bool) -> str:
    written = "".join(f" {name}" if value is None else f' {name}="{escape(value)}"'
                      for name, value in attributes)
    return f"<{tag}{written}{' /' if closed else ''}>"


class _StartTags(HTMLParser):
    """Finds the start tags of some HTML with their places and raw text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[tuple[int, int], str, str, list[tuple[str, str | None]], bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._found(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._found(tag, attrs, True)

    def _found(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        raw = self.get_starttag_text()
        if raw is not None:
            self.tags.append((self.getpos(), raw, tag, list(attrs), closed))
