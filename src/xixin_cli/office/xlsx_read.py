"""Cell values of an .xlsx workbook's sheets, read straight from its XML.

`collect` reads thirty forms at a time; openpyxl, even read-only, builds an object per cell
and per string (about 0.2 s a form of 200 rows), where the values are all a form needs. This
reads the workbook's sheet list, its shared strings and each sheet's cells with the standard
library's XML parser (which fetches no external entities): strings, numbers and booleans as
they are stored; a number in a date cell stays a number (an Excel serial, see `serial_date`).
"""

from __future__ import annotations

import posixpath
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

Value = str | float | bool | None

#: The rows a sheet can have (Excel's limit): a row numbered past it is no spreadsheet's.
MAX_ROWS = 1_048_576
#: The most a part of the workbook (a sheet's XML, the shared strings) may unpack to: a
#: unit's form of 5,000 rows is about 5 MB. A zip that unpacks to more (a zip bomb) is
#: refused from its directory, before anything is unpacked (zipfile stops at the size the
#: directory gives, so a part cannot say less and unpack to more).
MAX_PART = 64 * 2**20


class Workbook:
    """The sheets of a workbook, in order, as rows of values (row 1 first; a missing cell is
    None, and so is each of a missing row's: the rows are read, never changed, as a missing
    row is one list shared by all of them); whether its dates count from 1904 (old Mac Excel)."""

    def __init__(
        self,
        names: list[str],
        sheets: dict[str, list[list[Value]]],
        y1904: bool,
        written: dict[str, list[int]],
    ):
        self.names = names
        self.sheets = sheets
        self.y1904 = y1904
        #: Per sheet, the numbers of the rows its XML has, in order: where a value may be,
        #: without walking the empty rows between (a sheet may run to Excel's last row).
        self.written = written

    def serial_date(self, value: float) -> date:
        """The day an Excel serial number stands for (OverflowError, ValueError: none)."""
        start = date(1904, 1, 1) if self.y1904 else date(1899, 12, 30)
        return start + timedelta(days=int(value))


_T, _R, _ROW, _C, _V, _IS = (f"{MAIN}{tag}" for tag in ("t", "r", "row", "c", "v", "is"))


def _text(element: ElementTree.Element) -> str:
    """A string item's text: its <t>, or its rich-text runs' <t>s joined (phonetic guides,
    <rPh>, left out)."""
    parts = []
    for child in element:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            found = child.find(_T)
            parts.append(found.text or "" if found is not None else "")
    return "".join(parts)


def _column(reference: str) -> int:
    n = 0
    for ch in reference:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n


#: A cell reference's letters -> its column (a form of 200 rows has 3,000 cells, 15 columns).
_COLUMNS: dict[str, int] = {}


def _column_of(reference: str) -> int:
    """`_column` of a reference, worked out once for each run of letters (digits stripped
    from its end change nothing `_column` reads: it stops at the first one)."""
    letters = reference.rstrip("0123456789")
    found = _COLUMNS.get(letters)
    if found is None:
        if len(_COLUMNS) >= 10_000:  # a hostile sheet of ever new references: memory bounded
            _COLUMNS.clear()
        found = _COLUMNS[letters] = _column(letters)
    return found


def read_workbook(path: Path, max_column: int = 26) -> Workbook:
    """Every sheet's values (up to `max_column` columns). Raises zipfile.BadZipFile, KeyError,
    ValueError or ElementTree.ParseError for a file that is not a readable workbook."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.file_size > MAX_PART:
                raise ValueError(f"{info.filename}: {info.file_size} bytes unpacked")
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{RELS}Relationship")}
        properties = book.find(f"{MAIN}workbookPr")
        y1904 = properties is not None and properties.get("date1904") in ("1", "true")
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = [_text(item) for item in strings.iter(f"{MAIN}si")]
        names: list[str] = []
        sheets: dict[str, list[list[Value]]] = {}
        written: dict[str, list[int]] = {}
        for sheet in book.iter(f"{MAIN}sheet"):
            name = sheet.get("name", "")
            target = targets.get(sheet.get(DOC_REL), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            names.append(name)
            data = archive.read(posixpath.normpath(part))
            sheets[name], written[name] = _cells(data, shared, max_column)
    return Workbook(names, sheets, y1904, written)


def _cells(data: bytes, shared: list[str], max_column: int) -> tuple[list[list[Value]], list[int]]:
    """The sheet's rows, and the numbers of those its XML has: each of those its own list;
    every other row the same `blank` list (never to be changed), so that a value in Excel's
    last row costs 8 MB of references, not a million lists."""
    rows: list[list[Value]] = []
    numbers: list[int] = []
    blank: list[Value] = [None] * max_column
    root = ElementTree.fromstring(data)
    for row in root.iter(_ROW):
        number = int(row.get("r") or len(rows) + 1)
        if not 1 <= number <= MAX_ROWS:  # row 0 would be the last row read, -1 the one before
            raise ValueError(f"row {number}")
        if len(rows) < number:
            rows.extend([blank] * (number - len(rows)))
        values = rows[number - 1]
        if values is blank:  # its first time (a row may come twice, or out of order)
            values = rows[number - 1] = [None] * max_column
            numbers.append(number)
        column = 0
        for cell in row.iter(_C):
            reference = cell.get("r")
            # a cell without its reference is the one after the cell before it (as Excel reads)
            column = _column_of(reference) if reference else column + 1
            if column < 1:  # digits alone: the last column, were it taken as a place
                raise ValueError(f"cell {reference}")
            if column > max_column:
                continue
            kind = cell.get("t", "n")
            value: Value
            if kind == "inlineStr":
                found = cell.find(_IS)
                value = _text(found) if found is not None else ""
                values[column - 1] = value
                continue
            raw = cell.find(_V)
            text = raw.text if raw is not None else None
            if text is None:
                value = None
            elif kind == "s":
                value = shared[int(text)]
            elif kind in ("str", "e"):
                value = text
            elif kind == "b":
                value = text == "1"
            else:
                value = float(text)
            values[column - 1] = value
    return rows, sorted(numbers)
