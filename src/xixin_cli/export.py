"""Text exports: the JSON contract of items and events, and markdown checklists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from xixin_cli.board import Board
from xixin_cli.fold import ItemState
from xixin_cli.i18n import join, message, sep, status_label
from xixin_cli.model import Event, Item, ItemKind, Phase, Plan, Status
from xixin_cli.schedule import EVERYTHING, Digest, DueRow, Filter, Tally, leaves
from xixin_cli.status_log import event_to_record

#: Version of the JSON objects below. Fields are only ever added; a removal or a change of
#: meaning would come with a new number.
JSON_VERSION = 1


def item_record(plan: Plan, state: ItemState) -> dict[str, Any]:
    """The stable JSON object for one item (list, show, overdue and upcoming share it)."""
    item = state.item
    phase = plan.phases[item.phase] if item.phase is not None else None
    last = state.last
    record: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "text": item.text,
        "parent": item.parent,
        "offices": list(plan.office_names(item)),
        "office_keys": list(item.offices),
        "lead": [plan.offices[key].name for key in item.lead],
        "phase": phase.name if phase is not None else None,
        "phase_key": item.phase,
        "due": state.due.isoformat() if state.due is not None else None,
        "original_due": item.due.isoformat() if item.due is not None else None,
        "extension": (
            {
                "due": state.extension.due.isoformat() if state.extension.due else None,
                "reason": state.extension.note,
                "by": state.extension.by,
                "at": state.extension.at.isoformat(timespec="seconds"),
            }
            if state.extension is not None
            else None
        ),
        "evidence": [
            {
                "path": e.path,
                "size": e.size,
                "sha256": e.sha256,
                "at": e.at.isoformat(timespec="seconds"),
                "note": e.note,
            }
            for e in state.evidence
        ],
        "due_basis": item.due_basis.value,
        "due_text": item.due_text,
        "source": item.source,
        "status": state.status.value,
        "progress": (
            {"closed": state.progress.closed, "total": state.progress.total}
            if state.progress is not None
            else None
        ),
        "note": last.note if last is not None else "",
        "updated": last.at.isoformat(timespec="seconds") if last is not None else None,
        "parts": [
            {
                "office": plan.offices[part.office].name if part.office in plan.offices else "",
                "office_key": part.office,
                "status": part.status.value,
                "note": part.last.note if part.last is not None else "",
                "due": part.due.isoformat() if part.due is not None else None,
                "updated": (
                    part.last.at.isoformat(timespec="seconds") if part.last is not None else None
                ),
                "evidence": len(part.evidence),
                "feedback": (
                    {
                        "progress": part.last.progress,
                        "problems": part.last.problems,
                        "next": part.last.next,
                    }
                    if part.last is not None
                    and (part.last.progress or part.last.problems or part.last.next)
                    else None
                ),
            }
            for part in state.parts
        ],
    }
    return record


def due_record(plan: Plan, row: DueRow, name: str | None = None) -> dict[str, Any]:
    """An item object plus how late it is or how long is left, in days and working days, and
    its light (`red`, `yellow`, `blue`, `green`); in a workspace of plans, the plan's `name`
    (`plan`) and the id qualified by it (`ref`: minzu:5.3.1)."""
    record = item_record(plan, row.state)
    if name is not None:
        record = {"plan": name, "ref": f"{name}:{row.state.item.id}", **record}
    record["days_overdue"] = max(row.days_overdue, 0)
    record["days_left"] = max(row.days, 0)
    key = "working_days_overdue" if row.days < 0 else "working_days_left"
    record[key] = row.workdays.days
    record["working_days_estimated"] = row.workdays.estimated
    record["light"] = row.light
    return record


def digest_record(plan: Plan, result: Digest) -> dict[str, Any]:
    """The weekly reminder as JSON: the rows overall and each unit's counts."""
    return {
        "as_of": result.today.isoformat(),
        "overdue": [due_record(plan, row) for row in result.overdue],
        "due_soon": [due_record(plan, row) for row in result.due_soon],
        "blocked": [state.item.id for state in result.blocked],
        "offices": [
            {
                "office": plan.offices[unit.key].name,
                "office_key": unit.key,
                "red": unit.red,
                "yellow": unit.yellow,
                "green": unit.green,
                "closed": unit.closed,
                "blocked": unit.blocked,
                "group": unit.group,
            }
            for unit in result.offices
        ],
    }


def board_record(result: Board) -> dict[str, Any]:
    """The board as JSON: per office and per phase, with the counts and the worst item."""

    def row(r: Tally) -> dict[str, Any]:
        return {
            "key": r.key,
            "name": r.name,
            "total": r.total,
            "closed": r.closed,
            "open": r.open,
            "red": r.red,
            "yellow": r.yellow,
            "green": r.green,
            "blocked": r.blocked,
            "worst": r.worst.state.item.id if r.worst is not None else None,
            "group": r.group,
        }

    return {
        "as_of": result.today.isoformat(),
        "offices": [row(r) for r in result.units],
        "phases": [row(r) for r in result.phases],
    }


def event_record(event: Event) -> dict[str, Any]:
    """The JSON object of a status event: the log record itself."""
    return event_to_record(event)


# -- markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: str) -> str:
    """Text safe inside one markdown list line: one line, markup characters escaped."""
    one_line = " ".join(text.split())
    # most lines have no markup character: a search is half the cost of a substitution
    return _MD_SPECIAL.sub(r"\\\1", one_line) if _MD_SPECIAL.search(one_line) else one_line


def markdown_checklist(
    plan: Plan,
    item_states: dict[str, ItemState],
    lang: str,
    today: date,
    where: Filter = EVERYTHING,
    *,
    group_by: str = "task",
) -> str:
    """A GitHub-style checklist of the leaves `where` keeps, grouped by task or by phase."""
    kept = leaves(plan, item_states, where)
    closed = sum(1 for state in kept if not state.status.is_open)
    heading = plan.document.title
    named = join([plan.offices[key].name for key in where.offices], lang)
    if named:
        heading += sep("bar", lang) + named
    lines = [
        "# " + md_escape(message("md.title", lang, title=heading)),
        "",
        md_escape(
            message(
                "md.generated",
                lang,
                number=plan.document.number,
                date=today.isoformat(),
                total=len(kept),
                closed=closed,
            )
        ),
    ]
    if named:
        lines += ["", md_escape(message("md.office", lang, office=named))]
    sections = (
        _by_phase(plan, kept, lang)
        if group_by == "phase"
        else _by_task(plan, item_states, kept, lang)
    )
    for title, groups in sections:
        lines += ["", f"## {md_escape(title)}"]
        for group_title, members in groups:
            if group_title:
                lines += ["", f"### {md_escape(group_title)}"]
            lines.append("")
            lines.extend(_md_line(plan, state, lang) for state in members)
    if not kept:
        lines += ["", message("no_items", lang)]
    return "\n".join(lines) + "\n"


_Groups = list[tuple[str, list[tuple[str, list[ItemState]]]]]


def _by_task(
    plan: Plan, item_states: dict[str, ItemState], leaves: Sequence[ItemState], lang: str
) -> _Groups:
    sections: _Groups = []
    names = {
        ItemKind.ACTION: "md.tasks",
        ItemKind.TASK: "md.tasks",
        ItemKind.STEP: "md.steps",
        ItemKind.MEASURE: "md.measures",
    }
    for kind_key in ("md.tasks", "md.steps", "md.measures"):
        groups: list[tuple[str, list[ItemState]]] = []
        for state in leaves:
            if names[state.item.kind] != kind_key:
                continue
            group = _group_title(plan, item_states, state.item, kind_key, lang)
            if not groups or groups[-1][0] != group:
                groups.append((group, []))
            groups[-1][1].append(state)
        if groups:
            sections.append((message(kind_key, lang), groups))
    return sections


def _group_title(
    plan: Plan, item_states: dict[str, ItemState], item: Item, kind_key: str, lang: str
) -> str:
    if item.parent is not None:
        return task_heading(item_states[item.parent], lang)
    if kind_key == "md.steps" and item.phase is not None:
        phase = plan.phases[item.phase]
        return _phase_title(phase, lang)
    return ""


def task_heading(task: ItemState, lang: str) -> str:
    """A task as a heading over its actions: where it stands in the document, its title and
    its progress (四（一） 以乡村振兴…（3/9）)."""
    title = f"{task.item.source} {task.item.title}"
    if task.progress is None:
        return title
    progress = f"{task.progress.closed}/{task.progress.total}"
    return message("fmt.paren", lang, text=title, inner=progress)


def _phase_title(phase: Phase, lang: str) -> str:
    """5.1 动员部署阶段（2022年9月底前）; without its window in words when the plan gives none."""
    title = f"{phase.number} {phase.name}"
    if not phase.window_text:
        return title
    return message("fmt.paren", lang, text=title, inner=phase.window_text)


def _by_phase(plan: Plan, leaves: Sequence[ItemState], lang: str) -> _Groups:
    groups: list[tuple[str, list[ItemState]]] = []
    for key, phase in plan.phases.items():
        members = [state for state in leaves if state.item.phase == key]
        if members:
            groups.append((_phase_title(phase, lang), members))
    rest = [state for state in leaves if state.item.phase is None]
    if rest:
        groups.append((message("md.no_phase", lang), rest))
    return [(message("md.by_phase", lang), groups)] if groups else []


def _md_line(plan: Plan, state: ItemState, lang: str) -> str:
    item = state.item
    box = "[ ]" if state.status.is_open else "[x]"
    from xixin_cli.render import due_text  # one home: marked only when the day is an extension's

    due = due_text(state, lang)
    parts = [
        _field("col.offices", join(plan.office_names(item), lang), lang),
        _field("col.due", due, lang),
        _field("col.status", status_label(state.status.value, lang), lang),
    ]
    if state.last is not None and state.last.note:
        parts.append(_field("md.latest", state.last.note, lang))
    title = md_escape(item.title)
    if state.status is Status.DROPPED:
        title = f"~~{title}~~"
    return f"- {box} **{md_escape(item.id)}** {title} — " + sep("bar", lang).join(
        md_escape(p) for p in parts
    )


def _field(label_code: str, value: str, lang: str) -> str:
    """「责任单位：乡民政办」 / "offices: 乡民政办"."""
    return message("fmt.field", lang, label=message(label_code, lang), value=value)


def records(plan: Plan, item_states: Iterable[ItemState]) -> list[dict[str, Any]]:
    """Item objects for a JSON list."""
    return [item_record(plan, state) for state in item_states]


# -- CSV ------------------------------------------------------------------------------------------

#: Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, as something
#: other than text) when they come first.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(
    plan: Plan,
    item_states: dict[str, ItemState],
    lang: str,
    today: date,
    where: Filter = EVERYTHING,
) -> str:
    """The leaves `where` keeps as CSV for Excel: UTF-8 with BOM, one row per item."""
    import csv
    import io

    from xixin_cli.i18n import label

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([message(f"csv.{key}", lang) for key in CSV_COLUMNS])
    for state in leaves(plan, item_states, where):
        item = state.item
        phase = plan.phases[item.phase].name if item.phase is not None else ""
        late = (today - state.due).days if state.due is not None and state.status.is_open else 0
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    item.id,
                    item.parent or "",
                    item.title,
                    join(plan.office_names(item), lang),
                    phase,
                    state.due.isoformat() if state.due is not None else message("standing", lang),
                    item.due.isoformat() if item.due is not None else "",
                    label("basis", item.due_basis.value, lang),
                    status_label(state.status.value, lang),
                    state.status.value,
                    state.last.note if state.last is not None else "",
                    len(state.evidence),
                    max(late, 0),
                    item.source,
                )
            ]
        )
    return "\ufeff" + out.getvalue()


CSV_COLUMNS = (
    "id",
    "parent",
    "title",
    "offices",
    "phase",
    "due",
    "original_due",
    "basis",
    "status",
    "status_code",
    "note",
    "evidence",
    "days_overdue",
    "source",
)


# -- iCalendar ------------------------------------------------------------------------------------


def ics_text(
    plan: Plan,
    item_states: dict[str, ItemState],
    lang: str,
    stamp: datetime,
    where: Filter = EVERYTHING,
    remind_days: int = 3,
) -> str:
    """Each dated leaf `where` keeps as an all-day event on its due date, with a reminder
    `remind_days` before (RFC 5545); a leaf whose open parts owe different days (an extension
    moved one unit's) has an event for each day, of the units that owe it (`by_due`)."""
    from datetime import timedelta, timezone

    from xixin_cli import __version__

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//xixin//xixin {__version__}//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_escape(plan.document.number + ' ' + plan.document.title)}",
    ]
    utc = stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    domain = f"{_crc(plan.document.number):08x}.xixin"
    from xixin_cli.schedule import by_due

    for state in by_due(leaves(plan, item_states, where)):
        if state.due is None:
            continue
        item = state.item
        summary, uid = f"{item.id} {item.title}", item.id
        whole = plan.get(item.id)
        if whole is not None and item.offices != whole.offices:  # some units' day: named
            names = join(plan.office_names(item), lang)
            summary = f"{item.id}{message('part_mark', lang, office=names)} {item.title}"
            uid = f"{item.id}/{'+'.join(item.offices)}"
        description = "\n".join(
            [
                _field("col.offices", join(plan.office_names(item), lang), lang),
                _field("field.source", f"{plan.document.number} {item.source}", lang),
                _field("col.status", status_label(state.status.value, lang), lang),
            ]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_escape(uid)}@{domain}",
            f"DTSTAMP:{utc}",
            f"DTSTART;VALUE=DATE:{state.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{state.due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_escape(summary)}",
            f"DESCRIPTION:{_ics_escape(description)}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_ics_escape(summary)}",
            f"TRIGGER:-P{remind_days}D",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


def _crc(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8"))


def _ics_escape(text: str) -> str:
    # RFC 5545 TEXT takes no control character but tab: a CR, VT or FF from a note is written
    # as a visible escape (\x0b), which strict parsers accept and a reader can still see.
    from xixin_cli.terminal import clean

    text = clean(text.replace("\r\n", "\n"))
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
