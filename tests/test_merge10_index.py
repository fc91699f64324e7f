"""What a merge reads back of the log before its index takes the payload in: a megabyte at a
time (log_index._holds), with the answer of one read of the whole payload."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli import log_index


def _varied(size: int, seed: int) -> bytes:
    """Bytes that do not repeat within 256 (a block read from the wrong place differs)."""
    return bytes((n * 7 + seed) % 256 for n in range(size))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=300) | st.builds(_varied, st.integers(0, 300), st.integers(0, 255)),
    st.integers(0, 320),
    st.integers(0, 320),
    st.lists(st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=2)), max_size=3),
    st.sampled_from([1, 2, 7, 64, 1 << 20]),
)
def test_a_payload_read_back_in_blocks_is_judged_as_read_whole(
    tmp_path: Path,
    log: bytes,
    start: int,
    size: int,
    edits: list[tuple[int, bytes]],
    block: int,
) -> None:
    """The payload as it was appended, or changed anywhere (a byte, its end past the file's),
    is found there exactly when the whole of it is."""
    payload = bytearray(log[start : start + size])
    for at, new in edits:  # the payload as the merge made it may differ from the file
        if payload:
            where = at % len(payload)
            payload[where : where + len(new)] = new
    path = tmp_path / "log.jsonl"
    path.write_bytes(log)
    with path.open("rb") as handle:
        found = log_index._holds(handle, start, bytes(payload), block)
    assert found == (log[start : start + len(payload)] == bytes(payload))


def test_a_log_that_no_longer_holds_the_payload_is_not_indexed_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """extend leaves the index as it was when the log's bytes are not the payload's (the next
    reader indexes what is there), whichever block differs."""
    from xixin_cli.status_log import read_log

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    first = b'{"v":1,"event":"a","at":"2023-01-01T08:00:00+08:00","item":"1.1","status":"doing",'
    first += b'"previous":"todo","by":"x","note":""}\n'
    path.write_bytes(first)
    index = log_index.open_index(path)
    assert index is not None
    index.close()
    payload = first.replace(b'"a"', b'"b"') * 3
    with path.open("ab") as handle:
        handle.write(payload[:-5] + b"XXXX\n")  # not what the merge made: its last block differs
    monkeypatch.setattr(log_index, "_holds", lambda h, s, p, block=8: _blocks(h, s, p, block))
    assert log_index.extend(path, len(first), payload, []) is None
    again = log_index.open_index(path)
    assert again is not None
    try:
        read = read_log(path)
        assert again.count() == len(read.events) == 3  # not the payload's four records
        assert [(p.line, p.code) for p in again.warnings()] == [(4, "log.bad_line")]
    finally:
        again.close()


_real_holds = log_index._holds


def _blocks(handle: object, start: int, payload: bytes, block: int) -> bool:
    return _real_holds(handle, start, payload, block)  # type: ignore[arg-type]
