"""Output is all or nothing and never leaves its folder."""

import pytest

from site_builder.errors import BuildFailed
from site_builder.output.files import OutputError, check_output_folder, files_under, safe_join
from site_builder.output.staged import OutputMemo, StagedOutput
from tests.conftest import brief


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../x", "a\\..\\b", ""])
def test_paths_leaving_the_output_are_refused(tmp_path, path):
    with pytest.raises(OutputError):
        safe_join(tmp_path, path)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_commit_replaces_the_whole_folder_and_reuses_the_retired_one(tmp_path):
    output, memo = tmp_path / "output", OutputMemo()
    versions = [{"a.html": b"1", "old/x.html": b"x", "same.css": b"s"},
                {"a.html": b"2", "same.css": b"s"},
                {"a.html": b"3", "same.css": b"s", "new/y.html": b"y"},
                {"a.html": b"3", "same.css": b"s"}]
    for files in versions:
        with StagedOutput(output, memo) as staged:
            for name, data in files.items():
                kept = staged.keep(name) if name == "same.css" else None
                if kept:
                    staged.accept(*kept)
                else:
                    staged.write(name, data)
            staged.commit()
        memo = staged.memo
        assert _files(output) == files
        assert memo.current.keys() == files.keys()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.prev", "output"]
    assert _files(tmp_path / ".output.prev") == versions[2]
    assert (output / "same.css").stat().st_ino == (tmp_path / ".output.prev" / "same.css").stat().st_ino


def test_a_file_kept_elsewhere_is_linked_not_copied_and_written_when_it_cannot_be(tmp_path):
    kept = tmp_path / "kept.png"
    kept.write_bytes(b"card")
    output, memo = tmp_path / "output", OutputMemo()
    with StagedOutput(output, memo) as staged:
        staged.accept(*staged.prepare("cards/a.png", b"card", str(kept)))
        staged.accept(*staged.prepare("cards/b.png", b"other", str(tmp_path / "missing.png")))
        staged.commit()
    assert (output / "cards" / "a.png").stat().st_ino == kept.stat().st_ino
    assert (output / "cards" / "b.png").read_bytes() == b"other"
    with StagedOutput(output, staged.memo) as again:  # the next build trusts the linked file
        assert again.keep("cards/a.png") is not None


def _two_builds(tmp_path):
    """An output built twice, so that a retired folder stands beside it."""
    output, memo = tmp_path / "output", OutputMemo()
    for data in (b"1", b"2"):
        with StagedOutput(output, memo) as staged:
            staged.write("a.html", data)
            staged.commit()
        memo = staged.memo
    return output, memo


def test_a_changed_output_is_not_trusted(tmp_path):
    output, memo = _two_builds(tmp_path)
    (output / "a.html").write_bytes(b"edited by hand!")
    with StagedOutput(output, memo) as staged:
        assert not staged.keep("a.html")
        staged.write("a.html", b"3")
        staged.commit()
    assert _files(output) == {"a.html": b"3"}


def test_a_failed_build_leaves_the_output_and_forgets_the_retired_folder(tmp_path):
    output, memo = _two_builds(tmp_path)
    with pytest.raises(RuntimeError):
        with StagedOutput(output, memo) as staged:
            staged.write("a.html", b"broken")
            raise RuntimeError("a page failed")
    assert _files(output) == {"a.html": b"2"}
    assert [p.name for p in tmp_path.iterdir()] == ["output"]
    with StagedOutput(output, memo) as staged:
        staged.write("a.html", b"4")
        staged.commit()
    assert _files(output) == {"a.html": b"4"}


def test_a_failed_build_leaves_the_previous_output_byte_for_byte(make_project, basic_files):
    project = make_project(basic_files)
    project.build()
    before = project.snapshot()
    project.write("content/briefs/first.md", brief("First brief", companies="nobody"))
    with pytest.raises(BuildFailed):
        project.build()
    assert project.snapshot() == before
    names = sorted(p.name for p in project.root.iterdir())
    assert set(names) <= {".cache", ".output.prev", "content", "output", "site.yaml"}, names


def test_a_foreign_or_dangerous_output_folder_is_refused(tmp_path):
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not written by `briefing build`"):
        check_output_folder(foreign, tmp_path / "project")
    with pytest.raises(OutputError, match="contains the project"):
        check_output_folder(tmp_path, tmp_path / "project")
    with pytest.raises(OutputError, match="inside the project's content/"):
        check_output_folder(tmp_path / "project" / "content" / "out", tmp_path / "project")


def test_the_files_of_a_folder_leave_out_symlinks_that_lead_out_and_symlinked_folders(tmp_path):
    folder, outside = tmp_path / "media", tmp_path / "secret.txt"
    (folder / "maps" / "asia").mkdir(parents=True)
    outside.write_text("secret")
    for name in ("b.png", "maps/a-b.svg", "maps/asia/c.svg"):
        (folder / name).write_text(name)
    (folder / "same.png").symlink_to(folder / "b.png")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "all").symlink_to(tmp_path, target_is_directory=True)
    assert [path.relative_to(folder).as_posix() for path in files_under(folder)] == [
        "b.png", "maps/a-b.svg", "maps/asia/c.svg", "same.png"]
