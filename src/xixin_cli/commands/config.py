"""Settings kept between runs: config set, get, unset, list (kept by `config.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from xixin_cli.commands._options import settings
from xixin_cli.i18n import message
from xixin_cli.results import Lines

if TYPE_CHECKING:
    from xixin_cli.config import Scope

KeyArg = Annotated[str, typer.Argument(metavar="KEY")]
UserOpt = Annotated[bool, typer.Option("--user")]
OfficeScopeOpt = Annotated[bool, typer.Option("--office")]


def _scope(user_scope: bool, office_scope: bool) -> Scope | None:
    from xixin_cli.config import Scope
    from xixin_cli.errors import UsageError

    if user_scope and office_scope:
        raise UsageError("usage.user_or_office")
    return Scope.USER if user_scope else Scope.OFFICE if office_scope else None


def config_set(
    ctx: typer.Context,
    config_key: KeyArg,
    config_values: Annotated[list[str], typer.Argument(metavar="VALUE...")],
    user_scope: UserOpt = False,
    office_scope: OfficeScopeOpt = False,
) -> Lines:
    """Set a setting."""
    from xixin_cli.config import ConfigError, key, store

    lang = settings(ctx).language()
    setting = key(config_key)
    values = tuple(value.strip() for value in config_values if value.strip())
    if not values:
        raise ConfigError("config.needs_value", key=config_key)
    if config_key == "by":
        from xixin_cli.session import recorder

        if len(values) > 1:
            raise ConfigError("config.one_value", key=config_key)
        values = (recorder(values[0]),)  # the rule --by obeys
    elif setting.many:
        from xixin_cli.send import target

        values = tuple(part for value in values for part in value.split())
        for value in values:
            target(value)  # refused now, not at the next scheduled run
    scope = _scope(user_scope, office_scope)
    path = store(config_key, values, scope)
    return Lines(notices=[message("config.set", lang, key=config_key, path=str(path))])


def config_get(ctx: typer.Context, config_key: KeyArg) -> Lines:
    """Show a setting and where it comes from."""
    from xixin_cli.config import lookup

    lang = settings(ctx).language()
    found = lookup(config_key)
    if found is None:
        return Lines(notices=[message("config.not_set", lang, key=config_key)])
    return Lines(
        out=[_shown(config_key, value) for value in found.values],
        notices=[message("config.from", lang, source=found.source).strip()],
    )


def config_unset(
    ctx: typer.Context,
    config_key: KeyArg,
    user_scope: UserOpt = False,
    office_scope: OfficeScopeOpt = False,
) -> Lines:
    """Remove a setting."""
    from xixin_cli.config import home, remove

    lang = settings(ctx).language()
    scope = _scope(user_scope, office_scope)
    path = remove(config_key, scope)
    if path is None:
        where = str(home(config_key, scope))
        return Lines(notices=[message("config.not_set_here", lang, key=config_key, path=where)])
    return Lines(notices=[message("config.unset", lang, key=config_key, path=str(path))])


def config_list(ctx: typer.Context) -> Lines:
    """Every setting that is set, and where from."""
    from xixin_cli.config import KEYS, listing

    lang = settings(ctx).language()
    found = listing()
    if not found:
        return Lines(notices=[message("config.empty", lang, keys=", ".join(KEYS))])
    lines = []
    for setting in found:
        origin = message("config.from", lang, source=setting.source)
        lines += [
            f"{setting.key} = {_shown(setting.key, value)}{origin}" for value in setting.values
        ]
    return Lines(out=lines)


def _shown(key: str, value: str) -> str:
    """A value as it may be shown: a send address with its key masked."""
    if key == "send":
        from xixin_cli.send import masked

        return masked(value)
    return value


COMMANDS: dict[str, object] = {}
GROUPS = {
    "config": {"set": config_set, "get": config_get, "unset": config_unset, "list": config_list}
}
