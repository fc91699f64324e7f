"""Pure queries over (plan, item states, today): overdue, upcoming, per-unit tallies, digest.

Every query that lists dated items answers whole: each row carries its days late or left, in
calendar days and in working days by the official calendar handed to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

from xixin_cli.fold import ItemState, PartState
from xixin_cli.model import DEFAULT_WARNINGS, Item, Phase, Plan, Status, Threshold, Warnings
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.workdays import Calendar, WorkingDays

#: Days ahead that count as "due soon" (黄灯) in the reminder and on the board: a week, unless
#: the plan sets its own (`warnings:`, `Plan.warnings`).
WARNING_DAYS = DEFAULT_WARNINGS.yellow.days

#: The lights, most urgent first: overdue, within the yellow warning, within the blue, later.
LIGHTS = ("red", "yellow", "blue", "green")

T = TypeVar("T")


class Filter(NamedTuple):
    """Which items a query keeps. Empty fields keep everything."""

    office: str | None = None  # office key, as typed (a group stands for its members); the first
    phase: str | None = None  # phase key
    statuses: frozenset[Status] = frozenset()
    units: frozenset[str] = frozenset()  # the units the offices named stand for (`Plan.units`)
    named: tuple[str, ...] = ()  # every office key typed (--office repeated: any of them)

    @property
    def offices(self) -> tuple[str, ...]:
        """The office keys this filter names, in the order typed."""
        return self.named or ((self.office,) if self.office is not None else ())

    def keeps(self, state: ItemState) -> bool:
        item = state.item
        if self.office is not None and self.units_of_office.isdisjoint(item.offices):
            return False
        if self.phase is not None and item.phase != self.phase:
            return False
        return not self.statuses or state.status in self.statuses

    @property
    def units_of_office(self) -> frozenset[str]:
        return self.units or (frozenset((self.office,)) if self.office is not None else frozenset())

    def keeps_office(self, key: str) -> bool:
        """True for a unit this filter's view includes (every unit when it names none)."""
        return self.office is None or key == self.office or key in self.units


#: The filter that keeps every item.
EVERYTHING = Filter()


class DueRow(NamedTuple):
    """An open leaf with a due date: its distance from today (negative: overdue), the
    working days late (overdue) or left (not yet due), and its light by the plan's rule."""

    state: ItemState
    days: int  # due minus today
    workdays: WorkingDays
    light: str = "green"  # one of LIGHTS

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


def parts_row(state: ItemState, parts: Sequence[PartState]) -> ItemState:
    """Some of a leaf's parts as a row of their own: their state, the item's units narrowed
    to theirs, so a view of every unit that lists an item once per part (or per due day)
    says whose row each is."""
    from xixin_cli.fold import leaf_state

    item = state.item
    units = tuple(part.office for part in parts)
    if units != item.offices and all(unit in item.offices for unit in units):
        lead = tuple(key for key in item.lead if key in units)
        item = item._replace(offices=units, lead=lead)
    return leaf_state(item, parts)


#: The statuses whose part should have its 佐证材料 by now.
FINISHED = frozenset((Status.DONE, Status.CLOSED))


def without_evidence(
    plan: Plan, item_states: dict[str, ItemState], where: Filter = EVERYTHING
) -> list[ItemState]:
    """`evidence --missing`: every done or closed part that has no evidence, each unit's on
    a row of its own, in document order (the units in the item's order)."""
    found = []
    for state in leaves(plan, item_states, where):
        missing = [
            part
            for part in state.parts
            if part.status in FINISHED and not part.evidence and where.keeps_office(part.office)
        ]
        found += [parts_row(state, [part]) for part in missing]
    return found


def blocked_reason(state: ItemState) -> str:
    """Why a 受阻 item is blocked, on one line: the note of the latest record of its blocked
    parts (a group's state holds its members' parts, and another member's later note is no
    reason of this one's), else of its own latest record."""
    from xixin_cli.fold import order_key

    blocked = [
        part.last for part in state.parts if part.status is Status.BLOCKED and part.last is not None
    ]
    last = max(blocked, key=order_key) if blocked else state.last
    return " ".join(last.note.split()) if last is not None else ""


def within(threshold: Threshold, days: int, workdays: int) -> bool:
    """True when a due day `days` ahead (`workdays` working days) is inside the threshold."""
    return days >= 0 and (workdays if threshold.working else days) <= threshold.days


def light(days: int, workdays: int, warnings: Warnings = DEFAULT_WARNINGS) -> str:
    """The light of an open item due `days` from today (`workdays` working days; negative
    days: overdue): red when overdue, yellow and blue within the plan's warnings, else green."""
    if days < 0:
        return "red"
    if within(warnings.yellow, days, workdays):
        return "yellow"
    if warnings.blue is not None and within(warnings.blue, days, workdays):
        return "blue"
    return "green"


def warning_end(threshold: Threshold, today: date, calendar: Calendar) -> date:
    """The last day inside a threshold from today: N days on, or the day before the
    (N+1)th working day after today."""
    if not threshold.working:
        return today + timedelta(days=threshold.days)
    day, counted, one = today, 0, timedelta(days=1)
    while True:
        following = day + one
        if calendar.is_working_day(following)[0]:
            if counted == threshold.days:
                return day
            counted += 1
        day = following


def due_rows(
    kept: Iterable[ItemState],
    today: date,
    calendar: Calendar,
    keep: Callable[[date], bool],
    warnings: Warnings = DEFAULT_WARNINGS,
    made: dict[date, tuple[int, WorkingDays, str]] | None = None,
) -> list[DueRow]:
    """The open leaves of `kept` due on the days `keep` says, soonest first. `made`: the days,
    working days and light of each due day worked out so far, shared by calls with the same
    today, calendar and warnings (a county's 31 units ask the same few hundred days)."""
    rows = []
    if made is None:
        made = {}  # per due day: a plan has few of them
    for state in kept:
        due = state.due
        if due is not None and state.status.is_open and keep(due):
            known = made.get(due)
            if known is None:
                counted = (
                    calendar.working_days_after(due, today)
                    if due < today
                    else calendar.working_days_after(today, due)
                )
                days = (due - today).days
                known = made[due] = (days, counted, light(days, counted.days, warnings))
            rows.append(DueRow(state, *known))
    return sorted(rows, key=lambda row: row.days)  # stable: document order within a day


def by_due(kept: Iterable[ItemState]) -> list[ItemState]:
    """Each leaf once per day its open parts are due: itself when they owe one day (or it
    has one part), else a row per day of the parts that owe it (`parts_row`), earliest
    first: an extension moves one unit's day, and the other units' still stands."""
    found = []
    for state in kept:
        parts = state.parts
        if len(parts) > 1:
            days = {part.due for part in parts if part.status.is_open}
            if len(days) > 1:
                for day in sorted(days, key=lambda due: (due is None, due or date.min)):
                    owing = [part for part in parts if part.status.is_open and part.due == day]
                    found.append(parts_row(state, owing))
                continue
        found.append(state)
    return found


def once_each(rows: Iterable[DueRow], but: Iterable[DueRow] = ()) -> list[DueRow]:
    """The first row of each item (the most urgent, rows being soonest first), leaving out
    the items `but` has: how many items are overdue or due soon, each counted once, by its
    most urgent part, as an item's light always went by the soonest day still owed."""
    seen = {row.state.item.id for row in but}
    found = []
    for row in rows:
        item_id = row.state.item.id
        if item_id not in seen:
            seen.add(item_id)
            found.append(row)
    return found


def overdue(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
) -> list[DueRow]:
    """Open leaves due before today, most overdue first, each once per due day of its parts
    (`by_due`). An item due today is not overdue."""
    return due_rows(
        by_due(leaves(plan, item_states, where)),
        today,
        calendar,
        lambda due: due < today,
        plan.warnings,
    )


def upcoming(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    last_day: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
) -> list[DueRow]:
    """Open leaves due from today to `last_day`, both included, soonest first, each once per
    due day of its parts (`by_due`)."""
    return due_rows(
        by_due(leaves(plan, item_states, where)),
        today,
        calendar,
        lambda due: today <= due <= last_day,
        plan.warnings,
    )


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


# -- per unit -----------------------------------------------------------------------------------


def by_office(
    plan: Plan, where: Filter, rows: Iterable[T], item: Callable[[T], Item]
) -> dict[str, list[T]]:
    """`rows` under each unit their item names, units in the plan's order; only the units
    `where` keeps and that have rows. A row of a shared item stands under each of its units."""
    groups: dict[str, list[T]] = {key: [] for key in plan.offices if where.keeps_office(key)}
    for row in rows:
        for key in item(row).offices:
            group = groups.get(key)
            if group is not None:
                group.append(row)
    return {key: found for key, found in groups.items() if found}


def state_item(state: ItemState) -> Item:
    return state.item


def row_item(row: DueRow) -> Item:
    return row.state.item


class Tally(NamedTuple):
    """One unit's (or one phase's) checkable items: done of total, the open ones by colour.

    red (overdue) + yellow (due within the warning window) + green (later, or standing) is the
    number of open items; closed + open is the total. For a unit these are its own parts.
    """

    key: str
    name: str
    total: int
    closed: int  # done, closed out (销号) or dropped
    late: tuple[DueRow, ...]  # 红灯, most overdue first
    soon: tuple[DueRow, ...]  # 黄灯, soonest first
    worst: DueRow | None  # the most overdue item, else the one due soonest
    group: str | None = None  # for a member unit (a village), its group's key
    stuck: tuple[ItemState, ...] = ()  # 受阻, whatever their colour, in document order

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def red(self) -> int:
        return len(self.late)

    @property
    def yellow(self) -> int:
        return len(self.soon)

    @property
    def green(self) -> int:
        return self.open - self.red - self.yellow

    @property
    def blocked(self) -> int:
        """受阻 items: counted apart as well as by their colour (a blocked item is still open)."""
        return len(self.stuck)


def tally(
    key: str,
    name: str,
    mine: Sequence[ItemState],
    late: Sequence[DueRow],
    soon: Sequence[DueRow],
    today: date,
    calendar: Calendar,
    group: str | None = None,
    warnings: Warnings = DEFAULT_WARNINGS,
) -> Tally:
    """The tally of one group of leaves, given its overdue and due-soon rows."""
    open_count = sum(1 for state in mine if state.status.is_open)
    worst = late[0] if late else soon[0] if soon else None
    if worst is None:  # nothing within the window: the open item due soonest, however far
        later = due_rows(mine, today, calendar, lambda due: True, warnings)
        worst = later[0] if later else None
    stuck = tuple(state for state in mine if state.status is Status.BLOCKED)
    return Tally(
        key, name, len(mine), len(mine) - open_count, tuple(late), tuple(soon), worst, group, stuck
    )


def urgency(order: Sequence[str]) -> Callable[[Tally], tuple[int, int, float, int]]:
    """The order units are called in: most red first, then most yellow, then least done."""
    index = {key: n for n, key in enumerate(order)}
    return lambda t: (-t.red, -t.yellow, t.closed / t.total if t.total else 0.0, index[t.key])


def unit_parts(
    plan: Plan, kept: Sequence[ItemState], where: Filter = EVERYTHING
) -> dict[str, list[ItemState]]:
    """Each unit's own parts of the kept leaves, as leaf states, units in the plan's order
    (a group's members right after it). A group with members has each item once, by its
    members' parts."""
    from xixin_cli.fold import leaf_state

    mine: dict[str, list[ItemState]] = {}
    # Per unit key met: its list and its group, or None when the plan has no such unit or the
    # view leaves it out (asked once per unit, not per part: a county has 12,000 parts).
    units: dict[str, tuple[list[ItemState], str | None] | None] = {}
    for state in kept:
        in_group: dict[str, list[PartState]] | None = None
        single = len(state.parts) == 1
        for part in state.parts:
            key = part.office
            if key in units:
                unit = units[key]
            else:
                office = plan.offices.get(key)
                unit = None
                if office is not None and where.keeps_office(key):
                    unit = (mine.setdefault(key, []), office.parent)
                units[key] = unit
            if unit is None:
                continue
            # A leaf of one part is that part's state already (leaf_state of it gives it again)
            unit[0].append(state if single else leaf_state(state.item, [part]))
            if unit[1] is not None:
                if in_group is None:
                    in_group = {}
                in_group.setdefault(unit[1], []).append(part)
        if in_group is not None:
            for group, parts in in_group.items():
                mine.setdefault(group, []).append(leaf_state(state.item, parts))
    return {key: mine[key] for key in plan.offices if key in mine}


def own_parts(
    plan: Plan, kept: Sequence[ItemState], where: Filter = EVERYTHING
) -> dict[str, list[ItemState]]:
    """`unit_parts` of the units that answer for themselves (`Plan.answers_for_itself`): the
    units a report has a section and a row for, a group with members being its members."""
    return {
        key: mine
        for key, mine in unit_parts(plan, kept, where).items()
        if plan.answers_for_itself(key)
    }


def unit_tallies(
    plan: Plan,
    kept: Sequence[ItemState],
    today: date,
    last_day: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
) -> list[Tally]:
    """Every unit's tally of its own parts, the units that need a call first, each group's
    members right under it (a group with members counts an item once, by its members' parts);
    the one grouping that the board and the reminder share."""
    mine = unit_parts(plan, kept, where)
    found = {}
    rule = plan.warnings
    made: dict[date, tuple[int, WorkingDays, str]] = {}  # each due day's counts, for every unit
    for key, states in mine.items():
        late = due_rows(states, today, calendar, lambda due: due < today, rule, made)
        soon = due_rows(states, today, calendar, lambda due: today <= due <= last_day, rule, made)
        office = plan.offices[key]
        found[key] = tally(
            key, office.name, states, late, soon, today, calendar, office.parent, rule
        )
    order = urgency(list(plan.offices))
    result = []
    for top in sorted((t for t in found.values() if t.group is None), key=order):
        result.append(top)
        members = (found[m] for m in plan.offices[top.key].members if m in found)
        result += sorted(members, key=order)
    return result


class Digest(NamedTuple):
    """The weekly reminder: per unit, and the distinct items overall."""

    today: date
    last_day: date
    offices: tuple[Tally, ...]
    overdue: tuple[DueRow, ...]
    due_soon: tuple[DueRow, ...]
    open_total: int
    closed_total: int
    calendar: Calendar  # the calendar it was counted by, for views that count more
    blocked: tuple[ItemState, ...] = ()  # 受阻 leaves, each once, in document order
    yellow: Threshold = DEFAULT_WARNINGS.yellow  # what "due soon" meant (the plan's warnings)


def digest(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
    warning_days: int | None = None,
) -> Digest:
    """Overdue and due-soon leaves, per unit (units with most overdue first) and overall;
    due soon is the plan's yellow warning (`warnings:`, else 7 days) unless `warning_days`."""
    rule = plan.warnings.yellow if warning_days is None else Threshold(warning_days)
    last_day = warning_end(rule, today, calendar)
    kept = leaves(plan, item_states, where)
    late = overdue(plan, item_states, today, calendar, where)
    soon = upcoming(plan, item_states, today, last_day, calendar, where)
    units = unit_tallies(plan, kept, today, last_day, calendar, where)
    open_total = sum(1 for state in kept if state.status.is_open)
    return Digest(
        today,
        last_day,
        tuple(units),
        tuple(late),
        tuple(soon),
        open_total,
        len(kept) - open_total,
        calendar,
        tuple(state for state in kept if state.status is Status.BLOCKED),
        rule,
    )


def completion(states: Sequence[ItemState]) -> tuple[int, int]:
    """(completed, counted): done or closed, of all items not dropped (不适用 does not count)."""
    counted = [state for state in states if state.status is not Status.DROPPED]
    done = sum(1 for state in counted if state.status in (Status.DONE, Status.CLOSED))
    return done, len(counted)
