"""A plan's warning lights (`warnings:`), read exactly: each written form of a distance, the
defaults, and the problem named at its key and line when a light cannot be read."""

from __future__ import annotations

from datetime import date

import pytest

from xixin_cli.errors import PlanError
from xixin_cli.fold import fold, states
from xixin_cli.model import DEFAULT_WARNINGS, Threshold, Warnings
from xixin_cli.plan_file import parse_plan
from xixin_cli.schedule import Filter, digest, light, warning_end, within
from xixin_cli.workdays import Calendar, build_calendar

from test_plan_file import SMALL

CALENDAR = build_calendar()

HEAD = """format: 1
document: {number: "洗府发〔2023〕9号", issuer: 洗新乡人民政府, date: 2023-01-01, title: 定期报送}
offices: {dangqun: {name: 乡党群办}}
phases:
  year: {number: "1", name: 全年, start: 2023-01-01, end: 2023-12-31}
"""
ITEMS = """items:
  - {id: "1", kind: task, title: 报送, source: 一, offices: [dangqun], due_basis: phase,
     phase: year}
"""


def lights(text: str) -> Warnings:
    return parse_plan(HEAD + text + ITEMS, "p.yaml").warnings


def problems(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(PlanError) as raised:
        parse_plan(HEAD + text + ITEMS, "p.yaml")
    return [(p.line, p.key, p.code) for p in raised.value.problems]


@pytest.mark.parametrize(
    ("written", "threshold"),
    [
        ("3 working days", Threshold(3, working=True)),
        ("1 working day", Threshold(1, working=True)),
        ("2 workdays", Threshold(2, working=True)),
        ("4 workday", Threshold(4, working=True)),
        ("3个工作日", Threshold(3, working=True)),
        ("5工作日", Threshold(5, working=True)),
        ("7 days", Threshold(7)),
        ("1 day", Threshold(1)),
        ("10d", Threshold(10)),
        ("7天", Threshold(7)),
        ("9日", Threshold(9)),
        ("12", Threshold(12)),
        ("0", Threshold(0)),
        ("  6  Days ", Threshold(6)),
        ("100 WORKING DAYS", Threshold(100, working=True)),
    ],
)
def test_each_written_distance_is_read_as_days_or_working_days(
    written: str, threshold: Threshold
) -> None:
    assert lights(f'warnings: {{yellow: "{written}"}}\n') == Warnings(threshold, None, given=True)


def test_blue_is_read_beside_yellow_and_both_are_the_plans_own() -> None:
    assert lights("warnings: {yellow: 3 working days, blue: 7 days}\n") == Warnings(
        Threshold(3, working=True), Threshold(7), given=True
    )


def test_blue_alone_keeps_the_default_yellow() -> None:
    assert lights("warnings: {blue: 10 days}\n") == Warnings(
        DEFAULT_WARNINGS.yellow, Threshold(10), given=True
    )


def test_a_plan_without_warnings_has_the_defaults_not_its_own() -> None:
    found = lights("")
    assert found == DEFAULT_WARNINGS and found.given is False


def test_blue_counted_otherwise_than_yellow_may_be_nearer_in_number() -> None:
    # 5 calendar days against 4 working days: different counts, so no order is implied
    assert lights("warnings: {yellow: 4 working days, blue: 5 days}\n").blue == Threshold(5)
    assert lights("warnings: {yellow: 6 working days, blue: 5 days}\n").blue == Threshold(5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("warnings: {yellow: soon}\n", [(6, "warnings.yellow", "plan.bad_warning")]),
        ("warnings: {yellow: 1000 days}\n", [(6, "warnings.yellow", "plan.bad_warning")]),
        ("warnings: {yellow: 3 weeks}\n", [(6, "warnings.yellow", "plan.bad_warning")]),
        ("warnings: {yellow: -3 days}\n", [(6, "warnings.yellow", "plan.bad_warning")]),
        (
            "warnings: {yellow: 7 days, blue: 3 days}\n",
            [(6, "warnings.blue", "plan.blue_not_after_yellow")],
        ),
        (
            "warnings: {yellow: 7 days, blue: 7 days}\n",
            [(6, "warnings.blue", "plan.blue_not_after_yellow")],
        ),
        (
            "warnings: {yellow: 2 working days, blue: 2 working days}\n",
            [(6, "warnings.blue", "plan.blue_not_after_yellow")],
        ),
        ("warnings: {}\n", [(6, "warnings", "plan.want_warnings")]),
        ("warnings: x\n", [(6, "warnings", "plan.want_mapping")]),
        ("warnings: {yellow: [3]}\n", [(6, "warnings.yellow", "plan.want_text")]),
        ('warnings: ""\n', [(6, "warnings", "plan.want_mapping")]),  # one problem, not two
        ("warnings:\n", [(6, "warnings", "plan.want_mapping")]),
        ("warnings:\n  yellow: 3 days\n  blue: x\n", [(8, "warnings.blue", "plan.bad_warning")]),
    ],
)
def test_a_light_that_cannot_be_read_is_named_at_its_key_and_line(
    text: str, expected: list[tuple[int | None, str | None, str]]
) -> None:
    assert problems(text) == expected


def test_the_nearer_blue_is_named_with_both_distances() -> None:
    with pytest.raises(PlanError) as raised:
        parse_plan(HEAD + "warnings: {yellow: 7 days, blue: 3 days}\n" + ITEMS, "p.yaml")
    [problem] = raised.value.problems
    assert problem.params == {"blue": 3, "yellow": 7}
    assert "3" in problem.render("en") and "7" in problem.render("en")


def test_a_bad_distance_is_quoted_back() -> None:
    with pytest.raises(PlanError) as raised:
        parse_plan(HEAD + "warnings: {yellow: soon}\n" + ITEMS, "p.yaml")
    [problem] = raised.value.problems
    assert problem.params == {"value": "soon"}


# -- the lights of an open item, and the last day of a warning window (schedule.py) -----------


#: A made-up fortnight from Monday 2022-10-03: a week off (the National Day holiday), then a
#: working week, then a weekend; outside it, the weekday decides.
HOLIDAY = Calendar(date(2022, 10, 3), bytes((0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0)))


@pytest.mark.parametrize(
    ("days", "workdays", "expected"),
    [
        (-1, 0, "red"),
        (-30, 20, "red"),
        (0, 0, "yellow"),  # due today: the last day, not late
        (3, 1, "yellow"),  # 3 days but 1 working day: inside 2 working days
        (3, 3, "blue"),  # past 2 working days, inside 5 calendar days
        (5, 4, "blue"),
        (6, 4, "green"),
        (40, 30, "green"),
    ],
)
def test_each_light_by_the_plans_own_warnings(days: int, workdays: int, expected: str) -> None:
    rule = Warnings(Threshold(2, working=True), Threshold(5), given=True)
    assert light(days, workdays, rule) == expected


def test_without_blue_an_item_past_yellow_is_green() -> None:
    rule = Warnings(Threshold(3), None, given=True)
    assert [light(d, d, rule) for d in (0, 3, 4, 5)] == ["yellow", "yellow", "green", "green"]
    assert light(7, 7) == "yellow" and light(8, 8) == "green"  # the default: 7 days


def test_blue_counted_in_working_days() -> None:
    rule = Warnings(Threshold(1), Threshold(3, working=True), given=True)
    assert light(6, 3, rule) == "blue" and light(6, 4, rule) == "green"


@pytest.mark.parametrize(
    ("threshold", "days", "workdays", "inside"),
    [
        (Threshold(3), 3, 9, True),
        (Threshold(3), 4, 0, False),
        (Threshold(3), -1, 0, False),  # overdue is no warning
        (Threshold(0), 0, 0, True),
        (Threshold(2, working=True), 9, 2, True),
        (Threshold(2, working=True), 1, 3, False),
        (Threshold(2, working=True), -1, 0, False),
    ],
)
def test_within_counts_the_threshold_own_way(
    threshold: Threshold, days: int, workdays: int, inside: bool
) -> None:
    assert within(threshold, days, workdays) is inside


@pytest.mark.parametrize(
    ("today", "threshold", "last"),
    [
        (date(2022, 10, 3), Threshold(4), date(2022, 10, 7)),
        (date(2022, 10, 3), Threshold(0), date(2022, 10, 3)),
        # working days: none in the holiday week, so 2 working days on from Monday the 3rd
        # are the 10th and 11th, and the window ends the day before the third one, the 11th
        (date(2022, 10, 3), Threshold(2, working=True), date(2022, 10, 11)),
        (date(2022, 10, 3), Threshold(0, working=True), date(2022, 10, 9)),
        (date(2022, 10, 10), Threshold(1, working=True), date(2022, 10, 11)),
        # the weekend after the working week counts no working day: Friday the 14th + 1
        # working day reaches Monday the 17th (weekday rule outside the table)
        (date(2022, 10, 14), Threshold(1, working=True), date(2022, 10, 17)),
        (date(2022, 10, 13), Threshold(2, working=True), date(2022, 10, 17)),
    ],
)
def test_the_last_day_of_a_warning_window(today: date, threshold: Threshold, last: date) -> None:
    assert warning_end(threshold, today, HOLIDAY) == last


# -- the digest (the board and the reminder) by the plan's own lights -------------------------

SMALL_LIT = SMALL.replace("offices:\n", "warnings: {yellow: 2 working days}\noffices:\n", 1)


def test_the_digest_uses_the_plans_yellow_unless_told_a_number_of_days() -> None:
    plan = parse_plan(SMALL_LIT, "small.yaml")
    item_states = states(plan, fold([]))
    # 2024-03-27 is a Wednesday: 2 working days on are the 28th and 29th; the window ends on
    # Sunday the 31st, the day before the third (Monday 1 April), so 4.1.1 (due the 31st) is in
    lit = digest(plan, item_states, date(2024, 3, 27), CALENDAR)
    assert lit.last_day == date(2024, 3, 31)
    assert [row.state.item.id for row in lit.due_soon] == ["4.1.1"]
    assert lit.yellow == Threshold(2, working=True)
    # On the 26th the window ends on the 28th: 4.1.1 is not due soon yet, but green
    earlier = digest(plan, item_states, date(2024, 3, 26), CALENDAR)
    assert earlier.last_day == date(2024, 3, 28) and earlier.due_soon == ()
    by_unit = {t.key: t for t in earlier.offices}
    dangqun = by_unit["dangqun"]  # 5.1.1 overdue; 4.1.1 and the standing 4.1.2 green
    assert (dangqun.red, dangqun.yellow, dangqun.green) == (1, 0, 2)
    # --days 10 (warning_days) stands instead: 10 calendar days
    told = digest(plan, item_states, date(2024, 3, 26), CALENDAR, warning_days=10)
    assert told.last_day == date(2024, 4, 5) and told.yellow == Threshold(10)
    assert [row.state.item.id for row in told.due_soon] == ["4.1.1"]
    assert {t.key: t.yellow for t in told.offices} == {"dangqun": 1, "cun": 1}


def test_the_digest_of_one_unit_counts_only_its_own_parts() -> None:
    plan = parse_plan(SMALL_LIT, "small.yaml")
    item_states = states(plan, fold([]))
    where = Filter(office="cun", units=frozenset({"cun"}))
    result = digest(plan, item_states, date(2024, 3, 27), CALENDAR, where)
    assert [t.key for t in result.offices] == ["cun"]
    assert [row.state.item.id for row in result.due_soon] == ["4.1.1"]
    assert [row.state.item.id for row in result.overdue] == []  # 5.1.1 is dangqun's


def test_a_unit_with_nothing_due_soon_is_shown_its_next_item_in_the_plans_light() -> None:
    plan = parse_plan(
        SMALL.replace("offices:\n", "warnings: {yellow: 1 day, blue: 30 days}\noffices:\n", 1),
        "small.yaml",
    )
    result = digest(plan, states(plan, fold([])), date(2024, 3, 20), CALENDAR)
    cun = {t.key: t for t in result.offices}["cun"]
    assert (cun.red, cun.yellow) == (0, 0)
    assert cun.worst is not None and cun.worst.state.item.id == "4.1.1"
    assert cun.worst.light == "blue"  # due in 11 days: inside the plan's blue, not its yellow


def test_a_unit_filter_keeps_another_units_item_out_of_due_soon() -> None:
    plan = parse_plan(SMALL_LIT, "small.yaml")
    item_states = states(plan, fold([]))
    # 2024-02-27: 5.1.1 (乡党群办's alone, due 29 February) is due soon for 乡党群办 only
    everyone = digest(plan, item_states, date(2024, 2, 27), CALENDAR)
    assert [row.state.item.id for row in everyone.due_soon] == ["5.1.1"]
    where = Filter(office="cun", units=frozenset({"cun"}))
    assert digest(plan, item_states, date(2024, 2, 27), CALENDAR, where).due_soon == ()
