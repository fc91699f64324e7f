"""The one place results are shown: a table, JSON or plain text on stdout, notices on stderr,
files written whole. Returns the exit code the result ends with.

Data goes to stdout, confirmations and warnings to stderr, so `xixin list --json | jq` and
`xixin export csv > f.csv` carry data only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from xixin_cli.i18n import message
from xixin_cli.results import (
    BoardView,
    Checklist,
    Document,
    DueList,
    EvidenceList,
    Files,
    Findings,
    Form,
    History,
    ItemView,
    Lines,
    PlanList,
    Reminder,
    Sending,
    Several,
)
from xixin_cli.terminal import clean, lights

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from xixin_cli.errors import Problem


def present(result: object) -> int:
    """Show `result` and return its exit code; None (a command that returned nothing) is 0."""
    if result is None:
        return 0
    if isinstance(result, int):  # typer.Exit's code, as click returns it
        return result
    show = _SHOWN[type(result)]
    return show(result)


def shown(text: str) -> str:
    """Text as it may reach a terminal: escapes from plans and logs written out, lights as this
    run shows them (`terminal.py`). Called for every segment of a table: imports stay at the
    top of the module."""
    if text[-1:] == "\n":  # a line with its end (a row printed in bulk): the end stays as it is
        return lights(clean(text[:-1])) + "\n"
    return lights(clean(text))


def shown_lines(text: str) -> str:
    """`shown` of each line of `text` (lines a table printed in bulk, `bulk.Block`): its
    newlines stay as they are, and no line is looked at character by character when each is
    printable (what `clean` asks first)."""
    lines = text.split("\n")
    if all(map(str.isprintable, lines)):
        return lights(text)
    return "\n".join([lights(clean(line)) for line in lines])


def out(text: str) -> None:
    """A line (or lines) of data."""
    sys.stdout.write(shown(text) + "\n")


def notice(text: str) -> None:
    """A confirmation for the person at the keyboard: on stderr, so stdout stays data."""
    sys.stderr.write(shown(text) + "\n")


def warn(text: str, lang: str) -> None:
    sys.stderr.write(shown(f"xixin: {message('warning', lang)}: {text}") + "\n")


def console(**options: Any) -> Console:
    """The console every table is printed on (`options`: rich's, for a test's width or file)."""
    from rich.console import Console
    from rich.segment import Segment

    class _Shown(Console):
        """A console that escapes what it is given to show (see `shown`): strings before
        they are measured, and every segment's text at the end, whatever made it."""

        #: What every segment's text becomes (a table printed in bulk asks: `bulk.py`).
        segment_text = staticmethod(shown)

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(shown(text), **kwargs)

        def render(self, renderable: Any, options: Any = None) -> Any:
            from xixin_cli.wrap import Block

            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control or not text:
                    yield segment
                elif type(text) is Block:  # whole lines: still a Block when nothing changed
                    changed = shown_lines(text)
                    yield segment if changed == text else Segment(changed, segment.style)
                else:
                    yield Segment(shown(text), segment.style, segment.control)

    # Every string we print is the user's or ours, never rich markup: a title like "[b]…" or a
    # note with ":x:" prints as written (and skipping the markup parser speeds up every table).
    return _Shown(highlight=False, markup=False, emoji=False, **options)


def _print(renderable: RenderableType, *, paged: bool = False) -> None:
    """Print to a terminal as rich lays it out; to a file or a pipe without the blanks that
    pad each line. `paged`: output longer than the terminal goes through the pager. Cells
    laid out by an earlier command are not laid out again (`wrap.Memory`, kept in the cache)."""
    from xixin_cli.cache import keep_layouts, layouts
    from xixin_cli.wrap import remembering

    memory = layouts(type(renderable).__name__)
    with remembering(memory):
        _printed(renderable, paged)
    keep_layouts(memory)


def _printed(renderable: RenderableType, paged: bool) -> None:
    from xixin_cli.terminal import page, trimmed

    shown_on = console()
    terminal = sys.stdout.isatty()
    if terminal and not paged:
        shown_on.print(renderable)
        return
    if not terminal and streams(shown_on, renderable):
        for chunk in streamed(shown_on, renderable):
            sys.stdout.write(chunk)
        return
    if terminal and sys.platform == "win32":
        shown_on.no_color = True  # `more` shows colour codes as they are
    with shown_on.capture() as captured:
        shown_on.print(renderable)
    text = trimmed(captured.get())
    if terminal and sys.stdin.isatty() and text.count("\n") >= shown_on.height and page(text):
        return
    sys.stdout.write(text)


def streams(console: Console, renderable: object) -> bool:
    """Whether `streamed` prints `renderable` as `console.print` and `trimmed` would: output
    without colour codes that does not reach a terminal (a file, a pipe), and a renderable
    that print passes on as it is (a str or a Text it would join and end anew)."""
    from rich.console import ConsoleRenderable
    from rich.text import Text

    return (
        console.color_system is None
        and not console.is_terminal
        and not console.record
        and not console.soft_wrap
        and isinstance(renderable, ConsoleRenderable)
        and not isinstance(renderable, Text)
    )


#: How many lines `streamed` gathers into each piece of text it hands on.
_STREAM_LINES = 500


def streamed(console: Console, renderable: RenderableType) -> Iterator[str]:
    """The text `console.print(renderable)` captures, blanks trimmed from each line's end, in
    pieces of a few thousand lines as they are rendered (for a `streams` case only).

    A county's table is megabytes of text: captured whole, its segments, its lines and the
    text were all held at once (200 MB for `list --all` of 20,000 items), and rich measured
    every line to crop it. Here each line is measured only when it may be too wide, cropped
    by rich when it is, and handed on with the rest of its batch."""
    from rich.segment import Segment

    from xixin_cli.wrap import Block, cells

    width = console.width
    options = console.options.update(
        justify=None, overflow=None, height=None, no_wrap=None, markup=None, highlight=None
    )
    batch: list[str] = []
    line: list[Segment] = []
    for segment in console.render(renderable, options):
        text = segment.text
        if segment.control or "\n" not in text:
            line.append(segment)
            continue
        if not line and type(text) is Block and text.width is not None and text.width <= width:
            # lines that fit, each with its end (a few hundred): only the blanks at their ends go
            if batch:
                yield "".join(batch)
                batch.clear()
            yield "\n".join([part.rstrip(" \t") for part in text.split("\n")])
            continue
        if not line and text.find("\n") == len(text) - 1:  # a line whole (a table's row)
            shown = text[:-1]
            if len(shown) > width // 2 and cells(shown) > width:
                shown = _line_text([Segment(shown, segment.style)], width, cells)
            batch.append(shown.rstrip(" \t") + "\n")
            if len(batch) >= _STREAM_LINES:
                yield "".join(batch)
                batch.clear()
            continue
        while text:
            part, new_line, text = text.partition("\n")
            if part:
                line.append(Segment(part, segment.style))
            if new_line:
                batch.append(_line_text(line, width, cells) + "\n")
                line.clear()
                if len(batch) >= _STREAM_LINES:
                    yield "".join(batch)
                    batch.clear()
    if line:
        batch.append(_line_text(line, width, cells))
    if batch:
        yield "".join(batch)


def _line_text(line: list[Any], width: int, cell_len: Callable[[str], int]) -> str:
    """One line's text as rich writes it to a file: cropped to `width`, control codes left out
    (a file is not a terminal), without the blanks that pad its end."""
    shown = [segment.text for segment in line if not segment.control]
    text = "".join(shown)
    # No character is wider than two cells: a short line fits without being measured.
    if len(text) > width // 2 and sum(map(cell_len, shown)) > width:
        from rich.segment import Segment

        cropped = Segment.adjust_line_length(line, width, pad=False)
        text = "".join([segment.text for segment in cropped if not segment.control])
    return text.rstrip(" \t")


def _json(data: Any) -> None:
    import json

    from xixin_cli.terminal import json_safe

    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def _left_out(hidden: int, lang: str) -> None:
    if hidden:
        out(message("left_out", lang, n=hidden))


# -- one function per result ----------------------------------------------------------------------


def _checklist(result: Checklist) -> int:
    if result.form is Form.JSON:
        from xixin_cli.export import records

        _json(records(result.plan, result.states))
        return 0
    from xixin_cli.render import checklist_table

    _print(checklist_table(result.plan, result.states, result.lang))
    _left_out(result.hidden, result.lang)
    return 0


def _item(result: ItemView) -> int:
    if result.form is Form.JSON:
        from xixin_cli.export import item_record

        record = item_record(result.plan, result.state)
        if result.name:  # in a workspace: which plan, and the id qualified by it, as overdue
            record = {"plan": result.name, "ref": f"{result.name}:{result.state.item.id}", **record}
        _json(record)
        return 0
    from xixin_cli.render import item_view

    _print(item_view(result.plan, result.state, result.lang, result.seen_by))
    return 0


def _evidence(result: EvidenceList) -> int:
    if result.form is Form.JSON:
        from xixin_cli.export import records

        _json(records(result.plan, result.states))
        return 0
    if not result.states:
        out(message("no_items", result.lang))
        return 0
    from xixin_cli.render import evidence_table

    _print(evidence_table(result.plan, result.states, result.lang))
    return 0


def _history(result: History) -> int:
    if result.form is Form.JSON:
        from xixin_cli.export import event_record

        _json([event_record(event) for event in result.events])
        return 0
    if not result.events:
        notice(message("no_history", result.lang))
        return 0
    from xixin_cli.render import history_table

    _print(history_table(result.plan, result.events, result.lang, result.undone))
    _left_out(result.hidden, result.lang)
    return 0


def _due(result: DueList) -> int:
    if result.form is Form.JSON:
        from xixin_cli.export import due_record

        if result.sources:
            named = zip(result.rows, result.sources, strict=True)
            _json([due_record(plan, row, name) for row, (name, plan) in named])
        else:
            _json([due_record(result.plan, row) for row in result.rows])
        return 0
    from xixin_cli.render import due_table, phase_table

    lang = result.lang
    if result.rows:
        _print(
            due_table(
                result.plan,
                result.rows,
                lang,
                result.today,
                late=result.late,
                until=result.until,
                sources=result.sources if result.plans else (),
                plans=result.plans,
            )
        )
        _left_out(result.hidden, lang)
    else:
        out(message("nothing_overdue" if result.late else "nothing_upcoming", lang))
    if result.marks:
        _print(phase_table(result.plan, result.marks, lang))
    return 0


def _reminder(result: Reminder) -> int:
    from xixin_cli.errors import ExitCode

    if result.form is Form.JSON:
        from xixin_cli.export import digest_record

        _json(digest_record(result.plan, result.digest))
    elif result.form is Form.PLAIN:
        from xixin_cli.render import digest_plain

        sys.stdout.write(shown(digest_plain(result.plan, result.digest, result.lang)))
    else:
        from xixin_cli.render import digest_view

        _print(digest_view(result.plan, result.digest, result.lang), paged=result.paged)
    return int(ExitCode.OVERDUE) if result.fail and result.digest.overdue else 0


def _several(result: Several) -> int:
    """One result per plan of a workspace: each in turn under its plan's name; as JSON, one
    object listing them. The code is the most urgent any of them ends with."""
    if result.form is Form.JSON:
        from xixin_cli.export import board_record, digest_record

        plans = []
        for each in result.results:
            if isinstance(each, Reminder):
                plans.append({"plan": each.name, **digest_record(each.plan, each.digest)})
            else:
                plans.append({"plan": each.name, **board_record(each.board)})
        _json({"plans": plans})
        codes = [_reminder_code(each) for each in result.results if isinstance(each, Reminder)]
        return max(codes, default=0)
    code = 0
    for n, each in enumerate(result.results):
        if n:
            out("")
        out(
            message(
                "workspace.plan_heading", each.lang, name=each.name, title=each.plan.document.title
            )
        )
        code = max(code, present(each))
    return code


def _plan_list(result: PlanList) -> int:
    """`plan list`: one row per plan of the workspace."""
    if result.form is Form.JSON:
        _json(
            [
                {
                    "plan": row.name,
                    "path": row.path,
                    "number": row.number,
                    "title": row.title,
                    "total": row.leaves,
                    "closed": row.closed,
                    "overdue": row.overdue,
                }
                for row in result.plans
            ]
        )
        return 0
    from rich.table import Table

    lang = result.lang
    table = Table(
        title=message("title.plans", lang),
        caption=message("as_of", lang, date=result.today.isoformat()),
    )
    for key in ("col.plan", "col.number", "col.title", "col.progress", "col.overdue_count"):
        table.add_column(message(key, lang), overflow="fold")
    for row in result.plans:
        rate = f"{row.closed * 100 // row.leaves}%" if row.leaves else "—"
        progress = message("plan.progress", lang, closed=row.closed, total=row.leaves, rate=rate)
        table.add_row(row.name or "—", row.number, row.title, progress, str(row.overdue))
    _print(table)
    return 0


def _reminder_code(result: Reminder) -> int:
    from xixin_cli.errors import ExitCode

    return int(ExitCode.OVERDUE) if result.fail and result.digest.overdue else 0


def _sending(result: Sending) -> int:
    """The reminder printed first (it is never lost), then sent; a target that fails is named
    with the reason, and the run ends with the send exit code."""
    from xixin_cli.errors import ExitCode

    lang = result.lang
    reminder = result.reminder
    code = int(ExitCode.OVERDUE) if reminder.fail and reminder.digest.overdue else 0
    try:
        if result.texts is None:
            code = _reminder(reminder)
        else:
            sys.stdout.write(shown("\n".join(result.texts)))
        sys.stdout.flush()
    except BrokenPipeError:  # `… | head` read what it wanted: the group still gets it all
        pass
    for document in result.documents:
        _document(document)
    failed, sent, count = [], [], 0
    if result.outbox:
        from xixin_cli.send import deliver

        for target, texts in result.outbox:
            failure = deliver(target, texts)
            if failure is None:
                sent.append(target.shown)
                count += len(texts)
                notice(message("send.sent", lang, target=target.shown, n=len(texts)))
            else:
                failed.append(target.shown)
                why = message(failure.code, lang, reason=failure.reason)
                sys.stderr.write(
                    shown(f"xixin: {message('error', lang)}: ")
                    + shown(message("send.failed_line", lang, target=target.shown, reason=why))
                    + "\n"
                )
    if failed:
        code = int(ExitCode.SEND)
    if result.run_log is not None:
        from xixin_cli.dates import now_in_china
        from xixin_cli.scheduler import Run, log_run

        run = Run(now_in_china(), tuple(sent), count, tuple(failed), code)
        if not log_run(result.run_log, run):
            warn(message("schedule.log_unwritten", lang, path=str(result.run_log)), lang)
    return code


def _board(result: BoardView) -> int:
    if result.form is Form.JSON:
        from xixin_cli.export import board_record

        _json(board_record(result.board))
        return 0
    from xixin_cli.render import board_view

    view = board_view(result.plan, result.board, result.lang)
    _print(view)
    if result.image is not None:
        from xixin_cli.picture import write_picture

        write_picture(result.image, result.plan, result.board, result.lang, view)
        notice(message("written", result.lang, path=str(result.image)))
    return 0


def _document(result: Document) -> int:
    for line in result.notices:
        notice(line)
    if result.output is None:
        # A file gets the text as it is; a terminal gets it with escapes written out.
        sys.stdout.write(shown(result.text) if sys.stdout.isatty() else result.text)
    else:
        from xixin_cli.files import write_atomic

        write_atomic(result.output, result.text)
        notice(message("written", result.lang, path=str(result.output)))
    for line in result.after:
        notice(line)
    return 0


def _files(result: Files) -> int:
    for document in result.documents:
        _document(document)
    return 0


def _lines(result: Lines) -> int:
    for line in result.out:
        out(line)
    try:
        for line in result.notices:
            notice(line)
    except OSError:  # the change is recorded; a confirmation nobody can read changes nothing
        pass
    return result.code


def _findings(result: Findings) -> int:
    for problems, verdict, failed in result.sections:
        _problems(problems, result.lang)
        if verdict:
            (notice if failed else out)(verdict)
    return result.code


def _problems(problems: Iterable[Problem], lang: str) -> None:
    """Findings of a check are its output: one line each, on stdout."""
    for problem in sorted(problems, key=lambda p: p.line or 0):
        out(problem.render(lang))


_SHOWN: dict[type, Callable[[Any], int]] = {
    Checklist: _checklist,
    ItemView: _item,
    EvidenceList: _evidence,
    History: _history,
    DueList: _due,
    Reminder: _reminder,
    Sending: _sending,
    BoardView: _board,
    Document: _document,
    Files: _files,
    Lines: _lines,
    Findings: _findings,
    Several: _several,
    PlanList: _plan_list,
}
