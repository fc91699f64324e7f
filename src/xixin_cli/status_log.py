"""The status log: an append-only JSON-lines file of events, read tolerantly, never rewritten."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, BinaryIO, cast

from xixin_cli.errors import Problem, StateError
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.tuples import NamedTuple

#: The record format this version writes and reads. A record with a higher number is refused.
#: 1: status changes; 2: evidence and extensions; 3: a record for one unit's part (`office`);
#: 4: the day a change happened (`on`), evidence withdrawn (`detach`), an extension withdrawn;
#: 5: a unit's feedback from its returned form (`progress`, `problems`, `next`).
LOG_VERSION = 5

#: The feedback fields of a format 5 record: 进展情况, 存在问题, 下一步措施.
FEEDBACK = ("progress", "problems", "next")

#: The longest line read as a record. A record is a few hundred bytes (a note is at most 2,000
#: characters); anything longer is reported as one bad line rather than parsed.
MAX_LINE = 64 << 10


#: The problems of a line that holds no record (a write cut short, bytes from elsewhere): what
#: it held never counted, and `verify --accept-damaged LINE` accepts it as it is.
DAMAGED = frozenset({"log.torn", "log.bad_line", "log.too_long"})


class LineError(Exception):
    """A line that is not a record: its message code (`log.bad_line`, `log.too_long`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def load_line(raw: bytes) -> Any:
    """One line's JSON value, parsed within bounds: LineError when it is too long, not UTF-8,
    not JSON, or nested deeper than the parser goes (a line of 1,000 "[")."""
    import json

    if len(raw) > MAX_LINE:
        raise LineError("log.too_long")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LineError("log.bad_line") from None


class LogRead(NamedTuple):
    """What was read: the events in file order with their line numbers, and a warning for every
    line that was skipped."""

    events: tuple[Event, ...]
    warnings: tuple[Problem, ...]
    lines: tuple[int, ...] = ()


def read_log(path: Path) -> LogRead:
    """Read every event; a missing file is an empty log. Skipped lines become warnings."""
    return parse_log(read_bytes(path), str(path))


def read_logs(paths: Sequence[Path]) -> tuple[tuple[Event, ...], tuple[Problem, ...]]:
    """Every event of several logs, each once (by event id), and every skipped line."""
    events: list[Event] = []
    warnings: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        log = read_log(path)
        for event in log.events:  # a record repeated in one file (a git union) counts once too
            if event.event_id not in seen:
                seen.add(event.event_id)
                events.append(event)
        warnings += log.warnings
    return tuple(events), tuple(warnings)


#: How much of a log is read at a time by the readers that stream it: each piece's records are
#: used and dropped before the next is read, so memory stays flat however long the log.
PIECE = 4 << 20


def pieces(handle: BinaryIO, size: int = PIECE) -> Iterator[bytes]:
    """The rest of an open log, in pieces of whole lines (each ends with a newline), and last
    the final line if it has no newline (a write cut short, or one still being made)."""
    rest = b""
    while True:
        block = handle.read(size)
        if not block:
            break
        if rest:
            block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:  # no line ends in this block yet: a line longer than a piece
            rest = block
            continue
        rest = block[cut:]
        yield block[:cut]
    if rest:
        yield rest


def open_log(path: Path) -> BinaryIO | None:
    """The log opened for reading (None when there is none); StateError as `read_bytes`."""
    name = str(path)
    try:
        check_regular(path, path.stat())
        return path.open("rb")
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StateError("state.is_dir", path=name) from None
    except PermissionError:
        raise StateError("state.no_permission", path=name) from None
    except OSError as exc:
        if path.is_dir():
            raise StateError("state.is_dir", path=name) from None
        raise StateError("state.unreadable", path=name, reason=str(exc)) from None


def read_bytes(path: Path) -> bytes:
    """The log's bytes; a missing file is an empty log. StateError when it cannot be read."""
    name = str(path)
    try:
        check_regular(path, path.stat())
        data = path.read_bytes()
    except FileNotFoundError:
        return b""
    except IsADirectoryError:
        raise StateError("state.is_dir", path=name) from None
    except PermissionError:
        raise StateError("state.no_permission", path=name) from None
    except OSError as exc:
        raise StateError("state.unreadable", path=name, reason=str(exc)) from None
    if path.is_dir():
        raise StateError("state.is_dir", path=name)
    return data


def check_regular(path: Path, info: os.stat_result) -> None:
    """StateError unless `info` is a plain file's: a FIFO would block a reader for ever and a
    device (/dev/zero) never ends."""
    import stat

    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise StateError("state.not_regular", path=str(path))


def parse_log(data: bytes, name: str, first_line: int = 1) -> LogRead:
    """Parse log bytes; `name` is used in messages.

    `first_line` is the line number of the first byte, for a part read from the middle of the
    file (the cache reads only what was appended); a BOM is skipped only at the file's start.
    """
    events: list[Event] = []
    warnings: list[Problem] = []
    numbers: list[int] = []
    if first_line == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # All of it as text at once, when it is UTF-8 (one call instead of one a line, ~20% of a
    # read): each line is then exactly the decoded bytes of its own line, as no newline byte
    # is ever part of another character. A piece with a bad byte is read line by line.
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    lines: Sequence[str | bytes] = data.split(b"\n") if text is None else text.split("\n")
    torn = bool(lines) and lines[-1] not in ("", b"")  # no newline at the end: a write was cut
    last_line = first_line + len(lines) - 1
    for number, line in enumerate(lines, start=first_line):
        if isinstance(line, str):
            # A line of n characters is at most 4n bytes: under MAX_LINE, as decode_line asks.
            tried = len(line) <= MAX_LINE // 4
            fast = _fast_event(line) if tried else None
            if fast is not None:
                events.append(fast)
                numbers.append(number)
                continue
            raw = line.encode("utf-8")
        else:
            raw, tried = line, False
        if not raw.strip():
            continue
        try:
            # a line the fast path has refused already goes straight to the general one
            events.append(_general_event(raw) if tried else decode_line(raw))
            numbers.append(number)
        except LineError as bad:
            last = number == last_line and torn and bad.code == "log.bad_line"
            warnings.append(Problem(name, number, None, "log.torn" if last else bad.code))
        except _NewerRecord as exc:
            raise StateError(
                "state.newer_version",
                path=f"{name}:{number}",
                found=exc.version,
                supported=LOG_VERSION,
            ) from None
        except _BadRecord as exc:
            warnings.append(Problem(name, number, exc.field, "log.bad_record"))
    return LogRead(tuple(events), tuple(warnings), tuple(numbers))


class _BadRecord(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class _NewerRecord(Exception):
    def __init__(self, version: object) -> None:
        super().__init__(version)
        self.version = version


#: The time zones seen in logs, one object per offset (each parsed time brings its own).
_ZONES: dict[tzinfo, tzinfo] = {}


def event_from_record(record: Any) -> Event:
    """Turn one decoded JSON record into an Event; raise _BadRecord naming the bad field."""
    if not isinstance(record, dict):
        raise _BadRecord("v")
    version = record.get("v")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _BadRecord("v")
    if version > LOG_VERSION:
        raise _NewerRecord(version)

    def text(key: str, *, optional: bool = False) -> str:
        value = record.get(key, "" if optional else None)
        if not isinstance(value, str) or (not optional and not value):
            raise _BadRecord(key)
        return value

    at = _parse_at(text("at"))
    try:
        kind = EventKind(record.get("kind", "status"))
    except ValueError:
        raise _BadRecord("kind") from None
    extra: dict[str, Any] = {}
    status = previous = Status.TODO  # placeholders: only status records change the status
    if kind is EventKind.STATUS:
        try:
            status = Status(text("status"))
            previous = Status(text("previous"))
        except ValueError:
            raise _BadRecord("status") from None
    elif kind is EventKind.EXTEND:
        if record.get("due") is None and version >= 4:
            extra["due"] = None  # the extension was withdrawn (an undo)
        else:
            extra["due"] = _due(text("due"))
    else:
        size = record.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _BadRecord("size")
        extra.update(path=text("path"), size=size, sha256=text("sha256"))
    if version >= 5:  # older records carry no feedback: read them at the cost they had
        extra.update((key, text(key, optional=True)) for key in FEEDBACK)
    undoes = record.get("undoes")
    if undoes is not None and not isinstance(undoes, str):
        raise _BadRecord("undoes")
    chained = {key: text(key, optional=True) for key in ("writer", "chain", "hash")}
    return Event(
        event_id=text("event"),
        at=at,
        item=text("item"),
        status=status,
        previous=previous,
        by=text("by", optional=True),
        note=text("note", optional=True),
        undoes=undoes,
        writer=chained["writer"],
        chain=chained["chain"],
        digest=chained["hash"],
        kind=kind,
        office=text("office", optional=True),
        on=_day(record.get("on")),
        **extra,
    )


def _parse_at(value: str) -> datetime:
    """The `at` field: an aware time, in one shared time zone object per offset."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise _BadRecord("at") from None
    if at.tzinfo is None or not 1900 <= at.year <= 2200:  # dates.FIRST_YEAR…LAST_YEAR
        raise _BadRecord("at")
    zone = _ZONES.setdefault(at.tzinfo, at.tzinfo)
    if zone is not at.tzinfo:  # one shared object per offset: the cache pickles it once
        at = at.replace(tzinfo=zone)
    return at


def _due(value: str) -> date:
    """The `due` field of an extension: its new due day."""
    try:
        due = date.fromisoformat(value)
    except ValueError:
        raise _BadRecord("due") from None
    if not 1900 <= due.year <= 2200:  # dates.FIRST_YEAR…LAST_YEAR
        raise _BadRecord("due")
    return due


def _day(value: object) -> date | None:
    """The `on` field: the day a change happened, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadRecord("on")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadRecord("on") from None


# -- the fast path -------------------------------------------------------------------------------
#
# Nearly every line of a log is laid out exactly as `append_event` writes it: the keys in
# `event_to_record`'s order, no spaces, strings without escapes. Such a line is read here by
# one regular expression instead of the JSON parser and `event_from_record`: a county's cold
# read decodes 200,000 of them, and the general path spent most of that time in per-field
# helpers, enum and datetime work. Anything else (another layout, an escape, a value the
# general path would refuse or has to think about) is left to the general path, so the fast
# path changes no answer and no message: it returns what the general path returns, or None
# (tests/test_decode.py holds it to that, for any line).

#: A JSON string's text when it has no escape and no control character: then its value is the
#: text between the quotes, and `json.dumps(..., ensure_ascii=False)` writes it back as it was.
_S = r'"([^"\\\x00-\x1f]+)"'
_S0 = r'"([^"\\\x00-\x1f]*)"'
_LAYOUT = (
    (
        r'\{"v":([1-5]),"event":<S>,"at":<S>,"item":<S>'
        r'(?:,"status":<S>,"previous":<S>,|,"kind":<S>,)'
        r'("due":(?:null|<S>),)?'
        r'(?:"path":<S>,"size":(0|[1-9][0-9]{0,17}),"sha256":<S>,)?'
        r'(?:"on":<S>,)?'
        r'(?:"office":<T>,)?'
        r'"by":<T>,"note":<T>'
        r'(?:,"progress":<T>,"problems":<T>,"next":<T>)?'
        r'(?:,"undoes":<T>)?'
        r'(?:,"writer":<T>,"chain":<T>)?'
        r'(?:,"hash":<T>)?\}'
    )
    .replace("<S>", _S)
    .replace("<T>", _S0)
)


_LINE: re.Pattern[str] | None = None  # _LAYOUT compiled, when a line is first read (~20 ms)


def _line_pattern() -> re.Pattern[str]:
    global _LINE
    if _LINE is None:
        _LINE = re.compile(_LAYOUT)
    return _LINE


#: The groups of `_LINE`, by key: the record's keys in canonical (sorted) order, each with its
#: group, whether its value is a JSON string, and the group that says the key is there.
_GROUPS = {
    "v": 1, "event": 2, "at": 3, "item": 4, "status": 5, "previous": 6, "kind": 7, "due": 9,
    "path": 10, "size": 11, "sha256": 12, "on": 13, "office": 14, "by": 15, "note": 16,
    "progress": 17, "problems": 18, "next": 19, "undoes": 20, "writer": 21, "chain": 22,
}  # fmt: skip
_THERE = {"due": 8}  # `"due":null` has no value group, only the group of the whole key

_STATUSES = {status.value: status for status in Status}
_KINDS = {kind.value: kind for kind in EventKind if kind is not EventKind.STATUS}
_new = tuple.__new__

#: Each hour seen (`YYYY-MM-DDTHH` and the offset) -> the first five bytes of a datetime's
#: pickled state and its time zone (one object per offset, from _ZONES); minutes and seconds
#: -> their two bytes. A time is then made without parsing it again (`datetime(state, zone)`,
#: as unpickling does), about a tenth of the general path's cost.
_HOURS: dict[str, tuple[bytes, tzinfo]] = {}
_MINUTES: dict[str, bytes] = {}  # filled when first needed: not every command reads a log


def _minutes() -> dict[str, bytes]:
    if not _MINUTES:
        _MINUTES.update((f":{m:02d}:{s:02d}", bytes((m, s))) for m in range(60) for s in range(60))
    return _MINUTES


_NO_MICROS = bytes(3)


def _fast_at(text: str) -> datetime | None:
    """The time `text` gives, when it is in the form this version writes
    (`YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM`) and the general path accepts it; else None."""
    if len(text) == 25:
        zone, micros = text[19:], _NO_MICROS
    elif len(text) == 32 and text[19] == ".":
        digits = text[20:26]
        if not (digits.isascii() and digits.isdigit()):
            return None
        zone, micros = text[26:], int(digits).to_bytes(3, "big")
    else:
        return None
    minutes = (_MINUTES or _minutes()).get(text[13:19])
    if minutes is None:
        return None
    hour = _HOURS.get(text[:13] + zone)
    if hour is None:
        whole = text[:13] + ":00:00" + zone
        try:
            at = _parse_at(whole)
        except _BadRecord:
            return None
        if at.isoformat() != whole:  # another form of the same time: the general path reads it
            return None
        if len(_HOURS) >= 30_000:  # a hostile log of ever new hours: memory stays bounded
            _HOURS.clear()
        shared = at.tzinfo
        assert shared is not None  # _parse_at refuses a time without one
        state = cast(bytes, at.__reduce__()[1][0])  # year, month, day, hour, minute, ...
        hour = _HOURS[text[:13] + zone] = (state[:5], shared)
    return datetime(hour[0] + minutes + micros, hour[1])  # type: ignore[call-arg, arg-type]


_one = sys.intern


def _fast_event(text: str) -> Event | None:
    """The event of a line laid out as this version writes it, exactly as `event_from_record`
    gives it; None when the line is not in that layout or the general path must judge it."""
    found = _line_pattern().fullmatch(text)
    if found is None:
        return None
    (
        v, event_id, at_text, item, status_text, previous_text, kind_text, _due_key, due_text,
        path, size, sha256, on_text, office, by, note, progress, problems, next_, undoes,
        writer, chain, digest,
    ) = found.groups()  # fmt: skip
    at = _fast_at(at_text)
    if at is None:
        return None
    version = int(v)
    due = on = None
    if kind_text is None:
        kind = EventKind.STATUS
        status = _STATUSES.get(status_text)
        previous = _STATUSES.get(previous_text)
        if status is None or previous is None:
            return None
    else:
        found_kind = _KINDS.get(kind_text)
        if found_kind is None:
            return None
        kind, status, previous = found_kind, Status.TODO, Status.TODO
        if kind is EventKind.EXTEND:
            if due_text is None:
                if version < 4:
                    return None
            else:
                try:
                    due = _due(due_text)
                except _BadRecord:
                    return None
            path = sha256 = None
        elif path is None:
            return None
    if on_text is not None:
        try:
            on = _day(on_text)
        except _BadRecord:
            return None
    if path is None or kind is EventKind.STATUS:
        path, size_value, sha256 = "", -1, ""
    else:
        size_value = int(size)
    if version < 5 or progress is None:
        progress = problems = next_ = ""
    # An item, a recorder, a writer and a unit recur in record after record: one string each
    # (a fold at county scale keeps 60,000 events, and its pickle then holds each once).
    return _new(
        Event,
        (
            event_id, at, _one(item), status, previous, _one(by), note, undoes,
            _one(writer) if writer else "", chain or "", digest or "", kind, due, path,
            size_value, sha256, _one(office) if office else "", on, progress, problems, next_,
        ),
    )  # fmt: skip


def decode_line(raw: bytes) -> Event:
    """One line's event: LineError as `load_line`, _BadRecord and _NewerRecord as
    `event_from_record` (the fast path where it can, else those two)."""
    if len(raw) <= MAX_LINE:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise LineError("log.bad_line") from None
        fast = _fast_event(text)
        if fast is not None:
            return fast
    return _general_event(raw)


def _general_event(raw: bytes) -> Event:
    """One line's event by the JSON parser and the record's fields one by one."""
    return event_from_record(load_line(raw))


class Signed(NamedTuple):
    """What `verify` reads of a record: its format, event id, writer, chain and own hash (each
    as found: any JSON value, None when missing), and the record's content hash when the
    record is signed (writer, chain and hash are text)."""

    version: int
    event: object
    writer: object
    chain: object
    digest: object
    record: dict[str, Any] | None  # the record, when its hash must still be worked out
    known: str | None = None  # its hash, when the fast path has worked it out already

    def hashed(self) -> str:
        """`record_hash` of the record (for a signed record)."""
        if self.known is not None:
            return self.known
        assert self.record is not None
        return record_hash(self.record)


#: The canonical form of each shape of fast-path line (which keys it has): a %-template of
#: its values in sorted key order (without `hash`), and what picks them from the line's groups.
_FORMS: dict[tuple[bool, ...], tuple[str, Callable[[Sequence[Any]], Any]]] = {}


def _canonical(groups: tuple[Any, ...]) -> str:
    """The canonical JSON of a fast-path line's record without its `hash` (as `record_hash`
    encodes it), made from the line's own text: its values need no escaping."""
    g = groups
    shape = (
        g[4] is None,  # status (else kind)
        g[7] is None,  # due
        g[8] is None,  # a due day (else null)
        g[9] is None,  # path, size, sha256
        g[12] is None,  # on
        g[13] is None,  # office
        g[16] is None,  # progress, problems, next
        g[19] is None,  # undoes
        g[20] is None,  # writer, chain
    )
    form = _FORMS.get(shape)
    if form is None:
        from operator import itemgetter

        parts, used = [], []
        for key in sorted(_GROUPS):
            group = _GROUPS[key]
            if g[_THERE.get(key, group) - 1] is None:
                continue
            if g[group - 1] is None:  # `"due":null`
                parts.append(f'"{key}":null')
                continue
            parts.append(f'"{key}":%s' if key in ("v", "size") else f'"{key}":"%s"')
            used.append(group - 1)
        pick = itemgetter(*used)  # at least v, event, at and item: always a tuple
        form = _FORMS[shape] = ("{" + ",".join(parts) + "}", pick)
    return form[0] % form[1](g)  # type: ignore[no-any-return]


def read_signed(raw: bytes) -> Signed | None:
    """A line as `verify` reads it: LineError as `load_line`; None when it is JSON but not a
    record (not an object, or its `v` is not a whole number)."""
    if len(raw) <= MAX_LINE:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise LineError("log.bad_line") from None
        found = _line_pattern().fullmatch(text)
        if found is not None:
            groups = found.groups()
            writer, chain, digest = groups[20], groups[21], groups[22]
            known = None
            if writer is not None and digest is not None:
                import hashlib

                known = hashlib.sha256(_canonical(groups).encode("utf-8")).hexdigest()
            return Signed(int(groups[0]), groups[1], writer, chain, digest, None, known)
    record = load_line(raw)
    if not isinstance(record, dict) or not isinstance(record.get("v"), int):
        return None
    writer, chain, digest = (record.get(key) for key in ("writer", "chain", "hash"))
    return Signed(record["v"], record.get("event"), writer, chain, digest, record)


#: What `plain_signed` gives of a line: its format, event id, writer, chain, own hash, and the
#: hash its content has (`Signed.hashed`): the fields verify checks, as `read_signed` reads them.
Plain = tuple[int, str, str, str, str, str]

#: The bytes that keep a line from being plain: a control character (the newline that ends
#: it aside: a piece is split there) or a backslash (an escape).
_NOT_PLAIN = bytes(range(32)).replace(b"\n", b"") + b"\\"

_VERSIONS = {b":%d," % version: version for version in range(1, LOG_VERSION + 1)}


class _PlainForm(NamedTuple):
    """A plain line's form, known by its format and its keys in the line's order. Split at
    its quotes, such a line is parts of four kinds, by their place modulo 4: 0, "{" and then
    the colons after the keys (`opens`); 1, "v" and then the values; 2, the format (":1,")
    and then the commas after the values, and "}" (`ends`); 3, the keys. `template` %
    `pick(parts)` is its canonical form (`record_hash`), and verify's fields are at `fields`."""

    opens: list[bytes]
    ends: list[bytes]
    template: bytes
    pick: Callable[[list[bytes]], tuple[bytes, ...]]
    fields: tuple[int, int, int, int]  # event, writer, chain, hash
    version: int


#: The forms seen, by (format, keys); None for keys whose lines are not read so (a key twice,
#: or no event, writer, chain or hash). Bounded: a hostile log of ever new keys is read slowly.
_PLAIN_FORMS: dict[tuple[bytes, ...], _PlainForm | None] = {}


def _plain_form(version_part: bytes, keys: list[bytes]) -> _PlainForm | None:
    """The form of the lines with this format (its part, ":1,") and these keys, if plain."""
    key = (version_part, *keys)
    if key in _PLAIN_FORMS or len(_PLAIN_FORMS) >= 256:
        return _PLAIN_FORMS.get(key)
    from operator import itemgetter

    version = _VERSIONS.get(version_part)
    texts = [name.decode("utf-8", "replace") for name in keys]
    named = set(texts)
    form = None
    if (
        version is not None
        and len(named) == len(texts)
        and "v" not in named
        and {"event", "writer", "chain", "hash"} <= named
    ):
        at = {text: 5 + 4 * n for n, text in enumerate(texts)}  # the part with its value
        canonical = sorted([*texts, "v"])  # as json's sort_keys orders them: by code point
        parts = [
            f'"{text.replace("%", "%%")}":' + (str(version) if text == "v" else '"%s"')
            for text in canonical
            if text != "hash"
        ]
        form = _PlainForm(
            opens=[b"{"] + [b":"] * len(keys),
            ends=[version_part] + [b","] * (len(keys) - 1) + [b"}"],
            template=("{" + ",".join(parts) + "}").encode("utf-8"),
            pick=itemgetter(*(at[text] for text in canonical if text not in ("v", "hash"))),
            fields=(at["event"], at["writer"], at["chain"], at["hash"]),
            version=version,
        )
    _PLAIN_FORMS[key] = form
    return form


def _laid_out(parts: list[bytes], keys: int) -> bool:
    """Whether a line split at its quotes into `parts` is an object of `keys` keys after its
    first, each with a text value, laid out without a space."""
    return (
        keys > 0
        and parts[0::4] == [b"{"] + [b":"] * keys
        and parts[6::4] == [b","] * (keys - 1) + [b"}"]
    )


#: The form of the lines that have none: its `opens` (empty) are no line's parts.
_NO_FORM = _PlainForm([], [], b"", lambda parts: (), (0, 0, 0, 0), 0)


def plain_signed(piece: bytes) -> tuple[list[bytes], list[Plain | None]]:
    """The lines of `piece` (split at each newline) and, for each, what `read_signed` reads
    of it when the line is plain, else None (then `read_signed` must read it).

    Plain: a JSON object laid out without a space, `v` first (a format this version reads),
    then only text values, with no escape or control character, and an event id, writer,
    chain and hash: a status record as `append_event` writes it. Split at its quotes, such a
    line is its keys and values as they are, so its canonical form is made from its own bytes
    and hashed as they are, and only the four fields verify keeps are decoded: at county scale
    half the time of `read_signed`'s way, which scans each character with its pattern (about
    15 ns each), builds its canonical form as text and encodes it again.
    """
    from hashlib import sha256

    lines = piece.split(b"\n")
    careful = not _plain(piece)  # a bad byte or a control character somewhere: each line alone
    found: list[Plain | None] = []
    add = found.append
    seen: tuple[bytes, list[bytes]] | None = None
    opens, ends, template, pick, (event, writer, chain, digest), version = _NO_FORM
    for raw in lines:
        parts = raw.split(b'"')
        keys = parts[3::4]
        if seen is None or keys != seen[1] or parts[2] != seen[0]:
            # keys of another form: looked up when the line is laid out as one (a line of
            # another layout, with a number, has parts that are no keys, new on each line)
            seen = (parts[2], keys) if _laid_out(parts, len(keys)) else None
            form = _plain_form(*seen) if seen is not None else None
            opens, ends, template, pick, (event, writer, chain, digest), version = form or _NO_FORM
        if (
            parts[0::4] == opens
            and parts[2::4] == ends
            and parts[1] == b"v"
            and len(raw) <= MAX_LINE
            and not (careful and not _plain(raw))
        ):
            add(
                (
                    version,
                    parts[event].decode(),
                    parts[writer].decode(),
                    parts[chain].decode(),
                    parts[digest].decode(),
                    sha256(template % pick(parts)).hexdigest(),
                )
            )
        else:
            add(None)
    return lines, found


def _plain(raw: bytes) -> bool:
    """Whether bytes are UTF-8 with no escape or control character (a newline aside)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(raw.translate(None, _NOT_PLAIN)) == len(raw)


def event_to_record(event: Event) -> dict[str, Any]:
    """The JSON record of an event (also the `history --json` object).

    Status changes are written as format 1, which every version reads; evidence and extension
    records are format 2, and a record for one unit's part (it names its `office`) format 3,
    each of which an older xixin refuses rather than misreads (as applying to every unit).
    """
    newest = (
        event.on is not None
        or event.kind is EventKind.DETACH
        or (event.kind is EventKind.EXTEND and event.due is None)
    )
    feedback = bool(event.progress or event.problems or event.next)
    version = 4 if newest else 3 if event.office else 1 if event.kind is EventKind.STATUS else 2
    if feedback:
        version = 5
    record: dict[str, Any] = {
        "v": version,
        "event": event.event_id,
        "at": event.at.isoformat(timespec="microseconds" if event.at.microsecond else "seconds"),
        "item": event.item,
    }
    if event.kind is EventKind.STATUS:
        record["status"] = event.status.value
        record["previous"] = event.previous.value
    else:
        record["kind"] = event.kind.value
    if event.kind is EventKind.EXTEND:
        record["due"] = event.due.isoformat() if event.due is not None else None
    if event.kind in (EventKind.EVIDENCE, EventKind.DETACH):
        record.update(path=event.path, size=event.size, sha256=event.sha256)
    if event.on is not None:
        record["on"] = event.on.isoformat()
    if event.office:
        record["office"] = event.office
    record["by"] = event.by
    record["note"] = event.note
    if feedback:
        record.update(progress=event.progress, problems=event.problems, next=event.next)
    if event.undoes is not None:
        record["undoes"] = event.undoes
    if event.writer:
        record["writer"] = event.writer
        record["chain"] = event.chain
    if event.digest:
        record["hash"] = event.digest
    return record


def record_hash(record: dict[str, Any]) -> str:
    """SHA-256 of a record's content without its own `hash`, in a canonical JSON form.

    Canonical (sorted keys, no spaces) so that the hash depends on what was recorded, not on how
    a tool happened to lay out the line.
    """
    import hashlib

    global _CANONICAL
    if _CANONICAL is None:
        import json

        _CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    content = {key: value for key, value in record.items() if key != "hash"}
    return hashlib.sha256(_CANONICAL.encode(content).encode("utf-8")).hexdigest()


#: The encoder of the canonical form (made once: a verify hashes every record).
_CANONICAL: Any = None


def append_event(path: Path, event: Event, *, writer: str, make_parent: bool = False) -> Event:
    """Append one event as one line, chained to `writer`'s previous record, flushed to disk.

    Appends hold an exclusive lock, so concurrent writers never interleave bytes or fork a chain.
    Nothing already in the file is touched. If the file does not end in a newline (a write was
    cut short), the new record starts on a fresh line so the torn one stays as it was, and is
    reported when read. Returns the event as written (with its writer, chain and hash).
    """
    import json

    written: list[Event] = []

    def build(handle: BinaryIO) -> bytes:
        chained = event._replace(writer=writer, chain=chain_head(handle, writer), digest="")
        record = event_to_record(chained)
        record["hash"] = record_hash(record)
        written.append(chained._replace(digest=record["hash"]))
        return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

    append_with(path, build, make_parent=make_parent)
    return written[0]


def append_decided(
    path: Path, decide: Callable[[], Sequence[Event]], *, writer: str, make_parent: bool = False
) -> list[Event]:
    """Lock the log, let `decide` say what to record (it may read the log: nothing else
    writes while the lock is held), chain each record to `writer`'s previous one, append them
    in one write and flush. Returns the events as written."""
    import json

    written: list[Event] = []

    def build(handle: BinaryIO) -> bytes:
        events = decide()
        if not events:
            return b""
        head = chain_head(handle, writer)
        lines = []
        for event in events:
            chained = event._replace(writer=writer, chain=head, digest="")
            record = event_to_record(chained)
            head = record["hash"] = record_hash(record)
            written.append(chained._replace(digest=head))
            lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        return "".join(lines).encode()

    append_with(path, build, make_parent=make_parent)
    return written


def append_with(path: Path, build: Callable[[BinaryIO], bytes], *, make_parent: bool) -> None:
    """Lock the log, let `build` read it (an open handle) and say what to add; append, fsync.

    An empty answer appends nothing.
    """
    name = str(path)
    if make_parent:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError("state.cannot_write", path=name, reason=_reason(exc)) from None
    elif not path.parent.is_dir():
        raise StateError("state.no_folder", path=name, folder=str(path.parent))
    if path.is_dir():
        raise StateError("state.is_dir", path=name)
    with contextlib.suppress(OSError):  # not there yet: it is created below
        check_regular(path, path.stat())
    from xixin_cli.locking import LockTimeout, locked

    try:
        with locked(path):
            flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags, 0o644)
            with os.fdopen(fd, "r+b", buffering=0) as handle:
                payload = build(handle)
                if not payload:
                    return
                start = handle.seek(0, os.SEEK_END)
                if start > 0:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        payload = b"\n" + payload
                try:
                    written = 0
                    while written < len(payload):  # one write in practice; a short one goes on
                        written += os.write(fd, payload[written:])
                    os.fsync(fd)
                except OSError:
                    _take_back(fd, start)
                    raise
    except LockTimeout:
        raise StateError("state.locked", path=name) from None
    except PermissionError:
        raise StateError("state.no_permission_write", path=name) from None
    except OSError as exc:
        raise StateError("state.cannot_write", path=name, reason=_reason(exc)) from None


def _take_back(fd: int, start: int) -> None:
    """Remove what this append wrote (the log was `start` bytes before it), still under the
    lock, so a full disk leaves no fragment behind; the error is then reported as it was."""
    with contextlib.suppress(OSError):
        if os.fstat(fd).st_size > start:
            os.ftruncate(fd, start)
            os.fsync(fd)


def chain_head(handle: BinaryIO, writer: str) -> str:
    """The hash of `writer`'s last readable record in the open log, or "" if it has none.

    Reads from the end of the file backwards, so the cost does not grow with the log.
    """
    import json

    marker = json.dumps(writer).encode("utf-8")
    for raw in _lines_from_end(handle):
        if marker not in raw:  # cheap test before parsing: most lines are other writers'
            continue
        try:
            record = load_line(raw)
        except LineError:
            continue
        if isinstance(record, dict) and record.get("writer") == writer:
            digest = record.get("hash")
            return digest if isinstance(digest, str) else ""
    return ""


def _lines_from_end(handle: BinaryIO, block: int = 1 << 16) -> Iterator[bytes]:
    handle.seek(0, os.SEEK_END)
    position = handle.tell()
    rest = b""
    while position > 0:
        size = min(block, position)
        position -= size
        handle.seek(position)
        parts = (handle.read(size) + rest).split(b"\n")
        rest = parts[0]
        yield from reversed(parts[1:])
    yield rest


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
