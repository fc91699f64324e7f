"""Start-up stays light: commands that print no table load no table machinery, YAML or dateutil."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("rich.table", "rich.console", "yaml", "dateutil", "pydantic", "openpyxl", "docx", "lxml")

PROBE = """
import sys
from xixin_cli.cli import run
code = run(sys.argv[1:])
modules = sorted(sys.modules)  # before the json this report needs
import json
print(json.dumps({"code": code, "modules": modules}), file=sys.stderr)
"""


def loaded(args: list[str], env: dict[str, str], code: int = 0) -> set[str]:
    """The modules a run of xixin with `args` loaded (it must end with `code`)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == code, done.stderr
    return set(report["modules"])


def command_modules(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.startswith("xixin_cli.commands."))


@pytest.fixture
def env(process_env: dict[str, str]) -> dict[str, str]:
    return process_env


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["set", "--help"], ["export", "-h"]])
def test_help_and_version_load_nothing_heavy(env: dict[str, str], args: list[str]) -> None:
    assert loaded(args, env).isdisjoint(HEAVY)


def test_the_console_scripts_version_imports_not_even_typer(env: dict[str, str]) -> None:
    """`xixin --version` is what a script asks to see whether xixin is there and which one:
    it answers without the command line's machinery (typer and click are ~60% of a start)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "xixin_cli", "--version"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    from xixin_cli import __version__

    assert (done.returncode, done.stdout) == (0, f"xixin {__version__}\n")
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    assert "xixin_cli" in imported  # the probe does see our own imports
    assert imported.isdisjoint({"typer", "click", "rich", "xixin_cli.cli"}), imported


def test_recording_a_change_loads_nothing_heavy_once_the_plan_is_cached(
    env: dict[str, str],
) -> None:
    assert "yaml" in loaded(["done", "5.1.1"], env)  # the first run reads the plan itself
    modules = loaded(["done", "5.1.2"], env)
    assert modules.isdisjoint(HEAVY), modules & set(HEAVY)


def test_a_table_command_does_not_load_yaml_or_dateutil_once_cached(env: dict[str, str]) -> None:
    loaded(["overdue", "--as-of", "2022-12-05"], env)  # reads the plan, builds the calendar
    modules = loaded(["overdue", "--as-of", "2022-12-05"], env)
    assert "rich.table" in modules  # it does print a table
    # the plan, the log's fold and the official calendar all come from the cache
    assert modules.isdisjoint({"yaml", "dateutil", "pydantic", "json", "chinese_calendar"})


def test_only_the_commands_that_ask_the_index_load_sqlite(env: dict[str, str]) -> None:
    loaded(["done", "5.1.1"], env)
    for args in (["overdue", "--as-of", "2022-12-05"], ["list"], ["done", "5.1.2"]):
        assert "sqlite3" not in loaded(args, env), args  # the fold's cache is enough
    assert "sqlite3" in loaded(["history", "5.1.1"], env)  # one item's lines, through the index


# -- only the command that runs is built ----------------------------------------------------


def _names() -> list[str]:
    from xixin_cli.cli import build

    return sorted(build([]).commands)


def test_build_makes_only_the_named_command() -> None:
    from xixin_cli.cli import build

    names = _names()
    assert {"overdue", "list", "export", "report", "set"} <= set(names)
    for name in names:
        assert sorted(build(["--plan", "p.yaml", name, "--all"]).commands) == [name]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["-h", "overdue"],
        ["--plan", "overdue"],
        ["ovrdue"],
        ["--lang=en"],
        ["--version", "x"],
    ],
)
def test_build_keeps_every_command_when_none_is_named(args: list[str]) -> None:
    from xixin_cli.cli import build

    assert sorted(build(args).commands) == _names()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_apps_help_lists_each_command_as_its_own_help_begins(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from xixin_cli.cli import build

    def help_page(args: list[str]) -> str:
        code = build(args, lang).main([*args, "--help"], prog_name="xixin", standalone_mode=False)
        assert code == 0, args
        return capsys.readouterr().out

    listing = help_page([])
    usage = {"zh": "用法：xixin", "en": "Usage: xixin"}[lang]
    for name in _names():
        own = help_page([name])
        assert own.startswith(f"{usage} {name}"), name
        summary = own.split("\n\n", 2)[1].strip().split("\n")[0]  # the first line of its text
        assert f"  {name} " in listing and summary[:20] in listing, name


def test_the_apps_own_help_and_version_import_no_command_module(env: dict[str, str]) -> None:
    for args, code in ((["--help"], 0), (["--version"], 0), ([], 2)):  # bare `xixin`: help, 2
        assert command_modules(loaded(args, env, code)) == [], args


# -- a command imports only its own module ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["list", "--limit", "1"], "items"),
        (["done", "5.1.1"], "recording"),
        (["overdue", "--as-of", "2022-12-05"], "deadlines"),
        (["report", "weekly", "--as-of", "2022-12-05"], "board_reports"),
        (["export", "csv"], "exports"),
        (["verify"], "logs"),
    ],
)
def test_a_command_imports_no_other_commands_module(
    env: dict[str, str], args: list[str], module: str
) -> None:
    mine = command_modules(loaded(args, env))
    assert mine == ["xixin_cli.commands._options", f"xixin_cli.commands.{module}"]


def test_value_options_are_the_global_options_that_take_a_value() -> None:
    from xixin_cli.cli import VALUE_OPTIONS, build

    group = build([])
    taking = {
        opt for param in group.params if not getattr(param, "is_flag", False) for opt in param.opts
    }
    assert taking == VALUE_OPTIONS
