"""Builds that scale: processes, the persistent cache, and progress only on a terminal."""

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate
from site_builder.build import BuildOptions, build

from tests.helpers import digests


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = tmp_path_factory.mktemp("scale") / "project"
    generate(project, 160, 30, seed=11)
    return project


def _clean(project: Path, folder: Path, jobs: int) -> dict[str, str]:
    shutil.rmtree(folder, ignore_errors=True)
    build(BuildOptions(project=project, output=folder, jobs=jobs, cache=False))
    return digests(folder)


def test_one_process_and_two_give_the_same_site(generated, tmp_path):
    assert _clean(generated, tmp_path / "one", 1) == _clean(generated, tmp_path / "two", 2)


def test_a_build_after_an_edit_reuses_the_cache_and_equals_a_clean_build(generated, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(generated, project)
    first = build(BuildOptions(project=project, jobs=2))
    assert first.rendered == first.pages
    brief = sorted((project / "content" / "briefs").rglob("*.md"))[40]
    brief.write_text(brief.read_text().replace("\n\n", "\n\nAn edited sentence.\n\n", 1))
    second = build(BuildOptions(project=project, jobs=2))
    slug = brief.stem
    pages = [p for p in second.changed if not p.startswith("pagefind/")]
    assert second.rendered == len(pages) <= 8, pages
    assert f"briefs/{slug}/index.html" in pages
    assert all(p == f"briefs/{slug}/index.html" or p.endswith("feed.xml") for p in pages)
    assert digests(project / "output") == _clean(project, tmp_path / "clean", 1)
    third = build(BuildOptions(project=project, jobs=2))
    assert (third.rendered, third.changed) == (0, [])


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_build_leaves_the_next_one_a_hard_linked_copy_to_assemble_in(generated, tmp_path,
                                                                              jobs):
    project = tmp_path / "project"
    shutil.copytree(generated, project)
    build(BuildOptions(project=project, jobs=jobs))
    output, ready = project / "output", project / ".output.prev"
    files = sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(ready) for p in ready.rglob("*") if p.is_file())
    assert all((output / f).stat().st_ino == (ready / f).stat().st_ino for f in files)
    assert not list(project.glob(".output.mirror-*"))


@pytest.mark.parametrize("damage", [b"not a pickle at all", b"", b"\x80\x05garbage"])
def test_a_corrupt_cache_is_ignored(generated, tmp_path, damage):
    project = tmp_path / "project"
    shutil.copytree(generated, project)
    build(BuildOptions(project=project))
    (project / ".cache" / "build" / "state.pickle").write_bytes(damage)
    result = build(BuildOptions(project=project))
    assert result.rendered == result.pages
    assert digests(project / "output") == _clean(project, tmp_path / "clean", 1)


def test_a_foreign_or_deleted_cache_is_not_trusted(generated, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(generated, first)
    build(BuildOptions(project=first))
    shutil.copytree(first, second)
    brief = sorted((second / "content" / "briefs").rglob("*.md"))[7]
    brief.write_text(brief.read_text().replace("\n\n", "\n\nOnly in the copy.\n\n", 1))
    result = build(BuildOptions(project=second))
    assert result.rendered == result.pages
    assert digests(second / "output") == _clean(second, tmp_path / "clean", 1)
    shutil.rmtree(second / ".cache")
    assert build(BuildOptions(project=second)).rendered == result.pages


def test_progress_shows_on_a_terminal_and_never_in_logs(generated, tmp_path):
    def command(output):
        return [sys.executable, "-c", "import site_builder.cli as c; c.Progress.DELAY = 0; "
                "raise SystemExit(c.main(['build', '--project', %r, '-q', '--output', %r]))"
                % (str(generated), str(tmp_path / output))]
    logged = subprocess.run(command("logged"), capture_output=True, text=True,
                            env={**os.environ, "CI": ""})
    assert logged.returncode == 0 and "\r" not in logged.stderr + logged.stdout
    command = command("shown")
    pid, descriptor = pty.fork()
    if pid == 0:
        os.environ.pop("CI", None)
        os.execv(command[0], command)
    shown = b""
    while True:
        try:
            chunk = os.read(descriptor, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.waitpid(pid, 0)
    assert b"pages rendered: " in shown and b" of " in shown
