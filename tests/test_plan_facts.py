"""plan.yaml against the text of 洗府发〔2022〕145号: every fact is checked at its source."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest

from xixin_cli.model import DueBasis, ItemKind, Plan
from xixin_cli.plan_file import load_plan

from conftest import ROOT, sentences, task_paragraphs

#: The one sentence of 四（八） that states why the work matters and asks for no action.
STATEMENTS = {
    8: [
        "贯彻落实党和国家的民族政策，维护民族团结和社会稳定，是一项政治性、政策性、群众性很强，"
        "涉及全局、关系长远的重要工作。"
    ],
}
#: Actions per task, counted by hand from the text (one per sentence after the title).
ACTION_COUNTS = {1: 9, 2: 4, 3: 8, 4: 6, 5: 10, 6: 3, 7: 10, 8: 4}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(ROOT / "plan.yaml")


def flat(text: str) -> str:
    return text.replace("\n", "")


def test_document_metadata_matches_the_text(plan: Plan, seed_text: str) -> None:
    doc = plan.document
    assert seed_text.startswith(doc.number + "\n" + doc.issuer)
    assert doc.date == date(2022, 9, 13) and "2022年9月13日" in seed_text
    assert f"《{doc.title}》" in flat(seed_text)
    assert "、".join(doc.recipients) + "：" in seed_text
    assert doc.goal in seed_text


def test_every_unit_named_in_the_text_is_listed_once(plan: Plan, seed_text: str) -> None:
    named = set()
    for _, units in task_paragraphs(seed_text).values():
        named.update(units)
    names = [office.name for office in plan.offices.values()]
    assert sorted(names) == sorted(named)
    assert len(names) == len(set(names)) == 9
    assert [o.key for o in plan.offices.values() if o.group] == ["cun"]


def test_each_task_has_the_units_of_its_responsibility_clause(plan: Plan, seed_text: str) -> None:
    tasks = [item for item in plan.items if item.kind is ItemKind.TASK]
    assert [task.id for task in tasks] == [f"4.{n}" for n in range(1, 9)]
    for number, (parts, units) in task_paragraphs(seed_text).items():
        task = plan.get(f"4.{number}")
        assert task is not None
        assert list(plan.office_names(task)) == units, task.id
        assert task.title + "。" == parts[0]


def test_actions_are_the_sentences_of_their_task_in_order(plan: Plan, seed_text: str) -> None:
    for number, (parts, _) in task_paragraphs(seed_text).items():
        expected = [s for s in parts[1:] if s not in STATEMENTS.get(number, [])]
        actions = [plan.get(child) for child in plan.children(f"4.{number}")]
        assert [a.text for a in actions if a] == expected
        assert len(actions) == ACTION_COUNTS[number]
        assert [a.id for a in actions if a] == [
            f"4.{number}.{i}" for i in range(1, len(actions) + 1)
        ]


def test_actions_inherit_their_tasks_units(plan: Plan) -> None:
    for item in plan.items:
        if item.kind is ItemKind.ACTION:
            parent = plan.get(item.parent or "")
            assert parent is not None and parent.kind is ItemKind.TASK
            assert item.offices == parent.offices, item.id


def test_every_text_is_verbatim_and_titles_use_its_words(plan: Plan, seed_text: str) -> None:
    source = flat(seed_text)
    for item in plan.items:
        assert item.text in source, item.id
        if item.kind is ItemKind.MEASURE:
            continue  # its title is its heading (checked in the measures test)
        for piece in re.split("[，…]", item.title):
            assert piece in item.text, (item.id, piece)


def month_window(text: str) -> tuple[date, date]:
    (y1, m1), (y2, m2) = [(int(y), int(m)) for y, m in re.findall(r"(\d{4})年(\d{1,2})月", text)]
    return date(y1, m1, 1), date(y2, m2, calendar.monthrange(y2, m2)[1])


def test_phase_windows_match_the_text(plan: Plan, seed_text: str) -> None:
    found = re.findall(r"^（[一二三四]）(\S+阶段)（(\d{4}年\d+月—\d{4}年\d+月)）$", seed_text, re.M)
    assert [phase.name for phase in plan.phases.values()] == [name for name, _ in found]
    for phase, (_, window) in zip(plan.phases.values(), found, strict=True):
        assert (phase.start, phase.end) == month_window(window)
        assert phase.window_text == window
    assert [(p.start.isoformat(), p.end.isoformat()) for p in plan.phases.values()] == [
        ("2021-12-01", "2022-09-30"),
        ("2022-10-01", "2022-11-30"),
        ("2022-11-01", "2022-12-31"),
        ("2023-01-01", "2023-06-30"),
    ]


def test_steps_are_the_numbered_steps_of_each_phase(plan: Plan, seed_text: str) -> None:
    section = seed_text.split("五、实施步骤")[1].split("六、保障措施")[0]
    blocks = re.split(r"^（[一二三四]）.*$", section, flags=re.M)[1:]
    expected = []
    for phase_number, block in enumerate(blocks, start=1):
        lines = [line for line in block.splitlines() if line.strip()]
        numbered = [re.sub(r"^\d+\.\s*", "", line) for line in lines]
        expected += [(f"5.{phase_number}.{i}", text) for i, text in enumerate(numbered, 1)]
    steps = [(item.id, item.text) for item in plan.items if item.kind is ItemKind.STEP]
    assert steps == expected
    assert len(steps) == 9


def test_the_self_check_is_due_on_the_stated_day(plan: Plan) -> None:
    step = plan.get("5.3.1")
    assert step is not None
    assert step.due == date(2022, 11, 30)
    assert step.due_basis is DueBasis.STATED
    assert step.due_text == "11月30日前" and step.due_text in step.text
    assert step.phase == "sprint"
    stated = [item.id for item in plan.items if item.due_basis is DueBasis.STATED]
    assert stated == ["5.3.1"]  # the plan's only explicit day


def test_every_due_date_is_traceable(plan: Plan) -> None:
    for item in plan.items:
        if item.due_basis is DueBasis.PHASE:
            assert item.phase is not None and item.due == plan.phases[item.phase].end, item.id
        elif item.due_basis is DueBasis.STANDING:
            assert item.due is None and item.due_text, item.id
            words = ("常态化", "持续", "保障措施")
            assert any(w in item.due_text for w in words), item.id
            if item.kind is ItemKind.ACTION:
                assert item.due_text in item.text, item.id


def test_the_four_measures_are_standing(plan: Plan, seed_text: str) -> None:
    measures = [item for item in plan.items if item.kind is ItemKind.MEASURE]
    headings = re.findall(r"^（[一二三四]）(强化\S+?)。", seed_text.split("六、保障措施")[1], re.M)
    assert [m.title for m in measures] == headings
    assert [m.id for m in measures] == ["6.1", "6.2", "6.3", "6.4"]
    assert all(m.due_basis is DueBasis.STANDING and m.due is None for m in measures)
    six = flat(seed_text.split("六、保障措施")[1])
    for measure in measures:
        assert f"（{measure.source[-2]}）{measure.title}。{measure.text}" in six


def test_the_plan_counts(plan: Plan) -> None:
    kinds = [item.kind for item in plan.items]
    assert kinds.count(ItemKind.TASK) == 8
    assert kinds.count(ItemKind.ACTION) == sum(ACTION_COUNTS.values()) == 54
    assert kinds.count(ItemKind.STEP) == 9
    assert kinds.count(ItemKind.MEASURE) == 4


def test_statement_sentence_is_recorded_in_the_task_note(plan: Plan) -> None:
    task = plan.get("4.8")
    assert task is not None
    assert STATEMENTS[8][0] in task.note


def test_ids_follow_the_document_numbering(plan: Plan) -> None:
    numerals = "一二三四五六七八"
    for item in plan.items:
        parts = item.id.split(".")
        assert parts[0] == str("一二三四五六".index(item.source[0]) + 1), item.id
        if len(parts) > 1:
            assert f"（{numerals[int(parts[1]) - 1]}）" in item.source, item.id


def test_sentences_helper_keeps_every_character() -> None:
    text = "甲。乙，丙。丁"
    assert "".join(sentences(text)) == text + "。"
