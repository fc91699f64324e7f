"""Read a document file into lines and tables: text (UTF-8, GB18030, UTF-16 with BOM), Word
(.docx, body order kept, tables included) and spreadsheets (.xlsx, .xls)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xixin_cli.errors import PlanError, Problem, UsageError
from xixin_cli.importer.tables import Table

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass
class Source:
    """What a file holds: its lines of text and its tables (each knows the line it follows)."""

    lines: list[str]
    tables: list[Table] = field(default_factory=list)
    encoding: str = "UTF-8"  # or GB18030, UTF-16, DOCX, XLSX, XLS
    text_tables: bool = False  # tables were found inside the text (rows keep line numbers)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (BOM or not), UTF-16 with BOM, or GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:400]:  # UTF-16 saved without its BOM (GB18030 has no zero byte)
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _reads_as_text(text[:2000]):
                return text, "UTF-16"
    return data.decode("gb18030", errors="replace"), "GB18030"


def _reads_as_text(text: str) -> bool:
    """Chinese text with some figures and punctuation, as UTF-16 in the right byte order gives
    (in the wrong one, 「一、重点任务」 comes out as Hangul and other scripts' letters)."""
    plain = re.findall(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\s]", text)
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and len(plain) >= 0.9 * len(text)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; one clear line when it cannot be read."""
    name = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PlanError([Problem(name, None, None, "import.not_found")]) from None
    except IsADirectoryError:
        raise PlanError([Problem(name, None, None, "import.is_dir")]) from None
    except PermissionError:
        raise PlanError([Problem(name, None, None, "import.no_permission")]) from None
    except OSError as exc:
        raise PlanError([Problem(name, None, None, "import.unreadable", reason=str(exc))]) from None


def read_source(path: Path) -> Source:
    """Read any supported file; UsageError or PlanError (never a traceback) when it cannot be."""
    data = read_bytes(path)
    suffix = path.suffix.lower()
    if suffix == ".docx" or (data.startswith(b"PK") and suffix not in (".xlsx", ".xlsm")):
        if suffix != ".docx":
            raise UsageError("import.unsupported", path=str(path), suffix=suffix or "?")
        return read_docx(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix == ".xls":
        return read_xls(path)
    if suffix in (".doc", ".wps", ".pdf", ".et", ".ofd"):
        raise UsageError("import.unsupported", path=str(path), suffix=suffix)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an old binary Word or Excel file, renamed
        raise UsageError("import.unsupported", path=str(path), suffix=suffix or "?")
    text, encoding = decode(data)
    if "\x00" in text:
        raise UsageError("import.binary", path=str(path))
    if suffix == ".csv":  # a task table saved as CSV from Excel or WPS
        import csv

        rows = [row for row in csv.reader(text.splitlines())]
        return Source([], [Table(1, rows, sheet=path.stem)], encoding)
    return text_source(text, encoding)


def text_source(text: str, encoding: str = "UTF-8") -> Source:
    """Lines of text; rows of a table typed into the text (| a | b |, or tab-separated) are
    gathered as tables, their lines kept in place so their numbers stay the file's."""
    lines = text.splitlines()
    tables: list[Table] = []
    current: list[list[str]] = []
    numbers: list[int] = []
    for number, raw in enumerate([*lines, ""], start=1):
        cells = _text_row(raw)
        if cells is not None:
            numbers.append(number)
            if cells:  # not a |---| rule
                current.append(cells)
            continue
        if current:
            table = Table(len(tables) + 1, current, numbers[0], merged_filled=False)
            table.row_lines = numbers
            tables.append(table)
        current, numbers = [], []
    return Source(lines, tables, encoding, text_tables=True)


def _text_row(raw: str) -> list[str] | None:
    """The cells of a text table row, [] for a rule line, None for a line of prose."""
    line = raw.strip()
    if line.startswith("|") and line.count("|") >= 2:
        cells = [c.strip() for c in line.strip("|").split("|")]
        return [] if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) else cells
    if re.fullmatch(r"[-=+|\s]{3,}", line) and line:
        return []
    if raw.count("\t") >= 2:
        return [c.strip() for c in raw.split("\t")]
    return None


def table_lines(source: Source) -> set[int]:
    """The line numbers that are rows of text tables."""
    out: set[int] = set()
    if not source.text_tables:
        return out
    for number, raw in enumerate(source.lines, start=1):
        if _text_row(raw) is not None:
            out.add(number)
    return out


def read_docx(path: Path) -> Source:
    """A Word document's paragraphs, one per line, and its tables where they stand."""
    try:
        import docx
    except ImportError:
        raise UsageError("usage.docx_needs_extra") from None
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds for a file that is not a .docx
        raise UsageError("usage.docx_unreadable", path=str(path)) from None
    from docx.table import Table as DocxTable

    from xixin_cli.importer.numbering import marker

    lines: list[str] = []
    tables: list[Table] = []
    levels: list[int] = []  # Word's list counters, by level
    if hasattr(document, "iter_inner_content"):
        blocks = list(document.iter_inner_content())
    else:  # python-docx before 1.1: paragraphs, then the tables after them
        blocks = [*document.paragraphs, *document.tables]
    # Word's own list numbering is put back only in a document that does not type its
    # numbers: where 一、 （一） are typed, a numbered list is a list inside the text.
    typed = sum(
        1 for b in blocks if not isinstance(b, DocxTable) and marker(b.text.strip()) is not None
    )
    for block in blocks:
        if isinstance(block, DocxTable):
            rows = []
            for row in block.rows:
                try:
                    rows.append([cell.text for cell in row.cells])
                except Exception:  # a malformed grid: read what the XML holds
                    rows.append([tc.xpath("string(.)") for tc in row._tr.tc_lst])
            tables.append(Table(len(tables) + 1, rows, line=len(lines)))
        else:
            number = _list_number(block, levels) if typed < 3 else ""
            lines += (number + block.text).splitlines() or [""]
    return Source(lines, tables, "DOCX")


_CN = "〇一二三四五六七八九十"


def _list_number(paragraph: Any, levels: list[int]) -> str:
    """The number Word shows before a paragraph of an automatic list (not in its text), in
    the official forms by level: 一、 （一） 1. （1） ①."""
    from xixin_cli.importer.numbering import marker

    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    if num_pr is None and paragraph.style is not None:  # numbered by its style (标题 1…)
        style_pr = paragraph.style.element.pPr
        num_pr = style_pr.numPr if style_pr is not None else None
    if num_pr is None or not paragraph.text.strip() or marker(paragraph.text.strip()):
        return ""
    if num_pr.numId is not None and num_pr.numId.val == 0:
        return ""  # numbering switched off for this paragraph
    level = min(int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0, 4)
    del levels[level + 1 :]
    while len(levels) <= level:
        levels.append(0)
    levels[level] += 1
    n = levels[level]
    cn = (
        _CN[n]
        if n <= 10
        else (_CN[n // 10] if n >= 20 else "") + "十" + (_CN[n % 10] if n % 10 else "")
    )
    return [f"{cn}、", f"（{cn}）", f"{n}.", f"（{n}）", "①②③④⑤⑥⑦⑧⑨⑩"[min(n, 10) - 1]][level]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: Path) -> Source:
    """Every sheet of an .xlsx as a table (openpyxl, the `xlsx` extra); merged cells filled."""
    try:
        import openpyxl
    except ImportError:
        raise UsageError("import.xlsx_needs_extra") from None
    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except Exception:  # a zip that is not a workbook, a broken part…
        raise UsageError("import.sheet_unreadable", path=str(path)) from None
    tables: list[Table] = []
    for sheet in book.worksheets:
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = (
                rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
            )
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top
        tables.append(Table(len(tables) + 1, rows, sheet=sheet.title))
    return Source([], tables, "XLSX")


def read_xls(path: Path) -> Source:
    """Every sheet of an old .xls as a table (python-calamine, the `xls` extra)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise UsageError("import.xls_needs_extra") from None
    try:
        book = CalamineWorkbook.from_path(str(path))
        tables: list[Table] = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = [[_cell_text(v) for v in row] for row in sheet.to_python()]
            for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []:
                top = rows[r1][c1] if r1 < len(rows) and c1 < len(rows[r1]) else ""
                for r in range(r1, min(r2 + 1, len(rows))):
                    for c in range(c1, min(c2 + 1, len(rows[r]))):
                        rows[r][c] = top
            tables.append(Table(len(tables) + 1, rows, sheet=name))
    except Exception:  # calamine raises its own kinds for a file that is not a workbook
        raise UsageError("import.sheet_unreadable", path=str(path)) from None
    return Source([], tables, "XLS")
