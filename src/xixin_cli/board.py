"""The office's board: progress and red/yellow/green counts per unit and per phase (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from xixin_cli.model import Plan, Status
from xixin_cli.schedule import EVERYTHING, WARNING_DAYS, DueRow, Filter, ItemState, leaves


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
    """Count every unit's and every phase's checkable items as of `today`."""
    kept = leaves(plan, item_states, where)
    last_day = today + timedelta(days=warning_days)
    units = [
        _row(key, office.name, [s for s in kept if key in s.item.offices], today, last_day)
        for key, office in plan.offices.items()
        if where.office is None or key == where.office
    ]
    units = [row for row in units if row.total]
    order = list(plan.offices)
    units.sort(key=lambda r: (-r.red, -r.yellow, r.closed / r.total, order.index(r.key)))
    phases = [
        _row(
            key,
            f"{phase.number} {phase.name}",
            [s for s in kept if s.item.phase == key],
            today,
            last_day,
        )
        for key, phase in plan.phases.items()
    ]
    return Board(today, tuple(units), tuple(row for row in phases if row.total))


def _row(key: str, name: str, states: Sequence[ItemState], today: date, last_day: date) -> BoardRow:
    open_rows = [
        DueRow(state, (state.due - today).days)
        for state in states
        if state.status.is_open and state.due is not None
    ]
    red = [row for row in open_rows if row.days < 0]
    yellow = [row for row in open_rows if 0 <= row.days <= (last_day - today).days]
    open_count = sum(1 for state in states if state.status.is_open)
    worst = min(open_rows, key=lambda row: row.days, default=None)
    return BoardRow(
        key,
        name,
        len(states),
        len(states) - open_count,
        len(red),
        len(yellow),
        open_count - len(red) - len(yellow),
        worst,
    )


def completion(states: Sequence[ItemState]) -> tuple[int, int]:
    """(completed, counted): done or closed, of all items not dropped (不适用 does not count)."""
    counted = [state for state in states if state.status is not Status.DROPPED]
    done = sum(1 for state in counted if state.status in (Status.DONE, Status.CLOSED))
    return done, len(counted)
