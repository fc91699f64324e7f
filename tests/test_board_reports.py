"""The board, its pictures and the two reports."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from xixin_cli.board import Board, board
from xixin_cli.errors import ExitCode
from xixin_cli.fold import ItemState, fold, states
from xixin_cli.model import Event, EventKind, Plan, Status
from xixin_cli.picture import find_font
from xixin_cli.plan_file import parse_plan
from xixin_cli.schedule import digest
from xixin_cli.status_log import append_event
from xixin_cli.workdays import build_calendar

from conftest import Runner
from test_plan_file import SMALL

GOLDEN = Path(__file__).parent / "golden"
CHINA = timezone(timedelta(hours=8))


def board_on(plan: Plan, item_states: dict[str, ItemState], today: date) -> Board:
    """The board as the command makes it: from the week's digest."""
    return board(plan, item_states, digest(plan, item_states, today, build_calendar()))


def test_board_counts_by_hand() -> None:
    # SMALL: 4.1.1 due 2024-03-31 (dangqun, cun), 4.1.2 standing (dangqun, cun), 5.1.1 due
    # 2024-02-29 (dangqun). On 2024-03-27 with 4.1.2 done:
    plan = parse_plan(SMALL, "small.yaml")
    done = Event("e", datetime(2024, 3, 1, tzinfo=CHINA), "4.1.2", Status.DONE, Status.TODO, "x")
    result = board_on(plan, states(plan, fold([done])), date(2024, 3, 27))
    dangqun, cun = result.units
    assert (
        dangqun.key,
        dangqun.total,
        dangqun.closed,
        dangqun.red,
        dangqun.yellow,
        dangqun.green,
    ) == ("dangqun", 3, 1, 1, 1, 0)
    assert dangqun.worst is not None and dangqun.worst.state.item.id == "5.1.1"
    assert (cun.key, cun.total, cun.closed, cun.red, cun.yellow, cun.green) == (
        "cun",
        2,
        1,
        0,
        1,
        0,
    )
    assert cun.worst is not None and cun.worst.state.item.id == "4.1.1"
    [phase] = result.phases
    assert (phase.total, phase.closed, phase.red, phase.yellow, phase.green) == (3, 1, 1, 1, 0)
    later = board_on(plan, states(plan, fold([done])), date(2024, 3, 1))  # 4.1.1: a month off
    assert (later.units[0].red, later.units[0].yellow, later.units[0].green) == (1, 0, 1)


def test_board_colours_add_up_to_each_offices_open_items(xixin: Runner) -> None:
    xixin("done", "5.1.1", "--on", "2022-11-25")
    xixin(
        "extend",
        "4.7.8",
        "--office",
        "all",
        "--to",
        "2022-12-20",
        "--reason",
        "苗木延期",
        "--on",
        "2022-11-25",
    )
    data = json.loads(xixin("board", "--as-of", "2022-11-28", "--json").out)
    every = json.loads(xixin("list", "--json").out)
    for office in data["offices"]:
        mine = [d for d in every if office["name"] in d["offices"] and d["progress"] is None]
        still_open = [d for d in mine if d["status"] in ("todo", "doing", "blocked")]
        assert office["red"] + office["yellow"] + office["green"] == len(still_open)
        assert office["total"] == len(mine)
    assert data["offices"][0]["name"] == "乡党群办"  # the only office with anything overdue


def test_board_table(xixin: Runner) -> None:
    result = xixin("board", "--as-of", "2022-11-28")
    assert (
        result.code == 0
        and "督办看板·按责任单位" in result.out
        and "5.1 动员部署阶段" in result.out
    )


@pytest.mark.parametrize("suffix", [".svg", ".html"])
def test_board_picture_as_svg_and_html(xixin: Runner, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"看板{suffix}"
    result = xixin("board", "--as-of", "2022-11-28", "--image", str(out))
    assert result.code == 0 and str(out) in result.err
    text = out.read_text(encoding="utf-8")
    assert "乡党群办" in text and "动员部署阶段" in text
    assert text.lstrip().startswith("<svg" if suffix == ".svg" else "<!DOCTYPE html>")


@pytest.mark.skipif(find_font() is None, reason="no font with Chinese glyphs on this machine")
def test_board_picture_as_png(xixin: Runner, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "看板.png"
    assert xixin("board", "--as-of", "2022-11-28", "--image", str(out)).code == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(out) as image:
        assert image.width >= 800 and image.height >= 400
        colours = image.convert("RGB").getcolors(maxcolors=100_000) or []
        assert len(colours) > 10  # text and bars were drawn, not a blank page


def test_png_without_a_chinese_font_says_so(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_FONT", str(tmp_path / "no-such-font.ttc"))
    out = tmp_path / "看板.png"
    result = xixin("board", "--image", str(out))
    assert result.code == ExitCode.OUTPUT
    assert "找不到中文字体" in result.err and "svg" in result.err
    assert not out.exists()


def test_an_unknown_picture_format(xixin: Runner, tmp_path: Path) -> None:
    result = xixin("board", "--image", str(tmp_path / "看板.jpg"))
    assert result.code == ExitCode.OUTPUT and "不支持这种图片格式" in result.err


def record_fixed_week(state_file: Path) -> None:
    """Changes at fixed times, so the reports can be compared with golden files."""

    def at(day: int, hour: int) -> datetime:
        return datetime(2022, 11, day, hour, tzinfo=CHINA)

    events = [
        Event("w1", at(10, 9), "5.1.1", Status.DONE, Status.TODO, "王芳", "领导小组已组建"),
        Event("w2", at(23, 10), "5.1.2", Status.DONE, Status.TODO, "王芳", "动员会已召开"),
        Event("w3", at(24, 15), "4.3.2", Status.DOING, Status.TODO, "李四", "已召开部署会"),
        Event(
            "w4",
            at(25, 11),
            "4.7.8",
            Status.TODO,
            Status.TODO,
            "王芳",
            "苗木延期到货",
            kind=EventKind.EXTEND,
            due=date(2022, 12, 20),
        ),
        Event("w5", at(26, 16), "4.3.7", Status.DROPPED, Status.TODO, "李四", "本乡不涉及"),
        Event("w6", at(28, 9), "5.1.2", Status.CLOSED, Status.DONE, "张主任", "已核验"),
        Event("w7", at(28, 10), "4.3.4", Status.BLOCKED, Status.TODO, "李四", "经费未到位"),
    ]
    for event in events:
        append_event(state_file, event, writer="golden")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("weekly.md", ("report", "weekly", "--as-of", "2022-11-28", "--office", "乡民政办")),
        ("self-check.md", ("report", "self-check", "--as-of", "2022-11-30")),
        (
            "self-check-minzheng.txt",
            (
                "report",
                "self-check",
                "--as-of",
                "2022-11-30",
                "--office",
                "乡民政办",
                "--format",
                "text",
            ),
        ),
    ],
)
def test_report_golden(xixin: Runner, state_file: Path, name: str, args: tuple[str, ...]) -> None:
    record_fixed_week(state_file)
    result = xixin(*args)
    assert result.code == 0 and result.err == ""
    assert result.out == (GOLDEN / name).read_text(encoding="utf-8")


def test_a_blocked_item_is_a_problem_of_the_self_check_with_its_reason(
    xixin: Runner, state_file: Path
) -> None:
    record_fixed_week(state_file)
    text = xixin("report", "self-check", "--as-of", "2022-11-30").out
    problems = text.split("## 存在的问题", 1)[1]
    assert "- 受阻 1 项，需协调解决：4.3.4（经费未到位）" in problems.splitlines()


def test_weekly_report_lists_the_weeks_changes_only(xixin: Runner, state_file: Path) -> None:
    record_fixed_week(state_file)
    text = xixin("report", "weekly", "--as-of", "2022-11-28").out
    assert "11-23 王芳：5.1.2" in text and "11-28 张主任：5.1.2" in text
    assert "11-10" not in text  # outside the week
    assert "延期至 2022-12-20" in text


def test_self_check_rates_match_list_json(xixin: Runner, state_file: Path) -> None:
    record_fixed_week(state_file)
    report = xixin("report", "self-check", "--as-of", "2022-11-30").out
    every = [d for d in json.loads(xixin("list", "--json").out) if d["progress"] is None]
    table = {
        m[0]: (int(m[1]), int(m[2]))
        for m in re.findall(r"^\| (\S+) \| (\d+) \| (\d+) \| ", report, re.M)
    }
    offices = {name for d in every for name in d["offices"]}
    for office in offices:
        mine = [d for d in every if office in d["offices"] and d["status"] != "dropped"]
        done = sum(1 for d in mine if d["status"] in ("done", "closed"))
        assert table[office] == (done, len(mine)), office
    counted = [d for d in every if d["status"] != "dropped"]
    assert table["合计"] == (
        sum(1 for d in counted if d["status"] in ("done", "closed")),
        len(counted),
    )
