"""Tests that bite (issue #22): the log's integrity — a record's hash covers every field, evidence
is compared by content, merging takes each shared record once, in any order, however often."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli.checks import verify_log
from xixin_cli.errors import StateError
from xixin_cli.evidence import (
    Fingerprint,
    bring_copies,
    file_hash,
    fingerprint,
    keep_copy,
    still_matches,
    store_problems,
    stored,
)
from xixin_cli.merge import (
    accepted_file,
    accepted_ids,
    conflicts,
    merge_into,
    new_records,
    parsed_source,
    record_accepted,
)
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.status_log import (
    LOG_VERSION,
    MAX_LINE,
    LineError,
    append_decided,
    append_event,
    chain_head,
    event_from_record,
    event_to_record,
    load_line,
    parse_log,
    read_bytes,
    read_log,
    read_logs,
    record_hash,
)

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2022, 11, 20, 9, 30, tzinfo=CHINA)
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

#: One record of every kind, every optional field filled in, as `append_event` writes them.
FULL = [
    Event(
        "s1", T0, "5.1.1", Status.DONE, Status.DOING, "王芳", "已组建", office="xc",
        on=date(2022, 11, 19),
    ),
    Event(
        "s2",
        T0 + timedelta(minutes=1),
        "5.1.2",
        Status.DOING,
        Status.TODO,
        "李四",
        "推进中",
        undoes="s1",
        progress="已开会",
        problems="缺经费",
        next="下周验收",
    ),
    Event(
        "x1", T0, "5.1.3", Status.TODO, Status.TODO, "王芳", "延期", kind=EventKind.EXTEND,
        due=date(2022, 12, 31),
    ),
    Event(
        "f1",
        T0,
        "5.1.3",
        Status.TODO,
        Status.TODO,
        "王芳",
        "照片",
        kind=EventKind.EVIDENCE,
        path="/srv/照片.jpg",
        size=2048,
        sha256="ab" * 32,
    ),
]  # fmt: skip


def _changed(value: Any) -> Any:
    """Another value of the same JSON type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value - 1 if value > 1 else value + 1
    if value is None:
        return "2023-01-01"
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":  # a date or a time: a day earlier
        return ("2021" + text[4:]) if not text.startswith("2021") else ("2020" + text[4:])
    return text + "改"


def _written(path: Path, events: list[Event]) -> list[dict[str, Any]]:
    for event in events:
        append_event(path, event, writer="w1")
    return [json.loads(line) for line in path.read_bytes().splitlines()]


@pytest.mark.parametrize("index", range(len(FULL)))
def test_every_field_of_a_record_is_covered_by_its_hash(tmp_path: Path, index: int) -> None:
    """A back-dated change (`at`, `on`), a changed unit, note or file: each edit is caught."""
    path = tmp_path / "log.jsonl"
    (record,) = _written(path, [FULL[index]])
    assert verify_log(path.read_bytes(), str(path)).problems == ()
    assert record["hash"] == record_hash(record)
    for key in record:
        if key == "hash":
            continue
        edited = {**record, key: _changed(record[key])}
        assert record_hash(edited) != record["hash"], key
        path.write_text(json.dumps(edited, ensure_ascii=False) + "\n", encoding="utf-8")
        found = [(p.line, p.code) for p in verify_log(path.read_bytes(), str(path)).problems]
        assert (1, "verify.edited") in found, key


def test_the_hash_is_of_the_content_not_the_layout() -> None:
    record = event_to_record(FULL[0])
    shuffled = dict(reversed(list(record.items())))
    assert record_hash(shuffled) == record_hash(record)
    # SHA-256 of the record without its hash, keys sorted, no spaces, UTF-8 as written.
    import hashlib

    canonical = '{"by":"王芳","v":1}'.encode()
    assert record_hash({"v": 1, "hash": "x", "by": "王芳"}) == hashlib.sha256(canonical).hexdigest()
    assert record_hash({"v": 1}) != record_hash({"v": 2})


def test_records_of_every_kind_read_back_field_for_field(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    records = _written(path, FULL)
    read = read_log(path)
    assert read.warnings == ()
    assert [e._replace(writer="", chain="", digest="") for e in read.events] == FULL
    assert [r["v"] for r in records] == [4, 5, 2, 2]
    assert read.events[0].writer == "w1" and read.events[0].chain == ""
    assert read.events[1].chain == read.events[0].digest == records[0]["hash"]


@pytest.mark.parametrize(
    ("event", "version"),
    [
        (FULL[0]._replace(on=None, office=""), 1),
        (FULL[0]._replace(on=None), 3),
        (FULL[0], 4),
        (FULL[2], 2),
        (FULL[2]._replace(due=None), 4),
        (FULL[3]._replace(kind=EventKind.DETACH), 4),
        (FULL[0]._replace(on=None, office="", next="x"), 5),
    ],
)
def test_each_record_says_the_oldest_format_that_reads_it(event: Event, version: int) -> None:
    record = event_to_record(event)
    assert record["v"] == version
    assert event_from_record(record) == event


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("v", True),
        ("v", "1"),
        ("at", "2022-11-20T09:30:00"),  # no zone
        ("at", "1899-12-31T09:30:00+08:00"),
        ("at", "2201-01-01T09:30:00+08:00"),
        ("at", ""),
        ("event", ""),
        ("item", 5),
        ("status", "finished"),
        ("previous", None),
        ("undoes", 3),
        ("on", 20221119),
        ("on", "2022-13-01"),
        ("by", 1),
        ("kind", "teleport"),
    ],
)
def test_a_record_with_one_bad_field_is_skipped_naming_it(field: str, value: object) -> None:
    record = event_to_record(FULL[0])
    record[field] = value
    read = parse_log(json.dumps(record).encode() + b"\n", "log")
    assert read.events == ()
    (problem,) = read.warnings
    assert (problem.line, problem.code) == (1, "log.bad_record")
    assert problem.key == field


@pytest.mark.parametrize(
    ("field", "value"),
    [("due", "2022-02-30"), ("due", "1899-12-31"), ("due", "2201-01-01"), ("due", 5)],
)
def test_an_extension_with_a_bad_day_is_skipped(field: str, value: object) -> None:
    record = event_to_record(FULL[2])
    record[field] = value
    (problem,) = parse_log(json.dumps(record).encode(), "log").warnings
    assert (problem.key, problem.code) == ("due", "log.bad_record")


@pytest.mark.parametrize("size", [-1, True, "2048", None])
def test_evidence_with_a_bad_size_is_skipped(size: object) -> None:
    record = event_to_record(FULL[3])
    record["size"] = size
    (problem,) = parse_log(json.dumps(record).encode(), "log").warnings
    assert problem.key == "size"


def test_evidence_of_an_empty_file_is_read() -> None:
    """An empty file is evidence too (a form sent back blank is still what was sent)."""
    record = event_to_record(FULL[3])
    record["size"] = 0
    read = parse_log(json.dumps(record).encode() + b"\n", "log")
    assert read.warnings == ()
    (event,) = read.events
    assert event.size == 0 and event.path == FULL[3].path


def test_an_extension_written_as_format_3_with_no_day_is_refused_not_withdrawn() -> None:
    record = event_to_record(FULL[2])
    record.update(v=3, due=None)
    assert parse_log(json.dumps(record).encode(), "log").warnings[0].key == "due"
    record["v"] = 4
    assert parse_log(json.dumps(record).encode(), "log").events[0].due is None


# -- evidence: by content, not by size ------------------------------------------------------------


def test_evidence_edited_to_the_same_length_is_changed(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("完成率 80%", encoding="utf-8")
    seen = fingerprint(report)
    assert still_matches(seen.path, seen.size, seen.sha256) is None
    report.write_text("完成率 90%", encoding="utf-8")  # same size, other content
    assert fingerprint(report).size == seen.size
    assert still_matches(seen.path, seen.size, seen.sha256) == "changed"
    report.write_text("完成率 80%!", encoding="utf-8")  # other size
    assert still_matches(seen.path, seen.size, seen.sha256) == "changed"
    report.unlink()
    assert still_matches(seen.path, seen.size, seen.sha256) == "missing"
    report.mkdir()
    assert still_matches(seen.path, seen.size, seen.sha256) == "missing"


def test_a_fingerprint_is_the_files_path_size_and_sha256(tmp_path: Path) -> None:
    import hashlib

    data = bytes(range(256)) * 5000  # more than one read block
    (tmp_path / "a.bin").write_bytes(data)
    found = fingerprint(tmp_path / "a.bin")
    assert found == Fingerprint(
        str((tmp_path / "a.bin").resolve()), len(data), hashlib.sha256(data).hexdigest()
    )


def test_the_stored_copy_is_judged_by_its_content(tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("完成率 80%", encoding="utf-8")
    store = tmp_path / "log.jsonl.evidence"
    kept = keep_copy(store, report)
    assert kept == fingerprint(report)
    copy = stored(store, kept.sha256)
    assert copy.read_bytes() == report.read_bytes()
    report.unlink()  # the original is gone: the copy still stands for it
    assert still_matches(kept.path, kept.size, kept.sha256, store) is None
    copy.chmod(0o644)
    copy.write_text("完成率 90%", encoding="utf-8")  # the copy edited, same size
    assert still_matches(kept.path, kept.size, kept.sha256, store) == "copy_changed"


# -- merge: shared records once, in any order, however often -------------------------------------


def _office_log(path: Path, writer: str, events: list[Event]) -> bytes:
    for event in events:
        append_event(path, event, writer=writer)
    return path.read_bytes()


def _events(prefix: str, count: int) -> list[Event]:
    return [
        Event(f"{prefix}{n}", T0 + timedelta(minutes=n), "5.1.1", Status.DOING, Status.TODO, prefix)
        for n in range(count)
    ]


def test_records_two_sources_share_are_merged_once(tmp_path: Path) -> None:
    shared = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 3))
    (tmp_path / "b.jsonl").write_bytes(shared)  # b's log began as a copy of a's
    both = _office_log(tmp_path / "b.jsonl", "wb", _events("b", 2))
    target = tmp_path / "t.jsonl"
    results = merge_into(target, [("a", shared), ("b", both)], make_parent=False)
    assert [len(r.lines) for r in results] == [3, 2]
    assert [r.already for r in results] == [0, 3]
    ids = [e.event_id for e in read_log(target).events]
    assert ids == ["a0", "a1", "a2", "b0", "b1"]
    again = merge_into(target, [("b", both), ("a", shared)])
    assert [(len(r.lines), r.already) for r in again] == [(0, 5), (0, 3)]
    assert verify_log(target.read_bytes(), str(target)).problems == ()


def test_a_shared_id_with_other_content_is_a_collision_not_a_record(tmp_path: Path) -> None:
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 2))
    known = {"a0": b"something else", "a1": b"and another"}
    incoming = new_records(known, parsed_source("a", data))
    assert incoming.lines == () and incoming.already == 0
    assert [(p.line, p.key, p.code, p.params) for p in incoming.collisions] == [
        (1, "event", "merge.collision", {"event": "a0"}),  # each line says which id
        (2, "event", "merge.collision", {"event": "a1"}),
    ]
    assert known == {"a0": b"something else", "a1": b"and another"}  # the target's stand


def test_a_bom_and_windows_line_ends_do_not_make_a_record_new(tmp_path: Path) -> None:
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 2))
    target = tmp_path / "t.jsonl"
    target.write_bytes(data)
    windows = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    (result,) = merge_into(target, [("win", windows)])
    assert (result.lines, result.already, result.collisions) == ((), 2, ())
    assert target.read_bytes() == data


def test_a_source_that_does_not_verify_brings_nothing_unless_accepted(tmp_path: Path) -> None:
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 2))
    edited = data.replace(b'"by":"a"', b'"by":"b"', 1)
    known: dict[str, bytes] = {}
    refused = new_records(known, parsed_source("a", edited))
    assert refused.lines == () and refused.refused and known == {}
    assert refused.refused[0].code == "verify.edited"
    taken = new_records(known, parsed_source("a", edited), accept_unverified=True)
    assert len(taken.lines) == 2 and taken.unverified == 1 and taken.refused == ()


#: A source: how many of each of three writers' records it has (a prefix of each one's log,
#: as a copy of an office's log taken on some day has), in the order of the writers' names.
sources_strategy = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=4
)


@SLOW
@given(sources_strategy, st.randoms(use_true_random=False))
def test_merge_is_idempotent_and_commutative_for_sources_sharing_records(
    tmp_path_factory: pytest.TempPathFactory, cuts: list[tuple[int, int, int]], rnd: Any
) -> None:
    """Sources that share records byte for byte (copies of offices' logs taken on different
    days): merged in any order, and merged again, the target holds each record once and
    verifies, and every order gives the same records."""
    folder = tmp_path_factory.mktemp("m")
    logs = [
        _office_log(folder / f"{w}.jsonl", w, _events(w, 4)).splitlines(keepends=True)
        for w in ("wa", "wb", "wc")
    ]
    sources = [
        (f"s{n}", b"".join(line for log, k in zip(logs, cut, strict=True) for line in log[:k]))
        for n, cut in enumerate(cuts)
    ]
    expected = {
        f"{w}{i}"
        for cut in cuts
        for w, k in zip(("wa", "wb", "wc"), cut, strict=True)
        for i in range(k)
    }
    outcomes = []
    orders = [sources, sources[::-1], rnd.sample(sources, len(sources))]
    for n, order in enumerate(orders):
        target = folder / f"t{n}.jsonl"
        merge_into(target, order)
        first = target.read_bytes() if target.exists() else b""
        merge_into(target, order[::-1])  # idempotent: nothing more
        assert target.read_bytes() == first
        ids = [e.event_id for e in read_log(target).events]
        assert len(ids) == len(set(ids)) and set(ids) == expected
        assert verify_log(first, "t").problems == ()
        outcomes.append(set(first.splitlines()))
    assert all(o == outcomes[0] for o in outcomes)  # commutative: the same records


def test_attaching_again_repairs_a_damaged_copy_of_the_same_size(tmp_path: Path) -> None:
    """A copy already in the store is kept only when its content is the file's, not merely
    its size: a damaged copy would otherwise stand in for the evidence for good."""
    report = tmp_path / "报告.txt"
    report.write_text("完成率 80%", encoding="utf-8")
    store = tmp_path / "log.jsonl.evidence"
    kept = keep_copy(store, report)
    copy = stored(store, kept.sha256)
    copy.chmod(0o644)
    copy.write_text("完成率 90%", encoding="utf-8")  # damaged in the store, same size
    assert still_matches(kept.path, kept.size, kept.sha256, store) == "copy_changed"
    assert keep_copy(store, report) == kept
    assert copy.read_bytes() == report.read_bytes()
    assert still_matches(kept.path, kept.size, kept.sha256, store) is None
    assert [p.name for p in store.rglob("*") if p.is_file()] == [kept.sha256]  # no temp left


# -- the log file: chains, torn lines, reading in parts -------------------------------------------


def test_a_chain_is_found_from_the_end_across_read_blocks(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    first = append_event(path, FULL[0], writer="mine")
    note = "长" * 300  # each record ~1 KB: the writer's record is many 64 KiB blocks back
    for n in range(200):
        append_event(path, FULL[1]._replace(event_id=f"o{n}", note=note), writer="other")
    assert path.stat().st_size > 3 * (1 << 16)
    second = append_event(path, FULL[0]._replace(event_id="s9"), writer="mine")
    assert second.chain == first.digest != ""
    assert verify_log(path.read_bytes(), str(path)).problems == ()
    with path.open("rb") as handle:
        assert chain_head(handle, "mine") == second.digest
        assert chain_head(handle, "nobody") == ""


def test_a_record_after_a_torn_line_starts_a_line_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    append_event(path, FULL[0], writer="w")
    with path.open("ab") as handle:
        handle.write(b'{"v":1,"event":"cut')  # a write cut short
    append_event(path, FULL[1], writer="w")
    lines = path.read_bytes().split(b"\n")
    assert lines[1] == b'{"v":1,"event":"cut' and lines[-1] == b""
    read = read_log(path)
    assert [e.event_id for e in read.events] == ["s1", "s2"]
    assert [(p.line, p.code) for p in read.warnings] == [(2, "log.bad_line")]
    torn = parse_log(path.read_bytes() + b'{"v":', "log")
    assert [(p.line, p.code) for p in torn.warnings] == [(2, "log.bad_line"), (4, "log.torn")]


def test_a_part_of_a_log_is_read_with_its_own_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    append_decided(path, lambda: FULL[:3], writer="w")
    data = path.read_bytes()
    cut = data.index(b"\n") + 1
    rest = parse_log(b"\xef\xbb\xbf" + data[cut:], "log", first_line=2)
    assert rest.lines == (3,) and [(p.line, p.code) for p in rest.warnings] == [
        (2, "log.bad_line")
    ]  # a BOM inside the file is no BOM: that line is damaged
    whole = parse_log(b"\xef\xbb\xbf" + data, "log")
    assert whole.lines == (1, 2, 3) and whole.warnings == ()
    gaps = parse_log(data.replace(b"\n", b"\n\n  \n"), "log")
    assert gaps.lines == (1, 4, 7)


def test_a_line_too_long_is_reported_as_such(tmp_path: Path) -> None:
    record = event_to_record(FULL[0])
    record["note"] = "x" * (MAX_LINE + 1)
    line = json.dumps(record).encode()
    (problem,) = parse_log(line + b"\n", "log").warnings
    assert problem.code == "log.too_long"
    with pytest.raises(LineError) as caught:
        load_line(b"[" * 100_000)
    assert caught.value.code in ("log.bad_line", "log.too_long")
    assert load_line(b"x" * 0 + b"{}") == {}
    with pytest.raises(LineError) as caught:
        load_line(b"\xff\xfe")
    assert caught.value.code == "log.bad_line"
    assert load_line(b" " * (MAX_LINE - 2) + b"{}") == {}


def test_a_newer_record_stops_the_read_naming_its_line(tmp_path: Path) -> None:
    record = event_to_record(FULL[0])
    record["v"] = LOG_VERSION + 1
    data = json.dumps(event_to_record(FULL[1])).encode() + b"\n" + json.dumps(record).encode()
    with pytest.raises(StateError) as caught:
        parse_log(data, "log.jsonl")
    assert caught.value.code == "state.newer_version"
    assert caught.value.params == {
        "path": "log.jsonl:2",
        "found": LOG_VERSION + 1,
        "supported": LOG_VERSION,
    }


def test_reading_several_logs_counts_a_shared_record_once(tmp_path: Path) -> None:
    one, two = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    append_event(one, FULL[0], writer="w")
    two.write_bytes(one.read_bytes() * 2)  # a git union repeats a line
    append_event(two, FULL[1], writer="w")
    (tmp_path / "c.jsonl").write_bytes(b"junk\n")
    events, warnings = read_logs([one, two, tmp_path / "c.jsonl", tmp_path / "none.jsonl"])
    assert [e.event_id for e in events] == ["s1", "s2"]
    assert [(p.path, p.line) for p in warnings] == [(str(tmp_path / "c.jsonl"), 1)]


def test_what_cannot_be_a_log_is_a_state_error(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: read_bytes(folder), "state.is_dir"),
        (lambda: read_bytes(fifo), "state.not_regular"),
        (lambda: append_event(folder, FULL[0], writer="w"), "state.is_dir"),
        (lambda: append_event(fifo, FULL[0], writer="w"), "state.not_regular"),
        (lambda: append_event(tmp_path / "no" / "l.jsonl", FULL[0], writer="w"), "state.no_folder"),
    ]
    for call, code in cases:
        with pytest.raises(StateError) as caught:
            call()
        assert caught.value.code == code
    made = append_event(tmp_path / "new" / "l.jsonl", FULL[0], writer="w", make_parent=True)
    assert read_log(tmp_path / "new" / "l.jsonl").events[0].digest == made.digest
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(StateError) as caught:
        append_event(blocked / "l.jsonl", FULL[0], writer="w", make_parent=True)
    assert caught.value.code == "state.cannot_write"


def test_one_decision_appends_its_records_chained_in_one_write(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    assert append_decided(path, lambda: [], writer="w") == []
    assert not path.exists() or path.read_bytes() == b""
    written = append_decided(path, lambda: FULL[:3], writer="w")
    assert [e.chain for e in written] == ["", written[0].digest, written[1].digest]
    assert [e.digest for e in read_log(path).events] == [e.digest for e in written]
    more = append_decided(path, lambda: FULL[3:], writer="w")
    assert more[0].chain == written[2].digest
    assert verify_log(path.read_bytes(), str(path)).problems == ()


# -- merge: conflicts, and what was taken in unverified -------------------------------------------


def test_a_conflict_is_the_latest_disagreeing_pair_per_part() -> None:
    def status(eid: str, minutes: int, to: Status, frm: Status, **more: Any) -> Event:
        at = T0 + timedelta(minutes=minutes)
        return Event(eid, at, "5.1.1", to, frm, "c")._replace(**more)

    a = status("a", 0, Status.DONE, Status.TODO, writer="x", digest="ha")
    b = status("b", 1, Status.BLOCKED, Status.TODO, writer="y", digest="hb")
    (found,) = conflicts([b, a])
    assert (found.item, found.stands, found.other, found.office) == ("5.1.1", b, a, "")
    seen = status("b", 1, Status.BLOCKED, Status.DONE, writer="y", digest="hb")
    assert conflicts([a, seen]) == []  # it started from what the other set
    same = status("b", 1, Status.DONE, Status.TODO, writer="y", digest="hb")
    assert conflicts([a, same]) == []  # they agree
    chained = status("b", 1, Status.BLOCKED, Status.TODO, writer="x", chain="ha", digest="hb")
    assert conflicts([a, chained]) == []  # its writer's chain shows it came after
    clock_back = status("b", -1, Status.BLOCKED, Status.TODO, writer="x", digest="hb")
    after = a._replace(chain="hb")
    assert conflicts([after, clock_back]) == []
    parts = [
        a._replace(office="u1"),
        b._replace(office="u2"),
        status("c", 2, Status.DOING, Status.TODO, writer="z", office="u1", digest="hc"),
    ]
    assert [(c.office, c.stands.event_id) for c in conflicts(parts)] == [("u1", "c")]
    other = status("d", 3, Status.DONE, Status.TODO, writer="x")
    assert conflicts([other, other._replace(event_id="e", item="4.1.1")]) == []
    extension = a._replace(event_id="x", kind=EventKind.EXTEND, status=Status.TODO)
    assert conflicts([a, extension]) == []


def test_what_was_taken_in_unverified_is_remembered(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"")
    assert accepted_file(log) == tmp_path / "log.jsonl.accepted"
    assert accepted_ids(log) == frozenset()
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 2))
    record_accepted(log, "a.jsonl", data, "王芳", "2024-01-10T09:00:00+08:00")
    with accepted_file(log).open("ab") as handle:
        handle.write(b"not json\n\n[1]\n" + b'{"events":"a9"}\n{"events":["zz",3]}\n')
    assert accepted_ids(log) == frozenset({"a0", "a1", "zz"})
    (line,) = accepted_file(log).read_text(encoding="utf-8").splitlines()[:1]
    assert line == (
        '{"v":1,"at":"2024-01-10T09:00:00+08:00","by":"王芳","source":"a.jsonl",'
        '"events":["a0","a1"]}'
    )


def test_the_store_names_the_copies_that_are_not_what_their_name_says(tmp_path: Path) -> None:
    store = tmp_path / "a.jsonl.evidence"
    assert store_problems(store) == []  # no store yet
    report = tmp_path / "r.txt"
    report.write_text("报告", encoding="utf-8")
    kept = keep_copy(store, report)
    assert store_problems(store) == []
    damaged = stored(store, kept.sha256)
    damaged.chmod(0o644)
    damaged.write_text("改过", encoding="utf-8")
    (store / "zz").mkdir()
    short = store / "zz" / "abc"  # not a SHA-256 at all
    short.write_text("x")
    upper = store / "AB" / ("AB" * 32)
    upper.parent.mkdir()
    upper.write_text("x")
    (store / "zz" / ".incoming.tmp").write_text("x")  # a copy still being made: not judged
    (store / "zz" / ("0" * 64)).mkdir()  # a folder: not judged
    assert store_problems(store) == sorted([str(damaged), str(short), str(upper)])


def test_copies_are_brought_checked_against_their_names(tmp_path: Path) -> None:
    source, target = tmp_path / "from.evidence", tmp_path / "to.evidence"
    assert bring_copies(source, target) == (0, [])  # no source store
    files = []
    for n, text in enumerate(("一", "二", "三")):
        path = tmp_path / f"{n}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(keep_copy(source, path))
    assert bring_copies(source, source) == (0, [])  # a store into itself: nothing
    bad = stored(source, files[2].sha256)
    bad.chmod(0o644)
    bad.write_text("假", encoding="utf-8")
    (source / "zz").mkdir()
    (source / "zz" / "notasha").write_text("x")
    keep_copy(target, tmp_path / "0.txt")  # the target has the first already
    assert bring_copies(source, target) == (1, [str(bad)])
    assert stored(target, files[1].sha256).read_text(encoding="utf-8") == "二"
    assert not stored(target, files[2].sha256).exists()
    assert sorted(p.name for p in target.rglob("*") if p.is_file()) == sorted(
        [files[0].sha256, files[1].sha256]
    )
    assert bring_copies(source, target) == (0, [str(bad)])  # again: nothing new


def test_what_cannot_be_fingerprinted_is_said(tmp_path: Path) -> None:
    from xixin_cli.errors import UsageError

    for path, code in (
        (tmp_path / "none.txt", "usage.evidence_missing"),
        (tmp_path, "usage.evidence_not_file"),
    ):
        with pytest.raises(UsageError) as caught:
            fingerprint(path)
        assert (caught.value.code, caught.value.params) == (code, {"path": str(path)})
    assert still_matches(str(tmp_path / "none.txt"), 1, "0" * 64, tmp_path / "no-store") == (
        "missing"
    )
    assert file_hash(tmp_path / "none.txt") is None
    assert file_hash(tmp_path) is None


def test_a_write_cut_short_is_taken_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk in the middle of an append leaves the log as it was, and says why."""
    import errno
    import os

    path = tmp_path / "log.jsonl"
    append_event(path, FULL[0], writer="w")
    before = path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 20:
            real_write(fd, data[:20])
            return 20
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(StateError) as caught:
        append_event(path, FULL[1], writer="w")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert caught.value.code == "state.cannot_write"
    assert caught.value.params == {"path": str(path), "reason": "No space left on device"}


def test_a_folder_that_cannot_be_made_is_said_with_the_reason(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(StateError) as caught:
        append_event(blocked / "l.jsonl", FULL[0], writer="w", make_parent=True)
    assert caught.value.params == {"path": str(blocked / "l.jsonl"), "reason": "File exists"}


def test_evidence_that_cannot_be_read_any_more_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xixin_cli.evidence as evidence
    from xixin_cli.errors import UsageError

    report = tmp_path / "r.txt"
    report.write_text("x")
    seen = fingerprint(report)

    def unreadable(path: Path) -> Fingerprint:
        raise UsageError("usage.evidence_unreadable", path=str(path), reason="I/O error")

    monkeypatch.setattr(evidence, "fingerprint", unreadable)
    assert still_matches(seen.path, seen.size, seen.sha256) == "missing"


def test_a_store_that_cannot_be_written_is_an_output_error(tmp_path: Path) -> None:
    from xixin_cli.errors import OutputError

    report = tmp_path / "r.txt"
    report.write_text("报告", encoding="utf-8")
    sha = fingerprint(report).sha256
    in_the_way = tmp_path / "file.evidence"
    in_the_way.write_text("")  # the store's name is taken by a file
    with pytest.raises(OutputError) as caught:
        keep_copy(in_the_way, report)
    assert caught.value.code == "output.cannot_write"
    assert caught.value.params == {"path": str(in_the_way), "reason": "File exists"}
    store = tmp_path / "log.evidence"
    store.mkdir()
    (store / sha[:2]).write_text("")  # where the copy's folder goes
    with pytest.raises(OutputError) as caught:
        keep_copy(store, report)
    assert caught.value.code == "output.cannot_write"
    assert caught.value.params == {"path": str(store), "reason": "File exists"}
    assert [p.name for p in store.iterdir()] == [sha[:2]]  # the half-made copy is gone
    target = tmp_path / "to.evidence"
    target.mkdir()
    (target / sha[:2]).write_text("")
    keep_copy(store.with_name("ok.evidence"), report)
    with pytest.raises(OutputError) as caught:
        bring_copies(store.with_name("ok.evidence"), target)
    assert caught.value.code == "output.cannot_write"
    assert caught.value.params == {"path": str(stored(target, sha)), "reason": "File exists"}


def test_a_file_that_cannot_be_read_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xixin_cli.errors import UsageError

    report = tmp_path / "r.txt"
    report.write_text("x")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "r.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(UsageError) as caught:
        fingerprint(report)
    assert (caught.value.code, caught.value.params) == (
        "usage.evidence_unreadable",
        {"path": str(report), "reason": "Permission denied"},
    )


def test_a_source_named_with_spaces_is_remembered_whole(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"")
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 1))
    record_accepted(log, "乡 党群办 的日志.jsonl", data, "王 芳", "2024-01-10T09:00:00+08:00")
    assert accepted_ids(log) == frozenset({"a0"})


def test_copies_are_brought_past_the_ones_skipped_into_a_new_store(tmp_path: Path) -> None:
    source = tmp_path / "from.evidence"
    kept = []
    for n in range(4):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"材料{n}", encoding="utf-8")
        kept.append(keep_copy(source, path))
    shas = sorted(k.sha256 for k in kept)
    (source / "00").mkdir(exist_ok=True)
    (source / "00" / "notasha").write_text("x")  # sorts first, is skipped
    damaged = stored(source, shas[1])
    damaged.chmod(0o644)
    damaged.write_text("假", encoding="utf-8")
    assert bring_copies(source, source) == (0, [])  # into itself: nothing, not even judged
    target = tmp_path / "deep" / "to.evidence"  # its folder does not exist yet
    assert bring_copies(source, target) == (3, [str(damaged)])
    again = tmp_path / "again.evidence"
    again.mkdir()
    first = next(k for k in kept if k.sha256 == shas[0])
    keep_copy(again, Path(first.path))  # the target has the first already
    stored(again, shas[0]).parent.mkdir(exist_ok=True)
    stored(again, shas[2]).parent.mkdir(exist_ok=True)  # a prefix folder already there
    assert bring_copies(source, again)[1] == [str(damaged)]
    for sha in (shas[0], shas[2], shas[3]):
        assert stored(again, sha).is_file()


def test_a_large_file_is_kept_whole_and_read_only(tmp_path: Path) -> None:
    import hashlib
    import stat

    data = bytes(range(256)) * 9000  # more than two read blocks
    big = tmp_path / "big.bin"
    big.write_bytes(data)
    store = tmp_path / "s.evidence"
    kept = keep_copy(store, big)
    assert (kept.size, kept.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    copy = stored(store, kept.sha256)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o444
    assert keep_copy(store, big) == kept  # the very bytes are there: kept as they are
    assert [p.name for p in store.rglob("*") if p.is_file()] == [kept.sha256]


def test_a_target_starting_with_a_bom_has_its_first_record_already(tmp_path: Path) -> None:
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 2))
    target = tmp_path / "t.jsonl"
    target.write_bytes(b"\xef\xbb\xbf" + data)
    (result,) = merge_into(target, [("a", data)])
    assert (result.lines, result.already, result.collisions) == ((), 2, ())


def test_a_refused_source_says_why_under_its_own_name(tmp_path: Path) -> None:
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 2))
    edited = data.replace(b'"by":"a"', b'"by":"b"', 1) + b'{"v":1,"ev'  # and a torn last line
    incoming = new_records({}, parsed_source("office-a", edited))
    assert incoming.already == 0 and incoming.lines == ()
    assert [(p.path, p.line, p.code) for p in incoming.refused] == [
        ("office-a", 1, "verify.edited")
    ]
    assert [(p.path, p.line, p.code) for p in incoming.warnings] == [("office-a", 3, "log.torn")]
    torn_only = new_records(
        {}, parsed_source("office-a", data + b'{"v":1,"ev')
    )  # a torn line is no tampering
    assert torn_only.refused == () and len(torn_only.lines) == 2
    target = tmp_path / "t.jsonl"
    (taken,) = merge_into(target, [("office-a", edited)], accept_unverified=True)
    assert len(taken.lines) == 2 and taken.unverified == 1


def test_a_conflict_is_seen_through_a_chain_of_several_records() -> None:
    def status(eid: str, minutes: int, item: str, to: Status, frm: Status, **more: Any) -> Event:
        return Event(eid, T0 + timedelta(minutes=minutes), item, to, frm, "c")._replace(**more)

    a = status("a", 0, "5.1.1", Status.DONE, Status.TODO, writer="x", digest="ha")
    middle = status("m", 1, "4.1.1", Status.DOING, Status.TODO, writer="x", chain="ha", digest="hm")
    later = status(
        "b", 2, "5.1.1", Status.BLOCKED, Status.TODO, writer="x", chain="hm", digest="hb"
    )
    assert conflicts([a, middle, later]) == []  # x had seen its own change two records back
    everyone = status("e", 3, "4.1.1", Status.DONE, Status.TODO, writer="y", digest="he")
    unit = status("u", 4, "4.1.1", Status.BLOCKED, Status.TODO, writer="z", office="cun")
    (found,) = conflicts([everyone, unit])
    assert (found.office, found.stands, found.other) == ("cun", unit, everyone)


def test_a_log_line_is_compact_json(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    append_decided(path, lambda: FULL[:2], writer="w")
    append_event(path, FULL[2], writer="w")
    for line in path.read_text(encoding="utf-8").splitlines():
        assert ", " not in line.replace("已组建", "") and '": ' not in line
        assert "王芳" in line or "李四" in line  # not escaped


# -- what an error names, and the corners of reading -----------------------------------------------


def test_an_extension_to_the_first_or_last_year_dates_have_is_read() -> None:
    for day in (date(1900, 1, 1), date(2200, 12, 31)):
        record = event_to_record(FULL[2]._replace(due=day))
        read = parse_log(json.dumps(record).encode() + b"\n", "log")
        assert read.warnings == () and read.events[0].due == day


@pytest.mark.parametrize("tail", [b'{"v":1,"event":"cu', b"XXXX", b"\xff\xfe", b"}"])
def test_a_last_line_cut_short_is_torn_whatever_its_bytes(tail: bytes) -> None:
    data = json.dumps(event_to_record(FULL[0])).encode() + b"\n" + tail
    read = parse_log(data, "log")
    assert [(p.line, p.code) for p in read.warnings] == [(2, "log.torn")]
    assert [e.event_id for e in read.events] == ["s1"]
    whole = parse_log(data + b"\n", "log")  # the same line ended: damaged, not torn
    assert [(p.line, p.code) for p in whole.warnings] == [(2, "log.bad_line")]


def test_a_log_that_cannot_be_read_for_another_reason_says_so(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 300 + ".jsonl")  # too long a name: neither missing nor forbidden
    with pytest.raises(StateError) as caught:
        read_bytes(path)
    assert caught.value.code == "state.unreadable"
    assert caught.value.params["path"] == str(path) and caught.value.params["reason"]


def test_an_append_says_which_folder_is_missing_and_which_path_is_a_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "l.jsonl"
    with pytest.raises(StateError) as caught:
        append_event(missing, FULL[0], writer="w")
    assert (caught.value.code, caught.value.params) == (
        "state.no_folder",
        {"path": str(missing), "folder": str(tmp_path / "no" / "such")},
    )
    folder = tmp_path / "log.jsonl"
    folder.mkdir()
    with pytest.raises(StateError) as caught:
        append_event(folder, FULL[0], writer="w")
    assert (caught.value.code, caught.value.params) == ("state.is_dir", {"path": str(folder)})


def test_an_append_that_waits_too_long_for_the_lock_says_the_log_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer holding the lock past the timeout (made short here): state.locked,
    naming the log, and nothing written."""
    import fcntl
    import os

    from xixin_cli import locking

    real = locking.locked
    monkeypatch.setattr(locking, "locked", lambda path: real(path, timeout=0.2))
    path = tmp_path / "log.jsonl"
    append_event(path, FULL[0], writer="w")
    before = path.read_bytes()
    holder = os.open(path.with_name(path.name + ".lock"), os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(StateError) as caught:
            append_event(path, FULL[1], writer="w")
    finally:
        os.close(holder)
    assert (caught.value.code, caught.value.params) == ("state.locked", {"path": str(path)})
    assert path.read_bytes() == before


def test_the_chain_skips_a_writers_unreadable_last_line(tmp_path: Path) -> None:
    """A torn record of this writer after its last good one: the next record chains to the
    good one, and verify finds the damaged line only, no broken chain."""
    path = tmp_path / "log.jsonl"
    first = append_event(path, FULL[0], writer="mine")
    with path.open("ab") as handle:
        handle.write(b'{"v":1,"writer":"mine","event":"cu')  # a write of "mine" cut short
    second = append_event(path, FULL[1], writer="mine")
    assert second.chain == first.digest != ""
    problems = verify_log(path.read_bytes(), str(path)).problems
    assert [(p.line, p.code) for p in problems] == [(2, "log.bad_line")]


def test_the_evidence_store_is_the_logs_name_with_evidence(tmp_path: Path) -> None:
    from xixin_cli.evidence import store_of

    log = tmp_path / "乡党群办.jsonl"
    assert store_of(log) == tmp_path / "乡党群办.jsonl.evidence"


def test_store_files_whose_names_are_no_sha256_are_skipped_not_refused(tmp_path: Path) -> None:
    source, target = tmp_path / "from.evidence", tmp_path / "to.evidence"
    report = tmp_path / "r.txt"
    report.write_text("报告", encoding="utf-8")
    kept = keep_copy(source, report)
    strays = ["abc", "z" * 64, "X" * 64, "AB" * 32, kept.sha256[:63]]
    (source / "zz").mkdir()
    for name in strays:
        (source / "zz" / name).write_text("x")
    assert bring_copies(source, target) == (1, [])
    assert sorted(p.name for p in target.rglob("*") if p.is_file()) == [kept.sha256]
    assert sorted(store_problems(source)) == sorted(str(source / "zz" / n) for n in strays)


def test_a_copy_that_changes_while_it_is_brought_is_refused_and_the_rest_brought(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    source, target = tmp_path / "from.evidence", tmp_path / "to.evidence"
    kept = []
    for n in range(3):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"材料{n}", encoding="utf-8")
        kept.append(keep_copy(source, path))
    shas = sorted(k.sha256 for k in kept)
    changing = stored(source, shas[0])  # the first brought
    real = shutil.copyfile

    def copy(src: Any, dst: Any, **kwargs: Any) -> Any:
        done = real(src, dst, **kwargs)
        if Path(src) == changing:
            Path(dst).write_text("正在改", encoding="utf-8")  # written to while copied
        return done

    monkeypatch.setattr(shutil, "copyfile", copy)
    assert bring_copies(source, target) == (2, [str(changing)])
    assert sorted(p.name for p in target.rglob("*") if p.is_file()) == shas[1:]  # no half copy


def test_the_hashes_older_versions_wrote_are_the_general_paths_hashes() -> None:
    """A record xixin wrote before is hashed by `record_hash` to the hash it carries (the
    canonical form: sorted keys, no spaces, text as written), whatever path read it."""
    checked = 0
    for log in sorted((Path(__file__).parent / "data").rglob("*.jsonl")):
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if "hash" in record:
                assert record_hash(record) == record["hash"], (log.name, line)
                checked += 1
    assert checked >= 10


def test_a_line_longer_than_a_piece_is_read_whole(tmp_path: Path) -> None:
    """The log is read a piece at a time; a line longer than a piece is kept until its end,
    and a last line without its newline comes last, as it is."""
    from io import BytesIO

    from xixin_cli.status_log import pieces

    data = b"abcdefghij\nkl\nmnopqrstuvw\nxyz"
    found = list(pieces(BytesIO(data), size=4))
    assert b"".join(found) == data
    assert all(piece.endswith(b"\n") for piece in found[:-1])
    assert found[-1] == b"xyz"
    assert b"abcdefghij\n" in found


def test_a_hash_that_is_no_text_is_no_chain_head(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    log.write_text(json.dumps({"v": 1, "event": "e", "writer": "w", "hash": 5}) + "\n")
    with log.open("rb") as handle:
        assert chain_head(handle, "w") == ""


@pytest.mark.parametrize(
    ("error", "code"), [(PermissionError, "state.no_permission"), (OSError, "state.unreadable")]
)
def test_a_log_that_cannot_be_opened_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[OSError], code: str
) -> None:
    from xixin_cli.errors import StateError
    from xixin_cli.status_log import open_log

    log = tmp_path / "s.jsonl"
    log.write_text("")

    def refuse(*_: object, **__: object) -> None:
        raise error("no")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(StateError) as caught:
        open_log(log)
    assert (caught.value.code, caught.value.params["path"]) == (code, str(log))
