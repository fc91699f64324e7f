"""Merging logs: nothing lost, nothing doubled, any order, chains intact, conflicts told."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli.checks import verify_log
from xixin_cli.fold import fold
from xixin_cli.merge import conflicts, merge_into
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event, read_log

from conftest import Runner

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2022, 11, 20, 9, tzinfo=CHINA)
ITEMS = ["4.3.1", "4.3.2", "5.3.1"]

changes = st.lists(
    st.tuples(st.sampled_from(ITEMS), st.sampled_from(list(Status)), st.integers(0, 600)),
    max_size=8,
)


def write_office(path: Path, writer: str, entries: list[tuple[str, Status, int]]) -> None:
    current: dict[str, Status] = {}
    for n, (item, status, minutes) in enumerate(sorted(entries, key=lambda e: e[2])):
        event = Event(
            f"{writer}-{n}",
            T0 + timedelta(minutes=minutes, microseconds=n),
            item,
            status,
            current.get(item, Status.TODO),
            writer,
        )
        append_event(path, event, writer=writer)
        current[item] = status


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(changes, min_size=2, max_size=3))
def test_merging_is_idempotent_order_free_and_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory, offices: list[list[tuple[str, Status, int]]]
) -> None:
    folder = tmp_path_factory.mktemp("merge")
    sources = []
    for n, entries in enumerate(offices):
        path = folder / f"office{n}.jsonl"
        write_office(path, f"w{n}", entries)
        sources.append((path.name, path.read_bytes() if path.exists() else b""))
    every_id = {json.loads(line)["event"] for _, data in sources for line in data.splitlines()}
    answers: list[tuple[dict[tuple[str, str], Event], list[str]]] = []
    for order in itertools.permutations(sources):
        target = folder / f"merged-{len(answers)}.jsonl"
        merge_into(target, list(order))
        once = target.read_bytes() if target.exists() else b""
        merge_into(target, list(order))  # again: adds nothing
        assert (target.read_bytes() if target.exists() else b"") == once
        events = read_log(target).events
        ids = [event.event_id for event in events]
        assert sorted(ids) == sorted(every_id)  # each exactly once
        assert verify_log(once, target.name).problems == ()
        answers.append((fold(events), sorted(c.item for c in conflicts(events))))
    assert all(answer == answers[0] for answer in answers)  # the order did not matter


def ev(writer: str, n: int, status: Status, previous: Status, minutes: int) -> Event:
    return Event(
        f"{writer}{n}",
        T0 + timedelta(minutes=minutes),
        "4.3.2",
        status,
        previous,
        writer,
        "",
        None,
        writer,
    )


def test_a_conflict_is_reported_and_the_later_change_stands() -> None:
    done = ev("a", 1, Status.DONE, Status.TODO, 0)
    blocked = ev("b", 1, Status.BLOCKED, Status.TODO, 30)  # b had not seen a's change
    [conflict] = conflicts([done, blocked])
    assert (conflict.item, conflict.stands, conflict.other) == ("4.3.2", blocked, done)
    assert fold([done, blocked])["4.3.2", ""] == blocked


def test_changes_made_in_sight_of_each_other_are_no_conflict() -> None:
    done = ev("a", 1, Status.DONE, Status.TODO, 0)
    reopened = ev("b", 1, Status.DOING, Status.DONE, 30)  # b started from a's status
    same = ev("c", 1, Status.DONE, Status.TODO, 40)  # c agrees with a
    assert conflicts([done, reopened]) == []
    assert conflicts([done, same]) == []


def test_merge_command(xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "minzheng.jsonl"
    assert xixin("--state", str(ours), "done", "5.1.1", "--office", "all", "--by", "王芳").code == 0
    monkeypatch.setenv("XIXIN_WRITER", "minzheng-pc")
    assert (
        xixin("--state", str(theirs), "start", "4.3.2", "--office", "民政办", "--by", "李四").code
        == 0
    )
    assert (
        xixin("--state", str(theirs), "done", "4.3.1", "--office", "all", "--by", "李四").code
        == 0  # 3
    )
    first = xixin("--state", str(ours), "merge", str(theirs))
    assert first.code == 0 and first.err == ""
    assert first.out == f"从 {theirs} 并入 4 条新记录（已有 0 条，未重复写入）\n"
    again = xixin("--state", str(ours), "merge", str(theirs))
    assert again.out == f"从 {theirs} 并入 0 条新记录（已有 4 条，未重复写入）\n"
    assert xixin("--state", str(ours), "verify").code == 0
    statuses = {
        d["id"]: d["status"] for d in json.loads(xixin("--state", str(ours), "list", "--json").out)
    }
    assert (statuses["5.1.1"], statuses["4.3.2"], statuses["4.3.1"]) == ("done", "doing", "done")


def test_merge_reports_a_conflict(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    xixin("--state", str(ours), "done", "4.3.2", "--office", "民政办", "--by", "王芳")
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    xixin(
        "--state",
        str(theirs),
        "block",
        "4.3.2",
        "--office",
        "民政办",
        "--by",
        "李四",
        "--note",
        "资金未到",
    )
    result = xixin("--state", str(ours), "merge", str(theirs))
    lines = result.out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("冲突 4.3.2［乡民政办］ ")
    assert "李四" in lines[1] and "王芳" in lines[1] and "以较晚的“受阻”为准" in lines[1]


def test_a_conflict_between_one_name_on_two_pcs_tells_them_apart(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both PCs' login name is root and both changes fell in one minute: the line said
    # "root 12:01 … root 12:01", which tells nobody which PC to ask.
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    monkeypatch.setenv("XIXIN_WRITER", "office-pc-01")
    xixin("--state", str(ours), "done", "4.3.2", "--office", "民政办", "--by", "root")
    monkeypatch.setenv("XIXIN_WRITER", "village-pc-7")
    xixin("--state", str(theirs), "block", "4.3.2", "--office", "民政办", "--by", "root")
    result = xixin("--state", str(ours), "merge", str(theirs))
    (line,) = [line for line in result.out.splitlines() if line.startswith("冲突")]
    assert "office" in line and "villag" in line  # each writer's id, as history gives it
    records = [json.loads(text) for text in theirs.read_text("utf-8").splitlines()]
    records += [json.loads(text) for text in ours.read_text("utf-8").splitlines()[:1]]
    for record in records:  # to the second, both times being in one minute
        assert record["at"][11:19] in line, (record["at"], line)


def test_reading_several_logs_without_merging(xixin: Runner, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    a, b = logs / "a.jsonl", logs / "b.jsonl"
    xixin("--state", str(a), "done", "5.1.1")
    xixin("--state", str(b), "done", "5.1.2")
    shutil.copy(a, logs / "copy-of-a.jsonl")  # the same events twice count once
    before = {p.name: p.read_bytes() for p in logs.iterdir()}
    for args in (["--state", str(a), "--state", str(b)], ["--state", str(logs)]):
        result = xixin(*args, "list", "--status", "done", "--json")
        assert result.code == 0 and result.err == ""
        assert [d["id"] for d in json.loads(result.out)] == ["5.1.1", "5.1.2"]
        history = json.loads(xixin(*args, "history", "--json").out)
        assert len(history) == 2
    assert {p.name: p.read_bytes() for p in logs.iterdir()} == before


def test_split_checklists_per_office(xixin: Runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = xixin("export", "markdown", "--split-by", "office", "-o", str(out))
    assert result.code == 0 and result.out == ""
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(
        f"{name}.md"
        for name in (
            "乡党群办",
            "乡经发办",
            "乡农服中心",
            "乡安监办",
            "乡民政办",
            "乡宣传办",
            "乡组织办",
            "乡司法所",
            "各村",
        )
    )
    minzheng = (out / "乡民政办.md").read_text(encoding="utf-8")
    single = xixin("export", "markdown", "--office", "乡民政办").out
    assert minzheng == single


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@x",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@x",
        },
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_clones_record_pull_and_push_through_git(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    git(tmp_path, "clone", "-q", str(bare), str(a))
    (a / ".gitattributes").write_text("*.status.jsonl merge=union\n", encoding="utf-8")
    log_a = a / "xixin.status.jsonl"
    monkeypatch.setenv("XIXIN_WRITER", "dangqun-pc")
    assert (
        xixin("--state", str(log_a), "done", "5.1.1", "--office", "all", "--by", "王芳").code == 0
    )
    git(a, "add", "-A")
    git(a, "commit", "-qm", "first")
    git(a, "push", "-q", "origin", "HEAD")
    git(tmp_path, "clone", "-q", str(bare), str(b))
    log_b = b / "xixin.status.jsonl"
    # Both sides now record apart, then meet.
    for n, item in enumerate(["4.1.1", "4.1.3", "4.1.4"]):
        started = xixin("--state", str(log_a), "start", item, "--office", "all", "--note", f"a{n}")
        assert started.code == 0
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    for n, item in enumerate(["4.3.1", "4.1.3"]):
        finished = xixin("--state", str(log_b), "done", item, "--office", "all", "--note", f"b{n}")
        assert finished.code == 0
    git(a, "commit", "-qam", "a records")
    git(b, "commit", "-qam", "b records")
    git(b, "push", "-q", "origin", "HEAD")
    git(a, "pull", "-q", "--no-rebase", "origin", "HEAD")  # a true merge, by union
    git(a, "push", "-q", "origin", "HEAD")
    git(b, "pull", "-q", "--no-rebase", "origin", "HEAD")
    assert log_a.read_bytes() == log_b.read_bytes()
    events = read_log(log_a).events
    ids = [e.event_id for e in events]
    # nothing lost, nothing doubled: five commands on items of 5, 5, 5, 3 and 5 units, one
    # record per part, and the first clone's 5.1.1
    assert len(ids) == len(set(ids)) == 24
    assert xixin("--state", str(log_a), "verify").code == 0
    assert "<<<<<<<" not in log_a.read_text(encoding="utf-8")
    merged = {d["id"]: d for d in json.loads(xixin("--state", str(log_a), "list", "--json").out)}
    assert merged["4.1.3"]["status"] == "done"  # b's change came later
    assert merged["4.1.1"]["status"] == "doing" and merged["4.3.1"]["status"] == "done"


def test_merge_reports_only_the_conflicts_it_brought_in(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, first, second = (tmp_path / name for name in ("ours.jsonl", "a.jsonl", "b.jsonl"))
    xixin("--state", str(ours), "done", "4.3.2", "--office", "民政办", "--by", "王芳")
    xixin("--state", str(ours), "done", "5.1.1", "--by", "王芳")
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    xixin("--state", str(first), "block", "4.3.2", "--office", "民政办", "--by", "李四")
    monkeypatch.setenv("XIXIN_WRITER", "other-pc")
    xixin("--state", str(second), "block", "5.1.1", "--by", "张三")
    monkeypatch.setenv("XIXIN_WRITER", "test-writer")
    one = xixin("--state", str(ours), "merge", str(first))
    assert [line[:9] for line in one.out.splitlines()[1:]] == ["冲突 4.3.2［"], one.out
    two = xixin("--state", str(ours), "merge", str(second))
    conflicts_told = [line for line in two.out.splitlines() if line.startswith("冲突")]
    assert len(conflicts_told) == 1 and conflicts_told[0].startswith("冲突 5.1.1［"), two.out
    again = xixin("--state", str(ours), "merge", str(first), str(second))
    assert not [line for line in again.out.splitlines() if line.startswith("冲突")], again.out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(changes, min_size=2, max_size=3), st.booleans(), st.booleans())
def test_the_conflicts_a_merge_brought_are_those_of_the_whole_log(
    tmp_path_factory: pytest.TempPathFactory,
    offices: list[list[tuple[str, Status, int]]],
    indexed: bool,
    open_end: bool,
) -> None:
    """Also when the log's last line has no newline yet (a write still being made, which the
    index keeps apart as its tail): the answer is the whole log's, whatever state it is in."""
    from xixin_cli.merge import conflicts_brought

    folder = tmp_path_factory.mktemp("brought")
    os.environ["XIXIN_CACHE"] = "on" if indexed else "off"
    try:
        target = folder / "target.jsonl"
        write_office(target, "ours", offices[0])
        for n, entries in enumerate(offices[1:]):
            source = folder / f"office{n}.jsonl"
            write_office(source, f"w{n}", entries)
            if source.exists():
                merge_into(target, [(str(source), source.read_bytes())])
        if open_end and target.exists():
            target.write_bytes(target.read_bytes().rstrip(b"\n"))
        events = read_log(target).events
        added = [e for e in events if not e.event_id.startswith("ours-")]
        new = {e.event_id for e in added}
        expected = [
            (c.item, c.office, c.stands, c.other)
            for c in conflicts(events)
            if c.stands.event_id in new or c.other.event_id in new
        ]
        found = [(c.item, c.office, c.stands, c.other) for c in conflicts_brought(target, added)]
        assert sorted(found, key=repr) == sorted(expected, key=repr)
    finally:
        del os.environ["XIXIN_CACHE"]


def test_merging_a_log_again_decodes_none_of_it_and_says_the_same(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The target's index remembers each source it took in whole: the same bytes merged again
    are neither decoded nor verified, and the merge says what it said (the lines it skips
    too). Bytes it has not seen are read, as ever."""
    from xixin_cli import merge, verified

    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    every = ("--office", "all")
    assert xixin("--state", str(ours), "done", "5.1.1", *every, "--by", "王芳").code == 0
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    assert xixin("--state", str(theirs), "start", "4.3.2", *every, "--by", "李四").code == 0
    with theirs.open("ab") as handle:
        handle.write(b"not a record\n")
    first = xixin("--state", str(ours), "merge", str(theirs))
    assert first.code == 0 and f"{theirs}:4:" in first.err, first.err

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the source was read again")

    with monkeypatch.context() as patched:
        patched.setattr(merge, "parsed_source", refuse)
        patched.setattr(verified, "verify_open", refuse)
        again = xixin("--state", str(ours), "merge", str(theirs))
    assert (again.code, again.err) == (0, first.err)
    assert again.out == f"从 {theirs} 并入 0 条新记录（已有 3 条，未重复写入）\n"
    assert xixin("--state", str(theirs), "done", "4.3.2", *every, "--by", "李四").code == 0
    grown = xixin("--state", str(ours), "merge", str(theirs))
    assert grown.out == f"从 {theirs} 并入 3 条新记录（已有 3 条，未重复写入）\n", grown.out


def test_merging_the_log_into_itself_says_so_and_changes_nothing(
    xixin: Runner, state_file: Path
) -> None:
    # A trial: `merge` of the log into itself printed nothing and exited 0.
    assert xixin("start", "5.1.1").code == 0
    before = state_file.read_bytes()
    result = xixin("merge", str(state_file))
    assert (result.code, result.out) == (0, ""), result
    assert result.err == f"xixin: 警告: {state_file} 就是要并入的状态文件本身，没有可并入的记录\n"
    assert state_file.read_bytes() == before
