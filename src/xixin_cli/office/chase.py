"""催办: which units have open parts and have sent nothing since a day (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from xixin_cli.fold import ItemState
from xixin_cli.model import Event, Plan


def report_days(events: Sequence[Event]) -> Callable[[Event], date]:
    """The day a unit's report came in, for each of `events`: for the records taken from a
    returned form (a change with the unit's feedback, and the copy of the form recorded with
    it, at the same time), the day it was collected, a form's 完成日期 (`on`) being the day
    the work was done; for any other, the day the change happened (`fold.happened_on`: its
    `--on` day, as a report made Friday and typed in Monday)."""
    from xixin_cli.dates import china_zone
    from xixin_cli.fold import happened_on

    forms = {(e.at, e.office) for e in events if e.progress or e.problems or e.next}
    zone = china_zone()

    def day(event: Event) -> date:
        if (event.at, event.office) in forms:
            return event.at.astimezone(zone).date()
        return happened_on(event)

    return day


def silent_units(
    plan: Plan,
    item_states: Mapping[str, ItemState],
    events: Sequence[Event],
    since: date,
    today: date | None = None,
) -> list[tuple[str, int, date | None]]:
    """(unit, its open parts, the last day it reported) for each unit with open parts and no
    record for any of its parts on or after `since`, in the plan's order. What counts is the day
    a report came in (`report_days`), up to `today` (a report that came in later has not come
    in as of then). A record for no unit (before parts) counts for none: it is the office's,
    not a unit's report."""
    open_parts: dict[str, int] = {}
    for state in item_states.values():
        for part in state.parts:
            if part.office and part.status.is_open:
                open_parts[part.office] = open_parts.get(part.office, 0) + 1
    last: dict[str, date] = {}
    report_day = report_days(events)
    for event in events:
        if event.office and event.undoes is None:
            day = report_day(event)
            if today is not None and day > today:
                continue
            if event.office not in last or day > last[event.office]:
                last[event.office] = day
    return [
        (key, open_parts[key], last.get(key))
        for key in plan.offices
        if key in open_parts and (key not in last or last[key] < since)
    ]
