"""A plan's warning lights (`warnings:`), read exactly: each written form of a distance, the
defaults, and the problem named at its key and line when a light cannot be read."""

from __future__ import annotations

import pytest

from xixin_cli.errors import PlanError
from xixin_cli.model import DEFAULT_WARNINGS, Threshold, Warnings
from xixin_cli.plan_file import parse_plan

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
