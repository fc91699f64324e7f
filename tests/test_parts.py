"""Each unit's own part: per-unit status, villages as units, views that tell each unit its
own truth, and logs written before parts that read with their meaning."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

from xixin_cli.errors import ExitCode
from xixin_cli.paths import bundled_plan

from conftest import DATA, ROOT, Runner

#: The day the recorded changes happened: before the 2022-12-05 the views are asked about.
ON = ("--on", "2022-11-25")


def data(result: Any) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def ids(result: Any) -> list[str]:
    return [d["id"] for d in data(result)]


def item(xixin: Runner, item_id: str, *args: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        d for d in data(xixin(*args, "list", "--json")) if d["id"] == item_id
    ]
    assert len(found) == 1
    return found[0]


def board_row(xixin: Runner, key: str, *args: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = data(xixin(*args, "board", "--as-of", "2022-12-05", "--json"))[
        "offices"
    ]
    [row] = [r for r in rows if r["key"] == key]
    return row


def test_one_offices_report_is_recorded_for_that_office_alone(xixin: Runner) -> None:
    before = {key: board_row(xixin, key) for key in ("minzheng", "dangqun")}
    done = xixin("done", "4.3.8", "--office", "民政办", "--note", "民政办已完成", *ON)
    assert done.code == 0 and done.out == ""
    assert "4.3.8［乡民政办］" in done.err and "未开始 → 已完成" in done.err
    late = ["overdue", "--as-of", "2022-12-05", "--json"]
    assert "4.3.8" not in ids(xixin(*late, "--office", "乡民政办"))
    assert "4.3.8" in ids(xixin(*late, "--office", "乡党群办"))
    assert "4.3.8" in ids(xixin(*late))  # the item is not done: two parts are open
    whole = item(xixin, "4.3.8")
    assert whole["status"] == "doing"
    parts = {part["office_key"]: part for part in whole["parts"]}
    assert sorted(parts) == ["cun", "dangqun", "minzheng"]
    assert (parts["minzheng"]["status"], parts["minzheng"]["note"]) == ("done", "民政办已完成")
    assert parts["dangqun"]["status"] == parts["cun"]["status"] == "todo"
    after = {key: board_row(xixin, key) for key in ("minzheng", "dangqun")}
    assert after["minzheng"]["closed"] == before["minzheng"]["closed"] + 1
    assert after["minzheng"]["red"] == before["minzheng"]["red"] - 1
    assert after["dangqun"] == before["dangqun"]
    # the unit's own view: its list and its checklist say done
    listed = data(xixin("list", "--office", "民政办", "--json"))
    [own] = [d for d in listed if d["id"] == "4.3.8"]
    assert own["status"] == "done" and [p["office_key"] for p in own["parts"]] == ["minzheng"]
    checklist = xixin("export", "markdown", "--office", "民政办")
    assert "- [x] **4.3.8**" in checklist.out
    assert "- [ ] **4.3.8**" in xixin("export", "markdown", "--office", "党群办").out


def test_the_item_is_done_when_every_part_is(xixin: Runner) -> None:
    for office in ("民政办", "党群办"):
        assert xixin("done", "4.3.8", "--office", office).code == 0
        assert item(xixin, "4.3.8")["status"] == "doing"
    assert xixin("done", "4.3.8", "--office", "各村").code == 0
    assert item(xixin, "4.3.8")["status"] == "done"
    assert xixin("close", "4.3.8", "--office", "民政办").code == 0
    assert item(xixin, "4.3.8")["status"] == "done"  # closed only when every part is
    assert xixin("block", "4.3.8", "--office", "各村", "--note", "等材料").code == 0
    assert item(xixin, "4.3.8")["status"] == "blocked"


def test_an_item_with_several_units_needs_office(xixin: Runner, state_file: Path) -> None:
    refused = xixin("done", "4.3.8")
    assert refused.code == ExitCode.USAGE and refused.out == ""
    assert "乡党群办、乡民政办、各村" in refused.err and "--office all" in refused.err
    assert "--office 乡党群办" in refused.err and len(refused.err.splitlines()) == 1
    assert not state_file.exists()
    every = xixin("done", "4.3.8", "--office", "all")
    assert every.code == 0 and len(every.err.splitlines()) == 3
    records = [json.loads(line) for line in state_file.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["office"] for r in records) == ["cun", "dangqun", "minzheng"]
    assert {r["v"] for r in records} == {3} and len({r["at"] for r in records}) == 1
    assert item(xixin, "4.3.8")["status"] == "done"
    wrong = xixin("done", "4.3.8", "--office", "司法所")
    assert wrong.code == ExitCode.USAGE and "不是 4.3.8 的责任单位" in wrong.err


def test_an_item_with_one_unit_needs_no_office(xixin: Runner) -> None:
    assert xixin("done", "5.1.1").code == 0
    assert item(xixin, "5.1.1")["status"] == "done"


def test_undo_takes_back_every_part_one_command_recorded(xixin: Runner) -> None:
    assert xixin("done", "4.3.8", "--office", "民政办").code == 0
    assert xixin("start", "4.3.8", "--office", "all").code == 0
    undone = xixin("undo")
    assert undone.code == 0 and len(undone.err.splitlines()) == 3
    parts = {p["office_key"]: p["status"] for p in item(xixin, "4.3.8")["parts"]}
    assert parts == {"dangqun": "todo", "minzheng": "done", "cun": "todo"}


def test_an_extension_for_one_part_moves_that_units_deadline_only(xixin: Runner) -> None:
    extended = xixin(
        "extend", "4.7.8", "--office", "农服中心", "--to", "2022-12-20", "--reason", "苗木延期", *ON
    )
    assert extended.code == 0, extended.err
    late = ["overdue", "--as-of", "2022-12-05", "--json"]
    assert "4.7.8" not in ids(xixin(*late, "--office", "农服中心"))
    assert "4.7.8" in ids(xixin(*late, "--office", "党群办"))
    parts = {p["office_key"]: p["due"] for p in item(xixin, "4.7.8")["parts"]}
    assert parts == {"dangqun": "2022-11-30", "nongfu": "2022-12-20", "cun": "2022-11-30"}


def test_the_office_wide_due_views_keep_each_parts_own_due_day(xixin: Runner) -> None:
    # A user's trial: with 农服中心's part of 4.7.8 extended to 2022-12-20, the office-wide
    # `upcoming` said nothing was due, while `--office 农服中心` listed it 18 days ahead.
    extended = xixin(
        "extend", "4.7.8", "--office", "农服中心", "--to", "2022-12-20", "--reason", "苗木延期",
        "--on", "2022-11-28",
    )  # fmt: skip
    assert extended.code == 0, extended.err
    soon = ["upcoming", "--within", "3w", "--as-of", "2022-12-02"]
    rows = [d for d in data(xixin(*soon, "--json")) if d["id"] == "4.7.8"]
    assert [(d["due"], d["days_left"], d["offices"]) for d in rows] == [
        ("2022-12-20", 18, ["乡农服中心"])
    ]
    assert [p["office_key"] for p in rows[0]["parts"]] == ["nongfu"]
    table = xixin(*soon)
    assert (table.code, table.err) == (0, "")
    (line,) = [line for line in table.out.splitlines() if "4.7.8" in line]
    assert "2022-12-20（延）" in line and "18 天" in line, table.out
    assert "农服中心" in table.out and "党群办" not in table.out, table.out
    # overdue: the parts still owed on 2022-11-30, not the extended one
    late = [
        d for d in data(xixin("overdue", "--as-of", "2022-12-02", "--json")) if d["id"] == "4.7.8"
    ]
    assert [(d["due"], d["offices"]) for d in late] == [("2022-11-30", ["乡党群办", "各村"])]
    # the reminder lists both, and counts 4.7.8 once, as overdue
    week = data(xixin("remind", "--as-of", "2022-12-15", "--json"))
    assert [d["due"] for d in week["overdue"] if d["id"] == "4.7.8"] == ["2022-11-30"]
    assert [d["due"] for d in week["due_soon"] if d["id"] == "4.7.8"] == ["2022-12-20"]
    said = xixin("remind", "--no-pager", "--as-of", "2022-12-15")
    red = len({d["id"] for d in week["overdue"]})
    yellow = len({d["id"] for d in week["due_soon"]} - {d["id"] for d in week["overdue"]})
    assert f"逾期 {red} 项，7 天内到期 {yellow} 项" in said.out, said.out
    assert "2022-12-20（延）" in said.out
    # the board's phase row counts the item once, red
    board = data(xixin("board", "--as-of", "2022-12-15", "--json"))
    (phase,) = [p for p in board["phases"] if p["key"] == "create"]
    assert phase["red"] + phase["yellow"] + phase["green"] == phase["open"], phase


# -- villages as units ---------------------------------------------------------------------------


@pytest.fixture
def villages(tmp_path: Path) -> Path:
    """The bundled plan with 各村 listing three villages."""
    text = bundled_plan().read_text(encoding="utf-8")
    line = "  cun: {name: 各村, group: true}"
    assert line in text
    path = tmp_path / "plan.yaml"
    path.write_text(
        text.replace(line, "  cun: {name: 各村, group: true, members: [龙塘村, 双河村, 新华村]}"),
        encoding="utf-8",
    )
    return path


def test_each_village_has_its_own_part(xixin: Runner, villages: Path) -> None:
    plan = ("--plan", str(villages))
    parts = [p["office"] for p in item(xixin, "4.3.8", *plan)["parts"]]
    assert parts == ["乡党群办", "乡民政办", "龙塘村", "双河村", "新华村"]
    assert xixin(*plan, "done", "4.3.8", "--office", "龙塘村", *ON).code == 0
    late = ["overdue", "--as-of", "2022-12-05", "--json"]
    assert "4.3.8" not in ids(xixin(*plan, *late, "--office", "龙塘村"))
    assert "4.3.8" in ids(xixin(*plan, *late, "--office", "双河村"))
    assert "4.3.8" in ids(xixin(*plan, *late, "--office", "各村"))  # two villages still owe it
    # --office 各村 records for every village on the item
    assert xixin(*plan, "done", "4.3.8", "--office", "各村", *ON).code == 0
    assert "4.3.8" not in ids(xixin(*plan, *late, "--office", "各村"))
    board = data(xixin(*plan, "board", "--as-of", "2022-12-05", "--json"))["offices"]
    keys = [row["key"] for row in board]
    at = keys.index("cun")
    assert keys[at + 1 : at + 4] == sorted(keys[at + 1 : at + 4], key=keys.index)
    assert set(keys[at + 1 : at + 4]) == {"龙塘村", "双河村", "新华村"}
    assert {row["group"] for row in board[at + 1 : at + 4]} == {"cun"}
    rows = {row["key"]: row for row in board}
    assert rows["龙塘村"]["total"] == rows["cun"]["total"]  # each village has every 各村 item
    table = xixin(*plan, "board", "--as-of", "2022-12-05")
    assert "  龙塘村" in table.out


def _sections_and_rows(out: str) -> tuple[list[str], list[str]]:
    """A markdown weekly report's unit sections (### 龙塘村（50 项）) and its table's first
    column, header left out."""
    headings = re.findall(r"^### (.+?)（\d+ 项）$", out, re.M)
    rows = [line.split(" | ")[0][2:] for line in out.splitlines() if line.startswith("| ")]
    return headings, rows[1:]


def test_a_group_with_members_has_no_checklist_or_report_row_of_its_own(
    xixin: Runner, villages: Path, tmp_path: Path
) -> None:
    """Each village is the unit: `--split-by office` writes no 各村.md beside the villages'
    files, and the weekly report (markdown, text, Word) has no 各村 section or row."""
    plan = ("--plan", str(villages))
    assert xixin(*plan, "done", "4.3.8", "--office", "龙塘村", *ON).code == 0
    folder = tmp_path / "清单"
    split = xixin(*plan, "export", "markdown", "--split-by", "office", "-o", str(folder))
    assert split.code == 0 and split.out == "", split.err
    names = {path.name for path in folder.iterdir()}
    assert {"龙塘村.md", "双河村.md", "新华村.md", "乡民政办.md"} <= names
    assert "各村.md" not in names and "各村.md" not in split.err
    week = ("report", "weekly", "--as-of", "2022-11-28")
    md = xixin(*plan, *week)
    assert md.code == 0 and md.err == ""
    headings, rows = _sections_and_rows(md.out)
    assert {"龙塘村", "双河村", "新华村", "乡党群办"} <= set(headings)
    assert "各村" not in headings
    assert rows == [  # the header, then each unit that answers for its parts, then the total
        "乡党群办", "乡经发办", "乡农服中心", "乡安监办", "乡民政办", "乡宣传办", "乡组织办",
        "乡司法所", "龙塘村", "双河村", "新华村", "合计",
    ]  # fmt: skip
    one = xixin(*plan, *week, "--office", "龙塘村")
    assert one.code == 0 and one.err == ""
    assert _sections_and_rows(one.out) == (["龙塘村"], ["龙塘村", "合计"])
    text = xixin(*plan, *week, "--format", "text")
    assert text.code == 0 and text.err == ""
    table = text.out.split("【各单位完成情况】")[1].splitlines()
    assert [line.split()[0] for line in table if line.strip()][1:] == rows
    docx = pytest.importorskip("docx")
    word = tmp_path / "周报.docx"
    made = xixin(*plan, *week, "--format", "docx", "-o", str(word))
    assert made.code == 0 and made.out == "", made.err
    document = docx.Document(str(word))
    cells = [row.cells[0].text for table in document.tables for row in table.rows]
    assert cells[1:] == rows
    sections = [p.text for p in document.paragraphs if re.search(r"村（\d+ 项）$", p.text)]
    assert [re.sub(r"^（.+?）", "", text) for text in sections] == [
        "龙塘村（50 项）", "双河村（51 项）", "新华村（51 项）",
    ]  # fmt: skip


def test_a_group_without_members_keeps_its_checklist_and_row(xixin: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "清单"
    split = xixin("export", "markdown", "--split-by", "office", "-o", str(folder))
    assert split.code == 0, split.err
    assert (folder / "各村.md").is_file()
    md = xixin("report", "weekly", "--as-of", "2022-11-28")
    assert md.code == 0 and md.err == ""
    headings, rows = _sections_and_rows(md.out)
    assert "各村" in headings and "各村" in rows


def test_a_plan_may_list_members_as_entries_with_names(xixin: Runner, tmp_path: Path) -> None:
    text = (
        bundled_plan()
        .read_text(encoding="utf-8")
        .replace(
            "  cun: {name: 各村, group: true}",
            "  cun:\n    name: 各村\n    members:\n      - {name: 龙塘村, key: longtang}\n"
            "      - {name: 双河村}",
        )
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert xixin("validate", str(path)).code == 0
    parts = [p["office_key"] for p in item(xixin, "4.3.8", "--plan", str(path))["parts"]]
    assert parts == ["dangqun", "minzheng", "longtang", "双河村"]


# -- a log written before parts -----------------------------------------------------------------


def test_a_log_written_before_parts_reads_with_its_meaning(xixin: Runner, tmp_path: Path) -> None:
    log = tmp_path / "old.status.jsonl"
    shutil.copy(DATA / "logs" / "before-parts.status.jsonl", log)
    expected = json.loads((DATA / "logs" / "before-parts.expected.json").read_text("utf-8"))
    listed = data(xixin("--state", str(log), "list", "--json"))
    got = {
        d["id"]: {
            "status": d["status"],
            "due": d["due"],
            "note": d["note"],
            "evidence": len(d["evidence"]),
        }
        for d in listed
        if d["progress"] is None
    }
    assert got == expected
    # its records apply to every part
    parts = {p["status"] for p in next(d for d in listed if d["id"] == "4.3.8")["parts"]}
    assert parts == {"done"}


# -- the working folder -----------------------------------------------------------------------


def test_init_sets_up_a_working_folder_and_refuses_to_overwrite(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "洗新乡督办"
    made = xixin("init", str(folder))
    assert made.code == 0 and made.out == ""
    plan = folder / "plan.yaml"
    assert plan.read_bytes() == (ROOT / "plan.yaml").read_bytes()
    assert (folder / "plan.status.jsonl").read_bytes() == b""
    assert "*.status.jsonl merge=union" in (folder / ".gitattributes").read_text("utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = xixin("init", str(folder))
    assert again.code == ExitCode.OUTPUT and "不覆盖任何文件" in again.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # inside the folder (or below it), commands use its plan and log
    monkeypatch.delenv("XIXIN_STATE")
    below = folder / "照片"
    below.mkdir()
    monkeypatch.chdir(below)
    assert xixin("done", "5.1.1").code == 0
    assert "5.1.1" in (folder / "plan.status.jsonl").read_text("utf-8")
    assert xixin("validate").out.startswith(f"{plan}：无误")


def test_merge_judges_conflicts_per_part(xixin: Runner, tmp_path: Path, monkeypatch: Any) -> None:
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "theirs.jsonl"
    assert xixin("--state", str(ours), "done", "4.3.8", "--office", "民政办").code == 0
    monkeypatch.setenv("XIXIN_WRITER", "village-pc")
    # another unit's part of the same item: no conflict
    assert xixin("--state", str(theirs), "block", "4.3.8", "--office", "各村").code == 0
    merged = xixin("--state", str(ours), "merge", str(theirs))
    assert merged.code == 0 and "冲突" not in merged.out
    # the same part, changed apart and disagreeing: one conflict, naming the part
    other = tmp_path / "other.jsonl"
    assert xixin("--state", str(other), "block", "4.3.8", "--office", "民政办").code == 0
    clash = xixin("--state", str(ours), "merge", str(other))
    assert clash.code == 0 and clash.out.count("冲突") == 1
    assert "冲突 4.3.8［乡民政办］" in clash.out


# -- undo of an older change ---------------------------------------------------------------------


def _event_ids(xixin: Runner, item_id: str, *args: str) -> list[str]:
    return [r["event"] for r in data(xixin(*args, "history", item_id, "--json"))][
        ::-1
    ]  # oldest first


def test_undo_of_an_older_change_refuses_to_wipe_the_later_ones(
    xixin: Runner, villages: Path, state_file: Path
) -> None:
    # A new user's trial: undo of the start took back the later done and note as well. (A
    # start said to have happened on an earlier day is undone on that day, under the later
    # days' changes: test_undo_as_of.py.)
    plan = ("--plan", str(villages))
    assert xixin(*plan, "start", "4.3.2", "--office", "all").code == 0
    assert xixin(*plan, "done", "4.3.2", "--office", "民政办").code == 0
    assert (
        xixin(*plan, "set", "4.3.2", "进行中", "--office", "龙塘村", "--note", "已开展").code == 0
    )
    records = _event_ids(xixin, "4.3.2", *plan)  # the start's five, then two
    assert len(records) == 7
    start, done, note = records[0], records[5], records[6]
    before = state_file.read_bytes()
    refused = xixin(*plan, "undo", start[:8])
    assert refused.code == ExitCode.USAGE and refused.out == ""
    assert len(refused.err.strip().splitlines()) == 1
    assert done[:6] in refused.err and note[:6] in refused.err  # names the later records
    assert refused.err.index(note[:6]) < refused.err.index(done[:6])  # newest first
    assert "其他电脑" not in refused.err  # all this PC's own
    assert "乡民政办" in refused.err and "龙塘村" in refused.err
    assert state_file.read_bytes() == before  # nothing recorded
    parts = {p["office"]: (p["status"], p["note"]) for p in item(xixin, "4.3.2", *plan)["parts"]}
    assert parts["乡民政办"] == ("done", "") and parts["龙塘村"] == ("doing", "已开展")
    # Taken back newest first, each undo is allowed and the start goes last.
    assert xixin(*plan, "undo", note[:8]).code == 0
    assert xixin(*plan, "undo", done[:8]).code == 0
    assert xixin(*plan, "undo", start[:8]).code == 0
    assert {p["status"] for p in item(xixin, "4.3.2", *plan)["parts"]} == {"todo"}


def test_undo_of_an_older_change_of_other_parts_takes_back_that_change_alone(
    xixin: Runner, villages: Path
) -> None:
    plan = ("--plan", str(villages))
    assert xixin(*plan, "start", "4.3.2", "--office", "党群办").code == 0
    assert xixin(*plan, "done", "4.3.2", "--office", "龙塘村", "--note", "已办结").code == 0
    start = _event_ids(xixin, "4.3.2", *plan)[0]
    assert xixin(*plan, "undo", start[:8]).code == 0
    parts = {p["office"]: (p["status"], p["note"]) for p in item(xixin, "4.3.2", *plan)["parts"]}
    assert parts["乡党群办"] == ("todo", "") and parts["龙塘村"] == ("done", "已办结")


def test_undo_of_the_first_of_two_extensions_refuses(xixin: Runner, state_file: Path) -> None:
    first = ("extend", "4.7.8", "--office", "all", "--to", "2022-12-20", "--reason", "苗木未到")
    assert xixin(*first).code == 0
    again = ("extend", "4.7.8", "--office", "农服中心", "--to", "2023-01-10", "--reason", "再延")
    assert xixin(*again).code == 0
    records = _event_ids(xixin, "4.7.8")
    older, newer = records[0], records[-1]
    before = state_file.read_bytes()
    refused = xixin("undo", older[:8])
    assert refused.code == ExitCode.USAGE and newer[:6] in refused.err
    assert state_file.read_bytes() == before
    parts = {p["office_key"]: p["due"] for p in item(xixin, "4.7.8")["parts"]}
    assert parts == {"dangqun": "2022-12-20", "nongfu": "2023-01-10", "cun": "2022-12-20"}


# -- show: each unit's part ----------------------------------------------------------------------


def _row(out: str, label: str) -> str:
    """The panel line that starts with the field `label` (the panel's frame stripped)."""
    lines = [line.strip("│ ") for line in out.splitlines()]
    return next(line for line in lines if line.startswith(label))


def test_show_names_each_units_part_and_whose_extension_it_is(xixin: Runner) -> None:
    extend = shlex.split("extend 4.7.8 --office 农服中心 --to 2022-12-20 --reason 苗木未到")
    assert xixin(*extend).code == 0
    assert xixin("start", "4.7.8", "--office", "党群办", "--note", "已联系林业站").code == 0
    shown = xixin("show", "4.7.8")
    assert shown.code == 0 and shown.err == ""
    extension = _row(shown.out, "延期")
    assert (
        "乡农服中心" in extension and "2022-12-20" in extension and "原定 2022-11-30" in extension
    )
    due = _row(shown.out, "截止日")
    assert "2022-11-30" in due and "延" not in due  # 乡党群办 and 各村 still owe it then
    parts = shown.out[shown.out.index("各单位") :]
    lines = [line.strip("│ ") for line in parts.splitlines()[:3]]
    assert "乡党群办" in lines[0] and "进行中" in lines[0] and "已联系林业站" in lines[0]
    assert "乡农服中心" in lines[1] and "未开始" in lines[1] and "2022-12-20" in lines[1]
    assert "各村" in lines[2] and "2022-11-30" in lines[2]

    theirs = xixin("show", "4.7.8", "--office", "农服中心")
    assert theirs.code == 0, theirs.err
    assert "4.7.8［乡农服中心］ 开展植树造林" in theirs.out  # marked after the id: never cut off
    assert "2022-12-20（延）" in _row(theirs.out, "截止日")
    assert _row(theirs.out, "状态").endswith("未开始") and "各单位" not in theirs.out
    assert "已联系林业站" not in theirs.out  # 乡党群办's note is not theirs
    data = json.loads(xixin("show", "4.7.8", "--office", "农服中心", "--json").out)
    assert (data["due"], data["status"], [p["office"] for p in data["parts"]]) == (
        "2022-12-20",
        "todo",
        ["乡农服中心"],
    )
    wrong = xixin("show", "4.7.8", "--office", "民政办")
    assert wrong.code == ExitCode.USAGE and wrong.out == ""
    assert "不是 4.7.8 的责任单位" in wrong.err and "乡农服中心" in wrong.err


def test_show_of_a_task_for_one_unit_counts_that_units_actions(xixin: Runner) -> None:
    assert xixin("done", "4.3.8", "--office", "民政办").code == 0
    theirs = xixin("show", "4.3", "--office", "民政办")
    assert theirs.code == 0, theirs.err
    whole = xixin("show", "4.3")
    assert _row(theirs.out, "状态") != _row(whole.out, "状态")
    every = xixin("show", "4.3", "--office", "all")  # as a leaf takes it: the item whole
    assert every.code == 0 and _row(every.out, "状态") == _row(whole.out, "状态")
    unknown = xixin("show", "4.3", "--office", "不存在的办")
    assert unknown.code == ExitCode.USAGE and "不存在的办" in unknown.err


# -- close-out and return name the parts that cannot be ----------------------------------------


def test_close_and_return_refusals_name_each_unit_and_its_own_status(
    xixin: Runner, state_file: Path
) -> None:
    assert xixin("start", "4.3.2", "--office", "党群办").code == 0
    assert xixin("done", "4.3.2", "--office", "民政办").code == 0
    before = state_file.read_bytes()
    every = xixin("close", "4.3.2", "--office", "all")
    assert every.code == ExitCode.USAGE and every.out == ""
    (line,) = every.err.strip().splitlines()
    assert "乡党群办（进行中）" in line and "各村（未开始）" in line and "乡民政办" not in line
    assert "退回" not in line and "--office" in line  # the way on: close the done ones
    one = xixin("close", "4.3.2", "--office", "各村")
    assert one.code == ExitCode.USAGE
    assert "4.3.2［各村］" in one.err and "“未开始”" in one.err and "退回" not in one.err
    back = xixin("return", "4.3.2", "--office", "党群办", "--reason", "材料不全")
    assert back.code == ExitCode.USAGE
    assert "4.3.2［乡党群办］" in back.err and "“进行中”" in back.err and "才能退回" in back.err
    assert state_file.read_bytes() == before
    assert xixin("close", "4.3.2", "--office", "民政办").code == 0


def test_history_names_the_undone_command_by_the_id_it_shows(xixin: Runner) -> None:
    # One command's five records show as one row, under its first record's id; an undo's
    # records name one each, and the row said whichever came first: often one never shown.
    for _ in range(3):
        assert xixin("start", "4.3.2", "--office", "all").code == 0
        assert xixin("undo").code == 0
    table = xixin("history", "4.3.2", "--all").out
    shown = set(re.findall(r"\d\d:\d\d ([0-9a-f]{6})", table))
    cited = set(re.findall(r"\[撤销 ([0-9a-f]{6})\]", table))
    assert len(cited) == 3 and cited <= shown, table


def test_closing_out_every_part_passes_over_one_that_does_not_apply(
    xixin: Runner, villages: Path
) -> None:
    # The trial: one village's part 不适用, the rest done; close --office all was refused.
    plan = ("--plan", str(villages))
    assert xixin(*plan, "done", "4.7.8", "--office", "all").code == 0
    assert xixin(*plan, "set", "4.7.8", "dropped", "--office", "新华村").code == 0
    closed = xixin(*plan, "close", "4.7.8", "--office", "all")
    assert closed.code == 0, closed.err
    assert "新华村" in closed.err and "不适用" in closed.err
    parts = {p["office"]: p["status"] for p in item(xixin, "4.7.8", *plan)["parts"]}
    assert parts.pop("新华村") == "dropped" and set(parts.values()) == {"closed"}
    assert item(xixin, "4.7.8", *plan)["status"] == "closed"
    alone = xixin(*plan, "close", "4.7.8", "--office", "新华村")  # named alone: refused
    assert alone.code == ExitCode.USAGE and "不适用" in alone.err


def test_closing_out_every_part_passes_over_one_closed_already(
    xixin: Runner, villages: Path, state_file: Path
) -> None:
    # A trial: 民政办's part closed out first, then close --office all was refused whole.
    plan = ("--plan", str(villages))
    assert xixin(*plan, "done", "4.7.8", "--office", "all").code == 0
    assert xixin(*plan, "close", "4.7.8", "--office", "新华村").code == 0
    records = state_file.read_bytes().count(b"\n")
    closed = xixin(*plan, "close", "4.7.8", "--office", "all")
    assert closed.code == 0, closed.err
    assert "新华村" in closed.err and "已是“已销号”" in closed.err, closed.err
    parts = {p["office"]: p["status"] for p in item(xixin, "4.7.8", *plan)["parts"]}
    assert set(parts.values()) == {"closed"}, parts
    assert state_file.read_bytes().count(b"\n") == records + len(parts) - 1  # not 新华村 again
    alone = xixin(*plan, "close", "4.7.8", "--office", "新华村")  # named alone: said so
    assert alone.code == ExitCode.USAGE and "已销号" in alone.err


def test_a_groups_blocked_item_gives_the_blocked_parts_own_reason(
    xixin: Runner, villages: Path
) -> None:
    # A user's trial: under ■ 各村 the reminder gave 4.1.1 龙塘村's later note (已召开村民大会)
    # as the reason 双河村's part is blocked.
    plan = ("--plan", str(villages))
    blocked = ("block", "4.1.1", "--office", "双河村", "--note", "驻村工作队人员调整")
    assert xixin(*plan, *blocked, "--on", "2022-11-23").code == 0
    started = ("start", "4.1.1", "--office", "龙塘村", "--note", "已召开村民大会")
    assert xixin(*plan, *started, "--on", "2022-11-24").code == 0
    week = ("--as-of", "2022-12-02")
    said = xixin(*plan, "remind", "--no-pager", *week)
    assert (said.code, said.err) == (0, "")
    lines = said.out.splitlines()
    group = lines.index(next(line for line in lines if line.startswith("■ 各村")))
    stuck = next(n for n in range(group, len(lines)) if "受阻 1 项，需" in lines[n])
    assert "4.1.1" in lines[stuck + 1] and "（驻村工作队人员调整）" in lines[stuck + 1], said.out
    assert "已召开村民大会" not in said.out, said.out
    for command in (("remind", "--plain"), ("report", "self-check")):
        told = xixin(*plan, *command, *week)
        assert told.code == 0, told.err
        assert "4.1.1（驻村工作队人员调整）" in told.out or "（驻村工作队人员调整）" in told.out
        assert "（已召开村民大会）" not in told.out, (command, told.out)


def test_a_units_weekly_report_lists_its_own_changes_and_the_items_not_anothers(
    xixin: Runner,
) -> None:
    """4.3.2 names 党群办, 民政办 and 各村: 党群办's own change is not 民政办's progress; a
    change for every part, and one for 民政办's own, are."""
    for args in (
        ("done", "4.3.2", "--office", "党群办", "--on", "2022-11-24", "--note", "党群办完成"),
        ("start", "4.3.2", "--office", "民政办", "--on", "2022-11-23", "--note", "民政办开始"),
        ("start", "4.3.1", "--office", "all", "--on", "2022-11-22", "--note", "全部开始"),
    ):
        assert xixin(*args).code == 0
    week = ("report", "weekly", "--as-of", "2022-11-27")
    mine = xixin(*week, "--office", "民政办")
    assert mine.code == 0, mine.err
    changes = mine.out.split("## ")[1]  # 一、本周进展
    assert "民政办开始" in changes and "全部开始" in changes, changes
    assert "党群办完成" not in changes, changes
    everyone = xixin(*week)
    assert "党群办完成" in everyone.out.split("## ")[1]


def test_the_calendar_has_each_day_an_items_units_still_owe(xixin: Runner, tmp_path: Path) -> None:
    """An extension moves 民政办's day of 4.3.2: the calendar has that day for 民政办 and the
    plan's day for the others, as `overdue` lists them, each an event of its own."""
    moved = ("extend", "4.3.2", "--office", "民政办", "--to", "2022-12-20", "--reason", "经同意")
    assert xixin(*moved).code == 0
    out = tmp_path / "all.ics"
    made = xixin("export", "ics", "-o", str(out))
    assert made.code == 0, made.err
    events = out.read_bytes().decode().replace("\r\n ", "").split("BEGIN:VEVENT")[1:]
    mine = [e for e in events if re.search(r"SUMMARY:4\.3\.2[ ［]", e)]
    days = sorted(line for e in mine for line in e.split("\r\n") if line.startswith("DTSTART"))
    assert days == ["DTSTART;VALUE=DATE:20221130", "DTSTART;VALUE=DATE:20221220"], mine
    uids = {line for e in mine for line in e.split("\r\n") if line.startswith("UID:")}
    assert len(uids) == 2, uids
    (later,) = [e for e in mine if "20221220" in e]
    summary = next(line for line in later.split("\r\n") if line.startswith("SUMMARY:"))
    assert "民政办" in summary and "党群办" not in summary, summary
    one = tmp_path / "one.ics"
    assert xixin("export", "ics", "--office", "民政办", "-o", str(one)).code == 0
    text = one.read_bytes().decode().replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20221220" in text


def test_the_markdown_checklist_marks_a_day_extended_only_when_it_is(xixin: Runner) -> None:
    """民政办's part of 4.3.2 moved to 12-20: the item's day still owed first, 11-30, is the
    plan's, not an extension's (as the tables show it)."""
    moved = ("extend", "4.3.2", "--office", "民政办", "--to", "2022-12-20", "--reason", "经同意")
    assert xixin(*moved).code == 0
    md = xixin("export", "markdown")
    assert md.code == 0, md.err
    (line,) = [line for line in md.out.splitlines() if "**4.3.2**" in line]
    assert "2022-11-30" in line and "2022-11-30（延）" not in line, line
    table = xixin("list", "--all")
    (row,) = [r for r in table.out.splitlines() if r.lstrip().startswith("4.3.2 ")]
    assert "2022-11-30" in row and "（延）" not in row, row


def test_a_command_for_parts_that_stood_differently_shows_each_move_with_its_units(
    xixin: Runner,
) -> None:
    """`start --office all` after 民政办 finished its part reopens that part (a 退回) and starts
    the others: history and the weekly report say both, each with its units."""
    assert xixin("done", "4.3.2", "--office", "民政办", "--on", "2022-11-21").code == 0
    assert xixin("start", "4.3.2", "--office", "all", "--on", "2022-11-22").code == 0
    shown = xixin("history", "4.3.2", "--json")
    assert len(data(shown)) == 4  # 民政办's done, then the three parts started
    week = xixin("report", "weekly", "--as-of", "2022-11-27")
    assert week.code == 0, week.err
    lines = [line for line in week.out.splitlines() if line.startswith("- 11-22")]
    assert len(lines) == 2, lines
    (back,) = [line for line in lines if "已完成 → 进行中" in line]
    (started,) = [line for line in lines if "未开始 → 进行中" in line]
    assert "民政办" in back and "党群办" not in back, back
    assert "党群办" in started and "民政办" not in started, started
    table = xixin("history", "4.3.2")
    assert table.code == 0, table.err
    assert table.out.count("［乡民政办］") == 2, table.out  # its done, and its part reopened
    assert table.out.count("［乡党群办、各村］") == 1, table.out
