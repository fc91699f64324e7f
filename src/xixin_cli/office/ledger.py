"""台账: the ledger in Excel, one row per part (item, responsible unit), 红黄绿 filled, and a
summary sheet per unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from xixin_cli.i18n import message, status_label
from xixin_cli.model import Event, Plan, Status
from xixin_cli.schedule import WARNING_DAYS, Filter

if TYPE_CHECKING:
    from xixin_cli.fold import ItemState
    from xixin_cli.workdays import Calendar

#: The fills of the three lights, as Excel's own "bad / neutral / good" cell styles colour them.
FILLS = {"red": "FFFFC7CE", "yellow": "FFFFEB9C", "green": "FFC6EFCE", "none": "FFEDEDED"}
#: (message code, width in characters) of the ledger's columns.
COLUMNS = (
    ("form.col_id", 9),
    ("form.col_title", 34),
    ("ledger.col_office", 12),
    ("ledger.col_phase", 12),
    ("form.col_due", 12),
    ("ledger.col_status", 9),
    ("ledger.col_light", 7),
    ("ledger.col_late", 9),
    ("form.col_progress", 30),
    ("form.col_problems", 24),
    ("form.col_next", 24),
    ("ledger.col_updated", 12),
    ("ledger.col_by", 10),
    ("ledger.col_evidence", 9),
)


def light(state: ItemState, today: date, last_day: date | None = None) -> str:
    """A part's light: red overdue, yellow due within the warning window (up to `last_day`:
    the plan's yellow warning, else 7 days), green on track or done; none for a part that
    does not apply (不适用)."""
    if state.status is Status.DROPPED:
        return "none"
    if state.status.is_open and state.due is not None:
        if state.due < today:
            return "red"
        if state.due <= (last_day or today + timedelta(days=WARNING_DAYS)):
            return "yellow"
    return "green"


def _feedback(status: Status, last: Event | None) -> tuple[str, str, str]:
    """A part's 进展情况, 存在问题 and 下一步措施: what its unit's returned form said, else
    its latest note, as 存在问题 when the part is blocked (the reason given with the block)
    and as 进展情况 otherwise."""
    if last is None:
        return "", "", ""
    if last.progress or last.problems or last.next:
        return last.progress, last.problems, last.next
    if status is Status.BLOCKED:
        return "", last.note, ""
    return last.note, "", ""


def ledger_bytes(
    plan: Plan,
    leaves: Sequence[ItemState],
    lang: str,
    today: date,
    calendar: Calendar,
    where: Filter,
) -> bytes:
    """The ledger as an .xlsx workbook."""
    from copy import copy
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from xixin_cli.fold import leaf_state
    from xixin_cli.office import xml_safe
    from xixin_cli.office.forms import raw, row_height
    from xixin_cli.schedule import unit_tallies, warning_end

    last_day = warning_end(plan.warnings.yellow, today, calendar)  # the plan's yellow window
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = message("ledger.sheet", lang)
    bold = Font(name="黑体", size=11)
    body = Font(name="宋体", size=11)
    heading = PatternFill("solid", fgColor="FFD9E1F2")
    wrap = Alignment(vertical="top", wrap_text=True)
    for column, (code, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, column, message(code, lang))
        cell.font, cell.fill = bold, heading
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width * 1.1 + 2
    fills = {key: PatternFill("solid", fgColor=rgb) for key, rgb in FILLS.items()}
    styles: dict[str, list[Any]] = {}
    number = 1
    for state in leaves:
        item = state.item
        phase = plan.phases[item.phase].name if item.phase is not None else ""
        for part in state.parts:
            if not where.keeps_office(part.office) and where.office is not None:
                continue
            mine = leaf_state(item, [part])
            shade = light(mine, today, last_day)
            last = part.last
            late = (today - part.due).days if part.status.is_open and part.due else 0
            office = plan.offices[part.office].name if part.office in plan.offices else ""
            values: list[Any] = [
                item.id,
                item.title,
                office,
                phase,
                part.due if part.due is not None else message("standing", lang),
                status_label(part.status, lang),
                message(f"ledger.light_{shade}", lang),
                late if late > 0 else None,
                *_feedback(part.status, last),
                last.on or last.at.date() if last is not None else None,
                last.by if last is not None else "",
                len(part.evidence) or None,
            ]
            number += 1
            made = styles.get(shade)
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(number, column, xml_safe(value) if type(value) is str else value)
                if made is not None:  # one style per light, made once (openpyxl hashes each)
                    raw(cell)._style = copy(made[column - 1])
                    continue
                cell.font, cell.alignment, cell.fill = body, wrap, fills[shade]
                if column in (5, 12):
                    cell.number_format = "yyyy-mm-dd"
            if made is None:
                styles[shade] = [
                    raw(sheet.cell(number, c))._style for c in range(1, len(values) + 1)
                ]
            widths = [width * 1.1 + 2 for _, width in COLUMNS]
            sheet.row_dimensions[number].height = row_height(values, widths)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(number, 1)}"
    _print_setup(sheet)

    summary = book.create_sheet(message("ledger.summary", lang))
    header = ("office", "total", "closed", "rate", "red", "yellow", "green")
    for column, key in enumerate(header, start=1):
        cell = summary.cell(1, column, message(f"ledger.sum_{key}", lang))
        cell.font, cell.fill = bold, heading
        summary.column_dimensions[get_column_letter(column)].width = 14 if column == 1 else 10
    for row, tally in enumerate(
        sorted(
            unit_tallies(plan, leaves, today, last_day, calendar, where),
            key=lambda t: list(plan.offices).index(t.key),
        ),
        start=2,
    ):
        rate = tally.closed / tally.total if tally.total else None
        values = [tally.name, tally.total, tally.closed, rate, tally.red, tally.yellow, tally.green]
        for column, value in enumerate(values, start=1):
            cell = summary.cell(row, column, value)
            cell.font = body
        summary.cell(row, 4).number_format = "0.0%"
        for column, key in ((5, "red"), (6, "yellow"), (7, "green")):
            summary.cell(row, column).fill = fills[key]
    summary.freeze_panes = "A2"
    _print_setup(summary)
    book.properties.creator = "xixin"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _print_setup(sheet: object) -> None:
    """A4 landscape, fitted to the page's width, the header row on every page."""
    page = sheet.page_setup  # type: ignore[attr-defined]
    page.paperSize = sheet.PAPERSIZE_A4  # type: ignore[attr-defined]
    page.orientation = "landscape"
    page.fitToWidth, page.fitToHeight = 1, 0
    from xixin_cli.office.forms import fit_to_page

    fit_to_page(sheet)
    sheet.print_title_rows = "1:1"  # type: ignore[attr-defined]
