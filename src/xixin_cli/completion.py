"""Shell completion: the scripts for bash, zsh, fish and PowerShell, and the words they offer.

A script asks `xixin completion SHELL --current=WORD -- WORDS...` (the words typed so far and
the one being typed) for the candidates, one a line. The answer comes from the command's own
parameters, built alone as any run builds it, and from the plan (from the cache): commands,
options, item ids, statuses, unit names, phases, the values an option's metavar lists, files.
Nothing here is imported by any other command, so completion costs their start-up nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: The shells a script is written for.
SHELLS = ("bash", "zsh", "fish", "powershell")

#: What a parameter holds, by its name.
_ITEMS = frozenset({"item_id", "item_ids"})
_UNITS = frozenset({"office", "units"})

_BASH = """\
# xixin completion for bash: add to ~/.bashrc
#   eval "$(xixin completion bash)"
_xixin_complete() {
    local IFS=$'\\n'
    COMPREPLY=($(xixin completion bash --current="${COMP_WORDS[COMP_CWORD]}" -- \\
        "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null))
}
complete -o default -F _xixin_complete xixin
"""

_ZSH = """\
#compdef xixin
# xixin completion for zsh: add to ~/.zshrc (after compinit)
#   eval "$(xixin completion zsh)"
_xixin() {
    local -a found
    found=("${(@f)$(xixin completion zsh --current="${words[CURRENT]}" -- \\
        "${(@)words[2,CURRENT-1]}" 2>/dev/null)}")
    if (( ${#found} )) && [[ -n "${found[1]}" ]]; then
        compadd -Q -- "${found[@]}"
    else
        _files
    fi
}
if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
    _xixin "$@"
else
    compdef _xixin xixin
fi
"""

_FISH = """\
# xixin completion for fish: save as ~/.config/fish/completions/xixin.fish
#   xixin completion fish > ~/.config/fish/completions/xixin.fish
function __xixin_complete
    set -l typed (commandline -opc)
    set -e typed[1]
    xixin completion fish --current=(commandline -ct) -- $typed 2>/dev/null
end
complete -c xixin -f -a '(__xixin_complete)'
"""

_POWERSHELL = """\
# xixin completion for PowerShell: add to $PROFILE
#   xixin completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName xixin -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $typed = @($commandAst.CommandElements | Select-Object -Skip 1 |
        ForEach-Object { $_.ToString() })
    if ($wordToComplete -ne '' -and $typed.Count -gt 0) {
        $typed = @($typed | Select-Object -SkipLast 1)
    }
    [Console]::OutputEncoding = [System.Text.Encoding]::UTF8
    $env:PYTHONIOENCODING = 'utf-8'
    xixin completion powershell "--current=$wordToComplete" -- @typed 2>$null |
        ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
        }
}
"""

_SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH, "powershell": _POWERSHELL}


def script(shell: str) -> str:
    """The completion script for `shell` (one of SHELLS)."""
    return _SCRIPTS[shell]


def candidates(typed: Sequence[str], current: str) -> list[str]:
    """What may come next after the words `typed`, starting with `current`. The commands are
    built in English: their metavars (md|text) are then the words typed."""
    from xixin_cli.cli import VALUE_OPTIONS, build, command_name
    from xixin_cli.commands import MODULES

    name = command_name([*typed, "-"])  # the command, once one is typed
    if name is None or name not in MODULES or name not in typed:
        root = build([], "en")
        if typed and typed[-1] in VALUE_OPTIONS:
            return _values_of_option(root, typed[-1], current, typed)
        if current.startswith("-"):
            return _matching(_options(root), current)
        return _matching(MODULES, current)
    command = build([name], "en").commands[name]
    after = list(typed[typed.index(name) + 1 :])
    sub = getattr(command, "commands", None)
    if sub:  # a group: its subcommand first
        chosen = next((word for word in after if not word.startswith("-")), None)
        if chosen is None or chosen not in sub:
            return _matching(sub, current)
        command = sub[chosen]
        after = after[after.index(chosen) + 1 :]
    if after and _takes_value(command, after[-1]):
        return _values_of_option(command, after[-1], current, typed)
    if current.startswith("-"):
        return _matching(_options(command), current)
    return _argument_values(command, after, current, typed)


def _options(command: Any) -> list[str]:
    found = []
    for param in command.params:
        if getattr(param, "hidden", False) or param.param_type_name != "option":
            continue
        found += [opt for opt in [*param.opts, *param.secondary_opts] if opt.startswith("--")]
    return [*found, "--help"]


def _option(command: Any, word: str) -> Any:
    for param in command.params:
        if param.param_type_name == "option" and word in (*param.opts, *param.secondary_opts):
            return param
    return None


def _takes_value(command: Any, word: str) -> bool:
    param = _option(command, word)
    return param is not None and not param.is_flag and not param.count


def _values_of_option(command: Any, word: str, current: str, typed: Sequence[str]) -> list[str]:
    param = _option(command, word)
    if param is None:
        return []
    name = param.name or ""
    if name in _UNITS:
        return _matching(_units(typed), current)
    if name == "status":
        return _matching(_statuses(), current)
    if name == "phase":
        return _matching(_phases(typed), current)
    if name in ("plan", "state"):
        return _files(current)
    if name == "lang":
        from xixin_cli.i18n import LANGUAGES

        return _matching(LANGUAGES, current)
    return _by_type(param, current)


def _argument_values(
    command: Any, after: Sequence[str], current: str, typed: Sequence[str]
) -> list[str]:
    """The value of the argument the cursor stands at, by its place among the words typed."""
    position = 0
    skip = False
    for word in after:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = _takes_value(command, word)
        else:
            position += 1
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    for argument in arguments:
        if argument.nargs == -1 or position < argument.nargs:
            return _by_argument(argument, current, typed)
        position -= argument.nargs
    return []


def _by_argument(argument: Any, current: str, typed: Sequence[str]) -> list[str]:
    if argument.name in _ITEMS:
        return _matching(_items(typed), current)
    if argument.name == "status":
        return _matching(_statuses(), current)
    if argument.name == "shell":
        return _matching(SHELLS, current)
    return _by_type(argument, current)


def _by_type(param: Any, current: str) -> list[str]:
    """A path's files; the values a metavar lists in lower case (md|text, office)."""
    if type(param.type).__name__ in ("TyperPath", "Path"):
        return _files(current)
    metavar = (param.metavar or "").strip("[]")
    if metavar and metavar == metavar.lower() and " " not in metavar:
        return _matching(metavar.split("|"), current)
    return []


def _matching(words: Iterable[str], current: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in words:
        if word.startswith(current):
            seen.setdefault(word, None)
    return list(seen)


def _files(current: str) -> list[str]:
    """The files and folders `current` begins (a folder with its separator, to go on)."""
    folder, _, start = current.rpartition(os.sep) if os.sep in current else ("", "", current)
    base = Path(folder or ".")
    try:
        entries = sorted(base.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.name.startswith(start) and (start or not entry.name.startswith(".")):
            shown = f"{folder}{os.sep}{entry.name}" if folder else entry.name
            found.append(shown + os.sep if entry.is_dir() else shown)
    return found


def _global(typed: Sequence[str], option: str) -> str | None:
    for index, word in enumerate(typed):
        if word == option and index + 1 < len(typed):
            return typed[index + 1]
        if word.startswith(option + "="):
            return word.partition("=")[2]
    return None


def _plan(typed: Sequence[str]) -> Any:
    """The plan the typed command would read (--plan, XIXIN_PLAN, the working folder's or
    the bundled one), from the cache; None when it cannot be read (no candidates then)."""
    from xixin_cli.cache import load_plan_cached
    from xixin_cli.errors import XixinError
    from xixin_cli.paths import plan_path

    try:
        return load_plan_cached(plan_path(_global(typed, "--plan") or os.environ.get("XIXIN_PLAN")))
    except (XixinError, OSError):
        return None


def _items(typed: Sequence[str]) -> list[str]:
    plan = _plan(typed)
    return [] if plan is None else [item.id for item in plan.items]


def _units(typed: Sequence[str]) -> list[str]:
    from xixin_cli.model import short_name

    plan = _plan(typed)
    if plan is None:
        return []
    names = [office.name for office in plan.offices.values()]
    return [*names, *(short_name(name) for name in names), "all"]


def _phases(typed: Sequence[str]) -> list[str]:
    plan = _plan(typed)
    if plan is None:
        return []
    phases = plan.phases.values()
    return [*(phase.number for phase in phases), *(phase.name for phase in phases), *plan.phases]


def _statuses() -> list[str]:
    from xixin_cli.i18n import STATUS_WORDS, catalogue

    found = list(STATUS_WORDS)
    for lang in ("zh", "en"):
        found += [catalogue(lang)[f"status.{code}"] for code in STATUS_WORDS]
    return [word for word in found if " " not in word]  # "in progress" is not one word
