"""The weekly reminder in the computer's own scheduler: the entries for Linux, macOS and
Windows, a crontab round trip (a stand-in `crontab`, and the real one for a test account),
and the run log that `schedule show` reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode
from xixin_cli.scheduler import CRON_MARK, Job, cron_line, registration

from conftest import Runner

#: A stand-in for `crontab` that keeps the table in $FAKE_CRONTAB, as cron's own does.
FAKE = """#!/bin/sh
if [ "$1" = "-u" ]; then shift 2; fi
case "$1" in
  -l) if [ -f "$FAKE_CRONTAB" ]; then cat "$FAKE_CRONTAB"
      else echo "no crontab for $USER" >&2; exit 1; fi ;;
  -) cat > "$FAKE_CRONTAB" ;;
  *) echo "usage" >&2; exit 2 ;;
esac
"""

THEIRS = "# the clerk's own line\n0 3 * * * /usr/bin/backup --all\n"


@pytest.fixture
def fake_crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "crontab"
    program.write_text(FAKE, encoding="utf-8")
    program.chmod(0o755)
    table = tmp_path / "crontab.txt"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_CRONTAB", str(table))
    return table


def job(*argv: str, weekday: int = 0, hour: int = 8, minute: int = 30) -> Job:
    return Job(weekday, hour, minute, argv or ("/opt/py/bin/python", "-m", "xixin_cli"))


# -- what is registered ---------------------------------------------------------------------------


def test_the_crontab_line() -> None:
    assert cron_line(job()) == f"30 8 * * 1 /opt/py/bin/python -m xixin_cli {CRON_MARK}"
    assert cron_line(job(weekday=6, hour=17, minute=5)).startswith("5 17 * * 0 ")  # Sunday is 0
    spaced = cron_line(job("/home/a b/py", "--send", "http://h/x?a=1&b=50%25"))
    assert "'/home/a b/py' --send 'http://h/x?a=1&b=50\\%25'" in spaced  # % would end the command


def test_the_windows_task() -> None:
    text = registration(job("C:\\Program Files\\py\\python.exe", "-m", "xixin_cli"), "windows")
    assert text == (
        "schtasks /Create /TN xixin\\weekly-reminder /SC WEEKLY /D MON /ST 08:30 /TR "
        '"\\"C:\\Program Files\\py\\python.exe\\" -m xixin_cli" /F'
    )


@pytest.mark.parametrize("system", ["linux", "macos"])
def test_dry_run_prints_the_crontab_line(xixin: Runner, system: str, tmp_path: Path) -> None:
    result = xixin(
        "schedule", "install", "--weekly", "周三", "--at", "9:05", "--dry-run", "--system", system
    )
    assert result.code == 0, result.err
    (line,) = result.out.splitlines()
    assert line.startswith("5 9 * * 3 ") and line.endswith(CRON_MARK)
    assert " schedule run --in " in line
    assert "未登记" in result.err and "xixin config set send" in result.err  # no target yet


def test_dry_run_for_windows(xixin: Runner) -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc123"
    result = xixin(
        "schedule", "install", "--weekly", "fri", "--at", "17:30", "--send", url,
        "--office", "民政办", "--dry-run", "--system", "windows",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith("schtasks /Create /TN xixin\\weekly-reminder /SC WEEKLY /D FRI")
    assert "/ST 17:30 /TR " in result.out and result.out.rstrip().endswith(" /F")
    assert f"schedule run --in {Path.cwd()} --send {url} --office 民政办" in result.out
    assert "xixin config set send" not in result.err  # it has a target


def test_the_command_carries_the_global_options_as_absolute_paths(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = xixin("--state", "s.jsonl", "--lang", "en", "schedule", "install", "--dry-run")
    assert result.code == 0, result.err
    words = result.out.split()
    state = str(tmp_path / "s.jsonl")
    assert words[5:12] == [sys.executable, "-m", "xixin_cli", "--state", state, "--lang", "en"]
    assert words[12:16] == ["schedule", "run", "--in", str(tmp_path)]


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("--weekly", "周八"), "--weekly"),
        (("--at", "25:00"), "--at"),
        (("--system", "solaris", "--dry-run"), "--system"),
        (("--send", "ftp://x"), "--send"),
    ],
)
def test_bad_schedule_input_is_refused(xixin: Runner, args: tuple[str, ...], word: str) -> None:
    result = xixin("schedule", "install", *args)
    assert result.code == ExitCode.USAGE
    assert result.out == ""
    assert word in result.err and result.err.count("\n") == 1


def test_another_systems_scheduler_is_only_shown(xixin: Runner) -> None:
    other = "windows" if sys.platform != "win32" else "linux"
    result = xixin("schedule", "install", "--system", other)
    assert result.code == ExitCode.USAGE
    assert "--dry-run" in result.err


# -- the crontab, for real and through a stand-in -------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="crontab is for Linux and macOS")
def test_install_show_remove_keep_the_other_lines(xixin: Runner, fake_crontab: Path) -> None:
    assert "没有登记定时提醒" in xixin("schedule", "show").out
    assert xixin("schedule", "remove").code == 0  # nothing there: nothing changed
    assert not fake_crontab.exists()
    fake_crontab.write_text(THEIRS, encoding="utf-8")
    first = xixin("schedule", "install", "--weekly", "周一", "--at", "08:30")
    assert first.code == 0, first.err
    assert "已登记定时提醒：每周一 08:30" in first.err
    table = fake_crontab.read_text(encoding="utf-8")
    assert table.startswith(THEIRS)
    assert table.count(CRON_MARK) == 1 and "\n30 8 * * 1 " in table
    again = xixin("schedule", "install", "--weekly", "周五", "--at", "16:00")
    assert "替换了原来的一条" in again.err
    table = fake_crontab.read_text(encoding="utf-8")
    assert table.count(CRON_MARK) == 1 and "\n0 16 * * 5 " in table
    shown = xixin("schedule", "show")
    assert shown.out.splitlines()[0] == again.out.strip()
    removed = xixin("schedule", "remove")
    assert removed.code == 0 and "已取消定时提醒" in removed.err
    assert fake_crontab.read_text(encoding="utf-8") == THEIRS  # byte for byte


def test_no_crontab_command_is_one_line(xixin: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = xixin("schedule", "show")
    assert result.code == ExitCode.USAGE
    assert "crontab" in result.err and "--dry-run" in result.err


TEST_ACCOUNT = "xixin-crontest"


@pytest.fixture
def test_account() -> Iterator[str]:
    """A throwaway account whose crontab the test may change (never the user's own)."""
    if sys.platform == "win32" or shutil.which("crontab") is None:
        pytest.skip("no crontab command here (Debian: apt-get install cron)")
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("a test account's crontab needs root and useradd")
    made = subprocess.run(["id", TEST_ACCOUNT], capture_output=True).returncode != 0
    if made:
        subprocess.run(
            ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_ACCOUNT],
            check=True,
            capture_output=True,
        )
    try:
        yield TEST_ACCOUNT
    finally:
        subprocess.run(["crontab", "-u", TEST_ACCOUNT, "-r"], capture_output=True)
        if made:
            subprocess.run(["userdel", TEST_ACCOUNT], capture_output=True)


def _own_crontab() -> str:
    done = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else ""


def test_a_real_crontab_round_trip(xixin: Runner, test_account: str) -> None:
    own = _own_crontab()
    subprocess.run(["crontab", "-u", test_account, "-"], input=THEIRS, text=True, check=True)
    account = ("--account", test_account)
    installed = xixin("schedule", "install", "--weekly", "周一", "--at", "08:30", *account)
    assert installed.code == 0, installed.err
    listed = subprocess.run(["crontab", "-u", test_account, "-l"], capture_output=True, text=True)
    assert listed.stdout.startswith(THEIRS)
    (ours,) = [line for line in listed.stdout.splitlines() if line.endswith(CRON_MARK)]
    assert ours.startswith("30 8 * * 1 ") and ours == installed.out.strip()
    assert xixin("schedule", "show", *account).out.splitlines()[0] == ours
    assert xixin("schedule", "remove", *account).code == 0
    after = subprocess.run(["crontab", "-u", test_account, "-l"], capture_output=True, text=True)
    assert after.stdout == THEIRS
    assert _own_crontab() == own  # the user running the tests was never touched


# -- the run log ----------------------------------------------------------------------------------


def _runs() -> list[dict[str, object]]:
    path = Path(os.environ["XIXIN_RUN_LOG"])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_scheduled_run_is_noted_and_shown(xixin: Runner, fake_crontab: Path) -> None:
    from test_send import Hook

    hook = Hook()
    hook.thread.start()
    try:
        url = f"{hook.base}/hook"
        ok = xixin("schedule", "run", "--send", url, "--office", "民政办", "--as-of", "2022-12-05")
        assert ok.code == 0, ok.err
        assert ok.out.startswith("【督办提醒】乡民政办\n")
        assert len(hook.posts) == 1
        hook.status = 500
        bad = xixin("schedule", "run", "--send", url, "--as-of", "2022-12-05")
        assert bad.code == ExitCode.SEND
        assert bad.out.startswith("【督办提醒】各单位")  # printed all the same
    finally:
        hook.server.shutdown()
        hook.server.server_close()
    nothing = xixin("schedule", "run", "--as-of", "2022-12-05")  # no target set anywhere
    assert nothing.code == ExitCode.USAGE
    runs = _runs()
    assert [run["code"] for run in runs] == [0, 8, 2]
    assert runs[0]["sent"] == [url] and runs[0]["messages"] == 1 and runs[0]["failed"] == []
    assert runs[1]["sent"] == [] and runs[1]["failed"] == [url]
    assert "xixin config set send" in str(runs[2]["error"])
    shown = xixin("schedule", "show").out.splitlines()
    assert any(f"发送 1 条到 {url}，退出码 0" in line for line in shown)
    assert any(f"发送失败：{url}，退出码 8" in line for line in shown)
    assert any("未能运行" in line and "退出码 2" in line for line in shown)


def test_a_run_in_the_folder_it_was_installed_from(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = xixin("schedule", "run", "--in", str(tmp_path / "gone"), "--send", "http://127.0.0.1:9/")
    assert gone.code == ExitCode.USAGE and "--in" in gone.err
    assert _runs()[-1]["code"] == 2


def test_a_windows_command_too_long_for_schtasks_is_refused(xixin: Runner) -> None:
    url = "http://127.0.0.1:8080/" + "h" * 250
    result = xixin("schedule", "install", "--send", url, "--dry-run", "--system", "windows")
    assert result.code == ExitCode.USAGE
    assert result.out == ""
    assert "261" in result.err and "xixin config set send" in result.err


def test_what_the_scheduler_will_not_see_is_said_or_carried(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_SEND", "http://127.0.0.1:9/env")
    unseen = xixin("schedule", "install", "--dry-run")
    assert unseen.code == 0
    assert "XIXIN_SEND" in unseen.err and "xixin config set send" in unseen.err
    monkeypatch.setenv("XIXIN_HOME", str(tmp_path / "ws"))
    carried = xixin("schedule", "install", "--dry-run").out
    assert f" schedule run --in {tmp_path / 'ws'} " in carried
