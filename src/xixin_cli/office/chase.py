"""催办: which units have open parts and have sent nothing since a day (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from xixin_cli.fold import ItemState
from xixin_cli.model import Event, Plan


def silent_units(
    plan: Plan, item_states: Mapping[str, ItemState], events: Sequence[Event], since: date
) -> list[tuple[str, int, date | None]]:
    """(unit, its open parts, the last day it reported) for each unit with open parts and no
    record for any of its parts on or after `since`, in the plan's order. What counts is the day
    a report came in (the day it was recorded, in China), not the day the work was done (`on`,
    a form's 完成日期): a form sent back today is today's report. A record for no unit (before
    parts) counts for none: it is the office's, not a unit's report."""
    from xixin_cli.dates import china_zone

    zone = china_zone()
    open_parts: dict[str, int] = {}
    for state in item_states.values():
        for part in state.parts:
            if part.office and part.status.is_open:
                open_parts[part.office] = open_parts.get(part.office, 0) + 1
    last: dict[str, date] = {}
    for event in events:
        if event.office and event.undoes is None:
            day = event.at.astimezone(zone).date()
            if event.office not in last or day > last[event.office]:
                last[event.office] = day
    return [
        (key, open_parts[key], last.get(key))
        for key in plan.offices
        if key in open_parts and (key not in last or last[key] < since)
    ]
