"""A build reports every problem of a project in one run, each once, and writes nothing."""

from tests.helpers import run
from tests.conftest import SITE_YAML, brief, company


def _failed_lines(result):
    assert result.returncode == 1
    *errors, summary = result.stderr.splitlines()
    return errors, summary


def test_one_error_of_every_stage_comes_in_one_run(built):
    before = built.snapshot()
    built.write("site.yaml", SITE_YAML + "timline_title: Events\n")
    built.write("content/briefs/a.md", brief("A", "2026-01-05", "nobody", "chips",
                                             "See [[Zhipu AIX]] and [b](/briefs/bee/).",
                                             extra="aliases: [/companies/]"))
    built.write("content/briefs/b.md", brief("B", "2026-02-30"))
    built.write("templates/tags.html", '{% extends "base.html" %}{% block main %}\n'
                "{{ rows.missing }}{% endblock %}")
    errors, summary = _failed_lines(run("build", "--project", built.root, cwd=built.root))
    assert [line.split(": ", 1)[0] for line in errors] == [
        "content/briefs/a.md:5:13",   # link: unknown company in front matter
        "content/briefs/a.md:7:11",   # plan: an alias that collides with a page
        "content/briefs/a.md:10:5",   # markdown: unknown wiki-link
        "content/briefs/a.md:10:23",  # links: a link to no page
        "content/briefs/b.md:3:1",    # load: a date not on the calendar
        "site.yaml:6:1",              # settings: an unknown key
        "templates/tags.html:2:1",    # render: a template that raises
    ]
    assert "unknown company `nobody`" in errors[0]
    assert "no page or file of the site at `/briefs/bee/`" in errors[3]
    assert "`missing` is not a field of this list (on 1 page: /tags/)" in errors[6]
    assert summary == "build failed: 7 errors; the previous output was left as it was"
    assert built.snapshot() == before


def test_a_reference_to_a_record_that_failed_to_load_is_not_a_second_error(built):
    built.write("content/companies/nvidia.md", company("Nvidia").replace("country: CN",
                                                                         "country: [CN]"))
    built.write("content/briefs/third.md", brief("Third", "2026-01-20", "zhipu-ai, nvidia",
                                                 body="[[NVIDIA]] and [[brief:first]]."))
    built.write("content/briefs/first.md", "---\ntitle: First\ndate: 2026-13-01\n---\n")
    errors, summary = _failed_lines(run("build", "--project", built.root, cwd=built.root))
    assert [line.split(": ", 1)[0] for line in errors] == [
        "content/briefs/first.md:3:1", "content/companies/nvidia.md:4:1"]
    assert summary.startswith("build failed: 2 errors")


def test_a_misspelt_reference_to_a_record_that_failed_to_load_names_it_as_hint(built):
    built.write("content/companies/nvidia.md", company("Nvidia").replace("country: CN",
                                                                         "country: [CN]"))
    built.write("content/briefs/first.md", "---\ntitle: First\ndate: 2026-13-01\n---\n")
    built.write("content/briefs/third.md", brief("Third", "2026-01-20", "nvidai",
                                                 body="See [[brief:frist]]."))
    errors, _ = _failed_lines(run("build", "--project", built.root, cwd=built.root))
    assert any(line.startswith("content/briefs/third.md:") and "`nvidai`" in line
               and "did you mean `nvidia`?" in line for line in errors), errors
    assert any("[[brief:frist]]" in line and "did you mean `first`?" in line
               for line in errors), errors


def test_a_broken_site_yaml_does_not_hide_content_errors(built):
    built.write("site.yaml", "title: [unclosed\n")
    built.write("content/briefs/b.md", brief("B", "2026-02-30"))
    errors, _ = _failed_lines(run("build", "--project", built.root, cwd=built.root))
    assert [line.split(":", 1)[0] for line in errors] == ["content/briefs/b.md", "site.yaml"]


def test_a_template_error_on_many_pages_is_told_once_with_the_pages(built):
    built.write("templates/brief.html", '{% extends "base.html" %}\n{% block main %}\n'
                '{{ page.nothing }}{{ brief.title.upper() }}\n{% endblock %}')
    for number in range(3, 6):
        built.write(f"content/briefs/b{number}.md", brief(f"Brief {number}"))
    errors, summary = _failed_lines(run("build", "--project", built.root, cwd=built.root))
    assert errors == [
        "templates/brief.html:3:1: template error: `nothing` is not a field of page "
        "(on 5 pages: /briefs/b3/, /briefs/b4/, /briefs/b5/, …)"]
    assert summary.startswith("build failed: 1 error")


def test_links_to_pages_a_template_error_stopped_are_not_errors_again(built):
    built.write("templates/brief.html", '{% extends "base.html" %}\n{% block main %}\n'
                '{{ page.nothing }}\n{% endblock %}')
    built.write("content/briefs/b3.md", brief("Brief 3", body=(
        "See [first](/briefs/first/#intro), [[brief:second]] and [gone](/briefs/frist/).")))
    errors, summary = _failed_lines(run("build", "--project", built.root, cwd=built.root))
    assert errors == [
        "content/briefs/b3.md:9:57: no page or file of the site at `/briefs/frist/`; "
        "did you mean `/briefs/first/` or `/briefs/` or `/briefs/b3/`?",
        "templates/brief.html:3:1: template error: `nothing` is not a field of page "
        "(on 3 pages: /briefs/b3/, /briefs/first/, /briefs/second/)"]
    assert summary.startswith("build failed: 2 errors")
