"""Output is all or nothing and never leaves its folder."""

import pytest

from site_builder.errors import BuildFailed
from site_builder.output import OutputError, StagedOutput, check_output_folder, safe_join
from tests.conftest import brief


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../x", "a\\..\\b", ""])
def test_paths_leaving_the_output_are_refused(tmp_path, path):
    with pytest.raises(OutputError):
        safe_join(tmp_path, path)


def test_commit_replaces_the_whole_folder(tmp_path):
    output = tmp_path / "output"
    for files in ({"a.html": b"1", "old.html": b"x"}, {"a.html": b"2"}):
        with StagedOutput(output) as staged:
            for name, data in files.items():
                staged.write(name, data)
            staged.commit()
    assert sorted(p.name for p in output.iterdir()) == ["a.html"]
    assert (output / "a.html").read_bytes() == b"2"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_a_failed_build_leaves_the_previous_output_byte_for_byte(make_project, basic_files):
    project = make_project(basic_files)
    project.build()
    before = project.snapshot()
    project.write("content/briefs/first.md", brief("First brief", companies="nobody"))
    with pytest.raises(BuildFailed):
        project.build()
    assert project.snapshot() == before
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "output", "site.yaml"]


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
