"""Link-preview cards in a build: every page points at its card, each card drawn once."""

import io

from PIL import Image

from site_builder import cards
from site_builder.build import Builder, BuildOptions
from site_builder.engine.pages import draw_later
from tests.conftest import brief, company, copy_sample, serving
from tests.helpers import fetch, wait_for


def _image(data):
    return Image.open(io.BytesIO(data))


def _png(size):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_briefs_and_companies_have_cards_drawn_once_and_events_show_their_brief_s(make_project):
    project = make_project({"content/companies/z.md": company("Zhipu AI", "智谱"),
                            "content/briefs/a.md": brief("智谱上市", companies="z",
                                                         extra="events:\n  - {date: 2026, title: E}\n")})
    project.build()
    page = project.page("briefs/a/index.html")
    assert '<meta property="og:image" content="https://example.org/desk/cards/briefs/a.png">' in page
    for card in ("cards/briefs/a.png", "cards/companies/z.png"):
        assert _image((project.output / card).read_bytes()).size == (1200, 630)
    event = project.page("events/2026-e/index.html")
    assert '<meta property="og:image" content="https://example.org/desk/cards/briefs/a.png">' \
        in event
    assert '<meta property="og:image:alt" content="智谱上市">' in event
    assert not (project.output / "cards" / "events").exists()
    drawn = project.root / ".cache" / "cards"  # shared by builds and previews
    before = {path: path.stat().st_mtime_ns for path in drawn.rglob("*.bin")}
    assert len(before) == 3  # and the site's own image
    project.write("content/briefs/b.md", brief("Another"))
    project.build()
    after = {path: path.stat().st_mtime_ns for path in drawn.rglob("*.bin")}
    assert len(after) == 4 and all(after[path] == mtime for path, mtime in before.items())
    new = next(path for path in after if path not in before)
    assert (project.output / "cards" / "briefs" / "b.png").stat().st_ino == new.stat().st_ino


def test_a_missing_cjk_font_is_a_clear_warning(make_project, monkeypatch):
    latin = cards.CardFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0, False)
    monkeypatch.setattr("site_builder.build.find_font", lambda folders: latin)
    project = make_project({"content/briefs/a.md": brief("智谱上市")})
    result = project.build()
    assert [w.format() for w in result.warnings] == [
        "templates/fonts:1:1: warning: no font with Chinese, Japanese and Korean characters was "
        "found; 1 link-preview card will show boxes for them; install fonts-noto-cjk, or put a "
        ".ttf, .otf or .ttc font in templates/fonts/"]


def test_the_site_s_share_image_is_drawn_from_its_title_and_description(make_project):
    project = make_project({"content/briefs/a.md": brief("A")})
    project.build()
    share = (project.output / "static" / "share.png").read_bytes()
    font = cards.find_font([])
    expected = cards.CardText("", "Test Briefing", "A briefing used by the tests.",
                              "example.org/desk")
    assert share == cards.draw_card(expected, font)
    assert '<meta property="og:image" content="https://example.org/desk/static/share.png">' \
        in project.page("index.html")
    settings = project.root / "site.yaml"
    settings.write_text(settings.read_text().replace("Test Briefing", "Renamed Desk"))
    project.build()
    assert (project.output / "static" / "share.png").read_bytes() == cards.draw_card(
        expected._replace(title="Renamed Desk"), font)


def test_a_project_s_own_share_image_is_kept(make_project):
    own = _png((1200, 630))
    project = make_project({"content/briefs/a.md": brief("A"), "templates/static/share.png": own})
    project.build()
    assert (project.output / "static" / "share.png").read_bytes() == own


def test_the_preview_leaves_new_cards_for_later_and_draws_them_as_a_build_would(make_project):
    project = make_project({"content/companies/z.md": company("Zhipu AI"),
                            "content/briefs/a.md": brief("A brief", companies="z")})
    folder = project.root / ".cache" / "preview" / "site"
    builder = Builder(BuildOptions(project=project.root), live=folder)
    result = builder.build()
    assert sorted(card.output for card in result.cards_later) == \
        ["cards/briefs/a.png", "cards/companies/z.png"]
    assert (folder / "briefs" / "a" / "index.html").is_file()
    assert not (folder / "cards").exists()
    draw_later(builder.engine.blobs("cards"), folder, result.cards_later)
    project.build()
    for card in ("cards/briefs/a.png", "cards/companies/z.png"):
        assert (folder / card).read_bytes() == (project.output / card).read_bytes()
    assert builder.build().cards_later == []  # drawn once, then placed like any file
    assert (folder / "cards" / "briefs" / "a.png").is_file()


def test_a_preview_draws_the_cards_its_build_left_for_later(tmp_path):
    project = copy_sample(tmp_path / "project")
    with serving(project) as url:
        assert fetch(url)[0] == 200
        card = project / ".cache" / "preview" / "site" / "cards" / "briefs" / "us-lead-widening.png"
        assert wait_for(card.is_file)
        assert _image(card.read_bytes()).size == (1200, 630)
