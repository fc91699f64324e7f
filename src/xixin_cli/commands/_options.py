"""The options several commands share, and the session a command opens.

Option help texts are not here: they come from the UI language's catalogue (`help.py` fills
them in by parameter name), so that the Chinese help is all Chinese and the English all English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from xixin_cli.session import Session, Settings, open_session

if TYPE_CHECKING:
    from xixin_cli.results import Document, Files, Lines

T = TypeVar("T")

#: Rows a table shows unless --limit or --all says otherwise: the whole bundled plan fits in
#: the list, a week's worth of items in the others.
LIST_LIMIT = 100
TABLE_LIMIT = 20

#: --office of a view: given more than once, what any of the units named has a part in.
OfficeOpt = Annotated[list[str] | None, typer.Option("--office")]
#: --office where one unit is meant (a scheduled reminder for one unit).
OneOfficeOpt = Annotated[str | None, typer.Option("--office")]
PhaseOpt = Annotated[str | None, typer.Option("--phase", "-p")]
StatusOpt = Annotated[list[str] | None, typer.Option("--status", "-s")]
JsonOpt = Annotated[bool, typer.Option("--json")]
LimitOpt = Annotated[int, typer.Option("--limit", metavar="N")]
AllOpt = Annotated[bool, typer.Option("--all")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="DATE")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE")]
NoteOpt = Annotated[str | None, typer.Option("--note", "-n")]
ByOpt = Annotated[str | None, typer.Option("--by")]
ReasonOpt = Annotated[str, typer.Option("--reason", "-r")]
IdArg = Annotated[str, typer.Argument(metavar="ID")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="md|text")]


def settings(ctx: typer.Context) -> Settings:
    """The global options, as the root command's callback left them."""
    found = ctx.find_root().obj
    assert isinstance(found, Settings)
    return found


def session(
    ctx: typer.Context, *, events: bool = False, write: bool = False, as_of: date | None = None
) -> Session:
    """Open the plan and the logs (as they stood at the end of `as_of`), and say what their
    readers found (on stderr, at once)."""
    from xixin_cli.present import warn

    opened = open_session(chosen(ctx), events=events, write=write, as_of=as_of)
    for warning in opened.warnings:
        warn(warning, opened.lang)
    return opened


def chosen(ctx: typer.Context) -> Settings:
    """The settings with the plan the command's item ids name, in a workspace of several plans
    (`choose_plan`); kept as the run's settings, so every later step uses that plan."""
    from xixin_cli.session import choose_plan

    given = settings(ctx)
    params = ctx.params
    typed = list(params.get("item_ids") or ())
    if isinstance(params.get("item_id"), str):
        typed.append(params["item_id"])
    found = choose_plan(given, typed)
    if found is not given:
        ctx.find_root().obj = found
    return found


def sessions(
    ctx: typer.Context,
    *,
    events: bool = False,
    as_of: date | None = None,
    office: Sequence[str] | None = None,
    phase: str | None = None,
) -> list[Session]:
    """Every plan the view covers (`open_all`: each plan of a workspace, unless --plan names
    one; of several, those that know the --office and --phase typed), each with what its
    logs' readers found said on stderr, under the plan's name."""
    from xixin_cli.present import warn
    from xixin_cli.session import knowing, open_all

    opened = knowing(open_all(settings(ctx), events=events, as_of=as_of), office, phase)
    for each in opened:
        for warning in each.warnings:
            warn(f"{each.name}: {warning}" if len(opened) > 1 else warning, each.lang)
    return opened


def per_plan(
    ctx: typer.Context,
    output: Path | None,
    make: Callable[[Session, Path | None], Document | Files | Lines],
    *,
    events: bool = False,
    as_of: date | None = None,
    to_stdout: bool = True,
    office: Sequence[str] | None = None,
    phase: str | None = None,
) -> Document | Files | Lines:
    """An export or a report of every plan the view covers (`sessions`): of one plan, what
    `make` makes; of several, each plan's in turn — to stdout one after another (when the
    format can follow itself: `to_stdout`), to files one per plan, `FILE-NAME.ext` (a folder
    for `--split-by`: `DIR/NAME/`)."""
    from xixin_cli.errors import UsageError
    from xixin_cli.results import Document, Files, Lines

    found = sessions(ctx, events=events, as_of=as_of, office=office, phase=phase)
    if len(found) == 1:
        return make(found[0], output)
    if output is None and not to_stdout:
        raise UsageError("usage.plans_need_output", names=", ".join(o.name for o in found))
    made = [make(opened, _plan_output(output, opened.name)) for opened in found]
    documents: list[Document] = []
    notices: list[str] = []
    for opened, result in zip(found, made, strict=True):
        if isinstance(result, Document) and result.output is None:
            heading = message_for(opened, "workspace.plan_heading")
            documents.append(result._replace(text=f"{heading}\n\n{result.text}\n"))
        elif isinstance(result, Document):
            documents.append(result)
        elif isinstance(result, Files):
            documents += result.documents
        else:
            notices += result.notices
    if notices and not documents:
        return Lines(notices=notices)
    if all(document.output is None for document in documents):
        first = documents[0]
        return first._replace(text="\n".join(document.text for document in documents))
    return Files([*documents, *(Document("", None, found[0].lang, after=notices),)])


def message_for(opened: Session, code: str) -> str:
    """The heading of a plan in a workspace's output: its name and title."""
    from xixin_cli.i18n import message

    return message(code, opened.lang, name=opened.name, title=opened.plan.document.title)


def _plan_output(output: Path | None, name: str) -> Path | None:
    """Where one plan's part of an output goes: 周报.md → 周报-minzu.md, 清单/ → 清单/minzu/."""
    if output is None:
        return None
    if output.is_dir() or not output.suffix:
        return output / name
    return output.with_name(f"{output.stem}-{name}{output.suffix}")


def guard_output(ctx: typer.Context, opened: Session, *outputs: Path | None) -> None:
    """Refuse an output file that is one of the files the command reads (OutputError)."""
    wanted = [output for output in outputs if output is not None]
    if wanted:
        from xixin_cli.files import refuse_inputs
        from xixin_cli.session import inputs

        refuse_inputs(wanted, inputs(opened.settings or settings(ctx), opened))


def capped(rows: Sequence[T], limit: int, show_all: bool) -> tuple[Sequence[T], int]:
    """The rows a table shows, and how many it leaves out (rendering thousands costs seconds)."""
    if show_all or limit < 0 or len(rows) <= limit:
        return rows, 0
    return rows[:limit], len(rows) - limit


def day(ctx: typer.Context, value: str | None, option: str = "--as-of") -> date:
    """The day an option names (a date, or 今天, 下周五, +3d…), or today in China; when the
    year was taken from today, say so on stderr."""
    from xixin_cli.present import notice
    from xixin_cli.session import read_day

    found, note = read_day(value, option, settings(ctx).language())
    if note is not None:
        notice(note)
    return found
