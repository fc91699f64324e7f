"""An office's working folder and its plans: init, plan add, plan list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xixin_cli.commands._options import AsOfOpt, JsonOpt, day, sessions, settings
from xixin_cli.errors import OutputError, UsageError
from xixin_cli.i18n import message
from xixin_cli.results import Document, Lines, PlanList, form

#: Lines for .gitattributes: a status log merges by union under git (README, "Through git").
GITATTRIBUTES = "*.status.jsonl merge=union\nstatus.jsonl   merge=union\n"


def init(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(metavar="[DIR]")] = Path("."),
) -> Lines:
    """Set up an office's working folder: a plan to edit, its status log, git's merge rule."""
    from xixin_cli.files import write_atomic
    from xixin_cli.paths import STATE_SUFFIX, WORKSPACE_MARK, WORKSPACE_PLAN, bundled_plan
    from xixin_cli.plan_file import read_plan_bytes

    lang = settings(ctx).language()
    plan = folder / WORKSPACE_PLAN
    made = {
        plan: read_plan_bytes(bundled_plan()).decode("utf-8"),
        plan.with_name(plan.stem + STATE_SUFFIX): "",
        folder / ".gitattributes": GITATTRIBUTES,
        folder / ".gitignore": "*.lock\n",  # the log's lock file is not part of the record
        folder / WORKSPACE_MARK: message("init.mark", lang),
    }
    for path in made:  # nothing is overwritten: all or nothing
        if path.exists():
            raise OutputError("output.exists_init", path=str(path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("output.cannot_write", path=str(folder), reason=str(exc)) from None
    for path, text in made.items():
        write_atomic(path, text)
    lines = [message("written", lang, path=str(path)) for path in made]
    return Lines(notices=[*lines, message("init.next", lang, plan=str(plan))])


def plan_add(
    ctx: typer.Context,
    source: Annotated[Path | None, typer.Argument(metavar="[FILE]")] = None,
    name: Annotated[str | None, typer.Option("--name", metavar="PLANNAME")] = None,
    document: Annotated[Path | None, typer.Option("--import", metavar="DOC")] = None,
) -> Document | Lines:
    """Add a plan to the workspace: a plan file (checked, then copied to plans/NAME.yaml), or
    a plan document read by `xixin import` (--import DOC); each plan gets its own log."""
    from xixin_cli.paths import STATE_SUFFIX, WORKSPACE_PLANS, workspace, workspace_plans
    from xixin_cli.workspace import new_name

    lang = settings(ctx).language()
    folder = workspace()
    if folder is None:
        raise UsageError("usage.no_workspace")
    if (source is None) == (document is None):
        raise UsageError("usage.plan_add_what")
    given = source if source is not None else document
    assert given is not None
    taken = {entry.name for entry in workspace_plans(folder)}
    chosen = new_name(name, given, taken)
    target = folder / WORKSPACE_PLANS / f"{chosen}.yaml"
    log = target.with_name(chosen + STATE_SUFFIX)
    for path in (target, log):
        if path.exists():
            raise OutputError("output.exists_init", path=str(path))
    _make_folder(target.parent)
    if document is not None:  # the one path a document becomes a plan: `xixin import`
        from xixin_cli.commands.import_ import import_

        made = import_(ctx, document, output=target, force=False)
        _write(log, "")
        after = [*made.after, message("plan.added", lang, name=chosen, path=str(target))]
        return made._replace(after=after)
    from xixin_cli.files import write_atomic
    from xixin_cli.plan_file import load_plan, read_plan_bytes

    plan = load_plan(given)  # an invalid plan ends here, each problem on its line (exit 3)
    write_atomic(target, read_plan_bytes(given).decode("utf-8-sig"))
    _write(log, "")
    items = sum(1 for item in plan.items if plan.is_leaf(item.id))
    return Lines(
        notices=[
            message("written", lang, path=str(target)),
            message("written", lang, path=str(log)),
            message("plan.added_items", lang, name=chosen, items=items),
        ]
    )


def plan_list(ctx: typer.Context, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> PlanList:
    """The workspace's plans, each with its progress and what is overdue."""
    from xixin_cli.workspace import summary

    today = day(ctx, as_of)
    opened = sessions(ctx, as_of=today)
    rows = [summary(each.name, each.plan, each.states, today, each.calendar()) for each in opened]
    return PlanList(opened[0].lang, form(as_json), rows, today)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("output.cannot_write", path=str(folder), reason=str(exc)) from None


def _write(path: Path, text: str) -> None:
    from xixin_cli.files import write_atomic

    write_atomic(path, text)


COMMANDS = {"init": init}
GROUPS: dict[str, dict[str, object]] = {"plan": {"add": plan_add, "list": plan_list}}
