"""Rendering: one Jinja environment, autoescape on, strict undefined, the prefix on every URL."""

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from site_builder.config import SiteConfig
from site_builder.errors import BuildFailed
from site_builder.render import Renderer, escape_output, escape_replacing
from tests.conftest import brief, company


def test_every_link_carries_the_prefix(make_project, basic_files):
    project = make_project(basic_files)
    project.build()
    html = project.page("briefs/second/index.html")
    assert 'href="/desk/static/site.css"' in html
    assert 'href="/desk/briefs/first/"' in html
    assert 'href="/'  not in html.replace('href="/desk/', "")


def test_text_from_content_is_escaped(make_project):
    project = make_project({"content/briefs/x.md": brief("'\"><script>alert(1)</script>'",
                                                         tags='"<b>x"')})
    project.build()
    html = project.page("briefs/x/index.html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html


def test_a_project_template_overrides_the_theme_and_the_rest_falls_back(make_project, basic_files):
    basic_files["templates/tag.html"] = ('{% extends "base.html" %}{% block main %}'
                                         "<p>custom {{ tag.name }}</p>{% endblock %}")
    project = make_project(basic_files)
    project.build()
    assert "<p>custom chips</p>" in project.page("tags/chips/index.html")
    assert "Briefs naming Nvidia" in project.page("companies/nvidia/index.html")


def test_template_errors_name_the_template_and_line(make_project, basic_files):
    basic_files["templates/tag.html"] = '{% extends "base.html" %}\n{% block main %}\n{{ nothing.here }}\n{% endblock %}'
    project = make_project(basic_files)
    with pytest.raises(BuildFailed) as failed:
        project.build()
    error = failed.value.errors[0]
    assert (error.path, error.line) == ("templates/tag.html", 3)
    assert "'nothing' is undefined" in error.message


def test_template_syntax_errors_name_the_line(make_project, basic_files):
    basic_files["templates/tag.html"] = "line one\n{% if %}\n"
    with pytest.raises(BuildFailed) as failed:
        make_project(basic_files).build()
    assert failed.value.errors[0].format().startswith("templates/tag.html:2:1: template error")


class _Shown:
    def __html__(self) -> str:
        return "<em>kept</em>"


class _Printed:
    def __str__(self) -> str:
        return Markup("<b>printed</b>")


@pytest.mark.parametrize("value", ["plain", "", "a & b < c > d 'e' \"f\"", "&amp; already",
                                   "智谱 ✓", Markup("<b>safe</b>"), _Shown(), _Printed(), 42, 1.5, None,
                                   ["<x>"], ("a", "<b>")])
def test_values_are_written_as_markupsafe_escapes_them(value):
    assert escape_output(value) == str(markupsafe.escape(value))
    if isinstance(value, str) and not isinstance(value, Markup):
        assert escape_replacing(value) == str(markupsafe.escape(value))


def _lookups(context, value):
    return f"{context['site'].title}:{value}"


def test_templates_write_and_call_as_jinja_does(tmp_path):
    config = SiteConfig(title="Desk <1>", description="", base_url="https://example.org/desk/")
    renderer = Renderer(tmp_path, config)
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = ("{% macro m(x) %}[{{ x }}]{% endmacro %}{% for i in items %}{{ m(i) }}"
              "{{ ctx(i) }}{{ url('/a b/') }}{{ i }}{% endfor %}{% set y %}{{ items[0] }}{% endset %}"
              "{{ y }}{{ y|length }}{{ stop() is undefined }}")
    values = {"items": ["<i>", Markup("<b>"), 3], "ctx": jinja2.pass_context(_lookups),
              "stop": lambda: next(iter(()))}
    ours = renderer.env.from_string(source).render(values)
    theirs = plain.from_string(source).render(values, site=config, url=renderer.url)
    assert ours == theirs
    assert "[&lt;i&gt;]Desk &lt;1&gt;:&lt;i&gt;/desk/a%20b/&lt;i&gt;" in ours


def test_counts_on_pages_take_the_singular_for_one(make_project):
    project = make_project({
        "content/companies/nvidia.md": company("Nvidia"),
        "content/briefs/x.md": brief("X", companies="nvidia", tags="chips", extra="""\
            events:
              - {date: 2030, title: Mass production, expected: true}
            """),
    })
    project.build()
    assert "<p class=\"lead\">2 entries, newest first, including 1 forecast.</p>" in \
        project.page("timeline/index.html")
    assert "<p class=\"lead\">1 brief</p>" in project.page("tags/chips/index.html")
    companies = project.page("companies/index.html")
    assert "CN · 1 brief</span>" in companies
    assert 'content="The 1 company covered by Test Briefing."' in companies
    project.write("content/briefs/x.md", brief("X", companies="nvidia"))
    project.build()
    assert "<p class=\"lead\">1 entry, newest first.</p>" in project.page("timeline/index.html")
