"""The caches give exactly the answer computed without them, whatever happens to the files."""

from __future__ import annotations

import contextlib
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli.cache import fold_log, load_plan_cached
from xixin_cli.errors import PlanError, StateError
from xixin_cli.fold import Folded, happened_on, taken_back
from xixin_cli.log_index import open_index
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.plan_file import load_plan
from xixin_cli.status_log import append_event, parse_log

from conftest import ROOT, damage

CHINA = timezone(timedelta(hours=8))
ITEMS = ["4.1.1", "4.1.2", "5.3.1", "9.9.9"]


def truth(path: Path, as_of: date | None = None) -> Folded:
    """The fold of the whole file, read from scratch, less the undos and what they take back,
    whenever those were (today's, or only the changes that happened by the end of `as_of`)."""
    read = parse_log(path.read_bytes() if path.exists() else b"", str(path))
    events = read.events
    undos: dict[str, str] = {}
    for e in events:
        if e.undoes is not None:
            undos.setdefault(e.event_id, e.undoes)  # an id on two lines is the first one's
    dropped = taken_back(undos)
    last = as_of or date.max
    events = tuple(e for e in events if happened_on(e) <= last and e.event_id not in dropped)
    return Folded.empty().more(events, read.warnings)


def same(a: Folded, b: Folded) -> bool:
    def key(f: Folded) -> object:
        warnings = [(w.line, w.key, w.code) for w in f.warnings]
        return (f.last, warnings, f.total, f.extended, f.evidence)

    return key(a) == key(b)


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("append"),
            st.sampled_from(ITEMS),
            st.sampled_from(list(Status)),
            st.none() | st.dates(date(2022, 10, 28), date(2022, 11, 8)),  # a back-dated --on
        ),
        st.tuples(st.just("extend"), st.sampled_from(ITEMS), st.integers(0, 60)),
        # of a record, an undo's too (a redo); a crafted one names another item than its target
        st.tuples(st.just("undo"), st.integers(0, 30), st.booleans()),
        # of the record the next append writes (a merge can bring a record after its undo),
        # and one whose key is spelt with a JSON escape (what a reader must read as the key)
        st.tuples(st.sampled_from(["undo_next", "escaped_undo"]), st.integers(0, 30)),
        st.tuples(st.just("evidence"), st.sampled_from(ITEMS), st.binary(max_size=8)),
        st.tuples(st.just("garbage"), st.binary(max_size=30)),
        st.tuples(st.just("torn"), st.binary(min_size=1, max_size=30)),
        st.tuples(st.just("newline")),
        st.tuples(st.just("flip"), st.integers(min_value=0)),
        st.tuples(st.just("truncate"), st.integers(min_value=0)),
        st.tuples(st.just("replace")),
        # the log's index brought up to date: an undo since then refolds its items from it
        st.tuples(st.just("index")),
    ),
    max_size=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    operations,
    st.sampled_from([1, 97, 4 << 20]),
    st.sampled_from([0, 2, 1000]),
    st.lists(st.dates(date(2022, 10, 31), date(2022, 11, 9)), max_size=3),
)
def test_the_log_cache_agrees_with_a_full_read(
    tmp_path_factory: pytest.TempPathFactory,
    ops: list[tuple[object, ...]],
    piece: int,
    tail_max: int,
    as_of: list[date],
) -> None:
    from xixin_cli import cache

    folder = tmp_path_factory.mktemp("log")
    os.environ["XIXIN_CACHE_DIR"] = str(folder / "cache")
    path = folder / "log.jsonl"
    real_piece, cache._PIECE = cache._PIECE, piece  # bytes parsed at a time: lines cut or not
    # how many events appended are kept as a tail beside the fold before it is written whole
    real_tail, cache._TAIL_MAX = cache._TAIL_MAX, tail_max
    recorded: list[Event] = []  # what an undo can name
    try:
        for n, op in enumerate(ops):
            kind = op[0]
            if kind == "append":
                at = datetime(2022, 11, 1, tzinfo=CHINA) + timedelta(hours=7 * n)
                event = Event(f"e{n}", at, str(op[1]), op[2], Status.TODO, "x", on=op[3])  # type: ignore[arg-type]
                append_event(path, event, writer="w")
                recorded.append(event)
            elif kind == "undo" and recorded:
                target = recorded[int(op[1]) % len(recorded)]  # type: ignore[call-overload]
                at = datetime(2022, 11, 1, tzinfo=CHINA) + timedelta(hours=7 * n)
                event = Event(
                    f"u{n}",
                    at,
                    "9.9.9" if op[2] else target.item,
                    target.previous,
                    target.status,
                    "x",
                    undoes=target.event_id,
                )
                append_event(path, event, writer="w")
                recorded.append(event)
            elif kind == "undo_next":
                at = datetime(2022, 11, 1, tzinfo=CHINA) + timedelta(hours=7 * n)
                event = Event(
                    f"u{n}", at, "4.1.1", Status.TODO, Status.DONE, "x", undoes=f"e{n + 1}"
                )
                append_event(path, event, writer="w")
            elif kind == "escaped_undo" and recorded:
                named = recorded[int(op[1]) % len(recorded)].event_id  # type: ignore[call-overload]
                when = f"2022-11-0{1 + n % 9}T08:00:00+08:00"
                line = (
                    f'{{"v":1,"event":"z{n}","at":"{when}","item":"4.1.1","status":"todo",'
                    f'"previous":"done","by":"x","\\u0075ndoes":"{named}"}}\n'
                )
                with path.open("ab") as handle:
                    handle.write(line.encode())
            elif kind == "extend":
                at = datetime(2022, 11, 1, tzinfo=CHINA) + timedelta(hours=7 * n)
                due = date(2022, 12, 1) + timedelta(days=int(op[2]))  # type: ignore[call-overload]
                event = Event(
                    f"x{n}",
                    at,
                    str(op[1]),
                    Status.TODO,
                    Status.TODO,
                    "x",
                    "批准",
                    kind=EventKind.EXTEND,
                    due=due,
                )
                append_event(path, event, writer="w")
            elif kind == "evidence":
                at = datetime(2022, 11, 1, tzinfo=CHINA) + timedelta(minutes=n)
                event = Event(
                    f"v{n}",
                    at,
                    str(op[1]),
                    Status.TODO,
                    Status.TODO,
                    "x",
                    kind=EventKind.EVIDENCE,
                    path=f"/p/{n}",
                    size=len(op[2]),  # type: ignore[arg-type]
                    sha256="0" * 64,
                )
                append_event(path, event, writer="w")
            elif kind in ("garbage", "torn", "newline"):
                with path.open("ab") as handle:
                    tail = b"\n" if kind == "garbage" else b""
                    written = op[1] if len(op) > 1 else b""
                    assert isinstance(written, bytes)
                    handle.write(written + tail if kind != "newline" else b"\n")
            elif kind in ("flip", "truncate"):
                damage(path, kind, int(op[1]))  # type: ignore[call-overload]
            elif kind == "index":
                with contextlib.suppress(StateError):
                    index = open_index(path)
                    if index is not None:
                        index.close()
            elif kind == "replace" and path.exists():
                copy = folder / "copy"
                copy.write_bytes(path.read_bytes())
                os.replace(copy, path)
            try:
                expected = truth(path)
            except StateError:
                with pytest.raises(StateError):
                    fold_log(path)
                continue
            assert same(fold_log(path), expected), ops[: n + 1]
            assert same(fold_log(path), expected), ops[: n + 1]  # and again, from the cache
            cache._LOADED.clear()
            assert same(fold_log(path), expected), ops[: n + 1]  # as the next process reads it
            for day in as_of:  # the replays of past days, kept as the fold is
                assert same(fold_log(path, day), truth(path, day)), (ops[: n + 1], day)
    finally:
        del os.environ["XIXIN_CACHE_DIR"]
        cache._PIECE = real_piece
        cache._TAIL_MAX = real_tail


def test_the_plan_cache_follows_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "plan.yaml"
    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert load_plan_cached(path) == load_plan(path)
    assert load_plan_cached(path) == load_plan(path)  # now from the cache
    assert list((tmp_path / "cache").iterdir())
    edited = text.replace("title: 强化组织领导", "title: 强化组织领导工作")
    path.write_text(edited, encoding="utf-8")  # same size or not, the bytes differ
    assert load_plan_cached(path).get("6.1").title == "强化组织领导工作"  # type: ignore[union-attr]
    path.write_text(edited.replace("phase: sprint", "phase: sprnt"), encoding="utf-8")
    with pytest.raises(PlanError):
        load_plan_cached(path)


def test_a_broken_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(cache))
    path = tmp_path / "log.jsonl"
    append_event(
        path,
        Event("a", datetime(2022, 11, 1, tzinfo=CHINA), "5.3.1", Status.DONE, Status.TODO, "x"),
        writer="w",
    )
    fold_log(path)
    for slot in cache.iterdir():
        slot.write_bytes(b"not a pickle")
    assert same(fold_log(path), truth(path))


def test_caching_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIXIN_CACHE", "off")
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "plan.yaml"
    path.write_bytes((ROOT / "plan.yaml").read_bytes())
    load_plan_cached(path)
    assert not (tmp_path / "cache").exists()


def _log_of_three(path: Path) -> None:
    for n, (item, note) in enumerate((("4.1.1", "甲"), ("4.1.2", "乙"), ("5.3.1", "丙"))):
        at = datetime(2022, 11, 1, tzinfo=CHINA) + timedelta(minutes=n)
        event = Event(f"e{n}", at, item, Status.DOING, Status.TODO, "x", note)
        append_event(path, event, writer="w")


def test_a_settled_unchanged_log_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from xixin_cli import cache, status_log

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _log_of_three(path)
    # Ten seconds from now the log's stamps have settled.
    monkeypatch.setattr(cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)
    expected = truth(path)
    assert same(fold_log(path), expected)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the log was read again")

    with monkeypatch.context() as m:
        m.setattr(cache, "_prefix_holds", no_reading)
        m.setattr(status_log, "open_log", no_reading)
        m.setattr(status_log, "read_bytes", no_reading)
        assert same(fold_log(path), expected)

    # Any write shows: an append changes the size ...
    time.sleep(0.05)  # past the file system's clock tick
    append_event(
        path,
        Event("e9", datetime(2022, 11, 2, tzinfo=CHINA), "4.1.1", Status.DONE, Status.DOING, "x"),
        writer="w",
    )
    assert fold_log(path).last["4.1.1", ""].status is Status.DONE
    assert same(fold_log(path), truth(path))
    # ... and an edit in place that keeps the size and puts the modification time back moves
    # the change time.
    time.sleep(0.05)
    before = path.stat()
    data = path.read_bytes()
    assert data.count("乙".encode()) == 1 and len("乙".encode()) == len("丁".encode())
    with path.open("r+b") as handle:
        handle.write(data.replace("乙".encode(), "丁".encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert fold_log(path).last["4.1.2", ""].note == "丁"
    assert same(fold_log(path), truth(path))


def test_a_log_with_a_skipped_line_is_still_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line the reader skips (and warns of) is kept in the cached fold like the rest: the
    next process does not read the whole log again because of it."""
    import time

    from xixin_cli import cache, status_log

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _log_of_three(path)
    with path.open("ab") as handle:
        handle.write(b"not a record\n")
    monkeypatch.setattr(cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)
    expected = truth(path)
    assert [w.code for w in expected.warnings] == ["log.bad_line"]
    assert same(fold_log(path), expected)
    cache._LOADED.clear()  # as a new process finds it: only what is on disk

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the log was read again")

    monkeypatch.setattr(cache, "_prefix_holds", no_reading)
    monkeypatch.setattr(status_log, "open_log", no_reading)
    assert same(fold_log(path), expected)


def test_a_few_changes_appended_leave_the_folds_cache_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one more change the next command keeps it in a small tail beside the fold instead
    of writing the whole fold again (at county scale ~150 ms); past _TAIL_MAX changes the fold
    is written whole and the tail goes."""
    from xixin_cli import cache

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_TAIL_MAX", 3)
    path = tmp_path / "log.jsonl"
    _log_of_three(path)
    fold_log(path)
    [whole] = (tmp_path / "cache").glob("log-*[0-9a-f].pickle")
    tail = whole.with_name(whole.stem + ".tail.pickle")
    written = whole.stat().st_mtime_ns, whole.stat().st_ino
    for n in range(3):
        at = datetime(2022, 11, 3, tzinfo=CHINA) + timedelta(minutes=n)
        append_event(path, Event(f"t{n}", at, "9.9.9", Status.DONE, Status.TODO, "x"), writer="w")
        cache._LOADED.clear()
        assert same(fold_log(path), truth(path))
        assert (whole.stat().st_mtime_ns, whole.stat().st_ino) == written, n
        assert tail.exists()
    at = datetime(2022, 11, 4, tzinfo=CHINA)
    append_event(path, Event("t9", at, "4.1.1", Status.DONE, Status.DOING, "x"), writer="w")
    cache._LOADED.clear()
    assert same(fold_log(path), truth(path))
    assert (whole.stat().st_mtime_ns, whole.stat().st_ino) != written  # the fold, whole again
    assert not tail.exists()
    cache._LOADED.clear()
    assert same(fold_log(path), truth(path))
    # A tail whose fold is gone (the cache folder cleaned by hand) goes with the next fold.
    at = datetime(2022, 11, 5, tzinfo=CHINA)
    append_event(path, Event("u1", at, "4.1.2", Status.DONE, Status.TODO, "x"), writer="w")
    cache._LOADED.clear()
    fold_log(path)
    assert tail.exists()
    whole.unlink()
    cache._LOADED.clear()
    assert same(fold_log(path), truth(path))
    assert whole.exists() and not tail.exists()


def test_stamps_vouch_for_a_log_only_once_settled(tmp_path: Path) -> None:
    import time

    from xixin_cli.cache import SETTLED_NS, _stamps

    path = tmp_path / "log.jsonl"
    _log_of_three(path)
    info = path.stat()
    assert _stamps(info, time.time_ns()) is None  # just written
    later = max(info.st_mtime_ns, info.st_ctime_ns) + SETTLED_NS + 1
    assert _stamps(info, later) == (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def test_a_settled_unchanged_plan_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from xixin_cli import cache, plan_file

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "plan.yaml"
    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_plan_cached(path)  # fresh stamps: kept, but not trusted yet
    monkeypatch.setattr(cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)
    assert load_plan_cached(path) == first  # read and checked, stamps now trusted

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plan was read again")

    with monkeypatch.context() as m:
        m.setattr(plan_file, "read_plan_bytes", no_reading)
        assert load_plan_cached(path) == first
    time.sleep(0.05)  # past the file system's clock tick
    before = path.stat()
    edited = text.replace("title: 强化组织领导\n", "title: 强化组织领寻\n")  # same length
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert load_plan_cached(path).get("6.1").title == "强化组织领寻"  # type: ignore[union-attr]
    assert load_plan_cached(path) == load_plan(path)


def test_the_replays_of_the_last_days_asked_are_kept_and_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xixin_cli import cache

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    _log_of_three(path)
    days = [date(2022, 10, 20) + timedelta(days=n) for n in range(cache.AS_OF_KEPT + 2)]
    for day in days:
        assert same(fold_log(path, day), truth(path, day))
    kept = sorted(p.name for p in (tmp_path / "cache").glob("log-????-??-??-*.pickle"))
    assert [name[4:14] for name in kept] == [d.isoformat() for d in days[2:]]
    # asking an older day again makes it the newest; the oldest kept then goes
    assert same(fold_log(path, days[2]), truth(path, days[2]))
    assert same(fold_log(path, days[0]), truth(path, days[0]))
    kept = sorted(p.name[4:14] for p in (tmp_path / "cache").glob("log-????-??-??-*.pickle"))
    assert days[3].isoformat() not in kept and days[2].isoformat() in kept
    assert len(kept) == cache.AS_OF_KEPT


def test_the_prefix_two_folds_of_one_log_start_with_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first `overdue --as-of DAY` after a change checks the fold's cached prefix and the
    day's replay's, the same bytes: their CRC-32 is worked out once in a process (at 20,000
    items and 800,000 changes each reading took 80 ms). Bytes after the prefix are read by
    each fold, as each folds them."""
    import time
    import zlib

    from xixin_cli import cache

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)
    path = tmp_path / "log.jsonl"
    _log_of_three(path)
    day = date(2022, 11, 1)
    fold_log(path), fold_log(path, day)  # both caches kept, each of the whole log
    prefix = path.stat().st_size
    time.sleep(0.05)  # past the file system's clock tick
    append_event(
        path,
        Event("e9", datetime(2022, 11, 2, tzinfo=CHINA), "4.1.1", Status.DONE, Status.DOING, "x"),
        writer="w",
    )
    added = path.stat().st_size - prefix
    cache._HELD.clear()  # as in a new process
    read: list[int] = []

    class Counted:
        @staticmethod
        def crc32(data: bytes, value: int = 0) -> int:
            read.append(len(data))
            return zlib.crc32(data, value)

    monkeypatch.setattr(cache, "zlib", Counted)
    assert fold_log(path).last["4.1.1", ""].status is Status.DONE
    assert fold_log(path, day).last["4.1.1", ""].status is Status.DOING
    assert read.count(prefix) == 1  # (the cache files' names are CRCs too: not counted)
    assert read.count(added) == 2


def test_a_longer_prefix_is_read_on_from_the_longest_one_known(tmp_path: Path) -> None:
    import time
    import zlib

    from xixin_cli import cache

    path = tmp_path / "log.jsonl"
    data = bytes(range(256)) * 40
    path.write_bytes(data)
    cache._HELD.clear()
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        cache.held(info, 1000, zlib.crc32(data[:1000]))
        cache.held(info, 3000, zlib.crc32(data[:3000]))
        before = handle.read
        asked: list[int] = []

        def read(size: int | None = -1) -> bytes:
            asked.append(-1 if size is None else size)
            return before(size)

        handle.read = read  # type: ignore[method-assign]
        assert cache.prefix_crc(handle, 5000) == zlib.crc32(data[:5000])
        assert asked == [2000]  # from 3,000 on
        assert cache.prefix_crc(handle, 2000) == zlib.crc32(data[:2000])
        assert asked == [2000, 1000]  # from 1,000 on
        assert cache.prefix_crc(handle, 5000) == zlib.crc32(data[:5000])
        assert len(asked) == 2  # known now
    time.sleep(0.05)  # past the file system's clock tick
    edited = data[:10] + b"!" + data[11:]
    path.write_bytes(edited)  # a write in place: nothing known holds
    with path.open("rb") as handle:
        assert cache.prefix_crc(handle, 5000) == zlib.crc32(edited[:5000])
    cache._HELD.clear()


def test_a_days_replay_kept_knows_an_undo_whose_record_comes_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge can bring a record after the undo that takes it back (the undo came in from
    one office's log first): the replay kept before the record came knows the undo."""
    from xixin_cli import cache

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_TAIL_MAX", 0)  # each fold written whole, with its undos
    path = tmp_path / "log.jsonl"
    day = date(2022, 11, 5)
    at = datetime(2022, 11, 1, 9, tzinfo=CHINA)
    append_event(path, Event("e0", at, "4.1.1", Status.DOING, Status.TODO, "x"), writer="w")
    undo = Event("u1", at + timedelta(days=9), "4.1.1", Status.DOING, Status.DONE, "x", undoes="e2")
    append_event(path, undo, writer="w")
    assert same(fold_log(path, day), truth(path, day))  # kept
    later = Event("e2", at + timedelta(days=1), "4.1.1", Status.DONE, Status.DOING, "x")
    append_event(path, later, writer="w2")
    for _ in range(2):
        replay = fold_log(path, day)
        assert replay.last["4.1.1", ""].event_id == "e0"  # e2 is taken back
        assert same(replay, truth(path, day))
        cache._LOADED.clear()


def _replays_agree(paths: list[Path], day: date) -> Folded:
    """The replay of `paths` as of `day` through the cache, again from it, and without it,
    held to one another; the first given back."""
    from xixin_cli import cache
    from xixin_cli.cache import fold_logs
    from xixin_cli.fold import replayed
    from xixin_cli.status_log import read_logs

    events, warnings = read_logs(paths)
    undos = {e.event_id: e.undoes for e in events if e.undoes is not None}
    expected = Folded.empty().more(tuple(replayed(events, day, taken_back(undos))), warnings)
    found = fold_logs(paths, day)
    assert same(found, expected)
    cache._LOADED.clear()
    assert same(fold_logs(paths, day), expected)
    os.environ["XIXIN_CACHE"] = "off"
    try:
        assert same(fold_logs(paths, day), expected)
    finally:
        del os.environ["XIXIN_CACHE"]
    return found


def test_replays_of_hostile_undo_lines_agree_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: an undo in one of two logs given (a copy beside its original), an undo line
    readers skip (a BOM in mid-file), an undo on an unfinished last line that goes, and two
    undo records of one id: each read as every reader reads it, with or without the cache."""
    import json
    import time

    from xixin_cli import cache

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_now_ns", lambda: time.time_ns() + 10_000_000_000)
    day = date(2022, 11, 5)
    at = datetime(2022, 11, 1, 9, tzinfo=CHINA)
    target = Event("e1", at, "4.1.1", Status.DOING, Status.TODO, "x")
    other = Event("e2", at, "4.1.2", Status.DOING, Status.TODO, "x")
    undo = Event("u1", at + timedelta(days=9), "4.1.1", Status.TODO, Status.DOING, "x", undoes="e1")
    one, two = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for event in (target, other):
        append_event(one, event, writer="w")
    two.write_bytes(one.read_bytes())
    append_event(two, undo, writer="w")  # the copy's undo takes back the original's record too
    assert ("4.1.1", "") not in _replays_agree([one, two], day).last
    lines = two.read_bytes().splitlines(keepends=True)
    skipped = tmp_path / "bom.jsonl"  # a BOM before a line in mid-file: that line is skipped
    skipped.write_bytes(lines[0] + lines[1] + b"\xef\xbb\xbf" + lines[2])
    assert _replays_agree([skipped], day).last["4.1.1", ""].event_id == "e1"
    tail = tmp_path / "tail.jsonl"  # an undo on a last line still being written, that goes
    tail.write_bytes(lines[0] + lines[1] + lines[2].rstrip(b"\n"))
    assert ("4.1.1", "") not in _replays_agree([tail], day).last
    time.sleep(0.05)
    tail.write_bytes(lines[0] + lines[1])
    assert _replays_agree([tail], day).last["4.1.1", ""].event_id == "e1"
    twice = tmp_path / "twice.jsonl"  # one undo id on two lines: the first line's counts
    record = json.loads(lines[2])
    again = json.dumps({**record, "undoes": "e2"}, ensure_ascii=False).encode() + b"\n"
    twice.write_bytes(lines[0] + lines[1] + lines[2])
    assert ("4.1.1", "") not in _replays_agree([twice], day).last
    time.sleep(0.05)
    with twice.open("ab") as handle:
        handle.write(again)
    replay = _replays_agree([twice], day)
    assert ("4.1.1", "") not in replay.last and replay.last["4.1.2", ""].event_id == "e2"


@pytest.mark.parametrize("case", ["undo", "redo", "another item", "extension", "evidence"])
def test_an_undo_after_the_cached_fold_refolds_its_items_from_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """The path the property test reaches by chance, taken every time: the fold is cached
    and the index made, then an undo is appended; the next fold folds the items it touches
    again from their lines (`_refolded`) and gives the answer of a read from scratch."""
    from xixin_cli import cache

    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "log.jsonl"
    at = datetime(2022, 11, 1, 9, tzinfo=CHINA)

    def add(event: Event) -> Event:
        append_event(path, event, writer="w")
        return event

    done = add(Event("d1", at, "4.1.1", Status.DONE, Status.TODO, "x"))
    add(Event("o1", at + timedelta(hours=1), "4.1.2", Status.DOING, Status.TODO, "x"))
    longer = add(
        Event(
            "x1",
            at + timedelta(hours=2),
            "4.1.1",
            Status.DONE,
            Status.DONE,
            "x",
            "批准",
            kind=EventKind.EXTEND,
            due=date(2022, 12, 30),
        )
    )
    proof = add(
        Event(
            "v1",
            at + timedelta(hours=3),
            "4.1.1",
            Status.DONE,
            Status.DONE,
            "x",
            kind=EventKind.EVIDENCE,
            path="/p/a",
            size=1,
            sha256="0" * 64,
        )
    )
    first = (
        add(
            Event(
                "u1", at + timedelta(hours=4), "4.1.1", Status.TODO, Status.DONE, "x", undoes="d1"
            )
        )
        if case == "redo"
        else None
    )
    assert same(fold_log(path), truth(path))  # cached
    index = open_index(path)
    assert index is not None
    index.close()
    target = {"undo": done, "another item": done, "extension": longer, "evidence": proof}
    undoes = "u1" if first is not None else target[case].event_id
    item = "9.9.9" if case == "another item" else "4.1.1"
    add(Event("u2", at + timedelta(hours=5), item, Status.DONE, Status.TODO, "x", undoes=undoes))
    calls: list[bool] = []
    real = cache._refolded

    def spy(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(found is not None)
        return found

    monkeypatch.setattr(cache, "_refolded", spy)
    cache._LOADED.clear()
    assert same(fold_log(path), truth(path))
    assert calls == [True]  # refolded, not folded whole
    cache._LOADED.clear()
    assert same(fold_log(path), truth(path))  # and kept so
