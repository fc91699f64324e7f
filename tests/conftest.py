"""Shared fixtures: the plan's text, a CLI runner that keeps exit code, stdout and stderr apart."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from xixin_cli.cli import run

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture
def seed_text() -> str:
    """The plan as issued, 洗府发〔2022〕145号 (a copy of the team's seed file)."""
    return (DATA / "xifufa-2022-145.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's own cache folder."""
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _own_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's own settings (`xixin config`) or run log."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("XIXIN_RUN_LOG", str(tmp_path_factory.mktemp("runs") / "runs.jsonl"))
    for name in ("XIXIN_BY", "XIXIN_SEND", "XIXIN_HOME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def process_env(tmp_path: Path) -> dict[str, str]:
    """The environment for running xixin as a process: its own log and cache, a fixed width."""
    values = {
        **os.environ,
        "XIXIN_STATE": str(tmp_path / "s.jsonl"),
        "XIXIN_CACHE_DIR": str(tmp_path / "cache"),
        "XIXIN_WRITER": "t",
        "COLUMNS": "100",
    }
    for name in ("XIXIN_PLAN", "XIXIN_LANG"):
        values.pop(name, None)
    return values


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "status.jsonl"


@pytest.fixture
def xixin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, state_file: Path
) -> Runner:
    """Run the CLI in-process with a fresh status log, a fixed width and no colour."""
    monkeypatch.setenv("XIXIN_STATE", str(state_file))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("XIXIN_WRITER", "test-writer")
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(state_file.parent / "cache"))
    for name in ("XIXIN_PLAN", "XIXIN_LANG"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def sentences(paragraph: str) -> list[str]:
    """Split Chinese text after each 。, keeping the mark."""
    return [part + "。" for part in paragraph.split("。") if part]


def task_paragraphs(text: str) -> dict[int, tuple[list[str], list[str]]]:
    """四、主要任务 read straight from the text: number -> (sentences, responsible units)."""
    numerals = "一二三四五六七八"
    result = {}
    for match in re.finditer(r"^（([一二三四五六七八])）(.*)〔责任科室：(.*)〕$", text, re.M):
        number = numerals.index(match.group(1)) + 1
        result[number] = (sentences(match.group(2)), match.group(3).split("、"))
    return result


def damage(path: Path, kind: str, at: int) -> None:
    """What the property tests do to a log behind xixin's back: `flip` one byte in place (the
    same file, the same size), or `truncate` it to `at` bytes (both taken modulo its size)."""
    if kind == "flip" and path.exists() and path.stat().st_size:
        data = bytearray(path.read_bytes())
        at_byte = at % len(data)
        data[at_byte] = (data[at_byte] + 1) % 256
        with path.open("r+b") as handle:
            handle.write(bytes(data))
    elif kind == "truncate" and path.exists():
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.truncate(at % (size + 1))
