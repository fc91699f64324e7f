"""The shortcuts wide tables take are the long way's answers: widths from a table of each
character's width (`wrap.cells`, `Wrapped._widths`), line breaks found all at once
(`wrap.breaks`), and output streamed line by line to a file or a pipe (`present.streamed`)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from test_bulk import TEXT, _views, tables

from xixin_cli import wrap
from xixin_cli.present import console as shown_console
from xixin_cli.present import streamed, streams
from xixin_cli.terminal import trimmed
from xixin_cli.wrap import Wrapped, breaks, cells, list_breaks

#: Characters of every width rich knows: wide, narrow, none (controls, combining marks), and
#: the joiner and variation selector that make two characters one.
ODD = st.sampled_from(
    ["中", "a", " ", "\u3000", "\x1b", "\x00", "\u0301", "\u200d", "\ufe0f", "👍", "🔴", "ｱ", "\t"]
)
ANY_TEXT = st.one_of(
    TEXT, st.text(), st.lists(st.one_of(ODD, st.characters()), max_size=30).map("".join)
)


@given(ANY_TEXT)
def test_cells_measure_as_rich_does(text: str) -> None:
    assert cells(text) == cell_len(text)


def _long_way(cell: Wrapped) -> tuple[int, int]:
    """`Wrapped._widths` from the cell's pieces, as it was first written."""
    widest_piece = widest_line = 0
    for line in cell.pieces():
        widest_line = max(widest_line, sum(p[1] for p in line[:-1]) + line[-1][0])
        widest_piece = max(widest_piece, max(p[0] for p in line))
    return widest_piece + (cell.hang if widest_piece < widest_line else 0), widest_line


def draw_separator(units: list[str]) -> str:
    return "、" if len(units) % 2 else " "


def _pieces_long_way(cell: Wrapped) -> list[list[tuple[int, int, str]]]:
    """The cell's pieces measured one by one with rich."""
    return [[(cell_len(p.rstrip()), cell_len(p), p) for _, _, p in line] for line in cell._cut()]


@given(
    text=ANY_TEXT,
    units=st.lists(
        st.sampled_from(["乡民政办", "党群办", "👍\u200d", "a b ", " ", ""]), max_size=5
    ),
    hang=st.sampled_from([0, 2]),
    listed=st.sampled_from(["no", "units", "any"]),
    offsets=st.lists(st.integers(-2, 40), max_size=6),
)
@example(text="a b", units=[], hang=0, listed="any", offsets=[2, 2])  # a blank, then a repeat
@example(text="", units=[" ", " "], hang=0, listed="units", offsets=[])  # pieces all blank
def test_a_cell_is_measured_as_its_pieces_add_up(
    text: str, units: list[str], hang: int, listed: str, offsets: list[int]
) -> None:
    if listed == "units":
        joined, at = list_breaks(units, draw_separator(units))
        cell = Wrapped(joined, offsets=at, hang=hang)
    elif listed == "any":  # offsets as a caller may give them: out of order, repeated
        cell = Wrapped(text, offsets=offsets, hang=hang)
    else:
        cell = Wrapped(text, words=("乡民政办",), hang=hang)
    measured = cell._widths()
    assert cell._cut() == _pieces_long_way(cell)
    assert measured == _long_way(cell)


@given(text=ANY_TEXT, hang=st.sampled_from([0, 2]), width=st.integers(0, 40))
def test_a_cell_fits_as_its_pieces_say(text: str, hang: int, width: int) -> None:
    """Whether a cell fits a width is known without its breaks, as its pieces would say."""
    fresh = Wrapped(text, words=("乡民政办",), hang=hang)
    fits = fresh._fits(width)
    assert fresh._found is None or _sums_fail(text)  # its breaks were not sought
    assert fits == (_long_way(Wrapped(text, words=("乡民政办",), hang=hang))[1] <= width)
    laid = Wrapped(text, words=("乡民政办",), hang=hang)
    assert laid._lines is not None  # its breaks known: the long way
    assert laid._fits(width) == fits
    assert Wrapped(text, words=("乡民政办",), hang=hang).plain_lines(width) == laid.plain_lines(
        width
    )


def _sums_fail(text: str) -> bool:
    return any(wrap._sums(line) is None for line in text.split("\n"))


def _layout_long_way(
    pieces: list[tuple[int, int, str]], width: int, hang: int
) -> list[tuple[int, int]]:
    """`wrap.layout` as it was first written."""
    lines: list[tuple[int, int]] = []
    start = left = used = 0
    for bare, full, piece in pieces:
        right = left + len(piece)
        room = max(1, width - (hang if lines or start else 0))
        if used + bare <= room:
            used += full
            left = right
            continue
        if left > start:
            lines.append((start, left))
            start, used = left, 0
            room = max(1, width - hang)
        if bare <= room:
            used = full
            left = right
            continue
        position = left
        folded = wrap._fold(piece.rstrip(), room)
        for part in folded[:-1]:
            position += len(part)
            lines.append((start, position))
            start = position
        used = cell_len(folded[-1]) + full - bare
        left = right
    lines.append((start, left))
    return lines


@given(text=ANY_TEXT, hang=st.sampled_from([0, 2, 4]), width=st.integers(-1, 30))
@example(text="abcdefg xy", hang=2, width=5)  # folded on the first line: then the hang counts
def test_lines_are_laid_out_as_first_written(text: str, hang: int, width: int) -> None:
    cell = Wrapped(text, words=("乡民政办",), hang=hang)
    for line in cell.pieces():
        assert wrap.layout(line, width, hang) == _layout_long_way(line, width, hang)


@given(
    text=ANY_TEXT,
    hang=st.sampled_from([0, 2, 4]),
    width=st.integers(-1, 30),
    listed=st.none() | st.lists(st.integers(0, 30), max_size=6),
)
@example(text="中文 中文 中", hang=2, width=5, listed=None)  # blanks at the ends of pieces
@example(text="a  ", hang=0, width=1, listed=[1, 1])  # a line wider for its blanks, a repeat
def test_lines_laid_out_by_their_widths_are_the_pieces_lines(
    text: str, hang: int, width: int, listed: list[int] | None
) -> None:
    """`wrap._laid` (bisecting the widths of a line's starts) lays a line out as `layout` does
    from its pieces, and each line's width is `cells` of it without its trailing blanks."""
    line = text.split("\n")[0]
    offsets = breaks(line, ("乡民政办",)) if listed is None else listed
    laid = wrap._laid(line, offsets, width, hang)
    expected = wrap.layout(wrap._pieces(line, offsets), width, hang)
    if laid is None:  # only a piece folded, or widths that do not add up, go the pieces' way
        pieces = wrap._pieces(line, offsets)
        assert (
            wrap._sums(line) is None
            or not wrap._ordered([0, *offsets, len(line)])
            or any(
                bare > max(1, width - (hang if n else 0)) for n, (bare, _, _) in enumerate(pieces)
            )
        )
        return
    assert [(a, b) for a, b, _ in laid] == expected
    assert [size for _, _, size in laid] == [cells(line[a:b].rstrip()) for a, b in expected]


@given(text=ANY_TEXT, hang=st.sampled_from([0, 2]), width=st.integers(0, 40))
@example(text="\u200d\u200d〰", hang=0, width=0)  # rich's chop_cells gave none of it back
def test_sized_lines_are_measured_as_they_are_shown(text: str, hang: int, width: int) -> None:
    for cell in (
        Wrapped(text, words=("乡民政办",), hang=hang),
        Wrapped(text, offsets=list_breaks(text.split("、"), "、")[1], hang=hang),
    ):
        sized = cell.sized_lines(width)
        assert [line for line, _ in sized] == cell.plain_lines(width)
        assert [size for _, size in sized] == [cells(line) for line, _ in sized]


def _breaks_long_way(text: str, words: tuple[str, ...]) -> list[int]:
    """`breaks` as it was first written: match by match."""
    found: list[int] = []
    previous_end = ""
    for match in wrap._pattern(words).finditer(text):
        start = match.start()
        piece = match.group()
        spaced = (  # 逾期 66 天 keeps its number; 延期至 2022-12-20 breaks before the date
            piece[0].isdigit()
            and text[start - 1 : start].isspace()
            and wrap._cjk(previous_end)
            and wrap._DATE.match(piece) is None
        )
        if (
            start
            and piece[0] not in wrap.NO_START
            and previous_end not in wrap.NO_END
            and not spaced
        ):
            found.append(start)
        stripped = piece.rstrip()
        previous_end = stripped[-1] if stripped else previous_end
    return found


@given(
    text=st.one_of(
        ANY_TEXT, st.tuples(st.sampled_from(["", " ", "  ", "\u3000"]), TEXT).map("".join)
    ),
    words=st.sampled_from([("乡民政办", "党群办"), (" 办", "a b"), ()]),
)
@example(text="  、（第1项", words=())  # an indent, then what may not start a line
@example(text=" 办公", words=(" 办",))  # a word that starts with a blank: not an indent
@example(text="乡民政办 2022-11-30", words=("乡民政办", "党群办"))  # a date after a word: a break
def test_breaks_are_found_as_match_by_match(text: str, words: tuple[str, ...]) -> None:
    text = text.replace("\n", "")
    assert breaks(text, words) == _breaks_long_way(text, words)


def _captured(console: Any, renderable: Any) -> str:
    with console.capture() as captured:
        console.print(renderable)
    return trimmed(captured.get())


def _consoles(width: int) -> Any:
    return shown_console(file=io.StringIO(), width=width, height=50, legacy_windows=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), width=st.integers(8, 160), lines=st.sampled_from([1, 3, 2000]))
def test_a_streamed_table_is_the_captured_one(table: Any, width: int, lines: int) -> None:
    import xixin_cli.present as present

    console = _consoles(width)
    assert streams(console, table)
    expected = _captured(_consoles(width), table)
    old, present._STREAM_LINES = present._STREAM_LINES, lines
    try:
        assert "".join(streamed(console, table)) == expected
    finally:
        present._STREAM_LINES = old


def _outcome(make: Callable[[], str]) -> str | type[BaseException]:
    """What printing gives, or the error rich itself raises: rich 15.0.0 divides by a zero
    width when one column must hold a line of only joiners and a wide character (its
    `split_graphemes` measures the line 0 cells wide, `cell_len` 2), captured or streamed."""
    try:
        return make()
    except ZeroDivisionError as error:
        return type(error)


@example(texts=["\u200d\u200d〰"], width=1)  # found by CI: rich's own error, both ways
@given(texts=st.lists(ANY_TEXT, max_size=5), width=st.integers(1, 60))
def test_streamed_text_is_cropped_and_trimmed_as_captured(texts: list[str], width: int) -> None:
    """Lines wider than the console (no table crops them), blanks, joiners and controls."""
    group = Group(*(Text(text) for text in texts))
    console = _consoles(width)
    assert _outcome(lambda: "".join(streamed(console, group))) == _outcome(
        lambda: _captured(_consoles(width), group)
    )


def test_the_real_views_stream_as_captured() -> None:
    for width in (40, 80, 120):
        for name, view in _views():
            console = _consoles(width)
            assert "".join(streamed(console, view)) == _captured(_consoles(width), view), name


def test_only_plain_output_to_a_file_streams() -> None:
    table = Group(Text("x"))
    assert streams(_consoles(80), table)
    assert not streams(_consoles(80), Text("x"))  # print joins a Text and ends it anew
    coloured = shown_console(file=io.StringIO(), width=80, color_system="truecolor")
    assert not streams(coloured, table)
    terminal = shown_console(file=io.StringIO(), width=80, force_terminal=True)
    assert not streams(terminal, table)


def test_no_blank_at_a_line_end() -> None:
    text = "".join(streamed(_consoles(30), _views()[0][1]))
    assert not re.search(r"[ \t]\n", text)


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(TEXT, max_size=4),
    hang=st.sampled_from([0, 2]),
    width=st.integers(1, 60),
)
def test_indented_lines_shown_otherwise_are_measured_as_shown(
    texts: list[str], hang: int, width: int
) -> None:
    """Lights shown as [红] and raw escapes are wider than written: a file gets each line
    padded as the padded cell would be."""
    from rich.padding import Padding

    from xixin_cli import terminal
    from xixin_cli.wrap import Indented

    def of(renderable: Any) -> str:
        console = shown_console(file=io.StringIO(), width=width)
        console.print(renderable)
        return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]

    cells = [Wrapped(text, words=("乡民政办",), hang=hang) for text in texts]
    padded = Group(*(Padding(each, (0, 0, 0, 5)) for each in cells))
    saved = dict(terminal._lights)
    terminal._lights.update({ord(mark): shown for mark, shown in terminal._FALLBACK["zh"].items()})
    try:
        assert of(Indented(cells, 5)) == of(padded)
    finally:
        terminal._lights.clear()
        terminal._lights.update(saved)


def test_rows_are_added_by_rich_itself_when_its_columns_keep_their_cells_otherwise() -> None:
    """render._adder fills rich's `Column._cells` lists directly (rich's add_row checks every
    cell of a county's 100,000); a rich whose columns keep no such list gets its own add_row,
    and the rows are still added."""
    from rich.table import Table

    from xixin_cli.render import _adder

    table = Table()
    table.add_column("a")
    table.add_column("b")
    _adder(table)("1", "2")
    assert table.row_count == 1
    assert [list(column.cells) for column in table.columns] == [["1"], ["2"]]

    other = Table()
    other.add_column("a")
    del other.columns[0]._cells  # as a rich that keeps them elsewhere would have it
    assert _adder(other) == other.add_row
