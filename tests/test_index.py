"""The log's index and the remembered verify give exactly the answers of a full read."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli import log_index, verified
from xixin_cli.checks import verify_log
from xixin_cli.errors import StateError
from xixin_cli.model import Event, Status
from xixin_cli.rules import undo_target
from xixin_cli.status_log import append_event, read_logs
from xixin_cli.verified import verify_open

from conftest import Runner, damage

CHINA = timezone(timedelta(hours=8))
ITEMS = ["4.1.1", "4.1.2", "5.3.1"]
WRITERS = ["w1", "w2"]
START = datetime(2022, 11, 1, 9, tzinfo=CHINA)


def all_events(path: Path) -> tuple[Event, ...]:
    return read_logs([path])[0]


def ids(events: object) -> list[str]:
    return [event.event_id for event in events]  # type: ignore[attr-defined]


def problems(found: object) -> list[tuple[object, ...]]:
    return [(p.line, p.key, p.code, p.params) for p in found]  # type: ignore[attr-defined]


def check(path: Path, full: bool) -> None:
    """Every query through the index, and verify, against the whole log read from scratch."""
    try:
        events = all_events(path)
    except StateError:
        with pytest.raises(StateError):
            log_index.select([path], log_index.for_item(ITEMS[0]))
        return
    for item in ITEMS:
        assert ids(log_index.select([path], log_index.for_item(item))) == ids(
            e for e in events if e.item == item
        )
    first, last = date(2022, 11, 1), date(2022, 11, 2)
    query = log_index.happened_between(first, last)
    # whole events, not only their ids: a large answer comes from the memo (MEMO_MIN is 1 here)
    assert list(log_index.select([path], query)) == [e for e in events if query.keep(e)]
    for writer in WRITERS:
        subset = log_index.undo_events([path], writer)
        assert ids(undo_target(subset, writer)) == ids(undo_target(events, writer))
    index = log_index.open_index(path)
    if index is None:
        return
    try:  # the writer's latest without the index undo makes for it (made, then dropped)
        undone: set[str] = set()
        with_index = [index.latest_of(writer, undone) for writer in WRITERS]
        index.db.execute("DROP INDEX IF EXISTS events_written")
        assert [index.latest_of(writer, undone) for writer in WRITERS] == with_index
    finally:
        index.close()
    index = log_index.open_index(path)
    assert index is not None
    try:
        found = verify_open(index.db, index.handle, str(path), full=full)
    finally:
        index.close()
    truth = verify_log(path.read_bytes() if path.exists() else b"", str(path))
    assert (found.records, found.writers, found.repeated) == (
        truth.records,
        truth.writers,
        truth.repeated,
    )
    assert problems(found.problems) == problems(truth.problems)


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("append"),
            st.sampled_from(ITEMS),
            st.sampled_from(list(Status)),
            st.sampled_from(WRITERS),
            st.integers(0, 3),  # days after the start
            st.booleans(),  # with an `on` day
        ),
        st.tuples(st.just("undo"), st.sampled_from(WRITERS)),
        st.tuples(st.just("repeat"), st.integers(min_value=0)),
        st.tuples(st.just("collide"), st.integers(min_value=0)),
        st.tuples(st.just("garbage"), st.binary(max_size=20)),
        st.tuples(st.just("torn"), st.binary(min_size=1, max_size=20)),
        st.tuples(st.just("flip"), st.integers(min_value=0)),
        st.tuples(st.just("truncate"), st.integers(min_value=0)),
        st.tuples(st.just("drop"), st.integers(min_value=0)),
        st.tuples(st.just("merge"), st.integers(0, 3)),
    ),
    max_size=18,
)


def _sources(folder: Path) -> list[Path]:
    """Four other offices' logs to merge: one of its own, one with a record under an id the
    target may use (a collision, or a record new to it), one a copy of another's records, and
    the first with lines every reader skips (which a merge of it again, remembered, still
    reports)."""
    made = []
    for k, writer in enumerate(("s0", "s1", "s0")):
        source = folder / f"source{k}.jsonl"
        for n, item in enumerate(ITEMS[: 3 - k]):
            at = START + timedelta(days=k, minutes=n)
            event_id = "e000" if (k, n) == (1, 0) else f"{writer}-{n}"
            event = Event(event_id, at, item, Status.BLOCKED, Status.TODO, "s")
            append_event(source, event, writer=writer)
        made.append(source)
    skipping = folder / "source3.jsonl"
    first, *rest = made[0].read_bytes().split(b"\n", 1)
    skipping.write_bytes(first + b"\nnot a record\n" + b"".join(rest) + b'{"torn')
    made.append(skipping)
    return made


def _merged(path: Path, source: Path) -> tuple[object, ...]:
    """Merge `source` into `path`: what it found, as the command reports it (the source read
    as the command reads it: not at all when the target's index remembers its bytes)."""
    from xixin_cli.merge import merge_into, read_source

    [found] = merge_into(path, [read_source(source, path)])
    return (found.lines, found.already, problems(found.collisions), problems(found.warnings))


def _same_fold(folded: object, path: Path) -> bool:
    """Whether a fold (the cache's, after a merge folded what it appended) is the log's."""
    from xixin_cli.fold import Folded, taken_back, undo_map
    from xixin_cli.status_log import parse_log

    read = parse_log(path.read_bytes() if path.exists() else b"", str(path))
    dropped = taken_back(undo_map(read.events))  # what undos take back counts on no day
    kept = tuple(event for event in read.events if event.event_id not in dropped)
    truth = Folded.empty().more(kept, read.warnings)

    def key(f: Folded) -> object:
        warnings = [(w.line, w.key, w.code) for w in f.warnings]
        return (f.last, warnings, f.total, f.extended, f.evidence)

    def bound(mine: object, true: object) -> bool:  # latest: no record kept is later
        return true is None or (mine is not None and mine >= true)  # type: ignore[operator]

    assert isinstance(folded, Folded)
    later = bound(folded.latest, truth.latest) and bound(folded.latest_on, truth.latest_on)
    return key(folded) == key(truth) and later


def _merged_from_scratch(path: Path, source: Path, folder: Path) -> tuple[object, ...]:
    """`_merged` on a copy of the log, with no cache at all; and the log it leaves."""
    copy = folder / "scratch.jsonl"
    copy.write_bytes(path.read_bytes() if path.exists() else b"")
    os.environ["XIXIN_CACHE"] = "off"
    try:
        found = _merged(copy, source)
    finally:
        del os.environ["XIXIN_CACHE"]
    return (*found, copy.read_bytes())


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations, st.sampled_from([1, 61, 4 << 20]), st.booleans(), st.sampled_from([1, 4, 10**9]))
def test_the_index_and_verify_agree_with_a_full_read(
    tmp_path_factory: pytest.TempPathFactory,
    ops: list[tuple[object, ...]],
    piece: int,
    full: bool,
    memo: int,
) -> None:
    from xixin_cli import cache

    folder = tmp_path_factory.mktemp("index")
    os.environ["XIXIN_CACHE_DIR"] = str(folder / "cache")
    path = folder / "log.jsonl"
    real_piece, cache._PIECE = cache._PIECE, piece
    verified._PIECE = piece  # verify checks a piece at a time too: keys found in earlier ones
    real_memo, log_index.MEMO_MIN = log_index.MEMO_MIN, memo  # every answer kept, or none
    sources = _sources(folder)
    try:
        for n, op in enumerate(ops):
            kind = op[0]
            if kind == "merge":  # indexed from its own bytes, and what it found remembered
                source = sources[int(op[1])]  # type: ignore[call-overload]
                expected = _merged_from_scratch(path, source, folder)
                cache.fold_log(path)  # a fold cached before: the merge folds onto it
                assert (*_merged(path, source), path.read_bytes()) == expected
                again = _merged_from_scratch(path, source, folder)
                assert (*_merged(path, source), path.read_bytes()) == again
                assert _same_fold(cache.fold_log(path), path)
            elif kind == "append":
                _, item, status, writer, days, on = op
                at = START + timedelta(days=int(days), minutes=n)  # type: ignore[call-overload]
                event = Event(
                    f"e{n:03d}",
                    at,
                    str(item),
                    status,  # type: ignore[arg-type]
                    Status.TODO,
                    "x",
                    on=(at - timedelta(days=1)).date() if on else None,
                )
                append_event(path, event, writer=str(writer))
            elif kind == "undo":
                events = all_events(path) if path.exists() else ()
                writer = str(op[1])
                targets = undo_target(events, writer) if events else []
                if targets:
                    revert = targets[0]._replace(
                        event_id=f"u{n:03d}", at=START + timedelta(days=5, minutes=n), on=None
                    )
                    append_event(path, revert._replace(undoes=targets[0].event_id), writer=writer)
            elif kind in ("repeat", "collide", "drop") and path.exists():
                lines = path.read_bytes().split(b"\n")
                whole = [line for line in lines[:-1] if line.strip()]
                if whole:
                    at = int(op[1]) % len(whole)  # type: ignore[call-overload]
                    if kind == "repeat":  # a git union's copy of a record
                        with path.open("ab") as handle:
                            handle.write(whole[at] + b"\n")
                    elif kind == "collide":  # another record under a used event id
                        with path.open("ab") as handle:
                            handle.write(whole[at].replace(b'"by":"x"', b'"by":"y"') + b"\n")
                    else:  # a line deleted in place
                        kept = path.read_bytes().replace(whole[at] + b"\n", b"", 1)
                        with path.open("r+b") as handle:
                            handle.write(kept)
                            handle.truncate()
            elif kind in ("garbage", "torn"):
                with path.open("ab") as handle:
                    written = op[1]
                    assert isinstance(written, bytes)
                    handle.write(written + (b"\n" if kind == "garbage" else b""))
            elif kind in ("flip", "truncate"):
                damage(path, kind, int(op[1]))  # type: ignore[call-overload]
            check(path, full)
            check(path, False)  # and again, from what the index remembers
    finally:
        del os.environ["XIXIN_CACHE_DIR"]
        cache._PIECE = verified._PIECE = real_piece
        log_index.MEMO_MIN = real_memo


def _three(path: Path) -> None:
    for n, item in enumerate(ITEMS):
        event = Event(f"e{n}", START + timedelta(minutes=n), item, Status.DOING, Status.TODO, "x")
        append_event(path, event, writer="w1")


def _verified(path: Path, early: bool) -> list[tuple[object, ...]]:
    """verify's problems, the prefix hashed by verify_open, or (`early`) by `start_hashing`
    first, in its thread, as the command does."""
    hashing = verified.start_hashing(path) if early else None
    index = log_index.open_index(path)
    assert index is not None
    try:
        return problems(verify_open(index.db, index.handle, str(path), early=hashing).problems)
    finally:
        index.close()


@pytest.mark.parametrize("early", [False, True])
def test_an_edit_to_lines_verified_before_is_still_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _three(path)

    def verified() -> list[tuple[object, ...]]:
        return _verified(path, early)

    assert verified() == []
    data = path.read_bytes()  # the same length, in place, then a new change after it
    with path.open("r+b") as handle:
        handle.write(data.replace(b'"item":"4.1.2"', b'"item":"4.1.3"'))
    later = Event("e9", START + timedelta(hours=1), "5.3.1", Status.DONE, Status.DOING, "x")
    append_event(path, later, writer="w1")
    assert verified() == [(2, None, "verify.edited", {})]
    assert verified() == [(2, None, "verify.edited", {})]  # remembered, and still reported


def test_a_prefix_hashed_early_is_used_only_for_the_length_and_file_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _three(path)
    assert verified.start_hashing(path) is None  # nothing verified yet: nothing to hash
    assert _verified(path, early=True) == []
    # hashed as far as that verify went; then another verify goes further before it is used
    stale = verified.start_hashing(path)
    assert stale is not None
    later = Event("e8", START + timedelta(hours=1), "5.3.1", Status.DONE, Status.DOING, "x")
    append_event(path, later, writer="w1")
    assert _verified(path, early=False) == []
    index = log_index.open_index(path)
    assert index is not None
    try:
        found = verify_open(index.db, index.handle, str(path), early=stale)
    finally:
        index.close()
    assert problems(found.problems) == [] and found.records == 4
    # the log replaced by another of the same length whose first lines differ: the hash taken
    # of the old file is not the new one's
    hashing = verified.start_hashing(path)
    assert hashing is not None
    data = path.read_bytes()
    replaced = tmp_path / "replaced.jsonl"
    replaced.write_bytes(data.replace(b'"item":"4.1.2"', b'"item":"4.1.3"'))
    assert hashing.result(len(data), (0, 0)) is None  # another file's answer: none
    os.replace(replaced, path)
    index = log_index.open_index(path)
    assert index is not None
    try:
        codes = problems(verify_open(index.db, index.handle, str(path), early=hashing).problems)
    finally:
        index.close()
    assert codes == [(2, None, "verify.edited", {})]


def test_verify_full_and_incremental_say_the_same_on_the_command_line(
    xixin: Runner, state_file: Path
) -> None:
    _three(state_file)
    first, again, full = xixin("verify"), xixin("verify"), xixin("verify", "--full")
    assert first.code == again.code == full.code == 0
    assert first.out == again.out == full.out
    assert "3 条记录" in first.out, first.out
    with state_file.open("ab") as handle:
        handle.write(
            b'{"v":1,"event":"zz","at":"2022-11-01T09:00:00+08:00","item":"4.1.1",'
            b'"status":"done","previous":"todo","by":"x"}\n'
        )
    unsigned = xixin("verify")
    assert unsigned.code == 6, unsigned.out
    assert f"{state_file}:4" in unsigned.out + unsigned.err
    assert xixin("verify", "--full").out == unsigned.out


# e1 again on a later line, under an item after its own and under one before it (an index
# that took a piece's rows in item order would meet the copy first)
@pytest.mark.parametrize(("moved_to", "own"), [("5.3.1", "e2"), ("4.1.1", "e0")])
def test_a_second_record_under_a_used_id_is_not_read_when_built_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved_to: str, own: str
) -> None:
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _three(path)
    lines = path.read_bytes().split(b"\n")
    other = lines[1].replace(b'"item":"4.1.2"', f'"item":"{moved_to}"'.encode())
    path.write_bytes(b"\n".join([*lines[:2], other, *lines[2:]]))
    assert ids(log_index.select([path], log_index.for_item(moved_to))) == [own]
    assert ids(e for e in all_events(path) if e.item == moved_to) == [own]
    whole = ids(e for e in all_events(path) if e.item == "4.1.2")
    assert ids(log_index.select([path], log_index.for_item("4.1.2"))) == whole == ["e1"]


def test_commands_read_the_whole_log_when_the_index_cannot_be_kept(
    xixin: Runner, state_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _three(state_file)
    kept = (xixin("history", "4.1.2"), xixin("verify"))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(blocked))
    unkept = (xixin("history", "4.1.2"), xixin("verify"))
    assert [(r.code, r.out) for r in unkept] == [(r.code, r.out) for r in kept]
    assert kept[0].code == 0 and "4.1.2" in kept[0].out
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_no_prefix_is_hashed_of_a_log_that_is_now_a_fifo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _three(path)
    assert _verified(path, early=False) == []
    assert verified.start_hashing(path) is not None  # what the index remembers: a prefix
    path.unlink()
    os.mkfifo(path)  # a thread opening it to read would wait for a writer for ever
    assert verified.start_hashing(path) is None


def test_a_large_answer_asked_inside_a_callers_snapshot_leaves_the_snapshot_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """undo_events asks every query in one read transaction: keeping an answer in the memo
    there (a write) failed to begin and rolled the caller's snapshot back."""
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(log_index, "MEMO_MIN", 1)
    path = tmp_path / "log.jsonl"
    _three(path)
    index = log_index.open_index(path)
    assert index is not None
    try:
        index.db.execute("BEGIN")
        found = index.select(log_index.for_item(ITEMS[0]))
        assert [event.item for event in found] == [ITEMS[0]]
        assert index.db.in_transaction  # still the caller's snapshot
        assert index.db.execute("SELECT count(*) FROM memo").fetchone()[0] == 0
        index.db.execute("COMMIT")
        assert index.select(log_index.for_item(ITEMS[0])) == found  # kept, outside one
        assert index.db.execute("SELECT count(*) FROM memo").fetchone()[0] == 1
    finally:
        index.close()
