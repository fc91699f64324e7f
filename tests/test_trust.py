"""Trust the clerk's record: undo anything, say when a change happened, as-of means as of,
one rule on every path, and decisions taken under the lock."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from xixin_cli.errors import ExitCode

from conftest import Runner


def item(xixin: Runner, item_id: str, *args: str) -> dict[str, Any]:
    result = xixin(*args, "show", item_id, "--json")
    assert result.code == 0, result.err
    found: dict[str, Any] = json.loads(result.out)
    return found


def ids(xixin: Runner, *args: str) -> list[str]:
    result = xixin(*args, "--json")
    assert result.code == 0, result.err
    return [d["id"] for d in json.loads(result.out)]


# -- undo anything --------------------------------------------------------------------------


def test_undo_after_return_then_extend_reverts_the_extension(xixin: Runner) -> None:
    assert xixin("done", "4.6.1", "--office", "all").code == 0
    assert xixin("return", "4.6.1", "--office", "all", "--reason", "材料不全").code == 0
    assert (
        xixin("extend", "4.7.8", "--office", "all", "--to", "2023-12-20", "--reason", "误").code
        == 0
    )
    assert item(xixin, "4.7.8")["due"] == "2023-12-20"
    undone = xixin("undo")
    assert (
        undone.code == 0 and "已撤销延期" in undone.err and "2023-12-20 → 2022-11-30" in undone.err
    )
    assert item(xixin, "4.7.8")["due"] == "2022-11-30"
    assert item(xixin, "4.7.8")["extension"] is None
    assert item(xixin, "4.6.1")["status"] == "doing"  # the return stands
    again = xixin("undo")
    assert again.code == 0 and "进行中 → 已完成" in again.err  # now the return is taken back
    assert item(xixin, "4.6.1")["status"] == "done"


def test_undo_after_a_mistaken_done_brings_back_the_earlier_note(xixin: Runner) -> None:
    assert xixin("block", "4.7.8", "--office", "all", "--note", "苗木未到").code == 0
    assert xixin("done", "4.7.8", "--office", "all", "--note", "误点").code == 0
    assert xixin("undo").code == 0
    back = item(xixin, "4.7.8")
    assert (back["status"], back["note"]) == ("blocked", "苗木未到")
    assert {p["note"] for p in back["parts"]} == {"苗木未到"}


def test_undo_takes_back_evidence_and_undoing_an_undo_redoes(xixin: Runner, tmp_path: Path) -> None:
    report = tmp_path / "自查报告.txt"
    report.write_text("洗新乡自查报告", encoding="utf-8")
    assert xixin("attach", "5.3.1", "--office", "all", str(report)).code == 0
    assert len(item(xixin, "5.3.1")["evidence"]) == 1
    undone = xixin("undo")
    assert undone.code == 0 and "已撤销佐证材料登记" in undone.err
    assert item(xixin, "5.3.1")["evidence"] == []
    history = json.loads(xixin("history", "5.3.1", "--json").out)
    revert = next(r for r in history if r.get("undoes"))
    redo = xixin("undo", revert["event"][:8])
    assert redo.code == 0 and "已恢复佐证材料" in redo.err
    assert len(item(xixin, "5.3.1")["evidence"]) == 1
    table = xixin("history", "5.3.1")
    assert "（已撤销）" in table.out and "撤回材料" in table.out


def test_undo_names_a_record_by_the_start_of_its_id(xixin: Runner) -> None:
    assert xixin("done", "5.1.1", "--note", "第一次").code == 0
    assert xixin("done", "5.1.2").code == 0
    first = json.loads(xixin("history", "5.1.1", "--json").out)[0]["event"]
    assert xixin("undo", first[:6]).code == 0
    assert item(xixin, "5.1.1")["status"] == "todo"
    assert item(xixin, "5.1.2")["status"] == "done"  # the later change stands
    assert xixin("undo", first[:6]).code == ExitCode.USAGE  # already undone
    unknown = xixin("undo", "ffffffff")
    assert unknown.code == ExitCode.USAGE and "xixin history" in unknown.err


def test_detach_withdraws_evidence_and_the_history_keeps_it(xixin: Runner, tmp_path: Path) -> None:
    photo = tmp_path / "照片.jpg"
    photo.write_bytes(b"\xff\xd8photo")
    assert xixin("attach", "5.1.1", str(photo)).code == 0
    wrong = xixin("detach", "5.1.1", "别的.jpg")
    assert wrong.code == ExitCode.USAGE and "照片.jpg" in wrong.err
    withdrawn = xixin("detach", "5.1.1", "照片.jpg", "--note", "登记错了")
    assert withdrawn.code == 0 and "已撤回佐证材料" in withdrawn.err
    assert item(xixin, "5.1.1")["evidence"] == []
    kinds = [r.get("kind", "status") for r in json.loads(xixin("history", "--json").out)]
    assert kinds == ["detach", "evidence"]


def test_an_extension_may_be_corrected_to_an_earlier_day(xixin: Runner) -> None:
    extend = ("extend", "4.7.8", "--office", "all")
    assert xixin(*extend, "--to", "2023-12-20", "--reason", "笔误").code == 0
    assert xixin(*extend, "--to", "2022-12-20", "--reason", "改正：应为2022年").code == 0
    assert item(xixin, "4.7.8")["due"] == "2022-12-20"
    before = xixin(*extend, "--to", "2022-11-30", "--reason", "x")
    assert before.code == ExitCode.USAGE and "原定截止日" in before.err


# -- when it happened, and as of when ----------------------------------------------------------


def test_a_change_recorded_later_counts_from_the_day_it_happened(xixin: Runner) -> None:
    done = xixin("done", "4.3.2", "--office", "all", "--note", "周五已完成", "--on", "2022-11-25")
    assert done.code == 0, done.err
    weekly = xixin("report", "weekly", "--as-of", "2022-11-28")
    assert "11-25" in weekly.out and "周五已完成" in weekly.out
    assert "4.3.2" in ids(xixin, "upcoming", "--as-of", "2022-11-20", "--within", "2w")
    assert "4.3.2" not in ids(xixin, "overdue", "--as-of", "2022-12-05")


def test_as_of_means_as_of(xixin: Runner) -> None:
    assert xixin("done", "5.1.1").code == 0  # recorded today, long after 2022
    early = json.loads(xixin("remind", "--as-of", "2022-09-01", "--json").out)
    assert sum(office["closed"] for office in early["offices"]) == 0
    now = json.loads(xixin("remind", "--json").out)
    assert sum(office["closed"] for office in now["offices"]) == 1


def test_on_is_neither_in_the_future_nor_before_the_plan(xixin: Runner, state_file: Path) -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()  # after today in China too
    future = xixin("done", "5.1.1", "--on", tomorrow)
    assert future.code == ExitCode.USAGE and "晚于今天" in future.err
    early = xixin("done", "5.1.1", "--on", "2022-01-01")
    assert early.code == ExitCode.USAGE and "2022-09-13" in early.err
    assert not state_file.exists()


# -- decided under the lock -------------------------------------------------------------------


def test_concurrent_undos_undo_each_change_once(
    tmp_path: Path, process_env: dict[str, str]
) -> None:
    log = tmp_path / "s.jsonl"
    env = {**process_env, "XIXIN_STATE": str(log), "XIXIN_WRITER": "one-clerk"}
    items = [f"5.1.{n}" for n in (1, 2, 3)] + ["5.3.2", "5.3.3", "5.4.1", "5.2.2", "6.1"]
    for item_id in items:
        subprocess.run(
            [sys.executable, "-m", "xixin_cli", "done", item_id, "--office", "all"],
            env=env,
            check=True,
            capture_output=True,
        )
    undos = [
        subprocess.Popen(
            [sys.executable, "-m", "xixin_cli", "undo"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in items
    ]
    errors = [process.communicate()[1] for process in undos]
    assert [process.returncode for process in undos] == [0] * len(items), errors
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    targets = [r["undoes"] for r in records if "undoes" in r]
    originals = {r["event"] for r in records if "undoes" not in r}
    assert sorted(targets) == sorted(originals)  # each change undone exactly once
    listed = subprocess.run(
        [sys.executable, "-m", "xixin_cli", "list", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    statuses = {d["id"]: d["status"] for d in json.loads(listed.stdout)}
    assert all(statuses[item_id] == "todo" for item_id in items)
    assert os.path.getsize(log) > 0


def test_undo_of_a_file_recorded_twice_keeps_the_first_record(
    xixin: Runner, tmp_path: Path
) -> None:
    report = tmp_path / "自查报告.txt"
    report.write_text("洗新乡自查报告", encoding="utf-8")
    assert xixin("attach", "5.3.1", "--office", "all", str(report)).code == 0
    assert xixin("attach", "5.3.1", "--office", "all", str(report)).code == 0
    undone = xixin("undo")
    assert undone.code == 0 and "已撤销重复的佐证材料登记" in undone.err, undone.err
    assert len(item(xixin, "5.3.1")["evidence"]) == 1  # the first record stands
    assert xixin("undo").code == 0
    assert item(xixin, "5.3.1")["evidence"] == []


def test_history_keeps_a_date_whole_and_gives_a_file_name_room(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A new user's trial at 80 columns: "延期至 2022-12" / "-20", and file names cut to 10 cells.
    monkeypatch.setenv("COLUMNS", "80")
    extend = shlex.split("extend 4.7.8 --office 农服中心 --to 2022-12-20 --reason 苗木未到")
    assert xixin(*extend).code == 0
    report = tmp_path / "洗新乡民族团结进步创建自查报告.pdf"
    report.write_bytes(b"%PDF-1.4")
    assert xixin("attach", "5.3.1", "--office", "党群办", str(report)).code == 0
    table = xixin("history")
    assert table.code == 0, table.err
    assert "2022-12-20" in table.out  # on one line
    lines = table.out.splitlines()
    filed = next(n for n, line in enumerate(lines) if "登记材料" in line)
    assert "洗新乡民族" in lines[filed]  # the name starts in the note's room


def test_undo_does_not_bring_back_a_change_that_was_taken_back(xixin: Runner) -> None:
    # The review's case: Y, then T, both taken back; T redone; T taken back again put Y back.
    assert xixin("done", "5.1.2", "--note", "Y").code == 0
    assert xixin("block", "5.1.2", "--note", "T").code == 0
    records = json.loads(xixin("history", "5.1.2", "--json").out)  # newest first
    t_id = records[0]["event"]
    assert xixin("undo").code == 0 and xixin("undo").code == 0  # T, then Y, taken back
    assert item(xixin, "5.1.2")["status"] == "todo"
    t_undo = next(
        r for r in json.loads(xixin("history", "5.1.2", "--json").out) if r.get("undoes") == t_id
    )
    redo = xixin("undo", t_undo["event"][:8])  # T redone, or refused: Y's undo came after
    if redo.code != 0:  # refused, and nothing changed: Y stays taken back
        assert redo.code == ExitCode.USAGE and item(xixin, "5.1.2")["status"] == "todo"
        return
    assert item(xixin, "5.1.2")["status"] == "blocked"
    again = xixin("undo", t_id[:8])
    if again.code == 0:  # taken back: what stands without T is Y taken back, 未开始
        assert item(xixin, "5.1.2")["status"] == "todo", again.err
    else:  # or refused, naming the standing undo of Y
        assert again.code == ExitCode.USAGE
        assert item(xixin, "5.1.2")["status"] == "blocked"


def test_undo_of_a_corrected_extension_keeps_the_first_ones_reason(xixin: Runner) -> None:
    first = shlex.split("extend 4.7.8 --office 农服中心 --to 2022-12-20 --reason 苗木延期")
    assert xixin(*first).code == 0
    again = ("extend", "4.7.8", "--office", "农服中心", "--to", "2022-12-15", "--reason", "更正")
    assert xixin(*again).code == 0
    assert xixin("undo").code == 0
    shown = xixin("show", "4.7.8").out
    (line,) = [line for line in shown.splitlines() if "延至" in line]
    assert "2022-12-20" in line and "苗木延期" in line, line


def test_undo_takes_back_the_change_typed_last_though_it_happened_days_before(
    xixin: Runner,
) -> None:
    # The trial: start 5.1.1, then done 5.1.3 --on an earlier day; undo took back the start.
    assert xixin("start", "5.1.1").code == 0
    assert xixin("done", "5.1.3", "--on", "2022-11-25").code == 0
    undone = xixin("undo")
    assert undone.code == 0 and "5.1.3" in undone.err, undone.err
    assert (item(xixin, "5.1.3")["status"], item(xixin, "5.1.1")["status"]) == ("todo", "doing")


def test_a_change_backdated_behind_a_later_one_says_it_does_not_stand(xixin: Runner) -> None:
    # The trial: done 5.1.3, then block 5.1.3 --on an earlier day was confirmed as
    # "已完成 → 受阻" with no word, while show kept 已完成.
    assert xixin("done", "5.1.3").code == 0
    late = xixin("block", "5.1.3", "--on", "2022-11-20", "--note", "停电")
    assert late.code == 0 and "现仍为“已完成”" in late.err, late.err
    assert item(xixin, "5.1.3")["status"] == "done"
    assert xixin("start", "5.1.2", "--on", "2022-11-10").code == 0
    ahead = xixin("done", "5.1.2", "--on", "2022-11-20")  # after what stood: no word
    assert ahead.code == 0 and "注意" not in ahead.err, ahead.err
