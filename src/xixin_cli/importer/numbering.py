"""The numbering tree: official numbering (第一条 一、 （一） 1. 1、 （1） ① …) as a tree.

Lines are first cleaned as copy-paste from a PDF or Word leaves them: page numbers dropped, a
number standing alone joined to its text, and a line broken inside a bracket or a sentence
joined to the next. The tree nests numbering kinds in the order a document uses them, so a
plan numbered 一、 then 1. is read as well as one numbered 一、 （一） 1. （1）.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_CN_NUM = "〇一二三四五六七八九十百零两"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (kind, pattern): the number is group 1, the text group 2.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(r"^第([一二三四五六七八九十百零〇\d]+)(?:章|部分|篇)\s*(.*)$")),
    ("article", re.compile(r"^第([一二三四五六七八九十百零〇\d]+)条\s*(.*)$")),
    # 「第一阶段：宣传发动（2024年3月）」: a phase numbered in words
    ("stage", re.compile(r"^第([一二三四五六七八九十]{1,3})(?:阶段|步)\s*[:：，,、.．]?\s*(.*)$")),
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．，,]\s*(.*)$")),
    ("pcn", re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、.．]?\s*(.*)$")),
    ("num", re.compile(r"^(\d{1,2})\s*(?:[.．、，]|\s+(?=[\u4e00-\u9fff“《]))\s*(.*)$")),
    ("pnum", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*(.*)$")),
    ("rnum", re.compile(r"^(\d{1,2})\s*[）)]\s*(.*)$")),
    ("circ", re.compile(r"^([" + _CIRCLED + r"])\s*[、.．]?\s*(.*)$")),
]

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―\s]*\d{1,3}[-—–－―\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|"
    r"\d{1,3}\s*/\s*\d{1,3}|[-—–－]\s*\d{1,3}\s*[-—–－])$"
)
_CONTENTS = re.compile(r"(?:[.…·．]{3,}|…{2,})\s*\d{1,3}$")
_ENDS_SENTENCE = tuple("。！？；：:;!?”」』》）)〕】")
_CONTINUES = tuple("、，,—–-（(〔【《“和及与")


@dataclass
class Line:
    """A line of the document (joined where it was broken), with the number of its first line."""

    number: int
    text: str


@dataclass
class Node:
    """A numbered piece of the document: its marker, heading text and what follows it."""

    kind: str
    ordinal: int
    text: str  # the line the number stands on, after the number
    line: int
    body: list[Line] = field(default_factory=list)  # unnumbered lines after it
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    @property
    def full_text(self) -> str:
        """Its heading line and its unnumbered lines, as one text; a heading that ends without
        a stop gets one, so that 「一、工作目标」 and its first sentence stay apart."""
        head = self.text
        if self.body and head and not head.endswith(_ENDS_SENTENCE):
            head += "。"
        return "\n".join([head, *(line.text for line in self.body)])

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out += child.walk()
        return out

    def ancestors(self) -> list[Node]:
        out: list[Node] = []
        node = self.parent
        while node is not None and node.kind != "root":
            out.append(node)
            node = node.parent
        return out


def ordinal(value: str) -> int:
    """The number of 一 二 … 九十九 (and on past 一百, 一百零五), 12, ①."""
    if value in _CIRCLED:
        return _CIRCLED.index(value) + 1
    if value.isdigit():
        return int(value)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
    if "百" in value:
        hundreds, _, rest = value.partition("百")
        rest = rest.removeprefix("零")  # 一百零五: the 零 only holds the tens' place
        return (digits.get(hundreds, 1) if hundreds else 1) * 100 + (ordinal(rest) if rest else 0)
    if "十" in value:
        tens, _, units = value.partition("十")
        return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)
    return digits.get(value, 0)


def marker(text: str) -> tuple[str, int, str] | None:
    """(kind, number, text after it) when the line starts with a number."""
    for kind, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            return kind, ordinal(match.group(1)), match.group(2)
    return None


def clean_lines(raw: list[str]) -> list[Line]:
    """The document's lines, stripped, page numbers dropped, broken lines joined."""
    lines = [(n, text.strip().replace("\u3000", " ").strip()) for n, text in enumerate(raw, 1)]
    # page numbers and the lines of a table of contents (「一、总体要求……1」) are not text
    lines = [(n, t) for n, t in lines if not _PAGE_NUMBER.match(t) and not _CONTENTS.search(t)]
    width = _wrap_width([t for _, t in lines])
    out: list[Line] = []
    for number, text in lines:
        if not text:
            if out and out[-1].text and _bare_marker(out[-1].text):
                continue  # 「一、」 then a blank, then its text
            out.append(Line(number, ""))
            continue
        previous = _last_text(out)
        if previous is not None and _joins(previous.text, text, width):
            previous.text += text
            while out and out[-1] is not previous:
                out.pop()  # the blank lines between the two halves
            continue
        out.append(Line(number, text))
    return out


_FIGURE = re.compile(
    r"^(?:[\d.．,，%％/／\-—～~+＋*（）()㎡]+|\d{4}\s*年(?:\s*[-—～至]\s*\d{4}\s*年)?|[/／—\-]|"
    r"\d+(?:\.\d+)?\s*(?:个|座|公里|平方公里|公顷|亩|万㎡|km|MW|%))$"
)
_CAPTION = re.compile(r"^(?:附)?表\s*\d{1,2}(?:[-—.．]\d{1,2})?\s*\S")
_CELL_STOPS = re.compile(r"[。！？；;]")


def flattened_tables(lines: list[Line]) -> list[Line]:
    """The lines of tables that were copied into the text one cell a line: a run of short
    lines with no sentence in them, holding figures (「4.42」「25%」「2024年」) or opened by a
    caption (「表2 系统方案编制计划表」). They are no item's text."""
    out: list[Line] = []
    run: list[Line] = []

    def close() -> None:
        figures = sum(1 for line in run if _FIGURE.match(line.text))
        captioned = bool(run) and _CAPTION.match(run[0].text) is not None
        if (len(run) >= 4 and figures >= 2) or (captioned and len(run) >= 3 and figures >= 1):
            out.extend(run)
        run.clear()

    for line in lines:
        text = line.text
        if not text:
            continue
        cell = (
            len(text) <= 40
            and not _CELL_STOPS.search(text)
            and not text.endswith(("：", ":"))
            and (marker(text) is None or _FIGURE.match(text) is not None)
        )
        if cell and (run or _CAPTION.match(text) or _FIGURE.match(text) or len(text) <= 20):
            run.append(line)
            continue
        close()
    close()
    return out


def _last_text(lines: list[Line]) -> Line | None:
    """The last line with text, if at most one blank line follows it."""
    for blanks, line in enumerate(reversed(lines)):
        if line.text:
            return line if blanks <= 1 else None
    return None


def _bare_marker(text: str) -> bool:
    found = marker(text)
    return found is not None and not found[2].strip()


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "（(〔【《“") - sum(text.count(c) for c in "）)〕】》”")


def _joins(previous: str, text: str, width: int) -> bool:
    """Whether `text` continues the line before it rather than starting a new one."""
    if _bare_marker(previous):
        return True
    if marker(text) is not None:
        return False
    if 0 < _open_brackets(previous) <= 2 and len(previous) < 400:
        return True  # 「（一）动员部署阶段（2021年12月—」 then 「2022年9月）」
    if previous.endswith(_CONTINUES):
        return True
    # A hard-wrapped text (copied from a PDF): lines of one width, cut mid-sentence.
    return width > 0 and len(previous) >= width - 2 and not previous.endswith(_ENDS_SENTENCE)


def _wrap_width(texts: list[str]) -> int:
    """The width at which a hard-wrapped text was cut, or 0 when lines were not wrapped."""
    lengths = Counter(len(t) for t in texts if len(t) >= 15)
    if not lengths:
        return 0
    width, _ = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))
    near = sum(c for length, c in lengths.items() if width - 2 <= length <= width + 1)
    long_lines = sum(1 for t in texts if len(t) >= 15)
    return width if near >= max(5, long_lines * 0.3) else 0


def build_tree(lines: list[Line]) -> tuple[Node, list[Line]]:
    """(the root of the numbering tree, the lines before the first number)."""
    root = Node("root", 0, "", 0)
    preamble: list[Line] = []
    stack: list[Node] = [root]
    last_of_kind: dict[str, int] = {}
    for line in lines:
        if not line.text:
            continue
        found = marker(line.text)
        node = _place(found, stack, last_of_kind, line) if found else None
        if node is None:
            if len(stack) == 1:
                preamble.append(line)
            else:
                stack[-1].body.append(line)
            continue
        last_of_kind[node.kind] = node.ordinal
    return root, preamble


def _place(
    found: tuple[str, int, str], stack: list[Node], last: dict[str, int], line: Line
) -> Node | None:
    """Put a numbered line into the tree, or None when its number does not follow on."""
    kind, number, text = found
    kinds = [n.kind for n in stack]
    glued = re.match(r"^\d{1,2}\s*[.．、，]\d", line.text) is not None
    if glued and re.match(r"(?:1[0-2]|0?[1-9])\s*月(?!份?(?:以来|期间))", text):
        glued = False  # 「1.9月30日前，…」: step 1 opening with its day, never the figure 1.9
    if kind == "num" and glued and re.fullmatch(r"[\d.．%％\s]+", line.text):
        return None  # 「4.42」 alone on a line is a figure (a table's cell), never a number
    if kind == "num" and glued and number != last.get(kind, -1) + 1:
        # 「3.5亿元」 is a figure, 「11.121人才梯队项目」 item 11: a digit right after the dot
        # is numbering only where the number follows on from the one before.
        return None
    if kind in kinds:
        index = kinds.index(kind)
        sibling = stack[index]
        # 2. follows 1.; a number that does not follow on is text (「3.5亿元」 never gets here)
        if number not in (sibling.ordinal + 1, 1) and number != last.get(kind, 0) + 1:
            return None
        del stack[index:]
    elif number != 1 and kind in last and number != last[kind] + 1:
        # a kind seen before must follow on; the first of its kind may start anywhere (an
        # excerpt that opens at （二十四）)
        return None
    parent = stack[-1]
    node = Node(kind, number, text, line.number, parent=parent)
    parent.children.append(node)
    stack.append(node)
    return node
