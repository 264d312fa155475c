"""Render stage: a page turned into bytes through one stock Jinja environment."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from site_builder import __version__
from site_builder.counts import counted
from site_builder.errors import ContentError
from site_builder.linked_data import LinkedData, json_ld
from site_builder.model.settings import SiteConfig
from site_builder.plan.pages import PageSpec
from site_builder.urls import Urls, site_path

THEME = Path(__file__).parent / "theme"
_NO_ATTRIBUTE = re.compile(r"^'(?P<owner>.+?)' has no attribute '(?P<name>.+)'$")
_UNDEFINED = re.compile(r"^'(?P<name>.+)' is undefined$")
_TEMPLATE_NAMES = {"PageSpec": "page", "dict": "this mapping", "tuple": "this list", "list": "this list",
                   "str": "this text", "NoneType": "nothing (None)", "int": "this number"}
_SHOWN_PAGES = 3


class Failure(NamedTuple):
    """A page that could not be rendered, and why."""

    error: ContentError
    path: str


def grouped(failures: Iterable[Failure]) -> list[ContentError]:
    """One error for each problem, however many pages it stopped, with the count of them."""
    pages: dict[ContentError, list[str]] = {}
    for failure in failures:
        pages.setdefault(failure.error, []).append(failure.path)
    errors = []
    for error, paths in pages.items():
        paths.sort()
        shown = ", ".join(paths[:_SHOWN_PAGES]) + (", …" if len(paths) > _SHOWN_PAGES else "")
        errors.append(ContentError(error.path, error.line, error.column,
                                   f"{error.message} (on {counted(len(paths), 'page')}: {shown})",
                                   error.hint,
                                   error.warning))
    return errors


def template_message(exc: Exception) -> str:
    """What went wrong in a template, in the words a template uses (no Python class names)."""
    text = str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        if match := _NO_ATTRIBUTE.match(text):
            owner = match["owner"].removesuffix(" object").rsplit(".", 1)[-1]
            shown = _TEMPLATE_NAMES.get(owner, re.sub(r"(?<!^)(?=[A-Z])", " ", owner).lower())
            return f"`{match['name']}` is not a field of {shown}"
        if match := _UNDEFINED.match(text):
            return f"`{match['name']}` is undefined"
        return text
    return f"{type(exc).__name__}: {text}"


class Theme(NamedTuple):
    """The template folders of a project, its own first, then the default theme."""

    folders: tuple[Path, ...]

    @property
    def static(self) -> tuple[Path, ...]:
        """The folders of static files, the theme's first, so a project's own win."""
        return tuple(f / "static" for f in reversed(self.folders) if (f / "static").is_dir())

    def files(self) -> list[tuple[str, bytes]]:
        """Every template file (not static files) with its bytes, for the theme's key."""
        return [(f"{folder}:{path.relative_to(folder).as_posix()}", path.read_bytes())
                for folder in self.folders for path in sorted(folder.rglob("*"))
                if path.is_file() and path.relative_to(folder).parts[0] != "static"]


def project_theme(project: Path) -> Theme:
    """The theme of a project: its `templates/` over the default theme."""
    return Theme(tuple(p for p in (project / "templates", THEME) if p.is_dir()))


class Renderer:
    """The template environment of a theme and settings; renders pages to bytes. `compiled`
    keeps the templates compiled between processes."""

    def __init__(self, theme: Theme, config: SiteConfig, drafts: bool = False,
                 compiled: jinja2.BytecodeCache | None = None) -> None:
        self.folders = theme.folders
        self.urls = Urls(config.base_url)
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(f)) for f in self.folders]),
            autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=False,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            bytecode_cache=compiled)
        self.env.globals.update(url=self.url, abs_url=self.abs_url, fragment=self.fragment,
                                each=self.each, menu_state=self.menu_state, site=config,
                                generator=f"site_builder {__version__}", show_drafts=drafts,
                                linked_data=LinkedData(config, self.abs_url))
        self.env.filters.update(url=self.url, abs_url=self.abs_url, counted=counted,
                                json_ld=json_ld)
        self.globals = dict(self.env.globals)
        self.links: dict[str, str] = {}
        self.absolute_links: dict[str, str] = {}
        self.fragments: dict[tuple, Markup] = {}
        self.by_item: dict[tuple, dict[int, tuple[Any, Markup]]] = {}
        self.menu = config.menu

    def url(self, target: Any) -> str:
        """The link to a record, page or site path, under the site's prefix."""
        path = site_path(target)
        link = self.links.get(path)
        if link is None:
            link = self.links[path] = self.urls.url(path)
        return link

    def abs_url(self, target: Any) -> str:
        """The absolute URL of a record, page or site path."""
        path = site_path(target)
        link = self.absolute_links.get(path)
        if link is None:
            link = self.absolute_links[path] = self.urls.absolute(path)
        return link

    def fragment(self, name: str, **variables: Any) -> Markup:
        """A small template rendered once per build for each set of (hashable) variables."""
        key = (name, *sorted(variables.items()))
        html = self.fragments.get(key)
        if html is None:
            html = self.fragments[key] = Markup(self._made(name, variables))
        return html

    def _made(self, name: str, variables: dict[str, Any]) -> str:
        """A template's output for some variables and the environment's globals.

        It is made as a template module whose context holds exactly these (`shared`), which
        spares copying the globals into a new context for every page and fragment; a
        template that fails is rendered again the usual way, for Jinja to report it at the
        template's own lines."""
        template = self.env.get_template(name)
        try:
            return str(template.make_module({**self.globals, **variables}, shared=True))
        except Exception:
            return template.render(variables)

    def each(self, name: str, variable: str, items: Any, **more: Any) -> Markup:
        """The fragment `name` for every item of a list, joined.

        The items (cards and timeline items, made once per build) are found again by
        identity, which is much faster than hashing them; each is kept with its fragment,
        so no other object can take its identity while the fragment is remembered.
        """
        made = self.by_item.setdefault((name, variable, *sorted(more.items())), {})
        parts = []
        for item in items:
            known = made.get(id(item))
            if known is None or known[0] is not item:
                known = made[id(item)] = (item, self.fragment(name, **{variable: item}, **more))
            parts.append(known[1])
        return Markup("".join(parts))

    def menu_state(self, page: PageSpec) -> tuple[str, ...]:
        """For each menu item, its `aria-current` on a page: `page` on the page it leads to,
        `true` on the other pages of its section (the deepest one that holds the page)."""
        targets = [item.target for item in self.menu]
        holding = [t for t in targets if t != "/" and t.endswith("/") and page.path.startswith(t)]
        section = max(holding, key=len, default="")
        return tuple("page" if t == page.path else "true" if t == section else "" for t in targets)

    def render(self, page: PageSpec, context: dict[str, Any]) -> bytes | ContentError:
        """The page's bytes, or the template problem that stopped it."""
        try:
            return self._made(page.template, {**context, "page": page}).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            return ContentError(self._display(exc.filename, exc.name), exc.lineno or 1, 1,
                                f"template error: {exc.message}")
        except jinja2.TemplateNotFound as exc:
            return ContentError(f"templates/{page.template}", 1, 1,
                                f"template `{exc.name}` not found", "restore it from `briefing init`")
        except Exception as exc:  # a template raising must not take the build down
            name, line = self._template_frame(exc)
            return ContentError(name, line, 1, f"template error: {template_message(exc)}")

    def _display(self, filename: str | None, name: str | None) -> str:
        if filename:
            for folder in self.folders:
                path = Path(filename)
                if path.is_relative_to(folder):
                    label = "templates" if folder.name == "templates" else "theme"
                    return f"{label}/{path.relative_to(folder).as_posix()}"
        return f"templates/{name or '?'}"

    def _template_frame(self, exc: BaseException) -> tuple[str, int]:
        """The innermost template file and line in an exception's traceback."""
        found = ("templates/?", 1)
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml", ".txt")):
                found = (self._display(frame.filename, None), frame.lineno or 1)
        return found
