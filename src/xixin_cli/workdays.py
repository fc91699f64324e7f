"""Working days by China's official calendar, with its shifted working days (调休).

The calendar comes from the `chinese-calendar` package, which carries each year's State Council
notice (2004 on, updated every year). For a day outside the years it knows, Monday to Friday
counts as working and the answer says it is an estimate.

The package's answers for every day it knows are kept as one byte per day in the cache folder,
keyed by the package's data file: importing the package and asking it day by day cost ~8 ms
of every table command (it re-scans its whole holiday table on each call); the kept table is
read in well under 1 ms. A test holds the table to the package's own answer for every day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple


class WorkingDays(NamedTuple):
    """A count of working days, and whether any day in it had to be guessed from weekends."""

    days: int
    estimated: bool


class Known(NamedTuple):
    """The official calendar over the years the package has notices for."""

    first: date  # 1 January of the first such year
    days: bytes  # one per day from `first`: 1 a working day, 0 a day off


def is_working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, was estimated from the weekday because the year is unknown)."""
    known = _known()
    index = (day - known.first).days
    if 0 <= index < len(known.days):
        return known.days[index] == 1, False
    return day.weekday() < 5, True  # a year the package has no notice for


def build_known() -> Known:
    """The table, from the package's published `holidays` and `workdays` (调休) dates, by its
    own rule: a day is worked if it is a shifted working day, or a weekday that is no holiday;
    the years it answers for are those its holiday table spans."""
    from chinese_calendar import holidays, workdays

    first = date(min(holidays).year, 1, 1)
    last = date(max(holidays).year, 12, 31)
    days = bytearray()
    day, one = first, timedelta(days=1)
    while day <= last:
        days.append(day in workdays or (day.weekday() < 5 and day not in holidays))
        day += one
    return Known(first, bytes(days))


_KNOWN: list[Known] = []  # loaded once per process


def _known() -> Known:
    if not _KNOWN:
        _KNOWN.append(_load_known())
    return _KNOWN[0]


def _load_known() -> Known:
    """The table from the cache, rebuilt when the package's data file is not the one it was
    made from (an upgrade brings next year's notice)."""
    from xixin_cli.cache import derived

    key = package_stamp()
    if key is None:
        return build_known()  # no file to key on: build it (the import says what is wrong)
    known = derived("calendar", key, build_known)
    return known if isinstance(known, Known) else build_known()


def package_stamp() -> tuple[str, int, int] | None:
    """Where the package's data file is, its size and modification time; found without
    importing the package."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("chinese_calendar")
    if spec is None or spec.origin is None:
        return None
    data = Path(spec.origin).parent / "constants.py"
    try:
        info = data.stat()
    except OSError:
        return None
    return (str(data), info.st_size, info.st_mtime_ns)


def working_days_after(start: date, end: date) -> WorkingDays:
    """Working days d with start < d <= end (0 when end <= start).

    "Due in N working days" is working_days_after(today, due); "N working days overdue" is
    working_days_after(due, today). Counted on the kept table (a slice, not a loop over days);
    days in years the package does not know count Monday to Friday, and say so.
    """
    if end <= start:
        return WorkingDays(0, False)
    known = _known()
    lo = (start - known.first).days + 1  # table index of the first day counted
    hi = (end - known.first).days + 1  # one past the last
    inside = (max(lo, 0), min(hi, len(known.days)))
    count = known.days[inside[0] : inside[1]].count(1) if inside[0] < inside[1] else 0
    estimated = False
    for a, b in ((lo, min(hi, 0)), (max(lo, len(known.days)), hi)):  # before and after
        if a < b:
            estimated = True
            count += _weekdays(known.first + timedelta(days=a), b - a)
    return WorkingDays(count, estimated)


def _weekdays(first: date, days: int) -> int:
    """Mondays to Fridays among `days` days from `first`."""
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for k in range(rest) if (first.weekday() + k) % 7 < 5)
