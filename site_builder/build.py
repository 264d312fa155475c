"""Orchestration: run the stages over a project folder, time each, and write `output/`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.config import SiteConfig, load_config
from site_builder.content import Content, load_content
from site_builder.errors import BuildFailed, ContentError
from site_builder.graph import Site, link_site
from site_builder.linker import Linker
from site_builder.markdown import RenderedBody, render_inline, render_markdown
from site_builder.output import MARKER, OutputError, StagedOutput, check_output_folder
from site_builder.pages import Page, plan_pages
from site_builder.records import Brief
from site_builder.render import THEME, Renderer
from site_builder.urls import Urls

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """What a build did, for the summary line."""

    pages: int = 0
    files: int = 0
    briefs: int = 0
    companies: int = 0
    events: int = 0
    seconds: float = 0.0
    timings: list[tuple[str, float]] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)


@dataclass(frozen=True)
class BuildOptions:
    """How to build a project."""

    project: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False


class _Stages:
    """Times each stage and gathers errors; stops the build when a stage found any."""

    def __init__(self, result: BuildResult, report: Callable[[str, float], None]) -> None:
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
        fatal = [e for e in self.errors if not e.warning]
        if fatal:
            raise BuildFailed(self.errors)


def build(options: BuildOptions,
          report: Callable[[str, float], None] = lambda name, seconds: None) -> BuildResult:
    """Build a project into its output folder; raise BuildFailed with every content error."""
    started = time.perf_counter()
    result = BuildResult()
    stages = _Stages(result, report)
    project = options.project
    output = options.output or project / "output"
    with stages.stage("settings"):
        config = load_config(project, options.base_url)
        try:
            check_output_folder(output, project)
        except OutputError as exc:
            raise BuildFailed([ContentError(str(output), 1, 1, str(exc))]) from None
    site = assemble_site(project, config, options.drafts, stages)
    with stages.stage("plan"):
        pages, errors = plan_pages(site)
        stages.add(errors)
        stages.stop_on_errors()
    renderer = Renderer(project, config, options.drafts)
    with StagedOutput(output) as staged:
        with stages.stage("render"):
            _render_all(renderer, pages, staged, stages)
        with stages.stage("write"):
            _copy_assets(project, staged, config)
            staged.commit()
    result.pages = len(pages)
    result.files = staged.written
    result.briefs, result.companies = len(site.briefs), len(site.companies)
    result.events = sum(1 for e in site.timeline if e.kind == "event")
    result.warnings = [e for e in stages.errors if e.warning]
    result.seconds = time.perf_counter() - started
    return result


def assemble_site(project: Path, config: SiteConfig, drafts: bool = False,
                  stages: _Stages | None = None) -> Site:
    """Load, render bodies and link: the Site of a project, or BuildFailed."""
    stages = stages or _Stages(BuildResult(), lambda name, seconds: None)
    with stages.stage("load"):
        content = load_content(project, config.strict)
        stages.add(content.errors)
        stages.stop_on_errors()
    briefs = [b for b in content.briefs if drafts or not b.draft]
    with stages.stage("markdown"):
        linker = Linker(content.companies, briefs, Urls(config.base_url), strict=config.strict,
                        timeline_title=config.timeline_title,
                        drafts=[b.slug for b in content.briefs if b.draft and not drafts])
        stages.add(linker.errors)
        bodies, takeaways = _render_bodies(config, briefs, content, linker, stages)
    with stages.stage("link"):
        site, errors = link_site(config, briefs, content.companies, bodies, takeaways, linker)
        stages.add(errors)
        stages.stop_on_errors()
    return site


def _render_bodies(config: SiteConfig, briefs: list[Brief], content: Content, linker: Linker,
                   stages: _Stages) -> tuple[dict[tuple[str, str], RenderedBody],
                                             dict[str, tuple[str, ...]]]:
    """Every brief and company body in HTML, each with the links its prose makes."""
    bodies: dict[tuple[str, str], RenderedBody] = {}
    takeaways: dict[str, tuple[str, ...]] = {}
    for brief in briefs:
        body = render_markdown(brief.body, linker, path=brief.path, first_line=brief.body_line,
                               allow_html=config.allow_html)
        bodies[("brief", brief.slug)] = body
        lines = [render_inline(t.target, linker, path=brief.path, line=t.line,
                               allow_html=config.allow_html) for t in brief.takeaways]
        takeaways[brief.slug] = tuple(line.html for line in lines)
        stages.add(body.errors + tuple(e for line in lines for e in line.errors))
    for company in content.companies:
        own = frozenset([("company", company.slug),
                         *(("person", company.slug, p.anchor) for p in company.people)])
        body = render_markdown(company.body, linker, path=company.path,
                               first_line=company.body_line, allow_html=config.allow_html,
                               exclude=own)
        bodies[("company", company.slug)] = body
        stages.add(body.errors)
    return bodies, takeaways


def _render_all(renderer: Renderer, pages: list[Page], staged: StagedOutput,
                stages: _Stages) -> None:
    for page in pages:
        rendered = renderer.render(page)
        if isinstance(rendered, ContentError):
            stages.add([rendered])
        else:
            staged.write(page.output, rendered)
    stages.stop_on_errors()


def _copy_assets(project: Path, staged: StagedOutput, config: SiteConfig) -> None:
    """Theme and project static files, media, `.nojekyll` and `CNAME`."""
    if (THEME / "static").is_dir():
        staged.copy_tree(THEME / "static", "static")
    if (project / "templates" / "static").is_dir():
        staged.copy_tree(project / "templates" / "static", "static")
    if (project / "content" / "media").is_dir():
        staged.copy_tree(project / "content" / "media", "media")
    staged.write(MARKER, b"")
    if config.cname:
        staged.write("CNAME", config.cname.encode() + b"\n")
