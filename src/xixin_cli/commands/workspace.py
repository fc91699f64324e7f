"""An office's working folder: init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xixin_cli.commands._options import settings
from xixin_cli.errors import OutputError
from xixin_cli.i18n import message
from xixin_cli.results import Lines

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


COMMANDS = {"init": init}
GROUPS: dict[str, dict[str, object]] = {}
