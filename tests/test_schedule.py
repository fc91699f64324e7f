"""Pure queries: the fold, derived status, overdue and upcoming boundaries, the digest, undo."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xixin_cli.errors import RuleError
from xixin_cli.fold import ItemState, fold, states
from xixin_cli.model import Event, Plan, Status
from xixin_cli.plan_file import parse_plan
from xixin_cli.rules import Stamp, derived_status, undo, undo_target
from xixin_cli.schedule import EVERYTHING, DueRow, Filter, digest, phase_marks
from xixin_cli.schedule import overdue as overdue_on
from xixin_cli.schedule import upcoming as upcoming_on
from xixin_cli.workdays import build_calendar

from test_plan_file import SMALL

CALENDAR = build_calendar()


def overdue(
    plan: Plan, item_states: dict[str, ItemState], today: date, where: Filter = EVERYTHING
) -> list[DueRow]:
    """The query with the official calendar, as the session hands it."""
    return overdue_on(plan, item_states, today, CALENDAR, where)


def upcoming(
    plan: Plan,
    item_states: dict[str, ItemState],
    today: date,
    last_day: date,
    where: Filter = EVERYTHING,
) -> list[DueRow]:
    return upcoming_on(plan, item_states, today, last_day, CALENDAR, where)


CHINA = timezone(timedelta(hours=8))
T0 = datetime(2024, 1, 10, 9, 0, tzinfo=CHINA)


@pytest.fixture
def plan() -> Plan:
    # 4.1.1 is due 2024-03-31 (phase end), 4.1.2 is standing, 5.1.1 due 2024-02-29 (stated).
    return parse_plan(SMALL, "small.yaml")


def ev(
    n: int, item: str, status: Status, previous: Status = Status.TODO, undoes: str | None = None
) -> Event:
    return Event(f"e{n}", T0 + timedelta(minutes=n), item, status, previous, "clerk", "", undoes)


def test_fold_takes_the_last_event_of_each_item() -> None:
    events = [ev(1, "a", Status.DOING), ev(2, "b", Status.DONE), ev(3, "a", Status.BLOCKED)]
    assert {k: e.status for k, e in fold(events).items()} == {
        ("a", ""): Status.BLOCKED,
        ("b", ""): Status.DONE,
    }


@pytest.mark.parametrize(
    ("leaves", "expected"),
    [
        ([Status.TODO, Status.TODO], Status.TODO),
        ([Status.DONE, Status.TODO], Status.DOING),
        ([Status.DOING, Status.TODO], Status.DOING),
        ([Status.BLOCKED, Status.DONE], Status.BLOCKED),
        ([Status.DONE, Status.DROPPED], Status.DONE),
        ([Status.DROPPED, Status.DROPPED], Status.DROPPED),
        ([Status.DONE, Status.DONE], Status.DONE),
    ],
)
def test_a_parent_status_comes_from_its_leaves(leaves: list[Status], expected: Status) -> None:
    assert derived_status(leaves) is expected


def test_task_progress_counts_closed_leaves(plan: Plan) -> None:
    result = states(plan, fold([ev(1, "4.1.1", Status.DONE)]))
    task = result["4.1"]
    assert task.status is Status.DOING
    assert task.progress is not None and (task.progress.closed, task.progress.total) == (1, 2)
    assert result["4.1.1"].last is not None and result["4.1.1"].progress is None


def test_overdue_boundaries(plan: Plan) -> None:
    st = states(plan, fold([]))
    # 5.1.1 is due 2024-02-29.
    assert [r.state.item.id for r in overdue(plan, st, date(2024, 2, 29))] == []  # due today
    rows = overdue(plan, st, date(2024, 3, 1))
    assert [(r.state.item.id, r.days_overdue) for r in rows] == [("5.1.1", 1)]
    rows = overdue(plan, st, date(2024, 4, 2))
    assert [(r.state.item.id, r.days_overdue) for r in rows] == [("5.1.1", 33), ("4.1.1", 2)]
    # the standing 4.1.2 is never overdue, and tasks are not listed beside their actions
    assert all(r.state.item.id not in ("4.1.2", "4.1") for r in rows)


def test_closed_items_are_not_overdue(plan: Plan) -> None:
    st = states(plan, fold([ev(1, "5.1.1", Status.DONE), ev(2, "4.1.1", Status.DROPPED)]))
    assert overdue(plan, st, date(2025, 1, 1)) == []
    st = states(plan, fold([ev(1, "5.1.1", Status.BLOCKED)]))
    assert [r.state.item.id for r in overdue(plan, st, date(2025, 1, 1))] == ["5.1.1", "4.1.1"]


def test_upcoming_includes_both_ends_of_the_window(plan: Plan) -> None:
    st = states(plan, fold([]))
    rows = upcoming(plan, st, date(2024, 2, 29), date(2024, 3, 31))
    assert [(r.state.item.id, r.days) for r in rows] == [("5.1.1", 0), ("4.1.1", 31)]
    assert upcoming(plan, st, date(2024, 3, 1), date(2024, 3, 30)) == []


def test_filters(plan: Plan) -> None:
    st = states(plan, fold([]))
    later = date(2024, 4, 2)
    assert [r.state.item.id for r in overdue(plan, st, later, Filter(office="cun"))] == ["4.1.1"]
    assert overdue(plan, st, later, Filter(phase="nothing")) == []
    only_blocked = Filter(statuses=frozenset({Status.BLOCKED}))
    assert overdue(plan, st, later, only_blocked) == []


def test_phase_marks_in_a_window(plan: Plan) -> None:
    marks = phase_marks(plan, date(2024, 3, 25), date(2024, 4, 1))
    assert [(m.phase.key, m.edge, m.day) for m in marks] == [("one", "end", date(2024, 3, 31))]


def test_digest_counts_add_up_per_office(plan: Plan) -> None:
    st = states(plan, fold([ev(1, "4.1.2", Status.DONE)]))
    result = digest(plan, st, date(2024, 3, 27), CALENDAR)
    by_office = {o.key: o for o in result.offices}
    # dangqun: 5.1.1 red (overdue), 4.1.1 yellow (due in 4 days), 4.1.2 closed.
    d = by_office["dangqun"]
    assert (d.red, d.yellow, d.green, d.closed) == (1, 1, 0, 1)
    c = by_office["cun"]
    assert (c.red, c.yellow, c.green, c.closed) == (0, 1, 0, 1)
    assert [o.key for o in result.offices] == ["dangqun", "cun"]  # most overdue first
    assert (len(result.overdue), len(result.due_soon), result.open_total, result.closed_total) == (
        1,
        1,
        2,
        1,
    )


def test_undo_walks_back_like_an_editor(plan: Plan) -> None:
    a = ev(1, "4.1.1", Status.DOING)
    b = ev(2, "4.1.1", Status.DONE, Status.DOING)
    assert undo_target([a, b]) == [b]
    events = [a, b]
    [(u1, _)] = undo(
        plan, events, states(plan, fold(events)), lambda: Stamp(T0 + timedelta(hours=1), "u1", "x")
    )
    assert (u1.status, u1.previous, u1.undoes) == (Status.DOING, Status.DONE, "e2")
    events.append(u1)
    assert undo_target(events) == [a]
    [(u2, _)] = undo(
        plan, events, states(plan, fold(events)), lambda: Stamp(T0 + timedelta(hours=2), "u2", "x")
    )
    assert (u2.status, u2.previous, u2.undoes) == (Status.TODO, Status.DOING, "e1")
    events.append(u2)
    assert states(plan, fold(events))["4.1.1"].status is Status.TODO
    with pytest.raises(RuleError):
        undo(
            plan,
            events,
            states(plan, fold(events)),
            lambda: Stamp(T0 + timedelta(hours=3), "u3", "x"),
        )


def test_fold_does_not_depend_on_the_order_of_lines() -> None:
    early = ev(1, "a", Status.DONE)
    late = Event("z", early.at + timedelta(seconds=1), "a", Status.BLOCKED, Status.DONE, "other")
    assert fold([early, late])["a", ""] == fold([late, early])["a", ""] == late
    tie = Event("y", late.at, "a", Status.DOING, Status.DONE, "third")
    assert fold([late, tie])["a", ""] == fold([tie, late])["a", ""] == late  # the larger event id


@given(st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2099, 12, 31)))
def test_today_in_china_is_the_zone_databases_date(moment: datetime) -> None:
    """The fixed +08:00 gives Asia/Shanghai's date for any instant this tool deals with."""
    from zoneinfo import ZoneInfo

    from xixin_cli.dates import today_in_china

    instant = moment.replace(tzinfo=timezone.utc)
    assert today_in_china(instant) == instant.astimezone(ZoneInfo("Asia/Shanghai")).date()
