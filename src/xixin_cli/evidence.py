"""Evidence files (佐证材料): their fingerprint, and whether it still matches the record."""

from __future__ import annotations

from pathlib import Path

from xixin_cli.errors import UsageError
from xixin_cli.tuples import NamedTuple


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


def still_matches(path: str, size: int, sha256: str, store: Path | None = None) -> str | None:
    """None when the file is as recorded, or its copy in `store` is; else "missing",
    "changed" or "copy_changed" (the stored copy is not what was recorded)."""
    if store is not None:
        copy = stored(store, sha256)
        if copy.is_file():
            return None if file_hash(copy) == sha256 else "copy_changed"
    file = Path(path)
    if not file.is_file():
        return "missing"
    try:
        now = fingerprint(file)
    except UsageError:
        return "missing"
    return None if (now.size, now.sha256) == (size, sha256) else "changed"


# -- the store: copies of evidence files beside the log, by SHA-256 ------------------------------


def store_of(log: Path) -> Path:
    """The folder that keeps copies of a log's evidence files: `<log>.evidence` beside it."""
    return log.with_name(log.name + ".evidence")


def stored(store: Path, sha256: str) -> Path:
    """Where the copy of the file with this SHA-256 is kept (whether or not it is there)."""
    return store / sha256[:2] / sha256


def _valid_sha(text: str) -> bool:
    return len(text) == 64 and all(ch in "0123456789abcdef" for ch in text)


def keep_copy(store: Path, source: Path) -> Fingerprint:
    """Copy `source` into the store, hashing it as it is copied, and return the fingerprint of
    what was kept (so the record names exactly the bytes stored). A copy already there is kept.

    UsageError when the file cannot be read; OutputError when the store cannot be written.
    """
    import hashlib
    import os
    import tempfile

    from xixin_cli.errors import OutputError

    found = fingerprint(source)  # says clearly what is wrong with the file itself
    absolute = Path(found.path)
    try:
        store.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".incoming.", dir=store)
    except OSError as exc:
        raise OutputError(
            "output.cannot_write", path=str(store), reason=exc.strerror or str(exc)
        ) from None
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out, absolute.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        target = stored(store, digest.hexdigest())
        target.parent.mkdir(exist_ok=True)
        if target.is_file() and file_hash(target) == digest.hexdigest():
            Path(temp).unlink()  # the very bytes are there already
        else:
            os.chmod(temp, 0o444)
            os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(
            "output.cannot_write", path=str(store), reason=exc.strerror or str(exc)
        ) from None
    return Fingerprint(found.path, size, digest.hexdigest())


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a file, or None when it cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def store_problems(store: Path) -> list[str]:
    """The files in the store that are not what their name says (changed or damaged copies)."""
    if not store.is_dir():
        return []
    bad = []
    for path in sorted(store.glob("??/*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        if not _valid_sha(path.name) or file_hash(path) != path.name:
            bad.append(str(path))
    return bad


def bring_copies(source_store: Path, store: Path) -> tuple[int, list[str]]:
    """Copy into `store` every file of `source_store` it lacks, each checked against its name
    as it is copied; returns how many were brought and the ones refused (not what they say)."""
    import shutil

    if not source_store.is_dir() or source_store.resolve() == store.resolve():
        return 0, []
    brought, refused = 0, []
    for path in sorted(source_store.glob("??/*")):
        if path.name.startswith(".") or not path.is_file() or not _valid_sha(path.name):
            continue
        target = stored(store, path.name)
        if target.is_file():
            continue
        if file_hash(path) != path.name:
            refused.append(str(path))
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.incoming")
            shutil.copyfile(path, temp)
            if file_hash(temp) != path.name:  # changed while copied: not kept
                temp.unlink()
                refused.append(str(path))
                continue
            temp.replace(target)
        except OSError as exc:
            from xixin_cli.errors import OutputError

            raise OutputError(
                "output.cannot_write", path=str(target), reason=exc.strerror or str(exc)
            ) from None
        brought += 1
    return brought, refused
