"""The commands as a user types them: exit codes, error lines, and nothing lost."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run
from tests.conftest import REPO, brief, company

BRIEFING = Path(sys.executable).with_name("briefing")


def test_build_prints_stages_and_a_summary(built):
    result = run("build", "--project", built.root)
    assert result.returncode == 0
    for stage in ("settings", "load", "markdown", "link", "plan", "render", "write"):
        assert f"  {stage} " in result.stdout
    assert re.search(r"built 22 pages \(\d+ files\) from 2 briefs, 2 companies, 1 event in "
                     r"[\d.]+ s into ", result.stdout)


def test_the_console_script_builds_the_repository_site_with_no_arguments(tmp_path):
    output = tmp_path / "out"
    result = subprocess.run([str(BRIEFING), "build", "--output", str(output), "-q"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "from 4 briefs, 7 companies" in result.stdout
    assert (output / "briefs" / "us-lead-widening" / "index.html").is_file()


BROKEN = [
    ("malformed YAML", "content/briefs/first.md",
     "---\ntitle: First brief\ndate: 2026-01-10\nsummary: a: b\n---\nBody\n",
     "content/briefs/first.md:4:11: invalid YAML: mapping values are not allowed"),
    ("missing title", "content/briefs/first.md",
     "---\ndate: 2026-01-10\nsummary: S\n---\nBody\n",
     "content/briefs/first.md:2:1: `title` is required"),
    ("impossible date", "content/briefs/first.md",
     "---\ntitle: First brief\ndate: 2026-02-30\n---\nBody\n",
     "content/briefs/first.md:3:1: `date`: `2026-02-30` is not on the calendar"),
    ("unknown company", "content/briefs/first.md", brief("First brief", companies="zhipu"),
     "content/briefs/first.md:5:13: unknown company `zhipu`; did you mean `zhipu-ai`?"),
    ("unknown wiki-link", "content/briefs/first.md", brief("First brief", body="Met [[Nvidai]]."),
     "content/briefs/first.md:9:5: unknown company `Nvidai` in [[Nvidai]]; did you mean `Nvidia`?"),
    ("duplicate slug", "content/briefs/copy.md", brief("Copy", extra="slug: first\n"),
     "content/briefs/copy.md:7:1: duplicate brief slug `first`: also the slug of "
     "content/briefs/first.md"),
]


@pytest.mark.parametrize("name, path, text, line", BROKEN, ids=[b[0] for b in BROKEN])
def test_bad_content_exits_1_with_the_place_and_leaves_output_untouched(built, name, path, text,
                                                                        line):
    before = built.snapshot()
    built.write(path, text)
    result = run("build", "--project", built.root, cwd=built.root)
    assert result.returncode == 1
    assert line in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "the previous output was left as it was" in result.stderr
    assert built.snapshot() == before


def test_all_errors_are_reported_together(built):
    built.write("content/briefs/a.md", brief("A", companies="nobody"))
    built.write("content/briefs/b.md", "---\ntitle: B\ndate: 2026-13-01\n---\n")
    built.write("content/companies/c.md", "no front matter\n")
    result = run("build", "--project", built.root, cwd=built.root)
    assert result.returncode == 1
    assert "content/briefs/a.md:5:13: unknown company `nobody`" in result.stderr
    assert "content/briefs/b.md:3:1:" in result.stderr
    assert "content/companies/c.md:1:1: no front matter" in result.stderr
    assert "build failed: 3 errors" in result.stderr
    built.write("content/briefs/b.md", brief("B"))
    built.write("content/companies/c.md", company("C"))
    result = run("build", "--project", built.root, cwd=built.root)
    assert "build failed: 1 error; the previous output was left as it was" in result.stderr


def test_new_brief_and_company_write_complete_files_and_never_overwrite(built):
    result = run("new", "brief", "Beijing approves H200 imports", "--project", built.root)
    assert result.returncode == 0, result.stderr
    path = built.root / "content" / "briefs" / "beijing-approves-h200-imports.md"
    text = path.read_text()
    assert f"date: {dt.date.today().isoformat()}" in text
    for field in ("title:", "summary:", "companies:", "tags:", "takeaways:", "sources:", "events:"):
        assert field in text
    path.write_text(text + "edited\n")
    again = run("new", "brief", "Beijing approves H200 imports", "--project", built.root)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_text().endswith("edited\n")
    assert run("new", "company", "DeepSeek", "--project", built.root).returncode == 0
    assert (built.root / "content" / "companies" / "deepseek.md").is_file()
    assert run("build", "--project", built.root).returncode == 0


def test_a_build_says_how_many_drafts_it_left_out_and_how_to_see_them(built):
    built.write("content/briefs/wip.md", brief("Work in progress", extra="draft: true\n"))
    built.write("content/pages/about.md", "---\ntitle: About\ndraft: true\n---\nSoon.\n")
    result = run("build", "--project", built.root, "-q")
    assert result.returncode == 0
    assert "2 drafts left out; build with --drafts to see them, or preview them with " \
        "`briefing serve`" in result.stdout
    assert not (built.output / "briefs" / "wip").exists()
    result = run("build", "--project", built.root, "-q", "--drafts")
    assert "drafts left out" not in result.stdout
    assert (built.output / "briefs" / "wip" / "index.html").is_file()


def test_one_draft_left_out_is_told_in_the_singular(built):
    built.write("content/briefs/wip.md", brief("Work in progress", extra="draft: true\n"))
    result = run("build", "--project", built.root, "-q")
    assert "1 draft left out; build with --drafts to see it, or preview it with " \
        "`briefing serve`" in result.stdout


def test_init_creates_a_project_that_builds_at_once(tmp_path):
    target = tmp_path / "desk-briefing"
    created = run("init", target)
    assert created.returncode == 0, created.stderr
    assert "from 1 brief, 1 company" in created.stdout
    assert (target / "output" / "briefs" / "first-brief" / "index.html").is_file()
    assert not (target / "templates" / "base.html").exists()
    result = run("build", "--project", target)
    assert result.returncode == 0, result.stderr
    assert "from 1 brief, 1 company" in result.stdout
    assert run("init", target).returncode == 1


@pytest.mark.parametrize("command, options", [
    ([], ["build", "new", "init"]),
    (["build"], ["--project", "--output", "--base-url", "--drafts", "--quiet"]),
    (["new"], ["brief", "company", "--slug", "--project"]),
    (["init"], ["directory"]),
])
def test_help_explains_every_option(command, options):
    result = run(*command, "--help")
    assert result.returncode == 0
    for option in options:
        assert option in result.stdout


def test_a_bad_base_url_option_is_an_error(built):
    result = run("build", "--project", built.root, "--base-url", "not a url")
    assert result.returncode == 1
    assert "--base-url" in result.stderr
