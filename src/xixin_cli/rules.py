"""What change may follow what: the rules every recorded change obeys (pure).

Each function takes the state of the one part a change is for (`fold.part_view`: an item as
one unit sees it) or the log, and returns the record the change makes, or
raises a `RuleError` that says which rule it would break; the shell only maps that to a message.
The record's time, id and recorder are given by the caller (`Stamp`), so the rules never ask the
clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from xixin_cli.errors import RuleError
from xixin_cli.model import Event, EventKind, Plan, Status

if TYPE_CHECKING:
    from xixin_cli.fold import ItemState

#: The statuses an item may be in when it is closed out (销号) or sent back (退回).
CLOSABLE = frozenset({Status.DONE})
RETURNABLE = frozenset({Status.DONE, Status.CLOSED})


class Stamp(NamedTuple):
    """Who records a change, when, and the record's unique id."""

    at: datetime
    event_id: str
    by: str


def derived_status(statuses: Sequence[Status]) -> Status:
    """A parent's status from its leaves: done when all are closed, blocked when any is."""
    if all(status is Status.DROPPED for status in statuses):
        return Status.DROPPED
    if all(status in (Status.CLOSED, Status.DROPPED) for status in statuses):
        return Status.CLOSED
    if all(not status.is_open for status in statuses):
        return Status.DONE
    if any(status is Status.BLOCKED for status in statuses):
        return Status.BLOCKED
    if any(status in (Status.DOING, Status.DONE) for status in statuses):
        return Status.DOING
    return Status.TODO


def check_leaf(plan: Plan, item_id: str) -> None:
    """A task's status comes from its actions: only items without children are recorded."""
    if not plan.is_leaf(item_id):
        raise RuleError("usage.not_leaf", value=item_id, children=" ".join(plan.children(item_id)))


def change(state: ItemState, status: Status, stamp: Stamp, note: str) -> Event | None:
    """The record of `status` for a leaf; None when nothing would change.

    Closing out (销号) is a review of done work, so `closed` follows only `done`, whichever
    command asks for it.
    """
    if status is Status.CLOSED and state.status is not Status.CLOSED:
        _require(state, CLOSABLE)
    if status is state.status and not note:
        return None
    return Event(
        stamp.event_id,
        stamp.at,
        state.item.id,
        status,
        state.status,
        stamp.by,
        note,
        office=_office(state),
    )


def _office(state: ItemState) -> str:
    """The unit a record is for: the one part `state` shows ("" for an item without units)."""
    return state.parts[0].office if len(state.parts) == 1 else ""


def close(state: ItemState, stamp: Stamp, note: str) -> Event | None:
    """销号: a done item, reviewed and closed out."""
    _require(state, CLOSABLE)
    return change(state, Status.CLOSED, stamp, note)


def send_back(state: ItemState, stamp: Stamp, reason: str) -> Event | None:
    """退回: a done or closed item goes back to 进行中, with the reason."""
    if not reason:
        raise RuleError("usage.reason_needed")
    _require(state, RETURNABLE)
    return change(state, Status.DOING, stamp, reason)


def _require(state: ItemState, allowed: frozenset[Status]) -> None:
    if state.status not in allowed:
        raise RuleError("usage.not_reviewable", value=state.item.id, status=state.status)


def extension(state: ItemState, due: date, stamp: Stamp, reason: str) -> Event:
    """延期: a dated item's due date moved to a later day, with the reason."""
    if not reason:
        raise RuleError("usage.reason_needed")
    if state.due is None:
        raise RuleError("usage.standing_no_due", value=state.item.id)
    if due <= state.due:
        raise RuleError("usage.extend_earlier", value=due.isoformat(), due=state.due.isoformat())
    return _beside(state, stamp, reason, kind=EventKind.EXTEND, due=due)


def evidence(state: ItemState, path: str, size: int, sha256: str, stamp: Stamp, note: str) -> Event:
    """The record of one evidence file (佐证材料) for an item."""
    return _beside(state, stamp, note, kind=EventKind.EVIDENCE, path=path, size=size, sha256=sha256)


def _beside(state: ItemState, stamp: Stamp, note: str, **fields: Any) -> Event:
    """A record that leaves the item's status as it is (an extension, a piece of evidence)."""
    return Event(
        stamp.event_id,
        stamp.at,
        state.item.id,
        state.status,
        state.status,
        stamp.by,
        note,
        office=_office(state),
        **fields,
    )


def undo_target(events: Sequence[Event]) -> list[Event]:
    """The latest change not yet undone, with every other record the same command made (one
    per unit's part: same time, same recorder); undo records themselves are not undone again.

    Undoing twice reverts the two latest changes, newest first, like an editor's undo.
    """
    from xixin_cli.fold import order_key

    changes = [event for event in events if event.kind is EventKind.STATUS]
    undone = {event.undoes for event in changes if event.undoes is not None}
    open_changes = [e for e in changes if e.undoes is None and e.event_id not in undone]
    if not open_changes:
        return []
    latest = max(open_changes, key=order_key)
    same = [e for e in open_changes if (e.at, e.by) == (latest.at, latest.by)]
    return sorted(same, key=order_key)


def undo(
    events: Sequence[Event], item_states: dict[str, ItemState], stamp: Callable[[], Stamp]
) -> list[Event]:
    """The records that revert the latest change not yet undone (one per part it changed),
    each stamped by `stamp`."""
    targets = undo_target(events)
    if not targets:
        raise RuleError("usage.nothing_to_undo")
    reverts = []
    for target in targets:
        made = stamp()
        state = item_states.get(target.item)
        current = target.status
        if state is not None:
            part = [p for p in state.parts if p.office == target.office]
            current = part[0].status if part else state.status
        reverts.append(
            Event(
                made.event_id,
                made.at,
                target.item,
                target.previous,
                current,
                made.by,
                "",
                undoes=target.event_id,
                office=target.office,
            )
        )
    return reverts
