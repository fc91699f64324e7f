"""The weekly reminder in the computer's own scheduler: schedule install, show, remove, and
the run the scheduler starts (`schedule run`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from xixin_cli.commands._options import AsOfOpt, OneOfficeOpt, day, session, settings
from xixin_cli.errors import UsageError, XixinError
from xixin_cli.i18n import message
from xixin_cli.results import Lines, Sending

SendOpt = Annotated[list[str] | None, typer.Option("--send", metavar="URL")]
AccountOpt = Annotated[str | None, typer.Option("--account", metavar="NAME")]


def install(
    ctx: typer.Context,
    weekly: Annotated[str, typer.Option("--weekly", metavar="DAY")] = "周一",
    at: Annotated[str, typer.Option("--at", metavar="HH:MM")] = "08:30",
    send: SendOpt = None,
    office: OneOfficeOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    system: Annotated[str | None, typer.Option("--system", metavar="linux|macos|windows")] = None,
    account: AccountOpt = None,
) -> Lines:
    """Register the weekly reminder with this computer's scheduler (or print what it would)."""
    from xixin_cli import scheduler
    from xixin_cli.send import DEFAULT_WORDS, target

    lang = settings(ctx).language()
    here = scheduler.system_now()
    system = system or here
    if system not in scheduler.SYSTEMS:
        raise UsageError("schedule.bad_system", value=system)
    if system != here and not dry_run:
        raise UsageError("schedule.other_system", system=system, here=here)
    found_day, found_time = scheduler.weekday(weekly), scheduler.clock(at)
    if found_day is None:
        raise UsageError("schedule.bad_day", value=weekly)
    if found_time is None:
        raise UsageError("schedule.bad_time", value=at)
    for value in send or ():
        if value.strip() not in DEFAULT_WORDS:
            target(value)  # a typo is refused now, not at the first run
    job = scheduler.Job(found_day, *found_time, _command(ctx, system, here, send, office))
    text = scheduler.registration(job, system)
    when = message(
        "schedule.when", lang, day=weekly, time=f"{found_time[0]:02d}:{found_time[1]:02d}"
    )
    notes = [] if send else _no_target_note(lang)
    if dry_run:
        return Lines(out=[text], notices=[message("schedule.would", lang, when=when), *notes])
    if system == "windows":
        scheduler.task_run(scheduler.schtasks_create(job))
        replaced = False
    else:
        text, replaced = scheduler.cron_install(job, account)
    said = message("schedule.replaced" if replaced else "schedule.installed", lang, when=when)
    return Lines(out=[text], notices=[said, *notes])


def show(ctx: typer.Context, account: AccountOpt = None) -> Lines:
    """What is registered, and the last runs from the run log."""
    from xixin_cli import scheduler

    lang = settings(ctx).language()
    if scheduler.system_now() == "windows":
        try:
            lines = scheduler.task_run(scheduler.schtasks_query()).splitlines()
        except scheduler.ScheduleError:
            lines = []
    else:
        lines = scheduler.ours(scheduler.cron_read(account))
    out = [*lines] if lines else [message("schedule.none", lang)]
    log = scheduler.run_log()
    runs = scheduler.runs(log)
    out += ["", message("schedule.runs", lang, path=str(log))]
    if not runs:
        out.append("  " + message("schedule.no_runs", lang))
    for run in runs:
        out.append("  " + _run_line(run, lang))
    return Lines(out=out)


def remove(ctx: typer.Context, account: AccountOpt = None) -> Lines:
    """Take the weekly reminder out of the scheduler."""
    from xixin_cli import scheduler

    lang = settings(ctx).language()
    if scheduler.system_now() == "windows":
        scheduler.task_run(scheduler.schtasks_delete())
        return Lines(notices=[message("schedule.removed", lang, n=1)])
    found = scheduler.cron_remove(account)
    if not found:
        return Lines(notices=[message("schedule.nothing_to_remove", lang)])
    return Lines(out=found, notices=[message("schedule.removed", lang, n=len(found))])


def run_scheduled(
    ctx: typer.Context,
    send: SendOpt = None,
    office: OneOfficeOpt = None,
    folder: Annotated[Path | None, typer.Option("--in", metavar="DIR")] = None,
    as_of: AsOfOpt = None,
) -> Sending:
    """The reminder as the scheduler runs it: printed, sent, and noted in the run log."""
    import os

    from xixin_cli import scheduler
    from xixin_cli.commands.reminders import delivered
    from xixin_cli.dates import now_in_china
    from xixin_cli.results import Form, Reminder
    from xixin_cli.schedule import digest
    from xixin_cli.session import item_filter, view

    log = scheduler.run_log()
    lang = settings(ctx).language()
    try:
        if folder is not None:
            try:
                os.chdir(folder)  # the working folder it was installed from
            except OSError as exc:
                raise UsageError("schedule.no_folder", path=str(folder), reason=str(exc)) from None
        today = day(ctx, as_of)
        opened = session(ctx, as_of=today)
        where = item_filter(opened, office)
        week = digest(opened.plan, view(opened, where), today, opened.calendar(), where)
        reminder = Reminder(opened.plan, opened.lang, Form.PLAIN, week, False)
        result = delivered(ctx, opened, where, reminder, send or ["default"], as_texts=True)
    except XixinError as error:  # a run that could not even start is noted too
        run = scheduler.Run(now_in_china(), (), 0, (), int(error.exit_code), error.lines(lang)[0])
        scheduler.log_run(log, run)
        raise
    return result._replace(run_log=log)


def _command(
    ctx: typer.Context, system: str, here: str, send: list[str] | None, office: str | None
) -> tuple[str, ...]:
    """The command the scheduler runs: this Python with xixin, the global options as given
    (paths made absolute), `schedule run` in the current folder, the targets and the unit."""
    found = settings(ctx)
    program = (sys.executable, "-m", "xixin_cli") if system == here else ("xixin",)
    words: list[str] = list(program)
    if found.plan:
        from xixin_cli.paths import named_plan

        # A workspace plan's name stays a name (the run resolves it in its folder); a path is
        # made absolute.
        named = named_plan(found.plan) is not None
        words += ["--plan", found.plan if named else str(Path(found.plan).expanduser().absolute())]
    for state in found.state:
        words += ["--state", str(Path(state).expanduser().absolute())]
    if found.lang:
        words += ["--lang", found.lang]
    import os

    # The working folder as this run finds it: XIXIN_HOME, which the scheduler will not have,
    # else the current folder (found from there up, as every command does).
    home = os.environ.get("XIXIN_HOME", "").strip()
    folder = Path(home).expanduser().absolute() if home else Path.cwd()
    words += ["schedule", "run", "--in", str(folder)]
    for value in send or ():
        words += ["--send", value.strip()]
    if office:
        words += ["--office", office]
    return tuple(words)


def _no_target_note(lang: str) -> list[str]:
    """Said at install without --send: the run sends to the configured targets, if any."""
    import os

    from xixin_cli.config import lookup

    try:
        configured = lookup("send", env=False)
    except XixinError:
        configured = None
    if configured is not None:
        return []
    if os.environ.get("XIXIN_SEND", "").strip():
        return [message("schedule.env_unseen", lang)]
    return [message("schedule.no_target", lang)]


def _run_line(run: object, lang: str) -> str:
    from xixin_cli.scheduler import Run

    assert isinstance(run, Run)
    when = run.at.strftime("%Y-%m-%d %H:%M")
    if run.error:
        return message("schedule.run_error", lang, at=when, exit=run.code, error=run.error)
    sent = ", ".join(run.sent) or message("schedule.sent_nowhere", lang)
    failed = ", ".join(run.failed)
    key = "schedule.run_failed" if failed else "schedule.run_ok"
    return message(key, lang, at=when, n=run.messages, sent=sent, failed=failed, exit=run.code)


COMMANDS: dict[str, object] = {}
GROUPS = {"schedule": {"install": install, "show": show, "remove": remove, "run": run_scheduled}}
