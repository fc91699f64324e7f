"""`status_log.plain_signed` reads a piece of a log for `verify --full` without the JSON parser
or the line's regular expression: for every line it reads (a plain one), what it gives is what
`read_signed` gives of that line, field for field and hash for hash, whatever the line holds;
and it does read the lines xixin writes, so the fast loop is taken, not only right when it is.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xixin_cli import status_log
from xixin_cli.status_log import LineError, plain_signed, read_signed, record_hash

#: Text that a hostile or hand-edited line may hold: quotes, backslashes, control characters,
#: percent signs (the canonical form is a %-template), Chinese, a BOM.
texts = st.text(
    st.characters(codec="utf-8") | st.sampled_from('"\\\n\r\t\x00\x1f\x7f%\ufeff\u2028中:,{}'),
    max_size=10,
)
#: Text a value of a plain line may hold (anything but a quote, a backslash, a control character).
plain_texts = st.text(
    st.characters(codec="utf-8", min_codepoint=32, exclude_characters='"\\') | st.just("%"),
    max_size=10,
)
keys = st.sampled_from(["v", "event", "writer", "chain", "hash", "at", "by", "note", "%s"]) | texts
values = st.none() | st.booleans() | st.integers(-2, 9) | texts | st.lists(st.integers())


def _read(raw: bytes) -> tuple[object, ...] | None:
    """What `read_signed` reads of a signed line (fields and hash); None for anything else."""
    try:
        found = read_signed(raw)
    except LineError:
        return None
    if found is None:
        return None
    fields = (found.version, found.event, found.writer, found.chain, found.digest)
    if not all(isinstance(value, str) for value in fields[1:]):
        return None
    return (*fields, found.hashed())


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record as xixin writes it (signed, text values), often changed: keys added, removed
    or renamed, values of another type, the format another number or not first."""
    record: dict[str, Any] = {"v": draw(st.integers(1, 5))}
    for key in ("event", "at", "item", "status", "previous", "by", "note", "writer", "chain"):
        record[key] = draw(plain_texts | st.text("0123456789abcdef", max_size=8))
    record["hash"] = record_hash(record)
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.sampled_from(["value", "drop", "add", "first", "plain"]))
        key = draw(st.sampled_from(sorted(record)))
        if change == "value":
            record[key] = draw(values)
        elif change == "drop":
            record.pop(key)
        elif change == "plain":
            record[draw(plain_texts)] = draw(plain_texts)
        elif change == "add":
            record[draw(keys)] = draw(values)
        else:  # `v` elsewhere than first
            record = {key: record.pop(key), **record}
    return record


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    """A record's line as `append_event` lays it out, or changed byte-wise: a space, a key
    twice, a bad byte, a carriage return, cut short, a BOM."""
    raw = json.dumps(draw(records()), ensure_ascii=False, separators=(",", ":")).encode()
    change = draw(st.sampled_from(["none", "none", "space", "twice", "byte", "cr", "cut", "bom"]))
    at = draw(st.integers(0, max(0, len(raw) - 1)))
    if change == "space":
        raw = raw.replace(b'","', b'", "', 1) if at % 2 else raw.replace(b":", b": ", 1)
    elif change == "twice":  # the last of a key twice is what the JSON parser keeps
        raw = raw[:-1] + b',"event":"other"}' if at % 2 else raw.replace(b'{"v":', b'{"v":9,"v":')
    elif change == "byte":
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xed\xa0\x80", b"\xc0\xaf"])) + raw[at:]
    elif change == "cr":
        raw += b"\r"
    elif change == "cut":
        raw = raw[:at]
    elif change == "bom":
        raw = b"\xef\xbb\xbf" + raw
    return raw


@settings(max_examples=800, deadline=None)
@given(st.lists(lines(), max_size=4))
@example([b'{"v":1,"event":"e","writer":"w","chain":"","hash":"h","%s":"x"}'])
@example([b'{"v":1,"event":"e","writer":"w","chain":"","hash":"h","v":"x"}'])
@example([b'{"v"', b""])  # a line of three parts and no key, then one of one part
@example([b'{"v":6,"event":"e","writer":"w","chain":"","hash":"h"}'])
@example([b'{"v":1,"event":"e","writer":"w","chain":"","hash":"h","n":1}'])
def test_a_plain_line_reads_as_read_signed_reads_it(raws: list[bytes]) -> None:
    """Lines read a piece at a time: a bad byte or a control character in one line sends the
    piece's lines through the careful check, and the others are still read."""
    piece = b"\n".join(raws) + b"\n"
    lines, plains = plain_signed(piece)
    assert lines == piece.split(b"\n")
    for raw, plain in zip(lines, plains, strict=True):
        if plain is not None:
            assert plain == _read(raw), raw


@settings(max_examples=300, deadline=None)
@given(records())
def test_a_signed_record_with_only_text_values_is_read_plain(record: dict[str, Any]) -> None:
    raw = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    [plain, _] = plain_signed(raw + b"\n")[1]
    values = list(record.values())
    readable = (
        next(iter(record)) == "v"
        and type(record["v"]) is int
        and 1 <= record["v"] <= status_log.LOG_VERSION
        and all(isinstance(value, str) for value in values[1:])
        and {"event", "writer", "chain", "hash"} <= set(record)
        and not any(c in raw for c in b"\\\x00\x01\x1f\t\r")
        and not any(ord(c) < 32 for key in record for c in key)
    )
    if readable:
        assert plain is not None and plain == _read(raw)


def test_a_log_as_xixin_writes_it_is_read_plain(tmp_path: Any) -> None:
    from datetime import datetime, timedelta, timezone

    from xixin_cli.model import Event, Status
    from xixin_cli.status_log import append_event

    path = tmp_path / "log.jsonl"
    at = datetime(2023, 1, 1, 8, tzinfo=timezone(timedelta(hours=8)))
    for n in range(3):
        event = Event(f"e{n}", at, "1.1", Status.DONE, Status.TODO, "办事员", note="佐证 100%")
        append_event(path, event, writer="w1")
    lines, plains = plain_signed(path.read_bytes())
    assert [plain is not None for plain in plains] == [True, True, True, False]
    assert plains[:3] == [_read(raw) for raw in lines[:3]]


def test_a_hostile_log_of_ever_new_keys_keeps_few_forms() -> None:
    piece = b"".join(
        b'{"v":1,"event":"e","writer":"w","chain":"","hash":"h","k%d":""}\n' % n
        for n in range(1000)
    )
    plains = plain_signed(piece)[1]
    assert len(status_log._PLAIN_FORMS) <= 256
    assert all(
        plain == _read(raw) for raw, plain in zip(piece.split(b"\n"), plains, strict=True) if plain
    )


def test_lines_with_a_number_add_no_form_and_leave_room_for_those_that_are_plain() -> None:
    """An evidence record has a number (`size`): split at its quotes, its parts after it are
    no keys, new on every line; they are not taken for a form, and the forms stay few."""
    status_log._PLAIN_FORMS.clear()
    piece = b"".join(
        b'{"v":2,"event":"e%d","writer":"w","chain":"","size":%d,"sha256":"%064d","hash":"h"}\n'
        % (n, n, n)
        for n in range(300)
    )
    plains = plain_signed(piece)[1]
    assert plains == [None] * 301
    assert len(status_log._PLAIN_FORMS) == 0


def test_a_line_too_long_is_not_read_plain_and_verify_full_says_so_as_a_whole_read(
    tmp_path: Any,
) -> None:
    from xixin_cli import verified
    from xixin_cli.checks import verify_log

    record = {"v": 1, "event": "e", "writer": "w", "chain": "", "note": "x" * status_log.MAX_LINE}
    record["hash"] = record_hash(record)
    raw = json.dumps(record, separators=(",", ":")).encode()
    assert plain_signed(raw + b"\n")[1] == [None, None]
    path = tmp_path / "log.jsonl"
    path.write_bytes(raw + b"\n")
    with path.open("rb") as handle:
        found = verified._verify_all(handle, str(path))
    truth = verify_log(path.read_bytes(), str(path))
    assert [p.code for p in found.problems] == [p.code for p in truth.problems] == ["log.too_long"]
