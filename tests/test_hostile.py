"""Hostile input, faults and merges (issue 15): nothing the user recorded is lost, nothing from a
file or a log reaches a path or a terminal unescaped, and no input crashes a command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode

from conftest import Runner
from test_plan_file import SMALL

NESTED = b"[" * 1000


# -- 1. no output over an input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("export", "csv"),
        ("export", "markdown"),
        ("export", "ics"),
        ("report", "weekly"),
        ("report", "self-check"),
    ],
)
def test_an_export_over_the_log_is_refused(
    xixin: Runner, state_file: Path, command: tuple[str, ...]
) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    result = xixin(*command, "-o", str(state_file))
    assert result.code == ExitCode.OUTPUT, result
    assert result.out == ""
    assert "状态文件" in result.err and "已写入" not in result.err
    assert result.err.count("\n") == 1
    assert state_file.read_bytes() == before


def test_an_export_over_a_log_given_with_state_is_refused(xixin: Runner, tmp_path: Path) -> None:
    log = tmp_path / "v.jsonl"
    assert xixin("--state", str(log), "done", "5.1.1").code == 0
    before = log.read_bytes()
    result = xixin("--state", str(log), "export", "csv", "-o", str(log))
    assert result.code == ExitCode.OUTPUT and log.read_bytes() == before


def test_an_export_over_one_of_several_logs_read_is_refused(xixin: Runner, tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert xixin("--state", str(b), "done", "5.1.1").code == 0
    before = b.read_bytes()
    result = xixin("--state", str(a), "--state", str(b), "export", "markdown", "-o", str(b))
    assert result.code == ExitCode.OUTPUT and b.read_bytes() == before


def test_an_export_over_the_plan_is_refused(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(SMALL, encoding="utf-8")
    result = xixin("--plan", str(plan), "export", "markdown", "-o", str(plan))
    assert result.code == ExitCode.OUTPUT, result
    assert "计划文件" in result.err
    assert plan.read_text(encoding="utf-8") == SMALL


def test_an_export_over_a_link_to_the_log_is_refused(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    link = state_file.with_name("link.csv")
    link.symlink_to(state_file)
    result = xixin("export", "csv", "-o", str(link))
    assert result.code == ExitCode.OUTPUT and state_file.read_bytes() == before


def test_an_export_over_an_evidence_file_is_refused(xixin: Runner, tmp_path: Path) -> None:
    proof = tmp_path / "自查报告.docx"
    proof.write_bytes(b"report")
    assert xixin("attach", "5.3.1", "--office", "all", str(proof)).code == 0
    result = xixin("export", "markdown", "-o", str(proof))
    assert result.code == ExitCode.OUTPUT, result
    assert proof.read_bytes() == b"report"


def test_a_board_picture_over_the_log_is_refused(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    result = xixin("board", "--image", str(state_file.with_suffix(".svg")))
    assert result.code == 0
    link = state_file.with_name("board.svg")
    link.symlink_to(state_file)
    result = xixin("board", "--image", str(link))
    assert result.code == ExitCode.OUTPUT and state_file.read_bytes() == before


# -- 2. names are never paths -------------------------------------------------------------------


def _plan_with_office(tmp: Path, name: str) -> Path:
    plan = tmp / "plan.yaml"
    plan.write_text(SMALL.replace("name: 各村,", f"name: '{name}',"), encoding="utf-8")
    return plan


@pytest.mark.parametrize("name", ["../x", "/some/where/x", "..", "a\\b", "CON", "a:b", ".hidden"])
def test_a_split_export_writes_only_inside_its_folder(
    xixin: Runner, tmp_path: Path, name: str
) -> None:
    plan = _plan_with_office(tmp_path, name)
    folder = tmp_path / "out" / "清单"
    folder.mkdir(parents=True)
    before = {p for p in tmp_path.rglob("*") if "cache" not in p.parts}
    result = xixin(
        "--plan", str(plan), "export", "markdown", "--split-by", "office", "-o", f"{folder}"
    )
    assert result.code == 0, result
    after = {p for p in tmp_path.rglob("*") if "cache" not in p.parts}
    made = after - before
    assert made and all(p.parent == folder for p in made), made
    assert all(not p.name.startswith(".") for p in made)
    for made_file in made:  # a name every system takes: no separator, no reserved word
        assert not any(ch in made_file.name for ch in '<>:"\\|?*'), made_file
        assert made_file.stem.upper() not in ("CON", "PRN", "AUX", "NUL")
    assert len(made) == 2  # one file per office, none lost to a clash


@pytest.mark.parametrize("name", ["..", "-x", "长" * 300])
def test_a_split_forms_file_names_keep_their_kind_and_lead_with_no_dash(
    xixin: Runner, tmp_path: Path, name: str
) -> None:
    # A trial: a unit named ".." got "-推进情况表.xlsx" (a name a shell reads as an option),
    # and one of 300 characters lost "-推进情况表" to the cut.
    plan = _plan_with_office(tmp_path, name)
    folder = tmp_path / "表"
    result = xixin("--plan", str(plan), "form", "--split-by", "office", "-o", str(folder))
    assert result.code == 0, result.err
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2, names
    for made in names:
        assert made.endswith("-推进情况表.xlsx") and not made.startswith(("-", ".")), made
        assert len(made.encode("utf-8")) <= 255, made


def test_split_names_that_clash_get_apart_files(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = SMALL.replace("name: 各村,", "name: 'a/b',").replace("[乡党群办]", "[dangqun]")
    plan.write_text(text.replace("name: 乡党群办", "name: 'a_b'"), encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    result = xixin(
        "--plan", str(plan), "export", "markdown", "--split-by", "office", "-o", f"{folder}"
    )
    assert result.code == 0, result
    assert len(list(folder.iterdir())) == 2


# -- 6. bounded readers -------------------------------------------------------------------------


def test_a_deeply_nested_line_is_one_bad_line(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    with state_file.open("ab") as handle:
        handle.write(NESTED + b"\n")
    for command in (("list",), ("history",), ("overdue", "--as-of", "2022-12-05")):
        result = xixin(*command)
        assert result.code == 0, (command, result)
        assert ":2: 这一行不是有效的记录" in result.err, result.err
    result = xixin("set", "5.1.2", "done")
    assert result.code == 0, result
    assert xixin("undo").code == 0
    result = xixin("verify")
    assert result.code == ExitCode.CHECK and "Traceback" not in result.err
    assert ":2: 这一行不是有效的记录" in result.out
    assert xixin("merge", str(state_file)).code == 0


def test_a_deeply_nested_line_in_a_merged_log(xixin: Runner, tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    other.write_bytes(NESTED + b"\n")
    result = xixin("merge", str(other))
    assert result.code == 0, result
    assert "这一行不是有效的记录" in result.err


def test_an_overlong_line_is_one_bad_line(xixin: Runner, state_file: Path) -> None:
    assert xixin("done", "5.1.1").code == 0
    record = json.loads(state_file.read_text(encoding="utf-8"))
    record["note"] = "长" * 400_000
    with state_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = xixin("list")
    assert result.code == 0 and ":2:" in result.err and "过长" in result.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_log_or_plan_is_refused(xixin: Runner, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = xixin("--state", str(fifo), "list")
    assert result.code == ExitCode.STATE and "不是普通文件" in result.err, result
    result = xixin("--state", str(fifo), "done", "5.1.1")
    assert result.code == ExitCode.STATE and "不是普通文件" in result.err, result
    result = xixin("--plan", str(fifo), "list")
    assert result.code == ExitCode.PLAN and "不是普通文件" in result.err, result
    result = xixin("import", str(fifo), "-o", str(tmp_path / "p.yaml"))
    assert result.code != 0 and "Traceback" not in result.err


def test_a_device_as_log_is_refused(xixin: Runner) -> None:
    result = xixin("--state", "/dev/zero", "list")
    assert result.code == ExitCode.STATE and "不是普通文件" in result.err, result
    result = xixin("verify", "--help")
    assert result.code == 0


def test_a_huge_plan_is_refused_before_parsing(xixin: Runner, tmp_path: Path) -> None:
    from xixin_cli.plan_file import MAX_PLAN_BYTES

    plan = tmp_path / "big.yaml"
    with plan.open("wb") as handle:
        handle.write(SMALL.encode())
        handle.write(b"#" * (MAX_PLAN_BYTES + 1))
    result = xixin("--plan", str(plan), "list")
    assert result.code == ExitCode.PLAN and "过大" in result.err, result
    assert result.err.count("\n") == 1


# -- 7. clean terminal, any console -------------------------------------------------------------

HOSTILE = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202e\x9b"


def _record(**fields: object) -> bytes:
    record = {
        "v": 1,
        "event": "e-hostile",
        "at": "2022-11-20T09:00:00+08:00",
        "item": "5.1.1",
        "status": "done",
        "previous": "todo",
        "by": HOSTILE,
        "note": HOSTILE,
        **fields,
    }
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _clean(text: str) -> None:
    for bad in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert bad not in text, text


@pytest.mark.parametrize(
    "command",
    [
        ("history",),
        ("history", "5.1.1"),
        ("show", "5.1.1"),
        ("list",),
        ("remind", "--plain", "--as-of", "2022-12-05"),
        ("remind", "--as-of", "2022-12-05"),
        ("evidence",),
        ("history", "--json"),
        ("list", "--json"),
    ],
)
def test_escapes_from_a_log_are_shown_escaped(
    xixin: Runner, state_file: Path, command: tuple[str, ...]
) -> None:
    state_file.write_bytes(_record())
    result = xixin(*command)
    assert result.code == 0, result
    _clean(result.out)
    _clean(result.err)


def test_escapes_in_history_are_visible(xixin: Runner, state_file: Path) -> None:
    state_file.write_bytes(_record())
    result = xixin("history")
    assert "\\x1b" in result.out


def test_history_json_keeps_the_record_as_recorded(xixin: Runner, state_file: Path) -> None:
    state_file.write_bytes(_record())
    (record,) = json.loads(xixin("history", "--json").out)
    assert record["note"] == HOSTILE  # escaped in the text, the same string once decoded


def test_escapes_in_a_plan_title_are_shown_escaped(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(SMALL.replace("title: 自查", 'title: "\\u202e自查\\u2066"'), encoding="utf-8")
    for command in (("list",), ("show", "5.1.1"), ("remind", "--plain", "--as-of", "2024-03-01")):
        result = xixin("--plan", str(plan), *command)
        assert result.code == 0, result
        _clean(result.out)
        assert "自查" in result.out and "\\u202e" in result.out
    # An escape sequence a plan cannot hold at all: refused, and said escaped.
    plan.write_text(SMALL.replace("title: 自查", 'title: "\\e[2J自查"'), encoding="utf-8")
    result = xixin("--plan", str(plan), "list")
    assert (result.code, result.out) == (ExitCode.PLAN, "")
    _clean(result.err)
    assert "\\x1b" in result.err


def test_escapes_in_an_orphan_id_are_escaped_in_warnings(xixin: Runner, state_file: Path) -> None:
    state_file.write_bytes(_record(item="\x1b[2J9.9"))
    result = xixin("list")
    assert result.code == 0 and "9.9" in result.err
    _clean(result.err)


def test_an_ics_holds_no_raw_control_characters(xixin: Runner, tmp_path: Path) -> None:
    from xixin_cli.export import _ics_escape

    plan = tmp_path / "plan.yaml"
    title = 'title: "自\\v查\\f报\\r告\\e"'
    plan.write_text(SMALL.replace("title: 自查", title), encoding="utf-8")
    result = xixin("--plan", str(plan), "export", "ics")
    assert (result.code, result.out) == (ExitCode.PLAN, "")  # a plan holds none to write
    plan.write_text(SMALL, encoding="utf-8")
    result = xixin("--plan", str(plan), "export", "ics")
    assert result.code == 0, result
    assert "自查" in result.out
    assert not any(ord(ch) < 32 and ch not in "\r\n" for ch in result.out)
    assert all(line.endswith("\r") or not line for line in result.out.split("\n"))
    escaped = _ics_escape("自\v查\f报\r告\x1b")  # should one come another way
    assert not any(ord(ch) < 32 for ch in escaped) and escaped.startswith("自")


def test_ascii_asks_for_the_light_fallback(xixin: Runner) -> None:
    result = xixin("--ascii", "remind", "--as-of", "2022-12-05")
    assert result.code == 0, result
    assert "🔴" not in result.out and "[红]" in result.out


def _process(
    env: dict[str, str], *args: str, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "xixin_cli", *args], env=env, capture_output=True, **kwargs
    )


@pytest.mark.parametrize("encoding", ["gbk", "ascii", "latin-1"])
def test_a_stream_that_cannot_encode_emoji(process_env: dict[str, str], encoding: str) -> None:
    env = {**process_env, "PYTHONIOENCODING": encoding}
    done = _process(env, "remind", "--as-of", "2022-12-05")
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    assert b"Traceback" not in done.stderr
    text = done.stdout.decode(encoding)
    assert "[" in text and "🔴" not in text
    if encoding == "gbk":
        assert "[红]" in text
    plain = _process(env, "remind", "--plain", "--as-of", "2022-12-05")
    assert plain.returncode == 0 and b"Traceback" not in plain.stderr


def test_a_closed_stdout_after_recording_exits_0(
    process_env: dict[str, str], tmp_path: Path
) -> None:
    log = Path(process_env["XIXIN_STATE"])
    done = subprocess.run(
        f'"{sys.executable}" -m xixin_cli set 5.1.1 done >&- 2>&-',
        shell=True,
        env=process_env,
        capture_output=False,
    )
    assert done.returncode == 0
    assert len(log.read_bytes().splitlines()) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_an_unprintable_confirmation_after_recording_exits_0(process_env: dict[str, str]) -> None:
    log = Path(process_env["XIXIN_STATE"])
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "xixin_cli", "done", "5.1.1"], env=process_env, stderr=full
        )
    assert done.returncode == 0
    assert len(log.read_bytes().splitlines()) == 1


def test_history_into_a_closed_pipe_exits_0(process_env: dict[str, str]) -> None:
    log = Path(process_env["XIXIN_STATE"])
    lines = b"".join(_record(event=f"e{n}", note=f"n{n}", by="b") for n in range(400))
    log.write_bytes(lines)
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "xixin_cli", "history", "--all"],
            env=process_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait() == 0, err
        assert b"Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ("done", "5.1.1", "--note", "\udcff\udcfe"),
        ("done", "5.1.1", "--by", "\ud800"),
        ("block", "5.1.1", "--note", "\ud83d"),
        ("extend", "5.1.1", "--to", "2022-12-20", "--reason", "\udce4"),
    ],
)
def test_bad_bytes_in_text_arguments(
    xixin: Runner, state_file: Path, argv: tuple[str, ...]
) -> None:
    result = xixin(*argv)
    assert result.code == ExitCode.USAGE, result
    assert result.out == "" and result.err.count("\n") == 1
    assert "UTF-8" in result.err
    assert not state_file.exists()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("extend", "5.1.1", "--to", "9999-12-31", "--reason", "x"), "1900"),
        (("overdue", "--as-of", "1800-01-01"), "1900"),
        (("overdue", "--as-of", "2201-01-01"), "2200"),
        (("upcoming", "--within", "99999999d"), "--within"),
        (("upcoming", "--within", "99999999m"), "--within"),
        (("upcoming", "--as-of", "2200-12-30", "--within", "2w"), "--within"),
    ],
)
def test_dates_are_bounded(
    xixin: Runner, state_file: Path, argv: tuple[str, ...], fragment: str
) -> None:
    result = xixin(*argv)
    assert result.code == ExitCode.USAGE, result
    assert fragment in result.err and result.err.count("\n") == 1
    assert not state_file.exists()


def test_a_log_date_out_of_bounds_is_a_bad_record(xixin: Runner, state_file: Path) -> None:
    state_file.write_bytes(
        _record(kind="extend", v=2, due="9999-12-31", by="a", note="b")
        + _record(event="e2", at="9999-12-31T23:59:59+00:00", by="a", note="b")
    )
    for command in (("export", "ics"), ("list",), ("history",)):
        result = xixin(*command)
        assert result.code == 0, (command, result)
        assert "Traceback" not in result.err


def test_an_extension_to_2200_still_exports(xixin: Runner) -> None:
    assert xixin("extend", "5.1.1", "--to", "2200-12-31", "--reason", "x").code == 0
    assert xixin("export", "ics").code == 0


def test_a_utf16_document_imports(xixin: Runner, tmp_path: Path, seed_text: str) -> None:
    source = tmp_path / "方案.txt"
    source.write_bytes(seed_text.encode("utf-16"))  # old Notepad's "Unicode", with its BOM
    result = xixin("import", str(source), "-o", str(tmp_path / "p.yaml"))
    assert result.code == 0, result
    assert "UTF-16" in result.err


def test_a_utf16_plan_is_named_as_such(xixin: Runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(SMALL.encode("utf-16"))
    result = xixin("--plan", str(plan), "list")
    assert result.code == ExitCode.PLAN and "UTF-16" in result.err, result


# -- 5. a failed append leaves nothing ----------------------------------------------------------


@pytest.mark.parametrize("fail_at", ["write", "fsync"])
def test_a_full_disk_leaves_no_fragment(
    xixin: Runner, state_file: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    import errno

    assert xixin("done", "5.1.1").code == 0
    before = state_file.read_bytes()
    real_write, real_fsync = os.write, os.fsync

    def short_write(fd: int, data: bytes) -> int:
        if fail_at == "write" and len(data) > 7:
            real_write(fd, bytes(data[:7]))  # the disk took 7 bytes, then filled up
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    def failing_fsync(fd: int) -> None:
        if fail_at == "fsync" and os.fstat(fd).st_size > len(before):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "write", short_write)
    monkeypatch.setattr(os, "fsync", failing_fsync)
    result = xixin("done", "5.1.2")
    assert result.code == ExitCode.STATE, result
    assert "未记录任何内容" in result.err
    assert state_file.read_bytes() == before
    monkeypatch.undo()
    assert xixin("verify").code == 0


# -- 3. merge that guards the log ---------------------------------------------------------------


def _office_log(xixin: Runner, path: Path, *changes: tuple[str, ...]) -> bytes:
    for change in changes:
        assert xixin("--state", str(path), *change).code == 0
    return path.read_bytes()


def test_a_tampered_log_is_not_merged(
    xixin: Runner, state_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village = tmp_path / "village.jsonl"
    monkeypatch.setenv("XIXIN_WRITER", "village")
    lines = _office_log(xixin, village, ("done", "5.1.1"), ("done", "5.1.2")).splitlines(True)
    lines[0] = lines[0].replace(b'"done"', b'"closed"', 1)
    village.write_bytes(b"".join(lines))
    monkeypatch.setenv("XIXIN_WRITER", "centre")
    assert xixin("start", "4.3.2", "--office", "all").code == 0
    before = state_file.read_bytes()
    result = xixin("merge", str(village))
    assert result.code == ExitCode.CHECK, result
    assert f"{village}:1:" in result.out and "哈希不符" in result.out
    assert "未并入" in result.out
    assert state_file.read_bytes() == before
    assert xixin("verify").code == 0


def test_an_unsigned_log_needs_accept_unverified(
    xixin: Runner, state_file: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.jsonl"
    record = {"v": 1, "event": "old-1", "at": "2022-11-20T09:00:00+08:00", "item": "5.1.1"}
    record |= {"status": "done", "previous": "todo", "by": "老张", "note": ""}
    old.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = xixin("merge", str(old))
    assert result.code == ExitCode.CHECK and "签名链" in result.out, result
    assert not state_file.exists() or b"old-1" not in state_file.read_bytes()
    result = xixin("merge", "--accept-unverified", str(old))
    assert result.code == 0, result
    assert "未经核验" in result.err
    assert b"old-1" in state_file.read_bytes()
    accepted = state_file.with_name(state_file.name + ".accepted")
    assert "old-1" in accepted.read_text(encoding="utf-8")  # what was accepted, and by whom
    verified = xixin("verify")  # the central log does not fail for good
    assert verified.code == 0, verified
    assert "--accept-unverified" in verified.out
    assert xixin("verify", "--strict").code == ExitCode.CHECK


def test_a_record_id_with_other_content_is_a_collision(
    xixin: Runner, state_file: Path, tmp_path: Path
) -> None:
    assert xixin("done", "5.1.1").code == 0
    line = state_file.read_bytes()
    other = tmp_path / "other.jsonl"
    from xixin_cli.status_log import record_hash

    record = json.loads(line)
    record["note"] = "另一份"
    record["writer"], record["chain"] = "other", ""
    record["hash"] = record_hash(record)
    other.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = xixin("merge", str(other))
    assert result.code == ExitCode.CHECK, result
    assert "事件编号" in result.out and f"{other}:1:" in result.out
    assert state_file.read_bytes() == line  # neither copy dropped: each still in its file
    assert b"\xe5\x8f\xa6" in other.read_bytes()


def test_one_writer_in_two_logs_merges_verifies_and_conflicts(
    xixin: Runner, tmp_path: Path
) -> None:
    laptop, office = tmp_path / "laptop.jsonl", tmp_path / "office.jsonl"
    _office_log(xixin, office, ("start", "4.3.2", "--office", "all"))
    _office_log(
        xixin, laptop, ("block", "4.3.2", "--office", "all", "--note", "苗木未到")
    )  # same XIXIN_WRITER
    result = xixin("--state", str(office), "merge", str(laptop))
    assert result.code == 0, result
    assert "冲突 4.3.2" in result.out
    verified = xixin("--state", str(office), "verify")
    assert verified.code == 0, verified
    assert xixin("--state", str(office), "done", "4.3.2", "--office", "all").code == 0
    assert xixin("--state", str(office), "verify").code == 0


def test_two_clones_that_merged_one_office_verify_after_a_union(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village = tmp_path / "village.jsonl"
    monkeypatch.setenv("XIXIN_WRITER", "village")
    _office_log(xixin, village, ("done", "5.1.1"), ("done", "5.1.2"))
    clones = []
    for name in ("a", "b"):
        clone = tmp_path / f"{name}.jsonl"
        monkeypatch.setenv("XIXIN_WRITER", f"clerk-{name}")
        _office_log(
            xixin, clone, ("start", "4.3.1" if name == "a" else "4.3.2", "--office", "党群办")
        )
        assert xixin("--state", str(clone), "merge", str(village)).code == 0
        clones.append(clone.read_bytes().splitlines(True))
    a, b = clones
    union = tmp_path / "union.jsonl"
    union.write_bytes(b"".join(a + b))  # git's union: both sides' added lines, each in order
    result = xixin("--state", str(union), "verify")
    assert result.code == 0, result
    assert "2 行与前面的记录完全相同" in result.out
    history = json.loads(xixin("--state", str(union), "history", "--json").out)
    assert len(history) == 4  # each record once


# -- 8. safe caches and identity ----------------------------------------------------------------


class _Boom:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.path}",))


@pytest.mark.parametrize("header", [False, True])
def test_a_planted_cache_runs_no_code(xixin: Runner, state_file: Path, header: bool) -> None:
    import pickle

    from xixin_cli import cache

    assert xixin("done", "5.1.1").code == 0
    assert xixin("overdue", "--as-of", "2022-12-05").code == 0
    folder = state_file.parent / "cache"
    planted = list(folder.glob("*.pickle"))
    assert planted
    marker = state_file.parent / "pwned"
    for slot in planted:
        with slot.open("wb") as handle:
            if header:
                handle.write(cache._HEADER)  # even with the right header
            pickle.dump((cache._STAMP, _Boom(str(marker))), handle)
    result = xixin("overdue", "--as-of", "2022-12-05")
    assert result.code == 0, result
    assert "5.1.2" in result.out
    assert not marker.exists()


def test_a_cache_from_before_the_header_is_rebuilt(xixin: Runner, state_file: Path) -> None:
    import pickle

    from xixin_cli import cache

    assert xixin("done", "5.1.1").code == 0
    folder = state_file.parent / "cache"
    for slot in folder.glob("*.pickle"):
        with slot.open("wb") as handle:
            pickle.dump((cache._STAMP, None), handle)  # the old format: no header line
    result = xixin("list", "--json")
    assert result.code == 0
    assert any(d["status"] == "done" for d in json.loads(result.out))


def test_an_unkept_writer_id_is_said_once(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xixin_cli import identity

    monkeypatch.delenv("XIXIN_WRITER")
    config = tmp_path / "config-file"
    config.write_text("not a folder")
    monkeypatch.setattr(identity, "_id_file", lambda: config / "xixin" / "writer-id")
    result = xixin("attach", "5.1.1", str(Path(__file__)), str(tmp_path / "config-file"))
    assert result.code == 0, result
    assert result.err.count("警告") == 1 and "XIXIN_WRITER" in result.err, result.err
    records = [json.loads(line) for line in (tmp_path / "status.jsonl").read_text().splitlines()]
    assert len({record["writer"] for record in records}) == 1  # one id for the whole run


# -- 4. evidence that travels -------------------------------------------------------------------


def _store(log: Path) -> Path:
    return log.with_name(log.name + ".evidence")


def test_attach_keeps_a_copy_by_its_sha256(xixin: Runner, state_file: Path, tmp_path: Path) -> None:
    import hashlib

    proof = tmp_path / "自查报告.docx"
    proof.write_bytes(b"report v1")
    assert xixin("attach", "5.3.1", "--office", "all", str(proof)).code == 0
    digest = hashlib.sha256(b"report v1").hexdigest()
    copy = _store(state_file) / digest[:2] / digest
    assert copy.read_bytes() == b"report v1"
    proof.unlink()  # the original goes: the copy still proves it
    result = xixin("verify")
    assert result.code == 0, result


def test_attach_no_copy_keeps_none(xixin: Runner, state_file: Path, tmp_path: Path) -> None:
    proof = tmp_path / "photo.jpg"
    proof.write_bytes(b"jpg")
    assert xixin("attach", "--no-copy", "5.3.1", "--office", "all", str(proof)).code == 0
    assert not _store(state_file).exists()


def test_a_changed_stored_copy_fails_verify(
    xixin: Runner, state_file: Path, tmp_path: Path
) -> None:
    proof = tmp_path / "a.txt"
    proof.write_bytes(b"abc")
    assert xixin("attach", "5.3.1", "--office", "all", str(proof)).code == 0
    (copy,) = (p for p in _store(state_file).rglob("*") if p.is_file())
    copy.write_bytes(b"abd")
    result = xixin("verify")
    assert result.code == ExitCode.CHECK and "副本" in result.out, result


def test_merged_evidence_travels_with_the_log(
    xixin: Runner, state_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village = tmp_path / "village" / "v.jsonl"
    village.parent.mkdir()
    proof = tmp_path / "village" / "照片.jpg"
    proof.write_bytes(b"photo")
    monkeypatch.setenv("XIXIN_WRITER", "village")
    assert (
        xixin("--state", str(village), "attach", "5.3.1", "--office", "all", str(proof)).code == 0
    )
    proof.unlink()  # the village PC's file is not on this PC
    monkeypatch.setenv("XIXIN_WRITER", "centre")
    assert xixin("merge", str(village)).code == 0
    assert xixin("verify").code == 0
    assert any(p.is_file() for p in _store(state_file).rglob("*"))


def test_evidence_recorded_elsewhere_without_a_copy(
    xixin: Runner, state_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    village = tmp_path / "v.jsonl"
    proof = tmp_path / "照片.jpg"
    proof.write_bytes(b"photo")
    monkeypatch.setenv("XIXIN_WRITER", "village")
    assert (
        xixin(
            "--state", str(village), "attach", "--no-copy", "5.3.1", "--office", "all", str(proof)
        ).code
        == 0
    )
    proof.unlink()
    monkeypatch.setenv("XIXIN_WRITER", "centre")
    assert xixin("merge", str(village)).code == 0
    result = xixin("verify")
    assert result.code == 0, result
    assert "在别处登记" in result.out
    strict = xixin("verify", "--strict")
    assert strict.code == ExitCode.CHECK


def test_own_evidence_gone_without_a_copy_still_fails(xixin: Runner, tmp_path: Path) -> None:
    proof = tmp_path / "a.txt"
    proof.write_bytes(b"abc")
    assert xixin("attach", "--no-copy", "5.3.1", "--office", "all", str(proof)).code == 0
    proof.unlink()
    assert xixin("verify").code == ExitCode.CHECK


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_git_clones_that_both_merged_one_office_log(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_merge import git

    village = tmp_path / "village.jsonl"
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    _office_log(xixin, village, ("done", "5.2.2"), ("block", "5.3.2", "--note", "苗木未到"))
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    a, b = tmp_path / "a", tmp_path / "b"
    git(tmp_path, "clone", "-q", str(bare), str(a))
    (a / ".gitattributes").write_text("*.status.jsonl merge=union\n", encoding="utf-8")
    log_a, log_b = a / "xixin.status.jsonl", b / "xixin.status.jsonl"
    monkeypatch.setenv("XIXIN_WRITER", "dangqun-pc")
    assert xixin("--state", str(log_a), "done", "5.1.1").code == 0
    git(a, "add", "-A")
    git(a, "commit", "-qm", "first")
    git(a, "push", "-q", "origin", "HEAD")
    git(tmp_path, "clone", "-q", str(bare), str(b))
    assert xixin("--state", str(log_a), "start", "5.3.3").code == 0
    assert xixin("--state", str(log_a), "merge", str(village)).code == 0  # both clones merge it
    monkeypatch.setenv("XIXIN_WRITER", "laptop")
    assert xixin("--state", str(log_b), "merge", str(village)).code == 0
    assert xixin("--state", str(log_b), "start", "5.1.2").code == 0
    git(a, "commit", "-qam", "a merged the village")
    git(b, "commit", "-qam", "b merged the village")
    git(b, "push", "-q", "origin", "HEAD")
    git(a, "pull", "-q", "--no-rebase", "origin", "HEAD")  # a union merge
    lines = log_a.read_bytes().splitlines()
    unique = {json.loads(line)["event"] for line in lines}
    from_village = len(village.read_bytes().splitlines())
    assert len(lines) == len(unique) + from_village  # the village's records twice
    result = xixin("--state", str(log_a), "verify")
    assert result.code == 0, result
    assert f"{from_village} 行与前面的记录完全相同" in result.out
    history = json.loads(xixin("--state", str(log_a), "history", "--json", "--all").out)
    assert len(history) == len(unique)  # each record once
