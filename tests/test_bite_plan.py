"""Tests that bite (issue #22): every required key of a plan, missing, is the plan error (exit
3) naming the file, the line and the key — never a crash, never a plan quietly short of it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xixin_cli.errors import ExitCode, PlanError
from xixin_cli.plan_file import (
    DOCUMENT_KEYS,
    ITEM_KEYS,
    MEMBER_KEYS,
    OFFICE_KEYS,
    PHASE_KEYS,
    TOP_KEYS,
    parse_plan,
)

from conftest import Runner
from test_plan_file import SMALL

#: SMALL with a group that lists its members, so every table of keys is used once.
WITH_MEMBERS = SMALL.replace(
    "  cun: {name: 各村, group: true}\n",
    "  cun:\n    name: 各村\n    group: true\n    members:\n      - {name: 洗新村, key: xx}\n",
)

#: Where each table's keys sit in WITH_MEMBERS, as a path of keys and list indexes.
TABLES: list[tuple[tuple[str | int, ...], dict[str, bool], str]] = [
    ((), TOP_KEYS, ""),
    (("document",), DOCUMENT_KEYS, "document"),
    (("offices", "dangqun"), OFFICE_KEYS, "offices.dangqun"),
    (("offices", "cun", "members", 0), MEMBER_KEYS, "offices.cun.members.0"),
    (("phases", "one"), PHASE_KEYS, "phases.one"),
    (("items", 3), ITEM_KEYS, "items[5.1.1]"),
]

REQUIRED = [
    (path, key, where)
    for path, table, where in TABLES
    for key, required in table.items()
    if required
]


def _without(path: tuple[str | int, ...], key: str) -> str:
    tree = yaml.safe_load(WITH_MEMBERS)
    node = tree
    for step in path:
        node = node[step]
    node.pop(key, None)
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def test_the_tables_are_the_keys_a_plan_needs() -> None:
    """The required keys, written out: a key made optional by mistake fails here first."""
    assert sorted((where, key) for _, key, where in REQUIRED) == sorted(
        [
            ("", "format"),
            ("", "document"),
            ("", "offices"),
            ("", "phases"),
            ("", "items"),
            ("document", "number"),
            ("document", "issuer"),
            ("document", "title"),
            ("offices.dangqun", "name"),
            ("offices.cun.members.0", "name"),
            ("phases.one", "number"),
            ("phases.one", "name"),
            ("phases.one", "start"),
            ("phases.one", "end"),
            ("items[5.1.1]", "id"),
            ("items[5.1.1]", "kind"),
            ("items[5.1.1]", "title"),
        ]
    )


def test_the_plan_with_members_loads() -> None:
    plan = parse_plan(WITH_MEMBERS, "p.yaml")
    assert plan.offices["cun"].members == ("xx",)
    assert plan.get("4.1.1") is not None and plan.get("4.1.1").offices == ("dangqun", "xx")  # type: ignore[union-attr]


@pytest.mark.parametrize(("path", "key", "where"), REQUIRED, ids=lambda v: str(v))
def test_a_missing_required_key_is_a_plan_problem_naming_it(
    path: tuple[str | int, ...], key: str, where: str
) -> None:
    text = _without(path, key)
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "p.yaml")
    name = f"{where}.{key}" if where else key
    if key == "id":
        name = "items[3].id"  # an item without its id is known by its place
    found = [(p.key, p.code) for p in caught.value.problems]
    assert (name, "plan.missing_key") in found
    assert all(p.path == "p.yaml" and p.line is not None for p in caught.value.problems)


@pytest.mark.parametrize(("path", "key", "where"), REQUIRED[:8], ids=lambda v: str(v))
def test_a_missing_required_key_exits_3_with_one_line_per_problem(
    xixin: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: tuple[str | int, ...],
    key: str,
    where: str,
) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(_without(path, key), encoding="utf-8")
    monkeypatch.setenv("XIXIN_PLAN", str(plan))
    result = xixin("list")
    assert result.code == 3 == int(ExitCode.PLAN)
    assert result.out == ""
    name = f"{where}.{key}" if where else key
    assert f"{plan}:" in result.err and name in result.err
    assert "Traceback" not in result.err and "AssertionError" not in result.err


@pytest.mark.parametrize(("path", "key", "where"), REQUIRED, ids=lambda v: str(v))
def test_a_required_key_left_empty_is_missing_too(
    path: tuple[str | int, ...], key: str, where: str
) -> None:
    tree = yaml.safe_load(WITH_MEMBERS)
    node = tree
    for step in path:
        node = node[step]
    node[key] = None
    with pytest.raises(PlanError) as caught:
        parse_plan(yaml.safe_dump(tree, allow_unicode=True), "p.yaml")
    assert "plan.missing_key" in [p.code for p in caught.value.problems]


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (path, key)
        for path, table, _ in TABLES
        for key, required in table.items()
        # An item with no parent needs its own source, units and due date (another rule).
        if not required and key not in ("source", "offices", "due", "due_basis", "due_text")
    ],
    ids=lambda v: str(v),
)
def test_an_optional_key_may_be_left_out(path: tuple[str | int, ...], key: str) -> None:
    plan = parse_plan(_without(path, key), "p.yaml")
    assert plan.get("5.1.1") is not None


# -- the model: a plan as a value ------------------------------------------------------------------


def test_office_names_long_and_short() -> None:
    from xixin_cli.model import Office, find_office, short_name

    assert short_name("乡民政办") == "民政办"
    assert short_name("乡司法") == "乡司法"  # three characters: the 乡 is part of the name
    assert short_name("各村") == "各村" and short_name("洗新乡政府") == "洗新乡政府"
    offices = {"minzheng": Office("minzheng", "乡民政办"), "cun": Office("cun", "各村", True)}
    assert find_office(offices, "minzheng") == "minzheng"
    assert find_office(offices, "乡民政办") == "minzheng"
    assert find_office(offices, "民政办") == "minzheng"
    assert find_office(offices, "各村") == "cun"
    assert find_office(offices, "村") is None and find_office(offices, "") is None


def test_a_plan_is_a_read_only_value() -> None:
    import pickle

    plan = parse_plan(WITH_MEMBERS, "p.yaml")
    same = parse_plan(WITH_MEMBERS, "p.yaml")
    assert plan == same and plan != plan.with_path("q.yaml") and plan != "p.yaml"
    assert plan.with_path("q.yaml").path == "q.yaml"
    assert plan.with_path("q.yaml").items == plan.items
    assert pickle.loads(pickle.dumps(plan)) == plan
    assert repr(plan).startswith("Plan(path='p.yaml', document=Document(")
    with pytest.raises(AttributeError):
        plan.path = "x"
    with pytest.raises(AttributeError):
        del plan.items
    with pytest.raises(TypeError):
        hash(plan)


def test_a_plans_items_and_units() -> None:
    plan = parse_plan(WITH_MEMBERS, "p.yaml")
    assert plan.get("4.1.1") is not None and plan.get("nope") is None
    assert plan.children("4.1") == ("4.1.1", "4.1.2") and plan.children("4.1.1") == ()
    assert plan.is_leaf("4.1.1") and not plan.is_leaf("4.1") and plan.is_leaf("nope")
    assert list(plan.parent_ids()) == ["4.1"]
    assert plan.unknown(["x", "4.1", "y"]) == ["x", "y"]
    assert plan.units("cun") == frozenset({"xx"}) and plan.units("dangqun") == {"dangqun"}
    item = plan.get("4.1.1")
    assert item is not None
    assert plan.office_names(item) == ("乡党群办", "洗新村")
    assert plan.named_units(item) == ("乡党群办", "各村")  # all of 各村's members: the group
    assert plan.offices["xx"].parent == "cun" and plan.offices["cun"].members == ("xx",)


def test_which_statuses_are_open() -> None:
    from xixin_cli.model import Status

    assert [s.value for s in Status if s.is_open] == ["todo", "doing", "blocked"]
