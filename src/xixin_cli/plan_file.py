"""Read a plan file (YAML) into the model, reporting every problem with its file, line and key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xixin_cli.dates import DateFormatError, parse_date
from xixin_cli.errors import PlanError, Problem
from xixin_cli.model import (
    DEFAULT_WARNINGS,
    Document,
    DueBasis,
    Item,
    ItemKind,
    Office,
    Phase,
    Plan,
    Threshold,
    Warnings,
    control_character,
    find_office,
    invisible_character,
)

if TYPE_CHECKING:
    from yaml import Node

    from xixin_cli.recurrence import Every

#: The plan format this version reads. A file with another number is refused, not guessed at.
FORMAT_VERSION = 1

#: Guards against YAML alias bombs: no real plan comes near this many nodes.
MAX_NODES = 2_000_000

TOP_KEYS = {
    "format": True,
    "document": True,
    "offices": True,
    "phases": True,
    "items": True,
    "warnings": False,
}
#: `warnings:` — the lights before a due date (red is always "overdue").
WARNING_KEYS = {"yellow": False, "blue": False}
#: `every:` on an item — how it recurs (docs/plan-format.md, "Recurring items").
EVERY_KEYS = {"unit": True, "day": True, "from": False, "until": False}
DOCUMENT_KEYS = {
    "number": True,
    "issuer": True,
    "date": False,
    "title": True,
    "notice": False,
    "recipients": False,
    "goal": False,
    "language": False,
}
OFFICE_KEYS = {"name": True, "group": False, "note": False, "members": False}
MEMBER_KEYS = {"name": True, "key": False, "note": False}
PHASE_KEYS = {
    "number": True,
    "name": True,
    "window_text": False,
    "start": True,
    "end": True,
}
ITEM_KEYS = {
    "id": True,
    "kind": True,
    "title": True,
    "text": False,
    "source": False,
    "parent": False,
    "offices": False,
    "lead": False,
    "offices_text": False,
    "phase": False,
    "due": False,
    "due_basis": False,
    "due_text": False,
    "note": False,
    "every": False,
}
#: What an item takes from its parent when it does not say otherwise.
INHERITED = ("source", "offices", "lead", "offices_text", "phase", "due", "due_basis", "due_text")


def stated_language(path: Path) -> str | None:
    """The language a plan file says it speaks (`language:` under `document:`), read off its
    first 64 KB as text: what the problems of a plan that cannot be loaded are told in (it
    may not even be YAML). None when it says none, or the file cannot be read."""
    import os
    import re
    import stat

    try:  # never blocks: a FIFO or a device is no plan to read (an error is being said)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        head = os.read(handle, 1 << 16).decode("utf-8", "replace")
    except OSError:
        return None
    finally:
        os.close(handle)
    stated = re.compile(r"[ \t]+language:[ \t]*([\"']?)([A-Za-z]+)\1[ \t]*(#.*)?")
    inside = False
    for line in head.splitlines():
        if line[:1] not in ("", " ", "\t", "#"):  # a key of the top level
            inside = line.split(":", 1)[0].strip() == "document"
        elif inside and (found := stated.fullmatch(line)) is not None:
            return found.group(2)
    return None


def load_plan(path: Path) -> Plan:
    """Read and validate the plan at `path`; raise PlanError listing every problem."""
    text = read_plan_text(path)
    return parse_plan(text, str(path))


def read_plan_text(path: Path) -> str:
    """The file's text as UTF-8 (a BOM is allowed); PlanError when it cannot be had."""
    return decode_text(read_plan_bytes(path), str(path))


#: The largest plan file read: a county's plan of 5,000 items is about 2 MB; parsing takes some
#: 50 times a file's size in memory, so a larger file is refused before it is parsed.
MAX_PLAN_BYTES = 8 << 20


def read_plan_bytes(path: Path) -> bytes:
    """The file's bytes; PlanError when it cannot be read, is not a plain file (a FIFO would
    block for ever, a device never end) or is larger than MAX_PLAN_BYTES."""
    import stat

    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            raise PlanError([Problem(name, None, None, "file.not_regular")])
        if info.st_size > MAX_PLAN_BYTES:
            raise PlanError(
                [Problem(name, None, None, "plan.too_big", size=info.st_size, limit=MAX_PLAN_BYTES)]
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanError([Problem(name, None, None, "plan.not_found")]) from None
    except IsADirectoryError:
        raise PlanError([Problem(name, None, None, "plan.is_dir")]) from None
    except PermissionError:
        raise PlanError([Problem(name, None, None, "plan.no_permission")]) from None
    except OSError as exc:
        raise PlanError([Problem(name, None, None, "plan.unreadable", reason=str(exc))]) from None
    if path.is_dir():  # Windows reports a folder as PermissionError above; others may get here
        raise PlanError([Problem(name, None, None, "plan.is_dir")])
    return data


#: What a workspace's mark file (`.xixin`, YAML) may set for all its plans.
WORKSPACE_KEYS = {"warnings": False}


def workspace_warnings(path: Path) -> Warnings | None:
    """The warning lights a workspace's `.xixin` sets for the plans that set none, or None;
    PlanError naming the file, line and key when they cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    import re

    if not re.search(rb"(?m)^\s*warnings\s*:", data):  # the mark as `init` writes it
        return None
    import yaml

    name = str(path)
    try:
        root = yaml.compose(decode_text(data, name), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise PlanError([Problem(name, None, None, "plan.not_yaml", reason=str(exc))]) from None
    if root is None:
        return None
    reader = _Reader(name)
    entries = reader.mapping(root, "", WORKSPACE_KEYS)
    found = reader.warnings(entries["warnings"][1]) if entries and "warnings" in entries else None
    if reader.problems:
        raise PlanError(reader.problems)
    return found


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); name GB18030 and UTF-16 text as such rather than
    misread it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # old Notepad's "Unicode"
        try:
            data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: said below as what it is
        else:
            raise PlanError([Problem(name, 1, None, "file.utf16")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise PlanError([Problem(name, line, None, "file.not_utf8")]) from None
        raise PlanError([Problem(name, line, None, "file.gb18030")]) from None


#: What the YAML parser says of the slips a plan's editor makes, as our messages say them (in
#: the UI's language); anything else is told in the parser's own words.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "plan.yaml_colon"),
    ("found character that cannot start any token", "plan.yaml_tab"),
    ("did not find expected ',' or", "plan.yaml_unclosed"),
    ("found unexpected end of stream", "plan.yaml_quote"),
    ("did not find expected key", "plan.yaml_indent"),
    ("did not find expected '-' indicator", "plan.yaml_indent"),
    # not "expected <block end>": a quote left open says that too, lines away from it
    ("could not find expected ':'", "plan.yaml_no_colon"),
)


def parse_plan(text: str, name: str) -> Plan:
    """Validate YAML text into a Plan; `name` is used in messages."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = str(exc.problem or exc)
        code = next((code for start, code in _YAML_PROBLEMS if reason.startswith(start)), None)
        said = Problem(name, line, None, code) if code else None
        raise PlanError(
            [said or Problem(name, line, None, "plan.not_yaml", reason=reason)]
        ) from None
    except yaml.YAMLError as exc:
        raise PlanError([Problem(name, None, None, "plan.not_yaml", reason=str(exc))]) from None
    except RecursionError:  # the pure-Python parser, where libyaml is missing, nests by recursion
        raise PlanError([Problem(name, None, None, "plan.too_deep")]) from None
    reader = _Reader(name)
    plan = reader.plan(root)
    if reader.problems or plan is None:
        # a part of the reader that gave up without a problem told is our bug: still said
        raise PlanError(reader.problems or [Problem(name, None, None, "plan.unexplained")])
    return plan


class _Reader:
    """Walks the YAML node tree, collecting problems instead of stopping at the first."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.nodes_seen = 0
        self.start: dt.date | None = None  # the plan's date (else its first phase's start)
        self.end: dt.date | None = None  # its last phase's end
        self.every: dict[str, Every] = {}  # the recurring items read so far, by id
        self.first_dues: list[dt.date] = []  # the `due` recurring items give (not used as such)
        # Items with a problem, by id, each with the node and count of the items under it left
        # unchecked: what they inherit is not known, so their problems would be its echoes.
        self.broken: dict[str, str] = {}  # an item with a problem -> the one first at fault
        self.unchecked: dict[str, tuple[Node, int]] = {}
        # A phase the plan lacks, told once for all the items that name it (`_phase_problems`):
        # each use (the node, its key, how many problems were told before it), the items at
        # fault for that alone, the phase keys and the phases the items name.
        self.phase_uses: dict[str, list[tuple[Node, str, int]]] = {}
        self.phase_only: dict[str, str] = {}  # an item at fault for its phase alone -> the phase
        self.phase_keys: dict[str, Node] = {}
        self.phases_named: set[str] = set()

    # -- reporting ---------------------------------------------------------------------------

    def problem(self, node: Node | None, key: str | None, code: str, **params: Any) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.name, line, key, code, **params))

    # -- node shapes -------------------------------------------------------------------------

    def mapping(
        self, node: Node, where: str, allowed: dict[str, bool]
    ) -> dict[str, tuple[Node, Node]] | None:
        """A mapping's entries by key, after checking for unknown, duplicate and missing keys."""
        import yaml

        if not self._count(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, "plan.want_mapping")
            return None
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            path = f"{where}.{key}" if where else key
            if key in entries:
                self.problem(key_node, path, "plan.duplicate_key")
                continue
            if key not in allowed:
                close = _close(key, allowed, cutoff=0.6)
                self.problem(
                    key_node, path, "plan.unknown_key", allowed=", ".join(allowed), hint=close
                )
                continue
            entries[key] = (key_node, value_node)
        for key, required in allowed.items():
            if required and (key not in entries or _is_null(entries[key][1])):
                path = f"{where}.{key}" if where else key
                self.problem(node, path, "plan.missing_key")
        return entries

    def _count(self, node: Node) -> bool:
        """Count a node against MAX_NODES; False (a problem noted) when its tag is refused."""
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            self.problem(node, None, "plan.too_large", limit=MAX_NODES)
            raise PlanError(self.problems)
        tag = str(node.tag or "")
        # A plan is plain data: a !!python tag (or any tag of no YAML standard) is refused on
        # any value, even where the safe loader would not act on it.
        if not tag.startswith("tag:yaml.org,2002:") or tag.startswith("tag:yaml.org,2002:python/"):
            self.problem(node, None, "plan.tag", tag=tag.replace("tag:yaml.org,2002:", "!!"))
            return False
        return True

    def text(
        self,
        node: Node | None,
        where: str,
        *,
        required: bool = True,
        lines: bool = False,
        name: bool = False,
    ) -> str | None:
        """A non-empty one-piece text (a YAML scalar, taken as written: 4.1 stays "4.1").
        It holds no control character; a text of several `lines` (an item's text, a note, the
        goal, the document's words quoted: `offices_text`, `due_text`, `window_text`, which an
        import takes from several lines) may hold line breaks and tabs, as a block scalar
        (`text: |`) writes them. A `name` (a unit's, a phase's, an id) holds no invisible format
        character either (`model.invisible_character`). A
        text with one is told and still taken, so nothing that names it is told again."""
        import yaml

        if node is None or _is_null(node):
            return None
        if not self._count(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, where, "plan.want_text")
            return None
        value = str(node.value).strip()
        if not value and required:
            self.problem(node, where, "plan.empty_text")
            return None
        bad = control_character(value, "\n\t" if lines else "")
        if bad is not None:
            self.problem(node, where, "plan.control_character", char=f"\\x{ord(bad):02x}")
        elif name:
            self._visible(node, where, value)
        return value

    def _visible(self, node: Node, where: str, value: str) -> None:
        bad = invisible_character(value)
        if bad is not None:
            self.problem(node, where, "plan.invisible_character", char=f"U+{ord(bad):04X}")

    def texts(self, node: Node | None, where: str) -> list[tuple[Node, str]] | None:
        """A list of texts; a single text is taken as a list of one."""
        import yaml

        if node is None or _is_null(node):
            return None
        self._count(node)
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, where)
            return [(node, value)] if value is not None else None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, where, "plan.want_list")
            return None
        result = []
        for child in node.value:
            value = self.text(child, where)
            if value is not None:
                result.append((child, value))
        return result

    def date(self, node: Node | None, where: str) -> dt.date | None:
        value = self.text(node, where)
        if value is None:
            return None
        try:
            return parse_date(value)
        except DateFormatError:
            self.problem(node, where, "plan.bad_date", value=value)
            return None

    def flag(self, node: Node | None, where: str) -> bool:
        value = self.text(node, where)
        if value is None:
            return False
        if value.lower() in ("true", "yes", "on"):
            return True
        if value.lower() in ("false", "no", "off"):
            return False
        self.problem(node, where, "plan.want_bool", value=value)
        return False

    def choice(self, node: Node | None, where: str, enum: type[Any]) -> Any:
        value = self.text(node, where)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.problem(node, where, "plan.bad_choice", value=value, allowed=allowed)
            return None

    # -- the plan ----------------------------------------------------------------------------

    def plan(self, root: Node | None) -> Plan | None:
        if root is None:
            self.problem(None, None, "plan.empty")
            return None
        top = self.mapping(root, "", TOP_KEYS)
        if top is None:
            return None
        if "format" in top and not self._format(top["format"][1]):
            return None  # a file of another format: its other keys mean other things
        document = self.document(top["document"][1]) if "document" in top else None
        offices = self.offices(top["offices"][1]) if "offices" in top else {}
        phases = self.phases(top["phases"][1]) if "phases" in top else {}
        warnings = self.warnings(top["warnings"][1]) if "warnings" in top else DEFAULT_WARNINGS
        self.start = (document.date if document is not None else None) or min(
            (phase.start for phase in phases.values()), default=None
        )
        self.end = max((phase.end for phase in phases.values()), default=None)
        items = self.items(top["items"][1], offices, phases) if "items" in top else ()
        if document is None or self.problems:
            return None
        return Plan(self.name, document, offices, phases, items, warnings)

    def warnings(self, node: Node) -> Warnings:
        """`warnings: {yellow: 3 working days, blue: 7 days}`: each light's distance ahead."""
        entries = self.mapping(node, "warnings", WARNING_KEYS)
        if not entries:
            if entries is not None and not node.value:
                self.problem(node, "warnings", "plan.want_warnings")
            return DEFAULT_WARNINGS
        found = {
            key: self.threshold(value, f"warnings.{key}") for key, (_, value) in entries.items()
        }
        yellow = found.get("yellow") or DEFAULT_WARNINGS.yellow
        blue = found.get("blue")
        if blue is not None and blue.working == yellow.working and blue.days <= yellow.days:
            self.problem(
                entries["blue"][1],
                "warnings.blue",
                "plan.blue_not_after_yellow",
                blue=blue.days,
                yellow=yellow.days,
            )
        return Warnings(yellow, blue, given=True)

    def threshold(self, node: Node, where: str) -> Threshold | None:
        """`7 days`, `3 working days`, `3个工作日`, `7天` or a bare number of days."""
        import re

        value = self.text(node, where)
        if value is None:
            return None
        match = re.fullmatch(
            r"(\d{1,3})\s*(working\s+days?|workdays?|个?工作日|days?|d|天|日)?",
            value.strip().lower(),
        )
        if match is None:
            self.problem(node, where, "plan.bad_warning", value=value)
            return None
        unit = match.group(2) or "days"
        return Threshold(int(match.group(1)), "work" in unit or "工作日" in unit)

    def _format(self, node: Node) -> bool:
        value = self.text(node, "format")
        if value is None:
            return False
        if value != str(FORMAT_VERSION):
            self.problem(node, "format", "plan.bad_format", found=value, supported=FORMAT_VERSION)
            return False
        return True

    def document(self, node: Node) -> Document | None:
        entries = self.mapping(node, "document", DOCUMENT_KEYS)
        if entries is None:
            return None

        def get(key: str) -> Node | None:
            return entries[key][1] if key in entries else None

        issued = self.date(get("date"), "document.date")
        recipients = self.texts(get("recipients"), "document.recipients") or []
        texts = ("number", "issuer", "title", "notice", "goal", "language")
        values = {key: self.text(get(key), f"document.{key}", lines=key == "goal") for key in texts}
        dated = get("date")
        if dated is not None and not _is_null(dated) and issued is None:
            return None  # a date was given and is wrong: reported above (`date:` alone: none)
        if None in (values["number"], values["issuer"], values["title"]):
            return None
        return Document(
            number=values["number"] or "",
            issuer=values["issuer"] or "",
            date=issued,
            title=values["title"] or "",
            notice=values["notice"] or "",
            recipients=tuple(value for _, value in recipients),
            goal=values["goal"] or "",
            language=values["language"] or "zh",
        )

    def _keyed(
        self, node: Node, where: str, *, may_be_empty: bool = False
    ) -> Iterator[tuple[str, Node, Node]]:
        import yaml

        self._count(node)
        if isinstance(node, yaml.MappingNode) and not node.value and may_be_empty:
            return
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.problem(node, where, "plan.want_keyed")
            return
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
            if not key:
                self.problem(key_node, where, "plan.empty_text")
                continue
            if key in seen:
                self.problem(key_node, f"{where}.{key}", "plan.duplicate_key")
                continue
            bad = control_character(key)
            if bad is not None:
                self.problem(key_node, where, "plan.control_character", char=f"\\x{ord(bad):02x}")
            else:
                self._visible(key_node, where, key)
            seen.add(key)
            yield key, key_node, value_node

    def offices(self, node: Node) -> dict[str, Office]:
        result: dict[str, Office] = {}
        for key, _, value in self._keyed(node, "offices"):
            where = f"offices.{key}"
            entries = self.mapping(value, where, OFFICE_KEYS)
            if entries is None or "name" not in entries:
                continue
            name = self.text(entries["name"][1], f"{where}.name", name=True)
            group = (
                self.flag(entries["group"][1], f"{where}.group") if "group" in entries else False
            )
            note = (
                self.text(entries["note"][1], f"{where}.note", lines=True)
                if "note" in entries
                else None
            )
            members = (
                self.members(entries["members"][1], where, key) if "members" in entries else []
            )
            if name is not None:
                result[key] = Office(
                    key, name, group or bool(members), note or "", tuple(m.key for m in members)
                )
                for member in members:  # each member right after its group
                    if member.key in result:
                        self.problem(
                            entries["members"][1],
                            f"{where}.members",
                            "plan.duplicate_name",
                            value=member.key,
                            other=member.key,
                        )
                    result[member.key] = member
        names: dict[str, str] = {}
        for office in result.values():
            if office.name in names:
                self.problem(
                    node,
                    f"offices.{office.key}.name",
                    "plan.duplicate_name",
                    value=office.name,
                    other=names[office.name],
                )
            names[office.name] = office.key
        return result

    def members(self, node: Node, where: str, group: str) -> list[Office]:
        """A group's members: a list of names, or of entries with a `name` (and a `key`),
        or a mapping of keys to entries. A member's key is its name unless one is given."""
        import yaml

        self._count(node)
        found: list[Office] = []
        pairs: list[tuple[str | None, Node]]
        if isinstance(node, yaml.MappingNode):
            pairs = [(key, value) for key, _, value in self._keyed(node, f"{where}.members")]
        elif isinstance(node, yaml.SequenceNode):
            pairs = [(None, child) for child in node.value]
        else:
            self.problem(node, f"{where}.members", "plan.want_list")
            return found
        for index, (key, child) in enumerate(pairs):
            at = f"{where}.members.{key if key is not None else index}"
            if isinstance(child, yaml.ScalarNode):
                name = self.text(child, at, name=True)
                note = None
            else:
                entries = self.mapping(child, at, MEMBER_KEYS)
                if entries is None or "name" not in entries:
                    continue
                name = self.text(entries["name"][1], f"{at}.name", name=True)
                given = (
                    self.text(entries["key"][1], f"{at}.key", name=True)
                    if "key" in entries
                    else None
                )
                key = given or key
                note = (
                    self.text(entries["note"][1], f"{at}.note", lines=True)
                    if "note" in entries
                    else None
                )
            if name is not None:
                found.append(Office(key or name, name, False, note or "", (), group))
        if not found:
            self.problem(node, f"{where}.members", "plan.empty_list")
        return found

    def phases(self, node: Node) -> dict[str, Phase]:
        result: dict[str, Phase] = {}
        # A plan without phases ({}) is fine: some documents set no timetable.
        for key, key_node, value in self._keyed(node, "phases", may_be_empty=True):
            where = f"phases.{key}"
            self.phase_keys[key] = key_node
            entries = self.mapping(value, where, PHASE_KEYS)
            if entries is None:
                continue

            def get(k: str, entries: dict[str, tuple[Node, Node]] = entries) -> Node | None:
                return entries[k][1] if k in entries else None

            number = self.text(get("number"), f"{where}.number", name=True)
            name = self.text(get("name"), f"{where}.name", name=True)  # --phase matches it
            window = self.text(get("window_text"), f"{where}.window_text", lines=True)
            start = self.date(get("start"), f"{where}.start")
            end = self.date(get("end"), f"{where}.end")
            if start is not None and end is not None and end < start:
                self.problem(
                    get("end"),
                    f"{where}.end",
                    "plan.end_before_start",
                    start=start.isoformat(),
                    end=end.isoformat(),
                )
                continue
            if number is None or name is None or start is None or end is None:
                continue
            result[key] = Phase(key, number, name, window or "", start, end)
        return result

    def items(
        self, node: Node, offices: dict[str, Office], phases: dict[str, Phase]
    ) -> tuple[Item, ...]:
        import yaml

        self._count(node)
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, "items", "plan.want_items")
            return ()
        items: dict[str, Item] = {}
        lines: dict[str, int] = {}
        nodes: dict[str, Node] = {}
        for index, child in enumerate(node.value):
            item = self.item(child, index, items, lines, offices, phases)
            if item is not None:
                items[item.id] = item
                lines[item.id] = child.start_mark.line + 1
                nodes[item.id] = child
        told = self._phase_problems(phases)
        for root, (at, count) in self.unchecked.items():
            if count and self.phase_only.get(root) not in told:
                self.problem(at, f"items[{root}]", "plan.children_unchecked", count=count)
        if not self.every:
            return tuple(items.values())
        if self.end is None and self.start is not None:
            # No phases: to the end of the year of the last day an item is due (a recurring
            # item's own `due`, its first occurrence, included), at least the plan's first.
            dues = [item.due for item in items.values() if item.due is not None]
            last = max([*dues, *self.first_dues, self.start])
            self.end = dt.date(last.year, 12, 31)
        found: list[Item] = []
        parents = {item.parent for item in items.values()}
        for item in items.values():
            found.append(item)
            if item.id in self.every and item.id not in parents:  # a task recurs by its leaves
                for each in self.occurrences(nodes[item.id], item, self.every[item.id], phases):
                    if each.id in items:
                        self.problem(
                            nodes[item.id],
                            f"items[{each.id}].id",
                            "plan.duplicate_id",
                            first_line=lines[each.id],
                        )
                    found.append(each)
        return tuple(found)

    def _phase_problems(self, phases: dict[str, Phase]) -> set[str]:
        """Each phase the plan lacks, told once: by one item, as it names it; by several, at
        the phase key it is a misspelling of when no item names that key (`phases: {craete:
        …}` where ten items say `phase: create`), else at the first item, with how many more
        name it. Each goes where the first item's would have, among the other problems. The
        phases told for several items, whose items' unchecked children it says are checked
        once it is right."""
        told: set[str] = set()
        found: list[tuple[int, Problem]] = []
        for value, uses in self.phase_uses.items():
            (node, where, before), more = uses[0], len(uses) - 1
            hint = _close(value, phases)
            allowed = ", ".join(phases)
            line = node.start_mark.line + 1
            if not more:
                said = Problem(
                    self.name, line, where, "plan.unknown_phase", value=value, hint=hint,
                    allowed=allowed,
                )  # fmt: skip
            elif hint and hint[0] not in self.phases_named:
                key = hint[0]
                said = Problem(
                    self.name, self.phase_keys[key].start_mark.line + 1, f"phases.{key}",
                    "plan.phase_key_unused", phase=key, value=value, n=len(uses),
                    first_line=line, item=where.removesuffix(".phase"),
                )  # fmt: skip
            else:
                said = Problem(
                    self.name, line, where, "plan.unknown_phase_more", value=value, hint=hint,
                    allowed=allowed, more=more,
                )  # fmt: skip
            if more:
                told.add(value)
            found.append((before, said))
        for before, said in reversed(found):  # in the order first met: the later ones first
            self.problems.insert(before, said)
        return told

    def recurrence(self, node: Node, where: str) -> Every | None:
        """`every:` as a mapping (unit, day, from, until) or in its short form (每月25日)."""
        import yaml

        from xixin_cli.recurrence import UNITS, BadRule, Every, normal_day, parse_short

        if isinstance(node, yaml.ScalarNode):
            before = len(self.problems)
            text = self.text(node, where)
            found = parse_short(text) if text is not None else None
            try:
                if found is not None:
                    return Every(found[0], normal_day(*found))
            except BadRule:
                pass
            if len(self.problems) == before:  # (a refused tag, say, is said already)
                self.problem(node, where, "plan.bad_every", value=text or "")
            return None
        entries = self.mapping(node, where, EVERY_KEYS)
        if entries is None or "unit" not in entries or "day" not in entries:
            return None
        unit = self.text(entries["unit"][1], f"{where}.unit")
        day = self.text(entries["day"][1], f"{where}.day")
        start = self.date(entries["from"][1], f"{where}.from") if "from" in entries else None
        until = self.date(entries["until"][1], f"{where}.until") if "until" in entries else None
        if unit is None or day is None:
            return None
        if unit not in UNITS:
            allowed = ", ".join(UNITS)
            self.problem(
                entries["unit"][1], f"{where}.unit", "plan.bad_choice", value=unit, allowed=allowed
            )
            return None
        try:
            return Every(unit, normal_day(unit, day), start, until)
        except BadRule:
            self.problem(entries["day"][1], f"{where}.day", f"plan.bad_every_day.{unit}", value=day)
            return None

    def occurrences(
        self, node: Node, item: Item, every: Every, phases: dict[str, Phase]
    ) -> list[Item]:
        """The items a recurring item stands for, one per period (`ID@2023-03`), each due on
        its period's day and under the phase whose window holds that day."""
        from xixin_cli.recurrence import BadRule, occurrences

        where = f"items[{item.id}].every"
        start, until = every.start or self.start, every.until or self.end
        if start is None or until is None:
            self.problem(
                node, f"{where}.{'from' if start is None else 'until'}", "plan.every_dates"
            )
            return []
        if until < start:
            self.problem(
                node,
                f"{where}.until",
                "plan.end_before_start",
                start=start.isoformat(),
                end=until.isoformat(),
            )
            return []
        working = None
        if every.day == "last workday":
            from xixin_cli.workdays import build_calendar

            calendar = build_calendar()  # the plan's parse is cached, and the calendar with it

            def working(day: dt.date) -> bool:
                return calendar.is_working_day(day)[0]

        try:
            found = occurrences(every, start, until, working)
        except BadRule as exc:
            self.problem(node, where, "plan.every_too_many", limit=str(exc))
            return []
        if not found:
            self.problem(
                node, where, "plan.every_none", start=start.isoformat(), until=until.isoformat()
            )
            return []
        made = []
        for suffix, due in found:
            phase = next((p.key for p in phases.values() if p.start <= due <= p.end), item.phase)
            made.append(
                item._replace(
                    id=f"{item.id}@{suffix}",
                    parent=item.id,
                    phase=phase,
                    due=due,
                    due_basis=DueBasis.STATED,
                )
            )
        return made

    def item(
        self,
        node: Node,
        index: int,
        known: dict[str, Item],
        lines: dict[str, int],
        offices: dict[str, Office],
        phases: dict[str, Phase],
    ) -> Item | None:
        where = f"items[{_peek_id(node) or index}]"
        problems_before = len(self.problems)
        entries = self.mapping(node, where, ITEM_KEYS)
        if entries is None:
            return None
        item_id = self.text(entries["id"][1], f"{where}.id", name=True) if "id" in entries else None
        if item_id is not None:
            where = f"items[{item_id}]"
            if any(ch.isspace() for ch in item_id):
                self.problem(entries["id"][1], f"{where}.id", "plan.bad_id", value=item_id)
                return None
            if item_id in known:
                self.problem(
                    entries["id"][1], f"{where}.id", "plan.duplicate_id", first_line=lines[item_id]
                )
                return None

        def get(key: str) -> Node | None:
            return entries[key][1] if key in entries else None

        parent_id = self.text(get("parent"), f"{where}.parent")
        if parent_id is not None and parent_id in self.broken:
            # Under an item with a problem: checked once it is right (one typo, one problem).
            del self.problems[problems_before:]
            root = self.broken[parent_id]
            if item_id is not None:
                self.broken[item_id] = root
            at, count = self.unchecked[root]
            self.unchecked[root] = (at, count + 1)
            return None
        parent = None
        if parent_id is not None:
            parent = known.get(parent_id)
            if parent is None:
                self.problem(
                    get("parent"),
                    f"{where}.parent",
                    "plan.unknown_parent",
                    value=parent_id,
                    hint=_close(parent_id, known),
                )
        every = (
            self.recurrence(entries["every"][1], f"{where}.every") if "every" in entries else None
        )
        if (
            every is None
            and parent_id in self.every
            and not {"every", "due", "due_basis"} & entries.keys()
        ):  # a recurring task's actions recur by its rule, unless they set their own dates
            every = self.every[parent_id]
        kind = self.choice(get("kind"), f"{where}.kind", ItemKind)
        title = self.text(get("title"), f"{where}.title")
        text = self.text(get("text"), f"{where}.text", required=False, lines=True)
        note = self.text(get("note"), f"{where}.note", required=False, lines=True)

        # Inherited fields: what the item says, else what its parent has.
        source = self.text(get("source"), f"{where}.source")
        offices_text = self.text(
            get("offices_text"), f"{where}.offices_text", required=False, lines=True
        )
        office_keys: tuple[str, ...] | None = None
        if get("offices") is not None:
            listed = self.texts(get("offices"), f"{where}.offices") or []
            office_keys = _expanded(
                offices, (self._office(n, v, offices, where) for n, v in listed)
            )
            if not office_keys:
                self.problem(get("offices"), f"{where}.offices", "plan.empty_list")
        lead_keys: tuple[str, ...] | None = None
        if get("lead") is not None:
            listed = self.texts(get("lead"), f"{where}.lead") or []
            lead_keys = _expanded(offices, (self._office(n, v, offices, where) for n, v in listed))
        phase_key = self.text(get("phase"), f"{where}.phase")
        unknown_phase = phase_key is not None and phase_key not in phases
        if phase_key is not None and unknown_phase:  # told once for all its items, at the end
            use = (entries["phase"][1], f"{where}.phase", len(self.problems))
            self.phase_uses.setdefault(phase_key, []).append(use)
        elif phase_key is not None:
            self.phases_named.add(phase_key)
        basis = self.choice(get("due_basis"), f"{where}.due_basis", DueBasis)
        due = self.date(get("due"), f"{where}.due")
        due_text = self.text(get("due_text"), f"{where}.due_text", required=False, lines=True)
        if parent is not None:
            source = source or parent.source
            offices_text = offices_text if offices_text is not None else parent.offices_text
            office_keys = office_keys if office_keys is not None else parent.offices
            lead_keys = lead_keys if lead_keys is not None else parent.lead
            phase_key = phase_key if get("phase") is not None else parent.phase
            if basis is None:
                basis = parent.due_basis
                due = due if get("due") is not None else parent.due
                due_text = due_text if due_text is not None else parent.due_text

        if not office_keys and get("offices") is None:
            self.problem(node, f"{where}.offices", "plan.missing_key")
        if every is not None or "every" in entries:  # each occurrence has its own due day
            if due is not None:
                self.first_dues.append(due)  # as an import writes it: the first occurrence
            basis, due = DueBasis.RECURRING, None
            if every is not None:
                from xixin_cli.recurrence import describe

                due_text = due_text or describe(every)
        written = get("due_basis")
        if basis is None and (written is None or _is_null(written)):  # `due_basis:` alone too
            self.problem(written or node, f"{where}.due_basis", "plan.missing_key")
        written = get("source")
        if source is None and (written is None or _is_null(written)):
            self.problem(written or node, f"{where}.source", "plan.missing_key")
        if lead_keys and office_keys and not set(lead_keys) <= set(office_keys):
            self.problem(get("lead") or node, f"{where}.lead", "plan.lead_not_office")
        phase = phases.get(phase_key) if phase_key is not None else None
        if basis is DueBasis.RECURRING and every is None and "every" not in entries:
            self.problem(get("due_basis") or node, f"{where}.every", "plan.recurring_needs_every")
        elif basis is not DueBasis.RECURRING:
            due = self._due(node, where, entries, basis, due, phase, due_text, unknown_phase)
        elif every is not None and item_id is not None:
            self.every[item_id] = every
        if len(self.problems) > problems_before or item_id is None or unknown_phase:
            if item_id is not None and item_id not in known:
                self.broken[item_id] = item_id
                self.unchecked[item_id] = (node, 0)
                if len(self.problems) == problems_before and phase_key is not None:
                    self.phase_only[item_id] = phase_key
            return None
        assert kind is not None and title is not None and basis is not None
        return Item(
            id=item_id,
            kind=kind,
            title=title,
            text=text or title,
            source=source or "",
            offices=office_keys or (),
            lead=lead_keys or (),
            offices_text=offices_text or "",
            phase=phase_key,
            due=due,
            due_basis=basis,
            due_text=due_text or "",
            parent=parent_id,
            note=note or "",
        )

    def _office(self, node: Node, value: str, offices: dict[str, Office], where: str) -> str:
        key = find_office(offices, value)  # the Chinese name, full or short, is accepted too
        if key is not None:
            return key
        names = [*offices, *(office.name for office in offices.values())]
        self.problem(
            node,
            f"{where}.offices",
            "plan.unknown_office",
            value=value,
            hint=_close(value, names),
            allowed=", ".join(offices),
        )
        return value

    def _due(
        self,
        node: Node,
        where: str,
        entries: dict[str, tuple[Node, Node]],
        basis: DueBasis | None,
        due: dt.date | None,
        phase: Phase | None,
        due_text: str | None,
        unknown_phase: bool = False,
    ) -> dt.date | None:
        """Check the due date against its stated basis; derive it from the phase window
        (`unknown_phase`: the item names a phase the plan lacks, told already)."""
        at = entries["due"][1] if "due" in entries else node
        if basis is DueBasis.STANDING:
            if "due" in entries:
                self.problem(at, f"{where}.due", "plan.due_on_standing")
            return None
        if basis is DueBasis.STATED:
            told = "due" in entries and not _is_null(entries["due"][1])  # as no date, already
            if due is None and not told:
                self.problem(node, f"{where}.due", "plan.due_missing")
            elif not due_text:
                self.problem(node, f"{where}.due_text", "plan.due_text_missing")
        if basis is DueBasis.PHASE:
            if phase is None:
                if not unknown_phase:
                    self.problem(node, f"{where}.phase", "plan.phase_needed")
                return None
            due = due if "due" in entries else phase.end
        if due is not None and phase is not None and not phase.start <= due <= phase.end:
            self.problem(
                at,
                f"{where}.due",
                "plan.due_outside_phase",
                due=due.isoformat(),
                phase=phase.name,
                start=phase.start.isoformat(),
                end=phase.end.isoformat(),
            )
        return due


def _peek_id(node: Node) -> str | None:
    """The item's id as written, to name it in messages about its other keys."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode):
                return str(value.value).strip() or None
    return None


def _is_null(node: Node) -> bool:
    return getattr(node, "tag", "") == "tag:yaml.org,2002:null"


def _close(value: str, choices: Any, cutoff: float = 0.5) -> list[str]:
    import difflib  # only for a plan with mistakes in it

    return difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)


def _expanded(offices: dict[str, Office], keys: Iterable[str]) -> tuple[str, ...]:
    """The units `keys` name: a group with members stands for its members, each once."""
    found: dict[str, None] = {}
    for key in keys:
        office = offices.get(key)
        for unit in office.members if office is not None and office.members else (key,):
            found[unit] = None
    return tuple(found)
