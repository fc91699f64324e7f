"""A report as the county receives it: its blocks in 公文格式 (.docx), opened by the plan's own
citation, signed by the issuer, with the board's picture where it helps."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xixin_cli.i18n import message
from xixin_cli.results import Lines

if TYPE_CHECKING:
    from xixin_cli.report import Block
    from xixin_cli.schedule import Filter
    from xixin_cli.session import Session


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def word_report(
    opened: Session,
    blocks: list[Block],
    today: date,
    where: Filter,
    output: Path,
    template: Path | None,
    *,
    picture: bool = False,
) -> Lines:
    """Write the report's blocks as .docx to `output`; the notice embeds the board as a PNG
    when a Chinese font is there to draw it (else it says so, and the tables carry it)."""
    from xixin_cli.files import write_atomic_bytes
    from xixin_cli.office.word import to_docx
    from xixin_cli.report import Block

    plan, lang = opened.plan, opened.lang
    document = plan.document
    opening = Block(
        "para", message("report.opening", lang, title=document.title, number=document.number)
    )
    made = list(blocks)
    if made and made[0].kind == "h1" and not any(document.number in b.text for b in made[1:2]):
        made.insert(1, opening)
    notices: list[str] = []
    image = _board_png(opened, today, where) if picture else None
    if picture and image is None:
        notices.append(message("report.no_picture", lang))
    when = _chinese_date(today) if lang == "zh" else today.isoformat()
    data = to_docx(made, lang, template, image, (document.issuer, when))
    write_atomic_bytes(output, data)
    notices.append(message("written", lang, path=str(output)))
    return Lines(notices=notices)


def _board_png(opened: Session, today: date, where: Filter) -> bytes | None:
    from xixin_cli.picture import find_font

    if find_font() is None:
        return None
    from xixin_cli.board import board
    from xixin_cli.picture import render_png
    from xixin_cli.schedule import digest
    from xixin_cli.session import view

    states = view(opened, where)
    week = digest(opened.plan, states, today, opened.calendar(), where)
    return render_png(opened.plan, board(opened.plan, states, week, where), opened.lang)
