"""The link stage: backlinks, timeline, tags, related and neighbouring briefs."""

from tests.conftest import SITE_YAML, brief, company
from tests.stages import site_of as stages_to_site


def site_of(project, drafts=False):
    site, errors = stages_to_site(project.root, drafts)
    assert not [e for e in errors if not e.warning], errors
    return site


def errors_of(project):
    return [e.format() for e in stages_to_site(project.root)[1]]


def test_company_pages_list_briefs_naming_them_in_front_matter_or_prose(make_project, basic_files):
    site = site_of(make_project(basic_files))
    assert site.relations.company_briefs["zhipu-ai"] == ("first",)
    assert site.relations.company_briefs["nvidia"] == ("second", "first")
    assert site.relations.brief_companies["first"] == ("zhipu-ai", "nvidia")


def test_timeline_holds_the_events_not_the_briefs(make_project, basic_files):
    site = site_of(make_project(basic_files))
    assert [(e.id, e.date.iso, e.brief) for e in site.relations.timeline] == [
        ("2026-01-chips-approved", "2026-01", "second")]
    event = site.relations.timeline[-1]
    assert event.id == "2026-01-chips-approved" and event.companies == ("nvidia",)
    assert site.relations.brief_events["second"] == (event,)


def test_forecasts_and_year_precision_are_kept(make_project):
    site = site_of(make_project({"content/briefs/a.md": brief("A", extra="""\
        events:
          - {date: 2030, title: Mass production, expected: true}
          - {date: 2026-01-11, title: Day fact}
        """)}))
    forecast = site.relations.timeline[0]
    assert (forecast.date.display, forecast.expected) == ("2030", True)
    assert site.relations.timeline[1].date.display == "11 Jan 2026"


def test_event_ids_are_unique_and_explicit_ids_must_not_collide(make_project):
    event = "  - {date: 2026-01, title: Same}\n"
    project = make_project({"content/briefs/a.md": brief("A", extra="events:\n" + event * 2)})
    ids = [e.id for e in site_of(project).relations.timeline]
    assert sorted(ids) == ["2026-01-same", "2026-01-same-2"]
    project.write("content/briefs/b.md", brief("B", extra="events:\n  - {date: 2026, title: X, "
                                               "id: fixed}\n  - {date: 2027, title: Y, id: fixed}\n"))
    assert any("content/briefs/b.md:9:" in m and "duplicate event id `fixed`" in m
               for m in errors_of(project))


def test_unknown_companies_are_errors_with_a_suggestion(make_project, basic_files):
    basic_files["content/briefs/third.md"] = brief("Third", companies="zhipu", extra="""\
        events:
          - {date: 2026, title: E, companies: [nvidai]}
        """)
    messages = errors_of(make_project(basic_files))
    assert "content/briefs/third.md:5:13: unknown company `zhipu`; did you mean `zhipu-ai`?" \
        in messages
    assert any(m.startswith("content/briefs/third.md:8:40:") and "did you mean `nvidia`?" in m
               for m in messages), messages


def test_not_strict_turns_unknown_references_into_warnings(make_project, basic_files):
    basic_files["site.yaml"] = SITE_YAML + "strict: false\n"
    basic_files["content/briefs/third.md"] = brief("Third", companies="nobody",
                                                   body="See [[Nobody]].")
    project = make_project(basic_files)
    assert site_of(project).relations.brief_companies["third"] == ()
    assert sorted(m for m in errors_of(project) if "third.md" in m) == [
        "content/briefs/third.md:5:13: warning: unknown company `nobody`",
        "content/briefs/third.md:9:5: warning: unknown company `Nobody` in [[Nobody]]"]


def test_a_name_may_point_to_one_company_only(make_project):
    messages = errors_of(make_project({
        "content/companies/a.md": company("Alpha", "Shared"),
        "content/companies/b.md": company("Beta", "shared"),
    }))
    assert "content/companies/a.md:3:1: the name `Shared` is also used by " \
        "content/companies/b.md; a name or alias must point to one company" in messages
    assert any(m.startswith("content/companies/b.md:3:1: the name `shared` is also used by "
                            "content/companies/a.md") for m in messages), messages


def test_tags_are_merged_by_slug_and_keep_the_common_spelling(make_project):
    site = site_of(make_project({
        "content/briefs/a.md": brief("A", "2026-01-01", tags="Export controls"),
        "content/briefs/b.md": brief("B", "2026-01-02", tags="export-controls"),
        "content/briefs/c.md": brief("C", "2026-01-03", tags="Export controls, 芯片"),
    }))
    assert [(t.slug, t.name, site.relations.tag_briefs[t.slug]) for t in site.relations.tags] == [
        ("export-controls", "Export controls", ("c", "b", "a")), ("芯片", "芯片", ("c",))]


def test_related_briefs_prefer_shared_companies_then_tags(make_project):
    site = site_of(make_project({
        "content/companies/x.md": company("Xco"), "content/companies/y.md": company("Yco"),
        "content/briefs/a.md": brief("A", "2026-01-01", "x, y", "t"),
        "content/briefs/b.md": brief("B", "2026-01-02", "x, y"),
        "content/briefs/c.md": brief("C", "2026-01-03", "x", "t"),
        "content/briefs/d.md": brief("D", "2026-01-04", "", "t"),
        "content/briefs/e.md": brief("E", "2026-01-05"),
    }))
    assert site.relations.related["a"] == ("b", "c", "d")
    assert site.relations.neighbours["c"] == ("b", "d")
    assert site.relations.neighbours["e"] == ("d", None)


def test_drafts_are_left_out_unless_asked_for(make_project, basic_files):
    basic_files["content/briefs/draft.md"] = brief("Draft", extra="draft: true\n")
    project = make_project(basic_files)
    assert "draft" not in site_of(project).brief
    assert "draft" in site_of(project, drafts=True).brief
