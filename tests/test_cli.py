"""The command line end to end on the bundled plan: exit code, stdout and stderr checked apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from xixin_cli.errors import ExitCode

from conftest import ROOT, Runner

GOLDEN = Path(__file__).parent / "golden"
SELF_CHECK = "5.3.1"


def items(result: object) -> list[dict[str, Any]]:
    data = json.loads(result.out)  # type: ignore[attr-defined]
    assert isinstance(data, list)
    return data


def ids(result: object) -> list[str]:
    return [str(entry["id"]) for entry in items(result)]


def test_list_json_is_the_whole_plan(xixin: Runner) -> None:
    result = xixin("list", "--json")
    assert result.code == 0 and result.err == ""
    data = items(result)
    assert len(data) == 75
    tasks = [d for d in data if d["kind"] == "task"]
    assert [t["offices"] for t in tasks] == [
        ["乡党群办", "乡经发办", "乡农服中心", "乡安监办", "各村"],
        ["乡党群办", "乡经发办", "乡农服中心", "各村"],
        ["乡党群办", "乡民政办", "各村"],
        ["乡党群办", "乡安监办", "各村"],
        ["乡党群办", "乡宣传办", "各村"],
        ["乡党群办", "乡组织办", "各村"],
        ["乡党群办", "乡农服中心", "各村"],
        ["乡党群办", "乡司法所", "各村"],
    ]
    check = next(d for d in data if d["id"] == SELF_CHECK)
    assert (check["due"], check["due_basis"], check["phase"], check["status"]) == (
        "2022-11-30",
        "stated",
        "创建冲刺阶段",
        "todo",
    )
    required = {"id", "title", "parent", "offices", "phase", "due", "due_basis", "source", "status"}
    assert all(required <= set(d) for d in data)
    assert {d["kind"] for d in data if d["parent"] is None} == {"task", "step", "measure"}


def test_list_json_is_never_translated(xixin: Runner) -> None:
    zh = xixin("list", "--json").out
    en = xixin("--lang", "en", "list", "--json").out
    assert zh == en


def test_list_filters(xixin: Runner) -> None:
    got = ids(xixin("list", "--office", "民政办", "--json"))
    assert got[:2] == ["4.3", "4.3.1"] and "4.1.1" not in got
    assert ids(xixin("list", "--phase", "5.1", "--json")) == ["5.1.1", "5.1.2", "5.1.3"]
    xixin("done", "5.1.1")
    assert ids(xixin("list", "--status", "已完成", "--json")) == ["5.1.1"]


def test_the_installed_command_runs_from_any_folder(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XIXIN_STATE": str(tmp_path / "s.jsonl"),
        "XIXIN_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("XIXIN_PLAN", None)
    done = subprocess.run(
        [sys.executable, "-m", "xixin_cli", "list", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 75 and done.stderr == ""


def test_version(xixin: Runner) -> None:
    from xixin_cli import __version__

    result = xixin("--version")
    assert (result.code, result.out, result.err) == (0, f"xixin {__version__}\n", "")


def test_show_an_item_whole(xixin: Runner) -> None:
    result = xixin("show", SELF_CHECK)
    assert result.code == 0 and result.err == ""
    for fragment in ("五（三）1", "2022-11-30", "11月30日前", "创建冲刺阶段", "乡司法所", "未开始"):
        assert fragment in result.out, fragment


def test_overdue_and_the_self_check(xixin: Runner, state_file: Path) -> None:
    before = xixin("overdue", "--as-of", "2022-12-05", "--json")
    assert before.code == 0
    late = {d["id"]: d for d in items(before)}
    assert late[SELF_CHECK]["days_overdue"] == 5
    assert "4.1" not in late and "6.1" not in late  # tasks through their actions; standing never
    assert "4.1.2" not in late  # a standing action
    result = xixin(
        "set",
        SELF_CHECK,
        "done",
        "--office",
        "all",
        "--note",
        "自查报告已报县创建办",
        "--by",
        "王芳",
        "--on",
        "2022-12-02",
    )
    assert result.code == 0 and result.out == ""
    assert "未开始 → 已完成" in result.err
    after = ids(xixin("overdue", "--as-of", "2022-12-05", "--json"))
    assert SELF_CHECK not in after and len(after) == len(late) - 1
    history = xixin("history", SELF_CHECK, "--json")
    events = json.loads(history.out)
    assert len({event["office"] for event in events}) == len(events) == 9  # one per unit's part
    for event in events:
        assert (event["item"], event["status"], event["previous"], event["by"], event["note"]) == (
            SELF_CHECK,
            "done",
            "todo",
            "王芳",
            "自查报告已报县创建办",
        )
        assert event["at"] == events[0]["at"] and event["at"].endswith("+08:00")
    table = xixin("history", SELF_CHECK)
    assert "王芳" in table.out and "自查报告已报" in table.out
    assert table.out.count("5.3.1 ") == 1  # one command's nine records are one row


def test_overdue_boundaries_on_the_plan(xixin: Runner) -> None:
    assert SELF_CHECK not in ids(xixin("overdue", "--as-of", "2022-11-30", "--json"))  # due today
    assert SELF_CHECK in ids(xixin("overdue", "--as-of", "2022-12-01", "--json"))
    first = items(xixin("overdue", "--as-of", "2022-12-01", "--json"))
    assert first[0]["id"] == "5.1.1" and first[0]["days_overdue"] == 62  # most overdue first
    result = xixin("overdue", "--as-of", "2022-09-30")
    assert (result.code, result.out) == (0, "没有逾期事项。\n")


def test_overdue_by_office_and_phase(xixin: Runner) -> None:
    got = items(xixin("overdue", "--as-of", "2022-12-05", "--office", "乡民政办", "--json"))
    assert got and all("乡民政办" in d["offices"] for d in got)
    got = items(xixin("overdue", "--as-of", "2022-12-05", "--phase", "动员部署", "--json"))
    assert [d["id"] for d in got] == ["5.1.1", "5.1.2", "5.1.3"]


def test_upcoming_window_and_phases(xixin: Runner) -> None:
    result = xixin("upcoming", "--as-of", "2022-11-24", "--within", "7d", "--json")
    got = items(result)
    assert {d["id"] for d in got} >= {SELF_CHECK, "4.1.1"}
    assert all(d["days_left"] == 6 for d in got)
    table = xixin("upcoming", "--as-of", "2022-11-24")
    assert table.code == 0 and "全面创建阶段结束" in table.out and "2022-11-30" in table.out


def test_upcoming_month_window_end(xixin: Runner) -> None:
    table = xixin("upcoming", "--as-of", "2022-11-24", "--within", "1m")
    assert "即将到期（2022-11-24 至 2022-12-24）" in table.out
    assert "全面创建阶段结束" in table.out
    assert "创建冲刺阶段结束" not in table.out  # 2022-12-31 is after 2022-12-24
    wider = xixin("upcoming", "--as-of", "2022-11-24", "--within", "6w", "--all")
    assert "创建冲刺阶段结束" in wider.out and "5.3.3" in wider.out


def test_remind_fail_on_overdue_exit_codes(xixin: Runner) -> None:
    quiet = xixin("remind", "--as-of", "2022-09-01", "--fail-on-overdue")
    assert quiet.code == 0 and quiet.err == ""
    late = xixin("remind", "--as-of", "2022-12-05", "--fail-on-overdue")
    assert late.code == ExitCode.OVERDUE
    assert "逾期" in late.out
    assert xixin("remind", "--as-of", "2022-12-05").code == 0  # only with the flag


def test_remind_is_quiet_when_all_is_done(xixin: Runner) -> None:
    for entry in items(xixin("overdue", "--as-of", "2023-12-31", "--json")):
        assert xixin("done", str(entry["id"]), "--office", "all", "--on", "2023-12-30").code == 0
    assert xixin("remind", "--as-of", "2023-12-31", "--fail-on-overdue").code == 0
    # as of a day before those changes happened, they were not done yet
    assert xixin("remind", "--as-of", "2023-12-29", "--fail-on-overdue").code == 10


def test_remind_plain_text_for_a_chat_group(xixin: Runner) -> None:
    result = xixin("remind", "--as-of", "2022-11-28", "--plain")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "【督办周报提醒】洗府发〔2022〕145号 截至 2022-11-28"
    assert lines[1].startswith("2022-11-28：逾期 3 项，7 天内到期 52 项")
    assert "■ 乡民政办：逾期 0 项，本周到期 9 项" in lines
    assert not any(ch in result.out for ch in "─│┃━\x1b")


def test_remind_counts_add_up(xixin: Runner) -> None:
    data = json.loads(xixin("remind", "--as-of", "2022-11-28", "--json").out)
    every = {d["id"]: d for d in items(xixin("list", "--json"))}
    for office in data["offices"]:
        mine = [
            d for d in every.values() if office["office"] in d["offices"] and d["progress"] is None
        ]
        assert office["red"] + office["yellow"] + office["green"] + office["closed"] == len(mine)


def test_undo_appends_a_record(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    result = xixin("undo")
    assert result.code == 0 and "已完成 → 未开始" in result.err
    assert state_file.read_bytes().startswith(before)
    assert len(state_file.read_bytes().splitlines()) == 2
    status = items(xixin("list", "--json"))
    assert next(d for d in status if d["id"] == "5.1.1")["status"] == "todo"
    nothing = xixin("undo")
    assert nothing.code == ExitCode.USAGE and "没有可撤销的记录" in nothing.err


def test_the_log_only_grows(xixin: Runner, state_file: Path) -> None:
    commands = [
        ("start", "4.3.2", "--office", "乡民政办"),
        ("block", "4.7.8", "--note", "苗木未到", "--office", "乡农服中心"),
        ("set", "4.3.2", "进行中", "--note", "补充说明", "--office", "各村"),
        ("undo",),
        ("list",),
        ("overdue", "--as-of", "2022-12-05"),
        ("remind",),
        ("export", "markdown"),
        ("history",),
        ("set", "4.1", "done"),
    ]
    previous = b""
    for args in commands:
        xixin(*args)
        now = state_file.read_bytes()
        assert now.startswith(previous), args
        previous = now
    assert len(previous.splitlines()) == 4


def test_a_task_is_set_through_its_actions(xixin: Runner, state_file: Path) -> None:
    result = xixin("set", "4.6", "--office", "all", "done")
    assert result.code == ExitCode.USAGE and result.out == ""
    assert "4.6.1 4.6.2 4.6.3" in result.err
    assert not state_file.exists()
    for action in ("4.6.1", "4.6.2", "4.6.3"):
        xixin("done", action, "--office", "all")
    task = next(d for d in items(xixin("list", "--json")) if d["id"] == "4.6")
    assert task["status"] == "done" and task["progress"] == {"closed": 3, "total": 3}


def test_same_status_without_note_records_nothing(xixin: Runner, state_file: Path) -> None:
    xixin("done", "5.1.1")
    size = state_file.stat().st_size
    again = xixin("done", "5.1.1")
    assert again.code == 0 and "未记录" in again.err
    assert state_file.stat().st_size == size
    xixin("done", "5.1.1", "--office", "all", "--note", "补交佐证材料")
    assert state_file.stat().st_size > size


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("show", "5.31"), "编号“5.31”不在计划中（是不是“5.3.1”？）"),
        (("set", "5.3.1", "finito"), "“finito”不是状态"),
        (("overdue", "--as-of", "2022-13-01"), "--as-of: “2022-13-01”不是有效日期"),
        (("overdue", "--as-of", "11月31日"), "不是有效日期"),  # no such day, this year or any
        (("upcoming", "--within", "soon"), "--within: “soon”无法识别"),
        (("list", "--office", "民政局"), "责任单位“民政局”不在计划中"),  # starts no unit's name
        (("list", "--phase", "9.9"), "阶段“9.9”不在计划中"),
        (("--lang", "fr", "list"), "--lang: “fr”不受支持"),
        (("set", "5.3.1", "done", "--note", "第一行\n第二行"), "备注不能含控制字符"),
        (("set", "5.3.1", "done", "--note", "长" * 2001), "备注过长"),
        (("set", "5.3.1", "done", "--by", " "), "--by 不能为空"),
    ],
)
def test_bad_values_get_one_line_and_exit_2(
    xixin: Runner, state_file: Path, args: tuple[str, ...], fragment: str
) -> None:
    result = xixin(*args)
    assert result.code == ExitCode.USAGE
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("xixin: 错误: "), result.err
    assert fragment in result.err
    assert not state_file.exists()


def test_errors_in_english(xixin: Runner) -> None:
    result = xixin("--lang", "en", "show", "5.31")
    assert result.err == (
        "xixin: error: id '5.31' is not in the plan (did you mean '5.3.1'?); "
        "see all ids with xixin list\n"
    )


def test_the_chinese_date_form_is_accepted(xixin: Runner) -> None:
    assert (
        xixin("overdue", "--as-of", "2022年12月5日", "--json").out
        == xixin("overdue", "--as-of", "2022-12-05", "--json").out
    )


def test_a_torn_log_line_warns_on_stderr_and_the_command_still_works(
    xixin: Runner, state_file: Path
) -> None:
    xixin("done", "5.1.1")
    with state_file.open("ab") as handle:
        handle.write(b'{"v":1,"ev')
    result = xixin("list", "--status", "done", "--json")
    assert result.code == 0 and ids(result) == ["5.1.1"]
    assert result.err.startswith("xixin: 警告: ") and f"{state_file}:2:" in result.err


def test_a_newer_log_is_refused_with_exit_4(xixin: Runner, state_file: Path) -> None:
    state_file.write_text('{"v":9,"event":"x"}\n', encoding="utf-8")
    result = xixin("list")
    assert result.code == ExitCode.STATE and result.out == ""
    assert "更新版本" in result.err


def test_a_status_file_in_a_missing_folder(xixin: Runner, tmp_path: Path) -> None:
    path = tmp_path / "no" / "log.jsonl"
    result = xixin("--state", str(path), "done", "5.1.1")
    assert result.code == ExitCode.STATE and "不存在" in result.err
    assert not path.parent.exists()


def test_table_columns_line_up_with_chinese_text(xixin: Runner) -> None:
    result = xixin("list")
    lines = result.out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("编号"))
    rule = lines[lines.index(header) + 1]
    assert set(rule.strip()) == {"─"}
    body = lines[lines.index(header) + 2 :]
    assert max(cell_len(line) for line in lines) <= 100  # wide characters counted as two
    due_column = cell_len(header[: header.index("截止")])
    dated = [line for line in body if "2022-11-30" in line]
    assert len(dated) > 20
    for line in dated:
        assert cell_len(line[: line.index("2022-11-30")]) == due_column, line
    # Written to a file, no line ends in the blanks that pad it on a terminal.
    assert all(line == line.rstrip() for line in lines), [
        line for line in lines if line[-1:] == " "
    ]


def test_export_markdown_for_one_office_is_its_checklist_only(xixin: Runner) -> None:
    result = xixin("export", "markdown", "--office", "乡民政办", "--as-of", "2022-11-28")
    assert result.code == 0 and result.err == ""
    lines = [line for line in result.out.splitlines() if line.startswith("- [")]
    assert lines and all("乡民政办" in line for line in lines)
    mine = [
        d["id"]
        for d in items(xixin("list", "--office", "乡民政办", "--json"))
        if d["progress"] is None
    ]
    assert [line.split("**")[1] for line in lines] == mine


def record_week(xixin: Runner) -> None:
    """The week before 2022-11-28, recorded as it happened (--on), as a clerk catches up."""
    on = ("--on", "2022-11-25")
    note = ("--note", "领导小组已组建 *9月*")
    assert xixin("done", "5.1.1", "--office", "all", *note, "--by", "王芳", *on).code == 0
    assert xixin("done", "5.1.2", "--office", "all", "--by", "王芳", *on).code == 0
    assert xixin("start", "4.3.2", "--office", "all", "--note", "已召开部署会", *on).code == 0
    assert xixin("set", "4.3.7", "--office", "all", "dropped", *on).code == 0


@pytest.mark.parametrize("name", ["minzheng-by-task", "all-by-phase"])
def test_markdown_golden(xixin: Runner, name: str, tmp_path: Path) -> None:
    record_week(xixin)
    args = {
        "minzheng-by-task": ("--office", "乡民政办"),
        "all-by-phase": ("--group-by", "phase", "--phase", "5.1"),
    }[name]
    out = tmp_path / "out.md"
    result = xixin("export", "markdown", *args, "--as-of", "2022-11-28", "-o", str(out))
    assert result.code == 0 and result.out == "" and str(out) in result.err
    expected = (GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == expected


def test_export_to_a_missing_folder_fails_cleanly(xixin: Runner, tmp_path: Path) -> None:
    result = xixin("export", "markdown", "-o", str(tmp_path / "no" / "x.md"))
    assert result.code == ExitCode.OUTPUT and result.out == ""
    assert "不存在" in result.err


def test_export_replaces_a_file_whole(xixin: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.md"
    out.write_text("old", encoding="utf-8")
    assert xixin("export", "markdown", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in folder.iterdir()] == ["x.md"]  # no temporary file left


def test_a_plan_of_ones_own_keeps_its_log_beside_it(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XIXIN_STATE")
    plan = tmp_path / "mine.yaml"
    plan.write_bytes((ROOT / "plan.yaml").read_bytes())
    assert xixin("--plan", str(plan), "done", "5.1.1").code == 0
    assert (tmp_path / "mine.status.jsonl").exists()


def test_markdown_escapes_what_would_break_a_checklist_line(xixin: Runner) -> None:
    note = "已完成 | [x] <b>粗</b> `代码` *强调* _下划线_ #1 ~~删~~ \\ 结束"
    assert xixin("start", "5.1.1", "--office", "all", "--note", note).code == 0
    text = xixin("export", "markdown", "--phase", "5.1").out
    [line] = [line for line in text.splitlines() if "**5.1.1**" in line]
    assert line.startswith("- [ ] **5.1.1** ")
    assert line.count("**") == 2  # only the id is bold
    tail = line.split("最新备注：", 1)[1]
    for raw in ("|", "[", "]", "<", ">", "`", "*", "_", "#", "~", "\\"):
        assert tail.count(raw) == tail.count("\\" + raw) or raw == "\\", raw
    assert "<b>" not in line and "\\<b\\>" in line
    assert text.count("- [") == 3  # the note added no checklist line


def test_long_tables_are_capped_and_say_so(xixin: Runner) -> None:
    capped = xixin("overdue", "--as-of", "2023-12-31")
    total = len(items(xixin("overdue", "--as-of", "2023-12-31", "--json")))
    assert total > 20
    assert f"……另有 {total - 20} 项未显示；用 --all 查看全部" in capped.out
    rows = [line for line in capped.out.splitlines() if line.startswith((" 4.", " 5."))]
    assert len(rows) == 20
    every = xixin("overdue", "--as-of", "2023-12-31", "--all")
    assert "未显示" not in every.out
    assert "另有 " in xixin("list", "--limit", "5").out
    assert len(items(xixin("list", "--limit", "5", "--json"))) == 75  # JSON is never cut


def test_tables_print_brackets_and_colons_as_written(xixin: Runner, tmp_path: Path) -> None:
    """Titles and notes are the user's words, not rich markup or emoji codes."""
    plan = tmp_path / "mine.yaml"
    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    title = "调整创建工作领导机构，组建创建工作领导小组"
    assert text.count(f"title: {title}\n") == 1
    plan.write_text(text.replace(f"title: {title}\n", "title: '[b]领导[/b] :x: 小组'\n"), "utf-8")
    note = "[red]见附件[/red] :smile:"
    assert xixin("--plan", str(plan), "start", "5.1.1", "--office", "all", "--note", note).code == 0
    late = xixin("--plan", str(plan), "overdue", "--as-of", "2022-12-05")
    assert late.code == 0, late.err
    assert "[b]领导[/b] :x: 小组" in late.out
    shown = xixin("--plan", str(plan), "show", "5.1.1")
    assert shown.code == 0, shown.err
    assert "[red]见附件[/red] :smile:" in shown.out
    assert "❌" not in late.out + shown.out and "😄" not in shown.out


def test_the_reminder_says_its_plan_and_day_on_one_line(xixin: Runner) -> None:
    result = xixin("remind", "--as-of", "2022-11-28")
    assert result.code == 0, result.err
    [line] = [line for line in result.out.splitlines() if "截至" in line]
    assert line.strip().endswith("｜截至 2022-11-28")
    assert line.startswith("计划：洗府发〔2022〕145号")
