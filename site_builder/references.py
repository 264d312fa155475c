"""What a reference written in content resolves to: companies, people, briefs, the timeline."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from site_builder.errors import ContentError, did_you_mean
from site_builder.load.content import Content
from site_builder.markdown.matcher import MentionMatcher
from site_builder.model.records import Brief, Company
from site_builder.model.settings import SiteConfig
from site_builder.markdown.destinations import SiteMap
from site_builder.urls import Urls, brief_path, company_path, event_path, timeline_path


@dataclass(frozen=True)
class Resolved:
    """A reference that resolved: where it points and the text it shows by default."""

    path: str
    text: str
    key: Hashable
    company: str = ""
    brief: str = ""
    fragment: str = ""

    @property
    def href(self) -> str:
        """The site path with its anchor."""
        return f"{self.path}#{self.fragment}" if self.fragment else self.path


class Unloaded(NamedTuple):
    """What is known of the records whose files failed to load (slugs of briefs, and slugs
    and names of companies, folded): a reference to one of them is not an error of its own."""

    briefs: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()


UNLOADED = Resolved("", "", None)


class Linker:
    """Knows every linkable name of a site; built once per build.

    `inputs` is everything a rendered body depends on besides its own text and the names it
    looked up (`state`): the companies, their names and people, and the settings of links.
    """

    def __init__(self, companies: Iterable[Company], briefs: Iterable[Brief], urls: Urls, *,
                 strict: bool = True, timeline_title: str = "Timeline",
                 drafts: Iterable[str] = (), sources: dict[str, str] | None = None,
                 unloaded: Unloaded = Unloaded()) -> None:
        self.urls = urls
        self.strict = strict
        self.timeline_title = timeline_title
        self.companies = {c.slug: c for c in companies}
        briefs = list(briefs)
        self.briefs = {b.slug: b.title for b in briefs}
        self.drafts = frozenset(drafts)
        self.unloaded = unloaded
        self.site = SiteMap(urls, {**{b.path: brief_path(b.slug) for b in briefs},
                                   **{c.path: company_path(c.slug) for c in self.companies.values()},
                                   **(sources or {})})
        self.names: dict[str, str] = {}
        self.errors: list[ContentError] = []
        mentionable: dict[str, Hashable] = {}
        owners: dict[str, list[tuple[Company, int]]] = {}
        for company in self.companies.values():
            lines = company.name_lines or (company.slug_line,) * (1 + len(company.aliases))
            for name, line in zip((company.name, *company.aliases), lines):
                claims = owners.setdefault(name.casefold(), [])
                if all(c.slug != company.slug for c, _ in claims):
                    claims.append((company, line))
                    self.names[name.casefold()] = company.slug
                    mentionable[name] = ("company", company.slug)
        for name, claims in owners.items():
            if len(claims) > 1:
                self._shared_name(name, claims, mentionable)
        for company in self.companies.values():
            for person in company.people:
                mentionable.setdefault(person.name, ("person", company.slug, person.anchor))
        self.matcher = MentionMatcher(mentionable)
        self.inputs = (sorted((c.slug, c.path, c.name, c.aliases, c.people)
                              for c in self.companies.values()),
                       urls.prefix, urls.origin, strict, timeline_title, unloaded)

    def _shared_name(self, name: str, claims: list[tuple[Company, int]],
                     mentionable: dict[str, Hashable]) -> None:
        """A name claimed by several companies is an error in each of their files."""
        for company, line in claims:
            others = ", ".join(c.path for c, _ in claims if c is not company)
            written = next(n for n in (company.name, *company.aliases) if n.casefold() == name)
            self.errors.append(ContentError(company.path, line, 1,
                                            f"the name `{written}` is also used by {others}",
                                            "a name or alias must point to one company"))
            mentionable.pop(written, None)
        self.names.pop(name, None)

    def company(self, name: str) -> str | None:
        """The slug a company reference means (slug, name or alias), or None."""
        if name in self.companies:
            return name
        folded = name.casefold()
        return self.names.get(folded) or next(
            (slug for slug in self.companies if slug.casefold() == folded), None)

    def company_hint(self, name: str, by_name: bool = False) -> str:
        """"did you mean" for an unknown company slug, or also names when `by_name`; companies
        whose files failed to load are among the candidates."""
        written = [n for c in self.companies.values() for n in (c.name, *c.aliases)] if by_name else []
        return did_you_mean(name, [*self.companies, *self.unloaded.companies, *written],
                            self.names)

    def resolve(self, target: str, looked_up: set[str]) -> Resolved | tuple[str, str]:
        """A wiki-link target resolved, or (message, hint); what it asked for goes in
        `looked_up`. A company named by one of its names shows the name as written."""
        target, _, anchor = target.partition("#")
        target, anchor = target.strip(), anchor.strip()
        if target.casefold() == "timeline":
            if anchor:  # an event: its own page, wherever the timeline shows it
                return Resolved(event_path(anchor), self.timeline_title, "timeline")
            return Resolved(timeline_path(), self.timeline_title, "timeline")
        if target.startswith("brief:"):
            slug = target[len("brief:"):].strip()
            looked_up.add(f"brief:{slug}")
            if slug in self.briefs:
                return Resolved(brief_path(slug), self.briefs[slug], ("brief", slug), brief=slug,
                                fragment=anchor)
            if slug in self.drafts:
                return (f"brief `{slug}` is a draft", "it is published only with --drafts")
            if slug in self.unloaded.briefs:
                return UNLOADED
            return (f"unknown brief `{slug}` in [[{target}]]",
                    did_you_mean(slug, [*self.briefs, *self.unloaded.briefs]))
        slug = self.company(target)
        if slug:
            text = self.companies[slug].name if target == slug else target
            return Resolved(company_path(slug), text, ("company", slug), company=slug,
                            fragment=anchor)
        if self.is_unloaded_company(target):
            return UNLOADED
        return (f"unknown company `{target}` in [[{target}]]", self.company_hint(target, by_name=True))

    def is_unloaded_company(self, name: str) -> bool:
        """Whether a company reference names a company whose file failed to load."""
        return name.casefold() in self.unloaded.companies

    def state(self, key: str) -> str | None:
        """What a lookup found: a `brief:slug` link's title or draft marker, a `file:path`
        link's site path, or None."""
        kind, _, name = key.partition(":")
        if kind == "file":
            return self.site.sources.get(name)
        if name in self.briefs:
            return self.briefs[name]
        return "\0draft" if name in self.drafts else None

    def mention_target(self, target: Hashable) -> tuple[str, str]:
        """(site path, company slug) for a mention found by the matcher."""
        kind, slug, *anchor = target  # type: ignore[misc]
        if kind == "person":
            return company_path(slug) + "#" + anchor[0], ""
        return company_path(slug), slug


def linker_for(config: SiteConfig, content: Content, drafts: bool) -> Linker:
    """The names a project's bodies may link to: companies, the published briefs and pages."""
    briefs, pages = content.published(drafts)
    return Linker(content.companies, briefs, Urls(config.base_url), strict=config.strict,
                  timeline_title=config.timeline_title,
                  drafts=[b.slug for b in content.briefs if b.draft and not drafts],
                  sources={p.path: p.site_path for p in pages},
                  unloaded=Unloaded(tuple(sorted(content.unloaded["briefs"])),
                                    tuple(sorted({n.casefold()
                                                  for n in content.unloaded["companies"]}))))
