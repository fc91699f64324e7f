"""Merging status logs from several offices: what is new, and where two offices disagree."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from xixin_cli.errors import Problem
from xixin_cli.fold import order_key
from xixin_cli.model import Event, EventKind
from xixin_cli.status_log import append_with, parse_log


@dataclass(frozen=True)
class Incoming:
    """What one source log brings: its new record lines (verbatim) and what was skipped."""

    name: str
    lines: tuple[bytes, ...]
    already: int  # records this log has already
    warnings: tuple[Problem, ...]


def new_records(known_ids: set[str], name: str, data: bytes) -> Incoming:
    """The records of `data` whose event ids are not in `known_ids` (which it then extends).

    Lines are kept byte for byte, so each record's hash and its writer's chain still verify
    after the merge. Unreadable lines are reported and left behind; a record from a newer
    version stops the merge (StateError from the reader), before anything is written.
    """
    read = parse_log(data, name)
    by_line = dict(zip(read.lines, read.events, strict=True))
    lines: list[bytes] = []
    already = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        event = by_line.get(number)
        if event is None:
            continue
        if event.event_id in known_ids:
            already += 1
            continue
        known_ids.add(event.event_id)
        lines.append(_canonical_line(raw, number == 1))
    return Incoming(name, tuple(lines), already, read.warnings)


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


def conflicts(events: Iterable[Event]) -> list[Conflict]:
    """Per item, the latest pair of changes by different writers where the later one did not
    start from the status the earlier one set, and they disagree. One per item, in item order.

    The rule for which stands is the fold's: the later change (by time, then event id).
    """
    per_item: dict[str, list[Event]] = {}
    for event in events:
        if event.kind is EventKind.STATUS:
            per_item.setdefault(event.item, []).append(event)
    found: list[Conflict] = []
    for item, changes in per_item.items():
        ordered = sorted(changes, key=order_key)
        for earlier, later in reversed(list(itertools.pairwise(ordered))):
            if (
                earlier.writer != later.writer
                and later.previous is not earlier.status
                and later.status is not earlier.status
            ):
                found.append(Conflict(item, later, earlier))
                break
    return found


def merge_into(
    target: Path, sources: Sequence[tuple[str, bytes]], *, make_parent: bool = False
) -> list[Incoming]:
    """Append to `target` every record of `sources` it lacks, in one locked append.

    The target is read under the lock, so a merge running twice at once still adds each record
    once.
    """
    results: list[Incoming] = []

    def build(handle: BinaryIO) -> bytes:
        handle.seek(0)
        known = {event.event_id for event in parse_log(handle.read(), str(target)).events}
        results.extend(new_records(known, name, data) for name, data in sources)
        return b"".join(line + b"\n" for result in results for line in result.lines)

    append_with(target, build, make_parent=make_parent)
    return results
