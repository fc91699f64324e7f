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

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment
    from rich.style import Style
    from rich.table import Table

#: A cell's lines: each a list of segments exactly its column's width.
_Lines = list[list["Segment"]]


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
    table: Table, console: Console, options: ConsoleOptions, widths: Sequence[int]
) -> Iterator[Segment]:
    """The segments of the table's borders, header and rows at `widths` (what rich's
    `Table._render` yields for a table `can_print` accepts)."""
    from rich.segment import Segment

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
    if table.show_edge:
        yield Segment(box.get_top(widths), border)
        yield new_line
    columns = table.columns
    _, right, _, left = table.padding
    pads = []
    for n in range(len(columns)):
        first, last = n == 0, n == len(columns) - 1
        pads.append(
            (
                0 if first and not table.pad_edge else left,
                0 if last and not table.pad_edge else right,
            )
        )
    escape = getattr(console, "segment_text", None)
    renderers = [
        _Cells(console, options, column, width, pad, escape)
        for column, width, pad in zip(columns, widths, pads, strict=True)
    ]
    header_style = get_style(table.header_style or "")
    rows: list[tuple[bool, list[tuple[Any, Style]]]] = []
    if table.show_header:
        rows.append((True, [(c.header, header_style + get_style(c.header_style)) for c in columns]))
    styles = [get_style(column.style or "") for column in columns]
    for cells in zip(*(column.cells for column in columns), strict=True):
        rows.append((False, list(zip(cells, styles, strict=True))))
    total = len(rows)
    for index, (header, cells) in enumerate(rows):
        rendered = [
            renderer.lines(renderable, style)
            for renderer, (renderable, style) in zip(renderers, cells, strict=True)
        ]
        tallest = max(len(lines) for lines in rendered)
        if any(len(lines) != tallest for lines in rendered):
            rendered = [
                _aligned(
                    lines, width, tallest, style, "bottom" if header else renderer.vertical(cell)
                )
                for lines, width, (cell, style), renderer in zip(
                    rendered, widths, cells, renderers, strict=True
                )
            ]
        height = max(1, tallest)  # a row is a line at least, even of cells with none
        if not tallest:
            rendered = [[[Segment(" " * width)]] for width in widths]
        edge_left, edge_right, divider = edges[
            0 if index == 0 else (2 if index == total - 1 else 1)
        ]
        for line_no in range(height):
            segments: list[Segment] = []
            if table.show_edge:
                segments.append(Segment(edge_left, border))
            for n, lines in enumerate(rendered):
                if n:
                    segments.append(Segment(divider, border))
                segments += lines[line_no]
            if table.show_edge:
                segments.append(Segment(edge_right, border))
            yield from _merged(segments)
            yield new_line
        if header:
            yield Segment(box.get_row(widths, "head", edge=table.show_edge), border)
            yield new_line
    if table.show_edge:
        yield Segment(box.get_bottom(widths), border)
        yield new_line


def _pick(*values: bool | None) -> bool:
    return next((value for value in values if value is not None), False)


def _merged(segments: list[Segment]) -> Iterator[Segment]:
    """The line's segments with each run of unstyled ones as one: the same bytes printed
    (a styled segment is kept as it is: each carries its own colour codes)."""
    from rich.segment import Segment

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


def _aligned(lines: _Lines, width: int, height: int, style: Style, vertical: str) -> _Lines:
    from rich.segment import Segment

    extra = height - len(lines)
    if not extra:
        return lines
    blank = [Segment(" " * width, style)]
    if vertical == "top":
        return lines + [blank] * extra
    if vertical == "middle":
        return [blank] * (extra // 2) + lines + [blank] * (extra - extra // 2)
    return [blank] * extra + lines


class _Cells:
    """The cells of one column, each made into lines of its width."""

    def __init__(
        self,
        console: Console,
        options: ConsoleOptions,
        column: Any,
        width: int,
        pad: tuple[int, int],
        escape: Any,
    ) -> None:
        from rich.cells import cell_len

        self.console = console
        self.column = column
        self.width = width
        self.left, self.right = pad
        self.inner = width - self.left - self.right
        self.escape = escape
        self.options = options.update(
            width=width,
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            height=None,
            highlight=column.highlight,
        )
        self.cell_len = cell_len

    def vertical(self, renderable: object) -> str:
        return getattr(renderable, "vertical", None) or self.column.vertical  # type: ignore[no-any-return]

    def lines(self, renderable: object, style: Style) -> _Lines:
        """The cell's lines as rich's Table renders it (through rich when it is not text)."""
        from rich.padding import Padding
        from rich.text import Text

        from xixin_cli.wrap import Wrapped

        found: _Lines | None = None
        if self.inner > 0:
            if isinstance(renderable, str):
                found = self._text(
                    self.console.render_str(
                        renderable, highlight=self.options.highlight, markup=self.options.markup
                    ),
                    style,
                    escaped=True,
                )
            elif isinstance(renderable, Text):
                found = self._text(renderable, style, escaped=False)
            elif isinstance(renderable, Wrapped):
                found = self._wrapped(renderable, style)
        if found is not None:
            return found
        pad = (0, self.right, 0, self.left)
        return self.console.render_lines(Padding(renderable, pad), self.options, style=style)

    def _framed(self, inner: list[Segment], style: Style) -> list[Segment]:
        """One line of the cell: its padding either side, the cell's style under every part."""
        from rich.segment import Segment

        if style:
            inner = [Segment(s.text, style + s.style) for s in inner]
        if self.left:
            inner.insert(0, Segment(" " * self.left, style))
        if self.right:
            inner.append(Segment(" " * self.right, style))
        return inner

    def _text(self, text: Any, style: Style, *, escaped: bool) -> _Lines | None:
        from rich.segment import Segment

        plain: str = text.plain
        width = self.inner
        if (
            "\n" in plain
            or "\t" in plain
            or len(plain) > width
            or text.end not in ("\n", "")
            or (not escaped and self.escape is not None and self.escape(plain) != plain)
        ):
            return None
        size = self.cell_len(plain)
        if size > width:
            return None
        justify = text.justify or self.options.justify or "default"
        if text.spans:
            return self._spanned(text, style, justify)
        if justify == "left":
            shown = plain + " " * (width - size)
        elif justify == "right":
            plain = plain.rstrip()
            shown = " " * (width - self.cell_len(plain)) + plain
        elif justify == "center":
            plain = plain.rstrip()
            size = self.cell_len(plain)
            before = (width - size) // 2
            shown = " " * before + plain + " " * (width - size - before)
        else:
            return None
        own = self.console.get_style(text.style) if text.style and shown else None
        return [self._framed([Segment(shown, own)], style)]

    def _spanned(self, text: Any, style: Style, justify: str) -> _Lines | None:
        """Text with spans of its own style: cut and justified by rich, joined here."""
        from rich.segment import Segment
        from rich.text import Text

        if justify not in ("left", "right", "center"):
            return None
        lines = text.wrap(
            self.console,
            self.inner,
            justify=justify,
            overflow=self.options.overflow,
            no_wrap=True,
        )
        if len(lines) != 1:
            return None
        segments = list(Text("\n").join(lines).render(self.console))
        size = sum(self.cell_len(s.text) for s in segments)
        if size < self.inner:
            segments.append(Segment(" " * (self.inner - size)))
        return [self._framed(segments, style)]

    def _wrapped(self, cell: Any, style: Style) -> _Lines | None:
        from rich.segment import Segment

        if self.escape is not None:
            plain = cell.text.plain
            if self.escape(plain) != plain:
                return None
        found = []
        width = self.inner
        for line in cell.rendered(self.console, width):
            size = sum(self.cell_len(s.text) for s in line)
            if size > width:
                return None
            if size < width:
                line.append(Segment(" " * (width - size)))
            found.append(self._framed(line, style))
        return found
