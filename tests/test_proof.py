"""Proof and deadlines the way the government works: evidence, 销号 and 退回, 延期, working
days, and the CSV and calendar exports read back by real parsers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from xixin_cli.errors import ExitCode
from xixin_cli.export import csv_cell

from conftest import ROOT, Runner


def item(xixin: Runner, item_id: str) -> dict[str, object]:
    result = xixin("show", item_id, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


# -- evidence -------------------------------------------------------------------------------------


def test_attach_records_path_size_and_hash(xixin: Runner, tmp_path: Path) -> None:
    report = tmp_path / "自查报告.txt"
    report.write_text("洗新乡自查报告", encoding="utf-8")
    result = xixin("attach", "5.3.1", "--office", "all", str(report), "--note", "自查报告")
    assert result.code == 0 and result.out == "" and "已登记佐证材料" in result.err
    records = item(xixin, "5.3.1")["evidence"]
    assert isinstance(records, list) and len(records) == 1
    evidence = records[0]
    import hashlib

    assert evidence["path"] == str(report.resolve())
    assert evidence["size"] == len("洗新乡自查报告".encode())
    assert evidence["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert report.read_text(encoding="utf-8") == "洗新乡自查报告"  # the file stays as it was


def test_attach_refuses_a_missing_file_and_records_nothing(
    xixin: Runner, tmp_path: Path, state_file: Path
) -> None:
    real = tmp_path / "a.txt"
    real.write_text("x", encoding="utf-8")
    result = xixin("attach", "5.3.1", "--office", "all", str(real), str(tmp_path / "missing.pdf"))
    assert result.code == ExitCode.USAGE and "找不到佐证材料文件" in result.err
    assert not state_file.exists()  # not even the file that was there


@pytest.mark.parametrize(
    "args",
    [
        ["attach", "4.1.1"],  # five units and none named
        ["attach", "9.9.9"],  # no such item
        ["attach", "4.1.1", "--office", "jingfa", "--on", "2099-01-01"],  # a day to come
    ],
    ids=" ".join,
)
def test_a_refused_attach_keeps_no_copy(
    xixin: Runner, tmp_path: Path, state_file: Path, args: list[str]
) -> None:
    """A trial: `attach 4.1.1 F` refused for want of --office had put F's copy in the
    evidence store all the same, a file no record names."""
    report = tmp_path / "总结报告.docx"
    report.write_bytes(b"report")
    result = xixin(*args, str(report))
    assert result.code == ExitCode.USAGE, result.err
    assert result.out == "" and result.err
    assert not state_file.exists()
    store = state_file.parent / f"{state_file.name}.evidence"
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))


def test_evidence_missing_lists_done_items_without_proof(xixin: Runner, tmp_path: Path) -> None:
    proof = tmp_path / "会议纪要.txt"
    proof.write_text("纪要", encoding="utf-8")
    xixin("done", "5.1.1")
    xixin("done", "5.1.2")
    xixin("attach", "5.1.2", "--office", "all", str(proof))
    missing = json.loads(xixin("evidence", "--missing", "--json").out)
    assert [d["id"] for d in missing] == ["5.1.1"]
    table = xixin("evidence", "--missing")
    assert "5.1.1" in table.out and "5.1.2" not in table.out


def test_verify_reports_changed_and_vanished_evidence(xixin: Runner, tmp_path: Path) -> None:
    photo, minutes = tmp_path / "photo.jpg", tmp_path / "minutes.txt"
    photo.write_bytes(b"\xff\xd8 jpeg")
    minutes.write_text("纪要", encoding="utf-8")
    xixin(
        "attach", "--no-copy", "5.1.2", "--office", "all", str(photo), str(minutes)
    )  # no copy to fall back on
    assert xixin("verify").code == 0
    minutes.write_text("纪要（改）", encoding="utf-8")
    photo.unlink()
    result = xixin("verify")
    assert result.code == ExitCode.CHECK
    assert f"{photo.resolve()}, is no longer there" in xixin("--lang", "en", "verify").out
    assert "登记后被改动过" in result.out
    xixin(
        "attach", "--no-copy", "5.1.2", "--office", "all", str(minutes)
    )  # the new version recorded: that one counts now
    assert "登记后被改动过" not in xixin("verify").out


# -- close-out and return -----------------------------------------------------------------------


def test_close_and_return(xixin: Runner) -> None:
    refused = xixin("close", "5.3.1", "--office", "all")
    assert refused.code == ExitCode.USAGE and "只有已完成的事项才能销号" in refused.err
    xixin("done", "5.3.1", "--office", "all")
    assert xixin("close", "5.3.1", "--office", "all", "--note", "县创建办已核验").code == 0
    assert item(xixin, "5.3.1")["status"] == "closed"
    assert xixin("return", "5.3.1", "--office", "all", "--reason", "").code == ExitCode.USAGE
    back = xixin("return", "5.3.1", "--office", "all", "--reason", "佐证材料不全")
    assert back.code == 0 and "已销号 → 进行中" in back.err
    data = item(xixin, "5.3.1")
    assert (data["status"], data["note"]) == ("doing", "佐证材料不全")
    assert "5.3.1" in [
        d["id"] for d in json.loads(xixin("overdue", "--as-of", "2022-12-05", "--json").out)
    ]


def test_history_and_the_weekly_report_name_a_return_as_such(xixin: Runner) -> None:
    # A user's trial: history showed a 退回 only as "已销号 → 进行中", no word of a return.
    for command in ("done", "close"):
        assert xixin(command, "5.1.2", "--on", "2022-11-22").code == 0
    back = xixin("return", "5.1.2", "--reason", "佐证材料不全", "--on", "2022-11-23")
    assert back.code == 0, back.err
    xixin("start", "5.1.3", "--on", "2022-11-22")
    xixin("done", "5.1.3", "--on", "2022-11-23")
    assert xixin("undo").code == 0  # 已完成 → 进行中 again, but an undo: no return
    for lang, word, move in (
        ("zh", "退回", ("已销号 →", "进行中")),
        ("en", "sent back", ("closed →", "in progress")),
    ):
        history = xixin("--lang", lang, "history", "5.1.2")
        assert history.code == 0 and history.err == ""
        assert history.out.count(word) == 1  # the return; not the close, not the done
        rows = [line.split() for line in history.out.splitlines()]
        at = next(n for n, row in enumerate(rows) if "佐证材料不全" in row)
        cell = [" ".join(row[-3:]) for row in rows[at : at + 3]]
        assert word in " ".join(rows[at]) and all(m in " ".join(cell) for m in move), cell
        undone = xixin("--lang", lang, "history", "5.1.3")
        assert undone.code == 0 and word not in undone.out
        week = xixin("--lang", lang, "report", "weekly", "--as-of", "2022-11-28")
        assert week.code == 0 and week.err == ""
        [line] = [line for line in week.out.splitlines() if "佐证材料不全" in line]
        label = "退回：已销号 → 进行中" if lang == "zh" else "sent back: closed → in progress"
        assert label in line, line
        assert word not in "".join(line for line in week.out.splitlines() if "5.1.3" in line)


def test_a_task_whose_actions_are_all_closed_is_closed(xixin: Runner) -> None:
    for action in ("4.6.1", "4.6.2", "4.6.3"):
        xixin("done", action, "--office", "all")
        xixin("close", action, "--office", "all")
    assert item(xixin, "4.6")["status"] == "closed"


# -- extensions -----------------------------------------------------------------------------------


def test_an_extension_moves_the_due_date_and_keeps_the_original(xixin: Runner) -> None:
    assert "4.7.8" in [
        d["id"] for d in json.loads(xixin("overdue", "--as-of", "2022-12-05", "--json").out)
    ]
    result = xixin(
        "extend",
        "4.7.8",
        "--office",
        "all",
        "--to",
        "2022年12月20日",
        "--reason",
        "苗木延期到货",
        "--on",
        "2022-11-29",
    )
    assert result.code == 0 and "2022-11-30 → 2022-12-20" in result.err
    data = item(xixin, "4.7.8")
    assert (data["due"], data["original_due"]) == ("2022-12-20", "2022-11-30")
    assert data["extension"]["reason"] == "苗木延期到货"  # type: ignore[index]
    late = [d["id"] for d in json.loads(xixin("overdue", "--as-of", "2022-12-05", "--json").out)]
    assert "4.7.8" not in late
    assert "4.7.8" in [
        d["id"] for d in json.loads(xixin("overdue", "--as-of", "2022-12-21", "--json").out)
    ]
    shown = xixin("show", "4.7.8").out
    assert "2022-12-20（延）" in shown and "原定 2022-11-30" in shown and "苗木延期到货" in shown
    assert "2022-12-20（延）" in xixin("list", "--phase", "5.2").out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ("extend", "4.7.8", "--office", "all", "--to", "2022-11-01", "--reason", "x"),
            "不晚于当前截止日",
        ),
        (("extend", "4.7.8", "--office", "all", "--to", "2022-12-20", "--reason", " "), "写明理由"),
        (
            ("extend", "4.1.2", "--office", "all", "--to", "2022-12-20", "--reason", "x"),
            "常态化事项",
        ),
        (
            ("extend", "4.7.8", "--office", "all", "--to", "下周", "--reason", "x"),
            "--to: “下周”不是有效日期",
        ),
    ],
)
def test_bad_extensions(
    xixin: Runner, state_file: Path, args: tuple[str, ...], fragment: str
) -> None:
    result = xixin(*args)
    assert result.code == ExitCode.USAGE and fragment in result.err and result.out == ""
    assert not state_file.exists()


# -- working days ---------------------------------------------------------------------------------


def test_overdue_counts_working_days_by_the_official_calendar(xixin: Runner) -> None:
    rows = json.loads(xixin("overdue", "--as-of", "2022-10-10", "--json").out)
    step = next(r for r in rows if r["id"] == "5.1.1")  # due Friday 2022-09-30
    assert (step["days_overdue"], step["working_days_overdue"]) == (10, 3)
    assert step["working_days_estimated"] is False
    soon = json.loads(xixin("upcoming", "--as-of", "2022-11-28", "--json").out)
    check = next(r for r in soon if r["id"] == "5.3.1")
    assert (check["days_left"], check["working_days_left"]) == (2, 2)


def test_a_year_beyond_the_calendar_is_flagged(xixin: Runner) -> None:
    rows = json.loads(xixin("overdue", "--as-of", "2099-01-09", "--json").out)
    assert rows and all(r["working_days_estimated"] for r in rows)
    assert "按周末估算" in xixin("overdue", "--as-of", "2099-01-09").out


# -- exports --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("正常文字", "正常文字"),
        ("2022-11-30", "2022-11-30"),
    ],
)
def test_csv_cells_never_run_as_formulas(value: str, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_reads_back_with_chinese_and_no_formula(xixin: Runner, tmp_path: Path) -> None:
    xixin("done", "4.3.2", "--office", "all", "--note", "=1+1 已完成", "--on", "2022-12-01")
    out = tmp_path / "民政办.csv"
    result = xixin("export", "csv", "--office", "乡民政办", "--as-of", "2022-12-05", "-o", str(out))
    assert result.code == 0 and result.out == ""
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["编号"] == "4.3.1" and rows[0]["责任单位"] == "乡党群办、乡民政办、各村"
    assert len(rows) == 12
    done = next(r for r in rows if r["编号"] == "4.3.2")
    assert done["状态"] == "已完成" and done["最新备注"] == "'=1+1 已完成"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_ics_parses_with_one_event_per_dated_item(xixin: Runner, tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    xixin("extend", "4.7.8", "--office", "all", "--to", "2022-12-20", "--reason", "苗木延期到货")
    out = tmp_path / "plan.ics"
    assert xixin("export", "ics", "-o", str(out)).code == 0
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    dated = [
        d
        for d in json.loads(xixin("list", "--json").out)
        if d["progress"] is None and d["due"] is not None
    ]
    assert sorted(events) == sorted(d["id"] for d in dated)
    check = events["5.3.1"]
    assert str(check["SUMMARY"]) == "5.3.1 开展自检自查，对创建工作开展自查自纠"
    assert check.decoded("DTSTART").isoformat() == "2022-11-30"
    assert "乡司法所" in str(check["DESCRIPTION"])
    [alarm] = check.walk("VALARM")
    assert str(alarm["TRIGGER"].to_ical(), "ascii") == "-P3D"
    assert events["4.7.8"].decoded("DTSTART").isoformat() == "2022-12-20"
    for line in out.read_bytes().split(b"\r\n"):
        assert len(line) <= 75


def test_a_unit_the_plan_no_longer_lists_is_named_by_its_key(xixin: Runner, tmp_path: Path) -> None:
    # A trial: a record for a unit since renamed in the plan showed an empty ［］ mark.
    assert xixin("done", "4.1.1", "--office", "jingfa", "--on", "2022-11-22").code == 0
    renamed = tmp_path / "plan.yaml"
    renamed.write_text((ROOT / "plan.yaml").read_text("utf-8").replace("jingfa", "jingji"), "utf-8")
    history = xixin("--plan", str(renamed), "history", "4.1.1")
    assert history.code == 0, history.err
    assert "［jingfa］" in history.out and "［］" not in history.out
    week = xixin("--plan", str(renamed), "report", "weekly", "--as-of", "2022-11-28")
    assert week.code == 0, week.err
    [line] = [line for line in week.out.splitlines() if "4.1.1" in line and "→" in line]
    assert "［jingfa］" in line and "［］" not in line


def test_evidence_missing_lists_each_units_done_part_across_all_units(
    xixin: Runner, tmp_path: Path
) -> None:
    # A user's trial: `done 4.3.2 --office 民政办` then `evidence --missing` found nothing;
    # only `--office 民政办` listed 4.3.2. Every done or closed part without evidence counts.
    proof = tmp_path / "台账.xlsx"
    proof.write_bytes(b"ledger")
    assert xixin("done", "4.3.2", "--office", "民政办").code == 0
    assert xixin("done", "4.3.2", "--office", "党群办").code == 0
    assert xixin("close", "4.3.2", "--office", "党群办").code == 0
    assert xixin("done", "4.1.1", "--office", "经发办").code == 0
    assert xixin("attach", "4.1.1", "--office", "经发办", str(proof)).code == 0
    found = xixin("evidence", "--missing", "--json")
    assert (found.code, found.err) == (0, "")
    listed = json.loads(found.out)
    rows = [(d["id"], [p["office"] for p in d["parts"]], d["status"]) for d in listed]
    assert rows == [("4.3.2", ["乡党群办"], "closed"), ("4.3.2", ["乡民政办"], "done")], rows
    table = xixin("evidence", "--missing")
    assert (table.code, table.err) == (0, "")
    lines = [line for line in table.out.splitlines() if "4.3.2" in line]
    assert len(lines) == 2, table.out
    assert "党群办" in lines[0] and "已销号" in lines[0], table.out  # in the plan's order
    assert "民政办" in lines[1] and "已完成" in lines[1], table.out
    assert "4.1.1" not in table.out  # its done part has its evidence
    mine = xixin("evidence", "--missing", "--office", "民政办", "--json")
    assert [d["id"] for d in json.loads(mine.out)] == ["4.3.2"]


def test_show_dates_a_change_by_the_day_it_happened(xixin: Runner) -> None:
    """A trial: after `done --on 2022-11-25`, show said 最近记录 2026-12-03 22:26 (the day it
    was typed) and an extension's 经…批准 likewise, where history shows the --on day."""
    from xixin_cli.dates import today_in_china

    typed = today_in_china().isoformat()
    assert xixin("done", "5.1.2", "--on", "2022-11-25").code == 0
    extend = ("extend", "4.7.8", "--office", "农服中心", "--to", "2022-12-20")
    assert xixin(*extend, "--reason", "苗木延期", "--on", "2022-11-28").code == 0
    shown = xixin("show", "5.1.2")
    assert shown.code == 0, shown.err
    [last] = [line for line in shown.out.splitlines() if "最近记录" in line]
    assert "2022-11-25" in last and typed not in last, last
    extended = xixin("show", "4.7.8").out
    [line] = [line for line in extended.splitlines() if "批准" in line]
    assert "2022-11-28" in line and typed not in line, line


def test_show_and_list_take_as_of(xixin: Runner) -> None:
    """A trial: `show 4.3.2 --as-of 2022-11-26` was refused (no such option), though the
    README says every date-dependent command takes it; list likewise."""
    assert xixin("done", "5.1.2", "--on", "2022-11-25").code == 0
    for args, then in ((["--as-of", "2022-11-24"], "todo"), (["--as-of", "2022-11-25"], "done")):
        shown = xixin("show", "5.1.2", "--json", *args)
        assert shown.code == 0, shown.err
        assert json.loads(shown.out)["status"] == then
        listed = xixin("list", "--json", "--all", *args)
        assert listed.code == 0, listed.err
        [row] = [row for row in json.loads(listed.out) if row["id"] == "5.1.2"]
        assert row["status"] == then
    assert json.loads(xixin("show", "5.1.2", "--json").out)["status"] == "done"
    bad = xixin("show", "5.1.2", "--as-of", "2022-13-45")
    assert bad.code == 2 and bad.out == "" and "2022-13-45" in bad.err
