"""The docs tell the truth: quick start, CI, help examples, exit codes, both languages."""

from __future__ import annotations

import re
import string

import pytest

from xixin_cli.cli import build
from xixin_cli.errors import ExitCode
from xixin_cli.i18n import LANGUAGES, catalogue, message

from conftest import ROOT, Runner

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_lines_install_and_test() -> None:
    lines = quick_start()
    assert len(lines) == 2
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert lines[0].startswith(venv + "pip install . && xixin ")
    assert lines[1] == venv + "pip install -e '.[test]' && pytest"


def test_the_quick_start_says_it_for_windows_and_shows_something_short(xixin: Runner) -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "py -m venv .venv && .venv\\Scripts\\activate && pip install . && xixin " in section
    first = quick_start()[0].split(" && xixin ", 1)[1]
    result = xixin(*first.split())
    assert result.code == 0, result.err
    assert 5 < len(result.out.splitlines()) <= 30  # a screenful, not 286 lines


def test_ci_runs_the_readme_test_line() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pattern = re.search(r'grep -m1 -E "(.+?)" README\.md', ci)
    assert pattern is not None
    assert re.search(pattern.group(1), quick_start()[1])
    assert "python3 -m venv" in ci and "mypy" in ci and "ruff check" in ci


def command_paths() -> list[list[str]]:
    found: list[list[str]] = []
    for name in build([]).commands:  # the app lists every command; each is built alone
        sub = getattr(build([name]).commands[name], "commands", None)
        if sub:
            found += [[name, inner] for inner in sub]
        else:
            found.append([name])
    return found


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
@pytest.mark.parametrize(("lang", "example"), [("zh", "示例：xixin "), ("en", "Example: xixin ")])
def test_every_command_has_help_with_an_example(
    xixin: Runner, path: list[str], lang: str, example: str
) -> None:
    result = xixin("--lang", lang, *path, "--help")
    assert result.code == 0, result.err
    assert example + " ".join(path) in result.out


def test_every_command_is_in_the_readme() -> None:
    for path in command_paths():
        assert f"xixin {' '.join(path)}" in README, path


def test_every_exit_code_is_documented() -> None:
    table = README.split("## Exit codes", 1)[1]
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \| ", table, re.M), code
    assert "| 1 |" in table


def test_every_message_code_used_in_the_source_exists() -> None:
    used = set()
    for path in (ROOT / "src" / "xixin_cli").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'"((?:plan|state|log|usage|output|file)\.[a-z_]+)"', text))
    used.discard("plan.yaml")  # a file name, not a message
    assert used, "the pattern found nothing"
    assert used <= set(catalogue("zh")), sorted(used - set(catalogue("zh")))


def test_every_language_has_every_message() -> None:
    codes = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert codes[lang] == codes["zh"], (lang, sorted(codes[lang] ^ codes["zh"]))


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(catalogue("zh")))
def test_every_message_reads_in_both_languages(code: str) -> None:
    names = {lang: _names(catalogue(lang)[code]) for lang in LANGUAGES}
    assert names["zh"] == names["en"], code  # both languages say the same things
    values = {name: ["x"] if name == "hint" else 2 for name in names["zh"]}
    for lang in LANGUAGES:
        assert message(code, lang, **values)
