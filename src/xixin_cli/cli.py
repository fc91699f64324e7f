"""The command line: parse, call the domain, render, choose the exit code. Nothing else."""

import contextlib
import copy
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

from xixin_cli import __version__
from xixin_cli.errors import ExitCode, OutputError, Problem, StateError, UsageError, XixinError
from xixin_cli.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    STATUS_LABELS,
    STATUS_WORDS,
    message,
    status_label,
)
from xixin_cli.model import Event, Plan, Status

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from xixin_cli.paths import StatePath
    from xixin_cli.report import Block
    from xixin_cli.schedule import DueRow, Filter, ItemState
    from xixin_cli.workdays import WorkingDays

#: The longest note `set` records; longer material belongs in a file of its own.
MAX_NOTE = 2000
#: Rows a table shows unless --limit or --all says otherwise: the whole bundled plan fits in
#: the list, a week's worth of items in the others.
LIST_LIMIT = 100
TABLE_LIMIT = 20

T = TypeVar("T")

app = typer.Typer(
    name="xixin",
    help="洗府发〔2022〕145号 实施方案任务清单与督办提醒 · checklist and deadline tracker.\n\n"
    "Example: xixin overdue --as-of 2022-12-05",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich-formatted ones cost ~100 ms of imports on every --help
    # and print a boxed error over several lines.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
report_app = typer.Typer(
    help="报告 · weekly and self-check reports.", no_args_is_help=True, rich_markup_mode=None
)
export_app = typer.Typer(
    help="导出清单 · export checklists.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(export_app, name="export")
app.add_typer(report_app, name="report")


class Settings(NamedTuple):
    """What the global options say; the plan is loaded only by commands that need it."""

    plan: str | None
    state: tuple[str, ...]  # --state as given, or XIXIN_STATE; empty for the default
    lang: str | None

    def one_state(self) -> str | None:
        """The single log a change is recorded into."""
        if len(self.state) > 1:
            raise UsageError("usage.many_states", count=len(self.state))
        return self.state[0] if self.state else None


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"xixin {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            envvar="XIXIN_PLAN",
            metavar="PATH",
            help="计划文件 · plan file (default: the bundled 洗府发〔2022〕145号).",
        ),
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            metavar="PATH",
            help="状态记录文件 · status log (default: beside your plan, or the user data "
            "folder; env XIXIN_STATE). Give it more than once, or a folder, to read several "
            "logs together; changes are recorded into one.",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="XIXIN_LANG",
            metavar="zh|en",
            help="界面语言 · UI language (default: the plan's, zh).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="显示版本 · show the version."
        ),
    ] = False,
) -> None:
    """洗府发〔2022〕145号 实施方案任务清单与督办提醒 · checklist and deadline tracker."""
    if lang is not None and lang not in LANGUAGES:
        raise UsageError("usage.bad_lang", value=lang)
    # XIXIN_STATE is read here rather than by Typer, which would split a path with spaces.
    env_state = os.environ.get("XIXIN_STATE", "")
    ctx.obj = Settings(plan, tuple(state or ([env_state] if env_state else [])), lang)


# -- sessions: the loaded plan, the log and the language --------------------------------------


class Session(NamedTuple):
    """What a command works with."""

    plan: Plan
    lang: str
    state: "StatePath"
    events: tuple[Event, ...]  # only when opened with events=True
    states: "dict[str, ItemState]"  # every item's state, folded once from the events


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def _open(ctx: typer.Context, *, events: bool = False, write: bool = False) -> Session:
    """Load the plan and the logs' current state; every event too when `events` is asked for
    (history and undo walk them; the other commands need only the fold, which is cached).

    Several logs (--state given more than once, or a folder) are read together, each event
    once; a command that records a change (`write`) takes exactly one.
    """
    from xixin_cli.cache import Folded, fold_logs, load_plan_cached
    from xixin_cli.paths import bundled_plan, plan_path, state_path, state_sources
    from xixin_cli.schedule import states

    settings = _settings(ctx)
    path = plan_path(settings.plan)
    plan = load_plan_cached(path)
    if path == bundled_plan():
        # Tables name the plan they show; the installed copy's long site-packages path says
        # less than this does.
        plan = plan.with_path(f"plan.yaml（xixin {__version__}）")
    lang = settings.lang or (
        plan.document.language if plan.document.language in LANGUAGES else DEFAULT_LANGUAGE
    )
    if write:
        where = state_path(settings.one_state(), path)
        sources = [where.path]
    else:
        sources = state_sources(settings.state, path)
        where = state_path(settings.state[0] if settings.state else None, path)
    all_events: tuple[Event, ...] = ()
    if events:
        from xixin_cli.status_log import read_logs

        all_events, read_warnings = read_logs(sources)
        combined = Folded.empty().more(all_events, read_warnings)
    else:
        combined = fold_logs(sources)
    last, warnings = combined.last, combined.warnings
    for warning in warnings:
        _warn(warning.render(lang), lang)
    orphans = plan.unknown(last)
    if orphans:
        _warn(message("orphans", lang, count=len(orphans), ids="、".join(orphans[:5])), lang)
    return Session(
        plan,
        lang,
        where,
        all_events,
        states(plan, last, combined.extended, combined.evidence),
    )


def _warn(text: str, lang: str) -> None:
    sys.stderr.write(f"xixin: {message('warning', lang)}: {text}\n")


# -- turning typed values into domain values ----------------------------------------------------


def _as_of(value: str | None) -> date:
    from xixin_cli.dates import DateFormatError, parse_date, today_in_china

    if value is None:
        return today_in_china()
    try:
        return parse_date(value)
    except DateFormatError:
        raise UsageError("usage.bad_date", option="--as-of", value=value) from None


def _close_matches(value: str, choices: list[str], n: int, cutoff: float) -> list[str]:
    import difflib  # only when something was mistyped

    return difflib.get_close_matches(value, choices, n=n, cutoff=cutoff)


def _item_state(session: Session, item_id: str) -> "ItemState":
    states = session.states
    if not item_id.strip():
        raise UsageError("usage.empty_id")
    if item_id not in states:
        hint = _close_matches(item_id, list(states), n=1, cutoff=0.5)
        raise UsageError("usage.unknown_id", value=item_id, hint=hint)
    return states[item_id]


def _office(plan: Plan, value: str | None) -> str | None:
    if value is None:
        return None
    for key, office in plan.offices.items():
        if value in (key, office.name, office.name.removeprefix("乡")):
            return key
    names = [office.name for office in plan.offices.values()]
    raise UsageError(
        "usage.unknown_office",
        value=value,
        allowed="、".join(names),
        hint=_close_matches(value, names, n=1, cutoff=0.3),
    )


def _phase(plan: Plan, value: str | None) -> str | None:
    if value is None:
        return None
    for key, phase in plan.phases.items():
        if value in (key, phase.number, phase.name, phase.name.removesuffix("阶段")):
            return key
    names = [f"{phase.number} {phase.name}" for phase in plan.phases.values()]
    raise UsageError(
        "usage.unknown_phase",
        value=value,
        allowed="、".join(names),
        hint=_close_matches(value, names, n=1, cutoff=0.3),
    )


def _status(value: str) -> Status:
    wanted = value.strip().lower()
    for status in Status:
        words = (status.value, *STATUS_LABELS[status.value], *STATUS_WORDS[status.value])
        if wanted in (word.lower() for word in words):
            return status
    allowed = "、".join(f"{s.value}（{STATUS_LABELS[s.value][0]}）" for s in Status)
    raise UsageError("usage.bad_status", value=value, allowed=allowed)


def _filter(
    plan: Plan, office: str | None, phase: str | None, statuses: Sequence[str] | None = None
) -> "Filter":
    from xixin_cli.schedule import Filter

    return Filter(
        _office(plan, office), _phase(plan, phase), frozenset(_status(s) for s in statuses or ())
    )


def _note(value: str | None) -> str:
    if value is None:
        return ""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise UsageError("usage.bad_note")
    if len(value) > MAX_NOTE:
        raise UsageError("usage.note_too_long", length=len(value), limit=MAX_NOTE)
    return value.strip()


def _by(value: str | None) -> str:
    if value is not None:
        if not value.strip() or any(ord(ch) < 32 for ch in value):
            raise UsageError("usage.empty_by")
        return value.strip()
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts and containers
        return "unknown"


# -- output ------------------------------------------------------------------------------------


def _console() -> "Console":
    from rich.console import Console

    # Every string we print is the user's or ours, never rich markup: a title like "[b]…" or a
    # note with ":x:" prints as written (and skipping the markup parser speeds up every table).
    return Console(highlight=False, markup=False, emoji=False)


def _print(renderable: "RenderableType") -> None:
    _console().print(renderable)


def _print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _workdays(rows: "Sequence[DueRow]", today: date) -> "dict[str, WorkingDays]":
    """Working days late or left for each row, by the official calendar."""
    from xixin_cli.workdays import working_days_after

    return {
        row.state.item.id: working_days_after(row.state.due, today)
        if row.days < 0
        else working_days_after(today, row.state.due)
        for row in rows
        if row.state.due is not None
    }


def _capped(rows: Sequence[T], limit: int, show_all: bool) -> tuple[Sequence[T], int]:
    """The rows a table shows, and how many it leaves out (rendering thousands costs seconds)."""
    if show_all or limit < 0 or len(rows) <= limit:
        return rows, 0
    return rows[:limit], len(rows) - limit


def _left_out(hidden: int, lang: str) -> None:
    if hidden:
        sys.stdout.write(message("left_out", lang, n=hidden) + "\n")


def _notice(text: str) -> None:
    """A confirmation for the person at the keyboard: on stderr, so stdout stays data."""
    sys.stderr.write(text + "\n")


# -- commands -------------------------------------------------------------------------------------

OfficeOpt = Annotated[
    str | None,
    typer.Option("--office", help="只看一个责任单位 · one office (乡民政办, 民政办 or its key)."),
]
PhaseOpt = Annotated[
    str | None,
    typer.Option("--phase", "-p", help="只看一个阶段 · one phase (5.2, 全面创建 or its key)."),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        "-s",
        help="只看某种状态，可重复 · these statuses (todo doing blocked done dropped).",
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="输出 JSON · JSON output (never translated).")
]
LimitOpt = Annotated[
    int,
    typer.Option(
        "--limit", metavar="N", help="最多显示几行 · show at most N rows (JSON is never cut)."
    ),
]
AllOpt = Annotated[bool, typer.Option("--all", help="全部显示 · show every row.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="按哪一天计算 · the day to compute for "
        "(2022-12-05 or 2022年12月5日; default: today in China).",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="写入文件（整体替换）· write to this file (replaced whole).",
    ),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = LIST_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """列出清单 · List the checklist: tasks and their actions, steps and measures.

    Example: xixin list --office 乡民政办 --status todo
    """
    session = _open(ctx)
    where = _filter(session.plan, office, phase, status)
    shown = _with_parents(session, [s for s in session.states.values() if where.keeps(s)])
    if as_json:
        from xixin_cli.export import records

        _print_json(records(session.plan, shown))
        return
    from xixin_cli.render import checklist_table

    rows, hidden = _capped(shown, limit, show_all)
    _print(checklist_table(session.plan, rows, session.lang))
    _left_out(hidden, session.lang)


def _with_parents(session: Session, kept: "Iterable[ItemState]") -> "list[ItemState]":
    """The kept states in document order, with the tasks they belong to (for the tree)."""
    states = session.states
    wanted = set()
    for state in kept:
        wanted.add(state.item.id)
        parent = state.item.parent
        while parent is not None:
            wanted.add(parent)
            parent = states[parent].item.parent
    return [state for item_id, state in states.items() if item_id in wanted]


@app.command()
def show(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOpt = False,
) -> None:
    """查看一项 · Show one item whole: text, units, dates and their basis, source.

    Example: xixin show 5.3.1
    """
    session = _open(ctx)
    state = _item_state(session, item_id)
    if as_json:
        from xixin_cli.export import item_record

        _print_json(item_record(session.plan, state))
        return
    from xixin_cli.render import item_view

    _print(item_view(session.plan, state, session.lang))


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]", help="要检查的计划文件 · plan file (default: --plan or bundled)."
        ),
    ] = None,
) -> None:
    """检查计划文件 · Check a plan file and report every problem found.

    Example: xixin validate my-plan.yaml
    """
    from xixin_cli.paths import plan_path
    from xixin_cli.plan_file import load_plan

    settings = _settings(ctx)
    target = path if path is not None else plan_path(settings.plan)
    plan = load_plan(target)
    lang = settings.lang or DEFAULT_LANGUAGE
    leaves = sum(1 for item in plan.items if plan.is_leaf(item.id))
    if lang == "en":
        text = (
            f"{target}: OK — {len(plan.items)} items ({leaves} to check off), "
            f"{len(plan.offices)} offices, {len(plan.phases)} phases"
        )
    else:
        text = (
            f"{target}：无误——共 {len(plan.items)} 项（可勾选 {leaves} 项），"
            f"{len(plan.offices)} 个责任单位，{len(plan.phases)} 个阶段"
        )
    sys.stdout.write(text + "\n")


def _record(
    ctx: typer.Context,
    item_id: str,
    status: Status,
    note: str | None,
    by: str | None,
    *,
    only_from: frozenset[Status] | None = None,
) -> None:
    """Append one status change and confirm it; `only_from` limits the statuses it leaves."""
    import uuid

    from xixin_cli.dates import now_in_china
    from xixin_cli.i18n import status_label
    from xixin_cli.identity import writer_id
    from xixin_cli.schedule import change_event
    from xixin_cli.status_log import append_event

    session = _open(ctx, write=True)
    state = _item_state(session, item_id)
    if not session.plan.is_leaf(item_id):
        raise UsageError(
            "usage.not_leaf", value=item_id, children=" ".join(session.plan.children(item_id))
        )
    lang = session.lang
    if only_from is not None and state.status not in only_from:
        raise UsageError(
            "usage.not_reviewable", value=item_id, status=status_label(state.status.value, lang)
        )
    event = change_event(
        state, status, at=now_in_china(), event_id=uuid.uuid4().hex, by=_by(by), note=_note(note)
    )
    if event is None:
        _notice(message("unchanged", lang, item=item_id, status=status_label(status.value, lang)))
        return
    append_event(
        session.state.path, event, writer=writer_id(), make_parent=session.state.is_default
    )
    _notice(
        message(
            "recorded",
            lang,
            item=item_id,
            title=state.item.title,
            previous=status_label(event.previous.value, lang),
            status=status_label(event.status.value, lang),
        )
    )


NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="备注 · a note.")]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="记录人 · who records it (default: your login name).")
]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="事项编号 · item id, like 5.3.1.")]


@app.command("set")
def set_(
    ctx: typer.Context,
    item_id: IdArg,
    status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="todo doing blocked done dropped, or 未开始 进行中 受阻 已完成 不适用.",
        ),
    ],
    note: NoteOpt = None,
    by: ByOpt = None,
) -> None:
    """记录状态 · Record a status change (appended to the status log).

    Example: xixin set 5.3.1 done --note "自查报告已报县创建办"
    """
    _record(ctx, item_id, _status(status), note, by)


@app.command()
def start(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> None:
    """标为进行中 · Mark an item in progress (same as set ID doing).

    Example: xixin start 4.3.2 --note "已召开部署会"
    """
    _record(ctx, item_id, Status.DOING, note, by)


@app.command()
def done(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> None:
    """标为已完成 · Mark an item done (same as set ID done).

    Example: xixin done 5.1.2 --note "动员会 9月20日召开"
    """
    _record(ctx, item_id, Status.DONE, note, by)


@app.command()
def block(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> None:
    """标为受阻 · Mark an item blocked (same as set ID blocked); say why in --note.

    Example: xixin block 4.7.8 --note "苗木未到"
    """
    _record(ctx, item_id, Status.BLOCKED, note, by)


@app.command("close")
def close_(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> None:
    """销号 · Close out a done item after review (done → closed).

    Example: xixin close 5.3.1 --note "县创建办已核验"
    """
    _record(ctx, item_id, Status.CLOSED, note, by, only_from=frozenset({Status.DONE}))


@app.command("return")
def return_(
    ctx: typer.Context,
    item_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", "-r", help="退回理由 · why (required).")],
    by: ByOpt = None,
) -> None:
    """退回 · Send a done or closed item back for more work (→ doing), with the reason.

    Example: xixin return 4.3.2 --reason "佐证材料不全"
    """
    if not reason.strip():
        raise UsageError("usage.reason_needed")
    _record(
        ctx, item_id, Status.DOING, reason, by, only_from=frozenset({Status.DONE, Status.CLOSED})
    )


@app.command()
def extend(
    ctx: typer.Context,
    item_id: IdArg,
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="新的截止日 · the new due date.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="延期理由 · why (required).")],
    by: ByOpt = None,
) -> None:
    """延期 · Record an approved extension: the item's new due date and why.

    Example: xixin extend 4.7.8 --to 2022-12-20 --reason "苗木延期到货，经领导小组同意"
    """
    import uuid

    from xixin_cli.dates import DateFormatError, now_in_china, parse_date
    from xixin_cli.identity import writer_id
    from xixin_cli.schedule import extension_event
    from xixin_cli.status_log import append_event

    try:
        new_due = parse_date(to)
    except DateFormatError:
        raise UsageError("usage.bad_date", option="--to", value=to) from None
    session = _open(ctx, write=True)
    state = _item_state(session, item_id)
    event = extension_event(
        state,
        new_due,
        at=now_in_china(),
        event_id=uuid.uuid4().hex,
        by=_by(by),
        reason=_note(reason),
    )
    append_event(
        session.state.path, event, writer=writer_id(), make_parent=session.state.is_default
    )
    _notice(
        message(
            "extended",
            session.lang,
            item=item_id,
            before=str(state.due),  # extension_event made sure there is one
            after=new_due.isoformat(),
        )
    )


@app.command()
def attach(
    ctx: typer.Context,
    item_id: IdArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="佐证材料 · files.")],
    note: NoteOpt = None,
    by: ByOpt = None,
) -> None:
    """登记佐证材料 · Record evidence files for an item: path, size and SHA-256 (the files stay
    where they are; `verify` later tells if one changed or went missing).

    Example: xixin attach 5.3.1 自查报告.docx 会议照片.jpg --note "自查报告及照片"
    """
    import uuid

    from xixin_cli.dates import now_in_china
    from xixin_cli.evidence import fingerprint
    from xixin_cli.identity import writer_id
    from xixin_cli.schedule import evidence_event
    from xixin_cli.status_log import append_event

    text = _note(note)
    who = _by(by)
    prints = [fingerprint(path) for path in files]  # every file checked before any is recorded
    session = _open(ctx, write=True)
    state = _item_state(session, item_id)
    for print_ in prints:
        event = evidence_event(
            state, *print_, at=now_in_china(), event_id=uuid.uuid4().hex, by=who, note=text
        )
        append_event(
            session.state.path, event, writer=writer_id(), make_parent=session.state.is_default
        )
        _notice(message("attached", session.lang, item=item_id, path=print_.path, size=print_.size))


@app.command()
def evidence(
    ctx: typer.Context,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing", help="只看已完成但没有佐证材料的事项 · done items with no evidence."
        ),
    ] = False,
    office: OfficeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """佐证材料 · What evidence each item has; --missing lists done items that have none.

    Example: xixin evidence --missing --office 乡民政办
    """
    session = _open(ctx)
    where = _filter(session.plan, office, None)
    from xixin_cli.schedule import leaves

    rows = [
        state
        for state in leaves(session.plan, session.states, where)
        if not missing or (state.status in (Status.DONE, Status.CLOSED) and not state.evidence)
    ]
    if as_json:
        from xixin_cli.export import records

        _print_json(records(session.plan, rows))
        return
    if not rows:
        sys.stdout.write(message("no_items", session.lang) + "\n")
        return
    from xixin_cli.render import evidence_table

    _print(evidence_table(session.plan, rows, session.lang))


@app.command()
def undo(ctx: typer.Context, by: ByOpt = None) -> None:
    """撤销上一次记录 · Revert the latest change by appending a new record; nothing is deleted.

    Example: xixin undo
    """
    import uuid

    from xixin_cli.dates import now_in_china
    from xixin_cli.i18n import status_label
    from xixin_cli.identity import writer_id
    from xixin_cli.schedule import undo_event
    from xixin_cli.status_log import append_event

    session = _open(ctx, events=True, write=True)
    result = undo_event(
        session.events,
        session.states,
        at=now_in_china(),
        event_id=uuid.uuid4().hex,
        by=_by(by),
    )
    if result is None:
        raise UsageError("usage.nothing_to_undo")
    event, _ = result
    append_event(
        session.state.path, event, writer=writer_id(), make_parent=session.state.is_default
    )
    item = session.plan.get(event.item)
    lang = session.lang
    _notice(
        message(
            "undone",
            lang,
            item=event.item,
            title=item.title if item else "",
            previous=status_label(event.previous.value, lang),
            status=status_label(event.status.value, lang),
        )
    )


@app.command()
def history(
    ctx: typer.Context,
    item_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="只看一项 · one item.")
    ] = None,
    limit: LimitOpt = TABLE_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """变更记录 · The trail of status changes, newest first.

    Example: xixin history 5.3.1
    """
    session = _open(ctx, events=True)
    if (
        item_id is not None
        and session.plan.get(item_id) is None
        and not any(event.item == item_id for event in session.events)
    ):
        _item_state(session, item_id)  # raises with a did-you-mean
    from xixin_cli.schedule import order_key

    events = sorted(
        (e for e in session.events if item_id is None or e.item == item_id),
        key=order_key,
        reverse=True,
    )
    if as_json:
        from xixin_cli.export import event_record

        _print_json([event_record(event) for event in events])
        return
    if not events:
        _notice(message("no_history", session.lang))
        return
    from xixin_cli.render import history_table

    rows, hidden = _capped(events, limit, show_all)
    _print(history_table(session.plan, rows, session.lang))
    _left_out(hidden, session.lang)


@app.command()
def overdue(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    as_of: AsOfOpt = None,
    limit: LimitOpt = TABLE_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """逾期事项 · Open items whose due date has passed, most overdue first.

    Example: xixin overdue --as-of 2022-12-05 --office 乡民政办
    """
    from xixin_cli.schedule import overdue as find_overdue

    session = _open(ctx)
    today = _as_of(as_of)
    rows = find_overdue(session.plan, session.states, today, _filter(session.plan, office, phase))
    if as_json:
        from xixin_cli.export import due_record

        counted = _workdays(rows, today)
        _print_json([due_record(session.plan, row, counted.get(row.state.item.id)) for row in rows])
        return
    if not rows:
        sys.stdout.write(message("nothing_overdue", session.lang) + "\n")
        return
    from xixin_cli.render import due_table

    shown, hidden = _capped(rows, limit, show_all)
    _print(
        due_table(
            session.plan, shown, session.lang, today, late=True, workdays=_workdays(shown, today)
        )
    )
    _left_out(hidden, session.lang)


@app.command()
def upcoming(
    ctx: typer.Context,
    within: Annotated[
        str, typer.Option("--within", "-w", help="时间窗 · window: 7d, 2w, 30 (days), 1m.")
    ] = "7d",
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    as_of: AsOfOpt = None,
    limit: LimitOpt = TABLE_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """即将到期 · Open items due in the window, soonest first, and phases starting or ending.

    Example: xixin upcoming --within 2w --as-of 2022-11-20
    """
    from xixin_cli.dates import DateFormatError, window_end
    from xixin_cli.schedule import phase_marks
    from xixin_cli.schedule import upcoming as find_upcoming

    session = _open(ctx)
    today = _as_of(as_of)
    try:
        last_day = window_end(today, within)
    except DateFormatError:
        raise UsageError("usage.bad_window", value=within) from None
    rows = find_upcoming(
        session.plan, session.states, today, last_day, _filter(session.plan, office, phase)
    )
    marks = phase_marks(session.plan, today, last_day)
    if as_json:
        from xixin_cli.export import due_record

        counted = _workdays(rows, today)
        _print_json([due_record(session.plan, row, counted.get(row.state.item.id)) for row in rows])
        return
    from xixin_cli.render import due_table, phase_table

    if rows:
        shown, hidden = _capped(rows, limit, show_all)
        _print(
            due_table(
                session.plan,
                shown,
                session.lang,
                today,
                late=False,
                until=last_day,
                workdays=_workdays(shown, today),
            )
        )
        _left_out(hidden, session.lang)
    else:
        sys.stdout.write(message("nothing_upcoming", session.lang) + "\n")
    if marks:
        _print(phase_table(session.plan, marks, session.lang))


@app.command()
def remind(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain", help="纯文本，便于粘贴到微信群 · plain text to paste into a chat group."
        ),
    ] = False,
    fail_on_overdue: Annotated[
        bool,
        typer.Option(
            "--fail-on-overdue",
            help=f"有逾期时以 {int(ExitCode.OVERDUE)} 退出 · exit {int(ExitCode.OVERDUE)} when "
            "anything is overdue (for cron or Task Scheduler).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """每周督办提醒 · The weekly digest: overdue and due this week, per office, red/yellow/green.

    Example: xixin remind --plain --as-of 2022-11-28
    """
    from xixin_cli.schedule import digest

    session = _open(ctx)
    today = _as_of(as_of)
    result = digest(session.plan, session.states, today, _filter(session.plan, office, None))
    if as_json:
        from xixin_cli.export import due_record

        counted = _workdays((*result.overdue, *result.due_soon), today)
        _print_json(
            {
                "as_of": today.isoformat(),
                "overdue": [
                    due_record(session.plan, row, counted.get(row.state.item.id))
                    for row in result.overdue
                ],
                "due_soon": [
                    due_record(session.plan, row, counted.get(row.state.item.id))
                    for row in result.due_soon
                ],
                "offices": [
                    {
                        "office": session.plan.offices[o.office].name,
                        "office_key": o.office,
                        "red": len(o.red),
                        "yellow": len(o.yellow),
                        "green": o.green,
                        "closed": o.closed,
                    }
                    for o in result.offices
                ],
            }
        )
    elif plain:
        from xixin_cli.render import digest_plain

        sys.stdout.write(digest_plain(session.plan, result, session.lang))
    else:
        from xixin_cli.render import digest_view

        _print(digest_view(session.plan, result, session.lang))
    if fail_on_overdue and result.overdue:
        raise typer.Exit(int(ExitCode.OVERDUE))


@app.command("board")
def board_(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    image: Annotated[
        Path | None,
        typer.Option(
            "--image",
            metavar="FILE",
            help="另存为图片 · also save it as a picture: .svg, .html or .png.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """督办看板 · Progress and red/yellow/green counts per office and per phase; the offices
    that need a call come first.

    Example: xixin board --as-of 2022-11-28 --image 看板.png
    """
    from xixin_cli.board import board

    session = _open(ctx)
    today = _as_of(as_of)
    result = board(session.plan, session.states, today, _filter(session.plan, office, None))
    if as_json:
        from xixin_cli.export import board_record

        _print_json(board_record(result))
        return
    from xixin_cli.render import board_view

    view = board_view(session.plan, result, session.lang)
    _print(view)
    if image is not None:
        from xixin_cli.picture import write_picture

        write_picture(image, session.plan, result, session.lang, view)
        _notice(message("written", session.lang, path=str(image)))


FormatOpt = Annotated[
    str, typer.Option("--format", "-f", metavar="md|text", help="md（默认）或 text · format.")
]


@report_app.command("weekly")
def report_weekly(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
) -> None:
    """周报 · The week's changes, what is overdue and next week's deadlines, per office.

    Example: xixin report weekly --as-of 2022-11-28 -o 周报.md
    """
    from xixin_cli.report import weekly

    render = _report_format(fmt)
    session = _open(ctx, events=True)
    today = _as_of(as_of)
    blocks = weekly(
        session.plan,
        session.states,
        session.events,
        session.lang,
        today,
        _filter(session.plan, office, None),
    )
    _deliver(render(blocks), output, session.lang)


@report_app.command("self-check")
def report_self_check(
    ctx: typer.Context,
    office: OfficeOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "md",
    output: OutputOpt = None,
) -> None:
    """自查报告 · Per task and action: status, latest note, what is missing; completion rates
    overall and per office. Ready to edit and send to the county.

    Example: xixin report self-check --as-of 2022-11-30 -o 自查报告.md
    """
    from xixin_cli.report import self_check

    render = _report_format(fmt)
    session = _open(ctx)
    blocks = self_check(
        session.plan,
        session.states,
        session.lang,
        _as_of(as_of),
        _filter(session.plan, office, None),
    )
    _deliver(render(blocks), output, session.lang)


def _report_format(fmt: str) -> "Callable[[Sequence[Block]], str]":
    from xixin_cli.report import to_markdown, to_text

    if fmt in ("md", "markdown"):
        return to_markdown
    if fmt in ("text", "txt"):
        return to_text
    raise UsageError("usage.bad_format", value=fmt)


@app.command("import")
def import_(
    ctx: typer.Context,
    document: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="实施方案全文：文本（UTF-8 或 GB18030）或 .docx · the document, as text or .docx.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="PLAN", help="写出的计划文件 · the plan file to write."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有的计划文件 · replace an existing plan file.")
    ] = False,
) -> None:
    """导入实施方案 · Read an implementation plan's text and write it as a plan file; every line
    it could not place is listed, with its line number.

    Example: xixin import 实施方案.txt -o 方案.yaml
    """
    from xixin_cli.importer import decode, docx_text, import_text
    from xixin_cli.plan_file import parse_plan, read_plan_bytes

    lang = _settings(ctx).lang or DEFAULT_LANGUAGE
    data = read_plan_bytes(document)  # says clearly if the file is missing or unreadable
    if document.suffix.lower() == ".docx":
        text, encoding = docx_text(document), "DOCX"
    else:
        text, encoding = decode(data)
    result = import_text(text)
    parse_plan(result.yaml, str(output or document))  # what we write must load
    if output is not None and output.exists() and not force:
        raise OutputError("output.exists", path=str(output))
    if result.unplaced:
        _notice(message("import.unplaced", lang, n=len(result.unplaced)))
        for miss in result.unplaced:
            _notice(
                message(
                    "import.line",
                    lang,
                    line=miss.line,
                    reason=message(f"import.{miss.reason}", lang),
                    text=miss.text,
                )
            )
    _deliver(result.yaml, output, lang)
    _notice(message("import.done", lang, items=result.items, encoding=encoding))


@app.command()
def verify(ctx: typer.Context) -> None:
    """核验状态记录 · Check that no line of the status log was edited, moved or deleted.

    Exits 6 when anything is found. Example: xixin verify
    """
    from xixin_cli.checks import evidence_problems, verify_log
    from xixin_cli.paths import plan_path, state_sources
    from xixin_cli.status_log import parse_log, read_bytes

    settings = _settings(ctx)
    lang = settings.lang or DEFAULT_LANGUAGE
    failed = False
    for where in state_sources(settings.state, plan_path(settings.plan)):
        data = read_bytes(where)
        result = verify_log(data, str(where))
        problems = [*result.problems, *evidence_problems(parse_log(data, str(where)), str(where))]
        _report(problems, lang)
        if problems:
            failed = True
            count = len(problems)
            _notice(
                message("verify.failed", lang, path=str(where), count=count, records=result.records)
            )
        else:
            sys.stdout.write(
                message(
                    "verify.ok",
                    lang,
                    path=str(where),
                    records=result.records,
                    writers=result.writers,
                )
                + "\n"
            )
    if failed:
        raise typer.Exit(int(ExitCode.CHECK))


@app.command()
def doctor(ctx: typer.Context) -> None:
    """体检 · Check the plan and the status log together; every problem with its line.

    Exits 3 for plan problems, 6 for log problems. Example: xixin doctor
    """
    from xixin_cli.checks import evidence_problems, plan_agreement, verify_log
    from xixin_cli.paths import plan_path, state_sources
    from xixin_cli.plan_file import load_plan
    from xixin_cli.status_log import parse_log, read_bytes

    settings = _settings(ctx)
    lang = settings.lang or DEFAULT_LANGUAGE
    path = plan_path(settings.plan)
    plan = load_plan(path)  # plan problems end here, each on its line, with exit 3
    problems: list[Problem] = []
    records = 0
    for where in state_sources(settings.state, path):
        data = read_bytes(where)
        problems += verify_log(data, str(where)).problems
        log = parse_log(data, str(where))
        problems += plan_agreement(plan, log, str(where))
        problems += evidence_problems(log, str(where))
        records += len(log.events)
    _report(problems, lang)
    if problems:
        raise typer.Exit(int(ExitCode.CHECK))
    sys.stdout.write(message("doctor.ok", lang, items=len(plan.items), records=records) + "\n")


@app.command()
def merge(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="其他单位的状态文件或文件夹 · logs.")
    ],
) -> None:
    """并入其他状态文件 · Bring other offices' status logs into this one.

    Each record is added once, byte for byte (so `verify` still passes); merging twice adds
    nothing and the order of merging does not matter. Two offices that changed one item
    without seeing each other's change are reported as a conflict; the later change stands.
    Example: xixin merge 民政办.status.jsonl 各村/
    """
    from xixin_cli.merge import conflicts, merge_into
    from xixin_cli.paths import state_sources
    from xixin_cli.status_log import read_bytes, read_log

    session = _open(ctx, write=True)
    target = session.state.path
    sources = []
    for path in state_sources([str(f) for f in files], target):
        if not path.is_file():
            raise StateError("state.not_found", path=str(path))
        if path.resolve() != target.resolve():
            sources.append((str(path), read_bytes(path)))
    results = merge_into(target, sources, make_parent=session.state.is_default)
    lang = session.lang
    for result in results:
        for warning in result.warnings:
            _warn(warning.render(lang), lang)
        sys.stdout.write(
            message(
                "merge.added",
                lang,
                source=result.name,
                added=len(result.lines),
                already=result.already,
            )
            + "\n"
        )
    merged = read_log(target)
    for conflict in conflicts(merged.events):
        item = session.plan.get(conflict.item)
        sys.stdout.write(
            message(
                "merge.conflict",
                lang,
                item=conflict.item,
                title=item.title if item else "",
                later_by=conflict.stands.by,
                later_at=f"{conflict.stands.at:%Y-%m-%d %H:%M}",
                later=status_label(conflict.stands.status.value, lang),
                earlier_by=conflict.other.by,
                earlier_at=f"{conflict.other.at:%Y-%m-%d %H:%M}",
                earlier=status_label(conflict.other.status.value, lang),
            )
            + "\n"
        )


def _report(problems: Iterable[Problem], lang: str) -> None:
    """Findings of a check are its output: one line each, on stdout."""
    for problem in sorted(problems, key=lambda p: p.line or 0):
        sys.stdout.write(problem.render(lang) + "\n")


@export_app.command("markdown")
def export_markdown(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    group_by: Annotated[
        str, typer.Option("--group-by", help="按任务或阶段分组 · group by task or phase.")
    ] = "task",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="写入文件（整体替换）；与 --split-by 同用时为文件夹 · write to this file "
            "(replaced whole); with --split-by, a folder.",
        ),
    ] = None,
    split_by: Annotated[
        str | None,
        typer.Option(
            "--split-by",
            metavar="office",
            help="每个责任单位一份清单 · one checklist per office, into the -o folder.",
        ),
    ] = None,
) -> None:
    """导出 Markdown 清单 · A GitHub-style checklist (- [ ] / - [x]), grouped by task or phase.

    Example: xixin export markdown --office 乡民政办 -o 民政办清单.md
    """
    from xixin_cli.export import markdown_checklist

    if group_by not in ("task", "phase"):
        raise UsageError("usage.bad_group_by", value=group_by)
    if split_by not in (None, "office"):
        raise UsageError("usage.bad_split_by", value=split_by)
    if split_by is not None and output is None:
        raise UsageError("usage.split_needs_folder")
    session = _open(ctx)
    today = _as_of(as_of)
    if split_by is not None and output is not None:
        _export_per_office(session, output, today, phase, status, group_by)
        return
    text = markdown_checklist(
        session.plan,
        session.states,
        session.lang,
        today,
        _filter(session.plan, office, phase, status),
        group_by=group_by,
    )
    _deliver(text, output, session.lang)


@export_app.command("csv")
def export_csv(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
) -> None:
    """导出 CSV（Excel 可直接打开）· The checklist as CSV for Excel: UTF-8 with BOM, and no cell
    a spreadsheet would run as a formula.

    Example: xixin export csv --office 乡民政办 -o 民政办.csv
    """
    from xixin_cli.export import csv_text

    session = _open(ctx)
    text = csv_text(
        session.plan,
        session.states,
        session.lang,
        _as_of(as_of),
        _filter(session.plan, office, phase, status),
    )
    _deliver(text, output, session.lang)


@export_app.command("ics")
def export_ics(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    remind: Annotated[
        int,
        typer.Option(
            "--remind", metavar="DAYS", help="提前几天提醒 · remind this many days before."
        ),
    ] = 3,
    output: OutputOpt = None,
) -> None:
    """导出日历（.ics）· Each deadline as an all-day calendar event with a reminder.

    Example: xixin export ics --office 各村 -o 各村截止日.ics
    """
    from xixin_cli.dates import now_in_china
    from xixin_cli.export import ics_text

    if remind < 0:
        raise UsageError("usage.bad_remind", value=remind)
    session = _open(ctx)
    text = ics_text(
        session.plan,
        session.states,
        session.lang,
        now_in_china(),
        _filter(session.plan, office, phase, status),
        remind_days=remind,
    )
    _deliver(text, output, session.lang)


def _deliver(text: str, output: Path | None, lang: str) -> None:
    """An export to stdout, or written whole to a file."""
    if output is None:
        sys.stdout.write(text)
        return
    from xixin_cli.files import write_atomic

    write_atomic(output, text)
    _notice(message("written", lang, path=str(output)))


def _export_per_office(
    session: Session,
    folder: Path,
    today: date,
    phase: str | None,
    status: list[str] | None,
    group_by: str,
) -> None:
    """One checklist file per office, `<office name>.md`, each written whole."""
    from xixin_cli.export import markdown_checklist
    from xixin_cli.files import write_atomic

    if not folder.is_dir():
        raise OutputError("output.no_folder", folder=str(folder))
    for key, office in session.plan.offices.items():
        where = _filter(session.plan, key, phase, status)
        text = markdown_checklist(
            session.plan, session.states, session.lang, today, where, group_by=group_by
        )
        target = folder / f"{office.name}.md"
        write_atomic(target, text)
        _notice(message("written", session.lang, path=str(target)))


#: The global options that take a value, so that `run` can find the command's name after them.
VALUE_OPTIONS = frozenset({"--plan", "--state", "--lang"})


def command_name(args: Sequence[str]) -> str | None:
    """The command `args` run (the first word after the global options), or None; None too
    when the app's own help is asked for first (`xixin -h overdue` lists every command)."""
    words = iter(args)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word in VALUE_OPTIONS:
            next(words, None)
        elif word == "--":
            return next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command `args` name registered, when they name one.

    Typer builds every registered command's parameters on every start (~10 ms for thirty
    commands); a command's parsing and its help do not depend on its siblings, so only the one
    that runs is built. Anything else (no command, `--help`, an unknown name) gets the whole app,
    whose help and "no such command" message list every command.
    """
    name = command_name(args)
    commands = [
        info
        for info in app.registered_commands
        if (info.name or typer.main.get_command_name(getattr(info.callback, "__name__", "")))
        == name
    ]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    trimmed = copy.copy(app)
    trimmed.registered_commands = commands
    trimmed.registered_groups = groups
    return trimmed


def run(argv: Sequence[str] | None = None) -> int:
    """Run the app; turn our errors into one line each on stderr and their exit code."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        app_for(args)(args=args, prog_name="xixin")
    except XixinError as error:
        lang = _error_language(args)
        for line in error.lines(lang):
            sys.stderr.write(f"xixin: {message('error', lang)}: {line}\n")
        return int(error.exit_code)
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (xixin list | head): nothing more to say
        return 0
    except OSError as exc:
        if exc.filename is not None:  # our own files are reported as XixinError; not this
            raise
        return _output_failed(exc, args)  # the terminal or file that stdout goes to
    return 0


def finish(code: int) -> int:
    """Flush what was printed, before the process leaves without the interpreter's teardown:
    a reader that went away is no error, a full disk is."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as exc:
        return _output_failed(exc, sys.argv[1:])
    return code


def _output_failed(exc: OSError, args: Sequence[str]) -> int:
    """One line for output that could not be written, e.g. `xixin list > f` on a full disk."""
    lang = _error_language(args)
    line = message("output.stdout", lang, reason=exc.strerror or str(exc))
    with contextlib.suppress(OSError):
        sys.stderr.write(f"xixin: {message('error', lang)}: {line}\n")
    return int(ExitCode.OUTPUT)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def _error_language(args: Sequence[str]) -> str:
    """The language for an error, which may come before any plan is read."""
    lang = os.environ.get("XIXIN_LANG", "")
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            lang = args[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.removeprefix("--lang=")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
