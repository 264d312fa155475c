"""The interactive timeline: filters that live in the URL, the overview, and no-JavaScript use."""

from urllib.parse import parse_qs, urlsplit

from tests.fixtures.sample import BRIEFS


def _events():
    return [e for meta, _ in BRIEFS.values() for e in meta.get("events", [])]


def _visible(page):
    return page.locator("#timeline-list li.entry:visible")


def test_filters_reduce_the_list_and_update_the_url(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "timeline/")
    total = _visible(page).count()
    assert total == len(_events())
    page.select_option("select[name=company]", "minimax")
    expected = {e["title"] for e in _events() if "minimax" in e.get("companies", [])}
    titles = {t.strip() for t in page.locator("#timeline-list li.entry-event:visible .entry-title").all_inner_texts()}
    assert titles == expected
    assert parse_qs(urlsplit(page.url).query) == {"company": ["minimax"]}
    page.check("input[name=forecasts]")
    assert _visible(page).count() == 0
    assert page.locator("#timeline-status").inner_text() == \
        f"Showing 0 of the {total} events on this page. Every event naming MiniMax"
    assert page.locator("#timeline-status a").get_attribute("href") == \
        "/china-ai-briefing/companies/minimax/#company-timeline"
    page.select_option("select[name=company]", "")
    assert _visible(page).count() == sum(1 for e in _events() if e.get("expected"))
    assert parse_qs(urlsplit(page.url).query) == {"forecasts": ["1"]}
    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#timeline-list li.entry:not([hidden])').length === {total}")
    assert urlsplit(page.url).query == ""


def test_the_tag_filter_leads_to_every_event_of_the_tag(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "timeline/?tag=chips")
    every = page.locator("#timeline-status a", has_text="Every event tagged chips")
    assert every.get_attribute("href") == "/china-ai-briefing/tags/chips/timeline/"
    every.click()
    page.wait_for_url("**/tags/chips/timeline/")
    expected = {e["title"] for meta, _ in BRIEFS.values() if "chips" in meta.get("tags", [])
                for e in meta.get("events", [])}
    assert {t.strip() for t in page.locator(".event-lines a").all_inner_texts()} == expected


def test_a_filtered_link_opens_the_filtered_view(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "timeline/?company=zhipu-ai&tag=ipo&year=2026")
    shown = page.locator("#timeline-list li.entry:visible")
    assert shown.count() > 0
    for index in range(shown.count()):
        entry = shown.nth(index)
        assert "zhipu-ai" in entry.get_attribute("data-companies").split()
        assert "ipo" in entry.get_attribute("data-tags").split()
        assert entry.get_attribute("data-year") == "2026"
    assert page.locator("select[name=company]").input_value() == "zhipu-ai"
    assert page.locator("#year-2030").is_hidden()
    assert page.locator("figure.chart a.mark.dim").count() > 0


def test_without_javascript_the_whole_timeline_shows(browser, sample_url):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(sample_url + "timeline/?company=minimax")
    assert page.locator("#timeline-filters").is_hidden()
    assert page.locator("#timeline-list li.entry:visible").count() == len(_events())
    assert page.locator("figure.chart svg").is_visible()


def test_a_mark_of_the_overview_jumps_to_its_entry(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "timeline/")
    mark = page.locator("figure.chart a.mark.forecast").first
    anchor = mark.get_attribute("data-entry")
    mark.click()
    page.wait_for_url(f"**/timeline/#{anchor}")
    assert page.locator(f"[id='{anchor}']").is_visible()


def test_old_timeline_links_land_on_the_entry_where_it_lives_now(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "timeline/#brief-us-lead-widening")
    page.wait_for_url(sample_url + "briefs/us-lead-widening/")
    assert page.locator("h1").inner_text().startswith("Chinese tech leaders")
    event = "2026-01-working-chinese-euv-lithography-prototype-reported"
    page.goto(sample_url + f"timeline/#{event}")
    assert page.locator(f"[id=\"{event}\"]").is_visible()
    assert page.url == sample_url + f"timeline/#{event}"
    page.goto(sample_url + "timeline/#an-event-of-another-period")
    page.wait_for_url(sample_url + "events/an-event-of-another-period/")


def test_a_keyboard_passes_the_chart_marks_by_its_skip_link(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "timeline/")
    assert page.locator("figure.chart a.mark").count() > 5
    skip = page.locator("figure.chart a.skip")
    skip.focus()
    shown, chart = skip.bounding_box(), page.locator("figure.chart").bounding_box()
    assert chart["x"] <= shown["x"] and chart["y"] <= shown["y"] <= chart["y"] + chart["height"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('figure.chart a.mark')")
    skip.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/#chart-end")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "company"


def test_the_chart_year_labels_stay_legible_from_a_phone_to_a_desktop(browser, sample_url):
    for width in (360, 390, 600, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(sample_url + "timeline/")
        shown = page.evaluate("""() => {
            const svg = document.querySelector('figure.chart svg');
            const label = svg.querySelector('text');
            return parseFloat(getComputedStyle(label).fontSize) * svg.getScreenCTM().a;
        }""")
        assert shown >= 9, f"year labels are {shown:.1f} px high at {width} px wide"
        page.close()
