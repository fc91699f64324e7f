"""Tests that bite (issue #22), session 7: the plan loader's survivors of the session-6 run
(`docs/mutation-survivors-7-core.md`) and the fold's part of an item that names no unit.

Each plan problem is held to its line and its key (`items[ID].KEY`), as `xixin validate`
prints it: a problem with no key would leave the clerk looking through the whole item.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from xixin_cli.errors import PlanError
from xixin_cli.fold import fold, part_view, states
from xixin_cli.model import DueBasis, Event, Plan, Status
from xixin_cli.plan_file import parse_plan

from test_plan_file import SMALL

Found = list[tuple[int | None, str | None, str]]


def problems(text: str) -> Found:
    with pytest.raises(PlanError) as raised:
        parse_plan(text, "p.yaml")
    return [(p.line, p.key, p.code) for p in raised.value.problems]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line holding `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def with_step(old: str, new: str) -> str:
    """SMALL with one line of its last item (the step 5.1.1) written as `new`."""
    assert SMALL.count(old) == 1
    return SMALL.replace(old, new)


# -- each problem names its key -------------------------------------------------------------


def test_a_key_written_twice_is_the_only_problem_and_the_keys_after_it_are_read() -> None:
    """Kills `_Reader.mapping` 30 (`continue` -> `break` after a duplicate key).

    5.1.1 writes `title` twice, then its other keys. The second `title` is the one problem
    (its own line); `source`, `offices`, `phase`, `due`, `due_basis` and `due_text` come after
    it and are still read, so none of them is reported missing. Stopping at the duplicate
    would report source, offices and due_basis missing for an item that has them.
    """
    text = with_step("    title: 自查\n", "    title: 自查\n    title: 自查自纠\n")
    assert problems(text) == [
        (line_of(text, "title: 自查自纠"), "items[5.1.1].title", "plan.duplicate_key")
    ]


def test_an_empty_offices_text_is_reported_at_offices() -> None:
    """Kills `_Reader.texts` 7 (a single text read with no key for its problem).

    `offices: ""` is one text, empty: it is reported at `items[5.1.1].offices` on its line,
    and, naming no unit, the list is empty (reported at the same key).
    """
    text = with_step("    offices: [乡党群办]\n", '    offices: ""\n')
    line = line_of(text, 'offices: ""')
    assert problems(text) == [
        (line, "items[5.1.1].offices", "plan.empty_text"),
        (line, "items[5.1.1].offices", "plan.empty_list"),
    ]


def test_offices_written_as_a_mapping_is_reported_at_offices() -> None:
    """Kills `_Reader.item` 185 (the offices list read with no key for its problems).

    `offices: {dangqun: 乡党群办}` is a mapping where a list is wanted: `plan.want_list` at
    `items[5.1.1].offices` on its line, and no unit is named (the empty list, same key).
    """
    text = with_step("    offices: [乡党群办]\n", "    offices: {dangqun: 乡党群办}\n")
    line = line_of(text, "offices: {dangqun")
    assert problems(text) == [
        (line, "items[5.1.1].offices", "plan.want_list"),
        (line, "items[5.1.1].offices", "plan.empty_list"),
    ]


@pytest.mark.parametrize(
    ("key", "mutant"),
    [("note", "item 149"), ("offices_text", "item 168")],
)
def test_a_list_where_a_text_is_wanted_is_reported_at_its_key(key: str, mutant: str) -> None:
    """Kills `_Reader.item` 149 (`note`) and 168 (`offices_text`): each read with no key.

    Both are optional texts; written as a list they are `plan.want_text`, reported at
    `items[5.1.1].KEY` on the key's line. `mutant` only names the case.
    """
    text = with_step("    due_text: 2月底前\n", f"    due_text: 2月底前\n    {key}: [甲, 乙]\n")
    assert problems(text) == [(line_of(text, f"{key}: ["), f"items[5.1.1].{key}", "plan.want_text")]


# -- a due date on the first day of its phase ----------------------------------------------


def test_a_due_date_on_the_phases_first_day_is_inside_it() -> None:
    """Kills `_Reader._due` 62 (`phase.start <= due` -> `<`).

    A phase's window includes both ends (docs/plan-format.md, "phases"): phase one runs
    2024-01-01..2024-03-31, so a step stated due 2024-01-01 loads with that day; the day
    before is outside it.
    """
    text = with_step("    due: 2024年2月29日\n", "    due: 2024-01-01\n")
    step = parse_plan(text, "p.yaml").get("5.1.1")
    assert step is not None and step.due == date(2024, 1, 1)
    before = with_step("    due: 2024年2月29日\n", "    due: 2023-12-31\n")
    assert problems(before) == [
        (line_of(before, "due: 2023-12-31"), "items[5.1.1].due", "plan.due_outside_phase")
    ]


# -- a recurring task's rule passes only to children that set no dates of their own ----------

RECURRING = """\
format: 1
document: {number: "洗府发〔2023〕9号", issuer: 洗新乡人民政府, date: 2023-01-01, title: 定期报送}
offices: {dangqun: {name: 乡党群办}}
phases:
  h1: {number: "1", name: 上半年, start: 2023-01-01, end: 2023-06-30}
  h2: {number: "2", name: 下半年, start: 2023-07-01, end: 2023-12-31}
items:
  - id: "1"
    kind: task
    title: 报送月报
    source: 一
    offices: [dangqun]
    every: 每月25日
"""


def test_a_child_that_sets_due_basis_does_not_recur_by_its_tasks_rule() -> None:
    """Kills `_Reader.item` 115 (`due_basis` dropped from the keys that stop the inheritance).

    docs/plan-format.md: `every` is inherited by each child that sets none of `every`, `due`
    and `due_basis`. 1.1 sets `due_basis: standing`: it is a standing action (no due day, no
    occurrences). 1.2 sets none: it recurs monthly, 1.2@2023-01 due 2023-01-25.
    """
    text = RECURRING + (
        '  - {id: "1.1", parent: "1", kind: action, title: 日常督办, due_basis: standing, '
        "due_text: 常态化}\n"
        '  - {id: "1.2", parent: "1", kind: action, title: 报送进展}\n'
    )
    plan = parse_plan(text, "p.yaml")
    standing = plan.get("1.1")
    assert standing is not None
    assert (standing.due_basis, standing.due) == (DueBasis.STANDING, None)
    assert [item.id for item in plan.items if item.id.startswith("1.1@")] == []
    first = plan.get("1.2@2023-01")
    assert first is not None and first.due == date(2023, 1, 25)


def test_a_child_under_an_unreadable_rule_is_left_for_when_it_is_right() -> None:
    """1.1 writes its own `every`, unreadable (每季度, no day): that is its problem. Its child
    1.1.1, under a parent that could not be read, would inherit nothing, so its own checks
    would only echo that problem (source, offices, due_basis each missing, the parent
    unknown: a new user's trial met 38 such lines for one typo). It is left unchecked, said
    once on 1.1's line, and checked once 1.1 is right.

    (This test once killed `_Reader.item` 111, `every` dropped from the keys that stop the
    inheritance, through those echoes; with the child unchecked under a broken parent that
    mutant changes nothing anyone can see.)
    """
    text = RECURRING + (
        '  - {id: "1.1", parent: "1", kind: action, title: 报送季报, every: 每季度}\n'
        '  - {id: "1.1.1", parent: "1.1", kind: action, title: 汇总}\n'
    )
    rule, parent = line_of(text, "every: 每季度"), line_of(text, '"1.1"')
    assert sorted(problems(text), key=str) == sorted(
        [
            (rule, "items[1.1].every", "plan.bad_every"),
            (parent, "items[1.1]", "plan.children_unchecked"),
        ],
        key=str,
    )
    fixed = text.replace("every: 每季度}", "every: 每月25日}")
    plan = parse_plan(fixed, "p.yaml")  # right, and 1.1.1 takes its rule: checked, and good
    assert plan.get("1.1.1") is not None


# -- the fold: an item that names no unit has one part, the unit "" -------------------------


def test_an_item_that_names_no_unit_has_one_part_for_no_unit() -> None:
    """Kills `fold.states` 61 (the part of an item with no units keyed "XXXX", not "").

    `PartState.office` is "" for an item that names no unit, the key a record naming no unit
    is folded by: 5.1.1 with no units, marked done by such a record, has one part, unit "",
    done; and that part's view (`part_view(state, "")`) is done too.
    """
    small = parse_plan(SMALL, "p.yaml")
    items = tuple(i._replace(offices=()) if i.id == "5.1.1" else i for i in small.items)
    plan = Plan(small.path, small.document, small.offices, small.phases, items)
    at = datetime(2024, 1, 10, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    done = Event("e1", at, "5.1.1", Status.DONE, Status.TODO, "clerk")
    state = states(plan, fold([done]))["5.1.1"]
    assert [(part.office, part.status) for part in state.parts] == [("", Status.DONE)]
    assert part_view(state, "").status is Status.DONE
