"""Forgiving input that never guesses wrongly: short unit names, the document's numbering,
days as people say them, several items at once, the recorder from the environment."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from xixin_cli.dates import relative_day
from xixin_cli.errors import ExitCode
from xixin_cli.session import numbering_id

from conftest import Result, Runner


@pytest.mark.parametrize(
    ("typed", "key"),
    [("民政", "minzheng"), ("司法", "sifa"), ("农服", "nongfu"), ("乡民政", "minzheng")],
)
def test_the_start_of_one_units_name_is_that_unit(xixin: Runner, typed: str, key: str) -> None:
    listed = xixin("list", "--office", typed, "--json")
    assert listed.code == 0, listed.err
    assert all(key in d["office_keys"] for d in json.loads(listed.out) if d["progress"] is None)


def test_a_start_shared_by_two_units_is_refused(xixin: Runner) -> None:
    result = xixin("list", "--office", "乡")  # every 乡… unit starts so
    assert result.code == ExitCode.USAGE and "不在计划中" in result.err


@pytest.mark.parametrize(
    ("typed", "item_id"),
    [("四（三）2", "4.3.2"), ("五（三）1", "5.3.1"), ("六（一）", "6.1"), ("四(八)4", "4.8.4")],
)
def test_the_documents_numbering_names_an_item(xixin: Runner, typed: str, item_id: str) -> None:
    assert numbering_id(typed) == item_id
    shown = xixin("show", typed, "--json")
    assert shown.code == 0 and json.loads(shown.out)["id"] == item_id


def test_numbering_that_is_not_the_documents_stays_as_typed() -> None:
    assert numbering_id("4.3.2") == "4.3.2"
    assert numbering_id("四（三）二") == "四（三）二"


TODAY = date(2022, 11, 23)  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("今天", TODAY),
        ("昨天", TODAY - timedelta(days=1)),
        ("明天", TODAY + timedelta(days=1)),
        ("周五", date(2022, 11, 25)),
        ("本周一", date(2022, 11, 21)),
        ("下周五", date(2022, 12, 2)),
        ("上周日", date(2022, 11, 20)),
        ("星期天", date(2022, 11, 27)),
        ("+3d", date(2022, 11, 26)),
        ("-1w", date(2022, 11, 16)),
    ],
)
def test_days_as_people_say_them(typed: str, day: date) -> None:
    assert relative_day(typed, TODAY) == (day, False)


def test_a_month_and_day_take_this_years_and_say_so(xixin: Runner) -> None:
    assert relative_day("11月30日", TODAY) == (date(2022, 11, 30), True)
    result = xixin("overdue", "--as-of", "11月30日")
    assert result.code == 0
    assert "没写年份，按今年算作" in result.err and f"{date.today().year}-11-30" in result.err


def test_several_items_are_recorded_together_or_not_at_all(xixin: Runner, state_file: Path) -> None:
    refused = xixin("done", "4.1.3", "9.9.9", "--office", "all")
    assert refused.code == ExitCode.USAGE and not state_file.exists()
    both = xixin("done", "4.1.3", "4.1.4", "--office", "all")
    assert both.code == 0
    records = [json.loads(line) for line in state_file.read_text("utf-8").splitlines()]
    assert sorted({r["item"] for r in records}) == ["4.1.3", "4.1.4"] and len(records) == 10
    assert xixin("undo").code == 0  # one command: undone together
    listed = {d["id"]: d["status"] for d in json.loads(xixin("list", "--json").out)}
    assert listed["4.1.3"] == listed["4.1.4"] == "todo"


def test_the_recorder_comes_from_xixin_by(
    xixin: Runner, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_BY", "李娜")
    assert xixin("done", "5.1.1").code == 0
    assert json.loads(state_file.read_text("utf-8").splitlines()[-1])["by"] == "李娜"
    assert xixin("done", "5.1.2", "--by", "王芳").code == 0  # --by still wins
    assert json.loads(state_file.read_text("utf-8").splitlines()[-1])["by"] == "王芳"


@pytest.mark.parametrize("name", ["王\n芳", "王\t芳", "王\x7f芳", "王\u202e芳", "王\u200b芳"])
def test_a_recorder_with_a_control_character_is_told_so(
    xixin: Runner, state_file: Path, name: str
) -> None:
    refused = xixin("done", "5.1.1", "--by", name)
    assert refused.code == ExitCode.USAGE and refused.out == ""
    assert "控制字符" in refused.err and "不能为空" not in refused.err
    assert not state_file.exists()
    empty = xixin("done", "5.1.1", "--by", "  ")
    assert empty.code == ExitCode.USAGE and "不能为空" in empty.err
    assert xixin("done", "5.1.1", "--by", "王芳·李").code == 0  # a name's own marks are fine


def test_split_exports_make_their_folder(xixin: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "清单"
    result = xixin("export", "markdown", "--split-by", "office", "-o", str(folder))
    assert result.code == 0, result.err
    assert (folder / "乡民政办.md").is_file()


@pytest.mark.parametrize(
    "command",
    [
        ("form", "--split-by", "office"),  # the README's example refused a new folder
        ("remind", "--split-by", "office"),
    ],
)
def test_every_split_by_makes_its_folder(
    xixin: Runner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    pytest.importorskip("openpyxl")
    folder = tmp_path / "新建" / "表格"
    result = xixin(*command, "--as-of", "2022-12-05", "-o", str(folder))
    assert result.code == 0, result.err
    assert any(path.name.startswith("乡民政办") for path in folder.iterdir())
    taken = tmp_path / "是个文件"
    taken.write_text("x", encoding="utf-8")
    refused = xixin(*command, "--as-of", "2022-12-05", "-o", str(taken))
    assert refused.code == ExitCode.OUTPUT and str(taken) in refused.err
    assert refused.out == "" and taken.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (("export", "markdown", "--split-by", "office"), "清单.md"),
        (("form", "--split-by", "office"), "表.xlsx"),  # the trial's: made a folder 表.xlsx
        (("remind", "--split-by", "office"), "提醒.txt"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_split_output_named_as_a_file_is_refused(
    xixin: Runner, tmp_path: Path, command: tuple[str, ...], name: str, lang: str
) -> None:
    """`-o 表.xlsx` with --split-by names a file where a folder is needed: refused in one
    line that names -o and the folder to give instead, and nothing is made."""
    pytest.importorskip("openpyxl")
    target = tmp_path / name
    refused = xixin("--lang", lang, *command, "--as-of", "2022-12-05", "-o", str(target))
    assert refused.code == ExitCode.USAGE
    assert refused.out == ""
    [line] = refused.err.strip().splitlines()
    assert f"-o {target}" in line
    assert f"-o {tmp_path / name.split('.')[0]}/" in line  # the fix: a folder
    assert ("文件夹" if lang == "zh" else "folder") in line
    assert not target.exists()
    target.mkdir()  # a folder of that name that is there already is a folder
    made = xixin(*command, "--as-of", "2022-12-05", "-o", str(target))
    assert made.code == 0, made.err
    assert any(path.name.startswith("乡民政办") for path in target.iterdir())


def _ids(run: Result) -> set[str]:
    assert run.code == 0, run.err
    return {row["id"] for row in json.loads(run.out)}


def test_office_given_twice_means_either_unit(xixin: Runner) -> None:
    """Repeating --office keeps what either unit has a part in (it used to keep the last)."""
    day = ("--as-of", "2022-12-05", "--json", "--all")
    sifa = _ids(xixin("overdue", "--office", "司法所", *day))
    zuzhi = _ids(xixin("overdue", "--office", "组织办", *day))
    assert sifa and zuzhi and sifa != zuzhi
    both = _ids(xixin("overdue", "--office", "司法所", "--office", "组织办", *day))
    assert both == sifa | zuzhi
    listed = _ids(xixin("list", "--office", "乡司法所", "--office", "乡组织办", "--json"))
    assert _ids(xixin("list", "--office", "乡司法所", "--json")) < listed
    checklist = xixin("export", "markdown", "--office", "司法所", "--office", "组织办")
    assert checklist.code == 0, checklist.err
    assert "乡司法所、乡组织办" in checklist.out.splitlines()[0]  # the heading names both
    messages = xixin(
        "remind", "--plain", "--office", "司法所", "--office", "组织办", day[0], day[1]
    )
    assert messages.code == 0, messages.err
    assert "【督办提醒】乡司法所" in messages.out and "【督办提醒】乡组织办" in messages.out
    assert "【督办提醒】乡民政办" not in messages.out
