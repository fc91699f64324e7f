"""Importing a plan document: import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xixin_cli.commands._options import settings
from xixin_cli.errors import OutputError
from xixin_cli.i18n import message
from xixin_cli.results import Document


def import_(
    ctx: typer.Context,
    document: Annotated[Path, typer.Argument(metavar="FILE")],
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="PLAN")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
) -> Document:
    """Read an implementation plan and write it as a plan file; list what could not be placed."""
    from xixin_cli.importer import decode, docx_text, import_text
    from xixin_cli.plan_file import parse_plan, read_plan_bytes

    lang = settings(ctx).language()
    data = read_plan_bytes(document)  # says clearly if the file is missing or unreadable
    if document.suffix.lower() == ".docx":
        text, encoding = docx_text(document), "DOCX"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # old Notepad's "Unicode", with its BOM
        text, encoding = _utf16(data, str(document)), "UTF-16"
    else:
        text, encoding = decode(data)
    result = import_text(text)
    parse_plan(result.yaml, str(output or document))  # what we write must load
    if output is not None:
        from xixin_cli.files import refuse_inputs

        refuse_inputs(output, [(document, "document")])
    if output is not None and output.exists() and not force:
        raise OutputError("output.exists", path=str(output))
    notices = []
    if result.unplaced:
        notices.append(message("import.unplaced", lang, n=len(result.unplaced)))
        notices += [
            message(
                "import.line",
                lang,
                line=miss.line,
                reason=message(f"import.{miss.reason}", lang),
                text=miss.text,
            )
            for miss in result.unplaced
        ]
    done = message("import.done", lang, items=result.items, encoding=encoding)
    return Document(result.yaml, output, lang, notices=notices, after=[done])


def _utf16(data: bytes, name: str) -> str:
    from xixin_cli.errors import PlanError, Problem

    try:
        return data.decode("utf-16")
    except UnicodeDecodeError:
        raise PlanError([Problem(name, None, None, "file.not_utf8")]) from None


COMMANDS = {"import": import_}
GROUPS: dict[str, dict[str, object]] = {}
