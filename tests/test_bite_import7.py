"""`xixin import`, held to what a clerk relies on: the tests that kill the session-6 survivors
of the importer's build, dates, metadata and numbering named in docs/mutation-survivors-7-imp1.md.
Each test states what a document gives (its items, units, deadlines, phases, notes and
metadata), worked out from the document, not copied from what the importer prints."""

from __future__ import annotations

from datetime import date

from test_import_grammar import plan_of

from xixin_cli.importer import Found, import_text

# -- where an item stands in the document ----------------------------------------------------


def test_the_eleventh_heading_is_cited_as_shi_yi() -> None:
    """Kills `build.x__cn` 18. Chinese writes 11 as 十一 (not 一十一) and 21 as 二十一: the
    item under the eleventh heading is cited 「十一1」, the one under the twenty-first
    「二十一1」."""
    numerals = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十"
    numerals += " 二十一"
    lines = []
    for n, numeral in enumerate(numerals.split(), start=1):
        lines += [f"{numeral}、第{n}项工作", f"1. 落实第{n}项整治任务（镇第{n}办负责）。"]
    plan = plan_of(import_text("\n".join(lines) + "\n"))
    sources = {i.id: i.source for i in plan.items}
    assert sources["10.1"] == "十1"
    assert sources["11.1"] == "十一1"
    assert sources["21.1"] == "二十一1"


# -- a simplified document with one traditional character -------------------------------------


def test_a_simplified_document_naming_qianxian_keeps_its_simplified_characters() -> None:
    """Kills `build.x__traditional` 12. 乾县 and 乾陵 are written with 乾 in simplified
    Chinese too; 乾 is also the traditional form of 干. A simplified plan that names them is not
    a traditional one: 干部 stays 干部 (read as traditional, every 干 would be written 乾)."""
    text = (
        "乾县农村人居环境整治工作方案\n一、重点任务\n"
        "1. 开展村干部培训（县农业农村局负责）。\n"
        "2. 清理乾陵周边垃圾（县文旅局负责）。\n"
    )
    plan = plan_of(import_text(text))
    assert [(i.id, i.title) for i in plan.items] == [
        ("1.1", "开展村干部培训"),
        ("1.2", "清理乾陵周边垃圾"),
    ]


# -- what is a note, what assigns --------------------------------------------------------------


def test_a_long_remark_in_brackets_leaves_an_aims_section_a_note() -> None:
    """Kills `build.xǁBuilderǁ_assigns` 12. A bracket of 60 characters (both brackets counted)
    is a remark, not a tag that could not be read: 「工作目标」 with such a remark about 专人负责
    names no unit and no deadline, so it is kept as a note and the only item is the task's."""
    remark = (
        "（各村均要明确专人负责，建立健全长效保洁机制，做到垃圾日产日清，不留卫生死角，"
        "确保村容村貌整洁有序，群众满意度明显提升）"
    )
    assert len(remark) == 60
    text = (
        f"一、工作目标\n全镇生活垃圾无害化处理率达到100%{remark}。\n"
        "二、重点任务\n1. 开展垃圾清运（镇环卫所负责）。\n"
    )
    result = import_text(text)
    assert result.notes == [(1, "工作目标")]
    assert [i.id for i in plan_of(result).items] == ["2.1"]
    assert result.unplaced == []


def test_a_goals_heading_of_the_plan_period_under_the_tasks_is_a_note() -> None:
    """Kills `build.xǁBuilderǁ_is_notes` 8. 「（一）十四五发展目标」 is a 发展目标 section (the
    period's number 十四五 before it) and names no unit or deadline: a note, not an item with
    the placeholder unit."""
    text = (
        "一、重点任务\n（一）十四五发展目标\n全镇污水处理率达到95%以上。\n"
        "（二）开展河道清淤\n1. 清理镇区河道（镇水利站负责）。\n"
    )
    result = import_text(text)
    assert result.notes == [(2, "十四五发展目标")]
    assert [i.id for i in plan_of(result).items] == ["1.2", "1.2.1"]
    assert result.unplaced == []


# -- the closing lines -------------------------------------------------------------------------


def test_a_short_last_sentence_before_the_signing_date_is_kept() -> None:
    """Kills `build.xǁBuilderǁ_cut_closing` 24. A short line before the date is cut as a
    signature only when it is a name (no 。，；): 「对工作不力的，严肃追责。」 is a sentence of
    the last item, kept as its action; the date line alone is cut."""
    text = (
        "一、重点任务\n1. 开展河道清淤（镇水利站负责）。\n"
        "2. 加强督查考核（镇督查办负责）。\n对工作不力的，严肃追责。\n2024年3月1日\n"
    )
    plan = plan_of(import_text(text))
    action = plan.get("1.2.1")
    assert action is not None and action.text == "对工作不力的，严肃追责。"
    assert plan.office_names(action) == ("镇督查办",)
    assert plan.document.date == date(2024, 3, 1)


# -- units -------------------------------------------------------------------------------------


def test_a_label_after_a_tagged_sentence_adds_its_units_to_that_sentence() -> None:
    """Kills `build.xǁBuilderǁ_segments` 47. 「（责任单位：镇林业站）」 standing alone after the
    sentence that already names 镇水利站 speaks for that same sentence: both units answer for
    it. The sentence after it names no unit."""
    text = (
        "一、重点任务\n1. 开展河道排查（镇水利站负责），建立问题台账。（责任单位：镇林业站）。"
        "排查结果报镇政府备案。\n"
    )
    plan = plan_of(import_text(text))
    first = plan.get("1.1.1")
    assert first is not None and first.text == "开展河道排查，建立问题台账。"
    assert plan.office_names(first) == ("镇水利站", "镇林业站")
    second = plan.get("1.1.2")
    assert second is not None and second.text == "排查结果报镇政府备案。"


def test_found_counts_every_tag_and_deadline() -> None:
    """Kills `build.xǁBuilderǁ_count` 1. Four lines, four numbered pieces (the heading and
    three items), no table, three unit tags (one per item), one deadline (2024年6月底前)."""
    text = (
        "一、重点任务\n1. 开展河道清淤（镇水利站负责）。\n"
        "2. 建立巡河台账（镇林业站负责，2024年6月底前完成）。\n"
        "3. 拆除违章建筑（镇城管中队负责）。\n"
    )
    assert import_text(text).found == Found(lines=4, numbered=4, tables=0, tags=3, dates=1)


# -- deadlines ---------------------------------------------------------------------------------


def test_a_safeguard_measure_without_a_date_is_standing_as_a_measure() -> None:
    """Kills `build.xǁBuilderǁ_item` 76. A 保障措施 item names no date: it is standing work as
    a safeguard (「保障措施」), not an item whose deadline the document left out."""
    text = (
        "一、重点任务\n1. 开展河道清淤（镇水利站负责）。\n二、保障措施\n"
        "（一）加强组织领导。成立工作专班，统筹推进整治工作（镇党政办负责）。\n"
    )
    plan = plan_of(import_text(text))
    measure = plan.get("2.1")
    assert measure is not None and measure.kind == "measure"
    assert (measure.due_basis, measure.due, measure.due_text) == ("standing", None, "保障措施")
    assert "未规定完成时限" not in measure.note


def test_a_task_whose_part_is_due_after_its_phase_says_where_its_deadlines_are() -> None:
    """Kills `build.xǁBuilderǁ_no_phase_above` 17. Part (1) is due 2024-12-31, after the phase
    (April to September): it leaves the phase, and so does its task, which had no date but the
    phase's end. The task then says its deadlines are its parts'."""
    text = (
        "一、工作步骤\n（一）集中整治阶段（2024年4月—9月）\n1. 开展集中整治。\n"
        "（1）清理河道垃圾（镇水利站负责，2024年12月底前完成）。\n"
        "（2）拆除违章建筑（镇城管中队负责）。\n"
    )
    plan = plan_of(import_text(text))
    task = plan.get("1.1.1")
    assert task is not None and task.title == "开展集中整治"
    assert (task.phase, task.due_basis, task.due) == (None, "standing", None)
    assert "各项截止日见其下各项" in task.note.split("；")
    part = plan.get("1.1.1.1")
    assert part is not None and part.due == date(2024, 12, 31)


def test_a_phase_sentence_repeating_its_window_is_read_whole() -> None:
    """Kills `build.xǁBuilderǁ_node` 96. The phase's own sentence, 「2024年4月—9月，各村对照问题
    清单全面整改。」, repeats the window of the heading: it is the phase's step 0 as written, due
    at the window's end, 2024-09-30."""
    text = (
        "一、工作步骤\n（一）集中整治阶段（2024年4月—9月）。2024年4月—9月，各村对照问题清单全面整改。\n"
        "1. 清理河道垃圾（镇水利站负责）。\n2. 拆除违章建筑（镇城管中队负责）。\n"
    )
    plan = plan_of(import_text(text))
    step = plan.get("1.1.0")
    assert step is not None and step.text == "2024年4月—9月，各村对照问题清单全面整改。"
    assert step.due == date(2024, 9, 30)


def test_the_deadline_line_of_an_item_is_its_own_before_the_follow_up() -> None:
    """Kills `dates.x_find_deadline` 92. 「完成时限：2024年6月底」 on its own line, then
    「2024年9月底前完成整改验收。」: the first deadline the item states is its own, 2024-06-30,
    even though the two lines run together in the item's text."""
    text = (
        "一、重点任务\n（一）开展自建房安全排查\n1. 全面排查经营性自建房（镇规划办负责）\n"
        "完成时限：2024年6月底\n2024年9月底前完成整改验收。\n"
    )
    item = plan_of(import_text(text)).get("1.1.1")
    assert item is not None
    assert (item.due, item.due_text) == (date(2024, 6, 30), "2024年6月底")


def test_an_item_timed_by_a_window_is_due_at_its_end() -> None:
    """Kills `dates.x_find_deadline` 132. 「2024年3月—6月，对全镇河道开展拉网式排查」: the work
    runs March to June, so it is due 2024-06-30, not at the end of March."""
    text = (
        "一、重点任务\n（一）开展河道整治\n"
        "1. 清理河道垃圾（镇水利站负责）。2024年3月—6月，对全镇河道开展拉网式排查。\n"
    )
    item = plan_of(import_text(text)).get("1.1.1")
    assert item is not None
    assert (item.due, item.due_text) == (date(2024, 6, 30), "2024年3月—6月")


# -- phases ------------------------------------------------------------------------------------


def test_a_phase_window_from_november_to_february_ends_the_next_year() -> None:
    """Kills `dates.x_find_window` 90. 「2024年11月—2月」: February comes after November only in
    the next year, so the phase runs 2024-11-01 to 2025-02-28."""
    text = (
        "一、工作步骤\n（一）集中整治阶段（2024年4月—10月）\n1. 开展集中整治（镇综治办负责）。\n"
        "（二）巩固提升阶段（2024年11月—2月）\n1. 建立长效机制（镇党政办负责）。\n"
    )
    phases = plan_of(import_text(text)).phases
    windows = {p.name: (p.window_text, p.start, p.end) for p in phases.values()}
    assert windows["巩固提升阶段"] == ("2024年11月—2月", date(2024, 11, 1), date(2025, 2, 28))


def test_phases_numbered_as_stages_with_one_month_are_phases() -> None:
    """Kills `build.xǁBuilderǁ_window` 19. 「第一阶段：宣传发动（2024年3月）」 is a phase by its
    number (第一阶段) though its name has no 阶段 in it: March 2024, and its step is in it."""
    text = (
        "第一阶段：宣传发动（2024年3月）\n1. 召开动员大会（镇党政办负责）。\n"
        "第二阶段：集中整治（2024年4月—9月）\n1. 开展集中整治（镇综治办负责）。\n"
    )
    plan = plan_of(import_text(text))
    windows = {p.name: (p.start, p.end) for p in plan.phases.values()}
    assert windows == {
        "宣传发动": (date(2024, 3, 1), date(2024, 3, 31)),
        "集中整治": (date(2024, 4, 1), date(2024, 9, 30)),
    }
    step = plan.get("1.1")
    assert step is not None and (step.kind, step.phase) == ("step", "宣传发动")


# -- the document's metadata -------------------------------------------------------------------


def test_the_notice_is_the_whole_notice_and_no_line_is_taken_for_recipients() -> None:
    """Kills `metadata.x_read_metadata` 56 and 81. The notice is 「关于印发《…》的通知」 as
    written (the title is what it quotes); a document with no 主送 line (「各村、各单位：」) has
    no recipients: the notice line is not one."""
    text = (
        "某镇人民政府关于印发《某镇河道整治工作方案》的通知\n为改善河道环境，制定本方案。\n"
        "一、重点任务\n1. 开展河道清淤（镇水利站负责）。\n"
    )
    document = plan_of(import_text(text)).document
    assert document.notice == "关于印发《某镇河道整治工作方案》的通知"
    assert document.title == "某镇河道整治工作方案"
    assert document.recipients == ()


# -- the numbering and the lines ---------------------------------------------------------------

#: Five items copied from a PDF: each one cut after its first line of 18 to 21 characters
#: (digits are narrower than characters, so a line's length varies a little).
WRAPPED = [
    ("1. 开展镇区河道清淤整治工作，全面清理", "河道内淤泥和垃圾（镇水利站负责）。"),
    ("2. 组织开展农村生活污水排查，摸清全镇", "污水处理设施底数（镇环保所负责）。"),
    ("3. 推进农村户用厕所改造提升，完成改厕", "任务二百户以上（镇农办负责）。"),
    ("4. 加强农村垃圾收运体系建设，落实", "保洁人员（镇环卫所负责）。"),
    ("5. 落实河长巡河制度，每月巡查2次以上镇", "村两级河道（镇河长办负责）。"),
]


def test_a_short_hard_wrapped_text_is_joined_back_into_its_sentences() -> None:
    """Kills `numbering.x__wrap_width` 19, 20, 35, 36 and `numbering.x__joins` 22, 24. The
    first lines are 20, 20, 20, 18 and 21 characters long: one width give or take, five lines
    of it, each cut mid-sentence. Each item is one sentence again, with no stop put in at the
    cut, and its unit."""
    assert [len(first) for first, _ in WRAPPED] == [20, 20, 20, 18, 21]
    text = "一、重点任务\n" + "".join(f"{first}\n{rest}\n" for first, rest in WRAPPED)
    plan = plan_of(import_text(text))
    assert [(i.id, i.text) for i in plan.items] == [
        ("1.1", "开展镇区河道清淤整治工作，全面清理河道内淤泥和垃圾。"),
        ("1.2", "组织开展农村生活污水排查，摸清全镇污水处理设施底数。"),
        ("1.3", "推进农村户用厕所改造提升，完成改厕任务二百户以上。"),
        ("1.4", "加强农村垃圾收运体系建设，落实保洁人员。"),
        ("1.5", "落实河长巡河制度，每月巡查2次以上镇村两级河道。"),
    ]


def test_a_paragraph_opening_with_a_figure_is_no_numbered_item() -> None:
    """Kills `numbering.x__place` 32. 「3.5亿元专项资金…」 under （一） opens with the figure 3.5
    (no 1. or 2. before it): it is the sentence of （一）, not item 3 reading 「5亿元…」."""
    text = (
        "一、重点任务\n（一）加大资金投入\n3.5亿元专项资金全部用于农村道路建设（县财政局负责）。\n"
    )
    plan = plan_of(import_text(text))
    texts = [i.text for i in plan.items]
    assert "3.5亿元专项资金全部用于农村道路建设。" in texts
    assert not any(t.startswith("5亿元") for t in texts)
    assert all(i.source == "一（一）" for i in plan.items)


def test_a_full_width_space_after_the_number_is_no_part_of_the_title() -> None:
    """Kills `numbering.x_clean_lines` 7. 「1.　开展河道清淤」 with an ideographic space (U+3000)
    after the number, as Word indents: the title is 开展河道清淤."""
    text = (
        "一、重点任务\n"
        "1.\u3000开展河道清淤（镇水利站负责）。\n"
        "2.\u3000建立巡河台账（镇林业站负责）。\n"
    )
    plan = plan_of(import_text(text))
    assert [i.title for i in plan.items] == ["开展河道清淤", "建立巡河台账"]


def test_a_table_copied_one_cell_a_line_from_its_header_is_no_text() -> None:
    """Kills `numbering.x_flattened_tables` 47. The table under item 1 (村名, 清淤长度（公里）,
    then 东村 4.5, 西村 3.2) copied one cell a line: every cell, its header too, is reported as
    a table's cells, and the item's text is its own sentences only."""
    text = (
        "一、重点任务\n1. 开展河道清淤（镇水利站负责）。各村清淤任务如下：\n"
        "村名\n清淤长度（公里）\n东村\n4.5\n西村\n3.2\n2. 建立巡河台账（镇林业站负责）。\n"
    )
    result = import_text(text)
    cells = [(u.line, u.text) for u in result.unplaced if u.reason == "table_cells"]
    assert cells == [
        (3, "村名"),
        (4, "清淤长度（公里）"),
        (5, "东村"),
        (6, "4.5"),
        (7, "西村"),
        (8, "3.2"),
    ]
    assert not any("村名" in i.text for i in plan_of(result).items)
