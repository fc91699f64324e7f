"""The office's board: progress and red/yellow/green counts per unit and per phase (pure)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from xixin_cli.model import Item, Plan, Status
from xixin_cli.schedule import (
    EVERYTHING,
    WARNING_DAYS,
    DueRow,
    Filter,
    ItemState,
    leaves,
    overdue,
    upcoming,
)


class BoardRow(NamedTuple):
    """One unit's or one phase's line: done of total, and the open items by colour.

    red + yellow + green is the number of open items; closed + open is the total.
    """

    key: str
    name: str
    total: int
    closed: int  # done, closed out (销号) or dropped
    red: int  # overdue
    yellow: int  # due within the warning window
    green: int  # open and on track (later, or standing work)
    worst: DueRow | None  # the most overdue item, else the one due soonest

    @property
    def open(self) -> int:
        return self.total - self.closed


class Board(NamedTuple):
    """The board as of a day: per unit (those needing a call first) and per phase."""

    today: date
    units: tuple[BoardRow, ...]
    phases: tuple[BoardRow, ...]


def board(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    where: Filter = EVERYTHING,
    warning_days: int = WARNING_DAYS,
) -> Board:
    """Count every unit's and every phase's checkable items as of `today`.

    Red and yellow are exactly what `overdue` and `upcoming` (the week ahead) list, as in
    `remind`, so the board and the reminder never disagree.
    """
    kept = leaves(plan, item_states, where)
    late = overdue(plan, item_states, today, where)
    soon = upcoming(plan, item_states, today, today + timedelta(days=warning_days), where)

    def row(key: str, name: str, belongs: Callable[[Item], bool]) -> BoardRow:
        mine = [state for state in kept if belongs(state.item)]
        red = [r for r in late if belongs(r.state.item)]
        yellow = [r for r in soon if belongs(r.state.item)]
        open_count = sum(1 for state in mine if state.status.is_open)
        dated = [DueRow(s, (s.due - today).days) for s in mine if s.status.is_open and s.due]
        worst = min(dated, key=lambda r: r.days, default=None)
        return BoardRow(
            key,
            name,
            len(mine),
            len(mine) - open_count,
            len(red),
            len(yellow),
            open_count - len(red) - len(yellow),
            worst,
        )

    units = [
        row(key, office.name, _in_office(key))
        for key, office in plan.offices.items()
        if where.office is None or key == where.office
    ]
    units = [r for r in units if r.total]
    order = list(plan.offices)
    units.sort(key=lambda r: (-r.red, -r.yellow, r.closed / r.total, order.index(r.key)))
    phases = [
        row(key, f"{phase.number} {phase.name}", _in_phase(key))
        for key, phase in plan.phases.items()
    ]
    return Board(today, tuple(units), tuple(r for r in phases if r.total))


def _in_office(key: str) -> Callable[[Item], bool]:
    return lambda item: key in item.offices


def _in_phase(key: str) -> Callable[[Item], bool]:
    return lambda item: item.phase == key


def completion(states: Sequence[ItemState]) -> tuple[int, int]:
    """(completed, counted): done or closed, of all items not dropped (不适用 does not count)."""
    counted = [state for state in states if state.status is not Status.DROPPED]
    done = sum(1 for state in counted if state.status in (Status.DONE, Status.CLOSED))
    return done, len(counted)
