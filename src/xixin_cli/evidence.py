"""Evidence files (佐证材料): their fingerprint, and whether it still matches the record."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from xixin_cli.errors import UsageError


class Fingerprint(NamedTuple):
    """A file as it is: absolute path, size and SHA-256."""

    path: str
    size: int
    sha256: str


def fingerprint(path: Path) -> Fingerprint:
    """The file's fingerprint; UsageError when it is missing, not a file or unreadable."""
    import hashlib

    absolute = path.expanduser().resolve()
    if not absolute.exists():
        raise UsageError("usage.evidence_missing", path=str(path))
    if not absolute.is_file():
        raise UsageError("usage.evidence_not_file", path=str(path))
    digest = hashlib.sha256()
    size = 0
    try:
        with absolute.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    except OSError as exc:
        raise UsageError(
            "usage.evidence_unreadable", path=str(path), reason=exc.strerror or str(exc)
        ) from None
    return Fingerprint(str(absolute), size, digest.hexdigest())


def still_matches(path: str, size: int, sha256: str) -> str | None:
    """None when the file is as recorded; else "missing" or "changed"."""
    file = Path(path)
    if not file.is_file():
        return "missing"
    try:
        now = fingerprint(file)
    except UsageError:
        return "missing"
    return None if (now.size, now.sha256) == (size, sha256) else "changed"
