"""Tests that bite (issue #22): the fold's order with ids that do not sort in time order, the
fold independent of line order and of event-id order, the digest's colour of an item due on
the day itself, and a line break inside a markdown checklist item."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xixin_cli.errors import LaterChanges, RuleError
from xixin_cli.export import markdown_checklist, md_escape
from xixin_cli.fold import (
    Folded,
    ItemState,
    evidence_now,
    fold,
    fold_evidence,
    fold_extensions,
    happened_on,
    order_key,
    part_view,
    states,
)
from xixin_cli.model import Event, EventKind, Plan, Status
from xixin_cli.plan_file import parse_plan
from xixin_cli.rules import (
    Stamp,
    by_command,
    check_leaf,
    close,
    command_of,
    derived_status,
    detach,
    evidence,
    extension,
    send_back,
    undo_target,
    undone_ids,
)
from xixin_cli.rules import change as rule_change
from xixin_cli.schedule import digest, overdue, upcoming
from xixin_cli.workdays import Calendar

from test_plan_file import SMALL

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2024, 1, 10, 9, 0, tzinfo=CHINA)
#: Every day of 2024 a working day: the counts below are calendar days, checkable by eye.
EVERY_DAY = Calendar(date(2024, 1, 1), bytes([1]) * 366)


@pytest.fixture
def plan() -> Plan:
    # 4.1.1 is due 2024-03-31 (phase end), 4.1.2 is standing, 5.1.1 due 2024-02-29 (stated).
    return parse_plan(SMALL, "small.yaml")


def change(event_id: str, minutes: float, status: Status, item: str = "a", **more: Any) -> Event:
    at = T0 + timedelta(minutes=minutes)
    return Event(event_id, at, item, status, Status.TODO, "clerk")._replace(**more)


def test_the_later_change_stands_though_its_id_sorts_first() -> None:
    early = change("zz-early", 0, Status.DONE)
    late = change("aa-late", 5, Status.BLOCKED)
    for order in ([early, late], [late, early]):
        assert fold(order)["a", ""] is late
    assert order_key(early) < order_key(late)


def test_an_exact_tie_is_settled_by_the_larger_event_id_in_any_order() -> None:
    one = change("b", 0, Status.DONE)
    other = change("a", 0, Status.BLOCKED)
    assert fold([one, other])["a", ""] is one and fold([other, one])["a", ""] is one


def test_a_change_recorded_later_counts_at_the_end_of_the_day_it_happened() -> None:
    # Written on the 12th, saying it happened on the 11th: after a change made on the 11th at
    # noon, before one made on the 12th at 08:00 (before it was written).
    back = change("x", 60 * 48, Status.DONE, on=date(2024, 1, 11))
    noon = Event(
        "y", datetime(2024, 1, 11, 12, tzinfo=CHINA), "a", Status.BLOCKED, Status.TODO, "c"
    )
    morning = Event(
        "w", datetime(2024, 1, 12, 8, tzinfo=CHINA), "a", Status.DOING, Status.TODO, "c"
    )
    assert fold([back, noon])["a", ""] is back and fold([noon, back])["a", ""] is back
    assert fold([back, morning])["a", ""] is morning and fold([morning, back])["a", ""] is morning
    end = order_key(back)[0]
    assert (end.date(), end.hour, end.minute, end.utcoffset()) == (
        date(2024, 1, 11),
        23,
        59,
        timedelta(hours=8),
    )
    # Two changes said to have happened on one day: the one written later stands.
    later = change("a0", 60 * 72, Status.BLOCKED, on=date(2024, 1, 11))
    assert fold([later, back])["a", ""] is later and fold([back, later])["a", ""] is later


def test_the_day_a_change_happened_is_chinas() -> None:
    late_evening_utc = datetime(2024, 1, 10, 17, tzinfo=timezone.utc)  # 01:00 on the 11th
    event = Event("e", late_evening_utc, "a", Status.DONE, Status.TODO, "c")
    assert happened_on(event) == date(2024, 1, 11)
    assert happened_on(event._replace(on=date(2024, 1, 3))) == date(2024, 1, 3)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
    st.one_of(st.just(8 * 60), st.integers(min_value=-14 * 60, max_value=14 * 60)),
)
def test_the_day_a_change_happened_whatever_its_offset(moment: datetime, minutes: int) -> None:
    """Any offset, +08:00 itself (whose own date is China's) among them: the day in China."""
    at = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    event = Event("e", at, "a", Status.DONE, Status.TODO, "c")
    assert happened_on(event) == (at - at.utcoffset() + timedelta(hours=8)).date()  # type: ignore[operator]


ids = st.text("abcdefxyz0123456789-", min_size=1, max_size=6)
histories = st.lists(
    st.tuples(
        ids,
        st.sampled_from(["a", "b"]),
        st.sampled_from(["", "dangqun"]),
        st.sampled_from(list(Status)),
        st.integers(0, 4),  # few minutes: changes at the very same time are common
        st.sampled_from([None, date(2024, 1, 9), date(2024, 1, 10)]),
    ),
    max_size=12,
    unique_by=lambda entry: entry[0],
)


def _events(entries: list[tuple[str, str, str, Status, int, date | None]]) -> list[Event]:
    return [
        Event(eid, T0 + timedelta(minutes=m), item, status, Status.TODO, "c", office=unit, on=on)
        for eid, item, unit, status, m, on in entries
    ]


@settings(max_examples=150, deadline=None)
@given(histories, st.randoms(use_true_random=False))
def test_the_fold_does_not_depend_on_line_order_nor_on_event_id_order(
    entries: list[tuple[str, str, str, Status, int, date | None]], rnd: random.Random
) -> None:
    events = _events(entries)
    shuffled = rnd.sample(events, len(events))
    folded = fold(events)
    assert fold(shuffled) == folded

    # The reference, written out apart from the code: per part, the greatest (time it counts,
    # time written, id); a change said to have happened on a day counts at that day's end.
    def counts(event: Event) -> tuple[datetime, datetime, str]:
        end = datetime.combine(event.on, time.max, tzinfo=CHINA) if event.on else event.at
        return (end, event.at, event.event_id)

    expected: dict[tuple[str, str], Event] = {}
    for event in events:
        key = (event.item, event.office)
        if key not in expected or counts(event) > counts(expected[key]):
            expected[key] = event
    assert folded == expected
    # Ids renamed so their order is the reverse of what it was: only exact ties can change.
    names = sorted({e.event_id for e in events})
    renamed = dict(zip(names, reversed(names), strict=True))
    flipped = [e._replace(event_id=renamed[e.event_id]) for e in events]
    for key, event in fold(flipped).items():
        assert counts(event)[:2] == counts(folded[key])[:2]
    # Folded in two pieces, the second on top of the first: the same.
    cut = rnd.randint(0, len(events))
    assert fold(shuffled[cut:], into=fold(shuffled[:cut])) == folded


def test_extensions_and_evidence_fold_by_time_too() -> None:
    first = change("z", 0, Status.TODO, kind=EventKind.EXTEND, due=date(2024, 5, 1))
    second = change("a", 1, Status.TODO, kind=EventKind.EXTEND, due=date(2024, 6, 1))
    assert fold_extensions([second, first])["a", ""] is second
    assert fold([first, second]) == {}
    photo = change("p", 2, Status.TODO, kind=EventKind.EVIDENCE, path="/x", sha256="1" * 64)
    gone = change("d", 3, Status.TODO, kind=EventKind.DETACH, path="/x", sha256="1" * 64)
    again = change("b", 4, Status.TODO, kind=EventKind.EVIDENCE, path="/x", sha256="1" * 64)
    found = fold_evidence([again, gone, photo, photo])
    assert found == {("a", ""): (photo, gone, again)}
    assert evidence_now(found["a", ""]) == (again,)
    assert evidence_now([photo, gone]) == ()
    assert evidence_now([gone, photo]) == ()  # withdrawn after, though the line came first
    other = photo._replace(event_id="q", sha256="2" * 64)
    assert evidence_now([other, photo]) == (photo, other)


def test_folding_more_keeps_the_latest_times_and_the_count() -> None:
    first = change("a", 0, Status.DOING, on=date(2024, 1, 2))
    second = change("b", 30, Status.DONE)
    folded = Folded.empty().more((first,), ()).more((second,), ())
    assert folded.total == 2 and folded.last == {("a", ""): second}
    assert folded.latest == second.at and folded.latest_on == date(2024, 1, 2)
    assert folded.settled_by(date(2024, 1, 10)) and not folded.settled_by(date(2024, 1, 9))
    back = Folded.empty().more((change("c", 0, Status.DONE, on=date(2024, 1, 20)),), ())
    assert not back.settled_by(date(2024, 1, 19)) and back.settled_by(date(2024, 1, 20))
    assert Folded.empty().settled_by(date(1900, 1, 1))
    assert set(folded.kept()) == {second}


# -- the digest: an item due on the day itself -----------------------------------------------------


def test_an_item_due_today_is_yellow_not_red(plan: Plan) -> None:
    item_states = states(plan, {})
    due = date(2024, 2, 29)  # 5.1.1's stated day
    today = digest(plan, item_states, due, EVERY_DAY)
    assert [r.state.item.id for r in today.overdue] == []
    assert [(r.state.item.id, r.days) for r in today.due_soon] == [("5.1.1", 0)]
    unit = next(t for t in today.offices if t.key == "dangqun")
    assert (unit.red, unit.yellow) == (0, 1)
    assert unit.worst is not None and unit.worst.days == 0
    next_day = digest(plan, item_states, due + timedelta(days=1), EVERY_DAY)
    assert [(r.state.item.id, r.days, r.workdays.days) for r in next_day.overdue] == [
        ("5.1.1", -1, 1)
    ]
    unit = next(t for t in next_day.offices if t.key == "dangqun")
    assert (unit.red, unit.yellow) == (1, 0)


def test_the_yellow_window_is_a_week_both_ends_included(plan: Plan) -> None:
    item_states = states(plan, {})
    week_before = digest(plan, item_states, date(2024, 2, 22), EVERY_DAY)
    assert [(r.state.item.id, r.days, r.workdays.days) for r in week_before.due_soon] == [
        ("5.1.1", 7, 7)
    ]
    assert week_before.last_day == date(2024, 2, 29)
    earlier = digest(plan, item_states, date(2024, 2, 21), EVERY_DAY)
    assert earlier.due_soon == () and earlier.overdue == ()
    unit = next(t for t in earlier.offices if t.key == "dangqun")
    assert (unit.red, unit.yellow, unit.green) == (0, 0, unit.open)
    assert unit.worst is not None and unit.worst.state.item.id == "5.1.1"  # soonest, however far
    assert (earlier.open_total, earlier.closed_total) == (3, 0)


def test_overdue_and_upcoming_counts_and_order(plan: Plan) -> None:
    item_states = states(plan, {})
    late = overdue(plan, item_states, date(2024, 4, 2), EVERY_DAY)
    assert [(r.state.item.id, r.days, r.days_overdue, r.workdays.days) for r in late] == [
        ("5.1.1", -33, 33, 33),
        ("4.1.1", -2, 2, 2),
    ]
    soon = upcoming(plan, item_states, date(2024, 2, 29), date(2024, 3, 31), EVERY_DAY)
    assert [(r.state.item.id, r.days) for r in soon] == [("5.1.1", 0), ("4.1.1", 31)]
    done = states(plan, fold([change("e", 0, Status.DONE, item="5.1.1")]))
    assert overdue(plan, done, date(2024, 4, 2), EVERY_DAY)[0].state.item.id == "4.1.1"


# -- markdown: one item, one checklist line ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("第一行\n- [ ] 假的一项", r"第一行 - \[ \] 假的一项"),
        ("a\r\nb\u2028c", "a b c"),
        ("  多个   空格  ", "多个 空格"),
        (
            "*强调* _下划线_ `代码` #标题 <b> | 表格",
            r"\*强调\* \_下划线\_ \`代码\` \#标题 \<b\> \| 表格",
        ),
    ],
)
def test_markdown_keeps_an_item_on_one_line(text: str, line: str) -> None:
    assert md_escape(text) == line


def test_a_line_break_in_a_title_adds_no_checklist_line(plan: Plan) -> None:
    broken = plan.items[1]._replace(title="第一个行动\n- [x] 已完成的假项")
    plan = Plan(plan.path, plan.document, plan.offices, plan.phases, (
        plan.items[0], broken, *plan.items[2:]
    ))  # fmt: skip
    text = markdown_checklist(plan, states(plan, {}), "zh", date(2024, 1, 10))
    boxes = [line for line in text.splitlines() if line.lstrip().startswith("- [")]
    assert len(boxes) == 3
    assert not any(line.lstrip().startswith("- [x]") for line in text.splitlines())


# -- the rules: what change may follow what -------------------------------------------------------

STAMP = Stamp(T0 + timedelta(hours=1), "new", "审核人")


def _state(plan: Plan, item: str, events: list[Event]) -> ItemState:
    return states(plan, fold(events), fold_extensions(events), fold_evidence(events))[item]


def _rule(call: Any) -> tuple[str, dict[str, object]]:
    with pytest.raises(RuleError) as caught:
        call()
    return caught.value.code, caught.value.params


@pytest.mark.parametrize(
    ("leaves", "status"),
    [
        ([Status.DROPPED, Status.DROPPED], Status.DROPPED),
        ([Status.CLOSED, Status.DROPPED], Status.CLOSED),
        ([Status.CLOSED], Status.CLOSED),
        ([Status.DONE, Status.CLOSED], Status.DONE),
        ([Status.DONE, Status.DROPPED], Status.DONE),
        ([Status.BLOCKED, Status.DONE], Status.BLOCKED),
        ([Status.BLOCKED, Status.TODO], Status.BLOCKED),
        ([Status.DOING, Status.TODO], Status.DOING),
        ([Status.DONE, Status.TODO], Status.DOING),
        ([Status.CLOSED, Status.TODO], Status.TODO),
        ([Status.DROPPED, Status.TODO], Status.TODO),
        ([Status.TODO], Status.TODO),
    ],
)
def test_a_task_takes_its_status_from_its_actions(leaves: list[Status], status: Status) -> None:
    assert derived_status(leaves) is status
    assert derived_status(leaves[::-1]) is status


def test_only_a_leaf_is_recorded(plan: Plan) -> None:
    check_leaf(plan, "4.1.1")
    assert _rule(lambda: check_leaf(plan, "4.1")) == (
        "usage.not_leaf",
        {"value": "4.1", "children": "4.1.1 4.1.2"},
    )


def test_a_change_records_what_it_changes_and_nothing_when_nothing_changes(plan: Plan) -> None:
    todo = _state(plan, "5.1.1", [])
    made = rule_change(todo, Status.DOING, STAMP._replace(on=date(2024, 1, 9)), "开始")
    assert made == Event(
        "new", STAMP.at, "5.1.1", Status.DOING, Status.TODO, "审核人", "开始",
        office="dangqun", on=date(2024, 1, 9),
    )  # fmt: skip
    assert rule_change(todo, Status.TODO, STAMP, "") is None
    again = rule_change(todo, Status.TODO, STAMP, "仍未开始")
    assert again is not None and (again.status, again.previous) == (Status.TODO, Status.TODO)
    both = _state(plan, "4.1.1", [])  # two units' parts seen at once: a record for every part
    made = rule_change(both, Status.DOING, STAMP, "")
    assert made is not None and made.office == ""
    one = part_view(both, "cun")
    made = rule_change(one, Status.DOING, STAMP, "")
    assert made is not None and made.office == "cun"


def test_closing_out_follows_only_done(plan: Plan) -> None:
    done = _state(plan, "5.1.1", [change_event("d", Status.DONE, "5.1.1")])
    closed = close(done, STAMP, "")
    assert closed is not None and (closed.status, closed.previous) == (Status.CLOSED, Status.DONE)
    assert rule_change(done, Status.CLOSED, STAMP, "") == closed
    for status in (Status.TODO, Status.DOING, Status.BLOCKED, Status.DROPPED):
        state = _state(plan, "5.1.1", [change_event("d", status, "5.1.1")])
        expected = ("usage.not_closable", {"value": "5.1.1", "status": status})
        assert _rule(lambda state=state: close(state, STAMP, "")) == expected
        assert _rule(lambda state=state: rule_change(state, Status.CLOSED, STAMP, "")) == expected
    already = _state(plan, "5.1.1", [change_event("c", Status.CLOSED, "5.1.1")])
    assert rule_change(already, Status.CLOSED, STAMP, "") is None  # closed again: nothing changes
    assert _rule(lambda: close(already, STAMP, ""))[0] == "usage.not_closable"


def test_sending_back_needs_a_reason_and_done_or_closed_work(plan: Plan) -> None:
    for status in (Status.DONE, Status.CLOSED):
        state = _state(plan, "5.1.1", [change_event("d", status, "5.1.1")])
        back = send_back(state, STAMP, "材料不全")
        assert back is not None and (back.status, back.previous, back.note) == (
            Status.DOING,
            status,
            "材料不全",
        )
        assert _rule(lambda state=state: send_back(state, STAMP, "")) == (
            "usage.reason_needed",
            {},
        )
    doing = _state(plan, "5.1.1", [change_event("d", Status.DOING, "5.1.1")])
    assert _rule(lambda: send_back(doing, STAMP, "x"))[0] == "usage.not_returnable"


def test_an_extension_goes_only_to_a_later_day(plan: Plan) -> None:
    state = _state(plan, "5.1.1", [])  # due 2024-02-29
    made = extension(state, date(2024, 3, 15), STAMP, "等材料")
    assert (made.kind, made.due, made.note, made.status, made.previous, made.office) == (
        EventKind.EXTEND,
        date(2024, 3, 15),
        "等材料",
        Status.TODO,
        Status.TODO,
        "dangqun",
    )
    assert _rule(lambda: extension(state, date(2024, 3, 15), STAMP, "")) == (
        "usage.reason_needed",
        {},
    )
    assert _rule(lambda: extension(state, date(2024, 2, 29), STAMP, "r")) == (
        "usage.extend_earlier",
        {"value": "2024-02-29", "due": "2024-02-29"},
    )
    standing = _state(plan, "4.1.2", [])
    assert _rule(lambda: extension(standing, date(2024, 3, 15), STAMP, "r")) == (
        "usage.standing_no_due",
        {"value": "4.1.2"},
    )
    extended = _state(plan, "5.1.1", [made._replace(event_id="x1")])
    earlier = extension(extended, date(2024, 3, 10), STAMP, "提前")  # corrected, still later
    assert earlier.due == date(2024, 3, 10)
    assert _rule(lambda: extension(extended, date(2024, 2, 29), STAMP, "r")) == (
        "usage.extend_before_original",
        {"value": "2024-02-29", "due": "2024-02-29"},
    )
    assert _rule(lambda: extension(extended, date(2024, 3, 15), STAMP, "r")) == (
        "usage.extend_same",
        {"value": "2024-03-15"},
    )


def test_evidence_is_withdrawn_by_path_name_or_hash(plan: Plan) -> None:
    files = [
        change_event("p", Status.TODO, "5.1.1")._replace(
            kind=EventKind.EVIDENCE, path="/srv/照片.jpg", size=3, sha256="abcdef12" + "0" * 56
        ),
        change_event("q", Status.TODO, "5.1.1")._replace(
            kind=EventKind.EVIDENCE, path="/srv/报告.docx", size=4, sha256="abcdef34" + "0" * 56
        ),
    ]
    state = _state(plan, "5.1.1", files)
    for which in ("/srv/照片.jpg", "照片.jpg", "abcdef12"):
        (made,) = detach(state, which, STAMP, "错传")
        assert (made.kind, made.path, made.size, made.sha256, made.note) == (
            EventKind.DETACH,
            "/srv/照片.jpg",
            3,
            files[0].sha256,
            "错传",
        )
    assert _rule(lambda: detach(state, "abcdef1", STAMP, "")) == (
        "usage.no_such_evidence",
        {"item": "5.1.1", "value": "abcdef1", "files": "照片.jpg、报告.docx"},
    )
    assert _rule(lambda: detach(_state(plan, "5.1.1", []), "x", STAMP, ""))[1]["files"] == "—"
    assert _rule(lambda: detach(state, "abcdef", STAMP, ""))[0] == "usage.no_such_evidence"
    assert [e.path for e in detach(state, "报告.docx", STAMP, "")] == ["/srv/报告.docx"]
    made = evidence(state, "/a", 1, "f" * 64, STAMP, "照片")
    assert (made.kind, made.path, made.size, made.sha256, made.note) == (
        EventKind.EVIDENCE,
        "/a",
        1,
        "f" * 64,
        "照片",
    )


def change_event(event_id: str, status: Status, item: str, minutes: int = 0) -> Event:
    return Event(event_id, T0 + timedelta(minutes=minutes), item, status, Status.TODO, "c")


def test_undo_finds_the_command_to_revert() -> None:
    one = change_event("aaaa1", Status.DOING, "a", 0)._replace(writer="w")
    two = change_event("bbbb1", Status.DONE, "a", 1)._replace(writer="w")
    three = change_event("cccc1", Status.DONE, "b", 2)._replace(writer="other")
    events = [one, two, three]
    assert undo_target(events, "w") == [two]
    assert undo_target(events) == [three]
    assert undo_target(events, "nobody") == []
    assert undo_target(events, "w", "aaaa") == [one]
    assert _rule(lambda: undo_target(events, "w", "aaa")) == (
        "usage.undo_id_short",
        {"value": "aaa"},
    )
    assert _rule(lambda: undo_target(events, "w", "cccc"))[0] == "usage.undo_id_unknown"
    twins = [*events, change_event("aaaa2", Status.DONE, "c", 3)._replace(writer="w")]
    assert _rule(lambda: undo_target(twins, "w", "aaaa"))[0] == "usage.undo_id_many"
    reverted = change_event("dddd1", Status.DOING, "a", 5)._replace(writer="w", undoes="bbbb1")
    events = [*events, reverted]
    assert undo_target(events, "w") == [one]  # the undo is no command to undo; two is undone
    assert _rule(lambda: undo_target(events, "w", "bbbb")) == (
        "usage.undo_already",
        {"value": "bbbb"},
    )
    redo = change_event("eeee1", Status.DONE, "a", 6)._replace(writer="w", undoes="dddd1")
    assert undone_ids([*events, redo]) == {"dddd1"}  # undoing the undo: bbbb1 stands again
    assert undone_ids(events) == {"bbbb1"}


def test_one_command_for_several_parts_is_one_command() -> None:
    base = change_event("u1", Status.DONE, "a")._replace(writer="w", office="x")
    other = base._replace(event_id="u2", office="y")
    later = base._replace(event_id="u3", at=base.at + timedelta(seconds=1))
    assert by_command([base, other, later]) == [(base, ["x", "y"]), (later, ["x"])]
    assert command_of([later, other, base], base) == [base, other]
    noted = base._replace(event_id="u4", note="另一条")
    assert len(by_command([base, noted])) == 2


def test_rows_under_each_unit_their_item_names(plan: Plan) -> None:
    from xixin_cli.schedule import EVERYTHING, Filter, by_office, leaves, state_item

    kept = leaves(plan, states(plan, {}))
    grouped = by_office(plan, EVERYTHING, kept, state_item)
    assert {k: [s.item.id for s in v] for k, v in grouped.items()} == {
        "dangqun": ["4.1.1", "4.1.2", "5.1.1"],
        "cun": ["4.1.1", "4.1.2"],
    }
    assert list(grouped) == ["dangqun", "cun"]  # the plan's order
    only = by_office(plan, Filter(office="cun", units=frozenset({"cun"})), kept, state_item)
    assert list(only) == ["cun"]
    assert by_office(plan, EVERYTHING, [], state_item) == {}


def test_the_phases_that_start_or_end_in_a_window(plan: Plan) -> None:
    from xixin_cli.model import Phase
    from xixin_cli.schedule import phase_marks

    two = Phase("two", "5.2", "第二阶段", "", date(2024, 3, 15), date(2024, 4, 30))
    plan = Plan(plan.path, plan.document, plan.offices, {**plan.phases, "two": two}, plan.items)
    marks = phase_marks(plan, date(2024, 3, 15), date(2024, 3, 31))
    assert [(m.phase.key, m.edge, m.day) for m in marks] == [
        ("two", "start", date(2024, 3, 15)),  # both ends of the window count
        ("one", "end", date(2024, 3, 31)),
    ]
    assert phase_marks(plan, date(2024, 3, 16), date(2024, 3, 30)) == []
    assert [m.edge for m in phase_marks(plan, date(2024, 1, 1), date(2024, 1, 1))] == ["start"]


def test_undo_puts_back_the_whole_state_from_just_before(plan: Plan) -> None:
    from xixin_cli.rules import undo

    def at(n: int) -> Stamp:
        return Stamp(T0 + timedelta(hours=n), f"r{n}", "审核人")

    start = change_event("s1", Status.DOING, "5.1.1", 0)._replace(note="开始", writer="w")
    done = Event(
        "s2", T0 + timedelta(minutes=5), "5.1.1", Status.DONE, Status.DOING, "c", "完成", writer="w"
    )
    events = [start, done]
    now = states(plan, fold(events))
    ((revert, target),) = undo(plan, events, now, lambda: at(1), writer="w")
    assert target is done
    assert revert == Event(
        "r1", T0 + timedelta(hours=1), "5.1.1", Status.DOING, Status.DONE, "审核人", "开始",
        undoes="s2",
    )  # fmt: skip
    ((first, _),) = undo(plan, [start], states(plan, fold([start])), lambda: at(2), writer="w")
    assert (first.status, first.previous, first.note, first.undoes) == (
        Status.TODO,
        Status.DOING,
        "",
        "s1",
    )
    stray = change_event("x1", Status.DONE, "9.9.9", 0)._replace(writer="w")  # not in the plan
    ((back, _),) = undo(plan, [stray], {}, lambda: at(3), writer="w")
    assert (back.status, back.previous, back.note) == (Status.TODO, Status.DONE, "")
    with pytest.raises(RuleError) as caught:
        undo(plan, [], {}, lambda: at(4))
    assert caught.value.code == "usage.nothing_to_undo"


def test_undo_of_an_extension_or_a_file_puts_back_what_stood(plan: Plan) -> None:
    from xixin_cli.rules import undo

    stamp = Stamp(T0 + timedelta(hours=1), "r", "审核人")
    first = change_event("x1", Status.TODO, "5.1.1", 0)._replace(
        kind=EventKind.EXTEND, due=date(2024, 3, 10), writer="w"
    )
    second = change_event("x2", Status.TODO, "5.1.1", 1)._replace(
        kind=EventKind.EXTEND, due=date(2024, 3, 20), writer="w"
    )
    events = [first, second]
    now = states(plan, fold(events), fold_extensions(events))
    ((revert, _),) = undo(plan, events, now, lambda: stamp, writer="w")
    assert (revert.kind, revert.due, revert.undoes) == (EventKind.EXTEND, date(2024, 3, 10), "x2")
    ((only, _),) = undo(plan, [first], now, lambda: stamp, writer="w")
    assert (only.kind, only.due) == (EventKind.EXTEND, None)  # withdrawn: the plan's date again
    photo = change_event("p1", Status.DOING, "5.1.1", 2)._replace(
        kind=EventKind.EVIDENCE, path="/a.jpg", size=3, sha256="c" * 64, writer="w"
    )
    ((gone, _),) = undo(plan, [photo], states(plan, {}), lambda: stamp, writer="w")
    assert (gone.kind, gone.path, gone.size, gone.sha256, gone.status) == (
        EventKind.DETACH,
        "/a.jpg",
        3,
        "c" * 64,
        Status.TODO,
    )
    detached = photo._replace(event_id="d1", kind=EventKind.DETACH, at=photo.at + timedelta(1))
    ((back, _),) = undo(plan, [photo, detached], {}, lambda: stamp, writer="w")
    assert (back.kind, back.path, back.status, back.previous) == (
        EventKind.EVIDENCE,
        "/a.jpg",
        Status.TODO,
        Status.TODO,
    )
    twice = photo._replace(event_id="p2", at=photo.at + timedelta(1))  # the same file again
    ((kept, _),) = undo(plan, [photo, twice], {}, lambda: stamp, writer="w")
    assert (kept.kind, kept.path, kept.undoes) == (EventKind.EVIDENCE, "/a.jpg", "p2")


def test_undo_of_one_units_part_reverts_that_part(plan: Plan) -> None:
    from xixin_cli.rules import undo

    mine = change_event("u1", Status.DONE, "4.1.1", 0)._replace(office="cun", writer="w")
    theirs = change_event("u2", Status.BLOCKED, "4.1.1", 1)._replace(office="dangqun", writer="o")
    events = [mine, theirs]
    now = states(plan, fold(events))
    stamp = Stamp(T0 + timedelta(hours=1), "r", "审核人")
    ((revert, _),) = undo(plan, events, now, lambda: stamp, writer="w")
    assert (revert.office, revert.status, revert.previous) == ("cun", Status.TODO, Status.DONE)


def test_undo_takes_the_latest_command_by_time_not_by_id() -> None:
    early = change_event("zzzz1", Status.DOING, "a", 0)._replace(writer="w")
    late = change_event("aaaa1", Status.DONE, "a", 1)._replace(writer="w")
    assert undo_target([early, late], "w") == [late]
    assert undo_target([late, early], "w") == [late]
    with pytest.raises(RuleError) as caught:
        undo_target([early, late], "w", "qqqq")
    assert caught.value.params == {"value": "qqqq"}
    twins = [early, early._replace(event_id="zzzz2")]
    with pytest.raises(RuleError) as caught:
        undo_target(twins, "w", "zzzz")
    assert (caught.value.code, caught.value.params) == ("usage.undo_id_many", {"value": "zzzz"})


# -- parts: each unit's own, a group's record, and a unit's view --------------------------------


@pytest.fixture
def villages() -> Plan:
    return _village_plan()


def _village_plan() -> Plan:
    from test_bite_plan import WITH_MEMBERS

    text = WITH_MEMBERS.replace(
        "      - {name: 洗新村, key: xx}\n",
        "      - {name: 洗新村, key: xx}\n      - {name: 龙河村, key: lh}\n",
    )
    return parse_plan(text, "villages.yaml")


def test_a_part_takes_the_newest_of_its_own_its_groups_and_every_parts_records(
    villages: Plan,
) -> None:
    # 4.1.1 is for 乡党群办 and each village of 各村 (xx, lh).
    everyone = change_event("e", Status.DOING, "4.1.1", 0)
    group = change_event("g", Status.BLOCKED, "4.1.1", 1)._replace(office="cun")
    own = change_event("o", Status.DONE, "4.1.1", 2)._replace(office="xx")
    item_states = states(villages, fold([everyone, group, own]))
    parts = {p.office: (p.status, p.last) for p in item_states["4.1.1"].parts}
    assert parts == {
        "dangqun": (Status.DOING, everyone),
        "xx": (Status.DONE, own),
        "lh": (Status.BLOCKED, group),  # the group's record stands for its member
    }
    state = item_states["4.1.1"]
    assert state.status is Status.BLOCKED and state.last is own
    assert item_states["4.1"].status is Status.BLOCKED
    assert item_states["4.1"].progress == (0, 2)
    later = change_event("z", Status.TODO, "4.1.1", 3)  # a record for every part, newest
    again = states(villages, fold([everyone, group, own, later]))["4.1.1"]
    assert {p.office: p.status for p in again.parts} == dict.fromkeys(
        ("dangqun", "xx", "lh"), Status.TODO
    )


def test_a_unit_sees_its_own_parts_only(villages: Plan) -> None:
    from xixin_cli.fold import project

    done = change_event("o", Status.DONE, "4.1.1", 0)._replace(office="xx")
    late = change_event("x", Status.TODO, "4.1.1", 1)._replace(
        kind=EventKind.EXTEND, due=date(2024, 5, 1), office="lh"
    )
    events = [done, late]
    item_states = states(villages, fold(events), fold_extensions(events))
    mine = project(villages, item_states, frozenset({"xx"}))
    assert list(mine) == ["4.1", "4.1.1", "4.1.2"]  # 5.1.1 names no village
    assert (mine["4.1.1"].status, mine["4.1.1"].due) == (Status.DONE, date(2024, 3, 31))
    assert mine["4.1"].progress == (1, 2)
    theirs = project(villages, item_states, frozenset({"lh"}))
    assert (theirs["4.1.1"].status, theirs["4.1.1"].due) == (Status.TODO, date(2024, 5, 1))
    assert theirs["4.1.1"].extension is late
    both = project(villages, item_states, frozenset({"xx", "lh"}))
    assert both["4.1.1"].status is Status.DOING and both["4.1.1"].due == date(2024, 5, 1)
    assert project(villages, item_states, frozenset({"nobody"})) == {}
    assert part_view(item_states["4.1.1"], "xx").status is Status.DONE


def test_a_tasks_own_extension_and_evidence(plan: Plan) -> None:
    task_extension = change_event("x", Status.TODO, "4.1", 0)._replace(
        kind=EventKind.EXTEND, due=date(2024, 4, 15)
    )
    photo = change_event("p", Status.TODO, "4.1", 1)._replace(
        kind=EventKind.EVIDENCE, path="/t.jpg", sha256="d" * 64
    )
    events = [task_extension, photo]
    task = states(plan, fold(events), fold_extensions(events), fold_evidence(events))["4.1"]
    assert (task.due, task.extension, task.evidence) == (
        date(2024, 4, 15),
        task_extension,
        (photo,),
    )
    withdrawn = task_extension._replace(event_id="y", at=T0 + timedelta(hours=1), due=None)
    events = [task_extension, withdrawn]
    task = states(plan, fold(events), fold_extensions(events))["4.1"]
    assert (task.due, task.extension) == (date(2024, 3, 31), None)
    leaf = states(plan, {}, fold_extensions([withdrawn._replace(item="5.1.1")]))["5.1.1"]
    assert (leaf.due, leaf.extension) == (date(2024, 2, 29), None)


def test_one_file_for_several_parts_shows_once(villages: Plan) -> None:
    photo = change_event("p", Status.TODO, "4.1.1", 0)._replace(
        kind=EventKind.EVIDENCE, path="/v.jpg", sha256="e" * 64, office="xx"
    )
    twice = photo._replace(event_id="q", office="lh", at=T0 + timedelta(minutes=1))
    events = [photo, twice, change_event("s", Status.DOING, "4.1.1", 2)._replace(office="xx")]
    state = states(villages, fold(events), fold_extensions(events), fold_evidence(events))["4.1.1"]
    assert state.evidence == (photo,)
    assert {p.office: len(p.evidence) for p in state.parts} == {"dangqun": 0, "xx": 1, "lh": 1}


# -- the queries: filters, tallies, the order units are called in -------------------------------


def test_a_filter_keeps_by_unit_phase_and_status(plan: Plan) -> None:
    from xixin_cli.schedule import EVERYTHING, Filter, leaves

    item_states = states(plan, fold([change_event("d", Status.DONE, "4.1.1")]))

    def kept(where: Filter) -> list[str]:
        return [s.item.id for s in leaves(plan, item_states, where)]

    assert kept(EVERYTHING) == ["4.1.1", "4.1.2", "5.1.1"]
    assert kept(Filter(office="cun")) == ["4.1.1", "4.1.2"]  # units default to the office
    assert kept(Filter(office="cun", units=frozenset({"dangqun"}))) == ["4.1.1", "4.1.2", "5.1.1"]
    assert kept(Filter(phase="one")) == ["4.1.1", "4.1.2", "5.1.1"]
    assert kept(Filter(phase="two")) == []
    assert kept(Filter(statuses=frozenset({Status.DONE}))) == ["4.1.1"]
    assert kept(Filter(statuses=frozenset({Status.TODO}), office="dangqun")) == ["4.1.2", "5.1.1"]
    assert Filter(office="cun").units_of_office == {"cun"}
    assert EVERYTHING.units_of_office == frozenset()
    assert Filter(office="cun", units=frozenset({"xx"})).keeps_office("xx")
    assert Filter(office="cun", units=frozenset({"xx"})).keeps_office("cun")
    assert not Filter(office="cun", units=frozenset({"xx"})).keeps_office("dangqun")
    assert EVERYTHING.keeps_office("anything")


def test_units_are_called_most_red_first_then_most_yellow_then_least_done(
    villages: Plan,
) -> None:
    from xixin_cli.schedule import unit_tallies

    events = [
        change_event("a", Status.DONE, "4.1.1", 0)._replace(office="xx"),
        change_event("b", Status.DONE, "4.1.2", 1)._replace(office="xx"),
        change_event("c", Status.DONE, "4.1.1", 2)._replace(office="dangqun"),
    ]
    item_states = states(villages, fold(events))
    from xixin_cli.schedule import leaves

    kept = leaves(villages, item_states)
    today = date(2024, 3, 25)  # 4.1.1 due 03-31 (yellow), 5.1.1 due 02-29 (red)
    tallies = unit_tallies(villages, kept, today, today + timedelta(days=7), EVERY_DAY)
    assert [(t.key, t.red, t.yellow, t.green, t.closed, t.total, t.group) for t in tallies] == [
        ("dangqun", 1, 0, 1, 1, 3, None),
        ("cun", 0, 1, 1, 0, 2, None),  # 4.1.1 is open for 龙河村: the group's item is open
        ("lh", 0, 1, 1, 0, 2, "cun"),
        ("xx", 0, 0, 0, 2, 2, "cun"),
    ]
    worst = {t.key: t.worst.state.item.id if t.worst else None for t in tallies}
    assert worst == {"dangqun": "5.1.1", "cun": "4.1.1", "lh": "4.1.1", "xx": None}


def test_completion_counts_done_and_closed_of_all_but_dropped(plan: Plan) -> None:
    from xixin_cli.schedule import completion, leaves

    events = [
        change_event("a", Status.DONE, "4.1.1", 0),
        change_event("b", Status.DROPPED, "4.1.2", 1),
        change_event("c", Status.CLOSED, "5.1.1", 2),
    ]
    assert completion(leaves(plan, states(plan, fold(events)))) == (2, 2)
    assert completion(leaves(plan, states(plan, fold(events[:1])))) == (1, 3)
    assert completion([]) == (0, 0)


def test_an_undo_undone_is_judged_by_time_not_by_id() -> None:
    change = change_event("zzzz", Status.DONE, "a", 0)._replace(writer="w")
    undo_it = change_event("mmmm", Status.TODO, "a", 1)._replace(writer="w", undoes="zzzz")
    redo = change_event("aaaa", Status.DONE, "a", 2)._replace(writer="w", undoes="mmmm")
    assert undone_ids([change, undo_it, redo]) == {"mmmm"}  # the redo is the latest: zzzz stands


def test_upcoming_keeps_only_what_the_filter_keeps(plan: Plan) -> None:
    from xixin_cli.schedule import Filter

    where = Filter(office="cun", units=frozenset({"cun"}))
    rows = upcoming(plan, states(plan, {}), date(2024, 2, 1), date(2024, 3, 31), EVERY_DAY, where)
    assert [r.state.item.id for r in rows] == ["4.1.1"]
    late = overdue(plan, states(plan, {}), date(2024, 4, 2), EVERY_DAY, where)
    assert [r.state.item.id for r in late] == ["4.1.1"]


def test_evidence_folded_in_two_pieces_keeps_both(plan: Plan) -> None:
    photo = change_event("p", Status.TODO, "5.1.1", 0)._replace(
        kind=EventKind.EVIDENCE, path="/a.jpg", sha256="a" * 64
    )
    report = photo._replace(event_id="q", path="/b.docx", sha256="b" * 64)
    folded = Folded.empty().more((photo,), ()).more((report,), ())
    assert folded.evidence == {("5.1.1", ""): (photo, report)}
    assert fold_evidence([report], into=fold_evidence([photo])) == folded.evidence
    assert set(folded.kept()) == {photo, report}


def test_parts_on_one_record_with_another_extension_are_each_their_own(villages: Plan) -> None:
    everyone = change_event("e", Status.DOING, "4.1.1", 0)
    later = change_event("x", Status.TODO, "4.1.1", 1)._replace(
        kind=EventKind.EXTEND, due=date(2024, 5, 1), office="lh"
    )
    events = [everyone, later]
    state = states(villages, fold(events), fold_extensions(events))["4.1.1"]
    assert state.extension is later and state.due == date(2024, 3, 31)  # others still owe it
    photo = change_event("z9", Status.TODO, "4.1.1", 2)._replace(
        kind=EventKind.EVIDENCE, path="/1.jpg", sha256="1" * 64, office="xx"
    )
    report = change_event("a1", Status.TODO, "4.1.1", 3)._replace(
        kind=EventKind.EVIDENCE, path="/2.doc", sha256="2" * 64, office="lh"
    )
    events = [everyone, report, photo]
    state = states(villages, fold(events), fold_extensions(events), fold_evidence(events))["4.1.1"]
    assert state.evidence == (photo, report)  # by time, though the ids sort the other way


def test_folding_more_keeps_the_earlier_extensions(plan: Plan) -> None:
    extension = change_event("x", Status.TODO, "5.1.1", 0)._replace(
        kind=EventKind.EXTEND, due=date(2024, 3, 15)
    )
    folded = (
        Folded.empty().more((extension,), ()).more((change_event("s", Status.DOING, "5.1.1"),), ())
    )
    assert folded.extended == {("5.1.1", ""): extension}


def test_undo_restores_what_stood_though_its_writer_had_not_seen_it(plan: Plan) -> None:
    from xixin_cli.rules import undo

    stamp = Stamp(T0 + timedelta(hours=1), "r", "审核人")
    other = change_event("o1", Status.BLOCKED, "5.1.1", 0)._replace(writer="w2", note="缺经费")
    mine = change_event("mine1", Status.DONE, "5.1.1", 1)._replace(writer="w1")  # from TODO
    after = change_event("o2", Status.DOING, "5.1.1", 2)._replace(writer="w2")
    with pytest.raises(LaterChanges) as wiped:  # w2's later change would be wiped out
        undo(
            plan,
            [other, mine, after],
            states(plan, fold([other, mine, after])),
            lambda: stamp,
            writer="w1",
            which="mine",
        )
    assert [(later.event, later.other) for later in wiped.value.later] == [("o2", True)]
    assert "其他电脑" in wiped.value.lines("zh")[0]  # undone only on the PC that recorded it
    events = [other, mine]
    now = states(plan, fold(events))
    ((revert, target),) = undo(plan, events, now, lambda: stamp, writer="w1", which="mine")
    assert target is mine
    assert (revert.status, revert.previous, revert.note) == (Status.BLOCKED, Status.DONE, "缺经费")
    extension = change_event("x1", Status.TODO, "5.1.1", 3)._replace(
        kind=EventKind.EXTEND, due=date(2024, 3, 20), writer="w1"
    )
    events = [*events, extension]
    now = states(plan, fold(events), fold_extensions(events))
    ((back, _),) = undo(plan, events, now, lambda: stamp, writer="w1")
    assert (back.status, back.previous, back.note, back.due, back.undoes) == (
        Status.DONE,
        Status.DONE,
        "",
        None,
        "x1",
    )
    photo = change_event("p1", Status.TODO, "5.1.1", 4)._replace(
        kind=EventKind.EVIDENCE,
        path="/a.jpg",
        size=3,
        sha256="c" * 64,
        writer="w1",
        office="dangqun",
    )
    events = [*events, photo]
    ((gone, _),) = undo(plan, events, states(plan, fold(events)), lambda: stamp, writer="w1")
    assert (gone.kind, gone.undoes, gone.office) == (EventKind.DETACH, "p1", "dangqun")


def test_one_units_extension_shows_on_an_item_of_two_units(plan: Plan) -> None:
    # 4.1.1 is for 乡党群办 and 各村; the extension is 各村's alone, on a record for both.
    everyone = change_event("e", Status.DOING, "4.1.1", 0)
    theirs = change_event("x", Status.TODO, "4.1.1", 1)._replace(
        kind=EventKind.EXTEND, due=date(2024, 5, 1), office="cun"
    )
    events = [everyone, theirs]
    state = states(plan, fold(events), fold_extensions(events))["4.1.1"]
    assert state.extension is theirs and state.due == date(2024, 3, 31)  # 乡党群办 still owes it
    assert [(p.office, p.due) for p in state.parts] == [
        ("dangqun", date(2024, 3, 31)),
        ("cun", date(2024, 5, 1)),
    ]


def test_a_unit_sees_its_tasks_own_extension(plan: Plan) -> None:
    from xixin_cli.fold import project

    task_extension = change_event("x", Status.TODO, "4.1", 0)._replace(
        kind=EventKind.EXTEND, due=date(2024, 4, 15)
    )
    leaf_extension = change_event("y", Status.TODO, "5.1.1", 0)._replace(
        kind=EventKind.EXTEND, due=date(2024, 3, 15)
    )
    events = [task_extension, leaf_extension]
    item_states = states(plan, fold(events), fold_extensions(events))
    mine = project(plan, item_states, frozenset({"dangqun"}))
    assert (mine["4.1"].due, mine["4.1"].extension) == (date(2024, 4, 15), task_extension)
    assert (mine["5.1.1"].due, mine["5.1.1"].extension) == (date(2024, 3, 15), leaf_extension)


def test_undo_by_id_reverts_that_command_not_the_latest(plan: Plan) -> None:
    from xixin_cli.rules import undo

    stamp = Stamp(T0 + timedelta(hours=1), "r", "审核人")
    older = change_event("old1", Status.DONE, "5.1.1", 0)._replace(writer="w")
    newer = change_event("new1", Status.DOING, "4.1.2", 1)._replace(writer="w")
    events = [older, newer]
    now = states(plan, fold(events))
    ((revert, target),) = undo(plan, events, now, lambda: stamp, writer="w", which="old1")
    assert target is older
    assert (revert.item, revert.status, revert.previous, revert.undoes) == (
        "5.1.1",
        Status.TODO,
        Status.DONE,
        "old1",
    )


def test_undo_of_an_extension_to_an_item_the_plan_no_longer_has_withdraws_it(plan: Plan) -> None:
    from xixin_cli.rules import undo

    stamp = Stamp(T0 + timedelta(hours=1), "r", "审核人")
    gone = change_event("x1", Status.TODO, "9.9.9", 0)._replace(
        kind=EventKind.EXTEND, due=date(2024, 3, 20), writer="w"
    )
    ((revert, _),) = undo(plan, [gone], states(plan, {}), lambda: stamp, writer="w")
    assert (revert.kind, revert.item, revert.due, revert.undoes) == (
        EventKind.EXTEND,
        "9.9.9",
        None,
        "x1",
    )


_VILLAGE_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["4.1.1", "4.1.2", "5.1.1"]),
        st.sampled_from(["", "dangqun", "cun", "xx", "lh"]),
        st.sampled_from(list(Status)),
        st.booleans(),  # an extension too
    ),
    max_size=10,
)


@settings(max_examples=60, deadline=None)
@given(_VILLAGE_CHANGES, st.sampled_from([None, "dangqun", "cun", "xx"]))
def test_each_units_parts_are_its_own_view_of_each_leaf(
    changes: list[tuple[str, str, Status, bool]], office: str | None
) -> None:
    """unit_parts, per unit, is each kept leaf as that unit's part of it (part_view), and per
    group the leaf as its members' parts: written out here part by part, as the rule says."""
    from xixin_cli.fold import fold_extensions, leaf_state, part_view, project
    from xixin_cli.schedule import EVERYTHING, Filter, leaves, unit_parts

    plan = _village_plan()
    events = []
    for n, (item, unit, status, extend) in enumerate(changes):
        events.append(change_event(f"s{n}", status, item, n)._replace(office=unit))
        if extend:
            events.append(
                change_event(f"x{n}", Status.TODO, item, n)._replace(
                    office=unit, kind=EventKind.EXTEND, due=date(2024, 5, 1 + n)
                )
            )
    item_states = states(plan, fold(events), fold_extensions(events))
    where = EVERYTHING
    if office is not None:
        units = frozenset({office, *plan.offices[office].members})
        where = Filter(office=office, units=units)
        item_states = project(plan, item_states, units)
    kept = leaves(plan, item_states, where)
    expected: dict[str, list[ItemState]] = {}
    for state in kept:
        for part in state.parts:
            if part.office in plan.offices and where.keeps_office(part.office):
                expected.setdefault(part.office, []).append(part_view(state, part.office))
        for key, group in plan.offices.items():
            members = [p for p in state.parts if plan.offices.get(p.office, group).parent == key]
            members = [p for p in members if where.keeps_office(p.office)]
            if members:
                expected.setdefault(key, []).append(leaf_state(state.item, members))
    found = unit_parts(plan, kept, where)
    assert list(found) == [key for key in plan.offices if key in expected]
    assert found == expected


# -- undo of any command: what stood without it, or a refusal ------------------------------------

_COMMANDS = st.lists(
    st.tuples(
        st.sampled_from(["", "dangqun", "cun", "xx", "lh", "dangqun+cun"]),  # whose parts
        st.sampled_from(["status", "extend", "file"]),
        st.sampled_from(list(Status)),
        st.integers(0, 2),  # a due day, a file: few, so that records meet
        st.integers(0, 3),  # days backdated (--on): the order is by when it happened
    ),
    min_size=1,
    max_size=8,
)


def _part_facts(plan: Plan, events: list[Event]) -> list[tuple[object, ...]]:
    """Each part of 4.1.1 as it stands: status, note, due date and files."""
    state = states(plan, fold(events), fold_extensions(events), fold_evidence(events))["4.1.1"]
    return [
        (p.office, p.status, p.last.note if p.last else "", p.due, {e.path for e in p.evidence})
        for p in state.parts
    ]


@settings(max_examples=200, deadline=None)
@given(_COMMANDS, st.data())
def test_an_undo_leaves_what_would_stand_without_the_command(
    commands: list[tuple[str, str, Status, int, int]], data: st.DataObject
) -> None:
    """Taking back a command leaves every part as it would stand had the command never been
    recorded. Where that would wipe out later changes, the undo is refused and names them:
    taking those back first (newest first, and what blocks them in turn) lets it through, and
    the parts stand as without every command taken back."""
    from xixin_cli.errors import LaterChanges
    from xixin_cli.rules import undo

    plan = _village_plan()
    events: list[Event] = []
    for n, (units, kind, status, pick, back) in enumerate(commands):
        at = T0 + timedelta(days=10 + n)
        on = (at - timedelta(days=back)).date() if back else None
        for unit in units.split("+"):
            record = Event(f"ev{n}-{unit}", at, "4.1.1", status, Status.TODO, "c", f"第{n}次")
            record = record._replace(office=unit, on=on, writer="w")
            if kind == "extend":
                record = record._replace(kind=EventKind.EXTEND, due=date(2024, 4, 1 + pick))
            elif kind == "file":  # withdrawn only once recorded, as detach allows
                withdraw = status is Status.BLOCKED and f"/材料{pick}.pdf" in {
                    e.path for e in events if e.office == unit
                }
                record = record._replace(
                    kind=EventKind.DETACH if withdraw else EventKind.EVIDENCE,
                    on=None,
                    path=f"/材料{pick}.pdf",
                    sha256=str(pick) * 64,
                    size=1,
                )
            events.append(record)
    original = list(events)
    stamps = iter(Stamp(T0 + timedelta(days=40, minutes=m), f"r{m:03}", "审") for m in range(999))
    taken_back: set[datetime] = set()  # the commands, by their time (one per command here)

    def take_back(record: Event) -> None:
        while True:
            now = states(plan, fold(events), fold_extensions(events), fold_evidence(events))
            try:
                made = undo(
                    plan, events, now, lambda: next(stamps), writer="w", which=record.event_id
                )
            except LaterChanges as refused:
                assert refused.later, "a refusal names what the undo would wipe out"
                newest = refused.later[0]  # newest first, as the refusal lists them
                blocker = next(e for e in original if e.event_id.startswith(newest.event))
                assert order_key(blocker) > order_key(record)
                take_back(blocker)
                continue
            assert {target.at for _, target in made} == {record.at}
            events.extend(revert for revert, _ in made)
            taken_back.add(record.at)
            return

    chosen = data.draw(st.integers(0, len(commands) - 1))
    take_back(next(e for e in original if e.at == T0 + timedelta(days=10 + chosen)))
    without = [e for e in original if e.at not in taken_back]
    assert _part_facts(plan, events) == _part_facts(plan, without)


def test_an_undo_is_refused_only_for_later_changes_of_the_same_part_and_thing() -> None:
    from xixin_cli.errors import LaterChanges
    from xixin_cli.rules import undo

    plan = _village_plan()
    stamp = Stamp(T0 + timedelta(days=9), "r", "审")

    def record(n: int, office: str, **more: Any) -> Event:
        made = change_event(f"e{n}00", Status.DONE, "4.1.1", n)._replace(writer="w", office=office)
        return made._replace(**more)

    def file(n: int, office: str, name: str) -> Event:
        return record(n, office, kind=EventKind.EVIDENCE, path=name, size=1, sha256=name[1] * 64)

    done = record(0, "dangqun")
    events = [
        done,
        record(1, "xx", status=Status.BLOCKED),  # another unit's part
        record(2, "dangqun", kind=EventKind.EXTEND, due=date(2024, 4, 9)),  # the due date
        file(3, "dangqun", "/a.pdf"),
        file(4, "dangqun", "/b.pdf"),  # another file
        file(5, "lh", "/a.pdf"),  # the same file, another unit's
    ]
    for taken in (done, events[2], events[3]):
        now = states(plan, fold(events), fold_extensions(events), fold_evidence(events))
        ((_, target),) = undo(plan, events, now, lambda: stamp, writer="w", which=taken.event_id)
        assert target is taken
    events.append(record(6, "", status=Status.DOING, note="全部重来"))  # every part's status
    now = states(plan, fold(events), fold_extensions(events), fold_evidence(events))
    for taken in (done, events[1]):
        with pytest.raises(LaterChanges) as refused:
            undo(plan, events, now, lambda: stamp, writer="w", which=taken.event_id)
        assert [later.event for later in refused.value.later] == ["e600"]
    village = record(7, "xx", kind=EventKind.EXTEND, due=date(2024, 4, 15))
    group = record(8, "cun", kind=EventKind.EXTEND, due=date(2024, 4, 20))
    events += [village, group]  # the villages' due date: a group's record is its members'
    now = states(plan, fold(events), fold_extensions(events), fold_evidence(events))
    with pytest.raises(LaterChanges) as refused:
        undo(plan, events, now, lambda: stamp, writer="w", which=village.event_id)
    assert [later.event for later in refused.value.later] == ["e800"]
    ((_, target),) = undo(plan, events, now, lambda: stamp, writer="w", which="e200")
    assert target is events[2]  # 乡党群办's own due date: not the villages'


def test_a_refused_undo_names_the_first_changes_and_counts_the_rest() -> None:
    from xixin_cli.errors import Later, LaterChanges

    later = [
        Later("aaaaaa", "4.1.1", "乡党群办", "status", Status.DOING, Status.DONE, "", ""),
        Later("bbbbbb", "4.1.1", "", "extend", Status.TODO, Status.TODO, "2024-04-09", ""),
        Later("cccccc", "4.1.1", "龙塘村", "detach", Status.TODO, Status.TODO, "", "照片.jpg"),
        Later("dddddd", "4.1.2", "", "withdraw", Status.TODO, Status.TODO, "", ""),
        Later("eeeeee", "4.1.2", "", "evidence", Status.TODO, Status.TODO, "", "表.xlsx"),
    ]
    (zh,) = LaterChanges("f8fda7", later).lines("zh")
    assert zh.startswith("不能撤销 f8fda7：")
    assert "aaaaaa（4.1.1［乡党群办］ 进行中 → 已完成）" in zh
    assert "bbbbbb（4.1.1 延期至 2024-04-09）" in zh
    assert "cccccc（4.1.1［龙塘村］ 撤回材料 照片.jpg）" in zh
    assert "dddddd" not in zh and "另有 2 条" in zh
    (en,) = LaterChanges("f8fda7", later[:4]).lines("en")
    assert "aaaaaa (4.1.1 [乡党群办]: in progress → done)" in en and "and 1 more" in en


def test_the_due_date_shown_is_marked_when_any_units_extension_gave_it() -> None:
    # The review's case: the soonest date owed was lh's extension, the newest was another's.
    from xixin_cli.render import due_text

    plan = _village_plan()

    def moved(n: int, office: str, day: int) -> Event:
        return change_event(f"x{n}", Status.TODO, "4.1.1", n)._replace(
            kind=EventKind.EXTEND, due=date(2024, 4, day), office=office
        )

    events = [moved(0, "lh", 10), moved(1, "xx", 20), moved(2, "dangqun", 30)]
    state = states(plan, fold(events), fold_extensions(events))["4.1.1"]
    assert state.due == date(2024, 4, 10) and state.extension is events[2]
    assert due_text(state, "zh") == "2024-04-10（延）"
    events = [moved(0, "lh", 10)]  # 乡党群办 and xx still owe it on the plan's day
    state = states(plan, fold(events), fold_extensions(events))["4.1.1"]
    assert due_text(state, "zh") == "2024-03-31"
