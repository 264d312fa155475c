"""The repository's own briefing, built end to end and crawled like a visitor would."""

import re
from html import escape as html_escape


from site_builder.check import check_site
from site_builder.build import BuildOptions, build
from tests.conftest import REPO, SUBPATH_URL
from tests.fixtures.sample import BRIEFS, COMPANIES



def _names_in(body: str, company: dict) -> bool:
    """An independent reading of "the body names the company": any name, alias or wiki-link."""
    for name in [company["name"], *company.get("aliases", [])]:
        if re.search(r"[\u4e00-\u9fff]", name):
            if name in body:
                return True
        elif re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", body):
            return True
    return False


def _expected_briefs(slug: str) -> set[str]:
    return {b for b, (meta, body) in BRIEFS.items()
            if slug in meta.get("companies", []) or _names_in(body, COMPANIES[slug])
            or re.search(rf"\[\[{re.escape(slug)}[|\]]", body)}


def test_the_sample_is_a_complete_briefing():
    assert len(BRIEFS) >= 4 and len(COMPANIES) >= 7
    assert {"alibaba", "tencent", "zhipu-ai", "minimax", "openai", "anthropic", "nvidia"} <= \
        set(COMPANIES)
    people = {p["name"] for c in COMPANIES.values() for p in c.get("people", [])}
    assert {"Yao Shunyu", "Lin Junyang", "Tang Jie"} <= people
    assert sum(len(meta.get("events", [])) for meta, _ in BRIEFS.values()) >= 10
    assert all(meta.get("sources") for meta, _ in BRIEFS.values())


def test_every_link_and_anchor_resolves_under_the_sub_path(sample_site):
    assert check_site(sample_site, SUBPATH_URL).problems == []


def test_every_link_resolves_on_a_root_site(tmp_path):
    output = tmp_path / "output"
    build(BuildOptions(project=REPO, output=output, base_url="https://briefing.example.org/"))
    assert check_site(output, "https://briefing.example.org/").problems == []
    assert 'href="/companies/"' in (output / "index.html").read_text()


def test_company_pages_list_exactly_the_briefs_naming_them(sample_site):
    for slug in COMPANIES:
        html = (sample_site / "companies" / slug / "index.html").read_text()
        section = html.split('id="company-briefs"', 1)[1].split("</section>", 1)[0]
        listed = set(re.findall(r'class="brief-link" href="/china-ai-briefing/briefs/([^/]+)/"',
                                section))
        assert listed == _expected_briefs(slug), slug


def test_the_timeline_lists_every_event_once_and_no_brief(sample_site):
    html = (sample_site / "timeline" / "index.html").read_text()
    entries = re.findall(r'<li id="([^"]+)" class="entry', html)
    events = [e for meta, _ in BRIEFS.values() for e in meta.get("events", [])]
    assert len(entries) == len(set(entries)) == len(events)
    assert not any(entry.startswith("brief-") for entry in entries)
    for event in events:
        assert html_escape(event["title"]).replace("&#x27;", "&#39;") in html


def test_forecasts_are_marked_and_precision_is_shown(sample_site):
    html = (sample_site / "timeline" / "index.html").read_text()
    forecast = re.search(r'<li id="2030-[^"]+" class="entry entry-event expected"[^>]*'
                         r'data-forecast>\s*<time datetime="2030">2030</time>', html)
    assert forecast
    assert '<time datetime="2026-01">Jan 2026</time>' in html
    assert "hollow marks are forecasts" in html
    minimax = (sample_site / "companies" / "minimax" / "index.html").read_text()
    assert '<figure class="chart">' in minimax and "hollow marks" not in minimax  # none there


def test_people_have_anchors_and_prose_links_reach_them(sample_site):
    html = (sample_site / "companies" / "zhipu-ai" / "index.html").read_text()
    assert '<li id="person-tang-jie">' in html
    linked = [p for p in (sample_site / "briefs").rglob("index.html")
              if "/companies/zhipu-ai/#person-tang-jie" in p.read_text()]
    assert linked


def test_brief_pages_stay_small_and_load_nothing_from_other_hosts(sample_site):
    css = (sample_site / "static" / "site.css").stat().st_size
    for page in (sample_site / "briefs").rglob("index.html"):
        html = page.read_text()
        assert page.stat().st_size + css < 40 * 1024, page
        assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
        assert all(a.startswith("/china-ai-briefing/") or a.startswith(SUBPATH_URL)
                   for a in assets), assets


def test_fixed_files_exist_and_404_works_from_any_depth(sample_site):
    assert (sample_site / ".nojekyll").is_file()
    html = (sample_site / "404.html").read_text()
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert hrefs and all(h.startswith(("/china-ai-briefing/", "https://", "#")) for h in hrefs)
