"""Rich views of the plan and the queries. Each returns a renderable or text; none prints."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from xixin_cli.fold import ItemState, leaf_state
from xixin_cli.i18n import join, label, message, sep, status_label
from xixin_cli.model import DueBasis, Event, EventKind, Item, Phase, Plan, Status, short_name
from xixin_cli.schedule import Digest, DueRow, PhaseMark
from xixin_cli.terminal import clean  # plan and log text is measured as it will be shown

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

    from xixin_cli.board import Board
    from xixin_cli.schedule import Tally
    from xixin_cli.wrap import Wrapped

STATUS_STYLES = {
    Status.TODO: "",
    Status.DOING: "cyan",
    Status.BLOCKED: "magenta",
    Status.DONE: "green",
    Status.CLOSED: "bold green",
    Status.DROPPED: "dim",
}


def offices_text(plan: Plan, item: Item, lang: str) -> str:
    """The item's units for a table cell; every unit at once reads as one phrase."""
    if len(item.offices) > 1 and set(item.offices) == set(plan.offices):
        return message("all_offices", lang)
    return join((short_name(name) for name in plan.named_units(item)), lang)


def offices_cell(plan: Plan, item: Item, lang: str) -> Wrapped:
    """The item's units as a cell that breaks only between units (after 、), never in one.
    (Kept per list of units of the last plan asked about: a county's 5,000 items have a few
    hundred lists.)"""
    if _cells_of[0] is not plan:
        _cells_of[:] = [plan, {}]
    known = _cells_of[1]
    assert isinstance(known, dict)
    key = (item.offices, lang)
    found = known.get(key)
    if found is None:
        found = known[key] = _offices_cell(plan, item, lang)
    return found


_cells_of: list[object] = [None, {}]


def _offices_cell(plan: Plan, item: Item, lang: str) -> Wrapped:
    from xixin_cli.wrap import Wrapped, list_breaks

    if len(item.offices) > 1 and set(item.offices) == set(plan.offices):
        return Wrapped(message("all_offices", lang), shared=True)
    names = (short_name(name) for name in plan.named_units(item))
    text, offsets = list_breaks(names, sep("list", lang))
    key = (text, tuple(offsets))
    found = _unit_cells.get(key)
    if found is None:  # one cell for each list of units: its lines are cut once per width
        if len(_unit_cells) > 10_000:
            _unit_cells.clear()
        found = _unit_cells[key] = Wrapped(text, offsets=offsets, shared=True)
    return found


_unit_cells: dict[tuple[str, tuple[int, ...]], Wrapped] = {}


def unit_words(plan: Plan) -> tuple[str, ...]:
    """The units' names, full and short, and the statuses' Chinese names: a cell never breaks
    inside one. (Kept for the last plan asked about: a table asks once per cell.)"""
    if _words[0] is not plan:
        names = [office.name for office in plan.offices.values()]
        statuses = [status_label(status.value, "zh") for status in Status]
        _words[:] = [plan, tuple(names + [short_name(name) for name in names] + statuses)]
    found = _words[1]
    assert isinstance(found, tuple)
    return found


_words: list[object] = [None, ()]


def cell(text: str | Text, plan: Plan, *, hang: int = 0, style: str = "") -> Wrapped:
    """Plan or log text as a cell that wraps the Chinese way (`wrap.py`)."""
    from xixin_cli.wrap import Wrapped

    return Wrapped(
        clean(text) if isinstance(text, str) else text,
        words=unit_words(plan),
        hang=hang,
        style=style,
    )


def unit_label(row: Tally) -> str:
    """A unit's name in a table of units: a group's member (a village) indented under it."""
    return f"  {row.name}" if row.group is not None else row.name


def due_text(state: ItemState, lang: str) -> str:
    """The current due date (marked when extended), the rule of a recurring item (每月25日),
    or 常态化 for standing work."""
    if state.due is None:
        if state.item.due_basis is DueBasis.RECURRING:
            return state.item.due_text
        return message("standing", lang)
    # Marked when the day shown is an extension's (not when another unit's part was moved).
    extensions = [p.extension for p in state.parts] if state.parts else [state.extension]
    moved = any(e is not None and e.due == state.due for e in extensions)
    return state.due.isoformat() + (message("extended_mark", lang) if moved else "")


def status_text(state: ItemState, lang: str) -> str:
    """The status label, with leaf progress for items that have children."""
    text = status_label(state.status.value, lang)
    if state.progress is not None:
        text += " " + message(
            "progress", lang, closed=state.progress.closed, total=state.progress.total
        )
    return text


def caption(plan: Plan, lang: str, today: date | None = None) -> str:
    """Which plan a table shows, and as of which day."""
    text = message(
        "plan_caption", lang, number=plan.document.number, title=plan.document.title, path=plan.path
    )
    if today is not None:
        text += sep("bar", lang) + message("as_of", lang, date=today.isoformat())
    return text


def _table(title: str, cap: str, *, expand: bool = True) -> Table:
    """A table in the house style; `expand` lets the text columns share the terminal's width."""
    from rich import box

    from xixin_cli.wrap import FittedTable

    return FittedTable(
        title=title,
        caption=cap,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        expand=expand,
        show_lines=False,
        pad_edge=False,
    )


def _settled(table: Table) -> Table:
    """The table with each one-line (no_wrap) column given the width of its widest cell.

    That is the width rich measures for such a column, so the output is the same; but rich then
    skips measuring every cell of it on each print, a quarter of a 20-row table's rendering
    time. Columns that wrap are left for rich to share out.
    """
    from rich.text import Text

    from xixin_cli.wrap import cells as width

    for column in table.columns:
        if not column.no_wrap or column.width is not None:
            continue
        cells = [*([column.header] if table.show_header else []), *column.cells]
        if table.show_footer:
            cells.append(column.footer)
        texts = {cell.plain if isinstance(cell, Text) else cell for cell in cells}
        if all(isinstance(text, str) for text in texts):  # each distinct one measured once
            column.width = max(
                (width(line) for text in texts for line in str(text).split("\n")), default=0
            )
    return table


def _adder(table: Table) -> Callable[..., None]:
    """`table.add_row` for rows of a cell for each column, each a str, a Text or a Wrapped
    (what rich's add_row checks of every cell: a county's table has 100,000)."""
    from rich.table import Row

    if not all(isinstance(getattr(c, "_cells", None), list) for c in table.columns):
        return table.add_row  # a rich that keeps its cells otherwise: its own way, slower
    cells = [column._cells for column in table.columns]
    rows = table.rows

    def add(*row: object) -> None:
        for column, each in zip(cells, row, strict=True):
            column.append(each)  # type: ignore[arg-type]
        rows.append(Row())

    return add


def checklist_table(plan: Plan, item_states: Sequence[ItemState], lang: str) -> Table:
    """The checklist: the task/action tree as rows, with units, due date and status."""
    table = _table(message("title.list", lang), caption(plan, lang))
    table.add_column(message("col.id", lang), no_wrap=True)
    table.add_column(message("col.title", lang), ratio=3, overflow="fold")
    table.add_column(message("col.offices", lang), ratio=2, overflow="fold")
    table.add_column(message("col.due", lang), no_wrap=True)
    table.add_column(message("col.status", lang), no_wrap=True)
    styled = _styled()
    add_row = _adder(table)
    for state in item_states:
        item = state.item
        depth = _depth(plan, item)
        title = "  " * depth + item.title
        add_row(
            item.id,
            cell(title, plan, hang=2 * depth, style="bold" if depth == 0 else ""),
            offices_cell(plan, item, lang),
            due_text(state, lang),
            styled(status_text(state, lang), STATUS_STYLES[state.status]),
        )
    return _settled(table)


def _styled() -> Callable[[str, str], Text]:
    """A maker of one-line Text cells that gives the same object for the same words and style:
    a county's table has 20,000 statuses and day counts, and a few hundred distinct ones (a
    table reads its cells, never changes them)."""
    from rich.text import Text

    made: dict[tuple[str, str], Text] = {}

    def styled(text: str, style: str) -> Text:
        found = made.get((text, style))
        if found is None:
            found = made[text, style] = Text(text, style=style)
        return found

    return styled


def _depth(plan: Plan, item: Item) -> int:
    depth = 0
    parent = item.parent
    while parent is not None:
        depth += 1
        found = plan.get(parent)
        parent = found.parent if found is not None else None
    return depth


def item_view(
    plan: Plan, state: ItemState, lang: str, seen_by: Sequence[str] = ()
) -> RenderableType:
    """One item whole: its text, units, dates and their basis, source, status, last change and
    each unit's part; as the units `seen_by` see it, marked so in its title."""
    from rich.table import Table

    item = state.item
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(key: str, value: str) -> None:
        if value:
            grid.add_row(message(key, lang), cell(value, plan))

    row("field.kind", label("kind", item.kind.value, lang))
    if item.parent is not None:
        parent = plan.get(item.parent)
        row("field.parent", f"{item.parent} {parent.title if parent else ''}")
    row("field.text", item.text)
    row("field.source", f"{plan.document.number} {item.source}")
    row("field.offices", join(plan.office_names(item), lang))
    row("field.offices_text", item.offices_text)
    if item.phase is not None:
        phase = plan.phases[item.phase]
        inner = phase.window_text or _span(phase)
        row(
            "field.phase",
            message("fmt.paren", lang, text=f"{phase.number} {phase.name}", inner=inner),
        )
    row("field.due", due_text(state, lang))
    row("field.extension", "\n".join(_extension_lines(plan, state, lang)))
    if state.evidence:
        row(
            "field.evidence",
            "\n".join(
                message(
                    "fmt.evidence",
                    lang,
                    path=e.path,
                    size=e.size,
                    sha=e.sha256[:12],
                    date=happened(e, lang),
                )
                for e in state.evidence
            ),
        )
    basis = label("basis", item.due_basis.value, lang)
    if item.due_text:
        basis = message("fmt.basis", lang, basis=basis, words=item.due_text)
    row("field.due_basis", basis)
    row("field.note", item.note)
    row("field.status", status_text(state, lang))
    children = plan.children(item.id)
    if children:
        row("field.children", join(children, lang))
    if state.last is not None:
        row("field.last", _event_line(state.last, lang))
    if len(state.parts) > 1:
        grid.add_row(message("field.parts", lang), _parts_grid(plan, state, lang))
    told = [
        (part.office, feedback_text(part.last, lang))
        for part in state.parts
        if part.last is not None
    ]
    row(
        "field.feedback",
        "\n".join(
            f"{plan.offices[key].name}：{text}" if key in plan.offices else text
            for key, text in told
            if text
        ),
    )
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    # A Text title: Panel reads a str title as markup, and the title is the plan's words.
    title = f"{item.id} {item.title}"
    if seen_by:  # after the id: a long title is cut at its end, never the units
        names = [plan.unit_name(key) for key in seen_by]
        title = item.id + message("part_mark", lang, office=join(names, lang)) + " " + item.title
    panel = Panel(grid, title=Text(clean(title)), title_align="left")
    return Group(panel, Text(caption(plan, lang), style="dim"))


def _extension_lines(plan: Plan, state: ItemState, lang: str) -> list[str]:
    """Each approved extension that stands: whose part it moved (when not every part's), to
    which day, from which, when, by whom and why. One record for several parts shows once."""
    item = state.item
    original = item.due.isoformat() if item.due is not None else message("standing", lang)
    standing: list[tuple[Event, list[str]]] = []
    if not state.parts:  # a task: its own extension
        standing = [(state.extension, [])] if state.extension is not None else []
    else:
        moved: dict[str, tuple[Event, list[str]]] = {}
        for part in state.parts:
            if part.extension is not None:
                moved.setdefault(part.extension.event_id, (part.extension, []))[1].append(
                    part.office
                )
        every = len(state.parts)
        standing = [(e, units if len(units) < every else []) for e, units in moved.values()]
    return [
        message(
            "extension_line",
            lang,
            units=message(
                "extension_units",
                lang,
                units=join([plan.unit_name(unit) for unit in units], lang),
            )
            if units
            else "",
            due=extension.due.isoformat() if extension.due else original,
            original=original,
            at=happened(extension, lang),
            by=extension.by,
            reason=extension.note,
        )
        for extension, units in standing
    ]


def _parts_grid(plan: Plan, state: ItemState, lang: str) -> RenderableType:
    """Each unit's part of a leaf, one line each: unit, status, due date, its latest note."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for part in state.parts:
        note = part.last.note if part.last is not None else ""
        grid.add_row(
            cell(plan.unit_name(part.office), plan),
            Text(status_label(part.status.value, lang), style=STATUS_STYLES[part.status]),
            due_text(leaf_state(state.item, [part]), lang),  # the part's day, as any view says it
            cell(note, plan),
        )
    return grid


def feedback_text(event: Event, lang: str) -> str:
    """A unit's own report on a change (from its returned form): progress, problems, next."""
    said = (("progress", event.progress), ("problems", event.problems), ("next", event.next))
    return sep("semicolon", lang).join(
        message(f"feedback.{key}", lang, text=" ".join(text.split())) for key, text in said if text
    )


def _span(phase: Phase) -> str:
    return f"{phase.start} — {phase.end}"


def _event_line(event: Event, lang: str) -> str:
    change = (
        f"{status_label(event.previous.value, lang)} → {status_label(event.status.value, lang)}"
    )
    text = f"{happened(event, lang, clock=True)} {event.by} {change}"
    return text + (sep("bar", lang) + event.note if event.note else "")


def happened(event: Event, lang: str, clock: bool = False) -> str:
    """When a record says its change happened: its `--on` day, marked as entered later
    (2022-11-25 补记), else the day it was written (and the time, with `clock`)."""
    if event.on is not None:
        return message("history.on", lang, on=event.on.isoformat(), at=f"{event.at:%m-%d}")
    return f"{event.at:%Y-%m-%d %H:%M}" if clock else f"{event.at:%Y-%m-%d}"


def evidence_table(plan: Plan, item_states: Sequence[ItemState], lang: str) -> Table:
    """Each item's evidence files (by name) beside its units and status."""
    from rich.text import Text

    table = _table(message("col.evidence", lang), caption(plan, lang))
    table.add_column(message("col.id", lang), no_wrap=True)
    table.add_column(message("col.title", lang), ratio=3, overflow="fold")
    table.add_column(message("col.offices", lang), ratio=2, overflow="fold")
    table.add_column(message("col.status", lang), no_wrap=True)
    table.add_column(message("col.evidence", lang), ratio=2, overflow="fold")
    for state in item_states:
        from xixin_cli.wrap import Wrapped, list_breaks

        files = [clean(PurePath(e.path).name) for e in state.evidence]
        names, offsets = list_breaks(files, sep("list", lang))
        table.add_row(
            state.item.id,
            cell(state.item.title, plan),
            offices_cell(plan, state.item, lang),
            Text(status_text(state, lang), style=STATUS_STYLES[state.status]),
            Wrapped(names, offsets=offsets) if files else Text(message("none", lang), style="red"),
        )
    return _settled(table)


def history_table(
    plan: Plan, events: Sequence[Event], lang: str, undone: frozenset[str] = frozenset()
) -> Table:
    """Records, as given (the CLI passes them newest first), each with the start of its id
    (what `undo EVENT` takes); those an undo took back are marked."""
    from rich.text import Text

    from xixin_cli.wrap import Wrapped

    table = _table(message("title.history", lang), caption(plan, lang))
    # At 80 columns every cell of width matters to the title and the note: the time goes under
    # the date with the record id beside it, and the change from → to takes two lines.
    table.add_column(message("col.at_event", lang), no_wrap=True)
    table.add_column(message("col.id", lang), no_wrap=True)
    table.add_column(message("col.title", lang), ratio=3)
    table.add_column(message("col.change", lang), no_wrap=True)
    table.add_column(message("col.by", lang), no_wrap=True, max_width=10)
    table.add_column(message("col.note", lang), ratio=2)
    statuses = tuple(status_label(status.value, lang) for status in Status)
    from xixin_cli.rules import by_command, is_return, shown_ids
    from xixin_cli.wrap import cells

    # A status is never split: English "in progress" is 11 cells
    change_width = max(_CHANGE_WIDTH, *(cells(label) for label in statuses))

    shown = shown_ids(events)
    for event, offices in by_command(events):
        item = plan.get(event.item)
        title = item.title if item else "?"
        if item is not None and "" not in offices and set(offices) != set(item.offices):
            names = plan.part_names(item, offices)
            title += message("part_mark", lang, office=join(names, lang))
        words, note, file = statuses, event.note, ""
        if event.kind is EventKind.EXTEND:
            code = "history.extend" if event.due is not None else "history.extend_withdrawn"
            change = Text(message(code, lang, due=str(event.due)), style="yellow")
            words = (*statuses, str(event.due))  # a date is never split
        elif event.kind is EventKind.EVIDENCE or event.kind is EventKind.DETACH:
            # The file's name goes first in the note's room: the change's 10 cells cut it up.
            code = "history.evidence" if event.kind is EventKind.EVIDENCE else "history.detach"
            change = Text(message(code, lang, name="").strip())
            file = clean(PurePath(event.path).name)
        else:
            change = Text(f"{status_label(event.previous.value, lang)} → ")
            change.append(status_label(event.status.value, lang), style=STATUS_STYLES[event.status])
            if is_return(event):  # 退回: said as `return` says it, the move under it
                sent_back = message("history.return", lang, move="")
                change = Text(sent_back).append_text(change)
                words = (*statuses, sent_back.strip())
        if event.undoes is not None:
            undid = shown.get(event.undoes, event.undoes)
            note = f"[{message('undo_of', lang)} {undid[:6]}] {note}".strip()
        said = event._replace(progress="") if " ".join(event.progress.split()) == note else event
        told = feedback_text(said, lang)  # the note is the progress line: not said twice
        if told and told != note:
            note = sep("semicolon", lang).join(n for n in (note, told) if n)
        if file:
            note = sep("semicolon", lang).join(n for n in (file, note) if n)
        change = Text("\n").join(Wrapped(change, words=words).lines(change_width))
        if event.event_id in undone:
            change.append("\n" + message("report.undone", lang).strip(), style="dim")
        when = happened(event, lang)
        stamp = Text("\n").join(Wrapped(when).lines(_STAMP_WIDTH))  # "2022-11-30, entered later"
        stamp.append(f"\n{event.at:%H:%M} ")
        stamp.append(event.event_id[:6], style="dim")
        table.add_row(
            stamp,
            event.item,
            cell(title, plan),
            change,
            event.by,
            cell(note, plan),
        )
    return _settled(table)


#: The widths a change (未开始 → 进行中, 延期至 2022-12-20) and a day (2022-11-25 补记) are cut
#: to in history.
_CHANGE_WIDTH = 10
_STAMP_WIDTH = 16


def due_table(
    plan: Plan,
    rows: Sequence[DueRow],
    lang: str,
    today: date,
    *,
    late: bool | None,
    until: date | None = None,
    sources: Sequence[tuple[str, Plan]] = (),
    plans: Sequence[tuple[str, Plan]] = (),
) -> Table:
    """Overdue (late=True), upcoming (False) or both (None) rows, with the days late or left,
    in calendar days and in working days (≈ where estimated). With `sources` (rows of several
    plans of a workspace, one per row) a plan column comes first, and an id that several of
    the `plans` have is qualified (minzu:5.3.1)."""
    if late:
        title = message("title.overdue", lang)
    elif late is None:
        title = message("title.attention", lang)
    else:
        end = until or (rows[-1].state.due if rows else today)
        title = message("title.upcoming", lang, start=today.isoformat(), end=str(end))
    table = _table(title, caption(plan, lang, today) if late is not None else "")
    if sources:
        table.caption = message("workspace.caption", lang, date=today.isoformat())
        table.add_column(message("col.plan", lang), no_wrap=True)
        shared = _shared_ids(plans)
    table.add_column(message("col.id", lang), no_wrap=True)
    table.add_column(message("col.title", lang), ratio=3, overflow="fold")
    table.add_column(message("col.offices", lang), ratio=2, overflow="fold")
    table.add_column(message("col.due", lang), no_wrap=True)
    days_column = {True: "col.overdue", False: "col.left", None: "col.when"}[late]
    table.add_column(message(days_column, lang), no_wrap=True, justify="right")
    table.add_column(message("col.workdays", lang), no_wrap=True, justify="right")
    table.add_column(message("col.status", lang), no_wrap=True)
    styled = _styled()
    add_row = _adder(table)
    #: The day counts made so far: a county's late items share a few hundred.
    counts: dict[tuple[int, int, str], Text] = {}
    for n, row in enumerate(rows):
        item = row.state.item
        key = (row.days, row.days_overdue, row.light)
        days = counts.get(key)
        if days is None:
            if row.days < 0:
                late_days = message("days" if late else "days_late", lang, n=row.days_overdue)
                days = styled(late_days, "bold red")
            elif row.days == 0:
                days = styled(message("due_today", lang), "yellow")
            else:
                days = styled(message("days", lang, n=row.days), LIGHT_STYLES[row.light])
            counts[key] = days
        cells: list[RenderableType] = []
        owner = plan
        if sources:
            name, owner = sources[n]
            cells.append(name)
        shown_id = f"{name}:{item.id}" if sources and item.id in shared else item.id
        cells += [
            shown_id,
            cell(item.title, owner),
            offices_cell(owner, item, lang),
            due_text(row.state, lang),
            days,
        ]
        counted = row.workdays
        cells.append(f"{'≈' if counted.estimated else ''}{counted.days}")
        cells.append(styled(status_text(row.state, lang), STATUS_STYLES[row.state.status]))
        add_row(*cells)
    if any(row.workdays.estimated for row in rows):
        table.caption = f"{table.caption}\n{message('workdays_estimated', lang)}"
    return _settled(table)


#: How a due day's distance is coloured by its light (red is drawn as overdue above).
LIGHT_STYLES = {"red": "bold red", "yellow": "yellow", "blue": "blue", "green": ""}


def _shared_ids(plans: Sequence[tuple[str, Plan]]) -> set[str]:
    """The item ids that more than one of the plans has (those a table qualifies)."""
    seen: dict[str, str] = {}
    shared: set[str] = set()
    for name, plan in plans:
        for item in plan.items:
            if seen.setdefault(item.id, name) != name:
                shared.add(item.id)
    return shared


def phase_table(plan: Plan, marks: Sequence[PhaseMark], lang: str) -> Table:
    """Phases that start or end in a window."""
    table = _table(message("title.phases", lang), "", expand=False)
    table.add_column(message("col.due", lang), no_wrap=True)
    table.add_column(message("field.phase", lang))
    for mark in marks:
        key = "phase.start" if mark.edge == "start" else "phase.end"
        table.add_row(mark.day.isoformat(), message(key, lang, name=mark.phase.name))
    return _settled(table)


def digest_view(plan: Plan, result: Digest, lang: str) -> RenderableType:
    """The weekly reminder: counts per unit, each unit's ids by due date, then each item once."""
    from rich.console import Group
    from rich.text import Text

    # The caption goes under the table as a line of its own: this table is only as wide as its
    # numbers, and a caption inside it would wrap to that width (截至 / 2022-11-28).
    counts = _table(message("title.remind", lang), "", expand=False)
    counts.add_column(message("col.office", lang), no_wrap=True)
    counts.add_column(message("col.red", lang), justify="right", style="red")
    counts.add_column(message("col.yellow", lang), justify="right", style="yellow")
    counts.add_column(message("col.green", lang), justify="right", style="green")
    counts.add_column(message("col.blocked", lang), justify="right", style="magenta")
    counts.add_column(message("col.closed", lang), justify="right")
    for office in result.offices:
        counts.add_row(
            unit_label(office),
            str(office.red),
            str(office.yellow),
            str(office.green),
            str(office.blocked),
            str(office.closed),
        )
    # The summary first: on a terminal the reminder is paged, and its first screen says it all.
    parts: list[RenderableType] = [
        cell(Text(summary_line(result, lang), style="bold"), plan),
        Text(""),
        _settled(counts),
        Text(caption(plan, lang, result.today), style="table.caption"),
    ]
    parts.append(_Units(plan, result, lang))
    rows = (*result.overdue, *result.due_soon)
    if rows:
        parts.append(Text(""))
        parts.append(due_table(plan, rows, lang, result.today, late=None))
    parts.append(cell(Text(summary_line(result, lang), style="bold"), plan))
    return Group(*parts)


class _Units:
    """The reminder's part per unit (its heading, then its ids by due date, then its 受阻
    items, one a line), each unit's made as it is printed: a county's reminder lists every
    late item of 30 units, and held at once their lines were 10 MB at 20,000 items."""

    def __init__(self, plan: Plan, result: Digest, lang: str) -> None:
        self.plan, self.result, self.lang = plan, result, lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        from xixin_cli.wrap import Indented, Wrapped

        plan, lang = self.plan, self.lang
        words = unit_words(plan)
        # Without colour codes, and not recorded, a style changes no byte: a unit's lines are
        # made as text, and handed on as one block (`Block`) when each is known to fit.
        plain = (
            console.color_system is None
            and not console.record
            and options.justify in (None, "default")
        )
        lines = _Lines(console, options.max_width)
        for name, groups in _each_office_group(plan, self.result, lang):
            parts: list[RenderableType] = [Text(name, style="bold")]
            for mark, when, ids in groups:
                line = "  " + message("fmt.when", lang, mark=mark, when=when)
                parts.append(Text(line, style=_MARK_STYLES.get(mark, "yellow")))
                if mark == BLOCKED_MARK:  # each with its reason: one a line
                    parts.append(Indented([cell(said, plan, hang=2) for said in ids], 5))
                else:
                    parts.append(Indented([Wrapped(clean(" ".join(ids)), words=words)], 5))
                if plain:  # a group's cells made text at once, not held for the whole unit
                    yield from lines.of(parts)
                else:
                    yield from parts
                parts.clear()
            if plain:
                yield from lines.of(parts)
                yield from lines.rest()
            else:
                yield from parts


class _Lines:
    """What a console without colour prints of a reminder's parts, gathered into blocks of
    text (`Block`): a Text of one line that fits as its text and its end (what rich makes of
    it: no break, no padding), Indented cells as their lines (`Indented.plain`). Anything
    else is handed on as it is, after the lines before it."""

    def __init__(self, console: Console, width: int) -> None:
        self.console, self.width = console, width
        self.found: list[str] = []

    def of(self, parts: list[RenderableType]) -> Iterator[RenderableType | Segment]:
        from rich.text import Text

        from xixin_cli.wrap import Indented, cells

        for part in parts:
            text = None
            if type(part) is Text and not part.spans and part.end == "\n" and not part.justify:
                plain = part.plain
                if plain.isprintable() and cells(plain) <= self.width:
                    text = plain + "\n"
            elif isinstance(part, Indented):
                text = part.plain(self.console, self.width)
            if text is None:
                yield from self.rest()
                yield part
            else:
                self.found.append(text)

    def rest(self) -> Iterator[Segment]:
        """The lines gathered so far, as one block."""
        from rich.segment import Segment

        from xixin_cli.wrap import Block

        if self.found:
            yield Segment(Block("".join(self.found), self.width))
            self.found.clear()


#: The mark of a reminder's line of 受阻 items (a character every Chinese code page has).
BLOCKED_MARK = "◆"
_MARK_STYLES = {"🔴": "red", "🟡": "yellow", BLOCKED_MARK: "magenta"}


_Group = tuple[str, str, list[str]]


def _office_groups(plan: Plan, result: Digest, lang: str) -> list[tuple[str, list[_Group]]]:
    """Per unit with something late or due: a heading, then (mark, when, ids) per due date."""
    return list(_each_office_group(plan, result, lang))


def _each_office_group(plan: Plan, result: Digest, lang: str) -> Iterator[tuple[str, list[_Group]]]:
    for office in result.offices:
        if not office.red and not office.yellow and not office.blocked:
            continue
        counts = message("digest.counts", lang, red=office.red, yellow=office.yellow)
        if office.blocked:
            counts += message("digest.counts_blocked", lang, n=office.blocked)
        name = message("fmt.unit_counts", lang, office=unit_label(office), counts=counts)
        groups: list[_Group] = []
        for mark, rows in (("🔴", office.late), ("🟡", office.soon)):
            by_day: dict[date, list[str]] = {}
            for row in rows:
                assert row.state.due is not None  # only dated items are late or due soon
                by_day.setdefault(row.state.due, []).append(row.state.item.id)
            groups += [(mark, _when(day, result.today, lang), ids) for day, ids in by_day.items()]
        if office.stuck:
            said = [blocked_text(state, lang) for state in office.stuck]
            groups.append((BLOCKED_MARK, message("digest.blocked", lang, n=office.blocked), said))
        yield name, groups


def _when(day: date, today: date, lang: str) -> str:
    days = (day - today).days
    if days < 0:
        return message("digest.late", lang, due=day.isoformat(), n=-days)
    if days == 0:
        return message("digest.today", lang, due=day.isoformat())
    return message("digest.soon", lang, due=day.isoformat(), n=days)


def blocked_text(state: ItemState, lang: str) -> str:
    """A 受阻 item for the reminder: its id, short title and the reason given, when there is one."""
    text = f"{state.item.id} {clean(state.item.title)}"
    from xixin_cli.schedule import blocked_reason

    reason = blocked_reason(state)
    return message("fmt.paren", lang, text=text, inner=clean(reason)) if reason else text


def summary_line(result: Digest, lang: str) -> str:
    """The reminder in one line; "due within" as the plan's yellow warning says."""
    from xixin_cli.schedule import once_each

    rule = result.yellow
    red = once_each(result.overdue)  # items, each once: its parts may owe several days
    counts = {
        "date": result.today.isoformat(),
        "red": len(red),
        "yellow": len(once_each(result.due_soon, red)),
        "open": result.open_total,
        "closed": result.closed_total,
    }
    if not rule.working and rule.days == 7:  # today's rule, said as it always was
        text = message("summary", lang, **counts)
    else:
        kind = "warning.working_days" if rule.working else "warning.days"
        text = message("summary.rule", lang, window=message(kind, lang, n=rule.days), **counts)
    if result.blocked:
        text += message("summary.blocked", lang, n=len(result.blocked))
    return text


def digest_plain(plan: Plan, result: Digest, lang: str) -> str:
    """The reminder as plain text to paste into a chat group: no table lines, no colour."""
    lines = [
        message(
            "fmt.digest_head",
            lang,
            title=message("title.remind", lang),
            number=plan.document.number,
            as_of=message("as_of", lang, date=result.today.isoformat()),
        ),
        summary_line(result, lang),
    ]
    groups = _office_groups(plan, result, lang)
    for name, marks in groups:
        lines += ["", name]
        lines += [
            "  " + message("fmt.when", lang, mark=mark, when=when) + join(ids, lang)
            for mark, when, ids in marks
        ]
    if groups:
        lines += ["", message("digest.items", lang)]
        for row in (*result.overdue, *result.due_soon):
            item = row.state.item
            offices = join(plan.named_units(item), lang)
            lines.append(
                message("fmt.plain_item", lang, id=item.id, title=item.title, offices=offices)
            )
    return "\n".join(lines) + "\n"


def board_view(plan: Plan, result: Board, lang: str) -> RenderableType:
    """The board: per unit (those needing a call first), then per phase."""
    from rich.console import Group

    return Group(
        _board_table(
            plan,
            result.units,
            lang,
            message("board.units", lang),
            caption(plan, lang, result.today),
        ),
        _board_table(plan, result.phases, lang, message("board.phases", lang), ""),
    )


def _board_table(plan: Plan, rows: Sequence[Tally], lang: str, title: str, cap: str) -> Table:
    from rich.progress_bar import ProgressBar
    from rich.table import Table as RichTable

    table = _table(title, cap)
    table.add_column(
        message("col.office", lang) if cap else message("field.phase", lang), no_wrap=True
    )
    table.add_column(message("board.progress", lang), no_wrap=True)
    table.add_column("🔴", justify="right", style="red", no_wrap=True)
    table.add_column("🟡", justify="right", style="yellow", no_wrap=True)
    table.add_column("🟢", justify="right", style="green", no_wrap=True)
    table.add_column(message("col.blocked", lang), justify="right", style="magenta", no_wrap=True)
    table.add_column(message("board.worst", lang), ratio=1)
    for row in rows:
        bar = RichTable.grid(padding=(0, 1))
        # Progress in blue: red and green are the lights' colours, and pink reads as red.
        bar.add_row(
            ProgressBar(
                total=row.total,
                completed=row.closed,
                width=10,
                complete_style="blue",
                finished_style="blue",
            ),
            f"{row.closed}/{row.total}",
        )
        table.add_row(
            unit_label(row),
            bar,
            str(row.red),
            str(row.yellow),
            str(row.green),
            str(row.blocked),
            cell(worst_text(row, lang), plan, style="red" if row.red else ""),
        )
    return _settled(table)


def worst_text(row: Tally, lang: str) -> str:
    """The item that most needs a call, with how late it is or how long is left."""
    if row.worst is None:
        return ""
    item = row.worst.state.item
    if row.worst.days < 0:
        when = message("days_late", lang, n=row.worst.days_overdue)
    elif row.worst.days == 0:
        when = message("due_today", lang)
    else:
        when = message("days_left", lang, n=row.worst.days)
    return message("fmt.worst", lang, id=item.id, when=when, title=item.title)
