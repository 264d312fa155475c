"""Link-preview cards: a 1200×630 PNG for each brief and company, and the site, with Pillow."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from site_builder.counts import counted
from site_builder.errors import ContentError
from site_builder.png import palette_png

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont


SIZE = (1200, 630)
CARD_VERSION = 9
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u30ff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_TOKENS = re.compile(r"[\u2e80-\u9fff\u3000-\u30ff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|"
                     r"[^\s\u2e80-\u9fff\u3000-\u30ff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+\s*|\s+")
_FONT_FILES = ("*.ttf", "*.otf", "*.ttc")
_FONT_CACHE = "/var/cache/fontconfig"
_SYSTEM_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK*.ttc",
                 "/usr/share/fonts/truetype/noto/NotoSansCJK*.ttc",
                 "/usr/share/fonts/noto-cjk/NotoSansCJK*.ttc",
                 "/usr/share/fonts/truetype/wqy/*.ttc",
                 "/usr/share/fonts/truetype/droid/DroidSansFallback*.ttf",
                 "/System/Library/Fonts/PingFang.ttc",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_GREYS = 5  # the greys from ink to paper a card has, then the rule and the accent
_INK, _MUTED, _PAPER, _RULE, _ACCENT = 0, 2, _GREYS - 1, _GREYS, _GREYS + 1  # palette places
_LEAD = 2  # pixels of place 0 before each row of a card's image: the filter byte of its scanline


class CardText(NamedTuple):
    """What a card says."""

    kind: str
    title: str
    meta: str
    site: str


class CardFont(NamedTuple):
    """The font cards are drawn with, and whether it has Chinese, Japanese and Korean."""

    path: str
    index: int
    cjk: bool


def needs_cjk(text: CardText) -> bool:
    """Whether a card has characters only a CJK font can draw."""
    return bool(_CJK.search(text.title + text.meta + text.site))


def font_inputs(folders: list[Path]) -> list[tuple[str, int]]:
    """What the choice of a font depends on: the fonts in `folders` and the system's font
    cache, by their times of change."""
    places = [*folders, Path(_FONT_CACHE), *{Path(p).parent for p in _SYSTEM_FONTS}]
    return [(str(place), place.stat().st_mtime_ns) for place in places if place.exists()] + \
        [(str(path), path.stat().st_mtime_ns) for folder in folders if folder.is_dir()
         for path in sorted(folder.iterdir())]


def font_warnings(plan: Any, font: CardFont | None | bool) -> list[ContentError]:
    """A warning when cards need Chinese, Japanese or Korean and no font draws them
    (`font` False: the site draws no cards)."""
    if font is False or (isinstance(font, CardFont) and font.cjk):
        return []
    count = sum(1 for page in plan.pages if page.card is not None and needs_cjk(page.card))
    if not count:
        return []
    return [ContentError("templates/fonts", 1, 1,
                         "no font with Chinese, Japanese and Korean characters was found; "
                         f"{counted(count, 'link-preview card')} will show boxes for them",
                         "install fonts-noto-cjk, or put a .ttf, .otf or .ttc font in "
                         "templates/fonts/", warning=True)]


def find_font(folders: list[Path]) -> CardFont | None:
    """The first font covering CJK among the project's fonts and the system's, else any."""
    fallback = None
    for path, index in _candidates(folders):
        covers = _covers(path, index)
        if covers is None:
            continue
        if covers:
            return CardFont(path, index, True)
        fallback = fallback or CardFont(path, index, False)
    return fallback


def _candidates(folders: list[Path]) -> list[tuple[str, int]]:
    found = [(str(p), 0) for folder in folders if folder.is_dir()
             for pattern in _FONT_FILES for p in sorted(folder.glob(pattern))]
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "index"], capture_output=True,
                                 text=True, timeout=10).stdout
        for line in sorted(listing.splitlines()):
            match = re.match(r"(.+?): ?(?::index=(\d+))?", line.strip())
            if match and "Sans" in match.group(1) and "Mono" not in match.group(1):
                found.append((match.group(1), int(match.group(2) or 0)))
    for pattern in _SYSTEM_FONTS:
        found += [(str(p), 0) for p in sorted(Path("/").glob(pattern.lstrip("/")))]
    return list(dict.fromkeys(found))


def _covers(path: str, index: int) -> bool | None:
    """Whether the font draws 智 as a glyph (None: the font cannot be used at all)."""
    from PIL import ImageFont  # Pillow is loaded by the builds that draw cards, not by every build
    try:
        font = ImageFont.truetype(path, 48, index=index)
    except OSError:
        return None
    return not _is_missing(font, "智")


def _is_missing(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """Whether a character comes out as the font's missing-glyph box."""
    def shape(text: str) -> tuple:
        mask = font.getmask(text)
        return mask.size, bytes(mask)
    return shape(char) == shape("\U0010fffd")


@lru_cache(maxsize=16)
def _font(choice: CardFont | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont
    if choice is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(choice.path, size, index=choice.index)


def draw_card(text: CardText, font: CardFont | None) -> bytes:
    """The PNG of one card.

    Drawn straight in the places of a palette of five greys from ink to paper, the rule and
    the accent: the greys are evenly spaced, so a glyph's edge blended between the places of
    ink and paper lands on the grey it would have been given. Four bits a pixel: text as
    smooth to the eye as with 256 greys, in little more than half the bytes.
    """
    image, base, drawn = _drawn(text, font)
    return palette_png(SIZE, 4, bytes(_PALETTE), image.tobytes("raw", "P;4"), base, drawn)


def _drawn(text: CardText,
           font: CardFont | None) -> tuple[Image.Image, bytes, list[tuple[int, int]]]:
    """A card drawn over the base of its kind and site; the base's scanlines, and the spans of
    rows the title and the line below it were drawn on."""
    from PIL import ImageDraw
    base, scanlines = _base(text.kind.upper(), text.site, font)
    image = base.copy()
    draw = ImageDraw.Draw(image)
    for size in (64, 54, 46):
        lines = _wrap(text.title, _Face(font, size), SIZE[0] - 160, 4 if size == 46 else 3)
        if lines is not None:
            break
    else:
        lines = _wrap(text.title, _Face(font, 46), SIZE[0] - 160, 4, cut=True) or [text.title]
    top, drawn = 130, []
    for line in lines:
        drawn.append(_draw_line(draw, (80, top), line, _Face(font, size), _INK))
        top += int(size * 1.25)
    if text.meta:
        meta = _wrap(text.meta, _Face(font, 32), SIZE[0] - 160, 1, cut=True) or [text.meta]
        drawn.append(_draw_line(draw, (80, 460), meta[0], _Face(font, 32), _MUTED))
    return image, scanlines, drawn


@lru_cache(maxsize=8)
def _base(kind: str, site: str, font: CardFont | None) -> tuple[Image.Image, bytes]:
    """The card without its title and the line below it: paper, the accent bar, the kind, the
    rule and the site's name; and its scanlines, which the PNG of each card reuses.

    The image is `_LEAD` pixels wider than the card, in place 0: packed four bits a pixel,
    they make the byte that leads each PNG scanline (0: no filter), so that the packed pixels
    are the scanlines."""
    from PIL import Image, ImageDraw
    image = Image.new("L", (SIZE[0] + _LEAD, SIZE[1]), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, _LEAD - 1, SIZE[1]), fill=0)
    draw.rectangle((_LEAD, 0, _LEAD + SIZE[0], 14), fill=_ACCENT)
    draw.rectangle((_LEAD + 80, 535, _LEAD + SIZE[0] - 80, 537), fill=_RULE)
    _draw_line(draw, (80, 70), kind, _Face(font, 30), _INK)
    _draw_line(draw, (80, 555), site, _Face(font, 30), _INK)
    image.putpalette(_PALETTE)
    return image, image.tobytes("raw", "P;4")


def _palette() -> list[int]:
    """The colours of a card: `_GREYS` greys from ink to paper, then the rule and the accent."""
    ink, paper, accent, rule = (0x1d, 0x21, 0x26), (0xfb, 0xfa, 0xf7), (0x8a, 0x1c, 0x1c), \
        (0xde, 0xda, 0xd2)
    colours = [tuple(round(a + (b - a) * grey / (_GREYS - 1)) for a, b in zip(ink, paper))
               for grey in range(_GREYS)] + [rule, accent]
    return [channel for colour in colours for channel in colour]


class _Face(NamedTuple):
    """A font at one size."""

    font: CardFont | None
    size: int


@lru_cache(maxsize=4096)
def _length(face: _Face, text: str) -> float:
    """How far `text` moves the pen."""
    return _font(face.font, face.size).getlength(text)


@lru_cache(maxsize=2048)
def _word(face: _Face, word: str) -> tuple[Image.Image, int, int]:
    """A word drawn once as a mask, and where its top left sits from the pen on the baseline:
    the words of a site's cards repeat, and drawing a glyph costs more than placing it."""
    from PIL import Image, ImageDraw
    font = _font(face.font, face.size)
    left, top, right, bottom = font.getbbox(word, anchor="ls")
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), word, font=font, fill=255, anchor="ls")
    return mask, left, top


def _draw_line(draw: ImageDraw.ImageDraw, place: tuple[int, int], line: str, face: _Face,
               fill: int) -> tuple[int, int]:
    """One line of text whose ascender line starts at `place` (from the card's left edge),
    word by word; the span of rows it was drawn on."""
    pen, baseline = float(_LEAD + place[0]), place[1] + _font(face.font, face.size).getmetrics()[0]
    top, bottom = SIZE[1], 0
    for token in _TOKENS.findall(line):
        if word := token.rstrip():
            mask, left, rise = _word(face, word)
            draw.bitmap((round(pen) + left, baseline + rise), mask, fill=fill)
            top, bottom = min(top, baseline + rise), max(bottom, baseline + rise + mask.height)
        pen += _length(face, token)
    return top, bottom


def _wrap(text: str, face: _Face, width: int, most: int, cut: bool = False) -> list[str] | None:
    """Lines of at most `width` pixels, at most `most` of them (cut with … when `cut`)."""
    lines, line, pen = [], "", 0.0
    for token in _TOKENS.findall(text):
        if not line or pen + _length(face, token.rstrip()) <= width:
            line, pen = line + token, pen + _length(face, token)
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
        pen = _length(face, line)
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) <= most:
        return lines
    if not cut:
        return None
    kept = lines[:most]
    while kept[-1] and _font(face.font, face.size).getlength(kept[-1] + "…") > width:
        kept[-1] = kept[-1][:-1]
    kept[-1] = kept[-1].rstrip(" ,;:") + "…"
    return kept


_PALETTE = _palette()
