"""The board and the reports: board, report weekly, report self-check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import (
    AsOfOpt,
    FormatOpt,
    JsonOpt,
    OfficeOpt,
    OutputOpt,
    session,
)
from xixin_cli.errors import UsageError
from xixin_cli.results import BoardView, Document, form
from xixin_cli.session import as_of as day
from xixin_cli.session import item_filter

if TYPE_CHECKING:
    from xixin_cli.report import Block


def board_(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    image: Annotated[Path | None, typer.Option("--image", metavar="FILE")] = None,
    as_json: JsonOpt = False,
) -> BoardView:
    """Progress and red/yellow/green counts per office and per phase."""
    from xixin_cli.board import board

    opened = session(ctx)
    today = day(as_of)
    where = item_filter(opened, office)
    result = board(opened.plan, opened.states, today, opened.calendar(), where)
    return BoardView(opened.plan, opened.lang, form(as_json), result, image)


def _renderer(fmt: str) -> str:
    """The report format --format names: md or text."""
    if fmt in ("md", "markdown"):
        return "md"
    if fmt in ("text", "txt"):
        return "text"
    raise UsageError("usage.bad_format", value=fmt)


def _written(blocks: Sequence[Block], fmt: str, lang: str) -> str:
    from xixin_cli.report import to_markdown, to_text

    return to_markdown(blocks) if fmt == "md" else to_text(blocks, lang)


def report_weekly(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
) -> Document:
    """The week's changes, what is overdue and next week's deadlines, per office."""
    from xixin_cli.report import weekly

    kind = _renderer(fmt)
    opened = session(ctx, events=True)
    today = day(as_of)
    where = item_filter(opened, office)
    blocks = weekly(
        opened.plan, opened.states, opened.events, opened.lang, today, opened.calendar(), where
    )
    return Document(_written(blocks, kind, opened.lang), output, opened.lang)


def report_self_check(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
) -> Document:
    """Per task and action: status, latest note, what is missing; completion rates."""
    from xixin_cli.report import self_check

    kind = _renderer(fmt)
    opened = session(ctx)
    today = day(as_of)
    where = item_filter(opened, office)
    blocks = self_check(opened.plan, opened.states, opened.lang, today, opened.calendar(), where)
    return Document(_written(blocks, kind, opened.lang), output, opened.lang)


COMMANDS = {"board": board_}
GROUPS = {"report": {"weekly": report_weekly, "self-check": report_self_check}}
