"""The commands, one module per area; only the module of the command that runs is imported.

Each module names its commands in `COMMANDS` (name → function) and its command groups in
`GROUPS` (group name → {name → function}). A command function parses nothing itself: Typer
turns the typed words into its parameters, the session turns those into domain values, and the
function returns a result object (`results.py`) that one renderer (`present.py`) shows.
"""

#: Which module holds each top-level command or group: the shell imports only the one named.
MODULES = {
    "list": "items",
    "show": "items",
    "validate": "items",
    "evidence": "items",
    "history": "items",
    "set": "recording",
    "start": "recording",
    "done": "recording",
    "block": "recording",
    "close": "recording",
    "return": "recording",
    "extend": "recording",
    "attach": "recording",
    "detach": "recording",
    "undo": "recording",
    "overdue": "deadlines",
    "upcoming": "deadlines",
    "remind": "deadlines",
    "board": "board_reports",
    "report": "board_reports",
    "import": "import_",
    "verify": "logs",
    "doctor": "logs",
    "merge": "logs",
    "export": "exports",
    "init": "workspace",
    "plan": "workspace",
    "form": "forms",
    "collect": "forms",
    "unreported": "forms",
    "config": "config",
    "schedule": "scheduling",
    "completion": "shell",
}
