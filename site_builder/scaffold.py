"""Scaffolding: `briefing new` and `briefing init` write starting files, never over old ones."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from site_builder.render import THEME
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

SITE_TEMPLATE = """\
title: {title}
description: What this briefing covers, in one sentence.
base_url: https://example.github.io/{slug}/
language: en
author: Briefing desk
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


def new_brief(project: Path, title: str, slug: str | None = None,
              today: dt.date | None = None) -> Path:
    """Write `content/briefs/<slug>.md` with complete front matter, dated today."""
    today = today or dt.date.today()
    text = BRIEF_TEMPLATE.format(title=json.dumps(title, ensure_ascii=False),
                                 date=today.isoformat(), month=today.isoformat()[:7])
    return _write_new(project / "content" / "briefs" / f"{_slug_for(title, slug)}.md", text)


def new_company(project: Path, name: str, slug: str | None = None) -> Path:
    """Write `content/companies/<slug>.md` with complete front matter."""
    text = COMPANY_TEMPLATE.format(title=json.dumps(name, ensure_ascii=False), name=name)
    return _write_new(project / "content" / "companies" / f"{_slug_for(name, slug)}.md", text)


def init_project(directory: Path) -> None:
    """Create a project that builds at once: settings, templates, a brief and a company."""
    if directory.exists() and any(directory.iterdir()):
        raise ScaffoldError(f"{directory} is not empty; choose a new folder")
    name = directory.resolve().name
    title = name.replace("-", " ").replace("_", " ").title() or "Briefing"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "site.yaml").write_text(
        SITE_TEMPLATE.format(title=json.dumps(title), slug=slugify(name) or "briefing"),
        encoding="utf-8")
    (directory / ".gitignore").write_text("output/\n.cache/\n", encoding="utf-8")
    shutil.copytree(THEME, directory / "templates")
    (directory / "content" / "media").mkdir(parents=True)
    new_company(directory, "Example Company", "example-company")
    brief = new_brief(directory, "First brief", "first-brief")
    text = brief.read_text(encoding="utf-8")
    text = text.replace("companies: []", "companies: [example-company]")
    text = text.replace("draft: true          # remove when the brief is ready to publish\n", "")
    text += "\nSee [[Example Company]] and the [[timeline]].\n"
    brief.write_text(text, encoding="utf-8")
