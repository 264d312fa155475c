"""Images written in Markdown load in a browser when the site is served under a sub-path."""

from tests.site.test_markdown_urls import site  # noqa: F401 (a fixture)


def test_every_image_loads_in_a_browser_under_the_sub_path(site, browser, serve_folder, tmp_path):
    (tmp_path / "mybriefs").symlink_to(site.output, target_is_directory=True)
    page = browser.new_page()
    page.goto(serve_folder(tmp_path) + "/mybriefs/briefs/first/")
    page.wait_for_load_state("load")
    sizes = page.eval_on_selector_all(".prose img", "images => images.map(i => i.naturalWidth)")
    assert sizes == [20, 20, 20, 20, 20]
