"""Checks: every link and anchor of a built site resolves under the site's URL prefix."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from site_builder.urls import Urls, output_file

_LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
                    ("source", "src"), ("iframe", "src"), ("video", "src"), ("audio", "src"),
                    ("form", "action")}


@dataclass(frozen=True)
class Problem:
    """One link a visitor would find broken."""

    page: str
    href: str
    problem: str

    def format(self) -> str:
        """`page: href: problem`."""
        return f"{self.page}: {self.href}: {self.problem}"


class _PageParser(HTMLParser):
    """Collects the ids and the links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in _LINK_ATTRIBUTES:
                self.links.append(value)


@lru_cache(maxsize=4096)
def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def check_site(output: Path, base_url: str) -> list[Problem]:
    """Every broken link, missing anchor and link outside the prefix on every page."""
    _parse.cache_clear()
    urls = Urls(base_url)
    problems = []
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        page_url = urls.absolute("/" + relative.removesuffix("index.html"))
        for href in _parse(page).links:
            problem = _link_problem(output, urls, page_url, href)
            if problem:
                problems.append(Problem(relative, href, problem))
    return problems


def _link_problem(output: Path, urls: Urls, page_url: str, href: str) -> str:
    """Why a link from a page does not work, or "" when it does."""
    target = urlsplit(urljoin(page_url, href.strip()))
    if target.scheme not in ("http", "https") or f"{target.scheme}://{target.netloc}" != urls.origin:
        return ""
    if not target.path.startswith(urls.prefix):
        return f"outside the site's path prefix {urls.prefix}"
    file = output / output_file(unquote(target.path[len(urls.prefix) - 1:]))
    if not file.is_file():
        if (file.parent / file.name / "index.html").is_file():
            return "a folder; link to it with a trailing `/`"
        return "no such page or file in the output"
    fragment = unquote(target.fragment)
    if fragment and file.suffix == ".html" and fragment not in _parse(file).ids:
        return f"no anchor `#{fragment}` on {file.relative_to(output).as_posix()}"
    return ""
