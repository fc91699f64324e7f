"""The status log: append-only, torn-line tolerant, refuses what it does not understand."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xixin_cli.errors import ExitCode, StateError
from xixin_cli.model import Event, Status
from xixin_cli.status_log import (
    LOG_VERSION,
    append_event,
    event_from_record,
    event_to_record,
    read_log,
)

CHINA = timezone(timedelta(hours=8))


def event(n: int, item: str = "5.3.1", status: Status = Status.DONE, note: str = "") -> Event:
    at = datetime(2022, 11, 28, 9, 0, tzinfo=CHINA) + timedelta(minutes=n)
    return Event(f"e{n}", at, item, status, Status.TODO, "clerk", note)


def test_a_missing_log_is_empty(tmp_path: Path) -> None:
    read = read_log(tmp_path / "none.jsonl")
    assert read.events == () and read.warnings == ()


def test_append_then_read_gives_the_events_back(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    first, second = event(1, note="自查报告已报县创建办"), event(2, "4.1.1", Status.DOING)
    written = (append_event(path, first, writer="w1"), append_event(path, second, writer="w1"))
    assert read_log(path).events == written
    assert [e._replace(writer="", chain="", digest="") for e in written] == [first, second]
    assert written[0].chain == "" and written[1].chain == written[0].digest != ""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["v"] == 1 and "自查报告" in lines[0]  # readable Chinese


def test_append_never_changes_what_was_there(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    append_event(path, event(1), writer="w1")
    before = path.read_bytes()
    append_event(path, event(2), writer="w1")
    assert path.read_bytes().startswith(before)


def test_a_torn_last_line_is_reported_skipped_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    append_event(path, event(1), writer="w1")
    with path.open("ab") as handle:
        handle.write(b'{"v":1,"event":"e2","at":"2022-11-')  # power cut mid-write
    torn = path.read_bytes()
    read = read_log(path)
    assert [e.event_id for e in read.events] == ["e1"]
    assert [(w.line, w.code) for w in read.warnings] == [(2, "log.torn")]
    assert path.read_bytes() == torn  # reading never rewrites
    append_event(path, event(3), writer="w1")
    assert path.read_bytes().startswith(torn + b"\n")  # the next record starts a fresh line
    read = read_log(path)
    assert [e.event_id for e in read.events] == ["e1", "e3"]
    assert [(w.line, w.code) for w in read.warnings] == [(2, "log.bad_line")]


def test_bad_records_are_skipped_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    good = json.dumps(event_to_record(event(1)))
    bad_status = good.replace('"status": "done"', '"status": "finished"')
    no_item = json.dumps({k: v for k, v in event_to_record(event(2)).items() if k != "item"})
    naive_time = good.replace("+08:00", "")
    path.write_text("\n".join([good, bad_status, "", no_item, "[1]", naive_time]) + "\n")
    read = read_log(path)
    assert len(read.events) == 1
    assert [(w.line, w.key) for w in read.warnings] == [
        (2, "status"),
        (4, "item"),
        (5, "v"),
        (6, "at"),
    ]


def test_a_record_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    record = event_to_record(event(1))
    record["v"] = LOG_VERSION + 1
    path.write_text(json.dumps(event_to_record(event(0))) + "\n" + json.dumps(record) + "\n")
    before = path.read_bytes()
    with pytest.raises(StateError) as info:
        read_log(path)
    assert info.value.exit_code == ExitCode.STATE
    assert f"{path}:2" in info.value.lines("zh")[0] and "更新版本" in info.value.lines("zh")[0]
    assert path.read_bytes() == before


def test_a_bom_at_the_start_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(event_to_record(event(1))).encode() + b"\n")
    assert len(read_log(path).events) == 1


def test_a_folder_as_log_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StateError):
        read_log(tmp_path)
    with pytest.raises(StateError):
        append_event(tmp_path, event(1), writer="w1")


def test_a_missing_folder_is_not_created_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "log.jsonl"
    with pytest.raises(StateError) as info:
        append_event(path, event(1), writer="w1")
    assert "不存在" in info.value.lines("zh")[0]
    append_event(path, event(1), writer="w1", make_parent=True)
    assert len(read_log(path).events) == 1


notes = st.text(st.characters(codec="utf-8"), max_size=200)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([CHINA, timezone.utc]),
)


@given(
    note=notes,
    by=notes,
    at=moments,
    status=st.sampled_from(Status),
    previous=st.sampled_from(Status),
    undoes=st.none() | st.text(min_size=1, max_size=8),
)
def test_records_round_trip(
    note: str, by: str, at: datetime, status: Status, previous: Status, undoes: str | None
) -> None:
    at = at.replace(microsecond=0)
    original = Event("id", at, "4.1.1", status, previous, by, note, undoes)
    line = json.dumps(event_to_record(original), ensure_ascii=False)
    assert "\n" not in line  # one record is always one line, whatever the note holds
    assert event_from_record(json.loads(line)) == original
