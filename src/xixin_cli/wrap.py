"""Chinese line breaking for table cells, and tables whose columns are sized by it.

Rich breaks lines only at spaces and folds a Chinese run at any character, so a unit name, an
id or a date is cut in two and a line may start with 、 or ，. Here a cell's text is cut into
pieces that never split — a unit name, an item id, a number with its measure word, a date, a
document number (洗府发〔2022〕145号), a short bracketed phrase, a Latin word — and a line may
break only between pieces, never before closing punctuation (、，。；：）〕」…) and never after
opening punctuation (（〔「“…): the line-start and line-end rules (避头尾) of Chinese typesetting.
A list of units breaks only after its 、. `Wrapped` is such a cell; `FittedTable` sizes a table's
wrapping columns so every piece fits (a title gets room before a list of units gets more).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import accumulate, pairwise
from operator import add, le, sub
from typing import TYPE_CHECKING, Any

from rich.control import strip_control_codes
from rich.table import Table

from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.segment import Segment
    from rich.table import Column
    from rich.text import Text

#: Characters no line may start with (closing punctuation, pause and stop marks).
NO_START = frozenset("、，。；：！？）〕」』”’》】〉…·,.;:!?)]}%］｝")
#: Characters no line may end with (opening punctuation).
NO_END = frozenset("（〔「『“‘《【〈([{［｛")
#: Either: a line may not break before the one, after the other.
_PUNCTUATION = re.compile("[" + re.escape("".join(sorted(NO_START | NO_END))) + "]")

#: How many rows (spread over the table) decide how two wrapping columns share the room.
_SAMPLE = 30

#: The longest bracketed phrase kept whole; a longer one breaks inside like any text.
_BRACKETED = 18

_PIECES = (
    # a document number with its issuer's abbreviation: 洗府发〔2022〕145号, 〔2022〕60号
    r"[\u4e00-\u9fff]{0,3}〔\d{4}〕\d+号",
    # dates and times: 2022-11-30, 2022-11-30 09:15, 2022年11月30日, 11月30日
    r"\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2})?",
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日",
    # a number with its measure word: 66 天, 3/9 项, 12%
    r"\d+(?:[./]\d+)* ?(?:天|日|项|个|件|次|人|份|%)",
    # bracketed phrases, kept whole when short
    *(
        rf"{re.escape(a)}[^{re.escape(a + b)}]{{0,{_BRACKETED}}}{re.escape(b)}"
        for a, b in ("（）", "〔〕", "「」", "『』", "“”", "《》", "【】", "［］", "()", "[]")
    ),
    # an item id, a number, a Latin word (with its inner punctuation)
    r"[A-Za-z0-9][A-Za-z0-9.\-_/:@+'’]*",
)
#: A date, which a blank before it may break from the word before (a number it may not).
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")

#: Where the bracketed phrases are among `_PIECES` (the first is the document number).
_BRACKETED_PIECES = (4, 14)


#: What opens a bracketed phrase (and a document number's year): a text without them is cut by
#: a pattern without those pieces, which the regex engine would otherwise try at every character.
_OPENERS = re.compile(r"[（〔「『“《【［(\[]")


def _pattern(words: tuple[str, ...], text: str = "〔") -> re.Pattern[str]:
    """The pattern that cuts `text` into its pieces: without the pieces it cannot hold (none
    bracketed without an opening bracket, no document number without its 〔), the same
    matches, found faster."""
    opened = _OPENERS.search(text) is not None
    return _compiled(words, opened, opened and "〔" in text)


@lru_cache(maxsize=64)
def _compiled(
    words: tuple[str, ...], bracketed: bool, numbered: bool, *, alone: bool = False
) -> re.Pattern[str]:
    """`alone`: the pieces of more than one character alone, without their trailing blanks
    (a text without blanks is them and single characters: `_unspaced_breaks`)."""
    named = _alternation(word for word in words if word)
    pieces = [
        piece
        for n, piece in enumerate(_PIECES)
        if (numbered or n != 0)
        and (bracketed or not _BRACKETED_PIECES[0] <= n < _BRACKETED_PIECES[1])
    ]
    if alone:
        return re.compile("|".join([*([named] if named else []), *pieces]))
    alternatives = [*([named] if named else []), *pieces, r"\S"]
    return re.compile(rf"(?:{'|'.join(alternatives)})\s*|\s+")


def _alternation(words: Iterable[str]) -> str:
    """The words as one pattern, factored by their common starts (乡民政办|乡经发办 as
    乡(?:民政办|经发办)), the longest that matches first (乡民政办 before 乡民政): the regex
    engine tries alternatives one by one at every character, and a county has 60 names."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + pattern(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        inner = "|".join(branches)
        if "" in node:  # a word ends here: the longer ones first, else nothing more
            return f"(?:{inner})?"
        return inner if len(branches) == 1 else f"(?:{inner})"

    return pattern(tree)


class _Marks(dict[int, str | None]):
    """For `str.translate`: each character as a mark of its width in cells, learnt from rich
    the first time it is seen: none for one cell, "+" for two, "-" for none."""

    def __missing__(self, code: int) -> str | None:
        from rich.cells import get_character_cell_size

        size = get_character_cell_size(chr(code))
        found = self[code] = "-" if size == 0 else ("+" if size == 2 else None)
        return found


_MARKS = _Marks()


def cells(text: str) -> int:
    """`rich.cells.cell_len(text)`, the width a terminal gives the text, without a Python
    call per character: a county's table measures megabytes of Chinese text. Rich sums its
    characters' widths unless a joiner or a variation selector joins two (it is asked then)."""
    if text.isascii() and text.isprintable():
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:
        from rich.cells import cell_len

        return cell_len(text)
    marks = text.translate(_MARKS)
    return len(text) + marks.count("+") - marks.count("-")


#: The widths of pieces already measured: a table measures the same characters and names
#: over and over.
_WIDTHS: dict[str, int] = {}


def _width(text: str) -> int:
    found = _WIDTHS.get(text)
    if found is None:
        if len(_WIDTHS) > 100_000:
            _WIDTHS.clear()
        found = _WIDTHS[text] = cells(text)
    return found


class _Sizes(dict[str, int]):
    """Each character's width in cells, as rich gives it, learnt the first time it is seen."""

    def __missing__(self, character: str) -> int:
        from rich.cells import get_character_cell_size

        found = self[character] = get_character_cell_size(character)
        return found


_SIZES = _Sizes()
_BLANK = re.compile(r"\s")


def _sums(line: str) -> Sequence[int] | None:
    """The width of each start of `line` (entry n: of its first n characters); None when a
    joiner or a variation selector makes two characters one, and widths do not add up."""
    if line.isascii() and line.isprintable():
        return range(len(line) + 1)
    if "\u200d" in line or "\ufe0f" in line:
        return None
    return list(accumulate(map(_SIZES.__getitem__, line), initial=0))


def _measured(line: str, offsets: Sequence[int]) -> tuple[int, int]:
    """The widest piece of one line cut at `offsets`, and what the line's pieces add up to
    (its last without its trailing blanks): from `_pieces`, without making them."""
    sums = _sums(line)
    bounds = [0, *offsets, len(line)]
    if sums is None or not _ordered(bounds):
        pieces = _pieces(line, offsets)
        return max(p[0] for p in pieces), sum(p[1] for p in pieces[:-1]) + pieces[-1][0]
    at = [sums[n] for n in bounds]
    if _BLANK.search(line) is None:  # each piece as wide as its text
        return max(map(sub, at[1:], at[:-1])), at[-1]
    sizes = _bare(line, bounds, sums, list(map(sub, at[1:], at[:-1])))
    return max(sizes), at[-2] + sizes[-1]


def _ordered(bounds: list[int]) -> bool:
    """Whether the pieces' bounds go forward (offsets given out of order make empty pieces)."""
    return all(map(le, bounds, bounds[1:]))


def _bare(line: str, bounds: list[int], sums: Sequence[int], sizes: list[int]) -> list[int]:
    """`sizes` (each piece's width) with a piece that ends in blanks measured without them."""
    body = line.lstrip()
    lead = len(line) - len(body)
    if lead and _BLANK.search(body) is None:  # blanks only in an indent (a child's title)
        n = 1
        while n < len(bounds) and bounds[n] <= lead:  # a piece of the indent is all blank
            sizes[n - 1] = 0
            n += 1
        return sizes
    for blank in _BLANK.finditer(line):
        end = blank.end()
        n = bisect_left(bounds, end, 1)  # the first piece to end there
        if n < len(bounds) and bounds[n] == end:
            a = bounds[n - 1]
            sizes[n - 1] = sums[a + len(line[a:end].rstrip())] - sums[a]
    return sizes


def _pieces(line: str, offsets: Sequence[int]) -> list[tuple[int, int, str]]:
    """The pieces of one line of text cut at `offsets` (see `Wrapped.pieces`)."""
    bounds = [0, *offsets, len(line)]
    sums = _sums(line)
    if sums is not None and _ordered(bounds):
        at = [sums[n] for n in bounds]
        texts = map(line.__getitem__, map(slice, bounds, bounds[1:]))
        sizes = list(map(sub, at[1:], at[:-1]))
        if _BLANK.search(line) is None:  # each piece as wide as its text
            return [(size, size, text) for size, text in zip(sizes, texts, strict=True)]
        bares = _bare(line, bounds, sums, sizes[:])
        return list(zip(bares, sizes, texts, strict=True))
    found = []
    for a, b in pairwise(bounds):
        piece = line[a:b]
        bare = piece.rstrip()
        full = _width(piece)
        found.append((full if len(bare) == len(piece) else _width(bare), full, piece))
    return found


def breaks(text: str, words: Sequence[str] = ()) -> list[int]:
    """The offsets in `text` (one line) where a line may break: between pieces, never inside
    one of `words` (unit names), never before closing or after opening punctuation."""
    words = tuple(words)
    body = text.lstrip()
    lead = len(text) - len(body)
    if _BLANK.search(body) is None and not (lead and _blank_first(words)):
        return _unspaced_breaks(text, words, lead)
    # The pattern's matches tile the text (each is a piece, or blanks): found all at once.
    pieces = _pattern(words, text).findall(text)
    found = []
    previous_end = ""
    start = 0
    for piece in pieces:
        first = piece[0]
        # 逾期 66 天, 受阻 1 项: the blank between a word and its number is spacing, not a break
        # (a date is no such number: 延期至 2022-12-20 breaks before the date, not inside it)
        if (
            start
            and first not in NO_START
            and previous_end not in NO_END
            and not (
                first.isdigit()
                and text[start - 1].isspace()
                and _cjk(previous_end)
                and _DATE.match(piece) is None
            )
        ):
            found.append(start)
        start += len(piece)
        last = piece[-1]
        if not last.isspace():
            previous_end = last
        else:
            stripped = piece.rstrip()
            if stripped:
                previous_end = stripped[-1]
    return found


def _unspaced_breaks(text: str, words: tuple[str, ...], lead: int) -> list[int]:
    """`breaks` of a text with no blank but its indent of `lead` (a title): every place
    but those inside a piece of more than one character (a word, a number, a date: a few
    in a line, found by the pattern of those pieces alone, where each other character is a
    piece of its own) and those next to punctuation. What ends the piece before a place is
    the character before it, and no number follows a blank."""
    opened = _OPENERS.search(text) is not None
    whole = _compiled(words, opened, opened and "〔" in text, alone=True)
    found: list[int] = []
    at = lead + 1
    for match in whole.finditer(text, lead):
        start, end = match.span()
        found.extend(range(at, start + 1))
        at = end
    found.extend(range(at, len(text)))
    for mark in _PUNCTUATION.finditer(text):  # a few in a line: taken out of the places
        place = mark.start()
        if text[place] in NO_END:
            place += 1
        n = bisect_left(found, place)
        if n < len(found) and found[n] == place:
            del found[n]
    if 0 < lead < len(text) and text[lead] not in NO_START:  # the indent is a piece
        found.insert(0, lead)
    return found


@lru_cache(maxsize=64)
def _blank_first(words: tuple[str, ...]) -> bool:
    """Whether a word starts with a blank (an indent is then not a piece of its own)."""
    return any(word[:1].isspace() for word in words)


def _cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def list_breaks(parts: Iterable[str], separator: str) -> tuple[str, list[int]]:
    """`parts` joined by `separator`, and the offsets just after each separator: a list of
    units (乡党群办、乡经发办) breaks only there."""
    text, offsets = "", []
    for n, part in enumerate(parts):
        if n:
            text += separator
            offsets.append(len(text))
        text += part
    return text, offsets


def _fold(piece: str, width: int) -> list[str]:
    """A piece wider than a line, cut by cells; no cut leaves closing punctuation first."""
    from rich.cells import chop_cells

    lines = chop_cells(piece, width)
    if "".join(lines) != piece:  # rich drops a character wider than the line: cut here
        lines, line, used = [], "", 0
        for char in piece:
            size = cells(char)
            if line and used + size > width:
                lines.append(line)
                line, used = "", 0
            line, used = line + char, used + size
        lines.append(line)
    for n in range(1, len(lines)):
        while lines[n] and lines[n][0] in NO_START and len(lines[n - 1]) > 1:
            lines[n - 1], lines[n] = lines[n - 1][:-1], lines[n - 1][-1] + lines[n]
    return [line for line in lines if line]


def layout(
    pieces: Sequence[tuple[int, int, str]], width: int, hang: int = 0
) -> list[tuple[int, int]]:
    """The (start, end) of each line of a text at `width` cells, from its `pieces` (each its
    width without and with its trailing blanks, and its text: `Wrapped.pieces`), breaking
    greedily between them; continuation lines are `hang` cells narrower (they are indented)."""
    lines: list[tuple[int, int]] = []
    start = left = used = 0
    room = max(1, width)  # the first line's; a continuation line has `rest`
    rest = max(1, width - hang)
    for bare, full, piece in pieces:
        right = left + len(piece)
        if used + bare <= room:
            used += full
            left = right
            continue
        if left > start:
            lines.append((start, left))
            start, used = left, 0
            room = rest
        if bare <= room:
            used = full
            left = right
            continue
        position = left  # a piece wider than a line: folded, its last part starts a line
        folded = _fold(piece.rstrip(), room)
        for part in folded[:-1]:
            position += len(part)
            lines.append((start, position))
            start = position
        if lines or start:
            room = rest
        used = cells(folded[-1]) + full - bare
        left = right
    lines.append((start, left))
    return lines


def _laid(
    line: str, offsets: Sequence[int], width: int, hang: int
) -> list[tuple[int, int, int]] | None:
    """`layout` of one line cut at `offsets`, with each line's width without its trailing
    blanks, found from the widths of the line's starts (`_sums`) without making its pieces:
    what the pieces up to one add up to, without that one's trailing blanks, only grows along
    the line, so the first piece that does not fit is found by bisection, not piece by piece.
    None when a piece must be folded (wider than a line) or the widths do not add up."""
    sums = _sums(line)
    bounds = [0, *offsets, len(line)]
    if sums is None or not _ordered(bounds):
        return None
    at = [sums[n] for n in bounds]
    if _BLANK.search(line) is None:
        ends = at[1:]  # each piece as wide as its text
    else:
        bare = _bare(line, bounds, sums, list(map(sub, at[1:], at[:-1])))
        ends = list(map(add, at[:-1], bare))
    last = len(ends)
    room = max(1, width)
    rest = max(1, width - hang)
    found = []
    first = 0  # the piece the line starts with
    while True:
        # the first piece that ends (without its blanks) beyond the line's room
        n = bisect_right(ends, at[first] + room, first)
        if n >= last:
            break
        if n == first or ends[n] - at[n] > rest:  # no piece fits, or the next fits no line
            return None
        found.append((bounds[first], bounds[n], _bare_width(line, bounds[first], bounds[n], sums)))
        first = n
        room = rest
    found.append((bounds[first], len(line), _bare_width(line, bounds[first], len(line), sums)))
    return found


def _bare_width(line: str, start: int, end: int, sums: Sequence[int]) -> int:
    """The width of `line[start:end]` without its trailing blanks."""
    return sums[start + len(line[start:end].rstrip())] - sums[start]


class Wrapped:
    """A table cell (rich renderable) that wraps its text the Chinese way.

    `offsets` fixes where it may break (a unit list); otherwise `breaks` finds the places,
    keeping `words` whole. Continuation lines are indented by `hang` cells. A `shared`
    cell (one object in many rows) keeps its lines at the width it was last cut to.
    """

    # A county's table has a cell for every row: without a dict each, 1 MB less at 20,000.
    __slots__ = (
        "_found",
        "_known",
        "_laid",
        "_measured",
        "_offsets",
        "_pieces",
        "_style",
        "_text",
        "_words",
        "hang",
        "plain",
        "shared",
    )

    def __init__(
        self,
        text: Text | str,
        *,
        words: Sequence[str] = (),
        offsets: Sequence[int] | None = None,
        hang: int = 0,
        style: str = "",
        shared: bool = False,
    ) -> None:
        if isinstance(text, str):
            #: The text as a rich Text of it holds it (control codes stripped), made only
            #: when asked for: a county's table has 20,000 titles, which printed without
            #: colour need only their text (a Text of a title is ~3 us, most of it that strip).
            self.plain = text if text.isprintable() else strip_control_codes(text)
            self._text: Text | None = None
        else:
            self.plain = text.plain
            self._text = text
        self._style = style
        self.hang = hang
        #: A cell many rows show (a list of units): its lines at the last width are kept.
        self.shared = shared
        self._pieces: list[list[tuple[int, int, str]]] | None = None
        self._measured: tuple[int, int] | None = None
        self._laid: tuple[int, list[tuple[int, int, bool, int | None]]] | None = None
        self._words = words
        self._offsets = offsets
        self._found: list[tuple[int, int, list[int]]] | None = None
        #: The layout memory last asked (`Memory`) and its entry for this cell.
        self._known: tuple[Memory | None, Entry | None] | None = None

    @property
    def text(self) -> Text:
        """The cell's text as rich's Text (made once asked for, of one style)."""
        if self._text is None:
            from rich.text import Text

            self._text = Text(self.plain, style=self._style)
        return self._text

    @property
    def spans(self) -> bool:
        """Whether parts of the text have styles of their own (then only rich lays it out)."""
        return self._text is not None and bool(self._text.spans)

    def _remembered(self) -> Entry | None:
        """This cell's entry in the layout memory in use (`remembering`), made when missing;
        None when no memory is in use, or for a cell whose breaks are given (a unit list:
        `offsets`, cheap to lay out). A cell kept from one command to the next (a process
        that runs several, as the tests do) asks the memory of each."""
        memory = _MEMORY[0]
        known = self._known
        if known is None or known[0] is not memory:
            entry = None
            if memory is not None and self._offsets is None:
                entry = memory.entry(self._words, self.plain, self.hang)
            self._known = known = (memory, entry)
        return known[1]

    def _learnt(self, entry: Entry) -> None:
        """Tell the memory in use this cell's entry has changed."""
        memory = _MEMORY[0]
        if memory is not None:
            memory.learnt(self._words, self.plain, self.hang, entry)

    @property
    def _lines(self) -> list[tuple[int, int, list[int]]]:
        """Each line of the text: its start, its end and where it may break (found when first
        asked: a line of the reminder that fits is never cut, so its breaks are not sought)."""
        if self._found is None:
            offsets = self._offsets
            self._found = []
            start = 0
            for line in self.plain.split("\n"):
                if offsets is None:
                    found = breaks(line, self._words)
                else:
                    found = [o - start for o in offsets if start < o < start + len(line)]
                self._found.append((start, start + len(line), found))
                start += len(line) + 1
        return self._found

    def _spans(self) -> list[tuple[int, int]]:
        """Each line's start and end (without seeking its breaks)."""
        if self._found is not None:
            return [(start, end) for start, end, _ in self._found]
        found = []
        start = 0
        for line in self.plain.split("\n"):
            found.append((start, start + len(line)))
            start += len(line) + 1
        return found

    def _fits(self, width: int) -> bool:
        """Whether every line is at most `width` cells (what `_widths` says of the widest),
        measured without its breaks when they are not known yet: a line cut by `breaks`
        ends in a piece that is blank only when the line is, so it is as wide as its text
        without its trailing blanks (when widths add up, as `_sums` tells)."""
        if self._measured is not None or self._found is not None or self._offsets is not None:
            return self._widths()[1] <= width
        known = self._remembered()
        if known is not None and known.measure is not None:
            return self._widths()[1] <= width
        for line in self.plain.split("\n"):
            sums = _sums(line)
            if sums is None:
                return self._widths()[1] <= width
            if sums[len(line.rstrip())] > width:
                return False
        return True

    def pieces(self) -> list[list[tuple[int, int, str]]]:
        """Per line of the text, each piece: its width without and with its trailing blanks,
        and its text. (Kept once asked for, as the table's sharing of its room asks again
        and again of a few rows; measuring and laying out a cell do not keep them: a
        county's cells would hold a million pieces.)"""
        if self._pieces is None:
            self._pieces = self._cut()
        return self._pieces

    def _cut(self) -> list[list[tuple[int, int, str]]]:
        if self._pieces is not None:
            return self._pieces
        plain = self.plain
        return [_pieces(plain[start:end], offsets) for start, end, offsets in self._lines]

    def _widths(self) -> tuple[int, int]:
        """The widest piece (with the hang, when the text can be cut) and the widest line:
        what the pieces' widths add up to, without making the pieces of a line that has no
        blanks (a title, a list of units), whose pieces are as wide as they are long."""
        if self._measured is not None:
            return self._measured
        known = self._remembered()
        if known is not None and known.measure is not None:
            self._measured = known.measure
            return known.measure
        widest_piece = widest_line = 0
        plain = self.plain
        for start, end, offsets in self._lines:
            line = plain[start:end]
            piece, whole = _measured(line, offsets)
            widest_piece = max(widest_piece, piece)
            widest_line = max(widest_line, whole)
        self._measured = (
            widest_piece + (self.hang if widest_piece < widest_line else 0),
            widest_line,
        )
        if known is not None:
            known.keep(self._measured, None)
            self._learnt(known)
        return self._measured

    def count(self, width: int) -> int:
        """How many lines the text takes at `width`: what `lines` gives."""
        if self._fits(width):  # every line fits as it is
            return len(self._lines)
        return sum(len(layout(line, width, self.hang)) for line in self.pieces())

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        low, high = self._widths()
        return Measurement(min(low, high), high).clamp(max_width=options.max_width)

    def _bounds(self, width: int) -> list[tuple[int, int, bool, int | None]]:
        """Each line at `width`: its start and end in the text, whether it continues a line
        of the text (so hangs), and how wide it is without its trailing blanks and its hang
        (None: not known, as when a line of the text fits as it is)."""
        if self._laid is not None and self._laid[0] == width:  # a cell shared by rows
            return self._laid[1]
        known = self._remembered()
        if known is not None:
            remembered = known.lines(width)
            if remembered is not None:
                return remembered  # type: ignore[return-value]
        found: list[tuple[int, int, bool, int | None]]
        if self._fits(width):  # every line fits as it is
            found = [(start, end, False, None) for start, end in self._spans()]
        else:
            found = []
            plain = self.plain
            pieces = self._pieces
            for n, (start, end, offsets) in enumerate(self._lines):
                line = plain[start:end]
                laid: list[tuple[int, int, int | None]] | None = None
                if pieces is None:
                    laid = _laid(line, offsets, width, self.hang)  # type: ignore[assignment]
                if laid is None:  # the pieces' way: a piece folded, or widths that do not add up
                    cut = pieces[n] if pieces is not None else _pieces(line, offsets)
                    laid = [(a, b, None) for a, b in layout(cut, width, self.hang)]
                for k, (left, right, size) in enumerate(laid):
                    found.append((start + left, start + right, k > 0, size))
        if known is not None:
            # each line's width worked out once, to be remembered (`sized_lines` would, each time)
            plain = self.plain
            found = [
                (a, b, hangs, cells(plain[a:b].rstrip()) if size is None else size)
                for a, b, hangs, size in found
            ]
            known.keep(known.measure, (width, found))  # type: ignore[arg-type]
            self._learnt(known)
        if self.shared:
            self._laid = (width, found)
        elif self._pieces is None:  # laid out once, as a row is printed: its breaks let go
            self._found = None
        return found

    def plain_lines(self, width: int) -> list[str]:
        """The text of each of `lines`: what a terminal without colour shows."""
        return [line for line, _ in self.sized_lines(width)]

    def sized_lines(self, width: int) -> list[tuple[str, int]]:
        """Each of `plain_lines` and its width in cells (`cells` of it), from the widths the
        layout added up when it has them."""
        plain = self.plain
        indent = " " * self.hang
        found = []
        for start, end, hangs, size in self._bounds(width):
            line = (indent if hangs else "") + plain[start:end].rstrip()
            found.append(
                (line, cells(line) if size is None else size + (self.hang if hangs else 0))
            )
        return found

    def lines(self, width: int) -> list[Text]:
        """The text cut into lines of at most `width` cells, trailing blanks stripped."""
        from rich.text import Text

        plain = self.plain
        text = self._text
        style = self._style if text is None else text.style
        found: list[Text] = []
        for start, end, hangs, _ in self._bounds(width):
            if text is not None and text.spans:
                line = text[start:end]
                line.rstrip()
            else:  # the usual cell, one style: no need to divide its spans
                line = Text(plain[start:end].rstrip(), style=style, end="")
            if hangs and self.hang:
                line = Text(" " * self.hang, end="") + line
            found.append(line)
        return found

    def rendered(self, console: Console, width: int) -> list[list[Segment]]:
        """The segments of each line at `width` (what a table pads to its column)."""
        return [list(line.render(console)) for line in self.lines(width)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        # Already cut to width: rendered line by line, rich does not measure or cut it again.
        new_line = Segment.line()
        for line in self.rendered(console, options.max_width):
            yield from line
            yield new_line


# -- layouts remembered from one command to the next ------------------------------------------


class Memory:
    """What earlier commands worked out of cells whose breaks are sought (titles, notes):
    each one's measure and its lines at the last few widths it was laid out at, per list of
    `words` (a plan's units) and per text and hang. Finding a title's breaks, measuring it
    and laying it out are most of what a county's `list --all` costs, the same each time: a
    cell that finds itself here is neither cut nor measured nor laid out again.

    A layout depends on the cell's text, words and hang, the width, this module's code and
    the widths rich gives characters (`dependencies`). `load` is asked for a list of words'
    entries (`Kept`) the first time more than `FEW` cells of it are seen (None: nothing
    kept); `changed` says which lists `learnt` something since, for the cache to keep them.
    Each entry is kept packed (`_packed`): a county's 20,000 titles are 5 MB so, not 18."""

    #: How many cells of a list of words are laid out as they always were before the memory
    #: of that list is loaded (a county's is a megabyte: ~10 ms, what 150 titles cost).
    FEW = 150

    def __init__(
        self, load: Callable[[tuple[str, ...]], Kept | None], stamp: str, kind: str = ""
    ) -> None:
        self._load = load
        #: The `dependencies` the entries were worked out under.
        self.stamp = stamp
        #: What kind of view its cells are shown in (what the cache keeps it apart by).
        self.kind = kind
        self.known: dict[tuple[str, ...], Kept] = {}
        self.changed: set[tuple[str, ...]] = set()
        #: Per list of words not loaded yet, how many cells asked.
        self._asked: dict[tuple[str, ...], int] = {}
        self._last: tuple[object, tuple[str, ...], Kept | None] = (None, (), None)

    def _kept(self, words: Sequence[str]) -> Kept | None:
        """The entries of `words`, loaded once more than `FEW` cells asked; else None."""
        last = self._last
        kept = last[2] if last[0] is words else None  # the cells of a table share their words
        if kept is None:
            key = last[1] if last[0] is words else tuple(words)
            kept = self.known.get(key)
            if kept is None:
                asked = self._asked[key] = self._asked.get(key, 0) + 1
                if asked <= self.FEW:
                    self._last = (words, key, None)
                    return None
                kept = self.known[key] = self._load(key) or Kept({}, set())
            self._last = (words, key, kept)
        return kept

    def entry(self, words: Sequence[str], text: str, hang: int) -> Entry | None:
        """A cell's entry (empty when nothing is known of it); None for the first `FEW`
        cells of a list of words: a table of a few rows is laid out faster than a county's
        memory is loaded."""
        kept = self._kept(words)
        if kept is None:
            return None
        key = f"{hang}:{text}"
        kept.used.add(key)
        packed = kept.entries.get(key)
        found = _unpacked(packed) if packed is not None else None
        if found is None:  # nothing known, or a damaged entry: anew
            return Entry(None, _EMPTY)
        return Entry(found[0], packed)  # type: ignore[arg-type]

    def learnt(self, words: Sequence[str], text: str, hang: int, entry: Entry) -> None:
        """A cell's entry has changed (it was measured or laid out anew)."""
        kept = self._kept(words)
        if kept is not None:
            kept.entries[f"{hang}:{text}"] = entry.packed
            last = self._last
            self.changed.add(last[1] if last[0] is words else tuple(words))

    @staticmethod
    def dependencies() -> str | None:
        """What entries depend on besides the cells: this module's code (its bytes), rich's
        widths of characters (its installed files, rewritten by any install of rich, and the
        Unicode version it is told to use) and the interpreter's Unicode tables; None when
        that cannot be told."""
        import os
        import zlib
        from pathlib import Path

        import rich
        import rich.cells

        try:
            code = zlib.crc32(Path(__file__).read_bytes())
            installed = [os.stat(m.__file__ or "") for m in (rich, rich.cells)]
        except OSError:
            return None
        rich_files = ",".join(f"{i.st_size}:{i.st_mtime_ns}" for i in installed)
        # rich picks its table of widths by this variable (rich/_unicode_data)
        tables = os.environ.get("UNICODE_VERSION", "")
        return f"{code:08x}|{rich_files}|{tables}|{sys.version}"


class Entry:
    """What a memory knows of one cell: its measure (None: not known) and its lines at the
    last few widths, packed (`_packed`, checked by `_unpacked` when the entry was made): each
    of a county's 20,000 cells holds it from measuring to printing, so it is not unpacked
    beyond its measure until a width is asked for."""

    __slots__ = ("measure", "packed")

    def __init__(self, measure: tuple[int, int] | None, packed: bytes) -> None:
        self.measure = measure
        self.packed = packed

    def lines(self, width: int) -> list[tuple[int, int, bool, int]] | None:
        """The lines at `width`, or None (only they are unpacked: a cell of a county's
        table asks for one width once)."""
        return _lines_at(self.packed, width)

    def keep(
        self,
        measure: tuple[int, int] | None,
        laid: tuple[int, list[tuple[int, int, bool, int]]] | None,
    ) -> None:
        """Now with `measure`, and `laid` (a width and its lines) with the last widths."""
        found = _unpacked(self.packed)
        widths: dict[int, list[tuple[int, int, bool, int]]] = found[1] if found else {}
        if laid is not None:
            width, lines = laid
            if len(widths) >= _WIDTHS_KEPT and width not in widths:  # the oldest goes
                del widths[next(iter(widths))]
            widths[width] = lines
        self.measure = measure
        self.packed = _packed([measure, widths])


class Kept(NamedTuple):
    """A list of words' entries ("hang:text" -> the entry `_packed`), and which of them this
    command used."""

    entries: dict[str, bytes]
    used: set[str]

    def trimmed(self, most: int) -> dict[str, bytes]:
        """At most `most` entries when there are more: those this command used, then the
        latest others (a dict keeps the order they were first kept in)."""
        if len(self.entries) <= most:
            return self.entries
        used = self.used
        found = {key: packed for key, packed in self.entries.items() if key in used}
        others = [key for key in self.entries if key not in used]
        for key in others[max(0, len(others) - (most - len(found))) :]:
            found[key] = self.entries[key]
        return found


def _packed(entry: list[Any]) -> bytes:
    """An entry as 32-bit numbers: its measure (-1 -1 when not known), then per width the
    width, how many lines, and each line's start, end, whether it continues a line, width."""
    measure, laid = entry
    numbers = array("i", measure if measure is not None else (-1, -1))
    for width, lines in laid.items():
        numbers.extend((width, len(lines)))
        for start, end, continues, size in lines:
            numbers.extend((start, end, 1 if continues else 0, size))
    return numbers.tobytes()


#: The entry of a cell nothing is known of.
_EMPTY = _packed([None, {}])


def _unpacked(packed: object) -> list[Any] | None:
    """The entry `_packed` made; None when these are not such bytes (a damaged or forged
    file: the cell is worked out anew)."""
    numbers = _numbers(packed)
    if numbers is None:
        return None
    lo, hi = numbers[0], numbers[1]
    if lo == hi == -1:
        measure = None
    elif lo < 0 or hi < 0:
        return None
    else:
        measure = (lo, hi)
    places = _places(numbers)
    if places is None:
        return None
    laid: dict[int, list[tuple[int, int, bool, int]]] = {}
    for width, (at, count) in places.items():
        lines = _read_lines(numbers, at, count)
        if lines is None:
            return None
        laid[width] = lines
    return [measure, laid]


def _lines_at(packed: object, width: int) -> list[tuple[int, int, bool, int]] | None:
    """The lines at `width` of an entry `_packed` made, as `_unpacked` gives them (None when
    it has none at that width or is not such bytes), without reading its other lines."""
    numbers = _numbers(packed)
    places = _places(numbers) if numbers is not None else None
    if numbers is None or places is None or width not in places:
        return None
    return _read_lines(numbers, *places[width])


def _numbers(packed: object) -> list[int] | None:
    """An entry's 32-bit numbers, as a list (read faster than the array); None for what
    cannot be an entry's bytes."""
    if type(packed) is not bytes or len(packed) % 4 or len(packed) < 8:
        return None
    return array("i", packed).tolist()


def _places(numbers: list[int]) -> dict[int, tuple[int, int]] | None:
    """Where each width's lines are in an entry's numbers and how many (width -> (place,
    count)); None when they do not add up to the whole."""
    places: dict[int, tuple[int, int]] = {}
    at, end = 2, len(numbers)
    while at < end:
        if at + 2 > end:
            return None
        width, count = numbers[at], numbers[at + 1]
        at += 2
        if count < 0 or at + 4 * count > end or width in places or len(places) >= _WIDTHS_KEPT:
            return None  # a forged entry of many widths would be unpacked, and kept, each run
        places[width] = (at, count)
        at += 4 * count
    return places


def _read_lines(numbers: list[int], at: int, count: int) -> list[tuple[int, int, bool, int]] | None:
    """The `count` lines from `at` (start, end, whether it continues a line, width); None
    when one is no line."""
    lines = []
    for k in range(at, at + 4 * count, 4):
        start, stop, continues, size = numbers[k], numbers[k + 1], numbers[k + 2], numbers[k + 3]
        if not 0 <= start <= stop or size < 0 or continues not in (0, 1):
            return None
        lines.append((start, stop, continues == 1, size))
    return lines


#: How many widths a cell's lines are remembered at (commands lay out a title at their own).
_WIDTHS_KEPT = 4

#: The memory cells consult (`remembering`); None: every cell worked out anew.
_MEMORY: list[Memory | None] = [None]


@contextmanager
def remembering(memory: Memory | None) -> Iterator[None]:
    """Cells made and printed inside consult `memory` (see `Memory`)."""
    before = _MEMORY[0]
    _MEMORY[0] = memory
    try:
        yield
    finally:
        _MEMORY[0] = before


class Block(str):
    """Whole lines printed without colour, each ending in its newline, none wider than `width`
    cells (a table's lines, each cell padded to its column; a reminder's lines, measured as
    they were made): a file or a pipe gets them as they are, without measuring each line
    again to crop it (`present.streamed`). None: a line's width is not known."""

    width: int | None

    def __new__(cls, text: str, width: int | None) -> Block:
        made = super().__new__(cls, text)
        made.width = width
        return made


class Indented:
    """Wrapped cells one under another, each `indent` cells in: what a Padding (0, 0, 0,
    indent) around each prints, without a nested render of each (a county's reminder lists
    thousands of blocked items, one a line)."""

    def __init__(self, cells: Sequence[Wrapped], indent: int) -> None:
        self.cells = cells
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.padding import Padding
        from rich.segment import Segment

        width = options.max_width - self.indent
        if width < 1:  # no room: as Padding has it
            for each in self.cells:
                yield Padding(each, (0, 0, 0, self.indent))
            return
        left = Segment(" " * self.indent)
        new_line = Segment.line()
        escape = getattr(console, "segment_text", None)  # measured as shown, as Padding does
        # Without colour codes, and not recorded, a style changes no byte: a line is one segment.
        plain = console.color_system is None and not console.record
        for each in self.cells:
            changed = escape is not None and escape(each.plain) != each.plain
            if plain and not each.spans:
                shown = self._plain(each, width, escape if changed else None)
                if shown is not None:
                    yield Segment(Block(shown, options.max_width))
                    continue
            for line in each.rendered(console, width):
                if changed and escape is not None:
                    line = [s if s.control else Segment(escape(s.text), s.style) for s in line]
                size = sum(cells(segment.text) for segment in line)
                if size > width:  # cut to the width, as rich cuts a line too long
                    line = Segment.adjust_line_length(line, width)
                if plain and not any(segment.control for segment in line):
                    text = "".join([segment.text for segment in line])
                    yield Segment(f"{left.text}{text}{' ' * (width - size)}\n")
                    continue
                yield left
                yield from line
                if size < width:
                    yield Segment(" " * (width - size))
                yield new_line

    def plain(self, console: Console, width: int) -> str | None:
        """The lines a console without colour prints of these cells at `width` (the width
        the cells are indented in), each padded to it; None when a cell's lines are not known
        to be plain text that fits (it is then printed the segments' way)."""
        room = width - self.indent
        if room < 1 or console.color_system is not None or console.record:
            return None
        escape = getattr(console, "segment_text", None)
        found = []
        for each in self.cells:
            if each.spans:
                return None
            changed = escape is not None and escape(each.plain) != each.plain
            shown = self._plain(each, room, escape if changed else None)
            if shown is None:
                return None
            found.append(shown)
        return "".join(found)

    def _plain(self, cell: Wrapped, width: int, escape: Callable[[str], str] | None) -> str | None:
        """The cell's lines as a file gets them (no colour): the text of the segments of
        `Wrapped.rendered`, which for a cell of one style are its `plain_lines` (the hang's
        blanks and the line, whose widths add up); None when a line is too wide (rich cuts it:
        the segments' way)."""
        found = []
        left = " " * self.indent
        for line, size in cell.sized_lines(width):
            if escape is not None:
                line = escape(line)
                size = cells(line)
            if size > width:
                return None
            found.append(f"{left}{line}{' ' * (width - size)}\n")
        return "".join(found)


class FittedTable(Table):
    """A table whose wrapping columns (those with a ratio) are sized when it is printed: each
    gets at least its widest piece, then the room left by ratio, never more than it needs.
    Rich's own sharing by ratio ignores what a column's cells can be cut to, and pads the
    table out to the terminal's width."""

    _ratios: dict[int, int] | None = None
    #: False: every cell rendered by rich's Table (what the bulk rows are held to in tests).
    bulk = True

    def _fit(self, console: Console, options: ConsoleOptions) -> None:
        if self._ratios is None:
            self._ratios = {n: c.ratio for n, c in enumerate(self.columns) if c.ratio}
            self.expand = False  # sized here, to what the cells need
        ratios = self._ratios
        if not ratios:
            return
        for n, ratio in ratios.items():
            self.columns[n].ratio, self.columns[n].width = ratio, None
        width = options.max_width - self._extra_width
        ranges = [
            self._measure_column(console, options.update_width(width), column)
            for column in self.columns
        ]
        room = width - sum(r.maximum for n, r in enumerate(ranges) if n not in ratios)
        lows = {n: min(ranges[n].minimum, ranges[n].maximum) for n in ratios}
        highs = {n: ranges[n].maximum for n in ratios}
        sizes = _share(room, lows, highs, ratios)
        if len(ratios) == 2 and sum(lows.values()) <= room < sum(highs.values()):
            sizes = self._balance(room, lows, highs, sizes)
        for n, size in sizes.items():
            column = self.columns[n]
            column.ratio = None
            column.width = max(1, size - self._get_padding_width(n))

    def _balance(
        self, room: int, lows: dict[int, int], highs: dict[int, int], shared: dict[int, int]
    ) -> dict[int, int]:
        """Two wrapping columns: the split of `room` that makes the rows fewest lines in all
        (a title and its units side by side), nearest the ratio's split among equals."""
        first, second = sorted(lows)
        rows = list(zip(self.columns[first].cells, self.columns[second].cells, strict=True))
        if len(rows) > _SAMPLE:  # evenly spread rows stand for a long table
            rows = rows[:: -(-len(rows) // _SAMPLE)]
        pad_a, pad_b = self._get_padding_width(first), self._get_padding_width(second)
        best: tuple[int, int, int, int] | None = None
        for size_a in range(lows[first], min(highs[first], room - lows[second]) + 1):
            size_b = min(highs[second], room - size_a)
            counts = [(_count(a, size_a - pad_a), _count(b, size_b - pad_b)) for a, b in rows]
            # fewest lines in all, then fewest cut cells (a short note on one line, not three)
            key = (
                sum(max(pair) for pair in counts),
                sum(sum(pair) for pair in counts),
                abs(size_a - shared[first]),
                size_a,
            )
            if best is None or key < best:
                best = key
        if best is None:
            return shared
        size_a = best[3]
        return {first: size_a, second: min(highs[second], room - size_a)}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self._fit(console, options)
        self._room = options.max_width  # where its lines are cut: rich renders it narrower
        yield from super().__rich_console__(console, options)

    def _measure_column(
        self, console: Console, options: ConsoleOptions, column: Column
    ) -> Measurement:
        """Rich's measure of the column, with each Wrapped cell of the same two widths asked
        once: its measure depends on those alone, and a column's is the widest of its cells'
        (a county's 5,000 titles have a few dozen)."""
        from dataclasses import replace

        if not self.bulk or column.width is not None:
            return super()._measure_column(console, options, column)
        seen: dict[object, Any] = {}
        for cell in column.cells:
            key = (Wrapped, cell._widths()) if isinstance(cell, Wrapped) else (None, id(cell))
            seen.setdefault(key, cell)
        if len(seen) == len(column._cells):
            return super()._measure_column(console, options, column)
        return super()._measure_column(console, options, replace(column, _cells=[*seen.values()]))

    def _render(self, console: Console, options: ConsoleOptions, widths: list[int]) -> RenderResult:
        """The borders and rows: in bulk (`bulk.py`) when it can, else cell by cell by rich."""
        from xixin_cli.bulk import body, can_print

        if self.bulk and can_print(self):
            return body(self, console, options, widths, getattr(self, "_room", options.max_width))
        return super()._render(console, options, widths)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        self._fit(console, options)
        return super().__rich_measure__(console, options)


def _count(cell: object, width: int) -> int:
    if isinstance(cell, Wrapped):
        return cell.count(max(1, width))
    return 1


def _share(
    room: int, lows: dict[int, int], highs: dict[int, int], ratios: dict[int, int]
) -> dict[int, int]:
    """`room` shared by ratio: each column at least its low, at most its high, when it can."""
    sizes = dict(lows)
    left = room - sum(sizes.values())
    while left < 0:  # the widest pieces do not all fit: the widest column gives way first
        widest = max(sizes, key=lambda n: (sizes[n], -n))
        others = [size for n, size in sizes.items() if n != widest]
        floor = max(1, max(others, default=1))
        if sizes[widest] <= floor:  # all as narrow as each other: each gives one in turn
            if all(size <= 1 for size in sizes.values()):
                return sizes
            floor = sizes[widest] - 1
        cut = min(sizes[widest] - floor, -left)
        sizes[widest] -= cut
        left += cut
    hungry = {n for n in ratios if sizes[n] < highs[n]}
    while left > 0 and hungry:
        weight = sum(ratios[n] for n in hungry)
        given = 0
        for n in sorted(hungry):
            share = min(max(1, left * ratios[n] // weight), highs[n] - sizes[n], left - given)
            sizes[n] += share
            given += share
        left -= given
        hungry = {n for n in hungry if sizes[n] < highs[n]}
        if not given:
            break
    return sizes
