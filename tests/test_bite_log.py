"""Tests that bite (issue #22): the log's integrity — a record's hash covers every field, evidence
is compared by content, merging takes each shared record once, in any order, however often."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli.checks import verify_log
from xixin_cli.evidence import Fingerprint, fingerprint, keep_copy, still_matches, stored
from xixin_cli.merge import merge_into, new_records
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.status_log import (
    append_event,
    event_from_record,
    event_to_record,
    parse_log,
    read_log,
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
    data = _office_log(tmp_path / "a.jsonl", "wa", _events("a", 1))
    known = {"a0": b"something else"}
    incoming = new_records(known, "a", data)
    assert incoming.lines == () and incoming.already == 0
    assert [(p.line, p.key, p.code) for p in incoming.collisions] == [
        (1, "event", "merge.collision")
    ]
    assert known == {"a0": b"something else"}  # the target's record stands


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
    refused = new_records(known, "a", edited)
    assert refused.lines == () and refused.refused and known == {}
    assert refused.refused[0].code == "verify.edited"
    taken = new_records(known, "a", edited, accept_unverified=True)
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
