"""Dates with the precision the writer gave: a year, a month or a day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache
from typing import NamedTuple

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTH_NAMES = tuple(calendar.month_name[1:])
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DateError(ValueError):
    """A date that is malformed or not on the calendar."""


class PartialDate(NamedTuple):
    """A calendar date known to the year, the month or the day; orders as (year, month, day)."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        """"day", "month" or "year"."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """`2026`, `2026-01` or `2026-01-11`."""
        return _iso(self)

    @property
    def display(self) -> str:
        """`2030`, `Jan 2026` or `11 Jan 2026`."""
        return _display(self)

    @property
    def month_label(self) -> str:
        """The month heading this date is grouped under, or "" for a year."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}" if self.month else ""

    def first_day(self) -> dt.date:
        """The earliest calendar day the date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)


@cache
def _iso(date: PartialDate) -> str:
    parts = [f"{date.year:04d}"]
    if date.month:
        parts.append(f"{date.month:02d}")
    if date.day:
        parts.append(f"{date.day:02d}")
    return "-".join(parts)


@cache
def _display(date: PartialDate) -> str:
    if not date.month:
        return str(date.year)
    month = f"{_MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {month}" if date.day else month


def parse_date(value: object, *, day_required: bool = False) -> PartialDate:
    """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or a YAML date) into a PartialDate."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        result = PartialDate(value.year, value.month, value.day)
    elif isinstance(value, int) and not isinstance(value, bool):
        result = _checked(str(value), value, 0, 0)
    elif isinstance(value, str):
        match = _PATTERN.match(value.strip())
        if not match:
            raise DateError(f"`{value}` is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else 0 for g in match.groups())
        result = _checked(value.strip(), year, month, day)
    else:
        raise DateError(f"expected a date (YYYY-MM-DD), got {type_name(value)}")
    if day_required and not result.day:
        raise DateError(f"`{result.iso}` needs a day; write YYYY-MM-DD")
    return result


def _checked(text: str, year: int, month: int, day: int) -> PartialDate:
    if year < 1 or year > 9999:
        raise DateError(f"`{text}` has no valid year")
    if month and not 1 <= month <= 12 or text.count("-") >= 1 and not month:
        raise DateError(f"`{text}` has no month {month}; months run from 01 to 12")
    if day and day > calendar.monthrange(year, month)[1] or text.count("-") == 2 and not day:
        raise DateError(f"`{text}` is not on the calendar: {calendar.month_name[month]} {year} "
                        f"has {calendar.monthrange(year, month)[1]} days")
    return PartialDate(year, month, day)


def type_name(value: object) -> str:
    """How a YAML value's type is named in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
