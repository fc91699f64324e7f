"""Working days by China's official calendar, with its shifted working days (调休).

The calendar comes from the `chinese-calendar` package, which carries each year's State Council
notice (2004 on, updated every year). For a day outside the years it knows, Monday to Friday
counts as working and the answer says it is an estimate.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple


class WorkingDays(NamedTuple):
    """A count of working days, and whether any day in it had to be guessed from weekends."""

    days: int
    estimated: bool


def is_working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, was estimated from the weekday because the year is unknown)."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:  # a year the package has no notice for
        return day.weekday() < 5, True


def working_days_after(start: date, end: date) -> WorkingDays:
    """Working days d with start < d <= end (0 when end <= start).

    "Due in N working days" is working_days_after(today, due); "N working days overdue" is
    working_days_after(due, today).
    """
    count = 0
    estimated = False
    day = start + timedelta(days=1)
    while day <= end:
        working, guessed = is_working_day(day)
        count += working
        estimated = estimated or guessed
        day += timedelta(days=1)
    return WorkingDays(count, estimated)


class WorkCalendar:
    """Working-day counts over a span of dates, each day looked up once (for many rows)."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.last = last
        self._running: list[int] = [0]  # working days in (first, first + i]
        self._guessed: list[int] = [0]
        day = first
        while day < last:
            day += timedelta(days=1)
            working, guessed = is_working_day(day)
            self._running.append(self._running[-1] + working)
            self._guessed.append(self._guessed[-1] + guessed)

    def after(self, start: date, end: date) -> WorkingDays:
        """As working_days_after(start, end), for dates inside the span."""
        if end <= start:
            return WorkingDays(0, False)
        if start < self.first or end > self.last:
            return working_days_after(start, end)
        a, b = (start - self.first).days, (end - self.first).days
        return WorkingDays(
            self._running[b] - self._running[a], self._guessed[b] - self._guessed[a] > 0
        )


def between(today: date, dues: list[date]) -> WorkCalendar:
    """A calendar spanning today and every given due date."""
    return WorkCalendar(min([today, *dues]), max([today, *dues]))
