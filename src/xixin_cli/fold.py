"""The log folded into the present: each item's latest change, extension and evidence (pure).

A fold goes by when a change counts as made (`order_key`), not by the order of lines, so logs
merged in any order fold to the same state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import NamedTuple

from xixin_cli.errors import Problem
from xixin_cli.model import Event, EventKind, Item, Plan, Status
from xixin_cli.rules import derived_status


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


class Folded(NamedTuple):
    """A log folded: each item's last status change, latest extension and evidence, the
    skipped lines, and how many events were folded."""

    last: dict[str, Event]
    warnings: tuple[Problem, ...]
    total: int  # events folded
    extended: dict[str, Event]
    evidence: dict[str, tuple[Event, ...]]

    @staticmethod
    def empty() -> Folded:
        """The fold of no events."""
        return Folded({}, (), 0, {}, {})

    def kept(self) -> tuple[Event, ...]:
        """The events this fold still needs: enough to fold it again on top of another."""
        files = (event for evidence in self.evidence.values() for event in evidence)
        return (*self.last.values(), *self.extended.values(), *files)

    def more(self, events: tuple[Event, ...], warnings: tuple[Problem, ...]) -> Folded:
        """This fold with more events (read after these) folded on top."""
        return Folded(
            fold(events, into=self.last),
            (*self.warnings, *warnings),
            self.total + len(events),
            fold_extensions(events, into=self.extended),
            fold_evidence(events, into=self.evidence),
        )


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
