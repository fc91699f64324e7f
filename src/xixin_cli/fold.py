"""The log folded into the present: each item's latest change, extension and evidence (pure).

A fold goes by when a change counts as made (`order_key`), not by the order of lines, so logs
merged in any order fold to the same state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from xixin_cli.dates import china_zone
from xixin_cli.errors import Problem
from xixin_cli.model import Event, EventKind, Item, Plan, Status
from xixin_cli.rules import derived_status
from xixin_cli.tuples import NamedTuple


def order_key(event: Event) -> tuple[datetime, datetime, str]:
    """When a change counts as made: when it happened (the end of its `on` day, for a change
    recorded later), then when it was written, then its event id to settle exact ties.

    Not the order of lines in a file, so logs merged in any order give the same answer.
    """
    if event.on is None:
        return (event.at, event.at, event.event_id)
    return (_end_of(event.on), event.at, event.event_id)


def _end_of(day: date) -> datetime:
    from datetime import time

    from xixin_cli.dates import china_zone

    return datetime.combine(day, time.max, tzinfo=china_zone())


def happened_on(event: Event) -> date:
    """The day a change happened: its `on` day, else the day (in China) it was written."""
    if event.on is not None:
        return event.on
    at = event.at
    zone = china_zone()
    # A time written in China's offset (what this tool writes) is dated as it stands: a
    # week's report and a merge ask this of every record, and converting costs 20x more.
    return at.date() if at.tzinfo == zone else at.astimezone(zone).date()


def taken_back(undos: Mapping[str, str]) -> frozenset[str]:
    """Of a log's undo records (event id -> the id it undoes), the records a replay as of a
    past day leaves out: each standing undo and the record it takes back. An undo corrects a
    mistake: the change counts on no day, though the undo was typed later; undoing the undo
    brings the change back on its own day."""
    found = standing_undos(undos)
    return frozenset(found | {undos[undo] for undo in found})


def standing_undos(undos: Mapping[str, str]) -> set[str]:
    """The undos that stand (event id -> the id it undoes): those no standing undo takes
    back (undoing an undo redoes). Undos that undo each other round a loop (only a crafted
    log has one) stand not, and take nothing back."""
    looped: set[str] = set()
    walked: dict[str, bool] = {}  # an undo -> whether its walk is still going
    for start in undos:  # each undo's line of targets, to the first that is no undo
        line: list[str] = []
        node = start
        while node in undos and node not in walked:
            walked[node] = True
            line.append(node)
            node = undos[node]
        if walked.get(node):  # came round to this very line: a loop
            looped.update(line[line.index(node) :])
        walked.update(dict.fromkeys(line, False))
    undone_by: dict[str, list[str]] = {}
    for undo, target in undos.items():
        undone_by.setdefault(target, []).append(undo)
    standing = dict.fromkeys(looped, False)
    for start in undos:  # decided from the undos no one undoes down (no loop is left)
        stack = [start]
        while stack:
            node = stack[-1]
            if node in standing:
                stack.pop()
                continue
            undoing = undone_by.get(node, ())
            open_ = [u for u in undoing if u not in standing]
            if open_:
                stack += open_
                continue
            standing[node] = not any(standing[u] for u in undoing)
            stack.pop()
    return {undo for undo, up in standing.items() if up}


def replayed(events: Iterable[Event], as_of: date, dropped: frozenset[str]) -> list[Event]:
    """The changes a replay as of the end of `as_of` folds: those that had happened by then,
    less the undos and what they took back (`taken_back`: `dropped`)."""
    return [e for e in events if happened_on(e) <= as_of and e.event_id not in dropped]


def replayed_all(events: Sequence[Event], as_of: date) -> list[Event]:
    """`replayed` of a log's events held whole: what their own undos take back left out."""
    return replayed(events, as_of, taken_back(undo_map(events)))


def undo_map(events: Iterable[Event], into: dict[str, str] | None = None) -> dict[str, str]:
    """The undo records among `events` (event id -> the id it undoes), added to `into`: an id
    on two lines is the first one's, as readers read a repeated line."""
    found = {} if into is None else into
    for event in events:
        if event.undoes is not None:
            found.setdefault(event.event_id, event.undoes)
    return found


#: What a fold is keyed by: an item and the unit whose part a record is for ("" for a record
#: that names no unit: it applies to every part, as every record written before parts did).
Key = tuple[str, str]


def fold(
    events: Iterable[Event], into: Mapping[Key, Event] | None = None, *, own: bool = False
) -> dict[Key, Event]:
    """Each part's latest status change (by `order_key`), on top of `into` (updated in place
    when the caller `own`s it, a dict no one else holds; else copied)."""
    return _latest(events, EventKind.STATUS, into, own)


def fold_extensions(
    events: Iterable[Event], into: Mapping[Key, Event] | None = None, *, own: bool = False
) -> dict[Key, Event]:
    """Each part's latest approved extension (延期), on top of `into` (as `fold`)."""
    return _latest(events, EventKind.EXTEND, into, own)


def fold_evidence(
    events: Iterable[Event],
    into: Mapping[Key, tuple[Event, ...]] | None = None,
    *,
    own: bool = False,
) -> dict[Key, tuple[Event, ...]]:
    """Each part's evidence records and withdrawals, oldest first, on top of `into` (as
    `fold`; each record once); `evidence_now` says which files stand."""
    found: dict[Key, tuple[Event, ...]] = _start(into, own)
    for event in events:
        if event.kind is EventKind.EVIDENCE or event.kind is EventKind.DETACH:
            key = (event.item, event.office)
            known = found.get(key, ())
            if all(e.event_id != event.event_id for e in known):
                found[key] = tuple(sorted((*known, event), key=order_key))
    return found


def _start(into: Mapping[Key, Any] | None, own: bool) -> dict[Key, Any]:
    """The table a fold adds to: `into` itself when the caller owns it, else a copy."""
    if own and isinstance(into, dict):
        return into
    return dict(into) if into else {}


def _latest(
    events: Iterable[Event], kind: EventKind, into: Mapping[Key, Event] | None, own: bool = False
) -> dict[Key, Event]:
    last: dict[Key, Event] = _start(into, own)
    for event in events:
        if event.kind is not kind:
            continue
        key = (event.item, event.office)
        current = last.get(key)
        if current is None or order_key(event) >= order_key(current):
            last[key] = event
    return last


def evidence_now(records: Iterable[Event]) -> tuple[Event, ...]:
    """The files that stand: each recorded one, unless withdrawn (`detach`) after it."""
    standing: dict[tuple[str, str], Event] = {}
    for event in sorted(records, key=order_key):
        if event.kind is EventKind.DETACH:
            standing.pop((event.path, event.sha256), None)
        else:
            standing.setdefault((event.path, event.sha256), event)
    return tuple(standing.values())


def items_of(keys: Iterable[Key]) -> list[str]:
    """The item ids of fold keys, each once, in first-seen order."""
    return list(dict.fromkeys(item for item, _ in keys))


class Folded(NamedTuple):
    """A log folded: each item's last status change, latest extension and evidence, the
    skipped lines, and how many events were folded."""

    last: dict[Key, Event]
    warnings: tuple[Problem, ...]
    total: int  # events folded
    extended: dict[Key, Event]
    evidence: dict[Key, tuple[Event, ...]]
    # The latest time a folded record was written, and the latest day one says its change
    # happened; after an undo's items were folded again (cache._refolded), perhaps later
    # than any record still folded: no record folded is later (settled_by errs to "no").
    latest: datetime | None = None
    latest_on: date | None = None

    @staticmethod
    def empty() -> Folded:
        """The fold of no events."""
        return Folded({}, (), 0, {}, {})

    def settled_by(self, day: date) -> bool:
        """True when no folded change happened after `day`: the fold is the state as of then."""
        from xixin_cli.dates import china_zone

        if self.latest_on is not None and self.latest_on > day:
            return False
        return self.latest is None or self.latest.astimezone(china_zone()).date() <= day

    def kept(self) -> tuple[Event, ...]:
        """The events this fold still needs: enough to fold it again on top of another."""
        files = (event for evidence in self.evidence.values() for event in evidence)
        return (*self.last.values(), *self.extended.values(), *files)

    def more(
        self, events: tuple[Event, ...], warnings: tuple[Problem, ...], *, own: bool = False
    ) -> Folded:
        """This fold with more events (read after these) folded on top; its tables updated
        in place when the caller `own`s this fold (no one else holds it: a county's tables,
        100,000 parts, copied for each piece read, were two at a time at the peak)."""
        times = [e.at for e in events]
        days = [e.on for e in events if e.on is not None]
        if self.latest is not None:
            times.append(self.latest)
        if self.latest_on is not None:
            days.append(self.latest_on)
        return Folded(
            fold(events, into=self.last, own=own),
            (*self.warnings, *warnings),
            self.total + len(events),
            fold_extensions(events, into=self.extended, own=own),
            fold_evidence(events, into=self.evidence, own=own),
            max(times, default=None),
            max(days, default=None),
        )


class Progress(NamedTuple):
    """Done (or dropped) leaves of all leaves under an item."""

    closed: int
    total: int


class PartState(NamedTuple):
    """One unit's part of an item: what that unit has reported, and its own due date."""

    office: str  # the unit's key ("" for an item that names no unit)
    status: Status
    last: Event | None
    due: date | None
    extension: Event | None = None
    evidence: tuple[Event, ...] = ()


class ItemState(NamedTuple):
    """An item as it stands: its status (from its parts, or a task's from its actions), its
    latest status event (for the note), its progress, its due date (the soonest still owed,
    after any approved extension), its evidence, and each unit's part."""

    item: Item
    status: Status
    last: Event | None
    progress: Progress | None  # for items with children
    due: date | None
    extension: Event | None = None  # the latest approved extension, if any
    evidence: tuple[Event, ...] = ()  # 佐证材料 recorded for the item, oldest first
    parts: tuple[PartState, ...] = ()  # one per responsible unit, for a leaf


def _newest(events: Iterable[Event | None]) -> Event | None:
    newest = None
    for event in events:
        if event is not None and (newest is None or order_key(event) > order_key(newest)):
            newest = event
    return newest


def _parts(
    plan: Plan,
    item: Item,
    last: Mapping[Key, Event],
    extended: Mapping[Key, Event],
    evidence: Mapping[Key, tuple[Event, ...]],
) -> tuple[PartState, ...]:
    """Each unit's part of a leaf. A part takes the newest of the records for its unit, for
    the unit's group (a record made before the group listed its members) and for no unit."""
    parts = []
    item_id = item.id
    offices = plan.offices
    new = tuple.__new__  # PartState(...) without its Python-level __new__: a county has 15,000
    for unit in item.offices or ("",):
        office = offices.get(unit)
        group = office.parent if office is not None else None
        keys = [(item_id, unit), (item_id, "")] if unit else [(item_id, "")]
        if group is not None:
            keys.append((item_id, group))
        event = _newest([last.get(key) for key in keys])
        extension = _newest([extended.get(key) for key in keys]) if extended else None
        if extension is not None and extension.due is None:
            extension = None  # withdrawn: the item's own due date stands again
        files: tuple[Event, ...] = ()
        if evidence:
            found = [e for key in keys for e in evidence.get(key, ())]
            if found:
                files = evidence_now({e.event_id: e for e in found}.values())
        status = event.status if event is not None else Status.TODO
        due = extension.due if extension is not None else item.due
        parts.append(new(PartState, (unit, status, event, due, extension, files)))
    return tuple(parts)


def part_view(state: ItemState, office: str) -> ItemState:
    """The leaf as one unit's part of it: that part's status, note, due date and evidence."""
    return leaf_state(state.item, [part for part in state.parts if part.office == office])


def leaf_state(item: Item, parts: Sequence[PartState]) -> ItemState:
    """A leaf's state from (some of) its parts: the item's status by the one rule."""
    first = parts[0] if parts else None
    if (
        first is not None
        and (
            len(parts) == 1  # one unit's view (a county's report asks 10,000: no generator made)
            or all(  # or parts that all stand on one record
                p.last is first.last
                and p.extension is first.extension
                and p.evidence == first.evidence
                for p in parts[1:]
            )
        )
    ):
        state = (item, first.status, first.last, None, first.due, first.extension, first.evidence)
        return tuple.__new__(ItemState, (*state, tuple(parts)))
    owed = [part.due for part in parts if part.status.is_open and part.due is not None]
    due = min(owed) if owed else parts[0].due if parts else item.due
    # One file recorded for several parts at once shows once: the item has that evidence.
    files: dict[tuple[str, str], Event] = {}
    for event in sorted((e for part in parts for e in part.evidence), key=order_key):
        files.setdefault((event.path, event.sha256), event)
    return ItemState(
        item,
        derived_status([part.status for part in parts]) if parts else Status.TODO,
        _newest(part.last for part in parts),
        None,
        due,
        _newest(part.extension for part in parts),
        tuple(sorted(files.values(), key=order_key)),
        tuple(parts),
    )


def states(
    plan: Plan,
    last: Mapping[Key, Event],
    extended: Mapping[Key, Event] | None = None,
    evidence: Mapping[Key, tuple[Event, ...]] | None = None,
) -> dict[str, ItemState]:
    """Every plan item's state from the folded log (`fold`, `fold_extensions`,
    `fold_evidence`), in document order. A leaf's status comes from its parts, an item with
    children takes its leaves'.
    """
    extended = extended or {}
    evidence = evidence or {}
    parents = plan.parent_ids()
    # Items with a record for one unit's part; the others' parts all stand on the records for
    # every part (all records before parts): made at once, a county has 5,000 such items.
    split = {item for key in (last, extended, evidence) for item, office in key if office}
    new = tuple.__new__
    leaves = {}
    for item in plan.items:
        item_id = item.id
        if item_id in parents:
            continue
        if item_id in split:
            leaves[item_id] = leaf_state(item, _parts(plan, item, last, extended, evidence))
            continue
        event = last.get((item_id, ""))
        extension = extended.get((item_id, ""))
        if extension is not None and extension.due is None:
            extension = None
        files = evidence_now(evidence[(item_id, "")]) if (item_id, "") in evidence else ()
        status = event.status if event is not None else Status.TODO
        due = extension.due if extension is not None else item.due
        parts = tuple(
            new(PartState, (unit, status, event, due, extension, files))
            for unit in item.offices or ("",)
        )
        state = (item, status, event, None, due, extension, files, parts)
        leaves[item_id] = new(ItemState, state)
    return with_parents(plan, leaves, extended, evidence)


def project(
    plan: Plan, item_states: Mapping[str, ItemState], units: frozenset[str]
) -> dict[str, ItemState]:
    """The states as `units` see them: each leaf that names one of them by those units' own
    parts, and each task by those leaves only. Leaves that name none of them are left out."""
    parents = plan.parent_ids()
    leaves = {}
    for item_id, state in item_states.items():
        if item_id in parents:
            continue
        mine = [part for part in state.parts if part.office in units]
        if mine:
            leaves[item_id] = leaf_state(state.item, mine)
    extended = {
        (item_id, ""): state.extension
        for item_id, state in item_states.items()
        if item_id in parents and state.extension is not None
    }
    return with_parents(plan, leaves, extended, {})


def with_parents(
    plan: Plan,
    leaves: Mapping[str, ItemState],
    extended: Mapping[Key, Event],
    evidence: Mapping[Key, tuple[Event, ...]],
) -> dict[str, ItemState]:
    """The leaves' states with their tasks', in document order; a task with no leaf here is
    left out."""
    result: dict[str, ItemState] = dict(leaves)
    below: dict[str, list[Status]] = {}  # item id -> the statuses of every leaf under it
    new = tuple.__new__  # ItemState(...) without its Python-level __new__: a county has 5,000
    parents = plan.parent_ids()
    for item in reversed(plan.items):  # children come after parents, so visit them first
        item_id = item.id
        if item_id in parents:
            statuses = below.pop(item_id, [])
            if not statuses:
                continue
            extension = _newest(extended.get((item_id, unit)) for unit in ("", *item.offices))
            if extension is not None and extension.due is None:
                extension = None
            due = extension.due if extension is not None else item.due
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
                    evidence_now(evidence.get((item_id, ""), ())),
                    (),
                ),
            )
        elif item_id in leaves:
            statuses = [leaves[item_id].status]
        else:
            continue
        if item.parent is not None:
            below.setdefault(item.parent, []).extend(statuses)
    return {item.id: result[item.id] for item in plan.items if item.id in result}
