"""The default theme in a real browser: styled, self-contained, readable on a phone, printable."""

from urllib.parse import urlsplit


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


def test_pages_fit_a_phone_screen(browser, sample_url):
    for path in ("", "briefs/us-lead-widening/", "timeline/", "companies/zhipu-ai/"):
        page, _, _ = _open(browser, sample_url + path, viewport={"width": 375, "height": 740})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


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
