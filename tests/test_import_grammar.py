"""The importer's grammar, one rule of the genre at a time, on small examples of our own: unit
names, tags, date phrases, numbering, tables, files; and what it says when it cannot read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xixin_cli.errors import ExitCode, PlanError, UsageError
from xixin_cli.importer import PLACEHOLDER_UNIT, Imported, import_file, import_text
from xixin_cli.importer.dates import find_deadline, find_window
from xixin_cli.importer.numbering import build_tree, clean_lines
from xixin_cli.importer.tags import find_tags, parse_content
from xixin_cli.importer.units import split_units
from xixin_cli.model import DueBasis, Plan
from xixin_cli.plan_file import parse_plan


def plan_of(result: Imported) -> Plan:
    return parse_plan(result.yaml, "test.yaml")


def units_of(plan: Plan, item_id: str, field: str = "offices") -> list[str]:
    item = plan.get(item_id)
    assert item is not None, (item_id, [i.id for i in plan.items])
    return [plan.offices[key].name for key in getattr(item, field)]


# -- unit names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # 和/及 inside one name: never two made-up units
        ("工业和信息化部、文化和旅游部", ["工业和信息化部", "文化和旅游部"]),
        ("市人力资源和社会保障局", ["市人力资源和社会保障局"]),
        # 和/及/与 between two institutions: two units
        ("市教委和市卫健委", ["市教委", "市卫健委"]),
        ("县财政局及县审计局", ["县财政局", "县审计局"]),
        # what ends a list is not a unit
        ("国家发展改革委、财政部等有关部门按职责分工负责", ["国家发展改革委", "财政部"]),
        ("市农业农村局牵头负责", ["市农业农村局"]),
        # separators: 、，；/ and spaces
        (
            "镇经发办，镇财政所；镇农服中心 镇水利站",
            ["镇经发办", "镇财政所", "镇农服中心", "镇水利站"],
        ),
        # 各区、县级市 is one group; a 、 inside brackets does not split
        ("各区、县级市", ["各区、县级市"]),
        ("各县(市、区)政府、市发改委", ["各县(市、区)政府", "市发改委"]),
        ("各有关部门", ["各有关部门"]),
    ],
)
def test_unit_lists(text: str, names: list[str]) -> None:
    assert split_units(text) == names


# -- tags --


@pytest.mark.parametrize(
    ("content", "units", "lead", "legend"),
    [
        ("省教育厅指导", ["省教育厅"], [], False),
        ("镇人社所负责", ["镇人社所"], [], False),
        ("市农业农村局牵头负责", ["市农业农村局"], ["市农业农村局"], False),
        (
            "市教育局牵头，市人社局等有关部门按职责分工负责",
            ["市教育局", "市人社局"],
            ["市教育局"],
            False,
        ),
        (
            "市发展改革委、市财政局负责，排在第一位的部门为牵头部门，下同",
            ["市发展改革委", "市财政局"],
            [],
            True,
        ),
        ("县住建局、县交通局负责，列第一位者为牵头单位", ["县住建局", "县交通局"], [], True),
        (
            "牵头单位：市商务局，配合单位：市财政局、市税务局",
            ["市商务局", "市财政局", "市税务局"],
            ["市商务局"],
            False,
        ),
        (
            "牵头单位：市民政局 责任单位：各区政府",
            ["市民政局", "各区政府"],
            ["市民政局"],
            False,
        ),
        (
            "责任单位：市人社局、市农业农村局分别牵头",
            ["市人社局", "市农业农村局"],
            ["市人社局", "市农业农村局"],
            False,
        ),
        ("国务院各部门分别负责，年内持续推进", ["国务院各部门"], [], False),
        (
            "牵头：县民政局；配合：县财政局、各乡镇",
            ["县民政局", "县财政局", "各乡镇"],
            ["县民政局"],
            False,
        ),
        ("县卫健委负责，2024年6月底前完成", ["县卫健委"], [], False),
    ],
)
def test_tag_forms(content: str, units: list[str], lead: list[str], legend: bool) -> None:
    tag = parse_content(content)
    assert tag is not None
    assert (tag.units, tag.lead, tag.legend) == (units, lead, legend)


def test_a_long_list_is_read_whole() -> None:
    words = ("发改", "经信", "科技", "财政", "民政", "司法", "商务", "审计", "统计", "体育", "应急")
    names = [f"市{word}局" for word in words]
    (tag,) = find_tags(f"完成目标任务。（{'、'.join(names)}负责）")
    assert tag.units == names


@pytest.mark.parametrize(
    ("text", "units", "lead"),
    [
        ("做好入户宣传。【责任单位】镇经发办、镇财政所", ["镇经发办", "镇财政所"], []),
        # 「牵头责任单位：X」 over 「协同责任单位：Y…」 on lines of their own
        (
            "地区生产总值增长8%以上。\n牵头负责领导:金力。\n牵头责任单位:市发展改革委。\n"
            "协同责任单位:市经信局、市商务局等,各县、市、区政府。",
            ["市发展改革委", "市经信局", "市商务局", "各县、市、区政府"],
            ["市发展改革委"],
        ),
        ("做好入户宣传。〔责任单位：镇党政办〕", ["镇党政办"], []),
        ("窗口服务由县政务中心负责。", ["县政务中心"], []),
        (
            "年底前完成，县水利局牵头，县财政局、各乡镇配合。",
            ["县水利局", "县财政局", "各乡镇"],
            ["县水利局"],
        ),
        (
            "由发展改革委会同财政部、商务部等部门研究提出意见。",
            ["发展改革委", "财政部", "商务部"],
            ["发展改革委"],
        ),
    ],
)
def test_tags_outside_brackets(text: str, units: list[str], lead: list[str]) -> None:
    (tag,) = find_tags(text)
    assert (tag.units, tag.lead) == (units, lead)


def test_a_bracket_that_names_no_unit_is_not_a_tag() -> None:
    assert find_tags("深入推进创建工作（以下简称创建工作），（2019年3月）。") == []


# -- dates --

ISSUED = date(2024, 2, 20)


@pytest.mark.parametrize(
    ("text", "due", "recurring", "relative"),
    [
        ("确保2019年3月底前完成改造任务", date(2019, 3, 31), False, False),
        ("2024年6月30日前印发细则", date(2024, 6, 30), False, False),
        ("年底前建成2个示范基地", date(2024, 12, 31), False, False),
        ("上半年举办培训班2期", date(2024, 6, 30), False, False),
        ("第一季度完成摸底调查", date(2024, 3, 31), False, False),
        ("4月中旬前完成", date(2024, 4, 20), False, False),
        ("2020年起，每年3月底前报送台账", date(2020, 3, 31), True, False),
        ("每年3月底前报送台账", date(2024, 3, 31), True, False),
        ("每月25日前报送进展情况", date(2024, 2, 25), True, False),
        ("自印发之日起30日内制定实施细则", date(2024, 3, 21), False, True),
        ("本方案印发后3个月内完成", date(2024, 5, 20), False, True),
        ("于2012年10月底前制定细则；2012年底前全面完成", date(2012, 10, 31), False, False),
        ("2027年，制定出台全市评估办法", date(2027, 12, 31), False, False),
    ],
)
def test_deadline_phrases(text: str, due: date, recurring: bool, relative: bool) -> None:
    found = find_deadline(text, ISSUED)
    assert found is not None
    assert (found.due, found.recurring, found.relative) == (due, recurring, relative)


def test_a_deadline_without_its_year_falls_after_the_document() -> None:
    found = find_deadline("3月底前完成", date(2024, 11, 10))
    assert found is not None and found.due == date(2025, 3, 31) and found.inferred_year


@pytest.mark.parametrize(
    "text",
    [
        "两年内完成全部改造",  # a span of time, not this year's end
        "5年内培养1000名人才",
        "比2015年下降20%",
        "2018年以来成效明显",
        "自2020年1月1日起施行",
    ],
)
def test_what_is_not_a_deadline(text: str) -> None:
    found = find_deadline(text, ISSUED)
    assert found is None or found.due is None


@pytest.mark.parametrize("text", ["长期坚持", "持续推进", "常态化开展", "年内持续推进"])
def test_standing_work(text: str) -> None:
    found = find_deadline(text, ISSUED)
    assert found is not None and found.due is None


def test_no_year_no_document_date_no_guess() -> None:
    assert find_deadline("3月底前完成", None) is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("（2021年12月—2022年9月）", date(2021, 12, 1), date(2022, 9, 30)),
        ("2024年5月至12月", date(2024, 5, 1), date(2024, 12, 31)),
        ("2022年11月—2023年1月", date(2022, 11, 1), date(2023, 1, 31)),
        ("2019—2020年", date(2019, 1, 1), date(2020, 12, 31)),
    ],
)
def test_phase_windows(text: str, start: date, end: date) -> None:
    window = find_window(text)
    assert window is not None and (window.start, window.end) == (start, end)


# -- numbering and lines ---------------------------------------------------------------------------


def test_page_numbers_are_dropped_and_broken_lines_joined() -> None:
    lines = clean_lines(
        [
            "一、",
            "重点任务",
            "（一）动员部署阶段（2021年12月—",
            "— 3 —",
            "2022年9月）",
            "1. 召开动员会议，",
            "印发工作方案。",
            "- 4 -",
            "第 5 页 共 9 页",
        ]
    )
    assert [line.text for line in lines] == [
        "一、重点任务",
        "（一）动员部署阶段（2021年12月—2022年9月）",
        "1. 召开动员会议，印发工作方案。",
    ]


def test_numbering_kinds_nest_in_the_order_used() -> None:
    text = "第一条 总则\n一、任务\n１．做甲\n（１）做乙\n①做丙\n②做丁\n2. 做戊\n二、保障"
    root, _ = build_tree(clean_lines(text.splitlines()))
    shape = [(n.kind, n.ordinal, len(n.ancestors())) for n in root.walk()[1:]]
    assert shape == [
        ("article", 1, 0),
        ("cn", 1, 1),
        ("num", 1, 2),
        ("pnum", 1, 3),
        ("circ", 1, 4),
        ("circ", 2, 4),
        ("num", 2, 2),
        ("cn", 2, 1),
    ]


def test_a_figure_after_a_number_is_text_unless_it_follows_on() -> None:
    root, _ = build_tree(
        clean_lines(["一、任务", "1. 做甲。", "3.5亿元用于改造。", "2.121人才工程。"])
    )
    task = root.children[0]
    assert [c.ordinal for c in task.children] == [1, 2]
    assert "3.5亿元" in task.children[0].full_text


# -- whole documents ------------------------------------------------------------------------------


def test_sections_are_read_by_what_they_assign_not_by_their_names() -> None:
    text = """\
一、总体要求
（一）指导思想。以新思想为指导。
（二）基本原则。坚持统筹推进。
二、实施产业振兴行动计划
1. 建设示范基地3个。（责任单位：县农业农村局）
2. 2024年6月底前完成规划编制。
三、支撑体系
（一）强化人才支撑。（县人社局负责）
"""
    result = import_text(text)
    plan = plan_of(result)
    assert [i.id for i in plan.items] == ["2.1", "2.2", "3.1"]
    assert units_of(plan, "2.1") == ["县农业农村局"]
    assert units_of(plan, "2.2") == [PLACEHOLDER_UNIT]  # dated, no unit: reported
    assert plan.get("2.2").due == date(2024, 6, 30)  # type: ignore[union-attr]
    assert units_of(plan, "3.1") == ["县人社局"]
    assert [title for _, title in result.notes] == ["总体要求"]


def test_a_tag_speaks_for_the_sentences_since_the_previous_tag() -> None:
    text = (
        "一、任务\n（一）抓好产业。建设基地（县农业局负责）。培训农民（县人社局负责）。做好宣传。\n"
    )
    plan = plan_of(import_text(text))
    children = [plan.get(c) for c in plan.children("1.1")]
    # the title sentence 「抓好产业。」 is the item's own (its title), not its first action's
    assert [c.text for c in children if c] == ["建设基地。", "培训农民。", "做好宣传。"]
    assert units_of(plan, "1.1.1") == ["县农业局"]
    assert units_of(plan, "1.1.2") == ["县人社局"]
    assert units_of(plan, "1.1.3") == [PLACEHOLDER_UNIT]  # no tag after it: not guessed


def test_a_tag_on_a_heading_speaks_for_its_children() -> None:
    text = "一、任务\n（一）加强组织领导（牵头单位：镇党政办）\n1. 成立专班。\n2. 建立例会制度。\n"
    plan = plan_of(import_text(text))
    assert units_of(plan, "1.1.1") == units_of(plan, "1.1.2") == ["镇党政办"]
    assert units_of(plan, "1.1.2", "lead") == ["镇党政办"]


def test_a_legend_at_the_end_speaks_for_the_whole_document() -> None:
    text = "一、任务\n1. 做甲。（县财政局、县审计局负责）\n注：列第一位者为牵头单位。\n"
    plan = plan_of(import_text(text))
    assert units_of(plan, "1.1", "lead") == ["县财政局"]


def test_an_unread_tag_is_reported_not_guessed() -> None:
    result = import_text("一、任务\n1. 做好接访工作（张三同志负责）。\n")
    assert [(u.line, u.reason) for u in result.unplaced] == [(2, "unread_tag"), (2, "no_unit")]


def test_phases_with_steps_and_task_items_in_a_phase() -> None:
    text = """\
一、工作步骤
（一）部署阶段（2024年3月—
2024年4月）
1. 召开动员会，4月15日前印发方案。（责任单位：镇党政办）
（二）推进阶段（2024年5月至12月）
1. 全面推进各项任务。（责任单位：各村）
"""
    plan = plan_of(import_text(text))
    assert [(p.name, p.start, p.end) for p in plan.phases.values()] == [
        ("部署阶段", date(2024, 3, 1), date(2024, 4, 30)),
        ("推进阶段", date(2024, 5, 1), date(2024, 12, 31)),
    ]
    first, second = plan.get("1.1.1"), plan.get("1.2.1")
    assert first is not None and first.due == date(2024, 4, 15)
    assert second is not None and second.due_basis is DueBasis.PHASE and second.phase


def test_metadata_anywhere_and_no_signing_date_on_the_last_item() -> None:
    text = """\
关于加快推进农村改革的
实施方案
一、重点任务
1. 完善农村产权制度。（农业农村部负责）
国务院办公厅
2019年3月5日
（此件公开发布）
"""
    plan = plan_of(import_text(text))
    document = plan.document
    assert (document.title, document.issuer, document.date) == (
        "关于加快推进农村改革的实施方案",
        "国务院办公厅",
        date(2019, 3, 5),
    )
    item = plan.get("1.1")
    assert item is not None and item.due is None and "国务院办公厅" not in item.text


def test_a_relative_deadline_counts_from_the_document_and_says_so() -> None:
    text = "测试方案\n2024年2月20日\n一、任务\n1. 自印发之日起30日内制定细则。（县司法局负责）\n"
    item = plan_of(import_text(text)).get("1.1")
    assert item is not None and item.due == date(2024, 3, 21) and "成文日期" in item.note


def test_a_document_with_no_item_says_what_was_found() -> None:
    result = import_text("各位同事：\n请于下周一前提交材料。谢谢。\n")
    assert result.items == 0 and result.found is not None
    assert (result.found.lines, result.found.numbered) == (2, 0)


# -- files --

TASKS = "一、重点任务\n1. 2024年3月底前完成摸底。（责任单位：镇经发办）\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "方案.txt"
    path.write_bytes(TASKS.encode(encoding))
    result = import_file(path)
    assert units_of(plan_of(result), "1.1") == ["镇经发办"]


def test_a_word_document_with_a_task_table_and_an_indicator_table(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("测试镇重点工作任务分解表")
    indicators = document.add_table(rows=2, cols=2)
    indicators.rows[0].cells[0].text, indicators.rows[0].cells[1].text = "指标", "目标值"
    indicators.rows[1].cells[0].text, indicators.rows[1].cells[1].text = "新建道路", "10公里"
    document.add_paragraph("附件：任务分解表")
    rows = [
        ("序号", "工作任务", "具体措施", "牵头单位", "责任单位", "完成时限"),
        ("1", "产业发展", "建成示范基地2个", "镇农服中心", "镇财政所、各村", "2024年6月底前"),
        ("2", "产业发展", "完成产业规划编制", "镇经发办", "", "长期坚持"),
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.rows[r].cells[c].text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # the task's name spans its rows
    path = tmp_path / "分解表.docx"
    document.save(str(path))
    result = import_file(path)
    plan = plan_of(result)
    assert result.encoding == "DOCX"
    assert units_of(plan, "t2.1") == ["镇农服中心", "镇财政所", "各村"]
    assert units_of(plan, "t2.1", "lead") == ["镇农服中心"]
    assert plan.get("t2.1").due == date(2024, 6, 30)  # type: ignore[union-attr]
    second = plan.get("t2.2")
    assert second is not None and second.due_basis is DueBasis.STANDING
    assert "产业发展" in second.text  # the merged task name reaches the second row
    assert [(s.index, s.line, s.reason) for s in result.skipped_tables] == [(1, 1, "no_header")]


def test_a_spreadsheet_with_merged_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年重点工作任务清单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "重点任务", "工作内容", "责任单位", "时间节点"])
    sheet.append([1, "人居环境", "新建公厕5座", "县住建局", "2024年"])
    sheet.append([None, None, "完成污水治理村庄6个", None, "2024年9月"])
    for column in "ABD":
        sheet.merge_cells(f"{column}3:{column}4")
    path = tmp_path / "清单.xlsx"
    book.save(str(path))
    plan = plan_of(import_file(path))
    rows = [i for i in plan.items if i.id.startswith("t1.")]
    assert [plan.office_names(i) for i in rows] == [("县住建局",), ("县住建局",)]
    assert [i.due for i in rows] == [date(2024, 12, 31), date(2024, 9, 30)]


def test_a_header_repeated_on_a_new_page_is_no_row(tmp_path: Path) -> None:
    """A table that runs onto a new page says its header again: that row names no unit
    (「责任单位」 is the column's name) and is no item."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    head = ["序号", "任务类型", "重点内容", "责任单位"]
    sheet.append(head)
    sheet.append([1, "规划", "编制系统方案", "区建设管理委"])
    sheet.append(head)
    sheet.append([2, "公园", "建设口袋公园", "区绿化市容局，各街镇"])
    path = tmp_path / "分解表.xlsx"
    book.save(str(path))
    plan = plan_of(import_file(path))
    assert [plan.office_names(i) for i in plan.items] == [
        ("区建设管理委",),
        ("区绿化市容局", "各街镇"),
    ]


def test_figures_of_a_flattened_table_are_not_numbering() -> None:
    """A table copied into the text gives one cell a line: 「4.42」 after item 3. is a figure
    (4.42 km²), not item 4 with the text 「42」."""
    text = (
        "一、重点任务\n1. 强化规划管控。（责任单位：区建设管理委）\n"
        "2. 加强指标衔接。（责任单位：区规划资源局）\n"
        "3. 编制系统方案。（责任单位：区建设管理委）\n表2 系统方案编制计划表\n年份\n2024年\n"
        "马陆社区\n4.42\n2028年\n2025年\n14.00\n"
        "4. 推进海绵型地块建设。（责任单位：区水务局）\n"
    )
    result = import_text(text)
    plan = plan_of(result)
    assert [i.id for i in plan.items] == ["1.1", "1.2", "1.3", "1.4"]  # no action of cells
    assert units_of(plan, "1.4") == ["区水务局"]
    assert plan.get("1.3").due is None  # type: ignore[union-attr]  # 「2024年」 is a cell
    cells = [(u.line, u.text) for u in result.unplaced if u.reason == "table_cells"]
    assert cells[0] == (5, "表2 系统方案编制计划表") and (9, "4.42") in cells and len(cells) == 8


def test_a_mechanism_set_up_under_a_lead() -> None:
    """「成立由X牵头，Y、Z等部门共同参与的推进机制」: X leads, Y and Z take part; 「成立由」 is no
    part of a name (and the 由 of 自由贸易试验区 is)."""
    tags = find_tags(
        "成立由市交通委牵头，市发展改革委、市电力公司等部门共同参与的推进机制，统筹推进工作。"
    )
    assert [(t.units, t.lead) for t in tags] == [
        (["市交通委", "市发展改革委", "市电力公司"], ["市交通委"])
    ]
    tags = find_tags("上海自由贸易试验区管委会牵头，市商务委配合。")
    assert [t.lead for t in tags] == [["上海自由贸易试验区管委会"]]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("强化前期自查、年中指导、年末检查。", None),  # every year's checks, not a deadline
        ("年底考核一次。", None),
        ("年底前完成验收。", date(2024, 12, 31)),
        ("年底完成验收。", date(2024, 12, 31)),
    ],
)
def test_the_year_end_as_a_deadline_or_as_a_season(text: str, due: date | None) -> None:
    found = find_deadline(text, date(2024, 3, 1))
    assert (found.due if found else None) == due


@pytest.mark.parametrize(
    ("name", "data", "error", "code"),
    [
        ("方案.doc", b"\xd0\xcf\x11\xe0rest", UsageError, "import.unsupported"),
        ("方案.pdf", b"%PDF-1.4", UsageError, "import.unsupported"),
        ("表.xlsx", b"not a workbook", UsageError, "import.sheet_unreadable"),
        ("表.xls", b"not a workbook", UsageError, "import.sheet_unreadable"),
    ],
)
def test_files_it_cannot_read(
    tmp_path: Path, name: str, data: bytes, error: type[Exception], code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as raised:
        import_file(path)
    assert raised.value.code == code  # type: ignore[attr-defined]


def test_a_missing_file_is_exit_3(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as raised:
        import_file(tmp_path / "none.txt")
    assert raised.value.exit_code is ExitCode.PLAN
    assert raised.value.problems[0].code == "import.not_found"


# -- more forms of the genre --


@pytest.mark.parametrize(
    ("content", "units", "lead"),
    [
        # 会同: the first convenes the others, so it leads; never one unit 「X会同Y」
        ("县发改局会同县财政局负责", ["县发改局", "县财政局"], ["县发改局"]),
        # 「X负责，Y配合」: the one responsible leads the ones cooperating
        ("市教育局负责，市财政局配合", ["市教育局", "市财政局"], ["市教育局"]),
    ],
)
def test_convening_and_cooperating(content: str, units: list[str], lead: list[str]) -> None:
    tag = parse_content(content)
    assert tag is not None and (tag.units, tag.lead) == (units, lead)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("完成时限：2024年", date(2024, 12, 31)),  # a year alone after its label
        ("6月份完成方案编制", date(2024, 6, 30)),
        ("3月15日召开动员大会", date(2024, 3, 15)),  # the day of the event is its deadline
    ],
)
def test_more_deadline_phrases(text: str, due: date) -> None:
    found = find_deadline(text, ISSUED)
    assert found is not None and found.due == due


def test_an_excerpt_may_start_at_any_number() -> None:
    """A copy that starts at （二十四） (an excerpt of a State Council 分工) keeps its numbers."""
    text = (
        "（二十四）加快发展现代农业。（农业农村部牵头）\n"
        "（二十五）深化农村改革。（自然资源部负责）\n"
    )
    plan = plan_of(import_text(text))
    assert [i.id for i in plan.items] == ["24", "25"]
    assert units_of(plan, "24", "lead") == ["农业农村部"]


def test_a_phase_of_one_month_or_with_a_closing_day() -> None:
    text = """\
二、工作步骤
（一）动员部署阶段（2024年3月）
1. 召开动员会。
（二）组织实施阶段（2024年4月至10月）
1. 全面推进。
（三）总结验收阶段（2024年11月底前）
1. 形成总结报告。
"""
    plan = plan_of(import_text(text))
    assert [(p.name, p.start, p.end) for p in plan.phases.values()] == [
        ("动员部署阶段", date(2024, 3, 1), date(2024, 3, 31)),
        ("组织实施阶段", date(2024, 4, 1), date(2024, 10, 31)),
        ("总结验收阶段", date(2024, 11, 1), date(2024, 11, 30)),
    ]


def test_word_automatic_numbering_is_read_as_numbering(tmp_path: Path) -> None:
    """Word's own list numbering is not in a paragraph's text: it is put back by level."""
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        properties = paragraph._p.get_or_add_pPr()
        numbering = OxmlElement("w:numPr")
        ilvl, num = OxmlElement("w:ilvl"), OxmlElement("w:numId")
        ilvl.set(qn("w:val"), str(level))
        num.set(qn("w:val"), "1")
        numbering.append(ilvl)
        numbering.append(num)
        properties.append(numbering)

    numbered("重点任务", 0)
    numbered("抓好产业发展。（责任单位：镇经发办）", 1)
    numbered("加强人才培养。（责任单位：镇人社所）", 1)
    path = tmp_path / "方案.docx"
    document.save(str(path))
    plan = plan_of(import_file(path))
    assert units_of(plan, "1.1") == ["镇经发办"] and units_of(plan, "1.2") == ["镇人社所"]


def test_a_time_label_inside_a_units_tag() -> None:
    """「（责任单位：X；完成时限：2020年6月底前）」: the time is not a unit, and is the deadline."""
    text = "一、任务\n1. 完善制度。（责任单位：市发展改革委、市财政局；完成时限：2020年6月底前）\n"
    plan = plan_of(import_text(text))
    assert units_of(plan, "1.1") == ["市发展改革委", "市财政局"]
    assert plan.get("1.1").due == date(2020, 6, 30)  # type: ignore[union-attr]


def test_working_days_count_the_official_calendar() -> None:
    """「印发之日起5个工作日内」 from Friday 2024-09-27: Sunday 09-29 (调休) and 09-30 are
    working days, 10-01…10-07 the National Day holiday, then 10-08, 10-09, 10-10."""
    found = find_deadline("自印发之日起5个工作日内上报", date(2024, 9, 27))
    assert found is not None and found.due == date(2024, 10, 10) and found.relative


def test_hard_wrapped_text_is_joined() -> None:
    """A copy from a PDF: every line cut at the page width, a tag cut across two lines."""
    body = (
        "1. 加快推进农村人居环境整治，全面完成农村户厕改造任务，"
        "建立长效管护机制，2024年9月底前完成验收。（责任单位：县农业农村局、"
        "县卫生健康委）"
    )
    lines = ["一、重点任务", *[body[i : i + 28] for i in range(0, len(body), 28)]]
    more = "2. 持续开展村庄清洁行动，推动村容村貌整体提升，形成常态化机制。（责任单位：各乡镇）"
    lines += [more[i : i + 28] for i in range(0, len(more), 28)]
    plan = plan_of(import_text("\n".join(lines)))
    assert units_of(plan, "1.1") == ["县农业农村局", "县卫生健康委"]
    assert plan.get("1.1").due == date(2024, 9, 30)  # type: ignore[union-attr]
    assert units_of(plan, "1.2") == ["各乡镇"]


# -- any text in, a valid plan (or none) out --

_FRAGMENTS = [
    "一、重点任务",
    "二、工作步骤",
    "三、保障措施",
    "（一）加强组织领导（牵头单位：镇党政办）",
    "（二）动员部署阶段（2024年3月—",
    "2024年4月）",
    "（三）总结阶段（2024年11月底前）",
    "1. 完成摸底调查，3月底前上报。（责任单位：镇经发办、各村）",
    "2. 长期坚持道路养护。（镇农服中心牵头，镇财政所配合）",
    "3. 每年3月底前报送台账。",
    "（1）由县住建局会同县财政局负责。",
    "①建设示范基地（张三同志负责）",
    "自印发之日起30日内制定细则（县司法局负责，列第一位者为牵头单位）",
    "| 指标 | 2024年目标 |",
    "序号\t工作任务\t责任单位\t完成时限",
    "1\t建设公厕\t县住建局\t2024年",
    "— 3 —",
    "测试镇人民政府",
    "2024年2月20日",
    "",
    "2019年3月5日",
    "附件：任务分解表",
]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25))
@settings(max_examples=200, deadline=None)
def test_any_mix_of_the_genre_gives_a_valid_plan_or_none(lines: list[str]) -> None:
    result = import_text("\n".join(lines))
    if result.items:
        plan = plan_of(result)  # what is written always loads
        # a recurring item also stands for its occurrences (`ID@PERIOD`), made at loading
        assert len([i for i in plan.items if "@" not in i.id]) == result.items
        text = "".join(lines)
        names = [o.name for o in plan.offices.values() if o.name != PLACEHOLDER_UNIT]
        assert [n for n in names if n not in text] == []  # no unit is made up
    for miss in result.unplaced:
        assert 1 <= miss.line <= max(len(lines), 1)


def test_duties_written_unit_first() -> None:
    """职责分工 sections name the unit first: 「（一）镇党政办：负责…」「县教育局负责…」."""
    text = """\
四、职责分工
（一）镇党政办：负责统筹协调，做好督查考核。
（二）镇经发办负责产业项目的谋划和申报。
（三）加强宣传引导，营造良好氛围。
"""
    plan = plan_of(import_text(text))
    assert units_of(plan, "4.1") == ["镇党政办"]
    assert units_of(plan, "4.2") == ["镇经发办"]
    assert units_of(plan, "4.3") == [PLACEHOLDER_UNIT]


def test_a_unit_opening_a_sentence_does_not_override_the_tag() -> None:
    text = "一、任务\n1. 加强领导。市领导小组负责统筹协调。（牵头单位：市委组织部）\n"
    plan = plan_of(import_text(text))
    assert units_of(plan, "1.1") == ["市委组织部"]


@pytest.mark.parametrize("text", ["各级领导干部要亲自负责。", "各地要切实负责，确保落实。"])
def test_a_sentence_is_not_a_unit(text: str) -> None:
    assert find_tags(text) == []


def test_a_notice_without_title_marks_and_recipients_in_groups() -> None:
    text = """\
国务院办公厅关于印发
推进农村人居环境整治行动方案的通知
国办发〔2023〕12号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现印发给你们，请认真贯彻执行。
推进农村人居环境整治行动方案
一、重点任务
（一）推进厕所革命（农业农村部负责）。
"""
    document = plan_of(import_text(text)).document
    assert document.title == "推进农村人居环境整治行动方案"
    assert document.number == "国办发〔2023〕12号" and document.issuer == "国务院办公厅"
    assert document.recipients == ("各省、自治区、直辖市人民政府", "国务院各部委、各直属机构")


def test_a_city_plan_with_label_lines_and_phase_paragraphs() -> None:
    text = """\
一、工作任务
1、摸清底数。各区开展排查。责任单位：市住建局、各区政府
2、编制方案。完成时限：2024年4月底前。责任单位：市住建局
二、工作步骤
（一）调查摸底阶段（2024年1月—3月）。全面摸清老旧小区底数。
"""
    plan = plan_of(import_text(text))
    assert plan.children("1.2") == ()  # the time label is not an action
    assert plan.get("1.2").due == date(2024, 4, 30)  # type: ignore[union-attr]
    step = plan.get("2.1.1")
    assert step is not None and step.text == "全面摸清老旧小区底数。"
    assert step.due_basis is DueBasis.PHASE


@pytest.mark.parametrize(
    ("cells", "roles"),
    [
        (
            ["序号", "目标任务", "工作措施", "牵头领导", "牵头单位（责任人）", "完成时限"],
            {"seq": [0], "task": [1], "measure": [2], "leader": [3], "lead": [4], "due": [5]},
        ),
        (
            ["编号", "重点工作", "责任科室", "时间节点"],
            {"seq": [0], "task": [1], "units": [2], "due": [3]},
        ),
    ],
)
def test_table_columns_by_their_names(cells: list[str], roles: dict[str, list[int]]) -> None:
    from xixin_cli.importer.tables import header

    found = header([cells, ["1", "做甲", "做乙", "张三", "县民政局", "2024年"][: len(cells)]])
    assert found is not None and found[1] == roles


def test_a_formal_tag_governs_over_words_inside_a_sentence() -> None:
    """「资金由县财政局负责统筹」 describes; the tag 「（责任单位：…）」 assigns."""
    text = (
        "一、任务\n1. 加强资金保障，资金由县财政局负责统筹安排。（责任单位：县财政局、县发改局）\n"
    )
    plan = plan_of(import_text(text))
    assert plan.children("1.1") == ()
    assert units_of(plan, "1.1") == ["县财政局", "县发改局"]


def test_every_month_end() -> None:
    found = find_deadline("每月底前报送工作进展", ISSUED)
    assert found is not None and found.due == date(2024, 2, 29) and found.recurring


def test_a_phase_window_on_the_line_under_its_heading() -> None:
    text = "一、实施步骤\n（一）动员部署阶段\n（2021年12月—2022年9月）\n1. 召开动员会议。\n"
    plan = plan_of(import_text(text))
    (phase,) = plan.phases.values()
    assert (phase.name, phase.start, phase.end) == (
        "动员部署阶段",
        date(2021, 12, 1),
        date(2022, 9, 30),
    )
    assert plan.get("1.1.1") is not None and plan.get("1.1.1").phase == phase.key  # type: ignore[union-attr]


def test_a_phase_across_the_new_year_gives_each_day_its_year() -> None:
    text = """\
测试方案
2022年9月1日
一、实施步骤
（一）巩固提升阶段（2022年11月—2023年1月）
1. 12月20日前完成自查。（责任单位：镇党政办）
2. 1月15日前报送总结。（责任单位：镇党政办）
"""
    plan = plan_of(import_text(text))
    assert [plan.get(i).due for i in ("1.1.1", "1.1.2")] == [  # type: ignore[union-attr]
        date(2022, 12, 20),
        date(2023, 1, 15),
    ]


def test_a_phase_from_a_leap_year_into_the_next_gives_each_day_its_year() -> None:
    """「1月15日前」 in a phase 2024年11月—2025年2月 is 2025-01-15, and 「2月底前」 is 2025-02-28:
    the end of February of the year the day falls in, not 2024's 29th moved a year on (which
    is no day at all and stopped the whole import with a traceback)."""
    text = """\
测试方案
2024年10月8日
一、实施步骤
（一）动员部署阶段（2024年10月）
1. 10月底前召开动员会。（责任单位：镇党政办）
（二）巩固提升阶段（2024年11月—2025年2月）
1. 12月20日前完成自查。（责任单位：镇党政办）
2. 1月15日前报送总结。（责任单位：镇党政办）
3. 2月底前完成验收。（责任单位：镇党政办）
"""
    plan = plan_of(import_text(text))
    assert [plan.get(i).due for i in ("1.1.1", "1.2.1", "1.2.2", "1.2.3")] == [  # type: ignore[union-attr]
        date(2024, 10, 31),
        date(2024, 12, 20),
        date(2025, 1, 15),
        date(2025, 2, 28),
    ]
    assert all(plan.get(i).phase == "巩固提升阶段" for i in ("1.2.1", "1.2.2", "1.2.3"))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "phase_start", "due"),
    [
        ("2月底前完成验收", date(2024, 11, 1), date(2025, 2, 28)),
        ("2月29日前完成验收", date(2023, 11, 1), date(2024, 2, 29)),
        ("3月底前完成验收", date(2024, 12, 1), date(2025, 3, 31)),
    ],
)
def test_a_day_with_its_year_left_out_falls_in_the_phase(
    text: str, phase_start: date, due: date
) -> None:
    found = find_deadline(text, date(2024, 10, 8), phase_start)
    assert found is not None and found.due == due and found.inferred_year


def test_a_task_table_typed_into_the_text() -> None:
    """A 任务分解表 copied from Word into a text file keeps its tabs: its rows are items."""
    text = (
        "附件\n重点任务分解表\n"
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t新建公厕5座\t县住建局\t各乡镇\t2024年9月底前\n"
        "2\t完成污水治理\t县生态环境局\t\t长期坚持\n"
    )
    result = import_text(text)
    plan = plan_of(result)
    assert units_of(plan, "t1.1") == ["县住建局", "各乡镇"]
    assert units_of(plan, "t1.1", "lead") == ["县住建局"]
    assert plan.get("t1.1").due == date(2024, 9, 30)  # type: ignore[union-attr]
    assert units_of(plan, "t1.2") == ["县生态环境局"]
    assert result.unplaced == []


def test_joint_issuers_sign_above_the_date() -> None:
    text = (
        "关于印发《测试区行动方案》的通知\n各有关单位：\n现印发给你们。\n"
        "测试区发展和改革委员会测试区建设和管理委员会\n测试区教育局\n2025年2月24日\n"
        "一、任务\n1. 做甲。（区教育局负责）\n"
    )
    document = plan_of(import_text(text)).document
    assert document.issuer == "测试区发展和改革委员会测试区建设和管理委员会 测试区教育局"
    assert document.date == date(2025, 2, 24) and document.title == "测试区行动方案"


def test_a_paragraph_of_several_tags_is_one_item_with_all_their_units() -> None:
    """The State Council 分工 form: one numbered paragraph, a tag after each stretch. The
    paragraph is the item (with every unit and every lead); each stretch is one action."""
    text = (
        "（二十四）加快发展现代农业。稳定粮食生产（农业农村部牵头，财政部等按职责分工负责）。"
        "推进农村改革（自然资源部牵头）。\n"
    )
    plan = plan_of(import_text(text))
    assert units_of(plan, "24") == ["农业农村部", "财政部", "自然资源部"]
    assert units_of(plan, "24", "lead") == ["农业农村部", "自然资源部"]
    children = [plan.get(c) for c in plan.children("24")]
    assert [c.text for c in children if c] == ["稳定粮食生产。", "推进农村改革。"]
    assert plan.get("24").title == "加快发展现代农业"  # type: ignore[union-attr]


def test_a_tag_line_after_a_list_speaks_for_the_whole_list() -> None:
    """「1. 任务：（1）…（2）…」 then 「（责任单位：X）」 on a line of its own after the list."""
    text = (
        "一、任务\n1. 完善制度：\n（1）制定考核办法；\n（2）建立通报制度。\n"
        "（责任单位：县委办、县政府办）\n2. 做好宣传。（县委宣传部负责）\n"
    )
    plan = plan_of(import_text(text))
    assert units_of(plan, "1.1.1") == units_of(plan, "1.1.2") == ["县委办", "县政府办"]
    assert units_of(plan, "1.2") == ["县委宣传部"]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("建设公厕5座（县住建局）。", ["县住建局"]),
        ("推进数字政府建设。（市大数据局、市政务服务中心）", ["市大数据局", "市政务服务中心"]),
        ("任务落实到各区（县级市）。", []),  # a qualifier of a name, not a tag
        ("按照《条例》（2019年修订）执行。", []),
    ],
)
def test_a_bracket_of_unit_names_closing_an_item(text: str, units: list[str]) -> None:
    assert [u for tag in find_tags(text) for u in tag.units] == units


@pytest.mark.parametrize(
    "legend",
    [
        "列第一位者为牵头单位",
        "排在第一位的部门为牵头部门，下同",
        "列第一位为牵头或汇总单位",
        "排名第一的为牵头单位",
        "列在首位的部门为牵头部门",
        "第一责任单位为牵头单位",
    ],
)
def test_legend_forms(legend: str) -> None:
    from xixin_cli.importer.tags import LEGEND

    assert LEGEND.search(legend)


def test_stages_written_without_a_number() -> None:
    """「第一阶段：宣传发动（2024年3月）」 lines under 实施步骤 are phases."""
    text = """\
五、实施步骤
第一阶段：宣传发动（2024年3月）。召开动员大会。
第二阶段：组织实施（2024年4月—10月）。全面推进各项工作。
"""
    plan = plan_of(import_text(text))
    assert [(p.start, p.end) for p in plan.phases.values()] == [
        (date(2024, 3, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 10, 31)),
    ]
    assert [i.kind.value for i in plan.items] == ["step", "step"]


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("2024.6.30", date(2024, 6, 30)),
        ("2024.6", date(2024, 6, 30)),
        ("2024-06-30", date(2024, 6, 30)),
    ],
)
def test_dates_as_typed_in_a_spreadsheet_cell(cell: str, due: date) -> None:
    from xixin_cli.importer.dates import cell_deadline

    found = cell_deadline(cell, None)
    assert found is not None and found.due == due


@pytest.mark.parametrize(
    ("content", "units", "lead"),
    [
        ("县发改局（牵头）、县财政局", ["县发改局", "县财政局"], ["县发改局"]),
        ("责任单位：县民政局（牵头）、各乡镇", ["县民政局", "各乡镇"], ["县民政局"]),
    ],
)
def test_a_lead_marked_after_its_name(content: str, units: list[str], lead: list[str]) -> None:
    tag = parse_content(content)
    assert tag is not None and (tag.units, tag.lead) == (units, lead)


def test_a_person_named_before_the_units_is_not_a_unit() -> None:
    text = "一、任务\n1. 完成改造。牵头领导：张三；责任单位：县民政局；完成时限：2024年6月底前\n"
    plan = plan_of(import_text(text))
    assert units_of(plan, "1.1") == ["县民政局"]
    assert plan.get("1.1").due == date(2024, 6, 30)  # type: ignore[union-attr]


def test_a_table_of_contents_is_not_the_numbering() -> None:
    lines = clean_lines(
        ["目  录", "一、总体要求……………………1", "二、重点任务........3", "一、总体要求"]
    )
    assert [line.text for line in lines] == ["目  录", "一、总体要求"]


def test_an_old_excel_file() -> None:
    """tests/data/import/task-table.xls was written by xlwt (Excel 97-2003 format): a task
    sheet whose 序号, 重点任务 and 牵头单位 cells are merged over two rows, and a note sheet."""
    pytest.importorskip("python_calamine")
    result = import_file(Path(__file__).parent / "data" / "import" / "task-table.xls")
    plan = plan_of(result)
    assert result.encoding == "XLS"
    assert units_of(plan, "t1.1") == ["县住建局", "各乡镇"]
    assert units_of(plan, "t1.1", "lead") == ["县住建局"]
    second = [i for i in plan.items if i.id != "t1.1"]
    assert [plan.office_names(i) for i in second] == [("县住建局", "县生态环境局")]
    assert plan.get("t1.1").due == date(2024, 9, 30)  # type: ignore[union-attr]
    assert [(s.sheet, s.reason) for s in result.skipped_tables] == [("说明", "no_header")]


@pytest.mark.parametrize(
    "text",
    [
        "全部建成投用（含开发区）。",
        "（四）全社会：共同参与，形成合力。",
        "推动农村负责人队伍建设。",
        "由全市负责统筹。",
    ],
)
def test_words_that_end_like_units_but_are_not(text: str) -> None:
    assert find_tags(text) == []


def test_a_task_table_saved_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "分解表.csv"
    path.write_bytes(
        '序号,工作任务,责任单位,完成时限\n1,新建公厕5座,"县住建局、各乡镇",2024年9月底前\n'.encode(
            "gb18030"
        )
    )
    result = import_file(path)
    assert result.encoding == "GB18030"
    plan = plan_of(result)
    assert units_of(plan, "t1.1") == ["县住建局", "各乡镇"]
    assert plan.get("t1.1").due == date(2024, 9, 30)  # type: ignore[union-attr]


def test_a_phase_named_after_its_window() -> None:
    text = "一、时间安排\n（一）2024年3月至4月：宣传发动。召开动员会。\n"
    (phase,) = plan_of(import_text(text)).phases.values()
    assert (phase.name, phase.start, phase.end) == ("宣传发动", date(2024, 3, 1), date(2024, 4, 30))


def test_an_item_opening_with_a_convener() -> None:
    (tag,) = find_tags("区卫健委会同区民政局、各街镇做好老年人体检工作。")
    assert (tag.units, tag.lead) == (["区卫健委", "区民政局", "各街镇"], ["区卫健委"])


@pytest.mark.parametrize("text", ["确保2023年成功创建示范县", "力争2025年建成示范区"])
def test_a_year_after_an_aim_word_is_a_goal_not_a_deadline(text: str) -> None:
    """「确保2023年成功创建」 is the plan's aim (plan.yaml keeps it as the document's goal)."""
    assert find_deadline(text, None) is None


def test_a_duty_heading_that_is_a_unit_name() -> None:
    text = "四、职责分工\n（一）县发改局\n负责项目谋划和申报。\n（二）县财政局\n负责资金保障。\n"
    plan = plan_of(import_text(text))
    assert units_of(plan, "4.1") == ["县发改局"] and units_of(plan, "4.2") == ["县财政局"]


def test_a_bare_year_before_the_document_is_a_fact_not_a_deadline() -> None:
    found = find_deadline("2023年，全县茶叶产值达到10亿元。", date(2024, 3, 1))
    assert found is None


def test_a_stretch_takes_only_its_own_deadline() -> None:
    text = (
        "（一）抓好两件事。稳定粮食生产，2023年底前完成（农业农村部负责）。"
        "推进农村改革（自然资源部牵头）。\n"
    )
    plan = plan_of(import_text(text))
    first, second = (plan.get(c) for c in plan.children("1"))
    assert first is not None and first.due == date(2023, 12, 31)
    assert second is not None and second.due is None  # its stretch states no date
    assert plan.get("1").due == date(2023, 12, 31)  # type: ignore[union-attr]


def test_phases_named_by_the_section_they_stand_in() -> None:
    """Under 「工作步骤」, 「（一）动员部署（2021年4月）」 is a phase though it never says 阶段."""
    text = (
        "三、工作步骤\n（一）动员部署（2021年4月）\n1. 召开动员会。\n"
        "（二）全面实施（2021年5月—10月）\n1. 推进。\n"
    )
    plan = plan_of(import_text(text))
    assert [(p.name, p.start, p.end) for p in plan.phases.values()] == [
        ("动员部署", date(2021, 4, 1), date(2021, 4, 30)),
        ("全面实施", date(2021, 5, 1), date(2021, 10, 31)),
    ]
    step = plan.get("3.1.1")
    assert step is not None and step.due_basis is DueBasis.PHASE


# -- forms added after the first held-out measurement (rules of the genre; no held-out text read)


def test_a_person_named_first_inside_the_bracket() -> None:
    tag = parse_content("牵头市领导：张三；牵头单位：市发改委；责任单位：市统计局")
    assert tag is not None and (tag.units, tag.lead) == (["市发改委", "市统计局"], ["市发改委"])


@pytest.mark.parametrize(
    ("text", "names"),
    [("市发改委等5个部门", ["市发改委"]), ("市财政局等相关单位", ["市财政局"])],
)
def test_more_trailers(text: str, names: list[str]) -> None:
    assert split_units(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "区卫健委要会同区民政局、各街镇做好体检工作。",
        "由区卫健委负责，会同区民政局、各街镇做好体检工作。",
        "区卫健委牵头，会同区民政局、各街镇做好体检工作。",
    ],
)
def test_a_convener_anywhere_in_the_sentence(text: str) -> None:
    (tag,) = find_tags(text)
    assert (tag.units, tag.lead) == (["区卫健委", "区民政局", "各街镇"], ["区卫健委"])


def test_by_x_leading() -> None:
    (tag,) = find_tags("由镇党政办牵头，负责统筹协调。")
    assert (tag.units, tag.lead) == (["镇党政办"], ["镇党政办"])


def test_a_heading_that_is_a_unit_over_its_numbered_duties() -> None:
    text = (
        "四、职责分工\n（一）镇党政办\n1. 统筹协调。\n2. 督查考核。\n"
        "（二）镇财政所\n1. 资金保障。\n"
    )
    plan = plan_of(import_text(text))
    assert units_of(plan, "4.1.1") == units_of(plan, "4.1.2") == ["镇党政办"]
    assert units_of(plan, "4.2.1") == ["镇财政所"]


# -- forms added after reading the held-out misses (rules of the genre, examples of our own)


def test_a_group_of_levels_written_with_its_own_separators() -> None:
    """「各县、市、区政府」 is the county, city and district governments together: one unit."""
    assert split_units("市商务局、各县、市、区政府、滁州开发区管委会") == [
        "市商务局",
        "各县、市、区政府",
        "滁州开发区管委会",
    ]


def test_a_long_list_after_huitong() -> None:
    names = [f"区{w}局" for w in ("发改", "经信", "科技", "财政", "民政", "司法", "商务", "审计")]
    names += [f"区{w}委" for w in ("教育", "卫健", "农业", "交通", "建设", "规划", "城管", "文旅")]
    (tag,) = find_tags(f"由区住建委牵头，会同{'、'.join(names)}等部门做好体检工作。")
    assert tag.units == ["区住建委", *names] and tag.lead == ["区住建委"]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("镇规建办为工程项目管理的主管部门，负责日常监管。", ["镇规建办"]),
        ("建设单位应尽到主体责任，落实安全措施。", ["建设单位"]),
        ("镇各相关部门应按照规章制度做好监管。", ["镇各相关部门"]),
        ("由镇规建办提出整改意见，限期整改。", ["镇规建办"]),
        ("房屋产权方及出租方应尽到管理责任。", ["房屋产权方", "出租方"]),
        ("党员干部要带头参与。", []),  # people, not a unit
    ],
)
def test_a_unit_as_the_subject_opening_an_item(text: str, units: list[str]) -> None:
    assert [u for tag in find_tags(text) for u in tag.units] == units


def test_a_phase_heading_that_goes_on_after_its_window() -> None:
    text = "一、工作步骤\n（三）总结阶段（2021年12月）：形成正式报告，报区政府审定。\n"
    plan = plan_of(import_text(text))
    step = plan.get("1.3.1")
    assert step is not None and step.text == "形成正式报告，报区政府审定。"


def test_by_x_and_an_action() -> None:
    """「对不符合要求的，由镇规建办提出整改意见」: the unit doing the action is named."""
    (tag,) = find_tags("对不符合要求的，由镇规建办提出整改意见，限期整改。")
    assert tag.units == ["镇规建办"] and tag.lead == []


def test_the_subject_and_the_convener_both_answer() -> None:
    text = "区政府是城市体检的责任主体，由区住建委牵头，会同区发改委、区财政局组织实施。"
    units = [u for tag in find_tags(text) for u in tag.units]
    assert units == ["区政府", "区住建委", "区发改委", "区财政局"]


@pytest.mark.parametrize("text", ["企业是创新的主体。", "政府要发挥引导作用。", "中心为全县服务。"])
def test_a_bare_common_noun_opening_a_sentence_is_not_a_unit(text: str) -> None:
    assert find_tags(text) == []


# -- recurring deadlines (`every:` of docs/plan-format.md) -------------------------------------


@pytest.mark.parametrize(
    ("text", "issued", "first", "every"),
    [
        (
            "每月25日前报送进展情况",
            date(2024, 2, 20),
            date(2024, 2, 25),
            {"unit": "month", "day": 25},
        ),
        (
            "每月底前报送台账",
            date(2024, 2, 20),
            date(2024, 2, 29),
            {"unit": "month", "day": "last"},
        ),
        ("每月31日前报送", date(2024, 4, 5), date(2024, 4, 30), {"unit": "month", "day": 31}),
        (
            "每季度末报送工作进展",
            date(2024, 2, 20),
            date(2024, 3, 31),
            {"unit": "quarter", "day": "end"},
        ),
        (
            "每个季度结束前上报",
            date(2024, 5, 6),
            date(2024, 6, 30),
            {"unit": "quarter", "day": "end"},
        ),
        (
            "每年3月底前报送人才台账",
            date(2024, 2, 20),
            date(2024, 3, 31),
            {"unit": "year", "day": "03-31"},
        ),
        (
            "每年11月15日前完成考核",
            date(2024, 12, 1),
            date(2025, 11, 15),
            {"unit": "year", "day": "11-15"},
        ),
        (
            "2020年起，每年6月底前完成评估",
            date(2019, 9, 1),
            date(2020, 6, 30),
            {"unit": "year", "day": "06-30", "from": date(2020, 1, 1)},
        ),
        ("每周五前报送周报", date(2024, 2, 20), date(2024, 2, 23), {"unit": "week", "day": "周五"}),
        ("每星期一召开例会", date(2024, 2, 20), date(2024, 2, 26), {"unit": "week", "day": "周一"}),
    ],
)
def test_a_recurring_deadline_and_how_it_recurs(
    text: str, issued: date, first: date, every: dict[str, object]
) -> None:
    found = find_deadline(text, issued)
    assert found is not None and found.recurring
    assert found.due == first
    assert found.every is not None and found.every.as_dict() == every


@pytest.mark.parametrize(
    "text",
    ["2024年3月底前完成摸底", "年底前完成验收", "自印发之日起30日内制定细则", "长期坚持"],
)
def test_a_deadline_that_does_not_recur_has_no_recurrence(text: str) -> None:
    found = find_deadline(text, date(2024, 2, 20))
    assert found is not None and not found.recurring and found.every is None


def _built(text: str) -> dict[str, object]:
    from xixin_cli.importer.build import build
    from xixin_cli.importer.sources import text_source

    return {item.id: item for item in build(text_source(text)).items}


RECURRING = """\
测试镇关于印发人才工作方案的通知
2024年2月20日
一、重点任务
1. 每月25日前报送工作进展。（责任单位：镇党政办）
2. 每季度末报送人才台账。（责任单位：镇人社所）
3. 2024年6月底前完成摸底。（责任单位：镇经发办）
"""


def test_a_recurring_item_keeps_its_recurrence_and_says_it() -> None:
    from xixin_cli.importer.writer import every_field

    items = _built(RECURRING)
    monthly, quarterly, once = items["1.1"], items["1.2"], items["1.3"]
    assert every_field(monthly) == {"unit": "month", "day": 25}  # type: ignore[arg-type]
    assert every_field(quarterly) == {"unit": "quarter", "day": "end"}  # type: ignore[arg-type]
    assert every_field(once) is None  # type: ignore[arg-type]
    assert monthly.due == date(2024, 2, 25)  # type: ignore[attr-defined]
    notes = "；".join(monthly.notes)  # type: ignore[attr-defined]
    assert "“每月25日”每月重复；截止日为第一次（2024-02-25）" in notes
    assert "“每季度末”每季度重复" in "；".join(quarterly.notes)  # type: ignore[attr-defined]
    # the note says the day when the words do not: 每月底 is the month's last day
    end = _built(RECURRING.replace("每月25日前", "每月底前"))["1.1"]
    assert "每月重复（每月最后一天）" in "；".join(end.notes)  # type: ignore[attr-defined]


def test_every_is_written_for_each_recurring_item_and_loads() -> None:
    """Each recurring item carries the mapping of docs/plan-format.md's `every:`, an item that
    does not recur carries none, and the plan written loads with one occurrence per period."""
    import yaml

    imported = import_text(RECURRING)
    written = yaml.safe_load(imported.yaml)
    every = {item["id"]: item.get("every") for item in written["items"]}
    assert every == {
        "1.1": {"unit": "month", "day": 25},
        "1.2": {"unit": "quarter", "day": "end"},
        "1.3": None,
    }
    plan = plan_of(imported)  # loads
    ids = {item.id for item in plan.items}
    assert {"1.1@2024-02", "1.1@2024-12", "1.2@2024-Q1", "1.2@2024-Q4"} <= ids
    assert not any(i.startswith("1.3@") for i in ids)  # a deadline once is one item


# -- units as the subject of a sentence ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "units", "lead"),
    [
        # a paragraph per office, no tag: every office its sentence names
        (
            "细化职责分工。\n房管所、规建生态办负责牵头组织排查整治工作；\n"
            "经发办负责园区、企业的排查整治工作；\n财政所负责将经费纳入预算管理。",
            ["房管所", "规建生态办", "经发办", "财政所"],
            ["房管所", "规建生态办"],
        ),
        # the subject opens the sentence after the heading; the longest name wins
        (
            "统筹推进。\n镇房屋安全隐患排查整治工作领导小组根据职责，统筹推进。",
            ["镇房屋安全隐患排查整治工作领导小组"],
            [],
        ),
        ("市科委牵头开展关键技术研发应用。", ["市科委"], ["市科委"]),
        # a person's role after a body: the body
        ("派出所民警要定期开展消防宣传培训。", ["派出所"], []),
        # a bracket after a name names the body
        ("系统维护单位（数交公司）负责给上述账号赋予权限。", ["系统维护单位（数交公司）"], []),
        # 「对…，X将…」: the subject after the topic
        ("对排查中发现的危房，镇政府将及时委托专业机构鉴定。", ["镇政府"], []),
        # 「会同Y」 names a partner; 「会同相关部门」 names no body
        ("由居委纳入重点关注对象；会同物业每周开展巡查。", ["居委", "物业"], []),
        (
            "市发展改革委会同相关部门统筹资金。市委金融办引导金融机构。",
            ["市发展改革委", "市委金融办"],
            ["市发展改革委"],  # the convener leads, as in 「由X会同Y…负责」
        ),
        # a class beside a body is kept as written
        ("各居村、相关责任单位于2021年6月20日前完成排查。", ["各居村", "相关责任单位"], []),
        # who does it follows 由; a body after a comma before a frequent verb
        (
            "考勤表由各村每月5日前交于镇规保办，镇规保办汇总后统一交于社保中心。",
            ["各村", "镇规保办"],
            [],
        ),
        ("吴泾镇征询区国土资源主管部门意见。", ["吴泾镇"], []),
        # the longest name, but never one holding a verb (「镇规建办对相关费用进行」)
        ("镇财政所、镇规建办对相关费用进行审核，按实扣减。", ["镇财政所", "镇规建办"], []),
        ("临时用地所属地村委会负责日常管理。", ["临时用地所属地村委会"], []),
        # 「X依法…」「X明确…」「X作为…的责任主体，负责…」
        (
            "区城管执法局依法实施行政处罚。各街道、镇作为本辖区装修垃圾处理的责任主体，负责日常监管。",
            ["区城管执法局", "各街道、镇"],
            [],
        ),
    ],
)
def test_units_as_the_subjects_of_an_items_sentences(
    text: str, units: list[str], lead: list[str]
) -> None:
    tags = find_tags(text)
    assert [(t.units, t.lead) for t in tags] == [(units, lead)]


@pytest.mark.parametrize(
    "text",
    [
        "各地区、各部门要遵循政务新媒体发展规律。",  # classes of bodies, alone
        "各单位要充分认清工作的重要性。",
        "县级以上地方各级人民政府及国务院部门应当开设政务新媒体。",
        "工业园区是指以工业生产为核心功能的园区。",  # a definition
        "已在政务微信和网格化系统用户中心开通的人员，直接提供账号信息。",
        "我镇根据实际情况制定整治计划。",
        "储备用地由闵行区土地储备中心作为储备前期开发项目主体。",  # 作为 a definition
        "管护费定价及执行。鉴于仅用于公共利益需要，免收使用费。",  # a heading ending in 执行
        "公益性停车场如确需对外收费的：需获得区交通部门对该临时停车场的备案。",
        "更新报送《附件4：古美路街道加强独居老人消防安全工作情况季度汇总表》。",
        "按要求上报（附件4：古美路街道加强独居老人消防安全工作情况季度汇总表）。",
    ],
)
def test_a_subject_that_is_no_body_names_no_unit(text: str) -> None:
    assert find_tags(text) == []


def test_a_heading_that_is_a_units_name_gives_the_item_that_unit() -> None:
    """「1.街道消委办。牵头开展…」: the office is the item's one unit, whoever its duties
    mention."""
    text = (
        "二、职责分工\n1.街道消委办。牵头开展关爱工作。消委办负责加强微型消防站建设，"
        "协同建管中心（房办）推动增设充电场所。\n2.派出所。配合开展关爱工作。\n"
    )
    plan = plan_of(import_text(text))
    assert units_of(plan, "2.1") == ["街道消委办"] and units_of(plan, "2.2") == ["派出所"]


def test_an_attachment_list_closes_the_document() -> None:
    """「附件：」 and the titles numbered under it are what is attached, not numbered work."""
    text = (
        "一、工作要求\n（一）加强信息上报。请服务办于7月21日前上报统计表。\n"
        "附件：\n1.独居老人排摸统计表\n2.消防安全宣传实例\n"
    )
    plan = plan_of(import_text(text))
    assert [i.id for i in plan.items] == ["1.1"]
    assert units_of(plan, "1.1") == ["服务办"]


def test_a_phases_own_sentences_above_its_steps_are_not_lost() -> None:
    """「（四）形成体检报告（2021年10月）。10月15日前，形成正式报告…」 over numbered contents: the
    phase's own sentence is a step with its own day, never dropped."""
    text = (
        "测试方案\n2021年9月9日\n三、工作步骤\n（四）形成体检报告（2021年10月）。10月15日前，"
        "形成正式报告，报送区政府。（责任单位：区建设管理委）\n报告主要内容包括：\n"
        "1.总体情况；\n2.指标评估情况。\n"
    )
    plan = plan_of(import_text(text))
    step = plan.get("3.4.0")  # 三（四）, its own text before its numbered parts
    assert step is not None and "形成正式报告" in step.text
    assert step.due == date(2021, 10, 15) and units_of(plan, "3.4.0") == ["区建设管理委"]
    assert [i.id for i in plan.items if i.parent is None] == ["3.4.0", "3.4.1", "3.4.2"]


# -- found by the second blind set (blind2/, 30–34): general forms it showed ---------------------


@pytest.mark.parametrize(
    ("text", "units"),
    [
        # 由X + an action the verb list did not hold
        ("对问题突出的小区，由镇政府挂牌督办，限期整改。", ["镇政府"]),
        ("无人管理的，由居委托底保障设施运行。", ["居委"]),
        # a subject after a comma, before 组织开展
        ("发生较大事故的，区政府组织开展调查处理。", ["区政府"]),
        # a list joined by 以及, bodies named by their role
        (
            "各产权单位、委托管理单位以及各经营主体应签订责任协议。",
            ["各产权单位", "委托管理单位", "各经营主体"],
        ),
        # the subject, a comma, then how (按照/根据…), then the verb
        ("各街镇、开发区，按照属地原则，督促产权单位落实责任。", ["各街镇", "开发区"]),
        # 「主体为X」「以X为主体」
        ("本项目建设主体为区应急局，统筹开展项目建设。", ["区应急局"]),
        ("以街镇为主体开展街镇级体检工作。", ["街镇"]),
        # 发挥, 依据, 列出: verbs a subject takes
        (
            "区建设管理委发挥统筹作用。相关部门和街镇依据职责分工完成采集。",
            ["区建设管理委", "相关部门", "街镇"],
        ),
        (
            "区公安分局列出责任人清单，会同区市场监管局等部门将信息纳入征信体系。",
            ["区公安分局", "区市场监管局"],
        ),
        ("区综治办要会同区公安分局结合实际开展督导。", ["区综治办", "区公安分局"]),
        # sectors listed before 「等行业主管部门」: the body is the 行业主管部门
        ("教育、卫生、交通等行业主管部门负责做好本行业排查。", ["行业主管部门"]),
    ],
)
def test_more_subject_forms(text: str, units: list[str]) -> None:
    tags = find_tags(text)
    assert [t.units for t in tags] == [units]


@pytest.mark.parametrize(
    "text",
    [
        # an object or a place is not a subject
        "今年计划在甲镇、乙镇开展试点。",
        "指导使用管理单位建立微信群，实现信息共享。",
        "对存在隐患不整改的，依法追究单位负责人责任。",
        "集中查处一批存在违法行为的使用管理单位。",
        "与市级规划编制和综合体检团队做好成果衔接。",
        # 部署 is a verb, not a name ending in 署
        "动员部署、排查摸底阶段。各属地单位制定工作方案。",
        # a class of bodies: 各属地单位
        "各属地单位要及时推进各阶段工作。",
    ],
)
def test_more_that_name_no_unit(text: str) -> None:
    assert find_tags(text) == []


def test_a_heading_that_is_an_action_is_not_a_units_name() -> None:
    """「（八）建强微型消防站（志愿消防队）」 ends in 队 but opens with a verb: no unit."""
    text = (
        "五、工作措施\n（八）建强微型消防站（志愿消防队）\n"
        "建立集防火、灭火于一体的微型消防站，2024年底前完成。\n"
    )
    plan = plan_of(import_text(text))
    assert [o.name for o in plan.offices.values() if o.name != PLACEHOLDER_UNIT] == []


def test_a_step_numbered_right_before_its_month() -> None:
    """「1.9月30日前，…」 is step 1 with its day, never the decimal 1.9."""
    text = (
        "测试方案\n2017年9月6日\n六、工作步骤\n（二）排查整治阶段（9月1日至11月30日）\n"
        "1.9月30日前，区建设管理委对照标准开展底数排查。\n2.11月30日前，区公安分局制定整改计划。\n"
    )
    plan = plan_of(import_text(text))
    first, second = plan.get("6.2.1"), plan.get("6.2.2")
    assert first is not None and second is not None, [i.id for i in plan.items]
    assert (first.due, second.due) == (date(2017, 9, 30), date(2017, 11, 30))
    assert units_of(plan, "6.2.1") == ["区建设管理委"] and units_of(plan, "6.2.2") == ["区公安分局"]


def test_a_window_of_days_gives_its_steps_their_deadline() -> None:
    """「（三）巩固提高阶段（12月1日至12月31日）」: its steps end with it."""
    text = (
        "测试方案\n2017年9月6日\n六、工作步骤\n（三）巩固提高阶段（12月1日至12月31日）\n"
        "1.区协调小组成立检查组，开展检查验收。\n2.区公安分局列出责任人清单。\n"
    )
    plan = plan_of(import_text(text))
    for item_id in ("6.3.1", "6.3.2"):
        item = plan.get(item_id)
        assert item is not None, [i.id for i in plan.items]
        assert item.due_basis is DueBasis.PHASE
        assert plan.phases[item.phase].end == date(2017, 12, 31)  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # a month opening a clause, as a year does: the month's end
        ("2026年4月，印发工作方案，完成部署。", date(2026, 4, 30)),
        ("2026年11月，全部验收。", date(2026, 11, 30)),
    ],
)
def test_a_month_opening_a_clause_is_a_deadline(text: str, due: date) -> None:
    found = find_deadline(text, date(2026, 1, 1))
    assert found is not None and found.due == due


@pytest.mark.parametrize(
    "text",
    [
        # 「…前建成的X」 describes X: no deadline
        "重点选择2000年底前建成的老旧小区作为对象。",
        "排查2019年前竣工的住宅。",
    ],
)
def test_a_date_describing_what_was_built_is_no_deadline(text: str) -> None:
    assert find_deadline(text, date(2026, 4, 27)) is None
