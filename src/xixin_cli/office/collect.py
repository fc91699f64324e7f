"""What a returned form records: one change per row whose filled cells say something new, and
the form itself as evidence of each (pure: the caller gives the states, the stamp and the file's
fingerprint)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from xixin_cli import rules
from xixin_cli.fold import ItemState, part_view
from xixin_cli.model import Event, Plan
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.evidence import Fingerprint
    from xixin_cli.office.forms import Filled, FormRead


class Taken(NamedTuple):
    """A row taken from a form: the part's state before it and the records it made."""

    row: Filled
    before: ItemState
    events: tuple[Event, ...]


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
) -> list[Taken]:
    """The records a checked form makes against the states as they are now."""
    unit = plan.offices[read.office].name
    taken = []
    for row in read.rows:
        state = item_states.get(row.item)
        if state is None or all(part.office != read.office for part in state.parts):
            continue
        view = part_view(state, read.office)
        if _same(view, row):
            continue
        by = row.by or unit

        def stamp(row: Filled = row, by: str = by) -> rules.Stamp:
            return rules.Stamp(at, new_id(), by, row.on)

        status = row.status if row.status is not None else view.status
        note = " ".join((row.progress or row.problems or row.next).split())
        made = rules.change(view, status, stamp(), note)
        if made is None:  # the same status and no words: _same has already said so
            continue
        made = made._replace(progress=row.progress, problems=row.problems, next=row.next)
        proof = rules.evidence(view, *fingerprint, stamp(), note="")
        taken.append(Taken(row, view, (made, proof)))
    return taken
