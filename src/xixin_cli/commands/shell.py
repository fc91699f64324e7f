"""The shell's completion: `xixin completion bash|zsh|fish|powershell`."""

from __future__ import annotations

from typing import Annotated

import typer

from xixin_cli.errors import UsageError
from xixin_cli.results import Lines


def completion(
    shell: Annotated[str, typer.Argument(metavar="bash|zsh|fish|powershell")],
    words: Annotated[list[str] | None, typer.Argument(hidden=True)] = None,
    current: Annotated[str | None, typer.Option("--current", hidden=True)] = None,
) -> Lines:
    """Print the completion script for a shell; the script asks again with --current."""
    from xixin_cli.completion import SHELLS, candidates, script

    if shell not in SHELLS:
        raise UsageError("usage.bad_shell", value=shell, shells=" ".join(SHELLS))
    if current is None:
        return Lines(out=(script(shell).rstrip("\n"),))
    return Lines(out=tuple(candidates(words or [], current)))


COMMANDS = {"completion": completion}
GROUPS: dict[str, dict[str, object]] = {}
