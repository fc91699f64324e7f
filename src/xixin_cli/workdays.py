"""Working days by China's official calendar, with its shifted working days (调休).

The calendar comes from the `chinese-calendar` package, which carries each year's State Council
notice (2004 on, updated every year). For a day outside the years it knows, Monday to Friday
counts as working and the answer says it is an estimate.

The package's answers for every day it knows are one byte per day in a `Calendar`, which the
session keeps in the cache folder keyed by the package's data file (`package_stamp`):
importing the package and asking it day by day cost ~8 ms of every table command (it re-scans
its whole holiday table on each call); the kept table is read in well under 1 ms. A test holds
the table to the package's own answer for every day.
"""

from __future__ import annotations

from datetime import date, timedelta

from xixin_cli.tuples import NamedTuple


class WorkingDays(NamedTuple):
    """A count of working days, and whether any day in it had to be guessed from weekends."""

    days: int
    estimated: bool


class Calendar(NamedTuple):
    """The official calendar over the years the package has notices for: a value handed to
    the queries (which never read it from disk themselves)."""

    first: date  # 1 January of the first such year
    days: bytes  # one per day from `first`: 1 a working day, 0 a day off

    def is_working_day(self, day: date) -> tuple[bool, bool]:
        """(is a working day, was estimated from the weekday because the year is unknown)."""
        index = (day - self.first).days
        if 0 <= index < len(self.days):
            return self.days[index] == 1, False
        return day.weekday() < 5, True  # a year the package has no notice for

    def working_days_after(self, start: date, end: date) -> WorkingDays:
        """Working days d with start < d <= end (0 when end <= start).

        "Due in N working days" is working_days_after(today, due); "N working days overdue" is
        working_days_after(due, today). Counted on the table (a slice, not a loop over days);
        days in years the package does not know count Monday to Friday, and say so.
        """
        if end <= start:
            return WorkingDays(0, False)
        lo = (start - self.first).days + 1  # table index of the first day counted
        hi = (end - self.first).days + 1  # one past the last
        inside = (max(lo, 0), min(hi, len(self.days)))
        count = self.days[inside[0] : inside[1]].count(1) if inside[0] < inside[1] else 0
        estimated = False
        for a, b in ((lo, min(hi, 0)), (max(lo, len(self.days)), hi)):  # before and after
            if a < b:
                estimated = True
                count += _weekdays(self.first + timedelta(days=a), b - a)
        return WorkingDays(count, estimated)


def build_calendar() -> Calendar:
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
    return Calendar(first, bytes(days))


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


def _weekdays(first: date, days: int) -> int:
    """Mondays to Fridays among `days` days from `first`."""
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for k in range(rest) if (first.weekday() + k) % 7 < 5)
