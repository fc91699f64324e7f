"""Turn a read document (lines and tables) into plan items: the numbering tree gives the
structure, tags the units, date phrases the deadlines; whatever is not placed is reported."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from xixin_cli.importer.dates import (
    Deadline,
    Every,
    Window,
    cell_deadline,
    date_line,
    find_deadline,
    find_window,
    month_end,
)
from xixin_cli.importer.metadata import Metadata, read_metadata
from xixin_cli.importer.numbering import Line, Node, build_tree, clean_lines, flattened_tables
from xixin_cli.importer.sources import Source, table_lines
from xixin_cli.importer.tables import Row, Table, read_table
from xixin_cli.importer.tags import LEGEND, TIME_LABEL, Tag, brackets, find_tags
from xixin_cli.model import Phase

PLACEHOLDER_UNIT = "未明确责任单位"

#: Sections that set out the plan's reasons and aims and assign nothing: kept as notes.
_NOTES = re.compile(
    r"^(?:总体要求|指导思想|基本原则|工作原则|总体思路|总体目标|工作目标|主要目标|发展目标|创建目标|"
    r"目标任务|重要意义|目的意义|适用范围|编制依据|总体考虑|基本思路|建设目标|行动目标|"
    r"目标要求|工作思路|实施范围|实施原则|目标|原则|意义|依据|背景)"
)
_MEASURES = re.compile(r"保障|组织实施|工作要求|有关要求|其他事项|附则")
_TAGLIKE = re.compile(r"负责|牵头|配合|单位[:：]|部门[:：]|科室[:：]")
_TIME_LABEL = re.compile(r"(?:" + TIME_LABEL + r")\s*[:：]")
_SENTENCE = re.compile(r"(?<=[。！？])")
_CLOSING = re.compile(
    r"^(?:附件|附表|抄送|抄报|（此件|\(此件|（此页|\(此页|此件|主送|联系人|联系电话|.{0,30}印发$)"
)


@dataclass
class Unplaced:
    """A line the importer could not place, with what it made of it."""

    line: int
    text: str
    reason: str  # an `import.<reason>` message: no_unit, table, outside, unread_tag…


@dataclass
class SkippedTable:
    """A table that is not a task table: where it stands and its first cells."""

    index: int
    line: int  # the paragraph it follows (0 in a spreadsheet)
    sheet: str
    reason: str  # no_header, no_rows
    first: str


@dataclass
class Found:
    """What was found in a document, said when no item could be read from it."""

    lines: int
    numbered: int
    tables: int
    tags: int
    dates: int


@dataclass
class Item:
    id: str
    kind: str
    title: str
    text: str
    source: str
    line: int
    parent: str | None = None
    offices: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    offices_text: str = ""
    phase: str | None = None
    due: date | None = None
    due_basis: str = ""
    due_text: str = ""
    notes: list[str] = field(default_factory=list)
    every: Every | None = None  # how a recurring deadline recurs (due is its first occurrence)


@dataclass
class Result:
    meta: Metadata
    items: list[Item]
    phases: list[Phase]
    units: list[str]
    unplaced: list[Unplaced]
    skipped: list[SkippedTable]
    notes: list[tuple[int, str]]
    found: Found


@dataclass
class _Units:
    names: list[str]
    lead: list[str]
    words: str


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip(" 。；;，,")]


def _title(text: str) -> str:
    text = re.split(r"(?<=[。！？])", text.strip(), maxsplit=1)[0].strip().rstrip("。；;：:")
    return text if len(text) <= 40 else text[:39] + "…"


def _clause(text: str) -> str:
    # 「同时，X不定期组织…」: the title is the clause after the connective
    text = re.sub(r"^(?:同时|此外|另外|其中|并且|然后|最后)[，,]\s*", "", text.strip())
    return _title(re.split(r"[，。；]", text, maxsplit=1)[0])


def _cn(number: int) -> str:
    if number <= 10:
        return "〇一二三四五六七八九十"[number]
    tens, units = divmod(number, 10)
    digits = "〇一二三四五六七八九"
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def _source_of(node: Node) -> str:
    """The clause as a clerk cites it: 四（三）2."""
    parts = []
    for each in [*reversed(node.ancestors()), node]:
        if each.kind in ("cn", "chapter"):
            parts.append(_cn(each.ordinal))
        elif each.kind == "pcn":
            parts.append(f"（{_cn(each.ordinal)}）")
        elif each.kind == "article":
            parts.append(f"第{_cn(each.ordinal)}条")
        elif each.kind == "pnum":
            parts.append(f"（{each.ordinal}）")
        else:
            parts.append(str(each.ordinal))
    return "".join(parts)


class Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.items: list[Item] = []
        self.phases: list[Phase] = []
        self.units: list[str] = []
        self.unplaced: list[Unplaced] = []
        self.skipped: list[SkippedTable] = []
        self.notes: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        rows = table_lines(source)
        raw = ["" if n in rows else t for n, t in enumerate(source.lines, start=1)]
        self.lines = clean_lines(raw)
        _cut_attachment_list(self.lines)
        for line in flattened_tables(self.lines):  # a table copied one cell a line
            self.unplaced.append(Unplaced(line.number, line.text, "table_cells"))
            line.text = ""
        self.root, self.preamble = build_tree(self.lines)
        self._cut_closing()
        self.meta = read_metadata(self.lines, self.preamble)
        self.legend_from = self._legend_line()
        self.tag_count = 0
        self.date_count = 0

    # -- the whole document

    def build(self) -> Result:
        for section in self.root.children:
            self._section(section)
        for table in self.source.tables:
            self._table(table)
        windows = {p.key: p for p in self.phases}
        for item in self.items:  # a stated day outside the item's phase keeps the day
            phase = windows.get(item.phase or "")
            if phase and item.due and not phase.start <= item.due <= phase.end:
                item.phase = None
                item.notes.append(f"截止日不在{phase.name}时间内，按原文日期")
            if item.phase is None:
                self._no_phase_above(item)
        self._recur_past_the_phases()
        found = Found(
            len([line for line in self.lines if line.text]),
            len(self.root.walk()) - 1,
            len(self.source.tables),
            self.tag_count,
            self.date_count,
        )
        return Result(
            self.meta,
            self.items,
            self.phases,
            self.units,
            sorted(self.unplaced, key=lambda u: u.line),
            self.skipped,
            self.notes,
            found,
        )

    def _recur_past_the_phases(self) -> None:
        """A recurring item recurs until the plan's last phase ends (docs/plan-format.md); one
        whose first day falls after that (「每年3月底前」 in phases ending in February) would have
        no occurrence and the plan would not load: it recurs until its first day, said so."""
        end = max((p.end for p in self.phases), default=None)
        for item in self.items:
            if item.every is None or item.due is None or end is None or item.due <= end:
                continue
            item.every = replace(item.every, until=item.due)
            item.notes.append(f"各阶段于 {end} 结束，早于第一次截止日：只列第一次（{item.due}）")

    def _cut_closing(self) -> None:
        """The signature, date, 附件 and 抄送 lines after the last numbered piece: not its text."""
        node = self.root
        while node.children:
            node = node.children[-1]
        for index, line in enumerate(node.body):
            text = line.text
            if _CLOSING.match(text) or date_line(text) is not None:
                del node.body[index:]
                return
            if (
                index + 1 < len(node.body)
                and len(text) <= 30
                and not re.search(r"[。，；]", text)
                and date_line(node.body[index + 1].text) is not None
            ):
                del node.body[index:]  # 「国务院办公厅」 then 「2019年3月5日」
                return

    def _legend_line(self) -> int:
        """From which line the first unit of every list leads; a legend standing after the
        last tag (a note at the end) speaks for the whole document."""
        lines = [line for line in self.lines if line.text]
        legend = next((line.number for line in lines if LEGEND.search(line.text)), None)
        if legend is None:
            return 10**9
        tagged = [line.number for line in lines if find_tags(line.text)]
        return 0 if tagged and legend > max(tagged) else legend

    def _section(self, section: Node) -> None:
        if self._is_notes(section):
            self.notes.append((section.line, _title(section.text)))
            return
        assigns = self._assigns(section)
        measures = bool(_MEASURES.search(section.text[:12])) and not self._has_tag(section)
        if not assigns and not measures:
            self.notes.append((section.line, _title(section.text)))
            return
        kind = "measure" if measures or _MEASURES.search(section.text[:12]) else "task"
        self._node(section, self._unique(str(section.ordinal)), None, None, kind, top=True)

    def _is_notes(self, node: Node) -> bool:
        """指导思想, 基本原则, 工作目标…: notes, unless they name a unit or a deadline."""
        heading = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", node.text)
        return bool(_NOTES.match(heading)) and not self._assigns(node)

    def _has_tag(self, node: Node) -> bool:
        return any(find_tags(each.full_text) for each in node.walk())

    def _assigns(self, node: Node) -> bool:
        """Whether any piece names a unit (or tries to: an unread tag) or a deadline."""
        for each in node.walk():
            text = each.full_text
            if find_tags(text) or any(
                _TAGLIKE.search(text[s + 1 : e - 1]) and e - s < 60 for s, e in brackets(text)
            ):
                return True
            deadline = find_deadline(text, self.meta.issued)
            if deadline is not None and deadline.due is not None:
                return True
            if find_window(each.text) is not None:
                return True
        return False

    # -- numbered pieces

    def _node(
        self,
        node: Node,
        item_id: str,
        parent: Item | None,
        phase: Phase | None,
        kind: str,
        top: bool = False,
        heading_units: _Units | None = None,
    ) -> None:
        children = [c for c in node.children if not self._is_notes(c)]
        for child in node.children:
            if child not in children:
                self.notes.append((child.line, _title(child.text)))
        window = self._window(node)
        if window is not None:
            phase = self._phase(node, item_id, window)
            kind = "step"
        if not children:
            text = node.full_text
            if window is not None:  # a phase with no numbered steps: its text is one step
                body = "\n".join(line.text for line in node.body)
                if not body:  # 「（一）调查摸底阶段（2024年1月—3月）。全面摸清底数。」
                    after = node.text.split(window.words, 1)[-1].lstrip("）)：:，,。 ")
                    rest = "".join(_sentences(node.text)[1:])
                    body = after if window.words in node.text and after else rest
                if re.search(r"[\u4e00-\u9fff]", body):
                    step_id = self._unique(f"{item_id}.1")
                    self._leaf(node, step_id, parent, phase, kind, body, heading_units)
                return
            self._leaf(node, item_id, parent, phase, kind, text, heading_units)
            return
        if window is not None:  # a phase's own sentences, above its numbered steps, are a step
            body = "\n".join(line.text for line in node.body)
            after = node.text.split(window.words, 1)[-1].lstrip("）)：:，,。 ")
            own = "\n".join(t for t in (after if window.words in node.text else "", body) if t)
            if re.search(r"[\u4e00-\u9fff]{4}", own):
                self._leaf(
                    node, self._unique(f"{item_id}.0"), parent, phase, kind, own, heading_units
                )
        if not top:
            self._lift_closing_tag(node, children)
        # A tag or deadline on a heading speaks for the children that name none.
        own = node.full_text
        tags = find_tags(own)
        self._count(own)
        self._unread_tags(own, tags, node.line)
        units = self._units_of(tags, node.line) if tags else None
        inherited = units or heading_units
        task = parent
        if window is None and (not top or tags):
            task_kind = (
                kind if kind in ("measure", "step") else "task" if parent is None else "action"
            )
            task = self._item(node, item_id, parent, phase, task_kind, own, tags, inherited, False)
        for child in children:
            child_kind = (
                kind if kind in ("measure", "step") else "task" if task is None else "action"
            )
            self._node(
                child,
                self._unique(f"{item_id}.{child.ordinal}"),
                task,
                phase,
                child_kind,
                heading_units=inherited,
            )
        if task is not None and task is not parent:
            self._from_children(task)
            if task.offices == [PLACEHOLDER_UNIT] and not any(
                i.parent == task.id for i in self.items
            ):
                self.unplaced.append(Unplaced(task.line, task.title, "no_unit"))

    def _lift_closing_tag(self, node: Node, children: list[Node]) -> None:
        """A tag on a line of its own after a list whose items name no unit speaks for the
        whole list, as a tag on its heading would: it moves up to the heading."""
        last = children[-1]
        while last.children:
            last = last.children[-1]
        if len(children) < 2 or not last.body:
            return
        line = last.body[-1]
        tags = find_tags(line.text)
        if not tags or self._clean(line.text, tags).strip(" 。；;，,"):
            return  # not a line that is only a tag
        others = [n for c in children for n in c.walk()]
        if any(find_tags(n.full_text) for n in others if n is not last) or find_tags(last.text):
            return
        last.body.pop()
        node.body.append(line)

    def _leaf(
        self,
        node: Node,
        item_id: str,
        parent: Item | None,
        phase: Phase | None,
        kind: str,
        text: str,
        heading_units: _Units | None,
    ) -> None:
        """A numbered piece with no numbered children: one item, cut at its tags (a tag speaks
        for the sentences since the previous tag); a task paragraph with one tag is cut at its
        sentences instead, each one action."""
        tags = find_tags(text)
        self._count(text)
        self._unread_tags(text, tags, node.line)
        segments = self._segments(text, tags, node)
        if len(segments) <= 1:
            units = self._units_of(tags, node.line) if tags else heading_units
            item = self._item(node, item_id, parent, phase, kind, text, tags, units)
            if kind == "task":
                self._sentence_actions(item, text, tags, phase)
            return
        item = self._item(node, item_id, parent, phase, kind, text, tags, None, False)
        heading = segments[0][1] if self._is_heading(segments[0][0], node) else None
        title = _sentences(self._clean(text, tags))[:1]
        first = self._clean(segments[0][0], _made_of(segments[0][1], tags))
        if title and first.startswith(title[0]) and first != title[0]:
            # the title sentence is the item's own; the first stretch starts after it
            cut = segments[0][0].find(title[0][-1]) + 1
            segments[0] = (segments[0][0][cut:], segments[0][1])
        for index, (segment, tag) in enumerate(segments, start=1):
            if tag is not None:
                units = self._units_of([tag], node.line)
            elif heading is not None:
                units = self._units_of([heading], node.line)
            else:
                units = heading_units
            clean = self._clean(segment, _made_of(tag, tags))
            child = Item(
                self._unique(f"{item_id}.{index}"),
                "action" if kind in ("task", "action") else kind,
                _clause(clean),
                clean,
                item.source,
                node.line,
                parent=item.id,
                phase=item.phase,
            )
            self._assign(child, units)
            # a stretch takes its own deadline; the item's only when its title states it
            inherit = item if title and item.due_text and item.due_text in title[0] else None
            self._date(child, clean, phase, inherit)
            self.items.append(child)
        self._from_children(item)

    def _is_heading(self, segment: str, node: Node) -> bool:
        """A short title with its tag (「加强组织领导（牵头单位：X）。」) heads the paragraph."""
        bare = re.sub(r"[（(〔【].*?[）)〕】]", "", segment).strip(" 。；\n")
        short = len(bare) <= 30 and not re.search(r"[，,；;。！？]", bare)
        return short or (bool(node.body) and segment.strip() == node.text.strip())

    def _segments(self, text: str, tags: list[Tag], node: Node) -> list[tuple[str, Tag | None]]:
        """The text cut after each tag's sentence; what follows the last tag stands alone."""
        if not tags:
            return [(text, None)]
        if any(tag.whole for tag in tags):
            return [(text, next(tag for tag in tags if tag.whole))]
        out: list[tuple[str, Tag | None]] = []
        start = 0
        for tag in tags:
            end = self._boundary(text, tag)
            if end <= start:
                if out:  # two tags in one sentence speak together
                    out[-1] = (out[-1][0], _merge(out[-1][1], tag))
                continue
            stretch = text[start:end]
            if out and not re.search(r"[\u4e00-\u9fff]", self._clean(stretch, [tag])):
                out[-1] = (out[-1][0] + stretch, _merge(out[-1][1], tag))  # a tag alone
            else:
                out.append((stretch, tag))
            start = end
        rest = text[start:]
        if re.search(r"[\u4e00-\u9fff]{2}", self._clean(rest, [])):
            if len(out) == 1 and self._is_heading(out[0][0], node):
                return [(text, out[0][1])]  # a tag on the heading speaks for the paragraph
            out.append((rest, None))
        return out

    def _boundary(self, text: str, tag: Tag) -> int:
        """Where a tag's stretch of text ends: right after a tag that follows its sentence,
        else at the end of the sentence the tag stands in."""
        end = tag.end
        before = text[: tag.start].rstrip()
        if tag.inline:  # 「成立由X牵头，Y参与的推进机制，统筹…。」: the sentence it stands in
            match = re.compile(r"[。；;！？]").search(text, end)
            return match.end() if match else len(text)
        if before.endswith(("。", "；", ";", "！")) or not before:
            while end < len(text) and text[end] in "。；; ":
                end += 1
            return end
        match = re.compile(r"[。；;！？]").search(text, end)
        return match.end() if match else len(text)

    def _sentence_actions(
        self, item: Item, text: str, tags: list[Tag], phase: Phase | None
    ) -> None:
        """A task paragraph of several sentences: its first sentence is its title, every
        following sentence one action (the sentence is the document's unit of instruction)."""
        # 「完成时限：2024年4月底前。」 is the item's deadline, not an action of its own
        sentences = [
            s for s in _sentences(self._clean(text, tags)) if not re.match(_TIME_LABEL, s.strip())
        ]
        if len(sentences) < 2:
            return
        for index, sentence in enumerate(sentences[1:], start=1):
            child = Item(
                self._unique(f"{item.id}.{index}"),
                "action",
                _clause(sentence),
                sentence.strip(),
                item.source,
                item.line,
                parent=item.id,
                phase=item.phase,
            )
            child.offices, child.lead = item.offices, item.lead
            child.offices_text = item.offices_text
            self._date(child, sentence, phase, item)
            self.items.append(child)

    # -- one item

    def _item(
        self,
        node: Node,
        item_id: str,
        parent: Item | None,
        phase: Phase | None,
        kind: str,
        text: str,
        tags: list[Tag],
        units: _Units | None,
        register: bool = True,
    ) -> Item:
        clean = self._clean(text, tags)
        sentences = _sentences(clean)
        item = Item(
            item_id,
            kind,
            _title(clean) or _title(node.text),
            (sentences[0] if sentences else clean).strip() if kind != "measure" else clean,
            _source_of(node),
            node.line,
            parent=parent.id if parent else None,
            phase=phase.key if phase else None,
        )
        if len(sentences) == 1 or kind != "task":
            item.text = clean.strip()  # a task's later sentences become its actions
        self._assign(item, units, report=register)
        # dates are read in the tags too: 「（X负责，2024年6月底前完成）」
        self._date(item, text.replace("\n", ""), phase, parent, True, kind == "measure")
        self.items.append(item)
        return item

    def _assign(self, item: Item, units: _Units | None, report: bool = True) -> None:
        if units is None or not units.names:
            item.offices = self._known([PLACEHOLDER_UNIT])
            item.notes.append("原文未写明责任单位，请补上（暂列“未明确责任单位”）")
            if report:
                self.unplaced.append(Unplaced(item.line, item.title, "no_unit"))
            return
        item.offices = self._known(units.names)
        item.lead = list(units.lead)
        item.offices_text = units.words

    def _from_children(self, task: Item) -> None:
        """A task naming no unit takes its actions' units, in the order they come."""
        if task.offices and task.offices != [PLACEHOLDER_UNIT]:
            return
        children = [i for i in self.items if i.parent == task.id]
        names = list(dict.fromkeys(u for c in children for u in c.offices if u != PLACEHOLDER_UNIT))
        if names:
            task.offices = names
            task.lead = list(dict.fromkeys(u for c in children for u in c.lead))
            task.notes = [n for n in task.notes if "未写明责任单位" not in n]
            task.notes.append("本任务未单列责任单位，取其下各项的责任单位")
            self.unplaced = [
                u
                for u in self.unplaced
                if not (u.reason == "no_unit" and u.line == task.line and u.text == task.title)
            ]

    def _units_of(self, tags: list[Tag], line: int) -> _Units | None:
        names: list[str] = []
        lead: list[str] = []
        for tag in tags:
            names += tag.units
            if tag.lead:
                lead += tag.lead
            elif tag.legend or line >= self.legend_from:
                lead += tag.units[:1]
        if not names:
            return None
        return _Units(
            list(dict.fromkeys(names)), list(dict.fromkeys(lead)), "".join(t.words for t in tags)
        )

    def _date(
        self,
        item: Item,
        text: str,
        phase: Phase | None,
        parent: Item | None,
        whole: bool = False,
        measure: bool = False,
    ) -> None:
        if item.phase is None:
            phase = None  # an item that gave up its phase is not due at the phase's end
        found = find_deadline(text, self.meta.issued, phase.start if phase else None)
        if found is not None and found.due is None and whole and len(_sentences(text)) > 1:
            title = _sentences(text)[0]
            found = find_deadline(title, self.meta.issued, phase.start if phase else None)
        if found is not None and found.due is not None:
            self._stated(item, found, phase)
            return
        if found is not None:
            item.due_basis, item.due_text = "standing", found.words
            return
        if (parent is not None and parent.due_basis and parent.due_basis != "standing") or (
            parent is not None and parent.due_text and parent.due_text != "未规定期限"
        ):
            item.due_basis, item.due, item.due_text = parent.due_basis, parent.due, parent.due_text
            item.every = parent.every
            if parent.due_basis == "phase":
                item.notes.append(f"原文未写期限，取{self._phase_name(item.phase)}结束日")
            return
        if measure:
            item.due_basis, item.due_text = "standing", "保障措施"
            return
        if phase is not None:
            item.due_basis = "phase"
            item.notes.append(f"原文未写期限，取{phase.name}结束日")
            return
        item.due_basis, item.due_text = "standing", "未规定期限"
        item.notes.append("原文未规定完成时限，暂作常态化事项")

    def _no_phase_above(self, item: Item) -> None:
        """An item without a phase cannot sit under one (a phase is inherited): its parents
        give theirs up, and a parent due at the phase's end becomes due by its parts."""
        by_id = {i.id: i for i in self.items}
        parent = by_id.get(item.parent or "")
        while parent is not None:
            if parent.phase is not None:
                parent.phase = None
                if parent.due_basis == "phase":
                    parent.due_basis, parent.due_text = "standing", "未规定期限"
                    parent.notes.append("各项截止日见其下各项")
            parent = by_id.get(parent.parent or "")

    def _phase_name(self, key: str | None) -> str:
        return next((p.name for p in self.phases if p.key == key), "本阶段")

    def _stated(self, item: Item, found: Deadline, phase: Phase | None) -> None:
        item.due, item.due_basis, item.due_text = found.due, "stated", found.words
        if found.inferred_year:
            where = f"本阶段（{phase.window_text}）" if phase is not None else "成文日期"
            item.notes.append(f"原文未写年份，按{where}推定为 {found.due.year} 年")  # type: ignore[union-attr]
        if found.recurring:
            item.every = found.every
            every = found.every
            period = {"week": "每周", "month": "每月", "quarter": "每季度"}.get(
                every.unit if every else "", "每年"
            )
            said = every.words() if every is not None else ""
            how = f"（{said}）" if said and not found.words.startswith(said) else ""
            item.notes.append(f"“{found.words}”{period}重复{how}；截止日为第一次（{found.due}）")
        if found.relative:
            item.notes.append(f"“{found.words}”按成文日期 {self.meta.issued} 起算")
        if (
            phase is not None
            and found.due is not None
            and not phase.start <= found.due <= phase.end
        ):
            item.phase = None  # a stated date outside its phase keeps the date, not the phase
            item.notes.append(f"截止日不在{phase.name}时间内，按原文日期")

    # -- phases

    def _window(self, node: Node) -> Window | None:
        """A phase window on a heading: 「（一）动员部署阶段（2021年12月—2022年9月）」."""
        heading = _sentences(node.text)[0] if node.text.strip() else ""
        heading = heading[:60]
        section = node.parent.text if node.parent is not None else ""
        staged = (
            node.kind == "stage"
            or bool(re.search(r"阶段|步骤", heading))
            # under 「三、工作步骤」 (itself no phase), 「（一）动员部署（2021年4月）」 is a phase
            or (
                bool(re.search(r"步骤|进度安排|时间安排|工作安排|推进安排", section[:12]))
                and find_window(section) is None
            )
        )
        year = self.meta.issued.year if self.meta.issued is not None else None
        window = find_window(heading, year if staged else None)
        short = len(heading) <= 20 and not re.search(r"[。；，,]", heading)
        if window is None and node.body and (staged or short):
            # 「（一）动员部署阶段」 over 「（2021年12月—2022年9月）」: a window cut off its heading
            first = node.body[0].text
            if len(first) <= 40 and (window := find_window(first)) is not None:
                return window
        if window is None and staged:
            window = self._one_date_window(heading)
        if window is None:
            return None
        if not staged and not re.search(r"时间|期$|）$|\)$", heading) and len(node.text) > 40:
            return None
        return window

    def _one_date_window(self, heading: str) -> Window | None:
        """A phase named with one month (「（2024年3月）」: that month) or a closing day
        (「（2024年11月底前）」: from the day after the phase before, else that month)."""
        month = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?![\d底末上中下前份]|\d*日)", heading)
        if month is not None:
            year, number = int(month.group(1)), int(month.group(2))
            if 1 <= number <= 12:
                return Window(date(year, number, 1), month_end(year, number), month.group(0))
        found = find_deadline(heading, self.meta.issued)
        if found is None or found.due is None:
            return None
        start = found.due.replace(day=1)
        if self.phases and self.phases[-1].end < found.due:
            start = self.phases[-1].end + timedelta(days=1)
        return Window(start, found.due, found.words)

    def _phase(self, node: Node, item_id: str, window: Window) -> Phase:
        # 「（一）动员部署阶段（2021年12月—2022年9月）」 and 「（一）2024年3月至4月：宣传发动」
        heading = _sentences(node.text)[0] if node.text.strip() else node.text
        if window.words not in heading and node.body and window.words in node.body[0].text:
            heading += node.body[0].text  # 「（三）创建冲刺」 then 「阶段（2022年11月—…）」
        chunks = re.split(r"[（(）)：:。，,；]", heading.replace(window.words, ""))
        name = next((c.strip() for c in chunks if re.search(r"[\u4e00-\u9fff]{2}", c)), "")
        name = name[:20] or f"阶段{item_id}"
        key = name
        taken = {p.key for p in self.phases}
        while key in taken:
            key += "′"
        phase = Phase(key, item_id, name, window.words, window.start, window.end)
        self.phases.append(phase)
        return phase

    # -- tables

    def _table(self, table: Table) -> None:
        result = read_table(table)
        if result.skipped:
            if table.row_lines:  # a table typed into the text: its rows are its lines
                for number in table.row_lines:
                    text = self.source.lines[number - 1].strip()
                    if text.strip("-=+| "):
                        self.unplaced.append(Unplaced(number, text, "table"))
                return
            first = next((c for row in table.rows for c in row if c.strip()), "")
            self.skipped.append(
                SkippedTable(table.index, table.line, table.sheet, result.skipped, first[:30])
            )
            return
        for row in result.rows:
            self._row(table.index, table.line, row)

    def _row(self, index: int, line: int, row: Row) -> None:
        text = (
            "：".join(t for t in (row.task, row.measure) if t)
            if row.task != row.measure
            else row.task
        )
        seq = re.sub(r"\D", "", row.seq)
        item_id = self._unique(f"t{index}.{seq or row.row}")
        units: _Units | None = None
        if row.units:
            lead = row.lead or (row.units[:1] if row.legend or line >= self.legend_from else [])
            units = _Units(row.units, lead, "")
        else:
            tags = find_tags(text)
            units = self._units_of(tags, line) if tags else None
        self._count(text + row.due_text)
        clean = self._clean(text, find_tags(text))
        item = Item(
            item_id,
            "task",
            _title(row.measure or row.task),
            clean,
            f"表{index}第{row.row}行",
            line or row.row,
        )
        self._assign(item, units)
        if row.unread_units:
            self.unplaced.append(Unplaced(item.line, row.unread_units, "unread_units"))
        found = cell_deadline(row.due_text, self.meta.issued) if row.due_text else None
        if found is not None and found.due is not None:
            self._stated(item, found, None)
        elif found is not None:
            item.due_basis, item.due_text = "standing", found.words
        else:
            self._date(item, clean, None, None, whole=True)
        self.items.append(item)

    # -- helpers

    def _clean(self, text: str, tags: list[Tag]) -> str:
        """The text without the tags that were read."""
        for tag in sorted(tags, key=lambda t: -t.start):
            if tag.inline:
                continue  # 「由X负责」 is part of the sentence
            if text[tag.start : tag.end] == tag.words:
                text = text[: tag.start] + text[tag.end :]
            else:
                text = text.replace(tag.words, "")
        return re.sub(r"。{2,}", "。", text.replace("\n", "")).strip()

    def _unread_tags(self, text: str, tags: list[Tag], line: int) -> None:
        """A bracket that reads like a tag but could not be read is reported, not guessed."""
        read = {(t.start, t.end) for t in tags}
        for start, end in brackets(text):
            inside = text[start + 1 : end - 1]
            # 「（牵头单位：X）（配合单位：Y）」 side by side are read as one tag spanning both
            within = any(s <= start and end <= e for s, e in read)
            if within or not _TAGLIKE.search(inside) or len(inside) > 200:
                continue
            if LEGEND.fullmatch(inside.strip("。 ")):
                continue
            self.unplaced.append(Unplaced(line, text[start:end], "unread_tag"))

    def _count(self, text: str) -> None:
        self.tag_count += len(find_tags(text))
        found = find_deadline(text, self.meta.issued)
        self.date_count += int(found is not None and found.due is not None)

    def _known(self, names: list[str]) -> list[str]:
        for name in names:
            if name not in self.units:
                self.units.append(name)
        return list(names)

    def _unique(self, item_id: str) -> str:
        candidate, n = item_id, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{item_id}-{n}"
        self.ids.add(candidate)
        return candidate


_ATTACHMENTS = re.compile(r"^附(?:件|表)\s*\d*\s*(?:[:：].*)?$")


def _cut_attachment_list(lines: list[Line]) -> None:
    """「附件：」 and the titles numbered under it (「1.…统计表」) close the document: the list of
    what is attached, not numbered work. Kept only when a sentence follows (the attachment's
    own text, which is read as the document's)."""
    texts = [index for index, line in enumerate(lines) if line.text]
    for position in reversed(texts):
        if _ATTACHMENTS.match(lines[position].text):
            after = [lines[i].text for i in texts if i > position]
            if all(len(t) <= 60 and not re.search(r"[。；;]", t) for t in after):
                for line in lines[position:]:
                    line.text = ""
            return


def _made_of(tag: Tag | None, tags: list[Tag]) -> list[Tag]:
    """The tags a stretch's tag was made of: two in one sentence (「开展排查（X负责），建立台账
    （Y负责）。」) speak together as one, and each is taken out of the text."""
    if tag is None:
        return []
    return [t for t in tags if tag.start <= t.start and t.end <= tag.end] or [tag]


def _merge(first: Tag | None, second: Tag) -> Tag:
    if first is None:
        return second
    units = list(dict.fromkeys(first.units + second.units))
    lead = list(dict.fromkeys(first.lead + second.lead))
    return Tag(
        first.start,
        second.end,
        units,
        lead,
        first.legend or second.legend,
        first.words + second.words,
        first.inline and second.inline,
        first.whole or second.whole,
    )


def build(source: Source) -> Result:
    """The plan's items, phases, units and what could not be placed.

    A document in traditional characters is read through a simplified copy, character for
    character, and what is written goes back to the document's own characters.
    """
    table = _traditional(source)
    if table is None:
        return Builder(source).build()
    forward, back = table
    shadow = Source(
        [line.translate(forward) for line in source.lines],
        [
            replace(t, rows=[[c.translate(forward) for c in row] for row in t.rows])
            for t in source.tables
        ],
        source.encoding,
        source.text_tables,
    )
    return _back(Builder(shadow).build(), back)


def _traditional(source: Source) -> tuple[dict[int, int], dict[int, str]] | None:
    """(to simplified, back to the document's characters) when the text is traditional."""
    from xixin_cli.importer.t2s import SIMPLIFIED, TRADITIONAL

    text = "".join(source.lines) + "".join(c for t in source.tables for r in t.rows for c in r)
    traditional = set(TRADITIONAL)
    count = sum(1 for c in text if c in traditional)
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if count < 10 or count < cjk * 0.02:
        return None
    forward = str.maketrans(TRADITIONAL, SIMPLIFIED)
    seen: dict[str, Counter[str]] = {}
    for char in text:
        simple = char.translate(forward)
        if simple != char:
            seen.setdefault(simple, Counter())[char] += 1
    back = {ord(s): counts.most_common(1)[0][0] for s, counts in seen.items()}
    return forward, back


def _back(result: Result, back: dict[int, str]) -> Result:
    def t(text: str) -> str:
        return text.translate(back)

    for item in result.items:
        item.title, item.text, item.offices_text = t(item.title), t(item.text), t(item.offices_text)
        item.due_text = t(item.due_text)
        item.offices = [t(u) for u in item.offices]
        item.lead = [t(u) for u in item.lead]
    result.units[:] = [t(u) for u in result.units]
    meta = result.meta
    meta.number, meta.issuer, meta.title = t(meta.number), t(meta.issuer), t(meta.title)
    meta.notice, meta.recipients = t(meta.notice), [t(r) for r in meta.recipients]
    result.phases[:] = [
        p._replace(name=t(p.name), window_text=t(p.window_text)) for p in result.phases
    ]
    for miss in result.unplaced:
        miss.text = t(miss.text)
    result.notes[:] = [(line, t(title)) for line, title in result.notes]
    return result
