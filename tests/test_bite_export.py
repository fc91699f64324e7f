"""Tests that bite (issue #22): the exports — CSV cells that never run as formulas, iCalendar
lines folded at 75 octets without splitting a character, the JSON contract field for field."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from xixin_cli import __version__
from xixin_cli.export import (
    _ics_escape,
    _ics_fold,
    board_record,
    csv_cell,
    csv_text,
    digest_record,
    due_record,
    event_record,
    ics_text,
    item_record,
    markdown_checklist,
    task_heading,
)
from xixin_cli.fold import ItemState, fold, fold_evidence, fold_extensions, states
from xixin_cli.model import Event, EventKind, ItemKind, Plan, Status
from xixin_cli.plan_file import parse_plan
from xixin_cli.schedule import Filter, digest, overdue, upcoming
from xixin_cli.workdays import Calendar

from test_plan_file import SMALL


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-5", "'-5"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        (None, ""),
        (3, "3"),
        ("", ""),
    ],
)
def test_a_csv_cell_never_starts_a_formula(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_ics_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    assert _ics_fold("a" * 75) == "a" * 75
    assert _ics_fold("a" * 76) == "a" * 75 + "\r\n " + "a"
    assert _ics_fold("a" * (75 + 74 + 1)) == "a" * 75 + "\r\n " + "a" * 74 + "\r\n " + "a"
    chinese = "汉" * 30  # three octets each: 25 fit on the first line, 24 on each next
    folded = _ics_fold(chinese).split("\r\n ")
    assert [len(part) for part in folded] == [25, 5]
    assert _ics_fold("a" + "汉" * 25) == "a" + "汉" * 24 + "\r\n " + "汉"


def test_ics_text_escapes() -> None:
    assert _ics_escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


# -- the exports of one small plan, checked by eye against it -------------------------------------

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2024, 1, 10, 9, tzinfo=CHINA)
EVENTS = [
    Event("a", T0, "4.1.1", Status.DONE, Status.TODO, "王芳", "已完成", office="dangqun")._replace(
        progress="已开会"
    ),
    Event("b", T0, "4.1.1", Status.DOING, Status.TODO, "李四", "推进中", office="cun"),
    Event("c", T0, "5.1.1", Status.DROPPED, Status.TODO, "王芳", "不适用"),
    Event("x", T0, "4.1.1", Status.TODO, Status.TODO, "王芳", "等材料")._replace(
        kind=EventKind.EXTEND, due=date(2024, 4, 30), office="cun"
    ),
    Event("f", T0, "4.1.2", Status.TODO, Status.TODO, "王芳", "照片")._replace(
        kind=EventKind.EVIDENCE, path="/p.jpg", size=10, sha256="a" * 64
    ),
]


@pytest.fixture
def plan() -> Plan:
    return parse_plan(SMALL, "small.yaml")


@pytest.fixture
def item_states(plan: Plan) -> dict[str, ItemState]:
    return states(plan, fold(EVENTS), fold_extensions(EVENTS), fold_evidence(EVENTS))


def test_the_json_of_a_leaf_with_parts_an_extension_and_feedback(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    at = "2024-01-10T09:00:00+08:00"
    assert item_record(plan, item_states["4.1.1"]) == {
        "id": "4.1.1",
        "kind": "action",
        "title": "第一个行动",
        "text": "第一个行动",
        "parent": "4.1",
        "offices": ["乡党群办", "各村"],
        "office_keys": ["dangqun", "cun"],
        "lead": [],
        "phase": "第一阶段",
        "phase_key": "one",
        "due": "2024-04-30",  # the village's part, extended, is the soonest still owed
        "original_due": "2024-03-31",
        "extension": {"due": "2024-04-30", "reason": "等材料", "by": "王芳", "at": at},
        "evidence": [],
        "due_basis": "phase",
        "due_text": "",
        "source": "四（一）",
        "status": "doing",
        "progress": None,
        "note": "推进中",
        "updated": at,
        "parts": [
            {
                "office": "乡党群办",
                "office_key": "dangqun",
                "status": "done",
                "note": "已完成",
                "due": "2024-03-31",
                "updated": at,
                "evidence": 0,
                "feedback": {"progress": "已开会", "problems": "", "next": ""},
            },
            {
                "office": "各村",
                "office_key": "cun",
                "status": "doing",
                "note": "推进中",
                "due": "2024-04-30",
                "updated": at,
                "evidence": 0,
                "feedback": None,
            },
        ],
    }


def test_the_json_of_a_task_and_of_a_standing_item_with_evidence(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    task = item_record(plan, item_states["4.1"])
    assert (task["kind"], task["parent"], task["status"], task["progress"]) == (
        "task",
        None,
        "doing",
        {"closed": 0, "total": 2},
    )
    assert (task["due"], task["extension"], task["parts"], task["updated"]) == (
        "2024-03-31",
        None,
        [],
        None,
    )
    standing = item_record(plan, item_states["4.1.2"])
    assert (standing["due"], standing["original_due"], standing["due_basis"]) == (
        None,
        None,
        "standing",
    )
    assert standing["evidence"] == [
        {
            "path": "/p.jpg",
            "size": 10,
            "sha256": "a" * 64,
            "at": "2024-01-10T09:00:00+08:00",
            "note": "照片",
        }
    ]
    assert [part["evidence"] for part in standing["parts"]] == [1, 1]
    assert [part["due"] for part in standing["parts"]] == [None, None]


def test_the_json_of_overdue_and_due_soon_rows(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    every_day = Calendar(date(2024, 1, 1), bytes([1]) * 366)
    late = due_record(plan, overdue(plan, item_states, date(2024, 5, 3), every_day)[0])
    assert {k: late[k] for k in late if "day" in k} == {
        "days_overdue": 3,
        "days_left": 0,
        "working_days_overdue": 3,
        "working_days_estimated": False,
    }
    soon = due_record(
        plan, upcoming(plan, item_states, date(2024, 4, 28), date(2024, 5, 5), every_day)[0]
    )
    assert {k: soon[k] for k in soon if "day" in k} == {
        "days_overdue": 0,
        "days_left": 2,
        "working_days_left": 2,
        "working_days_estimated": False,
    }
    result = digest(plan, item_states, date(2024, 4, 28), every_day)
    record = digest_record(plan, result)
    assert record["as_of"] == "2024-04-28"
    assert [r["id"] for r in record["overdue"]] == []
    assert [r["id"] for r in record["due_soon"]] == ["4.1.1"]
    assert record["offices"] == [
        {
            "office": "各村",
            "office_key": "cun",
            "red": 0,
            "yellow": 1,
            "green": 1,
            "closed": 0,
            "blocked": 0,
            "group": None,
        },
        {
            "office": "乡党群办",
            "office_key": "dangqun",
            "red": 0,
            "yellow": 0,
            "green": 1,
            "closed": 2,
            "blocked": 0,
            "group": None,
        },
    ]


CHECKLIST_ZH = """\
# 测试实施方案 任务清单

测府发〔2024〕1号｜截至 2024-02-01｜共 3 项，已办结 1 项

## 主要任务

### 四（一） 第一项任务（0/2）

- [ ] **4.1.1** 第一个行动 — 责任单位：乡党群办、各村｜截止：2024-04-30（延）｜状态：进行中｜最新备注：推进中
- [ ] **4.1.2** 第二个行动 — 责任单位：乡党群办、各村｜截止：常态化｜状态：未开始

## 实施步骤

### 5.1 第一阶段

- [x] **5.1.1** ~~自查~~ — 责任单位：乡党群办｜截止：2024-02-29｜状态：不适用｜最新备注：不适用
"""

CHECKLIST_EN_BY_PHASE = """\
# 测试实施方案 checklist

测府发〔2024〕1号 \\| as of 2024-02-01 \\| 3 items, 1 finished

## By phase

### 5.1 第一阶段

- [ ] **4.1.1** 第一个行动 — offices: 乡党群办, 各村 | due: 2024-04-30 (ext.) | status: in progress | latest note: 推进中
- [ ] **4.1.2** 第二个行动 — offices: 乡党群办, 各村 | due: standing | status: to do
- [x] **5.1.1** ~~自查~~ — offices: 乡党群办 | due: 2024-02-29 | status: dropped | latest note: 不适用
"""


def test_the_markdown_checklist_by_task_and_by_phase(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    today = date(2024, 2, 1)
    assert markdown_checklist(plan, item_states, "zh", today) == CHECKLIST_ZH
    by_phase = markdown_checklist(plan, item_states, "en", today, group_by="phase")
    assert by_phase == CHECKLIST_EN_BY_PHASE


def test_the_markdown_checklist_of_one_office(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    where = Filter(office="cun", units=frozenset({"cun"}))
    text = markdown_checklist(plan, item_states, "zh", date(2024, 2, 1), where)
    assert text.splitlines()[:5] == [
        "# 测试实施方案｜各村 任务清单",
        "",
        "测府发〔2024〕1号｜截至 2024-02-01｜共 2 项，已办结 0 项",
        "",
        "责任单位：各村",
    ]
    assert "5.1.1" not in text
    empty = Filter(office="cun", statuses=frozenset({Status.CLOSED}), units=frozenset({"cun"}))
    nothing = markdown_checklist(plan, item_states, "zh", date(2024, 2, 1), empty)
    assert "- [" not in nothing and "## " not in nothing
    assert nothing.startswith("# 测试实施方案｜各村 任务清单\n")


def test_the_csv_export(plan: Plan, item_states: dict[str, ItemState]) -> None:
    text = csv_text(plan, item_states, "zh", date(2024, 5, 1))
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [
        ["编号", "上级", "事项", "责任单位", "阶段", "截止日", "原定截止日", "日期依据", "状态",
         "状态代码", "最新备注", "佐证材料数", "逾期天数", "出处"],
        ["4.1.1", "4.1", "第一个行动", "乡党群办、各村", "第一阶段", "2024-04-30", "2024-03-31",
         "阶段截止", "进行中", "doing", "推进中", "0", "1", "四（一）"],
        ["4.1.2", "4.1", "第二个行动", "乡党群办、各村", "第一阶段", "常态化", "",
         "常态化，无单一截止日", "未开始", "todo", "", "1", "0", "四（一）"],
        ["5.1.1", "", "自查", "乡党群办", "第一阶段", "2024-02-29", "2024-02-29", "原文规定",
         "不适用", "dropped", "不适用", "0", "0", "五（一）1"],
    ]  # fmt: skip


def test_the_ics_export(plan: Plan, item_states: dict[str, ItemState]) -> None:
    text = ics_text(plan, item_states, "zh", datetime(2024, 1, 2, 3, 4, 5, tzinfo=CHINA))
    assert text.endswith("END:VCALENDAR\r\n")
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//xixin//xixin {__version__}//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:测府发〔2024〕1号 测试实施方案",
    ]
    first = lines[lines.index("BEGIN:VEVENT") :][:15]
    assert re.fullmatch(r"UID:4\.1\.1@[0-9a-f]{8}\.xixin", first[1])
    assert first[2:] == [
        "DTSTAMP:20240101T190405Z",
        "DTSTART;VALUE=DATE:20240430",
        "DTEND;VALUE=DATE:20240501",
        "SUMMARY:4.1.1 第一个行动",
        "DESCRIPTION:责任单位：乡党群办、各村\\n出处：测府发〔2024〕1号 四（一）\\n状态：进行中",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:4.1.1 第一个行动",
        "TRIGGER:-P3D",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
    ]
    uids = [line for line in lines if line.startswith("UID:")]
    assert [u.split("@")[0] for u in uids] == ["UID:4.1.1", "UID:5.1.1"]  # the standing one: none
    assert len({u.split("@")[1] for u in uids}) == 1
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    week = ics_text(plan, item_states, "zh", T0, remind_days=7)
    assert "TRIGGER:-P7D" in week and "TRIGGER:-P3D" not in week


def test_an_item_of_no_phase_is_listed_apart_by_phase(plan: Plan) -> None:
    measure = plan.items[3]._replace(id="6.1", phase=None, title="保障措施")
    plan = Plan(plan.path, plan.document, plan.offices, plan.phases, (*plan.items, measure))
    text = markdown_checklist(plan, states(plan, {}), "zh", date(2024, 2, 1), group_by="phase")
    sections = [line for line in text.splitlines() if line.startswith("#")]
    assert sections == [
        "# 测试实施方案 任务清单",
        "## 按阶段",
        "### 5.1 第一阶段",  # a phase the plan gives no window in words: no empty （）
        "### 不分阶段",
    ]
    assert text.rstrip().endswith(
        "**6.1** 保障措施 — 责任单位：乡党群办｜截止：2024-02-29｜状态：未开始"
    )


def test_the_digest_json_lists_the_overdue_rows(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    every_day = Calendar(date(2024, 1, 1), bytes([1]) * 366)
    record = digest_record(plan, digest(plan, item_states, date(2024, 5, 2), every_day))
    (row,) = record["overdue"]
    assert (row["id"], row["days_overdue"], row["working_days_overdue"]) == ("4.1.1", 2, 2)
    assert record["due_soon"] == []
    assert [(o["office_key"], o["red"]) for o in record["offices"]] == [("cun", 1), ("dangqun", 0)]


def test_the_csv_export_in_english_of_one_unit(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    measure = plan.items[3]._replace(id="6.1", phase=None, due=None, title="保障措施")
    plan = Plan(plan.path, plan.document, plan.offices, plan.phases, (*plan.items, measure))
    where = Filter(office="cun", units=frozenset({"cun"}))
    rows = list(
        csv.reader(io.StringIO(csv_text(plan, item_states, "en", date(2024, 5, 1), where)[1:]))
    )
    assert rows[0][:6] == ["id", "parent", "item", "offices", "phase", "due"]
    assert [row[0] for row in rows[1:]] == ["4.1.1", "4.1.2"]  # 各村's items only
    assert rows[2][3:9] == [
        "乡党群办, 各村",
        "第一阶段",
        "standing",
        "",
        "standing, no single deadline",
        "to do",
    ]
    every = list(
        csv.reader(io.StringIO(csv_text(plan, states(plan, {}), "zh", date(2024, 5, 1))[1:]))
    )
    assert every[-1][:6] == ["6.1", "", "保障措施", "乡党群办", "", "常态化"]


def test_the_ics_export_in_english_of_one_unit_stamped_in_utc(
    plan: Plan, item_states: dict[str, ItemState], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")  # the machine's zone is not the stamp's
    time.tzset()
    try:
        where = Filter(office="cun", units=frozenset({"cun"}))
        text = ics_text(plan, item_states, "en", datetime(2024, 1, 2, 3, 4, 5, tzinfo=CHINA), where)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    lines = text.replace("\r\n ", "").split("\r\n")
    assert [line for line in lines if line.startswith("SUMMARY:")] == ["SUMMARY:4.1.1 第一个行动"]
    assert "DTSTAMP:20240101T190405Z" in lines
    (description,) = [line for line in lines if line.startswith("DESCRIPTION:offices")]
    assert description == (
        "DESCRIPTION:offices: 乡党群办\\, 各村\\nsource: 测府发〔2024〕1号 四（一）\\nstatus: in progress"
    )


def test_the_board_json(plan: Plan, item_states: dict[str, ItemState]) -> None:
    from xixin_cli.board import board

    every_day = Calendar(date(2024, 1, 1), bytes([1]) * 366)
    week = digest(plan, item_states, date(2024, 4, 28), every_day)
    record = board_record(board(plan, item_states, week))
    assert record["as_of"] == "2024-04-28"
    assert record["offices"][0] == {
        "key": "cun",
        "name": "各村",
        "total": 2,
        "closed": 0,
        "open": 2,
        "red": 0,
        "yellow": 1,
        "green": 1,
        "blocked": 0,
        "worst": "4.1.1",
        "group": None,
    }
    assert record["phases"] == [
        {
            "key": "one",
            "name": "5.1 第一阶段",
            "total": 3,
            "closed": 1,
            "open": 2,
            "red": 0,
            "yellow": 1,
            "green": 1,
            "blocked": 0,
            "worst": "4.1.1",
            "group": None,
        }
    ]
    assert event_record(EVENTS[0]) == {
        "v": 5,
        "event": "a",
        "at": "2024-01-10T09:00:00+08:00",
        "item": "4.1.1",
        "status": "done",
        "previous": "todo",
        "office": "dangqun",
        "by": "王芳",
        "note": "已完成",
        "progress": "已开会",
        "problems": "",
        "next": "",
    }


def test_measures_and_steps_of_no_phase_in_the_checklist(plan: Plan) -> None:
    measure = plan.items[3]._replace(id="6.1", kind=ItemKind.MEASURE, phase=None, title="保障")
    step = plan.items[3]._replace(id="5.9", phase=None, title="无阶段的步骤")
    lead = plan.items[3]._replace(id="5.8", lead=("dangqun",), title="有牵头")
    plan = Plan(
        plan.path, plan.document, plan.offices, plan.phases, (*plan.items, lead, step, measure)
    )
    item_states = states(plan, {})
    text = markdown_checklist(plan, item_states, "zh", date(2024, 2, 1))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# 测试实施方案 任务清单",
        "## 主要任务",
        "### 四（一） 第一项任务（0/2）",
        "## 实施步骤",
        "### 5.1 第一阶段",
        "## 保障措施",
    ]
    lines = text.splitlines()
    assert lines.index(
        "- [ ] **5.9** 无阶段的步骤 — 责任单位：乡党群办｜截止：2024-02-29｜状态：未开始"
    ) < lines.index("## 保障措施")
    assert item_record(plan, item_states["5.8"])["lead"] == ["乡党群办"]
    assert task_heading(item_states["5.1.1"], "zh") == "五（一）1 自查"


def test_a_task_without_actions_is_listed_among_the_tasks(plan: Plan) -> None:
    task = plan.items[0]._replace(id="4.2", title="无行动的任务")
    plan = Plan(plan.path, plan.document, plan.offices, plan.phases, (*plan.items, task))
    text = markdown_checklist(plan, states(plan, {}), "zh", date(2024, 2, 1))
    lines = text.splitlines()
    assert (
        lines.index("## 主要任务")
        < lines.index(
            "- [ ] **4.2** 无行动的任务 — 责任单位：乡党群办、各村｜截止：2024-03-31｜状态：未开始"
        )
        < lines.index("## 实施步骤")
    )


def test_the_checklist_in_english_by_task_for_one_office(
    plan: Plan, item_states: dict[str, ItemState]
) -> None:
    measure = plan.items[3]._replace(id="6.1", kind=ItemKind.MEASURE, title="保障")  # has a phase
    plan = Plan(plan.path, plan.document, plan.offices, plan.phases, (*plan.items, measure))
    item_states = {**item_states, "6.1": states(plan, {})["6.1"]}
    where = Filter(office="dangqun", units=frozenset({"dangqun"}))
    text = markdown_checklist(plan, item_states, "en", date(2024, 2, 1), where)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# 测试实施方案 \\| 乡党群办 checklist",
        "## Main tasks",
        "### 四（一） 第一项任务 (0/2)",
        "## Implementation steps",
        "### 5.1 第一阶段",
        "## Safeguard measures",
    ]
    assert "offices: 乡党群办" in text and "due: 2024-02-29 | status: dropped" in text


def test_blocked_items_are_counted_apart_in_the_json(plan: Plan) -> None:
    every_day = Calendar(date(2024, 1, 1), bytes([1]) * 366)
    stuck = [Event("k", T0, "5.1.1", Status.BLOCKED, Status.TODO, "王芳", "缺经费")]
    item_states = states(plan, fold(stuck))
    record = digest_record(plan, digest(plan, item_states, date(2024, 2, 1), every_day))
    assert record["blocked"] == ["5.1.1"]
    assert {o["office_key"]: o["blocked"] for o in record["offices"]} == {"dangqun": 1, "cun": 0}


def test_feedback_with_only_problems_is_feedback(plan: Plan) -> None:
    only = Event("p", T0, "5.1.1", Status.DOING, Status.TODO, "王芳")._replace(problems="缺经费")
    record = item_record(plan, states(plan, fold([only]))["5.1.1"])
    assert record["parts"][0]["feedback"] == {"progress": "", "problems": "缺经费", "next": ""}


def test_by_phase_in_english_and_of_nothing(plan: Plan) -> None:
    measure = plan.items[3]._replace(id="6.1", phase=None, title="保障措施")
    plan = Plan(plan.path, plan.document, plan.offices, plan.phases, (*plan.items, measure))
    text = markdown_checklist(plan, states(plan, {}), "en", date(2024, 2, 1), group_by="phase")
    assert "### No phase" in text.splitlines()
    nothing = Filter(statuses=frozenset({Status.CLOSED}))
    empty = markdown_checklist(
        plan, states(plan, {}), "en", date(2024, 2, 1), nothing, group_by="phase"
    )
    assert "## " not in empty
