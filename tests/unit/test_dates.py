"""Dates keep the precision the writer gave and refuse days not on the calendar."""

import datetime as dt

import pytest

from site_builder.model.dates import DateError, PartialDate, parse_date


@pytest.mark.parametrize("value, iso, display", [
    (2030, "2030", "2030"),
    ("2026-01", "2026-01", "Jan 2026"),
    ("2026-01-11", "2026-01-11", "11 Jan 2026"),
    (dt.date(2026, 1, 11), "2026-01-11", "11 Jan 2026"),
    ("2024-02-29", "2024-02-29", "29 Feb 2024"),
])
def test_precision_is_kept_and_shown(value, iso, display):
    date = parse_date(value)
    assert date.iso == iso
    assert date.display == display


@pytest.mark.parametrize("value, words", [
    ("2026-13-45", "no month 13"),
    ("2026-02-30", "February 2026 has 28 days"),
    ("2025-02-29", "February 2025 has 28 days"),
    ("2026-00", "no month 0"),
    ("Jan 2026", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2026/01/11", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    (True, "got true/false"),
    ([2026], "got a list"),
])
def test_impossible_and_malformed_dates_are_refused(value, words):
    with pytest.raises(DateError, match=words):
        parse_date(value)


def test_a_day_can_be_demanded():
    with pytest.raises(DateError, match="needs a day"):
        parse_date("2026-01", day_required=True)


def test_dates_sort_by_time_whatever_the_precision():
    dates = [parse_date(v) for v in ("2026-01-11", 2030, "2026-01", "2025-12-31")]
    assert [d.iso for d in sorted(dates)] == ["2025-12-31", "2026-01", "2026-01-11", "2030"]
    assert PartialDate(2026, 1).month_label == "January 2026"
    assert PartialDate(2030).month_label == ""
