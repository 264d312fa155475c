"""Accessibility: axe-core finds nothing serious on any kind of page, in light and dark, on a phone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_builder.counts import counted
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCHEMES = ("light", "dark")
EVENT = "2026-01-working-chinese-euv-lithography-prototype-reported"

PAGES = {
    "home": "",
    "brief": "briefs/us-lead-widening/",
    "company": "companies/zhipu-ai/",
    "timeline": "timeline/",
    "year": "timeline/2026/",
    "event": f"events/{EVENT}/",
    "archive": "briefs/",
    "search": "search/",
    "tag": "tags/chips/",
    "tag-timeline": "tags/chips/timeline/",
}


@pytest.fixture(scope="session")
def axe() -> Path:
    """axe-core as npm installs it; a missing install is a failure, never a skip."""
    assert AXE.is_file(), f"axe-core is not installed ({AXE} is missing): run `npm ci` in {REPO}"
    return AXE


def _search(page: Page, selector: str, results: str, query: str = "zhipu") -> None:
    """Type a query and wait until its results are shown."""
    page.fill(selector, query)
    page.locator(f"{results}[data-query={json.dumps(query)}] li").first.wait_for(timeout=15_000)


def _report(url: str, violations: list[dict]) -> str:
    """Each violation with what a developer needs to find and fix it."""
    lines = [f"{counted(len(violations), 'serious or critical accessibility violation')} on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation['helpUrl']}>")
        lines += [f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"]]
    return "\n".join(lines)


def _audit(browser: Browser, axe: Path, url: str, scheme: str, viewport: dict[str, int],
           prepare: Callable[[Page], None] = lambda page: None) -> None:
    """Open a page, bring it to the state to check, and fail on every serious violation."""
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        prepare(page)
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("axe.run().then(results => results.violations)")
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, _report(url, blocking)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_kind_of_page_passes_axe(browser, axe, sample_url, path, scheme):
    _audit(browser, axe, sample_url + path, scheme, DESKTOP)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [PAGES["home"], PAGES["timeline"]], ids=["home", "timeline"])
def test_pages_on_a_phone_pass_axe(browser, axe, sample_url, path, scheme):
    _audit(browser, axe, sample_url + path, scheme, PHONE)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_results_pass_axe(browser, axe, sample_url, scheme):
    _audit(browser, axe, sample_url + PAGES["search"], scheme, DESKTOP,
           lambda page: _search(page, "#search-input", "#search-results"))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_header_search_popup_passes_axe(browser, axe, sample_url, scheme):
    _audit(browser, axe, sample_url + PAGES["home"], scheme, DESKTOP,
           lambda page: _search(page, "#site-search-input", ".search-popup ol"))


def test_the_search_page_has_one_search_box(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + PAGES["search"])
    assert page.get_by_role("search").count() == 1
    assert page.get_by_role("search").locator("#search-input").count() == 1
    page.goto(sample_url + PAGES["home"])
    assert page.get_by_role("search").count() == 1


def test_a_screen_reader_meets_the_overview_as_named_links(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + PAGES["timeline"])
    chart = page.get_by_role("figure", name="11 events from 2026 to 2030, among them 1 forecast.")
    marks = chart.get_by_role("group", name="Events over time").get_by_role("link")
    assert marks.count() == page.locator("#timeline-list li.entry").count() == 11
    forecast = chart.get_by_role("link", name="(forecast)")
    assert forecast.count() == 1
    assert forecast.get_attribute("href") == "#2030-mass-production-of-chips-made-with-domestic-euv-tools"
    assert chart.get_by_role("img").count() == 0
