"""Many writers at once: every event is present exactly once, no bytes interleave, chains hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from xixin_cli.checks import verify_log
from xixin_cli.status_log import read_log

PROCESSES = 8
CHANGES = 200

WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event

path, worker, count, writer = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
for n in range(count):
    event = Event(f"{worker}-{n}", datetime.now(timezone.utc), f"4.1.{n % 9 + 1}",
                  Status.DOING, Status.TODO, worker, "并发" * (n % 50))
    append_event(path, event, writer=writer)
"""


def test_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    # Half the processes share one writer id (one clerk, two windows), half have their own.
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(path),
                f"p{i}",
                str(CHANGES),
                "shared" if i % 2 else f"own{i}",
            ]
        )
        for i in range(PROCESSES)
    ]
    assert [proc.wait(timeout=300) for proc in procs] == [0] * PROCESSES
    read = read_log(path)
    assert read.warnings == ()
    ids = [event.event_id for event in read.events]
    expected = {f"p{i}-{n}" for i in range(PROCESSES) for n in range(CHANGES)}
    assert len(ids) == len(expected) == PROCESSES * CHANGES
    assert set(ids) == expected  # every event exactly once
    for i in range(PROCESSES):  # and each process's events in the order it wrote them
        mine = [int(e.split("-")[1]) for e in ids if e.startswith(f"p{i}-")]
        assert mine == sorted(mine)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and all(json.loads(line) for line in lines[:-1])
    result = verify_log(path.read_bytes(), str(path))
    assert result.problems == () and result.writers == PROCESSES // 2 + 1


def test_the_cli_recording_at_once(tmp_path: Path) -> None:
    state = tmp_path / "log.jsonl"
    env = {
        **os.environ,
        "XIXIN_STATE": str(state),
        "XIXIN_WRITER": "clerk",
        "XIXIN_CACHE_DIR": str(tmp_path / "cache"),
    }
    items = [f"4.5.{n}" for n in range(1, 11)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "xixin_cli",
                "set",
                item,
                "doing",
                "--office",
                "乡党群办",
                "--note",
                f"第{n}次",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n, item in enumerate(items)
    ]
    assert [proc.wait(timeout=120) for proc in procs] == [0] * len(items)
    read = read_log(state)
    assert sorted(e.item for e in read.events) == sorted(items) and read.warnings == ()
    assert verify_log(state.read_bytes(), str(state)).problems == ()
