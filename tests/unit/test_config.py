"""site.yaml is validated: unknown keys with a suggestion, a usable base URL."""

import pytest

from site_builder.load.settings import load_config
from site_builder.errors import BuildFailed
from tests.conftest import SITE_YAML


def _errors(project_files, make_project):
    project = make_project(project_files)
    with pytest.raises(BuildFailed) as failed:
        load_config(project.root)
    return [e.format() for e in failed.value.errors]


def test_settings_are_read_with_their_defaults(make_project):
    config = load_config(make_project({}).root)
    assert config.title == "Test Briefing"
    assert config.base_url == "https://example.org/desk/"
    assert config.strict is True and config.allow_html is False
    assert [(m.title, m.target) for m in config.menu] == [
        ("Briefs", "/briefs/"), ("Companies", "/companies/"), ("Timeline", "/timeline/"),
        ("Tags", "/tags/")]


def test_unknown_key_names_the_closest_known_one(make_project):
    errors = _errors({"site.yaml": SITE_YAML + "timline_title: Events\n"}, make_project)
    assert errors == ["site.yaml:6:1: unknown field `timline_title`; did you mean `timeline_title`?"]


@pytest.mark.parametrize("url", ["example.org/desk/", "ftp://example.org/", "https://e.org/a?b=1",
                                 "https:///nohost/"])
def test_malformed_base_url_is_an_error(make_project, url):
    text = SITE_YAML.replace("https://example.org/desk/", url)
    errors = _errors({"site.yaml": text}, make_project)
    assert errors and errors[0].startswith("site.yaml:3:1: `base_url`")


def test_a_base_url_without_trailing_slash_is_normalised(make_project):
    text = SITE_YAML.replace("https://example.org/desk/", "https://example.org/desk")
    assert load_config(make_project({"site.yaml": text}).root).base_url == "https://example.org/desk/"


def test_missing_site_yaml_says_how_to_start(tmp_path):
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path)
    assert "no site.yaml" in failed.value.errors[0].message
    assert "briefing init" in failed.value.errors[0].hint


def test_per_page_is_a_whole_number_within_bounds(make_project):
    assert load_config(make_project({"site.yaml": SITE_YAML + "per_page: 12\n"}).root).per_page == 12
    assert load_config(make_project({}).root).per_page == 30
    for value, shown in (("0", "`0`"), ("'12'", "text `12`"), ("1001", "`1001`"),
                         ("2.5", "`2.5`")):
        errors = _errors({"site.yaml": SITE_YAML + f"per_page: {value}\n"}, make_project)
        assert errors == [f"site.yaml:6:1: `per_page` must be a whole number from 1 to 1000, "
                          f"not {shown}; for example `per_page: 30`"], errors
