"""The default theme in a real browser: styled, self-contained, readable on a phone, printable."""

from urllib.parse import urlsplit

from tests.conftest import SUBPATH_URL, copy_sample, serving


def _open(browser, url, **context):
    page = browser.new_context(**context).new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url)
    assert response.status == 200
    return page, requests, errors


def test_a_brief_page_is_styled_and_requests_nothing_from_other_hosts(browser, sample_url):
    page, requests, errors = _open(browser, sample_url + "briefs/hong-kong-ai-listings/")
    assert page.title().startswith("MiniMax and Zhipu AI make their Hong Kong debuts")
    takeaways = page.locator(".takeaways")
    assert takeaways.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    host = urlsplit(sample_url).netloc
    assert requests and all(urlsplit(r).netloc == host for r in requests), requests
    assert errors == []


def test_a_brief_page_needs_at_most_four_requests_before_images(browser, sample_url):
    page, requests, _ = _open(browser, sample_url + "briefs/us-lead-widening/")
    page.wait_for_load_state("networkidle")
    non_images = [r for r in requests if not r.endswith((".png", ".jpg", ".webp", ".gif"))]
    assert len(non_images) <= 4, non_images


def test_pages_fit_a_phone_screen(browser, sample_url):
    for path in ("", "briefs/us-lead-widening/", "timeline/", "companies/zhipu-ai/"):
        page, _, _ = _open(browser, sample_url + path, viewport={"width": 375, "height": 740})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_every_page_s_content_starts_a_clear_space_below_the_header(browser, sample_url):
    for path in ("", "briefs/us-lead-widening/", "timeline/", "companies/zhipu-ai/", "briefs/",
                 "tags/", "search/"):
        for width in (1280, 375):
            page, _, _ = _open(browser, sample_url + path, viewport={"width": width, "height": 740})
            gap = page.evaluate("document.querySelector('main > *').getBoundingClientRect().top"
                                " - document.querySelector('.site-header').getBoundingClientRect()"
                                ".bottom")
            assert gap >= 24, (path, width, gap)


def test_the_print_stylesheet_hides_navigation(browser, sample_url):
    page, _, _ = _open(browser, sample_url + "briefs/us-lead-widening/")
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator(".prose").is_visible()


def test_following_a_mention_lands_on_the_person(browser, sample_url):
    page, _, _ = _open(browser, sample_url + "briefs/hong-kong-ai-listings/")
    page.locator("a.mention", has_text="Tang Jie").first.click()
    page.wait_for_url("**/companies/zhipu-ai/#person-tang-jie")
    assert page.locator("#person-tang-jie").is_visible()


def test_copy_link_copies_the_absolute_url(browser, sample_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(sample_url + "briefs/us-lead-widening/")
    page.locator("a.copy-link").click()
    permalink = SUBPATH_URL + "briefs/us-lead-widening/"
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    assert page.url == sample_url + "briefs/us-lead-widening/"
    assert page.locator("#copy-status").inner_text() == f"Link copied: {permalink}"
    page.goto(sample_url + "timeline/")
    entry = page.locator("li.entry-event").first
    entry.hover()
    entry.locator("a.entry-anchor").click()
    anchor = entry.get_attribute("id")
    assert page.evaluate("navigator.clipboard.readText()") == f"{SUBPATH_URL}events/{anchor}/"


def test_without_javascript_copy_link_is_a_plain_permalink(browser, tmp_path):
    with serving(copy_sample(tmp_path / "project")) as url:
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(url + "timeline/")
        _follow_entry_link(page)


def _follow_entry_link(page):
    entry = page.locator("li.entry-event").nth(2)
    anchor = entry.get_attribute("id")
    title = entry.locator(".entry-title").inner_text()
    entry.hover()
    entry.locator("a.entry-anchor").click()
    page.wait_for_url(f"**/events/{anchor}/")
    assert page.locator("h1").inner_text() == title
    page.locator("a", has_text="See it on the timeline").click()
    page.wait_for_url(f"**/timeline/2026/#{anchor}")  # the page of its year
    assert page.locator(f"[id='{anchor}']").evaluate(
        "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_heading_anchors_appear_on_hover_and_focus(browser, sample_url):
    page = browser.new_page()
    page.goto(sample_url + "briefs/us-lead-widening/")
    heading = page.locator(".prose h2").first
    anchor = heading.locator("a.header-anchor")
    assert anchor.evaluate("e => getComputedStyle(e).opacity") == "0"
    heading.hover()
    page.wait_for_function("e => getComputedStyle(e).opacity === '1'", arg=anchor.element_handle())
    page.mouse.move(0, 0)
    anchor.focus()
    assert anchor.evaluate("e => getComputedStyle(e).opacity") == "1"
    assert anchor.get_attribute("href") == "#" + heading.get_attribute("id")
