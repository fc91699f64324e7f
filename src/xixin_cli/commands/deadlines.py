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
    sessions,
)
from xixin_cli.errors import UsageError
from xixin_cli.results import DueList, Reminder, Sending, Several, form
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
    found = []
    for opened in sessions(ctx, as_of=today, office=office, phase=phase):
        where = item_filter(opened, office, phase)
        rows = find_overdue(opened.plan, view(opened, where), today, opened.calendar(), where)
        found.append((opened, rows))
    return _listed(found, (limit, show_all, as_json), today, None)


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
    try:
        last_day = window_end(today, within)
    except DateRangeError:
        raise UsageError("usage.window_range", value=within) from None
    except DateFormatError:
        raise UsageError("usage.bad_window", value=within) from None
    found = []
    for opened in sessions(ctx, as_of=today, office=office, phase=phase):
        where = item_filter(opened, office, phase)
        rows = find_upcoming(
            opened.plan, view(opened, where), today, last_day, opened.calendar(), where
        )
        found.append((opened, rows))
    return _listed(found, (limit, show_all, as_json), today, last_day)


def _listed(
    found: Sequence[tuple[Session, Sequence[DueRow]]],
    shown_as: tuple[int, bool, bool],
    today: date,
    last_day: date | None,
) -> DueList:
    """Overdue rows (no `last_day`) or upcoming ones with the phase dates of their window,
    cut to --limit unless --all or --json; `shown_as` is (limit, show_all, as_json). Rows of
    several plans (a workspace) are merged by their days, each with the plan it comes from."""
    from xixin_cli.schedule import PhaseMark, phase_marks

    limit, show_all, as_json = shown_as
    first = found[0][0]
    plans = [(opened.name, opened.plan) for opened, _ in found] if len(found) > 1 else []
    merged = sorted(
        ((row, (opened.name, opened.plan)) for opened, rows in found for row in rows),
        key=lambda pair: pair[0].days,
    )
    rows = [row for row, _ in merged]
    sources = [source for _, source in merged] if plans or first.name else []
    shown, hidden = (rows, 0) if as_json else capped(rows, limit, show_all)
    sources = sources[: len(shown)]
    marks: Sequence[PhaseMark] = ()
    if last_day is not None:  # upcoming: the phase dates of its window
        marks = sorted(
            (mark for opened, _ in found for mark in phase_marks(opened.plan, today, last_day)),
            key=lambda mark: mark.day,
        )
    return DueList(
        first.plan,
        first.lang,
        form(as_json),
        shown,
        hidden,
        today,
        last_day is None,
        last_day,
        marks,
        sources,
        plans,
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
) -> Reminder | Sending | Several:
    """The weekly digest: overdue and due this week, per office, red/yellow/green."""
    from xixin_cli.schedule import digest

    today = day(ctx, as_of)
    if send or split_by is not None or output is not None or (plain and bool(office)):
        # Messages per unit, or sent: of one plan (in a workspace of several, --plan NAME).
        from xixin_cli.commands.reminders import delivered

        opened = session(ctx, as_of=today)
        where = item_filter(opened, office)
        result = digest(opened.plan, view(opened, where), today, opened.calendar(), where)
        shown_as = form(as_json, plain)
        reminder = Reminder(
            opened.plan, opened.lang, shown_as, result, fail_on_overdue, not no_pager, opened.name
        )
        return delivered(ctx, opened, where, reminder, send or (), split_by, output)
    found: list[Reminder] = []
    for opened in sessions(ctx, as_of=today, office=office):
        where = item_filter(opened, office)
        result = digest(opened.plan, view(opened, where), today, opened.calendar(), where)
        found.append(
            Reminder(
                opened.plan,
                opened.lang,
                form(as_json, plain),
                result,
                fail_on_overdue,
                not no_pager,
                opened.name,
            )
        )
    if len(found) == 1:
        return found[0]
    # One after another, not a pager for each plan.
    return Several(tuple(each._replace(paged=False) for each in found), form(as_json, plain))


COMMANDS = {"overdue": overdue, "upcoming": upcoming, "remind": remind}
GROUPS: dict[str, dict[str, object]] = {}
