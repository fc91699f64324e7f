"""Date phrases: deadlines (2019年3月底前, 年底前, 印发之日起30日内, 每年3月底前), phase windows
(2021年12月—2022年9月) and the document's own date (2022年9月13日, 二〇二二年九月十三日)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "两": 2}

Y = r"(\d{4})\s*年"
_BEFORE = r"(?:前|之前|以前|为止|止)"
_DONE = r"(?:完成|实现|建成|出台|印发|制定|报送|上报|启动|落实|形成|达到|开展|召开|部署|验收)"
_PART = r"(上旬|中旬|下旬|底|末|初|中)"
_NOT_DEADLINE = r"(?!\s*(?:起|以来|开始|至今|期间|的|召开的|印发的|发布的))"
#: 「2000年底前建成的老旧小区」: a date before what was built, bought or set up describes it
_DESCRIBES = re.compile(
    r"\s*(?:已|新)?(?:建成|竣工|建造|建设|投用|投入使用|出生|入住|成立|登记|注册|批准|认定|"
    r"开工|购买|交付|迁入|签订)(?:的|并)"
)

# Each pattern: (name, regex, strong). Strong phrases state a deadline (…前, …底, 到…, …完成);
# weak ones are a bare date, used only when an item states nothing stronger.
_PATTERNS: list[tuple[str, re.Pattern[str], bool]] = [
    ("ymd", re.compile(Y + r"(\d{1,2})\s*月(\d{1,2})\s*[日号]" + _BEFORE), True),
    ("ym", re.compile(Y + r"(\d{1,2})\s*月(?:份)?" + _PART + r"?" + _BEFORE), True),
    ("ym", re.compile(Y + r"(\d{1,2})\s*月" + _PART), True),
    ("ymd", re.compile(r"(?:到|截至|截止|至|于)" + Y + r"(\d{1,2})\s*月(\d{1,2})\s*[日号]"), True),
    ("ym", re.compile(r"(?:到|截至|截止|至|于)" + Y + r"(\d{1,2})\s*月()" + _NOT_DEADLINE), True),
    ("ymd", re.compile(Y + r"(\d{1,2})\s*月(\d{1,2})\s*[日号]\s*" + _DONE), True),
    ("ym", re.compile(Y + r"(\d{1,2})\s*月()(?:份)?\s*(?:底?前|" + _DONE + ")"), True),
    ("y_end", re.compile(Y + r"(?:底|末|年底|年末)" + _BEFORE + "?"), True),
    ("y_end", re.compile(Y + r"(?:内|前|以前|之前)"), True),
    ("y_end", re.compile(r"(?:到|截至|截止|至)" + Y + r"(?![\d一二三四上下第]|起|以来)"), True),
    ("y_half", re.compile(Y + r"(上半年|下半年)"), True),
    ("y_quarter", re.compile(Y + r"第?([一二三四1-4])季度"), True),
    # 「2026年4月，印发方案…」: a month opening a clause is that month's aim, as a year is
    ("ym", re.compile(r"(?:^|(?<=[。；;\s]))" + Y + r"(\d{1,2})\s*月()(?=[，,])"), True),
    ("ymd", re.compile(Y + r"(\d{1,2})\s*月(\d{1,2})\s*[日号]" + _NOT_DEADLINE), False),
    ("ym", re.compile(Y + r"(\d{1,2})\s*月()(?![\d日号])" + _NOT_DEADLINE), False),
    # 「2027年，制定出台…」「2028年逐步扩大至…」: a year opening a clause is that year's aim
    (
        "y_end",
        re.compile(
            r"(?:^|(?<=[。，；;,:：\s]))(\d{4})\s*年(?=[，,]|[\u4e00-\u9fff]|\s*$)"
            r"(?![月底末内前起以度的上下第一二三四至]|开始|以来|以前|之前|左右|全年|目标)"
        ),
        False,
    ),
    # Years left out: taken from the document's date, or the phase the item sits in.
    ("md", re.compile(r"(?<![\d年月])(\d{1,2})\s*月(\d{1,2})\s*[日号]" + _BEFORE), True),
    ("md", re.compile(r"(?<![\d年月])(\d{1,2})\s*月(\d{1,2})\s*[日号]\s*" + _DONE), True),
    ("m", re.compile(r"(?<![\d年])(\d{1,2})\s*月(?:份)?" + _PART + r"?" + _BEFORE), True),
    ("m", re.compile(r"(?<![\d年])(\d{1,2})\s*月" + _PART + r"(?!旬)"), True),
    ("m", re.compile(r"(?<![\d年])(\d{1,2})\s*月(?:份)?()\s*" + _DONE), True),
    # 「两年内」「5年内」 are spans of time, not this year's end
    (
        "end",
        re.compile(
            r"(?<![\d一二三四五六七八九十两几多半])(?:年底|年末|年内|今年底|本年度内|年度内)"
            + _BEFORE
            + "?"
            # 「年中指导、年末检查」: a check held at every year's end, not this year's deadline
            + r"(?!检查|考核|考评|评估|评比|评议|总结|盘点|清查|述职|通报|汇报)"
        ),
        True,
    ),
    ("half", re.compile(r"(?<![\d年])(上半年|下半年)"), True),
    ("quarter", re.compile(r"(?<![\d年])第?([一二三四])季度"), True),
]

_YEARLY = re.compile(
    r"(?:(\d{4})\s*年(?:起|开始|以后)[，,]?\s*)?每年(?:的)?(\d{1,2})\s*月(?:(\d{1,2})\s*[日号]|"
    + _PART
    + r")?"
)
_MONTHLY = re.compile(r"每月(?:的)?(?:(\d{1,2})\s*[日号]|底|末)")
_QUARTERLY = re.compile(r"每(?:个)?季度(?:末|最后一个月|结束前|结束后?前)")
_WEEKLY = re.compile(r"每(?:周|星期)([一二三四五六日天])")
_RELATIVE = re.compile(
    r"(?:自|从)?(?:本?(?:方案|通知|意见|文件|计划))?(?:印发|发布|下发|出台)(?:之日|后)(?:起)?[，,]?"
    r"(\d+|[一二三四五六七八九十两]+)\s*(?:个)?(工作日|日|天|周|个月|月|年)(?:内|以内|之内)"
)
_ONGOING = re.compile(r"\s*(?:持续|长期|常态化|不断)")
_STANDING = re.compile(r"长期坚持|持续推进|常态化|长期|长效|持续开展|持续|经常性")

#: 「11月至次年2月」「2024年3月至翌年1月」: the end is in the year after the start's
_NEXT_YEAR = r"(?:次年|翌年|第二年|下一年|来年)"

WINDOW = re.compile(
    r"(\d{4})\s*年(?:(\d{1,2})\s*月(?:(\d{1,2})\s*日)?(?:上旬|中旬|下旬|初|底)?)?\s*"
    r"(?:[—–\-~～－至到]+|—+)\s*(?:(\d{4})\s*年|"
    + _NEXT_YEAR
    + r")?(?:(\d{1,2})\s*月(?:(\d{1,2})\s*日)?"
    r"(上旬|中旬|下旬|底|末)?)?"
)

_YEARS = re.compile(r"(\d{4})\s*[—–\-~～至到]+\s*(\d{4})\s*年(?!\s*\d{1,2}\s*月)")

_DATE_LINE = re.compile(
    r"^[（(]?\s*([\d〇一二三四五六七八九零○O]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d一二三四五六七八九十]{1,3})\s*日\s*[）)]?$"
)


_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Every:
    """A recurrence as the plan format writes it (docs/plan-format.md, `every:`): the unit, the day
    within it and, when the text says so, the year it starts."""

    unit: str  # week | month | quarter | year
    day: int | str  # month: 1..31 or "last"; week: 周一..周日; quarter: "end"; year: "MM-DD"
    since: date | None = None  # 「2020年起，每年3月底前」: from 2020-01-01
    until: date | None = None  # set when the plan's phases end before its first occurrence

    def as_dict(self) -> dict[str, object]:
        """The mapping form of `every:`, keys in the order docs/plan-format.md gives them."""
        out: dict[str, object] = {"unit": self.unit, "day": self.day}
        if self.since is not None:
            out["from"] = self.since
        if self.until is not None:
            out["until"] = self.until
        return out

    def words(self) -> str:
        """How the note says it: 每月25日, 每月最后一天, 每季度末, 每年3月31日, 每周五."""
        if self.unit == "week":
            return f"每{self.day}"
        if self.unit == "month":
            return "每月最后一天" if self.day == "last" else f"每月{self.day}日"
        if self.unit == "quarter":
            return "每季度末"
        month, day = str(self.day).split("-")
        return f"每年{int(month)}月{int(day)}日"


@dataclass(frozen=True)
class Deadline:
    """A deadline the text states, the words that state it and how it was resolved."""

    due: date | None  # None: standing work; for a recurring one, its first occurrence
    words: str
    inferred_year: bool = False
    recurring: bool = False
    relative: bool = False
    every: Every | None = None  # how it recurs, when it does


@dataclass(frozen=True)
class Window:
    """A phase's window as written, and its first and last day."""

    start: date
    end: date
    words: str


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, part: str | None) -> date | None:
    if not 1 <= month <= 12:
        return None
    if part == "上旬":
        return date(year, month, 10)
    if part in ("中旬", "中"):
        return date(year, month, 20)
    if part == "初":
        return date(year, month, 5)
    return month_end(year, month)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written 二〇二二
        return int("".join(str(_CN[c]) for c in text))
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[units] if units else 0)
    return _CN[text]


def date_line(text: str) -> date | None:
    """The date of a line that is only a date (a signing date), in figures or Chinese."""
    match = _DATE_LINE.match(text.strip())
    if match is None:
        return None
    try:
        return date(*(_number(g) for g in match.groups()))
    except (KeyError, ValueError):
        return None


def find_window(text: str, year: int | None = None) -> Window | None:
    """The first window `2021年12月—2022年9月` (or 2024年5月至12月, 2019—2020年) in the text."""
    years = _YEARS.search(text)
    if years is not None and int(years.group(2)) >= int(years.group(1)):
        return Window(
            date(int(years.group(1)), 1, 1), date(int(years.group(2)), 12, 31), years.group(0)
        )
    for match in WINDOW.finditer(text):
        y1, m1, d1, y2, m2, d2, part = match.groups()
        if m1 is None and y2 is None:
            continue  # 「2019年—」 alone is not a window
        if m1 is None and m2 is None:  # years: 2019年—2020年
            end_year = int(y2)
            start, end = date(int(y1), 1, 1), date(end_year, 12, 31)
        elif m2 is None:
            continue
        else:
            try:
                start = date(int(y1), int(m1 or 1), int(d1) if d1 else 1)
                later = bool(m1 and int(m2) < int(m1)) or _said_next_year(match.group(0))
                end_year = int(y2) if y2 else int(y1) + later
                end_day = date(end_year, int(m2), int(d2)) if d2 else _day(end_year, int(m2), part)
            except ValueError:
                continue
            if end_day is None:
                continue
            end = end_day
        if end >= start:
            return Window(start, end, match.group(0).strip())
    if year is not None:
        return _window_in_year(text, year)
    return None


#: 「（9月1日至11月30日）」「（4月-5月）」: a window whose year is left out
_MONTHS_WINDOW = re.compile(
    r"(?<![\d年.．])(\d{1,2})\s*月(?:(\d{1,2})\s*[日号])?\s*[—–\-~～－至到]+\s*"
    + _NEXT_YEAR
    + r"?(\d{1,2})\s*月(?:(\d{1,2})\s*[日号])?(上旬|中旬|下旬|底|末)?"
)


def _said_next_year(words: str) -> bool:
    return re.search(_NEXT_YEAR, words) is not None


def _window_in_year(text: str, year: int) -> Window | None:
    """A window with no year, in the document's year; one that ends in a month before it
    starts runs into the next year (「11月至次年2月」)."""
    for match in _MONTHS_WINDOW.finditer(text):
        m1, d1, m2, d2, part = match.groups()
        try:
            start = date(year, int(m1), int(d1) if d1 else 1)
            end_year = year + (int(m2) < int(m1) or _said_next_year(match.group(0)))
            end = date(end_year, int(m2), int(d2)) if d2 else _day(end_year, int(m2), part)
        except ValueError:
            continue
        if end is not None and end >= start:
            return Window(start, end, match.group(0).strip())
    return None


def _resolve(
    form: str, groups: tuple[str, ...], year: int | None, floor: date | None
) -> tuple[date, bool] | None:
    """(the day, whether the year was inferred) for one matched phrase."""
    try:
        if form == "ymd":
            return date(int(groups[0]), int(groups[1]), int(groups[2])), False
        if form == "ym":
            found = _day(int(groups[0]), int(groups[1]), groups[2] or None)
            return (found, False) if found else None
        if form == "y_end":
            return date(int(groups[0]), 12, 31), False
        if form == "y_half":
            return date(
                int(groups[0]),
                6 if groups[1] == "上半年" else 12,
                30 if groups[1] == "上半年" else 31,
            ), False
        if form == "y_quarter":
            quarter = "一二三四".find(groups[1]) + 1 or int(groups[1])
            return month_end(int(groups[0]), quarter * 3), False
        if year is None:
            return None
    except ValueError:
        return None

    def in_year(y: int) -> date | None:
        try:
            if form == "md":
                return date(y, int(groups[0]), int(groups[1]))
            if form == "m":
                return _day(y, int(groups[0]), groups[1] or None)
            if form == "end":
                return date(y, 12, 31)
            if form == "half":
                return date(y, 6, 30) if groups[0] == "上半年" else date(y, 12, 31)
            return month_end(y, ("一二三四".index(groups[0]) + 1) * 3)
        except ValueError:
            return None  # 2月29日 in a year without one

    found = in_year(year)
    # A deadline does not fall before the document (or phase) it is set in: 「3月底前」 in a
    # plan dated November is next March, and 「2月底前」 in a phase 2024年11月—2025年2月 is
    # the end of February 2025 (the day is made in the year it falls in, never moved).
    if (
        form in ("md", "m")
        and floor is not None
        and (found is None or found < floor - timedelta(days=31))
    ):
        found = in_year(year + 1)
    if found is None:
        return None
    return found, True


def find_deadline(
    text: str, issued: date | None, phase_start: date | None = None
) -> Deadline | None:
    """The deadline an item's text states, or None; standing work gives a due of None.

    Of several stated deadlines the latest is the item's (「3月底前出台方案，年底前完成」 is
    done at the year's end). Years left out come from the phase, else from the document.
    """
    base = phase_start or issued
    year = base.year if base is not None else None
    relative = _RELATIVE.search(text)
    if relative is not None and issued is not None:
        count, unit = _number(relative.group(1)), relative.group(2)
        days = {"日": 1, "天": 1, "周": 7}.get(unit)
        if unit == "工作日":
            due = _working_days_after(issued, count)
        elif days is not None:
            due = issued + timedelta(days=count * days)
        else:
            months = count * (12 if unit == "年" else 1)
            month_index = issued.month - 1 + months
            target_year, target_month = issued.year + month_index // 12, month_index % 12 + 1
            due = date(
                target_year,
                target_month,
                min(issued.day, calendar.monthrange(target_year, target_month)[1]),
            )
        return Deadline(due, relative.group(0), relative=True)
    found: list[tuple[date, str, bool, int]] = []
    weak: list[tuple[date, str, bool, int]] = []
    taken: list[tuple[int, int]] = []
    for match in _YEARLY.finditer(text):
        taken.append(match.span())
    for form, pattern, strong in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            if _ONGOING.match(text, span[1]):
                continue  # 「年内持续推进」: ongoing work, not a deadline at the year's end
            if _DESCRIBES.match(text, span[1]):
                continue  # 「2000年底前建成的小区」: which houses, not when
            resolved = _resolve(form, match.groups(), year, base)
            if resolved is None:
                continue
            taken.append(span)
            entry = (resolved[0], match.group(0), resolved[1], span[0])
            (found if strong else weak).append(entry)
    windows = [w for w in WINDOW.finditer(text)]
    for match in windows:
        window = find_window(match.group(0))
        if window is not None:
            found.append((window.end, window.words, False, match.start()))
    if issued is not None:  # 「2023年，全县产值达到…」 in a 2024 plan is a fact, not a deadline
        weak = [entry for entry in weak if entry[0] >= issued]
    chosen = found or weak
    if chosen:
        # The first deadline the item states is its own: 「于2012年10月底前制定细则；…于2012年
        # 底前制定完成」 is due at the first; the later ones are its follow-ups.
        due, words, inferred, _ = min(chosen, key=lambda entry: entry[3])
        return Deadline(due, words, inferred_year=inferred)
    yearly = _YEARLY.search(text)
    if yearly is not None and yearly.group(2) is not None:
        return _yearly(yearly, issued)
    monthly = _MONTHLY.search(text)
    if monthly is not None and issued is not None:
        day = int(monthly.group(1)) if monthly.group(1) else 31  # 每月底: the month's end
        first = _next_month_day(issued, day) if 1 <= day <= 31 else None
        if first is not None:
            every = Every("month", day if monthly.group(1) else "last")
            return Deadline(first, monthly.group(0), recurring=True, every=every)
    quarterly = _QUARTERLY.search(text)
    if quarterly is not None and issued is not None:
        quarter_end = month_end(issued.year, ((issued.month - 1) // 3 + 1) * 3)
        every = Every("quarter", "end")
        return Deadline(quarter_end, quarterly.group(0), recurring=True, every=every)
    weekly = _WEEKLY.search(text)
    if weekly is not None and issued is not None:
        weekday = _WEEKDAYS.index(weekly.group(1).replace("天", "日"))
        first = issued + timedelta(days=(weekday - issued.weekday()) % 7)
        every = Every("week", "周" + _WEEKDAYS[weekday])
        return Deadline(first, weekly.group(0), recurring=True, every=every)
    standing = _STANDING.search(text)
    if standing is not None:
        return Deadline(None, standing.group(0))
    return None


def _working_days_after(start: date, count: int) -> date:
    """The count-th working day after start, by the official calendar (调休 included)."""
    from xixin_cli.workdays import build_calendar

    calendar = build_calendar()  # only for a rare 「…个工作日内」: no cache needed
    day = start
    while count > 0:
        day += timedelta(days=1)
        count -= calendar.is_working_day(day)[0]
    return day


def cell_deadline(text: str, issued: date | None) -> Deadline | None:
    """A table's 完成时限 cell: the phrases above, or a year alone (「2019年」: its end)."""
    found = find_deadline(text, issued)
    if found is not None:
        return found
    typed = re.fullmatch(
        r"\s*(\d{4})\s*[.\-/／]\s*(\d{1,2})(?:\s*[.\-/／]\s*(\d{1,2}))?\s*(?:前|之前)?\s*", text
    )
    if typed is not None:  # 「2024.6.30」「2024-06」 as typed into a sheet
        try:
            y, m = int(typed.group(1)), int(typed.group(2))
            day = date(y, m, int(typed.group(3))) if typed.group(3) else month_end(y, m)
        except ValueError:
            return None
        return Deadline(day, text.strip())
    year = re.fullmatch(r"\s*(\d{4})\s*年?\s*(?:全年|年内|内|底)?\s*", text)
    if year is not None:
        return Deadline(date(int(year.group(1)), 12, 31), text.strip())
    return None


def _yearly(match: re.Match[str], issued: date | None) -> Deadline | None:
    since, month, day, part = match.groups()
    if since is None and issued is None:
        return None
    year = int(since) if since else issued.year  # type: ignore[union-attr]
    try:
        due = date(year, int(month), int(day)) if day else _day(year, int(month), part)
    except ValueError:
        return None
    if due is None:
        return None
    if since is None and issued is not None and due < issued:
        # the first occurrence after the document (made in its own year: 2月底 is 28 or 29)
        try:
            later = (
                date(year + 1, int(month), int(day)) if day else _day(year + 1, int(month), part)
            )
        except ValueError:
            return None
        if later is None:
            return None
        due = later
    # 「每年2月底前」 recurs on February's last day; the plan format names one day a year, the
    # 28th, which every February has
    month_day = f"{int(month):02d}-{min(due.day, 28) if int(month) == 2 else due.day:02d}"
    every = Every("year", month_day, date(int(since), 1, 1) if since else None)
    return Deadline(due, match.group(0), recurring=True, every=every)


def _next_month_day(issued: date, day: int) -> date | None:
    """The first such day on or after the document's date (a day past a month's end is
    that month's last day)."""
    this = date(issued.year, issued.month, min(day, month_end(issued.year, issued.month).day))
    if issued <= this:
        return this
    year, month = issued.year + (issued.month == 12), issued.month % 12 + 1
    return date(year, month, min(day, month_end(year, month).day))
