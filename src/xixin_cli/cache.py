"""Disposable caches of the parsed plan and of the folded status log, checked against their files.

Nothing here is ever the record: delete the cache folder at any time and the next command
rebuilds it from the plan and the log. A cache is used only when it provably matches:
- the plan's cache is keyed by the CRC-32 and length of the plan file's bytes and xixin's
  version (and, like the log's, not read again while its settled stamps are unchanged);
- the log's cache covers a prefix of the log (up to a newline) and is used only if that prefix's
  CRC-32 is unchanged, the file is the same file (device, inode) and it has not shrunk; what
  was appended since is read and folded on top. Any other change rebuilds from scratch.
  A few changes appended are kept as a small tail beside the fold (their events, and the CRC
  of the prefix they end) rather than by writing the whole fold again: a county's fold takes
  ~150 ms to pickle, its tail of one change well under 1 ms.
  When the file's size, modification and change times are exactly those seen when it was last
  read, and those times were already settled then (older than SETTLED_NS), nothing has been
  written since and the prefix is not read again: any write moves the change time, which no
  tool can set back. The settling margin covers file systems whose clocks tick coarsely.
- other derived tables (`derived`, e.g. the official calendar in workdays.py) are keyed by what
  they are made from.
`verify` and `doctor` never use a cache. Set XIXIN_CACHE=off to bypass it, XIXIN_CACHE_DIR to
move it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from xixin_cli import __version__
from xixin_cli.errors import Problem
from xixin_cli.fold import Folded, taken_back, undo_map
from xixin_cli.model import Event, Plan
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.status_log import LogRead
    from xixin_cli.wrap import Memory

#: Changes whenever what is pickled could differ: our version and the interpreter's.
_STAMP = f"{__version__}|{sys.version_info[:2]}|9"  # 9: today's fold leaves out the undone
#: The first line of every cache file: what it is and the stamp, checked before unpickling.
_HEADER = f"xixin-cache {_STAMP}\n".encode()

#: The only things a cache may build: our own value classes and the datetime types they hold.
#: Anyone who can write XIXIN_CACHE_DIR could otherwise have pickle run any code they like.
#: (errors: the problems of the lines a fold skipped, which it keeps as warnings.)
_MODULES = frozenset(
    {
        "xixin_cli.model",
        "xixin_cli.fold",
        "xixin_cli.cache",
        "xixin_cli.workdays",
        "xixin_cli.errors",
    }
)
_DATETIME = frozenset({"date", "datetime", "time", "timedelta", "timezone"})


class _Loader(pickle.Unpickler):
    """An unpickler that builds only our value classes, never calls anything else."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _DATETIME:
            return super().find_class(module, name)
        if module in _MODULES and not name.startswith("__"):
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    if os.environ.get("XIXIN_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    given = os.environ.get("XIXIN_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_path

    return user_cache_path("xixin", appauthor=False)


def _slot(kind: str, path: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # One slot per file: CRC-32 is plenty to keep a user's few plans and logs apart (hashlib
    # would add its OpenSSL import to every command).
    key = zlib.crc32(str(path.resolve()).encode("utf-8"))
    return folder / f"{kind}-{key:08x}.pickle"


#: The cache files this process loaded or wrote, with the stamps they had then: a command that
#: records a change opens its session again under the lock, and need not unpickle them again.
_LOADED: dict[Path, tuple[tuple[int, int, int, int], Any]] = {}


def _file_stamps(slot: Path) -> tuple[int, int, int, int] | None:
    try:
        info = slot.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _load(slot: Path | None) -> Any:
    if slot is None:
        return None
    known = _LOADED.get(slot)
    if known is not None and known[0] == _file_stamps(slot):
        return known[1]
    try:
        with slot.open("rb") as handle:
            stamps = os.fstat(handle.fileno())
            if handle.readline(len(_HEADER) + 1) != _HEADER:
                return None  # another version's, or not a cache at all: never unpickled
            stamp, payload = _Loader(handle).load()
    except Exception:  # missing, half-written, tampered with: just rebuild
        return None
    if stamp != _STAMP:
        return None
    _LOADED[slot] = (
        (stamps.st_ino, stamps.st_size, stamps.st_mtime_ns, stamps.st_ctime_ns),
        payload,
    )
    return payload


def _store(slot: Path | None, payload: object) -> None:
    """Write the cache atomically; a cache that cannot be written is simply not kept."""
    if slot is None:
        return
    try:
        slot.parent.mkdir(parents=True, exist_ok=True)
        temp = slot.with_name(f".{slot.name}.{os.getpid()}.tmp")
        with temp.open("wb") as handle:
            handle.write(_HEADER)
            pickle.dump((_STAMP, payload), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, slot)
    except OSError:
        return
    found = _file_stamps(slot)
    if found is not None:
        _LOADED[slot] = (found, payload)


def derived(kind: str, key: object, build: Callable[[], object]) -> object:
    """`build()`'s value, kept in the cache folder as `kind` while `key` stays the same."""
    folder = cache_dir()
    slot = folder / f"{kind}.pickle" if folder is not None else None
    cached = _load(slot)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == key:
        return cached[1]
    value = build()
    _store(slot, (key, value))
    return value


# -- the layouts of table cells ------------------------------------------------------------------

#: How many cells' layouts are kept per list of words (those used last): a county plan's
#: 20,000 titles and what else `list`, `remind` and `history` wrap, not every note ever shown.
LAYOUTS_KEPT = 60_000


def layouts(kind: str) -> Memory | None:
    """A memory of the layouts of cells shown in a `kind` of view (wrap.Memory) kept in the
    cache folder, one file per kind and list of words (a reminder's cells are not the
    tables' titles: neither is loaded for the other); None when caching is off or the
    layouts' dependencies cannot be told."""
    folder = cache_dir()
    if folder is None:
        return None
    from xixin_cli.wrap import Kept, Memory

    stamp = Memory.dependencies()
    if stamp is None:
        return None

    def load(words: tuple[str, ...]) -> Kept | None:
        found = _load(_layouts_slot(folder, kind, words))
        # plain values only (see _Loader); each entry is unpacked, and checked, as a cell asks
        if not (isinstance(found, tuple) and len(found) == 3 and found[:2] == (stamp, words)):
            return None
        return Kept(found[2], set()) if type(found[2]) is dict else None

    return Memory(load, stamp, kind)


def keep_layouts(memory: Memory | None) -> None:
    """Write what `memory` learnt, for the next command."""
    if memory is None:
        return
    folder = cache_dir()
    for words in sorted(memory.changed):
        payload = (memory.stamp, words, memory.known[words].trimmed(LAYOUTS_KEPT))
        slot = _layouts_slot(folder, memory.kind, words) if folder is not None else None
        _store(slot, payload)
    memory.changed.clear()


def _layouts_slot(folder: Path, kind: str, words: tuple[str, ...]) -> Path:
    key = zlib.crc32("\n".join(words).encode("utf-8", "surrogatepass"))
    return folder / f"layouts-{kind.lower()}-{key:08x}.pickle"


# -- the plan ----------------------------------------------------------------------------------


class _PlanCache(NamedTuple):
    digest: tuple[int, int]  # CRC-32 and length of the file's bytes
    file: tuple[int, int]  # device and inode
    seen: tuple[int, int, int] | None  # settled (size, mtime_ns, ctime_ns), as for the log
    plan: Plan


def is_cold(path: Path) -> bool:
    """Whether the plan at `path` has no cache here: never opened on this PC, or the cache
    folder was cleared (one stat). False when caching is off: there is nothing to warm."""
    slot = _slot("plan", path)
    return slot is not None and not slot.exists()


def load_plan_cached(path: Path) -> Plan:
    """The plan at `path`, from the cache when the file's bytes are the ones it was made from,
    or when its settled stamps show it has not been written since (then it is not even read)."""
    before = _now_ns()
    try:
        info: os.stat_result | None = path.stat()
    except OSError:
        info = None  # read_plan_bytes below says what is wrong
    slot = _slot("plan", path)
    cached = _load(slot)
    entry = cached if isinstance(cached, _PlanCache) and cached.plan.path == str(path) else None
    if entry is not None and info is not None and _vouch(info, entry.file, entry.seen):
        return entry.plan
    from xixin_cli.plan_file import decode_text, parse_plan, read_plan_bytes

    data = read_plan_bytes(path)
    digest = (zlib.crc32(data), len(data))
    stamps = _stamps(info, before) if info is not None else None
    file = (info.st_dev, info.st_ino) if info is not None else (0, 0)
    if entry is not None and entry.digest == digest:
        if stamps is not None and (stamps, file) != (entry.seen, entry.file):
            _store(slot, entry._replace(file=file, seen=stamps))
        return entry.plan
    plan = parse_plan(decode_text(data, str(path)), str(path))
    _store(slot, _PlanCache(digest, file, stamps, plan))
    return plan


# -- the log -------------------------------------------------------------------------------------


#: How long a log's modification and change times must have stood before its stat alone is
#: trusted to say the log is unchanged: file systems stamp times with a coarse clock (FAT in
#: 2-second steps), so two writes close together can leave the same stamps.
SETTLED_NS = 3_000_000_000


class _LogCache(NamedTuple):
    device: int
    inode: int
    offset: int  # bytes covered: the log up to and including a newline
    crc: int  # CRC-32 of those bytes
    lines: int  # newlines in those bytes
    folded: Folded
    # (size, mtime_ns, ctime_ns) of the whole file as it was read, when those stamps were
    # settled and can vouch that it is unchanged; None to check the prefix's CRC instead.
    seen: tuple[int, int, int] | None = None
    # The undo records of those bytes, whatever day (id, the id it undoes): what they take
    # back is folded on no day, today's fold as a day's replay. A tail kept beside it holds
    # none: after an undo recorded since, the fold is written whole (`_refolded`).
    undos: tuple[tuple[str, str], ...] = ()


_EMPTY = _LogCache(0, 0, 0, 0, 0, Folded.empty())


class _LogTail(NamedTuple):
    """What was appended after a kept fold: its events, to fold on top of it, and the prefix
    they end (its length, CRC-32 and newlines, and the stamps that can vouch for it)."""

    base: tuple[int, int]  # (offset, crc) of the fold it extends
    offset: int
    crc: int
    lines: int
    events: tuple[Event, ...]
    warnings: tuple[Problem, ...]
    seen: tuple[int, int, int] | None


#: At most this many events are kept as a tail; one more and the whole fold is written again.
_TAIL_MAX = 1000


def _tail_slot(slot: Path) -> Path:
    """Where the tail of the fold kept at `slot` is kept."""
    return slot.with_name(f"{slot.stem}.tail.pickle")


def _joined(base: _LogCache, tail: object) -> _LogCache:
    """The fold `base` with the tail kept beside it, when that tail extends this very fold."""
    if not isinstance(tail, _LogTail) or tail.base != (base.offset, base.crc):
        return base
    folded = base.folded.more(tail.events, tail.warnings)
    return base._replace(
        offset=tail.offset, crc=tail.crc, lines=tail.lines, folded=folded, seen=tail.seen
    )


def _now_ns() -> int:
    return time.time_ns()


def _stamps(info: os.stat_result, before_ns: int) -> tuple[int, int, int] | None:
    """The stat stamps that can later vouch for the file, or None if they cannot.

    `before_ns` is the clock just before the stat. Only POSIX change times move on every
    write (on Windows st_ctime is the creation time), so elsewhere the CRC always decides.
    """
    if os.name != "posix":
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) > before_ns - SETTLED_NS:
        return None  # written too recently: a second write could still get the same stamps
    return _seen(info)


def _seen(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _vouch(info: os.stat_result, file: tuple[int, int], seen: tuple[int, int, int] | None) -> bool:
    """True when the stamps kept at a settled read show the same file, unwritten since."""
    return seen is not None and (info.st_dev, info.st_ino) == file and _seen(info) == seen


def replay_kept(paths: Sequence[Path], as_of: date) -> bool:
    """Whether each log has a replay as of the end of `as_of` kept (up to date or not)."""
    for path in paths:
        slot = _slot(f"log-{as_of.isoformat()}", path)
        if slot is None or not slot.is_file():
            return False
    return bool(paths)


def fold_behind(paths: Sequence[Path]) -> bool:
    """Whether a log was written after its fold was last kept (or has none kept): a view
    answered from a day's replay then brings that fold up to date too, as every view did
    before (a merge extends the kept fold only when it covers the log up to the merge's
    bytes: behind, the next command read the merge's 60,000 lines back, at 104 MB)."""
    for path in paths:
        slot = _slot("log", path)
        if slot is None:
            return False
        kept = [_file_stamps(found) for found in (slot, _tail_slot(slot))]
        written = [stamps[2] for stamps in kept if stamps is not None]
        try:
            changed = path.stat().st_mtime_ns
        except OSError:
            continue
        if not written or changed >= max(written):
            return True
    return False


def fold_logs(paths: Sequence[Path], as_of: date | None = None) -> Folded:
    """Several logs folded together; an event found in two of them counts once."""
    if len(paths) == 1:
        return fold_log(paths[0], as_of)  # the usual case: nothing to fold it together with
    if _undos_cross(paths):
        return _replayed_whole(paths, as_of)
    combined = Folded.empty()
    for path in paths:
        folded = fold_log(path, as_of)
        combined = combined.more(folded.kept(), folded.warnings)
    return combined


def _undos_cross(paths: Sequence[Path]) -> bool:
    """Whether what the undos of several logs take back, taken together, is not what each
    log's own take back (an undo in one log of a record another holds too: a copy of a log
    beside the one it was copied from): each log's replay alone would then count it."""
    from xixin_cli.status_log import open_log

    every: dict[str, str] = {}
    own: list[frozenset[str]] = []
    for path in paths:
        handle = open_log(path)
        if handle is None:
            continue
        with handle:
            found = _undo_records(handle, 0, str(path))
        for undo, target in found.items():
            every.setdefault(undo, target)  # an id in two logs counts as the first one's
        own.append(taken_back(found))
    together = taken_back(every)
    return any(mine != together for mine in own) if every else False


def _replayed_whole(paths: Sequence[Path], as_of: date | None) -> Folded:
    """Several logs replayed as of the end of `as_of` (None: today) from their events, read
    whole, with what all their undos take back left out (no cache: undos across logs are
    rare)."""
    from xixin_cli.fold import replayed_all
    from xixin_cli.status_log import read_logs

    events, warnings = read_logs(paths)
    return Folded.empty().more(tuple(replayed_all(events, as_of or date.max)), warnings)


#: How many days' replays (`--as-of` a day before the log's last change) are kept per log.
AS_OF_KEPT = 6


def fold_log(path: Path, as_of: date | None = None) -> Folded:
    """Fold the log at `path`, reading only what was appended since the cached fold; with
    `as_of`, only the changes that happened by the end of that day (fold.happened_on).

    Gives exactly what folding the whole log gives (a property test holds it to that). The log
    is read a piece at a time: each piece's events are folded and dropped before the next is
    read, so memory stays flat however long the log (a county's 200,000 events held at once
    took ~0.5 GB, and the fold slowed as the heap grew). A day's replay is kept like the fold
    itself, for the last AS_OF_KEPT days asked (a county's 800,000 changes take a minute to
    replay and, held at once, 1.4 GB).
    """
    before = _now_ns()
    try:
        info = path.stat()  # before reading: a write after this changes the stamps kept below
    except FileNotFoundError:
        return Folded.empty()
    except OSError:
        info = None  # open_log below says what is wrong
    from xixin_cli.status_log import check_regular, open_log, parse_log, pieces

    if info is not None:
        check_regular(path, info)  # a FIFO or a device is refused before it is opened
    slot = _slot("log" if as_of is None else f"log-{as_of.isoformat()}", path)
    if slot is not None and as_of is not None:
        _forget_old_days(slot)
    tail_slot = _tail_slot(slot) if slot is not None else None
    cached = _load(slot) if info is not None else None
    kept = cached if isinstance(cached, _LogCache) else _EMPTY
    kept_tail = _load(tail_slot) if kept is not _EMPTY else None
    base = _joined(kept, kept_tail)
    extra = kept_tail if isinstance(kept_tail, _LogTail) and base is not kept else None
    # The events read after the kept fold, while few enough to be kept as its tail.
    fresh: list[Event] | None = list(extra.events) if extra is not None else []
    fresh_warnings = list(extra.warnings) if extra is not None else []
    stamps = _stamps(info, before) if info is not None else None
    unchanged = info is not None and _vouch(info, (base.device, base.inode), base.seen)
    if unchanged and base.offset == base.seen[0]:  # type: ignore[index]
        return base.folded  # nothing written since, and nothing after the cached prefix
    handle = open_log(path)
    if handle is None:
        return Folded.empty()
    name = str(path)
    with handle:
        opened = os.fstat(handle.fileno())
        if base is not _EMPTY and not _prefix_holds(handle, base, check=not unchanged):
            base = kept = _EMPTY
        # What the log's undos take back counts on no day, today's state as a past day's:
        # the undo records of the bytes folded, and of the bytes after the kept prefix.
        undos = dict(base.undos)
        since = _undo_records(handle, base.offset, name)
        if base is not _EMPTY and since.keys() - undos.keys():
            # An undo recorded since: the kept fold may have folded what it takes back. The
            # items whose records it takes back (or gives back) are folded again from the
            # log's index, else the whole log is (a county's fold: 1.7 s, an item's: ms).
            mended = _refolded(path, opened, base, undos, {**since, **undos}, as_of)
            if mended is None:
                base = kept = _EMPTY
                undos, since = {}, _undo_records(handle, 0, name)
            else:  # written whole below: a tail kept beside the old fold would not join it
                base, kept = base._replace(folded=mended), _EMPTY
            cached = kept_tail = extra = None  # the old fold let go: not held with the new
            for old in (slot, tail_slot):
                _LOADED.pop(old, None)  # type: ignore[arg-type]
        dropped = taken_back({**since, **undos})  # an id the prefix has is its line's
        if kept is _EMPTY:
            fresh = None  # nothing to keep a tail beside: the fold is written whole
        handle.seek(base.offset)
        folded, crc, lines, offset = base.folded, base.crc, base.lines, base.offset
        owned = False  # the kept fold is the loader's too: copied once, then added to in place
        tail = b""
        for piece in pieces(handle, _PIECE):
            if not piece.endswith(b"\n"):  # the last line may still be growing: not cached
                tail = piece
                break
            read = parse_log(piece, name, first_line=lines + 1)
            undo_map(read.events, undos)
            read = _by(as_of, read, dropped)
            folded, owned = folded.more(read.events, read.warnings, own=owned), True
            if fresh is not None:
                fresh += read.events
                fresh_warnings += read.warnings
                if len(fresh) > _TAIL_MAX:
                    fresh = None
            crc = zlib.crc32(piece, crc)
            lines += piece.count(b"\n")
            offset += len(piece)
        held(opened, offset, crc)
    if since.keys() - undos.keys():
        info = None  # an undo on a last line still being written: this answer is not kept
    if info is not None and (offset != base.offset or (stamps is not None and base.seen != stamps)):
        if fresh is not None:
            joins = (kept.offset, kept.crc)
            _store(
                tail_slot,
                _LogTail(joins, offset, crc, lines, tuple(fresh), tuple(fresh_warnings), stamps),
            )
        else:
            kept_undos = tuple(undos.items())
            _store(
                slot,
                _LogCache(info.st_dev, info.st_ino, offset, crc, lines, folded, stamps, kept_undos),
            )
            if tail_slot is not None:
                with contextlib.suppress(OSError):
                    tail_slot.unlink(missing_ok=True)  # it extended an older fold
    if not tail:
        return folded
    read = _by(as_of, parse_log(tail, name, first_line=lines + 1), dropped)
    return folded.more(read.events, read.warnings)


def _refolded(
    path: Path,
    opened: os.stat_result,
    base: _LogCache,
    before: dict[str, str],
    now: dict[str, str],
    as_of: date | None,
) -> Folded | None:
    """`base`'s fold of the log's first `base.lines` lines, folded with the undos `now` (id ->
    the id it undoes) where it was folded with those `before`: the items of every record
    whose standing that changes (taken back, or given back by an undone undo) folded again,
    from their own records, read through the log's index. None when the log has no index, or
    the index is not of the file open (`opened`): then the caller folds the whole log.

    A fold keyed by (item, unit) is the same for an item however the other items' records
    lie, so the result is the whole fold's. Only `latest` may stay later than a record now
    left out: `settled_by` then answers no, and the day is replayed, which is never wrong."""
    from xixin_cli.fold import replayed
    from xixin_cli.log_index import has_index, open_index

    was, dropped = taken_back(before), taken_back(now)
    flipped = sorted(was ^ dropped)
    if not flipped:
        return base.folded
    if not has_index(path):
        return None  # made from nothing, an index costs as much as the fold it would spare
    index = open_index(path)
    if index is None:
        return None
    try:
        mine = os.fstat(index.handle.fileno())
        if (mine.st_dev, mine.st_ino) != (opened.st_dev, opened.st_ino):
            return None
        found: set[str] = set()  # their items: every line of theirs, a repeat's too
        for ids in _chunks(flipped):
            where = f"event IN ({','.join('?' * len(ids))}) AND line <= ?"
            found.update(event.item for _, event in index.lines_of(where, (*ids, base.lines)))
        if not found:
            return base.folded  # all of them after the prefix: folded as they are read
        items = sorted(found)
        lines = []
        for some in _chunks(items):
            where = f"item IN ({','.join('?' * len(some))}) AND line <= ?"
            lines += index.lines_of(where, (*some, base.lines))
    finally:
        index.close()
    events = [event for _, event in sorted(lines, key=lambda line: line[0])]  # the log's order
    day = as_of or date.max
    left = replayed(events, day, was)  # what the kept fold holds of them
    kept = tuple(replayed(events, day, dropped))  # what it is to hold
    folded, fresh, gone = base.folded, Folded.empty().more(kept, ()), set(items)

    def mended(table: dict[Any, Any], new: dict[Any, Any]) -> dict[Any, Any]:
        # one copy of a county's table (100,000 parts), their items' entries made anew
        found = {key: value for key, value in table.items() if key[0] not in gone}
        found.update(new)
        return found

    def later(one: Any, other: Any) -> Any:
        return other if one is None else one if other is None else max(one, other)

    return Folded(
        mended(folded.last, fresh.last),
        folded.warnings,
        folded.total - len(left) + len(kept),
        mended(folded.extended, fresh.extended),
        mended(folded.evidence, fresh.evidence),
        later(folded.latest, fresh.latest),
        later(folded.latest_on, fresh.latest_on),
    )


def _chunks(values: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    """`values` in runs of at most `size`: as many as one SQL statement may name."""
    return [values[start : start + size] for start in range(0, len(values), size)]


def _undo_records(handle: BinaryIO, start: int, name: str) -> dict[str, str]:
    """The undo records of the open log from byte `start` on (event id -> the id each
    undoes), whatever day: a day's replay needs them before it folds the first change. Only
    the lines that can hold one are decoded (the key's name, or a JSON escape that could
    spell it)."""
    from xixin_cli.status_log import parse_log, pieces

    found: dict[str, str] = {}
    handle.seek(start)
    first = start == 0  # a BOM is skipped on the file's first line only, as readers skip it
    for piece in pieces(handle, _PIECE):
        if b"undoes" in piece or b"\\u" in piece:
            lines = piece.split(b"\n")
            asked = [n for n, line in enumerate(lines) if b"undoes" in line or b"\\u" in line]
            for n in asked:  # each line read as it is read in place: alone, numbered so
                undo_map(
                    parse_log(lines[n] + b"\n", name, first_line=n + 1 if first else 2).events,
                    found,
                )
        first = False
    handle.seek(start)
    return found


def fold_appended(path: Path, start: int, size: int, crc: int, read: LogRead) -> None:
    """After a merge appended `size` bytes at byte `start` (under the log's lock), whose own
    CRC-32 is `crc`, and read them (`read`): fold them onto the log's cached fold when that
    covers exactly the log before them, so that the next command need not read them back.
    The bytes are read back from the log here (a county's merge appends 10 MB: the merge
    need not hold them until now), and nothing is folded unless they are still those. No
    stamps are kept: the next read checks the prefix's CRC, as after any write."""
    slot = _slot("log", path)
    kept = _load(slot) if slot is not None else None
    if not isinstance(kept, _LogCache) or slot is None:
        return
    tail_slot = _tail_slot(slot)
    base = _joined(kept, _load(tail_slot))
    del kept
    if base.offset != start:
        return
    end = start + size
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if (info.st_dev, info.st_ino) != (base.device, base.inode) or info.st_size < end:
                return
            seeded, alone, lines = base.crc, 0, base.lines
            for at in range(start, end, _PIECE):
                piece = os.pread(handle.fileno(), min(_PIECE, end - at), at)
                seeded, alone = zlib.crc32(piece, seeded), zlib.crc32(piece, alone)
                lines += piece.count(b"\n")
    except OSError:
        return
    if alone != crc:
        return  # not the bytes the merge appended and read: the next read folds what is there
    if any(event.undoes is not None for event in read.events):
        return  # what an undo takes back may be folded already: the next read folds anew
    kept = _by(None, read, taken_back(dict(base.undos)))  # a record that came after its undo
    folded = base.folded.more(kept.events, kept.warnings)
    _store(
        slot,
        _LogCache(base.device, base.inode, end, seeded, lines, folded, undos=base.undos),
    )
    with contextlib.suppress(OSError):
        tail_slot.unlink(missing_ok=True)  # it extended the fold just replaced
    # Not kept in this process: the merge reads it no more (a county's fold, 13 MB, was held
    # through the conflicts); a later command in it loads it again
    for kept_slot in (slot, tail_slot):
        _LOADED.pop(kept_slot, None)


def _by(as_of: date | None, read: LogRead, dropped: frozenset[str] = frozenset()) -> LogRead:
    """The changes read that a replay as of the end of `as_of` folds (`fold.replayed`: less
    the undos and what they take back, `dropped`); for None, today's: all but those."""
    from xixin_cli.fold import replayed

    if as_of is None:
        if not dropped:
            return read
        return read._replace(events=tuple(e for e in read.events if e.event_id not in dropped))
    return read._replace(events=tuple(replayed(read.events, as_of, dropped)))


def _forget_old_days(slot: Path) -> None:
    """Keep the replays of the AS_OF_KEPT days last asked of this log (`slot` is the one
    about to be used): the others, and their tails, are removed."""
    key = slot.stem.rsplit("-", 1)[1]
    with contextlib.suppress(OSError):
        os.utime(slot)  # asked now: the newest
    try:
        others = sorted(
            (found for found in slot.parent.glob(f"log-????-??-??-{key}.pickle") if found != slot),
            key=lambda found: found.stat().st_mtime_ns,
            reverse=True,
        )
    except OSError:
        return
    for old in others[AS_OF_KEPT - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()
            _tail_slot(old).unlink(missing_ok=True)


#: How much of a log is parsed at a time (status_log.PIECE; tests make it small).
_PIECE = 4 << 20


def _prefix_holds(handle: BinaryIO, base: _LogCache, *, check: bool = True) -> bool:
    """Whether the open log still starts with the cached prefix: the same file, not shorter,
    and (unless `check` is False because the file's settled stamps vouched for it a moment
    ago, and still do on the open file) the prefix's CRC-32 unchanged. The prefix is read a
    megabyte at a time, so a large log is never held."""
    try:
        info = os.fstat(handle.fileno())
    except OSError:
        return False
    if (info.st_dev, info.st_ino) != (base.device, base.inode) or info.st_size < base.offset:
        return False
    if not check and _vouch(info, (base.device, base.inode), base.seen):
        return True
    return prefix_crc(handle, base.offset) == base.crc


#: Prefixes this process has read: (device, inode) -> (the file's stamps just before, and for
#: each length read, its CRC-32). While the stamps stay exactly as they were, no prefix is read
#: again in this process (a command that records a change reads the log again under the lock;
#: the fold, a day's replay and the index check prefixes of one file, often the same one), and
#: a longer one is read on from the longest known below it: any write moves them.
_HELD: dict[tuple[int, int], tuple[tuple[int, int, int], dict[int, int]]] = {}


def held(info: os.stat_result, offset: int, crc: int) -> None:
    """Note that the file whose stamps were `info` just before it was read starts with
    `offset` bytes whose CRC-32 is `crc`."""
    seen = _seen(info)
    known = _HELD.get((info.st_dev, info.st_ino))
    if known is None or known[0] != seen:
        known = _HELD[info.st_dev, info.st_ino] = (seen, {})
    known[1][offset] = crc


def prefix_crc(handle: BinaryIO, length: int) -> int:
    """The CRC-32 of the first `length` bytes of an open file (-1 when it is shorter)."""
    info = os.fstat(handle.fileno())
    known = _HELD.get((info.st_dev, info.st_ino))
    start = crc = 0
    if known is not None and known[0] == _seen(info):
        if length in known[1]:
            return known[1][length]
        start = max((at for at in known[1] if at < length), default=0)
        crc = known[1].get(start, 0)
    handle.seek(start)
    left = length - start
    while left > 0:
        block = handle.read(min(1 << 20, left))
        if not block:
            return -1
        crc = zlib.crc32(block, crc)
        left -= len(block)
    held(info, length, crc)
    return crc
