"""What reaches the terminal: text from plans and logs escaped, streams that never crash.

A plan's title, a note, a writer's name or an id from a merged log may hold escape sequences
(clear the screen, set the window title, write the clipboard) or bidi controls that reorder a
line. They are shown escaped (`\\x1b`, `\\u202e`), never sent raw. A console that cannot encode
what we print (GBK on Chinese Windows, ASCII under `LANG=C`, a file or a pipe with either) gets
the lights as [红] [黄] [绿] and any other character it lacks as an escape, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from typing import Any, TextIO

#: Bidi controls (embeddings, overrides, isolates, marks) and the line and paragraph separators:
#: not control characters to Unicode, but they move or break what a terminal shows.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e") | frozenset(
    "\u2066\u2067\u2068\u2069"
)

#: The lights, and what a console without emoji shows instead, per language.
LIGHTS = {"🔴": "red", "🟡": "yellow", "🟢": "green"}
_FALLBACK = {
    "zh": {"🔴": "[红]", "🟡": "[黄]", "🟢": "[绿]"},
    "en": {"🔴": "[R]", "🟡": "[Y]", "🟢": "[G]"},
}

#: Set once per run by `prepare`: the replacements for the lights, when they are not shown.
_lights: dict[int, str] = {}


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (
        (code < 32 and ch not in "\n\t")
        or 127 <= code < 160
        or ch in _INVISIBLE
        or (0xD800 <= code < 0xE000)
    )


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """`text` with control, escape and bidi characters written as escapes; newlines and tabs
    stay. Fast for the usual text, which has none of them."""
    if text.isprintable() or not any(_unsafe(ch) for ch in text):
        return text
    return "".join(_escape(ch) if _unsafe(ch) else ch for ch in text)


def json_safe(text: str) -> str:
    """JSON text with the characters `clean` escapes that JSON leaves raw (C1 controls, bidi,
    separators) written as \\u escapes: the same JSON value, harmless on a terminal."""
    if text.isascii():
        return text
    return "".join(f"\\u{ord(ch):04x}" if ord(ch) >= 127 and _unsafe(ch) else ch for ch in text)


def lights(text: str) -> str:
    """`text` with the light emoji replaced, when this run does not show them."""
    return text.translate(_lights) if _lights else text


def _handler(error: UnicodeError) -> tuple[str, int]:
    """Encoding errors on our streams: a light as [红], anything else as an escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    shown = "".join(_lights.get(ord(ch)) or _FALLBACK["zh"].get(ch) or _escape(ch) for ch in bad)
    return shown, error.end


codecs.register_error("xixin", _handler)


def _can_encode(stream: Any, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def prepare(lang: str, *, ascii_only: bool = False) -> None:
    """Make stdout and stderr safe for this run: a missing (closed) stream writes nowhere,
    characters a stream cannot encode are replaced, and the lights fall back to [红] [黄] [绿]
    when asked (`--ascii`, XIXIN_ASCII) or when stdout cannot encode them."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or _closed(stream):
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _can_encode(stream, "🔴\udcff"):
            with contextlib.suppress(Exception):
                reconfigure(errors="xixin")
    asked = ascii_only or os.environ.get("XIXIN_ASCII", "") not in ("", "0")
    _lights.clear()
    if asked or not _can_encode(sys.stdout, "🔴🟡🟢"):
        table = _FALLBACK.get(lang, _FALLBACK["zh"])
        _lights.update({ord(mark): shown for mark, shown in table.items()})


def _closed(stream: TextIO) -> bool:
    try:
        return stream.closed or (stream.fileno() >= 0 and not _fd_open(stream.fileno()))
    except (OSError, ValueError, AttributeError):
        return False  # no file descriptor (a test's capture): it is open


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def trimmed(text: str) -> str:
    """`text` without the blanks rich pads each line with (kept before a line's closing colour
    codes, so a file or a pipe gets lines that end where their words do)."""
    if "\x1b" not in text:  # no colour codes (a file, a pipe): the same, ten times faster
        return "\n".join([line.rstrip(" \t") for line in text.split("\n")])
    import re

    return re.sub(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", r"\1", text, flags=re.M)


def page(text: str) -> bool:
    """Show `text` through the user's pager: PAGER, else `less` (or `more`); as git does, LESS
    defaults to FRX (colour, and no paging when it fits). False when no pager runs (PAGER set
    to nothing or to cat, or no pager found): the caller prints the text itself."""
    import shutil
    import subprocess

    command = os.environ.get("PAGER")
    if command is None:
        command = "less" if shutil.which("less") else "more"
    if command.strip() in ("", "cat"):
        return False
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
    try:
        pager = subprocess.Popen(  # PAGER is a shell command, as git runs it
            command,
            stdin=subprocess.PIPE,
            env=env,
            shell=True,
            encoding=getattr(sys.stdout, "encoding", None) or "utf-8",
            errors="xixin",
        )
    except (OSError, ValueError):
        return False
    assert pager.stdin is not None
    with contextlib.suppress(OSError):  # the reader quit before the end: that is fine
        pager.stdin.write(text)
        pager.stdin.close()
    while True:
        try:
            pager.wait()
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue
        return True
