"""Render stage: a Page turned into bytes through one Jinja environment."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Macro
from markupsafe import Markup

from site_builder import __version__
from site_builder.load.settings import SiteConfig
from site_builder.counts import counted
from site_builder.errors import ContentError
from site_builder.plan.pages import Page
from site_builder.plan.views import path_of
from site_builder.urls import Urls

THEME = Path(__file__).parent / "theme"
_NO_ATTRIBUTE = re.compile(r"^'(?P<owner>.+?)' has no attribute '(?P<name>.+)'$")
_UNDEFINED = re.compile(r"^'(?P<name>.+)' is undefined$")
_TEMPLATE_NAMES = {"dict": "this mapping", "tuple": "this list", "list": "this list",
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


def escape_replacing(text: str) -> str:
    """What markupsafe's escaping does to a string, where its C version is missing."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;") \
        .replace("'", "&#39;").replace('"', "&#34;")


_escape_text = getattr(markupsafe, "_escape_inner", escape_replacing)  # markupsafe's own, in C


def escape_output(value: Any) -> str:
    """`markupsafe.escape` for a value a template writes out: the same text, but a plain
    string (the template joins it at once), so no `Markup` is made for every value."""
    if type(value) is str:
        return _escape_text(value)
    html = getattr(value, "__html__", None)
    return html() if html is not None else _escape_text(str.__str__(str(value)))


class _CodeGenerator(CodeGenerator):
    """Compiles `{{ value }}` under autoescape to `escape_output(value)`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Context(jinja2.runtime.Context):
    """A context that calls macros and the renderer's helpers straight away.

    Jinja asks every callable whether it wants the context, the environment or the
    evaluation context passed first, through attribute lookups that fail; macros and the
    helpers never want any of them.
    """

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if __obj.__class__ is not Macro and id(__obj) not in __self.environment.helpers:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined("value was undefined because a callable "
                                                "raised a StopIteration exception")


class _Environment(jinja2.Environment):
    """An environment whose templates see its globals as one plain dict, and write values and
    call helpers without Jinja's general-purpose detours.

    Jinja's default chain of mappings is copied into every context a render makes, which
    costs more than the rest of making the context; globals are all set before the first
    template is loaded, so nothing is lost.
    """

    code_generator_class = _CodeGenerator
    context_class = _Context
    escape_output = staticmethod(escape_output)
    helpers: frozenset[int] = frozenset()

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class Renderer:
    """Holds the template environment for a project; renders pages to bytes."""

    def __init__(self, project: Path, config: SiteConfig, drafts: bool = False,
                 settings: str = "") -> None:
        self.settings = settings
        folders = [p for p in (project / "templates", THEME) if p.is_dir()]
        self.folders = folders
        self.urls = Urls(config.base_url)
        self.env = _Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(f)) for f in folders]),
            autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=False,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        helpers = {"url": self.url, "abs_url": self.abs_url, "fragment": self.fragment,
                   "each": self.each, "menu_state": self.menu_state}
        self.env.globals.update(helpers, site=config, generator=f"site_builder {__version__}",
                                show_drafts=drafts)
        self.env.helpers = frozenset(id(helper) for helper in helpers.values())
        self.env.filters["counted"] = counted
        self.fragments: dict[tuple, Markup] = {}
        self.by_item: dict[tuple, dict[int, tuple[Any, Markup]]] = {}
        self.links: dict[str, str] = {}
        self.absolute_links: dict[str, str] = {}
        self.menu = config.menu

    def fragment(self, name: str, **variables: Any) -> Markup:
        """A small template rendered once per build for each set of (hashable) variables."""
        key = (name, *sorted(variables.items()))
        html = self.fragments.get(key)
        if html is None:
            html = self.fragments[key] = Markup(self.env.get_template(name).render(variables))
        return html

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

    def menu_state(self, page: Page) -> tuple[str, ...]:
        """For each menu item, its `aria-current` on a page: `page` on the page it leads to,
        `true` on the other pages of its section (the deepest one that holds the page)."""
        targets = [item.target for item in self.menu]
        holding = [t for t in targets if t != "/" and t.endswith("/") and page.path.startswith(t)]
        section = max(holding, key=len, default="")
        return tuple("page" if t == page.path else "true" if t == section else "" for t in targets)

    def new_build(self) -> None:
        """Forget the fragments and links of the last build, so memory stays bounded."""
        self.fragments.clear()
        self.by_item.clear()
        self.links.clear()
        self.absolute_links.clear()

    def url(self, target: Any) -> str:
        """The link to a record, page or site path, under the site's prefix."""
        path = path_of(target)
        link = self.links.get(path)
        if link is None:
            link = self.links[path] = self.urls.url(path)
        return link

    def abs_url(self, target: Any) -> str:
        """The absolute URL of a record, page or site path."""
        path = path_of(target)
        link = self.absolute_links.get(path)
        if link is None:
            link = self.absolute_links[path] = self.urls.absolute(path)
        return link

    def render(self, page: Page) -> bytes | ContentError:
        """The page's bytes, or the template problem that stopped it."""
        page = page.filled()
        try:
            template = self.env.get_template(page.template)
            return template.render(page.context, page=page).encode("utf-8")
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
