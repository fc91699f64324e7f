"""The cached fold after a merge (cache.fold_appended): it takes in what the merge appended
from the log's bytes, read back and checked by their own CRC-32, once the merge has let its
sources go; bytes that are no longer the merge's are left to the next read."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from xixin_cli import cache, status_log
from xixin_cli.cache import fold_appended, fold_log
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event, parse_log

from conftest import Runner

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2022, 11, 20, 9, tzinfo=CHINA)


def _change(event_id: str, minutes: int, item: str, status: Status) -> Event:
    return Event(event_id, T0 + timedelta(minutes=minutes), item, status, Status.TODO, "王芳")


def test_after_a_merge_the_next_fold_reads_nothing_back(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "cun.jsonl"
    assert xixin("--state", str(ours), "done", "4.3.2", "--office", "all", "--by", "王芳").code == 0
    assert xixin("--state", str(ours), "list").code == 0  # the fold is cached
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    assert xixin("--state", str(theirs), "start", "5.1.1", "--by", "李四").code == 0
    merged = xixin("--state", str(ours), "merge", str(theirs))
    assert merged.code == 0 and merged.out.startswith(f"从 {theirs} 并入 1 条新记录"), merged.out

    def no_parse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the log was read back")

    monkeypatch.setattr(cache, "_LOADED", {})  # as a new process finds it
    monkeypatch.setattr(status_log, "parse_log", no_parse)
    state = fold_log(ours).last
    assert {state[key].status for key in state if key[0] == "5.1.1"} == {Status.DOING}
    assert {state[key].status for key in state if key[0] == "4.3.2"} == {Status.DONE}


@pytest.mark.parametrize("other", ["changed", "cut"])
def test_bytes_no_longer_the_merges_are_left_to_the_next_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str
) -> None:
    """The merge read and folded one record, but the log holds another there now (or less
    than it appended): the cached fold is not extended with what the merge read, and the
    next fold gives what the log holds."""
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    log = tmp_path / "ours.jsonl"
    append_event(log, _change("o1", 0, "4.3.2", Status.DONE), writer="ours")
    assert fold_log(log).last["4.3.2", ""].status is Status.DONE  # cached
    start = log.stat().st_size
    read_by_merge = tmp_path / "merged.jsonl"  # the record the merge appended and read
    append_event(read_by_merge, _change("m1", 5, "5.1.1", Status.DOING), writer="m")
    appended = read_by_merge.read_bytes()
    held = tmp_path / "held.jsonl"  # what the log holds there instead
    append_event(held, _change("h1", 5, "5.1.1", Status.BLOCKED), writer="h")
    instead = held.read_bytes() if other == "changed" else appended[:-5]
    with log.open("ab") as handle:
        handle.write(instead)
    read = parse_log(appended, str(log))
    fold_appended(log, start, len(appended), zlib.crc32(appended), read)
    monkeypatch.setattr(cache, "_LOADED", {})
    state = fold_log(log).last
    if other == "changed":
        assert state["5.1.1", ""].event_id == "h1"
    else:
        assert ("5.1.1", "") not in state  # a torn last line is no record yet
    assert state["4.3.2", ""].status is Status.DONE


def test_a_merged_record_the_log_has_undone_already_is_not_folded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An undo can come before its record (a merge brings the record later): the record it
    names counts on no day, in the fold the merge extends as in a fold read from scratch."""
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    log = tmp_path / "ours.jsonl"
    append_event(log, _change("o1", 0, "4.3.2", Status.DOING), writer="ours")
    undo = _change("u1", 1, "4.3.2", Status.TODO)._replace(undoes="m1")  # m1: not here yet
    append_event(log, undo, writer="ours")
    assert fold_log(log).last["4.3.2", ""].event_id == "o1"  # cached, with the undo
    start = log.stat().st_size
    source = tmp_path / "cun.jsonl"
    append_event(source, _change("m1", 5, "4.3.2", Status.DONE), writer="cun")
    appended = source.read_bytes()
    with log.open("ab") as handle:
        handle.write(appended)
    fold_appended(log, start, len(appended), zlib.crc32(appended), parse_log(appended, str(log)))
    monkeypatch.setattr(cache, "_LOADED", {})
    folded = fold_log(log)
    assert folded.last["4.3.2", ""].event_id == "o1", folded.last
    assert folded.total == 1, folded.total
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "none"))  # from scratch: the same
    assert fold_log(log).last == folded.last
