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
from typing import TYPE_CHECKING, Any

from xixin_cli.errors import Later, LaterChanges, RuleError
from xixin_cli.model import Event, EventKind, Plan, Status
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.fold import ItemState

#: The statuses an item may be in when it is closed out (销号) or sent back (退回).
CLOSABLE = frozenset({Status.DONE})
RETURNABLE = frozenset({Status.DONE, Status.CLOSED})


class Stamp(NamedTuple):
    """Who records a change, when, the record's unique id, and the day the change happened
    when that was before the day it is recorded (`--on`)."""

    at: datetime
    event_id: str
    by: str
    on: date | None = None


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
        on=stamp.on,
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


def is_return(event: Event) -> bool:
    """Whether a record is a 退回, as `send_back` records it: a done or closed part back to
    进行中. The log keeps no other mark of it, so `set ID doing` on a done part reads as one
    too; an undo that puts a part back so is the undo, not a return."""
    return (
        event.kind is EventKind.STATUS
        and event.undoes is None
        and event.status is Status.DOING
        and event.previous in RETURNABLE
    )


#: The refusals of a close-out and of a return: the shell names the parts they are for.
NOT_REVIEWABLE = {CLOSABLE: "usage.not_closable", RETURNABLE: "usage.not_returnable"}


def _require(state: ItemState, allowed: frozenset[Status]) -> None:
    if state.status not in allowed:
        raise RuleError(NOT_REVIEWABLE[allowed], value=state.item.id, status=state.status)


def extension(state: ItemState, due: date, stamp: Stamp, reason: str) -> Event:
    """延期: a dated item's due date moved to a later day, with the reason. An extension
    already granted may be corrected, to an earlier day too, but not to the original date or
    before it (that is no extension: `undo` takes one back)."""
    if not reason:
        raise RuleError("usage.reason_needed")
    if state.due is None:
        raise RuleError("usage.standing_no_due", value=state.item.id)
    floor = state.item.due if state.extension is not None else state.due
    if floor is not None and due <= floor:
        code = "usage.extend_before_original" if state.extension else "usage.extend_earlier"
        raise RuleError(code, value=due.isoformat(), due=floor.isoformat())
    if due == state.due:
        raise RuleError("usage.extend_same", value=due.isoformat())
    return _beside(state, stamp, reason, kind=EventKind.EXTEND, due=due)


def detach(state: ItemState, which: str, stamp: Stamp, reason: str) -> list[Event]:
    """撤回佐证材料: withdraw evidence recorded for an item (by its path, file name or the
    start of its SHA-256); the record of it stays in the history."""
    from pathlib import PurePath

    found = [
        e
        for e in state.evidence
        if which in (e.path, PurePath(e.path).name)
        or (len(which) >= 8 and e.sha256.startswith(which))
    ]
    if not found:
        names = "、".join(PurePath(e.path).name for e in state.evidence) or "—"
        raise RuleError("usage.no_such_evidence", item=state.item.id, value=which, files=names)
    return [
        _beside(
            state, stamp, reason, kind=EventKind.DETACH, path=e.path, size=e.size, sha256=e.sha256
        )
        for e in found
    ]


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
        on=stamp.on,
        **fields,
    )


def undone_ids(events: Sequence[Event]) -> set[str]:
    """The ids of the records an undo has reverted (an undo that was itself undone reverts
    nothing: undoing an undo redoes): `fold.standing_undos`, as a replay leaves them out."""
    from xixin_cli.fold import standing_undos, undo_map

    undos = undo_map(events)
    return {undos[undo] for undo in standing_undos(undos)}


def by_command(events: Sequence[Event]) -> list[tuple[Event, list[str]]]:
    """Records as the commands that made them: one command's records for several units'
    parts (same time, recorder, item and change) as its first record with the units."""
    found: dict[tuple[object, ...], tuple[Event, list[str]]] = {}
    for event in events:
        found.setdefault(_command_key(event), (event, []))[1].append(event.office)
    return list(found.values())


def shown_ids(events: Sequence[Event]) -> dict[str, str]:
    """Each record's id as `by_command` shows it: the id of its command's first record (an
    undo of another unit's record of that command points at the id shown)."""
    first: dict[tuple[object, ...], str] = {}
    return {e.event_id: first.setdefault(_command_key(e), e.event_id) for e in events}


def _command_key(event: Event) -> tuple[object, ...]:
    """What the records of one command for several units' parts have in common: the same
    change from the same state (a part reopened by the command that starts the others is a
    row of its own, a 退回)."""
    who = (event.writer, event.at, event.by)
    what: tuple[object, ...] = (event.item, event.kind, event.previous, event.status)
    what += (event.due, event.note, event.path)
    return (*who, *what, event.undoes is None)


def command_of(events: Sequence[Event], one: Event) -> list[Event]:
    """Every record of the command that made `one`: the same writer's, written at the same
    time (one stamp a command, to the microsecond: `session.stamper`). Not by its recorder:
    a returned form's rows each name who filled them, and `undo` takes the form back whole."""
    from xixin_cli.fold import order_key

    key = (one.writer, one.at)
    return sorted((e for e in events if (e.writer, e.at) == key), key=order_key)


def undo_target(events: Sequence[Event], writer: str | None = None, which: str = "") -> list[Event]:
    """The records `undo` reverts: the command containing the record whose id starts with
    `which` (at least 4 characters; an undo's id redoes what it undid), else the latest command
    of `writer` (any writer for None) that is not itself an undo and is not undone yet, by when
    it was written (`written`). Undoing twice reverts the two latest changes, newest first,
    like an editor's undo."""
    mine = [e for e in events if writer is None or e.writer == writer]
    if which:
        if len(which) < 4:
            raise RuleError("usage.undo_id_short", value=which)
        found = {e.event_id: e for e in mine if e.event_id.startswith(which)}
        if len(found) != 1:
            raise RuleError(
                "usage.undo_id_unknown" if not found else "usage.undo_id_many", value=which
            )
        target = next(iter(found.values()))
        if target.event_id in undone_ids(events):
            raise RuleError("usage.undo_already", value=which)
        return command_of(mine, target)
    undone = undone_ids(events)
    candidates = [e for e in mine if e.undoes is None and e.event_id not in undone]
    if not candidates:
        return []
    return [e for e in command_of(mine, max(candidates, key=written)) if e.event_id not in undone]


def written(event: Event) -> tuple[datetime, str]:
    """When a record was written (its id settling a tie): what `undo` takes as your latest
    change, the one typed last, though it may say it happened days before (`--on`)."""
    return (event.at, event.event_id)


def undo(
    plan: Plan,
    events: Sequence[Event],
    item_states: dict[str, ItemState],
    stamp: Callable[[], Stamp],
    *,
    writer: str | None = None,
    which: str = "",
) -> list[tuple[Event, Event]]:
    """The records that revert a command (`undo_target`), each with the record it reverts.

    A revert restores the item's (or the part's) whole state from just before: its status and
    the note that stood with it, its due date, its evidence. Each revert names what it undoes
    (`undoes`), so undoing it restores the change. A command whose parts have changed since
    (`_changed_since`) is refused with those changes named (`LaterChanges`): putting back what
    stood before it would wipe them out, where history would still show them standing.
    """
    from xixin_cli.fold import (
        fold,
        fold_evidence,
        fold_extensions,
        order_key,
        part_view,
        replayed_all,
        states,
    )

    targets = undo_target(events, writer, which)
    if not targets:
        raise RuleError("usage.nothing_to_undo")
    dated = {target.event_id for target in targets if _on_its_day(plan, events, target)}
    later = _changed_since(plan, events, targets, dated)
    if later:
        named = [_later(plan, e, writer) for e in later]
        raise LaterChanges(which or targets[0].event_id[:6], named)
    first = min(order_key(target) for target in targets)
    # what stood just before: less what undos before it took back (they count on no day)
    prior = replayed_all([e for e in events if order_key(e) < first], date.max)
    below = _with_descendants(plan, {target.item for target in targets})
    before = states(below, fold(prior), fold_extensions(prior), fold_evidence(prior))
    reverts = []
    for target in targets:
        then, now = before.get(target.item), item_states.get(target.item)
        on = target.on if target.event_id in dated else None  # counted on the target's day
        if then is None or now is None:
            reverts.append((_revert(target, then, now, stamp(), target.office, on), target))
            continue
        # A record for no unit, or for a group, stood for several parts: each is put back as
        # it stood, by a record of its own (one part's earlier report is not every part's).
        offices = [p.office for p in then.parts if p.office == target.office]
        if not offices:
            offices = [p.office for p in then.parts if touches(plan, p.office, target.office)]
        standing = {(p.last, p.extension, p.evidence) for p in then.parts if p.office in offices}
        if len(standing) < 2:  # one part, or parts that all stood on the same records
            office = offices[0] if offices else target.office  # none: a unit the plan dropped
            this, that = part_view(then, office), part_view(now, office)
            reverts.append((_revert(target, this, that, stamp(), target.office, on), target))
            continue
        for office in offices:
            this, that = part_view(then, office), part_view(now, office)
            reverts.append((_revert(target, this, that, stamp(), office, on), target))
    return reverts


def _on_its_day(plan: Plan, events: Sequence[Event], target: Event) -> bool:
    """Whether the undo of `target` counts on the day the change is said to have happened
    (`--on`): right after it, under the changes of later days, which then stand over both as
    they stood. Not when one of those rests on what stood then: an undo's record of the same
    part and thing (it put back a state that held the target: undone, the target would stand
    again on top), a close-out or a return (each needs the part done, or closed, before it):
    then the undo counts now, and `_changed_since` names them."""
    from xixin_cli.fold import order_key

    if target.on is None:
        return False
    since = order_key(target)
    return not any(
        (event.undoes is not None or event.status is Status.CLOSED or is_return(event))
        and event.item == target.item
        and _same_thing(event, target)
        and touches(plan, event.office, target.office)
        and order_key(event) > since
        for event in events
    )


def _changed_since(
    plan: Plan, events: Sequence[Event], targets: Sequence[Event], dated: frozenset[str] | set[str]
) -> list[Event]:
    """The changes that stand, ordered after a target, of what it changed: the same item, a
    part it touched (a record for no unit or for a group touches its units' parts) and the same
    thing (the status and note, the due date, or one file). Undoing the target restores what
    stood before it, so it would wipe these out. A record undone stands for nothing, and so
    does the undo of a record that came after the target too (the two cancel out); the undo
    of one before it is a change since. The undo of a target in `dated` counts on its day
    (`_on_its_day`): only that day's changes written after it come after it."""
    from xixin_cli.fold import order_key

    undone = undone_ids(events)
    by_id = {event.event_id: event for event in events}
    ids = {target.event_id for target in targets}
    found: dict[str, Event] = {}
    for target in targets:
        since = order_key(target)

        def cancelled(event: Event, since: tuple[datetime, datetime, str] = since) -> bool:
            undid = by_id.get(event.undoes or "") if event.undoes in undone else None
            return undid is not None and order_key(undid) > since

        for event in events:
            if (
                event.item == target.item
                and event.event_id not in ids
                and event.event_id not in undone
                and not cancelled(event)
                and _same_thing(event, target)
                and touches(plan, event.office, target.office)
                and order_key(event) > since
                and (target.event_id not in dated or order_key(event)[0] == since[0])
            ):
                found[event.event_id] = event
    return sorted(found.values(), key=order_key, reverse=True)  # newest first: undone so


def _same_thing(one: Event, other: Event) -> bool:
    """Whether two records change the same thing of a part: its status (and the note with it),
    its due date, or one file's standing."""
    if one.kind is EventKind.STATUS or one.kind is EventKind.EXTEND:
        return one.kind is other.kind
    files = (EventKind.EVIDENCE, EventKind.DETACH)
    return other.kind in files and (one.path, one.sha256) == (other.path, other.sha256)


def touches(plan: Plan, one: str, other: str) -> bool:
    """Whether records for these two units' keys change a part in common ("" is every part;
    a group's record is its members')."""
    if not one or not other or one == other:
        return True
    offices = plan.offices
    first, second = offices.get(one), offices.get(other)
    return (first is not None and first.parent == other) or (
        second is not None and second.parent == one
    )


def _later(plan: Plan, event: Event, writer: str | None) -> Later:
    """A later change, as the refusal names it (and whether `writer`, the one undoing, did not
    record it: another PC's record, merged in, is undone only there)."""
    unit = plan.unit_name(event.office)  # "" for a record for every part
    kind = event.kind.value
    if event.kind is EventKind.EXTEND and event.due is None:
        kind = "withdraw"
    due = event.due.isoformat() if event.due is not None else ""
    name = event.path.replace("\\", "/").rsplit("/", 1)[-1] if event.path else ""
    other = writer is not None and event.writer != writer
    return Later(
        event.event_id[:6], event.item, unit, kind, event.previous, event.status, due, name, other
    )


def _with_descendants(plan: Plan, item_ids: set[str]) -> Plan:
    """The plan cut down to these items and everything below them: what their states are
    folded from (an item's state depends on its own records and its leaves' only), so that
    the state before an undo is not folded for a county's every item."""
    keep: set[str] = set()
    todo = [item_id for item_id in item_ids if plan.get(item_id) is not None]
    while todo:
        item_id = todo.pop()
        if item_id not in keep:
            keep.add(item_id)
            todo.extend(plan.children(item_id))
    items = tuple(item for item in plan.items if item.id in keep)
    return Plan(plan.path, plan.document, plan.offices, plan.phases, items, plan.warnings)


def _revert(
    target: Event,
    then: ItemState | None,
    now: ItemState | None,
    stamp: Stamp,
    office: str,
    on: date | None = None,
) -> Event:
    """The record that puts back what `target` changed of `office`'s part, as it stood
    (`then`) before it; said to have happened `on` the target's day when it counts there
    (`_on_its_day`), right after it, changing what the target set."""
    fields: dict[str, Any] = {"undoes": target.event_id, "office": office, "on": on}
    if target.kind is EventKind.STATUS:
        status = then.status if then is not None else target.previous
        current = now.status if now is not None and on is None else target.status
        note = then.last.note if then is not None and then.last is not None else ""
        return Event(
            stamp.event_id, stamp.at, target.item, status, current, stamp.by, note, **fields
        )
    unchanged = now.status if now is not None else Status.TODO
    base = (stamp.event_id, stamp.at, target.item, unchanged, unchanged, stamp.by, "")
    if target.kind is EventKind.EXTEND:
        earlier = then.extension if then is not None else None
        if earlier is not None:  # the extension that stood, with its reason
            base = (*base[:-1], earlier.note)
        return Event(*base, kind=EventKind.EXTEND, due=earlier.due if earlier else None, **fields)
    if then is None:  # an item the plan no longer has: the opposite of what it recorded
        stood = target.kind is not EventKind.EVIDENCE
    else:  # the file stands again, or not, as it did (attached twice: the first stays)
        stood = any((e.path, e.sha256) == (target.path, target.sha256) for e in then.evidence)
    kind = EventKind.EVIDENCE if stood else EventKind.DETACH
    return Event(
        *base, kind=kind, path=target.path, size=target.size, sha256=target.sha256, **fields
    )
