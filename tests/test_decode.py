"""The fast path of reading a log line gives exactly what the general path gives.

`status_log` reads a line laid out as xixin writes it with one regular expression instead of
the JSON parser and `event_from_record`, and `verify` hashes it from the line's own text. These
properties hold both to the general path for any line: the same event, the same refusal (the
same exception and field), the same record hash, the same time (offset and zone object too).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xixin_cli import status_log
from xixin_cli.errors import Problem, StateError
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.status_log import (
    LineError,
    LogRead,
    decode_line,
    event_from_record,
    event_to_record,
    load_line,
    parse_log,
    read_signed,
    record_hash,
)

#: Text that can need escaping in JSON: quotes, backslashes, control characters, Chinese.
texts = st.text(
    st.characters(codec="utf-8") | st.sampled_from('"\\\n\r\t\x00\x1f\x7f\u3000\u2028中'),
    max_size=12,
)
zones = st.sampled_from(
    [
        timezone.utc,
        timezone(timedelta(hours=8)),
        timezone(timedelta(hours=-5, minutes=-30)),
        timezone(timedelta(hours=8, seconds=30)),  # written as +08:00:30: the general path
    ]
)
moments = st.builds(
    lambda at, zone, micro: at.replace(tzinfo=zone, microsecond=micro),
    st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(2210, 12, 31)),
    zones,
    st.sampled_from([0, 1, 123456, 999999]),
)
days = st.dates(min_value=date(1890, 1, 1), max_value=date(2210, 12, 31))
ids = st.text("0123456789abcdef", min_size=1, max_size=32) | texts

events = st.builds(
    Event,
    event_id=ids,
    at=moments,
    item=ids,
    status=st.sampled_from(Status),
    previous=st.sampled_from(Status),
    by=texts,
    note=texts,
    undoes=st.none() | ids,
    writer=st.just("") | ids,
    chain=st.just("") | ids,
    digest=st.just("") | ids,
    kind=st.sampled_from(EventKind),
    due=st.none() | days,
    path=st.just("") | texts,
    size=st.integers(min_value=-1, max_value=10**20),
    sha256=st.just("") | ids,
    office=st.just("") | texts,
    on=st.none() | days,
    progress=st.just("") | texts,
    problems=st.just("") | texts,
    next=st.just("") | texts,
)

#: Any JSON value a hand-edited or hostile line might put in a field.
values = st.none() | st.booleans() | st.integers() | st.floats() | texts | st.lists(st.integers())


def _line(record: dict[str, Any]) -> bytes:
    """The record as `append_event` lays it out."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    """A line as xixin writes it, often changed: a field given another value or text, removed,
    the format number changed, or the time written in another form."""
    record = event_to_record(draw(events))
    if draw(st.booleans()):
        record["hash"] = record_hash(record)
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*record, "kind", "due", "size", "on", "undoes", "office"]))
        change = draw(st.sampled_from(["value", "drop", "text"]))
        if change == "drop":
            record.pop(key, None)
        elif change == "value":
            record[key] = draw(values)
        else:
            record[key] = draw(st.text("0123456789-:T.+Z ", max_size=34) | st.just(""))
    if draw(st.booleans()):
        record["v"] = draw(st.integers(-1, 7))
    if draw(st.booleans()) and isinstance(record.get("at"), str):
        record["at"] = draw(at_texts)
    return _line(record)


#: Times near the form xixin writes, and the other forms `datetime.fromisoformat` reads.
at_texts = st.from_regex(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}(:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?)?"
    r"([+-][0-9]{2}(:?[0-9]{2}(:[0-9]{2})?)?|Z)?\Z"
) | st.text("0123456789-:T.+Z", max_size=34)


def _outcome(read: Callable[[bytes], Event], raw: bytes) -> tuple[object, ...]:
    """What a reader makes of a line: its event (with the time's exact text and zone object),
    or the refusal."""
    try:
        found = read(raw)
    except LineError as bad:
        return ("line", bad.code)
    except status_log._BadRecord as bad:
        return ("bad", bad.field)
    except status_log._NewerRecord as newer:
        return ("newer", newer.version)
    return ("event", found, found.at.isoformat(), id(found.at.tzinfo))


def _general(raw: bytes) -> tuple[object, ...]:
    """The general path: the JSON parser, then the record's fields one by one."""
    return _outcome(lambda line: event_from_record(load_line(line)), raw)


def _decoded(raw: bytes) -> tuple[object, ...]:
    """The reader every log goes through (the fast path first)."""
    return _outcome(decode_line, raw)


@settings(max_examples=600, deadline=None)
@given(lines())
@example(b'{"v":4,"event":"e","at":"2023-01-01T08:00:00+08:00","item":"1","kind":"extend",'
         b'"by":"","note":""}')  # fmt: skip
@example(b'{"v":3,"event":"e","at":"2023-01-01T08:00:00+08:00","item":"1","kind":"extend",'
         b'"due":null,"by":"","note":""}')  # fmt: skip
@example(b'{"v":1,"event":"e","at":"2023-01-01T08:60:00+08:00","item":"1","status":"done",'
         b'"previous":"todo","by":"","note":""}')  # fmt: skip
@example(b'{"v":4,"event":"e","at":"2023-01-01T08:00:00+08:00","item":"1","status":"done",'
         b'"previous":"todo","by":"","note":"","progress":"p","problems":"",'
         b'"next":""}')  # fmt: skip
def test_a_line_reads_as_the_general_path_reads_it(raw: bytes) -> None:
    assert _decoded(raw) == _general(raw)


@settings(max_examples=300, deadline=None)
@given(events)
def test_every_line_xixin_writes_in_todays_form_takes_the_fast_path(event: Event) -> None:
    record = event_to_record(event)
    record["hash"] = record_hash(record)
    raw = _line(record)
    general = _general(raw)
    fast = status_log._fast_event(raw.decode())
    if fast is not None:
        assert ("event", fast, fast.at.isoformat(), id(fast.at.tzinfo)) == general
    plain = all(
        isinstance(value, int) or ('"' not in value and "\\" not in value and value.isprintable())
        for value in record.values()
        if value is not None
    )
    written = event.at.utcoffset() in (timedelta(hours=8), timedelta(0), timedelta(hours=-5.5))
    if general[0] == "event" and plain and written and event.at.microsecond in (0, 123456):
        assert fast is not None  # the fast path is taken, not only correct when it is


def _signed_general(raw: bytes) -> tuple[object, ...]:
    """What verify read of a line before the fast path: the JSON record's fields."""
    try:
        record = load_line(raw)
    except LineError as bad:
        return ("line", bad.code)
    if not isinstance(record, dict) or not isinstance(record.get("v"), int):
        return ("not a record",)
    fields = tuple(record.get(key) for key in ("v", "event", "writer", "chain", "hash"))
    signed = all(isinstance(value, str) for value in fields[2:])
    return ("record", *fields, record_hash(record) if signed else None)


@settings(max_examples=600, deadline=None)
@given(lines())
def test_verify_reads_a_line_and_its_hash_as_the_general_path(raw: bytes) -> None:
    try:
        found = read_signed(raw)
    except LineError as bad:
        assert _signed_general(raw) == ("line", bad.code)
        return
    if found is None:
        assert _signed_general(raw) == ("not a record",)
        return
    fields = (found.version, found.event, found.writer, found.chain, found.digest)
    signed = all(isinstance(value, str) for value in fields[2:])
    assert ("record", *fields, found.hashed() if signed else None) == _signed_general(raw)
    assert type(found.version) is type(json.loads(raw)["v"])  # True is not 1 here either


@settings(max_examples=1000, deadline=None)
@given(at_texts)
@example("2023-01-01T08:01:51+08:00")
@example("2023-01-01T08:01:51.000001-05:30")
@example("2023-01-01T24:00:00+08:00")
@example("1899-12-31T23:59:59+08:00")
@example("2200-12-31T23:59:59+00:00")
@example("2023-01-01T08:01:51-00:00")
@example("2023-01-01T08:01:51.12345Z+08:00")
def test_a_time_reads_as_the_general_path_reads_it(text: str) -> None:
    try:
        general = status_log._parse_at(text)
    except status_log._BadRecord:
        assert status_log._fast_at(text) is None
        return
    fast = status_log._fast_at(text)
    if fast is not None:
        assert (fast, fast.isoformat(), fast.tzinfo) == (
            general,
            general.isoformat(),
            general.tzinfo,
        )
        assert fast.tzinfo is general.tzinfo  # one zone object per offset, as the cache wants


def test_the_hours_remembered_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status_log, "_HOURS", {})
    for hour in range(24 * 365 * 12):  # twelve years of hours, each new
        at = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(hours=hour)
        assert status_log._fast_at(at.isoformat()) == at
    assert 0 < len(status_log._HOURS) <= 30_000


def test_records_of_one_item_writer_and_unit_share_their_strings() -> None:
    """A fold at county scale keeps 60,000 events: each item, recorder, writer and unit is one
    string in memory (and once in the fold's pickle), not one a record."""

    def line(n: int) -> str:
        event = Event(
            f"{n:032x}",
            datetime(2022, 11, 20, 9, tzinfo=timezone(timedelta(hours=8))),
            "4." + "6.1",  # each made at run time: not a constant the compiler shares
            Status.DOING,
            Status.TODO,
            "办事" + "员",
            writer="w" + "1",
            office="dang" + "zheng",
        )
        record = event_to_record(event)
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

    data = "\n".join(line(n) for n in range(2)).encode() + b"\n"
    one, two = parse_log(data, "log").events
    assert one.event_id != two.event_id
    for field in ("item", "by", "office", "writer"):
        assert getattr(one, field) is getattr(two, field), field


def _line_by_line(data: bytes, name: str, first_line: int) -> LogRead:
    """`parse_log` as it read before it decoded a piece at once: each line's bytes alone."""
    events, warnings, numbers = [], [], []
    if first_line == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    torn = bool(lines) and lines[-1] != b""
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        try:
            events.append(decode_line(raw))
            numbers.append(number)
        except LineError as bad:
            last = number == first_line + len(lines) - 1 and torn and bad.code == "log.bad_line"
            warnings.append(Problem(name, number, None, "log.torn" if last else bad.code))
        except status_log._NewerRecord as exc:
            found = exc.version
            raise StateError("state.newer_version", path=f"{name}:{number}", found=found) from None
        except status_log._BadRecord as exc:
            warnings.append(Problem(name, number, exc.field, "log.bad_record"))
    return LogRead(tuple(events), tuple(warnings), tuple(numbers))


def _what_is_read(read: Callable[[], LogRead]) -> tuple[object, ...]:
    """A read's events with their line numbers and its warnings as (path, line, key, code,
    values); or where a newer record stopped it."""
    try:
        found = read()
    except StateError as stop:
        return ("stop", stop.code, stop.params["path"], stop.params["found"])
    problems = [(p.path, p.line, p.key, p.code, p.params) for p in found.warnings]
    return (found.events, found.lines, problems)


#: Lines of every kind a log can hold: xixin's own (changed or not), blank ones, ones that
#: only look blank (an ideographic space is no space to the reader), bytes that are no UTF-8,
#: a BOM, a carriage return, text that is no JSON, a line longer than a line may be.
log_lines = (
    lines()
    | st.sampled_from(
        [
            b"",
            b"  \t",
            "\u3000".encode(),
            b"\xff\xfe",
            b"\xef\xbb\xbf",
            b"not json",
            b'{"v":1}',
            "中文".encode(),
            b"\x80abc",
        ]
    )
    | lines().map(lambda raw: raw + b"\r")
    | lines().map(lambda raw: raw[:-1] + b" " * (status_log.MAX_LINE // 4) + b"}")
    | events.map(  # fewer characters than MAX_LINE, more bytes: too long all the same
        lambda e: _line(event_to_record(e._replace(note="中" * (status_log.MAX_LINE // 3))))
    )
    | lines().map(lambda raw: raw[: len(raw) // 2])
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(log_lines, max_size=8),
    st.booleans(),
    st.booleans(),
    st.sampled_from([1, 2, 57]),
)
def test_a_log_reads_as_it_reads_line_by_line(
    found: list[bytes], bom: bool, newline_at_end: bool, first_line: int
) -> None:
    """Reading a piece at once (decoded whole when it can be) gives exactly the events,
    numbers and warnings that reading each line's bytes alone gives."""
    data = (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(found)
    if newline_at_end and found:
        data += b"\n"
    assert _what_is_read(lambda: parse_log(data, "log", first_line)) == _what_is_read(
        lambda: _line_by_line(data, "log", first_line)
    )
