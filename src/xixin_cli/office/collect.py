"""What a returned form records: one change per row whose filled cells say something new, and
the form itself as evidence of each (pure: the caller gives the states, the stamp and the file's
fingerprint)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from xixin_cli import rules
from xixin_cli.fold import ItemState, part_view
from xixin_cli.model import Event, Plan, Status
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.evidence import Fingerprint
    from xixin_cli.office.forms import Filled, FormRead


class Taken(NamedTuple):
    """A row taken from a form: the part's state before it and the records it made."""

    row: Filled
    before: ItemState
    events: tuple[Event, ...]
    moved: bool = False  # the part's status had changed since the form went out (`moved_since`)


class Left(NamedTuple):
    """A row not taken: it would change the status of a part closed out (已销号) since the
    form went out. Closing out is the office's review of done work: a unit's form reopens
    nothing (the office sends it back, `return`)."""

    row: Filled
    office: str  # whose part it is
    sheet: str  # the form's sheet the row is on


def _same(view: ItemState, row: Filled) -> bool:
    """True when the row says what the part already says: collecting a form twice is a no-op."""
    last = view.last
    status = row.status if row.status is not None else view.status
    if status is not view.status:
        return False
    told = (row.progress, row.problems, row.next)
    if last is None:
        return not any(told)
    return (last.progress, last.problems, last.next) == told


def changes(
    plan: Plan,
    item_states: Mapping[str, ItemState],
    read: FormRead,
    at: datetime,
    new_id: Callable[[], str],
    fingerprint: Fingerprint,
    came_in: date | None = None,
) -> tuple[list[Taken], list[Left]]:
    """The records a checked form makes against the states as they are now (a row without
    its 完成日期 dated `came_in`, the day the forms came in, when given), and the rows
    left because they would reopen a part closed out since the form went out (`Left`); a row
    that changes a part whose status changed otherwise since is taken, and says so (`moved`):
    a unit may send its form again, corrected, and its first answer is such a change."""
    unit = plan.offices[read.office].name
    taken, left = [], []
    for row in read.rows:
        state = item_states.get(row.item)
        if state is None or all(part.office != read.office for part in state.parts):
            continue
        view = part_view(state, read.office)
        if _same(view, row):
            continue
        moved = moved_since(view, row)
        if moved and view.status is Status.CLOSED:
            left.append(Left(row, read.office, read.sheet))
            continue
        by = row.by or unit

        def stamp(row: Filled = row, by: str = by) -> rules.Stamp:
            return rules.Stamp(at, new_id(), by, row.on or came_in)

        status = row.status if row.status is not None else view.status
        note = " ".join((row.progress or row.problems or row.next).split())
        made = rules.change(view, status, stamp(), note)
        if made is None:  # the same status and no words: _same has already said so
            continue
        made = made._replace(progress=row.progress, problems=row.problems, next=row.next)
        proof = rules.evidence(view, *fingerprint, stamp(), note="")
        taken.append(Taken(row, view, (made, proof), moved))
    return taken, left


def moved_since(view: ItemState, row: Filled) -> bool:
    """Whether the row would change the status of a part whose status is no longer the one
    the form showed when it went out (a row of words alone, or one that says what stands
    now, changes no status)."""
    return (
        row.status is not None
        and row.sent is not None
        and view.status is not row.sent
        and row.status is not view.status
    )
