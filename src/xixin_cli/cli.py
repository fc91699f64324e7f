"""The shell: build the command that runs, run it, show its result, choose the exit code.

Nothing else lives here: the commands are in `commands/` (only the one that runs is imported),
the plan and logs are opened by `session.py`, results are shown by `present.py`, and help pages
and usage errors are put in the UI's language by `help.py`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Annotated, Any

import typer

from xixin_cli import version_line
from xixin_cli.errors import ExitCode, XixinError
from xixin_cli.finish import error_line, language, output_failed
from xixin_cli.i18n import DEFAULT_LANGUAGE, message, speak

#: The global options that take a value, so that `run` can find the command's name after them.
VALUE_OPTIONS = frozenset({"--plan", "--state", "--lang"})


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(version_line())
        raise typer.Exit()


def main(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", envvar="XIXIN_PLAN", metavar="PATH")] = None,
    state: Annotated[list[str] | None, typer.Option("--state", metavar="PATH")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", envvar="XIXIN_LANG", metavar="zh|en")
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
    ascii_lights: Annotated[bool, typer.Option("--ascii")] = False,
) -> None:
    """Checklist and deadline tracker for an implementation plan."""
    from xixin_cli.session import Settings

    ctx.obj = Settings.from_options(plan, state, lang)


def command_name(args: Sequence[str]) -> str | None:
    """The command `args` run (the first word after the global options), or None; None too
    when the app's own help is asked for first (`xixin -h overdue` lists every command)."""
    words = iter(args)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word in VALUE_OPTIONS:
            next(words, None)
        elif word == "--":
            return next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build(args: Sequence[str], lang: str = DEFAULT_LANGUAGE) -> Any:
    """The click command for `args`, in `lang`: only the command they name is imported and
    built (Typer builds every registered command's parameters on each start, ~10 ms for thirty).
    No command, `--help`, `--version` or an unknown name get every command as a name with its
    help from the catalogue, which is all the app's help and "did you mean" need: no command
    module is imported for them."""
    import typer.main

    from xixin_cli.commands import MODULES
    from xixin_cli.help import Command, Group, localize

    app = typer.Typer(
        name="xixin",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain help and usage errors: rich-formatted ones cost ~100 ms of imports on every
        # --help and print a boxed error over several lines.
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=Group,
    )
    app.callback()(main)
    name = command_name(args)
    if name not in MODULES:
        for listed in MODULES:
            app.command(listed, cls=Command, add_help_option=False)(_listed)
    else:
        module = import_module(f"xixin_cli.commands.{MODULES[name]}")
        for command, function in module.COMMANDS.items():
            if command == name:
                app.command(command, cls=Command)(function)
        for group, functions in module.GROUPS.items():
            if group == name:
                sub = typer.Typer(no_args_is_help=True, rich_markup_mode=None, cls=Group)
                for command, function in functions.items():
                    sub.command(command, cls=Command)(function)
                app.add_typer(sub, name=group)
    click_command = typer.main.get_command(app)
    localize(click_command, lang)
    return click_command


def _listed() -> None:
    """A command as the app's own help lists it; never run (a named command is built whole)."""


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; turn our errors into one line each on stderr and their exit code."""
    from typer._click import exceptions as click_errors

    from xixin_cli import identity
    from xixin_cli.terminal import prepare

    identity.forget()
    speak("")  # no plan opened yet in this run
    args = list(argv) if argv is not None else sys.argv[1:]
    lang = language(args)
    # --ascii is read here, before the command is even built: it is how everything is shown.
    prepare(
        lang,
        ascii_only="--ascii" in args[: args.index("--")] if "--" in args else "--ascii" in args,
    )
    try:
        result = build(args, lang).main(args=args, prog_name="xixin", standalone_mode=False)
        from xixin_cli.present import present

        code = present(result)
        _writer_unkept(lang)
        return code
    except XixinError as error:
        lang = _error_language(args, lang)
        for line in error.lines(lang):
            error_line(line, lang)
        return int(error.exit_code)
    except click_errors.NoArgsIsHelpError as asked:
        sys.stderr.write(asked.ctx.get_help() + "\n")
        return int(ExitCode.USAGE)
    except click_errors.UsageError as error:
        from xixin_cli.help import usage_error

        lang = _error_language(args, lang)
        error_line(usage_error(error, lang), lang)
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        return 130
    except typer.Abort:
        return 1
    except SystemExit as exit_:  # a library's own exit; say its message if it gave one
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            return 0  # click's answer to a closed pipe inside a command: the reader went away
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or 0
        sys.stderr.write(f"{exit_.code}\n")
        return 1
    except BrokenPipeError:  # the reader went away (xixin list | head): nothing more to say
        return 0
    except OSError as exc:
        if exc.filename is not None:  # our own files are reported as XixinError; not this
            raise
        return output_failed(exc, lang)  # the terminal or file that stdout goes to


def _error_language(args: Sequence[str], lang: str) -> str:
    """The language an error is said in: the plan's, as its views speak it (--lang or
    XIXIN_LANG first). A plan opened says so (`i18n.speak`); an error before any
    was (a bad date, an unknown option) looks at the plan the command would have opened."""
    from xixin_cli.i18n import spoken

    said = spoken()
    if said is not None:
        return said
    if "--lang" in args or any(a.startswith("--lang=") for a in args):
        return lang
    if os.environ.get("XIXIN_LANG"):
        return lang
    try:
        from xixin_cli.paths import plan_path

        given = _given_plan(args)
        path = plan_path(given)
    except Exception:  # no plan to be had (that may be the error itself): the default stands
        return lang
    try:
        from xixin_cli.session import Settings, plan_and_language

        return plan_and_language(Settings(given, (), None), path)[1]
    except Exception:  # a plan that cannot be loaded: the language its text says it speaks
        from xixin_cli.i18n import LANGUAGES
        from xixin_cli.plan_file import stated_language

        stated = stated_language(path)
        return stated if stated in LANGUAGES else lang


def _given_plan(args: Sequence[str]) -> str | None:
    """--plan as typed (before the command), else XIXIN_PLAN."""
    for index, arg in enumerate(args):
        if arg == "--plan" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--plan="):
            return arg.removeprefix("--plan=")
    return os.environ.get("XIXIN_PLAN") or None


def _writer_unkept(lang: str) -> None:
    """Say once, after a command that recorded, that its writer id could not be kept."""
    from xixin_cli import identity

    if identity.unkept is not None:
        with contextlib.suppress(OSError):
            from xixin_cli.present import warn

            warn(message("writer.unkept", lang, path=str(identity.unkept)), lang)
