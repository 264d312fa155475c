"""`briefing serve` in a real browser: live reload, the error overlay, CSS without reload."""

import pytest

from site_builder.render import THEME
from tests.conftest import copy_sample, serving

BRIEF = "content/briefs/us-lead-widening.md"


@pytest.fixture
def preview(tmp_path):
    """The sample project copied and served by `briefing serve`; stopped after the test."""
    project = copy_sample(tmp_path / "project")
    with serving(project) as url:
        yield project, url


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_saving_a_brief_reloads_the_open_page(browser, preview):
    project, url = preview
    page = browser.new_page()
    page.goto(url + "briefs/us-lead-widening/")
    page.wait_for_function("window.briefingPreview && briefingPreview.connected")
    page.evaluate("window.__before_reload = true")
    _edit(project / BRIEF, "## What the rewrite reports", "## A freshly edited heading")
    page.wait_for_selector("h2:has-text('A freshly edited heading')", timeout=10_000)
    assert page.evaluate("window.__before_reload === undefined")


def test_a_broken_edit_shows_an_overlay_that_heals(browser, preview):
    project, url = preview
    page = browser.new_page()
    page.goto(url + "briefs/us-lead-widening/")
    page.wait_for_function("window.briefingPreview && briefingPreview.connected")
    original = (project / BRIEF).read_text(encoding="utf-8")
    _edit(project / BRIEF, "date: 2026-01-11", "date: 2026-02-30")
    overlay = page.locator("#briefing-error-overlay")
    overlay.wait_for(timeout=10_000)
    assert "content/briefs/us-lead-widening.md:3:1:" in overlay.inner_text()
    assert page.locator("h1").inner_text() == ("Chinese tech leaders rate China's odds of "
                                               "catching the US as slim")
    (project / BRIEF).write_text(original.replace("## What the rewrite reports",
                                                  "## Healed heading"), encoding="utf-8")
    page.wait_for_selector("h2:has-text('Healed heading')", timeout=10_000)
    assert page.locator("#briefing-error-overlay").count() == 0


def test_a_css_change_applies_without_a_reload(browser, preview):
    project, url = preview
    page = browser.new_page()
    page.goto(url + "briefs/us-lead-widening/")
    page.wait_for_function("window.briefingPreview && briefingPreview.connected")
    page.evaluate("window.__no_reload = true")
    css = project / "templates" / "static" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_text((THEME / "static" / "site.css").read_text()
                   + "\nbody { background: rgb(1, 2, 3) !important; }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
                           timeout=10_000)
    assert page.evaluate("window.__no_reload === true")
