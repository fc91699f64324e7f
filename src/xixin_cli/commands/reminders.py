"""The reminder as messages that reach people: per unit, into files, or sent to a group.

Used by `remind` (with `--plain --office`, `--split-by office` or `--send`) and by the
scheduled run (`schedule run`); the messages themselves are written by `messages.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from xixin_cli.commands._options import guard_output
from xixin_cli.errors import UsageError
from xixin_cli.results import Document, Form, Reminder, Sending
from xixin_cli.schedule import Filter
from xixin_cli.session import Session

if TYPE_CHECKING:
    from xixin_cli.messages import UnitMessage


def delivered(
    ctx: typer.Context,
    opened: Session,
    where: Filter,
    reminder: Reminder,
    send: Sequence[str],
    split_by: str | None = None,
    output: Path | None = None,
    *,
    as_texts: bool = False,
) -> Sending:
    """What `remind` prints, writes and sends when it is asked for messages: per unit when
    `--office` or `--split-by office` says so, else the whole office's; printed as messages
    with `--plain` (or `as_texts`), else as `remind` prints it."""
    from xixin_cli.messages import CHAT_LIMIT, office_message, unit_messages
    from xixin_cli.send import targets

    if split_by not in (None, "office"):
        raise UsageError("usage.bad_split_by", value=split_by)
    if split_by is not None and output is None:
        raise UsageError("usage.split_needs_folder")
    if split_by is None and output is not None:
        raise UsageError("remind.output_needs_split")
    goes_to = targets(send)
    plan, lang, week = opened.plan, opened.lang, reminder.digest
    per_unit = where.office is not None or split_by is not None

    def texts(limit: int) -> list[str]:
        if not per_unit:
            return office_message(plan, week, lang, limit)
        found = unit_messages(plan, week, lang, limit)
        return [part for unit in found for part in unit.parts]

    documents: list[Document] = []
    if split_by is not None and output is not None:
        documents = _files(ctx, opened, output, unit_messages(plan, week, lang))
    plain = as_texts or reminder.form is Form.PLAIN
    printed = ([] if documents else texts(CHAT_LIMIT)) if plain else None
    return Sending(
        lang,
        reminder,
        printed,
        [(target, texts(target.limit)) for target in goes_to],
        documents=documents,
    )


def _files(
    ctx: typer.Context, opened: Session, folder: Path, units: Sequence[UnitMessage]
) -> list[Document]:
    """One file per unit, `<unit>-提醒.txt`, its parts one after another."""
    from xixin_cli.files import file_in, name_in, split_folder
    from xixin_cli.i18n import message

    split_folder(folder)
    taken: set[str] = set()
    documents = []
    for unit in units:
        stem = name_in(lambda name: message("msg.file", opened.lang, unit=name), unit.name)
        path = file_in(folder, stem, ".txt", taken)
        documents.append(Document("\n".join(unit.parts), path, opened.lang))
    guard_output(ctx, opened, *(document.output for document in documents))
    return documents
