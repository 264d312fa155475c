"""Markdown: wiki-links, first mentions, heading anchors and safe links, all on tokens."""

import re

import pytest

from site_builder.markdown.render import normalize as markdown_normalize
from site_builder.markdown.render import render_body
from site_builder.model.dates import PartialDate
from site_builder.model.records import Brief, Company, Person, Ref
from site_builder.references import Linker
from site_builder.urls import Urls


def _company(slug, name, aliases=(), people=()):
    return Company(slug, f"content/companies/{slug}.md", name, tuple(aliases), "CN", "", "", None,
                   tuple(Person(n, "", f"person-{n.lower().replace(' ', '-')}") for n in people),
                   "", 1, 1)


def _brief(slug, title, takeaways=(), body_line=1):
    return Brief(slug, f"content/briefs/{slug}.md", title, PartialDate(2026, 1, 1), "", (), (),
                 tuple(takeaways), (), (), (), False, body_line, 1)


COMPANIES = [_company("zhipu-ai", "Zhipu AI", ["Zhipu", "智谱"], ["Tang Jie"]),
             _company("alibaba", "Alibaba", ["阿里巴巴"])]
LINKER = Linker(COMPANIES, [_brief("other", "The other brief")], Urls("https://e.org/desk/"),
                drafts=["upcoming"])


def render(text, allow_html=False, record=_brief("b", "B", body_line=10)):
    """A body rendered as the brief `content/briefs/b.md` whose body starts on line 10."""
    return render_body(LINKER, allow_html, (record, text))


def test_wiki_links_resolve_by_name_alias_slug_and_kind():
    html = render("[[Zhipu AI]] [[zhipu]] [[alibaba|Ali]] [[brief:other]] [[timeline]] "
                  "[[timeline#2026-x]]").html
    assert '<a href="/desk/companies/zhipu-ai/">Zhipu AI</a>' in html
    assert '<a href="/desk/companies/zhipu-ai/">Zhipu AI</a> <a href="/desk/companies/zhipu-ai/">' \
        'zhipu</a>' in html
    assert '<a href="/desk/companies/alibaba/">Ali</a>' in html
    assert '<a href="/desk/briefs/other/">The other brief</a>' in html
    assert '<a href="/desk/timeline/">Timeline</a>' in html
    assert '<a href="/desk/events/2026-x/">Timeline</a>' in html  # an event's own page


def test_unresolved_wiki_links_are_errors_at_their_own_line():
    result = render("First line.\n\nSecond para\nwith [[Zhpu AI]] here\n\n[[brief:nope]] "
                    "[[brief:upcoming]]")
    messages = [e.format() for e in result.errors]
    assert messages[0].startswith("content/briefs/b.md:13:6: unknown company `Zhpu AI` in "
                                  "[[Zhpu AI]]; did you mean `Zhipu AI`")
    assert messages[1].startswith("content/briefs/b.md:15:1: unknown brief `nope`")
    assert "brief `upcoming` is a draft" in messages[2]


def test_first_mention_links_once_per_company_longest_name_first():
    result = render("Zhipu AI and Zhipu and 智谱. 阿里巴巴 and Alibaba.")
    assert result.html.count("/desk/companies/zhipu-ai/") == 1
    assert '<a href="/desk/companies/zhipu-ai/" class="mention">Zhipu AI</a>' in result.html
    assert '<a href="/desk/companies/alibaba/" class="mention">阿里巴巴</a>' in result.html
    assert result.companies == ("zhipu-ai", "alibaba")


@pytest.mark.parametrize("text", [
    "# Zhipu AI heading", "`Zhipu AI`", "[Zhipu AI](https://z.ai)", "<https://zhipu.ai/Zhipu>",
    "    Zhipu AI in code", "Zhipuan and AlibabaGroup",
])
def test_no_mentions_inside_headings_code_links_or_words(text):
    assert "class=\"mention\"" not in render(text).html


def test_people_link_to_their_anchor_on_the_company_page():
    html = render("Tang Jie spoke. Tang Jie again.").html
    assert html.count('href="/desk/companies/zhipu-ai/#person-tang-jie"') == 1


def test_an_explicit_link_counts_as_the_first_mention():
    html = render("[[Zhipu AI]] then Zhipu.").html
    assert html.count("/desk/companies/zhipu-ai/") == 1


def test_excluded_names_are_not_linked():
    html = render("Zhipu AI and Tang Jie", record=COMPANIES[0]).html
    assert "<a" not in html


def test_headings_get_unique_readable_anchors_in_any_script():
    html = render("## 中文 标题\n\n## 中文 标题\n\n## Outlook\n\n## !!!").html
    assert 'id="中文-标题"' in html and 'id="中文-标题-1"' in html
    assert 'id="outlook"' in html and 'id="section"' in html
    assert 'class="header-anchor" href="#outlook" aria-label="Link to this section"' in html


def test_tables_footnotes_and_strikethrough():
    html = render("| a |\n|---|\n| b |\n\nNote[^1] ~~old~~\n\n[^1]: The note.").html
    assert "<table>" in html and "<td>b</td>" in html
    assert 'class="footnote-ref"' in html and "The note." in html
    assert "<s>old</s>" in html


@pytest.mark.parametrize("text", ["line one\r\nline two\r\n\r\npara", "old mac\rline\r\rpara",
                                  "mixed\r\n\rends\n", "nul\0here\n\n```\ncode\0\r\n```"])
def test_line_endings_and_nul_read_as_markdown_it_reads_them(text):
    from markdown_it import MarkdownIt
    plain = MarkdownIt("commonmark").render(text)
    ours = MarkdownIt("commonmark")
    ours.core.ruler.at("normalize", markdown_normalize)
    assert ours.render(text) == plain
    assert render(text).html.count("<p>") == plain.count("<p>")
    assert "\r" not in render(text).html and "\0" not in render(text).html


def test_raw_html_is_escaped_unless_allowed():
    assert "&lt;script&gt;" in render("<script>alert(1)</script>").html
    assert "<b>bold</b>" in render("<b>bold</b>", allow_html=True).html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                  "data:image/png;base64,AAAA", "vbscript:x", " javascript:x"])
def test_dangerous_link_schemes_never_reach_the_output(link):
    html = render(f"[x]({link}) ![i]({link}) <{link}>").html
    targets = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert not [t for t in targets if t.strip().lower().startswith(("javascript", "data", "vbs"))]


def test_site_paths_get_the_prefix():
    html = render("[the companies](/companies/alibaba/) [ext](https://e.org/x) [rel](#top)").html
    assert 'href="/desk/companies/alibaba/"' in html
    assert 'href="https://e.org/x"' in html and 'href="#top"' in html


def test_takeaways_render_inline_with_wiki_links_but_no_mentions():
    record = _brief("b", "B", [Ref("**Key**: [[Zhipu]] and Alibaba", 4, 5)])
    assert render("", record=record).takeaways == (
        '<strong>Key</strong>: <a href="/desk/companies/zhipu-ai/">Zhipu</a> and Alibaba',)


def test_a_wiki_link_shows_the_name_or_alias_as_written_and_the_name_for_a_slug():
    html = render("[[智谱]] [[zhipu-ai]] [[ZHIPU AI]] [[Zhipu#person-tang-jie]]").html
    assert '<a href="/desk/companies/zhipu-ai/">智谱</a>' in html
    assert '<a href="/desk/companies/zhipu-ai/">Zhipu AI</a>' in html
    assert '<a href="/desk/companies/zhipu-ai/">ZHIPU AI</a>' in html
    assert '<a href="/desk/companies/zhipu-ai/#person-tang-jie">Zhipu</a>' in html


def test_every_kind_of_site_path_gets_the_prefix():
    html = render("![chart](/media/chart.png) [pdf](/media/report.pdf) ![ref][c] [see][s]\n\n"
                  "[c]: /media/c.svg\n[s]: /companies/alibaba/ \"Alibaba\"\n\n"
                  "<https://e.org/desk/briefs/x/> [ext](https://other.org/a.png) "
                  "![far](//cdn.org/x.png)").html
    assert '<img src="/desk/media/chart.png" alt="chart" />' in html
    assert 'href="/desk/media/report.pdf"' in html
    assert '<img src="/desk/media/c.svg" alt="ref" />' in html
    assert '<a href="/desk/companies/alibaba/" title="Alibaba">see</a>' in html
    assert 'href="https://e.org/desk/briefs/x/"' in html
    assert 'href="https://other.org/a.png"' in html and 'src="//cdn.org/x.png"' in html


def test_file_names_with_spaces_and_accents_are_encoded_once():
    html = render("![a](</media/my chart.png>) ![b](/media/año-2026.svg) "
                  "![c](/media/a%C3%B1o.svg)").html
    assert 'src="/desk/media/my%20chart.png"' in html
    assert 'src="/desk/media/a%C3%B1o-2026.svg"' in html
    assert 'src="/desk/media/a%C3%B1o.svg"' in html


def test_an_address_with_a_space_left_as_text_is_an_error_with_the_brackets_as_hint():
    result = render("Intro.\n\nA chart: ![d](/media/año 2026.svg) and [map](my map.png),\n"
                    "[x](two words), `![c](/media/a b.png)` and ![ok](</media/a b.png>).")
    assert "![d](/media/año 2026.svg)" in result.html
    assert [e.format() for e in result.errors] == [
        "content/briefs/b.md:12:10: the address `/media/año 2026.svg` has a space, so "
        "Markdown shows this image as text; write `![d](</media/año 2026.svg>)`",
        "content/briefs/b.md:12:40: the address `my map.png` has a space, so Markdown shows "
        "this link as text; write `[map](<my map.png>)`"]


def test_relative_paths_count_from_the_source_file_when_they_reach_content():
    html = render("![m](../media/x.png) [doc](../media/a/b.pdf#p2) [up](../../media/x.png) "
                  "[sib](other/)").html
    assert 'src="/desk/media/x.png"' in html
    assert 'href="/desk/media/a/b.pdf#p2"' in html
    assert 'href="../../media/x.png"' in html and 'href="other/"' in html


def test_raw_html_urls_get_the_prefix_and_lose_dangerous_schemes():
    html = render('<figure><img src="/media/map.png" alt="Map" width=300></figure>\n\n'
                  'Inline <a href="/tags/chips/" class=x>tag</a> and '
                  '<a href="javascript:alert(1)">bad</a> and <a href="../x/">rel</a>',
                  allow_html=True).html
    assert '<img src="/desk/media/map.png" alt="Map" width="300">' in html
    assert '<a href="/desk/tags/chips/" class="x">tag</a>' in html
    assert "javascript" not in html and "<a>bad</a>" in html
    assert '<a href="../x/">rel</a>' in html


def test_each_address_of_a_raw_html_srcset_gets_the_prefix_and_dangerous_ones_go():
    result = render('<picture><source srcset="/media/wide.png 2x, https://e.org/a.png 3x, '
                    'javascript:alert(1) 4x"><img src="/media/map.png" '
                    'srcset="/media/map.png, /media/big.png 1200w"></picture>', allow_html=True)
    assert '<source srcset="/desk/media/wide.png 2x, https://e.org/a.png 3x">' in result.html
    assert 'srcset="/desk/media/map.png, /desk/media/big.png 1200w"' in result.html
    assert {link.path for link in result.links} == {"/media/wide.png", "/media/map.png",
                                                   "/media/big.png"}


def test_links_to_site_pages_are_remembered_with_their_places():
    result = render("Intro.\n\nSee [x](/briefs/kimi-k33/) and\n[y](/briefs/other/#us-tool-rul) "
                    "[[brief:other#outlook]] ![i](../media/pic.png) [ext](https://e.org/)")
    assert sorted(tuple(link) for link in result.links) == [
        ("/briefs/kimi-k33/", "", 12, 5), ("/briefs/other/", "outlook", 13, 33),
        ("/briefs/other/", "us-tool-rul", 13, 1), ("/media/pic.png", "", 13, 57)]
