"""The office's board: progress and red/yellow/green counts per unit and per phase (pure)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from xixin_cli.fold import ItemState
from xixin_cli.model import Plan
from xixin_cli.schedule import (
    EVERYTHING,
    WARNING_DAYS,
    Filter,
    Tally,
    leaves,
    overdue,
    tally,
    unit_tallies,
    upcoming,
)

if TYPE_CHECKING:
    from xixin_cli.workdays import Calendar


class Board(NamedTuple):
    """The board as of a day: per unit (those needing a call first) and per phase."""

    today: date
    units: tuple[Tally, ...]
    phases: tuple[Tally, ...]


def board(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
    warning_days: int = WARNING_DAYS,
) -> Board:
    """Count every unit's and every phase's checkable items as of `today`.

    Red and yellow are exactly what `overdue` and `upcoming` (the week ahead) list, grouped as
    `remind` groups them, so the board and the reminder never disagree.
    """
    kept = leaves(plan, item_states, where)
    late = overdue(plan, item_states, today, calendar, where)
    soon = upcoming(plan, item_states, today, today + timedelta(days=warning_days), calendar, where)
    units = unit_tallies(plan, kept, late, soon, today, calendar, where)
    phases = []
    for key, phase in plan.phases.items():
        mine = [state for state in kept if state.item.phase == key]
        if mine:
            red = [row for row in late if row.state.item.phase == key]
            yellow = [row for row in soon if row.state.item.phase == key]
            name = f"{phase.number} {phase.name}"
            phases.append(tally(key, name, mine, red, yellow, today, calendar))
    return Board(today, tuple(units), tuple(phases))
