"""The office's files: 推进情况表 forms out and back (xlsx), the 台账 ledger (xlsx) and reports
in 公文格式 (docx).

openpyxl and python-docx are imported only inside the functions that write or read a file, so
no other command pays for them (`tests/test_startup.py`).
"""

from __future__ import annotations


def need(module: str, extra: str) -> None:
    """Make sure an optional library is installed, else say which extra brings it (exit 2)."""
    from importlib.util import find_spec

    from xixin_cli.errors import UsageError

    if find_spec(module) is None:
        raise UsageError("usage.needs_extra", module=module, extra=extra)


def _unwritable(ch: str) -> bool:
    """What a workbook or a Word document is not to hold: a control character
    (`model.control_character`) but tab, line feed and carriage return, which XML 1.0 keeps;
    a lone surrogate; U+FFFE and U+FFFF, which XML has no place for either."""
    from xixin_cli.model import control_character

    code = ord(ch)
    return (
        control_character(ch, "\t\n\r") is not None
        or 0xD800 <= code < 0xE000
        or code in (0xFFFE, 0xFFFF)
    )


def xml_safe(text: str) -> str:
    """`text` as a workbook or a Word document can hold it: each character `_unwritable`
    names is written as its escape (`\\x1b`, `\\udcff`), as a terminal shows it, and the rest
    is kept. A plan refuses control characters; a log written by an older or hostile writer,
    or merged from one, may still carry them."""
    if text.isprintable() or not any(_unwritable(ch) for ch in text):
        return text
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}") if _unwritable(ch) else ch
        for ch in text
    )
