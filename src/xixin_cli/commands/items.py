"""Reading the plan: list, show, validate, evidence, history."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from xixin_cli.commands._options import (
    LIST_LIMIT,
    TABLE_LIMIT,
    AllOpt,
    AsOfOpt,
    JsonOpt,
    LimitOpt,
    OfficeOpt,
    PhaseOpt,
    StatusOpt,
    capped,
    day,
    session,
    settings,
)
from xixin_cli.fold import ItemState
from xixin_cli.results import Checklist, EvidenceList, History, ItemView, Lines, form
from xixin_cli.session import Session, item_filter, item_state, view


def list_(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = LIST_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
    as_of: AsOfOpt = None,
) -> Checklist:
    """The checklist: tasks and their actions, steps and measures (as they stood at the end
    of --as-of, when given)."""
    opened = session(ctx, as_of=day(ctx, as_of) if as_of is not None else None)
    where = item_filter(opened, office, phase, status)
    states = view(opened, where)
    shown = with_parents(states, [s for s in states.values() if where.keeps(s)])
    rows, hidden = (shown, 0) if as_json else capped(shown, limit, show_all)
    return Checklist(opened.plan, opened.lang, form(as_json), rows, hidden)


def with_parents(states: dict[str, ItemState], kept: Iterable[ItemState]) -> list[ItemState]:
    """The kept states in document order, with the tasks they belong to (for the tree)."""
    wanted = set()
    for state in kept:
        wanted.add(state.item.id)
        parent = state.item.parent
        while parent is not None:
            wanted.add(parent)
            parent = states[parent].item.parent
    return [state for item_id, state in states.items() if item_id in wanted]


def show(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    office: OfficeOpt = None,
    as_json: JsonOpt = False,
    as_of: AsOfOpt = None,
) -> ItemView:
    """One item whole: text, units, dates and their basis, source, and each unit's part; with
    --office, as that unit sees it (its own part; a task by its own actions); with --as-of,
    as it stood at the end of that day."""
    opened = session(ctx, as_of=day(ctx, as_of) if as_of is not None else None)
    state = item_state(opened, item_id)
    seen_by: tuple[str, ...] = ()
    if office:
        from xixin_cli.session import ALL_UNITS
        from xixin_cli.session import office as office_key

        state = _as_unit_sees(opened, state, office)
        if not any(value.strip().lower() in ALL_UNITS for value in office):
            seen_by = tuple(filter(None, (office_key(opened.plan, v, opened.lang) for v in office)))
    return ItemView(opened.plan, opened.lang, form(as_json), state, seen_by, opened.name)


def _as_unit_sees(opened: Session, state: ItemState, office: list[str]) -> ItemState:
    """The item as the units `--office` names see it; a usage error naming the item's units
    when none of them is one."""
    from xixin_cli.fold import leaf_state
    from xixin_cli.session import ALL_UNITS, parts_for

    if any(value.strip().lower() in ALL_UNITS for value in office):
        return state  # every unit's: the item whole, a task as a leaf
    if state.parts:  # a leaf: those units' own parts (a group: its members')
        chosen = parts_for(opened, state, office)
        return leaf_state(state.item, [part for part in state.parts if part.office in chosen])
    found = view(opened, item_filter(opened, office)).get(state.item.id)
    if found is None:
        from xixin_cli.errors import UsageError
        from xixin_cli.i18n import join

        names = join(opened.plan.office_names(state.item), opened.lang)
        raise UsageError(
            "usage.office_not_on_item",
            office=join(office, opened.lang),
            item=state.item.id,
            offices=names,
        )
    return found


def validate(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(metavar="[PATH]")] = None,
) -> Lines:
    """Check a plan file and report every problem found; in a workspace of several plans,
    each of them."""
    from xixin_cli.errors import PlanError, Problem
    from xixin_cli.i18n import message
    from xixin_cli.paths import named_plan, plan_path, workspace, workspace_plans
    from xixin_cli.plan_file import load_plan
    from xixin_cli.session import plan_language

    given = settings(ctx)
    folder = workspace()
    if path is None and not given.plan and folder is not None and named_plan(None) is None:
        targets = [entry.path for entry in workspace_plans(folder)] or [plan_path(None)]
    else:
        targets = [path if path is not None else plan_path(given.plan)]
    lines: list[str] = []
    problems: list[Problem] = []
    for target in targets:
        try:
            plan = load_plan(target)
        except PlanError as error:
            problems += error.problems
            continue
        leaves = sum(1 for item in plan.items if plan.is_leaf(item.id))
        lines.append(
            message(
                "validate.ok",
                plan_language(given, plan),
                path=str(target),
                items=len(plan.items),
                leaves=leaves,
                offices=len(plan.offices),
                phases=len(plan.phases),
            )
        )
    if problems:
        raise PlanError(problems)
    return Lines(out=lines)


def evidence(
    ctx: typer.Context,
    missing: Annotated[bool, typer.Option("--missing")] = False,
    office: OfficeOpt = None,
    as_json: JsonOpt = False,
) -> EvidenceList:
    """What evidence each item has; --missing lists each done or closed part that has none."""
    from xixin_cli.schedule import leaves, without_evidence

    opened = session(ctx)
    where = item_filter(opened, office)
    states = view(opened, where)
    rows = (without_evidence if missing else leaves)(opened.plan, states, where)
    return EvidenceList(opened.plan, opened.lang, form(as_json), rows)


def history(
    ctx: typer.Context,
    item_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None,
    limit: LimitOpt = TABLE_LIMIT,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> History:
    """The trail of changes, newest first."""
    from xixin_cli import log_index
    from xixin_cli.fold import order_key
    from xixin_cli.rules import undone_ids
    from xixin_cli.session import logs_read
    from xixin_cli.status_log import read_logs

    opened = session(ctx)
    if item_id is not None:
        from xixin_cli.session import plain_id

        item_id = plain_id(opened, item_id)
    sources = logs_read(opened)
    if item_id is None:
        found = read_logs(sources)[0]  # the whole trail
        undos = [event for event in found if event.undoes is not None]
    else:  # one item's records, through the logs' index
        found = log_index.select(sources, log_index.for_item(item_id))
        if opened.plan.get(item_id) is None and not found:
            item_state(opened, item_id)  # raises with a did-you-mean
        undos = list(log_index.select(sources, log_index.undos()))
    events = sorted(found, key=order_key, reverse=True)
    rows, hidden = (events, 0) if as_json else capped(events, limit, show_all)
    undone = frozenset(undone_ids(undos))
    return History(opened.plan, opened.lang, form(as_json), rows, hidden, undone)


COMMANDS = {
    "list": list_,
    "show": show,
    "validate": validate,
    "evidence": evidence,
    "history": history,
}
GROUPS: dict[str, dict[str, object]] = {}
