"""The board and the reports: board, report weekly, report self-check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import (
    AsOfOpt,
    FormatOpt,
    JsonOpt,
    OfficeOpt,
    OutputOpt,
    day,
    guard_output,
    per_plan,
    sessions,
)
from xixin_cli.errors import UsageError
from xixin_cli.results import BoardView, Document, Files, Lines, Several, form
from xixin_cli.session import Session, item_filter, view

if TYPE_CHECKING:
    from xixin_cli.report import Block
    from xixin_cli.schedule import Filter


def board_(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    image: Annotated[Path | None, typer.Option("--image", metavar="FILE")] = None,
    as_json: JsonOpt = False,
) -> BoardView | Several:
    """Progress and red/yellow/green counts per office and per phase; in a workspace of
    several plans, each plan's board in turn (and its picture, `--image` with its name)."""
    from xixin_cli.board import board
    from xixin_cli.schedule import digest

    today = day(ctx, as_of)
    found = sessions(ctx, as_of=today, office=office)
    views = []
    for opened in found:
        picture = image
        if image is not None and len(found) > 1:  # 看板.png → 看板-minzu.png, one per plan
            picture = image.with_name(f"{image.stem}-{opened.name}{image.suffix}")
        guard_output(ctx, opened, picture)
        where = item_filter(opened, office)
        states = view(opened, where)
        week = digest(opened.plan, states, today, opened.calendar(), where)
        result = board(opened.plan, states, week, where)
        views.append(
            BoardView(opened.plan, opened.lang, form(as_json), result, picture, opened.name)
        )
    return views[0] if len(views) == 1 else Several(tuple(views), form(as_json))


def _renderer(fmt: str) -> str:
    """The report format --format names: md, text or docx."""
    if fmt in ("md", "markdown"):
        return "md"
    if fmt in ("text", "txt"):
        return "text"
    if fmt in ("docx", "word"):
        return "docx"
    raise UsageError("usage.bad_format", value=fmt)


#: --template: the office's own .docx (letterhead, styles) a Word report starts from.
TemplateOpt = Annotated[Path | None, typer.Option("--template", metavar="FILE")]


def report_weekly(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
    template: TemplateOpt = None,
) -> Document | Files | Lines:
    """The week's changes, what is overdue and next week's deadlines, per office."""
    from xixin_cli.log_index import select
    from xixin_cli.report import weekly, weekly_query
    from xixin_cli.session import logs_read

    def blocks(opened: Session, today: date, where: Filter) -> list[Block]:
        events = select(logs_read(opened), weekly_query(today))  # only the week's, indexed
        states, calendar = view(opened, where), opened.calendar()
        return weekly(opened.plan, states, events, opened.lang, today, calendar, where)

    return _report(ctx, office, as_of, (fmt, output, template), blocks)


def report_self_check(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
    template: TemplateOpt = None,
) -> Document | Files | Lines:
    """Per task and action: status, latest note, what is missing; completion rates."""
    from xixin_cli.report import self_check

    def blocks(opened: Session, today: date, where: Filter) -> list[Block]:
        return self_check(opened.plan, view(opened, where), opened.lang, today, where)

    return _report(ctx, office, as_of, (fmt, output, template), blocks)


def report_notice(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
    template: TemplateOpt = None,
) -> Document | Files | Lines:
    """督查通报: overall figures, units ranked, the lagging units and their items, 工作要求."""
    from xixin_cli.notice import notice

    def blocks(opened: Session, today: date, where: Filter) -> list[Block]:
        return notice(
            opened.plan, view(opened, where), opened.lang, today, opened.calendar(), where
        )

    return _report(ctx, office, as_of, (fmt, output, template), blocks, picture=True)


def _report(
    ctx: typer.Context,
    office: Sequence[str] | None,
    as_of: str | None,
    delivered: tuple[str, Path | None, Path | None],
    blocks: Callable[[Session, date, Filter], list[Block]],
    *,
    events: bool = False,
    picture: bool = False,
) -> Document | Files | Lines:
    """A report's blocks for the options every report takes, written as --format asks;
    `delivered` is (--format, --output, --template)."""
    from xixin_cli.report import to_markdown, to_text

    fmt, output, template = delivered
    kind = _renderer(fmt)
    if kind == "docx":
        from xixin_cli.office import need

        need("docx", "docx")
        if output is None:
            raise UsageError("usage.needs_output", format="docx")
    elif template is not None:
        raise UsageError("usage.template_needs_docx")
    today = day(ctx, as_of)

    def make(opened: Session, output: Path | None) -> Document | Files | Lines:
        guard_output(ctx, opened, output)
        where = item_filter(opened, office)
        made = blocks(opened, today, where)
        if kind == "docx" and output is not None:
            from xixin_cli.office.paper import word_report

            return word_report(opened, made, today, where, output, template, picture=picture)
        text = to_markdown(made) if kind == "md" else to_text(made, opened.lang)
        return Document(text, output, opened.lang)

    return per_plan(ctx, output, make, events=events, as_of=today, office=office)


COMMANDS = {"board": board_}
GROUPS = {
    "report": {
        "weekly": report_weekly,
        "self-check": report_self_check,
        "notice": report_notice,
    }
}
