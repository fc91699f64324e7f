"""Recording changes: set, start, done, block, close, return, extend, attach, undo.

Every change goes the same way: open the log it is recorded into, find the parts it is for
(`--office`; the only one on an item with one unit), ask the rules for each part's record
(`rules.py`), append them (`session.append`), and confirm each on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from xixin_cli import rules
from xixin_cli.commands._options import (
    ByOpt,
    IdArg,
    NoteOpt,
    ReasonOpt,
    chosen,
    day,
    session,
    settings,
)
from xixin_cli.dates import today_in_china
from xixin_cli.errors import RuleError
from xixin_cli.fold import ItemState, part_view
from xixin_cli.i18n import join, message, status_label
from xixin_cli.model import Event, EventKind, Status
from xixin_cli.results import Lines
from xixin_cli.session import (
    Session,
    item_state,
    note,
    on_day,
    parts_for,
    record,
    recorder,
    stamper,
    stood_on,
)
from xixin_cli.session import note as note_text
from xixin_cli.session import status as parse_status

#: --office on a recording command: whose part it is (repeatable; `all` for every unit).
UnitsOpt = Annotated[list[str] | None, typer.Option("--office")]
#: --on: the day the change happened, when it is recorded later.
OnOpt = Annotated[str | None, typer.Option("--on", metavar="DATE")]

#: A rule that makes one part's records: (the part's state, a stamp maker) -> the records
#: (none when nothing would change).
Rule = Callable[[ItemState, Callable[[], rules.Stamp]], list[Event]]

Made = list[tuple[str, ItemState, list[Event]]]


def _record(
    ctx: typer.Context,
    item_ids: Sequence[str],
    units: Sequence[str] | None,
    who: str,
    on: str | None,
    rule: Rule,
) -> tuple[Session, list[tuple[ItemState, Made]]]:
    """Find each item's parts and record each part's records as `rule` makes them: all of
    them or none. What is typed is checked first; the rules are asked once the log is locked,
    against the log as it is then, and every rule is checked before anything is appended."""
    opened = session(ctx, write=True)
    for item_id in item_ids:
        rules.check_leaf(opened.plan, item_state(opened, item_id).item.id)
    happened = on_day(on, opened.plan)
    stamp = stamper(who, happened)
    made: list[tuple[ItemState, Made]] = []

    def decide(fresh: Session) -> list[Event]:
        made[:] = []
        # A change said to have happened on an earlier day is decided against the parts as
        # they stood at the end of that day (it counts after that day's changes): its
        # `previous`, whether it changes anything, whether a close-out or a return may be.
        named = {item_state(fresh, item_id).item.id: None for item_id in item_ids}
        stood = stood_on(fresh, happened, list(named))
        for item_id in named:
            current, before = item_state(fresh, item_id), stood[item_id]
            mine: Made = []
            refused: list[tuple[str, RuleError]] = []  # parts that cannot be closed or returned
            offices = parts_for(fresh, current, units or ())
            for office in offices:
                view = part_view(current, office)  # as it stands: what the notices say
                then = part_view(before, office)  # as it stood on the change's day
                try:
                    mine.append((office, view, rule(then, stamp)))
                except RuleError as error:
                    if error.code not in rules.NOT_REVIEWABLE.values():
                        raise
                    if error.code == "usage.not_closable" and _applies_not(then, offices):
                        mine.append((office, view, []))  # closed with the rest: nothing to do
                        continue
                    refused.append((office, error))
            if refused:
                raise _not_reviewable(fresh, current, refused, happened)
            made.append((current, mine))
        return [event for _, mine in made for _, _, events in mine for event in events]

    record(opened, decide)
    return opened, made


def _status_change(
    ctx: typer.Context,
    item_ids: Sequence[str],
    wanted: Status | None,
    text: str | None,
    by: str | None,
    units: Sequence[str] | None,
    on: str | None = None,
) -> Lines:
    """Record a status for a leaf's parts (`wanted` None: send them back, `text` the reason)."""
    who, said = recorder(by), note(text)

    def rule(view: ItemState, stamp: Callable[[], rules.Stamp]) -> list[Event]:
        if wanted is None:
            event = rules.send_back(view, stamp(), said)
        elif wanted is Status.CLOSED:
            event = rules.close(view, stamp(), said)
        else:
            event = rules.change(view, wanted, stamp(), said)
        return [event] if event is not None else []

    opened, made = _record(ctx, item_ids, units, who, on, rule)
    lang = opened.lang
    lines = []
    for state, mine in made:
        for office, view, events in mine:
            where = _unit(opened, state, office)
            if not events:
                target = status_label(wanted or Status.DOING, lang)
                item = state.item.id + where
                if wanted is Status.CLOSED and view.status is Status.DROPPED:
                    lines.append(message("close.not_applicable", lang, item=item))
                    continue
                lines.append(message("unchanged", lang, item=item, status=target))
            lines += [_changed("recorded", opened, event, where) for event in events]
            lines += [_shadowed(lang, state.item.id + where, view, e) for e in events]
    return Lines(notices=[line for line in lines if line])


def _shadowed(
    lang: str, item: str, view: ItemState, event: Event, code: str = "recorded.shadowed"
) -> str:
    """A word when a change said to have happened earlier (`--on`), or the undo of one,
    leaves the status as it stands: the part's latest change counts after it; "" otherwise."""
    from xixin_cli.fold import happened_on, order_key

    last = view.last
    if last is None or order_key(last) <= order_key(event):
        return ""
    day = happened_on(last).isoformat()
    return message(code, lang, item=item, day=day, status=status_label(view.status, lang))


def _applies_not(view: ItemState, offices: Sequence[str]) -> bool:
    """A part marked 不适用, or closed out already, among several closed out at once: the item
    is closed when every part that applies is, so that one is passed over (and said so), not
    a refusal of them all."""
    return view.status in (Status.DROPPED, Status.CLOSED) and len(offices) > 1


def _not_reviewable(
    opened: Session,
    state: ItemState,
    refused: Sequence[tuple[str, RuleError]],
    happened: date | None = None,
) -> RuleError:
    """The refusal of a close-out or a return, naming each part that cannot be, with its own
    status (an item's status is its parts' together: it need not be any one part's); for a
    change said to have happened on an earlier day (`happened`), the status it had then."""
    (office, error), lang = refused[0], opened.lang
    if len(refused) == 1:
        params = {**error.params, "value": state.item.id + _unit(opened, state, office)}
        if happened is not None and happened < today_in_china():
            now = status_label(part_view(state, office).status, lang)
            return RuleError(f"{error.code}_on", **params, day=happened.isoformat(), now=now)
        return RuleError(error.code, **params)
    if len(refused) == len(state.parts) and len({e.params["status"] for _, e in refused}) == 1:
        return error  # every part, each in the one status the item shows
    parts = join(
        [
            message(
                "fmt.paren",
                lang,
                text=opened.plan.unit_name(key),
                inner=status_label(part.params["status"], lang),
            )
            for key, part in refused
        ],
        lang,
    )
    code = {"usage.not_closable": "usage.parts_not_closable"}.get(error.code)
    return RuleError(code or "usage.parts_not_returnable", item=state.item.id, parts=parts)


def _unit(opened: Session, state: ItemState, office: str) -> str:
    """「［乡民政办］」 after the item id, where the item has several units."""
    if len(state.parts) < 2 or office not in opened.plan.offices:
        return ""
    return message("part_mark", opened.lang, office=opened.plan.offices[office].name)


def _changed(code: str, opened: Session, event: Event, where: str = "") -> str:
    item = opened.plan.get(event.item)
    lang = opened.lang
    return message(
        code,
        lang,
        item=event.item + where,
        title=item.title if item else "",
        previous=status_label(event.previous, lang),
        status=status_label(event.status, lang),
    )


StatusArg = Annotated[str, typer.Argument(metavar="STATUS")]
#: Several items at once (`done 4.1.1 4.1.3`): all of them are recorded, or none.
IdsArg = Annotated[list[str], typer.Argument(metavar="ID...")]


def set_(
    ctx: typer.Context,
    item_id: IdArg,
    status: StatusArg,
    note: NoteOpt = None,
    by: ByOpt = None,
    units: UnitsOpt = None,
    on: OnOpt = None,
) -> Lines:
    """Record a status change (appended to the status log)."""
    return _status_change(ctx, [item_id], parse_status(status), note, by, units, on)


def _marking(status: Status, summary: str) -> Callable[..., Lines]:
    """A command that records one status for items' parts (start, done, block, close)."""

    def mark(
        ctx: typer.Context,
        item_ids: IdsArg,
        note: NoteOpt = None,
        by: ByOpt = None,
        units: UnitsOpt = None,
        on: OnOpt = None,
    ) -> Lines:
        return _status_change(ctx, item_ids, status, note, by, units, on)

    mark.__doc__ = summary
    return mark


start = _marking(Status.DOING, "Mark items in progress.")
done = _marking(Status.DONE, "Mark items done.")
block = _marking(Status.BLOCKED, "Mark items blocked.")
close = _marking(Status.CLOSED, "Close out done items after review (销号).")


def return_(
    ctx: typer.Context,
    item_ids: IdsArg,
    reason: ReasonOpt,
    by: ByOpt = None,
    units: UnitsOpt = None,
    on: OnOpt = None,
) -> Lines:
    """Send a done or closed item back for more work (退回), with the reason."""
    return _status_change(ctx, item_ids, None, reason, by, units, on)


def extend(
    ctx: typer.Context,
    item_id: IdArg,
    to: Annotated[str, typer.Option("--to", metavar="DATE")],
    reason: ReasonOpt,
    by: ByOpt = None,
    units: UnitsOpt = None,
    on: OnOpt = None,
) -> Lines:
    """Record an approved extension (延期): the item's new due date and why."""
    new_due = day(ctx, to, "--to")
    who, why = recorder(by), note(reason)

    was: dict[str, date | None] = {}  # each record's part's due date on the change's day

    def rule(view: ItemState, stamp: Callable[[], rules.Stamp]) -> list[Event]:
        event = rules.extension(view, new_due, stamp(), why)
        was[event.event_id] = view.due  # the rule made sure there is one
        return [event]

    opened, [(state, made)] = _record(ctx, [item_id], units, who, on, rule)
    lines = []
    for office, view, events in made:
        where = item_id + _unit(opened, state, office)
        after = new_due.isoformat()
        before = str(was[events[0].event_id])
        lines.append(message("extended", opened.lang, item=where, before=before, after=after))
        lines.append(_due_shadowed(opened.lang, where, view, events[0]))
    return Lines(notices=[line for line in lines if line])


def _due_shadowed(
    lang: str, item: str, view: ItemState, event: Event, code: str = "recorded.extend_shadowed"
) -> str:
    """A word when an extension said to have happened earlier (`--on`), or the undo of one,
    leaves the due date as it stands: the part's latest extension counts after it."""
    from xixin_cli.fold import happened_on, order_key

    latest = view.extension
    if latest is None or order_key(latest) <= order_key(event):
        return ""
    day = happened_on(latest).isoformat()
    return message(code, lang, item=item, day=day, due=str(view.due))


def attach(
    ctx: typer.Context,
    item_id: IdArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...")],
    note: NoteOpt = None,
    by: ByOpt = None,
    units: UnitsOpt = None,
    on: OnOpt = None,
    no_copy: Annotated[bool, typer.Option("--no-copy")] = False,
) -> Lines:
    """Record evidence files (佐证材料) for an item: path, size and SHA-256; a copy of each is
    kept beside the status log (by its SHA-256) unless --no-copy, so it travels with merges."""
    from xixin_cli.evidence import Fingerprint, fingerprint, keep_copy, store_of
    from xixin_cli.session import written_log

    text, who = note_text(note), recorder(by)
    prints = [fingerprint(path) for path in files]  # every file checked before any is recorded
    store = None if no_copy else store_of(written_log(chosen(ctx)).path)  # the id's plan's log
    kept: list[Fingerprint] = []

    def copies() -> list[Fingerprint]:
        """The files as the records name them: copied into the store (the record names
        exactly the bytes kept) once the item, its units and the day are known to be right,
        under the log's lock, once: a refused attach left its copies in the store."""
        if not kept:
            kept[:] = prints if store is None else [keep_copy(store, path) for path in files]
        return kept

    def rule(view: ItemState, stamp: Callable[[], rules.Stamp]) -> list[Event]:
        return [rules.evidence(view, *found, stamp(), text) for found in copies()]

    opened, [(state, made)] = _record(ctx, [item_id], units, who, on, rule)
    lines = [
        message(
            "attached",
            opened.lang,
            item=item_id + _unit(opened, state, office),
            path=event.path,
            size=event.size,
        )
        for office, _, events in made
        for event in events
    ]
    return Lines(notices=lines)


def detach(
    ctx: typer.Context,
    item_id: IdArg,
    which: Annotated[str, typer.Argument(metavar="FILE")],
    note: NoteOpt = None,
    by: ByOpt = None,
    units: UnitsOpt = None,
    on: OnOpt = None,
) -> Lines:
    """Withdraw evidence recorded by mistake; the record of it stays in the history."""
    text, who = note_text(note), recorder(by)

    def rule(view: ItemState, stamp: Callable[[], rules.Stamp]) -> list[Event]:
        return rules.detach(view, which, stamp(), text)

    opened, [(state, made)] = _record(ctx, [item_id], units, who, on, rule)
    return Lines(
        notices=[
            message(
                "detached",
                opened.lang,
                item=item_id + _unit(opened, state, office),
                path=event.path,
            )
            for office, _, events in made
            for event in events
        ]
    )


def undo(
    ctx: typer.Context,
    event_id: Annotated[str | None, typer.Argument(metavar="[EVENT]")] = None,
    by: ByOpt = None,
) -> Lines:
    """Revert the latest change (or the one EVENT names) by appending records; nothing is
    deleted."""
    from xixin_cli.identity import writer_id
    from xixin_cli.session import choose_plan_to_undo

    who = recorder(by)
    from xixin_cli.log_index import undo_events

    given = settings(ctx)
    chosen = choose_plan_to_undo(given, writer_id(), event_id or "")
    if chosen is not given:  # the workspace plan whose log holds the change
        ctx.find_root().obj = chosen
    opened = session(ctx, write=True)
    made: list[tuple[Event, Event]] = []
    stamp = stamper(who)

    def decide(fresh: Session) -> list[Event]:
        writer, which = writer_id(), event_id or ""
        events = undo_events([fresh.state.path], writer, which)  # what the undo needs, indexed
        made[:] = rules.undo(fresh.plan, events, fresh.states, stamp, writer=writer, which=which)
        return [revert for revert, _ in made]

    record(opened, decide)
    lines = []
    for revert, target in made:
        lines.append(_undone(opened, revert, target))
        state = opened.states.get(revert.item)
        if revert.on is not None and state is not None:
            where = state.item.id + _unit(opened, state, revert.office)
            view = part_view(state, revert.office) if revert.office else state
            if revert.kind is EventKind.STATUS:
                lines.append(_shadowed(opened.lang, where, view, revert, "undone.shadowed"))
            elif revert.kind is EventKind.EXTEND:
                shadowed = _due_shadowed(opened.lang, where, view, revert, "undone.extend_shadowed")
                lines.append(shadowed)
    return Lines(notices=[line for line in lines if line])


def _undone(opened: Session, revert: Event, target: Event) -> str:
    """What a revert put back, in words."""
    lang = opened.lang
    state = opened.states.get(revert.item)
    where = _unit(opened, state, revert.office) if state is not None else ""
    if revert.kind is EventKind.STATUS:
        return _changed("undone", opened, revert, where)
    if revert.kind is EventKind.EXTEND:
        item = opened.plan.get(revert.item)
        original = item.due if item is not None else None
        after, before = revert.due or original, target.due or original  # None: the original
        return message(
            "undone.extend",
            lang,
            item=revert.item + where,
            before=str(before) if before is not None else message("standing", lang),
            after=str(after) if after is not None else message("standing", lang),
        )
    code = "undone.detach" if revert.kind is EventKind.DETACH else "undone.attach"
    if revert.kind is EventKind.EVIDENCE is target.kind:  # recorded twice: the first stands
        code = "undone.attach_again"
    return message(code, lang, item=revert.item + where, path=revert.path)


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
    "detach": detach,
}
GROUPS: dict[str, dict[str, object]] = {}
