"""Load stage: the files under `content/` read into brief, company and page records."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from site_builder.errors import ContentError
from site_builder.load.countries import country_problem
from site_builder.load.fields import FieldReader
from site_builder.load.frontmatter import Document, read_document
from site_builder.model.dates import PartialDate
from site_builder.model.records import (Brief, Company, Event, Listing, Person, Ref, Source,
                                        Standalone, Update)
from site_builder.slugs import ascii_slug, is_slug, slugify

BRIEF_FIELDS = ("title", "date", "summary", "companies", "tags", "takeaways", "sources",
                "events", "updates", "slug", "aliases", "draft")
COMPANY_FIELDS = ("name", "aliases", "country", "hq", "website", "listing", "people", "summary",
                  "slug")
PAGE_FIELDS = ("title", "summary", "slug", "aliases", "draft")
SOURCE_FIELDS = ("title", "publisher", "url", "date")
EVENT_FIELDS = ("date", "title", "companies", "expected", "id")
UPDATE_FIELDS = ("date", "note")
PERSON_FIELDS = ("name", "role")
LISTING_FIELDS = ("exchange", "date", "ticker")
_ALIAS_PATH = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*(?:[A-Za-z0-9._~-]+(?:\.html?)?)?$")
FOLDERS = ("briefs", "companies", "pages")
_SAY_WHAT = "say in a sentence what was corrected or updated"  # an empty update's hint
SECTIONS = frozenset({"briefs", "companies", "timeline", "tags", "events", "search", "cards",
                      "static", "media", "pagefind", "corrections", "feed.xml", "sitemap.xml",
                      "robots.txt", "404.html", "index.html"})
Record = Brief | Company | Standalone


class SourceFile(NamedTuple):
    """A Markdown file of `content/`: its folder (`briefs`, `companies`, `pages`), its path
    relative to the project and its path on disk."""

    folder: str
    relative: str
    path: str


class Parsed(NamedTuple):
    """What a file says: its record and Markdown body, or, when it failed to load, the slug
    and names it was meant to have; and its errors."""

    folder: str
    record: Record | None
    body: Any
    errors: tuple[ContentError, ...]
    unloaded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    """Everything read from `content/`, drafts included, with the body of each record, and
    what is known of the files that failed to load (their slugs and names, by folder)."""

    briefs: tuple[Brief, ...]
    companies: tuple[Company, ...]
    pages: tuple[Standalone, ...]
    bodies: Mapping[str, Any]
    unloaded: Mapping[str, frozenset[str]]
    errors: tuple[ContentError, ...]

    def published(self, drafts: bool) -> tuple[tuple[Brief, ...], tuple[Standalone, ...]]:
        """The briefs and pages a build publishes: drafts only when asked for."""
        return (tuple(b for b in self.briefs if drafts or not b.draft),
                tuple(p for p in self.pages if drafts or not p.draft))


def content_files(project: Path) -> tuple[list[SourceFile], list[ContentError]]:
    """The Markdown files of every content folder, sorted, and the symlinks that lead out of
    the project (errors). Hidden files and folders are skipped."""
    root = os.path.realpath(project)
    start = len(os.path.join(project, ""))
    found: list[SourceFile] = []
    errors: list[ContentError] = []
    for folder in FOLDERS:
        pending = [os.path.join(project, "content", folder)]
        while pending:
            try:
                entries = list(os.scandir(pending.pop()))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                relative = entry.path[start:].replace(os.sep, "/")
                if entry.is_symlink() and not _inside(root, entry.path):
                    errors.append(ContentError(relative, 1, 1, "this is a link to a place "
                                               "outside the project",
                                               "copy the file into content/ instead"))
                elif entry.is_dir():
                    pending.append(entry.path)
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append(SourceFile(folder, relative, entry.path))
    return sorted(found), errors


def _inside(root: str, path: str) -> bool:
    target = os.path.realpath(path)
    return target == root or target.startswith(root + os.sep)


def file_signature(source: SourceFile) -> tuple[str, int, int, int]:
    """What tells that a file may have changed since it was last read: its name, time of
    change, size and inode."""
    stat = os.stat(source.path)
    return source.relative, stat.st_mtime_ns, stat.st_size, stat.st_ino


def parse_file(strict: bool, source: SourceFile) -> Parsed:
    """Read one content file into its record and body (`strict`: unknown fields are errors)."""
    try:
        with open(source.path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        problem = ContentError(source.relative, 1, 1, f"cannot read the file: {exc.strerror}")
        return Parsed(source.folder, None, "", (problem,))
    errors: list[ContentError] = []
    record, body, names = _LOADERS[source.folder](raw, source.relative, strict, errors)
    return Parsed(source.folder, record, body, tuple(errors), names)


def gather(parsed: list[Parsed]) -> Content:
    """The records of every file that loaded, each slug once (a duplicate is an error and is
    left out), with their bodies and all errors."""
    errors: list[ContentError] = [e for p in parsed for e in p.errors]
    records: dict[str, list] = {folder: [] for folder in FOLDERS}
    unloaded: dict[str, set[str]] = {folder: set() for folder in FOLDERS}
    for one in parsed:
        if one.record is not None:
            records[one.folder].append(one.record)
        unloaded[one.folder].update(one.unloaded)
    return Content(briefs=tuple(_unique_slugs(records["briefs"], "brief", errors)),
                   companies=tuple(_unique_slugs(records["companies"], "company", errors)),
                   pages=tuple(_unique_slugs(records["pages"], "page", errors)),
                   bodies={p.record.path: p.body for p in parsed if p.record is not None},
                   unloaded={folder: frozenset(names) for folder, names in unloaded.items()},
                   errors=tuple(errors))


def _slug(fields: FieldReader, stem: str) -> tuple[str, int]:
    """The slug given by `slug:` or derived from the file name, and its line."""
    if fields.has(("slug",)):
        slug = fields.text(("slug",))
        if slug and not is_slug(slug):
            fields.fail(("slug",), f"`slug` `{slug}` is not usable in a URL",
                        f"use lower-case letters, digits and hyphens, such as `{slugify(slug)}`")
        return slug, fields.meta.place("slug")[0]
    slug = slugify(stem)
    if not slug:
        fields.fail((), f"no slug can be made from the file name `{stem}.md`",
                    "rename the file or add `slug: some-name`")
    return slug, 1


_Reader = Callable[[FieldReader, Document, str, int], Record]
Loaded = tuple[Record | None, str, tuple[str, ...]]


def _load(raw: bytes, path: str, strict: bool, errors: list[ContentError], known: tuple[str, ...],
          read: _Reader, names: tuple[str, ...] = ()) -> Loaded:
    """Split a file, check its keys and slug, and read the record; without a record if anything
    failed, then with the slug and the `names` fields it was meant to have, as far as known."""
    document, problems = read_document(raw, path)
    errors += problems
    if document is None:
        return None, "", (slugify(Path(path).stem),)
    count = len(errors)
    fields = FieldReader(document.meta, errors, strict)
    fields.unknown_keys((), known)
    slug, slug_line = _slug(fields, Path(path).stem)
    record = read(fields, document, slug, slug_line)
    if not any(not e.warning for e in errors[count:]):
        return record, document.body, ()
    meant = [slug, *(value for key in names for value in _texts(fields.raw((key,))))]
    return None, "", tuple(dict.fromkeys(name for name in meant if name))


def _texts(value: object) -> list[str]:
    """The texts of a raw field value: itself, or the texts of a list."""
    items = value if isinstance(value, list) else [value]
    return [item.strip() for item in items if isinstance(item, str)]


def load_brief(raw: bytes, path: str, strict: bool, errors: list[ContentError]) -> Brief | None:
    """One brief from a file's bytes, or None with errors recorded."""
    return _load(raw, path, strict, errors, BRIEF_FIELDS, _read_brief)[0]  # type: ignore[return-value]


def load_company(raw: bytes, path: str, strict: bool,
                 errors: list[ContentError]) -> Company | None:
    """One company from a file's bytes, or None with errors recorded."""
    return _load(raw, path, strict, errors, COMPANY_FIELDS,  # type: ignore[return-value]
                 _read_company)[0]


_LOADERS: dict[str, Callable[[bytes, str, bool, list[ContentError]], Loaded]] = {
    "briefs": lambda raw, path, strict, errors: _load(raw, path, strict, errors, BRIEF_FIELDS,
                                                      _read_brief),
    "companies": lambda raw, path, strict, errors: _load(raw, path, strict, errors,
                                                         COMPANY_FIELDS, _read_company,
                                                         ("name", "aliases")),
    "pages": lambda raw, path, strict, errors: _load(raw, path, strict, errors, PAGE_FIELDS,
                                                     _read_page),
}


def _read_brief(fields: FieldReader, document: Document, slug: str, slug_line: int) -> Brief:
    tags = tuple(dict.fromkeys(fields.text_list(("tags",))))
    for index, tag in enumerate(tags):
        if not slugify(tag):
            fields.fail(("tags", index), f"tag `{tag}` has no letters or digits")
    date = fields.date(("date",), required=True, day=True)
    return Brief(
        slug=slug, path=fields.meta.path, title=fields.text(("title",), required=True),
        date=date,  # type: ignore[arg-type]
        summary=" ".join(fields.text(("summary",)).split()),
        companies=_refs(fields, ("companies",)), tags=tags,
        takeaways=_refs(fields, ("takeaways",)), sources=_sources(fields),
        events=_events(fields, slug), aliases=_aliases(fields),
        draft=fields.boolean(("draft",)),
        body_line=document.body_line, slug_line=slug_line, updates=_updates(fields, date),
    )


def _read_company(fields: FieldReader, document: Document, slug: str, slug_line: int) -> Company:
    country = fields.text(("country",))
    if country and (problem := country_problem(country)):
        fields.fail(("country",), f"`country` {problem[0]}", problem[1])
    aliases = tuple(dict.fromkeys(fields.text_list(("aliases",))))
    all_aliases = fields.text_list(("aliases",))
    alias_lines = tuple(fields.meta.place("aliases", all_aliases.index(a))[0] for a in aliases)
    return Company(
        slug=slug, path=fields.meta.path, name=fields.text(("name",), required=True),
        name_lines=(fields.meta.place("name")[0], *alias_lines), aliases=aliases,
        country=country, hq=fields.text(("hq",)), website=fields.url(("website",)),
        listing=_listing(fields), people=_people(fields),
        summary=" ".join(fields.text(("summary",)).split()),
        body_line=document.body_line, slug_line=slug_line,
    )


def _read_page(fields: FieldReader, document: Document, slug: str, slug_line: int) -> Standalone:
    if slug.casefold() in SECTIONS:
        fields.fail(("slug",) if fields.has(("slug",)) else (),
                    f"the page slug `{slug}` is the address of a section of the site",
                    "rename the file or set `slug:` to another name, such as `about`")
    return Standalone(
        slug=slug, path=fields.meta.path, title=fields.text(("title",), required=True),
        summary=" ".join(fields.text(("summary",)).split()), aliases=_aliases(fields),
        draft=fields.boolean(("draft",)), body_line=document.body_line, slug_line=slug_line)


def _refs(fields: FieldReader, keys: tuple) -> tuple[Ref, ...]:
    names = fields.text_list(keys)
    return tuple(Ref(name, *fields.meta.place(*keys, index)) for index, name in enumerate(names))


def _sources(fields: FieldReader) -> tuple[Source, ...]:
    sources = []
    for i in fields.mappings(("sources",)):
        fields.unknown_keys(("sources", i), SOURCE_FIELDS)
        sources.append(Source(title=fields.text(("sources", i, "title"), required=True),
                              publisher=fields.text(("sources", i, "publisher")),
                              url=fields.url(("sources", i, "url")),
                              date=fields.date(("sources", i, "date"))))
    return tuple(sources)


def _events(fields: FieldReader, brief: str) -> tuple[Event, ...]:
    events = []
    for i in fields.mappings(("events",)):
        keys = ("events", i)
        fields.unknown_keys(keys, EVENT_FIELDS)
        date = fields.date(keys + ("date",), required=True)
        title = " ".join(fields.text(keys + ("title",), required=True).split())
        explicit = fields.text(keys + ("id",))
        if explicit and not is_slug(explicit):
            fields.fail(keys + ("id",), f"event id `{explicit}` is not usable as an anchor",
                        f"use lower-case letters, digits and hyphens, such as `{slugify(explicit)}`")
        if date is None or not title:
            continue
        event_id = explicit or f"{date.iso}-{slugify(title, 60) or 'event'}"
        events.append(Event(id=event_id, date=date, title=title,
                            companies=_refs(fields, keys + ("companies",)),
                            expected=fields.boolean(keys + ("expected",)), brief=brief,
                            explicit_id=bool(explicit), line=fields.meta.place(*keys)[0]))
    return tuple(events)


def _updates(fields: FieldReader, published: PartialDate | None) -> tuple[Update, ...]:
    """The corrections and updates of a brief, newest first; each dated to the day, not
    before the brief's own date (`published`)."""
    updates = []
    for i in fields.mappings(("updates",)):
        keys = ("updates", i)
        fields.unknown_keys(keys, UPDATE_FIELDS)
        date = fields.date(keys + ("date",), required=True, day=True)
        note = " ".join(fields.text(keys + ("note",), required=True, empty=_SAY_WHAT).split())
        if date is not None and published is not None and date < published:
            fields.fail(keys + ("date",), f"`updates[{i + 1}].date` `{date.iso}` is before the "
                        f"brief's `date` `{published.iso}`",
                        "an update comes after publication: correct one of the two dates")
        elif date is not None and note:
            updates.append(Update(date, note))
    return tuple(sorted(updates, key=lambda update: update.date, reverse=True))


def _aliases(fields: FieldReader) -> tuple[Ref, ...]:
    refs = _refs(fields, ("aliases",))
    for index, ref in enumerate(refs):
        if not _ALIAS_PATH.match(ref.target) or "/../" in ref.target + "/" or "/./" in ref.target:
            fields.fail(("aliases", index), f"alias `{ref.target}` is not a safe site path",
                        "write a path such as /old/path/, with letters, digits, `-`, `_` and `.`")
    return refs


def _listing(fields: FieldReader) -> Listing | None:
    if not fields.mapping(("listing",)):
        return None
    fields.unknown_keys(("listing",), LISTING_FIELDS)
    return Listing(exchange=fields.text(("listing", "exchange"), required=True),
                   date=fields.date(("listing", "date")),
                   ticker=fields.text(("listing", "ticker")))


def _people(fields: FieldReader) -> tuple[Person, ...]:
    people = []
    for i in fields.mappings(("people",)):
        fields.unknown_keys(("people", i), PERSON_FIELDS)
        name = fields.text(("people", i, "name"), required=True)
        if name:
            anchor = "person-" + (ascii_slug(name) or slugify(name))
            people.append(Person(name, fields.text(("people", i, "role")), anchor))
    return tuple(people)


def _unique_slugs(records: list, kind: str, errors: list[ContentError]) -> list:
    """The records whose slugs are their own: of two records with one slug, the one that set
    `slug:` is blamed in an error and left out."""
    seen: dict[str, Record] = {}
    for record in records:
        key = record.slug.casefold()
        if key not in seen:
            seen[key] = record
            continue
        first, second = seen[key], record
        if first.slug_line > 1 and second.slug_line == 1:
            first, second = second, first
            seen[key] = first
        errors.append(ContentError(
            second.path, second.slug_line, 1,
            f"duplicate {kind} slug `{second.slug}`: also the slug of {first.path}",
            "set a different `slug:` or rename one of the files"))
    return [record for record in records if seen[record.slug.casefold()] is record]

