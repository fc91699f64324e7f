"""`xixin import`'s tag grammar and unit names, held to what a clerk relies on: the tests that
kill the session-6 survivors in `importer.tags`, `importer.units` and `importer.writer`
(docs/mutation-survivors-7-imp2.md lists each one). Every test states what a document gives
(its items' units, lead units, titles, the words that named the units, what is reported), not
how the code does it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_grammar import plan_of, units_of

from xixin_cli.importer import import_file, import_text
from xixin_cli.importer.units import split_units


def _one_task(text: str) -> str:
    """A document whose one section holds one numbered task with the given text."""
    return f"一、工作任务\n（一）{text}\n"


# -- bracket tags --------------------------------------------------------------------------------


def test_a_legend_before_the_labels_in_a_bracket_makes_the_first_unit_lead() -> None:
    """Kills `tags.x__parse_content` 7 (the legend's clause cut out, then only whitespace
    trimmed: the 「；」 that stood after the legend is left before 「责任单位：」, so the label is
    no longer at the start and the bracket is not read at all).

    「排在第一位的为牵头单位」 first, then the list: the units are the two listed, and the
    legend makes the first of them the lead."""
    plan = plan_of(
        import_text(
            _one_task("建设公厕5座（排在第一位的为牵头单位；责任单位：县住建局、县财政局）。")
        )
    )
    assert units_of(plan, "1.1") == ["县住建局", "县财政局"]
    assert units_of(plan, "1.1", "lead") == ["县住建局"]


def test_a_convener_in_a_lead_clause_keeps_the_cooperating_units() -> None:
    """Kills `tags.x__parse_content` 82 (with 会同 in the lead clause, the 配合 list after it
    dropped).

    「X会同Y牵头，Z配合」: X convenes Y and leads; Z cooperates. All three are responsible."""
    plan = plan_of(
        import_text(_one_task("建设公厕5座（县住建局会同县财政局牵头，县自然资源局配合）。"))
    )
    assert units_of(plan, "1.1") == ["县住建局", "县财政局", "县自然资源局"]
    assert units_of(plan, "1.1", "lead") == ["县住建局"]


def test_a_lead_clause_with_two_conveners_names_every_unit() -> None:
    """Kills `tags.x__parse_content` 82 of the second run (the lead clause cut at every 会同,
    not the first: three pieces for two names, and the import stops with a ValueError).

    「X会同Y会同Z牵头」, as a hurried draft writes it: X convenes and leads, all three are
    responsible, and the document is read, not refused."""
    plan = plan_of(
        import_text(_one_task("建设公厕5座（县住建局会同县财政局会同县自然资源局牵头）。"))
    )
    assert units_of(plan, "1.1") == ["县住建局", "县财政局", "县自然资源局"]
    assert units_of(plan, "1.1", "lead") == ["县住建局"]


def test_an_empty_bracket_left_in_a_unit_list_is_no_part_of_a_name() -> None:
    """Kills `units.x_split_units` 13 (the empty bracket never matched) and 14 (replaced by
    XXXX): 「县住建局（ ）」 is a form whose blank was never filled in; the unit is 县住建局.

    The bracket tag names two units, 县住建局 and 县财政局."""
    plan = plan_of(import_text(_one_task("建设公厕5座（县住建局（ ）、县财政局负责）。")))
    assert units_of(plan, "1.1") == ["县住建局", "县财政局"]
    assert split_units("县住建局（ ）、县财政局（）") == ["县住建局", "县财政局"]


def test_a_unit_name_of_thirty_characters_is_read() -> None:
    """Kills `units.x_looks_like_unit` 5 (`<= 30` → `< 30`).

    中国共产党上海市浦东新区陆家嘴街道工作委员会社区党建服务中心 is one body's full name, 30
    characters long (5 + 3 + 4 + 5 + 5 + 8), within the 30 a unit's name may have."""
    name = "中国共产党上海市浦东新区陆家嘴街道工作委员会社区党建服务中心"
    assert len(name) == 30
    plan = plan_of(import_text(_one_task(f"建设党群服务站点3个（{name}负责）。")))
    assert units_of(plan, "1.1") == [name]


def test_units_one_a_line_in_a_table_cell_each_ending_in_a_full_stop(tmp_path: Path) -> None:
    """Kills `units.x__trim` 2 (only whitespace trimmed from each name): a Word table's units
    cell holds 「县住建局。」 and 「县财政局。」 as two paragraphs; the line break splits them,
    and the full stop after each is no part of the name. Two units, nothing reported unread."""
    docx = pytest.importorskip("docx")
    path = tmp_path / "分解表.docx"
    document = docx.Document()
    document.add_paragraph("某镇环境整治任务分解表")
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["序号", "工作任务", "责任单位", "完成时限"], strict=True
    ):
        cell.text = text
    cells = table.rows[1].cells
    cells[0].text, cells[1].text, cells[3].text = "1", "新建公厕5座", "2024年9月底前"
    cells[2].text = "县住建局。"
    cells[2].add_paragraph("县财政局。")
    document.save(str(path))
    result = import_file(path)
    assert units_of(plan_of(result), "t1.1") == ["县住建局", "县财政局"]
    assert result.unplaced == []


# -- the units an item's sentences name ----------------------------------------------------------


def test_a_heading_that_is_a_unit_name_gives_its_words() -> None:
    """Kills `tags.x__subjects` 37 (the heading's words dropped): 「镇党政办。」 heading its
    duties names the unit, and those words are what the plan keeps as having named it."""
    plan = plan_of(import_text(_one_task("镇党政办。\n负责统筹协调，做好宣传报道。")))
    item = plan.get("1.1")
    assert item is not None
    assert units_of(plan, "1.1") == ["镇党政办"]
    assert item.offices_text == "镇党政办"


def test_two_subjects_are_named_in_the_words_as_a_list() -> None:
    """Kills `tags.x__subjects` 139 (the subjects' names joined with 「XX、XX」): each sentence's
    subject is a unit; the words that named them are the two names as a list, 「、」 between."""
    plan = plan_of(import_text(_one_task("镇党政办负责统筹协调，镇财政所负责资金保障。")))
    item = plan.get("1.1")
    assert item is not None
    assert units_of(plan, "1.1") == ["镇党政办", "镇财政所"]
    assert item.offices_text == "镇党政办、镇财政所"


def test_where_an_unread_bracket_stands_does_not_change_what_is_reported() -> None:
    """Kills `tags.x__subjects` 136 (the subjects' tag starting at 1, not 0): an item whose
    unit is its sentence's subject (镇党政办) with a bracket that reads like a tag and is not
    one (「牵头单位：待定」). Before or after the sentence, the bracket is treated alike."""
    before = import_text(_one_task("（牵头单位：待定）。镇党政办负责统筹协调。"))
    after = import_text(_one_task("镇党政办负责统筹协调。（牵头单位：待定）"))
    assert units_of(plan_of(before), "1.1") == units_of(plan_of(after), "1.1") == ["镇党政办"]
    assert [u.reason for u in before.unplaced] == [u.reason for u in after.unplaced]


def test_a_unit_before_a_colon_and_a_class_of_units_inside_the_sentence() -> None:
    """Kills `tags.x_find_tags` 151 (the unit before the colon given no names), 156 (its tag
    given no place in the text) and 159 (its words taken for a legend, so it was made lead).

    「镇党政办：统筹协调…，由各有关部门负责落实」: 镇党政办 is the unit the item opens with, and
    各有关部门 is named to carry it out. Neither is marked as leading."""
    plan = plan_of(import_text(_one_task("镇党政办：统筹协调全镇工作，由各有关部门负责落实。")))
    assert units_of(plan, "1.1") == ["镇党政办", "各有关部门"]
    assert units_of(plan, "1.1", "lead") == []


def test_an_item_opening_with_a_convener_before_an_ascii_comma() -> None:
    """Kills `tags.x_find_tags` 169 (the opening 「X会同Y」 not looked for), 181 and 193 (its
    second group asked for as group None: an error), 196 (its units None: an error) and 200 (its
    tag not marked as inside the sentence, so the unit names were cut out of the item's text).

    「向阳社区会同县民政局,做好…」 (a half-width comma, as typed): 向阳社区 convenes 县民政局 and
    leads; the names are part of the sentence, which is the item's title."""
    plan = plan_of(import_text(_one_task("向阳社区会同县民政局,做好困难群众走访慰问。")))
    item = plan.get("1.1")
    assert item is not None
    assert units_of(plan, "1.1") == ["向阳社区", "县民政局"]
    assert units_of(plan, "1.1", "lead") == ["向阳社区"]
    assert item.title == "向阳社区会同县民政局,做好困难群众走访慰问"


def test_an_item_opening_with_its_unit_and_a_colon_keeps_the_name_in_its_title() -> None:
    """Kills `tags.x_find_tags` 224 (the opening unit's tag not marked as inside the sentence,
    so its name was cut out of the title, leaving 「：统筹协调全镇工作」)."""
    plan = plan_of(import_text(_one_task("镇党政办：统筹协调全镇工作。")))
    item = plan.get("1.1")
    assert item is not None
    assert units_of(plan, "1.1") == ["镇党政办"]
    assert item.title == "镇党政办：统筹协调全镇工作"


# -- titles ------------------------------------------------------------------------------------


def test_a_title_made_from_a_long_text_is_forty_characters() -> None:
    """Kills `writer.x_to_yaml` 80 (a title made from the text's first 41 characters).

    The second stretch of the item (after 「（镇党政办负责）」) opens with a comma, so it has no
    clause of its own to be titled by; its title is the start of its text, and no title the
    importer writes is longer than 40 characters."""
    plan = plan_of(
        import_text(
            _one_task(
                "摸清底数。（镇党政办负责），每月更新辖区内各村居民自建房屋和经营性用房的安全"
                "隐患排查台账，并报送镇规划建设和环境保护办公室备案。（镇财政所负责）。"
            )
        )
    )
    (stretch,) = [i for i in plan.items if units_of(plan, i.id) == ["镇财政所"]]
    assert len(stretch.text) > 41
    assert len(stretch.title) == 40 and stretch.text.startswith(stretch.title)


# -- bugs the survivors showed -------------------------------------------------------------------


def test_a_duty_heading_that_is_a_unit_name_ending_in_a_full_stop_over_numbered_duties() -> None:
    """`tags.x__subjects` 13 read this right and the code did not (a bug, fixed):
    「（一）镇党政办。」 over its numbered duties names their unit, as 「（一）镇党政办」 does
    (`test_import_grammar.py::test_a_duty_heading_that_is_a_unit_name`). The full stop left the
    heading with no unit, each duty with the placeholder, and a section of only such headings
    was kept as a note, with no item at all."""
    text = (
        "四、职责分工\n（一）镇党政办。\n1. 负责统筹协调。\n2. 负责宣传报道。\n"
        "（二）镇财政所。\n1. 负责资金保障。\n"
    )
    plan = plan_of(import_text(text))
    assert [(i.id, plan.office_names(i)) for i in plan.items] == [
        ("4.1", ("镇党政办",)),
        ("4.1.1", ("镇党政办",)),
        ("4.1.2", ("镇党政办",)),
        ("4.2", ("镇财政所",)),
        ("4.2.1", ("镇财政所",)),
    ]


def test_a_bracket_of_unit_names_on_a_line_of_its_own_after_a_list_speaks_for_the_list() -> None:
    """`tags.x__closing_names` 5 read this right and the code did not (a bug, fixed): a line
    that is only 「（县住建局）」 after a list whose items name no unit is the list's unit, as a
    line 「（县住建局负责）」 is (`_lift_closing_tag`). Both items are the 县住建局's; before the
    fix the first had the placeholder."""
    for tag in ("（县住建局）", "（县住建局负责）"):
        text = f"一、工作任务\n（一）建设公厕。\n1. 新建公厕5座。\n2. 改造旱厕10座。\n{tag}\n"
        plan = plan_of(import_text(text))
        assert [(i.id, plan.office_names(i)) for i in plan.items] == [
            ("1.1", ("县住建局",)),
            ("1.1.1", ("县住建局",)),
            ("1.1.2", ("县住建局",)),
        ], tag


def test_a_no_break_space_at_the_end_of_a_bracket_keeps_its_lead() -> None:
    """`tags.x__parse_content` 16 read this right and the code did not (a bug, fixed): Word
    writes a no-break space (U+00A0) where one was typed; at the end of 「（县住建局牵头，
    县财政局配合 ）」 it stopped the bracket being read as a tag, and 县住建局 lost its lead."""
    plan = plan_of(import_text(_one_task("建设公厕5座（县住建局牵头，县财政局配合\xa0）。")))
    assert units_of(plan, "1.1") == ["县住建局", "县财政局"]
    assert units_of(plan, "1.1", "lead") == ["县住建局"]
