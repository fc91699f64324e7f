"""The UI speaks one language at a time: all Chinese, or all English with English punctuation
and plurals; help pages and the parser's usage errors included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, Runner

#: Punctuation only the Chinese UI writes.
CHINESE_PUNCTUATION = re.compile(r"[、，。：；（）｜【】]")

#: A plan whose own words carry no Chinese punctuation, so any that shows is the UI's.
PLAIN_PLAN = """\
format: 1
document:
  number: T-2024-1
  issuer: 测试乡人民政府
  date: 2024-01-05
  title: 测试实施方案
offices:
  dangqun: {name: 乡党群办}
  minzheng: {name: 乡民政办}
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
    source: 4.1
    offices: [dangqun, minzheng, cun]
    offices_text: 4.1
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
    source: 5.1.1
    offices: [dangqun]
    phase: one
    due: 2024-02-29
    due_basis: stated
    due_text: 2月底前
"""

ENGLISH_VIEWS = [
    ["list"],
    ["show", "4.1.1"],
    ["show", "5.1.1"],
    ["overdue", "--as-of", "2024-03-27"],
    ["upcoming", "--as-of", "2024-03-27"],
    ["remind", "--as-of", "2024-03-27"],
    ["remind", "--plain", "--as-of", "2024-03-27"],
    ["board", "--as-of", "2024-03-27"],
    ["history"],
    ["evidence"],
    ["report", "weekly", "--as-of", "2024-03-27"],
    ["report", "weekly", "--format", "text", "--as-of", "2024-03-27"],
    ["report", "self-check", "--as-of", "2024-03-27"],
    ["report", "self-check", "--format", "text", "--as-of", "2024-03-27"],
    ["export", "markdown", "--as-of", "2024-03-27"],
    ["export", "markdown", "--office", "乡民政办", "--group-by", "phase", "--as-of", "2024-03-27"],
    ["export", "csv", "--as-of", "2024-03-27"],
    ["verify"],
    ["doctor"],
]


@pytest.fixture
def plain_plan(tmp_path: Path, xixin: Runner) -> Path:
    path = tmp_path / "plain.yaml"
    path.write_text(PLAIN_PLAN, encoding="utf-8")
    recorded = xixin("--plan", str(path), "done", "4.1.2", "--office", "all", "--note", "done")
    assert recorded.code == 0, recorded.err
    return path


@pytest.mark.parametrize("args", ENGLISH_VIEWS, ids=" ".join)
def test_the_english_ui_prints_no_chinese_punctuation(
    xixin: Runner, plain_plan: Path, args: list[str]
) -> None:
    result = xixin("--lang", "en", "--plan", str(plain_plan), *args)
    assert result.code == 0, result.err
    assert result.out.strip(), args
    for stream in (result.out, result.err):
        found = CHINESE_PUNCTUATION.findall(stream)
        assert not found, (found, stream)


def test_the_english_weekly_counts_items_not_what_is_to_do(xixin: Runner) -> None:
    # The column is every counted item (应完成: done ones too), not the status "to do".
    assert xixin("done", "5.1.1", "--on", "2022-11-20").code == 0
    report = xixin("--lang", "en", "report", "weekly", "--as-of", "2022-11-30").out
    header = next(line for line in report.splitlines() if line.startswith("| office"))
    row = next(line for line in report.splitlines() if line.startswith("| 乡党群办"))
    cells = dict(zip(header.strip("|").split("|"), row.strip("|").split("|"), strict=True))
    names = [name.strip() for name in cells]
    assert "to do" not in names and int(cells[" items "]) >= int(cells[" done "]) >= 1


def test_english_counts_take_the_singular_for_one(xixin: Runner) -> None:
    assert xixin("done", "5.1.1").code == 0
    first = xixin("--lang", "en", "verify")
    assert first.code == 0 and first.out.endswith(": 1 record from 1 writer verified\n")
    assert xixin("done", "5.1.2").code == 0
    second = xixin("--lang", "en", "verify")
    assert second.out.endswith(": 2 records from 1 writer verified\n")
    chinese = xixin("verify")
    assert chinese.out.endswith("：2 条记录、1 个记录人，核验无误\n")


# -- the parser's own errors ---------------------------------------------------------------------

USAGE_ERRORS = [
    (["set", "5.3.1", "--foo"], "没有 --foo 这个选项", "no such option: --foo"),
    (["list", "extra", "words"], "多余的参数：extra words", "unexpected extra words: extra words"),
    (["set"], "缺少编号", "missing ID"),
    (["ovrdue"], "没有“ovrdue”这个命令（是不是“overdue”？）", "no such command: ovrdue"),
    (["list", "--limit", "x"], "--limit：“x”不是整数", "--limit: 'x' is not a whole number"),
    (["list", "--office"], "--office 后面要写一个值", "--office needs a value"),
    (["return", "4.3.2"], "缺少必填的选项 --reason", "missing the required option --reason"),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS, ids=lambda v: str(v))
def test_usage_errors_read_in_the_ui_language(
    xixin: Runner, args: list[str], zh: str, en: str
) -> None:
    for lang, expected in (("zh", zh), ("en", en)):
        result = xixin("--lang", lang, *args)
        assert result.code == 2 and result.out == "", (lang, result)
        lines = result.err.splitlines()
        assert len(lines) == 1, (lang, result.err)  # one line, no usage block, no traceback
        assert expected in lines[0], (lang, lines[0])
        said = lines[0].removeprefix("xixin: ")
        if lang == "zh":
            # Every English word left is a name the user typed or must type (options, commands).
            words = re.findall(r"(?<![-\w])[A-Za-z]{4,}", said)
            assert set(words) <= {
                "xixin",
                "extra",
                "words",
                "ovrdue",
                "overdue",
                "list",
                "return",
            }, words
        else:
            assert not re.search(r"[\u4e00-\u9fff]", said), said
            assert not CHINESE_PUNCTUATION.search(said), said


def test_usage_errors_name_the_commands_help(xixin: Runner) -> None:
    result = xixin("set", "5.3.1", "--foo")
    assert result.err.rstrip().endswith("用 xixin set -h 查看用法")
    result = xixin("--lang", "en", "set", "5.3.1", "--foo")
    assert result.err.rstrip().endswith("see xixin set -h")


# -- help pages ----------------------------------------------------------------------------------

ENGLISH_FURNITURE = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this",
    "default:",
    "required",
)


@pytest.mark.parametrize("args", [[], ["set"], ["list"], ["export"], ["report", "weekly"]])
def test_the_chinese_help_is_all_chinese_and_the_english_all_english(
    xixin: Runner, args: list[str]
) -> None:
    chinese = xixin(*args, "--help")
    assert chinese.code == 0 and chinese.out.startswith("用法：xixin")
    for word in ENGLISH_FURNITURE:
        assert word not in chinese.out, word
    english = xixin("--lang", "en", *args, "--help")
    assert english.code == 0 and english.out.startswith("Usage: xixin")
    assert "Options:" in english.out and "Show this help and exit." in english.out
    # Chinese words appear only where they are what to type (examples, status names, offices);
    # the punctuation is English throughout.
    assert not CHINESE_PUNCTUATION.search(english.out.replace("洗府发〔2022〕145号", "")), (
        english.out
    )


def test_every_parameter_has_help_in_both_languages() -> None:
    from xixin_cli.cli import build
    from xixin_cli.i18n import LANGUAGES

    for lang in LANGUAGES:
        # build raises for a parameter the catalogue has no help for
        stack = [build([], lang), *(build([name], lang) for name in build([], lang).commands)]
        while stack:
            command = stack.pop()
            assert command.help, command.name
            for param in command.params:
                assert param.help, (lang, command.name, param.name)
            stack += list(getattr(command, "commands", {}).values())


# -- what the refactor fixed ---------------------------------------------------------------------


def test_the_reminders_table_shows_working_days(xixin: Runner) -> None:
    # 5.1.1 was due Friday 2022-09-30; on 2022-10-10 it is 10 days but only 3 working days late
    # (the National Day holiday and its shifted working days).
    result = xixin("remind", "--as-of", "2022-10-10")
    assert result.code == 0, result.err
    assert "工作日" in result.out
    assert re.search(r"5\.1\.1 .*逾期 10 天\s+3\s", result.out), result.out


def test_closing_needs_done_work_whichever_command_asks(xixin: Runner, state_file: Path) -> None:
    refused = xixin("set", "4.3.4", "closed", "--office", "民政办")
    assert refused.code == 2 and refused.out == ""
    assert "只有已完成的事项才能销号" in refused.err and "未开始" in refused.err
    assert not state_file.exists() or state_file.read_text(encoding="utf-8") == ""
    assert xixin("done", "4.3.4", "--office", "民政办").code == 0
    closed = xixin("set", "4.3.4", "已销号", "--office", "民政办")
    assert closed.code == 0 and "已完成 → 已销号" in closed.err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_formatter_fills_a_message_as_message_does(lang: str) -> None:
    """`formatter` is `message` with the template looked up once: the same words for every
    message of both catalogues, counts ({n:one|other}) included."""
    from string import Formatter

    from xixin_cli.i18n import catalogue, formatter, message

    for code, template in catalogue(lang).items():
        names = {field for _, field, _, _ in Formatter().parse(template) if field}
        if "hint" in names or any(not name.isidentifier() for name in names):
            continue
        for n in (1, 2):
            params = {name: n if name == "n" else f"<{name}>" for name in names}
            assert formatter(code, lang)(**params) == message(code, lang, **params), code


# -- a plan in English: its errors in English too -----------------------------------------------


@pytest.fixture
def english_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    text = (ROOT / "plan.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("\n  language: zh\n", "\n  language: en\n", 1), "utf-8")
    return plan


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],  # its verdict
        ["done", "4.3.2"],  # which unit (a recording command's refusal)
        ["show", "9.9.9"],  # an unknown id
        ["overdue", "--as-of", "2022-13-45"],  # a bad date, read before the plan
        ["list", "--foo"],  # the parser's own error
        ["ovrdue"],
        ["set", "4.3.2", "maybe", "--office", "all"],  # the choices, in the plan's language
    ],
    ids=" ".join,
)
def test_a_plan_in_english_gets_its_messages_in_english(
    xixin: Runner, english_plan: Path, args: list[str]
) -> None:
    result = xixin("--plan", str(english_plan), *args)
    said = result.out + result.err
    assert said.strip(), args
    assert "错误" not in said and not CHINESE_PUNCTUATION.findall(_unquoted(said)), said
    chinese = xixin("--lang", "zh", "--plan", str(english_plan), *args)
    assert re.search("错误|无误|用法", chinese.out + chinese.err)  # --lang still wins


def _unquoted(text: str) -> str:
    """What is said, less the plan's own words that carry Chinese punctuation (its number)."""
    return text.replace("洗府发〔2022〕145号", "")


def test_a_unit_name_with_a_space_is_suggested_in_quotes(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "roads.yaml"
    text = PLAIN_PLAN.replace("dangqun: {name: 乡党群办}", "dangqun: {name: Roads Office}")
    plan.write_text(text, encoding="utf-8")
    refused = xixin("--lang", "en", "--plan", str(plan), "done", "4.1.1")
    assert refused.code == 2 and '--office "Roads Office"' in refused.err, refused.err
    done = xixin("--plan", str(plan), "done", "4.1.1", "--office", "Roads Office")
    assert done.code == 0, done.err


def test_english_history_never_splits_a_status(
    xixin: Runner, plain_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert xixin("--plan", str(plain_plan), "start", "5.1.1").code == 0
    table = xixin("--lang", "en", "--plan", str(plain_plan), "history")
    assert table.code == 0 and "in progress" in table.out, table.out


@pytest.mark.parametrize(
    "slip",
    [
        ("  dangqun: {name: 乡党群办", "  dangqun: {name: 乡党群办, colour: red"),  # an unknown key
        ("\noffices:\n", "\noffices:\n\t"),  # a tab: the YAML cannot be read at all
    ],
    ids=["a problem", "unreadable YAML"],
)
def test_an_english_plan_that_fails_to_load_is_told_in_english(
    xixin: Runner, english_plan: Path, slip: tuple[str, str]
) -> None:
    """Its language is not known from a plan that is not read: the file says it, as
    `document: language: en`, and the problems are told in it (before, in Chinese)."""
    text = english_plan.read_text(encoding="utf-8")
    assert slip[0] in text
    english_plan.write_text(text.replace(slip[0], slip[1], 1), encoding="utf-8")
    result = xixin("--plan", str(english_plan), "validate")
    assert result.code == 3, result.err
    assert result.out == ""
    assert str(english_plan) in result.err
    told = _unquoted(result.err).replace("乡党群办", "")  # the plan's own words may stay
    assert not re.search("[\u4e00-\u9fff]", told), result.err
    chinese = xixin("--lang", "zh", "--plan", str(english_plan), "validate")
    assert chinese.code == 3 and re.search("错误", chinese.err)  # --lang still wins


def test_the_language_a_plan_file_states_is_read_off_its_text(tmp_path: Path) -> None:
    from xixin_cli.plan_file import stated_language

    plan = tmp_path / "plan.yaml"
    cases = {
        "document:\n  title: x\n  language: en\n": "en",
        "document:\n  language: 'en'  # English views\n": "en",
        'format: 1\ndocument:\n  language: "zh"\noffices: {}\n': "zh",
        "offices:\n  a: {name: A}\n  language: en\ndocument:\n  language: zh\n": "zh",
        "offices:\n  language: en\ndocument:\n  title: x\n": None,  # not the document's
        "document:\n  title: x\nlanguage: en\n": None,  # not under document
        "document: {language: en}\n": None,  # a flow mapping is not looked into
    }
    for text, expected in cases.items():
        plan.write_text(text, encoding="utf-8")
        assert stated_language(plan) == expected, text
    assert stated_language(tmp_path / "none.yaml") is None


def test_days_left_are_said_in_the_languages_order(xixin: Runner, tmp_path: Path) -> None:
    """English '5 d left', as '5 d late' (it read 'left 5 d'); Chinese 剩余 5 天."""
    for args in (["report", "weekly"], ["board"]):
        english = xixin("--lang", "en", *args, "--as-of", "2022-11-25")
        assert english.code == 0, english.err
        assert "(due 2022-11-30, 5 d left)" in english.out or "4.1.1 (5 d left)" in english.out
        assert "left 5" not in english.out
        chinese = xixin("--lang", "zh", *args, "--as-of", "2022-11-25")
        assert "剩余 5 天" in chinese.out, chinese.out
