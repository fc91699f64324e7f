"""Writing output files whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from xixin_cli.errors import OutputError


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8); on any failure the old file is left as it was."""
    name = str(path)
    if path.is_dir():
        raise OutputError("output.is_dir", path=name)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError("output.no_folder", folder=str(folder))
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            "output.cannot_write", path=name, reason=exc.strerror or str(exc)
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(
            "output.cannot_write", path=name, reason=exc.strerror or str(exc)
        ) from None
