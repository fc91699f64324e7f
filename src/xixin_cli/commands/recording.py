"""Recording changes: set, start, done, block, close, return, extend, attach, undo.

Every change goes the same way: open the log it is recorded into, ask the rules for the record
(`rules.py`), append it (`session.append`), and confirm it on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xixin_cli import rules
from xixin_cli.commands._options import ByOpt, IdArg, NoteOpt, ReasonOpt, session
from xixin_cli.i18n import message, status_label
from xixin_cli.model import Event, Status
from xixin_cli.results import Lines
from xixin_cli.session import (
    Session,
    append,
    as_of,
    item_state,
    note,
    recorder,
    stamp,
)
from xixin_cli.session import (
    status as parse_status,
)


def _status_change(
    ctx: typer.Context, item_id: str, wanted: Status | None, text: str | None, by: str | None
) -> Lines:
    """Record a status for a leaf (`wanted` None: send it back, with `text` as the reason)."""
    who, said = recorder(by), note(text)
    opened = session(ctx, write=True)
    state = item_state(opened, item_id)
    rules.check_leaf(opened.plan, item_id)
    made = stamp(who)
    if wanted is None:
        event = rules.send_back(state, made, said)
    elif wanted is Status.CLOSED:
        event = rules.close(state, made, said)
    else:
        event = rules.change(state, wanted, made, said)
    lang = opened.lang
    if event is None:
        target = wanted or Status.DOING
        return Lines(
            notices=[message("unchanged", lang, item=item_id, status=status_label(target, lang))]
        )
    append(opened, event)
    return Lines(notices=[_changed("recorded", opened, event)])


def _changed(code: str, opened: Session, event: Event) -> str:
    item = opened.plan.get(event.item)
    lang = opened.lang
    return message(
        code,
        lang,
        item=event.item,
        title=item.title if item else "",
        previous=status_label(event.previous, lang),
        status=status_label(event.status, lang),
    )


StatusArg = Annotated[str, typer.Argument(metavar="STATUS")]


def set_(
    ctx: typer.Context, item_id: IdArg, status: StatusArg, note: NoteOpt = None, by: ByOpt = None
) -> Lines:
    """Record a status change (appended to the status log)."""
    return _status_change(ctx, item_id, parse_status(status), note, by)


def start(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> Lines:
    """Mark an item in progress."""
    return _status_change(ctx, item_id, Status.DOING, note, by)


def done(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> Lines:
    """Mark an item done."""
    return _status_change(ctx, item_id, Status.DONE, note, by)


def block(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> Lines:
    """Mark an item blocked."""
    return _status_change(ctx, item_id, Status.BLOCKED, note, by)


def close(ctx: typer.Context, item_id: IdArg, note: NoteOpt = None, by: ByOpt = None) -> Lines:
    """Close out a done item after review (销号)."""
    return _status_change(ctx, item_id, Status.CLOSED, note, by)


def return_(ctx: typer.Context, item_id: IdArg, reason: ReasonOpt, by: ByOpt = None) -> Lines:
    """Send a done or closed item back for more work (退回), with the reason."""
    return _status_change(ctx, item_id, None, reason, by)


def extend(
    ctx: typer.Context,
    item_id: IdArg,
    to: Annotated[str, typer.Option("--to", metavar="DATE")],
    reason: ReasonOpt,
    by: ByOpt = None,
) -> Lines:
    """Record an approved extension (延期): the item's new due date and why."""
    new_due = as_of(to, "--to")
    who, why = recorder(by), note(reason)
    opened = session(ctx, write=True)
    state = item_state(opened, item_id)
    event = rules.extension(state, new_due, stamp(who), why)
    append(opened, event)
    line = message(
        "extended", opened.lang, item=item_id, before=str(state.due), after=new_due.isoformat()
    )
    return Lines(notices=[line])


def attach(
    ctx: typer.Context,
    item_id: IdArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...")],
    note: NoteOpt = None,
    by: ByOpt = None,
    no_copy: Annotated[bool, typer.Option("--no-copy")] = False,
) -> Lines:
    """Record evidence files (佐证材料) for an item: path, size and SHA-256; a copy of each is
    kept beside the status log (by its SHA-256) unless --no-copy, so it travels with merges."""
    from xixin_cli.evidence import fingerprint, keep_copy, store_of
    from xixin_cli.session import note as clean_note

    text, who = clean_note(note), recorder(by)
    prints = [fingerprint(path) for path in files]  # every file checked before any is recorded
    opened = session(ctx, write=True)
    state = item_state(opened, item_id)
    if not no_copy:  # the record names exactly the bytes kept
        store = store_of(opened.state.path)
        prints = [keep_copy(store, path) for path in files]
    lines = []
    for found in prints:
        append(opened, rules.evidence(state, *found, stamp(who), text))
        lines.append(
            message("attached", opened.lang, item=item_id, path=found.path, size=found.size)
        )
    return Lines(notices=lines)


def undo(ctx: typer.Context, by: ByOpt = None) -> Lines:
    """Revert the latest change by appending a new record; nothing is deleted."""
    who = recorder(by)
    opened = session(ctx, events=True, write=True)
    event = rules.undo(opened.events, opened.states, stamp(who))
    append(opened, event)
    return Lines(notices=[_changed("undone", opened, event)])


COMMANDS = {
    "set": set_,
    "start": start,
    "done": done,
    "block": block,
    "close": close,
    "return": return_,
    "extend": extend,
    "attach": attach,
    "undo": undo,
}
GROUPS: dict[str, dict[str, object]] = {}
