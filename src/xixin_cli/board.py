"""The office's board: progress and red/yellow/green counts per unit and per phase (pure)."""

from __future__ import annotations

from datetime import date

from xixin_cli.fold import ItemState
from xixin_cli.model import Plan
from xixin_cli.schedule import EVERYTHING, Digest, Filter, Tally, leaves, once_each, tally
from xixin_cli.tuples import NamedTuple


class Board(NamedTuple):
    """The board as of a day: per unit (those needing a call first) and per phase."""

    today: date
    units: tuple[Tally, ...]
    phases: tuple[Tally, ...]


def board(
    plan: Plan, item_states: dict[str, ItemState], week: Digest, where: Filter = EVERYTHING
) -> Board:
    """Every unit's and every phase's checkable items, from the week's digest (the same
    `where`): red and yellow are exactly what `remind` lists, so the two never disagree."""
    kept = leaves(plan, item_states, where)
    phases = []
    for key, phase in plan.phases.items():
        mine = [state for state in kept if state.item.phase == key]
        if mine:
            red = once_each(row for row in week.overdue if row.state.item.phase == key)
            yellow = once_each((r for r in week.due_soon if r.state.item.phase == key), red)
            name = f"{phase.number} {phase.name}"
            phases.append(tally(key, name, mine, red, yellow, week.today, week.calendar))
    return Board(week.today, week.offices, tuple(phases))
