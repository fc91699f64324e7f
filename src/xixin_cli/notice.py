"""督查通报: the notice to all units — overall figures with percentages, the units ranked by
their on-time rate, the lagging units named with their items, and 工作要求 to edit (pure; the
blocks render to markdown, text or Word like every report's)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from xixin_cli.fold import ItemState, happened_on
from xixin_cli.i18n import message
from xixin_cli.model import Plan, Status
from xixin_cli.report import Block
from xixin_cli.schedule import EVERYTHING, Filter, due_rows, leaves, own_parts
from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.workdays import Calendar

#: Days the lagging units are given to report what they have put right.
FIX_DAYS = 7


class Standing(NamedTuple):
    """One unit's record for the notice: its parts, those due by now, done on time, overdue."""

    key: str
    name: str
    total: int
    done: int
    due: int  # parts with a due date on or before the day, that apply
    on_time: int  # of those, done or closed by their due date
    late: int  # open and past their due date

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def _pct(n: int, of: int) -> str:
    return f"{100 * n / of:.1f}%" if of else "—"


def standing(key: str, name: str, mine: Sequence[ItemState], today: date) -> Standing:
    """A unit's figures from its own parts (each a one-part leaf state)."""
    counted = [s for s in mine if s.status is not Status.DROPPED]
    done = [s for s in counted if s.status in (Status.DONE, Status.CLOSED)]
    due = [s for s in counted if s.due is not None and s.due <= today]
    on_time = [
        s
        for s in due
        if s.status in (Status.DONE, Status.CLOSED)
        and s.last is not None
        and s.due is not None
        and happened_on(s.last) <= s.due
    ]
    late = [s for s in counted if s.status.is_open and s.due is not None and s.due < today]
    return Standing(key, name, len(counted), len(done), len(due), len(on_time), len(late))


def notice(
    plan: Plan,
    item_states: dict[str, ItemState],
    lang: str,
    today: date,
    calendar: Calendar,
    where: Filter = EVERYTHING,
) -> list[Block]:
    """The notice's blocks, as of `today`."""
    document = plan.document
    kept = leaves(plan, item_states, where)
    units = own_parts(plan, kept, where)  # a group with members: its members are ranked
    parts = [state for mine in units.values() for state in mine]
    counts = {status: sum(1 for s in parts if s.status is status) for status in Status}
    applies = len(parts) - counts[Status.DROPPED]
    done = counts[Status.DONE] + counts[Status.CLOSED]
    late = sum(1 for s in parts if s.status.is_open and s.due is not None and s.due < today)
    blocks = [
        Block(
            "h1",
            message("notice.title", lang, title=document.title),
        ),
        Block(
            "para", message("notice.opening", lang, title=document.title, number=document.number)
        ),
        Block("h2", message("notice.overall", lang)),
        Block(
            "para",
            message(
                "notice.figures",
                lang,
                date=today.isoformat(),
                total=applies,
                done=done,
                done_pct=_pct(done, applies),
                doing=counts[Status.DOING],
                doing_pct=_pct(counts[Status.DOING], applies),
                blocked=counts[Status.BLOCKED],
                todo=counts[Status.TODO],
                late=late,
                late_pct=_pct(late, applies),
            ),
        ),
        Block("h2", message("notice.ranking", lang)),
    ]
    ranked = sorted(
        (standing(key, plan.offices[key].name, mine, today) for key, mine in units.items()),
        key=lambda s: (s.rate is None, -(s.rate or 0.0), s.late, -s.done),
    )
    header = tuple(
        message(f"notice.col_{key}", lang)
        for key in ("rank", "office", "total", "done", "due", "rate", "late")
    )
    rows = [header]
    for number, one in enumerate(ranked, start=1):
        rows.append(
            (
                str(number),
                one.name,
                str(one.total),
                str(one.done),
                str(one.due),
                _pct(one.on_time, one.due),
                str(one.late),
            )
        )
    blocks.append(Block("table", rows=tuple(rows)))
    blocks.append(Block("para", message("notice.rate_means", lang)))
    blocks.append(Block("h2", message("notice.lagging", lang)))
    lagging = [one for one in ranked if one.late]
    lagging.sort(key=lambda s: -s.late)
    for one in lagging:
        blocks.append(Block("h3", message("notice.unit_late", lang, office=one.name, n=one.late)))
        for row in due_rows(units[one.key], today, calendar, lambda due: due < today):
            item = row.state.item
            blocks.append(
                Block(
                    "item",
                    message(
                        "notice.late_item",
                        lang,
                        id=item.id,
                        title=item.title,
                        due=str(row.state.due),
                        n=row.days_overdue,
                    ),
                )
            )
    if not lagging:
        blocks.append(Block("para", message("notice.none_late", lang)))
    blocks.append(Block("h2", message("notice.requirements", lang)))
    fix_by = (today + timedelta(days=FIX_DAYS)).isoformat()
    for n in (1, 2, 3):
        blocks.append(Block("para", message(f"notice.require_{n}", lang, date=fix_by)))
    return blocks
