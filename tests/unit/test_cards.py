"""Link-preview cards: 1200×630 PNGs whose CJK titles come out as glyphs."""

import io

from PIL import Image, ImageChops, ImageFont

from site_builder import cards, png
from site_builder.cards import CardText, draw_card, find_font


def _image(data):
    return Image.open(io.BytesIO(data))


def test_cards_are_1200_by_630_png_of_four_bits_a_pixel():
    data = draw_card(CardText("Brief", "A title", "11 Jan 2026 · Nvidia", "Site"), find_font([]))
    image = _image(data)
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "P")
    assert data[24] == 4  # the bit depth in the PNG header
    assert 3 < len(image.getcolors()) <= 10  # greys of smooth text, the rule and the accent


def test_a_cjk_title_draws_glyphs_not_missing_glyph_boxes():
    font = find_font([])
    assert font is not None and font.cjk, "a CJK font (fonts-noto-cjk) must be installed"
    face = ImageFont.truetype(font.path, 64, index=font.index)
    for char in "智谱英伟达":
        assert bytes(face.getmask(char)) != bytes(face.getmask("\ufffd"))
        assert bytes(face.getmask(char)) != bytes(face.getmask("\U0010fffd"))
    title = draw_card(CardText("Company", "智谱", "", "Site"), font)
    boxes = draw_card(CardText("Company", "\ufffd\ufffd", "", "Site"), font)
    assert ImageChops.difference(_image(title).convert("L"), _image(boxes).convert("L")).getbbox()


CARDS = [CardText("Brief", "Huawei's Ascend shipments outpace export controls as SMIC ramps its "
                  "7nm line", "12 Mar 2026 · Huawei, SMIC · 6 min read", "China AI Briefing"),
         CardText("Company", "智谱", "", "Site"),
         CardText("Brief", "word " * 90, "gjpqy " * 60, "Site"),  # cut, four lines, descenders
         CardText("Event", "Ägyptische Übernahme — ÅÉÎ", "1 Jan 2026", "Généré"),
         CardText("Brief", "", "", "")]


def test_each_card_decodes_to_exactly_what_was_drawn_whatever_was_drawn_before():
    """The PNG reuses the compressed rows of its kind and site, and compresses only the rows
    the title and the line below it cover: a decoder sees every pixel as drawn."""
    font = find_font([])
    first = [draw_card(text, font) for text in CARDS]
    cards._base.cache_clear()
    png._deflated.cache_clear()
    again = [draw_card(text, font) for text in reversed(CARDS)][::-1]
    assert first == again
    for text, data in zip(CARDS, first):
        _image(data).verify()  # the chunks' checksums
        drawn = cards._drawn(text, font)[0].crop((2, 0, 1202, 630))
        decoded = _image(data)
        assert decoded.tobytes() == drawn.tobytes(), text
        assert decoded.getpalette() == drawn.getpalette()[:len(decoded.getpalette())]


def test_a_card_is_no_bigger_than_pillow_makes_it():
    font = find_font([])
    data = draw_card(CARDS[0], font)
    by_pillow = io.BytesIO()
    cards._drawn(CARDS[0], font)[0].crop((2, 0, 1202, 630)).save(by_pillow, "PNG", bits=4)
    assert len(data) <= len(by_pillow.getvalue())
