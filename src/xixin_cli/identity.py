"""Who is writing: a stable random id per user account, naming its chain in the status log."""

from __future__ import annotations

import os
import re
import secrets

_VALID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def writer_id() -> str:
    """XIXIN_WRITER if set, else the id kept in the user's config folder (made on first use).

    The id is random rather than the login name so that two offices whose clerks share a name
    still keep apart chains when their logs are merged.
    """
    given = os.environ.get("XIXIN_WRITER", "").strip()
    if given and _VALID.match(given):
        return given
    from platformdirs import user_config_path

    path = user_config_path("xixin", appauthor=False) / "writer-id"
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except OSError:
        existing = ""
    if _VALID.match(existing):
        return existing
    fresh = secrets.token_hex(6)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".writer-id.{os.getpid()}")
        temp.write_text(fresh + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        return fresh  # an unwritable config folder: this run still signs its records
    return path.read_text(encoding="utf-8").strip() or fresh
