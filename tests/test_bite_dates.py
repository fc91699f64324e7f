"""Tests that bite (issue #22): dates against a day-by-day reference — every month end of
2020–2030, a leap year's February, "a month" that is not 30 days — and working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from xixin_cli.dates import (
    DateFormatError,
    DateRangeError,
    in_range,
    parse_date,
    relative_day,
    today_in_china,
    window_end,
)
from xixin_cli.workdays import Calendar, WorkingDays

ONE = timedelta(days=1)


def month_ends(first: int = 2020, last: int = 2030) -> list[date]:
    """The last day of every month, found by walking the calendar one day at a time."""
    found, day = [], date(first, 1, 1)
    while day.year <= last:
        if (day + ONE).month != day.month:
            found.append(day)
        day += ONE
    return found


def months_later(start: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter, found by
    walking day by day (the reference, sharing no code with the tool)."""
    day, crossed = start, 0
    while crossed < months:
        day += ONE
        if day.day == 1:
            crossed += 1
    target_month = day
    while (day + ONE).month == target_month.month and day.day < start.day:
        day += ONE
    return day


ENDS = month_ends()


def test_the_reference_walks_the_calendar() -> None:
    assert len(ENDS) == 11 * 12
    assert date(2024, 2, 29) in ENDS and date(2023, 2, 28) in ENDS
    assert months_later(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize("end", ENDS, ids=str)
def test_every_month_end_reads_and_counts_a_month(end: date) -> None:
    """Every month end of 2020–2030 in each written form, and a month and a week on from it."""
    for text in (
        end.isoformat(),
        f"{end.year}/{end.month}/{end.day}",
        f"{end.year}.{end.month:02}.{end.day}",
        end.strftime("%Y%m%d"),
        f"{end.year}年{end.month}月{end.day}日",
        f" {end.year} 年 {end.month} 月 {end.day} 号 ",
    ):
        assert parse_date(text) == end, text
    after = end + ONE  # the first of the next month: one day past the end is no date
    with pytest.raises(DateFormatError):
        parse_date(f"{end.year}-{end.month}-{end.day + 1}")
    assert window_end(end, "1m") == months_later(end, 1)
    assert window_end(end, "1个月") == months_later(end, 1)
    assert window_end(end, "3 months") == months_later(end, 3)
    assert window_end(end, "7天") == end + 7 * ONE == window_end(end, "1周")
    assert window_end(end, "1") == after == window_end(end, "1d")
    today = end.replace(day=1)
    assert relative_day(f"{end.month}月{end.day}日", today) == (end, True)
    assert relative_day(f"{end.month}-{end.day}", today) == (end, True)
    with pytest.raises(DateFormatError):
        relative_day(f"{end.month}月{end.day + 1}日", today)


@pytest.mark.parametrize(
    ("start", "text", "end"),
    [
        (date(2024, 1, 31), "1m", date(2024, 2, 29)),  # a leap year's 2月底
        (date(2023, 1, 31), "1m", date(2023, 2, 28)),
        (date(2022, 1, 15), "1m", date(2022, 2, 15)),  # a month is not 30 days
        (date(2022, 2, 1), "1mo", date(2022, 3, 1)),
        (date(2022, 12, 15), "1 month", date(2023, 1, 15)),
        (date(2024, 2, 29), "12m", date(2025, 2, 28)),
        (date(2022, 11, 1), "2w", date(2022, 11, 15)),
        (date(2022, 11, 1), "2 weeks", date(2022, 11, 15)),
        (date(2022, 11, 1), "1星期", date(2022, 11, 8)),
        (date(2022, 11, 1), "1wk", date(2022, 11, 8)),
        (date(2022, 11, 1), "1 week", date(2022, 11, 8)),
        (date(2022, 11, 1), "3周", date(2022, 11, 22)),
        (date(2022, 11, 1), "2 months", date(2023, 1, 1)),
        (date(2022, 11, 1), "1W", date(2022, 11, 8)),
        (date(2022, 11, 1), "30", date(2022, 12, 1)),
        (date(2022, 11, 1), " 10 days ", date(2022, 11, 11)),
        (date(2022, 11, 1), "1day", date(2022, 11, 2)),
        (date(2022, 11, 1), "3日", date(2022, 11, 4)),
        (date(2022, 11, 1), "2月", date(2023, 1, 1)),
        (date(2022, 11, 1), "0", date(2022, 11, 1)),
        (date(2022, 11, 1), "1M", date(2022, 12, 1)),
    ],
)
def test_windows(start: date, text: str, end: date) -> None:
    assert window_end(start, text) == end


@pytest.mark.parametrize("text", ["", "m", "1x", "-1", "1.5m", "一个月", "1 m 2"])
def test_a_window_that_is_no_window(text: str) -> None:
    with pytest.raises(DateFormatError) as caught:
        window_end(date(2022, 11, 1), text)
    assert not isinstance(caught.value, DateRangeError)
    assert str(caught.value) == text.strip()


@pytest.mark.parametrize(
    ("start", "text"),
    [
        (date(2200, 12, 1), "1m"),
        (date(2200, 12, 31), "1"),
        (date(2200, 12, 30), "1w"),
        (date(2022, 1, 1), "999999999"),
        (date(2022, 1, 1), f"{(2200 - 1900 + 1) * 366 + 1}"),
        (date(2022, 1, 1), "3000000 months"),
        (date(2022, 1, 1), "110000 months"),  # few enough to count, too many for a date
    ],
)
def test_a_window_past_the_last_year_is_out_of_range(start: date, text: str) -> None:
    with pytest.raises(DateRangeError) as caught:
        window_end(start, text)
    assert str(caught.value) == text.strip()


def test_the_longest_window_inside_the_years_is_kept() -> None:
    start = date(1900, 1, 1)
    days = (date(2200, 12, 31) - start).days
    assert window_end(start, str(days)) == date(2200, 12, 31)
    assert days <= (2200 - 1900 + 1) * 366


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-29", "2023-02-29: day is out of range for month"),
        ("2022-13-01", "2022-13-01: month must be in 1..12"),
        ("2022年2月30日", "2022年2月30日: day is out of range for month"),
        (" 11月30日 ", "11月30日"),
        ("2022-11", "2022-11"),
        ("20221130x", "20221130x"),
        ("2022 11 30", "2022 11 30"),
    ],
)
def test_a_date_that_is_no_day(text: str, message: str) -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_date(text)
    assert str(caught.value) == message
    assert not isinstance(caught.value, DateRangeError)


@pytest.mark.parametrize("text", ["1899-12-31", "2201-01-01", "18991231", "2201年1月1日"])
def test_a_date_outside_the_years_is_out_of_range(text: str) -> None:
    with pytest.raises(DateRangeError) as caught:
        parse_date(text)
    assert str(caught.value) == text


def test_the_years_dates_may_have() -> None:
    assert in_range(date(1900, 1, 1)) and in_range(date(2200, 12, 31))
    assert not in_range(date(1899, 12, 31)) and not in_range(date(2201, 1, 1))
    assert parse_date("1900-01-01") == date(1900, 1, 1)
    assert parse_date("2200-12-31") == date(2200, 12, 31)


def test_leap_days_of_2020_to_2030() -> None:
    for year in range(2020, 2031):
        leap = (date(year, 3, 1) - ONE).day == 29
        today = date(year, 1, 10)
        if leap:
            assert parse_date(f"{year}-02-29") == date(year, 2, 29)
            assert relative_day("2月29日", today) == (date(year, 2, 29), True)
        else:
            with pytest.raises(DateFormatError):
                parse_date(f"{year}-02-29")
            with pytest.raises(DateFormatError):
                relative_day("2月29日", today)
    assert [y for y in range(2020, 2031) if (date(y, 3, 1) - ONE).day == 29] == [2020, 2024, 2028]


WEDNESDAY = date(2022, 11, 16)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("今天", WEDNESDAY),
        ("今日", WEDNESDAY),
        ("昨天", date(2022, 11, 15)),
        ("昨日", date(2022, 11, 15)),
        ("前天", date(2022, 11, 14)),
        ("明天", date(2022, 11, 17)),
        ("明日", date(2022, 11, 17)),
        ("后天", date(2022, 11, 18)),
        ("周一", date(2022, 11, 14)),
        ("本周五", date(2022, 11, 18)),
        ("这周日", date(2022, 11, 20)),
        ("星期天", date(2022, 11, 20)),
        ("礼拜三", WEDNESDAY),
        ("下周一", date(2022, 11, 21)),
        ("上周三", date(2022, 11, 9)),
        ("上 周六", date(2022, 11, 12)),
        ("+3d", date(2022, 11, 19)),
        ("-2d", date(2022, 11, 14)),
        ("+1w", date(2022, 11, 23)),
        ("-1W", date(2022, 11, 9)),
        ("+2周", date(2022, 11, 30)),
        ("+10天", date(2022, 11, 26)),
        ("- 1 日", date(2022, 11, 15)),
        ("+0d", WEDNESDAY),
    ],
)
def test_days_as_people_say_them(text: str, day: date) -> None:
    assert relative_day(text, WEDNESDAY) == (day, False)
    assert relative_day(f" {text} ", WEDNESDAY) == (day, False)


@pytest.mark.parametrize(
    "text", ["大后天", "周八", "下下周一", "+3", "3d", "+3m", "2022-11-30", ""]
)
def test_words_that_are_no_day_people_say(text: str) -> None:
    assert relative_day(text, WEDNESDAY) is None


def test_a_month_and_day_is_taken_in_todays_year() -> None:
    # A year that is not the phase's: the flag lets the caller say which year was taken.
    assert relative_day("1月15日", date(2024, 11, 20)) == (date(2024, 1, 15), True)
    assert relative_day("12/31", date(2025, 1, 2)) == (date(2025, 12, 31), True)
    assert relative_day("2.3号", date(2025, 1, 2)) == (date(2025, 2, 3), True)
    with pytest.raises(DateFormatError) as caught:
        relative_day(" 13月1日 ", date(2025, 1, 2))
    assert str(caught.value) == "13月1日"


def test_today_in_china_crosses_midnight_eight_hours_early() -> None:
    utc = timezone.utc
    assert today_in_china(datetime(2022, 11, 30, 15, 59, tzinfo=utc)) == date(2022, 11, 30)
    assert today_in_china(datetime(2022, 11, 30, 16, 0, tzinfo=utc)) == date(2022, 12, 1)
    assert today_in_china(datetime(2022, 12, 31, 16, 0, tzinfo=utc)) == date(2023, 1, 1)


# -- working days: the table against day-by-day counting ------------------------------------------

#: A made-up two-week table from Monday 2022-10-03: a holiday week (all off) and a week with a
#: shifted working Saturday (调休).
TABLE = Calendar(date(2022, 10, 3), bytes((0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0)))


def by_walking(calendar: Calendar, start: date, end: date) -> WorkingDays:
    days, estimated, day = 0, False, start + ONE
    while day <= end:
        working, guessed = calendar.is_working_day(day)
        days += working
        estimated = estimated or guessed
        day += ONE
    return WorkingDays(days, estimated)


@pytest.mark.parametrize("start_offset", range(-9, 24, 2))
@pytest.mark.parametrize("length", [0, 1, 2, 5, 6, 7, 8, 13, 14, 20, 30])
def test_working_days_agree_with_walking_day_by_day(start_offset: int, length: int) -> None:
    start = TABLE.first + timedelta(days=start_offset)
    end = start + timedelta(days=length)
    assert TABLE.working_days_after(start, end) == by_walking(TABLE, start, end)
    assert TABLE.working_days_after(end, start) == WorkingDays(0, False)


def test_the_table_and_its_edges() -> None:
    assert TABLE.is_working_day(date(2022, 10, 3)) == (False, False)  # 国庆: a Monday off
    assert TABLE.is_working_day(date(2022, 10, 15)) == (True, False)  # 调休: a Saturday worked
    assert TABLE.is_working_day(date(2022, 10, 16)) == (False, False)
    assert TABLE.is_working_day(date(2022, 10, 17)) == (True, True)  # past the table: a Monday
    assert TABLE.is_working_day(date(2022, 10, 2)) == (False, True)  # before it: a Sunday
    assert TABLE.is_working_day(date(2022, 9, 30)) == (True, True)
    assert TABLE.working_days_after(date(2022, 10, 2), date(2022, 10, 16)) == (6, False)
    assert TABLE.working_days_after(date(2022, 9, 30), date(2022, 10, 16)) == (6, True)
    assert TABLE.working_days_after(date(2022, 10, 16), date(2022, 10, 24)) == (6, True)


def test_now_in_china_carries_chinas_offset() -> None:
    from xixin_cli.dates import now_in_china

    now = now_in_china()
    assert now.utcoffset() == timedelta(hours=8)
    assert abs(now - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert today_in_china() in (now.date(), now.date() + ONE)


def test_without_the_calendar_package_there_is_no_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from xixin_cli.workdays import package_stamp

    stamp = package_stamp()
    assert stamp is not None and stamp[0].endswith("constants.py") and stamp[1] > 0
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert package_stamp() is None
