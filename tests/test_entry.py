"""The console entry point: what it prints arrives whole, and output it cannot write is one line
and exit code 5, even though it leaves without the interpreter's teardown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FULL = Path("/dev/full")  # every write fails with "No space left on device"


@pytest.fixture
def env(process_env: dict[str, str]) -> dict[str, str]:
    return process_env


def xixin(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "xixin_cli", *args],
        env=env,
        text=True,
        encoding="utf-8",
        check=False,
        **kwargs,
    )


def test_what_is_printed_and_written_arrives_whole(env: dict[str, str], tmp_path: Path) -> None:
    done = xixin(
        "done", "5.1.1", "--office", "all", "--note", "已完成", env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    assert "5.1.1" in done.stderr and done.stdout == ""
    shown = xixin("export", "markdown", env=env, capture_output=True)
    assert shown.returncode == 0 and shown.stderr == ""
    out = tmp_path / "清单.md"
    written = xixin("export", "markdown", "-o", str(out), env=env, capture_output=True)
    assert written.returncode == 0, written.stderr
    assert out.read_text(encoding="utf-8") == shown.stdout
    assert shown.stdout.count("- [x] **5.1.1**") == 1 and shown.stdout.endswith("\n")
    logged = (tmp_path / "s.jsonl").read_text(encoding="utf-8")
    assert logged.count("\n") == 1 and '"note":"已完成"' in logged


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["--version"], ["list", "--all"], ["--lang", "en", "list"]])
def test_output_that_cannot_be_written_is_one_line_and_exit_5(
    env: dict[str, str], args: list[str]
) -> None:
    with FULL.open("w") as full:
        result = xixin(*args, env=env, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 5
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    expected = "cannot write the output" if "en" in args else "无法写出结果"
    assert lines[0].startswith("xixin: ") and expected in lines[0]


def test_a_reader_that_stops_early_is_no_error(env: dict[str, str]) -> None:
    import json

    records = [
        {
            "v": 1,
            "event": f"e{n}",
            "at": f"2022-11-20T09:{n // 60 % 60:02d}:{n % 60:02d}+08:00",
            "item": "5.1.1",
            "status": "doing",
            "previous": "todo",
            "by": "王芳",
            "note": "已报送" * 20,
        }
        for n in range(1000)
    ]
    log = Path(env["XIXIN_STATE"])
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    process = subprocess.Popen(  # far more than a pipe holds, so writing must hit a closed pipe
        [sys.executable, "-m", "xixin_cli", "history", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    with process.stdout, process.stderr:
        assert process.stdout.read(10)  # then stop reading, like `| head`
        process.stdout.close()
        error = process.stderr.read().decode("utf-8")
    assert process.wait() == 0
    assert error == ""


def test_ctrl_c_exits_130_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from xixin_cli import cli
    from xixin_cli.commands import _options

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_options, "open_session", interrupted)
    assert cli.run(["list"]) == 130
