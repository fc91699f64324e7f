"""Merging status logs from several offices: what is new, and where two offices disagree."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from xixin_cli.errors import Problem
from xixin_cli.fold import order_key
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.status_log import DAMAGED, append_with, parse_log
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.log_index import LogIndex
    from xixin_cli.status_log import LogRead


@dataclass(frozen=True)
class Incoming:
    """What one source log brings: its new record lines (verbatim) and what was skipped.

    `refused` holds why the whole file was left out (its records do not verify); `collisions`
    the records whose event id this log already has with other content (neither is dropped:
    each stays in its own file, and the merge says so)."""

    name: str
    lines: tuple[bytes, ...]
    already: int  # records this log has already
    warnings: tuple[Problem, ...]
    refused: tuple[Problem, ...] = ()
    collisions: tuple[Problem, ...] = ()
    unverified: int = 0  # records taken in although they do not verify (--accept-unverified)
    events: tuple[Event, ...] | None = None  # the events of `lines`, when they were decoded


def source_problems(name: str, data: bytes) -> tuple[Problem, ...]:
    """What `verify` finds wrong with the records of a log about to be merged: edited lines,
    broken chains, unsigned records, one event id with two contents. Lines that are no records
    at all (a torn last line) are only skipped, as any reader skips them."""
    from xixin_cli.verified import verify_data

    found = verify_data(data, name).problems  # what checks.verify_log finds, in its order
    return tuple(p for p in found if p.code.startswith("verify.") and p.code != "verify.newer")


class Source(NamedTuple):
    """A log about to be merged: its bytes, each record's line (number, bytes as they are,
    event id), the lines every reader skips, and what `verify` finds wrong with it.

    `events` are the records' events, in the order of `entries`, when they were read from
    the bytes (None when the entries came from the source's own index): the lines a merge
    appends are then taken into the target's index and fold without being decoded again.
    `digest` is the SHA-256 of `data` ("" when not worked out yet). A source that is not
    `whole` was read only as far as the target's index says it was merged before, whole and
    verified (its entries are not read): if the target no longer says so when the merge
    holds its lock, the source is read then."""

    name: str
    data: bytes
    entries: tuple[tuple[int, bytes, str], ...]
    warnings: tuple[Problem, ...]
    refused: tuple[Problem, ...]
    events: tuple[Event, ...] | None = None
    digest: str = ""
    whole: bool = True


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


#: How much of a source is decoded at a time: its text and lines are held for one piece, not
#: for the whole log beside its events (a megabyte: at a county's scale the source's read
#: held 40 MB at its peak, 17 of them its text).
_SOURCE_PIECE = 1 << 20


def parsed_source(name: str, data: bytes) -> Source:
    """A source read from its bytes alone (verified first: what verifying holds is let go
    before the events are read, so that a process holds one or the other at a time), its
    events read a piece of whole lines at a time, as `parse_log` reads the whole of it."""
    import io

    from xixin_cli.status_log import pieces

    problems = source_problems(name, data)
    events: list[Event] = []
    warnings: list[Problem] = []
    entries: list[tuple[int, bytes, str]] = []
    line = 1
    for piece in pieces(io.BytesIO(data), _SOURCE_PIECE):
        read = parse_log(piece, name, first_line=line)  # a BOM is skipped only on line 1
        raw_lines = piece.split(b"\n")
        entries += [
            (number, raw_lines[number - line], event.event_id)
            for number, event in zip(read.lines, read.events, strict=True)
        ]
        events += read.events
        warnings += read.warnings
        line += piece.count(b"\n")
    return Source(
        name, data, tuple(entries), tuple(warnings), problems, tuple(events), _sha256(data)
    )


def read_source(path: Path, target: Path | None = None) -> Source:
    """A source log, read as little as it can be.

    When `target`'s index remembers merging these very bytes before (every record of them
    is there, and they verified), nothing more is read of them: merging a log again costs
    its SHA-256. Else through the source's own index where it has one already (its records'
    places and ids without decoding them, and its verification remembered, so that a log
    merged again once it has grown is read only where it is new); else from its bytes,
    decoded once (building an index of a log read once, as most sources are, costs more
    than the reading it would save)."""
    from xixin_cli.log_index import has_index, merged_before, open_index
    from xixin_cli.status_log import read_bytes

    name = str(path)
    if target is not None:
        data = read_bytes(path)
        digest = _sha256(data)
        warnings = merged_before(target, digest, name)
        if warnings is not None:
            return Source(name, data, (), warnings, (), None, digest, whole=False)
    if not has_index(path):
        data = read_bytes(path) if target is None else data
        return parsed_source(name, data)
    index = open_index(path)
    if index is None:
        return parsed_source(name, read_bytes(path))
    try:
        import sqlite3

        from xixin_cli.verified import verify_open

        try:
            verified = verify_open(index.db, index.handle, name)
        except sqlite3.Error:  # what verify remembers cannot be kept: read it whole
            return parsed_source(name, read_bytes(path))
        index.handle.seek(0)
        data = index.handle.read()
        entries = [
            (line, data[start : start + size], event)
            for line, start, size, event in index.entries()
        ]
        if index.tail:
            last = data[data.rfind(b"\n") + 1 :]
            entries += [(index.tail_line, last, event.event_id) for event in index.tail]
        refused = tuple(
            p
            for p in verified.problems
            if p.code.startswith("verify.") and p.code != "verify.newer"
        )
        warnings = tuple(index.warnings())
        return Source(name, data, tuple(entries), warnings, refused, None, _sha256(data))
    finally:
        index.close()


def new_records(
    known: dict[str, bytes], source: Source, *, accept_unverified: bool = False
) -> Incoming:
    """The records of `source` whose event ids are not in `known` (event id -> its line),
    which it then extends.

    Lines are kept byte for byte, so each record's hash and its writer's chain still verify
    after the merge. Unreadable lines are reported and left behind; a record from a newer
    version stops the merge (StateError from the reader), before anything is written. A file
    whose records do not verify brings nothing, unless `accept_unverified`.
    """
    name, refused = source.name, source.refused
    if refused and not accept_unverified:
        return Incoming(name, (), 0, source.warnings, refused=refused)
    lines: list[bytes] = []
    taken: list[int] = []  # which entries they are
    collisions: list[Problem] = []
    already = 0
    for at, (number, raw, event_id) in enumerate(source.entries):
        line = _canonical_line(raw, number == 1)
        if event_id in known:
            if known[event_id] == line:
                already += 1
            elif not any(p.line == number for p in collisions):
                collisions.append(Problem(name, number, "event", "merge.collision", event=event_id))
            continue
        known[event_id] = line
        lines.append(line)
        taken.append(at)
    unverified = len({p.line for p in refused}) if refused else 0
    events = None if source.events is None else tuple(source.events[at] for at in taken)
    return Incoming(
        name, tuple(lines), already, source.warnings, (), tuple(collisions), unverified, events
    )


def _canonical_line(raw: bytes, first: bool) -> bytes:
    """The record's line without a BOM or a Windows line end; its JSON text is unchanged."""
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.rstrip(b"\r")


@dataclass(frozen=True)
class Conflict:
    """Two writers changed one item without seeing each other's change."""

    item: str
    stands: Event  # the later one, by `order_key`
    other: Event
    office: str = ""  # the unit whose part it is ("" when the records name none)


def conflicts(events: Iterable[Event]) -> list[Conflict]:
    """Per part (item and unit), the latest pair of changes where the later one did not start
    from the status the earlier one set, and they disagree. One per part, in item order. A
    record that names no unit is a change to every part of its item.

    Judged by what each change had seen, not by who wrote it: one clerk writing into two logs
    (a laptop and the office PC, or --state) conflicts with themself like anyone else. A change
    that its writer's chain shows was made after the other, in the same log, had seen it; one
    made before it (a clock set back) is no conflict either. The rule for which stands is the
    fold's: the later change (by time, then event id).
    """
    per_item: dict[str, list[Event]] = {}
    parents: dict[str, tuple[str, str]] = {}
    for event in events:
        if event.digest:
            parents[event.digest] = (event.writer, event.chain)
        if event.kind is EventKind.STATUS:
            per_item.setdefault(event.item, []).append(event)
    return _conflicts(per_item, parents)


def conflicts_brought(target: Path, added: Sequence[Event]) -> list[Conflict]:
    """The conflicts in `target` that involve one of the `added` records (what a merge brought
    in), as `conflicts` finds them on the whole log. Through the log's index: the status
    changes of the items the added records touch come from its columns, without reading their
    records, and each writer's links from one record to the one before it only when a pair
    of that writer's changes is in question; only the records named in a conflict are read.
    Without an index the log is read a piece at a time."""
    from xixin_cli.log_index import open_index

    touched = {event.item for event in added}
    new = {event.event_id for event in added}
    index = open_index(target) if touched else None
    if index is not None:
        try:
            return _indexed_conflicts(index, sorted(touched), added, new)
        finally:
            index.close()
    return _streamed_conflicts(target, touched, new)


class _Change(NamedTuple):
    """What `_conflicts` needs of a status change, from the index's columns."""

    item: str
    office: str
    key: tuple[int, int, str]
    event_id: str
    status: Status
    previous: Status
    writer: str
    chain: str
    digest: str
    line: int


class _Links(Mapping[str, tuple[str, str]]):
    """hash -> (writer, chain) of a log's records, each writer's read from the index the first
    time a chain of theirs is followed."""

    def __init__(self, index: LogIndex) -> None:
        self.index = index
        self.found: dict[str, tuple[str, str]] = {}
        self.writers: set[str] = set()

    def load(self, writer: str) -> None:
        if writer not in self.writers:
            self.writers.add(writer)
            for digest, chain in self.index.db.execute(
                "SELECT hash, chain FROM events WHERE writer = ? AND hash != ''", (writer,)
            ):
                self.found[digest] = (writer, chain)
            for event in self.index.tail:
                if event.writer == writer and event.digest:
                    self.found[event.digest] = (writer, event.chain)

    def __getitem__(self, digest: str) -> tuple[str, str]:
        return self.found[digest]

    def get(self, digest: str, default: Any = None) -> Any:
        return self.found.get(digest, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)


_STATUSES = {status.value: status for status in Status}


def _indexed_conflicts(
    index: LogIndex, items: Sequence[str], added: Sequence[Event], new: set[str]
) -> list[Conflict]:
    """`conflicts` for these items, of those that involve a record of `new`, from the index's
    columns (one of its indexes holds every column the walk asks for): each part's changes
    are walked from the latest back until the first pair in conflict (the one `conflicts`
    reports), or until the walk has passed the part's oldest `new` record (no pair further
    back can involve one). A record's chain is read only when a pair of one writer's changes
    is in question, and a record whole only when it is named in a conflict brought."""
    import heapq

    from xixin_cli.log_index import micros

    links = _Links(index)
    wanted = set(items)
    tail: dict[str, list[_Change]] = {}
    for event in index.tail:  # a last line not indexed yet; an id indexed counts as its line
        if event.kind is EventKind.STATUS and event.item in wanted and not index.has(event):
            first, written = order_key(event)[:2]
            key = (micros(first), micros(written), event.event_id)
            tail.setdefault(event.item, []).append(
                _Change(
                    event.item,
                    event.office,
                    key,
                    event.event_id,
                    event.status,
                    event.previous,
                    event.writer,
                    event.chain,
                    event.digest,
                    index.tail_line,
                )
            )
    oldest: dict[tuple[str, str], tuple[int, int, str]] = {}  # the oldest brought, per unit
    for event in added:
        if event.kind is EventKind.STATUS:
            first, written = order_key(event)[:2]
            key = (micros(first), micros(written), event.event_id)
            mark = (event.item, event.office)
            oldest[mark] = min(key, oldest.get(mark, key))
    first_lines: dict[str, int] = {}
    units: dict[str, set[str]] = {}
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for item, office, line in index.db.execute(
            "SELECT item, office, min(line) FROM events INDEXED BY events_part WHERE "
            f"item IN ({marks}) AND kind = 'status' AND repeat = 0 GROUP BY item, office",
            chunk,
        ):
            first_lines[item] = min(line, first_lines.get(item, line))
            units.setdefault(item, set()).add(office)
    for item, changes in tail.items():
        first_lines.setdefault(item, index.tail_line)
        units.setdefault(item, set()).update(change.office for change in changes)
    # The walk reads of each row only what its tests need (when it happened, the statuses,
    # the line), the rest of a row only when a pair is in question: at a county's scale the
    # walk passes most of the touched items' rows, and the columns it did not need were
    # most of the cost of reading them.
    slim = (
        "SELECT k1, status, previous, line "
        "FROM events INDEXED BY events_part WHERE item = ? AND kind = 'status' AND repeat = 0 "
        "AND office IN ('', ?) ORDER BY k1 DESC, k2 DESC, event DESC"
    )
    whole = (
        "SELECT item, office, k1, k2, event, status, previous, writer, line "
        "FROM events INDEXED BY events_part WHERE item = ? AND kind = 'status' AND repeat = 0 "
        "AND office IN ('', ?) ORDER BY k1 DESC, k2 DESC, event DESC"
    )

    Raw = tuple[Any, ...]  # (item, office, k1, k2, event, status, previous, writer, line)
    Row = tuple[Any, ...]  # (k1, status, previous, line), and its Raw when it is at hand
    tail_rows: dict[str, list[Raw]] = {}
    tail_changes: dict[str, _Change] = {}
    for item, changes in tail.items():
        for c in changes:
            raw = (c.item, c.office, *c.key, c.status.value, c.previous.value, c.writer, c.line)
            tail_rows.setdefault(item, []).append(raw)
            tail_changes[c.event_id] = c

    def latest_first(item: str, unit: str) -> Iterator[Row]:
        if item not in tail_rows:
            return iter(index.db.execute(slim, (item, unit)))
        rows = index.db.execute(whole, (item, unit))
        extra = sorted(
            (r for r in tail_rows[item] if r[1] in ("", unit)), key=lambda r: r[2:5], reverse=True
        )
        merged = heapq.merge(rows, extra, key=lambda r: r[2:5], reverse=True)
        return ((r[2], r[5], r[6], r[8], r) for r in merged)

    def raw_of(row: Row) -> Raw:
        return row[4] if len(row) > 4 else raws_of(row)[0]

    def raws_of(*rows: Row) -> list[Raw]:
        """The whole rows of these, those not at hand read in one query."""
        wanted = [row[3] for row in rows if len(row) == 4]
        read = {}
        if wanted:
            read = {
                found[8]: found
                for found in index.db.execute(
                    "SELECT item, office, k1, k2, event, status, previous, writer, line "
                    f"FROM events WHERE line IN ({','.join('?' * len(wanted))})",
                    wanted,
                )
            }
        return [row[4] if len(row) > 4 else read[row[3]] for row in rows]

    def change(raw: Raw) -> _Change:
        if raw[8] == index.tail_line and raw[4] in tail_changes:
            return tail_changes[raw[4]]
        status, previous = _STATUSES[raw[5]], _STATUSES[raw[6]]
        # chain and hash: read when a pair of one writer's is in question (`_linked`)
        return _Change(raw[0], raw[1], raw[2:5], raw[4], status, previous, raw[7], "", "", raw[8])

    found: list[Conflict] = []
    pairs: list[tuple[str, str, _Change, _Change]] = []  # (item, unit, stands, other)
    for item in sorted(first_lines, key=first_lines.__getitem__):
        for unit in sorted(units[item] - {""} or {""}):
            brought = [oldest[mark] for mark in ((item, ""), (item, unit)) if mark in oldest]
            if not brought:
                continue  # the merge brought no change to this part
            bottom = min(brought)
            floor = bottom[0]
            later: Row | None = None
            for earlier in latest_first(item, unit):
                if later is not None:
                    k1 = later[0]  # `later`'s key < `bottom`, its whole key read only on a tie
                    if k1 <= floor and (k1 < floor or raw_of(later)[2:5] < bottom):
                        break  # both older than anything brought: no conflict of theirs counts
                    # `_in_conflict`'s first two tests, on the columns as they are
                    if later[2] != earlier[1] and later[1] != earlier[1]:
                        one, two = map(change, raws_of(earlier, later))
                        if _in_conflict(links, *_linked(index, one, two)):
                            if two.event_id in new or one.event_id in new:
                                pairs.append((item, unit, two, one))
                            break
                later = earlier
    events = _events_of(index, [c for _, _, *pair in pairs for c in pair], added)
    for item, unit, two, one in pairs:
        stands, other = events.get((two.line, two.event_id)), events.get((one.line, one.event_id))
        if stands is not None and other is not None:
            found.append(Conflict(item, stands, other, unit))
    return found


def _linked(index: LogIndex, earlier: _Change, later: _Change) -> tuple[_Change, _Change]:
    """The pair with each one's chain and hash, read from the index when the pair is one
    writer's and its statuses disagree (only then does `_in_conflict` follow the chain)."""
    if (
        earlier.writer != later.writer
        or later.previous is earlier.status
        or later.status is earlier.status
    ):
        return earlier, later
    pair = []
    for change in (earlier, later):
        if change.line != index.tail_line or not index.tail:
            found = index.db.execute(
                "SELECT chain, hash FROM events WHERE line = ?", (change.line,)
            ).fetchone()
            if found is not None:
                change = change._replace(chain=found[0], digest=found[1])
        pair.append(change)
    return pair[0], pair[1]


def _events_of(
    index: LogIndex, changes: Sequence[_Change], added: Sequence[Event]
) -> dict[tuple[int, str], Event]:
    """The event of each change named in a conflict, by (line, event id): a record the merge
    brought as it brought it (the same bytes), the log's last line from its tail, any other
    read from its line in the log (their places asked of the index 500 at a time)."""
    from xixin_cli.log_index import Row

    brought = {event.event_id: event for event in added}
    found: dict[tuple[int, str], Event] = {}
    lines: set[int] = set()
    for change in changes:
        key = (change.line, change.event_id)
        if change.line == index.tail_line and index.tail:
            event = next((e for e in index.tail if e.event_id == change.event_id), None)
            if event is not None:
                found[key] = event
        elif change.event_id in brought:
            found[key] = brought[change.event_id]
        else:
            lines.add(change.line)
    wanted = sorted(lines)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = [
            Row(*row)
            for row in index.db.execute(
                f"SELECT line, start, size FROM events WHERE line IN ({marks}) ORDER BY line",
                chunk,
            )
        ]
        for line, event in index.numbered(rows):  # 500 lines decoded at once
            found[(line, event.event_id)] = event
    return found


def _streamed_conflicts(target: Path, touched: set[str], new: set[str]) -> list[Conflict]:
    """`conflicts_brought` without an index: the log read a piece at a time, keeping only the
    status changes of the touched items and each record's link to the one before it."""
    import sys

    from xixin_cli.status_log import open_log, pieces

    per_item: dict[str, list[Event]] = {}
    parents: dict[str, tuple[str, str]] = {}
    handle = open_log(target) if touched else None
    if handle is None:
        return []
    seen: set[str] = set()
    with handle:
        line = 1
        for piece in pieces(handle):
            for event in parse_log(piece, str(target), first_line=line).events:
                if event.event_id in seen:
                    continue  # a repeated line counts once, as read_log's readers count it
                seen.add(event.event_id)
                if event.digest:
                    parents[event.digest] = (sys.intern(event.writer), event.chain)
                if event.kind is EventKind.STATUS and event.item in touched:
                    per_item.setdefault(event.item, []).append(event)
            line += piece.count(b"\n")
    return [
        found
        for found in _conflicts(per_item, parents)
        if found.stands.event_id in new or found.other.event_id in new
    ]


def _conflicts(
    per_item: Mapping[str, Sequence[Any]],
    parents: Mapping[str, tuple[str, str]],
    key: Callable[[Any], object] = order_key,
) -> list[Conflict]:
    per_part: dict[tuple[str, str], list[Event]] = {}
    for item, changes in per_item.items():
        units = {event.office for event in changes if event.office} or {""}
        for unit in sorted(units):
            mine = [event for event in changes if event.office in ("", unit)]
            per_part[(item, unit)] = mine
    found: list[Conflict] = []
    for (item, unit), changes in per_part.items():
        ordered = sorted(changes, key=key)  # type: ignore[arg-type]
        for earlier, later in reversed(list(itertools.pairwise(ordered))):
            if _in_conflict(parents, earlier, later):
                found.append(Conflict(item, later, earlier, unit))
                break
    return found


def _in_conflict(parents: Mapping[str, tuple[str, str]], earlier: Any, later: Any) -> bool:
    """Whether the later change did not start from the status the earlier one set, disagrees
    with it, and neither was made in sight of the other (its writer's chain)."""
    return (
        later.previous is not earlier.status
        and later.status is not earlier.status
        and not _chained(parents, later, earlier)
        and not _chained(parents, earlier, later)
    )


#: How far back a chain is followed to see whether one record came after another.
_CHAIN_WALK = 10_000


def _chained(parents: Mapping[str, tuple[str, str]], after: Any, before: Any) -> bool:
    """Whether `after` follows `before` in their writer's chain (so its writer had seen it)."""
    if not before.digest or after.writer != before.writer:
        return False
    if isinstance(parents, _Links):
        parents.load(after.writer)  # that writer's links, read from the index once
    link = after.chain
    for _ in range(_CHAIN_WALK):
        if not link:
            return False
        if link == before.digest:
            return True
        writer, link = parents.get(link, ("", ""))
        if writer != after.writer:
            return False
    return False


def merge_into(
    target: Path,
    sources: Sequence[tuple[str, bytes] | Source],
    *,
    make_parent: bool = False,
    accept_unverified: bool = False,
) -> list[Incoming]:
    """Append to `target` every record of `sources` it lacks, in one locked append.

    The target is read under the lock, so a merge running twice at once still adds each record
    once. Each source is (name, bytes), or a `Source` already read (`read_source`).
    """
    return merge_logs(
        target, sources, make_parent=make_parent, accept_unverified=accept_unverified
    )[0]


def merge_logs(
    target: Path,
    sources: Sequence[tuple[str, bytes] | Source],
    *,
    make_parent: bool = False,
    accept_unverified: bool = False,
    later: list[Appended] | None = None,
) -> tuple[list[Incoming], tuple[Event, ...]]:
    """`merge_into`, and the events of the records it appended (read once: the target's
    index takes them in from the same bytes, and keeps what was found of each source, so
    that merging it again finds it without looking up its records one by one). The cached
    fold takes them in too, here, or, given `later`, when the caller hands what it finds
    there to `fold_merged` (once it has let the sources go: at a county's scale the fold and
    the sources at once were the merge's peak)."""
    results: list[Incoming] = []
    prepared = [given if isinstance(given, Source) else parsed_source(*given) for given in sources]
    prepared = [s if s.digest else s._replace(digest=_sha256(s.data)) for s in prepared]
    digests = [source.digest for source in prepared]
    at: list[int] = []  # where the payload goes, when the index covers the log up to there

    def build(handle: BinaryIO) -> bytes:
        known, memos, covered = _known(target, handle, prepared, digests)
        for source, digest in zip(prepared, digests, strict=True):
            memo = memos.get(digest)
            if memo is not None and not source.refused:
                results.append(_remembered(source, *memo))
            else:
                results.append(new_records(known, source, accept_unverified=accept_unverified))
        size = handle.seek(0, 2)
        if covered == size:
            at.append(size)
        # each line and its newline, without a copy of each line made first
        made.append(b"\n".join([line for result in results for line in result.lines] + [b""]))
        return made[-1]

    made: list[bytes] = []  # what was appended (once: a county's merge brings megabytes)
    append_with(target, build, make_parent=make_parent)
    payload = made[-1] if made else b""
    read = None
    if at:
        from xixin_cli.log_index import extend

        remember = [
            (digest, result.already + len(result.lines), _collisions_text(result), warnings)
            for digest, source, result in zip(digests, prepared, results, strict=True)
            if not source.refused
            for warnings in [_warnings_text(source.warnings)]
        ]
        decoded = [result.events for result in results if result.lines]
        events = None
        if all(found is not None for found in decoded):  # the payload's events, read already
            events = tuple(event for found in decoded for event in found or ())
        read = extend(target, at[0], payload, remember, events)
        if read is not None and payload:  # and the fold, from the same events
            import zlib

            appended = Appended(target, at[0], len(payload), zlib.crc32(payload), read)
            if later is None:
                fold_merged(appended)
            else:
                later.append(appended)
    if read is None:
        read = parse_log(payload, str(target))
    return results, read.events


class Appended(NamedTuple):
    """What a merge appended to `target` and read (for `fold_merged`): where, how many
    bytes, their own CRC-32, and their events."""

    target: Path
    start: int
    size: int
    crc: int
    read: LogRead


def fold_merged(appended: Appended) -> None:
    """Fold what a merge appended onto the target's cached fold (cache.fold_appended)."""
    from xixin_cli.cache import fold_appended

    fold_appended(appended.target, appended.start, appended.size, appended.crc, appended.read)


def _warnings_text(warnings: Sequence[Problem]) -> str:
    import json

    return json.dumps([[p.line, p.key, p.code] for p in warnings], ensure_ascii=False)


def _collisions_text(result: Incoming) -> str:
    import json

    return json.dumps([[p.line, p.params["event"]] for p in result.collisions], ensure_ascii=False)


def _remembered(source: Source, already: int, collisions: str) -> Incoming:
    """What merging `source` finds once every record of it is in the target, as the merge
    that brought them in found it: nothing new, the same collisions."""
    import json

    found = tuple(
        Problem(source.name, line, "event", "merge.collision", event=event)
        for line, event in json.loads(collisions)
    )
    return Incoming(source.name, (), already, source.warnings, (), found, 0)


def _known(
    target: Path, handle: BinaryIO, sources: list[Source], digests: Sequence[str]
) -> tuple[dict[str, bytes], dict[str, tuple[int, str]], int]:
    """Of the event ids the sources hold, those the target has, each with its (first) line as
    `new_records` compares it: through the target's index, which says where those lines are,
    or, without one, by reading the whole target. Also what the index remembers of merging
    each source before (by digest; those sources' ids are not looked up), and how far the
    index covers the log (-1 without one). A source read only as far as a memo that is gone
    now is read whole (in `sources`)."""
    from xixin_cli.log_index import open_index

    index = open_index(target)
    if index is None:
        _read_whole(sources, {})
        handle.seek(0)
        data = handle.read()
        read = parse_log(data, str(target))
        raw_lines = data.split(b"\n")
        known: dict[str, bytes] = {}
        for number, event in zip(read.lines, read.events, strict=True):
            known.setdefault(event.event_id, _canonical_line(raw_lines[number - 1], number == 1))
        return known, {}, -1
    try:
        memos: dict[str, tuple[int, str]] = {}
        for digest in digests:
            memo = index.merged(digest)
            if memo is not None:
                memos[digest] = memo
        _read_whole(sources, memos)
        ids = sorted(
            {
                event_id
                for source, digest in zip(sources, digests, strict=True)
                if digest not in memos or source.refused
                for _, _, event_id in source.entries
            }
        )
        found = {
            event: _canonical_line(index.raw(row), row.line == 1)
            for event, row in index.first_lines(ids).items()
        }
        for event in index.tail:  # a last line not indexed yet
            if event.event_id not in found:
                found[event.event_id] = _canonical_line(_last_line(handle), index.tail_line == 1)
        covered = -1 if index.tail else int(_covered(index))
        return found, memos, covered
    finally:
        index.close()


def _read_whole(sources: list[Source], memos: Mapping[str, object]) -> None:
    """Read whole each source read only as far as a memo that `memos` no longer holds."""
    for n, source in enumerate(sources):
        if not source.whole and source.digest not in memos:
            sources[n] = parsed_source(source.name, source.data)


def _covered(index: LogIndex) -> int:
    found = index.db.execute("SELECT value FROM meta WHERE key = 'offset'").fetchone()
    return int(found[0]) if found is not None else -1


def _last_line(handle: BinaryIO) -> bytes:
    """The log's last line, read back from its end: a record's line is at most MAX_LINE
    bytes, after the newline before it or, the first line, a BOM (3 bytes)."""
    from xixin_cli.status_log import MAX_LINE

    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - MAX_LINE - 3))
    return handle.read().rsplit(b"\n", 1)[-1]


# -- records taken in unverified -----------------------------------------------------------------


def accepted_file(log: Path) -> Path:
    """Where a log keeps the record of what was merged into it unverified: `<log>.accepted`
    beside it (not `*.jsonl`, so no reader takes it for a log)."""
    return log.with_name(log.name + ".accepted")


def record_accepted(log: Path, source: str, data: bytes, by: str, at: str) -> None:
    """Note, before they are merged, the event ids of a log taken in with --accept-unverified,
    so that `verify` reports those lines as accepted rather than as tampering, for good."""
    import json

    ids = sorted({event.event_id for event in parse_log(data, source).events})
    line = json.dumps(
        {"v": 1, "at": at, "by": by, "source": source, "events": ids},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    append_with(accepted_file(log), lambda handle: (line + "\n").encode(), make_parent=False)


def accepted_ids(log: Path) -> frozenset[str]:
    """The event ids merged into `log` with --accept-unverified (unreadable lines ignored)."""
    found: set[str] = set()
    for record in _accepted_records(log):
        events = record.get("events")
        if isinstance(events, list):
            found.update(event for event in events if isinstance(event, str))
    return frozenset(found)


def _accepted_records(log: Path) -> Iterator[dict[str, Any]]:
    """The readable records of `log`'s side file of what was accepted (none: no file)."""
    from xixin_cli.status_log import LineError, load_line

    try:
        data = accepted_file(log).read_bytes()
    except OSError:
        return
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            record = load_line(raw)
        except LineError:
            continue
        if isinstance(record, dict):
            yield record


# -- lines that are not records, accepted as they are -------------------------------------------


def record_damaged(log: Path, lines: Mapping[int, str], by: str, at: str) -> None:
    """Note that the keeper of `log` checked these lines that hold no record and accepted
    them, each by its number and the SHA-256 of its bytes (a line changed is damage again).
    An older xixin reads the record as holding no event ids: it still reports the lines."""
    import json

    line = json.dumps(
        {
            "v": 1,
            "at": at,
            "by": by,
            "damaged": [{"line": n, "sha256": digest} for n, digest in sorted(lines.items())],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    append_with(accepted_file(log), lambda handle: (line + "\n").encode(), make_parent=False)


def accepted_damage(log: Path) -> dict[int, frozenset[str]]:
    """The lines of `log` accepted as damaged: each line's number and the digests accepted."""
    found: dict[int, set[str]] = {}
    for record in _accepted_records(log):
        damaged = record.get("damaged")
        for entry in damaged if isinstance(damaged, list) else ():
            if not isinstance(entry, dict):
                continue
            line, digest = entry.get("line"), entry.get("sha256")
            if type(line) is int and isinstance(digest, str):
                found.setdefault(line, set()).add(digest)
    return {line: frozenset(digests) for line, digests in found.items()}


def line_digests(log: Path, numbers: Iterable[int]) -> dict[int, str]:
    """The SHA-256 of the bytes of each of these lines of `log` (without its line break), as
    the readers number lines; a line past the end is left out."""
    import hashlib

    wanted = set(numbers)
    found: dict[int, str] = {}
    if not wanted:
        return found
    last = max(wanted)
    with log.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number in wanted:
                found[number] = hashlib.sha256(raw.rstrip(b"\n")).hexdigest()
            if number >= last:
                break
    return found


def without_accepted_damage(
    log: Path, problems: Sequence[Problem], code: str = ""
) -> list[Problem]:
    """`problems` with those of lines accepted as damaged (their bytes as accepted) told as
    `code` (a note), or left out (no code)."""
    damaged = {id(p): p.line for p in problems if p.code in DAMAGED and p.line is not None}
    accepted = accepted_damage(log) if damaged else {}
    if not accepted:
        return list(problems)
    digests = line_digests(log, {line for line in damaged.values() if line in accepted})
    kept = []
    for problem in problems:
        line = damaged.get(id(problem))
        if line is not None and digests.get(line) in accepted.get(line, frozenset()):
            if code:
                kept.append(Problem(problem.path, line, None, code))
            continue
        kept.append(problem)
    return kept
