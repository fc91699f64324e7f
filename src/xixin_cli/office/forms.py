"""推进情况表: the form a unit fills in Excel or WPS, written out and read back (pure but for
the workbook's bytes).

A form has one visible sheet, the unit's open parts with the cells it fills, and a hidden sheet
(`_xixin`) that says which plan, unit and form it is and keeps the protected cells as they were
sent, with a digest over all of it. Reading a form back checks every one of those before a
single row is taken, so a form of another plan, another unit, or with a protected cell edited
is refused whole, cell by cell.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xixin_cli.errors import Problem
from xixin_cli.i18n import message, status_label
from xixin_cli.model import Plan, Status
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.fold import ItemState

#: The format of the hidden sheet; a form of a newer format is refused.
FORM_VERSION = 1
#: The hidden sheet's name.
META = "_xixin"
#: The row the table's header is on; rows of parts follow it.
HEADER_ROW = 4
#: The statuses a unit may report (closing out, 销号, is the office's review, not the unit's).
REPORTABLE = (Status.TODO, Status.DOING, Status.BLOCKED, Status.DONE, Status.DROPPED)
#: Columns: the protected ones, then the ones the unit fills; (message code, width in characters).
COLUMNS = (
    ("form.col_id", 9),
    ("form.col_title", 30),
    ("form.col_due", 12),
    ("form.col_current", 10),
    ("form.col_status", 11),
    ("form.col_progress", 34),
    ("form.col_problems", 26),
    ("form.col_next", 26),
    ("form.col_day", 13),
    ("form.col_by", 10),
)
PROTECTED = 4  # the first four columns are the office's


class FormRow(NamedTuple):
    """One part as the form shows it: the protected cells."""

    item: str
    title: str
    due: str
    current: str


class Filled(NamedTuple):
    """One row as the unit filled it, checked: the row and what it says."""

    row: int
    item: str
    status: Status | None  # None: left blank (the status stands)
    progress: str
    problems: str
    next: str
    on: date | None
    by: str
    sent: Status | None = None  # the part's status when the form went out (its 现状 cell)


class FormRead(NamedTuple):
    """A form read back: its unit, its id, the rows filled, or the problems that refuse it."""

    office: str
    form_id: str
    rows: tuple[Filled, ...]
    problems: tuple[Problem, ...]
    sheet: str = ""  # the visible sheet's name, where its cells are


def form_rows(item_states: Sequence[ItemState], lang: str) -> list[FormRow]:
    """The rows of a form: one per open part of the unit (its own view of the plan)."""
    return [
        FormRow(
            state.item.id,
            state.item.title,
            state.due.isoformat() if state.due is not None else message("standing", lang),
            status_label(state.status, lang),
        )
        for state in item_states
        if state.status.is_open
    ]


def raw(cell: object) -> Any:
    """A cell as openpyxl keeps it: its `_style` (the style's indexes) is copied between cells
    made alike, far cheaper than styling each anew; the stubs leave the attribute out."""
    return cell


def fit_to_page(sheet: Any) -> None:
    """Print the sheet fitted to the page's width (as many pages down as it takes)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True


def row_height(values: Sequence[object], widths: Sequence[float], least: int = 1) -> float:
    """The height (points) a row of wrapped 11 pt text needs: Excel and WPS do not grow a row
    that a program wrote, so the lines are counted here (a Chinese character is two units)."""
    from unicodedata import east_asian_width

    lines = least
    for value, width in zip(values, widths, strict=False):
        text = "" if value is None else str(value)
        units = sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
        lines = max(lines, -(-units // max(int(width) - 1, 1)))
    return lines * 15.0 + 4


def _digest(meta: Sequence[tuple[str, str]], rows: Sequence[FormRow]) -> str:
    content = json.dumps([list(meta), [list(row) for row in rows]], ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def form_bytes(
    plan: Plan,
    office: str,
    rows: Sequence[FormRow],
    lang: str,
    today: date,
    return_by: date,
    form_id: str,
) -> bytes:
    """The form as an .xlsx workbook: a header, one row per part, the unit's cells open."""
    from copy import copy
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    unit = plan.offices[office].name
    document = plan.document
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = message("form.sheet", lang)
    last = get_column_letter(len(COLUMNS))
    font = "宋体"
    lines = (
        (message("form.title", lang, office=unit), Font(name="黑体", size=16), 30),
        (
            message("form.plan", lang, number=document.number, title=document.title),
            Font(name=font, size=11),
            20,
        ),
        (
            message(
                "form.header",
                lang,
                office=unit,
                date=today.isoformat(),
                return_by=return_by.isoformat(),
            ),
            Font(name=font, size=11),
            20,
        ),
    )
    for number, (text, style, height) in enumerate(lines, start=1):
        sheet.merge_cells(f"A{number}:{last}{number}")
        cell = sheet.cell(number, 1, text)
        cell.font = style
        cell.alignment = Alignment(
            horizontal="center" if number == 1 else "left", vertical="center"
        )
        sheet.row_dimensions[number].height = height
    thin = Side(style="thin", color="FF808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="FFE7E6E6")
    heading = PatternFill("solid", fgColor="FFD9E1F2")
    for column, (code, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, message(code, lang))
        cell.font = Font(name="黑体", size=11)
        cell.fill = heading
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width * 1.1 + 2
    statuses = ",".join(status_label(code, lang) for code in REPORTABLE)
    pick = DataValidation(
        type="list",
        formula1=f'"{statuses}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=message("form.col_status", lang),
        error=message("form.pick_status", lang),
    )
    when = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=message("form.col_day", lang),
        error=message("form.type_date", lang),
    )
    sheet.add_data_validation(pick)
    sheet.add_data_validation(when)
    wrap = Alignment(vertical="top", wrap_text=True)
    body = Font(name=font, size=11)
    styles: list[Any] = []  # each column's cell style, made once: styling each cell anew
    # costs openpyxl a hash of every style part (seconds for a county's 6,000 rows)
    for number, form_row in enumerate(rows, start=HEADER_ROW + 1):
        for column in range(1, len(COLUMNS) + 1):
            value = form_row[column - 1] if column <= PROTECTED else None
            cell = sheet.cell(number, column, value)
            if len(styles) == len(COLUMNS):
                raw(cell)._style = copy(styles[column - 1])
                continue
            cell.font, cell.alignment, cell.border = body, wrap, border
            if column <= PROTECTED:
                cell.fill = grey
            else:
                cell.protection = Protection(locked=False)
            if column == 9:
                cell.number_format = "yyyy-mm-dd"
            styles.append(raw(cell)._style)
        widths = [width * 1.1 + 2 for _, width in COLUMNS[:PROTECTED]]
        sheet.row_dimensions[number].height = row_height(form_row, widths, least=3)
    if rows:
        end = HEADER_ROW + len(rows)
        pick.add(f"E{HEADER_ROW + 1}:E{end}")
        when.add(f"I{HEADER_ROW + 1}:I{end}")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    fit_to_page(sheet)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    footer = sheet.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "第 &P 页，共 &N 页"
    # Protected without a password: the point is that a unit does not change the office's
    # cells by accident, and collect checks them anyway against the hidden sheet.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    meta = [
        ("format", str(FORM_VERSION)),
        ("plan", document.number),
        ("title", document.title),
        ("office", office),
        ("office_name", unit),
        ("form", form_id),
        ("as_of", today.isoformat()),
        ("return_by", return_by.isoformat()),
    ]
    hidden = book.create_sheet(META)
    for key, value in meta:
        hidden.append([key, value])
    hidden.append(["digest", _digest(meta, rows)])
    hidden.append(["rows", len(rows)])
    for form_row in rows:
        hidden.append(list(form_row))
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    book.properties.creator = "xixin"
    book.properties.title = message("form.title", lang, office=unit)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_form(path: Path, plan: Plan, today: date, expected: str | None = None) -> FormRead:
    """A filled form, checked against the plan: the rows the unit filled, or every problem
    (file, sheet, cell, the fix); a form with any problem gives no rows."""
    from xixin_cli.office.xlsx_read import read_workbook

    name = str(path)
    problems: list[Problem] = []

    def refuse(code: str, where: str | None = None, **params: Any) -> FormRead:
        return FormRead("", "", (), (Problem(name, None, where, code, **params),))

    try:
        book = read_workbook(path, len(COLUMNS))
    except Exception as exc:  # zipfile, XML and value errors of a broken workbook
        return refuse("form.unreadable", reason=type(exc).__name__)
    if META not in book.names:
        return refuse("form.not_a_form")
    # Only the rows the form's identity takes: a sheet may run to Excel's last row.
    cells = [[_text(c) for c in row] for row in book.sheets[META][:10]]
    title = book.names[0]
    table = book.sheets[title][HEADER_ROW:]
    meta = [(row[0], row[1]) for row in cells[:8] if len(row) >= 2]
    fields = dict(meta)
    digest = cells[8][1] if len(cells) > 8 and len(cells[8]) > 1 else ""
    try:
        count = int(cells[9][1]) if len(cells) > 9 else -1
    except ValueError:
        count = -1
    if count > len(plan.items):  # more rows than the plan has items: no form of it
        return refuse("form.meta_edited", META)
    listed = book.sheets[META][10 : 10 + max(count, 0)]
    sent = [FormRow(*[*(_text(c) for c in row), "", "", "", ""][:4]) for row in listed]
    if fields.get("format") != str(FORM_VERSION):
        return refuse("form.bad_format", META, found=fields.get("format", ""))
    if count != len(sent) or _digest(meta, sent) != digest:
        return refuse("form.meta_edited", META)
    if fields.get("plan") != plan.document.number:
        return refuse(
            "form.other_plan", f"{META}!B2", found=fields["plan"], number=plan.document.number
        )
    office = fields.get("office", "")
    if office not in plan.offices:
        return refuse("form.unknown_office", f"{META}!B4", office=fields.get("office_name", ""))
    if expected is not None and office not in plan.units(expected):
        return refuse(
            "form.other_unit",
            f"{META}!B5",
            office=plan.offices[office].name,
            wanted=plan.offices[expected].name,
        )
    filled: list[Filled] = []
    for index, form_row in enumerate(sent):
        number = HEADER_ROW + 1 + index
        values = table[index] if index < len(table) else [None] * len(COLUMNS)
        for column, (was, now) in enumerate(
            zip(form_row, values[:PROTECTED], strict=True), start=1
        ):
            if _text(now) != was:
                problems.append(
                    Problem(
                        name,
                        None,
                        f"{title}!{_cell(column, number)}",
                        "form.protected_edited",
                        value=was,
                    )
                )
        item = plan.get(form_row.item)
        if item is None or office not in item.offices:
            problems.append(
                Problem(name, None, f"{title}!A{number}", "form.item_gone", item=form_row.item)
            )
            continue
        day = values[8]
        if isinstance(day, float) and not isinstance(day, bool):  # a date cell: Excel's serial
            try:
                when: object = book.serial_date(day)
            except (OverflowError, ValueError):  # a number no calendar has: said as typed
                when = f"{day:g}"
            values = [*values[:8], when, *values[9:]]
        got = _row(name, title, number, form_row.item, values, plan, today, problems)
        if got is not None:
            filled.append(got._replace(sent=_status_shown(form_row.current)))
    for number in book.written.get(title, ()):  # the rows the sheet has, not every empty one
        index = number - 1 - HEADER_ROW
        if index >= len(sent) and any(value not in (None, "") for value in table[index]):
            problems.append(Problem(name, None, f"{title}!A{number}", "form.extra_row"))
            break
    if problems:
        return FormRead(office, fields.get("form", ""), (), tuple(problems))
    return FormRead(office, fields.get("form", ""), tuple(filled), (), title)


def _status_shown(label: str) -> Status | None:
    """The status a protected 现状 cell shows (its label in either language), or None."""
    from xixin_cli.errors import UsageError
    from xixin_cli.session import status as parse_status

    try:
        return parse_status(label)
    except UsageError:
        return None


def _cell(column: int, row: int) -> str:
    return f"{'ABCDEFGHIJ'[column - 1]}{row}"


def _row(
    name: str,
    title: str,
    number: int,
    item: str,
    values: list[Any],
    plan: Plan,
    today: date,
    problems: list[Problem],
) -> Filled | None:
    """One filled row checked; None for a row left blank (or one with a problem)."""
    from xixin_cli.dates import DateFormatError, parse_date
    from xixin_cli.errors import UsageError
    from xixin_cli.session import MAX_NOTE
    from xixin_cli.session import status as parse_status

    said, progress, trouble, after, day, by = values[PROTECTED:]
    texts = [_text(v) for v in (progress, trouble, after)]
    if not _text(said) and not any(texts):
        return None  # nothing filled: a date or a name alone says nothing
    found = len(problems)
    status: Status | None = None
    if _text(said):
        try:
            status = parse_status(_text(said))
        except UsageError:
            status = None
        if status not in REPORTABLE:
            # 已销号 is the office's, after review: a unit's form says 已完成
            code = "form.closed_status" if status is Status.CLOSED else "form.bad_status"
            problems.append(Problem(name, None, f"{title}!E{number}", code, value=_text(said)))
    on: date | None = None
    where = f"{title}!I{number}"
    if isinstance(day, datetime):
        on = day.date()
    elif isinstance(day, date):
        on = day
    elif _text(day):
        try:
            on = parse_date(_text(day))
        except DateFormatError:
            problems.append(Problem(name, None, where, "form.bad_date", value=_text(day)))
    if on is not None and on > today:
        problems.append(Problem(name, None, where, "form.future_date", value=on.isoformat()))
    issued = plan.document.date
    if on is not None and issued is not None and on < issued:
        problems.append(
            Problem(name, None, where, "form.early_date", value=on.isoformat(), issued=issued)
        )
    for column, text in zip("FGH", texts, strict=True):
        if len(text) > MAX_NOTE:
            problems.append(
                Problem(name, None, f"{title}!{column}{number}", "form.too_long", limit=MAX_NOTE)
            )
    if len(problems) > found:
        return None
    progress_text, problems_text, next_text = texts
    return Filled(number, item, status, progress_text, problems_text, next_text, on, _text(by))
