"""Link-preview cards: 1200×630 PNGs whose CJK titles come out as glyphs."""

import io

from PIL import Image, ImageChops, ImageFont

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
