"""Dates as the clerk writes them: ISO and the plan's own Chinese forms, windows, today in China."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo

#: The clerk's calendar: "today" is the date in China, whatever the machine's zone is.
CHINA_ZONE = "Asia/Shanghai"
_CHINA = timezone(timedelta(hours=8), CHINA_ZONE)

# Patterns as text: re compiles (and caches) each the first time it is tried, so a start-up
# that reads one ISO date compiles one pattern, not four.
_NUMERIC = r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$"
_COMPACT = r"^\s*(\d{4})(\d{2})(\d{2})\s*$"
_CHINESE = r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*$"
_WINDOW = (
    r"(?i)^\s*(\d+)\s*(d|day|days|天|日|w|wk|week|weeks|周|星期|m|mo|month|months|个月|月)?\s*$"
)


#: The years a date may fall in: a plan's, a log's or a typed one. Wider than any plan runs,
#: narrow enough that a day after it (an ICS end, a window) can never overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class DateFormatError(ValueError):
    """Text that is not a date in a form we accept, or not a real day."""


class DateRangeError(DateFormatError):
    """A real day outside FIRST_YEAR…LAST_YEAR."""


def in_range(day: date) -> bool:
    """Whether `day` falls in the years dates may have."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def parse_date(text: str) -> date:
    """Read a date: 2022-11-30, 2022/11/30, 2022.11.30, 20221130 or 2022年11月30日.

    Raises DateFormatError for anything else, and for days that do not exist (2022-02-30).
    A form without a year (11月30日) is refused rather than guessed.
    """
    for pattern in (_NUMERIC, _COMPACT, _CHINESE):
        match = re.match(pattern, text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                found = date(year, month, day)
            except ValueError as exc:
                raise DateFormatError(f"{text.strip()}: {exc}") from None
            if not in_range(found):
                raise DateRangeError(text.strip())
            return found
    raise DateFormatError(text.strip())


def today_in_china(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai; `now` is for tests."""
    moment = now if now is not None else datetime.now(timezone.utc)
    return moment.astimezone(china_zone()).date()


def now_in_china() -> datetime:
    """The current moment, with China's offset, for timestamps the clerk reads."""
    return datetime.now(timezone.utc).astimezone(china_zone())


def china_zone() -> tzinfo:
    """China's time: +08:00, named Asia/Shanghai.

    China has kept +08:00 without daylight saving since 1991, so the fixed offset gives the
    same dates as the zone database for every day this tool deals with, without loading the
    database (zoneinfo and its file cost ~4.5 ms of every command that needs today's date).
    """
    return _CHINA


def window_end(start: date, text: str) -> date:
    """The last day of a window that starts on `start`: 7d, 2w, 30 (days), 1m, 7天, 2周, 1个月."""
    match = re.match(_WINDOW, text)
    if not match:
        raise DateFormatError(text.strip())
    count = int(match.group(1))
    unit = (match.group(2) or "d").lower()
    if count > (LAST_YEAR - FIRST_YEAR + 1) * 366:  # more days than dates have: out of range
        raise DateRangeError(text.strip())
    try:
        if unit in ("d", "day", "days", "天", "日"):
            result = start + timedelta(days=count)
        elif unit in ("w", "wk", "week", "weeks", "周", "星期"):
            result = start + timedelta(weeks=count)
        else:
            from dateutil.relativedelta import relativedelta  # only months need it

            result = start + relativedelta(months=count)
    except (OverflowError, ValueError):
        raise DateRangeError(text.strip()) from None
    if not in_range(result):
        raise DateRangeError(text.strip())
    return result


#: Words for days near today, and the days of a week (周一…周日, 星期一…星期天).
_NEAR = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2}
_WEEK = r"^\s*(本|这|下|上)?\s*(?:周|星期|礼拜)([一二三四五六日天])\s*$"
_OFFSET = r"(?i)^\s*([+-])\s*(\d{1,4})\s*(d|天|日|w|周)\s*$"
_MONTH_DAY = r"^\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*[日号]?\s*$"


def relative_day(text: str, today: date) -> tuple[date, bool] | None:
    """A day written the way people say it, counted from `today`: 今天, 昨天, 明天, 前天, 后天;
    周五/本周五 (this week's), 下周一, 上周三 (星期 and 礼拜 too); +3d, -2d, +1w; or a month and
    day without a year (11月30日, 11-30), taken in today's year. The flag says a year was
    supplied that way, so the caller can say so. None when `text` is none of these."""
    word = text.strip()
    if word in _NEAR:
        return today + timedelta(days=_NEAR[word]), False
    week = re.match(_WEEK, word)
    if week:
        which, name = week.groups()
        monday = today - timedelta(days=today.weekday())
        shift = {"下": 7, "上": -7}.get(which or "", 0)
        return monday + timedelta(
            days=shift + "一二三四五六日".index(name.replace("天", "日"))
        ), False
    offset = re.match(_OFFSET, word)
    if offset:
        sign, count, unit = offset.groups()
        days = int(count) * (7 if unit.lower() in ("w", "周") else 1)
        return today + timedelta(days=days if sign == "+" else -days), False
    month_day = re.match(_MONTH_DAY, word)
    if month_day:
        try:
            return date(today.year, int(month_day.group(1)), int(month_day.group(2))), True
        except ValueError:
            raise DateFormatError(word) from None
    return None
