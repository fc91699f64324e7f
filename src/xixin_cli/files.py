"""Writing output files whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from xixin_cli.errors import OutputError


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8); on any failure the old file is left as it was."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data`; on any failure the old file is left as it was."""
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
        # mkstemp makes the file private (0600); an export is for sharing, so it gets what the
        # file it replaces had, or what the user's umask gives a new file.
        os.chmod(temp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(
            "output.cannot_write", path=name, reason=exc.strerror or str(exc)
        ) from None


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
