"""`verify`, remembered: how far a log was verified, so that only what was added is checked.

What `checks.verify_log` finds by reading the whole log, this finds by reading only what was
appended since the last verify, with what it must remember of the verified prefix kept in the
log's index database (log_index.py): every (writer, hash) with the first line that has it, every
event id with its line and a digest of its content, each writer's last line, the problems
found so far, and the chains that pointed at no hash yet (they become `moved` if that hash
turns up further down). It also keeps the prefix's length and SHA-256: a verify first reads the
verified prefix again and compares its SHA-256, so a change to a line verified before (an edit
that keeps the length, a line deleted and another appended) sends it back to the start, and
the whole log is verified again. `verify --full` always starts from there. The answers are the
ones `verify_log` gives on the whole file (a property test holds it to that).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from xixin_cli.errors import Problem
from xixin_cli.status_log import LOG_VERSION, LineError, Signed, pieces, read_signed

_TABLES = """
CREATE TABLE IF NOT EXISTS verified_hashes (
    hash TEXT, writer TEXT, any_line INTEGER, signed_line INTEGER, PRIMARY KEY (hash, writer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verified_ids (
    event TEXT PRIMARY KEY, line INTEGER, digest BLOB
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verified_writers (writer TEXT PRIMARY KEY, last INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verified_pending (
    seq INTEGER PRIMARY KEY, writer TEXT, chain TEXT
);
CREATE TABLE IF NOT EXISTS verified_problems (
    seq INTEGER PRIMARY KEY, line INTEGER, field TEXT, code TEXT, params TEXT
);
"""

_RESET = (
    "DELETE FROM verified_hashes",
    "DELETE FROM verified_ids",
    "DELETE FROM verified_writers",
    "DELETE FROM verified_pending",
    "DELETE FROM verified_problems",
)


def _digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


class _State:
    """What verification remembers, read from the database as needed and held in memory
    until it is written back (or dropped, for a last line without its newline)."""

    def __init__(self, db: sqlite3.Connection, name: str, *, fresh: bool = False) -> None:
        self.db = db
        self.name = name
        # When verifying from the start, what the database holds is what this run wrote: a key
        # the filter has not seen is in no table, and is not looked up.
        self.written = _Written() if fresh else None
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'v_%'"))
        self.records = int(meta.get("v_records", 0))
        self.repeated = int(meta.get("v_repeated", 0))
        self.writers: dict[str, int] = dict(db.execute("SELECT writer, last FROM verified_writers"))
        self.heads: dict[str, str] = {}  # each writer's latest signed hash: most chains' target
        # (writer, hash) -> [any_line, signed_line] for the hashes added and not yet written
        self.hashes: dict[tuple[str, str], list[int | None]] = {}
        self.ids: dict[str, tuple[int, bytes]] = {}
        self.absent: set[tuple[str, str]] = set()  # pairs the database was asked for and lacks
        self.pending: dict[tuple[str, str], list[int]] = {}  # (writer, chain) -> problem seqs
        for seq, writer, chain in db.execute("SELECT seq, writer, chain FROM verified_pending"):
            self.pending.setdefault((writer, chain), []).append(seq)
        last = db.execute("SELECT max(seq) FROM verified_problems").fetchone()[0]
        self.seq = int(last or 0)
        self.problems: dict[int, Problem] = {}  # new or changed, by seq
        self.resolved: set[int] = set()  # pending seqs no longer pending

    # -- lookups through memory, then the database

    def prefetch(self, keys: list[tuple[str, str]]) -> None:
        """Bring these (writer, hash) pairs into memory from the database, in batches, and
        note the ones it does not have (so that looking them up costs nothing)."""
        wanted = [key for key in keys if key not in self.hashes and key not in self.absent]
        written = self.written
        asked = wanted if written is None else [key for key in wanted if key in written]
        hashes = sorted({digest for _, digest in asked})
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for digest, writer, any_line, signed_line in self.db.execute(
                f"SELECT hash, writer, any_line, signed_line FROM verified_hashes "
                f"WHERE hash IN ({marks})",
                chunk,
            ):
                self.hashes[(writer, digest)] = [any_line, signed_line]
        self.absent.update(key for key in wanted if key not in self.hashes)

    def hash_lines(self, writer: str, digest: str) -> list[int | None] | None:
        found = self.hashes.get((writer, digest))
        if found is not None or (writer, digest) in self.absent:
            return found
        if self.written is not None and (writer, digest) not in self.written:
            return None
        row = self.db.execute(
            "SELECT any_line, signed_line FROM verified_hashes WHERE hash = ? AND writer = ?",
            (digest, writer),
        ).fetchone()
        if row is None:
            return None
        found = [row[0], row[1]]
        self.hashes[(writer, digest)] = found
        return found

    def id_line(
        self, event: str, prefetched: dict[str, tuple[int, bytes]]
    ) -> tuple[int, bytes] | None:
        return self.ids.get(event) or prefetched.get(event)

    def problem(self, problem: Problem) -> int:
        self.seq += 1
        self.problems[self.seq] = problem
        return self.seq

    def flush(self) -> None:
        """Write what was found back, and forget it from memory."""
        db = self.db
        if self.written is not None:
            self.written.add(self.hashes)
            self.written.add(self.ids)
        db.executemany(
            "INSERT OR REPLACE INTO verified_hashes VALUES (?, ?, ?, ?)",
            sorted((h, w, lines[0], lines[1]) for (w, h), lines in self.hashes.items()),
        )
        db.executemany(
            "INSERT OR REPLACE INTO verified_ids VALUES (?, ?, ?)",
            sorted((event, line, digest) for event, (line, digest) in self.ids.items()),
        )
        db.executemany(
            "INSERT OR REPLACE INTO verified_writers VALUES (?, ?)", self.writers.items()
        )
        db.executemany(
            "INSERT OR REPLACE INTO verified_problems VALUES (?, ?, ?, ?, ?)",
            (
                (seq, p.line, p.key, p.code, json.dumps(p.params, ensure_ascii=False))
                for seq, p in self.problems.items()
            ),
        )
        db.executemany("DELETE FROM verified_pending WHERE seq = ?", ((s,) for s in self.resolved))
        known = {s for (s,) in db.execute("SELECT seq FROM verified_pending")}
        db.executemany(
            "INSERT INTO verified_pending VALUES (?, ?, ?)",
            (
                (seq, writer, chain)
                for (writer, chain), seqs in self.pending.items()
                for seq in seqs
                if seq not in known
            ),
        )
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (("v_records", self.records), ("v_repeated", self.repeated)),
        )
        self.hashes.clear()
        self.absent.clear()
        self.ids.clear()
        self.problems.clear()
        self.resolved.clear()

    def all_problems(self) -> list[Problem]:
        """Every problem found, the remembered ones with this run's on top, by line."""
        found: dict[int, Problem] = {
            seq: Problem(self.name, line, field, code, **json.loads(params))
            for seq, line, field, code, params in self.db.execute(
                "SELECT seq, line, field, code, params FROM verified_problems"
            )
        }
        found.update(self.problems)
        ordered = [found[seq] for seq in sorted(found)]
        ordered.sort(key=lambda problem: problem.line or 0)
        return ordered


class _Written:
    """A Bloom filter of keys (event ids, (writer, hash) pairs): it can say a key was added
    when it was not (rarely: then the database is asked), never the other way round."""

    def __init__(self) -> None:
        self.bits = bytearray(1 << 21)  # 16 million bits, two for each key: 2 MB

    def add(self, keys: Iterable[object]) -> None:
        bits = self.bits
        for key in keys:
            h = hash(key)
            one, two = h & 0xFFFFFF, (h >> 24) & 0xFFFFFF
            bits[one >> 3] |= 1 << (one & 7)
            bits[two >> 3] |= 1 << (two & 7)

    def __contains__(self, key: object) -> bool:
        h = hash(key)
        one, two = h & 0xFFFFFF, (h >> 24) & 0xFFFFFF
        bits = self.bits
        return bool(bits[one >> 3] >> (one & 7) & 1) and bool(bits[two >> 3] >> (two & 7) & 1)


def _lines(piece: bytes, first: int) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(piece.split(b"\n"), start=first):
        if raw.strip():
            yield number, raw


def _check_piece(state: _State, piece: bytes, first: int, *, last: bool) -> None:
    """Check the lines of `piece` (its first line is number `first`); `last` when it is the
    log's last line, without a newline (a bad one is torn)."""
    name = state.name
    parsed: list[tuple[int, Signed, bytes]] = []
    for number, raw in _lines(piece, first):
        try:
            record = read_signed(raw)
        except LineError as bad:
            torn = last and bad.code == "log.bad_line"
            state.problem(Problem(name, number, None, "log.torn" if torn else bad.code))
            continue
        if record is None:
            state.problem(Problem(name, number, "v", "log.bad_record"))
            continue
        parsed.append((number, record, raw))
    prefetched = _ids_known(state, [record.event for _, record, _ in parsed])
    state.prefetch(
        [
            (record.writer, record.digest)
            for _, record, _ in parsed
            if isinstance(record.writer, str) and isinstance(record.digest, str)
        ]
    )
    for number, record, raw in parsed:
        _check_record(state, number, record, raw, prefetched)


def _ids_known(state: _State, ids: list[object]) -> dict[str, tuple[int, bytes]]:
    written = state.written
    wanted = [
        event
        for event in ids
        if isinstance(event, str)
        and event not in state.ids
        and (written is None or event in written)
    ]
    found: dict[str, tuple[int, bytes]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for event, line, digest in state.db.execute(
            f"SELECT event, line, digest FROM verified_ids WHERE event IN ({marks})", chunk
        ):
            found[event] = (line, digest)
    return found


def _check_record(
    state: _State,
    number: int,
    record: Signed,
    raw: bytes,
    prefetched: dict[str, tuple[int, bytes]],
) -> None:
    name = state.name
    if record.version > LOG_VERSION:
        state.problem(Problem(name, number, "v", "verify.newer", found=record.version))
        return
    event = record.event
    if isinstance(event, str):
        digest_of = _digest(raw.rstrip(b"\r"))
        before = state.id_line(event, prefetched)
        if before is not None:
            if before[1] == digest_of:
                state.repeated += 1  # the same record twice: harmless, counted once
            else:
                state.problem(Problem(name, number, "event", "verify.duplicate", first=before[0]))
            return
        state.ids[event] = (number, digest_of)
    writer, chain, digest = record.writer, record.chain, record.digest
    own = None
    if isinstance(writer, str) and isinstance(digest, str):
        own = state.hash_lines(writer, digest)
        if own is None:
            own = state.hashes[(writer, digest)] = [number, None]
            pointed = state.pending.pop((writer, digest), ()) if state.pending else ()
            for seq in pointed:  # a chain that pointed here
                waiting = state.problems.get(seq) or _stored(state, seq)
                state.problems[seq] = Problem(
                    name, waiting.line, "chain", "verify.moved", writer=writer, other=number
                )
                state.resolved.add(seq)
    state.records += 1
    if not (isinstance(writer, str) and isinstance(chain, str) and isinstance(digest, str)):
        state.problem(Problem(name, number, None, "verify.unsigned"))
        return
    if record.hashed() != digest:
        state.problem(Problem(name, number, None, "verify.edited"))
    if chain and state.heads.get(writer) != chain:
        known = state.hash_lines(writer, chain)
        if known is None or known[1] is None:
            if known is not None and known[0] is not None:  # an unsigned record had it
                state.problem(
                    Problem(name, number, "chain", "verify.moved", writer=writer, other=known[0])
                )
            elif writer in state.writers:
                seq = state.problem(
                    Problem(
                        name,
                        number,
                        "chain",
                        "verify.gap",
                        writer=writer,
                        last=state.writers[writer],
                    )
                )
                state.pending.setdefault((writer, chain), []).append(seq)
            else:
                seq = state.problem(
                    Problem(name, number, "chain", "verify.no_start", writer=writer)
                )
                state.pending.setdefault((writer, chain), []).append(seq)
    assert own is not None  # found or added above
    if own[1] is None:
        own[1] = number
        state.writers[writer] = number
    elif writer not in state.writers:
        state.writers[writer] = number
    state.heads[writer] = digest


def _stored(state: _State, seq: int) -> Problem:
    line, field, code, params = state.db.execute(
        "SELECT line, field, code, params FROM verified_problems WHERE seq = ?", (seq,)
    ).fetchone()
    return Problem(state.name, line, field, code, **json.loads(params))


class Result:
    """What verifying found, as checks.Verified, and the lines it covered."""

    def __init__(self, records: int, writers: int, problems: list[Problem], repeated: int):
        self.records = records
        self.writers = writers
        self.problems = tuple(problems)
        self.repeated = repeated


def verify_open(
    db: sqlite3.Connection, handle: BinaryIO, name: str, *, full: bool = False
) -> Result:
    """Verify the open log, from where the last verify stopped (all of it with `full`, or
    when the prefix verified before is no longer what it was), and remember how far."""
    import os

    db.executescript(_TABLES)
    db.execute("PRAGMA cache_size = -8192")  # 8 MB of pages: enough, and memory stays bounded
    db.execute("BEGIN IMMEDIATE")
    try:
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'v_%'"))
        offset, lines = int(meta.get("v_offset", 0)), int(meta.get("v_lines", 0))
        info = os.fstat(handle.fileno())
        same = (info.st_dev, info.st_ino) == (meta.get("v_device"), meta.get("v_inode"))
        hasher = hashlib.sha256()
        if (
            full
            or offset == 0  # nothing verified yet: start from empty tables, known to be empty
            or not same
            or info.st_size < offset
            or not _prefix_same(handle, offset, hasher, meta)
        ):
            for statement in _RESET:
                db.execute(statement)
            db.executemany(
                "DELETE FROM meta WHERE key = ?",
                ((key,) for key in ("v_records", "v_repeated", "v_offset", "v_lines", "v_sha")),
            )
            offset = lines = 0
            hasher = hashlib.sha256()
        state = _State(db, name, fresh=offset == 0)
        handle.seek(offset)
        tail = b""
        for piece in pieces(handle, _PIECE):
            if not piece.endswith(b"\n"):
                tail = piece
                break
            hasher.update(piece)
            text = piece[3:] if offset == 0 and piece.startswith(b"\xef\xbb\xbf") else piece
            _check_piece(state, text, lines + 1, last=False)
            lines += piece.count(b"\n")
            offset += len(piece)
            state.flush()
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (
                ("v_offset", offset),
                ("v_lines", lines),
                ("v_sha", hasher.hexdigest()),
                ("v_device", info.st_dev),
                ("v_inode", info.st_ino),
            ),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    if tail:  # a last line without its newline: checked each time, never remembered
        text = tail[3:] if offset == 0 and tail.startswith(b"\xef\xbb\xbf") else tail
        _check_piece(state, text, lines + 1, last=True)
    return Result(state.records, len(state.writers), state.all_problems(), state.repeated)


#: How much of the log is checked at a time (status_log.PIECE; tests make it small).
_PIECE = 4 << 20


def _prefix_same(handle: BinaryIO, offset: int, hasher: Any, meta: dict[str, Any]) -> bool:
    """Whether the first `offset` bytes still have the SHA-256 they had when verified (read a
    megabyte at a time; `hasher` is left having read them)."""
    handle.seek(0)
    left = offset
    while left > 0:
        block = handle.read(min(1 << 20, left))
        if not block:
            return False
        hasher.update(block)
        left -= len(block)
    return offset == 0 or hasher.hexdigest() == meta.get("v_sha")
