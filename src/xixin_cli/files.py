"""Writing output files whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from xixin_cli.errors import OutputError, UsageError

#: How the name of a file ends, never a folder's: what xixin writes and reads, and the
#: office's documents. A `--split-by` folder is refused such a name while it is not there yet.
FILE_SUFFIXES = frozenset(
    (
        ".md", ".txt", ".csv", ".ics", ".json", ".jsonl", ".yaml", ".yml", ".png", ".xlsx",
        ".xls", ".xlsm", ".et", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm", ".zip",
        ".jpg", ".jpeg",
    )
)  # fmt: skip


def check_split_folder(folder: Path) -> None:
    """Refuse an `-o` that cannot be the folder a `--split-by office` output goes into: a
    file (OutputError), or a name not there yet that ends as a file's does (`-o 表.xlsx`,
    UsageError, naming the folder to give instead). A folder already there is a folder,
    whatever its name. Asked before anything is made."""
    if folder.exists():
        if not folder.is_dir():
            raise OutputError("output.not_a_folder", path=str(folder))
    elif folder.suffix.lower() in FILE_SUFFIXES:
        raise UsageError(
            "usage.split_names_a_file", path=str(folder), folder=str(folder.with_suffix(""))
        )


def split_folder(folder: Path) -> Path:
    """The folder a `--split-by office` output goes into, made if it is not there yet
    (`-o 表格/`); what `check_split_folder` refuses is refused."""
    check_split_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            "output.cannot_write", path=str(folder), reason=exc.strerror or str(exc)
        ) from None
    return folder


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


def refuse_inputs(outputs: Path | Iterable[Path], inputs: Iterable[tuple[Path, str]]) -> None:
    """OutputError when an output is one of `inputs` (path, what it is: "log", "plan",
    "evidence" or "document", each with its message `output.is_<what>`).

    The same file is found through links and other spellings of its path (the same device and
    inode), and by its resolved path while it does not exist yet (a default log not yet
    written). The inputs are resolved once however many outputs there are (a county's
    thousands of evidence files, thirty forms). Checked before anything is written, so an
    export never replaces the log it was made from.
    """
    resolved: dict[Path, str] = {}
    inodes: dict[tuple[int, int], str] = {}
    for path, what in inputs:
        try:
            resolved.setdefault(path.expanduser().resolve(), what)
            found = os.stat(path)
            inodes.setdefault((found.st_dev, found.st_ino), what)
        except (OSError, RuntimeError):
            continue  # not there (yet): its resolved path, if any, was kept
    for output in [outputs] if isinstance(outputs, Path) else outputs:
        try:
            kind = resolved.get(output.expanduser().resolve())
            if kind is None and output.exists():
                found = os.stat(output)
                kind = inodes.get((found.st_dev, found.st_ino))
        except (OSError, RuntimeError):
            continue  # the writer says what is wrong with a path that cannot be resolved
        if kind is not None:
            raise OutputError(f"output.is_{kind}", path=str(output))


#: Characters no file name may hold on Windows, macOS or Linux, and names Windows reserves.
_NOT_IN_NAMES = frozenset('<>:"/\\|?*')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in range(1, 10)]
    + [f"LPT{n}" for n in range(1, 10)]
)
#: Longest file name most file systems take is 255 bytes; leave room for a suffix and a number.
_NAME_BYTES = 200


def safe_file_name(text: str, room: int = _NAME_BYTES) -> str:
    """`text` (an office's or an item's name from a plan or a log) as one plain file name.

    Separators, control and invisible format characters (`model.control_character`,
    `model.invisible_character`) and characters Windows refuses become "_", a leading dot
    or a trailing dot or space goes, names Windows reserves (CON, NUL…) and a name that would
    lead with "-" (a shell takes it for an option) get a "_" in front, and the name is cut to
    `room` bytes; it never names a folder above or a hidden file.
    """
    from xixin_cli.model import control_character, invisible_character

    cleaned = "".join(
        "_" if ch in _NOT_IN_NAMES or control_character(ch) or invisible_character(ch) else ch
        for ch in text
    )
    cleaned = cleaned.strip().lstrip(".").rstrip(". ")
    if cleaned.split(".")[0].upper() in _RESERVED or cleaned.startswith("-"):
        cleaned = "_" + cleaned
    while len(cleaned.encode("utf-8")) > room:
        cleaned = cleaned[:-1]
    return cleaned or "_"


def name_in(template: Callable[[str], str], name: str) -> str:
    """`template(name)` (a file's stem: "{name}-推进情况表"), the name made safe and cut so
    that what the template adds is never cut off."""
    added = len(template("").encode("utf-8"))
    return template(safe_file_name(name, max(_NAME_BYTES - added, 16)))


def file_in(folder: Path, stem: str, suffix: str, taken: set[str]) -> Path:
    """A file `<stem><suffix>` inside `folder`, its stem made safe and not one of `taken`
    (compared without case, as Windows and macOS do); adds the name it chose to `taken`."""
    base = safe_file_name(stem)
    name, number = base + suffix, 2
    while name.lower() in taken:
        name, number = f"{base}-{number}{suffix}", number + 1
    taken.add(name.lower())
    path = folder / name
    if path.parent != folder:  # cannot happen for a safe name; a last guard all the same
        raise OutputError("output.cannot_write", path=str(path), reason="unsafe name")
    return path
