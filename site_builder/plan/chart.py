"""The timeline's overview: events placed on a time axis, drawn at build time as SVG data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from site_builder.counts import counted
from site_builder.model.dates import PartialDate
from site_builder.link import Entry

WIDTH = 960
HEIGHT = 150
MAX_HEIGHT = 330
MARGIN = 28
RADIUS = 5
MAX_MARKS = 400


class Mark(NamedTuple):
    """One event (or, on a crowded chart, one month of events) on the chart."""

    x: float
    y: float
    height: float
    anchor: str
    label: str
    forecast: bool
    count: int
    path: str = ""  # where the mark leads when its entry is not on the same page


class Tick(NamedTuple):
    """A year on the axis."""

    x: float
    label: str


class Chart(NamedTuple):
    """Everything the template needs to draw the overview."""

    width: int
    height: int
    baseline: float
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    bars: bool
    summary: str


def _when(date: PartialDate) -> float:
    """A date as a fraction of years; a month or a year without a day sits in its middle."""
    if not date.month:
        return date.year + 0.5
    day = (date.day - 1) / 31 if date.day else 0.5
    return date.year + (date.month - 1 + day) / 12


def _label(event: Entry) -> str:
    """An event's mark in words: its date, its title and whether it is a forecast."""
    return f"{event.date.display}: {event.title}" + (" (forecast)" if event.expected else "")


def _summary(events: Sequence[Entry]) -> str:
    """The chart in words, for readers who do not see it: `11 events from 2026 to 2030, among
    them 2 forecasts`."""
    first = min(e.date.year for e in events)
    last = max(e.date.year for e in events)
    years = f"in {first}" if first == last else f"from {first} to {last}"
    forecasts = sum(1 for e in events if e.expected)
    among = f", among them {counted(forecasts, 'forecast')}" if forecasts else ""
    return f"{counted(len(events), 'event')} {years}{among}"


def timeline_chart(entries: Sequence[Entry],
                   elsewhere: Callable[[Entry], str] = lambda entry: "") -> Chart | None:
    """The chart of events (newest first), or None without events; each mark leads to its
    entry on the same page, or to `elsewhere(entry)` when that names a site path."""
    events = list(entries)
    if not events:
        return None
    start = min(e.date.year for e in events)
    end = max(e.date.year for e in events) + 1
    span = WIDTH - 2 * MARGIN
    months: dict[tuple[int, int, bool], list[Entry]] = {}
    for event in sorted(events, key=lambda e: (e.date, e.id)):
        months.setdefault((event.date.year, event.date.month, event.expected), []).append(event)
    tallest = max(len(group) for group in months.values())
    stacked = len(events) <= MAX_MARKS and tallest * (2 * RADIUS + 2) + 50 <= MAX_HEIGHT
    height = max(HEIGHT, tallest * (2 * RADIUS + 2) + 50) if stacked else HEIGHT
    baseline = height - 30

    def x_of(value: float) -> float:
        return round(MARGIN + (value - start) / (end - start) * span, 1)

    ticks = tuple(Tick(x_of(year), str(year)) for year in range(start, end + 1)
                  if (end - start) <= 12 or (year - start) % max(1, (end - start) // 10) == 0)
    if stacked:
        marks = tuple(Mark(x_of(_when(event.date)), round(baseline - RADIUS - i * (2 * RADIUS + 2), 1),
                           0, event.id, _label(event), event.expected, 1, elsewhere(event))
                      for group in months.values() for i, event in enumerate(group))
        return Chart(WIDTH, height, baseline, marks, ticks, False, _summary(events))
    scale = (baseline - 10) / tallest
    marks = tuple(Mark(x_of(_when(group[0].date)), round(baseline - len(group) * scale, 1),
                       round(len(group) * scale, 1), group[0].id,
                       f"{group[0].date.display}: "
                       f"{counted(len(group), 'forecast' if expected else 'event')}",
                       expected, len(group), elsewhere(group[0]))
                  for (year, month, expected), group in months.items())
    return Chart(WIDTH, HEIGHT, baseline, marks, ticks, True, _summary(events))
