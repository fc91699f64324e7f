"""The plan loader: a valid plan loads; every kind of bad plan gets its own line and exit code 3."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode, PlanError
from xixin_cli.model import DueBasis
from xixin_cli.plan_file import load_plan, parse_plan

from conftest import Runner

SMALL = """\
format: 1
document:
  number: 测府发〔2024〕1号
  issuer: 测试乡人民政府
  date: 2024-01-05
  title: 测试实施方案
offices:
  dangqun: {name: 乡党群办}
  cun: {name: 各村, group: true}
phases:
  one:
    number: "5.1"
    name: 第一阶段
    start: 2024-01-01
    end: 2024-03-31
items:
  - id: "4.1"
    kind: task
    title: 第一项任务
    source: 四（一）
    offices: [dangqun, cun]
    phase: one
    due_basis: phase
  - id: "4.1.1"
    parent: "4.1"
    kind: action
    title: 第一个行动
  - id: "4.1.2"
    parent: "4.1"
    kind: action
    title: 第二个行动
    due_basis: standing
    due_text: 常态化
  - id: "5.1.1"
    kind: step
    title: 自查
    source: 五（一）1
    offices: [乡党群办]
    phase: one
    due: 2024年2月29日
    due_basis: stated
    due_text: 2月底前
"""


def problems(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(PlanError) as info:
        parse_plan(text, "p.yaml")
    return [(p.line, p.key, p.code) for p in info.value.problems]


def test_the_small_plan_loads_with_inheritance() -> None:
    plan = parse_plan(SMALL, "p.yaml")
    first, standing, step = plan.get("4.1.1"), plan.get("4.1.2"), plan.get("5.1.1")
    assert first is not None and standing is not None and step is not None
    assert first.offices == ("dangqun", "cun") and first.source == "四（一）"
    assert first.due == date(2024, 3, 31) and first.due_basis is DueBasis.PHASE
    assert standing.due is None and standing.due_basis is DueBasis.STANDING
    assert step.offices == ("dangqun",)  # a Chinese name is accepted and stored as its key
    assert step.due == date(2024, 2, 29)
    assert plan.children("4.1") == ("4.1.1", "4.1.2")
    assert not plan.is_leaf("4.1") and plan.is_leaf("4.1.1")


def test_an_unquoted_id_stays_as_written() -> None:
    plan = parse_plan(
        SMALL.replace('id: "4.1"\n', "id: 4.10\n").replace('parent: "4.1"', "parent: 4.10"), "p"
    )
    assert plan.get("4.10") is not None


CASES = {
    # name: (replace this, with this, the line the error points at, key fragment, code)
    "not yaml": (
        "  title: 测试实施方案\n",
        "  title: [测试\n",
        "offices:",
        None,
        "plan.yaml_unclosed",
    ),
    "unknown key": (
        "    kind: step\n",
        "    kind: step\n    deu: 1\n",
        "deu:",
        "deu",
        "plan.unknown_key",
    ),
    "missing title": (
        "    title: 第一个行动\n",
        "",
        'id: "4.1.1"',
        "[4.1.1].title",
        "plan.missing_key",
    ),
    "missing number": (
        "  number: 测府发〔2024〕1号\n",
        "",
        "issuer:",
        "document.number",
        "plan.missing_key",
    ),
    "duplicate id": (
        '  - id: "4.1.2"\n',
        '  - id: "4.1.1"\n',
        '- id: "4.1.1"\n    parent: "4.1"\n    kind: action\n    title: 第二',
        "id",
        "plan.duplicate_id",
    ),
    "unknown office": (
        "offices: [乡党群办]",
        "offices: [乡党郡办]",
        "乡党郡办",
        "offices",
        "plan.unknown_office",
    ),
    "unknown phase": (
        "    phase: one\n    due_basis: phase\n",
        "    phase: two\n    due_basis: phase\n",
        "phase: two",
        "phase",
        "plan.unknown_phase",
    ),
    "invalid date": (
        "due: 2024年2月29日",
        "due: 2023-02-29",
        "due: 2023-02-29",
        "due",
        "plan.bad_date",
    ),
    "not a date": (
        "  date: 2024-01-05",
        "  date: next week",
        "next week",
        "document.date",
        "plan.bad_date",
    ),
    "phase ends before it starts": (
        "    end: 2024-03-31",
        "    end: 2023-12-31",
        "end: 2023",
        "end",
        "plan.end_before_start",
    ),
    "due before its phase starts": (
        "due: 2024年2月29日",
        "due: 2023-12-01",
        "due: 2023",
        "due",
        "plan.due_outside_phase",
    ),
    "parent that does not exist": (
        '  - id: "4.1.2"\n    parent: "4.1"',
        '  - id: "4.1.2"\n    parent: "4.9"',
        '"4.9"',
        "parent",
        "plan.unknown_parent",
    ),
    "unsupported format": ("format: 1\n", "format: 2\n", "format: 2", "format", "plan.bad_format"),
    "duplicate key": (
        "    kind: task\n",
        "    kind: task\n    kind: action\n",
        "kind: action",
        "kind",
        "plan.duplicate_key",
    ),
    "bad kind": ("    kind: task\n", "    kind: chore\n", "chore", "kind", "plan.bad_choice"),
    "standing with a due date": (
        "    due_text: 常态化\n",
        "    due_text: 常态化\n    due: 2024-02-01\n",
        "due: 2024-02-01",
        "due",
        "plan.due_on_standing",
    ),
    "stated without due": (
        "    due: 2024年2月29日\n",
        "",
        '- id: "5.1.1"',
        "due",
        "plan.due_missing",
    ),
    "items not a list": (
        'items:\n  - id: "4.1"\n',
        'items: 3\nnothing:\n  - id: "4.1"\n',
        "items: 3",
        "items",
        "plan.want_items",
    ),
}


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize("name", list(CASES))
def test_each_bad_plan_names_line_key_and_problem(name: str) -> None:
    old, new, at, key, code = CASES[name]
    assert old in SMALL, name
    text = SMALL.replace(old, new, 1)
    found = problems(text)
    hit = next((p for p in found if p[2] == code), None)
    assert hit is not None, found
    assert hit[0] == line_of(text, at), found
    if key is not None:
        assert hit[1] is not None and key in hit[1], found


def test_a_stated_due_that_is_no_date_is_told_once_not_as_missing_too() -> None:
    # A user's trial: "due: 2022-02-30" also got "due_basis: stated 需要写明截止日 due".
    text = SMALL.replace("due: 2024年2月29日", "due: 2024-02-30", 1)
    assert [code for _, _, code in problems(text)] == ["plan.bad_date"]
    gone = SMALL.replace("    due: 2024年2月29日\n", "", 1)  # a stated due left out: missing
    assert [code for _, _, code in problems(gone)] == ["plan.due_missing"]
    empty = SMALL.replace("    due: 2024年2月29日\n", "    due:\n", 1)  # written, but empty
    assert [code for _, _, code in problems(empty)] == ["plan.due_missing"]


@pytest.mark.parametrize("key", ["due_basis", "source"])
@pytest.mark.parametrize("value", ["", " &anchor", " ~"])
def test_a_key_written_empty_is_missing_not_a_crash(key: str, value: str) -> None:
    # The fuzz test's find: "due_basis: &phase" (an anchor, no value) failed an assertion;
    # "source: ~" was taken as no source at all, without a word.
    old = {"due_basis": "    due_basis: phase\n", "source": "    source: 四（一）\n"}[key]
    text = SMALL.replace(old, f"    {key}:{value}\n", 1)
    assert text != SMALL
    found = problems(text)
    assert found[0][2] == "plan.missing_key" and str(found[0][1]).endswith(key), found
    assert found[0][0] == line_of(text, f"    {key}:{value}\n"), found


@pytest.mark.parametrize("value", ["", " ~"])
def test_a_document_date_written_empty_is_no_date_as_one_left_out(value: str) -> None:
    # A user's trial: "date:" with nothing made validate say nothing (exit 0) and every other
    # command exit 3 without a word: the reader failed with no problem to tell.
    text = SMALL.replace("  date: 2024-01-05", f"  date:{value}", 1)
    assert parse_plan(text, "p.yaml").document.date is None
    left_out = parse_plan(SMALL.replace("  date: 2024-01-05\n", "", 1), "p.yaml")
    assert left_out.document.date is None


def test_a_plan_that_fails_always_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever part of the reader gives up without telling a problem, the error is not empty."""
    from xixin_cli import plan_file

    monkeypatch.setattr(plan_file._Reader, "document", lambda self, node: None)
    found = problems(SMALL)
    assert [code for _, _, code in found] == ["plan.unexplained"], found


def test_wrong_top_level_shape() -> None:
    assert problems("- a\n- b\n") == [(1, "", "plan.want_mapping")]


def test_an_empty_file() -> None:
    assert problems("") == [(None, None, "plan.empty")]


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = (
        SMALL.replace("offices: [乡党群办]", "offices: [nobody]")
        .replace("    end: 2024-03-31", "    end: 2024-13-01")
        .replace("format: 1\n", "format: 1\nextra: 1\n")
    )
    codes = [code for _, _, code in problems(text)]
    assert "plan.unknown_office" in codes and "plan.bad_date" in codes
    assert "plan.unknown_key" in codes


def test_did_you_mean_for_a_misspelt_key() -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(SMALL.replace("    kind: step\n", "    kind: step\n    titel: x\n"), "p.yaml")
    text = info.value.lines("en")
    assert any("did you mean 'title'" in line for line in text), text


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 9):
        bomb += (
            f"{'abcdefghij'[n]}: &{'abcdefghij'[n]} ["
            + ", ".join(["*" + "abcdefghij"[n - 1]] * 10)
            + "]\n"
        )
    bomb += "items: [*i]\n"
    codes = [code for _, _, code in problems(bomb)]
    assert codes  # refused, whatever else it says, without expanding 10^9 nodes


# -- files, through the CLI: one line each, exit code 3, nothing on stdout ---------------------


def check_plan_error(result: object, fragment: str) -> None:
    code, out, err = result.code, result.out, result.err  # type: ignore[attr-defined]
    assert code == ExitCode.PLAN
    assert out == ""
    lines = err.strip().splitlines()
    assert lines and all(line.startswith("xixin: 错误: ") for line in lines), err
    assert fragment in err, err
    assert "Traceback" not in err


def test_file_not_found(xixin: Runner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    check_plan_error(xixin("--plan", str(missing), "list"), f"{missing}: 找不到计划文件")


def test_a_folder_instead_of_a_file(xixin: Runner, tmp_path: Path) -> None:
    check_plan_error(xixin("validate", str(tmp_path)), "这是一个文件夹")


def test_a_gb18030_file_is_named_as_such(xixin: Runner, tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(SMALL.encode("gb18030"))
    check_plan_error(xixin("validate", str(path)), "GBK/GB18030")


def test_bytes_that_are_no_encoding_at_all(xixin: Runner, tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"format: 1\n\xff\xfe\x00\x81\x30")
    check_plan_error(xixin("validate", str(path)), "不是 UTF-8")


def test_a_utf8_bom_is_accepted(xixin: Runner, tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.encode("utf-8"))
    result = xixin("validate", str(path))
    assert (result.code, result.err) == (0, "")
    assert "无误" in result.out


def test_validate_lists_every_problem_with_file_and_line(xixin: Runner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        SMALL.replace("offices: [乡党群办]", "offices: [nobody]").replace(
            '  - id: "4.1.2"\n', '  - id: "4.1.1"\n'
        ),
        encoding="utf-8",
    )
    result = xixin("--lang", "en", "validate", str(path))
    check_plan_error_en = result.err.strip().splitlines()
    assert result.code == ExitCode.PLAN and result.out == ""
    assert len(check_plan_error_en) == 2
    text = path.read_text(encoding="utf-8")
    dup = line_of(text, '- id: "4.1.1"\n    parent: "4.1"\n    kind: action\n    title: 第二')
    assert f"{path}:{dup}: [items[4.1.1].id] duplicate id" in result.err
    office = line_of(text, "nobody")
    assert f"{path}:{office}: [items[5.1.1].offices] unknown office 'nobody'" in result.err


def test_the_bundled_plan_validates(xixin: Runner) -> None:
    result = xixin("validate")
    assert result.code == 0 and result.err == ""
    assert "共 75 项（可勾选 67 项），9 个责任单位，4 个阶段" in result.out


def test_load_plan_reads_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert load_plan(path).path == str(path)


def test_a_plan_is_read_only_and_survives_pickling() -> None:
    import pickle

    from xixin_cli.paths import bundled_plan

    plan = load_plan(bundled_plan())
    with pytest.raises(AttributeError):
        plan.path = "other.yaml"
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and again is not plan
    assert again.get("5.3.1") == plan.get("5.3.1") and again.children("4.1") == plan.children("4.1")
    moved = plan.with_path("x.yaml")
    assert moved.path == "x.yaml" and moved != plan and moved.items is plan.items


# -- one typo, one problem -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("offices: [dangqun, cun]", "offices: [dangqun, cnu]"),  # a task's unit misspelt
        ("    phase: one\n    due_basis: phase", "    phase: oen\n    due_basis: phase"),
    ],
)
def test_a_typo_in_a_task_is_one_problem_not_one_per_action(wrong: str, right: str) -> None:
    # A new user's trial: one misspelt key in a task gave 38 lines, one per action under it
    # ("parent does not exist", "missing offices"...), after the line that said what was wrong.
    assert wrong in SMALL
    with pytest.raises(PlanError) as caught:
        parse_plan(SMALL.replace(wrong, right, 1), "small.yaml")
    problems = caught.value.problems
    keys = [p.key for p in problems]
    assert keys[0] is not None and keys[0].startswith("items[4.1].")
    assert not [k for k in keys if k and k.startswith("items[4.1.")], keys  # no cascade
    (told,) = [p for p in problems if p.code == "plan.children_unchecked"]
    assert told.line == problems[0].line or told.key == "items[4.1]"
    assert told.params["count"] == 2  # 4.1.1 and 4.1.2, checked once 4.1 is right
    assert len(problems) == 2  # what is wrong, and what was left unchecked for it


def test_a_misspelt_phase_key_is_one_problem_at_the_key(xixin: Runner, tmp_path: Path) -> None:
    # A user's trial: the key `create:` of `phases:` misspelt gave one "unknown phase" line
    # per item that says `phase: create` (10 of 18 lines), and a line per task "the items
    # under it were not checked", none of them at the line to change.
    from xixin_cli.paths import bundled_plan

    text = bundled_plan().read_text(encoding="utf-8")
    assert text.count("\n  create:\n") == 1 and text.count("phase: create\n") == 10
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace("\n  create:\n", "\n  craete:\n"), encoding="utf-8")
    for lang, words in (("zh", ("10 项", "“create”")), ("en", ("10 items", "'create'"))):
        result = xixin("--lang", lang, "validate", str(path))
        assert result.code == ExitCode.PLAN and result.out == ""
        [line] = result.err.strip().splitlines()
        key = line_of(path.read_text(encoding="utf-8"), "\n  craete:\n") + 1
        assert line.startswith(f"xixin: {'错误' if lang == 'zh' else 'error'}: {path}:{key}: ")
        assert "[phases.craete]" in line
        assert all(word in line for word in words), line
        first = line_of(text, "phase: create\n")
        assert f"{first}" in line and "items[4.1]" in line  # where the first item names it


def test_a_phase_several_items_misspell_is_one_problem_at_the_first() -> None:
    # No phase key is like it: the items are wrong, each of them; told once, at the first.
    text = SMALL.replace("    phase: one\n", "    phase: tow\n")
    assert text.count("phase: tow") == 2
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "p.yaml")
    [told] = caught.value.problems
    assert (told.line, told.key) == (line_of(text, "phase: tow"), "items[4.1].phase")
    assert told.params["more"] == 1 and told.params["value"] == "tow"
    said = told.render("en")
    assert "unknown phase 'tow'" in said and "1 more item" in said, said


def test_an_actions_own_typo_is_still_found_when_its_task_is_right() -> None:
    typo = SMALL.replace("    title: 第一个行动", "    title: 第一个行动\n    kind2: x")
    with pytest.raises(PlanError) as caught:
        parse_plan(typo, "s.yaml")
    first = caught.value.problems[0].key
    assert first is not None and first.startswith("items[4.1.1]")


@pytest.mark.parametrize("empty", ["phase:", "phase: ~"])
def test_an_empty_phase_under_due_basis_phase_is_still_refused(empty: str) -> None:
    text = SMALL.replace("    title: 第一个行动\n", f"    title: 第一个行动\n    {empty}\n", 1)
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "s.yaml")
    assert [p.code for p in caught.value.problems] == ["plan.phase_needed"]


# -- control characters: refused on every load, as a --note refuses them ----------------------

CONTROL_CASES = {
    # name: (replace this, with this, the key the problem names)
    "escape in a unit's name": (
        "cun: {name: 各村, group: true}",
        'cun: {name: "各\\e村", group: true}',
        "offices.cun.name",
    ),
    "bell in the title": ("  title: 测试实施方案", '  title: "测试\\a实施方案"', "document.title"),
    "C1 control in an item's title": ("title: 第一个行动", 'title: "第一个\\x9b行动"', "title"),
    "tab in a one-line text": ("title: 自查", 'title: "自\\t查"', "title"),
    "newline in a one-line text": ("    source: 五（一）1", '    source: "五（一）\\n1"', "source"),
    "escape in a multi-line text": (
        "    title: 第一个行动\n",
        '    title: 第一个行动\n    text: "第一\\n个\\e行动"\n',
        "text",
    ),
}


@pytest.mark.parametrize("name", list(CONTROL_CASES))
def test_a_control_character_in_a_plans_text_is_one_problem_at_its_line(name: str) -> None:
    _one_problem_at_its_line(CONTROL_CASES[name], "plan.control_character")


def _one_problem_at_its_line(case: tuple[str, str, str], expected: str) -> None:
    old, new, key = case
    assert old in SMALL, case
    text = SMALL.replace(old, new, 1)
    found = problems(text)
    assert [code for _, _, code in found] == [expected], found
    ((line, where, _),) = found
    assert line == line_of(text, new.strip().splitlines()[-1]), found
    assert where is not None and where.endswith(key), found


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs() -> None:
    text = SMALL.replace(
        "    title: 第一个行动\n",
        "    title: 第一个行动\n    text: |\n      第一段：\t甲。\n      第二段。\n"
        '    note: "一\\n二"\n',
    )
    plan = parse_plan(text, "p.yaml")
    item = plan.get("4.1.1")
    assert item is not None
    assert item.text == "第一段：\t甲。\n第二段。" and item.note == "一\n二"


def test_validate_and_every_command_refuse_a_control_character_with_file_and_line(
    xixin: Runner, tmp_path: Path
) -> None:
    # A user's trial: "乡司法\x1b所" passed validate, then `form` crashed in openpyxl.
    path = tmp_path / "plan.yaml"
    text = SMALL.replace("cun: {name: 各村, group: true}", 'cun: {name: "各\\x1b村", group: true}')
    path.write_text(text, encoding="utf-8")
    line = line_of(text, "cun:")
    for command in (
        ("validate", str(path)),
        ("--plan", str(path), "form", "--office", "dangqun", "-o", str(tmp_path / "f.xlsx")),
        ("--plan", str(path), "list"),
    ):
        result = xixin(*command)
        check_plan_error(result, f"{path}:{line}: [offices.cun.name]")
        assert "控制字符" in result.err and "\\x1b" in result.err, result.err
        assert "\x1b" not in result.err
    assert not (tmp_path / "f.xlsx").exists()
    english = xixin("--lang", "en", "validate", str(path))
    assert english.code == ExitCode.PLAN and english.out == ""
    assert "control character \\x1b" in english.err, english.err


INVISIBLE_CASES = {
    # name: (replace this, with this, the key the problem names)
    "right-to-left override in a unit's name": (
        "cun: {name: 各村, group: true}",
        'cun: {name: "各\\u202e村", group: true}',
        "offices.cun.name",
    ),
    "zero-width space in a unit's key": (
        "cun: {name: 各村, group: true}",
        'cun: {name: 各村, group: true}\n  "x\\u200by": {name: 某办}',
        "offices",
    ),
    "zero-width joiner in an item's id": ('  - id: "5.1.1"', '  - id: "5.1\\u200d.1"', "id"),
    # a trial: validate passed it, then `list --phase 第一阶段` found no such phase
    "right-to-left override in a phase's name": (
        "    name: 第一阶段",
        '    name: "第一\\u202e阶段"',
        "phases.one.name",
    ),
    "zero-width space in a phase's number": (
        '    number: "5.1"',
        '    number: "5.\\u200b1"',
        "phases.one.number",
    ),
}


@pytest.mark.parametrize("name", list(INVISIBLE_CASES))
def test_an_invisible_character_in_a_name_is_one_problem_at_its_line(name: str) -> None:
    # A user's trial: a unit named with U+202E passed validate, and `form --split-by office`
    # wrote a file whose name held the raw mark (shown reversed in the file manager).
    _one_problem_at_its_line(INVISIBLE_CASES[name], "plan.invisible_character")


def test_validate_names_the_invisible_character_without_printing_it(
    xixin: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    text = SMALL.replace(
        "cun: {name: 各村, group: true}", 'cun: {name: "各\\u202e村", group: true}'
    )
    path.write_text(text, encoding="utf-8")
    result = xixin("validate", str(path))
    check_plan_error(result, f"{path}:{line_of(text, 'cun:')}: [offices.cun.name]")
    assert "U+202E" in result.err and "\u202e" not in result.err, result.err
    assert result.out == ""


def test_a_title_may_hold_a_zero_width_space_from_a_pasted_document() -> None:
    text = SMALL.replace("title: 第二个行动", 'title: "第二个\\u200b行动"', 1)
    plan = parse_plan(text, "p.yaml")
    item = plan.get("4.1.2")
    assert item is not None and item.title == "第二个\u200b行动"
