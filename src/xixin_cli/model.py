"""The domain: plan, offices, phases, items, status events. Frozen values, no I/O.

Records are NamedTuples rather than frozen dataclasses: a county plan has thousands of items
and its log hundreds of thousands of events, and tuples are made, pickled for the cache and
unpickled three to five times faster; and defining a frozen dataclass costs ~1.7 ms at every
start against ~0.25 ms for a NamedTuple (measured with benchmarks/run.py).
"""

from __future__ import annotations

from collections.abc import Iterable, KeysView, Mapping
from datetime import date, datetime
from enum import Enum

from xixin_cli.tuples import NamedTuple


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control character in `text` (Unicode's category Cc: C0 with tab and line
    feed, DEL and C1) that `allowed` does not name, else None. The one rule for what a note, a
    recorder's name or a plan's text may not hold: a terminal acts on them, XML cannot carry
    most of them, and none is typed on purpose."""
    if text.isprintable():  # the usual text: no Cc (nor anything else unprintable) in it
        return None
    for ch in text:
        code = ord(ch)
        if (code < 32 or 127 <= code < 160) and ch not in allowed:
            return ch
    return None


def invisible_character(text: str) -> str | None:
    """The first format character in `text` (Unicode's Cf, Zl, Zp: U+202E turns the text
    after it around, U+200B shows as nothing), else None. The one rule for what a name (a
    unit's, an id, a recorder's) may not hold besides `control_character`: a name that holds
    one cannot be read, typed or matched as it shows, and it goes into file names."""
    if text.isascii():
        return None
    import unicodedata

    return next((ch for ch in text if unicodedata.category(ch) in ("Cf", "Zl", "Zp")), None)


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
    EXTEND = "extend"  # 延期: a new due date, with the reason in the note; none: withdrawn
    DETACH = "detach"  # evidence withdrawn (the file recorded before, by path and SHA-256)


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
    RECURRING = (
        "recurring"  # `every:` in the plan: each period is an item of its own (`ID@2023-03`)
    )


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
    """A responsible unit (责任科室/责任单位), or a group of units such as 各村.

    A group that lists its members (the villages of 各村) is replaced by them on every item
    that names it: each member answers for its own part. A group without members is one unit.
    """

    key: str
    name: str
    group: bool = False
    note: str = ""
    members: tuple[str, ...] = ()  # the keys of a group's members, in the plan's order
    parent: str | None = None  # for a member, the key of its group


def short_name(name: str) -> str:
    """乡民政办 → 民政办: in a township's own tables the 乡 says nothing (the plan does the same,
    「党群办组织协调」); JSON and exports keep the full name."""
    return name[1:] if name.startswith("乡") and len(name) > 3 else name


def find_office(offices: Mapping[str, Office], value: str) -> str | None:
    """The key of the office `value` names: its key, its full name or its short name. The one
    rule for office names, in plan files and on the command line alike."""
    if value in offices:
        return value
    for key, office in offices.items():
        if value in (office.name, short_name(office.name)):
            return key
    return None


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


class Threshold(NamedTuple):
    """How far ahead of a due date a warning light comes on: N days, or N working days by the
    official calendar (an item due today is 0 days ahead)."""

    days: int
    working: bool = False


class Warnings(NamedTuple):
    """A plan's warning lights before a due date: yellow, then (further out) blue. Red is
    always "overdue", green everything later (and standing work)."""

    yellow: Threshold = Threshold(7)
    blue: Threshold | None = None
    given: bool = False  # set by the plan itself (else the workspace's `.xixin` may set them)


#: Today's rule, for a plan that sets none: yellow within 7 days, no blue.
DEFAULT_WARNINGS = Warnings()


class Plan:
    """A whole plan: the document, its offices, phases and items in document order, and its
    warning lights.

    Read-only, compared by its six fields; a plain class only so that it indexes its items
    once when made (a NamedTuple cannot) without a dataclass's start-up cost.
    """

    __slots__ = (
        "_by_id",
        "_children",
        "document",
        "items",
        "offices",
        "path",
        "phases",
        "warnings",
    )

    path: str
    document: Document
    offices: Mapping[str, Office]
    phases: Mapping[str, Phase]
    items: tuple[Item, ...]
    warnings: Warnings
    _by_id: Mapping[str, Item]
    _children: Mapping[str, tuple[str, ...]]

    def __init__(
        self,
        path: str,
        document: Document,
        offices: Mapping[str, Office],
        phases: Mapping[str, Phase],
        items: tuple[Item, ...],
        warnings: Warnings = DEFAULT_WARNINGS,
    ) -> None:
        children: dict[str, list[str]] = {}
        for item in items:
            if item.parent is not None:
                children.setdefault(item.parent, []).append(item.id)
        values = {
            "path": path,
            "document": document,
            "offices": offices,
            "phases": phases,
            "items": items,
            "warnings": warnings,
            "_by_id": {item.id: item for item in items},
            "_children": {key: tuple(ids) for key, ids in children.items()},
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple[object, ...]:
        return (self.path, self.document, self.offices, self.phases, self.items, self.warnings)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Plan is read-only; use with_path() for another path ({name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Plan is read-only ({name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # it holds dicts, as a frozen dataclass did

    def __repr__(self) -> str:
        return (
            f"Plan(path={self.path!r}, document={self.document!r}, offices={self.offices!r}, "
            f"phases={self.phases!r}, items={self.items!r}, warnings={self.warnings!r})"
        )

    def __reduce__(self) -> tuple[type[Plan], tuple[object, ...]]:
        return (Plan, self._fields())

    def with_path(self, path: str) -> Plan:
        """The same plan, said to come from `path`."""
        return Plan(path, self.document, self.offices, self.phases, self.items, self.warnings)

    def get(self, item_id: str) -> Item | None:
        """The item with this id, or None."""
        return self._by_id.get(item_id)

    def children(self, item_id: str) -> tuple[str, ...]:
        """Ids of the item's direct children, in document order."""
        return self._children.get(item_id, ())

    def is_leaf(self, item_id: str) -> bool:
        """True for an item that is checked off itself rather than through children."""
        return item_id not in self._children

    def parent_ids(self) -> KeysView[str]:
        """Ids of the items that have children: `id not in plan.parent_ids()` is `is_leaf`
        without a call per item, for loops over a county's thousands."""
        return self._children.keys()

    def unknown(self, item_ids: Iterable[str]) -> list[str]:
        """Those of `item_ids` that name no item of this plan, in the order given."""
        known = self._by_id
        return [item_id for item_id in item_ids if item_id not in known]

    def office_names(self, item: Item) -> tuple[str, ...]:
        """The Chinese names of the item's offices."""
        return tuple(self.offices[key].name for key in item.offices)

    def unit_name(self, key: str) -> str:
        """A unit's name by its key; the key itself for a unit the plan no longer lists."""
        office = self.offices.get(key)
        return office.name if office is not None else key

    def part_names(self, item: Item, keys: Iterable[str]) -> list[str]:
        """The names of these units' parts of `item`, in the item's order of its units (a
        command's records for several parts come in no order of their own)."""
        order = {key: n for n, key in enumerate(item.offices)}
        ranked = sorted(set(keys), key=lambda key: (order.get(key, len(order)), key))
        return [self.unit_name(key) for key in ranked]

    def units(self, key: str) -> frozenset[str]:
        """The units an office key stands for: a group's members, else the office itself."""
        office = self.offices[key]
        return frozenset(office.members) if office.members else frozenset((key,))

    def answers_for_itself(self, key: str) -> bool:
        """Whether the unit has a checklist, a form, a message and a report's section and row
        of its own: every unit but a group with members, whose members answer each for its
        own part (a group without members is one unit)."""
        return not self.offices[key].members

    def named_units(self, item: Item) -> tuple[str, ...]:
        """The item's units as a reader names them: a group whose members are all on the
        item stands for them (各村), so thirty villages do not fill a table cell."""
        names: list[str] = []
        keys = set(item.offices)
        for key in item.offices:
            parent = self.offices[key].parent
            if parent is not None and keys >= set(self.offices[parent].members):
                name = self.offices[parent].name
                if name not in names:
                    names.append(name)
            else:
                names.append(self.offices[key].name)
        return tuple(names)


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
    office: str = ""  # the unit whose part this is ("": every part, as records before parts)
    on: date | None = None  # the day it happened, when that was before the day it was recorded
    # A unit's own report, from its returned 推进情况表 (`collect`): 进展情况, 存在问题, 下一步措施.
    progress: str = ""
    problems: str = ""
    next: str = ""
