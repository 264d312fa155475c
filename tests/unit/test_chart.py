"""The timeline overview: one mark per event (or per month when crowded), each a link."""

import re

from site_builder.plan.chart import MAX_MARKS, timeline_chart
from site_builder.model.dates import PartialDate
from site_builder.link import Entry


def _entry(number, date, expected=False):
    return Entry(f"e{number}", date, f"Event {number}", expected, "b", (), ())


def test_every_event_is_a_mark_linking_to_its_entry():
    entries = [_entry(1, PartialDate(2026, 1, 11)), _entry(2, PartialDate(2026, 1)),
               _entry(3, PartialDate(2030), expected=True)]
    chart = timeline_chart(entries)
    assert not chart.bars
    assert sorted(m.anchor for m in chart.marks) == ["e1", "e2", "e3"]
    assert [m.forecast for m in chart.marks if m.anchor == "e3"] == [True]
    assert {m.anchor: m.label for m in chart.marks}["e3"] == "2030: Event 3 (forecast)"
    assert chart.summary == "3 events from 2026 to 2030, among them 1 forecast"
    assert [t.label for t in chart.ticks] == [str(y) for y in range(2026, 2032)]
    xs = {m.anchor: m.x for m in chart.marks}
    assert xs["e1"] < xs["e2"] < xs["e3"]  # a month without a day sits in its middle
    assert timeline_chart([_entry(4, PartialDate(2026, 3))]).summary == "1 event in 2026"
    assert timeline_chart([]) is None


def test_a_crowded_chart_draws_one_bar_per_month():
    entries = [_entry(n, PartialDate(2020 + n % 5, 1 + n % 12)) for n in range(MAX_MARKS + 50)]
    chart = timeline_chart(entries)
    assert chart.bars
    assert sum(m.count for m in chart.marks) == len(entries)
    assert len(chart.marks) == len({(e.date.year, e.date.month) for e in entries})
    assert chart.summary == f"{len(entries)} events from 2020 to 2024"


def test_a_crowded_chart_counts_a_lone_event_of_a_month_in_the_singular():
    entries = [_entry(n, PartialDate(2026, 1)) for n in range(MAX_MARKS + 1)]
    entries += [_entry(900, PartialDate(2027, 5)), _entry(901, PartialDate(2028, 2), expected=True)]
    labels = {m.anchor: m.label for m in timeline_chart(entries).marks}
    assert labels["e0"] == f"Jan 2026: {MAX_MARKS + 1} events"
    assert labels["e900"] == "May 2027: 1 event"
    assert labels["e901"] == "Feb 2028: 1 forecast"


def test_marks_on_the_built_timeline_link_to_entries_on_the_page(sample_site):
    html = (sample_site / "timeline" / "index.html").read_text()
    chart = html.split('<figure class="chart">', 1)[1].split("</figure>", 1)[0]
    anchors = re.findall(r'<a href="#([^"]+)" class="mark', chart)
    events = re.findall(r'<li id="([^"]+)" class="entry entry-event', html)
    assert sorted(anchors) == sorted(events) and len(events) == 11
    company = (sample_site / "companies" / "minimax" / "index.html").read_text()
    for anchor in re.findall(r'<a href="#([^"]+)" class="mark', company):
        assert f'<li id="{anchor}"' in company
