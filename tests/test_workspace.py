"""The whole office's year (issue #18): many plans in one folder, recurring obligations, and
warning lights the office sets."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xixin_cli.errors import ExitCode
from xixin_cli.model import Threshold, Warnings
from xixin_cli.paths import bundled_plan
from xixin_cli.recurrence import BadRule, Every, normal_day, occurrences, parse_short
from xixin_cli.schedule import light, warning_end
from xixin_cli.workdays import build_calendar

from conftest import DATA, Runner

#: A plan document for a second plan, as a township writes one (read by `xixin import`).
ANQUAN = """洗新乡人民政府关于印发《洗新乡安全生产专项整治实施方案》的通知
洗府发〔2023〕12号

各村、乡直各单位：
现将《洗新乡安全生产专项整治实施方案》印发给你们，请认真贯彻执行。

洗新乡人民政府
2023年1月10日

洗新乡安全生产专项整治实施方案

一、工作任务
（一）开展隐患排查。2023年3月31日前完成全乡隐患排查。（乡安监办负责）
（二）建立隐患台账。2023年4月30日前建立隐患台账。（乡安监办、各村负责）
"""

HEAD = """format: 1
document: {number: "洗府发〔2023〕9号", issuer: 洗新乡人民政府, date: 2023-01-01, title: 定期报送}
offices: {dangqun: {name: 乡党群办}, minzheng: {name: 乡民政办}}
phases:
  year: {number: "1", name: 全年, start: 2023-01-01, end: 2023-12-31}
"""

#: A monthly report and a quarterly one for two units (one part each).
RECURRING = (
    HEAD
    + """items:
  - {id: "1", kind: task, title: 定期报送, source: 一, offices: [dangqun], due_basis: phase,
     phase: year}
  - {id: "1.1", kind: action, title: 报送推进情况, parent: "1", every: {unit: month, day: 25}}
  - id: "1.2"
    kind: action
    title: 报送季度小结
    parent: "1"
    offices: [dangqun, minzheng]
    every: 每季度最后一个工作日
"""
)


def data(result: Any) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def home(xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Runner]:
    """A workspace made by `xixin init`, the current folder, with no --state of its own."""
    folder = tmp_path / "洗新乡督办"
    assert xixin("init", str(folder)).code == 0
    monkeypatch.delenv("XIXIN_STATE")
    monkeypatch.chdir(folder)
    return folder, xixin


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- the Done-when of issue #18 ---------------------------------------------------------------


def test_two_plans_overdue_from_inside_the_workspace(
    home: tuple[Path, Runner], tmp_path: Path
) -> None:
    folder, xixin = home
    added = xixin("plan", "add", "--import", str(write(tmp_path / "安全.txt", ANQUAN)))
    assert added.code == 0, added.err
    assert (folder / "plans" / "安全.yaml").is_file()
    assert (folder / "plans" / "安全.status.jsonl").read_bytes() == b""
    assert "已加入计划 安全" in added.err
    late = data(xixin("overdue", "--as-of", "2023-05-10", "--json"))
    plans = {row["plan"] for row in late}
    assert plans == {"plan", "安全"}
    found = {row["ref"]: row for row in late}
    assert found["安全:1.1.1"]["due"] == "2023-03-31"
    assert found["plan:5.1.1"]["light"] == "red"
    assert all(row["light"] == "red" for row in late)
    shown = data(xixin("show", "安全:1.1.1", "--json"))  # the ref overdue gave finds it again
    assert (shown["plan"], shown["ref"], shown["id"]) == ("安全", "安全:1.1.1", "1.1.1")
    # the table says which plan each row is from
    table = xixin("overdue", "--as-of", "2023-05-10", "--all")
    assert table.code == 0 and "计划" in table.out and "安全" in table.out
    # a unit that only one plan names narrows the view to that plan; one that none names is
    # refused as before
    mine = data(xixin("overdue", "--as-of", "2023-05-10", "--office", "民政办", "--json"))
    assert mine and {row["plan"] for row in mine} == {"plan"}
    nobody = xixin("overdue", "--as-of", "2023-05-10", "--office", "教育局")
    assert nobody.code == ExitCode.USAGE and nobody.out == ""
    # `plan list` shows both with their progress
    listed = data(xixin("plan", "list", "--as-of", "2023-05-10", "--json"))
    assert [p["plan"] for p in listed] == ["plan", "安全"]
    assert listed[1]["total"] == 2 and listed[1]["overdue"] == 2
    assert listed[0]["number"] == "洗府发〔2022〕145号"


def test_a_monthly_item_has_one_occurrence_a_month_each_with_its_own_status(
    home: tuple[Path, Runner],
) -> None:
    folder, xixin = home
    assert xixin("plan", "add", str(write(folder / "报送.yaml", RECURRING))).code == 0
    ahead = data(xixin("upcoming", "--as-of", "2023-03-01", "--within", "90d", "--json"))
    monthly = [row["id"] for row in ahead if row["id"].startswith("1.1@")]
    assert monthly == ["1.1@2023-03", "1.1@2023-04", "1.1@2023-05"]
    assert {row["due"] for row in ahead if row["id"] in monthly} == {
        "2023-03-25",
        "2023-04-25",
        "2023-05-25",
    }
    assert all(row["plan"] == "报送" and row["status"] == "todo" for row in ahead)
    assert xixin("done", "1.1@2023-04", "--on", "2023-03-01").code == 0
    log = (folder / "plans" / "报送.status.jsonl").read_text("utf-8")
    assert '"item":"1.1@2023-04"' in log and log.count("\n") == 1  # only the change recorded
    after = data(xixin("upcoming", "--as-of", "2023-03-01", "--within", "90d", "--json"))
    left = [row["id"] for row in after if row["id"].startswith("1.1@")]
    assert left == ["1.1@2023-03", "1.1@2023-05"]
    shown = data(xixin("--plan", "报送", "list", "--json"))
    by_id = {row["id"]: row for row in shown}
    assert by_id["1.1@2023-04"]["status"] == "done"
    assert by_id["1.1@2023-03"]["status"] == "todo"
    assert by_id["1.1"]["progress"] == {"closed": 1, "total": 12}
    assert by_id["1.1"]["due_basis"] == "recurring"
    # the quarterly one: each unit its own part, the last working day (2023-09-29 is 中秋)
    assert by_id["1.2@2023-Q3"]["due"] == "2023-09-28"
    assert len(by_id["1.2@2023-Q3"]["parts"]) == 2


def test_warning_rules_set_each_items_light(xixin: Runner, tmp_path: Path) -> None:
    items = "items:\n" + "".join(
        f'  - {{id: "{n}", kind: action, title: 事项, source: 一, offices: [dangqun], '
        f"due_basis: stated, due: {due}, due_text: 前}}\n"
        for n, due in (("1.1", "2023-03-08"), ("1.2", "2023-03-13"), ("1.3", "2023-03-16"))
    )
    ruled = write(tmp_path / "ruled.yaml", HEAD + "warnings: {yellow: 3 working days}\n" + items)
    plain = write(tmp_path / "plain.yaml", HEAD + items)
    blue = write(
        tmp_path / "blue.yaml", HEAD + "warnings: {yellow: 3 working days, blue: 7 days}\n" + items
    )

    def lights(plan: Path) -> dict[str, str]:
        shown = xixin(
            "--plan", str(plan), "upcoming", "--as-of", "2023-03-06", "-w", "30d", "--json"
        )
        return {row["id"]: row["light"] for row in data(shown)}

    # Monday 2023-03-06: the 8th is 2 working days ahead, the 13th 5, the 16th 8
    assert lights(ruled) == {"1.1": "yellow", "1.2": "green", "1.3": "green"}
    assert lights(plain) == {"1.1": "yellow", "1.2": "yellow", "1.3": "green"}
    assert lights(blue) == {"1.1": "yellow", "1.2": "blue", "1.3": "green"}
    # the reminder's "due soon" is the plan's yellow window, and says so
    said = xixin("--plan", str(ruled), "remind", "--as-of", "2023-03-06", "--plain")
    assert said.code == 0 and "3 个工作日内到期 1 项" in said.out
    assert (
        "7 天内到期 2 项"
        in xixin("--plan", str(plain), "remind", "--as-of", "2023-03-06", "--plain").out
    )
    week = data(xixin("--plan", str(ruled), "board", "--as-of", "2023-03-06", "--json"))
    assert week["offices"][0]["yellow"] == 1
    late = data(xixin("--plan", str(ruled), "overdue", "--as-of", "2023-03-20", "--json"))
    assert {row["light"] for row in late} == {"red"}
    # the ledger's 预警 column goes by the same rule
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "台账.xlsx"
    wrote = xixin("--plan", str(ruled), "export", "xlsx", "--as-of", "2023-03-06", "-o", str(book))
    assert wrote.code == 0, wrote.err
    sheet = openpyxl.load_workbook(book).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("预警")
    assert {row[0]: row[column] for row in rows[1:]} == {"1.1": "黄", "1.2": "绿", "1.3": "绿"}


@pytest.mark.parametrize(
    ("snippet", "key", "words"),
    [
        ("warnings: {yellow: soon}\n", "[warnings.yellow]", "3 working days"),
        ("warnings: {red: 3 days}\n", "[warnings.red]", "yellow"),
        ("warnings: {yellow: 7 days, blue: 3 days}\n", "[warnings.blue]", "蓝灯"),
        ("warnings: {}\n", "[warnings]", "yellow"),
        ("warnings: {yellow: 3 weeks}\n", "[warnings.yellow]", "3个工作日"),
    ],
)
def test_a_bad_warning_rule_is_one_line_naming_file_and_place(
    xixin: Runner, tmp_path: Path, snippet: str, key: str, words: str
) -> None:
    plan = write(tmp_path / "p.yaml", HEAD + snippet + RECURRING.removeprefix(HEAD))
    checked = xixin("validate", str(plan))
    assert checked.code == ExitCode.PLAN and checked.out == ""
    lines = checked.err.strip().splitlines()
    assert len(lines) == 1, checked.err
    assert f"{plan}:6: {key}" in lines[0] and words in lines[0]


@pytest.mark.parametrize(
    ("every", "key"),
    [
        ("{unit: month, day: 32}", "[items[1.1].every.day]"),
        ("{unit: fortnight, day: 1}", "[items[1.1].every.unit]"),
        ("{unit: week, day: 周八}", "[items[1.1].every.day]"),
        ("{unit: year, day: 13-01}", "[items[1.1].every.day]"),
        ("每月32日", "[items[1.1].every]"),
        ("隔三差五", "[items[1.1].every]"),
        ("~", "[items[1.1].every]"),
        ('{unit: year, day: "03-31", from: 2023-05-01, until: 2023-12-31}', "[items[1.1].every]"),
        ("[每月25日]", "[items[1.1].every]"),
        ("{unit: month, day: 1, from: 2023-05-01, until: 2023-01-01}", "[items[1.1].every.until]"),
        ("{unit: week, day: mon, from: 1990-01-01, until: 2100-01-01}", "[items[1.1].every]"),
    ],
)
def test_a_bad_recurrence_is_one_line_naming_the_item(
    xixin: Runner, tmp_path: Path, every: str, key: str
) -> None:
    text = HEAD + (
        "items:\n"
        '  - {id: "1", kind: task, title: 报送, source: 一, offices: [dangqun], '
        "due_basis: phase, phase: year}\n"
        f'  - {{id: "1.1", kind: action, title: 报送, parent: "1", every: {every}}}\n'
    )
    checked = xixin("validate", str(write(tmp_path / "p.yaml", text)))
    assert checked.code == ExitCode.PLAN, checked.err
    lines = checked.err.strip().splitlines()
    assert len(lines) == 1 and key in lines[0], checked.err


def test_a_recurring_task_passes_its_rule_to_its_actions(xixin: Runner, tmp_path: Path) -> None:
    # as an import writes it: the task and its action both say 每月25日
    text = HEAD + (
        "items:\n"
        '  - {id: "1", kind: task, title: 报送, source: 一, offices: [dangqun], every: 每月25日}\n'
        '  - {id: "1.1", kind: action, title: 报送进展, parent: "1", every: 每月25日前}\n'
        '  - {id: "1.2", kind: action, title: 报送台账, parent: "1"}\n'
    )
    plan = write(tmp_path / "p.yaml", text)
    shown = data(xixin("--plan", str(plan), "list", "--json"))
    ids = [row["id"] for row in shown]
    assert "1@2023-01" not in ids  # a task is not made again: its actions are
    assert ids[:3] == ["1", "1.1", "1.1@2023-01"]
    assert "1.2@2023-12" in ids and len(ids) == 1 + (1 + 12) * 2
    task = next(row for row in shown if row["id"] == "1")
    assert task["progress"] == {"closed": 0, "total": 24}


# -- recurrence, unit by unit ------------------------------------------------------------------


def days(every: Every, start: str, until: str) -> list[tuple[str, str]]:
    calendar = build_calendar()
    found = occurrences(
        every,
        date.fromisoformat(start),
        date.fromisoformat(until),
        lambda day: calendar.is_working_day(day)[0],
    )
    return [(suffix, due.isoformat()) for suffix, due in found]


def test_a_day_past_a_short_months_end_is_its_last_day() -> None:
    assert days(Every("month", "31"), "2023-01-01", "2023-04-30") == [
        ("2023-01", "2023-01-31"),
        ("2023-02", "2023-02-28"),
        ("2023-03", "2023-03-31"),
        ("2023-04", "2023-04-30"),
    ]
    assert days(Every("month", "30"), "2024-02-01", "2024-02-29") == [("2024-02", "2024-02-29")]


def test_the_last_working_day_steps_back_over_weekends_and_holidays() -> None:
    # 2023-04-30 is a Sunday (and 4-29 to 5-3 劳动节); 2023-09-29 中秋, 2023-12-31 a Sunday
    found = dict(days(Every("month", "last workday"), "2023-04-01", "2023-12-31"))
    assert found["2023-04"] == "2023-04-28"
    assert found["2023-09"] == "2023-09-28"
    assert found["2023-12"] == "2023-12-29"
    assert dict(days(Every("month", "last"), "2023-04-01", "2023-04-30")) == {
        "2023-04": "2023-04-30"
    }


def test_quarters_years_and_weeks_are_named_by_their_period() -> None:
    assert days(Every("quarter", "last"), "2023-01-01", "2023-12-31") == [
        ("2023-Q1", "2023-03-31"),
        ("2023-Q2", "2023-06-30"),
        ("2023-Q3", "2023-09-30"),
        ("2023-Q4", "2023-12-31"),
    ]
    assert days(Every("year", "02-29"), "2023-01-01", "2024-12-31") == [
        ("2023", "2023-02-28"),
        ("2024", "2024-02-29"),
    ]
    assert days(Every("week", "4"), "2023-01-30", "2023-02-12") == [
        ("2023-W05", "2023-02-03"),
        ("2023-W06", "2023-02-10"),
    ]
    # from and until are both included
    assert days(Every("month", "25"), "2023-01-25", "2023-03-25") == [
        ("2023-01", "2023-01-25"),
        ("2023-02", "2023-02-25"),
        ("2023-03", "2023-03-25"),
    ]


def test_the_short_form_reads_the_documents_words() -> None:
    assert parse_short("每月25日前") == ("month", "25")
    assert parse_short("每月最后一个工作日") == ("month", "last workday")
    assert parse_short("每季度末") == ("quarter", "end")
    assert parse_short("每年3月底前") == ("year", "3月底")
    assert parse_short("每周五") == ("week", "周五")
    assert parse_short("11月30日前") is None
    assert normal_day("year", "3月底") == "03-last"
    assert normal_day("week", "周五") == "4"
    assert normal_day("quarter", "end") == "last"
    with pytest.raises(BadRule):
        normal_day("month", "0")
    with pytest.raises(BadRule):
        normal_day("year", "02-30")


def test_lights_by_days_and_by_working_days() -> None:
    rule = Warnings(Threshold(3, working=True), Threshold(7))
    assert light(-1, 1, rule) == "red"
    assert light(0, 0, rule) == "yellow"  # due today
    assert light(4, 3, rule) == "yellow"
    assert light(5, 4, rule) == "blue"
    assert light(8, 6, rule) == "green"
    assert light(7, 5) == "yellow" and light(8, 6) == "green"  # today's rule: 7 days
    calendar = build_calendar()
    # from Friday 2023-09-22: working days 9-25..9-28, then 中秋 and 国庆 to 10-06 (10-07 worked)
    assert warning_end(Threshold(3, working=True), date(2023, 9, 22), calendar) == date(2023, 9, 27)
    assert warning_end(Threshold(4, working=True), date(2023, 9, 22), calendar) == date(2023, 10, 6)
    assert warning_end(Threshold(7), date(2023, 9, 22), calendar) == date(2023, 9, 29)


# -- plans in one folder ------------------------------------------------------------------------


def test_ids_are_qualified_where_two_plans_share_them(
    home: tuple[Path, Runner], tmp_path: Path
) -> None:
    folder, xixin = home
    copy = xixin("plan", "add", str(bundled_plan()), "--name", "minzu")
    assert copy.code == 0, copy.err
    shared = xixin("done", "5.1.1")
    assert shared.code == ExitCode.USAGE
    assert "plan:5.1.1" in shared.err and "minzu:5.1.1" in shared.err
    assert xixin("done", "minzu:5.1.1", "--on", "2022-09-28").code == 0
    assert "5.1.1" in (folder / "plans" / "minzu.status.jsonl").read_text("utf-8")
    assert (folder / "plan.status.jsonl").read_bytes() == b""
    # --plan NAME narrows a view to that plan; a qualifier must agree with it
    minzu = data(xixin("--plan", "minzu", "overdue", "--as-of", "2022-12-05", "--json"))
    assert {row["plan"] for row in minzu} == {"minzu"}
    assert "5.1.1" not in {row["id"] for row in minzu}
    both = data(xixin("overdue", "--as-of", "2022-12-05", "--json"))
    assert {row["ref"] for row in both} >= {"plan:5.1.1", "minzu:5.1.2"}
    assert "minzu:5.1.1" not in {row["ref"] for row in both}
    other = xixin("--plan", "plan", "show", "minzu:5.1.1")
    assert other.code == ExitCode.USAGE and "minzu:5.1.1" in other.err and "plan" in other.err
    assert data(xixin("show", "minzu:5.1.1", "--json"))["status"] == "done"
    photo = write(tmp_path / "照片.txt", "会议照片")
    assert xixin("attach", "minzu:5.1.1", str(photo)).code == 0
    assert data(xixin("show", "minzu:5.1.1", "--json"))["parts"][0]["evidence"] == 1
    assert (folder / "plans" / "minzu.status.jsonl.evidence").is_dir()
    assert data(xixin("history", "minzu:5.1.1", "--json"))[0]["item"] == "5.1.1"
    # a command of one plan without an id says which plans there are
    listed = xixin("list")
    assert listed.code == ExitCode.USAGE and "minzu" in listed.err and listed.out == ""
    # a path still works as --plan, in a workspace too
    path = xixin("--plan", str(folder / "plans" / "minzu.yaml"), "show", "5.1.1", "--json")
    assert data(path)["status"] == "done"
    # the table qualifies the ids both plans have
    table = xixin("overdue", "--as-of", "2022-12-05", "--limit", "5")
    assert "minzu:5.1.2" in table.out and "plan:5.1.2" in table.out
    # one --state cannot be every plan's log
    stated = xixin("--state", str(tmp_path / "x.jsonl"), "overdue")
    assert stated.code == ExitCode.USAGE and "--plan" in stated.err


def test_remind_and_board_cover_every_plan(home: tuple[Path, Runner]) -> None:
    folder, xixin = home
    assert xixin("plan", "add", str(write(folder / "报送.yaml", RECURRING))).code == 0
    said = xixin("remind", "--as-of", "2023-03-24", "--json")
    plans = data(said)["plans"]
    assert [p["plan"] for p in plans] == ["plan", "报送"]
    assert [row["id"] for row in plans[1]["due_soon"]] == ["1.1@2023-03", "1.2@2023-Q1"]
    failing = xixin("remind", "--as-of", "2023-03-24", "--fail-on-overdue", "--plain")
    assert failing.code == ExitCode.OVERDUE
    assert "【plan】" in failing.out and "【报送】" in failing.out
    checked = xixin("validate")
    assert checked.code == 0 and len(checked.out.splitlines()) == 2
    assert "报送.yaml：无误" in checked.out and "plan.yaml：无误" in checked.out
    board = data(xixin("board", "--as-of", "2023-03-24", "--json"))["plans"]
    assert [p["plan"] for p in board] == ["plan", "报送"]
    assert board[1]["offices"][0]["red"] == 2  # 1.1@2023-01 and -02


def test_plan_add_refuses_what_it_cannot_add(
    home: tuple[Path, Runner], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, xixin = home
    bad = write(tmp_path / "bad.yaml", HEAD + "items: []\n")
    refused = xixin("plan", "add", str(bad))
    assert refused.code == ExitCode.PLAN and not (folder / "plans" / "bad.yaml").exists()
    good = write(tmp_path / "报送.yaml", RECURRING)
    assert xixin("plan", "add", str(good)).code == 0
    again = xixin("plan", "add", str(good))
    assert again.code == ExitCode.USAGE and "--name" in again.err
    named = xixin("plan", "add", str(good), "--name", "a:b")
    assert named.code == ExitCode.USAGE
    both = xixin("plan", "add", str(good), "--import", str(good))
    assert both.code == ExitCode.USAGE
    monkeypatch.chdir(tmp_path)
    outside = xixin("plan", "add", str(good), "--name", "x")
    assert outside.code == ExitCode.USAGE and "xixin init" in outside.err


# -- a folder made before -----------------------------------------------------------------------


def test_a_folder_made_by_init_before_workspaces_keeps_working(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "old"
    shutil.copytree(DATA / "workspace-v1", folder)
    monkeypatch.delenv("XIXIN_STATE")
    monkeypatch.chdir(folder)
    shown = data(xixin("show", "5.1.1", "--json"))
    assert shown["status"] == "done"
    parts = {p["office"]: p["status"] for p in data(xixin("show", "4.3.2", "--json"))["parts"]}
    assert parts["乡民政办"] == "doing" and parts["乡党群办"] == "todo"
    late = data(xixin("overdue", "--as-of", "2022-12-05", "--json"))
    assert "5.1.1" not in {row["id"] for row in late}
    assert {row["plan"] for row in late} == {"plan"}
    assert all(row["light"] == "red" for row in late)
    assert xixin("done", "5.1.2", "--on", "2022-09-29").code == 0
    log = (folder / "plan.status.jsonl").read_text("utf-8")
    assert log.count("\n") == 3 and '"item":"5.1.2"' in log
    listed = data(xixin("plan", "list", "--as-of", "2022-12-05", "--json"))
    assert [(p["plan"], p["closed"]) for p in listed] == [("plan", 2)]
    # a second plan joins it; the first keeps its name and its log
    assert xixin("plan", "add", str(write(tmp_path / "报送.yaml", RECURRING))).code == 0
    assert xixin("done", "plan:5.1.3", "--on", "2022-09-29").code == 0
    assert (folder / "plan.status.jsonl").read_text("utf-8").count("\n") == 4


def test_undo_takes_back_the_latest_change_in_whichever_plan_it_was(
    home: tuple[Path, Runner],
) -> None:
    folder, xixin = home
    assert xixin("plan", "add", str(write(folder / "报送.yaml", RECURRING))).code == 0
    assert xixin("done", "5.1.1", "--on", "2022-09-28").code == 0
    assert xixin("done", "1.1@2023-01", "--on", "2023-01-20").code == 0
    undone = xixin("undo")
    assert undone.code == 0 and "1.1@2023-01" in undone.err
    assert data(xixin("show", "1.1@2023-01", "--json"))["status"] == "todo"
    assert data(xixin("show", "5.1.1", "--json"))["status"] == "done"
    again = xixin("undo")
    assert again.code == 0 and "5.1.1" in again.err
    assert data(xixin("show", "5.1.1", "--json"))["status"] == "todo"
    unknown = xixin("undo", "ffffffff")
    assert unknown.code == ExitCode.USAGE and unknown.out == ""


def test_reports_and_exports_cover_every_plan(home: tuple[Path, Runner], tmp_path: Path) -> None:
    folder, xixin = home
    assert xixin("plan", "add", str(write(folder / "报送.yaml", RECURRING))).code == 0
    weekly = xixin("report", "weekly", "--as-of", "2023-03-24")
    assert weekly.code == 0
    assert "【plan】" in weekly.out and "【报送】定期报送" in weekly.out
    assert "洗府发〔2022〕145号" in weekly.out and "洗府发〔2023〕9号" in weekly.out
    # a format that cannot follow itself on stdout needs a file per plan
    refused = xixin("export", "csv")
    assert refused.code == ExitCode.USAGE and refused.out == "" and "-o" in refused.err
    made = xixin("export", "csv", "-o", str(tmp_path / "台账.csv"))
    assert made.code == 0, made.err
    assert "1.1@2023-03" in (tmp_path / "台账-报送.csv").read_text("utf-8-sig")
    assert "5.3.1" in (tmp_path / "台账-plan.csv").read_text("utf-8-sig")
    split = xixin("export", "markdown", "--split-by", "office", "-o", str(tmp_path / "清单"))
    assert split.code == 0, split.err
    assert (tmp_path / "清单" / "报送" / "乡民政办.md").is_file()
    assert (tmp_path / "清单" / "plan" / "乡民政办.md").is_file()
    # --plan NAME: that plan's alone, as before
    one = xixin("--plan", "报送", "export", "csv")
    assert one.code == 0 and "1.2@2023-Q4" in one.out and "5.3.1" not in one.out


def test_the_workspace_sets_the_lights_of_plans_that_set_none(
    home: tuple[Path, Runner], tmp_path: Path
) -> None:
    folder, xixin = home
    mark = folder / ".xixin"
    assert "# warnings:" in mark.read_text("utf-8")  # init writes it commented out
    dated = (
        "items:\n"
        '  - {id: "1", kind: action, title: 事项, source: 一, offices: [dangqun], '
        "due_basis: stated, due: 2023-03-13, due_text: 3月13日前}\n"
    )
    assert xixin("plan", "add", str(write(tmp_path / "a.yaml", HEAD + dated))).code == 0
    own = HEAD + "warnings: {yellow: 10 days}\n" + dated
    assert xixin("plan", "add", str(write(tmp_path / "b.yaml", own))).code == 0

    def lights() -> dict[str, str]:
        shown = xixin("upcoming", "--as-of", "2023-03-06", "--json")
        return {row["ref"]: row["light"] for row in data(shown)}

    assert lights() == {"a:1": "yellow", "b:1": "yellow"}  # 7 calendar days, 5 working days
    mark.write_text(mark.read_text("utf-8") + "warnings: {yellow: 3 working days}\n", "utf-8")
    assert lights() == {"a:1": "green", "b:1": "yellow"}  # b keeps its own rule
    mark.write_text("warnings: {yellow: later}\n", "utf-8")
    bad = xixin("upcoming", "--as-of", "2023-03-06")
    assert bad.code == ExitCode.PLAN and f"{mark}:1: [warnings.yellow]" in bad.err


def test_a_scheduled_run_names_its_workspace_plan_by_name(home: tuple[Path, Runner]) -> None:
    folder, xixin = home
    assert xixin("plan", "add", str(write(folder / "报送.yaml", RECURRING))).code == 0
    shown = xixin("--plan", "报送", "schedule", "install", "--dry-run", "--system", "linux")
    assert shown.code == 0, shown.err
    assert "--plan '报送' schedule run" in shown.out
    # and the run it installs works in the folder
    ran = xixin("--plan", "报送", "remind", "--as-of", "2023-03-24", "--plain")
    assert ran.code == 0 and "洗府发〔2023〕9号" in ran.out


RECURRING_DOC = ANQUAN.replace(
    "（二）建立隐患台账。2023年4月30日前建立隐患台账。（乡安监办、各村负责）\n",
    "（二）报送整治进展。每月25日前报送整治进展情况。（乡安监办负责）\n"
    "（三）年度总结。每年12月20日前报送年度总结。（乡安监办负责）\n",
)


def test_an_imported_plan_with_recurring_phrases_recurs(
    home: tuple[Path, Runner], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`plan add --import` goes through `xixin import`, which writes `every:` for a recurring
    phrase: each period is an item of its own."""
    folder, xixin = home
    doc = write(tmp_path / "安全.txt", RECURRING_DOC)
    added = xixin("plan", "add", "--import", str(doc), "--name", "anquan")
    assert added.code == 0, added.err
    assert "every:" in (folder / "plans" / "anquan.yaml").read_text("utf-8")
    ahead = data(
        xixin("--plan", "anquan", "upcoming", "--as-of", "2023-03-01", "-w", "90d", "--json")
    )
    monthly = [row["id"] for row in ahead if row["id"].startswith("1.2.1@")]
    assert monthly == ["1.2.1@2023-03", "1.2.1@2023-04", "1.2.1@2023-05"]
    shown = data(xixin("--plan", "anquan", "list", "--json"))
    ids = {row["id"] for row in shown}
    assert "1.2.1@2023-12" in ids and "1.3.1@2023" in ids  # to the end of the plan's year
    assert not any(i.startswith("1.2@") for i in ids)  # the task recurs by its action
