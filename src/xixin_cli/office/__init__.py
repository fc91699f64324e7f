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
