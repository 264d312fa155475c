"""Loading: every field of the format read and validated, errors at the field's line."""

import pytest

from site_builder.load.content import content_files, gather, load_brief, load_company, parse_file
from tests.conftest import brief, company


def _load(root):
    """Every content file of a project read, as the load stage reads them."""
    files, errors = content_files(root)
    content = gather([parse_file(True, file) for file in files])
    return content, errors + list(content.errors)


def _brief(text: str, strict: bool = True):
    errors = []
    record = load_brief(text.encode(), "content/briefs/x.md", strict, errors)
    return record, errors


def test_a_complete_brief_is_read():
    record, errors = _brief(brief("T", "2026-01-11", "a, b", "Chips, export controls", extra="""\
        takeaways: [One, Two]
        sources:
          - {title: S, publisher: P, url: "https://e.org/a", date: 2026-01}
        events:
          - {date: 2030, title: Forecast, expected: true, companies: [a]}
        aliases: [/old/path/]
        """))
    assert errors == []
    assert record.slug == "x"
    assert [r.target for r in record.companies] == ["a", "b"]
    assert record.tags == ("Chips", "export controls")
    assert record.sources[0].date.display == "Jan 2026"
    event = record.events[0]
    assert (event.id, event.expected, event.date.precision) == ("2030-forecast", True, "year")
    assert record.aliases[0].target == "/old/path/"
    assert record.body_line == 14


BASE = {"title": "T", "date": "2026-01-11", "summary": "S", "companies": "[a]", "tags": "[t]"}


def _front(**fields: str) -> str:
    """A brief whose front matter lines are BASE updated by `fields` (None drops a key)."""
    merged = {**BASE, **fields}
    lines = [f"{k}: {v}" if not v.startswith("\n") else f"{k}:{v}"
             for k, v in merged.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\nBody.\n"


@pytest.mark.parametrize("fields, line, words", [
    ({"title": "''"}, 2, "`title` is required"),
    ({"title": None}, 2, "`title` is required"),
    ({"date": "2026-02-30"}, 3, "February 2026 has 28 days"),
    ({"date": "2026-13-45"}, 3, "no month 13"),
    ({"date": "2026-01"}, 3, "needs a day"),
    ({"draft": "'false'"}, 7, "write `draft: false` without quotes"),
    ({"tags": "{a: 1}"}, 6, "`tags` must be a list"),
    ({"title": "[a, b]"}, 2, "`title` must be text, not a list"),
    ({"sumary": "x"}, 7, "did you mean `summary`"),
    ({"slug": "Bad/Slug"}, 7, "not usable in a URL"),
    ({"aliases": "[/a/../b/]"}, 7, "not a safe site path"),
    ({"events": "\n  - {title: No date}"}, 8, "`date` is required in events[1]"),
    ({"events": "\n  - just text"}, 8, "must be a mapping"),
    ({"events": "\n  - {date: 2026-1-x, title: T}"}, 8, "is not a date"),
    ({"sources": "\n  - {title: S, url: 'javascript:alert(1)'}"}, 8, "must be an http"),
])
def test_bad_fields_are_errors_at_their_line(fields, line, words):
    record, errors = _brief(_front(**fields))
    assert record is None, errors
    matching = [e for e in errors if words in e.format()]
    assert matching, [e.format() for e in errors]
    assert matching[0].line == line, matching[0].format()


def test_updates_are_read_newest_first_with_their_notes_in_one_line():
    record, errors = _brief(_front(updates="""
  - {date: 2026-01-12, note: Added a source.}
  - date: 2026-01-20
    note: >
      Corrected the listing
      date of MiniMax.
  - {date: 2026-01-11, note: Fixed a typo the day it was published.}"""))
    assert errors == []
    assert [(u.date.iso, u.note) for u in record.updates] == [
        ("2026-01-20", "Corrected the listing date of MiniMax."),
        ("2026-01-12", "Added a source."),
        ("2026-01-11", "Fixed a typo the day it was published.")]
    assert record.modified.iso == "2026-01-20"


def test_a_brief_without_updates_was_last_modified_when_published():
    record, errors = _brief(_front())
    assert errors == [] and record.updates == () and record.modified == record.date


@pytest.mark.parametrize("entry, column, message", [
    ("{dat: 2026-01-15, note: N}", 6,
     "unknown field `dat` in updates[1]; did you mean `date`?"),
    ("{date: 2026-01-15, notes: N}", 24,
     "unknown field `notes` in updates[1]; did you mean `note`?"),
    ("{date: 2026-01-15}", 5, "`note` is required in updates[1]; add `note: ...`"),
    ("{date: 2026-01-15, note: '  '}", 24, "`updates[1].note` is empty; say in a sentence"),
    ("{date: 2026-01-15, note: [a, b]}", 24, "`updates[1].note` must be text, not a list"),
    ("{note: N}", 5, "`date` is required in updates[1]; add `date: YYYY-MM-DD`"),
    ("{date: 2026-01, note: N}", 6, "`updates[1].date`: `2026-01` needs a day; write YYYY-MM-DD"),
    ("{date: 2026-02-30, note: N}", 6, "`updates[1].date`: `2026-02-30` is not on the "
                                       "calendar: February 2026 has 28 days"),
    ("{date: 2026-01-10, note: N}", 6, "`updates[1].date` `2026-01-10` is before the brief's "
                                       "`date` `2026-01-11`; an update comes after publication"),
    ("Corrected a date", 5, "each entry of `updates` must be a mapping of `key: value` lines"),
])
def test_a_wrong_update_is_an_error_at_its_line_and_column(entry, column, message):
    record, errors = _brief(_front(updates=f"\n  - {entry}"))
    assert record is None
    formatted = [e.format() for e in errors]
    assert any(f.startswith(f"content/briefs/x.md:8:{column}: {message}") for f in formatted), \
        formatted


def test_updates_that_are_no_list_are_an_error_with_a_hint():
    record, errors = _brief(_front(updates="2026-01-15"))
    assert record is None
    assert errors[0].format() == ("content/briefs/x.md:7:1: `updates` must be a list of entries, "
                                  "not text; start each entry of `updates` on its own line "
                                  "with `- `")


def test_unknown_fields_are_warnings_when_not_strict():
    record, errors = _brief(brief("T", extra="sumary: x\n"), strict=False)
    assert record is not None
    assert errors[0].warning and "unknown field `sumary`" in errors[0].message


def test_a_company_is_read_with_people_anchors():
    errors = []
    record = load_company(company("Zhipu AI", "Zhipu, 智谱", "{name: Tang Jie, role: Founder}")
                          .encode(), "content/companies/zhipu-ai.md", True, errors)
    assert errors == []
    assert record.aliases == ("Zhipu", "智谱")
    assert record.people[0].anchor == "person-tang-jie"


def test_country_no_is_norway_not_false():
    errors = []
    record = load_company(company("Equinor").replace("country: CN", "country: NO").encode(),
                          "content/companies/equinor.md", True, errors)
    assert errors == [] and record.country == "NO"


def _company_from(country: str, strict: bool = True):
    errors = []
    record = load_company(company("Acme").replace("country: CN", f"country: {country}").encode(),
                          "content/companies/acme.md", strict, errors)
    return record, [e.format() for e in errors]


NOT_A_CODE = "is not a two-letter country code"


@pytest.mark.parametrize("written, problem, hint", [
    ("China", NOT_A_CODE, "write `CN` (China)"),
    ("cn", "is a country code in small letters", "write `CN` (China)"),
    ("UK", "is not an ISO 3166 country code", "write `GB` (United Kingdom)"),
    ("United States", NOT_A_CODE, "write `US` (United States)"),
    ("USA", NOT_A_CODE, "write `US` (United States)"),
    ("Türkiye", NOT_A_CODE, "write `TR` (Türkiye)"),
    ("South Korea", NOT_A_CODE, "write `KR` (South Korea)"),
    ("Czechia", NOT_A_CODE, "write `CZ` (Czechia)"),
])
def test_a_country_written_as_a_name_gets_the_right_code_as_hint(written, problem, hint):
    record, errors = _company_from(written)
    assert record is None
    assert errors == [f"content/companies/acme.md:4:1: `country` `{written}` {problem}; {hint}"]


@pytest.mark.parametrize("written", ["XX", "ZZ", "EU"])
def test_a_two_letter_code_not_assigned_in_iso_3166_is_an_error(written):
    record, errors = _company_from(written)
    assert record is None
    assert errors == [f"content/companies/acme.md:4:1: `country` `{written}` is not an ISO 3166 "
                      "country code; write the country's two-letter ISO 3166-1 code"]


@pytest.mark.parametrize("written", ["Korea", "Chna"])
def test_no_code_is_suggested_when_the_name_is_ambiguous_or_unknown(written):
    _, errors = _company_from(written)
    assert errors[0].endswith("write the country's two-letter ISO 3166-1 code"), errors


@pytest.mark.parametrize("written", ["CH", "CN", "US", "GB", "TW"])
def test_assigned_country_codes_are_accepted(written):
    record, errors = _company_from(written)
    assert errors == [] and record.country == written


def test_a_wrong_country_is_an_error_also_when_not_strict():
    record, errors = _company_from("China", strict=False)
    assert record is None and "warning" not in errors[0] and "`CN` (China)" in errors[0]


def test_duplicate_slugs_collide_even_in_other_case(make_project):
    project = make_project({
        "content/briefs/one.md": brief("One"),
        "content/briefs/sub/One.md": brief("One again"),
        "content/briefs/three.md": brief("Three", extra="slug: one\n"),
    })
    _, errors = _load(project.root)
    messages = [e.format() for e in errors]
    assert any(m.startswith("content/briefs/sub/One.md:1:") and "duplicate brief slug `one`" in m
               for m in messages), messages
    assert any(m.startswith("content/briefs/three.md:7:") and "duplicate brief slug `one`" in m
               for m in messages), messages


def test_symlinks_out_of_the_project_are_refused(make_project, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(brief("Secret"))
    project = make_project({})
    (project.root / "content" / "briefs").mkdir(parents=True)
    (project.root / "content" / "briefs" / "secret.md").symlink_to(outside)
    content, errors = _load(project.root)
    assert content.briefs == ()
    assert "outside the project" in errors[0].message
