"""Rendering: one Jinja environment, autoescape on, strict undefined, the prefix on every URL."""

import re
from html.parser import HTMLParser

from site_builder.errors import ContentError
from tests.conftest import brief, company
from tests.stages import every_page, rendered


def test_every_link_carries_the_prefix(make_project, basic_files):
    html = rendered(make_project(basic_files).root, "/briefs/second/")
    assert 'href="/desk/static/site.css"' in html
    assert 'href="/desk/briefs/first/"' in html
    assert 'href="/'  not in html.replace('href="/desk/', "")


def test_text_from_content_is_escaped(make_project):
    project = make_project({"content/briefs/x.md": brief("'\"><script>alert(1)</script>'",
                                                         tags='"<b>x"')})
    html = rendered(project.root, "/briefs/x/")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html


def test_a_project_template_overrides_the_theme_and_the_rest_falls_back(make_project, basic_files):
    basic_files["templates/tag.html"] = ('{% extends "base.html" %}{% block main %}'
                                         "<p>custom {{ tag.name }}</p>{% endblock %}")
    root = make_project(basic_files).root
    assert "<p>custom chips</p>" in rendered(root, "/tags/chips/")
    assert "Briefs naming Nvidia" in rendered(root, "/companies/nvidia/")


def test_template_errors_name_the_template_and_line_in_a_template_s_words(make_project,
                                                                         basic_files):
    basic_files["templates/tag.html"] = '{% extends "base.html" %}\n{% block main %}\n' \
        '{{ nothing.here }}\n{% endblock %}'
    basic_files["templates/brief.html"] = '{% extends "base.html" %}\n{% block main %}\n' \
        '{{ page.nothing }}\n{% endblock %}'
    root = make_project(basic_files).root
    assert rendered(root, "/tags/chips/") == ContentError(
        "templates/tag.html", 3, 1, "template error: `nothing` is undefined")
    assert rendered(root, "/briefs/first/") == ContentError(
        "templates/brief.html", 3, 1, "template error: `nothing` is not a field of page")


def test_template_syntax_errors_name_the_line(make_project, basic_files):
    basic_files["templates/tag.html"] = "line one\n{% if %}\n"
    error = rendered(make_project(basic_files).root, "/tags/chips/")
    assert error.format().startswith("templates/tag.html:2:1: template error")


def test_counts_on_pages_take_the_singular_for_one(make_project):
    project = make_project({
        "content/companies/nvidia.md": company("Nvidia"),
        "content/briefs/x.md": brief("X", companies="nvidia", tags="chips", extra="""\
            events:
              - {date: 2030, title: Mass production, expected: true}
            """),
    })
    assert "<p class=\"lead\">1 event, newest first, including 1 forecast.</p>" in \
        rendered(project.root, "/timeline/")
    assert "<p class=\"lead\">1 brief</p>" in rendered(project.root, "/tags/chips/")
    companies = rendered(project.root, "/companies/")
    assert "CN · 1 brief</span>" in companies
    assert 'content="The 1 company covered by Test Briefing."' in companies
    project.write("content/briefs/x.md", brief("X", companies="nvidia", extra="""\
        events:
          - {date: 2026-01, title: Listed}
        """))
    assert "<p class=\"lead\">1 event, newest first.</p>" in rendered(project.root, "/timeline/")
    project.write("content/briefs/x.md", brief("X", companies="nvidia"))
    assert "No dated events yet." in rendered(project.root, "/timeline/")


BLOCKS = frozenset("""address article aside blockquote br caption dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p
    pre section summary table tbody td tfoot th thead tr ul""".split())
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _GlueFinder(HTMLParser):
    """The texts of indexed content (inside `data-pagefind-body`, outside
    `data-pagefind-ignore`) that meet at the edge of a block element with no space between."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[bool, bool]] = []  # per open element: (indexed, ignored)
        self.text = ""
        self.edge = False
        self.glued: list[str] = []

    def _indexed(self) -> bool:
        return bool(self.stack) and self.stack[-1][0] and not self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = {name for name, _ in attrs}
        indexed, ignored = self.stack[-1] if self.stack else (False, False)
        if tag not in VOID:
            self.stack.append((indexed or "data-pagefind-body" in names,
                               ignored or "data-pagefind-ignore" in names))
        if tag in BLOCKS and self._indexed():
            self.edge = True

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS and self._indexed():
            self.edge = True
        if tag not in VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._indexed() or not data:
            return
        if self.edge and self.text and not self.text[-1].isspace() and not data[0].isspace():
            self.glued.append(f"{self.text[-20:]}|{data[:20]}")
        self.text += data
        self.edge = False


def glued_texts(page: str) -> list[str]:
    """Where two texts of a page's indexed content run together across a block edge."""
    finder = _GlueFinder()
    finder.feed(page)
    return finder.glued


def test_the_glue_finder_finds_texts_run_together():
    assert glued_texts("<article data-pagefind-body><dl><dt>Country</dt><dd>CN</dd></dl>"
                       "</article>") == ["Country|CN"]
    assert glued_texts("<article data-pagefind-body><dl><dt>Country</dt>\n<dd>CN</dd></dl>"
                       "\n<p data-pagefind-ignore>a</p><p>b <em>c</em></p></article>") == []


def test_indexed_pages_keep_a_space_between_the_texts_of_block_elements(make_project):
    project = make_project({
        "content/companies/zhipu-ai.md": company(
            "Zhipu AI", "Zhipu, 智谱", "{name: Tang Jie, role: Founder}, {name: Zhang Peng}"
        ).replace("country: CN", "country: CN\nhq: Beijing\nwebsite: https://www.zhipuai.cn/\n"
                  "listing: {exchange: HKEX, date: 2026-01, ticker: '2513'}"),
        "content/companies/nvidia.md": company("Nvidia"),
        "content/briefs/first.md": brief("First brief", "2026-01-10", "zhipu-ai, nvidia",
                                         "chips, policy", "Zhipu AI met Nvidia.\n\n- one\n- two",
                                         extra="""\
            takeaways: [One point, Another point]
            sources:
              - {title: A report, publisher: Semafor, url: "https://e.org/a", date: 2026-01-11}
              - {title: Another report}
            events:
              - {date: 2026-01, title: Listing, companies: [zhipu-ai, nvidia]}
              - {date: 2030, title: Mass production, expected: true}
            """),
    })
    indexed = {path: page for path, page in every_page(project.root).items()
               if "data-pagefind-body" in page}
    assert {path.split("/")[1] for path in indexed} == {"briefs", "companies", "events"}
    for path, page in indexed.items():
        assert glued_texts(page) == [], path


def test_the_home_page_names_the_most_covered_companies_and_links_the_rest(make_project):
    files = {f"content/companies/c{n:02d}.md": company(f"Company {n:02d}") for n in range(14)}
    files["content/briefs/a.md"] = brief("A", companies="c13, c05")
    files["content/briefs/b.md"] = brief("B", companies="c13")
    html = rendered(make_project(files).root, "/")
    section = html.split('<h2 id="companies">', 1)[1].split("</section>", 1)[0]
    names = re.findall(r">(Company \d\d)</a>", section)
    assert len(names) == 12 and names[:2] == ["Company 13", "Company 05"]
    assert section.startswith("Most covered companies</h2>")
    assert '<a href="/desk/companies/">All 14 companies</a>' in section
