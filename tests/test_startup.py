"""Start-up stays light: commands that print no table load no table machinery, YAML or dateutil."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("rich.table", "rich.console", "yaml", "dateutil", "pydantic")

PROBE = """
import sys
from xixin_cli.cli import run
code = run(sys.argv[1:])
modules = sorted(sys.modules)  # before the json this report needs
import json
print(json.dumps({"code": code, "modules": modules}), file=sys.stderr)
"""


def loaded(args: list[str], env: dict[str, str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    return set(report["modules"])


@pytest.fixture
def env(process_env: dict[str, str]) -> dict[str, str]:
    return process_env


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["set", "--help"], ["export", "-h"]])
def test_help_and_version_load_nothing_heavy(env: dict[str, str], args: list[str]) -> None:
    assert loaded(args, env).isdisjoint(HEAVY)


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


# -- only the command that runs is built ----------------------------------------------------


def _names() -> list[str]:
    import typer.main

    from xixin_cli.cli import app

    group = typer.main.get_command(app)
    assert isinstance(group, typer.main.TyperGroup)
    return sorted(group.commands)


def test_app_for_builds_only_the_named_command() -> None:
    import typer.main

    from xixin_cli.cli import app_for

    names = _names()
    assert {"overdue", "list", "export", "report", "set"} <= set(names)
    for name in names:
        group = typer.main.get_command(app_for(["--plan", "p.yaml", name, "--all"]))
        assert isinstance(group, typer.main.TyperGroup)
        assert sorted(group.commands) == [name]


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
def test_app_for_keeps_every_command_when_none_is_named(args: list[str]) -> None:
    from xixin_cli.cli import app, app_for

    assert app_for(args) is app


def test_a_commands_help_is_the_same_when_built_alone() -> None:
    from typer.testing import CliRunner

    from xixin_cli.cli import app, app_for

    runner = CliRunner()
    for name in _names():
        alone = runner.invoke(app_for([name, "--help"]), [name, "--help"], prog_name="xixin")
        whole = runner.invoke(app, [name, "--help"], prog_name="xixin")
        assert alone.exit_code == whole.exit_code == 0, name
        assert alone.output == whole.output, name
        assert f"Usage: xixin {name}" in alone.output


def test_value_options_are_the_global_options_that_take_a_value() -> None:
    import typer.main

    from xixin_cli.cli import VALUE_OPTIONS, app

    group = typer.main.get_command(app)
    taking = {
        opt for param in group.params if not getattr(param, "is_flag", False) for opt in param.opts
    }
    assert taking == VALUE_OPTIONS
