"""Search in a real browser: Latin, Chinese and accented queries, drafts, the preview."""

import gzip
import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.helpers import wait_for
from tests.conftest import SUBPATH_URL, Project, brief, company, copy_sample, serving
from tests.site.test_structured_data import by_type, structured


def _search(page, query, selector="#search-input", results="#search-results"):
    """Type a query and read the results once the list shows them for that query."""
    page.fill(selector, query)
    page.locator(f"{results}[data-query={json.dumps(query, ensure_ascii=False)}]").wait_for(
        state="attached", timeout=15_000)
    return [(li.locator("a").first.get_attribute("href"), li.inner_text())
            for li in page.locator(f"{results} li").all()]


def test_a_latin_query_in_the_header_finds_briefs_and_events(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "companies/")
    found = _search(page, "lithography", "#site-search-input", ".search-popup ol")
    hrefs = [href for href, _ in found]
    assert "/china-ai-briefing/briefs/euv-prototype-2030/" in hrefs
    event = next(text for href, text in found
                 if href.startswith("/china-ai-briefing/timeline/2026/#2026-01-working-chinese-euv"))
    assert event.startswith("EVENT Working Chinese EUV lithography prototype reported")
    assert "Jan 2026" in event
    assert page.locator(".search-popup mark").count() > 0


def test_a_chinese_alias_finds_its_company_and_the_briefs_that_name_it(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "search/?q=%E6%99%BA%E8%B0%B1")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0",
                           timeout=15_000)
    hrefs = [li.locator("a").get_attribute("href") for li in page.locator("#search-results li").all()]
    assert hrefs[0] == "/china-ai-briefing/companies/zhipu-ai/"
    assert "/china-ai-briefing/briefs/hong-kong-ai-listings/" in hrefs
    assert len([h for h in hrefs if "/briefs/" in h]) >= 3
    assert page.locator("#search-status").inner_text().endswith("for “智谱”")


def test_the_search_address_the_home_page_gives_search_engines_shows_results(browser, sample_url,
                                                                             sample_site):
    website = by_type(structured(sample_site, "index.html"))["WebSite"]
    template = website["potentialAction"]["target"]["urlTemplate"]
    address = template.replace(SUBPATH_URL, sample_url).replace("{search_term_string}",
                                                                quote("智谱"))
    page = browser.new_page()
    page.goto(address)
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0",
                           timeout=15_000)
    assert page.input_value("#search-input") == "智谱"
    first = page.locator("#search-results li a").first.get_attribute("href")
    assert first == "/china-ai-briefing/companies/zhipu-ai/"


def test_a_company_result_keeps_the_words_of_its_facts_apart(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "search/?q=headquarters")
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0",
                           timeout=15_000)
    result = page.locator("#search-results li").filter(
        has=page.locator('a[href="/china-ai-briefing/companies/zhipu-ai/"]'))
    excerpt = result.locator(".excerpt").inner_text()
    assert re.search(r"\bCountry CN Headquarters Beijing Website https://www\.zhipuai\.cn/ "
                     r"Listed HKEX\b", excerpt), excerpt


@pytest.fixture(scope="module")
def accented(tmp_path_factory, serve_folder):
    project = Project(tmp_path_factory.mktemp("accents") / "project", {
        "site.yaml": "title: Accents\nbase_url: http://127.0.0.1/sub/\n",
        "content/companies/soc.md": company("Société Générale"),
        "content/briefs/zurich.md": brief("Talks in Zürich", body="Delegates met in Zürich and "
                                          "São Paulo. Quokkaword appears here."),
        "content/briefs/secret.md": brief("Unreleased", body="Wombatword only in a draft.",
                                          extra="draft: true\n"),
        "content/briefs/北京-会谈.md": brief("Talks in Beijing", body="Echidnaword in Beijing."),
    })
    project.build()
    root = tmp_path_factory.mktemp("served-accents")
    (root / "sub").symlink_to(project.output, target_is_directory=True)
    return project, serve_folder(root) + "/sub/"


@pytest.mark.parametrize("query", ["zurich", "Zürich", "ZURICH", "sao paulo", "societe"])
def test_accents_match_with_or_without_them(browser, accented, query):
    page = browser.new_page()
    page.goto(accented[1] + "search/")
    found = _search(page, query)
    assert any("/sub/briefs/zurich/" in href or "/sub/companies/soc/" in href for href, _ in found)


def test_a_result_whose_address_is_not_ascii_leads_to_its_page(browser, accented):
    page = browser.new_page()
    page.goto(accented[1] + "search/")
    _search(page, "echidnaword")
    page.locator("#search-results li a").first.click()
    page.wait_for_url(f"**/sub/briefs/{quote('北京-会谈')}/")
    assert page.locator("h1").inner_text() == "Talks in Beijing"


def test_drafts_never_reach_the_production_index(accented):
    project, _ = accented
    words = b""
    for fragment in (project.output / "pagefind").glob("*/fragment/*"):
        words += gzip.decompress(fragment.read_bytes())
    assert b"Quokkaword" in words and b"Wombatword" not in words


def test_the_preview_indexes_new_content(browser, tmp_path):
    project = copy_sample(tmp_path / "project")
    with serving(project) as url:
        page = browser.new_page()
        page.goto(url + "search/")
        (project / "content" / "briefs" / "new.md").write_text(
            brief("Platypusword discovered", body="A brief about Platypusword."))

        def found() -> bool:
            try:
                page.goto(url + "search/?q=platypusword")
                page.locator('#search-results[data-query="platypusword"]').wait_for(
                    state="attached", timeout=15_000)
                return page.locator("#search-results li").count() > 0
            except PlaywrightError:  # live reload may navigate the page at the same moment
                return False
        assert wait_for(found, timeout=60)
        assert page.locator("#search-results li a").first.get_attribute("href").endswith(
            "/briefs/new/")


def test_the_index_starts_loading_when_the_search_box_gets_the_focus(browser, sample_url):
    """Loading the index before the first key is typed: on a phone on a slow link, 1.0 s of
    the 14.9 s from the last key to the results (bench/README.md)."""
    page = browser.new_page()
    page.goto(sample_url + "companies/")
    with page.expect_request(lambda request: request.url.endswith("/pagefind.js")):
        page.focus("#site-search-input")
    assert page.input_value("#site-search-input") == ""
    found = _search(page, "lithography", "#site-search-input", ".search-popup ol")
    assert "/china-ai-briefing/briefs/euv-prototype-2030/" in [href for href, _ in found]


def test_the_search_page_whose_box_has_the_focus_loads_the_index_as_it_opens(browser, sample_url):
    page = browser.new_page()
    with page.expect_request(lambda request: request.url.endswith("/pagefind.js")):
        page.goto(sample_url + "search/")
    assert page.evaluate("document.activeElement.id") == "search-input"
