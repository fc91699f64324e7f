"""A table's body printed in bulk: the lines rich's Table prints, made row by row at once.

Rich renders every cell through the console: a Padding, a nested render, two passes that cut
the segments into lines and pad them, and the console's own escaping of every segment (about
0.7 ms a row, so 3-5 s for `list --all` at county scale). The cells of our tables are nearly
all one-line text and `Wrapped` cells, already cut to their column's width: here each becomes
its lines of segments directly, and a row's line is joined once, its unstyled runs as one
segment. Any other cell (a progress bar, text with a tab or a newline, text wider than its
column, text the console would escape) is rendered by rich itself, as it would be in the
table; so the printed bytes are rich's own, colours and all (`tests/test_bulk.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

# Imported only when a table is printed, rich with it; these run for every cell.
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text

from xixin_cli.wrap import Block, Wrapped
from xixin_cli.wrap import cells as cell_width

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.style import Style
    from rich.table import Table


def can_print(table: Table) -> bool:
    """Whether `body` prints this table as rich would: the layouts our tables use (padding
    left and right only, no lines between rows, no footer, no row styles)."""
    top, _, bottom, _ = table.padding
    return (
        table.box is not None
        and not top
        and not bottom
        and not table.collapse_padding
        and not table.show_footer
        and not table.show_lines
        and not table.leading
        and not table.row_styles
        and all(row.style is None and not row.end_section for row in table.rows)
    )


def body(
    table: Table, console: Console, options: ConsoleOptions, widths: Sequence[int], room: int
) -> Iterator[Segment]:
    """The segments of the table's borders, header and rows at `widths` (what rich's
    `Table._render` yields for a table `can_print` accepts), its lines to be cut at `room`
    cells. Printed without colour (a file, a pipe), each line of the table is one segment,
    its newline with it."""

    get_style = console.get_style
    border = get_style(table.style or "") + get_style(table.border_style or "")
    assert table.box is not None
    box = table.box.substitute(options, safe=_pick(table.safe_box, console.safe_box))
    if not table.show_header:
        box = box.get_plain_headed_box()
    new_line = Segment.line()
    edges = (
        (box.head_left, box.head_right, box.head_vertical),
        (box.mid_left, box.mid_right, box.mid_vertical),
        (box.foot_left, box.foot_right, box.foot_vertical),
    )
    show_edge = table.show_edge
    line_width = _line_width(box, widths, show_edge)
    # A table wider than the console is cut at its edge, which rich does segment by segment:
    # a cell wholly past it goes, zero-width characters too, where a line's text made one
    # would keep them. Its lines keep their cells' segments apart.
    fits = line_width is not None and line_width <= room
    # Without colour codes, and not recorded (an SVG keeps styles), a style changes no byte.
    plain = console.color_system is None and not console.record and fits
    #: Plain: the lines made so far, each as wide as the table (`Block`).
    block: list[str] = []
    if show_edge:
        if plain:
            block.append(box.get_top(widths) + "\n")
        else:
            yield Segment(box.get_top(widths), border)
            yield new_line
    columns = table.columns
    _, right, _, left = table.padding
    last = len(columns) - 1
    pads = [
        (
            0 if n == 0 and not table.pad_edge else left,
            0 if n == last and not table.pad_edge else right,
        )
        for n in range(len(columns))
    ]
    renderers = [
        _Cells(console, options, column, width, pad, plain=plain)
        for column, width, pad in zip(columns, widths, pads, strict=True)
    ]
    header_style = get_style(table.header_style or "")
    styles = [get_style(column.style or "") for column in columns]
    head: list[tuple[bool, list[tuple[Any, Style]]]] = []
    if table.show_header:
        head.append((True, [(c.header, header_style + get_style(c.header_style)) for c in columns]))
    # Row by row as they are printed: a county's 20,000 rows are not all held at once.
    data = zip(*(column.cells for column in columns), strict=True)
    total = len(head) + table.row_count
    if plain:  # the header the general way, then the rows as lines of text
        rows: Iterator[tuple[bool, list[tuple[Any, Style]]]] = iter(head)
    else:
        rows = chain(head, ((False, list(zip(row, styles, strict=True))) for row in data))
    for index, (header, cells) in enumerate(rows):
        rendered: list[list[Any]] = [
            renderer.lines(renderable, style)
            for renderer, (renderable, style) in zip(renderers, cells, strict=True)
        ]
        tallest = max(len(lines) for lines in rendered)
        if any(len(lines) != tallest for lines in rendered):
            rendered = [
                _aligned(
                    lines,
                    tallest,
                    renderer.blank(style),
                    "bottom" if header else renderer.vertical(cell),
                )
                for lines, (cell, style), renderer in zip(rendered, cells, renderers, strict=True)
            ]
        if not tallest:  # a row is a line at least, even of cells with none
            rendered = [[renderer.blank(None)] for renderer in renderers]
        edge_left, edge_right, divider = edges[
            0 if index == 0 else (2 if index == total - 1 else 1)
        ]
        if plain:  # the row's lines as text, handed on a block at a time
            if not show_edge:
                edge_left = edge_right = ""
            for line_no in range(max(1, tallest)):
                block.append(edge_left + divider.join([lines[line_no] for lines in rendered]))
                block.append(edge_right + "\n")
            if header:
                block.append(box.get_row(widths, "head", edge=show_edge) + "\n")
            if len(block) >= _BLOCK_PARTS:
                yield Segment(Block("".join(block), line_width))
                block.clear()
            continue
        for line_no in range(max(1, tallest)):
            segments: list[Segment] = []
            if show_edge:
                segments.append(Segment(edge_left, border))
            for n, lines in enumerate(rendered):
                if n:
                    segments.append(Segment(divider, border))
                segments += lines[line_no]
            if show_edge:
                segments.append(Segment(edge_right, border))
            yield from _merged(segments) if fits else segments
            yield new_line
        if header:
            yield Segment(box.get_row(widths, "head", edge=show_edge), border)
            yield new_line
    if plain:
        first = len(head)
        for lines in _plain_rows(renderers, data, styles, edges, show_edge, first, total):
            block += lines
            if len(block) >= _BLOCK_PARTS:
                yield Segment(Block("".join(block), line_width))
                block.clear()
    if show_edge:
        if plain:
            block.append(box.get_bottom(widths) + "\n")
        else:
            yield Segment(box.get_bottom(widths), border)
            yield new_line
    if block:
        yield Segment(Block("".join(block), line_width))


def _plain_rows(
    renderers: list[_Cells],
    rows: Iterator[tuple[Any, ...]],
    styles: list[Style],
    edges: tuple[tuple[str, str, str], ...],
    show_edge: bool,
    first: int,
    total: int,
) -> Iterator[list[str]]:
    """The lines of each row of a table printed without colour (what `body` makes of a row
    as segments, as text): each cell's lines, cells shorter than the row padded with blank
    lines as rich aligns them, joined by the dividers between the edges."""
    makers = [renderer.lines for renderer in renderers]
    blanks = [renderer.blank(None) for renderer in renderers]
    for index, row in enumerate(rows, first):
        rendered = [
            make(cell, style) for make, cell, style in zip(makers, row, styles, strict=True)
        ]
        sizes = [len(lines) for lines in rendered]
        tallest = max(sizes)
        if not tallest:  # a row is a line at least, even of cells with none
            rendered = [[blank] for blank in blanks]
            tallest = 1
        elif min(sizes) != tallest:
            rendered = [
                lines
                if size == tallest
                else _aligned(lines, tallest, blank, renderer.vertical(cell))
                for lines, size, blank, renderer, cell in zip(
                    rendered, sizes, blanks, renderers, row, strict=True
                )
            ]
        edge_left, edge_right, divider = edges[
            0 if index == 0 else (2 if index == total - 1 else 1)
        ]
        if not show_edge:
            edge_left = edge_right = ""
        end = edge_right + "\n"
        if tallest == 1:
            yield [edge_left + divider.join([lines[0] for lines in rendered]) + end]
        else:
            yield [
                edge_left + divider.join([lines[n] for lines in rendered]) + end
                for n in range(tallest)
            ]


#: How many lines (or rows of lines) a `Block` is made of.
_BLOCK_PARTS = 500


def _line_width(box: Any, widths: Sequence[int], show_edge: bool) -> int | None:
    """The width of every line of a table with this box at `widths`: its top, its rule under
    the header, its bottom and each row's line (edges and dividers of one cell each); None if
    the box's parts are not all one cell wide."""
    parts = [box.head_vertical, box.mid_vertical, box.foot_vertical]
    if show_edge:
        parts += [box.head_left, box.head_right, box.mid_left, box.mid_right]
        parts += [box.foot_left, box.foot_right]
    if any(cell_width(part) != 1 for part in parts):
        return None
    found = sum(widths) + len(widths) - 1 + (2 if show_edge else 0)
    rules = [box.get_row(widths, "head", edge=show_edge)]
    if show_edge:
        rules += [box.get_top(widths), box.get_bottom(widths)]
    return found if all(cell_width(rule) == found for rule in rules) else None


def _pick(*values: bool | None) -> bool:
    return next((value for value in values if value is not None), False)


def _merged(segments: list[Segment]) -> Iterator[Segment]:
    """The line's segments with each run of unstyled ones as one: the same bytes printed
    (a styled segment is kept as it is: each carries its own colour codes)."""

    run: list[str] = []
    for segment in segments:
        if segment.style:
            if run:
                yield Segment("".join(run))
                run = []
            yield segment
        else:
            run.append(segment.text)
    if run:
        yield Segment("".join(run))


def _aligned(lines: list[Any], height: int, blank: Any, vertical: str) -> list[Any]:
    """A cell's lines made `height` high with `blank` lines, as rich aligns them."""
    extra = height - len(lines)
    if not extra:
        return lines
    if vertical == "top":
        return lines + [blank] * extra
    if vertical == "middle":
        return [blank] * (extra // 2) + lines + [blank] * (extra - extra // 2)
    return [blank] * extra + lines


def _justified(plain: str, width: int, justify: str, cell_len: Callable[[str], int]) -> str | None:
    """One line of text that fits `width`, padded as rich justifies it (None: not a way
    rich pads inside the text)."""
    if justify == "left":
        return plain + " " * (width - cell_len(plain))
    if justify == "right":
        plain = plain.rstrip()
        return " " * (width - cell_len(plain)) + plain
    if justify == "center":
        plain = plain.rstrip()
        size = cell_len(plain)
        before = (width - size) // 2
        return " " * before + plain + " " * (width - size - before)
    return None


#: How many cells' lines a column keeps (the distinct ones of a county's table fit).
_KNOWN = 2000


class _Cells:
    """The cells of one column, each made into its lines at the column's width: lists of
    segments, or (`plain`: printed without colour) the lines' text."""

    def __init__(
        self,
        console: Console,
        options: ConsoleOptions,
        column: Any,
        width: int,
        pad: tuple[int, int],
        *,
        plain: bool,
    ) -> None:

        self.console = console
        self.column = column
        self.width = width
        self.plain = plain
        self.left, self.right = pad
        self.inner = width - self.left - self.right
        #: What the console does to every segment's text (ours escapes: `present.console`).
        self.escape = getattr(console, "segment_text", None)
        self.options = options.update(
            width=width,
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            height=None,
            highlight=column.highlight,
        )
        self.cell_len = cell_width
        self._blank = " " * width
        #: Strings become text as they are (after the console's escaping): printed without
        #: colour on our console, which reads no markup, no emoji codes, highlights nothing.
        self.plain_text = (
            plain
            and self.escape is not None
            and not getattr(console, "_markup", True)
            and not getattr(console, "_emoji", True)
            and not getattr(console, "_highlight", True)
            and not self.options.markup
            and not self.options.highlight
            and self.inner > 0
        )
        self._pads = (" " * self.left, " " * self.right)
        #: The lines of cells already made, each with its cell (which keeps its id its own).
        self._known: dict[tuple[object, Style], tuple[object, list[Any]]] = {}

    def vertical(self, renderable: object) -> str:
        return getattr(renderable, "vertical", None) or self.column.vertical  # type: ignore[no-any-return]

    def blank(self, style: Style | None) -> Any:
        """A line of blanks the cell's width (what pads a short cell to its row's height)."""
        return self._blank if self.plain else [Segment(self._blank, style)]

    def lines(self, renderable: RenderableType, style: Style) -> list[Any]:
        """The cell's lines as rich's Table renders it (through rich when it is not text).

        Made once for each string, each Text and each `shared` Wrapped cell of the column:
        a county's table has 5,000 rows and a few hundred distinct due dates, statuses, day
        counts and lists of units. (A cell is only read: the lines are the same each time.)"""
        if type(renderable) is str and self.plain_text:
            line = self._plain_str(renderable)
            if line is not None:
                return line
        if isinstance(renderable, str):
            key: tuple[object, Style] = (renderable, style)
        elif isinstance(renderable, Text) or getattr(renderable, "shared", False):
            key = (id(renderable), style)
        else:
            return self._lines(renderable, style)
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= _KNOWN:
                self._known.clear()
            known = self._known[key] = (renderable, self._lines(renderable, style))
        return known[1]

    def _plain_str(self, cell: str) -> list[str] | None:
        """A string's one line as `_text` makes it of the Text `render_str` gives (the string
        escaped, as it is: no control codes are left for Text to strip), without that Text:
        a county's ids are 20,000 strings. None for what is not one line that fits."""
        assert self.escape is not None
        plain: str = self.escape(cell)
        width = self.inner
        if len(plain) > width or not plain.isprintable():  # no newline, no tab
            return None
        justify = self.options.justify or "default"
        if justify == "left":
            size = len(plain) if plain.isascii() else self.cell_len(plain)
            if size > width:
                return None
            left, right = self._pads
            return [left + plain + " " * (width - size) + right]
        if self.cell_len(plain) > width:
            return None
        shown = _justified(plain, width, justify, self.cell_len)
        if shown is None:
            return None
        left, right = self._pads
        return [left + shown + right]

    def _lines(self, renderable: RenderableType, style: Style) -> list[Any]:
        found: list[Any] | None = None
        if self.inner > 0:
            if isinstance(renderable, str):
                text = self.console.render_str(
                    renderable, highlight=self.options.highlight, markup=self.options.markup
                )
                found = self._text(text, style, escaped=True)
            elif isinstance(renderable, Text):
                found = self._text(renderable, style, escaped=False)
            elif isinstance(renderable, Wrapped):
                found = self._wrapped(renderable, style)
        if found is not None:
            return found
        pad = (0, self.right, 0, self.left)
        lines = self.console.render_lines(Padding(renderable, pad), self.options, style=style)
        if self.plain:
            return ["".join(segment.text for segment in line) for line in lines]
        return lines

    def _framed(self, inner: list[Segment], style: Style) -> list[Segment]:
        """One line of the cell: its padding either side, the cell's style under every part."""

        if style:
            inner = [Segment(s.text, style + s.style) for s in inner]
        if self.left:
            inner.insert(0, Segment(" " * self.left, style))
        if self.right:
            inner.append(Segment(" " * self.right, style))
        return inner

    def _text(self, text: Any, style: Style, *, escaped: bool) -> list[Any] | None:
        """One line of text that fits; None for what rich would cut, fold or escape."""

        plain: str = text.plain
        width = self.inner
        if (
            "\n" in plain
            or "\t" in plain
            or len(plain) > width
            or text.end not in ("\n", "")
            or (not escaped and self.escape is not None and self.escape(plain) != plain)
            or self.cell_len(plain) > width
        ):
            return None
        justify = text.justify or self.options.justify or "default"
        shown = _justified(plain, width, justify, self.cell_len)
        if shown is None:
            return None
        if self.plain:
            return [" " * self.left + shown + " " * self.right]
        if text.spans:
            return self._spanned(text, style, justify)
        own = self.console.get_style(text.style) if text.style else None
        return [self._framed([Segment(shown, own)], style)]

    def _spanned(self, text: Any, style: Style, justify: str) -> list[Any] | None:
        """Text with spans of its own style: justified by rich, its segments framed here."""

        lines = text.wrap(
            self.console, self.inner, justify=justify, overflow=self.options.overflow, no_wrap=True
        )
        if len(lines) != 1:
            return None
        return [self._framed(list(Text("\n").join(lines).render(self.console)), style)]

    def _wrapped(self, cell: Any, style: Style) -> list[Any] | None:
        """A Wrapped cell's lines, padded to the width; None if one is wider (rich crops it)."""

        if self.escape is not None:
            plain = cell.plain
            if self.escape(plain) != plain:
                return None
        width = self.inner
        found: list[Any] = []
        if self.plain:
            left, right = " " * self.left, " " * self.right
            for line, size in cell.sized_lines(width):
                if size > width:
                    return None
                found.append(left + line + " " * (width - size) + right)
            return found
        for segments in cell.rendered(self.console, width):
            size = sum(self.cell_len(s.text) for s in segments)
            if size > width:
                return None
            if size < width:
                segments.append(Segment(" " * (width - size)))
            found.append(self._framed(segments, style))
        return found
