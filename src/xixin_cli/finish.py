"""The last step of every run: flush what was printed, and say in one line on stderr what
went wrong. Apart from the command line (cli.py), so that `xixin --version` ends the same way
without importing it (__main__.py)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from xixin_cli.errors import ExitCode
from xixin_cli.i18n import DEFAULT_LANGUAGE, LANGUAGES, message


def finish(code: int, last: str = "") -> int:
    """Print `last` and flush what was printed, before the process leaves without the
    interpreter's teardown: a reader that went away is no error, a full disk is."""
    try:
        if last:
            sys.stdout.write(last)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as exc:
        return output_failed(exc, language(sys.argv[1:]))
    return code


def error_line(line: str, lang: str) -> None:
    from xixin_cli.terminal import clean, lights

    sys.stderr.write(lights(clean(f"xixin: {message('error', lang)}: {line}")) + "\n")


def output_failed(exc: OSError, lang: str) -> int:
    """One line for output that could not be written, e.g. `xixin list > f` on a full disk."""
    with contextlib.suppress(OSError):
        error_line(message("output.stdout", lang, reason=exc.strerror or str(exc)), lang)
    return int(ExitCode.OUTPUT)


def language(args: Sequence[str]) -> str:
    """The UI language before any plan is read: --lang, else XIXIN_LANG, else Chinese."""
    lang = os.environ.get("XIXIN_LANG", "")
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            lang = args[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.removeprefix("--lang=")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
