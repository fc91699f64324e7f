"""The reminder as chat messages: one per unit, or one for the whole office, split by a chat's
or a robot's limit (pure).

The one home of the text that reaches people: `remind --plain --office`, `remind --plain
--split-by office` and `remind --send` all print or send what this module writes. A message
fits a phone screen (no table, one item a line, each with its id and short title) and is cut
into numbered parts (1/3, 2/3…) where a chat would refuse it whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from xixin_cli.fold import ItemState
from xixin_cli.i18n import message
from xixin_cli.model import Plan, Status
from xixin_cli.schedule import Digest, DueRow, Tally
from xixin_cli.tuples import NamedTuple

#: The longest message, in UTF-8 bytes, that a chat takes whole. WeCom's group robot takes
#: 2,048 bytes of text (its documented limit), the strictest of the three robots, and about
#: what one phone screen or two shows; DingTalk's and Feishu's take some 20,000.
CHAT_LIMIT = 2048

#: A title is cut to this many characters (after its first clause) to stay on one phone line.
TITLE_CHARS = 20

#: Where a long title may be cut: its first clause usually says what the item is.
_CLAUSE_ENDS = "，；：,;:（("


class Section(NamedTuple):
    """A heading and its lines; when a message is split, a part that starts inside a section
    repeats its heading, marked as continued."""

    heading: str
    lines: tuple[str, ...]


class Message(NamedTuple):
    """A message before it is cut: its head (the first line is the title every part repeats)
    and its sections."""

    head: tuple[str, ...]
    sections: tuple[Section, ...]


class UnitMessage(NamedTuple):
    """One unit's reminder: whose it is, and its text in parts (one, unless it is too long)."""

    key: str
    name: str
    parts: tuple[str, ...]


def short_title(title: str, limit: int = TITLE_CHARS) -> str:
    """The item's title short enough for one phone line: up to its first clause when that
    says enough (four characters or more), and never longer than `limit` (then cut with …)."""
    title = " ".join(title.split())
    for index, char in enumerate(title):
        if char in _CLAUSE_ENDS and index >= 4:
            title = title[:index]
            break
    return title if len(title) <= limit else title[: limit - 1] + "…"


def unit_messages(
    plan: Plan,
    week: Digest,
    lang: str,
    limit: int = CHAT_LIMIT,
    everyone: bool = True,
) -> list[UnitMessage]:
    """One message per unit of the digest, in the digest's order (the units that need a call
    first). A group whose members answer for it gets none of its own (each member has one).
    `everyone=False` leaves out the units with nothing overdue, due or blocked."""
    found = []
    for tally in _units(plan, week):
        stuck = tally.stuck  # its blocked (受阻) parts, as the digest counted them
        if not everyone and not (tally.late or tally.soon or stuck):
            continue
        title = message("msg.unit_title", lang, unit=tally.name)
        head: tuple[str, ...] = (
            title,
            _dateline(plan, week, lang),
            _counts(tally, len(stuck), lang),
        )
        sections = _item_sections(tally, stuck, week, lang)
        if not sections:
            head = (*head, message("msg.nothing", lang))
        parts = split(Message(head, sections), limit, lang)
        found.append(UnitMessage(tally.key, tally.name, tuple(parts)))
    return found


def office_message(
    plan: Plan,
    week: Digest,
    lang: str,
    limit: int = CHAT_LIMIT,
) -> list[str]:
    """The whole office's reminder as chat messages: the figures, then each unit that has
    something overdue, due or blocked, with its items by id and short title."""
    from xixin_cli.render import summary_line

    head: tuple[str, ...] = (
        message("msg.office_title", lang),
        _dateline(plan, week, lang),
        summary_line(week, lang),
    )
    sections = []
    for tally in _units(plan, week):
        stuck = tally.stuck
        lines = [
            line
            for section in _item_sections(tally, stuck, week, lang)
            for line in (section.heading, *section.lines)
        ]
        if lines:
            heading = message(
                "msg.unit_heading", lang, unit=tally.name, counts=_counts(tally, len(stuck), lang)
            )
            sections.append(Section(heading, tuple(lines)))
    if not sections:
        head = (*head, message("msg.nothing", lang))
    return split(Message(head, tuple(sections)), limit, lang)


def _units(plan: Plan, week: Digest) -> list[Tally]:
    """The digest's units that answer for their own parts: a group with members is counted
    by its members."""
    return [tally for tally in week.offices if plan.answers_for_itself(tally.key)]


def _dateline(plan: Plan, week: Digest, lang: str) -> str:
    return message("msg.dateline", lang, number=plan.document.number, date=week.today.isoformat())


def _counts(tally: Tally, blocked: int, lang: str) -> str:
    return message("msg.counts", lang, red=tally.red, yellow=tally.yellow, blocked=blocked)


def _item_sections(
    tally: Tally, stuck: Sequence[ItemState], week: Digest, lang: str
) -> tuple[Section, ...]:
    sections = []
    if tally.late:
        lines = tuple(_due_line(row, lang) for row in tally.late)
        sections.append(Section(message("msg.late_heading", lang), lines))
    if tally.soon:
        lines = tuple(_due_line(row, lang) for row in tally.soon)
        sections.append(Section(message("msg.soon_heading", lang), lines))
    if stuck:
        lines = tuple(_blocked_line(state, week, lang) for state in stuck)
        sections.append(Section(message("msg.blocked_heading", lang), lines))
    return tuple(sections)


def _item(state: ItemState) -> tuple[str, str]:
    return state.item.id, short_title(state.item.title)


def _due_line(row: DueRow, lang: str) -> str:
    state = row.state
    item_id, title = _item(state)
    assert state.due is not None  # only dated items are late or due
    due = state.due.isoformat()
    extended = state.extension is not None and state.item.due is not None
    original = state.item.due.isoformat() if state.item.due is not None else ""
    mark = "_ext" if extended else ""
    if row.days < 0:
        when = message(f"msg.late{mark}", lang, n=row.days_overdue, due=due, original=original)
    elif row.days == 0:
        when = message(f"msg.today{mark}", lang, due=due, original=original)
    else:
        when = message(f"msg.soon{mark}", lang, n=row.days, due=due, original=original)
    if state.status is Status.BLOCKED:
        when += message("msg.blocked_mark", lang)
    return message("msg.item", lang, id=item_id, title=title, when=when)


def _blocked_line(state: ItemState, week: Digest, lang: str) -> str:
    item_id, title = _item(state)
    from xixin_cli.schedule import blocked_reason

    why = blocked_reason(state) or message("msg.no_reason", lang)
    if state.due is not None and state.due < week.today:
        why += message("msg.blocked_late", lang, n=(week.today - state.due).days)
    return message("msg.item", lang, id=item_id, title=title, when=why)


# -- cutting a message into parts ---------------------------------------------------------------


def size(text: str) -> int:
    """A message's size as chats count it: UTF-8 bytes."""
    return len(text.encode("utf-8"))


def split(whole: Message, limit: int, lang: str) -> list[str]:
    """The message as one text when it fits `limit` bytes, else as parts that each do, in
    order, each headed by the title with its number (1/3) and, when it starts inside a
    section, that section's heading marked as continued. A line longer than a part can hold
    is cut at a character."""
    text = _joined(whole.head, [(s.heading, list(s.lines)) for s in whole.sections])
    if size(text) <= limit:
        return [text]
    title, rest = whole.head[0], whole.head[1:]
    # The title's mark takes at most this much: （99/99） in full-width brackets.
    room = limit - size(title) - size(message("msg.part", lang, i=99, n=99)) - 1
    conts = [message("msg.continued", lang, heading=s.heading) for s in whole.sections]
    widest = max((size(cont) + 1 for cont in conts), default=0)
    if room - widest < 32:
        raise ValueError(f"a chat limit of {limit} bytes leaves no room for a message")
    pages: list[list[str]] = [[]]
    used = 0

    def put(line: str, heading: str = "", cont: str = "") -> None:
        """Add a line (in pieces if it is too long); a part opened inside a section starts
        with its continued heading, or with the heading itself when the part before would
        end on it."""
        nonlocal used
        for piece in _pieces(line, room - widest):
            cost = size(piece) + 1
            if used + cost > room and pages[-1]:
                pages.append([])
                used = 0
                if cont and piece:
                    before = pages[-2]
                    opening = cont
                    if before and before[-1] == heading:  # no line of it there: move it
                        opening = before.pop()
                    pages[-1].append(opening)
                    used = size(opening) + 1
            pages[-1].append(piece)
            used += cost

    for line in rest:
        put(line)
    for section, cont in zip(whole.sections, conts, strict=True):
        put("")
        put(section.heading)
        for line in section.lines:
            put(line, section.heading, cont)
    pages = [_trimmed(page) for page in pages if _trimmed(page)]
    total = len(pages)
    return [
        "\n".join([title + message("msg.part", lang, i=n, n=total), *page]) + "\n"
        for n, page in enumerate(pages, 1)
    ]


def _trimmed(page: list[str]) -> list[str]:
    start, end = 0, len(page)
    while start < end and not page[start]:
        start += 1
    while end > start and not page[end - 1]:
        end -= 1
    return page[start:end]


def _joined(head: Sequence[str], sections: Sequence[tuple[str, list[str]]]) -> str:
    lines = list(head)
    for heading, body in sections:
        lines += ["", heading, *body]
    return "\n".join(lines) + "\n"


def _pieces(line: str, room: int) -> list[str]:
    """The line, or its pieces of at most `room` - 1 bytes each, cut between characters."""
    if size(line) + 1 <= room:
        return [line]
    pieces, current = [], ""
    for char in line:
        if size(current + char) + 1 > room:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current]
