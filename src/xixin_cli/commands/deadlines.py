"""Deadlines: overdue, upcoming, and the weekly reminder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import (
    TABLE_LIMIT,
    AllOpt,
    AsOfOpt,
    JsonOpt,
    LimitOpt,
    OfficeOpt,
    PhaseOpt,
    capped,
    day,
    session,
)
from xixin_cli.errors import UsageError
from xixin_cli.results import DueList, Reminder, Sending, form
from xixin_cli.session import Session, item_filter, view

if TYPE_CHECKING:
    from xixin_cli.schedule import DueRow


def overdue(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    as_of: AsOfOpt = None,
    limit: LimitOpt = TABLE_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> DueList:
    """Open items whose due date has passed, most overdue first."""
    from xixin_cli.schedule import overdue as find_overdue

    today = day(ctx, as_of)
    opened = session(ctx, as_of=today)
    where = item_filter(opened, office, phase)
    rows = find_overdue(opened.plan, view(opened, where), today, opened.calendar(), where)
    return _listed(opened, rows, (limit, show_all, as_json), today, None)


def upcoming(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", "-w")] = "7d",
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    as_of: AsOfOpt = None,
    limit: LimitOpt = TABLE_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> DueList:
    """Open items due in the window, soonest first, and phases starting or ending."""
    from xixin_cli.dates import DateFormatError, DateRangeError, window_end
    from xixin_cli.schedule import upcoming as find_upcoming

    today = day(ctx, as_of)
    opened = session(ctx, as_of=today)
    try:
        last_day = window_end(today, within)
    except DateRangeError:
        raise UsageError("usage.window_range", value=within) from None
    except DateFormatError:
        raise UsageError("usage.bad_window", value=within) from None
    where = item_filter(opened, office, phase)
    rows = find_upcoming(
        opened.plan, view(opened, where), today, last_day, opened.calendar(), where
    )
    return _listed(opened, rows, (limit, show_all, as_json), today, last_day)


def _listed(
    opened: Session,
    rows: Sequence[DueRow],
    shown_as: tuple[int, bool, bool],
    today: date,
    last_day: date | None,
) -> DueList:
    """Overdue rows (no `last_day`) or upcoming ones with the phase dates of their window,
    cut to --limit unless --all or --json; `shown_as` is (limit, show_all, as_json)."""
    from xixin_cli.schedule import phase_marks

    limit, show_all, as_json = shown_as
    shown, hidden = (rows, 0) if as_json else capped(rows, limit, show_all)
    if last_day is None:
        return DueList(opened.plan, opened.lang, form(as_json), shown, hidden, today, late=True)
    marks = phase_marks(opened.plan, today, last_day)
    return DueList(
        opened.plan, opened.lang, form(as_json), shown, hidden, today, False, last_day, marks
    )


def remind(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    plain: Annotated[bool, typer.Option("--plain")] = False,
    fail_on_overdue: Annotated[bool, typer.Option("--fail-on-overdue")] = False,
    as_json: JsonOpt = False,
    send: Annotated[list[str] | None, typer.Option("--send", metavar="URL")] = None,
    split_by: Annotated[str | None, typer.Option("--split-by", metavar="office")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="DIR")] = None,
    no_pager: Annotated[bool, typer.Option("--no-pager")] = False,
) -> Reminder | Sending:
    """The weekly digest: overdue and due this week, per office, red/yellow/green."""
    from xixin_cli.schedule import digest

    today = day(ctx, as_of)
    opened = session(ctx, as_of=today)
    where = item_filter(opened, office)
    result = digest(opened.plan, view(opened, where), today, opened.calendar(), where)
    reminder = Reminder(
        opened.plan, opened.lang, form(as_json, plain), result, fail_on_overdue, not no_pager
    )
    if send or split_by is not None or output is not None or (plain and office is not None):
        from xixin_cli.commands.reminders import delivered  # messages per unit, or sent

        return delivered(ctx, opened, where, reminder, send or (), split_by, output)
    return reminder


COMMANDS = {"overdue": overdue, "upcoming": upcoming, "remind": remind}
GROUPS: dict[str, dict[str, object]] = {}
