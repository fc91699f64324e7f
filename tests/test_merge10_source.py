"""A merge's source is checked by `verify --full`'s way over its bytes (verified.verify_data),
held here to the reference, `checks.verify_log`: the same problems, in the same order, and so
the same refusal, for hostile sources of every kind (edited lines, broken chains, BOMs, CRs,
torn lines, duplicate ids, bad bytes, other layouts, keys whose hash() collides)."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xixin_cli import merge, verified
from xixin_cli.checks import verify_log
from xixin_cli.errors import Problem, StateError
from xixin_cli.merge import Incoming, new_records, parsed_source, source_problems
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.status_log import event_to_record, parse_log, record_hash

CHINA = timezone(timedelta(hours=8))
START = datetime(2022, 11, 1, 9, tzinfo=CHINA)


def _line(record: dict[str, object]) -> bytes:
    import json

    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _signed_lines(specs: list[tuple[str, str, int]]) -> list[bytes]:
    """Lines of a well-made log of (writer, item, kind) records, each chained to its writer's
    last, laid out as xixin writes them (kind 0 a status change, 1 an extension, 2 a unit's)."""
    heads: dict[str, str] = {}
    lines = []
    for n, (writer, item, kind) in enumerate(specs):
        at = START + timedelta(minutes=n, microseconds=n % 3)
        eid = f"e{n:03d}"
        if kind == 1:
            due = (START + timedelta(days=n)).date()
            event = Event(
                eid, at, item, Status.TODO, Status.TODO, "李", kind=EventKind.EXTEND, due=due
            )
        else:
            unit = "镇" if kind == 2 else ""
            event = Event(eid, at, item, Status.DOING, Status.TODO, "x", "进展", office=unit)
        record = event_to_record(event)
        record.update(writer=writer, chain=heads.get(writer, ""))
        record["hash"] = heads[writer] = record_hash(record)
        lines.append(_line(record))
    return lines


#: What is done to a well-made log's lines: a kind, and where (modulo the lines).
OPS = [
    *("repeat", "collide", "forge", "edit", "drop", "move", "unsign", "garbage", "blank"),
    *("tear", "badbyte", "spaced", "cr", "newer", "escape", "nohash", "deep", "array"),
    *("long", "midbom"),
]
changes = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(min_value=0), st.integers(min_value=0)),
    max_size=8,
)


def _changed(lines: list[bytes], ops: list[tuple[str, int, int]]) -> bytes:
    lines = list(lines)
    tail = b""
    for kind, at, to in ops:
        if not lines:
            break
        where = at % len(lines)
        line = lines[where]
        if kind == "repeat":  # a git union's copy
            lines.insert(to % (len(lines) + 1), line)
        elif kind == "collide":  # another record under a used id
            lines.append(line.replace(b'"by":"', b'"by":"y', 1))
        elif kind == "forge":  # another id with a copy's writer and hash
            lines.insert(to % (len(lines) + 1), line.replace(b'"event":"e', b'"event":"f'))
        elif kind == "edit":  # a field changed, its hash not
            lines[where] = line.replace(b'"note":"', b'"note":"z', 1)
        elif kind == "drop":
            del lines[where]
        elif kind == "move":
            lines.insert(to % len(lines), lines.pop(where))
        elif kind == "unsign":  # no chain: not signed
            lines[where] = line.replace(b'"chain":', b'"link":')
        elif kind == "garbage":
            lines.insert(to % (len(lines) + 1), b'{"v":"x"}' if at % 2 else b"not json")
        elif kind == "badbyte":  # not UTF-8
            lines[where] = line.replace(b'"by":"', b'"by":"\xff', 1)
        elif kind == "spaced":  # a signed record in another layout: read by the JSON parser
            lines[where] = line.replace(b'","', b'", "', 1)
        elif kind == "cr":  # a Windows line end
            lines[where] = line + b"\r"
        elif kind == "newer":  # a record of a format this version does not know
            lines[where] = line.replace(b'{"v":', b'{"v":9', 1)
        elif kind == "escape":  # a text value with an escape: not plain, the same record
            lines[where] = line.replace(b'"by":"x"', b'"by":"\\u0078"')
        elif kind == "nohash":
            lines[where] = line.replace(b'"hash":', b'"hsh":')
        elif kind == "deep":
            lines.insert(to % (len(lines) + 1), b"[" * 1000)
        elif kind == "array":  # JSON, but not a record
            lines.insert(to % (len(lines) + 1), b'[{"v":1}]' if at % 2 else b'{"v":1.5}')
        elif kind == "long":  # over MAX_LINE: one bad line, never parsed
            lines.insert(to % (len(lines) + 1), line[:-1] + b',"x":"' + b"y" * (64 << 10) + b'"}')
        elif kind == "midbom":  # a BOM that does not lead the file: part of its line
            lines[where] = b"\xef\xbb\xbf" + line
        elif kind == "blank":
            lines.insert(to % (len(lines) + 1), b" \t\r" if at % 2 else b"")
        else:  # the last line cut short, without its newline
            tail = line[: to % len(line)] if line else b"{"
    return b"\n".join(lines) + b"\n" + tail if lines else tail


def _problems(found: object) -> list[tuple[object, ...]]:
    return [(p.line, p.key, p.code, p.params) for p in found]  # type: ignore[attr-defined]


def _refusing(name: str, data: bytes) -> tuple[Problem, ...]:
    """What a merge refused a source for before verify_data: verify_log's problems, filtered."""
    found = verify_log(data, name).problems
    return tuple(p for p in found if p.code.startswith("verify.") and p.code != "verify.newer")


def _reference(name: str, data: bytes) -> list[tuple[object, ...]]:
    return _problems(_refusing(name, data))


writers = st.sampled_from(["w1", "w2", "w3"])
specs = st.lists(
    st.tuples(writers, st.sampled_from(["1.1", "2.1"]), st.sampled_from([0, 0, 1, 2])), max_size=10
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs, changes, st.sampled_from([None, None, 0, 1, 3]), st.booleans())
@example([("w1", "1.1", 0)] * 3, [("repeat", 1, 9), ("collide", 2, 0)], 0, False)
@example([("w1", "1.1", 0), ("w2", "2.1", 0)], [("move", 0, 1), ("unsign", 0, 0)], 0, True)
@example([("w1", "1.1", 0)] * 3, [("forge", 0, 1), ("move", 3, 2), ("unsign", 0, 0)], 1, False)
@example([("w1", "1.1", 0)] * 2, [("cr", 0, 0), ("repeat", 0, 2)], None, True)
@example([("w1", "1.1", 0)] * 2, [("tear", 1, 30)], None, False)
def test_a_sources_problems_are_verify_logs_whatever_it_holds(
    lines: list[tuple[str, str, int]], ops: list[tuple[str, int, int]], mask: int | None, bom: bool
) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + _changed(_signed_lines(lines), ops)
    truth = verify_log(data, "src")
    if mask is not None:  # every key's hash() one of a few: keys collide, and are told apart
        verified.hash = lambda key: builtins.hash(key) & mask  # type: ignore[attr-defined]
    try:
        found = verified.verify_data(data, "src")
        refused = source_problems("src", data)
    finally:
        vars(verified).pop("hash", None)
    assert (found.records, found.writers, found.repeated) == (
        truth.records,
        truth.writers,
        truth.repeated,
    )
    assert _problems(found.problems) == _problems(truth.problems)
    assert _problems(refused) == _reference("src", data)


@settings(max_examples=100, deadline=None)
@given(specs, changes, st.booleans(), st.booleans())
def test_a_source_brings_what_it_brought_when_verify_log_judged_it(
    lines: list[tuple[str, str, int]], ops: list[tuple[str, int, int]], bom: bool, accept: bool
) -> None:
    """What a merge takes of a hostile source (its lines, collisions, refusal) is what it took
    when the source was judged by verify_log."""
    data = (b"\xef\xbb\xbf" if bom else b"") + _changed(_signed_lines(lines), ops)
    try:
        source = parsed_source("src", data)
    except Exception as exc:  # a record of a newer format: refused before anything is read
        assert type(exc).__name__ == "StateError"
        return
    assert _problems(source.refused) == _reference("src", data)
    before = source._replace(refused=_refusing("src", data))
    got = new_records({}, source, accept_unverified=accept)
    want = new_records({}, before, accept_unverified=accept)
    assert _taken(got) == _taken(want)


def _taken(found: Incoming) -> tuple[object, ...]:
    """An Incoming as values (a Problem compares by identity)."""
    problems = (found.warnings, found.refused, found.collisions)
    return (found.lines, found.already, found.unverified, found.events, *map(_problems, problems))


def test_a_plain_sources_refusal_names_the_edited_line(tmp_path: Path) -> None:
    lines = _signed_lines([("w1", "1.1", 0), ("w1", "1.1", 0), ("w2", "2.1", 2)])
    data = _changed(lines, [("edit", 1, 0)])
    assert [(p.line, p.code) for p in source_problems("src", data)] == [(2, "verify.edited")]
    assert source_problems("src", b"\n".join(lines) + b"\n") == ()


def _read_whole(data: bytes) -> tuple[object, ...]:
    """What parsed_source gave before it read a piece at a time: one parse of the whole."""
    read = parse_log(data, "src")
    raw_lines = data.split(b"\n")
    entries = tuple(
        (number, raw_lines[number - 1], event.event_id)
        for number, event in zip(read.lines, read.events, strict=True)
    )
    return entries, _problems(read.warnings), read.events


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs, changes, st.booleans(), st.sampled_from([1, 2, 60, 333, 1 << 20]))
@example([("w1", "1.1", 0)] * 3, [("tear", 2, 40), ("badbyte", 0, 0)], True, 60)
@example([("w1", "1.1", 0)] * 2, [("midbom", 1, 0), ("long", 0, 1)], True, 333)
@example([("w1", "1.1", 0)] * 3, [("newer", 2, 0), ("edit", 0, 0)], False, 1)
def test_a_source_read_a_piece_at_a_time_reads_as_the_whole_of_it(
    lines: list[tuple[str, str, int]], ops: list[tuple[str, int, int]], bom: bool, piece: int
) -> None:
    """Its events, its lines as they are, the lines skipped and a newer record's refusal
    are those of one parse of the whole source, wherever its pieces end."""
    data = (b"\xef\xbb\xbf" if bom else b"") + _changed(_signed_lines(lines), ops)
    try:
        truth: tuple[object, ...] | str = _read_whole(data)
    except StateError as refused:
        truth = repr((refused.code, refused.params))
    real = merge._SOURCE_PIECE
    merge._SOURCE_PIECE = piece
    try:
        source = parsed_source("src", data)
        found: tuple[object, ...] | str = (
            source.entries,
            _problems(source.warnings),
            source.events,
        )
    except StateError as refused:
        found = repr((refused.code, refused.params))
    finally:
        merge._SOURCE_PIECE = real
    assert found == truth
    if not isinstance(found, str):
        assert source.data is data and source.digest == merge._sha256(data)


def test_the_pieces_a_source_is_read_in_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """No piece of more than _SOURCE_PIECE (and a line) is decoded at once."""
    data = b"\n".join(_signed_lines([("w1", "1.1", 0)] * 40)) + b"\n"
    sizes: list[int] = []
    real = parse_log

    def counted(piece: bytes, name: str, first_line: int = 1) -> object:
        sizes.append(len(piece))
        return real(piece, name, first_line)

    monkeypatch.setattr(merge, "parse_log", counted)
    monkeypatch.setattr(merge, "_SOURCE_PIECE", 2000)
    source = parsed_source("src", data)
    assert len(source.events or ()) == 40 and len(sizes) > 1
    assert max(sizes) < 2000 + 600 and sum(sizes) == len(data)
