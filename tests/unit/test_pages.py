"""The page plan: one page per brief, company, tag, plus the fixed pages; no two on one path."""

import xml.etree.ElementTree as ET

from site_builder.plan.contexts import page_context
from site_builder.plan.pages import plan_pages
from site_builder.plan.views import Views, group_timeline
from site_builder.render import Renderer, project_theme
from tests.conftest import brief
from tests.stages import outline_for, site_of


def plan(project):
    site, _ = site_of(project.root)
    plan = plan_pages(outline_for(site))
    return site, plan.pages, [e.format() for e in plan.errors]


def test_every_page_of_the_format_is_planned(make_project, basic_files):
    site, pages, errors = plan(make_project(basic_files))
    assert errors == []
    assert sorted(p.path for p in pages) == sorted([
        "/", "/briefs/", "/briefs/first/", "/briefs/second/", "/companies/", "/companies/nvidia/",
        "/companies/zhipu-ai/", "/timeline/", "/timeline/2026/", "/tags/", "/tags/chips/",
        "/tags/policy/", "/tags/chips/timeline/", "/tags/policy/timeline/",
        "/events/2026-01-chips-approved/", "/404.html", "/search/", "/feed.xml", "/companies/nvidia/feed.xml", "/companies/zhipu-ai/feed.xml",
        "/sitemap.xml", "/robots.txt"])
    first = next(p for p in pages if p.path == "/briefs/first/")
    assert (first.output, first.kind, first.description) == (
        "briefs/first/index.html", "article", "Summary of First brief.")


def test_aliases_become_redirects_and_may_not_collide(make_project, basic_files):
    basic_files["content/briefs/third.md"] = brief("Third", extra="aliases: [/old/third/, /briefs/first/]\n")
    site, pages, errors = plan(make_project(basic_files))
    assert any(p.path == "/old/third/" and p.template == "redirect.html" for p in pages)
    assert errors == [
        "content/briefs/third.md:7:24: alias `/briefs/first/` collides with the page /briefs/first/; "
        "choose an old path that no other page uses"]


def test_timeline_groups_by_year_then_month_with_year_only_entries_last(make_project):
    site, pages, _ = plan(make_project({"content/briefs/a.md": brief("A", "2026-02-03", extra="""\
        events:
          - {date: 2026, title: Sometime}
          - {date: 2026-01, title: January}
          - {date: 2030, title: Later, expected: true}
        """)}))
    page = next(p for p in pages if p.path == "/timeline/")
    groups = page_context(site, Views(outline_for(site)), page)["timeline"]
    assert [(g.year, [m.label for m in g.months]) for g in groups] == [
        (2030, [""]), (2026, ["January 2026", ""])]
    assert groups[1].months[1].items[0].entry.title == "Sometime"
    assert group_timeline([]) == ()


def test_past_the_limit_the_sitemap_indexes_numbered_sitemaps(make_project, basic_files):
    project = make_project(basic_files)
    site, _ = site_of(project.root)
    outline = outline_for(site)
    pages = plan_pages(outline, sitemap_urls=4).pages
    renderer, views = Renderer(project_theme(project.root), site.config), Views(outline)
    xml = {p.path: ET.fromstring(renderer.render(p, page_context(site, views, p)))
           for p in pages if p.path.startswith("/sitemap")}
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    index = xml.pop("/sitemap.xml")
    assert index.tag.endswith("sitemapindex")
    assert [n.text for n in index.iter(loc)] == [
        f"https://example.org/desk/sitemap-{n}.xml" for n in range(1, len(xml) + 1)]
    listed = [n.text for sitemap in xml.values() for n in sitemap.iter(loc)]
    assert all(len(list(sitemap.iter(loc))) <= 4 for sitemap in xml.values())
    assert len(xml) > 1 and len(listed) == len(set(listed))
    assert sorted(listed) == sorted("https://example.org/desk" + p.path
                                    for p in pages if p.indexed and p.template.endswith(".html"))
    single = plan_pages(outline).pages
    assert [p.template for p in single if p.path.startswith("/sitemap")] == ["sitemap.xml"]
