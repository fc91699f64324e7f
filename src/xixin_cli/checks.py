"""Checks of a status log: its hash chains (verify) and its agreement with the plan (doctor)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xixin_cli.errors import Problem
from xixin_cli.model import Event, Plan
from xixin_cli.status_log import LOG_VERSION, LineError, LogRead, Signed, read_signed


@dataclass(frozen=True)
class Verified:
    """What `verify` found: how many records and writers it checked, every problem, and how
    many lines repeated a record already seen, byte for byte (counted once: a git union merge
    of two clones that both merged the same office's log leaves such copies)."""

    records: int
    writers: int
    problems: tuple[Problem, ...]
    repeated: int = 0


def verify_log(data: bytes, name: str) -> Verified:
    """Check every record's own hash and every writer's chain, line by line.

    An edited line no longer matches its hash. Each record's `chain` names the writer's record
    it was appended after: "" (the writer's first in that log) or the hash of an earlier record
    of the same writer here. A deleted line leaves the record after it pointing at a hash found
    nowhere; a moved one, at a line further down. A writer who wrote into two logs that were
    merged has a chain that forks, and still verifies. What cannot be seen: the removal of a
    writer's very last records, which nothing later points back to. A line repeating a record
    exactly is counted once; a different record under an event id already used is a problem.
    """
    problems: list[Problem] = []
    writers: set[str] = set()
    seen_hashes: dict[tuple[str, str], int] = {}  # (writer, hash) -> its line
    event_lines: dict[str, tuple[int, bytes]] = {}  # event id -> (first line, its bytes)
    records = repeated = 0
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    parsed: list[tuple[int, Signed]] = []
    later_hashes: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = read_signed(raw)
        except LineError as bad:
            torn = number == len(lines) and bad.code == "log.bad_line"
            problems.append(Problem(name, number, None, "log.torn" if torn else bad.code))
            continue
        if record is None:
            problems.append(Problem(name, number, "v", "log.bad_record"))
            continue
        if record.version > LOG_VERSION:
            problems.append(Problem(name, number, "v", "verify.newer", found=record.version))
            continue
        event = record.event
        content = raw.rstrip(b"\r")
        if isinstance(event, str):
            if event in event_lines:
                first, first_content = event_lines[event]
                if first_content == content:
                    repeated += 1  # the same record twice: harmless, counted once
                else:
                    problems.append(Problem(name, number, "event", "verify.duplicate", first=first))
                continue
            event_lines[event] = (number, content)
        parsed.append((number, record))
        writer, digest = record.writer, record.digest
        if isinstance(writer, str) and isinstance(digest, str):
            later_hashes.setdefault((writer, digest), number)
    for number, record in parsed:
        records += 1
        writer, chain, digest = record.writer, record.chain, record.digest
        if not (isinstance(writer, str) and isinstance(chain, str) and isinstance(digest, str)):
            problems.append(Problem(name, number, None, "verify.unsigned"))
            continue
        if record.hashed() != digest:
            problems.append(Problem(name, number, None, "verify.edited"))
        if chain and (writer, chain) not in seen_hashes:
            ahead = later_hashes.get((writer, chain))
            if ahead is not None:
                problems.append(
                    Problem(name, number, "chain", "verify.moved", writer=writer, other=ahead)
                )
            elif writer in writers:
                last = max(line for (who, _), line in seen_hashes.items() if who == writer)
                problems.append(
                    Problem(name, number, "chain", "verify.gap", writer=writer, last=last)
                )
            else:
                problems.append(Problem(name, number, "chain", "verify.no_start", writer=writer))
        writers.add(writer)
        seen_hashes.setdefault((writer, digest), number)
    problems.sort(key=lambda problem: problem.line or 0)
    return Verified(records, len(writers), tuple(problems), repeated)


def plan_agreement(plan: Plan, log: LogRead, name: str) -> list[Problem]:
    """Records the plan cannot place: ids it no longer has, and tasks (checked via actions).

    Such records are kept as they are; an id that comes back into the plan takes them up again.
    """
    counts = Counter(event.item for event in log.events)
    first_line: dict[str, int] = {}
    for event, line in zip(log.events, log.lines, strict=True):
        first_line.setdefault(event.item, line)
    return plan_agreement_of(
        plan, ((item, counts[item], line) for item, line in first_line.items()), name
    )


def plan_agreement_of(
    plan: Plan, items: Iterable[tuple[str, int, int]], name: str
) -> list[Problem]:
    """`plan_agreement` from each item's (id, how many records, first line), in the order of
    their first lines (what the log's index gives without reading the records)."""
    problems: list[Problem] = []
    for item_id, count, line in items:
        if plan.get(item_id) is None:
            problems.append(Problem(name, line, "item", "doctor.orphan", item=item_id, count=count))
        elif not plan.is_leaf(item_id):
            problems.append(
                Problem(name, line, "item", "doctor.not_leaf", item=item_id, count=count)
            )
    return problems


#: Findings that are reported but fail a check only with --strict.
NOTES = frozenset({"evidence.elsewhere", "verify.accepted", "verify.accepted_damaged"})


def evidence_problems(log: LogRead, name: str, store: Path | None = None) -> list[Problem]:
    """Evidence files that are gone or no longer what was recorded (the latest record of each
    file for each item counts; attaching a file again after a change records the new one).

    A file whose copy is in `store` is checked by that copy. A file that is neither here nor
    in the store and was recorded by another writer (on another PC, merged in) is a note,
    `evidence.elsewhere`, not a failure; copies in the store that are not what their names
    say are problems.
    """
    from xixin_cli.evidence import still_matches, store_problems
    from xixin_cli.identity import known_writer
    from xixin_cli.model import EventKind

    mine = known_writer()
    latest: dict[tuple[str, str], tuple[Event, int]] = {}
    for event, line in zip(log.events, log.lines, strict=True):
        if event.kind is EventKind.EVIDENCE:
            latest[(event.item, event.path)] = (event, line)
    problems = []
    for (item, path), (event, line) in latest.items():
        verdict = still_matches(path, event.size, event.sha256, store)
        if verdict == "missing" and event.writer and event.writer != mine:
            verdict = "elsewhere"
        if verdict is not None:
            problems.append(
                Problem(name, line, "path", f"evidence.{verdict}", item=item, file=path)
            )
    if store is not None:
        problems += [
            Problem(bad, None, None, "evidence.store_bad") for bad in store_problems(store)
        ]
    return problems
