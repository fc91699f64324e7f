"""Read a Chinese implementation plan (实施方案/工作方案/行动计划, or its 任务分解表) and write it
as a plan file.

The numbering tree (numbering.py) gives the structure, whatever the sections are called; the
tag grammar (tags.py) and the unit lexicon (units.py) give each item's responsible units and
lead; date phrases (dates.py) its deadline; task tables (tables.py) in Word or Excel become
items row by row; the metadata (metadata.py) is found wherever it stands. It never invents a
unit or a date: an item that names no unit goes to a visible placeholder unit (未明确责任单位),
every judgement is written into the item's note, and every line it could not place is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xixin_cli.importer.build import PLACEHOLDER_UNIT, Found, SkippedTable, Unplaced, build
from xixin_cli.importer.sources import Source, decode, read_docx, read_source, text_source
from xixin_cli.importer.writer import to_yaml

__all__ = [
    "PLACEHOLDER_UNIT",
    "Found",
    "Imported",
    "SkippedTable",
    "Unplaced",
    "decode",
    "docx_text",
    "import_file",
    "import_text",
]


@dataclass
class Imported:
    """The result: the plan file's text, and everything the CLI must say about it."""

    yaml: str
    unplaced: list[Unplaced]
    items: int  # how many items were read
    encoding: str = "UTF-8"  # UTF-8, GB18030, UTF-16, DOCX, XLSX or XLS
    skipped_tables: list[SkippedTable] = field(default_factory=list)
    found: Found | None = None  # what the document holds, for the line shown when items == 0
    notes: list[tuple[int, str]] = field(default_factory=list)  # sections kept as notes


def _imported(source: Source) -> Imported:
    result = build(source)
    return Imported(
        to_yaml(result),
        result.unplaced,
        len(result.items),
        source.encoding,
        result.skipped,
        result.found,
        result.notes,
    )


def import_file(path: Path) -> Imported:
    """Read any supported file (text, .docx, .xlsx, .xls, .csv) and import it.

    Raises PlanError (exit 3) for a file that cannot be read and UsageError (exit 2) for one
    of a kind it does not read; never a traceback.
    """
    return _imported(read_source(path))


def import_text(text: str) -> Imported:
    """Import a document's text."""
    return _imported(text_source(text))


def docx_text(path: Path) -> str:
    """The paragraphs of a .docx, one per line (tables are read by import_file)."""
    return "\n".join(read_docx(path).lines)
