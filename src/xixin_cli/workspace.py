"""A workspace of plans: the office's folder (`xixin init`) holding any number of plans, each
with its own status log (pure, but for reading the folder's listing).

    洗新乡督办/
      .xixin                       the mark
      plan.yaml                    the plan `init` writes (named "plan"); a folder made before
      plan.status.jsonl            workspaces held only this, and keeps working as it was
      plans/minzu.yaml             each plan `plan add` adds, by name
      plans/minzu.status.jsonl     and its log beside it

Views that cover every plan (`overdue`, `upcoming`, `remind`, `board`, `plan list`) open each;
commands about an item (`done minzu:5.3.1`) open the one plan that has it (`session.py`).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xixin_cli.errors import UsageError
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.fold import ItemState
    from xixin_cli.model import Plan
    from xixin_cli.workdays import Calendar

#: What a plan's name may be: it is a file name and the qualifier of an id (`minzu:5.3.1`).
NAME = re.compile(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,39}")


def new_name(given: str | None, source: Path, taken: set[str]) -> str:
    """The name a plan is added under: `--name`, else the file's stem; a name another plan of
    the workspace has, or one that is no file name, is refused (UsageError)."""
    name = given if given is not None else source.stem
    if not NAME.fullmatch(name) or name.lower().endswith(".status"):
        raise UsageError("usage.bad_plan_name", value=name)
    if name in taken:
        raise UsageError("usage.plan_name_taken", value=name)
    return name


class PlanSummary(NamedTuple):
    """One plan of a workspace, as `plan list` shows it."""

    name: str
    path: str
    number: str
    title: str
    leaves: int  # checkable items, occurrences of recurring ones included
    closed: int  # done, closed out or dropped
    overdue: int  # open leaves past their due date


def summary(
    name: str, plan: Plan, states: dict[str, ItemState], today: date, calendar: Calendar
) -> PlanSummary:
    """A plan's progress as of `today`."""
    from xixin_cli.schedule import leaves, once_each, overdue

    kept = leaves(plan, states)
    closed = sum(1 for state in kept if not state.status.is_open)
    late = len(once_each(overdue(plan, states, today, calendar)))
    return PlanSummary(
        name, plan.path, plan.document.number, plan.document.title, len(kept), closed, late
    )
