"""The domain: plan, offices, phases, items, status events. Frozen values, no I/O.

Item and Event are NamedTuples rather than frozen dataclasses: a county plan has thousands of
items and its log hundreds of thousands of events, and tuples are made, pickled for the cache and
unpickled three to five times faster (measured with benchmarks/run.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import NamedTuple


class Status(str, Enum):
    """Where an item stands. The value is the stable code used in files and JSON."""

    TODO = "todo"
    DOING = "doing"
    BLOCKED = "blocked"
    DONE = "done"
    CLOSED = "closed"  # 销号: done, reviewed and closed out
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        """Still work to do (so it can be overdue)."""
        return self in _OPEN


_OPEN = frozenset((Status.TODO, Status.DOING, Status.BLOCKED))


class EventKind(str, Enum):
    """What a log record says: a status change, a piece of evidence, or an approved extension."""

    STATUS = "status"
    EVIDENCE = "evidence"  # 佐证材料: a file, by path, size and SHA-256
    EXTEND = "extend"  # 延期: a new due date, with the reason in the note


class ItemKind(str, Enum):
    """What part of the document an item comes from."""

    TASK = "task"  # 四、主要任务 (一)…(八)
    ACTION = "action"  # one checkable action of a task
    STEP = "step"  # a numbered step of 五、实施步骤
    MEASURE = "measure"  # 六、保障措施


class DueBasis(str, Enum):
    """How an item's due date was decided."""

    STATED = "stated"  # the text gives the day
    PHASE = "phase"  # the end of the item's phase window
    STANDING = "standing"  # 常态化/持续 work: no single deadline


class Document(NamedTuple):
    """The issued document's metadata."""

    number: str
    issuer: str
    date: date | None  # 成文日期; a plan imported from a text without one has none
    title: str
    notice: str
    recipients: tuple[str, ...]
    goal: str
    language: str


class Office(NamedTuple):
    """A responsible unit (责任科室/责任单位)."""

    key: str
    name: str
    group: bool = False
    note: str = ""


class Phase(NamedTuple):
    """A phase of 五、实施步骤 with its window, both ends included."""

    key: str
    number: str
    name: str
    window_text: str
    start: date
    end: date


class Item(NamedTuple):
    """A checkable line of the plan: a task, an action, a step or a measure."""

    id: str
    kind: ItemKind
    title: str
    text: str
    source: str
    offices: tuple[str, ...]  # office keys, in the document's order
    offices_text: str
    phase: str | None  # phase key
    due: date | None
    due_basis: DueBasis
    due_text: str
    parent: str | None = None
    note: str = ""
    lead: tuple[str, ...] = ()  # 牵头单位, where the document names them apart from 配合单位


@dataclass(frozen=True)
class Plan:
    """A whole plan: the document, its offices, phases and items in document order."""

    path: str
    document: Document
    offices: Mapping[str, Office]
    phases: Mapping[str, Phase]
    items: tuple[Item, ...]
    _by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)
    _children: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[str, list[str]] = {}
        for item in self.items:
            if item.parent is not None:
                children.setdefault(item.parent, []).append(item.id)
        object.__setattr__(self, "_by_id", {item.id: item for item in self.items})
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    def get(self, item_id: str) -> Item | None:
        """The item with this id, or None."""
        return self._by_id.get(item_id)

    def children(self, item_id: str) -> tuple[str, ...]:
        """Ids of the item's direct children, in document order."""
        return self._children.get(item_id, ())

    def is_leaf(self, item_id: str) -> bool:
        """True for an item that is checked off itself rather than through children."""
        return item_id not in self._children

    def office_names(self, item: Item) -> tuple[str, ...]:
        """The Chinese names of the item's offices."""
        return tuple(self.offices[key].name for key in item.offices)


class Event(NamedTuple):
    """One recorded status change: a line of the status log."""

    event_id: str
    at: datetime
    item: str
    status: Status
    previous: Status
    by: str
    note: str = ""
    undoes: str | None = None  # the event id this one reverts, for `undo`
    writer: str = ""  # the writer's id: whose chain the record belongs to
    chain: str = ""  # hash of the writer's previous record in this log ("" for its first)
    digest: str = ""  # hash of this record's own content, chain included
    kind: EventKind = EventKind.STATUS  # status and previous mean something only for STATUS
    due: date | None = None  # EXTEND: the new due date
    path: str = ""  # EVIDENCE: the file, as an absolute path
    size: int = -1  # EVIDENCE: its size in bytes
    sha256: str = ""  # EVIDENCE: its SHA-256
