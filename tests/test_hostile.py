"""Hostile input, faults and merges (issue 15): nothing the user recorded is lost, nothing from a
file or a log reaches a path or a terminal unescaped, and no input crashes a command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode

from conftest import Runner
from test_plan_file import SMALL

NESTED = b"[" * 1000


# -- 1. no output over an input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("export", "csv"),
        ("export", "markdown"),
        ("export", "ics"),
        ("report", "weekly"),
        ("report", "self-check"),
    ],
)
def test_an_export_over_the_log_is_refused(
    xixin: Runner, state_file: Path, command: tuple[str, ...]
) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    result = xixin(*command, "-o", str(state_file))
    assert result.code == ExitCode.OUTPUT, result
    assert result.out == ""
    assert "状态文件" in result.err and "已写入" not in result.err
    assert result.err.count("\n") == 1
    assert state_file.read_bytes() == before


def test_an_export_over_a_log_given_with_state_is_refused(xixin: Runner, tmp_path: Path) -> None:
    log = tmp_path / "v.jsonl"
    assert xixin("--state", str(log), "done", "5.1.1").code == 0
    before = log.read_bytes()
    result = xixin("--state", str(log), "export", "csv", "-o", str(log))
    assert result.code == ExitCode.OUTPUT and log.read_bytes() == before


def test_an_export_over_one_of_several_logs_read_is_refused(xixin: Runner, tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert xixin("--state", str(b), "done", "5.1.1").code == 0
    before = b.read_bytes()
    result = xixin("--state", str(a), "--state", str(b), "export", "markdown", "-o", str(b))
    assert result.code == ExitCode.OUTPUT and b.read_bytes() == before


def test_an_export_over_the_plan_is_refused(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(SMALL, encoding="utf-8")
    result = xixin("--plan", str(plan), "export", "markdown", "-o", str(plan))
    assert result.code == ExitCode.OUTPUT, result
    assert "计划文件" in result.err
    assert plan.read_text(encoding="utf-8") == SMALL


def test_an_export_over_a_link_to_the_log_is_refused(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    link = state_file.with_name("link.csv")
    link.symlink_to(state_file)
    result = xixin("export", "csv", "-o", str(link))
    assert result.code == ExitCode.OUTPUT and state_file.read_bytes() == before


def test_an_export_over_an_evidence_file_is_refused(xixin: Runner, tmp_path: Path) -> None:
    proof = tmp_path / "自查报告.docx"
    proof.write_bytes(b"report")
    assert xixin("attach", "5.3.1", str(proof)).code == 0
    result = xixin("export", "markdown", "-o", str(proof))
    assert result.code == ExitCode.OUTPUT, result
    assert proof.read_bytes() == b"report"


def test_a_board_picture_over_the_log_is_refused(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    result = xixin("board", "--image", str(state_file.with_suffix(".svg")))
    assert result.code == 0
    link = state_file.with_name("board.svg")
    link.symlink_to(state_file)
    result = xixin("board", "--image", str(link))
    assert result.code == ExitCode.OUTPUT and state_file.read_bytes() == before


# -- 2. names are never paths -------------------------------------------------------------------


def _plan_with_office(tmp: Path, name: str) -> Path:
    plan = tmp / "plan.yaml"
    plan.write_text(SMALL.replace("name: 各村,", f"name: '{name}',"), encoding="utf-8")
    return plan


@pytest.mark.parametrize("name", ["../x", "/some/where/x", "..", "a\\b", "CON", "a:b", ".hidden"])
def test_a_split_export_writes_only_inside_its_folder(
    xixin: Runner, tmp_path: Path, name: str
) -> None:
    plan = _plan_with_office(tmp_path, name)
    folder = tmp_path / "out" / "清单"
    folder.mkdir(parents=True)
    before = {p for p in tmp_path.rglob("*") if "cache" not in p.parts}
    result = xixin(
        "--plan", str(plan), "export", "markdown", "--split-by", "office", "-o", f"{folder}"
    )
    assert result.code == 0, result
    after = {p for p in tmp_path.rglob("*") if "cache" not in p.parts}
    made = after - before
    assert made and all(p.parent == folder for p in made), made
    assert all(not p.name.startswith(".") for p in made)
    assert len(made) == 2  # one file per office, none lost to a clash


def test_split_names_that_clash_get_apart_files(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = SMALL.replace("name: 各村,", "name: 'a/b',").replace("[乡党群办]", "[dangqun]")
    plan.write_text(text.replace("name: 乡党群办", "name: 'a_b'"), encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    result = xixin(
        "--plan", str(plan), "export", "markdown", "--split-by", "office", "-o", f"{folder}"
    )
    assert result.code == 0, result
    assert len(list(folder.iterdir())) == 2


# -- 6. bounded readers -------------------------------------------------------------------------


def test_a_deeply_nested_line_is_one_bad_line(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    with state_file.open("ab") as handle:
        handle.write(NESTED + b"\n")
    for command in (("list",), ("history",), ("overdue", "--as-of", "2022-12-05")):
        result = xixin(*command)
        assert result.code == 0, (command, result)
        assert ":2: 这一行不是有效的记录" in result.err, result.err
    result = xixin("set", "5.1.2", "done")
    assert result.code == 0, result
    assert xixin("undo").code == 0
    result = xixin("verify")
    assert result.code == ExitCode.CHECK and "Traceback" not in result.err
    assert ":2: 这一行不是有效的记录" in result.out
    assert xixin("merge", str(state_file)).code == 0


def test_a_deeply_nested_line_in_a_merged_log(xixin: Runner, tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    other.write_bytes(NESTED + b"\n")
    result = xixin("merge", str(other))
    assert result.code == 0, result
    assert "这一行不是有效的记录" in result.err


def test_an_overlong_line_is_one_bad_line(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    record = json.loads(state_file.read_text(encoding="utf-8"))
    record["note"] = "长" * 400_000
    with state_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = xixin("list")
    assert result.code == 0 and ":2:" in result.err and "过长" in result.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_log_or_plan_is_refused(xixin: Runner, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = xixin("--state", str(fifo), "list")
    assert result.code == ExitCode.STATE and "不是普通文件" in result.err, result
    result = xixin("--state", str(fifo), "done", "5.1.1")
    assert result.code == ExitCode.STATE and "不是普通文件" in result.err, result
    result = xixin("--plan", str(fifo), "list")
    assert result.code == ExitCode.PLAN and "不是普通文件" in result.err, result
    result = xixin("import", str(fifo), "-o", str(tmp_path / "p.yaml"))
    assert result.code != 0 and "Traceback" not in result.err


def test_a_device_as_log_is_refused(xixin: Runner) -> None:
    result = xixin("--state", "/dev/zero", "list")
    assert result.code == ExitCode.STATE and "不是普通文件" in result.err, result
    result = xixin("verify", "--help")
    assert result.code == 0


def test_a_huge_plan_is_refused_before_parsing(xixin: Runner, tmp_path: Path) -> None:
    from xixin_cli.plan_file import MAX_PLAN_BYTES

    plan = tmp_path / "big.yaml"
    with plan.open("wb") as handle:
        handle.write(SMALL.encode())
        handle.write(b"#" * (MAX_PLAN_BYTES + 1))
    result = xixin("--plan", str(plan), "list")
    assert result.code == ExitCode.PLAN and "过大" in result.err, result
    assert result.err.count("\n") == 1
