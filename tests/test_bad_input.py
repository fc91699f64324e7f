"""The catalogue of bad input: each case gets one clear line, its documented exit code, no
traceback, and nothing written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode

from conftest import Runner
from test_plan_file import SMALL

Setup = Callable[[Path, pytest.MonkeyPatch], list[str]]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def deny_writes(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Make `target` (a file, or a folder and all in it) unwritable, even for root.

    As an ordinary user a chmod does it; root ignores permissions, so there the refusal the
    system would give is simulated at os.open, the one call every writer here goes through.
    """
    if not IS_ROOT:
        target.chmod(0o555 if target.is_dir() else 0o444)
        return
    real_open = os.open

    def guarded(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        inside = Path(path) == target or Path(path).parent == target
        if writing and inside:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


def plan_file(tmp: Path, content: str | bytes) -> list[str]:
    path = tmp / "plan.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return ["--plan", str(path)]


def args(*values: str) -> Setup:
    return lambda tmp, mp: list(values)


def with_plan(content: str | bytes, *rest: str) -> Setup:
    return lambda tmp, mp: [*plan_file(tmp, content), *rest]


def state_at(name: str, *rest: str, prepare: Callable[[Path], None] | None = None) -> Setup:
    def setup(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
        path = tmp / name
        if prepare is not None:
            prepare(path)
        return ["--state", str(path), *rest]

    return setup


def unwritable_state(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "locked.jsonl"
    path.write_bytes(b"")
    deny_writes(mp, path)
    deny_writes(mp, path.with_name(path.name + ".lock"))
    return ["--state", str(path), "done", "5.1.1"]


def read_only_folder_state(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    folder = tmp / "ro"
    folder.mkdir()
    deny_writes(mp, folder)
    return ["--state", str(folder / "log.jsonl"), "done", "5.1.1"]


def read_only_folder_output(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    folder = tmp / "ro"
    folder.mkdir()
    deny_writes(mp, folder)
    return ["export", "markdown", "-o", str(folder / "out.md")]


def unreadable_plan(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "plan.yaml"
    path.write_text(SMALL, encoding="utf-8")
    if not IS_ROOT:
        path.chmod(0)
    else:
        real = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        mp.setattr(Path, "read_bytes", refuse)
    return ["--plan", str(path), "list"]


def mkdir(path: Path) -> None:
    path.mkdir()


def newer_log(path: Path) -> None:
    path.write_text('{"v":99,"event":"x"}\n', encoding="utf-8")


def fifo_plan(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "plan.yaml"
    os.mkfifo(path)
    return ["--plan", str(path), "list"]


def huge_plan(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    from xixin_cli.plan_file import MAX_PLAN_BYTES

    path = tmp / "plan.yaml"
    with path.open("wb") as handle:
        handle.write(SMALL.encode())
        handle.truncate(MAX_PLAN_BYTES + 1)
    return ["--plan", str(path), "list"]


def over_the_plan(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    return [*plan_file(tmp, SMALL), "export", "markdown", "-o", str(tmp / "plan.yaml")]


USAGE, PLAN, STATE, OUTPUT = ExitCode.USAGE, ExitCode.PLAN, ExitCode.STATE, ExitCode.OUTPUT
GB = SMALL.encode("gb18030")
PY_TAG = SMALL.replace("title: 测试实施方案", "title: !!python/object/apply:os.system [echo]")

CATALOGUE: dict[str, tuple[Setup, ExitCode, str]] = {
    # command-line values
    "unknown id, did you mean": (args("show", "5.31"), USAGE, "（是不是“5.3.1”？）"),
    "unknown id in set": (args("set", "9.9.9", "done"), USAGE, "编号“9.9.9”不在计划中"),
    "empty id": (args("set", "", "done"), USAGE, "编号不能为空"),
    "blank id": (args("show", "  "), USAGE, "编号不能为空"),
    "unknown status": (args("set", "5.1.1", "finito"), USAGE, "“finito”不是状态"),
    "empty status": (args("set", "5.1.1", ""), USAGE, "“”不是状态"),
    "malformed date": (args("overdue", "--as-of", "2022-1x-01"), USAGE, "不是有效日期"),
    "impossible date": (args("overdue", "--as-of", "2022-02-30"), USAGE, "“2022-02-30”"),
    "impossible Chinese date": (args("remind", "--as-of", "2022年2月30日"), USAGE, "不是有效日期"),
    "a month without that day": (args("overdue", "--as-of", "2月30日"), USAGE, "不是有效日期"),
    "empty date": (args("upcoming", "--as-of", ""), USAGE, "--as-of: “”不是有效日期"),
    "thirteenth month": (args("export", "markdown", "--as-of", "2022-13-01"), USAGE, "有效日期"),
    "bad window": (args("upcoming", "--within", "soon"), USAGE, "--within: “soon”无法识别"),
    "empty window": (args("upcoming", "--within", ""), USAGE, "--within"),
    "negative window": (args("upcoming", "--within", "-3d"), USAGE, "--within"),
    "unknown office": (args("list", "--office", "乡财政所"), USAGE, "责任单位“乡财政所”不在计划中"),
    "empty office": (args("overdue", "--office", ""), USAGE, "不在计划中"),
    "unknown phase": (args("list", "--phase", "9.9"), USAGE, "阶段“9.9”不在计划中"),
    "unknown status filter": (args("list", "--status", "late"), USAGE, "“late”不是状态"),
    "unknown language": (args("--lang", "fr", "list"), USAGE, "--lang: “fr”不受支持"),
    "newline in note": (args("set", "5.1.1", "done", "--note", "甲\n乙"), USAGE, "控制字符"),
    "carriage return in note": (args("done", "5.1.1", "--note", "甲\r乙"), USAGE, "控制字符"),
    "bell in note": (args("done", "5.1.1", "--note", "甲\x07"), USAGE, "控制字符"),
    "escape sequence in note": (args("done", "5.1.1", "--note", "\x1b[31m红"), USAGE, "控制字符"),
    "very long note": (args("done", "5.1.1", "--note", "长" * 2001), USAGE, "备注过长"),
    "empty recorder": (args("done", "5.1.1", "--by", ""), USAGE, "--by 不能为空"),
    "newline in recorder": (args("done", "5.1.1", "--by", "王\n芳"), USAGE, "不能含控制字符"),
    "a task set directly": (args("set", "4.1", "done"), USAGE, "进度由其下的行动汇总"),
    "unknown id in history": (args("history", "5.31"), USAGE, "不在计划中"),
    "bad grouping": (args("export", "markdown", "--group-by", "unit"), USAGE, "--group-by"),
    "nothing to undo": (args("undo"), USAGE, "没有可撤销的记录"),
    # plan files
    "plan file missing": (args("--plan", "/nonexistent/plan.yaml", "list"), PLAN, "找不到计划文件"),
    "plan is a folder": (lambda tmp, mp: ["--plan", str(tmp), "list"], PLAN, "这是一个文件夹"),
    "plan unreadable": (unreadable_plan, PLAN, "没有读取权限"),
    "plan in GB18030": (with_plan(GB, "list"), PLAN, "GBK/GB18030"),
    "plan not text": (with_plan(b"\xff\xfe\xfa", "list"), PLAN, "不是 UTF-8"),
    "plan not YAML": (with_plan("a: [1, 2\n", "list"), PLAN, "不是有效的 YAML"),
    "plan is a list": (with_plan("- 1\n- 2\n", "list"), PLAN, "映射"),
    "plan is empty": (with_plan("", "list"), PLAN, "文件是空的"),
    "plan with an unknown key": (with_plan(SMALL + "extra: 1\n", "list"), PLAN, "未知的键"),
    "plan of a newer format": (
        with_plan(SMALL.replace("format: 1", "format: 2"), "list"),
        PLAN,
        "格式版本 2 不受支持",
    ),
    "plan with a python tag": (with_plan(PY_TAG, "list"), PLAN, "不接受 YAML 标签 !!python/object"),
    "validate a folder": (lambda tmp, mp: ["validate", str(tmp)], PLAN, "这是一个文件夹"),
    # status files
    "recording into a folder": (
        state_at("dir", "done", "5.1.1", prepare=mkdir),
        STATE,
        "是一个文件夹",
    ),
    "recording into two logs": (
        args("--state", "a.jsonl", "--state", "b.jsonl", "done", "5.1.1"),
        USAGE,
        "只能指定一个 --state",
    ),
    "merging a missing file": (args("merge", "/nonexistent/b.jsonl"), STATE, "找不到状态文件"),
    "unknown split": (
        args("export", "markdown", "--split-by", "phase", "-o", "."),
        USAGE,
        "--split-by",
    ),
    "split without a folder": (
        args("export", "markdown", "--split-by", "office"),
        USAGE,
        "需要用 -o 指定一个文件夹",
    ),
    "status folder missing": (state_at("no/log.jsonl", "done", "5.1.1"), STATE, "不存在"),
    "status from a newer xixin": (
        state_at("n.jsonl", "list", prepare=newer_log),
        STATE,
        "更新版本",
    ),
    "status file unwritable": (unwritable_state, STATE, "没有写入状态文件"),
    "status folder read-only": (read_only_folder_state, STATE, "没有写入状态文件"),
    # output files
    "output is a folder": (
        lambda tmp, mp: ["export", "markdown", "-o", str(tmp)],
        OUTPUT,
        "是一个文件夹",
    ),
    "output folder missing": (
        lambda tmp, mp: ["export", "markdown", "-o", str(tmp / "no" / "x.md")],
        OUTPUT,
        "不存在",
    ),
    "output folder read-only": (read_only_folder_output, OUTPUT, "无法写入"),
    # issue 15: hostile input (more in test_hostile.py, each named in README's Guarantees)
    "export over the status log": (
        lambda tmp, mp: ["export", "csv", "-o", str(tmp.parent / "status.jsonl")],
        OUTPUT,
        "是正在读取或写入的状态文件",
    ),
    "report over the status log": (
        lambda tmp, mp: ["report", "weekly", "-o", str(tmp.parent / "status.jsonl")],
        OUTPUT,
        "状态文件",
    ),
    "export over the plan": (over_the_plan, OUTPUT, "是正在使用的计划文件"),
    "bad bytes in a note": (args("done", "5.1.1", "--note", "\udcff"), USAGE, "UTF-8"),
    "bad bytes in --by": (args("done", "5.1.1", "--by", "\ud800"), USAGE, "UTF-8"),
    "extension past 2200": (
        args("extend", "5.1.1", "--to", "9999-12-31", "--reason", "x"),
        USAGE,
        "1900—2200",
    ),
    "date before 1900": (args("overdue", "--as-of", "1899-12-31"), USAGE, "1900—2200"),
    "window past 2200": (args("upcoming", "--within", "99999999d"), USAGE, "--within"),
    "window of months past 2200": (args("upcoming", "--within", "9999999m"), USAGE, "--within"),
    "log is a device": (args("--state", "/dev/zero", "list"), STATE, "不是普通文件"),
    "recording into a device": (args("--state", "/dev/null", "done", "5.1.1"), STATE, "普通文件"),
    "plan is a FIFO": (fifo_plan, PLAN, "不是普通文件"),
    "plan too large": (huge_plan, PLAN, "文件过大"),
    "plan in UTF-16": (with_plan(SMALL.encode("utf-16"), "list"), PLAN, "UTF-16"),
    "python tag on a plain value": (
        with_plan(SMALL.replace("title: 测试实施方案", "title: !!python/str 测试实施方案"), "list"),
        PLAN,
        "!!python",
    ),
    "python name tag on a plain value": (
        with_plan(
            SMALL.replace("title: 第一个行动", "title: !!python/name:os.system 行动"), "list"
        ),
        PLAN,
        "不接受",
    ),
}


def written(root: Path) -> list[Path]:
    """Every path under root but the disposable cache (a parsed plan may be cached)."""
    return sorted(p.relative_to(root) for p in root.rglob("*") if "cache" not in p.parts)


def test_the_catalogue_is_large_enough() -> None:
    assert len(CATALOGUE) >= 40


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_bad_input(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state_file: Path, name: str
) -> None:
    setup, code, fragment = CATALOGUE[name]
    work = tmp_path / "work"
    work.mkdir()
    argv = setup(work, monkeypatch)
    before = written(tmp_path)
    result = xixin(*argv)
    assert result.code == code, result
    assert result.out == ""
    assert result.err.startswith("xixin: 错误: ") and result.err.endswith("\n"), result.err
    assert result.err.count("\n") == 1, result.err  # one line
    assert fragment in result.err, result.err
    assert "Traceback" not in result.err
    assert written(tmp_path) == before  # nothing written, not even a lock or a temporary file
    assert not state_file.exists()
