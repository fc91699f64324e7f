"""`verify`, remembered: how far a log was verified, so that only what was added is checked.

What `checks.verify_log` finds by reading the whole log, this finds by reading only what was
appended since the last verify, with what it must remember of the verified prefix kept in the
log's index database (log_index.py): every (writer, hash) with the first line that has it, every
event id with its line and a digest of its content, each writer's last line, the problems
found so far, and the chains that pointed at no hash yet (they become `moved` if that hash
turns up further down). It also keeps the prefix's length and SHA-256: a verify first reads the
verified prefix again (in a thread, while the index catches up) and compares its SHA-256, so a
change to a line verified before (an edit that keeps the length, a line deleted and another
appended) sends it back to the start, and the whole log is verified again. The answers are
the ones `verify_log` gives on the whole file (a property test holds it to that).

`verify --full` trusts nothing remembered: it reads every line again and keeps what it must
know of the lines before in memory for that one run (`_Memory`), compactly, and writes nothing
back (writing 400,000 rows was a third of its time; what is remembered is checked by its
SHA-256 before any later verify uses it, so it need not be made again).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate, count
from operator import add
from pathlib import Path
from typing import Any, BinaryIO

from xixin_cli.errors import Problem
from xixin_cli.status_log import (
    LOG_VERSION,
    LineError,
    Signed,
    pieces,
    plain_signed,
    read_signed,
)

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


#: What a lookup of a (writer, hash) finds: the first line that had it, and the first signed
#: line that had it (None while only unsigned records had it).
Lines = tuple[int, int | None] | list[int | None]


class _Verifying:
    """What checking a record needs of the records before it, and what it found: the rules
    (`_check_record`) ask these methods, which `_State` answers from the database and
    `_Memory` from memory."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records = self.repeated = self.seq = 0
        self.writers: dict[str, int] = {}  # each writer's latest line with a new signed hash
        self.heads: dict[str, str] = {}  # each writer's latest signed hash: most chains' target
        self.pending: dict[tuple[str, str], list[int]] = {}  # (writer, chain) -> problem seqs
        self.problems: dict[int, Problem] = {}  # new or changed, by seq
        self.resolved: set[int] = set()  # pending seqs no longer pending

    def hash_lines(self, writer: str, digest: str) -> Lines | None:
        """The first line with this (writer, hash), and None for the second when no signed
        record had it (else any line); None when no record had it."""
        raise NotImplementedError

    def add_hash(self, writer: str, digest: str, line: int, *, signed: bool) -> None:
        """A (writer, hash) seen for the first time, on `line`."""
        raise NotImplementedError

    def sign_hash(self, writer: str, digest: str, line: int) -> None:
        """The first signed record with a (writer, hash) only unsigned ones had before."""
        raise NotImplementedError

    def first_of(self, event: str, line: int, raw: bytes) -> tuple[int, bool] | None:
        """None for an event id not seen before (now remembered, on `line`); else its first
        line, and whether that line's record is this one byte for byte."""
        raise NotImplementedError

    def problem(self, problem: Problem) -> int:
        self.seq += 1
        self.problems[self.seq] = problem
        return self.seq

    def problem_of(self, seq: int) -> Problem:
        return self.problems[seq]

    def all_problems(self) -> list[Problem]:
        return _by_line(self.problems)


class _State(_Verifying):
    """What verification remembers, read from the database as needed and held in memory
    until it is written back (or dropped, for a last line without its newline)."""

    def __init__(self, db: sqlite3.Connection, name: str, *, fresh: bool = False) -> None:
        super().__init__(name)
        self.db = db
        # When verifying from the start, what the database holds is what this run wrote: a key
        # the filter has not seen is in no table, and is not looked up.
        self.written = _Written() if fresh else None
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'v_%'"))
        self.records = int(meta.get("v_records", 0))
        self.repeated = int(meta.get("v_repeated", 0))
        self.writers = dict(db.execute("SELECT writer, last FROM verified_writers"))
        # (writer, hash) -> [any_line, signed_line] for the hashes added and not yet written
        self.hashes: dict[tuple[str, str], list[int | None]] = {}
        self.ids: dict[str, tuple[int, bytes]] = {}
        self.known_ids: dict[str, tuple[int, bytes]] = {}  # this piece's ids the database has
        self.absent: set[tuple[str, str]] = set()  # pairs the database was asked for and lacks
        for seq, writer, chain in db.execute("SELECT seq, writer, chain FROM verified_pending"):
            self.pending.setdefault((writer, chain), []).append(seq)
        last = db.execute("SELECT max(seq) FROM verified_problems").fetchone()[0]
        self.seq = int(last or 0)

    # -- lookups through memory, then the database

    def prepare(self, parsed: list[tuple[int, Signed, bytes]]) -> None:
        """Bring what the database knows of this piece's keys into memory, in batches."""
        self.known_ids = _ids_known(self, [record.event for _, record, _ in parsed])
        self.prefetch(
            [
                (record.writer, record.digest)
                for _, record, _ in parsed
                if isinstance(record.writer, str) and isinstance(record.digest, str)
            ]
        )

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

    def hash_lines(self, writer: str, digest: str) -> Lines | None:
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

    def add_hash(self, writer: str, digest: str, line: int, *, signed: bool) -> None:
        self.hashes[(writer, digest)] = [line, line if signed else None]

    def sign_hash(self, writer: str, digest: str, line: int) -> None:
        self.hashes[(writer, digest)][1] = line

    def first_of(self, event: str, line: int, raw: bytes) -> tuple[int, bool] | None:
        digest = _digest(raw.rstrip(b"\r"))
        before = self.ids.get(event) or self.known_ids.get(event)
        if before is None:
            self.ids[event] = (line, digest)
            return None
        return before[0], before[1] == digest

    def problem_of(self, seq: int) -> Problem:
        found = self.problems.get(seq)
        if found is not None:
            return found
        line, field, code, params = self.db.execute(
            "SELECT line, field, code, params FROM verified_problems WHERE seq = ?", (seq,)
        ).fetchone()
        return Problem(self.name, line, field, code, **json.loads(params))

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
        return _by_line(found)


def _by_line(found: dict[int, Problem]) -> list[Problem]:
    ordered = [found[seq] for seq in sorted(found)]
    ordered.sort(key=lambda problem: problem.line or 0)
    return ordered


class _Memory(_Verifying):
    """`verify --full`: what the lines checked so far hold, in memory for one run and written
    nowhere. A key (an event id; a writer and hash) is kept as its 64-bit `hash()`, with the
    number of the first line that has it (about 100 bytes a key, where the key itself would
    take twice that), and each line's byte offset in an array (8 bytes a line). When a key's
    hash is there, that line is read back from the log and compared, so the answer is exact;
    a key whose hash another key has already is kept by its text."""

    def __init__(self, handle: BinaryIO | None, name: str) -> None:
        super().__init__(name)
        self.fd = -1 if handle is None else handle.fileno()
        self.starts = array("q")  # where each line starts (line n at n - 1)
        self.id_at: dict[int, int] = {}  # hash(event id) -> its first line
        self.hash_at: dict[int, int] = {}  # hash((writer, hash)) -> its first line
        self.id_text: dict[str, int] = {}  # the keys whose hash() another key had first
        self.hash_text: dict[tuple[str, str], int] = {}
        self.unsigned: set[tuple[str, str]] = set()  # the (writer, hash)s no signed record had

    def check_piece(self, piece: bytes, first: int, at: int, *, last: bool) -> None:
        """As `_check_piece`, line by line; a record that needs no lookup (most: a new id, a
        new hash, signed, its hash right, its chain none or the writer's last hash) is done
        here, as `_check_record` would do it, in a fraction of the time.

        A plain line (status_log.plain_signed: a record as xixin writes it) comes with the
        fields `read_signed` reads and its content's hash, and no `Signed` is made unless the
        record needs `_check_record`; any other line is read by `read_signed` itself."""
        id_at, hash_at, heads, writers, pending = (
            self.id_at,
            self.hash_at,
            self.heads,
            self.writers,
            self.pending,
        )
        raws, plains = plain_signed(piece)
        # where each line starts: line `first` where the piece does (the empty "line" after
        # the last piece's newline ended there), each next one a newline after the one before
        del self.starts[first - 1 :]
        self.starts.extend(map(add, accumulate(map(len, raws), initial=at), count()))
        records = 0
        for number, plain in enumerate(plains, start=first):
            if plain is None:
                raw = raws[number - first]
                record = _signed_line(self, number, raw, last)
                if record is not None:
                    _check_record(self, number, record, raw)
                continue
            version, event, writer, chain, digest, known = plain
            if known == digest and (not chain or heads.get(writer) == chain):
                ikey, hkey = hash(event), hash((writer, digest))
                if (
                    ikey not in id_at
                    and hkey not in hash_at
                    and not (pending and (writer, digest) in pending)
                ):
                    id_at[ikey] = hash_at[hkey] = number
                    records += 1
                    writers[writer] = number
                    heads[writer] = digest
                    continue
            signed = Signed(version, event, writer, chain, digest, None, known)
            _check_record(self, number, signed, raws[number - first])
        self.records += records

    def _line(self, number: int) -> bytes:
        """A line read already, read back from the log (without its newline)."""
        at = self.starts[number - 1]
        return os.pread(self.fd, self.starts[number] - 1 - at, at)

    def _record(self, number: int) -> Signed | None:
        try:
            return read_signed(self._line(number))
        except LineError:  # changed since it was read: not the key's line any more
            return None

    def hash_lines(self, writer: str, digest: str) -> Lines | None:
        line = self.hash_at.get(hash((writer, digest)))
        if line is None:
            return None
        record = self._record(line)
        if record is None or record.writer != writer or record.digest != digest:
            line = self.hash_text.get((writer, digest))  # another had this hash() first
            if line is None:
                return None
        return line, None if (writer, digest) in self.unsigned else line

    def add_hash(self, writer: str, digest: str, line: int, *, signed: bool) -> None:
        key = hash((writer, digest))
        if key in self.hash_at:  # another (writer, hash) has this hash(): kept by its text
            self.hash_text[(writer, digest)] = line
        else:
            self.hash_at[key] = line
        if not signed:
            self.unsigned.add((writer, digest))

    def sign_hash(self, writer: str, digest: str, line: int) -> None:
        self.unsigned.discard((writer, digest))

    def first_of(self, event: str, line: int, raw: bytes) -> tuple[int, bool] | None:
        key = hash(event)
        first = self.id_at.get(key)
        if first is None:
            self.id_at[key] = line
            return None
        content = raw.rstrip(b"\r")
        if self._line(first).rstrip(b"\r") == content:
            return first, True
        record = self._record(first)
        if record is not None and record.event == event:
            return first, False
        other = self.id_text.get(event)  # another id had this hash() first
        if other is not None:
            return other, self._line(other).rstrip(b"\r") == content
        self.id_text[event] = line
        return None


class _Bytes(_Memory):
    """`_Memory` over a log held as bytes: a line read back is sliced from them."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(None, name)
        self.data = data

    def _line(self, number: int) -> bytes:
        at = self.starts[number - 1]
        return self.data[at : self.starts[number] - 1]


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


def _check_piece(state: _State, piece: bytes, first: int, *, last: bool) -> None:
    """Check the lines of `piece` (its first line is number `first`); `last` when it is the
    log's last line, without a newline (a bad one is torn)."""
    parsed = [
        (number, record, raw)
        for number, raw, record in _signed_lines(state, piece, first, last)
        if record is not None
    ]
    state.prepare(parsed)
    for number, record, raw in parsed:
        _check_record(state, number, record, raw)


def _signed_lines(
    state: _Verifying, piece: bytes, first: int, last: bool
) -> Iterator[tuple[int, bytes, Signed | None]]:
    """Each line of `piece` with its number (the first is `first`) and its record as verify
    reads it; None for a blank line (bytes.isspace: ASCII spaces) and for a line that is no
    record, which is told to `state` as such."""
    for number, raw in enumerate(piece.split(b"\n"), start=first):
        yield number, raw, _signed_line(state, number, raw, last)


def _signed_line(state: _Verifying, number: int, raw: bytes, last: bool) -> Signed | None:
    """One line's record as verify reads it; None for a blank line and for a line that is no
    record, which is told to `state` as such."""
    if not raw or raw.isspace():
        return None
    try:
        record = read_signed(raw)
    except LineError as bad:
        _unreadable(state, number, bad, last)
        return None
    if record is None:
        _unreadable(state, number, None, last)
    return record


def _unreadable(state: _Verifying, number: int, error: LineError | None, last: bool) -> None:
    """A line that is not a record: cut short (the last line, without its newline, when it is
    not JSON), not JSON, not a record (`error` None)."""
    if error is None:
        state.problem(Problem(state.name, number, "v", "log.bad_record"))
    else:
        torn = last and error.code == "log.bad_line"
        state.problem(Problem(state.name, number, None, "log.torn" if torn else error.code))


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


def _check_record(state: _Verifying, number: int, record: Signed, raw: bytes) -> None:
    name = state.name
    if record.version > LOG_VERSION:
        state.problem(Problem(name, number, "v", "verify.newer", found=record.version))
        return
    event = record.event
    if isinstance(event, str):
        before = state.first_of(event, number, raw)
        if before is not None:
            if before[1]:
                state.repeated += 1  # the same record twice: harmless, counted once
            else:
                state.problem(Problem(name, number, "event", "verify.duplicate", first=before[0]))
            return
    writer, chain, digest = record.writer, record.chain, record.digest
    signed = isinstance(writer, str) and isinstance(chain, str) and isinstance(digest, str)
    own: Lines | None = None
    new = False
    if isinstance(writer, str) and isinstance(digest, str):
        own = state.hash_lines(writer, digest)
        if own is None:
            new = True
            state.add_hash(writer, digest, number, signed=signed)
            own = (number, None)  # signed only once its chain is checked (it may be its own)
            pointed = state.pending.pop((writer, digest), ()) if state.pending else ()
            for seq in pointed:  # a chain that pointed here
                waiting = state.problem_of(seq)
                state.problems[seq] = Problem(
                    name, waiting.line, "chain", "verify.moved", writer=writer, other=number
                )
                state.resolved.add(seq)
    state.records += 1
    if not signed:
        state.problem(Problem(name, number, None, "verify.unsigned"))
        return
    assert isinstance(writer, str) and isinstance(chain, str) and isinstance(digest, str)
    if record.hashed() != digest:
        state.problem(Problem(name, number, None, "verify.edited"))
    if chain and state.heads.get(writer) != chain:
        known = own if new and chain == digest else state.hash_lines(writer, chain)
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
    if new:
        state.writers[writer] = number
    elif own[1] is None:
        state.sign_hash(writer, digest, number)
        state.writers[writer] = number
    elif writer not in state.writers:
        state.writers[writer] = number
    state.heads[writer] = digest


class Result:
    """What verifying found, as checks.Verified, and the lines it covered."""

    def __init__(self, records: int, writers: int, problems: list[Problem], repeated: int):
        self.records = records
        self.writers = writers
        self.problems = tuple(problems)
        self.repeated = repeated


_BOM = b"\xef\xbb\xbf"


class Hashing:
    """The SHA-256 of the prefix of a log that its last verify reached, taken in a thread of
    its own while the log's index catches up (each reads the whole prefix: on two cores, at
    once; hashing releases the interpreter's lock). `verify_open` uses it only for the same
    file and the same length it remembers by then; else it reads the prefix itself."""

    def __init__(self, path: Path, offset: int) -> None:
        import threading

        self.offset = offset
        self.file: tuple[int, int] | None = None  # the (device, inode) that was read
        self.hasher: Any = None  # set when the whole prefix was read
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        hasher = hashlib.sha256()
        try:
            with path.open("rb", buffering=0) as handle:
                info = os.fstat(handle.fileno())
                self.file = (info.st_dev, info.st_ino)
                if _hashed(handle, self.offset, hasher):
                    self.hasher = hasher
        except OSError:  # read again by verify_open, which reports what is wrong
            self.hasher = None

    def result(self, offset: int, file: tuple[int, int]) -> Any:
        """The hasher having read the first `offset` bytes of `file`, or None."""
        self._thread.join()
        return self.hasher if (self.offset, self.file) == (offset, file) else None


def start_hashing(path: Path) -> Hashing | None:
    """The verified prefix of the log at `path` being hashed, as far as the index remembers
    it (None when it remembers none, or cannot be read: verify_open then does it all)."""
    from xixin_cli.log_index import index_file

    target = index_file(path)
    # a FIFO (refused by open_index) would hold the thread at its open
    if target is None or not target.is_file() or not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            found = db.execute("SELECT value FROM meta WHERE key = 'v_offset'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:  # not made yet, busy, not ours: verify_open finds out
        return None
    if found is None or type(found[0]) is not int or found[0] <= 0:
        return None
    return Hashing(path, found[0])


def verify_open(
    db: sqlite3.Connection,
    handle: BinaryIO,
    name: str,
    *,
    full: bool = False,
    early: Hashing | None = None,
) -> Result:
    """Verify the open log, from where the last verify stopped (when the prefix verified
    before is no longer what it was, from the start), and remember how far; with `full`, all
    of it, from its bytes alone (what is remembered is neither used nor changed). `early`:
    the prefix being hashed already (`start_hashing`)."""
    if full:
        return _verify_all(handle, name)
    db.executescript(_TABLES)
    db.execute("PRAGMA cache_size = -8192")  # 8 MB of pages: enough, and memory stays bounded
    db.execute("BEGIN IMMEDIATE")
    try:
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'v_%'"))
        offset, lines = int(meta.get("v_offset", 0)), int(meta.get("v_lines", 0))
        info = os.fstat(handle.fileno())
        file = (info.st_dev, info.st_ino)
        same = file == (meta.get("v_device"), meta.get("v_inode"))
        hasher = None
        if offset and same and info.st_size >= offset:
            hasher = early.result(offset, file) if early is not None else None
            if hasher is None:
                hasher = hashlib.sha256()
                handle.seek(0)
                if not _hashed(handle, offset, hasher):
                    hasher = None
            if hasher is not None and hasher.hexdigest() != meta.get("v_sha"):
                hasher = None
        if hasher is None:  # nothing verified yet, or no longer what was verified
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
            bom = 3 if offset == 0 and piece.startswith(_BOM) else 0
            _check_piece(state, piece[bom:], lines + 1, last=False)
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
        bom = 3 if offset == 0 and tail.startswith(_BOM) else 0
        _check_piece(state, tail[bom:], lines + 1, last=True)
    return Result(state.records, len(state.writers), state.all_problems(), state.repeated)


def _verify_all(handle: BinaryIO, name: str) -> Result:
    """Verify the whole open log from its bytes, keeping what it must know in memory."""
    handle.seek(0)
    return _verify_from(_Memory(handle, name), handle)


def verify_data(data: bytes, name: str) -> Result:
    """What `checks.verify_log` finds in a log's bytes (its problems in the same order), by
    `verify --full`'s way: a plain line's fields and hash read from its bytes, not decoded (a
    merge's source, read once as bytes, is checked so before its events are read)."""
    import io

    return _verify_from(_Bytes(data, name), io.BytesIO(data))


def _verify_from(state: _Memory, handle: BinaryIO) -> Result:
    offset = lines = 0
    # a quarter of a megabyte at a time: each piece is held as bytes, lines and their text
    for piece in pieces(handle, min(_PIECE, 1 << 18)):
        bom = 3 if offset == 0 and piece.startswith(_BOM) else 0
        last = not piece.endswith(b"\n")
        state.check_piece(piece[bom:], lines + 1, offset + bom, last=last)
        lines += piece.count(b"\n")
        offset += len(piece)
    return Result(state.records, len(state.writers), state.all_problems(), state.repeated)


#: How much of the log is checked at a time (status_log.PIECE; tests make it small).
_PIECE = 4 << 20


def _hashed(handle: BinaryIO, offset: int, hasher: Any) -> bool:
    """Whether the next `offset` bytes could be read, each into `hasher` (a megabyte at a
    time)."""
    left = offset
    while left > 0:
        block = handle.read(min(1 << 20, left))
        if not block:
            return False
        hasher.update(block)
        left -= len(block)
    return True
