"""A change taken back counts on no day: `undo` corrects a mistake, so a view or report as of
a past day leaves out the change and its undo alike (a trial: the weekly report as of the
week of a mistaken 已完成, made after the undo, still counted it, and overdue left the item
out). Undoing the undo brings the change back on its own day."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Runner


def _jingfa_done(xixin: Runner, day: str) -> tuple[int, int]:
    """乡经发办's row of the weekly report as of `day`: done, counted."""
    week = xixin("report", "weekly", "--as-of", day)
    assert week.code == 0, week.err
    [row] = re.findall(r"^\| 乡经发办 \| (\d+) \| (\d+) \|", week.out, re.M)
    return int(row[0]), int(row[1])


def _overdue(xixin: Runner) -> list[str]:
    late = xixin("overdue", "--office", "jingfa", "--all", "--json", "--as-of", "2022-12-01")
    assert late.code == 0, late.err
    return re.findall(r'"id": "([\d.]+)"', late.out)


@pytest.mark.parametrize("cache", ["on", "off"])
def test_an_undone_change_counts_on_no_day(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, state_file: Path, cache: str
) -> None:
    if cache == "off":
        monkeypatch.setenv("XIXIN_CACHE", "off")
    before = _jingfa_done(xixin, "2022-11-25")
    assert "4.2.1" in _overdue(xixin)
    done = xixin("done", "4.2.1", "--office", "jingfa", "--on", "2022-11-24", "--note", "误录")
    assert done.code == 0, done.err
    counted = _jingfa_done(xixin, "2022-11-25")  # the replays as of those days are kept now
    assert counted == (before[0] + 1, before[1])
    assert "4.2.1" not in _overdue(xixin)
    assert xixin("undo").code == 0
    assert _jingfa_done(xixin, "2022-11-25") == before
    assert "4.2.1" in _overdue(xixin)
    week = xixin("report", "weekly", "--as-of", "2022-11-25")
    [line] = [line for line in week.out.splitlines() if "误录" in line]
    assert line.endswith("（已撤销）"), line  # listed, marked as taken back
    # undoing the undo redoes the change, on the day it happened
    undo = json.loads(state_file.read_text("utf-8").splitlines()[-1])
    assert undo["undoes"]
    assert xixin("undo", undo["event"][:6]).code == 0  # an undo's undo redoes
    assert _jingfa_done(xixin, "2022-11-25") == counted
    assert "4.2.1" not in _overdue(xixin)
    week = xixin("report", "weekly", "--as-of", "2022-11-25")
    [line] = [line for line in week.out.splitlines() if "误录" in line]
    assert not line.endswith("（已撤销）"), line  # it stands again


def test_a_replay_kept_before_an_undo_is_made_again(xixin: Runner) -> None:
    """The day's replay kept in the cache folded the change; the undo recorded since (after
    that day) takes it out of that day too."""
    for day in ("2022-11-22", "2022-11-23"):
        assert xixin("start", "4.2.2", "--office", "jingfa", "--on", day).code == 0
    assert xixin("done", "4.2.1", "--office", "jingfa", "--on", "2022-11-24").code == 0
    once = _jingfa_done(xixin, "2022-11-25")
    assert _jingfa_done(xixin, "2022-11-25") == once  # from the kept replay
    assert xixin("undo").code == 0
    assert _jingfa_done(xixin, "2022-11-25") == (once[0] - 1, once[1])


def test_a_report_taken_back_is_no_report(xixin: Runner) -> None:
    """`unreported` reads the log's changes themselves (not the fold): an undone change is
    no sign of life from its unit either."""
    silent = xixin("unreported")
    assert silent.code == 0, silent.err
    assert "乡司法所" in silent.out
    assert xixin("start", "4.8.1", "--office", "sifa").code == 0
    assert "乡司法所" not in xixin("unreported").out
    assert xixin("undo").code == 0
    again = xixin("unreported")
    assert again.code == 0 and "乡司法所" in again.out, again.out


def _status(xixin: Runner, item: str) -> str:
    shown = xixin("show", item, "--json")
    assert shown.code == 0, shown.err
    return str(json.loads(shown.out)["status"])


def test_a_backdated_change_a_later_one_shadows_can_be_undone(xixin: Runner) -> None:
    """A trial: `set 5.1.2 doing --on 11-22` typed after `done --on 11-23` could not be
    undone ('changed since': the done, though typed before it and dated after it). Its undo
    counts on its day, so the later change stands over it as it stood."""
    assert xixin("start", "5.1.2", "--on", "2022-11-21").code == 0
    assert xixin("done", "5.1.2", "--on", "2022-11-23").code == 0
    assert xixin("set", "5.1.2", "doing", "--on", "2022-11-22", "--note", "补录").code == 0
    assert _status(xixin, "5.1.2") == "done"
    undo = xixin("undo")
    assert undo.code == 0, undo.err
    assert _status(xixin, "5.1.2") == "done"  # the done, of a later day, stands over both
    [said] = [line for line in undo.err.splitlines() if line.startswith("注意")]
    assert "2022-11-23" in said and "已完成" in said, undo.err  # and the undo says so
    week = xixin("report", "weekly", "--as-of", "2022-11-25")
    [line] = [line for line in week.out.splitlines() if "补录" in line]
    assert line.endswith("（已撤销）"), line
    # a change of the same day, typed after it, is still one the undo would wipe out
    assert xixin("set", "5.1.2", "blocked", "--on", "2022-11-22", "--note", "再补").code == 0
    assert xixin("set", "5.1.2", "todo", "--on", "2022-11-22", "--note", "又补").code == 0
    history = xixin("history", "5.1.2", "--json")
    blocked = next(r for r in json.loads(history.out) if r.get("note") == "再补")
    refused = xixin("undo", blocked["event"][:6])
    assert refused.code == 2 and "又补" not in refused.out, refused.err


def test_the_undo_of_a_backdated_change_under_a_later_undo_counts_now(
    xixin: Runner, state_file: Path
) -> None:
    """The later day's undo put back a state that held the backdated change: were this undo
    to count on the change's day, that undo's record would stand over it and bring it back."""
    assert xixin("start", "5.1.2", "--on", "2022-11-21", "--note", "甲").code == 0
    assert xixin("done", "5.1.2", "--on", "2022-11-23", "--note", "乙").code == 0
    assert xixin("set", "5.1.2", "blocked", "--on", "2022-11-22", "--note", "丙").code == 0
    done, blocked = (json.loads(line)["event"] for line in state_file.read_text().splitlines()[1:])
    assert xixin("undo", done[:6]).code == 0  # back to 受阻 (丙), counted on the 23rd
    assert _status(xixin, "5.1.2") == "blocked"
    undo = xixin("undo", blocked[:6])
    assert undo.code == 0, undo.err
    assert _status(xixin, "5.1.2") == "doing"  # as without both: the start (甲)
    assert "甲" in xixin("show", "5.1.2").out


@pytest.mark.parametrize("then", [["close"], ["close", "return"]], ids=" ".join)
def test_a_backdated_done_a_close_out_rests_on_is_not_undone_under_it(
    xixin: Runner, state_file: Path, then: list[str]
) -> None:
    """A review: undoing a `done --on` under a later close-out left the part 已销号 though
    never done (the undo counted on the done's day). A close-out, or a return, rests on the
    done: the undo is refused, naming it, as before."""
    assert xixin("done", "4.3.2", "--office", "民政办", "--on", "2022-11-20").code == 0
    for command in then:
        reason = ["--reason", "材料不全"] if command == "return" else []
        assert xixin(command, "4.3.2", "--office", "民政办", *reason).code == 0
    done = json.loads(state_file.read_text().splitlines()[0])["event"]
    before = state_file.read_bytes()
    refused = xixin("undo", done[:6])
    assert refused.code == 2 and refused.out == "", refused.err
    assert state_file.read_bytes() == before


def _state(xixin: Runner, item: str, *args: str) -> tuple[str, str | None]:
    shown = xixin("list", "--json", *args)
    assert shown.code == 0, shown.err
    found = next(s for s in json.loads(shown.out) if s["id"] == item)
    return found["status"], found.get("due")


@pytest.mark.parametrize("cache", ["on", "off"])
def test_after_an_undo_a_change_dated_before_the_undone_one_stands_now_as_on_any_day(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """A trial: 已完成 on 11-25, undone, then 已完成 on 11-22 typed after it. The undone
    change counts on no day, so the 11-22 report stands today as it does as of any later day
    (the present state was 未开始: the revert of 11-25 stood over it)."""
    if cache == "off":
        monkeypatch.setenv("XIXIN_CACHE", "off")
    assert xixin("done", "5.2.2", "--on", "2022-11-25").code == 0
    assert xixin("list", "--json").code == 0  # the fold kept before the undo
    assert xixin("undo").code == 0
    assert _state(xixin, "5.2.2")[0] == "todo"
    again = xixin("done", "5.2.2", "--on", "2022-11-22")
    assert again.code == 0, again.err
    assert _state(xixin, "5.2.2")[0] == "done"
    assert _state(xixin, "5.2.2", "--as-of", "2022-12-01")[0] == "done"
    assert _state(xixin, "5.2.2", "--as-of", "2022-11-23")[0] == "done"
    assert xixin("undo").code == 0  # the 11-22 report taken back: 未开始 again, now and then
    assert _state(xixin, "5.2.2")[0] == "todo"
    assert _state(xixin, "5.2.2", "--as-of", "2022-12-01")[0] == "todo"


@pytest.mark.parametrize("cache", ["on", "off"])
def test_after_an_undone_extension_an_earlier_dated_one_stands_now(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    if cache == "off":
        monkeypatch.setenv("XIXIN_CACHE", "off")
    first = ("extend", "5.2.2", "--to", "2022-12-20", "--reason", "a", "--on", "2022-11-26")
    assert xixin(*first).code == 0
    assert xixin("undo").code == 0
    second = ("extend", "5.2.2", "--to", "2022-12-10", "--reason", "b", "--on", "2022-11-25")
    assert xixin(*second).code == 0
    late = xixin("overdue", "--json", "--all")  # today: every item is late
    assert late.code == 0, late.err
    row = next(r for r in json.loads(late.out) if r["id"] == "5.2.2")
    assert row["due"] == "2022-12-10", row
