"""`briefing check`: what a visitor would find broken, reported as `page: href: problem`."""

import subprocess
import sys

import yaml

from tests.conftest import REPO, SITE_YAML, SUBPATH_URL, brief, company


def run(*args):
    return subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_the_sample_site_passes_on_a_sub_path_and_at_a_root(tmp_path):
    for base_url in (SUBPATH_URL, "https://briefing.example.org/"):
        output = tmp_path / base_url.split("/")[2]
        assert run("build", "--project", REPO, "--output", output, "--base-url", base_url,
                   "-q").returncode == 0
        result = run("check", "--project", REPO, "--output", output)
        assert result.returncode == 0, result.stdout
        assert result.stdout.strip().endswith(f"under {base_url}: 0 problems")


EVERY_LINK_FORM = """\
# Every link form

[[Zhipu AI]], [[Zhipu]], [[智谱]], [[zhipu-ai]], [[zhipu-ai|the Zhipu team]],
[[brief:other]], [[brief:other|the other brief]], [[brief:other#details]],
[[timeline]], [[timeline#2026-01-chips-approved]], [[Nvidia#person-jensen-huang]].

Tang Jie and Jensen Huang spoke; Nvidia and 智谱 were named.

[The companies](/companies/), [Nvidia](/companies/nvidia/), [a tag](/tags/chips/),
[the feed](/feed.xml), [a section](#every-link-form), [home](/), [media](/media/chart.svg).
"""


def test_a_site_using_every_link_form_passes(make_project):
    project = make_project({
        "content/companies/zhipu-ai.md": company("Zhipu AI", "Zhipu, 智谱",
                                                  "{name: Tang Jie, role: Founder}"),
        "content/companies/nvidia.md": company("Nvidia", "NVIDIA",
                                               "{name: Jensen Huang, role: CEO}"),
        "content/briefs/other.md": brief("Other", "2026-01-02", "nvidia", "chips",
                                         "## Details\n\nText.", extra="aliases: [/old/other/]\n"
                                         "events:\n  - {date: 2026-01, title: Chips approved}\n"),
        "content/briefs/all.md": brief("All", "2026-01-03", "zhipu-ai, nvidia", "chips",
                                       EVERY_LINK_FORM),
        "content/media/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    assert run("build", "--project", project.root, "-q").returncode == 0
    result = run("check", "--project", project.root)
    assert result.returncode == 0, result.stdout
    assert "0 problems" in result.stdout


def test_broken_links_missing_anchors_and_root_relative_links_are_reported(make_project,
                                                                          basic_files):
    basic_files["content/briefs/first.md"] = brief(
        "First brief", "2026-01-10", "zhipu-ai", "chips",
        "[gone](/companies/nobody/) and [no anchor](/companies/nvidia/#nowhere).")
    basic_files["templates/tag.html"] = ('{% extends "base.html" %}{% block main %}'
                                         '<a href="/tags/">all tags</a>{% endblock %}')
    basic_files["site.yaml"] = SITE_YAML + "strict: false\n"
    project = make_project(basic_files)
    built = run("build", "--project", project.root, "-q")
    assert built.returncode == 0
    assert built.stderr.count("warning: no ") == 2
    result = run("check", "--project", project.root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "briefs/first/index.html: /desk/companies/nobody/: no such page or file in the " \
        "output" in lines
    assert "briefs/first/index.html: /desk/companies/nvidia/#nowhere: no anchor `#nowhere` on " \
        "companies/nvidia/index.html" in lines
    assert "tags/chips/index.html: /tags/: outside the site's path prefix /desk/" in lines
    assert lines[-1].endswith(": 4 problems")  # the root-relative link is on two tag pages


def test_check_without_a_build_says_what_to_do(make_project):
    project = make_project({})
    result = run("check", "--project", project.root)
    assert result.returncode == 1
    assert "run `briefing build` first" in result.stderr


def test_the_pages_workflow_builds_checks_and_deploys():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert set(workflow["jobs"]) == {"build", "deploy"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    build = next(s["run"] for s in steps if s.get("name") == "Build the site")
    assert "pip install -e ." in build
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    assert any(s.get("run") == ".venv/bin/briefing check" for s in steps)
    assert next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))["with"] == \
        {"path": "output"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
