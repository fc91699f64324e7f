"""Importing a plan document: import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import settings
from xixin_cli.errors import OutputError
from xixin_cli.i18n import message
from xixin_cli.results import Document

if TYPE_CHECKING:
    from xixin_cli.importer import Unplaced


def import_(
    ctx: typer.Context,
    document: Annotated[Path, typer.Argument(metavar="FILE")],
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="PLAN")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
) -> Document:
    """Read an implementation plan (text, .docx, .xlsx, .xls or .csv) and write it as a plan
    file; list what could not be placed, the tables skipped and the sections kept as notes."""
    from dataclasses import asdict

    from xixin_cli.errors import PlanError, Problem
    from xixin_cli.importer import import_file
    from xixin_cli.plan_file import parse_plan, read_plan_bytes

    lang = settings(ctx).language()
    read_plan_bytes(document)  # a FIFO, a device or a huge file is refused before it is read
    result = import_file(document)  # says clearly if the file is missing or unreadable
    notices = []
    if result.unplaced:
        notices.append(message("import.unplaced", lang, n=len(result.unplaced)))
        for run in _runs(result.unplaced):
            first, reason = run[0], message(f"import.{run[0].reason}", lang)
            if len(run) == 1:
                notices.append(
                    message("import.line", lang, line=first.line, reason=reason, text=first.text)
                )
            else:  # a table copied one cell a line: its lines as one range
                notices.append(
                    message(
                        "import.lines",
                        lang,
                        first=first.line,
                        last=run[-1].line,
                        n=len(run),
                        reason=reason,
                        text=first.text,
                    )
                )
    if result.skipped_tables:
        notices.append(message("import.skipped_tables", lang, n=len(result.skipped_tables)))
        for table in result.skipped_tables:
            where = (
                message("import.table_sheet", lang, sheet=table.sheet)
                if table.sheet
                else message("import.table_after", lang, line=table.line)
            )
            notices.append(
                message(
                    "import.skipped_table", lang, index=table.index, first=table.first, where=where
                )
            )
    if result.notes:
        notices.append(message("import.notes", lang, n=len(result.notes)))
        notices += [
            message("import.note_line", lang, line=line, title=title)
            for line, title in result.notes
        ]
    if not result.items:  # nothing to write: say what was found, and every line above
        found = asdict(result.found) if result.found is not None else {}
        said = [Problem(str(document), None, None, "import.nothing_found", **found)]
        raise PlanError(
            [*said, *(Problem(str(document), None, None, "text", text=t) for t in notices)]
        )
    parse_plan(result.yaml, str(output or document))  # what we write must load
    if output is not None:
        from xixin_cli.files import refuse_inputs

        refuse_inputs(output, [(document, "document")])
    if output is not None and output.exists() and not force:
        raise OutputError("output.exists", path=str(output))
    done = message("import.done_file", lang, items=result.items, encoding=result.encoding)
    return Document(result.yaml, output, lang, notices=notices, after=[done])


def _runs(unplaced: list[Unplaced]) -> list[list[Unplaced]]:
    """The lines to list, a flattened table's cells (next to each other) as one run."""
    runs: list[list[Unplaced]] = []
    for miss in unplaced:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and miss.reason == last.reason == "table_cells"
            and miss.line - last.line <= 2
        ):
            runs[-1].append(miss)
        else:
            runs.append([miss])
    return runs


COMMANDS = {"import": import_}
GROUPS: dict[str, dict[str, object]] = {}
