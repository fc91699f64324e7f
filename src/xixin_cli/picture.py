"""The board as a picture to post in the office's chat group: SVG, HTML or PNG."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from xixin_cli.errors import OutputError
from xixin_cli.i18n import message

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont
    from rich.console import RenderableType

    from xixin_cli.board import Board
    from xixin_cli.model import Plan
    from xixin_cli.schedule import Tally

#: Where a Chinese font usually is, on Windows, macOS and Linux (first found wins).
FONT_CANDIDATES = (
    r"C:\Windows\Fonts\msyh.ttc",
    r"C:\Windows\Fonts\simhei.ttf",
    r"C:\Windows\Fonts\simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)

#: The formats `--image` writes, by file suffix.
FORMATS = (".svg", ".html", ".htm", ".png")


def render_text(renderable: RenderableType, path: Path, title: str) -> str:
    """The renderable as SVG or HTML text (what rich draws, recorded), by the path's suffix."""
    import io

    from rich.console import Console

    console = Console(
        record=True,
        width=110,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        markup=False,
        emoji=False,
    )
    console.print(renderable)
    if path.suffix.lower() == ".svg":
        return console.export_svg(title=title)
    return console.export_html(inline_styles=True)


def find_font() -> str | None:
    """A font file with Chinese glyphs: XIXIN_FONT, else the first of FONT_CANDIDATES."""
    given = os.environ.get("XIXIN_FONT")
    if given:
        return given if Path(given).is_file() else None
    return next((path for path in FONT_CANDIDATES if Path(path).is_file()), None)


#: The lights' colours, the 受阻 colour, the grey of a count of 0, and the progress bar's blue
#: (not green or red: those are lights, and a pink-red bar reads as 红灯).
RED, YELLOW, GREEN, BLOCKED, ZERO, PROGRESS = (
    "#c62828",
    "#f9a825",
    "#2e7d32",
    "#7b1fa2",
    "#bdbdbd",
    "#1565c0",
)

#: Fullwidth brackets: drawn by their ink, not their em box, so 〔2022〕 is set tight.
TIGHT = frozenset("〔〕（）「」『』《》【】［］")

#: Where each part of a row starts (pixels), and the picture's width.
_NAME, _BAR, _BAR_LENGTH, _FRACTION, _RATE, _DOTS, _DOT_STEP, _WORST, _WIDTH = (
    30,
    225,
    140,
    375,
    445,
    510,
    64,
    780,
    1320,
)
_LINE = 40  # one row's height
_PAUSES = frozenset("，、；：。）)")  # after these a second line reads best
_HAIR = 2  # the space each side of a bracket set tight
_WRAPPED = 24  # the height a second line of 最需关注 adds


_INK: dict[tuple[int, str], tuple[int, int]] = {}


def _ink(font: ImageFont.FreeTypeFont, ch: str) -> tuple[int, int]:
    """Where a glyph's ink starts and ends, from where it is drawn (its em box says nothing:
    a fullwidth bracket is half blank)."""
    key = (id(font), ch)
    found = _INK.get(key)
    if found is None:
        from PIL import Image, ImageDraw

        size = int(font.size) * 2
        mask = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(mask).text((size, size // 2), ch, font=font, fill=255)
        box = mask.getbbox()
        found = _INK[key] = (box[0] - size, box[2] - size) if box else (0, int(font.getlength(ch)))
    return found


def text_width(text: str, font: ImageFont.FreeTypeFont) -> float:
    """How wide `text` is drawn by `draw_text`: a bracket takes its ink's width, plus a hair."""
    width = 0.0
    for run, tight in _runs(text):
        if tight:
            for ch in run:
                left, right = _ink(font, ch)
                width += right - left + _HAIR * 2
        else:
            width += font.getlength(run)
    return width


def _runs(text: str) -> list[tuple[str, bool]]:
    runs: list[tuple[str, bool]] = []
    for ch in text:
        tight = ch in TIGHT
        if runs and runs[-1][1] == tight:
            runs[-1] = (runs[-1][0] + ch, tight)
        else:
            runs.append((ch, tight))
    return runs


def draw_text(
    pen: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: str,
) -> float:
    """Draw `text` with its fullwidth brackets set tight; returns where it ends."""
    x, y = xy
    for run, tight in _runs(text):
        if tight:
            for ch in run:
                left, right = _ink(font, ch)
                pen.text((x - left + _HAIR, y), ch, font=font, fill=fill)
                x += right - left + _HAIR * 2
        else:
            pen.text((x, y), run, font=font, fill=fill)
            x += font.getlength(run)
    return x


def _lines(text: str, font: ImageFont.FreeTypeFont, width: float, most: int) -> list[str]:
    """`text` broken the Chinese way (`wrap.py`) into at most `most` lines of `width` pixels;
    what does not fit ends the last line with …."""
    from xixin_cli.wrap import breaks

    cuts = [0, *breaks(text), len(text)]
    lines: list[str] = []
    start = 0
    for left, right in pairwise(cuts):
        if left > start and text_width(text[start:right].rstrip(), font) > width:
            lines.append(text[start:left].rstrip())
            start = left
    lines.append(text[start:].rstrip())
    if len(lines) == 2:  # two lines of about the same length, cut after a pause if one fits
        halves = {
            cut: (text_width(text[:cut].rstrip(), font), text_width(text[cut:].rstrip(), font))
            for cut in cuts[1:-1]
        }
        fitting = [cut for cut, (a, b) in halves.items() if a <= width and b <= width]
        paused = [cut for cut in fitting if text[cut - 1] in _PAUSES or text[cut - 1].isspace()]
        if paused or fitting:
            split = min(paused or fitting, key=lambda cut: max(halves[cut]))
            lines = [text[:split].rstrip(), text[split:].rstrip()]
    if len(lines) > most:
        last = lines[most - 1]
        while last and text_width(last + "…", font) > width:
            last = last[:-1]
        lines = [*lines[: most - 1], last + "…"]
    return lines


def render_png(plan: Plan, result: Board, lang: str) -> bytes:
    """The board drawn as a PNG: a title, a legend, then per unit and per phase a row with its
    progress bar, 完成率, its red/yellow/green/受阻 counts and the item that most needs a call."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from xixin_cli.render import worst_text

    font_path = find_font()
    if font_path is None:
        raise OutputError("output.no_cjk_font")
    try:
        font = ImageFont.truetype(font_path, 22)
        small = ImageFont.truetype(font_path, 18)
    except OSError:
        raise OutputError("output.bad_font", path=font_path) from None
    groups = (
        (message("col.office", lang), result.units),
        (message("field.phase", lang), result.phases),
    )
    room = _WIDTH - _WORST - 30
    worst = {
        id(row): _lines(worst_text(row, lang), small, room, 2) for _, rows in groups for row in rows
    }
    rows_height = sum(
        _LINE + _WRAPPED * (len(worst[id(row)]) - 1) for _, rows in groups for row in rows
    )
    height = 170 + rows_height + len(groups) * (_LINE + _LINE // 2)
    image = Image.new("RGB", (_WIDTH, height), "white")
    pen = ImageDraw.Draw(image)
    draw_text(
        pen, (30, 20), f"{plan.document.number} {message('board.units', lang)}", font, "black"
    )
    draw_text(
        pen, (30, 55), message("as_of", lang, date=result.today.isoformat()), small, "#555555"
    )
    _legend(pen, 95, small, lang)
    y = 140
    for heading, rows in groups:
        _headings(pen, y, heading, small, lang)
        y += _LINE
        for row in rows:
            _draw_row(pen, row, y, font, small, worst[id(row)])
            y += _LINE + _WRAPPED * (len(worst[id(row)]) - 1)
        y += _LINE // 2
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _legend(pen: ImageDraw.ImageDraw, y: int, font: ImageFont.FreeTypeFont, lang: str) -> None:
    """What the dots and the bar mean, in one line."""
    x = 30.0
    for colour, code in (
        (RED, "col.red"),
        (YELLOW, "col.yellow"),
        (GREEN, "col.green"),
        (BLOCKED, "col.blocked"),
        (ZERO, "picture.zero"),
    ):
        pen.ellipse((x, y + 4, x + 16, y + 20), fill=colour)
        x = draw_text(pen, (x + 22, y), message(code, lang), font, "#333333") + 28
    pen.rectangle((x, y + 5, x + 36, y + 19), fill=PROGRESS)
    draw_text(pen, (x + 44, y), message("picture.progress", lang), font, "#333333")


def _headings(
    pen: ImageDraw.ImageDraw, y: int, first: str, font: ImageFont.FreeTypeFont, lang: str
) -> None:
    grey = "#555555"
    draw_text(pen, (_NAME, y), first, font, grey)
    draw_text(pen, (_BAR, y), message("board.progress", lang), font, grey)
    draw_text(pen, (_RATE, y), message("picture.rate", lang), font, grey)
    draw_text(pen, (_WORST, y), message("board.worst", lang), font, grey)


def _draw_row(
    pen: ImageDraw.ImageDraw,
    row: Tally,
    y: int,
    font: ImageFont.FreeTypeFont,
    small: ImageFont.FreeTypeFont,
    worst: list[str],
) -> None:
    from xixin_cli.render import unit_label

    draw_text(pen, (_NAME, y), unit_label(row), font, "black")
    top = y + 8
    pen.rectangle((_BAR, top, _BAR + _BAR_LENGTH, top + 16), outline="#888888")
    done = int(_BAR_LENGTH * row.closed / row.total) if row.total else 0
    if done:
        pen.rectangle((_BAR, top, _BAR + done, top + 16), fill=PROGRESS)
    pen.text((_FRACTION, y + 2), f"{row.closed}/{row.total}", font=small, fill="black")
    rate = f"{100 * row.closed / row.total:.0f}%" if row.total else "—"
    pen.text((_RATE, y + 2), rate, font=small, fill="black")
    counts = ((row.red, RED), (row.yellow, YELLOW), (row.green, GREEN), (row.blocked, BLOCKED))
    for offset, (count, colour) in enumerate(counts):
        x = _DOTS + offset * _DOT_STEP
        pen.ellipse((x, y + 6, x + 18, y + 24), fill=colour if count else ZERO)
        pen.text((x + 24, y + 2), str(count), font=small, fill="black" if count else "#9e9e9e")
    for n, line in enumerate(worst):
        draw_text(pen, (_WORST, y + 4 + n * _WRAPPED), line, small, RED if row.red else "black")


def write_picture(
    path: Path, plan: Plan, result: Board, lang: str, renderable: RenderableType
) -> None:
    """Write the board to `path` as SVG, HTML or PNG, by its suffix, whole or not at all."""
    from xixin_cli.files import write_atomic, write_atomic_bytes

    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise OutputError("output.image_format", path=str(path), formats=" ".join(FORMATS))
    if suffix == ".png":
        write_atomic_bytes(path, render_png(plan, result, lang))
    else:
        write_atomic(path, render_text(renderable, path, plan.document.number))
