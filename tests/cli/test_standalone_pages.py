"""Standalone pages (About, Methodology) at `/<slug>/`, and the menu `site.yaml` gives."""

import re

from tests.helpers import run
from tests.conftest import SITE_YAML

ABOUT = """\
---
title: About this briefing
summary: Who writes it and how.
aliases: [/about-us/]
---

We follow Zhipu AI and [[Nvidia]]; see the [[timeline]] and [the tags](/tags/).
"""
MENU = """\
menu:
  - {title: Briefs, target: /}
  - {title: About, target: about}
  - {title: Chips, target: /tags/chips/}
  - {title: Source code, target: "https://github.com/example/briefing"}
"""


def _nav(html):
    nav = html.split('<nav aria-label="Site">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"( aria-current="\w+")?>([^<]+)</a>', nav)


def test_a_page_is_published_with_cross_links_and_the_menu_leads_to_it(make_project, basic_files):
    project = make_project({**basic_files, "content/pages/about.md": ABOUT,
                            "site.yaml": SITE_YAML + MENU})
    result = run("build", "--project", project.root)
    assert result.returncode == 0, result.stderr
    about = project.page("about/index.html")
    assert "<h1 id=\"page-title\">About this briefing</h1>" in about
    assert '<a href="/desk/companies/zhipu-ai/" class="mention">Zhipu AI</a>' in about
    assert '<a href="/desk/companies/nvidia/">Nvidia</a>' in about
    assert _nav(about) == [("/desk/", "", "Briefs"),
                           ("/desk/about/", ' aria-current="page"', "About"),
                           ("/desk/tags/chips/", "", "Chips"),
                           ("https://github.com/example/briefing", "", "Source code")]
    assert _nav(project.page("tags/chips/index.html"))[2][1] == ' aria-current="page"'
    assert "https://example.org/desk/about/" in project.page("sitemap.xml")
    assert "url=https://example.org/desk/about/" in project.page("about-us/index.html")
    assert run("check", "--project", project.root).returncode == 0


def test_the_default_menu_marks_the_section_of_a_page(make_project, basic_files):
    project = make_project(basic_files)
    project.build()
    assert _nav(project.page("companies/nvidia/index.html")) == [
        ("/desk/briefs/", "", "Briefs"), ("/desk/companies/", ' aria-current="true"', "Companies"),
        ("/desk/timeline/", "", "Timeline"), ("/desk/tags/", "", "Tags")]
    assert _nav(project.page("briefs/first/index.html"))[0] == (
        "/desk/briefs/", ' aria-current="true"', "Briefs")
    assert _nav(project.page("briefs/index.html"))[0] == (
        "/desk/briefs/", ' aria-current="page"', "Briefs")


def test_a_page_cannot_take_a_section_s_address(make_project, basic_files):
    project = make_project({**basic_files, "content/pages/tags.md": ABOUT.replace(
        "aliases: [/about-us/]\n", "")})
    result = run("build", "--project", project.root, cwd=project.root)
    assert result.returncode == 1
    assert "content/pages/tags.md:2:1: the page slug `tags` is the address of a section of " \
        "the site; rename the file or set `slug:` to another name" in result.stderr


def test_menu_items_are_checked_like_every_field(make_project, basic_files):
    menu = ("menu:\n  - {title: About, target: abuot}\n  - {title: Bad, target: "
            "\"javascript:alert(1)\"}\n  - {target: /tags/}\n  - {title: X, target: /tagz/}\n")
    project = make_project({**basic_files, "content/pages/about.md": ABOUT,
                            "site.yaml": SITE_YAML + menu})
    result = run("build", "--project", project.root, cwd=project.root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "site.yaml:7:20: no page or file of the site at `/abuot/`; did you mean `/about/` or "
        "`/about-us/`?",
        "site.yaml:8:18: menu target `javascript:alert(1)` is not a page, a site path or a URL; "
        "write a page's slug (about), a site path (/tags/) or an address (https://example.org/)",
        "site.yaml:9:5: `title` is required in menu[3]; add `title: ...`",
        "site.yaml:10:16: no page or file of the site at `/tagz/`; did you mean `/tags/`?"]


def test_draft_pages_are_built_only_when_asked(make_project, basic_files):
    draft = ABOUT.replace("aliases: [/about-us/]\n", "draft: true\n")
    project = make_project({**basic_files, "content/pages/about.md": draft})
    assert run("build", "--project", project.root).returncode == 0
    assert not (project.output / "about").exists()
    assert run("build", "--project", project.root, "--drafts").returncode == 0
    assert 'class="badge draft"' in project.page("about/index.html")
