"""Tamper evidence and plan agreement: verify catches edited, deleted and moved lines; doctor
reports records the plan cannot place, and they come back when the id does."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from xixin_cli.checks import verify_log
from xixin_cli.errors import ExitCode
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event

from conftest import ROOT, Runner

CHINA = timezone(timedelta(hours=8))


def event(n: int, item: str = "5.1.1") -> Event:
    at = datetime(2022, 11, 1, 9, tzinfo=CHINA) + timedelta(minutes=n)
    return Event(f"e{n}", at, item, Status.DOING if n % 2 else Status.DONE, Status.TODO, "王芳")


def write_log(path: Path, writers: str = "aaaaa") -> list[bytes]:
    """Five records, writers taken in turn from the letters of `writers`."""
    for n, writer in enumerate(writers):
        append_event(path, event(n)._replace(event_id=f"{path.name}-{n}"), writer=writer * 3)
    return path.read_bytes().splitlines(keepends=True)


def codes(path: Path) -> list[tuple[int | None, str]]:
    return [(p.line, p.code) for p in verify_log(path.read_bytes(), str(path)).problems]


def test_an_untouched_log_verifies(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    write_log(path)
    result = verify_log(path.read_bytes(), str(path))
    assert (result.records, result.writers, result.problems) == (5, 1, ())


def test_an_edited_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    lines[2] = lines[2].replace("王芳".encode(), "李四".encode())
    path.write_bytes(b"".join(lines))
    assert codes(path) == [(3, "verify.edited")]


def test_an_edited_last_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    lines[-1] = lines[-1].replace(b'"status":"done"', b'"status":"doing"')
    path.write_bytes(b"".join(lines))
    assert codes(path) == [(5, "verify.edited")]


def test_a_rehashed_edit_breaks_the_chain_after_it(tmp_path: Path) -> None:
    from xixin_cli.status_log import record_hash

    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    record = json.loads(lines[1])
    record["note"] = "补记"
    record["hash"] = record_hash(record)  # a careful forger recomputes the line's own hash
    lines[1] = json.dumps(record, ensure_ascii=False).encode() + b"\n"
    path.write_bytes(b"".join(lines))
    assert codes(path) == [(3, "verify.gap")]


def test_a_deleted_line_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    del lines[2]
    path.write_bytes(b"".join(lines))
    assert codes(path) == [(3, "verify.gap")]


def test_deleted_first_lines_are_caught(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    path.write_bytes(b"".join(lines[2:]))
    assert codes(path) == [(1, "verify.no_start")]


def test_moved_lines_are_caught(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    lines[1], lines[3] = lines[3], lines[1]
    path.write_bytes(b"".join(lines))
    found = codes(path)
    assert found and {code for _, code in found} <= {"verify.gap", "verify.moved"}
    assert any(line == 2 for line, _ in found)


def test_a_repeated_line_is_counted_once(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    path.write_bytes(b"".join([*lines, lines[1]]))  # what git's union merge can leave
    result = verify_log(path.read_bytes(), str(path))
    assert (result.records, result.problems, result.repeated) == (5, (), 1)


def test_another_record_under_a_used_event_id_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = write_log(path)
    other = lines[1].replace("王芳".encode(), "李四".encode())
    path.write_bytes(b"".join([*lines, other]))
    assert (6, "verify.duplicate") in codes(path)


def test_merged_logs_of_two_writers_verify(tmp_path: Path) -> None:
    a, b, merged = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "m.jsonl"
    lines_a, lines_b = write_log(a, "xxx"), write_log(b, "yyyy")
    interleaved = [
        lines_b[0],
        lines_a[0],
        lines_b[1],
        lines_b[2],
        lines_a[1],
        lines_a[2],
        lines_b[3],
    ]
    merged.write_bytes(b"".join(interleaved))
    result = verify_log(merged.read_bytes(), str(merged))
    assert (result.records, result.writers, result.problems) == (7, 2, ())


def test_one_writer_in_two_processes_keeps_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    write_log(path, "aba")  # writer aaa, then bbb, then aaa again
    result = verify_log(path.read_bytes(), str(path))
    assert result.problems == () and result.writers == 2


def test_unsigned_records_cannot_be_verified(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(
        json.dumps(
            {
                "v": 1,
                "event": "x",
                "at": "2022-11-01T09:00:00+08:00",
                "item": "5.1.1",
                "status": "done",
                "previous": "todo",
            }
        )
        + "\n"
    )
    assert codes(path) == [(1, "verify.unsigned")]


def test_verify_command(xixin: Runner, state_file: Path) -> None:
    xixin("done", "5.1.1", "--office", "all", "--note", "领导小组已组建")
    xixin("done", "5.1.2")
    ok = xixin("verify")
    assert ok.code == 0 and "2 条记录、1 个记录人，核验无误" in ok.out
    lines = state_file.read_bytes().splitlines(keepends=True)
    state_file.write_bytes(lines[0].replace("已组建".encode(), "未组建".encode()) + lines[1])
    bad = xixin("verify")
    assert bad.code == ExitCode.CHECK and int(ExitCode.CHECK) == 6
    assert f"{state_file}:1: 记录内容与其哈希不符" in bad.out
    assert "发现 1 处问题" in bad.err
    state_file.write_bytes(lines[1])
    gone = xixin("verify")
    assert gone.code == ExitCode.CHECK and f"{state_file}:1: [chain]" in gone.out


def test_an_id_that_leaves_the_plan_is_kept_and_comes_back(
    xixin: Runner, state_file: Path, tmp_path: Path
) -> None:
    full = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(full, encoding="utf-8")
    assert (
        xixin(
            "--plan", str(plan), "done", "5.4.1", "--office", "all", "--note", "已参加表彰大会"
        ).code
        == 0
    )
    before = state_file.read_bytes()
    start = full.index('  - id: "5.4.1"')
    end = full.index("  # 六、保障措施")
    plan.write_text(full[:start] + full[end:], encoding="utf-8")  # the step is edited out
    listed = xixin("--plan", str(plan), "list", "--json")
    assert listed.code == 0 and "5.4.1" not in listed.out
    assert "1 个编号不在计划中（5.4.1）" in listed.err
    doctor = xixin("--plan", str(plan), "doctor")
    assert doctor.code == ExitCode.CHECK
    assert f"{state_file}:1: [item] 编号“5.4.1”不在计划中（1 条记录）" in doctor.out
    assert state_file.read_bytes() == before  # kept as it was
    plan.write_text(full, encoding="utf-8")  # the step comes back
    back = json.loads(xixin("--plan", str(plan), "show", "5.4.1", "--json").out)
    assert back["status"] == "done" and back["note"] == "已参加表彰大会"
    assert xixin("--plan", str(plan), "doctor").code == 0


def test_doctor_that_finds_problems_ends_with_a_verdict_as_verify_does(
    xixin: Runner, state_file: Path
) -> None:
    # A user's trial: doctor on a log with a garbage line listed the line and said no more.
    assert xixin("start", "4.1.1", "--office", "all", "--by", "王芳").code == 0
    bad = state_file.read_bytes().count(b"\n") + 1
    with state_file.open("ab") as handle:
        handle.write(b"garbage{\n")
    assert xixin("start", "5.1.1", "--office", "all", "--by", "王芳").code == 0
    records = state_file.read_bytes().count(b"\n") - 1
    doctor = xixin("doctor")
    assert doctor.code == ExitCode.CHECK, (doctor.out, doctor.err)
    assert doctor.out.startswith(f"{state_file}:{bad}: ") and doctor.out.count("\n") == 1
    verdict = f"计划与状态记录中发现 1 处问题（共 {records} 条记录）"  # on stderr, as verify's
    assert doctor.err.startswith(verdict) and doctor.err.count("\n") == 1, doctor.err
    assert f"xixin verify --accept-damaged {bad} " in doctor.err, doctor.err
    english = xixin("--lang", "en", "doctor")
    assert english.code == ExitCode.CHECK
    verdict = f"1 problem found in the plan and status log ({records} records)"
    assert english.err.startswith(verdict), english.err


def test_doctor_reports_plan_problems_with_exit_3(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        (ROOT / "plan.yaml")
        .read_text(encoding="utf-8")
        .replace("phase: sprint", "phase: sprnt", 1),
        encoding="utf-8",
    )
    result = xixin("--plan", str(plan), "doctor")
    assert result.code == ExitCode.PLAN and "sprnt" in result.err and result.out == ""


@pytest.mark.parametrize("command", ["verify", "doctor"])
def test_checks_of_an_empty_log_pass(xixin: Runner, command: str) -> None:
    result = xixin(command)
    assert result.code == 0 and result.err == ""


def test_doctor_speaks_the_plans_language_as_every_command_on_a_plan_does(
    xixin: Runner, tmp_path: Path
) -> None:
    """A plan written in English gets doctor's verdict in English, as `list` gets its
    table; --lang still wins over the plan."""
    plan = tmp_path / "plan.yaml"
    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("\n  language: zh\n", "\n  language: en\n", 1), "utf-8")
    listed = xixin("--plan", str(plan), "list")
    assert listed.code == 0 and "Checklist" in listed.out, listed.out[:200]
    doctor = xixin("--plan", str(plan), "doctor")
    assert (doctor.code, doctor.err) == (0, "")
    assert doctor.out.startswith("plan and status log are in order"), doctor.out
    chinese = xixin("--lang", "zh", "--plan", str(plan), "doctor")
    assert chinese.code == 0 and chinese.out.startswith("计划与状态记录均无问题"), chinese.out


# -- a line cut short, checked and accepted as it is ----------------------------------------------


def test_a_damaged_line_is_accepted_once_checked_and_stays_in_the_log(
    xixin: Runner, state_file: Path
) -> None:
    # A new user's trial: after a write cut short, verify exited 6 for good and nothing said
    # how to be done with it.
    assert xixin("done", "5.1.1").code == 0
    assert xixin("done", "5.1.2").code == 0
    data = state_file.read_bytes()
    state_file.write_bytes(data[:-40])  # the second record cut short
    assert xixin("done", "5.1.2").code == 0  # recorded again, on a line of its own
    before = state_file.read_bytes()
    found = xixin("verify")
    assert found.code == ExitCode.CHECK and ":2:" in found.out
    assert "--accept-damaged 2" in found.err  # the way out, on the verdict
    wrong = xixin("verify", "--accept-damaged", "3")
    assert wrong.code == ExitCode.USAGE and wrong.out == "" and "损坏的行：2" in wrong.err
    accepted = xixin("verify", "--accept-damaged", "2")
    assert accepted.code == 0, accepted.err
    assert (
        ":2:" in accepted.out and "--accept-damaged 确认" in accepted.out
    )  # still told, as a note
    assert state_file.read_bytes() == before  # the log is never rewritten
    twice = xixin("verify", "--accept-damaged", "2")
    assert twice.code == ExitCode.USAGE and "已确认过" in twice.err
    assert xixin("verify").code == 0 and xixin("verify", "--full").code == 0
    strict = xixin("verify", "--strict")
    assert strict.code == ExitCode.CHECK
    # a trial: under --strict the line still said 不算错误；加 --strict 则算 while it counted
    assert ":2:" in strict.out and "加 --strict 则算" not in strict.out, strict.out
    assert "按 --strict 算作错误" in strict.out, strict.out
    listed = xixin("list")
    assert listed.code == 0 and "不是有效的记录" not in listed.err  # no warning on every command
    assert xixin("doctor").code == 0
    # The same line with other bytes is damage again.
    lines = before.split(b"\n")
    lines[1] = lines[1][:-1] + (b"x" if lines[1][-1:] != b"x" else b"y")
    state_file.write_bytes(b"\n".join(lines))
    assert xixin("verify", "--full").code == ExitCode.CHECK
    assert "不是有效的记录" in xixin("list").err


def test_a_torn_last_line_accepted_stays_accepted_once_records_follow_it(
    xixin: Runner, state_file: Path
) -> None:
    assert xixin("done", "5.1.1").code == 0
    state_file.write_bytes(state_file.read_bytes()[:-30])  # torn, and the last line
    assert xixin("verify").code == ExitCode.CHECK
    assert xixin("verify", "--accept-damaged", "1").code == 0
    assert xixin("done", "5.1.1").code == 0  # its line break now follows the torn bytes
    assert xixin("verify").code == 0 and xixin("verify", "--full").code == 0
