"""The pipeline: every stage in order, each timed; the engine reuses what an edit left unchanged."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from site_builder.cards import CardFont, find_font, font_inputs, font_warnings
from site_builder.check import broken_links, written_links
from site_builder.engine import Engine, Run
from site_builder.engine.cache import cache_folder
from site_builder.engine.digest import digest
from site_builder.engine.pages import Cards, LaterCard, drawn_card, render_pages
from site_builder.errors import BuildFailed, ContentError
from site_builder.link import link_facts, link_site, relate
from site_builder.load.content import content_files, file_signature, gather, parse_file
from site_builder.load.settings import read_settings
from site_builder.markdown.render import render_body
from site_builder.model.records import kind_of
from site_builder.output import copy_assets, open_output, output_tables
from site_builder.output.live import LiveOutput
from site_builder.output.staged import StagedOutput
from site_builder.plan.outline import card_of, outline_of
from site_builder.plan.pages import SHARE_IMAGE, plan_pages, share_card
from site_builder.plan.views import Views
from site_builder.references import linker_for
from site_builder.model.settings import SiteConfig
from site_builder.render import Renderer, Theme, project_theme
from site_builder.search import Shard, index_search, plan_shards

Report = Callable[[str, float], None]
Progress = Callable[[str, int, int], None]


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
    search: bool = False
    indexed: list[str] = field(default_factory=list)  # the search shards indexed again
    cards_later: list[LaterCard] = field(default_factory=list)  # left for the preview to draw
    shards: list[Shard] = field(default_factory=list)  # the search index's shards
    drafts_left_out: int = 0


@dataclass(frozen=True)
class BuildOptions:
    """How to build a project."""

    project: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    jobs: int = 0
    cache: bool = True


def build(options: BuildOptions, report: Report = lambda stage, seconds: None,
          progress: Progress | None = None) -> BuildResult:
    """Build a project into its output folder; raise BuildFailed with every error."""
    return Builder(options, progress=progress).build(report)


class Builder:
    """Builds one project again and again with one engine: into `output/` (swapped in whole),
    or, with `live`, into a folder served by the preview (updated in place)."""

    def __init__(self, options: BuildOptions, live: Path | None = None,
                 progress: Progress | None = None) -> None:
        self.options = options
        self.live = live
        self.engine = Engine(cache_folder(options.project, "preview" if live else "build"),
                             options.project, options.jobs, options.cache and live is None,
                             progress)

    def build(self, report: Report = lambda stage, seconds: None) -> BuildResult:
        """One build; raise BuildFailed with every error and leave the output as it was."""
        with self.engine.run() as run:
            try:
                result = self._build(run, Stages(report))
            except BuildFailed:
                self.engine.finish(run, succeeded=False)
                raise
            self.engine.finish(run, succeeded=True)
            return result

    def _font(self, run: Run, theme: Theme) -> CardFont | None:
        """The font cards are drawn with: the project's or the system's."""
        folders = [folder / "fonts" for folder in theme.folders]
        return run.memo(find_font, folders, key=font_inputs(folders))

    def _cards(self, font: CardFont | None | bool, failed: bool) -> Cards | None:
        """Where cards are kept and the font they are drawn with, when this build draws them;
        the preview leaves the cards it has not drawn before for later."""
        if font is False or failed:
            return None
        return Cards(self.engine.blobs("cards"), font, later=self.live is not None)

    def _share_image(self, run: Run, theme: Theme, config: SiteConfig,
                     output: StagedOutput | LiveOutput) -> None:
        """The site's own link-preview image, drawn from its title and description, unless the
        project's `templates/static/` has one."""
        share = SHARE_IMAGE.lstrip("/")
        if not any((folder.parent / share).is_file() for folder in theme.static):
            output.write(share, drawn_card(self.engine.blobs("cards"), share_card(config),
                                           self._font(run, theme)))

    def _build(self, run: Run, stages: Stages) -> BuildResult:
        started, options, project = time.perf_counter(), self.options, self.options.project
        with stages("settings"):
            config, errors = read_settings(project, options.base_url)
            stages.add(errors)
            theme = project_theme(project)
            output = open_output(run, project, self.live or options.output or project / "output",
                                 live=self.live is not None)
        with stages("load"):
            files, errors = content_files(project)
            parsed = run.map(partial(parse_file, config.strict), files, key=file_signature,
                             aside="body", label="files read")
            content = gather(parsed)
            stages.add(errors + list(content.errors))
        with stages("markdown"):
            sources = {file.relative: run.digest_of(p) for file, p in zip(files, parsed)}
            linker = linker_for(config, content, options.drafts)
            names = digest(linker.inputs, config.allow_html)
            briefs, pages = content.published(options.drafts)
            records = [*briefs, *pages, *content.companies]
            bodies = run.map(partial(render_body, linker, config.allow_html),
                             [(record, content.bodies[record.path]) for record in records],
                             key=lambda item: (sources[item[0].path], names),
                             valid=lambda body: all(linker.state(name) == state
                                                    for name, state in body.lookups),
                             aside="html", label="bodies rendered")
            stages.add(linker.errors + [e for body in bodies for e in body.errors])
        with stages("link"):
            facts = run.fingerprints(link_facts, briefs, key=lambda brief: sources[brief.path])
            prose = {brief.slug: body.companies for brief, body in zip(briefs, bodies)}
            relations_key = (names, facts, prose)
            relations = run.memo(relate, linker, briefs, content.companies, prose,
                                 key=relations_key)
            site = link_site(config, content, {(kind_of(r), r.slug): body for r, body
                                               in zip(records, bodies)}, relations,
                             options.drafts)
            stages.add(relations.errors)
        with stages("plan"):
            cards = run.map(card_of, records, key=lambda record: sources[record.path], cheap=True)
            outline = outline_of(site, {r.path: card for r, card in zip(records, cards)})
            font = self._font(run, theme) if config.cards else False  # False: no cards
            settings_key = digest(config, options.drafts, theme.files(), font)
            outline_key = digest(settings_key, run.digest_of(relations),
                                 [run.digest_of(card) for card in cards])
            plan = run.memo(plan_pages, outline, key=outline_key)
            stages.add(list(plan.errors) + font_warnings(plan, font))
        with output:
            with stages("render"):
                held = {(kind_of(r), r.slug): (sources[r.path], run.digest_of(body))
                        for r, body in zip(records, bodies)}
                renderer = Renderer(theme, config, options.drafts,
                                    self.engine.compiled_templates(digest(config, options.drafts)))
                rendered = render_pages(run, output, renderer,
                                        site, Views(outline), plan, outline_key, settings_key,
                                        held, self._cards(font, stages.failed))
                stages.add(rendered.errors)
                copy_assets(project, theme, output, config)
                self._share_image(run, theme, config, output)
            with stages("links"):
                stages.add(broken_links(written_links(site), output.produced, output.read,
                                        config.strict, unrendered=rendered.failed))
                stages.stop_on_errors()
            indexed: list[str] = []
            shards = plan_shards(plan.pages) if config.search else []
            if config.search and self.live is None:
                with stages("search"):
                    problems, indexed = index_search(run, output, shards,
                                                     self.engine.scratch("search"),
                                                     self.engine.jobs)
                    stages.add(problems)
                    stages.stop_on_errors()
            with stages("write"):
                output.commit()
                run.remember(**output_tables(output))
        return BuildResult(
            pages=len(plan.pages), files=output.written, rendered=rendered.count,
            briefs=len(site.briefs), companies=len(site.companies),
            events=len(relations.timeline),
            seconds=time.perf_counter() - started, timings=stages.timings,
            warnings=stages.warnings, changed=output.changed, search=config.search,
            indexed=indexed, cards_later=rendered.later,
            shards=shards,
            drafts_left_out=site.drafts_left_out)


class Stages:
    """Times each stage and gathers the errors of all of them."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.timings: list[tuple[str, float]] = []
        self.errors: list[ContentError] = []

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.timings.append((name, elapsed))
        self.report(name, elapsed)

    def add(self, errors: list[ContentError] | tuple[ContentError, ...]) -> None:
        self.errors.extend(errors)

    @property
    def failed(self) -> bool:
        """Whether an error (not only warnings) was found."""
        return any(not e.warning for e in self.errors)

    @property
    def warnings(self) -> list[ContentError]:
        return [e for e in self.errors if e.warning]

    def stop_on_errors(self) -> None:
        if self.failed:
            raise BuildFailed(self.errors)
