"""A change is decided once when nothing was written since its session read the log, and again
under the lock when something was (another clerk's change, an edited plan)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xixin_cli import rules
from xixin_cli.fold import part_view
from xixin_cli.model import Event, Status
from xixin_cli.session import Session, Settings, open_session, record, stamper

from conftest import ROOT

ITEM = "4.6.1"  # a leaf of the bundled plan


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XIXIN_WRITER", "me")
    return tmp_path / "s.jsonl"


def other_clerk(log: Path, *args: str) -> None:
    """Another xixin process records a change into the same log."""
    env = {**os.environ, "XIXIN_STATE": str(log), "XIXIN_WRITER": "other"}
    done = subprocess.run(
        [sys.executable, "-m", "xixin_cli", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


class Decider:
    """A decision that counts how often it was asked: the part of ITEM for its first unit
    set to `doing`, from the status the session it is given shows."""

    def __init__(self) -> None:
        self.sessions: list[Session] = []

    def __call__(self, fresh: Session) -> list[Event]:
        self.sessions.append(fresh)
        state = fresh.states[ITEM]
        view = part_view(state, state.parts[0].office)
        made = rules.change(view, Status.DOING, stamper("测试")(), "")
        return [made] if made is not None else []


def records(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_nothing_written_since_the_session_read_the_log_decides_once(log: Path) -> None:
    other_clerk(log, "done", ITEM, "--office", "all")
    opened = open_session(Settings(None, (str(log),), None), write=True)
    decide = Decider()
    written = record(opened, decide)
    assert decide.sessions == [opened]  # not asked again under the lock
    assert [e.previous for e in written] == [Status.DONE]
    assert records(log)[-1]["previous"] == "done" and records(log)[-1]["writer"] == "me"


def test_a_change_written_after_the_session_read_the_log_is_decided_against(log: Path) -> None:
    other_clerk(log, "done", ITEM, "--office", "all")
    opened = open_session(Settings(None, (str(log),), None), write=True)
    other_clerk(log, "block", ITEM, "--office", "all", "--note", "缺材料")  # meanwhile
    decide = Decider()
    written = record(opened, decide)
    assert len(decide.sessions) == 2 and decide.sessions[1] is not opened
    assert [e.previous for e in written] == [Status.BLOCKED]  # what the log says now
    assert records(log)[-1]["previous"] == "blocked"


def test_an_edited_plan_is_read_again_before_the_change_is_decided(
    log: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes((ROOT / "plan.yaml").read_bytes())
    opened = open_session(Settings(str(plan), (str(log),), None), write=True)
    os.utime(plan, ns=(1, 1))  # the plan saved again meanwhile
    decide = Decider()
    record(opened, decide)
    assert len(decide.sessions) == 2


def test_a_log_made_by_someone_else_meanwhile_is_read_before_deciding(log: Path) -> None:
    opened = open_session(Settings(None, (str(log),), None), write=True)
    assert not log.exists()
    other_clerk(log, "start", ITEM, "--office", "all")
    decide = Decider()
    written = record(opened, decide)
    assert len(decide.sessions) == 2
    assert written == []  # already doing: nothing to record
    assert [r["writer"] for r in records(log)] == ["other"] * len(records(log))
