"""The clerk's screen: Chinese that wraps like Chinese, 受阻 shown, the reminder paged (#21)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from xixin_cli.picture import find_font
from xixin_cli.wrap import NO_START, Wrapped, breaks, list_breaks

from conftest import Runner

UNITS = (
    "乡党群办",
    "乡经发办",
    "乡农服中心",
    "乡安监办",
    "乡民政办",
    "乡宣传办",
    "乡组织办",
    "乡司法所",
)
SHORT = tuple(name[1:] for name in UNITS)


def lines_of(cell: Wrapped, width: int) -> list[str]:
    return [line.plain for line in cell.lines(width)]


# -- where a line may break ---------------------------------------------------------------------


def test_a_unit_list_breaks_only_after_its_separators() -> None:
    text, offsets = list_breaks(SHORT, "、")
    for width in range(10, 40):
        lines = lines_of(Wrapped(text, offsets=offsets), width)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] != "、"
            assert all(name in SHORT for name in line.rstrip("、").split("、")), (width, line)


@pytest.mark.parametrize(
    "whole",
    [
        "洗府发〔2022〕145号",
        "〔2022〕60号",
        "2022-11-30",
        "4.10.2",
        "（逾期 66 天）",
        "乡农服中心",
        "66 天",
    ],
)
def test_a_piece_that_never_splits(whole: str) -> None:
    text = f"按照要求推进{whole}相关工作，务必按期完成并报送材料"
    # A document number carries up to three characters before it (its issuer: 洗府发).
    for width in range(cell_len(whole) + (6 if "〔" in whole else 0), 30):
        lines = lines_of(Wrapped(text, words=UNITS), width)
        assert any(whole in line for line in lines), (width, lines)


def test_no_line_starts_with_closing_punctuation_or_ends_with_opening() -> None:
    text = "严格落实“四个不摘”要求，健全防止返贫动态监测和帮扶机制；加强（城乡）社会保障体系建设。"
    for width in range(4, 40):
        lines = lines_of(Wrapped(text), width)
        assert "".join(lines) == text
        assert all(line[0] not in NO_START for line in lines), (width, lines)
        assert all(line[-1] not in "（“〔" for line in lines), (width, lines)
        assert all(cell_len(line) <= width for line in lines), (width, lines)


def test_breaks_never_fall_inside_a_unit_name() -> None:
    text = "等待乡农服中心和民政办材料"
    cuts = breaks(text, UNITS + SHORT)
    for name in ("乡农服中心", "民政办"):
        start = text.index(name)
        assert not any(start < cut < start + len(name) for cut in cuts)


def test_a_piece_wider_than_the_line_is_folded_not_lost() -> None:
    text = "A" * 25 + "，完成"
    lines = lines_of(Wrapped(text), 10)
    assert "".join(lines) == text and all(cell_len(line) <= 10 for line in lines)
    assert all(line[0] not in NO_START for line in lines)


def test_continuation_lines_hang_under_an_indented_title() -> None:
    lines = lines_of(Wrapped("    用好东西部协作、对口帮扶、社会帮扶等资源力量", hang=4), 20)
    assert len(lines) > 1 and all(line.startswith("    ") for line in lines)


def test_the_fast_line_count_is_the_line_layout() -> None:
    text = "严格落实“四个不摘”要求，健全防止返贫动态监测和帮扶机制（党群办、经发办）2022-11-30"
    for hang in (0, 2):
        cell = Wrapped(" " * hang + text, words=UNITS, hang=hang)
        for width in range(3, 60):
            assert cell.count(width) == len(cell.lines(width)), (hang, width)


# -- the tables, at 80 columns as a terminal shows them -----------------------------------------


def screen(xixin: Runner, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", "80")
    result = xixin(*args)
    assert result.code in (0, 10), result.err
    lines = result.out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    return lines


def cells(line: str) -> list[str]:
    """The cells of a table line: runs of text between gaps of two blanks or more."""
    return [part for part in re.split(r" {2,}", line.strip()) if part]


def record_week(xixin: Runner) -> None:
    for args in (
        ("done", "4.1.3", "4.1.4", "--office", "all", "--on", "2022-11-28"),
        ("block", "4.7.8", "--office", "农服", "--note", "苗木未到", "--on", "2022-11-25"),
        ("start", "4.3.2", "--office", "all", "--on", "2022-11-21", "--note", "已召开部署会"),
        ("done", "5.3.1", "--office", "民政", "--note", "自查报告已报县创建办乡党群办"),
    ):
        assert xixin(*args).code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--all"),
        ("overdue", "--as-of", "2022-12-05", "--all"),
        ("history", "--all"),
        ("board", "--as-of", "2022-12-05"),
        ("remind", "--as-of", "2022-12-05"),
    ],
)
def test_at_80_columns_no_unit_is_split_and_no_line_starts_with_a_pause_mark(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    record_week(xixin)
    lines = screen(xixin, monkeypatch, *args)
    pieces = [piece for line in lines for piece in cells(line)]
    assert pieces
    for piece in pieces:
        assert piece[0] not in "、，。；：）〕」", piece
    # A unit's name is never cut: no cell's line ends with the start of a name.
    for name in UNITS + SHORT:  # 宣传 and 组织 are words of their own: a head of three or more
        for cut in range(3 if name in SHORT else 2, len(name)):
            head = name[:cut]
            cut_off = [p for p in pieces if p.endswith(head) and not p.endswith(name)]
            assert cut_off == [], name


def test_history_gives_title_and_note_room_at_80_columns(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_week(xixin)
    lines = screen(xixin, monkeypatch, "history")
    header = next(line for line in lines if "事项" in line and "备注" in line)
    start = cell_len(header[: header.index("事项")])
    end = cell_len(header[: header.index("变更")])
    assert end - start >= 20  # the title column was 8 wide once
    assert any("未开始 →" in line for line in lines)  # the change takes two lines, not a column


def test_written_to_a_file_no_line_ends_in_blanks(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_week(xixin)
    for args in (
        ("list",),
        ("board", "--as-of", "2022-12-05"),
        ("remind", "--as-of", "2022-12-05"),
    ):
        lines = screen(xixin, monkeypatch, *args)
        assert [line for line in lines if line != line.rstrip()] == [], args


def test_a_table_rendered_twice_at_two_widths_fits_each() -> None:
    from xixin_cli.fold import fold, states
    from xixin_cli.paths import bundled_plan
    from xixin_cli.plan_file import load_plan
    from xixin_cli.render import checklist_table

    plan = load_plan(bundled_plan())
    table = checklist_table(plan, list(states(plan, fold([])).values()), "zh")
    for width in (120, 60, 80):
        console = Console(width=width, file=io.StringIO(), markup=False, emoji=False)
        console.print(table)
        printed = console.file.getvalue()  # type: ignore[attr-defined]
        assert max(cell_len(line) for line in printed.splitlines()) <= width


# -- 受阻 ---------------------------------------------------------------------------------------


def test_a_blocked_item_has_its_own_line_in_the_reminder(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_week(xixin)
    lines = screen(xixin, monkeypatch, "remind", "--as-of", "2022-12-05")
    assert lines[0].startswith("2022-12-05：逾期")  # the summary opens it
    text = "\n".join(lines)
    assert "受阻 1 项，需协调解决。" in lines[0] + lines[1]
    assert not lines[1].startswith("1 项")  # 受阻 1 项 stays on one line
    block = text.split("■ 乡农服中心", 1)[1].split("■", 1)[0]
    assert "受阻 1 项" in block.splitlines()[0]
    assert "◆ 受阻 1 项，需协调解决：" in block
    assert "4.7.8 开展植树造林活动" in block and "（苗木未到）" in block
    assert "◆" not in text.split("■ 乡党群办", 1)[1].split("■", 1)[0]  # only its own unit
    plain = xixin("remind", "--plain", "--as-of", "2022-12-05").out
    assert "◆ 受阻 1 项，需协调解决：4.7.8" in plain


def test_blocked_is_counted_on_the_board_and_in_json(xixin: Runner) -> None:
    import json

    record_week(xixin)
    board = json.loads(xixin("board", "--as-of", "2022-12-05", "--json").out)
    counts = {row["key"]: row["blocked"] for row in board["offices"]}
    assert counts["nongfu"] == 1 and sum(counts.values()) == 1
    digest = json.loads(xixin("remind", "--as-of", "2022-12-05", "--json").out)
    assert digest["blocked"] == ["4.7.8"]
    assert xixin("board", "--as-of", "2022-11-20", "--json").code == 0  # blocked only later


def test_english_says_finished_not_closed_for_done_items(xixin: Runner) -> None:
    assert xixin("done", "4.1.3", "4.1.4", "--office", "all", "--on", "2022-11-28").code == 0
    board = xixin("--lang", "en", "board", "--as-of", "2022-12-05").out
    remind = xixin("--lang", "en", "remind", "--as-of", "2022-12-05").out
    assert "closed" not in board and "closed" not in remind
    assert "finished" in board and "finished" in remind


# -- the pager ------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is a POSIX thing")
@pytest.mark.parametrize(("extra", "paged"), [((), True), (("--no-pager",), False)])
def test_on_a_terminal_a_long_reminder_is_paged(
    process_env: dict[str, str], tmp_path: Path, extra: tuple[str, ...], paged: bool
) -> None:
    import pty

    seen = tmp_path / "paged.txt"
    env = {**process_env, "PAGER": f"cat > {seen}", "COLUMNS": "80", "LINES": "40"}
    main, side = pty.openpty()
    running = subprocess.Popen(
        [sys.executable, "-m", "xixin_cli", "remind", "--as-of", "2022-12-05", *extra],
        stdin=side,
        stdout=side,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(side)
    shown = b""
    while True:  # read what reaches the terminal while it runs, or it waits for a reader
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed: the run is over
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    _, stderr = running.communicate(timeout=60)
    done = subprocess.CompletedProcess(running.args, running.returncode, b"", stderr)
    assert done.returncode == 0, done.stderr
    assert seen.exists() is paged
    if paged:
        assert "逾期" in seen.read_text(encoding="utf-8").splitlines()[0]
    else:
        assert "逾期" in shown.decode("utf-8", "replace")


def test_not_on_a_terminal_nothing_is_paged(process_env: dict[str, str], tmp_path: Path) -> None:
    seen = tmp_path / "paged.txt"
    env = {**process_env, "PAGER": f"cat > {seen}", "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "xixin_cli", "remind", "--as-of", "2022-12-05"],
        capture_output=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and "逾期" in done.stdout.decode("utf-8")
    assert not seen.exists()


# -- completion -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "hook"),
    [
        ("bash", "complete -o default -F _xixin_complete xixin"),
        ("zsh", "compdef _xixin xixin"),
        ("fish", "complete -c xixin"),
        ("powershell", "Register-ArgumentCompleter -Native -CommandName xixin"),
    ],
)
def test_completion_prints_a_script_for_each_shell(xixin: Runner, shell: str, hook: str) -> None:
    result = xixin("completion", shell)
    assert result.code == 0 and result.err == ""
    assert hook in result.out and f"xixin completion {shell} " in result.out


def test_completion_for_an_unknown_shell_is_a_usage_error(xixin: Runner) -> None:
    from xixin_cli.errors import ExitCode

    result = xixin("completion", "tcsh")
    assert result.code == ExitCode.USAGE and result.out == ""
    assert "tcsh" in result.err and "powershell" in result.err


def offered(xixin: Runner, current: str, *typed: str) -> list[str]:
    result = xixin("completion", "bash", f"--current={current}", "--", *typed)
    assert result.code == 0 and result.err == "", result.err
    return result.out.splitlines()


@pytest.mark.parametrize(
    ("current", "typed", "expected", "not_expected"),
    [
        ("d", (), {"done", "detach", "doctor"}, {"list"}),
        ("--l", (), {"--lang"}, {"--office"}),
        ("4.1", ("done",), {"4.1.1", "4.1.9"}, {"4.2.1"}),
        ("", ("done", "4.1.1", "--office"), {"乡民政办", "民政办", "all"}, set()),
        ("民", ("done", "4.1.1", "--office"), {"民政办"}, {"乡民政办"}),
        ("", ("set", "4.1.1"), {"blocked", "受阻", "done"}, {"4.1.1"}),
        ("--o", ("done", "4.1.1"), {"--office", "--on"}, {"--all"}),
        ("", ("list", "--status"), {"todo", "未开始"}, set()),
        ("", ("list", "--phase"), {"5.2", "全面创建阶段"}, set()),
        ("", ("export",), {"markdown", "csv", "ics", "xlsx"}, set()),
        ("", ("report", "self-check", "--format"), {"md", "text"}, set()),
        ("", ("--lang", "en", "show"), {"4.3.2", "5.3.1"}, set()),
        ("", ("completion",), {"bash", "zsh", "fish", "powershell"}, set()),
        ("", ("--lang",), {"zh", "en"}, set()),
    ],
)
def test_completion_offers_what_may_come_next(
    xixin: Runner, current: str, typed: tuple[str, ...], expected: set[str], not_expected: set[str]
) -> None:
    found = set(offered(xixin, current, *typed))
    assert expected <= found, expected - found
    assert not (not_expected & found)


def test_completion_offers_files_where_a_path_goes(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "看板.png").write_bytes(b"")
    (tmp_path / "清单").mkdir()
    monkeypatch.chdir(tmp_path)
    assert set(offered(xixin, "", "board", "--image")) >= {"看板.png", "清单" + os.sep}
    assert offered(xixin, "看", "collect") == ["看板.png"]


@pytest.mark.skipif(sys.platform == "win32" or not Path("/bin/bash").exists(), reason="bash")
def test_the_bash_script_completes_in_bash(process_env: dict[str, str]) -> None:
    here = Path(sys.executable).parent
    script = """
        eval "$(xixin completion bash)"
        COMP_WORDS=(xixin done 4.1.1 --office 民); COMP_CWORD=4; _xixin_complete
        echo "${COMPREPLY[@]}"
        COMP_WORDS=(xixin rem); COMP_CWORD=1; _xixin_complete
        echo "${COMPREPLY[@]}"
    """
    env = {**process_env, "PATH": f"{here}{os.pathsep}{process_env.get('PATH', '')}"}
    done = subprocess.run(
        ["/bin/bash", "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["民政办", "remind"]


def test_completion_is_loaded_by_no_other_command(process_env: dict[str, str]) -> None:
    from test_startup import loaded

    for args in (["--version"], ["list", "--limit", "1"], ["done", "5.1.1"]):
        assert "xixin_cli.completion" not in loaded(args, process_env), args


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_the_fish_script_completes_in_fish(process_env: dict[str, str]) -> None:
    here = Path(sys.executable).parent
    script = (
        "xixin completion fish | source; "
        'complete -C "xixin done 4.1.1 --office 民"; complete -C "xixin rem"'
    )
    env = {**process_env, "PATH": f"{here}{os.pathsep}{process_env.get('PATH', '')}"}
    done = subprocess.run(
        ["fish", "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["民政办", "remind"]


# -- the board as a picture -----------------------------------------------------------------------

needs_font = pytest.mark.skipif(find_font() is None, reason="no font with Chinese glyphs here")


def board_of(xixin: Runner) -> tuple[Any, Any]:
    """The plan and its board on 2022-12-05, after `record_week`."""
    from xixin_cli.board import board
    from xixin_cli.fold import fold, states
    from xixin_cli.paths import bundled_plan
    from xixin_cli.plan_file import load_plan
    from xixin_cli.schedule import digest
    from xixin_cli.status_log import read_logs
    from xixin_cli.workdays import build_calendar

    plan = load_plan(bundled_plan())
    record_week(xixin)
    events, _ = read_logs([Path(os.environ["XIXIN_STATE"])])
    item_states = states(plan, fold(list(events)))
    week = digest(plan, item_states, date(2022, 12, 5), build_calendar())
    return plan, board(plan, item_states, week)


@needs_font
def test_the_picture_has_a_legend_grey_zeros_a_blocked_count_and_a_blue_bar(xixin: Runner) -> None:
    from PIL import Image

    from xixin_cli import picture

    plan, result = board_of(xixin)
    image = Image.open(io.BytesIO(picture.render_png(plan, result, "zh")))
    colours = {colour for _, colour in image.convert("RGB").getcolors(1_000_000) or []}

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[n : n + 2], 16) for n in (1, 3, 5))  # type: ignore[return-value]

    for name in ("RED", "YELLOW", "GREEN", "BLOCKED", "ZERO", "PROGRESS"):
        assert rgb(getattr(picture, name)) in colours, name
    assert (249, 38, 114) not in colours  # the pink-red bar that read as 红灯


@needs_font
def test_the_picture_draws_the_whole_short_title_in_two_lines_at_most(xixin: Runner) -> None:
    from PIL import ImageFont

    from xixin_cli import picture
    from xixin_cli.render import worst_text

    _, result = board_of(xixin)
    font = ImageFont.truetype(str(find_font()), 18)
    room = picture._WIDTH - picture._WORST - 30
    for row in (*result.units, *result.phases):
        text = worst_text(row, "zh")
        lines = picture._lines(text, font, room, 2)
        assert 1 <= len(lines) <= 2
        assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", ""), text
        assert all(picture.text_width(line, font) <= room for line in lines)
        assert all(line[0] not in NO_START for line in lines)


@needs_font
def test_a_document_numbers_brackets_are_set_tight() -> None:
    from PIL import ImageFont

    from xixin_cli import picture

    font = ImageFont.truetype(str(find_font()), 22)
    loose = font.getlength("〔2022〕")
    assert picture.text_width("〔2022〕", font) < loose - 0.5 * 22  # half an em saved, at least
    assert picture.text_width("2022", font) == font.getlength("2022")
