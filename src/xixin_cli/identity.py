"""Who is writing: a stable random id per user account, naming its chain in the status log."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_VALID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


#: Set when this run's id could not be kept: where it should have been (said once, by the shell).
unkept: Path | None = None
_this_run: list[str] = []


def _given() -> str | None:
    """XIXIN_WRITER, when set: refused when it cannot be an id (passed over, two clerks who set
    their names there would write, and undo, as one)."""
    given = os.environ.get("XIXIN_WRITER", "").strip()
    if not given:
        return None
    if not _VALID.match(given):
        from xixin_cli.errors import UsageError

        raise UsageError("usage.bad_writer", value=given if len(given) <= 40 else given[:40] + "…")
    return given


def known_writer() -> str | None:
    """This PC's writer id when one is set or kept already; never makes one."""
    given = _given()
    if given is not None:
        return given
    if _this_run:
        return _this_run[0]
    try:
        existing = _id_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return existing if _VALID.match(existing) else None


def forget() -> None:
    """Start a new run: no id chosen yet (the shell calls this; tests run many in one process)."""
    global unkept
    unkept = None
    _this_run.clear()


def _id_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path("xixin", appauthor=False) / "writer-id"


def writer_id() -> str:
    """XIXIN_WRITER if set, else the id kept in the user's config folder (made on first use).

    The id is random rather than the login name so that two offices whose clerks share a name
    still keep apart chains when their logs are merged. When it cannot be kept, this run still
    uses one id for all it records, and `unkept` says where it should have gone.
    """
    given = _given()
    if given is not None:
        return given
    if _this_run:
        return _this_run[0]
    found = _kept_or_new()
    _this_run.append(found)
    return found


def _kept_or_new() -> str:
    global unkept
    path = _id_file()
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except OSError:
        existing = ""
    if _VALID.match(existing):
        return existing
    import secrets  # only for a new id: it brings hashlib and OpenSSL

    fresh = secrets.token_hex(6)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".writer-id.{os.getpid()}")
        temp.write_text(fresh + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        unkept = path  # an unwritable config folder: this run still signs its records
        return fresh
    try:
        return path.read_text(encoding="utf-8").strip() or fresh
    except OSError:
        unkept = path
        return fresh
