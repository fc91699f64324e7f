"""What commands return: plain values that one renderer (`present.py`) shows.

A result holds the domain's answer and the form the user asked for; it decides nothing about
colours, widths or words, so a command can be tested by the value it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from xixin_cli.tuples import NamedTuple

if TYPE_CHECKING:
    from xixin_cli.board import Board
    from xixin_cli.errors import Problem
    from xixin_cli.fold import ItemState
    from xixin_cli.model import Event, Plan
    from xixin_cli.schedule import Digest, DueRow, PhaseMark
    from xixin_cli.send import Target
    from xixin_cli.workspace import PlanSummary


class Form(str, Enum):
    """How a result is shown: a rich table, JSON (the stable contract) or plain text."""

    TABLE = "table"
    JSON = "json"
    PLAIN = "plain"


def form(as_json: bool, plain: bool = False) -> Form:
    """The form the --json and --plain flags ask for."""
    return Form.JSON if as_json else Form.PLAIN if plain else Form.TABLE


class Checklist(NamedTuple):
    """`list`: items with the tasks they belong to, in document order."""

    plan: Plan
    lang: str
    form: Form
    states: Sequence[ItemState]  # what the table shows (JSON: every kept item)
    hidden: int  # rows left out of the table


class ItemView(NamedTuple):
    """`show`: one item whole, or as the units `--office` names see it."""

    plan: Plan
    lang: str
    form: Form
    state: ItemState
    seen_by: tuple[str, ...] = ()  # the units' keys, with --office
    name: str = ""  # the plan's name in its workspace, else ""


class EvidenceList(NamedTuple):
    """`evidence`: items and their evidence files."""

    plan: Plan
    lang: str
    form: Form
    states: Sequence[ItemState]


class History(NamedTuple):
    """`history`: events, newest first."""

    plan: Plan
    lang: str
    form: Form
    events: Sequence[Event]
    hidden: int
    undone: frozenset[str] = frozenset()  # the ids of records an undo took back


class DueList(NamedTuple):
    """`overdue` (late) and `upcoming` (not late): dated open items, and phase dates."""

    plan: Plan
    lang: str
    form: Form
    rows: Sequence[DueRow]
    hidden: int
    today: date
    late: bool
    until: date | None = None
    marks: Sequence[PhaseMark] = ()
    # In a workspace: each row's plan, by name (one per shown row); empty outside one.
    sources: Sequence[tuple[str, Plan]] = ()
    # Every plan the rows come from, when several (a plan column, ids qualified where shared).
    plans: Sequence[tuple[str, Plan]] = ()


class Reminder(NamedTuple):
    """`remind`: the weekly digest; `fail` asks for the overdue exit code."""

    plan: Plan
    lang: str
    form: Form
    digest: Digest
    fail: bool
    paged: bool = True  # on a terminal, long output goes through the pager (--no-pager: not)
    name: str = ""  # the plan's name in its workspace


class PlanList(NamedTuple):
    """`plan list`: the workspace's plans with their progress."""

    lang: str
    form: Form
    plans: Sequence[PlanSummary]
    today: date


class Several(NamedTuple):
    """One result per plan of a workspace (`remind`, `board`), shown in turn; as JSON, one
    object `{"plans": [{"plan": NAME, ...}, ...]}`. It ends with the most urgent code."""

    results: Sequence[Reminder | BoardView]
    form: Form


class Sending(NamedTuple):
    """`remind` as chat messages or sent to a group: what is printed (the messages, or None for
    the reminder as `remind` shows it) and written, then each target with the messages it
    gets; a scheduled run also notes itself in the run log."""

    lang: str
    reminder: Reminder
    texts: Sequence[str] | None
    outbox: Sequence[tuple[Target, Sequence[str]]] = ()
    run_log: Path | None = None
    documents: Sequence[Document] = ()  # written before anything is sent


class BoardView(NamedTuple):
    """`board`: the board, and the picture file it is also saved as."""

    plan: Plan
    lang: str
    form: Form
    board: Board
    image: Path | None
    name: str = ""  # the plan's name in its workspace


class Document(NamedTuple):
    """An export, a report or an imported plan: text for stdout or a file (written whole)."""

    text: str
    output: Path | None
    lang: str
    notices: Sequence[str] = ()  # said on stderr before the text is delivered
    after: Sequence[str] = ()  # said on stderr once it is


class Files(NamedTuple):
    """Several documents written to files (one checklist per office)."""

    documents: Sequence[Document]


class Lines(NamedTuple):
    """Lines of output (stdout) and of notices (stderr), and the exit code they end with."""

    out: Sequence[str] = ()
    notices: Sequence[str] = ()
    code: int = 0


class Findings(NamedTuple):
    """`verify` and `doctor`: per log checked, the problems found (one line each, on stdout)
    and the verdict (stdout when all is well, stderr when not); then the exit code."""

    lang: str
    sections: Sequence[tuple[Sequence[Problem], str, bool]]  # (problems, verdict, failed)
    code: int
