"""The office's paper: forms out to a unit and back in, the ledger in Excel, reports in Word.

Every file is read back with a real reader (openpyxl, python-docx), as the office's Excel,
WPS or Word would open it.
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, Runner

openpyxl = pytest.importorskip("openpyxl")

AS_OF = "2022-11-28"
NUMBER = "洗府发〔2022〕145号"


def make_form(xixin: Runner, folder: Path, office: str = "乡民政办") -> Path:
    path = folder / "民政办.xlsx"
    made = xixin("form", "--office", office, "--as-of", AS_OF, "-o", str(path))
    assert made.code == 0, made.err
    assert path.is_file()
    return path


def rows_of(path: Path) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    return [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]


def fill(path: Path, filled: dict[str, dict[str, Any]], out: Path | None = None) -> Path:
    """Fill the form as a unit would: by row, in the cells left open to it."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    columns = {"status": 5, "progress": 6, "problems": 7, "next": 8, "day": 9, "by": 10}
    for row in range(5, sheet.max_row + 1):
        item = sheet.cell(row, 1).value
        for key, value in filled.get(str(item), {}).items():
            sheet.cell(row, columns[key]).value = value
    target = out or path
    book.save(target)
    return target


# -- forms out -------------------------------------------------------------------------------


def test_a_form_lists_the_units_open_parts_with_a_header_and_a_hidden_identity(
    xixin: Runner, tmp_path: Path
) -> None:
    path = make_form(xixin, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = " ".join(str(sheet.cell(row, 1).value or "") for row in range(1, 4))
    assert NUMBER in header and "乡民政办" in header and AS_OF in header
    assert [c.value for c in sheet[4]][:10] == [
        "编号",
        "事项",
        "截止",
        "当前状态",
        "本期状态",
        "进展情况",
        "存在问题",
        "下一步措施",
        "完成日期",
        "填报人",
    ]
    rows = rows_of(path)
    listed = json.loads(xixin("list", "--office", "乡民政办", "--json").out)
    leaves = [d["id"] for d in listed if d["progress"] is None and d["status"] != "done"]
    assert [row[0] for row in rows] == leaves
    # protected cells locked, the unit's cells open, a status drop-down, a date cell
    assert sheet.protection.sheet
    assert sheet.cell(5, 1).protection.locked and not sheet.cell(5, 5).protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists and "已完成" in lists[0].formula1
    assert any(v.type == "date" for v in sheet.data_validations.dataValidation)
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
    hidden = book["_xixin"]
    assert hidden.sheet_state == "hidden"


def test_forms_for_every_unit_at_once(xixin: Runner, tmp_path: Path) -> None:
    made = xixin("form", "--split-by", "office", "--as-of", AS_OF, "-o", str(tmp_path))
    assert made.code == 0, made.err
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert "乡民政办-推进情况表.xlsx" in names and len(names) == 9


# -- forms back ------------------------------------------------------------------------------


def test_a_filled_form_comes_back_as_the_units_changes_once(xixin: Runner, tmp_path: Path) -> None:
    path = make_form(xixin, tmp_path)
    first, second = (row[0] for row in rows_of(path)[:2])
    fill(
        path,
        {
            first: {
                "status": "已完成",
                "progress": "已走访困难群众 32 户",
                "problems": "资金未到位",
                "next": "12月上旬完成台账",
                "day": datetime(2022, 11, 25),
                "by": "李四",
            },
            second: {"status": "进行中", "progress": "已部署"},
        },
    )
    got = xixin("collect", str(path))
    assert got.code == 0, got.err
    history = json.loads(xixin("history", first, "--json").out)
    change = next(r for r in history if r.get("status") == "done")
    assert change["v"] == 5 and change["office"] == "minzheng"
    assert change["progress"] == "已走访困难群众 32 户"
    assert change["problems"] == "资金未到位" and change["next"] == "12月上旬完成台账"
    assert change["by"] == "李四" and change["on"] == "2022-11-25"
    assert any(r.get("kind") == "evidence" for r in history)  # the returned form itself
    shown = xixin("show", first)
    assert "资金未到位" in shown.out
    before = (tmp_path / "status.jsonl").read_bytes()
    again = xixin("collect", str(path))
    assert again.code == 0, again.err
    assert (tmp_path / "status.jsonl").read_bytes() == before


def test_a_form_with_a_protected_cell_edited_records_nothing_and_names_the_cell(
    xixin: Runner, tmp_path: Path
) -> None:
    path = make_form(xixin, tmp_path)
    first = rows_of(path)[0][0]
    fill(path, {first: {"status": "已完成"}})
    book = openpyxl.load_workbook(path)
    book.worksheets[0].cell(6, 2).value = "改过的事项"
    book.save(path)
    got = xixin("collect", str(path))
    assert got.code == 7
    assert path.name in got.err and "B6" in got.err and "推进情况表" in got.err
    assert not (tmp_path / "status.jsonl").exists() or not (tmp_path / "status.jsonl").read_text()


@pytest.mark.parametrize(
    ("cell", "value", "said"),
    [
        ("status", "差不多了", "E5"),
        ("day", "上周五", "I5"),
        ("day", "2099-01-01", "I5"),
        ("status", "已销号", "销号由乡党群办审核后办理"),  # a unit cannot close its own work
    ],
)
def test_a_bad_status_or_date_names_the_cell(
    xixin: Runner, tmp_path: Path, cell: str, value: str, said: str
) -> None:
    path = make_form(xixin, tmp_path)
    first = rows_of(path)[0][0]
    fill(path, {first: {cell: value, "progress": "x"}})
    got = xixin("collect", str(path))
    assert got.code == 7 and said in got.err and got.err.count("\n") == 1
    assert not (tmp_path / "status.jsonl").exists()


def test_a_form_of_another_plan_or_unit_is_refused(xixin: Runner, tmp_path: Path) -> None:
    path = make_form(xixin, tmp_path)
    book = openpyxl.load_workbook(path)
    hidden = book["_xixin"]
    for row in hidden.iter_rows():
        if row[0].value == "plan":
            row[1].value = "某府发〔2023〕1号"
    book.save(path)
    got = xixin("collect", str(path))
    assert got.code == 7 and "_xixin" in got.err
    other = make_form(xixin, tmp_path)
    wrong = xixin("collect", "--office", "乡党群办", str(other))
    assert wrong.code == 7 and "乡民政办" in wrong.err


def test_not_a_form(xixin: Runner, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    got = xixin("collect", str(path))
    assert got.code == 7 and "x.xlsx" in got.err and "Traceback" not in got.err


def test_unreported_names_the_units_that_sent_nothing(xixin: Runner, tmp_path: Path) -> None:
    path = make_form(xixin, tmp_path)
    day = datetime(2022, 11, 25)  # the work was done then; the form came in today
    fill(path, {rows_of(path)[0][0]: {"status": "进行中", "progress": "已部署", "day": day}})
    assert xixin("collect", str(path)).code == 0
    from xixin_cli.dates import today_in_china

    today = today_in_china().isoformat()
    got = xixin("unreported", "--since", today, "--as-of", today)
    assert got.code == 0, got.err
    assert "乡党群办" in got.out and "乡民政办" not in got.out


def test_unreported_counts_the_day_a_report_happened_and_nothing_after_as_of(
    xixin: Runner, tmp_path: Path
) -> None:
    # A user's trial: 司法所's only record happened 2022-11-10 (typed in today, --on), and
    # `unreported --since 2022-11-28` did not list it: it went by the day it was typed.
    assert xixin("start", "4.8.1", "--office", "司法所", "--on", "2022-11-10").code == 0
    got = xixin("unreported", "--since", "2022-11-28", "--as-of", "2022-12-02")
    assert got.code == 0, got.err
    (line,) = [line for line in got.out.splitlines() if line.startswith("乡司法所")]
    assert "最近报送：2022-11-10" in line, got.out
    assert "2022-11-28 以来未报送的单位" in got.err
    earlier = xixin("unreported", "--since", "2022-11-01", "--as-of", "2022-12-02")
    assert "乡司法所" not in earlier.out, earlier.out  # it did report on 2022-11-10
    # A form collected today came in today, whatever day its work was done (完成日期); as of
    # a day before today it had not come in yet.
    path = make_form(xixin, tmp_path)
    done = datetime(2022, 11, 25)
    fill(path, {rows_of(path)[0][0]: {"status": "进行中", "progress": "已部署", "day": done}})
    assert xixin("collect", str(path)).code == 0
    before = xixin("unreported", "--since", "2022-11-21", "--as-of", "2022-11-28")
    assert before.code == 0, before.err
    (line,) = [line for line in before.out.splitlines() if line.startswith("乡民政办")]
    assert "从未报送" in line, before.out


# -- the log format ---------------------------------------------------------------------------


def test_feedback_is_format_5_and_older_records_read_as_before(tmp_path: Path) -> None:
    from datetime import timedelta, timezone

    from xixin_cli.model import Event, Status
    from xixin_cli.status_log import event_from_record, event_to_record

    at = datetime(2022, 11, 28, 9, tzinfo=timezone(timedelta(hours=8)))
    plain = Event("e1", at, "4.3.2", Status.DONE, Status.TODO, "a", office="minzheng")
    assert event_to_record(plain)["v"] == 3 and "progress" not in event_to_record(plain)
    told = plain._replace(progress="p", problems="q", next="n")
    record = event_to_record(told)
    assert record["v"] == 5 and event_from_record(record) == told
    old = {"v": 4, "event": "e2", "at": at.isoformat(), "item": "4.3.2", "status": "done"}
    old |= {"previous": "todo", "by": "a", "note": "", "on": "2022-11-25"}
    read = event_from_record(old)
    assert (read.progress, read.problems, read.next) == ("", "", "")


# -- the ledger ------------------------------------------------------------------------------


def test_the_ledger_has_one_row_per_part_with_fills_and_a_summary(
    xixin: Runner, tmp_path: Path
) -> None:
    assert xixin("done", "5.3.1", "--office", "all", "--on", "2022-11-25").code == 0
    path = tmp_path / "台账.xlsx"
    made = xixin("export", "xlsx", "--as-of", "2022-12-05", "-o", str(path))
    assert made.code == 0, made.err
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    listed = json.loads(xixin("list", "--json").out)
    parts = sum(len(d["parts"]) for d in listed if d["progress"] is None)
    assert sheet.max_row == parts + 1
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    fills = {
        sheet.cell(row, column).fill.fgColor.rgb
        for row in range(2, sheet.max_row + 1)
        for column in range(1, sheet.max_column + 1)
    }
    assert {"FFFFC7CE", "FFC6EFCE"} <= fills  # red (overdue) and green
    summary = book.worksheets[1]
    assert [c.value for c in summary["A"]][1:3] == ["乡党群办", "乡经发办"]


def test_the_ledger_takes_a_notes_and_a_blocks_reason_recorded_at_the_command_line(
    xixin: Runner, tmp_path: Path
) -> None:
    # A user's trial: `block 4.8.1 --office 司法所 --note 宣传经费未到位` was nowhere in the
    # 台账; only collected forms filled 进展情况 and 存在问题.
    blocked = ("block", "4.8.1", "--office", "司法所", "--note", "宣传经费未到位")
    assert xixin(*blocked, "--on", "2022-11-25").code == 0
    started = ("start", "4.1.1", "--office", "经发办", "--note", "已召开部署会")
    assert xixin(*started, "--on", "2022-11-25").code == 0
    path = tmp_path / "台账.xlsx"
    made = xixin("export", "xlsx", "--as-of", "2022-12-02", "-o", str(path))
    assert made.code == 0, made.err
    sheet = openpyxl.load_workbook(path).worksheets[0]
    head = [cell.value for cell in sheet[1]]
    progress, problems = head.index("进展情况"), head.index("存在问题")
    rows = {(r[0], r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["4.8.1", "乡司法所"][problems] == "宣传经费未到位"
    assert rows["4.8.1", "乡司法所"][progress] in (None, "")
    assert rows["4.1.1", "乡经发办"][progress] == "已召开部署会"
    assert rows["4.1.1", "乡经发办"][problems] in (None, "")
    assert rows["4.1.1", "乡党群办"][progress] in (None, "")  # another unit's part: its own


#: Text an older or hostile writer may have put in a log: C0 and C1 controls, a lone
#: surrogate, the two characters XML has no place for; none of them XML 1.0 can hold.
UNWRITABLE = "苗木\x1b[2J\x07未到\x9b\udcff\ufffe"


def _unwritable_log(state_file: Path) -> None:
    record = {
        "v": 5,
        "event": "e-unwritable",
        "at": "2022-11-25T09:00:00+08:00",
        "item": "4.7.8",
        "office": "nongfu",
        "status": "blocked",
        "previous": "todo",
        "by": "王\x1b芳",
        "note": UNWRITABLE,
        "progress": UNWRITABLE,
        "problems": UNWRITABLE,
        "next": UNWRITABLE,
    }
    line = json.dumps(record, ensure_ascii=True) + "\n"  # \udcff as JSON writes it
    state_file.write_text(line, encoding="utf-8")


def test_the_ledger_writes_what_a_log_holds_that_xml_cannot(
    xixin: Runner, tmp_path: Path, state_file: Path
) -> None:
    _unwritable_log(state_file)
    path = tmp_path / "台账.xlsx"
    made = xixin("export", "xlsx", "--as-of", "2022-12-02", "-o", str(path))
    assert made.code == 0, made.err
    assert "Traceback" not in made.err
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    (row,) = [r for r in rows if r[0] == "4.7.8" and r[2] == "乡农服中心"]
    texts = [value for value in row if isinstance(value, str) and "苗木" in value]
    assert len(texts) == 3, row  # 进展情况, 存在问题, 下一步措施
    for text in texts:
        assert text.startswith("苗木") and "未到" in text, text
        assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text), text
        assert "\udcff" not in text and "\ufffe" not in text, text
    assert "王\\x1b芳" in row  # the recorder, its escape written out as a terminal shows it


# -- reports in Word -------------------------------------------------------------------------

docx = pytest.importorskip("docx")


@pytest.mark.parametrize("kind", ["weekly", "self-check", "notice"])
def test_reports_as_word_in_official_format(xixin: Runner, tmp_path: Path, kind: str) -> None:
    from docx.shared import Mm, Pt

    path = tmp_path / f"{kind}.docx"
    made = xixin("report", kind, "--as-of", AS_OF, "--format", "docx", "-o", str(path))
    assert made.code == 0, made.err
    document = docx.Document(str(path))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m / Mm(1)) for m in margins] == [37, 35, 28, 26]
    text = "\n".join(p.text for p in document.paragraphs)
    assert NUMBER in text
    title = document.paragraphs[0]
    assert title.runs[0].font.size == Pt(22)
    xml = title.runs[0]._element.xml
    assert "方正小标宋简体" in xml
    body = document.styles["Normal"]
    assert body.font.size == Pt(16) and "仿宋_GB2312" in body.element.xml
    footer = section.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer and "—" in footer


@pytest.mark.parametrize("kind", ["weekly", "self-check", "notice"])
def test_a_word_report_writes_what_a_log_holds_that_xml_cannot(
    xixin: Runner, tmp_path: Path, state_file: Path, kind: str
) -> None:
    _unwritable_log(state_file)
    path = tmp_path / f"{kind}.docx"
    made = xixin("report", kind, "--as-of", "2022-11-28", "--format", "docx", "-o", str(path))
    assert made.code == 0, made.err
    assert "Traceback" not in made.err
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if kind != "notice":  # the weekly report's changes and the self-check's 存在的问题 say it
        assert "苗木" in text and "未到" in text, text
    assert not any((ord(ch) < 32 and ch not in "\n\t") or 127 <= ord(ch) < 160 for ch in text)


#: A heading numbered as Chinese is (四、 （一）), or as English is (4. (1)), as a Word report's
#: paragraph starts.
CHINESE_NUMBER = r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"
ENGLISH_NUMBER = r"^(\d+\. |\(\d+\) )"


@pytest.mark.parametrize("kind", ["weekly", "self-check", "notice"])
@pytest.mark.parametrize("how", ["--lang", "plan"])
def test_an_english_word_report_numbers_its_headings_in_english(
    xixin: Runner, tmp_path: Path, kind: str, how: str
) -> None:
    # A user's trial: the English weekly report in Word numbered "1. 2. 3." then "四、", and
    # each unit "（一）".
    import re

    from xixin_cli.paths import bundled_plan

    if how == "--lang":
        english: tuple[str, ...] = ("--lang", "en")
    else:  # a plan written in English: its reports are
        plan = tmp_path / "plan.yaml"
        text = bundled_plan().read_text(encoding="utf-8")
        plan.write_text(text.replace("\n  language: zh\n", "\n  language: en\n", 1), "utf-8")
        english = ("--plan", str(plan))
    path = tmp_path / f"{kind}.docx"
    made = xixin(*english, "report", kind, "--as-of", AS_OF, "-f", "docx", "-o", str(path))
    assert made.code == 0 and made.out == "", made.err
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert [t for t in texts if re.match(CHINESE_NUMBER, t)] == []
    numbered = [t for t in texts if re.match(ENGLISH_NUMBER, t)]
    tops = [int(t.split(".")[0]) for t in numbered if t[0].isdigit()]
    assert tops == list(range(1, len(tops) + 1)) and len(tops) >= 3, numbered
    if kind == "weekly":
        assert "4. Completion by office" in texts
        assert "(1) 乡党群办 (3)" in texts  # 2. Overdue: the first unit
    chinese = tmp_path / f"{kind}-zh.docx"
    made = xixin("report", kind, "--as-of", AS_OF, "-f", "docx", "-o", str(chinese))
    assert made.code == 0, made.err
    texts = [p.text for p in docx.Document(str(chinese)).paragraphs]
    assert [t for t in texts if re.match(ENGLISH_NUMBER, t)] == []
    if kind == "weekly":
        assert "四、各单位完成情况" in texts and "（一）乡党群办（3 项）" in texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_whose_name_starts_with_a_numeral_is_numbered_as_the_others(
    xixin: Runner, tmp_path: Path, lang: str
) -> None:
    # 三河村 starts with 三: it was taken for a heading that carries its own number, and its
    # section went without one among the numbered villages.
    import re

    from xixin_cli.paths import bundled_plan

    plan = tmp_path / "plan.yaml"
    line = "  cun: {name: 各村, group: true}"
    villages = "  cun: {name: 各村, group: true, members: [龙塘村, 三河村, 十里村]}"
    plan.write_text(bundled_plan().read_text(encoding="utf-8").replace(line, villages), "utf-8")
    path = tmp_path / "周报.docx"
    args = ("--lang", lang, "--plan", str(plan), "report", "weekly", "--as-of", AS_OF)
    made = xixin(*args, "-f", "docx", "-o", str(path))
    assert made.code == 0 and made.out == "", made.err
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    number = CHINESE_NUMBER if lang == "zh" else ENGLISH_NUMBER
    for village in ("龙塘村", "三河村", "十里村"):
        sections = [t for t in texts if re.search(f"{village} ?[（(]", t)]
        assert sections and all(re.match(number, t) for t in sections), sections


def test_a_word_report_can_start_from_the_offices_own_letterhead(
    xixin: Runner, tmp_path: Path
) -> None:
    from docx.shared import Mm, RGBColor

    template = tmp_path / "红头.docx"
    letterhead = docx.Document()
    head = letterhead.add_paragraph().add_run("洗新乡人民政府文件")
    head.font.color.rgb = RGBColor(0xFF, 0, 0)
    letterhead.sections[0].top_margin = Mm(40)
    letterhead.save(str(template))
    path = tmp_path / "自查报告.docx"
    made = xixin(
        "report", "self-check", "--format", "docx", "--template", str(template), "-o", str(path)
    )
    assert made.code == 0, made.err
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "洗新乡人民政府文件" and any(NUMBER in t for t in texts[1:])
    assert round(document.sections[0].top_margin / Mm(1)) == 40  # the office's page setup


def test_word_needs_a_file_and_a_template_needs_word(xixin: Runner, tmp_path: Path) -> None:
    assert xixin("report", "notice", "--format", "docx").code == 2
    bad = tmp_path / "x.docx"
    bad.write_text("not a document")
    got = xixin("report", "notice", "-f", "docx", "--template", str(bad), "-o", str(tmp_path / "y"))
    assert got.code == 2 and "x.docx" in got.err
    assert xixin("report", "weekly", "--template", str(bad)).code == 2


def test_the_notice_in_markdown_ranks_the_units(xixin: Runner) -> None:
    assert xixin("done", "5.3.1", "--office", "all", "--on", "2022-11-25").code == 0
    got = xixin("report", "notice", "--as-of", "2022-12-05")
    assert got.code == 0, got.err
    assert "督查通报" in got.out and "按时完成率" in got.out and "工作要求" in got.out
    assert NUMBER in got.out


def test_the_same_form_twice_in_one_command_records_once(xixin: Runner, tmp_path: Path) -> None:
    path = make_form(xixin, tmp_path)
    fill(path, {rows_of(path)[0][0]: {"status": "进行中", "progress": "已部署"}})
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    assert xixin("collect", str(path), str(copy)).code == 0
    records = (tmp_path / "status.jsonl").read_text("utf-8").splitlines()
    assert len(records) == 2  # one change and its evidence


def test_a_workbook_saved_by_excel_reads_with_shared_and_rich_strings(tmp_path: Path) -> None:
    """Excel, WPS and LibreOffice keep strings in a shared table, some as rich-text runs."""
    import zipfile

    from xixin_cli.office.xlsx_read import read_workbook

    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    path = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {main} {rel}><workbookPr date1904="0"/><sheets>'
            '<sheet name="推进情况表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            f"<sst {main}><si><t>4.3.1</t></si>"
            "<si><r><t>已走访</t></r><r><t>困难群众</t></r><rPh><t>x</t></rPh></si></sst>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet {main}><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c>'
            '<c r="C2" t="s"><v>1</v></c><c r="I2"><v>44890</v></c></row></sheetData></worksheet>',
        )
    book = read_workbook(path, 10)
    row = book.sheets["推进情况表"][1]
    assert row[0] == "4.3.1" and row[1] is None and row[2] == "已走访困难群众"
    assert isinstance(row[8], float) and book.serial_date(row[8]) == date(2022, 11, 25)


def test_collect_reads_forms_without_openpyxl(
    xixin: Runner, tmp_path: Path, process_env: dict[str, str]
) -> None:
    import subprocess
    import sys

    path = make_form(xixin, tmp_path)
    fill(path, {rows_of(path)[0][0]: {"status": "进行中", "progress": "已部署"}})
    script = (
        "import sys; from xixin_cli.cli import run; code = run(sys.argv[1:]); "
        "print(code, 'openpyxl' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "collect", str(path)],
        env=process_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split() == ["0", "False"], done.stderr


# -- any file, any cell: a result or our problem lines, never a traceback ----------------------

FEW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@functools.cache
def _blank_form() -> bytes:
    """乡民政办's form as sent, made once for the property tests."""
    from xixin_cli.office.forms import form_bytes, form_rows
    from xixin_cli.plan_file import load_plan
    from xixin_cli.session import Settings, item_filter, open_session, view

    plan = load_plan(ROOT / "plan.yaml")
    opened = open_session(Settings(str(ROOT / "plan.yaml"), ("/nonexistent/s.jsonl",), None))
    states = view(opened, item_filter(opened, "minzheng"))
    rows = form_rows([s for s in states.values() if s.progress is None], "zh")
    sent = (date(2022, 11, 28), date(2022, 12, 5))
    return form_bytes(plan, "minzheng", rows, "zh", *sent, "x")


@FEW
@given(data=st.binary(max_size=2000))
def test_any_bytes_as_a_form_is_refused_with_a_line(tmp_path: Path, data: bytes) -> None:
    from xixin_cli.office.forms import read_form
    from xixin_cli.plan_file import load_plan

    plan = load_plan(ROOT / "plan.yaml")
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    read = read_form(path, plan, date(2023, 1, 1))
    assert read.rows == () and len(read.problems) == 1


@FEW
@given(
    cells=st.lists(
        st.tuples(
            st.integers(4, 14),  # rows 1-3 are the merged header
            st.integers(1, 12),
            st.one_of(
                st.none(),
                st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
                st.integers(),
                st.floats(allow_nan=False),
            ),
        ),
        max_size=6,
    )
)
def test_any_cells_in_a_form_give_rows_or_problems(
    tmp_path: Path, cells: list[tuple[int, int, object]]
) -> None:
    from xixin_cli.office.forms import read_form
    from xixin_cli.plan_file import load_plan

    plan = load_plan(ROOT / "plan.yaml")
    path = tmp_path / "f.xlsx"
    path.write_bytes(_blank_form())
    book = openpyxl.load_workbook(path)
    for row, column, value in cells:
        book.worksheets[0].cell(row, column).value = value
    book.save(path)
    read = read_form(path, plan, date(2023, 1, 1))
    assert not (read.rows and read.problems)
    for problem in read.problems:
        assert problem.render("zh").startswith(str(path))


def test_a_form_is_never_written_over_a_returned_one_kept_as_evidence(
    xixin: Runner, tmp_path: Path
) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    assert xixin("form", "--split-by", "office", "--as-of", AS_OF, "-o", str(folder)).code == 0
    path = folder / "乡民政办-推进情况表.xlsx"
    fill(path, {rows_of(path)[0][0]: {"status": "进行中", "progress": "已部署"}})
    assert xixin("collect", str(path)).code == 0
    before = path.read_bytes()
    again = xixin("form", "--split-by", "office", "-o", str(folder))
    assert again.code == 5 and path.name in again.err
    single = xixin("form", "--office", "乡民政办", "-o", str(path))
    assert single.code == 5
    assert path.read_bytes() == before


def test_the_returned_form_is_kept_beside_the_log_so_it_travels(
    xixin: Runner, tmp_path: Path
) -> None:
    import hashlib

    path = make_form(xixin, tmp_path)
    fill(path, {rows_of(path)[0][0]: {"status": "进行中", "progress": "已部署"}})
    assert xixin("collect", str(path)).code == 0
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    kept = tmp_path / "status.jsonl.evidence" / sha[:2] / sha
    assert kept.read_bytes() == path.read_bytes()
    assert xixin("verify").code == 0


def _one_sheet(path: Path, sheet_data: str) -> Path:
    """A workbook of one sheet whose <sheetData> is `sheet_data`."""
    import zipfile

    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {main} {rel}><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f"<worksheet {main}><sheetData>{sheet_data}</sheetData></worksheet>",
        )
    return path


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="2"><c r="A2"><v>1</v></c><c r="7"><v>2</v></c></row>',  # a cell without column
        '<row r="0"><c r="A0"><v>1</v></c></row>',  # no row 0: it would land in the last row
        '<row r="-3"><c r="A1"><v>1</v></c></row>',
        '<row r="1048577"><c r="A1048577"><v>1</v></c></row>',  # past Excel's last row
    ],
)
def test_a_cell_or_row_that_names_no_place_in_the_sheet_refuses_the_workbook(
    tmp_path: Path, sheet_data: str
) -> None:
    """Hostile or broken: a value is never put where its cell does not say (a reference of
    digits alone read as column 0 wrote the sheet's last column; row 0 its last row), and a
    row number no spreadsheet has does not make a million empty rows."""
    from xixin_cli.office.xlsx_read import read_workbook

    path = _one_sheet(tmp_path / "bad.xlsx", sheet_data)
    with pytest.raises(ValueError):
        read_workbook(path, 10)


def test_a_cell_or_row_without_its_reference_follows_the_one_before(tmp_path: Path) -> None:
    """As Excel reads a sheet a hand-made tool wrote: C3 after B3 (it once overwrote B3, the
    second cell of its row), row 4 after row 3."""
    from xixin_cli.office.xlsx_read import read_workbook

    data = (
        '<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c r="AB4"><v>5</v></c></row>'
    )
    book = read_workbook(_one_sheet(tmp_path / "ok.xlsx", data), 30)
    rows = book.sheets["S"]
    assert len(rows) == 4 and rows[2][1] == 1.0 and rows[2][1:3] == [1.0, 2.0]
    assert rows[3][27] == 5.0 and rows[0] == [None] * 30


def test_a_row_far_down_the_sheet_is_read_without_a_row_made_for_each_one_before(
    tmp_path: Path,
) -> None:
    """Excel's last row is a place a value may be (a hostile form puts one there): the empty
    rows before it are one shared blank row, not a million lists (270 MB, and seconds)."""
    import tracemalloc

    from xixin_cli.office.xlsx_read import MAX_ROWS, read_workbook

    far = f'<row r="{MAX_ROWS}"><c r="A{MAX_ROWS}"><v>1</v></c></row>'
    data = '<row r="2"><c r="B2"><v>7</v></c></row>' + far
    path = _one_sheet(tmp_path / "far.xlsx", data)
    tracemalloc.start()
    try:
        rows = read_workbook(path, 15).sheets["S"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(rows) == MAX_ROWS
    assert rows[-1] == [1.0, *[None] * 14] and rows[1] == [None, 7.0, *[None] * 13]
    assert rows[0] == rows[MAX_ROWS // 2] == [None] * 15
    assert peak < 20 * 2**20  # the rows' list itself is 8 MB


def test_a_value_in_a_forms_last_row_is_an_extra_row_found_in_little_memory(
    xixin: Runner, tmp_path: Path
) -> None:
    """A value put in Excel's last row of each sheet: the unit is told of the row it added,
    and the form is read without a list for each empty row above it (hundreds of MB)."""
    import tracemalloc

    from xixin_cli.office.forms import read_form
    from xixin_cli.office.xlsx_read import MAX_ROWS
    from xixin_cli.paths import bundled_plan
    from xixin_cli.plan_file import load_plan

    path = make_form(xixin, tmp_path)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        sheet.cell(MAX_ROWS, 1).value = "x"
    title = book.worksheets[0].title
    book.save(path)
    plan = load_plan(bundled_plan())
    tracemalloc.start()
    try:
        read = read_form(path, plan, date(2022, 11, 28))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(p.code, p.key) for p in read.problems] == [("form.extra_row", f"{title}!A{MAX_ROWS}")]
    assert read.rows == ()
    assert peak < 40 * 2**20


def test_a_form_that_lists_more_rows_than_the_plan_has_items_is_refused_whole(
    xixin: Runner, tmp_path: Path
) -> None:
    """The identity's digest has no key: a hand-made form may list a million rows under a
    digest that matches. No form of the plan can list more rows than it has items, so such
    a form is refused at once as edited, not read row by row (a problem per row)."""
    from xixin_cli.office.forms import META, FormRow, _digest, read_form
    from xixin_cli.paths import bundled_plan
    from xixin_cli.plan_file import load_plan

    plan = load_plan(bundled_plan())
    path = make_form(xixin, tmp_path)
    book = openpyxl.load_workbook(path)
    hidden = book[META]
    meta = [(str(hidden.cell(n, 1).value), str(hidden.cell(n, 2).value)) for n in range(1, 9)]
    rows = [FormRow(f"9.{n}", "x", "", "") for n in range(len(plan.items) + 1)]
    for n, row in enumerate(rows, start=11):
        for column, value in enumerate(row, start=1):
            hidden.cell(n, column).value = value
    hidden.cell(9, 2).value = _digest(meta, rows)
    hidden.cell(10, 2).value = str(len(rows))
    book.save(path)
    read = read_form(path, plan, date(2022, 11, 28))
    assert [(p.code, p.key) for p in read.problems] == [("form.meta_edited", META)]


def test_a_workbook_part_larger_than_a_form_can_be_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip that unpacks to gigabytes (a zip bomb) is refused from its directory, before a
    byte of it is unpacked: the limit (MAX_PART, here made small) is on each part's size."""
    from xixin_cli.office import xlsx_read

    path = _one_sheet(tmp_path / "big.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>' * 40)
    assert xlsx_read.read_workbook(path, 10).sheets["S"][0][0] == 1.0
    monkeypatch.setattr(xlsx_read, "MAX_PART", 1000)
    with pytest.raises(ValueError, match=r"sheet1\.xml"):
        xlsx_read.read_workbook(path, 10)


def _part(xixin: Runner, item: str, office: str) -> str:
    shown = xixin("show", item, "--json")
    assert shown.code == 0, shown.err
    parts = json.loads(shown.out)["parts"]
    return str(next(p["status"] for p in parts if p["office_key"] == office))


def test_a_form_reopens_no_part_closed_out_since_it_went_out(xixin: Runner, tmp_path: Path) -> None:
    """A trial: a form sent while a part was 未开始 came back saying 进行中 after the office
    had closed the part out (已销号), and collect reopened it, silently, as a 退回. That row
    is left, and said so with the way to reopen it (return); a row that changes a part the
    office changed otherwise since is taken, with a word; the other rows as ever."""
    path = make_form(xixin, tmp_path)
    first, second, third, fourth, fifth, sixth = (row[0] for row in rows_of(path)[:6])
    for command in ("done", "close"):
        for item in (first, sixth):
            assert xixin(command, item, "--office", "minzheng").code == 0
    for item in (third, fourth, fifth):
        assert xixin("start", item, "--office", "minzheng").code == 0
    fill(
        path,
        {
            first: {"status": "进行中", "progress": "筹备中"},
            second: {"status": "进行中", "progress": "已部署"},
            third: {"progress": "已召开专题会"},  # no status: words for the part as it stands
            fourth: {"status": "进行中", "progress": "已排查 12 处"},  # what stands now, and words
            fifth: {"status": "已完成", "progress": "已验收"},  # on from what the office recorded
            sixth: {"progress": "台账已归档"},  # words alone for a part closed out: kept
        },
    )
    got = xixin("collect", str(path))
    assert got.code == 7, got.err  # ExitCode.FORM: something in the form was not taken
    assert _part(xixin, first, "minzheng") == "closed"
    assert _part(xixin, second, "minzheng") == "doing"
    assert _part(xixin, third, "minzheng") == "doing"
    assert _part(xixin, fifth, "minzheng") == "done"
    assert _part(xixin, sixth, "minzheng") == "closed"
    assert "台账已归档" in xixin("show", sixth).out
    [line] = [line for line in got.err.splitlines() if first in line]
    assert "已销号" in line and "进行中" in line and f"xixin return {first}" in line, line
    [moved] = [line for line in got.err.splitlines() if line.startswith("注意") and fifth in line]
    assert "未开始" in moved and "进行中" in moved, moved
    assert not any(line.startswith("注意") and second in line for line in got.err.splitlines())
    assert "已召开专题会" in xixin("show", third).out
    assert "已排查 12 处" in xixin("show", fourth).out
    again = xixin("collect", str(path))  # nothing new; the closed part's row said again
    assert again.code == 7 and first in again.err


def test_a_form_sent_again_corrected_is_taken(xixin: Runner, tmp_path: Path) -> None:
    """The unit's first answer changed its parts since the form went out: its corrected
    form, the same form filled again, is taken all the same (with a word for each)."""
    path = make_form(xixin, tmp_path)
    first = rows_of(path)[0][0]
    fill(path, {first: {"status": "进行中", "progress": "已部署"}})
    assert xixin("collect", str(path)).code == 0
    fill(path, {first: {"status": "受阻", "problems": "资金未到位"}})
    again = xixin("collect", str(path))
    assert again.code == 0, again.err
    assert _part(xixin, first, "minzheng") == "blocked"
    assert any(line.startswith("注意") and first in line for line in again.err.splitlines())


def test_collect_on_dates_the_rows_that_give_no_day(xixin: Runner, tmp_path: Path) -> None:
    """A trial: forms that came in on Friday, collected on Monday, had their rows without a
    完成日期 dated Monday (collect took no --on, which every recording command takes)."""
    path = make_form(xixin, tmp_path)
    first, second = (row[0] for row in rows_of(path)[:2])
    fill(
        path,
        {
            first: {"status": "进行中", "progress": "已部署"},
            second: {"status": "已完成", "progress": "已办结", "day": datetime(2022, 11, 23)},
        },
    )
    got = xixin("collect", str(path), "--on", "2022-11-25")
    assert got.code == 0, got.err
    history = {
        r["item"]: r
        for item in (first, second)
        for r in json.loads(xixin("history", item, "--json").out)
        if r.get("kind", "status") == "status"
    }
    assert history[first]["on"] == "2022-11-25"  # the day given
    assert history[second]["on"] == "2022-11-23"  # the row's own 完成日期 comes first
    late = xixin("collect", str(path), "--on", "2099-01-01")
    assert late.code == 2 and "2099-01-01" in late.err


def test_undo_takes_back_a_collected_form_whole_whoever_filled_each_row(
    xixin: Runner, tmp_path: Path
) -> None:
    path = make_form(xixin, tmp_path)
    first, second = (row[0] for row in rows_of(path)[:2])
    fill(path, {first: {"status": "已完成", "by": "李四"}, second: {"status": "进行中"}})
    got = xixin("collect", str(path))
    assert got.code == 0, got.err
    undone = xixin("undo")
    assert undone.code == 0, undone.err
    history = [*json.loads(xixin("history", first, "--json").out)]
    history += json.loads(xixin("history", second, "--json").out)
    changed = {r["event"] for r in history if r.get("status") in ("done", "doing")}
    reverted = {r["undoes"] for r in history if r.get("undoes")}
    assert len(changed) == 2 and changed <= reverted, (changed, reverted, undone.out)
    for item in (first, second):
        shown = json.loads(xixin("list", "--json").out)
        assert next(s for s in shown if s["id"] == item)["status"] == "todo", item
