"""Nothing let in: text from every field reaches every page escaped, and no content script runs."""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import Project

SCRIPT = '"><script>alert(1)</script>'
JS = "javascript:alert(1)"
BOTH = f"{SCRIPT} {JS}"
Q = json.dumps(BOTH)


def _files() -> dict[str, str]:
    return {
        "site.yaml": f"title: {Q}\ndescription: {Q}\nbase_url: http://127.0.0.1/x/\n"
                     f"author: {Q}\ntimeline_title: {Q}\n",
        "content/companies/evil.md":
            f"---\nname: {json.dumps('Evil ' + SCRIPT)}\naliases: [{Q}]\ncountry: CN\nhq: {Q}\n"
            f"website: 'https://example.com/?q=\"><script>alert(1)</script>'\n"
            f"listing: {{exchange: {Q}, ticker: {Q}, date: 2026-01}}\n"
            f"people: [{{name: {json.dumps('Person ' + SCRIPT)}, role: {Q}}}]\n"
            f"summary: {Q}\n---\n\n{BOTH} <img src=x onerror=alert(1)> [x]({JS})\n",
        "content/briefs/evil.md":
            f"---\ntitle: {Q}\ndate: 2026-01-11\nsummary: {Q}\ncompanies: [evil]\n"
            f"tags: [{Q}, {json.dumps(JS)}]\ntakeaways: [{Q}, '[x]({JS})']\n"
            f"sources:\n  - {{title: {Q}, publisher: {Q}, url: 'https://e.com/\"><script>', "
            f"date: 2026-01}}\n"
            f"events:\n  - {{date: 2026-01, title: {Q}, companies: [evil]}}\n---\n\n"
            f"# {BOTH}\n\n{BOTH} <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
            f"[link]({JS}) [data](data:text/html,<script>alert(1)</script>) <{JS}>\n"
            f"[[brief:evil|{SCRIPT}]] [[evil|{SCRIPT}]] ![i](javascript:alert(1))\n\n"
            f"| {SCRIPT} |\n|---|\n| {JS} |\n\n"
            f"Footnote[^1].\n\n[^1]: {BOTH}\n",
    }


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory, serve_folder):
    project = Project(tmp_path_factory.mktemp("xss") / "project", _files())
    project.build()
    root = tmp_path_factory.mktemp("served")
    (root / "x").symlink_to(project.output, target_is_directory=True)
    return project, serve_folder(root) + "/x/"


def test_every_page_opens_without_running_content_script(browser, evil_site):
    project, url = evil_site
    pages = sorted(p.relative_to(project.output).as_posix().removesuffix("index.html")
                   for p in project.output.rglob("*.html"))
    assert len(pages) >= 9
    context = browser.new_context()
    dialogs = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in pages:
        page = context.new_page()
        page.goto(url + path)
        scripts = page.evaluate("[...document.scripts].filter(s => s.type !== "
                                "'application/ld+json').map(s => s.src || s.textContent)")
        assert scripts == [url + "static/site.js"], (path, scripts)
        data = page.evaluate("[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
                             ".map(s => typeof JSON.parse(s.textContent))")
        assert data in ([], ["object"], ["object", "object"]), (path, data)  # data, whole
        hrefs = page.evaluate("[...document.querySelectorAll('[href],[src]')]"
                              ".map(e => e.getAttribute('href') || e.getAttribute('src'))")
        assert not [h for h in hrefs if h.strip().lower().startswith(("javascript", "data"))]
        assert page.evaluate("document.querySelectorAll('[onerror],[onclick],[onload]').length") == 0
        page.close()
    assert dialogs == []


def test_text_is_shown_as_written_in_pages_tags_and_feeds(evil_site, browser):
    project, url = evil_site
    page = browser.new_page()
    page.goto(url + "briefs/evil/")
    assert page.locator("h1#brief-title").inner_text() == BOTH
    assert page.locator("meta[property='og:title']").get_attribute("content") == BOTH
    assert page.locator("meta[property='article:tag']").first.get_attribute("content") == BOTH
    for feed in ("feed.xml", "companies/evil/feed.xml", "sitemap.xml"):
        ET.parse(project.output / feed)
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(project.output / "feed.xml").getroot()
    assert root.find(f"{atom}title").text == BOTH
    assert root.find(f"{atom}entry/{atom}title").text == BOTH
    content = root.find(f"{atom}entry/{atom}content").text
    assert "<script>" not in content and "&lt;script&gt;" in content


def test_search_results_and_timeline_filters_stay_text(evil_site, browser):
    _, url = evil_site
    context = browser.new_context()
    dialogs = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page = context.new_page()
    page.goto(url + "search/")
    for query in ("script alert", "javascript", "evil"):
        page.fill("#search-input", query)
        page.locator(f'#search-results[data-query="{query}"] li').first.wait_for(timeout=15_000)
        assert page.locator("#search-results script, #search-results img").count() == 0
        assert not [h for h in page.locator("#search-results a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))") if h.lower().startswith("javascript")]
    page.goto(url + "timeline/")
    tags = page.locator("select[name=tag] option").all_inner_texts()
    assert any(SCRIPT in text for text in tags)
    page.select_option("select[name=tag]", index=1)
    assert page.locator("#timeline-list script").count() == 0
    assert dialogs == []
