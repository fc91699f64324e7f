"""The board as a picture to post in the office's chat group: SVG, HTML or PNG."""

from __future__ import annotations

import os
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


def render_png(plan: Plan, result: Board, lang: str) -> bytes:
    """The board drawn as a PNG: a title, then one line per unit with its bar and counts."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font_path = find_font()
    if font_path is None:
        raise OutputError("output.no_cjk_font")
    try:
        font = ImageFont.truetype(font_path, 22)
        small = ImageFont.truetype(font_path, 18)
    except OSError:
        raise OutputError("output.bad_font", path=font_path) from None
    rows = (*result.units, *result.phases)
    width, line = 1100, 40
    height = 130 + line * (len(rows) + 3)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text(
        (30, 20), f"{plan.document.number} {message('board.units', lang)}", font=font, fill="black"
    )
    draw.text(
        (30, 55), message("as_of", lang, date=result.today.isoformat()), font=small, fill="#555555"
    )
    y = 100
    for heading, group in (
        (message("col.office", lang), result.units),
        (message("field.phase", lang), result.phases),
    ):
        draw.text((30, y), heading, font=small, fill="#555555")
        y += line
        for row in group:
            _draw_row(draw, row, y, font, small, lang)
            y += line
        y += line // 2
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _draw_row(
    pen: ImageDraw.ImageDraw,
    row: Tally,
    y: int,
    font: ImageFont.FreeTypeFont,
    small: ImageFont.FreeTypeFont,
    lang: str,
) -> None:
    from xixin_cli.render import unit_label, worst_text

    pen.text((30, y), unit_label(row), font=font, fill="black")
    left, top, length = 250, y + 8, 200
    pen.rectangle((left, top, left + length, top + 16), outline="#888888")
    done = int(length * row.closed / row.total) if row.total else 0
    if done:
        pen.rectangle((left, top, left + done, top + 16), fill="#2e7d32")
    pen.text((left + length + 10, y + 2), f"{row.closed}/{row.total}", font=small, fill="black")
    for offset, (count, colour) in enumerate(
        ((row.red, "#c62828"), (row.yellow, "#f9a825"), (row.green, "#2e7d32"))
    ):
        x = 560 + offset * 70
        pen.ellipse((x, y + 6, x + 18, y + 24), fill=colour)
        pen.text((x + 24, y + 2), str(count), font=small, fill="black")
    worst = worst_text(row, lang)
    if len(worst) > 20:
        worst = worst[:19] + "…"
    pen.text((780, y + 4), worst, font=small, fill="#c62828" if row.red else "black")


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
