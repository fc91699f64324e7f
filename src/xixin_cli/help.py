"""Help pages and usage errors in the UI's language.

Typer and its bundled click write help headings, defaults and usage errors in English. Here the
help of every command and option comes from the catalogue (keys `help.<command>` and
`opt.<name>`, or `opt.<command>.<name>` where one command means something else), the headings
and the usage line are the catalogue's, and click's usage errors are caught by type and said
again as one line in the UI's language, with the command's help named.
"""

from __future__ import annotations

import re
from typing import Any

import typer.core

# Typer's bundled click: the only place its exception and help classes are (typer<0.29 is
# pinned in pyproject.toml; tests/test_docs.py reads every usage error in both languages).
from typer._click import core as click_core
from typer._click import exceptions as click_errors
from typer._click import formatting as click_formatting
from typer.core import TyperCommand, TyperGroup

from xixin_cli.i18n import catalogue, message

#: Typer's own words, which it looks up through gettext when it writes a help page.
_TYPER_WORDS = {
    "Arguments": "heading.arguments",
    "Options": "heading.options",
    "Commands": "heading.commands",
    "default: {default}": "heading.default",
    "required": "heading.required",
}


def _cells(text: str) -> int:
    """Terminal columns `text` takes: a Chinese character takes two."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


class _Formatter(click_formatting.HelpFormatter):
    """Headings as the catalogue writes them, colon included (参数： / Arguments:), and
    columns lined up by terminal cells rather than characters (编号 is four columns wide)."""

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        namespace = vars(click_formatting)  # the formatter measures through this name
        measured = namespace["term_len"]
        namespace["term_len"] = _cells
        try:
            super().write_dl(rows, col_max, col_spacing)
        finally:
            namespace["term_len"] = measured

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}\n")


class _Context(click_core.Context):
    formatter_class = _Formatter


class _Localized:
    """What our command classes add to Typer's: the usage line and the help option in `lang`."""

    lang = "zh"
    context_class: type[click_core.Context] = _Context

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(
            ctx.command_path, " ".join(pieces), prefix=message("help.usage", self.lang)
        )

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = message("help.help_option", self.lang)
        return option


class Command(_Localized, TyperCommand):
    """A command whose help page speaks the UI's language."""


class Group(_Localized, TyperGroup):
    """A group (the app, `export`, `report`) whose help page speaks the UI's language."""


def localize(command: Any, lang: str, path: tuple[str, ...] = ()) -> None:
    """Give `command` and everything under it the help texts of `lang`'s catalogue."""
    words = catalogue(lang)
    # Typer looks its words up through the name `_` (gettext) of its core module.
    vars(typer.core)["_"] = lambda text: words.get(_TYPER_WORDS.get(text, ""), text)
    key = ".".join(path) or "xixin"
    command.lang = lang
    command.help = words[f"help.{key}"]
    command.short_help = command.help.split("\n", 1)[0]
    command.options_metavar = words["help.options_metavar"]
    for param in command.params:
        found = words.get(f"opt.{key}.{param.name}") or words.get(f"opt.{param.name}")
        if found is None:
            raise KeyError(f"no help for {key} {param.name} in the {lang} catalogue")
        param.help = found
        metavar = getattr(param, "metavar", None)
        if metavar and f"metavar.{metavar}" in words:
            param.metavar = words[f"metavar.{metavar}"]
        elif metavar is None and param.param_type_name == "option" and not param.is_flag:
            param.metavar = words["metavar.TEXT"]  # not Typer's <str>
        param.show_envvar = False  # the help text names the variable, in the UI's words
    if isinstance(command, TyperGroup):
        command.subcommand_metavar = words["help.command_metavar"]
        for name, sub in command.commands.items():
            localize(sub, lang, (*path, name))


def usage_error(error: Exception, lang: str) -> str:
    """A click usage error as one line in `lang`: what was wrong, and where the help is."""
    said = _what(error, lang)
    ctx = getattr(error, "ctx", None)
    if ctx is None or _unknown_command(error):
        return said
    return message("usage.see_help", lang, what=said, command=ctx.command_path)


def _what(error: Exception, lang: str) -> str:
    text = error.format_message() if isinstance(error, click_errors.ClickException) else str(error)
    if isinstance(error, click_errors.NoSuchOption):
        hint = sorted(error.possibilities or ())
        return message("usage.no_such_option", lang, option=error.option_name, hint=hint)
    if isinstance(error, click_errors.BadOptionUsage):
        code = (
            "usage.option_takes_no_value" if "does not take" in text else "usage.option_needs_value"
        )
        return message(code, lang, option=error.option_name)
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        param = error.param
        if param.param_type_name == "argument":
            name = param.make_metavar(error.ctx) if error.ctx is not None else str(param.name)
            return message("usage.missing_argument", lang, name=name)
        return message("usage.missing_option", lang, name=param.opts[0])
    if isinstance(error, click_errors.BadParameter) and error.param is not None:
        name = error.param.opts[0] if error.param.opts else str(error.param.name)
        number = re.match(r"'(.*)' is not a valid (integer|int|float)", error.message)
        if number:
            return message("usage.not_a_number", lang, name=name, value=number.group(1))
        return message("usage.bad_value", lang, name=name, reason=error.message)
    extra = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", text)
    if extra:
        return message("usage.extra_arguments", lang, words=extra.group(1))
    unknown = re.match(r"No such command '(.*)'\.", text)
    if unknown:
        ctx = getattr(error, "ctx", None)
        names = sorted(getattr(ctx.command, "commands", {})) if ctx is not None else []
        import difflib

        hint = difflib.get_close_matches(unknown.group(1), names, n=1, cutoff=0.5)
        return message("usage.no_such_command", lang, name=unknown.group(1), hint=hint)
    if text.startswith("Missing command"):
        return message("usage.missing_command", lang)
    return text


def _unknown_command(error: Exception) -> bool:
    """A mistyped command's message already names `xixin -h`."""
    return str(error).startswith("No such command")
