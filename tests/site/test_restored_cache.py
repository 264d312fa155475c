"""A deploy that restores `output/` and `.cache/build` from an archive, as a CI cache does:
the files come back with new times of change, and an edit still costs an edit build."""

import os

from site_builder import search
from tests.conftest import brief, company


def _restore(folder):
    """Every file as an archive brings it back: the same bytes, another time of change."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))


def _project(make_project):
    files = {"content/companies/nvidia.md": company("Nvidia")}
    for number in range(12):
        files[f"content/briefs/b{number}.md"] = brief(
            f"Brief {number}", f"{2023 + number % 3}-0{number % 9 + 1}-0{number % 9 + 1}",
            "nvidia", "chips", f"Body {number}.")
    return make_project(files)


def test_an_edit_after_a_restored_cache_renders_only_what_it_changed(make_project, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 3)
    project = _project(make_project)
    cold = project.build()
    _restore(project.output)
    path = project.root / "content/briefs/b4.md"
    path.write_text(path.read_text().replace("Body 4.", "Body 4, edited."))
    edit = project.build()
    assert 0 < edit.rendered < cold.rendered / 3
    assert len(edit.shards) > 3
    assert edit.indexed == [s.name for s in edit.shards if "briefs/b4/index.html" in s.pages]
    assert "Body 4, edited." in project.page("briefs/b4/index.html")


def test_a_restored_file_whose_bytes_differ_is_not_trusted(make_project):
    project = _project(make_project)
    cold = project.build()
    page = project.output / "briefs" / "b5" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Body 5.", b"Body X."))
    _restore(project.output)
    again = project.build()
    assert again.rendered == cold.rendered
    assert "Body 5." in project.page("briefs/b5/index.html")
