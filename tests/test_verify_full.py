"""`verify --full` keeps what it knows of the lines before in memory, each key as its 64-bit
`hash()` (verified._Memory): whatever collides, its answers are those of a whole-file read."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xixin_cli import verified
from xixin_cli.checks import verify_log
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event

CHINA = timezone(timedelta(hours=8))
START = datetime(2022, 11, 1, 9, tzinfo=CHINA)


def problems(found: object) -> list[tuple[object, ...]]:
    return [(p.line, p.key, p.code, p.params) for p in found]  # type: ignore[attr-defined]


def _log(path: Path, records: list[tuple[str, str]]) -> list[bytes]:
    """A log of these (writer, item) records, each chained to its writer's last; its lines."""
    for n, (writer, item) in enumerate(records):
        at = START + timedelta(minutes=n)
        event = Event(f"e{n:03d}", at, item, Status.DOING, Status.TODO, "x")
        append_event(path, event, writer=writer)
    return path.read_bytes().split(b"\n")[:-1]


#: What is done to the lines of a well-made log: each a kind and where (modulo the lines).
changes = st.lists(
    st.tuples(
        st.sampled_from(
            [
                *("repeat", "collide", "forge", "edit", "drop", "move"),
                *("unsign", "garbage", "blank", "tear", "badbyte", "spaced"),
            ]
        ),
        st.integers(min_value=0),
        st.integers(min_value=0),
    ),
    max_size=8,
)


def _changed(lines: list[bytes], ops: list[tuple[str, int, int]]) -> bytes:
    lines = list(lines)
    tail = b""
    for kind, at, to in ops:
        if not lines:
            break
        line = lines[at % len(lines)]
        if kind == "repeat":  # a git union's copy
            lines.insert(to % (len(lines) + 1), line)
        elif kind == "collide":  # another record under a used id
            lines.append(line.replace(b'"by":"x"', b'"by":"y"'))
        elif kind == "forge":  # another id with a copy's writer and hash
            lines.insert(to % (len(lines) + 1), line.replace(b'"event":"e', b'"event":"f'))
        elif kind == "edit":  # a field changed, its hash not
            lines[at % len(lines)] = line.replace(b'"status":"doing"', b'"status":"done"')
        elif kind == "drop":
            del lines[at % len(lines)]
        elif kind == "move":
            lines.insert(to % len(lines), lines.pop(at % len(lines)))
        elif kind == "unsign":  # no chain: not signed, read the slow way
            lines[at % len(lines)] = line.replace(b'"chain":', b'"link":')
        elif kind == "garbage":
            lines.insert(to % (len(lines) + 1), b'{"v":"x"}' if at % 2 else b"not json")
        elif kind == "badbyte":  # not UTF-8: its piece is read a line at a time
            lines[at % len(lines)] = line.replace(b'"by":"x"', b'"by":"\xff"')
        elif kind == "spaced":  # a signed record in another layout: read by the JSON parser
            lines[at % len(lines)] = line.replace(b'","', b'", "', 1)
        elif kind == "blank":
            lines.insert(to % (len(lines) + 1), b"  \r")
        else:  # the last line cut short, without its newline
            tail = line[: to % len(line)]
    return b"\n".join(lines) + b"\n" + tail if lines else tail


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.sampled_from(["w1", "w2"]), st.sampled_from(["1.1", "2.1"])), max_size=8),
    changes,
    st.sampled_from([None, 0, 1, 3]),
    st.sampled_from([1, 40, 1 << 20]),
    st.booleans(),
)
# the second and third ids collide with the first: a copy and another record under each
@example([("w1", "1.1")] * 3, [("repeat", 1, 9), ("collide", 2, 0)], 0, 1 << 20, False)
@example([("w1", "1.1"), ("w2", "2.1")], [("move", 0, 1), ("unsign", 0, 0)], 0, 40, True)
# the first hash had first by an unsigned record, then by a signed one, then looked up
@example([("w1", "1.1")] * 3, [("forge", 0, 1), ("move", 3, 2), ("unsign", 0, 0)], None, 40, False)
def test_verify_full_agrees_with_a_whole_read_whatever_hash_collides(
    tmp_path_factory: pytest.TempPathFactory,
    records: list[tuple[str, str]],
    ops: list[tuple[str, int, int]],
    mask: int | None,
    piece: int,
    bom: bool,
) -> None:
    folder = tmp_path_factory.mktemp("full")
    path = folder / "log.jsonl"
    data = _changed(_log(path, records), ops) if records else b""
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    truth = verify_log(path.read_bytes(), str(path))
    real_piece = verified._PIECE
    verified._PIECE = piece
    if mask is not None:  # every key's hash() one of a few: keys collide, and are told apart
        verified.hash = lambda key: builtins.hash(key) & mask  # type: ignore[attr-defined]
    try:
        with path.open("rb") as handle:
            found = verified._verify_all(handle, str(path))
    finally:
        verified._PIECE = real_piece
        vars(verified).pop("hash", None)
    assert (found.records, found.writers, found.repeated) == (
        truth.records,
        truth.writers,
        truth.repeated,
    )
    assert problems(found.problems) == problems(truth.problems)


def test_verify_and_doctor_find_the_evidence_records_through_their_index_as_by_a_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The evidence records reach the check through their own partial index
    (log_index.evidence_lines): the same lines, and problems, as a whole read, as the log
    grows and the index grows with it."""
    from xixin_cli import log_index
    from xixin_cli.commands import logs
    from xixin_cli.model import EventKind

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    kept, changed = tmp_path / "kept.txt", tmp_path / "changed.txt"
    kept.write_bytes(b"kept")
    changed.write_bytes(b"before")

    def attach(n: int, file: Path, size: int, sha: str) -> None:
        at = START + timedelta(minutes=n)
        event = Event(f"v{n}", at, "1.1", Status.DOING, Status.TODO, "x")
        evidence = event._replace(kind=EventKind.EVIDENCE, path=str(file), size=size, sha256=sha)
        append_event(path, evidence, writer="w1")

    import hashlib

    def same() -> list[tuple[object, ...]]:
        index = log_index.open_index(path)
        assert index is not None
        try:
            found = log_index.evidence_lines(index)
            assert [line for line, _ in found] == [
                line for line, _ in index.lines_of("kind = ?", (EventKind.EVIDENCE.value,))
            ]
            indexed = logs._check_indexed(path, index, None, False)
        finally:
            index.close()
        read = logs._check_read(path, None)
        assert problems(indexed.problems) == problems(read.problems)
        return problems(indexed.problems)

    _log(path, [("w1", "1.1")])
    assert same() == []
    attach(1, kept, 4, hashlib.sha256(b"kept").hexdigest())
    attach(2, changed, 6, hashlib.sha256(b"before").hexdigest())
    assert same() == []
    changed.write_bytes(b"after!")
    later = Event("e9", START + timedelta(hours=1), "2.1", Status.DONE, Status.TODO, "x")
    append_event(path, later, writer="w2")  # more lines after the index has the others
    attach(3, tmp_path / "gone.txt", 1, "0" * 64)
    found = same()
    assert [(line, code) for line, _, code, _ in found] == [
        (3, "evidence.changed"),
        (5, "evidence.elsewhere"),  # recorded by another writer than this PC's
    ], found
