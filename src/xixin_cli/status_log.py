"""The status log: an append-only JSON-lines file of events, read tolerantly, never rewritten."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from xixin_cli.errors import Problem, StateError
from xixin_cli.model import Event, Status

#: The record format this version writes and reads. A record with a higher number is refused.
LOG_VERSION = 1


@dataclass(frozen=True)
class LogRead:
    """What was read: the events in file order, and a warning for every line that was skipped."""

    events: tuple[Event, ...]
    warnings: tuple[Problem, ...]


def read_log(path: Path) -> LogRead:
    """Read every event; a missing file is an empty log. Skipped lines become warnings."""
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LogRead((), ())
    except IsADirectoryError:
        raise StateError("state.is_dir", path=name) from None
    except PermissionError:
        raise StateError("state.no_permission", path=name) from None
    except OSError as exc:
        raise StateError("state.unreadable", path=name, reason=str(exc)) from None
    if path.is_dir():
        raise StateError("state.is_dir", path=name)
    return parse_log(data, name)


def parse_log(data: bytes, name: str) -> LogRead:
    """Parse log bytes; `name` is used in messages."""
    events: list[Event] = []
    warnings: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    torn = bool(lines) and lines[-1] != b""  # the last line has no newline: a write was cut
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            last = number == len(lines) and torn
            warnings.append(Problem(name, number, None, "log.torn" if last else "log.bad_line"))
            continue
        try:
            events.append(event_from_record(record))
        except _NewerRecord as exc:
            raise StateError(
                "state.newer_version",
                path=f"{name}:{number}",
                found=exc.version,
                supported=LOG_VERSION,
            ) from None
        except _BadRecord as exc:
            warnings.append(Problem(name, number, exc.field, "log.bad_record"))
    return LogRead(tuple(events), tuple(warnings))


class _BadRecord(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class _NewerRecord(Exception):
    def __init__(self, version: object) -> None:
        super().__init__(version)
        self.version = version


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

    try:
        at = datetime.fromisoformat(text("at"))
    except ValueError:
        raise _BadRecord("at") from None
    if at.tzinfo is None:
        raise _BadRecord("at")
    try:
        status = Status(text("status"))
        previous = Status(text("previous"))
    except ValueError:
        raise _BadRecord("status") from None
    undoes = record.get("undoes")
    if undoes is not None and not isinstance(undoes, str):
        raise _BadRecord("undoes")
    return Event(
        event_id=text("event"),
        at=at,
        item=text("item"),
        status=status,
        previous=previous,
        by=text("by", optional=True),
        note=text("note", optional=True),
        undoes=undoes,
    )


def event_to_record(event: Event) -> dict[str, Any]:
    """The JSON record of an event (also the `history --json` object)."""
    record: dict[str, Any] = {
        "v": LOG_VERSION,
        "event": event.event_id,
        "at": event.at.isoformat(timespec="seconds"),
        "item": event.item,
        "status": event.status.value,
        "previous": event.previous.value,
        "by": event.by,
        "note": event.note,
    }
    if event.undoes is not None:
        record["undoes"] = event.undoes
    return record


def append_event(path: Path, event: Event, *, make_parent: bool = False) -> None:
    """Append one event as one line, flushed to disk. Nothing already in the file is touched.

    If the file does not end in a newline (a write was cut short), the new record starts on a
    fresh line so the torn one stays as it was, and is reported when read.
    """
    line = json.dumps(event_to_record(event), ensure_ascii=False, separators=(",", ":")) + "\n"
    payload = line.encode("utf-8")
    name = str(path)
    if make_parent:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError("state.cannot_write", path=name, reason=str(exc)) from None
    elif not path.parent.is_dir():
        raise StateError("state.no_folder", path=name, folder=str(path.parent))
    if path.is_dir():
        raise StateError("state.is_dir", path=name)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except PermissionError:
        raise StateError("state.no_permission_write", path=name) from None
    except OSError as exc:
        raise StateError("state.cannot_write", path=name, reason=str(exc)) from None
    try:
        if _needs_newline(path):
            payload = b"\n" + payload
        written = 0
        while written < len(payload):  # one write in practice; a short write is continued
            written += os.write(fd, payload[written:])
        os.fsync(fd)
    except OSError as exc:
        raise StateError("state.cannot_write", path=name, reason=str(exc)) from None
    finally:
        os.close(fd)


def _needs_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"
