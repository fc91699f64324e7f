"""Read a Chinese implementation plan (实施方案/工作方案) as text and write it as a plan file.

What it reads: the official numbering (一、 （一） 1. （1）), the document number, issuer, date
and title; tasks split into actions (numbered sub-items, or else one per sentence, as plan.yaml
does); responsible units in the common forms; phases with their month windows and their steps;
deadlines in the common forms. What it does not understand it reports, line by line. It never
invents a unit or a date: an item that names no unit goes to a visible placeholder unit
(未明确责任单位) for the clerk to fill in, and every guess is written into the item's note.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xixin_cli.errors import UsageError
from xixin_cli.model import Phase

CN_DIGITS = "〇一二三四五六七八九"
PLACEHOLDER_UNIT = "未明确责任单位"

_NUMBER = re.compile(r"^\S{1,12}〔\d{4}〕\d+号$")
_SIGN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_L1 = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
_L2 = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
_L3 = re.compile(r"^(\d{1,2})[.．、]\s*(?!\d)(.*)$")
_L4 = re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")
_TABLE = re.compile(r"^\s*\||\t.*\t|^\s*[-=]{3,}\s*$")

_UNIT_BRACKET = re.compile(
    r"[〔（(【]\s*(责任科室|责任单位|牵头单位|责任部门)[:：]\s*([^〕）)】]*)[〕）)】]"
)
_UNIT_OPENING = re.compile(r"[〔（(【]\s*(责任科室|责任单位|牵头单位|责任部门)[:：]")
_LEAD_COOP = re.compile(r"牵头单位[:：]\s*([^；;）)〕]*)[；;]\s*配合单位[:：]\s*([^）)〕]*)")
_X_LEADS = re.compile(
    r"由?([^，。；、（）\s]{2,12}?)牵头[，,]\s*([^，。；（）]{2,40}?)(?:配合|参与)"
)
_X_RESPONSIBLE = re.compile(r"[（(]([^（）()]{2,40}?)负责[）)]")
_LEGEND = re.compile(r"列第一位(?:的|者)?为牵头(?:单位|部门)")

_WINDOW = re.compile(
    r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?\s*[—–\-~～至到]+\s*(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?"
)
_STANDING = re.compile(r"长期坚持|持续推进|常态化|长期|持续")


@dataclass
class Unplaced:
    """A line the importer could not place, with what it made of it."""

    line: int
    text: str
    reason: str


@dataclass
class _Item:
    id: str
    kind: str
    title: str
    text: str
    source: str
    line: int
    parent: str | None = None
    offices: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    offices_text: str = ""
    phase: str | None = None
    due: date | None = None
    due_basis: str = ""
    due_text: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """The result: the plan file's text, and the lines that were not placed."""

    yaml: str
    unplaced: list[Unplaced]
    items: int


# -- reading ------------------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    """The paragraphs of a .docx (python-docx, the `docx` extra), one per line, tables skipped:
    an indicator table is not a list of tasks."""
    try:
        import docx
    except ImportError:
        raise UsageError("usage.docx_needs_extra") from None
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds for a file that is not a .docx
        raise UsageError("usage.docx_unreadable", path=str(path)) from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in (UTF-8, with or without BOM, or GB18030)."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "GB18030"


def import_text(text: str) -> Imported:
    """Turn the document's text into a plan file (YAML text) and the unplaced-lines report."""
    reader = _Reader(_join_split_lists(text.splitlines()))
    reader.read()
    return Imported(reader.to_yaml(), reader.unplaced, len(reader.items))


def _join_split_lists(lines: list[str]) -> list[tuple[int, str]]:
    """Lines with their numbers; a unit list broken over lines is joined to its opening line."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if pending is not None:
            pending = (pending[0], pending[1] + line)
            if _closes(pending[1]):
                out.append(pending)
                pending = None
            continue
        if re.search(
            r"[〔（(【]\s*(责任科室|责任单位|牵头单位|责任部门)[:：]", line
        ) and not _closes(line):
            pending = (number, line)
            continue
        out.append((number, line))
    if pending is not None:
        out.append(pending)
    return out


def _closes(line: str) -> bool:
    opened = max(line.rfind(c) for c in "〔（(【")
    return any(c in line[opened:] for c in "〕）)】")


class _Reader:
    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = lines
        self.unplaced: list[Unplaced] = []
        self.items: list[_Item] = []
        self.phases: list[Phase] = []
        self.units: list[str] = []
        self.number = ""
        self.issuer = ""
        self.title = ""
        self.issued: date | None = None
        self.recipients: list[str] = []
        self.legend = any(_LEGEND.search(text) for _, text in lines)

    # -- the whole document

    def read(self) -> None:
        body_start = self._header()
        sections = list(self._sections(body_start))
        for number, title, _line, body in sections:
            kind = _section_kind(title)
            if kind == "tasks":
                self._tasks(number, body)
            elif kind == "phases":
                self._phases(number, body)
            elif kind == "measures":
                self._measures(number, body)
            # Other sections (指导思想, 目标, 原则…) are context, not checklist items.

    def _header(self) -> int:
        """Number, issuer, title, recipients and date; returns where the numbered body starts."""
        joined = "".join(text for _, text in self.lines)
        title = re.search(r"《([^《》]{4,60}?(?:方案|计划|意见|办法|要点))》", joined)
        body_start = len(self.lines)
        for index, (_, text) in enumerate(self.lines):
            if _L1.match(text):
                body_start = index
                break
        for index, (_number, text) in enumerate(self.lines):
            if not self.number and _NUMBER.match(text):
                self.number = text
                if index + 1 < len(self.lines) and re.search(
                    r"(政府|委员会|办公室|党委|委|局|中心)$", self.lines[index + 1][1]
                ):
                    self.issuer = self.lines[index + 1][1]
            match = _SIGN_DATE.match(text)
            if match and self.issued is None and index < body_start:
                self.issued = date(*(int(g) for g in match.groups()))
            if text.endswith("：") and "、" in text and not self.recipients and index < body_start:
                self.recipients = [part for part in text.rstrip("：").split("、") if part]
        if title:
            self.title = title.group(1)
        else:
            self.title = next((t for _, t in self.lines if t.endswith(("方案", "计划"))), "")
        if not self.issuer:
            self.issuer = next(
                (
                    t
                    for _, t in self.lines[:body_start]
                    if re.search(r"(人民政府|委员会|办公室)$", t)
                ),
                "",
            )
        return body_start

    def _sections(self, start: int) -> Iterator[tuple[int, str, int, list[tuple[int, str]]]]:
        current: tuple[int, str, int] | None = None
        body: list[tuple[int, str]] = []
        for number, text in self.lines[start:]:
            if not text:
                continue
            match = _L1.match(text)
            if match:
                if current is not None:
                    yield (*current, body)
                current = (_cn_number(match.group(1)), match.group(2), number)
                body = []
            elif current is not None:
                body.append((number, text))
        if current is not None:
            yield (*current, body)

    # -- 四、主要任务

    def _tasks(self, section: int, body: list[tuple[int, str]]) -> None:
        # Tasks are numbered （一）, their actions 1.; a section numbered 1. 2. only has its
        # tasks at that level and their actions at （1）.
        level, sub = (_L2, _L3) if any(_L2.match(t) for _, t in body) else (_L3, _L4)
        for number, heading, line, rest in self._numbered(body, level):
            task_id = f"{section}.{number}"
            rest = self._without_tables(rest)
            lead_lines = _until(rest, sub)
            paragraph = "".join([heading, *(text for _, text in lead_lines)])
            offices, lead, offices_text = self._units(paragraph)
            clean = _strip_units(paragraph)
            sentences = _sentences(clean)
            title = sentences[0].rstrip("。") if sentences else heading
            task = _Item(
                task_id,
                "task",
                _short(title),
                sentences[0] if sentences else heading,
                f"{_cn(section)}（{_cn(number)}）",
                line,
            )
            task.offices, task.lead, task.offices_text = offices, lead, offices_text
            self._deadline(task, sentences[0] if sentences else clean, None)
            self.items.append(task)
            numbered = list(self._numbered(rest, sub)) if _has(rest, sub) else []
            if numbered:
                for n, text, ln, more in numbered:
                    full = "".join([text, *(t for _, t in more)])
                    self._action(task, f"{task_id}.{n}", full, ln)
            else:
                for index, sentence in enumerate(sentences[1:], start=1):
                    self._action(task, f"{task_id}.{index}", sentence, line)
            if not task.offices:  # the units its actions name, in the order they come
                actions = [i for i in self.items if i.parent == task_id]
                task.offices = list(dict.fromkeys(u for i in actions for u in i.offices))
                if task.offices:
                    task.notes.append("本任务未单列责任单位，取其下各项的责任单位")
                for action in actions:
                    if not action.offices:  # named none itself, and the task names none
                        self._place_units(action, action.line)
            self._place_units(task, line)

    def _action(self, task: _Item, item_id: str, text: str, line: int) -> None:
        offices, lead, offices_text = self._units(text)
        clean = _strip_units(text)
        action = _Item(
            item_id,
            "action",
            _short(_first_clause(clean)),
            clean,
            task.source,
            line,
            parent=task.id,
        )
        if offices:
            action.offices, action.lead, action.offices_text = offices, lead, offices_text
        self._deadline(action, clean, None)
        self.items.append(action)

    # -- 五、实施步骤

    def _phases(self, section: int, body: list[tuple[int, str]]) -> None:
        for number, heading, line, rest in self._numbered(body, _L2):
            rest = self._without_tables(rest)
            window = _WINDOW.search(heading)
            name = re.sub(r"[（(].*$", "", heading).strip("。 ")
            if window is None:
                self.unplaced.append(Unplaced(line, heading, "no_window"))
                continue
            start, end = _window_dates(window)
            key = name or f"phase{number}"
            phase = Phase(key, f"{section}.{number}", name, _window_text(window), start, end)
            self.phases.append(phase)
            steps = list(self._numbered(rest, _L3)) if _has(rest, _L3) else []
            if not steps and rest:
                steps = [(1, "".join(t for _, t in rest), rest[0][0], [])]
            for n, text, ln, more in steps:
                full = "".join([text, *(t for _, t in more)])
                step = _Item(
                    f"{section}.{number}.{n}",
                    "step",
                    _short(_first_clause(_strip_units(full))),
                    _strip_units(full),
                    f"{_cn(section)}（{_cn(number)}）{n}",
                    ln,
                    phase=key,
                )
                step.offices, step.lead, step.offices_text = self._units(full)
                self._place_units(step, ln)
                self._deadline(step, step.text, phase)
                self.items.append(step)

    # -- 六、保障措施

    def _measures(self, section: int, body: list[tuple[int, str]]) -> None:
        for number, heading, line, rest in self._numbered(body, _L2):
            rest = self._without_tables(rest)
            paragraph = "".join([heading, *(t for _, t in rest)])
            sentences = _sentences(_strip_units(paragraph))
            title = sentences[0].rstrip("。") if sentences else heading
            text = "".join(sentences[1:]) or title
            measure = _Item(
                f"{section}.{number}",
                "measure",
                _short(title),
                text,
                f"{_cn(section)}（{_cn(number)}）",
                line,
            )
            measure.offices, measure.lead, measure.offices_text = self._units(paragraph)
            self._place_units(measure, line)
            self._deadline(measure, paragraph, None, default_standing=True)
            self.items.append(measure)

    # -- units and deadlines

    def _units(self, text: str) -> tuple[list[str], list[str], str]:
        """(units, lead units, the words that name them) as the text gives them."""
        match = _LEAD_COOP.search(text)
        if match:
            lead, coop = _names(match.group(1)), _names(match.group(2))
            return self._known(lead + coop), self._known(lead), match.group(0)
        match = _UNIT_BRACKET.search(text)
        if match:
            names = _names(match.group(2))
            lead = names[:1] if self.legend or match.group(1) == "牵头单位" else []
            return self._known(names), self._known(lead), match.group(0)
        match = _X_LEADS.search(text)
        if match:
            lead, coop = _names(match.group(1)), _names(match.group(2))
            return self._known(lead + coop), self._known(lead), match.group(0)
        match = _X_RESPONSIBLE.search(text)
        if match:
            return self._known(_names(match.group(1))), [], match.group(0)
        return [], [], ""

    def _known(self, names: list[str]) -> list[str]:
        for name in names:
            if name not in self.units:
                self.units.append(name)
        return names

    def _place_units(self, item: _Item, line: int) -> None:
        if not item.offices:
            item.offices = self._known([PLACEHOLDER_UNIT])
            item.notes.append("原文未写明责任单位，请补上（暂列“未明确责任单位”）")
            self.unplaced.append(Unplaced(line, item.title, "no_unit"))

    def _deadline(
        self, item: _Item, text: str, phase: Phase | None, default_standing: bool = False
    ) -> None:
        year = (
            phase.start.year
            if phase is not None
            else (self.issued.year if self.issued is not None else None)
        )
        found = _find_deadline(text, year, phase)
        if found is not None:
            due, words, inferred, recurring = found
            item.due, item.due_basis, item.due_text = due, "stated", words
            if inferred:
                where = f"本阶段（{phase.window_text}）" if phase is not None else "成文日期"
                item.notes.append(f"原文未写年份，按{where}推定为 {due.year} 年")
            if recurring:
                item.notes.append(f"“{words}”每年重复；此处为第一次")
            if phase is not None and not phase.start <= due <= phase.end:
                item.phase = None  # a stated date outside its phase keeps the date, not the phase
                item.notes.append(f"截止日不在{phase.name}时间内，按原文日期")
            return
        standing = _STANDING.search(text)
        if standing is not None or default_standing:
            item.due_basis = "standing"
            item.due_text = standing.group(0) if standing is not None else "保障措施"
            return
        if phase is not None:
            item.due_basis = "phase"
            item.notes.append(f"原文未写期限，取{phase.name}结束日")
            return
        item.due_basis = "standing"
        item.due_text = "未规定期限"
        item.notes.append("原文未规定完成时限，暂作常态化事项")

    def _without_tables(self, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """The lines that are not rows of a table (indicator tables are not tasks: reported)."""
        kept = []
        for number, text in lines:
            if _TABLE.search(text):
                self.unplaced.append(Unplaced(number, text, "table"))
            else:
                kept.append((number, text))
        return kept

    def _numbered(
        self, lines: list[tuple[int, str]], pattern: re.Pattern[str]
    ) -> Iterator[tuple[int, str, int, list[tuple[int, str]]]]:
        """The numbered blocks of `lines`; lines before the first number are reported."""
        before = _until(lines, pattern)
        if len(before) < len(lines):
            for number, text in self._without_tables(before):
                self.unplaced.append(Unplaced(number, text, "outside"))
        elif lines and pattern in (_L2, _L3):
            for number, text in self._without_tables(lines):
                self.unplaced.append(Unplaced(number, text, "outside"))
        yield from _blocks(lines, pattern)

    # -- writing

    def to_yaml(self) -> str:
        keys = {name: f"u{index + 1}" for index, name in enumerate(self.units)}
        out = [
            "# Imported by `xixin import`; check every item, especially those with a note.",
            "format: 1",
            "document:",
            f"  number: {_q(self.number or '（未找到文号）')}",
            f"  issuer: {_q(self.issuer or '（未找到发文机关）')}",
            f"  title: {_q(self.title or '（未找到标题）')}",
        ]
        if self.issued is not None:
            out.append(f"  date: {self.issued.isoformat()}")
        if self.recipients:
            out.append(f"  recipients: [{', '.join(_q(r) for r in self.recipients)}]")
        out.append("offices:")
        for name, key in keys.items():
            group = ", group: true" if name.startswith("各") else ""
            out.append(f"  {key}: {{name: {_q(name)}{group}}}")
        if self.phases:
            out.append("phases:")
            for phase in self.phases:
                out += [
                    f"  {_q(phase.key)}:",
                    f"    number: {_q(phase.number)}",
                    f"    name: {_q(phase.name)}",
                    f"    window_text: {_q(phase.window_text)}",
                    f"    start: {phase.start}",
                    f"    end: {phase.end}",
                ]
        else:
            out.append("phases: {}")
        out.append("items:")
        for item in self.items:
            out += [
                f"  - id: {_q(item.id)}  # line {item.line}",
                f"    kind: {item.kind}",
                f"    title: {_q(item.title)}",
                f"    text: {_q(item.text)}",
                f"    source: {_q(item.source)}",
            ]
            if item.parent:
                out.append(f"    parent: {_q(item.parent)}")
            if item.offices:
                out.append(f"    offices: [{', '.join(keys[o] for o in item.offices)}]")
                # Written even when empty, so an item does not inherit its task's lead.
                out.append(f"    lead: [{', '.join(keys[o] for o in item.lead)}]")
                if item.offices_text:
                    out.append(f"    offices_text: {_q(item.offices_text)}")
            if item.phase:
                out.append(f"    phase: {_q(item.phase)}")
            if item.due_basis:
                out.append(f"    due_basis: {item.due_basis}")
            if item.due is not None:
                out.append(f"    due: {item.due}")
            if item.due_text:
                out.append(f"    due_text: {_q(item.due_text)}")
            if item.notes:
                out.append(f"    note: {_q('；'.join(item.notes))}")
        return "\n".join(out) + "\n"


# -- helpers --------------------------------------------------------------------------------------


def _blocks(
    lines: list[tuple[int, str]], pattern: re.Pattern[str]
) -> Iterator[tuple[int, str, int, list[tuple[int, str]]]]:
    """Numbered blocks: (number, text after the number, line, the lines that follow it)."""
    current: tuple[int, str, int] | None = None
    rest: list[tuple[int, str]] = []
    for number, text in lines:
        match = pattern.match(text)
        if match:
            if current is not None:
                yield (*current, rest)
            value = match.group(1)
            ordinal = int(value) if value.isdigit() else _cn_number(value)
            current = (ordinal, match.group(2), number)
            rest = []
        elif current is not None:
            rest.append((number, text))
    if current is not None:
        yield (*current, rest)


def _has(lines: list[tuple[int, str]], pattern: re.Pattern[str]) -> bool:
    return any(pattern.match(text) for _, text in lines)


def _until(lines: list[tuple[int, str]], pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """The lines before the first that starts with `pattern`'s numbering."""
    for index, (_, text) in enumerate(lines):
        if pattern.match(text):
            return lines[:index]
    return lines


def _section_kind(title: str) -> str:
    if re.search(r"步骤|阶段|进度安排|时间安排", title):
        return "phases"
    if re.search(r"任务|重点工作|工作重点|主要内容|工作内容", title):
        return "tasks"
    if re.search(r"保障|措施|要求", title):
        return "measures"
    return "context"


def _sentences(text: str) -> list[str]:
    return [part + "。" for part in text.split("。") if part.strip()]


def _first_clause(text: str) -> str:
    return re.split(r"[，。；]", text, maxsplit=1)[0]


def _short(text: str, limit: int = 40) -> str:
    text = text.strip().rstrip("。")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strip_units(text: str) -> str:
    text = _UNIT_BRACKET.sub("", text)
    text = re.sub(r"[（(]\s*牵头单位[^）)]*[）)]", "", text)
    return _X_RESPONSIBLE.sub("", text).strip()


def _names(text: str) -> list[str]:
    return [n.strip(" 　。") for n in re.split(r"[、，,；;和及]", text) if n.strip(" 　。")]


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS.index(text[1])
    if text.endswith("十"):
        return CN_DIGITS.index(text[0]) * 10
    if "十" in text:
        tens, units = text.split("十")
        return CN_DIGITS.index(tens) * 10 + CN_DIGITS.index(units)
    return CN_DIGITS.index(text)


def _cn(number: int) -> str:
    if number <= 10:
        return "〇一二三四五六七八九十"[number]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[units] if units else "")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _window_dates(match: re.Match[str]) -> tuple[date, date]:
    y1, m1, d1, y2, m2, d2 = match.groups()
    start = date(int(y1), int(m1), int(d1) if d1 else 1)
    end_year = int(y2) if y2 else int(y1) + (1 if int(m2) < int(m1) else 0)
    end = date(end_year, int(m2), int(d2)) if d2 else _month_end(end_year, int(m2))
    return start, end


def _window_text(match: re.Match[str]) -> str:
    return match.group(0)


def _find_deadline(
    text: str, year: int | None, phase: Phase | None
) -> tuple[date, str, bool, bool] | None:
    """(due, the words, year inferred, recurring) for the first deadline the text states."""
    patterns: list[tuple[re.Pattern[str], str]] = [
        (re.compile(r"每年(\d{1,2})月(底|末|\d{1,2}日)前"), "yearly"),
        (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日前"), "ymd"),
        (re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)前"), "ym"),
        (re.compile(r"(\d{4})年(?:底|末)前"), "y"),
        (re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日前"), "md"),
        (re.compile(r"(?<![\d年])(\d{1,2})月(?:底|末)前"), "m"),
        (re.compile(r"(\d{4})?年?(?:年底|年末)前"), "eoy"),
        (re.compile(r"(\d{4}年)?(上半年|下半年)"), "half"),
        (re.compile(r"(\d{4}年)?第([一二三四])季度"), "quarter"),
    ]
    for pattern, form in patterns:
        match = pattern.search(text)
        if match is None:
            continue
        words = match.group(0)
        groups = match.groups()
        inferred = False

        def the_year(explicit: str | None) -> int | None:
            nonlocal inferred
            if explicit:
                return int(explicit.rstrip("年"))
            inferred = True
            return year

        if form == "yearly":
            if year is None:
                return None
            month = int(groups[0])
            day = (
                _month_end(year, month).day
                if groups[1] in ("底", "末")
                else int(groups[1].rstrip("日"))
            )
            return date(year, month, day), words, False, True
        if form == "ymd":
            due = date(int(groups[0]), int(groups[1]), int(groups[2]))
        elif form == "ym":
            due = _month_end(int(groups[0]), int(groups[1]))
        elif form == "y":
            due = date(int(groups[0]), 12, 31)
        else:
            explicit = groups[0] if form in ("eoy", "half", "quarter") else None
            resolved = the_year(explicit)
            if resolved is None:
                return None
            if form == "md":
                due = date(resolved, int(groups[0]), int(groups[1]))
            elif form == "m":
                due = _month_end(resolved, int(groups[0]))
            elif form == "eoy":
                due = date(resolved, 12, 31)
            elif form == "half":
                due = date(resolved, 6, 30) if groups[1] == "上半年" else date(resolved, 12, 31)
            else:
                quarter = "一二三四".index(groups[1]) + 1
                due = _month_end(resolved, quarter * 3)
        return due, words, inferred, False
    return None


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
