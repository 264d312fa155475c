"""Orchestration: run the stages over a project folder, time each, reuse what is unchanged."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from site_builder.engine.texts import BodyStore, Stored
from site_builder.cards import CardFont, CardStore, find_font, needs_cjk
from site_builder.load.settings import SiteConfig, read_settings
from site_builder.check import broken_links
from site_builder.load.content import Content, Record, load_content, read_body
from site_builder.counts import counted
from site_builder.engine.digest import digest, digest_bytes
from site_builder.errors import BuildFailed, ContentError
from site_builder.link import Site, link_site
from site_builder.references import Linker, Unloaded
from site_builder.markdown.render import Link, RenderedBody, render_inline, render_markdown
from site_builder.output import (MARKER, LiveOutput, OutputError, StagedOutput,
                                 check_output_folder)
from site_builder.plan.pages import Page, PageEntry, Plan, page_entry, plan_pages
from site_builder.parallel import default_jobs, parallel_map, run_aside
from site_builder.model.records import Brief, Company, Standalone
from site_builder.search import FOLDER as SEARCH_FOLDER, INDEXED, index_site
from site_builder.render import THEME, Failure, Renderer, grouped
from site_builder.engine.cache import (GENERATOR, BuildCache, PickledAhead, cache_folder, load_cache,
                                save_cache)
from site_builder.urls import Urls, brief_path, company_path, page_path

log = logging.getLogger(__name__)
_UNSET = object()
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

    @property
    def processes(self) -> int:
        """The number of processes to use."""
        return self.jobs if self.jobs > 0 else default_jobs()


class _Output(Protocol):
    changed: list[str]
    written: int

    def keep(self, relative: str) -> bool: ...
    def prepare(self, relative: str, data: bytes) -> tuple: ...
    def accept(self, *result: Any) -> None: ...
    def write(self, relative: str, data: bytes) -> None: ...
    def copy_tree(self, source: Path, relative: str) -> None: ...
    def commit(self) -> None: ...
    def prepare_next(self) -> Callable[[], None] | None: ...


class _Stages:
    """Times each stage and gathers errors; stops the build when a stage found any."""

    def __init__(self, result: BuildResult, report: Report, progress: Progress | None) -> None:
        self.result = result
        self.report = report
        self.progress = progress
        self.errors: list[ContentError] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.result.timings.append((name, elapsed))
        self.report(name, elapsed)

    def counter(self, what: str, total: int) -> Callable[[int], None] | None:  # noqa: D401
        """A callback that reports progress on `total` items of one kind."""
        if self.progress is None or total == 0:
            return None
        done = [0]
        progress = self.progress

        def advance(count: int) -> None:
            done[0] += count
            progress(what, done[0], total)
        return advance

    def add(self, errors: list[ContentError] | tuple[ContentError, ...]) -> None:
        self.errors.extend(errors)

    @property
    def failed(self) -> bool:
        """Whether an error (not only warnings) was found."""
        return any(not e.warning for e in self.errors)

    def stop_on_errors(self) -> None:
        if self.failed:
            raise BuildFailed(self.errors)


def _quiet(name: str, seconds: float) -> None:
    """A report that prints nothing."""


def build(options: BuildOptions, report: Report = _quiet,
          progress: Progress | None = None) -> BuildResult:
    """Build a project into its output folder; raise BuildFailed with every content error."""
    return Builder(options).build(report, progress)


class Builder:
    """Builds one project, again and again, reusing every unchanged stage result.

    Without `live`, each build assembles a new output folder beside the old one and swaps
    it in, and keeps its cache in `.cache/build`; with `live`, the folder is updated in
    place and the cache stays in memory.
    """

    def __init__(self, options: BuildOptions, cache: BuildCache | None = None,
                 live: Path | None = None) -> None:
        self.options = options
        self.live = live
        project = options.project
        self.cache_folder = cache_folder(project, "preview" if live else "build")
        self.cache = cache
        self.bodies = BodyStore(self.cache_folder / "bodies")
        self.cards = CardStore(self.cache_folder / "cards")
        self.font: Any = _UNSET
        self.jobs = options.processes
        self.ahead: PickledAhead | None = None

    def build(self, report: Report = _quiet, progress: Progress | None = None) -> BuildResult:
        """One build; raise BuildFailed with every content error and leave the output as it was.

        The garbage collector is paused while it runs: a build makes almost no reference
        cycles (a few hundred objects over a build of 10,000 briefs), and the collector
        would scan every object the serial stages make, again and again.
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._build(report, progress)
        finally:
            if self.ahead is not None:
                self.ahead.stop()
            if collecting:
                gc.enable()

    def _build(self, report: Report, progress: Progress | None) -> BuildResult:
        started = time.perf_counter()
        result = BuildResult()
        stages = _Stages(result, report, progress)
        project = self.options.project
        output = self.live or self.options.output or project / "output"
        with stages.stage("settings"):
            config, errors = read_settings(project, self.options.base_url)
            stages.add(errors)
            if self.live is None:
                _check_output(output, project)
            cache = self._load_cache()
            renderer = self._renderer(cache, project, config)
        self.ahead = PickledAhead(cache, self.jobs) if self._saving else None
        site = assemble_site(project, config, self.options.drafts, stages, cache, self.jobs,
                             self.bodies, self._rendered_bodies)
        if self.ahead:
            self.ahead.start(relations=cache.links.relations)
        if self.jobs > 1:
            gc.freeze()  # the site lives as long as the build: see parallel_map
        with stages.stage("plan"):
            plan = plan_pages(site, cache.plan, renderer.settings)
            stages.add(plan.errors + _font_warnings(plan, self.font if config.cards else None))
        target: Any = LiveOutput(output, cache.live, (SEARCH_FOLDER,)) if self.live else \
            StagedOutput(output, cache.outputs)
        with target:
            with stages.stage("render"):
                plan, entries = self._render(renderer, plan, site, target, stages, result,
                                             self.ahead.take_in if self.ahead else None)
                _copy_assets(project, target, config)
            with stages.stage("links"):
                stages.add(broken_links(_written_links(site), target.produced, target.read,
                                        config.strict))
                stages.stop_on_errors()
            if config.search and self.live is None:
                with stages.stage("search"):
                    self._index(target, dict(plan.kept) | entries, stages)
            with stages.stage("write"):
                target.commit()
                cache.plan.remember(plan, entries)
                self._compact_bodies(cache)
                self._save_cache_beside(cache, target.prepare_next())
        result.search = config.search
        result.pages = len(plan.pages) + len(plan.kept)
        result.files, result.changed = target.written, target.changed
        result.briefs, result.companies = len(site.briefs), len(site.companies)
        result.drafts_left_out = site.drafts_left_out
        result.events = len(site.relations.timeline) - len(site.briefs)
        result.warnings = [e for e in stages.errors if e.warning]
        result.seconds = time.perf_counter() - started
        return result

    def _load_cache(self) -> BuildCache:
        if self.cache is None:
            self.cache = load_cache(self.cache_folder, self.options.project) if self._saving \
                else BuildCache()
        if not self.bodies.matches(self.cache.body_store) or \
                not self.bodies.holds(_stored_bodies(self.cache)):
            self.cache.bodies = {}
            self.cache.body_store = self.bodies.mark()
        return self.cache

    @property
    def _saving(self) -> bool:
        """Whether this build keeps its cache on disk."""
        return self.options.cache and self.live is None

    def _save_cache(self, cache: BuildCache) -> None:
        if self._saving:
            save_cache(self.cache_folder, self.options.project, cache)

    def _compact_bodies(self, cache: BuildCache) -> None:
        """Drop the bodies no build names any more, once they take much of the store."""
        moved = self.bodies.compact(_stored_bodies(cache))
        if moved:
            cache.bodies = {key: (body._replace(stored=moved.get(body.stored, body.stored)), lines)
                            for key, (body, lines) in cache.bodies.items()}

    def _save_cache_beside(self, cache: BuildCache, task: Callable[[], None] | None) -> None:
        """Save the cache while another process does `task` (in this one with one job)."""
        aside = run_aside(task) if task is not None and self.jobs > 1 else None
        if task is not None and aside is None:
            _unless_it_fails(task)
        self._save_cache(cache)
        if aside is not None:
            _unless_it_fails(aside.wait)

    def _rendered_bodies(self) -> None:
        """Start pickling the tables that are final once bodies are rendered."""
        if self.ahead and self.cache:
            self.ahead.start(files=self.cache.files, bodies=self.cache.bodies)

    def _renderer(self, cache: BuildCache, project: Path, config: SiteConfig) -> Renderer:
        """The template environment, made again when settings, templates or fonts change."""
        if config.cards and self.font is _UNSET:
            self.font = find_font([project / "templates" / "fonts", THEME / "fonts"])
        settings = digest(GENERATOR, config, self.options.drafts, _templates_digest(project),
                          self.font if config.cards else None)
        if cache.renderer is None or cache.renderer.settings != settings:
            cache.renderer = Renderer(project, config, self.options.drafts, settings)
        return cache.renderer

    def _render(self, renderer: Renderer, plan: Plan, site: Site, target: _Output,
                stages: _Stages, result: BuildResult,
                meanwhile: Callable[[], None] | None) -> tuple[Plan, dict[str, PageEntry]]:
        """Render each page whose key changed, in parallel; keep every other page as it is.

        Returns the plan (planned again in full if a kept page was missing from the output)
        and the entries of the pages it planned.
        """
        assert self.cache is not None
        if not all(_keep(target, entry) for _, entry in plan.kept):
            plan = plan_pages(site, None, renderer.settings)
        table = self.cache.plan.table if self.cache.plan.settings == renderer.settings else {}
        entries, todo = {}, []
        for page in plan.pages:
            known = table.get(page.path)
            if known is not None:
                page = page.filled()
                if known.key == page.key and _keep(target, known):
                    entries[page.path] = known
                    continue
            todo.append(page)
        todo.sort(key=_one_record)
        renderer.new_build()
        cards = (self.cards, self.font) if site.config.cards and not stages.failed else None
        failures: list[Failure] = []
        for outcome in parallel_map(_render_page, range(len(todo)), self.jobs,
                                    (renderer, todo, target, cards),
                                    stages.counter("pages rendered", len(todo)), meanwhile):
            if isinstance(outcome, Failure):
                failures.append(outcome)
            else:
                path, entry, placed = outcome
                entries[path] = entry
                for result_of_file in placed:
                    target.accept(*result_of_file)
                result.rendered += 1
        stages.add(grouped(failures))
        return plan, entries

    def _index(self, target: StagedOutput, entries: dict[str, PageEntry],
               stages: _Stages) -> None:
        """Index the pages for search again, unless no indexed page changed."""
        assert self.cache is not None
        indexed = sorted((e.output, target.files[e.output][0]) for e in entries.values()
                         if e.template in INDEXED and e.output in target.files)
        key = digest(indexed)
        if key == self.cache.search_key and target.keep_tree(SEARCH_FOLDER):
            return
        target.clear_tree(SEARCH_FOLDER)
        problem = index_site(target.staging)
        if problem is not None:
            stages.add([problem])
            stages.stop_on_errors()
        target.adopt_tree(SEARCH_FOLDER)
        self.cache.search_key = key


def _stored_bodies(cache: BuildCache) -> Iterator[Stored]:
    """Where the bodies the cache names lie in the store."""
    return (body.stored for body, _ in cache.bodies.values())


def _unless_it_fails(task: Callable[[], Any]) -> None:
    """Prepare the next build's folder; if that fails, the next build makes its own."""
    try:
        task()
    except Exception as exc:
        log.info("could not prepare the next build's folder: %s", exc)


def _render_page(shared: tuple[Renderer, list[Page], _Output, Any], index: int) -> Any:
    """Render one page (and draw its card), put the files in place and say what the page was
    made from (runs in any process)."""
    renderer, pages, target, cards = shared
    page = pages[index].filled()
    rendered = renderer.render(page)
    if isinstance(rendered, ContentError):
        return Failure(rendered, page.path)
    placed = [target.prepare(page.output, rendered)]
    if page.card is not None and cards is not None:
        store, font = cards
        placed.append(target.prepare(page.card_output, store.card(page.card, font)))
    return page.path, page_entry(page), placed


def _one_record(page: Page) -> bool:
    """Whether a page shows one brief or event: the many quick pages, rendered after the few
    that gather many records (company pages, the timeline, feeds, the sitemap), so that the
    workers finish together."""
    return page.template in ("brief.html", "event.html")


def _keep(target: _Output, entry: PageEntry) -> bool:
    """Keep every file of a page from the last build, if they are all there."""
    return all(target.keep(output) for output in entry.outputs)


def _font_warnings(plan: Plan, font: CardFont | None | object) -> list[ContentError]:
    """A warning when cards need Chinese, Japanese or Korean and no font draws them."""
    if font is _UNSET or (isinstance(font, CardFont) and font.cjk):
        return []
    count = sum(1 for page in plan.pages if page.card is not None and needs_cjk(page.card))
    if not count:
        return []
    return [ContentError("templates/fonts", 1, 1,
                         f"no font with Chinese, Japanese and Korean characters was found; "
                         f"{counted(count, 'link-preview card')} will show boxes "
                         "for them", "install fonts-noto-cjk, or put a .ttf, .otf or .ttc font "
                         "in templates/fonts/", warning=True)]


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
                  stages: _Stages | None = None, cache: BuildCache | None = None,
                  jobs: int = 1, bodies: BodyStore | None = None,
                  rendered_bodies: Callable[[], None] | None = None) -> Site:
    """Load, render bodies and link: the Site of a project, made of the records that loaded.

    Alone (without `stages`), it raises BuildFailed with every error it found; in a build,
    the errors are gathered in `stages`. `rendered_bodies` is called once every body is
    rendered, before linking."""
    alone = stages is None
    stages = stages or _Stages(BuildResult(), _quiet, None)
    cache = cache or BuildCache()
    bodies = bodies or BodyStore(cache_folder(project, "build") / "bodies")
    if cache.strict != config.strict:
        cache.files.clear()
        cache.strict = config.strict
    with stages.stage("load"):
        content = load_content(project, config.strict, cache.files, jobs, stages.counter)
        stages.add(content.errors)
    briefs = [b for b in content.briefs if drafts or not b.draft]
    pages = [p for p in content.pages if drafts or not p.draft]
    with stages.stage("markdown"):
        linker = Linker(content.companies, briefs, Urls(config.base_url), strict=config.strict,
                        timeline_title=config.timeline_title,
                        drafts=[b.slug for b in content.briefs if b.draft and not drafts],
                        sources={p.path: page_path(p.slug) for p in pages},
                        unloaded=Unloaded(content.unloaded["briefs"],
                                          frozenset(n.casefold()
                                                    for n in content.unloaded["companies"])))
        stages.add(linker.errors)
        rendered, takeaways = _render_bodies(project, config, [*briefs, *pages], content, linker,
                                             stages, cache, jobs, bodies)
    if rendered_bodies:
        rendered_bodies()
    with stages.stage("link"):
        site, errors = link_site(config, briefs, content.companies, rendered, takeaways, linker,
                                 cache.links, str(bodies.folder), jobs, pages)
        left_out = len(content.briefs) + len(content.pages) - len(briefs) - len(pages)
        site = replace(site, drafts_left_out=left_out)
        stages.add(errors)
    if alone:
        stages.stop_on_errors()
    return site


def _render_bodies(project: Path, config: SiteConfig, shown: list[Brief | Standalone],
                   content: Content, linker: Linker, stages: _Stages, cache: BuildCache,
                   jobs: int, bodies: BodyStore) -> tuple[dict[tuple[str, str], RenderedBody],
                                                          dict[str, tuple[str, ...]]]:
    """Every brief, page and company body rendered (or reused), with the links its prose makes."""
    records: list[Record] = [*shown, *content.companies]
    keys = [(_KINDS[type(r)], r.digest, linker.digest, config.allow_html) for r in records]
    stale = [i for i, key in enumerate(keys) if not _reusable(cache, key, linker)]
    fresh = parallel_map(_render_record, stale, jobs, (project, records, linker, config, bodies),
                         stages.counter("bodies rendered", len(stale)))
    memo = {key: cache.bodies[key] for key in keys if key in cache.bodies}
    memo.update({keys[i]: outcome for i, outcome in zip(stale, fresh)})
    rendered: dict[tuple[str, str], RenderedBody] = {}
    takeaways: dict[str, tuple[str, ...]] = {}
    for record, key in zip(records, keys):
        body, lines = memo[key]
        rendered[(key[0], record.slug)] = body
        if key[0] == "brief":
            takeaways[record.slug] = lines
        stages.add(body.errors)
    cache.bodies = memo
    return rendered, takeaways


_KINDS = {Brief: "brief", Company: "company", Standalone: "page"}


def _written_links(site: Site) -> list[tuple[str, Link]]:
    """Every link to a page of the site that a writer typed, with the file it was typed in:
    in bodies and takeaways, and the menu of the settings."""
    links = [("site.yaml", Link(item.target, "", item.line, item.column))
             for item in site.config.menu if item.line and item.target.startswith("/")]
    for (kind, slug), body in site.bodies.items():
        record = site.record(kind, slug)
        links += [(record.path, link) for link in body.links]
    return links


def _reusable(cache: BuildCache, key: tuple, linker: Linker) -> bool:
    """Whether a memoised body can be shown again: same inputs, same briefs looked up."""
    known = cache.bodies.get(key)
    if known is None:
        return False
    for slug, state in known[0].lookups:
        if linker.state(slug) != state:
            return False
    return True


def _render_record(shared: tuple, index: int) -> tuple[RenderedBody, tuple[str, ...]]:
    """Render one body (and a brief's takeaways), keep its HTML in the store (any process)."""
    project, records, linker, config, bodies = shared
    record = records[index]
    text, problem = read_body(project, record)
    if text is None:
        assert problem is not None
        return RenderedBody("", (), (), (problem,)), ()
    if isinstance(record, Brief):
        page = brief_path(record.slug)
        body = render_markdown(text, linker, path=record.path, page=page,
                               first_line=record.body_line, allow_html=config.allow_html)
        lines = [render_inline(t.target, linker, path=record.path, page=page, line=t.line,
                               allow_html=config.allow_html) for t in record.takeaways]
        body = body._replace(errors=body.errors + tuple(e for line in lines for e in line.errors),
                             lookups=tuple(sorted(set(body.lookups) | {x for line in lines
                                                                       for x in line.lookups})),
                             links=body.links + tuple(x for line in lines for x in line.links))
    elif isinstance(record, Company):
        own = frozenset([("company", record.slug),
                         *(("person", record.slug, p.anchor) for p in record.people)])
        body = render_markdown(text, linker, path=record.path, page=company_path(record.slug),
                               first_line=record.body_line, allow_html=config.allow_html,
                               exclude=own)
        lines = []
    else:
        body = render_markdown(text, linker, path=record.path, page=page_path(record.slug),
                               first_line=record.body_line, allow_html=config.allow_html)
        lines = []
    stored = bodies.put(body.html)
    return body._replace(html="", stored=stored), tuple(line.html for line in lines)


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
