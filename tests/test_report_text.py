"""A report's lines made one text (report._text_of) as `"\\n".join(lines).strip() + "\\n"`
makes it, whatever the lines: blank ones, lines with newlines or Unicode blanks in them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xixin_cli.report import _text_of

PIECES = st.sampled_from(["", " ", "\n", "\u3000", "\t", "a", "周报", " b ", "x\n y", "\u2028"])
LINE = st.lists(PIECES, max_size=4).map("".join)


@given(st.lists(LINE, max_size=8))
def test_the_text_of_lines_is_their_join_stripped(lines: list[str]) -> None:
    assert _text_of(list(lines)) == "\n".join(lines).strip() + "\n"


@given(st.lists(st.text(max_size=6), max_size=6))
def test_any_lines(lines: list[str]) -> None:
    assert _text_of(list(lines)) == "\n".join(lines).strip() + "\n"
