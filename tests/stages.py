"""The stages of a build run one after another on a small project, without the engine, through
each stage's public function: what unit tests of a later stage start from."""

from __future__ import annotations

from pathlib import Path

from site_builder.errors import ContentError
from site_builder.link import link_site, relate
from site_builder.load.content import content_files, gather, parse_file
from site_builder.load.settings import read_settings
from site_builder.markdown.render import render_body
from site_builder.model.records import kind_of
from site_builder.model.site import Site
from site_builder.plan.contexts import page_context
from site_builder.plan.outline import Outline, card_of, outline_of
from site_builder.plan.pages import plan_pages
from site_builder.plan.views import Views
from site_builder.references import linker_for
from site_builder.render import Renderer, project_theme


def site_of(root: Path, drafts: bool = False) -> tuple[Site, list[ContentError]]:
    """The site of a project folder, and every error found on the way."""
    config, errors = read_settings(root)
    files, file_errors = content_files(root)
    content = gather([parse_file(config.strict, file) for file in files])
    linker = linker_for(config, content, drafts)
    briefs, pages = content.published(drafts)
    records = [*briefs, *pages, *content.companies]
    bodies = [render_body(linker, config.allow_html, (r, content.bodies[r.path])) for r in records]
    relations = relate(linker, briefs, content.companies,
                       {b.slug: body.companies for b, body in zip(briefs, bodies)})
    site = link_site(config, content, {(kind_of(r), r.slug): body
                                       for r, body in zip(records, bodies)}, relations, drafts)
    errors += file_errors + list(content.errors) + linker.errors + \
        [e for body in bodies for e in body.errors] + list(relations.errors)
    return site, errors


def outline_for(site: Site) -> Outline:
    """The outline of a site, with the card of each of its records."""
    records = [*site.briefs, *site.pages, *site.companies]
    return outline_of(site, {record.path: card_of(record) for record in records})


def rendered(root: Path, path: str) -> str | ContentError:
    """One page of a project rendered by its theme, as text (or the template's error)."""
    site, _ = site_of(root)
    outline = outline_for(site)
    page = next(page for page in plan_pages(outline).pages if page.path == path)
    renderer = Renderer(project_theme(root), site.config)
    result = renderer.render(page, page_context(site, Views(outline), page))
    return result if isinstance(result, ContentError) else result.decode("utf-8")


def every_page(root: Path) -> dict[str, str | ContentError]:
    """Every page of a project rendered, by its path."""
    site, _ = site_of(root)
    outline = outline_for(site)
    renderer, views = Renderer(project_theme(root), site.config), Views(outline)
    found = {}
    for page in plan_pages(outline).pages:
        result = renderer.render(page, page_context(site, views, page))
        found[page.path] = result if isinstance(result, ContentError) else result.decode("utf-8")
    return found
