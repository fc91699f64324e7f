"""A change said to have happened on an earlier day (`--on`) is decided against the part as it
stood at the end of that day: its record's `previous` is the status then, as every replay of
that day shows it (a trial: `block --on 2022-11-22` after a `done --on 2022-11-25` was
recorded as 已完成 → 受阻 on the 22nd, a move that never happened: the part was 进行中)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import Runner


def _records(state_file: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in state_file.read_text(encoding="utf-8").splitlines()]


def _status_on(xixin: Runner, day: str) -> str:
    shown = xixin("show", "5.1.1", "--json", "--as-of", day)
    assert shown.code == 0, shown.err
    return str(json.loads(shown.out)["status"])


@pytest.mark.parametrize("cache", ["on", "off"])
def test_a_backdated_change_records_the_status_of_its_day_as_previous(
    xixin: Runner, state_file: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    if cache == "off":
        monkeypatch.setenv("XIXIN_CACHE", "off")
    assert xixin("start", "5.1.1", "--on", "2022-11-20").code == 0
    assert xixin("done", "5.1.1", "--on", "2022-11-25").code == 0
    blocked = xixin("block", "5.1.1", "--on", "2022-11-22", "--note", "缺材料")
    assert blocked.code == 0, blocked.err
    assert "进行中 → 受阻" in blocked.err, blocked.err  # as it stood on the 22nd
    assert "现仍为“已完成”" in blocked.err, blocked.err  # and today it still stands done
    last = _records(state_file)[-1]
    assert (last["previous"], last["status"], last["on"]) == ("doing", "blocked", "2022-11-22")
    assert _status_on(xixin, "2022-11-22") == "blocked"
    assert _status_on(xixin, "2022-11-25") == "done"
    history = xixin("history", "5.1.1")
    assert history.code == 0 and "已完成 →" not in history.out.split("缺材料")[0], history.out


def test_a_backdated_change_to_what_stood_that_day_records_nothing(
    xixin: Runner, state_file: Path
) -> None:
    assert xixin("start", "5.1.1", "--on", "2022-11-20").code == 0
    assert xixin("done", "5.1.1", "--on", "2022-11-25").code == 0
    before = state_file.read_bytes()
    again = xixin("start", "5.1.1", "--on", "2022-11-22")  # it was 进行中 on the 22nd already
    assert again.code == 0, again.err
    assert state_file.read_bytes() == before
    assert "进行中" in again.out + again.err


def test_a_close_out_dated_before_the_part_was_done_is_refused(
    xixin: Runner, state_file: Path
) -> None:
    assert xixin("done", "5.1.1", "--on", "2022-11-25").code == 0
    before = state_file.read_bytes()
    early = xixin("close", "5.1.1", "--on", "2022-11-22")  # not done yet on the 22nd
    assert early.code == 2 and early.out == "", (early.out, early.err)
    # a trial: it said 现为“未开始” of a part that is 已完成 now
    assert "在 2022-11-22 时为“未开始”（现为“已完成”）" in early.err, early.err
    assert state_file.read_bytes() == before
    assert xixin("close", "5.1.1", "--on", "2022-11-26").code == 0
    assert _records(state_file)[-1]["previous"] == "done"


@pytest.mark.parametrize("cache", ["on", "off"])
def test_the_parts_as_they_stood_are_a_replay_of_their_day(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: str
) -> None:
    """`stood_on` reads only the items' own records and the undos; it gives what a session
    opened as of that day gives, extensions, evidence, undos and redos included."""
    from xixin_cli.session import Settings, open_session, stood_on

    if cache == "off":
        monkeypatch.setenv("XIXIN_CACHE", "off")
    steps = [
        ("start", "4.1.1", "--office", "all", "--on", "2022-11-20"),
        ("done", "4.1.1", "--office", "乡党群办", "--on", "2022-11-24"),
        ("extend", "4.1.1", "--office", "各村", "--to", "2022-12-20", "--reason", "经同意"),
        ("attach", "5.1.1", "PROOF", "--on", "2022-11-22"),
        ("block", "5.1.1", "--on", "2022-11-21", "--note", "缺材料"),
        ("done", "5.1.1", "--on", "2022-11-23"),
        ("undo",),  # the done of 5.1.1: it counts on no day
        ("start", "4.1.1", "--office", "乡党群办", "--on", "2022-11-22"),
        ("undo",),
        ("undo", "--last-undo"),
    ]
    proof = tmp_path / "自查报告.txt"
    proof.write_text("已自查", encoding="utf-8")
    for step in steps:
        step = tuple(str(proof) if part == "PROOF" else part for part in step)
        if step == ("undo", "--last-undo"):
            undos = [r for r in _records_of(xixin) if r.get("undoes")]
            step = ("undo", str(undos[-1]["event"])[:8])
        result = xixin(*step)
        assert result.code == 0, (step, result.err)
    settings = Settings.from_options(None, None, None)
    today = open_session(settings, write=True)
    for day in ("2022-11-19", "2022-11-21", "2022-11-22", "2022-11-23", "2022-11-24"):
        on = date.fromisoformat(day)
        replay = open_session(settings, as_of=on).states
        mine = stood_on(today, on, ["4.1.1", "5.1.1"])
        assert mine == {item: replay[item] for item in ("4.1.1", "5.1.1")}, day


def _records_of(xixin: Runner) -> list[dict[str, object]]:
    import os

    return _records(Path(os.environ["XIXIN_STATE"]))


def test_a_backdated_extension_says_the_due_date_of_its_day_and_that_a_later_one_stands(
    xixin: Runner, state_file: Path
) -> None:
    # A trial: the second said 截止日 2022-12-20 → 2022-12-10 (5.1.2 was due 2022-09-30 on the
    # 26th), with no word that 12-20 still stands; its undo, undone, said 截止日 None → ….
    first = xixin("extend", "5.1.2", "--to", "2022-12-20", "--reason", "甲", "--on", "2022-11-28")
    assert first.code == 0, first.err
    second = xixin("extend", "5.1.2", "--to", "2022-12-10", "--reason", "乙", "--on", "2022-11-26")
    assert second.code == 0, second.err
    lines = second.err.splitlines()
    assert lines[0].endswith("截止日 2022-09-30 → 2022-12-10"), second.err
    assert lines[1].startswith("注意：5.1.2 在 2022-11-28 另有延期，现截止日仍为 2022-12-20"), (
        second.err
    )
    undone = xixin("undo")
    assert undone.code == 0, undone.err
    assert "截止日 2022-12-10 → 2022-09-30" in undone.err, undone.err
    assert "现截止日仍为 2022-12-20" in undone.err, undone.err
    undo_id = str(_records(state_file)[-1]["event"])[:8]
    redone = xixin("undo", undo_id)
    assert redone.code == 0, redone.err
    assert "None" not in redone.err and "截止日 2022-09-30 → 2022-12-10" in redone.err, redone.err
