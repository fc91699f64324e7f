"""Tests that bite (issue #22): the exports — CSV cells that never run as formulas, iCalendar
lines folded at 75 octets without splitting a character, the JSON contract field for field."""

from __future__ import annotations

import pytest

from xixin_cli.export import _ics_escape, _ics_fold, csv_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-5", "'-5"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        (None, ""),
        (3, "3"),
        ("", ""),
    ],
)
def test_a_csv_cell_never_starts_a_formula(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_ics_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    assert _ics_fold("a" * 75) == "a" * 75
    assert _ics_fold("a" * 76) == "a" * 75 + "\r\n " + "a"
    assert _ics_fold("a" * (75 + 74 + 1)) == "a" * 75 + "\r\n " + "a" * 74 + "\r\n " + "a"
    chinese = "汉" * 30  # three octets each: 25 fit on the first line, 24 on each next
    folded = _ics_fold(chinese).split("\r\n ")
    assert [len(part) for part in folded] == [25, 5]
    assert _ics_fold("a" + "汉" * 25) == "a" + "汉" * 24 + "\r\n " + "汉"


def test_ics_text_escapes() -> None:
    assert _ics_escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
