"""Orchestration: run the stages over a project folder, time each, reuse what is unchanged."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from site_builder import __version__
from site_builder.config import SiteConfig, load_config
from site_builder.content import Content, FileMemo, load_content
from site_builder.digest import digest, digest_bytes
from site_builder.errors import BuildFailed, ContentError
from site_builder.graph import LinkMemo, Site, link_site
from site_builder.linker import Linker
from site_builder.markdown import RenderedBody, render_inline, render_markdown
from site_builder.output import (MARKER, LiveOutput, OutputError, StagedOutput,
                                 check_output_folder)
from site_builder.pages import PlanMemo, plan_pages
from site_builder.records import Brief, Company
from site_builder.render import THEME, Renderer
from site_builder.urls import Urls

log = logging.getLogger(__name__)
Report = Callable[[str, float], None]


@dataclass
class BuildResult:
    """What a build did, for the summary line and for live reload."""

    pages: int = 0
    files: int = 0
    rendered: int = 0
    briefs: int = 0
    companies: int = 0
    events: int = 0
    seconds: float = 0.0
    timings: list[tuple[str, float]] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BuildOptions:
    """How to build a project."""

    project: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False


@dataclass
class BuildCache:
    """What earlier builds computed; an entry is reused only while its inputs are unchanged."""

    files: dict[str, FileMemo] = field(default_factory=dict)
    bodies: dict[tuple, tuple[RenderedBody, tuple[RenderedBody, ...]]] = field(default_factory=dict)
    pages: dict[str, tuple] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    links: LinkMemo = field(default_factory=LinkMemo)
    plan: PlanMemo = field(default_factory=PlanMemo)
    strict: bool | None = None
    page_settings: str = ""
    renderer: Renderer | None = None


class _Output(Protocol):
    changed: list[str]
    written: int

    def keep(self, relative: str) -> bool: ...
    def write(self, relative: str, data: bytes) -> None: ...
    def copy_tree(self, source: Path, relative: str) -> None: ...
    def commit(self) -> None: ...


class _Stages:
    """Times each stage and gathers errors; stops the build when a stage found any."""

    def __init__(self, result: BuildResult, report: Report) -> None:
        self.result = result
        self.report = report
        self.errors: list[ContentError] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.result.timings.append((name, elapsed))
        self.report(name, elapsed)

    def add(self, errors: list[ContentError] | tuple[ContentError, ...]) -> None:
        self.errors.extend(errors)

    def stop_on_errors(self) -> None:
        if any(not e.warning for e in self.errors):
            raise BuildFailed(self.errors)


def _quiet(name: str, seconds: float) -> None:
    """A report that prints nothing."""


def build(options: BuildOptions, report: Report = _quiet) -> BuildResult:
    """Build a project into its output folder; raise BuildFailed with every content error."""
    return Builder(options).build(report)


class Builder:
    """Builds one project, again and again, reusing every unchanged stage result.

    Without `live`, each build writes a fresh output folder and swaps it in; with `live`,
    the folder is updated in place and only changed files are written.
    """

    def __init__(self, options: BuildOptions, cache: BuildCache | None = None,
                 live: Path | None = None) -> None:
        self.options = options
        self.cache = cache or BuildCache()
        self.live = live

    def build(self, report: Report = _quiet) -> BuildResult:
        """One build; raise BuildFailed with every content error and leave the output as it was."""
        started = time.perf_counter()
        result = BuildResult()
        stages = _Stages(result, report)
        project = self.options.project
        output = self.live or self.options.output or project / "output"
        with stages.stage("settings"):
            config = load_config(project, self.options.base_url)
            if self.live is None:
                _check_output(output, project)
            renderer = self._renderer(project, config)
        site = assemble_site(project, config, self.options.drafts, stages, self.cache)
        with stages.stage("plan"):
            pages, errors = plan_pages(site, self.cache.plan)
            stages.add(errors)
            stages.stop_on_errors()
        target = LiveOutput(output, self.cache.outputs) if self.live else StagedOutput(output)
        with target:
            with stages.stage("render"):
                keys = self._render(renderer, pages, target, stages, result)
            with stages.stage("write"):
                _copy_assets(project, target, config)
                target.commit()
        self.cache.pages = keys
        result.pages, result.files, result.changed = len(pages), target.written, target.changed
        result.briefs, result.companies = len(site.briefs), len(site.companies)
        result.events = sum(1 for e in site.relations.timeline if e.kind == "event")
        result.warnings = [e for e in stages.errors if e.warning]
        result.seconds = time.perf_counter() - started
        return result

    def _renderer(self, project: Path, config: SiteConfig) -> Renderer:
        """The template environment, kept while settings and templates are unchanged."""
        settings = digest(__version__, config, self.options.drafts, _templates_digest(project))
        if settings != self.cache.page_settings or self.cache.renderer is None:
            self.cache.page_settings = settings
            self.cache.pages = {}
            self.cache.renderer = Renderer(project, config, self.options.drafts)
        return self.cache.renderer

    def _render(self, renderer: Renderer, pages: list, target: _Output, stages: _Stages,
                result: BuildResult) -> dict[str, tuple]:
        """Render each page whose key changed; return the keys of the pages now in place."""
        keys = {}
        renderer.new_build()
        for page in pages:
            keys[page.path] = page.key
            if self.cache.pages.get(page.path) == page.key and target.keep(page.output):
                continue
            rendered = renderer.render(page)
            if isinstance(rendered, ContentError):
                stages.add([rendered])
            else:
                target.write(page.output, rendered)
                result.rendered += 1
        stages.stop_on_errors()
        return keys


def _check_output(output: Path, project: Path) -> None:
    try:
        check_output_folder(output, project)
    except OutputError as exc:
        raise BuildFailed([ContentError(str(output), 1, 1, str(exc))]) from None


def _templates_digest(project: Path) -> str:
    """A fingerprint of every template file (static assets are copied, not rendered)."""
    parts = []
    for folder in (project / "templates", THEME):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and relative.parts[0] != "static":
                    parts.append((str(folder), relative.as_posix(), digest_bytes(path.read_bytes())))
    return digest(parts)


def assemble_site(project: Path, config: SiteConfig, drafts: bool = False,
                  stages: _Stages | None = None, cache: BuildCache | None = None) -> Site:
    """Load, render bodies and link: the Site of a project, or BuildFailed."""
    stages = stages or _Stages(BuildResult(), _quiet)
    cache = cache or BuildCache()
    if cache.strict != config.strict:
        cache.files.clear()
        cache.strict = config.strict
    with stages.stage("load"):
        content = load_content(project, config.strict, cache.files)
        stages.add(content.errors)
        stages.stop_on_errors()
    briefs = [b for b in content.briefs if drafts or not b.draft]
    with stages.stage("markdown"):
        linker = Linker(content.companies, briefs, Urls(config.base_url), strict=config.strict,
                        timeline_title=config.timeline_title,
                        drafts=[b.slug for b in content.briefs if b.draft and not drafts])
        stages.add(linker.errors)
        bodies, takeaways = _render_bodies(config, briefs, content, linker, stages, cache)
    with stages.stage("link"):
        site, errors = link_site(config, briefs, content.companies, bodies, takeaways, linker,
                                 cache.links)
        stages.add(errors)
        stages.stop_on_errors()
    return site


def _render_bodies(config: SiteConfig, briefs: list[Brief], content: Content, linker: Linker,
                   stages: _Stages, cache: BuildCache
                   ) -> tuple[dict[tuple[str, str], RenderedBody], dict[str, tuple[str, ...]]]:
    """Every brief and company body in HTML, each with the links its prose makes."""
    bodies: dict[tuple[str, str], RenderedBody] = {}
    takeaways: dict[str, tuple[str, ...]] = {}
    memo: dict[tuple, tuple[RenderedBody, tuple[RenderedBody, ...]]] = {}
    for record in [*briefs, *content.companies]:
        kind = "brief" if isinstance(record, Brief) else "company"
        key = (kind, record.digest, linker.digest, config.allow_html)
        body, lines = cache.bodies.get(key) or (None, ())
        if body is None or not _lookups_hold(linker, body, *lines):
            body, lines = _render_record(record, linker, config.allow_html)
        memo[key] = (body, lines)
        bodies[(kind, record.slug)] = body
        if kind == "brief":
            takeaways[record.slug] = tuple(line.html for line in lines)
        stages.add(body.errors + tuple(e for line in lines for e in line.errors))
    cache.bodies = memo
    return bodies, takeaways


def _lookups_hold(linker: Linker, *rendered: RenderedBody) -> bool:
    """Whether every brief a render looked up still shows as it did then."""
    for result in rendered:
        for slug, state in result.lookups:
            if linker.brief_state(slug) != state:
                return False
    return True


def _render_record(record: Brief | Company, linker: Linker,
                   allow_html: bool) -> tuple[RenderedBody, tuple[RenderedBody, ...]]:
    if isinstance(record, Brief):
        body = render_markdown(record.body, linker, path=record.path,
                               first_line=record.body_line, allow_html=allow_html)
        lines = tuple(render_inline(t.target, linker, path=record.path, line=t.line,
                                    allow_html=allow_html) for t in record.takeaways)
        return body, lines
    own = frozenset([("company", record.slug),
                     *(("person", record.slug, p.anchor) for p in record.people)])
    return render_markdown(record.body, linker, path=record.path, first_line=record.body_line,
                           allow_html=allow_html, exclude=own), ()


def _copy_assets(project: Path, target: _Output, config: SiteConfig) -> None:
    """Theme and project static files, media, `.nojekyll` and `CNAME`."""
    if (THEME / "static").is_dir():
        target.copy_tree(THEME / "static", "static")
    if (project / "templates" / "static").is_dir():
        target.copy_tree(project / "templates" / "static", "static")
    if (project / "content" / "media").is_dir():
        target.copy_tree(project / "content" / "media", "media")
    target.write(MARKER, b"")
    if config.cname:
        target.write("CNAME", config.cname.encode() + b"\n")
