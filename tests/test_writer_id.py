"""XIXIN_WRITER names this PC's chain in the log: a value it cannot be is refused, not passed
over for the id kept in the config folder (a trial: XIXIN_WRITER=张三 and XIXIN_WRITER=李四
both wrote as the kept id, so 李四's `undo` took back 张三's change)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode

from conftest import Runner


@pytest.mark.parametrize("value", ["张三", "a b", "x\u202ey", "w" * 65, "a/b"])
def test_a_writer_id_it_cannot_be_is_refused_and_nothing_recorded(
    xixin: Runner, state_file: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    assert xixin("start", "5.1.1").code == 0
    before = state_file.read_bytes()
    monkeypatch.setenv("XIXIN_WRITER", value)
    for command in (("done", "5.1.1"), ("undo",)):
        result = xixin(*command)
        assert result.code == ExitCode.USAGE, (command, result.err)
        assert result.out == ""
        assert result.err.startswith("xixin: 错误: XIXIN_WRITER"), result.err
        assert "A-Z" in result.err or "字母" in result.err, result.err
        assert "\u202e" not in result.err
    assert state_file.read_bytes() == before
    assert xixin("list").code == 0  # what only reads needs no writer id


def test_a_writer_id_it_can_be_is_used(
    xixin: Runner, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIXIN_WRITER", " minzheng-pc.2 ")
    assert xixin("start", "5.1.1").code == 0
    assert '"writer":"minzheng-pc.2"' in state_file.read_text(encoding="utf-8")
