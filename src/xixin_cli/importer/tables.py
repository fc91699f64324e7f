"""Task tables (任务分解表, 任务分工表, 责任清单): find the header row by its column names, fill
merged cells down, and read each row as an item with the same unit and date grammar."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xixin_cli.importer.tags import LEGEND, parse_content
from xixin_cli.importer.units import looks_like_cell_unit, split_units

# Column roles and the header words that name them (a header cell contains one of them).
ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("leader", ("责任领导", "分管领导", "责任人", "联系领导", "包抓领导", "牵头领导", "督办领导")),
    ("seq", ("序号", "编号", "序")),
    ("lead", ("牵头单位", "牵头部门", "主办单位", "牵头科室", "牵头处室", "主责单位", "牵头")),
    (
        "units",
        (
            "责任单位",
            "配合单位",
            "参与单位",
            "协办单位",
            "责任部门",
            "责任科室",
            "协同单位",
            "承办单位",
            "实施单位",
            "实施主体",
            "责任主体",
            "配合部门",
            "参与部门",
            "协办部门",
            "责任处室",
            "配合",
        ),
    ),
    (
        "due",
        (
            "完成时限",
            "时间节点",
            "完成时间",
            "时限",
            "时间安排",
            "进度安排",
            "时间要求",
            "完成期限",
            "完成节点",
            "办结时限",
            "截止时间",
            "时间",
        ),
    ),
    (
        "measure",
        (
            "具体措施",
            "工作内容",
            "主要内容",
            "工作措施",
            "具体任务",
            "任务内容",
            "具体内容",
            "工作要求",
            "主要措施",
            "任务措施",
            "推进措施",
            "目标要求",
            "工作目标",
            "措施",
            "内容",
            "要求",
        ),
    ),
    (
        "task",
        (
            "工作任务",
            "重点任务",
            "主要任务",
            "任务名称",
            "工作事项",
            "重点工作",
            "任务事项",
            "事项",
            "项目名称",
            "任务",
            "项目",
            "工作",
        ),
    ),
]


@dataclass
class Table:
    """A table as read from the file: its cells row by row, and where it stands."""

    index: int  # 1-based, in the document's order
    rows: list[list[str]]
    line: int = 0  # the paragraph or text line it follows (0: a sheet of its own)
    sheet: str = ""
    merged_filled: bool = True  # merged cells already repeat their text (Word, openpyxl)
    row_lines: list[int] = field(default_factory=list)  # a text table's own line numbers


@dataclass
class Row:
    """One task row: its texts, units, deadline text, and where it stands."""

    table: int
    row: int  # 1-based row number in the table (or the sheet)
    seq: str
    task: str
    measure: str
    lead: list[str]
    units: list[str]
    due_text: str
    group: str = ""
    legend: bool = False
    unread_units: str = ""  # a units cell whose text was not a list of names


@dataclass
class TableResult:
    rows: list[Row] = field(default_factory=list)
    skipped: str = ""  # why the table is not a task table; "" when it is one


def _role(cell: str) -> str | None:
    text = re.sub(r"\s+", "", cell)
    if not text or len(text) > 12:
        return None
    # the longest name found wins: 「牵头单位（责任人）」 is a unit column, 「牵头领导」 a person's
    found = [
        (len(word), -order, role)
        for order, (role, words) in enumerate(ROLES)
        for word in words
        if word in text
    ]
    return max(found)[2] if found else None


def header(rows: list[list[str]]) -> tuple[int, dict[str, list[int]]] | None:
    """(the header row's index, columns by role) within the first rows, or None."""
    for index, row in enumerate(rows[:6]):
        roles: dict[str, list[int]] = {}
        for column, cell in enumerate(row):
            role = _role(cell)
            if role is not None and column not in roles.get(role, []):
                roles.setdefault(role, []).append(column)
        texty = "task" in roles or "measure" in roles
        if texty and ("lead" in roles or "units" in roles or "due" in roles):
            # a two-row header: 「责任单位」 over 「牵头单位 | 配合单位」
            if index + 1 < len(rows):
                below = {c: _role(cell) for c, cell in enumerate(rows[index + 1])}
                if sum(1 for r in below.values() if r) >= 2:
                    for column, role in below.items():
                        if role is not None:
                            for listed in roles.values():
                                if column in listed:
                                    listed.remove(column)
                            roles.setdefault(role, []).append(column)
                    return index + 1, roles
            return index, roles
    return None


def read_table(table: Table) -> TableResult:
    """The table's task rows, or why it is not a task table."""
    # a merged cell may carry its text once per cell it covers: 「产业发展\n产业发展」
    rows = [
        [
            "\n".join(dict.fromkeys(re.sub(r"[ \t\u3000]+", " ", cell).strip().split("\n")))
            for cell in row
        ]
        for row in table.rows
    ]
    rows = [row for row in rows if any(row)]
    found = header(rows)
    if found is None:
        return TableResult(skipped="no_header")
    start, roles = found
    width = max(len(row) for row in rows)
    body = [row + [""] * (width - len(row)) for row in rows[start + 1 :]]
    # Word and openpyxl give a merged cell's text to every row it spans; other readers leave
    # the rows below empty, and a task's name left empty is the task above (never a unit or
    # a date: an empty units cell may mean none).
    _fill_down(body, [c for role in ("task", "seq") for c in roles.get(role, [])])
    legend = any(LEGEND.search(" ".join(row)) for row in rows)
    result = TableResult()
    group = ""
    for number, row in enumerate(body, start=start + 2):
        texts = [cell for cell in row if cell]
        if not texts:
            continue
        if len(set(texts)) == 1 and len(row) > 2:
            group = texts[0]  # a heading row spanning the table: 「一、产业发展」
            continue
        if re.match(r"^(注|备注|说明)[:：]", texts[0]):
            continue
        if _repeats_header(row, rows[start]):
            continue  # the header again, where the table runs onto a new page
        task = _cells(row, roles.get("task", []))
        measure = _cells(row, roles.get("measure", []))
        if not task and not measure:
            continue
        lead, units, unread = _units(row, roles)
        result.rows.append(
            Row(
                table.index,
                number,
                _cells(row, roles.get("seq", [])),
                task,
                measure,
                lead,
                units,
                _cells(row, roles.get("due", [])),
                group,
                legend,
                unread,
            )
        )
    if not result.rows:
        return TableResult(skipped="no_rows")
    return result


def _repeats_header(row: list[str], head: list[str]) -> bool:
    """A row that says its columns' names again (every cell it has is its header's)."""
    cells = [(cell, head[c] if c < len(head) else "") for c, cell in enumerate(row) if cell]
    return bool(cells) and all(
        re.sub(r"\s+", "", cell) == re.sub(r"\s+", "", name) for cell, name in cells
    )


def _fill_down(rows: list[list[str]], columns: list[int]) -> None:
    """A merged cell's text runs down the rows it spans (an empty cell under a task's name)."""
    for column in columns:
        above = ""
        for row in rows:
            if row[column]:
                above = row[column]
            elif above and any(row):
                row[column] = above


def _cells(row: list[str], columns: list[int]) -> str:
    return "；".join(dict.fromkeys(row[c] for c in columns if c < len(row) and row[c]))


def _units(row: list[str], roles: dict[str, list[int]]) -> tuple[list[str], list[str], str]:
    """(lead units, all units, the text of a cell that is not a list of units)."""
    lead: list[str] = []
    units: list[str] = []
    unread = ""
    for role in ("lead", "units"):
        for column in roles.get(role, []):
            text = row[column] if column < len(row) else ""
            if not text:
                continue
            tag = parse_content(text)
            if tag is not None:
                names, leads = tag.units, tag.lead
            else:
                names = split_units(re.sub(r"(牵头|配合|参与)$", "", text))
                leads = []
                if not all(looks_like_cell_unit(n) for n in names):
                    unread = text
                    continue
            if role == "lead":
                leads = names
            lead += leads
            units += names
    return list(dict.fromkeys(lead)), list(dict.fromkeys(lead + units)), unread
