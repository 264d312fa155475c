"""Link stage: records and rendered bodies joined into one Site with every relation resolved."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from site_builder.errors import ContentError
from site_builder.load.content import Content
from site_builder.model.bodies import RenderedBody
from site_builder.model.records import Brief, Company, Event, Ref
from site_builder.model.settings import SiteConfig
from site_builder.model.site import Correction, Entry, Relations, Site, Tag
from site_builder.references import Linker
from site_builder.slugs import slugify

RELATED_COUNT = 4
RELATED_WINDOW = 8


def link_facts(brief: Brief) -> tuple:
    """What of a brief the relations are made from (its body's links aside)."""
    return brief.slug, brief.path, brief.title, brief.date, brief.companies, brief.tags, \
        brief.events, brief.updates


def relate(linker: Linker, briefs: Iterable[Brief], companies: Iterable[Company],
           prose: Mapping[str, tuple[str, ...]]) -> Relations:
    """Every relation between the records: briefs and companies in order, the companies each
    brief names (in front matter, or in its prose: `prose`), the timeline, tags, related briefs
    and neighbours; an unknown reference is an error at its place."""
    errors: list[ContentError] = []
    briefs = sorted(briefs, key=lambda b: (b.date, b.title, b.slug), reverse=True)
    companies = sorted(companies, key=lambda c: (c.name.casefold(), c.slug))
    brief_companies = {b.slug: tuple(dict.fromkeys([*_resolve_refs(b.companies, b.path, linker,
                                                                   errors), *prose[b.slug]]))
                       for b in briefs}
    company_briefs: dict[str, list[str]] = {c.slug: [] for c in companies}
    for brief in briefs:
        for slug in brief_companies[brief.slug]:
            company_briefs[slug].append(brief.slug)
    tags, tag_briefs, brief_tags = _tags(briefs)
    timeline = _timeline(briefs, brief_companies, brief_tags, linker, errors)
    brief_events: dict[str, list[Entry]] = defaultdict(list)
    company_timeline: dict[str, list[Entry]] = {c.slug: [] for c in companies}
    for entry in timeline:
        brief_events[entry.brief].append(entry)
        for slug in entry.companies:
            company_timeline[slug].append(entry)
    return Relations(
        order=tuple(b.slug for b in briefs), company_order=tuple(c.slug for c in companies),
        brief_companies=brief_companies,
        company_briefs={k: tuple(v) for k, v in company_briefs.items()},
        timeline=timeline,
        brief_events={b.slug: tuple(sorted(brief_events[b.slug], key=_chronological))
                      for b in briefs},
        company_timeline={k: tuple(v) for k, v in company_timeline.items()},
        tags=tags, tag={t.slug: t for t in tags}, tag_briefs=tag_briefs, brief_tags=brief_tags,
        related=_related(briefs, brief_companies, brief_tags),
        neighbours=_neighbours(briefs), errors=tuple(errors), corrections=_corrections(briefs),
    )


def link_site(config: SiteConfig, content: Content, bodies: Mapping[tuple[str, str], RenderedBody],
              relations: Relations, drafts: bool) -> Site:
    """The Site: the published records in the relations' order, their bodies and relations."""
    published, shown = content.published(drafts)
    briefs, pages = {b.slug: b for b in published}, {p.slug: p for p in shown}
    company = {c.slug: c for c in content.companies}
    return Site(config=config, briefs=tuple(briefs[s] for s in relations.order),
                companies=tuple(company[s] for s in relations.company_order),
                pages=tuple(pages[s] for s in sorted(pages)), brief=briefs, company=company,
                page=pages, bodies=bodies, relations=relations,
                drafts_left_out=len(content.briefs) + len(content.pages) - len(briefs) - len(pages))


def _corrections(briefs: list[Brief]) -> tuple[Correction, ...]:
    """Every update of the briefs (given newest first), newest first."""
    found = [Correction(update.date, brief.slug, index)
             for brief in briefs for index, update in enumerate(brief.updates)]
    return tuple(sorted(found, key=lambda correction: correction.date, reverse=True))


def _resolve_refs(refs: Iterable[Ref], path: str, linker: Linker,
                  errors: list[ContentError]) -> list[str]:
    slugs = []
    for ref in refs:
        if ref.target in linker.companies:
            slugs.append(ref.target)
            continue
        if linker.is_unloaded_company(ref.target):
            continue
        errors.append(ContentError(path, ref.line, ref.column, f"unknown company `{ref.target}`",
                                   linker.company_hint(ref.target), warning=not linker.strict))
    return slugs


def _tags(briefs: list[Brief]) -> tuple[tuple[Tag, ...], dict[str, tuple[str, ...]],
                                         dict[str, tuple[str, ...]]]:
    """Tags by slug (spelled as most briefs spell them), their briefs, and each brief's tags."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[str]] = defaultdict(list)
    brief_tags = {}
    slug_of: dict[str, str] = {}
    for brief in briefs:
        for tag in brief.tags:
            if tag not in slug_of:
                slug_of[tag] = slugify(tag)
            spellings[slug_of[tag]][tag] += 1
        slugs = tuple(dict.fromkeys(slug_of[t] for t in brief.tags))
        brief_tags[brief.slug] = slugs
        for slug in slugs:
            members[slug].append(brief.slug)
    tags = tuple(Tag(slug, spellings[slug].most_common(1)[0][0]) for slug in sorted(members))
    return tags, {slug: tuple(m) for slug, m in members.items()}, brief_tags


def _timeline(briefs: list[Brief], brief_companies: Mapping[str, tuple[str, ...]],
              brief_tags: Mapping[str, tuple[str, ...]], linker: Linker,
              errors: list[ContentError]) -> tuple[Entry, ...]:
    entries = []
    events = [e for b in sorted(briefs, key=lambda b: b.slug) for e in b.events]
    paths = {b.slug: b.path for b in briefs}
    for event, event_id in zip(events, _event_ids(events, paths, errors)):
        companies = _resolve_refs(event.companies, paths[event.brief], linker, errors)
        entries.append(Entry(event_id, event.date, event.title, event.expected,
                             event.brief, tuple(companies), brief_tags[event.brief]))
    return tuple(sorted(entries, key=_newest_first))


def _event_ids(events: list[Event], paths: Mapping[str, str],
               errors: list[ContentError]) -> list[str]:
    """Unique anchors: explicit ids must not collide; derived ones get `-2`, `-3`."""
    taken: dict[str, Event] = {}
    for event in events:
        if event.explicit_id:
            if event.id in taken:
                errors.append(ContentError(paths[event.brief], event.line, 1,
                                           f"duplicate event id `{event.id}`",
                                           f"also used in {paths[taken[event.id].brief]}"))
            taken[event.id] = event
    ids = []
    for event in events:
        event_id = event.id
        if not event.explicit_id:
            number = 1
            while event_id in taken:
                number += 1
                event_id = f"{event.id}-{number}"
            taken[event_id] = event
        ids.append(event_id)
    return ids


def _newest_first(entry: Entry) -> tuple:
    return (-entry.date.year, -entry.date.month, -entry.date.day, entry.title)


def _chronological(entry: Entry) -> tuple:
    return (entry.date, entry.title)


def _related(briefs: list[Brief], brief_companies: Mapping[str, tuple[str, ...]],
             brief_tags: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Briefs sharing the most companies, then the most tags, then nearest in date.

    Candidates are the RELATED_WINDOW briefs on either side in date of each shared company
    or tag, so the cost grows with the number of briefs, not its square; briefs sharing
    only tags are looked at only when too few share a company.
    """
    company_slots, tag_slots = _slots(briefs, brief_companies), _slots(briefs, brief_tags)
    return {brief.slug: _related_to(briefs, company_slots, tag_slots, index)
            for index, brief in enumerate(briefs)}


def _related_to(briefs: list[Brief], company_slots: list, tag_slots: list,
                index: int) -> tuple[str, ...]:
    """The related briefs of one brief."""
    by_company, by_tag = _window(company_slots[index]), _window(tag_slots[index])
    pool = by_company if len(by_company) > RELATED_COUNT else \
        {**dict.fromkeys(by_tag, 0), **by_company}
    best = heapq.nsmallest(RELATED_COUNT + 1, [(-shared, -by_tag[other], abs(other - index),
                                                other) for other, shared in pool.items()])
    return tuple(briefs[o].slug for *_, o in best if o != index)[:RELATED_COUNT]


def _slots(briefs: list[Brief], keys: Mapping[str, tuple[str, ...]]) -> list[list[tuple[list[int], int]]]:
    """For each brief, (member list, its position in it) of every key it carries."""
    members: dict[str, list[int]] = defaultdict(list)
    slots: list[list[tuple[list[int], int]]] = []
    for index, brief in enumerate(briefs):
        mine = []
        for key in keys[brief.slug]:
            mine.append((members[key], len(members[key])))
            members[key].append(index)
        slots.append(mine)
    return slots


def _window(slots: list[tuple[list[int], int]]) -> Counter[int]:
    """How often each brief appears among the neighbours of one brief in its slots."""
    found: Counter[int] = Counter()
    for members, position in slots:
        found.update(members[max(0, position - RELATED_WINDOW):position + RELATED_WINDOW + 1])
    return found


def _neighbours(briefs: list[Brief]) -> dict[str, tuple[str | None, str | None]]:
    """(previous, next) by date for each brief; `briefs` is newest first."""
    slugs = [b.slug for b in briefs]
    return {slug: (slugs[i + 1] if i + 1 < len(slugs) else None, slugs[i - 1] if i else None)
            for i, slug in enumerate(slugs)}
