"""Checks: every link, anchor, feed entry and sitemap URL of a built site resolves."""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from site_builder.errors import ContentError
from site_builder.model.bodies import Link
from site_builder.model.site import Site
from site_builder.urls import Urls, output_file

_LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
                    ("source", "src"), ("iframe", "src"), ("video", "src"), ("audio", "src"),
                    ("form", "action")}
_URL_METAS = {"og:url", "og:image", "twitter:image"}
_ATOM = "{http://www.w3.org/2005/Atom}"
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')


@dataclass(frozen=True)
class Problem:
    """One link a visitor would find broken."""

    page: str
    href: str
    problem: str

    def format(self) -> str:
        """`page: href: problem`."""
        return f"{self.page}: {self.href}: {self.problem}"


@dataclass
class CheckReport:
    """What a check looked at and what it found."""

    pages: int
    links: int
    problems: list[Problem]


class _PageParser(HTMLParser):
    """Collects the ids and the links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "meta" and values.get("property", values.get("name")) in _URL_METAS:
            self.links.append(values.get("content", ""))
        for name, value in values.items():
            if (tag, name) in _LINK_ATTRIBUTES:
                self.links.append(value)


class _Checker:
    """Resolves links against the output folder, reading each page once."""

    def __init__(self, output: Path, base_url: str) -> None:
        self.output = output
        self.urls = Urls(base_url)
        self.pages: dict[Path, _PageParser] = {}

    def page(self, path: Path) -> _PageParser:
        if path not in self.pages:
            parser = _PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            self.pages[path] = parser
        return self.pages[path]

    def problem(self, source_url: str, href: str) -> str:
        """Why a link from a page does not work, or "" when it does."""
        target = urlsplit(urljoin(source_url, href.strip()))
        if target.scheme not in ("http", "https") or \
                f"{target.scheme}://{target.netloc}" != self.urls.origin:
            return ""
        if not target.path.startswith(self.urls.prefix):
            return f"outside the site's path prefix {self.urls.prefix}"
        file = self.output / output_file(unquote(target.path[len(self.urls.prefix) - 1:]))
        if not file.is_file():
            if (file.parent / file.name / "index.html").is_file():
                return "a folder; link to it with a trailing `/`"
            return "no such page or file in the output"
        fragment = unquote(target.fragment)
        if fragment and file.suffix == ".html" and fragment not in self.page(file).ids:
            return f"no anchor `#{fragment}` on {file.relative_to(self.output).as_posix()}"
        return ""


def site_base_url(output: Path) -> str | None:
    """The base URL a site was built for: the canonical link of its home page."""
    home = output / "index.html"
    if not home.is_file():
        return None
    match = _CANONICAL.search(home.read_text(encoding="utf-8", errors="replace"))
    return match.group(1) if match else None


def check_site(output: Path, base_url: str) -> CheckReport:
    """Every broken link, missing anchor and link outside the prefix, in pages, feeds, sitemap."""
    checker = _Checker(output, base_url)
    problems: list[Problem] = []
    pages = links = 0
    for file in sorted(output.rglob("*")):
        if file.suffix not in (".html", ".xml") or not file.is_file():
            continue
        relative = file.relative_to(output).as_posix()
        source = checker.urls.absolute("/" + relative.removesuffix("index.html"))
        try:
            hrefs = checker.page(file).links if file.suffix == ".html" else _xml_links(file)
        except ET.ParseError as exc:
            problems.append(Problem(relative, "", f"not well-formed XML: {exc}"))
            continue
        pages += 1
        links += len(hrefs)
        for href in hrefs:
            if problem := checker.problem(source, href):
                problems.append(Problem(relative, href, problem))
    return CheckReport(pages, links, problems)


def _xml_links(path: Path) -> list[str]:
    """The URLs an Atom feed or a sitemap names."""
    root = ET.parse(path).getroot()
    if root.tag == f"{_ATOM}feed":
        links = [link.get("href", "") for link in root.iter(f"{_ATOM}link")]
        return links + [node.text or "" for node in root.iter(f"{_ATOM}id")]
    if root.tag in (f"{_SITEMAP}urlset", f"{_SITEMAP}sitemapindex"):
        return [node.text or "" for node in root.iter(f"{_SITEMAP}loc")]
    return []


def broken_links(links: Iterable[tuple[str, Link]], files: Collection[str],
                 read: Callable[[str], bytes], strict: bool = True,
                 unrendered: Collection[str] = frozenset()) -> list[ContentError]:
    """Every link a writer typed that leads to no file of the built site, or to no anchor of
    its page, as an error in the writer's file (a warning when not `strict`); `files` are
    the files of the site, `read` gives one's bytes, `unrendered` are the files of pages a
    template error stopped (links to them are not checked: that error stands for them)."""
    found = _Targets(files, read, unrendered)
    errors = []
    for source, link in links:
        problem, hint = found.problem(link.path, link.fragment)
        if problem:
            errors.append(ContentError(source, link.line, link.column, problem, hint,
                                       warning=not strict))
    return errors


class _Targets:
    """The files of a built site and the anchors of its pages, read when first asked for."""

    def __init__(self, files: Collection[str], read: Callable[[str], bytes],
                 unrendered: Collection[str] = frozenset()) -> None:
        self.files = files
        self.read = read
        self.unrendered = unrendered
        self.ids: dict[str, set[str]] = {}
        self.paths: list[str] = []

    def problem(self, path: str, fragment: str) -> tuple[str, str]:
        """What is wrong with a link to a site path and anchor, and a hint; ("", "") if nothing."""
        file = output_file(path)
        if file in self.unrendered:
            return "", ""
        if file not in self.files:
            if not path.endswith("/") and f"{file}/index.html" in self.files:
                return f"`{path}` is a folder of the site", f"write `{path}/`"
            return f"no page or file of the site at `{path}`", self._closest(path)
        if not fragment or not file.endswith(".html"):
            return "", ""
        ids = self._ids(file)
        if fragment in ids:
            return "", ""
        return f"no anchor `#{fragment}` on the page `{path}`", _suggest(fragment, ids, "#")

    def _ids(self, file: str) -> set[str]:
        if file not in self.ids:
            parser = _PageParser()
            parser.feed(self.read(file).decode("utf-8", "replace"))
            self.ids[file] = parser.ids
        return self.ids[file]

    def _closest(self, path: str) -> str:
        if not self.paths:
            self.paths = sorted("/" + f.removesuffix("index.html")
                                for f in {*self.files, *self.unrendered})
        section = path.strip("/").split("/", 1)[0]
        near = [p for p in self.paths if p.startswith(f"/{section}/")] or self.paths
        return _suggest(path, near)


def _suggest(word: str, candidates: Iterable[str], mark: str = "") -> str:
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    return "did you mean " + " or ".join(f"`{mark}{c}`" for c in close) + "?" if close else ""


def written_links(site: Site) -> list[tuple[str, Link]]:
    """Every link to a page of the site that a writer typed, with the file it was typed in:
    in bodies and takeaways, and the menu of the settings."""
    links = [("site.yaml", Link(item.target, "", item.line, item.column))
             for item in site.config.menu if item.line and item.target.startswith("/")]
    for (kind, slug), body in site.bodies.items():
        links += [(site.record(kind, slug).path, link) for link in body.links]
    return links
