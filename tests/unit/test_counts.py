"""Counts shown to a user: the singular for one, the plural for any other number."""

import pytest

from site_builder.counts import counted


@pytest.mark.parametrize("number, word, shown", [
    (0, "file", "0 files"),
    (1, "file", "1 file"),
    (2, "file", "2 files"),
    (0, "company", "0 companies"),
    (1, "company", "1 company"),
    (2, "company", "2 companies"),
    (1, "entry", "1 entry"),
    (3, "entry", "3 entries"),
    (2, "day", "2 days"),
    (2, "link-preview card", "2 link-preview cards"),
])
def test_a_count_takes_the_singular_only_for_one(number, word, shown):
    assert counted(number, word) == shown
