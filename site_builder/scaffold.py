"""Scaffolding: `briefing new` and `briefing init` write starting files, never over old ones."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from site_builder import starter
from site_builder.slugs import is_slug, slugify


class ScaffoldError(Exception):
    """A file or folder that cannot be created as asked."""


BRIEF_TEMPLATE = """\
---
title: {title}
date: {date}
summary: >
  One or two sentences on what this brief says; shown in lists, feeds and link previews.
companies: []        # company slugs, e.g. [zhipu-ai, nvidia]
tags: []             # e.g. [chips, export-controls]
takeaways:
  - The first key point.
sources:
  - title: The article this brief draws on
    publisher: Publisher
    url: https://example.com/article
    date: {date}
events: []           # e.g. - {{date: {month}, title: What happened, companies: [slug]}}
draft: true          # remove when the brief is ready to publish
---

Write the brief here in Markdown. Company names link to their pages by
themselves; link on purpose with two square brackets around a company's name,
`brief:` and a brief's slug, or the word timeline.
"""

COMPANY_TEMPLATE = """\
---
name: {title}
aliases: []          # other names; mentions of any of them in briefs link here
country: ""          # two-letter code, e.g. CN or US
hq: ""
website: ""
people: []           # e.g. - {{name: Full Name, role: Founder}}
summary: One line on what the company is and does.
---

Profile of {name} in Markdown.
"""

def _slug_for(title: str, slug: str | None) -> str:
    chosen = slug or slugify(title)
    if not chosen or not is_slug(chosen):
        raise ScaffoldError(f"cannot make a file name from {title!r}; pass --slug some-name")
    return chosen


def _write_new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; it was left as it is") from None
    return path


def brief_text(title: str, today: dt.date) -> str:
    """A new brief dated `today`, with complete front matter."""
    return BRIEF_TEMPLATE.format(title=json.dumps(title, ensure_ascii=False),
                                 date=today.isoformat(), month=today.isoformat()[:7])


def company_text(name: str) -> str:
    """A new company profile with complete front matter."""
    return COMPANY_TEMPLATE.format(title=json.dumps(name, ensure_ascii=False), name=name)


def new_brief(project: Path, title: str, slug: str | None = None,
              today: dt.date | None = None) -> Path:
    """Write `content/briefs/<slug>.md` with complete front matter, dated today."""
    text = brief_text(title, today or dt.date.today())
    return _write_new(project / "content" / "briefs" / f"{_slug_for(title, slug)}.md", text)


def new_company(project: Path, name: str, slug: str | None = None) -> Path:
    """Write `content/companies/<slug>.md` with complete front matter."""
    return _write_new(project / "content" / "companies" / f"{_slug_for(name, slug)}.md",
                      company_text(name))


@dataclass(frozen=True)
class InitResult:
    """What `init` did: the files it wrote, and the lines it added to a `.gitignore` it kept."""

    written: tuple[str, ...]
    gitignore_added: tuple[str, ...] | None


def init_project(directory: Path, version: str) -> InitResult:
    """Create a project in `directory`, which may hold other files but none of those written.

    Every file is checked before any is written, so a refusal leaves the folder as it was.
    An existing `.gitignore` is kept and completed instead of replaced."""
    files = _starter_files(directory, version)
    _refuse_taken(directory, files)
    ignore = directory / ".gitignore"
    added = None
    if ignore.is_file():
        completed, missing = starter.completed_gitignore(_read_kept(ignore))
        added = tuple(missing)
        del files[".gitignore"]
    for relative, text in files.items():
        _write_new(directory / relative, text)
    if added:
        ignore.write_text(completed, encoding="utf-8", newline="")
    (directory / "content" / "media").mkdir(exist_ok=True)
    return InitResult(tuple(files), added)


def _starter_files(directory: Path, version: str) -> dict[str, str]:
    name = directory.resolve().name
    title = name.replace("-", " ").replace("_", " ").title() or "Briefing"
    today = dt.date.today()
    brief = brief_text("First brief", today)
    brief = brief.replace("companies: []", "companies: [example-company]")
    brief = "".join(f"events:\n  - {{date: {today:%Y-%m}, title: Something that happened, "
                    "companies: [example-company]}\n" if line.startswith("events:") else line
                    for line in brief.splitlines(keepends=True))
    brief = brief.replace("draft: true          # remove when the brief is ready to publish\n", "")
    brief += "\nSee [[Example Company]] and the [[timeline]].\n"
    return {
        "site.yaml": starter.site_yaml(title, slugify(name) or "briefing"),
        ".gitignore": starter.gitignore(),
        "requirements.txt": starter.requirements(version),
        ".github/workflows/pages.yml": starter.pages_workflow(_branch(directory)),
        "templates/README.md": starter.TEMPLATES_README,
        "content/briefs/first-brief.md": brief,
        "content/companies/example-company.md": company_text("Example Company"),
    }


def _branch(directory: Path) -> str:
    """The branch a cloned repository is on (the one Pages should publish), else `main`."""
    head = directory / ".git" / "HEAD"
    text = head.read_text(encoding="utf-8", errors="replace").strip() if head.is_file() else ""
    prefix = "ref: refs/heads/"
    return text[len(prefix):] if text.startswith(prefix) else "main"


def _refuse_taken(directory: Path, files: dict[str, str]) -> None:
    """Raise ScaffoldError naming every file `init` would write that is already there."""
    if directory.exists() and not directory.is_dir():
        raise ScaffoldError(f"{directory} is a file, not a folder; choose a folder for the project")
    ignore = directory / ".gitignore"
    taken = [directory / relative for relative in files
             if os.path.lexists(directory / relative) and directory / relative != ignore]
    if ignore.is_symlink() or (os.path.lexists(ignore) and not ignore.is_file()):
        taken.append(ignore)
    folders = {parent for relative in files for parent in (directory / relative).parents
               if directory in parent.parents}
    folders.add(directory / "content" / "media")
    taken += sorted(f for f in folders if os.path.lexists(f) and not f.is_dir())
    if taken:
        one = len(taken) == 1
        names = ", ".join(str(path) for path in taken)
        hint = " (this folder already holds a project)" if (directory / "site.yaml") in taken else ""
        raise ScaffoldError(f"{names} already exist{'s' if one else ''}{hint}; `briefing init` "
                            "overwrites nothing, so nothing was written: move "
                            f"{'it' if one else 'them'} aside or choose another folder")


def _read_kept(path: Path) -> str:
    """The text of a file `init` completes; one it cannot read as UTF-8 is refused."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"{path} is not UTF-8 text (byte {exc.start}); nothing was written"
                            ) from None
