"""Which pages a build renders: each page's key, the pages of the last build, and the rendering of
the others in the workers, straight into the output."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

from site_builder.cards import CARD_VERSION, CardFont, draw_card
from site_builder.engine import Run
from site_builder.engine.blobs import BlobCache
from site_builder.engine.digest import digest
from site_builder.engine.keys import ContextKeys, Held
from site_builder.errors import ContentError
from site_builder.model.site import Site
from site_builder.plan.contexts import page_context
from site_builder.plan.pages import PageSpec, Plan
from site_builder.plan.views import Views
from site_builder.render import Failure, Renderer, grouped

Shown = tuple[str, tuple[Held, ...]]  # a page's key but for what it holds, and what it holds


class Rendered(NamedTuple):
    """How many pages a build rendered, and the template errors that stopped some."""

    count: int
    errors: list[ContentError]


class _Done(NamedTuple):
    """A page rendered, or kept as the last build wrote it, and the files put in place."""

    path: str
    shown: Shown
    key: str
    outputs: tuple[str, ...]
    placed: list[Any]
    rendered: bool


class _Work(NamedTuple):
    """What the workers render pages with."""

    renderer: Renderer
    site: Site
    views: Views
    output: Any
    keys: ContextKeys
    settings_key: str
    held: dict[Held, Any]
    earlier: dict[str, tuple[str, tuple[str, ...]]]
    cards: BlobCache | None
    font: CardFont | None


def render_pages(run: Run, output: Any, renderer: Renderer, site: Site, views: Views,
                 planned: Plan, outline_key: str, settings_key: str, held: dict[Held, Any],
                 cards: tuple[BlobCache, CardFont | None] | None) -> Rendered:
    """Render every page whose key differs from the last build's, or whose files are gone.

    A page's key is the digest of the settings it is rendered with (`settings_key`: the
    settings, templates, card font) and of its context, where a whole record stands by its
    name, with the fingerprints of the records it holds. While the outline is the one of the last build,
    the contexts are the same but for the records they hold, so only those fingerprints are
    compared; otherwise each page's context is made (by the workers) to find its key.
    """
    earlier: dict[str, tuple[str, tuple[str, ...]]] = run.previous("pages", {})
    known = run.previous("shown")
    work = _Work(renderer, site, views, output, ContextKeys(), settings_key, held, earlier,
                 *(cards or (None, None)))
    pages = planned.pages
    if known is not None and known[0] == outline_key:
        shown: dict[str, Shown] = known[1]
        todo, done = [], []
        for page in pages:
            page_shown = shown[page.path]
            key = _key(settings_key, page_shown, held)
            kept = _kept(output, earlier.get(page.path), key)
            if kept is None:
                todo.append((page, page_shown, key))
            else:
                done.append(_Done(page.path, page_shown, key, *kept, False))
        done += run.map(partial(_render, work), todo, label="pages rendered")
    else:
        done = run.map(partial(_key_and_render, work), pages, label="pages rendered")
    return _accept(run, output, outline_key, done)


def _accept(run: Run, output: Any, outline_key: str, done: list[Any]) -> Rendered:
    """Record the files the workers put in place; remember each page for the next build."""
    table, shown, failures, count = {}, {}, [], 0
    for outcome in done:
        if isinstance(outcome, Failure):
            failures.append(outcome)
            continue
        for placed in outcome.placed:
            output.accept(*placed)
        table[outcome.path] = (outcome.key, outcome.outputs)
        shown[outcome.path] = outcome.shown
        count += outcome.rendered
    run.remember("pages", table)
    run.remember("shown", (outline_key, shown) if not failures else None)
    return Rendered(count, grouped(failures))


def _key(settings_key: str, shown: Shown, held: dict[Held, Any]) -> str:
    return digest(settings_key, shown[0], [held[name] for name in shown[1]])


def _kept(output: Any, earlier: tuple[str, tuple[str, ...]] | None,
          key: str) -> tuple[tuple[str, ...], list[Any]] | None:
    """The files of a page from the last build, put in place, if its key is the same and
    they are all there."""
    if earlier is None or earlier[0] != key:
        return None
    placed = [output.keep(relative) for relative in earlier[1]]
    return (earlier[1], placed) if all(placed) else None


def _key_and_render(work: _Work, page: PageSpec) -> _Done | Failure:
    """A page's key from its context, then the page kept or rendered (in a worker)."""
    context = page_context(work.site, work.views, page)
    shown = work.keys.key(page, context=context)
    key = _key(work.settings_key, shown, work.held)
    kept = _kept(work.output, work.earlier.get(page.path), key)
    if kept is not None:
        return _Done(page.path, shown, key, *kept, False)
    return _written(work, page, shown, key, context)


def _render(work: _Work, task: tuple[PageSpec, Shown, str]) -> _Done | Failure:
    """A page rendered and put in place (in a worker)."""
    page, shown, key = task
    return _written(work, page, shown, key, page_context(work.site, work.views, page))


def _written(work: _Work, page: PageSpec, shown: Shown, key: str,
             context: dict[str, Any]) -> _Done | Failure:
    rendered = work.renderer.render(page, context)
    if isinstance(rendered, ContentError):
        return Failure(rendered, page.path)
    placed = [work.output.prepare(page.output, rendered)]
    outputs = (page.output,)
    if page.card is not None and work.cards is not None:
        card = work.cards.get((CARD_VERSION, page.card, work.font),
                              partial(draw_card, page.card, work.font))
        placed.append(work.output.prepare(page.card_output, card))
        outputs += (page.card_output,)
    return _Done(page.path, shown, key, outputs, placed, True)
