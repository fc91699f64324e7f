"""`xixin import`, held to what a clerk relies on: the tests that kill the importer's surviving
mutants (docs/mutation-importer.md lists each one). Every test states what a document gives
(its items, units, lead units, deadlines, phases) or what is refused, not how the code does it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_import_grammar import plan_of

from xixin_cli.importer import PLACEHOLDER_UNIT, import_file, import_text
from xixin_cli.importer.dates import find_deadline

# -- a document in traditional characters is written back in its own characters ---------------


TRADITIONAL = """關於印發《某鎮環境整治實施方案》的通知
一、指導思想
堅持以人民為中心，實現環境整治目標。
二、工作步驟
（一）動員部署階段（方案印發之日起30日內）
1. 制定實施細則（鎮黨政辦負責）。
（二）集中整治階段（2024年4月—9月）
1. 開展集中整治（鎮綜治辦負責）。組織各村開展清理。
某鎮人民政府
2024年3月1日
"""


def test_a_traditional_document_keeps_its_characters_in_phases_and_notes() -> None:
    """A phase timed 「方案印發之日起30日內」 keeps those words as written, and the section kept
    as a note (指導思想) is listed in the document's characters, not a simplified copy."""
    result = import_text(TRADITIONAL)
    plan = plan_of(result)
    windows = {p.name: (p.window_text, p.start, p.end) for p in plan.phases.values()}
    assert windows == {
        "動員部署階段": ("方案印發之日起30日內", date(2024, 3, 1), date(2024, 3, 31)),
        "集中整治階段": ("2024年4月—9月", date(2024, 4, 1), date(2024, 9, 30)),
    }
    assert result.notes == [(2, "指導思想")]
    assert "第 2 行：指導思想" in result.yaml


# -- an item due at its phase's end says which phase ---------------------------------------------


TWO_PHASES = """一、工作步骤
（一）动员部署阶段（2024年1月—3月）
1. 制定实施细则（镇党政办负责）。
（二）集中整治阶段（2024年4月—9月）
1. 开展集中整治。
（1）清理河道垃圾（镇水利站负责）。
（2）拆除违章建筑（镇城管中队负责）。
"""


def test_a_step_under_a_task_of_the_second_phase_is_due_at_that_phase_end() -> None:
    plan = plan_of(import_text(TWO_PHASES))
    step = plan.get("1.2.1.1")
    assert step is not None and step.phase == "集中整治阶段"
    assert step.due == date(2024, 9, 30)
    assert "取集中整治阶段结束日" in step.note and "动员部署" not in step.note


# -- Word's own numbering -----------------------------------------------------------------------


def test_word_numbering_given_by_a_heading_style_counts_past_ten(tmp_path: Path) -> None:
    """Headings numbered by their style (标题 1 carries the list, no level given: the first):
    eleven tasks are 一、 to 十一、, each with its unit; the eleventh is not lost in the tenth."""
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles["Heading 1"]
    numbering = OxmlElement("w:numPr")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), "1")
    numbering.append(num)
    style.element.get_or_add_pPr().append(numbering)
    units = [f"镇{name}办" for name in "甲乙丙丁戊己庚辛壬癸子"]
    for index, unit in enumerate(units, start=1):
        document.add_paragraph(f"落实第{index}项整治任务（{unit}负责）。", style="Heading 1")
    path = tmp_path / "方案.docx"
    document.save(str(path))
    plan = plan_of(import_file(path))
    assert [(i.id, plan.office_names(i)) for i in plan.items] == [
        (str(n), (unit,)) for n, unit in enumerate(units, start=1)
    ]


# -- spreadsheets ---------------------------------------------------------------------------------


def test_an_old_excel_sheet_with_blank_merged_cells_below_its_table_is_read() -> None:
    """tests/data/import/merged-below.xls (written by xlwt): a task table, then a blank block of
    merged cells under it (a form's empty footer). The table is read, not refused as unreadable."""
    pytest.importorskip("python_calamine")
    result = import_file(Path(__file__).parent / "data" / "import" / "merged-below.xls")
    plan = plan_of(result)
    assert [(i.id, plan.office_names(i), i.due) for i in plan.items] == [
        ("t1.1", ("县住建局",), date(2024, 9, 30)),
        ("t1.2", ("县生态环境局",), date(2024, 12, 31)),
    ]


def _with_cached_values(path: Path) -> None:
    """Give the sheet's formulas (=ROW()-1) the values Excel saves beside them (openpyxl writes
    a formula without its value, Excel and WPS write both), and save the year 2024 as 2024.0."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet = re.sub(
        r'<c r="A(\d+)"><f>ROW\(\)-1</f><v\s*/?>(?:</v>)?',
        lambda m: f'<c r="A{m.group(1)}"><f>ROW()-1</f><v>{int(m.group(1)) - 1}</v>',
        sheet,
    )
    # a whole number saved as a double (「2024.0」), as some programs save every number
    sheet = sheet.replace("<v>2024</v>", "<v>2024.0</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_workbook_is_read_as_excel_shows_it(tmp_path: Path) -> None:
    """A task sheet whose 序号 is a formula (=ROW()-1) numbers its items as Excel shows them
    (1, 2: the values saved, not the formula's text), a 完成时限 of the number 2024 is that
    year's end however the number was saved, the import says it read an XLSX, and a
    sheet that is no task table is named by its sheet's name."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    sheet.append(["序号", "重点任务", "责任单位", "完成时限"])
    sheet.append(["=ROW()-1", "开展农村人居环境整治", "县住建局", "2024年9月底前"])
    sheet.append(["=ROW()-1", "建设污水处理设施", "县生态环境局", 2024])
    book.create_sheet("填表说明").append(["本表由各单位填写后报县委办"])
    path = tmp_path / "分解表.xlsx"
    book.save(str(path))
    _with_cached_values(path)
    result = import_file(path)
    plan = plan_of(result)
    assert result.encoding == "XLSX"
    assert [(i.id, plan.office_names(i), i.due) for i in plan.items] == [
        ("t1.1", ("县住建局",), date(2024, 9, 30)),
        ("t1.2", ("县生态环境局",), date(2024, 12, 31)),
    ]
    assert [(s.index, s.sheet, s.reason) for s in result.skipped_tables] == [
        (2, "填表说明", "no_header")
    ]


def test_a_workbook_without_the_xlsx_extra_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without openpyxl (the `xlsx` extra) an .xlsx is refused with the line that says which
    extra to install, exit 2, never a traceback."""
    import sys

    from xixin_cli.errors import ExitCode, UsageError

    path = tmp_path / "分解表.xlsx"
    path.write_bytes(b"PK\x03\x04")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(UsageError) as caught:
        import_file(path)
    assert caught.value.code == "import.xlsx_needs_extra"
    assert caught.value.exit_code == ExitCode.USAGE


# -- a phase that runs into the next year ---------------------------------------------------------


WINTER = """关于印发《某镇冬春季环境整治方案》的通知
一、工作步骤
（一）动员部署阶段（10月1日至10月31日）
1. 制定实施细则（镇党政办负责）。
（二）集中整治阶段（11月至次年2月）
1. 清理河道垃圾（镇水利站负责）。
2. 1月15日前完成中期检查（镇督查办负责）。
（三）巩固提升阶段（2025年3月至次年1月）
1. 健全河道管护制度（镇综治办负责）。
某镇人民政府
2024年9月20日
"""


def test_a_phase_written_to_the_next_year_runs_into_it() -> None:
    """「11月至次年2月」 in a plan of September 2024 is November 2024 to February 2025 (and
    「2025年3月至次年1月」 ends in January 2026): the phase is read, its steps are due at its end
    or on their own day inside it (1月15日前 is 2025-01-15), never left without a phase."""
    plan = plan_of(import_text(WINTER))
    windows = {p.name: (p.start, p.end) for p in plan.phases.values()}
    assert windows == {
        "动员部署阶段": (date(2024, 10, 1), date(2024, 10, 31)),
        "集中整治阶段": (date(2024, 11, 1), date(2025, 2, 28)),
        "巩固提升阶段": (date(2025, 3, 1), date(2026, 1, 31)),
    }
    due = {i.id: (i.phase, i.due) for i in plan.items if i.title != "集中整治阶段"}
    assert due["1.2.1"] == ("集中整治阶段", date(2025, 2, 28))
    assert due["1.2.2"] == ("集中整治阶段", date(2025, 1, 15))
    assert due["1.3.1"] == ("巩固提升阶段", date(2026, 1, 31))


# -- deadlines as written ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "issued", "due"),
    [
        # parts of a month: 初 the 5th, 上旬 the 10th, 中旬 the 20th, 下旬 and 底 its last day
        ("3月初前完成摸底", date(2024, 1, 10), date(2024, 3, 5)),
        ("3月上旬前完成摸底", date(2024, 1, 10), date(2024, 3, 10)),
        ("3月中旬前完成摸底", date(2024, 1, 10), date(2024, 3, 20)),
        ("2月下旬前完成摸底", date(2024, 1, 10), date(2024, 2, 29)),
        ("2025年2月底前完成摸底", date(2024, 1, 10), date(2025, 2, 28)),
        # every year: the first such day on or after the document, the part of the month kept
        ("每年3月上旬前报送总结", date(2024, 1, 1), date(2024, 3, 10)),
        ("每年3月上旬前报送总结", date(2024, 5, 1), date(2025, 3, 10)),
        ("每年3月中旬前报送总结", date(2024, 4, 1), date(2025, 3, 20)),
        ("每年12月20日前报送总结", date(2024, 12, 21), date(2025, 12, 20)),
        ("每年6月30日前报送总结", date(2024, 6, 30), date(2024, 6, 30)),
        # every month: a day already past this month is next month's, December's is January's
        ("每月15日前报送进度", date(2024, 12, 20), date(2025, 1, 15)),
        ("每月15日前报送进度", date(2024, 11, 20), date(2024, 12, 15)),
        ("每月31日前报送进度", date(2024, 2, 10), date(2024, 2, 29)),
        ("每月31日前报送进度", date(2024, 4, 5), date(2024, 4, 30)),
        ("每月5日前报送进度", date(2024, 1, 31), date(2024, 2, 5)),
    ],
)
def test_a_deadline_phrase_is_due_on_its_day(words: str, issued: date, due: date) -> None:
    found = find_deadline(words, issued)
    assert found is not None and found.due == due


def test_every_year_and_every_month_say_how_they_recur() -> None:
    """The plan's `every:` for 每年3月上旬 is the 10th of March, for 每月底 the month's last day,
    for 每年2月底 the 28th (which every February has), due first on the February's own last day."""
    yearly = find_deadline("每年3月上旬前报送总结", date(2024, 5, 1))
    monthly = find_deadline("每月底前报送进度", date(2024, 12, 31))
    assert yearly is not None and yearly.every is not None and yearly.recurring
    assert (yearly.every.unit, yearly.every.day, yearly.every.since) == ("year", "03-10", None)
    assert monthly is not None and monthly.every is not None
    assert (monthly.due, monthly.every.unit, monthly.every.day) == (
        date(2024, 12, 31),
        "month",
        "last",
    )
    for issued, first in (
        (date(2023, 3, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2025, 2, 28)),
    ):
        february = find_deadline("每年2月底前报送总结", issued)
        assert february is not None and february.every is not None
        assert (february.due, february.every.day) == (first, "02-28")


@pytest.mark.parametrize(
    ("signed", "day"),
    [
        ("二〇二二年九月二十三日", date(2022, 9, 23)),
        ("二〇二四年十二月十日", date(2024, 12, 10)),
        ("二〇二四年十一月二十日", date(2024, 11, 20)),
        ("二〇一九年十月三十一日", date(2019, 10, 31)),
        ("2024年3月1日", date(2024, 3, 1)),
    ],
)
def test_the_signing_date_in_chinese_numerals_is_the_document_date(signed: str, day: date) -> None:
    """The date under the signature, written in Chinese numerals, dates the plan; a deadline
    written without its year is read in that year."""
    text = f"一、重点任务\n1. 12月15日前完成排查（镇综治办负责）。\n某镇人民政府\n{signed}\n"
    plan = plan_of(import_text(text))
    assert plan.document.date == day
    item = plan.get("1.1")
    assert item is not None
    assert item.due == date(day.year, 12, 15)


# -- tags: two in one sentence, and two side by side ----------------------------------------------


RIVERS = """一、重点任务
（一）加强河道治理。开展河道排查（镇水利站负责），建立问题台账（镇综治办负责）。完成河道清淤（镇农服中心负责）。
（二）加强垃圾治理。开展垃圾分类。（牵头单位：镇城管中队）（配合单位：各村）推进垃圾减量（镇环卫所负责）。
"""


def test_two_tags_in_one_sentence_name_its_units_and_leave_its_text() -> None:
    """「开展河道排查（X负责），建立问题台账（Y负责）。」 is one action of X and Y; its title and
    text are the sentence without the tags, as every other action's are."""
    result = import_text(RIVERS)
    plan = plan_of(result)
    first = plan.get("1.1.1")
    assert first is not None
    assert plan.office_names(first) == ("镇水利站", "镇综治办")
    assert (first.title, first.text) == ("开展河道排查", "开展河道排查，建立问题台账。")
    second = plan.get("1.1.2")
    assert second is not None and plan.office_names(second) == ("镇农服中心",)
    assert (second.title, second.text) == ("完成河道清淤", "完成河道清淤。")
    task = plan.get("1.1")  # it names no unit: its actions' units are its own, and it says so
    assert task is not None
    assert plan.office_names(task) == ("镇水利站", "镇综治办", "镇农服中心")
    assert task.note.endswith("本任务未单列责任单位，取其下各项的责任单位")


def test_two_labelled_tags_side_by_side_are_read_and_not_reported_unread() -> None:
    """「（牵头单位：X）（配合单位：Y）」 names X, leading, and Y: both brackets were read, so
    neither is listed among the tags that could not be read."""
    result = import_text(RIVERS)
    plan = plan_of(result)
    sorting = plan.get("1.2.1")
    assert sorting is not None
    assert plan.office_names(sorting) == ("镇城管中队", "各村")
    assert [plan.offices[key].name for key in sorting.lead] == ["镇城管中队"]
    assert [(u.line, u.reason) for u in result.unplaced] == []


def test_a_label_names_the_unit_without_its_short_name() -> None:
    """「责任单位：市发展和改革委员会（简称发改委）、市财政局」: the 简称 is a remark, not part of
    the unit's name."""
    text = "一、重点任务\n1. 完善工作机制。责任单位：市发展和改革委员会（简称发改委）、市财政局\n"
    plan = plan_of(import_text(text))
    item = plan.get("1.1")
    assert item is not None and plan.office_names(item) == ("市发展和改革委员会", "市财政局")


def test_a_tag_on_a_short_heading_speaks_for_the_sentences_below_it() -> None:
    """「加强组织领导（牵头单位：X，配合单位：Y）。」 then two sentences: each is an action of X
    (leading) and Y, though the tag holds a comma."""
    text = (
        "一、重点任务\n1. 加强组织领导（牵头单位：镇党政办，配合单位：各村）。"
        "定期召开推进会议。及时通报工作进展。\n"
    )
    plan = plan_of(import_text(text))
    for item_id in ("1.1", "1.1.1", "1.1.2"):
        item = plan.get(item_id)
        assert item is not None, item_id
        assert plan.office_names(item) == ("镇党政办", "各村"), item_id
        assert [plan.offices[key].name for key in item.lead] == ["镇党政办"], item_id


def test_word_blank_paragraphs_are_blank_lines(tmp_path: Path) -> None:
    """Empty paragraphs between the numbered ones add nothing to any item's text, and the
    line numbers the import reports are the paragraphs' own."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in [
        "一、重点任务",
        "",
        "1. 开展河道排查（镇水利站负责）。",
        "",
        "",
        "2. 建立问题台账。",
    ]:
        document.add_paragraph(text)
    path = tmp_path / "方案.docx"
    document.save(str(path))
    result = import_file(path)
    plan = plan_of(result)
    assert [(i.id, i.text) for i in plan.items] == [
        ("1.1", "开展河道排查。"),
        ("1.2", "建立问题台账。"),
    ]
    assert [(u.line, u.reason, u.text) for u in result.unplaced] == [(6, "no_unit", "建立问题台账")]


def test_a_word_table_with_a_malformed_merge_is_still_read(tmp_path: Path) -> None:
    """A table whose top-left cell says it continues a vertical merge from a row that does not
    exist (as some converters write it): its cells are read as they stand, rows become items."""
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    cells = [
        ["序号", "重点任务", "责任单位"],
        ["1", "开展河道排查", "镇水利站"],
        ["2", "建立问题台账", "镇综治办"],
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merge = OxmlElement("w:vMerge")
    merge.set(qn("w:val"), "continue")
    table.rows[0]._tr.tc_lst[0].get_or_add_tcPr().append(merge)
    path = tmp_path / "分解表.docx"
    document.save(str(path))
    plan = plan_of(import_file(path))
    assert [(i.id, i.title, plan.office_names(i)) for i in plan.items] == [
        ("t1.1", "开展河道排查", ("镇水利站",)),
        ("t1.2", "建立问题台账", ("镇综治办",)),
    ]


# -- what the notes tell the clerk ----------------------------------------------------------------


RECURRING = """一、重点任务
1. 每周五报送巡查情况（镇城管中队负责）。
2. 每月25日前报送工作进展（镇党政办负责）。
3. 每季度末报送工作总结（镇经发办负责）。
4. 每年3月底前报送年度总结（镇综治办负责）。
二、工作步骤
（一）集中整治阶段（2024年11月—2025年2月）
1. 1月15日前完成中期检查（镇督查办负责）。
某镇人民政府
2024年9月20日
"""


def test_notes_say_how_a_deadline_recurs_and_where_its_year_came_from() -> None:
    """Each recurring item's note says its period, the day it recurs on when the words do
    not say it (每年3月底: 每年3月31日), and its first due day; a day without its year says
    that the year was taken from the phase, naming the phase's window."""
    plan = plan_of(import_text(RECURRING))
    notes = {i.id: i.note for i in plan.items if "@" not in i.id}
    assert notes["1.1"] == "“每周五”每周重复；截止日为第一次（2024-09-20）"
    assert notes["1.2"] == "“每月25日”每月重复；截止日为第一次（2024-09-25）"
    assert notes["1.3"] == "“每季度末”每季度重复；截止日为第一次（2024-09-30）"
    assert notes["1.4"].startswith(
        "“每年3月底”每年重复（每年3月31日）；截止日为第一次（2025-03-31）"
    )
    assert notes["2.1.1"] == "原文未写年份，按本阶段（2024年11月—2025年2月）推定为 2025 年"
    first = {
        each: min(i.due for i in plan.items if i.id.startswith(f"{each}@") and i.due)
        for each in ("1.1", "1.2", "1.3")
    }
    assert first == {"1.1": date(2024, 9, 20), "1.2": date(2024, 9, 25), "1.3": date(2024, 9, 30)}


def test_a_yearly_item_whose_first_day_is_after_the_last_phase_still_loads() -> None:
    """「每年3月底前」 in a plan whose phases end in February 2025: the plan loads (exit 0, not
    the plan error that a recurrence with no occurrence is), the item is due once, on
    2025-03-31, and its note says why only once."""
    plan = plan_of(import_text(RECURRING))
    yearly = [(i.id, i.due) for i in plan.items if i.id.startswith("1.4@")]
    assert yearly == [("1.4@2025", date(2025, 3, 31))]
    item = plan.get("1.4")
    assert item is not None and "只列第一次（2025-03-31）" in item.note


def test_a_task_sheet_row_by_row(tmp_path: Path) -> None:
    """A 任务分解表 with its note 「列第一位的为牵头单位」: the first unit of each list leads; a
    row's title is its measure's first sentence; a task name left empty under a task is that
    task (its text says so); a second units column is read when the first is empty; a units
    cell that is no list of names is reported at its row, never made a unit; and an item read
    from a cell keeps no tag text (there was none)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "具体措施", "责任单位", "配合单位", "完成时限"])
    sheet.append(
        [1, "人居环境", "新建公厕5座。完成改厕100户。", "县住建局、县财政局", None, "2024年9月底前"]
    )
    sheet.append([2, None, "完成污水治理村庄6个", None, "县生态环境局", "2024年12月底前"])
    sheet.append([3, "产业发展", "培育龙头企业2家", "详见附件：责任清单", None, "2024年"])
    sheet.append(["注：责任单位中列第一位的为牵头单位。"])
    path = tmp_path / "分解表.xlsx"
    book.save(str(path))
    result = import_file(path)
    plan = plan_of(result)
    rows = {i.id: i for i in plan.items}
    assert list(rows) == ["t1.1", "t1.2", "t1.3"]
    first, second, third = rows["t1.1"], rows["t1.2"], rows["t1.3"]
    assert (first.title, plan.office_names(first)) == ("新建公厕5座", ("县住建局", "县财政局"))
    assert [plan.offices[key].name for key in first.lead] == ["县住建局"]
    assert first.offices_text == ""
    assert second.text.startswith("人居环境") and plan.office_names(second) == ("县生态环境局",)
    assert plan.office_names(third) == (PLACEHOLDER_UNIT,)
    assert [(u.line, u.reason, u.text) for u in result.unplaced] == [
        (4, "no_unit", "培育龙头企业2家"),
        (4, "unread_units", "详见附件：责任清单"),
    ]


# -- text files -----------------------------------------------------------------------------------


PLAIN = "一、重点任务\n1. 开展河道排查（镇水利站负责）。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PLAIN.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + PLAIN.encode("utf-8"), "UTF-8"),
        (PLAIN.encode("utf-16-le"), "UTF-16"),  # saved without its BOM
        (PLAIN.encode("utf-16-be"), "UTF-16"),
    ],
)
def test_a_text_file_is_read_in_its_encoding(tmp_path: Path, data: bytes, encoding: str) -> None:
    """A plan saved as UTF-8 (with or without a BOM) or as UTF-16 without a BOM gives its item,
    and the import names the encoding it read."""
    path = tmp_path / "方案.txt"
    path.write_bytes(data)
    result = import_file(path)
    plan = plan_of(result)
    item = plan.get("1.1")
    assert result.encoding == encoding
    assert item is not None and plan.office_names(item) == ("镇水利站",)


def test_word_tables_that_are_no_task_tables_are_named_and_group_rows_are_no_items(
    tmp_path: Path,
) -> None:
    """Of four Word tables: an empty one, and a note, are skipped with their first words (none
    for the empty one) for the clerk to find; a header with no rows under it is skipped as such;
    in the task table a group row merged across its three columns (「一、产业发展」) is no item."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("附表：重点任务分解")
    document.add_table(rows=2, cols=2)
    tasks = document.add_table(rows=3, cols=3)
    for c, value in enumerate(["序号", "重点任务", "责任单位"]):
        tasks.cell(0, c).text = value
    group = tasks.cell(1, 0).merge(tasks.cell(1, 2))
    group.text = "一、产业发展"
    for c, value in enumerate(["1", "培育龙头企业", "县工信局"]):
        tasks.cell(2, c).text = value
    note = document.add_table(rows=1, cols=1)
    note.cell(
        0, 0
    ).text = "填表说明：本表由各单位如实填写，于每月5日前报县委办汇总，逾期未报的予以通报"
    header = document.add_table(rows=1, cols=3)
    for c, value in enumerate(["序号", "重点任务", "责任单位"]):
        header.cell(0, c).text = value
    path = tmp_path / "分解表.docx"
    document.save(str(path))
    result = import_file(path)
    plan = plan_of(result)
    assert [(i.id, i.title, plan.office_names(i)) for i in plan.items] == [
        ("t2.1", "培育龙头企业", ("县工信局",))
    ]
    assert [(s.index, s.reason, s.first) for s in result.skipped_tables] == [
        (1, "no_header", ""),
        (3, "no_header", "填表说明：本表由各单位如实填写，于每月5日前报县委办汇总，逾"),
        (4, "no_rows", "序号"),
    ]


def test_a_group_row_in_a_typed_table_is_no_item() -> None:
    """A table typed into the text, its group row written in the first cell only."""
    text = (
        "| 序号 | 重点任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n"
        "| 一、产业发展 | | | |\n| 1 | 培育龙头企业 | 县工信局 | 2024年底前 |\n"
    )
    plan = plan_of(import_text(text))
    assert [(i.title, plan.office_names(i), i.due) for i in plan.items] == [
        ("培育龙头企业", ("县工信局",), date(2024, 12, 31))
    ]


# -- the document's own title ---------------------------------------------------------------------


TASK = "一、重点任务\n1. 开展河道排查（镇水利站负责）。\n"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # 「关于…的实施意见」 is a title as 公文 write them (only 「关于印发…的通知」 is a notice)
        ("关于加强河道管理的实施意见\n", "关于加强河道管理的实施意见"),
        # a 通知 line is not the plan's title; the title below it, over two lines, is
        ("紧急通知\n某镇河道整治\n工作方案\n", "某镇河道整治工作方案"),
        # the issuer's name over the title is not part of it
        ("某镇人民政府\n河道整治工作方案\n", "河道整治工作方案"),
        # nor is the document number over it, nor a line below it, nor the date above it
        ("某政发〔2024〕5号\n河道整治工作方案\n", "河道整治工作方案"),
        ("河道整治工作方案\n镇属各单位\n", "河道整治工作方案"),
        ("2024年3月1日\n河道整治工作方案\n", "河道整治工作方案"),
    ],
)
def test_the_title_standing_above_the_text(head: str, title: str) -> None:
    plan = plan_of(import_text(head + TASK))
    assert plan.document.title == title


def test_timing_sharing_a_tag_is_not_a_unit() -> None:
    """「（镇党政办负责，每季度报送一次）」: the unit is 镇党政办; how often is no unit."""
    plan = plan_of(import_text("一、重点任务\n1. 报送工作进展（镇党政办负责，每季度报送一次）。\n"))
    item = plan.get("1.1")
    assert item is not None and plan.office_names(item) == ("镇党政办",)


def test_a_two_row_header_names_lead_and_partner_columns(tmp_path: Path) -> None:
    """「责任单位」 over 「牵头单位 | 配合单位」: the first column's units lead."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "责任单位", None, "完成时限"])
    sheet.append([None, None, "牵头单位", "配合单位", None])
    sheet.append([1, "开展河道排查", "县水利局", "各乡镇", "2024年9月底前"])
    sheet.merge_cells("C1:D1")
    path = tmp_path / "分解表.xlsx"
    book.save(str(path))
    plan = plan_of(import_file(path))
    item = plan.get("t1.1")
    assert item is not None and plan.office_names(item) == ("县水利局", "各乡镇")
    assert [plan.offices[key].name for key in item.lead] == ["县水利局"]
    assert item.due == date(2024, 9, 30)


def test_a_title_only_quoted_in_the_opening_sentence_is_the_title() -> None:
    text = "为落实《某镇河道整治工作方案》，现就有关事项通知如下。\n" + TASK
    assert plan_of(import_text(text)).document.title == "某镇河道整治工作方案"


PHASES_BY_MONTH = """一、工作步骤
第一阶段：2024年1月—2月
1. 制定实施细则（镇党政办负责）。
（二）宣传发动阶段（2024年4月）
1. 开展宣传发动（镇宣传办负责）。
某镇人民政府
2024年1月5日
"""


def test_phases_named_by_one_month_or_by_their_window_alone() -> None:
    """A phase headed only by its window is named by its number; a phase given one month
    (「（2024年4月）」) is that month, not the time since the phase before."""
    plan = plan_of(import_text(PHASES_BY_MONTH))
    assert [(p.name, p.start, p.end) for p in plan.phases.values()] == [
        ("阶段1.1", date(2024, 1, 1), date(2024, 2, 29)),
        ("宣传发动阶段", date(2024, 4, 1), date(2024, 4, 30)),
    ]


def test_a_folder_or_an_unreadable_file_is_a_plan_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`xixin import` given a folder, a file it may not read, or one the disk fails to give,
    says which path and why (exit 3), never a traceback."""
    from xixin_cli.errors import ExitCode, PlanError

    with pytest.raises(PlanError) as folder:
        import_file(tmp_path)
    path = tmp_path / "方案.txt"
    path.write_text(PLAIN, encoding="utf-8")
    caught = {"import.is_dir": (folder, str(tmp_path))}
    for code, error in (
        ("import.no_permission", PermissionError(13, "Permission denied")),
        ("import.unreadable", OSError(5, "Input/output error")),
    ):

        def refuse(self: Path, error: OSError = error) -> bytes:
            raise error

        monkeypatch.setattr(Path, "read_bytes", refuse)
        with pytest.raises(PlanError) as failed:
            import_file(path)
        caught[code] = (failed, str(path))
    for code, (failure, named) in caught.items():
        assert failure.value.exit_code == ExitCode.PLAN
        assert [(p.path, p.code) for p in failure.value.problems] == [(named, code)]
    (unreadable,) = caught["import.unreadable"][0].value.problems
    assert "Input/output error" in str(unreadable.params["reason"])


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".pdf", ".et", ".ofd"])
def test_a_kind_of_file_not_read_is_refused_naming_its_kind(tmp_path: Path, suffix: str) -> None:
    """An old Word, WPS, PDF, ET or OFD file, even one holding plain text, is refused (exit 2)
    with its kind named, to be saved as .docx, .xlsx or .txt first."""
    from xixin_cli.errors import ExitCode, UsageError

    path = tmp_path / f"方案{suffix}"
    path.write_text(PLAIN, encoding="utf-8")
    with pytest.raises(UsageError) as refused:
        import_file(path)
    assert refused.value.exit_code == ExitCode.USAGE
    assert (refused.value.code, refused.value.params) == (
        "import.unsupported",
        {"path": str(path), "suffix": suffix},
    )


@pytest.mark.parametrize(("name", "suffix"), [("方案.txt", ".txt"), ("方案", "?")])
def test_an_old_word_file_renamed_is_refused_as_what_it_is(
    tmp_path: Path, name: str, suffix: str
) -> None:
    """An old binary Word or Excel file saved under another name (or none) is refused as a
    kind not read, never read as text."""
    from xixin_cli.errors import UsageError

    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(UsageError) as refused:
        import_file(path)
    assert (refused.value.code, refused.value.params["suffix"]) == ("import.unsupported", suffix)


def test_a_csv_that_is_no_task_table_is_named_by_its_file(tmp_path: Path) -> None:
    path = tmp_path / "填表说明.csv"
    path.write_text("本表由各单位填写\n于每月5日前报送\n", encoding="utf-8")
    result = import_file(path)
    assert result.items == 0
    assert [(s.sheet, s.reason) for s in result.skipped_tables] == [("填表说明", "no_header")]


@pytest.mark.parametrize("stop", ["。", "；", ";"])
def test_a_tag_after_its_sentence_speaks_for_that_sentence_only(stop: str) -> None:
    """「开展河道排查。（X负责）完成河道清淤。（Y负责）」: the tag standing after a sentence's
    stop is that sentence's; the next sentence is the next tag's."""
    text = (
        f"一、重点任务\n（一）加强河道治理。开展河道排查{stop}（镇水利站负责）"
        f"完成河道清淤{stop}（镇农服中心负责）\n"
    )
    plan = plan_of(import_text(text))
    actions = [(i.title, plan.office_names(i)) for i in plan.items if i.parent == "1.1"]
    assert actions == [("开展河道排查", ("镇水利站",)), ("完成河道清淤", ("镇农服中心",))]


def test_a_sentence_opened_by_a_connective_is_titled_by_what_it_says() -> None:
    text = "一、重点任务\n1. 加强河道巡查（镇水利站负责）。同时，各村定期开展自查。\n"
    plan = plan_of(import_text(text))
    assert [i.title for i in plan.items] == ["加强河道巡查", "各村定期开展自查"]


def test_the_issuers_signing_above_the_date() -> None:
    """A joint signing block (blank lines between its names) is the issuers; 「特此通知」 above
    it is not one."""
    text = (
        "一、重点任务\n1. 加强河道巡查（镇水利站负责）。\n特此通知\n"
        "中共某镇委员会\n\n某镇人民政府\n2024年3月1日\n"
    )
    plan = plan_of(import_text(text))
    assert plan.document.issuer == "中共某镇委员会 某镇人民政府"
    assert plan.document.date == date(2024, 3, 1)


def test_a_bracket_of_up_to_eight_characters_is_part_of_a_name() -> None:
    """「各县(市、区)政府」keeps its bracket; a longer remark (nine characters or more), a
    legend or 「简称」 is dropped."""
    from xixin_cli.importer.tags import _outside_brackets

    assert _outside_brackets("各县（市、区、旗）政府") == "各县（市、区、旗）政府"
    assert _outside_brackets("乡党群办（负责牵头抓总工作）") == "乡党群办（负责牵头抓总工作）"
    assert _outside_brackets("乡党群办（负责牵头抓总各项工作）") == "乡党群办"
    assert _outside_brackets("乡人民政府（以下简称乡政府）") == "乡人民政府"


def test_a_typed_table_below_an_item_is_no_part_of_its_text() -> None:
    """The rows of a table typed into the text are read as the table's items, never as the
    words of the item standing above them."""
    text = (
        "一、重点任务\n1. 开展河道排查（镇水利站负责）。\n"
        "| 序号 | 重点任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n"
        "| 一、产业发展 | | | |\n| 1 | 培育龙头企业 | 县工信局 | 2024年底前 |\n"
    )
    plan = plan_of(import_text(text))
    assert [(i.id, i.title, plan.office_names(i), i.due) for i in plan.items] == [
        ("1.1", "开展河道排查", ("镇水利站",), None),
        ("t1.1", "培育龙头企业", ("县工信局",), date(2024, 12, 31)),
    ]


def test_a_phase_due_the_day_the_last_one_ends_is_that_month() -> None:
    """Two phases both 「9月30日前」: the second is September too, not a window that starts
    after it ends (the plan would not load)."""
    text = (
        "某镇河道整治工作方案\n一、工作步骤\n（一）动员部署阶段（2022年9月30日前）\n"
        "1. 召开动员会议（镇水利站负责）。\n（二）集中整治阶段（2022年9月30日前）\n"
        "2. 开展河道清理（镇水利站负责）。\n"
    )
    plan = plan_of(import_text(text))
    assert [(p.name, p.start, p.end) for p in plan.phases.values()] == [
        ("动员部署阶段", date(2022, 9, 1), date(2022, 9, 30)),
        ("集中整治阶段", date(2022, 9, 1), date(2022, 9, 30)),
    ]


def test_the_stops_after_a_tag_end_its_stretch() -> None:
    """「开展河道排查。（X负责）。完成清淤。（Y负责）；…」: the stops standing after a tag are
    its own; the next sentence starts after them, whole."""
    text = (
        "一、重点任务\n（一）加强河道治理。开展河道排查。（镇水利站负责）。"
        "完成河道清淤。（镇农服中心负责）；建立巡河台账。（镇林业站负责）\n"
    )
    plan = plan_of(import_text(text))
    assert [(i.title, plan.office_names(i)) for i in plan.items if i.parent == "1.1"] == [
        ("开展河道排查", ("镇水利站",)),
        ("完成河道清淤", ("镇农服中心",)),
        ("建立巡河台账", ("镇林业站",)),
    ]


def test_a_closing_tag_after_a_list_with_a_unit_of_its_own_stays_with_the_last_item() -> None:
    """A tag on a line of its own after a list speaks for the whole list only when no item
    of the list names a unit; here the last one does, so the tag is that item's, and the item
    that names none is reported for the clerk to place."""
    text = (
        "一、重点任务\n（一）加强河道治理\n1. 开展河道排查。\n"
        "2. 完成河道清淤（镇农服中心负责）。\n（镇水利站负责）\n"
    )
    result = import_text(text)
    plan = plan_of(result)
    assert [(i.id, plan.office_names(i)) for i in plan.items] == [
        ("1.1", ("镇农服中心", "镇水利站")),
        ("1.1.1", (PLACEHOLDER_UNIT,)),
        ("1.1.2", ("镇农服中心", "镇水利站")),
    ]
    assert [(u.line, u.reason) for u in result.unplaced] == [(3, "no_unit")]


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("2024年上半年完成", date(2024, 6, 30)),
        ("2024年下半年完成", date(2024, 12, 31)),
        ("2024年第三季度完成", date(2024, 9, 30)),
        ("2024年第3季度前完成", date(2024, 9, 30)),
        ("2024年一季度完成", date(2024, 3, 31)),
        ("印发之日起30日内完成", date(2024, 2, 9)),
        ("印发之日起两周内完成", date(2024, 1, 24)),
        ("自印发之日起3个月内完成", date(2024, 4, 10)),
        ("自印发之日起2年内完成", date(2026, 1, 10)),
    ],
)
def test_halves_quarters_and_spans_from_the_issue_day(words: str, due: date) -> None:
    """A half year ends in June or December, a quarter in its third month; 「印发之日起30日内」
    counts days from the document's date, 「两周内」 weeks, 「3个月内」 months, 「2年内」 years."""
    found = find_deadline(words, date(2024, 1, 10))
    assert found is not None and found.due == due


@pytest.mark.parametrize(
    ("words", "number"), [("一百零五", 105), ("一百二十", 120), ("一百", 100), ("九十九", 99)]
)
def test_numbers_past_a_hundred_in_chinese(words: str, number: int) -> None:
    from xixin_cli.importer.numbering import ordinal

    assert ordinal(words) == number


def test_the_plan_written_says_what_it_did_not_find_and_marks_groups() -> None:
    """No 文号 found: the placeholder says so; 「各村」 is a group of units; each item keeps the
    words it came from and its units' own words."""
    text = "一、重点任务\n1. 开展河道排查（各村负责）。\n2. 建立巡河台账（镇水利站负责）。\n"
    written = import_text(text).yaml
    assert '  number: "（未找到文号）"' in written
    assert 'name: "各村", group: true' in written
    assert 'name: "镇水利站"}' in written
    assert '    source: "一1"' in written
    assert '    offices_text: "（各村负责）"' in written


def test_an_item_without_units_or_a_day_says_so_in_its_note() -> None:
    """What the clerk must complete is said on the item itself, in the words a clerk reads."""
    text = (
        "一、重点任务\n（一）加强河道治理\n1. 开展河道排查。\n"
        "2. 完成河道清淤（镇农服中心负责）。\n（镇水利站负责）\n"
    )
    notes = {i.id: i.note for i in plan_of(import_text(text)).items}
    assert notes["1.1.1"] == (
        "原文未写明责任单位，请补上（暂列“未明确责任单位”）；原文未规定完成时限，暂作常态化事项"
    )
    assert notes["1.1"].endswith("本任务未单列责任单位，取其下各项的责任单位")


def test_a_long_sentence_is_titled_by_its_first_forty_characters() -> None:
    long = "开展" + "河道" * 30 + "排查"
    (item,) = plan_of(import_text(f"一、重点任务\n1. {long}（镇水利站负责）。\n")).items
    assert item.title == long[:39] + "…" and len(item.title) == 40


def test_a_published_pages_metadata_block_gives_the_document() -> None:
    """「发文机关：… 成文日期：… 发文字号：…」 as a government site prints them; a deadline counted
    from the document's date is found, and counted among the dates found."""
    text = (
        "发文机关：某县人民政府 成文日期：2024年01月10日 发文字号：某政发〔2024〕3号\n"
        "标题：某县河道整治工作方案\n一、重点任务\n"
        "1. 开展河道排查（镇水利站负责，印发之日起30日内完成）。\n"
        "2. 建立巡河台账（镇林业站负责）。\n"
    )
    result = import_text(text)
    plan = plan_of(result)
    document = plan.document
    assert (document.number, document.issuer, document.title, document.date) == (
        "某政发〔2024〕3号",
        "某县人民政府",
        "某县河道整治工作方案",
        date(2024, 1, 10),
    )
    assert [(i.id, i.due) for i in plan.items] == [("1.1", date(2024, 2, 9)), ("1.2", None)]
    assert result.found is not None and result.found.dates == 1
