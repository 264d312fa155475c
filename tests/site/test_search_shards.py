"""The search index in shards by period: an edit indexes again only the shard it touched, and
the index it leaves is the one a clean build makes."""

import errno
import json
import os
import shutil
import sys
from importlib.metadata import PackageNotFoundError

import pytest

from site_builder import search
from site_builder.errors import BuildFailed
from tests.conftest import brief, company
from tests.helpers import digests

YEARS = (2024, 2025, 2026)


@pytest.fixture
def sharded(make_project, monkeypatch):
    """Three years of briefs with events, two companies; a shard a year (March)."""
    monkeypatch.setattr(search, "SHARD_PAGES", 5)
    files = {"content/companies/zhipu-ai.md": company("Zhipu AI", "Zhipu"),
             "content/companies/nvidia.md": company("Nvidia")}
    for year in YEARS:
        for number in range(2):
            files[f"content/briefs/b{year}-{number}.md"] = brief(
                f"Brief {number} of {year}", f"{year}-03-0{number + 1}", "nvidia", "chips",
                f"Body of {year} number {number}, naming Nvidia.",
                extra=f"events:\n  - {{date: {year}-02, title: Event {number} of {year}}}\n")
    project = make_project(files)
    assert sorted(project.build().indexed) == ["0", *(f"{year}-03" for year in YEARS)]
    return project


def _index(project):
    return digests(project.output / "pagefind")


def _clean_build(project, tmp_path):
    copy = tmp_path / "clean"
    shutil.copytree(project.root / "content", copy / "content")
    shutil.copy(project.root / "site.yaml", copy / "site.yaml")
    build = type(project)(copy, {}).build(cache=False)
    assert len(build.indexed) == len(YEARS) + 1
    return digests(copy / "output" / "pagefind")


def test_the_browser_is_told_every_shard_newest_first(sharded):
    names = json.loads((sharded.output / search.SHARDS).read_text())
    assert names == [*(f"{year}-03" for year in reversed(YEARS)), "0"]
    for name in names:
        assert (sharded.output / "pagefind" / name / "pagefind-entry.json").is_file()


def test_an_edit_to_a_brief_indexes_its_month_again_and_nothing_else(sharded, tmp_path):
    before = _index(sharded)
    path = sharded.root / "content/briefs/b2025-1.md"
    path.write_text(path.read_text().replace("naming Nvidia.", "naming Nvidia and Quokkaword."))
    assert sharded.build().indexed == ["2025-03"]
    after = _index(sharded)
    assert {k: v for k, v in after.items() if not k.startswith("2025-03/")} == \
        {k: v for k, v in before.items() if not k.startswith("2025-03/")}
    assert after != before
    assert after == _clean_build(sharded, tmp_path)


def test_an_edit_to_a_profile_indexes_the_undated_shard_again(sharded, tmp_path):
    path = sharded.root / "content/companies/zhipu-ai.md"
    path.write_text(path.read_text().replace("Profile.", "Profile with Wombatword."))
    assert sharded.build().indexed == ["0"]
    assert _index(sharded) == _clean_build(sharded, tmp_path)


def test_a_build_with_nothing_changed_indexes_nothing(sharded):
    before = _index(sharded)
    assert sharded.build().indexed == []
    assert _index(sharded) == before


def test_a_brief_in_a_new_month_adds_a_shard_and_a_deleted_month_loses_it(sharded, tmp_path):
    sharded.write("content/briefs/new.md", brief(
        "New", "2027-01-05", "nvidia", "chips", extra="events:\n  - {date: 2027-01, title: A}\n"
        "  - {date: 2027-01, title: B}\n"))
    # Nvidia's page lists the new brief, and the newest of 2026 links it as the next one
    assert sharded.build().indexed == ["0", "2026-03", "2027-01"]
    for number in range(2):
        (sharded.root / f"content/briefs/b2024-{number}.md").unlink()
    sharded.build()
    names = json.loads((sharded.output / search.SHARDS).read_text())
    assert names == ["2027-01", "2026-03", "2025-03", "0"]
    assert not (sharded.output / "pagefind" / "2024-03").exists()
    assert _index(sharded) == _clean_build(sharded, tmp_path)


def test_without_pagefind_the_build_fails_with_a_hint_and_leaves_the_site(sharded, monkeypatch):
    before = sharded.snapshot()

    def missing(name):
        raise PackageNotFoundError(name)
    monkeypatch.setattr(search, "version", missing)
    sharded.write("content/briefs/new.md", brief("New", "2027-01-05", "nvidia", "chips"))
    with pytest.raises(BuildFailed) as failed:
        sharded.build()
    said = failed.value.errors[0].format()
    assert "the search index could not be built: Pagefind is not installed" in said
    assert "pagefind[extended]" in said and "search: false" in said
    assert sharded.snapshot() == before


def test_an_output_on_another_file_system_is_indexed_from_copies(sharded, monkeypatch, tmp_path):
    link = os.link

    def cross_device(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    monkeypatch.setattr(search.os, "link", cross_device)
    path = sharded.root / "content/briefs/b2026-0.md"
    path.write_text(path.read_text().replace("naming Nvidia.", "naming Nvidia, copied."))
    assert sharded.build().indexed == ["2026-03"]
    monkeypatch.setattr(search.os, "link", link)  # the clean build links again
    assert _index(sharded) == _clean_build(sharded, tmp_path)


def test_a_pagefind_that_fails_fails_the_build_with_its_words_and_leaves_the_site(sharded,
                                                                                 monkeypatch):
    before = sharded.snapshot()
    run = search.subprocess.run

    def failing(command, **options):  # the shard of the new brief's month is indexed again
        return run([sys.executable, "-m", "no_such_indexer", *command[1:]], **options)
    monkeypatch.setattr(search.subprocess, "run", failing)
    sharded.write("content/briefs/new.md", brief("New", "2027-01-05", "nvidia", "chips"))
    with pytest.raises(BuildFailed) as failed:
        sharded.build()
    said = failed.value.errors[0].format()
    assert "the search index could not be built:" in said and "no_such_indexer" in said
    assert sharded.snapshot() == before
    assert not list((sharded.root / ".cache" / "build" / "scratch").rglob("*"))  # no links left


def test_without_pagefind_s_program_the_build_fails_with_a_hint(sharded, monkeypatch):
    import pagefind.service
    before = sharded.snapshot()
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    sharded.write("content/briefs/new.md", brief("New", "2027-01-05", "nvidia", "chips"))
    with pytest.raises(BuildFailed) as failed:
        sharded.build()
    said = failed.value.errors[0].format()
    assert "the search index could not be built: Pagefind's program was not found" in said
    assert "pagefind[extended]" in said
    assert sharded.snapshot() == before
