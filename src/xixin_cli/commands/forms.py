"""The forms' round trip: form (推进情况表 out to a unit), collect (back in), unreported (催办)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import AsOfOpt, OutputOpt, day, guard_output, session
from xixin_cli.errors import Problem, UsageError
from xixin_cli.i18n import message
from xixin_cli.model import Event, Plan
from xixin_cli.results import Lines
from xixin_cli.session import Session, item_filter, view
from xixin_cli.session import office as office_key

if TYPE_CHECKING:
    from xixin_cli.evidence import Fingerprint
    from xixin_cli.office.collect import Left
    from xixin_cli.office.forms import FormRead

#: The days a unit has to send a form back, unless --return-by says otherwise: a week.
RETURN_DAYS = 7


def _units(plan: Plan) -> list[str]:
    """The units a form goes to: every unit that reports for itself (a group with members is
    its members)."""
    return [key for key in plan.offices if plan.answers_for_itself(key)]


def form(
    ctx: typer.Context,
    office: Annotated[str | None, typer.Option("--office")] = None,
    as_of: AsOfOpt = None,
    return_by: Annotated[str | None, typer.Option("--return-by", metavar="DATE")] = None,
    output: OutputOpt = None,
    split_by: Annotated[str | None, typer.Option("--split-by", metavar="office")] = None,
) -> Lines:
    """A 推进情况表 for a unit to fill in Excel or WPS, or one for every unit."""
    import uuid

    from xixin_cli.files import write_atomic_bytes
    from xixin_cli.office import need
    from xixin_cli.office.forms import form_bytes, form_rows

    need("openpyxl", "xlsx")
    if split_by not in (None, "office"):
        raise UsageError("usage.bad_split_by", value=split_by)
    if output is None:
        raise UsageError("usage.form_needs_output")
    if (split_by is None) == (office is None):
        raise UsageError("usage.form_which_office")
    today = day(ctx, as_of)
    due = day(ctx, return_by, "--return-by") if return_by else today + timedelta(days=RETURN_DAYS)
    opened = session(ctx, as_of=today)
    plan, lang = opened.plan, opened.lang
    if split_by is not None:
        from xixin_cli.files import file_in, name_in, split_folder

        split_folder(output)
        taken: set[str] = set()
        # A unit's name comes from the plan: made a plain file name inside the folder.
        targets = [
            (
                key,
                file_in(
                    output,
                    name_in(
                        lambda name: message("form.file", lang, office=name),
                        plan.offices[key].name,
                    ),
                    ".xlsx",
                    taken,
                ),
            )
            for key in _units(plan)
        ]
    else:
        key = office_key(plan, office, lang)
        assert key is not None
        if plan.offices[key].members:
            raise UsageError(
                "usage.form_group",
                office=plan.offices[key].name,
                members="、".join(plan.offices[m].name for m in plan.offices[key].members),
            )
        targets = [(key, output)]
    if split_by is None:
        guard_output(ctx, opened, output)
    else:
        guard_output(ctx, opened, *(path for _, path in targets))
    notices = []
    for key, path in targets:
        states = view(opened, item_filter(opened, key))
        leaves = [s for s in states.values() if s.progress is None]
        rows = form_rows(leaves, lang)
        if split_by is not None and not rows:
            continue  # nothing open: no form to chase
        data = form_bytes(plan, key, rows, lang, today, due, uuid.uuid4().hex)
        write_atomic_bytes(path, data)
        notices.append(message("form.written", lang, path=str(path), n=len(rows)))
    return Lines(notices=notices)


def collect(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...")],
    office: Annotated[str | None, typer.Option("--office")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE")] = None,
) -> Lines:
    """Record what filled forms say: for each row that says something new, one change to that
    unit's part, with its feedback; the form is kept as evidence of it. A row's 完成日期 is
    the day it happened; else --on (the day the forms came in), else today."""
    from xixin_cli.dates import now_in_china, today_in_china
    from xixin_cli.errors import ExitCode
    from xixin_cli.evidence import fingerprint, keep_copy, store_of
    from xixin_cli.office.collect import Taken, changes
    from xixin_cli.office.forms import read_form
    from xixin_cli.session import on_day, record

    # No openpyxl here: a form's values are read with the standard library (xlsx_read.py).
    opened = session(ctx, write=True)
    plan, lang = opened.plan, opened.lang
    expected = office_key(plan, office, lang)
    came_in = on_day(on, plan)  # checked as every --on is: not after today, not before the plan
    today = today_in_china()
    store = store_of(opened.state.path)
    problems: list[Problem] = []
    good: list[tuple[Path, FormRead, Fingerprint, datetime]] = []
    for path in files:
        if not path.is_file():
            problems.append(Problem(str(path), None, None, "form.missing"))
            continue
        read = read_form(path, plan, today, expected)
        if read.problems:
            problems += read.problems
            continue
        prints = fingerprint(path)
        if any(prints.sha256 == seen.sha256 for _, _, seen, _ in good):
            continue  # the same file twice (a copy in two folders): read once
        # The form as returned is the evidence: a copy is kept beside the log, as `attach`
        # keeps one, so it travels with merges (content-addressed: collecting again adds none).
        prints = keep_copy(store, path)
        good.append((path, read, prints, now_in_china()))
    made: list[tuple[Path, list[Taken], list[Left]]] = []

    def decide(fresh: Session) -> list[Event]:
        import uuid

        made[:] = []
        for path, read, prints, at in good:
            found = changes(plan, fresh.states, read, at, lambda: uuid.uuid4().hex, prints, came_in)
            made.append((path, *found))
        return [event for _, taken, _ in made for one in taken for event in one.events]

    if good:
        record(opened, decide)
    notices = []
    for path, taken, left in made:
        problems += [_left(plan, lang, path, one) for one in left]
        for one in taken:
            change = one.events[0]
            same = change.status is one.before.status
            office = plan.offices[change.office].name if change.office else ""
            notices.append(
                message(
                    "collected_feedback" if same else "collected",
                    lang,
                    item=change.item,
                    office=office,
                    previous=_label(one.before.status.value, lang),
                    status=_label(change.status.value, lang),
                )
            )
            if one.moved and one.row.sent is not None:  # said so: the office may have meant it
                notices.append(
                    message(
                        "collected.moved",
                        lang,
                        item=change.item + message("part_mark", lang, office=office),
                        sent=_label(one.row.sent.value, lang),
                        now=_label(one.before.status.value, lang),
                    )
                )
        notices.append(message("collect.summary", lang, path=str(path), n=len(taken)))
    notices += [problem.render(lang) for problem in problems]
    return Lines(notices=notices, code=int(ExitCode.FORM) if problems else 0)


def _left(plan: Plan, lang: str, path: Path, one: Left) -> Problem:
    """What a row left says: the part closed out since the form went out, and the way to
    reopen it if the unit is right (the office's `return`)."""
    said = one.row.status
    assert said is not None and one.row.sent is not None  # a row left changes a status
    unit = plan.unit_name(one.office)
    return Problem(
        str(path),
        None,
        f"{one.sheet}!E{one.row.row}",
        "form.closed_since",
        item=f"{one.row.item}{message('part_mark', lang, office=unit)}",
        sent=_label(one.row.sent.value, lang),
        said=_label(said.value, lang),
        id=one.row.item,
        office=unit,
    )


def _label(code: str, lang: str) -> str:
    from xixin_cli.i18n import status_label

    return status_label(code, lang)


def unreported(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE")] = None,
    as_of: AsOfOpt = None,
) -> Lines:
    """The units with open parts that have sent nothing since a day (default: a week ago)."""
    from xixin_cli.office.chase import silent_units

    today = day(ctx, as_of)
    start = day(ctx, since, "--since") if since else today - timedelta(days=RETURN_DAYS)
    opened = session(ctx, events=True, as_of=today)
    plan, lang = opened.plan, opened.lang
    found = silent_units(plan, opened.states, opened.events, start, today)
    out = [
        message(
            "unreported.line",
            lang,
            office=plan.offices[key].name,
            n=count,
            last=last.isoformat() if last is not None else message("unreported.never", lang),
        )
        for key, count, last in found
    ]
    summary = message("unreported.summary", lang, n=len(found), since=_iso(start))
    return Lines(out=out, notices=[summary])


def _iso(value: date) -> str:
    return value.isoformat()


COMMANDS = {"form": form, "collect": collect, "unreported": unreported}
GROUPS: dict[str, dict[str, object]] = {}
