"""Pure queries over plan, events and today: status, progress, overdue, upcoming, reminder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from xixin_cli.model import Event, EventKind, Item, Phase, Plan, Status

#: Days ahead that count as "due soon" (黄灯) in the reminder: the week it is read in.
WARNING_DAYS = 7


class Progress(NamedTuple):
    """Done (or dropped) leaves of all leaves under an item."""

    closed: int
    total: int


class ItemState(NamedTuple):
    """An item as it stands: its status, its last status event (for the note), its progress,
    its current due date (after any approved extension) and its evidence."""

    item: Item
    status: Status
    last: Event | None
    progress: Progress | None  # for items with children
    due: date | None  # item.due, or the latest extension's date
    extension: Event | None = None  # the latest approved extension, if any
    evidence: tuple[Event, ...] = ()  # 佐证材料 recorded for the item, oldest first


class Filter(NamedTuple):
    """Which items a query keeps. Empty fields keep everything."""

    office: str | None = None  # office key
    phase: str | None = None  # phase key
    statuses: frozenset[Status] = frozenset()

    def keeps(self, state: ItemState) -> bool:
        item = state.item
        if self.office is not None and self.office not in item.offices:
            return False
        if self.phase is not None and item.phase != self.phase:
            return False
        return not self.statuses or state.status in self.statuses


#: The filter that keeps every item.
EVERYTHING = Filter()


def order_key(event: Event) -> tuple[datetime, str]:
    """When a change counts as made: its time, then its event id to settle exact ties.

    Not the order of lines in a file, so logs merged in any order give the same answer.
    """
    return (event.at, event.event_id)


def fold(events: Iterable[Event], into: Mapping[str, Event] | None = None) -> dict[str, Event]:
    """Each item's latest status change (by `order_key`), on top of `into`: its current status."""
    return _latest(events, EventKind.STATUS, into)


def fold_extensions(
    events: Iterable[Event], into: Mapping[str, Event] | None = None
) -> dict[str, Event]:
    """Each item's latest approved extension (延期), on top of `into`."""
    return _latest(events, EventKind.EXTEND, into)


def fold_evidence(
    events: Iterable[Event], into: Mapping[str, tuple[Event, ...]] | None = None
) -> dict[str, tuple[Event, ...]]:
    """Each item's evidence records, oldest first, on top of `into` (each record once)."""
    found: dict[str, tuple[Event, ...]] = dict(into) if into else {}
    for event in events:
        if event.kind is EventKind.EVIDENCE:
            known = found.get(event.item, ())
            if all(e.event_id != event.event_id for e in known):
                found[event.item] = tuple(sorted((*known, event), key=order_key))
    return found


def _latest(
    events: Iterable[Event], kind: EventKind, into: Mapping[str, Event] | None
) -> dict[str, Event]:
    last: dict[str, Event] = dict(into) if into else {}
    for event in events:
        if event.kind is not kind:
            continue
        current = last.get(event.item)
        if current is None or order_key(event) >= order_key(current):
            last[event.item] = event
    return last


def states(
    plan: Plan,
    last: Mapping[str, Event],
    extended: Mapping[str, Event] | None = None,
    evidence: Mapping[str, tuple[Event, ...]] | None = None,
) -> dict[str, ItemState]:
    """Every plan item's state from the folded log (`fold`, `fold_extensions`,
    `fold_evidence`), in document order. Items with children take their leaves' status.
    """
    extended = extended or {}
    evidence = evidence or {}
    result: dict[str, ItemState] = {}
    below: dict[str, list[Status]] = {}  # item id -> the statuses of every leaf under it
    new = tuple.__new__  # ItemState(...) without its Python-level __new__: a county has 5,000
    parents = plan.parent_ids()
    for item in reversed(plan.items):  # children come after parents, so visit them first
        item_id = item.id
        extension = extended.get(item_id)
        due = extension.due if extension is not None else item.due
        files = evidence.get(item_id, ())
        if item_id not in parents:
            event = last.get(item_id)
            status = event.status if event is not None else Status.TODO
            result[item_id] = new(ItemState, (item, status, event, None, due, extension, files))
            statuses = [status]
        else:
            statuses = below.pop(item_id, []) or [
                leaf.status for leaf in _leaf_states(plan, item_id, result)
            ]
            closed = sum(1 for status in statuses if not status.is_open)
            result[item_id] = new(
                ItemState,
                (
                    item,
                    derived_status(statuses),
                    None,
                    Progress(closed, len(statuses)),
                    due,
                    extension,
                    files,
                ),
            )
        if item.parent is not None:
            below.setdefault(item.parent, []).extend(statuses)
    return {item.id: result[item.id] for item in plan.items}


def _leaf_states(plan: Plan, item_id: str, known: dict[str, ItemState]) -> list[ItemState]:
    leaves: list[ItemState] = []
    for child in plan.children(item_id):
        if plan.is_leaf(child):
            leaves.append(known[child])
        else:
            leaves.extend(_leaf_states(plan, child, known))
    return leaves


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


class DueRow(NamedTuple):
    """An open leaf with a due date, and its distance from today (negative: overdue)."""

    state: ItemState
    days: int  # due minus today

    @property
    def days_overdue(self) -> int:
        return -self.days


def leaves(
    plan: Plan, item_states: dict[str, ItemState], where: Filter = EVERYTHING
) -> list[ItemState]:
    """The checkable items (those without children) that `where` keeps, in document order."""
    parents = plan.parent_ids()
    found = [state for state in item_states.values() if state.item.id not in parents]
    return found if where == EVERYTHING else [state for state in found if where.keeps(state)]


def _open_leaves(
    plan: Plan, item_states: dict[str, ItemState], where: Filter
) -> Iterable[ItemState]:
    return (state for state in leaves(plan, item_states, where) if state.status.is_open)


def overdue(
    plan: Plan, item_states: dict[str, ItemState], today: date, where: Filter = EVERYTHING
) -> list[DueRow]:
    """Open leaves due before today, most overdue first. An item due today is not overdue."""
    rows = [
        DueRow(state, (state.due - today).days)
        for state in _open_leaves(plan, item_states, where)
        if state.due is not None and state.due < today
    ]
    return sorted(rows, key=lambda row: row.days)  # stable: document order within a day


def upcoming(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    last_day: date,
    where: Filter = EVERYTHING,
) -> list[DueRow]:
    """Open leaves due from today to `last_day`, both included, soonest first."""
    rows = [
        DueRow(state, (state.due - today).days)
        for state in _open_leaves(plan, item_states, where)
        if state.due is not None and today <= state.due <= last_day
    ]
    return sorted(rows, key=lambda row: row.days)


class PhaseMark(NamedTuple):
    """A phase that starts or ends inside a window."""

    phase: Phase
    edge: str  # "start" or "end"
    day: date


def phase_marks(plan: Plan, today: date, last_day: date) -> list[PhaseMark]:
    """Phases that start or end from today to `last_day`, in date order."""
    marks = [
        PhaseMark(phase, edge, day)
        for phase in plan.phases.values()
        for edge, day in (("start", phase.start), ("end", phase.end))
        if today <= day <= last_day
    ]
    return sorted(marks, key=lambda mark: mark.day)


class OfficeDigest(NamedTuple):
    """One unit's part of the weekly reminder: 红灯 overdue, 黄灯 due this week, 绿灯 on track."""

    office: str  # office key
    red: tuple[DueRow, ...]
    yellow: tuple[DueRow, ...]
    green: int  # open leaves due later, or standing
    closed: int  # done or dropped leaves


class Digest(NamedTuple):
    """The weekly reminder: per unit, and the distinct items overall."""

    today: date
    last_day: date
    offices: tuple[OfficeDigest, ...]
    overdue: tuple[DueRow, ...]
    due_soon: tuple[DueRow, ...]
    open_total: int
    closed_total: int


def digest(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    where: Filter = EVERYTHING,
    warning_days: int = WARNING_DAYS,
) -> Digest:
    """Group overdue and due-soon leaves by unit; units with most overdue first."""
    from datetime import timedelta

    last_day = today + timedelta(days=warning_days)
    late = overdue(plan, item_states, today, where)
    soon = upcoming(plan, item_states, today, last_day, where)
    kept = leaves(plan, item_states, where)
    per_office: list[OfficeDigest] = []
    for key in plan.offices:
        if where.office is not None and key != where.office:
            continue
        mine = [state for state in kept if key in state.item.offices]
        if not mine:
            continue
        red = tuple(row for row in late if key in row.state.item.offices)
        yellow = tuple(row for row in soon if key in row.state.item.offices)
        open_count = sum(1 for state in mine if state.status.is_open)
        per_office.append(
            OfficeDigest(
                key, red, yellow, open_count - len(red) - len(yellow), len(mine) - open_count
            )
        )
    order = list(plan.offices)
    per_office.sort(key=lambda d: (-len(d.red), -len(d.yellow), order.index(d.office)))
    open_total = sum(1 for state in kept if state.status.is_open)
    return Digest(
        today,
        last_day,
        tuple(per_office),
        tuple(late),
        tuple(soon),
        open_total,
        len(kept) - open_total,
    )


def undo_target(events: Sequence[Event]) -> Event | None:
    """The latest change not yet undone; undo events themselves are not undone again.

    Undoing twice reverts the two latest changes, newest first, like an editor's undo.
    """
    changes = [event for event in events if event.kind is EventKind.STATUS]
    undone = {event.undoes for event in changes if event.undoes is not None}
    for event in sorted(changes, key=order_key, reverse=True):
        if event.undoes is None and event.event_id not in undone:
            return event
    return None


def change_event(
    state: ItemState, status: Status, *, at: datetime, event_id: str, by: str, note: str
) -> Event | None:
    """The event that records `status` for a leaf; None when nothing would change."""
    if status is state.status and not note:
        return None
    return Event(event_id, at, state.item.id, status, state.status, by, note)


def undo_event(
    events: Sequence[Event],
    item_states: dict[str, ItemState],
    *,
    at: datetime,
    event_id: str,
    by: str,
) -> tuple[Event, Event] | None:
    """The event that reverts the latest change, with the change it reverts; None if none."""
    target = undo_target(events)
    if target is None:
        return None
    state = item_states.get(target.item)
    current = state.status if state is not None else target.status
    return (
        Event(event_id, at, target.item, target.previous, current, by, "", undoes=target.event_id),
        target,
    )


def extension_event(
    state: ItemState, due: date, *, at: datetime, event_id: str, by: str, reason: str
) -> Event:
    """The record of an approved extension (延期) of a dated item to a later day."""
    from xixin_cli.errors import UsageError

    if not reason:
        raise UsageError("usage.reason_needed")
    if state.due is None:
        raise UsageError("usage.standing_no_due", value=state.item.id)
    if due <= state.due:
        raise UsageError("usage.extend_earlier", value=due.isoformat(), due=state.due.isoformat())
    return Event(
        event_id,
        at,
        state.item.id,
        state.status,
        state.status,
        by,
        reason,
        kind=EventKind.EXTEND,
        due=due,
    )


def evidence_event(
    state: ItemState,
    path: str,
    size: int,
    sha256: str,
    *,
    at: datetime,
    event_id: str,
    by: str,
    note: str,
) -> Event:
    """The record of one evidence file (佐证材料) for an item."""
    return Event(
        event_id,
        at,
        state.item.id,
        state.status,
        state.status,
        by,
        note,
        kind=EventKind.EVIDENCE,
        path=path,
        size=size,
        sha256=sha256,
    )
