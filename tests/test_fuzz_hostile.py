"""Fuzzing what an adversary controls: the logs merged in, and the words on the command line."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xixin_cli.checks import verify_log
from xixin_cli.errors import ExitCode, XixinError
from xixin_cli.merge import merge_into
from xixin_cli.model import Event, Status
from xixin_cli.status_log import append_event

from conftest import Runner

T0 = datetime(2022, 11, 20, 9, tzinfo=timezone(timedelta(hours=8)))

#: Exit codes a command may end with; 1 (a bug) is not among them.
DOCUMENTED = {int(code) for code in ExitCode}

record_lines = st.builds(
    lambda fields: json.dumps(fields, ensure_ascii=False),
    st.dictionaries(
        st.sampled_from(
            ["v", "event", "at", "item", "status", "previous", "writer", "chain", "hash", "kind"]
        ),
        st.none()
        | st.integers(-2, 5)
        | st.text(max_size=12)
        | st.sampled_from(["2022-11-20T09:00:00+08:00", "9999-12-31T23:59:59+00:00", "done"]),
        max_size=10,
    ),
)
lines = st.lists(
    record_lines | st.text(max_size=30) | st.just("[" * 1200) | st.just("\x1b[2J"), max_size=8
)
FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(lines, st.booleans())
def test_merging_any_log_keeps_the_target_intact(
    tmp_path_factory: pytest.TempPathFactory, incoming: list[str], accept: bool
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / "target.jsonl"
    event = Event("own-1", T0, "5.1.1", Status.DONE, Status.TODO, "clerk")
    append_event(target, event, writer="centre")
    before = target.read_bytes()
    data = "\n".join(incoming).encode("utf-8", "surrogatepass")
    try:
        results = merge_into(target, [("in.jsonl", data)], accept_unverified=accept)
    except XixinError:
        assert target.read_bytes() == before
        return
    after = target.read_bytes()
    assert after.startswith(before)
    if not accept:  # what was let in verifies, and the target still does
        assert verify_log(after, str(target)).problems == ()
    if results[0].refused:
        assert after == before


words = st.text(
    st.characters(exclude_categories=["Cn"], include_characters="\udcff\x1b\u202e"),
    max_size=20,
)


@FUZZ
@given(
    st.sampled_from(
        [
            ["done", "5.1.1", "--note"],
            ["done", "5.1.1", "--by"],
            ["show"],
            ["list", "--office"],
            ["overdue", "--as-of"],
            ["upcoming", "--within"],
            ["extend", "5.1.1", "--reason", "x", "--to"],
            ["set", "5.1.1"],
        ]
    ),
    words,
)
def test_any_word_on_the_command_line(
    xixin: Runner, state_file: Path, start: list[str], word: str
) -> None:
    before = state_file.read_bytes() if state_file.exists() else b""
    result = xixin(*start, word)
    assert result.code in DOCUMENTED, result
    assert "Traceback" not in result.err
    for shown in (result.out, result.err):
        assert "\x1b" not in shown and "\u202e" not in shown
    after = state_file.read_bytes() if state_file.exists() else b""
    assert after.startswith(before)
