"""Recurring obligations (`every:`) and a workspace's warning lights, read exactly (issue #22).

What a clerk relies on: each written rule gives the occurrences it says (id `ID@PERIOD`, due day,
title, phase), and each bad rule, bad `.xixin` file or impossible window gets one problem naming
the file, the line and the key. Pure: plan texts through `parse_plan`, `.xixin` files through
`workspace_warnings`; no CLI.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xixin_cli.errors import PlanError, Problem
from xixin_cli.model import DueBasis, Item, Threshold, Warnings
from xixin_cli.plan_file import parse_plan, workspace_warnings

DOCUMENT = (
    'document: {number: "洗府发〔2023〕9号", issuer: 洗新乡人民政府, date: 2023-01-01, '
    "title: 定期报送}\n"
)
HALVES = """phases:
  h1: {number: "1", name: 上半年, start: 2023-01-01, end: 2023-06-30}
  h2: {number: "2", name: 下半年, start: 2023-07-01, end: 2023-12-31}
"""
OFFICES = "offices: {dangqun: {name: 乡党群办}}\n"
ITEM = """items:
  - id: "1"
    kind: task
    title: 报送月报
    source: 一
    offices: [dangqun]
"""


def plan_text(every: str, *, document: str = DOCUMENT, phases: str = HALVES) -> str:
    """A plan of one item whose `every:` is written as given (indented under the item)."""
    return "format: 1\n" + document + OFFICES + phases + ITEM + every


def occurrences(every: str, **parts: str) -> list[tuple[str, date | None]]:
    plan = parse_plan(plan_text(every, **parts), "p.yaml")
    return [(item.id, item.due) for item in plan.items if item.parent == "1"]


def problems(text: str) -> list[tuple[int | None, str | None, str, dict[str, object]]]:
    with pytest.raises(PlanError) as raised:
        parse_plan(text, "p.yaml")
    assert all(p.path == "p.yaml" for p in raised.value.problems)
    return [(p.line, p.key, p.code, p.params) for p in raised.value.problems]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line holding `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- what each rule gives -------------------------------------------------------------------


def test_a_monthly_rule_makes_one_item_per_month_due_on_its_day_under_its_phase() -> None:
    plan = parse_plan(
        plan_text("    every: {unit: month, day: 25, from: 2023-05-01, until: 2023-08-31}\n"),
        "p.yaml",
    )
    recurring, *made = plan.items
    assert recurring.id == "1" and recurring.due_basis is DueBasis.RECURRING
    assert recurring.due is None and recurring.due_text == "每月25日"
    base = {"kind": recurring.kind, "title": "报送月报", "source": "一", "offices": ("dangqun",)}
    expected = [
        ("1@2023-05", date(2023, 5, 25), "h1"),
        ("1@2023-06", date(2023, 6, 25), "h1"),
        ("1@2023-07", date(2023, 7, 25), "h2"),
        ("1@2023-08", date(2023, 8, 25), "h2"),
    ]
    assert made == [
        Item(
            id=ident,
            text="报送月报",
            offices_text="",
            phase=phase,
            due=due,
            due_basis=DueBasis.STATED,  # an occurrence has a day of its own
            due_text="每月25日",
            parent="1",
            **base,  # type: ignore[arg-type]
        )
        for ident, due, phase in expected
    ]


def test_without_from_and_until_a_rule_runs_over_the_plans_phases() -> None:
    found = occurrences("    every: {unit: quarter, day: end}\n")
    assert found == [
        ("1@2023-Q1", date(2023, 3, 31)),
        ("1@2023-Q2", date(2023, 6, 30)),
        ("1@2023-Q3", date(2023, 9, 30)),
        ("1@2023-Q4", date(2023, 12, 31)),
    ]


def test_until_ends_the_rule_before_the_plan_does() -> None:
    found = occurrences("    every: {unit: month, day: last, until: 2023-02-28}\n")
    assert found == [("1@2023-01", date(2023, 1, 31)), ("1@2023-02", date(2023, 2, 28))]


def test_from_starts_the_rule_after_the_plan_does() -> None:
    found = occurrences("    every: {unit: quarter, day: 15, from: 2023-10-01}\n")
    assert found == [("1@2023-Q4", date(2023, 12, 15))]


def test_a_yearly_rule_is_named_by_its_year() -> None:
    found = occurrences('    every: {unit: year, day: "03-31", until: 2024-12-31}\n')
    assert found == [("1@2023", date(2023, 3, 31)), ("1@2024", date(2024, 3, 31))]


@pytest.mark.parametrize(
    ("written", "found"),
    [
        (
            "每月25日前",
            [("1@2023-01", date(2023, 1, 25)), ("1@2023-02", date(2023, 2, 25))],
        ),
        (
            "每季度末",
            [("1@2023-Q1", date(2023, 3, 31))],
        ),
        (
            "每周五",  # ISO weeks: 2023-01-06 is in week 1
            [
                ("1@2023-W01", date(2023, 1, 6)),
                ("1@2023-W02", date(2023, 1, 13)),
                ("1@2023-W03", date(2023, 1, 20)),
                ("1@2023-W04", date(2023, 1, 27)),
                ("1@2023-W05", date(2023, 2, 3)),
                ("1@2023-W06", date(2023, 2, 10)),
                ("1@2023-W07", date(2023, 2, 17)),
                ("1@2023-W08", date(2023, 2, 24)),
                ("1@2023-W09", date(2023, 3, 3)),
                ("1@2023-W10", date(2023, 3, 10)),
                ("1@2023-W11", date(2023, 3, 17)),
                ("1@2023-W12", date(2023, 3, 24)),
                ("1@2023-W13", date(2023, 3, 31)),
            ],
        ),
        ("每年3月底", [("1@2023", date(2023, 3, 31))]),
    ],
)
def test_each_short_form_gives_its_periods_and_days(
    written: str, found: list[tuple[str, date]]
) -> None:
    one_quarter = 'phases: {q1: {number: "1", name: 一季度, start: 2023-01-01, end: 2023-03-31}}\n'
    assert occurrences(f"    every: {written}\n", phases=one_quarter)[: len(found)] == found
    assert len(occurrences(f"    every: {written}\n", phases=one_quarter)) == len(found) + (
        1 if written.startswith("每月") else 0
    )


def test_the_last_working_day_is_the_official_calendars_stepping_back_over_holidays() -> None:
    found = occurrences("    every: 每月最后一个工作日\n")
    assert [due for _, due in found] == [
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2023, 3, 31),
        date(2023, 4, 28),  # 29th and 30th: the weekend before the May Day holiday
        date(2023, 5, 31),
        date(2023, 6, 30),
        date(2023, 7, 31),
        date(2023, 8, 31),
        date(2023, 9, 28),  # 29th: 中秋, 30th: National Day holiday
        date(2023, 10, 31),
        date(2023, 11, 30),
        date(2023, 12, 29),  # 30th and 31st are a weekend
    ]
    assert [ident for ident, _ in found] == [f"1@2023-{month:02d}" for month in range(1, 13)]


# -- what each bad rule says ----------------------------------------------------------------


@pytest.mark.parametrize("written", ["每天", "每月32日", "每年13月底"])
def test_an_unreadable_short_form_is_named_at_its_line(written: str) -> None:
    text = plan_text(f"    every: {written}\n")
    assert problems(text) == [
        (line_of(text, "every:"), "items[1].every", "plan.bad_every", {"value": written})
    ]


@pytest.mark.parametrize("written", ["", " ~", " null"])
def test_an_every_left_empty_is_an_unreadable_rule_of_no_words(written: str) -> None:
    text = plan_text(f"    every:{written}\n")
    assert problems(text) == [
        (line_of(text, "every:"), "items[1].every", "plan.bad_every", {"value": ""})
    ]


def test_an_every_of_empty_quotes_is_an_empty_text() -> None:
    text = plan_text('    every: ""\n')
    assert problems(text) == [(line_of(text, "every:"), "items[1].every", "plan.empty_text", {})]


def test_an_every_that_is_a_list_wants_a_mapping() -> None:
    text = plan_text("    every:\n      - 每月25日\n")
    assert problems(text) == [(line_of(text, "- 每月"), "items[1].every", "plan.want_mapping", {})]


@pytest.mark.parametrize("missing", ["unit", "day"])
def test_a_rule_without_its_unit_or_day_says_which_is_missing(missing: str) -> None:
    given = {"unit": "month", "day": "25"}
    del given[missing]
    ((key, value),) = given.items()
    text = plan_text(f"    every:\n      {key}: {value}\n")
    assert problems(text) == [
        (line_of(text, f"{key}: {value}"), f"items[1].every.{missing}", "plan.missing_key", {})
    ]


def test_an_unknown_key_in_a_rule_is_named_with_the_rules_path() -> None:
    text = plan_text("    every:\n      unit: month\n      day: 25\n      till: 2023-06-30\n")
    assert [p[:3] for p in problems(text)] == [
        (line_of(text, "till:"), "items[1].every.till", "plan.unknown_key")
    ]


@pytest.mark.parametrize("key", ["from", "until"])
def test_a_bad_from_or_until_date_is_named_at_its_key(key: str) -> None:
    text = plan_text(f"    every:\n      unit: month\n      day: 25\n      {key}: 2023-13-01\n")
    assert problems(text) == [
        (
            line_of(text, f"{key}:"),
            f"items[1].every.{key}",
            "plan.bad_date",
            {"value": "2023-13-01"},
        )
    ]


def test_an_unknown_unit_lists_the_units() -> None:
    text = plan_text("    every:\n      unit: fortnight\n      day: 25\n")
    assert problems(text) == [
        (
            line_of(text, "unit:"),
            "items[1].every.unit",
            "plan.bad_choice",
            {"value": "fortnight", "allowed": "week, month, quarter, year"},
        )
    ]


@pytest.mark.parametrize(
    ("unit", "day"),
    [("month", "32"), ("month", "周五"), ("quarter", "0"), ("week", "25"), ("year", "02-30")],
)
def test_a_day_that_does_not_fit_its_unit_is_named_at_the_day(unit: str, day: str) -> None:
    text = plan_text(f'    every:\n      unit: {unit}\n      day: "{day}"\n')
    assert problems(text) == [
        (line_of(text, "day:"), "items[1].every.day", f"plan.bad_every_day.{unit}", {"value": day})
    ]


# -- what an impossible window says ---------------------------------------------------------

UNDATED = 'document: {number: "洗府发〔2023〕9号", issuer: 洗新乡人民政府, title: 定期报送}\n'


def test_a_rule_with_no_first_day_anywhere_asks_for_from() -> None:
    text = plan_text("    every: 每月25日\n", document=UNDATED, phases="phases: {}\n")
    assert problems(text) == [
        (line_of(text, "- id:"), "items[1].every.from", "plan.every_dates", {})
    ]


def test_a_rule_with_a_first_day_but_no_last_asks_for_until() -> None:
    text = plan_text(
        "    every: {unit: month, day: 25, from: 2023-01-01}\n",
        document=UNDATED,
        phases="phases: {}\n",
    )
    assert problems(text) == [
        (line_of(text, "- id:"), "items[1].every.until", "plan.every_dates", {})
    ]


def test_until_before_from_is_named_at_until_with_both_days() -> None:
    text = plan_text("    every: {unit: month, day: 25, from: 2023-06-01, until: 2023-05-01}\n")
    assert problems(text) == [
        (
            line_of(text, "- id:"),
            "items[1].every.until",
            "plan.end_before_start",
            {"start": "2023-06-01", "end": "2023-05-01"},
        )
    ]


def test_a_window_holding_no_occurrence_is_refused() -> None:
    text = plan_text('    every: {unit: year, day: "03-31", from: 2023-04-01}\n')
    assert problems(text) == [
        (
            line_of(text, "- id:"),
            "items[1].every",
            "plan.every_none",
            {"start": "2023-04-01", "until": "2023-12-31"},
        )
    ]


def test_more_than_a_thousand_occurrences_is_refused() -> None:
    text = plan_text("    every: {unit: week, day: mon, from: 2000-01-01, until: 2030-12-31}\n")
    assert problems(text) == [
        (line_of(text, "- id:"), "items[1].every", "plan.every_too_many", {"limit": "1000"})
    ]


# -- a workspace's warning lights (`.xixin`) ------------------------------------------------


def mark(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".xixin"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as raised:
        workspace_warnings(path)
    assert all(p.path == str(path) for p in raised.value.problems)
    return raised.value.problems


def test_the_workspace_mark_sets_the_lights(tmp_path: Path) -> None:
    path = mark(
        tmp_path, "# xixin working folder\nwarnings: {yellow: 3 working days, blue: 7 days}\n"
    )
    assert workspace_warnings(path) == Warnings(
        Threshold(3, working=True), Threshold(7), given=True
    )


def test_a_mark_without_warnings_sets_none(tmp_path: Path) -> None:
    assert workspace_warnings(mark(tmp_path, "# warnings: {yellow: 3 days}\n")) is None
    assert workspace_warnings(tmp_path / "missing") is None


def test_a_mark_that_is_not_yaml_says_why(tmp_path: Path) -> None:
    (problem,) = refused(mark(tmp_path, "warnings: {yellow: [3 days\n"))
    assert (problem.line, problem.key, problem.code) == (None, None, "plan.not_yaml")
    assert set(problem.params) == {"reason"}
    assert "while parsing a flow sequence" in str(problem.params["reason"])  # the parser's why


def test_an_unknown_key_in_the_mark_is_named_by_itself(tmp_path: Path) -> None:
    (problem,) = refused(mark(tmp_path, "warnings: {yellow: 3 days}\nbell: on\n"))
    assert (problem.line, problem.key, problem.code) == (2, "bell", "plan.unknown_key")


def test_an_unreadable_light_in_the_mark_is_named_at_its_line(tmp_path: Path) -> None:
    (problem,) = refused(mark(tmp_path, "# lights\nwarnings:\n  yellow: soon\n"))
    assert (problem.line, problem.key, problem.code, problem.params) == (
        3,
        "warnings.yellow",
        "plan.bad_warning",
        {"value": "soon"},
    )


def test_a_mark_that_is_one_text_wants_a_mapping(tmp_path: Path) -> None:
    (problem,) = refused(mark(tmp_path, "|\n  warnings: 3 days\n"))
    assert (problem.line, problem.code) == (1, "plan.want_mapping")


def test_a_mark_in_gb18030_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / ".xixin"
    path.write_bytes("# 乡工作目录\nwarnings: {yellow: 3天}\n".encode("gb18030"))
    (problem,) = refused(path)
    assert (problem.line, problem.key, problem.code) == (1, None, "file.gb18030")


# -- more of what a rule gives --------------------------------------------------------------


def test_a_window_of_one_day_holding_the_day_gives_one_occurrence() -> None:
    found = occurrences("    every: {unit: month, day: 25, from: 2023-03-25, until: 2023-03-25}\n")
    assert found == [("1@2023-03", date(2023, 3, 25))]


def test_an_occurrence_on_a_phases_first_or_last_day_stands_under_that_phase() -> None:
    plan = parse_plan(plan_text("    every: {unit: month, day: 1, until: 2023-07-31}\n"), "p.yaml")
    assert [(i.id, i.phase) for i in plan.items if i.parent][::6] == [
        ("1@2023-01", "h1"),  # 2023-01-01: h1's first day
        ("1@2023-07", "h2"),  # 2023-07-01: h2's first day
    ]
    plan = parse_plan(plan_text("    every: {unit: quarter, day: end}\n"), "p.yaml")
    assert [i.phase for i in plan.items if i.parent] == ["h1", "h1", "h2", "h2"]  # 06-30: h1's last


def test_an_occurrence_outside_every_phase_keeps_the_items_own_phase() -> None:
    text = plan_text(
        "    phase: h1\n    every: {unit: month, day: 25, from: 2023-12-01, until: 2024-01-31}\n"
    )
    plan = parse_plan(text, "p.yaml")
    assert [(i.id, i.phase) for i in plan.items if i.parent] == [
        ("1@2023-12", "h2"),
        ("1@2024-01", "h1"),
    ]


@pytest.mark.parametrize("key", ["unit", "day"])
def test_a_unit_or_day_that_is_no_text_is_named_at_its_key(key: str) -> None:
    given = {"unit": "month", "day": "25", key: "[1, 2]"}
    text = plan_text(f"    every:\n      unit: {given['unit']}\n      day: {given['day']}\n")
    assert problems(text) == [
        (line_of(text, f"{key}: [1, 2]"), f"items[1].every.{key}", "plan.want_text", {})
    ]
