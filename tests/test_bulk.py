"""Tables printed in bulk are the bytes rich's Table prints, cell by cell (`bulk.py`)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from xixin_cli import render
from xixin_cli.present import console as shown_console
from xixin_cli.wrap import FittedTable, Wrapped, list_breaks

from conftest import Runner

CHINA = timezone(timedelta(hours=8))

#: Text a plan or a log may hold: Chinese and its punctuation, ids, dates, blanks, and what a
#: hostile file brings (escape sequences, bidi controls, the lights, markup, tabs, newlines).
PIECES = st.sampled_from(
    [
        "乡民政办",
        "党群办",
        "推进重点工作落实",
        "、",
        "，",
        "。",
        "（逾期 66 天）",
        "洗府发〔2022〕145号",
        "2022-11-30",
        "4.10.2",
        " ",
        "  ",
        "abc",
        "Word",
        "🔴",
        "🟢",
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\u202e",
        "\u200f",
        "[bold]x[/bold]",
        ":x:",
        "\t",
        "\n",
        "ｱ",
        "é",
        "\u0301",
    ]
)
TEXT = st.lists(PIECES, max_size=12).map("".join)
STYLES = st.sampled_from(["", "bold", "red", "bold red", "cyan", "dim", "magenta", "yellow"])


@st.composite
def cells(draw: st.DrawFn, kind: str) -> Any:
    """One cell of a column of `kind`: what our tables put in such a column."""
    text = draw(TEXT)
    if kind == "wrap":
        if draw(st.booleans()):
            units = draw(st.lists(st.sampled_from(["乡民政办", "党群办", "农服中心"]), max_size=5))
            joined, offsets = list_breaks(units, "、")
            return Wrapped(joined, offsets=offsets)
        hang = draw(st.sampled_from([0, 2, 4]))
        style = draw(STYLES)
        if draw(st.booleans()):
            spanned = Text(" " * hang + text, style=style)
            spanned.append(draw(TEXT), style=draw(STYLES))
            return Wrapped(spanned, words=("乡民政办", "党群办"), hang=hang)
        return Wrapped(" " * hang + text, words=("乡民政办",), hang=hang, style=style)
    if draw(st.booleans()):
        return text
    styled = Text(text, style=draw(STYLES))
    if draw(st.booleans()):
        styled.append(draw(TEXT), style=draw(STYLES))
    return styled


@st.composite
def tables(draw: st.DrawFn) -> FittedTable:
    """A table in the house style (`render._table`) with random columns and rows."""
    table = render._table(draw(TEXT), draw(TEXT), expand=draw(st.booleans()))
    kinds = draw(
        st.lists(st.sampled_from(["fixed", "wrap", "right", "plain"]), min_size=1, max_size=7)
    )
    for kind in kinds:
        table.add_column(
            draw(TEXT),
            no_wrap=kind in ("fixed", "right"),
            ratio=draw(st.sampled_from([1, 2, 3])) if kind == "wrap" else None,
            overflow="fold" if kind == "wrap" else "ellipsis",
            justify="right" if kind == "right" else draw(st.sampled_from(["left", "center"])),
            style=draw(st.sampled_from(["", "", "red", "green"])),
        )
    for _ in range(draw(st.integers(0, 8))):
        table.add_row(*(draw(cells(kind)) for kind in kinds))
    if draw(st.booleans()):
        render._settled(table)  # the one-line columns given their widths
    assert isinstance(table, FittedTable)
    return table


def printed(table: Any, bulk: bool, *, width: int, colour: str | None, escaped: bool) -> str:
    """The table as a terminal (colour) or a file (no colour) gets it, rows in bulk or not."""
    options: dict[str, Any] = {
        "file": io.StringIO(),
        "width": width,
        "height": 50,
        "force_terminal": colour is not None,
        "color_system": colour,
        "legacy_windows": False,
    }
    console = shown_console(**options) if escaped else Console(**options)
    for each in _fitted(table):
        each.bulk = bulk
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def _fitted(renderable: Any) -> list[FittedTable]:
    if isinstance(renderable, FittedTable):
        return [renderable]
    inner = getattr(renderable, "renderables", None) or []
    return [table for each in inner for table in _fitted(each)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    width=st.integers(8, 160),
    colour=st.sampled_from([None, "standard", "256", "truecolor"]),
    escaped=st.booleans(),
)
def test_random_tables_print_the_same_in_bulk(
    table: FittedTable, width: int, colour: str | None, escaped: bool
) -> None:
    rich = printed(table, False, width=width, colour=colour, escaped=escaped)
    assert printed(table, True, width=width, colour=colour, escaped=escaped) == rich


def test_the_bulk_path_is_taken() -> None:
    """A table of text and Wrapped cells never renders a cell through the console."""
    table = render._table("题", "注")
    table.add_column("编号", no_wrap=True)
    table.add_column("事项", ratio=1)
    table.add_row("1.1", Wrapped("推进重点工作落实"))
    calls: list[object] = []

    class Counting(Console):
        def render_lines(self, *args: Any, **kwargs: Any) -> Any:
            calls.append(args[0])
            return super().render_lines(*args, **kwargs)

    Counting(file=io.StringIO(), width=40).print(table)
    assert calls == []
    assert isinstance(table, FittedTable)
    table.bulk = False
    Counting(file=io.StringIO(), width=40).print(table)
    assert calls  # rich's own path renders each cell: the test above can tell them apart


def _views() -> list[tuple[str, Any]]:
    """The real tables of the bundled plan, with a week's changes and hostile notes."""
    from xixin_cli.fold import fold, states
    from xixin_cli.model import Event, Status
    from xixin_cli.paths import bundled_plan
    from xixin_cli.plan_file import load_plan
    from xixin_cli.schedule import digest, overdue, upcoming
    from xixin_cli.workdays import build_calendar

    plan = load_plan(bundled_plan())
    at = datetime(2022, 11, 20, 9, tzinfo=CHINA)
    events = [
        Event(
            "a", at, "4.1.1", Status.BLOCKED, Status.TODO, "王芳", "等待\x1b[31m经发办\u202e材料"
        ),
        Event("b", at, "5.1.1", Status.DONE, Status.TODO, "李明🔴"),
        Event("c", at, "4.7.8", Status.BLOCKED, Status.TODO, "张三", "苗木未到"),
        Event("d", at, "5.1.2", Status.DOING, Status.CLOSED, "张三", "材料不全"),  # 退回
    ]
    item_states = states(plan, fold(events))
    today = date(2022, 12, 5)
    calendar = build_calendar()
    late = overdue(plan, item_states, today, calendar)
    soon = upcoming(plan, item_states, date(2022, 11, 20), date(2022, 12, 31), calendar)
    week = digest(plan, item_states, today, calendar)
    return [
        ("checklist", render.checklist_table(plan, list(item_states.values()), "zh")),
        ("overdue", render.due_table(plan, late, "zh", today, late=True)),
        ("upcoming", render.due_table(plan, soon, "en", today, late=False)),
        ("history", render.history_table(plan, events, "zh")),
        ("remind", render.digest_view(plan, week, "zh")),
        ("evidence", render.evidence_table(plan, list(item_states.values()), "zh")),
    ]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
@pytest.mark.parametrize("colour", [None, "truecolor"])
def test_the_real_tables_print_the_same_in_bulk(width: int, colour: str | None) -> None:
    for name, view in _views():
        rich = printed(view, False, width=width, colour=colour, escaped=True)
        assert printed(view, True, width=width, colour=colour, escaped=True) == rich, name


#: A title as a hostile plan may carry it (bidi, a light, rich's markup): a plan refuses
#: control characters, so the escape sequences come from the log's note and recorder.
HOSTILE = "\\u202e🔴 [b]x[/b]\\u2066"


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--all"),
        ("overdue", "--as-of", "2022-12-05", "--all"),
        ("upcoming", "--as-of", "2022-11-20", "--within", "30d"),
        ("remind", "--as-of", "2022-12-05", "--no-pager"),
        ("board", "--as-of", "2022-12-05"),
        ("history", "--all"),
        ("--lang", "en", "remind", "--as-of", "2022-12-05"),
    ],
)
def test_commands_print_the_same_in_bulk(
    xixin: Runner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    state_file: Path,
    args: tuple[str, ...],
) -> None:
    from xixin_cli.paths import bundled_plan

    plan = tmp_path / "plan.yaml"
    text = bundled_plan().read_text(encoding="utf-8")
    plan.write_text(
        text.replace("开展植树造林活动，", f"开展植树{HOSTILE}造林活动，"), encoding="utf-8"
    )
    record = {
        "v": 1,
        "event": "e-hostile",
        "at": "2022-11-20T09:00:00+08:00",
        "item": "4.7.8",
        "status": "blocked",
        "previous": "todo",
        "by": "\x1b[2J张三\u202e",
        "note": "苗木\x1b]0;x\x07未到\u202e🔴",
    }
    state_file.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    for width in ("60", "80", "120"):
        monkeypatch.setenv("COLUMNS", width)
        bulk = xixin("--plan", str(plan), *args)
        monkeypatch.setattr(FittedTable, "bulk", False)
        rich = xixin("--plan", str(plan), *args)
        monkeypatch.setattr(FittedTable, "bulk", True)
        assert bulk.code == 0, bulk.err
        assert (bulk.code, bulk.err) == (rich.code, rich.err)
        assert bulk.out == rich.out, width
        assert "\x1b" not in bulk.out and "\u202e" not in bulk.out
    if args[0] in ("list", "history"):  # the hostile text is there, written out
        assert "\\u202e" in bulk.out
    if args[0] == "history":  # and the log's escape sequences
        assert "\\x1b" in bulk.out


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(TEXT, max_size=4),
    hang=st.sampled_from([0, 2]),
    indent=st.sampled_from([0, 2, 5]),
    width=st.integers(1, 60),
    colour=st.sampled_from([None, "truecolor"]),
    escaped=st.booleans(),
)
def test_indented_cells_print_as_each_padded(
    texts: list[str], hang: int, indent: int, width: int, colour: str | None, escaped: bool
) -> None:
    from rich.console import Group
    from rich.padding import Padding

    from xixin_cli.terminal import clean
    from xixin_cli.wrap import Indented

    def of(renderable: Any) -> str:
        options: dict[str, Any] = {
            "file": io.StringIO(),
            "width": width,
            "force_terminal": colour is not None,
            "color_system": colour,
        }
        console = shown_console(**options) if escaped else Console(**options)
        console.print(renderable)
        return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]

    cells = [Wrapped(clean(text), words=("乡民政办",), hang=hang, style="bold") for text in texts]
    padded = Group(*(Padding(each, (0, 0, 0, indent)) for each in cells))
    assert of(Indented(cells, indent)) == of(padded)


@given(st.lists(st.sampled_from([" ", "\t", "\n", "a", "中", "\r", "\x0b", "\u3000"]), max_size=30))
def test_trailing_blanks_are_stripped_as_the_pattern_strips_them(chars: list[str]) -> None:
    import re

    from xixin_cli.terminal import trimmed

    text = "".join(chars)
    assert trimmed(text) == re.sub(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", r"\1", text, flags=re.M)


def test_a_table_wider_than_the_console_is_cut_as_rich_cuts_it() -> None:
    """Found by hypothesis in CI: a table whose no-wrap columns cannot shrink to the console
    is cut at its width. Rich cuts each line's cells, so a cell wholly past the edge goes with
    its zero-width characters; cutting each line made as one text kept an ESC (zero cells
    wide) that stood just past the edge. Printed in bulk, the lines are the same."""
    table = render._table("", "", expand=False)
    heads = ["乡民政办乡民政办", "", "", "", "\x1b[2J乡民政办", "", ""]
    for n, head in enumerate(heads):
        table.add_column(
            head,
            no_wrap=n < 5,
            ratio=1 if n == 6 else None,
            overflow="fold" if n == 6 else "ellipsis",
            justify="right" if n in (2, 3) else "left",
        )
    table.add_row(*(Text("乡民政办乡民政办" if n == 2 else "") for n in range(6)), Wrapped(""))
    table.add_row("", *(Text("") for _ in range(4)), "", Wrapped(""))
    rich = printed(table, False, width=21, colour=None, escaped=False)
    assert "\x1b" not in rich
    assert printed(table, True, width=21, colour=None, escaped=False) == rich


@settings(max_examples=300, deadline=None)
@given(
    text=TEXT,
    style=STYLES,
    hang=st.sampled_from([0, 2, 4]),
    width=st.integers(1, 60),
    colour=st.sampled_from([None, "truecolor"]),
)
def test_a_cell_made_of_a_string_is_the_cell_of_its_text(
    text: str, style: str, hang: int, width: int, colour: str | None
) -> None:
    """A Wrapped cell keeps a string as its text, and makes the rich Text of it only when
    asked: it is the cell it was when it made that Text at once (control codes stripped, its
    style on every line)."""
    words = ("乡民政办", "党群办")
    made = Wrapped(text, words=words, hang=hang, style=style)
    given = Wrapped(Text(text, style=style), words=words, hang=hang)
    assert made.plain == given.plain == Text(text).plain
    assert made.sized_lines(width) == given.sized_lines(width)

    def seen(lines: list[Text]) -> list[tuple[str, object, object]]:
        return [(line.plain, line.style, line.spans) for line in lines]

    assert seen(made.lines(width)) == seen(given.lines(width))
    assert (made.text.plain, made.text.style) == (given.text.plain, given.text.style)
    table = render._table("", "")
    table.add_column("", ratio=1, overflow="fold")
    table.add_row(Wrapped(text, words=words, hang=hang, style=style))
    other = render._table("", "")
    other.add_column("", ratio=1, overflow="fold")
    other.add_row(Wrapped(Text(text, style=style), words=words, hang=hang))
    for bulk in (True, False):
        shown = printed(table, bulk, width=width + 4, colour=colour, escaped=True)
        assert shown == printed(other, bulk, width=width + 4, colour=colour, escaped=True)
