"""Settings kept between runs (`xixin config`): the one home of `by` and `send`.

Each key has its home by whose it is. A recorder's name is a person's: `by` lives in the
per-user config folder (`~/.config/xixin/config.json` on Linux, `%APPDATA%\\xixin` on Windows,
`~/Library/Application Support/xixin` on macOS). A send target is the office's: `send` lives in
the working folder that `xixin init` made (`xixin-config.json` beside its `.xixin`), so it
travels with the folder, and in the per-user file when there is no working folder or when
`--user` asks for it. Reading, an environment variable comes first (XIXIN_BY, XIXIN_SEND),
then the working folder's file, then the user's.

Both files are small JSON objects, written whole (atomically); a file that is not one is
refused with its name and the fix, never rewritten.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

from xixin_cli.errors import ExitCode, XixinError
from xixin_cli.tuples import NamedTuple

#: The file in an office's working folder.
OFFICE_FILE = "xixin-config.json"
USER_FILE = "config.json"


class Scope(str, Enum):
    """Where a setting is kept: the person's own config folder, or the office's folder."""

    USER = "user"
    OFFICE = "office"


class Key(NamedTuple):
    """A setting: its home, the environment variable that overrides it, and whether it holds
    several values (URLs, separated by spaces in the variable)."""

    home: Scope
    env: str
    many: bool


KEYS = {
    "by": Key(Scope.USER, "XIXIN_BY", many=False),
    "send": Key(Scope.OFFICE, "XIXIN_SEND", many=True),
}


class ConfigError(XixinError):
    """A setting or a settings file that cannot be used."""

    exit_code = ExitCode.USAGE


class Found(NamedTuple):
    """A setting's value and where it came from (a file, or the environment variable)."""

    key: str
    values: tuple[str, ...]
    source: str


def key(name: str) -> Key:
    found = KEYS.get(name)
    if found is None:
        raise ConfigError("config.unknown_key", key=name, keys=", ".join(KEYS))
    return found


def user_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path("xixin", appauthor=False) / USER_FILE


def office_file() -> Path | None:
    """The working folder's settings file (whether or not it exists yet), or None outside one."""
    from xixin_cli.paths import workspace

    folder = workspace()
    return folder / OFFICE_FILE if folder is not None else None


def files() -> list[Path]:
    """The settings files in the order they are read: the office's, then the user's."""
    office = office_file()
    return [office, user_file()] if office is not None else [user_file()]


def read(path: Path) -> dict[str, object]:
    """A settings file's values ({} when there is none); ConfigError for one that is not a
    JSON object."""
    import json

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("config.unreadable", path=str(path), reason=str(exc)) from None
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ConfigError("config.bad_file", path=str(path), line=exc.lineno) from None
    if not isinstance(data, dict):
        raise ConfigError("config.bad_file", path=str(path), line=1)
    return data


def _values(path: Path, name: str) -> tuple[str, ...]:
    value = read(path).get(name)
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if v.strip())
    if value is None:
        return ()
    raise ConfigError("config.bad_value", path=str(path), key=name)


def lookup(name: str, *, env: bool = True) -> Found | None:
    """A setting as a run sees it: its environment variable, else the office's file, else the
    user's; None when none of them sets it."""
    setting = key(name)
    if env:
        given = os.environ.get(setting.env, "").strip()
        if given:
            values = tuple(given.split()) if setting.many else (given,)
            return Found(name, values, setting.env)
    for path in files():
        values = _values(path, name)
        if values:
            return Found(name, values, str(path))
    return None


def value(name: str) -> str | None:
    """A single-valued setting (`by`), or None."""
    found = lookup(name)
    return found.values[0] if found is not None else None


def home(name: str, scope: Scope | None) -> Path:
    """The file a setting is written to: the scope asked for, else its own home (an office
    setting outside a working folder goes to the user's file)."""
    setting = key(name)
    wanted = scope or setting.home
    if wanted is Scope.OFFICE:
        office = office_file()
        if office is not None:
            return office
        if scope is Scope.OFFICE:
            raise ConfigError("config.no_folder")
    return user_file()


def store(name: str, values: tuple[str, ...], scope: Scope | None = None) -> Path:
    """Set a setting in its file (the other settings there are kept); returns the file."""
    setting = key(name)
    path = home(name, scope)
    data = read(path)
    data[name] = list(values) if setting.many else values[0]
    _write(path, data)
    return path


def remove(name: str, scope: Scope | None = None) -> Path | None:
    """Take a setting out of its file; returns the file, or None when it was not set there."""
    key(name)
    path = home(name, scope)
    data = read(path)
    if name not in data:
        return None
    del data[name]
    _write(path, data)
    return path


def listing() -> list[Found]:
    """Every setting that is set, as a run sees it."""
    return [found for name in KEYS if (found := lookup(name)) is not None]


def _write(path: Path, data: dict[str, object]) -> None:
    import json

    from xixin_cli.errors import OutputError
    from xixin_cli.files import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("output.cannot_write", path=str(path), reason=str(exc)) from None
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
