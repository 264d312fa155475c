"""Incremental rebuilds: after any edit, the live folder equals a clean build byte for byte."""

import shutil

import pytest

from site_builder.build import Builder, BuildOptions
from site_builder.engine.pages import draw_later
from site_builder.errors import BuildFailed
from tests.conftest import SITE_YAML, brief, company


def _files(folder):
    """Every file but the search index, which the preview builds beside the pages."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"}


@pytest.fixture
def live(make_project, basic_files, tmp_path):
    basic_files["content/briefs/third.md"] = brief(
        "Third brief", "2026-01-14", "nvidia", "chips", "Zhipu talks. See [[brief:first]].",
        extra="events:\n  - {date: 2026-01-03, title: Third event, companies: [zhipu-ai]}\n")
    project = make_project(basic_files)
    builder = Builder(BuildOptions(project=project.root), live=tmp_path / "live")
    build = builder.build

    def build_and_draw_cards():  # as the preview does: the cards its build left, after it
        result = build()
        draw_later(builder.engine.blobs("cards"), builder.live, result.cards_later)
        return result
    builder.build = build_and_draw_cards
    builder.build()
    return project, builder


def _assert_same_as_clean(project, builder, tmp_path):
    result = builder.build()
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    Builder(BuildOptions(project=project.root, output=clean)).build()
    assert _files(builder.live) == _files(clean)
    return result


PAGE = """\
---
title: About this briefing
aliases: [/about-us/]
---

We follow [[Zhipu AI]]; see [the first brief](/briefs/first/).
"""
MENU = """\
menu:
  - {title: Briefs, target: /}
  - {title: Chips, target: /tags/chips/}
  - {title: Source, target: "https://github.com/example/briefing"}
"""

EDITS = {
    "body": ("content/briefs/first.md", brief("First brief", "2026-01-10", "zhipu-ai", "chips",
                                              "Zhipu AI met Nvidia. A new sentence.")),
    "title": ("content/briefs/first.md", brief("First brief renamed", "2026-01-10", "zhipu-ai",
                                               "chips", "Zhipu AI met Nvidia.")),
    "company alias": ("content/companies/nvidia.md", company("Nvidia", "NVIDIA, Team Green")),
    "company website": ("content/companies/nvidia.md", company("Nvidia", "NVIDIA").replace(
        "country: CN", "country: CN\nwebsite: https://www.nvidia.com/")),  # in briefs' JSON-LD
    "event date": ("content/briefs/third.md", brief(
        "Third brief", "2026-01-14", "nvidia", "chips", "Zhipu talks. See [[brief:first]].",
        extra="events:\n  - {date: 2025-12, title: Third event, companies: [zhipu-ai]}\n")),
    "template": ("templates/tag.html", '{% extends "base.html" %}{% block main %}'
                                        "<h1>{{ tag.name }}</h1>{% endblock %}"),
    "static file": ("templates/static/extra.css", "body { color: red }"),
    "new brief": ("content/briefs/fourth.md", brief("Fourth", "2026-02-01", "zhipu-ai", "new-tag",
                                                    "Mentions Team Green.")),
    "brief aliases": ("content/briefs/first.md", brief(
        "First brief", "2026-01-10", "zhipu-ai", "chips", "Zhipu AI met Nvidia.",
        extra="aliases: [/old/first/, /2026/01/first.html]\n")),
    "new page": ("content/pages/about.md", PAGE),
    "update": ("content/briefs/first.md", brief(
        "First brief", "2026-01-10", "zhipu-ai", "chips", "Zhipu AI met Nvidia.",
        extra="updates:\n  - {date: 2026-01-16, note: Corrected a date.}\n")),
    "menu": ("site.yaml", SITE_YAML + MENU),
}


@pytest.mark.parametrize("kind", EDITS)
def test_an_edit_rebuilds_to_exactly_a_clean_build(live, tmp_path, kind):
    project, builder = live
    path, text = EDITS[kind]
    project.write(path, text)
    _assert_same_as_clean(project, builder, tmp_path)


def test_a_page_and_the_menu_that_leads_to_it_edited_in_turn(live, tmp_path):
    project, builder = live
    project.write("content/pages/about.md", PAGE)
    _assert_same_as_clean(project, builder, tmp_path)
    project.write("site.yaml", SITE_YAML + MENU + "  - {title: About us, target: about}\n")
    _assert_same_as_clean(project, builder, tmp_path)
    project.write("content/pages/about.md", PAGE.replace("About this briefing", "Who we are"))
    _assert_same_as_clean(project, builder, tmp_path)
    assert "Who we are" in (builder.live / "about" / "index.html").read_text()
    project.write("content/pages/about.md", PAGE.replace("aliases: [/about-us/]", "aliases: []"))
    _assert_same_as_clean(project, builder, tmp_path)
    assert not (builder.live / "about-us").exists()


def test_a_deleted_brief_disappears_and_nothing_links_to_it(live, tmp_path):
    project, builder = live
    (project.root / "content/briefs/third.md").unlink()
    project.write("content/briefs/second.md", brief("Second brief", "2026-01-12", "nvidia"))
    result = _assert_same_as_clean(project, builder, tmp_path)
    assert "briefs/third/index.html" in result.changed
    assert not (builder.live / "briefs" / "third").exists()
    assert not any(b"/briefs/third/" in data for data in _files(builder.live).values())


def test_a_body_edit_renders_only_the_pages_that_show_it(live, tmp_path):
    project, builder = live
    project.write("content/briefs/second.md", brief(
        "Second brief", "2026-01-12", "nvidia", "chips, policy",
        "See [[brief:first]] and [[timeline]]. More words.",
        extra="events:\n  - {date: 2026-01, title: Chips approved, companies: [nvidia]}\n"))
    result = _assert_same_as_clean(project, builder, tmp_path)
    shown_in = ["briefs/second/index.html", "feed.xml"]  # a company's feed shows no bodies
    assert result.rendered == 2
    assert sorted(result.changed) == shown_in


def test_a_title_edit_reaches_every_page_that_shows_the_title(live, tmp_path):
    project, builder = live
    project.write("content/briefs/first.md", brief("First renamed", "2026-01-10", "zhipu-ai",
                                                   "chips", "Zhipu AI met Nvidia."))
    result = _assert_same_as_clean(project, builder, tmp_path)
    assert "briefs/third/index.html" in result.changed  # its [[brief:first]] link text
    assert "briefs/index.html" in result.changed  # the archive


def _with_updates(*updates: str) -> str:
    lines = "".join(f"  - {{date: {date}, note: {note}}}\n" for date, note in updates)
    return brief("First brief", "2026-01-10", "zhipu-ai", "chips", "Zhipu AI met Nvidia.",
                 extra=f"updates:\n{lines}")


def test_an_update_reaches_its_brief_the_feeds_the_sitemap_and_the_corrections(live, tmp_path):
    project, builder = live
    project.write("content/briefs/first.md", _with_updates(("2026-01-16", "Corrected a date.")))
    result = _assert_same_as_clean(project, builder, tmp_path)
    assert sorted(p for p in result.changed if not p.startswith("pagefind/")) == [
        "briefs/first/index.html", "companies/nvidia/feed.xml",  # its body names Nvidia
        "companies/zhipu-ai/feed.xml", "corrections/index.html", "feed.xml", "sitemap.xml"]
    project.write("content/briefs/first.md", _with_updates(("2026-01-16", "Corrected a day.")))
    result = _assert_same_as_clean(project, builder, tmp_path)
    assert sorted(result.changed) == ["briefs/first/index.html", "corrections/index.html"]
    assert "Corrected a day." in (builder.live / "corrections" / "index.html").read_text()
    project.write("content/briefs/first.md", _with_updates())
    result = _assert_same_as_clean(project, builder, tmp_path)
    assert not (builder.live / "corrections").exists()


def test_nothing_changed_writes_nothing(live, tmp_path):
    project, builder = live
    result = _assert_same_as_clean(project, builder, tmp_path)
    assert (result.rendered, result.changed) == (0, [])


def test_a_failed_rebuild_changes_nothing_and_the_next_good_one_heals(live, tmp_path):
    project, builder = live
    before = _files(builder.live)
    project.write("content/briefs/first.md", "---\ntitle: [broken\n---\n")
    with pytest.raises(BuildFailed):
        builder.build()
    assert _files(builder.live) == before
    project.write("content/briefs/first.md", brief("First brief", "2026-01-10", "zhipu-ai",
                                                   "chips", "Healed."))
    _assert_same_as_clean(project, builder, tmp_path)


def test_edits_that_leave_bodies_behind_compact_the_store_and_still_match(live, tmp_path,
                                                                           monkeypatch):
    project, builder = live
    monkeypatch.setattr("site_builder.engine.texts.SLACK", -10**9)  # compact after every build
    for number in range(3):
        project.write("content/briefs/first.md", brief(
            "First brief", "2026-01-10", "zhipu-ai", "chips", f"Zhipu AI met Nvidia {number}."))
        _assert_same_as_clean(project, builder, tmp_path)
        named = builder.engine.named_texts()
        packs = list(builder.engine.texts.folder.glob("*.pack"))
        assert len(packs) == 1
        assert packs[0].stat().st_size == sum(text.size for text in named)


def test_a_pack_deleted_by_hand_empties_the_store_and_bodies_are_rendered_again(live, tmp_path):
    project, builder = live
    for pack in builder.engine.texts.folder.glob("*.pack"):
        pack.unlink()
    project.write("content/briefs/second.md", brief(
        "Second brief", "2026-01-12", "nvidia", "chips", "Nvidia answered."))
    _assert_same_as_clean(project, builder, tmp_path)  # the feeds read every brief's body
