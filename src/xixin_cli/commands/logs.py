"""The status logs themselves: verify, doctor, merge."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import chosen, settings
from xixin_cli.errors import ExitCode, Problem, StateError
from xixin_cli.i18n import message, status_label
from xixin_cli.results import Findings, Lines
from xixin_cli.session import Settings
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.log_index import LogIndex
    from xixin_cli.merge import Appended, Incoming, Source
    from xixin_cli.model import Event, Plan
    from xixin_cli.verified import Hashing


class _Checked(NamedTuple):
    where: Path
    problems: list[Problem]
    records: int
    writers: int
    events: int
    repeated: int = 0


def _check_logs(given: Settings, *, plan: object = None, full: bool = False) -> Iterator[_Checked]:
    """Each log the settings name, checked line by line: its chains, its evidence files and,
    with a plan, whether its ids are the plan's. Through the log's index, only the lines added
    since the last check are read as records (`full`: every line); without a cache folder,
    the whole log, as `checks.verify_log` reads it."""
    from xixin_cli.log_index import open_index
    from xixin_cli.paths import plan_path, state_sources
    from xixin_cli.verified import start_hashing

    for where in state_sources(given.state, plan_path(given.plan)):
        # the prefix verified before is hashed while the index catches up with the log
        early = None if full else start_hashing(where)
        index = open_index(where)
        if index is None:
            yield _check_read(where, plan)
            continue
        import sqlite3

        try:
            checked = _check_indexed(where, index, plan, full, early)
        except sqlite3.Error:  # the index cannot be kept (locked, disk full): read it whole
            checked = _check_read(where, plan)
        finally:
            index.close()
        yield checked


def _check_read(where: Path, plan: object) -> _Checked:
    """One log checked by reading it whole (no cache folder)."""
    from xixin_cli.checks import evidence_problems, plan_agreement, verify_log
    from xixin_cli.evidence import store_of
    from xixin_cli.model import Plan
    from xixin_cli.status_log import parse_log, read_bytes

    data = read_bytes(where)
    verified = verify_log(data, str(where))
    log = parse_log(data, str(where))
    lines = dict(zip(log.lines, log.events, strict=True))
    problems = _accepted(
        where, lambda ids: {n for n, e in lines.items() if e.event_id in ids}, [*verified.problems]
    )
    if isinstance(plan, Plan):
        problems += plan_agreement(plan, log, str(where))
    problems += evidence_problems(log, str(where), store_of(where))
    events = len(log.events) - verified.repeated
    return _Checked(where, problems, verified.records, verified.writers, events, verified.repeated)


def _check_indexed(
    where: Path, index: LogIndex, plan: object, full: bool, early: Hashing | None = None
) -> _Checked:
    """One log checked through its index: verified from where the last verify stopped."""
    from collections import Counter

    from xixin_cli.checks import evidence_problems, plan_agreement_of
    from xixin_cli.evidence import store_of
    from xixin_cli.log_index import evidence_lines
    from xixin_cli.model import EventKind, Plan
    from xixin_cli.status_log import LogRead
    from xixin_cli.verified import verify_open

    name = str(where)
    verified = verify_open(index.db, index.handle, name, full=full, early=early)

    def lines_of(ids: frozenset[str]) -> set[int]:
        found: set[int] = set()
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                line
                for (line,) in index.db.execute(
                    f"SELECT line FROM events WHERE event IN ({marks})", chunk
                )
            )
        found.update(index.tail_line for e in index.tail if e.event_id in ids)
        return found

    problems = _accepted(where, lines_of, [*verified.problems])
    if isinstance(plan, Plan):
        rows = index.db.execute(
            "SELECT item, count(*), min(line) FROM events GROUP BY item ORDER BY min(line)"
        ).fetchall()
        extra = Counter(event.item for event in index.tail)
        rows = [(item, count + extra.pop(item, 0), line) for item, count, line in rows]
        rows += [(item, count, index.tail_line) for item, count in extra.items()]
        problems += plan_agreement_of(plan, rows, name)
    files = evidence_lines(index)
    files += [(index.tail_line, e) for e in index.tail if e.kind is EventKind.EVIDENCE]
    log = LogRead(tuple(e for _, e in files), (), tuple(n for n, _ in files))
    problems += evidence_problems(log, name, store_of(where))
    events = index.count() - verified.repeated
    return _Checked(where, problems, verified.records, verified.writers, events, verified.repeated)


def _failing(problems: list[Problem], strict: bool) -> list[Problem]:
    from xixin_cli.checks import NOTES

    return [p for p in problems if strict or p.code not in NOTES]


def _accepted(
    where: Path, lines_of: Callable[[frozenset[str]], set[int]], problems: list[Problem]
) -> list[Problem]:
    """Problems on lines merged with --accept-unverified, noted as such (not failures);
    `lines_of` gives the lines that hold any of a set of event ids."""
    from xixin_cli.merge import accepted_ids, without_accepted_damage

    problems = without_accepted_damage(where, problems, "verify.accepted_damaged")
    ids = accepted_ids(where)
    if not ids:
        return problems
    lines = lines_of(ids)
    return [
        Problem(p.path, p.line, None, "verify.accepted")
        if p.line in lines and p.code.startswith("verify.")
        else p
        for p in problems
    ]


def verify(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option("--strict")] = False,
    full: Annotated[bool, typer.Option("--full")] = False,
    accept_damaged: Annotated[
        list[int] | None, typer.Option("--accept-damaged", metavar="LINE")
    ] = None,
) -> Findings:
    """Check that no line of the status log was edited, moved or deleted, and that its
    evidence files (or their copies kept beside it) are what was recorded. Only what was
    added since the last verify is read as records (the lines verified before are checked to
    be unchanged); --full checks every line again. --accept-damaged LINE accepts a line that
    holds no record (a write cut short), once checked, as it is: the log is not changed."""
    given = settings(ctx)
    lang = given.language()
    sections = []
    found = list(_check_logs(given, full=full))
    if accept_damaged:
        found = [_accept_damage(found, accept_damaged, lang)]
    if strict:  # the notes are failures now, and say so (not "not a failure unless --strict")
        found = [checked._replace(problems=_as_strict(checked.problems)) for checked in found]
    for checked in found:
        where, count = str(checked.where), len(_failing(checked.problems, strict))
        if count:
            verdict = message(
                "verify.failed", lang, path=where, count=count, records=checked.records
            )
        else:
            verdict = message(
                "verify.ok", lang, path=where, records=checked.records, writers=checked.writers
            )
        if checked.repeated:
            verdict += message("verify.repeated", lang, n=checked.repeated)
        verdict += _damage_hint(checked.problems, lang)
        sections.append((checked.problems, verdict, bool(count)))
    failed = any(section[2] for section in sections)
    return Findings(lang, sections, int(ExitCode.CHECK) if failed else 0)


def _as_strict(problems: list[Problem]) -> list[Problem]:
    """The problems as `verify --strict` tells them: a note (`checks.NOTES`) as a failure."""
    from xixin_cli.checks import NOTES

    return [
        Problem(p.path, p.line, p.key, f"{p.code}.strict", **p.params) if p.code in NOTES else p
        for p in problems
    ]


def _accept_damage(found: list[_Checked], lines: list[int], lang: str) -> _Checked:
    """The one log checked, with the damaged `lines` accepted as they are (noted in the side
    file beside it); a usage error for a line that is not a damaged one, or several logs."""
    from xixin_cli.dates import now_in_china
    from xixin_cli.errors import UsageError
    from xixin_cli.i18n import join
    from xixin_cli.merge import line_digests, record_damaged, without_accepted_damage
    from xixin_cli.session import recorder

    if len(found) != 1:
        raise UsageError("usage.accept_damaged_logs", count=len(found))
    checked = found[0]
    damaged = _damaged_lines(checked.problems)
    accepted = {p.line for p in checked.problems if p.code == "verify.accepted_damaged"}
    for line in lines:
        if line in accepted:
            raise UsageError("usage.damaged_already", value=line, path=str(checked.where))
        if line not in damaged:
            shown = join([str(n) for n in damaged], lang) if damaged else "—"
            raise UsageError("usage.not_damaged", value=line, path=str(checked.where), lines=shown)
    at = now_in_china().isoformat()
    record_damaged(checked.where, line_digests(checked.where, lines), recorder(None), at)
    problems = without_accepted_damage(checked.where, checked.problems, "verify.accepted_damaged")
    return checked._replace(problems=problems)


def _damaged_lines(problems: list[Problem]) -> list[int]:
    """The lines of a log that hold no record and are not accepted as they are, in order."""
    from xixin_cli.status_log import DAMAGED

    return sorted({p.line for p in problems if p.code in DAMAGED and p.line})


def _damage_hint(problems: list[Problem], lang: str) -> str:
    """How to be done with damaged lines, after the verdict of a log that has them."""
    lines = _damaged_lines(problems)
    if not lines:
        return ""
    from xixin_cli.i18n import join

    shown = join([str(line) for line in lines], lang)
    return message("verify.damaged_hint", lang, lines=shown, first=lines[0])


def doctor(ctx: typer.Context) -> Findings:
    """Check the plan and the status log together; every problem with its line."""
    from xixin_cli.paths import plan_path
    from xixin_cli.session import plan_and_language

    given = settings(ctx)
    # Plan problems end here, each on its line, exit 3 (a cached plan is one that parsed);
    # the verdict speaks the plan's language, as every command that reads a plan does
    plan, lang = plan_and_language(given, plan_path(given.plan))
    problems: list[Problem] = []
    records = 0
    for checked in _check_logs(given, plan=plan):
        problems += checked.problems
        records += checked.events
    failing = _failing(problems, False)
    if failing:
        verdict = message("doctor.failed", lang, count=len(failing), records=records)
        verdict += _damage_hint(problems, lang)
        return Findings(lang, [(problems, verdict, True)], int(ExitCode.CHECK))
    verdict = message("doctor.ok", lang, items=len(plan.items), records=records)
    return Findings(lang, [(problems, verdict, False)], 0)  # notes only, if any


def merge(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...")],
    accept_unverified: Annotated[bool, typer.Option("--accept-unverified")] = False,
) -> Lines:
    """Bring other offices' status logs into this one, each record once, byte for byte.

    A log whose records do not verify (edited, chain broken, unsigned) brings nothing unless
    --accept-unverified; a record whose event id is here with other content is a collision.
    Both are reported and end with exit 6."""
    from xixin_cli.merge import fold_merged, merge_logs, read_source
    from xixin_cli.paths import plan_path, state_sources
    from xixin_cli.present import warn
    from xixin_cli.session import plan_and_language, written_log

    # the plan (for the conflicts' titles) and the log written to: no item's state is needed
    given = chosen(ctx)
    written = written_log(given)
    target = written.path
    plan, lang = plan_and_language(given, plan_path(given.plan))
    sources = []
    for path in state_sources([str(f) for f in files], target):
        if not path.is_file():
            raise StateError("state.not_found", path=str(path))
        if path.resolve() != target.resolve():
            sources.append(read_source(path, target))  # only what is new in it
        else:  # a trial: `merge` of the log into itself said nothing at all
            warn(message("merge.itself", lang, source=str(path)), lang)
    if accept_unverified:  # said before merging: a superset of what comes in is harmless
        _record_accepted(target, sources)
    appended: list[Appended] = []
    results, added = merge_logs(
        target,
        sources,
        make_parent=written.is_default,
        accept_unverified=accept_unverified,
        later=appended,
    )
    refused_files = {result.name for result in results if result.refused}
    from xixin_cli.evidence import bring_copies, store_of

    # the evidence copies travel with the records they prove (by name: a loop over the
    # sources kept the last one, its bytes and lines, past the `del` below, through the
    # conflicts; `for name, *_ in sources` did, in the list `_`)
    for name in [source.name for source in sources]:
        if name not in refused_files:
            for refused in bring_copies(store_of(Path(name)), store_of(target))[1]:
                warn(message("evidence.copy_refused", lang, file=refused), lang)
    out, failed = _told(results, lang)
    # What the sources held (their bytes, lines and what was taken of them) is told: let it
    # go before the conflicts are looked for, which need only the events brought
    del sources, results
    # The cached fold takes in what was appended now, the sources gone: at a county's scale
    # the fold and they at once were the merge's peak (119 -> 102 MB at 20k/800k)
    while appended:
        fold_merged(appended.pop())
    out += _conflicts_told(plan, lang, target, added)
    return Lines(out=out, code=int(ExitCode.CHECK) if failed else 0)


def _conflicts_told(plan: Plan, lang: str, target: Path, added: tuple[Event, ...]) -> list[str]:
    """A line for each conflict the merge brought into `target` (`conflicts_brought`)."""
    from xixin_cli.merge import conflicts_brought

    out: list[str] = []
    for conflict in conflicts_brought(target, added):  # only those this merge brought
        item = plan.get(conflict.item)
        unit = plan.offices.get(conflict.office)
        where = message("part_mark", lang, office=unit.name) if unit is not None else ""
        out.append(
            message(
                "merge.conflict",
                lang,
                item=conflict.item + where,
                title=item.title if item else "",
                later_by=_who(conflict.stands, conflict.other, lang),
                later_at=f"{conflict.stands.at:%Y-%m-%d %H:%M:%S}",
                later=status_label(conflict.stands.status, lang),
                earlier_by=_who(conflict.other, conflict.stands, lang),
                earlier_at=f"{conflict.other.at:%Y-%m-%d %H:%M:%S}",
                earlier=status_label(conflict.other.status, lang),
            )
        )
    return out


def _who(one: Event, other: Event, lang: str) -> str:
    """Who recorded `one`, told apart from who recorded `other`: the same name (root on two
    PCs) gets each PC's writer id."""
    if one.by != other.by or not one.writer:
        return one.by
    return message("merge.writer", lang, by=one.by, writer=one.writer)


def _record_accepted(target: Path, sources: list[Source]) -> None:
    """Record in `target`'s side file that the unverified sources were taken in knowingly
    (by whom, when). Its own function: a loop's last source, its bytes, would outlive it."""
    from xixin_cli.merge import record_accepted
    from xixin_cli.session import recorder, stamper

    made = stamper(recorder(None))()
    for source in sources:
        if source.refused:
            record_accepted(target, source.name, source.data, made.by, made.at.isoformat())


def _told(results: list[Incoming], lang: str) -> tuple[list[str], bool]:
    """What merge says of each source (its warnings on stderr at once), and whether one was
    refused or collided. (Its own function: a loop's last result, the lines it brought,
    would outlive the merge's `del` of the results through the conflicts.)"""
    from xixin_cli.present import warn

    out: list[str] = []
    failed = False
    for result in results:
        for warning in result.warnings:
            warn(warning.render(lang), lang)
        if result.refused:
            failed = True
            out += [problem.render(lang) for problem in result.refused]
            out.append(message("merge.refused", lang, source=result.name, n=len(result.refused)))
            continue
        if result.unverified:
            warn(message("merge.unverified", lang, source=result.name, n=result.unverified), lang)
        if result.collisions:
            failed = True
            out += [problem.render(lang) for problem in result.collisions]
        out.append(
            message(
                "merge.added",
                lang,
                source=result.name,
                added=len(result.lines),
                already=result.already,
            )
        )
    return out, failed


COMMANDS = {"verify": verify, "doctor": doctor, "merge": merge}
GROUPS: dict[str, dict[str, object]] = {}
