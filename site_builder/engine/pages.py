"""Which pages a build renders: each page's key, the pages of the last build, and the rendering of
the others in the workers, straight into the output."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from site_builder.cards import CARD_VERSION, CardFont, CardText, draw_card
from site_builder.engine import Run
from site_builder.engine.blobs import BlobCache
from site_builder.engine.keys import ContextKeys, Held
from site_builder.errors import ContentError
from site_builder.model.site import Site
from site_builder.output.files import safe_join
from site_builder.plan.contexts import page_context
from site_builder.plan.pages import PageSpec, Plan
from site_builder.plan.views import Views
from site_builder.render import Failure, Renderer, grouped
from site_builder.urls import output_file

Shown = tuple[str, tuple[Held, ...]]  # a page's key but for what it holds, and what it holds
_Entry = tuple[str, tuple[str, ...], tuple[Held, ...]]  # a page left by the last build: its
# key but for what it holds, its files and the records it holds


class Rendered(NamedTuple):
    """How many pages a build rendered, the template errors that stopped some (and the files
    of those pages), and the cards left for later (their files and what they show)."""

    count: int
    errors: list[ContentError]
    later: list[LaterCard]
    failed: frozenset[str] = frozenset()


class LaterCard(NamedTuple):
    """A card the preview draws after the build: its file, what it shows, its font."""

    output: str
    text: CardText
    font: CardFont | None


class Cards(NamedTuple):
    """Where cards are kept, the font they are drawn with, and whether a card not drawn yet
    is left for later (the preview draws it after the build) instead of drawn now."""

    blobs: BlobCache
    font: CardFont | None
    later: bool = False


class _Done(NamedTuple):
    """A page rendered, or kept as the last build wrote it, and the files put in place."""

    path: str
    shown: Shown
    outputs: tuple[str, ...]
    placed: list[Any]
    rendered: bool
    later: LaterCard | None = None


class _Work(NamedTuple):
    """What the workers render pages with."""

    renderer: Renderer
    site: Site
    views: Views
    output: Any
    keys: ContextKeys
    earlier: dict[str, _Entry]
    changed: set[Held]
    cards: Cards | None


def render_pages(run: Run, output: Any, renderer: Renderer, site: Site, views: Views,
                 planned: Plan, outline_key: str, settings_key: str, held: dict[Held, Any],
                 cards: Cards | None) -> Rendered:
    """Render every page whose key differs from the last build's, or whose files are gone.

    A page's key is made of the settings it is rendered with (`settings_key`: the settings,
    templates, card font), the digest of its context, where a whole record stands by its
    name, and the fingerprints of the records it holds (`held`, by name). While the outline
    is the one of the last build, the contexts are the same but for the records they hold, so
    only the records are compared; otherwise each page's context is made (by the workers) to
    find its key.
    """
    same_settings = run.previous("page_settings") == settings_key
    earlier: dict[str, _Entry] = run.previous("pages", {}) if same_settings else {}
    before = run.previous("held", {})
    changed = {name for name, fingerprint in held.items() if before.get(name) != fingerprint}
    changed.update(before.keys() - held.keys())
    work = _Work(renderer, site, views, output, ContextKeys(run.digests), earlier, changed,
                 cards)
    table: dict[str, _Entry] = {}
    if run.previous("outline") == outline_key and all(p.path in earlier for p in planned.pages):
        todo = sorted(_kept_pages(output, planned.pages, earlier, work.changed, table),
                      key=lambda task: _light(task[0]))
        done = run.map(partial(_render, work), todo, label="pages rendered")
    else:
        pages = sorted(planned.pages, key=_light)
        done = run.map(partial(_key_and_render, work), pages, label="pages rendered")
    failures, count, later = [], 0, []
    for outcome in done:
        if isinstance(outcome, Failure):
            failures.append(outcome)
            continue
        if outcome.later is not None:
            later.append(outcome.later)
        for placed in outcome.placed:
            output.accept(*placed)
        table[outcome.path] = (outcome.shown[0], outcome.outputs, outcome.shown[1])
        count += outcome.rendered
    run.remember(pages=table, held=held, page_settings=settings_key,
                 outline=outline_key if not failures else None)
    return Rendered(count, grouped(failures), later,
                    frozenset(output_file(failure.path) for failure in failures))


def _light(page: PageSpec) -> bool:
    """Whether a page shows one record: the many quick pages, rendered after the few that
    gather many (companies, the timeline, tags, feeds, the sitemap), so that the workers
    finish together."""
    return page.view[0] in ("brief", "event", "page", "redirect")


def _kept_pages(output: Any, pages: tuple[PageSpec, ...], earlier: dict[str, _Entry],
                changed: set[Held], table: dict[str, _Entry]) -> list[tuple[PageSpec, Shown]]:
    """Keep the pages of the last build that hold no changed record (in `table`, as the very
    entries of the last build); the pages to render again."""
    todo = []
    for page in pages:
        entry = earlier[page.path]
        if (changed and not changed.isdisjoint(entry[2])) or not output.carry(entry[1]):
            todo.append((page, (entry[0], entry[2])))
        else:
            table[page.path] = entry
    return todo


def _key_and_render(work: _Work, page: PageSpec) -> _Done | Failure:
    """A page's key from its context, then the page kept or rendered (in a worker)."""
    context = page_context(work.site, work.views, page)
    shown = work.keys.key(page, context=context)
    entry = work.earlier.get(page.path)
    if entry is not None and entry[0] == shown[0] and work.changed.isdisjoint(shown[1]):
        placed = [work.output.keep(relative) for relative in entry[1]]
        if all(placed):
            return _Done(page.path, shown, entry[1], placed, False)
    return _written(work, page, shown, context)


def _render(work: _Work, task: tuple[PageSpec, Shown]) -> _Done | Failure:
    """A page rendered and put in place (in a worker)."""
    page, shown = task
    return _written(work, page, shown, page_context(work.site, work.views, page))


def _written(work: _Work, page: PageSpec, shown: Shown,
             context: dict[str, Any]) -> _Done | Failure:
    rendered = work.renderer.render(page, context)
    if isinstance(rendered, ContentError):
        return Failure(rendered, page.path)
    placed = [work.output.prepare(page.output, rendered)]
    outputs, later = (page.output,), None
    if page.card is not None and work.cards is not None:
        cards = work.cards
        key = _card_key(page.card, cards.font)
        card = cards.blobs.find(key) if cards.later else \
            drawn_card(cards.blobs, page.card, cards.font)
        if card is None:
            later = LaterCard(page.card_output, page.card, cards.font)
            placed.append(work.output.reserve(page.card_output))
        else:
            placed.append(work.output.prepare(page.card_output, card, str(cards.blobs.path(key))))
        outputs += (page.card_output,)
    return _Done(page.path, shown, outputs, placed, True, later)


def drawn_card(blobs: BlobCache, text: CardText, font: CardFont | None) -> bytes:
    """The PNG of a card, drawn now unless it was drawn before with this text and font."""
    return blobs.get(_card_key(text, font), partial(draw_card, text, font))


def _card_key(text: CardText, font: CardFont | None) -> tuple:
    """What a card is kept by: what it shows, its font and the version of its design."""
    return CARD_VERSION, text, font


def draw_later(blobs: BlobCache, folder: Path, cards: list[LaterCard]) -> None:
    """Draw the cards a preview's build left for later into its folder, each file put in
    place whole."""
    for card in cards:
        data = drawn_card(blobs, card.text, card.font)
        target = Path(safe_join(folder, card.output))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial_file = target.with_name(f".{target.name}.part")
        partial_file.write_bytes(data)
        os.replace(partial_file, target)
