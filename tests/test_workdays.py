"""Working days against the official 2022 calendar (国办发明电〔2021〕11号)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from xixin_cli.session import load_calendar
from xixin_cli.workdays import WorkingDays, build_calendar

CALENDAR = build_calendar()
working_days_after = CALENDAR.working_days_after
is_working_day = CALENDAR.is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2022, 10, 1), False),  # 国庆节, Saturday
        (date(2022, 10, 3), False),  # a Monday off
        (date(2022, 10, 7), False),  # a Friday off
        (date(2022, 10, 8), True),  # a Saturday worked (调休)
        (date(2022, 10, 9), True),  # a Sunday worked (调休)
        (date(2022, 10, 10), True),
        (date(2022, 11, 30), True),  # the self-check deadline, a Wednesday
        (date(2022, 12, 3), False),  # an ordinary Saturday
    ],
)
def test_known_days_of_2022(day: date, working: bool) -> None:
    assert is_working_day(day) == (working, False)


def test_national_day_week_counts_as_the_office_worked_it() -> None:
    # Due Friday 2022-09-30; on Monday 2022-10-10 ten calendar days have passed, of which only
    # Saturday 10-08, Sunday 10-09 and Monday 10-10 were working days.
    assert working_days_after(date(2022, 9, 30), date(2022, 10, 10)) == WorkingDays(3, False)
    assert working_days_after(date(2022, 9, 30), date(2022, 10, 7)) == WorkingDays(0, False)


def test_due_in_working_days() -> None:
    assert working_days_after(date(2022, 11, 28), date(2022, 11, 30)) == WorkingDays(2, False)
    assert working_days_after(date(2022, 11, 30), date(2022, 11, 30)) == WorkingDays(0, False)
    assert working_days_after(date(2022, 12, 1), date(2022, 11, 30)) == WorkingDays(0, False)


def test_a_year_the_calendar_does_not_know_falls_back_to_weekends() -> None:
    # 2099-01-05 is a Monday; the package has no notice for 2099.
    assert is_working_day(date(2099, 1, 5)) == (True, True)
    assert is_working_day(date(2099, 1, 3)) == (False, True)  # a Saturday
    assert working_days_after(date(2099, 1, 2), date(2099, 1, 9)) == WorkingDays(5, True)


def by_day(start: date, end: date) -> WorkingDays:
    """Counting the slow, obvious way: day by day."""
    count, estimated, day = 0, False, start + timedelta(days=1)
    while day <= end:
        working, guessed = is_working_day(day)
        count, estimated = count + working, estimated or guessed
        day += timedelta(days=1)
    return WorkingDays(count, estimated)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2022, 9, 1), date(2023, 2, 28)),  # inside the known years
        (date(2002, 11, 20), date(2004, 3, 1)),  # across the first known year's start
        (date(2099, 1, 1), date(2099, 3, 1)),  # wholly after
    ],
)
def test_counting_agrees_with_day_by_day_counting(first: date, last: date) -> None:
    known = CALENDAR
    days = [first + (last - first) * k // 11 for k in range(12)]
    end_of_known = known.first + timedelta(days=len(known.days) - 1)
    days += [end_of_known + timedelta(days=k) for k in (-9, -1, 0, 1, 12)]  # the far edge
    for start in days:
        for end in days:
            assert working_days_after(start, end) == by_day(start, end), (start, end)


def test_the_kept_calendar_is_the_packages_answer_for_every_day() -> None:
    import chinese_calendar

    known = build_calendar()
    cached = load_calendar()
    day = date(known.first.year - 1, 1, 1)
    end = known.first + timedelta(days=len(known.days) + 400)
    years = set()
    while day <= end:
        index = (day - known.first).days
        try:
            expected = (bool(chinese_calendar.is_workday(day)), False)
            years.add(day.year)
            assert 0 <= index < len(known.days) and known.days[index] == expected[0], day
        except NotImplementedError:
            expected = (day.weekday() < 5, True)
            assert not 0 <= index < len(known.days), day
        assert cached.is_working_day(day) == expected, day  # as read back through the cache
        day += timedelta(days=1)
    assert min(years) <= 2022 <= max(years)  # the plan's year is among those it knows


def test_the_calendar_is_kept_in_the_cache_and_rebuilt_for_another_package_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xixin_cli import workdays

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path))
    built = []
    build = workdays.build_calendar

    def counting() -> workdays.Calendar:
        built.append(1)
        return build()

    monkeypatch.setattr(workdays, "build_calendar", counting)
    assert load_calendar() == load_calendar()
    assert built == [1] and (tmp_path / "calendar.pickle").exists()
    stamp = workdays.package_stamp()
    assert stamp is not None and stamp[0].endswith("constants.py")
    # another version of the package: another data file, another table
    monkeypatch.setattr(workdays, "package_stamp", lambda: (stamp[0], stamp[1] + 1, stamp[2]))
    load_calendar()
    assert built == [1, 1]
