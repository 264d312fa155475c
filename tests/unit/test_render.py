"""Rendering: one Jinja environment, autoescape on, strict undefined, the prefix on every URL."""

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from site_builder.config import SiteConfig
from site_builder.errors import BuildFailed
from site_builder.render import Renderer, escape_output, escape_replacing
from tests.conftest import brief


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
    assert [error.format() for error in failed.value.errors] == [
        "templates/tag.html:3:1: template error: `nothing` is undefined "
        "(on 2 pages: /tags/chips/, /tags/policy/)"]


def test_a_template_error_on_many_pages_is_told_once_in_a_template_s_words(make_project,
                                                                            basic_files):
    basic_files["templates/brief.html"] = '{% extends "base.html" %}\n{% block main %}\n' \
        '{{ page.nothing }}{{ brief.title.upper() }}\n{% endblock %}'
    for number in range(3, 6):
        basic_files[f"content/briefs/b{number}.md"] = brief(f"Brief {number}")
    with pytest.raises(BuildFailed) as failed:
        make_project(basic_files).build()
    assert [error.format() for error in failed.value.errors] == [
        "templates/brief.html:3:1: template error: `nothing` is not a field of page "
        "(on 5 pages: /briefs/b3/, /briefs/b4/, /briefs/b5/, …)"]


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
