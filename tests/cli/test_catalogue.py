"""Every broken project of the catalogue: its message at its place, exit 1, output untouched."""


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
def test_a_broken_project_is_answered_at_its_place(case: Case, make_project, tmp_path, capsys,
                                                   monkeypatch):
    project = make_project(BASE)
    monkeypatch.chdir(project.root)
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
    assert main(["build", "--project", str(project.root)]) == 1
    err = capsys.readouterr().err
    expected = f"{case.path}:{case.line}:"
    lines = [line for line in err.splitlines() if case.words in line]
    assert lines, err
    assert any(line.startswith(expected) for line in lines), (expected, err)
    assert "Traceback" not in err
    assert project.snapshot() == before


ACCEPTED = {
    "UTF-8 BOM and CRLF line endings": (
        "\ufeff---\r\ntitle: Windows brief\r\ndate: 2026-01-10\r\ncompanies: [nvidia]\r\n---\r\n"
        "\r\nBody [[Nvidia]].\r\n", "<h1 id=\"brief-title\">Windows brief</h1>"),
    "country NO stays Norway": (
        brief("First brief", "2026-01-10", "zhipu-ai").replace("tags: []", "tags: [no, on, off]"),
        ">#no</a>"),
    "on and off stay words": (
        brief("First brief", "2026-01-10", "zhipu-ai").replace("tags: []", "tags: [on, off]"),
        ">#off</a>"),
    "sexagesimal stays text": (
        brief("First brief", "2026-01-10", "zhipu-ai").replace("Summary of First brief.", "1:20"),
        "<p class=\"lead\">1:20</p>"),
    "a huge body": (brief("First brief", "2026-01-10", body=("word " * 200 + "\n\n") * 5000),
                    "word word"),
    "pathologically nested Markdown": (
        brief("First brief", "2026-01-10",
              body="> " * 20000 + "x\n\n" + "[" * 20000 + "\n\n" + "*a **a " * 20000),
        "<blockquote>"),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_input_that_only_looks_wrong_is_built_as_meant(name, make_project):
    text, expected = ACCEPTED[name]
    project = make_project({**BASE, "content/briefs/first.md": text})
    assert main(["build", "--project", str(project.root), "-q"]) == 0
    assert expected in project.page("briefs/first/index.html")


def test_a_country_code_no_is_read_as_norway(make_project):
    project = make_project({**BASE, "content/companies/equinor.md":
                            company("Equinor").replace("country: CN", "country: NO")})
    assert main(["build", "--project", str(project.root), "-q"]) == 0
    assert "<dd>NO</dd>" in project.page("companies/equinor/index.html")
