"""The file names made from a plan's or a log's names (`files.safe_file_name`): one plain name,
whatever the text holds."""

from __future__ import annotations

import pytest

from xixin_cli.files import safe_file_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("乡党群办", "乡党群办"),
        ("a/b\\c", "a_b_c"),
        ("各\x1b村", "各_村"),
        # A unit's name from a log or an older plan: a direction mark or a zero-width space
        # would show the file's name turned around, or two names the same that are not.
        ("gpj\u202egpj.exe", "gpj_gpj.exe"),
        ("乡\u200b党群办", "乡_党群办"),
        ("a\u2028b", "a_b"),
        ("..", "_"),
        ("..-推进情况表", "_-推进情况表"),  # no leading dash: a shell would take it for an option
        ("-x", "_-x"),
        ("CON", "_CON"),
    ],
)
def test_a_name_becomes_one_plain_file_name(text: str, expected: str) -> None:
    assert safe_file_name(text) == expected
