"""Recurring obligations (`every:` in a plan): the days each period's occurrence is due (pure).

每月25日前报送, 每季度末, 每年3月底前: an item with `every:` stands for one occurrence per period,
each an item of its own (`4.2.1@2023-03`) with its own parts, status and evidence. They are
made from the plan when it is read and never written into a log, so merging logs can never
duplicate one. The days come from dateutil's rrule; "the last working day" steps back from the
period's last day by the official calendar handed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from xixin_cli.tuples import NamedTuple

#: The periods an obligation can recur by.
UNITS = ("week", "month", "quarter", "year")

#: Weekdays as written in a plan, Monday first (0).
WEEKDAYS = {
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{f"周{ch}": n for n, ch in enumerate("一二三四五六日")},
    **{f"星期{ch}": n for n, ch in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
}

#: Words for "the period's last day" and "its last working day".
LAST = ("last", "end", "最后一天", "底", "末")
LAST_WORKDAY = ("last workday", "last working day", "最后一个工作日")

#: More occurrences than this for one item is a mistake in the plan (a weekly item over a
#: century), refused rather than made.
MAX_OCCURRENCES = 1000


class Every(NamedTuple):
    """How an item recurs: each `unit` on `day` (normalised: "25", "last", "last workday",
    "0".."6" for a weekday, "03-31" for a yearly date), from `start` to `until`."""

    unit: str
    day: str
    start: date | None = None
    until: date | None = None


class BadRule(ValueError):
    """A `day` that does not fit its `unit`; the message names what was wrong."""


def normal_day(unit: str, value: str) -> str:
    """`day` as `Every` keeps it, or BadRule: month 1..31 | last | last workday; week a weekday;
    quarter end | last workday | 1..31; year "MM-DD"."""
    text = value.strip().lower()
    if text in LAST_WORKDAY:
        if unit in ("month", "quarter"):
            return "last workday"
        raise BadRule(value)
    if unit in ("month", "quarter"):
        if text in LAST:
            return "last"
        text = text.removesuffix("日").removesuffix("号")
        if text.isdigit() and 1 <= int(text) <= 31:
            return str(int(text))
        raise BadRule(value)
    if unit == "week":
        if text in WEEKDAYS:
            return str(WEEKDAYS[text])
        raise BadRule(value)
    if unit == "year":
        match = re.fullmatch(r"(\d{1,2})\s*[-/月]\s*(\d{1,2}|底|末)\s*[日号]?", text)
        if match:
            month, day = int(match.group(1)), match.group(2)
            if 1 <= month <= 12:
                if day in ("底", "末"):
                    return f"{month:02d}-last"
                if 1 <= int(day) <= _month_days(2024, month):  # 2024: Feb 29 is allowed
                    return f"{month:02d}-{int(day):02d}"
        raise BadRule(value)
    raise BadRule(value)


_SHORT = (
    (r"每周(?:星期|周)?([一二三四五六日天])", "week", lambda m: f"周{m.group(1)}"),
    (r"每月(\d{1,2})[日号]", "month", lambda m: m.group(1)),
    (r"每月(?:的)?最后一个工作日", "month", lambda m: "last workday"),
    (r"每月(?:底|末|最后一天)", "month", lambda m: "last"),
    (r"每季度?(?:的)?最后一个工作日", "quarter", lambda m: "last workday"),
    (r"每季度?(?:末|底|最后一天)", "quarter", lambda m: "end"),
    (r"每年(\d{1,2})月(\d{1,2})[日号]", "year", lambda m: f"{m.group(1)}-{m.group(2)}"),
    (r"每年(\d{1,2})月(?:底|末)", "year", lambda m: f"{m.group(1)}月底"),
)


def parse_short(text: str) -> tuple[str, str] | None:
    """(unit, day) from the short form a plan may write: 每月25日, 每月最后一个工作日, 每月底,
    每季度末, 每年3月31日, 每年3月底, 每周五 (with or without 前); None for another text."""
    cleaned = re.sub(r"\s+", "", text).removesuffix("前").removesuffix("之前")
    for pattern, unit, day in _SHORT:
        match = re.fullmatch(pattern, cleaned)
        if match:
            return unit, day(match)
    return None


def describe(every: Every, lang: str = "zh") -> str:
    """The rule in words, for the due_text of an item that says none: 每月25日, 每季度末."""
    day = every.day
    if lang != "zh":
        return f"every {every.unit} ({day})"
    if every.unit == "week":
        return f"每周{'一二三四五六日'[int(day)]}"
    if every.unit == "year":
        month, _, of = day.partition("-")
        return f"每年{int(month)}月" + ("底" if of == "last" else f"{int(of)}日")
    words = "每月" if every.unit == "month" else "每季度"
    if day == "last workday":
        return words + "最后一个工作日"
    if day == "last":
        return words + ("末" if every.unit == "quarter" else "底")
    return f"{words}{day}日" if every.unit == "month" else f"{words}末月{day}日"


def period(unit: str, day: date) -> str:
    """The period a due day belongs to, as occurrence ids name it: 2023-03, 2023-Q1, 2023,
    2023-W05 (ISO week)."""
    if unit == "month":
        return f"{day.year}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if unit == "year":
        return str(day.year)
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def occurrences(
    every: Every, start: date, until: date, working: Callable[[date], bool] | None = None
) -> list[tuple[str, date]]:
    """Each period's (id suffix, due day), from `start` to `until` (both included, by the
    period's own day before any step back to a working day). `working` says which days are
    working days; only "last workday" needs it. BadRule past MAX_OCCURRENCES."""
    from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule

    first = datetime.combine(start, datetime.min.time())
    last = datetime.combine(until, datetime.min.time())
    day = every.day
    rule: rrule
    if every.unit == "week":
        rule = rrule(WEEKLY, dtstart=first, until=last, byweekday=int(day))
    elif every.unit == "year":
        month, _, of = day.partition("-")
        days = (-1,) if of == "last" else _up_to(int(of))
        rule = rrule(
            YEARLY,
            dtstart=first,
            until=last,
            bymonth=int(month),
            bymonthday=days,
            bysetpos=-1,
        )
    else:
        months = (3, 6, 9, 12) if every.unit == "quarter" else tuple(range(1, 13))
        days = (-1,) if day in ("last", "last workday") else _up_to(int(day))
        rule = rrule(
            MONTHLY, dtstart=first, until=last, bymonth=months, bymonthday=days, bysetpos=-1
        )
    found: list[tuple[str, date]] = []
    for when in rule:
        due = when.date()
        if day == "last workday" and working is not None:
            while not working(due) and due.day > 1:
                due -= timedelta(days=1)
        found.append((period(every.unit, when.date()), due))
        if len(found) > MAX_OCCURRENCES:
            raise BadRule(str(MAX_OCCURRENCES))
    return found


def _up_to(day: int) -> tuple[int, ...]:
    """The month days rrule is asked for so that the last of them is `day`, or the month's
    last day when it is shorter (day 31 in a 30-day month is its 30th)."""
    return tuple(range(min(day, 28), day + 1))


def _month_days(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]
