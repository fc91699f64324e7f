"""Exports: export markdown, export csv, export ics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xixin_cli.commands._options import (
    AsOfOpt,
    OfficeOpt,
    OutputOpt,
    PhaseOpt,
    StatusOpt,
    day,
    guard_output,
    per_plan,
)
from xixin_cli.errors import UsageError
from xixin_cli.results import Document, Files, Lines
from xixin_cli.session import Session, item_filter, view


def export_markdown(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    group_by: Annotated[str, typer.Option("--group-by")] = "task",
    output: OutputOpt = None,
    split_by: Annotated[str | None, typer.Option("--split-by", metavar="office")] = None,
) -> Document | Files | Lines:
    """A GitHub-style checklist (- [ ] / - [x]), grouped by task or phase."""
    from xixin_cli.export import markdown_checklist
    from xixin_cli.files import check_split_folder, file_in, split_folder

    if group_by not in ("task", "phase"):
        raise UsageError("usage.bad_group_by", value=group_by)
    if split_by not in (None, "office"):
        raise UsageError("usage.bad_split_by", value=split_by)
    if split_by is not None and output is None:
        raise UsageError("usage.split_needs_folder")
    today = day(ctx, as_of)
    if split_by is not None and output is not None:
        check_split_folder(output)

    def make(opened: Session, output: Path | None) -> Document | Files:
        guard_output(ctx, opened, output)
        if split_by is None or output is None:
            where = item_filter(opened, office, phase, status)
            text = markdown_checklist(
                opened.plan, view(opened, where), opened.lang, today, where, group_by=group_by
            )
            return Document(text, output, opened.lang)
        split_folder(output)  # `-o 清单/` makes the folder (README)
        documents = []
        taken: set[str] = set()
        for key, unit in opened.plan.offices.items():  # one checklist per office, `<name>.md`
            if not opened.plan.answers_for_itself(key):
                continue  # a group with members: each member has its own
            where = item_filter(opened, key, phase, status)
            text = markdown_checklist(
                opened.plan, view(opened, where), opened.lang, today, where, group_by=group_by
            )
            # The name comes from the plan: made a plain file name inside the folder, never a
            # path.
            path = file_in(output, unit.name, ".md", taken)
            documents.append(Document(text, path, opened.lang))
        guard_output(ctx, opened, *(document.output for document in documents))
        return Files(documents)

    return per_plan(ctx, output, make, as_of=today, office=office, phase=phase)


def export_csv(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
) -> Document | Files | Lines:
    """The checklist as CSV for Excel: UTF-8 with BOM, no cell run as a formula."""
    from xixin_cli.export import csv_text

    today = day(ctx, as_of)

    def make(opened: Session, output: Path | None) -> Document:
        guard_output(ctx, opened, output)
        where = item_filter(opened, office, phase, status)
        text = csv_text(opened.plan, view(opened, where), opened.lang, today, where)
        return Document(text, output, opened.lang)

    return per_plan(ctx, output, make, as_of=today, to_stdout=False, office=office, phase=phase)


def export_ics(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    remind: Annotated[int, typer.Option("--remind", metavar="DAYS")] = 3,
    output: OutputOpt = None,
) -> Document | Files | Lines:
    """Each deadline as an all-day calendar event with a reminder."""
    from xixin_cli.dates import now_in_china
    from xixin_cli.export import ics_text

    if remind < 0:
        raise UsageError("usage.bad_remind", value=remind)
    now = now_in_china()

    def make(opened: Session, output: Path | None) -> Document:
        guard_output(ctx, opened, output)
        where = item_filter(opened, office, phase, status)
        states = view(opened, where)
        text = ics_text(opened.plan, states, opened.lang, now, where, remind_days=remind)
        return Document(text, output, opened.lang)

    return per_plan(ctx, output, make, to_stdout=False, office=office, phase=phase)


def export_xlsx(
    ctx: typer.Context,
    office: OfficeOpt = None,
    phase: PhaseOpt = None,
    status: StatusOpt = None,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
) -> Document | Files | Lines:
    """The ledger (台账) in Excel: one row per part, 红黄绿 fills, a summary sheet per unit."""
    from xixin_cli.files import write_atomic_bytes
    from xixin_cli.i18n import message
    from xixin_cli.office import need
    from xixin_cli.office.ledger import ledger_bytes
    from xixin_cli.schedule import leaves

    need("openpyxl", "xlsx")
    if output is None:
        raise UsageError("usage.needs_output", format="xlsx")
    today = day(ctx, as_of)

    def make(opened: Session, output: Path | None) -> Lines:
        assert output is not None
        guard_output(ctx, opened, output)
        where = item_filter(opened, office, phase, status)
        kept = leaves(opened.plan, view(opened, where), where)
        data = ledger_bytes(opened.plan, kept, opened.lang, today, opened.calendar(), where)
        write_atomic_bytes(output, data)
        return Lines(notices=[message("written", opened.lang, path=str(output))])

    return per_plan(ctx, output, make, as_of=today, office=office, phase=phase)


COMMANDS: dict[str, object] = {}
GROUPS = {
    "export": {
        "markdown": export_markdown,
        "csv": export_csv,
        "ics": export_ics,
        "xlsx": export_xlsx,
    }
}
