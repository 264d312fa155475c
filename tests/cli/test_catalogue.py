"""Every broken project of the catalogue: its message at its place, exit 1, output untouched."""

import time

import pytest

from site_builder.cli import main
from tests.conftest import brief, company, SITE_YAML
from tests.fixtures.catalogue import CASES, OUTSIDE, Case

BASE = {
    "site.yaml": SITE_YAML,
    "content/companies/zhipu-ai.md": company("Zhipu AI", "Zhipu, 智谱"),
    "content/companies/nvidia.md": company("Nvidia", "NVIDIA"),
    "content/briefs/first.md": brief("First brief", "2026-01-10", "zhipu-ai"),
    "content/briefs/second.md": brief("Second", "2026-01-12", "nvidia"),
}


def test_the_catalogue_is_large_and_names_are_unique():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_project_is_answered_at_its_place(case: Case, make_project, tmp_path, capsys):
    project = make_project(BASE)
    assert main(["build", "--project", str(project.root), "-q"]) == 0
    before = project.snapshot()
    for path, text in case.files.items():
        if text == OUTSIDE:
            secret = tmp_path / "secret.md"
            secret.write_text(brief("Secret"))
            (project.root / path).symlink_to(secret)
        else:
            project.write(path, text)
    capsys.readouterr()
    started = time.monotonic()
    assert main(["build", "--project", str(project.root)]) == 1
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    expected = f"{project.root / case.path}:{case.line}:"
    lines = [line for line in err.splitlines() if case.words in line]
    assert lines, err
    assert any(line.startswith(expected) for line in lines), (expected, err)
    assert "Traceback" not in err
    assert project.snapshot() == before
