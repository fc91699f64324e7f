"""The log's index: where each record is and what it is looked up by, in a disposable file.

Commands that need some of the events (one item's history, a week's changes, a writer's latest
change for `undo`, whether a merged record is here already) ask the index which lines hold them
and read only those lines of the log. The index holds no record itself, only each record's line
number, byte offset and length and the keys it is found by; the records are read from the
log's own bytes, so the log stays the one source of truth. Only a large answer (a county's
week of changes) is kept as read, in the memo, as the fold's cache keeps the fold: emptied
whenever the index is, and asked again, topped up with the lines indexed since.

The index is a SQLite database (the standard library's `sqlite3`) in the cache folder, one per
log. SQLite was chosen because it is an on-disk B-tree with secondary indexes that answers a
query without loading the rest, grows by appending rows in one transaction, is safe when two
xixin processes update it at once (its own locking), keeps memory bounded (its page cache), and
needs nothing installed. A pickle (as the fold's cache) would have to be loaded whole; a
hand-made offsets file would need its own indexes and locking.

It is checked against the log as the fold's cache is (cache.py): it covers a prefix of the log
up to a newline and is used only while that prefix's CRC-32 is unchanged and the file is the
same file, not shorter (or its settled stamps show it has not been written since); what was
appended since is indexed on top, in one transaction; any other change rebuilds it. A last
line without its newline is never indexed: it is read and matched each time. Delete the file
at any time: the next command that needs it rebuilds it. With XIXIN_CACHE=off there is no
index and the commands read the whole log, with the same answers (a property test holds the
index to them).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from xixin_cli import __version__
from xixin_cli.errors import Problem
from xixin_cli.fold import happened_on, order_key
from xixin_cli.model import Event
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.status_log import LogRead

#: Changes whenever what the index holds could differ: the rows, or how a line is read.
STAMP = f"{__version__}|index 9"  # 9: the memo of large answers

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE events (
    line INTEGER PRIMARY KEY,  -- line number in the log
    start INTEGER NOT NULL,    -- byte offset of the line
    size INTEGER NOT NULL,     -- its length, without the newline
    event TEXT NOT NULL,
    item TEXT NOT NULL,
    writer TEXT NOT NULL,
    k1 INTEGER NOT NULL,       -- order_key, as microseconds since 1970 (UTC): when it happened
    k2 INTEGER NOT NULL,       -- ... and when it was written
    day INTEGER NOT NULL,      -- the day it happened (happened_on), as an ordinal
    undoes TEXT,               -- the event id it reverts, for an undo
    kind TEXT NOT NULL,        -- status, extend, evidence, detach
    repeat INTEGER NOT NULL,   -- 1 when an earlier line of this log has the same event id
    status TEXT NOT NULL,      -- for a status change (merge's conflicts): to and from
    previous TEXT NOT NULL,
    office TEXT NOT NULL,
    chain TEXT NOT NULL,       -- the writer's previous record's hash, and this one's
    hash TEXT NOT NULL
);
CREATE TABLE skipped (line INTEGER PRIMARY KEY, field TEXT, code TEXT);
-- what merging a source log (by the SHA-256 of its bytes) into this log found, once every
-- record of it was here and it verified: merging it again finds the same, as long as these
-- rows stand (the lines its readers skip too, so that it need not be read again)
CREATE TABLE merged (
    digest TEXT PRIMARY KEY, upto INTEGER NOT NULL, already INTEGER NOT NULL, collisions TEXT,
    warnings TEXT NOT NULL
) WITHOUT ROWID;
-- an item's status changes, latest first, without reading their rows (merge's conflicts);
-- led by the item, it is also what finds an item's lines (history): an index on the item
-- alone would be a seventh tree for every line indexed to update, the same lookups
CREATE INDEX events_part ON events (item, kind, repeat, k1, k2, event, office, status, previous,
    writer);
CREATE INDEX events_day ON events (day);
CREATE INDEX events_event ON events (event);
CREATE INDEX events_writer ON events (writer, k1, k2);
CREATE INDEX events_undoes ON events (undoes) WHERE undoes IS NOT NULL;
-- a large answer (a county's week: 9,000 records) as it was read from the log's first `upto`
-- lines, pickled: asked again, only the lines after them are read (emptied with the events)
CREATE TABLE memo (key TEXT PRIMARY KEY, upto INTEGER NOT NULL, events BLOB NOT NULL);
"""

_OURS = frozenset({"meta", "events", "skipped", "events_day", "events_event"})
_OURS |= {"events_writer", "events_undoes", "verified_hashes", "verified_ids", "verified_pending"}
_OURS |= {"verified_writers", "verified_problems", "merged", "events_part"}
#: undo's latest change of a writer, by when it was written: made the first time it is asked.
_OURS |= {"events_written", "memo"}
#: The fewest records an answer must have to be kept in the memo: fewer are read from the log
#: about as fast as they are loaded (a county's week, 9,000 records: read 115 ms, loaded 45).
MEMO_MIN = 2000
#: How many answers the memo keeps (the last asked).
MEMO_KEPT = 6


def micros(moment: datetime) -> int:
    """An aware time as whole microseconds since 1970 in UTC (exact: ordered as the times are)."""
    return (moment - _EPOCH) // _MICRO


_MICRO = timedelta(microseconds=1)


class Row(NamedTuple):
    """Where one record is in the log."""

    line: int
    start: int
    size: int


class Query(NamedTuple):
    """Which events a command needs: an SQL condition on the index's columns, and the same
    condition as a test of an event (for a line not indexed yet, and for reading without an
    index)."""

    where: str
    params: tuple[object, ...]
    keep: Callable[[Event], bool]


def for_item(item: str) -> Query:
    """Every record of one item."""
    return Query("item = ?", (item,), lambda event: event.item == item)


def happened_between(first: date, last: date) -> Query:
    """The records of changes that happened from `first` to `last` (by happened_on), and every
    undo, whenever (what the week's changes need to know which were taken back: a change
    taken back counts on no day, fold.taken_back)."""
    lo, hi = first.toordinal(), last.toordinal()

    def keep(event: Event) -> bool:
        return event.undoes is not None or lo <= happened_on(event).toordinal() <= hi

    where = (
        "line IN (SELECT line FROM events WHERE day BETWEEN ? AND ? UNION ALL "
        f"SELECT line FROM {_UNDOS} AND (day < ? OR day > ?))"
    )
    return Query(where, (lo, hi, lo, hi), keep)


#: The undos, through their own (partial) index: without statistics SQLite would otherwise
#: scan the whole table for them (70-110 ms at 200,000 records, for none).
_UNDOS = "events INDEXED BY events_undoes WHERE undoes IS NOT NULL"


def undos() -> Query:
    """Every undo."""
    return Query(f"line IN (SELECT line FROM {_UNDOS})", (), lambda event: event.undoes is not None)


def of_items(items: Sequence[str]) -> Query:
    """Every record of these items, and every undo (what takes any of them back, whatever
    item it names)."""
    wanted = frozenset(items)
    marks = ",".join("?" * len(wanted))
    return Query(
        f"item IN ({marks}) OR line IN (SELECT line FROM {_UNDOS})",
        tuple(sorted(wanted)),
        lambda event: event.item in wanted or event.undoes is not None,
    )


def by_writer_at(writer: str, moment: datetime) -> Query:
    """One command's records: a writer's, written at one time."""
    at = micros(moment)
    return Query(
        "writer = ? AND k2 = ?",
        (writer, at),
        lambda event: event.writer == writer and micros(event.at) == at,
    )


def id_prefix(writer: str, prefix: str) -> Query:
    """A writer's records whose event id starts with `prefix`."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return Query(
        "writer = ? AND event LIKE ? ESCAPE '\\'",
        (writer, pattern),
        lambda event: event.writer == writer and event.event_id.startswith(prefix),
    )


def _end(row: Row) -> int:
    return row.start + row.size


def index_file(path: Path) -> Path | None:
    """Where the index of the log at `path` is kept (None: no cache folder)."""
    from xixin_cli.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    key = zlib.crc32(str(path.resolve()).encode("utf-8"))
    return folder / f"index-{key:08x}.sqlite"


class LogIndex:
    """An up-to-date index of one log, with the log open: ask it for events."""

    def __init__(
        self,
        path: Path,
        db: sqlite3.Connection,
        handle: BinaryIO,
        tail: Sequence[Event],
        tail_line: int = 0,
        tail_warnings: Sequence[Problem] = (),
    ) -> None:
        self.path = path
        self.db = db
        self.handle = handle
        self.tail = tuple(tail)  # the events of a last line without its newline (not indexed)
        self.tail_line = tail_line  # its line number
        self.tail_warnings = tuple(tail_warnings)

    def warnings(self) -> list[Problem]:
        """The lines every reader skips (as `parse_log` reports them), in the log's order."""
        name = str(self.path)
        found = [
            Problem(name, line, field, code)
            for line, field, code in self.db.execute(
                "SELECT line, field, code FROM skipped ORDER BY line"
            )
        ]
        return found + list(self.tail_warnings)

    def entries(self) -> list[tuple[int, int, int, str]]:
        """Every indexed line that holds a record: (line, start, size, event id), in order."""
        return list(self.db.execute("SELECT line, start, size, event FROM events ORDER BY line"))

    def close(self) -> None:
        self.handle.close()
        self.db.close()

    def rows(self, where: str, params: Sequence[object] = (), order: str = "line") -> list[Row]:
        sql = f"SELECT line, start, size FROM events WHERE repeat = 0 AND ({where})"
        sql += f" ORDER BY {order}"
        return [Row(*found) for found in self.db.execute(sql, tuple(params))]

    def read(self, rows: Iterable[Row]) -> list[Event]:
        """The events of these rows, read from the log's bytes."""
        return [event for _, event in self.numbered(rows)]

    def numbered(self, rows: Iterable[Row]) -> list[tuple[int, Event]]:
        """The events of these rows, each with its line number, read from the log's bytes:
        lines next to each other in the file in one read, and all of them decoded in one
        parse (a parse a line cost more than decoding it, for a few thousand lines apart)."""
        from xixin_cli.status_log import parse_log

        fd = self.handle.fileno()
        runs: list[bytes] = []
        numbers: list[int] = []  # the log's line number of each line of `runs`, in order
        run: list[Row] = []

        def flush() -> None:
            if run:
                first, last = run[0], run[-1]
                runs.append(os.pread(fd, last.start + last.size - first.start, first.start))
                numbers.extend(range(first.line, last.line + 1))
                run.clear()

        for row in rows:
            if run and not (row.line == run[-1].line + 1 and row.start == _end(run[-1]) + 1):
                flush()
            run.append(row)
        flush()
        if not runs:
            return []
        # a BOM is skipped only when the log's first line leads: parse_log reads line 1 so
        first = 1 if numbers[0] == 1 else 2
        read = parse_log(b"\n".join(runs), str(self.path), first_line=first)
        return [
            (numbers[at - first], event) for at, event in zip(read.lines, read.events, strict=True)
        ]

    def lines_of(self, where: str, params: Sequence[object] = ()) -> list[tuple[int, Event]]:
        """Every line (repeats too, as `parse_log` gives them) whose event `where` holds, with
        its line number, in the log's order; and the unindexed last line's, as `keep` says."""
        rows = [
            Row(*found)
            for found in self.db.execute(
                f"SELECT line, start, size FROM events WHERE {where} ORDER BY line", tuple(params)
            )
        ]
        return [(row.line, event) for row in rows for event in self.read([row])]

    def count(self) -> int:
        """How many events the log holds, repeats included (as `parse_log` counts them)."""
        return int(self.db.execute("SELECT count(*) FROM events").fetchone()[0]) + len(self.tail)

    def select(self, query: Query) -> list[Event]:
        """The events `query` asks for, in the log's order, each event id once."""
        found = self._remembered(query)
        if self.tail:
            known = {event.event_id for event in found}
            for event in self.tail:
                if query.keep(event) and event.event_id not in known and not self.has(event):
                    found.append(event)
        return found

    def _remembered(self, query: Query) -> list[Event]:
        """The indexed lines' events `query` asks for: a large answer kept in the memo, with
        the lines indexed since it was kept read on top; else read, and kept if large."""
        import pickle

        from xixin_cli.cache import _STAMP

        key = "|".join((_STAMP, query.where, repr(query.params)))
        kept = self.db.execute("SELECT upto, events FROM memo WHERE key = ?", (key,)).fetchone()
        lines = int(_meta(self.db).get("lines", 0))  # type: ignore[call-overload]
        if kept is not None and kept[0] <= lines:
            upto, blob = kept
            since = self.read(self.rows(f"line > ? AND ({query.where})", (upto, *query.params)))
            found: list[Event] = pickle.loads(blob) + since
            if len(since) < MEMO_MIN // 4:
                return found  # kept again once many lines came in since
        else:
            found = self.read(self.rows(query.where, query.params))
        if len(found) >= MEMO_MIN and not self.db.in_transaction:  # not in a caller's snapshot
            blob = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(sqlite3.Error):  # busy: it is kept another time
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute("DELETE FROM memo WHERE key = ?", (key,))
                self.db.execute("INSERT INTO memo VALUES (?, ?, ?)", (key, lines, blob))
                self.db.execute(
                    "DELETE FROM memo WHERE rowid NOT IN "
                    "(SELECT rowid FROM memo ORDER BY rowid DESC LIMIT ?)",
                    (MEMO_KEPT,),
                )
                self.db.execute("COMMIT")
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
        return found

    def has(self, event: Event) -> bool:
        """Whether an indexed line holds this event id."""
        return (
            self.db.execute(
                "SELECT 1 FROM events WHERE event = ? LIMIT 1", (event.event_id,)
            ).fetchone()
            is not None
        )

    def known(self, ids: Sequence[str]) -> set[str]:
        """Which of these event ids the log holds."""
        found = _present(self.db, ids)
        found.update(event.event_id for event in self.tail if event.event_id in ids)
        return found

    def first_lines(self, ids: Sequence[str]) -> dict[str, Row]:
        """For each of these event ids that an indexed line holds, its first line."""
        found: dict[str, Row] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for event, *row in self.db.execute(
                f"SELECT event, line, start, size FROM events WHERE repeat = 0 "
                f"AND event IN ({marks})",
                tuple(chunk),
            ):
                found[event] = Row(*row)
        return found

    def merged(self, digest: str) -> tuple[int, str] | None:
        """What merging the source whose bytes have this SHA-256 found, when every record of
        it is in this log (records already here, collisions as JSON), else None."""
        if self.tail:
            return None
        found = self.db.execute(
            "SELECT already, collisions FROM merged WHERE digest = ?", (digest,)
        ).fetchone()
        return (int(found[0]), str(found[1])) if found is not None else None

    def skipped_of(self, digest: str) -> list[tuple[int, str | None, str]] | None:
        """The lines the readers of the source whose bytes have this SHA-256 skip, (line,
        field, code) as `parse_log` reports them, when `merged` knows it; else None."""
        if self.tail:
            return None
        found = self.db.execute("SELECT warnings FROM merged WHERE digest = ?", (digest,))
        row = found.fetchone()
        if row is None:
            return None
        import json

        return [(int(line), field, str(code)) for line, field, code in json.loads(row[0])]

    def raw(self, row: Row) -> bytes:
        return os.pread(self.handle.fileno(), row.size, row.start)

    def latest_of(self, writer: str, skip: set[str]) -> Event | None:
        """The writer's latest record (by when it was written: `rules.written`, what the
        clerk typed last, backdated or not) that is not an undo and not in `skip`."""
        from xixin_cli.rules import written

        made = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'events_written'"
        ).fetchone()
        sql = (  # without the index (not made yet): the same rows, sorted here
            "SELECT line, start, size FROM events "
            + ("INDEXED BY events_written " if made else "")
            + "WHERE writer = ? AND undoes IS NULL AND repeat = 0 ORDER BY k2 DESC, event DESC"
        )
        best: Event | None = None
        for found in self.db.execute(sql, (writer,)):
            read = [event for event in self.read([Row(*found)]) if event.event_id not in skip]
            if read:
                best = read[0]
                break
        for event in self.tail:
            mine = event.writer == writer and event.undoes is None
            if (
                mine
                and event.event_id not in skip
                and (best is None or written(event) > written(best))
            ):
                best = event
        return best


def has_index(path: Path) -> bool:
    """Whether the log has an index file already (up to date or not)."""
    target = index_file(path)
    return target is not None and target.is_file()


def merged_before(target: Path, digest: str, name: str) -> tuple[Problem, ...] | None:
    """When `target`'s index remembers merging the source whose bytes have this SHA-256
    (every record of it there, and it verified): the lines that source's readers skip, as
    `parse_log` reports them (named `name`). Else None."""
    index = open_index(target)
    if index is None:
        return None
    try:
        found = index.skipped_of(digest)
    finally:
        index.close()
    if found is None:
        return None
    return tuple(Problem(name, line, field, code) for line, field, code in found)


def open_index(path: Path) -> LogIndex | None:
    """The log's index, brought up to date; None when there is no cache folder, no log, or the
    index cannot be kept (then the caller reads the log itself)."""
    target = index_file(path)
    if target is None:
        return None
    from xixin_cli.cache import _now_ns, _stamps, _vouch, held, prefix_crc
    from xixin_cli.status_log import check_regular, open_log

    before = _now_ns()
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    check_regular(path, info)
    handle = open_log(path)
    if handle is None:
        return None
    try:
        db = _connect(target)
    except (sqlite3.Error, OSError):
        handle.close()
        return None
    try:
        meta = _meta(db)
        seen = meta.get("seen")
        file = (meta.get("device", 0), meta.get("inode", 0))
        settled = isinstance(seen, str) and _vouch(info, file, _unseen(seen))  # type: ignore[arg-type]
        if not (settled and meta.get("offset") == info.st_size):
            db.execute("BEGIN IMMEDIATE")  # one process brings it up to date at a time
            meta = _meta(db)
            offset, crc, lines = (int(meta.get(key, 0)) for key in ("offset", "crc", "lines"))  # type: ignore[call-overload]
            fresh = os.fstat(handle.fileno())
            same = (fresh.st_dev, fresh.st_ino) == (meta.get("device"), meta.get("inode"))
            if not same or fresh.st_size < offset or prefix_crc(handle, offset) != crc:
                db.execute("DELETE FROM events")
                db.execute("DELETE FROM skipped")
                db.execute("DELETE FROM merged")
                db.execute("DELETE FROM memo")
                offset = crc = lines = 0
            handle.seek(offset)
            offset, crc, lines, tail = _index_more(db, handle, str(path), offset, crc, lines)
            held(fresh, offset, crc)
            stamps = _stamps(fresh, before)
            _put(
                db,
                device=fresh.st_dev,
                inode=fresh.st_ino,
                offset=offset,
                crc=crc,
                lines=lines,
                seen=",".join(map(str, stamps)) if stamps is not None and not tail else "",
            )
            db.execute("COMMIT")
            read = _tail_read(tail, str(path), lines)
            return LogIndex(path, db, handle, read.events, lines + 1, read.warnings)
        return LogIndex(path, db, handle, ())
    except sqlite3.Error:
        handle.close()
        db.close()
        return None
    except BaseException:
        handle.close()
        db.close()
        raise


def _unseen(text: str) -> tuple[int, int, int] | None:
    parts = text.split(",")
    if len(parts) != 3:
        return None
    try:
        return (int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _tail_read(tail: bytes, name: str, lines: int) -> LogRead:
    from xixin_cli.status_log import LogRead, parse_log

    return parse_log(tail, name, first_line=lines + 1) if tail else LogRead((), ())


def _connect(target: Path) -> sqlite3.Connection:
    """The index database, made anew (under its write lock, so two processes starting at once
    agree) when it is empty, another version's or not ours. A database that is busy beyond
    the wait raises OperationalError: the caller then reads the log itself. Only a file that
    is no database at all is removed (no process can be using it as one)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        db = sqlite3.connect(target, timeout=15, isolation_level=None)
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")  # a cache: lost on a power cut, rebuilt
            if _ours(db):
                return db
            db.execute("BEGIN IMMEDIATE")
            if not _ours(db):  # still not, now that no one else can be making it
                found = db.execute(
                    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                ).fetchall()
                for kind, name in found:
                    if kind in ("table", "view", "trigger"):
                        quoted = name.replace('"', '""')
                        db.execute(f'DROP {kind.upper()} IF EXISTS "{quoted}"')
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                _put(db, stamp=STAMP)
            db.execute("COMMIT")
            return db
        except sqlite3.OperationalError:
            db.close()
            raise
        except sqlite3.DatabaseError:  # not a database: start again
            db.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
    raise sqlite3.DatabaseError("the index cannot be made")


def _ours(db: sqlite3.Connection) -> bool:
    names = {
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master")
        if not row[0].startswith("sqlite_")
    }
    return bool(names) and names <= _OURS and "meta" in names and _meta(db).get("stamp") == STAMP


def _meta(db: sqlite3.Connection) -> dict[str, object]:
    return dict(db.execute("SELECT key, value FROM meta"))


def _put(db: sqlite3.Connection, **values: object) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())


def _index_more(
    db: sqlite3.Connection, handle: BinaryIO, name: str, offset: int, crc: int, lines: int
) -> tuple[int, int, int, bytes]:
    """Index the whole lines from `offset` on, a piece at a time; the new offset, CRC and line
    count, and the last line if it has no newline."""
    from xixin_cli.cache import _PIECE
    from xixin_cli.status_log import parse_log, pieces

    for piece in pieces(handle, _PIECE):
        if not piece.endswith(b"\n"):
            return offset, crc, lines, piece
        read = parse_log(piece, name, first_line=lines + 1)
        _insert(db, piece, read, offset, lines)
        crc = zlib.crc32(piece, crc)
        lines += piece.count(b"\n")
        offset += len(piece)
    return offset, crc, lines, b""


def _insert(db: sqlite3.Connection, piece: bytes, read: LogRead, offset: int, lines: int) -> None:
    """The rows of one piece of whole lines starting at byte `offset` after `lines` lines,
    from what `parse_log` read of it."""
    starts: list[tuple[int, int]] = []  # each line's (byte offset, length), found in place
    at, end = 0, piece.find(b"\n")
    while end >= 0:
        starts.append((offset + at, end - at))
        at, end = end + 1, piece.find(b"\n", end + 1)
    ids = [event.event_id for event in read.events]
    repeated = _present(db, ids)

    def rows() -> Iterator[tuple[object, ...]]:  # made as SQLite takes them: none held at once
        for event, number in zip(read.events, read.lines, strict=True):
            start, size = starts[number - lines - 1]
            first, written = order_key(event)[:2]
            repeat = event.event_id in repeated
            repeated.add(event.event_id)
            yield (
                number,
                start,
                size,
                event.event_id,
                event.item,
                event.writer,
                micros(first),
                micros(written),
                happened_on(event).toordinal(),
                event.undoes,
                event.kind.value,
                int(repeat),
                event.status.value,
                event.previous.value,
                event.office,
                event.chain,
                event.digest,
            )

    db.executemany(f"INSERT INTO events VALUES ({','.join('?' * 17)})", rows())
    db.executemany(
        "INSERT INTO skipped VALUES (?, ?, ?)", ((w.line, w.key, w.code) for w in read.warnings)
    )


#: What a merge found of one source, kept in the target's index: (SHA-256 of the source's
#: bytes, records the target has already, [line, event id] of each collision, [line, field,
#: code] of each line its readers skip).
Memo = tuple[str, int, str, str]


def extend(
    path: Path,
    start: int,
    payload: bytes,
    memos: Sequence[Memo],
    events: Sequence[Event] | None = None,
) -> LogRead | None:
    """After `payload` was appended to the log at byte `start` (under its lock, by a merge):
    index it from those bytes, without reading the log again, and keep what the merge found
    of each source (`memos`, for `merged`). What `parse_log` read of the payload, or None when
    the index did not cover exactly the log before it (then the next command indexes it, as
    any growth) or the log no longer holds the payload there. `events` are the payload's
    events, one a line, when the merge decoded them already (they are not decoded again)."""
    from xixin_cli.status_log import LogRead, parse_log

    target = index_file(path)
    if target is None:
        return None
    try:
        db = _connect(target)
    except (sqlite3.Error, OSError):
        return None
    try:
        db.execute("BEGIN IMMEDIATE")
        meta = _meta(db)
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            same = (info.st_dev, info.st_ino) == (meta.get("device"), meta.get("inode"))
            end = start + len(payload)
            if not (same and meta.get("offset") == start and info.st_size >= end):
                db.execute("ROLLBACK")
                return None
            if not _holds(handle, start, payload):
                db.execute("ROLLBACK")
                return None
        lines = int(meta.get("lines", 0))  # type: ignore[call-overload]
        count = payload.count(b"\n")
        if events is not None and len(events) == count:
            read = LogRead(tuple(events), (), tuple(range(lines + 1, lines + 1 + count)))
        else:
            read = parse_log(payload, str(path), first_line=lines + 1)
        if payload:  # the stamps the write moved can no longer vouch: the CRC decides
            _insert(db, payload, read, start, lines)
            crc = zlib.crc32(payload, int(meta.get("crc", 0)))  # type: ignore[call-overload]
            _put(db, offset=end, crc=crc, lines=lines + count, seen="")
            from xixin_cli.cache import held

            held(info, end, crc)  # this process need not read the prefix back for its CRC
        db.executemany(
            "INSERT OR REPLACE INTO merged VALUES (?, ?, ?, ?, ?)",
            ((digest, end, already, found, skipped) for digest, already, found, skipped in memos),
        )
        db.execute("COMMIT")
        return read
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _holds(handle: BinaryIO, start: int, payload: bytes, block: int = 1 << 20) -> bool:
    """Whether the log holds `payload` at byte `start`, read back a megabyte at a time (a
    county's merge appends megabytes: held twice at once, they were its peak)."""
    whole = memoryview(payload)
    for at in range(0, len(payload), block):
        part = whole[at : at + block]
        if os.pread(handle.fileno(), len(part), start + at) != part:
            return False
    return True


def _present(db: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of these event ids the index holds (asked 500 at a time: SQLite's limit on
    parameters is 999 in older builds)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in db.execute(f"SELECT event FROM events WHERE event IN ({marks})", chunk)
        )
    return found


# -- several logs ------------------------------------------------------------------------------


def select(paths: Sequence[Path], query: Query) -> tuple[Event, ...]:
    """The events of several logs that `query` asks for, each event id once (the first log's
    copy, as `read_logs`), in each log's order; through the index where there is one."""
    indexes: list[LogIndex] = []
    try:
        for path in paths:
            index = open_index(path)
            if index is None:
                return _read_all(paths, query.keep)
            indexes.append(index)
        found: list[Event] = []
        seen: set[str] = set()
        for n, index in enumerate(indexes):
            events = index.select(query)
            if n:  # an id an earlier log holds counts as that log's record, whatever it is
                ids = [event.event_id for event in events]
                for earlier in indexes[:n]:
                    seen |= earlier.known(ids)
            for event in events:
                if event.event_id not in seen:
                    seen.add(event.event_id)
                    found.append(event)
        return tuple(found)
    finally:
        for index in indexes:
            index.close()


def _read_all(paths: Sequence[Path], keep: Callable[[Event], bool]) -> tuple[Event, ...]:
    """Without an index: every log read whole, a piece at a time, and the events kept."""
    from xixin_cli.status_log import read_logs

    events, _ = read_logs(paths)
    return tuple(event for event in events if keep(event))


def undo_events(paths: Sequence[Path], writer: str, which: str = "") -> tuple[Event, ...]:
    """The events `rules.undo` needs to decide an undo, which it then decides as it would on
    the whole log: every undo; the writer's records whose id starts with `which` or, without
    it, the writer's latest change not undone yet; and every record of the items the command
    that made it changed (for the state before it). All from one snapshot of the log's index,
    so that an undo recorded meanwhile by another process is seen by all of them or none."""
    from xixin_cli.rules import undone_ids
    from xixin_cli.status_log import read_logs

    index = open_index(paths[0]) if len(paths) == 1 else None
    if index is None:
        return read_logs(paths)[0]
    try:
        # latest_of's index, made once, outside the read snapshot (a write inside it waits for
        # no one: another process's write makes it fail at once); locked or read-only, latest_of
        # sorts without it
        with contextlib.suppress(sqlite3.OperationalError):
            index.db.execute(
                "CREATE INDEX IF NOT EXISTS events_written ON events (writer, k2 DESC, event DESC)"
                " WHERE undoes IS NULL AND repeat = 0"
            )
        index.db.execute("BEGIN")  # one read snapshot for every query below
        found = index.select(undos())
        target: Event | None = None
        if which:
            if len(which) < 4:
                return tuple(found)  # too short: rules.undo says so
            named = index.select(id_prefix(writer, which))
            found += named
            target = named[0] if len(named) == 1 else None
        else:
            target = index.latest_of(writer, undone_ids(found))
        if target is not None:
            command = index.select(by_writer_at(target.writer, target.at))
            found += command
            for item in dict.fromkeys(event.item for event in command):
                found += index.select(for_item(item))
        return tuple({event.event_id: event for event in found}.values())
    finally:
        if index.db.in_transaction:
            index.db.execute("COMMIT")
        index.close()


# -- the evidence records, for verify and doctor -----------------------------------------------

#: verify and doctor check every evidence record's file; such records are few (a file attached
#: now and then), and without an index of their own finding them reads every row (0.2-0.6 s at
#: 800,000 records). A partial index holds only them, made the first time they are asked for.
_OURS |= {"events_evidence"}


def evidence_lines(index: LogIndex) -> list[tuple[int, Event]]:
    """Every indexed line that holds an evidence record (repeats too), with its line number,
    in the log's order (the unindexed last line's are the caller's)."""
    index.db.execute(
        "CREATE INDEX IF NOT EXISTS events_evidence ON events (line) WHERE kind = 'evidence'"
    )
    return index.lines_of(
        "line IN (SELECT line FROM events INDEXED BY events_evidence WHERE kind = 'evidence')"
    )
