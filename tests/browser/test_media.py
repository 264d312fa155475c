"""Images written in Markdown load in a browser when the site is served under a sub-path."""

import pytest

from tests.fixtures.sub_path import sub_path_project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small project with images of every kind, built for a sub-path."""
    return sub_path_project(tmp_path_factory.mktemp("media") / "mybriefs")


def test_every_image_loads_in_a_browser_under_the_sub_path(site, browser, serve_folder, tmp_path):
    (tmp_path / "mybriefs").symlink_to(site.output, target_is_directory=True)
    page = browser.new_page()
    page.goto(serve_folder(tmp_path) + "/mybriefs/briefs/first/")
    page.wait_for_load_state("load")
    sizes = page.eval_on_selector_all(".prose img", "images => images.map(i => i.naturalWidth)")
    assert sizes == [20, 20, 20, 20, 20]
