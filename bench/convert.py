"""Convert a briefing project into the same site for Hugo and for Pelican."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Summary | plainify }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<a href="{{ "companies/" | relURL }}">Companies</a> <a href="{{ "tags/" | relURL }}">Tags</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2 Jan 2006" }}</time><p>{{ .Params.summary }}</p>
<p>{{ range .GetTerms "companies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2 Jan 2006" }}</time> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
""",
    "events/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "Jan 2006" }}</time>
<p>{{ range .GetTerms "companies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ with site.GetPage (printf "/briefs/%s" .Params.brief) }}<p>From the brief
<a href="{{ .RelPermalink }}">{{ .Title }}</a>, <time>{{ .Date.Format "2 Jan 2006" }}</time>.</p>
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</article>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>
{{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
}

PELICAN_CONF = """AUTHOR = "Bench"
SITENAME = "Generated Briefing"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
FEED_MAX_ITEMS = 50
ARTICLE_URL = "briefs/{slug}/"
ARTICLE_SAVE_AS = "briefs/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
PAGE_URL = "events/{slug}/"
PAGE_SAVE_AS = "events/{slug}/index.html"
DISPLAY_PAGES_ON_MENU = False
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""


def _split(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def _events(path: Path, meta: dict) -> list[tuple[str, dict]]:
    """The brief's dated events, each with the id its page has on our site."""
    found = []
    for event in meta.get("events") or []:
        slug = re.sub(r"[^a-z0-9]+", "-", str(event["title"]).lower()).strip("-")[:60]
        found.append((f"{event['date']}-{slug}", {**event, "brief": path.stem}))
    return found


def _month(date: object) -> str:
    text = str(date)
    return text if len(text) == 10 else f"{text}-01"


def to_hugo(project: Path, site: Path) -> None:
    """The project as a Hugo site: briefs and events as pages, companies and tags as taxonomies."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "briefs").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.github.io/bench/"\ntitle = "Generated Briefing"\n'
        'disableKinds = ["robotsTXT"]\n[taxonomies]\ncompany = "companies"\ntag = "tags"\n'
        '[outputs]\nhome = ["HTML", "RSS"]\nsection = ["HTML"]\nterm = ["HTML", "RSS"]\n'
        '[services.rss]\nlimit = 50\n')
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text)
    for path in sorted((project / "content" / "briefs").rglob("*.md")):
        meta, body = _split(path)
        front = {"title": meta["title"], "date": str(meta["date"]), "summary": meta.get("summary", ""),
                 "companies": meta.get("companies", []), "tags": meta.get("tags", [])}
        (site / "content" / "briefs" / path.name).write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body)
        for event_id, event in _events(path, meta):
            _hugo_event(site, event_id, event)
    for path in sorted((project / "content" / "companies").glob("*.md")):
        meta, body = _split(path)
        folder = site / "content" / "companies" / path.stem
        folder.mkdir(parents=True)
        (folder / "_index.md").write_text(
            "---\n" + yaml.safe_dump({"title": meta["name"]}, allow_unicode=True) + "---\n" + body)


def _hugo_event(site: Path, event_id: str, event: dict) -> None:
    """An event as a page of the `events` section (whose list is the timeline)."""
    folder = site / "content" / "events"
    folder.mkdir(exist_ok=True)
    front = {"title": event["title"], "date": _month(event["date"]), "slug": event_id,
             "companies": event.get("companies", []), "brief": event["brief"]}
    (folder / f"{event_id}.md").write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n")


def to_pelican(project: Path, site: Path) -> None:
    """The project as a Pelican site: briefs as articles, events as pages, companies and tags as tags."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONF)
    for path in sorted((project / "content" / "briefs").rglob("*.md")):
        meta, body = _split(path)
        tags = [f"company-{c}" for c in meta.get("companies", [])] + list(meta.get("tags", []))
        summary = " ".join(str(meta.get("summary", "")).split())
        (site / "content" / path.name).write_text(
            f"Title: {meta['title']}\nDate: {meta['date']}\nSlug: {path.stem}\n"
            f"Category: briefs\nTags: {', '.join(tags)}\nSummary: {summary}\n\n{body}")
        for event_id, event in _events(path, meta):
            (site / "content" / "pages").mkdir(exist_ok=True)
            (site / "content" / "pages" / f"{event_id}.md").write_text(
                f"Title: {event['title']}\nDate: {_month(event['date'])}\nSlug: {event_id}\n\n"
                f"From the brief [{meta['title']}]({{filename}}../{path.name}).\n")
