"""The starting files of a new project: a .gitignore completed, never rewritten."""

import pytest

from site_builder.starter import IGNORED, completed_gitignore, gitignore


def test_a_new_gitignore_ignores_what_builds_write():
    assert gitignore().splitlines()[1:] == ["/output/", "/.output.*", "/.cache/", "/.venv/"]


@pytest.mark.parametrize("existing", ["output\n.cache\n.output.*\n.venv\n",
                                      "/output/\n/.cache/\n/.output.*/\n/.venv/\n",
                                      "!output/\n.cache/\n.output.*\n.venv/\n"])
def test_a_gitignore_naming_each_folder_already_is_left_as_it_is(existing):
    assert completed_gitignore(existing) == (existing, [])


def test_missing_lines_are_appended_after_the_kept_text_with_its_line_endings():
    text, added = completed_gitignore("*.log\r\noutput/")
    assert added == ["/.output.*", "/.cache/", "/.venv/"]
    assert text.startswith("*.log\r\noutput/\r\n\r\n# ")
    assert text.endswith("\r\n/.output.*\r\n/.cache/\r\n/.venv/\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_an_empty_gitignore_gets_every_line():
    text, added = completed_gitignore("")
    assert added == list(IGNORED)
    assert text == gitignore()
