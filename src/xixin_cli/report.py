"""The weekly report (周报) and the self-check report (自查报告), as markdown or plain text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from xixin_cli.fold import ItemState, happened_on, order_key
from xixin_cli.i18n import formatter, join, message, sep, status_label
from xixin_cli.model import Event, EventKind, Item, ItemKind, Plan, Status
from xixin_cli.schedule import (
    EVERYTHING,
    FINISHED,
    WARNING_DAYS,
    DueRow,
    Filter,
    completion,
    due_rows,
    leaves,
    own_parts,
)
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.log_index import Query
    from xixin_cli.workdays import Calendar


class Block(NamedTuple):
    """A piece of a report: a heading (h1-h3), a bullet, a paragraph or a table."""

    kind: str  # h1 h2 h3, item (a bullet), open/done (a checklist line), para, table
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # for a table: the header row first


# -- the weekly report --------------------------------------------------------------------------


def week_start(today: date) -> date:
    """The first day of the week a weekly report ending `today` covers."""
    return today - timedelta(days=6)


def weekly_query(today: date) -> Query:
    """What the weekly report reads of the log: the changes that happened in its week, and the
    undos up to its end (to mark the changes taken back), through the log's index."""
    from xixin_cli.log_index import happened_between

    return happened_between(week_start(today), today)


def weekly(
    plan: Plan,
    item_states: dict[str, ItemState],
    events: Sequence[Event],
    lang: str,
    today: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
) -> list[Block]:
    """The week ending `today`: its changes (by the day each happened; a change taken back
    with `undo` is marked so, and the revert itself is no progress), what is overdue and next
    week's deadlines, per unit."""
    from xixin_cli.rules import by_command, touches, undone_ids

    start = week_start(today)
    kept_states = leaves(plan, item_states, where)
    kept = {state.item.id for state in kept_states}
    undone = undone_ids(events)
    # a unit's report: its own parts' changes, not another unit's on an item they share
    unit_keys = sorted(where.units_of_office)
    days = {}  # the day each change of the week happened (each asked once: a week has 10,000)
    for e in events:
        if e.undoes is not None or e.item not in kept:
            continue
        if unit_keys and not any(touches(plan, unit, e.office) for unit in unit_keys):
            continue
        day = happened_on(e)
        if start <= day <= today:
            days[e.event_id] = day
    changes = sorted((e for e in events if e.event_id in days), key=order_key)
    blocks = [
        Block(
            "h1",
            message(
                "report.weekly_title",
                lang,
                number=plan.document.number,
                start=start.isoformat(),
                end=today.isoformat(),
            ),
        ),
        Block("h2", message("report.changes", lang)),
    ]
    line_of = _change_lines(plan, lang)
    taken_back = message("report.undone", lang)
    for event, offices in by_command(changes):
        line = line_of(event, offices, days[event.event_id])
        if event.event_id in undone:
            line += taken_back
        blocks.append(Block("item", line))
    if not changes:
        blocks.append(Block("para", message("report.no_changes", lang)))
    blocks.append(Block("h2", message("report.overdue", lang)))
    units = own_parts(plan, kept_states, where)
    blocks += _per_office(plan, units, lang, today, calendar, lambda due: due < today)
    next_week = today + timedelta(days=WARNING_DAYS)
    blocks.append(
        Block(
            "h2",
            message(
                "report.next_week",
                lang,
                start=(today + timedelta(days=1)).isoformat(),
                end=next_week.isoformat(),
            ),
        )
    )
    blocks += _per_office(plan, units, lang, today, calendar, lambda due: today < due <= next_week)
    blocks.append(Block("h2", message("report.by_office", lang)))
    blocks.append(_office_table(plan, item_states, lang, today, where, (kept_states, units)))
    return blocks


def _change_lines(plan: Plan, lang: str) -> Callable[[Event, Sequence[str], date], str]:
    """The line of the week's list for one change (a command's first record, the units it
    was for, the day it happened), with what every line shares looked up once: a week at
    county scale has 10,000 changes."""
    from xixin_cli.rules import is_return

    labels = {status: status_label(status.value, lang) for status in Status}
    change, note_of = formatter("fmt.change", lang), formatter("fmt.note", lang)
    days: dict[date, str] = {}
    titles: dict[tuple[str, tuple[str, ...]], str] = {}  # (item, its units named) -> title
    moves: dict[tuple[Status, Status], str] = {}  # (from, to) -> "未开始 → 进行中"

    def title_of(item_id: str, offices: Sequence[str]) -> str:
        item = plan.get(item_id)
        title = item.title if item else ""
        if item is not None and set(offices) != set(item.offices) and "" not in offices:
            names = plan.part_names(item, offices)
            title += message("part_mark", lang, office=join(names, lang))
        return title

    def line_of(event: Event, offices: Sequence[str], day: date) -> str:
        named = (event.item, tuple(offices))
        title = titles.get(named)
        if title is None:
            title = titles[named] = title_of(*named)
        if event.kind is EventKind.EXTEND:
            what = message("history.extend", lang, due=str(event.due or "—"))
        elif event.kind in (EventKind.EVIDENCE, EventKind.DETACH):
            from pathlib import PurePath

            code = "history.evidence" if event.kind is EventKind.EVIDENCE else "history.detach"
            what = message(code, lang, name=PurePath(event.path).name)
        else:
            move = (event.previous, event.status)
            what = moves.get(move) or moves.setdefault(
                move, f"{labels[event.previous]} → {labels[event.status]}"
            )
            if is_return(event):  # 退回: said as `return` says it
                what = message("history.return", lang, move=what)
        at = days.get(day)
        if at is None:
            at = days[day] = f"{day:%m-%d}"
        return change(
            at=at,
            by=event.by,
            item=event.item,
            title=title,
            what=what,
            note=note_of(note=event.note) if event.note else "",
        )

    return line_of


def _per_office(
    plan: Plan,
    units: dict[str, list[ItemState]],
    lang: str,
    today: date,
    calendar: Calendar,
    keep: Callable[[date], bool],
) -> list[Block]:
    """Each unit's own open parts due on the days `keep` says, as a heading and a line each."""
    blocks: list[Block] = []
    line_of = _due_lines(lang)
    for key, states in units.items():
        mine = due_rows(states, today, calendar, keep)
        if mine:
            name = plan.offices[key].name
            blocks.append(
                Block("h3", message("report.office_count", lang, office=name, n=len(mine)))
            )
            blocks += [Block("item", line_of(row)) for row in mine]
    return blocks or [Block("para", message("none", lang))]


def _due_lines(lang: str) -> Callable[[DueRow], str]:
    """The line of a unit's list for one of its parts due (overdue, or due next week), with
    the words every line shares looked up once."""
    line, late = formatter("fmt.due_line", lang), formatter("days_late", lang)
    left: dict[int, str] = {}  # "剩余 N 天", for each N met
    today, due_label = message("due_today", lang), message("col.due", lang)

    def line_of(row: DueRow) -> str:
        item = row.state.item
        if row.days < 0:
            when = late(n=row.days_overdue)
        elif row.days == 0:
            when = today
        else:
            when = left.get(row.days) or left.setdefault(
                row.days, message("days_left", lang, n=row.days)
            )
        return line(id=item.id, title=item.title, label=due_label, due=row.state.due, when=when)

    return line_of


def _office_table(
    plan: Plan,
    item_states: dict[str, ItemState],
    lang: str,
    today: date,
    where: Filter,
    known: tuple[Sequence[ItemState], dict[str, list[ItemState]]] | None = None,
) -> Block:
    """Per unit, its own parts: done of those that count, the rate, how many are overdue.
    `known`: the kept leaves and their units' parts (`own_parts`), when already made."""
    header = tuple(
        message(f"report.col_{key}", lang) for key in ("office", "done", "counted", "rate", "late")
    )
    rows = [header]
    kept = leaves(plan, item_states, where) if known is None else known[0]
    units = own_parts(plan, kept, where) if known is None else known[1]

    def late(states: Sequence[ItemState]) -> int:
        return sum(1 for s in states if s.status.is_open and s.due is not None and s.due < today)

    for key, mine in units.items():
        done, counted = completion(mine)
        rows.append(
            (plan.offices[key].name, str(done), str(counted), _rate(done, counted), str(late(mine)))
        )
    done, counted = completion(kept)
    rows.append(
        (
            message("report.total", lang),
            str(done),
            str(counted),
            _rate(done, counted),
            str(late(kept)),
        )
    )
    return Block("table", rows=tuple(rows))


def _rate(done: int, counted: int) -> str:
    return f"{100 * done / counted:.1f}%" if counted else "—"


# -- the self-check report ----------------------------------------------------------------------


def self_check(
    plan: Plan,
    item_states: dict[str, ItemState],
    lang: str,
    today: date,
    where: Filter = EVERYTHING,
) -> list[Block]:
    """Per task and action: status, latest note, what is missing; completion overall and per
    unit. Ready to edit and send to the county (报县创建办)."""
    kept = leaves(plan, item_states, where)
    done, counted = completion(kept)
    blocks = [
        Block(
            "h1",
            message(
                "report.self_check_title", lang, number=plan.document.number, date=today.isoformat()
            ),
        ),
        Block(
            "para",
            message("report.overall", lang, done=done, counted=counted, rate=_rate(done, counted)),
        ),
        Block("h2", message("report.by_office", lang)),
        _office_table(plan, item_states, lang, today, where),
        Block("h2", message("report.items", lang)),
    ]
    kept_ids = {state.item.id for state in kept}
    current = None
    for state in item_states.values():
        item = state.item
        if item.id not in kept_ids:
            continue
        heading = _section(plan, item, item_states, lang)
        if heading != current:
            blocks.append(Block("h3", heading))
            current = heading
        blocks.append(
            Block("open" if state.status.is_open else "done", _check_line(state, lang, today))
        )
    problems = _missing(kept, lang, today)
    blocks.append(Block("h2", message("report.problems", lang)))
    blocks += [Block("item", line) for line in problems] or [Block("para", message("none", lang))]
    return blocks


def _section(plan: Plan, item: Item, item_states: dict[str, ItemState], lang: str) -> str:
    if item.parent is not None:
        from xixin_cli.export import task_heading

        return task_heading(item_states[item.parent], lang)
    if item.kind is ItemKind.STEP and item.phase is not None:
        phase = plan.phases[item.phase]
        return f"{message('md.steps', lang)}·{phase.number} {phase.name}"
    return message("md.measures", lang) if item.kind is ItemKind.MEASURE else item.source


def _check_line(state: ItemState, lang: str, today: date) -> str:
    item = state.item
    parts = [
        message(
            "fmt.item_status",
            lang,
            id=item.id,
            title=item.title,
            status=status_label(state.status.value, lang),
        )
    ]
    if state.last is not None and state.last.note:
        parts.append(message("report.note", lang, note=state.last.note))
    if state.extension is not None:
        parts.append(
            message("report.extended", lang, due=str(state.due), reason=state.extension.note)
        )
    if state.evidence:
        parts.append(message("report.evidence", lang, n=len(state.evidence)))
    missing = _what_is_missing(state, today, lang)
    if missing:
        parts.append(message("report.missing", lang, what=missing))
    return sep("semicolon", lang).join(parts)


def _what_is_missing(state: ItemState, today: date, lang: str) -> str:
    if state.status is Status.DROPPED:
        return ""
    if state.status.is_open:
        if state.due is not None and state.due < today:
            return message("report.missing_late", lang, due=state.due.isoformat())
        return message("report.missing_open", lang)
    return "" if state.evidence else message("report.missing_evidence", lang)


def _missing(kept: Sequence[ItemState], lang: str, today: date) -> list[str]:
    late = [s.item.id for s in kept if s.status.is_open and s.due is not None and s.due < today]
    bare = [s.item.id for s in kept if s.status in FINISHED and not s.evidence]
    stuck = [_blocked(s, lang) for s in kept if s.status is Status.BLOCKED]
    lines = []
    if late:
        lines.append(message("report.problem_late", lang, n=len(late), ids=join(late, lang)))
    if stuck:
        lines.append(message("report.problem_blocked", lang, n=len(stuck), ids=join(stuck, lang)))
    if bare:
        lines.append(message("report.problem_bare", lang, n=len(bare), ids=join(bare, lang)))
    return lines


def _blocked(state: ItemState, lang: str) -> str:
    """A 受阻 item: its id, and the reason recorded with the block when there is one."""
    from xixin_cli.schedule import blocked_reason

    reason = blocked_reason(state)
    return message("fmt.paren", lang, text=state.item.id, inner=reason) if reason else state.item.id


# -- rendering -------------------------------------------------------------------------------------


def to_markdown(blocks: Sequence[Block]) -> str:
    """The report as markdown."""
    from xixin_cli.export import md_escape

    out: list[str] = []
    marks = {"h1": "# ", "h2": "## ", "h3": "### "}
    for block in blocks:
        if block.kind in marks:
            out += ["", marks[block.kind] + md_escape(block.text), ""]
        elif block.kind == "item":
            out.append(f"- {md_escape(block.text)}")
        elif block.kind in ("open", "done"):
            box = "[x]" if block.kind == "done" else "[ ]"
            out.append(f"- {box} {md_escape(block.text)}")
        elif block.kind == "para":
            out += [md_escape(block.text), ""]
        else:
            header, *rows = block.rows
            out.append("| " + " | ".join(md_escape(c) for c in header) + " |")
            out.append("|" + "---|" * len(header))
            out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
            out.append("")
    return _text_of(_squeeze(out))


def to_text(blocks: Sequence[Block], lang: str) -> str:
    """The report as plain text, for a message or a word processor."""
    from rich.cells import cell_len

    out: list[str] = []
    for block in blocks:
        if block.kind == "h1":
            out += [block.text, ""]
        elif block.kind == "h2":
            out += ["", message("fmt.heading", lang, text=block.text)]
        elif block.kind == "h3":
            out.append(f"■ {block.text}")
        elif block.kind in ("item", "open", "done"):
            out.append(("  ✓ " if block.kind == "done" else "  · ") + block.text)
        elif block.kind == "para":
            out.append(block.text)
        else:
            widths = [
                max(cell_len(row[i]) for row in block.rows) for i in range(len(block.rows[0]))
            ]
            for row in block.rows:
                out.append(
                    "  ".join(
                        cell + " " * (w - cell_len(cell))
                        for cell, w in zip(row, widths, strict=True)
                    ).rstrip()
                )
    return _text_of(_squeeze(out))


def _text_of(lines: list[str]) -> str:
    """The lines as one text, stripped of blanks at either end, ending in a newline: what
    `"\\n".join(lines).strip() + "\\n"` gives, without making the whole text three times (a
    county's weekly report is 2 MB of text, 6 MB as a str: its copies were the peak).
    (Blank: what `str.isspace` says, as `strip` strips.)"""
    first, last = 0, len(lines)
    while first < last and not lines[first].strip():
        first += 1
    while last > first and not lines[last - 1].strip():
        last -= 1
    if first == last:
        return "\n"
    kept = lines[first:last]
    kept[0] = kept[0].lstrip()
    kept[-1] = kept[-1].rstrip()
    kept.append("")
    return "\n".join(kept)


def _squeeze(lines: list[str]) -> list[str]:
    """No two blank lines in a row."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return out
