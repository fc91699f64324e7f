"""The first view of a workspace's plans on every core (warmup.py): other processes fill the
cache of the plans never opened here, and the command shows exactly what it alone would show,
errors included, in the plans' order."""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from xixin_cli import warmup
from xixin_cli.cache import is_cold
from xixin_cli.errors import ExitCode
from xixin_cli.paths import NamedPlan
from xixin_cli.session import Session, Settings, open_session

from conftest import Runner

PLAN = """format: 1
document: {{number: "洗府发〔2023〕{n}号", issuer: 洗新乡政府, date: 2023-01-01, title: 计划{n}}}
offices: {{dangqun: {{name: 乡党群办}}, minzheng: {{name: 乡民政办}}}}
phases:
  year: {{number: "1", name: 全年, start: 2023-01-01, end: 2023-12-31}}
items:
  - {{id: "1", kind: task, title: 计划{n}的任务, source: 一, offices: [dangqun, minzheng],
     due_basis: phase, phase: year}}
  - {{id: "1.1", kind: action, title: 第{n}个计划的行动一, parent: "1", due: 2023-03-{day:02d},
     due_text: 3月{day}日前, due_basis: stated}}
  - {{id: "1.2", kind: action, title: 第{n}个计划的行动二, parent: "1", due: 2023-04-{day:02d},
     due_text: 4月{day}日前, due_basis: stated}}
"""


#: Helpers are forks of the command, made on Linux only (warmup.can_fork).
ON_LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers: Linux")


def record(n: int, item: str, status: str) -> str:
    return json.dumps(
        {
            "v": 1,
            "event": f"e{n}{item}{status}",
            "at": f"2023-02-{n + 1:02d}T09:00:00+08:00",
            "item": item,
            "status": status,
            "previous": "todo",
            "by": f"办事员{n}",
        },
        ensure_ascii=False,
    )


def make_workspace(folder: Path, count: int, broken: int | None = None) -> list[NamedPlan]:
    """A workspace of `count` plans, each with a short log of its own; plan `broken` is not
    valid (a due date that is no date)."""
    plans = folder / "plans"
    plans.mkdir(parents=True)
    (folder / ".xixin").write_text("# xixin working folder\n", encoding="utf-8")
    entries = []
    for n in range(count):
        text = PLAN.format(n=n, day=n + 1)
        if n == broken:
            text = text.replace("due: 2023-04", "due: 2023-14")
        path = plans / f"p{n:02d}.yaml"
        path.write_text(text, encoding="utf-8")
        lines = [record(n, "1.1", "doing")] + ([record(n, "1.2", "done")] if n % 2 else [])
        (plans / f"p{n:02d}.status.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        entries.append(NamedPlan(f"p{n:02d}", path))
    return entries


@pytest.fixture
def many_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three cores, whatever this machine has: the command and two helpers; and helpers made
    by fork even when another test has left a thread of its own running (test_send's local
    server): the helpers here touch nothing that thread holds."""
    monkeypatch.setattr(warmup, "cores", lambda: 3)
    monkeypatch.setattr(warmup, "can_fork", lambda: True)


@pytest.fixture
def shares(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The plans given to helpers, by name, each time helpers are started."""
    given: list[list[str]] = []
    real = warmup._helpers

    def recording(
        parts: list[Sequence[NamedPlan]], settings: Settings, as_of: date | None
    ) -> AbstractContextManager[Callable[[], None]]:
        given.extend([entry.name for entry in part] for part in parts)
        return real(parts, settings, as_of)

    monkeypatch.setattr(warmup, "_helpers", recording)
    return given


View = tuple[tuple[str, ...], int, str, str]  # the command, its exit code, stdout, stderr


def views(xixin: Runner, monkeypatch: pytest.MonkeyPatch, cache: str) -> list[View]:
    """What the office sees of the workspace, with the cache folder `cache` (or none: off)."""
    if cache == "off":
        monkeypatch.setenv("XIXIN_CACHE", "off")
    else:
        monkeypatch.delenv("XIXIN_CACHE", raising=False)
        monkeypatch.setenv("XIXIN_CACHE_DIR", cache)
    seen: list[View] = []
    for args in (
        ("overdue", "--as-of", "2023-05-10", "--all"),
        ("overdue", "--as-of", "2023-05-10", "--json"),
        ("plan", "list", "--as-of", "2023-05-10", "--json"),
        ("upcoming", "--as-of", "2023-03-01", "--within", "60d"),
    ):
        result = xixin(*args)
        seen.append((args, result.code, result.out, result.err))
    return seen


@ON_LINUX
@pytest.mark.usefixtures("many_cores")
def test_a_cold_workspace_shows_what_one_process_shows(
    xixin: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shares: list[list[str]],
) -> None:
    entries = make_workspace(tmp_path / "ws", 7)
    monkeypatch.delenv("XIXIN_STATE")
    monkeypatch.setenv("XIXIN_HOME", str(tmp_path / "ws"))
    alone = views(xixin, monkeypatch, "off")
    assert shares == []  # no cache, nothing to warm
    assert [code for _, code, _, _ in alone] == [0, 0, 0, 0], [(a, c, e) for a, c, _, e in alone]
    assert "计划6的任务" not in alone[0][2] and "第6个计划的行动一" in alone[0][2]
    cold = views(xixin, monkeypatch, str(tmp_path / "cache"))
    # 7 plans on 3 cores: the command keeps the first 3, two helpers take 3 and 1
    assert shares == [["p03", "p04", "p05"], ["p06"]]
    assert cold == alone
    assert not any(is_cold(entry.path) for entry in entries)
    warm = views(xixin, monkeypatch, str(tmp_path / "cache"))
    assert shares == [["p03", "p04", "p05"], ["p06"]]  # every plan has its cache: no helpers
    assert warm == alone


@ON_LINUX
@pytest.mark.usefixtures("many_cores")
def test_the_command_opens_the_helpers_plans_from_the_cache_they_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = make_workspace(tmp_path / "ws", 8)
    monkeypatch.setenv("XIXIN_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    settings = Settings(None, (), None)
    cold_when_opened = []

    def open_one(entry: NamedPlan) -> Session:
        cold_when_opened.append(is_cold(entry.path))
        return open_session(settings._replace(plan=entry.name), named=entry)

    opened = warmup.open_each(entries, settings, open_one, None)
    assert [session.name for session in opened] == [entry.name for entry in entries]
    # the command read its own three; the five others were cached by the helpers
    assert cold_when_opened == [True] * 3 + [False] * 5


@ON_LINUX
@pytest.mark.usefixtures("many_cores")
@pytest.mark.parametrize("broken", [0, 2, 5])
def test_a_bad_plan_is_reported_as_one_process_reports_it(
    xixin: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shares: list[list[str]],
    broken: int,
) -> None:
    """In the command's own share (0, 2) or a helper's (5): the same one line, the same code."""
    make_workspace(tmp_path / "ws", 7, broken=broken)
    monkeypatch.delenv("XIXIN_STATE")
    monkeypatch.setenv("XIXIN_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("XIXIN_CACHE", "off")
    alone = xixin("overdue", "--as-of", "2023-05-10")
    assert alone.code == ExitCode.PLAN and f"p{broken:02d}.yaml" in alone.err, alone.err
    monkeypatch.delenv("XIXIN_CACHE")
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    cold = xixin("overdue", "--as-of", "2023-05-10")
    assert shares  # helpers were started
    assert (cold.code, cold.out, cold.err) == (alone.code, alone.out, alone.err)


@pytest.mark.parametrize(
    ("count", "cores", "fork"), [(warmup.MIN_COLD - 1, 4, True), (8, 1, True), (8, 4, False)]
)
def test_no_helpers_for_a_few_plans_one_core_or_no_fork(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shares: list[list[str]],
    count: int,
    cores: int,
    fork: bool,
) -> None:
    """Below MIN_COLD plans, on one core, or where a helper cannot be a copy of the command
    (not Linux, or another thread running): the plans are opened in turn."""
    entries = make_workspace(tmp_path / "ws", count)
    monkeypatch.setattr(warmup, "cores", lambda: cores)
    monkeypatch.setattr(warmup, "can_fork", lambda: fork)
    monkeypatch.setenv("XIXIN_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("XIXIN_CACHE_DIR", str(tmp_path / "cache"))
    settings = Settings(None, (), None)
    opened = warmup.open_each(
        entries,
        settings,
        lambda entry: open_session(settings._replace(plan=entry.name), named=entry),
        None,
    )
    assert len(opened) == count and shares == []


@ON_LINUX
def test_helpers_left_behind_are_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An error in the command's own share ends the helpers at once: none outlives it."""
    monkeypatch.setattr(warmup, "_fill", _sleep)
    started: list[BaseProcess] = []
    with pytest.raises(RuntimeError), warmup._helpers([[], []], Settings(None, (), None), None):
        started.extend(multiprocessing.active_children())
        raise RuntimeError
    assert len(started) == 2
    assert all(not child.is_alive() for child in started)


def _sleep(*_: object) -> None:
    import time

    time.sleep(60)
