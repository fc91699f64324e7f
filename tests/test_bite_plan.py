"""Tests that bite (issue #22): every required key of a plan, missing, is the plan error (exit
3) naming the file, the line and the key — never a crash, never a plan quietly short of it."""

from __future__ import annotations

import re
from datetime import date
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
    with pytest.raises(AttributeError, match="read-only; use with_path"):
        plan.path = "x"
    with pytest.raises(AttributeError, match=r"read-only \(items\)"):
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


# -- a bad plan: the first problem said, where, and with what --------------------------------------

#: (case, text of WITH_MEMBERS, replaced by, the first problem: line, key, code, values). Each
#: was read against the YAML it names: the line is the line of the offending key or value.
BAD = [
    # Due dates against their basis and phase, leads among the units.
    (
        "due on standing",
        "    due_basis: standing\n    due_text: 常态化\n",
        "    due_basis: standing\n    due_text: 常态化\n    due: 2024-03-01\n",
        (38, "items[4.1.2].due", "plan.due_on_standing", {}),
    ),
    (
        "stated without due",
        "    due: 2024年2月29日\n",
        "",
        (38, "items[5.1.1].due", "plan.due_missing", {}),
    ),
    (
        "stated without due_text",
        "    due_text: 2月底前\n",
        "",
        (38, "items[5.1.1].due_text", "plan.due_text_missing", {}),
    ),
    (
        "phase basis without phase",
        "    phase: one\n    due_basis: phase\n",
        "    due_basis: phase\n",
        (21, "items[4.1].phase", "plan.phase_needed", {}),
    ),
    (
        "due outside phase",
        "    due: 2024年2月29日\n",
        "    due: 2024年4月1日\n",
        (
            44,
            "items[5.1.1].due",
            "plan.due_outside_phase",
            {"due": "2024-04-01", "phase": "第一阶段", "start": "2024-01-01", "end": "2024-03-31"},
        ),
    ),
    (
        "due before phase",
        "    due: 2024年2月29日\n",
        "    due: 2023年12月31日\n",
        (
            44,
            "items[5.1.1].due",
            "plan.due_outside_phase",
            {"due": "2023-12-31", "phase": "第一阶段", "start": "2024-01-01", "end": "2024-03-31"},
        ),
    ),
    (
        "lead not office",
        "    offices: [乡党群办]\n",
        "    offices: [乡党群办]\n    lead: [各村]\n",
        (43, "items[5.1.1].lead", "plan.lead_not_office", {}),
    ),
    (
        "unknown office name hint",
        "    offices: [乡党群办]\n",
        "    offices: [党群]\n",
        (
            42,
            "items[5.1.1].offices",
            "plan.unknown_office",
            {"value": "党群", "hint": ["乡党群办"], "allowed": "dangqun, cun, xx"},
        ),
    ),
    (
        "bad basis",
        "    due_basis: stated\n",
        "    due_basis: said\n",
        (
            45,
            "items[5.1.1].due_basis",
            "plan.bad_choice",
            {"value": "said", "allowed": "stated, phase, standing, recurring"},
        ),
    ),
    # One hint at most (4.1.1 and 4.1.2 are half like 4.3 too), from half alike up.
    (
        "parent hint is one",
        '  - id: "5.1.1"\n',
        '  - id: "5.1.1"\n    parent: "4.3"\n',
        (39, "items[5.1.1].parent", "plan.unknown_parent", {"value": "4.3", "hint": ["4.1"]}),
    ),
    (
        "phase hint half like",
        "    phase: one\n    due: 2024年2月29日\n",
        "    phase: onxy\n    due: 2024年2月29日\n",
        (
            43,
            "items[5.1.1].phase",
            "plan.unknown_phase",
            {"value": "onxy", "hint": ["one"], "allowed": "one"},
        ),
    ),
    (
        "group flag bad",
        "    group: true\n",
        "    group: maybe\n",
        (11, "offices.cun.group", "plan.want_bool", {"value": "maybe"}),
    ),
    (
        "bad kind",
        "    kind: step\n",
        "    kind: stepp\n",
        (
            39,
            "items[5.1.1].kind",
            "plan.bad_choice",
            {"value": "stepp", "allowed": "task, action, step, measure"},
        ),
    ),
    (
        "bad date",
        "  date: 2024-01-05\n",
        "  date: 2024-02-30\n",
        (5, "document.date", "plan.bad_date", {"value": "2024-02-30"}),
    ),
    (
        "end before start",
        "    end: 2024-03-31\n",
        "    end: 2023-12-31\n",
        (
            19,
            "phases.one.end",
            "plan.end_before_start",
            {"start": "2024-01-01", "end": "2023-12-31"},
        ),
    ),
    (
        "phase bad start",
        "    start: 2024-01-01\n",
        "    start: soon\n",
        (18, "phases.one.start", "plan.bad_date", {"value": "soon"}),
    ),
    (
        "unknown parent",
        '    parent: "4.1"\n    kind: action\n    title: 第一个行动\n',
        '    parent: "4.2"\n    kind: action\n    title: 第一个行动\n',
        (29, "items[4.1.1].parent", "plan.unknown_parent", {"value": "4.2", "hint": ["4.1"]}),
    ),
    (
        "unknown phase",
        "    phase: one\n    due: 2024年2月29日\n",
        "    phase: on\n    due: 2024年2月29日\n",
        (
            43,
            "items[5.1.1].phase",
            "plan.unknown_phase",
            {"value": "on", "hint": ["one"], "allowed": "one"},
        ),
    ),
    (
        "unknown office",
        "    offices: [乡党群办]\n",
        "    offices: [乡党群]\n",
        (
            42,
            "items[5.1.1].offices",
            "plan.unknown_office",
            {"value": "乡党群", "hint": ["乡党群办"], "allowed": "dangqun, cun, xx"},
        ),
    ),
    (
        "duplicate id",
        '  - id: "5.1.1"\n',
        '  - id: "4.1.1"\n',
        (38, "items[4.1.1].id", "plan.duplicate_id", {"first_line": 28}),
    ),
    (
        "bad id",
        '  - id: "5.1.1"\n',
        '  - id: "5.1 1"\n',
        (38, "items[5.1 1].id", "plan.bad_id", {"value": "5.1 1"}),
    ),
    (
        "empty offices",
        "    offices: [乡党群办]\n",
        "    offices: []\n",
        (42, "items[5.1.1].offices", "plan.empty_list", {}),
    ),
    (
        "members scalar",
        "    members:\n      - {name: 洗新村, key: xx}\n",
        "    members: 洗新村\n",
        (12, "offices.cun.members", "plan.want_list", {}),
    ),
    (
        "members empty",
        "    members:\n      - {name: 洗新村, key: xx}\n",
        "    members: []\n",
        (12, "offices.cun.members", "plan.empty_list", {}),
    ),
    (
        "member dup name",
        "    members:\n      - {name: 洗新村, key: xx}\n",
        "    members:\n      - {name: 乡党群办, key: xx}\n",
        (8, "offices.xx.name", "plan.duplicate_name", {"value": "乡党群办", "other": "dangqun"}),
    ),
    (
        "member dup key",
        "    members:\n      - {name: 洗新村, key: xx}\n",
        "    members:\n      - {name: 洗新村, key: dangqun}\n",
        (
            13,
            "offices.cun.members",
            "plan.duplicate_name",
            {"value": "dangqun", "other": "dangqun"},
        ),
    ),
    (
        "dup office name",
        "  dangqun: {name: 乡党群办}\n",
        "  dangqun: {name: 乡党群办}\n  dq2: {name: 乡党群办}\n",
        (8, "offices.dq2.name", "plan.duplicate_name", {"value": "乡党群办", "other": "dangqun"}),
    ),
    (
        "format 2",
        "format: 1\n",
        "format: 2\n",
        (1, "format", "plan.bad_format", {"found": "2", "supported": 1}),
    ),
    (
        "unknown top key",
        "format: 1\n",
        "format: 1\nextra: 1\n",
        (
            2,
            "extra",
            "plan.unknown_key",
            {"allowed": "format, document, offices, phases, items, warnings", "hint": []},
        ),
    ),
    (
        "dup key",
        "  issuer: 测试乡人民政府\n",
        "  issuer: 测试乡人民政府\n  issuer: 又一个\n",
        (5, "document.issuer", "plan.duplicate_key", {}),
    ),
    (
        "want mapping",
        "document:\n  number: 测府发〔2024〕1号\n",
        "document: 1\nx:\n  number: 测府发〔2024〕1号\n",
        (
            3,
            "x",
            "plan.unknown_key",
            {"allowed": "format, document, offices, phases, items, warnings", "hint": []},
        ),
    ),
    (
        "items empty",
        "items:\n",
        "items: []\nzz:\n",
        (
            21,
            "zz",
            "plan.unknown_key",
            {"allowed": "format, document, offices, phases, items, warnings", "hint": []},
        ),
    ),
    (
        "want text",
        "  title: 测试实施方案\n",
        "  title: [a, b]\n",
        (6, "document.title", "plan.want_text", {}),
    ),
    (
        "empty text",
        "  title: 测试实施方案\n",
        "  title: '  '\n",
        (6, "document.title", "plan.empty_text", {}),
    ),
    (
        "tag",
        "  title: 测试实施方案\n",
        "  title: !!python/name:os.system x\n",
        (6, None, "plan.tag", {"tag": "!!python/name:os.system"}),
    ),
    (
        "recipients mapping",
        "  title: 测试实施方案\n",
        "  title: 测试实施方案\n  recipients: {a: 1}\n",
        (7, "document.recipients", "plan.want_list", {}),
    ),
    (
        "phases empty ok",
        "phases:\n  one:\n",
        "phases: {}\nphases_x:\n  one:\n",
        (
            15,
            "phases_x",
            "plan.unknown_key",
            {"allowed": "format, document, offices, phases, items, warnings", "hint": ["phases"]},
        ),
    ),
    (
        "empty key",
        "  dangqun: {name: 乡党群办}\n",
        "  dangqun: {name: 乡党群办}\n  '': {name: 空}\n",
        (9, "offices", "plan.empty_text", {}),
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "first"), BAD, ids=[case[0] for case in BAD])
def test_a_bad_plan_says_what_and_where(
    case: str, old: str, new: str, first: tuple[int, str | None, str, dict[str, object]]
) -> None:
    assert old in WITH_MEMBERS
    with pytest.raises(PlanError) as caught:
        parse_plan(WITH_MEMBERS.replace(old, new, 1), "p.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.key, problem.code, problem.params) == first
    assert problem.path == "p.yaml"


@pytest.mark.parametrize(
    ("old", "new", "offices", "recipients"),
    [
        ("    group: true\n", "    group: yes\n", {"cun": (True, ("xx",))}, ()),
        ("    group: true\n", "    group: off\n", {"cun": (True, ("xx",))}, ()),  # has members
        (
            "    members:\n      - {name: 洗新村, key: xx}\n",
            "    members:\n      xx: {name: 洗新村}\n      yy: 龙河村\n",
            {"cun": (True, ("xx", "yy")), "yy": (False, ())},
            (),
        ),
        (
            "    members:\n      - {name: 洗新村, key: xx}\n",
            "    members: [洗新村, 龙河村]\n",
            {"cun": (True, ("洗新村", "龙河村")), "龙河村": (False, ())},
            (),
        ),
        ("  title: 测试实施方案\n", "  title: 测试实施方案\n  recipients: 各村\n", {}, ("各村",)),
        (
            "  title: 测试实施方案\n",
            "  title: 测试实施方案\n  recipients: [各村, 各科室]\n",
            {},
            ("各村", "各科室"),
        ),
    ],
)
def test_the_forms_a_plan_may_take(
    old: str,
    new: str,
    offices: dict[str, tuple[bool, tuple[str, ...]]],
    recipients: tuple[str, ...],
) -> None:
    plan = parse_plan(WITH_MEMBERS.replace(old, new, 1), "p.yaml")
    for key, (group, members) in offices.items():
        assert (plan.offices[key].group, plan.offices[key].members) == (group, members)
        for member in members:
            assert plan.offices[member].parent == key
    assert plan.document.recipients == recipients
    assert plan.offices["dangqun"].group is False


def test_an_action_takes_what_it_does_not_say_from_its_task() -> None:
    own = WITH_MEMBERS.replace(
        "    kind: action\n    title: 第一个行动\n",
        "    kind: action\n    title: 第一个行动\n    due: 2024-02-15\n    source: 四（一）1\n"
        "    offices: [cun]\n    lead: [cun]\n    offices_text: 各村\n",
    )
    plan = parse_plan(own, "p.yaml")
    action, other = plan.get("4.1.1"), plan.get("4.1.2")
    assert action is not None and other is not None
    assert (action.due, action.due_basis.value, action.due_text) == (date(2024, 2, 15), "phase", "")
    assert (action.source, action.offices, action.lead, action.offices_text) == (
        "四（一）1",
        ("xx",),
        ("xx",),
        "各村",
    )
    assert (other.due, other.source, other.offices, other.lead, other.phase) == (
        None,
        "四（一）",
        ("dangqun", "xx"),
        (),
        "one",
    )
    stated = WITH_MEMBERS.replace(
        "    kind: action\n    title: 第一个行动\n",
        "    kind: action\n    title: 第一个行动\n    due_basis: stated\n    due: 2024-03-01\n"
        "    due_text: 3月1日前\n    text: 全文\n    note: 备注\n",
    )
    action = parse_plan(stated, "p.yaml").get("4.1.1")
    assert action is not None
    assert (action.due, action.due_basis.value, action.due_text, action.text, action.note) == (
        date(2024, 3, 1),
        "stated",
        "3月1日前",
        "全文",
        "备注",
    )


def test_a_group_named_by_all_its_members_is_named_as_the_group() -> None:
    plan = parse_plan(
        WITH_MEMBERS.replace("    offices: [乡党群办]\n", "    offices: [各村]\n"), "p"
    )
    step = plan.get("5.1.1")
    assert step is not None and step.offices == ("xx",)
    assert plan.named_units(step) == ("各村",)
    two = WITH_MEMBERS.replace(
        "      - {name: 洗新村, key: xx}\n",
        "      - {name: 洗新村, key: xx}\n      - {name: 龙河村, key: lh}\n",
    ).replace("    offices: [乡党群办]\n", "    offices: [洗新村]\n")
    plan = parse_plan(two, "p")
    step = plan.get("5.1.1")
    assert step is not None and plan.named_units(step) == ("洗新村",)  # not all of 各村


def test_a_plan_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    from xixin_cli.plan_file import load_plan

    path = tmp_path / "p.yaml"
    path.write_bytes(WITH_MEMBERS.encode("gb18030"))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.code) == (str(path), 3, "file.gb18030")


def test_members_as_a_mapping_keep_their_notes_and_say_where_a_key_is_empty() -> None:
    notes = WITH_MEMBERS.replace(
        "    members:\n      - {name: 洗新村, key: xx}\n",
        "    members:\n      xx: {name: 洗新村, note: 村委会}\n      yy: 龙河村\n",
    )
    plan = parse_plan(notes, "p.yaml")
    assert (plan.offices["xx"].note, plan.offices["yy"].note) == ("村委会", "")
    listed = WITH_MEMBERS.replace("{name: 洗新村, key: xx}", "{name: 洗新村, key: xx, note: 村委}")
    assert parse_plan(listed, "p.yaml").offices["xx"].note == "村委"
    empty = notes.replace("      yy: 龙河村\n", "      '': 龙河村\n")
    with pytest.raises(PlanError) as caught:
        parse_plan(empty, "p.yaml")
    assert [(p.line, p.key, p.code) for p in caught.value.problems] == [
        (14, "offices.cun.members", "plan.empty_text")
    ]


# -- what a problem names: the code, the line and the key, each exactly ----------------------------


def _found(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "p.yaml")
    assert all(p.path == "p.yaml" for p in caught.value.problems)
    return [(p.line, p.key, p.code) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A value that must be text given as a list: the key it was given for is named.
        ("format: 1\n", "format: [1]\n", (1, "format", "plan.want_text")),
        ('  - id: "5.1.1"\n', "  - id: [5.1.1]\n", (38, "items[3].id", "plan.want_text")),
        (
            "    end: 2024-03-31\n",
            "    end: 2024-03-31\n    window_text: [2024年1月]\n",
            (20, "phases.one.window_text", "plan.want_text"),
        ),
        (
            "{name: 洗新村, key: xx}",
            "{name: 洗新村, key: xx, note: [村委]}",
            (13, "offices.cun.members.0.note", "plan.want_text"),
        ),
        # Members as a mapping are named by their key, not their place.
        (
            "    members:\n      - {name: 洗新村, key: xx}\n",
            "    members:\n      xx: {name: [洗新村]}\n",
            (13, "offices.cun.members.xx.name", "plan.want_text"),
        ),
        (
            "      - {name: 洗新村, key: xx}\n",
            "      - {name: 洗新村, key: xx}\n      - ''\n",
            (14, "offices.cun.members.1", "plan.empty_text"),
        ),
        # Offices as a list instead of a mapping of keys.
        (
            "  dangqun: {name: 乡党群办}\n  cun:\n    name: 各村\n    group: true\n"
            "    members:\n      - {name: 洗新村, key: xx}\n",
            "  - 乡党群办\n",
            (8, "offices", "plan.want_keyed"),
        ),
        # A source that is not text is one problem, not also a missing source.
        (
            "    source: 五（一）1\n",
            "    source: [五（一）1]\n",
            (41, "items[5.1.1].source", "plan.want_text"),
        ),
        # Without a parent to take them from, an item must say its units and its due basis.
        ("    offices: [乡党群办]\n", "", (38, "items[5.1.1].offices", "plan.missing_key")),
        ("    due_basis: stated\n", "", (38, "items[5.1.1].due_basis", "plan.missing_key")),
    ],
)
def test_a_problem_names_the_key_and_line_it_is_about(
    old: str, new: str, expected: tuple[int, str, str]
) -> None:
    assert old in WITH_MEMBERS
    found = _found(WITH_MEMBERS.replace(old, new, 1))
    assert found[0] == expected
    if not expected[1].startswith("offices"):
        assert found == [expected]  # one mistake, one problem


def test_a_duplicate_office_key_is_named_at_its_line_and_the_rest_still_read() -> None:
    text = WITH_MEMBERS.replace(
        "  dangqun: {name: 乡党群办}\n",
        "  dangqun: {name: 乡党群办}\n  dangqun: {name: 乡民政办}\n",
    )
    # Only the duplicate: 各村 after it is still read (the items naming it find it).
    assert _found(text) == [(9, "offices.dangqun", "plan.duplicate_key")]


def test_an_unknown_key_is_hinted_only_when_it_is_close_to_an_allowed_one() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(
            WITH_MEMBERS.replace("    title: 自查\n", "    title: 自查\n    deadline: 2月底\n"), "p"
        )
    (problem,) = caught.value.problems
    assert (problem.key, problem.code) == ("items[5.1.1].deadline", "plan.unknown_key")
    assert problem.params["hint"] == []  # not "lead": too far to be what was meant
    with pytest.raises(PlanError) as caught:
        parse_plan(
            WITH_MEMBERS.replace("    title: 自查\n", "    title: 自查\n    phaze: one\n"), "p"
        )
    assert caught.value.problems[0].params["hint"] == ["phase"]


def test_the_document_as_written_and_what_it_leaves_out() -> None:
    from xixin_cli.model import Document

    plan = parse_plan(WITH_MEMBERS, "p.yaml")
    assert plan.document == Document(
        number="测府发〔2024〕1号",
        issuer="测试乡人民政府",
        date=date(2024, 1, 5),
        title="测试实施方案",
        notice="",
        recipients=(),
        goal="",
        language="zh",  # a plan that names no language is Chinese
    )


def test_an_office_may_say_it_is_no_group() -> None:
    for value in ("no", "false", "off"):
        text = WITH_MEMBERS.replace(
            "  dangqun: {name: 乡党群办}\n", f"  dangqun: {{name: 乡党群办, group: {value}}}\n"
        )
        assert parse_plan(text, "p.yaml").offices["dangqun"].group is False
    text = WITH_MEMBERS.replace(
        "  dangqun: {name: 乡党群办}\n", "  dangqun: {name: 乡党群办, group: yes}\n"
    )
    assert parse_plan(text, "p.yaml").offices["dangqun"].group is True


def test_an_action_takes_its_tasks_lead_and_keeps_its_own_due_text() -> None:
    text = WITH_MEMBERS.replace(
        "    offices: [dangqun, cun]\n    phase: one\n    due_basis: phase\n",
        "    offices: [dangqun, cun]\n    lead: [dangqun]\n    phase: one\n    due_basis: phase\n"
        "    due_text: 3月底前\n",
    ).replace("    title: 第一个行动\n", "    title: 第一个行动\n    due_text: 2月中旬\n")
    plan = parse_plan(text, "p.yaml")
    own, other = plan.get("4.1.1"), plan.get("4.1.2")
    assert own is not None and other is not None
    assert (own.lead, own.due_text, own.due_basis.value, own.due) == (
        ("dangqun",),
        "2月中旬",
        "phase",
        date(2024, 3, 31),
    )
    assert (other.lead, other.due_text) == (("dangqun",), "常态化")  # its own basis, its own text


def test_an_items_note_may_be_empty_and_is_empty_when_not_given() -> None:
    plan = parse_plan(
        WITH_MEMBERS.replace("    title: 自查\n", "    title: 自查\n    note: ''\n"), "p"
    )
    step = plan.get("5.1.1")
    assert step is not None and step.note == ""
    first = parse_plan(WITH_MEMBERS, "p").get("4.1.1")
    assert first is not None and first.note == ""


def test_a_plan_past_the_node_limit_says_so_at_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The alias-bomb guard, with its limit made small: the plan error naming the limit and the
    line of the node that passed it, and no more reading."""
    from xixin_cli import plan_file

    monkeypatch.setattr(plan_file, "MAX_NODES", 30)
    with pytest.raises(PlanError) as caught:
        parse_plan(WITH_MEMBERS, "p.yaml")
    (problem,) = caught.value.problems
    assert (problem.path, problem.key, problem.code, problem.params) == (
        "p.yaml",
        None,
        "plan.too_large",
        {"limit": 30},
    )
    assert problem.line is not None and 10 < problem.line < 46


def test_text_that_is_not_yaml_is_said_with_the_parsers_reason() -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan("format: 1\ndocument: *nowhere\n", "p.yaml")
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("p.yaml", "plan.not_yaml")
    assert problem.line is not None
    assert "alias" in problem.params["reason"]  # the parser's own words, never None
    with pytest.raises(PlanError) as caught:
        parse_plan("format: 1\x07\n", "p.yaml")  # a control character: no place to point at
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.key, problem.code) == (
        "p.yaml",
        None,
        None,
        "plan.not_yaml",
    )
    assert "#x0007" in problem.params["reason"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("format: 1\ndocument: [a\n", "plan.yaml_unclosed"),
        ("format: 1\ndocument: {a: 1\n", "plan.yaml_unclosed"),
        ("format: 1\ndocument:\n  title: 一、总体要求: 好\n", "plan.yaml_colon"),
        ("format: 1\ndocument:\n\ttitle: x\n", "plan.yaml_tab"),
        ('format: 1\ndocument:\n  title: "x\n', "plan.yaml_quote"),
        ("format: 1\ndocument:\n  title: x\n number: 2\n", "plan.yaml_indent"),
    ],
)
def test_the_slips_an_editor_makes_are_said_in_our_words(text: str, code: str) -> None:
    # PyYAML's English inside a Chinese sentence told a clerk nothing.
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "p.yaml")
    (problem,) = caught.value.problems
    assert problem.code == code and problem.line is not None
    said = problem.render("zh")
    assert not re.search("expected|found|allowed|scanning|token|context|stream", said), said


def test_a_plan_nested_too_deep_for_the_pure_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the parser nests by recursion: a deep plan is the plan error, not a crash."""
    import sys

    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    depth = sys.getrecursionlimit()  # each level takes more than one frame
    with pytest.raises(PlanError) as caught:
        parse_plan("items: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert [(p.path, p.line, p.key, p.code, p.params) for p in caught.value.problems] == [
        ("deep.yaml", None, None, "plan.too_deep", {})
    ]


def test_a_plan_that_cannot_be_read_names_the_file(tmp_path: Path) -> None:
    from xixin_cli.plan_file import load_plan

    path = tmp_path / ("x" * 300 + ".yaml")  # too long a name: neither missing nor forbidden
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.key, problem.code) == (
        str(path),
        None,
        None,
        "plan.unreadable",
    )
    assert problem.params["reason"]


def test_a_folder_read_as_a_file_is_named_as_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where reading a folder gives bytes, not an error (not Linux's way): still plan.is_dir."""
    from xixin_cli.plan_file import read_plan_bytes

    monkeypatch.setattr(Path, "read_bytes", lambda self: b"")
    with pytest.raises(PlanError) as caught:
        read_plan_bytes(tmp_path)
    assert [(p.path, p.line, p.key, p.code) for p in caught.value.problems] == [
        (str(tmp_path), None, None, "plan.is_dir")
    ]


def test_a_folder_or_a_utf16_plan_is_refused_naming_the_file(tmp_path: Path) -> None:
    """The one-line error names the file that was given: a folder (Linux reads it as an
    IsADirectoryError), a plan saved as UTF-16 (old Notepad's "Unicode")."""
    from xixin_cli.plan_file import decode_text, read_plan_bytes

    with pytest.raises(PlanError) as folder:
        read_plan_bytes(tmp_path)
    assert [(p.path, p.code) for p in folder.value.problems] == [(str(tmp_path), "plan.is_dir")]
    with pytest.raises(PlanError) as wide:
        decode_text("format: 1\n".encode("utf-16"), "plans/全年.yaml")
    assert [(p.path, p.line, p.code) for p in wide.value.problems] == [
        ("plans/全年.yaml", 1, "file.utf16")
    ]
