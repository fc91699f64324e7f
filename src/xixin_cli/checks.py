"""Checks of a status log: its hash chains (verify) and its agreement with the plan (doctor)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from xixin_cli.errors import Problem
from xixin_cli.model import Event, Plan
from xixin_cli.status_log import LOG_VERSION, LineError, LogRead, load_line, record_hash


@dataclass(frozen=True)
class Verified:
    """What `verify` found: how many records and writers it checked, and every problem."""

    records: int
    writers: int
    problems: tuple[Problem, ...]


def verify_log(data: bytes, name: str) -> Verified:
    """Check every record's own hash and every writer's chain, line by line.

    An edited line no longer matches its hash. A deleted, moved or re-inserted line breaks the
    chain of the record written after it by the same writer. Chains are per writer, so logs of
    several offices merged line by line still verify. What cannot be seen: the removal of a
    writer's very last records, which nothing later points back to.
    """
    problems: list[Problem] = []
    heads: dict[str, tuple[str, int]] = {}  # writer -> (hash of its last record, its line)
    seen_hashes: dict[str, int] = {}
    event_lines: dict[str, int] = {}
    records = 0
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = load_line(raw)
        except LineError as bad:
            torn = number == len(lines) and bad.code == "log.bad_line"
            problems.append(Problem(name, number, None, "log.torn" if torn else bad.code))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("v"), int):
            problems.append(Problem(name, number, "v", "log.bad_record"))
            continue
        if record["v"] > LOG_VERSION:
            problems.append(Problem(name, number, "v", "verify.newer", found=record["v"]))
            continue
        records += 1
        event = record.get("event")
        if isinstance(event, str):
            if event in event_lines:
                problems.append(
                    Problem(name, number, "event", "verify.duplicate", first=event_lines[event])
                )
            event_lines.setdefault(event, number)
        writer, chain, digest = (record.get(key) for key in ("writer", "chain", "hash"))
        if not (isinstance(writer, str) and isinstance(chain, str) and isinstance(digest, str)):
            problems.append(Problem(name, number, None, "verify.unsigned"))
            continue
        if record_hash(record) != digest:
            problems.append(Problem(name, number, None, "verify.edited"))
        expected, previous_line = heads.get(writer, ("", 0))
        if chain != expected:
            if chain in seen_hashes:
                problems.append(
                    Problem(
                        name,
                        number,
                        "chain",
                        "verify.reordered",
                        writer=writer,
                        other=seen_hashes[chain],
                    )
                )
            elif previous_line:
                problems.append(
                    Problem(name, number, "chain", "verify.gap", writer=writer, last=previous_line)
                )
            else:
                problems.append(Problem(name, number, "chain", "verify.no_start", writer=writer))
        heads[writer] = (digest, number)
        seen_hashes[digest] = number
    return Verified(records, len(heads), tuple(problems))


def plan_agreement(plan: Plan, log: LogRead, name: str) -> list[Problem]:
    """Records the plan cannot place: ids it no longer has, and tasks (checked via actions).

    Such records are kept as they are; an id that comes back into the plan takes them up again.
    """
    problems: list[Problem] = []
    counts = Counter(event.item for event in log.events)
    first_line: dict[str, int] = {}
    for event, line in zip(log.events, log.lines, strict=True):
        first_line.setdefault(event.item, line)
    for item_id, line in first_line.items():
        if plan.get(item_id) is None:
            problems.append(
                Problem(name, line, "item", "doctor.orphan", item=item_id, count=counts[item_id])
            )
        elif not plan.is_leaf(item_id):
            problems.append(
                Problem(name, line, "item", "doctor.not_leaf", item=item_id, count=counts[item_id])
            )
    return problems


def evidence_problems(log: LogRead, name: str) -> list[Problem]:
    """Evidence files that are gone or no longer what was recorded (the latest record of each
    file for each item counts; attaching a file again after a change records the new one)."""
    from xixin_cli.evidence import still_matches
    from xixin_cli.model import EventKind

    latest: dict[tuple[str, str], tuple[Event, int]] = {}
    for event, line in zip(log.events, log.lines, strict=True):
        if event.kind is EventKind.EVIDENCE:
            latest[(event.item, event.path)] = (event, line)
    problems = []
    for (item, path), (event, line) in latest.items():
        verdict = still_matches(path, event.size, event.sha256)
        if verdict is not None:
            problems.append(
                Problem(name, line, "path", f"evidence.{verdict}", item=item, file=path)
            )
    return problems
