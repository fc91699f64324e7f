"""Tables look exactly as rich would lay them out by itself, at any terminal width."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from rich.console import Console
from rich.table import Table

from xixin_cli import render
from xixin_cli.fold import fold, states
from xixin_cli.model import Event, Status
from xixin_cli.paths import bundled_plan
from xixin_cli.plan_file import load_plan
from xixin_cli.schedule import overdue, upcoming
from xixin_cli.workdays import build_calendar

CHINA = timezone(timedelta(hours=8))


def printed(table: Table, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), markup=False, emoji=False)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def tables() -> list[tuple[str, Table]]:
    plan = load_plan(bundled_plan())
    at = datetime(2022, 11, 20, 9, tzinfo=CHINA)
    events = [
        Event("a", at, "4.1.1", Status.BLOCKED, Status.TODO, "王芳", "等待经发办材料"),
        Event("b", at, "5.1.1", Status.DONE, Status.TODO, "李明"),
    ]
    item_states = states(plan, fold(events))
    today = date(2022, 12, 5)
    late = overdue(plan, item_states, today, build_calendar())
    soon = upcoming(plan, item_states, date(2022, 11, 20), date(2022, 12, 31), build_calendar())
    return [
        ("checklist", render.checklist_table(plan, list(item_states.values()), "zh")),
        ("overdue", render.due_table(plan, late[:20], "zh", today, late=True)),
        ("upcoming", render.due_table(plan, soon, "en", today, late=False)),
        ("history", render.history_table(plan, events, "zh")),
    ]


@pytest.mark.parametrize("width", [30, 48, 64, 80, 100, 140, 200])
def test_settled_widths_print_what_rich_measures(width: int) -> None:
    for name, table in tables():
        settled = [column.width for column in table.columns]
        assert any(w is not None for w in settled), name  # the fast path is taken
        first = printed(table, width)
        for column in table.columns:
            if column.no_wrap:
                column.width = None  # as rich would have it: measure every cell
        assert printed(table, width) == first, (name, width)
